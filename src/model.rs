//! What the store reads from the shared file, in the shape the indicators need.
//! Plain data: no SQL, no terminal.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

mod grade;
pub use grade::{Assessor, ContractRef, Grade, GradeRow, Subject};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Street {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Community {
    pub id: i64,
    pub street_id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: i64,
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contract {
    pub community_id: i64,
    pub unit_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub id: i64,
    pub community_id: i64,
    /// The unit that offers it.
    pub unit_id: i64,
    pub title: String,
    pub times_used: i64,
}

/// A project's status, with its words: see [`crate::vocab`].
pub use crate::vocab::Status;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub id: i64,
    pub community_id: i64,
    pub unit_id: Option<i64>,
    pub title: String,
    pub due_on: NaiveDate,
    pub status: Status,
    pub done_on: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Activity {
    pub project_id: i64,
    pub held_on: NaiveDate,
    pub planned: i64,
    pub actual: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meeting {
    pub community_id: i64,
    pub quarterly: bool,
    pub held_on: NaiveDate,
}

/// A need of a community's needs list (需求清单), for indicator 5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub id: i64,
    pub community_id: i64,
    pub title: String,
    pub raised_on: NaiveDate,
}

/// A project that names the need it answers (`project.need_id` set), with its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeedLink {
    pub project_id: i64,
    pub need_id: i64,
    pub status: Status,
}

/// One satisfaction survey of a project (群众评单), for indicator 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Survey {
    pub project_id: i64,
    pub held_on: NaiveDate,
    pub respondents: i64,
    pub satisfied: i64,
}

/// A party member registered with a community (报到党员), for indicator 7.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub id: i64,
    pub community_id: i64,
    /// Where the member works; `None`: not given.
    pub unit_id: Option<i64>,
    pub registered_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
}

/// One service session of a member (服务纪实).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    pub member_id: i64,
    pub served_on: NaiveDate,
    pub minutes: i64,
}

/// A row the store could not read as the contract says (a malformed date, an unknown status),
/// written there by another tool. It is left out of the figures and reported, never guessed at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataProblem {
    pub table: &'static str,
    pub row_id: i64,
    pub column: &'static str,
    pub value: String,
}

impl DataProblem {
    /// `注意：activity 表第 7 行的 planned 值 "30人" 不符合约定，未计入统计`
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        let value = crate::text::clean(&self.value);
        match lang {
            crate::i18n::Lang::Zh => format!(
                "注意：{} 表第 {} 行的 {} 值 {:?} 不符合约定，未计入统计",
                self.table, self.row_id, self.column, value
            ),
            crate::i18n::Lang::En => format!(
                "note: {} row {} has {} = {:?}, which the contract does not allow; left out of the figures",
                self.table, self.row_id, self.column, value
            ),
        }
    }
}

/// Everything the panels are computed from.
///
/// `activities` and `meetings` may be limited by the store to the calendar year of interest
/// (a superset of what any indicator counts); the indicators apply the exact rules themselves.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct District {
    pub streets: Vec<Street>,
    pub communities: Vec<Community>,
    pub units: Vec<Unit>,
    pub contracts: Vec<Contract>,
    pub resources: Vec<Resource>,
    pub projects: Vec<Project>,
    pub activities: Vec<Activity>,
    pub meetings: Vec<Meeting>,
    /// Contract version 2 (empty in a file that does not have it yet).
    pub needs: Vec<Need>,
    pub need_links: Vec<NeedLink>,
    /// `surveys` and `services` may be limited to the calendar year, as `activities` are.
    pub surveys: Vec<Survey>,
    pub members: Vec<Member>,
    pub services: Vec<Service>,
    pub problems: Vec<DataProblem>,
}

/// One project's sessions held in the year and not after the day of the figures, summed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionSums {
    pub count: u32,
    pub planned: i64,
    pub actual: i64,
}

/// Sessions summed per project, by project id: ids in order, so that a city's hundred
/// thousand projects are looked up without hashing and mostly in cache.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionTotals {
    ids: Vec<i64>,
    sums: Vec<SessionSums>,
}

impl SessionTotals {
    /// From pairs in any order; a project listed twice has its sums added.
    pub fn from_pairs(mut pairs: Vec<(i64, SessionSums)>) -> SessionTotals {
        pairs.sort_unstable_by_key(|(id, _)| *id);
        let mut totals = SessionTotals {
            ids: Vec::with_capacity(pairs.len()),
            sums: Vec::with_capacity(pairs.len()),
        };
        for (id, sums) in pairs {
            if totals.ids.last() == Some(&id)
                && let Some(last) = totals.sums.last_mut()
            {
                last.count = last.count.saturating_add(sums.count);
                last.planned = last.planned.saturating_add(sums.planned);
                last.actual = last.actual.saturating_add(sums.actual);
            } else {
                totals.ids.push(id);
                totals.sums.push(sums);
            }
        }
        totals
    }

    pub fn get(&self, project_id: i64) -> Option<SessionSums> {
        self.ids
            .binary_search(&project_id)
            .ok()
            .map(|at| self.sums[at])
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

impl From<HashMap<i64, SessionSums>> for SessionTotals {
    fn from(map: HashMap<i64, SessionSums>) -> SessionTotals {
        SessionTotals::from_pairs(map.into_iter().collect())
    }
}

/// Projects' sessions, by project id, oldest first: (held_on, planned, actual).
pub type SessionLists = HashMap<i64, Vec<(NaiveDate, i64, i64)>>;

/// What the four panels need from the projects and their sessions, folded per community: counts
/// per community and per (community, unit), and the projects the panels list. The fold (which
/// project counts where) is the indicators' (`indicators::totals`); the store's aggregate SQL
/// makes the same fold in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectTotals {
    /// community → (done, counted): projects due in the year and not cancelled.
    pub completion: HashMap<i64, (u32, u32)>,
    /// (community, lead unit) → (done, counted) over the same projects.
    pub unit_completion: BTreeMap<(i64, i64), (u32, u32)>,
    /// (community, lead unit) → sessions counted (held in the year, not after the day) over
    /// the unit's projects in the community, whatever their status.
    pub unit_sessions: HashMap<(i64, i64), u32>,
    /// Active or paused projects due before the day.
    pub overdue: Vec<Project>,
    /// Projects not cancelled whose counted sessions' actual share of the planned is below the
    /// participation threshold, with those sums.
    pub low_participation: Vec<(Project, SessionSums)>,
}

/// What the figures of one day are computed from, as the store read it for that day.
#[derive(Debug, Clone, Default)]
pub struct DayData {
    pub district: District,
    /// Each project's sessions in the year up to the day, summed (from the file's summaries,
    /// or from the rows as they were read); `district.activities` is then left empty. `None`
    /// when the activity rows themselves are in `district.activities`.
    pub sessions: Option<SessionTotals>,
    /// Whether the sums came from the file's summaries (else from the activity rows).
    pub from_summaries: bool,
    /// The projects already folded per community by the store's aggregate SQL: then
    /// `district.projects` holds only the projects the satisfaction panel's surveys name, and
    /// `sessions` is `None`.
    pub totals: Option<ProjectTotals>,
}

/// The thresholds kept in the `setting` table (the four of contract version 1, then version 2's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
// Old figures stored as JSON (a review's snapshot) lack the version-2 keys: they take defaults.
#[serde(default)]
pub struct Thresholds {
    pub completion_alert_pct: u32,
    pub resource_alert_pct: u32,
    pub participation_alert_pct: u32,
    pub min_unit_activities: u32,
    /// A need with no project this many days after it was raised is flagged (0–3650).
    pub need_response_days: u32,
    pub satisfaction_alert_pct: u32,
    pub member_record_alert_pct: u32,
    /// How many model-community candidates the year-end ranking names (0–1000).
    pub model_communities: u32,
    /// How many model-unit candidates it names (0–1000).
    pub model_units: u32,
}

impl Thresholds {
    /// The value in force of the setting named `key`, if it is one of these.
    pub fn get(&self, key: &str) -> Option<u32> {
        Some(match key {
            "completion_alert_pct" => self.completion_alert_pct,
            "resource_alert_pct" => self.resource_alert_pct,
            "participation_alert_pct" => self.participation_alert_pct,
            "min_unit_activities" => self.min_unit_activities,
            "need_response_days" => self.need_response_days,
            "satisfaction_alert_pct" => self.satisfaction_alert_pct,
            "member_record_alert_pct" => self.member_record_alert_pct,
            "model_communities" => self.model_communities,
            "model_units" => self.model_units,
            _ => return None,
        })
    }
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            completion_alert_pct: 50,
            resource_alert_pct: 40,
            participation_alert_pct: 80,
            min_unit_activities: 2,
            need_response_days: 60,
            satisfaction_alert_pct: 80,
            member_record_alert_pct: 80,
            model_communities: 10,
            model_units: 20,
        }
    }
}

/// One project with everything its detail view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectDetail {
    pub id: i64,
    pub community_id: i64,
    pub community_name: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub title: String,
    /// As stored (normally `YYYY-MM-DD`).
    pub due_on: String,
    pub status: String,
    pub done_on: Option<String>,
    /// Every session, newest first: (held_on, planned, actual).
    pub sessions: Vec<(String, i64, i64)>,
}
