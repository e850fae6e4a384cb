package rtsp

import (
	"fmt"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
)

// SPSInfo is what a sequence parameter set says of a camera's picture.
type SPSInfo struct {
	Width, Height int
	FPS           float64 // 0 when the SPS carries no timing
	Profile       string  // "Baseline", "Main", "High", … or "profile N"
}

// ParseSPS reads an H.264 (ITU-T H.264 §7.3.2.1.1) or H.265 (§7.3.2.2)
// SPS NAL unit; anything else, or a truncated one, is an error.
func ParseSPS(sps []byte, isH265 bool) (SPSInfo, error) {
	if len(sps) == 0 {
		return SPSInfo{}, fmt.Errorf("empty SPS")
	}
	if isH265 {
		if t := h265.NALUType((sps[0] >> 1) & 0x3f); t != h265.NALUType_SPS_NUT {
			return SPSInfo{}, fmt.Errorf("NAL unit type %d is not an SPS", t)
		}
		var s h265.SPS
		if err := s.Unmarshal(sps); err != nil {
			return SPSInfo{}, fmt.Errorf("H.265 SPS: %w", err)
		}
		return SPSInfo{Width: s.Width(), Height: s.Height(), FPS: s.FPS(),
			Profile: h265ProfileName(s.ProfileTierLevel.GeneralProfileIdc)}, nil
	}
	if t := h264.NALUType(sps[0] & 0x1f); t != h264.NALUTypeSPS {
		return SPSInfo{}, fmt.Errorf("NAL unit type %d is not an SPS", t)
	}
	var s h264.SPS
	if err := s.Unmarshal(sps); err != nil {
		return SPSInfo{}, fmt.Errorf("H.264 SPS: %w", err)
	}
	return SPSInfo{Width: s.Width(), Height: s.Height(), FPS: s.FPS(), Profile: h264ProfileName(s.ProfileIdc)}, nil
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
