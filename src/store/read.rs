//! Reading what the indicators need, in one read transaction so that every figure comes from
//! the same moment of the file. Each table is read by its own reader in `rows/`.

use super::rows::{
    self, Scope, activity, community, contract, meeting, member, need, project, resource, service,
    street, survey, unit,
};
use crate::error::Result;
use crate::indicators::SessionSummer;
use crate::model::*;
use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use std::collections::HashMap;

/// Reads the district. Activities and meetings are limited to the calendar `year` (a superset
/// of what the indicators count for any day of that year).
pub fn load_district(conn: &Connection, year: i32) -> Result<District> {
    in_read_transaction(conn, |tx| {
        read_district(tx, year, Sessions::Keep, Scope::District)
    })
}

/// Runs `read` in one read transaction, so that everything it reads comes from the same moment
/// of the file; inside a transaction the caller already holds, it simply joins it.
pub fn in_read_transaction<T>(
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

/// The first and last day of `year` as the file writes them.
pub(super) fn year_range(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

/// What [`read_district`] does with the year's activity rows.
pub(super) enum Sessions<'a> {
    /// Not read: the summaries stand in for them (see `summary.rs`).
    Skip,
    /// Kept in `District::activities`: the plain definition.
    Keep,
    /// Summed as they are read, never kept: the rows of a city's year are millions.
    Sum(&'a mut SessionSummer),
    /// The projects are folded per community as they are read, with their sessions as the
    /// summaries summed them (`totals.rs`; only on SQLite, for the district, with trusted
    /// summaries), and not kept: `District::projects` holds only those the surveys may look up.
    /// The last field holds the problems of the activity rows when they were read (and summed)
    /// before the projects, to be named after the projects' as the plain read names them.
    Fold(
        &'a crate::indicators::Fold,
        &'a crate::model::SessionTotals,
        &'a mut Option<crate::model::ProjectTotals>,
        Vec<DataProblem>,
    ),
}

/// The district (or the part of it that `scope` names), with the year's activity rows as
/// `sessions` says. A row that cannot be read as the contract says is left out and named in
/// `problems`, whatever column holds the bad value.
pub(super) fn read_district(
    tx: &dyn rows::Source,
    year: i32,
    mut sessions: Sessions<'_>,
    scope: Scope,
) -> Result<District> {
    let (first, last) = year_range(year);
    let mut problems = Vec::new();
    let p = &mut problems;
    let communities = match scope {
        Scope::District => community::all(tx, p)?,
        Scope::Community(id) => community::by_id(tx, id, p)?.into_iter().collect(),
    };
    let mut district = District {
        streets: street::all(tx, p)?,
        communities,
        units: unit::all(tx, p)?,
        contracts: contract::in_scope(tx, scope, p)?
            .into_iter()
            .map(|c| Contract {
                community_id: c.community_id,
                unit_id: c.unit_id,
            })
            .collect(),
        resources: resource::in_scope(tx, scope, p)?
            .into_iter()
            .map(|r| Resource {
                id: r.id,
                community_id: r.community_id,
                unit_id: r.unit_id,
                title: r.title,
                times_used: r.times_used,
            })
            .collect(),
        ..District::default()
    };
    district.projects = match (&mut sessions, tx.sqlite()) {
        (Sessions::Fold(fold, sums, out, sessions_problems), Some(conn)) => {
            let (totals, projects) = super::totals::fold_rows(conn, sums, fold, p)?;
            **out = Some(totals);
            p.append(sessions_problems);
            projects
        }
        _ => project::for_figures(tx, scope, p)?,
    };
    match sessions {
        Sessions::Skip | Sessions::Fold(..) => {}
        Sessions::Keep => {
            district.activities = activity::for_figures(tx, &first, &last, scope, p)?;
        }
        // A database server sums the clean rows itself; the others are read one by one.
        Sessions::Sum(summer) if tx.sqlite().is_none() && scope == Scope::District => {
            activity::sum_on_server(tx, &first, &last, p, summer)?;
        }
        Sessions::Sum(summer) => {
            activity::for_each_for_figures(tx, &first, &last, scope, p, |a| summer.add(&a))?;
        }
    }
    district.meetings = meeting::for_figures(tx, &first, &last, scope, p)?;
    // Contract version 2 (read as empty from an older file opened read-only).
    district.needs = need::for_figures(tx, scope, p)?;
    district.need_links = need::links(tx, scope, p)?;
    district.surveys = survey::for_figures(tx, &first, &last, scope, p)?;
    district.members = member::for_figures(tx, scope, p)?;
    district.services = service::for_figures(tx, &first, &last, scope, p)?;
    district.problems = problems;
    Ok(district)
}

/// An integer column, accepting whole numbers another tool stored as real or text.
pub(crate) fn int(row: &dyn rows::CellRow, idx: usize) -> rusqlite::Result<i64> {
    opt_int(row, idx)?.ok_or_else(|| {
        rusqlite::Error::InvalidColumnType(idx, "NULL".into(), rusqlite::types::Type::Null)
    })
}

pub(crate) fn opt_int(row: &dyn rows::CellRow, idx: usize) -> rusqlite::Result<Option<i64>> {
    let bad = |kind| rusqlite::Error::InvalidColumnType(idx, String::new(), kind);
    match row.value(idx)? {
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

/// A text column; numbers are shown as written, invalid UTF-8 replaced, NULL read as empty.
pub(crate) fn text(row: &dyn rows::CellRow, idx: usize) -> rusqlite::Result<String> {
    Ok(opt_text(row, idx)?.unwrap_or_default())
}

pub(crate) fn opt_text(row: &dyn rows::CellRow, idx: usize) -> rusqlite::Result<Option<String>> {
    Ok(rows::as_text(row.value(idx)?))
}

/// The sessions of each of `projects` held in the year of `today` and not after it, oldest
/// first (ties by planned, then actual): (held_on, planned, actual). Rows the figures leave out
/// are left out here too. Reads in one transaction (or the caller's).
pub fn load_sessions(
    conn: &Connection,
    projects: &[i64],
    today: NaiveDate,
) -> Result<SessionLists> {
    in_read_transaction(conn, |tx| load_sessions_on(tx, projects, today))
}

/// [`load_sessions`] on either engine, inside the caller's read transaction.
pub fn load_sessions_on(
    src: &dyn rows::Source,
    projects: &[i64],
    today: NaiveDate,
) -> Result<SessionLists> {
    let (first, _) = crate::dates::year_bounds(today);
    let (first, last) = (
        crate::dates::format_ymd(first),
        crate::dates::format_ymd(today),
    );
    let mut out = HashMap::with_capacity(projects.len());
    for &project in projects {
        let list = activity::sessions_of(src, project, &first, &last)?;
        if !list.is_empty() {
            out.insert(project, list);
        }
    }
    Ok(out)
}

/// The projects of one community the figures count, by due date (then id): the community
/// screen's project list, read when the screen opens instead of held for the whole district.
/// Rows that cannot be read are left out, as the figures leave them out.
pub fn load_community_projects(conn: &Connection, community: i64) -> Result<Vec<Project>> {
    in_read_transaction(conn, |tx| load_community_projects_on(tx, community))
}

/// [`load_community_projects`] on either engine, inside the caller's read transaction.
pub fn load_community_projects_on(src: &dyn rows::Source, community: i64) -> Result<Vec<Project>> {
    let mut ignored = Vec::new();
    let mut list = project::for_figures(src, Scope::Community(community), &mut ignored)?;
    list.sort_by(|a, b| a.due_on.cmp(&b.due_on).then(a.id.cmp(&b.id)));
    Ok(list)
}

/// One project and all its sessions, for the detail view; `None` when no such project (or
/// when its row cannot be read). Sessions whose row cannot be read are left out.
pub fn load_project_detail(conn: &Connection, project_id: i64) -> Result<Option<ProjectDetail>> {
    in_read_transaction(conn, |tx| load_project_detail_on(tx, project_id))
}

/// [`load_project_detail`] on either engine, inside the caller's read transaction.
pub fn load_project_detail_on(
    src: &dyn rows::Source,
    project_id: i64,
) -> Result<Option<ProjectDetail>> {
    let mut ignored = Vec::new();
    let Some(row) = project::by_id(src, project_id, &mut ignored)? else {
        return Ok(None);
    };
    let community_name = community::by_id(src, row.community_id, &mut ignored)?
        .map(|c| c.name)
        .unwrap_or_default();
    let unit_name = match row.unit_id {
        Some(id) => unit::by_id(src, id, &mut ignored)?.map(|u| u.name),
        None => None,
    };
    let sessions = activity::of_project(src, project_id, &mut ignored)?
        .into_iter()
        .map(|a| (a.held_on, a.planned, a.actual))
        .collect();
    Ok(Some(ProjectDetail {
        id: row.id,
        community_id: row.community_id,
        community_name,
        unit_id: row.unit_id,
        unit_name,
        title: row.title,
        due_on: row.due_on,
        status: row.status,
        done_on: row.done_on,
        sessions,
    }))
}
