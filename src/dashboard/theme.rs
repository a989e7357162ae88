//! Colours that read on dark and light backgrounds and on a projector: the 16 basic colours
//! only, and never colour alone (every flag also has a glyph or text). `NO_COLOR` turns colour
//! off and leaves bold and reverse video.
//!
//! Two looks: `projector` (the default) draws everything that must be read in the terminal's
//! own text colour or a strong colour, never dark grey; `classic` keeps the earlier look with
//! dark grey hints, borders and bar backgrounds.

use ratatui::style::{Color, Modifier, Style};

pub use crate::context::ThemeName;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub name: ThemeName,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty.
    pub fn from_env(name: ThemeName) -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme {
            color: !no_color,
            name,
        }
    }

    /// The default look, in colour (for tests).
    pub fn projector() -> Theme {
        Theme {
            color: true,
            name: ThemeName::Projector,
        }
    }

    /// The earlier look, in colour.
    pub fn classic() -> Theme {
        Theme {
            color: true,
            name: ThemeName::Classic,
        }
    }

    /// Dark grey only in the classic look; the projector's hints use the text colour.
    fn grey(self) -> Style {
        match (self.color, self.name) {
            (true, ThemeName::Classic) => Style::new().fg(Color::DarkGray),
            _ => Style::new(),
        }
    }

    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn plain(self) -> Style {
        Style::new()
    }

    pub fn title(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn header(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// Hints and secondary words.
    pub fn dim(self) -> Style {
        self.grey()
    }

    /// A flagged figure: red and bold (and a `!` beside it, added by the caller).
    pub fn alert(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn good(self) -> Style {
        self.fg(Color::Green)
    }

    pub fn warn(self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// The filled part of a bar: a coloured background, or reverse video without colour.
    pub fn bar_filled(self, alert: bool) -> Style {
        match (self.color, alert) {
            (true, true) => Style::new().bg(Color::Red),
            (true, false) => Style::new().bg(Color::Green),
            (false, _) => Style::new().add_modifier(Modifier::REVERSED),
        }
    }

    /// The empty part of a bar: a dark grey background in the classic look; `None` when the
    /// bar draws dots instead (no colour, or the projector, where dark grey does not show).
    pub fn bar_empty(self) -> Option<Style> {
        match (self.color, self.name) {
            (true, ThemeName::Classic) => Some(Style::new().bg(Color::DarkGray)),
            _ => None,
        }
    }

    /// The border of a panel without focus.
    pub fn border(self) -> Style {
        self.grey()
    }

    pub fn focused_border(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
}
