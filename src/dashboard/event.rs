//! One event type on one channel: keys from the input thread, data from the worker.

use super::worker::Snapshot;
use crate::model::ProjectDetail;
use ratatui::crossterm::event::{self, KeyEvent, KeyEventKind};
use std::sync::mpsc::Sender;

#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    /// The terminal's new width and height.
    Resize(u16, u16),
    /// Text pasted into the terminal (bracketed paste), in one piece.
    Paste(String),
    /// Half a second without input.
    Tick,
    Loaded(Box<Snapshot>),
    /// The figures of the communities another terminal's commit changed, to splice in.
    Refreshed(Box<super::worker::Refresh>),
    LoadFailed(String),
    /// The connection to the database server is lost: the figures on screen stay, the header
    /// says this until the reader has connected again and read the district.
    Disconnected(String),
    Detail(i64, Option<Box<ProjectDetail>>),
    DetailFailed(i64, String),
    /// Sessions of some projects, for the sparklines (project id → held_on, planned, actual).
    Sessions(crate::model::SessionLists),
    /// The projects of one community, by due date (or why they could not be read).
    Projects(i64, Result<Vec<crate::model::Project>, String>),
    /// What the writing thread did.
    Stored(super::store_thread::StoreReply),
}

/// Reads the terminal until the channel closes. Only key presses are kept (Windows terminals
/// also send releases).
pub fn read_input(events: Sender<Event>) {
    loop {
        // A tick twice a second while no key comes, so that waiting states (a save held up by
        // another program's lock) are redrawn.
        match event::poll(std::time::Duration::from_millis(500)) {
            Ok(true) => {}
            Ok(false) => {
                if events.send(Event::Tick).is_err() {
                    return;
                }
                continue;
            }
            Err(_) => return,
        }
        let event = match event::read() {
            Ok(event::Event::Key(key)) if key.kind == KeyEventKind::Press => Event::Key(key),
            Ok(event::Event::Resize(w, h)) => Event::Resize(w, h),
            Ok(event::Event::Paste(text)) => Event::Paste(text),
            Ok(_) => continue,
            Err(_) => return,
        };
        if events.send(event).is_err() {
            return;
        }
    }
}
