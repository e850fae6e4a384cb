package testcam

import (
	_ "embed" // the camera script
	"os"
	"path/filepath"
	"testing"
)

//go:embed gstcam.py
var script []byte

// python is Debian's interpreter, which has gi; the python3 first on PATH
// may be another one without it.
const python = "/usr/bin/python3"

// requireEnv names the variable that turns missing dependencies into a
// failure instead of a skip.
const requireEnv = "VMS_REQUIRE_GSTREAMER"

var (
	codecs = map[string]bool{"h264": true, "h265": true}
	audios = map[string]bool{"": true, "pcma": true, "pcmu": true, "opus": true, "aac": true}
)

func withDefaults(t testing.TB, o Options) Options {
	t.Helper()
	if o.Width == 0 && o.Height == 0 {
		o.Width, o.Height = 1280, 720
	}
	if o.FPS == 0 {
		o.FPS = 25
	}
	if o.BitrateKbps == 0 {
		o.BitrateKbps = 2000
	}
	if o.GOPFrames == 0 {
		o.GOPFrames = 2 * o.FPS
	}
	if o.Codec == "" {
		o.Codec = "h264"
	}
	switch {
	case o.Width <= 0 || o.Height <= 0 || o.Width%2 != 0 || o.Height%2 != 0:
		t.Fatalf("testcam: size %dx%d must be positive and even", o.Width, o.Height)
	case o.FPS < 0 || o.BitrateKbps < 0 || o.GOPFrames < 0:
		t.Fatalf("testcam: FPS, BitrateKbps and GOPFrames must be positive")
	case !codecs[o.Codec]:
		t.Fatalf("testcam: codec %q: want h264 or h265", o.Codec)
	case !audios[o.Audio]:
		t.Fatalf("testcam: audio %q: want \"\", pcma, pcmu, opus or aac", o.Audio)
	}
	return o
}

// writeScript puts the embedded script in a temporary directory, so the
// package works from any test's working directory.
func writeScript(t testing.TB) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "gstcam.py")
	if err := os.WriteFile(p, script, 0o600); err != nil {
		t.Fatalf("testcam: write script: %v", err)
	}
	return p
}

// unavailable skips the test, or fails it when requireEnv is "1".
func unavailable(t testing.TB, why string) {
	t.Helper()
	msg := "testcam: GStreamer RTSP test camera unavailable: " + why +
		" (install with `sudo scripts/deps.sh`; " + requireEnv + "=1 makes this a failure)"
	if os.Getenv(requireEnv) == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}
