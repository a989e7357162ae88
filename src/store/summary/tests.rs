//! The summaries against the plain definition: on generated districts of several sizes, seeds
//! and days, on the demo district, after another tool's writes of every kind, and on files
//! where they cannot be trusted.

use super::*;
use crate::dates::parse_ymd;
use crate::generate::rng::Rng;
use crate::generate::{Spec, generate};
use crate::indicators::{compute, compute_day};
use crate::model::{District, Thresholds};
use crate::store::{Access, Store, load_demo, load_district};
use std::collections::HashMap;
use std::path::Path;

fn day(text: &str) -> NaiveDate {
    parse_ymd(text).expect("valid day")
}

/// Days that cut the year in different places, including both ends and the next year.
const DAYS: &[&str] = &[
    "2026-11-28",
    "2026-01-01",
    "2026-01-31",
    "2026-02-01",
    "2026-03-15",
    "2026-06-30",
    "2026-07-01",
    "2026-12-31",
    "2027-01-01",
    "2025-11-28",
];

fn without_activities(district: &District) -> District {
    District {
        activities: Vec::new(),
        ..district.clone()
    }
}

/// The fast path uses the summaries on `conn` for `today`, and every figure, every reported
/// problem and every other row read equals the plain definition's.
fn assert_agrees(conn: &Connection, today: NaiveDate, expect_summaries: bool, what: &str) {
    let thresholds = crate::store::read_thresholds(conn).expect("thresholds");
    let plain = load_district(conn, today.year());
    let fast = load_day(conn, today);
    let (plain, fast) = match (plain, fast) {
        (Ok(plain), Ok(fast)) => (plain, fast),
        (Err(_), Err(_)) => return, // both refuse the file (a value the contract forbids)
        (plain, fast) => panic!("{what} {today}: plain {plain:?}\nfast {fast:?}"),
    };
    assert_eq!(
        fast.from_summaries, expect_summaries,
        "{what} {today}: summaries used?"
    );
    assert_eq!(
        compute_day(&fast, today, &thresholds),
        compute(&plain, today, &thresholds),
        "{what} {today}"
    );
    assert_eq!(fast.district.problems, plain.problems, "{what} {today}");
    assert_eq!(fast.district, without_activities(&plain), "{what} {today}");
    assert_folded_agrees(conn, today, &plain, expect_summaries, what);
    assert_each_community_agrees(conn, today, &plain, what);
}

/// The projects folded per community by the aggregate SQL: the same fold as the plain
/// definition's over every row, the same figures and the same problems, in the same order.
pub(crate) fn assert_folded_agrees(
    conn: &Connection,
    today: NaiveDate,
    plain: &District,
    through_summaries: bool,
    what: &str,
) {
    let thresholds = crate::store::read_thresholds(conn).expect("thresholds");
    let folded = crate::store::load_day_folded(conn, today, &thresholds).expect("folded");
    assert!(folded.totals.is_some(), "{what} {today}: folded?");
    assert_eq!(
        folded.from_summaries, through_summaries,
        "{what} {today}: through the summaries?"
    );
    if let Some(totals) = &folded.totals {
        let fold = crate::indicators::Fold::new(today, &thresholds);
        let sums = crate::indicators::session_sums(&plain.activities, today);
        let mut expected =
            crate::indicators::ProjectTotals::from_rows(&plain.projects, &sums, &fold);
        expected.tidy();
        assert_eq!(
            totals.completion, expected.completion,
            "{what} {today}: completion"
        );
        assert_eq!(
            totals.unit_completion, expected.unit_completion,
            "{what} {today}: units"
        );
        assert_eq!(
            totals.unit_sessions, expected.unit_sessions,
            "{what} {today}: sessions"
        );
        assert_eq!(totals.overdue, expected.overdue, "{what} {today}: overdue");
        assert_eq!(
            totals.low_participation, expected.low_participation,
            "{what} {today}: low"
        );
        assert_eq!(totals, &expected, "{what} {today}: the fold");
        // Everything else is read as the plain read reads it.
        assert_eq!(
            District {
                projects: Vec::new(),
                ..folded.district.clone()
            },
            District {
                projects: Vec::new(),
                ..without_activities(plain)
            },
            "{what} {today}: folded"
        );
    }
    assert_eq!(
        compute_day(&folded, today, &thresholds),
        compute(plain, today, &thresholds),
        "{what} {today}: folded"
    );
    assert_eq!(
        folded.district.problems, plain.problems,
        "{what} {today}: folded"
    );
}

/// Each community read alone (its rows only) has the figures the whole district gives it, and
/// every problem it names is one the whole district names.
pub(crate) fn assert_each_community_agrees(
    conn: &Connection,
    today: NaiveDate,
    plain: &District,
    what: &str,
) {
    let thresholds = crate::store::read_thresholds(conn).expect("thresholds");
    let whole = compute(plain, today, &thresholds);
    let unknown = whole.communities.iter().map(|c| c.id).max().unwrap_or(0) + 1;
    for community in &whole.communities {
        let one = load_day_in(conn, today, Scope::Community(community.id)).expect("one community");
        assert_eq!(
            compute_day(&one, today, &thresholds).communities,
            vec![community.clone()],
            "{what} {today}: community {} read alone",
            community.id
        );
        for problem in &one.district.problems {
            assert!(
                plain.problems.contains(problem),
                "{what} {today}: {problem:?}"
            );
        }
    }
    let none = load_day_in(conn, today, Scope::Community(unknown)).expect("no such community");
    assert!(
        compute_day(&none, today, &thresholds)
            .communities
            .is_empty()
    );
}

fn generated(dir: &Path, communities: u32, projects: u32, activities: u32, seed: u64) -> Store {
    let path = dir.join(format!("g{communities}-{projects}-{activities}-{seed}.db"));
    let spec = Spec {
        communities,
        projects_per_community: projects,
        activities_per_project: activities,
        seed,
        today: day("2026-11-28"),
    };
    generate(&path, &spec).expect("generate");
    Store::open(&path, Access::ReadOnly).expect("open")
}

#[test]
fn agrees_with_the_definition_on_generated_districts() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (communities, projects, activities) in [(1, 5, 3), (4, 20, 6), (12, 30, 12)] {
        for seed in [1, 2, 9] {
            let store = generated(dir.path(), communities, projects, activities, seed);
            for today in DAYS {
                assert_agrees(
                    store.conn(),
                    day(today),
                    true,
                    &format!("{communities}x{projects}x{activities} seed {seed}"),
                );
            }
        }
    }
}

#[test]
fn agrees_with_the_definition_on_the_demo_district() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::create(&dir.path().join("demo.db")).expect("create");
    load_demo(&mut store, day(crate::store::DEMO_REFERENCE_DAY)).expect("demo");
    for today in DAYS {
        assert_agrees(store.conn(), day(today), true, "demo");
    }
    // Other thresholds move the flags; the sums are the same.
    store
        .conn()
        .execute_batch(
            "INSERT INTO setting VALUES ('participation_alert_pct', '95'),
                                        ('min_unit_activities', '6')",
        )
        .expect("settings");
    assert_agrees(
        store.conn(),
        day("2026-11-28"),
        true,
        "demo, other thresholds",
    );
}

/// The project rows the aggregate SQL does not fold (anything but plain integers, a real date
/// and a status of the contract as text) are read one by one: those the reader accepts (a
/// status stored as a blob) count with their sessions and are listed as the plain read lists
/// them, and those it refuses are named in the same order, while the summaries stay trusted.
#[test]
fn the_fold_in_sql_reads_odd_project_rows_as_the_plain_reader_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::create(&dir.path().join("demo.db")).expect("create");
    load_demo(&mut store, day(crate::store::DEMO_REFERENCE_DAY)).expect("demo");
    let path = store.path().to_path_buf();
    drop(store);
    let other = Connection::open(&path).expect("other tool");
    other
        .execute_batch("PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON;")
        .expect("pragma");
    let writes = [
        // Accepted as they are read: a status stored as a blob (overdue, flagged, done).
        "UPDATE project SET status = CAST(status AS BLOB) WHERE id IN (16, 23, 95)",
        "UPDATE project SET status = CAST('done' AS BLOB) WHERE id = 5",
        // Refused and named: a community, a unit, a date, a status outside the contract.
        "UPDATE project SET community_id = '2人' WHERE id = 7",
        "UPDATE project SET unit_id = x'01' WHERE id = 94",
        "UPDATE project SET due_on = '2026-02-30' WHERE id = 97",
        "UPDATE project SET due_on = x'323032362d30312d3031' WHERE id = 40",
        "UPDATE project SET status = 'Done' WHERE id = 103",
        "UPDATE project SET status = 5 WHERE id = 120",
        "UPDATE project SET community_id = 2.5 WHERE id = 123",
        // An orphan: a project of no community, with sessions.
        "UPDATE project SET community_id = 999 WHERE id = 130",
    ];
    for (i, write) in writes.iter().enumerate() {
        other.execute_batch(write).expect("write");
        let store = Store::open(&path, Access::ReadOnly).expect("open");
        for today in ["2026-11-28", "2026-03-15", "2026-01-01"] {
            assert_agrees(
                store.conn(),
                day(today),
                true,
                &format!("odd row {i}: {write}"),
            );
        }
    }
    // The same rows when the summaries cannot be trusted: the sessions are summed from the rows
    // before the projects are folded, and the notices keep the plain read's order.
    other
        .execute_batch(
            "DROP TRIGGER activity_summary_after_insert;
             UPDATE activity SET planned = '30人' WHERE held_on LIKE '2026%' AND id % 50 = 0;",
        )
        .expect("another tool");
    let store = Store::open(&path, Access::ReadOnly).expect("open");
    for today in ["2026-11-28", "2026-03-15"] {
        assert_agrees(store.conn(), day(today), false, "odd rows, no summaries");
    }
}

#[test]
fn sessions_for_the_sparklines_match_the_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = generated(dir.path(), 6, 25, 10, 3);
    for today in ["2026-11-28", "2026-03-01", "2027-01-01"] {
        let today = day(today);
        let district = load_district(store.conn(), today.year()).expect("plain");
        let report = compute(&district, today, &Thresholds::default());
        let flagged: Vec<i64> = report
            .communities
            .iter()
            .flat_map(|c| c.low_participation.iter().map(|p| p.project_id))
            .collect();
        assert!(!flagged.is_empty() || today == day("2027-01-01"));
        // What `read_snapshot` builds from the activity rows.
        let (first, _) = crate::dates::year_bounds(today);
        let mut expected: HashMap<i64, Vec<(NaiveDate, i64, i64)>> = HashMap::new();
        for a in &district.activities {
            if flagged.contains(&a.project_id) && a.held_on >= first && a.held_on <= today {
                expected
                    .entry(a.project_id)
                    .or_default()
                    .push((a.held_on, a.planned, a.actual));
            }
        }
        for list in expected.values_mut() {
            list.sort();
        }
        let got = crate::store::load_sessions(store.conn(), &flagged, today).expect("sessions");
        assert_eq!(got, expected, "{today}");
    }
}

/// The summary rows as they are, and as the version-3 script rebuilds them from the activity
/// rows (rows of zeros, left by sessions taken out, are not compared).
fn summary_and_rebuilt(conn: &Connection) -> (Vec<Vec<i64>>, Vec<Vec<i64>>) {
    let read = |conn: &Connection| -> Vec<Vec<i64>> {
        let mut stmt = conn
            .prepare("SELECT * FROM activity_year ORDER BY year, project_id")
            .expect("select");
        let columns = stmt.column_count();
        stmt.query_map([], |r| (0..columns).map(|i| r.get(i)).collect())
            .expect("rows")
            .map(|r| r.expect("row"))
            .filter(|row: &Vec<i64>| row[2..].iter().any(|v| *v != 0))
            .collect()
    };
    let now = read(conn);
    conn.execute_batch("SAVEPOINT rebuild;").expect("savepoint");
    conn.execute_batch(&crate::store::summary_sql::script())
        .expect("rebuild");
    let rebuilt = read(conn);
    conn.execute_batch("ROLLBACK TO rebuild; RELEASE rebuild;")
        .expect("rollback");
    (now, rebuilt)
}

fn assert_summary_exact(conn: &Connection, what: &str) {
    let (now, rebuilt) = summary_and_rebuilt(conn);
    assert!(
        now == rebuilt,
        "{what}: the triggers' sums drifted from the rows"
    );
}

fn unclean_years(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare("SELECT DISTINCT year FROM activity_unclean ORDER BY 1")
        .expect("select");
    stmt.query_map([], |r| r.get(0))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect()
}

/// A date for another tool's row: mostly real, around the years the figures look at, now and
/// then one the contract does not allow.
fn some_date(rng: &mut Rng) -> String {
    match rng.below(40) {
        0 => "2026-02-30".into(),
        1 => "2026-1-05".into(),
        2 => "2026-13-01".into(),
        3 => "not a date".into(),
        _ => {
            let start = day("2025-10-01");
            crate::dates::format_ymd(start + chrono::Days::new(rng.below(500)))
        }
    }
}

fn some_number(rng: &mut Rng) -> rusqlite::types::Value {
    use rusqlite::types::Value;
    match rng.below(60) {
        0 => Value::Text(" 12 ".into()),
        1 => Value::Real(12.5),
        _ => Value::Integer(rng.between(1, 60)),
    }
}

/// Another tool writes to the file with a plain connection, in every way SQL allows: inserts,
/// INSERT OR REPLACE / OR IGNORE over existing ids, updates of every column including the id,
/// UPDATE OR REPLACE, deletes, many rows at once, with and without recursive triggers. The
/// summaries stay exactly what the rows give, and the figures agree with the definition.
#[test]
fn another_tools_writes_keep_the_summaries_exact() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = generated(dir.path(), 3, 12, 8, 5);
    let path = store.path().to_path_buf();
    drop(store);
    let other = Connection::open(&path).expect("other tool");
    let mut rng = Rng::new(2024);
    let ids = |conn: &Connection| -> Vec<i64> {
        let mut stmt = conn.prepare("SELECT id FROM activity").expect("ids");
        stmt.query_map([], |r| r.get(0))
            .expect("rows")
            .map(|r| r.expect("id"))
            .collect()
    };
    for round in 0..60 {
        other
            .execute_batch(if rng.chance(0.3) {
                "PRAGMA recursive_triggers = ON;"
            } else {
                "PRAGMA recursive_triggers = OFF;"
            })
            .expect("pragma");
        for _ in 0..8 {
            let existing = ids(&other);
            let pick = |rng: &mut Rng| existing[rng.below(existing.len() as u64) as usize];
            let project = rng.between(1, 40); // some beyond the 36 projects: orphans
            let (held, planned, actual) = (
                some_date(&mut rng),
                some_number(&mut rng),
                rng.between(0, 60),
            );
            let result = match rng.below(10) {
                0 | 1 => other.execute(
                    "INSERT INTO activity (project_id, held_on, planned, actual) VALUES (?1, ?2, ?3, ?4)",
                    rusqlite::params![project, held, planned, actual],
                ),
                2 => other.execute(
                    "INSERT OR REPLACE INTO activity (id, project_id, held_on, planned, actual) VALUES (?1, ?2, ?3, ?4, ?5)",
                    rusqlite::params![pick(&mut rng), project, held, planned, actual],
                ),
                3 => other.execute(
                    "INSERT OR IGNORE INTO activity (id, project_id, held_on, planned, actual) VALUES (?1, ?2, ?3, ?4, ?5)",
                    rusqlite::params![pick(&mut rng), project, held, planned, actual],
                ),
                4 => other.execute(
                    "UPDATE activity SET held_on = ?2, actual = ?3 WHERE id = ?1",
                    rusqlite::params![pick(&mut rng), held, actual],
                ),
                5 => other.execute(
                    "UPDATE activity SET project_id = ?2, planned = ?3 WHERE id = ?1",
                    rusqlite::params![pick(&mut rng), project, planned],
                ),
                6 => other.execute(
                    "UPDATE OR REPLACE activity SET id = ?2 WHERE id = ?1",
                    rusqlite::params![pick(&mut rng), pick(&mut rng)],
                ),
                7 => other.execute(
                    "UPDATE activity SET id = (SELECT max(id) + 1 FROM activity) WHERE id = ?1",
                    [pick(&mut rng)],
                ),
                8 => other.execute("DELETE FROM activity WHERE id = ?1", [pick(&mut rng)]),
                _ => other.execute(
                    "INSERT OR REPLACE INTO activity (id, project_id, held_on, planned, actual)
                     SELECT id, project_id, date(held_on, '+1 month'), planned, actual + 1
                       FROM activity WHERE id % 17 = ?1 AND date(held_on, '+1 month') IS NOT NULL",
                    [rng.below(17) as i64],
                ),
            };
            // CHECK constraints may refuse a row (a real number is fine, a zero is not): then
            // nothing changed, and that must hold for the summaries too.
            let _ = result;
        }
        assert_summary_exact(&other, &format!("round {round}"));
        let mine = Store::open(&path, Access::ReadOnly).expect("open");
        for today in ["2026-11-28", "2026-04-15", "2026-12-31", "2027-02-01"] {
            let today = day(today);
            let unclean = unclean_years(mine.conn()).contains(&format!("{:04}", today.year()));
            assert_agrees(mine.conn(), today, !unclean, &format!("round {round}"));
        }
        if rng.chance(0.2) {
            // The office cleans up the rows the contract does not allow.
            other
                .execute_batch(
                    "DELETE FROM activity WHERE id IN (SELECT activity_id FROM activity_unclean);",
                )
                .expect("cleanup");
            assert!(unclean_years(&other).is_empty());
        }
    }
    let pending: i64 = other
        .query_row("SELECT count(*) FROM activity_delta", [], |r| r.get(0))
        .expect("count");
    assert_eq!(pending, 0, "the delta table is empty between statements");
}

#[test]
fn a_malformed_row_in_the_year_means_reading_the_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = generated(dir.path(), 2, 8, 5, 1);
    let conn = store.conn();
    let bad: i64 = {
        let other = Connection::open(store.path()).expect("other");
        other
            .execute(
                "INSERT INTO activity (project_id, held_on, planned, actual) VALUES (1, '2026-02-30', 10, 3)",
                [],
            )
            .expect("insert");
        other.last_insert_rowid()
    };
    // 2026: the row is reported, as the plain reading reports it; 2025 is untouched.
    assert_agrees(conn, day("2026-11-28"), false, "bad day in 2026");
    assert_agrees(conn, day("2025-11-28"), true, "2025");
    let problems = load_day(conn, day("2026-11-28"))
        .expect("day")
        .district
        .problems;
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].row_id, bad);

    // A number stored as text in the year: both readings leave the row out and name it.
    let other = Connection::open(store.path()).expect("other");
    other
        .execute(
            "UPDATE activity SET held_on = '2026-03-01', planned = 'x' WHERE id = ?1",
            [bad],
        )
        .expect("update");
    assert_agrees(conn, day("2026-11-28"), false, "text in planned");
    let problems = load_day(conn, day("2026-11-28"))
        .expect("day")
        .district
        .problems;
    assert_eq!(
        (problems.len(), problems[0].row_id, problems[0].column),
        (1, bad, "planned")
    );

    other
        .execute("DELETE FROM activity WHERE id = ?1", [bad])
        .expect("delete");
    assert_agrees(conn, day("2026-11-28"), true, "cleaned up");
}

#[test]
fn files_without_the_summaries_are_read_from_the_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = generated(dir.path(), 2, 8, 5, 1);
    let path = store.path().to_path_buf();
    drop(store);
    // Someone dropped a trigger: the summaries may be stale, so they are not used.
    let other = Connection::open(&path).expect("other");
    other
        .execute_batch(
            "DROP TRIGGER activity_summary_after_delete; DELETE FROM activity WHERE id < 5;",
        )
        .expect("drop");
    let store = Store::open(&path, Access::ReadOnly).expect("open");
    assert!(!has_summaries(store.conn()).expect("check"));
    assert_agrees(store.conn(), day("2026-11-28"), false, "trigger dropped");

    // A file another tool made, labelled with the current version but without the summaries.
    let conn = Connection::open(dir.path().join("bare.db")).expect("bare");
    conn.execute_batch(include_str!("../sql/v1_contract.sql"))
        .expect("contract");
    conn.execute_batch(
        "INSERT INTO street VALUES (1, '西江街道');
         INSERT INTO community VALUES (1, 1, '石羊塘社区');
         INSERT INTO project VALUES (1, 1, NULL, '健康讲座', '2026-06-30', 'active', NULL);
         INSERT INTO activity VALUES (1, 1, '2026-03-01', 10, 4);",
    )
    .expect("rows");
    assert!(!has_summaries(&conn).expect("check"));
    assert_agrees(&conn, day("2026-11-28"), false, "bare file");
}

#[test]
fn upgrading_an_older_file_fills_the_summaries_from_its_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("v2.db");
    {
        let conn = Connection::open(&path).expect("v2 file");
        conn.execute_batch(include_str!("../sql/v1_contract.sql"))
            .expect("v1");
        conn.execute_batch(include_str!("../sql/v2_program.sql"))
            .expect("v2");
        conn.execute_batch(include_str!("../../../fixtures/demo.sql"))
            .expect("demo rows");
        conn.execute(
            "INSERT INTO activity (project_id, held_on, planned, actual) VALUES (1, '2025-02-29', 5, 5)",
            [],
        )
        .expect("a malformed day, last year");
        conn.pragma_update(None, "user_version", 2)
            .expect("version");
    }
    let store = Store::open(&path, Access::ReadWrite).expect("upgrades");
    assert!(has_summaries(store.conn()).expect("check"));
    assert_summary_exact(store.conn(), "after the upgrade");
    assert_eq!(unclean_years(store.conn()), vec!["2025".to_string()]);
    for today in DAYS {
        let today = day(today);
        assert_agrees(store.conn(), today, today.year() != 2025, "upgraded demo");
    }
}

#[test]
fn the_bulk_load_gives_what_the_triggers_give() {
    let dir = tempfile::tempdir().expect("tempdir");
    // `generate` writes through `bulk_load`; the rebuild from the rows is the triggers' result
    // by the test above, so equal sums here mean equal summaries.
    let store = generated(dir.path(), 5, 15, 7, 11);
    assert!(has_summaries(store.conn()).expect("check"));
    assert_summary_exact(
        &Connection::open(store.path()).expect("writable"),
        "generated",
    );
    let index: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'activity_window'",
            [],
            |r| r.get(0),
        )
        .expect("index");
    assert_eq!(index, 1);
}

#[test]
fn sums_the_months_before_this_one() {
    assert_eq!(
        months_before_sql(3),
        "SELECT project_id, s01 + s02, p01 + p02, a01 + a02 FROM activity_year WHERE year = ?1"
    );
    assert!(months_before_sql(12).contains("s11, p01"));
}

/// Files in the wild hold the summaries in this layout (one column per month, not running
/// sums). Changing it means a new schema version that rebuilds them, never an edit of version 3.
#[test]
fn the_summary_layout_is_one_column_per_month() {
    let conn = Connection::open_in_memory().expect("memory");
    conn.execute_batch(include_str!("../sql/v1_contract.sql"))
        .expect("v1");
    conn.execute_batch(&crate::store::summary_sql::script())
        .expect("v3");
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         INSERT INTO activity (project_id, held_on, planned, actual) VALUES
             (7, '2026-03-05', 10, 4), (7, '2026-03-20', 6, 6), (7, '2026-05-01', 3, 1);",
    )
    .expect("rows");
    let row: Vec<i64> = conn
        .query_row(
            "SELECT s02, s03, p03, a03, s04, s05, p05, a05, s12 FROM activity_year
              WHERE year = 2026 AND project_id = 7",
            [],
            |r| (0..9).map(|i| r.get(i)).collect(),
        )
        .expect("summary row");
    assert_eq!(row, vec![0, 2, 16, 10, 0, 1, 3, 1, 0]);
}

/// Issue 14.7: SQLite's `length` and `GLOB` stop at a NUL, the Rust date check does not. The
/// summaries' clean-row test is written from the Rust one, so a date with a NUL after ten
/// characters is unclean in both and the figures agree with the plain read.
#[test]
fn a_date_with_a_nul_byte_is_unclean_in_the_summaries_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = generated(dir.path(), 2, 8, 5, 1);
    let conn = store.conn();
    let other = Connection::open(store.path()).expect("other");
    other
        .execute(
            "INSERT INTO activity (project_id, held_on, planned, actual)
             VALUES (1, '2026-03-01' || char(0) || 'x', 10, 3)",
            [],
        )
        .expect("insert");
    let bad = other.last_insert_rowid();
    assert_agrees(conn, day("2026-11-28"), false, "NUL in a date");
    let problems = load_day(conn, day("2026-11-28"))
        .expect("day")
        .district
        .problems;
    assert_eq!((problems.len(), problems[0].row_id), (1, bad));
    assert_summary_exact(&other, "NUL in a date");
}

/// The clean-row test in SQL says what the Rust one says, on dates and numbers of every kind.
#[test]
fn the_clean_row_test_in_sql_agrees_with_the_rust_one() {
    use crate::store::rows::activity::CLEAN;
    use rusqlite::types::Value;
    let conn = Connection::open_in_memory().expect("memory");
    conn.execute_batch(
        "CREATE TABLE a (id INTEGER PRIMARY KEY, project_id, held_on, planned, actual)",
    )
    .expect("table");
    let dates: Vec<Value> = vec![
        Value::Text("2026-03-01".into()),
        Value::Text("2026-02-29".into()),
        Value::Text("2024-02-29".into()),
        Value::Text("2026-13-01".into()),
        Value::Text("2026-3-01".into()),
        Value::Text("2026-03-01\0x".into()),
        Value::Text("2026-03\0-01".into()),
        Value::Text("0000-01-01".into()),
        Value::Blob(b"2026-03-01".to_vec()),
        Value::Integer(20260301),
        Value::Null,
    ];
    let numbers: Vec<Value> = vec![
        Value::Integer(0),
        Value::Integer(1),
        Value::Integer(i64::from(i32::MAX)),
        Value::Integer(i64::from(i32::MAX) + 1),
        Value::Integer(-1),
        Value::Real(7.5),
        Value::Text("30人".into()),
        Value::Text("30".into()),
        Value::Blob(vec![1]),
        Value::Null,
    ];
    let mut id = 0;
    for date in &dates {
        for number in &numbers {
            id += 1;
            conn.execute(
                "INSERT INTO a VALUES (?1, 1, ?2, ?3, ?3)",
                rusqlite::params![id, date, number],
            )
            .expect("insert");
        }
    }
    let sql = format!(
        "SELECT id, project_id, held_on, planned, actual, {} FROM a",
        CLEAN.sql("a")
    );
    let mut stmt = conn.prepare(&sql).expect("prepare");
    let mut rows = stmt.query([]).expect("query");
    let mut seen = 0;
    while let Some(row) = rows.next().expect("row") {
        let in_sql: bool = row.get(5).expect("flag");
        let in_rust = CLEAN.check(row).expect("check").is_ok();
        assert_eq!(in_sql, in_rust, "row {:?}", row.get_ref(2));
        seen += 1;
    }
    assert_eq!(seen, id);
}
