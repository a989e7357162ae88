//! What an import would change, worked out against the file before anything is written.
//!
//! The file's rows are loaded into a [`World`]; each record of the spreadsheets is applied to
//! it in turn (so that a project created by one row can be named by the next), and each
//! creation or change becomes an [`Op`]. Names are matched ignoring spaces, full-width letters
//! and letter case, so `区人民医院` and `区人民医院 ` are one unit.

use super::super::headers::{Field, List};
use super::super::{Bilingual, Problem};
use super::parse::{Parsed, Place, Record, Values};
use crate::dates::format_ymd;
use crate::error::Result;
use crate::model::{DataProblem, Status};
use crate::store::rows;
use crate::vocab::NeedSource;
use rusqlite::Connection;
use std::collections::{BTreeMap, HashMap, HashSet};

/// An entity of the file, loaded (`id` set) or to be created by this import.
#[derive(Debug, Clone)]
pub struct Ent<T> {
    pub id: Option<i64>,
    pub v: T,
    /// The (sheet, row) that created or set this entity in this import: a second row that
    /// disagrees with it is a conflict, not a silent overwrite.
    pub set_by: Option<(usize, u32)>,
}

impl<T> Ent<T> {
    fn loaded(id: i64, v: T) -> Ent<T> {
        Ent {
            id: Some(id),
            v,
            set_by: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct CommunityV {
    pub street: usize,
    pub name: String,
}
#[derive(Debug, Clone)]
pub struct UnitV {
    pub name: String,
    pub kind: String,
}
#[derive(Debug, Clone)]
pub struct ContractV {
    pub community: usize,
    pub unit: usize,
    pub signed_on: String,
}
#[derive(Debug, Clone)]
pub struct ResourceV {
    pub community: usize,
    pub unit: usize,
    pub title: String,
    pub times_used: i64,
}
#[derive(Debug, Clone)]
pub struct NeedV {
    pub community: usize,
    pub title: String,
    pub raised_on: String,
    pub source: String,
}
#[derive(Debug, Clone)]
pub struct ProjectV {
    pub community: usize,
    pub title: String,
    pub unit: Option<usize>,
    pub due_on: String,
    pub status: String,
    pub done_on: Option<String>,
}
#[derive(Debug, Clone)]
pub struct MeetingV {
    pub community: usize,
    pub kind: String,
    pub held_on: String,
    pub attendees: Option<i64>,
    pub note: String,
}
#[derive(Debug, Clone)]
pub struct ActivityV {
    pub project: usize,
    pub held_on: String,
    pub planned: i64,
    pub actual: i64,
}

/// The file's rows that an import can touch, and indexes by name.
#[derive(Debug, Default)]
pub struct World {
    pub streets: Vec<Ent<String>>,
    pub communities: Vec<Ent<CommunityV>>,
    pub units: Vec<Ent<UnitV>>,
    pub contracts: Vec<Ent<ContractV>>,
    pub resources: Vec<Ent<ResourceV>>,
    pub needs: Vec<Ent<NeedV>>,
    pub projects: Vec<Ent<ProjectV>>,
    pub meetings: Vec<Ent<MeetingV>>,
    pub activities: Vec<Ent<ActivityV>>,
    street_by_name: HashMap<String, Vec<usize>>,
    community_by_name: HashMap<String, Vec<usize>>,
    unit_by_name: HashMap<String, Vec<usize>>,
    contract_by: HashMap<(usize, usize), Vec<usize>>,
    resource_by: HashMap<(usize, usize, String), Vec<usize>>,
    need_by: HashMap<(usize, String), Vec<usize>>,
    project_by: HashMap<(usize, String), Vec<usize>>,
    meeting_by: HashMap<(usize, String, String), Vec<usize>>,
    activity_by: HashMap<(usize, String), Vec<usize>>,
    /// Rows of the file that could not be read (a number that is not one): not matched, and
    /// named to the user.
    pub unreadable: Vec<DataProblem>,
}

/// The form in which names are compared: no spaces, full-width letters and digits folded,
/// letters lower-cased. What is stored is the name as written.
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// A value of a column, before and after a change. Units are referred to by their place in
/// the world, since a unit created by this import has no id until it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum V {
    Null,
    Text(String),
    Int(i64),
    Unit(usize),
}

impl V {
    fn text_opt(text: Option<&str>) -> V {
        text.map_or(V::Null, |t| V::Text(t.to_string()))
    }
    fn int_opt(n: Option<i64>) -> V {
        n.map_or(V::Null, V::Int)
    }
    fn unit_opt(unit: Option<usize>) -> V {
        unit.map_or(V::Null, V::Unit)
    }
}

#[derive(Debug, Clone)]
pub struct Change {
    /// The column of the contract table.
    pub column: &'static str,
    pub before: V,
    pub after: V,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    Street(usize),
    Community(usize),
    Unit(usize),
    Contract(usize),
    Resource(usize),
    Need(usize),
    Project(usize),
    Meeting(usize),
    Activity(usize),
}

#[derive(Debug, Clone)]
pub struct Op {
    pub target: Target,
    /// Created (else updated with `changes`).
    pub created: bool,
    pub changes: Vec<Change>,
    /// The file whose row asked for it (the log's reason names it).
    pub file: usize,
}

/// What the rows of one list did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Debug, Default)]
pub struct Plan {
    pub world: World,
    pub ops: Vec<Op>,
    pub counts: BTreeMap<List, Counts>,
    pub problems: Vec<Problem>,
    /// Projects (places in the world) that a row marks done without a completion date: they
    /// are imported without one (no figure uses it) and named in the summary.
    pub done_without_date: Vec<usize>,
}

/// A row's place: (sheet, row).
type At = (usize, u32);

enum Outcome {
    Created,
    Updated,
    Unchanged,
}

enum Found {
    One(usize),
    None,
    Several(Vec<usize>),
}

/// Among the entities whose names share a key, the one with exactly this name, or the only one.
fn pick(candidates: Option<&Vec<usize>>, exact: impl Fn(usize) -> bool) -> Found {
    match candidates.map(Vec::as_slice) {
        None | Some([]) => Found::None,
        Some([one]) => Found::One(*one),
        Some(many) => {
            let exact: Vec<usize> = many.iter().copied().filter(|i| exact(*i)).collect();
            match exact.as_slice() {
                [one] => Found::One(*one),
                _ => Found::Several(many.to_vec()),
            }
        }
    }
}

/// Loads what the records can touch, through the store's row readers. Tables of lists that no
/// sheet holds are not read. A row another tool left unreadable (a number that is not one) is
/// not matched; it is named in `World::unreadable` instead of failing the import.
pub fn load(conn: &Connection, lists: &HashSet<List>) -> Result<World> {
    let mut w = World::default();
    let mut unreadable = Vec::new();
    let p = &mut unreadable;
    let mut street_at = HashMap::new();
    for s in rows::street::all(conn, p)? {
        street_at.insert(s.id, w.streets.len());
        w.street_by_name
            .entry(name_key(&s.name))
            .or_default()
            .push(w.streets.len());
        w.streets.push(Ent::loaded(s.id, s.name));
    }
    let mut community_at = HashMap::new();
    for c in rows::community::all(conn, p)? {
        // A community whose street is missing (another tool's doing) cannot be matched by
        // street; it is still found by its name.
        let street = match street_at.get(&c.street_id) {
            Some(s) => *s,
            None => {
                let at = w.streets.len();
                w.streets
                    .push(Ent::loaded(c.street_id, format!("#{}", c.street_id)));
                street_at.insert(c.street_id, at);
                at
            }
        };
        community_at.insert(c.id, w.communities.len());
        w.community_by_name
            .entry(name_key(&c.name))
            .or_default()
            .push(w.communities.len());
        w.communities.push(Ent::loaded(
            c.id,
            CommunityV {
                street,
                name: c.name,
            },
        ));
    }
    let mut unit_at = HashMap::new();
    for u in rows::unit::all(conn, p)? {
        unit_at.insert(u.id, w.units.len());
        w.unit_by_name
            .entry(name_key(&u.name))
            .or_default()
            .push(w.units.len());
        w.units.push(Ent::loaded(
            u.id,
            UnitV {
                name: u.name,
                kind: u.kind,
            },
        ));
    }
    let community = |id: i64| community_at.get(&id).copied();
    let unit = |id: i64| unit_at.get(&id).copied();

    if lists.contains(&List::Contracts) {
        for c in rows::contract::all(conn, p)? {
            if let (Some(community), Some(unit)) = (community(c.community_id), unit(c.unit_id)) {
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
    if lists.contains(&List::Resources) {
        for r in rows::resource::all(conn, p)? {
            if let (Some(community), Some(unit)) = (community(r.community_id), unit(r.unit_id)) {
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
    if lists.contains(&List::Needs) {
        for n in rows::need::all(conn, p)? {
            if let Some(community) = community(n.community_id) {
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
    let mut project_at = HashMap::new();
    if lists.contains(&List::Projects) || lists.contains(&List::Activities) {
        for r in rows::project::all(conn, p)? {
            if let Some(community) = community(r.community_id) {
                project_at.insert(r.id, w.projects.len());
                w.project_by
                    .entry((community, name_key(&r.title)))
                    .or_default()
                    .push(w.projects.len());
                w.projects.push(Ent::loaded(
                    r.id,
                    ProjectV {
                        community,
                        title: r.title,
                        unit: r.unit_id.and_then(unit),
                        due_on: r.due_on,
                        status: r.status,
                        done_on: r.done_on,
                    },
                ));
            }
        }
    }
    if lists.contains(&List::Meetings) {
        for m in rows::meeting::all(conn, p)? {
            if let Some(community) = community(m.community_id) {
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
    if lists.contains(&List::Activities) {
        for a in rows::activity::all(conn, p)? {
            if let Some(project) = project_at.get(&a.project_id).copied() {
                w.activity_by
                    .entry((project, a.held_on.clone()))
                    .or_default()
                    .push(w.activities.len());
                w.activities.push(Ent::loaded(
                    a.id,
                    ActivityV {
                        project,
                        held_on: a.held_on,
                        planned: a.planned,
                        actual: a.actual,
                    },
                ));
            }
        }
    }
    w.unreadable = unreadable;
    Ok(w)
}

/// Applies every record to the world; returns the operations and the problems found.
pub fn plan(world: World, parsed: &Parsed) -> Plan {
    let mut planner = Planner {
        plan: Plan {
            world,
            ..Plan::default()
        },
        parsed,
        meeting_seen: HashMap::new(),
        activity_seen: HashMap::new(),
        broken: parsed
            .broken
            .iter()
            .filter(|b| b.list == List::Projects)
            .filter_map(|b| Some((name_key(&b.place.community), name_key(b.project.as_ref()?))))
            .collect(),
    };
    for record in &parsed.records {
        let list = parsed.sheets[record.sheet].list();
        if let Some(outcome) = planner.apply(record) {
            let counts = planner.plan.counts.entry(list).or_default();
            match outcome {
                Outcome::Created => counts.created += 1,
                Outcome::Updated => counts.updated += 1,
                Outcome::Unchanged => counts.unchanged += 1,
            }
        }
    }
    for broken in &parsed.broken {
        planner.check_broken(broken);
    }
    planner.plan
}

struct Planner<'a> {
    plan: Plan,
    parsed: &'a Parsed,
    /// How many rows of the import named each (community, kind, day) meeting so far: the n-th
    /// such row is the n-th such meeting of the file.
    meeting_seen: HashMap<(usize, String, String), usize>,
    activity_seen: HashMap<(usize, String), usize>,
    broken: HashSet<(String, String)>,
}

impl Planner<'_> {
    fn file_of(&self, at: At) -> usize {
        self.parsed.sheets[at.0].file
    }

    fn problem(
        &mut self,
        at: At,
        field: Option<Field>,
        value: Option<String>,
        what: Bilingual,
        accepted: Option<Bilingual>,
    ) {
        let p = self
            .parsed
            .problem_at(at.0, at.1, field, value, what, accepted);
        self.plan.problems.push(p);
    }

    /// Two rows of the import give the same thing different values.
    fn conflict(&mut self, at: At, earlier: (usize, u32)) {
        let sheet = &self.parsed.sheets[earlier.0];
        let file = &self.parsed.sources[sheet.file].shown;
        let (zh_where, en_where) = match &sheet.name {
            Some(name) => (
                format!("{file} 工作表「{name}」第 {} 行", earlier.1),
                format!("{file}, sheet \"{name}\", row {}", earlier.1),
            ),
            None => (
                format!("{file} 第 {} 行", earlier.1),
                format!("{file}, row {}", earlier.1),
            ),
        };
        self.problem(at,
            None,
            None,
            Bilingual::new(
                format!("与 {zh_where}是同一条记录，但内容不同，无法确定以哪一行为准"),
                format!("lists the same item as {en_where} with different values; it is unclear which is right"),
            ),
            Some(Bilingual::new(
                "同一条记录只写一行，或两行内容一致",
                "each item on one row, or identical rows",
            )),
        );
    }

    fn push_op(&mut self, target: Target, created: bool, changes: Vec<Change>, file: usize) {
        self.plan.ops.push(Op {
            target,
            created,
            changes,
            file,
        });
    }

    fn street(&mut self, name: &str, file: usize) -> usize {
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
    fn community(&mut self, at: At, place: &Place, create: bool) -> Option<(usize, bool)> {
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

    fn missing_community(&mut self, at: At, place: &Place) {
        let list = self.parsed.sheets[at.0].list();
        let (what, accepted) = if list == List::Activities {
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

    fn unit(&mut self, name: &str, kind: Option<&str>, file: usize) -> (usize, bool) {
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

    /// Several rows of the file share the name of the item a row names (another tool wrote
    /// them): the import cannot tell which one to change.
    fn several_in_file(&mut self, at: At, field: Field, value: &str, ids: Vec<i64>) {
        let ids: Vec<String> = ids.iter().map(|i| format!("#{i}")).collect();
        self.problem(at,
            Some(field),
            Some(value.to_string()),
            Bilingual::new(
                format!("数据库中有多条同名记录（{}），无法确定更新哪一条", ids.join("、")),
                format!("the database holds several items of this name ({}); it is unclear which to update", ids.join(", ")),
            ),
            Some(Bilingual::new(
                "先在数据库中改名或合并重名记录",
                "rename or merge the duplicates in the database first",
            )),
        );
    }

    /// Records what a row changes on an entity it found, unless an earlier row of the import
    /// set it differently.
    fn settle(
        &mut self,
        at: At,
        target: Target,
        set_by: Option<(usize, u32)>,
        changes: Vec<Change>,
    ) -> Option<Outcome> {
        if changes.is_empty() {
            return Some(Outcome::Unchanged);
        }
        if let Some(earlier) = set_by {
            self.conflict(at, earlier);
            return None;
        }
        let file = self.file_of(at);
        self.push_op(target, false, changes, file);
        Some(Outcome::Updated)
    }

    /// The project an activity names, in its community; `None` (and a problem) when there is
    /// none or several.
    fn find_project(&mut self, at: At, community: usize, project: &str) -> Option<usize> {
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

    /// A row with a problem of its own: also report the community or project it names that
    /// cannot be found, so that one round of fixes is enough.
    fn check_broken(&mut self, broken: &super::parse::Broken) {
        let at = (broken.sheet, broken.row);
        let activity = broken.list == List::Activities;
        if broken.place.street.is_some() && !activity {
            // The community would be created.
            return;
        }
        if activity
            && let Some(project) = &broken.project
            && self
                .broken
                .contains(&(name_key(&broken.place.community), name_key(project)))
        {
            return;
        }
        let Some((community, _)) = self.community(at, &broken.place, false) else {
            return;
        };
        if let (true, Some(project)) = (activity, &broken.project) {
            self.find_project(at, community, project);
        }
    }

    fn apply(&mut self, record: &Record) -> Option<Outcome> {
        let file = self.file_of(record.at());
        let here = Some(record.at());
        match &record.values {
            Values::Community { street, community } => {
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
            Values::Unit { name, kind } => {
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
            Values::Contract {
                place,
                unit,
                signed_on,
            } => {
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
                        let outcome =
                            self.settle(record.at(), Target::Contract(at), set_by, changes)?;
                        let ent = &mut self.plan.world.contracts[at];
                        ent.v.signed_on = signed_on;
                        ent.set_by = here;
                        Some(outcome)
                    }
                }
            }
            Values::Resource {
                place,
                unit,
                title,
                times_used,
            } => {
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
                        let outcome =
                            self.settle(record.at(), Target::Resource(at), set_by, changes)?;
                        let ent = &mut self.plan.world.resources[at];
                        if let Some(n) = times_used {
                            ent.v.times_used = *n;
                        }
                        ent.set_by = here;
                        Some(outcome)
                    }
                }
            }
            Values::Need {
                place,
                title,
                raised_on,
                source,
            } => {
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
                        if let Some(s) = source.map(NeedSource::code).filter(|s| *s != ent.v.source)
                        {
                            changes.push(Change {
                                column: "source",
                                before: V::Text(ent.v.source.clone()),
                                after: V::Text(s.to_string()),
                            });
                        }
                        let set_by = ent.set_by;
                        let outcome =
                            self.settle(record.at(), Target::Need(at), set_by, changes)?;
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
            Values::Project {
                place,
                title,
                lead,
                due_on,
                status,
                done_on,
            } => self.project(record, place, title, lead, *due_on, *status, *done_on),
            Values::Meeting {
                place,
                kind,
                held_on,
                attendees,
                note,
            } => {
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
                        let outcome =
                            self.settle(record.at(), Target::Meeting(at), None, changes)?;
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
            Values::Activity {
                place,
                project,
                held_on,
                planned,
                actual,
            } => {
                let broken = self
                    .broken
                    .contains(&(name_key(&place.community), name_key(project)));
                let community = if broken {
                    // Its project row has a problem of its own, reported already.
                    return None;
                } else {
                    self.community(record.at(), place, false)?.0
                };
                let project_at = self.find_project(record.at(), community, project)?;
                let held_on = format_ymd(*held_on);
                let key = (project_at, held_on.clone());
                let seen = self.activity_seen.entry(key.clone()).or_default();
                let nth = *seen;
                *seen += 1;
                let w = &mut self.plan.world;
                match w
                    .activity_by
                    .get(&key)
                    .and_then(|all| all.get(nth))
                    .copied()
                {
                    None => {
                        let at = w.activities.len();
                        w.activities.push(Ent {
                            id: None,
                            v: ActivityV {
                                project: project_at,
                                held_on,
                                planned: *planned,
                                actual: *actual,
                            },
                            set_by: here,
                        });
                        w.activity_by.entry(key).or_default().push(at);
                        self.push_op(Target::Activity(at), true, Vec::new(), file);
                        Some(Outcome::Created)
                    }
                    Some(at) => {
                        let ent = &w.activities[at];
                        let mut changes = Vec::new();
                        if ent.v.planned != *planned {
                            changes.push(Change {
                                column: "planned",
                                before: V::Int(ent.v.planned),
                                after: V::Int(*planned),
                            });
                        }
                        if ent.v.actual != *actual {
                            changes.push(Change {
                                column: "actual",
                                before: V::Int(ent.v.actual),
                                after: V::Int(*actual),
                            });
                        }
                        let outcome =
                            self.settle(record.at(), Target::Activity(at), None, changes)?;
                        let ent = &mut self.plan.world.activities[at];
                        ent.v.planned = *planned;
                        ent.v.actual = *actual;
                        Some(outcome)
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn project(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_across_spaces_width_and_case() {
        assert_eq!(name_key(" 区人民医院 "), name_key("区人民医院"));
        assert_eq!(name_key("ＡＢＣ银行"), name_key("abc银行"));
        assert_ne!(name_key("区人民医院"), name_key("市人民医院"));
    }
}
