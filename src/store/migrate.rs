//! Schema versions, keyed on `PRAGMA user_version`.
//!
//! Version 1 is the public contract; versions 2 to 4 are gongjian's own additions, which never
//! rename, drop or re-type a contract table or column; version 5 adds the tables and the column
//! of contract version 2.
//!
//! Other tools may leave `user_version` at 0 or 1 on a file that already has some or all of the
//! contract-version-2 tables and columns: each step adds only what is missing, so that such a
//! file is adopted as it is.

use crate::error::{Error, Result};
use rusqlite::Connection;
use std::path::Path;

/// One step per version: `MIGRATIONS[v]` takes a file from version `v` to `v + 1`.
struct Migration {
    /// Columns added to existing tables when missing, before the script runs:
    /// (table, column, declaration).
    columns: &'static [(&'static str, &'static str, &'static str)],
    script: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        columns: &[],
        script: include_str!("sql/v1_contract.sql"),
    },
    Migration {
        columns: &[],
        script: include_str!("sql/v2_program.sql"),
    },
    Migration {
        columns: &[],
        script: include_str!("sql/v3_summaries.sql"),
    },
    Migration {
        columns: &[],
        script: include_str!("sql/v4_review.sql"),
    },
    Migration {
        columns: CONTRACT_V2_COLUMNS,
        script: include_str!("sql/v5_contract2.sql"),
    },
];

pub const KNOWN_VERSION: i64 = MIGRATIONS.len() as i64;

/// The contract's tables and the columns each must have.
pub(crate) const CONTRACT: &[(&str, &[&str])] = &[
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

/// The tables of contract version 2 and the columns each must have where present (a file
/// another tool made may already hold some of them). Required only once the file is at
/// [`KNOWN_VERSION`]: a read-only open of an older file reads them as empty.
pub(crate) const CONTRACT_V2: &[(&str, &[&str])] = &[
    (
        "survey",
        &["id", "project_id", "held_on", "respondents", "satisfied"],
    ),
    ("member", &["id", "community_id", "name", "registered_on"]),
    ("service", &["id", "member_id", "served_on", "minutes"]),
    (
        "assessment",
        &["id", "year", "subject", "subject_id", "assessor", "grade"],
    ),
];

/// The columns of contract version 2 that can be added to a table that lacks them (NULL or a
/// default): version 5 adds them where missing, so these are required only after it.
const CONTRACT_V2_COLUMNS: &[(&str, &str, &str)] = &[
    // The need a project answers; NULL: none recorded.
    ("project", "need_id", "INTEGER REFERENCES need(id)"),
    ("member", "unit_id", "INTEGER REFERENCES unit(id)"),
    ("member", "left_on", "TEXT"),
    ("service", "project_id", "INTEGER REFERENCES project(id)"),
    ("service", "note", "TEXT NOT NULL DEFAULT ''"),
    ("assessment", "note", "TEXT NOT NULL DEFAULT ''"),
];

/// A version-0 file must already hold these to be taken for a co-building file; the other
/// contract tables are added when missing.
pub(crate) const CORE: &[&str] = &["street", "community", "project"];

pub fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

pub(crate) fn table_exists(conn: &Connection, table: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1")?
        .exists([table])?)
}

fn columns_of(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info(\"{table}\")"))?;
    let present = stmt
        .query_map([], |r| r.get::<_, String>(1))?
        .collect::<Result<_, _>>()?;
    Ok(present)
}

/// Whether `table` exists and has `column` (compared as SQLite does, without regard to case).
pub(crate) fn column_exists(conn: &Connection, table: &str, column: &str) -> Result<bool> {
    Ok(columns_of(conn, table)?
        .iter()
        .any(|c| c.eq_ignore_ascii_case(column)))
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
    for (table, columns) in CONTRACT.iter().chain(CONTRACT_V2) {
        if !table_exists(conn, table)? {
            continue;
        }
        let present = columns_of(conn, table)?;
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

/// Every table and column of contract version 2 is present (after an upgrade).
fn check_contract_v2(conn: &Connection) -> Result<()> {
    let mut missing = Vec::new();
    for (table, _) in CONTRACT_V2 {
        if !table_exists(conn, table)? {
            missing.push((*table).to_string());
        }
    }
    if !missing.is_empty() {
        return Err(Error::Foreign {
            path: conn.path().unwrap_or_default().into(),
            missing,
        });
    }
    for (table, column, _) in CONTRACT_V2_COLUMNS {
        if !column_exists(conn, table, column)? {
            return Err(Error::MissingColumn {
                table: (*table).into(),
                column: (*column).into(),
            });
        }
    }
    Ok(())
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
    for step in &MIGRATIONS[start.min(MIGRATIONS.len())..] {
        for (table, column, declaration) in step.columns {
            // A table the script creates next gets the column there.
            if table_exists(conn, table)? && !column_exists(conn, table, column)? {
                conn.execute_batch(&format!(
                    "ALTER TABLE \"{table}\" ADD COLUMN \"{column}\" {declaration}"
                ))?;
            }
        }
        conn.execute_batch(step.script)?;
    }
    // The summaries (version 3) are written from one definition in `summary_sql.rs`; a file
    // whose summaries are missing or were made by an earlier gongjian gets them made afresh.
    if !super::summary::current(conn)? {
        conn.execute_batch(&super::summary_sql::script())?;
    }
    // The per-community change counters (gongjian's own, see `changes.rs`).
    if !super::changes::current(conn)? {
        conn.execute_batch(&super::changes::script())?;
    }
    check_contract(conn)?;
    check_contract_v2(conn)?;
    conn.pragma_update(None, "user_version", KNOWN_VERSION)?;
    Ok(())
}
