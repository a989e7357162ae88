//! `street (id, name)`.

use super::{CellRow, Cells, Source, collect_on};
use crate::error::Result;
use crate::model::{DataProblem, Street};

const ALL: &str = "SELECT id, name FROM street ORDER BY id";

fn map(row: &dyn CellRow, problems: &mut Vec<DataProblem>) -> rusqlite::Result<Option<Street>> {
    let cells = Cells::new(row, "street")?;
    let street = Street {
        id: cells.id(),
        name: cells.text(1)?,
    };
    Ok(cells.finish(street, problems))
}

/// Every street, by id.
pub fn all(conn: &dyn Source, problems: &mut Vec<DataProblem>) -> Result<Vec<Street>> {
    collect_on(conn, ALL, &[], |r| map(r, problems))
}
