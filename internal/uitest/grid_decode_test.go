package uitest

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestGridFourTilesDecode: the province account clicks four cameras into
// the 4-tile grid; every tile's RTCPeerConnection decodes frames
// (getStats framesDecoded grows) and asks for the sub-stream. A
// double-click on a tile takes it to full screen on the main stream, Esc
// brings the grid back.
func TestGridFourTilesDecode(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := browser(t, a)
	loginForm(t, ctx, a, UserProvince)
	names := []string{"Quầy 1 – Phường 1", "Quầy 2 – Phường 1", "Quầy 1 – Phường 3", "Quầy 1 – Thành phố Tây Ninh"}
	for _, n := range names {
		sel := fmt.Sprintf(`#camera-list li[data-camera-id="%d"] .cam__btn`, a.CamID[n])
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
			t.Fatalf("click %s: %v", n, err)
		}
	}
	for i, n := range names {
		got := eval[float64](t, ctx, fmt.Sprintf("window.vmsPlayers[%d].camId", i))
		if int64(got) != a.CamID[n] {
			t.Errorf("tile %d plays camera %v, want %d (%s)", i, got, a.CamID[n], n)
		}
	}
	for i := range names {
		waitFramesGrow(t, ctx, i, 45*time.Second)
		if s := eval[string](t, ctx, fmt.Sprintf("window.vmsPlayers[%d].stream", i)); s != "sub" {
			t.Errorf("tile %d stream = %q, want sub in a 4-tile grid", i, s)
		}
		WaitJS(t, ctx, fmt.Sprintf("tile %d to show live", i),
			fmt.Sprintf(`document.querySelectorAll('#grid .tile')[%d].dataset.state === 'live'`, i), 10*time.Second)
	}
	Screenshot(t, ctx, "grid")

	// Full screen on a double-click, main stream there.
	if err := chromedp.Do(ctx, chromedp.DoubleClick(chromedp.CSS(`#grid .tile[data-index="0"] .tile__video`))); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx, "tile 0 in full screen",
		`(document.fullscreenElement && document.fullscreenElement.dataset.index === '0') || document.querySelector('#grid .tile--maximized[data-index="0"]') !== null`, 10*time.Second)
	WaitJS(t, ctx, "full screen on the main stream", `window.vmsPlayers[0].stream === 'main'`, 10*time.Second)
	waitFramesGrow(t, ctx, 0, 30*time.Second)
	Screenshot(t, ctx, "fullscreen")
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\u001b")); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx, "Esc to leave full screen",
		`!document.fullscreenElement && !document.querySelector('#grid .tile--maximized')`, 10*time.Second)
	WaitJS(t, ctx, "tile 0 back on the sub-stream", `window.vmsPlayers[0].stream === 'sub'`, 10*time.Second)
}
