//! The report on PostgreSQL: the same JSON, byte for byte, as from the file the district was
//! copied from, for the demo and for generated districts of 10, 100 and 1,000 communities, for
//! the district and for one community, and with rows another tool wrote badly (named the same).

mod pg_server;

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

fn ok(out: Output) -> (String, String) {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn report(db: &str, extra: &[&str]) -> (String, String) {
    let mut args = vec!["--db", db, "--today", TODAY, "report", "--format", "json"];
    args.extend_from_slice(extra);
    ok(gongjian(&args))
}

/// Copies `file` to a fresh database and compares the reports (and the problems named).
fn same_report(file: &Path, communities: &[&str]) {
    let Some(db) = pg_server::fresh_db() else {
        return;
    };
    let file = file.to_str().expect("utf-8");
    ok(gongjian(&["copy", file, &db]));
    let (from_file, problems_file) = report(file, &[]);
    let (from_server, problems_server) = report(&db, &[]);
    assert!(from_file.len() > 100);
    assert!(from_file == from_server, "the JSON reports differ");
    assert_eq!(problems_file, problems_server);
    for id in communities {
        let one = ["--community", id];
        assert_eq!(report(file, &one), report(&db, &one), "community {id}");
    }
}

fn generated(communities: &str, projects: &str, activities: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("gen.db");
    ok(gongjian(&[
        "--today",
        TODAY,
        "generate",
        "--communities",
        communities,
        "--projects-per-community",
        projects,
        "--activities-per-project",
        activities,
        file.to_str().expect("utf-8"),
    ]));
    dir
}

#[test]
fn the_demo_reports_the_same_on_both_engines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo.db");
    ok(gongjian(&[
        "--today",
        TODAY,
        "init",
        demo.to_str().expect("utf-8"),
        "--demo",
    ]));
    same_report(&demo, &["1", "3"]);
}

#[test]
fn generated_districts_report_the_same_on_both_engines() {
    for (communities, projects, activities) in
        [("10", "30", "10"), ("100", "10", "5"), ("1000", "3", "3")]
    {
        let dir = generated(communities, projects, activities);
        same_report(&dir.path().join("gen.db"), &["2"]);
    }
}

#[test]
fn rows_another_tool_wrote_badly_are_named_the_same_on_both_engines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo.db");
    ok(gongjian(&[
        "--today",
        TODAY,
        "init",
        demo.to_str().expect("utf-8"),
        "--demo",
    ]));
    let conn = rusqlite::Connection::open(&demo).expect("open");
    conn.execute_batch(
        "UPDATE project SET due_on = '2026/12/31' WHERE id = 2;
         UPDATE activity SET held_on = '2026-02-30' WHERE id = 3;
         UPDATE activity SET held_on = '2026-02-29' WHERE id = 4;
         UPDATE activity SET held_on = '2026-1-05' WHERE id = 5;
         UPDATE activity SET held_on = '2026-11-31' WHERE id = 6;
         UPDATE activity SET held_on = '2026-10-31' WHERE id = 7;
         UPDATE activity SET held_on = '2026-12-15' WHERE id = 8;
         UPDATE meeting SET held_on = '2026-13-01' WHERE id = 1;
         INSERT INTO setting (key, value) VALUES ('another_tools_key', 'x');",
    )
    .expect("bad rows");
    drop(conn);
    let (_, problems) = report(demo.to_str().expect("utf-8"), &[]);
    assert!(problems.contains("due_on"), "{problems}");
    same_report(&demo, &["1"]);
}

#[test]
fn an_unknown_community_is_refused_the_same_way() {
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
    ok(gongjian(&["copy", demo.to_str().expect("utf-8"), &db]));
    let a = gongjian(&[
        "--db",
        demo.to_str().expect("utf-8"),
        "report",
        "--community",
        "999",
    ]);
    let b = gongjian(&["--db", &db, "report", "--community", "999"]);
    assert_eq!(a.status.code(), Some(1));
    assert_eq!(b.status.code(), Some(1));
    assert_eq!(a.stderr, b.stderr);
}

#[test]
fn the_assessment_is_the_same_on_both_engines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo.db");
    ok(gongjian(&[
        "--today",
        TODAY,
        "init",
        demo.to_str().expect("utf-8"),
        "--demo",
    ]));
    let Some(db) = pg_server::fresh_db() else {
        return;
    };
    let file = demo.to_str().expect("utf-8");
    ok(gongjian(&["copy", file, &db]));
    for extra in [
        vec!["--format", "json"],
        vec!["--format", "md"],
        vec!["--community", "1"],
        vec!["--year", "2026", "--format", "json"],
    ] {
        let run = |db: &str| {
            let mut args = vec!["--db", db, "--today", TODAY, "assess"];
            args.extend_from_slice(&extra);
            ok(gongjian(&args))
        };
        let (a, b) = (run(file), run(&db));
        assert!(a.0.len() > 50, "{extra:?}: {}", a.0);
        assert_eq!(a, b, "{extra:?}");
    }
}

#[test]
fn the_export_is_the_same_on_both_engines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo.db");
    ok(gongjian(&[
        "--today",
        TODAY,
        "init",
        demo.to_str().expect("utf-8"),
        "--demo",
    ]));
    let Some(db) = pg_server::fresh_db() else {
        return;
    };
    let file = demo.to_str().expect("utf-8");
    ok(gongjian(&["copy", file, &db]));
    let export = |db: &str, name: &str| {
        let out = dir.path().join(name);
        ok(gongjian(&[
            "--db",
            db,
            "--today",
            TODAY,
            "export",
            out.to_str().expect("utf-8"),
        ]));
        std::fs::read(out).expect("exported")
    };
    let (a, b) = (export(file, "a.csv"), export(&db, "b.csv"));
    assert!(a.len() > 100);
    assert_eq!(a, b);
    assert!(!export(&db, "c.xlsx").is_empty());
}
