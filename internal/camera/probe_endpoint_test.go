package camera

import "testing"

// TestSameEndpoint: the stored password may follow a probe only to the
// stored camera's scheme, host and port.
func TestSameEndpoint(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"identical", "rtsp://10.0.0.1:554/live", "rtsp://10.0.0.1:554/live", true},
		{"other path and query", "rtsp://10.0.0.1:554/sub?ch=2", "rtsp://10.0.0.1:554/live", true},
		{"default rtsp port", "rtsp://10.0.0.1/live", "rtsp://10.0.0.1:554/x", true},
		{"default rtsps port", "rtsps://cam.example:322/a", "rtsps://cam.example/b", true},
		{"host case", "rtsp://CAM.example/a", "rtsp://cam.example/b", true},
		{"scheme case", "RTSP://10.0.0.1/a", "rtsp://10.0.0.1/a", true},
		{"leading zero port", "rtsp://10.0.0.1:0554/a", "rtsp://10.0.0.1/a", true},
		{"ipv6", "rtsp://[fe80::1]:8554/a", "rtsp://[FE80::1]:8554/b", true},
		{"other port", "rtsp://10.0.0.1:8554/live", "rtsp://10.0.0.1:554/live", false},
		{"other host", "rtsp://10.0.0.2:554/live", "rtsp://10.0.0.1:554/live", false},
		{"host prefix", "rtsp://10.0.0.1.evil.example:554/", "rtsp://10.0.0.1:554/", false},
		{"other scheme", "rtsps://10.0.0.1:554/live", "rtsp://10.0.0.1:554/live", false},
		{"rtsp vs rtsps defaults", "rtsps://10.0.0.1/live", "rtsp://10.0.0.1/live", false},
		{"empty stored", "rtsp://10.0.0.1/live", "", false},
		{"both empty", "", "", false},
		{"no port no default", "http://10.0.0.1/a", "http://10.0.0.1/a", false},
		{"unparsable", "rtsp://10.0.0.1:99999/a", "rtsp://10.0.0.1:99999/a", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sameEndpoint(tt.a, tt.b); got != tt.want {
				t.Errorf("sameEndpoint(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}
