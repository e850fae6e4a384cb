package rtsp

import (
	"bytes"
	"encoding/binary"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
)

// Some cameras start a new RTP source (new SSRC, sequence numbers and
// timestamps) at every GOP or after an encoder restart. RFC 3550 allows it,
// but gortsplib v4 drops every packet whose SSRC differs from the first
// one it saw (gortsplib issue #687), which freezes the picture while the
// connection stays up. Over TCP the relay therefore rewrites each
// interleaved RTP stream before gortsplib reads it, so that it looks like
// one continuous source. UDP and RTSPS cannot be rewritten this way (the
// library owns those sockets); there an SSRC change restarts the session,
// over TCP in auto mode.

// rtpContinuity rewrites one RTP stream's SSRC, sequence numbers and
// timestamps so that a change of source continues where the old one
// stopped. It is used by one reader goroutine.
type rtpContinuity struct {
	have           bool
	ssrc, cur      uint32 // the SSRC gortsplib knows; the camera's current one
	seqOff         uint16
	tsOff          uint32
	lastSeq        uint16
	lastTS, tsStep uint32
	lastMarker     bool
	changes        *atomic.Int64
}

// fix rewrites an RTP packet in place; RTCP and garbage pass unchanged.
func (r *rtpContinuity) fix(b []byte) {
	if len(b) < 12 || b[0]>>6 != 2 {
		return
	}
	if pt := b[1] & 0x7f; pt >= 72 && pt <= 76 {
		return // RTCP multiplexed on the RTP channel (RFC 5761 §4)
	}
	ssrc := binary.BigEndian.Uint32(b[8:])
	seq := binary.BigEndian.Uint16(b[2:])
	ts := binary.BigEndian.Uint32(b[4:])
	switch {
	case !r.have:
		r.have, r.ssrc, r.cur = true, ssrc, ssrc
	case ssrc != r.cur:
		r.cur = ssrc
		// Continue right after the old source. If its last frame was left
		// unfinished, keep a one-packet gap so that the loss is noticed.
		gap := uint16(1)
		if !r.lastMarker {
			gap = 2
		}
		r.seqOff = r.lastSeq + gap - seq
		step := r.tsStep
		if step == 0 {
			step = 3000
		}
		r.tsOff = r.lastTS + step - ts
		if r.changes != nil {
			r.changes.Add(1)
		}
	}
	oseq, ots := seq+r.seqOff, ts+r.tsOff
	if d := ots - r.lastTS; r.have && d != 0 && d < 1<<31 {
		r.tsStep = d
	}
	r.lastSeq, r.lastTS, r.lastMarker = oseq, ots, b[1]&0x80 != 0
	binary.BigEndian.PutUint32(b[8:], r.ssrc)
	binary.BigEndian.PutUint16(b[2:], oseq)
	binary.BigEndian.PutUint32(b[4:], ots)
}

// continuityConn wraps a plain RTSP connection and applies rtpContinuity to
// every interleaved RTP packet (RFC 2326 §10.12) it reads. RTSP messages
// pass unchanged. It buffers whole units, so it never hands gortsplib a
// packet that is still being rewritten.
type continuityConn struct {
	net.Conn
	changes *atomic.Int64
	streams map[byte]*rtpContinuity // by interleaved channel
	rbuf    []byte
	in, out []byte
	err     error // read error to report once out is drained
	raw     bool  // not plain RTSP (TLS after a redirect?): pass everything through
	started bool
}

func newContinuityConn(c net.Conn, changes *atomic.Int64) *continuityConn {
	return &continuityConn{Conn: c, changes: changes, streams: map[byte]*rtpContinuity{}, rbuf: make([]byte, 64<<10)}
}

func (c *continuityConn) Read(p []byte) (int, error) {
	for len(c.out) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		n, err := c.Conn.Read(c.rbuf)
		c.in = append(c.in, c.rbuf[:n]...)
		c.err = err
		c.parse()
	}
	n := copy(p, c.out)
	c.out = c.out[n:]
	if len(c.out) == 0 {
		c.out = c.out[:0:0]
	}
	return n, nil
}

// parse moves every complete unit from in to out.
func (c *continuityConn) parse() {
	if !c.started && len(c.in) > 0 {
		// A plain RTSP server speaks first with a response; anything else
		// (a TLS handshake) is not ours to parse.
		c.started, c.raw = true, c.in[0] != 'R'
	}
	for len(c.in) > 0 {
		if c.raw {
			c.out, c.in = append(c.out, c.in...), c.in[:0]
			return
		}
		switch b := c.in[0]; {
		case b == '$':
			if len(c.in) < 4 {
				return
			}
			n := 4 + int(binary.BigEndian.Uint16(c.in[2:]))
			if len(c.in) < n {
				return
			}
			if ch := c.in[1]; ch%2 == 0 {
				s := c.streams[ch]
				if s == nil {
					s = &rtpContinuity{changes: c.changes}
					c.streams[ch] = s
				}
				s.fix(c.in[4:n])
			}
			c.emit(n)
		case b >= 'A' && b <= 'Z':
			n, ok := messageLen(c.in)
			if !ok {
				if len(c.in) > 256<<10 {
					c.raw = true
				}
				return
			}
			c.emit(n)
		default:
			c.emit(1) // gortsplib skips stray bytes itself
		}
	}
	c.in = c.in[:0:0]
}

func (c *continuityConn) emit(n int) {
	c.out = append(c.out, c.in[:n]...)
	c.in = c.in[n:]
}

// messageLen returns the length of the RTSP message at the start of b
// (headers, blank line, Content-Length bytes of body), if b holds it all.
func messageLen(b []byte) (int, bool) {
	pos, clen := 0, 0
	for {
		i := bytes.IndexByte(b[pos:], '\n')
		if i < 0 {
			return 0, false
		}
		line := strings.TrimRight(string(b[pos:pos+i]), "\r")
		pos += i + 1
		if line == "" {
			break
		}
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(strings.TrimSpace(k), "content-length") {
			clen, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	if clen < 0 || len(b) < pos+clen {
		return 0, false
	}
	return pos + clen, true
}
