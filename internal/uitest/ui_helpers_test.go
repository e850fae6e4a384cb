package uitest

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// loginForm opens path (default "/") and logs in through the login form,
// then waits until the camera list of the viewer has loaded.
func loginForm(t *testing.T, ctx context.Context, a *App, user string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(a.URL+"/")); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx, "the login form", `!document.getElementById('login-view').hidden`, 30*time.Second)
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("login-username"), user),
		chromedp.SendKeys(chromedp.ID("login-password"), Password(user)),
		chromedp.Click(chromedp.ID("login-submit")),
	); err != nil {
		t.Fatal(err)
	}
	waitViewer(t, ctx)
}

// waitViewer waits for the viewer's navigator to be filled.
func waitViewer(t *testing.T, ctx context.Context) {
	t.Helper()
	WaitJS(t, ctx, "the viewer with its cameras",
		`!!(window.vmsStore && vmsStore.loaded() && vmsStore.root() && !document.getElementById('app-view').hidden)`, 30*time.Second)
}

// eval evaluates a JavaScript expression and decodes its JSON value into T.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// evalJSON evaluates expr (which must give a JSON-able value) through
// JSON.stringify, for values with nested structures.
func evalJSON(t *testing.T, ctx context.Context, expr string, into any) {
	t.Helper()
	s := eval[string](t, ctx, "JSON.stringify("+expr+")")
	if err := json.Unmarshal([]byte(s), into); err != nil {
		t.Fatalf("decode %s: %v (%s)", expr, err, s)
	}
}

// openCells puts cameras in the grid's tiles (through the grid's API, as
// a saved view would), with the given layout.
func openCells(t *testing.T, ctx context.Context, layout int, ids ...int64) {
	t.Helper()
	b, _ := json.Marshal(ids)
	eval[bool](t, ctx, fmt.Sprintf("(vmsGrid.setCells(%s, %d), true)", b, layout))
}

// framesJS is the framesDecoded of tile i's player.
func framesJS(i int) string { return fmt.Sprintf("window.vmsPlayers[%d].framesDecoded", i) }

// waitFramesGrow waits until tile i has decoded frames and the count
// keeps growing.
func waitFramesGrow(t *testing.T, ctx context.Context, i int, timeout time.Duration) {
	t.Helper()
	WaitJS(t, ctx, fmt.Sprintf("tile %d to decode frames", i), framesJS(i)+" > 5", timeout)
	before := eval[float64](t, ctx, framesJS(i))
	WaitJS(t, ctx, fmt.Sprintf("tile %d's frames to keep growing", i), fmt.Sprintf("%s > %v", framesJS(i), before), 20*time.Second)
}

// tileText is the visible text of tile i.
func tileText(t *testing.T, ctx context.Context, i int) string {
	t.Helper()
	return eval[string](t, ctx, fmt.Sprintf(`document.querySelectorAll('#grid .tile')[%d].innerText`, i))
}

func containsFold(hay, needle string) bool {
	return len(needle) > 0 && stringsContainsFold(hay, needle)
}

func stringsContainsFold(a, b string) bool {
	return strings.Contains(strings.ToLower(a), strings.ToLower(b))
}

// browser is App.Browser with the page's console errors and uncaught
// exceptions copied to the test log.
func browser(t *testing.T, a *App) context.Context {
	t.Helper()
	ctx := a.Browser(t)
	var done atomic.Bool
	t.Cleanup(func() { done.Store(true) })
	logf := func(format string, args ...any) {
		if !done.Load() {
			t.Logf(format, args...)
		}
	}
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			logf("page exception: %s (%s:%d)", msg, d.URL, d.LineNumber)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				logf("console %s: %s", e.Type, strings.Join(parts, " "))
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return ctx
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
}
