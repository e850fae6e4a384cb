package relay

import (
	"bytes"
	"fmt"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
)

// videoInfo is what the relay learnt of a camera's video from its
// parameter sets.
type videoInfo struct {
	Width, Height int
	FPS           float64 // as the SPS declares it; 0 when absent
	Profile       string
}

// paramSets tracks a camera's current parameter sets and makes every
// keyframe self-contained: browsers need SPS/PPS (and VPS for H.265)
// right before each IDR, but many cameras send them once, only in the SDP,
// or in a different packet than the IDR.
type paramSets struct {
	h265          bool
	vps, sps, pps []byte
	info          videoInfo
	// warnings holds parameter sets that were ignored as malformed.
	warnings []string
}

func newParamSets(h265 bool, vps, sps, pps []byte) *paramSets {
	p := &paramSets{h265: h265}
	// SDP values are only hints: broken ones are dropped with a warning and
	// the stream's own sets take over.
	if len(vps) > 0 {
		p.vps = vps
	}
	if len(sps) > 0 {
		if _, err := p.parseSPS(sps); err != nil {
			p.warnings = append(p.warnings, fmt.Sprintf("ignored SPS from the camera's SDP: %v", err))
		} else {
			p.setSPS(sps)
		}
	}
	if len(pps) > 0 && validNALU(pps) {
		p.pps = pps
	}
	return p
}

func validNALU(n []byte) bool {
	// An Annex-B start code inside a parameter set means the camera put
	// the wrong encoding in its SDP.
	return len(n) >= 2 && n[0]&0x80 == 0 && !bytes.Contains(n, []byte{0, 0, 1})
}

func (p *paramSets) parseSPS(sps []byte) (videoInfo, error) {
	if !validNALU(sps) {
		return videoInfo{}, fmt.Errorf("not a NAL unit")
	}
	if p.h265 {
		if h265.NALUType((sps[0]>>1)&0x3f) != h265.NALUType_SPS_NUT {
			return videoInfo{}, fmt.Errorf("NAL unit type %d is not an SPS", (sps[0]>>1)&0x3f)
		}
		var s h265.SPS
		if err := s.Unmarshal(sps); err != nil {
			return videoInfo{}, err
		}
		return videoInfo{Width: s.Width(), Height: s.Height(), FPS: s.FPS(), Profile: fmt.Sprintf("H.265 profile %d", s.ProfileTierLevel.GeneralProfileIdc)}, nil
	}
	if h264.NALUType(sps[0]&0x1f) != h264.NALUTypeSPS {
		return videoInfo{}, fmt.Errorf("NAL unit type %d is not an SPS", sps[0]&0x1f)
	}
	var s h264.SPS
	if err := s.Unmarshal(sps); err != nil {
		return videoInfo{}, err
	}
	return videoInfo{Width: s.Width(), Height: s.Height(), FPS: s.FPS(), Profile: h264ProfileName(s.ProfileIdc)}, nil
}

func (p *paramSets) setSPS(sps []byte) {
	info, err := p.parseSPS(sps)
	if err != nil {
		return
	}
	p.sps = sps
	p.info = info
}

func h264ProfileName(idc uint8) string {
	switch idc {
	case 66:
		return "Baseline"
	case 77:
		return "Main"
	case 100:
		return "High"
	}
	return fmt.Sprintf("profile %d", idc)
}

// ready reports whether a keyframe can be completed with known sets.
func (p *paramSets) ready() bool {
	return p.sps != nil && p.pps != nil && (!p.h265 || p.vps != nil)
}

// prepare learns parameter sets from an access unit, drops NAL units that
// only cost datagrams (access-unit delimiters, filler), and, for a
// random-access unit, puts the current parameter sets in front. It
// returns the units to send and whether the unit is a keyframe a decoder
// can start at. The input slices are never modified.
func (p *paramSets) prepare(au [][]byte, randomAccess bool) (out [][]byte, keyframe bool) {
	var hasVPS, hasSPS, hasPPS bool
	out = make([][]byte, 0, len(au)+3)
	for _, n := range au {
		if len(n) == 0 {
			continue
		}
		switch p.kind(n) {
		case kindAUD, kindFiller:
			continue
		case kindVPS:
			p.vps, hasVPS = n, true
		case kindSPS:
			if !bytes.Equal(n, p.sps) {
				p.setSPS(n)
			}
			hasSPS = p.sps != nil && bytes.Equal(n, p.sps)
			if !hasSPS {
				continue // malformed in-band SPS: keep the last good one
			}
		case kindPPS:
			p.pps, hasPPS = n, true
		}
		out = append(out, n)
	}
	if !randomAccess || !p.ready() {
		return out, false
	}
	if hasSPS && hasPPS && (hasVPS || !p.h265) {
		return out, true
	}
	// Rebuild as [VPS] SPS PPS + the rest without any partial sets.
	full := make([][]byte, 0, len(out)+3)
	if p.h265 {
		full = append(full, p.vps)
	}
	full = append(full, p.sps, p.pps)
	for _, n := range out {
		switch p.kind(n) {
		case kindVPS, kindSPS, kindPPS:
			continue
		}
		full = append(full, n)
	}
	return full, true
}

type naluKind int

const (
	kindOther naluKind = iota
	kindAUD
	kindFiller
	kindVPS
	kindSPS
	kindPPS
)

func (p *paramSets) kind(n []byte) naluKind {
	if p.h265 {
		switch h265.NALUType((n[0] >> 1) & 0x3f) {
		case h265.NALUType_AUD_NUT:
			return kindAUD
		case h265.NALUType_FD_NUT:
			return kindFiller
		case h265.NALUType_VPS_NUT:
			return kindVPS
		case h265.NALUType_SPS_NUT:
			return kindSPS
		case h265.NALUType_PPS_NUT:
			return kindPPS
		}
		return kindOther
	}
	switch h264.NALUType(n[0] & 0x1f) {
	case h264.NALUTypeAccessUnitDelimiter:
		return kindAUD
	case h264.NALUTypeFillerData:
		return kindFiller
	case h264.NALUTypeSPS:
		return kindSPS
	case h264.NALUTypePPS:
		return kindPPS
	}
	return kindOther
}
