package uitest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestCameraStatusPage: a tile's (i) button opens the camera's status
// page (#/camera/{id}) with its live picture, codec, resolution, viewers
// and its state history; the language switch to English re-translates it
// and is remembered after a reload.
func TestCameraStatusPage(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := browser(t, a)
	loginForm(t, ctx, a, UserProvince)
	id := a.CamID["Quầy 1 – Phường 1"]
	openCells(t, ctx, 1, id)
	waitFramesGrow(t, ctx, 0, 45*time.Second)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#grid .tile[data-index="0"] .tile__tool--info`))); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx, "the status page", fmt.Sprintf(`location.hash === '#/camera/%d' && !document.getElementById('camera-page').hidden`, id), 10*time.Second)
	row := func(key string) string {
		return fmt.Sprintf(`(document.querySelector('#cam-details [data-key="%s"] dd') || {}).textContent`, key)
	}
	WaitJS(t, ctx, "codec and resolution", row("cam.codec")+` === 'H264' && `+row("cam.resolution")+` === '640 × 360'`, 20*time.Second)
	WaitJS(t, ctx, "a viewer counted", `Number(`+row("cam.viewers")+`) >= 1`, 20*time.Second)
	WaitJS(t, ctx, "the status page's own picture", `document.querySelector('#cam-grid .tile').dataset.state === 'live'`, 30*time.Second)
	Screenshot(t, ctx, "status")
	// The harness records state changes as `vms serve` does: connecting,
	// then online, newest first.
	WaitJS(t, ctx, "the state history", `document.querySelectorAll('#cam-history tr').length >= 1`, 30*time.Second)
	if s := eval[string](t, ctx, `document.querySelector('#cam-history tr .badge').textContent`); s != "Trực tuyến" {
		t.Errorf("newest history row %q, want Trực tuyến", s)
	}
	eval[bool](t, ctx, `(document.getElementById('camera-page').scrollTop = 1e6, true)`)
	Screenshot(t, ctx, "status-history")
	eval[bool](t, ctx, `(document.getElementById('camera-page').scrollTop = 0, true)`)

	// English, remembered.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#topbar [data-lang="en"]`))); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx, "English labels", `document.documentElement.lang === 'en' && `+fmt.Sprintf(`document.querySelector('#cam-details [data-key="cam.viewers"] dt').textContent === 'Viewers now'`), 5*time.Second)
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitViewer(t, ctx)
	WaitJS(t, ctx, "English after reload", `document.documentElement.lang === 'en' && document.getElementById('nav-live').textContent === 'Live view'`, 10*time.Second)
	body := eval[string](t, ctx, `document.getElementById('topbar').innerText`)
	if strings.Contains(body, "Đăng xuất") {
		t.Errorf("top bar still Vietnamese after switching to English: %q", body)
	}
	Screenshot(t, ctx, "status-en")
}
