package camsim

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
	"github.com/pion/rtp"
)

const (
	frameDuration = time.Second / clipFPS
	rtpPerFrame   = h264ClockRate / clipFPS
	// maxLag is how far a sender may fall behind the wall clock (a stalled
	// process, a suspended machine) before it stops catching up in a burst
	// and re-anchors its clock instead.
	maxLag = clipFPS
)

// simPath is one simulated camera: a ServerStream fed by a single sender.
type simPath struct {
	stream *gortsplib.ServerStream
	clip   *clip
	offset int // first frame of the clip this path sends
}

// run sends the clip in a loop at clipFPS until ctx is done. The frame count
// drives both the RTP timestamp and the NTP time of sender reports, so both
// stay continuous across loop boundaries.
func (p *simPath) run(ctx context.Context, log *slog.Logger) {
	medi := p.stream.Desc.Medias[0]
	// gortsplib sets the SSRC; sequence and timestamp start randomly
	// (RFC 3550 §5.1).
	pkt := &rtp.Packet{Header: rtp.Header{
		Version:        2,
		PayloadType:    payloadType,
		SequenceNumber: uint16(rand.Uint32()),
	}}
	tsBase := rand.Uint32()

	ticker := time.NewTicker(frameDuration)
	defer ticker.Stop()

	start := time.Now()
	var sent int64 // frames sent so far
	idx := p.offset
	for {
		due := int64(time.Since(start)/frameDuration) + 1
		if due-sent > maxLag {
			log.Warn("sender fell behind, skipping ahead", "frames", due-sent)
			start = time.Now().Add(-time.Duration(sent) * frameDuration)
			due = sent + 1
		}
		for ; sent < due; sent++ {
			f := &p.clip.frames[idx]
			pkt.Timestamp = tsBase + uint32(sent)*rtpPerFrame
			ntp := start.Add(time.Duration(sent) * frameDuration)
			for _, part := range f.packets {
				pkt.Marker = part.marker
				pkt.Payload = part.payload
				// The stream marshals pkt before returning, so it can be reused.
				if err := p.stream.WritePacketRTPWithNTP(medi, pkt, ntp); err != nil {
					if errors.Is(err, liberrors.ErrServerStreamClosed{}) {
						return
					}
					log.Warn("write rtp packet", "err", err)
				}
				pkt.SequenceNumber++
			}
			idx++
			if idx == len(p.clip.frames) {
				idx = 0
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}
