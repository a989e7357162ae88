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
    let thread_error = |e: std::io::Error| {
        Error::plain(
            format!("无法启动后台线程：{e}"),
            format!("cannot start a background thread: {e}"),
        )
    };
    {
        let events_tx = events_tx.clone();
        let (today, lang, path) = (ctx.fixed_today, ctx.lang, path.clone());
        let clock = app.clock.clone();
        std::thread::Builder::new()
            .name("reader".into())
            .spawn(move || worker::run(path, today, clock, lang, requests, events_tx))
            .map_err(thread_error)?;
    }
    {
        let events_tx = events_tx.clone();
        let lang = ctx.lang;
        std::thread::Builder::new()
            .name("store".into())
            .spawn(move || store_thread::run(path, read_only, lang, store_requests, events_tx))
            .map_err(thread_error)?;
    }
    std::thread::Builder::new()
        .name("input".into())
        .spawn(move || event::read_input(events_tx))
        .map_err(thread_error)?;

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
