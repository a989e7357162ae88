//! The background reader on a PostgreSQL database: the same snapshot, partial refreshes and
//! replies as the file's reader (`worker.rs`), read through the same row readers in one
//! read-only REPEATABLE READ transaction each. Another connection's commit is known by the
//! notifications the district's triggers send (`store/pg/notify.rs`): the reader listens on its
//! own connection and, between requests, takes what has arrived, then reads the communities
//! named (or the whole district for `''`).
//!
//! When the connection is lost (the server restarted, the session ended by an administrator,
//! the network gone), the figures on screen stay, the header says so, and the reader connects
//! again with a growing pause until it succeeds; then it reads the whole district (the
//! notifications sent meanwhile are lost with the connection).

use super::event::Event;
use super::worker::{Clock, POLL, Request, Wanted, assemble, failure, read_communities};
use crate::error::Error;
use crate::i18n::Lang;
use crate::store::Access;
use crate::store::pg::{PgStore, PgUrl};
use chrono::NaiveDate;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// Without notifications (the triggers are missing and this role may not make them), the
/// district is read again this often.
pub const WITHOUT_NOTIFY: Duration = Duration::from_secs(10);

/// The connection is checked this often while nothing else is sent on it, so that a lost one
/// is noticed (and said) within this time even when nobody writes.
pub const PROBE: Duration = Duration::from_secs(2);

/// How long each look for notifications waits (between looks for the screen's requests).
const LOOK: Duration = Duration::from_millis(2);

/// The pauses between attempts to connect again: from the first to the longest.
pub const RETRY_FIRST: Duration = Duration::from_millis(250);
pub const RETRY_LONGEST: Duration = Duration::from_secs(5);

/// What the header says while the connection is lost (the figures on screen stay).
pub fn lost_text(lang: Lang) -> &'static str {
    lang.pick(
        "与数据库的连接已断开，正在重连…",
        "connection to the database lost, reconnecting…",
    )
}

/// What the reader knows about the figures on screen.
struct Seen {
    /// The day they are for.
    read_for: Option<NaiveDate>,
    /// They count no row the contract does not allow (a partial read is then exact).
    clean: bool,
    /// When the whole district is read again after partial reads.
    full_due: Option<Instant>,
}

/// The reader's connection and what it listens for.
struct Live {
    store: PgStore,
    /// The triggers send notifications: no need to read again and again.
    notified: bool,
    last_used: Instant,
    /// When the figures were last read (without notifications, the next whole read is due
    /// [`WITHOUT_NOTIFY`] after it).
    read_at: Instant,
}

/// Runs until the event channel closes (see the module's comment).
pub fn run(
    url: PgUrl,
    today: Option<NaiveDate>,
    clock: Clock,
    lang: Lang,
    requests: Receiver<Request>,
    events: Sender<Event>,
) {
    let day = || today.unwrap_or_else(|| clock());
    let mut live: Option<Live> = None;
    let mut retry_at = Instant::now();
    let mut pause = RETRY_FIRST;
    // Whether the connection was lost (and said so) since the last read.
    let mut lost = false;
    let mut wanted: Option<Wanted> = Some(Wanted::Full);
    // Communities named by notifications since the last read (`None` in `wanted`'s place:
    // everything).
    let mut named: Vec<i64> = Vec::new();
    let mut seen = Seen {
        read_for: None,
        clean: false,
        full_due: None,
    };
    loop {
        if live.is_none() && Instant::now() >= retry_at {
            match connect(&url) {
                Ok(l) => {
                    live = Some(l);
                    pause = RETRY_FIRST;
                    wanted = Some(Wanted::Full);
                }
                Err(e) => {
                    retry_at = Instant::now() + pause;
                    pause = (pause * 2).min(RETRY_LONGEST);
                    // While lost, the header already says so; before the first figures, why
                    // there are none.
                    if !lost && events.send(Event::LoadFailed(e.message(lang))).is_err() {
                        return;
                    }
                }
            }
        }
        if let Some(l) = live.as_mut()
            && let Some(want) = wanted.take()
        {
            let for_day = day();
            let ids = std::mem::take(&mut named);
            let event = read(l, want, &ids, for_day, &mut seen);
            l.last_used = Instant::now();
            l.read_at = l.last_used;
            let event = match event {
                Ok(event) => {
                    lost = false;
                    event
                }
                Err(_) if l.store.is_closed() => {
                    live = None;
                    lost = true;
                    wanted = Some(Wanted::Full);
                    Event::Disconnected(lost_text(lang).to_string())
                }
                Err(e) => Event::LoadFailed(failure(&e, lang)),
            };
            if events.send(event).is_err() {
                return;
            }
        }
        let wait = if live.is_some() {
            POLL
        } else {
            retry_at
                .saturating_duration_since(Instant::now())
                .clamp(Duration::from_millis(10), POLL)
        };
        match requests.recv_timeout(wait) {
            Ok(request) => {
                let Some(l) = live.as_mut() else {
                    if let Some(event) = unanswered(request, lang)
                        && events.send(event).is_err()
                    {
                        return;
                    }
                    continue;
                };
                if let Request::Reload = request {
                    // After a save: its notification names what it changed; without
                    // notifications, read everything.
                    if !l.notified {
                        wanted = Some(Wanted::Full);
                    }
                    continue;
                }
                let event = serve(l, request, day(), lang);
                l.last_used = Instant::now();
                if l.store.is_closed() {
                    live = None;
                    lost = true;
                    wanted = Some(Wanted::Full);
                    if events
                        .send(Event::Disconnected(lost_text(lang).to_string()))
                        .is_err()
                    {
                        return;
                    }
                }
                if let Some(event) = event
                    && events.send(event).is_err()
                {
                    return;
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                let Some(l) = live.as_mut() else {
                    continue;
                };
                // Past midnight: the figures are for another day now. And the whole district
                // is read again a while after reads of changed communities alone.
                if seen.read_for.is_some_and(|d| d != day())
                    || seen.full_due.is_some_and(|due| Instant::now() >= due)
                {
                    wanted = Some(Wanted::Full);
                }
                match arrived(l) {
                    Ok(Arrived::Nothing) => {}
                    Ok(Arrived::Communities(ids)) => {
                        named.extend(ids);
                        wanted.get_or_insert(Wanted::Changed);
                    }
                    Ok(Arrived::Everything) => wanted = Some(Wanted::Full),
                    Err(_) => {
                        live = None;
                        lost = true;
                        wanted = Some(Wanted::Full);
                        if events
                            .send(Event::Disconnected(lost_text(lang).to_string()))
                            .is_err()
                        {
                            return;
                        }
                    }
                }
            }
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Opens the district read-only and listens for notifications.
fn connect(url: &PgUrl) -> Result<Live, Error> {
    let mut store = PgStore::open(url, Access::ReadOnly)?;
    let notified = store.listen()?;
    Ok(Live {
        store,
        notified,
        last_used: Instant::now(),
        read_at: Instant::now(),
    })
}

/// What the notifications that arrived say.
enum Arrived {
    Nothing,
    Communities(Vec<i64>),
    Everything,
}

/// Takes the notifications that arrived (waiting at most [`LOOK`]); checks the connection when it has
/// been quiet for a while; without notifications, asks for a whole read every
/// [`WITHOUT_NOTIFY`].
fn arrived(live: &mut Live) -> Result<Arrived, ()> {
    use postgres::fallible_iterator::FallibleIterator as _;
    let mut ids = Vec::new();
    let mut everything = false;
    {
        let mut notifications = live.store.client().notifications();
        // Waits a moment, not `iter()`: the client notices what arrived on its socket only
        // while it waits (its runtime reads the socket then), so a never-waiting look would
        // see a notification only after the next query.
        let mut iter = notifications.timeout_iter(LOOK);
        loop {
            match iter.next() {
                Ok(Some(n)) => match n.payload().trim().parse::<i64>() {
                    Ok(id) if !everything => ids.push(id),
                    _ => everything = true,
                },
                Ok(None) => break,
                Err(_) => return Err(()),
            }
        }
    }
    if live.store.is_closed() {
        return Err(());
    }
    let quiet = live.last_used.elapsed();
    if quiet >= PROBE {
        live.last_used = Instant::now();
        if live.store.client().simple_query("").is_err() || live.store.is_closed() {
            return Err(());
        }
    }
    if !live.notified && live.read_at.elapsed() >= WITHOUT_NOTIFY {
        return Ok(Arrived::Everything);
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(if everything || ids.len() > super::worker::MOST_PARTIAL {
        Arrived::Everything
    } else if ids.is_empty() {
        Arrived::Nothing
    } else {
        Arrived::Communities(ids)
    })
}

/// The whole snapshot read from a PostgreSQL database for `today`, as the reader reads it.
pub fn read_snapshot(
    store: &mut PgStore,
    today: NaiveDate,
) -> Result<super::worker::Snapshot, Error> {
    let started = Instant::now();
    store.read(|src| {
        let built = crate::report::build_on(src, today, crate::store::Scope::District)?;
        let decisions = crate::review::decisions_on(src, None, today)?;
        Ok(assemble(built, decisions, started))
    })
}

/// Reads the communities named (when that is enough) or the whole district.
fn read(
    live: &mut Live,
    want: Wanted,
    ids: &[i64],
    for_day: NaiveDate,
    seen: &mut Seen,
) -> Result<Event, Error> {
    let started = Instant::now();
    if want == Wanted::Changed
        && seen.clean
        && seen.read_for == Some(for_day)
        && !ids.is_empty()
        && let Some(refresh) = live
            .store
            .read(|src| read_communities(src, for_day, ids, started))?
    {
        seen.full_due
            .get_or_insert_with(|| Instant::now() + super::worker::FULL_AFTER_PARTIAL);
        return Ok(Event::Refreshed(Box::new(refresh)));
    }
    let snapshot = read_snapshot(&mut live.store, for_day)?;
    seen.clean = snapshot.problems == 0;
    seen.full_due = None;
    seen.read_for = Some(for_day);
    Ok(Event::Loaded(Box::new(snapshot)))
}

/// Answers a request for the screen on the reader's connection (`None`: nothing to say).
fn serve(live: &mut Live, request: Request, today: NaiveDate, lang: Lang) -> Option<Event> {
    match request {
        Request::Reload => None,
        Request::ProjectDetail(id) => Some(
            match live
                .store
                .read(|src| crate::store::load_project_detail_on(src, id))
            {
                Ok(detail) => Event::Detail(id, detail.map(Box::new)),
                Err(e) => Event::DetailFailed(id, e.message(lang)),
            },
        ),
        // A failure here only leaves the sparklines empty; the figures say the rest.
        Request::Sessions(projects) => live
            .store
            .read(|src| crate::store::load_sessions_on(src, &projects, today))
            .ok()
            .map(Event::Sessions),
        Request::Projects(community) => Some(Event::Projects(
            community,
            live.store
                .read(|src| crate::store::load_community_projects_on(src, community))
                .map_err(|e| e.message(lang)),
        )),
    }
}

/// The answer to a request made while the connection is lost.
fn unanswered(request: Request, lang: Lang) -> Option<Event> {
    let message = lost_text(lang).to_string();
    match request {
        Request::ProjectDetail(id) => Some(Event::DetailFailed(id, message)),
        Request::Projects(community) => Some(Event::Projects(community, Err(message))),
        Request::Reload | Request::Sessions(_) => None,
    }
}
