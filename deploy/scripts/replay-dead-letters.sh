#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Replays dead letters: moves up to N events from <topic>-dlq back to <topic>, keeping each event's key
# (the user id, so one user's events stay in one partition). Consumers are idempotent (inbox), so an event
# that was already handled is acknowledged and skipped. Progress is kept by the consumer group
# taskstream-dlq-replay: running it again continues after the last replayed event.
# Usage: deploy/scripts/replay-dead-letters.sh <task-events|reminders|task-updates> [count]
# Needs rpk configured for the cluster: RPK_BROKERS (+ RPK_TLS_ENABLED, RPK_SASL_MECHANISM=SCRAM-SHA-256,
# RPK_USER, RPK_PASS for managed Kafka), or `kubectl port-forward -n redpanda svc/redpanda 9093` for
# in-cluster Redpanda.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require rpk

topic="${1:-}"
count="${2:-100}"
case "$topic" in
  task-events | reminders | task-updates) ;;
  *) die "usage: $0 <task-events|reminders|task-updates> [count]" ;;
esac
case "$count" in
  '' | *[!0-9]*) die "count must be a number" ;;
esac

log "lag of the replay group on $topic-dlq before replaying"
rpk group describe taskstream-dlq-replay 2>/dev/null || true
# %k and %v keep key and value; a CloudEvent JSON value never contains a raw tab or newline
rpk topic consume "$topic-dlq" --group taskstream-dlq-replay --num "$count" --format '%k\t%v\n' |
  rpk topic produce "$topic" --format '%k\t%v\n'
log "replayed up to $count events from $topic-dlq to $topic"
