-- Accounts: administrative units, users, sessions and the audit log.
-- Times are UTC text in the fixed-width form 2006-01-02T15:04:05.000Z so that
-- text order is time order.

-- Units form a tree (province → district → commune, or province → commune).
-- The parent check is deferred so an import may list children before parents.
CREATE TABLE units (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune')),
    kind        TEXT NOT NULL DEFAULT '',
    parent_code TEXT REFERENCES units(code) DEFERRABLE INITIALLY DEFERRED,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX units_parent ON units(parent_code);

-- Users are never deleted, only disabled, so audit rows keep their meaning.
-- Usernames are stored lower-case.
CREATE TABLE users (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL DEFAULT '',
    role                 TEXT NOT NULL CHECK (role IN ('admin', 'province', 'district', 'police', 'commune')),
    unit_code            TEXT NOT NULL REFERENCES units(code),
    password_hash        TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    disabled             INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    last_login_at        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX users_unit ON users(unit_code);

-- Sessions keep only the SHA-256 of the bearer token.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   BLOB NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    remote_addr  TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- The audit log is append-only: each row's hash chains it to the previous
-- row (hash = SHA-256(prev_hash || canonical row)), and triggers refuse
-- UPDATE and DELETE through SQL. AUTOINCREMENT keeps ids from being reused so
-- a deleted last row still shows in sqlite_sequence.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL,
    user_id     INTEGER,
    username    TEXT NOT NULL DEFAULT '',
    unit_code   TEXT NOT NULL DEFAULT '',
    camera_id   INTEGER,
    remote_addr TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '{}',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_unit ON audit_log(unit_code, at);
CREATE INDEX audit_log_user ON audit_log(user_id, at);
CREATE INDEX audit_log_camera ON audit_log(camera_id, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
