//! The writing thread: its own read-write connection, so that a save that waits for another
//! program's lock never freezes the screen, and no transaction is ever open while a person
//! types (the form collects text; only the finished, confirmed request comes here).

use super::event::Event;
use crate::adjust::{self, ActionKind, Change, Entry, HistoryFilter, ProjectState, Raw, Request};
use crate::error::Error;
use crate::store::{Access, Store};
use chrono::{NaiveDate, Utc};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};

#[derive(Debug)]
pub enum WriteRequest {
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
}

#[derive(Debug)]
pub enum WriteReply {
    ProjectState(i64, Result<Option<ProjectState>, String>),
    Validated(Result<(Request, Vec<Change>), Error>),
    Applied(Result<i64, Error>),
    History(Result<Vec<Entry>, String>),
    /// The file could not be opened for writing: every write is refused with this reason.
    Unavailable(String),
}

/// Runs until the request channel closes. `store` is `None` when the file is read-only:
/// every write is then refused with the reason.
pub fn run(
    path: PathBuf,
    read_only: bool,
    lang: crate::i18n::Lang,
    requests: Receiver<WriteRequest>,
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
            let _ = events.send(Event::Written(WriteReply::Unavailable(e.message(lang))));
            None
        }
    };
    while let Ok(request) = requests.recv() {
        let Some(store) = store.as_mut() else {
            continue;
        };
        let reply = serve(store, request, lang);
        if events.send(Event::Written(reply)).is_err() {
            return;
        }
    }
}

/// Carries out one request on the writer's connection (the thread's loop, and tests).
pub fn serve(store: &mut Store, request: WriteRequest, lang: crate::i18n::Lang) -> WriteReply {
    match request {
        WriteRequest::ProjectState(id) => WriteReply::ProjectState(
            id,
            adjust::project_state(store.conn(), id).map_err(|e| e.message(lang)),
        ),
        WriteRequest::Validate { kind, raw, today } => {
            let checked = adjust::validate(store.conn(), kind, &raw, today).and_then(|request| {
                let changes = adjust::preview(store.conn(), &request.action)?;
                Ok((request, changes))
            });
            WriteReply::Validated(checked)
        }
        WriteRequest::Apply { request, expected } => WriteReply::Applied(adjust::apply(
            store,
            &request.action,
            &request.operator,
            &request.reason,
            Utc::now(),
            expected.as_ref(),
        )),
        WriteRequest::History(filter) => {
            WriteReply::History(adjust::history(store.conn(), &filter).map_err(|e| e.message(lang)))
        }
    }
}
