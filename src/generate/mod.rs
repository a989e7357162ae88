//! Synthetic districts for scale tests and benchmarks (`gongjian generate`).
//!
//! The file follows the schema contract of DOMAIN.md and is created through [`Store::create`],
//! so it carries the program's current schema. Every row is derived from the seed and the
//! anchor day `today`: the same [`Spec`] always gives the same file. Dates lie around `today`
//! (most in its year, some in the year before, some in the next), so that every panel has
//! something to show on the anchor day: done, slipped, paused and cancelled projects, skipped
//! quarterly meetings, idle resources, low participation and units that hardly took part.

mod names;
pub(crate) mod rng;

use crate::error::{Error, Result};
use crate::store::Store;
use crate::vocab::{MeetingKind, NeedSource, Vocabulary};
use chrono::{Datelike, NaiveDate};
use rng::Rng;
use rusqlite::{Transaction, params};
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub communities: u32,
    pub projects_per_community: u32,
    pub activities_per_project: u32,
    pub seed: u64,
    /// The day the dates are placed around.
    pub today: NaiveDate,
}

impl Spec {
    /// City density: 100 projects per community, 20 sessions per project.
    pub fn new(communities: u32, seed: u64, today: NaiveDate) -> Spec {
        Spec {
            communities,
            projects_per_community: 100,
            activities_per_project: 20,
            seed,
            today,
        }
    }
}

/// Rows written, per table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub streets: u64,
    pub communities: u64,
    pub units: u64,
    pub contracts: u64,
    pub needs: u64,
    pub resources: u64,
    pub projects: u64,
    pub activities: u64,
    pub meetings: u64,
    pub surveys: u64,
    pub members: u64,
    pub services: u64,
    pub grades: u64,
}

/// The random streams of the version-2 rows start here (a community's own stream is its
/// index), so that adding them left every version-1 row as it was.
const VERSION_2_STREAMS: u64 = 1 << 40;

/// Each community has this many units of its own around it (`{place}{ending}`).
const UNITS_PER_COMMUNITY: u64 = 4;

/// Creates `path` (refusing an existing one) and fills it. The file takes its name only once
/// filled and closed; nothing is left at `path` otherwise.
pub fn generate(path: &Path, spec: &Spec) -> Result<Counts> {
    if spec.communities == 0 {
        return Err(Error::plain(
            "社区数量至少为 1",
            "--communities must be at least 1",
        ));
    }
    // Filled under a temporary name: an interrupted run never leaves a valid-looking file.
    crate::files::create_new_with(path, |temp| {
        let mut store = Store::create(temp)?;
        let counts = fill(&mut store, spec)?;
        store.close()?;
        Ok(counts)
    })
}

/// Writes the district into an empty store, in one transaction.
pub fn fill(store: &mut Store, spec: &Spec) -> Result<Counts> {
    // A larger page cache for this connection only: the day index takes rows in random order.
    store.conn().execute_batch("PRAGMA cache_size = -65536;")?;
    store.write(|tx| crate::store::bulk_load(tx, || write_district(tx, spec)))
}

/// Every day from two years before `today`'s year to two years after, as `YYYY-MM-DD`, so that
/// rows borrow their date text instead of formatting it.
struct Days {
    first: NaiveDate,
    text: Vec<String>,
}

impl Days {
    fn around(today: NaiveDate) -> Days {
        let year = today.year();
        let first = NaiveDate::from_ymd_opt(year - 2, 1, 1).unwrap_or(today);
        let last = NaiveDate::from_ymd_opt(year + 2, 12, 31).unwrap_or(today);
        let text = first
            .iter_days()
            .take_while(|d| *d <= last)
            .map(crate::dates::format_ymd)
            .collect();
        Days { first, text }
    }

    /// The day number of `date` (clamped into the table).
    fn of(&self, date: NaiveDate) -> i64 {
        (date - self.first)
            .num_days()
            .clamp(0, self.text.len() as i64 - 1)
    }

    fn ymd(&self, day: i64) -> &str {
        &self.text[day.clamp(0, self.text.len() as i64 - 1) as usize]
    }
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
}

fn write_district(tx: &Transaction, spec: &Spec) -> Result<Counts> {
    let mut counts = Counts::default();
    let days = Days::around(spec.today);
    let today = days.of(spec.today);
    let year = spec.today.year();
    let n = u64::from(spec.communities);

    // Streets of 6 to 14 communities each.
    let mut street_of = Vec::with_capacity(n as usize);
    {
        let mut rng = Rng::stream(spec.seed, u64::MAX);
        let mut insert = tx.prepare("INSERT INTO street (id, name) VALUES (?1, ?2)")?;
        while (street_of.len() as u64) < n {
            counts.streets += 1;
            insert.execute(params![
                counts.streets,
                names::street(counts.streets as usize - 1)
            ])?;
            let size = rng.between(6, 14) as usize;
            for _ in 0..size.min(n as usize - street_of.len()) {
                street_of.push(counts.streets);
            }
        }
    }
    {
        let mut community =
            tx.prepare("INSERT INTO community (id, street_id, name) VALUES (?1, ?2, ?3)")?;
        let mut unit = tx.prepare("INSERT INTO unit (id, name, kind) VALUES (?1, ?2, ?3)")?;
        for c in 0..n {
            let place = names::place(c as usize);
            community.execute(params![
                c + 1,
                street_of[c as usize],
                format!("{place}社区")
            ])?;
            for j in 0..UNITS_PER_COMMUNITY {
                let (kind, ending) =
                    names::UNIT_BASES[((c * 7 + j * 5) % names::UNIT_BASES.len() as u64) as usize];
                unit.execute(params![
                    c * UNITS_PER_COMMUNITY + j + 1,
                    format!("{place}{ending}"),
                    kind
                ])?;
            }
        }
        counts.communities = n;
        counts.units = n * UNITS_PER_COMMUNITY;
    }

    let mut writer = Writer {
        contract: tx.prepare(
            "INSERT INTO contract (id, community_id, unit_id, signed_on) VALUES (?1, ?2, ?3, ?4)",
        )?,
        need: tx.prepare(
            "INSERT INTO need (id, community_id, title, raised_on, source) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?,
        resource: tx.prepare(
            "INSERT INTO resource (id, community_id, unit_id, title, times_used) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?,
        project: tx.prepare(
            "INSERT INTO project (id, community_id, unit_id, title, due_on, status, done_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?,
        activity: tx.prepare(
            "INSERT INTO activity (id, project_id, held_on, planned, actual) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?,
        meeting: tx.prepare(
            "INSERT INTO meeting (id, community_id, kind, held_on, attendees, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?,
        link_need: tx.prepare("UPDATE project SET need_id = ?1 WHERE id = ?2")?,
        survey: tx.prepare(
            "INSERT INTO survey (id, project_id, held_on, respondents, satisfied) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?,
        member: tx.prepare(
            "INSERT INTO member (id, community_id, unit_id, name, registered_on, left_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?,
        service: tx.prepare(
            "INSERT INTO service (id, member_id, served_on, minutes, project_id, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?,
        grade: tx.prepare(
            "INSERT INTO assessment (year, subject, subject_id, assessor, grade, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?,
        written: Vec::new(),
        days: &days,
        today,
        year,
        spec,
        counts,
    };
    for c in 0..n {
        writer.community(c)?;
    }
    Ok(writer.counts)
}

struct Writer<'a> {
    contract: rusqlite::Statement<'a>,
    need: rusqlite::Statement<'a>,
    resource: rusqlite::Statement<'a>,
    project: rusqlite::Statement<'a>,
    activity: rusqlite::Statement<'a>,
    meeting: rusqlite::Statement<'a>,
    link_need: rusqlite::Statement<'a>,
    survey: rusqlite::Statement<'a>,
    member: rusqlite::Statement<'a>,
    service: rusqlite::Statement<'a>,
    grade: rusqlite::Statement<'a>,
    /// The community's projects as written: (id, status, due day), for the version-2 rows.
    written: Vec<(u64, &'static str, i64)>,
    days: &'a Days,
    /// Day numbers in `days`.
    today: i64,
    year: i32,
    spec: &'a Spec,
    counts: Counts,
}

#[derive(Clone, Copy)]
struct Partner {
    unit_id: u64,
    /// How often this unit leads the community's projects; 0 for a partner that signed and
    /// then did nothing (an inactive unit).
    weight: u64,
}

impl Writer<'_> {
    /// Everything of community `c` (from 0): contracts, needs, resources, projects with their
    /// sessions, meetings. Drawn from the community's own stream.
    fn community(&mut self, c: u64) -> Result<()> {
        let mut rng = Rng::stream(self.spec.seed, c);
        let community_id = c + 1;
        let n = u64::from(self.spec.communities);
        // How well this community runs its lists, 0 (badly) to 1 (well), skewed towards well.
        let health = 1.0 - rng.unit().powi(2);

        // Contracts: its own four units, and two or three of its neighbours' units.
        let mut partners: Vec<Partner> = (0..UNITS_PER_COMMUNITY)
            .map(|j| Partner {
                unit_id: c * UNITS_PER_COMMUNITY + j + 1,
                weight: 3 + rng.below(4),
            })
            .collect();
        for neighbour in [c.wrapping_sub(1), c + 1, c + 2] {
            if neighbour < n && neighbour != c && rng.chance(0.8) {
                partners.push(Partner {
                    unit_id: neighbour * UNITS_PER_COMMUNITY + rng.below(UNITS_PER_COMMUNITY) + 1,
                    weight: if rng.chance(0.3) { 0 } else { 1 + rng.below(2) },
                });
            }
        }
        let first_contract = self.counts.contracts + 1;
        for partner in &partners {
            self.counts.contracts += 1;
            let signed = self.today - rng.between(30, 700);
            self.contract.execute(params![
                self.counts.contracts,
                community_id,
                partner.unit_id,
                self.days.ymd(signed)
            ])?;
        }

        let first_need = self.counts.needs + 1;
        for _ in 0..rng.between(3, 10) {
            self.counts.needs += 1;
            let raised = self.today - rng.between(0, 540);
            self.need.execute(params![
                self.counts.needs,
                community_id,
                rng.pick(names::NEED_TITLES),
                self.days.ymd(raised),
                rng.pick(NeedSource::WORDS).code
            ])?;
        }

        // Resources: one to three per contract; some communities leave most of them idle.
        let use_rate = 0.15 + 0.8 * rng.unit();
        for partner in &partners {
            for _ in 0..rng.between(1, 3) {
                self.counts.resources += 1;
                let times_used = if rng.chance(use_rate) {
                    rng.between(1, 12)
                } else {
                    0
                };
                self.resource.execute(params![
                    self.counts.resources,
                    community_id,
                    partner.unit_id,
                    rng.pick(names::RESOURCE_TITLES),
                    times_used
                ])?;
            }
        }

        let total_weight: u64 = partners.iter().map(|p| p.weight).sum();
        self.written.clear();
        for k in 0..self.spec.projects_per_community {
            self.project(&mut rng, community_id, health, &partners, total_weight, k)?;
        }
        self.meetings(&mut rng, community_id)?;
        let contracts: Vec<(u64, u64)> = partners
            .iter()
            .enumerate()
            .map(|(i, p)| (first_contract + i as u64, p.unit_id))
            .collect();
        self.version_2(c, &contracts, first_need..=self.counts.needs)
    }

    /// Contract version 2 of community `c`, from a stream of its own so that the version-1
    /// rows are the same as before: needs answered by its projects (some for months not),
    /// surveys (one community in eight near 58 % satisfied), party members with and without a
    /// workplace and their service sessions, and the year's grades (community 0 always grades
    /// itself excellent while a third party says fair: a contradicted self-grade).
    fn version_2(
        &mut self,
        c: u64,
        contracts: &[(u64, u64)],
        needs: std::ops::RangeInclusive<u64>,
    ) -> Result<()> {
        let mut rng = Rng::stream(self.spec.seed, VERSION_2_STREAMS + c);
        let community_id = c + 1;
        let days = self.days;
        let today = self.today;
        let year_start = days.of(ymd(self.year, 1, 1));
        let open: Vec<u64> = self
            .written
            .iter()
            .filter(|(_, status, _)| *status != "cancelled")
            .map(|(id, ..)| *id)
            .collect();
        let cancelled: Vec<u64> = self
            .written
            .iter()
            .filter(|(_, status, _)| *status == "cancelled")
            .map(|(id, ..)| *id)
            .collect();

        // Needs: most answered by a project; a few only by a cancelled one.
        let answer_rate = 0.35 + 0.55 * rng.unit();
        for need in needs {
            if !open.is_empty() && rng.chance(answer_rate) {
                self.link_need.execute(params![need, rng.pick(&open)])?;
            } else if !cancelled.is_empty() && rng.chance(0.1) {
                self.link_need
                    .execute(params![need, rng.pick(&cancelled)])?;
            }
        }

        // Surveys of about a third of the projects under way or done.
        let satisfaction = if rng.chance(0.125) {
            0.50 + 0.14 * rng.unit()
        } else {
            0.78 + 0.2 * rng.unit()
        };
        for i in 0..self.written.len() {
            let (project, status, due) = self.written[i];
            if status == "cancelled" || due - 150 > today || !rng.chance(0.3) {
                continue;
            }
            for _ in 0..rng.between(1, 2) {
                self.counts.surveys += 1;
                let held = due.min(today) - rng.between(0, 120);
                let respondents = rng.between(15, 80);
                let share = (satisfaction + 0.2 * (rng.unit() - 0.5)).clamp(0.0, 1.0);
                let satisfied = ((respondents as f64) * share).round() as i64;
                self.survey.execute(params![
                    self.counts.surveys,
                    project,
                    days.ymd(held),
                    respondents,
                    satisfied.clamp(0, respondents)
                ])?;
            }
        }

        // Party members registered with the community, most with a workplace among its
        // partners; how many have a service record this year depends on the community.
        let discipline = 0.5 + 0.5 * rng.unit();
        for m in 0..rng.between(15, 45) {
            self.counts.members += 1;
            let member = self.counts.members;
            let unit = (!contracts.is_empty() && rng.chance(0.85)).then(|| rng.pick(contracts).1);
            let registered = today - rng.between(20, 900);
            let left = rng
                .chance(0.08)
                .then(|| registered + rng.between(10, (today - registered).max(11)))
                .filter(|l| *l <= today);
            self.member.execute(params![
                member,
                community_id,
                unit,
                names::person(c as usize * 64 + m as usize),
                days.ymd(registered),
                left.map(|l| days.ymd(l))
            ])?;
            if !rng.chance(discipline) {
                continue;
            }
            let from = registered.max(year_start - 180);
            let to = left.unwrap_or(today).min(today);
            if from > to {
                continue;
            }
            for _ in 0..rng.between(1, 10) {
                self.counts.services += 1;
                let project = (!open.is_empty() && rng.chance(0.5)).then(|| *rng.pick(&open));
                self.service.execute(params![
                    self.counts.services,
                    member,
                    days.ymd(rng.between(from, to)),
                    *rng.pick(&[60, 90, 120, 120, 150, 180, 240]),
                    project,
                    ""
                ])?;
            }
        }

        // The year's grades.
        let year = self.year;
        let mut grade = |subject: &str, id: u64, assessor: &str, grade: &str, note: &str| {
            self.counts.grades += 1;
            self.grade
                .execute(params![year, subject, id, assessor, grade, note])
                .map(|_| ())
        };
        let pick_grade = |rng: &mut Rng, weights: [f64; 4]| {
            let mut r = rng.unit() * weights.iter().sum::<f64>();
            for (w, g) in weights.iter().zip(["excellent", "good", "fair", "poor"]) {
                if r < *w {
                    return g;
                }
                r -= w;
            }
            "good"
        };
        if c == 0 {
            grade("community", community_id, "self", "excellent", "")?;
            grade(
                "community",
                community_id,
                "third_party",
                "fair",
                "高校专家评估",
            )?;
        } else {
            if rng.chance(0.6) {
                let g = pick_grade(&mut rng, [0.6, 0.35, 0.05, 0.0]);
                grade("community", community_id, "self", g, "")?;
            }
            if rng.chance(0.35) {
                let g = pick_grade(&mut rng, [0.25, 0.45, 0.22, 0.08]);
                grade("community", community_id, "third_party", g, "居民代表评议")?;
            }
        }
        for j in 0..UNITS_PER_COMMUNITY {
            if rng.chance(0.5) {
                let g = pick_grade(&mut rng, [0.7, 0.3, 0.0, 0.0]);
                grade("unit", c * UNITS_PER_COMMUNITY + j + 1, "self", g, "")?;
            }
        }
        for (contract, _) in contracts {
            if rng.chance(0.4) {
                let g = pick_grade(&mut rng, [0.25, 0.5, 0.2, 0.05]);
                grade("contract", *contract, "community", g, "")?;
            }
        }
        Ok(())
    }

    fn project(
        &mut self,
        rng: &mut Rng,
        community_id: u64,
        health: f64,
        partners: &[Partner],
        total_weight: u64,
        k: u32,
    ) -> Result<()> {
        let days = self.days;
        let today = self.today;
        let year = self.year;
        self.counts.projects += 1;
        let project_id = self.counts.projects;

        // Lead unit: a weighted pick among the partners; one project in five is the
        // community's own.
        let unit_id = if rng.chance(0.2) || total_weight == 0 {
            None
        } else {
            let mut ticket = rng.below(total_weight);
            partners
                .iter()
                .find(|p| {
                    if ticket < p.weight {
                        true
                    } else {
                        ticket -= p.weight;
                        false
                    }
                })
                .map(|p| p.unit_id)
        };

        // Due: 15 % last year, 70 % this year, 15 % in the first half of next year.
        let (from, to) = match rng.unit() {
            r if r < 0.15 => (ymd(year - 1, 1, 1), ymd(year - 1, 12, 31)),
            r if r < 0.85 => (ymd(year, 1, 1), ymd(year, 12, 31)),
            _ => (ymd(year + 1, 1, 1), ymd(year + 1, 6, 30)),
        };
        let due = rng.between(days.of(from), days.of(to));

        let status = if due < today {
            let r = rng.unit();
            // Most communities let few projects slip; the worst run ones let most of them.
            let slipped = 0.01 + 0.6 * (1.0 - health).powi(2);
            if r < 0.08 {
                "cancelled"
            } else if r < 0.08 + slipped * 0.65 {
                "active"
            } else if r < 0.08 + slipped {
                "paused"
            } else {
                "done"
            }
        } else {
            match rng.unit() {
                r if r < 0.10 => "cancelled",
                r if r < 0.22 => "done",
                r if r < 0.30 => "paused",
                _ => "active",
            }
        };
        let done_on = (status == "done").then(|| due.min(today) - rng.between(0, 20));
        let theme = rng.pick(names::PROJECT_THEMES);
        let title = if k < names::PROJECT_THEMES.len() as u32 {
            (*theme).to_string()
        } else {
            format!(
                "{theme}（{}期）",
                k / names::PROJECT_THEMES.len() as u32 + 1
            )
        };
        self.project.execute(params![
            project_id,
            community_id,
            unit_id,
            title,
            days.ymd(due),
            status,
            done_on.map(|d| days.ymd(d))
        ])?;
        self.written.push((project_id, status, due));

        // Sessions spread over the months before the project ends; those after today are
        // scheduled, with nobody there yet.
        let sessions = i64::from(self.spec.activities_per_project);
        if sessions == 0 {
            return Ok(());
        }
        let end = done_on.unwrap_or(due);
        let span = rng.between(60, 300);
        let start = end - span;
        let engagement = match rng.unit() {
            r if r < 0.82 => 0.82 + 0.28 * rng.unit(),
            r if r < 0.94 => 0.60 + 0.22 * rng.unit(),
            _ => 0.20 + 0.40 * rng.unit(),
        };
        let base_planned = rng.between(10, 60);
        let mut held: Vec<i64> = (0..sessions)
            .map(|s| start + span * (2 * s + 1) / (2 * sessions) + rng.between(-3, 3))
            .collect();
        held.sort_unstable();
        for day in held {
            self.counts.activities += 1;
            let planned = (base_planned + rng.between(-base_planned / 5, base_planned / 5)).max(1);
            let actual = if day <= today {
                (planned as f64 * engagement * (0.85 + 0.3 * rng.unit())).round() as i64
            } else {
                0
            };
            self.activity.execute(params![
                self.counts.activities,
                project_id,
                days.ymd(day),
                planned,
                actual
            ])?;
        }
        Ok(())
    }

    /// Quarterly meetings from last year's first quarter to today's; some quarters skipped.
    /// Site visits and other meetings besides, which do not count.
    fn meetings(&mut self, rng: &mut Rng, community_id: u64) -> Result<()> {
        let days = self.days;
        let discipline = match rng.unit() {
            r if r < 0.7 => 0.95,
            r if r < 0.9 => 0.75,
            _ => 0.4,
        };
        for quarter in 0..8u32 {
            let (year, q) = (self.year - 1 + (quarter / 4) as i32, quarter % 4);
            let first = days.of(ymd(year, q * 3 + 1, 1));
            let last = if q == 3 {
                days.of(ymd(year, 12, 31))
            } else {
                days.of(ymd(year, q * 3 + 4, 1)) - 1
            };
            if first > self.today {
                break;
            }
            let last = last.min(self.today);
            // The current quarter's meeting may simply not have happened yet.
            let elapsed = (last - first + 1) as f64 / 91.0;
            let mut held = Vec::new();
            if rng.chance(discipline * elapsed.min(1.0)) {
                held.push((rng.between(first, last), MeetingKind::Quarterly.code()));
                if rng.chance(0.05) {
                    held.push((rng.between(first, last), MeetingKind::Quarterly.code()));
                }
            }
            if rng.chance(0.5) {
                held.push((rng.between(first, last), MeetingKind::SiteVisit.code()));
            }
            if rng.chance(0.25) {
                held.push((rng.between(first, last), MeetingKind::Other.code()));
            }
            held.sort_unstable();
            for (day, kind) in held {
                self.counts.meetings += 1;
                let note = if kind == MeetingKind::SiteVisit.code() {
                    "回头看"
                } else {
                    ""
                };
                self.meeting.execute(params![
                    self.counts.meetings,
                    community_id,
                    kind,
                    days.ymd(day),
                    rng.between(6, 40),
                    note
                ])?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
