package rtsp

import (
	"testing"

	"github.com/bluenviron/gortsplib/v4/pkg/base"
)

// TestHalveSessionTimeout: gortsplib sends keepalives at 80 % of the
// timeout it reads from the Session header; the hook halves it first, so a
// camera announcing timeout=20 gets one every 8 s and a refused
// GET_PARAMETER still leaves time for an OPTIONS (issue 5, case 15).
func TestHalveSessionTimeout(t *testing.T) {
	tests := []struct{ in, want string }{
		{"12345678;timeout=20", "12345678;timeout=10"},
		{"12345678;timeout=60;foo=bar", "12345678;timeout=30;foo=bar"},
		{"12345678; Timeout=21", "12345678; timeout=10"},
		{"12345678;timeout=1", "12345678;timeout=1"}, // nothing shorter to give
		{"12345678", "12345678"},
		{"12345678;timeout=abc", "12345678;timeout=abc"},
	}
	for _, tc := range tests {
		res := &base.Response{Header: base.Header{"Session": base.HeaderValue{tc.in}}}
		halveSessionTimeout(res)
		if got := res.Header["Session"][0]; got != tc.want {
			t.Errorf("%q → %q, want %q", tc.in, got, tc.want)
		}
	}
}
