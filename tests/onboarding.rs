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
        for sub in ["report", "import", "settings", "completions"] {
            assert!(text.contains(sub), "{shell} completion lacks {sub}");
        }
    }
    let out = bin().args(["completions", "tcsh"]).output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

#[test]
fn man_page_is_roff_with_every_subcommand() {
    let text = run_ok(&["man"]);
    assert!(text.contains(".TH gongjian 1"), "{}", &text[..200]);
    for sub in ["report", "import", "export", "template", "settings", "init"] {
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
         INSERT INTO project (id, community_id, unit_id, title, due_on, status, done_on) VALUES (1, 1, NULL, '健康讲座', '2026-09-30', 'done', '2026-10-15');
         -- due in May, still active: 30 days overdue on 2026-06-30
         INSERT INTO project (id, community_id, unit_id, title, due_on, status, done_on) VALUES (2, 1, NULL, '飞线充电整治', '2026-05-31', 'active', NULL);
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
    let help = run_ok(&["--lang", "en", "--help"]);
    assert!(
        help.contains("applied to the data as it is now")
            && help.contains("dated after that day still counts"),
        "{help}"
    );
    let help = run_ok(&["--help"]);
    assert!(
        help.contains("用于现在的数据") && help.contains("之后完成的项目算已完成"),
        "{help}"
    );
}

fn demo(dir: &Path) -> String {
    let path = dir.join("demo.db");
    let out = bin()
        .args(["--today", "2026-11-28", "init", "--demo"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(out.status.success());
    path.to_str().expect("utf-8 path").to_string()
}

fn gongjian(db: &str, args: &[&str]) -> std::process::Output {
    bin()
        .args(["--db", db, "--today", "2026-11-28", "--lang", "en"])
        .args(args)
        .env("GONGJIAN_OPERATOR", "王芳")
        .output()
        .expect("runs")
}

fn thresholds(db: &str) -> Value {
    let out = gongjian(db, &["report", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    report["thresholds"].clone()
}

#[test]
fn settings_are_listed_changed_logged_and_undone_without_sql() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo(dir.path());

    let out = gongjian(&db, &["settings"]);
    assert!(out.status.success());
    let list = String::from_utf8_lossy(&out.stdout).to_string();
    for spec in gongjian::store::SETTINGS {
        let line = list
            .lines()
            .find(|l| l.starts_with(spec.key))
            .unwrap_or_else(|| panic!("{} not listed:\n{list}", spec.key));
        assert!(line.contains(spec.meaning.1), "{line}");
        assert!(line.contains(&format!("0–{}", spec.max)), "{line}");
    }

    // A change is validated before anything is written.
    for (args, what) in [
        (
            vec![
                "settings",
                "participation_alert_pct",
                "101",
                "--reason",
                "x",
            ],
            "participation_alert_pct",
        ),
        (
            vec![
                "settings",
                "participation_alert_pct",
                "七十",
                "--reason",
                "x",
            ],
            "0–100",
        ),
        (
            vec!["settings", "participation_pct", "70", "--reason", "x"],
            "min_unit_activities",
        ),
        (
            vec!["settings", "participation_alert_pct", "70", "--reason", " "],
            "reason",
        ),
    ] {
        let out = gongjian(&db, &args);
        // A blank reason is a mistyped command line (2); a value the setting refuses, 1.
        let code = if what == "reason" { 2 } else { 1 };
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(what), "{args:?}: {err}");
    }
    let out = gongjian(&db, &["settings", "participation_alert_pct", "70"]);
    assert_eq!(out.status.code(), Some(2), "the reason is required");
    assert_eq!(thresholds(&db)["participation_alert_pct"], json!(80));

    // The change takes effect, is logged with its reason and operator, and can be undone.
    let out = gongjian(
        &db,
        &[
            "settings",
            "participation_alert_pct",
            "70",
            "--reason",
            "区里调整考核口径",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let entry = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(thresholds(&db)["participation_alert_pct"], json!(70));
    let log = gongjian(&db, &["log", "--format", "json"]);
    let log: Value = serde_json::from_slice(&log.stdout).expect("json");
    let newest = &log[0];
    assert_eq!(newest["id"].to_string(), entry);
    assert_eq!(newest["action"], json!("setting"));
    assert_eq!(newest["operator"], json!("王芳"));
    assert_eq!(newest["reason"], json!("区里调整考核口径"));
    assert_eq!(newest["before"], json!({"participation_alert_pct": null}));
    assert_eq!(newest["after"], json!({"participation_alert_pct": "70"}));
    let text = gongjian(&db, &["log"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("setting changed"));

    // Setting the value in force again writes nothing.
    let out = gongjian(
        &db,
        &[
            "settings",
            "participation_alert_pct",
            "70",
            "--reason",
            "again",
        ],
    );
    assert_eq!(out.status.code(), Some(1));

    let out = gongjian(
        &db,
        &["adjust", "undo", "--entry", &entry, "--reason", "改回"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(thresholds(&db)["participation_alert_pct"], json!(80));
    let out = gongjian(
        &db,
        &["adjust", "undo", "--entry", &entry, "--reason", "again"],
    );
    assert_eq!(out.status.code(), Some(1), "undone once only");

    // An undo is refused when the setting changed again since.
    let first = gongjian(
        &db,
        &["settings", "min_unit_activities", "3", "--reason", "a"],
    );
    let first = String::from_utf8_lossy(&first.stdout).trim().to_string();
    let second = gongjian(
        &db,
        &["settings", "min_unit_activities", "4", "--reason", "b"],
    );
    assert!(second.status.success());
    let out = gongjian(&db, &["adjust", "undo", "--entry", &first, "--reason", "c"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("min_unit_activities"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(thresholds(&db)["min_unit_activities"], json!(4));
}

/// Runs `gongjian ARGS` in `dir` with a fixed day and operator; returns (exit code, stdout +
/// stderr).
fn in_folder(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = bin()
        .current_dir(dir)
        .args(["--today", "2026-11-28"])
        .args(args)
        .env("GONGJIAN_OPERATOR", "王芳")
        .output()
        .expect("runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

fn ok_in(dir: &Path, args: &[&str]) -> String {
    let (code, text) = in_folder(dir, args);
    assert_eq!(code, Some(0), "{args:?}:\n{text}");
    text
}

fn report_in(dir: &Path, db: &str) -> Value {
    let out = bin()
        .current_dir(dir)
        .args([
            "--db",
            db,
            "--today",
            "2026-11-28",
            "report",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).expect("json")
}

fn community<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["communities"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["name"] == json!(name)))
        .unwrap_or_else(|| panic!("{name} not in {report}"))
}

/// The README's first week, from an empty folder with the office's sheets (the fixture CSV
/// files as Chinese Excel saves them) to a report whose figures are worked out by hand.
#[test]
fn the_first_week_from_an_empty_folder_to_the_weekly_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dir = dir.path();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import");
    std::fs::copy(fixtures.join("projects_gbk.csv"), dir.join("项目清单.csv")).expect("copy");
    std::fs::copy(fixtures.join("activities_bom.csv"), dir.join("活动.csv")).expect("copy");

    // 1. init, 2. template: every sheet of the template is importable as it is (empty).
    assert!(ok_in(dir, &["init", "共建.db"]).contains("共建.db"));
    ok_in(dir, &["template", "模板.xlsx"]);
    let text = ok_in(
        dir,
        &["--db", "共建.db", "import", "--dry-run", "模板.xlsx"],
    );
    assert!(text.contains("不会改动任何内容"), "{text}");
    for list in [
        "社区",
        "驻区单位",
        "共建契约",
        "资源清单",
        "需求清单",
        "项目清单",
        "会议",
        "活动记录",
    ] {
        assert!(
            text.contains(&format!("工作表「{list}」")),
            "{list}: {text}"
        );
    }

    // 4. the dry run says what would be created, per sheet what was recognised, writes nothing.
    let text = ok_in(
        dir,
        &[
            "--db",
            "共建.db",
            "import",
            "--dry-run",
            "项目清单.csv",
            "活动.csv",
        ],
    );
    assert!(text.contains("试运行"), "{text}");
    assert!(
        text.contains("读取 项目清单.csv：项目清单，4 行；识别的列：街道、社区、项目名称、牵头单位、截止日期、状态、完成日期"),
        "{text}"
    );
    assert!(text.contains("将新建社区（3）"), "{text}");
    assert_eq!(report_in(dir, "共建.db")["communities"], json!([]));

    // 5. import, 6. report: the figures, worked out by hand for 2026-11-28.
    let text = ok_in(
        dir,
        &["--db", "共建.db", "import", "项目清单.csv", "活动.csv"],
    );
    assert!(text.contains("导入完成") && text.contains("王芳"), "{text}");
    let report = report_in(dir, "共建.db");
    assert_eq!(report["communities"].as_array().map(Vec::len), Some(3));

    // 石羊塘社区: 健康讲座 (due 06-30, done) and 飞线充电整治 (due 03-31, active): 1 of 2 done,
    // 50.0% (not below 50); 飞线充电整治 242 days overdue; 健康讲座's two sessions on 05-01:
    // 53 of 60, 88.3%, not flagged; no quarterly meeting: Q1–Q3 missing, Q4 this quarter.
    let c = community(&report, "石羊塘社区");
    assert_eq!(c["street"], json!("西江街道"));
    assert_eq!(c["completion"]["done"], json!(1));
    assert_eq!(c["completion"]["total"], json!(2));
    assert_eq!(c["completion"]["pct"], json!(50.0));
    assert_eq!(c["completion"]["alert"], json!(false));
    assert_eq!(c["overdue"][0]["title"], json!("飞线充电整治"));
    assert_eq!(c["overdue"][0]["days_overdue"], json!(242));
    assert_eq!(c["low_participation"], json!([]));
    assert_eq!(
        c["meetings"]["quarters"],
        json!(["missing", "missing", "missing", "pending"])
    );
    assert_eq!(c["alerts"], json!(4));

    // 枫林社区: one paused project due 11-08: 0 of 1 done (flagged), 20 days overdue; its session
    // 36 of 60 = 60.0% (flagged); three missing quarters: 1 + 1 + 3 + 1 = 6 alerts.
    let c = community(&report, "枫林社区");
    assert_eq!(c["completion"]["pct"], json!(0.0));
    assert_eq!(c["completion"]["alert"], json!(true));
    assert_eq!(c["overdue"][0]["days_overdue"], json!(20));
    assert_eq!(c["low_participation"][0]["pct"], json!(60.0));
    assert_eq!(c["alerts"], json!(6));

    // 青石社区: its only project is cancelled: nothing to complete, only the missing quarters.
    let c = community(&report, "青石社区");
    assert_eq!(c["street"], json!("东湖街道"));
    assert_eq!(c["completion"]["total"], json!(0));
    assert_eq!(c["completion"]["pct"], json!(null));
    assert_eq!(c["alerts"], json!(3));

    // The text report names the ids that the commands take.
    let text = ok_in(dir, &["--db", "共建.db", "report"]);
    assert!(text.contains("编号"), "{text}");

    // Importing the same sheets again changes nothing.
    let text = ok_in(
        dir,
        &["--db", "共建.db", "import", "项目清单.csv", "活动.csv"],
    );
    assert!(text.contains("没有改动任何内容"), "{text}");

    // `init --help` walks the same steps.
    let help = ok_in(dir, &["init", "--help"]);
    for step in [
        "gongjian init 共建.db",
        "gongjian template 模板.xlsx",
        "import --dry-run",
        "report",
    ] {
        assert!(help.contains(step), "{step}: {help}");
    }
}

#[test]
fn a_done_row_without_a_date_imports_without_one_and_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dir = dir.path();
    ok_in(dir, &["init", "共建.db"]);
    std::fs::write(
        dir.join("项目.csv"),
        "街道,社区,项目名称,截止日期,状态\n西江街道,石羊塘社区,助老餐桌,2026-06-30,已完成\n西江街道,石羊塘社区,健康讲座,2026-12-31,进行中\n",
    )
    .expect("write");
    let text = ok_in(dir, &["--db", "共建.db", "import", "项目.csv"]);
    assert!(
        text.contains("完成日期未填（1）：西江街道 石羊塘社区「助老餐桌」"),
        "{text}"
    );
    let conn = rusqlite::Connection::open(dir.join("共建.db")).expect("open");
    let (status, done_on): (String, Option<String>) = conn
        .query_row(
            "SELECT status, done_on FROM project WHERE title = '助老餐桌'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("row");
    assert_eq!((status.as_str(), done_on), ("done", None));
    let c = community(&report_in(dir, "共建.db"), "石羊塘社区").clone();
    assert_eq!(c["completion"]["done"], json!(1), "it counts as done");
    assert_eq!(c["completion"]["total"], json!(2));

    // In English the summary names it the same way.
    let (code, text) = in_folder(
        dir,
        &[
            "--lang",
            "en",
            "--db",
            "共建.db",
            "import",
            "--dry-run",
            "项目.csv",
        ],
    );
    assert_eq!(code, Some(0));
    assert!(
        text.contains("完成日期未填 / done date not filled in (1)"),
        "{text}"
    );
}

#[test]
fn the_programs_own_export_imports_back_with_no_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dir = dir.path();
    ok_in(dir, &["init", "--demo", "demo.db"]);
    let before = report_in(dir, "demo.db");
    ok_in(dir, &["--db", "demo.db", "export", "周报.xlsx"]);
    ok_in(
        dir,
        &["--db", "demo.db", "--lang", "en", "export", "weekly.xlsx"],
    );
    ok_in(dir, &["--db", "demo.db", "export", "周报.csv"]);
    let text = ok_in(
        dir,
        &[
            "--db",
            "demo.db",
            "import",
            "--dry-run",
            "周报.xlsx",
            "weekly.xlsx",
            "周报.csv",
        ],
    );
    assert!(text.contains("不会改动任何内容"), "{text}");
    assert!(
        text.contains("工作表「逾期项目」是 gongjian 导出的统计结果"),
        "{text}"
    );
    let text = ok_in(
        dir,
        &[
            "--db",
            "demo.db",
            "import",
            "周报.xlsx",
            "weekly.xlsx",
            "周报.csv",
        ],
    );
    assert!(text.contains("没有改动任何内容"), "{text}");
    assert_eq!(report_in(dir, "demo.db"), before);
    let log = ok_in(dir, &["--db", "demo.db", "log", "--format", "json"]);
    assert_eq!(log.trim(), "[]", "nothing logged");
}
