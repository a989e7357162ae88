//! `unit (id, name, kind)`.

use super::{CellRow, Cells, Source, collect_on, one_on};
use crate::error::Result;
use crate::model::{DataProblem, Unit};

const ALL: &str = "SELECT id, name, kind FROM unit ORDER BY id";
const BY_ID: &str = "SELECT id, name, kind FROM unit WHERE id = ?1";
const BY_NAME: &str = "SELECT id, name, kind FROM unit WHERE name = ?1 ORDER BY id";

fn map(row: &dyn CellRow, problems: &mut Vec<DataProblem>) -> rusqlite::Result<Option<Unit>> {
    let cells = Cells::new(row, "unit")?;
    let unit = Unit {
        id: cells.id(),
        name: cells.text(1)?,
        kind: cells.text(2)?,
    };
    Ok(cells.finish(unit, problems))
}

/// Every unit, by id.
pub fn all(conn: &dyn Source, problems: &mut Vec<DataProblem>) -> Result<Vec<Unit>> {
    collect_on(conn, ALL, &[], |r| map(r, problems))
}

pub fn by_id(conn: &dyn Source, id: i64, problems: &mut Vec<DataProblem>) -> Result<Option<Unit>> {
    one_on(conn, BY_ID, &[id.into()], |r| map(r, problems))
}

/// The first unit (by id) stored with exactly this name.
pub fn by_name(
    conn: &dyn Source,
    name: &str,
    problems: &mut Vec<DataProblem>,
) -> Result<Option<Unit>> {
    one_on(conn, BY_NAME, &[name.into()], |r| map(r, problems))
}
