//! A plain table for the terminal: columns aligned by display width, so Chinese names line up.

use super::{pct_text, ratio_text};
use crate::i18n::{Lang, terms};
use crate::indicators::{CommunityFigures, Report};
use crate::text::{clean, fit, fit_right, width};

const NAME_MAX: usize = 20;
const FLAG: &str = "!";

pub fn render(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    out.push_str(&heading(report, lang));
    out.push('\n');
    out.push_str(&table(report, lang));
    if report.communities.len() == 1 {
        out.push('\n');
        out.push_str(&details(&report.communities[0], lang));
        out.push_str(&super::more::text_details(&report.communities[0], lang));
    }
    out
}

fn heading(report: &Report, lang: Lang) -> String {
    let t = &report.thresholds;
    match lang {
        Lang::Zh => format!(
            "共建情况  今天 {}（{} 年）  预警线：完成率 {}%  资源利用率 {}%  参与率 {}%  单位活动 {} 次\n",
            report.today,
            report.year,
            t.completion_alert_pct,
            t.resource_alert_pct,
            t.participation_alert_pct,
            t.min_unit_activities
        ),
        Lang::En => format!(
            "Co-building  today {} (year {})  thresholds: completion {}%  resource use {}%  participation {}%  unit activities {}\n",
            report.today,
            report.year,
            t.completion_alert_pct,
            t.resource_alert_pct,
            t.participation_alert_pct,
            t.min_unit_activities
        ),
    }
}

/// A figure with the flag mark appended when flagged (a space when not, so that figures in a
/// right-aligned column still line up).
fn flagged(text: String, flag: bool) -> String {
    if flag {
        format!("{text}{FLAG}")
    } else {
        format!("{text} ")
    }
}

fn table(report: &Report, lang: Lang) -> String {
    let header = [
        lang.pick("编号", "id").to_string(),
        lang.t(terms::STREET).to_string(),
        lang.t(terms::COMMUNITY).to_string(),
        lang.t(terms::COMPLETION).to_string(),
        lang.t(terms::RESOURCES).to_string(),
        lang.t(terms::OVERDUE_SHORT).to_string(),
        format!("{} Q1-Q4", lang.t(terms::MEETINGS_SHORT)),
        lang.t(terms::PARTICIPATION_SHORT).to_string(),
        lang.t(terms::ALERTS).to_string(),
    ];
    let [needs, satisfied, members, more] = super::more::table_headers(lang);
    let header: Vec<String> = header
        .into_iter()
        .chain([needs, satisfied, members, more].map(String::from))
        .collect();
    let rows: Vec<Vec<String>> = report
        .communities
        .iter()
        .map(|c| {
            [
                c.id.to_string(),
                clean(&c.street),
                clean(&c.name),
                flagged(
                    ratio_text(c.completion.done, c.completion.total, c.completion.pct),
                    c.completion.alert,
                ),
                flagged(
                    ratio_text(c.resources.used, c.resources.offered, c.resources.pct),
                    c.resources.alert,
                ),
                c.overdue.len().to_string(),
                c.meetings
                    .quarters
                    .iter()
                    .map(|q| q.glyph(lang))
                    .collect::<Vec<_>>()
                    .join(""),
                format!("{}+{}", c.low_participation.len(), c.inactive_units.len()),
                c.alerts.to_string(),
            ]
            .into_iter()
            .chain(super::more::table_cells(c))
            .collect()
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(width(cell));
        }
    }
    widths[1] = widths[1].min(NAME_MAX);
    widths[2] = widths[2].min(NAME_MAX);
    let numeric = [
        true, false, false, true, true, true, false, true, true, true, true, true, true,
    ];
    let line = |cells: &[String]| -> String {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if numeric[i] {
                    fit_right(c, widths[i])
                } else {
                    fit(c, widths[i])
                }
            })
            .collect();
        parts.join("  ").trim_end().to_string()
    };
    let mut out = line(&header);
    out.push('\n');
    out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1)));
    out.push('\n');
    for row in &rows {
        out.push_str(&line(row));
        out.push('\n');
    }
    out.push_str(match lang {
        Lang::Zh => "（! 表示低于预警线；例会：开=已开 缺=未开 待=本季 －=未到；参与预警=项目+单位）\n",
        Lang::En => "(! below threshold; meetings: + held, X missing, ~ this quarter, - not yet; particip. = projects+units)\n",
    });
    out
}

/// The four panels of one community, as text.
fn details(c: &CommunityFigures, lang: Lang) -> String {
    let mut out = String::new();
    let none = lang.t(terms::NONE);
    out.push_str(&format!(
        "{} #{} {} / {}\n",
        lang.t(terms::COMMUNITY),
        c.id,
        clean(&c.street),
        clean(&c.name)
    ));

    out.push_str(&format!(
        "\n[{}] {}\n",
        lang.t(terms::COMPLETION),
        flagged(
            ratio_text(c.completion.done, c.completion.total, c.completion.pct),
            c.completion.alert
        )
    ));
    for u in &c.completion.units {
        out.push_str(&format!(
            "  #{:<5} {}  {}\n",
            u.unit_id,
            fit(&clean(&u.name), 24),
            flagged(ratio_text(u.done, u.total, u.pct), u.alert)
        ));
    }
    out.push_str(&format!(
        "  {}: {}\n",
        lang.t(terms::RESOURCES),
        flagged(
            ratio_text(c.resources.used, c.resources.offered, c.resources.pct),
            c.resources.alert
        )
    ));

    out.push_str(&format!(
        "\n[{}] {}\n",
        lang.t(terms::OVERDUE),
        c.overdue.len()
    ));
    for o in &c.overdue {
        out.push_str(&format!(
            "  #{:<5} {}  {}  {}  {}  {} {}\n",
            o.project_id,
            fit(&clean(&o.title), 24),
            fit(o.status.word(lang), 9),
            fit(&clean(o.unit_name.as_deref().unwrap_or("-")), 16),
            o.due_on,
            fit_right(&o.days_overdue.to_string(), 4),
            lang.pick("天", "days"),
        ));
    }
    if c.overdue.is_empty() {
        out.push_str(&format!("  {none}\n"));
    }

    out.push_str(&format!(
        "\n[{}] {}\n",
        lang.t(terms::MEETINGS),
        c.meetings.missing
    ));
    for (q, state) in c.meetings.quarters.iter().enumerate() {
        out.push_str(&format!(
            "  Q{}  {}  {}\n",
            q + 1,
            fit(state.word(lang), 8),
            c.meetings.held_on[q].join(" ")
        ));
    }

    out.push_str(&format!(
        "\n[{}] {}\n",
        lang.t(terms::LOW_PARTICIPATION),
        c.low_participation.len() + c.inactive_units.len()
    ));
    for p in &c.low_participation {
        out.push_str(&format!(
            "  #{:<5} {}  {} {}  {} {}  {}\n",
            p.project_id,
            fit(&clean(&p.title), 24),
            lang.t(terms::PLANNED),
            p.planned,
            lang.t(terms::ACTUAL),
            p.actual,
            pct_text(p.pct)
        ));
    }
    for u in &c.inactive_units {
        out.push_str(&format!(
            "  {}: #{} {}  {} {}\n",
            lang.t(terms::INACTIVE_UNIT),
            u.unit_id,
            fit(&clean(&u.name), 24),
            lang.t(terms::ACTIVITIES),
            u.activities
        ));
    }
    if c.low_participation.is_empty() && c.inactive_units.is_empty() {
        out.push_str(&format!("  {none}\n"));
    }
    out
}
