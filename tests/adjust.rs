//! Adjustments against real files in temporary folders: each action and its log entry, the
//! transaction, undo, conflicts between two terminals, the append-only log, and the same
//! through the real binary.

mod common;

use chrono::{DateTime, TimeZone, Utc};
use common::bin;
use gongjian::adjust::AdjustError;
use gongjian::adjust::{
    self, Action, ActionKind, HistoryFilter, MeetingKind, ProjectState, Raw, key,
};
use gongjian::i18n::Lang;
use gongjian::store::{Access, Store};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-11-28";

/// Project 1 active, 2 paused, 3 done, 4 cancelled; two communities, two units.
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
    INSERT INTO activity VALUES (1, 1, '2026-10-10', 20, 15);";

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

fn day(text: &str) -> chrono::NaiveDate {
    gongjian::dates::parse_ymd(text).expect("date")
}

fn apply(store: &mut Store, action: &Action) -> i64 {
    adjust::apply(store, action, "王芳", "周例会决定", now(), None)
        .unwrap_or_else(|e| panic!("{action:?}: {}", e.message(Lang::En)))
}

fn state(store: &Store, id: i64) -> ProjectState {
    adjust::project_state(store.conn(), id)
        .expect("read")
        .expect("project exists")
}

fn count(store: &Store, table: &str) -> i64 {
    store
        .conn()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .expect("count")
}

/// Every row of the tables an adjustment touches, as text: equal dumps mean nothing written.
fn dump(store: &Store) -> String {
    let mut out = String::new();
    for table in ["project", "activity", "meeting", "adjustment"] {
        let mut stmt = store
            .conn()
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .expect("prepare");
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).expect("query");
        while let Some(row) = rows.next().expect("row") {
            let cells: Vec<String> = (0..columns)
                .map(|i| format!("{:?}", row.get_ref(i).expect("cell")))
                .collect();
            out.push_str(&format!("{table}: {}\n", cells.join(" | ")));
        }
    }
    out
}

fn entry(store: &Store, id: i64) -> adjust::Entry {
    adjust::entry(store.conn(), id)
        .expect("read")
        .expect("entry exists")
}

#[test]
fn each_action_changes_the_file_and_writes_one_entry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&seeded(dir.path()));

    let id = apply(
        &mut store,
        &Action::Reschedule {
            project: 1,
            due: day("2027-01-31"),
        },
    );
    assert_eq!(state(&store, 1).due_on, "2027-01-31");
    let e = entry(&store, id);
    assert_eq!(
        (e.action.as_str(), e.operator.as_str(), e.reason.as_str()),
        ("reschedule", "王芳", "周例会决定")
    );
    assert_eq!(
        (e.community_id, e.project_id, e.reverses),
        (Some(1), Some(1), None)
    );
    assert_eq!(e.at, "2026-11-28T02:30:00Z");
    assert_eq!(e.before, json!({"due_on": "2026-12-20"}));
    assert_eq!(e.after, json!({"due_on": "2027-01-31"}));

    apply(&mut store, &Action::Pause { project: 1 });
    assert_eq!(state(&store, 1).status, "paused");
    let id = apply(&mut store, &Action::Resume { project: 1 });
    assert_eq!(entry(&store, id).after, json!({"status": "active"}));

    let id = apply(
        &mut store,
        &Action::Done {
            project: 2,
            done_on: day("2026-11-20"),
        },
    );
    let p = state(&store, 2);
    assert_eq!(
        (p.status.as_str(), p.done_on.as_deref()),
        ("done", Some("2026-11-20"))
    );
    assert_eq!(
        entry(&store, id).before,
        json!({"status": "paused", "done_on": null})
    );

    let id = apply(
        &mut store,
        &Action::Revise {
            project: 3,
            title: Some("家长课堂（春季）".into()),
            unit: Some(None),
        },
    );
    let p = state(&store, 3);
    assert_eq!((p.title.as_str(), p.unit_id), ("家长课堂（春季）", None));
    assert_eq!(
        entry(&store, id).after,
        json!({"title": "家长课堂（春季）", "unit_id": null})
    );

    let projects = count(&store, "project");
    let id = apply(
        &mut store,
        &Action::Convert {
            project: 1,
            title: "老年兴趣小组".into(),
            unit: Some(2),
            due: day("2027-06-30"),
        },
    );
    assert_eq!(count(&store, "project"), projects + 1);
    assert_eq!(state(&store, 1).status, "cancelled");
    let e = entry(&store, id);
    let successor = e.after["successor"].as_i64().expect("successor id");
    let s = state(&store, successor);
    assert_eq!(
        (
            s.community_id,
            s.unit_id,
            s.title.as_str(),
            s.due_on.as_str(),
            s.status.as_str()
        ),
        (1, Some(2), "老年兴趣小组", "2027-06-30", "active")
    );
    assert_eq!(e.after["successor_project"]["title"], json!("老年兴趣小组"));
    assert_eq!(e.before, json!({"status": "active"}));

    let id = apply(
        &mut store,
        &Action::Activity {
            project: successor,
            held_on: day("2026-11-27"),
            planned: 30,
            actual: 26,
        },
    );
    let row = &entry(&store, id).after["activity"];
    let (held, planned, actual): (String, i64, i64) = store
        .conn()
        .query_row(
            "SELECT held_on, planned, actual FROM activity WHERE id = ?1",
            [row["id"].as_i64().expect("activity id")],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("inserted");
    assert_eq!((held.as_str(), planned, actual), ("2026-11-27", 30, 26));

    let id = apply(
        &mut store,
        &Action::Meeting {
            community: 2,
            kind: MeetingKind::Quarterly,
            held_on: day("2026-11-25"),
            attendees: Some(14),
            note: "第四季度例会".into(),
        },
    );
    let e = entry(&store, id);
    assert_eq!((e.community_id, e.project_id), (Some(2), None));
    assert_eq!(e.after["meeting"]["kind"], json!("quarterly"));
    assert_eq!(count(&store, "meeting"), 1);

    let id = apply(
        &mut store,
        &Action::AddProject {
            community: 2,
            title: "垃圾分类督导".into(),
            unit: Some(1),
            due: day("2027-03-31"),
            need: None,
        },
    );
    let e = entry(&store, id);
    let new = state(&store, e.project_id.expect("project id"));
    assert_eq!(
        (new.community_id, new.title.as_str(), new.status.as_str()),
        (2, "垃圾分类督导", "active")
    );
    assert_eq!(count(&store, "adjustment"), 9, "one entry per action");
}

#[test]
fn a_failure_midway_writes_neither_the_change_nor_its_entry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&seeded(dir.path()));
    let reschedule = Action::Reschedule {
        project: 1,
        due: day("2027-01-31"),
    };
    let convert = Action::Convert {
        project: 1,
        title: "老年兴趣小组".into(),
        unit: None,
        due: day("2027-06-30"),
    };
    let activity = Action::Activity {
        project: 1,
        held_on: day("2026-11-27"),
        planned: 10,
        actual: 9,
    };
    // Each trigger makes one statement of the transaction fail after others have run.
    let cases: [(&str, &Action); 4] = [
        // the change is made, then the log entry fails
        ("BEFORE INSERT ON adjustment", &reschedule),
        // the change itself fails: no entry either
        ("BEFORE UPDATE ON project", &reschedule),
        // convert: the old project is cancelled, then the successor's insert fails
        ("BEFORE INSERT ON project", &convert),
        ("BEFORE INSERT ON activity", &activity),
    ];
    for (when, action) in cases {
        let before = dump(&store);
        store
            .conn()
            .execute_batch(&format!(
                "CREATE TRIGGER fail_midway {when} BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;"
            ))
            .expect("trigger");
        let err = adjust::apply(&mut store, action, "王芳", "测试", now(), None).expect_err(when);
        assert!(
            err.message(Lang::En).contains("disk on fire"),
            "{when}: {err:?}"
        );
        assert_eq!(dump(&store), before, "{when}: nothing written");
        store
            .conn()
            .execute_batch("DROP TRIGGER fail_midway")
            .expect("drop");
    }
    // And without the fault, the same actions go through.
    apply(&mut store, &activity);
    apply(&mut store, &convert);
}

#[test]
fn undo_restores_each_kind_of_change_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&seeded(dir.path()));
    let undo = |store: &mut Store, entry: i64| {
        adjust::undo(store, entry, "李明", "记错了", now())
            .unwrap_or_else(|e| panic!("undo {entry}: {}", e.message(Lang::En)))
    };

    let original = state(&store, 1);
    let id = apply(
        &mut store,
        &Action::Reschedule {
            project: 1,
            due: day("2027-01-31"),
        },
    );
    let undo_id = undo(&mut store, id);
    assert_eq!(state(&store, 1), original);
    let u = entry(&store, undo_id);
    assert_eq!(
        (
            u.action.as_str(),
            u.reverses,
            u.project_id,
            u.operator.as_str()
        ),
        ("undo", Some(id), Some(1), "李明")
    );
    assert_eq!(u.before, json!({"due_on": "2027-01-31"}));
    assert_eq!(u.after, json!({"due_on": "2026-12-20"}));
    assert!(entry(&store, id).undone && entry(&store, id).undone_by == Some(undo_id));

    // Double undo: refused, nothing written.
    let before = dump(&store);
    let err = adjust::undo(&mut store, id, "李明", "再撤", now()).expect_err("twice");
    assert!(
        matches!(err, AdjustError::AlreadyUndone { entry, by } if entry == id && by == undo_id),
        "{err:?}"
    );
    assert!(err.message(Lang::Zh).contains("已被"));
    // An undo is not itself undone (make the adjustment again instead).
    let err = adjust::undo(&mut store, undo_id, "李明", "重做", now()).expect_err("undo of undo");
    assert!(matches!(err, AdjustError::Invalid(_)), "{err:?}");
    let err = adjust::undo(&mut store, 999, "李明", "x", now()).expect_err("no entry");
    assert!(
        err.message(Lang::En).contains("no log entry with id 999"),
        "{err:?}"
    );
    assert_eq!(dump(&store), before);

    // done: status and done date both come back.
    let id = apply(
        &mut store,
        &Action::Done {
            project: 2,
            done_on: day("2026-11-20"),
        },
    );
    undo(&mut store, id);
    let p = state(&store, 2);
    assert_eq!((p.status.as_str(), p.done_on), ("paused", None));

    // convert: the old project comes back, the successor is cancelled.
    let id = apply(
        &mut store,
        &Action::Convert {
            project: 1,
            title: "老年兴趣小组".into(),
            unit: Some(2),
            due: day("2027-06-30"),
        },
    );
    let successor = entry(&store, id).after["successor"]
        .as_i64()
        .expect("successor");
    undo(&mut store, id);
    assert_eq!(state(&store, 1).status, "active");
    assert_eq!(state(&store, successor).status, "cancelled");

    // revise
    let id = apply(
        &mut store,
        &Action::Revise {
            project: 1,
            title: Some("健康讲座（新）".into()),
            unit: Some(Some(2)),
        },
    );
    undo(&mut store, id);
    assert_eq!(state(&store, 1), original);

    // activity and meeting: the inserted row goes; the log keeps its copy.
    let activities = count(&store, "activity");
    let id = apply(
        &mut store,
        &Action::Activity {
            project: 1,
            held_on: day("2026-11-27"),
            planned: 30,
            actual: 26,
        },
    );
    let u = undo(&mut store, id);
    assert_eq!(count(&store, "activity"), activities);
    assert_eq!(entry(&store, u).before["activity"]["planned"], json!(30));
    let id = apply(
        &mut store,
        &Action::Meeting {
            community: 1,
            kind: MeetingKind::SiteVisit,
            held_on: day("2026-11-27"),
            attendees: None,
            note: String::new(),
        },
    );
    undo(&mut store, id);
    assert_eq!(count(&store, "meeting"), 0);

    // add-project: cancelled, not deleted (log entries refer to it).
    let id = apply(
        &mut store,
        &Action::AddProject {
            community: 1,
            title: "新项目".into(),
            unit: None,
            due: day("2027-01-31"),
            need: None,
        },
    );
    let new = entry(&store, id).project_id.expect("new project");
    undo(&mut store, id);
    assert_eq!(state(&store, new).status, "cancelled");

    // Undone entries are marked in the history; undo entries are not offered for undo.
    let log = adjust::history(store.conn(), &HistoryFilter::default()).expect("history");
    assert!(log.iter().filter(|e| e.action != "undo").all(|e| e.undone));
    assert!(log.iter().all(|e| !e.can_undo()));
}

#[test]
fn undo_is_refused_when_the_project_changed_since() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&seeded(dir.path()));
    let first = apply(
        &mut store,
        &Action::Reschedule {
            project: 1,
            due: day("2027-01-31"),
        },
    );
    apply(
        &mut store,
        &Action::Reschedule {
            project: 1,
            due: day("2027-02-28"),
        },
    );
    let before = dump(&store);
    let err = adjust::undo(&mut store, first, "李明", "撤销第一次改期", now()).expect_err("stale");
    let AdjustError::UndoStale(stale) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(stale.changes.len(), 1);
    assert_eq!(
        (
            stale.changes[0].before.as_str(),
            stale.changes[0].after.as_str()
        ),
        ("2027-01-31", "2027-02-28")
    );
    let en = err.message(Lang::En);
    assert!(
        en.contains("due date: 2027-01-31 → 2027-02-28") && en.contains("nothing was undone"),
        "{en}"
    );
    assert_eq!(dump(&store), before, "nothing written");
    // The preview says the same before anyone confirms.
    assert!(matches!(
        adjust::preview(store.conn(), &Action::Undo { entry: first }),
        Err(AdjustError::UndoStale(_))
    ));

    // A logged activity that another tool edited afterwards is not deleted either.
    let id = apply(
        &mut store,
        &Action::Activity {
            project: 1,
            held_on: day("2026-11-27"),
            planned: 30,
            actual: 26,
        },
    );
    let activity = entry(&store, id).after["activity"]["id"]
        .as_i64()
        .expect("id");
    store
        .conn()
        .execute("UPDATE activity SET actual = 28 WHERE id = ?1", [activity])
        .expect("other tool");
    let err = adjust::undo(&mut store, id, "李明", "x", now()).expect_err("stale");
    assert!(
        err.message(Lang::Zh).contains("实际人数：26 → 28"),
        "{}",
        err.message(Lang::Zh)
    );

    // Undoing the later change first, then the earlier one, works.
    let log = adjust::history(store.conn(), &HistoryFilter::default()).expect("log");
    let second = log
        .iter()
        .find(|e| e.action == "reschedule" && e.id != first)
        .expect("second")
        .id;
    adjust::undo(&mut store, second, "李明", "x", now()).expect("undo later");
    adjust::undo(&mut store, first, "李明", "x", now()).expect("undo earlier");
    assert_eq!(state(&store, 1).due_on, "2026-12-20");
}

/// Issue 14.2: undo of a logged session deleted another project's session when another tool
/// had moved the row (or deleted it and a new session of another project took its id).
#[test]
fn undo_never_deletes_a_row_that_is_no_longer_the_logged_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&seeded(dir.path()));
    let session = |store: &mut Store| {
        let id = apply(
            store,
            &Action::Activity {
                project: 1,
                held_on: day("2026-11-27"),
                planned: 30,
                actual: 26,
            },
        );
        let row = entry(store, id).after["activity"]["id"]
            .as_i64()
            .expect("id");
        (id, row)
    };
    let refused = |store: &mut Store, id: i64, moved_to: &str| {
        let before = dump(store);
        let err = adjust::undo(store, id, "李明", "x", now()).expect_err("stale");
        assert!(
            matches!(err, AdjustError::UndoStale(_)),
            "{}",
            err.message(Lang::En)
        );
        let zh = err.message(Lang::Zh);
        assert!(zh.contains(&format!("#1 → {moved_to}")), "{zh}");
        assert_eq!(dump(store), before, "nothing deleted, nothing logged");
    };

    // Moved to project 2 by another tool.
    let (moved, row) = session(&mut store);
    store
        .conn()
        .execute("UPDATE activity SET project_id = 2 WHERE id = ?1", [row])
        .expect("other tool");
    refused(&mut store, moved, "#2");

    // Deleted, and the same id taken by a session of project 2 with the same date and counts.
    store
        .conn()
        .execute("DELETE FROM activity WHERE id = ?1", [row])
        .expect("other tool");
    let (reused, row) = session(&mut store);
    store
        .conn()
        .execute("DELETE FROM activity WHERE id = ?1", [row])
        .expect("other tool");
    store
        .conn()
        .execute(
            "INSERT INTO activity (project_id, held_on, planned, actual) VALUES (2, '2026-11-27', 30, 26)",
            [],
        )
        .expect("other tool");
    assert_eq!(gongjian_max_activity(&store), row, "the id was reused");
    refused(&mut store, reused, "#2");

    // A meeting moved to another community is not deleted either.
    let id = apply(
        &mut store,
        &Action::Meeting {
            community: 1,
            kind: MeetingKind::Quarterly,
            held_on: day("2026-11-20"),
            attendees: Some(12),
            note: "".into(),
        },
    );
    let meeting = entry(&store, id).after["meeting"]["id"]
        .as_i64()
        .expect("id");
    store
        .conn()
        .execute(
            "UPDATE meeting SET community_id = 2 WHERE id = ?1",
            [meeting],
        )
        .expect("other tool");
    let err = adjust::undo(&mut store, id, "李明", "x", now()).expect_err("stale");
    assert!(matches!(err, AdjustError::UndoStale(_)));
    assert_eq!(count(&store, "meeting"), 1);

    // Moved back, the session is the logged one again and undo removes it.
    store
        .conn()
        .execute("UPDATE activity SET project_id = 1 WHERE id = ?1", [row])
        .expect("other tool");
    adjust::undo(&mut store, reused, "李明", "x", now()).expect("undo");
    assert_eq!(count(&store, "activity"), 1);
}

fn gongjian_max_activity(store: &Store) -> i64 {
    store
        .conn()
        .query_row("SELECT max(id) FROM activity", [], |r| r.get(0))
        .expect("max")
}

#[test]
fn a_second_terminal_saving_over_a_change_gets_a_conflict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seeded(dir.path());
    let mut first = open(&path);
    let mut second = open(&path);

    // Both open the form on project 1.
    let seen_by_first = state(&first, 1);
    let seen_by_second = state(&second, 1);
    adjust::apply(
        &mut first,
        &Action::Reschedule {
            project: 1,
            due: day("2027-01-31"),
        },
        "王芳",
        "延期",
        now(),
        Some(&seen_by_first),
    )
    .expect("first save");

    let before = dump(&second);
    let err = adjust::apply(
        &mut second,
        &Action::Pause { project: 1 },
        "李明",
        "暂停",
        now(),
        Some(&seen_by_second),
    )
    .expect_err("conflict");
    let AdjustError::Conflict(conflict) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(conflict.current.due_on, "2027-01-31");
    assert_eq!(conflict.expected, seen_by_second);
    assert_eq!(
        conflict
            .changes
            .iter()
            .map(|c| c.field.as_str())
            .collect::<Vec<_>>(),
        ["due_on"]
    );
    assert!(err.message(Lang::Zh).contains("2026-12-20 → 2027-01-31"));
    assert_eq!(dump(&second), before, "nothing written");

    // Re-opened on the current values, the save goes through.
    let reopened = state(&second, 1);
    adjust::apply(
        &mut second,
        &Action::Pause { project: 1 },
        "李明",
        "暂停",
        now(),
        Some(&reopened),
    )
    .expect("second save");
    assert_eq!(state(&first, 1).status, "paused");
}

#[test]
fn the_log_cannot_be_updated_or_deleted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = seeded(dir.path());
    let mut store = open(&path);
    apply(&mut store, &Action::Pause { project: 1 });
    drop(store);
    let conn = rusqlite::Connection::open(&path).expect("another tool");
    for sql in [
        "UPDATE adjustment SET reason = 'rewritten'",
        "UPDATE adjustment SET reverses = 1",
        "DELETE FROM adjustment",
    ] {
        let err = conn.execute(sql, []).expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    let reason: String = conn
        .query_row("SELECT reason FROM adjustment", [], |r| r.get(0))
        .expect("row");
    assert_eq!(reason, "周例会决定");
}

#[test]
fn validation_runs_against_the_file_and_apply_checks_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&seeded(dir.path()));
    let raw = Raw::new()
        .with(key::PROJECT, "1")
        .with(key::REASON, "暂停")
        .with(key::OPERATOR, "王芳");
    let request =
        adjust::validate(store.conn(), ActionKind::Pause, &raw, day(TODAY)).expect("valid");
    // Between validation and saving, someone else pauses it.
    apply(&mut store, &Action::Pause { project: 1 });
    let before = dump(&store);
    let err = adjust::apply(
        &mut store,
        &request.action,
        &request.operator,
        &request.reason,
        now(),
        None,
    )
    .expect_err("already paused");
    assert!(matches!(err, AdjustError::Invalid(_)), "{err:?}");
    assert_eq!(dump(&store), before);
    // A blank operator or reason is refused by apply itself.
    let err = adjust::apply(
        &mut store,
        &Action::Resume { project: 1 },
        " ",
        "",
        now(),
        None,
    )
    .expect_err("blank");
    let AdjustError::Invalid(problems) = err else {
        panic!("not invalid");
    };
    assert_eq!(
        problems.iter().map(|p| p.field).collect::<Vec<_>>(),
        [key::OPERATOR, key::REASON]
    );
}

#[test]
fn history_filters_and_orders_newest_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&seeded(dir.path()));
    let a = apply(&mut store, &Action::Pause { project: 1 });
    let b = adjust::apply(
        &mut store,
        &Action::Resume { project: 2 },
        "李明",
        "恢复",
        now(),
        None,
    )
    .expect("resume");
    let c = apply(
        &mut store,
        &Action::Convert {
            project: 1,
            title: "新".into(),
            unit: None,
            due: day("2027-01-01"),
        },
    );
    let successor = entry(&store, c).after["successor"].as_i64().expect("id");
    let ids = |filter: HistoryFilter| -> Vec<i64> {
        adjust::history(store.conn(), &filter)
            .expect("history")
            .iter()
            .map(|e| e.id)
            .collect()
    };
    assert_eq!(ids(HistoryFilter::default()), [c, b, a]);
    assert_eq!(
        ids(HistoryFilter {
            project: Some(1),
            ..Default::default()
        }),
        [c, a]
    );
    assert_eq!(
        ids(HistoryFilter {
            project: Some(successor),
            ..Default::default()
        }),
        [c],
        "the conversion that created it"
    );
    assert_eq!(
        ids(HistoryFilter {
            operator: Some("李明".into()),
            ..Default::default()
        }),
        [b]
    );
    assert_eq!(
        ids(HistoryFilter {
            community: Some(2),
            ..Default::default()
        }),
        Vec::<i64>::new()
    );
    assert_eq!(
        ids(HistoryFilter {
            since: Some(day("2026-11-29")),
            ..Default::default()
        }),
        Vec::<i64>::new()
    );
    assert_eq!(
        ids(HistoryFilter {
            since: Some(day("2026-11-27")),
            until: Some(day("2026-11-29")),
            limit: Some(2),
            ..Default::default()
        }),
        [c, b]
    );
}

// ---- through the real binary ----

fn run(db: &Path, args: &[&str]) -> std::process::Output {
    bin()
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY])
        .args(args)
        .output()
        .expect("runs")
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn log_json(db: &Path, args: &[&str]) -> Vec<Value> {
    let out = run(db, &[&["log", "--format", "json"], args].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice::<Value>(&out.stdout)
        .expect("JSON")
        .as_array()
        .expect("a list")
        .clone()
}

#[test]
fn cli_adjust_then_log_round_trip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = seeded(dir.path());
    let out = run(
        &db,
        &[
            "--operator",
            "王芳",
            "adjust",
            "reschedule",
            "--project",
            "1",
            "--due",
            "2027-01-31",
            "--reason",
            "周例会决定延期",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let id: i64 = stdout(&out).trim().parse().expect("the new entry's id");

    let mut cmd = bin();
    let out = cmd
        .env("GONGJIAN_OPERATOR", "李明")
        .arg("--db")
        .arg(&db)
        .args(["--today", TODAY, "adjust", "activity", "--project", "1"])
        .args([
            "--held-on",
            "2026-11-27",
            "--planned",
            "30",
            "--actual",
            "24",
        ])
        .args(["--reason", "补记"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let activity: i64 = stdout(&out).trim().parse().expect("id");

    let out = run(
        &db,
        &[
            "adjust",
            "convert",
            "--project",
            "1",
            "--title",
            "老年兴趣小组",
            "--due",
            "2027-06-30",
            "--reason",
            "转型",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("新项目编号"), "{}", stderr(&out));
    for args in [
        &[
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
            "--reason",
            "补记",
        ][..],
        &[
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
            "--reason",
            "新增",
        ],
        &["adjust", "done", "--project", "2", "--reason", "已完成"],
        &[
            "adjust",
            "revise",
            "--project",
            "3",
            "--title",
            "家长课堂（春季）",
            "--reason",
            "更正名称",
        ],
        &[
            "adjust",
            "undo",
            "--entry",
            &activity.to_string(),
            "--reason",
            "记错了",
        ],
    ] {
        let out = run(&db, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).trim().parse::<i64>().is_ok(), "{args:?}");
    }

    let log = log_json(&db, &[]);
    assert_eq!(log.len(), 8);
    let first = log.iter().find(|e| e["id"] == json!(id)).expect("listed");
    assert_eq!(first["operator"], json!("王芳"));
    assert_eq!(first["action"], json!("reschedule"));
    assert_eq!(first["before"], json!({"due_on": "2026-12-20"}));
    assert_eq!(first["after"], json!({"due_on": "2027-01-31"}));
    assert_eq!(first["reason"], json!("周例会决定延期"));
    let logged = log
        .iter()
        .find(|e| e["id"] == json!(activity))
        .expect("listed");
    assert_eq!(logged["operator"], json!("李明"), "GONGJIAN_OPERATOR");
    assert_eq!(logged["undone"], json!(true));
    let done = log
        .iter()
        .find(|e| e["action"] == json!("done"))
        .expect("done");
    assert_eq!(
        done["after"]["done_on"],
        json!(TODAY),
        "done defaults to today"
    );
    assert_eq!(log[0]["action"], json!("undo"), "newest first");

    assert_eq!(log_json(&db, &["--project", "1"]).len(), 4);
    assert_eq!(log_json(&db, &["--community", "2"]).len(), 1);
    assert_eq!(log_json(&db, &["--operator", "王芳"]).len(), 1);
    assert_eq!(log_json(&db, &["--since", "2099-01-01"]).len(), 0);

    let text = stdout(&run(&db, &["log"]));
    assert!(text.contains("截止日期：2026-12-20 → 2027-01-31"), "{text}");
    assert!(text.contains("调整原因：周例会决定延期"), "{text}");
    let csv = stdout(&run(&db, &["--lang", "en", "log", "--format", "csv"]));
    assert!(csv.starts_with("\u{FEFF}id,at,operator,"), "{csv}");
    assert_eq!(csv.lines().count(), 9);
}

#[test]
fn cli_errors_are_one_line_each_in_the_users_language_and_write_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = seeded(dir.path());
    let before = dump(&open(&db));
    let out = run(
        &db,
        &[
            "adjust",
            "activity",
            "--project",
            "1",
            "--held-on",
            "2026-11-29",
            "--planned",
            "0",
            "--actual",
            "-2",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "malformed values are a usage error"
    );
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    for needle in [
        "日期（--held-on）",
        "计划人数（--planned）",
        "实际人数（--actual）",
        "调整原因（--reason）",
        "未写入任何内容",
    ] {
        assert!(err.contains(needle), "{needle}: {err}");
    }
    assert_eq!(err.lines().count(), 1, "one line for every problem: {err}");
    assert!(err.contains("有 4 处需要修改"), "{err}");

    let out = run(
        &db,
        &[
            "--lang",
            "en",
            "adjust",
            "pause",
            "--project",
            "2",
            "--reason",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("only an active project can be paused"),
        "{}",
        stderr(&out)
    );
    let out = run(
        &db,
        &[
            "--lang", "en", "adjust", "undo", "--entry", "42", "--reason", "x",
        ],
    );
    assert!(
        stderr(&out).contains("no log entry with id 42"),
        "{}",
        stderr(&out)
    );
    assert_eq!(dump(&open(&db)), before);
}

#[test]
fn cli_refuses_to_adjust_a_read_only_file_and_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = seeded(dir.path());
    let before = dump(&open(&db));
    let args = ["adjust", "pause", "--project", "1", "--reason", "暂停"];
    let out = run(&db, &[&["--readonly"][..], &args].concat());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--readonly"), "{}", stderr(&out));
    assert_eq!(dump(&open(&db)), before);

    refused_when_the_file_cannot_be_written(dir.path(), &db, &args);
    assert_eq!(dump(&open(&db)), before);
    // The log can still be read read-only, even from a file at version 1 that has none.
    let out = run(&db, &["--readonly", "log"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let old = common::foreign_tool_file(dir.path(), "old.db", 1);
    let out = run(&old, &["--readonly", "--lang", "en", "log"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "(no adjustments)\n");
}

/// A read-only file in a writable folder: the store opens it read-only and `adjust` says why.
/// Permission bits do not stop root, so as root the binary runs as `nobody` when `setpriv`
/// is there; otherwise this part is skipped.
#[cfg(unix)]
fn refused_when_the_file_cannot_be_written(dir: &Path, db: &Path, args: &[&str]) {
    use std::os::unix::fs::PermissionsExt;
    let set_mode = |path: &Path, mode| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod")
    };
    set_mode(db, 0o444);
    let root = std::fs::OpenOptions::new().append(true).open(db).is_ok();
    let setpriv = Path::new("/usr/bin/setpriv");
    let mut cmd = if !root {
        bin()
    } else if setpriv.exists() {
        set_mode(dir, 0o777);
        let mut cmd = std::process::Command::new(setpriv);
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_gongjian"))
            .env_remove("GONGJIAN_DB")
            .env_remove("GONGJIAN_LANG")
            .env_remove("GONGJIAN_OPERATOR");
        cmd
    } else {
        set_mode(db, 0o644);
        return;
    };
    let out = cmd
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY])
        .args(args)
        .output()
        .expect("runs");
    set_mode(db, 0o644);
    set_mode(dir, 0o700);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("不可写"), "{}", stderr(&out));
}

#[cfg(not(unix))]
fn refused_when_the_file_cannot_be_written(_: &Path, _: &Path, _: &[&str]) {}
