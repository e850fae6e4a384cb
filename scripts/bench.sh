#!/usr/bin/env bash
# Reproduces docs/benchmarks.md: a GStreamer camera (720p, 25 fps, 2 Mbit/s,
# GOP 2 s) in its own process, `vms serve` with that camera always pulled,
# and `vms bench` opening N WHEP viewers (N from $NS, default 1 10 100 200),
# three runs each. Needs scripts/deps.sh first. Uses ports 8654, 18081, 18190.
set -u
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
go build -o "$work/vms" "$root/cmd/vms"
cd "$work"
/usr/bin/python3 "$root/internal/testcam/gstcam.py" --port 8654 --width 1280 --height 720 --fps 25 --bitrate 2000 --gop 50 > cam.log 2>&1 &
CAM=$!
sleep 3
export VMS_HTTP_LISTEN=127.0.0.1:18081 VMS_WEBRTC_PORT=18190 VMS_DATABASE_PATH="$work/data/vms.db" VMS_LOG_LEVEL=warn
"$work/vms" serve > serve.out 2> serve.err &
SRV=$!
sleep 2
curl -s -X POST localhost:18081/api/v1/cameras -H 'Content-Type: application/json' -d '{"name":"bench","unit_code":"703","rtsp_url":"rtsp://127.0.0.1:8654/cam","transport":"tcp","on_demand":false}' > /dev/null
sleep 4
for n in ${NS:-1 10 100 200}; do
  for run in 1 2 3; do
    echo "=== N=$n run=$run"
    "$work/vms" bench --url http://127.0.0.1:18081/api/v1/cameras/1/whep -n $n --duration 15s --ramp 10ms 2>&1
    sleep 3
  done
done
kill $SRV $CAM
rm -rf "$work"
