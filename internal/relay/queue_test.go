package relay

import (
	"context"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

func testFrame(key bool, size int) *frame {
	return newFrame(kindVideo, key, []*rtp.Packet{{Header: rtp.Header{Version: 2, Marker: true}, Payload: make([]byte, size)}})
}

func TestViewerQueueOverflowResyncsAtKeyframe(t *testing.T) {
	q := newViewerQueue(4)
	for i := range 4 {
		if !q.push(queueItem{f: testFrame(i == 0, 10)}) {
			t.Fatalf("push %d dropped", i)
		}
	}
	// Full: the fifth frame drops everything queued.
	if q.push(queueItem{f: testFrame(false, 10)}) {
		t.Fatal("push into a full queue succeeded")
	}
	if _, ok := q.pop(); ok {
		t.Fatal("queue not emptied on overflow")
	}
	// Until a keyframe, nothing is accepted.
	if q.push(queueItem{f: testFrame(false, 10)}) {
		t.Fatal("delta frame accepted while waiting for a keyframe")
	}
	if q.push(queueItem{f: newFrame(kindAudio, false, nil)}) {
		t.Fatal("audio accepted while waiting for a keyframe")
	}
	key := testFrame(true, 10)
	if !q.push(queueItem{f: key}) {
		t.Fatal("keyframe refused")
	}
	if it, ok := q.pop(); !ok || it.f != key {
		t.Fatal("keyframe not delivered first after resync")
	}
	dropped, overflows, _ := q.stats()
	if dropped != 7 || overflows != 1 {
		t.Errorf("dropped=%d overflows=%d, want 7 and 1", dropped, overflows)
	}
}

func TestGOPCacheKeepsLatestGOPWithinCap(t *testing.T) {
	c := newGOPCache(100)
	c.add(testFrame(false, 10))
	if c.snapshot() != nil {
		t.Fatal("cache holds frames before any keyframe")
	}
	k1 := testFrame(true, 10)
	c.add(k1)
	c.add(testFrame(false, 10))
	k2 := testFrame(true, 10)
	c.add(k2)
	c.add(testFrame(false, 10))
	snap := c.snapshot()
	if len(snap) != 2 || snap[0] != k2 {
		t.Fatalf("snapshot = %d frames starting %v, want 2 from the latest keyframe", len(snap), snap[0] == k1)
	}
	// Past the cap the cache gives up until the next keyframe.
	for range 10 {
		c.add(testFrame(false, 10))
	}
	if c.snapshot() != nil {
		t.Fatal("cache kept a GOP larger than its cap")
	}
	c.add(testFrame(true, 10))
	if len(c.snapshot()) != 1 {
		t.Fatal("cache did not restart at the next keyframe")
	}
}

func TestPacerLimitsBurstRate(t *testing.T) {
	p := newPacer(1e6, 1000) // 1 MB/s, 1 KB bucket
	start := time.Now()
	for range 50 {
		p.wait(context.Background(), 1000) // 50 KB
	}
	if el := time.Since(start); el < 30*time.Millisecond {
		t.Errorf("50 KB at 1 MB/s took %s; the pacer does not pace", el)
	}
}

// countingWriter stands in for pion's SRTP writer in the benchmark.
type countingWriter struct{ n int }

func (w *countingWriter) WriteRTP(_ *rtp.Header, p []byte) (int, error) { w.n++; return len(p), nil }
func (w *countingWriter) Write(b []byte) (int, error)                   { return len(b), nil }

var _ webrtc.TrackLocalWriter = (*countingWriter)(nil)

// BenchmarkFanOut measures the relay's own per-viewer work for one
// camera frame of 4 packets: queueing it for every viewer and each
// viewer's writer sending it with its own header. Reported per packet per
// viewer; the target is zero allocations.
func BenchmarkFanOut(b *testing.B) {
	for _, viewers := range []int{1, 100} {
		b.Run(map[int]string{1: "viewers=1", 100: "viewers=100"}[viewers], func(b *testing.B) {
			vs := make([]*viewer, viewers)
			for i := range vs {
				tr := newOutTrack(webrtc.RTPCodecTypeVideo, webrtc.MimeTypeH264, "video", "s")
				tr.writer, tr.ssrc, tr.pt = &countingWriter{}, uint32(i), 102
				vs[i] = &viewer{video: tr, q: newViewerQueue(1024)}
			}
			pkts := make([]*rtp.Packet, 4)
			for i := range pkts {
				pkts[i] = &rtp.Packet{Header: rtp.Header{Version: 2, Timestamp: 90000}, Payload: make([]byte, 1200)}
			}
			f := newFrame(kindVideo, false, pkts)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				for _, v := range vs {
					v.q.push(queueItem{f: f})
				}
				for _, v := range vs {
					it, _ := v.q.pop()
					_ = v.send(it.f)
				}
			}
			b.StopTimer()
			perPkt := float64(b.Elapsed().Nanoseconds()) / float64(b.N*viewers*len(pkts))
			b.ReportMetric(perPkt, "ns/pkt/viewer")
		})
	}
}
