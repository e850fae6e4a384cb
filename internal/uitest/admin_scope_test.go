package uitest

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAdminDistrictScope: an admin bound to district 703 sees only the
// units, cameras and accounts of 703 in the admin pages; a police account
// sees "no permission".
func TestAdminDistrictScope(t *testing.T) {
	a := StartApp(t, Options{})
	root := a.Token("admin")
	const user, first, password = "qt.tptn", "first-password-703", "district-admin-703-pass"
	if st := admAPI(t, a, root, http.MethodPost, "/api/v1/users", map[string]string{
		"username": user, "display_name": "Quản trị TP Tây Ninh", "role": "admin", "unit_code": "703", "password": first,
	}, nil); st != http.StatusCreated {
		t.Fatalf("create the district admin: status %d", st)
	}
	// A created account must change its password before anything else.
	var lr struct {
		Token string `json:"token"`
	}
	if st := admAPI(t, a, "", http.MethodPost, "/api/v1/login", map[string]string{"username": user, "password": first}, &lr); st != http.StatusOK {
		t.Fatalf("first login: %d", st)
	}
	if st := admAPI(t, a, lr.Token, http.MethodPost, "/api/v1/me/password",
		map[string]string{"old_password": first, "new_password": password}, nil); st != http.StatusNoContent {
		t.Fatalf("change password: %d", st)
	}
	tok := a.Token(UserDistrict) // any 703 token, for what 703 may see
	var inScope struct {
		Units []struct {
			Code string `json:"code"`
		} `json:"units"`
	}
	admAPI(t, a, tok, http.MethodGet, "/api/v1/units", nil, &inScope)
	var want703 []string
	for _, u := range inScope.Units {
		want703 = append(want703, u.Code)
	}
	slices.Sort(want703)

	ctx := a.Browser(t)
	admLogin(t, ctx, a, user, password, "units")
	WaitJS(t, ctx, "the units table", `document.querySelectorAll('#unit-tbody tr[data-code]').length > 0`, admWait)
	var codes []string
	admEvalJSON(t, ctx, `Array.from(document.querySelectorAll('#unit-tbody tr[data-code]')).map(r => r.dataset.code)`, &codes)
	slices.Sort(codes)
	if !slices.Equal(codes, want703) || slices.Contains(codes, "705") || slices.Contains(codes, "72") {
		t.Errorf("district admin's units = %v, want exactly 703's subtree %v", codes, want703)
	}
	if s := admText(t, ctx, "#adm-scope"); !strings.Contains(s, "703") {
		t.Errorf("scope shown = %q", s)
	}
	Screenshot(t, ctx, "units-703")

	admClick(t, ctx, `.adm-nav-item[data-section="cameras"]`)
	WaitJS(t, ctx, "the camera list", admRows("#cam-tbody")+`.length > 0`, admWait)
	var camUnits []string
	admEvalJSON(t, ctx, admRows("#cam-tbody")+`.map(r => r.dataset.unit)`, &camUnits)
	if len(camUnits) != 4 {
		t.Errorf("district admin sees cameras of units %v, want the 4 of 703", camUnits)
	}
	for _, u := range camUnits {
		if !slices.Contains(want703, u) {
			t.Errorf("district admin sees a camera of unit %s, outside 703", u)
		}
	}
	// The unit select of the form offers 703's units only.
	var options []string
	admEvalJSON(t, ctx, `Array.from(document.querySelectorAll('#cam-unit-filter option')).map(o => o.value).filter(Boolean)`, &options)
	slices.Sort(options)
	if !slices.Equal(options, want703) {
		t.Errorf("unit choices = %v, want %v", options, want703)
	}
	Screenshot(t, ctx, "cameras-703")

	admClick(t, ctx, `.adm-nav-item[data-section="users"]`)
	WaitJS(t, ctx, "the account list", admRows("#usr-tbody")+`.length > 0`, admWait)
	var names []string
	admEvalJSON(t, ctx, admRows("#usr-tbody")+`.map(r => r.dataset.username)`, &names)
	slices.Sort(names)
	want := []string{UserCommune, UserDistrict, UserPolice, user}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("district admin's accounts = %v, want %v", names, want)
	}
	Screenshot(t, ctx, "accounts-703")

	// Without a session the page sends the browser to the login page,
	// which is told to come back.
	ctx3 := a.Browser(t)
	if _, err := chromedp.Run(ctx3, chromedp.Navigate(a.URL+"/admin.html#audit")); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx3, "the redirect to the login page", `location.pathname === '/' &&
		new URLSearchParams(location.search).get('next') === '/admin.html#audit'`, admWait)

	// Police of 703: no admin rights at all.
	ctx2 := a.Browser(t)
	admLogin(t, ctx2, a, UserPolice, Password(UserPolice), "cameras")
	if !admEval[bool](t, ctx2, `!document.getElementById('adm-denied').hidden && document.getElementById('adm-shell').hidden`) {
		t.Fatal("police sees the admin pages")
	}
	if s := admText(t, ctx2, "#adm-denied"); !strings.Contains(s, "Không có quyền") {
		t.Errorf("police sees %q, want 'Không có quyền truy cập'", s)
	}
	if n := admEval[int](t, ctx2, `document.querySelectorAll('#cam-tbody tr, #usr-tbody tr, #unit-tbody tr').length`); n != 0 {
		t.Errorf("police page holds %d table rows", n)
	}
	Screenshot(t, ctx2, "police-no-permission")
}
