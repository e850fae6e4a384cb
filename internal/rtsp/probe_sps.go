package rtsp

import (
	"errors"

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

// parseSPS reads the resolution and profile of the SPS the probe found.
func parseSPS(sps []byte, isH265 bool) (ProbeVideo, error) {
	if len(sps) == 0 {
		return ProbeVideo{}, errors.New("no SPS in the SDP or before the keyframe")
	}
	info, err := ParseSPS(sps, isH265)
	if err != nil {
		return ProbeVideo{}, err
	}
	return ProbeVideo{Width: info.Width, Height: info.Height, Profile: info.Profile}, nil
}
