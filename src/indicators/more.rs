//! The three panels of contract version 2 (indicators 5–7): needs answered (需求对接), residents'
//! satisfaction (群众满意度) and party members' service (党员报到纪实), computed for the same
//! `today` and year as the four panels. They never change a version-1 figure: they have their
//! own count, `more_alerts`.

use super::{Pct, below, cmp_fraction};
use crate::dates::format_ymd;
use crate::model::{District, Status, Thresholds};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Indicator 5 for one community.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Needs {
    /// The community's needs raised on or before today, whatever the year.
    pub total: u32,
    /// Those of them that a project (of any community, not cancelled) answers.
    pub answered: u32,
    /// Unanswered needs waiting `need_response_days` or more: most waiting first, then by id.
    pub unmet: Vec<UnmetNeed>,
    /// The community's resources never used (`times_used = 0`), by resource id.
    pub idle_resources: Vec<IdleResource>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnmetNeed {
    pub need_id: i64,
    pub title: String,
    pub raised_on: String,
    pub days_waiting: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdleResource {
    pub resource_id: i64,
    pub title: String,
    pub unit_id: i64,
}

/// Indicator 6 for one community.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Satisfaction {
    pub respondents: i64,
    pub satisfied: i64,
    pub pct: Option<Pct>,
    pub alert: bool,
    /// Projects with at least one counted survey, by the exact ratio (lowest first), then id.
    pub projects: Vec<ProjectSatisfaction>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectSatisfaction {
    pub project_id: i64,
    pub title: String,
    pub respondents: i64,
    pub satisfied: i64,
    pub pct: Option<Pct>,
    pub alert: bool,
}

/// Indicator 7 for one community.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Members {
    /// Members registered on or before today and not gone by today.
    pub active: u32,
    /// Active members with at least one service in the year up to today.
    pub recorded: u32,
    /// Minutes of every service in the year up to today of the community's members, whether
    /// or not still registered.
    pub minutes: i64,
    pub pct: Option<Pct>,
    pub alert: bool,
    /// Per workplace unit with an active member or counted minutes, by unit id; members with
    /// no unit last (`unit_id` and `name` null).
    pub units: Vec<UnitMembers>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitMembers {
    pub unit_id: Option<i64>,
    pub name: Option<String>,
    pub active: u32,
    pub recorded: u32,
    pub minutes: i64,
    pub pct: Option<Pct>,
    pub alert: bool,
}

/// The three panels of one community.
pub(super) struct MoreFigures {
    pub needs: Needs,
    pub satisfaction: Satisfaction,
    pub members: Members,
}

impl MoreFigures {
    /// Unmet needs, plus one for flagged satisfaction, plus one for flagged members.
    pub fn alerts(&self) -> u32 {
        self.needs.unmet.len() as u32
            + u32::from(self.satisfaction.alert)
            + u32::from(self.members.alert)
    }
}

/// `minutes / 60` rounded to one decimal half away from zero, in integers: `"1.5"`.
pub fn hours_text(minutes: i64) -> String {
    // 100 × minutes / 6000 = minutes / 60.
    Pct::of(minutes, 6000).map_or_else(String::new, |h| h.to_string())
}

#[derive(Default)]
struct MemberTally {
    active: u32,
    recorded: u32,
    minutes: i64,
}

impl MemberTally {
    fn pct_alert(&self, threshold: u32) -> (Option<Pct>, bool) {
        let (recorded, active) = (i64::from(self.recorded), i64::from(self.active));
        (
            Pct::of(recorded, active),
            active > 0 && below(recorded, active, threshold),
        )
    }
}

pub(super) fn compute(
    district: &District,
    today: NaiveDate,
    year_start: NaiveDate,
    thresholds: &Thresholds,
    unit_name: &dyn Fn(i64) -> String,
) -> HashMap<i64, MoreFigures> {
    let in_counted_year = |d: NaiveDate| year_start <= d && d <= today;
    let mut out: HashMap<i64, MoreFigures> = district
        .communities
        .iter()
        .map(|c| {
            (
                c.id,
                MoreFigures {
                    needs: Needs::default(),
                    satisfaction: Satisfaction::default(),
                    members: Members::default(),
                },
            )
        })
        .collect();

    // 5. Needs: answered by a project of any community that is not cancelled.
    let answered: HashSet<i64> = district
        .need_links
        .iter()
        .filter(|link| link.status != Status::Cancelled)
        .map(|link| link.need_id)
        .collect();
    for need in &district.needs {
        if need.raised_on > today {
            continue;
        }
        let Some(figures) = out.get_mut(&need.community_id) else {
            continue;
        };
        let needs = &mut figures.needs;
        needs.total += 1;
        let days_waiting = (today - need.raised_on).num_days();
        if answered.contains(&need.id) {
            needs.answered += 1;
        } else if days_waiting >= i64::from(thresholds.need_response_days) {
            needs.unmet.push(UnmetNeed {
                need_id: need.id,
                title: need.title.clone(),
                raised_on: format_ymd(need.raised_on),
                days_waiting,
            });
        }
    }
    for resource in &district.resources {
        if resource.times_used == 0
            && let Some(figures) = out.get_mut(&resource.community_id)
        {
            figures.needs.idle_resources.push(IdleResource {
                resource_id: resource.id,
                title: resource.title.clone(),
                unit_id: resource.unit_id,
            });
        }
    }

    // 6. Satisfaction: surveys of the community's projects that are not cancelled.
    let projects: HashMap<i64, (i64, &str, Status)> = district
        .projects
        .iter()
        .map(|p| (p.id, (p.community_id, p.title.as_str(), p.status)))
        .collect();
    // project id → (respondents, satisfied)
    let mut surveyed: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for survey in &district.surveys {
        if !in_counted_year(survey.held_on) {
            continue;
        }
        match projects.get(&survey.project_id) {
            Some((_, _, status)) if *status != Status::Cancelled => {
                let sums = surveyed.entry(survey.project_id).or_default();
                sums.0 = sums.0.saturating_add(survey.respondents);
                sums.1 = sums.1.saturating_add(survey.satisfied);
            }
            _ => {}
        }
    }
    let threshold = thresholds.satisfaction_alert_pct;
    for (&project_id, &(respondents, satisfied)) in &surveyed {
        let Some(&(community_id, title, _)) = projects.get(&project_id) else {
            continue;
        };
        let Some(figures) = out.get_mut(&community_id) else {
            continue;
        };
        let s = &mut figures.satisfaction;
        s.respondents = s.respondents.saturating_add(respondents);
        s.satisfied = s.satisfied.saturating_add(satisfied);
        s.projects.push(ProjectSatisfaction {
            project_id,
            title: title.to_string(),
            respondents,
            satisfied,
            pct: Pct::of(satisfied, respondents),
            alert: respondents > 0 && below(satisfied, respondents, threshold),
        });
    }

    // 7. Members: a service counts for its member's community and workplace unit.
    // member id → (community, unit, active)
    let mut members: HashMap<i64, (i64, Option<i64>, bool)> = HashMap::new();
    // community → unit → tally
    let mut tallies: HashMap<i64, BTreeMap<Option<i64>, MemberTally>> = HashMap::new();
    for member in &district.members {
        if !out.contains_key(&member.community_id) {
            continue;
        }
        let active =
            member.registered_on <= today && member.left_on.is_none_or(|left| left > today);
        members.insert(member.id, (member.community_id, member.unit_id, active));
        if active {
            tallies
                .entry(member.community_id)
                .or_default()
                .entry(member.unit_id)
                .or_default()
                .active += 1;
        }
    }
    let mut recorded: HashSet<i64> = HashSet::new();
    for service in &district.services {
        if !in_counted_year(service.served_on) {
            continue;
        }
        let Some(&(community_id, unit_id, active)) = members.get(&service.member_id) else {
            continue;
        };
        let tally = tallies
            .entry(community_id)
            .or_default()
            .entry(unit_id)
            .or_default();
        tally.minutes = tally.minutes.saturating_add(service.minutes);
        if active && recorded.insert(service.member_id) {
            tally.recorded += 1;
        }
    }
    let threshold = thresholds.member_record_alert_pct;
    for (community_id, units) in tallies {
        let Some(figures) = out.get_mut(&community_id) else {
            continue;
        };
        let mut whole = MemberTally::default();
        let mut rows = Vec::with_capacity(units.len());
        for (unit_id, tally) in units {
            whole.active += tally.active;
            whole.recorded += tally.recorded;
            whole.minutes = whole.minutes.saturating_add(tally.minutes);
            let (pct, alert) = tally.pct_alert(threshold);
            rows.push(UnitMembers {
                unit_id,
                name: unit_id.map(unit_name),
                active: tally.active,
                recorded: tally.recorded,
                minutes: tally.minutes,
                pct,
                alert,
            });
        }
        // `None` sorts first in the map: the members with no unit go last.
        rows.sort_by_key(|row| (row.unit_id.is_none(), row.unit_id));
        let (pct, alert) = whole.pct_alert(threshold);
        figures.members = Members {
            active: whole.active,
            recorded: whole.recorded,
            minutes: whole.minutes,
            pct,
            alert,
            units: rows,
        };
    }

    for figures in out.values_mut() {
        let s = &mut figures.satisfaction;
        s.pct = Pct::of(s.satisfied, s.respondents);
        s.alert = s.respondents > 0
            && below(
                s.satisfied,
                s.respondents,
                thresholds.satisfaction_alert_pct,
            );
        s.projects.sort_by(|a, b| {
            cmp_fraction(a.satisfied, a.respondents, b.satisfied, b.respondents)
                .then(a.project_id.cmp(&b.project_id))
        });
        figures.needs.unmet.sort_by(|a, b| {
            b.days_waiting
                .cmp(&a.days_waiting)
                .then(a.need_id.cmp(&b.need_id))
        });
        figures.needs.idle_resources.sort_by_key(|r| r.resource_id);
    }
    out
}
