-- Schema version 4: the weekly review (周例会回顾) and its decisions (督办事项). Nothing in the
-- contract tables changes. Every row written here is also written to the adjustment log, in
-- the same transaction, by gongjian.
--
-- Written for old SQLite too (no UPSERT in the triggers, no row values): other tools open this
-- file with whatever SQLite they carry, and they must be able to parse this schema.

-- One weekly review: who ran it, when, and whether it took one street only.
CREATE TABLE IF NOT EXISTS review (
    id         INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,                     -- RFC 3339, UTC
    ended_at   TEXT,                              -- NULL while under way (or never ended)
    operator   TEXT NOT NULL,                     -- who ran it (one or several names, as typed)
    street_id  INTEGER REFERENCES street(id)      -- only this street's communities; NULL: all
);

-- Each community the review came to: covered (discussed) or skipped, with its figures at that
-- moment (the JSON of one community of `report --format json`), so that the next review can
-- say what changed since. Coming back to a community in the same review replaces its row.
CREATE TABLE IF NOT EXISTS review_item (
    id           INTEGER PRIMARY KEY,
    review_id    INTEGER NOT NULL REFERENCES review(id),
    community_id INTEGER NOT NULL REFERENCES community(id),
    outcome      TEXT NOT NULL CHECK (outcome IN ('covered', 'skipped')),
    at           TEXT NOT NULL,                   -- RFC 3339, UTC
    figures      TEXT NOT NULL DEFAULT '{}',      -- JSON
    UNIQUE (review_id, community_id)
);
CREATE INDEX IF NOT EXISTS review_item_by_community ON review_item(community_id, at);

-- A decision (督办事项): what is to be done for a community, by whom, by when; and, once done,
-- when, by whom and how. A decision is done once: its completion is never changed afterwards.
CREATE TABLE IF NOT EXISTS decision (
    id           INTEGER PRIMARY KEY,
    review_id    INTEGER REFERENCES review(id),   -- NULL: taken outside a review
    community_id INTEGER NOT NULL REFERENCES community(id),
    text         TEXT NOT NULL,
    owner        TEXT NOT NULL,                   -- the responsible person (责任人)
    due_on       TEXT NOT NULL,                   -- YYYY-MM-DD
    created_at   TEXT NOT NULL,                   -- RFC 3339, UTC
    created_by   TEXT NOT NULL,
    done_at      TEXT,                            -- RFC 3339, UTC; NULL while open
    done_by      TEXT,
    done_note    TEXT
);
CREATE INDEX IF NOT EXISTS decision_by_community ON decision(community_id, id);
CREATE INDEX IF NOT EXISTS decision_by_review ON decision(review_id);
CREATE TRIGGER IF NOT EXISTS decision_done_once BEFORE UPDATE OF done_at, done_by, done_note ON decision
WHEN OLD.done_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a decision that is done stays done');
END;
