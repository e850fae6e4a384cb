#!/usr/bin/env bash
# Reproduces docs/benchmarks.md: a GStreamer camera (720p, 25 fps, 2 Mbit/s,
# GOP 2 s) in its own process, `vms serve` with that camera always pulled,
# and `vms bench` opening N WHEP viewers (N from $NS, default 1 10 100 200),
# $RUNS runs each (default 3). Needs scripts/deps.sh first. Ports: $CAM_PORT
# (8654), $HTTP_PORT (18081), $ICE_PORT (18190), all on 127.0.0.1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
cam_port="${CAM_PORT:-8654}" http_port="${HTTP_PORT:-18081}" ice_port="${ICE_PORT:-18190}"
base="http://127.0.0.1:$http_port"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/vms" "$root/cmd/vms"
cd "$work"
/usr/bin/python3 "$root/internal/testcam/gstcam.py" --port "$cam_port" --width 1280 --height 720 --fps 25 --bitrate 2000 --gop 50 >cam.log 2>&1 &
pids+=($!)
password="bench-admin-password"
srv=""
start_server() {
	VMS_HTTP_LISTEN="127.0.0.1:$http_port" VMS_WEBRTC_PORT="$ice_port" VMS_DATABASE_PATH="$work/data/vms.db" \
		VMS_LOG_LEVEL=warn VMS_METRICS_PUBLIC=true VMS_ADMIN_PASSWORD="$password" \
		"$work/vms" serve >>serve.out 2>>serve.err &
	srv=$!
	pids+=("$srv")
	for _ in $(seq 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
}
stop_server() {
	kill "$srv"
	wait "$srv" 2>/dev/null || true
}
start_server
token=$(curl -sf -X POST "$base/api/v1/login" -H 'Content-Type: application/json' \
	-d "{\"username\":\"admin\",\"password\":\"$password\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
id=$(curl -sf -X POST "$base/api/v1/cameras" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
	-d "{\"name\":\"bench\",\"unit_code\":\"703\",\"rtsp_url\":\"rtsp://127.0.0.1:$cam_port/cam\",\"transport\":\"tcp\",\"on_demand\":false}" |
	sed -n 's/^{"id":\([0-9]*\).*/\1/p')
stop_server
# Every run gets a fresh server, so that its no-viewer baseline (CPU and Go
# heap) is not the previous run's garbage.
for n in ${NS:-1 10 100 200}; do
	for run in $(seq "${RUNS:-3}"); do
		start_server
		sleep 4 # the always-on camera connects and fills its keyframe cache
		echo "=== N=$n run=$run camera $id: $(curl -sf "$base/api/v1/cameras/$id" -H "Authorization: Bearer $token" | grep -o '"state":"[a-z]*"')"
		"$work/vms" bench --url "$base/api/v1/cameras/$id/whep" --token "$token" -n "$n" --duration 15s --ramp 10ms 2>&1
		stop_server
	done
done
