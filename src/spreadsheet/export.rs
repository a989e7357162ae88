//! `gongjian export`: the panels as a workbook for the leadership (or the summary as CSV).
//!
//! `rust_xlsxwriter` writes the workbook: the maintained pure-Rust `.xlsx` writer, with frozen
//! panes, column widths, number formats, autofilters, notes and data validation (the template's
//! drop-downs), and no run-time download. The figures are those of
//! [`crate::report::build`] — the same the panels and `report --format json` show.

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::indicators::{Pct, Report};
use crate::text::{clean, neutralise_formula, width};
use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum XCell {
    /// Text from the database or the vocabulary: cleaned and neutralised before writing.
    Text(String),
    Int(i64),
    /// A percentage as a number (70.5 for 70.5 %); empty without a denominator.
    Pct(Option<Pct>),
    /// A flag: 是 / 否, the yes in bold red.
    Flag(bool),
    /// `YYYY-MM-DD`, written as an Excel date when it is one.
    Date(String),
}

impl XCell {
    fn text(&self, lang: Lang) -> String {
        match self {
            XCell::Text(t) => neutralise_formula(&clean(t)),
            XCell::Int(n) => n.to_string(),
            XCell::Pct(p) => p.map(|p| p.to_string()).unwrap_or_default(),
            XCell::Flag(b) => yes_no(*b, lang).to_string(),
            XCell::Date(d) => d.clone(),
        }
    }
}

fn yes_no(b: bool, lang: Lang) -> &'static str {
    match (b, lang) {
        (true, Lang::Zh) => "是",
        (false, Lang::Zh) => "否",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
    }
}

/// A sheet: its name, its header row and its rows.
pub struct Table {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<XCell>>,
}

pub(crate) fn xlsx_error(e: XlsxError) -> Error {
    Error::plain(
        format!("无法生成工作簿：{e}"),
        format!("the workbook could not be made: {e}"),
    )
}

pub(crate) struct Formats {
    pub header: Format,
    pub required_header: Format,
    pub pct: Format,
    pub date: Format,
    pub flag: Format,
}

impl Formats {
    pub fn new() -> Formats {
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xDDEBF7))
            .set_border_bottom(FormatBorder::Thin)
            .set_align(FormatAlign::Center);
        Formats {
            required_header: header.clone().set_font_color(Color::RGB(0xC00000)),
            header,
            pct: Format::new().set_num_format("0.0"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            flag: Format::new()
                .set_bold()
                .set_font_color(Color::RGB(0xC00000)),
        }
    }
}

/// Width of a column in Excel's units (about one Latin digit): the widest cell in terminal
/// cells (a Chinese character counts two, as it is drawn about twice as wide), plus margin.
pub(crate) fn column_width(texts: impl Iterator<Item = usize>) -> f64 {
    let widest = texts.max().unwrap_or(0);
    (widest as f64 + 3.0).clamp(6.0, 60.0)
}

/// Writes a table: a bold frozen header row with an autofilter, then the rows.
pub(crate) fn write_table(
    sheet: &mut Worksheet,
    table: &Table,
    formats: &Formats,
    lang: Lang,
) -> Result<(), XlsxError> {
    sheet.set_name(&table.name)?;
    for (col, header) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(
            0,
            col as u16,
            neutralise_formula(header),
            &formats.header,
        )?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let col = col as u16;
            match cell {
                // An empty text (a total row's unit id, a member with no unit) is left blank.
                XCell::Text(t) if t.is_empty() => {}
                XCell::Text(_) => {
                    sheet.write_string(r, col, cell.text(lang))?;
                }
                XCell::Int(n) => {
                    sheet.write_number(r, col, *n as f64)?;
                }
                XCell::Pct(Some(p)) => {
                    sheet.write_number_with_format(r, col, p.as_f64(), &formats.pct)?;
                }
                XCell::Pct(None) => {}
                XCell::Flag(b) => {
                    if *b {
                        sheet.write_string_with_format(
                            r,
                            col,
                            yes_no(true, lang),
                            &formats.flag,
                        )?;
                    } else {
                        sheet.write_string(r, col, yes_no(false, lang))?;
                    }
                }
                XCell::Date(d) => match ExcelDateTime::parse_from_str(d) {
                    Ok(date) if crate::dates::parse_ymd(d).is_some() => {
                        sheet.write_datetime_with_format(r, col, &date, &formats.date)?;
                    }
                    _ => {
                        sheet.write_string(r, col, neutralise_formula(&clean(d)))?;
                    }
                },
            }
        }
    }
    for col in 0..table.headers.len() {
        let texts = std::iter::once(width(&table.headers[col]) + 2).chain(
            table
                .rows
                .iter()
                .filter_map(|row| row.get(col))
                .map(|cell| width(&cell.text(lang))),
        );
        sheet.set_column_width(col as u16, column_width(texts))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    if !table.headers.is_empty() {
        sheet.autofilter(
            0,
            0,
            table.rows.len() as u32,
            table.headers.len() as u16 - 1,
        )?;
    }
    Ok(())
}

/// The tables of the export: a summary, one per panel, and what the figures are as of.
/// The header rows of every sheet `export` writes, in both languages, normalised as the import
/// compares headers: a sheet with one of them is the program's own figures, not a list.
pub fn export_headers() -> Vec<Vec<String>> {
    let empty = Report {
        today: String::new(),
        year: 2000,
        thresholds: crate::model::Thresholds::default(),
        communities: Vec::new(),
    };
    fn normalised(headers: &[String]) -> Vec<String> {
        headers
            .iter()
            .map(|h| super::headers::normalise(h))
            .collect()
    }
    let mut all = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        all.extend(tables(&empty, lang).iter().map(|t| normalised(&t.headers)));
        // Exports made before the version-2 columns: the summary's version-1 columns.
        let v1: Vec<String> = crate::report::summary_headers(lang)
            .iter()
            .map(|s| s.to_string())
            .collect();
        all.push(normalised(&v1));
        all.extend(
            super::assess::assess_headers(lang)
                .iter()
                .map(|h| normalised(h)),
        );
        all.extend(
            super::cards::card_headers(lang)
                .iter()
                .map(|h| normalised(h)),
        );
    }
    all
}

pub fn tables(report: &Report, lang: Lang) -> Vec<Table> {
    let zh = lang == Lang::Zh;
    let h = |zh_list: &[&str], en_list: &[&str]| -> Vec<String> {
        if zh { zh_list } else { en_list }
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    let name = |zh_name: &str, en_name: &str| lang.pick(zh_name, en_name).to_string();
    let place = |c: &crate::indicators::CommunityFigures| {
        vec![
            XCell::Int(c.id),
            XCell::Text(c.street.clone()),
            XCell::Text(c.name.clone()),
        ]
    };
    const PLACE_ZH: [&str; 3] = ["社区编号", "街道", "社区"];
    const PLACE_EN: [&str; 3] = ["community_id", "street", "community"];
    let with_place = |zh_rest: &[&str], en_rest: &[&str]| {
        let zh_all: Vec<&str> = PLACE_ZH.iter().chain(zh_rest).copied().collect();
        let en_all: Vec<&str> = PLACE_EN.iter().chain(en_rest).copied().collect();
        h(&zh_all, &en_all)
    };

    let summary = Table {
        name: name("汇总", "summary"),
        // The report's CSV columns, version 1 then version 2, so that both read the same.
        headers: crate::report::summary_headers(lang)
            .iter()
            .chain(crate::report::more_summary_headers(lang))
            .map(|s| s.to_string())
            .collect(),
        rows: report
            .communities
            .iter()
            .map(|c| {
                let mut row = place(c);
                row.extend([
                    XCell::Int(i64::from(c.alerts)),
                    XCell::Int(i64::from(c.completion.done)),
                    XCell::Int(i64::from(c.completion.total)),
                    XCell::Pct(c.completion.pct),
                    XCell::Flag(c.completion.alert),
                    XCell::Int(i64::from(c.resources.used)),
                    XCell::Int(i64::from(c.resources.offered)),
                    XCell::Pct(c.resources.pct),
                    XCell::Flag(c.resources.alert),
                    XCell::Int(c.overdue.len() as i64),
                ]);
                row.extend(
                    c.meetings
                        .quarters
                        .iter()
                        .map(|q| XCell::Text(q.word(lang).to_string())),
                );
                row.extend([
                    XCell::Int(i64::from(c.meetings.missing)),
                    XCell::Int(c.low_participation.len() as i64),
                    XCell::Int(c.inactive_units.len() as i64),
                ]);
                row.extend(crate::report::summary_cells(c).into_iter().map(|cell| {
                    use crate::report::SummaryCell;
                    match cell {
                        SummaryCell::Int(n) => XCell::Int(n),
                        SummaryCell::Pct(p) => XCell::Pct(p),
                        SummaryCell::Flag(b) => XCell::Flag(b),
                        SummaryCell::Text(t) => XCell::Text(t),
                    }
                }));
                row
            })
            .collect(),
    };

    let community_total = lang.pick("（社区合计）", "(community total)");
    let completion = Table {
        name: name("清单完成率", "completion"),
        headers: with_place(
            &[
                "驻区单位编号",
                "驻区单位",
                "已完成项目",
                "清单项目",
                "完成率(%)",
                "预警",
            ],
            &["unit_id", "unit", "done", "total", "pct", "alert"],
        ),
        rows: report
            .communities
            .iter()
            .flat_map(|c| {
                let total = {
                    let mut row = place(c);
                    row.extend([
                        XCell::Text(String::new()),
                        XCell::Text(community_total.to_string()),
                        XCell::Int(i64::from(c.completion.done)),
                        XCell::Int(i64::from(c.completion.total)),
                        XCell::Pct(c.completion.pct),
                        XCell::Flag(c.completion.alert),
                    ]);
                    row
                };
                std::iter::once(total).chain(c.completion.units.iter().map(move |u| {
                    let mut row = place(c);
                    row.extend([
                        XCell::Int(u.unit_id),
                        XCell::Text(u.name.clone()),
                        XCell::Int(i64::from(u.done)),
                        XCell::Int(i64::from(u.total)),
                        XCell::Pct(u.pct),
                        XCell::Flag(u.alert),
                    ]);
                    row
                }))
            })
            .collect(),
    };

    let resources = Table {
        name: name("资源利用率", "resources"),
        headers: with_place(
            &["已用资源", "资源总数", "资源利用率(%)", "预警"],
            &["used", "offered", "pct", "alert"],
        ),
        rows: report
            .communities
            .iter()
            .map(|c| {
                let mut row = place(c);
                row.extend([
                    XCell::Int(i64::from(c.resources.used)),
                    XCell::Int(i64::from(c.resources.offered)),
                    XCell::Pct(c.resources.pct),
                    XCell::Flag(c.resources.alert),
                ]);
                row
            })
            .collect(),
    };

    let overdue = Table {
        name: name("逾期项目", "overdue"),
        headers: with_place(
            &[
                "项目编号",
                "项目",
                "牵头单位",
                "状态",
                "截止日期",
                "逾期天数",
            ],
            &[
                "project_id",
                "title",
                "lead unit",
                "status",
                "due_on",
                "days_overdue",
            ],
        ),
        rows: report
            .communities
            .iter()
            .flat_map(|c| {
                c.overdue.iter().map(move |o| {
                    let mut row = place(c);
                    row.extend([
                        XCell::Int(o.project_id),
                        XCell::Text(o.title.clone()),
                        XCell::Text(o.unit_name.clone().unwrap_or_default()),
                        XCell::Text(o.status.word(lang).to_string()),
                        XCell::Date(o.due_on.clone()),
                        XCell::Int(o.days_overdue),
                    ]);
                    row
                })
            })
            .collect(),
    };

    let meetings = Table {
        name: name("季度例会", "meetings"),
        headers: with_place(
            &["Q1", "Q2", "Q3", "Q4", "未开季度数"],
            &["q1", "q2", "q3", "q4", "missing"],
        ),
        rows: report
            .communities
            .iter()
            .map(|c| {
                let mut row = place(c);
                row.extend(
                    c.meetings
                        .quarters
                        .iter()
                        .map(|q| XCell::Text(q.word(lang).to_string())),
                );
                row.push(XCell::Int(i64::from(c.meetings.missing)));
                row
            })
            .collect(),
    };

    let participation = Table {
        name: name("参与率预警", "low participation"),
        headers: with_place(
            &["项目编号", "项目", "计划人数", "实际人数", "参与率(%)"],
            &["project_id", "title", "planned", "actual", "pct"],
        ),
        rows: report
            .communities
            .iter()
            .flat_map(|c| {
                c.low_participation.iter().map(move |p| {
                    let mut row = place(c);
                    row.extend([
                        XCell::Int(p.project_id),
                        XCell::Text(p.title.clone()),
                        XCell::Int(p.planned),
                        XCell::Int(p.actual),
                        XCell::Pct(p.pct),
                    ]);
                    row
                })
            })
            .collect(),
    };

    let inactive = Table {
        name: name("参与不足单位", "inactive units"),
        headers: with_place(
            &["驻区单位编号", "驻区单位", "活动次数"],
            &["unit_id", "unit", "activities"],
        ),
        rows: report
            .communities
            .iter()
            .flat_map(|c| {
                c.inactive_units.iter().map(move |u| {
                    let mut row = place(c);
                    row.extend([
                        XCell::Int(u.unit_id),
                        XCell::Text(u.name.clone()),
                        XCell::Int(i64::from(u.activities)),
                    ]);
                    row
                })
            })
            .collect(),
    };

    let needs = Table {
        name: name("未对接需求", "unmet needs"),
        headers: with_place(
            &["需求编号", "需求", "提出日期", "已等待天数"],
            &["need_id", "need", "raised_on", "days_waiting"],
        ),
        rows: report
            .communities
            .iter()
            .flat_map(|c| {
                c.needs.unmet.iter().map(move |n| {
                    let mut row = place(c);
                    row.extend([
                        XCell::Int(n.need_id),
                        XCell::Text(n.title.clone()),
                        XCell::Date(n.raised_on.clone()),
                        XCell::Int(n.days_waiting),
                    ]);
                    row
                })
            })
            .collect(),
    };

    let idle = Table {
        name: name("闲置资源", "idle resources"),
        headers: with_place(
            &["资源编号", "资源", "驻区单位编号"],
            &["resource_id", "resource", "unit_id"],
        ),
        rows: report
            .communities
            .iter()
            .flat_map(|c| {
                c.needs.idle_resources.iter().map(move |r| {
                    let mut row = place(c);
                    row.extend([
                        XCell::Int(r.resource_id),
                        XCell::Text(r.title.clone()),
                        XCell::Int(r.unit_id),
                    ]);
                    row
                })
            })
            .collect(),
    };

    let satisfaction = Table {
        name: name("群众满意度", "satisfaction"),
        headers: with_place(
            &[
                "项目编号",
                "项目",
                "调查人次",
                "满意人次",
                "群众满意度(%)",
                "预警",
            ],
            &[
                "project_id",
                "project",
                "respondents",
                "satisfied",
                "pct",
                "alert",
            ],
        ),
        rows: report
            .communities
            .iter()
            .flat_map(|c| {
                let s = &c.satisfaction;
                let total = {
                    let mut row = place(c);
                    row.extend([
                        XCell::Text(String::new()),
                        XCell::Text(community_total.to_string()),
                        XCell::Int(s.respondents),
                        XCell::Int(s.satisfied),
                        XCell::Pct(s.pct),
                        XCell::Flag(s.alert),
                    ]);
                    row
                };
                std::iter::once(total).chain(s.projects.iter().map(move |p| {
                    let mut row = place(c);
                    row.extend([
                        XCell::Int(p.project_id),
                        XCell::Text(p.title.clone()),
                        XCell::Int(p.respondents),
                        XCell::Int(p.satisfied),
                        XCell::Pct(p.pct),
                        XCell::Flag(p.alert),
                    ]);
                    row
                }))
            })
            .collect(),
    };

    let no_unit = lang.pick("未填单位", "no unit given");
    let hours = |minutes: i64| XCell::Pct(Pct::of(minutes, 6000));
    let members = Table {
        name: name("党员服务", "members' service"),
        headers: with_place(
            &[
                "工作单位编号",
                "工作单位",
                "报到党员",
                "有服务纪实党员",
                "纪实率(%)",
                "预警",
                "服务时长(分钟)",
                "服务时长(小时)",
            ],
            &[
                "unit_id",
                "workplace",
                "active",
                "recorded",
                "pct",
                "alert",
                "minutes",
                "hours",
            ],
        ),
        rows: report
            .communities
            .iter()
            .flat_map(|c| {
                let m = &c.members;
                let total = {
                    let mut row = place(c);
                    row.extend([
                        XCell::Text(String::new()),
                        XCell::Text(community_total.to_string()),
                        XCell::Int(i64::from(m.active)),
                        XCell::Int(i64::from(m.recorded)),
                        XCell::Pct(m.pct),
                        XCell::Flag(m.alert),
                        XCell::Int(m.minutes),
                        hours(m.minutes),
                    ]);
                    row
                };
                std::iter::once(total).chain(m.units.iter().map(move |u| {
                    let mut row = place(c);
                    row.extend([
                        u.unit_id.map_or(XCell::Text(String::new()), XCell::Int),
                        XCell::Text(u.name.clone().unwrap_or_else(|| no_unit.to_string())),
                        XCell::Int(i64::from(u.active)),
                        XCell::Int(i64::from(u.recorded)),
                        XCell::Pct(u.pct),
                        XCell::Flag(u.alert),
                        XCell::Int(u.minutes),
                        hours(u.minutes),
                    ]);
                    row
                }))
            })
            .collect(),
    };

    let t = &report.thresholds;
    let about = Table {
        name: name("说明", "about"),
        headers: h(&["项目", "值"], &["item", "value"]),
        rows: vec![
            vec![
                XCell::Text(name("统计日期", "as of")),
                XCell::Date(report.today.clone()),
            ],
            vec![
                XCell::Text(name("年度", "year")),
                XCell::Int(i64::from(report.year)),
            ],
            vec![
                XCell::Text(name("清单完成率预警线(%)", "completion_alert_pct")),
                XCell::Int(i64::from(t.completion_alert_pct)),
            ],
            vec![
                XCell::Text(name("资源利用率预警线(%)", "resource_alert_pct")),
                XCell::Int(i64::from(t.resource_alert_pct)),
            ],
            vec![
                XCell::Text(name("参与率预警线(%)", "participation_alert_pct")),
                XCell::Int(i64::from(t.participation_alert_pct)),
            ],
            vec![
                XCell::Text(name("驻区单位年度最少活动次数", "min_unit_activities")),
                XCell::Int(i64::from(t.min_unit_activities)),
            ],
            vec![
                XCell::Text(name("需求响应天数", "need_response_days")),
                XCell::Int(i64::from(t.need_response_days)),
            ],
            vec![
                XCell::Text(name("群众满意度预警线(%)", "satisfaction_alert_pct")),
                XCell::Int(i64::from(t.satisfaction_alert_pct)),
            ],
            vec![
                XCell::Text(name("党员纪实率预警线(%)", "member_record_alert_pct")),
                XCell::Int(i64::from(t.member_record_alert_pct)),
            ],
        ],
    };

    vec![
        summary,
        completion,
        resources,
        overdue,
        meetings,
        participation,
        inactive,
        needs,
        idle,
        satisfaction,
        members,
        about,
    ]
}

/// The workbook's bytes.
pub fn export_xlsx(report: &Report, lang: Lang) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    for table in tables(report, lang) {
        let sheet = workbook.add_worksheet();
        write_table(sheet, &table, &formats, lang).map_err(xlsx_error)?;
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

/// The summary as CSV: the report's own CSV (UTF-8 with a byte-order mark, for Excel).
pub fn export_csv(report: &Report, lang: Lang) -> Vec<u8> {
    crate::report::render(report, crate::report::Format::Csv, lang).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_fit_chinese() {
        assert_eq!(column_width([4usize].into_iter()), 7.0);
        assert!(column_width([width("西江街道石羊塘社区")].into_iter()) >= 18.0);
        assert_eq!(column_width(std::iter::empty()), 6.0);
        assert_eq!(column_width([500usize].into_iter()), 60.0);
    }

    #[test]
    fn text_cells_are_neutralised() {
        assert_eq!(
            XCell::Text("=HYPERLINK(1)".into()).text(Lang::Zh),
            "'=HYPERLINK(1)"
        );
        assert_eq!(XCell::Text("@x\u{1b}[2J".into()).text(Lang::Zh), "'@x[2J");
        assert_eq!(XCell::Flag(true).text(Lang::En), "yes");
        assert_eq!(
            XCell::Pct(crate::indicators::Pct::of(1, 3)).text(Lang::Zh),
            "33.3"
        );
    }
}
