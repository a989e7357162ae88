//! Streets, communities and units: the places every other list names, found by name or
//! created on first mention; and the communities and units sheets.

use super::*;

impl Planner<'_> {
    pub(super) fn street(&mut self, name: &str, file: usize) -> usize {
        let w = &self.plan.world;
        let key = name_key(name);
        match pick(w.street_by_name.get(&key), |i| w.streets[i].v == name) {
            Found::One(i) => i,
            // Street names are unique in the file; several only when they differ in spaces or
            // width: the exact name was not among them, so take the first.
            Found::Several(all) => all[0],
            Found::None => {
                let w = &mut self.plan.world;
                let at = w.streets.len();
                w.streets.push(Ent {
                    id: None,
                    v: name.to_string(),
                    set_by: None,
                });
                w.street_by_name.entry(key).or_default().push(at);
                self.push_op(Target::Street(at), true, Vec::new(), file);
                at
            }
        }
    }

    /// The community a record names, created (with its street) when missing and `create`.
    /// Returns it and whether it was created here.
    pub(super) fn community(
        &mut self,
        at: At,
        place: &Place,
        create: bool,
    ) -> Option<(usize, bool)> {
        let file = self.file_of(at);
        let key = name_key(&place.community);
        if let Some(street_name) = &place.street {
            let existing_street = {
                let w = &self.plan.world;
                match pick(w.street_by_name.get(&name_key(street_name)), |i| {
                    w.streets[i].v == *street_name
                }) {
                    Found::One(i) => Some(i),
                    Found::Several(all) => Some(all[0]),
                    Found::None => None,
                }
            };
            let in_street = |w: &World, street: usize| {
                let candidates: Vec<usize> = w
                    .community_by_name
                    .get(&key)
                    .map(|all| {
                        all.iter()
                            .copied()
                            .filter(|c| w.communities[*c].v.street == street)
                            .collect()
                    })
                    .unwrap_or_default();
                match pick(Some(&candidates), |c| {
                    w.communities[c].v.name == place.community
                }) {
                    Found::One(c) => Some(c),
                    Found::Several(all) => Some(all[0]),
                    Found::None => None,
                }
            };
            if let Some(c) = existing_street.and_then(|s| in_street(&self.plan.world, s)) {
                return Some((c, false));
            }
            if !create {
                self.missing_community(at, place);
                return None;
            }
            let street = self.street(street_name, file);
            let w = &mut self.plan.world;
            let at = w.communities.len();
            w.communities.push(Ent {
                id: None,
                v: CommunityV {
                    street,
                    name: place.community.clone(),
                },
                set_by: None,
            });
            w.community_by_name.entry(key).or_default().push(at);
            self.push_op(Target::Community(at), true, Vec::new(), file);
            return Some((at, true));
        }
        let w = &self.plan.world;
        match pick(w.community_by_name.get(&key), |c| {
            w.communities[c].v.name == place.community
        }) {
            Found::One(c) => Some((c, false)),
            Found::None => {
                self.missing_community(at, place);
                None
            }
            Found::Several(all) => {
                let streets: Vec<String> = all
                    .iter()
                    .map(|c| w.streets[w.communities[*c].v.street].v.clone())
                    .collect();
                self.problem(at,
                    Some(Field::Community),
                    Some(place.community.clone()),
                    Bilingual::new(
                        format!("有多个街道都有这个社区（{}），无法确定是哪一个", streets.join("、")),
                        format!("several streets have a community of this name ({}); it is unclear which", streets.join(", ")),
                    ),
                    Some(Bilingual::new("在「街道」列写明所属街道", "fill in the street column")),
                );
                None
            }
        }
    }

    pub(super) fn missing_community(&mut self, at: At, place: &Place) {
        let list = self.parsed.sheets[at.0].list();
        let (what, accepted) = if !list.creates_communities() {
            (
                Bilingual::new(
                    "不是已有的社区，也不在本次导入的其他表中",
                    "is not a community in the database or elsewhere in this import",
                ),
                Bilingual::new(
                    "已有社区的名称；新社区请先在「社区」或「项目清单」表中列出",
                    "the name of an existing community; list a new one in the communities or projects sheet first",
                ),
            )
        } else {
            (
                Bilingual::new(
                    "不是已有的社区；新建社区需要知道所属街道",
                    "is not an existing community; a new community needs its street",
                ),
                Bilingual::new(
                    "已有社区的名称，或在「街道」列写明所属街道以新建",
                    "the name of an existing community, or fill in the street column to create it",
                ),
            )
        };
        self.problem(
            at,
            Some(Field::Community),
            Some(place.community.clone()),
            what,
            Some(accepted),
        );
    }

    pub(super) fn unit(&mut self, name: &str, kind: Option<&str>, file: usize) -> (usize, bool) {
        let w = &self.plan.world;
        let key = name_key(name);
        match pick(w.unit_by_name.get(&key), |i| w.units[i].v.name == name) {
            Found::One(i) => (i, false),
            Found::Several(all) => (all[0], false),
            Found::None => {
                let w = &mut self.plan.world;
                let at = w.units.len();
                w.units.push(Ent {
                    id: None,
                    v: UnitV {
                        name: name.to_string(),
                        kind: kind.unwrap_or_default().to_string(),
                    },
                    set_by: None,
                });
                w.unit_by_name.entry(key).or_default().push(at);
                self.push_op(Target::Unit(at), true, Vec::new(), file);
                (at, true)
            }
        }
    }

    /// A row of the communities sheet.
    pub(super) fn apply_community(&mut self, record: &Record) -> Option<Outcome> {
        let Values::Community { street, community } = &record.values else {
            return None;
        };
        let place = Place {
            street: Some(street.clone()),
            community: community.clone(),
        };
        let (_, created) = self.community(record.at(), &place, true)?;
        Some(if created {
            Outcome::Created
        } else {
            Outcome::Unchanged
        })
    }

    /// A row of the units sheet.
    pub(super) fn apply_unit(&mut self, record: &Record) -> Option<Outcome> {
        let file = self.file_of(record.at());
        let here = Some(record.at());
        let Values::Unit { name, kind } = &record.values else {
            return None;
        };
        let (at, created) = self.unit(name, kind.as_deref(), file);
        let ent = &self.plan.world.units[at];
        if created {
            self.plan.world.units[at].set_by = here;
            return Some(Outcome::Created);
        }
        let mut changes = Vec::new();
        if let Some(kind) = kind.as_ref().filter(|k| **k != ent.v.kind) {
            changes.push(Change {
                column: "kind",
                before: V::Text(ent.v.kind.clone()),
                after: V::Text(kind.clone()),
            });
        }
        let set_by = ent.set_by;
        let outcome = self.settle(record.at(), Target::Unit(at), set_by, changes)?;
        let ent = &mut self.plan.world.units[at];
        if let Some(kind) = kind {
            ent.v.kind = kind.clone();
        }
        ent.set_by = here;
        Some(outcome)
    }
}
