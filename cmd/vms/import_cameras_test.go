package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/db"
)

// storedAuditRow is an audit row as stored, its detail raw.
type storedAuditRow struct {
	kind, username, unit, detail string
	userID, cameraID             sql.NullInt64
}

// cameraAuditRows returns the camera.* audit rows, oldest first.
func cameraAuditRows(t *testing.T, path string) []storedAuditRow {
	t.Helper()
	sqlDB, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = sqlDB.Close() }()
	rows, err := sqlDB.Query(`SELECT kind, user_id, username, unit_code, camera_id, detail FROM audit_log
		WHERE kind LIKE 'camera.%' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }()
	var out []storedAuditRow
	for rows.Next() {
		var r storedAuditRow
		if err := rows.Scan(&r.kind, &r.userID, &r.username, &r.unit, &r.cameraID, &r.detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestImportCamerasAudited: `vms import cameras` writes one camera.create
// or camera.update row per camera it stored, as the shell, with the old
// and new values of what changed and never a password; a rejected file
// writes none; the chain still verifies.
func TestImportCamerasAudited(t *testing.T) {
	path := freshDB(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	const secret1, secret2, secret3 = "s3cret-one", "s3cret-two", "s3cret-three"
	first := write("cameras.csv", "unit_code,name,rtsp_url,username,password,transport\n"+
		"25456,Cổng chính,rtsp://10.0.0.1/live,admin,"+secret1+",tcp\n"+
		"703,Ngã tư,rtsp://viewer:"+secret2+"@10.0.0.2/live,,,udp\n")
	if out, err := cli(t, "import", "cameras", first); err != nil || !strings.Contains(out, "2 cameras created, 0 updated") {
		t.Fatalf("first import: %q, %v", out, err)
	}
	// The same cameras again: one moves to TCP with a new password, the
	// other is rewritten as it was.
	second := write("again.csv", "unit_code,name,rtsp_url,password,transport\n"+
		"25456,Cổng chính,rtsp://10.0.0.1/live,,tcp\n"+
		"703,Ngã tư,rtsp://10.0.0.2/live,"+secret3+",tcp\n")
	if out, err := cli(t, "import", "cameras", second); err != nil || !strings.Contains(out, "0 cameras created, 2 updated") {
		t.Fatalf("second import: %q, %v", out, err)
	}
	bad := write("bad.csv", "unit_code,name,rtsp_url,transport\n25456,Mới,rtsp://10.0.0.3/live,tcp\n703,Sai,rtsp://10.0.0.4/live,carrier-pigeon\n")
	if _, err := cli(t, "import", "cameras", bad); err == nil || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("bad import: %v", err)
	}

	rows := cameraAuditRows(t, path)
	wantKinds := []string{accounts.KindCameraCreate, accounts.KindCameraCreate, accounts.KindCameraUpdate, accounts.KindCameraUpdate}
	if len(rows) != len(wantKinds) {
		t.Fatalf("%d camera audit rows, want %d: %+v", len(rows), len(wantKinds), rows)
	}
	details := make([]map[string]any, len(rows))
	for i, r := range rows {
		if r.kind != wantKinds[i] {
			t.Errorf("row %d kind %s, want %s", i, r.kind, wantKinds[i])
		}
		for _, s := range []string{secret1, secret2, secret3} {
			if strings.Contains(r.detail, s) {
				t.Errorf("row %d (%s) holds a password: %s", i, r.kind, r.detail)
			}
		}
		if r.userID.Valid || r.username != "" || !r.cameraID.Valid {
			t.Errorf("row %d: user %v %q, camera %v; want the shell and a camera", i, r.userID, r.username, r.cameraID)
		}
		if err := json.Unmarshal([]byte(r.detail), &details[i]); err != nil {
			t.Fatal(err)
		}
		if details[i]["by"] != "cli" {
			t.Errorf("row %d by %v, want cli", i, details[i]["by"])
		}
	}
	if rows[0].unit != "25456" || rows[1].unit != "703" || details[0]["name"] != "Cổng chính" || details[0]["transport"] != "tcp" {
		t.Errorf("create rows: %+v %v", rows[:2], details[:2])
	}
	if u := details[1]["rtsp_url"]; u != "rtsp://10.0.0.2/live" {
		t.Errorf("create rtsp_url %v", u)
	}
	if ch, _ := details[2]["changes"].(map[string]any); len(ch) != 0 || details[2]["credentials_changed"] != false {
		t.Errorf("unchanged camera's update: %v", details[2])
	}
	ch, _ := details[3]["changes"].(map[string]any)
	if tr, _ := ch["transport"].(map[string]any); len(ch) != 1 || tr["old"] != "udp" || tr["new"] != "tcp" {
		t.Errorf("changes %v, want transport udp → tcp only", details[3]["changes"])
	}
	if details[3]["credentials_changed"] != true {
		t.Errorf("credentials_changed %v", details[3]["credentials_changed"])
	}

	if out, err := cli(t, "audit", "verify"); err != nil {
		t.Errorf("audit verify: %q, %v", out, err)
	}
}
