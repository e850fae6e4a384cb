package server

import (
	"strings"
	"testing"

	"github.com/vms-project/vms/internal/relay"
)

func TestRedactAddrs(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"dial ipv4", "dial tcp 127.0.0.1:554: connect: connection refused", "dial tcp camera address: connect: connection refused"},
		{"ipv4 alone", "no route to host 10.1.2.3", "no route to host camera address"},
		{"ipv6 bracketed", "dial tcp [fe80::1%eth0]:8554: i/o timeout", "dial tcp camera address: i/o timeout"},
		{"ipv6 bare", "read udp fe80::1: timeout", "read udp camera address: timeout"},
		{"loopback ipv6", "dial tcp [::1]:554: refused", "dial tcp camera address: refused"},
		{"host and port", "dial tcp cam-7.lan.example:554: i/o timeout", "dial tcp camera address: i/o timeout"},
		{"lookup", "dial tcp: lookup cam.example.com on 127.0.0.53:53: no such host", "dial tcp: lookup camera address on camera address: no such host"},
		{"url", "camera has no stream at this path (rtsp://10.0.0.5:554/Streaming/101)", "camera has no stream at this path (camera address)"},
		{"two addresses", "udp 10.0.0.1:6000 and 10.0.0.2:6001", "udp camera address and camera address"},
		{"nothing to hide", "camera rejected the user name or password", "camera rejected the user name or password"},
		{"h264 words", "no H.264 or H.265 video; 461 Unsupported Transport", "no H.264 or H.265 video; 461 Unsupported Transport"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := redactAddrs(tt.in); got != tt.want {
				t.Errorf("redactAddrs(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRedactStatus(t *testing.T) {
	st := relay.Status{State: relay.StateOffline, Reason: "dial tcp 192.168.1.64:554: connect: connection refused",
		Warnings: []string{"camera 192.168.1.64 sent ssrc changes", "fine"}}
	got, ok := redactStatus(st).(relay.Status)
	if !ok {
		t.Fatalf("redactStatus returned %T", redactStatus(st))
	}
	all := got.Reason + strings.Join(got.Warnings, " ")
	if strings.Contains(all, "192.168") || !strings.Contains(got.Reason, "camera address") || got.Warnings[1] != "fine" || got.State != st.State {
		t.Errorf("redacted %+v", got)
	}
	if !strings.Contains(st.Warnings[0], "192.168.1.64") {
		t.Errorf("redactStatus changed its argument: %q", st.Warnings)
	}
	if m := map[string]string{"state": "idle"}; redactStatus(m).(map[string]string)["state"] != "idle" {
		t.Error("idle status not passed through")
	}
}
