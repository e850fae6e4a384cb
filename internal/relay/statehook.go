package relay

// stateChangedLocked tells Hooks.OnStateChange about the main stream's new
// state. The status handed over is a copy (viewer count included, rates
// and per-viewer drops left out), so the hook may keep it.
func (h *Hub) stateChangedLocked() {
	fn := h.r.hooks.OnStateChange
	if fn == nil || h.sub {
		return
	}
	st := h.status
	st.Viewers = len(h.viewers)
	st.Ignored = append([]string(nil), st.Ignored...)
	st.Warnings = append([]string(nil), st.Warnings...)
	fn(h.cfg, st)
}
