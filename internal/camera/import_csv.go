package camera

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// csvColumns are the accepted header names, in any order. name and
// unit_code are required because they identify the camera.
var csvColumns = []string{
	"name", "unit_code", "rtsp_url", "substream_url", "username", "password",
	"transport", "on_demand", "tls_fingerprint", "enabled",
}

// parseCSV reads a header row and one camera per record. CSV cannot tell an
// empty cell from a missing one, so empty cells mean "not given".
func parseCSV(r io.Reader) ([]importRow, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = false // passwords may start with a space
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &ImportError{Err: errors.New("empty file: a header row is required")}
	}
	if err != nil {
		return nil, csvError(err)
	}
	cols, err := csvHeader(header)
	if err != nil {
		return nil, &ImportError{Line: 1, Err: err}
	}
	var rows []importRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		p, err := csvRecord(cols, rec)
		if err != nil {
			return nil, &ImportError{Line: line, Err: err}
		}
		rows = append(rows, importRow{line: line, patch: p})
	}
}

func csvHeader(header []string) ([]string, error) {
	cols := make([]string, len(header))
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // Excel writes a UTF-8 BOM
		}
		h = strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(csvColumns, h) {
			return nil, fmt.Errorf("unknown column %q (known: %s)", h, strings.Join(csvColumns, ", "))
		}
		if slices.Contains(cols[:i], h) {
			return nil, fmt.Errorf("column %q appears twice", h)
		}
		cols[i] = h
	}
	for _, need := range []string{"name", "unit_code"} {
		if !slices.Contains(cols, need) {
			return nil, fmt.Errorf("missing column %q", need)
		}
	}
	return cols, nil
}

func csvRecord(cols, rec []string) (Patch, error) {
	var p Patch
	var verr ValidationError
	for i, col := range cols {
		v := rec[i]
		if col != "username" && col != "password" {
			v = strings.TrimSpace(v)
		}
		if v == "" {
			continue
		}
		switch col {
		case "on_demand", "enabled":
			b, ok := parseBool(v)
			if !ok {
				verr.add(col, "must be true or false")
				continue
			}
			if col == "on_demand" {
				p.OnDemand = &b
			} else {
				p.Enabled = &b
			}
		default:
			*csvField(&p, col) = &v
		}
	}
	return p, verr.orNil()
}

func csvField(p *Patch, col string) **string {
	switch col {
	case "name":
		return &p.Name
	case "unit_code":
		return &p.UnitCode
	case "rtsp_url":
		return &p.RTSPURL
	case "substream_url":
		return &p.SubstreamURL
	case "username":
		return &p.Username
	case "password":
		return &p.Password
	case "transport":
		return &p.Transport
	default: // tls_fingerprint; csvHeader admits no other names
		return &p.TLSFingerprint
	}
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "1", "yes", "y", "x":
		return true, true
	case "false", "0", "no", "n":
		return false, true
	}
	return false, false
}

// csvError keeps encoding/csv's line number but not its text, which may
// quote a cell (and a cell may be a password).
func csvError(err error) error {
	if pe, ok := errors.AsType[*csv.ParseError](err); ok {
		return &ImportError{Line: pe.StartLine, Err: pe.Err}
	}
	return fmt.Errorf("camera: import: read csv: %w", err)
}
