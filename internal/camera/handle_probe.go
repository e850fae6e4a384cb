package camera

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/vms-project/vms/internal/httpx"
)

// ActionProbe is the Audit action of a connection test. Authorize is asked
// ActionCreate for the unit, as for adding a camera there.
const ActionProbe = "camera.probe"

// probeInput is the body of POST /api/v1/cameras/probe: the connection
// fields of the camera form. CameraID names the camera being edited, whose
// stored credentials are used when Password is empty and RTSPURL targets
// the same endpoint as the camera's stored main or sub-stream URL (see
// sameEndpoint).
type probeInput struct {
	UnitCode       string `json:"unit_code"`
	RTSPURL        string `json:"rtsp_url"`
	Username       string `json:"username"`
	Password       string `json:"password"`
	Transport      string `json:"transport"`
	TLSFingerprint string `json:"tls_fingerprint"`
	CameraID       *int64 `json:"camera_id"`
}

// probe answers POST /api/v1/cameras/probe: it connects to the camera as
// the relay would and answers 200 with what the camera said (Handlers.Probe
// shapes the answer, which never holds the password). Who may add cameras
// to the unit may test one: 401/403/404 as for POST /api/v1/cameras.
func (h *Handlers) probe(w http.ResponseWriter, r *http.Request) {
	if h.Probe == nil {
		h.fail(w, r, fmt.Errorf("camera probe: %w", httpx.ErrNotFound))
		return
	}
	var in probeInput
	var notes []string
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	c := Camera{Name: "probe", UnitCode: in.UnitCode, RTSPURL: in.RTSPURL, Username: in.Username, Password: in.Password,
		Transport: in.Transport, TLSFingerprint: in.TLSFingerprint, Enabled: true}
	normalize(&c)
	if in.CameraID != nil {
		stored, err := h.probeTarget(r, *in.CameraID)
		if httpx.Status(err) == http.StatusNotFound {
			err = &fieldErr{field: "camera_id", err: err}
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		switch {
		case c.Password != "" || stored.Password == "":
		case sameEndpoint(c.RTSPURL, stored.RTSPURL) || sameEndpoint(c.RTSPURL, stored.SubstreamURL):
			// The stored password goes only where it already goes: the
			// camera's own scheme, host and port.
			c.Password = stored.Password
			if c.Username == "" {
				c.Username = stored.Username
			}
		default:
			notes = append(notes, withheldNote)
		}
		c.ID = stored.ID
	}
	// Authorize sees a new camera in the unit (ID 0): a unit outside the
	// scope is "unit not found" on unit_code, like POST /api/v1/cameras.
	target := c
	target.ID = 0
	if err := h.authorize(r, ActionCreate, &target); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := c.Validate(); err != nil {
		h.fail(w, r, err)
		return
	}
	out := h.Probe(r.Context(), c.Source(), notes)
	h.log().InfoContext(r.Context(), "camera probed", "camera", c)
	h.audit(context.WithoutCancel(r.Context()), ActionProbe, c)
	httpx.WriteJSON(w, http.StatusOK, out)
}

// probeTarget returns the stored camera a probe edits, if the caller may
// change it (404 like a missing camera otherwise).
func (h *Handlers) probeTarget(r *http.Request, id int64) (Camera, error) {
	if id < 1 {
		return Camera{}, &httpx.RequestError{Field: "camera_id", Message: "camera_id must be a positive integer"}
	}
	stored, err := h.Store.Get(r.Context(), id)
	if err != nil {
		if httpx.Status(err) == http.StatusNotFound {
			if aerr := h.authorize(r, ActionUpdate, nil); aerr != nil {
				return Camera{}, aerr
			}
		}
		return Camera{}, err
	}
	if err := h.authorize(r, ActionUpdate, &stored); err != nil {
		return Camera{}, err
	}
	return stored, nil
}

// withheldNote is the probe's warning when the stored password was not
// sent because the URL points elsewhere than the stored camera.
const withheldNote = "the stored password was not sent because the camera address (scheme, host or port) changed; enter the password to test the new address"

// sameEndpoint reports whether the URLs a and b (credential-free) name the
// same RTSP endpoint: same scheme, host (case-insensitive) and port, the
// scheme's default port (554 for rtsp, 322 for rtsps) standing in for a
// missing one. Paths and queries may differ. An empty or unparsable URL
// matches nothing.
func sameEndpoint(a, b string) bool {
	ea, okA := endpoint(a)
	eb, okB := endpoint(b)
	return okA && okB && ea == eb
}

func endpoint(raw string) (string, bool) {
	if raw == "" {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" || u.Hostname() == "" {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	switch {
	case port != "":
	case scheme == "rtsp":
		port = "554"
	case scheme == "rtsps":
		port = "322"
	default:
		return "", false
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return "", false
	}
	// strconv.Itoa: "0554" is 554.
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), strconv.Itoa(n)), true
}

// fieldErr names the request field an error is about.
type fieldErr struct {
	field string
	err   error
}

func (e *fieldErr) Error() string      { return e.field + ": " + e.err.Error() }
func (e *fieldErr) Unwrap() error      { return e.err }
func (e *fieldErr) ErrorField() string { return e.field }
