//! The actions, the fields each one asks for, and their validation from raw text.

use super::error::{AdjustError, Result};
use super::kinds::{KINDS, KindRow, Reading};
use super::project::{self, ProjectState};
use crate::dates::{format_ymd, parse_ymd};
use crate::fields::{self, FieldError, Raw, key};
use crate::i18n::{Lang, Term};
use crate::model::Status;
use crate::store::rows::Source;
pub use crate::vocab::MeetingKind;
use crate::vocab::{Assessor, Grade, Subject};
use chrono::NaiveDate;

/// What an adjustment does, by name: the menu entry, the log's `action` column and the
/// command-line verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionKind {
    Reschedule,
    Pause,
    Resume,
    Done,
    Cancel,
    Convert,
    Revise,
    Activity,
    Meeting,
    AddProject,
    LinkNeed,
    Survey,
    AddMember,
    MemberLeft,
    Service,
    ResourceUse,
    Grade,
    Undo,
}

/// What an action is applied to: the id field every form of the action carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Project,
    Community,
    Entry,
}

impl Target {
    pub fn key(self) -> &'static str {
        match self {
            Target::Project => key::PROJECT,
            Target::Community => key::COMMUNITY,
            Target::Entry => key::ENTRY,
        }
    }
}

/// How a field is typed and checked, for a form to pick its editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// `YYYY-MM-DD`, any real date in the accepted years.
    Date,
    /// `YYYY-MM-DD`, not after today.
    PastDate,
    /// A whole number from `min` to [`fields::MAX_COUNT`].
    Count { min: i64 },
    /// One line of text of at most `max` characters.
    Text { max: usize },
    /// A unit id (or exact name); blank keeps the current one, `none` clears it.
    Unit,
    /// `quarterly`, `site_visit` or `other` (see [`MeetingKind`]).
    MeetingKind,
    /// A need's id.
    Need,
    /// A member of the community: id or exact name.
    Member,
    /// Several members of the community, ids or names separated by commas, 、 or spaces.
    Members,
    /// A resource of the community: id or exact title.
    Resource,
    /// A duration: `1.5` (hours), `1小时30分`, `90分钟`.
    Duration,
    /// A project's id (optional).
    ProjectId,
    /// What a grade is about: community, unit or contract (see [`Subject`]).
    Subject,
    /// Who gives a grade: self, community or third party (see [`Assessor`]).
    Assessor,
    /// 优秀 良好 一般 较差 (see [`Grade`]).
    Grade,
    /// A year, `2026`.
    Year,
}

/// One field of an action's form, besides its target, the reason and the operator (which
/// every action has).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub key: &'static str,
    pub input: Input,
    pub required: bool,
}

impl FieldSpec {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.t(fields::label(self.key))
    }
}

impl ActionKind {
    /// Every kind, in table order.
    pub const ALL: [ActionKind; 18] = [
        ActionKind::Reschedule,
        ActionKind::Pause,
        ActionKind::Resume,
        ActionKind::Done,
        ActionKind::Cancel,
        ActionKind::Convert,
        ActionKind::Revise,
        ActionKind::Activity,
        ActionKind::Meeting,
        ActionKind::AddProject,
        ActionKind::LinkNeed,
        ActionKind::Survey,
        ActionKind::AddMember,
        ActionKind::MemberLeft,
        ActionKind::Service,
        ActionKind::ResourceUse,
        ActionKind::Grade,
        ActionKind::Undo,
    ];

    /// The kind's row of the table.
    pub fn row(self) -> &'static KindRow {
        &KINDS[self as usize]
    }

    /// The kinds listed in the `a` menu on `target`, in menu order.
    pub fn in_menu(target: Target) -> Vec<ActionKind> {
        KINDS
            .iter()
            .filter(|row| row.in_menu && row.target == target)
            .map(|row| row.kind)
            .collect()
    }

    /// The name in the log and on the command line.
    pub fn key(self) -> &'static str {
        self.row().key
    }

    pub fn parse(text: &str) -> Option<ActionKind> {
        KINDS.iter().find(|row| row.key == text).map(|row| row.kind)
    }

    pub fn label(self) -> Term {
        self.row().label
    }

    pub fn target(self) -> Target {
        self.row().target
    }

    /// The fields of the action's form, in form order, besides the target, the reason and
    /// the operator.
    pub fn fields(self) -> &'static [FieldSpec] {
        self.row().fields
    }

    /// Whether a project in `status` may have this action (to grey out menu entries). The
    /// rules are listed in the module documentation.
    pub fn allowed_on(self, status: Status) -> bool {
        self.row().allowed.contains(&status)
    }

    /// The rule behind [`ActionKind::allowed_on`], said to the user.
    fn rule(self) -> (&'static str, &'static str) {
        self.row().rule
    }
}

/// One adjustment, fully checked for form. [`validate`] builds it from raw text; code that
/// builds it directly is checked again by [`super::apply`], except the "not after today"
/// rule, which needs the user's today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Reschedule {
        project: i64,
        due: NaiveDate,
    },
    Pause {
        project: i64,
    },
    Resume {
        project: i64,
    },
    Done {
        project: i64,
        done_on: NaiveDate,
    },
    Cancel {
        project: i64,
    },
    /// Cancels `project` and creates its successor in the same community.
    Convert {
        project: i64,
        title: String,
        unit: Option<i64>,
        due: NaiveDate,
    },
    /// `None` keeps the value; `unit: Some(None)` clears the lead unit.
    Revise {
        project: i64,
        title: Option<String>,
        unit: Option<Option<i64>>,
    },
    Activity {
        project: i64,
        held_on: NaiveDate,
        planned: i64,
        actual: i64,
    },
    Meeting {
        community: i64,
        kind: MeetingKind,
        held_on: NaiveDate,
        attendees: Option<i64>,
        note: String,
    },
    /// A new project; `need`: the need it answers.
    AddProject {
        community: i64,
        title: String,
        unit: Option<i64>,
        due: NaiveDate,
        need: Option<i64>,
    },
    /// Records that `project` answers `need` (`project.need_id`).
    LinkNeed {
        project: i64,
        need: i64,
    },
    /// A satisfaction survey of a project.
    Survey {
        project: i64,
        held_on: NaiveDate,
        respondents: i64,
        satisfied: i64,
    },
    /// A party member registers with the community (`unit`: where the member works).
    AddMember {
        community: i64,
        name: String,
        unit: Option<i64>,
        registered_on: NaiveDate,
    },
    /// A member of the community leaves it.
    MemberLeft {
        community: i64,
        member: i64,
        left_on: NaiveDate,
    },
    /// One service session for each of `members` (a sign-in sheet: one date, one duration).
    Service {
        community: i64,
        members: Vec<i64>,
        served_on: NaiveDate,
        minutes: i64,
        project: Option<i64>,
        note: String,
    },
    /// A resource of the community was used `times` more times.
    ResourceUse {
        community: i64,
        resource: i64,
        times: i64,
    },
    /// A year-end grade (年终考评) given in `community`'s name or about it: the community
    /// itself, a unit, or the community's contract with a unit (`subject_id`). A second grade
    /// for the same year, subject and assessor replaces the first.
    Grade {
        community: i64,
        year: i32,
        subject: Subject,
        subject_id: i64,
        assessor: Assessor,
        grade: Grade,
        note: String,
    },
    /// A compensating entry for log entry `entry`.
    Undo {
        entry: i64,
    },
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Reschedule { .. } => ActionKind::Reschedule,
            Action::Pause { .. } => ActionKind::Pause,
            Action::Resume { .. } => ActionKind::Resume,
            Action::Done { .. } => ActionKind::Done,
            Action::Cancel { .. } => ActionKind::Cancel,
            Action::Convert { .. } => ActionKind::Convert,
            Action::Revise { .. } => ActionKind::Revise,
            Action::Activity { .. } => ActionKind::Activity,
            Action::Meeting { .. } => ActionKind::Meeting,
            Action::AddProject { .. } => ActionKind::AddProject,
            Action::LinkNeed { .. } => ActionKind::LinkNeed,
            Action::Survey { .. } => ActionKind::Survey,
            Action::AddMember { .. } => ActionKind::AddMember,
            Action::MemberLeft { .. } => ActionKind::MemberLeft,
            Action::Service { .. } => ActionKind::Service,
            Action::ResourceUse { .. } => ActionKind::ResourceUse,
            Action::Grade { .. } => ActionKind::Grade,
            Action::Undo { .. } => ActionKind::Undo,
        }
    }

    /// The existing project the action works on.
    pub fn project(&self) -> Option<i64> {
        match self {
            Action::Reschedule { project, .. }
            | Action::Pause { project }
            | Action::Resume { project }
            | Action::Done { project, .. }
            | Action::Cancel { project }
            | Action::Convert { project, .. }
            | Action::Revise { project, .. }
            | Action::Activity { project, .. }
            | Action::LinkNeed { project, .. }
            | Action::Survey { project, .. } => Some(*project),
            _ => None,
        }
    }

    /// The id of what the action is applied to: its project, community or log entry.
    pub fn target_id(&self) -> i64 {
        match self {
            Action::Meeting { community, .. }
            | Action::AddProject { community, .. }
            | Action::AddMember { community, .. }
            | Action::MemberLeft { community, .. }
            | Action::Service { community, .. }
            | Action::ResourceUse { community, .. }
            | Action::Grade { community, .. } => *community,
            Action::Undo { entry } => *entry,
            _ => self.project().unwrap_or_default(),
        }
    }
}

/// A valid action with who asks for it and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub action: Action,
    pub operator: String,
    pub reason: String,
}

/// The fields a form opens with: the target, today's date for dates of things done, and the
/// project's current values where the action edits them. The operator is not set here: use
/// [`super::operator::prefill`].
pub fn form_defaults(kind: ActionKind, project: Option<&ProjectState>, today: NaiveDate) -> Raw {
    let mut raw = Raw::new();
    if let Some(p) = project
        && kind.target() == Target::Project
    {
        raw.set(key::PROJECT, p.id.to_string());
    }
    (kind.row().defaults)(&mut raw, project, today);
    raw
}

/// Checks every field of `raw` for action `kind` against the file as it is now, and returns
/// the action or [`Error::Invalid`] with every problem found (one per field). `today` bounds
/// the dates of things done. Entries that cannot be undone give their own errors
/// ([`AdjustError::AlreadyUndone`], [`Error::UndoStale`]).
pub fn validate(
    conn: &dyn Source,
    kind: ActionKind,
    raw: &Raw,
    today: NaiveDate,
) -> Result<Request> {
    let mut errors = Vec::new();
    let action = parse(conn, kind, raw, today, &mut errors)?;
    match &action {
        Some(action) => {
            // What holds between fields (more satisfied than respondents), then the file.
            errors.extend(value_rules(action));
            errors.extend(rules(conn, action)?);
        }
        None => {
            // Still say at once whether the target itself is wrong.
            let target = kind.target().key();
            if let Ok(id) = fields::id(target, raw.get(target)) {
                errors.splice(0..0, target_rules(conn, kind, id)?);
            }
        }
    }
    let reason = keep(
        &mut errors,
        fields::required_text(key::REASON, raw.get(key::REASON), fields::MAX_REASON),
    );
    let operator = keep(
        &mut errors,
        fields::required_text(key::OPERATOR, raw.get(key::OPERATOR), fields::MAX_OPERATOR),
    );
    match (action, reason, operator) {
        (Some(action), Some(reason), Some(operator)) if errors.is_empty() => Ok(Request {
            action,
            operator,
            reason,
        }),
        _ => Err(AdjustError::Invalid(errors)),
    }
}

pub(super) fn keep<T>(
    errors: &mut Vec<FieldError>,
    result: std::result::Result<T, FieldError>,
) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// Reads every field; `None` when some field is wrong (each problem is pushed).
fn parse(
    conn: &dyn Source,
    kind: ActionKind,
    raw: &Raw,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Result<Option<Action>> {
    let target_key = kind.target().key();
    let target = keep(errors, fields::id(target_key, raw.get(target_key)));
    let reading = Reading {
        conn,
        raw,
        today,
        target,
    };
    (kind.row().parse)(&reading, errors)
}

/// The rules that depend only on the action's own values: what [`validate`] ensures for
/// text input, checked again for an action built in code.
pub(crate) fn value_rules(action: &Action) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut check = |r: std::result::Result<(), FieldError>| {
        if let Err(e) = r {
            errors.push(e);
        }
    };
    let title = |t: &str| {
        fields::required_text(key::TITLE, t, fields::MAX_TITLE).and_then(|clean| {
            if clean == t {
                Ok(())
            } else {
                Err(FieldError::new(
                    key::TITLE,
                    "首尾不能有空格",
                    "must not start or end with spaces",
                ))
            }
        })
    };
    let date =
        |field: &'static str, d: &NaiveDate| fields::date(field, &format_ymd(*d)).map(|_| ());
    let count = |field: &'static str, n: i64, min: i64| {
        fields::count(field, &n.to_string(), min).map(|_| ())
    };
    match action {
        Action::Reschedule { due, .. } => check(date(key::DUE, due)),
        Action::Done { done_on, .. } => check(date(key::DONE_ON, done_on)),
        Action::Convert { title: t, due, .. } | Action::AddProject { title: t, due, .. } => {
            check(title(t));
            check(date(key::DUE, due));
        }
        Action::Revise { title: Some(t), .. } => check(title(t)),
        Action::Activity {
            held_on,
            planned,
            actual,
            ..
        } => {
            check(date(key::HELD_ON, held_on));
            check(count(key::PLANNED, *planned, 1));
            check(count(key::ACTUAL, *actual, 0));
        }
        Action::Meeting {
            held_on,
            attendees,
            note,
            ..
        } => {
            check(date(key::HELD_ON, held_on));
            if let Some(n) = attendees {
                check(count(key::ATTENDEES, *n, 0));
            }
            check(fields::optional_text(key::NOTE, note, fields::MAX_NOTE).map(|_| ()));
        }
        Action::Survey {
            held_on,
            respondents,
            satisfied,
            ..
        } => {
            check(date(key::HELD_ON, held_on));
            check(count(key::RESPONDENTS, *respondents, 1));
            check(count(key::SATISFIED, *satisfied, 0));
            if satisfied > respondents {
                check(Err(FieldError::new(
                    key::SATISFIED,
                    format!("满意人数 {satisfied} 多于受访人数 {respondents}"),
                    format!("{satisfied} satisfied is more than the {respondents} respondents"),
                )));
            }
        }
        Action::AddMember {
            name,
            registered_on,
            ..
        } => {
            check(
                fields::required_text(key::NAME, name, fields::MAX_NAME).and_then(|clean| {
                    if clean == *name {
                        Ok(())
                    } else {
                        Err(FieldError::new(
                            key::NAME,
                            "首尾不能有空格",
                            "must not start or end with spaces",
                        ))
                    }
                }),
            );
            check(date(key::REGISTERED_ON, registered_on));
        }
        Action::MemberLeft { left_on, .. } => check(date(key::LEFT_ON, left_on)),
        Action::Service {
            members,
            served_on,
            minutes,
            note,
            ..
        } => {
            if members.is_empty() {
                check(Err(FieldError::new(
                    key::MEMBERS,
                    "不能为空：请填写至少一名党员",
                    "must not be blank: name at least one member",
                )));
            }
            check(date(key::SERVED_ON, served_on));
            if !(1..=fields::MAX_MINUTES).contains(minutes) {
                check(Err(FieldError::new(
                    key::DURATION,
                    format!("{minutes} 分钟不在 1 到 {} 分钟之间", fields::MAX_MINUTES),
                    format!("{minutes} minutes is not from 1 to {}", fields::MAX_MINUTES),
                )));
            }
            check(fields::optional_text(key::NOTE, note, fields::MAX_NOTE).map(|_| ()));
        }
        Action::ResourceUse { times, .. } => check(count(key::TIMES, *times, 1)),
        Action::Grade { year, note, .. } => {
            check(fields::year(key::YEAR, &year.to_string()).map(|_| ()));
            check(fields::optional_text(key::NOTE, note, fields::MAX_NOTE).map(|_| ()));
        }
        _ => {}
    }
    errors
}

/// The rules that depend on the file: the target exists and its state allows the action,
/// the lead unit exists, and the change changes something.
pub(crate) fn rules(conn: &dyn Source, action: &Action) -> Result<Vec<FieldError>> {
    let kind = action.kind();
    let mut errors = target_rules(conn, kind, action.target_id())?;
    if !errors.is_empty() {
        return Ok(errors);
    }
    let current = match action.project() {
        Some(id) => project::project_state(conn, id)?,
        None => None,
    };
    let unit_exists = |unit: Option<i64>, errors: &mut Vec<FieldError>| -> Result<()> {
        if let Some(id) = unit
            && project::unit_name(conn, id)?.is_none()
        {
            errors.push(FieldError::new(
                key::UNIT,
                format!("没有编号为 {id} 的驻区单位：请从单位列表中选择，或填 none 表示由社区自办"),
                format!("there is no unit with id {id}: pick one from the unit list, or none for a project the community runs alone"),
            ));
        }
        Ok(())
    };
    match (action, &current) {
        (Action::Reschedule { due, .. }, Some(p)) if p.due_on == format_ymd(*due) => {
            errors.push(FieldError::new(
                key::DUE,
                format!("与当前截止日期 {} 相同：请填写新的日期", p.due_on),
                format!("is the current due date {}: give a new date", p.due_on),
            ));
        }
        (Action::Convert { unit, .. }, _) | (Action::AddProject { unit, .. }, _) => {
            unit_exists(*unit, &mut errors)?;
            if let Action::AddProject {
                need: Some(need), ..
            } = action
            {
                errors.extend(super::records::need_exists(conn, *need)?);
            }
        }
        (Action::Revise { title, unit, .. }, Some(p)) => {
            if let Some(Some(id)) = unit {
                unit_exists(Some(*id), &mut errors)?;
            }
            let new_title = title.as_ref().filter(|t| **t != p.title);
            let new_unit = unit.filter(|u| *u != p.unit_id);
            if new_title.is_none() && new_unit.is_none() {
                errors.push(FieldError::new(
                    key::TITLE,
                    "没有要修改的内容：请填写新的项目名称或牵头单位",
                    "nothing to change: give a new title or lead unit",
                ));
            }
        }
        (Action::Activity { held_on, .. }, Some(p)) if p.status() == Some(Status::Done) => {
            if let Some(done) = p.done_on.as_deref().and_then(parse_ymd)
                && *held_on > done
            {
                let (d, f) = (format_ymd(*held_on), format_ymd(done));
                errors.push(FieldError::new(
                    key::HELD_ON,
                    format!("{d} 晚于项目的完成日期 {f}：已完成的项目只能补记完成日期当天或以前的活动"),
                    format!("{d} is after the project's done date {f}: a done project takes only activities held on or before it"),
                ));
            }
        }
        _ => errors.extend(super::records::rules(conn, action)?),
    }
    Ok(errors)
}

/// The target exists, and a project's status allows the action. Problems with the entry to
/// undo that are not about the input come back as errors of their own.
fn target_rules(conn: &dyn Source, kind: ActionKind, id: i64) -> Result<Vec<FieldError>> {
    let mut errors = Vec::new();
    match kind.target() {
        Target::Project => match project::project_state(conn, id)? {
            None => errors.push(FieldError::new(
                key::PROJECT,
                format!("没有编号为 {id} 的项目：请填写项目清单中的项目编号"),
                format!("there is no project with id {id}: give the id of a project in the project list"),
            )),
            Some(p) => match p.status() {
                None => errors.push(FieldError::new(
                    key::PROJECT,
                    format!(
                        "项目 {}的状态值“{}”不符合约定（应为 active、paused、done 或 cancelled），不能调整；请先更正数据",
                        p.name(true),
                        fields::shown(&p.status)
                    ),
                    format!(
                        "project {} has status \"{}\", which the contract does not allow (active, paused, done or cancelled): correct the data first",
                        p.name(false),
                        fields::shown(&p.status)
                    ),
                )),
                Some(status) if !kind.allowed_on(status) => {
                    let (zh, en) = kind.rule();
                    errors.push(FieldError::new(
                        key::PROJECT,
                        format!(
                            "项目 {}当前为“{}”：{zh}",
                            p.name(true),
                            status.word(Lang::Zh)
                        ),
                        format!(
                            "project {} is {}: {en}",
                            p.name(false),
                            status.word(Lang::En)
                        ),
                    ));
                }
                Some(_) => {}
            },
        },
        Target::Community => {
            if project::community_name(conn, id)?.is_none() {
                errors.push(FieldError::new(
                    key::COMMUNITY,
                    format!("没有编号为 {id} 的社区：请填写社区列表中的编号"),
                    format!("there is no community with id {id}: give the id of a listed community"),
                ));
            }
        }
        Target::Entry => match super::undo::plan(conn, id) {
            Ok(_) => {}
            Err(AdjustError::Invalid(problems)) => errors.extend(problems),
            Err(other) => return Err(other),
        },
    }
    Ok(errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adjust::test_conn;

    const TODAY: &str = "2026-11-28";

    fn today() -> NaiveDate {
        parse_ymd(TODAY).expect("date")
    }

    fn day(text: &str) -> NaiveDate {
        parse_ymd(text).expect("date")
    }

    /// Raw input with a reason and an operator, plus `pairs`.
    fn raw(pairs: &[(&'static str, &str)]) -> Raw {
        let mut raw = Raw::new()
            .with(key::REASON, "周例会决定")
            .with(key::OPERATOR, "王芳");
        for (k, v) in pairs {
            raw.set(k, *v);
        }
        raw
    }

    fn ok(kind: ActionKind, pairs: &[(&'static str, &str)]) -> Action {
        match validate(&test_conn(), kind, &raw(pairs), today()) {
            Ok(request) => request.action,
            Err(e) => panic!("{kind:?} {pairs:?}: {}", e.message(Lang::En)),
        }
    }

    /// The fields that are reported wrong, each message checked for both languages.
    fn bad(kind: ActionKind, pairs: &[(&'static str, &str)]) -> Vec<&'static str> {
        bad_raw(kind, &raw(pairs))
    }

    fn bad_raw(kind: ActionKind, raw: &Raw) -> Vec<&'static str> {
        match validate(&test_conn(), kind, raw, today()) {
            Ok(r) => panic!("{kind:?} {raw:?} accepted: {r:?}"),
            Err(AdjustError::Invalid(errors)) => {
                for e in &errors {
                    assert!(!e.zh.is_empty() && !e.en.is_empty(), "{e:?}");
                }
                errors.iter().map(|e| e.field).collect()
            }
            Err(other) => panic!("{kind:?}: unexpected {other:?}"),
        }
    }

    #[test]
    fn reason_and_operator_are_required_and_bounded_for_every_action() {
        let long_reason = "因".repeat(fields::MAX_REASON + 1);
        let long_name = "王".repeat(fields::MAX_OPERATOR + 1);
        for kind in ActionKind::ALL {
            let mut raw = Raw::new();
            assert!(bad_raw(kind, &raw).contains(&key::REASON), "{kind:?}");
            raw.set(key::REASON, "  ");
            raw.set(key::OPERATOR, "\t");
            let fields = bad_raw(kind, &raw);
            assert!(
                fields.contains(&key::REASON) && fields.contains(&key::OPERATOR),
                "{kind:?}"
            );
            raw.set(key::REASON, long_reason.as_str());
            raw.set(key::OPERATOR, long_name.as_str());
            let fields = bad_raw(kind, &raw);
            assert!(
                fields.contains(&key::REASON) && fields.contains(&key::OPERATOR),
                "{kind:?}"
            );
            raw.set(key::REASON, "a\nb");
            assert!(bad_raw(kind, &raw).contains(&key::REASON), "{kind:?}");
        }
    }

    #[test]
    fn reschedule() {
        assert_eq!(
            ok(
                ActionKind::Reschedule,
                &[(key::PROJECT, "1"), (key::DUE, "2027-01-31")]
            ),
            Action::Reschedule {
                project: 1,
                due: day("2027-01-31")
            }
        );
        // A paused project can be re-planned too.
        ok(
            ActionKind::Reschedule,
            &[(key::PROJECT, "2"), (key::DUE, "2027-01-31")],
        );
        for (pairs, fields) in [
            (vec![(key::DUE, "2027-01-31")], vec![key::PROJECT]),
            (
                vec![(key::PROJECT, "x"), (key::DUE, "2027-01-31")],
                vec![key::PROJECT],
            ),
            (
                vec![(key::PROJECT, "99"), (key::DUE, "2027-01-31")],
                vec![key::PROJECT],
            ),
            (vec![(key::PROJECT, "1")], vec![key::DUE]),
            (
                vec![(key::PROJECT, "1"), (key::DUE, "2027-02-30")],
                vec![key::DUE],
            ),
            (
                vec![(key::PROJECT, "1"), (key::DUE, "2027/01/31")],
                vec![key::DUE],
            ),
            (
                vec![(key::PROJECT, "1"), (key::DUE, "2026-12-20")],
                vec![key::DUE],
            ),
            (
                vec![(key::PROJECT, "3"), (key::DUE, "2027-01-31")],
                vec![key::PROJECT],
            ),
            (
                vec![(key::PROJECT, "4"), (key::DUE, "bad")],
                vec![key::PROJECT, key::DUE],
            ),
        ] {
            assert_eq!(bad(ActionKind::Reschedule, &pairs), fields, "{pairs:?}");
        }
    }

    #[test]
    fn status_rules_for_every_project_action() {
        // Project 1 active, 2 paused, 3 done, 4 cancelled.
        let statuses = [
            (1, Status::Active),
            (2, Status::Paused),
            (3, Status::Done),
            (4, Status::Cancelled),
        ];
        for kind in ActionKind::in_menu(Target::Project) {
            for (id, status) in statuses {
                let id_text = id.to_string();
                let mut pairs: Vec<(&'static str, &str)> = vec![(key::PROJECT, &id_text)];
                pairs.extend(match kind {
                    ActionKind::Reschedule => vec![(key::DUE, "2027-06-30")],
                    ActionKind::Done => vec![(key::DONE_ON, "2026-11-20")],
                    ActionKind::Convert => vec![(key::TITLE, "新名称"), (key::DUE, "2027-06-30")],
                    ActionKind::Revise => vec![(key::TITLE, "新名称")],
                    ActionKind::Activity => vec![
                        (key::HELD_ON, "2026-07-01"),
                        (key::PLANNED, "10"),
                        (key::ACTUAL, "8"),
                    ],
                    ActionKind::LinkNeed => vec![(key::NEED, "1")],
                    ActionKind::Survey => vec![
                        (key::HELD_ON, "2026-07-01"),
                        (key::RESPONDENTS, "10"),
                        (key::SATISFIED, "8"),
                    ],
                    _ => vec![],
                });
                let result = validate(&test_conn(), kind, &raw(&pairs), today());
                if kind.allowed_on(status) {
                    assert!(result.is_ok(), "{kind:?} on {status:?}: {result:?}");
                } else {
                    let Err(AdjustError::Invalid(errors)) = result else {
                        panic!("{kind:?} on {status:?} accepted");
                    };
                    assert_eq!(errors.len(), 1, "{errors:?}");
                    assert_eq!(errors[0].field, key::PROJECT);
                    let word = status.word(Lang::Zh);
                    assert!(errors[0].zh.contains(word), "{}", errors[0].zh);
                    assert!(errors[0].en.contains("only") || errors[0].en.contains("cannot"));
                }
            }
        }
        assert!(ActionKind::Pause.allowed_on(Status::Active));
        assert!(!ActionKind::Pause.allowed_on(Status::Paused));
        assert!(ActionKind::Resume.allowed_on(Status::Paused));
        assert!(!ActionKind::Resume.allowed_on(Status::Active));
        assert!(ActionKind::Revise.allowed_on(Status::Done));
        assert!(!ActionKind::Done.allowed_on(Status::Done));
    }

    #[test]
    fn a_status_outside_the_contract_takes_no_action() {
        let fields = bad(ActionKind::Pause, &[(key::PROJECT, "5")]);
        assert_eq!(fields, vec![key::PROJECT]);
        let Err(AdjustError::Invalid(errors)) = validate(
            &test_conn(),
            ActionKind::Pause,
            &raw(&[(key::PROJECT, "5")]),
            today(),
        ) else {
            panic!("accepted");
        };
        assert!(errors[0].en.contains("\"unknown\""), "{}", errors[0].en);
    }

    #[test]
    fn done_dates_default_nowhere_and_are_not_after_today() {
        assert_eq!(
            ok(
                ActionKind::Done,
                &[(key::PROJECT, "1"), (key::DONE_ON, TODAY)]
            ),
            Action::Done {
                project: 1,
                done_on: today()
            }
        );
        for (value, why) in [
            ("", "blank"),
            ("2026-11-29", "after today"),
            ("2026-11-31", "not real"),
        ] {
            assert_eq!(
                bad(
                    ActionKind::Done,
                    &[(key::PROJECT, "1"), (key::DONE_ON, value)]
                ),
                vec![key::DONE_ON],
                "{why}"
            );
        }
    }

    #[test]
    fn convert_keeps_the_lead_unit_unless_told() {
        let convert = |unit: &str| {
            ok(
                ActionKind::Convert,
                &[
                    (key::PROJECT, "1"),
                    (key::TITLE, " 老年兴趣小组 "),
                    (key::UNIT, unit),
                    (key::DUE, "2027-06-30"),
                ],
            )
        };
        let with_unit = |unit| Action::Convert {
            project: 1,
            title: "老年兴趣小组".into(),
            unit,
            due: day("2027-06-30"),
        };
        assert_eq!(convert(""), with_unit(Some(1)));
        assert_eq!(convert("2"), with_unit(Some(2)));
        assert_eq!(convert("石羊塘小学"), with_unit(Some(2)));
        assert_eq!(convert("none"), with_unit(None));
        assert_eq!(convert("无"), with_unit(None));
        let base = [
            (key::PROJECT, "1"),
            (key::TITLE, "新"),
            (key::DUE, "2027-06-30"),
        ];
        let with = |extra: (&'static str, &'static str)| {
            let mut pairs = base.to_vec();
            pairs.retain(|(k, _)| *k != extra.0);
            pairs.push(extra);
            bad(ActionKind::Convert, &pairs)
        };
        assert_eq!(with((key::UNIT, "99")), vec![key::UNIT]);
        assert_eq!(with((key::UNIT, "不存在的单位")), vec![key::UNIT]);
        assert_eq!(with((key::TITLE, "   ")), vec![key::TITLE]);
        assert_eq!(with((key::TITLE, "a\u{7}b")), vec![key::TITLE]);
        let long = "项".repeat(fields::MAX_TITLE + 1);
        let long: &'static str = Box::leak(long.into_boxed_str());
        assert_eq!(with((key::TITLE, long)), vec![key::TITLE]);
        assert_eq!(with((key::DUE, "")), vec![key::DUE]);
        assert_eq!(with((key::DUE, "2031-02-29")), vec![key::DUE]);
        assert_eq!(
            bad(ActionKind::Convert, &[(key::PROJECT, "3")]),
            vec![key::PROJECT, key::TITLE, key::DUE]
        );
    }

    #[test]
    fn revise_keeps_only_what_differs() {
        assert_eq!(
            ok(
                ActionKind::Revise,
                &[
                    (key::PROJECT, "1"),
                    (key::TITLE, "健康讲座"),
                    (key::UNIT, "2")
                ]
            ),
            Action::Revise {
                project: 1,
                title: None,
                unit: Some(Some(2))
            }
        );
        assert_eq!(
            ok(
                ActionKind::Revise,
                &[(key::PROJECT, "1"), (key::UNIT, "none")]
            ),
            Action::Revise {
                project: 1,
                title: None,
                unit: Some(None)
            }
        );
        assert_eq!(
            ok(
                ActionKind::Revise,
                &[(key::PROJECT, "3"), (key::TITLE, "家长课堂（春季）")]
            ),
            Action::Revise {
                project: 3,
                title: Some("家长课堂（春季）".into()),
                unit: None
            }
        );
        for pairs in [
            vec![(key::PROJECT, "1")],
            vec![
                (key::PROJECT, "1"),
                (key::TITLE, "健康讲座"),
                (key::UNIT, "1"),
            ],
            vec![(key::PROJECT, "2"), (key::UNIT, "none")],
        ] {
            assert_eq!(
                bad(ActionKind::Revise, &pairs),
                vec![key::TITLE],
                "{pairs:?}"
            );
        }
        assert_eq!(
            bad(ActionKind::Revise, &[(key::PROJECT, "1"), (key::UNIT, "7")]),
            vec![key::UNIT]
        );
        assert_eq!(
            bad(
                ActionKind::Revise,
                &[(key::PROJECT, "4"), (key::TITLE, "x")]
            ),
            vec![key::PROJECT]
        );
    }

    #[test]
    fn activity_numbers_and_dates() {
        let good = [
            (key::PROJECT, "1"),
            (key::HELD_ON, "2026-11-20"),
            (key::PLANNED, "30"),
            (key::ACTUAL, "0"),
        ];
        assert_eq!(
            ok(ActionKind::Activity, &good),
            Action::Activity {
                project: 1,
                held_on: day("2026-11-20"),
                planned: 30,
                actual: 0
            }
        );
        let with = |field: &'static str, value: &'static str| {
            let mut pairs = good.to_vec();
            pairs.retain(|(k, _)| *k != field);
            pairs.push((field, value));
            bad(ActionKind::Activity, &pairs)
        };
        for (field, value) in [
            (key::HELD_ON, ""),
            (key::HELD_ON, "2026-11-29"),
            (key::HELD_ON, "2026-13-01"),
            (key::PLANNED, "0"),
            (key::PLANNED, ""),
            (key::PLANNED, "2.5"),
            (key::PLANNED, "-3"),
            (key::PLANNED, "100001"),
            (key::ACTUAL, "-1"),
            (key::ACTUAL, "many"),
            (key::ACTUAL, ""),
        ] {
            assert_eq!(with(field, value), vec![field], "{field}={value:?}");
        }
        // A done project takes activities up to its done date only.
        let done = |held: &'static str| {
            [
                (key::PROJECT, "3"),
                (key::HELD_ON, held),
                (key::PLANNED, "10"),
                (key::ACTUAL, "9"),
            ]
        };
        ok(ActionKind::Activity, &done("2026-07-10"));
        assert_eq!(
            bad(ActionKind::Activity, &done("2026-07-11")),
            vec![key::HELD_ON]
        );
        assert_eq!(
            bad(
                ActionKind::Activity,
                &[(key::PROJECT, "4"), (key::PLANNED, "x")]
            ),
            vec![key::PROJECT, key::HELD_ON, key::PLANNED, key::ACTUAL]
        );
    }

    #[test]
    fn meeting_fields() {
        let good = [
            (key::COMMUNITY, "1"),
            (key::KIND, "quarterly"),
            (key::HELD_ON, "2026-11-20"),
        ];
        assert_eq!(
            ok(ActionKind::Meeting, &good),
            Action::Meeting {
                community: 1,
                kind: MeetingKind::Quarterly,
                held_on: day("2026-11-20"),
                attendees: None,
                note: String::new()
            }
        );
        for (text, kind) in [
            ("site_visit", MeetingKind::SiteVisit),
            ("site-visit", MeetingKind::SiteVisit),
            ("现场走访", MeetingKind::SiteVisit),
            ("现场会", MeetingKind::SiteVisit),
            ("季度例会", MeetingKind::Quarterly),
            ("OTHER", MeetingKind::Other),
        ] {
            assert_eq!(MeetingKind::parse(text), Some(kind), "{text}");
        }
        let with = |field: &'static str, value: &'static str| {
            let mut pairs = good.to_vec();
            pairs.retain(|(k, _)| *k != field);
            pairs.push((field, value));
            pairs
        };
        let Action::Meeting {
            attendees, note, ..
        } = ok(
            ActionKind::Meeting,
            &[with(key::ATTENDEES, "12"), vec![(key::NOTE, " 第四季度 ")]].concat(),
        )
        else {
            panic!("not a meeting");
        };
        assert_eq!((attendees, note.as_str()), (Some(12), "第四季度"));
        for (field, value) in [
            (key::COMMUNITY, ""),
            (key::COMMUNITY, "99"),
            (key::COMMUNITY, "abc"),
            (key::KIND, ""),
            (key::KIND, "weekly"),
            (key::HELD_ON, "2026-12-01"),
            (key::HELD_ON, "yesterday"),
            (key::ATTENDEES, "-5"),
            (key::ATTENDEES, "十二"),
            (key::NOTE, "第一行\n第二行"),
        ] {
            assert_eq!(
                bad(ActionKind::Meeting, &with(field, value)),
                vec![field],
                "{field}={value:?}"
            );
        }
        let long = "记".repeat(fields::MAX_NOTE + 1);
        let long: &'static str = Box::leak(long.into_boxed_str());
        assert_eq!(
            bad(ActionKind::Meeting, &with(key::NOTE, long)),
            vec![key::NOTE]
        );
    }

    #[test]
    fn add_project_fields() {
        let good = [
            (key::COMMUNITY, "2"),
            (key::TITLE, "垃圾分类督导"),
            (key::DUE, "2027-03-31"),
        ];
        assert_eq!(
            ok(ActionKind::AddProject, &good),
            Action::AddProject {
                community: 2,
                title: "垃圾分类督导".into(),
                unit: None,
                due: day("2027-03-31"),
                need: None,
            }
        );
        let with = |field: &'static str, value: &'static str| {
            let mut pairs = good.to_vec();
            pairs.retain(|(k, _)| *k != field);
            pairs.push((field, value));
            pairs
        };
        let Action::AddProject { unit, .. } = ok(ActionKind::AddProject, &with(key::UNIT, "1"))
        else {
            panic!("not add-project");
        };
        assert_eq!(unit, Some(1));
        for (field, value) in [
            (key::COMMUNITY, "0"),
            (key::COMMUNITY, "42"),
            (key::TITLE, ""),
            (key::TITLE, "\u{202E}反转"),
            (key::UNIT, "3"),
            (key::DUE, "31-03-2027"),
            (key::DUE, "1999-12-31"),
        ] {
            assert_eq!(
                bad(ActionKind::AddProject, &with(field, value)),
                vec![field],
                "{field}={value:?}"
            );
        }
    }

    #[test]
    fn every_project_action_needs_a_real_project() {
        for kind in ActionKind::in_menu(Target::Project) {
            for id in ["", "x", "0", "-1", "99"] {
                let fields = bad(kind, &[(key::PROJECT, id)]);
                assert_eq!(fields.first(), Some(&key::PROJECT), "{kind:?} {id:?}");
            }
        }
    }

    #[test]
    fn undo_input() {
        assert_eq!(bad(ActionKind::Undo, &[]), vec![key::ENTRY]);
        assert_eq!(
            bad(ActionKind::Undo, &[(key::ENTRY, "abc")]),
            vec![key::ENTRY]
        );
        assert_eq!(
            bad(ActionKind::Undo, &[(key::ENTRY, "7")]),
            vec![key::ENTRY]
        );
    }

    #[test]
    fn every_message_names_what_is_accepted() {
        let conn = test_conn();
        let raw = raw(&[
            (key::COMMUNITY, "1"),
            (key::KIND, "weekly"),
            (key::HELD_ON, "2026/11/20"),
            (key::ATTENDEES, "-1"),
        ]);
        let Err(e) = validate(&conn, ActionKind::Meeting, &raw, today()) else {
            panic!("accepted");
        };
        let en = e.message(Lang::En);
        let zh = e.message(Lang::Zh);
        assert_eq!(en.lines().count(), 1, "one line for all: {en}");
        for needle in [
            "季度例会 quarterly, 现场会 site_visit, 其他 other",
            "YYYY-MM-DD",
            "from 0 to 100000",
        ] {
            assert!(en.contains(needle), "{needle}: {en}");
        }
        for needle in [
            "例会类型（--kind）",
            "日期（--held-on）",
            "参会人数（--attendees）",
        ] {
            assert!(zh.contains(needle), "{needle}: {zh}");
        }
    }

    #[test]
    fn defaults_for_each_form() {
        let conn = test_conn();
        let p = project::project_state(&conn, 1)
            .expect("read")
            .expect("project");
        let d = form_defaults(ActionKind::Reschedule, Some(&p), today());
        assert_eq!((d.get(key::PROJECT), d.get(key::DUE)), ("1", "2026-12-20"));
        assert_eq!(
            form_defaults(ActionKind::Done, Some(&p), today()).get(key::DONE_ON),
            TODAY
        );
        let d = form_defaults(ActionKind::Revise, Some(&p), today());
        assert_eq!((d.get(key::TITLE), d.get(key::UNIT)), ("健康讲座", "1"));
        let d = form_defaults(ActionKind::Meeting, None, today());
        assert_eq!(
            (d.get(key::KIND), d.get(key::HELD_ON)),
            ("quarterly", TODAY)
        );
        for kind in ActionKind::ALL {
            assert_eq!(ActionKind::parse(kind.key()), Some(kind));
            for field in kind.fields() {
                assert!(!field.label(Lang::Zh).is_empty(), "{kind:?} {}", field.key);
            }
        }
    }

    #[test]
    fn actions_built_in_code_are_checked_too() {
        let errors = value_rules(&Action::Activity {
            project: 1,
            held_on: day("2026-11-20"),
            planned: 0,
            actual: -1,
        });
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![key::PLANNED, key::ACTUAL]);
        let errors = value_rules(&Action::AddProject {
            community: 1,
            title: " 带空格 ".into(),
            unit: None,
            due: day("1990-01-01"),
            need: None,
        });
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![key::TITLE, key::DUE]);
    }
}
