//! `contract (id, community_id, unit_id, signed_on)`.

use super::{CellRow, Cells, Scope, Source, collect_on};
use crate::error::Result;
use crate::model::DataProblem;

/// A contract as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractRow {
    pub id: i64,
    pub community_id: i64,
    pub unit_id: i64,
    /// As stored (normally `YYYY-MM-DD`); no figure reads it.
    pub signed_on: String,
}

const ALL: &str = "SELECT id, community_id, unit_id, signed_on FROM contract ORDER BY id";

fn map(
    row: &dyn CellRow,
    problems: &mut Vec<DataProblem>,
) -> rusqlite::Result<Option<ContractRow>> {
    let mut cells = Cells::new(row, "contract")?;
    let contract = ContractRow {
        id: cells.id(),
        community_id: cells.int(1, "community_id")?,
        unit_id: cells.int(2, "unit_id")?,
        signed_on: cells.text(3)?,
    };
    Ok(cells.finish(contract, problems))
}

/// Every contract, by id.
pub fn all(conn: &dyn Source, problems: &mut Vec<DataProblem>) -> Result<Vec<ContractRow>> {
    collect_on(conn, ALL, &[], |r| map(r, problems))
}

/// The contracts of `scope`, by id.
pub fn in_scope(
    conn: &dyn Source,
    scope: Scope,
    problems: &mut Vec<DataProblem>,
) -> Result<Vec<ContractRow>> {
    let sql = format!(
        "SELECT id, community_id, unit_id, signed_on FROM contract WHERE {}{}",
        scope.on("community_id"),
        scope.order_by_id()
    );
    let mut out = collect_on(conn, &sql, &[], |r| map(r, problems))?;
    out.retain(|c| scope.contains(c.community_id));
    out.sort_by_key(|c| c.id);
    Ok(out)
}

/// One contract as stored; `None` when there is none (or its row cannot be read: see `problems`).
pub fn by_id(
    conn: &dyn Source,
    id: i64,
    problems: &mut Vec<DataProblem>,
) -> Result<Option<ContractRow>> {
    super::one_on(
        conn,
        "SELECT id, community_id, unit_id, signed_on FROM contract WHERE id = ?1",
        &[id.into()],
        |r| map(r, problems),
    )
}
