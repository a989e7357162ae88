//! `need (id, community_id, title, raised_on, source)`.

use super::{CellRow, Cells, Scope, Source, collect_on};
use crate::error::Result;
use crate::model::{DataProblem, Need, NeedLink, Status};

/// A need as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedRow {
    pub id: i64,
    pub community_id: i64,
    pub title: String,
    /// As stored (normally `YYYY-MM-DD`).
    pub raised_on: String,
    /// As stored (normally `survey`, `visit`, `forum` or `other`).
    pub source: String,
}

const ALL: &str = "SELECT id, community_id, title, raised_on, source FROM need ORDER BY id";

fn map(row: &dyn CellRow, problems: &mut Vec<DataProblem>) -> rusqlite::Result<Option<NeedRow>> {
    let mut cells = Cells::new(row, "need")?;
    let need = NeedRow {
        id: cells.id(),
        community_id: cells.int(1, "community_id")?,
        title: cells.text(2)?,
        raised_on: cells.text(3)?,
        source: cells.text(4)?,
    };
    Ok(cells.finish(need, problems))
}

/// Every need, by id.
pub fn all(conn: &dyn Source, problems: &mut Vec<DataProblem>) -> Result<Vec<NeedRow>> {
    collect_on(conn, ALL, &[], |r| map(r, problems))
}

/// A need as the figures count it: a real date when it was raised.
fn map_figures(
    row: &dyn CellRow,
    problems: &mut Vec<DataProblem>,
) -> rusqlite::Result<Option<Need>> {
    let mut cells = Cells::new(row, "need")?;
    let raised_on = cells.date(3, "raised_on")?;
    let need = Need {
        id: cells.id(),
        community_id: cells.int(1, "community_id")?,
        title: cells.text(2)?,
        raised_on,
    };
    Ok(cells.finish(need, problems))
}

/// Every need as the figures count it (indicator 5: any year), by id.
pub fn for_figures(
    conn: &dyn Source,
    scope: Scope,
    problems: &mut Vec<DataProblem>,
) -> Result<Vec<Need>> {
    let sql = format!(
        "SELECT id, community_id, title, raised_on, source FROM need WHERE {}{}",
        scope.on("community_id"),
        scope.order_by_id()
    );
    let mut out = collect_on(conn, &sql, &[], |r| map_figures(r, problems))?;
    out.retain(|n| scope.contains(n.community_id));
    out.sort_by_key(|n| n.id);
    Ok(out)
}

/// The projects that name the need they answer (`project.need_id`, contract version 2), with
/// their status; empty when the file has no such column yet (an older file opened read-only).
/// A project whose status is not one of the contract's is named by the project reader and
/// answers nothing here.
pub fn links(
    conn: &dyn Source,
    scope: Scope,
    problems: &mut Vec<DataProblem>,
) -> Result<Vec<NeedLink>> {
    if !conn.has_column("project", "need_id")? {
        return Ok(Vec::new());
    }
    let sql = match scope {
        Scope::District => {
            "SELECT id, need_id, status FROM project WHERE need_id IS NOT NULL ORDER BY id"
                .to_string()
        }
        Scope::Community(_) => format!(
            "SELECT id, need_id, status FROM project WHERE {}",
            scope.through("need_id", "need")
        ),
    };
    let mut links = collect_on(conn, &sql, &[], |r| {
        let mut cells = Cells::new(r, "project")?;
        let need_id = cells.int(1, "need_id")?;
        let status = Status::from_code(&cells.text_ref(2)?);
        let link = status.map(|status| NeedLink {
            project_id: cells.id(),
            need_id,
            status,
        });
        Ok(cells.finish(link, problems).flatten())
    })?;
    links.sort_by_key(|l| l.project_id);
    Ok(links)
}

/// One need as stored; `None` when there is none (or its row cannot be read: see `problems`).
pub fn by_id(
    conn: &dyn Source,
    id: i64,
    problems: &mut Vec<DataProblem>,
) -> Result<Option<NeedRow>> {
    super::one_on(
        conn,
        "SELECT id, community_id, title, raised_on, source FROM need WHERE id = ?1",
        &[id.into()],
        |r| map(r, problems),
    )
}

/// The need project `project` answers (`project.need_id`); `None` when it names none, or
/// when the file has no such column yet.
pub fn of_project(
    conn: &dyn Source,
    project: i64,
    problems: &mut Vec<DataProblem>,
) -> Result<Option<i64>> {
    if !conn.has_column("project", "need_id")? {
        return Ok(None);
    }
    Ok(super::one_on(
        conn,
        "SELECT id, need_id FROM project WHERE id = ?1",
        &[project.into()],
        |r| {
            let mut cells = Cells::new(r, "project")?;
            let need = cells.opt_int(1, "need_id")?;
            Ok(cells.finish(need, problems))
        },
    )?
    .flatten())
}
