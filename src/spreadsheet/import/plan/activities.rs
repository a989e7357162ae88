//! The activities sheet (活动记录): each row names its project by community and title.

use super::*;

/// The activities, when a sheet lists them.
pub(super) fn load(
    conn: &dyn crate::store::rows::Source,
    lists: &HashSet<List>,
    w: &mut World,
    p: &mut Vec<DataProblem>,
    ids: &mut Ids,
) -> Result<()> {
    if lists.contains(&List::Activities) {
        for a in rows::activity::all(conn, p)? {
            if let Some(project) = ids.project_at.get(&a.project_id).copied() {
                w.activity_by
                    .entry((project, a.held_on.clone()))
                    .or_default()
                    .push(w.activities.len());
                w.activities.push(Ent::loaded(
                    a.id,
                    ActivityV {
                        project,
                        held_on: a.held_on,
                        planned: a.planned,
                        actual: a.actual,
                    },
                ));
            }
        }
    }
    Ok(())
}

impl Planner<'_> {
    /// A row with a problem of its own: also report the community or project it names that
    /// cannot be found, so that one round of fixes is enough.
    pub(super) fn check_broken(&mut self, broken: &crate::spreadsheet::import::parse::Broken) {
        let at = (broken.sheet, broken.row);
        let activity = broken.list == List::Activities;
        if broken.place.street.is_some() && broken.list.creates_communities() {
            // The community would be created.
            return;
        }
        if activity
            && let Some(project) = &broken.project
            && self
                .broken
                .contains(&(name_key(&broken.place.community), name_key(project)))
        {
            return;
        }
        let Some((community, _)) = self.community(at, &broken.place, false) else {
            return;
        };
        if let (true, Some(project)) = (activity, &broken.project) {
            self.find_project(at, community, project);
        }
    }

    /// A row of the activities sheet.
    pub(super) fn apply_activity(&mut self, record: &Record) -> Option<Outcome> {
        let file = self.file_of(record.at());
        let here = Some(record.at());
        let Values::Activity {
            place,
            project,
            held_on,
            planned,
            actual,
        } = &record.values
        else {
            return None;
        };
        let broken = self
            .broken
            .contains(&(name_key(&place.community), name_key(project)));
        let community = if broken {
            // Its project row has a problem of its own, reported already.
            return None;
        } else {
            self.community(record.at(), place, false)?.0
        };
        let project_at = self.find_project(record.at(), community, project)?;
        let held_on = format_ymd(*held_on);
        let key = (project_at, held_on.clone());
        let seen = self.activity_seen.entry(key.clone()).or_default();
        let nth = *seen;
        *seen += 1;
        let w = &mut self.plan.world;
        match w
            .activity_by
            .get(&key)
            .and_then(|all| all.get(nth))
            .copied()
        {
            None => {
                let at = w.activities.len();
                w.activities.push(Ent {
                    id: None,
                    v: ActivityV {
                        project: project_at,
                        held_on,
                        planned: *planned,
                        actual: *actual,
                    },
                    set_by: here,
                });
                w.activity_by.entry(key).or_default().push(at);
                self.push_op(Target::Activity(at), true, Vec::new(), file);
                Some(Outcome::Created)
            }
            Some(at) => {
                let ent = &w.activities[at];
                let mut changes = Vec::new();
                if ent.v.planned != *planned {
                    changes.push(Change {
                        column: "planned",
                        before: V::Int(ent.v.planned),
                        after: V::Int(*planned),
                    });
                }
                if ent.v.actual != *actual {
                    changes.push(Change {
                        column: "actual",
                        before: V::Int(ent.v.actual),
                        after: V::Int(*actual),
                    });
                }
                let outcome = self.settle(record.at(), Target::Activity(at), None, changes)?;
                let ent = &mut self.plan.world.activities[at];
                ent.v.planned = *planned;
                ent.v.actual = *actual;
                Some(outcome)
            }
        }
    }
}
