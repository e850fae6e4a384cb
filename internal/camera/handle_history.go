package camera

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vms-project/vms/internal/httpx"
)

// historyJSON is the answer of GET /api/v1/cameras/{id}/history.
type historyJSON struct {
	History []stateJSON `json:"history"`
}

type stateJSON struct {
	At     time.Time `json:"at"`
	State  string    `json:"state"`
	Reason string    `json:"reason"`
}

// history answers GET /api/v1/cameras/{id}/history[?limit=N]: the newest
// N state changes (default 100, at most 1000; more is capped), newest
// first, for whoever may view the camera.
func (h *Handlers) history(w http.ResponseWriter, r *http.Request) {
	c, err := h.load(r, ActionView)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	limit := DefaultHistory
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(s, "-") {
			n, err = MaxHistory, nil // more than any int: capped like any large limit
		}
		if err != nil || n < 1 {
			h.fail(w, r, &httpx.RequestError{Field: "limit", Message: fmt.Sprintf("limit must be 1 to %d", MaxHistory)})
			return
		}
		limit = min(n, MaxHistory)
	}
	rows, err := h.Store.History(r.Context(), c.ID, limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// Reasons name the camera's address: only for those who may change it.
	redact := h.RedactReason != nil && h.authorize(r, ActionUpdate, &c) != nil
	out := historyJSON{History: make([]stateJSON, 0, len(rows))}
	for _, s := range rows {
		reason := s.Reason
		if redact {
			reason = h.RedactReason(reason)
		}
		out.History = append(out.History, stateJSON{At: s.At, State: s.State, Reason: reason})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
