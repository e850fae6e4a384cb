package relay_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vms-project/vms/internal/browsertest"
	"github.com/vms-project/vms/internal/relay"
	"github.com/vms-project/vms/internal/rtsp"
	"github.com/vms-project/vms/internal/testcam"
	"github.com/vms-project/vms/internal/whepclient"
)

// watchJS plays a camera over WHEP in a <video> and records, for every
// frame the browser presents, how long after its last packet arrived it
// is expected on screen (requestVideoFrameCallback metadata).
const watchJS = `
(async () => {
  const pc = new RTCPeerConnection();
  pc.addTransceiver('video', {direction: 'recvonly'});
  const v = document.createElement('video');
  v.muted = true; v.autoplay = true; v.playsInline = true;
  document.body.appendChild(v);
  pc.ontrack = e => { v.srcObject = e.streams[0] || new MediaStream([e.track]); };
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise(r => {
    if (pc.iceGatheringState === 'complete') r();
    pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r();
    setTimeout(r, 2000);
  });
  const t0 = performance.now();
  const res = await fetch(ENDPOINT, {method: 'POST', headers: {'Content-Type': 'application/sdp'}, body: pc.localDescription.sdp});
  if (res.status !== 201) return res.status;
  await pc.setRemoteDescription({type: 'answer', sdp: await res.text()});
  window.vms = {first: null, delays: []};
  const cb = (now, md) => {
    if (window.vms.first === null) window.vms.first = now - t0;
    if (md.receiveTime) window.vms.delays.push(md.expectedDisplayTime - md.receiveTime);
    v.requestVideoFrameCallback(cb);
  };
  v.requestVideoFrameCallback(cb);
  return 201;
})()`

type browserStats struct {
	First  float64 `json:"first"`
	Frames int     `json:"frames"`
	Median float64 `json:"median"`
}

const statsJS = `(() => {
  const d = window.vms.delays.slice(-50).sort((a, b) => a - b);
  return {first: window.vms.first || 0, frames: window.vms.delays.length, median: d.length ? d[Math.floor(d.length / 2)] : -1};
})()`

// TestChromiumPlaysAtOnceAndLive: headless Chromium joins a camera that
// another viewer already watches. Its first picture comes from the keyframe
// cache at once, and it then plays live: frames are on screen a few
// milliseconds after they arrive, not a GOP behind.
func TestChromiumPlaysAtOnceAndLive(t *testing.T) {
	ctx := browsertest.New(t, 90*time.Second)
	cam := testcam.Start(t, testcam.Options{})
	e := newEnv(t, relay.Options{})
	e.relay.Configure(relay.CameraConfig{ID: 1, Source: rtsp.Source{URL: cam.URL()}, OnDemand: true})
	pctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	warm := dial(t, pctx, e.endpoint(1), whepclient.Options{})
	waitFor(t, "camera warm", 30*time.Second, func() bool { return warm.Stats().Frames > 30 })

	// Same origin as the WHEP endpoint.
	if _, err := chromedp.Run(ctx, chromedp.Navigate(e.srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	status, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf("const ENDPOINT=%q;", e.endpoint(1))+watchJS, chromedp.EvalAwaitPromise))
	if err != nil || status != 201 {
		t.Fatalf("WHEP from Chromium: status %d, %v", status, err)
	}
	var st browserStats
	waitFor(t, "Chromium to present frames", 30*time.Second, func() bool {
		st, err = chromedp.Run(ctx, chromedp.Evaluate[browserStats](statsJS))
		return err == nil && st.Frames > 125 // 5 s of video
	})
	t.Logf("Chromium: first frame on screen %.0f ms after the WHEP request; display − arrival median %.1f ms over the last 50 frames", st.First, st.Median)
	if st.First > 3000 {
		t.Errorf("first frame after %.0f ms: the keyframe cache did not serve Chromium", st.First)
	}
	if st.Median > 500 {
		t.Errorf("frames shown %.0f ms after they arrive: Chromium plays behind live", st.Median)
	}
	browsertest.Screenshot(t, ctx, "relay-chromium-live")
}
