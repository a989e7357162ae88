//! Writing a plan: each operation and its entry in the adjustment log (调整记录), inside the
//! caller's one transaction.
//!
//! The entries are written by the adjustments' own [`insert_entry`], in the JSON shapes of the
//! adjustments made on screen:
//! a creation logs `{}` → `{"project": {…row…}}`, a change logs the changed columns before and
//! after (with the row's id where the entry's community and project columns do not name it).

use super::parse::Source;
use super::plan::{Change, Graded, Op, Plan, Target, V, World};
use crate::adjust::{EntryParts, insert_entry};
use crate::error::{Error, Result};
use crate::store::rows::{Param, Writer};
use serde_json::{Map, Value, json};

/// What the log's `action` column says for every entry an import writes.
pub const ACTION: &str = "import";

/// Writes every operation of `plan` and its log entry; returns the number of entries.
pub fn execute(
    conn: &dyn Writer,
    plan: &mut Plan,
    sources: &[Source],
    operator: &str,
    at: &str,
) -> Result<usize> {
    let ops = std::mem::take(&mut plan.ops);
    for op in &ops {
        if op.created {
            create(conn, &mut plan.world, op.target)?;
        } else {
            update(conn, &plan.world, op)?;
        }
        let entry = entry(&plan.world, op)?;
        let reason = format!("导入 {}", sources[op.file].file_name);
        insert_entry(conn, at, operator, ACTION, &reason, &entry)?;
    }
    let written = ops.len();
    plan.ops = ops;
    Ok(written)
}

fn unwritten() -> Error {
    Error::plain(
        "导入计划有误：引用了尚未写入的记录；未写入任何内容",
        "the import plan refers to a row not yet written; nothing was written",
    )
}

fn id_of(id: Option<i64>) -> Result<i64> {
    id.ok_or_else(unwritten)
}

fn create(conn: &dyn Writer, w: &mut World, target: Target) -> Result<()> {
    let insert = |sql: &str, values: &[&dyn rusqlite::ToSql]| -> Result<i64> {
        let values = crate::store::rows::owned(values)?;
        let params: Vec<Param<'_>> = values.iter().map(Param::from).collect();
        conn.insert(sql, &params)
    };
    match target {
        Target::Street(i) => {
            let id = insert("INSERT INTO street (name) VALUES (?1)", &[&w.streets[i].v])?;
            w.streets[i].id = Some(id);
        }
        Target::Community(i) => {
            let v = &w.communities[i].v;
            let street = id_of(w.streets[v.street].id)?;
            let id = insert(
                "INSERT INTO community (street_id, name) VALUES (?1, ?2)",
                &[&street, &v.name],
            )?;
            w.communities[i].id = Some(id);
        }
        Target::Unit(i) => {
            let v = &w.units[i].v;
            let id = insert(
                "INSERT INTO unit (name, kind) VALUES (?1, ?2)",
                &[&v.name, &v.kind],
            )?;
            w.units[i].id = Some(id);
        }
        Target::Contract(i) => {
            let v = &w.contracts[i].v;
            let (c, u) = (
                id_of(w.communities[v.community].id)?,
                id_of(w.units[v.unit].id)?,
            );
            let id = insert(
                "INSERT INTO contract (community_id, unit_id, signed_on) VALUES (?1, ?2, ?3)",
                &[&c, &u, &v.signed_on],
            )?;
            w.contracts[i].id = Some(id);
        }
        Target::Resource(i) => {
            let v = &w.resources[i].v;
            let (c, u) = (
                id_of(w.communities[v.community].id)?,
                id_of(w.units[v.unit].id)?,
            );
            let id = insert(
                "INSERT INTO resource (community_id, unit_id, title, times_used) VALUES (?1, ?2, ?3, ?4)",
                &[&c, &u, &v.title, &v.times_used],
            )?;
            w.resources[i].id = Some(id);
        }
        Target::Need(i) => {
            let v = &w.needs[i].v;
            let c = id_of(w.communities[v.community].id)?;
            let id = insert(
                "INSERT INTO need (community_id, title, raised_on, source) VALUES (?1, ?2, ?3, ?4)",
                &[&c, &v.title, &v.raised_on, &v.source],
            )?;
            w.needs[i].id = Some(id);
        }
        Target::Project(i) => {
            let v = &w.projects[i].v;
            let c = id_of(w.communities[v.community].id)?;
            let u = v.unit.map(|u| id_of(w.units[u].id)).transpose()?;
            let id = insert(
                "INSERT INTO project (community_id, unit_id, title, due_on, status, done_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                &[&c, &u, &v.title, &v.due_on, &v.status, &v.done_on],
            )?;
            w.projects[i].id = Some(id);
        }
        Target::Meeting(i) => {
            let v = &w.meetings[i].v;
            let c = id_of(w.communities[v.community].id)?;
            let id = insert(
                "INSERT INTO meeting (community_id, kind, held_on, attendees, note)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                &[&c, &v.kind, &v.held_on, &v.attendees, &v.note],
            )?;
            w.meetings[i].id = Some(id);
        }
        Target::Activity(i) => {
            let v = &w.activities[i].v;
            let p = id_of(w.projects[v.project].id)?;
            let id = insert(
                "INSERT INTO activity (project_id, held_on, planned, actual) VALUES (?1, ?2, ?3, ?4)",
                &[&p, &v.held_on, &v.planned, &v.actual],
            )?;
            w.activities[i].id = Some(id);
        }
        Target::Survey(i) => {
            let v = &w.surveys[i].v;
            let p = id_of(w.projects[v.project].id)?;
            let id = insert(
                "INSERT INTO survey (project_id, held_on, respondents, satisfied) VALUES (?1, ?2, ?3, ?4)",
                &[&p, &v.held_on, &v.respondents, &v.satisfied],
            )?;
            w.surveys[i].id = Some(id);
        }
        Target::Member(i) => {
            let v = &w.members[i].v;
            let c = id_of(w.communities[v.community].id)?;
            let u = v.unit.map(|u| id_of(w.units[u].id)).transpose()?;
            let id = insert(
                "INSERT INTO member (community_id, unit_id, name, registered_on, left_on)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                &[&c, &u, &v.name, &v.registered_on, &v.left_on],
            )?;
            w.members[i].id = Some(id);
        }
        Target::Grade(i) => {
            let v = &w.grades[i].v;
            let subject_id = graded_id(w, v.graded)?;
            let id = insert(
                "INSERT INTO assessment (year, subject, subject_id, assessor, grade, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                &[
                    &v.year,
                    &v.graded.subject().code(),
                    &subject_id,
                    &v.assessor.code(),
                    &v.grade.code(),
                    &v.note,
                ],
            )?;
            w.grades[i].id = Some(id);
        }
        Target::Service(i) => {
            let v = &w.services[i].v;
            let m = id_of(w.members[v.member].id)?;
            let p = v.project.map(|p| id_of(w.projects[p].id)).transpose()?;
            let id = insert(
                "INSERT INTO service (member_id, served_on, minutes, project_id, note)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                &[&m, &v.served_on, &v.minutes, &p, &v.note],
            )?;
            w.services[i].id = Some(id);
        }
    }
    Ok(())
}

/// The id of what a grade is about.
fn graded_id(w: &World, graded: Graded) -> Result<i64> {
    id_of(match graded {
        Graded::Community(c) => w.communities[c].id,
        Graded::Unit(u) => w.units[u].id,
        Graded::Contract(k) => w.contracts[k].id,
    })
}

/// The table and row id an operation changes.
fn table_and_id(w: &World, target: Target) -> (&'static str, Option<i64>) {
    match target {
        Target::Street(i) => ("street", w.streets[i].id),
        Target::Community(i) => ("community", w.communities[i].id),
        Target::Unit(i) => ("unit", w.units[i].id),
        Target::Contract(i) => ("contract", w.contracts[i].id),
        Target::Resource(i) => ("resource", w.resources[i].id),
        Target::Need(i) => ("need", w.needs[i].id),
        Target::Project(i) => ("project", w.projects[i].id),
        Target::Meeting(i) => ("meeting", w.meetings[i].id),
        Target::Activity(i) => ("activity", w.activities[i].id),
        Target::Survey(i) => ("survey", w.surveys[i].id),
        Target::Member(i) => ("member", w.members[i].id),
        Target::Service(i) => ("service", w.services[i].id),
        Target::Grade(i) => ("assessment", w.grades[i].id),
    }
}

/// The columns an import may change, per table: the only names that reach an UPDATE.
const UPDATABLE: &[(&str, &[&str])] = &[
    ("unit", &["kind"]),
    ("contract", &["signed_on"]),
    ("resource", &["times_used"]),
    ("need", &["raised_on", "source"]),
    (
        "project",
        &["unit_id", "due_on", "status", "done_on", "need_id"],
    ),
    ("meeting", &["attendees", "note"]),
    ("activity", &["planned", "actual"]),
    ("service", &["minutes"]),
    ("survey", &["respondents", "satisfied"]),
    ("member", &["unit_id", "registered_on", "left_on"]),
    ("assessment", &["grade", "note"]),
];

fn update(conn: &dyn Writer, w: &World, op: &Op) -> Result<()> {
    let (table, id) = table_and_id(w, op.target);
    let id = id_of(id)?;
    for change in &op.changes {
        let allowed = UPDATABLE
            .iter()
            .any(|(t, columns)| *t == table && columns.contains(&change.column));
        if !allowed {
            return Err(unwritten());
        }
        let value = sql_value(w, &change.after)?;
        let changed = conn.execute(
            &format!("UPDATE {table} SET {} = ?1 WHERE id = ?2", change.column),
            &[(&value).into(), id.into()],
        )?;
        if changed != 1 {
            return Err(Error::plain(
                format!("{table} 表中编号 {id} 的记录已不存在；未写入任何内容"),
                format!("row {id} of table {table} no longer exists; nothing was written"),
            ));
        }
    }
    Ok(())
}

fn sql_value(w: &World, v: &V) -> Result<rusqlite::types::Value> {
    use rusqlite::types::Value as Sql;
    Ok(match v {
        V::Null => Sql::Null,
        V::Text(t) => Sql::Text(t.clone()),
        V::Int(n) => Sql::Integer(*n),
        V::Unit(u) => Sql::Integer(id_of(w.units[*u].id)?),
        V::Need(n) => Sql::Integer(id_of(w.needs[*n].id)?),
    })
}

fn json_value(w: &World, v: &V) -> Result<Value> {
    Ok(match v {
        V::Null => Value::Null,
        V::Text(t) => json!(t),
        V::Int(n) => json!(n),
        V::Unit(u) => json!(id_of(w.units[*u].id)?),
        V::Need(n) => json!(id_of(w.needs[*n].id)?),
    })
}

/// An entry's community and project ids, the row as JSON, and the keys that identify the row
/// in a change entry.
type Described = (Option<i64>, Option<i64>, Value, Vec<(&'static str, Value)>);

fn entry(w: &World, op: &Op) -> Result<EntryParts> {
    let (table, id) = table_and_id(w, op.target);
    let id = id_of(id)?;
    let community_of = |c: usize| w.communities[c].id;
    let (community_id, project_id, row, identity): Described = match op.target {
        Target::Street(i) => (
            None,
            None,
            json!({"id": id, "name": w.streets[i].v}),
            vec![],
        ),
        Target::Community(i) => {
            let v = &w.communities[i].v;
            (
                Some(id),
                None,
                json!({"id": id, "street_id": w.streets[v.street].id, "name": v.name}),
                vec![],
            )
        }
        Target::Unit(i) => {
            let v = &w.units[i].v;
            (
                None,
                None,
                json!({"id": id, "name": v.name, "kind": v.kind}),
                vec![("unit_id", json!(id)), ("name", json!(v.name))],
            )
        }
        Target::Contract(i) => {
            let v = &w.contracts[i].v;
            let unit = w.units[v.unit].id;
            (
                community_of(v.community),
                None,
                json!({"id": id, "community_id": community_of(v.community), "unit_id": unit, "signed_on": v.signed_on}),
                vec![("contract_id", json!(id)), ("unit_id", json!(unit))],
            )
        }
        Target::Resource(i) => {
            let v = &w.resources[i].v;
            (
                community_of(v.community),
                None,
                json!({"id": id, "community_id": community_of(v.community), "unit_id": w.units[v.unit].id,
                           "title": v.title, "times_used": v.times_used}),
                vec![("resource_id", json!(id)), ("title", json!(v.title))],
            )
        }
        Target::Need(i) => {
            let v = &w.needs[i].v;
            (
                community_of(v.community),
                None,
                json!({"id": id, "community_id": community_of(v.community), "title": v.title,
                           "raised_on": v.raised_on, "source": v.source}),
                vec![("need_id", json!(id)), ("title", json!(v.title))],
            )
        }
        Target::Project(i) => {
            let v = &w.projects[i].v;
            let unit = v.unit.map(|u| id_of(w.units[u].id)).transpose()?;
            (
                community_of(v.community),
                Some(id),
                json!({"id": id, "community_id": community_of(v.community), "unit_id": unit,
                           "title": v.title, "due_on": v.due_on, "status": v.status, "done_on": v.done_on}),
                vec![],
            )
        }
        Target::Meeting(i) => {
            let v = &w.meetings[i].v;
            (
                community_of(v.community),
                None,
                json!({"id": id, "community_id": community_of(v.community), "kind": v.kind,
                           "held_on": v.held_on, "attendees": v.attendees, "note": v.note}),
                vec![("meeting_id", json!(id)), ("held_on", json!(v.held_on))],
            )
        }
        Target::Activity(i) => {
            let v = &w.activities[i].v;
            let project = &w.projects[v.project];
            (
                community_of(project.v.community),
                project.id,
                json!({"id": id, "project_id": project.id, "held_on": v.held_on,
                           "planned": v.planned, "actual": v.actual}),
                vec![("activity_id", json!(id)), ("held_on", json!(v.held_on))],
            )
        }
        Target::Survey(i) => {
            let v = &w.surveys[i].v;
            let project = &w.projects[v.project];
            (
                community_of(project.v.community),
                project.id,
                json!({"id": id, "project_id": project.id, "held_on": v.held_on,
                           "respondents": v.respondents, "satisfied": v.satisfied}),
                vec![("survey_id", json!(id)), ("held_on", json!(v.held_on))],
            )
        }
        Target::Member(i) => {
            let v = &w.members[i].v;
            let unit = v.unit.map(|u| id_of(w.units[u].id)).transpose()?;
            (
                community_of(v.community),
                None,
                json!({"id": id, "community_id": community_of(v.community), "unit_id": unit,
                           "name": v.name, "registered_on": v.registered_on, "left_on": v.left_on}),
                vec![("member_id", json!(id)), ("name", json!(v.name))],
            )
        }
        Target::Grade(i) => {
            let v = &w.grades[i].v;
            let community = match v.graded {
                Graded::Community(c) => community_of(c),
                Graded::Contract(k) => community_of(w.contracts[k].v.community),
                Graded::Unit(_) => None,
            };
            let subject_id = graded_id(w, v.graded)?;
            (
                community,
                None,
                json!({"id": id, "year": v.year, "subject": v.graded.subject().code(),
                           "subject_id": subject_id, "assessor": v.assessor.code(),
                           "grade": v.grade.code(), "note": v.note}),
                vec![
                    ("assessment_id", json!(id)),
                    ("year", json!(v.year)),
                    ("subject", json!(v.graded.subject().code())),
                    ("subject_id", json!(subject_id)),
                    ("assessor", json!(v.assessor.code())),
                ],
            )
        }
        Target::Service(i) => {
            let v = &w.services[i].v;
            let member = &w.members[v.member];
            let project = v.project.and_then(|p| w.projects[p].id);
            (
                community_of(member.v.community),
                None,
                json!({"id": id, "member_id": member.id, "served_on": v.served_on,
                           "minutes": v.minutes, "project_id": project, "note": v.note}),
                vec![("service_id", json!(id)), ("served_on", json!(v.served_on))],
            )
        }
    };
    if op.created {
        let mut after = Map::new();
        after.insert(table.to_string(), row);
        return Ok(EntryParts {
            community_id,
            project_id,
            before: json!({}),
            after: Value::Object(after),
            reverses: None,
        });
    }
    let mut before = Map::new();
    let mut after = Map::new();
    for (key, value) in identity {
        before.insert(key.to_string(), value.clone());
        after.insert(key.to_string(), value);
    }
    for Change {
        column,
        before: b,
        after: a,
    } in &op.changes
    {
        before.insert(column.to_string(), json_value(w, b)?);
        after.insert(column.to_string(), json_value(w, a)?);
    }
    Ok(EntryParts {
        community_id,
        project_id,
        before: Value::Object(before),
        after: Value::Object(after),
        reverses: None,
    })
}
