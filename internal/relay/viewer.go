package relay

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"
)

// ViewerInfo says who is watching, for scope checks and the audit log.
type ViewerInfo struct {
	UserID     int64
	Username   string
	RemoteAddr string
	// SessionID is the login session the view was opened with (0 if
	// none); the view ends when that session does.
	SessionID int64
}

// viewer is one WHEP session: a peer connection, its tracks, a bounded
// queue filled by the hub and one writer goroutine that drains it.
type viewer struct {
	id    string
	hub   *Hub
	info  ViewerInfo
	log   *slog.Logger
	pc    *webrtc.PeerConnection
	video *outTrack
	audio *outTrack // nil when the camera's audio is not relayed
	q     *viewerQueue

	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	connected chan struct{}
	connOnce  sync.Once
	closeOnce sync.Once

	started    time.Time
	firstFrame atomic.Int64 // unix nanos of the first video packet sent
	confirmed  atomic.Bool  // the viewer reported receiving media
	replays    atomic.Int32
	lastReplay atomic.Int64
	burstRate  float64
}

func (v *viewer) markConnected() { v.connOnce.Do(func() { close(v.connected) }) }

// start launches the writer and the RTCP readers.
func (v *viewer) start() {
	v.wg.Add(1)
	go v.writeLoop()
	for _, s := range v.pc.GetSenders() {
		v.wg.Add(1)
		go v.readRTCP(s)
	}
}

// writeLoop sends queued frames. It waits until the track is bound and the
// connection is up, because pion silently drops what is written earlier.
func (v *viewer) writeLoop() {
	defer v.wg.Done()
	select {
	case <-v.ctx.Done():
		return
	case <-v.video.bound:
	}
	select {
	case <-v.ctx.Done():
		return
	case <-v.connected:
	}
	pace := newPacer(v.burstRate, 128*1024)
	spread := newPacer(max(v.burstRate, spreadRate), spreadBucket)
	for {
		it, ok := v.q.pop()
		if !ok {
			select {
			case <-v.ctx.Done():
				return
			case <-v.q.notify:
				continue
			}
		}
		var p *pacer
		switch {
		case it.burst:
			p = pace
		case it.f.bytes > spreadBucket:
			p = spread
		}
		if err := v.sendPaced(it.f, p); err != nil {
			if errors.Is(err, io.ErrClosedPipe) || errors.Is(err, io.EOF) {
				v.log.Debug("viewer transport closed", "err", err)
				v.hub.removeViewer(v, "transport closed")
				return
			}
		}
	}
}

// Live frames larger than spreadBucket (a 4K keyframe is ≈300 KB) are
// spread at spreadRate or the burst rate, whichever is higher: sent in one
// go, 250 datagrams overflow a receiver's default 208 KB socket buffer and
// the keyframe is lost, every time (README.md in internal/rtsp, case 19).
const (
	spreadBucket = 64 << 10
	spreadRate   = 8 << 20 // bytes per second, 64 Mbit/s
)

// send writes one frame with this viewer's SSRC, payload type and
// sequence numbers on a copy of each shared header.
func (v *viewer) send(f *frame) error { return v.sendPaced(f, nil) }

// sendPaced is send with each packet paced by p when p is not nil.
func (v *viewer) sendPaced(f *frame, p *pacer) error {
	tr := v.video
	if f.kind == kindAudio {
		tr = v.audio
	}
	if tr == nil {
		return nil
	}
	w, ssrc, pt := tr.binding()
	if w == nil {
		return nil
	}
	for _, pkt := range f.pkts {
		if p != nil && !p.wait(v.ctx, len(pkt.Payload)) {
			return v.ctx.Err()
		}
		h := &tr.hdrs[int(tr.seq)%len(tr.hdrs)]
		*h = pkt.Header
		h.SSRC = ssrc
		h.PayloadType = pt
		h.SequenceNumber = tr.seq
		tr.seq++
		if _, err := w.WriteRTP(h, pkt.Payload); err != nil {
			return err
		}
	}
	tr.sent.Add(uint64(len(f.pkts)))
	if f.kind == kindVideo && v.firstFrame.Load() == 0 {
		v.firstFrame.Store(time.Now().UnixNano())
	}
	return nil
}

// readRTCP drains a sender's RTCP: without it pion's interceptors never
// see NACKs. A picture loss indication before the viewer has confirmed
// receiving anything means the start of the burst was lost while its
// transport came up, so the cached GOP is sent again.
func (v *viewer) readRTCP(s *webrtc.RTPSender) {
	defer v.wg.Done()
	for {
		pkts, _, err := s.ReadRTCP()
		if err != nil {
			return
		}
		for _, p := range pkts {
			switch p := p.(type) {
			case *rtcp.ReceiverReport:
				if len(p.Reports) > 0 {
					v.confirmed.Store(true)
				}
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				v.onPictureLoss()
			}
		}
	}
}

func (v *viewer) onPictureLoss() {
	if v.confirmed.Load() || v.replays.Load() >= 5 {
		// Later losses are repaired by NACK or the camera's next keyframe:
		// replaying an old GOP would move the picture back in time.
		return
	}
	now := time.Now().UnixNano()
	if now-v.lastReplay.Load() < int64(300*time.Millisecond) {
		return
	}
	v.lastReplay.Store(now)
	v.replays.Add(1)
	v.hub.replayCache(v)
}

// close ends the session and waits for its goroutines.
func (v *viewer) close() {
	v.closeOnce.Do(func() {
		v.cancel()
		v.q.close()
		if v.pc != nil {
			if err := v.pc.Close(); err != nil {
				v.log.Debug("close peer connection", "err", err)
			}
		}
		v.wg.Wait()
	})
}

// firstFrameDelay is the time from the WHEP request to the first video
// packet sent, or 0 if none was sent yet.
func (v *viewer) firstFrameDelay() time.Duration {
	ns := v.firstFrame.Load()
	if ns == 0 {
		return 0
	}
	return time.Duration(ns - v.started.UnixNano())
}
