package accounts

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// LineError is a problem on one line of an imported CSV file. It wraps
// ErrInvalid.
type LineError struct {
	Line    int    // 1-based line in the file
	Column  string // column name, if one is at fault
	Message string
}

func (e *LineError) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("line %d: %s: %s", e.Line, e.Column, e.Message)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Message)
}

// Unwrap makes errors.Is(err, ErrInvalid) hold.
func (e *LineError) Unwrap() error { return ErrInvalid }

// unitRow is a parsed CSV row and the line it came from.
type unitRow struct {
	Unit
	line int
}

// maxLineErrors bounds how many problems one import reports.
const maxLineErrors = 20

// validUnitCode accepts 1–32 ASCII letters, digits, '-' and '_': official
// codes are digits, and a code ends up in usernames and URLs.
func validUnitCode(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, c := range []byte(s) {
		ok := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_'
		if !ok {
			return false
		}
	}
	return true
}

// ParseUnitsCSV reads a CSV with the header code,name,level,kind,parent_code
// (UTF-8, an Excel byte-order mark is skipped, kind optional). It returns
// every row, or the problems found (up to 20, each a *LineError joined with
// errors.Join) without returning any row.
func ParseUnitsCSV(r io.Reader) ([]Unit, error) {
	rows, err := parseUnitRows(r)
	if err != nil {
		return nil, err
	}
	out := make([]Unit, len(rows))
	for i, row := range rows {
		out[i] = row.Unit
	}
	return out, nil
}

func parseUnitRows(r io.Reader) ([]unitRow, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, &LineError{Line: 1, Message: "missing header code,name,level,kind,parent_code: " + readErr(err)}
	}
	col, err := headerIndex(header)
	if err != nil {
		return nil, err
	}
	var rows []unitRow
	var errs []error
	seen := map[string]int{}
	for len(errs) < maxLineErrors {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// FieldPos panics after a failed Read: the line is the error's.
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			errs = append(errs, &LineError{Line: line, Message: readErr(err)})
			break
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		row, rowErrs := parseUnitRecord(rec, col, line)
		if prev, dup := seen[row.Code]; dup && row.Code != "" {
			rowErrs = append(rowErrs, &LineError{Line: line, Column: "code", Message: fmt.Sprintf("%q already on line %d", row.Code, prev)})
		}
		seen[row.Code] = line
		errs = append(errs, rowErrs...)
		rows = append(rows, row)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(rows) == 0 {
		return nil, &LineError{Line: 2, Message: "no units in file"}
	}
	return rows, nil
}

func readErr(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func headerIndex(header []string) (map[string]int, error) {
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, name := range []string{"code", "name", "level", "parent_code"} { // kind is optional
		if _, ok := col[name]; !ok {
			return nil, &LineError{Line: 1, Column: name, Message: "column missing from header (want code,name,level,kind,parent_code)"}
		}
	}
	return col, nil
}

func parseUnitRecord(rec []string, col map[string]int, line int) (unitRow, []error) {
	get := func(name string) string {
		i, ok := col[name]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	row := unitRow{line: line, Unit: Unit{
		Code: get("code"), Name: get("name"), Level: Level(get("level")),
		Kind: get("kind"), ParentCode: get("parent_code"),
	}}
	var errs []error
	bad := func(column, format string, args ...any) {
		errs = append(errs, &LineError{Line: line, Column: column, Message: fmt.Sprintf(format, args...)})
	}
	if !validUnitCode(row.Code) {
		bad("code", "%q must be 1–32 letters, digits, '-' or '_'", row.Code)
	}
	if row.Name == "" {
		bad("name", "must not be empty")
	}
	if !row.Level.Valid() {
		bad("level", "%q must be province, district or commune", row.Level)
	}
	if row.ParentCode != "" && !validUnitCode(row.ParentCode) {
		bad("parent_code", "%q must be 1–32 letters, digits, '-' or '_'", row.ParentCode)
	}
	if row.ParentCode == row.Code && row.Code != "" {
		bad("parent_code", "a unit cannot be its own parent")
	}
	return row, errs
}

// ErrorField returns the CSV column at fault, if any.
func (e *LineError) ErrorField() string { return e.Column }
