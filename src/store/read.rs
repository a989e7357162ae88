//! Reading what the indicators need, in one read transaction so that every figure comes from
//! the same moment of the file.

use crate::dates::parse_ymd;
use crate::error::Result;
use crate::model::*;
use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use std::borrow::Cow;
use std::collections::HashMap;

/// Reads the district. Activities and meetings are limited to the calendar `year` (a superset
/// of what the indicators count for any day of that year).
pub fn load_district(conn: &Connection, year: i32) -> Result<District> {
    in_read_transaction(conn, |tx| read_district(tx, year, true))
}

/// Runs `read` in one read transaction, so that everything it reads comes from the same moment
/// of the file; inside a transaction the caller already holds, it simply joins it.
pub(crate) fn in_read_transaction<T>(
    conn: &Connection,
    read: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    if !conn.is_autocommit() {
        return read(conn);
    }
    let tx = conn.unchecked_transaction()?;
    let value = read(&tx)?;
    tx.finish()?;
    Ok(value)
}

/// The district, with the year's activity rows only when `with_activities` (the summaries may
/// stand in for them: see `summary.rs`).
pub(super) fn read_district(tx: &Connection, year: i32, with_activities: bool) -> Result<District> {
    let mut district = District::default();
    let (first, last) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));

    district.streets = collect(tx, "SELECT id, name FROM street ORDER BY id", [], |r| {
        Ok(Some(Street {
            id: int(r, 0)?,
            name: text(r, 1)?,
        }))
    })?;
    district.communities = collect(
        tx,
        "SELECT id, street_id, name FROM community ORDER BY id",
        [],
        |r| {
            Ok(Some(Community {
                id: int(r, 0)?,
                street_id: int(r, 1)?,
                name: text(r, 2)?,
            }))
        },
    )?;
    district.units = collect(tx, "SELECT id, name, kind FROM unit ORDER BY id", [], |r| {
        Ok(Some(Unit {
            id: int(r, 0)?,
            name: text(r, 1)?,
            kind: text(r, 2)?,
        }))
    })?;
    district.contracts = collect(tx, "SELECT community_id, unit_id FROM contract", [], |r| {
        Ok(Some(Contract {
            community_id: int(r, 0)?,
            unit_id: int(r, 1)?,
        }))
    })?;
    district.resources = collect(
        tx,
        "SELECT community_id, times_used FROM resource",
        [],
        |r| {
            Ok(Some(Resource {
                community_id: int(r, 0)?,
                times_used: int(r, 1)?,
            }))
        },
    )?;

    let mut problems = Vec::new();
    district.projects = collect(
        tx,
        "SELECT id, community_id, unit_id, title, due_on, status, done_on FROM project ORDER BY id",
        [],
        |r| {
            let id = int(r, 0)?;
            let due_text = text_ref(r, 4)?;
            let status_text = text_ref(r, 5)?;
            let Some(due_on) = parse_ymd(&due_text) else {
                problems.push(DataProblem {
                    table: "project",
                    row_id: id,
                    column: "due_on",
                    value: due_text.into_owned(),
                });
                return Ok(None);
            };
            let Some(status) = Status::parse(&status_text) else {
                problems.push(DataProblem {
                    table: "project",
                    row_id: id,
                    column: "status",
                    value: status_text.into_owned(),
                });
                return Ok(None);
            };
            Ok(Some(Project {
                id,
                community_id: int(r, 1)?,
                unit_id: opt_int(r, 2)?,
                title: text(r, 3)?,
                due_on,
                status,
                done_on: opt_text(r, 6)?,
            }))
        },
    )?;
    if with_activities {
        district.activities = read_activities(tx, &first, &last, &mut problems)?;
    }
    district.meetings = collect(
        tx,
        "SELECT id, community_id, kind, held_on FROM meeting WHERE held_on BETWEEN ?1 AND ?2",
        [&first, &last],
        |r| {
            let held_text = text(r, 3)?;
            let Some(held_on) = parse_ymd(&held_text) else {
                problems.push(DataProblem {
                    table: "meeting",
                    row_id: int(r, 0)?,
                    column: "held_on",
                    value: held_text,
                });
                return Ok(None);
            };
            Ok(Some(Meeting {
                community_id: int(r, 1)?,
                quarterly: text(r, 2)? == "quarterly",
                held_on,
            }))
        },
    )?;
    district.problems = problems;
    Ok(district)
}

/// The activity rows held in `first..=last` as text; rows whose date does not parse are left
/// out and reported.
fn read_activities(
    tx: &Connection,
    first: &str,
    last: &str,
    problems: &mut Vec<DataProblem>,
) -> Result<Vec<Activity>> {
    collect(
        tx,
        "SELECT id, project_id, held_on, planned, actual FROM activity
          WHERE held_on BETWEEN ?1 AND ?2",
        [first, last],
        |r| {
            let held_text = text_ref(r, 2)?;
            let Some(held_on) = parse_ymd(&held_text) else {
                problems.push(DataProblem {
                    table: "activity",
                    row_id: int(r, 0)?,
                    column: "held_on",
                    value: held_text.into_owned(),
                });
                return Ok(None);
            };
            Ok(Some(Activity {
                project_id: int(r, 1)?,
                held_on,
                planned: int(r, 3)?,
                actual: int(r, 4)?,
            }))
        },
    )
}

/// Runs `sql` and keeps the rows that `map` accepts.
fn collect<T, P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    mut map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<Option<T>>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        if let Some(value) = map(row)? {
            out.push(value);
        }
    }
    Ok(out)
}

/// An integer column, accepting whole numbers another tool stored as real or text.
pub(crate) fn int(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<i64> {
    opt_int(row, idx)?.ok_or_else(|| {
        rusqlite::Error::InvalidColumnType(idx, "NULL".into(), rusqlite::types::Type::Null)
    })
}

pub(crate) fn opt_int(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<Option<i64>> {
    let bad = |kind| {
        rusqlite::Error::InvalidColumnType(
            idx,
            row.as_ref().column_name(idx).unwrap_or("?").into(),
            kind,
        )
    };
    match row.get_ref(idx)? {
        ValueRef::Null => Ok(None),
        ValueRef::Integer(i) => Ok(Some(i)),
        ValueRef::Real(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
        ValueRef::Text(t) => std::str::from_utf8(t)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .map(Some)
            .ok_or_else(|| bad(rusqlite::types::Type::Text)),
        ValueRef::Real(_) => Err(bad(rusqlite::types::Type::Real)),
        ValueRef::Blob(_) => Err(bad(rusqlite::types::Type::Blob)),
    }
}

/// [`text`] without a copy when the value is stored as valid UTF-8, for values that are only
/// parsed (dates, statuses): the project table is read whole at every refresh.
fn text_ref<'r>(row: &'r rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<Cow<'r, str>> {
    Ok(match row.get_ref(idx)? {
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t),
        _ => Cow::Owned(text(row, idx)?),
    })
}

/// A text column; numbers are shown as written, invalid UTF-8 replaced, NULL read as empty.
pub(crate) fn text(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<String> {
    Ok(opt_text(row, idx)?.unwrap_or_default())
}

pub(crate) fn opt_text(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<Option<String>> {
    Ok(match row.get_ref(idx)? {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t).into_owned()),
    })
}

/// The sessions of each of `projects` held in the year of `today` and not after it, oldest
/// first (ties by planned, then actual): (held_on, planned, actual). Rows whose date does not
/// parse are left out, as the figures leave them out. Reads in one transaction (or the
/// caller's).
pub fn load_sessions(
    conn: &Connection,
    projects: &[i64],
    today: NaiveDate,
) -> Result<SessionLists> {
    let (first, _) = crate::dates::year_bounds(today);
    let (first, last) = (
        crate::dates::format_ymd(first),
        crate::dates::format_ymd(today),
    );
    in_read_transaction(conn, |tx| {
        let mut out = HashMap::with_capacity(projects.len());
        let mut stmt = tx.prepare_cached(
            "SELECT held_on, planned, actual FROM activity
              WHERE project_id = ?1 AND held_on BETWEEN ?2 AND ?3",
        )?;
        for &project in projects {
            let mut rows = stmt.query(rusqlite::params![project, first, last])?;
            let mut list = Vec::new();
            while let Some(row) = rows.next()? {
                if let Some(held_on) = parse_ymd(&text(row, 0)?) {
                    list.push((held_on, int(row, 1)?, int(row, 2)?));
                }
            }
            list.sort_unstable();
            if !list.is_empty() {
                out.insert(project, list);
            }
        }
        Ok(out)
    })
}

/// One project and all its sessions, for the detail view; `None` when no such project.
pub fn load_project_detail(conn: &Connection, project_id: i64) -> Result<Option<ProjectDetail>> {
    let tx = conn.unchecked_transaction()?;
    let mut details = collect(
        &tx,
        "SELECT p.id, p.community_id, c.name, p.unit_id, u.name, p.title, p.due_on, p.status, p.done_on
           FROM project p
           LEFT JOIN community c ON c.id = p.community_id
           LEFT JOIN unit u ON u.id = p.unit_id
          WHERE p.id = ?1",
        [project_id],
        |r| {
            Ok(Some(ProjectDetail {
                id: int(r, 0)?,
                community_id: int(r, 1)?,
                community_name: text(r, 2)?,
                unit_id: opt_int(r, 3)?,
                unit_name: opt_text(r, 4)?,
                title: text(r, 5)?,
                due_on: text(r, 6)?,
                status: text(r, 7)?,
                done_on: opt_text(r, 8)?,
                sessions: Vec::new(),
            }))
        },
    )?;
    let Some(mut detail) = details.pop() else {
        return Ok(None);
    };
    detail.sessions = collect(
        &tx,
        "SELECT held_on, planned, actual FROM activity WHERE project_id = ?1 ORDER BY held_on DESC, id DESC",
        [project_id],
        |r| Ok(Some((text(r, 0)?, int(r, 1)?, int(r, 2)?))),
    )?;
    tx.finish()?;
    Ok(Some(detail))
}
