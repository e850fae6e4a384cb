package relay_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/vms-project/vms/internal/relay"
	"github.com/vms-project/vms/internal/rtsp"
	"github.com/vms-project/vms/internal/testcam"
	"github.com/vms-project/vms/internal/whepclient"
)

// arrivals records when each frame (by RTP timestamp) reached a viewer.
type arrivals struct {
	mu sync.Mutex
	at map[uint32]time.Time
	// idr is closed at the first keyframe seen.
	idr     chan struct{}
	idrOnce sync.Once
}

func newArrivals() *arrivals { return &arrivals{at: map[uint32]time.Time{}, idr: make(chan struct{})} }

func (a *arrivals) onFrame(f whepclient.Frame) {
	a.mu.Lock()
	a.at[f.Timestamp] = f.Arrived
	a.mu.Unlock()
	if f.IDR {
		a.idrOnce.Do(func() { close(a.idr) })
	}
}

// TestLateJoinerStartsAtOnceAndRunsLive joins a second viewer right after
// a keyframe of a camera with an 8 s GOP. Without the keyframe cache it
// would wait ~8 s for a picture; with it the picture comes at once, and
// after 5 s both viewers receive each frame at about the same moment.
func TestLateJoinerStartsAtOnceAndRunsLive(t *testing.T) {
	cam := testcam.Start(t, testcam.Options{Width: 640, Height: 360, BitrateKbps: 1000, GOPFrames: 200})
	e := newEnv(t, relay.Options{})
	e.relay.Configure(relay.CameraConfig{ID: 1, Source: rtsp.Source{URL: cam.URL()}, OnDemand: true})
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	early := newArrivals()
	va := dial(t, ctx, e.endpoint(1), whepclient.Options{OnFrame: early.onFrame})
	// The camera starts on demand: wait for its first keyframe, then a
	// little, so the late joiner arrives just after a keyframe.
	select {
	case <-early.idr:
	case <-ctx.Done():
		t.Fatal("no keyframe for the first viewer")
	}
	time.Sleep(500 * time.Millisecond)

	late := newArrivals()
	vb := dial(t, ctx, e.endpoint(1), whepclient.Options{OnFrame: late.onFrame})
	waitFor(t, "late viewer's first frame", 30*time.Second, func() bool { return vb.Stats().FirstFrame > 0 })
	sb := vb.Stats()
	t.Logf("late joiner: first decodable frame %s after the WHEP request (camera GOP 8 s)", sb.FirstFrame)
	if !sb.FirstFrameDecodable {
		t.Errorf("late joiner's first frame not decodable: %+v", sb)
	}
	if sb.FirstFrame > 4*time.Second {
		t.Errorf("late joiner waited %s for a picture: the keyframe cache did not serve it", sb.FirstFrame)
	}

	time.Sleep(5 * time.Second)
	// Compare arrival times of the same frames over the last seconds.
	early.mu.Lock()
	late.mu.Lock()
	var diffs []float64
	cut := time.Now().Add(-3 * time.Second)
	for ts, tb := range late.at {
		if ta, ok := early.at[ts]; ok && tb.After(cut) {
			diffs = append(diffs, math.Abs(tb.Sub(ta).Seconds()*1000))
		}
	}
	late.mu.Unlock()
	early.mu.Unlock()
	if len(diffs) < 20 {
		t.Fatalf("only %d frames seen by both viewers in the last 3 s", len(diffs))
	}
	slices.Sort(diffs)
	med := diffs[len(diffs)/2]
	t.Logf("live latency difference late vs early viewer: median %.1f ms over %d frames", med, len(diffs))
	if med > 500 {
		t.Errorf("late viewer runs %.0f ms behind the early one (median), want live", med)
	}
	_ = va
}

// TestH265GoesOnlyToViewersThatOfferIt: a browser offering H.265 gets the
// camera's stream; one that does not gets a 406 that says what to do.
func TestH265GoesOnlyToViewersThatOfferIt(t *testing.T) {
	cam := testcam.Start(t, testcam.Options{Width: 640, Height: 360, BitrateKbps: 800, Codec: "h265"})
	e := newEnv(t, relay.Options{})
	e.relay.Configure(relay.CameraConfig{ID: 1, Source: rtsp.Source{URL: cam.URL()}, OnDemand: true})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	_, err := whepclient.Dial(ctx, e.endpoint(1), whepclient.Options{})
	var he *whepclient.HTTPError
	if !errors.As(err, &he) || he.Status != 406 || !strings.Contains(he.Body, "H.265") || !strings.Contains(he.Body, "sub-stream") {
		t.Fatalf("H.264-only viewer: %v, want 406 naming H.265 and the sub-stream", err)
	}
	v := dial(t, ctx, e.endpoint(1), whepclient.Options{Codecs: []string{webrtc.MimeTypeH265, webrtc.MimeTypeH264}})
	waitFor(t, "H.265 packets", 30*time.Second, func() bool { return v.Stats().Packets > 50 })
	st, _ := e.relay.Status(1)
	if st.VideoCodec != "H265" || st.Width != 640 || st.Height != 360 {
		t.Errorf("status = %+v", st)
	}
}

// TestAudio: G.711 is relayed beside the video; AAC is reported as not
// playable while the video plays.
func TestAudio(t *testing.T) {
	for _, tc := range []struct {
		audio, codec string
		relayed      bool
	}{
		{"pcma", "PCMA", true},
		{"aac", "MPEG-4 Audio", false},
	} {
		t.Run(tc.audio, func(t *testing.T) {
			cam := testcam.Start(t, testcam.Options{Width: 320, Height: 240, BitrateKbps: 300, Audio: tc.audio})
			e := newEnv(t, relay.Options{})
			e.relay.Configure(relay.CameraConfig{ID: 1, Source: rtsp.Source{URL: cam.URL()}, OnDemand: true})
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			v := dial(t, ctx, e.endpoint(1), whepclient.Options{})
			waitFor(t, "video frames", 30*time.Second, func() bool { return v.Stats().Frames > 25 })
			st, _ := e.relay.Status(1)
			if tc.relayed {
				waitFor(t, "audio packets", 20*time.Second, func() bool { return v.Stats().AudioPackets > 20 })
				if st.AudioCodec != tc.codec || st.AudioNote != "" || !strings.EqualFold(v.Stats().AudioCodec, "audio/"+tc.codec) {
					t.Errorf("status audio %q note %q, viewer codec %q", st.AudioCodec, st.AudioNote, v.Stats().AudioCodec)
				}
				return
			}
			if !strings.Contains(st.AudioNote, "not playable") {
				t.Errorf("audio note = %q, want 'not playable'", st.AudioNote)
			}
			if v.Stats().AudioPackets != 0 {
				t.Errorf("viewer got %d packets of unplayable audio", v.Stats().AudioPackets)
			}
		})
	}
}

// TestICETCPAndAlwaysOn: a viewer on a network without UDP plays over
// ICE-TCP on the same port; an always-on camera is pulled with no viewer.
func TestICETCPAndAlwaysOn(t *testing.T) {
	cam := testcam.Start(t, testcam.Options{Width: 320, Height: 240, BitrateKbps: 300})
	e := newEnv(t, relay.Options{})
	e.relay.Configure(relay.CameraConfig{ID: 1, Source: rtsp.Source{URL: cam.URL(), Transport: "tcp"}, OnDemand: false})
	waitFor(t, "always-on camera online", 30*time.Second, func() bool { st, _ := e.relay.Status(1); return st.State == relay.StateOnline })
	if st, _ := e.relay.Status(1); st.Transport != "TCP" {
		t.Errorf("transport = %q, want TCP", st.Transport)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	v := dial(t, ctx, e.endpoint(1), whepclient.Options{TCP: true})
	waitFor(t, "frames over ICE-TCP", 30*time.Second, func() bool { return v.Stats().Frames > 25 })
	if !v.Stats().FirstFrameDecodable {
		t.Error("first frame over ICE-TCP not decodable")
	}
}
