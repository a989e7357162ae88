//! The recording kinds of contract version 2 (issue "three more panels"): a project answers a
//! need, a survey, a member registers or leaves, service sessions, a resource used. Each
//! either inserts rows (undo deletes them, if they are still as inserted) or sets one column
//! of one row (undo sets it back, if it still holds the value set).
//!
//! What the log records:
//! - inserted rows whole: `after.survey`, `after.member`, `after.services` (a list: one row per
//!   member of a sign-in sheet);
//! - a set column with its row's id: `before.project = {id, need_id}` → `after.project`,
//!   `before.member = {id, left_on}`, `before.resource = {id, times_used}`.

use super::action::{Action, ActionKind};
use super::apply::{Change, EntryParts, sql_value};
use super::error::{AdjustError, Result};
use super::project;
use crate::dates::{format_ymd, parse_ymd};
use crate::error::Error;
use crate::fields::{self, FieldError, key};
use crate::store::rows;
use crate::store::rows::{Param, Source, Writer, query_one};
use crate::vocab::{Assessor, Subject};
use rusqlite::types::ValueRef;
use serde_json::{Map, Value, json};

/// The tables these kinds insert into or change, with the columns the log records (never a
/// name read from the log itself).
const TABLES: &[(&str, &[&str])] = &[
    (
        "survey",
        &["id", "project_id", "held_on", "respondents", "satisfied"],
    ),
    (
        "member",
        &[
            "id",
            "community_id",
            "unit_id",
            "name",
            "registered_on",
            "left_on",
        ],
    ),
    (
        "service",
        &[
            "id",
            "member_id",
            "served_on",
            "minutes",
            "project_id",
            "note",
        ],
    ),
    ("project", &["id", "need_id"]),
    ("resource", &["id", "times_used"]),
    (
        "assessment",
        &[
            "id",
            "year",
            "subject",
            "subject_id",
            "assessor",
            "grade",
            "note",
        ],
    ),
];

fn columns_of(table: &str) -> Option<(&'static str, &'static [&'static str])> {
    TABLES.iter().copied().find(|(t, _)| *t == table)
}

fn plain(zh: impl Into<String>, en: impl Into<String>) -> AdjustError {
    Error::plain(zh, en).into()
}

fn problems_to_error(problems: Vec<crate::model::DataProblem>) -> Result<()> {
    match problems.into_iter().next() {
        Some(p) => Err(plain(
            p.message(crate::i18n::Lang::Zh),
            p.message(crate::i18n::Lang::En),
        )),
        None => Ok(()),
    }
}

fn member_row(conn: &dyn Source, id: i64) -> Result<Option<rows::member::MemberRow>> {
    let mut problems = Vec::new();
    let row = rows::member::by_id(conn, id, &mut problems)?;
    problems_to_error(problems)?;
    Ok(row)
}

/// A member of `community` named by id or exact name (`field` is the form's field).
pub(super) fn member_ref(
    conn: &dyn Source,
    community: i64,
    field: &'static str,
    text: &str,
) -> Result<std::result::Result<i64, FieldError>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Err(FieldError::new(
            field,
            "不能为空：请填写党员的编号或姓名",
            "must not be blank: give the member's id or name",
        )));
    }
    if let Ok(id) = fields::id(field, text) {
        return Ok(Ok(id));
    }
    let mut problems = Vec::new();
    let found: Vec<i64> = rows::member::of_community(conn, community, &mut problems)?
        .into_iter()
        .filter(|m| m.name.trim() == text)
        .map(|m| m.id)
        .collect();
    let shown = fields::shown(text);
    Ok(match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(FieldError::new(
            field,
            format!("“{shown}”不是本社区已报到党员的姓名或编号：新党员请先登记报到"),
            format!(
                "\"{shown}\" is not the name or id of a member registered with this community: register a new member first"
            ),
        )),
        many => {
            let ids: Vec<String> = many.iter().map(|i| format!("#{i}")).collect();
            Err(FieldError::new(
                field,
                format!(
                    "本社区有多名党员叫“{shown}”（{}）：请填编号",
                    ids.join("、")
                ),
                format!(
                    "several members of this community are called \"{shown}\" ({}): give the id",
                    ids.join(", ")
                ),
            ))
        }
    })
}

/// Several members of `community`, by id or name, separated by commas, 、, ; or spaces; each
/// once. One message names every problem in the list.
pub(super) fn members_ref(
    conn: &dyn Source,
    community: i64,
    text: &str,
) -> Result<std::result::Result<Vec<i64>, FieldError>> {
    let parts: Vec<&str> = text
        .split(|c: char| matches!(c, ',' | '，' | '、' | ';' | '；') || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return Ok(Err(FieldError::new(
            key::MEMBERS,
            "不能为空：请填写党员的编号或姓名，多人用逗号或顿号隔开",
            "must not be blank: give members' ids or names, separated by commas",
        )));
    }
    let mut ids = Vec::new();
    let (mut zh, mut en) = (Vec::new(), Vec::new());
    for part in parts {
        match member_ref(conn, community, key::MEMBERS, part)? {
            Ok(id) if ids.contains(&id) => {
                zh.push(format!("“{}”重复", fields::shown(part)));
                en.push(format!("\"{}\" is listed twice", fields::shown(part)));
            }
            Ok(id) => ids.push(id),
            Err(e) => {
                zh.push(e.zh);
                en.push(e.en);
            }
        }
    }
    Ok(if zh.is_empty() {
        Ok(ids)
    } else {
        Err(FieldError::new(key::MEMBERS, zh.join("；"), en.join("; ")))
    })
}

/// A resource of `community` named by id or exact title.
pub(super) fn resource_ref(
    conn: &dyn Source,
    community: i64,
    text: &str,
) -> Result<std::result::Result<i64, FieldError>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Err(FieldError::new(
            key::RESOURCE,
            "不能为空：请填写资源的编号或名称",
            "must not be blank: give the resource's id or title",
        )));
    }
    if let Ok(id) = fields::id(key::RESOURCE, text) {
        return Ok(Ok(id));
    }
    let mut problems = Vec::new();
    let found: Vec<i64> = rows::resource::of_community(conn, community, &mut problems)?
        .into_iter()
        .filter(|r| r.title.trim() == text)
        .map(|r| r.id)
        .collect();
    let shown = fields::shown(text);
    Ok(match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(FieldError::new(
            key::RESOURCE,
            format!("“{shown}”不是本社区资源清单中的资源名称或编号"),
            format!("\"{shown}\" is not the title or id of a resource of this community"),
        )),
        _ => Err(FieldError::new(
            key::RESOURCE,
            format!("本社区有多项资源叫“{shown}”：请填编号"),
            format!("several resources of this community are called \"{shown}\": give the id"),
        )),
    })
}

/// The need exists (any community may answer it).
pub(super) fn need_exists(conn: &dyn Source, need: i64) -> Result<Vec<FieldError>> {
    let mut problems = Vec::new();
    let row = rows::need::by_id(conn, need, &mut problems)?;
    problems_to_error(problems)?;
    Ok(if row.is_some() {
        Vec::new()
    } else {
        vec![FieldError::new(
            key::NEED,
            format!("没有编号为 {need} 的需求：请填写需求清单中的编号"),
            format!("there is no need with id {need}: give the id of a need in the needs list"),
        )]
    })
}

/// The member belongs to `community`; their dates allow `on`.
fn member_in(
    conn: &dyn Source,
    community: i64,
    member: i64,
    field: &'static str,
) -> Result<std::result::Result<rows::member::MemberRow, FieldError>> {
    Ok(match member_row(conn, member)? {
        Some(m) if m.community_id == community => Ok(m),
        Some(m) => Err(FieldError::new(
            field,
            format!(
                "党员 #{member}（{}）不是在本社区报到的",
                fields::shown(&m.name)
            ),
            format!(
                "member #{member} ({}) is registered with another community",
                fields::shown(&m.name)
            ),
        )),
        None => Err(FieldError::new(
            field,
            format!("没有编号为 {member} 的党员"),
            format!("there is no member with id {member}"),
        )),
    })
}

/// The rules of these kinds that depend on the file (the target itself is checked already).
pub(super) fn rules(conn: &dyn Source, action: &Action) -> Result<Vec<FieldError>> {
    let mut errors = Vec::new();
    match action {
        Action::LinkNeed { project, need } => {
            errors.extend(need_exists(conn, *need)?);
            let mut problems = Vec::new();
            if errors.is_empty()
                && rows::need::of_project(conn, *project, &mut problems)? == Some(*need)
            {
                errors.push(FieldError::new(
                    key::NEED,
                    format!("项目 #{project} 已对接需求 #{need}"),
                    format!("project #{project} already answers need #{need}"),
                ));
            }
        }
        Action::AddMember { unit: Some(id), .. } if project::unit_name(conn, *id)?.is_none() => {
            errors.push(FieldError::new(
                key::WORKPLACE,
                format!("没有编号为 {id} 的驻区单位：请从单位列表中选择，或留空"),
                format!(
                    "there is no unit with id {id}: pick one from the unit list, or leave it blank"
                ),
            ));
        }
        Action::MemberLeft {
            community,
            member,
            left_on,
        } => match member_in(conn, *community, *member, key::MEMBER)? {
            Err(e) => errors.push(e),
            Ok(m) => {
                if let Some(left) = &m.left_on {
                    errors.push(FieldError::new(
                        key::MEMBER,
                        format!(
                            "党员 {} 已于 {} 离开本社区",
                            fields::shown(&m.name),
                            fields::shown(left)
                        ),
                        format!(
                            "member {} already left on {}",
                            fields::shown(&m.name),
                            fields::shown(left)
                        ),
                    ));
                } else if parse_ymd(&m.registered_on).is_some_and(|r| *left_on < r) {
                    errors.push(FieldError::new(
                        key::LEFT_ON,
                        format!("早于报到日期 {}", m.registered_on),
                        format!("is before the registration date {}", m.registered_on),
                    ));
                }
            }
        },
        Action::Service {
            community,
            members,
            served_on,
            project,
            ..
        } => {
            let (mut zh, mut en) = (Vec::new(), Vec::new());
            for member in members {
                match member_in(conn, *community, *member, key::MEMBERS)? {
                    Err(e) => {
                        zh.push(e.zh);
                        en.push(e.en);
                    }
                    Ok(m) => {
                        let name = fields::shown(&m.name);
                        let day = format_ymd(*served_on);
                        if parse_ymd(&m.registered_on).is_some_and(|r| *served_on < r) {
                            zh.push(format!("{name} 于 {} 才报到，早于 {day}", m.registered_on));
                            en.push(format!(
                                "{name} registered on {}, after {day}",
                                m.registered_on
                            ));
                        } else if let Some(left) = m.left_on.as_deref().and_then(parse_ymd)
                            && *served_on > left
                        {
                            zh.push(format!("{name} 已于 {} 离开本社区", format_ymd(left)));
                            en.push(format!("{name} left on {}", format_ymd(left)));
                        }
                    }
                }
            }
            if !zh.is_empty() {
                errors.push(FieldError::new(key::MEMBERS, zh.join("；"), en.join("; ")));
            }
            if let Some(p) = project
                && project::project_state(conn, *p)?.is_none()
            {
                errors.push(FieldError::new(
                    key::PROJECT,
                    format!("没有编号为 {p} 的项目：请填写项目编号，或留空"),
                    format!(
                        "there is no project with id {p}: give a project id, or leave it blank"
                    ),
                ));
            }
        }
        Action::ResourceUse {
            community,
            resource,
            times,
        } => match resource_row(conn, *resource)? {
            Some(r) if r.community_id == *community => {
                if r.times_used.saturating_add(*times) > i64::from(i32::MAX) {
                    errors.push(FieldError::new(
                        key::TIMES,
                        "使用次数过大",
                        "the times used would be too large",
                    ));
                }
            }
            Some(_) => errors.push(FieldError::new(
                key::RESOURCE,
                format!("资源 #{resource} 不属于本社区"),
                format!("resource #{resource} belongs to another community"),
            )),
            None => errors.push(FieldError::new(
                key::RESOURCE,
                format!("没有编号为 {resource} 的资源"),
                format!("there is no resource with id {resource}"),
            )),
        },
        _ => {}
    }
    Ok(errors)
}

fn resource_row(conn: &dyn Source, id: i64) -> Result<Option<rows::resource::ResourceRow>> {
    let mut problems = Vec::new();
    let row = rows::resource::of_id(conn, id, &mut problems)?;
    problems_to_error(problems)?;
    Ok(row)
}

/// What one of these actions writes.
pub(crate) enum RecordEffect {
    /// Rows inserted into `table`; logged under `log_key` (a list when `many`).
    Insert {
        table: &'static str,
        log_key: &'static str,
        community_id: i64,
        project_id: Option<i64>,
        rows: Vec<Vec<(&'static str, Value)>>,
        many: bool,
        /// How the preview names each row (a member's name for a service).
        names: Vec<String>,
    },
    /// Columns of one row set: (column, before, after).
    Set {
        table: &'static str,
        id: i64,
        community_id: i64,
        project_id: Option<i64>,
        set: Vec<(&'static str, Value, Value)>,
    },
}

/// The effect of one of these actions, or `None` for the other kinds. The rules have passed.
pub(crate) fn effect(conn: &dyn Source, action: &Action) -> Result<Option<RecordEffect>> {
    let community_of = |project: i64| -> Result<i64> {
        project::project_state(conn, project)?
            .map(|p| p.community_id)
            .ok_or_else(|| {
                AdjustError::Invalid(vec![FieldError::new(
                    key::PROJECT,
                    format!("没有编号为 {project} 的项目"),
                    format!("there is no project with id {project}"),
                )])
            })
    };
    Ok(Some(match action {
        Action::LinkNeed { project, need } => {
            let mut problems = Vec::new();
            let before = rows::need::of_project(conn, *project, &mut problems)?;
            RecordEffect::Set {
                table: "project",
                id: *project,
                community_id: community_of(*project)?,
                project_id: Some(*project),
                set: vec![("need_id", json!(before), json!(need))],
            }
        }
        Action::Survey {
            project,
            held_on,
            respondents,
            satisfied,
        } => RecordEffect::Insert {
            table: "survey",
            log_key: "survey",
            community_id: community_of(*project)?,
            project_id: Some(*project),
            rows: vec![vec![
                ("project_id", json!(project)),
                ("held_on", json!(format_ymd(*held_on))),
                ("respondents", json!(respondents)),
                ("satisfied", json!(satisfied)),
            ]],
            many: false,
            names: Vec::new(),
        },
        Action::AddMember {
            community,
            name,
            unit,
            registered_on,
        } => RecordEffect::Insert {
            table: "member",
            log_key: "member",
            community_id: *community,
            project_id: None,
            rows: vec![vec![
                ("community_id", json!(community)),
                ("unit_id", json!(unit)),
                ("name", json!(name)),
                ("registered_on", json!(format_ymd(*registered_on))),
                ("left_on", Value::Null),
            ]],
            many: false,
            names: Vec::new(),
        },
        Action::MemberLeft {
            community,
            member,
            left_on,
        } => {
            let before = member_row(conn, *member)?.and_then(|m| m.left_on);
            RecordEffect::Set {
                table: "member",
                id: *member,
                community_id: *community,
                project_id: None,
                set: vec![("left_on", json!(before), json!(format_ymd(*left_on)))],
            }
        }
        Action::Service {
            community,
            members,
            served_on,
            minutes,
            project,
            note,
        } => {
            let mut names = Vec::new();
            for m in members {
                names.push(member_row(conn, *m)?.map(|r| r.name).unwrap_or_default());
            }
            RecordEffect::Insert {
                table: "service",
                log_key: "services",
                community_id: *community,
                project_id: None,
                rows: members
                    .iter()
                    .map(|m| {
                        vec![
                            ("member_id", json!(m)),
                            ("served_on", json!(format_ymd(*served_on))),
                            ("minutes", json!(minutes)),
                            ("project_id", json!(project)),
                            ("note", json!(note)),
                        ]
                    })
                    .collect(),
                many: true,
                names,
            }
        }
        Action::ResourceUse {
            community,
            resource,
            times,
        } => {
            let now = resource_row(conn, *resource)?
                .map(|r| r.times_used)
                .unwrap_or_default();
            RecordEffect::Set {
                table: "resource",
                id: *resource,
                community_id: *community,
                project_id: None,
                set: vec![("times_used", json!(now), json!(now + times))],
            }
        }
        Action::Grade {
            community,
            year,
            subject,
            subject_id,
            assessor,
            grade,
            note,
        } => match grade_row(conn, *year, *subject, *subject_id, *assessor)? {
            Some((id, old_grade, old_note)) => {
                let mut set = vec![("grade", json!(old_grade), json!(grade.code()))];
                if old_note != *note {
                    set.push(("note", json!(old_note), json!(note)));
                }
                RecordEffect::Set {
                    table: "assessment",
                    id,
                    community_id: *community,
                    project_id: None,
                    set,
                }
            }
            None => RecordEffect::Insert {
                table: "assessment",
                log_key: "assessment",
                community_id: *community,
                project_id: None,
                rows: vec![vec![
                    ("year", json!(year)),
                    ("subject", json!(subject.code())),
                    ("subject_id", json!(subject_id)),
                    ("assessor", json!(assessor.code())),
                    ("grade", json!(grade.code())),
                    ("note", json!(note)),
                ]],
                many: false,
                names: Vec::new(),
            },
        },
        _ => return Ok(None),
    }))
}

fn text_of(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `#36 困难群众帮扶`, or `#36` when the need is not in the file.
fn need_text(conn: &dyn Source, id: i64) -> Result<String> {
    let title: Option<String> = query_one(
        conn,
        "SELECT title FROM need WHERE id = ?1",
        &[id.into()],
        |r| r.get::<Option<String>>(0),
    )?
    .flatten();
    Ok(match title {
        Some(t) => format!("#{id} {}", crate::text::clean(&t)),
        None => format!("#{id}"),
    })
}

/// The confirm screen's lines.
pub(crate) fn changes(conn: &dyn Source, effect: &RecordEffect) -> Result<Vec<Change>> {
    Ok(match effect {
        RecordEffect::Insert {
            rows, names, many, ..
        } => {
            let mut out = Vec::new();
            if *many {
                out.push(Change::new(key::MEMBERS, "", names.join("、")));
            }
            if let Some(first) = rows.first() {
                for (column, value) in first {
                    if matches!(*column, "member_id" | "community_id")
                        || (!*many && *column == "project_id")
                    {
                        continue;
                    }
                    let (field, shown) = match (*column, value.as_i64()) {
                        // A member's unit is where they work.
                        ("unit_id", id) => (key::WORKPLACE, project::unit_text(conn, id)?),
                        // A grade's subject: the unit graded (by name), the unit of the
                        // contract graded; the community itself is the form's heading.
                        ("subject_id", id) => match graded_unit(conn, first, id)? {
                            Some(unit) => (key::GRADED_UNIT, unit),
                            None => continue,
                        },
                        ("project_id", Some(id)) => (key::PROJECT, format!("#{id}")),
                        _ => (*column, text_of(value)),
                    };
                    out.push(Change::new(field, "", shown));
                }
            }
            out
        }
        RecordEffect::Set { set, .. } => {
            let mut out = Vec::new();
            for (column, before, after) in set {
                // A need shows by its id and title (`#36 困难群众帮扶`), never by its id alone.
                let shown = |value: &Value| -> Result<String> {
                    match (*column, value.as_i64()) {
                        ("need_id", Some(id)) => Ok(need_text(conn, id)?),
                        _ => Ok(text_of(value)),
                    }
                };
                out.push(Change::new(*column, shown(before)?, shown(after)?));
            }
            out
        }
    })
}

/// The unit a grade's row names, as `#3 name`: the unit itself for a unit's grade, the
/// contract's unit for a contract's; `None` for the community's own grade.
fn graded_unit(
    conn: &dyn Source,
    row: &[(&'static str, Value)],
    subject_id: Option<i64>,
) -> Result<Option<String>> {
    let subject = row
        .iter()
        .find(|(c, _)| *c == "subject")
        .and_then(|(_, v)| v.as_str())
        .and_then(crate::vocab::Subject::from_code);
    let unit = match subject {
        Some(crate::vocab::Subject::Unit) => subject_id,
        Some(crate::vocab::Subject::Contract) => match subject_id {
            Some(id) => {
                crate::store::rows::contract::by_id(conn, id, &mut Vec::new())?.map(|c| c.unit_id)
            }
            None => None,
        },
        _ => return Ok(None),
    };
    Ok(Some(project::unit_text(conn, unit)?))
}

/// Writes the effect; returns what its log entry records.
pub(crate) fn execute(conn: &dyn Writer, effect: &RecordEffect) -> Result<EntryParts> {
    Ok(match effect {
        RecordEffect::Insert {
            table,
            log_key,
            community_id,
            project_id,
            rows,
            many,
            ..
        } => {
            let mut logged = Vec::new();
            for row in rows {
                let columns: Vec<&str> = row.iter().map(|(c, _)| *c).collect();
                let marks: Vec<String> = (1..=row.len()).map(|i| format!("?{i}")).collect();
                let sql = format!(
                    "INSERT INTO {table} ({}) VALUES ({})",
                    columns.join(", "),
                    marks.join(", ")
                );
                let values: Vec<rusqlite::types::Value> =
                    row.iter().map(|(_, v)| sql_value(v)).collect();
                let params: Vec<Param<'_>> = values.iter().map(Param::from).collect();
                let new_id = conn.insert(&sql, &params)?;
                let mut object = Map::new();
                object.insert("id".into(), json!(new_id));
                for (column, value) in row {
                    object.insert((*column).into(), value.clone());
                }
                logged.push(Value::Object(object));
            }
            let value = if *many {
                Value::Array(logged)
            } else {
                logged.pop().unwrap_or(Value::Null)
            };
            let mut after = Map::new();
            after.insert((*log_key).into(), value);
            EntryParts {
                community_id: Some(*community_id),
                project_id: *project_id,
                before: json!({}),
                after: Value::Object(after),
                reverses: None,
            }
        }
        RecordEffect::Set {
            table,
            id,
            community_id,
            project_id,
            set,
        } => {
            let mut was = Map::new();
            let mut now = Map::new();
            was.insert("id".into(), json!(id));
            now.insert("id".into(), json!(id));
            for (column, before, after) in set {
                set_column(conn, table, *id, column, after)?;
                was.insert((*column).into(), before.clone());
                now.insert((*column).into(), after.clone());
            }
            EntryParts {
                community_id: Some(*community_id),
                project_id: *project_id,
                before: json!({ *table: was }),
                after: json!({ *table: now }),
                reverses: None,
            }
        }
    })
}

fn set_column(conn: &dyn Writer, table: &str, id: i64, column: &str, value: &Value) -> Result<()> {
    let value = sql_value(value);
    let changed = conn.execute(
        &format!("UPDATE {table} SET {column} = ?1 WHERE id = ?2"),
        &[(&value).into(), id.into()],
    )?;
    if changed != 1 {
        return Err(plain(
            format!("{table} 第 {id} 行已不存在；未写入任何内容"),
            format!("{table} row {id} no longer exists; nothing was written"),
        ));
    }
    Ok(())
}

/// A cell as the log writes it in JSON.
fn json_of(value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => json!(i),
        ValueRef::Real(f) => json!(f),
        ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
        ValueRef::Blob(_) => json!("(blob)"),
    }
}

/// The logged columns of row `id` of `table` as they are now.
fn current(
    conn: &dyn Source,
    table: &'static str,
    columns: &[&'static str],
    id: i64,
) -> Result<Option<Map<String, Value>>> {
    let sql = format!("SELECT {} FROM {table} WHERE id = ?1", columns.join(", "));
    Ok(query_one(conn, &sql, &[id.into()], |row| {
        let mut map = Map::new();
        for (i, column) in columns.iter().enumerate() {
            map.insert((*column).into(), json_of(row.value(i)?));
        }
        Ok(map)
    })?)
}

/// One step of undoing one of these kinds.
pub(crate) enum RecordStep {
    Delete {
        table: &'static str,
        id: i64,
    },
    Set {
        table: &'static str,
        id: i64,
        column: &'static str,
        value: Value,
    },
}

/// The undo of one of these kinds, worked out against the file as it is now.
pub(crate) struct RecordUndo {
    pub steps: Vec<RecordStep>,
    pub changes: Vec<Change>,
    /// What moved since the entry: undoing would overwrite it.
    pub stale: Vec<Change>,
    pub before: Map<String, Value>,
    pub after: Map<String, Value>,
}

/// The undo of an entry of `kind` with its logged `before` / `after`; `Ok(None)` when the
/// kind is not one of these, `Err(())` when the entry is not in the form gongjian writes.
pub(crate) fn plan_undo(
    conn: &dyn Source,
    kind: ActionKind,
    before: &Map<String, Value>,
    after: &Map<String, Value>,
) -> Result<Option<std::result::Result<RecordUndo, ()>>> {
    let mut undo = RecordUndo {
        steps: Vec::new(),
        changes: Vec::new(),
        stale: Vec::new(),
        before: Map::new(),
        after: Map::new(),
    };
    let outcome = match kind {
        ActionKind::Survey => undo_insert(conn, "survey", "survey", after, &mut undo)?,
        ActionKind::AddMember => undo_insert(conn, "member", "member", after, &mut undo)?,
        ActionKind::Service => undo_insert(conn, "service", "services", after, &mut undo)?,
        ActionKind::LinkNeed => undo_set(conn, "project", before, after, &mut undo)?,
        ActionKind::MemberLeft => undo_set(conn, "member", before, after, &mut undo)?,
        ActionKind::ResourceUse => undo_set(conn, "resource", before, after, &mut undo)?,
        ActionKind::Grade => match (after.get("assessment"), before.get("assessment")) {
            (Some(_), Some(_)) => undo_set(conn, "assessment", before, after, &mut undo)?,
            _ => undo_insert(conn, "assessment", "assessment", after, &mut undo)?,
        },
        _ => return Ok(None),
    };
    Ok(Some(outcome.map(|()| undo)))
}

fn undo_insert(
    conn: &dyn Source,
    table: &'static str,
    log_key: &'static str,
    after: &Map<String, Value>,
    undo: &mut RecordUndo,
) -> Result<std::result::Result<(), ()>> {
    let Some((table, columns)) = columns_of(table) else {
        return Ok(Err(()));
    };
    let logged: Vec<&Map<String, Value>> = match after.get(log_key) {
        Some(Value::Object(row)) => vec![row],
        Some(Value::Array(rows)) => rows.iter().filter_map(Value::as_object).collect(),
        _ => return Ok(Err(())),
    };
    if logged.is_empty() {
        return Ok(Err(()));
    }
    for row in &logged {
        if row.keys().any(|k| !columns.contains(&k.as_str())) {
            return Ok(Err(()));
        }
        let Some(id) = row.get("id").and_then(Value::as_i64) else {
            return Ok(Err(()));
        };
        match current(conn, table, columns, id)? {
            None => undo.stale.push(Change::new(table, format!("#{id}"), "")),
            Some(now) => {
                for column in columns.iter().copied() {
                    let was = row.get(column).cloned().unwrap_or(Value::Null);
                    let is = now.get(column).cloned().unwrap_or(Value::Null);
                    if was != is {
                        undo.stale
                            .push(Change::new(column, text_of(&was), text_of(&is)));
                    }
                }
            }
        }
        if table == "member" {
            // A member's service records would point nowhere.
            let services: i64 = query_one(
                conn,
                "SELECT count(*) FROM service WHERE member_id = ?1",
                &[id.into()],
                |r| r.get(0),
            )?
            .unwrap_or_default();
            if services > 0 {
                undo.stale
                    .push(Change::new("services", "", services.to_string()));
            }
        }
        for column in columns.iter().copied() {
            if matches!(column, "id" | "community_id") || row.get(column).is_none_or(Value::is_null)
            {
                continue;
            }
            let was = row.get(column).map(text_of).unwrap_or_default();
            undo.changes.push(Change::new(column, was, ""));
        }
        undo.steps.push(RecordStep::Delete { table, id });
    }
    undo.before.insert(
        log_key.into(),
        after.get(log_key).cloned().unwrap_or(Value::Null),
    );
    undo.after.insert(log_key.into(), Value::Null);
    Ok(Ok(()))
}

fn undo_set(
    conn: &dyn Source,
    table: &'static str,
    before: &Map<String, Value>,
    after: &Map<String, Value>,
    undo: &mut RecordUndo,
) -> Result<std::result::Result<(), ()>> {
    let Some((table, columns)) = columns_of(table) else {
        return Ok(Err(()));
    };
    let (Some(was), Some(set)) = (
        before.get(table).and_then(Value::as_object),
        after.get(table).and_then(Value::as_object),
    ) else {
        return Ok(Err(()));
    };
    let Some(id) = set.get("id").and_then(Value::as_i64) else {
        return Ok(Err(()));
    };
    if was.get("id").and_then(Value::as_i64) != Some(id) {
        return Ok(Err(()));
    }
    // The columns the entry set, by their names in the log, as the table's own.
    let mut set_columns = Vec::new();
    for name in set.keys().filter(|k| k.as_str() != "id") {
        let Some(column) = columns
            .iter()
            .copied()
            .find(|c| *c != "id" && *c == name.as_str())
        else {
            return Ok(Err(()));
        };
        let (Some(old), Some(new)) = (was.get(column), set.get(column)) else {
            return Ok(Err(()));
        };
        set_columns.push((column, old.clone(), new.clone()));
    }
    if set_columns.is_empty() {
        return Ok(Err(()));
    }
    let names: Vec<&'static str> = std::iter::once("id")
        .chain(set_columns.iter().map(|(c, _, _)| *c))
        .collect();
    let now = current(conn, table, &names, id)?;
    if now.is_none() {
        undo.stale.push(Change::new(table, format!("#{id}"), ""));
    }
    let mut restored = Map::new();
    let mut undone = Map::new();
    restored.insert("id".into(), json!(id));
    undone.insert("id".into(), json!(id));
    for (column, old, new) in set_columns {
        if let Some(now) = &now {
            let is = now.get(column).cloned().unwrap_or(Value::Null);
            if is != new {
                undo.stale
                    .push(Change::new(column, text_of(&new), text_of(&is)));
            }
        }
        undo.changes
            .push(Change::new(column, text_of(&new), text_of(&old)));
        undo.steps.push(RecordStep::Set {
            table,
            id,
            column,
            value: old.clone(),
        });
        undone.insert(column.into(), new);
        restored.insert(column.into(), old);
    }
    undo.before.insert(table.into(), Value::Object(undone));
    undo.after.insert(table.into(), Value::Object(restored));
    Ok(Ok(()))
}

/// Carries out the undo's steps.
pub(crate) fn execute_undo(conn: &dyn Writer, steps: &[RecordStep]) -> Result<()> {
    for step in steps {
        match step {
            RecordStep::Delete { table, id } => {
                if conn.execute(
                    &format!("DELETE FROM {table} WHERE id = ?1"),
                    &[(*id).into()],
                )? != 1
                {
                    return Err(plain(
                        format!("{table} 第 {id} 行已不存在；未写入任何内容"),
                        format!("{table} row {id} no longer exists; nothing was written"),
                    ));
                }
            }
            RecordStep::Set {
                table,
                id,
                column,
                value,
            } => set_column(conn, table, *id, column, value)?,
        }
    }
    Ok(())
}

/// The grade already given for (year, subject, assessor): its id, grade and note as stored.
fn grade_row(
    conn: &dyn Source,
    year: i32,
    subject: Subject,
    subject_id: i64,
    assessor: Assessor,
) -> Result<Option<(i64, String, String)>> {
    Ok(query_one(
        conn,
        "SELECT id, CAST(grade AS TEXT), CAST(note AS TEXT) FROM assessment
         WHERE year = ?1 AND subject = ?2 AND subject_id = ?3 AND assessor = ?4",
        &[
            i64::from(year).into(),
            subject.code().into(),
            subject_id.into(),
            assessor.code().into(),
        ],
        |r| {
            Ok((
                r.get(0)?,
                r.get::<Option<String>>(1)?.unwrap_or_default(),
                r.get::<Option<String>>(2)?.unwrap_or_default(),
            ))
        },
    )?)
}

/// What a grade is about, resolved in the community the form is on: the community itself, a
/// unit, or the community's contract with a unit. Checks who may grade what.
pub(super) fn grade_rules(
    conn: &dyn Source,
    community: i64,
    subject: Subject,
    unit: Option<i64>,
    assessor: Assessor,
) -> Result<std::result::Result<i64, FieldError>> {
    let allowed = match subject {
        Subject::Community | Subject::Unit => {
            matches!(assessor, Assessor::SelfGrade | Assessor::ThirdParty)
        }
        Subject::Contract => assessor == Assessor::Community,
    };
    if !allowed {
        return Ok(Err(FieldError::new(
            key::ASSESSOR,
            "社区和驻区单位由自评或第三方评估定级；共建契约由社区评议定级",
            "a community or a unit is graded by itself (self) or a third party; a contract by the community",
        )));
    }
    let need_unit = || {
        FieldError::new(
            key::GRADED_UNIT,
            "评价驻区单位或共建契约时须填写单位",
            "a unit or contract grade needs the unit",
        )
    };
    Ok(match subject {
        Subject::Community => Ok(community),
        Subject::Unit => match unit {
            Some(u) if project::unit_name(conn, u)?.is_some() => Ok(u),
            Some(u) => Err(FieldError::new(
                key::GRADED_UNIT,
                format!("没有编号为 {u} 的驻区单位"),
                format!("there is no unit with id {u}"),
            )),
            None => Err(need_unit()),
        },
        Subject::Contract => match unit {
            None => Err(need_unit()),
            Some(u) => {
                let mut problems = Vec::new();
                let found = rows::contract::all(conn, &mut problems)?
                    .into_iter()
                    .find(|c| c.community_id == community && c.unit_id == u);
                match found {
                    Some(c) => Ok(c.id),
                    None => Err(FieldError::new(
                        key::GRADED_UNIT,
                        format!("本社区与单位 #{u} 没有共建契约"),
                        format!("this community has no contract with unit #{u}"),
                    )),
                }
            }
        },
    })
}
