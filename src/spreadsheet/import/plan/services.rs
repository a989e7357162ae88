//! The service records sheet (服务纪实): a sign-in sheet as the office keeps it (姓名, 工作单位,
//! 日期, 时长, 项目). Each row is one session of a registered member, found by name (and
//! workplace or community when two share a name); the n-th row of a member and day is the
//! n-th such session of the file, so that importing the same sheet twice adds nothing.

use super::*;

/// The sessions, when a sheet lists them (the members are loaded by [`super::members`]).
pub(super) fn load(
    conn: &dyn crate::store::rows::Source,
    lists: &HashSet<List>,
    w: &mut World,
    p: &mut Vec<DataProblem>,
    ids: &mut Ids,
) -> Result<()> {
    if !lists.contains(&List::Services) {
        return Ok(());
    }
    for s in rows::service::all_stored(conn, p)? {
        if let Some(member) = ids.member_at.get(&s.member_id).copied() {
            w.service_by
                .entry((member, s.served_on.clone()))
                .or_default()
                .push(w.services.len());
            w.services.push(Ent::loaded(
                s.id,
                ServiceV {
                    member,
                    served_on: s.served_on,
                    minutes: s.minutes,
                    project: None,
                    note: String::new(),
                },
            ));
        }
    }
    Ok(())
}

impl Planner<'_> {
    /// The member a row names: by name, narrowed by workplace and community when given.
    fn find_member(
        &mut self,
        at: At,
        name: &str,
        workplace: Option<&str>,
        place: Option<&Place>,
    ) -> Option<usize> {
        let community = match place {
            Some(place) => Some(self.community(at, place, false)?.0),
            None => None,
        };
        let w = &self.plan.world;
        let candidates: Vec<usize> = w
            .member_by_name
            .get(&name_key(name))
            .map(|all| {
                all.iter()
                    .copied()
                    .filter(|m| community.is_none_or(|c| w.members[*m].v.community == c))
                    .filter(|m| {
                        workplace.is_none_or(|unit| {
                            w.members[*m]
                                .v
                                .unit
                                .is_some_and(|u| name_key(&w.units[u].v.name) == name_key(unit))
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        match candidates.as_slice() {
            [one] => Some(*one),
            [] => {
                self.problem(
                    at,
                    Some(Field::MemberName),
                    Some(name.to_string()),
                    Bilingual::new(
                        "不是已报到的党员（或工作单位、社区与登记的不符）",
                        "is not a registered party member (or the workplace or community differs from the record)",
                    ),
                    Some(Bilingual::new(
                        "已报到党员的姓名；新党员请先登记报到（gongjian adjust add-member）",
                        "the name of a registered member; register a new member first (gongjian adjust add-member)",
                    )),
                );
                None
            }
            several => {
                let places: Vec<String> = several
                    .iter()
                    .map(|m| {
                        let v = &w.members[*m].v;
                        let unit = v
                            .unit
                            .map(|u| w.units[u].v.name.clone())
                            .unwrap_or_default();
                        format!("{} {unit}", w.communities[v.community].v.name)
                            .trim()
                            .to_string()
                    })
                    .collect();
                self.problem(
                    at,
                    Some(Field::MemberName),
                    Some(name.to_string()),
                    Bilingual::new(
                        format!("有多名党员同名（{}），无法确定是哪一位", places.join("、")),
                        format!(
                            "several members have this name ({}); it is unclear which",
                            places.join(", ")
                        ),
                    ),
                    Some(Bilingual::new(
                        "加一列「工作单位」或「社区」区分同名党员",
                        "add a workplace or community column to tell them apart",
                    )),
                );
                None
            }
        }
    }

    /// A row of the service records sheet.
    pub(super) fn apply_service(&mut self, record: &Record) -> Option<Outcome> {
        let file = self.file_of(record.at());
        let here = Some(record.at());
        let Values::Service {
            place,
            name,
            workplace,
            served_on,
            minutes,
            project,
            note,
        } = &record.values
        else {
            return None;
        };
        let member = self.find_member(record.at(), name, workplace.as_deref(), place.as_ref())?;
        let project = match project {
            Some(title) => {
                let community = self.plan.world.members[member].v.community;
                Some(self.find_project(record.at(), community, title)?)
            }
            None => None,
        };
        let served_on = format_ymd(*served_on);
        let key = (member, served_on.clone());
        let seen = self.service_seen.entry(key.clone()).or_default();
        let nth = *seen;
        *seen += 1;
        let w = &mut self.plan.world;
        match w.service_by.get(&key).and_then(|all| all.get(nth)).copied() {
            None => {
                let at = w.services.len();
                w.services.push(Ent {
                    id: None,
                    v: ServiceV {
                        member,
                        served_on,
                        minutes: *minutes,
                        project,
                        note: note.clone().unwrap_or_default(),
                    },
                    set_by: here,
                });
                w.service_by.entry(key).or_default().push(at);
                self.push_op(Target::Service(at), true, Vec::new(), file);
                Some(Outcome::Created)
            }
            Some(at) => {
                let ent = &w.services[at];
                let mut changes = Vec::new();
                if ent.v.minutes != *minutes {
                    changes.push(Change {
                        column: "minutes",
                        before: V::Int(ent.v.minutes),
                        after: V::Int(*minutes),
                    });
                }
                let outcome = self.settle(record.at(), Target::Service(at), None, changes)?;
                self.plan.world.services[at].v.minutes = *minutes;
                Some(outcome)
            }
        }
    }
}
