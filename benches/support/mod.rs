//! Shared by the scale benchmarks: generated districts, the dashboard driven headlessly, and
//! min / median / max over repeated runs.
#![allow(dead_code)]

use gongjian::dashboard::app::{App, Data};
use gongjian::dashboard::event::Event;
use gongjian::dashboard::theme::Theme;
use gongjian::dashboard::ui;
use gongjian::dashboard::worker::Snapshot;
use gongjian::generate::{Spec, generate};
use gongjian::i18n::Lang;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The anchor day of every benchmark file and figure.
pub const TODAY: &str = "2026-11-28";

pub fn today() -> chrono::NaiveDate {
    gongjian::dates::parse_ymd(TODAY).expect("valid day")
}

/// Generates a district into `dir` (seed 1, dates around [`TODAY`]).
pub fn district(dir: &Path, communities: u32, projects: u32, activities: u32) -> PathBuf {
    let path = dir.join(format!("c{communities}-p{projects}-a{activities}.db"));
    let spec = Spec {
        communities,
        projects_per_community: projects,
        activities_per_project: activities,
        seed: 1,
        today: today(),
    };
    generate(&path, &spec).expect("generate");
    path
}

/// The dashboard state with `snapshot` loaded, on the overview, as after start.
pub fn app(snapshot: Snapshot) -> App {
    let mut app = App::new(Lang::Zh, "bench.db".into(), false, Some(today()));
    app.handle(Event::Loaded(Box::new(snapshot)));
    app
}

pub fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(160, 45)).expect("terminal")
}

pub fn draw(app: &App, terminal: &mut Terminal<TestBackend>) {
    terminal
        .draw(|frame| ui::render(app, frame, Theme::projector()))
        .expect("draw");
}

/// One key press handled and the screen redrawn, as the dashboard's loop does.
pub fn keystroke(app: &mut App, terminal: &mut Terminal<TestBackend>, code: KeyCode) {
    app.handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    draw(app, terminal);
}

/// The keystrokes measured: moving, sorting, typing into the filter, clearing it.
pub const KEYS: &[(&str, &[KeyCode])] = &[
    ("move (j)", &[KeyCode::Char('j')]),
    ("move (PgDn)", &[KeyCode::PageDown]),
    ("sort (s)", &[KeyCode::Char('s')]),
    ("reverse sort (S)", &[KeyCode::Char('S')]),
    (
        "filter: type a letter",
        &[KeyCode::Char('/'), KeyCode::Char('社')],
    ),
    ("flagged only (f)", &[KeyCode::Char('f')]),
];

/// Times each of [`KEYS`] `runs` times on `app` (the filter is cleared between runs; the
/// preparing keys are not timed).
pub fn time_keys(app: &mut App, runs: usize) -> Vec<(&'static str, Vec<Duration>)> {
    let mut terminal = terminal();
    draw(app, &mut terminal);
    KEYS.iter()
        .map(|(name, codes)| {
            let (prepare, timed) = codes.split_at(codes.len() - 1);
            let mut times = Vec::with_capacity(runs);
            for _ in 0..runs {
                for code in prepare {
                    keystroke(app, &mut terminal, *code);
                }
                let start = Instant::now();
                keystroke(app, &mut terminal, timed[0]);
                times.push(start.elapsed());
                if !prepare.is_empty() {
                    // Enter then Esc: leave the filter and clear it for the next run.
                    keystroke(app, &mut terminal, KeyCode::Enter);
                    keystroke(app, &mut terminal, KeyCode::Esc);
                }
            }
            (*name, times)
        })
        .collect()
}

/// "min / median / max" in milliseconds.
pub fn spread(times: &[Duration]) -> String {
    let mut ms: Vec<f64> = times.iter().map(|t| t.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    if ms.is_empty() {
        return "-".into();
    }
    format!(
        "{:.2} / {:.2} / {:.2}",
        ms[0],
        ms[ms.len() / 2],
        ms[ms.len() - 1]
    )
}

pub fn snapshot_with_figures(app: &App) -> Arc<Snapshot> {
    match &app.data {
        Data::Ready(s) => s.clone(),
        _ => panic!("no figures"),
    }
}
