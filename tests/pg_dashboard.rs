//! The dashboard's reader on a PostgreSQL database: the same snapshot as from the file the
//! district was copied from, another client's write seen through the notifications, a lost
//! connection said and recovered from, and the read-only role.

mod pg_server;

use gongjian::dashboard::event::Event;
use gongjian::dashboard::worker::{self, Request, Snapshot};
use gongjian::dashboard::worker_pg;
use gongjian::i18n::Lang;
use gongjian::store::pg::{Given, PgStore, PgUrl};
use gongjian::store::{Access, Notice};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-30";

/// Generous: the machine is shared; nothing here measures time.
const PATIENCE: Duration = Duration::from_secs(60);

fn today() -> chrono::NaiveDate {
    gongjian::dates::parse_ymd(TODAY).expect("date")
}

fn gongjian(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongjian"))
        .args(args)
        .env_remove("GONGJIAN_DB")
        .env("GONGJIAN_LANG", "en")
        .output()
        .expect("gongjian runs")
}

fn ok(out: Output) {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The demo in a file, copied to a fresh database: (folder, file, address).
fn demo_on_both() -> Option<(tempfile::TempDir, PathBuf, String)> {
    let db = pg_server::fresh_db()?;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("demo.db");
    let text = file.to_str().expect("utf-8");
    ok(gongjian(&["--today", TODAY, "init", text, "--demo"]));
    ok(gongjian(&["copy", text, &db]));
    Some((dir, file, db))
}

fn url(db: &str) -> PgUrl {
    PgUrl::parse(db, Given::CommandLine).expect("address")
}

/// A reader thread on either engine, and its channels.
struct Reader {
    requests: Option<Sender<Request>>,
    events: Receiver<Event>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Reader {
    fn on_server(db: &str) -> Reader {
        let (requests_tx, requests) = mpsc::channel();
        let (events_tx, events) = mpsc::channel();
        let url = url(db);
        let thread = std::thread::spawn(move || {
            worker_pg::run(
                url,
                Some(today()),
                worker::system_clock(),
                Lang::En,
                requests,
                events_tx,
            )
        });
        Reader {
            requests: Some(requests_tx),
            events,
            thread: Some(thread),
        }
    }

    fn on_file(path: &Path) -> Reader {
        let (requests_tx, requests) = mpsc::channel();
        let (events_tx, events) = mpsc::channel();
        let path = path.to_path_buf();
        let thread = std::thread::spawn(move || {
            worker::run(
                path,
                Some(today()),
                worker::system_clock(),
                Lang::En,
                requests,
                events_tx,
            )
        });
        Reader {
            requests: Some(requests_tx),
            events,
            thread: Some(thread),
        }
    }

    /// The first event `wanted` keeps, within [`PATIENCE`].
    fn next<T>(&self, what: &str, mut wanted: impl FnMut(Event) -> Option<T>) -> T {
        let deadline = Instant::now() + PATIENCE;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.events.recv_timeout(left) {
                Ok(event) => {
                    if let Some(found) = wanted(event) {
                        return found;
                    }
                }
                Err(_) => break,
            }
        }
        panic!("no {what} within {PATIENCE:?}");
    }

    fn loaded(&self) -> Box<Snapshot> {
        self.next("figures", |e| match e {
            Event::Loaded(s) => Some(s),
            Event::LoadFailed(why) => panic!("read failed: {why}"),
            _ => None,
        })
    }

    fn ask(&self, request: Request) {
        self.requests
            .as_ref()
            .expect("running")
            .send(request)
            .expect("reader runs");
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        self.requests = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn same_snapshot(a: &Snapshot, b: &Snapshot) {
    assert_eq!(a.report, b.report);
    assert_eq!(a.streets, b.streets);
    assert_eq!(a.units, b.units);
    assert_eq!(a.problems, b.problems);
    assert_eq!(a.needs, b.needs);
    assert_eq!(a.overdue_decisions, b.overdue_decisions);
    assert_eq!(
        format!("{:?}", sorted(&a.open_decisions)),
        format!("{:?}", sorted(&b.open_decisions))
    );
}

fn sorted<T: std::fmt::Debug>(map: &std::collections::HashMap<i64, T>) -> Vec<(i64, String)> {
    let mut out: Vec<(i64, String)> = map.iter().map(|(k, v)| (*k, format!("{v:?}"))).collect();
    out.sort();
    out
}

#[test]
fn the_dashboard_reads_the_same_figures_lists_and_details_on_both_engines() {
    let Some((_dir, file, db)) = demo_on_both() else {
        return;
    };
    // A decision, so that the decisions' reader is compared too.
    let conn = rusqlite::Connection::open(&file).expect("open");
    conn.execute_batch(
        "INSERT INTO decision (community_id, text, owner, due_on, created_at, created_by)
         VALUES (1, '加装扶手', '王主任', '2026-11-20', '2026-11-01T08:00:00Z', '李');",
    )
    .expect("decision");
    drop(conn);
    let server = pg_server::server().expect("server");
    let name = db.rsplit('/').next().expect("name");
    server.psql(
        name,
        "INSERT INTO decision (community_id, text, owner, due_on, created_at, created_by)
         VALUES (1, '加装扶手', '王主任', '2026-11-20', '2026-11-01T08:00:00Z', '李')",
    );
    let on_file = Reader::on_file(&file);
    let on_server = Reader::on_server(&db);
    let (a, b) = (on_file.loaded(), on_server.loaded());
    same_snapshot(&a, &b);
    assert!(!a.report.communities.is_empty());
    assert_eq!(b.overdue_decisions.get(&1), Some(&1));
    for c in &a.report.communities {
        on_file.ask(Request::Projects(c.id));
        on_server.ask(Request::Projects(c.id));
        let list = |r: &Reader| {
            r.next("projects", |e| match e {
                Event::Projects(id, list) if id == c.id => Some(list.expect("projects")),
                _ => None,
            })
        };
        let (from_file, from_server) = (list(&on_file), list(&on_server));
        assert_eq!(from_file, from_server, "community {}", c.id);
        for p in from_file.iter().take(3) {
            on_file.ask(Request::ProjectDetail(p.id));
            on_server.ask(Request::ProjectDetail(p.id));
            let detail = |r: &Reader| {
                r.next("detail", |e| match e {
                    Event::Detail(id, d) if id == p.id => Some(format!("{d:?}")),
                    Event::DetailFailed(_, why) => panic!("{why}"),
                    _ => None,
                })
            };
            assert_eq!(detail(&on_file), detail(&on_server));
        }
        let flagged: Vec<i64> = c.low_participation.iter().map(|p| p.project_id).collect();
        if !flagged.is_empty() {
            on_file.ask(Request::Sessions(flagged.clone()));
            on_server.ask(Request::Sessions(flagged));
            let sessions = |r: &Reader| {
                r.next("sessions", |e| match e {
                    Event::Sessions(s) => Some(format!("{:?}", sorted(&s))),
                    _ => None,
                })
            };
            assert_eq!(sessions(&on_file), sessions(&on_server));
        }
    }
}

/// Another client's write (here `psql`, as any tool could) reaches the dashboard through the
/// notifications; the figures spliced in equal a whole read.
#[test]
fn another_clients_write_is_seen_through_the_notifications() {
    let Some((_dir, _file, db)) = demo_on_both() else {
        return;
    };
    let server = pg_server::server().expect("server");
    let name = db.rsplit('/').next().expect("name").to_string();
    // The database sends notifications (made by `copy`, as by `init`).
    let mut store = PgStore::open(&url(&db), Access::ReadOnly).expect("opens");
    assert!(store.listen().expect("listens"), "the triggers are made");
    drop(store);
    let reader = Reader::on_server(&db);
    let first = reader.loaded();
    let community = first.report.communities[0].id;
    let project: i64 = server
        .psql(
            &name,
            &format!("SELECT min(id) FROM project WHERE community_id = {community}"),
        )
        .trim()
        .parse()
        .expect("a project");
    // A session with almost nobody: the community's figures change.
    server.psql(
        &name,
        &format!(
            "INSERT INTO activity (project_id, held_on, planned, actual) VALUES ({project}, '2026-11-29', 500, 1)"
        ),
    );
    let mut on_screen: Snapshot = (*first).clone();
    reader.next("the write", |e| match e {
        Event::Refreshed(refresh) => {
            assert!(
                refresh.communities.iter().any(|(id, _)| *id == community),
                "the community written is named"
            );
            on_screen.splice(*refresh);
            Some(())
        }
        Event::Loaded(_) => panic!("one community's write is read alone"),
        _ => None,
    });
    assert_ne!(on_screen.report, first.report, "the figures moved");
    // What a fresh reader reads now.
    let fresh = Reader::on_server(&db).loaded();
    same_snapshot(&on_screen, &fresh);

    // A street renamed: everything is read again.
    server.psql(&name, "UPDATE street SET name = name || '新' WHERE id = 1");
    let whole = reader.next("the rename", |e| match e {
        Event::Loaded(s) => Some(s),
        _ => None,
    });
    assert!(whole.streets.iter().any(|(_, n)| n.ends_with('新')));
}

/// The connection ended by the server (as `pg_terminate_backend`, a restart or a failover
/// do): the reader says so, keeps going, connects again by itself and reads the figures.
#[test]
fn a_lost_connection_is_said_and_recovered_from() {
    let Some((_dir, _file, db)) = demo_on_both() else {
        return;
    };
    let server = pg_server::server().expect("server");
    let name = db.rsplit('/').next().expect("name").to_string();
    let reader = Reader::on_server(&db);
    reader.loaded();
    server.psql(
        "postgres",
        &format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        ),
    );
    let said = reader.next("the notice", |e| match e {
        Event::Disconnected(why) => Some(why),
        _ => None,
    });
    assert_eq!(said, worker_pg::lost_text(Lang::En));
    assert_eq!(
        worker_pg::lost_text(Lang::Zh),
        "与数据库的连接已断开，正在重连…"
    );
    // Back by itself, with the figures read afresh.
    reader.loaded();
    // And it listens again: a write after the reconnection is seen.
    server.psql(&name, "UPDATE street SET name = name || '再' WHERE id = 1");
    let whole = reader.next("the write after reconnecting", |e| match e {
        Event::Loaded(s) => Some(s),
        _ => None,
    });
    assert!(whole.streets.iter().any(|(_, n)| n.ends_with('再')));
}

/// The recommended read-only role: opened for writing, the district falls back to read-only
/// with the usual notice, and the dashboard's reader reads it (and hears the notifications).
#[test]
fn the_viewer_role_reads_with_the_read_only_notice() {
    let Some((_dir, _file, db)) = demo_on_both() else {
        return;
    };
    let server = pg_server::server().expect("server");
    let name = db.rsplit('/').next().expect("name").to_string();
    server.psql(&name, gongjian::store::pg::ROLES_SQL);
    let viewer = server.url(&name, "gongjian_viewer");
    let store = PgStore::open(&url(&viewer), Access::ReadWrite).expect("opens");
    assert!(store.is_read_only());
    assert!(matches!(store.notices(), [Notice::FellBackToReadOnly]));
    drop(store);
    let reader = Reader::on_server(&viewer);
    let first = reader.loaded();
    assert!(!first.report.communities.is_empty());
    server.psql(&name, "UPDATE street SET name = name || '观' WHERE id = 1");
    let whole = reader.next("the write", |e| match e {
        Event::Loaded(s) => Some(s),
        _ => None,
    });
    assert!(whole.streets.iter().any(|(_, n)| n.ends_with('观')));
}

/// The notifications' triggers are made again by a writable open when another tool dropped
/// one; a read-only open leaves the database as it is (and the reader then reads again every
/// few seconds instead).
#[test]
fn a_dropped_trigger_is_made_again_on_a_writable_open() {
    let Some((_dir, _file, db)) = demo_on_both() else {
        return;
    };
    let server = pg_server::server().expect("server");
    let name = db.rsplit('/').next().expect("name").to_string();
    server.psql(
        &name,
        "DROP TRIGGER gongjian_notify_activity_insert ON activity",
    );
    let mut store = PgStore::open(&url(&db), Access::ReadOnly).expect("opens");
    assert!(
        !store.listen().expect("listens"),
        "a dropped trigger is seen"
    );
    drop(store);
    // Meanwhile a reader without notifications reads the whole district again every few
    // seconds: a session added where no trigger tells is shown all the same.
    let reader = Reader::on_server(&db);
    let first = reader.loaded();
    let community = first.report.communities[0].id;
    server.psql(
        &name,
        &format!(
            "INSERT INTO activity (project_id, held_on, planned, actual)
             SELECT min(id), '2026-11-29', 500, 1 FROM project WHERE community_id = {community}"
        ),
    );
    let later = reader.next("the periodic read", |e| match e {
        Event::Loaded(s) if s.report != first.report => Some(s),
        _ => None,
    });
    assert!(later.report.communities.iter().any(|c| c.id == community));
    drop(reader);
    let mut store = PgStore::open(&url(&db), Access::ReadWrite).expect("opens");
    assert!(store.listen().expect("listens"), "made again");
}

/// A save through the dashboard's keys on a server: the store thread's requests are served on
/// a PostgreSQL connection (as `store_thread::run_pg` does), the change and its log entry are
/// in the database, and a reader listening elsewhere is told which community changed.
#[test]
fn a_reschedule_typed_on_the_dashboard_is_saved_on_the_server() {
    use gongjian::dashboard::app::{App, Data, Effect, Overlay};
    use gongjian::dashboard::store_thread;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    let Some(db) = pg_server::fresh_db() else {
        return;
    };
    let day = gongjian::dates::parse_ymd("2026-11-28").expect("date");
    ok(gongjian(&["--today", "2026-11-28", "init", &db, "--demo"]));
    let server = pg_server::server().expect("server");
    let name = db.rsplit('/').next().expect("name").to_string();
    let mut store = PgStore::open(&url(&db), Access::ReadWrite).expect("opens");
    assert!(!store.is_read_only());
    let listening = {
        let (requests_tx, requests) = mpsc::channel();
        let (events_tx, events) = mpsc::channel();
        let url = url(&db);
        let thread = std::thread::spawn(move || {
            worker_pg::run(
                url,
                Some(day),
                worker::system_clock(),
                Lang::Zh,
                requests,
                events_tx,
            )
        });
        Reader {
            requests: Some(requests_tx),
            events,
            thread: Some(thread),
        }
    };
    listening.loaded();

    let mut app = App::new(Lang::Zh, format!("{name}@local"), false, Some(day));
    app.operator_flag = Some("王芳".into());
    app.data = Data::Ready(std::sync::Arc::new(
        worker_pg::read_snapshot(&mut store, day).expect("snapshot"),
    ));
    let mut serve = |app: &mut App, mut effects: Vec<Effect>| {
        while !effects.is_empty() {
            let mut more = Vec::new();
            for effect in effects {
                let event = match effect {
                    Effect::Store(request) => {
                        Event::Stored(store_thread::serve_pg(&mut store, request, Lang::Zh))
                    }
                    Effect::Read(Request::Reload) => Event::Loaded(Box::new(
                        worker_pg::read_snapshot(&mut store, day).expect("snapshot"),
                    )),
                    Effect::Read(Request::Projects(id)) => Event::Projects(
                        id,
                        Ok(store
                            .read(|src| gongjian::store::load_community_projects_on(src, id))
                            .expect("projects")),
                    ),
                    Effect::Read(_) => continue,
                };
                more.extend(app.handle(event));
            }
            effects = more;
        }
    };
    let mut press = |app: &mut App, code: KeyCode, modifiers: KeyModifiers| {
        let effects = app.handle(Event::Key(KeyEvent::new(code, modifiers)));
        serve(app, effects);
    };
    // 青石社区 (the worst, on top), its overdue panel, the menu on its first overdue project
    // (#120, due 2025-10-31), 改期.
    press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    press(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    press(&mut app, KeyCode::Char('a'), KeyModifiers::NONE);
    assert!(matches!(app.overlay, Some(Overlay::Menu(_))), "menu open");
    press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    press(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    for ch in "2027-03-31".chars() {
        press(&mut app, KeyCode::Char(ch), KeyModifiers::NONE);
    }
    press(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    for ch in "错峰值班，重新安排".chars() {
        press(&mut app, KeyCode::Char(ch), KeyModifiers::NONE);
    }
    press(&mut app, KeyCode::Enter, KeyModifiers::NONE); // checked: confirm
    assert_eq!(
        server.psql(&name, "SELECT count(*) FROM adjustment").trim(),
        "0",
        "nothing before the confirm"
    );
    press(&mut app, KeyCode::Enter, KeyModifiers::NONE); // saved
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    assert_eq!(app.flash.as_deref(), Some("已保存，调整记录 #1"));
    assert_eq!(
        server
            .psql(&name, "SELECT due_on FROM project WHERE id = 120")
            .trim(),
        "2027-03-31"
    );
    assert_eq!(
        server
            .psql(&name, "SELECT operator || '|' || action FROM adjustment")
            .trim(),
        "王芳|reschedule"
    );
    // The weekly review is held on the server as on the file: started, one community covered
    // (`n`), ended (`q`), each step written there.
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    press(&mut app, KeyCode::Char('r'), KeyModifiers::NONE);
    assert!(
        matches!(app.screen, gongjian::dashboard::app::Screen::Review(_)),
        "{:?}",
        app.flash
    );
    // Looking is not reviewing: nothing is written before the first record.
    assert_eq!(
        server.psql(&name, "SELECT count(*) FROM review").trim(),
        "0"
    );
    press(&mut app, KeyCode::Char('n'), KeyModifiers::NONE);
    assert_eq!(
        server
            .psql(
                &name,
                "SELECT operator || '|' || (ended_at IS NULL) FROM review"
            )
            .trim(),
        "王芳|true"
    );
    assert_eq!(
        server
            .psql(
                &name,
                "SELECT count(*) FROM review_item WHERE outcome = 'covered'"
            )
            .trim(),
        "1",
        "{:?}",
        app.flash
    );
    press(&mut app, KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(
        server
            .psql(
                &name,
                "SELECT count(*) FROM review WHERE ended_at IS NOT NULL"
            )
            .trim(),
        "1",
        "{:?}",
        app.flash
    );
    // The other reader is told which community changed.
    let community: i64 = server
        .psql(&name, "SELECT community_id FROM project WHERE id = 120")
        .trim()
        .parse()
        .expect("id");
    listening.next("the save's notification", |e| match e {
        Event::Refreshed(r) if r.communities.iter().any(|(id, _)| *id == community) => Some(()),
        _ => None,
    });
}
