//! `meeting (id, community_id, kind, held_on, attendees, note)`.

use super::{CellRow, Cells, Scope, Source, collect_on};
use crate::error::Result;
use crate::model::{DataProblem, Meeting};

/// A meeting as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRow {
    pub id: i64,
    pub community_id: i64,
    /// As stored (normally `quarterly`, `site_visit` or `other`).
    pub kind: String,
    /// As stored (normally `YYYY-MM-DD`).
    pub held_on: String,
    pub attendees: Option<i64>,
    pub note: String,
}

const COLUMNS: &str = "SELECT id, community_id, kind, held_on, attendees, note FROM meeting";

fn map(row: &dyn CellRow, problems: &mut Vec<DataProblem>) -> rusqlite::Result<Option<MeetingRow>> {
    let mut cells = Cells::new(row, "meeting")?;
    let meeting = MeetingRow {
        id: cells.id(),
        community_id: cells.int(1, "community_id")?,
        kind: cells.text(2)?,
        held_on: cells.text(3)?,
        attendees: cells.opt_int(4, "attendees")?,
        note: cells.text(5)?,
    };
    Ok(cells.finish(meeting, problems))
}

fn map_figures(
    row: &dyn CellRow,
    problems: &mut Vec<DataProblem>,
) -> rusqlite::Result<Option<Meeting>> {
    let mut cells = Cells::new(row, "meeting")?;
    let held_on = cells.date(3, "held_on")?;
    let meeting = Meeting {
        community_id: cells.int(1, "community_id")?,
        quarterly: cells.text_ref(2)? == "quarterly",
        held_on,
    };
    Ok(cells.finish(meeting, problems))
}

/// Every meeting as stored, by id.
pub fn all(conn: &dyn Source, problems: &mut Vec<DataProblem>) -> Result<Vec<MeetingRow>> {
    collect_on(conn, &format!("{COLUMNS} ORDER BY id"), &[], |r| {
        map(r, problems)
    })
}

/// One meeting as stored.
pub fn by_id(
    conn: &dyn Source,
    id: i64,
    problems: &mut Vec<DataProblem>,
) -> Result<Option<MeetingRow>> {
    super::one_on(
        conn,
        &format!("{COLUMNS} WHERE id = ?1"),
        &[id.into()],
        |r| map(r, problems),
    )
}

/// The meetings held from `first` to `last` (`YYYY-MM-DD`) as the figures count them; rows in
/// that range that cannot be read, and meetings whose date is a blob, are named in `problems`.
pub fn for_figures(
    conn: &dyn Source,
    first: &str,
    last: &str,
    scope: Scope,
    problems: &mut Vec<DataProblem>,
) -> Result<Vec<Meeting>> {
    let sql = format!(
        "{COLUMNS} WHERE {} AND ({held_on} BETWEEN ?1 AND ?2 OR {held_on} >= x'')",
        scope.on("community_id"),
        held_on = scope.date("held_on"),
    );
    let mut out = collect_on(conn, &sql, &[first.into(), last.into()], |r| {
        map_figures(r, problems)
    })?;
    out.retain(|m| scope.contains(m.community_id));
    Ok(out)
}

/// The meetings of `community` held on or after `day`, oldest first.
pub fn of_community_since(
    conn: &dyn Source,
    community: i64,
    day: &str,
    problems: &mut Vec<DataProblem>,
) -> Result<Vec<MeetingRow>> {
    collect_on(
        conn,
        &format!("{COLUMNS} WHERE community_id = ?1 AND held_on >= ?2 ORDER BY held_on, id"),
        &[community.into(), day.into()],
        |r| map(r, problems),
    )
}
