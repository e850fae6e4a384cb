package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vms-project/vms/internal/whepclient"
)

// syncBuffer is stdout shared between the server and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var runningURL = regexp.MustCompile(`Open (http://\S+/) in a browser`)

// startServe runs `vms serve args…` on free ports until the test ends and
// returns its base URL and what it printed so far.
func startServe(t *testing.T, args ...string) (string, *syncBuffer) {
	t.Helper()
	t.Setenv("VMS_HTTP_LISTEN", "127.0.0.1:0")
	t.Setenv("VMS_WEBRTC_PORT", "0")
	t.Setenv("VMS_LOG_LEVEL", "error")
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"serve"}, args...), &out, &bytes.Buffer{}) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(60 * time.Second):
			t.Error("serve did not stop")
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := runningURL.FindStringSubmatch(out.String()); m != nil {
			return m[1], &out
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v\n%s", err, out.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start:\n%s", out.String())
	return "", nil
}

func apiLogin(t *testing.T, base, user, password string) (token string, mustChange bool) {
	t.Helper()
	body := fmt.Sprintf(`{"username":%q,"password":%q}`, user, password)
	res, err := http.Post(base+"api/v1/login", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	var lr struct {
		Token              string `json:"token"`
		MustChangePassword bool   `json:"must_change_password"`
	}
	if res.StatusCode != http.StatusOK || json.NewDecoder(res.Body).Decode(&lr) != nil {
		t.Fatalf("login %s: %s", user, res.Status)
	}
	return lr.Token, lr.MustChangePassword
}

func cameraIDs(t *testing.T, base, token string) []int64 {
	t.Helper()
	r, _ := http.NewRequest("GET", base+"api/v1/cameras", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	var got struct{ Cameras []struct{ ID int64 } }
	if res.StatusCode != http.StatusOK || json.NewDecoder(res.Body).Decode(&got) != nil {
		t.Fatalf("cameras: %s", res.Status)
	}
	ids := make([]int64, len(got.Cameras))
	for i, c := range got.Cameras {
		ids[i] = c.ID
	}
	return ids
}

// TestServeDemo: the README's first command bootstraps an admin with a
// printed password, prints the demo accounts with their passwords, and
// each account sees and plays only its scope's cameras.
func TestServeDemo(t *testing.T) {
	t.Setenv("VMS_DATABASE_PATH", filepath.Join(t.TempDir(), "vms.db"))
	t.Setenv("VMS_ADMIN_PASSWORD", "")
	base, out := startServe(t, "--demo")
	printed := out.String()

	m := regexp.MustCompile(`created account "admin" .* with password (\S+) — change it`).FindStringSubmatch(printed)
	if m == nil {
		t.Fatalf("no bootstrap password printed:\n%s", printed)
	}
	if _, mustChange := apiLogin(t, base, "admin", m[1]); !mustChange {
		t.Error("the generated admin password need not be changed")
	}
	for _, role := range []string{"admin", "province", "district", "police", "commune"} {
		name := "demo-" + role
		if !regexp.MustCompile(name + `\s+password ` + name + `-pass\b`).MatchString(printed) {
			t.Errorf("%s and its password are not printed:\n%s", name, printed)
		}
	}
	if !strings.Contains(printed, base+"api/v1/login") {
		t.Errorf("no API login hint:\n%s", printed)
	}

	admin, _ := apiLogin(t, base, "demo-admin", "demo-admin-pass")
	if ids := cameraIDs(t, base, admin); len(ids) != 4 {
		t.Errorf("demo-admin sees cameras %v, want 4", ids)
	}
	commune, _ := apiLogin(t, base, "demo-commune", "demo-commune-pass")
	ids := cameraIDs(t, base, commune)
	if len(ids) != 1 {
		t.Fatalf("demo-commune (25456) sees cameras %v, want its one", ids)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	v, err := whepclient.Dial(ctx, fmt.Sprintf("%sapi/v1/cameras/%d/whep", base, ids[0]), whepclient.Options{Token: commune})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = v.Close(context.Background()) }()
	for v.Stats().FirstFrame == 0 {
		if ctx.Err() != nil {
			t.Fatal("no video")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestServeAdminPasswordFromFile: VMS_ADMIN_PASSWORD_FILE sets the first
// admin's password, which is not printed and need not be changed.
func TestServeAdminPasswordFromFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("VMS_DATABASE_PATH", filepath.Join(dir, "vms.db"))
	file := filepath.Join(dir, "admin-password")
	if err := os.WriteFile(file, []byte("from a secret file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VMS_ADMIN_PASSWORD", "")
	t.Setenv("VMS_ADMIN_PASSWORD_FILE", file)
	base, out := startServe(t)
	if printed := out.String(); strings.Contains(printed, "from a secret file") || strings.Contains(printed, "demo-") {
		t.Errorf("printed:\n%s", printed)
	}
	if _, mustChange := apiLogin(t, base, "admin", "from a secret file"); mustChange {
		t.Error("a chosen admin password must be changed")
	}
}
