package rtsp

import (
	"errors"
	"fmt"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
)

// inbandSPS returns the SPS carried in an access unit, if any.
func inbandSPS(nalus [][]byte, isH265 bool) []byte {
	for _, n := range nalus {
		if len(n) == 0 {
			continue
		}
		if isH265 {
			if h265.NALUType((n[0]>>1)&0x3f) == h265.NALUType_SPS_NUT {
				return n
			}
		} else if h264.NALUType(n[0]&0x1f) == h264.NALUTypeSPS {
			return n
		}
	}
	return nil
}

// parseSPS reads the resolution and profile of an SPS (ITU-T H.264
// 7.3.2.1.1, H.265 7.3.2.2).
func parseSPS(sps []byte, isH265 bool) (ProbeVideo, error) {
	if len(sps) == 0 {
		return ProbeVideo{}, errors.New("no SPS in the SDP or before the keyframe")
	}
	if isH265 {
		var s h265.SPS
		if err := s.Unmarshal(sps); err != nil {
			return ProbeVideo{}, fmt.Errorf("H.265 SPS: %w", err)
		}
		return ProbeVideo{Width: s.Width(), Height: s.Height(), Profile: h265ProfileName(s.ProfileTierLevel.GeneralProfileIdc)}, nil
	}
	var s h264.SPS
	if err := s.Unmarshal(sps); err != nil {
		return ProbeVideo{}, fmt.Errorf("H.264 SPS: %w", err)
	}
	return ProbeVideo{Width: s.Width(), Height: s.Height(), Profile: h264ProfileName(s.ProfileIdc)}, nil
}

func h264ProfileName(idc uint8) string {
	switch idc {
	case 66:
		return "Baseline"
	case 77:
		return "Main"
	case 88:
		return "Extended"
	case 100:
		return "High"
	case 110:
		return "High 10"
	case 122:
		return "High 4:2:2"
	case 244:
		return "High 4:4:4"
	}
	return fmt.Sprintf("profile %d", idc)
}

func h265ProfileName(idc uint8) string {
	switch idc {
	case 1:
		return "Main"
	case 2:
		return "Main 10"
	case 3:
		return "Main Still Picture"
	}
	return fmt.Sprintf("profile %d", idc)
}
