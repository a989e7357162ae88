//! The panels, computed for one day `today` and its calendar year: the four of contract
//! version 1 here, the three of version 2 in `more.rs`.
//!
//! Pure functions over [`District`]: no SQL, no terminal. Every figure here is what the screens
//! show and what `report` prints, so the rules follow DOMAIN.md word for word; flags use exact
//! integer comparisons and percentages are rounded only for display.

pub mod assessment;
mod more;
mod pct;
mod totals;

pub use more::{
    IdleResource, Members, Needs, ProjectSatisfaction, Satisfaction, UnitMembers, UnmetNeed,
    hours_text,
};
pub use pct::{Pct, below};
pub use totals::{Fold, ProjectTotals};

use crate::dates::{format_ymd, quarter_bounds, quarter_of, year_bounds};
use crate::model::{Activity, DayData, District, SessionSums, SessionTotals, Status, Thresholds};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub today: String,
    pub year: i32,
    pub thresholds: Thresholds,
    pub communities: Vec<CommunityFigures>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunityFigures {
    pub id: i64,
    pub name: String,
    pub street: String,
    pub street_id: i64,
    pub alerts: u32,
    pub completion: Completion,
    pub resources: Resources,
    pub overdue: Vec<Overdue>,
    pub meetings: Meetings,
    pub low_participation: Vec<Participation>,
    pub inactive_units: Vec<InactiveUnit>,
    /// Contract version 2: unmet needs + (satisfaction flagged) + (members flagged). `alerts`
    /// keeps its version-1 meaning. Figures stored before version 2 read back as empty.
    #[serde(default)]
    pub more_alerts: u32,
    #[serde(default)]
    pub needs: Needs,
    #[serde(default)]
    pub satisfaction: Satisfaction,
    #[serde(default)]
    pub members: Members,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    pub done: u32,
    pub total: u32,
    pub pct: Option<Pct>,
    pub alert: bool,
    pub units: Vec<UnitCompletion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitCompletion {
    pub unit_id: i64,
    pub name: String,
    pub done: u32,
    pub total: u32,
    pub pct: Option<Pct>,
    pub alert: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resources {
    pub used: u32,
    pub offered: u32,
    pub pct: Option<Pct>,
    pub alert: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overdue {
    pub project_id: i64,
    pub title: String,
    pub due_on: String,
    pub days_overdue: i64,
    pub status: Status,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
}

pub use crate::vocab::QuarterState;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meetings {
    pub quarters: [QuarterState; 4],
    pub missing: u32,
    /// The dates of the quarterly meetings held in each quarter, oldest first.
    pub held_on: [Vec<String>; 4],
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participation {
    pub project_id: i64,
    pub title: String,
    pub planned: i64,
    pub actual: i64,
    pub pct: Option<Pct>,
    /// Sessions counted (held in the year, not after today).
    pub sessions: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InactiveUnit {
    pub unit_id: i64,
    pub name: String,
    pub activities: u32,
}

impl CommunityFigures {
    /// Flagged projects plus inactive units: the participation panel's count.
    pub fn participation_flags(&self) -> u32 {
        (self.low_participation.len() + self.inactive_units.len()) as u32
    }

    pub fn missing_quarters(&self) -> u32 {
        self.meetings.missing
    }
}

/// Computes every community's figures for `today`.
pub fn compute(district: &District, today: NaiveDate, thresholds: &Thresholds) -> Report {
    let sums = session_sums(&district.activities, today);
    compute_with_sessions(district, &sums, today, thresholds)
}

/// Computes the figures from what the store read: from the activity rows, or from the
/// file's summaries when it used them.
pub fn compute_day(data: &DayData, today: NaiveDate, thresholds: &Thresholds) -> Report {
    match (&data.totals, &data.sessions) {
        (Some(totals), _) => compute_from_totals(&data.district, totals, today, thresholds),
        (None, Some(sums)) => compute_with_sessions(&data.district, sums, today, thresholds),
        (None, None) => compute(&data.district, today, thresholds),
    }
}

/// Per project: the sessions held in the year and not after `today`, summed (panel 4).
pub fn session_sums(activities: &[Activity], today: NaiveDate) -> SessionTotals {
    let mut summer = SessionSummer::new(today);
    for activity in activities {
        summer.add(activity);
    }
    summer.finish()
}

/// [`session_sums`] one session at a time, for a reader that never holds the rows.
pub struct SessionSummer {
    year_start: NaiveDate,
    year_end: NaiveDate,
    today: NaiveDate,
    sums: HashMap<i64, SessionSums>,
}

impl SessionSummer {
    pub fn new(today: NaiveDate) -> SessionSummer {
        let (year_start, year_end) = year_bounds(today);
        SessionSummer {
            year_start,
            year_end,
            today,
            sums: HashMap::new(),
        }
    }

    /// Counts `activity` when it was held in the year and not after the day.
    pub fn add(&mut self, activity: &Activity) {
        if self.year_start <= activity.held_on
            && activity.held_on <= self.year_end
            && activity.held_on <= self.today
        {
            let entry = self.sums.entry(activity.project_id).or_default();
            entry.count += 1;
            entry.planned = entry.planned.saturating_add(activity.planned);
            entry.actual = entry.actual.saturating_add(activity.actual);
        }
    }

    /// Adds one project's sessions already summed elsewhere (a database server summing the
    /// clean rows of the year up to the day), as [`SessionSummer::add`] would have summed them.
    pub fn add_sums(&mut self, project_id: i64, sums: SessionSums) {
        let entry = self.sums.entry(project_id).or_default();
        entry.count = entry.count.saturating_add(sums.count);
        entry.planned = entry.planned.saturating_add(sums.planned);
        entry.actual = entry.actual.saturating_add(sums.actual);
    }

    /// The day up to which sessions count.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    pub fn finish(self) -> SessionTotals {
        SessionTotals::from(self.sums)
    }
}

/// The figures, with each project's sessions already summed as [`session_sums`] sums them
/// (`district.activities` is not read): the store's summaries hand them over this way.
pub fn compute_with_sessions(
    district: &District,
    sums: &SessionTotals,
    today: NaiveDate,
    thresholds: &Thresholds,
) -> Report {
    let fold = Fold::new(today, thresholds);
    let totals = ProjectTotals::from_rows(&district.projects, sums, &fold);
    compute_from_totals(district, &totals, today, thresholds)
}

/// The figures from the projects folded per community ([`ProjectTotals`]): the one place the
/// four panels are computed, whether the fold was made here from rows or by the store's
/// aggregate SQL. `district.projects` and `district.activities` are not read for them (the
/// satisfaction panel looks up the projects its surveys name in `district.projects`).
pub fn compute_from_totals(
    district: &District,
    totals: &ProjectTotals,
    today: NaiveDate,
    thresholds: &Thresholds,
) -> Report {
    let year = today.year();
    let (year_start, year_end) = year_bounds(today);
    let in_year = |d: NaiveDate| year_start <= d && d <= year_end;

    let street_names: HashMap<i64, &str> = district
        .streets
        .iter()
        .map(|s| (s.id, s.name.as_str()))
        .collect();
    let unit_names: HashMap<i64, &str> = district
        .units
        .iter()
        .map(|u| (u.id, u.name.as_str()))
        .collect();
    let unit_name = |id: i64| -> String {
        unit_names
            .get(&id)
            .map_or_else(|| format!("#{id}"), |n| (*n).to_string())
    };

    let mut by_community: HashMap<i64, Accumulator> = district
        .communities
        .iter()
        .map(|c| (c.id, Accumulator::default()))
        .collect();

    for (&community, &(done, total)) in &totals.completion {
        if let Some(acc) = by_community.get_mut(&community) {
            acc.done += done;
            acc.total += total;
        }
    }
    for (&(community, unit), &(done, total)) in &totals.unit_completion {
        if let Some(acc) = by_community.get_mut(&community) {
            let tally = acc.units.entry(unit).or_default();
            tally.0 += done;
            tally.1 += total;
        }
    }
    for (&(community, unit), &count) in &totals.unit_sessions {
        if let Some(acc) = by_community.get_mut(&community) {
            *acc.unit_activities.entry(unit).or_default() += count;
        }
    }
    for project in &totals.overdue {
        if let Some(acc) = by_community.get_mut(&project.community_id) {
            acc.overdue.push(Overdue {
                project_id: project.id,
                title: project.title.clone(),
                due_on: format_ymd(project.due_on),
                days_overdue: (today - project.due_on).num_days(),
                status: project.status,
                unit_id: project.unit_id,
                unit_name: project.unit_id.map(&unit_name),
            });
        }
    }
    for (project, session) in &totals.low_participation {
        if let Some(acc) = by_community.get_mut(&project.community_id) {
            acc.low_participation.push(Participation {
                project_id: project.id,
                title: project.title.clone(),
                planned: session.planned,
                actual: session.actual,
                pct: Pct::of(session.actual, session.planned),
                sessions: session.count,
            });
        }
    }

    for resource in &district.resources {
        if let Some(acc) = by_community.get_mut(&resource.community_id) {
            acc.offered += 1;
            acc.used += u32::from(resource.times_used > 0);
        }
    }

    for meeting in &district.meetings {
        if meeting.quarterly
            && in_year(meeting.held_on)
            && let Some(acc) = by_community.get_mut(&meeting.community_id)
        {
            acc.meeting_dates[quarter_of(meeting.held_on)].push(meeting.held_on);
        }
    }

    for contract in &district.contracts {
        if let Some(acc) = by_community.get_mut(&contract.community_id) {
            acc.contracted.push(contract.unit_id);
        }
    }

    let mut more = more::compute(district, today, year_start, thresholds, &unit_name);
    let mut communities: Vec<CommunityFigures> = district
        .communities
        .iter()
        .map(|community| {
            let acc = by_community.remove(&community.id).unwrap_or_default();
            let mut figures = acc.finish(
                community,
                &street_names,
                &unit_name,
                today,
                year,
                thresholds,
            );
            if let Some(more) = more.remove(&community.id) {
                figures.more_alerts = more.alerts();
                figures.needs = more.needs;
                figures.satisfaction = more.satisfaction;
                figures.members = more.members;
            }
            figures
        })
        .collect();
    communities.sort_by_key(|c| c.id);

    Report {
        today: format_ymd(today),
        year,
        thresholds: *thresholds,
        communities,
    }
}

#[derive(Default)]
struct Accumulator {
    done: u32,
    total: u32,
    /// unit id → (done, total) over the projects counted in `total`.
    units: BTreeMap<i64, (u32, u32)>,
    offered: u32,
    used: u32,
    overdue: Vec<Overdue>,
    meeting_dates: [Vec<NaiveDate>; 4],
    low_participation: Vec<Participation>,
    /// unit id → sessions in the year up to today over its projects in this community.
    unit_activities: HashMap<i64, u32>,
    contracted: Vec<i64>,
}

impl Accumulator {
    fn finish(
        mut self,
        community: &crate::model::Community,
        street_names: &HashMap<i64, &str>,
        unit_name: &dyn Fn(i64) -> String,
        today: NaiveDate,
        year: i32,
        thresholds: &Thresholds,
    ) -> CommunityFigures {
        let completion = Completion {
            done: self.done,
            total: self.total,
            pct: Pct::of(i64::from(self.done), i64::from(self.total)),
            alert: self.total > 0
                && below(
                    i64::from(self.done),
                    i64::from(self.total),
                    thresholds.completion_alert_pct,
                ),
            units: self
                .units
                .iter()
                .map(|(&unit_id, &(done, total))| UnitCompletion {
                    unit_id,
                    name: unit_name(unit_id),
                    done,
                    total,
                    pct: Pct::of(i64::from(done), i64::from(total)),
                    alert: total > 0
                        && below(
                            i64::from(done),
                            i64::from(total),
                            thresholds.completion_alert_pct,
                        ),
                })
                .collect(),
        };
        let resources = Resources {
            used: self.used,
            offered: self.offered,
            pct: Pct::of(i64::from(self.used), i64::from(self.offered)),
            alert: self.offered > 0
                && below(
                    i64::from(self.used),
                    i64::from(self.offered),
                    thresholds.resource_alert_pct,
                ),
        };

        self.overdue.sort_by(|a, b| {
            b.days_overdue
                .cmp(&a.days_overdue)
                .then(a.project_id.cmp(&b.project_id))
        });

        let mut quarters = [QuarterState::Future; 4];
        let mut held_on: [Vec<String>; 4] = Default::default();
        for q in 0..4 {
            let (start, end) = quarter_bounds(year, q);
            let dates = &mut self.meeting_dates[q];
            dates.sort();
            held_on[q] = dates.iter().map(|d| format_ymd(*d)).collect();
            quarters[q] = if !dates.is_empty() {
                QuarterState::Held
            } else if end < today {
                QuarterState::Missing
            } else if start > today {
                QuarterState::Future
            } else {
                QuarterState::Pending
            };
        }
        let missing = quarters
            .iter()
            .filter(|q| **q == QuarterState::Missing)
            .count() as u32;

        self.low_participation.sort_by(|a, b| {
            cmp_fraction(a.actual, a.planned, b.actual, b.planned)
                .then(a.project_id.cmp(&b.project_id))
        });

        self.contracted.sort_unstable();
        self.contracted.dedup();
        let inactive_units: Vec<InactiveUnit> = self
            .contracted
            .iter()
            .filter_map(|&unit_id| {
                let activities = self.unit_activities.get(&unit_id).copied().unwrap_or(0);
                (activities < thresholds.min_unit_activities).then(|| InactiveUnit {
                    unit_id,
                    name: unit_name(unit_id),
                    activities,
                })
            })
            .collect();

        let alerts = u32::from(completion.alert)
            + u32::from(resources.alert)
            + self.overdue.len() as u32
            + missing
            + self.low_participation.len() as u32
            + inactive_units.len() as u32;

        CommunityFigures {
            id: community.id,
            name: community.name.clone(),
            street: street_names
                .get(&community.street_id)
                .map_or_else(String::new, |s| (*s).to_string()),
            street_id: community.street_id,
            alerts,
            completion,
            resources,
            overdue: self.overdue,
            meetings: Meetings {
                quarters,
                missing,
                held_on,
            },
            low_participation: self.low_participation,
            inactive_units,
            more_alerts: 0,
            needs: Needs::default(),
            satisfaction: Satisfaction::default(),
            members: Members::default(),
        }
    }
}

/// Orders two fractions `a/b` and `c/d` with positive denominators exactly.
fn cmp_fraction(a: i64, b: i64, c: i64, d: i64) -> Ordering {
    (i128::from(a) * i128::from(d)).cmp(&(i128::from(c) * i128::from(b)))
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_more;
