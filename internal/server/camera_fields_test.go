package server_test

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestCameraConnectionFieldsByRole: where a camera is (URLs, user name,
// TLS pin) is answered only to those who may update it; every role learns
// whether it has a sub-stream; a viewer's status texts, in the camera API
// and in the event stream, carry no camera address.
func TestCameraConnectionFieldsByRole(t *testing.T) {
	a := newApp(t, nil)
	root := a.token("admin", rootPassword)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	_ = ln.Close()
	fp := strings.Repeat("ab", 32)
	created := a.do(req{method: "POST", path: "/api/v1/cameras", token: root, body: fmt.Sprintf(
		`{"name":"Kho bạc","unit_code":"25456","rtsp_url":"rtsps://%s/main","substream_url":"rtsps://%s/sub","username":"operator","password":"pw-secret","transport":"tcp","on_demand":false,"tls_fingerprint":%q}`,
		dead, dead, fp)})
	if created.status != http.StatusCreated {
		t.Fatalf("create: %s", created)
	}
	var cam struct{ ID int64 }
	mustJSON(t, created.body, &cam)
	path := fmt.Sprintf("/api/v1/cameras/%d", cam.ID)
	host, _, _ := net.SplitHostPort(dead)
	waitFor(t, "the camera's status to name its address", 20*time.Second, func() bool {
		return strings.Contains(a.do(req{method: "GET", path: path, token: root}).body, `"reason":"`) &&
			strings.Contains(a.do(req{method: "GET", path: path, token: root}).body, host)
	})

	connection := []string{"rtsp_url", "substream_url", "username", "tls_fingerprint"}
	for _, u := range matrixUsers {
		t.Run(u.role, func(t *testing.T) {
			tok := a.token(u.username, u.password)
			got := a.do(req{method: "GET", path: path, token: tok})
			if got.status != http.StatusOK {
				t.Fatalf("get: %s", got)
			}
			list := a.do(req{method: "GET", path: "/api/v1/cameras?unit_code=25456", token: tok})
			var l struct{ Cameras []map[string]any }
			mustJSON(t, list.body, &l)
			var fromList map[string]any
			for _, c := range l.Cameras {
				if c["id"] == float64(cam.ID) {
					fromList = c
				}
			}
			if fromList == nil {
				t.Fatalf("camera not listed: %s", list)
			}
			var one map[string]any
			mustJSON(t, got.body, &one)
			for where, c := range map[string]map[string]any{"get": one, "list": fromList} {
				for _, f := range connection {
					if _, ok := c[f]; ok != u.admin {
						t.Errorf("%s: field %s present = %v, want %v", where, f, ok, u.admin)
					}
				}
				if c["has_substream"] != true || c["has_password"] != true {
					t.Errorf("%s: has_substream %v has_password %v", where, c["has_substream"], c["has_password"])
				}
				st, _ := json.Marshal(c["status"])
				if strings.Contains(string(st), host) == !u.admin {
					t.Errorf("%s: status %s, address shown = %v, want %v", where, st, !u.admin, u.admin)
				}
				if !u.admin && !strings.Contains(string(st), "camera address") {
					t.Errorf("%s: status %s not redacted", where, st)
				}
				if b, _ := json.Marshal(c); !u.admin && (strings.Contains(string(b), dead) || strings.Contains(string(b), fp)) {
					t.Errorf("%s: connection details in %s", where, b)
				}
			}
			if u.admin && (one["rtsp_url"] != "rtsps://"+dead+"/main" || one["username"] != "operator" || one["tls_fingerprint"] != fp) {
				t.Errorf("admin view %s", got.body)
			}

			// The state history: the same redaction.
			hist := a.do(req{method: "GET", path: path + "/history", token: tok})
			if hist.status != http.StatusOK || !strings.Contains(hist.body, `"reason":"`) {
				t.Errorf("history: %s", hist)
			} else if strings.Contains(hist.body, host) == !u.admin {
				t.Errorf("history %s: address shown = %v, want %v", hist.body, !u.admin, u.admin)
			}

			// The event stream's snapshot: the same redaction.
			s := a.events(tok)
			s.until("the camera's status event", func(ev sseEvent) bool {
				st, ok := statusOf(t, ev)
				if !ok || st.ID != cam.ID {
					return false
				}
				if strings.Contains(ev.data, host) == !u.admin {
					t.Errorf("event %s: address shown = %v, want %v", ev.data, !u.admin, u.admin)
				}
				return true
			}, nil)
		})
	}
}
