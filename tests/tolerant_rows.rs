//! One bad cell written by another tool is a notice about its row, never a failed command
//! (issue 14, findings 4 and 5): numbers that are not numbers, blobs, and names in another
//! encoding, through the real binary.

mod common;

use common::bin;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-11-28";

fn demo_db(dir: &Path) -> PathBuf {
    let path = dir.join("demo.db");
    let out = bin()
        .args(["--today", TODAY, "init", "--demo"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    path
}

fn run(db: &Path, args: &[&str]) -> std::process::Output {
    bin()
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY])
        .args(args)
        .output()
        .expect("runs")
}

/// Another tool's write, with no foreign-key checks (as the `sqlite3` shell by default).
fn write(db: &Path, sql: &str) {
    let conn = Connection::open(db).expect("open");
    conn.execute_batch("PRAGMA foreign_keys = OFF")
        .expect("pragma");
    conn.execute_batch(sql).expect("write");
}

#[test]
fn a_bad_number_anywhere_is_a_notice_about_its_row() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "UPDATE activity SET planned = '30人' WHERE held_on LIKE '2026%'",
            "activity",
            "planned",
        ),
        (
            "UPDATE activity SET planned = 7.5 WHERE held_on LIKE '2026%'",
            "activity",
            "planned",
        ),
        (
            "UPDATE activity SET actual = x'00ff' WHERE held_on LIKE '2026%'",
            "activity",
            "actual",
        ),
        (
            "UPDATE project SET community_id = '一' WHERE id = 1",
            "project",
            "community_id",
        ),
        (
            "UPDATE project SET unit_id = x'01' WHERE id = 1",
            "project",
            "unit_id",
        ),
        (
            "UPDATE community SET street_id = '一' WHERE id = 2",
            "community",
            "street_id",
        ),
        (
            "UPDATE resource SET times_used = x'01' WHERE id = 1",
            "resource",
            "times_used",
        ),
        (
            "UPDATE contract SET unit_id = 2.5 WHERE id = 1",
            "contract",
            "unit_id",
        ),
        (
            "UPDATE meeting SET community_id = '一' WHERE held_on LIKE '2026%'",
            "meeting",
            "community_id",
        ),
        (
            "UPDATE meeting SET held_on = x'32303236' WHERE id = 1",
            "meeting",
            "held_on",
        ),
        (
            "UPDATE activity SET held_on = x'323032362d30332d3031' WHERE id = 1",
            "activity",
            "held_on",
        ),
    ];
    for (sql, table, column) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = demo_db(dir.path());
        write(&db, sql);
        let out = run(&db, &["--lang", "en", "report", "--format", "json"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{sql}: {stderr}");
        let _: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert!(
            stderr.contains(&format!("note: {table} row"))
                && stderr.contains(&format!("has {column} =")),
            "{sql}: {stderr}"
        );
    }
}

#[test]
fn an_import_reads_past_a_blob_in_a_row_it_does_not_touch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    write(
        &db,
        "UPDATE project SET unit_id = x'01' WHERE id = 1;
         UPDATE activity SET planned = x'02' WHERE id = 1;",
    );
    let sheet = dir.path().join("meetings.csv");
    std::fs::write(
        &sheet,
        "社区,会议类型,召开日期\n石羊塘社区,其他,2026-11-28\n",
    )
    .expect("write");
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["--today", TODAY, "--lang", "en", "import"])
        .arg(&sheet)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("Invalid column type"), "{stderr}");
    // Projects and activities are not read for a meetings sheet; with an activities sheet both
    // unreadable rows are named and the import goes on.
    let sheet = dir.path().join("activities.csv");
    std::fs::write(
        &sheet,
        "社区,项目名称,活动日期,计划人数,实际人数\n石羊塘社区,飞线充电整治,2026-11-20,10,8\n",
    )
    .expect("write");
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["--today", TODAY, "--lang", "en", "import", "--dry-run"])
        .arg(&sheet)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("note: project row 1 has unit_id = \"x'01'\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: activity row 1 has planned"),
        "{stderr}"
    );
}

#[test]
fn a_name_in_another_encoding_is_shown_with_the_replacement_character() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    // 社区 in GBK: not UTF-8.
    write(
        &db,
        "UPDATE community SET name = CAST(x'c9e7c7f8' AS TEXT) WHERE id = 1;
         UPDATE unit SET name = CAST(x'c9e7c7f8' AS TEXT) WHERE id = 1;
         UPDATE project SET title = CAST(x'c9e7c7f8' AS TEXT) WHERE id = 1;
         INSERT INTO review (id, started_at, ended_at, operator, street_id)
              VALUES (1, '2026-11-27T01:00:00Z', '2026-11-27T02:00:00Z', CAST(x'c9e7' AS TEXT), NULL);
         INSERT INTO review_item (review_id, community_id, outcome, at)
              VALUES (1, 1, 'covered', '2026-11-27T01:30:00Z');
         INSERT INTO decision (review_id, community_id, text, owner, due_on, created_at, created_by)
              VALUES (1, 1, CAST(x'c9e7c7f8' AS TEXT), CAST(x'c9e7' AS TEXT), '2026-12-01',
                      '2026-11-27T01:40:00Z', 'x');",
    );
    let out = run(&db, &["report", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains('\u{fffd}'));

    let minutes = dir.path().join("m.md");
    let out = run(&db, &["review", "--export"]);
    assert!(!out.status.success(), "--export needs a file");
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args([
            "--today",
            TODAY,
            "review",
            "--since",
            "2026-11-20",
            "--export",
        ])
        .arg(&minutes)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&minutes).expect("minutes");
    assert!(text.contains('\u{fffd}'), "{text}");
}
