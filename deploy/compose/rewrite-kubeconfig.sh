#!/bin/sh
# k3s writes a kubeconfig for 127.0.0.1; the other containers reach it as "k3s".
set -eu
while [ ! -s /output/kubeconfig.yaml ]; do sleep 1; done
sed 's#https://127.0.0.1:6443#https://k3s:6443#' /output/kubeconfig.yaml > /output/kubeconfig-compose.yaml
chmod 644 /output/kubeconfig-compose.yaml
