//! `project (id, community_id, unit_id, title, due_on, status, done_on)`: read as stored
//! ([`ProjectRow`]: adjustments, import, the detail view) or as the figures need it
//! ([`Project`]: a real due date and a known status, or a notice).

use super::{CellRow, Cells, Scope, Source, collect_on, one_on};
use crate::error::Result;
use crate::model::{DataProblem, Project, Status};

/// A project's columns exactly as stored (text as text, whatever it holds): what an adjustment
/// captures when a form opens and compares when it is saved, and what an import matches.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProjectRow {
    pub id: i64,
    pub community_id: i64,
    pub unit_id: Option<i64>,
    pub title: String,
    /// As stored (normally `YYYY-MM-DD`).
    pub due_on: String,
    /// As stored (normally one of `active`, `paused`, `done`, `cancelled`).
    pub status: String,
    pub done_on: Option<String>,
}

impl ProjectRow {
    /// The status, or `None` when another tool stored something outside the contract.
    pub fn status(&self) -> Option<Status> {
        Status::from_code(&self.status)
    }
}

const COLUMNS: &str =
    "SELECT id, community_id, unit_id, title, due_on, status, done_on FROM project";

fn map(row: &dyn CellRow, problems: &mut Vec<DataProblem>) -> rusqlite::Result<Option<ProjectRow>> {
    let mut cells = Cells::new(row, "project")?;
    let project = ProjectRow {
        id: cells.id(),
        community_id: cells.int(1, "community_id")?,
        unit_id: cells.opt_int(2, "unit_id")?,
        title: cells.text(3)?,
        due_on: cells.text(4)?,
        status: cells.text(5)?,
        done_on: cells.opt_text(6)?,
    };
    Ok(cells.finish(project, problems))
}

/// The same columns for the figures: the due date must be a date and the status one of the
/// contract's four.
pub(crate) fn map_figures(
    row: &dyn CellRow,
    problems: &mut Vec<DataProblem>,
) -> rusqlite::Result<Option<Project>> {
    let mut cells = Cells::new(row, "project")?;
    let due_on = cells.date(4, "due_on")?;
    let status_text = cells.text_ref(5)?;
    let status = Status::from_code(&status_text).unwrap_or(Status::Cancelled);
    if Status::from_code(&status_text).is_none() {
        cells.mark("status", status_text.into_owned());
    }
    let project = Project {
        id: cells.id(),
        community_id: cells.int(1, "community_id")?,
        unit_id: cells.opt_int(2, "unit_id")?,
        title: cells.text(3)?,
        due_on,
        status,
        done_on: cells.opt_text(6)?,
    };
    Ok(cells.finish(project, problems))
}

/// Every project as stored, by id.
pub fn all(conn: &dyn Source, problems: &mut Vec<DataProblem>) -> Result<Vec<ProjectRow>> {
    collect_on(conn, &format!("{COLUMNS} ORDER BY id"), &[], |r| {
        map(r, problems)
    })
}

/// One project as stored; `None` when there is none (or its row cannot be read: see `problems`).
pub fn by_id(
    conn: &dyn Source,
    id: i64,
    problems: &mut Vec<DataProblem>,
) -> Result<Option<ProjectRow>> {
    one_on(
        conn,
        &format!("{COLUMNS} WHERE id = ?1"),
        &[id.into()],
        |r| map(r, problems),
    )
}

/// Every project of `scope` the figures can count, by id; the others are named in `problems`.
pub fn for_figures(
    conn: &dyn Source,
    scope: Scope,
    problems: &mut Vec<DataProblem>,
) -> Result<Vec<Project>> {
    let sql = format!(
        "{COLUMNS} WHERE {}{}",
        scope.on("community_id"),
        scope.order_by_id()
    );
    let mut out = collect_on(conn, &sql, &[], |r| map_figures(r, problems))?;
    out.retain(|p| scope.contains(p.community_id));
    out.sort_by_key(|p| p.id);
    Ok(out)
}
