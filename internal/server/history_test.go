package server_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/vms-project/vms/internal/camsim"
)

type historyRow struct {
	At     time.Time `json:"at"`
	State  string    `json:"state"`
	Reason string    `json:"reason"`
}

func (a *app) history(token string, camID int64, query string) ([]historyRow, reply) {
	a.t.Helper()
	rep := a.do(req{method: "GET", path: fmt.Sprintf("/api/v1/cameras/%d/history%s", camID, query), token: token})
	var out struct{ History []historyRow }
	if rep.status == http.StatusOK {
		mustJSON(a.t, rep.body, &out)
	}
	return out.History, rep
}

// TestHistoryRecordsTransitions: an always-on camera's connecting → online
// and, once its camera stops, online → offline are in its history, newest
// first, for whoever may view it; outside the scope it is 404.
func TestHistoryRecordsTransitions(t *testing.T) {
	a := newApp(t, nil)
	root := a.token("admin", rootPassword)
	sim, err := camsim.New(camsim.Config{Cameras: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	created := a.do(req{method: "POST", path: "/api/v1/cameras", token: root,
		body: fmt.Sprintf(`{"name":"Lịch sử","unit_code":"25456","rtsp_url":%q,"transport":"tcp","on_demand":false}`, sim.URL("cam1"))})
	if created.status != http.StatusCreated {
		t.Fatalf("create: %s", created)
	}
	var cam struct{ ID int64 }
	mustJSON(t, created.body, &cam)
	commune := a.token("demo-commune", "demo-commune-pass")

	// states returns the history's states, oldest first.
	states := func() []string {
		rows, rep := a.history(commune, cam.ID, "")
		if rep.status != http.StatusOK {
			t.Fatalf("history: %s", rep)
		}
		var out []string
		for i := len(rows) - 1; i >= 0; i-- {
			out = append(out, rows[i].State)
			if i > 0 && rows[i].At.After(rows[i-1].At) {
				t.Errorf("not newest first: %+v", rows)
			}
		}
		return out
	}
	has := func(seq []string, a, b string) bool {
		for i := 0; i+1 < len(seq); i++ {
			if seq[i] == a && seq[i+1] == b {
				return true
			}
		}
		return false
	}
	waitFor(t, "connecting → online in the history", 30*time.Second, func() bool { return has(states(), "connecting", "online") })
	sim.Close()
	waitFor(t, "online → offline in the history", 30*time.Second, func() bool { return has(states(), "online", "offline") })
	rows, _ := a.history(commune, cam.ID, "?limit=1")
	if len(rows) != 1 || rows[0].Reason == "" || rows[0].At.IsZero() {
		t.Errorf("limit=1: %+v", rows)
	}

	for _, tt := range []struct {
		who, query string
		want       int
	}{
		{"demo-district", "", http.StatusOK},
		{"demo-police", "?limit=1000", http.StatusOK},
		{"demo-admin", "?limit=5000", http.StatusOK}, // capped at 1000
		{"demo-admin", "?limit=99999999999999999999", http.StatusOK},
		{"demo-admin", "?limit=-99999999999999999999", http.StatusBadRequest},
		{"demo-admin", "?limit=0", http.StatusBadRequest},
		{"demo-admin", "?limit=x", http.StatusBadRequest},
	} {
		if _, rep := a.history(a.token(tt.who, tt.who+"-pass"), cam.ID, tt.query); rep.status != tt.want {
			t.Errorf("%s %s: %s, want %d", tt.who, tt.query, rep, tt.want)
		}
	}
	// Outside the scope: exactly like a missing camera.
	other := a.token("admin-703", "admin-703-pass")
	if _, rep := a.history(other, a.camByUnit["25486"], ""); rep.status != http.StatusNotFound {
		t.Errorf("out of scope: %s", rep)
	}
	if _, rep := a.history(commune, 999999, ""); rep.status != http.StatusNotFound {
		t.Errorf("missing camera: %s", rep)
	}
	if _, rep := a.history("", cam.ID, ""); rep.status != http.StatusUnauthorized {
		t.Errorf("anonymous: %s", rep)
	}
}
