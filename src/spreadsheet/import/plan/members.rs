//! The party members list (报到党员): a row registers a member with a community, or updates
//! one (registration day, the day they left, their workplace). A member is the community's
//! member of that name, and of that workplace when the row gives one.

use super::*;

/// The members, when a sheet lists them or their service sessions.
pub(super) fn load(
    conn: &dyn crate::store::rows::Source,
    lists: &HashSet<List>,
    w: &mut World,
    p: &mut Vec<DataProblem>,
    ids: &mut Ids,
) -> Result<()> {
    if !lists.contains(&List::Members) && !lists.contains(&List::Services) {
        return Ok(());
    }
    for m in rows::member::all_stored(conn, p)? {
        if let Some(community) = ids.community(m.community_id) {
            ids.member_at.insert(m.id, w.members.len());
            w.member_by_name
                .entry(name_key(&m.name))
                .or_default()
                .push(w.members.len());
            w.members.push(Ent::loaded(
                m.id,
                MemberV {
                    community,
                    unit: m.unit_id.and_then(|u| ids.unit(u)),
                    name: m.name,
                    registered_on: m.registered_on,
                    left_on: m.left_on,
                },
            ));
        }
    }
    Ok(())
}

impl Planner<'_> {
    /// A row of the party members list.
    pub(super) fn apply_member(&mut self, record: &Record) -> Option<Outcome> {
        let file = self.file_of(record.at());
        let here = Some(record.at());
        let Values::Member {
            place,
            name,
            workplace,
            registered_on,
            left_on,
        } = &record.values
        else {
            return None;
        };
        let (community, _) = self.community(record.at(), place, true)?;
        let unit = workplace.as_deref().map(|u| self.unit(u, None, file).0);
        let registered_on = format_ymd(*registered_on);
        let left_on = left_on.map(format_ymd);
        let w = &self.plan.world;
        let same_name: Vec<usize> = w
            .member_by_name
            .get(&name_key(name))
            .map(|all| {
                all.iter()
                    .copied()
                    .filter(|m| w.members[*m].v.community == community)
                    .collect()
            })
            .unwrap_or_default();
        let found: Vec<usize> = match unit {
            None => same_name.clone(),
            Some(u) => {
                let with_unit: Vec<usize> = same_name
                    .iter()
                    .copied()
                    .filter(|m| w.members[*m].v.unit == Some(u))
                    .collect();
                // The one member of this name whose workplace was not given yet gets it.
                let unplaced: Vec<usize> = same_name
                    .iter()
                    .copied()
                    .filter(|m| w.members[*m].v.unit.is_none())
                    .collect();
                if with_unit.is_empty() && same_name.len() == 1 && unplaced.len() == 1 {
                    unplaced
                } else {
                    with_unit
                }
            }
        };
        match found.as_slice() {
            [] => {
                let w = &mut self.plan.world;
                let at = w.members.len();
                w.members.push(Ent {
                    id: None,
                    v: MemberV {
                        community,
                        unit,
                        name: name.clone(),
                        registered_on,
                        left_on,
                    },
                    set_by: here,
                });
                w.member_by_name.entry(name_key(name)).or_default().push(at);
                self.push_op(Target::Member(at), true, Vec::new(), file);
                Some(Outcome::Created)
            }
            [at] => {
                let at = *at;
                let ent = &self.plan.world.members[at];
                let mut changes = Vec::new();
                if let Some(u) = unit.filter(|u| ent.v.unit != Some(*u)) {
                    changes.push(Change {
                        column: "unit_id",
                        before: V::unit_opt(ent.v.unit),
                        after: V::Unit(u),
                    });
                }
                if ent.v.registered_on != registered_on {
                    changes.push(Change {
                        column: "registered_on",
                        before: V::Text(ent.v.registered_on.clone()),
                        after: V::Text(registered_on.clone()),
                    });
                }
                if let Some(left) = left_on
                    .as_ref()
                    .filter(|l| ent.v.left_on.as_ref() != Some(*l))
                {
                    changes.push(Change {
                        column: "left_on",
                        before: V::text_opt(ent.v.left_on.as_deref()),
                        after: V::Text(left.clone()),
                    });
                }
                // The day they left, as it will stand, is not before the day they registered.
                let left_after = left_on.clone().or_else(|| ent.v.left_on.clone());
                if let Some(left) = left_after.filter(|l| *l < registered_on) {
                    self.problem(
                        record.at(),
                        Some(Field::RegisteredOn),
                        Some(registered_on.clone()),
                        Bilingual::new(
                            format!("晚于该党员已登记的离开日期（{left}）"),
                            format!(
                                "is after the day the member is recorded to have left ({left})"
                            ),
                        ),
                        Some(Bilingual::new(
                            format!("{left} 或更早的日期"),
                            format!("{left} or earlier"),
                        )),
                    );
                    return None;
                }
                let set_by = ent.set_by;
                let outcome = self.settle(record.at(), Target::Member(at), set_by, changes)?;
                let ent = &mut self.plan.world.members[at];
                if unit.is_some() {
                    ent.v.unit = unit;
                }
                ent.v.registered_on = registered_on;
                if left_on.is_some() {
                    ent.v.left_on = left_on;
                }
                ent.set_by = here;
                Some(outcome)
            }
            several => {
                let ids = several
                    .iter()
                    .filter_map(|m| self.plan.world.members[*m].id)
                    .collect();
                self.several_in_file(record.at(), Field::MemberName, name, ids);
                None
            }
        }
    }
}
