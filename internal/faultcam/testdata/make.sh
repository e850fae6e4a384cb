#!/usr/bin/env bash
# Regenerates the fault camera's fixtures. Not run by tests or CI: the files are
# committed (each well under 1 MB). Needs Debian 12's ffmpeg 5.1 (libx264,
# libx265). Every video clip is Annex-B with an access-unit delimiter before
# each frame and the parameter sets before each keyframe, starts on a
# keyframe, and holds a whole number of GOPs so that looping it restarts on a
# keyframe. The camera paces frames itself (25 fps unless a test says
# otherwise); the files carry no timestamps.
set -euo pipefail
cd "$(dirname "$0")"

ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
src() { echo "testsrc2=size=$1:rate=25"; }

# h264_360p.h264: the workhorse. 640x360 constrained baseline, no B-frames,
# 100 frames = 4 GOPs of 25 (one keyframe per second), ≈ 500 kbit/s.
ff -f lavfi -i "$(src 640x360)" -frames:v 100 \
	-c:v libx264 -preset veryfast -profile:v baseline -pix_fmt yuv420p \
	-bf 0 -g 25 -keyint_min 25 -sc_threshold 0 -b:v 500k -maxrate 600k -bufsize 600k \
	-x264-params aud=1:repeat-headers=1 -f h264 h264_360p.h264

# h264_longgop.h264: 320x240, 200 frames and a single keyframe, so a looping
# camera sends one keyframe every 8 s (case 18, late joiners).
ff -f lavfi -i "$(src 320x240)" -frames:v 200 \
	-c:v libx264 -preset veryfast -profile:v baseline -pix_fmt yuv420p \
	-bf 0 -g 200 -keyint_min 200 -sc_threshold 0 -b:v 150k -maxrate 200k -bufsize 200k \
	-x264-params aud=1:repeat-headers=1 -f h264 h264_longgop.h264

# h264_bframes.h264: High profile with 2 B-frames (case 5), 640x360, 2 GOPs.
ff -f lavfi -i "$(src 640x360)" -frames:v 50 \
	-c:v libx264 -preset veryfast -profile:v high -pix_fmt yuv420p \
	-bf 2 -b_strategy 0 -g 25 -keyint_min 25 -sc_threshold 0 -b:v 500k \
	-x264-params aud=1:repeat-headers=1 -f h264 h264_bframes.h264

# h264_4k.h264: 3840x2160 High, a static scene: one ≈ 300 KB keyframe (a
# 25 Mbit/s 4K camera's IDR) and 3 tiny P-frames; looping gives a keyframe
# every 4 frames (case 7, huge keyframes; case 19, rare huge keyframes).
ff -f lavfi -i "testsrc2=size=3840x2160:rate=25,trim=end_frame=1,loop=loop=3:size=1:start=0" -frames:v 4 \
	-c:v libx264 -preset ultrafast -profile:v high -pix_fmt yuv420p \
	-bf 0 -g 4 -keyint_min 4 -sc_threshold 0 -qp 26 \
	-x264-params aud=1:repeat-headers=1 -f h264 h264_4k.h264

# h265_360p.h265: H.265 Main, 640x360, 50 frames = 2 GOPs (case 4).
ff -f lavfi -i "$(src 640x360)" -frames:v 50 \
	-c:v libx265 -preset veryfast -pix_fmt yuv420p \
	-x265-params "keyint=25:min-keyint=25:scenecut=0:bframes=0:aud=1:repeat-headers=1:log-level=error" \
	-b:v 400k -f hevc h265_360p.h265

# Audio (case 17): 2 s of a 440 Hz tone as raw G.711 μ-law at 8 kHz, raw
# G.711 A-law at 16 kHz (not playable in browsers), and AAC-LC in ADTS.
ff -f lavfi -i "sine=frequency=440:sample_rate=8000:duration=2" -ac 1 -c:a pcm_mulaw -f mulaw pcmu_8k.raw
ff -f lavfi -i "sine=frequency=440:sample_rate=16000:duration=2" -ac 1 -c:a pcm_alaw -f alaw pcma_16k.raw
ff -f lavfi -i "sine=frequency=440:sample_rate=16000:duration=2" -ac 1 -c:a aac -b:a 32k -f adts aac_16k.adts

ls -l
