//! The review against real files in temporary folders: a whole review and its log, the
//! transaction, decision validation, "since last review", and the minutes of the demo district.

use super::read::parse_at;
use super::*;
use crate::adjust::{self, Action, HistoryFilter, MeetingKind, key};
use crate::dates::parse_ymd;
use crate::error::Error;
use crate::indicators::CommunityFigures;
use crate::store::{Store, load_demo};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use std::path::Path;

/// Project 1 active, 2 paused; community 1 in street 1, community 2 in street 2.
const SEED: &str = "
    INSERT INTO street VALUES (1, '西江街道'), (2, '东湖街道');
    INSERT INTO community VALUES (1, 1, '石羊塘社区'), (2, 2, '港宁社区');
    INSERT INTO unit VALUES (1, '区人民医院', '医院');
    INSERT INTO contract VALUES (1, 1, 1, '2026-01-10');
    INSERT INTO resource VALUES (1, 1, 1, '义诊', 0), (2, 1, 1, '场地', 0), (3, 1, 1, '讲座', 1);
    INSERT INTO project (id, community_id, unit_id, title, due_on, status, done_on) VALUES
      (1, 1, 1, '健康讲座', '2026-12-20', 'active', NULL),
      (2, 1, NULL, '楼道清理', '2026-10-31', 'paused', NULL),
      (3, 2, NULL, '垃圾分类督导', '2026-12-31', 'active', NULL);
    INSERT INTO activity VALUES (1, 1, '2026-03-10', 20, 15);
    INSERT INTO meeting VALUES (1, 1, 'quarterly', '2026-02-01', 12, '');";

fn day(text: &str) -> NaiveDate {
    parse_ymd(text).expect("date")
}

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, minute, 0)
        .single()
        .expect("time")
}

fn seeded(dir: &Path) -> Store {
    let mut store = Store::create(&dir.join("shared.db")).expect("create");
    store.write(|tx| Ok(tx.execute_batch(SEED)?)).expect("seed");
    store
}

fn figures(store: &Store, today: &str, community: i64) -> CommunityFigures {
    let (report, _) = crate::cli::compute_report(store, day(today)).expect("report");
    report
        .communities
        .into_iter()
        .find(|c| c.id == community)
        .expect("community")
}

fn count(store: &Store, table: &str) -> i64 {
    store
        .conn()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .expect("count")
}

/// Every row of the tables a review writes, as text, to show that a refusal wrote nothing.
fn everything(store: &Store) -> String {
    let mut out = String::new();
    for table in ["review", "review_item", "decision", "adjustment"] {
        let mut stmt = store
            .conn()
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .expect("select");
        let columns = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                (0..columns)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .expect("query");
        for row in rows {
            out.push_str(&format!("{table}: {}\n", row.expect("row").join(" | ")));
        }
    }
    out
}

fn actions(store: &Store) -> Vec<String> {
    let mut entries = adjust::history(store.conn(), &HistoryFilter::default()).expect("log");
    entries.reverse();
    entries.into_iter().map(|e| e.action).collect()
}

fn decide(store: &mut Store, review: Option<i64>, community: i64, text: &str, due: &str) -> i64 {
    add_decision(
        store,
        review,
        community,
        text,
        "王芳",
        due,
        "李明",
        day("2026-11-21"),
        at(21, 2, 0),
    )
    .unwrap_or_else(|e| panic!("{}", e.message(Lang::En)))
}

#[test]
fn a_whole_review_is_stored_and_logged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = seeded(dir.path());
    let today = day("2026-11-28");
    // A decision taken outside any review the week before, still open.
    let earlier = decide(&mut store, None, 1, "楼道清理重新排期", "2026-11-25");

    let review = start_review(&mut store, " 王芳、李明 ", None, at(28, 1, 0)).expect("start");
    let c1 = figures(&store, "2026-11-28", 1);
    record_item(&mut store, review, 1, &c1, Outcome::Covered, at(28, 1, 5)).expect("item");
    let decision = add_decision(
        &mut store,
        Some(review),
        1,
        "  健康讲座改为错峰两场 ",
        "张伟",
        "2026-12-15",
        "王芳",
        today,
        at(28, 1, 10),
    )
    .expect("decision");
    adjust::apply(
        &mut store,
        &Action::Reschedule {
            project: 2,
            due: day("2027-01-31"),
        },
        "王芳",
        "回头看后重新排期",
        at(28, 1, 12),
        None,
    )
    .expect("adjustment");
    let c2 = figures(&store, "2026-11-28", 2);
    record_item(&mut store, review, 2, &c2, Outcome::Skipped, at(28, 1, 15)).expect("skip");
    complete_decision(&mut store, earlier, "已改期到 1 月", "李明", at(28, 1, 20)).expect("done");
    let summary = end_review(&mut store, review, today, at(28, 1, 30)).expect("end");

    let names = |list: &[Reviewed]| list.iter().map(|r| r.community_id).collect::<Vec<_>>();
    assert_eq!(names(&summary.covered), [1]);
    assert_eq!(names(&summary.skipped), [2]);
    assert_eq!(summary.review.operator, "王芳、李明");
    assert_eq!(summary.review.started_at, "2026-11-28T01:00:00Z");
    assert_eq!(
        summary.review.ended_at.as_deref(),
        Some("2026-11-28T01:30:00Z")
    );
    assert_eq!(summary.decisions.len(), 1);
    assert_eq!(
        summary.done.iter().map(|d| d.id).collect::<Vec<_>>(),
        [earlier],
        "the earlier decision, done during the review"
    );
    let taken = &summary.decisions[0];
    assert_eq!(
        (taken.id, taken.text.as_str(), taken.owner.as_str()),
        (decision, "健康讲座改为错峰两场", "张伟")
    );
    assert_eq!(
        (taken.due_on.as_str(), taken.created_by.as_str()),
        ("2026-12-15", "王芳")
    );
    assert_eq!(taken.state, DecisionState::Open);
    let adjusted: Vec<&str> = summary
        .adjustments
        .iter()
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        adjusted,
        ["reschedule"],
        "the review's own entries not counted"
    );
    assert_eq!(
        summary.open.iter().map(|d| d.id).collect::<Vec<_>>(),
        [decision],
        "the earlier decision is done now"
    );
    assert_eq!(
        summary.headline(Lang::Zh),
        "已回顾 1 个社区，跳过 1 个；新增督办事项 1 项，办结 1 项；期间调整 1 次；待跟进督办事项 1 项"
    );
    assert_eq!(
        summary.headline(Lang::En),
        "communities covered: 1, skipped: 1; decisions taken: 1, done: 1; adjustments made: 1; follow-ups open: 1"
    );

    assert_eq!(
        actions(&store),
        [
            "decision",
            "review_start",
            "review_item",
            "decision",
            "reschedule",
            "review_item",
            "decision_done",
            "review_end"
        ]
    );
    let log = adjust::history(store.conn(), &HistoryFilter::default()).expect("log");
    let end = &log[0];
    assert_eq!(end.operator, "王芳、李明");
    assert_eq!(end.reason, REVIEW_REASON);
    assert_eq!(
        end.after,
        serde_json::json!({"review": review, "covered": 1, "skipped": 1, "decisions": 1})
    );
    let done = &log[1];
    assert_eq!(
        (done.operator.as_str(), done.reason.as_str()),
        ("李明", "已改期到 1 月")
    );
    assert_eq!(done.community_id, Some(1));
    let taken_entry = &log[4];
    assert_eq!(taken_entry.reason, "健康讲座改为错峰两场");
    assert_eq!(taken_entry.after["decision"]["owner"], "张伟");
    assert_eq!(taken_entry.after["decision"]["due_on"], "2026-12-15");
    assert!(
        taken_entry.can_undo(),
        "a decision is undone like any entry (it is withdrawn)"
    );
    assert!(!done.can_undo(), "a decision that is done stays done");
    assert!(
        !end.can_undo(),
        "the review's bookkeeping changes no figure"
    );

    // The stored figures read back as they were written.
    let last = last_review(store.conn(), 1, None)
        .expect("read")
        .expect("covered");
    assert_eq!((last.review_id, &last.figures), (review, &c1));
    assert_eq!(last.at, at(28, 1, 5));
    assert!(
        last_review(store.conn(), 2, None).expect("read").is_none(),
        "a skipped community was not reviewed"
    );

    // The decisions of the community: open first, then done.
    let list = decisions(store.conn(), Some(1), today).expect("decisions");
    let states: Vec<(i64, DecisionState)> = list.iter().map(|d| (d.id, d.state)).collect();
    assert_eq!(
        states,
        [
            (decision, DecisionState::Open),
            (earlier, DecisionState::Done)
        ]
    );
    assert_eq!(list[1].done_note.as_deref(), Some("已改期到 1 月"));
    assert_eq!(list[1].done_by.as_deref(), Some("李明"));
    assert_eq!(
        summary,
        read::summary(store.conn(), review, today).expect("read again")
    );

    // Ending twice, or recording into an ended review, is refused and writes nothing.
    let before = everything(&store);
    let err = end_review(&mut store, review, today, at(28, 2, 0)).expect_err("ended");
    assert!(err.message(Lang::En).contains("ended at"), "{err:?}");
    record_item(&mut store, review, 1, &c1, Outcome::Covered, at(28, 2, 0)).expect_err("ended");
    add_decision(
        &mut store,
        Some(review),
        1,
        "x",
        "y",
        "2026-12-01",
        "王芳",
        today,
        at(28, 2, 0),
    )
    .expect_err("ended");
    assert_eq!(everything(&store), before);
}

#[test]
fn coming_back_to_a_community_replaces_its_record_and_logs_both() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = seeded(dir.path());
    let review = start_review(&mut store, "王芳", None, at(28, 1, 0)).expect("start");
    let c1 = figures(&store, "2026-11-28", 1);
    record_item(&mut store, review, 1, &c1, Outcome::Skipped, at(28, 1, 1)).expect("skip");
    record_item(&mut store, review, 1, &c1, Outcome::Covered, at(28, 1, 2)).expect("cover");
    assert_eq!(count(&store, "review_item"), 1);
    let log = adjust::history(store.conn(), &HistoryFilter::default()).expect("log");
    assert_eq!(log[0].before, serde_json::json!({"outcome": "skipped"}));
    assert_eq!(
        log[0].after,
        serde_json::json!({"review": review, "outcome": "covered"})
    );
    let summary = summary(store.conn(), review, day("2026-11-28")).expect("summary");
    assert_eq!((summary.covered.len(), summary.skipped.len()), (1, 0));
    assert!(summary.review.ended_at.is_none());
}

#[test]
fn a_failure_midway_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = seeded(dir.path());
    let today = day("2026-11-28");
    let review = start_review(&mut store, "王芳", Some(1), at(28, 1, 0)).expect("start");
    let open = decide(
        &mut store,
        Some(review),
        1,
        "楼道清理重新排期",
        "2026-12-25",
    );
    // The log refuses every new entry: each write must leave its own rows out too.
    store
        .write(|tx| {
            Ok(tx.execute_batch(
                "CREATE TRIGGER refuse_log BEFORE INSERT ON adjustment
                 BEGIN SELECT RAISE(ABORT, 'disk trouble'); END;",
            )?)
        })
        .expect("trigger");
    let before = everything(&store);
    let c1 = figures(&store, "2026-11-28", 1);
    assert!(start_review(&mut store, "王芳", None, at(28, 1, 1)).is_err());
    assert!(record_item(&mut store, review, 1, &c1, Outcome::Covered, at(28, 1, 2)).is_err());
    assert!(
        add_decision(
            &mut store,
            Some(review),
            1,
            "再办一件",
            "张伟",
            "2026-12-31",
            "王芳",
            today,
            at(28, 1, 3)
        )
        .is_err()
    );
    assert!(complete_decision(&mut store, open, "已办", "王芳", at(28, 1, 4)).is_err());
    assert!(end_review(&mut store, review, today, at(28, 1, 5)).is_err());
    assert_eq!(everything(&store), before);
}

#[test]
fn refusals_name_the_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = seeded(dir.path());
    let fields = |e: Error| match e {
        Error::Invalid(list) => list.into_iter().map(|f| f.field).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        fields(start_review(&mut store, "  ", None, at(28, 1, 0)).expect_err("blank")),
        [key::OPERATOR]
    );
    assert_eq!(
        fields(start_review(&mut store, "王芳", Some(9), at(28, 1, 0)).expect_err("street")),
        ["street"]
    );
    let review = start_review(&mut store, "王芳", Some(1), at(28, 1, 0)).expect("start");
    let c2 = figures(&store, "2026-11-28", 2);
    let err = record_item(&mut store, review, 2, &c2, Outcome::Covered, at(28, 1, 1))
        .expect_err("other street");
    assert!(
        err.message(Lang::Zh).contains("不在本次回顾的街道"),
        "{err:?}"
    );
    let err = record_item(&mut store, review, 1, &c2, Outcome::Covered, at(28, 1, 1))
        .expect_err("figures of another community");
    assert!(err.message(Lang::En).contains("mismatch"), "{err:?}");
    let err =
        record_item(&mut store, 99, 2, &c2, Outcome::Covered, at(28, 1, 1)).expect_err("no review");
    assert!(
        err.message(Lang::En)
            .contains("no weekly review with id 99")
    );

    let id = decide(&mut store, None, 1, "事项", "2026-12-01");
    let err = complete_decision(&mut store, id, " ", "王芳", at(28, 1, 2)).expect_err("note");
    assert_eq!(fields(err), [key::NOTE]);
    complete_decision(&mut store, id, "已办", "王芳", at(28, 1, 2)).expect("done");
    let before = everything(&store);
    let err = complete_decision(&mut store, id, "再办", "李明", at(28, 1, 3)).expect_err("twice");
    let text = err.message(Lang::En);
    assert!(
        text.contains(&format!("decision #{id} was marked done")) && text.contains("王芳"),
        "{text}"
    );
    let err = complete_decision(&mut store, 99, "x", "李明", at(28, 1, 3)).expect_err("none");
    assert!(err.message(Lang::Zh).contains("没有编号为 99 的督办事项"));
    // The file itself keeps a done decision done, whatever writes to it.
    let direct = store
        .write(|tx| Ok(tx.execute("UPDATE decision SET done_note = 'x' WHERE id = ?1", [id])?));
    assert!(direct.is_err());
    assert_eq!(everything(&store), before);
}

#[test]
fn each_bad_decision_field_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = seeded(dir.path());
    let today = day("2026-11-28");
    let before = everything(&store);
    let long = "字".repeat(MAX_DECISION + 1);
    // community, text, owner, due, operator → the fields named
    type Case<'a> = (i64, &'a str, &'a str, &'a str, &'a str, &'a [&'a str]);
    let cases: &[Case] = &[
        (1, "", "张伟", "2026-12-01", "王芳", &["decision"]),
        (1, "  ", "张伟", "2026-12-01", "王芳", &["decision"]),
        (1, &long, "张伟", "2026-12-01", "王芳", &["decision"]),
        (1, "a\nb", "张伟", "2026-12-01", "王芳", &["decision"]),
        (
            1,
            "a\u{1b}[2Jb",
            "张伟",
            "2026-12-01",
            "王芳",
            &["decision"],
        ),
        (1, "事项", "", "2026-12-01", "王芳", &["owner"]),
        (1, "事项", "张\t伟", "2026-12-01", "王芳", &["owner"]),
        (1, "事项", "张伟", "", "王芳", &["due"]),
        (1, "事项", "张伟", "2026-02-30", "王芳", &["due"]),
        (1, "事项", "张伟", "2026/12/01", "王芳", &["due"]),
        (1, "事项", "张伟", "2226-12-01", "王芳", &["due"]),
        (1, "事项", "张伟", "2026-11-27", "王芳", &["due"]),
        (1, "事项", "张伟", "2026-12-01", " ", &["operator"]),
        (9, "事项", "张伟", "2026-12-01", "王芳", &["community"]),
        (
            9,
            "",
            "",
            "x",
            "",
            &["community", "decision", "owner", "due", "operator"],
        ),
    ];
    for (community, text, owner, due, operator, expected) in cases {
        let err = add_decision(
            &mut store,
            None,
            *community,
            text,
            owner,
            due,
            operator,
            today,
            at(28, 1, 0),
        )
        .expect_err("refused");
        let Error::Invalid(list) = &err else {
            panic!("{text:?}: {err:?}");
        };
        let got: Vec<&str> = list.iter().map(|f| f.field).collect();
        assert_eq!(&got, expected, "{text:?} {owner:?} {due:?}");
        for f in list {
            assert!(!f.zh.is_empty() && !f.en.is_empty());
        }
    }
    let Error::Invalid(list) = add_decision(
        &mut store,
        None,
        1,
        "事项",
        "张伟",
        "2026-11-27",
        "王芳",
        today,
        at(28, 1, 0),
    )
    .expect_err("past") else {
        panic!("not a field error");
    };
    assert_eq!(
        list[0].en,
        "2026-11-27 is before today (2026-11-28): the due date must be today or later"
    );
    assert_eq!(
        list[0].line(Lang::Zh),
        "截止日期（--due）：2026-11-27 早于今天（2026-11-28）：截止日期只能是今天或以后"
    );
    assert_eq!(everything(&store), before);
    // Today itself and full-width digits are accepted.
    add_decision(
        &mut store,
        None,
        1,
        "事项",
        "张伟",
        "２０２６－１１－２８",
        "王芳",
        today,
        at(28, 1, 0),
    )
    .expect("today is accepted");
}

#[test]
fn decision_states_and_overdue_counts_follow_today() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = seeded(dir.path());
    let a = decide(&mut store, None, 1, "甲", "2026-11-25");
    let b = decide(&mut store, None, 1, "乙", "2026-11-28");
    let c = decide(&mut store, None, 2, "丙", "2026-11-22");
    let d = decide(&mut store, None, 1, "丁", "2026-11-23");
    complete_decision(&mut store, d, "已办", "王芳", at(28, 1, 0)).expect("done");
    let today = day("2026-11-28");
    let all = decisions(store.conn(), None, today).expect("all");
    let states: Vec<(i64, DecisionState, i64)> = all
        .iter()
        .map(|x| (x.id, x.state, x.days_overdue))
        .collect();
    assert_eq!(
        states,
        [
            (c, DecisionState::Overdue, 6),
            (a, DecisionState::Overdue, 3),
            (b, DecisionState::Open, 0),
            (d, DecisionState::Done, 0),
        ]
    );
    let overdue = overdue_decisions(store.conn(), today).expect("counts");
    assert_eq!(overdue, HashMap::from([(1, 1), (2, 1)]));
    let earlier = overdue_decisions(store.conn(), day("2026-11-24")).expect("counts");
    assert_eq!(earlier, HashMap::from([(2, 1)]));

    // The community screen's flag: overdue decisions are flags of their community only.
    let c1 = figures(&store, "2026-11-28", 1);
    let reasons = flag_reasons(&c1, &crate::model::Thresholds::default(), &all, Lang::Zh);
    assert_eq!(reasons.len(), c1.alerts as usize + 1);
    assert_eq!(
        reasons.last().map(String::as_str),
        Some("督办事项逾期：甲（责任人 王芳，截止 2026-11-25，逾期 3 天）")
    );
    // The order of a review: most flags first; overdue decisions count.
    let (report, _) = crate::cli::compute_report(&store, today).expect("report");
    let alerts: Vec<u32> = report.communities.iter().map(|c| c.alerts).collect();
    assert_eq!(alerts, [7, 4]);
    assert_eq!(review_order(&report, &overdue, None), [1, 2]);
    assert_eq!(
        review_order(&report, &HashMap::from([(2, 4)]), None),
        [2, 1]
    );
    assert_eq!(review_order(&report, &overdue, Some(2)), [2]);
    // A community flagged only by the version-2 panels (more_alerts) is walked too, after
    // those the version-1 panels flag, most of those flags first.
    let mut v2 = report.clone();
    let none = HashMap::new();
    v2.communities[0].more_alerts = 0;
    v2.communities[1].alerts = 0;
    v2.communities[1].more_alerts = 3;
    assert_eq!(review_order(&v2, &none, None), [1, 2]);
    v2.communities[0].alerts = 0;
    v2.communities[0].more_alerts = 1;
    assert_eq!(review_order(&v2, &none, None), [2, 1]);
    v2.communities[1].more_alerts = 0;
    assert_eq!(review_order(&v2, &none, None), [1]);
    v2.communities[0].more_alerts = 0;
    assert!(review_order(&v2, &none, None).is_empty());
}

#[test]
fn since_the_last_review_on_a_hand_built_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = seeded(dir.path());
    // Last week: community 1 covered with its figures of that day.
    let first = start_review(&mut store, "李明", None, at(21, 1, 0)).expect("start");
    let then = figures(&store, "2026-11-21", 1);
    record_item(&mut store, first, 1, &then, Outcome::Covered, at(21, 1, 5)).expect("item");
    end_review(&mut store, first, day("2026-11-21"), at(21, 2, 0)).expect("end");

    // During the week: the overdue project rescheduled, a session, a quarterly meeting, and
    // an older session logged by another tool.
    let apply = |store: &mut Store, action: Action, time| {
        adjust::apply(store, &action, "王芳", "回头看", time, None).expect("apply");
    };
    apply(
        &mut store,
        Action::Reschedule {
            project: 2,
            due: day("2027-01-31"),
        },
        at(23, 2, 0),
    );
    apply(
        &mut store,
        Action::Activity {
            project: 1,
            held_on: day("2026-11-24"),
            planned: 30,
            actual: 24,
        },
        at(24, 9, 0),
    );
    apply(
        &mut store,
        Action::Meeting {
            community: 1,
            kind: MeetingKind::Quarterly,
            held_on: day("2026-11-25"),
            attendees: Some(15),
            note: "第三季度补开".into(),
        },
        at(25, 9, 0),
    );
    store
        .write(|tx| {
            Ok(tx.execute_batch(
                "INSERT INTO activity (project_id, held_on, planned, actual) VALUES (1, '2026-11-10', 10, 9);
                 INSERT INTO activity (project_id, held_on, planned, actual) VALUES (3, '2026-11-26', 10, 9);",
            )?)
        })
        .expect("other tool");

    // This week's review comes to community 1.
    let second = start_review(&mut store, "王芳", None, at(28, 1, 0)).expect("start");
    let now = figures(&store, "2026-11-28", 1);
    let last = last_review(store.conn(), 1, Some(second))
        .expect("read")
        .expect("last week");
    assert_eq!((last.review_id, last.at), (first, at(21, 1, 5)));
    let changes: Vec<String> = changes_since(&last.figures, &now, Lang::Zh)
        .into_iter()
        .map(|c| c.text)
        .collect();
    // Rescheduled: no longer overdue; 48 of 60 planned is 80%: no longer low; the unit had
    // three sessions. The completion rate stayed at 0% (the project moved to next year).
    assert_eq!(
        changes,
        [
            "已消除：逾期：楼道清理（暂停中，逾期 21 天）",
            "已消除：健康讲座 参与率 75.0%",
            "已消除：参与不足单位：区人民医院（全年活动 1 次）",
            "逾期项目 减少：1 → 0",
            "参与率预警项目 减少：1 → 0",
            "参与不足单位 减少：1 → 0",
        ]
    );
    let en: Vec<String> = changes_since(&last.figures, &now, Lang::En)
        .into_iter()
        .map(|c| c.text)
        .collect();
    assert_eq!(
        en[0],
        "Cleared: Overdue: 楼道清理 (paused, 21 days overdue)"
    );

    let since = since_last_review(store.conn(), 1, last.at, day("2026-11-28")).expect("since");
    assert_eq!(
        since
            .activities
            .iter()
            .map(|a| (a.held_on.as_str(), a.project.as_str(), a.planned, a.actual))
            .collect::<Vec<_>>(),
        [("2026-11-24", "健康讲座", 30, 24)],
        "sessions of other communities and before the review are left out"
    );
    assert_eq!(since.meetings.len(), 1);
    assert_eq!(
        since
            .adjustments
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        ["reschedule", "activity", "meeting"],
        "oldest first, the reviews' own entries left out"
    );
    let lines = since.lines(Lang::Zh);
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts.len(), 5);
    assert!(
        texts.contains(&"活动：健康讲座（计划 30，实际 24）"),
        "{texts:?}"
    );
    assert!(
        texts.contains(&"例会：季度例会（15 人，第三季度补开）"),
        "{texts:?}"
    );
    assert!(
        texts.contains(&"调整：改期 楼道清理：截止日期：2026-10-31 → 2027-01-31（王芳：回头看）"),
        "{texts:?}"
    );
    let dates: Vec<&str> = lines.iter().map(|l| l.date.as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "oldest first");
    assert!(lines.iter().any(|l| l.date == "2026-11-24"));
    let en = since.lines(Lang::En);
    assert!(
        en.iter()
            .any(|l| l.text == "Meeting: quarterly meeting (15 attending, 第三季度补开)"),
        "{en:?}"
    );
}

#[test]
fn a_file_without_the_review_tables_reads_as_having_none() {
    let conn = rusqlite::Connection::open_in_memory().expect("memory");
    conn.execute_batch(include_str!("../store/sql/v1_contract.sql"))
        .expect("contract");
    conn.execute_batch(include_str!("../store/sql/v2_program.sql"))
        .expect("program");
    let today = day("2026-11-28");
    assert!(decisions(&conn, None, today).expect("read").is_empty());
    assert!(overdue_decisions(&conn, today).expect("read").is_empty());
    assert!(last_review(&conn, 1, None).expect("read").is_none());
    assert!(latest_review(&conn).expect("read").is_none());
    assert!(open_reviews(&conn).expect("read").is_empty());
    let report = crate::indicators::compute(
        &crate::model::District::default(),
        today,
        &crate::model::Thresholds::default(),
    );
    let text = minutes(&conn, &report, None, Lang::En).expect("minutes");
    assert!(text.contains("Taking part (operators): none"), "{text}");
}

/// The demo district with two weekly reviews: last week's (two decisions) and this week's
/// (covered, skipped, a decision, an adjustment, an earlier decision done).
fn demo_with_reviews(dir: &Path) -> Store {
    let mut store = Store::create(&dir.join("demo.db")).expect("create");
    load_demo(&mut store, day("2026-11-28")).expect("demo");

    let last_week = day("2026-11-21");
    let first = start_review(&mut store, "李明", None, at(21, 1, 0)).expect("start");
    let c11 = figures(&store, "2026-11-21", 11);
    record_item(&mut store, first, 11, &c11, Outcome::Covered, at(21, 1, 5)).expect("item");
    add_decision(
        &mut store,
        Some(first),
        11,
        "检查消防通道清理进度",
        "王芳",
        "2026-11-25",
        "李明",
        last_week,
        at(21, 1, 10),
    )
    .expect("decision");
    let replan = add_decision(
        &mut store,
        Some(first),
        9,
        "松坡社区逾期项目重新排期",
        "赵强",
        "2026-11-27",
        "李明",
        last_week,
        at(21, 1, 20),
    )
    .expect("decision");
    end_review(&mut store, first, last_week, at(21, 2, 0)).expect("end");

    let today = day("2026-11-28");
    let second = start_review(&mut store, "王芳、李明", None, at(28, 1, 0)).expect("start");
    let c11 = figures(&store, "2026-11-28", 11);
    record_item(&mut store, second, 11, &c11, Outcome::Covered, at(28, 1, 5)).expect("item");
    add_decision(
        &mut store,
        Some(second),
        11,
        "消防通道清理改为每月巡查",
        "张伟",
        "2026-12-15",
        "王芳",
        today,
        at(28, 1, 10),
    )
    .expect("decision");
    adjust::apply(
        &mut store,
        &Action::Reschedule {
            project: 120,
            due: day("2027-01-31"),
        },
        "王芳",
        "回头看后重新排期",
        at(28, 1, 12),
        None,
    )
    .expect("adjustment");
    let c9 = figures(&store, "2026-11-28", 9);
    record_item(&mut store, second, 9, &c9, Outcome::Covered, at(28, 1, 20)).expect("item");
    complete_decision(&mut store, replan, "已重新排期", "李明", at(28, 1, 25)).expect("done");
    let c4 = figures(&store, "2026-11-28", 4);
    record_item(&mut store, second, 4, &c4, Outcome::Skipped, at(28, 1, 30)).expect("item");
    end_review(&mut store, second, today, at(28, 1, 40)).expect("end");
    store
}

fn demo_minutes(lang: Lang) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = demo_with_reviews(dir.path());
    let (report, _) = crate::cli::compute_report(&store, day("2026-11-28")).expect("report");
    let beijing = FixedOffset::east_opt(8 * 3600).expect("offset");
    minutes::minutes_in(store.conn(), &report, None, lang, &beijing).expect("minutes")
}

#[test]
fn minutes_of_the_demo_district_zh() {
    let text = demo_minutes(Lang::Zh);
    insta::assert_snapshot!("minutes_demo_zh", text);
}

#[test]
fn minutes_of_the_demo_district_en() {
    let text = demo_minutes(Lang::En);
    insta::assert_snapshot!("minutes_demo_en", text);
}

#[test]
fn minutes_cover_the_period_and_the_report_given() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = demo_with_reviews(dir.path());
    let (mut report, _) = crate::cli::compute_report(&store, day("2026-11-28")).expect("report");
    let beijing = FixedOffset::east_opt(8 * 3600).expect("offset");
    // From last week on: both reviews, and last week's operator's decisions taken.
    let text = minutes::minutes_in(
        store.conn(),
        &report,
        Some(day("2026-11-21")),
        Lang::En,
        &beijing,
    )
    .expect("minutes");
    assert!(text.contains("Weekly review #1:") && text.contains("Weekly review #2:"));
    assert!(text.contains("## 2. Decisions (3 taken, 1 done)"), "{text}");
    // One street only: the other streets' communities and decisions are left out.
    report.communities.retain(|c| c.street_id == 1);
    let text =
        minutes::minutes_in(store.conn(), &report, None, Lang::En, &beijing).expect("minutes");
    assert!(!text.contains("青石社区"), "{text}");
    assert!(text.contains("## 2. Decisions (0 taken, 0 done)"), "{text}");
    assert!(text.contains("## 4. Follow-ups carried over (0)"), "{text}");
}

/// Issue 13.6: the minutes read as plain text in Notepad or WPS, so a decision typed with
/// `#`, `|`, `*` or brackets shows no backslash escapes, and still cannot break the Markdown.
#[test]
fn minutes_show_no_markdown_escapes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = demo_with_reviews(dir.path());
    add_decision(
        &mut store,
        None,
        1,
        "回访 #12 号楼 | 补*两*场 [见附件] <急>",
        "王芳",
        "2026-12-31",
        "李明",
        day("2026-11-28"),
        at(28, 2, 0),
    )
    .expect("decision");
    let (report, _) = crate::report::build(store.conn(), day("2026-11-28"))
        .map(|b| (b.report, b.problems))
        .expect("report");
    let beijing = FixedOffset::east_opt(8 * 3600).expect("offset");
    let text =
        minutes::minutes_in(store.conn(), &report, None, Lang::Zh, &beijing).expect("minutes");
    assert!(
        text.contains("回访 ＃12 号楼 ｜ 补＊两＊场 ［见附件］ ＜急＞"),
        "{text}"
    );
    assert!(
        !text.contains('\\'),
        "a backslash escape is visible:\n{text}"
    );
}

/// Issue 13.5: a review left open by a program closed mid-meeting is closed when the next
/// program starts (marked interrupted), not only when the next review starts; a review with a
/// recent record (going on in another terminal) is left open. Until it is closed, the minutes
/// already call it interrupted.
#[test]
fn a_stale_open_review_is_closed_at_start_and_a_live_one_is_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = seeded(dir.path());
    let stale = start_review(&mut store, "王芳", None, at(28, 1, 0)).expect("start");
    let c1 = figures(&store, "2026-11-28", 1);
    record_item(&mut store, stale, 1, &c1, Outcome::Covered, at(28, 1, 10)).expect("item");
    // The minutes of a file nobody could write yet: the review reads as interrupted.
    let (report, _) = crate::report::build(store.conn(), day("2026-11-28"))
        .map(|b| (b.report, b.problems))
        .expect("report");
    let beijing = FixedOffset::east_opt(8 * 3600).expect("offset");
    let text =
        minutes::minutes_in(store.conn(), &report, None, Lang::Zh, &beijing).expect("minutes");
    assert!(text.contains("后中断（程序未正常退出，未结束）"), "{text}");
    assert!(!text.contains("进行中"), "{text}");

    // Five hours after its last record it may still be going on; seven hours after, not.
    assert_eq!(
        close_stale_reviews(&mut store, at(28, 6, 10)).expect("close"),
        0
    );
    assert!(
        review(store.conn(), stale)
            .expect("read")
            .expect("there")
            .ended_at
            .is_none()
    );
    assert_eq!(
        close_stale_reviews(&mut store, at(28, 8, 11)).expect("close"),
        1
    );
    let closed = review(store.conn(), stale).expect("read").expect("there");
    assert!(closed.interrupted, "{closed:?}");
    assert_eq!(
        parse_at(closed.ended_at.as_deref().unwrap_or_default()),
        Some(at(28, 1, 10)),
        "closed at its last record"
    );
    // Once closed it is not closed again.
    assert_eq!(
        close_stale_reviews(&mut store, at(29, 8, 0)).expect("close"),
        0
    );
    let live = start_review(&mut store, "李明", None, at(29, 9, 0)).expect("start");
    assert_eq!(
        close_stale_reviews(&mut store, at(29, 10, 0)).expect("close"),
        0
    );
    assert!(
        review(store.conn(), live)
            .expect("read")
            .expect("there")
            .ended_at
            .is_none()
    );
}
