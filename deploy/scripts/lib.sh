#!/usr/bin/env bash
# Shared helpers for the deploy scripts (sourced, not run).

# Pinned versions of the cluster dependencies (Dapr >= 1.18.3: stable Jobs API and the scheduler fixes that
# reminders rely on, reference/dapr-http-contract.md §0 and §3.7).
export DAPR_VERSION="${DAPR_VERSION:-1.18.3}"
# Chart versions seen in public use at the time of writing; bump them deliberately (docs/operations.md).
export CERT_MANAGER_VERSION="${CERT_MANAGER_VERSION:-v1.18.2}"
export INGRESS_NGINX_VERSION="${INGRESS_NGINX_VERSION:-4.12.3}"
# The Redpanda chart repository changed its versioning (chart versions now follow Redpanda's); empty = latest.
export REDPANDA_CHART_VERSION="${REDPANDA_CHART_VERSION:-}"
export KUBE_PROMETHEUS_STACK_VERSION="${KUBE_PROMETHEUS_STACK_VERSION:-69.4.1}"
export LOKI_VERSION="${LOKI_VERSION:-6.29.0}"
export ALLOY_VERSION="${ALLOY_VERSION:-1.13.0}"
export TEMPO_VERSION="${TEMPO_VERSION:-1.24.4}"

export NAMESPACE="${NAMESPACE:-taskstream}"
export OVERLAYS="minikube kind aks gke oke"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

require() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is required but not on PATH"
  done
}

# The overlay a cluster kind deploys (kind reuses the minikube overlay: both run everything in-cluster).
overlay_for() {
  case "$1" in
    minikube | kind) echo minikube ;;
    aks | gke | oke) echo "$1" ;;
    *) die "unknown target '$1' (expected one of: $OVERLAYS)" ;;
  esac
}

repo_root() {
  local here
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  (cd "$here/../.." && pwd)
}
