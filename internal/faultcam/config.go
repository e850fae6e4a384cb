package faultcam

import (
	"crypto/tls"
	"time"

	"github.com/pion/rtp"
)

// UDPMode says how the camera answers a SETUP asking for UDP.
type UDPMode int

// UDP behaviours.
const (
	UDPAccept    UDPMode = iota // serve RTP over UDP
	UDPRefuse                   // 461 Unsupported Transport
	UDPBlackhole                // accept, then never send a packet (a firewall in between)
)

// AuthMode is the challenge a camera with a Username sends.
type AuthMode int

// Authentication schemes (RFC 2617).
const (
	AuthDigest AuthMode = iota
	AuthBasic
)

// Config scripts a camera. Only Video is required; every other zero value
// is a well-behaved camera.
type Config struct {
	// Video is looped from its first frame by every session.
	Video *Clip
	// FrameDuration, when set, overrides the clip's FPS per frame (the
	// index counts frames sent in the session), for low or variable rates.
	FrameDuration func(i int) time.Duration
	// Audio, when set, is sent on the audio track if the client sets it up.
	Audio *AudioClip
	// AudioPT is the audio payload type (default 0, PCMU).
	AudioPT uint8

	// SDP is the DESCRIBE answer, sent verbatim; default DefaultSDP.
	// Tracks are matched by their control attribute: VideoControl and
	// AudioControl (default "trackID=1" and "trackID=2"); SETUP of any other
	// control is accepted and gets no data.
	SDP                        string
	VideoControl, AudioControl string
	// SingleNALU sends every NAL unit in its own packet, as H.264
	// packetization-mode=0 requires (RFC 6184 §6.2); otherwise small units
	// are aggregated (STAP-A) and large ones fragmented (FU-A).
	SingleNALU bool
	// MaxPayload is the packetizer's RTP payload limit (default 1400).
	// Over TCP a camera may use up to 65535 - 12.
	MaxPayload int

	// Public is the OPTIONS answer's Public header; OptionsStatus, when
	// set, answers OPTIONS with that status instead of 200.
	Public        string
	OptionsStatus int
	// TCP and UDP say what SETUP accepts. TCPRefuse answers 461 to TCP.
	UDP       UDPMode
	TCPRefuse bool
	// Interleaved, when > 0, is the first interleaved channel the camera
	// picks for TCP (e.g. 20 for "interleaved=20-21"), ignoring the
	// client's request, as some cameras do.
	Interleaved int
	// SessionTimeout is announced in the Session header (whole seconds,
	// rounded up). With DropSilent the camera closes a connection that sent
	// no accepted request for that long after SETUP.
	SessionTimeout time.Duration
	DropSilent     bool
	// RefuseGetParameter answers GET_PARAMETER with 501 (and does not
	// count it as a keepalive), while Public may still list it.
	RefuseGetParameter bool

	// Username and Password, when Username is set, are required for
	// every request but OPTIONS.
	Username, Password string
	Auth               AuthMode

	// Redirect, when it returns a URL for a DESCRIBE's path, answers 302
	// with that Location.
	Redirect func(path string) string

	// TLS, when set, serves RTSPS.
	TLS *tls.Config

	// Alter may drop, change or add packets of each frame on the way out.
	Alter AlterFunc
	// OnSent is called after each video frame was written.
	OnSent func(f *Frame, at time.Time)
	// Faults run relative to the camera's first PLAY.
	Faults []Fault
}

// Frame is one access unit on its way out. Alter receives it with Packets
// already numbered and stamped and returns what is sent.
type Frame struct {
	Index     int  // frames sent in this session before this one
	ClipIndex int  // position in the clip
	IDR       bool // a keyframe
	NALUs     [][]byte
	Timestamp uint32 // RTP timestamp of this frame
	// PrevTimestamp is the previous frame's RTP timestamp.
	PrevTimestamp uint32
	Packets       []*rtp.Packet
	// Pack packetizes NAL units the way the camera does, with the given
	// timestamp and marker on the last packet, using the next sequence
	// numbers: for Alter functions that rebuild a frame.
	Pack func(nalus [][]byte, ts uint32, marker bool) []*rtp.Packet
}

// AlterFunc changes a frame's packets on the way out.
type AlterFunc func(f *Frame) []*rtp.Packet

// FaultKind is something a camera does wrong on a schedule.
type FaultKind int

// Faults.
const (
	StopSending       FaultKind = iota + 1 // keep sessions open but send no media
	ResetConnections                       // reset every client connection
	RefuseConnections                      // close the listener (connection refused)
)

// Fault is one scheduled misbehaviour; For bounds StopSending and
// RefuseConnections.
type Fault struct {
	At   time.Duration
	Kind FaultKind
	For  time.Duration
}

func (c Config) withDefaults() Config {
	if c.VideoControl == "" {
		c.VideoControl = "trackID=1"
	}
	if c.AudioControl == "" {
		c.AudioControl = "trackID=2"
	}
	if c.MaxPayload <= 0 {
		c.MaxPayload = 1400
	}
	if c.Public == "" {
		c.Public = "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER"
	}
	return c
}
