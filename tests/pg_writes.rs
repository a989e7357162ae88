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

/// An import (sheets of every kind the demo's names fit) says the same and writes the same on
/// both engines; a second import of the same files changes nothing on either.
#[test]
fn an_import_is_the_same_on_both_engines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some((file, db)) = twins(dir.path()) else {
        return;
    };
    let sheet = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        path.to_str().expect("utf-8").to_string()
    };
    let files = [
        sheet(
            "需求清单.csv",
            "街道,社区,需求名称,提出日期,来源,对接项目\r\n,石羊塘社区,老人助餐,2026-03-01,,#1\r\n,港宁社区,电梯加装,2026-02-01,,\r\n",
        ),
        sheet(
            "项目清单.csv",
            "社区,项目名称,截止日期\r\n石羊塘社区,暑期托管班,2026-12-31\r\n",
        ),
        sheet(
            "满意度.csv",
            "社区,项目,调查日期,受访人数,满意人数\r\n石羊塘社区,#1,2026-10-01,50,40\r\n",
        ),
        sheet(
            "报到党员.csv",
            "社区,姓名,工作单位,报到日期,离开日期\r\n石羊塘社区,陈红,西江区人民医院,2026-01-10,\r\n",
        ),
        sheet(
            "服务签到.csv",
            "报到党员,社区,服务日期,服务时长\r\n李秀英,石羊塘社区,2026-11-20,2\r\n",
        ),
        sheet(
            "考评结果.csv",
            "年度,对象,评价方,等次,说明,社区\r\n2025,石羊塘社区,第三方评估,良好,专家评估,\r\n",
        ),
    ];
    let with = |first: &[&str]| -> Vec<String> {
        first
            .iter()
            .map(|s| s.to_string())
            .chain(files.iter().cloned())
            .collect()
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        step(&file, &db, &args)
    };
    let (success, dry) = run(with(&["import", "--dry-run"]));
    assert!(success && !dry.is_empty(), "{dry}");
    let (success, said) = run(with(&["import"]));
    assert!(success, "{said}");
    let (success, again) = run(with(&["import"]));
    assert!(success, "{again}");
    // A sheet with a bad row is refused the same way, and writes nothing on either.
    let bad = sheet(
        "坏的项目清单.csv",
        "社区,项目名称,截止日期\r\n没有这个社区,某项目,2026-12-31\r\n",
    );
    let (success, _) = step(&file, &db, &["import", &bad]);
    assert!(!success);
    same_afterwards(&file, &db);
}

/// The minutes written from a server are the file's, word for word.
#[test]
fn the_minutes_are_the_same_on_both_engines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some((file, db)) = twins(dir.path()) else {
        return;
    };
    let minutes = |d: &str, name: &str| {
        let path = dir.path().join(name);
        let out = gongjian(
            d,
            &[
                "review",
                "--export",
                path.to_str().expect("utf-8"),
                "--since",
                "2026-11-01",
            ],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        std::fs::read_to_string(path).expect("minutes")
    };
    let from_file = minutes(&file, "file.md");
    assert!(from_file.len() > 200, "{from_file}");
    assert_eq!(from_file, minutes(&db, "server.md"));
}

/// The weekly review's writes (start, items, decisions made, changed, done and undone, the
/// end, a review left open and closed later) give the same rows and log on both engines.
mod review {
    use super::*;
    use gongjian::review::{self, Outcome};
    use gongjian::store::pg::{Given, PgStore, PgUrl};
    use gongjian::store::rows::Source;
    use gongjian::store::{Access, Store, WriteStore};

    fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::parse_from_rfc3339(text)
            .expect("time")
            .with_timezone(&chrono::Utc)
    }

    /// Everything the review leaves, as text: the summary, the reviews, the decisions, the log.
    fn run(store: &mut impl WriteStore) -> String {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("day");
        let report = store
            .read_on(|src: &dyn Source| {
                gongjian::report::build_on(src, today, gongjian::store::Scope::District)
            })
            .expect("report")
            .report;
        let figures_of = |id: i64| {
            report
                .communities
                .iter()
                .find(|c| c.id == id)
                .expect("community")
                .clone()
        };
        let id = review::start_review(store, "王芳、李明", None, at("2026-11-30T01:00:00Z"))
            .expect("start");
        review::record_item(
            store,
            id,
            1,
            &figures_of(1),
            Outcome::Covered,
            at("2026-11-30T01:05:00Z"),
        )
        .expect("item");
        review::record_item(
            store,
            id,
            2,
            &figures_of(2),
            Outcome::Skipped,
            at("2026-11-30T01:06:00Z"),
        )
        .expect("item");
        let decision = review::add_decision(
            store,
            Some(id),
            1,
            "补齐活动记录",
            "张伟",
            "2026-12-15",
            "王芳",
            today,
            at("2026-11-30T01:07:00Z"),
        )
        .expect("decision");
        review::edit_decision(
            store,
            decision,
            "补齐活动记录和签到表",
            "张伟",
            "2026-12-20",
            "延期",
            "王芳",
            today,
            at("2026-11-30T01:08:00Z"),
        )
        .expect("edit");
        let other = review::add_decision(
            store,
            Some(id),
            1,
            "联系区医院",
            "李秀英",
            "2026-12-10",
            "王芳",
            today,
            at("2026-11-30T01:09:00Z"),
        )
        .expect("decision");
        let logged: i64 = store
            .read_on(|src: &dyn Source| {
                gongjian::store::rows::query_one(src, "SELECT max(id) FROM adjustment", &[], |r| {
                    r.get::<i64>(0)
                })
            })
            .expect("read")
            .expect("an entry");
        gongjian::adjust::undo(store, logged, "王芳", "记错了", at("2026-11-30T01:10:00Z"))
            .expect("undo");
        review::complete_decision(
            store,
            decision,
            "已补齐",
            "张伟",
            at("2026-11-30T01:11:00Z"),
        )
        .expect("done");
        let e =
            review::complete_decision(store, decision, "again", "张伟", at("2026-11-30T01:12:00Z"))
                .expect_err("done once");
        let summary =
            review::end_review(store, id, today, at("2026-11-30T01:15:00Z")).expect("end");
        // A review left open (a terminal closed) is closed as interrupted the next day.
        review::start_review(store, "赵敏", Some(1), at("2026-11-30T02:00:00Z")).expect("start");
        let closed = review::close_stale_reviews(store, at("2026-12-01T09:00:00Z")).expect("close");
        let (latest, decisions, log) = store
            .read_on(|src: &dyn Source| {
                Ok::<_, gongjian::error::Error>((
                    review::latest_review(src)?,
                    review::decisions(src, None, today)?,
                    gongjian::adjust::history(src, &Default::default())?,
                ))
            })
            .expect("read");
        format!(
            "{summary:#?}\n{}\n{other}\n{closed}\n{latest:#?}\n{decisions:#?}\n{log:#?}",
            e.message(gongjian::i18n::Lang::En)
        )
    }

    #[test]
    fn the_review_writes_the_same_on_both_engines() {
        let dir = tempfile::tempdir().expect("tempdir");
        let Some((file, db)) = twins(dir.path()) else {
            return;
        };
        let mut on_file = Store::open(Path::new(&file), Access::ReadWrite).expect("file");
        let mut on_server = PgStore::open(
            &PgUrl::parse(&db, Given::CommandLine).expect("address"),
            Access::ReadWrite,
        )
        .expect("server");
        let a = run(&mut on_file);
        assert!(a.contains("interrupted: true"), "{a}");
        assert_eq!(a, run(&mut on_server));
    }
}
