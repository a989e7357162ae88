//! The summaries' SQL (schema objects, triggers and refill), written from one definition: the
//! twelve months and the clean-row test [`CLEAN`](super::rows::activity::CLEAN), which the
//! plain read applies in Rust. Nothing here is pasted twice.
//!
//! Written for old SQLite too (no UPSERT, no row values, no `UPDATE … FROM`): other tools open
//! the file with whatever SQLite they carry, and they must be able to parse these triggers.

use super::rows::activity::CLEAN;

/// Every trigger, by name, in the order they are created.
pub const TRIGGERS: &[&str] = &[
    "activity_delta_apply",
    "activity_summary_before_insert",
    "activity_summary_after_insert",
    "activity_summary_before_update",
    "activity_summary_after_update",
    "activity_summary_after_delete",
];

fn months() -> impl Iterator<Item = String> {
    (1..=12).map(|m| format!("{m:02}"))
}

/// The year of the row named `row`, for the sums.
fn year(row: &str) -> String {
    format!("CAST(substr({row}.held_on, 1, 4) AS INTEGER)")
}

/// A row the summaries cannot hold but whose date text falls in a year's range: while a year
/// has one, its figures are read from the rows, which name it.
fn unclean(row: &str) -> String {
    format!(
        "typeof({row}.held_on) = 'text' \
         AND {row}.held_on BETWEEN substr({row}.held_on, 1, 4) || '-01-01' AND substr({row}.held_on, 1, 4) || '-12-31' \
         AND NOT {}",
        CLEAN.sql(row)
    )
}

/// The tables and the index (kept when they exist).
fn tables() -> String {
    let columns: Vec<String> = months()
        .map(|m| {
            format!(
                "    s{m} INTEGER NOT NULL DEFAULT 0, p{m} INTEGER NOT NULL DEFAULT 0, a{m} INTEGER NOT NULL DEFAULT 0,"
            )
        })
        .collect();
    format!(
        "CREATE INDEX IF NOT EXISTS activity_window ON activity(held_on, project_id, planned, actual);
CREATE TABLE IF NOT EXISTS activity_year (
    year INTEGER NOT NULL,
    project_id INTEGER NOT NULL,
{}
    PRIMARY KEY (year, project_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS activity_unclean (activity_id INTEGER PRIMARY KEY, year TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS activity_unclean_by_year ON activity_unclean(year);
CREATE TABLE IF NOT EXISTS activity_pending (id INTEGER PRIMARY KEY, project_id, held_on, planned, actual);
CREATE TABLE IF NOT EXISTS activity_delta (sign INTEGER NOT NULL, project_id, held_on, planned, actual);
",
        columns.join("\n")
    )
}

/// Each trigger's `CREATE TRIGGER` statement as `sqlite_schema` keeps it, by name.
pub fn triggers() -> Vec<(&'static str, String)> {
    let clean_new = CLEAN.sql("new");
    let sets: Vec<String> = months()
        .map(|m| {
            let is = format!("(substr(new.held_on, 6, 2) = '{m}')");
            format!(
                "        s{m} = s{m} + new.sign * {is},\n        p{m} = p{m} + new.sign * {is} * new.planned,\n        a{m} = a{m} + new.sign * {is} * new.actual"
            )
        })
        .collect();
    let apply = format!(
        "CREATE TRIGGER activity_delta_apply AFTER INSERT ON activity_delta
BEGIN
    INSERT INTO activity_year (year, project_id)
    SELECT {y}, new.project_id
     WHERE {clean_new}
       AND NOT EXISTS (SELECT 1 FROM activity_year WHERE year = {y} AND project_id = new.project_id);
    UPDATE activity_year SET
{sets}
     WHERE year = {y} AND project_id = new.project_id AND {clean_new};
    DELETE FROM activity_delta WHERE rowid = new.rowid;
END",
        y = year("new"),
        sets = sets.join(",\n"),
    );
    let note_unclean = format!(
        "    INSERT INTO activity_unclean (activity_id, year)
    SELECT new.id, substr(new.held_on, 1, 4) WHERE {};",
        unclean("new")
    );
    vec![
        ("activity_delta_apply", apply),
        (
            "activity_summary_before_insert",
            "CREATE TRIGGER activity_summary_before_insert BEFORE INSERT ON activity
BEGIN
    DELETE FROM activity_pending WHERE id = new.id;
    INSERT INTO activity_pending (id, project_id, held_on, planned, actual)
    SELECT id, project_id, held_on, planned, actual FROM activity WHERE id = new.id;
END"
            .to_string(),
        ),
        (
            "activity_summary_after_insert",
            format!(
                "CREATE TRIGGER activity_summary_after_insert AFTER INSERT ON activity
BEGIN
    INSERT INTO activity_delta (sign, project_id, held_on, planned, actual)
    SELECT -1, project_id, held_on, planned, actual FROM activity_pending WHERE id = new.id;
    DELETE FROM activity_pending WHERE id = new.id;
    INSERT INTO activity_delta (sign, project_id, held_on, planned, actual)
    VALUES (1, new.project_id, new.held_on, new.planned, new.actual);
    DELETE FROM activity_unclean WHERE activity_id = new.id;
{note_unclean}
END"
            ),
        ),
        (
            "activity_summary_before_update",
            "CREATE TRIGGER activity_summary_before_update BEFORE UPDATE ON activity
BEGIN
    DELETE FROM activity_pending WHERE id = new.id;
    INSERT INTO activity_pending (id, project_id, held_on, planned, actual)
    SELECT id, project_id, held_on, planned, actual FROM activity WHERE id = new.id AND new.id IS NOT old.id;
END"
            .to_string(),
        ),
        (
            "activity_summary_after_update",
            format!(
                "CREATE TRIGGER activity_summary_after_update AFTER UPDATE ON activity
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
{note_unclean}
END"
            ),
        ),
        (
            "activity_summary_after_delete",
            "CREATE TRIGGER activity_summary_after_delete AFTER DELETE ON activity
BEGIN
    INSERT INTO activity_delta (sign, project_id, held_on, planned, actual)
    VALUES (-1, old.project_id, old.held_on, old.planned, old.actual);
    DELETE FROM activity_unclean WHERE activity_id = old.id;
    DELETE FROM activity_pending WHERE id = old.id;
END"
            .to_string(),
        ),
    ]
}

/// Refills the sums from the rows already in the file: emptied first, so that running it again
/// gives the same sums.
fn refill() -> String {
    let spread: Vec<String> = months()
        .map(|m| {
            format!(
                "sum((month = '{m}') * n), sum((month = '{m}') * planned), sum((month = '{m}') * actual)"
            )
        })
        .collect();
    let names: Vec<String> = months().map(|m| format!("s{m}, p{m}, a{m}")).collect();
    format!(
        "DELETE FROM activity_year;
DELETE FROM activity_unclean;
DELETE FROM activity_pending;
DELETE FROM activity_delta;
INSERT INTO activity_year (year, project_id, {names})
SELECT year, project_id, {spread}
  FROM (SELECT {y} AS year, a.project_id AS project_id, substr(a.held_on, 6, 2) AS month,
               count(*) AS n, sum(a.planned) AS planned, sum(a.actual) AS actual
          FROM activity a WHERE {clean} GROUP BY 1, 2, 3)
 GROUP BY year, project_id;
INSERT INTO activity_unclean (activity_id, year)
SELECT a.id, substr(a.held_on, 1, 4) FROM activity a WHERE {unclean};
",
        names = names.join(", "),
        spread = spread.join(",\n       "),
        y = year("a"),
        clean = CLEAN.sql("a"),
        unclean = unclean("a"),
    )
}

/// Creates (or re-creates) the summaries and refills them from the rows: any file, any time,
/// with the same result. Triggers written by an earlier version are replaced.
pub fn script() -> String {
    let mut sql = String::new();
    for name in TRIGGERS {
        sql.push_str(&format!("DROP TRIGGER IF EXISTS {name};\n"));
    }
    sql.push_str(&tables());
    for (_, create) in triggers() {
        sql.push_str(&create);
        sql.push_str(";\n");
    }
    sql.push_str(&refill());
    sql
}
