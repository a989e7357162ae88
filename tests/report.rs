//! The headless report through the real binary, on the demo district at a fixed day, checked
//! against figures worked out by hand (`fixtures/demo_expected.md`).

mod common;

use common::bin;
use serde_json::Value;
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

fn report(db: &Path, args: &[&str]) -> std::process::Output {
    bin()
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY, "report"])
        .args(args)
        .output()
        .expect("runs")
}

fn json_report(db: &Path) -> Value {
    let out = report(db, &["--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// Every field of `expected` is in `actual` with the same value (extra fields are allowed by
/// the contract); arrays must match in length and order.
fn assert_subset(expected: &Value, actual: &Value, at: &str) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                let inner = a.get(key).unwrap_or_else(|| panic!("{at}.{key} missing"));
                assert_subset(value, inner, &format!("{at}.{key}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            assert_eq!(e.len(), a.len(), "{at}: length differs: {actual}");
            for (i, (x, y)) in e.iter().zip(a).enumerate() {
                assert_subset(x, y, &format!("{at}[{i}]"));
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            assert_eq!(e.as_f64(), a.as_f64(), "{at}");
        }
        _ => assert_eq!(expected, actual, "{at}"),
    }
}

fn expected_from_fixture() -> Value {
    let md = include_str!("../fixtures/demo_expected.md");
    let start = md.find("```json").expect("json block") + "```json".len();
    let end = start + md[start..].find("```").expect("block end");
    serde_json::from_str(&md[start..end]).expect("fixture JSON")
}

#[test]
fn json_matches_the_hand_worked_figures_of_two_communities() {
    let dir = tempfile::tempdir().expect("tempdir");
    let actual = json_report(&demo_db(dir.path()));
    let expected = expected_from_fixture();
    assert_eq!(actual["today"], TODAY);
    assert_eq!(actual["year"], 2026);
    assert_subset(&expected["thresholds"], &actual["thresholds"], "thresholds");
    let communities = actual["communities"].as_array().expect("list");
    for want in expected["communities"].as_array().expect("list") {
        let id = &want["id"];
        let got = communities
            .iter()
            .find(|c| &c["id"] == id)
            .expect("community present");
        assert_subset(want, got, &format!("community {id}"));
    }
    let ids: Vec<i64> = communities
        .iter()
        .map(|c| c["id"].as_i64().expect("id"))
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "listed by id");
}

#[test]
fn alerts_of_every_demo_community_match_the_hand_count() {
    // From the table in fixtures/demo_expected.md.
    let expected = [0, 2, 1, 2, 1, 2, 2, 2, 5, 2, 12, 0, 2];
    let dir = tempfile::tempdir().expect("tempdir");
    let actual = json_report(&demo_db(dir.path()));
    let alerts: Vec<i64> = actual["communities"]
        .as_array()
        .expect("list")
        .iter()
        .map(|c| c["alerts"].as_i64().expect("alerts"))
        .collect();
    assert_eq!(alerts, expected);
    // Community 7 holds 57 of 80 planned: 71.25 % must round half away from zero to 71.3.
    let c7 = &actual["communities"][6];
    let pcts: Vec<f64> = c7["low_participation"]
        .as_array()
        .expect("list")
        .iter()
        .map(|p| p["pct"].as_f64().expect("pct"))
        .collect();
    assert!(pcts.contains(&71.3), "{pcts:?}");
}

#[test]
fn one_community_text_report_lines_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let out = report(&db, &["--community", "11"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("青石社区"), "{text}");
    assert!(text.contains("逾期项目"));
    // Every cell is padded to its column's width in terminal cells and the last column is
    // right-aligned, so every row of the table is exactly as wide as the others.
    let out = report(&db, &[]);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("社区") && !l.starts_with("编号"))
        .collect();
    assert_eq!(rows.len(), 13, "{text}");
    let widths: Vec<usize> = rows
        .iter()
        .map(|r| unicode_width::UnicodeWidthStr::width(*r))
        .collect();
    assert!(
        widths.iter().all(|w| *w == widths[0]),
        "misaligned: {widths:?}\n{text}"
    );
    let en = bin()
        .arg("--db")
        .arg(&db)
        .args(["--today", TODAY, "--lang", "en", "report"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&en.stdout).contains("list completion"));
}

#[test]
fn csv_has_a_bom_and_one_row_per_community() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = report(&demo_db(dir.path()), &["--format", "csv"]);
    assert!(out.status.success());
    assert!(out.stdout.starts_with("\u{FEFF}".as_bytes()));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(text.lines().count(), 14);
    assert!(
        text.lines()
            .nth(1)
            .expect("row")
            .starts_with("1,西江街道,石羊塘社区,0,5,9,55.6,")
    );
}

#[test]
fn markdown_minutes_name_the_flags() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = report(&demo_db(dir.path()), &["--format", "md"]);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.starts_with("# 共建工作情况（2026-11-28）"));
    assert!(text.contains("## 西江街道 枫林社区"));
    assert!(
        text.contains("垃圾分类督导（桶边值守） 参与率 60.0%（计划 60，实际 36）"),
        "{text}"
    );
    assert!(text.contains("Q2 季度例会未召开"));
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn bad_input_gets_one_line_and_a_nonzero_exit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = std::fs::read(&db).expect("bytes");

    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["--today", "2026-02-30", "report"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert_eq!(stderr(&out).trim().lines().count(), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("2026-02-30") && stderr(&out).contains("YYYY-MM-DD"));

    let out = report(&db, &["--format", "xml"]);
    assert!(!out.status.success());
    assert_eq!(stderr(&out).trim().lines().count(), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("xml") && stderr(&out).contains("json"));

    let out = bin()
        .args(["--lang", "en", "import"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).trim().lines().count(), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("missing required argument(s): <FILE>"),
        "{}",
        stderr(&out)
    );

    let out = report(&db, &["--community", "999"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("999"));

    let out = bin()
        .args(["--lang", "en", "report", "--db"])
        .arg(dir.path().join("missing.db"))
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("gongjian init"), "{}", stderr(&out));
    assert!(!dir.path().join("missing.db").exists());

    let out = bin().args(["init"]).arg(&db).output().expect("runs");
    assert!(!out.status.success(), "init refuses an existing file");
    assert_eq!(std::fs::read(&db).expect("bytes"), before);

    rusqlite::Connection::open(&db)
        .and_then(|c| {
            c.execute(
                "INSERT INTO setting VALUES ('participation_alert_pct', '120')",
                [],
            )
        })
        .expect("setting");
    let out = report(&db, &["--format", "json"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("participation_alert_pct"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn settings_in_the_file_change_the_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    rusqlite::Connection::open(&db)
        .and_then(|c| {
            c.execute(
                "INSERT INTO setting VALUES ('participation_alert_pct', '60')",
                [],
            )
        })
        .expect("setting");
    let json = json_report(&db);
    assert_eq!(json["thresholds"]["participation_alert_pct"], 60);
    // 垃圾分类督导 in community 3 is at exactly 60 %: no longer flagged.
    assert_eq!(
        json["communities"][2]["low_participation"]
            .as_array()
            .expect("list")
            .len(),
        0
    );
}
