package faultcam

import (
	"math/rand/v2"
	"sync"

	"github.com/pion/rtp"
)

// Packet alterations for Config.Alter. Each returns a fresh function with
// its own state; an AlterFunc runs in one session's sender goroutine, but
// the helpers lock anyway so that one may serve several sessions. Payloads
// are shared with the clip: copy before changing one.

// Chain applies fs in order, each seeing the previous one's packets.
func Chain(fs ...AlterFunc) AlterFunc {
	return func(f *Frame) []*rtp.Packet {
		for _, fn := range fs {
			f.Packets = fn(f)
		}
		return f.Packets
	}
}

// DropRandom drops each packet with probability rate (deterministic for a
// seed), leaving gaps in the sequence numbers as a lossy link does.
func DropRandom(rate float64, seed uint64) AlterFunc {
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return func(f *Frame) []*rtp.Packet {
		mu.Lock()
		defer mu.Unlock()
		out := f.Packets[:0:0]
		for _, p := range f.Packets {
			if rng.Float64() >= rate {
				out = append(out, p)
			}
		}
		return out
	}
}

// DropKeyframeMiddle drops the middle packet of the first n keyframes
// that span at least three packets: a fragmented IDR that lost a piece.
func DropKeyframeMiddle(n int) AlterFunc {
	var mu sync.Mutex
	done := 0
	return func(f *Frame) []*rtp.Packet {
		mu.Lock()
		defer mu.Unlock()
		if !f.IDR || len(f.Packets) < 3 || done >= n {
			return f.Packets
		}
		done++
		mid := len(f.Packets) / 2
		return append(f.Packets[:mid:mid], f.Packets[mid+1:]...)
	}
}

// NewSSRCEachKeyframe gives every keyframe after the first a new SSRC and
// new random sequence number and timestamp bases, as cameras that restart
// their RTP sender per GOP do.
func NewSSRCEachKeyframe() AlterFunc {
	var mu sync.Mutex
	var ssrc uint32
	var seqOff uint16
	var tsOff uint32
	seen := false
	return func(f *Frame) []*rtp.Packet {
		mu.Lock()
		defer mu.Unlock()
		if f.IDR {
			if seen {
				ssrc, seqOff, tsOff = rand.Uint32(), uint16(rand.Uint32()), rand.Uint32()
			}
			seen = true
		}
		if ssrc == 0 {
			return f.Packets
		}
		out := make([]*rtp.Packet, len(f.Packets))
		for i, p := range f.Packets {
			c := *p
			c.SSRC, c.SequenceNumber, c.Timestamp = ssrc, p.SequenceNumber+seqOff, p.Timestamp+tsOff
			out[i] = &c
		}
		return out
	}
}

// ParamSetsAsOwnFrames sends a keyframe's parameter sets each in its own
// packet, marked as the end of a frame and stamped with the previous
// frame's timestamp, then the rest of the keyframe: seen on some Reolink
// firmware.
func ParamSetsAsOwnFrames(codec string) AlterFunc {
	return func(f *Frame) []*rtp.Packet {
		if !f.IDR {
			return f.Packets
		}
		var sets, rest [][]byte
		for _, n := range f.NALUs {
			if IsParameterSet(codec, n) {
				sets = append(sets, n)
			} else {
				rest = append(rest, n)
			}
		}
		var out []*rtp.Packet
		for _, s := range sets {
			out = append(out, f.Pack([][]byte{s}, f.PrevTimestamp, true)...)
		}
		return append(out, f.Pack(rest, f.Timestamp, true)...)
	}
}

// ParamSetsOnce removes in-band parameter sets from every frame but the
// session's first, like cameras that send them once after PLAY.
func ParamSetsOnce(codec string) AlterFunc {
	return func(f *Frame) []*rtp.Packet {
		if f.Index == 0 || !f.IDR {
			return f.Packets
		}
		var rest [][]byte
		for _, n := range f.NALUs {
			if !IsParameterSet(codec, n) {
				rest = append(rest, n)
			}
		}
		return f.Pack(rest, f.Timestamp, true)
	}
}

// ClearMarkers clears the marker bit of every packet, so that only a
// timestamp change ends a frame.
func ClearMarkers() AlterFunc {
	return func(f *Frame) []*rtp.Packet {
		out := make([]*rtp.Packet, len(f.Packets))
		for i, p := range f.Packets {
			c := *p
			c.Marker = false
			out[i] = &c
		}
		return out
	}
}
