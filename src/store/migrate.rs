//! Schema versions, keyed on `PRAGMA user_version`.
//!
//! Version 1 is the public contract of DOMAIN.md; later versions are gongjian's own additions,
//! which never rename, drop or re-type a contract table or column.

use crate::error::{Error, Result};
use rusqlite::Connection;
use std::path::Path;

/// One script per version: `MIGRATIONS[v]` takes a file from version `v` to `v + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("sql/v1_contract.sql"),
    include_str!("sql/v2_program.sql"),
    include_str!("sql/v3_summaries.sql"),
    include_str!("sql/v4_review.sql"),
];

pub const KNOWN_VERSION: i64 = MIGRATIONS.len() as i64;

/// The version-3 script: it creates the summaries and refills them from the rows, and may run
/// again at any time with the same result.
pub(super) const SUMMARIES_SQL: &str = MIGRATIONS[2];

/// The contract's tables and the columns each must have.
const CONTRACT: &[(&str, &[&str])] = &[
    ("street", &["id", "name"]),
    ("community", &["id", "street_id", "name"]),
    ("unit", &["id", "name", "kind"]),
    ("contract", &["id", "community_id", "unit_id", "signed_on"]),
    (
        "need",
        &["id", "community_id", "title", "raised_on", "source"],
    ),
    (
        "resource",
        &["id", "community_id", "unit_id", "title", "times_used"],
    ),
    (
        "project",
        &[
            "id",
            "community_id",
            "unit_id",
            "title",
            "due_on",
            "status",
            "done_on",
        ],
    ),
    (
        "activity",
        &["id", "project_id", "held_on", "planned", "actual"],
    ),
    (
        "meeting",
        &["id", "community_id", "kind", "held_on", "attendees", "note"],
    ),
    ("setting", &["key", "value"]),
];

/// A version-0 file must already hold these to be taken for a co-building file; the other
/// contract tables are added when missing.
const CORE: &[&str] = &["street", "community", "project"];

pub fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

fn table_exists(conn: &Connection, table: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1")?
        .exists([table])?)
}

/// A version-0 file is adopted only if it is plainly a co-building file already: an unrelated
/// SQLite file gets a clear refusal and is left untouched.
pub fn check_adoptable(conn: &Connection, path: &Path) -> Result<()> {
    let mut missing = Vec::new();
    for table in CORE {
        if !table_exists(conn, table)? {
            missing.push((*table).to_string());
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::Foreign {
            path: path.to_path_buf(),
            missing,
        })
    }
}

/// Every contract table that is present has every contract column. Checked before anything is
/// written, so that a file that breaks the contract is refused untouched.
pub fn check_columns(conn: &Connection) -> Result<()> {
    for (table, columns) in CONTRACT {
        if !table_exists(conn, table)? {
            continue;
        }
        let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})"))?;
        let present: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(1))?
            .collect::<Result<_, _>>()?;
        for column in *columns {
            if !present.iter().any(|p| p.eq_ignore_ascii_case(column)) {
                return Err(Error::MissingColumn {
                    table: (*table).into(),
                    column: (*column).into(),
                });
            }
        }
    }
    Ok(())
}

/// Every contract table is present with every contract column.
pub fn check_contract(conn: &Connection) -> Result<()> {
    check_columns(conn)?;
    let mut missing = Vec::new();
    for (table, _) in CONTRACT {
        if !table_exists(conn, table)? {
            missing.push((*table).to_string());
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::Foreign {
            path: conn.path().unwrap_or_default().into(),
            missing,
        })
    }
}

/// Brings the file from its version to [`KNOWN_VERSION`], inside the caller's transaction.
pub fn upgrade(conn: &Connection, fresh: bool) -> Result<()> {
    let found = user_version(conn)?;
    if found > KNOWN_VERSION {
        return Err(Error::NewerVersion {
            path: conn.path().unwrap_or_default().into(),
            found,
            known: KNOWN_VERSION,
        });
    }
    let start = if fresh { 0 } else { found.max(0) } as usize;
    for script in &MIGRATIONS[start.min(MIGRATIONS.len())..] {
        conn.execute_batch(script)?;
    }
    check_contract(conn)?;
    conn.pragma_update(None, "user_version", KNOWN_VERSION)?;
    Ok(())
}
