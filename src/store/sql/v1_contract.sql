-- Schema version 1: the public contract of the shared file (DOMAIN.md).
-- IF NOT EXISTS so that a file another tool started is adopted, not rejected.
CREATE TABLE IF NOT EXISTS street    (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS community (id INTEGER PRIMARY KEY,
                        street_id INTEGER NOT NULL REFERENCES street(id),
                        name TEXT NOT NULL, UNIQUE (street_id, name));
CREATE TABLE IF NOT EXISTS unit      (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                        kind TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS contract  (id INTEGER PRIMARY KEY,
                        community_id INTEGER NOT NULL REFERENCES community(id),
                        unit_id INTEGER NOT NULL REFERENCES unit(id),
                        signed_on TEXT NOT NULL, UNIQUE (community_id, unit_id));
CREATE TABLE IF NOT EXISTS need      (id INTEGER PRIMARY KEY,
                        community_id INTEGER NOT NULL REFERENCES community(id),
                        title TEXT NOT NULL, raised_on TEXT NOT NULL,
                        source TEXT NOT NULL DEFAULT 'other');
CREATE TABLE IF NOT EXISTS resource  (id INTEGER PRIMARY KEY,
                        community_id INTEGER NOT NULL REFERENCES community(id),
                        unit_id INTEGER NOT NULL REFERENCES unit(id),
                        title TEXT NOT NULL,
                        times_used INTEGER NOT NULL DEFAULT 0 CHECK (times_used >= 0));
CREATE TABLE IF NOT EXISTS project   (id INTEGER PRIMARY KEY,
                        community_id INTEGER NOT NULL REFERENCES community(id),
                        unit_id INTEGER REFERENCES unit(id),
                        title TEXT NOT NULL,
                        due_on TEXT NOT NULL,
                        status TEXT NOT NULL DEFAULT 'active'
                          CHECK (status IN ('active','paused','done','cancelled')),
                        done_on TEXT);
CREATE TABLE IF NOT EXISTS activity  (id INTEGER PRIMARY KEY,
                        project_id INTEGER NOT NULL REFERENCES project(id),
                        held_on TEXT NOT NULL,
                        planned INTEGER NOT NULL CHECK (planned > 0),
                        actual INTEGER NOT NULL CHECK (actual >= 0));
CREATE TABLE IF NOT EXISTS meeting   (id INTEGER PRIMARY KEY,
                        community_id INTEGER NOT NULL REFERENCES community(id),
                        kind TEXT NOT NULL CHECK (kind IN ('quarterly','site_visit','other')),
                        held_on TEXT NOT NULL,
                        attendees INTEGER CHECK (attendees >= 0),
                        note TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS setting   (key TEXT PRIMARY KEY, value TEXT NOT NULL);
