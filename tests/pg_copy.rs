//! `gongjian copy FROM TO` between an SQLite file and PostgreSQL, both ways: a district
//! carried there and back is the same file row for row, and gives the same JSON report; a
//! non-empty target is refused untouched; a value PostgreSQL cannot hold stops the copy.

mod pg_server;

use rusqlite::types::Value;
use std::path::Path;
use std::process::{Command, Output};

const TODAY: &str = "2026-11-30";

fn gongjian(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongjian"))
        .args(args)
        .env_remove("GONGJIAN_DB")
        .env("GONGJIAN_LANG", "en")
        .output()
        .expect("gongjian runs")
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every row of every table of the district, as stored.
fn rows(path: &Path) -> Vec<(String, Vec<Vec<Value>>)> {
    let conn = rusqlite::Connection::open(path).expect("open");
    gongjian::store::copy::TABLES
        .iter()
        .map(|table| {
            let key = if *table == "setting" { "key" } else { "id" };
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM {table} ORDER BY {key}"))
                .expect("prepare");
            let n = stmt.column_count();
            let all = stmt
                .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
                .expect("query")
                .collect::<rusqlite::Result<Vec<Vec<Value>>>>()
                .expect("rows");
            (table.to_string(), all)
        })
        .collect()
}

fn report(path: &Path) -> String {
    ok(gongjian(&[
        "--db",
        path.to_str().expect("utf-8"),
        "--today",
        TODAY,
        "report",
        "--format",
        "json",
    ]))
}

/// File → PostgreSQL → a new file: the same rows and the same report.
fn round_trip(original: &Path) {
    let Some(db) = pg_server::fresh_db() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let back = dir.path().join("back.db");
    let said = ok(gongjian(&["copy", original.to_str().expect("utf-8"), &db]));
    assert!(said.contains("same row count"), "{said}");
    ok(gongjian(&["copy", &db, back.to_str().expect("utf-8")]));
    let (before, after) = (rows(original), rows(&back));
    for ((table, a), (_, b)) in before.iter().zip(&after) {
        assert_eq!(a.len(), b.len(), "{table}: row count");
        assert!(a == b, "{table}: rows differ after the round trip");
    }
    assert!(before.iter().any(|(_, r)| !r.is_empty()));
    assert_eq!(report(original), report(&back));
}

#[test]
fn the_demo_goes_there_and_back_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo.db");
    ok(gongjian(&[
        "--today",
        TODAY,
        "init",
        demo.to_str().expect("utf-8"),
        "--demo",
    ]));
    // A log entry, so that the log is carried too.
    ok(gongjian(&[
        "--db",
        demo.to_str().expect("utf-8"),
        "--today",
        TODAY,
        "--operator",
        "王",
        "adjust",
        "pause",
        "--project",
        "1",
        "--reason",
        "等待场地",
    ]));
    round_trip(&demo);
}

#[test]
fn a_generated_district_goes_there_and_back_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("gen.db");
    ok(gongjian(&[
        "--today",
        TODAY,
        "generate",
        "--communities",
        "10",
        "--projects-per-community",
        "20",
        "--activities-per-project",
        "5",
        file.to_str().expect("utf-8"),
    ]));
    round_trip(&file);
}

#[test]
fn a_non_empty_target_is_refused_untouched() {
    let Some(db) = pg_server::fresh_db() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo.db");
    let other = dir.path().join("other.db");
    ok(gongjian(&[
        "--today",
        TODAY,
        "init",
        demo.to_str().expect("utf-8"),
        "--demo",
    ]));
    ok(gongjian(&[
        "--today",
        TODAY,
        "init",
        other.to_str().expect("utf-8"),
        "--demo",
    ]));
    ok(gongjian(&["copy", demo.to_str().expect("utf-8"), &db]));
    // Into the database again: refused, still the rows of the first copy.
    let out = gongjian(&["copy", other.to_str().expect("utf-8"), &db]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not empty"), "{err}");
    // Into a file that holds a district: refused, the file unchanged.
    let before = std::fs::read(&other).expect("read");
    let out = gongjian(&["copy", &db, other.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not empty"));
    assert_eq!(before, std::fs::read(&other).expect("read"));
    // Into a file holding an empty district (gongjian init): accepted.
    let empty = dir.path().join("empty.db");
    ok(gongjian(&["init", empty.to_str().expect("utf-8")]));
    ok(gongjian(&["copy", &db, empty.to_str().expect("utf-8")]));
    assert_eq!(rows(&demo), rows(&empty));
}

#[test]
fn a_value_postgresql_cannot_hold_stops_the_copy_naming_the_row() {
    let Some(db) = pg_server::fresh_db() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo.db");
    ok(gongjian(&[
        "--today",
        TODAY,
        "init",
        demo.to_str().expect("utf-8"),
        "--demo",
    ]));
    // Another tool wrote a count with its unit, which the file's loose typing keeps.
    let conn = rusqlite::Connection::open(&demo).expect("open");
    conn.execute("UPDATE meeting SET attendees = '30人' WHERE id = 2", [])
        .expect("write");
    drop(conn);
    let out = gongjian(&["copy", demo.to_str().expect("utf-8"), &db]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("row 2 of table meeting holds 30人 in column attendees"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
    // Nothing was copied: the database holds an empty district, and a later copy may go in.
    let mut client = postgres::Client::connect(&db, postgres::NoTls).expect("connect");
    let n: i64 = client
        .query_one("SELECT count(*) FROM street", &[])
        .expect("count")
        .get(0);
    assert_eq!(n, 0);
}

#[test]
fn a_password_on_the_command_line_is_refused() {
    let out = gongjian(&["copy", "a.db", "postgres://jie:hunter2@localhost/district"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("holds a password") && !err.contains("hunter2"),
        "{err}"
    );
}

/// The JSON report of `src` for TODAY.
fn json(src: &dyn gongjian::store::rows::Source) -> gongjian::error::Result<String> {
    let today = gongjian::dates::parse_ymd(TODAY).expect("day");
    let built = gongjian::report::build_on(src, today, gongjian::store::Scope::District)?;
    Ok(gongjian::report::render(
        &built.report,
        gongjian::report::Format::Json,
        gongjian::i18n::Lang::En,
    ))
}

#[test]
fn the_copy_and_its_check_read_one_snapshot_while_others_write() {
    use gongjian::store::copy::{Place, copy};
    use gongjian::store::pg::{Given, PgUrl};
    let Some(db) = pg_server::fresh_db() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo.db");
    ok(gongjian(&[
        "--today",
        TODAY,
        "init",
        demo.to_str().expect("utf-8"),
        "--demo",
    ]));
    let meeting = "INSERT INTO meeting (community_id, kind, held_on, attendees, note)
                   VALUES (2, 'quarterly', '2026-02-15', 9, 'another terminal')";
    // File → database: another terminal writes to the file while the check reads it.
    let to = Place::Server(Box::new(
        PgUrl::parse(&db, Given::CommandLine).expect("url"),
    ));
    let copied = copy(&Place::File(demo.clone()), &to, &|src| {
        let other = rusqlite::Connection::open(&demo).expect("other terminal");
        other.execute(meeting, []).expect("write");
        json(src)
    })
    .expect("copied");
    let mut store = gongjian::store::pg::PgStore::open(
        &PgUrl::parse(&db, Given::CommandLine).expect("url"),
        gongjian::store::Access::ReadOnly,
    )
    .expect("open");
    let target = store.read(json).expect("target's report");
    assert!(copied.source_check == target, "the check saw a later write");
    // Database → file: another terminal writes to the database meanwhile.
    let back = dir.path().join("back.db");
    let copied = copy(&to, &Place::File(back.clone()), &|src| {
        let mut other = postgres::Client::connect(&db, postgres::NoTls).expect("other");
        other.batch_execute(meeting).expect("write");
        json(src)
    })
    .expect("copied back");
    let store =
        gongjian::store::Store::open(&back, gongjian::store::Access::ReadOnly).expect("open");
    assert!(copied.source_check == json(store.conn()).expect("report"));
    // The writes happened: both sources now hold one meeting more than their copies.
    let count = |path: &Path| -> i64 {
        rusqlite::Connection::open(path)
            .expect("open")
            .query_row("SELECT count(*) FROM meeting", [], |r| r.get(0))
            .expect("count")
    };
    assert_eq!(count(&demo), count(&back) + 1);
}
