//! On-the-spot adjustments (调整): validation of what a form or the command line gives, the
//! change and its entry in the append-only log (调整记录) in one transaction, undo, and
//! reading the log back. No terminal code here.
//!
//! # How a form uses it
//! 1. When the form opens: [`project_state`] (kept as `expected`), [`form_defaults`],
//!    [`prefill_operator`]; [`ActionKind::fields`] lists the fields, [`unit_choices`] the units.
//! 2. On submit: [`validate`] turns the raw text into a [`Request`], or [`Error::Invalid`]
//!    with one [`FieldError`] per wrong field, in both languages.
//! 3. Confirm screen: [`preview`] gives each field's before → after.
//! 4. Save: [`apply`] with `expected`; [`Error::Conflict`] says what another terminal changed.
//!
//! # The table of kinds
//! Each kind has one row in [`KINDS`] (`kinds.rs`): its key (log and command line), its words,
//! its target, its fields, the project statuses that allow it and the rule said otherwise,
//! whether the menu lists it, and its field reader (`parse.rs`). The menu, the form, the
//! command line (`gongjian adjust KEY --FIELD …`) and validation read the row. To add an
//! action: a variant of [`ActionKind`] and [`Action`], its row, its reader, its effect in
//! `apply.rs` and its undo in `undo.rs`.
//!
//! # State rules
//! A project's status is `active` (进行中), `paused` (暂停), `done` (已完成) or `cancelled`
//! (已终止). `done` and `cancelled` are closed: to reopen one, undo the entry that closed it.
//!
//! | action | allowed when the project is |
//! |---|---|
//! | reschedule (改期), done (完成), cancel (终止), convert (转型) | active or paused |
//! | pause (暂停) | active |
//! | resume (恢复) | paused |
//! | revise (修改: title, lead unit) | anything but cancelled (a done project's typo can be fixed) |
//! | log activity (记录活动) | anything but cancelled; for a done project, not after its done date |
//! | link to a need (对接需求), record a survey (记录满意度调查) | anything but cancelled |
//!
//! On a community: log meeting, add project (optionally for a need), register a member
//! (党员报到), a member leaves (党员离开: once, not before registering), record service (记录服务:
//! a sign-in sheet, several members, one date and duration; each member registered by then
//! and not gone), record resource use (记录资源使用). See `records.rs` for their log and undo.
//!
//! A project whose stored status is none of the four takes no action until the data is
//! corrected. Also: reschedule must change the date; revise must change something; the lead
//! unit must exist; dates of things done (done, activity, meeting) are not after today; every
//! date is a real `YYYY-MM-DD` in 2000–2099. A convert's successor is a new active project
//! in the same community; its lead unit defaults to the old project's.
//!
//! # What the log records
//! `before` / `after` hold the changed project columns (`due_on`, `status`, `done_on`,
//! `title`, `unit_id`). Convert adds `after.successor` (the new project's id) and
//! `after.successor_project` (its row). Inserted rows are recorded whole:
//! `after.activity`, `after.meeting`, `after.project`.
//!
//! # Undo rules
//! Undo writes a new entry (`action = 'undo'`, `reverses` = the entry) and restores the
//! values, only if what the entry left is still there; otherwise [`Error::UndoStale`] says
//! what changed since and nothing is written. An entry can be undone once
//! ([`AdjustError::AlreadyUndone`]); an undo cannot itself be undone (make the adjustment again).
//! - project changes (reschedule … revise): the recorded columns go back to their before values;
//! - convert: the old project gets its status back, the successor is cancelled;
//! - log activity / log meeting: the inserted row is deleted (the log keeps a copy);
//! - add project: the project is cancelled, not deleted, because log entries refer to it;
//! - a shared setting ([`setting`]): the old value goes back (an absent key is removed again).
//!
//! [`Error::Invalid`]: crate::error::Error::Invalid
//! [`Error::Conflict`]: crate::error::Error::Conflict
//! [`Error::UndoStale`]: crate::error::Error::UndoStale
//! [`AdjustError::AlreadyUndone`]: crate::error::Error::AlreadyUndone

mod action;
mod apply;
mod decision;
mod error;
mod history;
mod kinds;
mod operator;
mod parse;
mod project;
mod records;
pub mod setting;
mod undo;

pub use crate::fields::{
    FIRST_YEAR, FieldError, LAST_YEAR, MAX_COUNT, MAX_MINUTES, MAX_NAME, MAX_NOTE, MAX_OPERATOR,
    MAX_REASON, MAX_TITLE, NO_UNIT_WORDS, Raw, key, label, parse_minutes,
};
pub use action::{
    Action, ActionKind, FieldSpec, Input, MeetingKind, Request, Target, form_defaults, validate,
};
pub use apply::{Change, Conflict, apply, preview};
pub(crate) use apply::{EntryParts, insert_entry};
pub use error::AdjustError;
pub use history::{Entry, HistoryFilter, action_term, entry, history};
pub use kinds::{KINDS, KindRow};
pub use operator::{default_operator, prefill as prefill_operator};
pub use project::{ProjectState, UnitChoice, project_state, unit_choices};
pub use undo::Stale;

use self::error::Result;
use crate::store::WriteStore;
use chrono::{DateTime, Utc};

/// Undoes log entry `entry`: see the module's undo rules. Returns the new entry's id.
pub fn undo(
    store: &mut impl WriteStore,
    entry: i64,
    operator: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    apply(store, &Action::Undo { entry }, operator, reason, now, None)
}

/// A small district in memory for the unit tests: one project in each status.
#[cfg(test)]
pub(crate) fn test_conn() -> rusqlite::Connection {
    let conn = rusqlite::Connection::open_in_memory().expect("memory db");
    conn.execute_batch(include_str!("../store/sql/v1_contract.sql"))
        .expect("contract");
    conn.execute_batch(include_str!("../store/sql/v2_program.sql"))
        .expect("program");
    conn.execute_batch("ALTER TABLE project ADD COLUMN need_id INTEGER REFERENCES need(id);")
        .expect("need_id");
    conn.execute_batch(include_str!("../store/sql/v5_contract2.sql"))
        .expect("contract 2");
    // Project 5's status breaks the contract, as a file from a tool without the CHECK might.
    conn.execute_batch(
        "PRAGMA ignore_check_constraints = ON;
         INSERT INTO street VALUES (1, '西江街道');
         INSERT INTO community VALUES (1, 1, '石羊塘社区'), (2, 1, '港宁社区');
         INSERT INTO unit VALUES (1, '区人民医院', '医院'), (2, '石羊塘小学', '学校');
         INSERT INTO project (id, community_id, unit_id, title, due_on, status, done_on) VALUES
           (1, 1, 1, '健康讲座', '2026-12-20', 'active', NULL),
           (2, 1, NULL, '楼道清理', '2026-10-31', 'paused', NULL),
           (3, 1, 2, '家长课堂', '2026-07-15', 'done', '2026-07-10'),
           (4, 1, NULL, '老年大学', '2026-09-30', 'cancelled', NULL),
           (5, 2, 1, '坏数据', '2026-09-30', 'unknown', NULL);
         INSERT INTO need (id, community_id, title, raised_on, source) VALUES
           (1, 1, '老人助餐', '2026-06-01', 'survey'), (2, 2, '儿童托管', '2026-08-01', 'forum');
         INSERT INTO resource (id, community_id, unit_id, title, times_used) VALUES
           (1, 1, 1, '会议室', 0), (2, 1, 2, '技术类图书200册', 3);
         INSERT INTO member (id, community_id, unit_id, name, registered_on, left_on) VALUES
           (1, 1, 1, '王芳', '2026-01-10', NULL), (2, 1, 2, '李强', '2026-03-01', NULL),
           (3, 1, NULL, '赵敏', '2025-05-01', '2026-06-30'), (4, 2, 1, '王芳', '2026-02-01', NULL);
         PRAGMA ignore_check_constraints = OFF;",
    )
    .expect("rows");
    conn
}
