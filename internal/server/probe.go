package server

import (
	"context"
	"strings"

	"github.com/vms-project/vms/internal/camera"
	"github.com/vms-project/vms/internal/rtsp"
)

// probeJSON is the answer of POST /api/v1/cameras/probe. It has no field
// that could carry the password.
type probeJSON struct {
	OK        bool        `json:"ok"`
	ElapsedMS int64       `json:"elapsed_ms"`
	Transport string      `json:"transport,omitempty"`
	Video     *probeVideo `json:"video,omitempty"`
	Audio     *probeAudio `json:"audio"`
	Ignored   []string    `json:"ignored"`
	Warnings  []string    `json:"warnings"`
}

// probeFailJSON is the answer when the camera could not be played.
type probeFailJSON struct {
	OK        bool     `json:"ok"`
	ElapsedMS int64    `json:"elapsed_ms"`
	Error     string   `json:"error"`
	Warnings  []string `json:"warnings,omitempty"`
}

type probeVideo struct {
	Codec   string `json:"codec"`
	Profile string `json:"profile"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
}

type probeAudio struct {
	Codec string `json:"codec"`
	Note  string `json:"note"`
}

// probeCamera is camera.Handlers.Probe: one rtsp.Probe, answered in the
// words the camera status uses. notes (the handler's, e.g. a withheld
// stored password) come first in warnings, on success and failure alike.
func (s *Server) probeCamera(ctx context.Context, src camera.Source, notes []string) any {
	res, err := rtsp.Probe(ctx, rtsp.Source{URL: src.URL, Username: src.Username, Password: src.Password,
		Transport: src.Transport, TLSFingerprint: src.TLSFingerprint}, rtsp.DefaultProbeTimeout)
	out := probeJSON{OK: err == nil, ElapsedMS: res.Elapsed.Milliseconds(), Ignored: nonNilStrings(res.Ignored),
		Warnings: append(append([]string{}, notes...), res.Warnings...)}
	if err != nil {
		// rtsp redacts already; never trust a library's error text with it.
		fail := probeFailJSON{OK: false, ElapsedMS: out.ElapsedMS, Error: scrub(err.Error(), src.Password)}
		if len(notes) > 0 {
			fail.Warnings = notes
		}
		return fail
	}
	out.Transport = res.Transport
	out.Video = &probeVideo{Codec: res.Video.Codec, Profile: res.Video.Profile, Width: res.Video.Width, Height: res.Video.Height}
	if a := res.Audio; a != nil {
		out.Audio = &probeAudio{Codec: a.Codec}
		if !a.Playable {
			out.Audio.Note = "audio not playable in browser: " + a.Reason
		}
	}
	for i := range out.Warnings {
		out.Warnings[i] = scrub(out.Warnings[i], src.Password)
	}
	return out
}

func scrub(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "***")
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
