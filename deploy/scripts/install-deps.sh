#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Installs Taskstream's cluster dependencies from their official Helm charts:
#   cert-manager, Dapr (with its scheduler, for the Jobs API), ingress-nginx (minikube, kind, oke),
#   Redpanda (minikube, kind), kube-prometheus-stack, Loki, Tempo and Alloy.
# Usage: deploy/scripts/install-deps.sh <minikube|kind|aks|gke|oke>
# Environment: ACME_EMAIL (cloud targets: Let's Encrypt account), SKIP_OBSERVABILITY=1 (CI).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

target="${1:-}"
[ -n "$target" ] || die "usage: $0 <$(echo "$OVERLAYS" | tr ' ' '|')>"
overlay_for "$target" >/dev/null
require helm kubectl
values="$(repo_root)/deploy/scripts/values"

helm_install() { # release chart namespace [helm args...]
  local release="$1" chart="$2" namespace="$3"
  shift 3
  log "helm: $release ($chart) in $namespace"
  helm upgrade --install "$release" "$chart" --namespace "$namespace" --create-namespace \
    --wait --timeout 10m "$@"
}

log "Helm repositories"
helm repo add jetstack https://charts.jetstack.io --force-update >/dev/null
helm repo add dapr https://dapr.github.io/helm-charts/ --force-update >/dev/null
helm repo add ingress-nginx https://kubernetes.github.io/ingress-nginx --force-update >/dev/null
helm repo add redpanda https://charts.redpanda.com --force-update >/dev/null
helm repo add prometheus-community https://prometheus-community.github.io/helm-charts --force-update >/dev/null
helm repo add grafana https://grafana.github.io/helm-charts --force-update >/dev/null
helm repo update >/dev/null

helm_install cert-manager jetstack/cert-manager cert-manager \
  --version "$CERT_MANAGER_VERSION" --set crds.enabled=true

# Dapr: HA control plane in the cloud; the scheduler keeps reminder jobs in etcd on a persistent volume
# (the default 1Gi fills up: contract §10 #14). kind runs it in memory (CI: jobs need not survive).
dapr_args=(--version "$DAPR_VERSION")
case "$target" in
  kind) dapr_args+=(--set dapr_scheduler.cluster.inMemoryStorage=true) ;;
  minikube) ;;
  *) dapr_args+=(--set global.ha.enabled=true
    --set dapr_scheduler.cluster.storageSize=16Gi --set dapr_scheduler.etcdSpaceQuota=16Gi) ;;
esac
helm_install dapr dapr/dapr dapr-system "${dapr_args[@]}"

case "$target" in
  minikube | kind)
    helm_install ingress-nginx ingress-nginx/ingress-nginx ingress-nginx \
      --version "$INGRESS_NGINX_VERSION" -f "$values/ingress-nginx.yaml"
    redpanda_args=(-f "$values/redpanda-dev.yaml")
    if [ -n "$REDPANDA_CHART_VERSION" ]; then redpanda_args+=(--version "$REDPANDA_CHART_VERSION"); fi
    helm_install redpanda redpanda/redpanda redpanda "${redpanda_args[@]}"
    ;;
  oke)
    helm_install ingress-nginx ingress-nginx/ingress-nginx ingress-nginx \
      --version "$INGRESS_NGINX_VERSION" -f "$values/ingress-nginx.yaml" -f "$values/ingress-nginx-oke.yaml"
    ;;
  aks) log "AKS: ingress comes from the application routing add-on (az aks approuting enable)" ;;
  gke) log "GKE: ingress comes from GKE Ingress (the gce class); nothing to install" ;;
esac

if [ "$target" != minikube ] && [ "$target" != kind ]; then
  [ -n "${ACME_EMAIL:-}" ] || die "ACME_EMAIL is required for the Let's Encrypt ClusterIssuer"
  case "$target" in
    aks) solver_class=webapprouting.kubernetes.azure.com ;;
    gke) solver_class=gce ;;
    *) solver_class=nginx ;;
  esac
  log "ClusterIssuer letsencrypt (HTTP-01 through $solver_class)"
  kubectl apply -f - <<YAML
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: letsencrypt
spec:
  acme:
    server: https://acme-v02.api.letsencrypt.org/directory
    email: ${ACME_EMAIL}
    privateKeySecretRef:
      name: letsencrypt-account
    solvers:
      - http01:
          ingress:
            ingressClassName: ${solver_class}
YAML
fi

if [ "${SKIP_OBSERVABILITY:-}" = 1 ]; then
  log "observability stack skipped (SKIP_OBSERVABILITY=1)"
  exit 0
fi
helm_install kube-prometheus-stack prometheus-community/kube-prometheus-stack monitoring \
  --version "$KUBE_PROMETHEUS_STACK_VERSION" -f "$values/kube-prometheus-stack.yaml"
helm_install loki grafana/loki monitoring --version "$LOKI_VERSION" -f "$values/loki.yaml"
helm_install tempo grafana/tempo monitoring --version "$TEMPO_VERSION"
# Alloy collects pod logs into Loki and receives OTLP traces (app and Dapr sidecars) for Tempo.
kubectl create namespace observability --dry-run=client -o yaml | kubectl apply -f -
helm_install alloy grafana/alloy observability --version "$ALLOY_VERSION" -f "$values/alloy.yaml"
log "dependencies installed for $target"
