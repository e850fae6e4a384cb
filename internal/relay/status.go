package relay

import "time"

// State is a camera's life-cycle state as operators see it.
type State string

// Camera states.
const (
	StateIdle       State = "idle"       // not pulled: nobody watches an on-demand camera
	StateConnecting State = "connecting" // connecting or waiting for the first frame
	StateOnline     State = "online"     // frames are arriving
	StateOffline    State = "offline"    // unreachable, silent or dropped; retrying
	StateError      State = "error"      // the camera refuses us (credentials, path, codec); retrying
)

// Status is a snapshot of one camera's relay state.
type Status struct {
	State       State     `json:"state"`
	Reason      string    `json:"reason,omitempty"`
	Since       time.Time `json:"since"`
	LastFrameAt time.Time `json:"last_frame_at,omitzero"`
	Transport   string    `json:"transport,omitempty"`
	VideoCodec  string    `json:"video_codec,omitempty"`
	Profile     string    `json:"profile,omitempty"`
	Width       int       `json:"width,omitempty"`
	Height      int       `json:"height,omitempty"`
	FPS         float64   `json:"fps,omitempty"`
	BitrateKbps float64   `json:"bitrate_kbps,omitempty"`
	AudioCodec  string    `json:"audio_codec,omitempty"`
	// AudioNote explains why the camera's audio is not played.
	AudioNote  string   `json:"audio_note,omitempty"`
	Viewers    int      `json:"viewers"`
	Reconnects uint64   `json:"reconnects"`
	Frames     uint64   `json:"frames"`
	Ignored    []string `json:"ignored,omitempty"`
	Warnings   []string `json:"warnings,omitempty"`
	// DroppedFrames counts frames dropped for viewers that were too slow.
	DroppedFrames uint64 `json:"dropped_frames"`
	Pulling       bool   `json:"pulling"`
}

// rateMeter measures frames and bits per second over about one second.
type rateMeter struct {
	start         time.Time
	frames, bytes int
	fps, kbps     float64
}

func (m *rateMeter) add(now time.Time, bytes int) {
	if m.start.IsZero() {
		m.start = now
	}
	m.frames++
	m.bytes += bytes
	if el := now.Sub(m.start); el >= time.Second {
		m.fps = float64(m.frames) / el.Seconds()
		m.kbps = float64(m.bytes) * 8 / 1000 / el.Seconds()
		m.start, m.frames, m.bytes = now, 0, 0
	}
}

func (m *rateMeter) reset() { *m = rateMeter{} }
