package uitest

import (
	"slices"
	"testing"
	"time"
)

// TestCommuneLoginSeesOnlyItsCameras: the commune account of ward 25456
// logs in through the form and sees exactly its two cameras, in the tree
// (its ward is the only unit, counting 2) and in the camera list.
func TestCommuneLoginSeesOnlyItsCameras(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := browser(t, a)
	loginForm(t, ctx, a, UserCommune)
	Screenshot(t, ctx, "viewer")

	var units []string
	evalJSON(t, ctx, `Array.from(document.querySelectorAll('#unit-tree [data-unit-code]')).map(e => e.dataset.unitCode)`, &units)
	if !slices.Equal(units, []string{"25456"}) {
		t.Errorf("tree units = %v, want only 25456", units)
	}
	if n := eval[string](t, ctx, `document.querySelector('#unit-tree [data-unit-code="25456"]').dataset.count`); n != "2" {
		t.Errorf("tree count of 25456 = %s, want 2", n)
	}
	WaitJS(t, ctx, "two cameras in the list", `document.querySelectorAll('#camera-list [data-camera-id]').length === 2`, 10*time.Second)
	var names []string
	evalJSON(t, ctx, `Array.from(document.querySelectorAll('#camera-list .cam__name')).map(e => e.textContent)`, &names)
	slices.Sort(names)
	if want := []string{"Quầy 1 – Phường 1", "Quầy 2 – Phường 1"}; !slices.Equal(names, want) {
		t.Errorf("camera list = %q, want %q", names, want)
	}
	// The page text names no other camera.
	body := eval[string](t, ctx, `document.body.innerText`)
	for _, c := range cameras {
		if c.unit != "25456" && containsFold(body, c.name) {
			t.Errorf("page shows %q of unit %s", c.name, c.unit)
		}
	}
}
