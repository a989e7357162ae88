//! The store thread: the dashboard's read-write connection. It serves the reads that go with
//! writing (a project's state for a form, the adjustment log, a review's context) and the
//! writes, so that a save that waits for another program's lock never freezes the screen, and
//! no transaction is ever open while a person types (the form collects text; only the
//! finished, confirmed request comes here). The figures are read by the worker thread.

use super::event::Event;
use crate::adjust::{
    self, ActionKind, AdjustError, Change, Entry, HistoryFilter, ProjectState, Raw, Request,
};
use crate::error::Error;
use crate::indicators::{CommunityFigures, Report};
use crate::review::{Decision, Outcome, PastReview, SinceLastReview, Summary};
use crate::store::{Access, Store};
use chrono::{NaiveDate, Utc};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};

#[derive(Debug)]
pub enum StoreRequest {
    /// The project as it is now, for the action menu and as a form's `expected` values.
    ProjectState(i64),
    /// Check a filled form and say what it would change.
    Validate {
        kind: ActionKind,
        raw: Raw,
        today: NaiveDate,
    },
    /// Save a checked request; `expected` is the project as the form saw it.
    Apply {
        request: Request,
        expected: Option<ProjectState>,
    },
    History(HistoryFilter),
    /// Change a shared setting, logged (the form of `=` on the overview).
    SetSetting {
        key: &'static str,
        value: String,
        reason: String,
        operator: String,
    },
    StartReview {
        operator: String,
        street: Option<i64>,
    },
    /// The last review's figures, what happened since, and the decisions, for one community.
    ReviewContext {
        community: i64,
        review: Option<i64>,
        today: NaiveDate,
    },
    RecordItem {
        review: i64,
        figures: Box<CommunityFigures>,
        outcome: Outcome,
    },
    /// Check a decision form and say what it would record (nothing is written).
    CheckReview(ReviewForm),
    /// Save a decision form that was checked and confirmed.
    SaveReview(ReviewForm),
    EndReview {
        review: i64,
        today: NaiveDate,
    },
    /// The year-end assessment of `today`'s year, as of `today`.
    Assess {
        today: NaiveDate,
    },
    /// The minutes as Markdown into a new file in `folder`, named after `today`.
    ExportMinutes {
        report: Box<Report>,
        folder: PathBuf,
        lang: crate::i18n::Lang,
    },
}

/// A form of the weekly review's decisions, as typed.
#[derive(Debug, Clone)]
pub enum ReviewForm {
    Add {
        review: Option<i64>,
        community: i64,
        text: String,
        owner: String,
        due: String,
        operator: String,
        today: NaiveDate,
    },
    Edit {
        decision: i64,
        text: String,
        owner: String,
        due: String,
        reason: String,
        operator: String,
        today: NaiveDate,
    },
    Complete {
        decision: i64,
        note: String,
        operator: String,
    },
}

impl ReviewForm {
    fn check(&self, conn: &dyn crate::store::rows::Source) -> Result<Vec<Change>, Error> {
        match self {
            ReviewForm::Add {
                community,
                text,
                owner,
                due,
                operator,
                today,
                ..
            } => crate::review::preview_decision(
                conn, *community, text, owner, due, operator, *today,
            ),
            ReviewForm::Edit {
                decision,
                text,
                owner,
                due,
                reason,
                operator,
                today,
            } => crate::review::preview_decision_edit(
                conn, *decision, text, owner, due, reason, operator, *today,
            ),
            ReviewForm::Complete {
                decision,
                note,
                operator,
            } => crate::review::preview_completion(conn, *decision, note, operator),
        }
    }

    fn save(&self, store: &mut impl crate::store::WriteStore) -> Result<(), Error> {
        let now = Utc::now();
        match self {
            ReviewForm::Add {
                review,
                community,
                text,
                owner,
                due,
                operator,
                today,
            } => crate::review::add_decision(
                store, *review, *community, text, owner, due, operator, *today, now,
            )
            .map(|_| ()),
            ReviewForm::Edit {
                decision,
                text,
                owner,
                due,
                reason,
                operator,
                today,
            } => crate::review::edit_decision(
                store, *decision, text, owner, due, reason, operator, *today, now,
            )
            .map(|_| ()),
            ReviewForm::Complete {
                decision,
                note,
                operator,
            } => crate::review::complete_decision(store, *decision, note, operator, now),
        }
    }

    fn operator(&self) -> &str {
        match self {
            ReviewForm::Add { operator, .. }
            | ReviewForm::Edit { operator, .. }
            | ReviewForm::Complete { operator, .. } => operator,
        }
    }
}

/// What the review screen shows about one community besides its figures.
#[derive(Debug, Clone, Default)]
pub struct ReviewContext {
    pub past: Option<PastReview>,
    pub since: SinceLastReview,
    pub decisions: Vec<Decision>,
}

#[derive(Debug)]
pub enum StoreReply {
    ProjectState(i64, Result<Option<ProjectState>, String>),
    Validated(Result<(Request, Vec<Change>), AdjustError>),
    /// The log entry saved, or why not; and the operator the save was made with, which the
    /// next form starts with (the dashboard keeps it; nothing is kept in the process).
    Applied(Result<i64, AdjustError>, String),
    History(Result<Vec<Entry>, String>),
    /// The file could not be opened for writing: every write is refused with this reason.
    Unavailable(String),
    ReviewStarted(Result<i64, String>),
    ReviewContext(i64, Result<Box<ReviewContext>, String>),
    ItemRecorded(Result<(), String>),
    /// What a decision form would record, or why not.
    ReviewChecked(Result<Vec<Change>, Error>),
    /// A decision form saved, or why not; and the operator it was saved with.
    ReviewSaved(Result<(), Error>, String),
    /// The log entry of a changed setting, or why not; and the operator it was saved with.
    SettingSaved(Result<i64, AdjustError>, String),
    ReviewEnded(Result<Box<Summary>, String>),
    MinutesWritten(Result<PathBuf, String>),
    Assessed(Result<Box<super::assess::AssessData>, String>),
}

/// Runs until the request channel closes. `store` is `None` when the file is read-only:
/// every write is then refused with the reason.
pub fn run(
    path: PathBuf,
    read_only: bool,
    lang: crate::i18n::Lang,
    requests: Receiver<StoreRequest>,
    events: Sender<Event>,
) {
    let access = if read_only {
        Access::ReadOnly
    } else {
        Access::ReadWrite
    };
    let mut store = match Store::open(&path, access) {
        Ok(store) => Some(store),
        Err(e) => {
            let _ = events.send(Event::Stored(StoreReply::Unavailable(e.message(lang))));
            None
        }
    };
    // A review left open by a program closed mid-meeting is closed now, marked interrupted,
    // so that the minutes never show it as under way; one going on elsewhere is left alone.
    // Failing here (a busy file) only leaves that to the next start.
    if let Some(store) = store.as_mut() {
        let _ = crate::review::close_stale_reviews(store, Utc::now());
    }
    while let Ok(request) = requests.recv() {
        let Some(store) = store.as_mut() else {
            continue;
        };
        let reply = serve(store, request, lang);
        if events.send(Event::Stored(reply)).is_err() {
            return;
        }
    }
}

/// Carries out one request on the store thread's connection (the thread's loop, and tests).
pub fn serve(store: &mut Store, request: StoreRequest, lang: crate::i18n::Lang) -> StoreReply {
    match request {
        StoreRequest::ProjectState(id) => StoreReply::ProjectState(
            id,
            adjust::project_state(store.conn(), id).map_err(|e| e.message(lang)),
        ),
        StoreRequest::Validate { kind, raw, today } => {
            let checked = adjust::validate(store.conn(), kind, &raw, today).and_then(|request| {
                let changes = adjust::preview(store.conn(), &request.action)?;
                Ok((request, changes))
            });
            StoreReply::Validated(checked)
        }
        StoreRequest::Apply { request, expected } => StoreReply::Applied(
            adjust::apply(
                store,
                &request.action,
                &request.operator,
                &request.reason,
                Utc::now(),
                expected.as_ref(),
            ),
            request.operator.trim().to_string(),
        ),
        StoreRequest::History(filter) => {
            StoreReply::History(adjust::history(store.conn(), &filter).map_err(|e| e.message(lang)))
        }
        StoreRequest::SetSetting {
            key,
            value,
            reason,
            operator,
        } => {
            let result =
                adjust::setting::change(store, key, &value, &operator, &reason, Utc::now());
            StoreReply::SettingSaved(result, operator.trim().to_string())
        }
        StoreRequest::Assess { today } => StoreReply::Assessed(
            crate::report::assess::compute(store, today)
                .map(|(record, assessment, _)| {
                    Box::new(super::assess::AssessData { record, assessment })
                })
                .map_err(|e| e.message(lang)),
        ),
        other => serve_review(store, other, lang),
    }
}

/// The weekly review's requests, the same on a file and on a server: the review's writers and
/// readers are engine-neutral. Anything else is not a review's and is refused.
fn serve_review<S: crate::store::WriteStore>(
    store: &mut S,
    request: StoreRequest,
    lang: crate::i18n::Lang,
) -> StoreReply {
    match request {
        StoreRequest::StartReview { operator, street } => StoreReply::ReviewStarted(
            crate::review::start_review(store, &operator, street, Utc::now())
                .map_err(|e| e.message(lang)),
        ),
        StoreRequest::ReviewContext {
            community,
            review,
            today,
        } => {
            let read =
                |conn: &dyn crate::store::rows::Source| -> crate::error::Result<ReviewContext> {
                    let past = crate::review::last_review(conn, community, review)?;
                    // Never reviewed: the week before the figures' day.
                    let week_before = (today - chrono::Duration::days(7))
                        .and_hms_opt(0, 0, 0)
                        .and_then(|t| t.and_local_timezone(chrono::Local).earliest())
                        .map_or_else(
                            || Utc::now() - chrono::Duration::days(7),
                            |t| t.with_timezone(&Utc),
                        );
                    let since_time = past.as_ref().map_or(week_before, |p| p.at);
                    Ok(ReviewContext {
                        since: crate::review::since_last_review(
                            conn, community, since_time, today,
                        )?,
                        decisions: crate::review::decisions(conn, Some(community), today)?,
                        past,
                    })
                };
            StoreReply::ReviewContext(
                community,
                store
                    .read_on(read)
                    .map(Box::new)
                    .map_err(|e| e.message(lang)),
            )
        }
        StoreRequest::RecordItem {
            review,
            figures,
            outcome,
        } => StoreReply::ItemRecorded(
            crate::review::record_item(store, review, figures.id, &figures, outcome, Utc::now())
                .map_err(|e| e.message(lang)),
        ),
        StoreRequest::CheckReview(form) => {
            StoreReply::ReviewChecked(store.read_on(|src| form.check(src)))
        }
        StoreRequest::SaveReview(form) => {
            let operator = form.operator().trim().to_string();
            StoreReply::ReviewSaved(form.save(store), operator)
        }
        StoreRequest::EndReview { review, today } => StoreReply::ReviewEnded(
            crate::review::end_review(store, review, today, Utc::now())
                .map(Box::new)
                .map_err(|e| e.message(lang)),
        ),
        StoreRequest::ExportMinutes {
            report,
            folder,
            lang,
        } => StoreReply::MinutesWritten(
            store
                .read_on(|src| write_minutes(src, &report, &folder, lang))
                .map_err(|e| e.message(lang)),
        ),
        other => refused(
            other,
            lang.pick("这不是周例会的请求", "not a review's request")
                .to_string(),
        ),
    }
}

/// `会议纪要-2026-11-28.md` (or `-2`, `-3`… when taken) in `folder`; never overwrites.
fn write_minutes(
    src: &dyn crate::store::rows::Source,
    report: &Report,
    folder: &std::path::Path,
    lang: crate::i18n::Lang,
) -> crate::error::Result<PathBuf> {
    let text = crate::review::minutes(src, report, None, lang)?;
    let stem = format!("{}-{}", lang.pick("会议纪要", "minutes"), report.today);
    let names = (1..1000).map(|n| {
        if n == 1 {
            format!("{stem}.md")
        } else {
            format!("{stem}-{n}.md")
        }
    });
    if let Some(path) = crate::files::write_first_free(folder, names, text.as_bytes())? {
        return Ok(path);
    }
    Err(Error::plain(
        "同名会议纪要文件过多",
        "too many minutes files with the same name",
    ))
}

/// The store thread on a PostgreSQL database: its own connection (made again when lost, on
/// the next request), opened for writing unless `read_only`. Adjustments, undo, the log and
/// settings, the weekly review and its decisions are served as on the file, through the same
/// engine-neutral writers and readers.
pub fn run_pg(
    url: crate::store::pg::PgUrl,
    read_only: bool,
    lang: crate::i18n::Lang,
    requests: Receiver<StoreRequest>,
    events: Sender<Event>,
) {
    let access = if read_only {
        Access::ReadOnly
    } else {
        Access::ReadWrite
    };
    let mut store: Option<crate::store::pg::PgStore> = None;
    while let Ok(request) = requests.recv() {
        if store.as_ref().is_some_and(|s| s.is_closed()) {
            store = None;
        }
        let opened = match store.as_mut() {
            Some(s) => Ok(s),
            None => crate::store::pg::PgStore::open(&url, access).map(|mut s| {
                // As on the file: a review left open by a program closed mid-meeting is
                // closed, marked interrupted (failing only leaves it to the next start).
                let _ = crate::review::close_stale_reviews(&mut s, Utc::now());
                store.insert(s)
            }),
        };
        let reply = match opened {
            Ok(s) => serve_pg(s, request, lang),
            Err(e) => refused(request, e.message(lang)),
        };
        if events.send(Event::Stored(reply)).is_err() {
            return;
        }
    }
}

/// Carries out one request on a PostgreSQL database (the thread's loop, and tests).
pub fn serve_pg(
    store: &mut crate::store::pg::PgStore,
    request: StoreRequest,
    lang: crate::i18n::Lang,
) -> StoreReply {
    match request {
        StoreRequest::ProjectState(id) => StoreReply::ProjectState(
            id,
            store
                .read_as(|src| adjust::project_state(src, id))
                .map_err(|e| e.message(lang)),
        ),
        StoreRequest::Validate { kind, raw, today } => {
            StoreReply::Validated(store.read_as(|src| {
                let request = adjust::validate(src, kind, &raw, today)?;
                let changes = adjust::preview(src, &request.action)?;
                Ok((request, changes))
            }))
        }
        StoreRequest::Apply { request, expected } => StoreReply::Applied(
            adjust::apply(
                store,
                &request.action,
                &request.operator,
                &request.reason,
                Utc::now(),
                expected.as_ref(),
            ),
            request.operator.trim().to_string(),
        ),
        StoreRequest::History(filter) => StoreReply::History(
            store
                .read_as(|src| adjust::history(src, &filter))
                .map_err(|e| e.message(lang)),
        ),
        StoreRequest::SetSetting {
            key,
            value,
            reason,
            operator,
        } => {
            let result =
                adjust::setting::change(store, key, &value, &operator, &reason, Utc::now());
            StoreReply::SettingSaved(result, operator.trim().to_string())
        }
        StoreRequest::Assess { today } => StoreReply::Assessed(
            store
                .read(|src| crate::report::assess::compute_on(src, today))
                .map(|(record, assessment, _)| {
                    Box::new(super::assess::AssessData { record, assessment })
                })
                .map_err(|e| e.message(lang)),
        ),
        other => serve_review(store, other, lang),
    }
}

/// The reply to `request` refused with `why`.
fn refused(request: StoreRequest, why: String) -> StoreReply {
    let error = || AdjustError::Store(Error::plain(why.clone(), why.clone()));
    match request {
        StoreRequest::ProjectState(id) => StoreReply::ProjectState(id, Err(why)),
        StoreRequest::Validate { .. } => StoreReply::Validated(Err(error())),
        StoreRequest::Apply { request, .. } => {
            StoreReply::Applied(Err(error()), request.operator.trim().to_string())
        }
        StoreRequest::History(_) => StoreReply::History(Err(why)),
        StoreRequest::SetSetting { operator, .. } => {
            StoreReply::SettingSaved(Err(error()), operator.trim().to_string())
        }
        StoreRequest::StartReview { .. } => StoreReply::ReviewStarted(Err(why)),
        StoreRequest::ReviewContext { community, .. } => {
            StoreReply::ReviewContext(community, Err(why))
        }
        StoreRequest::RecordItem { .. } => StoreReply::ItemRecorded(Err(why)),
        StoreRequest::CheckReview(_) => {
            StoreReply::ReviewChecked(Err(Error::plain(why.clone(), why)))
        }
        StoreRequest::SaveReview(form) => {
            let operator = form.operator().trim().to_string();
            StoreReply::ReviewSaved(Err(Error::plain(why.clone(), why)), operator)
        }
        StoreRequest::EndReview { .. } => StoreReply::ReviewEnded(Err(why)),
        StoreRequest::Assess { .. } => StoreReply::Assessed(Err(why)),
        StoreRequest::ExportMinutes { .. } => StoreReply::MinutesWritten(Err(why)),
    }
}
