package uitest

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestWallPlaysAndShowsClock: opened without a session, the wall sends
// the operator to the login page and comes back after login; with
// ?layout=4 it fills four tiles that all decode frames, each labelled
// with its unit and counter, and shows a running clock. A camera that
// goes offline is marked on its tile and plays again when it is back.
func TestWallPlaysAndShowsClock(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := browser(t, a)
	if err := chromedp.Do(ctx, chromedp.Navigate(a.URL+"/wall.html?layout=4&tour=600")); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx, "the redirect to the login form",
		`location.pathname === '/' && location.search.includes('next=') && !document.getElementById('login-view').hidden`, 30*time.Second)
	Screenshot(t, ctx, "login")
	// Only same-origin paths are followed after login.
	var nexts []string
	evalJSON(t, ctx, `['//evil.example/x', '/\t/evil.example', '/\\evil.example', 'https://evil.example/', '/wall.html?layout=9#x'].map(VMS.api.safeNext)`, &nexts)
	if want := []string{"", "", "", "", "/wall.html?layout=9#x"}; fmt.Sprint(nexts) != fmt.Sprint(want) {
		t.Errorf("safeNext = %q, want %q", nexts, want)
	}
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("login-username"), UserProvince),
		chromedp.SendKeys(chromedp.ID("login-password"), Password(UserProvince)),
		chromedp.Click(chromedp.ID("login-submit")),
	); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx, "the wall after login", `location.pathname === '/wall.html' && !!window.vmsPlayers`, 30*time.Second)
	WaitJS(t, ctx, "four wall tiles with cameras", `document.querySelectorAll('#wall-grid .tile[data-camera-id]').length === 4`, 30*time.Second)
	for i := 0; i < 4; i++ {
		waitFramesGrow(t, ctx, i, 60*time.Second)
	}
	var labels []struct{ Name, Unit string }
	evalJSON(t, ctx, `Array.from(document.querySelectorAll('#wall-grid .tile[data-camera-id]')).map(e => ({Name: e.querySelector('.tile__name').textContent, Unit: e.querySelector('.tile__unit').textContent}))`, &labels)
	for i, l := range labels {
		if l.Name == "" || l.Unit == "" {
			t.Errorf("tile %d labels %+v: want counter and unit", i, l)
		}
	}
	clock := regexp.MustCompile(`^\d{2}:\d{2}:\d{2}$`)
	c1 := eval[string](t, ctx, `document.getElementById('wall-clock').textContent`)
	if !clock.MatchString(c1) {
		t.Errorf("clock %q, want HH:MM:SS", c1)
	}
	WaitJS(t, ctx, "the clock to tick", `document.getElementById('wall-clock').textContent !== `+jsString(c1), 5*time.Second)
	Screenshot(t, ctx, "wall")

	// An offline camera is clearly marked on the wall, and comes back.
	live := itoa(a.CamID["Quầy 1 – Phường 1"])
	a.Live.Stop()
	WaitJS(t, ctx, "the wall tile to show offline",
		`document.querySelector('#wall-grid .tile[data-camera-id="`+live+`"]').dataset.state === 'offline'`, 60*time.Second)
	Screenshot(t, ctx, "wall-offline")
	a.Live.Restart()
	WaitJS(t, ctx, "the wall tile to play again",
		`document.querySelector('#wall-grid .tile[data-camera-id="`+live+`"]').dataset.state === 'live'`, 90*time.Second)
}
