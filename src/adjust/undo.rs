//! Undo: a new entry that restores what an earlier entry changed. The log itself is never
//! updated or deleted.

use super::action::ActionKind;
use super::apply::{Change, EntryParts, display, set_project_column, static_column};
use super::error::{AdjustError, Result};
use super::project::{self, PROJECT_COLUMNS, opt_int};
use crate::error::Error;
use crate::fields::{FieldError, key};
use crate::i18n::Lang;
use crate::model::Status;
use crate::store::rows;
use crate::store::rows::{Source, Writer, query_one};
use serde_json::{Map, Value, json};

/// The file changed since the entry to undo: undoing it would overwrite a later change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub entry: i64,
    pub project: Option<i64>,
    /// Each value that moved: before = what the entry left, after = what it is now.
    pub changes: Vec<Change>,
}

impl Stale {
    pub fn message(&self, lang: Lang) -> String {
        let what = self
            .changes
            .iter()
            .map(|c| c.line(lang))
            .collect::<Vec<_>>()
            .join(lang.pick("；", "; "));
        let (zh_target, en_target) = match self.project {
            Some(p) => (format!("项目 #{p} "), format!("project #{p}")),
            None => ("记录的内容".to_string(), "what it recorded".to_string()),
        };
        match lang {
            Lang::Zh => format!(
                "调整记录 #{} 之后，{zh_target}又有变化：{what}。为免覆盖后来的修改，没有撤销，未写入任何内容",
                self.entry
            ),
            Lang::En => format!(
                "since log entry #{}, {en_target} has changed: {what}. To avoid overwriting the later change nothing was undone or written",
                self.entry
            ),
        }
    }
}

enum Step {
    SetProject {
        id: i64,
        column: &'static str,
        value: Value,
    },
    Delete {
        table: &'static str,
        id: i64,
        /// The project (activity) or community (meeting) the row must still belong to.
        owner: i64,
    },
    /// The undo of a recording kind of contract version 2.
    Records(Vec<super::records::RecordStep>),
    /// A shared setting back to its value (`None`: the key removed, back to its default).
    SetSetting {
        key: &'static str,
        value: Option<String>,
    },
    /// A decision of the weekly review withdrawn (its row deleted) or put back as it was.
    Decision(super::decision::DecisionStep),
}

/// What undoing one entry will do, checked against the file as it is now.
pub(crate) struct UndoPlan {
    entry: i64,
    community_id: Option<i64>,
    project_id: Option<i64>,
    steps: Vec<Step>,
    before: Map<String, Value>,
    after: Map<String, Value>,
    pub changes: Vec<Change>,
}

struct Logged {
    action: String,
    community_id: Option<i64>,
    project_id: Option<i64>,
    before: String,
    after: String,
    reverses: Option<i64>,
}

fn read_entry(conn: &dyn Source, id: i64) -> Result<Option<Logged>> {
    Ok(query_one(
        conn,
        "SELECT action, community_id, project_id, before, after, reverses FROM adjustment WHERE id = ?1",
        &[id.into()],
        |r| {
            Ok(Logged {
                action: project::text(r, 0)?,
                community_id: opt_int(r, 1)?,
                project_id: opt_int(r, 2)?,
                before: project::text(r, 3)?,
                after: project::text(r, 4)?,
                reverses: opt_int(r, 5)?,
            })
        },
    )?)
}

/// The entry that undid entry `id`, if any.
pub(crate) fn undone_by(conn: &dyn Source, id: i64) -> Result<Option<i64>> {
    Ok(query_one(
        conn,
        "SELECT min(id) FROM adjustment WHERE reverses = ?1",
        &[id.into()],
        |r| opt_int(r, 0),
    )?
    .flatten())
}

fn refuse(zh: String, en: String) -> AdjustError {
    AdjustError::Invalid(vec![FieldError::new(key::ENTRY, zh, en)])
}

/// The columns of inserted rows that the log records.
const ROW_COLUMNS: &[&str] = &[
    "id",
    "project_id",
    "community_id",
    "held_on",
    "planned",
    "actual",
    "kind",
    "attendees",
    "note",
];

fn static_key(name: &str) -> Option<&'static str> {
    ROW_COLUMNS.iter().copied().find(|c| *c == name)
}

/// An inserted activity or meeting as it is now, in the log's JSON shape. A row another tool
/// left unreadable (a number that is not one) reads as empty, so it counts as changed.
fn current_row(
    conn: &dyn Source,
    table: &'static str,
    id: i64,
) -> Result<Option<Map<String, Value>>> {
    let mut unreadable = Vec::new();
    let row = if table == "activity" {
        rows::activity::by_id(conn, id, &mut unreadable)?.map(|a| {
            json!({"id": a.id, "project_id": a.project_id, "held_on": a.held_on,
                   "planned": a.planned, "actual": a.actual})
        })
    } else {
        rows::meeting::by_id(conn, id, &mut unreadable)?.map(|m| {
            json!({"id": m.id, "community_id": m.community_id, "kind": m.kind,
                   "held_on": m.held_on, "attendees": m.attendees, "note": m.note})
        })
    };
    if !unreadable.is_empty() {
        return Ok(Some(Map::new()));
    }
    Ok(row.and_then(|v| match v {
        Value::Object(map) => Some(map),
        _ => None,
    }))
}

/// Works out the undo of entry `id`, or says why it cannot be undone: no such entry, an undo
/// itself, not written by gongjian ([`Error::Invalid`]); undone already
/// ([`AdjustError::AlreadyUndone`]); the file changed since ([`Error::UndoStale`]).
pub(crate) fn plan(conn: &dyn Source, id: i64) -> Result<UndoPlan> {
    let Some(entry) = read_entry(conn, id)? else {
        return Err(refuse(
            format!("没有编号为 {id} 的调整记录：请在调整记录中查看编号"),
            format!("there is no log entry with id {id}: see the adjustment log for ids"),
        ));
    };
    if entry.reverses.is_some() || entry.action == ActionKind::Undo.key() {
        let of = entry.reverses.map(|r| format!(" #{r}")).unwrap_or_default();
        return Err(refuse(
            format!(
                "调整记录 #{id} 本身是一次撤销（撤销了{of}），不能再撤销；如需恢复，请重新做一次该调整"
            ),
            format!(
                "log entry #{id} is itself an undo (of{of}) and cannot be undone; to restore, make that adjustment again"
            ),
        ));
    }
    if let Some(by) = undone_by(conn, id)? {
        return Err(AdjustError::AlreadyUndone { entry: id, by });
    }
    let malformed = || {
        refuse(
            format!(
                "调整记录 #{id}（{}）不是本程序能撤销的格式，不能自动撤销；请手工调整",
                crate::fields::shown(&entry.action)
            ),
            format!(
                "log entry #{id} ({}) is not in a form gongjian can undo; adjust by hand instead",
                crate::fields::shown(&entry.action)
            ),
        )
    };
    if entry.action == super::setting::ACTION {
        return plan_setting(conn, id, &entry).and_then(|plan| plan.ok_or_else(malformed));
    }
    if let Some(planned) =
        super::decision::plan_undo(conn, &entry.action, &entry.before, &entry.after)?
    {
        let undo = planned.map_err(|()| malformed())?;
        if !undo.stale.is_empty() {
            return Err(AdjustError::UndoStale(Box::new(Stale {
                entry: id,
                project: None,
                changes: undo.stale,
            })));
        }
        return Ok(UndoPlan {
            entry: id,
            community_id: entry.community_id,
            project_id: None,
            steps: vec![Step::Decision(undo.step)],
            before: undo.before,
            after: undo.after,
            changes: undo.changes,
        });
    }
    let kind = ActionKind::parse(&entry.action).ok_or_else(malformed)?;
    let object = |text: &str| match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    };
    let (Some(before), Some(after)) = (object(&entry.before), object(&entry.after)) else {
        return Err(malformed());
    };
    let mut plan = UndoPlan {
        entry: id,
        community_id: entry.community_id,
        project_id: entry.project_id,
        steps: Vec::new(),
        before: Map::new(),
        after: Map::new(),
        changes: Vec::new(),
    };
    if let Some(outcome) = super::records::plan_undo(conn, kind, &before, &after)? {
        let undo = outcome.map_err(|()| malformed())?;
        if !undo.stale.is_empty() {
            return Err(AdjustError::UndoStale(Box::new(Stale {
                entry: id,
                project: entry.project_id,
                changes: undo.stale,
            })));
        }
        plan.steps.push(Step::Records(undo.steps));
        plan.changes = undo.changes;
        plan.before = undo.before;
        plan.after = undo.after;
        return Ok(plan);
    }
    let mut stale = Vec::new();
    let cancelled = json!(Status::Cancelled.code());
    match kind {
        ActionKind::Activity | ActionKind::Meeting => {
            let table = if kind == ActionKind::Activity {
                "activity"
            } else {
                "meeting"
            };
            let row = after
                .get(table)
                .and_then(Value::as_object)
                .ok_or_else(malformed)?;
            let row_id = row
                .get("id")
                .and_then(Value::as_i64)
                .ok_or_else(malformed)?;
            // The row is identified by all it held, not by its id alone: ids are reused after
            // a delete, and another tool may move a row to another project. The owner the row
            // names must also be the entry's own (project for an activity, community for a
            // meeting), or the log itself was altered.
            let (owner_column, owner_key, owner) = if table == "activity" {
                ("project_id", key::PROJECT, entry.project_id)
            } else {
                ("community_id", key::COMMUNITY, entry.community_id)
            };
            let logged_owner = row.get(owner_column).and_then(Value::as_i64);
            if logged_owner.is_none() || logged_owner != owner {
                return Err(malformed());
            }
            let mut shown = Vec::new();
            for (name, value) in row {
                let column = static_key(name).ok_or_else(malformed)?;
                if !matches!(column, "id" | "project_id" | "community_id") {
                    shown.push((column, value.clone()));
                }
            }
            match current_row(conn, table, row_id)? {
                None => stale.push(Change::new(
                    table,
                    display(conn, table, &Value::Object(row.clone()))?,
                    "",
                )),
                Some(now) => {
                    let owner_now = now.get(owner_column).and_then(Value::as_i64);
                    if owner_now != logged_owner {
                        let hash =
                            |id: Option<i64>| id.map(|i| format!("#{i}")).unwrap_or_default();
                        stale.push(Change::new(owner_key, hash(logged_owner), hash(owner_now)));
                    }
                    for (column, value) in &shown {
                        let current = now.get(*column).cloned().unwrap_or(Value::Null);
                        if current != *value {
                            stale.push(Change::new(
                                *column,
                                display(conn, column, value)?,
                                display(conn, column, &current)?,
                            ));
                        }
                    }
                }
            }
            for (column, value) in &shown {
                plan.changes
                    .push(Change::new(*column, display(conn, column, value)?, ""));
            }
            plan.steps.push(Step::Delete {
                table,
                id: row_id,
                owner: logged_owner.ok_or_else(malformed)?,
            });
            plan.before.insert(table.into(), Value::Object(row.clone()));
            plan.after.insert(table.into(), Value::Null);
        }
        ActionKind::AddProject => {
            let row = after
                .get("project")
                .and_then(Value::as_object)
                .ok_or_else(malformed)?;
            let pid = row
                .get("id")
                .and_then(Value::as_i64)
                .ok_or_else(malformed)?;
            plan.project_id = Some(pid);
            let now = compare_project(conn, pid, row, &mut stale)?;
            let status_now = now.map(|p| p.column("status")).unwrap_or(Value::Null);
            plan.changes.push(Change::new(
                "status",
                display(conn, "status", &status_now)?,
                Status::Cancelled.code(),
            ));
            plan.steps.push(Step::SetProject {
                id: pid,
                column: "status",
                value: cancelled.clone(),
            });
            plan.before.insert("status".into(), status_now);
            plan.after.insert("status".into(), cancelled);
        }
        ActionKind::Undo => return Err(malformed()),
        _ => {
            let pid = entry.project_id.ok_or_else(malformed)?;
            let current = project::project_state(conn, pid)?;
            if current.is_none() {
                stale.push(Change::new(key::PROJECT, format!("#{pid}"), ""));
            }
            for (name, value) in &after {
                if kind == ActionKind::Convert
                    && matches!(name.as_str(), "successor" | "successor_project")
                {
                    continue;
                }
                let column = static_column(name)
                    .filter(|c| *c != "community_id")
                    .ok_or_else(malformed)?;
                let now = current
                    .as_ref()
                    .map(|p| p.column(column))
                    .unwrap_or(Value::Null);
                if current.is_some() && now != *value {
                    stale.push(Change::new(
                        column,
                        display(conn, column, value)?,
                        display(conn, column, &now)?,
                    ));
                }
                let restore = before.get(name).cloned().unwrap_or(Value::Null);
                plan.changes.push(Change::new(
                    column,
                    display(conn, column, &now)?,
                    display(conn, column, &restore)?,
                ));
                plan.steps.push(Step::SetProject {
                    id: pid,
                    column,
                    value: restore.clone(),
                });
                plan.before.insert(column.into(), value.clone());
                plan.after.insert(column.into(), restore);
            }
            if kind == ActionKind::Convert {
                let successor = after
                    .get("successor")
                    .and_then(Value::as_i64)
                    .ok_or_else(malformed)?;
                let row = after
                    .get("successor_project")
                    .and_then(Value::as_object)
                    .ok_or_else(malformed)?;
                let now = compare_project(conn, successor, row, &mut stale)?;
                let status_now = now.map(|p| p.column("status")).unwrap_or(Value::Null);
                plan.changes.push(Change::new(
                    "successor_status",
                    display(conn, "status", &status_now)?,
                    Status::Cancelled.code(),
                ));
                plan.steps.push(Step::SetProject {
                    id: successor,
                    column: "status",
                    value: cancelled.clone(),
                });
                plan.before.insert("successor".into(), json!(successor));
                plan.before.insert("successor_status".into(), status_now);
                plan.after.insert("successor".into(), json!(successor));
                plan.after.insert("successor_status".into(), cancelled);
            }
            if plan.steps.is_empty() {
                return Err(malformed());
            }
        }
    }
    if !stale.is_empty() {
        return Err(AdjustError::UndoStale(Box::new(Stale {
            entry: id,
            project: plan.project_id,
            changes: stale,
        })));
    }
    Ok(plan)
}

/// The undo of a shared setting's change; `None` when the entry is not in the form gongjian
/// writes.
fn plan_setting(conn: &dyn Source, id: i64, entry: &Logged) -> Result<Option<UndoPlan>> {
    let object = |text: &str| match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    };
    let (Some(before), Some(after)) = (object(&entry.before), object(&entry.after)) else {
        return Ok(None);
    };
    let restore = match super::setting::plan_undo(conn, &before, &after)? {
        None => return Ok(None),
        Some(Err(stale)) => {
            return Err(AdjustError::UndoStale(Box::new(Stale {
                entry: id,
                project: None,
                changes: vec![stale],
            })));
        }
        Some(Ok(restore)) => restore,
    };
    let mut plan_before = Map::new();
    plan_before.insert(
        restore.key.into(),
        after.get(restore.key).cloned().unwrap_or(Value::Null),
    );
    let mut plan_after = Map::new();
    plan_after.insert(restore.key.into(), json!(restore.value));
    Ok(Some(UndoPlan {
        entry: id,
        community_id: None,
        project_id: None,
        steps: vec![Step::SetSetting {
            key: restore.key,
            value: restore.value,
        }],
        before: plan_before,
        after: plan_after,
        changes: vec![restore.change],
    }))
}

/// Compares project `id` as it is now with the row the log recorded; each difference is
/// pushed to `stale`.
fn compare_project(
    conn: &dyn Source,
    id: i64,
    row: &Map<String, Value>,
    stale: &mut Vec<Change>,
) -> Result<Option<project::ProjectState>> {
    let Some(now) = project::project_state(conn, id)? else {
        stale.push(Change::new(key::PROJECT, format!("#{id}"), ""));
        return Ok(None);
    };
    for column in PROJECT_COLUMNS {
        if let Some(value) = row.get(*column) {
            let current = now.column(column);
            if current != *value {
                stale.push(Change::new(
                    *column,
                    display(conn, column, value)?,
                    display(conn, column, &current)?,
                ));
            }
        }
    }
    Ok(Some(now))
}

/// Restores the values; returns what the compensating entry records.
pub(crate) fn execute(conn: &dyn Writer, plan: &UndoPlan) -> Result<EntryParts> {
    for step in &plan.steps {
        match step {
            Step::SetProject { id, column, value } => set_project_column(conn, *id, column, value)?,
            Step::Records(steps) => super::records::execute_undo(conn, steps)?,
            Step::SetSetting { key, value } => {
                crate::store::store_setting(conn, key, value.as_deref())?
            }
            Step::Decision(step) => super::decision::execute_undo(conn, step)?,
            Step::Delete { table, id, owner } => {
                let sql = if *table == "activity" {
                    "DELETE FROM activity WHERE id = ?1 AND project_id = ?2"
                } else {
                    "DELETE FROM meeting WHERE id = ?1 AND community_id = ?2"
                };
                if conn.execute(sql, &[(*id).into(), (*owner).into()])? != 1 {
                    return Err(Error::plain(
                        format!("{table} 第 {id} 行已不存在；未写入任何内容"),
                        format!("{table} row {id} no longer exists; nothing was written"),
                    )
                    .into());
                }
            }
        }
    }
    Ok(EntryParts {
        community_id: plan.community_id,
        project_id: plan.project_id,
        before: Value::Object(plan.before.clone()),
        after: Value::Object(plan.after.clone()),
        reverses: Some(plan.entry),
    })
}
