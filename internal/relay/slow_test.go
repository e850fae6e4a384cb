package relay

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"github.com/vms-project/vms/internal/rtsp"
)

// blockingWriter stands in for a viewer whose network stopped draining.
type blockingWriter struct {
	release chan struct{}
	n       atomic.Int64
}

func (w *blockingWriter) WriteRTP(_ *rtp.Header, p []byte) (int, error) {
	<-w.release
	w.n.Add(1)
	return len(p), nil
}
func (w *blockingWriter) Write(b []byte) (int, error) { return len(b), nil }

type countWriter struct{ n atomic.Int64 }

func (w *countWriter) WriteRTP(_ *rtp.Header, p []byte) (int, error) { w.n.Add(1); return len(p), nil }
func (w *countWriter) Write(b []byte) (int, error)                   { return len(b), nil }

func testViewer(h *Hub, w webrtc.TrackLocalWriter, queue int) *viewer {
	tr := newOutTrack(webrtc.RTPCodecTypeVideo, webrtc.MimeTypeH264, "video", "s")
	tr.writer, tr.ssrc, tr.pt = w, 1, 102
	close(tr.bound)
	ctx, cancel := context.WithCancel(context.Background())
	v := &viewer{id: randomID(), hub: h, log: slog.New(slog.DiscardHandler), video: tr, q: newViewerQueue(queue),
		ctx: ctx, cancel: cancel, connected: make(chan struct{}), started: time.Now(), burstRate: 1e9}
	v.markConnected()
	return v
}

// syncBuffer collects log lines from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestSlowViewerDelaysNobody: one viewer of 100 stops reading (its network
// stopped draining, which pion over UDP never shows as a blocked write);
// the camera reader keeps publishing without waiting, the other 99 get
// every frame, and the slow one is cut back to a keyframe with its drops
// counted in the status and the reason logged (issue 5, case 20).
func TestSlowViewerDelaysNobody(t *testing.T) {
	logs := &syncBuffer{}
	r, err := New(Options{WebRTC: WebRTCOptions{ListenIP: "127.0.0.1"}}, Hooks{}, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h := newHub(r, CameraConfig{ID: 1, OnDemand: true})
	hh := &hubHandler{h: h}
	hh.OnStream(rtsp.StreamInfo{Video: &rtsp.VideoTrack{Codec: rtsp.CodecH264, ClockRate: 90000, SPS: testSPS, PPS: testPPS}})

	slow := &blockingWriter{release: make(chan struct{})}
	fast := make([]*countWriter, 99)
	var viewers []*viewer
	sv := testViewer(h, slow, 64)
	viewers = append(viewers, sv)
	for i := range fast {
		fast[i] = &countWriter{}
		viewers = append(viewers, testViewer(h, fast[i], 1024))
	}
	for _, v := range viewers {
		if err := h.addViewer(v); err != nil {
			t.Fatal(err)
		}
		v.wg.Add(1)
		go v.writeLoop()
	}

	const frames = 500 // 20 s of video at 25 fps, published as fast as possible
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range frames {
			au := [][]byte{testP}
			if i%50 == 0 {
				au = [][]byte{testIDR}
			}
			hh.OnVideo(rtsp.VideoUnit{NALUs: au, PTS: int64(i) * 3600, RandomAccess: i%50 == 0, Received: time.Now()})
			// Give the fast writers a chance, as a real 25 fps camera would.
			if i%10 == 0 {
				time.Sleep(time.Millisecond)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("the camera reader was blocked by a slow viewer")
	}
	var wg sync.WaitGroup
	for i, w := range fast {
		wg.Add(1)
		go func() {
			defer wg.Done()
			deadline := time.Now().Add(30 * time.Second)
			for w.n.Load() < frames && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if got := w.n.Load(); got != frames {
				t.Errorf("fast viewer %d got %d of %d packets", i, got, frames)
			}
		}()
	}
	wg.Wait()
	dropped, overflows, _ := sv.q.stats()
	if overflows == 0 || dropped == 0 {
		t.Errorf("slow viewer: overflows=%d dropped=%d, want both > 0", overflows, dropped)
	}
	if st := h.Status(); st.DroppedFrames == 0 {
		t.Errorf("status does not count the slow viewer's drops: %+v", st)
	}
	if out := logs.String(); !strings.Contains(out, "viewer too slow") || !strings.Contains(out, sv.id) {
		t.Errorf("no log line names the slow viewer and why its frames were dropped:\n%s", out)
	}
	close(slow.release)
	for _, v := range viewers {
		h.removeViewer(v, "test over")
	}
}
