//! What is flagged in a community and what changed since the last review, in plain words.
//! Pure functions over the figures: no SQL, no terminal.

use super::{Decision, DecisionState};
use crate::i18n::Lang;
use crate::indicators::{CommunityFigures, Pct, QuarterState};
use crate::model::{Status, Thresholds};
use crate::report::pct_text;
use crate::text::clean;

/// Which flag a line is about, so that two moments of one community can be compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FlagKey {
    Completion,
    Resources,
    /// A project past its due date (its id).
    Overdue(i64),
    /// A quarter (0 = Q1) that ended without a quarterly meeting.
    MissingQuarter(usize),
    /// A project whose participation is below the line (its id).
    LowParticipation(i64),
    /// A contracted unit with too few activities (its id).
    InactiveUnit(i64),
    /// A decision past its due date and not done (its id).
    OverdueDecision(i64),
    /// A need no project answers, waiting past the line (its id). Contract version 2.
    UnmetNeed(i64),
    /// Residents' satisfaction below the line. Contract version 2.
    Satisfaction,
    /// Too few active party members with a service record this year. Contract version 2.
    Members,
}

/// One flag of a community and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub key: FlagKey,
    pub text: String,
}

/// Each flag of `c` in plain words, in the order of the panels, then the community's overdue
/// decisions (those of `decisions` that are about `c` and overdue; pass the list from
/// [`super::decisions`]). Without overdue decisions there are exactly `c.alerts` lines.
///
/// `清单完成率 33.3%（1/3），低于 50%`, `Q3 例会未召开`, `垃圾分类督导 参与率 60.0%，低于 80%`,
/// `逾期：消防通道清理（逾期 393 天）`, `参与不足单位：华信软件（全年活动 1 次，少于 2 次）`.
pub fn flag_reasons(
    c: &CommunityFigures,
    thresholds: &Thresholds,
    decisions: &[Decision],
    lang: Lang,
) -> Vec<String> {
    flags(c, Some(thresholds), decisions, lang)
        .into_iter()
        .map(|f| f.text)
        .collect()
}

/// The flags of `c` with their keys; `thresholds` adds "below X%" to the words.
pub fn flags(
    c: &CommunityFigures,
    thresholds: Option<&Thresholds>,
    decisions: &[Decision],
    lang: Lang,
) -> Vec<Flag> {
    let zh = lang == Lang::Zh;
    let mut out = Vec::new();
    let mut push = |key, text: String| out.push(Flag { key, text });
    let below = |pct: Option<u32>| match (pct, zh) {
        (Some(p), true) => format!("，低于 {p}%"),
        (Some(p), false) => format!(", below {p}%"),
        (None, _) => String::new(),
    };

    if c.completion.alert {
        let (done, total) = (c.completion.done, c.completion.total);
        let pct = pct_text(c.completion.pct);
        let tail = below(thresholds.map(|t| t.completion_alert_pct));
        push(
            FlagKey::Completion,
            if zh {
                format!("清单完成率 {pct}（{done}/{total}）{tail}")
            } else {
                format!("List completion {pct} ({done}/{total}){tail}")
            },
        );
    }
    if c.resources.alert {
        let (used, offered) = (c.resources.used, c.resources.offered);
        let pct = pct_text(c.resources.pct);
        let tail = below(thresholds.map(|t| t.resource_alert_pct));
        push(
            FlagKey::Resources,
            if zh {
                format!("资源利用率 {pct}（{used}/{offered}）{tail}")
            } else {
                format!("Resource use {pct} ({used}/{offered}){tail}")
            },
        );
    }
    for o in &c.overdue {
        let title = clean(&o.title);
        let days = o.days_overdue;
        let paused = o.status == Status::Paused;
        push(
            FlagKey::Overdue(o.project_id),
            match (zh, paused) {
                (true, false) => format!("逾期：{title}（逾期 {days} 天）"),
                (true, true) => format!("逾期：{title}（暂停中，逾期 {days} 天）"),
                (false, false) => format!("Overdue: {title} ({})", days_overdue(days)),
                (false, true) => format!("Overdue: {title} (paused, {})", days_overdue(days)),
            },
        );
    }
    for (q, state) in c.meetings.quarters.iter().enumerate() {
        if *state == QuarterState::Missing {
            push(
                FlagKey::MissingQuarter(q),
                if zh {
                    format!("Q{} 例会未召开", q + 1)
                } else {
                    format!("Q{} quarterly meeting not held", q + 1)
                },
            );
        }
    }
    for p in &c.low_participation {
        let title = clean(&p.title);
        let pct = pct_text(p.pct);
        let tail = below(thresholds.map(|t| t.participation_alert_pct));
        push(
            FlagKey::LowParticipation(p.project_id),
            if zh {
                format!("{title} 参与率 {pct}{tail}")
            } else {
                format!("{title}: participation {pct}{tail}")
            },
        );
    }
    for u in &c.inactive_units {
        let name = clean(&u.name);
        let n = u.activities;
        let fewer = match (thresholds.map(|t| t.min_unit_activities), zh) {
            (Some(min), true) => format!("，少于 {min} 次"),
            (Some(min), false) => format!(", fewer than {min}"),
            (None, _) => String::new(),
        };
        push(
            FlagKey::InactiveUnit(u.unit_id),
            if zh {
                format!("参与不足单位：{name}（全年活动 {n} 次{fewer}）")
            } else {
                let activities = if n == 1 { "activity" } else { "activities" };
                format!("Inactive unit: {name} ({n} {activities} this year{fewer})")
            },
        );
    }
    // Contract version 2: the flags counted in `more_alerts`.
    for n in &c.needs.unmet {
        let (title, days, raised) = (clean(&n.title), n.days_waiting, &n.raised_on);
        push(
            FlagKey::UnmetNeed(n.need_id),
            if zh {
                format!("未对接需求：{title}（{raised} 提出，已等 {days} 天，无项目回应）")
            } else {
                format!(
                    "Unmet need: {title} (raised {raised}, waiting {days} {}, no project answers it)",
                    if days == 1 { "day" } else { "days" }
                )
            },
        );
    }
    if c.satisfaction.alert {
        let s = &c.satisfaction;
        let pct = pct_text(s.pct);
        let tail = below(thresholds.map(|t| t.satisfaction_alert_pct));
        let (satisfied, asked) = (s.satisfied, s.respondents);
        // The project that drags it down most, named so the meeting knows where to look.
        let worst = s.projects.iter().find(|p| p.alert).map(|p| {
            let title = clean(&p.title);
            let pct = pct_text(p.pct);
            if zh {
                format!("；最低：{title} {pct}")
            } else {
                format!("; lowest: {title} {pct}")
            }
        });
        let worst = worst.unwrap_or_default();
        push(
            FlagKey::Satisfaction,
            if zh {
                format!("群众满意度 {pct}（{satisfied}/{asked} 人满意）{tail}{worst}")
            } else {
                format!("Satisfaction {pct} ({satisfied} of {asked} satisfied){tail}{worst}")
            },
        );
    }
    if c.members.alert {
        let m = &c.members;
        let pct = pct_text(m.pct);
        let tail = below(thresholds.map(|t| t.member_record_alert_pct));
        let (recorded, active) = (m.recorded, m.active);
        push(
            FlagKey::Members,
            if zh {
                format!(
                    "党员报到纪实：{active} 名报到党员中 {recorded} 名今年有服务记录（{pct}）{tail}"
                )
            } else {
                format!(
                    "Party members: {recorded} of {active} registered members have a service record this year ({pct}){tail}"
                )
            },
        );
    }
    for d in decisions
        .iter()
        .filter(|d| d.community_id == c.id && d.state == DecisionState::Overdue)
    {
        let (text, owner) = (clean(&d.text), clean(&d.owner));
        let (due, days) = (&d.due_on, d.days_overdue);
        push(
            FlagKey::OverdueDecision(d.id),
            if zh {
                format!("督办事项逾期：{text}（责任人 {owner}，截止 {due}，逾期 {days} 天）")
            } else {
                format!(
                    "Decision overdue: {text} ({owner}, due {due}, {})",
                    days_overdue(days)
                )
            },
        );
    }
    out
}

fn days_overdue(days: i64) -> String {
    if days == 1 {
        "1 day overdue".to_string()
    } else {
        format!("{days} days overdue")
    }
}

/// Which way a figure or a flag moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A flag that was not there last time.
    New,
    /// A flag of last time that is gone.
    Cleared,
    Up,
    Down,
}

/// One line of "what changed since the last review".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeLine {
    pub direction: Direction,
    /// Whether the change is for the better (a cleared flag, a rate up, a count of problems
    /// down): for colour, never shown by colour alone since `text` says it in words.
    pub improved: bool,
    pub text: String,
}

/// What changed between two moments of one community: new flags, cleared flags, then the
/// figures that went up or down (list completion, resource use, overdue projects, missing
/// quarters, low-participation projects, inactive units, and the participation of each project
/// flagged both times). Nothing when nothing changed.
pub fn changes_since(
    before: &CommunityFigures,
    after: &CommunityFigures,
    lang: Lang,
) -> Vec<ChangeLine> {
    let zh = lang == Lang::Zh;
    let old = flags(before, None, &[], lang);
    let new = flags(after, None, &[], lang);
    let mut out = Vec::new();
    for flag in new.iter().filter(|f| !old.iter().any(|o| o.key == f.key)) {
        out.push(ChangeLine {
            direction: Direction::New,
            improved: false,
            text: format!("{}{}", lang.pick("新增预警：", "New flag: "), flag.text),
        });
    }
    for flag in old.iter().filter(|f| !new.iter().any(|n| n.key == f.key)) {
        out.push(ChangeLine {
            direction: Direction::Cleared,
            improved: true,
            text: format!("{}{}", lang.pick("已消除：", "Cleared: "), flag.text),
        });
    }

    let rate = |out: &mut Vec<ChangeLine>, name: (&str, &str), a: Option<Pct>, b: Option<Pct>| {
        let (Some(a), Some(b)) = (a, b) else { return };
        if a == b {
            return;
        }
        let up = b > a;
        let word = match (zh, up) {
            (true, true) => "上升",
            (true, false) => "下降",
            (false, true) => "up",
            (false, false) => "down",
        };
        let name = lang.pick(name.0, name.1);
        out.push(ChangeLine {
            direction: if up { Direction::Up } else { Direction::Down },
            improved: up,
            text: format!(
                "{name} {word}{}{} → {}",
                lang.pick("：", ": "),
                pct_text(Some(a)),
                pct_text(Some(b))
            ),
        });
    };
    let count = |out: &mut Vec<ChangeLine>, name: (&str, &str), a: usize, b: usize| {
        if a == b {
            return;
        }
        let up = b > a;
        let word = match (zh, up) {
            (true, true) => "增加",
            (true, false) => "减少",
            (false, true) => "up",
            (false, false) => "down",
        };
        let name = lang.pick(name.0, name.1);
        out.push(ChangeLine {
            direction: if up { Direction::Up } else { Direction::Down },
            improved: !up,
            text: format!("{name} {word}{}{a} → {b}", lang.pick("：", ": ")),
        });
    };

    rate(
        &mut out,
        ("清单完成率", "List completion"),
        before.completion.pct,
        after.completion.pct,
    );
    rate(
        &mut out,
        ("资源利用率", "Resource use"),
        before.resources.pct,
        after.resources.pct,
    );
    count(
        &mut out,
        ("逾期项目", "Overdue projects"),
        before.overdue.len(),
        after.overdue.len(),
    );
    count(
        &mut out,
        ("未召开例会的季度", "Quarters without a quarterly meeting"),
        before.meetings.missing as usize,
        after.meetings.missing as usize,
    );
    count(
        &mut out,
        ("参与率预警项目", "Low-participation projects"),
        before.low_participation.len(),
        after.low_participation.len(),
    );
    count(
        &mut out,
        ("参与不足单位", "Inactive units"),
        before.inactive_units.len(),
        after.inactive_units.len(),
    );
    for p in &after.low_participation {
        if let Some(was) = before
            .low_participation
            .iter()
            .find(|b| b.project_id == p.project_id)
        {
            let title = clean(&p.title);
            rate(
                &mut out,
                (
                    &format!("{title} 参与率"),
                    &format!("{title}: participation"),
                ),
                was.pct,
                p.pct,
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::{
        Completion, InactiveUnit, Meetings, Overdue, Participation, Resources,
    };

    /// A community with nothing flagged: 3 of 4 done, 3 of 5 resources used, Q1–Q3 held.
    fn healthy() -> CommunityFigures {
        CommunityFigures {
            id: 4,
            name: "桂花巷社区".into(),
            street: "西江街道".into(),
            street_id: 1,
            alerts: 0,
            completion: Completion {
                done: 3,
                total: 4,
                pct: Pct::of(3, 4),
                alert: false,
                units: Vec::new(),
            },
            resources: Resources {
                used: 3,
                offered: 5,
                pct: Pct::of(3, 5),
                alert: false,
            },
            overdue: Vec::new(),
            meetings: Meetings {
                quarters: [
                    QuarterState::Held,
                    QuarterState::Held,
                    QuarterState::Held,
                    QuarterState::Pending,
                ],
                missing: 0,
                held_on: Default::default(),
            },
            low_participation: Vec::new(),
            inactive_units: Vec::new(),
            more_alerts: 0,
            needs: Default::default(),
            satisfaction: Default::default(),
            members: Default::default(),
        }
    }

    /// The same community with one flag of each kind (alerts 6).
    fn troubled() -> CommunityFigures {
        let mut c = healthy();
        c.completion = Completion {
            done: 1,
            total: 3,
            pct: Pct::of(1, 3),
            alert: true,
            units: Vec::new(),
        };
        c.resources = Resources {
            used: 1,
            offered: 5,
            pct: Pct::of(1, 5),
            alert: true,
        };
        c.overdue = vec![Overdue {
            project_id: 41,
            title: "消防通道清理".into(),
            due_on: "2025-10-31".into(),
            days_overdue: 393,
            status: Status::Active,
            unit_id: None,
            unit_name: None,
        }];
        c.meetings.quarters[2] = QuarterState::Missing;
        c.meetings.missing = 1;
        c.low_participation = vec![Participation {
            project_id: 42,
            title: "垃圾分类督导".into(),
            planned: 100,
            actual: 60,
            pct: Pct::of(60, 100),
            sessions: 4,
        }];
        c.inactive_units = vec![InactiveUnit {
            unit_id: 14,
            name: "华信软件".into(),
            activities: 1,
        }];
        c.alerts = 6;
        c
    }

    fn decision(id: i64, community_id: i64, state: DecisionState, days: i64) -> Decision {
        Decision {
            id,
            review_id: Some(1),
            community_id,
            community: "桂花巷社区".into(),
            text: "清理消防通道".into(),
            owner: "王芳".into(),
            due_on: "2026-11-20".into(),
            created_at: "2026-11-13T02:00:00Z".into(),
            created_by: "李明".into(),
            done_at: None,
            done_by: None,
            done_note: None,
            state,
            days_overdue: days,
        }
    }

    #[test]
    fn every_flag_in_plain_chinese() {
        let decisions = [
            decision(1, 4, DecisionState::Overdue, 8),
            decision(2, 4, DecisionState::Open, 0),
            decision(3, 5, DecisionState::Overdue, 3),
        ];
        let lines = flag_reasons(&troubled(), &Thresholds::default(), &decisions, Lang::Zh);
        assert_eq!(
            lines,
            [
                "清单完成率 33.3%（1/3），低于 50%",
                "资源利用率 20.0%（1/5），低于 40%",
                "逾期：消防通道清理（逾期 393 天）",
                "Q3 例会未召开",
                "垃圾分类督导 参与率 60.0%，低于 80%",
                "参与不足单位：华信软件（全年活动 1 次，少于 2 次）",
                "督办事项逾期：清理消防通道（责任人 王芳，截止 2026-11-20，逾期 8 天）",
            ]
        );
    }

    #[test]
    fn every_flag_in_plain_english() {
        let mut c = troubled();
        c.overdue[0].status = Status::Paused;
        c.overdue[0].days_overdue = 1;
        let lines = flag_reasons(
            &c,
            &Thresholds::default(),
            &[decision(1, 4, DecisionState::Overdue, 8)],
            Lang::En,
        );
        assert_eq!(
            lines,
            [
                "List completion 33.3% (1/3), below 50%",
                "Resource use 20.0% (1/5), below 40%",
                "Overdue: 消防通道清理 (paused, 1 day overdue)",
                "Q3 quarterly meeting not held",
                "垃圾分类督导: participation 60.0%, below 80%",
                "Inactive unit: 华信软件 (1 activity this year, fewer than 2)",
                "Decision overdue: 清理消防通道 (王芳, due 2026-11-20, 8 days overdue)",
            ]
        );
    }

    #[test]
    fn one_line_per_alert_and_nothing_for_a_healthy_community() {
        let c = troubled();
        assert_eq!(
            flag_reasons(&c, &Thresholds::default(), &[], Lang::Zh).len(),
            c.alerts as usize
        );
        assert!(flag_reasons(&healthy(), &Thresholds::default(), &[], Lang::En).is_empty());
    }

    #[test]
    fn text_from_the_file_cannot_reach_the_terminal_raw() {
        let mut c = troubled();
        c.overdue[0].title = "消防\x1b[2J通道\n清理".into();
        let lines = flag_reasons(&c, &Thresholds::default(), &[], Lang::Zh);
        assert_eq!(lines[2], "逾期：消防[2J通道 清理（逾期 393 天）");
    }

    fn texts(lines: &[ChangeLine]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn changes_from_healthy_to_troubled_in_chinese() {
        let lines = changes_since(&healthy(), &troubled(), Lang::Zh);
        assert_eq!(
            texts(&lines),
            [
                "新增预警：清单完成率 33.3%（1/3）",
                "新增预警：资源利用率 20.0%（1/5）",
                "新增预警：逾期：消防通道清理（逾期 393 天）",
                "新增预警：Q3 例会未召开",
                "新增预警：垃圾分类督导 参与率 60.0%",
                "新增预警：参与不足单位：华信软件（全年活动 1 次）",
                "清单完成率 下降：75.0% → 33.3%",
                "资源利用率 下降：60.0% → 20.0%",
                "逾期项目 增加：0 → 1",
                "未召开例会的季度 增加：0 → 1",
                "参与率预警项目 增加：0 → 1",
                "参与不足单位 增加：0 → 1",
            ]
        );
        assert!(lines.iter().all(|l| !l.improved));
        assert_eq!(lines[0].direction, Direction::New);
        assert_eq!(lines[6].direction, Direction::Down);
        assert_eq!(lines[8].direction, Direction::Up);
    }

    #[test]
    fn changes_from_troubled_to_better_in_english() {
        let before = troubled();
        let mut after = troubled();
        // Completion back above the line, the overdue project done, participation up but
        // still flagged, a second overdue project appeared.
        after.completion = Completion {
            done: 2,
            total: 3,
            pct: Pct::of(2, 3),
            alert: false,
            units: Vec::new(),
        };
        after.overdue = vec![Overdue {
            project_id: 43,
            title: "楼道灯维修".into(),
            due_on: "2026-11-20".into(),
            days_overdue: 8,
            status: Status::Active,
            unit_id: None,
            unit_name: None,
        }];
        after.low_participation[0].actual = 70;
        after.low_participation[0].pct = Pct::of(70, 100);
        let lines = changes_since(&before, &after, Lang::En);
        assert_eq!(
            texts(&lines),
            [
                "New flag: Overdue: 楼道灯维修 (8 days overdue)",
                "Cleared: List completion 33.3% (1/3)",
                "Cleared: Overdue: 消防通道清理 (393 days overdue)",
                "List completion up: 33.3% → 66.7%",
                "垃圾分类督导: participation up: 60.0% → 70.0%",
            ]
        );
        let improved: Vec<bool> = lines.iter().map(|l| l.improved).collect();
        assert_eq!(improved, [false, true, true, true, true]);
        assert_eq!(lines[1].direction, Direction::Cleared);
        assert_eq!(lines[3].direction, Direction::Up);
    }

    #[test]
    fn nothing_changed_nothing_said() {
        assert!(changes_since(&troubled(), &troubled(), Lang::Zh).is_empty());
        // A list that had no projects then has no rate to compare.
        let mut before = healthy();
        before.completion.total = 0;
        before.completion.done = 0;
        before.completion.pct = None;
        assert!(changes_since(&before, &healthy(), Lang::En).is_empty());
    }
}
