package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/camera"
	"github.com/vms-project/vms/internal/httpx"
	"github.com/vms-project/vms/internal/views"
)

// viewScope is views.Scope: the request's principal owns the views, and a
// tile may hold a camera it may watch (accounts.Can, camera.view).
type viewScope struct{ s *Server }

var _ views.Scope = viewScope{}

func (v viewScope) Owner(r *http.Request) (int64, error) {
	p, ok := accounts.PrincipalFrom(r.Context())
	if !ok {
		return 0, fmt.Errorf("views: %w", httpx.ErrUnauthorized)
	}
	return p.UserID, nil
}

func (v viewScope) CanSee(r *http.Request, cameraID int64) (bool, error) {
	cam, err := v.s.d.Cameras.Get(r.Context(), cameraID)
	if errors.Is(err, camera.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("camera %d: %w", cameraID, err)
	}
	return v.s.d.Accounts.CanView(r.Context(), cam.UnitCode) == nil, nil
}
