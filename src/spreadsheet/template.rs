//! `gongjian template`: an empty workbook with every list the import reads, its headers in the
//! user's language, a note on each header saying what it takes, and drop-down lists for status,
//! meeting kind and need source. Built from [`super::headers`], so it always matches the import.

use super::export::{Formats, column_width, xlsx_error};
use super::headers::{Field, Kind, LISTS, List};
use crate::error::Result;
use crate::i18n::Lang;
use crate::text::width;
use crate::vocab::{Assessor, Grade, MeetingKind, NeedSource, Status, Subject, Vocabulary};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, Note, Workbook,
    Worksheet, XlsxError,
};

/// Rows that carry the drop-downs and formats (Excel extends them as rows are inserted).
const TEMPLATE_ROWS: u32 = 5_000;

/// The name of the template's instructions sheet, which the import passes over quietly.
pub const INSTRUCTIONS: (&str, &str) = ("填写说明", "instructions");

/// The words offered by a drop-down: the list's words in the user's language.
fn choices(kind: Kind, lang: Lang) -> Option<Vec<&'static str>> {
    fn words<T: Vocabulary>(lang: Lang) -> Vec<&'static str> {
        T::WORDS.iter().map(|w| w.value.word(lang)).collect()
    }
    match kind {
        Kind::Status => Some(words::<Status>(lang)),
        Kind::MeetingKind => Some(words::<MeetingKind>(lang)),
        Kind::Source => Some(words::<NeedSource>(lang)),
        Kind::Grade => Some(words::<Grade>(lang)),
        Kind::Assessor => Some(words::<Assessor>(lang)),
        Kind::Subject => Some(words::<Subject>(lang)),
        _ => None,
    }
}

/// What a column takes, for its header's note and the instructions sheet.
pub fn column_help(list: List, field: Field, required: bool, lang: Lang) -> String {
    let need = match (required, lang) {
        (true, Lang::Zh) => "必填。",
        (false, Lang::Zh) => "选填。",
        (true, Lang::En) => "Required. ",
        (false, Lang::En) => "Optional. ",
    };
    let what = match (list, field) {
        (List::Surveys, Field::Community) => lang.pick(
            "项目所在社区；按项目名称查找时，名称在各社区中唯一可不填。",
            "The project's community; may be left empty when the title is unique in the district.",
        ),
        (List::Surveys, Field::ProjectTitle) => lang.pick(
            "被调查项目的编号（如 #14）或名称；已终止的项目不能调查。",
            "The surveyed project's id (e.g. #14) or title; not a cancelled project.",
        ),
        (List::Surveys, Field::HeldOn) => lang.pick(
            "调查日期，不晚于今天；同一项目同一天的第 n 行是当天第 n 次调查。",
            "Day of the survey, not after today; the n-th row of a project and day is that day's n-th survey.",
        ),
        (List::Members, Field::MemberName) => lang.pick(
            "党员姓名；社区 + 姓名（+ 工作单位）确定一名党员，再次导入时更新。",
            "The member's name; community + name (+ workplace) identify a member, whom a later import updates.",
        ),
        (List::Members, Field::Workplace) => lang.pick(
            "党员的工作单位（驻区单位名称）；没有的单位会新建；空白为未填单位。",
            "The member's workplace (a unit's name); a new unit is created; empty: not given.",
        ),
        (_, Field::Street) if list == List::Communities => {
            lang.pick("街道名称；没有的街道会新建。", "Street name; a new street is created.")
        }
        (_, Field::Street) => lang.pick(
            "所属街道；社区名称在各街道中唯一时可不填，新社区必填。",
            "The community's street; may be left empty when the community name is unique, required for a new community.",
        ),
        (_, Field::Community) => lang.pick(
            "社区名称，按名称匹配；没有的社区会新建。",
            "Community name, matched by name; a new community is created.",
        ),
        (List::Services, Field::ProjectTitle) => lang.pick(
            "选填：该党员所在社区已有项目的名称。",
            "Optional: title of a project of the member's community.",
        ),
        (List::Activities, Field::ProjectTitle) => lang.pick(
            "该社区已有项目（或本次导入「项目清单」中）的名称。",
            "Title of one of the community's projects (in the database or in this import's project sheet).",
        ),
        (_, Field::ProjectTitle) => lang.pick(
            "项目名称；社区 + 项目名称确定一个项目，再次导入时更新该项目。",
            "Project title; community + title identify a project, which a later import updates.",
        ),
        (_, Field::LeadUnit) => lang.pick(
            "牵头的驻区单位；空白表示由社区自己牵头；没有的单位会新建。",
            "The lead unit; empty when the community leads alone; a new unit is created.",
        ),
        (_, Field::Unit) => lang.pick(
            "驻区单位名称，按名称匹配；没有的单位会新建。",
            "Unit name, matched by name; a new unit is created.",
        ),
        (_, Field::UnitKind) => lang.pick("如 机关、企业、学校、医院。", "e.g. agency, firm, school, hospital."),
        (_, Field::Status) => lang.pick(
            "从下拉列表选择；空白：新项目为进行中，已有项目不变。",
            "Pick from the list; empty: active for a new project, unchanged for an existing one.",
        ),
        (_, Field::DoneOn) => lang.pick(
            "状态为已完成时填写（可留空，导入时会提示“完成日期未填”），不晚于今天；其他状态留空。",
            "For a done project (may be left empty: the import names it as 完成日期未填), not after today; empty otherwise.",
        ),
        (_, Field::Planned) => lang.pick("计划参与人数，1 或以上的整数。", "Planned participants, a whole number of 1 or more."),
        (_, Field::Actual) => lang.pick("实际参与人数，0 或以上的整数。", "Actual participants, a whole number of 0 or more."),
        (_, Field::TimesUsed) => lang.pick("0 或以上的整数；空白为 0。", "A whole number of 0 or more; empty is 0."),
        (_, Field::Attendees) => lang.pick("0 或以上的整数。", "A whole number of 0 or more."),
        (_, Field::MeetingKind) => lang.pick(
            "从下拉列表选择；只有季度例会计入季度例会统计。",
            "Pick from the list; only quarterly meetings count for the quarterly-meeting panel.",
        ),
        (_, Field::Source) => lang.pick("从下拉列表选择；空白为其他。", "Pick from the list; empty is other."),
        (_, Field::MemberName) => lang.pick(
            "已报到党员的姓名；同名时请填工作单位或社区。",
            "Name of a registered party member; give the workplace or community when two share it.",
        ),
        (_, Field::Workplace) => lang.pick("党员的工作单位（驻区单位名称）。", "The member's workplace (a unit's name)."),
        (_, Field::Respondents) => lang.pick("受访人数，1 或以上的整数。", "People asked, a whole number of 1 or more."),
        (_, Field::Satisfied) => lang.pick("满意人数，0 到受访人数之间的整数。", "People satisfied, from 0 to the number asked."),
        (_, Field::RegisteredOn) => lang.pick("到社区报到的日期，不晚于今天。", "Day the member registered with the community, not after today."),
        (_, Field::LeftOn) => lang.pick(
            "离开社区的日期（不早于报到日期、不晚于今天）；空白：仍在社区，已有记录不变。",
            "Day the member left (not before registering, not after today); empty: still registered, or unchanged.",
        ),
        (_, Field::AnsweringProject) => lang.pick(
            "选填：对接这条需求的项目，写编号（如 #14）或本社区项目名称（可为本次导入「项目清单」中的项目）。",
            "Optional: the project answering the need, by id (e.g. #14) or by the title of a project of the community (also one in this import's project sheet).",
        ),
        (_, Field::Year) => lang.pick("考评年度，如 2026；不晚于今年。", "The year graded, e.g. 2026; not after this year."),
        (_, Field::Subject) => lang.pick(
            "被考评的社区或驻区单位的名称；社区评议时写驻区单位名称，并在「社区」列写评议的社区。",
            "Name of the community or unit graded; for a community's grade of a contract, the unit's name, with the grading community in the community column.",
        ),
        (_, Field::SubjectKind) => lang.pick(
            "选填：社区、驻区单位 或 共建契约；名称既是社区又是单位时必填。",
            "Optional: community, unit or contract; needed when a name is both a community and a unit.",
        ),
        (_, Field::Assessor) => lang.pick(
            "自评、社区评议（社区对共建契约的评价）或第三方评估。",
            "Self, community (a community grading its contract with a unit) or third party.",
        ),
        (_, Field::Grade) => lang.pick("优秀、良好、一般 或 较差；同一年度、对象、评价方再次导入时更新。", "Excellent, good, fair or poor; a later import of the same year, subject and assessor updates it."),
        (_, Field::Duration) => lang.pick(
            "服务时长：只写数字为小时（1.5 即 90 分钟），也可写 1小时30分、90分钟。",
            "Time served: a bare number is hours (1.5 is 90 minutes); 1小时30分 and 90分钟 are read too.",
        ),
        _ => "",
    };
    let accepted = match field.kind() {
        Kind::Date => lang
            .pick(super::dates::ACCEPTED_ZH, super::dates::ACCEPTED_EN)
            .to_string(),
        Kind::Status => format!(
            "{}{}",
            lang.pick("可用：", "Accepted: "),
            Status::accepted(lang)
        ),
        Kind::MeetingKind => format!(
            "{}{}",
            lang.pick("可用：", "Accepted: "),
            MeetingKind::accepted(lang)
        ),
        Kind::Source => format!(
            "{}{}",
            lang.pick("可用：", "Accepted: "),
            NeedSource::accepted(lang)
        ),
        Kind::Grade => format!(
            "{}{}",
            lang.pick("可用：", "Accepted: "),
            Grade::accepted(lang)
        ),
        Kind::Assessor => format!(
            "{}{}",
            lang.pick("可用：", "Accepted: "),
            Assessor::accepted(lang)
        ),
        Kind::Subject => format!(
            "{}{}",
            lang.pick("可用：", "Accepted: "),
            Subject::accepted(lang)
        ),
        _ => String::new(),
    };
    let (zh_aliases, en_aliases) = field.aliases();
    let aliases: Vec<&str> = zh_aliases.iter().chain(en_aliases).copied().collect();
    let also = format!(
        "{}{}",
        lang.pick("表头也可写作：", "Header may also be: "),
        aliases.join(lang.pick("、", ", "))
    );
    [need.to_string(), what.to_string(), accepted, also]
        .iter()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(lang.pick("", " "))
}

fn list_sheet(
    sheet: &mut Worksheet,
    list: List,
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(lang.t(list.name()))?;
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let text = Format::new().set_num_format("@");
    for (col, (field, required)) in list.fields().iter().enumerate() {
        let col = col as u16;
        let header = super::headers::header(list, *field, lang);
        let format = if *required {
            &formats.required_header
        } else {
            &formats.header
        };
        sheet.write_string_with_format(0, col, header, format)?;
        let note = Note::new(column_help(list, *field, *required, lang))
            .set_width(320)
            .set_height(140);
        sheet.insert_note(0, col, &note)?;
        let mut widths = vec![width(header) + 2];
        match field.kind() {
            Kind::Date => {
                sheet.set_column_format(col, &date)?;
                widths.push(10);
            }
            Kind::Count => {
                let min = match field {
                    Field::Planned | Field::Respondents => 1,
                    Field::Year => crate::fields::FIRST_YEAR,
                    _ => 0,
                };
                let rule = DataValidation::new()
                    .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(min))
                    .set_error_style(DataValidationErrorStyle::Stop)
                    .set_error_message(lang.pick("请填写整数", "a whole number, please"))?;
                sheet.add_data_validation(1, col, TEMPLATE_ROWS, col, &rule)?;
            }
            kind => {
                // Text columns stay text, so that Excel does not turn a title into a date.
                if kind == Kind::Text {
                    sheet.set_column_format(col, &text)?;
                }
                if let Some(words) = choices(kind, lang) {
                    let rule = DataValidation::new()
                        .allow_list_strings(&words)?
                        .set_error_style(DataValidationErrorStyle::Warning)
                        .set_error_message(
                            lang.pick("请从下拉列表中选择", "please pick a value from the list"),
                        )?;
                    sheet.add_data_validation(1, col, TEMPLATE_ROWS, col, &rule)?;
                    widths.extend(words.iter().map(|w| width(w)));
                }
            }
        }
        if matches!(
            field,
            Field::Community
                | Field::Street
                | Field::Unit
                | Field::LeadUnit
                | Field::Workplace
                | Field::Subject
        ) {
            widths.push(16);
        }
        if matches!(
            field,
            Field::ProjectTitle | Field::ResourceTitle | Field::NeedTitle | Field::Note
        ) {
            widths.push(28);
        }
        sheet.set_column_width(col, column_width(widths.into_iter()))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn instructions_sheet(
    sheet: &mut Worksheet,
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(lang.t(INSTRUCTIONS))?;
    let wrap = Format::new().set_text_wrap();
    let headers = match lang {
        Lang::Zh => ["工作表", "列", "说明"],
        Lang::En => ["sheet", "column", "what it takes"],
    };
    for (col, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *h, &formats.header)?;
    }
    let intro = lang.pick(
        "每张清单一个工作表，按表头识别（中文或英文均可）；可只填其中几张。导入前可先用 gongjian import --dry-run 文件 试运行。任何一行有误则整个导入不写入，并列出所有问题。红色表头为必填列。",
        "One sheet per list, recognised by its headers (Chinese or English); fill in only the sheets you need. Try gongjian import --dry-run FILE first. If any row is wrong nothing is imported and every problem is listed. Red headers are required.",
    );
    sheet.write_string_with_format(1, 0, intro, &wrap)?;
    sheet.merge_range(1, 0, 1, 2, intro, &wrap)?;
    sheet.set_row_height(1, 60)?;
    let mut row = 2u32;
    for list in LISTS {
        for (field, required) in list.fields() {
            sheet.write_string(row, 0, lang.t(list.name()))?;
            let header = super::headers::header(list, *field, lang);
            if *required {
                sheet.write_string_with_format(row, 1, header, &formats.flag)?;
            } else {
                sheet.write_string(row, 1, header)?;
            }
            sheet.write_string_with_format(
                row,
                2,
                column_help(list, *field, *required, lang),
                &wrap,
            )?;
            row += 1;
        }
    }
    sheet.set_column_width(0, 14)?;
    sheet.set_column_width(1, 14)?;
    sheet.set_column_width(2, 90)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The template workbook's bytes.
pub fn template_workbook(lang: Lang) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    instructions_sheet(workbook.add_worksheet(), lang, &formats).map_err(xlsx_error)?;
    for list in LISTS {
        list_sheet(workbook.add_worksheet(), list, lang, &formats).map_err(xlsx_error)?;
    }
    if let Ok(first_list) = workbook.worksheet_from_index(1) {
        first_list.set_active(true);
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}
