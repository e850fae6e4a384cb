-- Cameras: one row per RTSP source. Credentials are kept apart from the URL
-- so the URL can be shown and logged without them.
CREATE TABLE cameras (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT NOT NULL,
    unit_code       TEXT NOT NULL,
    rtsp_url        TEXT NOT NULL,
    substream_url   TEXT NOT NULL DEFAULT '',
    username        TEXT NOT NULL DEFAULT '',
    password        TEXT NOT NULL DEFAULT '',
    transport       TEXT NOT NULL DEFAULT 'auto' CHECK (transport IN ('auto', 'tcp', 'udp')),
    on_demand       INTEGER NOT NULL DEFAULT 1,
    tls_fingerprint TEXT NOT NULL DEFAULT '',
    enabled         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX cameras_unit ON cameras(unit_code);
