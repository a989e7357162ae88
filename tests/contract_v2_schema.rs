//! Contract version 2 (survey, member, service, assessment, project.need_id) reaches every file:
//! ours at each older schema version, and files other tools made that already hold some of it.

mod common;

use common::{CONTRACT_SQL, bytes, foreign_tool_file};
use gongjian::error::Error;
use gongjian::store::{Access, KNOWN_VERSION, Store};
use rusqlite::Connection;
use std::path::Path;

/// gongjian's own scripts before contract version 2, in order (version 1 is the contract).
const PROGRAM_SQL: &[&str] = &[
    include_str!("../src/store/sql/v2_program.sql"),
    include_str!("../src/store/sql/v3_summaries.sql"),
    include_str!("../src/store/sql/v4_review.sql"),
];

fn version(conn: &Connection) -> i64 {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version")
}

fn columns(conn: &Connection, table: &str) -> Vec<String> {
    let mut stmt = conn
        .prepare(&format!("PRAGMA table_info({table})"))
        .expect("table_info");
    stmt.query_map([], |r| r.get::<_, String>(1))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("columns")
}

/// The file has every version-2 table and column, with the contract's checks in force.
fn assert_contract_v2(conn: &Connection) {
    assert_eq!(version(conn), KNOWN_VERSION);
    for (table, expected) in [
        (
            "survey",
            &["id", "project_id", "held_on", "respondents", "satisfied"][..],
        ),
        (
            "member",
            &[
                "id",
                "community_id",
                "unit_id",
                "name",
                "registered_on",
                "left_on",
            ],
        ),
        (
            "service",
            &[
                "id",
                "member_id",
                "served_on",
                "minutes",
                "project_id",
                "note",
            ],
        ),
        (
            "assessment",
            &[
                "id",
                "year",
                "subject",
                "subject_id",
                "assessor",
                "grade",
                "note",
            ],
        ),
    ] {
        let present = columns(conn, table);
        for column in expected {
            assert!(present.iter().any(|p| p == column), "{table}.{column}");
        }
    }
    assert!(columns(conn, "project").iter().any(|c| c == "need_id"));
}

/// The checks the contract prints are in force (each insert breaks one of them).
fn assert_checks(conn: &Connection) {
    for bad in [
        "INSERT INTO survey (project_id, held_on, respondents, satisfied) VALUES (1, '2026-05-01', 0, 0)",
        "INSERT INTO survey (project_id, held_on, respondents, satisfied) VALUES (1, '2026-05-01', 10, 11)",
        "INSERT INTO survey (project_id, held_on, respondents, satisfied) VALUES (1, '2026-05-01', 10, -1)",
        "INSERT INTO service (member_id, served_on, minutes) VALUES (1, '2026-05-01', 0)",
        "INSERT INTO assessment (year, subject, subject_id, assessor, grade) VALUES (2026, 'street', 1, 'self', 'good')",
        "INSERT INTO assessment (year, subject, subject_id, assessor, grade) VALUES (2026, 'unit', 1, 'boss', 'good')",
        "INSERT INTO assessment (year, subject, subject_id, assessor, grade) VALUES (2026, 'unit', 1, 'self', 'great')",
    ] {
        assert!(conn.execute(bad, []).is_err(), "accepted: {bad}");
    }
    conn.execute_batch(
        "INSERT INTO assessment (year, subject, subject_id, assessor, grade) VALUES (2030, 'unit', 1, 'self', 'good');",
    )
    .expect("a valid grade");
    assert!(
        conn.execute(
            "INSERT INTO assessment (year, subject, subject_id, assessor, grade) VALUES (2030, 'unit', 1, 'self', 'poor')",
            [],
        )
        .is_err(),
        "one grade per year, subject and assessor"
    );
}

/// A file as gongjian left it at `version` (1 to 4): the contract plus its own scripts.
fn program_file(dir: &Path, version: i64) -> std::path::PathBuf {
    let path = foreign_tool_file(dir, &format!("v{version}.db"), version);
    let conn = Connection::open(&path).expect("open");
    for script in &PROGRAM_SQL[..usize::try_from(version - 1).expect("version >= 1")] {
        conn.execute_batch(script).expect("older script");
    }
    path
}

#[test]
fn every_older_version_of_ours_is_upgraded_with_rows_kept() {
    for start in 1..KNOWN_VERSION {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = program_file(dir.path(), start);
        let store = Store::open(&path, Access::ReadWrite).expect("upgraded");
        let conn = store.conn();
        assert_contract_v2(conn);
        let (projects, linked): (i64, i64) = conn
            .query_row("SELECT count(*), count(need_id) FROM project", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .expect("count");
        assert_eq!((projects, linked), (2, 0), "from version {start}");
        assert_checks(conn);
    }
}

#[test]
fn a_fresh_file_has_contract_version_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::create(&dir.path().join("new.db")).expect("create");
    assert_contract_v2(store.conn());
    assert_checks(store.conn());
}

#[test]
fn a_foreign_file_that_already_has_all_of_version_2_is_adopted_as_it_is() {
    for start in [0, 1] {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("full.db");
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch(CONTRACT_SQL).expect("v1");
        conn.execute_batch(
            "ALTER TABLE project ADD COLUMN need_id INTEGER REFERENCES need(id);
             CREATE TABLE survey (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL REFERENCES project(id),
                 held_on TEXT NOT NULL, respondents INTEGER NOT NULL CHECK (respondents > 0),
                 satisfied INTEGER NOT NULL CHECK (satisfied >= 0 AND satisfied <= respondents));
             CREATE TABLE member (id INTEGER PRIMARY KEY, community_id INTEGER NOT NULL REFERENCES community(id),
                 unit_id INTEGER REFERENCES unit(id), name TEXT NOT NULL, registered_on TEXT NOT NULL, left_on TEXT);
             CREATE TABLE service (id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL REFERENCES member(id),
                 served_on TEXT NOT NULL, minutes INTEGER NOT NULL CHECK (minutes > 0),
                 project_id INTEGER REFERENCES project(id), note TEXT NOT NULL DEFAULT '');
             CREATE TABLE assessment (id INTEGER PRIMARY KEY, year INTEGER NOT NULL,
                 subject TEXT NOT NULL CHECK (subject IN ('community','unit','contract')),
                 subject_id INTEGER NOT NULL,
                 assessor TEXT NOT NULL CHECK (assessor IN ('self','community','third_party')),
                 grade TEXT NOT NULL CHECK (grade IN ('excellent','good','fair','poor')),
                 note TEXT NOT NULL DEFAULT '', UNIQUE (year, subject, subject_id, assessor));
             INSERT INTO street VALUES (1, '西江街道');
             INSERT INTO community VALUES (1, 1, '石羊塘社区');
             INSERT INTO unit VALUES (1, '区人民医院', '医院');
             INSERT INTO need VALUES (1, 1, '老年助餐', '2026-03-01', 'survey');
             INSERT INTO project (id, community_id, unit_id, title, due_on, status, need_id)
                  VALUES (1, 1, 1, '长者食堂', '2026-09-30', 'active', 1);
             INSERT INTO survey VALUES (1, 1, '2026-06-01', 50, 29);
             INSERT INTO member VALUES (1, 1, 1, '王芳', '2026-01-05', NULL);
             INSERT INTO service VALUES (1, 1, '2026-06-02', 90, 1, '助餐');
             INSERT INTO assessment VALUES (1, 2026, 'unit', 1, 'self', 'excellent', '');",
        )
        .expect("version-2 schema and rows");
        conn.pragma_update(None, "user_version", start)
            .expect("version");
        drop(conn);
        let store = Store::open(&path, Access::ReadWrite).expect("adopted");
        let conn = store.conn();
        assert_contract_v2(conn);
        let kept: (i64, i64, i64, i64, i64) = conn
            .query_row(
                "SELECT (SELECT need_id FROM project WHERE id = 1),
                        (SELECT satisfied FROM survey WHERE id = 1),
                        (SELECT count(*) FROM member),
                        (SELECT minutes FROM service WHERE id = 1),
                        (SELECT count(*) FROM assessment)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .expect("rows");
        assert_eq!(kept, (1, 29, 1, 90, 1), "from version {start}");
    }
}

#[test]
fn a_partly_version_2_foreign_file_gets_only_what_is_missing() {
    for start in [0, 1] {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = foreign_tool_file(dir.path(), "partial.db", start);
        let conn = Connection::open(&path).expect("open");
        // A tool that knows needs and members, but not yet when a member leaves, surveys,
        // service or grades.
        conn.execute_batch(
            "ALTER TABLE project ADD COLUMN need_id INTEGER;
             INSERT INTO need VALUES (1, 1, '充电桩', '2026-02-01', 'forum');
             UPDATE project SET need_id = 1 WHERE id = 2;
             CREATE TABLE member (id INTEGER PRIMARY KEY, community_id INTEGER NOT NULL,
                 unit_id INTEGER, name TEXT NOT NULL, registered_on TEXT NOT NULL,
                 phone TEXT);
             INSERT INTO member VALUES (1, 1, NULL, '李强', '2026-04-01', '138');",
        )
        .expect("partial version 2");
        drop(conn);
        let store = Store::open(&path, Access::ReadWrite).expect("adopted");
        let conn = store.conn();
        assert_contract_v2(conn);
        let (need, member, phone): (i64, String, String) = conn
            .query_row(
                "SELECT (SELECT need_id FROM project WHERE id = 2),
                        (SELECT name FROM member WHERE id = 1 AND left_on IS NULL),
                        (SELECT phone FROM member WHERE id = 1)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .expect("rows kept");
        assert_eq!((need, member.as_str(), phone.as_str()), (1, "李强", "138"));
        assert!(
            columns(conn, "member").iter().any(|c| c == "phone"),
            "the other tool's own column stays"
        );
    }
}

#[test]
fn a_version_2_table_without_a_required_column_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = foreign_tool_file(dir.path(), "broken.db", 1);
    let conn = Connection::open(&path).expect("open");
    conn.execute_batch(
        "CREATE TABLE survey (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL,
             held_on TEXT NOT NULL, respondents INTEGER NOT NULL);",
    )
    .expect("a survey table without `satisfied`");
    drop(conn);
    let before = bytes(&path);
    for access in [Access::ReadWrite, Access::ReadOnly] {
        let err = Store::open(&path, access).err().expect("refused");
        assert!(
            matches!(&err, Error::MissingColumn { table, column } if table == "survey" && column == "satisfied"),
            "{err:?}"
        );
    }
    assert_eq!(bytes(&path), before);
}

#[test]
fn an_older_file_opened_read_only_is_not_upgraded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = foreign_tool_file(dir.path(), "old.db", 1);
    let before = bytes(&path);
    let store = Store::open(&path, Access::ReadOnly).expect("read-only open");
    assert_eq!(version(store.conn()), 1);
    drop(store);
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_newer_file_is_still_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = foreign_tool_file(dir.path(), "newer.db", KNOWN_VERSION + 1);
    let before = bytes(&path);
    let err = Store::open(&path, Access::ReadWrite)
        .err()
        .expect("refused");
    assert!(matches!(err, Error::NewerVersion { .. }), "{err:?}");
    assert_eq!(bytes(&path), before);
}
