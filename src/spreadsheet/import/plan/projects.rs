//! The project list (项目清单): a row creates or updates a project; closed projects keep
//! their status.

use super::*;

/// The projects, when a sheet lists them, their activities or surveys, or what they answer.
pub(super) fn load(
    conn: &dyn crate::store::rows::Source,
    lists: &HashSet<List>,
    w: &mut World,
    p: &mut Vec<DataProblem>,
    ids: &mut Ids,
) -> Result<()> {
    if lists.contains(&List::Projects)
        || lists.contains(&List::Activities)
        || lists.contains(&List::Services)
        || lists.contains(&List::Surveys)
        || lists.contains(&List::Needs)
    {
        let need_of: HashMap<i64, i64> = if lists.contains(&List::Needs) {
            rows::need::links(conn, crate::store::Scope::District, p)?
                .into_iter()
                .map(|l| (l.project_id, l.need_id))
                .collect()
        } else {
            HashMap::new()
        };
        for r in rows::project::all(conn, p)? {
            if let Some(community) = ids.community(r.community_id) {
                ids.project_at.insert(r.id, w.projects.len());
                w.project_by_id.insert(r.id, w.projects.len());
                w.project_by
                    .entry((community, name_key(&r.title)))
                    .or_default()
                    .push(w.projects.len());
                w.projects.push(Ent::loaded(
                    r.id,
                    ProjectV {
                        community,
                        title: r.title,
                        unit: r.unit_id.and_then(|u| ids.unit(u)),
                        due_on: r.due_on,
                        status: r.status,
                        done_on: r.done_on,
                        need_id: need_of.get(&r.id).copied(),
                    },
                ));
            }
        }
    }
    Ok(())
}

impl Planner<'_> {
    /// The project an activity names, in its community; `None` (and a problem) when there is
    /// none or several.
    pub(super) fn find_project(
        &mut self,
        at: At,
        community: usize,
        project: &str,
    ) -> Option<usize> {
        let w = &self.plan.world;
        let key = (community, name_key(project));
        match pick(w.project_by.get(&key), |i| w.projects[i].v.title == project) {
            Found::One(p) => Some(p),
            Found::Several(all) => {
                let ids = all.iter().filter_map(|i| w.projects[*i].id).collect();
                self.several_in_file(at, Field::ProjectTitle, project, ids);
                None
            }
            Found::None => {
                let name = w.communities[community].v.name.clone();
                self.problem(
                    at,
                    Some(Field::ProjectTitle),
                    Some(project.to_string()),
                    Bilingual::new(
                        format!("不是{name}已有的项目，也不在本次导入的项目清单中"),
                        format!("is not a project of {name} in the database or in the projects sheet of this import"),
                    ),
                    Some(Bilingual::new(
                        "该社区已有项目的名称；新项目请先在「项目清单」表中列出",
                        "the title of one of the community's projects; list a new project in the projects sheet first",
                    )),
                );
                None
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn project(
        &mut self,
        record: &Record,
        place: &Place,
        title: &str,
        lead: &Option<Option<String>>,
        due_on: chrono::NaiveDate,
        status: Option<Status>,
        done_on: Option<chrono::NaiveDate>,
    ) -> Option<Outcome> {
        let file = self.file_of(record.at());
        let here = Some(record.at());
        let (community, _) = self.community(record.at(), place, true)?;
        let key = (community, name_key(title));
        let existing = {
            let w = &self.plan.world;
            match pick(w.project_by.get(&key), |i| w.projects[i].v.title == title) {
                Found::One(p) => Some(p),
                Found::None => None,
                Found::Several(all) => {
                    let ids = all.iter().filter_map(|i| w.projects[*i].id).collect();
                    self.several_in_file(record.at(), Field::ProjectTitle, title, ids);
                    return None;
                }
            }
        };
        let old = existing.map(|p| self.plan.world.projects[p].v.clone());
        let unit = match lead {
            None => old.as_ref().and_then(|o| o.unit),
            Some(None) => None,
            Some(Some(name)) => Some(self.unit(name, None, file).0),
        };
        let status = status
            .map(|s| s.code().to_string())
            .or_else(|| old.as_ref().map(|o| o.status.clone()))
            .unwrap_or_else(|| Status::Active.code().to_string());
        if let Some(o) = old.as_ref().filter(|o| o.status != status)
            && let Some(closed) = Status::from_code(&o.status)
                .filter(|s| matches!(s, Status::Done | Status::Cancelled))
        {
            // The adjustments' rule: a closed project is reopened only by undoing the entry
            // that closed it, so that a stale spreadsheet cannot silently undo the record.
            let word = |lang| closed.word(lang);
            let given = Status::from_code(&status).map_or_else(
                || status.clone(),
                |s| s.word(crate::i18n::Lang::Zh).to_string(),
            );
            self.problem(
                record.at(),
                Some(Field::Status),
                Some(given),
                Bilingual::new(
                    format!(
                        "数据库中该项目已是「{}」，导入不能改变已关闭项目的状态；如确需重开，请在调整记录中撤销关闭它的那条调整",
                        word(crate::i18n::Lang::Zh)
                    ),
                    format!(
                        "the project is {} in the database, and an import cannot change a closed project's status; to reopen it, undo the log entry that closed it",
                        word(crate::i18n::Lang::En)
                    ),
                ),
                Some(Bilingual::new(
                    format!("「{}」或留空", word(crate::i18n::Lang::Zh)),
                    format!("{} or an empty cell", word(crate::i18n::Lang::En)),
                )),
            );
            return None;
        }
        let given_done = done_on.map(format_ymd);
        let old_status = old.as_ref().map(|o| o.status.as_str());
        let done_on = if status == "done" {
            match (given_done, old.as_ref()) {
                (Some(d), _) => Some(d),
                (None, Some(o)) if o.status == "done" => o.done_on.clone(),
                // Most office sheets have no 完成日期 column, and no figure uses the date:
                // the project is done without one, and the summary says so.
                (None, _) => None,
            }
        } else if let Some(d) = given_done {
            self.problem(
                record.at(),
                Some(Field::DoneOn),
                Some(d),
                Bilingual::new(
                    "已填写，但只有状态为已完成的项目才有完成日期",
                    "is filled in, but only a project whose status is done has a completion date",
                ),
                Some(Bilingual::new(
                    "清空完成日期，或把状态改为已完成",
                    "an empty cell, or status 已完成 (done)",
                )),
            );
            return None;
        } else if old_status == Some(status.as_str()) {
            old.as_ref().and_then(|o| o.done_on.clone())
        } else {
            None
        };
        let new = ProjectV {
            community,
            title: old
                .as_ref()
                .map_or_else(|| title.to_string(), |o| o.title.clone()),
            unit,
            due_on: format_ymd(due_on),
            status,
            done_on,
            need_id: old.as_ref().and_then(|o| o.need_id),
        };
        let undated = new.status == "done" && new.done_on.is_none();
        let Some((at, old)) = existing.zip(old) else {
            let w = &mut self.plan.world;
            let at = w.projects.len();
            if undated {
                self.plan.done_without_date.push(at);
            }
            w.projects.push(Ent {
                id: None,
                v: new,
                set_by: here,
            });
            w.project_by.entry(key).or_default().push(at);
            self.push_op(Target::Project(at), true, Vec::new(), file);
            return Some(Outcome::Created);
        };
        if undated && !self.plan.done_without_date.contains(&at) {
            self.plan.done_without_date.push(at);
        }
        let mut changes = Vec::new();
        if old.unit != new.unit {
            changes.push(Change {
                column: "unit_id",
                before: V::unit_opt(old.unit),
                after: V::unit_opt(new.unit),
            });
        }
        if old.due_on != new.due_on {
            changes.push(Change {
                column: "due_on",
                before: V::Text(old.due_on.clone()),
                after: V::Text(new.due_on.clone()),
            });
        }
        if old.status != new.status {
            changes.push(Change {
                column: "status",
                before: V::Text(old.status.clone()),
                after: V::Text(new.status.clone()),
            });
        }
        if old.done_on != new.done_on {
            changes.push(Change {
                column: "done_on",
                before: V::text_opt(old.done_on.as_deref()),
                after: V::text_opt(new.done_on.as_deref()),
            });
        }
        let set_by = self.plan.world.projects[at].set_by;
        let outcome = self.settle(record.at(), Target::Project(at), set_by, changes)?;
        let ent = &mut self.plan.world.projects[at];
        ent.v = new;
        ent.set_by = here;
        Some(outcome)
    }
}
