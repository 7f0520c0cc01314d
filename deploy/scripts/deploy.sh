#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Deploys (or upgrades) Taskstream: renders an overlay with the image to run, runs the topics and migration
# Jobs, applies everything, waits for every role to roll out, and with --rollback-on-failure undoes the
# rollout of every role when one of them fails. Also applies deploy/observability when
# kube-prometheus-stack's CRDs are present.
# Usage: deploy/scripts/deploy.sh <minikube|kind|aks|gke|oke> [image tag] [--rollback-on-failure] [--render-only]
# --render-only prints the manifests that would be applied and touches no cluster.
# Environment: IMAGE (default ghcr.io/taskstream/taskstream; minikube/kind: taskstream), ROLLOUT_TIMEOUT (10m).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rollback=false
render_only=false
args=()
for arg in "$@"; do
  case "$arg" in
    --rollback-on-failure) rollback=true ;;
    --render-only) render_only=true ;;
    *) args+=("$arg") ;;
  esac
done
target="${args[0]:-}"
[ -n "$target" ] || die "usage: $0 <$(echo "$OVERLAYS" | tr ' ' '|')> [image tag] [--rollback-on-failure]"
overlay="$(overlay_for "$target")"
tag="${args[1]:-}"
require kubectl
root="$(repo_root)"
timeout="${ROLLOUT_TIMEOUT:-10m}"
roles="api realtime recurring notifier audit"
case "$overlay" in
  minikube) image="${IMAGE:-taskstream}" ;;
  *) image="${IMAGE:-ghcr.io/taskstream/taskstream}" ;;
esac

# A throwaway kustomization next to the overlays sets the image without editing tracked files.
work="$(mktemp -d "$root/deploy/k8s/.deploy-XXXXXX")"
trap 'rm -rf "$work"' EXIT
{
  echo "apiVersion: kustomize.config.k8s.io/v1beta1"
  echo "kind: Kustomization"
  echo "resources:"
  echo "  - ../overlays/$overlay"
  if [ -n "$tag" ]; then
    echo "images:"
    echo "  - name: $( [ "$overlay" = minikube ] && echo taskstream || echo ghcr.io/taskstream/taskstream)"
    echo "    newName: $image"
    echo "    newTag: \"$tag\""
  fi
} >"$work/kustomization.yaml"
kubectl kustomize "$work" >"$work/rendered.yaml"
if [ "$render_only" = true ]; then
  cat "$work/rendered.yaml"
  exit 0
fi
log "rendered $(grep -c '^kind:' "$work/rendered.yaml") objects from overlays/$overlay${tag:+ with $image:$tag}"

# Job templates are immutable: remove the previous runs so the new image's Jobs can be created.
kubectl -n "$NAMESPACE" delete job taskstream-migrate taskstream-kafka-topics --ignore-not-found --wait=true

log "applying"
kubectl apply -f "$work/rendered.yaml"

log "waiting for the topics and migration Jobs"
kubectl -n "$NAMESPACE" wait --for=condition=complete job/taskstream-kafka-topics --timeout=5m
kubectl -n "$NAMESPACE" wait --for=condition=complete job/taskstream-migrate --timeout=10m

failed=""
for role in $roles; do
  log "rollout: taskstream-$role"
  if ! kubectl -n "$NAMESPACE" rollout status "deployment/taskstream-$role" --timeout="$timeout"; then
    failed="$failed $role"
  fi
done

if [ -n "$failed" ]; then
  printf 'rollout failed for:%s\n' "$failed" >&2
  kubectl -n "$NAMESPACE" get pods -o wide >&2 || true
  if [ "$rollback" = true ]; then
    for role in $roles; do
      log "rolling back taskstream-$role"
      kubectl -n "$NAMESPACE" rollout undo "deployment/taskstream-$role" || true
    done
    for role in $roles; do
      kubectl -n "$NAMESPACE" rollout status "deployment/taskstream-$role" --timeout="$timeout" || true
    done
  fi
  exit 1
fi

if kubectl get crd prometheusrules.monitoring.coreos.com >/dev/null 2>&1; then
  log "applying dashboards, alerts and scrape targets"
  kubectl apply -k "$root/deploy/observability"
fi
log "Taskstream is running (overlay $overlay)"
