//go:build vmse2e

package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/vms-project/vms/internal/camsim"
	"github.com/vms-project/vms/internal/relay"
	"github.com/vms-project/vms/internal/rtsp"
	"github.com/vms-project/vms/web"
)

func TestE2E(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	sim, err := camsim.New(camsim.Config{Cameras: 1}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()
	opts := relay.Options{}
	opts.WebRTC.IncludeLoopback = true
	opts.WebRTC.ListenIP = "127.0.0.1"
	r, err := relay.New(opts, relay.Hooks{}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.Configure(relay.CameraConfig{ID: 1, Name: "Quầy 1 – Tiếp nhận", UnitCode: "UBND-X", Source: rtsp.Source{URL: sim.URL("cam1"), Transport: "tcp"}, OnDemand: true})
	r.Configure(relay.CameraConfig{ID: 2, Name: "Quầy 2 (mất mạng)", UnitCode: "UBND-Y", Source: rtsp.Source{URL: "rtsp://" + closed + "/x", Transport: "tcp"}})
	const token = "tok123"
	authed := func(q *http.Request) bool { return q.Header.Get("Authorization") == "Bearer "+token }
	mux := http.NewServeMux()
	(&relay.WHEP{Relay: r, Log: log, Authorize: func(q *http.Request, id int64) (relay.ViewerInfo, error) {
		if !authed(q) {
			return relay.ViewerInfo{}, relay.ErrUnauthorized
		}
		return relay.ViewerInfo{UserID: 7, Username: "admin"}, nil
	}}).Routes(mux)
	mux.HandleFunc("POST /api/v1/cameras/3/whep", func(w http.ResponseWriter, q *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(406)
		io.WriteString(w, `{"error":"camera sends H265, browser offered only H264/VP8","kind":"codec_unsupported"}`)
	})
	mux.HandleFunc("POST /api/v1/login", func(w http.ResponseWriter, q *http.Request) {
		var b struct{ Username, Password string }
		json.NewDecoder(q.Body).Decode(&b)
		if b.Username != "admin" || b.Password != "pw" {
			w.WriteHeader(401)
			io.WriteString(w, `{"error":"bad"}`)
			return
		}
		fmt.Fprintf(w, `{"token":%q,"user":{"username":"admin","display_name":"Quản trị <b>viên</b>"}}`, token)
	})
	mux.HandleFunc("GET /api/v1/cameras", func(w http.ResponseWriter, q *http.Request) {
		if !authed(q) {
			w.WriteHeader(401)
			return
		}
		var out []map[string]any
		for _, id := range []int64{1, 2} {
			st, _ := r.Status(id)
			out = append(out, map[string]any{"id": id, "name": map[int64]string{1: "Quầy 1 – Tiếp nhận", 2: "Quầy 2 (mất mạng)"}[id], "unit_code": "UBND", "status": st})
		}
		out = append(out, map[string]any{"id": 3, "name": "Quầy 3 H265 <script>", "unit_code": "UBND", "status": map[string]any{"state": "online", "video_codec": "H265", "audio_note": "G.711 không phát được"}})
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"cameras": out})
	})
	mux.HandleFunc("POST /kill", func(w http.ResponseWriter, q *http.Request) {
		n := r.DisconnectUser(7, "test kill")
		fmt.Fprint(w, n)
	})
	done := make(chan struct{})
	mux.HandleFunc("POST /probe", func(w http.ResponseWriter, q *http.Request) {
		b, _ := io.ReadAll(q.Body)
		t.Logf("PROBE %s", b)
		if strings.Contains(string(b), `"DONE"`) {
			close(done)
		}
	})
	st := web.Static()
	probe, _ := os.ReadFile("/tmp/vmse2e/probe.js")
	mux.HandleFunc("GET /probe.js", func(w http.ResponseWriter, q *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Write(probe)
	})
	fsrv := http.FileServerFS(st)
	mux.HandleFunc("GET /", func(w http.ResponseWriter, q *http.Request) {
		if q.URL.Path == "/" {
			b, _ := fs.ReadFile(st, "index.html")
			s := strings.Replace(string(b), `<script src="app.js" defer></script>`, `<script src="app.js" defer></script><script src="probe.js" defer></script>`, 1)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, s)
			return
		}
		fsrv.ServeHTTP(w, q)
	})
	h := http.HandlerFunc(func(w http.ResponseWriter, q *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		if q.Method == "DELETE" || strings.HasSuffix(q.URL.Path, "/whep") {
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, q)
			t.Logf("HTTP %s %s auth=%v -> %d", q.Method, q.URL.Path, q.Header.Get("Authorization") != "", rec.Code)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
			return
		}
		mux.ServeHTTP(w, q)
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	browser := os.Getenv("BROWSER_BIN")
	args := []string{"--headless=new", "--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required", "--user-data-dir=/tmp/vmse2e/prof", "--remote-debugging-port=0", srv.URL + "/"}
	cmd := exec.Command(browser, args...)
	cmd.Stderr = nil
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(150 * time.Second):
		t.Error("timeout")
	}
}
