package uitest

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vms-project/vms/internal/accounts"
)

// TestFirstLoginPasswordChangeAndExpiry: an account created with a
// generated password must set a new one before it sees anything; it then
// works with the new password; when the session ends on the server, the
// page returns to the login form and says the session expired.
func TestFirstLoginPasswordChangeAndExpiry(t *testing.T) {
	a := StartApp(t, Options{})
	_, generated, err := a.Acc.CreateUserAsSystem(context.Background(), accounts.NewUser{
		Username: "canbo.p1", DisplayName: "Cán bộ Phường 1", Role: accounts.RoleCommune, UnitCode: "25456"})
	if err != nil || generated == "" {
		t.Fatalf("create user: %v (generated %q)", err, generated)
	}
	ctx := browser(t, a)
	if err := chromedp.Do(ctx, chromedp.Navigate(a.URL+"/")); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx, "the login form", `!document.getElementById('login-view').hidden`, 30*time.Second)
	Screenshot(t, ctx, "login")
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("login-username"), "canbo.p1"),
		chromedp.SendKeys(chromedp.ID("login-password"), generated),
		chromedp.Click(chromedp.ID("login-submit")),
	); err != nil {
		t.Fatal(err)
	}
	WaitJS(t, ctx, "the forced password dialog", `document.getElementById('pw-dialog').open && !document.getElementById('pw-must').hidden && document.getElementById('pw-cancel').hidden`, 30*time.Second)
	if eval[bool](t, ctx, `!!(window.vmsStore && vmsStore.loaded())`) {
		t.Errorf("cameras loaded before the password was changed")
	}
	Screenshot(t, ctx, "password")
	const newPassword = "Mật-khẩu-mới-2026!"
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("pw-old"), generated),
		chromedp.SendKeys(chromedp.ID("pw-new"), newPassword),
		chromedp.SendKeys(chromedp.ID("pw-confirm"), newPassword),
		chromedp.Click(chromedp.ID("pw-submit")),
	); err != nil {
		t.Fatal(err)
	}
	waitViewer(t, ctx)
	WaitJS(t, ctx, "the commune's two cameras", `document.querySelectorAll('#camera-list [data-camera-id]').length === 2`, 15*time.Second)

	// The session ends on the server (here: logged out behind the page's back).
	eval[bool](t, ctx, `(fetch('/api/v1/logout', {method: 'POST', headers: {'X-CSRF-Token': VMS.api.csrf()}}), true)`)
	WaitJS(t, ctx, "the login form after expiry",
		`!document.getElementById('login-view').hidden && document.getElementById('login-hint').dataset.i18n === 'login.expired'`, 30*time.Second)
	Screenshot(t, ctx, "expired")

	// The new password works.
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("login-username"), "canbo.p1"),
		chromedp.SendKeys(chromedp.ID("login-password"), newPassword),
		chromedp.Click(chromedp.ID("login-submit")),
	); err != nil {
		t.Fatal(err)
	}
	waitViewer(t, ctx)
	if eval[bool](t, ctx, `document.getElementById('pw-dialog').open`) {
		t.Errorf("password dialog still forced after the change")
	}
}
