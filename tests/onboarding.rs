//! What a new office meets first: the version, completions, the man page, and what `--today`
//! means exactly.

mod common;

use common::bin;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn run_ok(args: &[&str]) -> String {
    let out = bin().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn version_names_the_schema_version_it_writes() {
    let text = run_ok(&["--version"]);
    let expected = format!("schema version {}", gongjian::store::KNOWN_VERSION);
    assert!(
        text.starts_with(&format!("gongjian {}", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(text.contains(&expected), "{text}");
}

#[test]
fn completions_for_each_shell_name_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let text = run_ok(&["completions", shell]);
        for sub in ["report", "import", "completions"] {
            assert!(text.contains(sub), "{shell} completion lacks {sub}");
        }
    }
    let out = bin().args(["completions", "tcsh"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2), "an unknown shell is a usage error");
}

#[test]
fn man_page_is_roff_with_every_subcommand() {
    let text = run_ok(&["man"]);
    assert!(text.contains(".TH gongjian 1"), "{}", &text[..200]);
    for sub in ["report", "import", "export", "template", "init"] {
        assert!(text.contains(sub), "man page lacks {sub}");
    }
}

/// A small district whose records fall on both sides of 2026-06-30.
fn calendar_db(dir: &Path) -> PathBuf {
    let path = dir.join("calendar.db");
    let out = bin().arg("init").arg(&path).output().expect("runs");
    assert!(out.status.success());
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch(
        "INSERT INTO street VALUES (1, '西江街道');
         INSERT INTO community VALUES (1, 1, '石羊塘社区');
         -- done in October, after the day asked about: still counts as done
         INSERT INTO project VALUES (1, 1, NULL, '健康讲座', '2026-09-30', 'done', '2026-10-15');
         -- due in May, still active: 30 days overdue on 2026-06-30
         INSERT INTO project VALUES (2, 1, NULL, '飞线充电整治', '2026-05-31', 'active', NULL);
         -- a quarterly meeting in August: Q3 is held, even on 2026-06-30
         INSERT INTO meeting VALUES (1, 1, 'quarterly', '2026-08-20', 12, '');
         -- activities are the one record cut at the day: July's session is left out
         INSERT INTO activity VALUES (1, 2, '2026-06-01', 10, 5);
         INSERT INTO activity VALUES (2, 2, '2026-07-10', 10, 10);",
    )
    .expect("rows");
    path
}

#[test]
fn today_applies_that_days_calendar_to_the_data_as_it_is_now() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = calendar_db(dir.path());
    let db = db.to_str().expect("utf-8 path");
    let text = run_ok(&[
        "--db",
        db,
        "--today",
        "2026-06-30",
        "report",
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(&text).expect("json");
    let c = &report["communities"][0];
    assert_eq!(report["year"], json!(2026));
    assert_eq!(c["completion"]["done"], json!(1), "done later still counts");
    assert_eq!(c["completion"]["total"], json!(2));
    assert_eq!(c["overdue"][0]["project_id"], json!(2));
    assert_eq!(c["overdue"][0]["days_overdue"], json!(30));
    assert_eq!(
        c["meetings"]["quarters"],
        json!(["missing", "pending", "held", "future"]),
        "a meeting after the day still makes its quarter held"
    );
    assert_eq!(c["low_participation"][0]["planned"], json!(10));
    assert_eq!(
        c["low_participation"][0]["actual"],
        json!(5),
        "activities after the day are left out"
    );

    // The help says it in those words.
    let help = run_ok(&["--help"]);
    assert!(
        help.contains("applied to the data as it is now")
            && help.contains("dated after that day still counts"),
        "{help}"
    );
}
