package rtsp

import "time"

// Codec names as the status reports them.
const (
	CodecH264 = "H264"
	CodecH265 = "H265"
	CodecPCMA = "PCMA"
	CodecPCMU = "PCMU"
	CodecOpus = "Opus"
)

// VideoTrack describes the camera's video as announced by its SDP.
type VideoTrack struct {
	Codec     string // CodecH264 or CodecH265
	ClockRate int
	// Parameter sets from the SDP; each may be nil (many cameras send them
	// only in-band).
	VPS, SPS, PPS []byte
}

// AudioTrack describes the camera's audio.
type AudioTrack struct {
	Codec     string // CodecPCMA, CodecPCMU, CodecOpus or what the camera sent
	ClockRate int
	Channels  int
	// Playable is false when browsers cannot play this audio over WebRTC
	// (AAC, G.711 at rates other than 8 kHz …); the video still plays.
	Playable bool
	Reason   string
}

// StreamInfo is what a session found in the camera's stream.
type StreamInfo struct {
	Video     *VideoTrack // nil when the camera has no usable video
	Audio     *AudioTrack // nil when the camera sends no audio
	Transport string      // "UDP" or "TCP"
	// Ignored lists the SDP media sections not relayed, in words an
	// administrator can act on.
	Ignored []string
	// Warnings are camera quirks worked around (a broken SDP value, a
	// transport fallback and why), in the same words.
	Warnings []string
}

// VideoUnit is one access unit (a frame) of H.264 or H.265.
type VideoUnit struct {
	NALUs [][]byte
	// PTS in ClockRate units from the start of the session.
	PTS int64
	// RandomAccess is true for an IDR/IRAP frame that a decoder can start at.
	RandomAccess bool
	// Received is when the last packet of the frame arrived.
	Received time.Time
}

// AudioPacket is one RTP payload of audio, relayed as it is.
type AudioPacket struct {
	Payload []byte
	PTS     int64 // in ClockRate units from the start of the session
}

// Handler receives what a Puller reads. OnVideo and OnAudio run in the
// RTSP reader goroutine and must never block.
type Handler interface {
	// OnConnecting is called before each connection attempt.
	OnConnecting(attempt int)
	// OnStream is called once a session plays.
	OnStream(info StreamInfo)
	OnVideo(u VideoUnit)
	OnAudio(p AudioPacket)
	// OnDisconnect is called when a session ends or an attempt fails.
	// retryIn is the backoff before the next attempt.
	OnDisconnect(err error, retryIn time.Duration)
}
