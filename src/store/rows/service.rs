//! `service (id, member_id, served_on, minutes, project_id, note)`: contract version 2, one
//! service session of a party member (服务纪实).

use super::{CellRow, Cells, Scope, Source, collect_on};
use crate::error::Result;
use crate::model::{DataProblem, Service};

const COLUMNS: &str = "SELECT id, member_id, served_on, minutes FROM service";

/// A session as the figures count it: a real date and `minutes > 0` (the contract's check).
fn map_figures(
    row: &dyn CellRow,
    problems: &mut Vec<DataProblem>,
) -> rusqlite::Result<Option<Service>> {
    let mut cells = Cells::new(row, "service")?;
    let served_on = cells.date(2, "served_on")?;
    let member_id = cells.int(1, "member_id")?;
    let minutes = cells.int(3, "minutes")?;
    if !cells.is_bad() && minutes <= 0 {
        cells.mark("minutes", minutes.to_string());
    }
    let service = Service {
        member_id,
        served_on,
        minutes,
    };
    Ok(cells.finish(service, problems))
}

/// The sessions served from `first` to `last` (`YYYY-MM-DD`) as the figures count them; empty
/// when the file has no service table yet (an older file opened read-only).
pub fn for_figures(
    conn: &dyn Source,
    first: &str,
    last: &str,
    scope: Scope,
    problems: &mut Vec<DataProblem>,
) -> Result<Vec<Service>> {
    if !conn.has_table("service")? {
        return Ok(Vec::new());
    }
    collect_on(
        conn,
        &format!(
            "{COLUMNS} WHERE {} AND ({served_on} BETWEEN ?1 AND ?2 OR {served_on} >= x''){}",
            scope.through("member_id", "member"),
            scope.order_by_id(),
            served_on = scope.date("served_on"),
        ),
        &[first.into(), last.into()],
        |r| map_figures(r, problems),
    )
}

/// A session as stored: what an import matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRow {
    pub id: i64,
    pub member_id: i64,
    /// As stored (normally `YYYY-MM-DD`).
    pub served_on: String,
    pub minutes: i64,
}

/// Every session as stored, by id; empty when the file has no service table yet.
pub fn all_stored(conn: &dyn Source, problems: &mut Vec<DataProblem>) -> Result<Vec<ServiceRow>> {
    if !conn.has_table("service")? {
        return Ok(Vec::new());
    }
    collect_on(conn, &format!("{COLUMNS} ORDER BY id"), &[], |r| {
        let mut cells = Cells::new(r, "service")?;
        let row = ServiceRow {
            id: cells.id(),
            member_id: cells.int(1, "member_id")?,
            served_on: cells.text(2)?,
            minutes: cells.int(3, "minutes")?,
        };
        Ok(cells.finish(row, problems))
    })
}

/// A session of a quarter (or any span) with what a service card shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub member_id: i64,
    pub served_on: String,
    pub minutes: i64,
    /// The project's title when the session names one that exists.
    pub project: Option<String>,
    pub note: String,
}

/// The sessions served from `first` to `last` (`YYYY-MM-DD`), by day then id; empty when the
/// file has no service table yet.
pub fn sessions_between(
    conn: &dyn Source,
    first: &str,
    last: &str,
    problems: &mut Vec<DataProblem>,
) -> Result<Vec<SessionRow>> {
    if !conn.has_table("service")? {
        return Ok(Vec::new());
    }
    collect_on(
        conn,
        "SELECT s.id, s.member_id, s.served_on, s.minutes, p.title, s.note
           FROM service s LEFT JOIN project p ON p.id = s.project_id
          WHERE s.served_on BETWEEN ?1 AND ?2
          ORDER BY s.served_on, s.id",
        &[first.into(), last.into()],
        |r| {
            let mut cells = Cells::new(r, "service")?;
            let row = SessionRow {
                member_id: cells.int(1, "member_id")?,
                served_on: cells.text(2)?,
                minutes: cells.int(3, "minutes")?,
                project: cells.opt_text(4)?,
                note: cells.opt_text(5)?.unwrap_or_default(),
            };
            Ok(cells.finish(row, problems))
        },
    )
}
