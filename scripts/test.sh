#!/usr/bin/env bash
# Runs every test of vms: installs what the tests need (GStreamer's RTSP
# server for the independent test camera, Chromium for the browser tests),
# vets, runs the whole suite with the race detector against real cameras,
# real WebRTC viewers, headless Chromium and real SQLite files, then runs
# each fuzz target briefly.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh --with-browser

# Tests relay 4K keyframes (≈250 datagrams in a burst) to pion viewers
# that ask for 1 MB socket buffers; Linux caps them at rmem_max, 208 KB
# by default. Raise it when we may (root); a failure only means the
# default stays.
if [ "$(cat /proc/sys/net/core/rmem_max 2>/dev/null || echo 0)" -lt 4194304 ] && [ "$(id -u)" -eq 0 ]; then
	sysctl -q -w net.core.rmem_max=4194304 2>/dev/null || true
fi

# Missing dependencies fail the run instead of skipping tests.
export VMS_REQUIRE_GSTREAMER=1 VMS_REQUIRE_BROWSER=1
go vet ./...
# One package at a time (-p 1): the relay's and the browser's tests each
# load both cores with real cameras, viewers and Chromium; run together
# on a 2-core machine they starve each other's timeouts. ≈6 minutes.
go test -race -count=1 -p 1 -timeout 20m ./...

# Fuzz each target for a short while (longer runs: FUZZTIME=5m make test).
fuzztime="${FUZZTIME:-10s}"
grep -rl --include='*_test.go' '^func Fuzz' internal | while read -r file; do
	pkg="./$(dirname "$file")"
	for name in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | sed 's/^func //'); do
		echo "fuzz $pkg $name ($fuzztime)"
		go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg"
	done
done
echo "all tests passed"
