//! Markdown minutes of the figures: a summary table, then what is flagged in each community.

use super::{pct_text, ratio_text};
use crate::i18n::{Lang, terms};
use crate::indicators::{CommunityFigures, Report};
use crate::text::clean;

/// Text safe inside a Markdown table cell or list item.
pub(crate) fn md(text: &str) -> String {
    // Characters Markdown would read as markup become their full-width forms, which read the
    // same to a person in Notepad or WPS and are plain text to a Markdown viewer: no backslash
    // escapes (`\#1`) for anyone to see. An underscore inside a word is not markup.
    clean(text)
        .chars()
        .map(|ch| match ch {
            '|' => '｜',
            '\\' => '＼',
            '*' => '＊',
            '`' => '｀',
            '[' => '［',
            ']' => '］',
            '<' => '＜',
            '>' => '＞',
            '#' => '＃',
            other => other,
        })
        .collect()
}

fn flag(alert: bool) -> &'static str {
    if alert { " ⚠" } else { "" }
}

pub fn render(report: &Report, lang: Lang) -> String {
    let t = &report.thresholds;
    let mut out = String::new();
    match lang {
        Lang::Zh => {
            out.push_str(&format!("# 共建工作情况（{}）\n\n", report.today));
            out.push_str(&format!(
                "统计年度 {} 年，截至 {}。预警线：清单完成率 {}%，资源利用率 {}%，参与率 {}%，驻区单位全年活动 {} 次。\n\n",
                report.year, report.today, t.completion_alert_pct, t.resource_alert_pct,
                t.participation_alert_pct, t.min_unit_activities
            ));
        }
        Lang::En => {
            out.push_str(&format!("# Co-building figures ({})\n\n", report.today));
            out.push_str(&format!(
                "Year {}, up to {}. Thresholds: list completion {}%, resource use {}%, participation {}%, unit activities {} a year.\n\n",
                report.year, report.today, t.completion_alert_pct, t.resource_alert_pct,
                t.participation_alert_pct, t.min_unit_activities
            ));
        }
    }
    let flagged = report.communities.iter().filter(|c| c.alerts > 0).count();
    out.push_str(&match lang {
        Lang::Zh => format!(
            "共 {} 个社区，{} 个有预警。\n\n",
            report.communities.len(),
            flagged
        ),
        Lang::En => format!(
            "{} communities, {} with alerts.\n\n",
            report.communities.len(),
            flagged
        ),
    });

    out.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} | {} | {} |\n|---|---|---:|---:|---:|---|---:|---:|\n",
        lang.t(terms::STREET),
        lang.t(terms::COMMUNITY),
        lang.t(terms::COMPLETION),
        lang.t(terms::RESOURCES),
        lang.t(terms::OVERDUE_SHORT),
        lang.t(terms::MEETINGS),
        lang.t(terms::LOW_PARTICIPATION),
        lang.t(terms::ALERTS),
    ));
    for c in &report.communities {
        let quarters: Vec<String> = c
            .meetings
            .quarters
            .iter()
            .enumerate()
            .map(|(i, q)| format!("Q{} {}", i + 1, q.word(lang)))
            .collect();
        out.push_str(&format!(
            "| {} | {} | {}{} | {}{} | {} | {} | {} | {} |\n",
            md(&c.street),
            md(&c.name),
            ratio_text(c.completion.done, c.completion.total, c.completion.pct),
            flag(c.completion.alert),
            ratio_text(c.resources.used, c.resources.offered, c.resources.pct),
            flag(c.resources.alert),
            c.overdue.len(),
            quarters.join(", "),
            c.low_participation.len() + c.inactive_units.len(),
            c.alerts
        ));
    }

    for c in report
        .communities
        .iter()
        .filter(|c| c.alerts > 0 || c.more_alerts > 0 || report.communities.len() == 1)
    {
        out.push('\n');
        out.push_str(&community_section(c, lang));
    }
    out
}

fn community_section(c: &CommunityFigures, lang: Lang) -> String {
    let mut out = format!(
        "## {} {}（{} {}）\n\n",
        md(&c.street),
        md(&c.name),
        lang.t(terms::ALERTS),
        c.alerts
    );
    let item = |out: &mut String, text: String| {
        out.push_str("- ");
        out.push_str(&text);
        out.push('\n');
    };
    item(
        &mut out,
        format!(
            "{}：{}{}",
            lang.t(terms::COMPLETION),
            ratio_text(c.completion.done, c.completion.total, c.completion.pct),
            flag(c.completion.alert)
        ),
    );
    for u in c.completion.units.iter().filter(|u| u.alert) {
        out.push_str(&format!(
            "  - {} {}{}\n",
            md(&u.name),
            ratio_text(u.done, u.total, u.pct),
            flag(true)
        ));
    }
    item(
        &mut out,
        format!(
            "{}：{}{}",
            lang.t(terms::RESOURCES),
            ratio_text(c.resources.used, c.resources.offered, c.resources.pct),
            flag(c.resources.alert)
        ),
    );
    for o in &c.overdue {
        item(
            &mut out,
            match lang {
                Lang::Zh => format!(
                    "逾期：{}（{}，{}，截止 {}，逾期 {} 天）",
                    md(&o.title),
                    md(o.unit_name.as_deref().unwrap_or("社区自办")),
                    o.status.word(lang),
                    o.due_on,
                    o.days_overdue
                ),
                Lang::En => format!(
                    "Overdue: {} ({}, {}, due {}, {} days overdue)",
                    md(&o.title),
                    md(o.unit_name.as_deref().unwrap_or("community itself")),
                    o.status.word(lang),
                    o.due_on,
                    o.days_overdue
                ),
            },
        );
    }
    for (q, state) in c.meetings.quarters.iter().enumerate() {
        if *state == crate::indicators::QuarterState::Missing {
            item(
                &mut out,
                match lang {
                    Lang::Zh => format!("Q{} 季度例会未召开", q + 1),
                    Lang::En => format!("Q{} quarterly meeting not held", q + 1),
                },
            );
        }
    }
    for p in &c.low_participation {
        item(
            &mut out,
            match lang {
                Lang::Zh => format!(
                    "{} 参与率 {}（计划 {}，实际 {}）",
                    md(&p.title),
                    pct_text(p.pct),
                    p.planned,
                    p.actual
                ),
                Lang::En => format!(
                    "{}: participation {} (planned {}, actual {})",
                    md(&p.title),
                    pct_text(p.pct),
                    p.planned,
                    p.actual
                ),
            },
        );
    }
    for u in &c.inactive_units {
        item(
            &mut out,
            match lang {
                Lang::Zh => format!(
                    "参与不足单位：{}（全年活动 {} 次）",
                    md(&u.name),
                    u.activities
                ),
                Lang::En => format!(
                    "Inactive unit: {} ({} activities this year)",
                    md(&u.name),
                    u.activities
                ),
            },
        );
    }
    out.push_str(&super::more::md_items(c, lang));
    out
}
