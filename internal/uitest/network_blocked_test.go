package uitest

import (
	"strings"
	"testing"
	"time"
)

// TestTileSaysNetworkBlocked: when the browser cannot set up the media
// path (modelled by forcing ICE to relay-only with no relay server, as a
// firewall that drops WebRTC would), the tile does not stay black: after
// a few seconds without frames it says the network blocks the video and
// keeps retrying.
func TestTileSaysNetworkBlocked(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := browser(t, a)
	loginForm(t, ctx, a, UserProvince)
	eval[bool](t, ctx, `(() => {
		const Orig = window.RTCPeerConnection;
		function Blocked(cfg) { return new Orig(Object.assign({}, cfg, {iceTransportPolicy: 'relay'})); }
		Blocked.prototype = Orig.prototype;
		window.RTCPeerConnection = Blocked;
		return true;
	})()`)
	openCells(t, ctx, 1, a.CamID["Quầy 1 – Phường 1"])
	WaitJS(t, ctx, "the network explanation",
		`document.querySelector('#grid .tile[data-index="0"]').dataset.reason === 'network'`, 60*time.Second)
	text := tileText(t, ctx, 0)
	if !strings.Contains(text, "Mạng") {
		t.Errorf("tile text %q does not say the network blocks the video", text)
	}
	if f := eval[float64](t, ctx, framesJS(0)); f != 0 {
		t.Errorf("frames decoded %v with the network blocked", f)
	}
	Screenshot(t, ctx, "network")
	WaitJS(t, ctx, "a retry", `window.vmsPlayers[0].reconnects >= 1`, 60*time.Second)
}
