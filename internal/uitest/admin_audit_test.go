package uitest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestAdminAudit: the audit page lists the login rows and filters by user;
// the CSV export link carries the same filter.
func TestAdminAudit(t *testing.T) {
	a := StartApp(t, Options{})
	a.Token(UserPolice)
	a.Token(UserDistrict)
	if st, _ := admLoginStatus(t, a, UserPolice, "wrong password"); st != http.StatusUnauthorized {
		t.Fatalf("bad login: %d", st)
	}
	ctx := a.Browser(t)
	admLogin(t, ctx, a, "admin", Password("admin"), "audit")
	WaitJS(t, ctx, "audit rows", `document.querySelectorAll('#aud-tbody tr[data-kind]').length >= 4`, admWait)
	type row struct{ Kind, User, Text string }
	var rows []row
	read := func() {
		rows = nil
		admEvalJSON(t, ctx, `Array.from(document.querySelectorAll('#aud-tbody tr[data-kind]')).map(r => ({Kind: r.dataset.kind, User: r.dataset.user, Text: r.textContent}))`, &rows)
	}
	read()
	found := map[string]bool{}
	for _, r := range rows {
		found[r.Kind+" "+r.User] = true
	}
	for _, k := range []string{"login.success admin", "login.success " + UserPolice, "login.success " + UserDistrict, "login.failure " + UserPolice} {
		if !found[k] {
			t.Errorf("no audit row %q; rows: %v", k, rows)
		}
	}
	if !strings.Contains(admText(t, ctx, "#aud-tbody"), "Đăng nhập thành công") {
		t.Error("event kinds are not shown in words")
	}
	admNoRawKeys(t, ctx)
	Screenshot(t, ctx, "audit-all")

	admSet(t, ctx, "#aud-user", UserPolice)
	admClick(t, ctx, "#aud-form button[type=submit]")
	WaitJS(t, ctx, "the filtered rows", `(() => { const r = Array.from(document.querySelectorAll('#aud-tbody tr[data-kind]'));
		return r.length > 0 && r.every(x => x.dataset.user === 'demo-police'); })()`, admWait)
	read()
	if len(rows) != 2 {
		t.Errorf("rows for %s: %v, want its login and its failed login", UserPolice, rows)
	}
	href := admEval[string](t, ctx, `document.getElementById('aud-export').href`)
	if u, err := url.Parse(href); err != nil || u.Path != "/api/v1/audit.csv" || u.Query().Get("user") != UserPolice {
		t.Errorf("export link %q, want /api/v1/audit.csv?user=%s", href, UserPolice)
	}
	// The export link works with the page's session.
	csv := admEval[string](t, ctx, `fetch(document.getElementById('aud-export').href, {credentials: 'same-origin'}).then(r => r.text())`)
	if !strings.HasPrefix(csv, "id,at,kind") || !strings.Contains(csv, "login.failure") || strings.Contains(csv, ",admin,") {
		t.Errorf("export = %q", csv)
	}

	// Kind filter: failed logins only.
	admSet(t, ctx, "#aud-user", "")
	admSet(t, ctx, "#aud-kind", "login.failure")
	admClick(t, ctx, "#aud-form button[type=submit]")
	WaitJS(t, ctx, "failed logins only", `(() => { const r = Array.from(document.querySelectorAll('#aud-tbody tr[data-kind]'));
		return r.length === 1 && r[0].dataset.kind === 'login.failure'; })()`, admWait)
	Screenshot(t, ctx, "audit-filtered")

	// Paging: 60 more rows (camera renames through the API), 50 a page.
	admin := a.Token("admin")
	camID := a.CamID["Quầy 1 – Phường 3"]
	for i := range 60 {
		if st := admAPI(t, a, admin, http.MethodPatch, fmt.Sprintf("/api/v1/cameras/%d", camID),
			map[string]string{"name": fmt.Sprintf("Quầy 1 – Phường 3 (%d)", i)}, nil); st != http.StatusOK {
			t.Fatalf("rename camera: %d", st)
		}
	}
	admSet(t, ctx, "#aud-kind", "")
	admClick(t, ctx, "#aud-form button[type=submit]")
	WaitJS(t, ctx, "a full first page", `document.querySelectorAll('#aud-tbody tr[data-kind]').length === 50 && !document.getElementById('aud-next').disabled`, admWait)
	var page1, page2 []string
	admEvalJSON(t, ctx, `Array.from(document.querySelectorAll('#aud-tbody tr[data-id]')).map(r => r.dataset.id)`, &page1)
	admClick(t, ctx, "#aud-next")
	WaitJS(t, ctx, "the second page", `document.getElementById('aud-page').textContent === 'Trang 2' && document.querySelectorAll('#aud-tbody tr[data-kind]').length > 0 && !document.getElementById('aud-prev').disabled`, admWait)
	admEvalJSON(t, ctx, `Array.from(document.querySelectorAll('#aud-tbody tr[data-id]')).map(r => r.dataset.id)`, &page2)
	if len(page2) == 0 || admAtoi(t, page2[0]) >= admAtoi(t, page1[len(page1)-1]) {
		t.Errorf("second page %v does not continue after the first (last id %s)", page2, page1[len(page1)-1])
	}
	Screenshot(t, ctx, "audit-page2")
	admClick(t, ctx, "#aud-prev")
	WaitJS(t, ctx, "back to the first page", `document.getElementById('aud-page').textContent === 'Trang 1' && document.querySelector('#aud-tbody tr[data-id]').dataset.id === `+admJS(page1[0]), admWait)

	// A bad date range is refused next to the field.
	admSet(t, ctx, "#aud-kind", "")
	admSet(t, ctx, "#aud-from", "2026-02-10")
	admSet(t, ctx, "#aud-to", "2026-02-01")
	admClick(t, ctx, "#aud-form button[type=submit]")
	WaitJS(t, ctx, "the range error", `document.querySelector('#aud-form .field[data-field="to"] .field-error').textContent !== ''`, admWait)
}

// TestAdminUnits: the units tree is listed with codes, levels and kinds;
// a CSV import with a bad line names the line and stores nothing; a good
// file adds the unit.
func TestAdminUnits(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := a.Browser(t)
	admLogin(t, ctx, a, "admin", Password("admin"), "units")
	WaitJS(t, ctx, "the units table", `document.querySelectorAll('#unit-tbody tr[data-code]').length > 50`, admWait)
	if s := admText(t, ctx, `#unit-tbody tr[data-code="705"]`); !strings.Contains(s, "Huyện Tân Biên") || !strings.Contains(s, "Huyện") {
		t.Errorf("row of 705 = %q", s)
	}
	admSet(t, ctx, "#unit-filter", "tan bien")
	WaitJS(t, ctx, "the diacritics-insensitive filter", `(() => { const r = Array.from(document.querySelectorAll('#unit-tbody tr[data-code]')).filter(x => !x.hidden);
		return r.length >= 2 && r.some(x => x.dataset.code === '705'); })()`, admWait)
	admSet(t, ctx, "#unit-filter", "")
	Screenshot(t, ctx, "units-tree")

	upload := func(csv string) {
		admEval[bool](t, ctx, `(() => { const dt = new DataTransfer();
			dt.items.add(new File([`+admJS(csv)+`], 'units.csv', {type: 'text/csv'}));
			document.getElementById('unit-file').files = dt.files; return true; })()`)
		admClick(t, ctx, "#unit-import-form button[type=submit]")
	}
	upload("code,name,level,kind,parent_code\n99901,Phường Thử nghiệm,commune,Phường,703\n99902,Xã Lỗi,hamlet,Xã,703\n")
	WaitJS(t, ctx, "the import error", `document.getElementById('unit-import-result').classList.contains('result-fail')`, admWait)
	if s := admText(t, ctx, "#unit-import-result"); !strings.Contains(s, "Dòng 3, cột level") || !strings.Contains(s, "“hamlet” không hợp lệ") {
		t.Errorf("import error = %q, want it to name line 3 and the bad level in Vietnamese", s)
	}
	admEval[bool](t, ctx, `document.getElementById('unit-import-result').scrollIntoView(), true`)
	Screenshot(t, ctx, "units-import-error")
	var units struct {
		Units []struct {
			Code string `json:"code"`
		} `json:"units"`
	}
	admAPI(t, a, a.Token("admin"), http.MethodGet, "/api/v1/units", nil, &units)
	for _, u := range units.Units {
		if u.Code == "99901" {
			t.Fatal("a failed import stored a unit")
		}
	}

	upload("code,name,level,kind,parent_code\n99901,Phường Thử nghiệm,commune,Phường,703\n")
	WaitJS(t, ctx, "the import result", `document.getElementById('unit-import-result').classList.contains('result-ok')`, admWait)
	if s := admText(t, ctx, "#unit-import-result"); !strings.Contains(s, "Thêm mới: 1") {
		t.Errorf("import result = %q", s)
	}
	WaitJS(t, ctx, "the new unit in the tree", `!!document.querySelector('#unit-tbody tr[data-code="99901"]')`, admWait)
}

// TestAdminEnglish: the language switch turns every admin text into
// English, tables included, with no catalogue key left untranslated.
func TestAdminEnglish(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := a.Browser(t)
	admLogin(t, ctx, a, "admin", Password("admin"), "users")
	WaitJS(t, ctx, "the account list", admRows("#usr-tbody")+`.length >= 6`, admWait)
	admClick(t, ctx, `.adm-lang-btn[data-lang="en"]`)
	WaitJS(t, ctx, "English", `document.documentElement.lang === 'en'`, admWait)
	if h := admText(t, ctx, "#sec-users h1"); h != "Accounts" {
		t.Errorf("heading in English = %q", h)
	}
	if s := admText(t, ctx, "#usr-tbody"); !strings.Contains(s, "Administrator (IT Department)") || strings.Contains(s, "Quản trị (Sở TT&TT)") {
		t.Errorf("roles in the table are not in English: %q", s)
	}
	if title := admEval[string](t, ctx, `document.title`); !strings.HasPrefix(title, "Administration") {
		t.Errorf("title = %q", title)
	}
	admNoRawKeys(t, ctx)
	Screenshot(t, ctx, "accounts-english")
	admClick(t, ctx, `.adm-nav-item[data-section="cameras"]`)
	WaitJS(t, ctx, "the camera list", admRows("#cam-tbody")+`.length > 0`, admWait)
	admClick(t, ctx, "#cam-add")
	WaitJS(t, ctx, "the camera form", `document.getElementById('cam-dialog').open`, admWait)
	admClick(t, ctx, "#cam-save")
	WaitJS(t, ctx, "English field errors", `document.querySelector('#cam-form .field[data-field="name"] .field-error').textContent === 'Required.'`, admWait)
	Screenshot(t, ctx, "camera-form-english")
}

func admAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
