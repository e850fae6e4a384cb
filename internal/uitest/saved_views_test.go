package uitest

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestSavedViews: the operator saves the current 4-tile layout under a
// name, clears the grid, reopens the view (same layout and cells), and
// shows it on the wall (?view=<id>) and deletes it; the list comes from
// GET /api/v1/views.
func TestSavedViews(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := browser(t, a)
	loginForm(t, ctx, a, UserAdmin)
	WaitJS(t, ctx, "the views control", `!document.getElementById('views-save').disabled`, 15*time.Second)
	c1, c2 := a.CamID["Quầy 1 – Phường 1"], a.CamID["Quầy 1 – Phường 3"]
	openCells(t, ctx, 4, c1, 0, c2)
	eval[bool](t, ctx, `(vmsGrid.assign(1, null), true)`)
	const name = "Phường 1 và Phường 3"
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("views-save")),
		chromedp.WaitVisible(chromedp.ID("view-name")),
		chromedp.SendKeys(chromedp.ID("view-name"), name),
		chromedp.Click(chromedp.ID("view-submit")),
	); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx, "the saved view in the list",
		`Array.from(document.querySelectorAll('#views-select option')).some(o => o.textContent === `+jsString(name)+`)`, 10*time.Second)
	var cells []any
	evalJSON(t, ctx, `vmsGrid.getCells()`, &cells)
	want := fmt.Sprint([]any{float64(c1), nil, float64(c2), nil})
	if fmt.Sprint(cells) != want {
		t.Fatalf("cells before saving %v, want %v", cells, want)
	}
	// Clear, then reopen.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-layout="9"]`)), chromedp.Click(chromedp.ID("grid-clear"))); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, ctx, `(() => { const s = document.getElementById('views-select'); s.value = ''; s.dispatchEvent(new Event('change')); return true; })()`)
	eval[bool](t, ctx, `(() => { const s = document.getElementById('views-select'); const o = Array.from(s.options).find(o => o.textContent === `+jsString(name)+`); s.value = o.value; s.dispatchEvent(new Event('change')); return true; })()`)
	WaitJS(t, ctx, "the view reopened", `vmsGrid.layout === 4 && JSON.stringify(vmsGrid.getCells()) === `+jsString(fmt.Sprintf("[%d,null,%d,null]", c1, c2)), 10*time.Second)
	waitFramesGrow(t, ctx, 0, 45*time.Second)
	Screenshot(t, ctx, "view")

	// The wall shows the same view (?view=<id>).
	viewID := eval[string](t, ctx, `document.getElementById('views-select').value`)
	navigate(t, ctx, a.URL+"/wall.html?view="+viewID)
	WaitJS(t, ctx, "the wall with the saved view",
		`!!window.vmsGrid && vmsGrid.layout === 4 && JSON.stringify(vmsGrid.getCells()) === `+jsString(fmt.Sprintf("[%d,null,%d,null]", c1, c2)), 20*time.Second)
	if !eval[bool](t, ctx, `document.getElementById('wall-info').textContent.includes(`+jsString(name)+`)`) {
		t.Errorf("wall does not name the view")
	}
	navigate(t, ctx, a.URL+"/")
	waitViewer(t, ctx)
	WaitJS(t, ctx, "the views list", `document.querySelectorAll('#views-select option').length === 2`, 10*time.Second)
	eval[bool](t, ctx, `(() => { const s = document.getElementById('views-select'); s.value = `+jsString(viewID)+`; s.dispatchEvent(new Event('change')); return true; })()`)

	// Delete through the confirmation.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("views-delete")),
		chromedp.WaitVisible(chromedp.ID("confirm-ok")),
		chromedp.Click(chromedp.ID("confirm-ok")),
	); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx, "the view gone", `document.querySelectorAll('#views-select option').length === 1`, 10*time.Second)
}
