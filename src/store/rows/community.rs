//! `community (id, street_id, name)`.

use super::{CellRow, Cells, Source, collect_on, one_on};
use crate::error::Result;
use crate::model::{Community, DataProblem};

const ALL: &str = "SELECT id, street_id, name FROM community ORDER BY id";
const BY_ID: &str = "SELECT id, street_id, name FROM community WHERE id = ?1";

fn map(row: &dyn CellRow, problems: &mut Vec<DataProblem>) -> rusqlite::Result<Option<Community>> {
    let mut cells = Cells::new(row, "community")?;
    let community = Community {
        id: cells.id(),
        street_id: cells.int(1, "street_id")?,
        name: cells.text(2)?,
    };
    Ok(cells.finish(community, problems))
}

/// Every community, by id.
pub fn all(conn: &dyn Source, problems: &mut Vec<DataProblem>) -> Result<Vec<Community>> {
    collect_on(conn, ALL, &[], |r| map(r, problems))
}

/// One community; `None` when there is none (or its row cannot be read: see `problems`).
pub fn by_id(
    conn: &dyn Source,
    id: i64,
    problems: &mut Vec<DataProblem>,
) -> Result<Option<Community>> {
    one_on(conn, BY_ID, &[id.into()], |r| map(r, problems))
}
