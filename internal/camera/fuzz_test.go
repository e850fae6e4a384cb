package camera

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vms-project/vms/internal/httpx"
)

// FuzzImportCSV checks that no input panics, that a rejected import leaves
// the table exactly as it was, and that rejections are client errors.
func FuzzImportCSV(f *testing.F) {
	for _, seed := range []string{
		goodCSV,
		"name,unit_code,rtsp_url\nold,U,rtsp://h/new\n",
		"name,unit_code,rtsp_url,transport\na,U,rtsp://h/a,quic\n",
		"name,unit_code\n\"unterminated\n",
		"\ufeffNAME , Unit_Code ,RTSP_URL\na,U,rtsp://u:p%zz@h/\n",
		"name,unit_code,rtsp_url,on_demand,enabled,tls_fingerprint\na,U,rtsps://h/,x,1,00\n",
		"name,unit_code,rtsp_url\na,U,rtsp://h/a\na,U,rtsp://h/b\n",
		"",
		"\n\n\n",
		",,,\n,,,\n",
	} {
		f.Add(seed)
	}
	s, sqlDB := newStore(f)
	mustCreate(f, s, Camera{Name: "old", UnitCode: "U", RTSPURL: "rtsp://h/old", Password: "keep"})
	f.Fuzz(func(t *testing.T, body string) {
		before := dump(t, sqlDB)
		_, err := s.Import(context.Background(), strings.NewReader(body), "csv")
		if err == nil {
			return
		}
		if httpx.Status(err) != http.StatusBadRequest {
			t.Fatalf("import error is not a client error: %v", err)
		}
		if after := dump(t, sqlDB); after != before {
			t.Fatalf("rejected import changed the table: %v", err)
		}
	})
}

// FuzzCreateJSON posts arbitrary bodies: never a 5xx, never a stored change
// unless the answer is 201, never a password in the answer.
func FuzzCreateJSON(f *testing.F) {
	for _, seed := range []string{
		`{"name":"a","unit_code":"U","rtsp_url":"rtsp://h/a"}`,
		`{"name":"a","unit_code":"U","rtsp_url":"rtsp://u:p%40ss@h/a","password":"hunter2"}`,
		`{"name":"a","unit_code":"U","rtsp_url":"rtsp://h/a","on_demand":"x"}`,
		`{"name":1}`, `{"nmae":"a"}`, `[]`, `null`, `{`, ``, `{"name":"a"} x`,
		`{"rtsp_url":"rtsp://admin:12#34@h/"}`, `{"transport":"TCP","name":"\u0000"}`,
	} {
		f.Add(seed)
	}
	s, sqlDB := newStore(f)
	mux := http.NewServeMux()
	Routes(mux, &Handlers{Store: s})
	f.Fuzz(func(t *testing.T, body string) {
		before := dump(t, sqlDB)
		r := httptest.NewRequest("POST", "/api/v1/cameras", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("status %d for %q: %s", w.Code, body, w.Body)
		}
		if strings.Contains(w.Body.String(), `"password":`) {
			t.Fatalf("answer has a password field: %s", w.Body)
		}
		if w.Code != http.StatusCreated {
			if after := dump(t, sqlDB); after != before {
				t.Fatalf("status %d but the table changed", w.Code)
			}
		}
	})
}
