package camera

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
)

// awkward holds every character the brief says credentials may contain.
const awkward = `p@ss:w/o#r?d%50`

func TestSplitCredentials(t *testing.T) {
	tests := []struct {
		name     string
		raw      string
		stripped string
		cred     credentials
		ok       bool
	}{
		{"none", "rtsp://10.0.0.1:554/Streaming/Channels/101", "rtsp://10.0.0.1:554/Streaming/Channels/101", credentials{}, true},
		{"user and password", "rtsp://admin:12345@10.0.0.1/live", "rtsp://10.0.0.1/live", credentials{"admin", "12345", true, true}, true},
		{"percent-encoded", "rtsp://ad%3Amin:" + url.PathEscape(awkward) + "@cam.example:8554/a?b=c", "rtsp://cam.example:8554/a?b=c", credentials{"ad:min", awkward, true, true}, true},
		{"unencoded @ in password (last @ ends userinfo)", "rtsp://admin:p@ss@10.0.0.1/x", "rtsp://10.0.0.1/x", credentials{"admin", "p@ss", true, true}, true},
		{"user only", "rtsps://viewer@cam/x", "rtsps://cam/x", credentials{"viewer", "", true, false}, true},
		{"path kept byte for byte", "rtsp://u:p@h/cam/realmonitor?channel=1&subtype=0&x=%2f", "rtsp://h/cam/realmonitor?channel=1&subtype=0&x=%2f", credentials{"u", "p", true, true}, true},
		{"unparsable", "rtsp://u:50%off@h/", "rtsp://u:50%off@h/", credentials{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stripped, cred, ok := splitCredentials(tt.raw)
			if stripped != tt.stripped || cred != tt.cred || ok != tt.ok {
				t.Errorf("got %q %+v %t, want %q %+v %t", stripped, cred, ok, tt.stripped, tt.cred, tt.ok)
			}
		})
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"rtsp://10.0.0.1/live", "rtsp://10.0.0.1/live"},
		{"rtsp://admin:secret@10.0.0.1/live", "rtsp://admin:***@10.0.0.1/live"},
		{"rtsp://admin@10.0.0.1/live", "rtsp://admin@10.0.0.1/live"},
		{"rtsp://admin:p@ss@10.0.0.1/live", "rtsp://admin:***@10.0.0.1/live"},
		{"rtsp://admin:pa/ss@10.0.0.1/live", "rtsp://admin:***@10.0.0.1/live"},
		{"rtsp://admin:12#34@10.0.0.1/", "rtsp://admin:***@10.0.0.1/"},
		{"rtsp://admin:12?34@10.0.0.1/", "rtsp://admin:***@10.0.0.1/"},
		{"admin:secret@10.0.0.1", "admin:***@10.0.0.1"},
		{"rtsp://10.0.0.1:554/user=admin&password=123456&channel=1&stream=0.sdp", "rtsp://10.0.0.1:554/user=admin&password=***&channel=1&stream=0.sdp"},
		{"rtsp://h/?PWD=abc", "rtsp://h/?PWD=***"},
		{"%%%:::@@@", "%%%:***@"},
		{"rtsp://admin:p@ss:w/o#r?d@cam/x", "rtsp://admin:***@cam/x"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := RedactURL(tt.in); got != tt.want {
			t.Errorf("RedactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzRedactURL(f *testing.F) {
	for _, pw := range []string{awkward, "hunter22", "a/b/c", "x#y#z", "q?r?s", "%41%42", "sp ace", "::::", "@@@@", "a://b"} {
		f.Add(pw)
	}
	f.Fuzz(func(t *testing.T, pw string) {
		// Userinfo, percent-encoded as required or typed raw: the redacted URL
		// is exactly the URL without the password, whatever it contains.
		for _, enc := range []string{url.PathEscape(pw), url.QueryEscape(pw), pw} {
			for _, tail := range []string{"cam.example:554/Streaming/Channels/101", "cam.example/live?a=b", "cam.example"} {
				raw := "rtsp://admin:" + enc + "@" + tail
				if got, want := RedactURL(raw), "rtsp://admin:***@"+tail; got != want {
					t.Fatalf("RedactURL(%q) = %q, want %q", raw, got, want)
				}
			}
		}
		// A password parameter holds until the next separator.
		if !strings.ContainsAny(pw, "&;?#/@") && pw != "" {
			raw := "rtsp://cam.example/user=admin&password=" + pw + "&channel=1"
			if got, want := RedactURL(raw), "rtsp://cam.example/user=admin&password=***&channel=1"; got != want {
				t.Fatalf("RedactURL(%q) = %q, want %q", raw, got, want)
			}
		}
	})
}

// The password must not escape through any of the ways a Camera or Source
// is printed.
func TestCameraPrintingHidesPassword(t *testing.T) {
	c := Camera{ID: 7, Name: "Cổng chính", UnitCode: "UBND-01", RTSPURL: "rtsp://admin:" + url.PathEscape(awkward) + "@cam/x", Password: ""}
	src := c.Source()
	if src.Password != awkward || src.Username != "admin" || src.URL != "rtsp://cam/x" || src.Transport != TransportAuto {
		t.Fatalf("Source() = %+v", src)
	}
	c = Camera{ID: 7, Name: "n", RTSPURL: "rtsp://cam/x", Username: "admin", Password: awkward}
	var logs strings.Builder
	slog.New(slog.NewTextHandler(&logs, nil)).Info("x", "camera", c, "source", c.Source())
	j, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprint(c.Source()), fmt.Sprintf("%v", c.Source()), logs.String(), string(j)} {
		if strings.Contains(s, awkward) {
			t.Errorf("password leaked in %q", s)
		}
	}
	if !strings.Contains(string(j), `"has_password":true`) {
		t.Errorf("json = %s", j)
	}
}
