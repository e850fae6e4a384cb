package server_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/config"
	"github.com/vms-project/vms/internal/whepclient"
)

// cookieSession logs in and returns the session cookie and the CSRF token,
// as a browser would hold them.
func (a *app) cookieSession(user, password string) (cookie, csrf string) {
	a.t.Helper()
	lr, rep := a.login(user, password)
	for _, c := range (&http.Response{Header: rep.header}).Cookies() {
		if c.Name == accounts.CookieName {
			if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
				a.t.Errorf("session cookie %+v", c)
			}
			return c.Name + "=" + c.Value, lr.CSRFToken
		}
	}
	a.t.Fatalf("login set no %s cookie: %v", accounts.CookieName, rep.header)
	return "", ""
}

// headerTransport adds headers to every request (a browser's cookie and
// the page's CSRF header), for the WHEP client.
type headerTransport map[string]string

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range h {
		r.Header.Set(k, v)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestCookieSessionNeedsCSRF: through the full server, a state-changing
// request authenticated by the session cookie needs X-CSRF-Token (also
// for WHEP), a cross-site one is refused even with it, and a bearer token
// needs neither.
func TestCookieSessionNeedsCSRF(t *testing.T) {
	a := newApp(t, nil)
	cookie, csrf := a.cookieSession("demo-admin", "demo-admin-pass")
	bearer := a.token("demo-admin", "demo-admin-pass")
	newCam := func(n int) string {
		return fmt.Sprintf(`{"name":"CSRF %d","unit_code":"703","rtsp_url":"rtsp://192.0.2.1/x"}`, n)
	}
	tests := []struct {
		name   string
		r      req
		status int
	}{
		{"cookie, GET needs no CSRF header", req{method: "GET", path: "/api/v1/cameras", header: map[string]string{"Cookie": cookie}}, 200},
		{"cookie without CSRF header", req{method: "POST", path: "/api/v1/cameras", body: newCam(1), header: map[string]string{"Cookie": cookie}}, 403},
		{"cookie with a wrong CSRF header", req{method: "POST", path: "/api/v1/cameras", body: newCam(2),
			header: map[string]string{"Cookie": cookie, accounts.CSRFHeader: "x" + csrf}}, 403},
		{"cookie with the CSRF header", req{method: "POST", path: "/api/v1/cameras", body: newCam(3),
			header: map[string]string{"Cookie": cookie, accounts.CSRFHeader: csrf}}, 201},
		{"cookie and CSRF header, but cross-site", req{method: "POST", path: "/api/v1/cameras", body: newCam(4),
			header: map[string]string{"Cookie": cookie, accounts.CSRFHeader: csrf, "Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}}, 403},
		{"bearer needs no CSRF header", req{method: "POST", path: "/api/v1/cameras", body: newCam(5), token: bearer}, 201},
		{"bearer from another site is still fine", req{method: "POST", path: "/api/v1/cameras", body: newCam(6), token: bearer,
			header: map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://other.example"}}, 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := a.do(tt.r); got.status != tt.status {
				t.Errorf("got %s, want %d", got, tt.status)
			}
		})
	}

	cam := a.camByUnit["703"]
	for _, tt := range []struct {
		name    string
		headers headerTransport
		status  int
	}{
		{"WHEP with cookie, no CSRF header", headerTransport{"Cookie": cookie}, http.StatusForbidden},
		{"WHEP with cookie and CSRF header", headerTransport{"Cookie": cookie, accounts.CSRFHeader: csrf}, http.StatusCreated},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			v, err := whepclient.Dial(ctx, a.whepURL(cam), whepclient.Options{HTTP: &http.Client{Transport: tt.headers}})
			status := http.StatusCreated
			var he *whepclient.HTTPError
			if errors.As(err, &he) {
				status = he.Status
			} else if err != nil {
				t.Fatal(err)
			}
			if status != tt.status {
				t.Errorf("WHEP %d, want %d", status, tt.status)
			}
			if v != nil {
				if err := v.Close(ctx); err != nil {
					t.Errorf("WHEP DELETE with the cookie: %v", err)
				}
			}
		})
	}
}

// TestSecurityHeadersOnEveryAnswer: the CSP and friends come with
// successes, the accounts middleware's refusals, WHEP errors, 404s and the
// metrics guard alike.
func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	a := newApp(t, nil)
	tok := a.token("demo-commune", "demo-commune-pass")
	cookie, _ := a.cookieSession("demo-commune", "demo-commune-pass")
	for _, r := range []req{
		{method: "GET", path: "/healthz"},
		{method: "GET", path: "/api/v1/cameras"},
		{method: "GET", path: "/api/v1/cameras", token: tok},
		{method: "POST", path: "/api/v1/cameras", body: "{}", header: map[string]string{"Cookie": cookie}},
		{method: "GET", path: fmt.Sprintf("/api/v1/cameras/%d", a.camByUnit["705"]), token: tok},
		{method: "POST", path: fmt.Sprintf("/api/v1/cameras/%d/whep", a.camByUnit["705"]), token: tok, body: "v=0"},
		{method: "POST", path: "/api/v1/login", body: `{"username":"x","password":"wrong password"}`},
		{method: "GET", path: "/no/such/page"},
		{method: "GET", path: "/metrics"},
	} {
		got := a.do(r)
		h := got.header
		if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'self'") || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("X-Frame-Options") != "SAMEORIGIN" || h.Get("Referrer-Policy") != "same-origin" {
			t.Errorf("%s %s → %d: headers %v", r.method, r.path, got.status, h)
		}
	}
}

// TestMetricsGuard: with metrics.public false, /metrics is whole for the
// metrics token, scoped to the caller's cameras for a logged-in user (no
// process figures, no camera outside the scope), and 401 for anyone else.
func TestMetricsGuard(t *testing.T) {
	a := newApp(t, nil)
	commune := a.token("demo-commune", "demo-commune-pass")
	police := a.token("demo-police", "demo-police-pass")
	series := func(unit string) string { return fmt.Sprintf(`vms_camera_viewers{camera="%d"}`, a.camByUnit[unit]) }
	for _, tt := range []struct {
		name, token string
		status      int
		has, hasNot []string
	}{
		{name: "anonymous", status: 401},
		{name: "a wrong token", token: "not-the-token", status: 401},
		{name: "the metrics token", token: "metrics-token", status: 200,
			has: []string{"go_goroutines", series("72"), series("705"), series("25456")}},
		{name: "a commune's session", token: commune, status: 200,
			has: []string{series("25456")}, hasNot: []string{"go_goroutines", "process_", series("72"), series("703"), series("25459"), series("705")}},
		{name: "a district police session", token: police, status: 200,
			has: []string{series("703"), series("25456"), series("25459")}, hasNot: []string{"go_goroutines", series("72"), series("705"), series("25486")}},
	} {
		got := a.do(req{method: "GET", path: "/metrics", token: tt.token})
		if got.status != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, got.status, tt.status)
			continue
		}
		for _, s := range tt.has {
			if !strings.Contains(got.body, s) {
				t.Errorf("%s: no %s in the answer", tt.name, s)
			}
		}
		for _, s := range tt.hasNot {
			if strings.Contains(got.body, s) {
				t.Errorf("%s: %s in the answer", tt.name, s)
			}
		}
	}
	if got := a.do(req{method: "GET", path: "/healthz"}); got.status != 200 {
		t.Errorf("/healthz: %s", got)
	}
}

// TestMetricsPrivateByDefault: with the built-in defaults (no token),
// anonymous callers get 401 and a user only their own cameras.
func TestMetricsPrivateByDefault(t *testing.T) {
	a := newApp(t, func(c *config.Config) { c.Metrics = config.Default().Metrics })
	if got := a.do(req{method: "GET", path: "/metrics"}); got.status != 401 {
		t.Errorf("anonymous: %s, want 401", got)
	}
	got := a.do(req{method: "GET", path: "/metrics", token: a.token("demo-commune", "demo-commune-pass")})
	mine, other := fmt.Sprintf(`camera="%d"`, a.camByUnit["25456"]), fmt.Sprintf(`camera="%d"`, a.camByUnit["705"])
	if got.status != 200 || !strings.Contains(got.body, mine) || strings.Contains(got.body, other) {
		t.Errorf("commune: %d, has own camera %v, has 705's %v", got.status, strings.Contains(got.body, mine), strings.Contains(got.body, other))
	}
}

// TestForbiddenInPlainWords: a role refused an action in its scope is told
// so in the API's words, not in internal permission names.
func TestForbiddenInPlainWords(t *testing.T) {
	a := newApp(t, nil)
	tok := a.token("demo-commune", "demo-commune-pass")
	for _, r := range []req{
		{method: "POST", path: "/api/v1/cameras", token: tok, body: `{"name":"x","unit_code":"25456","rtsp_url":"rtsp://127.0.0.1/x"}`},
		{method: "POST", path: "/api/v1/cameras/probe", token: tok, body: `{"unit_code":"25456","rtsp_url":"rtsp://127.0.0.1/x"}`},
		{method: "DELETE", path: fmt.Sprintf("/api/v1/cameras/%d", a.camByUnit["25456"]), token: tok},
	} {
		got := a.do(r)
		if got.status != 403 || !strings.Contains(got.body, "not allowed for your role") || strings.Contains(got.body, "camera.") {
			t.Errorf("%s %s: %s", r.method, r.path, got)
		}
	}
}

// TestServeTLS: with http.tls_cert and http.tls_key, Serve speaks HTTPS
// only, and the session cookie is Secure.
func TestServeTLS(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	a := newApp(t, func(c *config.Config) { c.HTTP.TLSCert, c.HTTP.TLSKey = certFile, keyFile })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.srv.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 30 * time.Second}
	base := "https://" + ln.Addr().String()

	res, err := client.Post(base+"/api/v1/login", "application/json",
		strings.NewReader(`{"username":"demo-admin","password":"demo-admin-pass"}`))
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != 200 || res.TLS == nil {
		t.Fatalf("login over TLS: %s", res.Status)
	}
	if cs := res.Cookies(); len(cs) != 1 || !cs[0].Secure {
		t.Errorf("cookies over TLS: %+v", cs)
	}
	if res.Header.Get("Content-Security-Policy") == "" {
		t.Error("no security headers over TLS")
	}

	plain, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err == nil {
		_ = plain.Body.Close()
		if plain.StatusCode != http.StatusBadRequest {
			t.Errorf("plain HTTP on the TLS port: %s", plain.Status)
		}
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key as PEM files.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "vms test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}
