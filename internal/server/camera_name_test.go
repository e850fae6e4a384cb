package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestCameraNameAPI: a name with a bidirectional override is 400 on field
// "name"; the NFD spelling of an existing NFC name is 409.
func TestCameraNameAPI(t *testing.T) {
	a := newApp(t, nil)
	root := a.token("admin", rootPassword)
	post := func(name string) reply {
		return a.do(req{method: "POST", path: "/api/v1/cameras", token: root,
			body: fmt.Sprintf(`{"name":%q,"unit_code":"25456","rtsp_url":"rtsp://192.0.2.1/x"}`, name)})
	}
	if got := post("Cổng\u202Egnoc"); got.status != http.StatusBadRequest || !strings.Contains(got.body, `"field":"name"`) ||
		!strings.Contains(got.body, "bidirectional") {
		t.Errorf("bidi name: %s", got)
	}
	nfc := "Cổng chợ mới"
	if got := post(nfc); got.status != http.StatusCreated {
		t.Fatalf("create: %s", got)
	}
	if got := post(norm.NFD.String(nfc)); got.status != http.StatusConflict {
		t.Errorf("NFD duplicate: %s, want 409", got)
	}
}
