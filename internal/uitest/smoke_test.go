package uitest

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestPageLoads: the embedded page is served and its scripts run without
// throwing before anyone logs in.
func TestPageLoads(t *testing.T) {
	a := StartApp(t, Options{})
	ctx := a.Browser(t)
	if _, err := chromedp.Run(ctx, chromedp.Navigate(a.URL+"/")); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx, "the page to load", `document.readyState === 'complete'`, 30*time.Second)
	Screenshot(t, ctx, "start")
}
