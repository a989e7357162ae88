//! Reading one day's figures through the summaries of schema version 3 (`sql/v3_summaries.sql`).
//!
//! Each project's sessions in the year up to `today` are the months before today's month, from
//! `activity_year` (kept current by triggers, whoever writes), plus this month's rows up to
//! today, read from the covering index `activity_window`. Everything else is read as
//! [`load_district`](super::load_district) reads it.
//!
//! The summaries are trusted only when the file has every one of their tables and triggers and
//! the year has no activity row the summaries cannot hold exactly (a malformed date, a number
//! stored as text); otherwise the activity rows themselves are read, so that every figure, and
//! every reported problem or error, is what the plain definition gives.

use super::read::{Sessions, in_read_transaction, int, read_district};
use super::rows::Scope;
use super::rows::activity::CLEAN;
use super::summary_sql;
use crate::dates::format_ymd;
use crate::error::Result;
use crate::indicators::SessionSummer;
use crate::model::{DayData, SessionSums, SessionTotals};
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension, Transaction};

/// The tables the summaries rely on; their triggers are `summary_sql::TRIGGERS`.
const SUMMARY_TABLES: &[&str] = &[
    "activity_year",
    "activity_unclean",
    "activity_pending",
    "activity_delta",
];

/// Writes many activity rows at once. Runs `load` inside the caller's write transaction with
/// the summary triggers, the window index and the change counters' triggers set aside, then
/// rebuilds the summaries from the rows (with the script that upgrades a file to version 3) and
/// makes the change triggers again (bumping "everything" once): for millions of rows, far
/// quicker than keeping them current row by row. Other connections see the transaction whole or not at all,
/// so they never see the file without its triggers.
pub fn bulk_load<T>(tx: &Transaction, load: impl FnOnce() -> Result<T>) -> Result<T> {
    for name in summary_sql::TRIGGERS {
        tx.execute_batch(&format!("DROP TRIGGER IF EXISTS {name};"))?;
    }
    tx.execute_batch("DROP INDEX IF EXISTS activity_window;")?;
    // The change counters too: one bump of everything at the end stands for every row.
    tx.execute_batch(&super::changes::drop_script())?;
    let value = load()?;
    tx.execute_batch(&summary_sql::script())?;
    tx.execute_batch(&super::changes::script())?;
    Ok(value)
}

/// Reads what the figures of `today` need, in one read transaction (or the caller's):
/// through the summaries when they can be trusted, else from the activity rows, summed as they
/// are read.
pub fn load_day(conn: &Connection, today: NaiveDate) -> Result<DayData> {
    load_day_in(conn, today, Scope::District)
}

/// [`load_day`] for the part of the district that `scope` names. One community's sessions are
/// read from its projects' rows (through the index on `project_id`: a few thousand rows), so
/// that neither the summaries nor anything of another community is read.
pub fn load_day_in(conn: &Connection, today: NaiveDate, scope: Scope) -> Result<DayData> {
    in_read_transaction(conn, |tx| {
        let year = today.year();
        if scope == Scope::District
            && let Some(sessions) = summed_sessions(tx, today)?
        {
            return Ok(DayData {
                district: read_district(tx, year, Sessions::Skip, scope)?,
                sessions: Some(sessions),
                from_summaries: true,
                totals: None,
            });
        }
        let mut summer = SessionSummer::new(today);
        let district = read_district(tx, year, Sessions::Sum(&mut summer), scope)?;
        Ok(DayData {
            district,
            sessions: Some(summer.finish()),
            from_summaries: false,
            totals: None,
        })
    })
}

/// [`load_day`] with the projects folded per community as they are read (`totals.rs`), with
/// their sessions through the summaries when they can be trusted, else summed from the year's
/// activity rows first: the figures and notices are the same, and only the counts and the
/// projects a panel lists are kept, never every project of the district.
pub fn load_day_folded(
    conn: &Connection,
    today: NaiveDate,
    thresholds: &crate::model::Thresholds,
) -> Result<DayData> {
    in_read_transaction(conn, |tx| {
        // Through the summaries; else the year's activity rows summed as they are read, their
        // problems kept to be named after the projects' (where the plain read names them).
        let (sums, sessions_problems, from_summaries) = match summed_sessions(tx, today)? {
            Some(sums) => (sums, Vec::new(), true),
            None => {
                let (first, last) = super::read::year_range(today.year());
                let mut summer = SessionSummer::new(today);
                let mut problems = Vec::new();
                super::rows::activity::for_each_for_figures(
                    tx,
                    &first,
                    &last,
                    Scope::District,
                    &mut problems,
                    |a| summer.add(&a),
                )?;
                (summer.finish(), problems, false)
            }
        };
        let fold = crate::indicators::Fold::new(today, thresholds);
        let mut totals = None;
        let district = read_district(
            tx,
            today.year(),
            Sessions::Fold(&fold, &sums, &mut totals, sessions_problems),
            Scope::District,
        )?;
        Ok(DayData {
            district,
            sessions: None,
            from_summaries,
            totals,
        })
    })
}

/// [`load_day_in`] on either engine: on a SQLite file through the summaries when they can be
/// trusted; on PostgreSQL (which has none) the year's activity rows are summed as they are
/// read, inside the caller's read transaction.
pub fn load_day_on(
    src: &dyn super::rows::Source,
    today: NaiveDate,
    scope: Scope,
) -> Result<DayData> {
    if let Some(conn) = src.sqlite() {
        return load_day_in(conn, today, scope);
    }
    let mut summer = SessionSummer::new(today);
    let district = read_district(src, today.year(), Sessions::Sum(&mut summer), scope)?;
    Ok(DayData {
        district,
        sessions: Some(summer.finish()),
        from_summaries: false,
        totals: None,
    })
}

/// Whether the file carries every summary table and trigger.
pub fn has_summaries(conn: &Connection) -> Result<bool> {
    current(conn)
}

/// Whether the file carries every summary table, and every trigger exactly as
/// `summary_sql.rs` writes it today: triggers another tool dropped or an earlier gongjian wrote
/// (with an older clean-row test) are not trusted, and the figures read the rows.
pub(crate) fn current(conn: &Connection) -> Result<bool> {
    let mut stmt = conn.prepare_cached(
        "SELECT type, name, sql FROM sqlite_schema
          WHERE type IN ('table', 'trigger') AND name LIKE 'activity%'",
    )?;
    let present: Vec<(String, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<std::result::Result<_, _>>()?;
    let tables = SUMMARY_TABLES
        .iter()
        .all(|name| present.iter().any(|(k, n, _)| k == "table" && n == name));
    let triggers = summary_sql::triggers().into_iter().all(|(name, sql)| {
        present
            .iter()
            .any(|(k, n, s)| k == "trigger" && n == name && s.as_deref() == Some(sql.as_str()))
    });
    Ok(tables && triggers)
}

/// Each project's sessions in the year up to `today`, summed; `None` when the summaries cannot
/// be trusted for this year.
fn summed_sessions(tx: &Connection, today: NaiveDate) -> Result<Option<SessionTotals>> {
    let year = today.year();
    if !summaries_trusted(tx, today)? {
        return Ok(None);
    }

    let month = today.month();
    let mut sums: Vec<(i64, SessionSums)> = Vec::new();
    if month > 1 {
        let mut stmt = tx.prepare_cached(&months_before_sql(month))?;
        let mut rows = stmt.query([year])?;
        while let Some(row) = rows.next()? {
            let Ok(count) = u32::try_from(int(row, 1)?) else {
                return Ok(None);
            };
            sums.push((
                int(row, 0)?,
                SessionSums {
                    count,
                    planned: int(row, 2)?,
                    actual: int(row, 3)?,
                },
            ));
        }
    }

    // This month's sessions up to today. Every row here lies in the year's range and the year
    // has no unclean row, so each one is clean; checked again all the same.
    let month_start = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(today);
    let mut stmt = tx.prepare_cached(
        "SELECT id, project_id, held_on, planned, actual FROM activity
          WHERE held_on BETWEEN ?1 AND ?2",
    )?;
    let mut rows = stmt.query([format_ymd(month_start), format_ymd(today)])?;
    while let Some(row) = rows.next()? {
        let Ok((held_on, [project_id, planned, actual])) = CLEAN.check(row)? else {
            return Ok(None);
        };
        if held_on > today {
            return Ok(None);
        }
        sums.push((
            project_id,
            SessionSums {
                count: 1,
                planned,
                actual,
            },
        ));
    }
    // Counts stay far below u32::MAX (a session a day for eleven million years), so adding
    // this month's rows to the months before cannot saturate.
    Ok(Some(SessionTotals::from_pairs(sums)))
}

/// Whether the summaries can stand in for the activity rows of `today`'s year: the file has
/// them exactly as written today, and the year has no row they cannot hold (a malformed date,
/// a number stored as text) nor any row whose date is a blob.
fn summaries_trusted(tx: &Connection, today: NaiveDate) -> Result<bool> {
    let year = today.year();
    if !(1..=9999).contains(&year) || !has_summaries(tx)? {
        return Ok(false);
    }
    let unclean = tx
        .prepare_cached("SELECT 1 FROM activity_unclean WHERE year = ?1 LIMIT 1")?
        .query_row([format!("{year:04}")], |_| Ok(()))
        .optional()?;
    if unclean.is_some() {
        return Ok(false);
    }
    // A date stored as a blob is in no year's text range, so no summary notes it; the plain
    // read names it.
    let blob_dated = tx
        .prepare_cached("SELECT 1 FROM activity WHERE held_on >= x'' LIMIT 1")?
        .query_row([], |_| Ok(()))
        .optional()?;
    Ok(blob_dated.is_none())
}

/// `SELECT project_id, sessions, planned, actual` summed over the months before `month`.
fn months_before_sql(month: u32) -> String {
    let sum = |prefix: char| {
        (1..month)
            .map(|m| format!("{prefix}{m:02}"))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    format!(
        "SELECT project_id, {}, {}, {} FROM activity_year WHERE year = ?1",
        sum('s'),
        sum('p'),
        sum('a')
    )
}

#[cfg(test)]
pub(crate) mod tests;
