//! The background reader: its own connection to the file, so that the screen never waits on a
//! query. It reloads on request and whenever another connection commits (`PRAGMA
//! data_version`, polled a few times a second), and reports back on the event channel.

use super::event::Event;
use crate::error::Error;
use crate::i18n::Lang;
use crate::indicators::Report;
use crate::store::{Access, Store, load_project_detail};
use chrono::{DateTime, Local, NaiveDate};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How often the file is checked for other terminals' commits (and the clock for midnight).
/// A check is one `PRAGMA data_version` (microseconds); the wait for it is most of the time
/// before another terminal's write shows.
pub const POLL: Duration = Duration::from_millis(100);

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
    let started = Instant::now();
    let today = today.unwrap_or_else(crate::dates::local_today);
    // One moment of the file for every read below.
    let tx = store.conn().unchecked_transaction()?;
    let built = crate::report::build(&tx, today)?;
    let all_decisions = crate::review::decisions(&tx, None, today)?;
    tx.finish()?;
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
    let mut open_decisions: HashMap<i64, Vec<crate::review::Decision>> = HashMap::new();
    let mut overdue_decisions: HashMap<i64, u32> = HashMap::new();
    for d in all_decisions {
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
    let problems = built.problems.len();
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
    Ok(Snapshot {
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
    })
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
    let mut pending_reload = true;
    loop {
        if pending_reload {
            pending_reload = false;
            let version = store.data_version().ok();
            let for_day = day();
            let event = match read_snapshot(&store, Some(for_day)) {
                Ok(snapshot) => {
                    seen_version = version;
                    read_for = Some(for_day);
                    Event::Loaded(Box::new(snapshot))
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
            Ok(Request::Reload) => pending_reload = true,
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
                // Past midnight: the figures are for another day now.
                if read_for.is_some_and(|d| d != day()) {
                    pending_reload = true;
                }
                // Another terminal or tool committed: read again.
                match store.data_version() {
                    Ok(v) if Some(v) != seen_version => pending_reload = true,
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

/// Why the figures on screen could not be refreshed; a held lock is said plainly.
fn failure(error: &Error, lang: Lang) -> String {
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
