#!/bin/sh
# Installs Istio's Prometheus add-on (samples/addons/prometheus.yaml of the Istio release in use), which scrapes every
# sidecar's Istio metrics, and opens it on a fixed node port so the dashboard container reaches it as k3s:30090.
set -eu
export KUBECONFIG=/output/kubeconfig-compose.yaml
kubectl apply -f https://raw.githubusercontent.com/istio/istio/release-1.27/samples/addons/prometheus.yaml
kubectl -n istio-system patch service prometheus --type merge -p '{"spec":{"type":"NodePort","ports":[{"name":"http","port":9090,"targetPort":9090,"nodePort":30090}]}}'
kubectl -n istio-system rollout status deployment/prometheus --timeout=300s
