package relay_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vms-project/vms/internal/faultcam"
	"github.com/vms-project/vms/internal/relay"
	"github.com/vms-project/vms/internal/rtsp"
	"github.com/vms-project/vms/internal/whepclient"
)

// refusedWith configures camera id, asks for a viewer and expects a 503
// whose body, like the camera status, names want. It returns the status.
func refusedWith(t *testing.T, e *env, id int64, src rtsp.Source, want string) relay.Status {
	t.Helper()
	e.relay.Configure(relay.CameraConfig{ID: id, Source: src, OnDemand: true})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := whepclient.Dial(ctx, e.endpoint(id), whepclient.Options{})
	var he *whepclient.HTTPError
	if !errors.As(err, &he) || he.Status != 503 || !strings.Contains(he.Body, want) {
		t.Errorf("WHEP error = %v, want 503 saying %q", err, want)
	}
	st := status(t, e, id)
	if st.State != relay.StateError || !strings.Contains(st.Reason, want) {
		t.Errorf("status = %s (%s), want error saying %q", st.State, st.Reason, want)
	}
	return st
}

// TestCompatRedirects is case 13: a DESCRIBE answered with 302 to another
// port and path, or to another path on the same camera, is followed and
// plays; a redirect loop stops after a few hops with a status telling the
// administrator to use the final URL.
func TestCompatRedirects(t *testing.T) {
	t.Parallel()
	clip := fixture(t, "h264_360p.h264")
	target := startCam(t, faultcam.Config{Video: clip})
	other := startCam(t, faultcam.Config{Video: clip, Redirect: func(string) string { return target.URL("/live/main") }})
	var self *faultcam.Camera
	self = startCam(t, faultcam.Config{Video: clip, Redirect: func(p string) string {
		if p == "/old" {
			return self.URL("/stream")
		}
		return ""
	}})
	// A loop between two cameras: each sends the client to the other.
	var loopA, loopB *faultcam.Camera
	loopA = startCam(t, faultcam.Config{Video: clip, Redirect: func(string) string { return loopB.URL("/b") }})
	loopB = startCam(t, faultcam.Config{Video: clip, Redirect: func(string) string { return loopA.URL("/a") }})
	e := newEnv(t, compatOptions())

	t.Run("to another port and path", func(t *testing.T) {
		log := newFrameLog(clip)
		watchCam(t, e, 130, rtsp.Source{URL: other.URL("/Streaming/Channels/101")}, log)
		waitKeyframes(t, log, 1, 15*time.Second)
		log.stats().check(t, "viewer")
		if st := target.Stats(); st.Plays != 1 {
			t.Errorf("target camera played %d sessions, want 1", st.Plays)
		}
		if st := other.Stats(); st.Plays != 0 || st.Requests["DESCRIBE"] == 0 {
			t.Errorf("redirecting camera: %d plays, %d DESCRIBEs; want 0 plays after a DESCRIBE", st.Plays, st.Requests["DESCRIBE"])
		}
		if st := status(t, e, 130); st.State != relay.StateOnline {
			t.Errorf("status = %s (%s)", st.State, st.Reason)
		}
	})
	t.Run("to another path, over TCP", func(t *testing.T) {
		log := newFrameLog(clip)
		watchCam(t, e, 131, rtsp.Source{URL: self.URL("/old"), Transport: "tcp"}, log)
		waitKeyframes(t, log, 1, 15*time.Second)
		log.stats().check(t, "viewer")
	})
	t.Run("loop", func(t *testing.T) {
		st := refusedWith(t, e, 132, rtsp.Source{URL: loopA.URL("/a")}, "redirected too many times")
		if !strings.Contains(st.Reason, "final stream URL") {
			t.Errorf("reason %q does not say what to do", st.Reason)
		}
		// One attempt follows at most a handful of hops, not forever.
		a, b := loopA.Stats().Requests["DESCRIBE"], loopB.Stats().Requests["DESCRIBE"]
		attempts := st.Reconnects + 1
		if a+b > int(attempts+1)*8 {
			t.Errorf("%d DESCRIBEs in %d attempts: the loop is not bounded", a+b, attempts)
		}
	})
}

// TestCompatRTSPS is case 14: a camera serving RTSPS with a self-signed
// certificate is refused by default with a status saying how to accept it,
// plays when its SHA-256 fingerprint is configured (in any usual
// notation), and is refused when another fingerprint is.
func TestCompatRTSPS(t *testing.T) {
	t.Parallel()
	clip := fixture(t, "h264_360p.h264")
	tlsCfg, fp, err := faultcam.SelfSignedTLS()
	if err != nil {
		t.Fatal(err)
	}
	cam := startCam(t, faultcam.Config{Video: clip, TLS: tlsCfg})
	e := newEnv(t, compatOptions())
	if !strings.HasPrefix(cam.URL(), "rtsps://") {
		t.Fatalf("camera URL %s", cam.URL())
	}

	t.Run("self-signed, no fingerprint", func(t *testing.T) {
		st := refusedWith(t, e, 140, rtsp.Source{URL: cam.URL()}, "certificate")
		if !strings.Contains(st.Reason, "fingerprint") {
			t.Errorf("reason %q does not say a fingerprint can be set", st.Reason)
		}
	})
	colons := strings.ToUpper(fp[:2])
	for i := 2; i < len(fp); i += 2 {
		colons += ":" + strings.ToUpper(fp[i:i+2])
	}
	for i, pin := range []string{fp, colons} {
		t.Run("pinned "+pin[:8], func(t *testing.T) {
			log := newFrameLog(clip)
			id := int64(141 + i)
			watchCam(t, e, id, rtsp.Source{URL: cam.URL(), TLSFingerprint: pin}, log)
			waitKeyframes(t, log, 1, 15*time.Second)
			log.stats().check(t, "viewer")
			if st := status(t, e, id); st.State != relay.StateOnline || st.Transport != "TCP" {
				t.Errorf("status = %s over %q (%s), want online over TCP", st.State, st.Transport, st.Reason)
			}
		})
	}
	t.Run("other fingerprint", func(t *testing.T) {
		wrong := strings.Repeat("ab", 32)
		refusedWith(t, e, 143, rtsp.Source{URL: cam.URL(), TLSFingerprint: wrong}, "does not match")
	})
}

// TestCompatKeepalive is case 15 with a clock shortened 10×: cameras that
// drop a client silent for their session timeout (2–3 s here, 20–30 s in
// the field), one of which answers GET_PARAMETER with 501. The session
// must outlive many timeouts with no reconnect and no gap in the picture,
// keeping the camera alive with OPTIONS where GET_PARAMETER is refused.
func TestCompatKeepalive(t *testing.T) {
	t.Parallel()
	clip := fixture(t, "h264_360p.h264")
	const run = 25 * time.Second
	tests := []struct {
		name      string
		cfg       faultcam.Config
		transport string
	}{
		{"timeout 2 s, UDP", faultcam.Config{SessionTimeout: 2 * time.Second}, "udp"},
		{"timeout 2 s, TCP", faultcam.Config{SessionTimeout: 2 * time.Second}, "tcp"},
		// The first keepalive is refused and not counted by the camera: the
		// next one, as OPTIONS, must come before the timeout.
		{"timeout 3 s, GET_PARAMETER refused", faultcam.Config{SessionTimeout: 3 * time.Second, RefuseGetParameter: true}, "tcp"},
	}
	// The cameras run side by side through one shared window: the test is
	// about elapsed time, not work.
	e := newEnv(t, compatOptions())
	cams := make([]*faultcam.Camera, len(tests))
	logs := make([]*gapLog, len(tests))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i, tc := range tests {
		tc.cfg.Video, tc.cfg.DropSilent = clip, true
		cams[i], logs[i] = startCam(t, tc.cfg), newGapLog()
		e.relay.Configure(relay.CameraConfig{ID: int64(150 + i), Source: rtsp.Source{URL: cams[i].URL(), Transport: tc.transport}, OnDemand: true})
		v := dial(t, ctx, e.endpoint(int64(150+i)), whepclient.Options{OnFrame: logs[i].onFrame})
		waitFor(t, tc.name+": first frame", 20*time.Second, func() bool { return v.Stats().FirstFrame > 0 })
		logs[i].reset()
	}
	time.Sleep(run)
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cam, log, id := cams[i], logs[i], int64(150+i)
			frames, maxGap := log.result()
			st := status(t, e, id)
			cs := cam.Stats()
			if cs.Dropped != 0 || cs.Plays != 1 || st.Reconnects != 0 {
				t.Errorf("camera dropped %d sessions, played %d, relay reconnected %d times; want 0, 1, 0 (keepalives: %v)",
					cs.Dropped, cs.Plays, st.Reconnects, cs.Requests)
			}
			// 25 fps, and no stall long enough to be a session's end (a
			// busy -race machine may pause a viewer for a second; drops and
			// reconnects are counted above).
			if frames < int(run.Seconds()*25*0.8) || maxGap > 3*time.Second {
				t.Errorf("%d frames in %s, longest gap %s", frames, run, maxGap)
			}
			keepalives := cs.Requests["GET_PARAMETER"] + cs.Requests["OPTIONS"] - 1 // one OPTIONS before DESCRIBE
			if min := int(run / tc.cfg.SessionTimeout); keepalives < min {
				t.Errorf("%d keepalives in %s, want at least one per timeout (%d): %v", keepalives, run, min, cs.Requests)
			}
			if tc.cfg.RefuseGetParameter && cs.Requests["GET_PARAMETER"] > 1 {
				t.Errorf("%d GET_PARAMETER after the camera refused the first", cs.Requests["GET_PARAMETER"])
			}
			if st.State != relay.StateOnline {
				t.Errorf("status = %s (%s)", st.State, st.Reason)
			}
		})
	}
}
