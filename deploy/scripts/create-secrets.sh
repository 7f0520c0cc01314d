#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Creates or rotates the secrets the cloud overlays expect (never committed):
#   taskstream-db              url            PostgreSQL URL (Neon, Cloud SQL, Azure/OCI PostgreSQL): DATABASE_URL
#   taskstream-kafka           brokers, username, password (SASL/SCRAM): KAFKA_BROKERS, KAFKA_USERNAME, KAFKA_PASSWORD
#   taskstream-auth            secret         session signing secret (generated once; rotating signs everyone out)
#   taskstream-app-api-token   token          sidecar → app token (generated)
#   taskstream-dapr-api-token  token          app → sidecar token (generated)
#   taskstream-smtp            url            optional: SMTP_URL for e-mail reminders
#   taskstream-openai          api-key        optional: OPENAI_API_KEY for the assistant
# Usage: deploy/scripts/create-secrets.sh [--rotate auth|tokens|db|kafka]...
# Values come from the environment; an existing secret is kept unless it is rotated or its variable is set.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require kubectl openssl

rotate=" "
while [ $# -gt 0 ]; do
  case "$1" in
    --rotate) [ $# -ge 2 ] || die "--rotate needs a name"; rotate="$rotate$2 "; shift 2 ;;
    *) die "unknown argument $1" ;;
  esac
done
rotating() { case "$rotate" in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
exists() { kubectl -n "$NAMESPACE" get secret "$1" >/dev/null 2>&1; }

# put <secret> <key=value>...: create or replace the secret with exactly these keys
put() {
  local name="$1"
  shift
  local literals=()
  local kv
  for kv in "$@"; do literals+=("--from-literal=$kv"); done
  kubectl -n "$NAMESPACE" create secret generic "$name" "${literals[@]}" --dry-run=client -o yaml |
    kubectl -n "$NAMESPACE" apply -f - >/dev/null
  log "secret $name written"
}

random() { openssl rand -base64 48 | tr -d '\n/+=' | cut -c1-48; }

kubectl create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl apply -f - >/dev/null

if [ -n "${DATABASE_URL:-}" ]; then
  put taskstream-db "url=$DATABASE_URL"
elif ! exists taskstream-db || rotating db; then
  die "DATABASE_URL is required (postgres://user:password@host:5432/db?sslmode=require)"
fi

if [ -n "${KAFKA_BROKERS:-}" ]; then
  if [ -z "${KAFKA_USERNAME:-}" ] || [ -z "${KAFKA_PASSWORD:-}" ]; then
    die "KAFKA_USERNAME and KAFKA_PASSWORD are required with KAFKA_BROKERS"
  fi
  put taskstream-kafka "brokers=$KAFKA_BROKERS" "username=$KAFKA_USERNAME" "password=$KAFKA_PASSWORD"
elif ! exists taskstream-kafka || rotating kafka; then
  die "KAFKA_BROKERS, KAFKA_USERNAME and KAFKA_PASSWORD are required"
fi

if ! exists taskstream-auth || rotating auth; then
  put taskstream-auth "secret=${AUTH_SECRET:-$(random)}"
fi
if ! exists taskstream-app-api-token || rotating tokens; then
  put taskstream-app-api-token "token=$(random)"
fi
if ! exists taskstream-dapr-api-token || rotating tokens; then
  put taskstream-dapr-api-token "token=$(random)"
fi
if [ -n "${SMTP_URL:-}" ]; then
  put taskstream-smtp "url=$SMTP_URL"
fi
if [ -n "${OPENAI_API_KEY:-}" ]; then
  put taskstream-openai "api-key=$OPENAI_API_KEY"
fi

if [ "$rotate" != " " ]; then
  log "restart the roles so they read the new values: kubectl -n $NAMESPACE rollout restart deployment"
fi
