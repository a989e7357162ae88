//! The year-end grades sheet (考评结果: 年度, 对象, 评价方, 等次, 说明). A row grades a community or
//! a unit by itself (自评) or by a third party (第三方评估), or a contract by its community
//! (社区评议: the unit's name in 对象, the community in 社区). A grade is one per year, subject
//! and assessor: a later row or import of the same three replaces the grade and note.

use super::*;

/// The grades of every year, when a sheet lists grades.
pub(super) fn load(
    conn: &dyn crate::store::rows::Source,
    lists: &HashSet<List>,
    w: &mut World,
    p: &mut Vec<DataProblem>,
    ids: &mut Ids,
) -> Result<()> {
    if !lists.contains(&List::Grades) {
        return Ok(());
    }
    for g in crate::store::all_grades(conn, p)? {
        let graded = match g.subject {
            Subject::Community => ids.community(g.subject_id).map(Graded::Community),
            Subject::Unit => ids.unit(g.subject_id).map(Graded::Unit),
            Subject::Contract => ids
                .contract_at
                .get(&g.subject_id)
                .copied()
                .map(Graded::Contract),
        };
        // A grade whose subject matches nothing is ignored, as the assessment ignores it.
        let Some(graded) = graded else { continue };
        w.grade_by
            .insert((g.year, graded, g.assessor), w.grades.len());
        w.grades.push(Ent::loaded(
            g.id,
            GradeV {
                year: g.year,
                graded,
                assessor: g.assessor,
                grade: g.grade,
                note: g.note,
            },
        ));
    }
    Ok(())
}

impl Planner<'_> {
    /// A unit by its name, or a problem at the subject's cell.
    fn graded_unit(&mut self, at: At, name: &str) -> Option<usize> {
        let w = &self.plan.world;
        match pick(w.unit_by_name.get(&name_key(name)), |i| {
            w.units[i].v.name == name
        }) {
            Found::One(u) => Some(u),
            Found::Several(all) => {
                let ids = all.iter().filter_map(|i| w.units[*i].id).collect();
                self.several_in_file(at, Field::Subject, name, ids);
                None
            }
            Found::None => {
                self.problem(
                    at,
                    Some(Field::Subject),
                    Some(name.to_string()),
                    Bilingual::new(
                        "不是已有的驻区单位，也不在本次导入中",
                        "is not a unit in the database or in this import",
                    ),
                    Some(Bilingual::new("驻区单位的名称", "a unit's name")),
                );
                None
            }
        }
    }

    /// What a row grades, in the frame of its community when it names one.
    fn graded(
        &mut self,
        at: At,
        place: Option<&Place>,
        subject: &str,
        kind: Option<Subject>,
        assessor: Assessor,
    ) -> Option<Graded> {
        let frame = match place {
            Some(place) => Some(self.community(at, place, false)?.0),
            None => None,
        };
        let wrong = |zh: &str, en: &str| (Bilingual::new(zh, en), None::<Bilingual>);
        let refuse = |this: &mut Self, (what, accepted): (Bilingual, Option<Bilingual>)| {
            this.problem(at, Some(Field::Assessor), None, what, accepted);
            None
        };
        if assessor == Assessor::Community || kind == Some(Subject::Contract) {
            if assessor != Assessor::Community {
                return refuse(
                    self,
                    wrong(
                        "共建契约只由签约社区评议（评价方写“社区评议”）",
                        "a contract is graded by its community only (assessor: community)",
                    ),
                );
            }
            if matches!(kind, Some(Subject::Community | Subject::Unit)) {
                return refuse(
                    self,
                    wrong(
                        "社区评议的对象是共建契约：对象写驻区单位名称，「社区」列写评议的社区",
                        "a community grades a contract: the unit's name as subject, the grading community in the community column",
                    ),
                );
            }
            let Some(community) = frame else {
                self.problem(
                    at,
                    Some(Field::Community),
                    None,
                    Bilingual::new(
                        "社区评议须写明评议的社区",
                        "a community's grade needs the grading community",
                    ),
                    Some(Bilingual::new(
                        "加一列「社区」，写与该单位签约的社区",
                        "add a community column naming the community that contracted with the unit",
                    )),
                );
                return None;
            };
            let unit = self.graded_unit(at, subject)?;
            let w = &self.plan.world;
            return match w
                .contract_by
                .get(&(community, unit))
                .and_then(|all| all.first())
            {
                Some(contract) => Some(Graded::Contract(*contract)),
                None => {
                    let name = w.communities[community].v.name.clone();
                    self.problem(
                        at,
                        Some(Field::Subject),
                        Some(subject.to_string()),
                        Bilingual::new(
                            format!("与{name}没有共建契约，无法评议"),
                            format!("has no contract with {name} to grade"),
                        ),
                        Some(Bilingual::new(
                            "与该社区签约的驻区单位；新契约请先在「共建契约」表中列出",
                            "a unit that contracted with the community; list a new contract in the contracts sheet first",
                        )),
                    );
                    None
                }
            };
        }
        let w = &self.plan.world;
        let key = name_key(subject);
        let communities: Vec<usize> = w
            .community_by_name
            .get(&key)
            .map(|all| {
                all.iter()
                    .copied()
                    .filter(|c| frame.is_none_or(|f| f == *c))
                    .collect()
            })
            .unwrap_or_default();
        let is_unit = w.unit_by_name.contains_key(&key);
        match kind {
            Some(Subject::Unit) => self.graded_unit(at, subject).map(Graded::Unit),
            Some(Subject::Community) | None if !communities.is_empty() => {
                if kind.is_none() && is_unit {
                    self.problem(
                        at,
                        Some(Field::Subject),
                        Some(subject.to_string()),
                        Bilingual::new(
                            "既是社区名称又是驻区单位名称，无法确定考评的是哪一个",
                            "is the name of both a community and a unit; it is unclear which is graded",
                        ),
                        Some(Bilingual::new(
                            "加一列「对象类型」，写 社区 或 驻区单位",
                            "add a subject kind column: community or unit",
                        )),
                    );
                    return None;
                }
                match communities.as_slice() {
                    [one] => Some(Graded::Community(*one)),
                    // Several streets have it: the usual message asking for the street.
                    _ => {
                        let place = Place {
                            street: None,
                            community: subject.to_string(),
                        };
                        self.community(at, &place, false)
                            .map(|(c, _)| Graded::Community(c))
                    }
                }
            }
            Some(Subject::Community) => {
                self.problem(
                    at,
                    Some(Field::Subject),
                    Some(subject.to_string()),
                    Bilingual::new("不是已有的社区", "is not an existing community"),
                    Some(Bilingual::new(
                        "已有社区的名称",
                        "the name of an existing community",
                    )),
                );
                None
            }
            _ if is_unit => self.graded_unit(at, subject).map(Graded::Unit),
            _ => {
                self.problem(
                    at,
                    Some(Field::Subject),
                    Some(subject.to_string()),
                    Bilingual::new(
                        "不是已有的社区或驻区单位",
                        "is not an existing community or unit",
                    ),
                    Some(Bilingual::new(
                        "社区或驻区单位的名称（新单位请先在「驻区单位」表中列出）",
                        "a community's or unit's name (list a new unit in the units sheet first)",
                    )),
                );
                None
            }
        }
    }

    /// A row of the grades sheet.
    pub(super) fn apply_grade(&mut self, record: &Record) -> Option<Outcome> {
        let file = self.file_of(record.at());
        let here = Some(record.at());
        let Values::Grade {
            place,
            year,
            subject,
            kind,
            assessor,
            grade,
            note,
        } = &record.values
        else {
            return None;
        };
        let graded = self.graded(record.at(), place.as_ref(), subject, *kind, *assessor)?;
        let key = (*year, graded, *assessor);
        let w = &mut self.plan.world;
        match w.grade_by.get(&key).copied() {
            None => {
                let at = w.grades.len();
                w.grades.push(Ent {
                    id: None,
                    v: GradeV {
                        year: *year,
                        graded,
                        assessor: *assessor,
                        grade: *grade,
                        note: note.clone().unwrap_or_default(),
                    },
                    set_by: here,
                });
                w.grade_by.insert(key, at);
                self.push_op(Target::Grade(at), true, Vec::new(), file);
                Some(Outcome::Created)
            }
            Some(at) => {
                let ent = &w.grades[at];
                let mut changes = Vec::new();
                if ent.v.grade != *grade {
                    changes.push(Change {
                        column: "grade",
                        before: V::Text(ent.v.grade.code().to_string()),
                        after: V::Text(grade.code().to_string()),
                    });
                }
                if let Some(note) = note.as_ref().filter(|n| **n != ent.v.note) {
                    changes.push(Change {
                        column: "note",
                        before: V::Text(ent.v.note.clone()),
                        after: V::Text(note.clone()),
                    });
                }
                let set_by = ent.set_by;
                let outcome = self.settle(record.at(), Target::Grade(at), set_by, changes)?;
                let ent = &mut self.plan.world.grades[at];
                ent.v.grade = *grade;
                if let Some(note) = note {
                    ent.v.note = note.clone();
                }
                ent.set_by = here;
                Some(outcome)
            }
        }
    }
}
