#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Backs up or restores Taskstream's PostgreSQL database with pg_dump/pg_restore (custom format), using the
# URL stored in the taskstream-db secret. Managed databases also keep their own point-in-time recovery
# (docs/operations.md); this dump is the portable copy.
# Usage: deploy/scripts/backup-postgres.sh backup [file]  |  deploy/scripts/backup-postgres.sh restore <file>
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require kubectl pg_dump pg_restore

url="${DATABASE_URL:-$(kubectl -n "$NAMESPACE" get secret taskstream-db -o jsonpath='{.data.url}' | base64 -d)}"
[ -n "$url" ] || die "no database URL (set DATABASE_URL or create the taskstream-db secret)"

case "${1:-}" in
  backup)
    file="${2:-taskstream-$(date -u +%Y%m%dT%H%M%SZ).dump}"
    log "dumping to $file"
    pg_dump --format=custom --no-owner --no-privileges --file="$file" "$url"
    pg_restore --list "$file" >/dev/null
    log "backup written and readable: $file ($(wc -c <"$file") bytes)"
    ;;
  restore)
    file="${2:-}"
    [ -f "$file" ] || die "usage: $0 restore <file>"
    log "scaling every role to zero so nothing writes during the restore"
    kubectl -n "$NAMESPACE" scale deployment -l app.kubernetes.io/name=taskstream --replicas=0
    pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --dbname="$url" "$file"
    log "restored; scale the roles back up (deploy/scripts/deploy.sh, or kubectl scale)"
    ;;
  *) die "usage: $0 backup [file] | restore <file>" ;;
esac
