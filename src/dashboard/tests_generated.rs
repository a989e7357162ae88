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

/// 24 communities of 120 projects: counts in the tens and hundreds; two long names.
fn generated() -> Snapshot {
    static DISTRICT: OnceLock<Snapshot> = OnceLock::new();
    DISTRICT
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let mut store = crate::store::Store::create(&dir.path().join("g.db")).expect("create");
            let spec = crate::generate::Spec {
                communities: 24,
                projects_per_community: 120,
                activities_per_project: 3,
                seed: 7,
                today: today(),
            };
            crate::generate::fill(&mut store, &spec).expect("generate");
            store
                .conn()
                .execute_batch(
                    "UPDATE community SET name = '青石建材市场周边老旧小区联合社区' WHERE id = 1;
                     UPDATE unit SET name = '青石建材市场管理有限公司第二分公司' WHERE id = 1;",
                )
                .expect("long names");
            let mut snapshot = read_snapshot(&store, Some(today())).expect("read");
            snapshot.loaded_at = chrono::Local
                .with_ymd_and_hms(2026, 11, 30, 9, 30, 0)
                .single()
                .expect("time");
            snapshot
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

fn key(app: &mut App, code: KeyCode) {
    app.handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
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
