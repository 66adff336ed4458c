#!/bin/sh
# Applies the demo mesh (workloads, services, Istio objects) and the dashboard's namespace for history.
set -eu
export KUBECONFIG=/output/kubeconfig-compose.yaml
kubectl apply -f /deploy/demo/namespaces.yaml
kubectl apply -f /deploy/demo/workloads.yaml
kubectl apply -f /deploy/demo/istio.yaml
kubectl -n myapp rollout status deployment/myapp-v1 --timeout=300s
