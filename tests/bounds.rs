//! Issue 14.8 through the real binary: an interrupted `generate` leaves no database, dates
//! outside the accepted years are refused with a clear message, and a file name with control
//! characters is neither echoed raw by `import` nor stored raw in the log.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};
use support::{TODAY, bin, stderr};

#[test]
fn an_interrupted_generate_leaves_no_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("city.db");
    let child = support::Guard::new(
        bin()
            .args(["--today", TODAY, "generate"])
            .arg(&path)
            .args(["--communities", "2000"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn"),
    );
    // Wait until the file is being filled (its temporary file has rows in it), then kill.
    let deadline = Instant::now() + Duration::from_secs(60);
    let filling = loop {
        let big = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(|e| e.ok()?.metadata().ok())
            .any(|m| m.len() > 64 * 1024);
        if big || Instant::now() > deadline {
            break big;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut child = child.take();
    let _ = child.kill();
    let _ = child.wait();
    assert!(filling, "generate wrote nothing within a minute");
    assert!(
        !path.exists(),
        "an interrupted generate left a file at the target"
    );
    // What is left is a hidden temporary file, never the name asked for.
    for entry in std::fs::read_dir(dir.path()).expect("list") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(name.starts_with(".city.db."), "{name}");
    }
}

#[test]
fn today_and_date_arguments_outside_the_accepted_years_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = support::demo(dir.path(), "demo.db");
    for (lang, expected) in [
        ("zh", "年份应在 2000–2099 之间"),
        ("en", "between 2000 and 2099"),
    ] {
        for day in ["0000-01-01", "9999-12-31", "1899-12-31", "2100-01-01"] {
            let out = bin()
                .arg("--db")
                .arg(&db)
                .args(["--lang", lang, "--today", day, "report"])
                .output()
                .expect("runs");
            assert!(!out.status.success(), "{day}");
            assert!(stderr(&out).contains(expected), "{day}: {}", stderr(&out));
        }
        let target = dir.path().join("far.db");
        let out = bin()
            .args(["--lang", lang, "--today", "9999-12-31", "generate"])
            .arg(&target)
            .args(["--communities", "1"])
            .output()
            .expect("runs");
        assert!(!out.status.success());
        assert!(!target.exists());
    }
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["--today", "2099-12-31", "report", "--format", "json"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_file_name_with_control_characters_is_shown_and_logged_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("empty.db");
    let out = bin()
        .args(["--today", TODAY, "init"])
        .arg(&db)
        .output()
        .expect("init");
    assert!(out.status.success(), "{}", stderr(&out));
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import/projects_gbk.csv");
    let named = dir.path().join("活动\u{1b}[2J\u{7}.csv");
    std::fs::copy(&fixture, &named).expect("copy");
    let missing = dir.path().join("缺\u{1b}]0;title\u{7}.csv");
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["--today", TODAY, "import", "--dry-run"])
        .arg(&missing)
        .output()
        .expect("runs");
    let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
    assert!(
        !all.contains(&0x1b) && !all.contains(&0x07),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("缺\\u{1b}]0;title\\u{7}.csv"),
        "{}",
        stderr(&out)
    );

    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["--today", TODAY, "import", "--operator", "测试员"])
        .arg(&named)
        .output()
        .expect("runs");
    let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
    assert!(
        !all.contains(&0x1b) && !all.contains(&0x07),
        "{}",
        stderr(&out)
    );
    let conn = rusqlite::Connection::open(&db).expect("open");
    let reasons: Vec<String> = conn
        .prepare("SELECT reason FROM adjustment WHERE action = 'import'")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert!(!reasons.is_empty(), "{}", stderr(&out));
    for reason in reasons {
        assert!(!reason.chars().any(char::is_control), "{reason:?}");
        assert!(reason.contains("活动\\u{1b}[2J\\u{7}.csv"), "{reason:?}");
    }
}
