-- Schema version 5: contract version 2 (needs answered, satisfaction surveys, party members'
-- service, the year-end assessment). These are public tables, written by other tools too: their
-- names, columns and checks are the contract's, word for word. IF NOT EXISTS so that a file
-- another tool already gave some of them is adopted, not rejected. `project.need_id` is added
-- by the program before this script runs, and only when the column is missing.
CREATE TABLE IF NOT EXISTS survey     (id INTEGER PRIMARY KEY,
                         project_id INTEGER NOT NULL REFERENCES project(id),
                         held_on TEXT NOT NULL,
                         respondents INTEGER NOT NULL CHECK (respondents > 0),
                         satisfied INTEGER NOT NULL CHECK (satisfied >= 0 AND satisfied <= respondents));
CREATE TABLE IF NOT EXISTS member     (id INTEGER PRIMARY KEY,
                         community_id INTEGER NOT NULL REFERENCES community(id),
                         unit_id INTEGER REFERENCES unit(id),
                         name TEXT NOT NULL,
                         registered_on TEXT NOT NULL,
                         left_on TEXT);
CREATE TABLE IF NOT EXISTS service    (id INTEGER PRIMARY KEY,
                         member_id INTEGER NOT NULL REFERENCES member(id),
                         served_on TEXT NOT NULL,
                         minutes INTEGER NOT NULL CHECK (minutes > 0),
                         project_id INTEGER REFERENCES project(id),
                         note TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS assessment (id INTEGER PRIMARY KEY,
                         year INTEGER NOT NULL,
                         subject TEXT NOT NULL CHECK (subject IN ('community','unit','contract')),
                         subject_id INTEGER NOT NULL,
                         assessor TEXT NOT NULL CHECK (assessor IN ('self','community','third_party')),
                         grade TEXT NOT NULL CHECK (grade IN ('excellent','good','fair','poor')),
                         note TEXT NOT NULL DEFAULT '',
                         UNIQUE (year, subject, subject_id, assessor));

-- gongjian's own indexes for the per-community reads.
CREATE INDEX IF NOT EXISTS project_by_need ON project(need_id);
CREATE INDEX IF NOT EXISTS need_by_community ON need(community_id);
CREATE INDEX IF NOT EXISTS survey_by_project ON survey(project_id, held_on);
CREATE INDEX IF NOT EXISTS member_by_community ON member(community_id);
CREATE INDEX IF NOT EXISTS service_by_member ON service(member_id, served_on);
