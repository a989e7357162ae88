//! The needs list (需求清单), with the project each need is answered by (对接项目): the link is
//! `project.need_id`, set once every row is applied, so that the project may come from the
//! same import's project sheet.

use super::*;

/// The needs, when a sheet lists them.
pub(super) fn load(
    conn: &dyn crate::store::rows::Source,
    lists: &HashSet<List>,
    w: &mut World,
    p: &mut Vec<DataProblem>,
    ids: &mut Ids,
) -> Result<()> {
    if lists.contains(&List::Needs) {
        for n in rows::need::all(conn, p)? {
            if let Some(community) = ids.community(n.community_id) {
                w.need_by
                    .entry((community, name_key(&n.title)))
                    .or_default()
                    .push(w.needs.len());
                w.needs.push(Ent::loaded(
                    n.id,
                    NeedV {
                        community,
                        title: n.title,
                        raised_on: n.raised_on,
                        source: n.source,
                    },
                ));
            }
        }
    }
    Ok(())
}

/// A need row's answering project, to be linked after every row is applied.
#[derive(Debug)]
pub(super) struct Link {
    at: At,
    need: usize,
    /// As written: `#14`, `14` or a title of the need's community.
    project: String,
    /// The need row changed nothing by itself (a link that changes something makes it an update).
    unchanged: bool,
}

/// `#14`, `＃14` or `14`: a project id.
fn as_id(text: &str) -> Option<i64> {
    let t = text.trim().trim_start_matches(['#', '＃']);
    (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
}

impl Planner<'_> {
    /// The project a row names by id (`#14`) or, failing that, by title in `community`.
    pub(super) fn project_by_id_or_title(
        &mut self,
        at: At,
        community: Option<usize>,
        text: &str,
        field: Field,
    ) -> Option<usize> {
        if let Some(id) = as_id(text)
            && let Some(p) = self.plan.world.project_by_id.get(&id).copied()
        {
            return Some(p);
        }
        match community {
            Some(c) => self.find_project(at, c, text).or_else(|| {
                // find_project named the problem against the title column; say it of this one.
                if field != Field::ProjectTitle
                    && let Some(last) = self.plan.problems.last_mut()
                {
                    last.column = self.parsed.sheets[at.0].column_ref(field);
                }
                None
            }),
            None => {
                let w = &self.plan.world;
                let key = name_key(text);
                let all: Vec<usize> = (0..w.projects.len())
                    .filter(|p| name_key(&w.projects[*p].v.title) == key)
                    .collect();
                match all.as_slice() {
                    [one] => Some(*one),
                    [] => {
                        self.problem(
                            at,
                            Some(field),
                            Some(text.to_string()),
                            Bilingual::new(
                                "不是已有项目的编号或名称，也不在本次导入的项目清单中",
                                "is not the id or title of a project in the database or in this import",
                            ),
                            Some(Bilingual::new(
                                "项目编号（如 #14）或项目名称",
                                "a project's id (e.g. #14) or title",
                            )),
                        );
                        None
                    }
                    several => {
                        let places: Vec<String> = several
                            .iter()
                            .map(|p| {
                                let v = &w.projects[*p].v;
                                let id = w.projects[*p]
                                    .id
                                    .map(|i| format!("#{i} "))
                                    .unwrap_or_default();
                                format!("{id}{}", w.communities[v.community].v.name)
                            })
                            .collect();
                        self.problem(
                            at,
                            Some(field),
                            Some(text.to_string()),
                            Bilingual::new(
                                format!("有多个社区都有这个项目（{}），无法确定是哪一个", places.join("、")),
                                format!("several communities have a project of this title ({}); it is unclear which", places.join(", ")),
                            ),
                            Some(Bilingual::new(
                                "写项目编号（如 #14），或加一列「社区」",
                                "write the project's id (e.g. #14), or add a community column",
                            )),
                        );
                        None
                    }
                }
            }
        }
    }

    /// Links each need to the project its row names (`project.need_id`).
    pub(super) fn link_needs(&mut self) {
        let links = std::mem::take(&mut self.need_links);
        let mut linked_by: HashMap<usize, (usize, At)> = HashMap::new();
        for link in links {
            let community = self.plan.world.needs[link.need].v.community;
            let Some(project) = self.project_by_id_or_title(
                link.at,
                Some(community),
                &link.project,
                Field::AnsweringProject,
            ) else {
                continue;
            };
            let w = &self.plan.world;
            if w.projects[project].v.status == crate::model::Status::Cancelled.code() {
                let title = w.projects[project].v.title.clone();
                self.problem(
                    link.at,
                    Some(Field::AnsweringProject),
                    Some(link.project.clone()),
                    Bilingual::new(
                        format!("项目「{title}」已终止，不能对接需求"),
                        format!("the project \"{title}\" is cancelled and cannot answer a need"),
                    ),
                    Some(Bilingual::new(
                        "未终止的项目",
                        "a project that is not cancelled",
                    )),
                );
                continue;
            }
            match linked_by.get(&project) {
                Some((need, _)) if *need == link.need => continue,
                Some((_, earlier)) => {
                    let earlier = *earlier;
                    self.conflict(link.at, earlier);
                    continue;
                }
                None => {
                    linked_by.insert(project, (link.need, link.at));
                }
            }
            let w = &self.plan.world;
            let need_id = w.needs[link.need].id;
            let before = w.projects[project].v.need_id;
            if need_id.is_some() && before == need_id {
                continue;
            }
            let file = self.file_of(link.at);
            self.push_op(
                Target::Project(project),
                false,
                vec![Change {
                    column: "need_id",
                    before: V::int_opt(before),
                    after: V::Need(link.need),
                }],
                file,
            );
            if link.unchanged {
                let counts = self.plan.counts.entry(List::Needs).or_default();
                counts.unchanged = counts.unchanged.saturating_sub(1);
                counts.updated += 1;
            }
        }
    }

    /// A row of the needs list.
    pub(super) fn apply_need(&mut self, record: &Record) -> Option<Outcome> {
        let file = self.file_of(record.at());
        let here = Some(record.at());
        let Values::Need {
            place,
            title,
            raised_on,
            source,
            answered_by,
        } = &record.values
        else {
            return None;
        };
        let outcome = self.need_row(record, place, title, *raised_on, *source, file, here)?;
        if let (Some(project), Some(need)) = (answered_by, self.last_need) {
            self.need_links.push(Link {
                at: record.at(),
                need,
                project: project.clone(),
                unchanged: matches!(outcome, Outcome::Unchanged),
            });
        }
        Some(outcome)
    }

    #[allow(clippy::too_many_arguments)]
    fn need_row(
        &mut self,
        record: &Record,
        place: &Place,
        title: &str,
        raised_on: chrono::NaiveDate,
        source: Option<NeedSource>,
        file: usize,
        here: Option<At>,
    ) -> Option<Outcome> {
        self.last_need = None;
        let (community, _) = self.community(record.at(), place, true)?;
        let raised_on = format_ymd(raised_on);
        let key = (community, name_key(title));
        let w = &self.plan.world;
        match pick(w.need_by.get(&key), |i| w.needs[i].v.title == *title) {
            Found::Several(all) => {
                let ids = all.iter().filter_map(|i| w.needs[*i].id).collect();
                self.several_in_file(record.at(), Field::NeedTitle, title, ids);
                None
            }
            Found::None => {
                let w = &mut self.plan.world;
                let at = w.needs.len();
                w.needs.push(Ent {
                    id: None,
                    v: NeedV {
                        community,
                        title: title.to_string(),
                        raised_on,
                        source: source.unwrap_or(NeedSource::Other).code().to_string(),
                    },
                    set_by: here,
                });
                w.need_by.entry(key).or_default().push(at);
                self.last_need = Some(at);
                self.push_op(Target::Need(at), true, Vec::new(), file);
                Some(Outcome::Created)
            }
            Found::One(at) => {
                let ent = &w.needs[at];
                let mut changes = Vec::new();
                if ent.v.raised_on != raised_on {
                    changes.push(Change {
                        column: "raised_on",
                        before: V::Text(ent.v.raised_on.clone()),
                        after: V::Text(raised_on.clone()),
                    });
                }
                if let Some(s) = source.map(NeedSource::code).filter(|s| *s != ent.v.source) {
                    changes.push(Change {
                        column: "source",
                        before: V::Text(ent.v.source.clone()),
                        after: V::Text(s.to_string()),
                    });
                }
                let set_by = ent.set_by;
                let outcome = self.settle(record.at(), Target::Need(at), set_by, changes)?;
                self.last_need = Some(at);
                let ent = &mut self.plan.world.needs[at];
                ent.v.raised_on = raised_on;
                if let Some(s) = source {
                    ent.v.source = s.code().to_string();
                }
                ent.set_by = here;
                Some(outcome)
            }
        }
    }
}
