package relay

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
)

// Errors an Authorize hook returns; anything else is a 500.
var (
	// ErrUnauthorized means the request carries no valid credentials (401).
	ErrUnauthorized = errors.New("authentication required")
	// ErrHidden means the camera is outside the caller's scope; it is
	// answered exactly like a camera that does not exist (404).
	ErrHidden = errors.New("camera not found")
)

// WHEP serves RFC 9725 sessions for every camera:
//
//	POST   /api/v1/cameras/{id}/whep            offer → 201 + answer + Location
//	                                             (?stream=sub: the camera's sub-stream, if any)
//	DELETE /api/v1/cameras/{id}/whep/{session}  end the session
type WHEP struct {
	Relay *Relay
	Log   *slog.Logger
	// Authorize says who is asking and whether they may watch the
	// camera. nil lets everyone watch (demo without accounts).
	Authorize func(r *http.Request, camID int64) (ViewerInfo, error)
}

// maxOfferBytes bounds an SDP offer; real ones are a few kilobytes.
const maxOfferBytes = 64 << 10

// Routes registers the WHEP endpoints.
func (h *WHEP) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/cameras/{id}/whep", h.post)
	mux.HandleFunc("DELETE /api/v1/cameras/{id}/whep/{session}", h.delete)
	// No trickle ICE: the answer carries every candidate (RFC 9725 §4.3.1
	// lets a server refuse PATCH with 405).
	mux.HandleFunc("PATCH /api/v1/cameras/{id}/whep/{session}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Allow", "DELETE")
		writeWHEPError(w, http.StatusMethodNotAllowed, "method_not_allowed", "trickle ICE is not supported; send all candidates in the offer")
	})
}

func (h *WHEP) post(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeWHEPError(w, http.StatusNotFound, "not_found", "camera not found")
		return
	}
	who, ok := h.authorize(w, r, id)
	if !ok {
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/sdp" {
		writeWHEPError(w, http.StatusUnsupportedMediaType, "bad_content_type", "the offer must be sent as Content-Type: application/sdp")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxOfferBytes))
	if err != nil {
		writeWHEPError(w, http.StatusRequestEntityTooLarge, "offer_too_large", fmt.Sprintf("the offer is larger than %d bytes", maxOfferBytes))
		return
	}
	ans, err := h.Relay.OpenViewer(r.Context(), id, r.URL.Query().Get("stream"), string(body), who)
	if err != nil {
		h.writeOpenError(w, err)
		return
	}
	loc := fmt.Sprintf("/api/v1/cameras/%d/whep/%s", id, ans.SessionID)
	for _, s := range h.Relay.opts.WebRTC.ICEServers {
		for _, u := range s.URLs {
			link := fmt.Sprintf("<%s>; rel=\"ice-server\"", u)
			if s.Username != "" {
				link += fmt.Sprintf("; username=%q; credential=%q; credential-type=\"password\"", s.Username, fmt.Sprint(s.Credential))
			}
			w.Header().Add("Link", link)
		}
	}
	w.Header().Set("Content-Type", "application/sdp")
	w.Header().Set("Location", loc)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusCreated)
	_, _ = io.WriteString(w, ans.SDP)
}

func (h *WHEP) delete(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeWHEPError(w, http.StatusNotFound, "not_found", "session not found")
		return
	}
	who, ok := h.authorize(w, r, id)
	if !ok {
		return
	}
	sid := r.PathValue("session")
	if owner, ok := h.Relay.SessionOwner(sid); !ok || owner.UserID != who.UserID {
		writeWHEPError(w, http.StatusNotFound, "not_found", "session not found")
		return
	}
	if err := h.Relay.CloseViewer(id, sid); err != nil {
		writeWHEPError(w, http.StatusNotFound, "not_found", "session not found")
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (h *WHEP) authorize(w http.ResponseWriter, r *http.Request, id int64) (ViewerInfo, bool) {
	if h.Authorize == nil {
		return ViewerInfo{RemoteAddr: r.RemoteAddr}, true
	}
	who, err := h.Authorize(r, id)
	switch {
	case err == nil:
		return who, true
	case errors.Is(err, ErrUnauthorized):
		w.Header().Set("WWW-Authenticate", `Bearer realm="vms"`)
		writeWHEPError(w, http.StatusUnauthorized, "unauthorized", "log in to watch cameras")
	case errors.Is(err, ErrHidden):
		writeWHEPError(w, http.StatusNotFound, "not_found", "camera not found")
	default:
		h.Log.Error("whep authorization failed", "err", err)
		writeWHEPError(w, http.StatusInternalServerError, "internal", "internal error")
	}
	return ViewerInfo{}, false
}

func (h *WHEP) writeOpenError(w http.ResponseWriter, err error) {
	var offerErr *OfferError
	var codecErr *CodecError
	var camErr *CameraError
	switch {
	case errors.Is(err, ErrCameraNotFound):
		writeWHEPError(w, http.StatusNotFound, "not_found", "camera not found")
	case errors.As(err, &offerErr):
		writeWHEPError(w, http.StatusBadRequest, "bad_offer", offerErr.Error())
	case errors.As(err, &codecErr):
		writeWHEPError(w, http.StatusNotAcceptable, "codec_unsupported", codecErr.Error())
	case errors.As(err, &camErr):
		w.Header().Set("Retry-After", "5")
		writeWHEPError(w, http.StatusServiceUnavailable, "camera_"+string(camErr.State), camErr.Error())
	case errors.Is(err, ErrTooManyViewers):
		w.Header().Set("Retry-After", "30")
		writeWHEPError(w, http.StatusServiceUnavailable, "too_many_viewers", err.Error())
	default:
		h.Log.Error("whep offer failed", "err", err)
		writeWHEPError(w, http.StatusInternalServerError, "internal", "could not start the viewer")
	}
}

// whepError is the JSON body of a failed WHEP request; kind is stable so
// the UI can show a translated explanation.
type whepError struct {
	Error string `json:"error"`
	Kind  string `json:"kind"`
}

func writeWHEPError(w http.ResponseWriter, status int, kind, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(whepError{Error: msg, Kind: kind})
}
