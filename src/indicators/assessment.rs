//! The year-end assessment (年终考评) of a year `Y` as of `today`: each self-grade of
//! "excellent" set against the year's record, and the ranked model communities (示范社区) and
//! model units (优秀驻区单位).
//!
//! Two steps, both pure. [`year_record`] gathers, per community and per unit, the figures the
//! assessment reads, taking every one of them from the indicators of this module's parent
//! (completion, overdue, quarters, participation sums, inactive units), never computing a
//! figure a second way. [`assess`] then applies the rules to those plain records, so that the
//! rules can be worked by hand over records written out in a test.

use super::{Overdue, QuarterState, Report, below, cmp_fraction, compute_with_sessions};
use crate::dates::{format_ymd, quarter_bounds};
use crate::model::{
    Assessor, ContractRef, District, Grade, GradeRow, SessionTotals, Status, Subject, Thresholds,
};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

/// `part / whole` kept exact (sums of satisfied / respondents, actual / planned).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Ratio {
    pub part: i64,
    pub whole: i64,
}

impl Ratio {
    /// `None` when there is nothing to divide by: "a community with none".
    pub fn of(part: i64, whole: i64) -> Option<Ratio> {
        (whole > 0).then_some(Ratio { part, whole })
    }

    pub fn pct(self) -> Option<super::Pct> {
        super::Pct::of(self.part, self.whole)
    }
}

/// Descending by the exact ratio; a side with no ratio comes after one with a ratio.
fn cmp_ratio_desc(a: Option<Ratio>, b: Option<Ratio>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => cmp_fraction(b.part, b.whole, a.part, a.whole),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Contract-version-2 figures the assessment needs besides the four panels: per community the
/// year's survey sums (indicator 6: satisfied, respondents), per unit its members' service
/// minutes in the year (indicator 7, over every member whose workplace is the unit).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceFigures {
    /// community id → (satisfied, respondents)
    pub satisfaction: HashMap<i64, (i64, i64)>,
    /// unit id → minutes
    pub unit_minutes: HashMap<i64, i64>,
}

/// One survey (群众评单) as the assessment reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SurveyRow {
    pub project_id: i64,
    pub held_on: NaiveDate,
    pub respondents: i64,
    pub satisfied: i64,
}

/// One service session (服务纪实) with its member's workplace unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceRow {
    pub unit_id: Option<i64>,
    pub served_on: NaiveDate,
    pub minutes: i64,
}

/// The two version-2 figures the ranking reads, from the rows: per community the surveys of
/// its projects other than cancelled ones held in the year up to `today` (indicator 6), per
/// unit the minutes of services in the year up to `today` of members working there (the
/// "Precise readings" of indicator 7).
///
/// Minimal on purpose: indicators 6 and 7 are being added beside the four panels; once they
/// are, this should read their figures instead of summing the rows a second way.
pub fn service_figures(
    district: &District,
    surveys: &[SurveyRow],
    services: &[ServiceRow],
    today: NaiveDate,
) -> ServiceFigures {
    let (first, last) = crate::dates::year_bounds(today);
    let counted = |d: NaiveDate| first <= d && d <= last && d <= today;
    let projects: HashMap<i64, (i64, Status)> = district
        .projects
        .iter()
        .map(|p| (p.id, (p.community_id, p.status)))
        .collect();
    let mut figures = ServiceFigures::default();
    for survey in surveys.iter().filter(|s| counted(s.held_on)) {
        if let Some(&(community, status)) = projects.get(&survey.project_id)
            && status != Status::Cancelled
        {
            let entry = figures.satisfaction.entry(community).or_default();
            entry.0 = entry.0.saturating_add(survey.satisfied);
            entry.1 = entry.1.saturating_add(survey.respondents);
        }
    }
    for service in services.iter().filter(|s| counted(s.served_on)) {
        if let Some(unit) = service.unit_id {
            let entry = figures.unit_minutes.entry(unit).or_default();
            *entry = entry.saturating_add(service.minutes);
        }
    }
    figures
}

/// The year's completion: projects with `due_on` in the year, not cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Tally {
    pub done: u32,
    pub total: u32,
    pub alert: bool,
}

/// An overdue project led by a unit, with the community it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacedOverdue {
    pub community_id: i64,
    pub community: String,
    pub project: Overdue,
}

/// What the assessment reads of one community for the year.
#[derive(Debug, Clone, PartialEq)]
pub struct CommunityYear {
    pub id: i64,
    pub name: String,
    pub street: String,
    pub completion: Tally,
    /// Resources used / offered and the flag.
    pub resources: Tally,
    pub overdue: Vec<Overdue>,
    /// The quarters as read at year end: a quarter whose last day is `<= today` with no
    /// quarterly meeting is missing.
    pub quarters: [QuarterState; 4],
    /// The dates of the quarterly meetings held, per quarter.
    pub meetings_held: [Vec<String>; 4],
    /// Sum of `actual` / sum of `planned` over the activities indicator 4 counts.
    pub participation: Option<Ratio>,
    /// Sum of `satisfied` / sum of `respondents` over the surveys indicator 6 counts.
    pub satisfaction: Option<Ratio>,
    pub satisfaction_alert: bool,
    /// The year's grades whose subject is this community, by id.
    pub grades: Vec<GradeRow>,
}

/// An inactive unit in one community it has a contract with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InactiveIn {
    pub community_id: i64,
    pub community: String,
    pub activities: u32,
}

/// What the assessment reads of one unit for the year.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitYear {
    pub id: i64,
    pub name: String,
    /// Its contracts: (contract id, community id), by contract id.
    pub contracts: Vec<(i64, i64)>,
    /// Completion over all communities (projects it leads).
    pub completion: Tally,
    /// Where that completion comes from: (community id, community, done, total), by community id.
    pub completion_by_community: Vec<(i64, String, u32, u32)>,
    pub overdue: Vec<PlacedOverdue>,
    pub inactive_in: Vec<InactiveIn>,
    /// Activities of the projects it leads, in the year up to today, any community, any status.
    pub activities: u32,
    /// Service minutes in the year of members whose workplace is the unit.
    pub minutes: i64,
    /// The year's grades whose subject is this unit, by id.
    pub grades: Vec<GradeRow>,
    /// The year's grades whose subject is one of its contracts: (community id, grade row).
    pub contract_grades: Vec<(i64, GradeRow)>,
}

/// Everything the assessment of a year reads.
#[derive(Debug, Clone, PartialEq)]
pub struct YearRecord {
    pub year: i32,
    pub today: NaiveDate,
    pub settings: Thresholds,
    pub communities: Vec<CommunityYear>,
    pub units: Vec<UnitYear>,
}

/// The four panels of `today` (whose year is the assessment's), as [`compute_with_sessions`]
/// computes them, gathered per community and per unit with the grades of that year. Grades of
/// other years, and grades whose subject matches no row, are left out.
pub fn year_record(
    district: &District,
    sums: &SessionTotals,
    contracts: &[ContractRef],
    grades: &[GradeRow],
    service: &ServiceFigures,
    today: NaiveDate,
    settings: &Thresholds,
) -> YearRecord {
    let report = compute_with_sessions(district, sums, today, settings);
    year_record_from(
        &report, district, sums, contracts, grades, service, today, settings,
    )
}

/// [`year_record`] from a report already computed for `today` with the same thresholds.
#[allow(clippy::too_many_arguments)]
pub fn year_record_from(
    report: &Report,
    district: &District,
    sums: &SessionTotals,
    contracts: &[ContractRef],
    grades: &[GradeRow],
    service: &ServiceFigures,
    today: NaiveDate,
    settings: &Thresholds,
) -> YearRecord {
    let year = today.year();
    let mut grades: Vec<&GradeRow> = grades.iter().filter(|g| g.year == year).collect();
    grades.sort_by_key(|g| g.id);
    let grades_of = |subject: Subject, id: i64| -> Vec<GradeRow> {
        grades
            .iter()
            .filter(|g| g.subject == subject && g.subject_id == id)
            .map(|g| (*g).clone())
            .collect()
    };

    // Participation sums per community: the projects indicator 4 counts (not cancelled,
    // with sessions in the year up to today), all together.
    let mut participation: HashMap<i64, (i64, i64)> = HashMap::new();
    let mut unit_activities: HashMap<i64, u32> = HashMap::new();
    for project in &district.projects {
        let session = sums.get(project.id).unwrap_or_default();
        if let Some(unit) = project.unit_id {
            *unit_activities.entry(unit).or_default() += session.count;
        }
        if project.status != Status::Cancelled && session.count > 0 && session.planned > 0 {
            let entry = participation.entry(project.community_id).or_default();
            entry.0 = entry.0.saturating_add(session.actual);
            entry.1 = entry.1.saturating_add(session.planned);
        }
    }

    let communities: Vec<CommunityYear> = report
        .communities
        .iter()
        .map(|c| {
            let mut quarters = c.meetings.quarters;
            for (q, state) in quarters.iter_mut().enumerate() {
                if *state == QuarterState::Pending && quarter_bounds(year, q).1 <= today {
                    *state = QuarterState::Missing;
                }
            }
            let (satisfied, respondents) =
                service.satisfaction.get(&c.id).copied().unwrap_or((0, 0));
            let satisfaction = Ratio::of(satisfied, respondents);
            CommunityYear {
                id: c.id,
                name: c.name.clone(),
                street: c.street.clone(),
                completion: Tally {
                    done: c.completion.done,
                    total: c.completion.total,
                    alert: c.completion.alert,
                },
                resources: Tally {
                    done: c.resources.used,
                    total: c.resources.offered,
                    alert: c.resources.alert,
                },
                overdue: c.overdue.clone(),
                quarters,
                meetings_held: c.meetings.held_on.clone(),
                participation: participation
                    .get(&c.id)
                    .and_then(|&(actual, planned)| Ratio::of(actual, planned)),
                satisfaction,
                satisfaction_alert: respondents > 0
                    && below(satisfied, respondents, settings.satisfaction_alert_pct),
                grades: grades_of(Subject::Community, c.id),
            }
        })
        .collect();

    // Per unit, from each community's figures.
    let mut unit_done: BTreeMap<i64, (u32, u32)> = BTreeMap::new();
    let mut unit_places: HashMap<i64, Vec<(i64, String, u32, u32)>> = HashMap::new();
    let mut unit_overdue: HashMap<i64, Vec<PlacedOverdue>> = HashMap::new();
    let mut unit_inactive: HashMap<i64, Vec<InactiveIn>> = HashMap::new();
    for c in &report.communities {
        for u in &c.completion.units {
            let entry = unit_done.entry(u.unit_id).or_default();
            entry.0 += u.done;
            entry.1 += u.total;
            unit_places
                .entry(u.unit_id)
                .or_default()
                .push((c.id, c.name.clone(), u.done, u.total));
        }
        for o in &c.overdue {
            if let Some(unit) = o.unit_id {
                unit_overdue.entry(unit).or_default().push(PlacedOverdue {
                    community_id: c.id,
                    community: c.name.clone(),
                    project: o.clone(),
                });
            }
        }
        for i in &c.inactive_units {
            unit_inactive
                .entry(i.unit_id)
                .or_default()
                .push(InactiveIn {
                    community_id: c.id,
                    community: c.name.clone(),
                    activities: i.activities,
                });
        }
    }
    let community_ids: std::collections::HashSet<i64> =
        district.communities.iter().map(|c| c.id).collect();

    let mut units: Vec<UnitYear> = district
        .units
        .iter()
        .map(|u| {
            let (done, total) = unit_done.get(&u.id).copied().unwrap_or((0, 0));
            let mut own_contracts: Vec<(i64, i64)> = contracts
                .iter()
                .filter(|k| k.unit_id == u.id && community_ids.contains(&k.community_id))
                .map(|k| (k.id, k.community_id))
                .collect();
            own_contracts.sort_unstable();
            let contract_grades = own_contracts
                .iter()
                .flat_map(|&(contract, community)| {
                    grades_of(Subject::Contract, contract)
                        .into_iter()
                        .map(move |g| (community, g))
                })
                .collect();
            let mut overdue = unit_overdue.remove(&u.id).unwrap_or_default();
            overdue.sort_by(|a, b| {
                b.project
                    .days_overdue
                    .cmp(&a.project.days_overdue)
                    .then(a.project.project_id.cmp(&b.project.project_id))
            });
            UnitYear {
                id: u.id,
                name: u.name.clone(),
                contracts: own_contracts,
                completion: Tally {
                    done,
                    total,
                    alert: total > 0
                        && below(
                            i64::from(done),
                            i64::from(total),
                            settings.completion_alert_pct,
                        ),
                },
                completion_by_community: unit_places.remove(&u.id).unwrap_or_default(),
                overdue,
                inactive_in: unit_inactive.remove(&u.id).unwrap_or_default(),
                activities: unit_activities.get(&u.id).copied().unwrap_or(0),
                minutes: service.unit_minutes.get(&u.id).copied().unwrap_or(0),
                grades: grades_of(Subject::Unit, u.id),
                contract_grades,
            }
        })
        .collect();
    units.sort_by_key(|u| u.id);
    let mut communities = communities;
    communities.sort_by_key(|c| c.id);

    YearRecord {
        year,
        today,
        settings: *settings,
        communities,
        units,
    }
}

/// Why a self-grade of excellent is contradicted by the record (自评与实绩不符).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// A third party graded the community fair or poor.
    ThirdPartyGrade { grade: Grade },
    /// A community graded one of the unit's contracts fair or poor.
    CommunityGrade {
        community_id: i64,
        community: String,
        grade: Grade,
    },
    /// Completion flagged by `completion_alert_pct`.
    CompletionFlagged { done: u32, total: u32 },
    /// Overdue projects (for a unit: those it leads, in any community).
    Overdue { projects: Vec<PlacedOverdue> },
    /// Quarters (1–4) with no quarterly meeting whose last day has passed.
    MissingQuarters { quarters: Vec<u8> },
    /// An inactive unit in a community it has a contract with.
    Inactive { places: Vec<InactiveIn> },
}

impl Reason {
    /// The reason in plain words.
    pub fn words(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang::*;
        match (self, lang) {
            (Reason::ThirdPartyGrade { grade }, Zh) => {
                format!("第三方评估为“{}”", grade.word(Zh))
            }
            (Reason::ThirdPartyGrade { grade }, En) => {
                format!("the third party graded it {}", grade.word(En))
            }
            (
                Reason::CommunityGrade {
                    community, grade, ..
                },
                Zh,
            ) => format!("{community}评议为“{}”", grade.word(Zh)),
            (
                Reason::CommunityGrade {
                    community, grade, ..
                },
                En,
            ) => format!("{community} graded it {}", grade.word(En)),
            (Reason::CompletionFlagged { done, total }, Zh) => {
                format!("清单完成率低于预警线（{done}/{total}）")
            }
            (Reason::CompletionFlagged { done, total }, En) => {
                format!("list completion below the alert line ({done}/{total})")
            }
            (Reason::Overdue { projects }, Zh) => format!(
                "{}个逾期项目：{}",
                projects.len(),
                projects
                    .iter()
                    .map(|p| format!(
                        "{}（{}，逾期{}天）",
                        p.project.title, p.community, p.project.days_overdue
                    ))
                    .collect::<Vec<_>>()
                    .join("；")
            ),
            (Reason::Overdue { projects }, En) => format!(
                "{} overdue project{}: {}",
                projects.len(),
                if projects.len() == 1 { "" } else { "s" },
                projects
                    .iter()
                    .map(|p| format!(
                        "{} ({}, {} days)",
                        p.project.title, p.community, p.project.days_overdue
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            (Reason::MissingQuarters { quarters }, Zh) => format!(
                "{}未开季度例会",
                quarters
                    .iter()
                    .map(|q| format!("第{}季度", q))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            (Reason::MissingQuarters { quarters }, En) => format!(
                "no quarterly meeting in {}",
                quarters
                    .iter()
                    .map(|q| format!("Q{q}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (Reason::Inactive { places }, Zh) => format!(
                "参与不足：{}",
                places
                    .iter()
                    .map(|p| format!("{}（全年{}次活动）", p.community, p.activities))
                    .collect::<Vec<_>>()
                    .join("；")
            ),
            (Reason::Inactive { places }, En) => format!(
                "inactive in {}",
                places
                    .iter()
                    .map(|p| format!("{} ({} activities)", p.community, p.activities))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        }
    }
}

/// Why a community or unit is not a model candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bar {
    /// No project counted in the year's completion.
    NoProjects,
    CompletionFlagged,
    ResourcesFlagged,
    Overdue,
    MissingQuarter,
    SatisfactionFlagged,
    /// A grade of poor from anyone.
    PoorGrade,
    /// A unit with no contract.
    NoContract,
    /// A unit inactive in a community it has a contract with.
    Inactive,
}

impl Bar {
    pub fn words(self, lang: crate::i18n::Lang) -> &'static str {
        lang.pick(
            match self {
                Bar::NoProjects => "本年无计入完成率的项目",
                Bar::CompletionFlagged => "清单完成率低于预警线",
                Bar::ResourcesFlagged => "资源利用率低于预警线",
                Bar::Overdue => "有逾期项目",
                Bar::MissingQuarter => "有未开的季度例会",
                Bar::SatisfactionFlagged => "群众满意度低于预警线",
                Bar::PoorGrade => "有“较差”评价",
                Bar::NoContract => "没有共建契约",
                Bar::Inactive => "是参与不足单位",
            },
            match self {
                Bar::NoProjects => "no project counted in the year's completion",
                Bar::CompletionFlagged => "list completion below the alert line",
                Bar::ResourcesFlagged => "resource use below the alert line",
                Bar::Overdue => "has overdue projects",
                Bar::MissingQuarter => "missed a quarterly meeting",
                Bar::SatisfactionFlagged => "satisfaction below the alert line",
                Bar::PoorGrade => "graded poor",
                Bar::NoContract => "has no contract",
                Bar::Inactive => "inactive in a contracted community",
            },
        )
    }
}

/// The grades shown for a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct CommunityGrades {
    #[serde(rename = "self")]
    pub self_grade: Option<Grade>,
    pub third_party: Option<Grade>,
}

/// A community's grade of one of the unit's contracts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ContractGrade {
    pub community_id: i64,
    pub grade: Grade,
}

/// The grades shown for a unit.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct UnitGrades {
    #[serde(rename = "self")]
    pub self_grade: Option<Grade>,
    pub community: Vec<ContractGrade>,
    pub third_party: Option<Grade>,
}

/// The assessment of one community.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommunityVerdict {
    pub id: i64,
    pub name: String,
    pub grades: CommunityGrades,
    pub mismatch: bool,
    pub reasons: Vec<Reason>,
    /// Empty when it qualifies as a model community.
    pub bars: Vec<Bar>,
    /// 1-based place among the qualifying communities (named or not).
    pub rank: Option<usize>,
}

/// The assessment of one unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitVerdict {
    pub id: i64,
    pub name: String,
    pub grades: UnitGrades,
    pub mismatch: bool,
    pub reasons: Vec<Reason>,
    pub bars: Vec<Bar>,
    pub rank: Option<usize>,
}

/// The year-end assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub year: i32,
    pub today: String,
    pub communities: Vec<CommunityVerdict>,
    pub units: Vec<UnitVerdict>,
    /// The first `model_communities` qualifying communities, in rank order.
    pub model_communities: Vec<i64>,
    /// The first `model_units` qualifying units, in rank order.
    pub model_units: Vec<i64>,
}

fn pick(grades: &[GradeRow], assessor: Assessor) -> Option<Grade> {
    grades
        .iter()
        .find(|g| g.assessor == assessor)
        .map(|g| g.grade)
}

/// The quarters (1–4) read as missing at year end.
pub fn missing_quarters(quarters: &[QuarterState; 4]) -> Vec<u8> {
    (1u8..=4)
        .zip(quarters.iter())
        .filter(|(_, s)| **s == QuarterState::Missing)
        .map(|(q, _)| q)
        .collect()
}

/// Applies the year-end rules to the record.
pub fn assess(record: &YearRecord) -> Assessment {
    let community_names: HashMap<i64, &str> = record
        .communities
        .iter()
        .map(|c| (c.id, c.name.as_str()))
        .collect();

    let mut communities: Vec<CommunityVerdict> = record
        .communities
        .iter()
        .map(|c| {
            let grades = CommunityGrades {
                self_grade: pick(&c.grades, Assessor::SelfGrade),
                third_party: pick(&c.grades, Assessor::ThirdParty),
            };
            let missing = missing_quarters(&c.quarters);
            let mut reasons = Vec::new();
            if grades.self_grade == Some(Grade::Excellent) {
                if let Some(grade) = grades.third_party.filter(|g| g.is_low()) {
                    reasons.push(Reason::ThirdPartyGrade { grade });
                }
                if c.completion.alert {
                    reasons.push(Reason::CompletionFlagged {
                        done: c.completion.done,
                        total: c.completion.total,
                    });
                }
                if !c.overdue.is_empty() {
                    reasons.push(Reason::Overdue {
                        projects: c
                            .overdue
                            .iter()
                            .map(|o| PlacedOverdue {
                                community_id: c.id,
                                community: c.name.clone(),
                                project: o.clone(),
                            })
                            .collect(),
                    });
                }
                if !missing.is_empty() {
                    reasons.push(Reason::MissingQuarters {
                        quarters: missing.clone(),
                    });
                }
            }
            let mut bars = Vec::new();
            if c.completion.total == 0 {
                bars.push(Bar::NoProjects);
            }
            if c.completion.alert {
                bars.push(Bar::CompletionFlagged);
            }
            if c.resources.alert {
                bars.push(Bar::ResourcesFlagged);
            }
            if !c.overdue.is_empty() {
                bars.push(Bar::Overdue);
            }
            if !missing.is_empty() {
                bars.push(Bar::MissingQuarter);
            }
            if c.satisfaction_alert {
                bars.push(Bar::SatisfactionFlagged);
            }
            if c.grades.iter().any(|g| g.grade == Grade::Poor) {
                bars.push(Bar::PoorGrade);
            }
            CommunityVerdict {
                id: c.id,
                name: c.name.clone(),
                grades,
                mismatch: !reasons.is_empty(),
                reasons,
                bars,
                rank: None,
            }
        })
        .collect();

    let mut units: Vec<UnitVerdict> = record
        .units
        .iter()
        .map(|u| {
            let community_grades: Vec<ContractGrade> = u
                .contract_grades
                .iter()
                .filter(|(_, g)| g.assessor == Assessor::Community)
                .map(|(community_id, g)| ContractGrade {
                    community_id: *community_id,
                    grade: g.grade,
                })
                .collect();
            let grades = UnitGrades {
                self_grade: pick(&u.grades, Assessor::SelfGrade),
                community: community_grades.clone(),
                third_party: pick(&u.grades, Assessor::ThirdParty),
            };
            let mut reasons = Vec::new();
            if grades.self_grade == Some(Grade::Excellent) {
                for g in community_grades.iter().filter(|g| g.grade.is_low()) {
                    reasons.push(Reason::CommunityGrade {
                        community_id: g.community_id,
                        community: community_names
                            .get(&g.community_id)
                            .map_or_else(|| format!("#{}", g.community_id), |n| (*n).to_string()),
                        grade: g.grade,
                    });
                }
                if !u.overdue.is_empty() {
                    reasons.push(Reason::Overdue {
                        projects: u.overdue.clone(),
                    });
                }
                if u.completion.alert {
                    reasons.push(Reason::CompletionFlagged {
                        done: u.completion.done,
                        total: u.completion.total,
                    });
                }
                if !u.inactive_in.is_empty() {
                    reasons.push(Reason::Inactive {
                        places: u.inactive_in.clone(),
                    });
                }
            }
            let mut bars = Vec::new();
            if u.contracts.is_empty() {
                bars.push(Bar::NoContract);
            }
            if u.completion.total == 0 {
                bars.push(Bar::NoProjects);
            }
            if u.completion.alert {
                bars.push(Bar::CompletionFlagged);
            }
            if !u.overdue.is_empty() {
                bars.push(Bar::Overdue);
            }
            if !u.inactive_in.is_empty() {
                bars.push(Bar::Inactive);
            }
            if u.grades
                .iter()
                .chain(u.contract_grades.iter().map(|(_, g)| g))
                .any(|g| g.grade == Grade::Poor)
            {
                bars.push(Bar::PoorGrade);
            }
            UnitVerdict {
                id: u.id,
                name: u.name.clone(),
                grades,
                mismatch: !reasons.is_empty(),
                reasons,
                bars,
                rank: None,
            }
        })
        .collect();

    // Model communities: completion, then participation, then satisfaction, then id.
    let mut ranked: Vec<&CommunityYear> = record
        .communities
        .iter()
        .zip(&communities)
        .filter(|(_, v)| v.bars.is_empty())
        .map(|(c, _)| c)
        .collect();
    ranked.sort_by(|a, b| {
        cmp_fraction(
            i64::from(b.completion.done),
            i64::from(b.completion.total),
            i64::from(a.completion.done),
            i64::from(a.completion.total),
        )
        .then_with(|| cmp_ratio_desc(a.participation, b.participation))
        .then_with(|| cmp_ratio_desc(a.satisfaction, b.satisfaction))
        .then(a.id.cmp(&b.id))
    });
    let ranks: HashMap<i64, usize> = ranked
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i + 1))
        .collect();
    for v in &mut communities {
        v.rank = ranks.get(&v.id).copied();
    }
    let model_communities = ranked
        .iter()
        .take(record.settings.model_communities as usize)
        .map(|c| c.id)
        .collect();

    // Model units: completion, then activities, then members' minutes, then id.
    let mut ranked: Vec<&UnitYear> = record
        .units
        .iter()
        .zip(&units)
        .filter(|(_, v)| v.bars.is_empty())
        .map(|(u, _)| u)
        .collect();
    ranked.sort_by(|a, b| {
        cmp_fraction(
            i64::from(b.completion.done),
            i64::from(b.completion.total),
            i64::from(a.completion.done),
            i64::from(a.completion.total),
        )
        .then(b.activities.cmp(&a.activities))
        .then(b.minutes.cmp(&a.minutes))
        .then(a.id.cmp(&b.id))
    });
    let ranks: HashMap<i64, usize> = ranked
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id, i + 1))
        .collect();
    for v in &mut units {
        v.rank = ranks.get(&v.id).copied();
    }
    let model_units = ranked
        .iter()
        .take(record.settings.model_units as usize)
        .map(|u| u.id)
        .collect();

    Assessment {
        year: record.year,
        today: format_ymd(record.today),
        communities,
        units,
        model_communities,
        model_units,
    }
}

#[cfg(test)]
#[path = "assessment_tests.rs"]
mod tests;
