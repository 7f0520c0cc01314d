#!/bin/sh
# Creates Taskstream's topics and their dead-letter topics; idempotent (an existing topic is left alone).
# Connection settings come from the environment as rpk reads them (RPK_BROKERS, RPK_TLS_ENABLED,
# RPK_SASL_MECHANISM, RPK_USER, RPK_PASS); the Job maps the Kafka secret and client ConfigMap onto them.
set -eu
topics_file="${TOPICS_FILE:-/config/topics.txt}"
partitions="${PARTITIONS:-6}"
replicas="${REPLICAS:-3}"
# dead letters are kept two weeks so they can be inspected and replayed (docs/operations.md)
dlq_retention_ms=1209600000

while IFS= read -r topic; do
  [ -n "$topic" ] || continue
  if rpk topic describe "$topic" >/dev/null 2>&1; then
    echo "exists: $topic"
    continue
  fi
  case "$topic" in
    *-dlq) rpk topic create "$topic" -p "$partitions" -r "$replicas" -c "retention.ms=$dlq_retention_ms" ;;
    *) rpk topic create "$topic" -p "$partitions" -r "$replicas" ;;
  esac
done < "$topics_file"
rpk topic list
