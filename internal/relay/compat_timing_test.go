package relay_test

import (
	"context"
	"crypto/sha256"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"

	"github.com/vms-project/vms/internal/faultcam"
	"github.com/vms-project/vms/internal/relay"
	"github.com/vms-project/vms/internal/rtsp"
	"github.com/vms-project/vms/internal/whepclient"
)

// gapLog counts a viewer's frames and the longest pause between two.
type gapLog struct {
	mu     sync.Mutex
	frames int
	last   time.Time
	maxGap time.Duration
}

func newGapLog() *gapLog { return &gapLog{} }

func (g *gapLog) onFrame(f whepclient.Frame) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.last.IsZero() {
		g.maxGap = max(g.maxGap, f.Arrived.Sub(g.last))
	}
	g.frames++
	g.last = f.Arrived
}

// reset starts counting afresh, the pause so far included.
func (g *gapLog) reset() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.frames, g.maxGap, g.last = 0, 0, time.Now()
}

func (g *gapLog) result() (frames int, maxGap time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.frames, max(g.maxGap, time.Since(g.last))
}

// sentLog remembers when the camera sent each picture (by its slice
// bytes, which the relay forwards unchanged), so a viewer's frames can be
// timed from the camera to the viewer.
type sentLog struct {
	mu sync.Mutex
	at map[[32]byte][]time.Time
}

func newSentLog() *sentLog { return &sentLog{at: map[[32]byte][]time.Time{}} }

func sliceKey(nalus [][]byte) ([32]byte, bool) {
	for _, n := range nalus {
		if len(n) > 0 {
			if t := h264.NALUType(n[0] & 0x1f); t == h264.NALUTypeIDR || t == h264.NALUTypeNonIDR {
				return sha256.Sum256(n), true
			}
		}
	}
	return [32]byte{}, false
}

func (s *sentLog) onSent(f *faultcam.Frame, at time.Time) {
	if k, ok := sliceKey(f.NALUs); ok {
		s.mu.Lock()
		s.at[k] = append(s.at[k], at)
		s.mu.Unlock()
	}
}

// sentBefore is the latest time the picture was sent before arrived. The
// camera notes the time once the whole frame is written, which on
// loopback can be a moment after the viewer has it: allow for that.
func (s *sentLog) sentBefore(k [32]byte, arrived time.Time) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var best time.Time
	for _, at := range s.at[k] {
		if at.Before(arrived.Add(200*time.Millisecond)) && at.After(best) {
			best = at
		}
	}
	return best, !best.IsZero()
}

// latencyLog records, per frame a viewer receives, the delay from the
// camera and how far the frame's RTP time has drifted from its arrival
// time since the first frame (what a player's jitter buffer must absorb).
type latencyLog struct {
	sent *sentLog

	mu      sync.Mutex
	n       int
	keys    int
	first   time.Time
	firstTS uint32
	samples []latencySample
}

type latencySample struct {
	arrived time.Time
	key     [32]byte
	ok      bool          // key is a picture's
	drift   time.Duration // (arrival − first arrival) − (RTP time − first RTP time)
}

func (l *latencyLog) onFrame(f whepclient.Frame) {
	k, ok := sliceKey(f.NALUs)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	if f.IDR {
		l.keys++
	}
	if l.first.IsZero() {
		l.first, l.firstTS = f.Arrived, f.Timestamp
	}
	rtpTime := time.Duration(int64(f.Timestamp-l.firstTS)) * time.Second / 90000
	l.samples = append(l.samples, latencySample{arrived: f.Arrived, key: k, ok: ok, drift: f.Arrived.Sub(l.first) - rtpTime})
}

func (l *latencyLog) counts() (frames, keyframes int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n, l.keys
}

// after returns the delays and drifts of the frames that arrived after t,
// and how many frames the camera never sent.
func (l *latencyLog) after(t time.Time) (delays, drifts []time.Duration, unknown int) {
	l.mu.Lock()
	samples := slices.Clone(l.samples)
	l.mu.Unlock()
	for _, s := range samples {
		if !s.arrived.After(t) {
			continue
		}
		sent, ok := l.sent.sentBefore(s.key, s.arrived)
		if !s.ok || !ok {
			unknown++
			continue
		}
		delays = append(delays, max(s.arrived.Sub(sent), 0))
		drifts = append(drifts, s.drift)
	}
	return delays, drifts, unknown
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// TestCompatLongGOPLateJoiner is case 18: a camera with one keyframe every
// 8 s, and a viewer that joins a second after one. Its first picture is
// the cached keyframe (the same RTP time the first viewer saw), complete
// with parameter sets and shown at once, not at the camera's next
// keyframe; it then catches up with the live stream.
func TestCompatLongGOPLateJoiner(t *testing.T) {
	t.Parallel()
	clip := fixture(t, "h264_longgop.h264")
	if gop := clip.Duration(); gop < 7*time.Second {
		t.Fatalf("fixture GOP is %s, want 8 s", gop)
	}
	cam := startCam(t, faultcam.Config{Video: clip})
	e := newEnv(t, compatOptions())
	e.relay.Configure(relay.CameraConfig{ID: 180, Source: rtsp.Source{URL: cam.URL()}, OnDemand: true})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var mu sync.Mutex
	var firstKey uint32 // the first viewer's first keyframe
	firstLog := newFrameLog(clip)
	first := dial(t, ctx, e.endpoint(180), whepclient.Options{OnFrame: func(f whepclient.Frame) {
		firstLog.onFrame(f)
		mu.Lock()
		if f.IDR && firstKey == 0 {
			firstKey = f.Timestamp
		}
		mu.Unlock()
	}})
	waitFor(t, "first viewer's first picture", 20*time.Second, func() bool { return first.Stats().FirstFrame > 0 })
	time.Sleep(time.Second)

	var key uint32
	var keyAt time.Time
	var after []uint32
	late := dial(t, ctx, e.endpoint(180), whepclient.Options{OnFrame: func(f whepclient.Frame) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case keyAt.IsZero() && f.IDR:
			key, keyAt = f.Timestamp, f.Arrived
		case !keyAt.IsZero():
			after = append(after, f.Timestamp)
		}
	}})
	waitFor(t, "late viewer's first picture", 10*time.Second, func() bool { return late.Stats().FirstFrame > 0 })
	s := late.Stats()
	if !s.FirstFrameDecodable || s.FirstFrame > 4*time.Second {
		t.Errorf("late viewer's first keyframe after %s (decodable %v), want at once from the cache", s.FirstFrame, s.FirstFrameDecodable)
	}
	if s.FramesBeforeKeyframe > 0 {
		t.Errorf("late viewer got %d frames before its keyframe", s.FramesBeforeKeyframe)
	}
	// ≈25 cached frames, then live ones: within a few seconds the late
	// viewer is on frames the camera sends now.
	waitFor(t, "late viewer catching up", 10*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(after) >= 3*25
	})
	mu.Lock()
	gotKey, wantKey, rest := key, firstKey, slices.Clone(after)
	mu.Unlock()
	if gotKey != wantKey {
		t.Errorf("late viewer started at RTP time %d, not at the cached keyframe (%d): it waited for a new one", gotKey, wantKey)
	}
	for i := 1; i < len(rest); i++ {
		if d := int32(rest[i] - rest[i-1]); d <= 0 {
			t.Fatalf("late viewer's frames go back in time at frame %d (%d after %d)", i, rest[i], rest[i-1])
		}
	}
	if span := time.Duration(rest[len(rest)-1]-gotKey) * time.Second / 90000; span < 2*time.Second {
		t.Errorf("late viewer's frames span %s of video", span)
	}
	firstLog.stats().check(t, "first viewer")
	if st := status(t, e, 180); st.State != relay.StateOnline || st.Viewers != 2 {
		t.Errorf("status = %s (%s), %d viewers", st.State, st.Reason, st.Viewers)
	}
}

// TestCompatLowAndVariableFrameRate is case 19: a 1 fps camera, one that
// alternates between 5 and 25 fps every second, and a static scene with
// rare 4K keyframes (≈300 KB) and a few tiny frames in between. Playback
// goes on, each frame reaches the viewer soon after the camera sent it,
// and the viewer's lag behind the stream's own clock does not grow.
func TestCompatLowAndVariableFrameRate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		clip    string
		dur     func(i int) time.Duration
		minFrms int // frames expected in the measured 12 s, at least
		minKeys int
	}{
		{"1 fps", "h264_360p.h264", func(int) time.Duration { return time.Second }, 8, 0},
		{"5 and 25 fps", "h264_360p.h264", func(i int) time.Duration {
			if (i/15)%2 == 0 {
				return 200 * time.Millisecond // 15 frames over 3 s
			}
			return 40 * time.Millisecond // 15 frames over 0.6 s
		}, 80, 0},
		{"static 4K, rare keyframes", "h264_4k.h264", func(i int) time.Duration {
			if i%4 == 3 {
				return 3 * time.Second // the next frame is the keyframe
			}
			return 40 * time.Millisecond
		}, 10, 3},
	}
	// The cameras run side by side through one shared window.
	const window = 13 * time.Second
	e := newEnv(t, compatOptions())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	type run struct {
		v      *whepclient.Viewer
		log    *latencyLog
		start  time.Time
		f0, k0 int
	}
	runs := make([]run, len(tests))
	for i, tc := range tests {
		sent := newSentLog()
		cam := startCam(t, faultcam.Config{Video: fixture(t, tc.clip), FrameDuration: tc.dur, OnSent: sent.onSent})
		id := int64(190 + i)
		e.relay.Configure(relay.CameraConfig{ID: id, Source: rtsp.Source{URL: cam.URL(), Transport: "tcp"}, OnDemand: true})
		r := &runs[i]
		r.log = &latencyLog{sent: sent}
		r.v = dial(t, ctx, e.endpoint(id), whepclient.Options{OnFrame: r.log.onFrame})
		waitFor(t, tc.name+": first frame", 20*time.Second, func() bool { return r.v.Stats().FirstFrame > 0 })
		// Leave out the start, where cached frames come in a burst.
		r.start = time.Now().Add(time.Second)
		r.f0, r.k0 = r.log.counts()
	}
	time.Sleep(window)
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, id := runs[i], int64(190+i)
			v, log, start := r.v, r.log, r.start
			f1, k1 := log.counts()
			if f1-r.f0 < tc.minFrms || k1-r.k0 < tc.minKeys {
				t.Errorf("%d frames, %d keyframes in %s; want at least %d and %d (viewer lost %d packets)",
					f1-r.f0, k1-r.k0, window, tc.minFrms, tc.minKeys, v.Stats().Lost)
			}
			delays, drifts, unknown := log.after(start)
			if len(delays) < tc.minFrms-2 || unknown > 0 {
				t.Fatalf("%d frames timed, %d not sent by the camera (viewer lost %d packets)", len(delays), unknown, v.Stats().Lost)
			}
			if worst := slices.Max(delays); worst > 2*time.Second {
				t.Errorf("a frame took %s from the camera to the viewer (median %s)", worst, median(delays))
			}
			// Lag behind the stream clock: compare the first and last thirds.
			third := len(drifts) / 3
			early, late := median(drifts[:max(third, 1)]), median(drifts[len(drifts)-max(third, 1):])
			if late-early > 500*time.Millisecond {
				t.Errorf("the viewer's lag grew from %s to %s over the run", early, late)
			}
			st := status(t, e, id)
			if st.State != relay.StateOnline || st.Reconnects != 0 {
				t.Errorf("status = %s (%s), %d reconnects", st.State, st.Reason, st.Reconnects)
			}
			t.Logf("%s: %d frames, delay median %s max %s, lag %s → %s, status fps %.1f",
				tc.name, len(delays), median(delays), slices.Max(delays), early, late, st.FPS)
		})
	}
}
