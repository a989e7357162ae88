//! `activity (id, project_id, held_on, planned, actual)`: one session of a project.
//!
//! [`CLEAN`] says once which rows the figures count; the Rust check ([`Clean::check`]) and the
//! SQL written for the summaries ([`Clean::sql`]) are both made from it, so the two cannot
//! disagree on a row.

use super::{CellRow, Cells, Scope, Source, collect_on, shown};
use crate::dates::parse_ymd;
use crate::error::Result;
use crate::model::{Activity, DataProblem};
use chrono::NaiveDate;
use rusqlite::types::ValueRef;
use std::result::Result as StdResult;

/// An activity as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRow {
    pub id: i64,
    pub project_id: i64,
    /// As stored (normally `YYYY-MM-DD`).
    pub held_on: String,
    pub planned: i64,
    pub actual: i64,
}

/// What a row must hold to count in the figures: its date column is `YYYY-MM-DD` text naming
/// a real day (exactly ten bytes: nothing after a NUL), and each number column holds an integer
/// (not text, not a real) within its bounds. Anything else is named in a notice.
pub struct Clean {
    /// (column, index in [`COLUMNS`]).
    pub date: (&'static str, usize),
    /// (column, index in [`COLUMNS`], smallest, largest).
    pub numbers: &'static [(&'static str, usize, i64, i64)],
}

/// Sessions of at most 2³¹ − 1 people: far beyond any real one, and their sums over a city's
/// year cannot overflow.
const MOST: i64 = i32::MAX as i64;

/// A clean row's date and numbers, or the first column that is not clean with its value as a
/// notice shows it.
pub type Checked = StdResult<(NaiveDate, [i64; 3]), (&'static str, String)>;

pub const CLEAN: Clean = Clean {
    date: ("held_on", 2),
    numbers: &[
        ("project_id", 1, i64::MIN, i64::MAX),
        ("planned", 3, 1, MOST),
        ("actual", 4, 0, MOST),
    ],
};

impl Clean {
    /// The row's date and numbers (in the order of `numbers`), or the first column that is
    /// not clean with its value as a notice shows it.
    pub fn check(&self, row: &dyn CellRow) -> rusqlite::Result<Checked> {
        let (column, idx) = self.date;
        let value = row.value(idx)?;
        let date = match value {
            ValueRef::Text(t) => std::str::from_utf8(t).ok().and_then(parse_ymd),
            _ => None,
        };
        let Some(date) = date else {
            return Ok(Err((column, shown(value))));
        };
        let mut numbers = [0; 3];
        for (at, &(column, idx, low, high)) in self.numbers.iter().enumerate() {
            let value = row.value(idx)?;
            match value {
                ValueRef::Integer(n) if (low..=high).contains(&n) => numbers[at] = n,
                _ => return Ok(Err((column, shown(value)))),
            }
        }
        Ok(Ok((date, numbers)))
    }

    /// The same test in SQL, for the row named `row` (`new`, `old`, a table alias). Written for
    /// old SQLite too: other tools' SQLite must be able to parse triggers made from it.
    pub fn sql(&self, row: &str) -> String {
        let d = format!("{row}.{}", self.date.0);
        let year = format!("CAST(substr({d}, 1, 4) AS INTEGER)");
        let month = format!("CAST(substr({d}, 6, 2) AS INTEGER)");
        let mut parts = vec![
            format!("typeof({d}) = 'text'"),
            // `length` of text stops at a NUL; a blob's length counts every byte.
            format!("length(CAST({d} AS BLOB)) = 10"),
            format!("{d} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"),
            format!("{month} BETWEEN 1 AND 12"),
            format!(
                "CAST(substr({d}, 9, 2) AS INTEGER) BETWEEN 1 AND CASE \
                 WHEN {month} = 2 THEN 28 + ({year} % 4 = 0 AND ({year} % 100 <> 0 OR {year} % 400 = 0)) \
                 WHEN {month} IN (4, 6, 9, 11) THEN 30 ELSE 31 END"
            ),
        ];
        for (column, _, low, high) in self.numbers {
            let n = format!("{row}.{column}");
            parts.push(format!("typeof({n}) = 'integer'"));
            if *low != i64::MIN || *high != i64::MAX {
                parts.push(format!("{n} BETWEEN {low} AND {high}"));
            }
        }
        format!("({})", parts.join(" AND "))
    }
}

const COLUMNS: &str = "SELECT id, project_id, held_on, planned, actual FROM activity";

fn map(
    row: &dyn CellRow,
    problems: &mut Vec<DataProblem>,
) -> rusqlite::Result<Option<ActivityRow>> {
    let mut cells = Cells::new(row, "activity")?;
    let activity = ActivityRow {
        id: cells.id(),
        project_id: cells.int(1, "project_id")?,
        held_on: cells.text(2)?,
        planned: cells.int(3, "planned")?,
        actual: cells.int(4, "actual")?,
    };
    Ok(cells.finish(activity, problems))
}

fn map_figures(
    row: &dyn CellRow,
    problems: &mut Vec<DataProblem>,
) -> rusqlite::Result<Option<Activity>> {
    match CLEAN.check(row)? {
        Ok((held_on, [project_id, planned, actual])) => Ok(Some(Activity {
            project_id,
            held_on,
            planned,
            actual,
        })),
        Err((column, value)) => {
            let mut cells = Cells::new(row, "activity")?;
            cells.mark(column, value);
            cells.finish((), problems);
            Ok(None)
        }
    }
}

/// Every activity as stored, by id.
pub fn all(conn: &dyn Source, problems: &mut Vec<DataProblem>) -> Result<Vec<ActivityRow>> {
    collect_on(conn, &format!("{COLUMNS} ORDER BY id"), &[], |r| {
        map(r, problems)
    })
}

/// One activity as stored.
pub fn by_id(
    conn: &dyn Source,
    id: i64,
    problems: &mut Vec<DataProblem>,
) -> Result<Option<ActivityRow>> {
    super::one_on(
        conn,
        &format!("{COLUMNS} WHERE id = ?1"),
        &[id.into()],
        |r| map(r, problems),
    )
}

/// The sessions held from `first` to `last` (`YYYY-MM-DD`) that the figures count; the rows in
/// that range that are not [`CLEAN`], and rows whose date is a blob (which no text range
/// holds), are named in `problems`.
///
/// For one community ([`Scope::Community`]) only the sessions of its projects are read,
/// through the index on `project_id`.
pub fn for_figures(
    conn: &dyn Source,
    first: &str,
    last: &str,
    scope: Scope,
    problems: &mut Vec<DataProblem>,
) -> Result<Vec<Activity>> {
    let mut out = Vec::new();
    for_each_for_figures(conn, first, last, scope, problems, |a| out.push(a))?;
    Ok(out)
}

/// [`for_figures`] without keeping the rows: each counted session is handed to `each` as it
/// is read (the city's two million sessions are summed, never held).
pub fn for_each_for_figures(
    conn: &dyn Source,
    first: &str,
    last: &str,
    scope: Scope,
    problems: &mut Vec<DataProblem>,
    mut each: impl FnMut(Activity),
) -> Result<()> {
    let (in_range, blob) = match scope {
        Scope::District => (
            format!("{COLUMNS} WHERE held_on BETWEEN ?1 AND ?2"),
            format!("{COLUMNS} WHERE held_on >= x''"),
        ),
        Scope::Community(_) => {
            let projects = scope.through("project_id", "project");
            (
                format!("{COLUMNS} WHERE {projects} AND +held_on BETWEEN ?1 AND ?2"),
                format!("{COLUMNS} WHERE {projects} AND +held_on >= x''"),
            )
        }
    };
    // In the order SQLite's indexes give the rows (by day for the district, by project and
    // day for one community), so that both engines name bad rows in the same order.
    let in_range = match (conn.sqlite(), scope) {
        (Some(_), _) => in_range,
        (None, Scope::District) => format!("{in_range} ORDER BY held_on, id"),
        (None, Scope::Community(_)) => format!("{in_range} ORDER BY project_id, held_on, id"),
    };
    conn.each_row(&in_range, &[first.into(), last.into()], &mut |row| {
        if let Some(activity) = map_figures(row, problems)? {
            each(activity);
        }
        Ok(())
    })?;
    // Rows whose date is a blob: never a date, each named. Read through the date index (blobs
    // sort after all text), so it costs nothing when there are none. A PostgreSQL column holds
    // no blob: nothing to read there.
    if conn.sqlite().is_some() {
        conn.each_row(&blob, &[], &mut |row| {
            if let Some(activity) = map_figures(row, problems)? {
                each(activity);
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// [`CLEAN`]'s test in PostgreSQL's SQL: a `YYYY-MM-DD` date naming a real day (the parts are
/// read as numbers only once the pattern matched: `CASE` keeps that order), whole numbers
/// within their bounds. Only rows it passes are summed by the server; the others are read and
/// checked one by one, so a row it wrongly failed would still count, and a row it wrongly
/// passed is what the engines' agreement tests would show.
const SERVER_CLEAN: &str = "coalesce(CASE WHEN held_on ~ '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' \
     THEN substr(held_on, 9, 2)::int <= CASE \
       WHEN substr(held_on, 6, 2)::int = 2 THEN \
         CASE WHEN substr(held_on, 1, 4)::int % 4 = 0 AND (substr(held_on, 1, 4)::int % 100 <> 0 \
                   OR substr(held_on, 1, 4)::int % 400 = 0) THEN 29 ELSE 28 END \
       WHEN substr(held_on, 6, 2)::int IN (4, 6, 9, 11) THEN 30 ELSE 31 END \
     ELSE false END \
     AND project_id IS NOT NULL AND planned BETWEEN 1 AND 2147483647 \
     AND actual BETWEEN 0 AND 2147483647, false)";

/// The district's sessions of the year from `first` to `last` as [`for_each_for_figures`] hands
/// them to `summer`, on a database server: the rows [`SERVER_CLEAN`] passes, held up to the
/// summer's day, are summed per project by the server; every other row of the range is read
/// and checked here, oldest first (as SQLite's date index gives them), so that the same rows
/// are counted and the same rows named in `problems`.
pub fn sum_on_server(
    conn: &dyn Source,
    first: &str,
    last: &str,
    problems: &mut Vec<DataProblem>,
    summer: &mut crate::indicators::SessionSummer,
) -> Result<()> {
    let today = crate::dates::format_ymd(summer.today());
    let until: &str = if today.as_str() < last { &today } else { last };
    let mut sums = Vec::new();
    conn.each_row(
        &format!(
            "SELECT project_id, count(*)::bigint, sum(planned)::bigint, sum(actual)::bigint
               FROM activity WHERE held_on BETWEEN ?1 AND ?2 AND {SERVER_CLEAN}
              GROUP BY project_id"
        ),
        &[first.into(), until.into()],
        &mut |row| {
            let int = |i| match row.value(i) {
                Ok(ValueRef::Integer(n)) => Ok(n),
                Ok(_) => Err(rusqlite::Error::InvalidColumnType(
                    i,
                    "sum".into(),
                    rusqlite::types::Type::Null,
                )),
                Err(e) => Err(e),
            };
            let count = u32::try_from(int(1)?).unwrap_or(u32::MAX);
            sums.push((
                int(0)?,
                crate::model::SessionSums {
                    count,
                    planned: int(2)?,
                    actual: int(3)?,
                },
            ));
            Ok(())
        },
    )?;
    for (project, s) in sums {
        summer.add_sums(project, s);
    }
    conn.each_row(
        &format!(
            "{COLUMNS} WHERE held_on BETWEEN ?1 AND ?2
                AND NOT ({SERVER_CLEAN} AND held_on <= ?3) ORDER BY held_on, id"
        ),
        &[first.into(), last.into(), until.into()],
        &mut |row| {
            if let Some(activity) = map_figures(row, problems)? {
                summer.add(&activity);
            }
            Ok(())
        },
    )
}

/// Rows whose date is stored as a blob: never a date, each named in `problems`. Read through
/// the date index (blobs sort after all text), so it costs nothing when there are none.
pub fn blob_dated(conn: &dyn Source, problems: &mut Vec<DataProblem>) -> Result<Vec<Activity>> {
    collect_on(conn, &format!("{COLUMNS} WHERE held_on >= x''"), &[], |r| {
        map_figures(r, problems)
    })
}

/// Each of `projects`' sessions held from `first` to `last` that the figures count, oldest
/// first (ties by planned, then actual): (held_on, planned, actual).
pub fn sessions_of(
    conn: &dyn Source,
    project: i64,
    first: &str,
    last: &str,
) -> Result<Vec<(NaiveDate, i64, i64)>> {
    let mut ignored = Vec::new();
    let mut list: Vec<(NaiveDate, i64, i64)> = collect_on(
        conn,
        &format!("{COLUMNS} WHERE project_id = ?1 AND held_on BETWEEN ?2 AND ?3"),
        &[project.into(), first.into(), last.into()],
        |r| Ok(map_figures(r, &mut ignored)?.map(|a| (a.held_on, a.planned, a.actual))),
    )?;
    list.sort_unstable();
    Ok(list)
}

/// Every session of `project` as stored, newest first.
pub fn of_project(
    conn: &dyn Source,
    project: i64,
    problems: &mut Vec<DataProblem>,
) -> Result<Vec<ActivityRow>> {
    collect_on(
        conn,
        &format!("{COLUMNS} WHERE project_id = ?1 ORDER BY held_on DESC, id DESC"),
        &[project.into()],
        |r| map(r, problems),
    )
}

/// The sessions of `community`'s projects held on or after `day`, oldest first, each with its
/// project's title as stored.
pub fn of_community_since(
    conn: &dyn Source,
    community: i64,
    day: &str,
    problems: &mut Vec<DataProblem>,
) -> Result<Vec<(ActivityRow, String)>> {
    collect_on(
        conn,
        "SELECT a.id, a.project_id, a.held_on, a.planned, a.actual, p.title
           FROM activity a JOIN project p ON p.id = a.project_id
          WHERE p.community_id = ?1 AND a.held_on >= ?2
          ORDER BY a.held_on, a.id",
        &[community.into(), day.into()],
        |r| {
            let title = super::as_text(r.value(5)?).unwrap_or_default();
            Ok(map(r, problems)?.map(|a| (a, title)))
        },
    )
}
