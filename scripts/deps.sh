#!/usr/bin/env bash
# Installs the Debian packages that vms's tests need beyond Go, on Debian 12.
# Idempotent: installs only what is missing, and runs `apt-get update` only
# when something must be installed. Run as root, or as a user with sudo.
#
#   scripts/deps.sh                  GStreamer RTSP test camera (internal/testcam)
#   scripts/deps.sh --with-browser   … plus Chromium for the browser tests
#   scripts/deps.sh --dry-run        print what would be installed, change nothing
#
# The README's test command runs it with --with-browser. ffmpeg is not needed:
# only internal/camsim/clips/make.sh uses it, to regenerate the committed clip.
set -euo pipefail

usage() {
	sed -n '2,11s/^# \{0,1\}//p' "$0"
}

with_browser=0
dry_run=0
for arg in "$@"; do
	case "$arg" in
	--with-browser) with_browser=1 ;;
	--dry-run) dry_run=1 ;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		echo "deps.sh: unknown option: $arg" >&2
		usage >&2
		exit 2
		;;
	esac
done

packages=(
	python3-gi                 # Python bindings, run as /usr/bin/python3
	gir1.2-gst-rtsp-server-1.0 # GstRtspServer for internal/testcam/gstcam.py
	gstreamer1.0-plugins-base  # videotestsrc, audiotestsrc, timeoverlay, opusenc
	gstreamer1.0-plugins-good  # rtph264pay, rtph265pay, alaw/mulaw, rtpmp4gpay
	gstreamer1.0-plugins-bad   # x265enc, voaacenc
	gstreamer1.0-plugins-ugly  # x264enc
	gstreamer1.0-x             # timeoverlay (the clock burnt into the test picture)
	gstreamer1.0-tools         # gst-inspect-1.0, gst-launch-1.0, for debugging
)
if [ "$with_browser" = 1 ]; then
	packages+=(chromium) # headless browser tests (chromedp)
fi

installed() {
	# `dpkg -s` also reports removed-but-configured packages; require "installed".
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

missing=()
for pkg in "${packages[@]}"; do
	if installed "$pkg"; then
		continue
	fi
	# A Chromium found on PATH (another packaging of it) is good enough.
	if [ "$pkg" = chromium ] && command -v chromium >/dev/null 2>&1; then
		continue
	fi
	missing+=("$pkg")
done

if [ "${#missing[@]}" -eq 0 ]; then
	echo "deps.sh: all ${#packages[@]} packages already installed"
	exit 0
fi
echo "deps.sh: installing: ${missing[*]}"
if [ "$dry_run" = 1 ]; then
	exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "deps.sh: must run as root (sudo not found)" >&2
		exit 1
	fi
	sudo=(sudo)
fi

apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get)
"${apt[@]}" update -q
"${apt[@]}" install -y -q --no-install-recommends "${missing[@]}"
echo "deps.sh: installed: ${missing[*]}"
