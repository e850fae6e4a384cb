package relay_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vms-project/vms/internal/faultcam"
	"github.com/vms-project/vms/internal/relay"
	"github.com/vms-project/vms/internal/rtsp"
	"github.com/vms-project/vms/internal/whepclient"
)

// fanoutViewers is how many well-behaved viewers TestCompatManyViewersOneSlow
// opens (issue 5 asks for 100). With -short it uses fewer.
const fanoutViewers = 100

// TestCompatManyViewersOneSlow is case 20: 100 pion viewers watch one
// camera while another viewer stops reading for 5 s. Every other viewer
// gets every frame the camera sent in the meantime, with no sequence gap
// and no pause; the camera is pulled once and never reconnects. The slow
// viewer, once it reads again, is back on live frames and gets a fresh
// keyframe. (A viewer whose network stops draining is cut back to a
// keyframe by the relay's queue: TestSlowViewerDelaysNobody, which pion
// cannot produce over UDP because its writes never block.)
func TestCompatManyViewersOneSlow(t *testing.T) {
	n := fanoutViewers
	if testing.Short() {
		n = 20
	}
	clip := fixture(t, "h264_360p.h264")
	var sent atomic.Int64
	cam := startCam(t, faultcam.Config{Video: clip, OnSent: func(*faultcam.Frame, time.Time) { sent.Add(1) }})
	opts := compatOptions()
	opts.MaxViewersPerCamera = n + 10
	e := newEnv(t, opts)
	e.relay.Configure(relay.CameraConfig{ID: 200, Source: rtsp.Source{URL: cam.URL(), Transport: "tcp"}, OnDemand: true})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	// The slow viewer blocks in its receive goroutine while stalled.
	var stallMu sync.RWMutex
	var stalled atomic.Bool
	var keysAfter atomic.Int64
	var lastSlow atomic.Int64
	slow := dial(t, ctx, e.endpoint(200), whepclient.Options{OnFrame: func(f whepclient.Frame) {
		stallMu.RLock()
		stallMu.RUnlock()
		lastSlow.Store(f.Arrived.UnixNano())
		if f.IDR && !stalled.Load() {
			keysAfter.Add(1)
		}
	}})
	waitFor(t, "slow viewer's first frame", 20*time.Second, func() bool { return slow.Stats().FirstFrame > 0 })

	gaps := make([]*gapLog, n)
	for i := range gaps {
		gaps[i] = newGapLog()
	}
	start := time.Now()
	// A browser-like trickle of 10 handshakes at a time, not 100 at once.
	viewers := dialMany(t, ctx, e.endpoint(200), n, 10, func(i int) whepclient.Options {
		return whepclient.Options{OnFrame: gaps[i].onFrame}
	})
	if viewers == nil {
		return
	}
	t.Logf("%d viewers connected in %s", n, time.Since(start).Round(time.Millisecond))
	time.Sleep(time.Second) // past the cached-GOP bursts

	before := make([]whepclient.Stats, n)
	for i, v := range viewers {
		before[i] = v.Stats()
		gaps[i].reset()
	}
	sent0 := sent.Load()
	stallMu.Lock()
	stalled.Store(true)
	time.Sleep(5 * time.Second)
	stalled.Store(false)
	releasedAt := time.Now()
	stallMu.Unlock()
	time.Sleep(3 * time.Second)
	sent1 := sent.Load()

	camFrames := int(sent1 - sent0)
	worst := 0
	for i, v := range viewers {
		s := v.Stats()
		got := int(s.Frames - before[i].Frames)
		_, gap := gaps[i].result()
		if s.Lost > 0 || got < camFrames-8 || gap > 3*time.Second {
			t.Errorf("viewer %d: %d of the camera's %d frames, %d packets lost, longest pause %s", i, got, camFrames, s.Lost, gap)
		}
		worst = max(worst, camFrames-got)
	}
	t.Logf("camera sent %d frames during the stall and after; the worst viewer was %d behind", camFrames, worst)

	// The slow viewer reads again: it is on live frames and has had a
	// keyframe since.
	waitFor(t, "slow viewer back on a keyframe", 10*time.Second, func() bool { return keysAfter.Load() > 0 })
	waitFor(t, "slow viewer live", 10*time.Second, func() bool {
		return time.Since(time.Unix(0, lastSlow.Load())) < 500*time.Millisecond
	})
	if d := time.Unix(0, lastSlow.Load()).Sub(releasedAt); d < 0 {
		t.Errorf("slow viewer received nothing after it read again")
	}
	st := status(t, e, 200)
	if st.State != relay.StateOnline || st.Reconnects != 0 || st.Viewers != n+1 {
		t.Errorf("status = %s (%s), %d reconnects, %d viewers; want online, 0, %d", st.State, st.Reason, st.Reconnects, st.Viewers, n+1)
	}
	if cs := cam.Stats(); cs.Plays != 1 {
		t.Errorf("camera played %d sessions, want 1 for all viewers", cs.Plays)
	}
	t.Logf("status: %d viewers, %d dropped frames, %.1f fps", st.Viewers, st.DroppedFrames, st.FPS)
}
