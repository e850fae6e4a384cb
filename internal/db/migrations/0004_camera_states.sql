-- Camera state history: one row per state transition reported by the
-- relay, append-only, pruned to the newest rows per camera by the writer.
-- id order is time order.
CREATE TABLE camera_states (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    camera_id INTEGER NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
    at        TEXT NOT NULL,
    state     TEXT NOT NULL,
    reason    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX camera_states_camera ON camera_states(camera_id, id);
