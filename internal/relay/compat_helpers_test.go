package relay_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"

	"github.com/vms-project/vms/internal/faultcam"
	"github.com/vms-project/vms/internal/relay"
	"github.com/vms-project/vms/internal/rtsp"
	"github.com/vms-project/vms/internal/whepclient"
)

// Helpers of the camera compatibility tests (issue 5): each compat_*_test
// file starts a scripted fault camera (internal/faultcam), relays it and
// checks what real pion viewers decode and what the camera status says.

var clipCache sync.Map // fixture name → *faultcam.Clip

func fixture(t testing.TB, name string) *faultcam.Clip {
	t.Helper()
	if c, ok := clipCache.Load(name); ok {
		return c.(*faultcam.Clip)
	}
	path := "../faultcam/testdata/" + name
	if name == "demo.h264" {
		path = "../camsim/clips/demo.h264"
	}
	c, err := faultcam.LoadClip(path)
	if err != nil {
		t.Fatal(err)
	}
	clipCache.Store(name, c)
	return c
}

func startCam(t testing.TB, cfg faultcam.Config) *faultcam.Camera {
	t.Helper()
	cam, err := faultcam.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cam.Close)
	return cam
}

// compatOptions are relay options for fault cameras: short timeouts so
// that failures and recoveries happen within a test's time.
func compatOptions() relay.Options {
	return relay.Options{
		StreamTimeout: 15 * time.Second,
		RTSP:          rtsp.Options{ReadTimeout: 4 * time.Second, MinBackoff: 200 * time.Millisecond, MaxBackoff: time.Second, UDPFallback: 2 * time.Second},
	}
}

// frameLog records what a whepclient viewer decodes, checked against the
// NAL units the camera could have sent.
type frameLog struct {
	known map[[32]byte]bool // every NAL unit of the camera's clips

	mu          sync.Mutex
	frames      int
	keyframes   int
	keyNoParams int      // keyframes without SPS and PPS in front
	noSlice     int      // frames with no picture in them
	foreign     []string // NAL units the camera never sent (half-assembled)
	repeatedTS  int      // frames with the previous frame's timestamp
	lastTS      uint32
	width       int // from the latest SPS received
	last        time.Time
}

func newFrameLog(clips ...*faultcam.Clip) *frameLog {
	l := &frameLog{known: map[[32]byte]bool{}}
	for _, c := range clips {
		for _, f := range c.Frames {
			for _, n := range f.NALUs {
				l.known[sha256.Sum256(n)] = true
			}
		}
	}
	return l
}

func (l *frameLog) onFrame(f whepclient.Frame) {
	l.mu.Lock()
	defer l.mu.Unlock()
	slice := false
	var sps, pps bool
	for _, n := range f.NALUs {
		if len(n) == 0 {
			continue
		}
		if len(l.known) > 0 && !l.known[sha256.Sum256(n)] {
			l.foreign = append(l.foreign, fmt.Sprintf("type %d, %d bytes", n[0]&0x1f, len(n)))
		}
		switch h264.NALUType(n[0] & 0x1f) {
		case h264.NALUTypeSPS:
			sps = true
			var s h264.SPS
			if s.Unmarshal(n) == nil {
				l.width = s.Width()
			}
		case h264.NALUTypePPS:
			pps = true
		case h264.NALUTypeIDR, h264.NALUTypeNonIDR:
			slice = true
		}
	}
	if !slice {
		l.noSlice++
	}
	if f.IDR {
		l.keyframes++
		if !sps || !pps {
			l.keyNoParams++
		}
	}
	if l.frames > 0 && f.Timestamp == l.lastTS {
		l.repeatedTS++
	}
	l.frames++
	l.lastTS = f.Timestamp
	l.last = f.Arrived
}

type frameStats struct {
	frames, keyframes, keyNoParams, noSlice, repeatedTS, width int
	foreign                                                    []string
}

func (l *frameLog) stats() frameStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return frameStats{l.frames, l.keyframes, l.keyNoParams, l.noSlice, l.repeatedTS, l.width, append([]string(nil), l.foreign...)}
}

// check reports every way the frames seen so far are not clean.
func (s frameStats) check(t testing.TB, who string) {
	t.Helper()
	if s.keyNoParams > 0 {
		t.Errorf("%s: %d of %d keyframes came without SPS and PPS", who, s.keyNoParams, s.keyframes)
	}
	if s.noSlice > 0 {
		t.Errorf("%s: %d frames carried no picture (parameter sets sent as frames?)", who, s.noSlice)
	}
	if len(s.foreign) > 0 {
		t.Errorf("%s: %d NAL units the camera never sent (half-assembled?): %s", who, len(s.foreign), strings.Join(s.foreign[:min(5, len(s.foreign))], "; "))
	}
	if s.repeatedTS > 0 {
		t.Errorf("%s: %d frames repeated the previous frame's timestamp", who, s.repeatedTS)
	}
}

// watchCam configures camera id on the relay and opens one viewer that
// logs its frames; it waits for the first decodable frame.
func watchCam(t *testing.T, e *env, id int64, src rtsp.Source, log *frameLog) *whepclient.Viewer {
	t.Helper()
	e.relay.Configure(relay.CameraConfig{ID: id, Name: fmt.Sprintf("cam%d", id), Source: src, OnDemand: true})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	v := dial(t, ctx, e.endpoint(id), whepclient.Options{OnFrame: log.onFrame})
	waitFor(t, "first frame", 30*time.Second, func() bool { return v.Stats().FirstFrame > 0 })
	if s := v.Stats(); !s.FirstFrameDecodable {
		t.Errorf("first frame not an IDR with SPS and PPS in front: %+v", s)
	}
	return v
}

// waitKeyframes waits until the viewer decoded n more keyframes.
func waitKeyframes(t *testing.T, log *frameLog, n int, timeout time.Duration) {
	t.Helper()
	start := log.stats().keyframes
	waitFor(t, fmt.Sprintf("%d more keyframes", n), timeout, func() bool { return log.stats().keyframes >= start+n })
}

func status(t testing.TB, e *env, id int64) relay.Status {
	t.Helper()
	st, ok := e.relay.Status(id)
	if !ok {
		t.Fatalf("camera %d unknown", id)
	}
	return st
}

func hasText(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(strings.ToLower(s), strings.ToLower(sub)) {
			return true
		}
	}
	return false
}

// lockedBuffer collects log output from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newEnvLogged is newEnv with every relay log line, at debug level,
// written to logs as well.
func newEnvLogged(t testing.TB, opts relay.Options, logs *lockedBuffer) *env {
	t.Helper()
	opts.WebRTC.IncludeLoopback = true
	opts.WebRTC.ListenIP = "127.0.0.1"
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r, err := relay.New(opts, relay.Hooks{}, log)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	(&relay.WHEP{Relay: r, Log: log}).Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		srv.Close()
		r.Close()
	})
	return &env{t: t, relay: r, srv: srv}
}
