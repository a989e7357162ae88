//! The table of adjustment kinds: one row per kind with everything about it that is not its
//! apply and undo code. The dashboard's menu and form, the command line (`gongjian adjust
//! KEY --FIELD …`), validation and the log's words all read this table.
//!
//! To add an adjustment: a variant of [`ActionKind`] and of [`super::Action`], one row here
//! (with its field reader in `parse.rs`), then its effect and undo: in `records.rs` for a
//! kind that inserts rows or sets one column (most), else in `apply.rs` and `undo.rs`.

use super::action::{Action, ActionKind, FieldSpec, Input, Target};
use super::error::Result;
use super::parse;
use super::project::ProjectState;
use crate::fields::{self, FieldError, Raw, key};
use crate::i18n::Term;
use crate::model::Status;
use crate::store::rows::Source;
use chrono::NaiveDate;

/// Reads a kind's fields from raw text: the action, or `None` with each problem pushed.
/// `target` is the id of the kind's target when it was readable.
pub type ParseFn = fn(&Reading<'_>, &mut Vec<FieldError>) -> Result<Option<Action>>;

/// Fills the fields a form opens with (besides the target), from the project and today.
pub type DefaultsFn = fn(&mut Raw, Option<&ProjectState>, NaiveDate);

/// What a kind's field reader reads from.
pub struct Reading<'a> {
    pub conn: &'a dyn Source,
    pub raw: &'a Raw,
    pub today: NaiveDate,
    pub target: Option<i64>,
}

/// One adjustment kind.
pub struct KindRow {
    pub kind: ActionKind,
    /// The name in the log's `action` column and the command-line verb.
    pub key: &'static str,
    /// The menu entry, the form's title and the log's word.
    pub label: Term,
    /// One line of command-line help (after the Chinese label).
    pub about: &'static str,
    pub target: Target,
    /// The form's fields in form order, besides the target, the reason and the operator;
    /// each is also a command-line flag `--KEY`.
    pub fields: &'static [FieldSpec],
    /// For an action on a project: the statuses that allow it (other targets: all).
    pub allowed: &'static [Status],
    /// The rule behind `allowed`, said to the user when the project's status refuses it.
    pub rule: Term,
    /// Listed in the dashboard's `a` menu.
    pub in_menu: bool,
    /// A field the command line fills with today when it is not given.
    pub cli_today: Option<&'static str>,
    pub defaults: DefaultsFn,
    pub parse: ParseFn,
}

const fn spec(key: &'static str, input: Input, required: bool) -> FieldSpec {
    FieldSpec {
        key,
        input,
        required,
    }
}

const TITLE: FieldSpec = spec(
    key::TITLE,
    Input::Text {
        max: fields::MAX_TITLE,
    },
    true,
);
const UNIT: FieldSpec = spec(key::UNIT, Input::Unit, false);
const DUE: FieldSpec = spec(key::DUE, Input::Date, true);
const NOTE: FieldSpec = spec(
    key::NOTE,
    Input::Text {
        max: fields::MAX_NOTE,
    },
    false,
);

use Status::{Active, Cancelled, Done, Paused};
const ANY: &[Status] = &[Active, Paused, Done, Cancelled];
const OPEN: &[Status] = &[Active, Paused];
const NOT_CANCELLED: &[Status] = &[Active, Paused, Done];
const NO_RULE: Term = ("", "");

fn no_defaults(_: &mut Raw, _: Option<&ProjectState>, _: NaiveDate) {}

/// Every kind, in [`ActionKind`] order (a test holds the two together); the menu lists the
/// kinds with `in_menu` in this order, the project's first.
pub static KINDS: [KindRow; 18] = [
    KindRow {
        kind: ActionKind::Reschedule,
        key: "reschedule",
        label: ("改期", "reschedule"),
        about: "give a project a new due date",
        target: Target::Project,
        fields: &[DUE],
        allowed: OPEN,
        rule: (
            "只能对进行中或暂停的项目改期",
            "only an active or paused project can be rescheduled",
        ),
        in_menu: true,
        cli_today: None,
        defaults: parse::reschedule_defaults,
        parse: parse::reschedule,
    },
    KindRow {
        kind: ActionKind::Pause,
        key: "pause",
        label: ("暂停", "pause"),
        about: "pause an active project",
        target: Target::Project,
        fields: &[],
        allowed: &[Active],
        rule: (
            "只能暂停进行中的项目",
            "only an active project can be paused",
        ),
        in_menu: true,
        cli_today: None,
        defaults: no_defaults,
        parse: parse::pause,
    },
    KindRow {
        kind: ActionKind::Resume,
        key: "resume",
        label: ("恢复", "resume"),
        about: "resume a paused project",
        target: Target::Project,
        fields: &[],
        allowed: &[Paused],
        rule: (
            "只能恢复已暂停的项目",
            "only a paused project can be resumed",
        ),
        in_menu: true,
        cli_today: None,
        defaults: no_defaults,
        parse: parse::resume,
    },
    KindRow {
        kind: ActionKind::Done,
        key: "done",
        label: ("完成", "done"),
        about: "mark a project done (done date: today unless given)",
        target: Target::Project,
        fields: &[spec(key::DONE_ON, Input::PastDate, true)],
        allowed: OPEN,
        rule: (
            "只能把进行中或暂停的项目标为完成",
            "only an active or paused project can be marked done",
        ),
        in_menu: true,
        cli_today: Some(key::DONE_ON),
        defaults: parse::done_defaults,
        parse: parse::done,
    },
    KindRow {
        kind: ActionKind::Cancel,
        key: "cancel",
        label: ("终止", "cancel"),
        about: "cancel an active or paused project",
        target: Target::Project,
        fields: &[],
        allowed: OPEN,
        rule: (
            "只能终止进行中或暂停的项目",
            "only an active or paused project can be cancelled",
        ),
        in_menu: true,
        cli_today: None,
        defaults: no_defaults,
        parse: parse::cancel,
    },
    KindRow {
        kind: ActionKind::Convert,
        key: "convert",
        label: ("转型", "convert"),
        about: "cancel a project and create its successor in the same community (lead unit kept unless given)",
        target: Target::Project,
        fields: &[TITLE, UNIT, DUE],
        allowed: OPEN,
        rule: (
            "只能转型进行中或暂停的项目",
            "only an active or paused project can be converted",
        ),
        in_menu: true,
        cli_today: None,
        defaults: parse::convert_defaults,
        parse: parse::convert,
    },
    KindRow {
        kind: ActionKind::Revise,
        key: "revise",
        label: ("修改", "revise"),
        about: "change a project's title or lead unit",
        target: Target::Project,
        fields: &[
            spec(
                key::TITLE,
                Input::Text {
                    max: fields::MAX_TITLE,
                },
                false,
            ),
            UNIT,
        ],
        allowed: NOT_CANCELLED,
        rule: (
            "已终止的项目不能再修改",
            "a cancelled project cannot be revised",
        ),
        in_menu: true,
        cli_today: None,
        defaults: parse::revise_defaults,
        parse: parse::revise,
    },
    KindRow {
        kind: ActionKind::Activity,
        key: "activity",
        label: ("记录活动", "log activity"),
        about: "log one session of a project",
        target: Target::Project,
        fields: &[
            spec(key::HELD_ON, Input::PastDate, true),
            spec(key::PLANNED, Input::Count { min: 1 }, true),
            spec(key::ACTUAL, Input::Count { min: 0 }, true),
        ],
        allowed: NOT_CANCELLED,
        rule: (
            "已终止的项目不能再记录活动",
            "activities cannot be logged on a cancelled project",
        ),
        in_menu: true,
        cli_today: None,
        defaults: parse::held_today,
        parse: parse::activity,
    },
    KindRow {
        kind: ActionKind::Meeting,
        key: "meeting",
        label: ("记录例会", "log meeting"),
        about: "log a meeting of a community",
        target: Target::Community,
        fields: &[
            spec(key::KIND, Input::MeetingKind, true),
            spec(key::HELD_ON, Input::PastDate, true),
            spec(key::ATTENDEES, Input::Count { min: 0 }, false),
            NOTE,
        ],
        allowed: ANY,
        rule: NO_RULE,
        in_menu: true,
        cli_today: None,
        defaults: parse::meeting_defaults,
        parse: parse::meeting,
    },
    KindRow {
        kind: ActionKind::AddProject,
        key: "add-project",
        label: ("新增项目", "add project"),
        about: "add a project to a community's list (--need: the need it answers)",
        target: Target::Community,
        fields: &[TITLE, UNIT, DUE, spec(key::NEED, Input::Need, false)],
        allowed: ANY,
        rule: NO_RULE,
        in_menu: true,
        cli_today: None,
        defaults: no_defaults,
        parse: parse::add_project,
    },
    KindRow {
        kind: ActionKind::LinkNeed,
        key: "link-need",
        label: ("对接需求", "link to a need"),
        about: "record the need (需求清单) a project answers",
        target: Target::Project,
        fields: &[spec(key::NEED, Input::Need, true)],
        allowed: NOT_CANCELLED,
        rule: (
            "已终止的项目不能对接需求",
            "a cancelled project cannot answer a need",
        ),
        in_menu: true,
        cli_today: None,
        defaults: no_defaults,
        parse: parse::link_need,
    },
    KindRow {
        kind: ActionKind::Survey,
        key: "survey",
        label: ("记录满意度调查", "record a survey"),
        about: "record a satisfaction survey of a project (respondents, satisfied)",
        target: Target::Project,
        fields: &[
            spec(key::HELD_ON, Input::PastDate, true),
            spec(key::RESPONDENTS, Input::Count { min: 1 }, true),
            spec(key::SATISFIED, Input::Count { min: 0 }, true),
        ],
        allowed: NOT_CANCELLED,
        rule: (
            "已终止的项目不能再记录满意度调查",
            "surveys cannot be recorded on a cancelled project",
        ),
        in_menu: true,
        cli_today: None,
        defaults: parse::held_today,
        parse: parse::survey,
    },
    KindRow {
        kind: ActionKind::AddMember,
        key: "add-member",
        label: ("党员报到", "register a member"),
        about: "register a party member with a community (双报到)",
        target: Target::Community,
        fields: &[
            spec(
                key::NAME,
                Input::Text {
                    max: fields::MAX_NAME,
                },
                true,
            ),
            spec(key::WORKPLACE, Input::Unit, false),
            spec(key::REGISTERED_ON, Input::PastDate, true),
        ],
        allowed: ANY,
        rule: NO_RULE,
        in_menu: true,
        cli_today: Some(key::REGISTERED_ON),
        defaults: parse::registered_today,
        parse: parse::add_member,
    },
    KindRow {
        kind: ActionKind::MemberLeft,
        key: "member-left",
        label: ("党员离开", "member leaves"),
        about: "record that a registered member left the community",
        target: Target::Community,
        fields: &[
            spec(key::MEMBER, Input::Member, true),
            spec(key::LEFT_ON, Input::PastDate, true),
        ],
        allowed: ANY,
        rule: NO_RULE,
        in_menu: true,
        cli_today: Some(key::LEFT_ON),
        defaults: parse::left_today,
        parse: parse::member_left,
    },
    KindRow {
        kind: ActionKind::Service,
        key: "service",
        label: ("记录服务", "record service"),
        about: "record service sessions: one or several members (a sign-in sheet), one date, one duration",
        target: Target::Community,
        fields: &[
            spec(key::MEMBERS, Input::Members, true),
            spec(key::SERVED_ON, Input::PastDate, true),
            spec(key::DURATION, Input::Duration, true),
            spec(key::PROJECT, Input::ProjectId, false),
            NOTE,
        ],
        allowed: ANY,
        rule: NO_RULE,
        in_menu: true,
        cli_today: None,
        defaults: parse::served_today,
        parse: parse::service,
    },
    KindRow {
        kind: ActionKind::ResourceUse,
        key: "resource-use",
        label: ("记录资源使用", "record resource use"),
        about: "record that a resource a unit offered was used (adds to its times used)",
        target: Target::Community,
        fields: &[
            spec(key::RESOURCE, Input::Resource, true),
            spec(key::TIMES, Input::Count { min: 1 }, true),
        ],
        allowed: ANY,
        rule: NO_RULE,
        in_menu: true,
        cli_today: None,
        defaults: parse::once,
        parse: parse::resource_use,
    },
    KindRow {
        kind: ActionKind::Grade,
        key: "grade",
        label: ("年终考评定级", "record a grade"),
        about: "record a year-end grade (年终考评) of the community, a unit or the community's contract with a unit",
        target: Target::Community,
        fields: &[
            spec(key::YEAR, Input::Year, true),
            spec(key::SUBJECT, Input::Subject, true),
            spec(key::GRADED_UNIT, Input::Unit, false),
            spec(key::ASSESSOR, Input::Assessor, true),
            spec(key::GRADE, Input::Grade, true),
            NOTE,
        ],
        allowed: ANY,
        rule: NO_RULE,
        in_menu: true,
        cli_today: None,
        defaults: parse::grade_defaults,
        parse: parse::grade,
    },
    KindRow {
        kind: ActionKind::Undo,
        key: "undo",
        label: ("撤销", "undo"),
        about: "undo a log entry by writing a compensating one",
        target: Target::Entry,
        fields: &[],
        allowed: ANY,
        rule: NO_RULE,
        in_menu: false,
        cli_today: None,
        defaults: no_defaults,
        parse: parse::undo,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_follows_the_enum_and_keys_are_unique() {
        for (i, row) in KINDS.iter().enumerate() {
            assert_eq!(row.kind as usize, i, "{}", row.key);
            assert!(std::ptr::eq(row.kind.row(), row));
            assert_eq!(
                KINDS.iter().filter(|r| r.key == row.key).count(),
                1,
                "{}",
                row.key
            );
            assert!(!row.label.0.is_empty() && !row.about.is_empty());
            // A rule is said exactly when a status can refuse the kind.
            assert_eq!(row.rule.0.is_empty(), row.allowed.len() == ANY.len());
            if row.target != Target::Project {
                assert_eq!(row.allowed, ANY, "{}", row.key);
            }
            for field in row.fields {
                assert!(!fields::label(field.key).0.is_empty(), "{}", field.key);
            }
            if let Some(field) = row.cli_today {
                assert!(row.fields.iter().any(|f| f.key == field));
            }
        }
    }
}
