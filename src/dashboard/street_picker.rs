//! The street picker (选择街道): its state, how keys change it, and how it is drawn. Line 0
//! is "all streets", then the streets in the snapshot's order.

use super::keymap::Action;
use super::theme::Theme;
use super::widgets::cell;
use crate::i18n::Lang;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreetPicker {
    /// The line under the cursor (0: all streets).
    pub selected: usize,
}

/// What the app must do after a key on the picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Close,
    /// Show only this street (`None`: all streets), and close.
    Chosen(Option<i64>),
}

/// Moves the cursor over "all streets" and `streets` (their ids), or chooses.
pub fn update(picker: &mut StreetPicker, streets: &[i64], action: Action) -> Outcome {
    let choices = streets.len() + 1;
    match action {
        Action::Up => picker.selected = picker.selected.saturating_sub(1),
        Action::Down => picker.selected = (picker.selected + 1).min(choices - 1),
        Action::Back => return Outcome::Close,
        Action::Open => {
            return Outcome::Chosen(
                picker
                    .selected
                    .checked_sub(1)
                    .and_then(|n| streets.get(n).copied()),
            );
        }
        _ => {}
    }
    Outcome::Stay
}

pub fn render(
    picker: &StreetPicker,
    streets: &[(i64, String)],
    lang: Lang,
    frame: &mut Frame,
    area: Rect,
    theme: Theme,
) {
    let selected = picker.selected;
    let mut lines = vec![Line::raw(lang.pick("全部街道", "all streets"))];
    lines.extend(
        streets
            .iter()
            .map(|(_, name)| Line::raw(cell(name, 30).trim_end().to_string())),
    );
    let choices = lines.len();
    let height = (lines.len() as u16 + 2).min(area.height);
    let room = height.saturating_sub(2) as usize;
    let offset = selected.saturating_sub(room.saturating_sub(1));
    let lines: Vec<Line> = lines
        .into_iter()
        .enumerate()
        .skip(offset)
        .take(room)
        .map(|(i, l)| {
            if i == selected {
                l.patch_style(theme.selected())
            } else {
                l
            }
        })
        .collect();
    let rect = super::ui::centered(area, 36, height);
    super::widgets::clear_popup(frame, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .border_style(theme.focused_border())
                .title(Span::styled(
                    format!(
                        " {}  {}/{choices} ",
                        lang.pick("选择街道", "Pick a street"),
                        selected + 1
                    ),
                    theme.title(),
                )),
        ),
        rect,
    );
    let track = Rect::new(rect.right().saturating_sub(1), rect.y + 1, 1, room as u16);
    super::widgets::scrollbar(frame, track, choices, room, offset, theme);
}
