package uitest

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vms-project/vms/internal/camera"
	"github.com/vms-project/vms/internal/faultcam"
)

// TestBFramesTileExplains: over WebRTC this Chromium decodes only the
// keyframes of H.264 with B-frames; the camera's status warns about
// B-frames and the tile explains it ("khung hình B") instead of looking
// frozen for no reason.
func TestBFramesTileExplains(t *testing.T) {
	a := StartApp(t, Options{})
	clip, err := faultcam.LoadClip(filepath.Join("..", "faultcam", "testdata", "h264_bframes.h264"))
	if err != nil {
		t.Fatal(err)
	}
	cam, err := faultcam.Start(faultcam.Config{Video: clip})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cam.Close)
	id := a.AddCamera(camera.Camera{Name: "Quầy 4 – Phường 1 (B-frames)", UnitCode: "25456", RTSPURL: cam.URL(),
		Transport: camera.TransportTCP, OnDemand: true, Enabled: true})
	ctx := browser(t, a)
	loginForm(t, ctx, a, UserAdmin)
	openCells(t, ctx, 1, id)
	WaitJS(t, ctx, "the B-frames explanation",
		`document.querySelector('#grid .tile[data-index="0"]').dataset.reason === 'bframes'`, 60*time.Second)
	text := tileText(t, ctx, 0)
	if !strings.Contains(text, "khung hình B") {
		t.Errorf("tile text %q does not explain B-frames", text)
	}
	Screenshot(t, ctx, "bframes")
}
