package uitest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
)

// TestStatusPollingWithoutEvents: when GET /api/v1/events answers 404 (a
// server without server push), the page polls the camera list every 5 s
// instead and the navigator's badges still follow the cameras: the live
// camera shows online while watched, offline after it stops.
func TestStatusPollingWithoutEvents(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := browser(t, a)
	// The browser answers /api/v1/events with 404 itself.
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			go func() {
				_, _ = chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: e.RequestID, ResponseCode: 404,
					ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "application/json"}},
					Body:            []byte(`{"error":"not found"}`)})
			}()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/api/v1/events*"}}}); err != nil {
		t.Fatal(err)
	}
	loginForm(t, ctx, a, UserAdmin)
	WaitJS(t, ctx, "the polling fallback", `vmsStore.mode() === 'polling'`, 30*time.Second)
	if s := eval[string](t, ctx, `document.getElementById('push-mode').textContent`); !strings.Contains(s, "5 giây") {
		t.Errorf("push mode says %q, want the 5 s polling note", s)
	}
	id := itoa(a.CamID["Quầy 1 – Phường 1"])
	item := `document.querySelector('#camera-list li[data-camera-id="` + id + `"]').dataset.state`
	openCells(t, ctx, 1, a.CamID["Quầy 1 – Phường 1"])
	waitFramesGrow(t, ctx, 0, 45*time.Second)
	WaitJS(t, ctx, "the list to show online by polling", item+` === 'online'`, 20*time.Second)
	a.Live.Stop()
	WaitJS(t, ctx, "the list to show offline by polling", `['offline','error'].includes(`+item+`)`, 60*time.Second)
	WaitJS(t, ctx, "the tile to say offline", `document.querySelector('#grid .tile[data-index="0"]').dataset.state === 'offline'`, 30*time.Second)
}
