//! One row per community with the headline figures, for Excel and WPS: UTF-8 with a
//! byte-order mark, cells that would start a formula neutralised.

use crate::i18n::Lang;
use crate::indicators::{Pct, Report};
use crate::text::{clean, neutralise_formula};

fn cell(text: &str) -> String {
    cell_text(text)
}

fn cell_text(text: &str) -> String {
    let safe = neutralise_formula(&clean(text));
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

fn number(pct: Option<Pct>) -> String {
    pct.map(|p| p.to_string()).unwrap_or_default()
}

/// The summary's columns, in order: the community, then its headline figures. The
/// spreadsheet export's summary sheet uses the same.
pub(crate) fn summary_headers(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Zh => &[
            "社区编号",
            "街道",
            "社区",
            "预警数",
            "已完成项目",
            "清单项目",
            "清单完成率(%)",
            "完成率预警",
            "已用资源",
            "资源总数",
            "资源利用率(%)",
            "资源预警",
            "逾期项目",
            "Q1例会",
            "Q2例会",
            "Q3例会",
            "Q4例会",
            "未开例会",
            "参与率预警项目",
            "参与不足单位",
        ],
        Lang::En => &[
            "community_id",
            "street",
            "community",
            "alerts",
            "done",
            "total",
            "completion_pct",
            "completion_alert",
            "resources_used",
            "resources_offered",
            "resource_pct",
            "resource_alert",
            "overdue",
            "q1",
            "q2",
            "q3",
            "q4",
            "missing_quarters",
            "low_participation",
            "inactive_units",
        ],
    }
}

pub fn render(report: &Report, lang: Lang) -> String {
    let yes_no = |b: bool| lang.pick(if b { "是" } else { "否" }, if b { "yes" } else { "no" });
    let mut header = summary_headers(lang).to_vec();
    header.extend_from_slice(super::more::summary_headers(lang));
    let mut out = String::from("\u{FEFF}");
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for c in &report.communities {
        let mut row: Vec<String> = vec![
            c.id.to_string(),
            cell(&c.street),
            cell(&c.name),
            c.alerts.to_string(),
            c.completion.done.to_string(),
            c.completion.total.to_string(),
            number(c.completion.pct),
            yes_no(c.completion.alert).into(),
            c.resources.used.to_string(),
            c.resources.offered.to_string(),
            number(c.resources.pct),
            yes_no(c.resources.alert).into(),
            c.overdue.len().to_string(),
        ];
        row.extend(c.meetings.quarters.iter().map(|q| q.word(lang).to_string()));
        row.push(c.meetings.missing.to_string());
        row.push(c.low_participation.len().to_string());
        row.push(c.inactive_units.len().to_string());
        row.extend(
            super::more::summary_cells(c)
                .into_iter()
                .map(|cell| match cell {
                    super::more::SummaryCell::Int(n) => n.to_string(),
                    super::more::SummaryCell::Pct(p) => number(p),
                    super::more::SummaryCell::Flag(b) => yes_no(b).to_string(),
                    super::more::SummaryCell::Text(t) => cell_text(&t),
                }),
        );
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}
