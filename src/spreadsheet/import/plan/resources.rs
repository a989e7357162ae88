//! The resource list (资源清单).

use super::*;

/// The resources, when a sheet lists them.
pub(super) fn load(
    conn: &dyn crate::store::rows::Source,
    lists: &HashSet<List>,
    w: &mut World,
    p: &mut Vec<DataProblem>,
    ids: &mut Ids,
) -> Result<()> {
    if lists.contains(&List::Resources) {
        for r in rows::resource::all(conn, p)? {
            if let (Some(community), Some(unit)) =
                (ids.community(r.community_id), ids.unit(r.unit_id))
            {
                w.resource_by
                    .entry((community, unit, name_key(&r.title)))
                    .or_default()
                    .push(w.resources.len());
                w.resources.push(Ent::loaded(
                    r.id,
                    ResourceV {
                        community,
                        unit,
                        title: r.title,
                        times_used: r.times_used,
                    },
                ));
            }
        }
    }
    Ok(())
}

impl Planner<'_> {
    /// A row of the resource list.
    pub(super) fn apply_resource(&mut self, record: &Record) -> Option<Outcome> {
        let file = self.file_of(record.at());
        let here = Some(record.at());
        let Values::Resource {
            place,
            unit,
            title,
            times_used,
        } = &record.values
        else {
            return None;
        };
        let (community, _) = self.community(record.at(), place, true)?;
        let (unit, _) = self.unit(unit, None, file);
        let key = (community, unit, name_key(title));
        let w = &self.plan.world;
        let found = pick(w.resource_by.get(&key), |i| {
            w.resources[i].v.title == *title
        });
        match found {
            Found::Several(all) => {
                let ids = all.iter().filter_map(|i| w.resources[*i].id).collect();
                self.several_in_file(record.at(), Field::ResourceTitle, title, ids);
                None
            }
            Found::None => {
                let w = &mut self.plan.world;
                let at = w.resources.len();
                w.resources.push(Ent {
                    id: None,
                    v: ResourceV {
                        community,
                        unit,
                        title: title.clone(),
                        times_used: times_used.unwrap_or(0),
                    },
                    set_by: here,
                });
                w.resource_by.entry(key).or_default().push(at);
                self.push_op(Target::Resource(at), true, Vec::new(), file);
                Some(Outcome::Created)
            }
            Found::One(at) => {
                let ent = &w.resources[at];
                let mut changes = Vec::new();
                if let Some(n) = times_used.filter(|n| *n != ent.v.times_used) {
                    changes.push(Change {
                        column: "times_used",
                        before: V::Int(ent.v.times_used),
                        after: V::Int(n),
                    });
                }
                let set_by = ent.set_by;
                let outcome = self.settle(record.at(), Target::Resource(at), set_by, changes)?;
                let ent = &mut self.plan.world.resources[at];
                if let Some(n) = times_used {
                    ent.v.times_used = *n;
                }
                ent.set_by = here;
                Some(outcome)
            }
        }
    }
}
