//! The rows an adjustment reads and compares: a project as stored, and the names shown with ids.

use super::error::Result;
use crate::store::rows;
use crate::store::rows::Source;
use serde::Serialize;
use serde_json::{Value, json};

/// A project's columns exactly as stored, captured when a form opens and compared when it is
/// saved: if the row differs by then, another terminal changed it. The store's one project row.
pub type ProjectState = crate::store::rows::project::ProjectRow;

/// The columns of a project that adjustments change and the log records.
pub(crate) const PROJECT_COLUMNS: &[&str] = &[
    "community_id",
    "unit_id",
    "title",
    "due_on",
    "status",
    "done_on",
];

impl ProjectState {
    /// One column as the log writes it in JSON.
    pub(crate) fn column(&self, column: &str) -> Value {
        match column {
            "id" => json!(self.id),
            "community_id" => json!(self.community_id),
            "unit_id" => json!(self.unit_id),
            "title" => json!(self.title),
            "due_on" => json!(self.due_on),
            "status" => json!(self.status),
            "done_on" => json!(self.done_on),
            _ => Value::Null,
        }
    }

    /// `#12「健康讲座」` / `#12 (健康讲座)`, the title made safe for a terminal.
    pub(crate) fn name(&self, zh: bool) -> String {
        let title = crate::fields::shown(&self.title);
        if zh {
            format!("#{}「{title}」", self.id)
        } else {
            format!("#{} ({title})", self.id)
        }
    }
}

/// Reads a project as stored; `None` when there is no such project. A row another tool left
/// unreadable (a community id that is not a number) is refused with its notice.
pub fn project_state(conn: &dyn Source, id: i64) -> Result<Option<ProjectState>> {
    let mut problems = Vec::new();
    let row = crate::store::rows::project::by_id(conn, id, &mut problems)?;
    match problems.pop() {
        Some(problem) => Err(crate::error::Error::plain(
            problem.message(crate::i18n::Lang::Zh),
            problem.message(crate::i18n::Lang::En),
        )
        .into()),
        None => Ok(row),
    }
}

/// A lead unit to pick in a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitChoice {
    pub id: i64,
    pub name: String,
    pub kind: String,
}

/// The units whose name, kind or id contains `query` (all of them for an empty query), by id.
pub fn unit_choices(conn: &dyn Source, query: &str) -> Result<Vec<UnitChoice>> {
    let query = query.trim().to_lowercase();
    let mut ignored = Vec::new();
    Ok(rows::unit::all(conn, &mut ignored)?
        .into_iter()
        .map(|u| UnitChoice {
            id: u.id,
            name: u.name,
            kind: u.kind,
        })
        .filter(|choice| {
            query.is_empty()
                || choice.name.to_lowercase().contains(&query)
                || choice.kind.to_lowercase().contains(&query)
                || choice.id.to_string() == query
        })
        .collect())
}

pub(crate) fn unit_name(conn: &dyn Source, id: i64) -> Result<Option<String>> {
    Ok(rows::unit::by_id(conn, id, &mut Vec::new())?.map(|u| u.name))
}

pub(crate) fn unit_by_name(conn: &dyn Source, name: &str) -> Result<Option<i64>> {
    Ok(rows::unit::by_name(conn, name, &mut Vec::new())?.map(|u| u.id))
}

pub(crate) fn community_name(conn: &dyn Source, id: i64) -> Result<Option<String>> {
    Ok(rows::community::by_id(conn, id, &mut Vec::new())?.map(|c| c.name))
}

/// A lead unit as the confirm screen shows it: `#3 西江区人民医院`, empty for none.
pub(crate) fn unit_text(conn: &dyn Source, id: Option<i64>) -> Result<String> {
    Ok(match id {
        None => String::new(),
        Some(id) => match unit_name(conn, id)? {
            Some(name) => format!("#{id} {}", crate::fields::shown(&name)),
            None => format!("#{id}"),
        },
    })
}

/// The row readers the store uses, tolerant of what other tools store.
pub(crate) use crate::store::{int, opt_int, opt_text, text};
