package relay_test

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vms-project/vms/internal/relay"
	"github.com/vms-project/vms/internal/rtsp"
	"github.com/vms-project/vms/internal/testcam"
	"github.com/vms-project/vms/internal/whepclient"
)

// TestManyViewersOneSession is the relay's main promise on real input: a
// GStreamer camera (an RTSP implementation independent of ours) watched by
// 20 WebRTC viewers at once through exactly one RTSP session, every viewer
// starting with a decodable keyframe.
func TestManyViewersOneSession(t *testing.T) {
	cam := testcam.Start(t, testcam.Options{})
	e := newEnv(t, relay.Options{})
	e.relay.Configure(relay.CameraConfig{ID: 7, Name: "counter", Source: rtsp.Source{URL: cam.URL()}, OnDemand: true})

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	const n = 20
	viewers := dialMany(t, ctx, e.endpoint(7), n, 0, func(int) whepclient.Options { return whepclient.Options{} })
	if viewers == nil {
		return
	}
	var firsts []time.Duration
	for i, v := range viewers {
		s := v.Stats()
		if !s.FirstFrameDecodable {
			t.Errorf("viewer %d: first frame is not an IDR preceded by SPS and PPS (%+v)", i, s)
		}
		firsts = append(firsts, s.FirstFrame)
	}
	// Every viewer keeps receiving live frames.
	before := make([]uint64, n)
	for i, v := range viewers {
		before[i] = v.Stats().Frames
	}
	time.Sleep(2 * time.Second)
	for i, v := range viewers {
		if got := v.Stats().Frames - before[i]; got < 10 {
			t.Errorf("viewer %d received only %d frames in 2 s", i, got)
		}
	}
	if got := cam.SessionCount(); got != 1 {
		t.Errorf("camera saw %d RTSP sessions, want exactly 1", got)
	}
	st, _ := e.relay.Status(7)
	if st.State != relay.StateOnline || st.Viewers != n || st.Width != 1280 || st.Height != 720 || st.VideoCodec != "H264" {
		t.Errorf("status = %+v", st)
	}
	slices.Sort(firsts)
	t.Logf("time to first keyframe over %d viewers: median %s, max %s", n, firsts[n/2], firsts[n-1])
}

// TestCameraRestartKeepsViewers restarts the camera process mid-stream:
// the same viewers resume without renegotiating.
func TestCameraRestartKeepsViewers(t *testing.T) {
	cam := testcam.Start(t, testcam.Options{Width: 640, Height: 360, BitrateKbps: 800})
	e := newEnv(t, relay.Options{RTSP: rtsp.Options{ReadTimeout: 3 * time.Second, MinBackoff: 200 * time.Millisecond, MaxBackoff: time.Second}})
	e.relay.Configure(relay.CameraConfig{ID: 1, Source: rtsp.Source{URL: cam.URL()}, OnDemand: true})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	v := dial(t, ctx, e.endpoint(1), whepclient.Options{})
	waitFor(t, "first frame", 30*time.Second, func() bool { return v.Stats().FirstFrame > 0 })

	cam.Restart()
	after := v.Stats().Frames
	waitFor(t, "frames after the camera restarted", 45*time.Second, func() bool {
		st, _ := e.relay.Status(1)
		return st.Reconnects >= 1 && st.State == relay.StateOnline && v.Stats().Frames > after+25
	})
	if v.State().String() != "connected" {
		t.Errorf("viewer state = %s, want connected (no renegotiation)", v.State())
	}
}

// TestBrokenCamerasGiveClearStatus covers cameras that never answer, that
// refuse our credentials and that send garbage: each gets a status an
// administrator can act on, WHEP answers 503 with it, nothing crashes.
func TestBrokenCamerasGiveClearStatus(t *testing.T) {
	silent := listenTCP(t, func(_ net.Conn, done <-chan struct{}) { <-done })
	garbage := listenTCP(t, func(c net.Conn, _ <-chan struct{}) {
		_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\n\x00\xff\xfe garbage \r\n\r\n"))
		_, _ = c.Write(make([]byte, 4096))
	})
	authCam := testcam.Start(t, testcam.Options{Width: 320, Height: 240, BitrateKbps: 300, Username: "admin", Password: "right"})

	e := newEnv(t, relay.Options{
		StreamTimeout: 8 * time.Second,
		RTSP:          rtsp.Options{ReadTimeout: 2 * time.Second, MinBackoff: 200 * time.Millisecond, MaxBackoff: time.Second},
	})
	cases := []struct {
		name   string
		src    rtsp.Source
		state  relay.State
		reason string
	}{
		{"never answers", rtsp.Source{URL: "rtsp://" + silent + "/x", Transport: "tcp"}, relay.StateOffline, "did not answer"},
		{"garbage", rtsp.Source{URL: "rtsp://" + garbage + "/x", Transport: "tcp"}, relay.StateOffline, ""},
		{"wrong password", rtsp.Source{URL: authCam.URL(), Username: "admin", Password: "wrong"}, relay.StateError, "401"},
		{"refused", rtsp.Source{URL: "rtsp://" + closedPort(t) + "/x"}, relay.StateOffline, "refused"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := int64(100 + i)
			e.relay.Configure(relay.CameraConfig{ID: id, Source: tc.src, OnDemand: true})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, err := whepclient.Dial(ctx, e.endpoint(id), whepclient.Options{})
			var he *whepclient.HTTPError
			if !errors.As(err, &he) || he.Status != 503 {
				t.Fatalf("WHEP error = %v, want HTTP 503", err)
			}
			st, _ := e.relay.Status(id)
			if st.State != tc.state || !strings.Contains(st.Reason, tc.reason) {
				t.Errorf("status = %s (%q), want %s containing %q", st.State, st.Reason, tc.state, tc.reason)
			}
			if strings.Contains(st.Reason, "wrong") || strings.Contains(he.Body, "wrong") {
				t.Errorf("password leaked: %q / %q", st.Reason, he.Body)
			}
		})
	}
}

// TestViewerThatVanishesIsFreed closes a viewer without a DELETE.
func TestViewerThatVanishesIsFreed(t *testing.T) {
	cam := testcam.Start(t, testcam.Options{Width: 320, Height: 240, BitrateKbps: 300})
	e := newEnv(t, relay.Options{Linger: time.Second})
	e.relay.Configure(relay.CameraConfig{ID: 1, Source: rtsp.Source{URL: cam.URL()}, OnDemand: true})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	v, err := whepclient.Dial(ctx, e.endpoint(1), whepclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "first frame", 30*time.Second, func() bool { return v.Stats().FirstFrame > 0 })
	v.Abandon()
	waitFor(t, "viewer freed", 15*time.Second, func() bool { st, _ := e.relay.Status(1); return st.Viewers == 0 })
	// On demand: the camera is released after the linger time.
	waitFor(t, "camera released", 15*time.Second, func() bool { st, _ := e.relay.Status(1); return st.State == relay.StateIdle && !st.Pulling })
}

func listenTCP(t *testing.T, serve func(net.Conn, <-chan struct{})) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	done := make(chan struct{})
	t.Cleanup(func() { close(done); _ = ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { _ = c.Close() }()
				serve(c, done)
			}()
		}
	}()
	return ln.Addr().String()
}

func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}
