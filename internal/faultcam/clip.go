package faultcam

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
)

// Video codecs a Clip can hold.
const (
	H264 = "H264"
	H265 = "H265"
)

// Clip is an elementary video stream split into access units. Clips are
// read-only once loaded and may be shared by cameras.
type Clip struct {
	Codec string
	// Frames are the access units in decoding order; Frames[0] is a
	// keyframe. Each holds the NAL units without start codes.
	Frames []ClipFrame
	// VPS (H.265 only), SPS and PPS are the first parameter sets found.
	VPS, SPS, PPS []byte
	// FPS is the rate the camera sends frames at unless told otherwise.
	FPS float64
}

// ClipFrame is one access unit of a clip.
type ClipFrame struct {
	NALUs [][]byte
	IDR   bool
}

// LoadClip reads an Annex-B file (see testdata/make.sh): ".h265" and
// ".hevc" files are H.265, anything else H.264. Access units are split at
// access-unit delimiters, which every fixture carries.
func LoadClip(path string) (*Clip, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("faultcam: %w", err)
	}
	codec := H264
	if strings.HasSuffix(path, ".h265") || strings.HasSuffix(path, ".hevc") {
		codec = H265
	}
	return ParseClip(codec, data)
}

// ParseClip splits an Annex-B stream of the given codec into access units.
func ParseClip(codec string, annexB []byte) (*Clip, error) {
	var nalus h264.AnnexB // the start-code syntax is the same for H.265
	if err := nalus.Unmarshal(annexB); err != nil {
		return nil, fmt.Errorf("faultcam: parse clip: %w", err)
	}
	c := &Clip{Codec: codec, FPS: 25}
	var au [][]byte
	flush := func() {
		if len(au) > 0 {
			c.Frames = append(c.Frames, ClipFrame{NALUs: au, IDR: c.isRandomAccess(au)})
		}
		au = nil
	}
	for _, n := range nalus {
		if len(n) == 0 {
			continue
		}
		switch c.kind(n) {
		case nalAUD:
			flush()
		case nalVPS:
			c.VPS = firstNonNil(c.VPS, n)
		case nalSPS:
			c.SPS = firstNonNil(c.SPS, n)
		case nalPPS:
			c.PPS = firstNonNil(c.PPS, n)
		}
		au = append(au, n)
	}
	flush()
	switch {
	case len(c.Frames) == 0:
		return nil, errors.New("faultcam: clip has no access units")
	case !c.Frames[0].IDR:
		return nil, errors.New("faultcam: clip does not start with a keyframe")
	case c.SPS == nil || c.PPS == nil || (codec == H265 && c.VPS == nil):
		return nil, errors.New("faultcam: clip has no parameter sets")
	}
	return c, nil
}

func firstNonNil(a, b []byte) []byte {
	if a != nil {
		return a
	}
	return b
}

// Sprop is the fmtp parameter that announces the clip's parameter sets in
// an SDP (RFC 6184 §8.1, RFC 7798 §7.1).
func (c *Clip) Sprop() string {
	b64 := base64.StdEncoding.EncodeToString
	if c.Codec == H265 {
		return fmt.Sprintf("sprop-vps=%s;sprop-sps=%s;sprop-pps=%s", b64(c.VPS), b64(c.SPS), b64(c.PPS))
	}
	return fmt.Sprintf("sprop-parameter-sets=%s,%s", b64(c.SPS), b64(c.PPS))
}

// Duration is how long one pass through the clip takes at its FPS.
func (c *Clip) Duration() time.Duration {
	return time.Duration(float64(len(c.Frames)) / c.FPS * float64(time.Second))
}

type nalKind int

const (
	nalOther nalKind = iota
	nalAUD
	nalVPS
	nalSPS
	nalPPS
)

func (c *Clip) kind(n []byte) nalKind { return naluKind(c.Codec, n) }

func naluKind(codec string, n []byte) nalKind {
	if codec == H265 {
		switch h265.NALUType((n[0] >> 1) & 0x3f) {
		case h265.NALUType_AUD_NUT:
			return nalAUD
		case h265.NALUType_VPS_NUT:
			return nalVPS
		case h265.NALUType_SPS_NUT:
			return nalSPS
		case h265.NALUType_PPS_NUT:
			return nalPPS
		}
		return nalOther
	}
	switch h264.NALUType(n[0] & 0x1f) {
	case h264.NALUTypeAccessUnitDelimiter:
		return nalAUD
	case h264.NALUTypeSPS:
		return nalSPS
	case h264.NALUTypePPS:
		return nalPPS
	}
	return nalOther
}

// IsParameterSet reports whether n is a VPS, SPS or PPS of codec.
func IsParameterSet(codec string, n []byte) bool {
	k := naluKind(codec, n)
	return k == nalVPS || k == nalSPS || k == nalPPS
}

func (c *Clip) isRandomAccess(au [][]byte) bool {
	if c.Codec == H265 {
		return h265.IsRandomAccess(au)
	}
	return h264.IsRandomAccess(au)
}
