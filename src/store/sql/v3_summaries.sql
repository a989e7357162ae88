-- Schema version 3: what keeps the figures instant in a city-sized file. Nothing in the
-- contract tables changes; everything here is gongjian's own and can be rebuilt from them.
--
-- Written for old SQLite too (no UPSERT, no row values, no UPDATE ... FROM): other tools open
-- this file with whatever SQLite they carry, and they must be able to parse these triggers.

-- The sessions of one month up to today are read straight from the activity rows; this index
-- holds all the columns needed, so the read never leaves it.
CREATE INDEX IF NOT EXISTS activity_window ON activity(held_on, project_id, planned, actual);

-- Per project and calendar year, its sessions summed per month (s = sessions, p = planned,
-- a = actual, 01 = January): the participation panel's sums for any day are the months before
-- that day's month plus that month's rows up to the day. Only rows whose figures gongjian reads
-- exactly are summed ("clean": a real YYYY-MM-DD date, whole numbers, a whole project id).
CREATE TABLE IF NOT EXISTS activity_year (
    year INTEGER NOT NULL,
    project_id INTEGER NOT NULL,
    s01 INTEGER NOT NULL DEFAULT 0, p01 INTEGER NOT NULL DEFAULT 0, a01 INTEGER NOT NULL DEFAULT 0,
    s02 INTEGER NOT NULL DEFAULT 0, p02 INTEGER NOT NULL DEFAULT 0, a02 INTEGER NOT NULL DEFAULT 0,
    s03 INTEGER NOT NULL DEFAULT 0, p03 INTEGER NOT NULL DEFAULT 0, a03 INTEGER NOT NULL DEFAULT 0,
    s04 INTEGER NOT NULL DEFAULT 0, p04 INTEGER NOT NULL DEFAULT 0, a04 INTEGER NOT NULL DEFAULT 0,
    s05 INTEGER NOT NULL DEFAULT 0, p05 INTEGER NOT NULL DEFAULT 0, a05 INTEGER NOT NULL DEFAULT 0,
    s06 INTEGER NOT NULL DEFAULT 0, p06 INTEGER NOT NULL DEFAULT 0, a06 INTEGER NOT NULL DEFAULT 0,
    s07 INTEGER NOT NULL DEFAULT 0, p07 INTEGER NOT NULL DEFAULT 0, a07 INTEGER NOT NULL DEFAULT 0,
    s08 INTEGER NOT NULL DEFAULT 0, p08 INTEGER NOT NULL DEFAULT 0, a08 INTEGER NOT NULL DEFAULT 0,
    s09 INTEGER NOT NULL DEFAULT 0, p09 INTEGER NOT NULL DEFAULT 0, a09 INTEGER NOT NULL DEFAULT 0,
    s10 INTEGER NOT NULL DEFAULT 0, p10 INTEGER NOT NULL DEFAULT 0, a10 INTEGER NOT NULL DEFAULT 0,
    s11 INTEGER NOT NULL DEFAULT 0, p11 INTEGER NOT NULL DEFAULT 0, a11 INTEGER NOT NULL DEFAULT 0,
    s12 INTEGER NOT NULL DEFAULT 0, p12 INTEGER NOT NULL DEFAULT 0, a12 INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (year, project_id)
) WITHOUT ROWID;

-- Activity rows that fall in a year's date range as text but are not clean (a malformed date,
-- a number written as text): while a year has any, its figures are computed from the rows
-- themselves, which reports them as the contract requires.
CREATE TABLE IF NOT EXISTS activity_unclean (
    activity_id INTEGER PRIMARY KEY,
    year TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS activity_unclean_by_year ON activity_unclean(year);

-- The row an INSERT OR REPLACE (or UPDATE OR REPLACE) is about to replace. SQLite deletes such a
-- row without firing delete triggers, so it is noted before the write and taken out of the sums
-- after it; a note left by a write that was ignored (INSERT OR IGNORE) is never used, because
-- every later write of that id notes afresh. Columns without a type keep values as stored.
CREATE TABLE IF NOT EXISTS activity_pending (
    id INTEGER PRIMARY KEY,
    project_id, held_on, planned, actual
);

-- Every change to the sums goes through one row here (+1 adds a session, -1 takes it out), so
-- that the arithmetic is written once. The table is empty between statements.
CREATE TABLE IF NOT EXISTS activity_delta (
    sign INTEGER NOT NULL,
    project_id, held_on, planned, actual
);

CREATE TRIGGER IF NOT EXISTS activity_delta_apply AFTER INSERT ON activity_delta
BEGIN
    INSERT INTO activity_year (year, project_id)
    SELECT CAST(substr(new.held_on, 1, 4) AS INTEGER), new.project_id
     WHERE typeof(new.held_on) = 'text' AND length(new.held_on) = 10
       AND new.held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
       AND CAST(substr(new.held_on, 6, 2) AS INTEGER) BETWEEN 1 AND 12
       AND CAST(substr(new.held_on, 9, 2) AS INTEGER) BETWEEN 1 AND CASE
             WHEN CAST(substr(new.held_on, 6, 2) AS INTEGER) = 2 THEN 28 + (
               CAST(substr(new.held_on, 1, 4) AS INTEGER) % 4 = 0
               AND (CAST(substr(new.held_on, 1, 4) AS INTEGER) % 100 <> 0
                    OR CAST(substr(new.held_on, 1, 4) AS INTEGER) % 400 = 0))
             WHEN CAST(substr(new.held_on, 6, 2) AS INTEGER) IN (4, 6, 9, 11) THEN 30
             ELSE 31 END
       AND typeof(new.project_id) = 'integer'
       AND typeof(new.planned) = 'integer' AND new.planned BETWEEN -2147483648 AND 2147483647
       AND typeof(new.actual) = 'integer' AND new.actual BETWEEN -2147483648 AND 2147483647
       AND NOT EXISTS (SELECT 1 FROM activity_year
                        WHERE year = CAST(substr(new.held_on, 1, 4) AS INTEGER) AND project_id = new.project_id);
    UPDATE activity_year SET
        s01 = s01 + new.sign * (substr(new.held_on, 6, 2) = '01'),
        p01 = p01 + new.sign * (substr(new.held_on, 6, 2) = '01') * new.planned,
        a01 = a01 + new.sign * (substr(new.held_on, 6, 2) = '01') * new.actual,
        s02 = s02 + new.sign * (substr(new.held_on, 6, 2) = '02'),
        p02 = p02 + new.sign * (substr(new.held_on, 6, 2) = '02') * new.planned,
        a02 = a02 + new.sign * (substr(new.held_on, 6, 2) = '02') * new.actual,
        s03 = s03 + new.sign * (substr(new.held_on, 6, 2) = '03'),
        p03 = p03 + new.sign * (substr(new.held_on, 6, 2) = '03') * new.planned,
        a03 = a03 + new.sign * (substr(new.held_on, 6, 2) = '03') * new.actual,
        s04 = s04 + new.sign * (substr(new.held_on, 6, 2) = '04'),
        p04 = p04 + new.sign * (substr(new.held_on, 6, 2) = '04') * new.planned,
        a04 = a04 + new.sign * (substr(new.held_on, 6, 2) = '04') * new.actual,
        s05 = s05 + new.sign * (substr(new.held_on, 6, 2) = '05'),
        p05 = p05 + new.sign * (substr(new.held_on, 6, 2) = '05') * new.planned,
        a05 = a05 + new.sign * (substr(new.held_on, 6, 2) = '05') * new.actual,
        s06 = s06 + new.sign * (substr(new.held_on, 6, 2) = '06'),
        p06 = p06 + new.sign * (substr(new.held_on, 6, 2) = '06') * new.planned,
        a06 = a06 + new.sign * (substr(new.held_on, 6, 2) = '06') * new.actual,
        s07 = s07 + new.sign * (substr(new.held_on, 6, 2) = '07'),
        p07 = p07 + new.sign * (substr(new.held_on, 6, 2) = '07') * new.planned,
        a07 = a07 + new.sign * (substr(new.held_on, 6, 2) = '07') * new.actual,
        s08 = s08 + new.sign * (substr(new.held_on, 6, 2) = '08'),
        p08 = p08 + new.sign * (substr(new.held_on, 6, 2) = '08') * new.planned,
        a08 = a08 + new.sign * (substr(new.held_on, 6, 2) = '08') * new.actual,
        s09 = s09 + new.sign * (substr(new.held_on, 6, 2) = '09'),
        p09 = p09 + new.sign * (substr(new.held_on, 6, 2) = '09') * new.planned,
        a09 = a09 + new.sign * (substr(new.held_on, 6, 2) = '09') * new.actual,
        s10 = s10 + new.sign * (substr(new.held_on, 6, 2) = '10'),
        p10 = p10 + new.sign * (substr(new.held_on, 6, 2) = '10') * new.planned,
        a10 = a10 + new.sign * (substr(new.held_on, 6, 2) = '10') * new.actual,
        s11 = s11 + new.sign * (substr(new.held_on, 6, 2) = '11'),
        p11 = p11 + new.sign * (substr(new.held_on, 6, 2) = '11') * new.planned,
        a11 = a11 + new.sign * (substr(new.held_on, 6, 2) = '11') * new.actual,
        s12 = s12 + new.sign * (substr(new.held_on, 6, 2) = '12'),
        p12 = p12 + new.sign * (substr(new.held_on, 6, 2) = '12') * new.planned,
        a12 = a12 + new.sign * (substr(new.held_on, 6, 2) = '12') * new.actual
     WHERE year = CAST(substr(new.held_on, 1, 4) AS INTEGER) AND project_id = new.project_id
       AND typeof(new.held_on) = 'text' AND length(new.held_on) = 10
       AND new.held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
       AND CAST(substr(new.held_on, 6, 2) AS INTEGER) BETWEEN 1 AND 12
       AND CAST(substr(new.held_on, 9, 2) AS INTEGER) BETWEEN 1 AND CASE
             WHEN CAST(substr(new.held_on, 6, 2) AS INTEGER) = 2 THEN 28 + (
               CAST(substr(new.held_on, 1, 4) AS INTEGER) % 4 = 0
               AND (CAST(substr(new.held_on, 1, 4) AS INTEGER) % 100 <> 0
                    OR CAST(substr(new.held_on, 1, 4) AS INTEGER) % 400 = 0))
             WHEN CAST(substr(new.held_on, 6, 2) AS INTEGER) IN (4, 6, 9, 11) THEN 30
             ELSE 31 END
       AND typeof(new.project_id) = 'integer'
       AND typeof(new.planned) = 'integer' AND new.planned BETWEEN -2147483648 AND 2147483647
       AND typeof(new.actual) = 'integer' AND new.actual BETWEEN -2147483648 AND 2147483647;
    DELETE FROM activity_delta WHERE rowid = new.rowid;
END;

CREATE TRIGGER IF NOT EXISTS activity_summary_before_insert BEFORE INSERT ON activity
BEGIN
    DELETE FROM activity_pending WHERE id = new.id;
    INSERT INTO activity_pending (id, project_id, held_on, planned, actual)
    SELECT id, project_id, held_on, planned, actual FROM activity WHERE id = new.id;
END;

CREATE TRIGGER IF NOT EXISTS activity_summary_after_insert AFTER INSERT ON activity
BEGIN
    INSERT INTO activity_delta (sign, project_id, held_on, planned, actual)
    SELECT -1, project_id, held_on, planned, actual FROM activity_pending WHERE id = new.id;
    DELETE FROM activity_pending WHERE id = new.id;
    INSERT INTO activity_delta (sign, project_id, held_on, planned, actual)
    VALUES (1, new.project_id, new.held_on, new.planned, new.actual);
    DELETE FROM activity_unclean WHERE activity_id = new.id;
    INSERT INTO activity_unclean (activity_id, year)
    SELECT new.id, substr(new.held_on, 1, 4)
     WHERE typeof(new.held_on) = 'text'
       AND new.held_on BETWEEN substr(new.held_on, 1, 4) || '-01-01' AND substr(new.held_on, 1, 4) || '-12-31'
       AND NOT (typeof(new.held_on) = 'text' AND length(new.held_on) = 10
       AND new.held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
       AND CAST(substr(new.held_on, 6, 2) AS INTEGER) BETWEEN 1 AND 12
       AND CAST(substr(new.held_on, 9, 2) AS INTEGER) BETWEEN 1 AND CASE
             WHEN CAST(substr(new.held_on, 6, 2) AS INTEGER) = 2 THEN 28 + (
               CAST(substr(new.held_on, 1, 4) AS INTEGER) % 4 = 0
               AND (CAST(substr(new.held_on, 1, 4) AS INTEGER) % 100 <> 0
                    OR CAST(substr(new.held_on, 1, 4) AS INTEGER) % 400 = 0))
             WHEN CAST(substr(new.held_on, 6, 2) AS INTEGER) IN (4, 6, 9, 11) THEN 30
             ELSE 31 END
       AND typeof(new.project_id) = 'integer'
       AND typeof(new.planned) = 'integer' AND new.planned BETWEEN -2147483648 AND 2147483647
       AND typeof(new.actual) = 'integer' AND new.actual BETWEEN -2147483648 AND 2147483647);
END;

CREATE TRIGGER IF NOT EXISTS activity_summary_before_update BEFORE UPDATE ON activity
BEGIN
    DELETE FROM activity_pending WHERE id = new.id;
    INSERT INTO activity_pending (id, project_id, held_on, planned, actual)
    SELECT id, project_id, held_on, planned, actual FROM activity WHERE id = new.id AND new.id IS NOT old.id;
END;

CREATE TRIGGER IF NOT EXISTS activity_summary_after_update AFTER UPDATE ON activity
BEGIN
    INSERT INTO activity_delta (sign, project_id, held_on, planned, actual)
    VALUES (-1, old.project_id, old.held_on, old.planned, old.actual);
    INSERT INTO activity_delta (sign, project_id, held_on, planned, actual)
    SELECT -1, project_id, held_on, planned, actual FROM activity_pending WHERE id = new.id;
    DELETE FROM activity_pending WHERE id = new.id;
    INSERT INTO activity_delta (sign, project_id, held_on, planned, actual)
    VALUES (1, new.project_id, new.held_on, new.planned, new.actual);
    DELETE FROM activity_unclean WHERE activity_id = old.id;
    DELETE FROM activity_unclean WHERE activity_id = new.id;
    INSERT INTO activity_unclean (activity_id, year)
    SELECT new.id, substr(new.held_on, 1, 4)
     WHERE typeof(new.held_on) = 'text'
       AND new.held_on BETWEEN substr(new.held_on, 1, 4) || '-01-01' AND substr(new.held_on, 1, 4) || '-12-31'
       AND NOT (typeof(new.held_on) = 'text' AND length(new.held_on) = 10
       AND new.held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
       AND CAST(substr(new.held_on, 6, 2) AS INTEGER) BETWEEN 1 AND 12
       AND CAST(substr(new.held_on, 9, 2) AS INTEGER) BETWEEN 1 AND CASE
             WHEN CAST(substr(new.held_on, 6, 2) AS INTEGER) = 2 THEN 28 + (
               CAST(substr(new.held_on, 1, 4) AS INTEGER) % 4 = 0
               AND (CAST(substr(new.held_on, 1, 4) AS INTEGER) % 100 <> 0
                    OR CAST(substr(new.held_on, 1, 4) AS INTEGER) % 400 = 0))
             WHEN CAST(substr(new.held_on, 6, 2) AS INTEGER) IN (4, 6, 9, 11) THEN 30
             ELSE 31 END
       AND typeof(new.project_id) = 'integer'
       AND typeof(new.planned) = 'integer' AND new.planned BETWEEN -2147483648 AND 2147483647
       AND typeof(new.actual) = 'integer' AND new.actual BETWEEN -2147483648 AND 2147483647);
END;

CREATE TRIGGER IF NOT EXISTS activity_summary_after_delete AFTER DELETE ON activity
BEGIN
    INSERT INTO activity_delta (sign, project_id, held_on, planned, actual)
    VALUES (-1, old.project_id, old.held_on, old.planned, old.actual);
    DELETE FROM activity_unclean WHERE activity_id = old.id;
    DELETE FROM activity_pending WHERE id = old.id;
END;

-- The sums of the rows already in the file (a file upgraded from an earlier version, or made by
-- another tool). Emptied first, so that running this script again gives the same sums.
DELETE FROM activity_year;
DELETE FROM activity_unclean;
DELETE FROM activity_pending;
DELETE FROM activity_delta;
-- Summed per month first, then spread into the month columns: far fewer sums per row.
INSERT INTO activity_year (year, project_id, s01, p01, a01, s02, p02, a02, s03, p03, a03, s04, p04, a04, s05, p05, a05, s06, p06, a06, s07, p07, a07, s08, p08, a08, s09, p09, a09, s10, p10, a10, s11, p11, a11, s12, p12, a12)
SELECT year, project_id,
       sum((month = '01') * n), sum((month = '01') * planned), sum((month = '01') * actual),
       sum((month = '02') * n), sum((month = '02') * planned), sum((month = '02') * actual),
       sum((month = '03') * n), sum((month = '03') * planned), sum((month = '03') * actual),
       sum((month = '04') * n), sum((month = '04') * planned), sum((month = '04') * actual),
       sum((month = '05') * n), sum((month = '05') * planned), sum((month = '05') * actual),
       sum((month = '06') * n), sum((month = '06') * planned), sum((month = '06') * actual),
       sum((month = '07') * n), sum((month = '07') * planned), sum((month = '07') * actual),
       sum((month = '08') * n), sum((month = '08') * planned), sum((month = '08') * actual),
       sum((month = '09') * n), sum((month = '09') * planned), sum((month = '09') * actual),
       sum((month = '10') * n), sum((month = '10') * planned), sum((month = '10') * actual),
       sum((month = '11') * n), sum((month = '11') * planned), sum((month = '11') * actual),
       sum((month = '12') * n), sum((month = '12') * planned), sum((month = '12') * actual)
  FROM (SELECT CAST(substr(a.held_on, 1, 4) AS INTEGER) AS year, a.project_id AS project_id,
               substr(a.held_on, 6, 2) AS month,
               count(*) AS n, sum(a.planned) AS planned, sum(a.actual) AS actual
          FROM activity a
         WHERE typeof(a.held_on) = 'text' AND length(a.held_on) = 10
       AND a.held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
       AND CAST(substr(a.held_on, 6, 2) AS INTEGER) BETWEEN 1 AND 12
       AND CAST(substr(a.held_on, 9, 2) AS INTEGER) BETWEEN 1 AND CASE
             WHEN CAST(substr(a.held_on, 6, 2) AS INTEGER) = 2 THEN 28 + (
               CAST(substr(a.held_on, 1, 4) AS INTEGER) % 4 = 0
               AND (CAST(substr(a.held_on, 1, 4) AS INTEGER) % 100 <> 0
                    OR CAST(substr(a.held_on, 1, 4) AS INTEGER) % 400 = 0))
             WHEN CAST(substr(a.held_on, 6, 2) AS INTEGER) IN (4, 6, 9, 11) THEN 30
             ELSE 31 END
       AND typeof(a.project_id) = 'integer'
       AND typeof(a.planned) = 'integer' AND a.planned BETWEEN -2147483648 AND 2147483647
       AND typeof(a.actual) = 'integer' AND a.actual BETWEEN -2147483648 AND 2147483647
         GROUP BY 1, 2, 3)
 GROUP BY year, project_id;
INSERT INTO activity_unclean (activity_id, year)
SELECT a.id, substr(a.held_on, 1, 4)
  FROM activity a
 WHERE typeof(a.held_on) = 'text'
       AND a.held_on BETWEEN substr(a.held_on, 1, 4) || '-01-01' AND substr(a.held_on, 1, 4) || '-12-31'
   AND NOT (typeof(a.held_on) = 'text' AND length(a.held_on) = 10
       AND a.held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
       AND CAST(substr(a.held_on, 6, 2) AS INTEGER) BETWEEN 1 AND 12
       AND CAST(substr(a.held_on, 9, 2) AS INTEGER) BETWEEN 1 AND CASE
             WHEN CAST(substr(a.held_on, 6, 2) AS INTEGER) = 2 THEN 28 + (
               CAST(substr(a.held_on, 1, 4) AS INTEGER) % 4 = 0
               AND (CAST(substr(a.held_on, 1, 4) AS INTEGER) % 100 <> 0
                    OR CAST(substr(a.held_on, 1, 4) AS INTEGER) % 400 = 0))
             WHEN CAST(substr(a.held_on, 6, 2) AS INTEGER) IN (4, 6, 9, 11) THEN 30
             ELSE 31 END
       AND typeof(a.project_id) = 'integer'
       AND typeof(a.planned) = 'integer' AND a.planned BETWEEN -2147483648 AND 2147483647
       AND typeof(a.actual) = 'integer' AND a.actual BETWEEN -2147483648 AND 2147483647);
