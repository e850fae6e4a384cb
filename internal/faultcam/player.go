package faultcam

import (
	"math/rand/v2"
	"net"
	"sync"
	"time"

	"github.com/pion/rtp"
)

type trackKind int

const (
	trackOther trackKind = iota
	trackVideo
	trackAudio
)

// track is one SETUP: where its packets go.
type track struct {
	kind      trackKind
	ssrc      uint32
	tcp       bool
	channel   int
	rtp, rtcp *net.UDPConn
	dest      *net.UDPAddr
	blackhole bool
}

func (t *track) listenUDP() error {
	var err error
	if t.rtp, err = net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}); err != nil {
		return err
	}
	if t.rtcp, err = net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}); err != nil {
		_ = t.rtp.Close()
		return err
	}
	return nil
}

func (t *track) rtpPort() int  { return t.rtp.LocalAddr().(*net.UDPAddr).Port }
func (t *track) rtcpPort() int { return t.rtcp.LocalAddr().(*net.UDPAddr).Port }

func (t *track) close() {
	if t.rtp != nil {
		_ = t.rtp.Close()
		_ = t.rtcp.Close()
	}
}

// player sends a session's media in real time until stopped.
type player struct {
	cn   *conn
	stop func()
	quit chan struct{}
}

func startPlayer(cn *conn) *player {
	p := &player{cn: cn, quit: make(chan struct{})}
	var wg sync.WaitGroup
	var once sync.Once
	p.stop = func() {
		once.Do(func() { close(p.quit) })
		wg.Wait()
	}
	transport := "UDP"
	for _, t := range cn.tracks {
		if t.tcp {
			transport = "TCP"
		}
		switch {
		case t.kind == trackVideo:
			wg.Add(1)
			go func() { defer wg.Done(); p.video(t) }()
		case t.kind == trackAudio && cn.cam.cfg.Audio != nil:
			wg.Add(1)
			go func() { defer wg.Done(); p.audio(t) }()
		}
	}
	cn.cam.onPlay(transport)
	return p
}

// wait sleeps until at; false when the player stops first.
func (p *player) wait(at time.Time) bool {
	d := time.Until(at)
	if d <= 0 {
		select {
		case <-p.quit:
			return false
		default:
			return true
		}
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-p.quit:
		return false
	case <-t.C:
		return true
	}
}

func (p *player) send(t *track, pkt *rtp.Packet) {
	b, err := pkt.Marshal()
	if err != nil {
		return
	}
	switch {
	case t.tcp:
		_ = p.cn.writeInterleaved(t.channel, b)
	case !t.blackhole:
		_, _ = t.rtp.WriteTo(b, t.dest)
	}
}

func (p *player) video(t *track) {
	cam := p.cn.cam
	cfg := &cam.cfg
	var clip *Clip
	var pk *packer
	ci := 0
	ts := rand.Uint32()
	prevTS := ts
	next := time.Now()
	for i := 0; ; i++ {
		if c := cam.currentVideo(); c != clip {
			clip, ci = c, 0
			if pk == nil {
				pk = newPacker(clip.Codec, cfg, t.ssrc)
			}
		}
		cf := clip.Frames[ci]
		if !p.wait(next) {
			return
		}
		if !cam.stopped.Load() {
			f := &Frame{Index: i, ClipIndex: ci, IDR: cf.IDR, NALUs: cf.NALUs, Timestamp: ts, PrevTimestamp: prevTS}
			seq0 := pk.seq
			f.Packets = pk.pack(cf.NALUs, ts, true)
			repacked := false
			f.Pack = func(nalus [][]byte, ts uint32, marker bool) []*rtp.Packet {
				if !repacked {
					pk.seq, repacked = seq0, true
				}
				return pk.pack(nalus, ts, marker)
			}
			pkts := f.Packets
			if cfg.Alter != nil {
				pkts = cfg.Alter(f)
			}
			sent := 0
			for _, pkt := range pkts {
				p.send(t, pkt)
				// Over UDP a real camera's Ethernet port spreads a big
				// keyframe over a few milliseconds; loopback would deliver
				// it all at once and overrun any socket buffer. Pace to
				// ≈100 Mbit/s.
				if sent += len(pkt.Payload); !t.tcp && sent >= 64<<10 {
					sent = 0
					time.Sleep(5 * time.Millisecond)
				}
			}
			if cfg.OnSent != nil {
				cfg.OnSent(f, time.Now())
			}
		}
		ci = (ci + 1) % len(clip.Frames)
		dur := time.Duration(float64(time.Second) / clip.FPS)
		if cfg.FrameDuration != nil {
			dur = cfg.FrameDuration(i)
		}
		prevTS = ts
		ts += uint32(dur.Seconds() * 90000)
		next = next.Add(dur)
		if time.Since(next) > time.Second {
			next = time.Now() // far behind on a loaded machine: do not burst
		}
	}
}

func (p *player) audio(t *track) {
	cam := p.cn.cam
	a := cam.cfg.Audio
	seq := uint16(rand.Uint32())
	ts := rand.Uint32()
	next := time.Now()
	for i := 0; ; i++ {
		if !p.wait(next) {
			return
		}
		if !cam.stopped.Load() {
			p.send(t, &rtp.Packet{
				Header:  rtp.Header{Version: 2, PayloadType: cam.cfg.AudioPT, SequenceNumber: seq, Timestamp: ts, SSRC: t.ssrc, Marker: i == 0},
				Payload: a.Payloads[i%len(a.Payloads)],
			})
		}
		seq++
		ts += uint32(a.Samples)
		next = next.Add(a.Every())
		if time.Since(next) > time.Second {
			next = time.Now()
		}
	}
}
