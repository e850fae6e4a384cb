package relay

import "github.com/pion/rtp"

// trackKind says which of a viewer's tracks a frame goes to.
type trackKind uint8

const (
	kindVideo trackKind = iota
	kindAudio
)

// frame is one access unit (or one audio packet) packetized once for all
// viewers. Frames and their packets are shared read-only between viewers
// and the keyframe cache: nothing may modify them after publication.
// Sequence numbers and SSRC are rewritten per viewer on a copy of the
// header when sending.
type frame struct {
	kind     trackKind
	keyframe bool
	pkts     []*rtp.Packet
	bytes    int
}

func newFrame(kind trackKind, key bool, pkts []*rtp.Packet) *frame {
	f := &frame{kind: kind, keyframe: key, pkts: pkts}
	for _, p := range pkts {
		f.bytes += len(p.Payload) + 12
	}
	return f
}

// gopCache keeps the frames since the latest keyframe so that a new viewer
// starts at once instead of waiting for the camera's next keyframe.
type gopCache struct {
	frames   []*frame
	bytes    int
	maxBytes int
	// valid is false while no complete GOP prefix is held (before the
	// first keyframe, or after the cap was exceeded).
	valid bool
}

func newGOPCache(maxBytes int) *gopCache { return &gopCache{maxBytes: maxBytes} }

func (c *gopCache) add(f *frame) {
	if f.keyframe {
		// Release the old GOP: viewers hold their own references.
		clear(c.frames)
		c.frames = c.frames[:0]
		c.bytes = 0
		c.valid = true
	}
	if !c.valid {
		return
	}
	if c.bytes+f.bytes > c.maxBytes {
		// A GOP this long or large would cost more memory than starting
		// at the next keyframe saves; late joiners wait for it.
		c.reset()
		return
	}
	c.frames = append(c.frames, f)
	c.bytes += f.bytes
}

func (c *gopCache) reset() {
	clear(c.frames)
	c.frames = c.frames[:0]
	c.bytes = 0
	c.valid = false
}

// snapshot returns the cached frames, oldest (the keyframe) first. The
// returned slice must not be modified.
func (c *gopCache) snapshot() []*frame {
	if !c.valid || len(c.frames) == 0 {
		return nil
	}
	return c.frames[:len(c.frames):len(c.frames)]
}
