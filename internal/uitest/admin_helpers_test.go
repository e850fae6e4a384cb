package uitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Helpers of the admin page tests (admin_*_test.go). They drive the page
// through JavaScript on stable element ids of web/static/admin.html, and
// set up or check state through the API.

// admWait is how long the admin tests wait for the page to react; the
// machine is shared, so it is generous.
const admWait = 30 * time.Second

// jsString quotes s as a JavaScript string literal.
func admJS(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// adminLogin logs user in from the page (POST /api/v1/login with fetch, so
// the session cookie is set, without depending on the viewer page's login
// form), then opens admin.html at hash and waits until the page has
// decided what to show (the admin shell or "no permission").
func admLogin(t *testing.T, ctx context.Context, a *App, user, password, hash string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Navigate(a.URL+"/")); err != nil {
		t.Fatal(err)
	}
	js := fmt.Sprintf(`fetch('/api/v1/login', {method: 'POST', credentials: 'same-origin',
		headers: {'Content-Type': 'application/json'}, body: JSON.stringify({username: %s, password: %s})}).then(r => r.status)`,
		admJS(user), admJS(password))
	status, err := chromedp.Run(ctx, chromedp.Evaluate[int](js, chromedp.EvalAwaitPromise))
	if err != nil || status != http.StatusOK {
		t.Fatalf("login %s from the page: status %d, %v", user, status, err)
	}
	admOpen(t, ctx, a, hash)
}

// adminOpen navigates to admin.html#hash and waits for the page to start.
func admOpen(t *testing.T, ctx context.Context, a *App, hash string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Navigate(a.URL+"/admin.html#"+hash)); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx, "the admin page to start",
		`!document.getElementById('adm-shell').hidden || !document.getElementById('adm-denied').hidden`, admWait)
}

// evalJS runs a JavaScript expression and returns its value as T.
func admEval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		Screenshot(t, ctx, "js-error")
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// setField sets an input's or select's value (or a checkbox's state) and
// fires input and change, as typing would.
func admSet(t *testing.T, ctx context.Context, sel string, value any) {
	t.Helper()
	v, _ := json.Marshal(value)
	ok := admEval[bool](t, ctx, fmt.Sprintf(`(() => {
		const e = document.querySelector(%s);
		if (!e) return false;
		const v = %s;
		if (e.type === 'checkbox') e.checked = !!v; else e.value = v;
		e.dispatchEvent(new Event('input', {bubbles: true}));
		e.dispatchEvent(new Event('change', {bubbles: true}));
		return e.type === 'checkbox' || e.value === String(v);
	})()`, admJS(sel), v))
	if !ok {
		t.Fatalf("could not set %s to %v (no such element, or no such option)", sel, value)
	}
}

// click clicks the element sel.
func admClick(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if !admEval[bool](t, ctx, fmt.Sprintf(`(() => { const e = document.querySelector(%s); if (!e) return false; e.click(); return true; })()`, admJS(sel))) {
		Screenshot(t, ctx, "no-element")
		t.Fatalf("no element %s to click", sel)
	}
}

// textOf returns the text of sel ("" when absent).
func admText(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return admEval[string](t, ctx, fmt.Sprintf(`(() => { const e = document.querySelector(%s); return e ? e.textContent : ''; })()`, admJS(sel)))
}

// fieldErrorOf returns the error shown next to a form field.
func admFieldError(t *testing.T, ctx context.Context, form, field string) string {
	t.Helper()
	return admText(t, ctx, form+` .field[data-field="`+field+`"] .field-error`)
}

// rowsJS is a JavaScript expression for the visible rows of a table body.
func admRows(tbody string) string {
	return fmt.Sprintf(`Array.from(document.querySelectorAll('%s tr[data-search]')).filter(r => !r.hidden)`, tbody)
}

// api calls the API with a bearer token and decodes the JSON answer into
// out (when non-nil), returning the status.
func admAPI(t *testing.T, a *App, token, method, path string, body, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: status %d, body %q: %v", method, path, res.StatusCode, data, err)
		}
	}
	return res.StatusCode
}

// loginStatus tries an API login and returns the status and, on success,
// whether the account must change its password.
func admLoginStatus(t *testing.T, a *App, user, password string) (int, bool) {
	t.Helper()
	var lr struct {
		MustChange bool   `json:"must_change_password"`
		Token      string `json:"token"`
	}
	st := admAPI(t, a, "", http.MethodPost, "/api/v1/login", map[string]string{"username": user, "password": password}, &lr)
	return st, lr.MustChange
}

// admCamera is the part of a camera answer the tests look at.
type admCamera struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	UnitCode    string `json:"unit_code"`
	RTSPURL     string `json:"rtsp_url"`
	Username    string `json:"username"`
	HasPassword bool   `json:"has_password"`
}

func admCameras(t *testing.T, a *App, token string) []admCamera {
	t.Helper()
	var out struct {
		Cameras []admCamera `json:"cameras"`
	}
	if st := admAPI(t, a, token, http.MethodGet, "/api/v1/cameras", nil, &out); st != http.StatusOK {
		t.Fatalf("list cameras: status %d", st)
	}
	return out.Cameras
}

// noBrokenText fails when the page shows an untranslated catalogue key
// (text that looks like "cam.f.name") or a missing key in either language.
func admNoRawKeys(t *testing.T, ctx context.Context) {
	t.Helper()
	missing := admEval[string](t, ctx, `JSON.stringify(VMS_I18N.missing().filter(m => /^(adm|cam|usr|unit|aud|bulk|probe|err|kind|detail|role|level)\./.test(m.key)))`)
	if missing != "[]" {
		t.Errorf("admin catalogue keys missing in a language: %s", missing)
	}
	raw := admEval[string](t, ctx, `(() => {
		const re = /^(adm|cam|usr|unit|aud|bulk|probe|err|kind|role|level)\.[A-Za-z.]+$/;
		const bad = [];
		const walk = (n) => {
			if (n.nodeType === 3 && re.test(n.textContent.trim())) bad.push(n.textContent.trim());
			n.childNodes.forEach(walk);
		};
		walk(document.body);
		return bad.join(', ');
	})()`)
	if strings.TrimSpace(raw) != "" {
		t.Errorf("page shows untranslated keys: %s", raw)
	}
}

// admEvalJSON evaluates expr in the page and decodes its JSON into out.
func admEvalJSON(t *testing.T, ctx context.Context, expr string, out any) {
	t.Helper()
	s := admEval[string](t, ctx, "JSON.stringify("+expr+")")
	if err := json.Unmarshal([]byte(s), out); err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
}
