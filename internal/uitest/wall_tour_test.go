package uitest

import (
	"testing"
	"time"
)

// TestWallTourReusesTiles: with ?layout=4&tour=8 the wall cycles through
// the province's 7 cameras in two pages. Tiles and <video> elements are
// created once; a tile left empty closes its peer connection; after
// several page changes the relay counts no more viewers than tiles
// playing (every WHEP session that stopped was ended).
// (A 16-tile, days-long run is what this models; one full cycle keeps the
// test short.)
func TestWallTourReusesTiles(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := browser(t, a)
	loginForm(t, ctx, a, UserProvince)
	navigate(t, ctx, a.URL+"/wall.html?layout=4&tour=8")
	WaitJS(t, ctx, "page 1 of 2", `document.getElementById('wall-info').textContent.includes('1/2')`, 30*time.Second)
	videos := eval[float64](t, ctx, `document.querySelectorAll('video').length`)
	eval[bool](t, ctx, `(window.__players = window.vmsPlayers.slice(), true)`)
	for cycle := 0; cycle < 1; cycle++ {
		WaitJS(t, ctx, "page 2 of 2", `document.getElementById('wall-info').textContent.includes('2/2')`, 30*time.Second)
		WaitJS(t, ctx, "3 cameras on page 2", `document.querySelectorAll('#wall-grid .tile[data-camera-id]').length === 3`, 5*time.Second)
		if !eval[bool](t, ctx, `window.vmsPlayers[3].pc === null && window.vmsPlayers[3].state === 'idle'`) {
			t.Errorf("the empty tile still holds a peer connection")
		}
		Screenshot(t, ctx, "page2")
		WaitJS(t, ctx, "page 1 again", `document.getElementById('wall-info').textContent.includes('1/2')`, 30*time.Second)
	}
	// Back on page 1, every tile plays again (within the page's 8 s).
	WaitJS(t, ctx, "page 1 playing on all 4 tiles",
		`document.getElementById('wall-info').textContent.includes('1/2') && vmsPlayers.slice(0, 4).every(p => p.state === 'live' && p.framesDecoded > 0)`, 30*time.Second)
	if n := eval[float64](t, ctx, `document.querySelectorAll('video').length`); n != videos {
		t.Errorf("<video> elements %v after the tour, %v before", n, videos)
	}
	if !eval[bool](t, ctx, `window.vmsPlayers.every((p, i) => p === window.__players[i])`) {
		t.Errorf("players were replaced instead of reused")
	}
	// The relay holds exactly the sessions of the tiles playing now.
	deadline := time.Now().Add(20 * time.Second)
	for {
		total := 0
		for _, id := range a.CamID {
			if st, ok := a.Relay.Status(id); ok {
				total += st.Viewers
			}
		}
		playing := int(eval[float64](t, ctx, `window.vmsPlayers.filter(p => p.pc !== null).length`))
		if total == playing {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("relay counts %d viewers, the wall plays %d tiles: sessions leaked", total, playing)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
