//! Undoing the weekly review's decisions (督办事项) like any other entry of the log:
//! - `decision` (a decision recorded): the decision is withdrawn (its row deleted), only while
//!   it is as the entry left it and not done;
//! - `decision_edit` (its text, responsible person or due date changed): the values go back,
//!   only while they are as the entry left them and it is not done;
//! - `decision_done` is refused: a decision that is done stays done (the file's own rule, a
//!   trigger of the `decision` table), so the reason says to record a new decision instead.
//!
//! The log's shapes are written by `crate::review` (which sits above this module); only the
//! table and the JSON are shared.

use super::apply::Change;
use super::error::{AdjustError, Result};
use crate::error::Error;
use crate::fields::{FieldError, key};
use crate::store::rows::{Source, Writer, query_one};
use serde_json::{Map, Value, json};

/// The log's action of a decision recorded, changed, done (as `crate::review::action`).
pub(crate) const RECORDED: &str = "decision";
pub(crate) const EDITED: &str = "decision_edit";
pub(crate) const DONE: &str = "decision_done";

/// The columns of a decision that an entry records and an undo restores.
pub(crate) const COLUMNS: [&str; 3] = ["text", "owner", "due_on"];

#[derive(Debug, Clone)]
pub(crate) enum DecisionStep {
    /// Withdraw decision `id` (it must still be open).
    Delete { id: i64 },
    /// Put the columns back (only those named).
    Restore {
        id: i64,
        values: Vec<(String, String)>,
    },
}

pub(crate) struct DecisionUndo {
    pub step: DecisionStep,
    pub stale: Vec<Change>,
    pub changes: Vec<Change>,
    pub before: Map<String, Value>,
    pub after: Map<String, Value>,
}

struct Row {
    values: Map<String, Value>,
    done_at: Option<String>,
}

fn current(conn: &dyn Source, id: i64) -> Result<Option<Row>> {
    let has_table = conn.has_table("decision")?;
    if !has_table {
        return Ok(None);
    }
    let row = query_one(
        conn,
        "SELECT text, owner, due_on, done_at FROM decision WHERE id = ?1",
        &[id.into()],
        |r| {
            let text = |i: usize| -> rusqlite::Result<String> {
                Ok(r.get::<Option<String>>(i)
                    .ok()
                    .flatten()
                    .unwrap_or_default())
            };
            let mut values = Map::new();
            for (i, column) in COLUMNS.iter().enumerate() {
                values.insert((*column).into(), json!(text(i)?));
            }
            Ok(Row {
                values,
                done_at: r.get::<Option<String>>(3).ok().flatten(),
            })
        },
    )?;
    Ok(row)
}

fn refuse(zh: String, en: String) -> AdjustError {
    AdjustError::Invalid(vec![FieldError::new(key::ENTRY, zh, en)])
}

fn done_refusal(id: i64, done_at: &str) -> AdjustError {
    let when = crate::text::clean(done_at);
    refuse(
        format!(
            "督办事项 #{id} 已于 {when} 办结，办结的督办事项保持办结，不能撤销；如仍需跟进，请在周例会回顾中新记一条督办事项"
        ),
        format!(
            "decision #{id} was marked done at {when}; a decision that is done stays done and cannot be undone. If it still needs work, record a new decision in the weekly review"
        ),
    )
}

/// The undo of a decision entry: `None` when `action` is not one; `Some(Err(()))` when the
/// entry is not in the shape gongjian writes; an error when it cannot be undone.
pub(crate) fn plan_undo(
    conn: &dyn Source,
    action: &str,
    before: &str,
    after: &str,
) -> Result<Option<std::result::Result<DecisionUndo, ()>>> {
    if action == DONE {
        return Err(refuse(
            "办结的督办事项保持办结（文件的规则），此条不能撤销；如仍需跟进，请在周例会回顾中新记一条督办事项".to_string(),
            "a decision that is done stays done (a rule of the file), so this entry cannot be undone; if it still needs work, record a new decision in the weekly review".to_string(),
        ));
    }
    if action != RECORDED && action != EDITED {
        return Ok(None);
    }
    let object = |text: &str| match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    };
    let (Some(before), Some(after)) = (object(before), object(after)) else {
        return Ok(Some(Err(())));
    };
    Ok(Some(if action == RECORDED {
        plan_withdraw(conn, &after)?
    } else {
        plan_restore(conn, &before, &after)?
    }))
}

/// A recorded decision withdrawn: `after` is `{decision: {id, text, owner, due_on, …}}`.
fn plan_withdraw(
    conn: &dyn Source,
    after: &Map<String, Value>,
) -> Result<std::result::Result<DecisionUndo, ()>> {
    let Some(logged) = after.get("decision").and_then(Value::as_object) else {
        return Ok(Err(()));
    };
    let Some(id) = logged.get("id").and_then(Value::as_i64) else {
        return Ok(Err(()));
    };
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
    let mut stale = Vec::new();
    match current(conn, id)? {
        None => stale.push(Change::new("text", text(logged.get("text")), "")),
        Some(now) => {
            if let Some(done_at) = &now.done_at {
                return Err(done_refusal(id, done_at));
            }
            for column in COLUMNS {
                let was = text(logged.get(column));
                let is = text(now.values.get(column));
                if was != is {
                    stale.push(Change::new(column, was, is));
                }
            }
        }
    }
    let changes = COLUMNS
        .iter()
        .map(|c| Change::new(*c, text(logged.get(*c)), ""))
        .collect();
    let mut before = Map::new();
    before.insert("decision".into(), Value::Object(logged.clone()));
    let mut undone = Map::new();
    undone.insert("decision".into(), Value::Null);
    Ok(Ok(DecisionUndo {
        step: DecisionStep::Delete { id },
        stale,
        changes,
        before,
        after: undone,
    }))
}

/// A change of a decision put back: `before` holds the old values of the columns it changed,
/// `after` the new ones and `decision` (its id) in both.
fn plan_restore(
    conn: &dyn Source,
    before: &Map<String, Value>,
    after: &Map<String, Value>,
) -> Result<std::result::Result<DecisionUndo, ()>> {
    let Some(id) = after.get("decision").and_then(Value::as_i64) else {
        return Ok(Err(()));
    };
    let columns: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| after.contains_key(*c))
        .collect();
    if columns.is_empty() || columns.iter().any(|c| !before.contains_key(*c)) {
        return Ok(Err(()));
    }
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
    let mut stale = Vec::new();
    let Some(now) = current(conn, id)? else {
        stale.push(Change::new("decision", format!("#{id}"), ""));
        return Ok(Ok(DecisionUndo {
            step: DecisionStep::Restore {
                id,
                values: Vec::new(),
            },
            stale,
            changes: Vec::new(),
            before: Map::new(),
            after: Map::new(),
        }));
    };
    if let Some(done_at) = &now.done_at {
        return Err(done_refusal(id, done_at));
    }
    let mut changes = Vec::new();
    let mut values = Vec::new();
    let mut plan_before = Map::new();
    let mut plan_after = Map::new();
    plan_before.insert("decision".into(), json!(id));
    plan_after.insert("decision".into(), json!(id));
    for column in columns {
        let left = text(after.get(column));
        let is = text(now.values.get(column));
        if left != is {
            stale.push(Change::new(column, left.clone(), is.clone()));
        }
        let restore = text(before.get(column));
        changes.push(Change::new(column, is.clone(), restore.clone()));
        values.push((column.to_string(), restore.clone()));
        plan_before.insert(column.into(), json!(is));
        plan_after.insert(column.into(), json!(restore));
    }
    Ok(Ok(DecisionUndo {
        step: DecisionStep::Restore { id, values },
        stale,
        changes,
        before: plan_before,
        after: plan_after,
    }))
}

/// Carries out the undo inside the caller's transaction.
pub(crate) fn execute_undo(conn: &dyn Writer, step: &DecisionStep) -> Result<()> {
    let gone = |id: i64| -> AdjustError {
        Error::plain(
            format!("督办事项 #{id} 已不存在或已办结；未写入任何内容"),
            format!("decision #{id} no longer exists or is done; nothing was written"),
        )
        .into()
    };
    match step {
        DecisionStep::Delete { id } => {
            let n = conn.execute(
                "DELETE FROM decision WHERE id = ?1 AND done_at IS NULL",
                &[(*id).into()],
            )?;
            if n != 1 {
                return Err(gone(*id));
            }
        }
        DecisionStep::Restore { id, values } => {
            for (column, value) in values {
                let Some(column) = COLUMNS.iter().find(|c| **c == column.as_str()) else {
                    return Err(gone(*id));
                };
                let sql =
                    format!("UPDATE decision SET {column} = ?1 WHERE id = ?2 AND done_at IS NULL");
                if conn.execute(&sql, &[value.as_str().into(), (*id).into()])? != 1 {
                    return Err(gone(*id));
                }
            }
        }
    }
    Ok(())
}
