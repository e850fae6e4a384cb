package uitest

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestCatalogueComplete: every key of the message catalogue exists in
// both Vietnamese and English (the admin pages' catalogue included when
// i18n-admin.js exists), every data-i18n* key of the HTML pages exists,
// and every literal key the viewer's scripts pass to t() exists.
func TestCatalogueComplete(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := browser(t, a)
	if err := chromedp.Do(ctx, chromedp.Navigate(a.URL+"/")); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx, "the catalogue", `!!window.VMS_I18N`, 30*time.Second)
	if res, err := http.Get(a.URL + "/i18n-admin.js"); err == nil {
		_ = res.Body.Close()
		if res.StatusCode == http.StatusOK {
			eval[bool](t, ctx, `(window.__adminLoaded = false, document.head.append(Object.assign(document.createElement('script'), {src: '/i18n-admin.js', onload: () => { window.__adminLoaded = true; }})), true)`)
			WaitJS(t, ctx, "the admin catalogue", `window.__adminLoaded === true`, 10*time.Second)
		}
	}
	var missing []struct{ Lang, Key string }
	evalJSON(t, ctx, `VMS_I18N.missing()`, &missing)
	for _, m := range missing {
		t.Errorf("catalogue %s lacks %q", m.Lang, m.Key)
	}
	nvi := eval[float64](t, ctx, `Object.keys(VMS_I18N.MESSAGES.vi).length`)
	nen := eval[float64](t, ctx, `Object.keys(VMS_I18N.MESSAGES.en).length`)
	if nvi != nen || nvi < 100 {
		t.Errorf("catalogue sizes vi=%v en=%v", nvi, nen)
	}

	// Keys used by the pages and the viewer's scripts.
	attr := regexp.MustCompile(`data-i18n(?:-[a-z-]+)?="([^"]+)"`)
	call := regexp.MustCompile(`\bt\('([A-Za-z0-9_.]+)'\s*[,)]`)
	keys := map[string][]string{}
	static := filepath.Join("..", "..", "web", "static")
	pages, _ := filepath.Glob(filepath.Join(static, "*.html"))
	for _, p := range pages {
		res, err := http.Get(a.URL + "/" + filepath.Base(p))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		_ = res.Body.Close()
		for _, m := range attr.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = append(keys[m[1]], filepath.Base(p))
		}
	}
	for _, f := range []string{"app.js", "grid.js", "tree.js", "views.js", "status.js", "wall.js", "player.js", "events.js", "api.js"} {
		b, err := os.ReadFile(filepath.Join(static, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = append(keys[m[1]], f)
		}
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	if len(names) < 50 {
		t.Errorf("found only %d keys in the pages: is the scan broken?", len(names))
	}
	var absent []string
	evalJSON(t, ctx, `(`+jsStringArray(names)+`).filter(k => !VMS_I18N.has(k))`, &absent)
	for _, k := range absent {
		t.Errorf("key %q (used in %s) is not in the catalogue", k, strings.Join(dedupe(keys[k]), ", "))
	}
}

func jsStringArray(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = jsString(s)
	}
	return "[" + strings.Join(q, ",") + "]"
}

func dedupe(ss []string) []string {
	sort.Strings(ss)
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}
