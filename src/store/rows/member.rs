//! `member (id, community_id, unit_id, name, registered_on, left_on)`: contract version 2, a
//! party member registered with a community (报到党员).

use super::{Cells, collect};
use crate::dates::parse_ymd;
use crate::error::Result;
use crate::model::{DataProblem, Member};
use crate::store::migrate::column_exists;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row};

const COLUMNS: &str = "SELECT id, community_id, unit_id, registered_on, left_on FROM member";

/// A member as the figures count them: a real registration date, and a real leaving date or
/// none.
fn map_figures(row: &Row<'_>, problems: &mut Vec<DataProblem>) -> rusqlite::Result<Option<Member>> {
    let mut cells = Cells::new(row, "member")?;
    let registered_on = cells.date(3, "registered_on")?;
    let left_on = match row.get_ref(4)? {
        ValueRef::Null => None,
        other => {
            let parsed = match other {
                ValueRef::Text(t) => std::str::from_utf8(t).ok().and_then(parse_ymd),
                _ => None,
            };
            if parsed.is_none() {
                cells.mark("left_on", super::shown(other));
            }
            parsed
        }
    };
    let member = Member {
        id: cells.id(),
        community_id: cells.int(1, "community_id")?,
        unit_id: cells.opt_int(2, "unit_id")?,
        registered_on,
        left_on,
    };
    Ok(cells.finish(member, problems))
}

/// Every member as the figures count them, by id; empty when the file has no member table yet
/// (an older file opened read-only).
pub fn for_figures(conn: &Connection, problems: &mut Vec<DataProblem>) -> Result<Vec<Member>> {
    // A partial table another tool made is completed by the upgrade; read-only, it is not.
    if !column_exists(conn, "member", "unit_id")? || !column_exists(conn, "member", "left_on")? {
        return Ok(Vec::new());
    }
    collect(conn, &format!("{COLUMNS} ORDER BY id"), [], |r| {
        map_figures(r, problems)
    })
}
