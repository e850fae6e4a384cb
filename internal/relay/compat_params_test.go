package relay_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/vms-project/vms/internal/faultcam"
	"github.com/vms-project/vms/internal/relay"
	"github.com/vms-project/vms/internal/rtsp"
)

// TestCompatParameterSets covers cases 1 and 2 of issue 5: cameras whose
// SDP announces no, empty or broken parameter sets. Video must play from
// the sets found in the stream, every keyframe a viewer gets must carry
// them, and broken SDP values must show up as warnings, not as a crash or
// an offline camera.
func TestCompatParameterSets(t *testing.T) {
	clip := fixture(t, "h264_360p.h264")
	b64 := base64.StdEncoding.EncodeToString
	sps, pps := b64(clip.SPS), b64(clip.PPS)
	tests := []struct {
		name     string
		fmtp     string
		single   bool
		once     bool   // in-band sets only at the start of the session
		warning  string // expected in the status; "" for none
		transprt string
	}{
		// Case 1: parameter sets only in-band.
		{name: "no sprop, sets in STAP-A", fmtp: "packetization-mode=1"},
		{name: "empty sprop, sets sent once", fmtp: "packetization-mode=1;sprop-parameter-sets=", once: true},
		{name: "packetization-mode=0, single NAL units", fmtp: "packetization-mode=0", single: true},
		{name: "no fmtp at all, sets sent once", fmtp: "", once: true, transprt: "udp"},
		// Case 2: malformed sprop-parameter-sets.
		{name: "sprop is not an SPS", fmtp: "packetization-mode=1;sprop-parameter-sets=" + pps + "," + sps, warning: "not an SPS"},
		{name: "Annex-B start codes in the base64", fmtp: "packetization-mode=1;sprop-parameter-sets=" +
			b64(append([]byte{0, 0, 1}, clip.SPS...)) + "," + b64(append([]byte{0, 0, 0, 1}, clip.PPS...)), warning: "start code"},
		{name: "PPS missing", fmtp: "packetization-mode=1;sprop-parameter-sets=" + sps, warning: "no PPS"},
		{name: "not base64", fmtp: "packetization-mode=1;sprop-parameter-sets=Z0IAH%%%,aM4", warning: "base64"},
		{name: "truncated SPS", fmtp: "packetization-mode=1;sprop-parameter-sets=" + b64(clip.SPS[:4]) + "," + pps, warning: "SPS"},
	}
	e := newEnv(t, compatOptions())
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := faultcam.Config{Video: clip, SingleNALU: tc.single, MaxPayload: 60000,
				SDP: faultcam.SDP(faultcam.VideoSection("H264", tc.fmtp, "trackID=1"))}
			if !tc.single {
				cfg.MaxPayload = 1400
			}
			if tc.once {
				cfg.Alter = faultcam.ParamSetsOnce(faultcam.H264)
			}
			cam := startCam(t, cfg)
			log := newFrameLog(clip)
			id := int64(10 + i)
			tr := tc.transprt
			if tr == "" {
				tr = "tcp"
			}
			watchCam(t, e, id, rtsp.Source{URL: cam.URL(), Transport: tr}, log)
			waitKeyframes(t, log, 2, 20*time.Second)
			log.stats().check(t, "viewer")

			st := status(t, e, id)
			if st.State != relay.StateOnline || st.Width != 640 || st.Height != 360 {
				t.Errorf("status = %s %dx%d (%s), want online 640x360", st.State, st.Width, st.Height, st.Reason)
			}
			switch {
			case tc.warning == "" && len(st.Warnings) > 0:
				t.Errorf("unexpected warnings: %q", st.Warnings)
			case tc.warning != "" && !hasText(st.Warnings, tc.warning):
				t.Errorf("warnings = %q, want one mentioning %q", st.Warnings, tc.warning)
			case tc.warning != "" && !hasText(st.Warnings, "stream"):
				t.Errorf("warnings = %q should say the stream's own sets are used", st.Warnings)
			}
			for _, w := range st.Warnings {
				if strings.Contains(w, "%%%") || len(w) > 300 {
					t.Errorf("warning quotes raw camera data: %q", w)
				}
			}
		})
	}
}
