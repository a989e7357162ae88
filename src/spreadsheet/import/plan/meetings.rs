//! The meetings sheet (例会记录): the n-th row of a community, kind and day is the n-th such
//! meeting of the file.

use super::*;

/// The meetings, when a sheet lists them.
pub(super) fn load(
    conn: &dyn crate::store::rows::Source,
    lists: &HashSet<List>,
    w: &mut World,
    p: &mut Vec<DataProblem>,
    ids: &mut Ids,
) -> Result<()> {
    if lists.contains(&List::Meetings) {
        for m in rows::meeting::all(conn, p)? {
            if let Some(community) = ids.community(m.community_id) {
                w.meeting_by
                    .entry((community, m.kind.clone(), m.held_on.clone()))
                    .or_default()
                    .push(w.meetings.len());
                w.meetings.push(Ent::loaded(
                    m.id,
                    MeetingV {
                        community,
                        kind: m.kind,
                        held_on: m.held_on,
                        attendees: m.attendees,
                        note: m.note,
                    },
                ));
            }
        }
    }
    Ok(())
}

impl Planner<'_> {
    /// A row of the meetings sheet.
    pub(super) fn apply_meeting(&mut self, record: &Record) -> Option<Outcome> {
        let file = self.file_of(record.at());
        let here = Some(record.at());
        let Values::Meeting {
            place,
            kind,
            held_on,
            attendees,
            note,
        } = &record.values
        else {
            return None;
        };
        let (community, _) = self.community(record.at(), place, true)?;
        let held_on = format_ymd(*held_on);
        let key = (community, kind.code().to_string(), held_on.clone());
        let seen = self.meeting_seen.entry(key.clone()).or_default();
        let nth = *seen;
        *seen += 1;
        let w = &mut self.plan.world;
        match w.meeting_by.get(&key).and_then(|all| all.get(nth)).copied() {
            None => {
                let at = w.meetings.len();
                w.meetings.push(Ent {
                    id: None,
                    v: MeetingV {
                        community,
                        kind: kind.code().to_string(),
                        held_on,
                        attendees: *attendees,
                        note: note.clone().unwrap_or_default(),
                    },
                    set_by: here,
                });
                w.meeting_by.entry(key).or_default().push(at);
                self.push_op(Target::Meeting(at), true, Vec::new(), file);
                Some(Outcome::Created)
            }
            Some(at) => {
                let ent = &w.meetings[at];
                let mut changes = Vec::new();
                if let Some(n) = attendees.filter(|n| Some(*n) != ent.v.attendees) {
                    changes.push(Change {
                        column: "attendees",
                        before: V::int_opt(ent.v.attendees),
                        after: V::Int(n),
                    });
                }
                if let Some(text) = note.as_ref().filter(|t| **t != ent.v.note) {
                    changes.push(Change {
                        column: "note",
                        before: V::Text(ent.v.note.clone()),
                        after: V::Text(text.clone()),
                    });
                }
                let outcome = self.settle(record.at(), Target::Meeting(at), None, changes)?;
                let ent = &mut self.plan.world.meetings[at];
                if attendees.is_some() {
                    ent.v.attendees = *attendees;
                }
                if let Some(text) = note {
                    ent.v.note = text.clone();
                }
                Some(outcome)
            }
        }
    }
}
