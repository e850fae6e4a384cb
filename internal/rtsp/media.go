package rtsp

import (
	"fmt"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
)

// selection is the part of a camera's SDP that the relay takes.
type selection struct {
	videoMedia  *description.Media
	videoFormat format.Format // *format.H264 or *format.H265
	audioMedia  *description.Media
	audioFormat format.Format // set only when the audio is relayed
	info        StreamInfo
}

func (s *selection) medias() []*description.Media {
	out := []*description.Media{s.videoMedia}
	if s.audioMedia != nil {
		out = append(out, s.audioMedia)
	}
	return out
}

// selectMedia takes the first H.264/H.265 video and the first audio that a
// browser can play; everything else is listed as ignored. Back channels
// (audio towards the camera) are never set up.
func selectMedia(desc *description.Session) (*selection, error) {
	sel := &selection{}
	for i, m := range desc.Medias {
		if m.IsBackChannel {
			sel.info.Ignored = append(sel.info.Ignored, fmt.Sprintf("media %d: %s back channel (sendonly) not used", i, m.Type))
			continue
		}
		taken := false
		for _, f := range m.Formats {
			if sel.takeVideo(m, f) || sel.takeAudio(m, f) {
				taken = true
				break
			}
		}
		if !taken {
			sel.info.Ignored = append(sel.info.Ignored, describeIgnored(i, m))
		}
	}
	if sel.videoMedia == nil {
		return nil, ErrNoVideo
	}
	return sel, nil
}

func (s *selection) takeVideo(m *description.Media, f format.Format) bool {
	if s.videoMedia != nil {
		return false
	}
	switch vf := f.(type) {
	case *format.H264:
		sps, pps := vf.SafeParams()
		s.info.Video = &VideoTrack{Codec: CodecH264, ClockRate: 90000, SPS: sps, PPS: pps}
	case *format.H265:
		vps, sps, pps := vf.SafeParams()
		s.info.Video = &VideoTrack{Codec: CodecH265, ClockRate: 90000, VPS: vps, SPS: sps, PPS: pps}
	default:
		return false
	}
	s.videoMedia, s.videoFormat = m, f
	return true
}

func (s *selection) takeAudio(m *description.Media, f format.Format) bool {
	if m.Type != description.MediaTypeAudio || s.info.Audio != nil {
		return false
	}
	track := &AudioTrack{Codec: f.Codec(), ClockRate: f.ClockRate(), Channels: 1}
	switch af := f.(type) {
	case *format.G711:
		track.Codec = CodecPCMA
		if af.MULaw {
			track.Codec = CodecPCMU
		}
		track.Channels = af.ChannelCount
		// WebRTC's PCMA/PCMU are 8 kHz mono (RFC 7874 §3).
		track.Playable = af.SampleRate == 8000 && af.ChannelCount == 1
		if !track.Playable {
			track.Reason = fmt.Sprintf("G.711 at %d Hz, %d channel(s): browsers play only 8 kHz mono", af.SampleRate, af.ChannelCount)
		}
	case *format.Opus:
		track.Codec = CodecOpus
		track.ClockRate = 48000
		track.Channels = af.ChannelCount
		track.Playable = true
	default:
		track.Reason = fmt.Sprintf("%s audio cannot be played in a browser over WebRTC (use G.711 8 kHz or Opus on the camera)", f.Codec())
	}
	s.info.Audio = track
	if track.Playable {
		s.audioMedia, s.audioFormat = m, f
	}
	// Unplayable audio is reported through info.Audio, not as ignored.
	return true
}

func describeIgnored(i int, m *description.Media) string {
	codecs := ""
	for j, f := range m.Formats {
		if j > 0 {
			codecs += ", "
		}
		codecs += f.Codec()
	}
	if codecs == "" {
		codecs = "no format"
	}
	return fmt.Sprintf("media %d: %s (%s) not relayed", i, m.Type, codecs)
}
