#!/usr/bin/env bash
# Regenerates demo.h264, the clip that the built-in camera simulator loops.
# Not run by tests or CI: the clip is committed. Needs ffmpeg (Debian 12: ffmpeg 5.1
# with libx264) and the DejaVu fonts (fonts-dejavu-core) for the overlay.
#
# Properties the simulator relies on:
#   - Annex-B H.264, 1280x720, 25 fps, constrained baseline (no B-frames),
#   - 250 frames = 10 s = exactly 5 GOPs of 50, so the loop restarts on an IDR,
#   - an access-unit delimiter before every frame (aud=1) and SPS/PPS before
#     every IDR (repeat-headers=1),
#   - under 1 MB (≈ 600 kbit/s).
set -euo pipefail
cd "$(dirname "$0")"

font=/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf
overlay=""
if [ -f "$font" ]; then
	# Frame number and clip time, big enough to read on a small tile.
	overlay=",drawtext=fontfile=${font}:text='vms demo  frame %{eif\:n\:d\:3}  t=%{pts\:hms}':x=40:y=h-90:fontsize=48:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=12"
fi

ffmpeg -hide_banner -loglevel error -y \
	-f lavfi -i "testsrc2=size=1280x720:rate=25${overlay}" \
	-frames:v 250 \
	-c:v libx264 -preset medium -profile:v baseline -level:v 3.1 -pix_fmt yuv420p \
	-bf 0 -g 50 -keyint_min 50 -sc_threshold 0 \
	-b:v 600k -maxrate 800k -bufsize 800k \
	-x264-params aud=1:repeat-headers=1 \
	-f h264 demo.h264

ls -l demo.h264
