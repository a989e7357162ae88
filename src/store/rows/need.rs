//! `need (id, community_id, title, raised_on, source)`.

use super::{Cells, collect};
use crate::error::Result;
use crate::model::DataProblem;
use rusqlite::{Connection, Row};

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

fn map(row: &Row<'_>, problems: &mut Vec<DataProblem>) -> rusqlite::Result<Option<NeedRow>> {
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
pub fn all(conn: &Connection, problems: &mut Vec<DataProblem>) -> Result<Vec<NeedRow>> {
    collect(conn, ALL, [], |r| map(r, problems))
}
