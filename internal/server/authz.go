package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/camera"
	"github.com/vms-project/vms/internal/httpx"
	"github.com/vms-project/vms/internal/relay"
)

// cameraActions maps the camera API's actions to the accounts actions Can
// decides on. Listing is filtered camera by camera with camera.view.
var cameraActions = map[string]accounts.Action{
	camera.ActionView:   accounts.ActionCameraView,
	camera.ActionCreate: accounts.ActionCameraCreate,
	camera.ActionUpdate: accounts.ActionCameraUpdate,
	camera.ActionDelete: accounts.ActionCameraDelete,
}

// authorizeCamera is camera.Handlers.Authorize: accounts.Can on the
// camera's unit. A camera outside the caller's scope is answered exactly
// like one that does not exist; a unit outside it (creating a camera there,
// moving one there) is "unit not found" on unit_code.
func (s *Server) authorizeCamera(r *http.Request, action string, cam *camera.Camera) error {
	p, ok := accounts.PrincipalFrom(r.Context())
	if !ok {
		return fmt.Errorf("%s: %w", action, camera.ErrUnauthorized)
	}
	if action == camera.ActionList || cam == nil {
		// A nil camera does not exist: the store's 404 stands.
		return nil
	}
	act, ok := cameraActions[action]
	if !ok {
		return fmt.Errorf("server: unknown camera action %q", action)
	}
	err := accounts.Can(p, act, accounts.Resource{Unit: cam.UnitCode})
	switch {
	case err == nil:
		return nil
	case errors.Is(err, accounts.ErrNotFound):
		if cam.ID == 0 || s.isMoveTarget(r.Context(), cam) {
			return &unitNotFound{code: cam.UnitCode}
		}
		return fmt.Errorf("camera %d: %w", cam.ID, camera.ErrNotFound)
	case errors.Is(err, accounts.ErrUnauthenticated):
		return fmt.Errorf("%s: %w", action, camera.ErrUnauthorized)
	}
	if errors.Is(err, accounts.ErrForbidden) {
		return roleForbidden{} // in scope, but not for this role
	}
	return err
}

// roleForbidden answers 403 in the same words as the accounts API, not in
// Can's internal action names ("camera.update as commune: forbidden").
type roleForbidden struct{}

func (roleForbidden) Error() string { return "not allowed for your role" }
func (roleForbidden) Unwrap() error { return camera.ErrForbidden }

// isMoveTarget reports whether cam is a stored camera with a changed unit,
// i.e. the target of a move rather than the camera as stored.
func (s *Server) isMoveTarget(ctx context.Context, cam *camera.Camera) bool {
	stored, err := s.d.Cameras.Get(ctx, cam.ID)
	return err == nil && stored.UnitCode != cam.UnitCode
}

// unitNotFound is a unit_code the caller may not use: unknown, or outside
// its scope (the two look alike).
type unitNotFound struct{ code string }

func (e *unitNotFound) Error() string      { return fmt.Sprintf("unit_code: unit %q not found", e.code) }
func (e *unitNotFound) Unwrap() error      { return httpx.ErrNotFound }
func (e *unitNotFound) ErrorField() string { return "unit_code" }

// authorizeWHEP is relay.WHEP.Authorize: camera.view on the camera's unit.
// Anonymous → 401; a camera outside the scope → 404 like a missing one.
func (s *Server) authorizeWHEP(r *http.Request, camID int64) (relay.ViewerInfo, error) {
	p, ok := accounts.PrincipalFrom(r.Context())
	if !ok {
		return relay.ViewerInfo{}, relay.ErrUnauthorized
	}
	cam, err := s.d.Cameras.Get(r.Context(), camID)
	if errors.Is(err, camera.ErrNotFound) {
		return relay.ViewerInfo{}, relay.ErrHidden
	}
	if err != nil {
		return relay.ViewerInfo{}, fmt.Errorf("whep: camera %d: %w", camID, err)
	}
	if err := s.d.Accounts.CanView(r.Context(), cam.UnitCode); err != nil {
		if errors.Is(err, accounts.ErrUnauthenticated) {
			return relay.ViewerInfo{}, relay.ErrUnauthorized
		}
		// Out of scope, or (not reachable past Middleware) a role that may
		// not watch: both look like a missing camera.
		return relay.ViewerInfo{}, relay.ErrHidden
	}
	return relay.ViewerInfo{UserID: p.UserID, Username: p.Username, RemoteAddr: p.RemoteAddr, SessionID: p.SessionID}, nil
}
