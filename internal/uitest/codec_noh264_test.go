package uitest

import (
	"strings"
	"testing"
	"time"
)

// TestBrowserWithoutH264Explains: a browser that offers no H.264 for
// WebRTC (Firefox before its OpenH264 plugin is installed; modelled by
// removing H.264 from Chromium's offer) gets the relay's 406, and the tile
// says that this browser cannot play H.264 and what to do, not that the
// camera sends H.265.
func TestBrowserWithoutH264Explains(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := browser(t, a)
	loginForm(t, ctx, a, UserProvince)
	eval[bool](t, ctx, `(() => {
		const proto = RTCPeerConnection.prototype;
		const orig = proto.setLocalDescription;
		proto.setLocalDescription = function (d) {
			const desc = d || {};
			if (desc.type === 'offer' && desc.sdp) {
				const lines = desc.sdp.split('\r\n');
				const h264 = new Set(lines.map((l) => /^a=rtpmap:(\d+) H264\//.exec(l)).filter(Boolean).map((m) => m[1]));
				const apt = new Set(lines.map((l) => /^a=fmtp:(\d+) apt=(\d+)/.exec(l)).filter((m) => m && h264.has(m[2])).map((m) => m[1]));
				const drop = (pt) => h264.has(pt) || apt.has(pt);
				const sdp = lines.filter((l) => { const m = /^a=(?:rtpmap|fmtp|rtcp-fb):(\d+)/.exec(l); return !(m && drop(m[1])); })
					.map((l) => l.startsWith('m=video') ? l.split(' ').filter((f, i) => i < 3 || !drop(f)).join(' ') : l).join('\r\n');
				return orig.call(this, { type: 'offer', sdp });
			}
			return orig.apply(this, arguments);
		};
		return true;
	})()`)
	openCells(t, ctx, 1, a.CamID["Quầy 1 – Phường 1"])
	WaitJS(t, ctx, "the codec explanation",
		`document.querySelector('#grid .tile[data-index="0"]').dataset.reason === 'codec'`, 60*time.Second)
	text := tileText(t, ctx, 0)
	if !strings.Contains(text, "H.264") || !strings.Contains(text, "OpenH264") || strings.Contains(text, "H.265/HEVC") {
		t.Errorf("tile text %q does not say this browser cannot play H.264", text)
	}
	Screenshot(t, ctx, "no-h264")
}
