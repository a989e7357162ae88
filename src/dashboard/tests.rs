//! The screens on ratatui's `TestBackend`: snapshots of both screens at 80×24 and 160×45 in
//! both languages on the demo district, and key sequences on the app state.

use super::app::{App, Data, Overlay, Screen, SortKey};
use super::event::Event;
use super::theme::Theme;
use super::ui;
use super::worker::{Snapshot, read_snapshot};
use crate::dates::parse_ymd;
use crate::i18n::Lang;
use crate::model::*;
use chrono::{NaiveDate, TimeZone};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::{Arc, OnceLock};

fn today() -> NaiveDate {
    parse_ymd("2026-11-28").expect("date")
}

/// The demo district read once through the real store, at a fixed moment.
fn demo_snapshot() -> Snapshot {
    demo_data().0
}

/// Each community's project list, as the reader thread reads it when the community screen opens.
type ProjectLists = std::collections::HashMap<i64, Vec<Project>>;

/// The demo's snapshot, and the sparkline sessions of every flagged project (which the
/// dashboard asks for one community at a time).
fn demo_data() -> (Snapshot, crate::model::SessionLists) {
    let (snapshot, sessions, _) = demo_fixture();
    (snapshot, sessions)
}

/// The demo's snapshot, sparkline sessions and project lists, read once.
fn demo_fixture() -> (Snapshot, crate::model::SessionLists, ProjectLists) {
    static DEMO: OnceLock<(Snapshot, crate::model::SessionLists, ProjectLists)> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = crate::store::Store::create(&dir.path().join("demo.db")).expect("create");
        crate::store::load_demo(&mut store, today()).expect("demo");
        let mut snapshot = read_snapshot(&store, Some(today())).expect("read");
        snapshot.loaded_at = chrono::Local
            .with_ymd_and_hms(2026, 11, 28, 9, 30, 0)
            .single()
            .expect("time");
        let flagged: Vec<i64> = snapshot
            .report
            .communities
            .iter()
            .flat_map(|c| c.low_participation.iter().map(|p| p.project_id))
            .collect();
        let sessions =
            crate::store::load_sessions(store.conn(), &flagged, today()).expect("sessions");
        let projects = snapshot
            .report
            .communities
            .iter()
            .map(|c| {
                let list = crate::store::load_community_projects(store.conn(), c.id);
                (c.id, list.expect("projects"))
            })
            .collect();
        (snapshot, sessions, projects)
    })
    .clone()
}

fn app_with(snapshot: Snapshot, lang: Lang) -> App {
    let mut app = App::new(lang, "demo.db".into(), false, Some(today()));
    app.data = Data::Ready(Arc::new(snapshot));
    app
}

fn demo_app(lang: Lang) -> App {
    let (snapshot, sessions) = demo_data();
    let mut app = app_with(snapshot, lang);
    app.sessions = sessions;
    app
}

fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|frame| ui::render(app, frame, Theme::projector()))
        .expect("draw");
    terminal
}

/// The screen as a terminal shows it: one line per row, wide glyphs once.
fn screen_text(terminal: &Terminal<TestBackend>) -> String {
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
            let list = demo_fixture().2.get(&id).cloned().unwrap_or_default();
            app.handle(Event::Projects(id, Ok(list)));
        }
    }
}

fn keys(app: &mut App, text: &str) {
    for ch in text.chars() {
        key(app, KeyCode::Char(ch));
    }
}

fn selected_name(app: &App) -> String {
    let id = app.overview.selected.or_else(|| {
        let rows = app.visible_rows();
        rows.first()
            .map(|&i| app.snapshot().expect("data").report.communities[i].id)
    });
    app.community(id.expect("a selection"))
        .expect("community")
        .name
        .clone()
}

fn visible_names(app: &App) -> Vec<String> {
    let snapshot = app.snapshot().expect("data");
    app.visible_rows()
        .iter()
        .map(|&i| snapshot.report.communities[i].name.clone())
        .collect()
}

#[test]
fn snapshots_of_both_screens_at_both_sizes_in_both_languages() {
    for lang in [Lang::Zh, Lang::En] {
        let tag = if lang == Lang::Zh { "zh" } else { "en" };
        for (w, h) in [(80, 24), (160, 45)] {
            let mut app = demo_app(lang);
            insta::assert_snapshot!(
                format!("overview_{tag}_{w}x{h}"),
                screen_text(&draw(&app, w, h))
            );
            key(&mut app, KeyCode::Enter);
            insta::assert_snapshot!(
                format!("community_{tag}_{w}x{h}"),
                screen_text(&draw(&app, w, h))
            );
        }
    }
}

/// The three panels of contract version 2 (needs, satisfaction, members) focused in turn on
/// the worst community: stacked at 80×24, beside the others at 160×45.
#[test]
fn snapshots_of_the_version_2_panels() {
    use super::community::Panel;
    for lang in [Lang::Zh, Lang::En] {
        let tag = if lang == Lang::Zh { "zh" } else { "en" };
        for (w, h) in [(80, 24), (160, 45)] {
            let mut app = demo_app(lang);
            key(&mut app, KeyCode::Enter);
            for (panel, name) in [
                (Panel::Needs, "needs"),
                (Panel::Satisfaction, "satisfaction"),
                (Panel::Members, "members"),
            ] {
                while !matches!(&app.screen, Screen::Community(s) if s.focus == panel) {
                    key(&mut app, KeyCode::Tab);
                }
                let text = screen_text(&draw(&app, w, h));
                if w == 80 || panel == Panel::Needs {
                    insta::assert_snapshot!(format!("panel_{name}_{tag}_{w}x{h}"), text);
                }
                // Every figure of the panel is on screen whole.
                let c = app.community(11).expect("青石社区");
                let figures: Vec<String> = match panel {
                    Panel::Needs => c
                        .needs
                        .unmet
                        .iter()
                        .map(|n| n.days_waiting.to_string())
                        .chain([format!("{}/{}", c.needs.answered, c.needs.total)])
                        .collect(),
                    Panel::Satisfaction => vec![format!(
                        "{}/{}",
                        c.satisfaction.satisfied, c.satisfaction.respondents
                    )],
                    _ => vec![
                        format!("{}/{}", c.members.recorded, c.members.active),
                        crate::indicators::hours_text(c.members.minutes),
                    ],
                };
                for figure in figures {
                    assert!(
                        text.contains(&figure),
                        "{name} {tag} {w}x{h} lacks {figure}:\n{text}"
                    );
                }
            }
        }
    }
}

#[test]
fn snapshots_of_help_and_small_and_loading() {
    let mut app = demo_app(Lang::Zh);
    keys(&mut app, "?");
    insta::assert_snapshot!("help_overview_zh", screen_text(&draw(&app, 80, 24)));
    let small = demo_app(Lang::Zh);
    insta::assert_snapshot!("too_small_zh", screen_text(&draw(&small, 50, 12)));
    let loading = App::new(Lang::En, "demo.db".into(), true, Some(today()));
    insta::assert_snapshot!("loading_en_readonly", screen_text(&draw(&loading, 80, 24)));
}

#[test]
fn default_order_is_most_alerts_first_then_street_then_community() {
    let app = demo_app(Lang::Zh);
    let snapshot = app.snapshot().expect("data");
    let rows: Vec<(u32, String, String)> = app
        .visible_rows()
        .iter()
        .map(|&i| {
            let c = &snapshot.report.communities[i];
            (c.alerts, c.street.clone(), c.name.clone())
        })
        .collect();
    let mut expected = rows.clone();
    expected.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(crate::text::name_cmp(&a.1, &b.1))
            .then(crate::text::name_cmp(&a.2, &b.2))
    });
    assert_eq!(rows, expected);
    assert_eq!(rows[0].2, "青石社区");
    assert_eq!(rows.len(), 13);
}

#[test]
fn navigation_moves_and_stops_at_the_ends() {
    let mut app = demo_app(Lang::Zh);
    assert_eq!(selected_name(&app), "青石社区");
    keys(&mut app, "j");
    assert_eq!(selected_name(&app), "松坡社区");
    keys(&mut app, "k");
    keys(&mut app, "k");
    assert_eq!(selected_name(&app), "青石社区", "stops at the top");
    keys(&mut app, "G");
    let last = visible_names(&app).last().cloned().expect("rows");
    assert_eq!(selected_name(&app), last);
    key(&mut app, KeyCode::Down);
    assert_eq!(selected_name(&app), last, "stops at the bottom");
    keys(&mut app, "g");
    assert_eq!(selected_name(&app), "青石社区");
    app.handle(Event::Resize(80, 24)); // a page is what fits
    key(&mut app, KeyCode::PageDown);
    assert_eq!(
        selected_name(&app),
        last,
        "13 rows fit on one page at 80x24"
    );
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::End);
    assert_eq!(selected_name(&app), last);
}

#[test]
fn filter_as_typed_enter_keeps_esc_clears() {
    let mut app = demo_app(Lang::Zh);
    keys(&mut app, "/枫林");
    assert_eq!(visible_names(&app), vec!["枫林社区"]);
    assert!(screen_text(&draw(&app, 80, 24)).contains("筛选：枫林"));
    key(&mut app, KeyCode::Enter);
    assert!(!app.overview.editing_filter);
    assert_eq!(visible_names(&app), vec!["枫林社区"]);
    keys(&mut app, "j"); // a navigation key again, not text
    assert_eq!(app.overview.filter, "枫林");
    keys(&mut app, "/");
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Backspace);
    keys(&mut app, "南岭");
    assert_eq!(visible_names(&app).len(), 4, "street names match too");
    key(&mut app, KeyCode::Esc);
    assert_eq!(visible_names(&app).len(), 13);
    assert!(!app.should_quit);
}

#[test]
fn filter_keeps_the_real_cursor_after_chinese_text() {
    let mut app = demo_app(Lang::Zh);
    keys(&mut app, "/枫林");
    let mut terminal = draw(&app, 80, 24);
    let text = screen_text(&terminal);
    let line = text.lines().nth(2).expect("third header line");
    let end = line.find("枫林").expect("filter on screen");
    let expected_x = crate::text::width(&line[..end]) + 4; // two wide glyphs
    let position = terminal.get_cursor_position().expect("cursor");
    assert_eq!((position.x as usize, position.y), (expected_x, 2));
}

#[test]
fn sort_cycles_and_reverses_and_is_shown() {
    let mut app = demo_app(Lang::En);
    keys(&mut app, "s");
    assert_eq!(app.overview.sort, SortKey::Street);
    assert!(screen_text(&draw(&app, 80, 24)).contains("sort: street ↓"));
    let names = visible_names(&app);
    keys(&mut app, "S");
    assert!(screen_text(&draw(&app, 80, 24)).contains("sort: street ↑"));
    let reversed = visible_names(&app);
    assert_ne!(names, reversed);
    for _ in 0..SortKey::ALL.len() - 1 {
        keys(&mut app, "s");
    }
    assert_eq!(app.overview.sort, SortKey::Alerts, "cycles back");
    // The version-2 count sorts too, most first.
    app.overview.sort = SortKey::MoreAlerts;
    let snapshot = app.snapshot().expect("data");
    let counts: Vec<u32> = app
        .visible_rows()
        .iter()
        .map(|&i| snapshot.report.communities[i].more_alerts)
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    assert!(counts[0] > 0);
    app.overview.sort = SortKey::Alerts;
    assert!(
        !app.overview.reversed,
        "a new column starts in its natural order"
    );
}

#[test]
fn flagged_only_and_street_pick() {
    let mut app = demo_app(Lang::Zh);
    keys(&mut app, "f");
    assert_eq!(
        visible_names(&app).len(),
        11,
        "two healthy communities hidden"
    );
    assert!(!visible_names(&app).contains(&"石羊塘社区".to_string()));
    keys(&mut app, "f");
    assert_eq!(visible_names(&app).len(), 13);
    keys(&mut app, "t");
    assert!(matches!(app.overlay, Some(Overlay::StreetPicker(_))));
    let streets = app.snapshot().expect("data").streets.clone();
    let xijiang = streets
        .iter()
        .position(|s| s.1 == "西江街道")
        .expect("street")
        + 1;
    for _ in 0..xijiang {
        keys(&mut app, "j");
    }
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    let names = visible_names(&app);
    assert_eq!(names.len(), 5, "{names:?}");
    assert!(names.contains(&"石羊塘社区".to_string()));
    // The header's totals are the street's: its flagged communities out of its five.
    keys(&mut app, "f");
    let flagged = visible_names(&app).len();
    keys(&mut app, "f");
    assert!(flagged < 5, "石羊塘 is healthy");
    let text = screen_text(&draw(&app, 100, 24));
    assert!(text.contains(&format!("有预警社区 {flagged}/5")), "{text}");
    key(&mut app, KeyCode::Esc);
    assert_eq!(visible_names(&app).len(), 13, "Esc clears the street");
    let text = screen_text(&draw(&app, 100, 24));
    assert!(text.contains("有预警社区 11/13"), "{text}");
}

#[test]
fn help_shows_the_bindings_in_effect_and_esc_closes_it() {
    let mut app = demo_app(Lang::En);
    keys(&mut app, "?");
    let text = screen_text(&draw(&app, 100, 30));
    for binding in super::keymap::bindings(super::keymap::Context::Overview) {
        assert!(
            text.contains(Lang::En.t(binding.help)),
            "help lacks {:?}",
            binding.help
        );
    }
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_some(), "Enter does not act under the help");
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    assert!(!app.should_quit);
}

#[test]
fn open_community_step_through_and_back_where_it_was() {
    let mut app = demo_app(Lang::Zh);
    keys(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    let Screen::Community(state) = &app.screen else {
        panic!("community screen")
    };
    assert_eq!(app.community(state.id).expect("c").name, "松坡社区");
    keys(&mut app, "]");
    let Screen::Community(state) = &app.screen else {
        panic!("community screen")
    };
    assert_eq!(app.community(state.id).expect("c").name, "滨湖社区");
    keys(&mut app, "[[");
    let Screen::Community(state) = &app.screen else {
        panic!("community screen")
    };
    assert_eq!(app.community(state.id).expect("c").name, "青石社区");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Enter);
    assert!(
        matches!(app.overlay, Some(Overlay::Detail { .. })),
        "Enter on an overdue project"
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.screen, Screen::Overview));
    assert_eq!(selected_name(&app), "青石社区");
    key(&mut app, KeyCode::Esc);
    assert!(!app.should_quit, "Esc never quits");
    keys(&mut app, "q");
    assert!(app.should_quit);
}

/// Issue 16: the snapshot holds no project rows; the community screen asks for its own when it
/// opens, says it is reading them meanwhile (the rest of the screen is drawn), ignores a late
/// answer for another community, and asks again after the file changed.
#[test]
fn the_project_list_is_read_when_the_community_opens() {
    let mut app = demo_app(Lang::Zh);
    keys(&mut app, "j");
    let effects = app.handle(Event::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    let Screen::Community(state) = &app.screen else {
        panic!("community screen")
    };
    let id = state.id;
    let asked: Vec<i64> = effects
        .iter()
        .filter_map(|e| match e {
            super::app::Effect::Read(super::worker::Request::Projects(c)) => Some(*c),
            _ => None,
        })
        .collect();
    assert_eq!(asked, vec![id], "one request, for the community on screen");
    let text = screen_text(&draw(&app, 160, 45));
    assert!(text.contains("读取中…"), "{text}");
    assert!(
        text.contains("松坡社区"),
        "the figures are drawn meanwhile: {text}"
    );
    // Nothing more is asked while the answer is on its way.
    assert!(app.handle(Event::Tick).is_empty());
    // An answer for another community (the user stepped on) changes nothing.
    let other = demo_fixture()
        .2
        .keys()
        .copied()
        .find(|c| *c != id)
        .expect("other");
    app.handle(Event::Projects(other, Ok(vec![])));
    assert!(screen_text(&draw(&app, 160, 45)).contains("读取中…"));
    let list = demo_fixture().2.get(&id).cloned().expect("projects");
    let first = format!("#{} ", list.first().expect("a project").id);
    app.handle(Event::Projects(id, Ok(list)));
    let text = screen_text(&draw(&app, 160, 45));
    assert!(!text.contains("读取中…") && text.contains(&first), "{text}");
    // Another terminal committed: the list is read again, and the old one stays meanwhile.
    let effects = app.handle(Event::Loaded(Box::new(demo_snapshot())));
    assert!(effects.iter().any(|e| matches!(
        e,
        super::app::Effect::Read(super::worker::Request::Projects(c)) if *c == id
    )));
    assert!(screen_text(&draw(&app, 160, 45)).contains(&first));
    // A failed read keeps the list on screen; with no list to keep, it says why.
    app.handle(Event::Projects(id, Err("数据库正忙".into())));
    assert!(screen_text(&draw(&app, 160, 45)).contains(&first));
    app.projects = Default::default();
    assert_eq!(app.handle(Event::Tick).len(), 1, "asked again");
    app.handle(Event::Projects(id, Err("数据库正忙".into())));
    let text = screen_text(&draw(&app, 160, 45));
    assert!(text.contains("项目读取失败：数据库正忙"), "{text}");
}

#[test]
fn ctrl_c_quits_from_a_form_like_context() {
    let mut app = demo_app(Lang::Zh);
    keys(&mut app, "/abc");
    app.handle(Event::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert!(app.should_quit);
}

#[test]
fn a_failed_reload_keeps_the_figures_and_says_so() {
    let mut app = demo_app(Lang::Zh);
    app.handle(Event::LoadFailed("数据库正忙".into()));
    assert!(app.snapshot().is_some());
    assert!(screen_text(&draw(&app, 100, 24)).contains("未能刷新：数据库正忙"));
    app.handle(Event::Loaded(Box::new(demo_snapshot())));
    assert!(app.stale.is_none());
}

/// A lost connection to the database server: said in the header at 80 columns in both
/// languages, the figures stay, and the next figures read take the notice away.
#[test]
fn a_lost_connection_is_said_in_the_header_and_the_figures_stay() {
    for lang in [Lang::Zh, Lang::En] {
        let mut app = demo_app(lang);
        app.file_label = "district@db.example".into();
        let lost = super::worker_pg::lost_text(lang);
        app.handle(Event::Disconnected(lost.to_string()));
        let text = screen_text(&draw(&app, 80, 24));
        let header = text.lines().next().unwrap_or_default().to_string();
        assert!(header.contains(lost), "{header}");
        assert!(text.contains("青石社区"), "{text}");
        assert!(app.snapshot().is_some());
        app.handle(Event::Loaded(Box::new(demo_snapshot())));
        assert!(app.disconnected.is_none());
        assert!(!screen_text(&draw(&app, 80, 24)).contains(lost));
    }
    // Lost before any figures came: said where the figures would be.
    let mut app = App::new(Lang::Zh, "d@h".into(), true, Some(today()));
    app.handle(Event::Disconnected(
        super::worker_pg::lost_text(Lang::Zh).into(),
    ));
    assert!(screen_text(&draw(&app, 80, 24)).contains("正在重连"));
}

/// A district whose names mix CJK, ASCII, emoji, combining marks and control characters.
fn hostile_snapshot() -> Snapshot {
    let names = [
        "石羊塘社区",
        "Riverside 社区 No.3",
        "🏠家园社区👨‍👩‍👧",
        "Cafe\u{301} 街坊",
        "\x1b]2;X\x07标题\x1b[2J社区",
        "\u{202E}反向\u{202C}社区",
        &"长".repeat(10_000),
    ];
    let mut district = District {
        streets: vec![Street {
            id: 1,
            name: "西江街道\x1b[31m".into(),
        }],
        ..District::default()
    };
    for (i, name) in names.iter().enumerate() {
        let id = i as i64 + 1;
        district.communities.push(Community {
            id,
            street_id: 1,
            name: (*name).to_string(),
        });
        district.projects.push(Project {
            id,
            community_id: id,
            unit_id: None,
            title: format!("\x1b]2;X\x07逾期项目{id}\u{7}"),
            due_on: parse_ymd("2026-01-31").expect("date"),
            status: Status::Active,
            done_on: None,
        });
    }
    let report = crate::indicators::compute(&district, today(), &Thresholds::default());
    let mut snapshot = demo_snapshot();
    snapshot.report = report;
    snapshot.streets = vec![(1, "西江街道".into())];
    snapshot
}

#[test]
fn mixed_text_keeps_every_column_aligned() {
    let app = app_with(hostile_snapshot(), Lang::En);
    for (width, height) in [(80, 24), (160, 45), (61, 15)] {
        let terminal = draw(&app, width, height);
        let buffer = terminal.backend().buffer();
        let header_y = 3;
        let header: String = (0..width)
            .map(|x| buffer[(x, header_y)].symbol().to_string())
            .collect();
        let q_col = header
            .find("Q1-Q4")
            .unwrap_or_else(|| panic!("no heading in {header:?}")) as u16;
        for y in header_y + 1..header_y + 8 {
            // The first quarter glyph of every row sits under the heading's first letter.
            let symbol = buffer[(q_col, y)].symbol();
            assert_eq!(
                symbol,
                "X",
                "row {y} at {width}x{height}:\n{}",
                terminal.backend()
            );
        }
    }
}

#[test]
fn control_characters_never_reach_the_screen() {
    let mut app = app_with(hostile_snapshot(), Lang::Zh);
    key(&mut app, KeyCode::End);
    keys(&mut app, "g");
    // Open the community whose name carries a title-setting escape.
    for _ in 0..4 {
        keys(&mut app, "j");
    }
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Tab);
    for (w, h) in [(80, 24), (160, 45)] {
        let terminal = draw(&app, w, h);
        for cell in terminal.backend().buffer().content.iter() {
            assert!(
                cell.symbol()
                    .chars()
                    .all(|c| !c.is_control() && !('\u{202A}'..='\u{202E}').contains(&c)),
                "control character {:?} on screen",
                cell.symbol()
            );
        }
        let text = screen_text(&terminal);
        assert!(text.contains("逾期项目"), "{text}");
    }
}

#[test]
fn notices_about_the_file_get_their_own_line() {
    let mut app = demo_app(Lang::Zh);
    app.notices =
        vec!["注意：/srv/共建.db 位于网络文件系统（nfs）上，请在存放文件的电脑上运行".into()];
    let text = screen_text(&draw(&app, 80, 24));
    let line = text.lines().nth(3).expect("fourth line");
    assert!(line.contains("位于网络文件系统"), "{text}");
    assert!(text.contains("排序：预警 ↓"), "the view line stays");
}

#[test]
fn an_empty_file_says_what_to_do_next_and_help_shows_the_thresholds() {
    let mut snapshot = demo_snapshot();
    snapshot.report.communities.clear();
    for lang in [Lang::Zh, Lang::En] {
        let app = app_with(snapshot.clone(), lang);
        let text = screen_text(&draw(&app, 100, 30));
        assert!(text.contains("gongjian import --dry-run"), "{text}");
        assert!(text.contains("gongjian init demo.db --demo"), "{text}");
        assert!(!text.contains("Esc"), "no filter to clear: {text}");
    }
    let mut app = demo_app(Lang::En);
    keys(&mut app, "?");
    let text = screen_text(&draw(&app, 100, 34));
    assert!(
        text.contains("thresholds: completion 50%  resource use 40%  participation 80%"),
        "{text}"
    );
    assert!(text.contains("gongjian settings"), "{text}");
}

/// On a server whose connection was lost, with a long notice: the header leaves out whole
/// items (never `今天 2026` without the rest of the day) and the notice wraps, whole, under it.
#[test]
fn the_header_keeps_items_whole_and_wraps_long_notices() {
    let notice = "PostgreSQL 数据库上暂不能从看板保存（调整、督办、设置、评议将在下一版本提供），看板以只读方式打开";
    for (width, height) in [(60, 15), (80, 24), (160, 45)] {
        let mut app = demo_app(Lang::Zh);
        app.file_label = "district@db.example.gov.cn".into();
        app.read_only = true;
        app.notices = vec![notice.to_string()];
        app.disconnected = Some("与数据库的连接已断开，正在重连…".into());
        let text = screen_text(&draw(&app, width, height));
        let lines: Vec<&str> = text.lines().collect();
        let first = lines[0];
        // The database's name gives way before the alert does, down to 12 cells.
        assert!(first.contains("district@db.example"), "{first}");
        assert!(first.contains("正在重连…"), "{width}: {first}");
        if first.contains("今天") {
            assert!(first.contains("今天 2026-11-28"), "{width}: {first}");
        }
        if first.contains("更新于") {
            assert!(first.trim_end().len() > first.find("更新于").unwrap_or(0) + 12);
        }
        let joined: String = lines[1..6].iter().map(|l| l.trim_end()).collect();
        assert!(joined.contains(notice), "{width}: {text}");
    }
    // At 160 columns everything fits on the first line.
    let mut app = demo_app(Lang::Zh);
    app.disconnected = Some("与数据库的连接已断开，正在重连…".into());
    let text = screen_text(&draw(&app, 160, 45));
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.contains("今天 2026-11-28") && first.contains("更新于"),
        "{first}"
    );
}
