package uitest

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestGridDragDropAndLayouts: a camera dragged from the list (HTML5 drag
// and drop: dragstart on the list item, drop on a tile) plays in that
// tile; the layout buttons switch between 1, 4, 9 and 16 tiles, the
// 16-tile grid asks for sub-streams, plays 16 tiles at once, and a single
// tile asks for the main stream.
func TestGridDragDropAndLayouts(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := browser(t, a)
	loginForm(t, ctx, a, UserProvince)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-layout="16"]`))); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx, "16 tiles", `document.querySelectorAll('#grid .tile:not([hidden])').length === 16`, 5*time.Second)
	drag := func(camID int64, tile int) {
		t.Helper()
		eval[bool](t, ctx, fmt.Sprintf(`(() => {
			const dt = new DataTransfer();
			const li = document.querySelector('#camera-list li[data-camera-id="%d"]');
			li.dispatchEvent(new DragEvent('dragstart', {dataTransfer: dt, bubbles: true, cancelable: true}));
			const tile = document.querySelector('#grid .tile[data-index="%d"]');
			tile.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));
			tile.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
			li.dispatchEvent(new DragEvent('dragend', {dataTransfer: dt, bubbles: true}));
			return true;
		})()`, camID, tile))
	}
	live := a.CamID["Quầy 1 – Phường 1"]
	drag(live, 5)
	drag(a.CamID["Quầy 1 – Thị trấn Tân Biên"], 10)
	drag(a.CamID["Quầy tiếp nhận – Tỉnh"], 15)
	if got := eval[float64](t, ctx, `window.vmsPlayers[5].camId`); int64(got) != live {
		t.Fatalf("tile 5 plays %v after the drop, want %d", got, live)
	}
	for _, i := range []int{5, 10, 15} {
		waitFramesGrow(t, ctx, i, 45*time.Second)
		if s := eval[string](t, ctx, fmt.Sprintf(`window.vmsPlayers[%d].stream`, i)); s != "sub" {
			t.Errorf("tile %d stream %q in a 16-tile grid, want sub", i, s)
		}
	}
	// Fill the other 13 tiles (the 7 cameras again): all 16 play at once.
	eval[bool](t, ctx, `(() => {
		const ids = Array.from(vmsStore.cameras.keys());
		const cells = vmsGrid.getCells().map((c, i) => c !== null ? c : ids[i % ids.length]);
		vmsGrid.setCells(cells, 16);
		return true;
	})()`)
	WaitJS(t, ctx, "16 tiles decoding", `vmsPlayers.every(p => p.framesDecoded > 5)`, 60*time.Second)
	eval[bool](t, ctx, `(window.__f = vmsPlayers.map(p => p.framesDecoded), true)`)
	WaitJS(t, ctx, "16 tiles still decoding", `vmsPlayers.every((p, i) => p.framesDecoded > window.__f[i] + 10)`, 30*time.Second)
	var fps []float64
	evalJSON(t, ctx, `vmsPlayers.map(p => Math.round(p.fps))`, &fps)
	t.Logf("frames per second per tile with 16 tiles: %v", fps)
	Screenshot(t, ctx, "grid16")
	// Empty tiles say what to do, never a black rectangle.
	if s := eval[string](t, ctx, `document.querySelector('#grid .tile[data-index="0"]').innerText`); s == "" {
		t.Errorf("empty tile shows no words")
	}
	// Single view: the main stream.
	eval[bool](t, ctx, fmt.Sprintf(`(vmsGrid.setCells([%d], 1), true)`, live))
	WaitJS(t, ctx, "single view on the main stream", `window.vmsPlayers[0].stream === 'main' && document.querySelectorAll('#grid .tile:not([hidden])').length === 1`, 10*time.Second)
	waitFramesGrow(t, ctx, 0, 45*time.Second)
}
