//! The aggregate input of the four panels: what they need from the projects and their sessions,
//! folded per community (counts and sums), plus the few projects they list.
//!
//! The plain definition folds every project row ([`ProjectTotals::from_rows`]); the store's
//! aggregate SQL folds the rows that pass the contract's checks in the file itself and hands
//! over only the counts and the listed projects, and any other row is folded here one by one
//! ([`ProjectTotals::count`] and [`ProjectTotals::list`]). Either way the figures are computed
//! from a [`ProjectTotals`] by the same code (`compute_from_totals`), so both paths share one
//! definition, and the agreement tests compare the two folds.

use super::below;
use crate::dates::year_bounds;
pub use crate::model::ProjectTotals;
use crate::model::{Project, SessionSums, SessionTotals, Status, Thresholds};
use chrono::NaiveDate;

/// The day and thresholds a fold is made for.
#[derive(Debug, Clone, Copy)]
pub struct Fold {
    pub today: NaiveDate,
    year_start: NaiveDate,
    year_end: NaiveDate,
    participation_alert_pct: u32,
}

impl Fold {
    /// The participation threshold the fold lists projects below.
    pub fn participation_alert_pct(&self) -> u32 {
        self.participation_alert_pct
    }

    pub fn new(today: NaiveDate, thresholds: &Thresholds) -> Fold {
        let (year_start, year_end) = year_bounds(today);
        Fold {
            today,
            year_start,
            year_end,
            participation_alert_pct: thresholds.participation_alert_pct,
        }
    }

    /// Whether the project counts towards completion: due in the year, not cancelled.
    pub fn completes(&self, project: &Project) -> bool {
        self.year_start <= project.due_on
            && project.due_on <= self.year_end
            && project.status != Status::Cancelled
    }

    /// Whether the project is listed as overdue.
    pub fn overdue(&self, project: &Project) -> bool {
        matches!(project.status, Status::Active | Status::Paused) && project.due_on < self.today
    }

    /// Whether the project is listed for low participation with these session sums.
    pub fn low_participation(&self, project: &Project, session: SessionSums) -> bool {
        project.status != Status::Cancelled
            && session.count > 0
            && session.planned > 0
            && below(
                session.actual,
                session.planned,
                self.participation_alert_pct,
            )
    }
}

impl ProjectTotals {
    /// The plain definition: every project folded, with its sessions as summed in `sums`.
    pub fn from_rows(projects: &[Project], sums: &SessionTotals, fold: &Fold) -> ProjectTotals {
        let mut totals = ProjectTotals::default();
        for project in projects {
            let session = sums.get(project.id).unwrap_or_default();
            totals.count(project, session, fold);
            totals.list(project, session, fold);
        }
        totals
    }

    /// Adds one project to the counts (completion and its unit's sessions).
    pub fn count(&mut self, project: &Project, session: SessionSums, fold: &Fold) {
        if fold.completes(project) {
            let done = u32::from(project.status == Status::Done);
            let entry = self.completion.entry(project.community_id).or_default();
            entry.0 += done;
            entry.1 += 1;
            if let Some(unit) = project.unit_id {
                let entry = self
                    .unit_completion
                    .entry((project.community_id, unit))
                    .or_default();
                entry.0 += done;
                entry.1 += 1;
            }
        }
        if let Some(unit) = project.unit_id {
            let entry = self
                .unit_sessions
                .entry((project.community_id, unit))
                .or_default();
            *entry = entry.saturating_add(session.count);
        }
    }

    /// Lists the project where a panel lists it (overdue, low participation).
    pub fn list(&mut self, project: &Project, session: SessionSums, fold: &Fold) {
        self.list_overdue(project, fold);
        self.list_low_participation(project, session, fold);
    }

    /// Lists the project if it is overdue.
    pub fn list_overdue(&mut self, project: &Project, fold: &Fold) {
        if fold.overdue(project) {
            self.overdue.push(project.clone());
        }
    }

    /// Lists the project if its participation is below the threshold.
    pub fn list_low_participation(&mut self, project: &Project, session: SessionSums, fold: &Fold) {
        if fold.low_participation(project, session) {
            self.low_participation.push((project.clone(), session));
        }
    }

    /// The lists by project id and the counts without empty entries, so that two folds of the
    /// same rows compare equal whatever order they were folded in.
    pub fn tidy(&mut self) {
        self.overdue.sort_by_key(|p| p.id);
        self.low_participation.sort_by_key(|(p, _)| p.id);
        self.unit_sessions.retain(|_, n| *n > 0);
    }
}
