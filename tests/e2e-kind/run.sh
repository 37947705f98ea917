#!/usr/bin/env bash
# wspool on a real cluster: a kind cluster, the CRD, the Helm chart with images built from this checkout, every
# example pool Ready, every invalid example rejected by the API server. `make e2e-kind` and
# .github/workflows/e2e-kind.yml both run this script; it needs Docker, kind, kubectl, helm, openssl and internet
# access (node image, Gateway API CRDs, the redis/haproxy/nginx images the pools run).
#
# Settings (environment):
#   KIND_CLUSTER        cluster name (wspool-e2e); an existing cluster of that name is deleted first
#   KIND_NODE_IMAGE     node image; the default is the Kubernetes 1.36 image built for kind v0.33.0
#   GATEWAY_API_VERSION Gateway API release whose experimental channel is installed (v1.5.1)
#   WAIT_TIMEOUT        how long pools may take to become Ready (5m)
#   KEEP_CLUSTER=1      keep the cluster afterwards (to look around: kubectl config use-context kind-wspool-e2e)
set -euo pipefail
cd "$(dirname "$0")/../.."

CLUSTER=${KIND_CLUSTER:-wspool-e2e}
# From the kind v0.33.0 release notes: use the digest, a tag alone may point at an image built for another release.
DEFAULT_NODE_IMAGE=kindest/node:v1.36.4@sha256:099e049362a1526b2db71494e1947aae99bd16290d7c895f2b7ea312e3cbfaed
NODE_IMAGE=${KIND_NODE_IMAGE:-$DEFAULT_NODE_IMAGE}
GATEWAY_API_VERSION=${GATEWAY_API_VERSION:-v1.5.1}
WAIT_TIMEOUT=${WAIT_TIMEOUT:-5m}
VERSION=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' charts/wspool-operator/Chart.yaml)
OPERATOR_IMAGE=ghcr.io/wspool/wspool-operator:$VERSION # the chart's default image (tag = appVersion)
CHAT_IMAGE=ghcr.io/wspool/chat-server:0.1.0            # the image examples/chat.yaml runs
CONTEXT=kind-$CLUSTER

step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'e2e-kind: FAILED: %s\n' "$*" >&2; exit 1; }
k() { kubectl --context "$CONTEXT" "$@"; }
# kubectl wait fails at once, instead of waiting, on an object whose status has no conditions yet (a CRD or a pool
# created a moment ago: ".status.conditions accessor error"); retry it for up to 3 more minutes.
k_wait() {
  local until=$((SECONDS + 180))
  until k wait "$@"; do
    [ "$SECONDS" -lt "$until" ] || return 1
    sleep 2
  done
}

for tool in docker kind kubectl helm openssl; do
  command -v "$tool" >/dev/null || { echo "e2e-kind: $tool is not installed" >&2; exit 2; }
done
if [ "$NODE_IMAGE" = "$DEFAULT_NODE_IMAGE" ] && ! kind version | grep -q ' v0\.33\.'; then
  echo "e2e-kind: warning: $(kind version) with a node image built for kind v0.33.0; set KIND_NODE_IMAGE if it fails" >&2
fi

diagnostics() {
  step "diagnostics"
  k get websocketpools -A -o wide || true
  k get websocketpools -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}{"\n"}{range .status.conditions[*]}  {.type}={.status} {.reason}: {.message}{"\n"}{end}{end}' || true
  k get pods -A -o wide || true
  k -n wspool-system logs deployment/wspool-wspool-operator --all-containers --tail=200 || true
  k get events -A --sort-by=.lastTimestamp | tail -60 || true
}
finish() {
  local status=$?
  [ "$status" -eq 0 ] || diagnostics
  if [ "${KEEP_CLUSTER:-0}" = 1 ]; then echo "kept cluster $CLUSTER (kind delete cluster --name $CLUSTER)"
  else kind delete cluster --name "$CLUSTER" >/dev/null 2>&1 || true; fi
  [ "$status" -eq 0 ] && echo "e2e-kind: passed"
  exit "$status"
}
trap finish EXIT

step "cluster $CLUSTER ($NODE_IMAGE)"
kind delete cluster --name "$CLUSTER" >/dev/null 2>&1 || true
kind create cluster --name "$CLUSTER" --image "$NODE_IMAGE" --wait 180s
k version

step "images: $OPERATOR_IMAGE, $CHAT_IMAGE"
docker build -f src/WsPool.Operator/Dockerfile -t "$OPERATOR_IMAGE" .
docker build -f examples/chat-server/Dockerfile -t "$CHAT_IMAGE" .
kind load docker-image --name "$CLUSTER" "$OPERATOR_IMAGE" "$CHAT_IMAGE"

step "CRD and chart"
k apply --server-side -k crds/
k_wait --for=condition=Established crd/websocketpools.wspool.dev --timeout=60s
helm --kube-context "$CONTEXT" install wspool charts/wspool-operator -n wspool-system --create-namespace \
  --wait --timeout 5m
k -n wspool-system get pods -o wide

step "invalid examples are rejected by the API server"
for f in examples/invalid/*.yaml; do
  if out=$(k apply --server-side --dry-run=server -f "$f" 2>&1); then fail "$f was accepted: $out"; fi
  # A validation error (422 'is invalid'), not a missing namespace or CRD.
  grep -q 'is invalid' <<<"$out" || fail "$f was refused for another reason: $out"
  printf 'rejected: %s\n%s\n' "$f" "$out"
done

step "example pools (before the Gateway API is installed)"
sed -n 's/^  namespace: *//p' examples/*.yaml | sort -u | while read -r ns; do
  k create namespace "$ns" --dry-run=client -o yaml | k apply -f -
done
# examples/chat.yaml terminates TLS at its balancer with this Secret.
tls=$(mktemp -d)
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=chat.example.com" \
  -keyout "$tls/tls.key" -out "$tls/tls.crt" 2>/dev/null
k -n chat create secret tls chat-tls --cert "$tls/tls.crt" --key "$tls/tls.key"
rm -rf "$tls"
# The examples' own backend images (ghcr.io/example/...) are placeholders: run the sample backend in their place,
# and shrink CPU requests to fit a CI runner's 2-4 cores. Everything else is applied as written.
for f in examples/*.yaml; do
  sed -E -e "s#image: ghcr\.io/example/[^ ]+#image: $CHAT_IMAGE#" -e 's/cpu: [0-9]+m/cpu: 10m/' "$f" \
    | k apply --server-side -f -
done

gateway_pools=$(k get websocketpools -A \
  -o jsonpath='{range .items[?(@.spec.balancer.type=="Gateway")]}{.metadata.namespace}/{.metadata.name}{" "}{end}')
if ! k get crd httproutes.gateway.networking.k8s.io >/dev/null 2>&1; then
  step "Gateway pools name the missing Gateway API: $gateway_pools"
  for p in $gateway_pools; do
    k_wait -n "${p%%/*}" "websocketpool/${p#*/}" --timeout=2m \
      --for=jsonpath='{.status.conditions[?(@.type=="Degraded")].reason}'=GatewayAPIMissing
    k -n "${p%%/*}" get "websocketpool/${p#*/}" \
      -o jsonpath='{.status.conditions[?(@.type=="Degraded")].message}{"\n"}'
  done
  step "install the Gateway API $GATEWAY_API_VERSION (experimental channel: HTTPRoute sessionPersistence)"
  k apply --server-side \
    -f "https://github.com/kubernetes-sigs/gateway-api/releases/download/$GATEWAY_API_VERSION/experimental-install.yaml"
  k_wait --for=condition=Established crd/httproutes.gateway.networking.k8s.io --timeout=60s
fi

step "every pool Ready (the Gateway pools recover by themselves)"
k_wait --for=condition=Ready websocketpool --all --all-namespaces --timeout="$WAIT_TIMEOUT"
k get websocketpools -A -o wide
for p in $gateway_pools; do k -n "${p%%/*}" get "httproute/${p#*/}"; done
