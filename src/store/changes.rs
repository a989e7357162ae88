//! Per-community change counters: which communities' figures a commit can have changed, so
//! that the dashboard re-reads those communities alone after another terminal's write.
//!
//! `community_change` holds one counter per community (`community_id`) and one for "anything
//! can have changed" (`community_id` 0). Triggers on the contract's tables, in the file itself,
//! bump them whoever writes (another gongjian, an older gongjian, the `sqlite3` shell, another
//! tool), unless that writer switches triggers off or drops them:
//! - a row of `contract`, `need`, `resource`, `meeting`, `member`, `project`: its community
//!   (before and after an update); a project also bumps the community of the need it answers;
//! - a row of `activity` or `survey`: the community of its project; `service`: of its member;
//! - a row of `street`, `community`, `unit` or `setting`: everything (0);
//! - a community id that is not an integer, or a project, member or need that does not exist:
//!   everything (0).
//!
//! The reader ([`read`]) trusts the counters only when the table and every trigger are exactly
//! as written here (another tool may have dropped one); what it does with them, and what it
//! does when a writer went around them, is the dashboard's (`dashboard/worker.rs`).
//!
//! The table and triggers are gongjian's own, like the summaries of schema version 3: made
//! when a file is upgraded or opened for writing and they are missing or differ, without a new
//! `user_version` (a file that has them is still a version-5 file to every reader).
//! Written for old SQLite too (no UPSERT): other tools must be able to parse them.

use crate::error::Result;
use rusqlite::Connection;
use std::collections::HashMap;

/// Each community's counter (0: everything).
pub type Counters = HashMap<i64, i64>;

/// The counter every commit that can change any community's figures bumps.
pub const EVERYTHING: i64 = 0;

const TABLE: &str = "CREATE TABLE IF NOT EXISTS community_change (
    community_id INTEGER PRIMARY KEY,
    n INTEGER NOT NULL DEFAULT 0
);
";

/// What a row names, for the triggers: its community directly, through another table, or the
/// whole district.
#[derive(Clone, Copy)]
enum Names {
    /// `community_id` of the row.
    Community,
    /// The community of the row of `table` whose id is in `column`.
    Through(&'static str, &'static str),
    /// A project: its community and that of the need it answers.
    Project,
    Everything,
}

/// The contract's tables whose rows the figures read, and what each row names.
const TABLES: &[(&str, Names)] = &[
    ("street", Names::Everything),
    ("community", Names::Everything),
    ("unit", Names::Everything),
    ("setting", Names::Everything),
    ("contract", Names::Community),
    ("need", Names::Community),
    ("resource", Names::Community),
    ("meeting", Names::Community),
    ("member", Names::Community),
    ("project", Names::Project),
    ("activity", Names::Through("project_id", "project")),
    ("survey", Names::Through("project_id", "project")),
    ("service", Names::Through("member_id", "member")),
];

/// Statements bumping the counter of the community `expr` gives (everything when it is not an
/// integer), when `when` holds.
fn bump(expr: &str, when: &str) -> String {
    let key = format!(
        "coalesce((SELECT k FROM (SELECT {expr} AS k) WHERE typeof(k) = 'integer'), {EVERYTHING})"
    );
    format!(
        "    INSERT OR IGNORE INTO community_change (community_id, n) SELECT {key}, 0 WHERE {when};
    UPDATE community_change SET n = n + 1 WHERE community_id = {key} AND {when};
"
    )
}

/// The bumps for one row (`row` is `new` or `old`).
fn bumps(names: Names, row: &str) -> String {
    match names {
        Names::Everything => bump(&EVERYTHING.to_string(), "1"),
        Names::Community => bump(&format!("{row}.community_id"), "1"),
        Names::Through(column, table) => bump(
            &format!("(SELECT community_id FROM {table} WHERE id = {row}.{column})"),
            "1",
        ),
        Names::Project => {
            let mut sql = bump(&format!("{row}.community_id"), "1");
            sql.push_str(&bump(
                &format!("(SELECT community_id FROM need WHERE id = {row}.need_id)"),
                &format!("{row}.need_id IS NOT NULL"),
            ));
            sql
        }
    }
}

/// Every trigger's name and `CREATE TRIGGER` statement as `sqlite_schema` keeps it.
pub fn triggers() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for &(table, names) in TABLES {
        for (op, rows) in [
            ("insert", &["new"][..]),
            ("update", &["old", "new"][..]),
            ("delete", &["old"][..]),
        ] {
            let name = format!("{table}_change_after_{op}");
            let body: String = rows.iter().map(|row| bumps(names, row)).collect();
            let sql = format!(
                "CREATE TRIGGER {name} AFTER {} ON {table}\nBEGIN\n{body}END",
                op.to_uppercase()
            );
            out.push((name, sql));
        }
    }
    out
}

/// Drops the triggers (for a bulk load, which bumps everything once at its end instead).
pub fn drop_script() -> String {
    triggers()
        .into_iter()
        .map(|(name, _)| format!("DROP TRIGGER IF EXISTS {name};\n"))
        .collect()
}

/// Creates (or re-creates) the table and the triggers and bumps everything: any file, any
/// time. The counters themselves are kept (a dashboard open elsewhere compares them).
pub fn script() -> String {
    let mut sql = drop_script();
    sql.push_str(TABLE);
    for (_, create) in triggers() {
        sql.push_str(&create);
        sql.push_str(";\n");
    }
    sql.push_str(&bump(&EVERYTHING.to_string(), "1"));
    sql
}

/// Runs `write`, which writes many rows at once (an import), inside the caller's write
/// transaction with the change triggers set aside, then makes them again and bumps everything
/// once, as [`bulk_load`](super::bulk_load) does: one bump instead of one per row, so that the
/// counters cost such a write nothing. Other connections see the transaction whole or not at
/// all; if `write` fails, the caller's rollback brings the triggers back. A file without current
/// counters is left as it is.
pub fn set_aside<T>(tx: &Connection, write: impl FnOnce() -> Result<T>) -> Result<T> {
    if !current(tx)? {
        return write();
    }
    tx.execute_batch(&drop_script())?;
    let value = write()?;
    tx.execute_batch(&script())?;
    Ok(value)
}

/// Whether the file has the table and every trigger exactly as written here.
pub fn current(conn: &Connection) -> Result<bool> {
    let mut stmt = conn.prepare_cached(
        "SELECT type, name, sql FROM sqlite_schema
          WHERE (type = 'trigger' AND name LIKE '%_change_after_%')
             OR (type = 'table' AND name = 'community_change')",
    )?;
    let present: Vec<(String, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<std::result::Result<_, _>>()?;
    let table = present.iter().any(|(k, _, _)| k == "table");
    let triggers = triggers().into_iter().all(|(name, sql)| {
        present
            .iter()
            .any(|(k, n, s)| k == "trigger" && *n == name && s.as_deref() == Some(sql.as_str()))
    });
    Ok(table && triggers)
}

/// The counters, by community (0: everything); `None` when the file's counters cannot be
/// trusted (no table, a trigger missing or different).
pub fn read(conn: &Connection) -> Result<Option<Counters>> {
    if !current(conn)? {
        return Ok(None);
    }
    let mut stmt = conn.prepare_cached("SELECT community_id, n FROM community_change")?;
    let mut out = HashMap::new();
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        // Only the triggers write here; a value another tool put there is not trusted.
        match (super::opt_int(row, 0), super::opt_int(row, 1)) {
            (Ok(Some(key)), Ok(Some(n))) => out.insert(key, n),
            _ => return Ok(None),
        };
    }
    Ok(Some(out))
}

/// The communities whose counters differ between `before` and `after`; `None` when everything
/// can have changed (the counter 0 moved).
pub fn changed(before: &Counters, after: &Counters) -> Option<Vec<i64>> {
    let mut out: Vec<i64> = after
        .iter()
        .filter(|(k, n)| before.get(k) != Some(n))
        .map(|(k, _)| *k)
        .chain(before.keys().filter(|k| !after.contains_key(k)).copied())
        .collect();
    out.sort_unstable();
    out.dedup();
    if out.contains(&EVERYTHING) {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests;
