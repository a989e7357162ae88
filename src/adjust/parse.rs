//! Each adjustment kind's field reader and form defaults, named in its row of the table
//! (`kinds.rs`).

use super::action::{Action, MeetingKind, keep};
use super::error::Result;
use super::kinds::Reading;
use super::project::{self, ProjectState};
use super::records;
use crate::dates::format_ymd;
use crate::fields::{self, FieldError, Raw, key};
use crate::i18n::Lang;
use crate::store::rows::Source;
use crate::vocab::{Assessor, Grade, Subject};
use chrono::NaiveDate;

/// What the unit field asks for.
pub(super) enum UnitInput {
    Keep,
    Clear,
    Set(i64),
}

pub(super) fn unit_input(
    conn: &dyn Source,
    value: &str,
) -> Result<std::result::Result<UnitInput, FieldError>> {
    unit_field(conn, key::UNIT, value)
}

/// A unit field under its own key (the lead unit, a member's workplace).
pub(super) fn unit_field(
    conn: &dyn Source,
    field: &'static str,
    value: &str,
) -> Result<std::result::Result<UnitInput, FieldError>> {
    let text = value.trim();
    if text.is_empty() {
        return Ok(Ok(UnitInput::Keep));
    }
    if fields::NO_UNIT_WORDS
        .iter()
        .any(|w| w.eq_ignore_ascii_case(text))
    {
        return Ok(Ok(UnitInput::Clear));
    }
    if let Ok(id) = fields::id(field, text) {
        return Ok(Ok(UnitInput::Set(id)));
    }
    if let Some(id) = project::unit_by_name(conn, text)? {
        return Ok(Ok(UnitInput::Set(id)));
    }
    Ok(Err(FieldError::new(
        field,
        format!(
            "“{}”不是驻区单位的编号或全称：请填单位编号，或填 none 表示由社区自办",
            fields::shown(value)
        ),
        format!(
            "\"{}\" is not a unit id or full name: give a unit id, or none for a project the community runs alone",
            fields::shown(value)
        ),
    )))
}

fn unit_text(p: &ProjectState) -> String {
    p.unit_id.map(|u| u.to_string()).unwrap_or_default()
}

pub(super) fn reschedule_defaults(raw: &mut Raw, project: Option<&ProjectState>, _: NaiveDate) {
    if let Some(p) = project {
        raw.set(key::DUE, p.due_on.clone());
    }
}

pub(super) fn done_defaults(raw: &mut Raw, _: Option<&ProjectState>, today: NaiveDate) {
    raw.set(key::DONE_ON, format_ymd(today));
}

pub(super) fn convert_defaults(raw: &mut Raw, project: Option<&ProjectState>, _: NaiveDate) {
    if let Some(p) = project {
        raw.set(key::UNIT, unit_text(p));
        raw.set(key::DUE, p.due_on.clone());
    }
}

pub(super) fn revise_defaults(raw: &mut Raw, project: Option<&ProjectState>, _: NaiveDate) {
    if let Some(p) = project {
        raw.set(key::TITLE, p.title.clone());
        raw.set(key::UNIT, unit_text(p));
    }
}

pub(super) fn held_today(raw: &mut Raw, _: Option<&ProjectState>, today: NaiveDate) {
    raw.set(key::HELD_ON, format_ymd(today));
}

pub(super) fn meeting_defaults(raw: &mut Raw, _: Option<&ProjectState>, today: NaiveDate) {
    raw.set(key::KIND, MeetingKind::Quarterly.code());
    raw.set(key::HELD_ON, format_ymd(today));
}

pub(super) fn reschedule(r: &Reading<'_>, errors: &mut Vec<FieldError>) -> Result<Option<Action>> {
    let due = keep(errors, fields::date(key::DUE, r.raw.get(key::DUE)));
    Ok(r.target
        .zip(due)
        .map(|(project, due)| Action::Reschedule { project, due }))
}

pub(super) fn pause(r: &Reading<'_>, _: &mut Vec<FieldError>) -> Result<Option<Action>> {
    Ok(r.target.map(|project| Action::Pause { project }))
}

pub(super) fn resume(r: &Reading<'_>, _: &mut Vec<FieldError>) -> Result<Option<Action>> {
    Ok(r.target.map(|project| Action::Resume { project }))
}

pub(super) fn cancel(r: &Reading<'_>, _: &mut Vec<FieldError>) -> Result<Option<Action>> {
    Ok(r.target.map(|project| Action::Cancel { project }))
}

pub(super) fn undo(r: &Reading<'_>, _: &mut Vec<FieldError>) -> Result<Option<Action>> {
    Ok(r.target.map(|entry| Action::Undo { entry }))
}

pub(super) fn done(r: &Reading<'_>, errors: &mut Vec<FieldError>) -> Result<Option<Action>> {
    let done_on = keep(
        errors,
        fields::past_date(key::DONE_ON, r.raw.get(key::DONE_ON), r.today),
    );
    Ok(r.target
        .zip(done_on)
        .map(|(project, done_on)| Action::Done { project, done_on }))
}

pub(super) fn convert(r: &Reading<'_>, errors: &mut Vec<FieldError>) -> Result<Option<Action>> {
    let (conn, raw, project) = (r.conn, r.raw, r.target);
    let title = keep(
        errors,
        fields::required_text(key::TITLE, raw.get(key::TITLE), fields::MAX_TITLE),
    );
    let due = keep(errors, fields::date(key::DUE, raw.get(key::DUE)));
    let unit = match keep(errors, unit_input(conn, raw.get(key::UNIT))?) {
        Some(UnitInput::Set(id)) => Some(Some(id)),
        Some(UnitInput::Clear) => Some(None),
        // The successor keeps the lead unit of the project it replaces.
        Some(UnitInput::Keep) => match project {
            Some(id) => project::project_state(conn, id)?.map(|p| p.unit_id),
            None => None,
        },
        None => None,
    };
    Ok(match (project, title, unit, due) {
        (Some(project), Some(title), Some(unit), Some(due)) => Some(Action::Convert {
            project,
            title,
            unit,
            due,
        }),
        _ => None,
    })
}

pub(super) fn revise(r: &Reading<'_>, errors: &mut Vec<FieldError>) -> Result<Option<Action>> {
    let (conn, raw, project) = (r.conn, r.raw, r.target);
    let title = keep(
        errors,
        fields::optional_text(key::TITLE, raw.get(key::TITLE), fields::MAX_TITLE),
    );
    let unit = keep(errors, unit_input(conn, raw.get(key::UNIT))?);
    Ok(match (project, title, unit) {
        (Some(project), Some(title), Some(unit)) => {
            let current = project::project_state(conn, project)?;
            // Only what differs from the project as it is now is a change.
            let title = title.filter(|t| current.as_ref().is_none_or(|p| &p.title != t));
            let unit = match unit {
                UnitInput::Keep => None,
                UnitInput::Clear => Some(None),
                UnitInput::Set(id) => Some(Some(id)),
            }
            .filter(|u| current.as_ref().is_none_or(|p| p.unit_id != *u));
            Some(Action::Revise {
                project,
                title,
                unit,
            })
        }
        _ => None,
    })
}

pub(super) fn activity(r: &Reading<'_>, errors: &mut Vec<FieldError>) -> Result<Option<Action>> {
    let raw = r.raw;
    let held_on = keep(
        errors,
        fields::past_date(key::HELD_ON, raw.get(key::HELD_ON), r.today),
    );
    let planned = keep(
        errors,
        fields::count(key::PLANNED, raw.get(key::PLANNED), 1),
    );
    let actual = keep(errors, fields::count(key::ACTUAL, raw.get(key::ACTUAL), 0));
    Ok(match (r.target, held_on, planned, actual) {
        (Some(project), Some(held_on), Some(planned), Some(actual)) => Some(Action::Activity {
            project,
            held_on,
            planned,
            actual,
        }),
        _ => None,
    })
}

pub(super) fn meeting(r: &Reading<'_>, errors: &mut Vec<FieldError>) -> Result<Option<Action>> {
    let raw = r.raw;
    let kind_text = raw.get(key::KIND);
    let meeting_kind = keep(
        errors,
        MeetingKind::parse(kind_text).ok_or_else(|| {
            let shown = fields::shown(kind_text);
            FieldError::new(
                key::KIND,
                format!(
                    "“{shown}”不是例会类型：应为 {}",
                    MeetingKind::accepted(Lang::Zh)
                ),
                format!(
                    "\"{shown}\" is not a meeting kind: expected {}",
                    MeetingKind::accepted(Lang::En)
                ),
            )
        }),
    );
    let held_on = keep(
        errors,
        fields::past_date(key::HELD_ON, raw.get(key::HELD_ON), r.today),
    );
    let attendees = keep(
        errors,
        fields::optional_count(key::ATTENDEES, raw.get(key::ATTENDEES), 0),
    );
    let note = keep(
        errors,
        fields::optional_text(key::NOTE, raw.get(key::NOTE), fields::MAX_NOTE),
    );
    Ok(match (r.target, meeting_kind, held_on, attendees, note) {
        (Some(community), Some(kind), Some(held_on), Some(attendees), Some(note)) => {
            Some(Action::Meeting {
                community,
                kind,
                held_on,
                attendees,
                note: note.unwrap_or_default(),
            })
        }
        _ => None,
    })
}

pub(super) fn add_project(r: &Reading<'_>, errors: &mut Vec<FieldError>) -> Result<Option<Action>> {
    let raw = r.raw;
    let title = keep(
        errors,
        fields::required_text(key::TITLE, raw.get(key::TITLE), fields::MAX_TITLE),
    );
    let unit = keep(errors, unit_input(r.conn, raw.get(key::UNIT))?).map(|u| match u {
        UnitInput::Set(id) => Some(id),
        UnitInput::Keep | UnitInput::Clear => None,
    });
    let due = keep(errors, fields::date(key::DUE, raw.get(key::DUE)));
    let need = keep(errors, optional_id(key::NEED, raw.get(key::NEED)));
    Ok(match (r.target, title, unit, due, need) {
        (Some(community), Some(title), Some(unit), Some(due), Some(need)) => {
            Some(Action::AddProject {
                community,
                title,
                unit,
                due,
                need,
            })
        }
        _ => None,
    })
}

/// An optional id: blank reads as `None`.
fn optional_id(field: &'static str, value: &str) -> std::result::Result<Option<i64>, FieldError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        fields::id(field, value).map(Some)
    }
}

pub(super) fn registered_today(raw: &mut Raw, _: Option<&ProjectState>, today: NaiveDate) {
    raw.set(key::REGISTERED_ON, format_ymd(today));
}

pub(super) fn left_today(raw: &mut Raw, _: Option<&ProjectState>, today: NaiveDate) {
    raw.set(key::LEFT_ON, format_ymd(today));
}

pub(super) fn served_today(raw: &mut Raw, _: Option<&ProjectState>, today: NaiveDate) {
    raw.set(key::SERVED_ON, format_ymd(today));
}

pub(super) fn once(raw: &mut Raw, _: Option<&ProjectState>, _: NaiveDate) {
    raw.set(key::TIMES, "1");
}

pub(super) fn link_need(r: &Reading<'_>, errors: &mut Vec<FieldError>) -> Result<Option<Action>> {
    let need = keep(errors, fields::id(key::NEED, r.raw.get(key::NEED)));
    Ok(r.target
        .zip(need)
        .map(|(project, need)| Action::LinkNeed { project, need }))
}

pub(super) fn survey(r: &Reading<'_>, errors: &mut Vec<FieldError>) -> Result<Option<Action>> {
    let raw = r.raw;
    let held_on = keep(
        errors,
        fields::past_date(key::HELD_ON, raw.get(key::HELD_ON), r.today),
    );
    let respondents = keep(
        errors,
        fields::count(key::RESPONDENTS, raw.get(key::RESPONDENTS), 1),
    );
    let satisfied = keep(
        errors,
        fields::count(key::SATISFIED, raw.get(key::SATISFIED), 0),
    );
    Ok(match (r.target, held_on, respondents, satisfied) {
        (Some(project), Some(held_on), Some(respondents), Some(satisfied)) => {
            Some(Action::Survey {
                project,
                held_on,
                respondents,
                satisfied,
            })
        }
        _ => None,
    })
}

pub(super) fn add_member(r: &Reading<'_>, errors: &mut Vec<FieldError>) -> Result<Option<Action>> {
    let raw = r.raw;
    let name = keep(
        errors,
        fields::required_text(key::NAME, raw.get(key::NAME), fields::MAX_NAME),
    );
    let unit = keep(
        errors,
        unit_field(r.conn, key::WORKPLACE, raw.get(key::WORKPLACE))?,
    )
    .map(|u| match u {
        UnitInput::Set(id) => Some(id),
        UnitInput::Keep | UnitInput::Clear => None,
    });
    let registered_on = keep(
        errors,
        fields::past_date(key::REGISTERED_ON, raw.get(key::REGISTERED_ON), r.today),
    );
    Ok(match (r.target, name, unit, registered_on) {
        (Some(community), Some(name), Some(unit), Some(registered_on)) => Some(Action::AddMember {
            community,
            name,
            unit,
            registered_on,
        }),
        _ => None,
    })
}

pub(super) fn member_left(r: &Reading<'_>, errors: &mut Vec<FieldError>) -> Result<Option<Action>> {
    let raw = r.raw;
    let member = match r.target {
        Some(community) => keep(
            errors,
            records::member_ref(r.conn, community, key::MEMBER, raw.get(key::MEMBER))?,
        ),
        None => None,
    };
    let left_on = keep(
        errors,
        fields::past_date(key::LEFT_ON, raw.get(key::LEFT_ON), r.today),
    );
    Ok(match (r.target, member, left_on) {
        (Some(community), Some(member), Some(left_on)) => Some(Action::MemberLeft {
            community,
            member,
            left_on,
        }),
        _ => None,
    })
}

pub(super) fn service(r: &Reading<'_>, errors: &mut Vec<FieldError>) -> Result<Option<Action>> {
    let raw = r.raw;
    let members = match r.target {
        Some(community) => keep(
            errors,
            records::members_ref(r.conn, community, raw.get(key::MEMBERS))?,
        ),
        None => None,
    };
    let served_on = keep(
        errors,
        fields::past_date(key::SERVED_ON, raw.get(key::SERVED_ON), r.today),
    );
    let minutes = keep(
        errors,
        fields::duration(key::DURATION, raw.get(key::DURATION)),
    );
    let project = keep(errors, optional_id(key::PROJECT, raw.get(key::PROJECT)));
    let note = keep(
        errors,
        fields::optional_text(key::NOTE, raw.get(key::NOTE), fields::MAX_NOTE),
    );
    Ok(
        match (r.target, members, served_on, minutes, project, note) {
            (
                Some(community),
                Some(members),
                Some(served_on),
                Some(minutes),
                Some(project),
                Some(note),
            ) => Some(Action::Service {
                community,
                members,
                served_on,
                minutes,
                project,
                note: note.unwrap_or_default(),
            }),
            _ => None,
        },
    )
}

pub(super) fn resource_use(
    r: &Reading<'_>,
    errors: &mut Vec<FieldError>,
) -> Result<Option<Action>> {
    let raw = r.raw;
    let resource = match r.target {
        Some(community) => keep(
            errors,
            records::resource_ref(r.conn, community, raw.get(key::RESOURCE))?,
        ),
        None => None,
    };
    let times = keep(errors, fields::count(key::TIMES, raw.get(key::TIMES), 1));
    Ok(match (r.target, resource, times) {
        (Some(community), Some(resource), Some(times)) => Some(Action::ResourceUse {
            community,
            resource,
            times,
        }),
        _ => None,
    })
}

pub(super) fn grade_defaults(raw: &mut Raw, _: Option<&ProjectState>, today: NaiveDate) {
    use chrono::Datelike;
    raw.set(key::YEAR, today.year().to_string());
    raw.set(key::SUBJECT, Subject::Community.code());
    raw.set(key::ASSESSOR, Assessor::SelfGrade.code());
}

/// A closed word (subject, assessor, grade) in either language or its code.
fn word<T: Copy>(
    field: &'static str,
    text: &str,
    parse: fn(&str) -> Option<T>,
    accepted: fn(Lang) -> String,
) -> std::result::Result<T, FieldError> {
    parse(text).ok_or_else(|| {
        let shown = fields::shown(text);
        FieldError::new(
            field,
            format!("“{shown}”不在可选范围内：应为 {}", accepted(Lang::Zh)),
            format!(
                "\"{shown}\" is not accepted: expected {}",
                accepted(Lang::En)
            ),
        )
    })
}

pub(super) fn grade(r: &Reading<'_>, errors: &mut Vec<FieldError>) -> Result<Option<Action>> {
    let raw = r.raw;
    let year = keep(errors, fields::year(key::YEAR, raw.get(key::YEAR)));
    if let Some(y) = year {
        use chrono::Datelike;
        if y > r.today.year() {
            errors.push(FieldError::new(
                key::YEAR,
                format!("{y} 年还没有到，不能定级"),
                format!("{y} has not come yet: it cannot be graded"),
            ));
        }
    }
    let subject = keep(
        errors,
        word(
            key::SUBJECT,
            raw.get(key::SUBJECT),
            Subject::parse,
            Subject::accepted,
        ),
    );
    let assessor = keep(
        errors,
        word(
            key::ASSESSOR,
            raw.get(key::ASSESSOR),
            Assessor::parse,
            Assessor::accepted,
        ),
    );
    let grade = keep(
        errors,
        word(
            key::GRADE,
            raw.get(key::GRADE),
            Grade::parse,
            Grade::accepted,
        ),
    );
    let unit = keep(
        errors,
        unit_field(r.conn, key::GRADED_UNIT, raw.get(key::GRADED_UNIT))?,
    )
    .map(|u| match u {
        UnitInput::Set(id) => Some(id),
        UnitInput::Keep | UnitInput::Clear => None,
    });
    let note = keep(
        errors,
        fields::optional_text(key::NOTE, raw.get(key::NOTE), fields::MAX_NOTE),
    );
    let (Some(community), Some(subject), Some(assessor), Some(unit)) =
        (r.target, subject, assessor, unit)
    else {
        return Ok(None);
    };
    let subject_id = keep(
        errors,
        records::grade_rules(r.conn, community, subject, unit, assessor)?,
    );
    Ok(match (year, subject_id, grade, note) {
        (Some(year), Some(subject_id), Some(grade), Some(note)) if errors.is_empty() => {
            Some(Action::Grade {
                community,
                year,
                subject,
                subject_id,
                assessor,
                grade,
                note: note.unwrap_or_default(),
            })
        }
        _ => None,
    })
}
