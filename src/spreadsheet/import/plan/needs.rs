//! The needs list (需求清单).

use super::*;

/// The needs, when a sheet lists them.
pub(super) fn load(
    conn: &Connection,
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

impl Planner<'_> {
    /// A row of the needs list.
    pub(super) fn apply_need(&mut self, record: &Record) -> Option<Outcome> {
        let file = self.file_of(record.at());
        let here = Some(record.at());
        let Values::Need {
            place,
            title,
            raised_on,
            source,
        } = &record.values
        else {
            return None;
        };
        let (community, _) = self.community(record.at(), place, true)?;
        let raised_on = format_ymd(*raised_on);
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
                        title: title.clone(),
                        raised_on,
                        source: source.unwrap_or(NeedSource::Other).code().to_string(),
                    },
                    set_by: here,
                });
                w.need_by.entry(key).or_default().push(at);
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
