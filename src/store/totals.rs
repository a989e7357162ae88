//! The district's projects folded per community as they are read (issue 16): the city's
//! hundred thousand project rows stream through the indicators' fold ([`ProjectTotals`],
//! [`Fold`]) and only the counts and the projects a panel lists are kept, never the rows.
//!
//! Why not aggregate SQL: the same fold written as `GROUP BY` queries in the file (the
//! projects that pass the reader's checks in SQL folded there, the others read one by one) was
//! measured on the 1,000-community city file at three times this read's CPU (0.77 s against
//! 0.25 s for the whole report): SQLite's sorter and expression evaluation over 100,000
//! projects and 140,000 session sums cost more than handing the rows over (BENCHMARKS.md).

use super::rows::{CellRow, Cells, collect};
use crate::dates::format_ymd;
use crate::error::Result;
use crate::indicators::{Fold, ProjectTotals};
use crate::model::{DataProblem, Project, SessionTotals, Status};
use chrono::NaiveDate;
use rusqlite::Connection;

const COLUMNS: &str = "p.id, p.community_id, p.unit_id, p.title, p.due_on, p.status, p.done_on";

fn map_project(
    row: &dyn CellRow,
    problems: &mut Vec<DataProblem>,
) -> rusqlite::Result<Option<Project>> {
    super::rows::project::map_figures(row, problems)
}

/// The district's projects folded as their rows stream by, with each project's sessions as
/// the summaries summed them; and the projects the year's surveys name (for the satisfaction
/// panel's lookup). Rows that cannot be read are named in `problems` in id order, as
/// [`super::rows::project::for_figures`] names them.
pub(super) fn fold_rows(
    tx: &Connection,
    sums: &SessionTotals,
    fold: &Fold,
    problems: &mut Vec<DataProblem>,
) -> Result<(ProjectTotals, Vec<Project>)> {
    let mut totals = ProjectTotals::default();
    let mut stmt = tx.prepare_cached(&format!("SELECT {COLUMNS} FROM project p ORDER BY p.id"))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        // As `project::map_figures` reads a row (the same checks in the same order), without
        // copying the title and completion date of a project no panel lists.
        let mut cells = Cells::new(row, "project")?;
        let due_on = cells.date(4, "due_on")?;
        let status_text = cells.text_ref(5)?;
        let status = Status::from_code(&status_text);
        if status.is_none() {
            cells.mark("status", status_text.into_owned());
        }
        let community_id = cells.int(1, "community_id")?;
        let unit_id = cells.opt_int(2, "unit_id")?;
        let id = cells.id();
        let (Some(()), Some(status)) = (cells.finish((), problems), status) else {
            continue;
        };
        let mut project = Project {
            id,
            community_id,
            unit_id,
            title: String::new(),
            due_on,
            status,
            done_on: None,
        };
        let session = sums.get(id).unwrap_or_default();
        totals.count(&project, session, fold);
        if fold.overdue(&project) || fold.low_participation(&project, session) {
            project.title = super::rows::as_text(row.get_ref(3)?).unwrap_or_default();
            project.done_on = super::rows::as_text(row.get_ref(6)?);
            totals.list(&project, session, fold);
        }
    }
    drop(rows);
    let surveyed = surveyed(tx, fold.today)?;
    totals.tidy();
    Ok((totals, surveyed))
}

/// The projects the year's surveys up to `today` name, for the satisfaction panel.
fn surveyed(tx: &Connection, today: NaiveDate) -> Result<Vec<Project>> {
    if !super::migrate::table_exists(tx, "survey")? {
        return Ok(Vec::new());
    }
    let (first, _) = crate::dates::year_bounds(today);
    let (first, day) = (format_ymd(first), format_ymd(today));
    let mut ignored = Vec::new();
    collect(
        tx,
        &format!(
            "SELECT {COLUMNS} FROM project p
              WHERE p.id IN (SELECT CAST(project_id AS INTEGER) FROM survey
                              WHERE held_on BETWEEN '{first}' AND '{day}')
              ORDER BY p.id"
        ),
        [],
        |r| map_project(r, &mut ignored),
    )
}
