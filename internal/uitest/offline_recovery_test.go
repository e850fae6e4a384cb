package uitest

import (
	"strings"
	"testing"
	"time"
)

// TestTileOfflineThenRecovers: the GStreamer camera behind a playing tile
// stops; the tile says the camera is offline ("Mất kết nối") instead of
// freezing, and after the camera restarts it plays again by itself
// (framesDecoded grows again), with nobody touching the page.
func TestTileOfflineThenRecovers(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := browser(t, a)
	loginForm(t, ctx, a, UserAdmin)
	if eval[bool](t, ctx, `document.getElementById('nav-admin').hidden`) {
		t.Errorf("admin does not see the admin link")
	}
	openCells(t, ctx, 4, a.CamID["Quầy 1 – Phường 1"])
	waitFramesGrow(t, ctx, 0, 45*time.Second)

	a.Live.Stop()
	WaitJS(t, ctx, "the tile to say offline",
		`document.querySelector('#grid .tile[data-index="0"]').dataset.state === 'offline'`, 60*time.Second)
	text := tileText(t, ctx, 0)
	if !strings.Contains(strings.ToLower(text), "mất kết nối") {
		t.Errorf("offline tile text %q does not say \"mất kết nối\"", text)
	}
	// The navigator shows it too.
	WaitJS(t, ctx, "the list badge to say offline",
		`['offline','error'].includes(document.querySelector('#camera-list li[data-camera-id="`+itoa(a.CamID["Quầy 1 – Phường 1"])+`"]').dataset.state)`, 30*time.Second)
	Screenshot(t, ctx, "offline")

	a.Live.Restart()
	WaitJS(t, ctx, "the tile to play again", `window.vmsPlayers[0].state === 'live'`, 90*time.Second)
	waitFramesGrow(t, ctx, 0, 30*time.Second)
	WaitJS(t, ctx, "the tile to show live", `document.querySelector('#grid .tile[data-index="0"]').dataset.state === 'live'`, 10*time.Second)
}
