package uitest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestAdminBulkCommuneAccounts: bulk-creating commune accounts for district
// 705 shows a table of usernames and first passwords; one of them can then
// log in over the API and must change its password.
func TestAdminBulkCommuneAccounts(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := a.Browser(t)
	admLogin(t, ctx, a, "admin", Password("admin"), "users")
	WaitJS(t, ctx, "the account list", admRows("#usr-tbody")+`.length >= 6`, admWait)
	admNoRawKeys(t, ctx)
	Screenshot(t, ctx, "accounts-list")

	admClick(t, ctx, "#usr-bulk")
	WaitJS(t, ctx, "the bulk dialog", `document.getElementById('bulk-dialog').open`, admWait)
	admSet(t, ctx, "#bulk-unit", "705")
	admClick(t, ctx, "#bulk-submit")
	WaitJS(t, ctx, "the credentials table", `!document.getElementById('bulk-result').hidden && document.querySelectorAll('#bulk-tbody .bulk-password').length > 0`, admWait)
	Screenshot(t, ctx, "bulk-result")

	var creds []struct{ Unit, Username, Password string }
	admEvalJSON(t, ctx, `Array.from(document.querySelectorAll('#bulk-tbody tr')).map(r => ({
		Unit: r.children[1].textContent, Username: r.querySelector('.bulk-username').textContent,
		Password: r.querySelector('.bulk-password').textContent}))`, &creds)
	if len(creds) < 2 {
		t.Fatalf("bulk creation for 705 listed %d accounts, want one per commune of Huyện Tân Biên", len(creds))
	}
	for _, c := range creds {
		if c.Username != "xa-"+c.Unit || len(c.Password) < 10 {
			t.Errorf("credential %+v: want username xa-<unit code> and a generated password", c)
		}
	}
	if s := admText(t, ctx, "#bulk-summary"); !strings.Contains(s, fmt.Sprint(len(creds))) || !strings.Contains(s, "Huyện Tân Biên") {
		t.Errorf("summary = %q", s)
	}
	if admEval[bool](t, ctx, `document.getElementById('bulk-csv').disabled || document.getElementById('bulk-print').disabled`) {
		t.Error("CSV download or print button disabled")
	}

	// The CSV is made in the page (a Blob): catch it instead of saving it.
	csv := admEval[string](t, ctx, `new Promise((resolve) => {
		const orig = URL.createObjectURL;
		URL.createObjectURL = (b) => {
			URL.createObjectURL = orig;
			b.arrayBuffer().then((ab) => { const u = new Uint8Array(ab);
				resolve((u[0] === 0xef && u[1] === 0xbb && u[2] === 0xbf ? 'BOM:' : '') + new TextDecoder().decode(u)); });
			return 'data:text/plain,';
		};
		document.getElementById('bulk-csv').click();
	})`)
	// A byte-order mark first, so that Excel reads UTF-8.
	if !strings.HasPrefix(csv, "BOM:Mã đơn vị,Tên đơn vị,Tên đăng nhập,Mật khẩu ban đầu\r\n") ||
		!strings.Contains(csv, creds[0].Unit+",") || !strings.Contains(csv, ","+creds[0].Username+","+creds[0].Password+"\r\n") ||
		strings.Count(csv, "\r\n") != len(creds)+1 {
		t.Errorf("CSV download = %q", csv)
	}

	st, mustChange := admLoginStatus(t, a, creds[0].Username, creds[0].Password)
	if st != http.StatusOK || !mustChange {
		t.Errorf("login as %s with the shown password: status %d, must change %v; want 200 and true", creds[0].Username, st, mustChange)
	}

	// Closing the dialog forgets the passwords and the list shows the accounts.
	admClick(t, ctx, "#bulk-dialog .dialog-foot [data-close]")
	WaitJS(t, ctx, "the new accounts in the list", admRows("#usr-tbody")+`.some(r => r.dataset.username === `+admJS(creds[0].Username)+`)`, admWait)
	if n := admEval[int](t, ctx, `document.querySelectorAll('#bulk-tbody .bulk-password').length`); n != 0 {
		t.Errorf("%d passwords still in the page after closing the dialog", n)
	}

	// A second run creates nothing and says so.
	admClick(t, ctx, "#usr-bulk")
	admSet(t, ctx, "#bulk-unit", "705")
	admClick(t, ctx, "#bulk-submit")
	WaitJS(t, ctx, "the empty result", `!document.getElementById('bulk-result').hidden && document.getElementById('bulk-summary').textContent.includes('đều đã có tài khoản')`, admWait)
}

// TestAdminAccounts: create an account (the generated password is shown
// once), reset a password (the new one is shown and works, with a forced
// change), and disable an account, whose API login then fails.
func TestAdminAccounts(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := a.Browser(t)
	admLogin(t, ctx, a, "admin", Password("admin"), "users")
	WaitJS(t, ctx, "the account list", admRows("#usr-tbody")+`.length >= 6`, admWait)

	// Create: client-side checks first, then the server's answer.
	admClick(t, ctx, "#usr-add")
	WaitJS(t, ctx, "the account form", `document.getElementById('usr-dialog').open`, admWait)
	admSet(t, ctx, "#usr-username", "Cán bộ")
	admClick(t, ctx, "#usr-form button[type=submit]")
	WaitJS(t, ctx, "field errors", `document.querySelector('#usr-form .field[data-field="role"] .field-error').textContent !== ''`, admWait)
	if msg := admFieldError(t, ctx, "#usr-form", "username"); !strings.Contains(msg, "2–64") {
		t.Errorf("username error = %q", msg)
	}
	if msg := admFieldError(t, ctx, "#usr-form", "unit_code"); msg == "" {
		t.Error("no error next to the unit")
	}
	// A name that is taken: the server's 409 lands next to the username.
	admSet(t, ctx, "#usr-username", "demo-police")
	admSet(t, ctx, "#usr-role", "commune")
	admSet(t, ctx, "#usr-unit", "25459")
	admClick(t, ctx, "#usr-form button[type=submit]")
	WaitJS(t, ctx, "the conflict", `document.querySelector('#usr-form .field[data-field="username"] .field-error').textContent.includes('đã được sử dụng')`, admWait)
	Screenshot(t, ctx, "account-form-errors")

	admSet(t, ctx, "#usr-username", "canbo.phuong3")
	admSet(t, ctx, "#usr-display", "Nguyễn Thị Lan – UBND Phường 3")
	admClick(t, ctx, "#usr-form button[type=submit]")
	WaitJS(t, ctx, "the first password", `document.getElementById('secret-dialog').open && document.getElementById('secret-value').textContent.length >= 10`, admWait)
	Screenshot(t, ctx, "account-created-password")
	first := admText(t, ctx, "#secret-value")
	if st, mc := admLoginStatus(t, a, "canbo.phuong3", first); st != http.StatusOK || !mc {
		t.Errorf("login with the shown first password: %d, must change %v", st, mc)
	}
	admClick(t, ctx, "#secret-dialog .dialog-foot [data-close]")
	WaitJS(t, ctx, "the new account in the list", admRows("#usr-tbody")+`.some(r => r.dataset.username === 'canbo.phuong3')`, admWait)

	// Edit: role and unit change together; the unit choices follow the role.
	newID := admEval[string](t, ctx, `document.querySelector('#usr-tbody tr[data-username="canbo.phuong3"]').dataset.id`)
	admClick(t, ctx, `#usr-tbody tr[data-id="`+newID+`"] [data-action="edit"]`)
	WaitJS(t, ctx, "the edit form", `document.getElementById('usr-dialog').open`, admWait)
	if !admEval[bool](t, ctx, `document.getElementById('usr-username').disabled`) {
		t.Error("the user name is editable")
	}
	admSet(t, ctx, "#usr-role", "district")
	var unitChoices []string
	admEvalJSON(t, ctx, `Array.from(document.querySelectorAll('#usr-unit option')).map(o => o.value).filter(Boolean)`, &unitChoices)
	if !slices.Contains(unitChoices, "705") || slices.Contains(unitChoices, "25459") || slices.Contains(unitChoices, "72") {
		t.Errorf("unit choices for a district account = %v, want district units only", unitChoices)
	}
	admSet(t, ctx, "#usr-unit", "705")
	admSet(t, ctx, "#usr-display", "Nguyễn Thị Lan – UBND Huyện Tân Biên")
	admClick(t, ctx, "#usr-form button[type=submit]")
	WaitJS(t, ctx, "the edited row", `(() => { const r = document.querySelector('#usr-tbody tr[data-username="canbo.phuong3"]');
		return !document.getElementById('usr-dialog').open && r && r.dataset.role === 'district' && r.textContent.includes('Huyện Tân Biên'); })()`, admWait)
	var listed struct {
		Users []struct {
			Username    string `json:"username"`
			Role        string `json:"role"`
			UnitCode    string `json:"unit_code"`
			DisplayName string `json:"display_name"`
		} `json:"users"`
	}
	admAPI(t, a, a.Token("admin"), http.MethodGet, "/api/v1/users", nil, &listed)
	for _, u := range listed.Users {
		if u.Username == "canbo.phuong3" && (u.Role != "district" || u.UnitCode != "705" || u.DisplayName != "Nguyễn Thị Lan – UBND Huyện Tân Biên") {
			t.Errorf("edited account = %+v", u)
		}
	}

	// Reset demo-province's password.
	id := admEval[string](t, ctx, `document.querySelector('#usr-tbody tr[data-username="demo-province"]').dataset.id`)
	admClick(t, ctx, `#usr-tbody tr[data-id="`+id+`"] [data-action="reset"]`)
	WaitJS(t, ctx, "the confirmation", `document.getElementById('confirm-dialog').open`, admWait)
	admClick(t, ctx, "#confirm-yes")
	WaitJS(t, ctx, "the new password", `document.getElementById('secret-dialog').open && document.getElementById('secret-value').textContent.length >= 10`, admWait)
	reset := admText(t, ctx, "#secret-value")
	Screenshot(t, ctx, "password-reset")
	if st, _ := admLoginStatus(t, a, UserProvince, Password(UserProvince)); st != http.StatusUnauthorized {
		t.Errorf("old password after reset: status %d, want 401", st)
	}
	if st, mc := admLoginStatus(t, a, UserProvince, reset); st != http.StatusOK || !mc {
		t.Errorf("login with the reset password: %d, must change %v; want 200 and true", st, mc)
	}
	admClick(t, ctx, "#secret-dialog .dialog-foot [data-close]")
	WaitJS(t, ctx, "the must-change mark", `!!document.querySelector('#usr-tbody tr[data-username="demo-province"] .tag-warn')`, admWait)

	// Disable demo-commune.
	if st, _ := admLoginStatus(t, a, UserCommune, Password(UserCommune)); st != http.StatusOK {
		t.Fatalf("demo-commune cannot log in before the test: %d", st)
	}
	admSet(t, ctx, "#usr-filter", "demo-commune")
	WaitJS(t, ctx, "the filtered list", admRows("#usr-tbody")+`.length === 1`, admWait)
	admClick(t, ctx, `#usr-tbody tr[data-username="demo-commune"] [data-action="disable"]`)
	WaitJS(t, ctx, "the confirmation", `document.getElementById('confirm-dialog').open`, admWait)
	Screenshot(t, ctx, "disable-confirm")
	admClick(t, ctx, "#confirm-yes")
	WaitJS(t, ctx, "the disabled row", `document.querySelector('#usr-tbody tr[data-username="demo-commune"]').classList.contains('row-disabled')`, admWait)
	Screenshot(t, ctx, "account-disabled")
	if st, _ := admLoginStatus(t, a, UserCommune, Password(UserCommune)); st != http.StatusUnauthorized {
		t.Errorf("login of the disabled account: status %d, want 401", st)
	}
	// And back.
	admClick(t, ctx, `#usr-tbody tr[data-username="demo-commune"] [data-action="enable"]`)
	WaitJS(t, ctx, "the confirmation", `document.getElementById('confirm-dialog').open`, admWait)
	admClick(t, ctx, "#confirm-yes")
	WaitJS(t, ctx, "the enabled row", `!document.querySelector('#usr-tbody tr[data-username="demo-commune"]').classList.contains('row-disabled')`, admWait)
	if st, _ := admLoginStatus(t, a, UserCommune, Password(UserCommune)); st != http.StatusOK {
		t.Errorf("login of the re-enabled account: status %d, want 200", st)
	}
	// The admin's own row offers no disable or reset.
	if admEval[bool](t, ctx, `(() => { document.getElementById('usr-filter').value = ''; document.getElementById('usr-filter').dispatchEvent(new Event('input'));
		const r = document.querySelector('#usr-tbody tr[data-username="admin"]'); return !!r.querySelector('[data-action="disable"], [data-action="reset"]'); })()`) {
		t.Error("the admin's own row offers disable or reset")
	}
}
