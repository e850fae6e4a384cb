package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// matrixUser is one account of the matrix and the units that stand in each
// relation to its own. A relation the tree does not have for that unit (a
// province has no parent) is left out.
type matrixUser struct {
	role, username, password string
	admin                    bool
	units                    map[string]string // relation → unit code
}

// matrixUsers are every role, bound where the Tây Ninh seed gives them the
// relations: 72 (province) → 703, 705 (districts) → 25456, 25459 (communes
// of 703), 25486 (commune of 705).
var matrixUsers = []matrixUser{
	{"admin (province)", "demo-admin", "demo-admin-pass", true, map[string]string{"own": "72", "child": "703"}},
	{"admin (district)", "admin-703", "admin-703-pass", true, map[string]string{"own": "703", "sibling": "705", "parent": "72", "child": "25456"}},
	{"province", "demo-province", "demo-province-pass", false, map[string]string{"own": "72", "child": "703"}},
	{"district", "demo-district", "demo-district-pass", false, map[string]string{"own": "703", "sibling": "705", "parent": "72", "child": "25456"}},
	{"police", "demo-police", "demo-police-pass", false, map[string]string{"own": "703", "sibling": "705", "parent": "72", "child": "25456"}},
	{"commune", "demo-commune", "demo-commune-pass", false, map[string]string{"own": "25456", "sibling": "25459", "parent": "703"}},
}

var relations = []string{"own", "sibling", "parent", "child"}

// TestAuthorizationMatrix asks every endpoint that takes a unit, as every
// role, about a camera (or unit) in the caller's own unit, a sibling, the
// parent and a child, through the full server: the scope is the subtree
// of the caller's unit, outside it everything is 404 like a missing camera,
// inside it viewing is 200/201 for every role and administration is for
// admins only (403 for the others). No route serves dashboards yet, so
// dashboard.view has no HTTP case here (accounts.Can's own table covers it).
func TestAuthorizationMatrix(t *testing.T) {
	a := newApp(t, nil)
	root := a.token("admin", rootPassword)
	ran := 0
	for _, u := range matrixUsers {
		tok := a.token(u.username, u.password)
		for _, rel := range relations {
			unit, ok := u.units[rel]
			if !ok {
				continue
			}
			inScope := rel == "own" || rel == "child"
			view, admin := http.StatusNotFound, http.StatusNotFound
			if inScope {
				view, admin = http.StatusOK, http.StatusForbidden
				if u.admin {
					admin = http.StatusOK
				}
			}
			camID := a.camByUnit[unit]
			cam := fmt.Sprintf("/api/v1/cameras/%d", camID)
			t.Run(u.role+"/"+rel+"/"+unit, func(t *testing.T) {
				check := func(what string, got reply, want int) {
					t.Helper()
					ran++
					if got.status != want {
						t.Errorf("%s: got %s, want %d", what, got, want)
					}
				}

				// Camera list: the camera is present exactly when in scope.
				list := a.do(req{method: "GET", path: "/api/v1/cameras", token: tok})
				check("GET /api/v1/cameras", list, http.StatusOK)
				if present := strings.Contains(list.body, fmt.Sprintf(`"id":%d,`, camID)); present != inScope {
					t.Errorf("camera %d in list = %v, want %v", camID, present, inScope)
				}

				// Camera get, with its live status.
				get := a.do(req{method: "GET", path: cam, token: tok})
				check("GET "+cam, get, view)
				if get.status == http.StatusOK && !strings.Contains(get.body, `"status":{"state":`) {
					t.Errorf("no status in %s", get.body)
				}
				if get.status == http.StatusNotFound {
					missing := a.do(req{method: "GET", path: "/api/v1/cameras/999999", token: tok})
					if strings.ReplaceAll(get.body, fmt.Sprint(camID), "N") != strings.ReplaceAll(missing.body, "999999", "N") {
						t.Errorf("out of scope %q differs from missing %q", get.body, missing.body)
					}
				}

				// WHEP: a real offer from a real peer.
				wantWHEP := http.StatusNotFound
				if inScope {
					wantWHEP = http.StatusCreated
				}
				v, status := a.dial(camID, tok)
				ran++
				if status != wantWHEP {
					t.Errorf("WHEP POST: %d, want %d", status, wantWHEP)
				}
				if v != nil {
					if err := v.Close(context.Background()); err != nil {
						t.Errorf("WHEP DELETE: %v", err)
					}
				}

				// Camera administration.
				check("PATCH "+cam, a.do(req{method: "PATCH", path: cam, token: tok, body: `{"on_demand":true}`}), admin)
				wantCreate := admin
				if admin == http.StatusOK {
					wantCreate = http.StatusCreated
				}
				created := a.do(req{method: "POST", path: "/api/v1/cameras", token: tok,
					body: fmt.Sprintf(`{"name":"Mới %s %s","unit_code":%q,"rtsp_url":"rtsp://192.0.2.1/x"}`, u.username, rel, unit)})
				check("POST /api/v1/cameras", created, wantCreate)
				if created.status == http.StatusNotFound && !strings.Contains(created.body, `"field":"unit_code"`) {
					t.Errorf("create out of scope does not name unit_code: %s", created.body)
				}
				temp := a.do(req{method: "POST", path: "/api/v1/cameras", token: root,
					body: fmt.Sprintf(`{"name":"Tạm %s %s","unit_code":%q,"rtsp_url":"rtsp://192.0.2.1/x"}`, u.username, rel, unit)})
				if temp.status != http.StatusCreated {
					t.Fatalf("root creates a camera: %s", temp)
				}
				var tc struct{ ID int64 }
				mustJSON(t, temp.body, &tc)
				wantDelete := admin
				if admin == http.StatusOK {
					wantDelete = http.StatusNoContent
				}
				tempPath := fmt.Sprintf("/api/v1/cameras/%d", tc.ID)
				check("DELETE "+tempPath, a.do(req{method: "DELETE", path: tempPath, token: tok}), wantDelete)
				a.do(req{method: "DELETE", path: tempPath, token: root})

				// State history: like GET of the camera.
				check("GET "+cam+"/history", a.do(req{method: "GET", path: cam + "/history", token: tok}), view)

				// Live status push: the snapshot has the camera exactly when in
				// scope (one event per listed camera).
				var listed struct{ Cameras []struct{ ID int64 } }
				mustJSON(t, list.body, &listed)
				stream := a.events(tok)
				ran++
				found := false
				for _, st := range stream.snapshot(len(listed.Cameras)) {
					found = found || st.ID == camID
				}
				if found != inScope {
					t.Errorf("camera %d in the event snapshot = %v, want %v", camID, found, inScope)
				}
				_ = stream.res.Body.Close()

				// Saved views: every role, cameras in scope only ("unknown
				// camera" otherwise).
				wantView := http.StatusBadRequest
				if inScope {
					wantView = http.StatusCreated
				}
				saved := a.do(req{method: "POST", path: "/api/v1/views", token: tok,
					body: fmt.Sprintf(`{"name":"Xem %s","layout":4,"cells":[null,%d]}`, rel, camID)})
				check("POST /api/v1/views", saved, wantView)
				if saved.status == http.StatusCreated {
					var sv struct{ ID int64 }
					mustJSON(t, saved.body, &sv)
					check("DELETE view", a.do(req{method: "DELETE", path: fmt.Sprintf("/api/v1/views/%d", sv.ID), token: tok}), http.StatusNoContent)
				}

				// Test connection: like adding a camera to the unit (a port
				// nobody listens on answers at once).
				wantProbe := admin
				probe := a.do(req{method: "POST", path: "/api/v1/cameras/probe", token: tok,
					body: fmt.Sprintf(`{"unit_code":%q,"rtsp_url":"rtsp://127.0.0.1:1/x","transport":"tcp"}`, unit)})
				check("POST /api/v1/cameras/probe", probe, wantProbe)
				if probe.status == http.StatusOK && !strings.Contains(probe.body, `"ok":false`) {
					t.Errorf("probe of a closed port: %s", probe.body)
				}
				if probe.status == http.StatusNotFound && !strings.Contains(probe.body, `"field":"unit_code"`) {
					t.Errorf("probe out of scope does not name unit_code: %s", probe.body)
				}

				// Audit log and accounts of the unit: admins only.
				check("GET /api/v1/audit?unit="+unit, a.do(req{method: "GET", path: "/api/v1/audit?unit=" + unit, token: tok}), admin)
				check("GET /api/v1/users?unit="+unit, a.do(req{method: "GET", path: "/api/v1/users?unit=" + unit, token: tok}), admin)
			})
		}
	}
	t.Logf("%d status checks over %d roles", ran, len(matrixUsers))
	if ran < 220 {
		t.Errorf("only %d checks ran", ran)
	}
}

// TestAnonymousIsRefusedEverywhere: every protected endpoint answers 401
// without a session, with a bogus token, and for a camera that does not
// exist (so ids cannot be probed); /healthz stays public.
func TestAnonymousIsRefusedEverywhere(t *testing.T) {
	a := newApp(t, nil)
	cam := fmt.Sprintf("/api/v1/cameras/%d", a.camByUnit["703"])
	endpoints := []req{
		{method: "GET", path: "/api/v1/cameras"},
		{method: "POST", path: "/api/v1/cameras", body: `{"name":"x","unit_code":"703","rtsp_url":"rtsp://192.0.2.1/x"}`},
		{method: "GET", path: cam},
		{method: "GET", path: "/api/v1/cameras/999999"},
		{method: "PATCH", path: cam, body: `{"on_demand":true}`},
		{method: "DELETE", path: cam},
		{method: "DELETE", path: cam + "/whep/0123456789abcdef"},
		{method: "GET", path: "/api/v1/audit"},
		{method: "GET", path: "/api/v1/audit.csv"},
		{method: "GET", path: "/api/v1/users"},
		{method: "POST", path: "/api/v1/users", body: `{"username":"x1","role":"commune","unit_code":"25456"}`},
		{method: "PATCH", path: "/api/v1/users/1", body: `{"disabled":true}`},
		{method: "POST", path: "/api/v1/units/703/commune-accounts"},
		{method: "GET", path: "/api/v1/units"},
		{method: "POST", path: "/api/v1/units/import", body: "code,name,level,kind,parent_code\n"},
		{method: "GET", path: cam + "/history"},
		{method: "GET", path: "/api/v1/events"},
		{method: "GET", path: "/api/v1/views"},
		{method: "POST", path: "/api/v1/views", body: `{"name":"x","layout":1}`},
		{method: "PUT", path: "/api/v1/views/1", body: `{"name":"x","layout":1}`},
		{method: "DELETE", path: "/api/v1/views/1"},
		{method: "POST", path: "/api/v1/cameras/probe", body: `{"unit_code":"703","rtsp_url":"rtsp://127.0.0.1:1/x"}`},
		{method: "GET", path: "/api/v1/me"},
		{method: "POST", path: "/api/v1/me/password", body: `{"old_password":"a","new_password":"b"}`},
	}
	for _, token := range []string{"", "not-a-session-token"} {
		for _, e := range endpoints {
			e.token = token
			t.Run(fmt.Sprintf("%s %s token=%q", e.method, e.path, token), func(t *testing.T) {
				got := a.do(e)
				if got.status != http.StatusUnauthorized {
					t.Errorf("got %s, want 401", got)
				}
				if got.header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
			})
		}
		t.Run(fmt.Sprintf("WHEP POST token=%q", token), func(t *testing.T) {
			for _, id := range []int64{a.camByUnit["703"], 999999} {
				if v, status := a.dial(id, token); status != http.StatusUnauthorized {
					t.Errorf("camera %d: WHEP %d, want 401", id, status)
					if v != nil {
						_ = v.Close(context.Background())
					}
				}
			}
		})
	}
	if got := a.do(req{method: "GET", path: "/healthz"}); got.status != http.StatusOK {
		t.Errorf("/healthz: %s", got)
	}
	if a.viewers(a.camByUnit["703"]) != 0 {
		t.Error("an anonymous viewer got through")
	}
}
