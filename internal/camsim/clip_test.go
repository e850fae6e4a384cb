package camsim

import (
	"testing"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
)

// TestDemoClip pins the properties of clips/demo.h264 that the simulator and
// the browser path rely on (see clips/make.sh).
func TestDemoClip(t *testing.T) {
	if n := len(demoClip); n >= 1<<20 {
		t.Errorf("clip is %d bytes, want < 1 MiB", n)
	}
	c, err := parseClip(demoClip, payloadType)
	if err != nil {
		t.Fatal(err)
	}
	const gop = 50
	if n := len(c.frames); n != 250 {
		t.Errorf("clip has %d access units, want 250 (10 s at 25 fps)", n)
	}
	if len(c.frames)%gop != 0 {
		t.Errorf("clip length %d is not a multiple of the GOP %d: the loop would not restart on an IDR", len(c.frames), gop)
	}
	for i, f := range c.frames {
		if want := i%gop == 0; f.idr != want {
			t.Errorf("access unit %d: idr = %v, want %v", i, f.idr, want)
		}
		if len(f.packets) == 0 || !f.packets[len(f.packets)-1].marker {
			t.Errorf("access unit %d: last RTP packet lacks the marker bit", i)
		}
	}

	var sps h264.SPS
	if err := sps.Unmarshal(c.sps); err != nil {
		t.Fatalf("SPS: %v", err)
	}
	if sps.Width() != 1280 || sps.Height() != 720 {
		t.Errorf("resolution %dx%d, want 1280x720", sps.Width(), sps.Height())
	}
	// Constrained baseline: profile_idc 66 with constraint_set1_flag
	// (ITU-T H.264 A.2.1.1), which WebRTC browsers decode everywhere.
	if sps.ProfileIdc != 66 || !sps.ConstraintSet1Flag {
		t.Errorf("profile_idc %d constraint_set1 %v, want constrained baseline", sps.ProfileIdc, sps.ConstraintSet1Flag)
	}
	if fps := sps.FPS(); fps != 0 && fps != clipFPS {
		t.Errorf("SPS timing says %v fps, want %d", fps, clipFPS)
	}
}
