package relay_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vms-project/vms/internal/faultcam"
	"github.com/vms-project/vms/internal/relay"
	"github.com/vms-project/vms/internal/rtsp"
	"github.com/vms-project/vms/internal/whepclient"
)

func loadPCMU(t testing.TB) *faultcam.AudioClip {
	t.Helper()
	a, err := faultcam.LoadG711("../faultcam/testdata/pcmu_8k.raw", 8000)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestCompatTransports covers cases 10 and 11: cameras that pick their own
// interleaved channels, refuse UDP (461), accept UDP but never deliver a
// packet (a firewall), or do only UDP. Auto mode plays in each within a
// few seconds and the status says which transport is used and why.
func TestCompatTransports(t *testing.T) {
	t.Parallel()
	clip := fixture(t, "h264_360p.h264")
	tests := []struct {
		name      string
		cfg       faultcam.Config
		transport string
		want      string // transport in the status
		warning   string // expected warning; "" for none
	}{
		// Case 10.
		{"channels 20-21 chosen by the camera", faultcam.Config{Interleaved: 20, Audio: loadPCMU(t)}, "tcp", "TCP", ""},
		{"channels 20-21, auto after 461", faultcam.Config{Interleaved: 20, UDP: faultcam.UDPRefuse}, "auto", "TCP", "461"},
		// Case 11.
		{"UDP refused with 461", faultcam.Config{UDP: faultcam.UDPRefuse, Audio: loadPCMU(t)}, "auto", "TCP", "461"},
		{"UDP accepted but blocked", faultcam.Config{UDP: faultcam.UDPBlackhole}, "auto", "TCP", "no UDP packets"},
		{"UDP only", faultcam.Config{TCPRefuse: true, Audio: loadPCMU(t)}, "auto", "UDP", ""},
	}
	opts := compatOptions()
	opts.RTSP.UDPFallback = 0 // the default, 3 s
	e := newEnv(t, opts)
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.cfg.Video = clip
			cam := startCam(t, tc.cfg)
			log := newFrameLog(clip)
			id := int64(50 + i)
			start := time.Now()
			watchCam(t, e, id, rtsp.Source{URL: cam.URL(), Transport: tc.transport}, log)
			if d := time.Since(start); d > 12*time.Second {
				t.Errorf("first frame after %s", d)
			}
			waitKeyframes(t, log, 1, 15*time.Second)
			log.stats().check(t, "viewer")
			st := status(t, e, id)
			if st.State != relay.StateOnline || st.Transport != tc.want {
				t.Errorf("status = %s over %q (%s), want online over %s", st.State, st.Transport, st.Reason, tc.want)
			}
			switch {
			case tc.warning == "" && len(st.Warnings) > 0:
				t.Errorf("unexpected warnings %q", st.Warnings)
			case tc.warning != "" && !hasText(st.Warnings, tc.warning):
				t.Errorf("warnings = %q, want one saying %q", st.Warnings, tc.warning)
			}
			if tc.cfg.Audio != nil && st.AudioCodec != "PCMU" {
				t.Errorf("audio codec = %q, want PCMU", st.AudioCodec)
			}
		})
	}

	t.Run("UDP only, configured tcp", func(t *testing.T) {
		t.Parallel()
		cam := startCam(t, faultcam.Config{Video: clip, TCPRefuse: true})
		e.relay.Configure(relay.CameraConfig{ID: 59, Source: rtsp.Source{URL: cam.URL(), Transport: "tcp"}, OnDemand: true})
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_, err := whepclient.Dial(ctx, e.endpoint(59), whepclient.Options{})
		var he *whepclient.HTTPError
		if !errors.As(err, &he) || he.Status != 503 || !strings.Contains(he.Body, "461") {
			t.Errorf("WHEP error = %v, want 503 naming the 461", err)
		}
	})
}

// TestCompatCredentials is case 12: a password with @ : / # ? % given
// percent-encoded in the URL or as separate fields, to Digest and Basic
// cameras. Both work; the password appears in no log line (at debug
// level), status or WHEP answer, also when it is wrong.
func TestCompatCredentials(t *testing.T) {
	t.Parallel()
	const user, pass = "admin", "p@ss:w/rd#?%"
	clip := fixture(t, "h264_360p.h264")
	digest := startCam(t, faultcam.Config{Video: clip, Username: user, Password: pass})
	basic := startCam(t, faultcam.Config{Video: clip, Username: user, Password: pass, Auth: faultcam.AuthBasic})
	inURL := func(cam *faultcam.Camera, p string) string {
		return strings.Replace(cam.URL(), "://", "://"+user+":"+url.QueryEscape(p)+"@", 1)
	}
	logs := &lockedBuffer{}
	e := newEnvLogged(t, compatOptions(), logs)
	tests := []struct {
		name string
		src  rtsp.Source
		ok   bool
	}{
		{"digest, in the URL", rtsp.Source{URL: inURL(digest, pass), Transport: "tcp"}, true},
		{"digest, separate fields", rtsp.Source{URL: digest.URL(), Username: user, Password: pass}, true},
		{"basic, in the URL", rtsp.Source{URL: inURL(basic, pass)}, true},
		{"basic, separate fields", rtsp.Source{URL: basic.URL(), Username: user, Password: pass, Transport: "tcp"}, true},
		{"digest, wrong password in the URL", rtsp.Source{URL: inURL(digest, pass+"x"), Transport: "tcp"}, false},
		{"basic, wrong password as a field", rtsp.Source{URL: basic.URL(), Username: user, Password: "x" + pass}, false},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := int64(60 + i)
			var body string
			if tc.ok {
				log := newFrameLog(clip)
				watchCam(t, e, id, tc.src, log)
				log.stats().check(t, "viewer")
			} else {
				e.relay.Configure(relay.CameraConfig{ID: id, Source: tc.src, OnDemand: true})
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				_, err := whepclient.Dial(ctx, e.endpoint(id), whepclient.Options{})
				var he *whepclient.HTTPError
				if !errors.As(err, &he) || he.Status != 503 || !strings.Contains(he.Body, "401") {
					t.Fatalf("WHEP error = %v, want 503 naming the 401", err)
				}
				body = he.Body
			}
			st := status(t, e, id)
			js, _ := json.Marshal(st)
			for _, secret := range secrets(pass) {
				if strings.Contains(string(js), secret) || strings.Contains(body, secret) {
					t.Errorf("password (%q) in the status or WHEP answer: %s %s", secret, js, body)
				}
			}
		})
	}
	out := logs.String()
	if !strings.Contains(out, "camera") {
		t.Fatalf("no relay logs captured")
	}
	for _, secret := range secrets(pass) {
		if strings.Contains(out, secret) {
			t.Errorf("password (%q) in the logs", secret)
		}
	}
}

// secrets lists the forms a password may leak in.
func secrets(p string) []string {
	return []string{p, url.QueryEscape(p), url.PathEscape(p), base64.StdEncoding.EncodeToString([]byte("admin:" + p)), "ss:w/rd"}
}
