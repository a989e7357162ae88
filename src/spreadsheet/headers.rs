//! The lists a spreadsheet can hold, their columns, and the header words (Chinese or English)
//! by which a sheet is recognised. The template, the README section and the importer all read
//! this one table, so they cannot drift apart.

use crate::i18n::{Lang, Term};

/// One list of the office, in the order an import applies them: each may name what an
/// earlier one creates (a project names a unit; an activity names a project).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum List {
    Communities,
    Units,
    Contracts,
    Resources,
    Needs,
    Projects,
    Meetings,
    Activities,
    Surveys,
    Members,
    Services,
    Grades,
}

pub const LISTS: [List; 12] = [
    List::Communities,
    List::Units,
    List::Contracts,
    List::Resources,
    List::Needs,
    List::Projects,
    List::Meetings,
    List::Activities,
    List::Surveys,
    List::Members,
    List::Services,
    List::Grades,
];

/// A column of a list. A field that names the same thing in two lists (the project title of
/// the project list and of the activity list) is one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Street,
    Community,
    Unit,
    UnitKind,
    SignedOn,
    ResourceTitle,
    TimesUsed,
    NeedTitle,
    RaisedOn,
    Source,
    ProjectTitle,
    LeadUnit,
    DueOn,
    Status,
    DoneOn,
    MeetingKind,
    HeldOn,
    Attendees,
    Note,
    Planned,
    Actual,
    MemberName,
    Workplace,
    Duration,
    /// The project a need is answered by: its id (`#14`, `14`) or its title.
    AnsweringProject,
    Respondents,
    Satisfied,
    RegisteredOn,
    LeftOn,
    Year,
    /// What a grade is about: a community's or a unit's name.
    Subject,
    /// 社区 / 驻区单位 / 共建契约, when a name could be either.
    SubjectKind,
    Assessor,
    Grade,
}

/// How a column's cells are read (and what the template's instructions say of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Date,
    Count,
    Status,
    MeetingKind,
    Source,
    Grade,
    Assessor,
    Subject,
}

impl List {
    /// The sheet's name in the template, and the list's name in messages.
    pub fn name(self) -> Term {
        match self {
            List::Communities => ("社区", "communities"),
            List::Units => ("驻区单位", "units"),
            List::Contracts => ("共建契约", "contracts"),
            List::Resources => ("资源清单", "resources"),
            List::Needs => ("需求清单", "needs"),
            List::Projects => ("项目清单", "projects"),
            List::Meetings => ("会议", "meetings"),
            List::Activities => ("活动记录", "activities"),
            List::Surveys => ("满意度调查", "surveys"),
            List::Members => ("报到党员", "party members"),
            List::Services => ("服务纪实", "service records"),
            List::Grades => ("考评结果", "grades"),
        }
    }

    /// Every column, required ones marked `true`, in the template's order.
    pub fn fields(self) -> &'static [(Field, bool)] {
        use Field::*;
        match self {
            List::Communities => &[(Street, true), (Community, true)],
            List::Units => &[(Unit, true), (UnitKind, false)],
            List::Contracts => &[
                (Street, false),
                (Community, true),
                (Unit, true),
                (SignedOn, true),
            ],
            List::Resources => &[
                (Street, false),
                (Community, true),
                (Unit, true),
                (ResourceTitle, true),
                (TimesUsed, false),
            ],
            List::Needs => &[
                (Street, false),
                (Community, true),
                (NeedTitle, true),
                (RaisedOn, true),
                (Source, false),
                (AnsweringProject, false),
            ],
            List::Projects => &[
                (Street, false),
                (Community, true),
                (ProjectTitle, true),
                (LeadUnit, false),
                (DueOn, true),
                (Status, false),
                (DoneOn, false),
            ],
            List::Meetings => &[
                (Street, false),
                (Community, true),
                (MeetingKind, true),
                (HeldOn, true),
                (Attendees, false),
                (Note, false),
            ],
            List::Activities => &[
                (Street, false),
                (Community, true),
                (ProjectTitle, true),
                (HeldOn, true),
                (Planned, true),
                (Actual, true),
            ],
            // 群众评单: one survey of a project (by id, or by title in its community).
            List::Surveys => &[
                (Street, false),
                (Community, false),
                (ProjectTitle, true),
                (HeldOn, true),
                (Respondents, true),
                (Satisfied, true),
            ],
            List::Members => &[
                (Street, false),
                (Community, true),
                (MemberName, true),
                (Workplace, false),
                (RegisteredOn, true),
                (LeftOn, false),
            ],
            // A sign-in sheet as the office keeps it: 姓名, 工作单位, 日期, 时长, 项目.
            List::Services => &[
                (MemberName, true),
                (Workplace, false),
                (HeldOn, true),
                (Duration, true),
                (ProjectTitle, false),
                (Street, false),
                (Community, false),
                (Note, false),
            ],
            // 考评结果: 年度, 对象, 评价方, 等次, 说明 (社区: the community that graded a contract).
            List::Grades => &[
                (Year, true),
                (Subject, true),
                (Assessor, true),
                (Grade, true),
                (Note, false),
                (Street, false),
                (Community, false),
                (SubjectKind, false),
            ],
        }
    }

    /// Whether a row of this list that names a new community with its street creates it (the
    /// lists that name a community only to find something in it do not).
    pub fn creates_communities(self) -> bool {
        !matches!(
            self,
            List::Activities | List::Surveys | List::Services | List::Grades
        )
    }

    /// Words in a sheet's name that hint at the list, used only to choose between two lists
    /// whose headers fit equally well.
    fn sheet_name_hints(self) -> &'static [&'static str] {
        match self {
            List::Communities => &["社区", "communit"],
            List::Units => &["单位", "unit"],
            List::Contracts => &["契约", "合同", "协议", "contract"],
            List::Resources => &["资源", "resource"],
            List::Needs => &["需求", "need"],
            List::Projects => &["项目", "project"],
            List::Meetings => &["会议", "例会", "meeting"],
            List::Activities => &["活动", "activit"],
            List::Surveys => &["满意", "调查", "评单", "survey", "satisf"],
            List::Members => &["党员", "报到", "member"],
            List::Services => &["服务", "签到", "纪实", "service", "sign"],
            List::Grades => &["考评", "考核", "等次", "assess", "grade"],
        }
    }
}

impl Field {
    /// The first alias in each language (see [`header`] for a list's own words).
    fn header(self) -> Term {
        let (zh, en) = self.aliases();
        (zh[0], en[0])
    }

    pub fn kind(self) -> Kind {
        use Field::*;
        match self {
            SignedOn | RaisedOn | DueOn | DoneOn | HeldOn | RegisteredOn | LeftOn => Kind::Date,
            TimesUsed | Attendees | Planned | Actual | Respondents | Satisfied | Year => {
                Kind::Count
            }
            Grade => Kind::Grade,
            Assessor => Kind::Assessor,
            SubjectKind => Kind::Subject,
            Status => Kind::Status,
            MeetingKind => Kind::MeetingKind,
            Source => Kind::Source,
            _ => Kind::Text,
        }
    }

    /// Header words, Chinese then English, compared after [`normalise`].
    pub fn aliases(self) -> (&'static [&'static str], &'static [&'static str]) {
        use Field::*;
        match self {
            Street => (&["街道", "所属街道", "街道名称", "街办"], &["street"]),
            Community => (&["社区", "所属社区", "社区名称"], &["community"]),
            Unit => (
                &[
                    "驻区单位",
                    "单位",
                    "单位名称",
                    "驻区单位名称",
                    "共建单位",
                    "提供单位",
                ],
                &["unit", "unit name", "unit_name"],
            ),
            UnitKind => (
                &["单位类型", "类型", "单位性质", "性质", "类别"],
                &["kind", "type", "unit kind", "unit type"],
            ),
            SignedOn => (
                &["签约日期", "签订日期", "签约时间", "签订时间"],
                &["signed_on", "signed", "date signed"],
            ),
            ResourceTitle => (
                &["资源名称", "资源", "资源内容", "资源项目"],
                &["resource", "title", "resource title"],
            ),
            TimesUsed => (
                &["使用次数", "已使用次数", "利用次数", "使用情况"],
                &["times_used", "used", "times used", "uses"],
            ),
            NeedTitle => (
                &["需求名称", "需求", "需求内容", "需求事项"],
                &["need", "title", "need title"],
            ),
            RaisedOn => (
                &["提出日期", "登记日期", "提出时间", "收集日期"],
                &["raised_on", "raised", "raised on"],
            ),
            Source => (&["来源", "需求来源", "收集方式"], &["source"]),
            ProjectTitle => (
                &["项目名称", "项目", "项目内容"],
                &["title", "project", "project title"],
            ),
            LeadUnit => (
                &["牵头单位", "责任单位", "驻区单位", "单位"],
                &["unit", "lead unit", "lead_unit"],
            ),
            DueOn => (
                &[
                    "截止日期",
                    "截止时间",
                    "计划完成日期",
                    "完成时限",
                    "完成期限",
                ],
                &["due_on", "due", "due date", "deadline"],
            ),
            Status => (&["状态", "项目状态", "当前状态"], &["status"]),
            DoneOn => (
                &["完成日期", "实际完成日期", "完成时间", "实际完成时间"],
                &["done_on", "done", "completed", "completed on", "done date"],
            ),
            MeetingKind => (
                &["会议类型", "类型", "会议类别", "类别"],
                &["kind", "type", "meeting kind", "meeting type"],
            ),
            HeldOn => (
                &[
                    "日期",
                    "召开日期",
                    "会议日期",
                    "活动日期",
                    "开展日期",
                    "举办日期",
                    "服务日期",
                    "调查日期",
                    "评议日期",
                ],
                &[
                    "held_on",
                    "date",
                    "held",
                    "held on",
                    "served_on",
                    "served on",
                ],
            ),
            Attendees => (
                &["参会人数", "出席人数", "到会人数", "人数"],
                &["attendees"],
            ),
            Note => (
                &["备注", "说明", "会议内容", "内容", "服务内容"],
                &["note", "notes", "remark"],
            ),
            Planned => (
                &["计划人数", "计划参与人数", "计划", "应到人数"],
                &["planned"],
            ),
            Actual => (
                &["实际人数", "实际参与人数", "参与人数", "实际", "实到人数"],
                &["actual"],
            ),
            MemberName => (
                // The report's summary also has a column 报到党员 (a count) and 服务时长(分钟):
                // its CSV and the export's summary sheet are recognised as gongjian's own
                // figures (`export::export_headers`) before any list is fitted.
                &["姓名", "党员姓名", "党员", "报到党员", "报到党员姓名"],
                &["name", "member"],
            ),
            Workplace => (
                &["工作单位", "所在单位", "单位", "单位名称"],
                &["workplace", "unit"],
            ),
            Duration => (
                // A header that says minutes (服务时长（分钟）) makes a bare number minutes.
                &[
                    "时长",
                    "时长（小时）",
                    "小时数",
                    "服务小时数",
                    "时间",
                    "服务时长",
                ],
                &["duration", "hours", "minutes"],
            ),
            AnsweringProject => (
                &[
                    "对接项目",
                    "回应项目",
                    "承接项目",
                    "对应项目",
                    "对接项目编号",
                ],
                &["answered by", "answered_by", "answering project"],
            ),
            Respondents => (
                &["受访人数", "调查人数", "参评人数", "调查人次", "受访人次"],
                &["respondents"],
            ),
            Satisfied => (
                &["满意人数", "满意人次", "满意票数", "满意数"],
                &["satisfied"],
            ),
            RegisteredOn => (
                &["报到日期", "报到时间", "登记报到日期"],
                &["registered_on", "registered", "registered on"],
            ),
            LeftOn => (
                &["离开日期", "离开时间", "转出日期", "退出日期"],
                &["left_on", "left", "left on"],
            ),
            Year => (&["年度", "考评年度", "年份"], &["year"]),
            Subject => (
                &["对象", "考评对象", "被考评对象", "被评对象"],
                &["subject", "graded"],
            ),
            SubjectKind => (
                &["对象类型", "考评对象类型"],
                &["subject kind", "subject type"],
            ),
            Assessor => (
                &["评价方", "评价主体", "考评方", "评议方"],
                &["assessor", "graded by"],
            ),
            Grade => (
                &["等次", "考评等次", "等级", "考评结果", "评定等次"],
                &["grade"],
            ),
        }
    }

    fn matches(self, normalised: &str) -> bool {
        let (zh, en) = self.aliases();
        zh.iter()
            .chain(en)
            .any(|alias| normalise(alias) == normalised)
    }
}

/// A header as typed, made comparable: spaces, `_`, `-` and a trailing marker such as
/// `*`, `（必填）` or `(YYYY-MM-DD)` removed, full-width letters folded, English lowercased.
pub fn normalise(header: &str) -> String {
    crate::vocab::fold(header)
}

/// How one header row fits one list.
#[derive(Debug, Clone)]
pub struct Fit {
    pub list: List,
    /// (field, column index) for each recognised column, first occurrence.
    pub columns: Vec<(Field, usize)>,
    /// Fields whose header appears in more than one column: (field, columns).
    pub repeated: Vec<(Field, Vec<usize>)>,
    pub missing: Vec<Field>,
    /// Columns with a header that this list does not know.
    pub unknown: Vec<usize>,
}

impl Fit {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }

    pub fn column(&self, field: Field) -> Option<usize> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| *c)
    }

    /// Recognised columns other than street and community, which every list shares.
    fn distinctive(&self) -> usize {
        self.columns
            .iter()
            .filter(|(f, _)| !matches!(f, Field::Street | Field::Community))
            .count()
    }
}

/// Fits a header row (already as text; empty cells are empty strings) to one list.
pub fn fit(list: List, headers: &[String]) -> Fit {
    let mut columns: Vec<(Field, usize)> = Vec::new();
    let mut repeated: Vec<(Field, Vec<usize>)> = Vec::new();
    let mut unknown = Vec::new();
    for (index, header) in headers.iter().enumerate() {
        let normalised = normalise(header);
        if normalised.is_empty() {
            continue;
        }
        let found = list
            .fields()
            .iter()
            .map(|(f, _)| *f)
            .find(|f| f.matches(&normalised));
        match found {
            None => unknown.push(index),
            Some(field) => match columns.iter().find(|(f, _)| *f == field) {
                None => columns.push((field, index)),
                Some((_, first)) => match repeated.iter_mut().find(|(f, _)| *f == field) {
                    Some((_, at)) => at.push(index),
                    None => repeated.push((field, vec![*first, index])),
                },
            },
        }
    }
    let missing = list
        .fields()
        .iter()
        .filter(|(f, required)| *required && !columns.iter().any(|(c, _)| c == f))
        .map(|(f, _)| *f)
        .collect();
    Fit {
        list,
        columns,
        repeated,
        missing,
        unknown,
    }
}

/// The list a header row belongs to: the one that recognises the most columns, a complete fit
/// before an incomplete one, the sheet's name deciding a tie. `None` when no column other than
/// street and community is recognised by any list (and the row is no list's header).
///
/// An incomplete winner is returned too, so that the user hears which columns are missing
/// instead of the sheet being passed over.
pub fn best_fit(headers: &[String], sheet_name: Option<&str>) -> Option<Fit> {
    let hint = sheet_name.map(normalise).unwrap_or_default();
    let hinted = |list: List| {
        list.sheet_name_hints()
            .iter()
            .any(|h| hint.contains(&normalise(h)))
    };
    LISTS
        .iter()
        .map(|list| fit(*list, headers))
        .filter(|f| f.distinctive() > 0 || (f.list == List::Communities && f.is_complete()))
        .max_by_key(|f| {
            (
                f.columns.len(),
                f.is_complete(),
                hinted(f.list),
                std::cmp::Reverse(f.list),
            )
        })
}

/// `A`, `B`, … `Z`, `AA`, … for column index 0, 1, …
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// The header of `field` in `list`, in the user's language: what the template writes.
pub fn header(list: List, field: Field, lang: Lang) -> &'static str {
    let term = match (list, field) {
        (List::Meetings, Field::HeldOn) => ("召开日期", "held_on"),
        (List::Activities, Field::HeldOn) => ("活动日期", "held_on"),
        (List::Activities, Field::ProjectTitle) => ("项目名称", "project"),
        (List::Services, Field::HeldOn) => ("日期", "served_on"),
        (List::Services, Field::ProjectTitle) => ("项目", "project"),
        (List::Surveys, Field::HeldOn) => ("调查日期", "held_on"),
        (List::Surveys, Field::ProjectTitle) => ("项目", "project"),
        (List::Grades, Field::Note) => ("说明", "note"),
        _ => field.header(),
    };
    lang.t(term)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_are_normalised() {
        assert_eq!(normalise(" 截止日期（必填） "), "截止日期");
        assert_eq!(normalise("*截止日期(YYYY-MM-DD)"), "截止日期");
        assert_eq!(normalise("Due On"), "dueon");
        assert_eq!(normalise("due_on"), "dueon");
        assert_eq!(normalise("ＳＴＡＴＵＳ"), "status");
        assert_eq!(normalise("完成率(%)"), "完成率");
        assert_eq!(normalise("(空)"), "(空)");
    }

    #[test]
    fn each_list_is_recognised_from_its_template_headers_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            for list in LISTS {
                let headers: Vec<String> = list
                    .fields()
                    .iter()
                    .map(|(f, _)| header(list, *f, lang).to_string())
                    .collect();
                let fit = best_fit(&headers, None).expect("recognised");
                assert_eq!(fit.list, list, "{lang:?} {headers:?}");
                assert!(fit.is_complete() && fit.unknown.is_empty(), "{fit:?}");
            }
        }
    }

    #[test]
    fn the_issue_headers_of_the_project_list() {
        let fit = best_fit(
            &row(&[
                "街道",
                "社区",
                "项目名称",
                "牵头单位",
                "截止日期",
                "状态",
                "完成日期",
            ]),
            None,
        )
        .expect("fits");
        assert_eq!(fit.list, List::Projects);
        assert!(fit.is_complete());
        assert_eq!(fit.column(Field::DoneOn), Some(6));
    }

    #[test]
    fn a_list_missing_a_column_is_named_not_mistaken_for_another() {
        let fit = best_fit(&row(&["街道", "社区", "项目名称", "状态"]), None).expect("fits");
        assert_eq!(fit.list, List::Projects);
        assert_eq!(fit.missing, vec![Field::DueOn]);
        let fit = best_fit(&row(&["社区", "驻区单位"]), None).expect("fits");
        assert_eq!(fit.list, List::Contracts);
        assert!(!fit.is_complete());
    }

    #[test]
    fn activities_and_units_and_repeats() {
        let fit = best_fit(
            &row(&[
                "社区",
                "项目名称",
                "活动日期",
                "计划人数",
                "实际人数",
                "照片",
            ]),
            Some("Sheet1"),
        )
        .expect("fits");
        assert_eq!(fit.list, List::Activities);
        assert_eq!(fit.unknown, vec![5]);
        let fit = best_fit(&row(&["驻区单位", "单位类型", "所属社区"]), None).expect("fits");
        assert_eq!(fit.list, List::Units);
        let fit = best_fit(&row(&["社区", "社区", "街道"]), None).expect("fits");
        assert_eq!(fit.list, List::Communities);
        assert_eq!(fit.repeated, vec![(Field::Community, vec![0, 1])]);
        assert!(best_fit(&row(&["序号", "照片", ""]), None).is_none());
        assert!(best_fit(&row(&["社区"]), None).is_none());
    }

    #[test]
    fn the_readme_lists_every_header_word() {
        let readme = include_str!("../../README.md");
        let start = readme
            .find("## Spreadsheets: import, export, template")
            .expect("README section");
        let section: String = normalise(&readme[start..]).replace(['、', ','], "");
        for list in LISTS {
            for (field, _) in list.fields() {
                let (zh, en) = field.aliases();
                for alias in zh.iter().chain(en) {
                    assert!(
                        section.contains(&normalise(alias)),
                        "README lacks {alias:?} ({list:?} {field:?})"
                    );
                }
            }
        }
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
