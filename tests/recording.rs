//! Recording on the spot (contract version 2): a project linked to the need it answers, a
//! project added for a need, a survey, a member registering and leaving, service sessions
//! from a sign-in sheet, a resource used. Each through validation as a form or the command
//! line gives it, written with its log entry, and undone.

mod common;

use chrono::{DateTime, TimeZone, Utc};
use common::bin;
use gongjian::adjust::AdjustError as Error;
use gongjian::adjust::{self, ActionKind, Raw, key};
use gongjian::i18n::Lang;
use gongjian::store::{Access, Store};
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-11-28";

const SEED: &str = "
    INSERT INTO street VALUES (1, '西江街道');
    INSERT INTO community VALUES (1, 1, '石羊塘社区'), (2, 1, '港宁社区');
    INSERT INTO unit VALUES (1, '区人民医院', '医院'), (2, '石羊塘小学', '学校');
    INSERT INTO contract VALUES (1, 1, 1, '2026-01-10');
    INSERT INTO project (id, community_id, unit_id, title, due_on, status, done_on) VALUES
      (1, 1, 1, '健康讲座', '2026-12-20', 'active', NULL),
      (2, 1, NULL, '楼道清理', '2026-10-31', 'paused', NULL),
      (3, 1, 2, '家长课堂', '2026-07-15', 'done', '2026-07-10'),
      (4, 2, NULL, '老年大学', '2026-09-30', 'cancelled', NULL);
    INSERT INTO need (id, community_id, title, raised_on, source) VALUES
      (1, 1, '老人助餐', '2026-06-01', 'survey'), (2, 2, '儿童托管', '2026-08-01', 'forum');
    INSERT INTO resource (id, community_id, unit_id, title, times_used) VALUES
      (1, 1, 1, '会议室', 0), (2, 1, 2, '技术类图书200册', 3);
    INSERT INTO member (id, community_id, unit_id, name, registered_on, left_on) VALUES
      (1, 1, 1, '王芳', '2026-01-10', NULL), (2, 1, 2, '李强', '2026-03-01', NULL),
      (3, 1, NULL, '赵敏', '2025-05-01', '2026-06-30'), (4, 2, 1, '王芳', '2026-02-01', NULL);";

fn seeded(dir: &Path) -> PathBuf {
    let path = dir.join("shared.db");
    let mut store = Store::create(&path).expect("create");
    store.write(|tx| Ok(tx.execute_batch(SEED)?)).expect("seed");
    path
}

fn open(path: &Path) -> Store {
    Store::open(path, Access::ReadWrite).expect("open")
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 2, 30, 0)
        .single()
        .expect("time")
}

fn today() -> chrono::NaiveDate {
    gongjian::dates::parse_ymd(TODAY).expect("date")
}

fn raw(pairs: &[(&'static str, &str)]) -> Raw {
    let mut raw = Raw::new()
        .with(key::REASON, "现场登记")
        .with(key::OPERATOR, "王芳");
    for (k, v) in pairs {
        raw.set(k, *v);
    }
    raw
}

/// Validates as a form would and saves; the new entry's id.
fn record(store: &mut Store, kind: ActionKind, pairs: &[(&'static str, &str)]) -> i64 {
    let request = adjust::validate(store.conn(), kind, &raw(pairs), today())
        .unwrap_or_else(|e| panic!("{kind:?} {pairs:?}: {}", e.message(Lang::En)));
    adjust::apply(
        store,
        &request.action,
        &request.operator,
        &request.reason,
        now(),
        None,
    )
    .unwrap_or_else(|e| panic!("{kind:?}: {}", e.message(Lang::En)))
}

/// The fields refused, each message said in both languages.
fn refused(store: &Store, kind: ActionKind, pairs: &[(&'static str, &str)]) -> Vec<&'static str> {
    match adjust::validate(store.conn(), kind, &raw(pairs), today()) {
        Ok(r) => panic!("{kind:?} {pairs:?} accepted: {r:?}"),
        Err(Error::Invalid(errors)) => {
            for e in &errors {
                assert!(!e.zh.is_empty() && !e.en.is_empty(), "{e:?}");
            }
            errors.iter().map(|e| e.field).collect()
        }
        Err(other) => panic!("{kind:?}: unexpected {other:?}"),
    }
}

fn undo(store: &mut Store, entry: i64) -> i64 {
    adjust::undo(store, entry, "王芳", "录入有误", now())
        .unwrap_or_else(|e| panic!("undo #{entry}: {}", e.message(Lang::En)))
}

fn int(store: &Store, sql: &str) -> Option<i64> {
    store
        .conn()
        .query_row(sql, [], |r| r.get(0))
        .expect("query")
}

fn text(store: &Store, sql: &str) -> Option<String> {
    store
        .conn()
        .query_row(sql, [], |r| r.get(0))
        .expect("query")
}

fn entry(store: &Store, id: i64) -> adjust::Entry {
    adjust::entry(store.conn(), id)
        .expect("read")
        .expect("entry exists")
}

fn lines(store: &Store, id: i64, lang: Lang) -> Vec<String> {
    entry(store, id)
        .changes()
        .iter()
        .map(|c| c.line(lang))
        .collect()
}

#[test]
fn a_project_is_linked_to_the_need_it_answers_and_unlinked_by_undo() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&seeded(dir.path()));
    let id = record(
        &mut store,
        ActionKind::LinkNeed,
        &[(key::PROJECT, "1"), (key::NEED, "1")],
    );
    assert_eq!(
        int(&store, "SELECT need_id FROM project WHERE id = 1"),
        Some(1)
    );
    let e = entry(&store, id);
    assert_eq!((e.action.as_str(), e.project_id), ("link-need", Some(1)));
    assert_eq!(e.community_id, Some(1));
    assert_eq!(lines(&store, id, Lang::Zh), ["对接需求：（无） → 1"]);
    // The same link again changes nothing and is refused; so is a need that does not exist,
    // and a cancelled project.
    assert_eq!(
        refused(
            &store,
            ActionKind::LinkNeed,
            &[(key::PROJECT, "1"), (key::NEED, "1")]
        ),
        [key::NEED]
    );
    assert_eq!(
        refused(
            &store,
            ActionKind::LinkNeed,
            &[(key::PROJECT, "2"), (key::NEED, "9")]
        ),
        [key::NEED]
    );
    assert_eq!(
        refused(
            &store,
            ActionKind::LinkNeed,
            &[(key::PROJECT, "4"), (key::NEED, "2")]
        ),
        [key::PROJECT]
    );
    undo(&mut store, id);
    assert_eq!(
        int(&store, "SELECT need_id FROM project WHERE id = 1"),
        None
    );
    // Undone once only.
    assert!(matches!(
        adjust::undo(&mut store, id, "王芳", "again", now()),
        Err(Error::AlreadyUndone { .. })
    ));
    // A link changed since by another tool is not overwritten.
    let id = record(
        &mut store,
        ActionKind::LinkNeed,
        &[(key::PROJECT, "2"), (key::NEED, "2")],
    );
    store
        .conn()
        .execute("UPDATE project SET need_id = 1 WHERE id = 2", [])
        .expect("other tool");
    let err = adjust::undo(&mut store, id, "王芳", "撤销", now()).expect_err("stale");
    assert!(matches!(err, Error::UndoStale(_)), "{err:?}");
    assert_eq!(
        int(&store, "SELECT need_id FROM project WHERE id = 2"),
        Some(1)
    );
}

#[test]
fn a_project_added_for_a_need_answers_it_until_undone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&seeded(dir.path()));
    let id = record(
        &mut store,
        ActionKind::AddProject,
        &[
            (key::COMMUNITY, "2"),
            (key::TITLE, "四点半课堂"),
            (key::DUE, "2027-03-31"),
            (key::NEED, "2"),
        ],
    );
    let project = entry(&store, id).project_id.expect("new project");
    assert_eq!(
        int(
            &store,
            &format!("SELECT need_id FROM project WHERE id = {project}")
        ),
        Some(2)
    );
    assert_eq!(
        refused(
            &store,
            ActionKind::AddProject,
            &[
                (key::COMMUNITY, "2"),
                (key::TITLE, "x"),
                (key::DUE, "2027-03-31"),
                (key::NEED, "7"),
            ]
        ),
        [key::NEED]
    );
    undo(&mut store, id);
    assert_eq!(
        text(
            &store,
            &format!("SELECT status FROM project WHERE id = {project}")
        )
        .as_deref(),
        Some("cancelled")
    );
}

#[test]
fn a_survey_is_recorded_checked_and_undone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&seeded(dir.path()));
    let id = record(
        &mut store,
        ActionKind::Survey,
        &[
            (key::PROJECT, "1"),
            (key::HELD_ON, "2026-11-20"),
            (key::RESPONDENTS, "50"),
            (key::SATISFIED, "29"),
        ],
    );
    assert_eq!(
        int(
            &store,
            "SELECT count(*) FROM survey WHERE project_id = 1 AND respondents = 50 AND satisfied = 29 AND held_on = '2026-11-20'"
        ),
        Some(1)
    );
    assert_eq!(
        lines(&store, id, Lang::En),
        [
            "date: (none) → 2026-11-20",
            "respondents: (none) → 50",
            "satisfied: (none) → 29"
        ]
    );
    for (pairs, fields) in [
        (
            vec![(key::RESPONDENTS, "10"), (key::SATISFIED, "11")],
            vec![key::SATISFIED],
        ),
        (
            vec![(key::RESPONDENTS, "0"), (key::SATISFIED, "0")],
            vec![key::RESPONDENTS],
        ),
        (
            vec![(key::RESPONDENTS, "10"), (key::SATISFIED, "-1")],
            vec![key::SATISFIED],
        ),
    ] {
        let mut all = vec![(key::PROJECT, "1"), (key::HELD_ON, "2026-11-20")];
        all.extend(pairs);
        assert_eq!(refused(&store, ActionKind::Survey, &all), fields, "{all:?}");
    }
    assert_eq!(
        refused(
            &store,
            ActionKind::Survey,
            &[
                (key::PROJECT, "4"),
                (key::HELD_ON, "2026-11-20"),
                (key::RESPONDENTS, "5"),
                (key::SATISFIED, "5"),
            ]
        ),
        [key::PROJECT]
    );
    assert_eq!(
        refused(
            &store,
            ActionKind::Survey,
            &[
                (key::PROJECT, "1"),
                (key::HELD_ON, "2026-11-29"),
                (key::RESPONDENTS, "5"),
                (key::SATISFIED, "5"),
            ]
        ),
        [key::HELD_ON]
    );
    undo(&mut store, id);
    assert_eq!(int(&store, "SELECT count(*) FROM survey"), Some(0));
}

#[test]
fn a_member_registers_leaves_and_both_are_undone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&seeded(dir.path()));
    let joined = record(
        &mut store,
        ActionKind::AddMember,
        &[
            (key::COMMUNITY, "1"),
            (key::NAME, " 陈静 "),
            (key::WORKPLACE, "石羊塘小学"),
            (key::REGISTERED_ON, "2026-11-01"),
        ],
    );
    let member = int(&store, "SELECT id FROM member WHERE name = '陈静'").expect("member");
    assert_eq!(
        int(
            &store,
            &format!("SELECT unit_id FROM member WHERE id = {member}")
        ),
        Some(2)
    );
    // Leaving: by name within the community; not before registering; not twice.
    assert_eq!(
        refused(
            &store,
            ActionKind::MemberLeft,
            &[
                (key::COMMUNITY, "1"),
                (key::MEMBER, "陈静"),
                (key::LEFT_ON, "2026-10-01")
            ]
        ),
        [key::LEFT_ON]
    );
    let left = record(
        &mut store,
        ActionKind::MemberLeft,
        &[
            (key::COMMUNITY, "1"),
            (key::MEMBER, "陈静"),
            (key::LEFT_ON, "2026-11-27"),
        ],
    );
    assert_eq!(
        text(
            &store,
            &format!("SELECT left_on FROM member WHERE id = {member}")
        )
        .as_deref(),
        Some("2026-11-27")
    );
    assert_eq!(
        lines(&store, left, Lang::Zh),
        ["离开日期：（无） → 2026-11-27"]
    );
    assert_eq!(
        refused(
            &store,
            ActionKind::MemberLeft,
            &[
                (key::COMMUNITY, "1"),
                (key::MEMBER, &member.to_string()),
                (key::LEFT_ON, "2026-11-28")
            ]
        ),
        [key::MEMBER]
    );
    // A member of another community, and a name nobody has here.
    for who in ["4", "钱多多"] {
        assert_eq!(
            refused(
                &store,
                ActionKind::MemberLeft,
                &[
                    (key::COMMUNITY, "1"),
                    (key::MEMBER, who),
                    (key::LEFT_ON, "2026-11-28")
                ]
            ),
            [key::MEMBER],
            "{who}"
        );
    }
    undo(&mut store, left);
    assert_eq!(
        text(
            &store,
            &format!("SELECT left_on FROM member WHERE id = {member}")
        ),
        None
    );
    // A member with service records is not deleted by undoing the registration.
    let served = record(
        &mut store,
        ActionKind::Service,
        &[
            (key::COMMUNITY, "1"),
            (key::MEMBERS, "陈静"),
            (key::SERVED_ON, "2026-11-20"),
            (key::DURATION, "2"),
        ],
    );
    let err = adjust::undo(&mut store, joined, "王芳", "撤销", now()).expect_err("stale");
    assert!(matches!(err, Error::UndoStale(_)), "{err:?}");
    undo(&mut store, served);
    undo(&mut store, joined);
    assert_eq!(int(&store, "SELECT count(*) FROM member"), Some(4));
}

#[test]
fn a_sign_in_sheet_records_one_session_per_member_and_is_undone_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&seeded(dir.path()));
    let id = record(
        &mut store,
        ActionKind::Service,
        &[
            (key::COMMUNITY, "1"),
            (key::MEMBERS, "王芳、李强"),
            (key::SERVED_ON, "2026-11-21"),
            (key::DURATION, "1小时30分"),
            (key::PROJECT, "1"),
            (key::NOTE, "垃圾分类值守"),
        ],
    );
    assert_eq!(
        int(
            &store,
            "SELECT count(*) FROM service WHERE served_on = '2026-11-21' AND minutes = 90 AND project_id = 1 AND note = '垃圾分类值守' AND member_id IN (1, 2)"
        ),
        Some(2)
    );
    let e = entry(&store, id);
    assert_eq!(e.community_id, Some(1));
    assert_eq!(e.after["services"].as_array().map(Vec::len), Some(2));
    // The three spellings of 90 minutes, and ids mixed with names.
    for duration in ["1.5", "90分钟", "1.5小时"] {
        let request = adjust::validate(
            store.conn(),
            ActionKind::Service,
            &raw(&[
                (key::COMMUNITY, "1"),
                (key::MEMBERS, "1, 李强"),
                (key::SERVED_ON, "2026-11-21"),
                (key::DURATION, duration),
            ]),
            today(),
        )
        .expect("valid");
        let adjust::Action::Service {
            minutes, members, ..
        } = request.action
        else {
            panic!("not a service");
        };
        assert_eq!((minutes, members), (90, vec![1, 2]), "{duration}");
    }
    for (field, value, why) in [
        (key::MEMBERS, "", "blank"),
        (key::MEMBERS, "王芳，王芳", "twice"),
        (key::MEMBERS, "王芳、赵敏", "left in June"),
        (key::MEMBERS, "王芳 4", "another community"),
        (key::MEMBERS, "钱多多", "nobody"),
        (key::DURATION, "0", "zero"),
        (key::DURATION, "一小时", "words"),
        (key::DURATION, "25小时", "over a day"),
        (key::PROJECT, "99", "no such project"),
    ] {
        let mut pairs = vec![
            (key::COMMUNITY, "1"),
            (key::MEMBERS, "王芳"),
            (key::SERVED_ON, "2026-11-21"),
            (key::DURATION, "2"),
        ];
        pairs.retain(|(k, _)| *k != field);
        pairs.push((field, value));
        assert_eq!(
            refused(&store, ActionKind::Service, &pairs),
            [field],
            "{why}"
        );
    }
    // Before a member registered.
    assert_eq!(
        refused(
            &store,
            ActionKind::Service,
            &[
                (key::COMMUNITY, "1"),
                (key::MEMBERS, "李强"),
                (key::SERVED_ON, "2026-02-01"),
                (key::DURATION, "2"),
            ]
        ),
        [key::MEMBERS]
    );
    undo(&mut store, id);
    assert_eq!(int(&store, "SELECT count(*) FROM service"), Some(0));
}

#[test]
fn a_resource_used_counts_up_and_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&seeded(dir.path()));
    let id = record(
        &mut store,
        ActionKind::ResourceUse,
        &[
            (key::COMMUNITY, "1"),
            (key::RESOURCE, "会议室"),
            (key::TIMES, "2"),
        ],
    );
    assert_eq!(
        int(&store, "SELECT times_used FROM resource WHERE id = 1"),
        Some(2)
    );
    assert_eq!(lines(&store, id, Lang::En), ["times used: 0 → 2"]);
    for (field, value) in [
        (key::RESOURCE, "不存在的资源"),
        (key::TIMES, "0"),
        (key::RESOURCE, ""),
    ] {
        let mut pairs = vec![
            (key::COMMUNITY, "1"),
            (key::RESOURCE, "1"),
            (key::TIMES, "1"),
        ];
        pairs.retain(|(k, _)| *k != field);
        pairs.push((field, value));
        assert_eq!(
            refused(&store, ActionKind::ResourceUse, &pairs),
            [field],
            "{value}"
        );
    }
    // A resource of another community.
    assert_eq!(
        refused(
            &store,
            ActionKind::ResourceUse,
            &[
                (key::COMMUNITY, "2"),
                (key::RESOURCE, "1"),
                (key::TIMES, "1")
            ]
        ),
        [key::RESOURCE]
    );
    undo(&mut store, id);
    assert_eq!(
        int(&store, "SELECT times_used FROM resource WHERE id = 1"),
        Some(0)
    );
}

#[test]
fn the_command_line_records_a_sign_in_sheet_and_undoes_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = seeded(dir.path());
    let run = |args: &[&str]| {
        bin()
            .arg("--db")
            .arg(&db)
            .args(["--today", TODAY, "--operator", "王芳"])
            .args(args)
            .output()
            .expect("run")
    };
    let out = run(&[
        "adjust",
        "service",
        "--community",
        "1",
        "--members",
        "王芳,李强",
        "--served-on",
        "2026-11-20",
        "--duration",
        "90分钟",
        "--reason",
        "签到表",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let store = open(&db);
    assert_eq!(int(&store, "SELECT sum(minutes) FROM service"), Some(180));
    drop(store);
    let out = run(&[
        "adjust",
        "survey",
        "--project",
        "1",
        "--held-on",
        "2026-11-20",
        "--respondents",
        "10",
        "--satisfied",
        "12",
        "--reason",
        "群众评单",
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("满意人数（--satisfied）"), "{stderr}");
    let out = run(&["adjust", "undo", "--entry", &id, "--reason", "录入有误"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = open(&db);
    assert_eq!(int(&store, "SELECT count(*) FROM service"), Some(0));
}

#[test]
fn a_grade_is_recorded_replaced_and_undone_step_by_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&seeded(dir.path()));
    let grade = |store: &Store| {
        text(
            store,
            "SELECT grade || '/' || note FROM assessment WHERE year = 2026 AND subject = 'contract' AND subject_id = 1 AND assessor = 'community'",
        )
    };
    let first = record(
        &mut store,
        ActionKind::Grade,
        &[
            (key::COMMUNITY, "1"),
            (key::YEAR, "2026"),
            (key::SUBJECT, "共建契约"),
            (key::GRADED_UNIT, "区人民医院"),
            (key::ASSESSOR, "社区评议"),
            (key::GRADE, "一般"),
            (key::NOTE, "项目延期"),
        ],
    );
    assert_eq!(grade(&store).as_deref(), Some("fair/项目延期"));
    // A second grade for the same year, subject and assessor replaces the first.
    let second = record(
        &mut store,
        ActionKind::Grade,
        &[
            (key::COMMUNITY, "1"),
            (key::YEAR, "2026"),
            (key::SUBJECT, "contract"),
            (key::GRADED_UNIT, "1"),
            (key::ASSESSOR, "community"),
            (key::GRADE, "良好"),
        ],
    );
    assert_eq!(grade(&store).as_deref(), Some("good/"));
    assert_eq!(
        lines(&store, second, Lang::Zh),
        ["等次：一般 → 良好", "备注：项目延期 → （无）"]
    );
    assert_eq!(int(&store, "SELECT count(*) FROM assessment"), Some(1));
    for (pairs, field) in [
        // A contract is graded by the community only.
        (
            vec![
                (key::SUBJECT, "contract"),
                (key::GRADED_UNIT, "1"),
                (key::ASSESSOR, "self"),
            ],
            key::ASSESSOR,
        ),
        // No contract with unit 2; a unit grade without the unit.
        (
            vec![
                (key::SUBJECT, "contract"),
                (key::GRADED_UNIT, "2"),
                (key::ASSESSOR, "community"),
            ],
            key::GRADED_UNIT,
        ),
        (
            vec![(key::SUBJECT, "unit"), (key::ASSESSOR, "self")],
            key::GRADED_UNIT,
        ),
        (
            vec![(key::SUBJECT, "street"), (key::ASSESSOR, "self")],
            key::SUBJECT,
        ),
    ] {
        let mut all = vec![
            (key::COMMUNITY, "1"),
            (key::YEAR, "2026"),
            (key::GRADE, "优秀"),
        ];
        all.extend(pairs);
        assert_eq!(refused(&store, ActionKind::Grade, &all), [field], "{all:?}");
    }
    assert_eq!(
        refused(
            &store,
            ActionKind::Grade,
            &[
                (key::COMMUNITY, "1"),
                (key::YEAR, "2027"),
                (key::SUBJECT, "community"),
                (key::ASSESSOR, "self"),
                (key::GRADE, "优秀"),
            ]
        ),
        [key::YEAR]
    );
    undo(&mut store, second);
    assert_eq!(grade(&store).as_deref(), Some("fair/项目延期"));
    undo(&mut store, first);
    assert_eq!(int(&store, "SELECT count(*) FROM assessment"), Some(0));
}
