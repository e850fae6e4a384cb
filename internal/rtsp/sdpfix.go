package rtsp

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/sdp"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
)

// sdpFix is what cleaning a camera's SDP changed, in words for the status.
type sdpFix struct {
	warnings []string // values ignored; the stream still plays
	ignored  []string // lines or media sections dropped
}

// sanitizeSDP makes a camera's SDP (RFC 8866) acceptable to gortsplib,
// which rejects the whole DESCRIBE for one bad line or section: malformed
// lines are dropped, broken parameter sets are removed (the stream's own
// are used instead), unreadable format parameters are dropped, and media
// sections that still do not parse are left out. The input is returned
// unchanged when it is fine or beyond repair.
func sanitizeSDP(body []byte) ([]byte, sdpFix) {
	var fix sdpFix
	var head []string
	var sections [][]string
	skipping := false // the lines of a section whose m= line is malformed
	for i, raw := range strings.Split(string(body), "\n") {
		l := strings.TrimRight(raw, "\r")
		switch {
		case l == "":
			continue
		case !validSDPLine(l):
			if strings.HasPrefix(l, "m=") {
				// Its attributes must not end up in the section before.
				fix.ignored = append(fix.ignored, fmt.Sprintf("SDP line %d %s is malformed; left out its media section", i+1, quote(l)))
				skipping = true
				continue
			}
			fix.ignored = append(fix.ignored, fmt.Sprintf("SDP line %d %s is malformed", i+1, quote(l)))
			continue
		case l[0] == 'm':
			skipping = false
			sections = append(sections, []string{l})
		case skipping:
			continue
		case len(sections) == 0:
			head = append(head, l)
		default:
			sections[len(sections)-1] = append(sections[len(sections)-1], l)
		}
	}
	var kept [][]string
	for _, sec := range sections {
		sec = fixSprop(sec, &fix)
		if err := parseSDP(head, sec); err != nil {
			noFMTP := withoutFMTP(sec)
			if err2 := parseSDP(head, noFMTP); err2 != nil {
				fix.ignored = append(fix.ignored, fmt.Sprintf("media %s is unreadable (%v)", quote(sec[0]), err))
				continue
			}
			fix.warnings = append(fix.warnings, fmt.Sprintf("ignored the format parameters of media %s (%v)", quote(sec[0]), err))
			sec = noFMTP
		}
		kept = append(kept, sec)
	}
	if len(fix.warnings) == 0 && len(fix.ignored) == 0 {
		return body, fix
	}
	var b strings.Builder
	for _, l := range head {
		b.WriteString(l + "\r\n")
	}
	for _, sec := range kept {
		for _, l := range sec {
			b.WriteString(l + "\r\n")
		}
	}
	out := []byte(b.String())
	if len(kept) == 0 || parseSDP(head, nil, kept...) != nil {
		return body, sdpFix{} // beyond repair: let the describe fail with the real reason
	}
	return out, fix
}

// validSDPLine accepts "<type>=<value>" with a type RFC 8866 §5 defines,
// and media lines with at least a port, a protocol and one format.
func validSDPLine(l string) bool {
	if len(l) < 2 || l[1] != '=' || !strings.ContainsRune("vosiuepcbtrzkam", rune(l[0])) {
		return false
	}
	if l[0] == 'm' {
		return len(strings.Fields(l[2:])) >= 4
	}
	return true
}

func quote(l string) string {
	if len(l) > 48 {
		l = l[:48] + "…"
	}
	return fmt.Sprintf("%q", l)
}

func parseSDP(head, sec []string, more ...[]string) error {
	var b strings.Builder
	for _, l := range head {
		b.WriteString(l + "\r\n")
	}
	for _, s := range append([][]string{sec}, more...) {
		for _, l := range s {
			b.WriteString(l + "\r\n")
		}
	}
	var ssd sdp.SessionDescription
	if err := ssd.Unmarshal([]byte(b.String())); err != nil {
		return err
	}
	var d description.Session
	return d.Unmarshal(&ssd)
}

func withoutFMTP(sec []string) []string {
	out := make([]string, 0, len(sec))
	for _, l := range sec {
		if !strings.HasPrefix(l, "a=fmtp:") {
			out = append(out, l)
		}
	}
	return out
}

// fixSprop checks the parameter sets an H.264 or H.265 section announces
// and removes them, with a warning, when they are not usable.
func fixSprop(sec []string, fix *sdpFix) []string {
	codecs := map[string]string{} // payload type → codec
	for _, l := range sec {
		if pt, rest, ok := strings.Cut(strings.TrimPrefix(l, "a=rtpmap:"), " "); ok && strings.HasPrefix(l, "a=rtpmap:") {
			codecs[pt] = strings.ToUpper(strings.SplitN(rest, "/", 2)[0])
		}
	}
	out := make([]string, 0, len(sec))
	for _, l := range sec {
		pt, params, ok := strings.Cut(strings.TrimPrefix(l, "a=fmtp:"), " ")
		codec := codecs[pt]
		if !strings.HasPrefix(l, "a=fmtp:") || !ok || (codec != "H264" && codec != "H265") {
			out = append(out, l)
			continue
		}
		var keep, sprops []string
		for _, p := range strings.Split(params, ";") {
			k, _, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.HasPrefix(strings.ToLower(k), "sprop-") && strings.ToLower(k) != "sprop-max-don-diff" {
				sprops = append(sprops, strings.TrimSpace(p))
			} else if strings.TrimSpace(p) != "" {
				keep = append(keep, strings.TrimSpace(p))
			}
		}
		if problem := spropProblem(codec, sprops); problem != "" {
			fix.warnings = append(fix.warnings, fmt.Sprintf("camera's SDP announces broken parameter sets (%s); "+
				"ignored them, using the parameter sets sent in the stream", problem))
			sprops = nil
		}
		if all := append(keep, sprops...); len(all) > 0 {
			out = append(out, "a=fmtp:"+pt+" "+strings.Join(all, ";"))
		}
	}
	return out
}

// spropProblem describes what is wrong with sprop parameters, or "".
// Empty values are treated as absent (RFC 6184 §8.1 makes them optional).
func spropProblem(codec string, sprops []string) string {
	want := map[string]int{"sprop-parameter-sets": 0} // H.264: SPS first, then PPS
	if codec == "H265" {
		want = map[string]int{"sprop-vps": 32, "sprop-sps": 33, "sprop-pps": 34}
	}
	var nalus [][]byte
	for _, p := range sprops {
		k, v, _ := strings.Cut(p, "=")
		if _, ok := want[strings.ToLower(k)]; !ok || v == "" {
			continue
		}
		for _, s := range strings.Split(v, ",") {
			n, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				if n, err = base64.RawStdEncoding.DecodeString(s); err != nil {
					return strings.ToLower(k) + " is not valid base64"
				}
			}
			switch {
			case len(n) < 2:
				return "an empty parameter set"
			case bytes.HasPrefix(n, []byte{0, 0, 1}) || bytes.HasPrefix(n, []byte{0, 0, 0, 1}) || bytes.Contains(n, []byte{0, 0, 1}):
				return "Annex-B start codes inside the base64"
			}
			if codec == "H265" && int((n[0]>>1)&0x3f) != want[strings.ToLower(k)] {
				return fmt.Sprintf("%s holds NAL unit type %d", strings.ToLower(k), (n[0]>>1)&0x3f)
			}
			nalus = append(nalus, n)
		}
	}
	if len(nalus) == 0 {
		return ""
	}
	if codec == "H265" {
		return h265SpropProblem(nalus)
	}
	if t := h264.NALUType(nalus[0][0] & 0x1f); t != h264.NALUTypeSPS {
		return fmt.Sprintf("the first set is NAL unit type %d, not an SPS", t)
	}
	var sps h264.SPS
	if err := sps.Unmarshal(nalus[0]); err != nil {
		return fmt.Sprintf("the SPS cannot be parsed: %v", err)
	}
	for _, n := range nalus[1:] {
		if h264.NALUType(n[0]&0x1f) == h264.NALUTypePPS {
			return ""
		}
	}
	return "an SPS but no PPS"
}

func h265SpropProblem(nalus [][]byte) string {
	var have [64]bool
	for _, n := range nalus {
		t := (n[0] >> 1) & 0x3f
		have[t] = true
		if h265.NALUType(t) == h265.NALUType_SPS_NUT {
			var sps h265.SPS
			if err := sps.Unmarshal(n); err != nil {
				return fmt.Sprintf("the SPS cannot be parsed: %v", err)
			}
		}
	}
	if !have[32] || !have[33] || !have[34] {
		return "VPS, SPS or PPS missing"
	}
	return ""
}
