package uitest

import (
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestSearchIgnoresDiacritics: for the province account, "tan bien"
// finds the cameras of Tân Biên (district and town) and nothing else, the
// tree narrows to Huyện Tân Biên, and case, tones and đ do not matter.
func TestSearchIgnoresDiacritics(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := browser(t, a)
	loginForm(t, ctx, a, UserProvince)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("nav-search"), "tan bien")); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx, "the search results", `document.querySelectorAll('#camera-list li').length === 2`, 10*time.Second)
	var names []string
	evalJSON(t, ctx, `Array.from(document.querySelectorAll('#camera-list .cam__name')).map(e => e.textContent)`, &names)
	slices.Sort(names)
	if want := []string{"Quầy 1 – Huyện Tân Biên", "Quầy 1 – Thị trấn Tân Biên"}; !slices.Equal(names, want) {
		t.Errorf("search results %q, want %q", names, want)
	}
	if !eval[bool](t, ctx, `document.querySelector('#unit-tree [data-unit-code="705"]') !== null && document.querySelector('#unit-tree [data-unit-code="703"]') === null`) {
		t.Errorf("tree does not narrow to Huyện Tân Biên")
	}
	Screenshot(t, ctx, "search")
	for q, want := range map[string]bool{
		"TÂN BIÊN":      true,
		"Tan Bien":      true,
		"tân biên":      true,
		"huyen tan":     true,
		"dong":          false,
		"tan chau":      false,
		"bien tan quay": true,
	} {
		got := eval[bool](t, ctx, `vmsStore.matches('Quầy 1 – Huyện Tân Biên', `+jsString(q)+`)`)
		if got != want {
			t.Errorf("matches(%q) = %v, want %v", q, got, want)
		}
	}
	if f := eval[string](t, ctx, `vmsStore.fold('Đồng Khởi – Tân Châu')`); f != "dong khoi tan chau" {
		t.Errorf("fold = %q, want \"dong khoi tan chau\" (đ/Đ → d)", f)
	}
}
