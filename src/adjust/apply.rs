//! Previewing an action and applying it: the change and its log entry in one transaction.

use super::action::{Action, MeetingKind, rules, value_rules};
use super::error::{AdjustError, Result};
use super::project::{self, ProjectState};
use super::records::{self, RecordEffect};
use super::undo::{self, UndoPlan};
use crate::dates::format_ymd;
use crate::error::Error;
use crate::fields::{self, FieldError, key};
use crate::i18n::Lang;
use crate::model::Status;
use crate::store::WriteStore;
use crate::store::rows::{Source, Writer};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// One line of a confirm screen or of a "what changed" message: a field, before → after.
///
/// Values are as stored, except lead units, shown as `#3 name`. An empty value means none;
/// [`Change::before_text`] and [`Change::after_text`] say so and translate statuses and
/// meeting kinds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

impl Change {
    pub(crate) fn new(
        field: impl Into<String>,
        before: impl Into<String>,
        after: impl Into<String>,
    ) -> Change {
        Change {
            field: field.into(),
            before: before.into(),
            after: after.into(),
        }
    }

    /// The field's name on screen (the raw key for a field gongjian does not know).
    pub fn label(&self, lang: Lang) -> &str {
        match lang.t(fields::label(&self.field)) {
            "" => &self.field,
            known => known,
        }
    }

    pub fn before_text(&self, lang: Lang) -> String {
        value_text(&self.field, &self.before, lang)
    }

    pub fn after_text(&self, lang: Lang) -> String {
        value_text(&self.field, &self.after, lang)
    }

    /// `截止日期：2026-10-01 → 2026-12-31`
    pub fn line(&self, lang: Lang) -> String {
        let sep = lang.pick("：", ": ");
        format!(
            "{}{sep}{} → {}",
            self.label(lang),
            self.before_text(lang),
            self.after_text(lang)
        )
    }
}

/// The field of a conversion's preview that names the new project: its title, due date and
/// lead unit, joined by [`SEP`] and put in words by [`value_text`].
const SUCCESSOR: &str = "successor_preview";
const SEP: &str = "\u{1f}";

fn value_text(field: &str, value: &str, lang: Lang) -> String {
    if value.is_empty() {
        return lang.pick("（无）", "(none)").to_string();
    }
    if field == SUCCESSOR {
        let mut parts = value.split(SEP).map(crate::text::clean);
        let (title, due, unit) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        return match (lang, unit.is_empty()) {
            (Lang::Zh, true) => format!("{title}（截止 {due}，社区自办）"),
            (Lang::Zh, false) => format!("{title}（截止 {due}，牵头单位 {unit}）"),
            (Lang::En, true) => format!("{title} (due {due}, run by the community)"),
            (Lang::En, false) => format!("{title} (due {due}, lead unit {unit})"),
        };
    }
    match value {
        "true" => return lang.pick("是", "yes").to_string(),
        "false" => return lang.pick("否", "no").to_string(),
        _ => {}
    }
    if field == "status" || field.ends_with("_status") {
        if let Some(status) = Status::from_code(value) {
            return status.word(lang).to_string();
        }
    } else if field == key::KIND
        && let Some(kind) = MeetingKind::from_code(value)
    {
        return lang.t(kind.label()).to_string();
    } else if field == "outcome"
        && let Some(outcome) = crate::vocab::Outcome::from_code(value)
    {
        return lang.t(outcome.label()).to_string();
    } else if field == "decision_state"
        && let Some(state) = crate::vocab::DecisionState::from_code(value)
    {
        return lang.t(state.label()).to_string();
    } else if field == key::GRADE
        && let Some(grade) = crate::vocab::Grade::from_code(value)
    {
        return grade.word(lang).to_string();
    } else if field == key::SUBJECT
        && let Some(subject) = crate::vocab::Subject::from_code(value)
    {
        return subject.word(lang).to_string();
    } else if field == key::ASSESSOR
        && let Some(assessor) = crate::vocab::Assessor::from_code(value)
    {
        return assessor.word(lang).to_string();
    }
    crate::text::clean(value)
}

/// The changes between two states of a project, each column that differs.
pub(crate) fn diff(
    conn: &dyn Source,
    from: &ProjectState,
    to: &ProjectState,
) -> Result<Vec<Change>> {
    let mut out = Vec::new();
    for column in project::PROJECT_COLUMNS {
        let (a, b) = (from.column(column), to.column(column));
        if a != b {
            out.push(Change::new(
                *column,
                display(conn, column, &a)?,
                display(conn, column, &b)?,
            ));
        }
    }
    Ok(out)
}

/// A JSON value of the log as a [`Change`] shows it.
pub(crate) fn display(conn: &dyn Source, column: &str, value: &Value) -> Result<String> {
    Ok(match value {
        Value::Null => String::new(),
        Value::Number(n) if column == "unit_id" => project::unit_text(conn, n.as_i64())?,
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Object(map) => map
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "id" | "project_id" | "community_id"))
            .map(|(k, v)| match v {
                Value::String(s) => format!("{k}={s}"),
                other => format!("{k}={other}"),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Value::Array(_) => value.to_string(),
    })
}

/// The project columns an adjustment may set, by name (never a name read from elsewhere).
pub(crate) fn static_column(name: &str) -> Option<&'static str> {
    project::PROJECT_COLUMNS
        .iter()
        .copied()
        .find(|c| *c == name)
}

/// The project changed after the form that edits it was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The project as the form saw it.
    pub expected: ProjectState,
    /// The project as it is now: re-open the form on these values.
    pub current: ProjectState,
    /// Each column that differs: before = what the form saw, after = what it is now.
    pub changes: Vec<Change>,
}

impl Conflict {
    pub fn message(&self, lang: Lang) -> String {
        let what = self
            .changes
            .iter()
            .map(|c| c.line(lang))
            .collect::<Vec<_>>()
            .join(lang.pick("；", "; "));
        match lang {
            Lang::Zh => format!(
                "项目 {} 在表单打开后已被修改（可能是另一台终端）：{what}。未写入任何内容；请按当前值重新打开表单",
                self.current.name(true)
            ),
            Lang::En => format!(
                "project {} was changed after the form was opened (another terminal?): {what}. Nothing was written; reopen the form on the current values",
                self.current.name(false)
            ),
        }
    }
}

/// A project to be created by `convert` or `add-project`.
#[derive(Debug, Clone)]
pub(crate) struct NewProject {
    community_id: i64,
    unit_id: Option<i64>,
    title: String,
    due_on: String,
    /// The need the project answers (add-project only).
    need_id: Option<i64>,
}

/// What an action does to the file, worked out before anything is written.
pub(crate) enum Effect {
    /// Columns of one project set to new values.
    Update {
        project: ProjectState,
        set: Vec<(&'static str, Value)>,
    },
    Convert {
        project: ProjectState,
        successor: NewProject,
    },
    Activity {
        project: ProjectState,
        held_on: String,
        planned: i64,
        actual: i64,
    },
    Meeting {
        community: i64,
        kind: MeetingKind,
        held_on: String,
        attendees: Option<i64>,
        note: String,
    },
    AddProject(NewProject),
    /// The recording kinds of contract version 2 (`records.rs`).
    Record(RecordEffect),
    Undo(UndoPlan),
}

/// Checks the action against the file as it is now and works out its effect.
fn effect(conn: &dyn Source, action: &Action) -> Result<Effect> {
    if let Action::Undo { entry } = action {
        return Ok(Effect::Undo(undo::plan(conn, *entry)?));
    }
    let errors = rules(conn, action)?;
    if !errors.is_empty() {
        return Err(AdjustError::Invalid(errors));
    }
    if let Some(record) = records::effect(conn, action)? {
        return Ok(Effect::Record(record));
    }
    let new_project = |community_id, unit_id, title: &String, due| NewProject {
        community_id,
        unit_id,
        title: title.clone(),
        due_on: format_ymd(due),
        need_id: None,
    };
    match action {
        Action::Meeting {
            community,
            kind,
            held_on,
            attendees,
            note,
        } => {
            return Ok(Effect::Meeting {
                community: *community,
                kind: *kind,
                held_on: format_ymd(*held_on),
                attendees: *attendees,
                note: note.clone(),
            });
        }
        Action::AddProject {
            community,
            title,
            unit,
            due,
            need,
        } => {
            return Ok(Effect::AddProject(NewProject {
                need_id: *need,
                ..new_project(*community, *unit, title, *due)
            }));
        }
        _ => {}
    }
    let id = action.project().unwrap_or_default();
    let project = project::project_state(conn, id)?.ok_or_else(|| {
        AdjustError::Invalid(vec![FieldError::new(
            key::PROJECT,
            format!("没有编号为 {id} 的项目"),
            format!("there is no project with id {id}"),
        )])
    })?;
    let status = |s: Status| ("status", json!(s.code()));
    let set = match action {
        Action::Reschedule { due, .. } => vec![("due_on", json!(format_ymd(*due)))],
        Action::Pause { .. } => vec![status(Status::Paused)],
        Action::Resume { .. } => vec![status(Status::Active)],
        Action::Cancel { .. } => vec![status(Status::Cancelled)],
        Action::Done { done_on, .. } => {
            vec![
                status(Status::Done),
                ("done_on", json!(format_ymd(*done_on))),
            ]
        }
        Action::Revise { title, unit, .. } => {
            let mut set = Vec::new();
            if let Some(t) = title.as_ref().filter(|t| **t != project.title) {
                set.push(("title", json!(t)));
            }
            if let Some(u) = unit.filter(|u| *u != project.unit_id) {
                set.push(("unit_id", json!(u)));
            }
            set
        }
        Action::Convert {
            title, unit, due, ..
        } => {
            let successor = new_project(project.community_id, *unit, title, *due);
            return Ok(Effect::Convert { project, successor });
        }
        Action::Activity {
            held_on,
            planned,
            actual,
            ..
        } => {
            return Ok(Effect::Activity {
                project,
                held_on: format_ymd(*held_on),
                planned: *planned,
                actual: *actual,
            });
        }
        _ => Vec::new(),
    };
    Ok(Effect::Update { project, set })
}

/// The before → after lines of an effect, for the confirm screen.
fn changes(conn: &dyn Source, effect: &Effect) -> Result<Vec<Change>> {
    let show = |column: &str, value: &Value| display(conn, column, value);
    Ok(match effect {
        Effect::Update { project, set } => {
            let mut out = Vec::new();
            for (column, value) in set {
                out.push(Change::new(
                    *column,
                    show(column, &project.column(column))?,
                    show(column, value)?,
                ));
            }
            out
        }
        // Read as what it is: this project ends, a new one starts (not a rename).
        Effect::Convert { project, successor } => {
            let unit = match successor.unit_id {
                None => String::new(),
                Some(id) => project::unit_name(conn, id)?.unwrap_or_else(|| format!("#{id}")),
            };
            vec![
                Change::new("status", &project.status, Status::Cancelled.code()),
                Change::new(
                    SUCCESSOR,
                    "",
                    [successor.title.as_str(), &successor.due_on, &unit].join(SEP),
                ),
            ]
        }
        Effect::Activity {
            held_on,
            planned,
            actual,
            ..
        } => vec![
            Change::new(key::HELD_ON, "", held_on),
            Change::new(key::PLANNED, "", planned.to_string()),
            Change::new(key::ACTUAL, "", actual.to_string()),
        ],
        Effect::Meeting {
            kind,
            held_on,
            attendees,
            note,
            ..
        } => vec![
            Change::new(key::KIND, "", kind.code()),
            Change::new(key::HELD_ON, "", held_on),
            Change::new(
                key::ATTENDEES,
                "",
                attendees.map(|n| n.to_string()).unwrap_or_default(),
            ),
            Change::new(key::NOTE, "", note),
        ],
        Effect::AddProject(p) => vec![
            Change::new(key::TITLE, "", &p.title),
            Change::new("unit_id", "", project::unit_text(conn, p.unit_id)?),
            Change::new("due_on", "", &p.due_on),
            Change::new(
                "need_id",
                "",
                p.need_id.map(|n| format!("#{n}")).unwrap_or_default(),
            ),
        ],
        Effect::Record(record) => records::changes(conn, record)?,
        Effect::Undo(plan) => plan.changes.clone(),
    })
}

/// What the confirm screen shows: each field, before → after. Checks the action against the
/// file as it is now ([`Error::Invalid`], and for an undo [`AdjustError::AlreadyUndone`] or
/// [`Error::UndoStale`]); writes nothing.
pub fn preview(conn: &dyn Source, action: &Action) -> Result<Vec<Change>> {
    let errors = value_rules(action);
    if !errors.is_empty() {
        return Err(AdjustError::Invalid(errors));
    }
    // One moment of the district: SQLite reads in a transaction of its own (a server's read
    // is one already).
    let mut out = match conn.sqlite() {
        Some(file) => {
            let tx = file.unchecked_transaction()?;
            let out = changes(&tx, &effect(&tx, action)?)?;
            tx.finish()?;
            out
        }
        None => changes(conn, &effect(conn, action)?)?,
    };
    // A new row's empty optional fields say nothing worth confirming.
    out.retain(|c| c.before != c.after);
    Ok(out)
}

/// Applies `action` and writes its log entry, in one IMMEDIATE transaction; returns the new
/// entry's id. Nothing is written on any error.
///
/// `expected` is the project as the form saw it when it opened ([`super::project_state`]):
/// if the row differs now, [`Error::Conflict`] carries the current values. `now` is the
/// entry's time (RFC 3339, UTC). Operator and reason are trimmed and must not be blank.
pub fn apply(
    store: &mut impl WriteStore,
    action: &Action,
    operator: &str,
    reason: &str,
    now: DateTime<Utc>,
    expected: Option<&ProjectState>,
) -> Result<i64> {
    let mut errors = Vec::new();
    let operator = fields::required_text(key::OPERATOR, operator, fields::MAX_OPERATOR)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let reason = fields::required_text(key::REASON, reason, fields::MAX_REASON)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    errors.extend(value_rules(action));
    if !errors.is_empty() {
        return Err(AdjustError::Invalid(errors));
    }
    let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    let id = store.write_on(|tx| {
        if let (Some(expected), Some(project)) = (expected, action.project()) {
            check_unchanged(tx, expected, project)?;
        }
        let effect = effect(tx, action)?;
        let entry = execute(tx, &effect)?;
        insert_entry(tx, &at, &operator, action.kind().key(), &reason, &entry)
    })?;
    Ok(id)
}

/// The project is as the form saw it, or [`Error::Conflict`].
fn check_unchanged(conn: &dyn Source, expected: &ProjectState, project: i64) -> Result<()> {
    if expected.id != project {
        return Err(Error::plain(
            format!(
                "表单打开时的项目 #{} 与要调整的项目 #{project} 不一致；未写入任何内容",
                expected.id
            ),
            format!(
                "the form was opened on project #{} but the action is on project #{project}; nothing was written",
                expected.id
            ),
        ).into());
    }
    let Some(current) = project::project_state(conn, project)? else {
        return Err(AdjustError::Invalid(vec![FieldError::new(
            key::PROJECT,
            format!("项目 #{project} 在表单打开后已被删除（可能是其他程序）；未写入任何内容"),
            format!(
                "project #{project} was deleted after the form was opened (by another program?); nothing was written"
            ),
        )]));
    };
    if current == *expected {
        return Ok(());
    }
    let changes = diff(conn, expected, &current)?;
    Err(AdjustError::Conflict(Box::new(Conflict {
        expected: expected.clone(),
        current,
        changes,
    })))
}

/// What the log entry of an executed effect records.
pub(crate) struct EntryParts {
    pub community_id: Option<i64>,
    pub project_id: Option<i64>,
    pub before: Value,
    pub after: Value,
    pub reverses: Option<i64>,
}

fn object(pairs: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    Value::Object(
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<Map<_, _>>(),
    )
}

/// SQLite's value for a JSON scalar of the log.
pub(crate) fn sql_value(value: &Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as Sql;
    match value {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(i64::from(*b)),
        Value::Number(n) => n
            .as_i64()
            .map(Sql::Integer)
            .or_else(|| n.as_f64().map(Sql::Real))
            .unwrap_or(Sql::Null),
        Value::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}

/// Sets one column of one project; the column name is one of [`project::PROJECT_COLUMNS`].
pub(crate) fn set_project_column(
    conn: &dyn Writer,
    id: i64,
    column: &'static str,
    value: &Value,
) -> Result<()> {
    let value = sql_value(value);
    let changed = conn.execute(
        &format!("UPDATE project SET {column} = ?1 WHERE id = ?2"),
        &[(&value).into(), id.into()],
    )?;
    if changed != 1 {
        return Err(Error::plain(
            format!("项目 #{id} 已不存在；未写入任何内容"),
            format!("project #{id} no longer exists; nothing was written"),
        )
        .into());
    }
    Ok(())
}

fn insert_project(conn: &dyn Writer, p: &NewProject) -> Result<Value> {
    let id = conn.insert(
        "INSERT INTO project (community_id, unit_id, title, due_on, status) VALUES (?1, ?2, ?3, ?4, 'active')",
        &[
            p.community_id.into(),
            p.unit_id.into(),
            p.title.as_str().into(),
            p.due_on.as_str().into(),
        ],
    )?;
    if let Some(need) = p.need_id {
        conn.execute(
            "UPDATE project SET need_id = ?1 WHERE id = ?2",
            &[need.into(), id.into()],
        )?;
    }
    let mut row = object([
        ("id", json!(id)),
        ("community_id", json!(p.community_id)),
        ("unit_id", json!(p.unit_id)),
        ("title", json!(p.title)),
        ("due_on", json!(p.due_on)),
        ("status", json!(Status::Active.code())),
        ("done_on", Value::Null),
    ]);
    if let (Some(need), Some(map)) = (p.need_id, row.as_object_mut()) {
        map.insert("need_id".into(), json!(need));
    }
    Ok(row)
}

/// Makes the change; returns what its log entry records.
fn execute(conn: &dyn Writer, effect: &Effect) -> Result<EntryParts> {
    Ok(match effect {
        Effect::Update { project, set } => {
            let mut before = Map::new();
            let mut after = Map::new();
            for (column, value) in set {
                before.insert((*column).into(), project.column(column));
                after.insert((*column).into(), value.clone());
                set_project_column(conn, project.id, column, value)?;
            }
            EntryParts {
                community_id: Some(project.community_id),
                project_id: Some(project.id),
                before: Value::Object(before),
                after: Value::Object(after),
                reverses: None,
            }
        }
        Effect::Convert { project, successor } => {
            let cancelled = json!(Status::Cancelled.code());
            set_project_column(conn, project.id, "status", &cancelled)?;
            let row = insert_project(conn, successor)?;
            EntryParts {
                community_id: Some(project.community_id),
                project_id: Some(project.id),
                before: object([("status", project.column("status"))]),
                after: object([
                    ("status", cancelled),
                    ("successor", row["id"].clone()),
                    ("successor_project", row),
                ]),
                reverses: None,
            }
        }
        Effect::Activity {
            project,
            held_on,
            planned,
            actual,
        } => {
            let id = conn.insert(
                "INSERT INTO activity (project_id, held_on, planned, actual) VALUES (?1, ?2, ?3, ?4)",
                &[
                    project.id.into(),
                    held_on.as_str().into(),
                    (*planned).into(),
                    (*actual).into(),
                ],
            )?;
            let row = object([
                ("id", json!(id)),
                ("project_id", json!(project.id)),
                ("held_on", json!(held_on)),
                ("planned", json!(planned)),
                ("actual", json!(actual)),
            ]);
            EntryParts {
                community_id: Some(project.community_id),
                project_id: Some(project.id),
                before: json!({}),
                after: object([("activity", row)]),
                reverses: None,
            }
        }
        Effect::Meeting {
            community,
            kind,
            held_on,
            attendees,
            note,
        } => {
            let id = conn.insert(
                "INSERT INTO meeting (community_id, kind, held_on, attendees, note) VALUES (?1, ?2, ?3, ?4, ?5)",
                &[
                    (*community).into(),
                    kind.code().into(),
                    held_on.as_str().into(),
                    (*attendees).into(),
                    note.as_str().into(),
                ],
            )?;
            let row = object([
                ("id", json!(id)),
                ("community_id", json!(community)),
                ("kind", json!(kind.code())),
                ("held_on", json!(held_on)),
                ("attendees", json!(attendees)),
                ("note", json!(note)),
            ]);
            EntryParts {
                community_id: Some(*community),
                project_id: None,
                before: json!({}),
                after: object([("meeting", row)]),
                reverses: None,
            }
        }
        Effect::AddProject(p) => {
            let row = insert_project(conn, p)?;
            EntryParts {
                community_id: Some(p.community_id),
                project_id: row["id"].as_i64(),
                before: json!({}),
                after: object([("project", row)]),
                reverses: None,
            }
        }
        Effect::Record(record) => records::execute(conn, record)?,
        Effect::Undo(plan) => undo::execute(conn, plan)?,
    })
}

/// Appends one entry to the log, inside the caller's transaction (the weekly review writes
/// its entries through here too).
pub(crate) fn insert_entry(
    conn: &dyn Writer,
    at: &str,
    operator: &str,
    action: &str,
    reason: &str,
    entry: &EntryParts,
) -> Result<i64> {
    let (before, after) = (entry.before.to_string(), entry.after.to_string());
    conn.insert(
        "INSERT INTO adjustment (at, operator, community_id, project_id, action, before, after, reason, reverses)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &[
            at.into(),
            operator.into(),
            entry.community_id.into(),
            entry.project_id.into(),
            action.into(),
            before.as_str().into(),
            after.as_str().into(),
            reason.into(),
            entry.reverses.into(),
        ],
    )
    .map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adjust::test_conn;
    use crate::dates::parse_ymd;

    fn day(text: &str) -> chrono::NaiveDate {
        parse_ymd(text).expect("date")
    }

    fn lines(action: Action, lang: Lang) -> Vec<String> {
        preview(&test_conn(), &action)
            .unwrap_or_else(|e| panic!("{action:?}: {}", e.message(Lang::En)))
            .iter()
            .map(|c| c.line(lang))
            .collect()
    }

    #[test]
    fn previews_show_before_and_after_in_the_users_words() {
        assert_eq!(
            lines(
                Action::Reschedule {
                    project: 1,
                    due: day("2027-01-31")
                },
                Lang::Zh
            ),
            ["截止日期：2026-12-20 → 2027-01-31"]
        );
        assert_eq!(
            lines(Action::Pause { project: 1 }, Lang::Zh),
            ["状态：进行中 → 暂停"]
        );
        assert_eq!(
            lines(Action::Resume { project: 2 }, Lang::En),
            ["status: paused → active"]
        );
        assert_eq!(
            lines(
                Action::Done {
                    project: 2,
                    done_on: day("2026-11-20")
                },
                Lang::En
            ),
            ["status: paused → done", "done date: (none) → 2026-11-20"]
        );
        assert_eq!(
            lines(
                Action::Convert {
                    project: 1,
                    title: "老年兴趣小组".into(),
                    unit: Some(2),
                    due: day("2027-06-30")
                },
                Lang::Zh
            ),
            [
                "状态：进行中 → 已终止",
                "接续项目：（无） → 老年兴趣小组（截止 2027-06-30，牵头单位 石羊塘小学）"
            ],
            "a conversion reads as an end and a new project, not as a rename"
        );
        assert_eq!(
            lines(
                Action::Convert {
                    project: 1,
                    title: "Seniors' club".into(),
                    unit: None,
                    due: day("2027-06-30")
                },
                Lang::En
            ),
            [
                "status: active → cancelled",
                "successor project: (none) → Seniors' club (due 2027-06-30, run by the community)"
            ]
        );
        assert_eq!(
            lines(
                Action::Revise {
                    project: 1,
                    title: None,
                    unit: Some(None)
                },
                Lang::En
            ),
            ["lead unit: #1 区人民医院 → (none)"]
        );
        assert_eq!(
            lines(
                Action::Activity {
                    project: 1,
                    held_on: day("2026-11-20"),
                    planned: 30,
                    actual: 24
                },
                Lang::En
            ),
            [
                "date: (none) → 2026-11-20",
                "planned: (none) → 30",
                "actual: (none) → 24"
            ]
        );
        assert_eq!(
            lines(
                Action::Meeting {
                    community: 1,
                    kind: MeetingKind::Quarterly,
                    held_on: day("2026-11-20"),
                    attendees: Some(15),
                    note: String::new()
                },
                Lang::Zh
            ),
            [
                "例会类型：（无） → 季度例会",
                "日期：（无） → 2026-11-20",
                "参会人数：（无） → 15",
            ]
        );
        assert_eq!(
            lines(
                Action::AddProject {
                    community: 2,
                    title: "垃圾分类督导".into(),
                    unit: None,
                    due: day("2027-03-31"),
                    need: None,
                },
                Lang::En
            ),
            [
                "title: (none) → 垃圾分类督导",
                "due date: (none) → 2027-03-31"
            ]
        );
    }

    #[test]
    fn preview_refuses_what_apply_would_refuse_and_writes_nothing() {
        let conn = test_conn();
        let count = || -> i64 {
            conn.query_row(
                "SELECT (SELECT count(*) FROM project) + (SELECT count(*) FROM adjustment)",
                [],
                |r| r.get(0),
            )
            .expect("count")
        };
        let before = count();
        for action in [
            Action::Pause { project: 2 },
            Action::Resume { project: 1 },
            Action::Cancel { project: 4 },
            Action::Reschedule {
                project: 99,
                due: day("2027-01-01"),
            },
            Action::AddProject {
                community: 1,
                title: String::new(),
                unit: None,
                due: day("2027-01-01"),
                need: None,
            },
            Action::Undo { entry: 1 },
        ] {
            let err = preview(&conn, &action).expect_err("refused");
            assert!(
                matches!(err, AdjustError::Invalid(_)),
                "{action:?}: {err:?}"
            );
        }
        preview(&conn, &Action::Cancel { project: 1 }).expect("valid");
        assert_eq!(count(), before);
    }

    #[test]
    fn a_conflict_names_each_changed_column() {
        let conn = test_conn();
        let expected = project::project_state(&conn, 1)
            .expect("read")
            .expect("row");
        conn.execute(
            "UPDATE project SET due_on = '2027-02-01', status = 'paused' WHERE id = 1",
            [],
        )
        .expect("other terminal");
        let err = check_unchanged(&conn, &expected, 1).expect_err("conflict");
        let AdjustError::Conflict(conflict) = &err else {
            panic!("{err:?}");
        };
        assert_eq!(conflict.current.due_on, "2027-02-01");
        assert_eq!(conflict.changes.len(), 2);
        let en = err.message(Lang::En);
        assert!(
            en.contains("due date: 2026-12-20 → 2027-02-01")
                && en.contains("status: active → paused")
                && en.contains("Nothing was written"),
            "{en}"
        );
        assert!(err.message(Lang::Zh).contains("重新打开表单"));
    }
}
