package uitest

import (
	"strings"
	"testing"
	"time"

	"github.com/vms-project/vms/internal/camera"
	"github.com/vms-project/vms/internal/testcam"
)

// TestH265TileExplainsCodec: this Chromium cannot decode H.265 at all; a
// tile showing an H.265 camera says so in words (codec not supported by
// this browser) instead of staying black, and stops asking.
func TestH265TileExplainsCodec(t *testing.T) {
	a := StartApp(t, Options{})
	hevc := testcam.Start(t, testcam.Options{Codec: "h265", Width: 640, Height: 360})
	id := a.AddCamera(camera.Camera{Name: "Quầy 3 – Phường 1 (H.265)", UnitCode: "25456", RTSPURL: hevc.URL(),
		Transport: camera.TransportTCP, OnDemand: true, Enabled: true})
	ctx := browser(t, a)
	loginForm(t, ctx, a, UserAdmin)
	openCells(t, ctx, 1, id)
	WaitJS(t, ctx, "the H.265 tile to explain the codec",
		`document.querySelector('#grid .tile[data-index="0"]').dataset.reason === 'codec'`, 60*time.Second)
	text := tileText(t, ctx, 0)
	if !strings.Contains(text, "H.265") || !strings.Contains(text, "Trình duyệt") {
		t.Errorf("tile text %q does not explain that the browser cannot play H.265", text)
	}
	if s := eval[string](t, ctx, `window.vmsPlayers[0].state`); s != "failed" {
		t.Errorf("player state %q, want failed (no pointless retries)", s)
	}
	Screenshot(t, ctx, "h265")
}
