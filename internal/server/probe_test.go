package server_test

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vms-project/vms/internal/camsim"
)

type probeAnswer struct {
	OK        bool   `json:"ok"`
	ElapsedMS int64  `json:"elapsed_ms"`
	Error     string `json:"error"`
	Transport string `json:"transport"`
	Video     *struct {
		Codec   string `json:"codec"`
		Profile string `json:"profile"`
		Width   int    `json:"width"`
		Height  int    `json:"height"`
	} `json:"video"`
	Ignored  []string `json:"ignored"`
	Warnings []string `json:"warnings"`
}

// TestProbe: "test connection" against real simulated cameras reports the
// codec and resolution, or the camera status's words for refused
// connections, missing paths and refused credentials; the password never
// comes back.
func TestProbe(t *testing.T) {
	a := newApp(t, nil)
	root := a.token("admin", rootPassword)
	const secret = "s3cr:et@pass/word"
	open, err := camsim.New(camsim.Config{Cameras: 1, DisableUDP: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	locked, err := camsim.New(camsim.Config{Cameras: 1, DisableUDP: true, Username: "admin", Password: secret}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer locked.Close()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadPort := closed.Addr().(*net.TCPAddr).Port
	_ = closed.Close()

	body := func(url, user, pass string, extra string) string {
		b, _ := json.Marshal(map[string]any{"unit_code": "25456", "rtsp_url": url, "username": user, "password": pass, "transport": "tcp", "tls_fingerprint": ""})
		s := string(b)
		if extra != "" {
			s = strings.TrimSuffix(s, "}") + "," + extra + "}"
		}
		return s
	}
	// A stored camera on the locked simulator, to probe with its stored password.
	created := a.do(req{method: "POST", path: "/api/v1/cameras", token: root,
		body: fmt.Sprintf(`{"name":"Có mật khẩu","unit_code":"25456","rtsp_url":%q,"username":"admin","password":%q,"transport":"tcp"}`, locked.URL("cam1"), secret)})
	if created.status != http.StatusCreated {
		t.Fatalf("create: %s", created)
	}
	var cam struct{ ID int64 }
	mustJSON(t, created.body, &cam)

	tests := []struct {
		name, body string
		ok         bool
		errWords   string
	}{
		{"open camera", body(open.URL("cam1"), "", "", ""), true, ""},
		{"credentials", body(locked.URL("cam1"), "admin", secret, ""), true, ""},
		{"stored password", body(locked.URL("cam1"), "admin", "", fmt.Sprintf(`"camera_id":%d`, cam.ID)), true, ""},
		{"wrong port", body(fmt.Sprintf("rtsp://127.0.0.1:%d/cam1", deadPort), "", "", ""), false, "camera refused the connection"},
		{"wrong path", body(open.URL("nosuch"), "", "", ""), false, "camera has no stream at this path"},
		{"wrong password", body(locked.URL("cam1"), "admin", "wrong "+secret, ""), false, "camera rejected the user name or password"},
		{"no password", body(locked.URL("cam1"), "admin", "", ""), false, "camera rejected the user name or password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.do(req{method: "POST", path: "/api/v1/cameras/probe", token: root, body: tt.body})
			if got.status != http.StatusOK {
				t.Fatalf("probe: %s", got)
			}
			if strings.Contains(got.body, "s3cr") || strings.Contains(got.body, "pass/word") {
				t.Errorf("password in the answer: %s", got.body)
			}
			var p probeAnswer
			mustJSON(t, got.body, &p)
			if p.OK != tt.ok {
				t.Fatalf("ok = %v: %s", p.OK, got.body)
			}
			if !tt.ok {
				if !strings.Contains(p.Error, tt.errWords) || p.Video != nil {
					t.Errorf("error %q, want %q: %s", p.Error, tt.errWords, got.body)
				}
				return
			}
			if p.Video == nil || p.Video.Codec != "H264" || p.Video.Width <= 0 || p.Video.Height <= 0 || p.Video.Profile == "" ||
				p.Transport != "TCP" || p.ElapsedMS <= 0 || p.Ignored == nil || p.Warnings == nil ||
				!strings.Contains(got.body, `"audio":`) {
				t.Errorf("probe answer %s", got.body)
			}
		})
	}

	// Who may add cameras to the unit may probe: 403 for a viewer role, 404
	// (on unit_code) out of scope, 400 for a bad body, 404 for another
	// scope's stored camera.
	district := a.token("demo-district", "demo-district-pass")
	admin703 := a.token("admin-703", "admin-703-pass")
	for _, tt := range []struct {
		name, token, body string
		want              int
	}{
		{"viewer role", district, body(open.URL("cam1"), "", "", ""), http.StatusForbidden},
		{"unit out of scope", admin703, strings.Replace(body(open.URL("cam1"), "", "", ""), `"25456"`, `"25486"`, 1), http.StatusNotFound},
		{"stored camera out of scope", admin703, body(open.URL("cam1"), "", "", fmt.Sprintf(`"camera_id":%d`, a.camByUnit["25486"])), http.StatusNotFound},
		{"malformed", root, `{"unit_code":`, http.StatusBadRequest},
		{"unknown field", root, `{"unit_code":"25456","url":"rtsp://x/"}`, http.StatusBadRequest},
		{"bad url", root, body("http://127.0.0.1/x", "", "", ""), http.StatusBadRequest},
		{"anonymous", "", body(open.URL("cam1"), "", "", ""), http.StatusUnauthorized},
	} {
		if got := a.do(req{method: "POST", path: "/api/v1/cameras/probe", token: tt.token, body: tt.body}); got.status != tt.want {
			t.Errorf("%s: %s, want %d", tt.name, got, tt.want)
		}
	}
	hidden := a.do(req{method: "POST", path: "/api/v1/cameras/probe", token: admin703,
		body: body(open.URL("cam1"), "", "", fmt.Sprintf(`"camera_id":%d`, a.camByUnit["25486"]))})
	missing := a.do(req{method: "POST", path: "/api/v1/cameras/probe", token: admin703,
		body: body(open.URL("cam1"), "", "", `"camera_id":999999`)})
	if !strings.Contains(hidden.body, `"field":"camera_id"`) ||
		strings.ReplaceAll(hidden.body, fmt.Sprint(a.camByUnit["25486"]), "N") != strings.ReplaceAll(missing.body, "999999", "N") {
		t.Errorf("stored camera out of scope %q vs missing %q", hidden.body, missing.body)
	}
	if rows := a.auditRows(root, "kind=camera.probe"); len(rows) < len(tests) {
		t.Errorf("%d camera.probe audit rows, want %d", len(rows), len(tests))
	} else if b, _ := json.Marshal(rows); strings.Contains(string(b), "s3cr") {
		t.Errorf("password in the audit log: %s", b)
	}
}

// authRecorder is an RTSP "camera" that answers every request 401 with a
// Basic challenge and records the Authorization headers it was sent.
type authRecorder struct {
	ln   net.Listener
	mu   sync.Mutex
	auth []string
	reqs int
}

func newAuthRecorder(t *testing.T) *authRecorder {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &authRecorder{ln: ln}
	var wg sync.WaitGroup
	t.Cleanup(func() { _ = ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { r.serve(c) })
		}
	})
	return r
}

func (r *authRecorder) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(15 * time.Second))
	tp := textproto.NewReader(bufio.NewReader(c))
	for {
		if _, err := tp.ReadLine(); err != nil {
			return
		}
		h, err := tp.ReadMIMEHeader()
		if err != nil {
			return
		}
		r.mu.Lock()
		r.reqs++
		if a := h.Get("Authorization"); a != "" {
			r.auth = append(r.auth, a)
		}
		r.mu.Unlock()
		if _, err := fmt.Fprintf(c, "RTSP/1.0 401 Unauthorized\r\nCSeq: %s\r\nWWW-Authenticate: Basic realm=\"cam\"\r\n\r\n", h.Get("CSeq")); err != nil {
			return
		}
	}
}

func (r *authRecorder) seen() (reqs int, auth []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.reqs, append([]string{}, r.auth...)
}

// TestProbeStoredCredentials: a probe of a stored camera reuses its stored
// user name and password only against the camera's own scheme, host and
// port; pointed anywhere else it sends no stored password and says so.
func TestProbeStoredCredentials(t *testing.T) {
	a := newApp(t, nil)
	root := a.token("admin", rootPassword)
	const user, secret = "operator", "st0red-Secret"
	locked, err := camsim.New(camsim.Config{Cameras: 1, DisableUDP: true, Username: user, Password: secret}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer locked.Close()
	created := a.do(req{method: "POST", path: "/api/v1/cameras", token: root,
		body: fmt.Sprintf(`{"name":"Cổng kho","unit_code":"25456","rtsp_url":%q,"username":%q,"password":%q,"transport":"tcp"}`, locked.URL("cam1"), user, secret)})
	if created.status != http.StatusCreated {
		t.Fatalf("create: %s", created)
	}
	var cam struct{ ID int64 }
	mustJSON(t, created.body, &cam)
	probe := func(url string) probeAnswer {
		t.Helper()
		b, _ := json.Marshal(map[string]any{"unit_code": "25456", "rtsp_url": url, "username": "", "password": "", "transport": "tcp", "camera_id": cam.ID})
		got := a.do(req{method: "POST", path: "/api/v1/cameras/probe", token: root, body: string(b)})
		if got.status != http.StatusOK {
			t.Fatalf("probe %s: %s", url, got)
		}
		if strings.Contains(got.body, secret) {
			t.Errorf("password in the answer: %s", got.body)
		}
		var p probeAnswer
		mustJSON(t, got.body, &p)
		return p
	}

	t.Run("same endpoint", func(t *testing.T) {
		// Empty user name and password: both stored ones are used.
		if p := probe(locked.URL("cam1")); !p.OK || p.Video == nil {
			t.Errorf("probe with stored credentials: %+v", p)
		}
	})

	rec := newAuthRecorder(t)
	_, port, _ := net.SplitHostPort(rec.ln.Addr().String())
	for _, tt := range []struct{ name, url string }{
		{"other port", "rtsp://127.0.0.1:" + port + "/cam1"},
		{"other host", "rtsp://localhost:" + port + "/cam1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := probe(tt.url)
			if p.OK {
				t.Fatalf("probe of the recorder succeeded: %+v", p)
			}
			if !strings.Contains(strings.Join(p.Warnings, " "), "stored password was not sent") {
				t.Errorf("warnings %q do not say the stored password was withheld", p.Warnings)
			}
			reqs, auth := rec.seen()
			if reqs == 0 {
				t.Fatalf("the probe never reached the recorder (error %q)", p.Error)
			}
			for _, h := range auth {
				scheme, val, _ := strings.Cut(h, " ")
				dec, _ := base64.StdEncoding.DecodeString(val)
				if strings.Contains(h, secret) || strings.Contains(string(dec), secret) ||
					(strings.EqualFold(scheme, "Digest") && strings.Contains(h, user)) {
					t.Errorf("stored credentials sent to %s: %q", tt.url, h)
				}
			}
		})
	}
}
