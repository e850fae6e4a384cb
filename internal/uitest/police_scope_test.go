package uitest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestPoliceNeverSeesNeighbouringDistrict: the police account of district
// 703 logs in; the camera of the neighbouring district 705 ("Quầy 1 –
// Huyện Tân Biên") and its unit appear nowhere: not in the tree, the
// list, the search results, a grid tile (which says "no permission"), the
// camera status page, the wall, nor in the page's camera store. Police
// get no admin link.
func TestPoliceNeverSeesNeighbouringDistrict(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := browser(t, a)
	loginForm(t, ctx, a, UserPolice)
	hidden := a.CamID["Quầy 1 – Huyện Tân Biên"]
	const name = "Tân Biên"

	absent := func(where string) {
		t.Helper()
		body := eval[string](t, ctx, `document.body.innerText`)
		if strings.Contains(body, name) {
			t.Errorf("%s: page text mentions %q", where, name)
		}
		if eval[bool](t, ctx, fmt.Sprintf(`window.vmsStore.cameras.has(%d) || document.querySelector('[data-camera-id="%d"]') !== null`, hidden, hidden)) {
			t.Errorf("%s: camera %d is in the page", where, hidden)
		}
		if eval[bool](t, ctx, `document.querySelector('[data-unit-code="705"], [data-unit-code="25486"], [data-unit-code="72"]') !== null`) {
			t.Errorf("%s: a unit outside 703 is in the tree", where)
		}
	}
	if eval[bool](t, ctx, `!document.getElementById('nav-admin').hidden`) {
		t.Errorf("police sees the admin link")
	}
	if root := eval[string](t, ctx, `vmsStore.root()`); root != "703" {
		t.Errorf("tree root = %s, want 703", root)
	}
	absent("viewer")

	// A tile asked for the hidden camera (an old saved view, a crafted
	// link) says "no permission" and names nothing.
	openCells(t, ctx, 1, hidden)
	WaitJS(t, ctx, "the no-permission explanation",
		`document.querySelector('#grid .tile[data-index="0"]').dataset.reason === 'forbidden'`, 15*time.Second)
	if text := tileText(t, ctx, 0); !strings.Contains(text, "không có quyền") {
		t.Errorf("tile text %q does not say there is no permission", text)
	}
	absent("grid")
	eval[bool](t, ctx, `(vmsGrid.clearAll(), true)`)

	// Search: "tan bien" finds nothing for police of 703.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("nav-search"), "tan bien")); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx, "the search to say no results",
		`!document.getElementById('camera-list-status').hidden && document.querySelectorAll('#camera-list li').length === 0`, 10*time.Second)
	absent("search")

	// The status page of the hidden camera: not found, nothing leaks.
	if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/#/camera/%d", a.URL, hidden))); err != nil {
		t.Fatal(err)
	}
	waitViewer(t, ctx)
	WaitJS(t, ctx, "the status page to say not found", `!document.getElementById('cam-notfound').hidden`, 15*time.Second)
	absent("status page")
	Screenshot(t, ctx, "status-not-found")

	// The wall.
	if err := chromedp.Do(ctx, chromedp.Navigate(a.URL+"/wall.html?layout=16")); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx, "the wall to fill", `!!(window.vmsStore && vmsStore.loaded() && document.querySelectorAll('#wall-grid .tile[data-camera-id]').length > 0)`, 30*time.Second)
	n := eval[float64](t, ctx, `document.querySelectorAll('#wall-grid .tile[data-camera-id]').length`)
	if n != 4 { // 25456 ×2, 25459, 703
		t.Errorf("wall shows %v cameras, want the 4 of district 703", n)
	}
	absent("wall")
}
