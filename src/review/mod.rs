//! The weekly review (周例会回顾): the flagged communities walked one by one in the meeting,
//! the decisions taken (督办事项) and their follow-up, and the minutes (会议纪要). No terminal
//! code here: the review screen is in `dashboard`.
//!
//! # How the review screen uses it
//! 1. [`review_order`] lists the communities to walk; [`start_review`] records the start.
//! 2. For each community: [`flag_reasons`] (what is flagged and why), [`last_review`] then
//!    [`changes_since`] and [`since_last_review`] (what changed since the last review),
//!    [`decisions`] (earlier decisions with their state); [`record_item`] when the meeting
//!    moves on (covered or skipped).
//! 3. `d`: [`add_decision`]; `x`: [`complete_decision`]. Bad input is
//!    [`Error::Invalid`] with one [`FieldError`] per field, in both languages.
//! 4. `q`: [`end_review`] gives the [`Summary`]; [`minutes`] the Markdown minutes.
//!
//! # Storage and log
//! Tables `review`, `review_item`, `decision` (schema version 4, `store/sql/v4_review.sql`).
//! Every write goes through [`Store::write`] and writes its entry in the append-only
//! adjustment log in the same transaction, with these actions:
//!
//! | action | community | before → after | reason |
//! |---|---|---|---|
//! | `review_start` | – | `{}` → `{review, street_id}` | 周例会回顾 |
//! | `review_item` | the community | `{outcome}` (when replaced) → `{review, outcome}` | 周例会回顾 |
//! | `decision` | the community | `{}` → `{decision: {id, review, text, owner, due_on}}` | the decision's text |
//! | `decision_done` | the community | `{}` → `{decision, done_note}` | the note |
//! | `decision_edit` | the community | `{decision, COLUMN: old}` → `{decision, COLUMN: new}` (text, owner, due_on: those changed) | the reason typed |
//! | `review_end` | – | `{}` → `{review, covered, skipped, decisions}` | 周例会回顾 |
//!
//! `decision` and `decision_edit` are undone through `adjust undo` like any entry (the
//! decision withdrawn, or its values put back, only while it is as the entry left it and not
//! done). The other entries cannot be undone: a decision that is done stays done (a trigger
//! guards it), and the review's bookkeeping changes no figure.
//!
//! [`Store::write`]: crate::store::Store::write
//! [`Error::Invalid`]: crate::error::Error::Invalid
//! [`FieldError`]: crate::fields::FieldError

mod docx;
mod flags;
mod minutes;
mod read;
mod write;

pub use docx::minutes_docx;
pub use flags::{ChangeLine, Direction, Flag, FlagKey, changes_since, flag_reasons, flags};
pub use minutes::minutes;
pub use read::{
    DatedLine, HeldActivity, HeldMeeting, PastReview, SinceLastReview, decisions, decisions_on,
    last_review, latest_review, open_reviews, overdue_decisions, review, since_last_review,
    summary,
};
pub use write::{
    MAX_DECISION, add_decision, close_stale_reviews, complete_decision, edit_decision, end_review,
    preview_completion, preview_decision, preview_decision_edit, record_item, start_review,
};

use crate::adjust::Entry;
use crate::i18n::{Lang, Term};
use crate::indicators::Report;
use serde::Serialize;
use std::collections::HashMap;

/// The log's actions written by the review.
pub mod action {
    pub const REVIEW_START: &str = "review_start";
    pub const REVIEW_ITEM: &str = "review_item";
    pub const DECISION: &str = "decision";
    pub const DECISION_DONE: &str = "decision_done";
    /// A decision's text, responsible person or due date changed.
    pub const DECISION_EDIT: &str = "decision_edit";
    pub const REVIEW_END: &str = "review_end";
    pub const ALL: [&str; 6] = [
        REVIEW_START,
        REVIEW_ITEM,
        DECISION,
        DECISION_DONE,
        DECISION_EDIT,
        REVIEW_END,
    ];
}

/// The reason the log records for the review's own entries.
pub const REVIEW_REASON: &str = "周例会回顾";

/// The words for a log action of the review, for the log screen and `gongjian log`.
pub fn action_label(action: &str) -> Option<Term> {
    Some(match action {
        action::REVIEW_START => ("开始周例会回顾", "review started"),
        action::REVIEW_ITEM => ("回顾社区", "community reviewed"),
        action::DECISION => ("督办事项", "decision"),
        action::DECISION_DONE => ("督办事项完成", "decision done"),
        action::DECISION_EDIT => ("修改督办事项", "decision changed"),
        action::REVIEW_END => ("结束周例会回顾", "review ended"),
        _ => return None,
    })
}

/// Whether a log entry is the review's own bookkeeping (not an adjustment of the figures).
pub fn is_review_action(action: &str) -> bool {
    action::ALL.contains(&action)
}

pub use crate::vocab::{DecisionState, Outcome};

/// A decision (督办事项) with its state on the day it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub id: i64,
    /// The review it was taken in; `None` when taken outside a review.
    pub review_id: Option<i64>,
    pub community_id: i64,
    pub community: String,
    pub text: String,
    /// The responsible person (责任人).
    pub owner: String,
    /// `YYYY-MM-DD` as stored.
    pub due_on: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub created_by: String,
    pub done_at: Option<String>,
    pub done_by: Option<String>,
    pub done_note: Option<String>,
    pub state: DecisionState,
    /// Days past the due date when overdue, else 0.
    pub days_overdue: i64,
}

/// One review as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    pub id: i64,
    /// RFC 3339, UTC.
    pub started_at: String,
    pub ended_at: Option<String>,
    pub operator: String,
    pub street_id: Option<i64>,
    pub street: Option<String>,
    /// The program was closed mid-review: the next review closed it at its last record.
    pub interrupted: bool,
    /// Its last record (the latest community recorded, else its start), RFC 3339, UTC.
    pub last_at: String,
}

/// How long a review may go without a record before an open one counts as left by a program
/// that was closed mid-review: no weekly meeting pauses this long.
pub const STALE_AFTER_HOURS: i64 = 6;

impl Review {
    /// Still open, but nothing recorded for [`STALE_AFTER_HOURS`] before `now`: the program
    /// that ran it was closed mid-review.
    pub fn is_stale(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        self.ended_at.is_none()
            && read::parse_at(&self.last_at)
                .is_some_and(|last| now - last > chrono::Duration::hours(STALE_AFTER_HOURS))
    }
}

/// A community the review came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reviewed {
    pub community_id: i64,
    pub community: String,
    pub outcome: Outcome,
}

/// What a review did, for the screen that ends it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub review: Review,
    pub covered: Vec<Reviewed>,
    pub skipped: Vec<Reviewed>,
    /// The decisions taken in this review.
    pub decisions: Vec<Decision>,
    /// Decisions marked done while the review was under way (from its start to its end, or
    /// now), in its street when it took one street: taken in this review or before.
    pub done: Vec<Decision>,
    /// Adjustments logged between the review's start and its end (or now, while it is under
    /// way), in its street when it took one street, oldest first; the review's own entries
    /// are not counted.
    pub adjustments: Vec<Entry>,
    /// Decisions still open (or overdue) in the review's street (every street when it took
    /// all), taken in this review or before: the follow-ups carried over.
    pub open: Vec<Decision>,
}

impl Summary {
    /// One line: `已回顾 5 个社区，跳过 2 个；新增督办事项 3 项，办结 1 项；期间调整 4 次；待跟进督办事项 6 项`,
    /// `communities covered: 5, skipped: 2; decisions taken: 3, done: 1; adjustments made: 4; follow-ups open: 6`.
    /// The minutes say the same counts of each review ([`Summary::counts`]).
    pub fn headline(&self, lang: Lang) -> String {
        let (a, o) = (self.adjustments.len(), self.open.len());
        match lang {
            Lang::Zh => format!(
                "{}；期间调整 {a} 次；待跟进督办事项 {o} 项",
                self.counts(lang)
            ),
            Lang::En => format!(
                "{}; adjustments made: {a}; follow-ups open: {o}",
                self.counts(lang)
            ),
        }
    }

    /// What the review did, as the end screen and the minutes both say it:
    /// `已回顾 5 个社区，跳过 2 个；新增督办事项 3 项，办结 1 项`.
    pub fn counts(&self, lang: Lang) -> String {
        let (c, s, d, x) = (
            self.covered.len(),
            self.skipped.len(),
            self.decisions.len(),
            self.done.len(),
        );
        match lang {
            Lang::Zh => format!("已回顾 {c} 个社区，跳过 {s} 个；新增督办事项 {d} 项，办结 {x} 项"),
            Lang::En => {
                format!("communities covered: {c}, skipped: {s}; decisions taken: {d}, done: {x}")
            }
        }
    }
}

/// The communities a review walks: first those flagged by the version-1 panels or an overdue
/// decision, most flags first (alerts plus overdue decisions); then those flagged only by the
/// version-2 panels (`more_alerts`: unmet needs, satisfaction, members' service), most of those
/// first; ties by id. In `street` when given.
pub fn review_order(
    report: &Report,
    overdue_decisions: &HashMap<i64, u32>,
    street: Option<i64>,
) -> Vec<i64> {
    let mut flagged: Vec<(u8, u32, i64)> = report
        .communities
        .iter()
        .filter(|c| street.is_none_or(|s| c.street_id == s))
        .filter_map(|c| {
            let extra = overdue_decisions.get(&c.id).copied().unwrap_or(0);
            match (c.alerts + extra, c.more_alerts) {
                (0, 0) => None,
                (0, more) => Some((1, more, c.id)),
                (flags, _) => Some((0, flags, c.id)),
            }
        })
        .collect();
    flagged.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    flagged.into_iter().map(|(_, _, id)| id).collect()
}

#[cfg(test)]
mod tests;
