//! The terminal screens: an input thread, the worker (figures) and the store thread (the
//! read-write connection) feed one event channel; the main thread turns events into state
//! changes and draws a frame after each.
//!
//! Every screen (`overview`, `community`, `review`, `history`, `assess`) and every overlay (`menu`,
//! `form`, `help`, `detail`, `street_picker`, the flags pop-up in `overview`) has the same
//! shape in its own file: a state, an `update` that turns a key action into a change of that
//! state plus an outcome (what the app must do: requests for the threads, another screen or
//! overlay), and a `render` that draws from a view of the data and the state. No screen sees
//! the [`app::App`]: the app only dispatches keys and replies to the screen in front and
//! carries out outcomes; drawing reads the state and never changes it. Nothing is kept in
//! process-wide variables (the last operator comes back in the reply to a save).

mod adjusting;
pub mod app;
pub mod assess;
mod community;
pub mod detail;
pub mod event;
pub mod form;
mod help;
pub mod history;
pub mod keymap;
pub mod menu;
mod overview;
pub mod picker;
pub mod review;
pub mod settings_picker;
pub mod store_thread;
pub mod street_picker;
pub mod table;
pub mod text_input;
pub mod theme;
pub mod ui;
mod widgets;
pub mod worker;
pub mod worker_pg;

use crate::context::{Context, notice_text};
use crate::error::{Error, Result};
use crate::store::Access;
use app::{App, Effect};
use event::Event;
use std::sync::mpsc;
use theme::Theme;

/// Opens the file (refusing a bad one before the screen changes), then runs the dashboard
/// until the user quits.
pub fn run(ctx: &Context) -> Result<()> {
    run_with(ctx, false)
}

/// `gongjian review`: the dashboard, starting with the weekly review of the flagged
/// communities (of the terminal's street, if any).
pub fn run_review(ctx: &Context) -> Result<()> {
    run_with(ctx, true)
}

fn run_with(ctx: &Context, review: bool) -> Result<()> {
    if let Some(text) = ctx.db.path().to_str()
        && crate::store::pg::is_pg_url(text)
    {
        let url = crate::store::pg::PgUrl::parse(text, crate::store::pg::Given::of(text))?;
        return run_on_server(ctx, url, review);
    }
    let store = ctx.open_store(Access::ReadWrite)?;
    // The terminal's street (`--street`, or remembered): a name that matches nothing stops
    // here, before the screen changes.
    let scope = ctx.street_scope(store.conn())?;
    let street = scope.street.as_ref().map(|s| s.id);
    let path = store.path().to_path_buf();
    let label = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let read_only = store.is_read_only();
    let mut app = App::new(ctx.lang, label, read_only, ctx.fixed_today);
    app.operator_flag = ctx.operator.clone();
    app.overview.street = street;
    app.pending_review = review.then_some(street);
    app.export_folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(
            || std::path::PathBuf::from("."),
            std::path::Path::to_path_buf,
        );
    app.notices = store
        .notices()
        .iter()
        .map(|n| notice_text(n, ctx.lang, &path))
        .chain(
            scope
                .notice
                .iter()
                .map(|(zh, en)| ctx.lang.pick(zh, en).to_string()),
        )
        .collect();
    drop(store);

    let (events_tx, events) = mpsc::channel::<Event>();
    let (requests_tx, requests) = mpsc::channel();
    let (store_tx, store_requests) = mpsc::channel();
    {
        let events_tx = events_tx.clone();
        let (today, lang, path) = (ctx.fixed_today, ctx.lang, path.clone());
        let clock = app.clock.clone();
        spawn("reader", move || {
            worker::run(path, today, clock, lang, requests, events_tx)
        })?;
    }
    {
        let events_tx = events_tx.clone();
        let lang = ctx.lang;
        spawn("store", move || {
            store_thread::run(path, read_only, lang, store_requests, events_tx)
        })?;
    }
    run_screen(ctx, app, events_tx, events, requests_tx, store_tx)
}

/// The dashboard on a PostgreSQL database: opened first (refusing a bad one before the screen
/// changes), then read by [`worker_pg`]; its store thread ([`store_thread::run_pg`]) saves
/// adjustments and settings there as on the file.
fn run_on_server(ctx: &Context, url: crate::store::pg::PgUrl, review: bool) -> Result<()> {
    // Opened for writing when allowed, as the file is: an older district is upgraded and the
    // notifications' triggers made if missing; a role that may not write falls back to
    // read-only with the usual notice.
    let access = if ctx.readonly {
        Access::ReadOnly
    } else {
        Access::ReadWrite
    };
    let mut store = crate::store::pg::PgStore::open(&url, access)?;
    // The terminal's street (`--street`, or remembered): a name that matches nothing stops
    // here, before the screen changes.
    let scope = store.read(|src| ctx.street_scope(src))?;
    let street = scope.street.as_ref().map(|s| s.id);
    let shown = std::path::PathBuf::from(url.shown());
    let read_only = store.is_read_only();
    let mut app = App::new(ctx.lang, url.label(), read_only, ctx.fixed_today);
    if read_only {
        app.write_refusal = Some(
            ctx.lang
                .pick(
                    "数据库以只读方式打开，不能调整",
                    "the database is open read-only: adjustments cannot be saved",
                )
                .to_string(),
        );
    }
    app.operator_flag = ctx.operator.clone();
    app.overview.street = street;
    app.pending_review = review.then_some(street);
    app.notices = store
        .notices()
        .iter()
        .map(|n| notice_text(n, ctx.lang, &shown))
        .chain(
            scope
                .notice
                .iter()
                .map(|(zh, en)| ctx.lang.pick(zh, en).to_string()),
        )
        .collect();
    drop(store);
    let (events_tx, events) = mpsc::channel::<Event>();
    let (requests_tx, requests) = mpsc::channel();
    let (store_tx, store_requests) = mpsc::channel();
    {
        let events_tx = events_tx.clone();
        let (today, lang, url) = (ctx.fixed_today, ctx.lang, url.clone());
        let clock = app.clock.clone();
        spawn("reader", move || {
            worker_pg::run(url, today, clock, lang, requests, events_tx)
        })?;
    }
    {
        let events_tx = events_tx.clone();
        let lang = ctx.lang;
        spawn("store", move || {
            store_thread::run_pg(url, read_only, lang, store_requests, events_tx)
        })?;
    }
    run_screen(ctx, app, events_tx, events, requests_tx, store_tx)
}

/// Starts a background thread.
fn spawn(name: &str, work: impl FnOnce() + Send + 'static) -> Result<()> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(work)
        .map(|_| ())
        .map_err(|e| {
            Error::plain(
                format!("无法启动后台线程：{e}"),
                format!("cannot start a background thread: {e}"),
            )
        })
}

/// Runs the screen until the user quits, the reader and store threads started.
fn run_screen(
    ctx: &Context,
    mut app: App,
    events_tx: mpsc::Sender<Event>,
    events: mpsc::Receiver<Event>,
    requests_tx: mpsc::Sender<worker::Request>,
    store_tx: mpsc::Sender<store_thread::StoreRequest>,
) -> Result<()> {
    spawn("input", move || event::read_input(events_tx))?;

    let theme = Theme::from_env(ctx.theme);
    let mut terminal = ratatui::init();
    if let Ok(size) = terminal.size() {
        app.size = (size.width, size.height);
    }
    // Pasted text arrives in one piece, so that a paste is never read as keys.
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::EnableBracketedPaste
    );
    let result = (|| -> std::io::Result<()> {
        terminal.draw(|frame| ui::render(&app, frame, theme))?;
        while let Ok(event) = events.recv() {
            let mut only_ticks = matches!(event, Event::Tick);
            let mut effects = app.handle(event);
            // Take whatever else has arrived before drawing once.
            while let Ok(more) = events.try_recv() {
                only_ticks &= matches!(more, Event::Tick);
                effects.extend(app.handle(more));
            }
            for effect in effects {
                let _ = match effect {
                    Effect::Read(request) => requests_tx.send(request).map_err(|_| ()),
                    Effect::Store(request) => store_tx.send(request).map_err(|_| ()),
                };
            }
            if app.should_quit {
                break;
            }
            if only_ticks && !app.is_waiting() {
                continue; // nothing changed on screen
            }
            terminal.draw(|frame| ui::render(&app, frame, theme))?;
        }
        Ok(())
    })();
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::DisableBracketedPaste
    );
    ratatui::restore();
    result.map_err(|e| Error::plain(format!("终端错误：{e}"), format!("terminal error: {e}")))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod tests_adjust;

#[cfg(test)]
mod tests_generated;
