//! What an import would change, worked out against the file before anything is written.
//!
//! The file's rows are loaded into a [`World`]; each record of the spreadsheets is applied to
//! it in turn (so that a project created by one row can be named by the next), and each
//! creation or change becomes an [`Op`]. Names are matched ignoring spaces, full-width letters
//! and letter case, so `区人民医院` and `区人民医院 ` are one unit.
//!
//! The shared core is here (the world, matching by name, conflicts between rows, the
//! operations); each list has its own file with what it loads and what one of its rows does.

mod activities;
mod contracts;
mod grades;
mod meetings;
mod members;
mod needs;
mod places;
mod projects;
mod resources;
mod services;
mod surveys;

use super::super::headers::{Field, List};
use super::super::{Bilingual, Problem};
use super::parse::{Parsed, Place, Record, Values};
use crate::dates::format_ymd;
use crate::error::Result;
use crate::model::{DataProblem, Status};
use crate::store::rows;
use crate::vocab::{Assessor, Grade, NeedSource, Subject};
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
    /// The need it answers (`project.need_id`) as stored; a link made by this import is an
    /// operation of its own.
    pub need_id: Option<i64>,
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
pub struct MemberV {
    pub community: usize,
    pub unit: Option<usize>,
    pub name: String,
    pub registered_on: String,
    pub left_on: Option<String>,
}
#[derive(Debug, Clone)]
pub struct SurveyV {
    pub project: usize,
    pub held_on: String,
    pub respondents: i64,
    pub satisfied: i64,
}
/// What a grade is about: a community, a unit or a contract (places in the world).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Graded {
    Community(usize),
    Unit(usize),
    Contract(usize),
}
impl Graded {
    pub fn subject(self) -> Subject {
        match self {
            Graded::Community(_) => Subject::Community,
            Graded::Unit(_) => Subject::Unit,
            Graded::Contract(_) => Subject::Contract,
        }
    }
}
#[derive(Debug, Clone)]
pub struct GradeV {
    pub year: i32,
    pub graded: Graded,
    pub assessor: Assessor,
    pub grade: Grade,
    pub note: String,
}
#[derive(Debug, Clone)]
pub struct ServiceV {
    pub member: usize,
    pub served_on: String,
    pub minutes: i64,
    pub project: Option<usize>,
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
    pub members: Vec<Ent<MemberV>>,
    pub services: Vec<Ent<ServiceV>>,
    pub surveys: Vec<Ent<SurveyV>>,
    pub grades: Vec<Ent<GradeV>>,
    street_by_name: HashMap<String, Vec<usize>>,
    community_by_name: HashMap<String, Vec<usize>>,
    unit_by_name: HashMap<String, Vec<usize>>,
    contract_by: HashMap<(usize, usize), Vec<usize>>,
    resource_by: HashMap<(usize, usize, String), Vec<usize>>,
    need_by: HashMap<(usize, String), Vec<usize>>,
    project_by: HashMap<(usize, String), Vec<usize>>,
    meeting_by: HashMap<(usize, String, String), Vec<usize>>,
    activity_by: HashMap<(usize, String), Vec<usize>>,
    member_by_name: HashMap<String, Vec<usize>>,
    service_by: HashMap<(usize, String), Vec<usize>>,
    survey_by: HashMap<(usize, String), Vec<usize>>,
    grade_by: HashMap<(i32, Graded, Assessor), usize>,
    /// Loaded projects by id (a survey or a need may name a project by its id).
    project_by_id: HashMap<i64, usize>,
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
    /// A need by its place in the world (it may be created by this import).
    Need(usize),
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
    Survey(usize),
    Member(usize),
    Service(usize),
    Grade(usize),
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

/// Where each loaded row of the file sits in the world, by id.
#[derive(Default)]
struct Ids {
    community_at: HashMap<i64, usize>,
    unit_at: HashMap<i64, usize>,
    project_at: HashMap<i64, usize>,
    member_at: HashMap<i64, usize>,
    contract_at: HashMap<i64, usize>,
}

impl Ids {
    fn community(&self, id: i64) -> Option<usize> {
        self.community_at.get(&id).copied()
    }

    fn unit(&self, id: i64) -> Option<usize> {
        self.unit_at.get(&id).copied()
    }
}

/// Loads what the records can touch, through the store's row readers. Tables of lists that no
/// sheet holds are not read. A row another tool left unreadable (a number that is not one) is
/// not matched; it is named in `World::unreadable` instead of failing the import.
pub fn load(conn: &dyn crate::store::rows::Source, lists: &HashSet<List>) -> Result<World> {
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
    let mut ids = Ids {
        community_at,
        unit_at,
        project_at: HashMap::new(),
        member_at: HashMap::new(),
        contract_at: HashMap::new(),
    };
    contracts::load(conn, lists, &mut w, p, &mut ids)?;
    resources::load(conn, lists, &mut w, p, &mut ids)?;
    needs::load(conn, lists, &mut w, p, &mut ids)?;
    projects::load(conn, lists, &mut w, p, &mut ids)?;
    meetings::load(conn, lists, &mut w, p, &mut ids)?;
    activities::load(conn, lists, &mut w, p, &mut ids)?;
    surveys::load(conn, lists, &mut w, p, &mut ids)?;
    members::load(conn, lists, &mut w, p, &mut ids)?;
    services::load(conn, lists, &mut w, p, &mut ids)?;
    grades::load(conn, lists, &mut w, p, &mut ids)?;
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
        service_seen: HashMap::new(),
        survey_seen: HashMap::new(),
        need_links: Vec::new(),
        last_need: None,
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
    planner.link_needs();
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
    service_seen: HashMap<(usize, String), usize>,
    survey_seen: HashMap<(usize, String), usize>,
    /// Needs whose row names the project answering them, linked once every row is applied
    /// (the project may be created by a later sheet of the import).
    need_links: Vec<needs::Link>,
    /// The need the last needs row found or created.
    last_need: Option<usize>,
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

    /// Applies one row to the world: what it creates or changes, or `None` with a problem.
    fn apply(&mut self, record: &Record) -> Option<Outcome> {
        match &record.values {
            Values::Community { .. } => self.apply_community(record),
            Values::Unit { .. } => self.apply_unit(record),
            Values::Contract { .. } => self.apply_contract(record),
            Values::Resource { .. } => self.apply_resource(record),
            Values::Need { .. } => self.apply_need(record),
            Values::Project {
                place,
                title,
                lead,
                due_on,
                status,
                done_on,
            } => self.project(record, place, title, lead, *due_on, *status, *done_on),
            Values::Meeting { .. } => self.apply_meeting(record),
            Values::Activity { .. } => self.apply_activity(record),
            Values::Survey { .. } => self.apply_survey(record),
            Values::Member { .. } => self.apply_member(record),
            Values::Service { .. } => self.apply_service(record),
            Values::Grade { .. } => self.apply_grade(record),
        }
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
