package camera

import (
	"errors"
	"strings"
	"testing"

	"github.com/vms-project/vms/internal/httpx"
)

func valid() Camera {
	return Camera{Name: "Ngã tư Trần Phú", UnitCode: "UBND-01", RTSPURL: "rtsp://10.0.0.1:554/live", Transport: "auto", OnDemand: true, Enabled: true}
}

func TestValidate(t *testing.T) {
	fp := strings.Repeat("ab:", 31) + "ab"
	tests := []struct {
		name   string
		edit   func(c *Camera)
		errors []string // "field: message" substrings; none = valid
	}{
		{"valid", func(c *Camera) {}, nil},
		{"rtsps with fingerprint with colons", func(c *Camera) { c.RTSPURL = "rtsps://cam:322/x"; c.TLSFingerprint = strings.ToUpper(fp) }, nil},
		{"empty transport defaults to auto", func(c *Camera) { c.Transport = "" }, nil},
		{"upper-case transport", func(c *Camera) { c.Transport = "TCP" }, nil},
		{"percent-encoded @ in path", func(c *Camera) { c.RTSPURL = "rtsp://h/live%40main" }, nil},
		{"credentials in URL", func(c *Camera) { c.RTSPURL = "rtsp://u:p%40ss@h/x" }, nil},
		{"name required", func(c *Camera) { c.Name = "  " }, []string{"name: required"}},
		{"unit required", func(c *Camera) { c.UnitCode = "" }, []string{"unit_code: required"}},
		{"name too long", func(c *Camera) { c.Name = strings.Repeat("ă", 201) }, []string{"name: at most 200 characters"}},
		{"control character", func(c *Camera) { c.Name = "a\x00b" }, []string{"name: must not contain control characters"}},
		{"url required", func(c *Camera) { c.RTSPURL = "" }, []string{"rtsp_url: required"}},
		{"http scheme", func(c *Camera) { c.RTSPURL = "http://h/x" }, []string{"rtsp_url: scheme must be rtsp or rtsps"}},
		{"no scheme", func(c *Camera) { c.RTSPURL = "10.0.0.1/live" }, []string{"rtsp_url: scheme must be rtsp or rtsps"}},
		{"no host", func(c *Camera) { c.RTSPURL = "rtsp:///live" }, []string{"rtsp_url: host required"}},
		{"opaque", func(c *Camera) { c.RTSPURL = "rtsp:h/live" }, []string{"rtsp_url: host required"}},
		{"bad port", func(c *Camera) { c.RTSPURL = "rtsp://h:0/x" }, []string{"rtsp_url: port must be 1–65535"}},
		{"unencoded % in password", func(c *Camera) { c.RTSPURL = "rtsp://u:50%off@h/" }, []string{"rtsp_url: not a valid URL"}},
		{"unencoded / in password", func(c *Camera) { c.RTSPURL = "rtsp://admin:12/34@h/x" }, []string{"rtsp_url: '@' after the host"}},
		{"unencoded # in password", func(c *Camera) { c.RTSPURL = "rtsp://admin:12#34@h/x" }, []string{"rtsp_url: '@' after the host"}},
		{"fragment", func(c *Camera) { c.RTSPURL = "rtsp://h/x#y" }, []string{"rtsp_url: must not contain '#'"}},
		{"space in path", func(c *Camera) { c.RTSPURL = "rtsp://h/a b" }, []string{"rtsp_url: must not contain spaces"}},
		{"substream checked too", func(c *Camera) { c.SubstreamURL = "http://h/sub" }, []string{"substream_url: scheme must be rtsp or rtsps"}},
		{"transport", func(c *Camera) { c.Transport = "quic" }, []string{"transport: must be auto, tcp or udp"}},
		{"fingerprint not hex", func(c *Camera) { c.RTSPURL = "rtsps://h/x"; c.TLSFingerprint = "zz" }, []string{"tls_fingerprint: must be a SHA-256 digest"}},
		{"fingerprint on rtsp", func(c *Camera) { c.TLSFingerprint = fp }, []string{"tls_fingerprint: only applies to an rtsps:// URL"}},
		{"long password", func(c *Camera) { c.Password = strings.Repeat("x", 257) }, []string{"password: at most 256 bytes"}},
		{"all at once", func(c *Camera) { *c = Camera{Transport: "x"} }, []string{"name: required", "unit_code: required", "rtsp_url: required", "transport: must be"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.edit(&c)
			err := c.Validate()
			if len(tt.errors) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, httpx.ErrInvalid) {
				t.Fatalf("Validate() = %v, want *ValidationError", err)
			}
			for _, want := range tt.errors {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if len(ve.Fields) != len(tt.errors) {
				t.Errorf("fields = %+v, want %d", ve.Fields, len(tt.errors))
			}
		})
	}
}
