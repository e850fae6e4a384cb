package main

import (
	"context"
	"database/sql"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/camera"
)

// auditCameraImport is the camera.ImportHook of `vms import cameras`: one
// camera.create or camera.update row per camera the import stored, as the
// shell (like `vms user …`), in the import's own transaction. Credentials
// are never recorded: URLs are redacted and a changed username or password
// shows only as credentials_changed.
func auditCameraImport(svc *accounts.Service, file string) camera.ImportHook {
	return func(ctx context.Context, tx *sql.Tx, changes []camera.ImportChange) error {
		for _, ch := range changes {
			kind := accounts.KindCameraUpdate
			if ch.Created {
				kind = accounts.KindCameraCreate
			}
			n := ch.New
			detail := map[string]any{"name": n.Name, "enabled": n.Enabled, "on_demand": n.OnDemand,
				"transport": n.Transport, "rtsp_url": camera.RedactURL(n.RTSPURL), "import_file": file, "line": ch.Line}
			if !ch.Created {
				detail["changes"] = cameraChanges(ch.Old, n)
				detail["credentials_changed"] = ch.Old.Username != n.Username || ch.Old.Password != n.Password
			}
			e := accounts.Entry{Kind: kind, UnitCode: n.UnitCode, CameraID: n.ID, Detail: detail}
			if err := svc.RecordAsSystemTx(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	}
}

// cameraChanges lists the fields that differ between before and after as
// {"field": {"old": …, "new": …}}, credentials left out.
func cameraChanges(before, after camera.Camera) map[string]any {
	out := map[string]any{}
	for _, f := range []struct {
		name     string
		was, now any
	}{
		{"name", before.Name, after.Name},
		{"unit_code", before.UnitCode, after.UnitCode},
		{"rtsp_url", camera.RedactURL(before.RTSPURL), camera.RedactURL(after.RTSPURL)},
		{"substream_url", camera.RedactURL(before.SubstreamURL), camera.RedactURL(after.SubstreamURL)},
		{"transport", before.Transport, after.Transport},
		{"on_demand", before.OnDemand, after.OnDemand},
		{"tls_fingerprint", before.TLSFingerprint, after.TLSFingerprint},
		{"enabled", before.Enabled, after.Enabled},
	} {
		if f.was != f.now {
			out[f.name] = map[string]any{"old": f.was, "new": f.now}
		}
	}
	return out
}
