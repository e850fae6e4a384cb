package server

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/httpx"
)

const (
	// DefaultEventsPing is how often an event stream gets a ": ping"
	// comment (Deps.EventsPing), so proxies keep it open and the page
	// notices a dead server.
	DefaultEventsPing = 15 * time.Second
	// eventsWriteTimeout bounds one write to a client that stopped reading.
	eventsWriteTimeout = 30 * time.Second
)

// handleEvents answers GET /api/v1/events with a text/event-stream: the
// snapshot (one "status" event per camera in scope), then changes, a
// "cameras" event when the camera list changed, and a ping every 15 s. The
// stream ends when the account loses access, the session is logged out,
// the client is too slow, or the server shuts down.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	p, ok := accounts.PrincipalFrom(r.Context())
	if !ok {
		httpx.WriteError(w, fmt.Errorf("events: %w", httpx.ErrUnauthorized))
		return
	}
	sub, snap, err := s.events.subscribe(r.Context(), p)
	var limit streamLimitError
	var closed closedError
	switch {
	case errors.As(err, &limit):
		w.Header().Set("Retry-After", "30")
		httpx.WriteJSON(w, http.StatusTooManyRequests, httpx.ErrorBody{Error: err.Error()})
		return
	case errors.As(err, &closed):
		w.Header().Set("Retry-After", "5")
		httpx.WriteJSON(w, http.StatusServiceUnavailable, httpx.ErrorBody{Error: err.Error()})
		return
	case err != nil:
		httpx.WriteError(w, err)
		return
	}
	defer s.events.unsubscribe(sub)

	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriter(w)
	flush := func() bool {
		_ = rc.SetWriteDeadline(time.Now().Add(eventsWriteTimeout))
		return bw.Flush() == nil && rc.Flush() == nil
	}
	_, _ = fmt.Fprint(bw, "retry: 3000\n\n")
	for _, ev := range snap {
		writeEvent(bw, ev)
	}
	if !flush() {
		return
	}
	ping := time.NewTicker(s.eventsPing)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-sub.done:
			if why := sub.why.Load(); why != nil {
				s.log.Debug("event stream ended", "user", p.Username, "reason", *why)
			}
			return
		case ev := <-sub.ch:
			writeEvent(bw, ev)
			// Write whatever else is queued before flushing once.
			for n := len(sub.ch); n > 0; n-- {
				writeEvent(bw, <-sub.ch)
			}
		case <-ping.C:
			_, _ = fmt.Fprint(bw, ": ping\n\n")
		}
		if !flush() {
			return
		}
	}
}

// writeEvent writes one event; data is a single line of JSON.
func writeEvent(w *bufio.Writer, ev sseEvent) {
	_, _ = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.name, ev.data)
}
