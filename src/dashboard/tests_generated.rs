//! The screens on a generated district with two- and three-digit counts and long names, at the
//! sizes a meeting room uses, in both languages: snapshots, and a check that every figure the
//! JSON report gives for the rows on screen appears there whole.

use super::app::{App, Data};
use super::event::Event;
use super::theme::Theme;
use super::ui;
use super::worker::{Snapshot, read_snapshot};
use crate::i18n::Lang;
use chrono::{NaiveDate, TimeZone};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::{Arc, OnceLock};

const SIZES: [(u16, u16); 4] = [(60, 15), (80, 24), (120, 35), (200, 50)];

fn today() -> NaiveDate {
    crate::dates::parse_ymd("2026-11-30").expect("date")
}

/// Each community's project list, as the reader thread reads it when the community screen opens.
type ProjectLists = std::collections::HashMap<i64, Vec<crate::model::Project>>;

/// 24 communities of 120 projects: counts in the tens and hundreds.
fn spec() -> crate::generate::Spec {
    crate::generate::Spec {
        communities: 24,
        projects_per_community: 120,
        activities_per_project: 3,
        seed: 7,
        today: today(),
    }
}

/// A community and a unit with names longer than any column gives them.
const LONG_NAMES: &str =
    "UPDATE community SET name = '青石建材市场周边老旧小区联合社区' WHERE id = 1;
     UPDATE unit SET name = '青石建材市场管理有限公司第二分公司' WHERE id = 1;";

/// The district of [`spec`] with the [`LONG_NAMES`], read once.
fn generated() -> Snapshot {
    generated_fixture().0
}

/// The generated district's snapshot and project lists, read once.
fn generated_fixture() -> (Snapshot, ProjectLists) {
    static DISTRICT: OnceLock<(Snapshot, ProjectLists)> = OnceLock::new();
    DISTRICT
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let mut store = crate::store::Store::create(&dir.path().join("g.db")).expect("create");
            crate::generate::fill(&mut store, &spec()).expect("generate");
            store.conn().execute_batch(LONG_NAMES).expect("long names");
            let mut snapshot = read_snapshot(&store, Some(today())).expect("read");
            snapshot.loaded_at = chrono::Local
                .with_ymd_and_hms(2026, 11, 30, 9, 30, 0)
                .single()
                .expect("time");
            let projects = snapshot
                .report
                .communities
                .iter()
                .map(|c| {
                    let list = crate::store::load_community_projects(store.conn(), c.id);
                    (c.id, list.expect("projects"))
                })
                .collect();
            (snapshot, projects)
        })
        .clone()
}

fn app(lang: Lang) -> App {
    let mut app = App::new(lang, "g.db".into(), false, Some(today()));
    app.data = Data::Ready(Arc::new(generated()));
    app
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    app.handle(Event::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|frame| ui::render(app, frame, Theme::projector()))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut x = 0;
        while x < buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            out.push_str(symbol);
            x += crate::text::width(symbol).max(1) as u16;
        }
        out.push('\n');
    }
    out
}

/// Presses a key and answers the project-list request the community screen makes, as the
/// reader thread would.
fn key(app: &mut App, code: KeyCode) {
    let effects = app.handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    for effect in effects {
        if let super::app::Effect::Read(super::worker::Request::Projects(id)) = effect {
            let list = generated_fixture().1.get(&id).cloned().unwrap_or_default();
            app.handle(Event::Projects(id, Ok(list)));
        }
    }
}

#[test]
fn the_district_has_two_and_three_digit_counts() {
    let s = generated();
    assert!(
        s.report
            .communities
            .iter()
            .any(|c| c.completion.total >= 50)
    );
    assert!(
        s.report
            .communities
            .iter()
            .any(|c| c.low_participation.len() >= 10)
    );
    assert!(s.report.communities.iter().any(|c| c.alerts >= 10));
    assert!(s.report.communities.iter().any(|c| c.overdue.len() >= 10));
    let overdue: usize = s.report.communities.iter().map(|c| c.overdue.len()).sum();
    assert!(
        overdue >= 100,
        "three-digit totals in the header: {overdue}"
    );
}

#[test]
fn snapshots_of_a_generated_district() {
    for lang in [Lang::Zh, Lang::En] {
        let tag = if lang == Lang::Zh { "zh" } else { "en" };
        for (w, h) in SIZES {
            let mut app = app(lang);
            let text = screen(&mut app, w, h);
            insta::assert_snapshot!(format!("generated_overview_{tag}_{w}x{h}"), text);
            key(&mut app, KeyCode::Enter);
            let text = screen(&mut app, w, h);
            insta::assert_snapshot!(format!("generated_community_{tag}_{w}x{h}"), text);
        }
    }
}

/// The words of a screen line split on spaces and the table's marks: a figure is whole when
/// it is one of them.
fn tokens(line: &str) -> Vec<String> {
    line.split(|c: char| c.is_whitespace() || "│┌┐└┘─█!（）()▶".contains(c))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_figure_of_the_rows_on_screen_is_whole() {
    for lang in [Lang::Zh, Lang::En] {
        for (w, h) in SIZES {
            let mut app = app(lang);
            let text = screen(&mut app, w, h);
            let snapshot = generated();
            let rows = app.visible_rows();
            let lines: Vec<&str> = text.lines().collect();
            let mut seen = 0;
            for &index in &rows {
                let c = &snapshot.report.communities[index];
                // The row is on screen when its name (maybe shortened) starts a cell of a line
                // carrying its alert total; the alert total is never dropped.
                // The table is left of the flags pane (if any).
                let Some(line) = lines
                    .iter()
                    .map(|l| l.split('│').next().unwrap_or(""))
                    .find(|l| {
                        let t = tokens(l);
                        t.last() == Some(&c.alerts.to_string())
                            && t.iter().any(|x| {
                                let stem = x.trim_end_matches('…');
                                !stem.is_empty() && c.name.starts_with(stem)
                            })
                    })
                else {
                    continue;
                };
                seen += 1;
                let t = tokens(line);
                let completion = format!("{}/{}", c.completion.done, c.completion.total);
                let resources = format!("{}/{}", c.resources.used, c.resources.offered);
                let participation =
                    format!("{}+{}", c.low_participation.len(), c.inactive_units.len());
                // What is shown is whole: a figure appears as a token of its own or not at all.
                for figure in [&completion, &resources, &participation] {
                    let part = t
                        .iter()
                        .any(|x| figure.starts_with(x.as_str()) && x != figure);
                    let whole = t.iter().any(|x| x == figure);
                    assert!(
                        whole || !part || figure.len() <= 1,
                        "{lang:?} {w}x{h}: {figure} cut in {line:?}"
                    );
                }
                if w >= 80 {
                    assert!(
                        t.contains(&completion),
                        "{lang:?} {w}x{h}: no {completion}: {line:?}"
                    );
                }
                if w >= 120 {
                    for figure in [
                        &resources,
                        &participation,
                        &c.overdue.len().to_string(),
                        &c.more_alerts.to_string(),
                    ] {
                        assert!(
                            t.contains(figure),
                            "{lang:?} {w}x{h}: no {figure}: {line:?}"
                        );
                    }
                }
            }
            assert!(
                seen >= (h as usize).saturating_sub(8).min(rows.len()),
                "{lang:?} {w}x{h}: only {seen} rows found:\n{text}"
            );
        }
    }
}

#[test]
fn every_figure_of_the_community_screen_is_whole() {
    for lang in [Lang::Zh, Lang::En] {
        for (w, h) in SIZES {
            let mut app = app(lang);
            key(&mut app, KeyCode::Enter);
            let text = screen(&mut app, w, h);
            let id = match &app.screen {
                super::app::Screen::Community(s) => s.id,
                _ => panic!("community screen"),
            };
            let c = app.community(id).expect("community").clone();
            let t: Vec<String> = text.lines().flat_map(tokens).collect();
            // The heading's alert total and the completion panel (focused first) are on screen.
            assert!(t.contains(&c.alerts.to_string()), "{w}x{h}:\n{text}");
            let completion = format!("{}/{}", c.completion.done, c.completion.total);
            assert!(
                t.contains(&completion),
                "{lang:?} {w}x{h}: {completion}:\n{text}"
            );
            // Each unit row shown carries its figures whole.
            for u in &c.completion.units {
                let figure = format!("{}/{}", u.done, u.total);
                let cut = t
                    .iter()
                    .any(|x| x != &figure && figure.starts_with(x.as_str()) && x.contains('/'));
                assert!(!cut, "{lang:?} {w}x{h}: {figure} cut:\n{text}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Every other screen and pop-up on the generated district, driven by keys with the store
// thread's and the worker's requests served on a copy of the file.

/// The generated district as a file, built once and copied for each test that writes.
fn district_file() -> &'static std::path::Path {
    static FILE: OnceLock<(tempfile::TempDir, std::path::PathBuf)> = OnceLock::new();
    &FILE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("g.db");
            let mut store = crate::store::Store::create(&path).expect("create");
            crate::generate::fill(&mut store, &spec()).expect("generate");
            store.conn().execute_batch(LONG_NAMES).expect("long names");
            (dir, path)
        })
        .1
}

/// Drives the app on its own copy of the generated district.
struct Driver {
    app: App,
    store: crate::store::Store,
    _dir: tempfile::TempDir,
}

impl Driver {
    fn new(lang: Lang) -> Driver {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("g.db");
        std::fs::copy(district_file(), &path).expect("copy");
        let store =
            crate::store::Store::open(&path, crate::store::Access::ReadWrite).expect("open");
        let mut app = App::new(lang, "g.db".into(), false, Some(today()));
        app.operator_flag = Some("王芳".into());
        let mut driver = Driver {
            app,
            store,
            _dir: dir,
        };
        driver.reload();
        driver
    }

    fn snapshot(&self) -> Snapshot {
        let mut snapshot = read_snapshot(&self.store, Some(today())).expect("read");
        snapshot.loaded_at = chrono::Local
            .with_ymd_and_hms(2026, 11, 30, 9, 30, 0)
            .single()
            .expect("time");
        snapshot
    }

    fn reload(&mut self) {
        self.app.data = Data::Ready(Arc::new(self.snapshot()));
    }

    /// Serves every request the app makes, as the threads would, until it makes no more.
    fn run(&mut self, mut effects: Vec<super::app::Effect>) {
        use super::app::Effect;
        use super::worker::Request;
        while !effects.is_empty() {
            let mut more = Vec::new();
            for effect in effects {
                let event = match effect {
                    Effect::Store(request) => Event::Stored(super::store_thread::serve(
                        &mut self.store,
                        request,
                        self.app.lang,
                    )),
                    Effect::Read(Request::Reload) => Event::Loaded(Box::new(self.snapshot())),
                    Effect::Read(Request::Sessions(projects)) => Event::Sessions(
                        crate::store::load_sessions(self.store.conn(), &projects, today())
                            .expect("sessions"),
                    ),
                    Effect::Read(Request::Projects(id)) => Event::Projects(
                        id,
                        Ok(crate::store::load_community_projects(self.store.conn(), id)
                            .expect("projects")),
                    ),
                    Effect::Read(Request::ProjectDetail(id)) => Event::Detail(
                        id,
                        crate::store::load_project_detail(self.store.conn(), id)
                            .expect("detail")
                            .map(Box::new),
                    ),
                };
                more.extend(self.app.handle(event));
            }
            effects = more;
        }
    }

    fn press(&mut self, code: KeyCode) {
        let effects = self
            .app
            .handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.run(effects);
    }

    fn type_text(&mut self, text: &str) {
        for ch in text.chars() {
            self.press(KeyCode::Char(ch));
        }
    }

    fn screen(&mut self, width: u16, height: u16) -> String {
        let effects = self.app.handle(Event::Resize(width, height));
        self.run(effects);
        screen(&mut self.app, width, height)
    }
}

/// The sizes each screen is kept at: the smallest, a laptop, and a projector; the flagged
/// ones also at 120×35, where the layouts change.
const SNAP_SIZES: [(u16, u16); 3] = [(60, 15), (80, 24), (200, 50)];

/// One snapshot per size holding both languages, the Chinese screen above the English one,
/// each reached by `open` on a fresh driver.
fn snap_both(name: &str, sizes: &[(u16, u16)], open: impl Fn(&mut Driver)) {
    for &(w, h) in sizes {
        let mut text = String::new();
        for lang in [Lang::Zh, Lang::En] {
            let mut d = Driver::new(lang);
            d.screen(w, h);
            open(&mut d);
            text.push_str(&d.screen(w, h));
            text.push_str(&"=".repeat(w as usize));
            text.push('\n');
            check_frame(&d.screen(w, h), w, h, name);
        }
        insta::assert_snapshot!(format!("screen_{name}_{w}x{h}"), text);
    }
}

/// What every frame must be: exactly the terminal's size, nothing drawn past a line's end.
fn check_frame(text: &str, w: u16, h: u16, name: &str) {
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), h as usize, "{name} {w}x{h}");
    for line in lines {
        assert!(
            crate::text::width(line) <= w as usize,
            "{name} {w}x{h}: too wide: {line}"
        );
    }
}

/// Weekly sessions all year for project `id`: its details hold more than a screen.
fn add_sessions(store: &crate::store::Store, id: i64) {
    for week in 0..40i64 {
        let day =
            crate::dates::parse_ymd("2026-01-05").expect("date") + chrono::Duration::days(7 * week);
        store
            .conn()
            .execute(
                "INSERT INTO activity (project_id, held_on, planned, actual) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![id, crate::dates::format_ymd(day), 120, 60 + week],
            )
            .expect("session");
    }
}

/// The worst community, its overdue projects focused.
fn open_overdue_panel(d: &mut Driver) {
    d.press(KeyCode::Enter);
    d.press(KeyCode::Tab);
}

/// The details of the worst community's first overdue project, given forty sessions.
fn open_detail(d: &mut Driver) {
    use super::app::Effect;
    use super::worker::Request;
    open_overdue_panel(d);
    let effects = d.app.handle(Event::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    for effect in &effects {
        if let Effect::Read(Request::ProjectDetail(id)) = effect {
            add_sessions(&d.store, *id);
        }
    }
    d.run(effects);
    assert!(
        matches!(d.app.overlay, Some(super::app::Overlay::Detail { .. })),
        "details open"
    );
}

/// Thirty reschedules with Chinese reasons, logged by two operators.
fn log_entries(d: &mut Driver) {
    let projects: Vec<i64> = {
        let mut stmt = d
            .store
            .conn()
            .prepare("SELECT id FROM project WHERE status = 'active' ORDER BY id LIMIT 30")
            .expect("sql");
        stmt.query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("ids")
    };
    for (n, id) in projects.into_iter().enumerate() {
        let at = chrono::Utc
            .with_ymd_and_hms(2026, 11, 29, 1, n as u32, 0)
            .single()
            .expect("time");
        let operator = if n % 2 == 0 {
            "王芳"
        } else {
            "李明、赵敏"
        };
        crate::adjust::apply(
            &mut d.store,
            &crate::adjust::Action::Reschedule {
                project: id,
                due: crate::dates::parse_ymd("2027-03-31").expect("date"),
            },
            operator,
            "周例会决定：驻区单位人手不足，顺延至明年一季度",
            at,
            None,
        )
        .expect("reschedule");
    }
    d.reload();
}

/// The reschedule form of the worst community's first overdue project, with a date and a
/// reason typed in Chinese.
fn open_form(d: &mut Driver) {
    open_overdue_panel(d);
    d.type_text("a");
    d.press(KeyCode::Enter); // 改期
    d.type_text("2027-06-30");
    d.press(KeyCode::Tab);
    d.type_text("驻区单位人手不足，经周例会研究顺延至明年六月底");
}

#[test]
fn snapshots_of_every_other_screen_on_a_generated_district() {
    let with_120 = [(60, 15), (80, 24), (120, 35), (200, 50)];
    snap_both("detail", &with_120, open_detail);
    snap_both("history", &SNAP_SIZES, |d| {
        log_entries(d);
        d.type_text("h");
    });
    snap_both("review", &with_120, |d| d.type_text("r"));
    snap_both("review_end", &SNAP_SIZES, |d| {
        d.type_text("r");
        d.type_text("n");
        d.type_text("s");
        d.type_text("q");
    });
    snap_both("help", &SNAP_SIZES, |d| d.type_text("?"));
    snap_both("form", &SNAP_SIZES, open_form);
    snap_both("form_preview", &SNAP_SIZES, |d| {
        open_form(d);
        d.press(KeyCode::Enter);
    });
    snap_both("street_picker", &SNAP_SIZES, |d| d.type_text("t"));
    snap_both("settings", &SNAP_SIZES, |d| d.type_text("="));
    snap_both("assessment", &SNAP_SIZES, |d| d.type_text("y"));
    snap_both("menu", &[(60, 15), (200, 50)], |d| {
        open_overdue_panel(d);
        d.type_text("a");
    });
    snap_both("info", &[(60, 15), (200, 50)], |d| d.type_text("i"));
}

/// Issue 12.5: the review's right pane (what changed since the last review) says where it is
/// when it holds more than it shows, and PgDn / PgUp scroll it; the next community starts at
/// its top again.
#[test]
fn the_reviews_right_pane_shows_its_position_and_scrolls() {
    let mut d = Driver::new(Lang::Zh);
    d.screen(60, 15);
    d.type_text("r");
    let first = d.screen(60, 15);
    let title = first
        .lines()
        .find(|l| l.contains("近 7 天"))
        .unwrap_or_else(|| panic!("the right pane:\n{first}"))
        .to_string();
    let Some(total) = title
        .split_whitespace()
        .find_map(|w| w.strip_prefix("1-").and_then(|r| r.split('/').nth(1)))
    else {
        panic!("no position in the title: {title}\n{first}")
    };
    assert!(title.contains("PgDn"), "{title}");
    d.press(KeyCode::PageDown);
    let scrolled = d.screen(60, 15);
    assert!(
        !scrolled.contains(" 1-") && scrolled.contains(&format!("/{total} PgDn")),
        "scrolled down:\n{scrolled}"
    );
    d.press(KeyCode::PageUp);
    assert!(d.screen(60, 15).contains(" 1-"), "back at the top");
    d.press(KeyCode::PageDown);
    d.type_text("n");
    let next = d.screen(60, 15);
    assert!(
        next.contains(" 1-") || !next.contains("PgDn"),
        "the next community starts at the top:\n{next}"
    );
}
