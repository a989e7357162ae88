//! `member (id, community_id, unit_id, name, registered_on, left_on)`: contract version 2, a
//! party member registered with a community (报到党员).

use super::{CellRow, Cells, Scope, Source, collect_on};
use crate::dates::parse_ymd;
use crate::error::Result;
use crate::model::{DataProblem, Member};
use rusqlite::types::ValueRef;

const COLUMNS: &str = "SELECT id, community_id, unit_id, registered_on, left_on FROM member";

/// A member as the figures count them: a real registration date, and a real leaving date or
/// none.
fn map_figures(
    row: &dyn CellRow,
    problems: &mut Vec<DataProblem>,
) -> rusqlite::Result<Option<Member>> {
    let mut cells = Cells::new(row, "member")?;
    let registered_on = cells.date(3, "registered_on")?;
    let left_on = match row.value(4)? {
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
pub fn for_figures(
    conn: &dyn Source,
    scope: Scope,
    problems: &mut Vec<DataProblem>,
) -> Result<Vec<Member>> {
    // A partial table another tool made is completed by the upgrade; read-only, it is not.
    if !conn.has_column("member", "unit_id")? || !conn.has_column("member", "left_on")? {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{COLUMNS} WHERE {}{}",
        scope.on("community_id"),
        scope.order_by_id()
    );
    let mut out = collect_on(conn, &sql, &[], |r| map_figures(r, problems))?;
    out.retain(|m| scope.contains(m.community_id));
    out.sort_by_key(|m| m.id);
    Ok(out)
}

/// A member as stored (text as text): what an adjustment checks and the import matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub id: i64,
    pub community_id: i64,
    pub unit_id: Option<i64>,
    pub name: String,
    /// As stored (normally `YYYY-MM-DD`).
    pub registered_on: String,
    pub left_on: Option<String>,
}

const STORED: &str = "SELECT id, community_id, unit_id, name, registered_on, left_on FROM member";

fn map(row: &dyn CellRow, problems: &mut Vec<DataProblem>) -> rusqlite::Result<Option<MemberRow>> {
    let mut cells = Cells::new(row, "member")?;
    let member = MemberRow {
        id: cells.id(),
        community_id: cells.int(1, "community_id")?,
        unit_id: cells.opt_int(2, "unit_id")?,
        name: cells.text(3)?,
        registered_on: cells.text(4)?,
        left_on: cells.opt_text(5)?,
    };
    Ok(cells.finish(member, problems))
}

/// One member as stored; `None` when there is none (or its row cannot be read: see `problems`).
pub fn by_id(
    conn: &dyn Source,
    id: i64,
    problems: &mut Vec<DataProblem>,
) -> Result<Option<MemberRow>> {
    super::one_on(
        conn,
        &format!("{STORED} WHERE id = ?1"),
        &[id.into()],
        |r| map(r, problems),
    )
}

/// The members of one community as stored, by id.
pub fn of_community(
    conn: &dyn Source,
    community: i64,
    problems: &mut Vec<DataProblem>,
) -> Result<Vec<MemberRow>> {
    collect_on(
        conn,
        &format!("{STORED} WHERE community_id = ?1 ORDER BY id"),
        &[community.into()],
        |r| map(r, problems),
    )
}

/// Every member as stored, by id; empty when the file has no member table yet.
pub fn all_stored(conn: &dyn Source, problems: &mut Vec<DataProblem>) -> Result<Vec<MemberRow>> {
    if !conn.has_column("member", "name")? {
        return Ok(Vec::new());
    }
    collect_on(conn, &format!("{STORED} ORDER BY id"), &[], |r| {
        map(r, problems)
    })
}
