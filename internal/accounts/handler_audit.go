package accounts

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Audit handles GET /api/v1/audit?user=&unit=&camera=&kind=&from=&to=
// &before=&limit=: {"entries": [...], "next_before": id} newest first, at
// most limit (default 100, max 1000) rows; pass next_before as before for
// the next page. from/to are RFC 3339 or YYYY-MM-DD (server time zone; a
// date "to" includes that day).
func (h *Handlers) Audit(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	q, err := parseAuditQuery(r.URL.Query())
	if err != nil {
		WriteError(w, h.log, err)
		return
	}
	q.Limit = min(max(q.Limit, 1), 1000)
	if r.URL.Query().Get("limit") == "" {
		q.Limit = 100
	}
	entries, err := h.svc.ListAudit(r.Context(), p, q)
	if err != nil {
		WriteError(w, h.log, err)
		return
	}
	resp := map[string]any{"entries": entries}
	if len(entries) == q.Limit {
		resp["next_before"] = entries[len(entries)-1].ID
	}
	writeJSON(w, http.StatusOK, resp)
}

// AuditCSV handles GET /api/v1/audit.csv with the same filters: every
// matching row as CSV. The export itself is audited.
func (h *Handlers) AuditCSV(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	q, err := parseAuditQuery(r.URL.Query())
	if err != nil {
		WriteError(w, h.log, err)
		return
	}
	f, err := h.svc.AuditFilter(p, q)
	if err != nil {
		WriteError(w, h.log, err)
		return
	}
	h.svc.record(r.Context(), Entry{Kind: KindAuditExport, UserID: p.UserID, Username: p.Username, UnitCode: p.Unit,
		RemoteAddr: p.RemoteAddr, Detail: map[string]any{"query": r.URL.RawQuery}})
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="vms-audit.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "at", "kind", "user_id", "username", "unit_code", "camera_id", "remote_addr", "detail", "hash"})
	err = h.svc.audit.Each(r.Context(), f, func(e Entry) error {
		detail, _ := json.Marshal(e.Detail)
		return cw.Write([]string{
			strconv.FormatInt(e.ID, 10), formatTime(e.At), e.Kind, idText(e.UserID), cell(e.Username),
			e.UnitCode, idText(e.CameraID), cell(e.RemoteAddr), cell(string(detail)), e.Hash,
		})
	})
	cw.Flush()
	if err != nil {
		h.log.Error("audit export cut short", "err", err) // headers are sent; the file ends early
	}
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// cell defuses spreadsheet formulas in text that users control (a
// username typed at the login form ends up here).
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func parseAuditQuery(v url.Values) (AuditQuery, error) {
	q := AuditQuery{User: v.Get("user"), Unit: v.Get("unit"), Kind: v.Get("kind")}
	var err error
	for _, n := range []struct {
		name string
		dst  *int64
	}{{"camera", &q.CameraID}, {"before", &q.BeforeID}} {
		if s := v.Get(n.name); s != "" {
			if *n.dst, err = strconv.ParseInt(s, 10, 64); err != nil || *n.dst < 0 {
				return AuditQuery{}, invalidField(n.name, "must be a non-negative integer")
			}
		}
	}
	if s := v.Get("limit"); s != "" {
		if q.Limit, err = strconv.Atoi(s); err != nil || q.Limit < 1 {
			return AuditQuery{}, invalidField("limit", "must be a positive integer")
		}
	}
	if q.From, err = parseWhen("from", v.Get("from"), false); err != nil {
		return AuditQuery{}, err
	}
	if q.To, err = parseWhen("to", v.Get("to"), true); err != nil {
		return AuditQuery{}, err
	}
	return q, nil
}

// parseWhen reads RFC 3339 or a date; a date as an upper bound means the
// end of that day.
func parseWhen(field, s string, upper bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, s, time.Local)
	if err != nil {
		return time.Time{}, invalidField(field, "must be RFC 3339 (2025-01-31T08:00:00+07:00) or a date (2025-01-31)")
	}
	if upper {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}
