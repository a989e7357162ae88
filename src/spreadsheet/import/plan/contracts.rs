//! The contracts sheet (共建契约).

use super::*;

/// The contracts, when a sheet lists them.
pub(super) fn load(
    conn: &dyn crate::store::rows::Source,
    lists: &HashSet<List>,
    w: &mut World,
    p: &mut Vec<DataProblem>,
    ids: &mut Ids,
) -> Result<()> {
    if lists.contains(&List::Contracts) || lists.contains(&List::Grades) {
        for c in rows::contract::all(conn, p)? {
            if let (Some(community), Some(unit)) =
                (ids.community(c.community_id), ids.unit(c.unit_id))
            {
                ids.contract_at.insert(c.id, w.contracts.len());
                w.contract_by
                    .entry((community, unit))
                    .or_default()
                    .push(w.contracts.len());
                w.contracts.push(Ent::loaded(
                    c.id,
                    ContractV {
                        community,
                        unit,
                        signed_on: c.signed_on,
                    },
                ));
            }
        }
    }
    Ok(())
}

impl Planner<'_> {
    /// A row of the contracts sheet.
    pub(super) fn apply_contract(&mut self, record: &Record) -> Option<Outcome> {
        let file = self.file_of(record.at());
        let here = Some(record.at());
        let Values::Contract {
            place,
            unit,
            signed_on,
        } = &record.values
        else {
            return None;
        };
        let (community, _) = self.community(record.at(), place, true)?;
        let (unit, _) = self.unit(unit, None, file);
        let signed_on = format_ymd(*signed_on);
        let w = &mut self.plan.world;
        match w
            .contract_by
            .get(&(community, unit))
            .and_then(|v| v.first())
        {
            None => {
                let at = w.contracts.len();
                w.contracts.push(Ent {
                    id: None,
                    v: ContractV {
                        community,
                        unit,
                        signed_on,
                    },
                    set_by: here,
                });
                w.contract_by.entry((community, unit)).or_default().push(at);
                self.push_op(Target::Contract(at), true, Vec::new(), file);
                Some(Outcome::Created)
            }
            Some(&at) => {
                let ent = &w.contracts[at];
                let mut changes = Vec::new();
                if ent.v.signed_on != signed_on {
                    changes.push(Change {
                        column: "signed_on",
                        before: V::Text(ent.v.signed_on.clone()),
                        after: V::Text(signed_on.clone()),
                    });
                }
                let set_by = ent.set_by;
                let outcome = self.settle(record.at(), Target::Contract(at), set_by, changes)?;
                let ent = &mut self.plan.world.contracts[at];
                ent.v.signed_on = signed_on;
                ent.set_by = here;
                Some(outcome)
            }
        }
    }
}
