//! Bad input everywhere, as property tests: every field of every form (through
//! `adjust::validate`, then `adjust::apply`) and every command-line argument (through clap, and
//! for a bounded number of cases through the real binary). Never a panic; either a clear
//! error with nothing written, or a write that round-trips: what is in the file (the change and
//! its log entry) is exactly what was asked.
//!
//! Case counts are kept small so that the suite stays fast; `PROPTEST_CASES` raises them.
#![cfg(unix)]

mod support;

use chrono::NaiveDate;
use clap::Parser;
use gongjian::adjust::{self, Action, ActionKind, AdjustError, Raw, Request, key};
use gongjian::cli::Cli;
use gongjian::error::Error;
use gongjian::i18n::Lang;
use gongjian::store::{Access, Store};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use rusqlite::Connection;
use std::cell::RefCell;
use std::path::Path;

fn today() -> NaiveDate {
    gongjian::dates::parse_ymd(support::TODAY).expect("today")
}

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The same cases on every run (CI must not turn red by chance); `PROPTEST_RANDOM=1` explores
/// new ones.
fn runner(config: Config) -> TestRunner {
    if std::env::var_os("PROPTEST_RANDOM").is_some() {
        TestRunner::new(config)
    } else {
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
    }
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Text a person, a paste or another program could put in a field: anything at all, numbers
/// and dates in every shape (full-width, padded, out of range), words the fields accept,
/// control characters and bidi overrides, long texts.
fn field_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        3 => "[ ]{0,2}[#]?[0-9０-９]{1,4}[ ]{0,2}",
        1 => "-?[0-9]{1,20}",
        3 => "20[0-3][0-9]-[01][0-9]-[0-3][0-9]",
        1 => "２０２６－１１－[０-２][０-９]",
        2 => prop::sample::select(vec![
            "", " ", "none", "无", "社区自办", "quarterly", "site-visit", "季度例会", "other",
            "1", "2", "3", "11", "120", "0", "100000", "100001", "2026-11-28", "2026-11-29",
            "2026-02-30", "区人民医院", "错峰值班", "老年兴趣小组",
        ])
        .prop_map(String::from),
        2 => "[a-z\u{4e00}-\u{4e20} ]{1,30}",
        1 => "[\u{0}-\u{1f}\u{7f}\u{80}-\u{9f}\u{202a}-\u{202e}\u{2066}-\u{2069}a ]{1,8}",
        1 => "[字a]{95,110}",
        1 => "[字]{490,510}",
    ]
}

/// Text that the field `key` of `kind` accepts, often enough for whole forms to be valid.
fn plausible(kind: ActionKind, key: &'static str) -> BoxedStrategy<String> {
    use gongjian::adjust::{Input, Target};
    let number = |lo: u32, hi: u32| (lo..=hi).prop_map(|n| n.to_string()).boxed();
    if key == kind.target().key() {
        return match kind.target() {
            Target::Project => number(1, 160),
            Target::Community => number(1, 13),
            Target::Entry => number(1, 40),
        };
    }
    if key == key::REASON || key == key::OPERATOR {
        return "[ ]?[\u{4e00}-\u{4e40}a-z]{1,12}[ ]?".boxed();
    }
    let input = kind.fields().iter().find(|f| f.key == key).map(|f| f.input);
    match input {
        Some(Input::Date) => "20(2[5-9])-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])".boxed(),
        Some(Input::PastDate) => "2026-(0[1-9]|1[01])-(0[1-9]|1[0-9]|2[0-8])".boxed(),
        Some(Input::Count { .. }) => number(0, 300),
        Some(Input::Text { .. }) => "[\u{4e00}-\u{4e40}a-z][\u{4e00}-\u{4e40}a-z ]{0,20}".boxed(),
        Some(Input::Unit) => {
            prop::sample::select(vec!["", "none", "1", "2", "5", "39", "区人民医院"])
                .prop_map(String::from)
                .boxed()
        }
        Some(Input::MeetingKind) => prop::sample::select(vec![
            "quarterly",
            "site_visit",
            "site-visit",
            "other",
            "季度例会",
        ])
        .prop_map(String::from)
        .boxed(),
        Some(Input::Need | Input::ProjectId) => number(1, 40),
        Some(Input::Year) => number(2024, 2027),
        Some(Input::Subject) => prop::sample::select(vec!["community", "unit", "contract", "社区"])
            .prop_map(String::from)
            .boxed(),
        Some(Input::Assessor) => {
            prop::sample::select(vec!["self", "community", "third_party", "自评"])
                .prop_map(String::from)
                .boxed()
        }
        Some(Input::Grade) => prop::sample::select(vec!["excellent", "优秀", "一般", "poor"])
            .prop_map(String::from)
            .boxed(),
        Some(Input::Member | Input::Resource) => number(1, 60),
        Some(Input::Members) => "[1-9][0-9]?([,、 ][1-9][0-9]?){0,3}".boxed(),
        Some(Input::Duration) => prop::sample::select(vec![
            "1.5",
            "2",
            "1小时30分",
            "90分钟",
            "0",
            "25小时",
            "45min",
        ])
        .prop_map(String::from)
        .boxed(),
        None => field_text().boxed(),
    }
}

/// Raw form fields for `kind`: its target, its own fields, the reason and the operator, each
/// absent, plausible, or anything at all.
fn raw_for(kind: ActionKind) -> impl Strategy<Value = Raw> {
    let mut keys: Vec<&'static str> = vec![kind.target().key()];
    keys.extend(kind.fields().iter().map(|f| f.key));
    keys.extend([key::REASON, key::OPERATOR]);
    let values: Vec<_> = keys
        .iter()
        .map(|k| {
            prop::option::weighted(0.9, prop_oneof![4 => plausible(kind, k), 1 => field_text()])
        })
        .collect();
    values.prop_map(move |values| {
        let mut raw = Raw::new();
        for (k, v) in keys.iter().zip(values) {
            if let Some(v) = v {
                raw.set(k, v);
            }
        }
        raw
    })
}

fn any_kind() -> impl Strategy<Value = ActionKind> {
    prop::sample::select(ActionKind::ALL.to_vec())
}

/// Trimmed, full-width digits made ASCII, a leading `#` dropped: how the fields read numbers,
/// dates and ids.
fn normalised(text: &str) -> String {
    let ascii: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' => '-',
            c => c,
        })
        .collect();
    ascii.strip_prefix('#').unwrap_or(&ascii).to_string()
}

/// A whole number as typed, the way it reads back: leading zeros are not part of the value.
fn normalised_number(text: &str) -> String {
    let digits = normalised(text);
    let kept = digits.trim_start_matches('0');
    if kept.is_empty() && !digits.is_empty() {
        "0".to_string()
    } else {
        kept.to_string()
    }
}

/// Everything in the file that an adjustment can change, to see that a refusal wrote nothing.
fn fingerprint(conn: &Connection) -> String {
    conn.query_row(
        "SELECT (SELECT count(*) FROM adjustment) || '/' || (SELECT count(*) FROM activity) || '/' ||
                (SELECT count(*) FROM meeting) || '/' ||
                (SELECT group_concat(id || status || due_on || title || coalesce(unit_id, '') || coalesce(done_on, ''), '|') FROM project)",
        [],
        |r| r.get(0),
    )
    .expect("fingerprint")
}

/// What the request asked for came from the raw text: texts trimmed, numbers, dates and ids
/// read as written.
fn asked_as_typed(kind: ActionKind, raw: &Raw, request: &Request) -> Result<(), TestCaseError> {
    prop_assert_eq!(&request.reason, raw.get(key::REASON).trim());
    prop_assert_eq!(&request.operator, raw.get(key::OPERATOR).trim());
    let ymd = |d: &NaiveDate| gongjian::dates::format_ymd(*d);
    let target: i64 = normalised(raw.get(kind.target().key()))
        .parse()
        .map_err(|_| TestCaseError::fail("target"))?;
    match &request.action {
        Action::Reschedule { project, due } => {
            prop_assert_eq!(*project, target);
            prop_assert_eq!(ymd(due), normalised(raw.get(key::DUE)));
        }
        Action::Done { project, done_on } => {
            prop_assert_eq!(*project, target);
            prop_assert_eq!(ymd(done_on), normalised(raw.get(key::DONE_ON)));
        }
        Action::Convert { title, due, .. } | Action::AddProject { title, due, .. } => {
            prop_assert_eq!(title.as_str(), raw.get(key::TITLE).trim());
            prop_assert_eq!(ymd(due), normalised(raw.get(key::DUE)));
        }
        Action::Revise {
            title: Some(title), ..
        } => prop_assert_eq!(title.as_str(), raw.get(key::TITLE).trim()),
        Action::Activity {
            project,
            held_on,
            planned,
            actual,
        } => {
            prop_assert_eq!(*project, target);
            prop_assert_eq!(ymd(held_on), normalised(raw.get(key::HELD_ON)));
            prop_assert_eq!(
                planned.to_string(),
                normalised_number(raw.get(key::PLANNED))
            );
            prop_assert_eq!(actual.to_string(), normalised_number(raw.get(key::ACTUAL)));
        }
        Action::Meeting {
            community,
            held_on,
            attendees,
            note,
            ..
        } => {
            prop_assert_eq!(*community, target);
            prop_assert_eq!(ymd(held_on), normalised(raw.get(key::HELD_ON)));
            let typed = normalised_number(raw.get(key::ATTENDEES));
            prop_assert_eq!(attendees.map(|n| n.to_string()).unwrap_or_default(), typed);
            prop_assert_eq!(note.as_str(), raw.get(key::NOTE).trim());
        }
        Action::Undo { entry } => prop_assert_eq!(*entry, target),
        _ => {}
    }
    Ok(())
}

/// The file holds what `request` asked for, and log entry `id` says so.
fn written_as_asked(conn: &Connection, id: i64, request: &Request) -> Result<(), TestCaseError> {
    let fail = |e: rusqlite::Error| TestCaseError::fail(e.to_string());
    let entry = adjust::entry(conn, id)
        .map_err(|e| TestCaseError::fail(e.message(Lang::En)))?
        .ok_or_else(|| TestCaseError::fail(format!("entry #{id} missing")))?;
    prop_assert_eq!(&entry.action, request.action.kind().key());
    prop_assert_eq!(&entry.operator, &request.operator);
    prop_assert_eq!(&entry.reason, &request.reason);
    let ymd = |d: &NaiveDate| gongjian::dates::format_ymd(*d);
    type Row = (i64, Option<i64>, String, String, String, Option<String>);
    let project = |id: i64| -> Result<Row, TestCaseError> {
        conn.query_row(
            "SELECT community_id, unit_id, title, due_on, status, done_on FROM project WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .map_err(fail)
    };
    match &request.action {
        Action::Reschedule { project: p, due } => prop_assert_eq!(project(*p)?.3, ymd(due)),
        Action::Pause { project: p } => prop_assert_eq!(project(*p)?.4, "paused"),
        Action::Resume { project: p } => prop_assert_eq!(project(*p)?.4, "active"),
        Action::Cancel { project: p } => prop_assert_eq!(project(*p)?.4, "cancelled"),
        Action::Done {
            project: p,
            done_on,
        } => {
            let row = project(*p)?;
            prop_assert_eq!(row.4, "done");
            prop_assert_eq!(row.5, Some(ymd(done_on)));
        }
        Action::Convert {
            project: p,
            title,
            unit,
            due,
        } => {
            let old = project(*p)?;
            prop_assert_eq!(&old.4, "cancelled");
            let successor = entry.after["successor"]
                .as_i64()
                .ok_or_else(|| TestCaseError::fail("no successor"))?;
            let new = project(successor)?;
            prop_assert_eq!(
                new,
                (
                    old.0,
                    *unit,
                    title.clone(),
                    ymd(due),
                    "active".to_string(),
                    None
                )
            );
        }
        Action::Revise {
            project: p,
            title,
            unit,
        } => {
            let row = project(*p)?;
            if let Some(title) = title {
                prop_assert_eq!(&row.2, title);
            }
            if let Some(unit) = unit {
                prop_assert_eq!(row.1, *unit);
            }
        }
        Action::Activity {
            project: p,
            held_on,
            planned,
            actual,
        } => {
            let activity = entry.after["activity"]["id"]
                .as_i64()
                .ok_or_else(|| TestCaseError::fail("no activity id"))?;
            let row: (i64, String, i64, i64) = conn
                .query_row(
                    "SELECT project_id, held_on, planned, actual FROM activity WHERE id = ?1",
                    [activity],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .map_err(fail)?;
            prop_assert_eq!(row, (*p, ymd(held_on), *planned, *actual));
        }
        Action::Meeting {
            community,
            kind,
            held_on,
            attendees,
            note,
        } => {
            let meeting = entry.after["meeting"]["id"]
                .as_i64()
                .ok_or_else(|| TestCaseError::fail("no meeting id"))?;
            let row: (i64, String, String, Option<i64>, String) = conn
                .query_row(
                    "SELECT community_id, kind, held_on, attendees, note FROM meeting WHERE id = ?1",
                    [meeting],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .map_err(fail)?;
            prop_assert_eq!(
                row,
                (
                    *community,
                    kind.code().to_string(),
                    ymd(held_on),
                    *attendees,
                    note.clone()
                )
            );
        }
        Action::AddProject {
            community,
            title,
            unit,
            due,
            ..
        } => {
            let id = entry
                .project_id
                .ok_or_else(|| TestCaseError::fail("no project"))?;
            prop_assert_eq!(
                project(id)?,
                (
                    *community,
                    *unit,
                    title.clone(),
                    ymd(due),
                    "active".to_string(),
                    None
                )
            );
        }
        Action::Undo { entry: undone } => prop_assert_eq!(entry.reverses, Some(*undone)),
        // The recording kinds of contract version 2 are checked in tests/adjust.rs.
        _ => {}
    }
    Ok(())
}

/// A refusal is one of the clear, expected errors, said in both languages.
fn clear_refusal(error: &AdjustError) -> Result<(), TestCaseError> {
    prop_assert!(
        matches!(
            error,
            AdjustError::Invalid(_)
                | AdjustError::AlreadyUndone { .. }
                | AdjustError::UndoStale(_)
                | AdjustError::Store(Error::Plain { .. })
        ),
        "unexpected error {:?}",
        error
    );
    for lang in [Lang::Zh, Lang::En] {
        let message = error.message(lang);
        prop_assert!(!message.trim().is_empty());
        let debug_text = message.contains("Error {") || message.contains("SqliteFailure");
        prop_assert!(!debug_text, "{}", message);
    }
    Ok(())
}

#[test]
fn every_form_field_is_refused_clearly_or_written_as_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = support::demo(dir.path(), "forms.db");
    let store = RefCell::new(Store::open(&db, Access::ReadWrite).expect("open"));
    let tally = RefCell::new((0u32, 0u32));
    let mut runner = runner(config(cases(400)));
    let strategy = any_kind().prop_flat_map(|kind| (Just(kind), raw_for(kind)));
    runner
        .run(&strategy, |(kind, raw)| {
            let mut store = store.borrow_mut();
            let before = fingerprint(store.conn());
            match adjust::validate(store.conn(), kind, &raw, today()) {
                Err(error) => {
                    clear_refusal(&error)?;
                    prop_assert_eq!(fingerprint(store.conn()), before);
                    tally.borrow_mut().1 += 1;
                }
                Ok(request) => {
                    asked_as_typed(kind, &raw, &request)?;
                    let id = adjust::apply(
                        &mut *store,
                        &request.action,
                        &request.operator,
                        &request.reason,
                        chrono::Utc::now(),
                        None,
                    )
                    .map_err(|e| {
                        TestCaseError::fail(format!(
                            "validated but not applied: {}",
                            e.message(Lang::En)
                        ))
                    })?;
                    written_as_asked(store.conn(), id, &request)?;
                    tally.borrow_mut().0 += 1;
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    drop(store);
    support::assert_sound(&db);
    let (written, refused) = *tally.borrow();
    eprintln!(
        "form fields: {written} valid inputs written as asked, {refused} refused clearly with nothing written"
    );
    assert!(
        written > 10,
        "too few valid inputs to say anything about writes"
    );
}

/// Arguments for `gongjian`: the real subcommands and flags in any order, mixed with anything.
fn any_args() -> impl Strategy<Value = Vec<String>> {
    let words = prop::sample::select(vec![
        "report",
        "init",
        "adjust",
        "log",
        "generate",
        "backup",
        "reschedule",
        "pause",
        "resume",
        "cancel",
        "done",
        "convert",
        "revise",
        "activity",
        "meeting",
        "add-project",
        "undo",
        "--db",
        "--today",
        "--lang",
        "--readonly",
        "--operator",
        "--format",
        "--community",
        "--project",
        "--reason",
        "--held-on",
        "--planned",
        "--actual",
        "--kind",
        "--attendees",
        "--note",
        "--title",
        "--unit",
        "--due",
        "--done-on",
        "--entry",
        "--since",
        "--until",
        "--demo",
        "--help",
        "-h",
        "--version",
        "--",
        "-",
        "json",
        "csv",
        "md",
        "text",
        "zh",
        "en",
    ])
    .prop_map(String::from);
    prop::collection::vec(prop_oneof![3 => words, 2 => field_text()], 0..10)
}

#[test]
fn every_command_line_is_parsed_or_refused_without_a_panic() {
    use clap::CommandFactory;
    Cli::command().debug_assert();
    let mut runner = runner(config(cases(2_000)));
    runner
        .run(&any_args(), |args| {
            let argv = std::iter::once("gongjian".to_string()).chain(args);
            // Either a command, or clap's own error: never a panic.
            let _ = Cli::try_parse_from(argv);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

/// The flag of each field on the command line.
fn flag(field: &str) -> String {
    format!("--{field}")
}

/// `gongjian adjust KIND` with arbitrary values for its flags, run for real: it agrees with
/// the form validation on the same file, exits 0 only with the write asked for, and otherwise
/// says why in one line with nothing written.
#[test]
fn the_adjust_command_agrees_with_the_forms_and_never_panics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = support::demo(dir.path(), "cli.db");
    let tally = RefCell::new((0u32, 0u32, 0u32));
    let mut runner = runner(config(cases(48)));
    let strategy = any_kind().prop_flat_map(|kind| (Just(kind), raw_for(kind)));
    runner
        .run(&strategy, |(kind, raw)| run_adjust(&db, kind, &raw, &tally))
        .unwrap_or_else(|e| panic!("{e}"));
    support::assert_sound(&db);
    let (written, refused, unparsed) = *tally.borrow();
    eprintln!(
        "command line: {} runs of the binary: {written} written as asked, {refused} refused like the form, {unparsed} refused by the argument parser; none panicked",
        written + refused + unparsed
    );
}

fn run_adjust(
    db: &Path,
    kind: ActionKind,
    raw: &Raw,
    tally: &RefCell<(u32, u32, u32)>,
) -> Result<(), TestCaseError> {
    const OPERATOR_ENV: &str = "测试员";
    let mut args = vec!["adjust".to_string(), kind.key().to_string()];
    let mut fields: Vec<&str> = vec![kind.target().key()];
    fields.extend(kind.fields().iter().map(|f| f.key));
    fields.push(key::REASON);
    let mut form = Raw::new();
    for field in fields {
        let value = raw.get(field);
        // A process argument cannot hold a NUL byte; an absent flag reads as blank.
        if value.is_empty() || value.contains('\0') {
            continue;
        }
        args.push(flag(field));
        args.push(value.to_string());
        form.set(field, value);
    }
    let operator = raw.get(key::OPERATOR).replace('\0', "");
    if !operator.is_empty() {
        args.extend(["--operator".to_string(), operator.clone()]);
    }
    // What the command line hands the form validation: the field its row names (`done`'s
    // date, a member's registration or leaving) defaults to today, the operator to the
    // environment's.
    if let Some(field) = kind.row().cli_today
        && form.get(field).is_empty()
    {
        form.set(field, support::TODAY);
    }
    let who = if operator.trim().is_empty() {
        OPERATOR_ENV.to_string()
    } else {
        operator.trim().to_string()
    };
    form.set(key::OPERATOR, who);

    let conn = Connection::open(db).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let before = fingerprint(&conn);
    let expected = adjust::validate(&conn, kind, &form, today());
    drop(conn);
    let out = support::bin()
        .env("GONGJIAN_OPERATOR", OPERATOR_ENV)
        .arg("--db")
        .arg(db)
        .args(["--today", support::TODAY])
        .args(&args)
        .output()
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    prop_assert!(
        !err.contains("panicked") && out.status.code() != Some(101),
        "panic on {:?}: {}",
        args,
        err
    );
    let conn = Connection::open(db).map_err(|e| TestCaseError::fail(e.to_string()))?;
    match out.status.code() {
        Some(0) => {
            let request = expected.map_err(|e| {
                TestCaseError::fail(format!(
                    "the binary wrote what the form refuses ({}): {args:?}",
                    e.message(Lang::En)
                ))
            })?;
            let id: i64 = String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse()
                .map_err(|_| TestCaseError::fail("no id on stdout"))?;
            written_as_asked(&conn, id, &request)?;
            tally.borrow_mut().0 += 1;
        }
        Some(code @ (1 | 2)) => {
            prop_assert_eq!(
                fingerprint(&conn),
                before,
                "written although refused: {:?}",
                args
            );
            let line = err
                .lines()
                .find(|l| l.starts_with("gongjian: "))
                .unwrap_or("");
            prop_assert!(
                err.lines().any(|l| l.starts_with("gongjian: ")) || code == 2,
                "{}",
                err
            );
            let debug_text = line.contains("Error {");
            prop_assert!(!debug_text, "{}", err);
            if code == 1 {
                // The binary refused: so does the form, with the same first problem.
                let error = expected.err().ok_or_else(|| {
                    TestCaseError::fail(format!("the form accepts {args:?}: {err}"))
                })?;
                let first = error.message(Lang::Zh);
                let first = first.lines().next().unwrap_or("");
                prop_assert!(err.contains(first), "{} vs {}", err, first);
                tally.borrow_mut().1 += 1;
            } else {
                tally.borrow_mut().2 += 1;
            }
        }
        other => prop_assert!(false, "exit {:?}: {}", other, err),
    }
    Ok(())
}
