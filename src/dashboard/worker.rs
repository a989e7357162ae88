//! The background reader: its own connection to the file, so that the screen never waits on a
//! query. It reloads on request and whenever another connection commits (`PRAGMA
//! data_version`, polled a few times a second), and reports back on the event channel.

use super::event::Event;
use crate::error::Error;
use crate::i18n::Lang;
use crate::indicators::{CommunityFigures, Report};
use crate::store::{Access, Scope, Store, changes, load_project_detail};
use chrono::{DateTime, Local, NaiveDate};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How often the file is checked for other terminals' commits (and the clock for midnight).
/// A check is one `PRAGMA data_version` (microseconds); the wait for it is most of the time
/// before another terminal's write shows.
pub const POLL: Duration = Duration::from_millis(100);

/// After figures were re-read for the changed communities alone, the whole district is read
/// again this long after: a writer that switched the triggers off (so that its commit moved no
/// counter) and committed within the same poll as a counted write is shown at the latest then.
pub const FULL_AFTER_PARTIAL: Duration = Duration::from_secs(60);

/// More changed communities than this are read with the whole district (as quick by then).
pub(super) const MOST_PARTIAL: usize = 50;

/// Where "today" comes from when `--today` is not given: the machine's clock, or a test's.
pub type Clock = std::sync::Arc<dyn Fn() -> NaiveDate + Send + Sync>;

/// The machine's local date, read afresh each time.
pub fn system_clock() -> Clock {
    std::sync::Arc::new(crate::dates::local_today)
}

/// Everything the screens show, read at one moment.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub report: Report,
    /// Street id and name, by name, for the street picker.
    pub streets: Vec<(i64, String)>,
    /// Every unit (id, name, kind), by id, for the forms' lead-unit search.
    pub units: Vec<(i64, String, String)>,
    /// Rows the contract does not allow (left out of the figures).
    pub problems: usize,
    /// Decisions (督办事项) past their due date and not done, per community.
    pub overdue_decisions: HashMap<i64, u32>,
    /// Decisions not yet done, per community, overdue first then by due date.
    pub open_decisions: HashMap<i64, Vec<crate::review::Decision>>,
    /// Each community's needs (raised by residents), newest first, with whether a project
    /// (not cancelled) answers each: the need picker of the forms.
    pub needs: HashMap<i64, Vec<NeedChoice>>,
    pub loaded_at: DateTime<Local>,
    pub took: Duration,
    /// Each community's place in pinyin order of its street's name and of its own name
    /// (indexed as `report.communities`), worked out once per snapshot on first use: sorting
    /// by name then compares two numbers, and no keystroke computes a pinyin key.
    pub name_ranks: std::sync::OnceLock<Vec<(u32, u32)>>,
}

impl Snapshot {
    /// See [`Snapshot::name_ranks`]. Names that are equal have equal places.
    pub fn name_ranks(&self) -> &[(u32, u32)] {
        self.name_ranks.get_or_init(|| {
            let communities = &self.report.communities;
            let streets = ranks(communities.iter().map(|c| c.street.as_str()));
            let names = ranks(communities.iter().map(|c| c.name.as_str()));
            streets.into_iter().zip(names).collect()
        })
    }
}

/// The place of each name in pinyin order (equal names share one), its key computed once.
fn ranks<'a>(names: impl Iterator<Item = &'a str>) -> Vec<u32> {
    let names: Vec<&str> = names.collect();
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by_cached_key(|&i| (crate::text::name_key(names[i]), names[i]));
    let mut out = vec![0; names.len()];
    let mut place = 0;
    for (at, &i) in order.iter().enumerate() {
        if at > 0 && names[order[at - 1]] != names[i] {
            place = at as u32;
        }
        out[i] = place;
    }
    out
}

/// A need as the forms' picker lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedChoice {
    pub id: i64,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub raised_on: String,
    /// A project that is not cancelled answers it.
    pub answered: bool,
}

/// The figures of the communities another terminal's commit changed, read alone, and the
/// decisions (all of them: a handful of rows), to splice into the snapshot on screen.
#[derive(Debug, Clone)]
pub struct Refresh {
    /// Each changed community and its figures now (`None`: it is gone).
    pub communities: Vec<(i64, Option<CommunityFigures>)>,
    /// Each changed community's needs, for the forms' need picker.
    pub needs: Vec<(i64, Vec<NeedChoice>)>,
    pub overdue_decisions: HashMap<i64, u32>,
    pub open_decisions: HashMap<i64, Vec<crate::review::Decision>>,
    pub loaded_at: DateTime<Local>,
    pub took: Duration,
}

impl Snapshot {
    /// Puts a refresh's figures in place of the old ones of the same communities.
    pub fn splice(&mut self, refresh: Refresh) {
        let list = &mut self.report.communities;
        for (id, figures) in refresh.communities {
            match (list.iter().position(|c| c.id == id), figures) {
                (Some(i), Some(f)) => list[i] = f,
                (Some(i), None) => {
                    list.remove(i);
                }
                (None, Some(f)) => {
                    let at = list.partition_point(|c| c.id < id);
                    list.insert(at, f);
                }
                (None, None) => {}
            }
        }
        for (id, needs) in refresh.needs {
            if needs.is_empty() {
                self.needs.remove(&id);
            } else {
                self.needs.insert(id, needs);
            }
        }
        // Worked out again on first use (a community may have come or gone).
        self.name_ranks = std::sync::OnceLock::new();
        self.overdue_decisions = refresh.overdue_decisions;
        self.open_decisions = refresh.open_decisions;
        self.loaded_at = refresh.loaded_at;
        self.took = refresh.took;
    }
}

#[derive(Debug)]
pub enum Request {
    Reload,
    ProjectDetail(i64),
    /// The sessions of these projects this year up to today, for the sparklines of the
    /// community on screen (read only for it: at city scale every flagged project's would
    /// double the refresh).
    Sessions(Vec<i64>),
    /// The projects of one community, for the community screen's project list (read when the
    /// screen opens: holding every project of a city's district would make the dashboard's
    /// memory grow with the district, not with what is on screen).
    Projects(i64),
}

/// Reads a snapshot for `today` (or the local date, read afresh, so a dashboard left open
/// past midnight moves on).
pub fn read_snapshot(store: &Store, today: Option<NaiveDate>) -> Result<Snapshot, Error> {
    Ok(read_counted(store, today.unwrap_or_else(crate::dates::local_today))?.0)
}

/// [`read_snapshot`], with the change counters of the same moment (`None`: not to be trusted).
fn read_counted(store: &Store, today: NaiveDate) -> Result<(Snapshot, Counters), Error> {
    let started = Instant::now();
    // One moment of the file for every read below.
    let tx = store.conn().unchecked_transaction()?;
    let counters = changes::read(&tx)?;
    let built = crate::report::build(&tx, today)?;
    let all_decisions = crate::review::decisions(&tx, None, today)?;
    tx.finish()?;
    Ok((assemble(built, all_decisions, started), counters))
}

/// The snapshot made of one read of the district (either engine) and its decisions.
pub(super) fn assemble(
    built: crate::report::Built,
    all_decisions: Vec<crate::review::Decision>,
    started: Instant,
) -> Snapshot {
    let (report, district) = (built.report, built.district);
    let mut streets: Vec<(i64, String)> = district
        .streets
        .iter()
        .map(|s| (s.id, s.name.clone()))
        .collect();
    streets.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    let units = district
        .units
        .iter()
        .map(|u| (u.id, u.name.clone(), u.kind.clone()))
        .collect();
    let needs = need_choices(&district);
    drop(district);
    let (overdue_decisions, open_decisions) = by_community(all_decisions);
    let problems = built.problems.len();
    Snapshot {
        needs,
        overdue_decisions,
        open_decisions,
        report,
        streets,
        units,
        problems,
        loaded_at: Local::now(),
        name_ranks: std::sync::OnceLock::new(),
        took: started.elapsed(),
    }
}

/// Each community's needs as the forms' picker lists them: those waiting first, then the newest.
fn need_choices(district: &crate::model::District) -> HashMap<i64, Vec<NeedChoice>> {
    let answered: std::collections::HashSet<i64> = district
        .need_links
        .iter()
        .filter(|l| l.status != crate::model::Status::Cancelled)
        .map(|l| l.need_id)
        .collect();
    let mut needs: HashMap<i64, Vec<NeedChoice>> = HashMap::new();
    for n in &district.needs {
        needs.entry(n.community_id).or_default().push(NeedChoice {
            id: n.id,
            title: n.title.clone(),
            raised_on: crate::dates::format_ymd(n.raised_on),
            answered: answered.contains(&n.id),
        });
    }
    for list in needs.values_mut() {
        // Those waiting first, then the newest.
        list.sort_by(|a, b| {
            a.answered
                .cmp(&b.answered)
                .then(b.raised_on.cmp(&a.raised_on))
                .then(a.id.cmp(&b.id))
        });
    }
    needs
}

/// The change counters by community, as `store::changes::read` gives them.
type Counters = Option<changes::Counters>;

/// Open decisions per community.
type OpenDecisions = HashMap<i64, Vec<crate::review::Decision>>;

/// Decisions per community: how many are overdue, and those not done (overdue first, then by
/// due date).
fn by_community(all: Vec<crate::review::Decision>) -> (HashMap<i64, u32>, OpenDecisions) {
    let mut open_decisions: OpenDecisions = HashMap::new();
    let mut overdue_decisions: HashMap<i64, u32> = HashMap::new();
    for d in all {
        if d.state == crate::review::DecisionState::Overdue {
            *overdue_decisions.entry(d.community_id).or_default() += 1;
        }
        if d.state.is_open() {
            open_decisions.entry(d.community_id).or_default().push(d);
        }
    }
    for list in open_decisions.values_mut() {
        list.sort_by(|a, b| {
            b.days_overdue
                .cmp(&a.days_overdue)
                .then(a.due_on.cmp(&b.due_on))
                .then(a.id.cmp(&b.id))
        });
    }
    (overdue_decisions, open_decisions)
}

/// Reads the communities whose change counters moved since `seen`, alone, for `today`; `None`
/// when the whole district must be read instead: the counters cannot be trusted, "everything"
/// moved (a street, unit, community or setting), nothing moved (so the commit went around the
/// counters: gongjian's own tables, or a writer with triggers off), too many moved, or the
/// file has rows the contract does not allow (their count on screen is the district's).
pub fn read_changed(
    store: &Store,
    today: NaiveDate,
    seen: &changes::Counters,
) -> Result<Option<(Refresh, changes::Counters)>, Error> {
    let started = Instant::now();
    let tx = store.conn().unchecked_transaction()?;
    let Some(now) = changes::read(&tx)? else {
        return Ok(None);
    };
    let Some(ids) = changes::changed(seen, &now) else {
        return Ok(None);
    };
    if ids.is_empty() || ids.len() > MOST_PARTIAL {
        return Ok(None);
    }
    let refresh = read_communities(&tx, today, &ids, started)?;
    tx.finish()?;
    Ok(refresh.map(|refresh| (refresh, now)))
}

/// The figures and needs of `ids` alone, and every decision, read from `src` (either engine,
/// inside one read transaction); `None` when a community has rows the contract does not allow
/// (the count on screen is the district's: read whole instead).
pub(super) fn read_communities(
    src: &dyn crate::store::rows::Source,
    today: NaiveDate,
    ids: &[i64],
    started: Instant,
) -> Result<Option<Refresh>, Error> {
    let mut communities = Vec::with_capacity(ids.len());
    let mut needs = Vec::with_capacity(ids.len());
    for &id in ids {
        let built = crate::report::build_on(src, today, Scope::Community(id))?;
        if !built.problems.is_empty() {
            return Ok(None);
        }
        let figures = built.report.communities.into_iter().find(|c| c.id == id);
        communities.push((id, figures));
        let mut choices = need_choices(&built.district);
        needs.push((id, choices.remove(&id).unwrap_or_default()));
    }
    let (overdue_decisions, open_decisions) =
        by_community(crate::review::decisions_on(src, None, today)?);
    Ok(Some(Refresh {
        communities,
        needs,
        overdue_decisions,
        open_decisions,
        loaded_at: Local::now(),
        took: started.elapsed(),
    }))
}

/// Runs until the event channel closes. Without a fixed `today`, the figures are read for
/// `clock`'s day, and read again as soon as that day changes (midnight), not only when another
/// program commits.
pub fn run(
    path: PathBuf,
    today: Option<NaiveDate>,
    clock: Clock,
    lang: Lang,
    requests: Receiver<Request>,
    events: Sender<Event>,
) {
    let day = || today.unwrap_or_else(|| clock());
    let mut read_for: Option<NaiveDate> = None;
    let store = match Store::open(&path, Access::ReadOnly) {
        Ok(store) => store,
        Err(e) => {
            let _ = events.send(Event::LoadFailed(e.message(lang)));
            return;
        }
    };
    let mut seen_version: Option<i64> = None;
    let mut wanted = Some(Wanted::Full);
    // The change counters as of the figures on screen (`None`: read everything next time).
    let mut counters: Counters = None;
    // When the whole district is read again after reads of changed communities alone.
    let mut full_due: Option<Instant> = None;
    // The figures on screen count no row the contract does not allow: a partial read could not
    // tell that such a row was put right, so a file with any is read whole.
    let mut clean = false;
    loop {
        if let Some(want) = wanted.take() {
            let version = store.data_version().ok();
            let for_day = day();
            let partial = match (want, &counters) {
                (Wanted::Changed, Some(seen)) if clean && read_for == Some(for_day) => {
                    read_changed(&store, for_day, seen)
                }
                _ => Ok(None),
            };
            let read = match partial {
                Ok(Some((refresh, now))) => {
                    counters = Some(now);
                    full_due.get_or_insert_with(|| Instant::now() + FULL_AFTER_PARTIAL);
                    Ok(Event::Refreshed(Box::new(refresh)))
                }
                Ok(None) => read_counted(&store, for_day).map(|(snapshot, now)| {
                    counters = now;
                    clean = snapshot.problems == 0;
                    full_due = None;
                    read_for = Some(for_day);
                    Event::Loaded(Box::new(snapshot))
                }),
                Err(e) => Err(e),
            };
            let event = match read {
                Ok(event) => {
                    seen_version = version;
                    event
                }
                Err(e) => {
                    if e.is_busy() {
                        // Read again once the lock is gone, even if nothing was committed.
                        seen_version = None;
                    }
                    Event::LoadFailed(failure(&e, lang))
                }
            };
            if events.send(event).is_err() {
                return;
            }
        }
        match requests.recv_timeout(POLL) {
            Ok(Request::Reload) => {
                wanted.get_or_insert(Wanted::Changed);
            }
            Ok(Request::ProjectDetail(id)) => {
                let event = match load_project_detail(store.conn(), id) {
                    Ok(detail) => Event::Detail(id, detail.map(Box::new)),
                    Err(e) => Event::DetailFailed(id, e.message(lang)),
                };
                if events.send(event).is_err() {
                    return;
                }
            }
            Ok(Request::Sessions(projects)) => {
                // A failure here only leaves the sparklines empty; the figures say the rest.
                if let Ok(sessions) = crate::store::load_sessions(store.conn(), &projects, day())
                    && events.send(Event::Sessions(sessions)).is_err()
                {
                    return;
                }
            }
            Ok(Request::Projects(community)) => {
                let event = match crate::store::load_community_projects(store.conn(), community) {
                    Ok(list) => Event::Projects(community, Ok(list)),
                    Err(e) => Event::Projects(community, Err(e.message(lang))),
                };
                if events.send(event).is_err() {
                    return;
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                // Past midnight: the figures are for another day now. And the whole district
                // is read again a while after reads of changed communities alone.
                if read_for.is_some_and(|d| d != day())
                    || full_due.is_some_and(|due| Instant::now() >= due)
                {
                    wanted = Some(Wanted::Full);
                }
                // Another terminal or tool committed: read what it changed.
                match store.data_version() {
                    Ok(v) if Some(v) != seen_version => {
                        wanted.get_or_insert(Wanted::Changed);
                    }
                    Ok(_) => {}
                    Err(e) => {
                        seen_version = None;
                        if events.send(Event::LoadFailed(failure(&e, lang))).is_err() {
                            return;
                        }
                    }
                }
            }
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// What the reader reads next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wanted {
    /// The communities whose change counters moved, alone, when that is enough.
    Changed,
    /// The whole district.
    Full,
}

/// Why the figures on screen could not be refreshed; a held lock is said plainly.
pub(super) fn failure(error: &Error, lang: Lang) -> String {
    if error.is_busy() {
        lang.pick(
            "数据库正忙：另一个程序持有锁，稍后自动重试",
            "the database is busy: another program holds its lock; retrying",
        )
        .to_string()
    } else {
        error.message(lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, Ordering};

    fn day(text: &str) -> NaiveDate {
        crate::dates::parse_ymd(text).expect("date")
    }

    /// A clock the test moves: days since 2026-11-28.
    fn test_clock() -> (Clock, Arc<AtomicI64>) {
        let offset = Arc::new(AtomicI64::new(0));
        let read = offset.clone();
        let clock: Clock = Arc::new(move || {
            day("2026-11-28") + chrono::Duration::days(read.load(Ordering::SeqCst))
        });
        (clock, offset)
    }

    fn next_loaded(events: &Receiver<Event>, within: Duration) -> Option<String> {
        let deadline = Instant::now() + within;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match events.recv_timeout(left) {
                Ok(Event::Loaded(snapshot)) => return Some(snapshot.report.today.clone()),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
        None
    }

    /// Issue 14.1: the figures moved to the new day only when another program committed.
    #[test]
    fn the_figures_move_to_the_new_day_at_midnight_without_any_commit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("demo.db");
        let mut store = Store::create(&path).expect("create");
        crate::store::load_demo(&mut store, day("2026-11-28")).expect("demo");
        drop(store);
        let (clock, offset) = test_clock();
        let (requests_tx, requests) = std::sync::mpsc::channel();
        let (events_tx, events) = std::sync::mpsc::channel();
        let worker = std::thread::spawn(move || {
            run(path, None, clock, Lang::En, requests, events_tx);
        });
        let wait = Duration::from_secs(20);
        assert_eq!(next_loaded(&events, wait).as_deref(), Some("2026-11-28"));
        offset.store(1, Ordering::SeqCst);
        assert_eq!(next_loaded(&events, wait).as_deref(), Some("2026-11-29"));
        // No reread while the day stays the same and nobody commits.
        assert_eq!(next_loaded(&events, POLL * 4), None);
        drop(requests_tx);
        worker.join().expect("worker ends");
    }

    /// A generated district of 12 communities, written and read as the dashboard would.
    fn generated() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("g.db");
        let mut store = Store::create(&path).expect("create");
        let spec = crate::generate::Spec {
            communities: 12,
            projects_per_community: 15,
            activities_per_project: 4,
            seed: 3,
            today: day("2026-11-28"),
        };
        crate::generate::fill(&mut store, &spec).expect("generate");
        (dir, path)
    }

    /// Issue 16.3: after each kind of write by another connection, the changed communities
    /// read alone and spliced into the figures on screen give exactly what a whole read gives;
    /// writes that can change everything, or that went around the counters, are read whole.
    #[test]
    fn a_refresh_of_the_changed_communities_equals_a_whole_read() {
        let (_dir, path) = generated();
        let today = day("2026-11-28");
        let reader = Store::open(&path, Access::ReadOnly).expect("reader");
        let writer = rusqlite::Connection::open(&path).expect("writer");
        let (mut on_screen, counters) = read_counted(&reader, today).expect("read");
        let mut seen = counters.expect("counters trusted");
        let project_of = |community: i64| -> i64 {
            writer
                .query_row(
                    "SELECT min(id) FROM project WHERE community_id = ?1",
                    [community],
                    |r| r.get(0),
                )
                .expect("project")
        };
        let (p2, p5) = (project_of(2), project_of(5));
        let writes: Vec<(String, Vec<i64>)> = vec![
            (
                format!("INSERT INTO activity (project_id, held_on, planned, actual) VALUES ({p2}, '2026-11-27', 40, 1)"),
                vec![2],
            ),
            (format!("UPDATE project SET status = 'done', done_on = '2026-11-27' WHERE id = {p5}"), vec![5]),
            (format!("UPDATE project SET community_id = 3 WHERE id = {p5}"), vec![3, 5]),
            ("INSERT INTO meeting (community_id, kind, held_on) VALUES (4, 'quarterly', '2026-02-01')".into(), vec![4]),
            (format!("INSERT INTO survey (project_id, held_on, respondents, satisfied) VALUES ({p2}, '2026-11-01', 10, 2)"), vec![2]),
            ("INSERT INTO member (community_id, name, registered_on) VALUES (7, '张三', '2026-01-05')".into(), vec![7]),
            ("INSERT INTO service (member_id, served_on, minutes) SELECT max(id), '2026-11-03', 90 FROM member WHERE community_id = 7".into(), vec![7]),
            ("DELETE FROM resource WHERE community_id = 8".into(), vec![8]),
            (
                "INSERT INTO need (community_id, title, raised_on) VALUES (9, '加装电梯', '2026-10-01');
                 INSERT INTO activity (project_id, held_on, planned, actual)
                   SELECT id, '2026-11-26', 5, 5 FROM project WHERE community_id = 10 LIMIT 1;"
                    .into(),
                vec![9, 10],
            ),
        ];
        for (sql, expect) in writes {
            writer.execute_batch(&sql).expect("write");
            let (refresh, now) = read_changed(&reader, today, &seen)
                .expect("read")
                .unwrap_or_else(|| panic!("read alone after {sql}"));
            let ids: Vec<i64> = refresh.communities.iter().map(|(id, _)| *id).collect();
            assert_eq!(ids, expect, "{sql}");
            on_screen.splice(refresh);
            seen = now;
            let whole = read_snapshot(&reader, Some(today)).expect("whole");
            assert_eq!(on_screen.report, whole.report, "after {sql}");
            assert_eq!(on_screen.needs, whole.needs, "after {sql}");
            assert_eq!(on_screen.open_decisions.len(), whole.open_decisions.len());
        }
        // A street renamed: everything is read.
        writer
            .execute_batch("UPDATE street SET name = name || '新' WHERE id = 1")
            .expect("write");
        assert!(read_changed(&reader, today, &seen).expect("read").is_none());
        let (_, now) = read_counted(&reader, today).expect("read");
        seen = now.expect("counters");
        // A writer with its triggers switched off moves no counter: everything is read.
        writer
            .set_db_config(
                rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER,
                false,
            )
            .expect("triggers off");
        writer
            .execute_batch("DELETE FROM meeting WHERE community_id = 6")
            .expect("write");
        assert!(read_changed(&reader, today, &seen).expect("read").is_none());
    }

    /// The forms check dates against the clock's day, not the day of the figures on screen.
    #[test]
    fn forms_take_the_new_day_at_midnight() {
        let (clock, offset) = test_clock();
        let mut app = super::super::app::App::new(Lang::Zh, "demo.db".into(), false, None);
        app.clock = clock;
        assert_eq!(app.today(), day("2026-11-28"));
        offset.store(1, Ordering::SeqCst);
        assert_eq!(app.today(), day("2026-11-29"));
        let fixed =
            super::super::app::App::new(Lang::Zh, "demo.db".into(), false, Some(day("2026-01-05")));
        assert_eq!(fixed.today(), day("2026-01-05"), "--today stays fixed");
    }
}
