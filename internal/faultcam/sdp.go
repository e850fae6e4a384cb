package faultcam

import (
	"fmt"
	"strings"
)

// SDPHeader is the session part of an SDP (RFC 8866 §5) as cameras send it.
const SDPHeader = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=faultcam\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\na=control:*\r\n"

// SDP joins the header and media sections. Sections are raw text, so tests
// can write anything a camera might.
func SDP(sections ...string) string {
	return SDPHeader + strings.Join(sections, "")
}

// VideoSection is a video media section for payload type 96. fmtp is the
// text after "a=fmtp:96 " (omitted when empty).
func VideoSection(codec, fmtp, control string) string {
	s := fmt.Sprintf("m=video 0 RTP/AVP 96\r\na=rtpmap:96 %s/90000\r\n", codec)
	if fmtp != "" {
		s += "a=fmtp:96 " + fmtp + "\r\n"
	}
	return s + "a=control:" + control + "\r\n"
}

// AudioSection is an audio media section; rtpmap is e.g. "PCMU/8000".
func AudioSection(pt uint8, rtpmap, fmtp, control string) string {
	s := fmt.Sprintf("m=audio 0 RTP/AVP %d\r\na=rtpmap:%d %s\r\n", pt, pt, rtpmap)
	if fmtp != "" {
		s += fmt.Sprintf("a=fmtp:%d %s\r\n", pt, fmtp)
	}
	return s + "a=control:" + control + "\r\n"
}

// DefaultFMTP is what a well-behaved camera announces for clip.
func DefaultFMTP(clip *Clip) string {
	if clip.Codec == H265 {
		return clip.Sprop()
	}
	return "packetization-mode=1;profile-level-id=" + fmt.Sprintf("%X", clip.SPS[1:4]) + ";" + clip.Sprop()
}

// DefaultSDP describes the configured video (and audio, as PCMU 8 kHz
// unless AudioPT says otherwise) the way a well-behaved camera does.
func DefaultSDP(cfg Config) string {
	cfg = cfg.withDefaults()
	fmtp := DefaultFMTP(cfg.Video)
	if cfg.SingleNALU && cfg.Video.Codec == H264 {
		fmtp = "packetization-mode=0;" + cfg.Video.Sprop()
	}
	s := []string{VideoSection(cfg.Video.Codec, fmtp, cfg.VideoControl)}
	if a := cfg.Audio; a != nil {
		rtpmap := map[uint8]string{0: "PCMU", 8: "PCMA"}[cfg.AudioPT]
		if rtpmap == "" {
			rtpmap = "PCMU"
		}
		s = append(s, AudioSection(cfg.AudioPT, fmt.Sprintf("%s/%d", rtpmap, a.ClockRate), "", cfg.AudioControl))
	}
	return SDP(s...)
}
