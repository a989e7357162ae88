//! One reader per contract table: its SQL, its row type (the row as stored), and the small
//! function that maps a result row onto it, in one file per entity (`project.rs`, `activity.rs`,
//! …). Every feature that reads the shared file (figures, import, adjustments, review, export)
//! reads through these, so a table is read one way everywhere.
//!
//! Other tools write this file, so every reader is tolerant, row by row:
//! - text is read whatever its storage class (invalid UTF-8 shown with U+FFFD, a number as
//!   written, NULL as empty);
//! - a whole number may be stored as an integer, a whole real or digits in text;
//! - any other value where the contract wants a number (`'30人'`, `7.5`, `'一'`, a blob, NULL)
//!   leaves the row out and names it in a [`DataProblem`], as a malformed date does in the
//!   figures. A bad value never fails the read.
//!
//! To add a table: a new file here with its `Row` type, `COLUMNS`, `fn map` and the readers the
//! features need (see `need.rs` for the smallest), and a line in `mod` below.

pub mod activity;
pub mod community;
pub mod contract;
pub mod meeting;
pub mod member;
pub mod need;
pub mod project;
pub mod resource;
pub mod service;
pub mod source;
pub mod street;
pub mod survey;
pub mod unit;

use crate::dates::parse_ymd;
use crate::error::Result;
use crate::model::DataProblem;
use chrono::NaiveDate;
use rusqlite::types::ValueRef;
pub use source::{
    CellRow, Param, PgQuery, PgSource, Source, Writer, exists, owned, query_all, query_one,
};
use std::borrow::Cow;

/// The cells of one result row, read tolerantly. The first value that cannot be read as the
/// contract says is remembered; [`Cells::finish`] then leaves the row out and reports it.
pub struct Cells<'a> {
    row: &'a dyn CellRow,
    table: &'static str,
    id: i64,
    bad: Option<(&'static str, String)>,
}

impl<'a> Cells<'a> {
    /// The row of `table` whose id (`INTEGER PRIMARY KEY`, always an integer) is column 0.
    pub fn new(row: &'a dyn CellRow, table: &'static str) -> rusqlite::Result<Cells<'a>> {
        let id = match row.value(0)? {
            ValueRef::Integer(i) => i,
            // Only a table without a rowid alias could hold anything else: named by 0.
            _ => 0,
        };
        Ok(Cells {
            row,
            table,
            id,
            bad: None,
        })
    }

    pub fn id(&self) -> i64 {
        self.id
    }

    /// Column `idx` as a whole number; NULL is bad.
    pub fn int(&mut self, idx: usize, column: &'static str) -> rusqlite::Result<i64> {
        Ok(self.opt_int(idx, column)?.unwrap_or_else(|| {
            self.mark(column, "NULL".to_string());
            0
        }))
    }

    /// Column `idx` as a whole number, or `None` for NULL.
    pub fn opt_int(&mut self, idx: usize, column: &'static str) -> rusqlite::Result<Option<i64>> {
        let value = self.row.value(idx)?;
        match whole_number(value) {
            Ok(n) => Ok(n),
            Err(()) => {
                self.mark(column, shown(value));
                Ok(None)
            }
        }
    }

    /// Column `idx` as text (see the module's rules); NULL is empty.
    pub fn text(&self, idx: usize) -> rusqlite::Result<String> {
        Ok(self.opt_text(idx)?.unwrap_or_default())
    }

    pub fn opt_text(&self, idx: usize) -> rusqlite::Result<Option<String>> {
        Ok(as_text(self.row.value(idx)?))
    }

    /// [`Cells::text`] without a copy when the value is stored as valid UTF-8, for values that
    /// are only parsed (dates, statuses): the project table is read whole at every refresh.
    pub fn text_ref(&self, idx: usize) -> rusqlite::Result<Cow<'a, str>> {
        Ok(match self.row.value(idx)? {
            ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t),
            other => Cow::Owned(as_text(other).unwrap_or_default()),
        })
    }

    /// A date column for the figures: `YYYY-MM-DD` text and nothing looser (a blob is not a
    /// date); otherwise the row is marked bad.
    pub fn date(&mut self, idx: usize, column: &'static str) -> rusqlite::Result<NaiveDate> {
        let value = self.row.value(idx)?;
        let parsed = match value {
            ValueRef::Text(t) => std::str::from_utf8(t).ok().and_then(parse_ymd),
            _ => None,
        };
        Ok(parsed.unwrap_or_else(|| {
            self.mark(column, shown(value));
            NaiveDate::default()
        }))
    }

    /// Marks the row as bad for a reason found by the caller (a date that is not a date).
    pub fn mark(&mut self, column: &'static str, value: String) {
        if self.bad.is_none() {
            self.bad = Some((column, value));
        }
    }

    pub fn is_bad(&self) -> bool {
        self.bad.is_some()
    }

    /// `value` when every cell was readable; otherwise `None`, and the first bad cell is
    /// added to `problems`.
    pub fn finish<T>(self, value: T, problems: &mut Vec<DataProblem>) -> Option<T> {
        match self.bad {
            None => Some(value),
            Some((column, value)) => {
                problems.push(DataProblem {
                    table: self.table,
                    row_id: self.id,
                    column,
                    value,
                });
                None
            }
        }
    }
}

/// A whole number as the contract means one: an integer, a whole real, or digits in text.
fn whole_number(value: ValueRef<'_>) -> std::result::Result<Option<i64>, ()> {
    match value {
        ValueRef::Null => Ok(None),
        ValueRef::Integer(i) => Ok(Some(i)),
        ValueRef::Real(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
        ValueRef::Text(t) => std::str::from_utf8(t)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .map(Some)
            .ok_or(()),
        ValueRef::Real(_) | ValueRef::Blob(_) => Err(()),
    }
}

/// A value as text: invalid UTF-8 replaced, numbers as written, NULL as `None`.
pub fn as_text(value: ValueRef<'_>) -> Option<String> {
    match value {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t).into_owned()),
    }
}

/// A value as a notice shows it: text as text, a blob as `x'…'` hex (the first 16 bytes).
pub fn shown(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => "NULL".to_string(),
        ValueRef::Blob(b) => {
            let hex: String = b.iter().take(16).map(|x| format!("{x:02x}")).collect();
            let more = if b.len() > 16 { "…" } else { "" };
            format!("x'{hex}{more}'")
        }
        other => as_text(other).unwrap_or_default(),
    }
}

/// Which part of the district a read for the figures takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    District,
    /// One community's rows, read through the per-community indexes.
    Community(i64),
}

impl Scope {
    /// An SQL condition that keeps the rows whose `column` names this scope's community, and
    /// every row that holds text or a blob there (which SQLite's integer affinity left
    /// unconverted): the tolerant reader reads those as the district read does, and
    /// [`Scope::contains`] keeps or drops them. Both halves are searched through an index on
    /// `column`. Always true for the district.
    pub fn on(self, column: &str) -> String {
        match self {
            Scope::District => "1".to_string(),
            Scope::Community(id) => format!("({column} = {id} OR {column} >= '')"),
        }
    }

    /// The same condition for a column that names a row of `table` (a project, a member):
    /// the rows of this community's `table`, by their `community_id`.
    pub fn through(self, column: &str, table: &str) -> String {
        match self {
            Scope::District => "1".to_string(),
            Scope::Community(_) => format!(
                "({column} IN (SELECT id FROM {table} WHERE {}) OR {column} >= '')",
                self.on("community_id")
            ),
        }
    }

    /// `ORDER BY id` for the district; nothing for one community, whose rows the caller sorts:
    /// asked to keep the id order, SQLite would walk the whole table instead of the index.
    pub fn order_by_id(self) -> &'static str {
        match self {
            Scope::District => " ORDER BY id",
            Scope::Community(_) => "",
        }
    }

    /// A date column in a condition: for one community it is kept away from the planner
    /// (`+column`), which would otherwise walk the year's rows of the whole district through
    /// a date index rather than the community's few through its own.
    pub fn date(self, column: &str) -> String {
        match self {
            Scope::District => column.to_string(),
            Scope::Community(_) => format!("+{column}"),
        }
    }

    /// Whether a row read as belonging to `community` is in this scope.
    pub fn contains(self, community: i64) -> bool {
        match self {
            Scope::District => true,
            Scope::Community(id) => id == community,
        }
    }
}

/// Runs `sql` and keeps the rows that `map` accepts (SQLite only; [`collect_on`] reads either
/// engine).
pub fn collect<T, P: rusqlite::Params>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: P,
    mut map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<Option<T>>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        if let Some(value) = map(row)? {
            out.push(value);
        }
    }
    Ok(out)
}

/// [`collect`] on either engine (see [`source`]): the readers the figures use read through this.
pub fn collect_on<T>(
    conn: &dyn Source,
    sql: &str,
    params: &[Param<'_>],
    mut map: impl FnMut(&dyn CellRow) -> rusqlite::Result<Option<T>>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    conn.each_row(sql, params, &mut |row| {
        if let Some(value) = map(row)? {
            out.push(value);
        }
        Ok(())
    })?;
    Ok(out)
}

/// [`one`] on either engine.
pub fn one_on<T>(
    conn: &dyn Source,
    sql: &str,
    params: &[Param<'_>],
    map: impl FnMut(&dyn CellRow) -> rusqlite::Result<Option<T>>,
) -> Result<Option<T>> {
    Ok(collect_on(conn, sql, params, map)?.into_iter().next())
}

/// The one row `sql` finds with `params`, if any, mapped by `map` (SQLite only; [`one_on`]
/// reads either engine).
pub fn one<T, P: rusqlite::Params>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: P,
    map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<Option<T>>,
) -> Result<Option<T>> {
    Ok(collect(conn, sql, params, map)?.into_iter().next())
}

#[cfg(test)]
mod tests;
