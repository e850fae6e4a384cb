package rtsp

import (
	"errors"
	"testing"
)

// TestRedactErr: passwords never survive in an error text, and short ones
// do not garble it ("401" stays "401" for the password "1").
func TestRedactErr(t *testing.T) {
	tests := []struct {
		name string
		src  Source
		in   string
		want string
	}{
		{"field password in free text", Source{Password: "p@ss:w/rd"}, "auth failed for p@ss:w/rd", "auth failed for ***"},
		{"escaped password", Source{Password: "p@ss w"}, "GET rtsp://h/x?pw=p%40ss+w", "GET rtsp://h/x?pw=***"},
		{"URL userinfo", Source{URL: "rtsp://admin:s3cret-pw@10.0.0.5/x"}, "dial rtsp://admin:s3cret-pw@10.0.0.5/x: refused", "dial rtsp://admin:***@10.0.0.5/x: refused"},
		{"short password keeps the status code", Source{URL: "rtsp://127.0.0.1:1@127.0.0.1:8554/x", Password: "1"},
			"camera rejected the user name or password (401 Unauthorized)", "camera rejected the user name or password (401 Unauthorized)"},
		{"short password inside a URL is still hidden", Source{Password: "1"}, "describe rtsp://u:1@h/x: 401", "describe rtsp://u:***@h/x: 401"},
		{"nothing to hide", Source{Password: "secret-pw"}, "connection refused", "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := redactErr(errors.New(tt.in), tt.src).Error(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
