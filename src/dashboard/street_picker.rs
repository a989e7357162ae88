//! The street picker (选择街道): its state, how keys change it, and how it is drawn. Line 0
//! is "all streets", then the streets in pinyin order ([`order`]).

use super::keymap::Action;
use super::theme::Theme;
use super::widgets::cell;
use crate::i18n::Lang;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreetPicker {
    /// The line under the cursor (0: all streets).
    pub selected: usize,
}

/// The streets as the picker lists them: by pinyin, then by id.
pub fn order(streets: &[(i64, String)]) -> Vec<&(i64, String)> {
    let mut ordered: Vec<(Vec<String>, &(i64, String))> = streets
        .iter()
        .map(|s| (crate::text::name_key(&s.1), s))
        .collect();
    ordered.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.1.cmp(&b.1.1))
            .then(a.1.0.cmp(&b.1.0))
    });
    ordered.into_iter().map(|(_, s)| s).collect()
}

/// The line of street `id` in the picker (0: all streets, also when `id` is unknown).
pub fn line_of(streets: &[(i64, String)], id: Option<i64>) -> usize {
    id.and_then(|id| order(streets).iter().position(|s| s.0 == id))
        .map_or(0, |p| p + 1)
}

/// What the app must do after a key on the picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Close,
    /// Show only this street (`None`: all streets), and close.
    Chosen(Option<i64>),
}

/// Moves the cursor over "all streets" and `streets`, or chooses.
pub fn update(picker: &mut StreetPicker, streets: &[(i64, String)], action: Action) -> Outcome {
    let streets: Vec<i64> = order(streets).iter().map(|s| s.0).collect();
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
        order(streets)
            .into_iter()
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
    let title = format!(
        " {}  {}/{choices} ",
        lang.pick("选择街道", "Pick a street"),
        selected + 1
    );
    super::widgets::picker_popup(frame, rect, title, lines, (choices, offset), theme);
}
