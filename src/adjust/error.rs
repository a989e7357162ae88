//! What can stop an adjustment: the store's own errors, wrapped, and the adjustment's (a
//! field that cannot be saved, a project another terminal changed, an undo that cannot be
//! made). The command line turns each into one message; the dashboard shows each its own way.

use super::{Conflict, Stale};
use crate::error::Error;
use crate::fields::FieldError;
use crate::i18n::Lang;
use std::fmt;

#[derive(Debug)]
pub enum AdjustError {
    /// Input that cannot be saved: one problem per field.
    Invalid(Vec<FieldError>),
    /// The project changed after its form was opened; nothing was written.
    Conflict(Box<Conflict>),
    /// The log entry to undo was undone already, by entry `by`.
    AlreadyUndone { entry: i64, by: i64 },
    /// The file changed since the log entry to undo; nothing was written.
    UndoStale(Box<Stale>),
    /// The file could not be read or written.
    Store(Error),
}

pub type Result<T, E = AdjustError> = std::result::Result<T, E>;

impl AdjustError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AdjustError::Invalid(problems) => Error::Invalid(problems.clone()).message(lang),
            AdjustError::Conflict(c) => c.message(lang),
            AdjustError::AlreadyUndone { entry, by } => match lang {
                Lang::Zh => {
                    format!("调整记录 #{entry} 已被 #{by} 撤销，不能再次撤销；未写入任何内容")
                }
                Lang::En => format!(
                    "log entry #{entry} was already undone by #{by} and cannot be undone again; nothing was written"
                ),
            },
            AdjustError::UndoStale(s) => s.message(lang),
            AdjustError::Store(e) => e.message(lang),
        }
    }

    /// Whether a retry of the whole transaction may succeed.
    pub fn is_busy(&self) -> bool {
        matches!(self, AdjustError::Store(e) if e.is_busy())
    }
}

impl crate::store::TxError for AdjustError {
    fn is_busy(&self) -> bool {
        AdjustError::is_busy(self)
    }
}

impl From<Error> for AdjustError {
    fn from(e: Error) -> Self {
        match e {
            Error::Invalid(problems) => AdjustError::Invalid(problems),
            e => AdjustError::Store(e),
        }
    }
}

impl From<rusqlite::Error> for AdjustError {
    fn from(e: rusqlite::Error) -> Self {
        AdjustError::Store(e.into())
    }
}

impl From<AdjustError> for Error {
    fn from(e: AdjustError) -> Self {
        match e {
            AdjustError::Invalid(problems) => Error::Invalid(problems),
            AdjustError::Store(e) => e,
            other => Error::plain(other.message(Lang::Zh), other.message(Lang::En)),
        }
    }
}

impl fmt::Display for AdjustError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(crate::i18n::process_lang()))
    }
}

impl std::error::Error for AdjustError {}
