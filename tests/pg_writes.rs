//! Writes on PostgreSQL: every kind of adjustment, undo, settings and the log run on a server
//! exactly as on the file. Each scenario runs step by step on a demo file and on a database
//! copied from it; each step must say the same (the new entry's id, the message, the refusal),
//! and afterwards the JSON report and the log (times aside) must be identical.

mod pg_server;

use std::path::Path;
use std::process::{Command, Output};

const TODAY: &str = "2026-11-30";

fn gongjian(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongjian"))
        .args(["--db", db, "--today", TODAY, "--operator", "测试员"])
        .args(args)
        .env_remove("GONGJIAN_DB")
        .env("GONGJIAN_LANG", "en")
        .output()
        .expect("gongjian runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A demo file and a database copied from it; `None` without a server (the harness said so).
fn twins(dir: &Path) -> Option<(String, String)> {
    let db = pg_server::fresh_db()?;
    let file = dir.join("demo.db");
    let file = file.to_str().expect("utf-8").to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_gongjian"))
        .args(["--today", TODAY, "init", "--demo", &file])
        .output()
        .expect("init");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = Command::new(env!("CARGO_BIN_EXE_gongjian"))
        .args(["copy", &file, &db])
        .env_remove("GONGJIAN_DB")
        .output()
        .expect("copy");
    assert!(out.status.success(), "{}", text(&out.stderr));
    Some((file, db))
}

/// The step on both; both must agree in outcome, output and message (the message names the
/// database, so it is compared with the file's name and the address taken out).
fn step(file: &str, db: &str, args: &[&str]) -> (bool, String) {
    let on_file = gongjian(file, args);
    let on_server = gongjian(db, args);
    let shown_db = gongjian::store::pg::redact(db);
    let same = |o: &Output, name: &str| {
        (
            o.status.success(),
            text(&o.stdout),
            text(&o.stderr).replace(name, "DB"),
        )
    };
    let a = same(&on_file, file);
    let b = same(&on_server, &shown_db);
    assert_eq!(a, b, "{args:?}: the file and the server differ");
    (a.0, a.1.trim().to_string())
}

/// The log as JSON without the times of its entries (each engine wrote at its own moment).
fn log_without_times(db: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["log", "--format", "json"];
    args.extend_from_slice(extra);
    let out = gongjian(db, &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    for entry in log.as_array_mut().expect("a list") {
        entry.as_object_mut().expect("an entry").remove("at");
    }
    log
}

fn same_afterwards(file: &str, db: &str) {
    let report = |d: &str| {
        let out = gongjian(d, &["report", "--format", "json"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    assert!(report(file) == report(db), "the JSON reports differ");
    for extra in [
        &[][..],
        &["--project", "1"][..],
        &["--community", "1", "--since", "2026-11-01"][..],
    ] {
        let log = log_without_times(file, extra);
        assert!(!log.as_array().expect("list").is_empty(), "{extra:?}");
        assert_eq!(log, log_without_times(db, extra), "log {extra:?}");
    }
}

#[test]
fn every_kind_of_adjustment_and_its_undo_are_the_same_on_both_engines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some((file, db)) = twins(dir.path()) else {
        return;
    };
    let ok = |args: &[&str]| {
        let (success, out) = step(&file, &db, args);
        assert!(success, "{args:?}");
        out
    };
    let r = ["--reason", "周例会决定"];
    let with = |args: &[&'static str]| [args, &r[..]].concat();
    ok(&with(&[
        "adjust",
        "reschedule",
        "--project",
        "1",
        "--due",
        "2027-01-31",
    ]));
    ok(&with(&["adjust", "pause", "--project", "1"]));
    ok(&with(&["adjust", "resume", "--project", "1"]));
    let activity = ok(&with(&[
        "adjust",
        "activity",
        "--project",
        "1",
        "--held-on",
        "2026-11-20",
        "--planned",
        "30",
        "--actual",
        "24",
    ]));
    ok(&with(&[
        "adjust",
        "meeting",
        "--community",
        "1",
        "--kind",
        "quarterly",
        "--held-on",
        "2026-11-20",
        "--attendees",
        "12",
        "--note",
        "第四季度",
    ]));
    ok(&with(&[
        "adjust",
        "add-project",
        "--community",
        "2",
        "--title",
        "垃圾分类督导",
        "--due",
        "2027-03-31",
        "--unit",
        "1",
    ]));
    let convert = ok(&with(&[
        "adjust",
        "convert",
        "--project",
        "1",
        "--title",
        "老年兴趣小组",
        "--due",
        "2027-06-30",
    ]));
    ok(&with(&[
        "adjust",
        "revise",
        "--project",
        "3",
        "--title",
        "家长课堂（春季）",
    ]));
    ok(&with(&[
        "adjust",
        "link-need",
        "--project",
        "3",
        "--need",
        "3",
    ]));
    ok(&with(&[
        "adjust",
        "survey",
        "--project",
        "3",
        "--held-on",
        "2026-11-10",
        "--respondents",
        "20",
        "--satisfied",
        "18",
    ]));
    ok(&with(&[
        "adjust",
        "add-member",
        "--community",
        "1",
        "--name",
        "陈红",
        "--workplace",
        "1",
        "--registered-on",
        "2026-11-01",
    ]));
    ok(&with(&[
        "adjust",
        "member-left",
        "--community",
        "1",
        "--member",
        "王建国",
        "--left-on",
        "2026-11-25",
    ]));
    ok(&with(&[
        "adjust",
        "service",
        "--community",
        "1",
        "--members",
        "李秀英,张伟",
        "--served-on",
        "2026-11-21",
        "--duration",
        "2",
    ]));
    ok(&with(&[
        "adjust",
        "resource-use",
        "--community",
        "1",
        "--resource",
        "1",
        "--times",
        "2",
    ]));
    ok(&with(&[
        "adjust",
        "grade",
        "--community",
        "1",
        "--year",
        "2025",
        "--subject",
        "community",
        "--assessor",
        "self",
        "--grade",
        "excellent",
    ]));
    let setting = ok(&[
        "settings",
        "participation_alert_pct",
        "50",
        "--reason",
        "试行",
    ]);
    // Refusals are the same too, and write nothing.
    let (success, _) = step(&file, &db, &with(&["adjust", "pause", "--project", "1"]));
    assert!(!success, "a cancelled project cannot be paused");
    let (success, _) = step(
        &file,
        &db,
        &[
            "settings",
            "participation_alert_pct",
            "50",
            "--reason",
            "再试",
        ],
    );
    assert!(!success, "the same value again");
    let setting_again = ok(&[
        "settings",
        "participation_alert_pct",
        "55",
        "--reason",
        "再调",
    ]);
    let (success, _) = step(
        &file,
        &db,
        &["adjust", "undo", "--entry", &setting, "--reason", "旧"],
    );
    assert!(!success, "the setting changed since that entry");
    for entry in [&activity, &setting_again, &convert] {
        ok(&["adjust", "undo", "--entry", entry, "--reason", "录错了"]);
    }
    let (success, _) = step(
        &file,
        &db,
        &["adjust", "undo", "--entry", &activity, "--reason", "again"],
    );
    assert!(!success, "an entry is undone once");
    ok(&["settings"]);
    same_afterwards(&file, &db);
}

#[test]
fn a_read_only_role_is_told_in_its_own_words_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some((_file, db)) = twins(dir.path()) else {
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_gongjian"))
        .args([
            "--db",
            &db,
            "--readonly",
            "adjust",
            "pause",
            "--project",
            "1",
            "--reason",
            "x",
        ])
        .env_remove("GONGJIAN_DB")
        .env("GONGJIAN_LANG", "en")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("PostgreSQL database")
            && err.contains("--readonly")
            && err.contains("nothing was written"),
        "{err}"
    );
}

mod concurrency {
    use super::*;
    use gongjian::adjust::{self, Action, AdjustError};
    use gongjian::store::Access;
    use gongjian::store::pg::{Given, PgStore, PgUrl};

    fn open(db: &str) -> PgStore {
        PgStore::open(
            &PgUrl::parse(db, Given::CommandLine).expect("address"),
            Access::ReadWrite,
        )
        .expect("open")
    }

    fn day(text: &str) -> chrono::NaiveDate {
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
    }

    fn log_count(store: &mut PgStore) -> i64 {
        store
            .client()
            .query_one("SELECT count(*) FROM adjustment", &[])
            .expect("count")
            .get(0)
    }

    /// Two terminals open the same project's form; the first to save wins, the second is told
    /// what changed and writes nothing; the first one's change stays.
    #[test]
    fn the_second_of_two_terminals_editing_one_project_is_told_and_nothing_is_lost() {
        let dir = tempfile::tempdir().expect("tempdir");
        let Some((_file, db)) = twins(dir.path()) else {
            return;
        };
        let (mut a, mut b) = (open(&db), open(&db));
        let seen_a = a
            .read_as(|src| adjust::project_state(src, 1))
            .expect("read")
            .expect("project 1");
        let seen_b = b
            .read_as(|src| adjust::project_state(src, 1))
            .expect("read")
            .expect("project 1");
        let before = log_count(&mut a);
        let now = chrono::Utc::now();
        adjust::apply(
            &mut a,
            &Action::Reschedule {
                project: 1,
                due: day("2027-02-28"),
            },
            "甲",
            "延期",
            now,
            Some(&seen_a),
        )
        .expect("the first save");
        let e = adjust::apply(
            &mut b,
            &Action::Pause { project: 1 },
            "乙",
            "暂停",
            now,
            Some(&seen_b),
        )
        .expect_err("the second is refused");
        let AdjustError::Conflict(conflict) = &e else {
            panic!("{e:?}");
        };
        assert_eq!(conflict.current.due_on, "2027-02-28");
        assert!(
            e.message(gongjian::i18n::Lang::En)
                .contains("due date: 2026-12-22 → 2027-02-28"),
            "{}",
            e.message(gongjian::i18n::Lang::En)
        );
        assert_eq!(log_count(&mut b), before + 1, "one entry, the winner's");
        let now_b = b
            .read_as(|src| adjust::project_state(src, 1))
            .expect("read")
            .expect("project 1");
        assert_eq!(
            (now_b.due_on.as_str(), now_b.status.as_str()),
            ("2027-02-28", "active")
        );
    }

    /// Terminals writing the same rows at the same moment: the server makes one of them wait or
    /// fail with a serialization failure, which is retried; every write lands, once.
    #[test]
    fn simultaneous_writes_on_one_project_are_retried_and_all_land() {
        let dir = tempfile::tempdir().expect("tempdir");
        let Some((_file, db)) = twins(dir.path()) else {
            return;
        };
        let sessions = |store: &mut PgStore| -> i64 {
            store
                .client()
                .query_one("SELECT count(*) FROM activity WHERE project_id = 1", &[])
                .expect("count")
                .get(0)
        };
        let mut first = open(&db);
        let (before, sessions_before) = (log_count(&mut first), sessions(&mut first));
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let db = db.clone();
                std::thread::spawn(move || {
                    let mut store = open(&db);
                    for i in 0..5 {
                        adjust::apply(
                            &mut store,
                            &Action::Activity {
                                project: 1,
                                held_on: day("2026-11-20"),
                                planned: 10 + t,
                                actual: i,
                            },
                            "并发",
                            "同时记录",
                            chrono::Utc::now(),
                            None,
                        )
                        .expect("lands after retries");
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread");
        }
        let mut store = open(&db);
        assert_eq!(log_count(&mut store), before + 20);
        assert_eq!(sessions(&mut store), sessions_before + 20);
    }

    /// A serialization failure inside an adjustment's transaction runs the whole adjustment
    /// again: one entry, one change.
    #[test]
    fn a_forced_serialization_failure_is_retried_through_the_writer() {
        let dir = tempfile::tempdir().expect("tempdir");
        let Some((_file, db)) = twins(dir.path()) else {
            return;
        };
        let mut store = open(&db);
        let before = log_count(&mut store);
        let mut attempts = 0;
        let id = gongjian::store::WriteStore::write_on(&mut store, |w| {
            attempts += 1;
            let id = w.insert(
                "INSERT INTO street (name) VALUES (?1)",
                &["重试街道".into()],
            )?;
            if attempts < 3 {
                w.execute(
                    "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$",
                    &[],
                )?;
            }
            Ok::<_, gongjian::error::Error>(id)
        })
        .expect("the third attempt");
        assert_eq!(attempts, 3);
        let names: i64 = store
            .client()
            .query_one("SELECT count(*) FROM street WHERE name = '重试街道'", &[])
            .expect("count")
            .get(0);
        assert_eq!(names, 1, "street #{id} written once");
        assert_eq!(log_count(&mut store), before);
    }
}
