//! `street (id, name)`.

use super::{Cells, collect};
use crate::error::Result;
use crate::model::{DataProblem, Street};
use rusqlite::{Connection, Row};

const ALL: &str = "SELECT id, name FROM street ORDER BY id";

fn map(row: &Row<'_>, problems: &mut Vec<DataProblem>) -> rusqlite::Result<Option<Street>> {
    let cells = Cells::new(row, "street")?;
    let street = Street {
        id: cells.id(),
        name: cells.text(1)?,
    };
    Ok(cells.finish(street, problems))
}

/// Every street, by id.
pub fn all(conn: &Connection, problems: &mut Vec<DataProblem>) -> Result<Vec<Street>> {
    collect(conn, ALL, [], |r| map(r, problems))
}
