package accounts

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Audit kinds written by this package, and the ones other packages are
// expected to use (camera.*, live.*).
const (
	KindLoginSuccess   = "login.success"
	KindLoginFailure   = "login.failure"
	KindLoginLocked    = "login.locked" // a rate limit engaged
	KindLogout         = "logout"
	KindSessionExpired = "session.expired"
	KindPasswordChange = "password.change"
	KindUserCreate     = "user.create"
	KindUserUpdate     = "user.update"
	KindUnitImport     = "unit.import"
	KindBootstrap      = "bootstrap"
	KindLiveStart      = "live.start"
	KindLiveStop       = "live.stop"
	KindCameraCreate   = "camera.create"
	KindCameraUpdate   = "camera.update"
	KindCameraDelete   = "camera.delete"
	KindAuditExport    = "audit.export"
)

// Entry is one audit row. UserID and CameraID are 0 when not applicable.
// Detail is free-form; values under keys naming a password, token, secret
// or credential are stored as "***".
type Entry struct {
	ID         int64          `json:"id"`
	At         time.Time      `json:"at"`
	Kind       string         `json:"kind"`
	UserID     int64          `json:"user_id,omitempty"`
	Username   string         `json:"username,omitempty"`
	UnitCode   string         `json:"unit_code,omitempty"`
	CameraID   int64          `json:"camera_id,omitempty"`
	RemoteAddr string         `json:"remote_addr,omitempty"`
	Detail     map[string]any `json:"detail,omitempty"`
	Hash       string         `json:"hash"`
}

// Audit is the append-only, hash-chained audit log.
type Audit struct {
	db  *sql.DB
	now func() time.Time
}

// NewAudit returns the audit log on a database migrated by db.Open. now may
// be nil (time.Now).
func NewAudit(sqlDB *sql.DB, now func() time.Time) *Audit {
	if now == nil {
		now = time.Now
	}
	return &Audit{db: sqlDB, now: now}
}

// Record appends e in its own transaction. At defaults to now; ID and Hash
// are assigned.
func (a *Audit) Record(ctx context.Context, e Entry) error {
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("audit: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := a.recordTx(ctx, tx, e); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("audit: commit: %w", err)
	}
	return nil
}

// recordTx appends e inside tx, so a change and its audit row commit
// together. The write transaction serializes appenders.
func (a *Audit) recordTx(ctx context.Context, tx *sql.Tx, e Entry) error {
	if e.At.IsZero() {
		e.At = a.now()
	}
	detail, err := json.Marshal(redact(e.Detail))
	if err != nil {
		return fmt.Errorf("audit: %s detail: %w", e.Kind, err)
	}
	if e.Detail == nil {
		detail = []byte("{}")
	}
	var seq int64
	var prev string
	if err := tx.QueryRowContext(ctx, `SELECT
		COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0),
		COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '')`).Scan(&seq, &prev); err != nil {
		return fmt.Errorf("audit: read chain head: %w", err)
	}
	r := auditRow{
		id: seq + 1, at: formatTime(e.At), kind: e.Kind, userID: e.UserID, username: e.Username,
		unit: e.UnitCode, cameraID: e.CameraID, remote: e.RemoteAddr, detail: string(detail), prevHash: prev,
	}
	r.hash = r.computeHash()
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log
		(id, at, kind, user_id, username, unit_code, camera_id, remote_addr, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.id, r.at, r.kind, nullID(r.userID), r.username, r.unit, nullID(r.cameraID), r.remote,
		r.detail, r.prevHash, r.hash); err != nil {
		return fmt.Errorf("audit: append %s: %w", e.Kind, err)
	}
	return nil
}

// auditRow is a row as stored, the input of the hash.
type auditRow struct {
	id                             int64
	at, kind                       string
	userID                         int64
	username, unit                 string
	cameraID                       int64
	remote, detail, prevHash, hash string
}

// computeHash is hex(SHA-256(prev_hash || "\n" || canonical row)), the
// canonical row being the JSON array of the stored columns in table order
// (0 ids as null), detail verbatim.
func (r auditRow) computeHash() string {
	canon, _ := json.Marshal([]any{
		r.id, r.at, r.kind, nullID(r.userID), r.username, r.unit, nullID(r.cameraID), r.remote, r.detail,
	})
	h := sha256.New()
	h.Write([]byte(r.prevHash))
	h.Write([]byte{'\n'})
	h.Write(canon)
	return hex.EncodeToString(h.Sum(nil))
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
