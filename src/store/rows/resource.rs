//! `resource (id, community_id, unit_id, title, times_used)`.

use super::{CellRow, Cells, Scope, Source, collect_on};
use crate::error::Result;
use crate::model::DataProblem;

/// A resource as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRow {
    pub id: i64,
    pub community_id: i64,
    pub unit_id: i64,
    pub title: String,
    pub times_used: i64,
}

const ALL: &str = "SELECT id, community_id, unit_id, title, times_used FROM resource ORDER BY id";

fn map(
    row: &dyn CellRow,
    problems: &mut Vec<DataProblem>,
) -> rusqlite::Result<Option<ResourceRow>> {
    let mut cells = Cells::new(row, "resource")?;
    let resource = ResourceRow {
        id: cells.id(),
        community_id: cells.int(1, "community_id")?,
        unit_id: cells.int(2, "unit_id")?,
        title: cells.text(3)?,
        times_used: cells.int(4, "times_used")?,
    };
    Ok(cells.finish(resource, problems))
}

/// Every resource, by id.
pub fn all(conn: &dyn Source, problems: &mut Vec<DataProblem>) -> Result<Vec<ResourceRow>> {
    collect_on(conn, ALL, &[], |r| map(r, problems))
}

/// The resources of one community, by id.
pub fn of_community(
    conn: &dyn Source,
    community: i64,
    problems: &mut Vec<DataProblem>,
) -> Result<Vec<ResourceRow>> {
    collect_on(
        conn,
        "SELECT id, community_id, unit_id, title, times_used FROM resource WHERE community_id = ?1 ORDER BY id",
        &[community.into()],
        |r| map(r, problems),
    )
}

/// One resource; `None` when there is none (or its row cannot be read: see `problems`).
pub fn of_id(
    conn: &dyn Source,
    id: i64,
    problems: &mut Vec<DataProblem>,
) -> Result<Option<ResourceRow>> {
    super::one_on(
        conn,
        "SELECT id, community_id, unit_id, title, times_used FROM resource WHERE id = ?1",
        &[id.into()],
        |r| map(r, problems),
    )
}

/// The resources of `scope`, by id.
pub fn in_scope(
    conn: &dyn Source,
    scope: Scope,
    problems: &mut Vec<DataProblem>,
) -> Result<Vec<ResourceRow>> {
    let sql = format!(
        "SELECT id, community_id, unit_id, title, times_used FROM resource WHERE {}{}",
        scope.on("community_id"),
        scope.order_by_id()
    );
    let mut out = collect_on(conn, &sql, &[], |r| map(r, problems))?;
    out.retain(|r| scope.contains(r.community_id));
    out.sort_by_key(|r| r.id);
    Ok(out)
}
