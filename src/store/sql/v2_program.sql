-- Schema version 2: gongjian's own additions. Nothing in the contract tables changes.

-- Indexes for the per-community and per-year reads.
CREATE INDEX IF NOT EXISTS project_by_community ON project(community_id);
CREATE INDEX IF NOT EXISTS activity_by_project ON activity(project_id, held_on);
CREATE INDEX IF NOT EXISTS activity_by_day ON activity(held_on);
CREATE INDEX IF NOT EXISTS meeting_by_community ON meeting(community_id, held_on);
CREATE INDEX IF NOT EXISTS resource_by_community ON resource(community_id);

-- The adjustment log (调整记录): append-only, one entry per change made through gongjian,
-- written in the same transaction as the change. An undo is a new entry naming the one it
-- reverses; nothing here is ever updated or deleted.
CREATE TABLE IF NOT EXISTS adjustment (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,                  -- RFC 3339, UTC
    operator     TEXT NOT NULL,
    community_id INTEGER REFERENCES community(id),
    project_id   INTEGER REFERENCES project(id),
    action       TEXT NOT NULL,
    before       TEXT NOT NULL DEFAULT '{}',     -- JSON
    after        TEXT NOT NULL DEFAULT '{}',     -- JSON
    reason       TEXT NOT NULL,
    reverses     INTEGER REFERENCES adjustment(id)
);
CREATE INDEX IF NOT EXISTS adjustment_by_community ON adjustment(community_id, id);
CREATE INDEX IF NOT EXISTS adjustment_by_project ON adjustment(project_id, id);
CREATE TRIGGER IF NOT EXISTS adjustment_is_append_only_update BEFORE UPDATE ON adjustment
BEGIN
    SELECT RAISE(ABORT, 'the adjustment log is append-only');
END;
CREATE TRIGGER IF NOT EXISTS adjustment_is_append_only_delete BEFORE DELETE ON adjustment
BEGIN
    SELECT RAISE(ABORT, 'the adjustment log is append-only');
END;
