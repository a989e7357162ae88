//! The minutes of the weekly review (会议纪要), in Markdown, in the user's language.

use super::read::{self, DecisionQuery, action_text, parse_at, query_decisions};
use super::{Decision, DecisionState, Outcome, flag_reasons, review_order};
use crate::adjust::{self, Entry, HistoryFilter};
use crate::dates::{format_ymd, parse_ymd};
use crate::error::{Error, Result};
use crate::i18n::{Lang, terms};
use crate::indicators::{CommunityFigures, Report};
use crate::report::{md, ratio_text};
use crate::store::rows::Source;
use chrono::{DateTime, Local, NaiveDate, TimeZone, Utc};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

/// Days the minutes go back when no review was ever started.
const DEFAULT_DAYS: i64 = 7;

/// The minutes for the period from `since` (a local day; default: the day the latest review
/// started, else 7 days before the report's day) to the report's day, inclusive: the date, who
/// took part (the operators of the log in the period), every flagged community of `report`
/// with its figures and flags, the decisions taken, the adjustments made, and the follow-ups
/// carried over (decisions still open). Only the communities of `report` are covered: pass a
/// report narrowed to one street for that street's minutes.
pub fn minutes(
    conn: &dyn Source,
    report: &Report,
    since: Option<NaiveDate>,
    lang: Lang,
) -> Result<String> {
    minutes_in(conn, report, since, lang, &Local)
}

/// The first instant of local day `day` in `tz`, in UTC.
fn day_start<Tz: TimeZone>(tz: &Tz, day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}

/// The minutes with times shown in `tz` (the tests use a fixed offset).
pub(crate) fn minutes_in<Tz: TimeZone>(
    conn: &dyn Source,
    report: &Report,
    since: Option<NaiveDate>,
    lang: Lang,
    tz: &Tz,
) -> Result<String>
where
    Tz::Offset: std::fmt::Display,
{
    let zh = lang == Lang::Zh;
    let today = parse_ymd(&report.today).ok_or_else(|| {
        Error::plain(
            format!("报告日期“{}”无效", md(&report.today)),
            format!("the report's day \"{}\" is not a date", md(&report.today)),
        )
    })?;
    let local_day = |t: DateTime<Utc>| t.with_timezone(tz).date_naive();
    let local_time = |text: &str| match parse_at(text) {
        Some(t) => t.with_timezone(tz).format("%Y-%m-%d %H:%M").to_string(),
        None => crate::text::clean(text),
    };
    let since = match since {
        Some(day) => day,
        None => read::latest_review(conn)?
            .and_then(|r| parse_at(&r.started_at))
            .map(local_day)
            .filter(|day| *day <= today)
            .unwrap_or(today - chrono::Duration::days(DEFAULT_DAYS)),
    };
    // "Now" for a review left open: the report's day ends (so that --today gives the same
    // minutes on any later day), or the clock, whichever is earlier.
    let now = day_start(tz, today.succ_opt().unwrap_or(today)).min(Utc::now());
    let from = day_start(tz, since);
    let until = day_start(tz, today.succ_opt().unwrap_or(today));
    let in_period = |text: &str| parse_at(text).is_some_and(|t| from <= t && t < until);

    let scope: HashSet<i64> = report.communities.iter().map(|c| c.id).collect();
    let in_scope = |community: Option<i64>| community.is_none_or(|c| scope.contains(&c));

    // The log of the period, oldest first. The log's own day filter is in this machine's
    // days: start early and compare exact times.
    let mut log: Vec<Entry> = adjust::history(
        conn,
        &HistoryFilter {
            since: Some(since - chrono::Duration::days(2)),
            ..HistoryFilter::default()
        },
    )?
    .into_iter()
    .filter(|e| in_period(&e.at) && in_scope(e.community_id))
    .collect();
    log.reverse();

    // A review run by several people records them in one field (`王芳、李明`).
    let mut participants: Vec<String> = Vec::new();
    for e in &log {
        for name in e.operator.split(['、', ',', '，', ';', '；', '/']) {
            let name = md(name.trim());
            if !name.is_empty() && !participants.contains(&name) {
                participants.push(name);
            }
        }
    }

    let reviews: Vec<super::Summary> = {
        let mut ids = Vec::new();
        for e in log
            .iter()
            .filter(|e| e.action == super::action::REVIEW_START)
        {
            if let Some(id) = e.after.get("review").and_then(|v| v.as_i64()) {
                ids.push(id);
            }
        }
        let mut out = Vec::new();
        for id in ids {
            if read::review(conn, id)?.is_some() {
                out.push(read::summary(conn, id, today)?);
            }
        }
        out
    };
    // The outcome of each community in the period's reviews (the latest review wins).
    let mut outcomes: HashMap<i64, Outcome> = HashMap::new();
    for s in &reviews {
        for item in s.covered.iter().chain(&s.skipped) {
            outcomes.insert(item.community_id, item.outcome);
        }
    }

    let all: Vec<Decision> = super::decisions(conn, None, today)?
        .into_iter()
        .filter(|d| scope.contains(&d.community_id))
        .collect();
    let taken: Vec<Decision> = query_decisions(
        conn,
        &DecisionQuery {
            created_from: Some(from.to_rfc3339()),
            created_before: Some(until.to_rfc3339()),
            ..DecisionQuery::default()
        },
        today,
    )?
    .into_iter()
    .filter(|d| scope.contains(&d.community_id))
    .collect();
    let open: Vec<&Decision> = all.iter().filter(|d| d.state.is_open()).collect();
    let completed: Vec<&Decision> = all
        .iter()
        .filter(|d| d.done_at.as_deref().is_some_and(&in_period))
        .collect();
    let adjustments: Vec<&Entry> = log
        .iter()
        .filter(|e| !super::is_review_action(&e.action))
        .collect();

    let mut overdue_count: HashMap<i64, u32> = HashMap::new();
    for d in all.iter().filter(|d| d.state == DecisionState::Overdue) {
        *overdue_count.entry(d.community_id).or_insert(0) += 1;
    }
    let order = review_order(report, &overdue_count, None);
    let by_id: HashMap<i64, &CommunityFigures> =
        report.communities.iter().map(|c| (c.id, c)).collect();

    let none = lang.t(terms::NONE);
    let mut out = String::new();
    let t = &report.thresholds;
    // Writing to a String cannot fail.
    let _ = (|| -> std::fmt::Result {
        if zh {
            writeln!(out, "# 周例会会议纪要（{}）\n", report.today)?;
            writeln!(out, "- 日期：{}", report.today)?;
            writeln!(out, "- 纪要范围：{} 至 {}", format_ymd(since), report.today)?;
            writeln!(
                out,
                "- 参加人员（经办人）：{}",
                if participants.is_empty() {
                    none.to_string()
                } else {
                    participants.join("、")
                }
            )?;
        } else {
            writeln!(out, "# Weekly review minutes ({})\n", report.today)?;
            writeln!(out, "- Date: {}", report.today)?;
            writeln!(out, "- Period: {} to {}", format_ymd(since), report.today)?;
            writeln!(
                out,
                "- Taking part (operators): {}",
                if participants.is_empty() {
                    none.to_string()
                } else {
                    participants.join(", ")
                }
            )?;
        }
        for s in &reviews {
            let r = &s.review;
            let start = md(&local_time(&r.started_at));
            let end = r.ended_at.as_deref().map(|e| md(&local_time(e)));
            let street = r.street.as_deref().map(md);
            let counts = s.counts(lang);
            if zh {
                writeln!(
                    out,
                    "- 周例会回顾 #{}：{start} 开始，{}；主持 {}；范围 {}；{counts}",
                    r.id,
                    match (end, r.interrupted) {
                        (Some(e), true) =>
                            format!("{e} 中断（程序未正常退出，按最后一条记录结束）"),
                        (Some(e), false) => format!("{e} 结束"),
                        (None, _) if r.is_stale(now) => format!(
                            "{} 后中断（程序未正常退出，未结束）",
                            md(&local_time(&r.last_at))
                        ),
                        (None, _) => "进行中".to_string(),
                    },
                    md(&r.operator),
                    street.unwrap_or_else(|| "全部街道".to_string()),
                )?;
            } else {
                writeln!(
                    out,
                    "- Weekly review #{}: started {start}, {}; run by {}; {}; {counts}",
                    r.id,
                    match (end, r.interrupted) {
                        (Some(e), true) => format!(
                            "interrupted {e} (the program was closed mid-review; closed at its last record)"
                        ),
                        (Some(e), false) => format!("ended {e}"),
                        (None, _) if r.is_stale(now) => format!(
                            "interrupted after {} (the program was closed mid-review; not ended)",
                            md(&local_time(&r.last_at))
                        ),
                        (None, _) => "under way".to_string(),
                    },
                    md(&r.operator),
                    street.map_or_else(|| "all streets".to_string(), |s| format!("street {s}")),
                )?;
            }
        }
        if zh {
            writeln!(
                out,
                "- 预警线：清单完成率 {}%，资源利用率 {}%，参与率 {}%，驻区单位全年活动 {} 次",
                t.completion_alert_pct,
                t.resource_alert_pct,
                t.participation_alert_pct,
                t.min_unit_activities
            )?;
        } else {
            writeln!(
                out,
                "- Thresholds: list completion {}%, resource use {}%, participation {}%, unit activities {} a year",
                t.completion_alert_pct,
                t.resource_alert_pct,
                t.participation_alert_pct,
                t.min_unit_activities
            )?;
        }

        // 1. Flagged communities.
        if zh {
            writeln!(out, "\n## 一、预警社区（{} 个）\n", order.len())?;
        } else {
            writeln!(out, "\n## 1. Flagged communities ({})\n", order.len())?;
        }
        if order.is_empty() {
            writeln!(out, "{}", lang.pick("（无）", "(none)"))?;
        }
        for (n, id) in order.iter().enumerate() {
            let Some(c) = by_id.get(id) else { continue };
            let flags = flag_reasons(c, t, &all, lang);
            // The heading counts the flags of `alerts` (and overdue decisions), as the overview
            // does; the version-2 flags (`more_alerts`) are listed under it all the same.
            let count = flags.len().saturating_sub(c.more_alerts as usize);
            let (street, name) = (md(&c.street), md(&c.name));
            // A community the version-2 panels alone flag says so in its heading.
            let more = c.more_alerts;
            match (zh, count) {
                (true, 0) => writeln!(out, "### {}. {street} {name}（更多预警 {more}）\n", n + 1)?,
                (true, _) => writeln!(out, "### {}. {street} {name}（预警 {count}）\n", n + 1)?,
                (false, 0) => {
                    writeln!(out, "### {}. {street} {name} ({more} more flags)\n", n + 1)?
                }
                (false, _) => writeln!(out, "### {}. {street} {name} ({count} flags)\n", n + 1)?,
            }
            if let Some(outcome) = outcomes.get(id) {
                writeln!(
                    out,
                    "- {}{}",
                    lang.pick("本期回顾：", "In the review: "),
                    lang.t(outcome.label())
                )?;
            }
            writeln!(
                out,
                "- {}{}",
                lang.pick("数据：", "Figures: "),
                figures(c, lang)
            )?;
            writeln!(out, "- {}", lang.pick("预警：", "Flags:"))?;
            for f in &flags {
                writeln!(out, "  - {}", md(f))?;
            }
            writeln!(out)?;
        }

        // 2. Decisions taken, and earlier ones done.
        if zh {
            writeln!(
                out,
                "## 二、督办事项（本期新增 {} 项，完成 {} 项）\n",
                taken.len(),
                completed.len()
            )?;
            writeln!(out, "### 新增\n")?;
        } else {
            writeln!(
                out,
                "## 2. Decisions ({} taken, {} done)\n",
                taken.len(),
                completed.len()
            )?;
            writeln!(out, "### Taken\n")?;
        }
        decision_table(
            &mut out,
            &taken.iter().collect::<Vec<_>>(),
            lang,
            &local_time,
        )?;
        writeln!(out, "\n### {}\n", lang.pick("完成", "Done"))?;
        decision_table(&mut out, &completed, lang, &local_time)?;

        // 3. Adjustments made.
        if zh {
            writeln!(out, "\n## 三、调整记录（本期 {} 条）\n", adjustments.len())?;
        } else {
            writeln!(out, "\n## 3. Adjustments made ({})\n", adjustments.len())?;
        }
        if adjustments.is_empty() {
            writeln!(out, "{}", lang.pick("（无）", "(none)"))?;
        } else {
            let head = if zh {
                ["编号", "时间", "经办人", "社区", "调整", "内容", "调整原因"]
            } else {
                [
                    "#",
                    "time",
                    "operator",
                    "community",
                    "action",
                    "what changed",
                    "reason",
                ]
            };
            writeln!(out, "| {} |", head.join(" | "))?;
            writeln!(out, "|---:|---|---|---|---|---|---|")?;
            for e in &adjustments {
                let mut action = action_text(&e.action, lang);
                if let Some(r) = e.reverses {
                    action.push_str(&format!(" #{r}"));
                }
                if let Some(p) = &e.project {
                    action.push(' ');
                    action.push_str(p);
                }
                let changes: Vec<String> = e.changes().iter().map(|c| c.line(lang)).collect();
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} | {} |",
                    e.id,
                    local_time(&e.at),
                    md(&e.operator),
                    md(e.community.as_deref().unwrap_or("")),
                    md(&action),
                    md(&changes.join(lang.pick("；", "; "))),
                    md(&e.reason)
                )?;
            }
        }

        // 4. Follow-ups carried over.
        if zh {
            writeln!(out, "\n## 四、待跟进督办事项（{} 项）\n", open.len())?;
        } else {
            writeln!(out, "\n## 4. Follow-ups carried over ({})\n", open.len())?;
        }
        decision_table(&mut out, &open, lang, &local_time)?;
        Ok(())
    })();
    Ok(out)
}

/// `清单完成率 1/3 33.3%；资源利用率 1/5 20.0%；逾期项目 1；季度例会 Q1 已开、…`
fn figures(c: &CommunityFigures, lang: Lang) -> String {
    let sep = lang.pick("；", "; ");
    let quarters: Vec<String> = c
        .meetings
        .quarters
        .iter()
        .enumerate()
        .map(|(i, q)| format!("Q{} {}", i + 1, q.word(lang)))
        .collect();
    [
        format!(
            "{} {}",
            lang.t(terms::COMPLETION),
            ratio_text(c.completion.done, c.completion.total, c.completion.pct)
        ),
        format!(
            "{} {}",
            lang.t(terms::RESOURCES),
            ratio_text(c.resources.used, c.resources.offered, c.resources.pct)
        ),
        format!("{} {}", lang.t(terms::OVERDUE), c.overdue.len()),
        format!(
            "{} {}",
            lang.t(terms::MEETINGS),
            quarters.join(lang.pick("、", ", "))
        ),
        format!(
            "{} {}",
            lang.t(terms::LOW_PARTICIPATION),
            c.low_participation.len()
        ),
        format!(
            "{} {}",
            lang.t(terms::INACTIVE_UNIT),
            c.inactive_units.len()
        ),
    ]
    .join(sep)
}

/// A table of decisions, or "(none)".
fn decision_table(
    out: &mut String,
    decisions: &[&Decision],
    lang: Lang,
    local_time: &dyn Fn(&str) -> String,
) -> std::fmt::Result {
    if decisions.is_empty() {
        return writeln!(out, "{}", lang.pick("（无）", "(none)"));
    }
    let head = match lang {
        Lang::Zh => [
            "编号",
            "社区",
            "督办事项",
            "责任人",
            "截止日期",
            "状态",
            "提出",
        ],
        Lang::En => [
            "#",
            "community",
            "decision",
            "responsible",
            "due",
            "state",
            "taken",
        ],
    };
    writeln!(out, "| {} |", head.join(" | "))?;
    writeln!(out, "|---:|---|---|---|---|---|---|")?;
    for d in decisions {
        let state = match (d.state, lang) {
            (DecisionState::Overdue, Lang::Zh) => format!("已逾期 {} 天", d.days_overdue),
            (DecisionState::Overdue, Lang::En) => format!("overdue {} days", d.days_overdue),
            (DecisionState::Done, _) => {
                let when = d.done_at.as_deref().map(local_time).unwrap_or_default();
                let by = d.done_by.as_deref().unwrap_or("");
                let note = d.done_note.as_deref().unwrap_or("");
                match lang {
                    Lang::Zh => format!("已完成（{when}，{by}：{note}）"),
                    Lang::En => format!("done ({when}, {by}: {note})"),
                }
            }
            (DecisionState::Open, _) => lang.t(d.state.label()).to_string(),
        };
        let taken = format!("{} {}", local_time(&d.created_at), d.created_by);
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            d.id,
            md(&d.community),
            md(&d.text),
            md(&d.owner),
            md(&d.due_on),
            md(&state),
            md(&taken)
        )?;
    }
    Ok(())
}
