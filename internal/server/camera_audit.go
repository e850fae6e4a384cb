package server

import (
	"context"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/camera"
)

// cameraAuditKinds are the audit kinds of the camera API's changes.
var cameraAuditKinds = map[string]string{
	camera.ActionCreate: accounts.KindCameraCreate,
	camera.ActionUpdate: accounts.KindCameraUpdate,
	camera.ActionDelete: accounts.KindCameraDelete,
	camera.ActionProbe:  "camera.probe",
}

// auditCamera is camera.Handlers.Audit: one camera.* row per change, as
// done by the request's principal, under the camera's unit so that the
// admins of that unit see it. Credentials are never recorded. A failure is
// logged, not answered: the change is already stored.
func (s *Server) auditCamera(ctx context.Context, action string, c camera.Camera) {
	kind, ok := cameraAuditKinds[action]
	if !ok {
		return
	}
	p, _ := accounts.PrincipalFrom(ctx)
	detail := map[string]any{"name": c.Name, "enabled": c.Enabled, "on_demand": c.OnDemand, "transport": c.Transport}
	if action == camera.ActionProbe {
		detail = map[string]any{"rtsp_url": camera.RedactURL(c.RTSPURL), "transport": c.Transport}
	}
	e := accounts.Entry{Kind: kind, UserID: p.UserID, Username: p.Username, UnitCode: c.UnitCode,
		CameraID: c.ID, RemoteAddr: p.RemoteAddr, Detail: detail}
	if err := s.d.Accounts.Audit().Record(context.WithoutCancel(ctx), e); err != nil {
		s.log.Error("audit append failed", "kind", kind, "camera", c.ID, "err", err)
	}
}
