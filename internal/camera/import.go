package camera

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/vms-project/vms/internal/httpx"
)

// ImportResult says what Import changed.
type ImportResult struct {
	Created int
	Updated int
	// Cameras are the stored cameras in file order, for callers that must
	// tell the relay (OnChange).
	Cameras []Camera
	// Changes say, in file order, what each row stored: the camera before
	// and after, for the audit log.
	Changes []ImportChange
}

// ImportChange is one camera an import stored. Old is the camera as it was
// (zero when Created); New as stored. Both hold credentials: never log or
// audit them as they are.
type ImportChange struct {
	Line    int
	Created bool
	Old     Camera
	New     Camera
}

// ImportHook runs inside an import's transaction once every row is stored,
// before the commit, e.g. to append audit rows that must commit with the
// cameras; an error aborts the import and nothing is stored.
type ImportHook func(ctx context.Context, tx *sql.Tx, changes []ImportChange) error

// ImportError is a problem with the imported file. Line is 1-based (the CSV
// header is line 1); 0 when the file as a whole is wrong. It is an
// httpx.ErrInvalid and unwraps to the cause, often a *ValidationError.
type ImportError struct {
	Line int
	Err  error
}

// Error reads "line 7: transport: must be auto, tcp or udp"; callers that
// know the file name prefix it ("cameras.csv line 7: ...").
func (e *ImportError) Error() string {
	if e.Line == 0 {
		return e.Err.Error()
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

// Unwrap returns the cause and httpx.ErrInvalid.
func (e *ImportError) Unwrap() []error { return []error{e.Err, httpx.ErrInvalid} }

// importRow is one camera of an import file with the line it starts on.
type importRow struct {
	line  int
	patch Patch
}

// Import creates or updates cameras from r, in format "csv" or "yaml".
//
// A row whose name and unit_code match an existing camera updates that
// camera instead of adding one, so importing the same file twice changes
// nothing the second time. Fields a row leaves out (a missing CSV column, an
// empty CSV cell, an absent YAML key) keep the camera's current value, or the
// default for a new camera; so a list without passwords can be re-imported
// without clearing them.
//
// The import is all or nothing: it runs in one transaction, and the first
// invalid row aborts it with an *ImportError naming the line and field, and
// nothing stored changes.
func (s *Store) Import(ctx context.Context, r io.Reader, format string) (ImportResult, error) {
	return s.ImportWith(ctx, r, format, nil)
}

// ImportWith is Import that runs hook (if not nil) in the import's
// transaction before it commits.
func (s *Store) ImportWith(ctx context.Context, r io.Reader, format string, hook ImportHook) (ImportResult, error) {
	var rows []importRow
	var err error
	switch strings.ToLower(format) {
	case "csv":
		rows, err = parseCSV(r)
	case "yaml", "yml":
		rows, err = parseYAML(r)
	default:
		return ImportResult{}, &ImportError{Err: fmt.Errorf("format must be csv or yaml, got %q", format)}
	}
	if err != nil {
		return ImportResult{}, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return ImportResult{}, fmt.Errorf("camera: import: %w", err)
	}
	defer func() { _ = tx.Rollback() }()

	var res ImportResult
	seen := map[[2]string]int{} // name+unit -> line
	now := time.Now()
	for _, row := range rows {
		name, unit := normName(deref(row.patch.Name)), strings.TrimSpace(deref(row.patch.UnitCode))
		if name == "" || unit == "" {
			// Without both there is no identity to match; let Validate word it.
			return ImportResult{}, &ImportError{Line: row.line, Err: row.patch.Apply(defaults()).Validate()}
		}
		if first, dup := seen[[2]string{name, unit}]; dup {
			return ImportResult{}, &ImportError{Line: row.line, Err: fmt.Errorf("name %q in unit %q already appears on line %d", name, unit, first)}
		}
		seen[[2]string{name, unit}] = row.line

		existing, found, err := findByName(ctx, tx, unit, name)
		if err != nil {
			return ImportResult{}, fmt.Errorf("camera: import line %d: %w", row.line, err)
		}
		var c Camera
		if found {
			c, err = update(ctx, tx, row.patch.Apply(existing), now)
			res.Updated++
		} else {
			c, err = create(ctx, tx, row.patch.Apply(defaults()), now)
			res.Created++
		}
		if err != nil {
			return ImportResult{}, rowError(row.line, err)
		}
		res.Cameras = append(res.Cameras, c)
		ch := ImportChange{Line: row.line, Created: !found, New: c}
		if found {
			ch.Old = existing
		}
		res.Changes = append(res.Changes, ch)
	}
	if hook != nil {
		if err := hook(ctx, tx, res.Changes); err != nil {
			return ImportResult{}, fmt.Errorf("camera: import: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return ImportResult{}, fmt.Errorf("camera: import: %w", err)
	}
	return res, nil
}

// rowError attaches the line to client mistakes; database failures stay
// plain errors so they map to 500, not 400.
func rowError(line int, err error) error {
	if httpx.Status(err) < 500 {
		return &ImportError{Line: line, Err: err}
	}
	return fmt.Errorf("camera: import line %d: %w", line, err)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
