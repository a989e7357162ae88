//! `gongjian assess` through the real binary on a file built as another tool would build it
//! (the contract's tables, `user_version` 0), checked against results worked out by hand.

mod common;

use common::{CONTRACT_SQL, bin};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const V2_SQL: &str = include_str!("../src/store/sql/v5_contract2.sql");

/// Four communities, five units. Worked by hand for 2026-12-31:
/// - community 1: 4/4 done, every quarter held, participation 46/50, satisfaction 45/50.
/// - community 2: project 4 overdue (due 10-01), no Q4 meeting; graded itself excellent.
/// - community 3: 2/2 done, no activities, no surveys: a candidate after community 1.
/// - community 4: no projects: not a candidate.
/// - unit 10: 1/1, 2 activities in community 1, 90 minutes; unit 14 the same but 0 minutes.
/// - unit 11: graded itself excellent; community 1 graded it fair; leads overdue project 4;
///   one activity in community 1 (inactive there).
/// - unit 12: no contract. Unit 13: inactive in community 3.
fn district(dir: &Path) -> PathBuf {
    let path = dir.join("other-tool.db");
    let conn = rusqlite::Connection::open(&path).expect("create");
    conn.execute_batch(CONTRACT_SQL).expect("contract");
    conn.execute_batch("ALTER TABLE project ADD COLUMN need_id INTEGER REFERENCES need(id);")
        .expect("need_id");
    conn.execute_batch(V2_SQL).expect("v2");
    conn.execute_batch(
        "INSERT INTO street VALUES (1, '西江街道');
         INSERT INTO community VALUES (1, 1, '甲社区'), (2, 1, '乙社区'), (3, 1, '丙社区'), (4, 1, '丁社区');
         INSERT INTO unit VALUES (10, '区医院', '医院'), (11, '实验学校', '学校'), (12, '某企业', '企业'),
                                 (13, '某物业', '企业'), (14, '供电所', '机关');
         INSERT INTO contract VALUES (101, 1, 10, '2026-01-01'), (102, 1, 11, '2026-01-01'),
                                     (103, 2, 11, '2026-01-01'), (104, 3, 13, '2026-01-01'),
                                     (105, 1, 14, '2025-01-01');
         INSERT INTO resource VALUES (1, 1, 10, '会议室', 3);
         INSERT INTO project (id, community_id, unit_id, title, due_on, status, done_on) VALUES
           (1, 1, 10, '义诊', '2026-05-01', 'done', '2026-05-01'),
           (2, 1, 11, '课后托管', '2026-06-01', 'done', '2026-06-01'),
           (3, 1, NULL, '楼道清理', '2026-09-01', 'done', '2026-09-01'),
           (9, 1, 14, '安全用电', '2026-07-01', 'done', '2026-07-01'),
           (4, 2, 11, '科普周', '2026-10-01', 'active', NULL),
           (5, 2, 11, '读书会', '2026-03-01', 'done', '2026-03-01'),
           (8, 2, 12, '捐赠', '2026-02-01', 'done', '2026-02-01'),
           (6, 3, 13, '绿化', '2026-04-01', 'done', '2026-04-01'),
           (7, 3, 13, '维修', '2026-08-01', 'done', '2026-08-01');
         INSERT INTO activity (project_id, held_on, planned, actual) VALUES
           (1, '2026-03-01', 10, 9), (1, '2026-04-01', 10, 9), (2, '2026-05-01', 10, 8),
           (9, '2026-06-01', 10, 10), (9, '2026-06-15', 10, 10),
           (5, '2026-02-01', 10, 10), (5, '2026-02-15', 10, 10), (8, '2026-01-20', 5, 5);
         INSERT INTO meeting (community_id, kind, held_on) VALUES
           (1, 'quarterly', '2026-01-10'), (1, 'quarterly', '2026-04-10'),
           (1, 'quarterly', '2026-07-10'), (1, 'quarterly', '2026-11-15'),
           (2, 'quarterly', '2026-01-10'), (2, 'quarterly', '2026-04-10'),
           (2, 'quarterly', '2026-07-10'), (2, 'site_visit', '2026-11-15'),
           (3, 'quarterly', '2026-02-10'), (3, 'quarterly', '2026-05-10'),
           (3, 'quarterly', '2026-08-10'), (3, 'quarterly', '2026-12-31');
         INSERT INTO survey (project_id, held_on, respondents, satisfied) VALUES
           (1, '2026-06-01', 50, 45), (5, '2026-03-01', 10, 10);
         INSERT INTO member VALUES (1, 1, 10, '张三', '2025-01-01', NULL), (2, 1, 11, '李四', '2025-01-01', NULL);
         INSERT INTO service (member_id, served_on, minutes) VALUES
           (1, '2026-03-01', 90), (1, '2025-12-01', 60), (2, '2026-05-01', 30);
         INSERT INTO assessment (year, subject, subject_id, assessor, grade) VALUES
           (2026, 'community', 1, 'self', 'excellent'), (2026, 'community', 1, 'third_party', 'good'),
           (2026, 'community', 2, 'self', 'excellent'),
           (2026, 'community', 3, 'third_party', 'fair'),
           (2026, 'unit', 10, 'self', 'excellent'), (2026, 'contract', 101, 'community', 'good'),
           (2026, 'unit', 11, 'self', 'excellent'), (2026, 'contract', 102, 'community', 'fair'),
           (2026, 'unit', 13, 'third_party', 'excellent'), (2026, 'contract', 104, 'community', 'good'),
           (2026, 'community', 99, 'self', 'poor'),
           (2025, 'community', 1, 'third_party', 'poor');",
    )
    .expect("rows");
    path
}

fn assess(db: &Path, args: &[&str]) -> std::process::Output {
    bin()
        .arg("--db")
        .arg(db)
        .arg("assess")
        .args(args)
        .output()
        .expect("runs")
}

fn json_of(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn strip_reasons(mut v: Value) -> (Value, Vec<usize>) {
    let mut counts = Vec::new();
    for list in ["communities", "units"] {
        for row in v[list].as_array_mut().expect("list") {
            let reasons = row
                .as_object_mut()
                .expect("row")
                .remove("reasons")
                .expect("reasons");
            counts.push(reasons.as_array().expect("array").len());
        }
    }
    (v, counts)
}

#[test]
fn assess_json_matches_the_hand_worked_district() {
    let dir = tempfile::tempdir().expect("dir");
    let db = district(dir.path());
    let out = assess(
        &db,
        &[
            "--year",
            "2026",
            "--today",
            "2026-12-31",
            "--format",
            "json",
        ],
    );
    let (got, reasons) = strip_reasons(json_of(&out));
    let expected = json!({
        "year": 2026, "today": "2026-12-31",
        "communities": [
            { "id": 1, "name": "甲社区", "grades": { "self": "excellent", "third_party": "good" }, "mismatch": false },
            { "id": 2, "name": "乙社区", "grades": { "self": "excellent", "third_party": null }, "mismatch": true },
            { "id": 3, "name": "丙社区", "grades": { "self": null, "third_party": "fair" }, "mismatch": false },
            { "id": 4, "name": "丁社区", "grades": { "self": null, "third_party": null }, "mismatch": false }
        ],
        "units": [
            { "id": 10, "name": "区医院", "grades": { "self": "excellent", "community": [ { "community_id": 1, "grade": "good" } ], "third_party": null }, "mismatch": false },
            { "id": 11, "name": "实验学校", "grades": { "self": "excellent", "community": [ { "community_id": 1, "grade": "fair" } ], "third_party": null }, "mismatch": true },
            { "id": 12, "name": "某企业", "grades": { "self": null, "community": [], "third_party": null }, "mismatch": false },
            { "id": 13, "name": "某物业", "grades": { "self": null, "community": [ { "community_id": 3, "grade": "good" } ], "third_party": "excellent" }, "mismatch": false },
            { "id": 14, "name": "供电所", "grades": { "self": null, "community": [], "third_party": null }, "mismatch": false }
        ],
        "model_communities": [1, 3],
        "model_units": [10, 14]
    });
    assert_eq!(got, expected);
    // Community 2: overdue project 4 and no Q4 meeting. Unit 11: community 1's fair grade,
    // overdue project 4, inactive in community 1.
    assert_eq!(reasons, vec![0, 2, 0, 0, 0, 3, 0, 0, 0]);
    // The file was not changed by reading it.
    let conn = rusqlite::Connection::open(&db).expect("open");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, 0);
}

#[test]
fn settings_cut_the_lists_and_a_past_year_is_assessed_on_its_last_day() {
    let dir = tempfile::tempdir().expect("dir");
    let db = district(dir.path());
    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.execute_batch(
        "INSERT INTO setting VALUES ('model_communities', '1'), ('model_units', '0');",
    )
    .expect("settings");
    drop(conn);
    let v = json_of(&assess(
        &db,
        &[
            "--year",
            "2026",
            "--today",
            "2026-12-31",
            "--format",
            "json",
        ],
    ));
    assert_eq!(v["model_communities"], json!([1]));
    assert_eq!(v["model_units"], json!([]));
    // 2025 without --today: the local date is past 2025, so its last day.
    let v = json_of(&assess(&db, &["--year", "2025", "--format", "json"]));
    assert_eq!(v["today"], json!("2025-12-31"));
    assert_eq!(v["year"], json!(2025));
}

#[test]
fn a_future_year_or_a_day_outside_the_year_is_an_error_naming_both() {
    let dir = tempfile::tempdir().expect("dir");
    let db = district(dir.path());
    let out = assess(&db, &["--year", "2026", "--today", "2027-01-05"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2026") && err.contains("2027-01-05"), "{err}");
    let out = assess(&db, &["--year", "9998", "--lang", "en"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("9998") && err.contains("has not begun"),
        "{err}"
    );
}

#[test]
fn explain_names_the_rows_behind_a_place() {
    let dir = tempfile::tempdir().expect("dir");
    let db = district(dir.path());
    let out = assess(
        &db,
        &[
            "--year",
            "2026",
            "--today",
            "2026-12-31",
            "--community",
            "2",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("#4 科普周"), "{text}");
    assert!(text.contains("逾期天数 91"), "{text}");
    assert!(text.contains("第4季度未开季度例会"), "{text}");
    let out = assess(
        &db,
        &[
            "--lang",
            "en",
            "--year",
            "2026",
            "--today",
            "2026-12-31",
            "--unit",
            "11",
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("inactive in: 甲社区  activities 1"), "{text}");
    assert!(text.contains("甲社区 graded it fair"), "{text}");
    assert!(text.contains("实验学校 year 2026"), "{text}");
    let out = assess(&db, &["--year", "2026", "--unit", "777"]);
    assert!(!out.status.success());
}

#[test]
fn text_and_markdown_list_every_row_and_the_rules() {
    let dir = tempfile::tempdir().expect("dir");
    let db = district(dir.path());
    for (format, needle) in [
        ("text", "示范社区（前 10 名）"),
        ("md", "| 1 | 1 | 甲社区 | 4/4 100.0% | 92.0% | 90.0% |"),
    ] {
        let out = assess(
            &db,
            &[
                "--year",
                "2026",
                "--today",
                "2026-12-31",
                "--format",
                format,
            ],
        );
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(needle), "{format}: {text}");
        for name in [
            "甲社区",
            "乙社区",
            "丙社区",
            "丁社区",
            "区医院",
            "实验学校",
            "某企业",
            "某物业",
            "供电所",
        ] {
            assert!(text.contains(name), "{format} lacks {name}");
        }
    }
}
