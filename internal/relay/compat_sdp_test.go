package relay_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vms-project/vms/internal/faultcam"
	"github.com/vms-project/vms/internal/relay"
	"github.com/vms-project/vms/internal/rtsp"
)

// TestCompatOddSDP is case 16: SDPs with an ONVIF metadata track, an
// m=application section without rtpmap, an ONVIF audio back channel
// (sendonly), and lines cut short where a camera's buffer ended. Video and
// the playable audio are taken; each left-out part is listed in the
// status; the camera never goes offline over it.
func TestCompatOddSDP(t *testing.T) {
	t.Parallel()
	clip := fixture(t, "h264_360p.h264")
	video := faultcam.VideoSection("H264", faultcam.DefaultFMTP(clip), "trackID=1")
	audio := faultcam.AudioSection(0, "PCMU/8000", "", "trackID=2")
	metadata := "m=application 0 RTP/AVP 107\r\na=rtpmap:107 vnd.onvif.metadata/90000\r\na=control:trackID=3\r\n"
	noRtpmap := "m=application 0 RTP/AVP 108\r\na=control:trackID=4\r\n"
	backchannel := "m=audio 0 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendonly\r\na=control:trackID=5\r\n"
	tests := []struct {
		name    string
		sdp     string
		ignored []string // each must be named in status.Ignored
		audio   bool
	}{
		{"ONVIF metadata track", faultcam.SDP(video, audio, metadata), []string{"application"}, true},
		{"m=application without rtpmap", faultcam.SDP(noRtpmap, video, audio), []string{"application"}, true},
		{"audio back channel", faultcam.SDP(video, backchannel, audio), []string{"back channel"}, true},
		{"back channel only", faultcam.SDP(video, backchannel), []string{"back channel"}, false},
		{"all of them", faultcam.SDP(video, metadata, noRtpmap, backchannel, audio), []string{"application", "back channel"}, true},
		{"truncated last line", faultcam.SDP(video, audio, metadata) + "a=contr", []string{"application"}, true},
		{"line cut to its type", faultcam.SDP(video, "a\r\n", audio), []string{"malformed"}, true},
		{"truncated media line", faultcam.SDP(video, "m=audio 0 RTP/A\r\na=rtpmap:0 PCMU/8000\r\na=control:trackID=9\r\n", audio),
			[]string{"malformed; left out its media section"}, true},
		{"line cut mid-attribute", faultcam.SDP(video, audio, "m=application 0 RTP/AVP 107\r\na=rtpmap:107 vnd.onv\r\na=control:trackID=3\r\n"),
			[]string{"application"}, true},
		{"no line ending at the end", strings.TrimSuffix(faultcam.SDP(video, audio), "\r\n"), nil, true},
	}
	e := newEnv(t, compatOptions())
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cam := startCam(t, faultcam.Config{Video: clip, Audio: loadPCMU(t), SDP: tc.sdp})
			log := newFrameLog(clip)
			id := int64(160 + i)
			v := watchCam(t, e, id, rtsp.Source{URL: cam.URL(), Transport: "tcp"}, log)
			waitKeyframes(t, log, 1, 15*time.Second)
			log.stats().check(t, "viewer")
			st := status(t, e, id)
			if st.State != relay.StateOnline || st.VideoCodec != "H264" || st.Width != 640 {
				t.Errorf("status = %s %s %dx%d (%s)", st.State, st.VideoCodec, st.Width, st.Height, st.Reason)
			}
			for _, want := range tc.ignored {
				if !hasText(st.Ignored, want) {
					t.Errorf("ignored = %q, want one naming %q", st.Ignored, want)
				}
			}
			if len(tc.ignored) == 0 && len(st.Ignored) > 0 {
				t.Errorf("ignored = %q, want nothing", st.Ignored)
			}
			if tc.audio {
				if st.AudioCodec != "PCMU" || st.AudioNote != "" {
					t.Errorf("audio = %q (%s), want PCMU played", st.AudioCodec, st.AudioNote)
				}
				waitFor(t, "audio packets", 10*time.Second, func() bool { return v.Stats().AudioPackets > 10 })
			} else if st.AudioCodec != "" {
				t.Errorf("audio = %q, want none: the only audio goes to the camera", st.AudioCodec)
			}
			// Only the taken tracks are set up; the camera would otherwise
			// send the back channel's or metadata's packets to nobody.
			// Counted per PLAY: a loaded machine may make the relay
			// reconnect once, which repeats every SETUP.
			req := cam.Stats().Requests
			if plays := req["PLAY"]; plays < 1 || req["SETUP"] != plays*(1+btoi(tc.audio)) {
				t.Errorf("%d SETUPs for %d PLAYs, want %d per PLAY", req["SETUP"], plays, 1+btoi(tc.audio))
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
