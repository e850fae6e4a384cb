-- Saved views: a user's named grid layouts. cells is a JSON array of camera
-- ids (or null for an empty tile), at most layout long. Times are UTC text
-- in the form 2006-01-02T15:04:05.000Z.
CREATE TABLE views (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    name       TEXT NOT NULL,
    layout     INTEGER NOT NULL CHECK (layout IN (1, 4, 9, 16)),
    cells      TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (user_id, name)
);
