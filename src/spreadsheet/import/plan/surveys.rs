//! The satisfaction surveys sheet (满意度调查, 群众评单): a row is one survey of a project,
//! named by its id or its title. The n-th row of a project and day is the n-th such survey of
//! the file, so that importing the same sheet twice adds nothing.

use super::*;

/// The surveys, when a sheet lists them; empty when the file has no survey table yet.
pub(super) fn load(
    conn: &dyn crate::store::rows::Source,
    lists: &HashSet<List>,
    w: &mut World,
    p: &mut Vec<DataProblem>,
    ids: &mut Ids,
) -> Result<()> {
    if !lists.contains(&List::Surveys) {
        return Ok(());
    }
    for r in rows::survey::all_stored(conn, p)? {
        if let Some(project) = ids.project_at.get(&r.project_id).copied() {
            w.survey_by
                .entry((project, r.held_on.clone()))
                .or_default()
                .push(w.surveys.len());
            w.surveys.push(Ent::loaded(
                r.id,
                SurveyV {
                    project,
                    held_on: r.held_on,
                    respondents: r.respondents,
                    satisfied: r.satisfied,
                },
            ));
        }
    }
    Ok(())
}

impl Planner<'_> {
    /// A row of the surveys sheet.
    pub(super) fn apply_survey(&mut self, record: &Record) -> Option<Outcome> {
        let file = self.file_of(record.at());
        let here = Some(record.at());
        let Values::Survey {
            place,
            project,
            held_on,
            respondents,
            satisfied,
        } = &record.values
        else {
            return None;
        };
        let community = match place {
            Some(place) => Some(self.community(record.at(), place, false)?.0),
            None => None,
        };
        let project =
            self.project_by_id_or_title(record.at(), community, project, Field::ProjectTitle)?;
        let w = &self.plan.world;
        if w.projects[project].v.status == crate::model::Status::Cancelled.code() {
            let title = w.projects[project].v.title.clone();
            self.problem(
                record.at(),
                Some(Field::ProjectTitle),
                Some(title.clone()),
                Bilingual::new(
                    "项目已终止，不计满意度调查",
                    "the project is cancelled; its surveys are not counted",
                ),
                Some(Bilingual::new(
                    "未终止的项目",
                    "a project that is not cancelled",
                )),
            );
            return None;
        }
        let held_on = format_ymd(*held_on);
        let key = (project, held_on.clone());
        let seen = self.survey_seen.entry(key.clone()).or_default();
        let nth = *seen;
        *seen += 1;
        let w = &mut self.plan.world;
        match w.survey_by.get(&key).and_then(|all| all.get(nth)).copied() {
            None => {
                let at = w.surveys.len();
                w.surveys.push(Ent {
                    id: None,
                    v: SurveyV {
                        project,
                        held_on,
                        respondents: *respondents,
                        satisfied: *satisfied,
                    },
                    set_by: here,
                });
                w.survey_by.entry(key).or_default().push(at);
                self.push_op(Target::Survey(at), true, Vec::new(), file);
                Some(Outcome::Created)
            }
            Some(at) => {
                let ent = &w.surveys[at];
                let mut changes = Vec::new();
                if ent.v.respondents != *respondents {
                    changes.push(Change {
                        column: "respondents",
                        before: V::Int(ent.v.respondents),
                        after: V::Int(*respondents),
                    });
                }
                if ent.v.satisfied != *satisfied {
                    changes.push(Change {
                        column: "satisfied",
                        before: V::Int(ent.v.satisfied),
                        after: V::Int(*satisfied),
                    });
                }
                let outcome = self.settle(record.at(), Target::Survey(at), None, changes)?;
                let ent = &mut self.plan.world.surveys[at];
                ent.v.respondents = *respondents;
                ent.v.satisfied = *satisfied;
                Some(outcome)
            }
        }
    }
}
