//! The three panels of contract version 2 (needs, satisfaction, party members' service) in the
//! text, Markdown and CSV reports. Kept apart from the four panels so that those stay as
//! scripts written against version 1 know them.

use super::{markdown::md, pct_text, ratio_text};
use crate::i18n::Lang;
use crate::indicators::{CommunityFigures, Pct, hours_text};
use crate::text::{clean, fit, fit_right};

/// The version-2 columns of the CSV summary (and the spreadsheet's summary sheet), after the
/// version-1 ones.
const SUMMARY_HEADERS_ZH: &[&str] = &[
    "需求总数",
    "已对接需求",
    "未对接需求",
    "闲置资源",
    "调查人次",
    "满意人次",
    "群众满意度(%)",
    "满意度预警",
    "报到党员",
    "有服务纪实党员",
    "纪实率(%)",
    "纪实预警",
    "服务时长(分钟)",
    "服务时长(小时)",
    "新增预警数",
];

const SUMMARY_HEADERS_EN: &[&str] = &[
    "needs_total",
    "needs_answered",
    "unmet_needs",
    "idle_resources",
    "respondents",
    "satisfied",
    "satisfaction_pct",
    "satisfaction_alert",
    "members_active",
    "members_recorded",
    "member_record_pct",
    "members_alert",
    "service_minutes",
    "service_hours",
    "more_alerts",
];

/// The version-2 summary headers in `lang`.
pub(crate) fn summary_headers(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Zh => SUMMARY_HEADERS_ZH,
        Lang::En => SUMMARY_HEADERS_EN,
    }
}

/// One cell of the version-2 summary columns.
pub(crate) enum SummaryCell {
    Int(i64),
    Pct(Option<Pct>),
    Flag(bool),
    Text(String),
}

/// The community's version-2 summary cells, in [`SUMMARY_HEADERS_ZH`]'s order.
pub(crate) fn summary_cells(c: &CommunityFigures) -> Vec<SummaryCell> {
    use SummaryCell::*;
    vec![
        Int(i64::from(c.needs.total)),
        Int(i64::from(c.needs.answered)),
        Int(c.needs.unmet.len() as i64),
        Int(c.needs.idle_resources.len() as i64),
        Int(c.satisfaction.respondents),
        Int(c.satisfaction.satisfied),
        Pct(c.satisfaction.pct),
        Flag(c.satisfaction.alert),
        Int(i64::from(c.members.active)),
        Int(i64::from(c.members.recorded)),
        Pct(c.members.pct),
        Flag(c.members.alert),
        Int(c.members.minutes),
        Text(hours_text(c.members.minutes)),
        Int(i64::from(c.more_alerts)),
    ]
}

fn mark(alert: bool) -> &'static str {
    if alert { "!" } else { " " }
}

/// The summary table's version-2 headers and cells for the text report.
pub(super) fn table_headers(lang: Lang) -> [&'static str; 4] {
    match lang {
        Lang::Zh => ["需求对接", "满意度", "党员纪实", "新增预警"],
        Lang::En => ["needs", "satisfied", "members", "more"],
    }
}

pub(super) fn table_cells(c: &CommunityFigures) -> [String; 4] {
    [
        format!(
            "{}/{} {}{}",
            c.needs.answered,
            c.needs.total,
            c.needs.unmet.len(),
            mark(!c.needs.unmet.is_empty())
        ),
        format!(
            "{}{}",
            pct_text(c.satisfaction.pct),
            mark(c.satisfaction.alert)
        ),
        format!(
            "{}{}",
            ratio_text(c.members.recorded, c.members.active, c.members.pct),
            mark(c.members.alert)
        ),
        c.more_alerts.to_string(),
    ]
}

/// The three panels of one community, as text.
pub(super) fn text_details(c: &CommunityFigures, lang: Lang) -> String {
    let mut out = String::new();
    let none = lang.pick("无", "none");
    out.push_str(&format!(
        "\n[{}] {} {}/{}  {} {}\n",
        lang.pick("需求对接", "Needs"),
        lang.pick("已对接", "answered"),
        c.needs.answered,
        c.needs.total,
        lang.pick("未对接", "unmet"),
        c.needs.unmet.len()
    ));
    for n in &c.needs.unmet {
        out.push_str(&format!(
            "  #{:<5} {}  {}  {} {}!\n",
            n.need_id,
            fit(&clean(&n.title), 24),
            n.raised_on,
            fit_right(&n.days_waiting.to_string(), 4),
            lang.pick("天", "days"),
        ));
    }
    for r in &c.needs.idle_resources {
        out.push_str(&format!(
            "  {}: #{:<5} {}  {} #{}\n",
            lang.pick("闲置资源", "idle resource"),
            r.resource_id,
            fit(&clean(&r.title), 24),
            lang.pick("单位", "unit"),
            r.unit_id,
        ));
    }
    if c.needs.unmet.is_empty() && c.needs.idle_resources.is_empty() {
        out.push_str(&format!("  {none}\n"));
    }

    let s = &c.satisfaction;
    out.push_str(&format!(
        "\n[{}] {}{}\n",
        lang.pick("群众满意度", "Satisfaction"),
        ratio_text(
            u32::try_from(s.satisfied).unwrap_or(u32::MAX),
            u32::try_from(s.respondents).unwrap_or(u32::MAX),
            s.pct
        ),
        mark(s.alert)
    ));
    for p in &s.projects {
        out.push_str(&format!(
            "  #{:<5} {}  {} {}  {} {}  {}{}\n",
            p.project_id,
            fit(&clean(&p.title), 24),
            lang.pick("调查", "asked"),
            p.respondents,
            lang.pick("满意", "satisfied"),
            p.satisfied,
            pct_text(p.pct),
            mark(p.alert)
        ));
    }
    if s.projects.is_empty() {
        out.push_str(&format!("  {none}\n"));
    }

    let m = &c.members;
    out.push_str(&format!(
        "\n[{}] {} {}{}  {} {} {}\n",
        lang.pick("报到党员", "Party members"),
        lang.pick("有纪实", "recorded"),
        ratio_text(m.recorded, m.active, m.pct),
        mark(m.alert),
        lang.pick("服务时长", "hours"),
        hours_text(m.minutes),
        lang.pick("小时", "h"),
    ));
    for u in &m.units {
        let name = u
            .name
            .as_deref()
            .map_or_else(|| lang.pick("未填单位", "no unit given").to_string(), clean);
        out.push_str(&format!(
            "  {}  {} {}  {} {}  {} {}\n",
            fit(&name, 24),
            lang.pick("在册", "active"),
            u.active,
            lang.pick("有纪实", "recorded"),
            u.recorded,
            hours_text(u.minutes),
            lang.pick("小时", "h"),
        ));
    }
    if m.units.is_empty() {
        out.push_str(&format!("  {none}\n"));
    }
    out
}

/// What the three panels flag in one community, as Markdown list items.
pub(super) fn md_items(c: &CommunityFigures, lang: Lang) -> String {
    let mut out = String::new();
    let item = |out: &mut String, text: String| {
        out.push_str("- ");
        out.push_str(&text);
        out.push('\n');
    };
    for n in &c.needs.unmet {
        item(
            &mut out,
            match lang {
                Lang::Zh => format!(
                    "未对接需求：{}（{} 提出，已等 {} 天）",
                    md(&n.title),
                    n.raised_on,
                    n.days_waiting
                ),
                Lang::En => format!(
                    "Unmet need: {} (raised {}, waiting {} days)",
                    md(&n.title),
                    n.raised_on,
                    n.days_waiting
                ),
            },
        );
    }
    if c.satisfaction.alert {
        item(
            &mut out,
            match lang {
                Lang::Zh => format!(
                    "群众满意度 {}（调查 {} 人次，满意 {}）",
                    pct_text(c.satisfaction.pct),
                    c.satisfaction.respondents,
                    c.satisfaction.satisfied
                ),
                Lang::En => format!(
                    "Satisfaction {} ({} asked, {} satisfied)",
                    pct_text(c.satisfaction.pct),
                    c.satisfaction.respondents,
                    c.satisfaction.satisfied
                ),
            },
        );
        for p in c.satisfaction.projects.iter().filter(|p| p.alert) {
            out.push_str(&format!("  - {} {}\n", md(&p.title), pct_text(p.pct)));
        }
    }
    if c.members.alert {
        item(
            &mut out,
            match lang {
                Lang::Zh => format!(
                    "报到党员服务纪实：{} 人中 {} 人有记录（{}），服务时长 {} 小时",
                    c.members.active,
                    c.members.recorded,
                    pct_text(c.members.pct),
                    hours_text(c.members.minutes)
                ),
                Lang::En => format!(
                    "Party members' service: {} of {} recorded ({}), {} hours",
                    c.members.recorded,
                    c.members.active,
                    pct_text(c.members.pct),
                    hours_text(c.members.minutes)
                ),
            },
        );
    }
    out
}
