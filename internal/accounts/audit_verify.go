package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Verify walks the whole chain and returns 0, nil when it is intact. When it
// is not, it returns the id of the first row altered or deleted and an error
// wrapping ErrAuditTampered:
//
//   - a missing id (a row deleted in the middle, or at the end as recorded by
//     sqlite_sequence) is reported as that id;
//   - a row whose stored hash does not match its columns was altered;
//   - a row whose prev_hash does not match its predecessor's hash means the
//     predecessor was altered and its hash recomputed: the predecessor's id
//     is reported.
//
// Other errors (I/O) come with firstBad 0. Someone able to rewrite the whole
// file can rebuild the chain; anchor Head() elsewhere (logs, a printed
// report) to catch that.
func (a *Audit) Verify(ctx context.Context) (firstBad int64, err error) {
	rows, err := a.db.QueryContext(ctx, `SELECT id, at, kind, COALESCE(user_id, 0), username, unit_code,
		COALESCE(camera_id, 0), remote_addr, detail, prev_hash, hash FROM audit_log ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("audit: verify: %w", err)
	}
	defer func() { _ = rows.Close() }()
	prev, want := "", int64(1)
	for rows.Next() {
		var r auditRow
		if err := rows.Scan(&r.id, &r.at, &r.kind, &r.userID, &r.username, &r.unit, &r.cameraID,
			&r.remote, &r.detail, &r.prevHash, &r.hash); err != nil {
			return 0, fmt.Errorf("audit: verify: %w", err)
		}
		switch {
		case r.id != want:
			return want, fmt.Errorf("%w: row %d is missing (next row is %d)", ErrAuditTampered, want, r.id)
		case r.computeHash() != r.hash:
			return r.id, fmt.Errorf("%w: row %d does not match its hash", ErrAuditTampered, r.id)
		case r.prevHash != prev:
			return r.id - 1, fmt.Errorf("%w: row %d was rewritten (row %d does not chain to it)", ErrAuditTampered, r.id-1, r.id)
		}
		prev, want = r.hash, want+1
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("audit: verify: %w", err)
	}
	var seq int64
	err = a.db.QueryRowContext(ctx, `SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'`).Scan(&seq)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("audit: verify: %w", err)
	}
	if seq >= want {
		return want, fmt.Errorf("%w: rows %d–%d are missing at the end", ErrAuditTampered, want, seq)
	}
	return 0, nil
}

// Head returns the id and hash of the newest row (0, "" when empty). Logging
// it now and then anchors the chain outside the database.
func (a *Audit) Head(ctx context.Context) (id int64, hash string, err error) {
	err = a.db.QueryRowContext(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&id, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("audit: head: %w", err)
	}
	return id, hash, nil
}

// RowHash returns the stored hash of row id, or "" when there is no such
// row. With a head printed by an earlier verify it shows whether rows were
// cut from the end of the log or rewritten since: the chain alone cannot
// tell, as its newest rows have nothing after them.
func (a *Audit) RowHash(ctx context.Context, id int64) (string, error) {
	var hash string
	err := a.db.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE id = ?`, id).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("audit: row %d: %w", id, err)
	}
	return hash, nil
}
