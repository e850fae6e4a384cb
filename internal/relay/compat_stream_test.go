package relay_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/vms-project/vms/internal/faultcam"
	"github.com/vms-project/vms/internal/relay"
	"github.com/vms-project/vms/internal/rtsp"
)

// TestCompatResolutionChange is case 3: the camera is reconfigured from
// 640x360 to 1280x720 mid-stream. The same viewer keeps playing at the new
// size, without renegotiating, and the status follows.
func TestCompatResolutionChange(t *testing.T) {
	t.Parallel()
	small, big := fixture(t, "h264_360p.h264"), fixture(t, "demo.h264")
	// The SDP announces the old sets, as a camera does until re-described.
	cam := startCam(t, faultcam.Config{Video: small})
	e := newEnv(t, compatOptions())
	log := newFrameLog(small, big)
	v := watchCam(t, e, 1, rtsp.Source{URL: cam.URL(), Transport: "tcp"}, log)
	waitKeyframes(t, log, 1, 15*time.Second)
	if st := status(t, e, 1); st.Width != 640 || st.Height != 360 {
		t.Fatalf("status before the change: %dx%d", st.Width, st.Height)
	}

	cam.SetVideo(big)
	waitFor(t, "a 1280-wide SPS at the viewer", 15*time.Second, func() bool { return log.stats().width == 1280 })
	waitKeyframes(t, log, 2, 15*time.Second)
	log.stats().check(t, "viewer")
	st := status(t, e, 1)
	if st.Width != 1280 || st.Height != 720 || st.State != relay.StateOnline || st.Reconnects != 0 {
		t.Errorf("status after the change: %s %dx%d, %d reconnects", st.State, st.Width, st.Height, st.Reconnects)
	}
	if got := v.State().String(); got != "connected" {
		t.Errorf("viewer state = %s, want connected", got)
	}
}

// TestCompatParamSetsAsOwnFrames is case 6: parameter sets sent as frames
// of their own, marked as ends of frames and stamped with the previous
// frame's timestamp (some Reolink firmware), also with marker bits left
// out. Every keyframe must reach the viewer whole, no frame may consist of
// parameter sets only, and no two frames may share a timestamp.
func TestCompatParamSetsAsOwnFrames(t *testing.T) {
	t.Parallel()
	clip := fixture(t, "h264_360p.h264")
	tests := []struct {
		name  string
		alter faultcam.AlterFunc
		fmtp  string
	}{
		{"marked, no sprop", faultcam.ParamSetsAsOwnFrames(faultcam.H264), "packetization-mode=1"},
		{"unmarked, sprop", faultcam.Chain(faultcam.ParamSetsAsOwnFrames(faultcam.H264), faultcam.ClearMarkers()), faultcam.DefaultFMTP(clip)},
	}
	e := newEnv(t, compatOptions())
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var sentKeys atomic.Int64
			cam := startCam(t, faultcam.Config{Video: clip, Alter: tc.alter,
				SDP:    faultcam.SDP(faultcam.VideoSection("H264", tc.fmtp, "trackID=1")),
				OnSent: func(f *faultcam.Frame, _ time.Time) { sentKeys.Add(b2i(f.IDR)) }})
			log := newFrameLog(clip)
			id := int64(20 + i)
			watchCam(t, e, id, rtsp.Source{URL: cam.URL(), Transport: "tcp"}, log)
			k0, s0 := log.stats().keyframes, sentKeys.Load()
			time.Sleep(4 * time.Second)
			k1, s1 := log.stats().keyframes, sentKeys.Load()
			if got, sent := k1-k0, int(s1-s0); got < sent-1 || sent < 3 {
				t.Errorf("viewer got %d keyframes while the camera sent %d", got, sent)
			}
			log.stats().check(t, "viewer")
		})
	}
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// TestCompatLoss is case 8: packets lost on the camera link, at random
// over UDP and in the middle of fragmented keyframes over TCP. Damaged
// frames never reach a viewer (every NAL unit it gets is one the camera
// sent whole); the relay resumes at the next clean keyframe.
func TestCompatLoss(t *testing.T) {
	t.Parallel()
	clip := fixture(t, "h264_360p.h264")
	tests := []struct {
		name      string
		alter     faultcam.AlterFunc
		transport string
		pli       bool // the camera receives a keyframe request
	}{
		{"3% random loss over UDP", faultcam.DropRandom(0.03, 5), "udp", false},
		{"middle of the first 3 IDRs lost over TCP", faultcam.DropKeyframeMiddle(3), "tcp", true},
	}
	e := newEnv(t, compatOptions())
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cam := startCam(t, faultcam.Config{Video: clip, Alter: tc.alter})
			log := newFrameLog(clip)
			id := int64(30 + i)
			watchCam(t, e, id, rtsp.Source{URL: cam.URL(), Transport: tc.transport}, log)
			// Frames keep coming: at 3 % loss most GOPs lose a packet and
			// are cut short at it, but every clean keyframe restarts them.
			f0 := log.stats().frames
			waitKeyframes(t, log, 3, 20*time.Second)
			if got := log.stats().frames - f0; got < 6 {
				t.Errorf("only %d frames after the first keyframe", got)
			}
			log.stats().check(t, "viewer")
			if tc.pli && cam.Stats().PLIs == 0 {
				t.Errorf("the relay never asked the camera for a keyframe (RTCP PLI)")
			}
			if st := status(t, e, id); st.State != relay.StateOnline {
				t.Errorf("status = %s (%s)", st.State, st.Reason)
			}
		})
	}
}

// TestCompatSSRCChange is case 9: the camera starts a new RTP source (new
// SSRC, sequence numbers and timestamps) at every keyframe. Over TCP the
// relay follows it without a reconnect; in auto mode a UDP session moves
// to TCP once and says why.
func TestCompatSSRCChange(t *testing.T) {
	t.Parallel()
	clip := fixture(t, "h264_360p.h264")
	tests := []struct {
		name       string
		transport  string
		reconnects bool
		warning    string
	}{
		{"tcp", "tcp", false, ""},
		{"auto (UDP first)", "auto", true, "SSRC"},
	}
	e := newEnv(t, compatOptions())
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cam := startCam(t, faultcam.Config{Video: clip, Alter: faultcam.NewSSRCEachKeyframe()})
			log := newFrameLog(clip)
			id := int64(40 + i)
			watchCam(t, e, id, rtsp.Source{URL: cam.URL(), Transport: tc.transport}, log)
			waitKeyframes(t, log, 4, 25*time.Second)
			log.stats().check(t, "viewer")
			st := status(t, e, id)
			if st.State != relay.StateOnline || st.Transport != "TCP" {
				t.Errorf("status = %s over %s (%s)", st.State, st.Transport, st.Reason)
			}
			if !tc.reconnects && st.Reconnects != 0 {
				t.Errorf("%d reconnects, want none", st.Reconnects)
			}
			if tc.warning != "" && !hasText(st.Warnings, tc.warning) {
				t.Errorf("warnings = %q, want one about %s", st.Warnings, tc.warning)
			}
		})
	}
}
