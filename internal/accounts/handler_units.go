package accounts

import (
	"io"
	"mime"
	"net/http"
)

// maxImportBody bounds an uploaded units CSV (all of Vietnam is ~1 MB).
const maxImportBody = 8 << 20

// Units handles GET /api/v1/units: {"units": [...]}, the caller's own unit
// and everything below it in tree order, with names. Every role may read
// it (it is the scope the UI filters by).
func (h *Handlers) Units(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"root": p.Unit, "units": h.svc.Units(p)})
}

// ImportUnits handles POST /api/v1/units/import: the body is the CSV
// (text/csv), or a multipart form with the CSV in the field "file". 200
// with {"created","updated","unchanged"}; 400 naming every bad line.
func (h *Handlers) ImportUnits(w http.ResponseWriter, r *http.Request) {
	p, ok := h.principal(w, r)
	if !ok {
		return
	}
	if err := Can(p, ActionUnitManage, Resource{Unit: p.Unit}); err != nil {
		WriteError(w, h.log, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxImportBody)
	var body io.Reader = r.Body
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		f, _, err := r.FormFile("file")
		if err != nil {
			WriteError(w, h.log, invalidField("file", "missing CSV file: %v", err))
			return
		}
		defer func() { _ = f.Close() }()
		body = f
	}
	res, err := h.svc.ImportUnits(r.Context(), p, body)
	if err != nil {
		WriteError(w, h.log, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
