//! The shared settings (预警线), listed to pick one to change (`=` on the overview): each with
//! its value in force, its default and range, and what it means. Enter opens the form that
//! changes it (validated, logged and undoable like every adjustment, as `gongjian settings`).

use super::keymap::Action;
use super::theme::Theme;
use crate::i18n::Lang;
use crate::model::Thresholds;
use crate::store::{SETTINGS, SettingSpec};
use crate::text::width;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SettingsPicker {
    /// The setting under the cursor (an index into [`SETTINGS`]).
    pub selected: usize,
}

/// What the app must do after a key on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Close,
    /// Open the form that changes this setting.
    Chosen(&'static SettingSpec),
}

pub fn update(picker: &mut SettingsPicker, action: Action) -> Outcome {
    match action {
        Action::Up => picker.selected = picker.selected.saturating_sub(1),
        Action::Down => picker.selected = (picker.selected + 1).min(SETTINGS.len() - 1),
        Action::Back => return Outcome::Close,
        Action::Open => {
            if let Some(spec) = SETTINGS.get(picker.selected) {
                return Outcome::Chosen(spec);
            }
        }
        _ => {}
    }
    Outcome::Stay
}

/// One setting's line: the value in force first (never cut), then its meaning.
pub fn line_text(spec: &SettingSpec, thresholds: Option<&Thresholds>, lang: Lang) -> String {
    let value = thresholds
        .and_then(|t| t.get(spec.key))
        .map_or_else(|| "?".to_string(), |v| v.to_string());
    match lang {
        Lang::Zh => format!(
            "{value:>4}  {}（默认 {}，0–{}）",
            spec.meaning.0, spec.default, spec.max
        ),
        Lang::En => format!(
            "{value:>4}  {} (default {}, 0–{})",
            spec.meaning.1, spec.default, spec.max
        ),
    }
}

/// The form's heading for `spec`: its name, its value in force and its range (what it means
/// was on the line the user chose).
pub fn heading(spec: &SettingSpec, thresholds: Option<&Thresholds>, lang: Lang) -> String {
    let value = thresholds
        .and_then(|t| t.get(spec.key))
        .map_or_else(|| "?".to_string(), |v| v.to_string());
    match lang {
        Lang::Zh => format!("{}（现为 {value}，可填 0–{}）", spec.key, spec.max),
        Lang::En => format!("{} (now {value}; 0–{})", spec.key, spec.max),
    }
}

pub fn render(
    picker: &SettingsPicker,
    thresholds: Option<&Thresholds>,
    lang: Lang,
    frame: &mut Frame,
    area: Rect,
    theme: Theme,
) {
    let texts: Vec<String> = SETTINGS
        .iter()
        .map(|spec| line_text(spec, thresholds, lang))
        .collect();
    let widest = texts.iter().map(|t| width(t)).max().unwrap_or(0) as u16;
    let rect_width = (widest + 2).clamp(30, area.width.max(30)).min(area.width);
    let inner = rect_width.saturating_sub(2) as usize;
    let choices = texts.len();
    let selected = picker.selected.min(choices.saturating_sub(1));
    // Every row on one line, cut with `…`; the selected one whole, wrapped under its value.
    let mut all: Vec<Line> = Vec::new();
    let mut selected_lines = (0, 0);
    for (i, text) in texts.iter().enumerate() {
        if i == selected && width(text) > inner {
            let first = all.len();
            for (n, part) in crate::text::wrap(text, inner.saturating_sub(6))
                .into_iter()
                .enumerate()
            {
                let part = if n == 0 {
                    part
                } else {
                    format!("      {part}")
                };
                all.push(Line::raw(part).patch_style(theme.selected()));
            }
            selected_lines = (first, all.len());
        } else {
            let line = Line::raw(super::table::pad(text, inner).trim_end().to_string());
            if i == selected {
                selected_lines = (all.len(), all.len() + 1);
                all.push(line.patch_style(theme.selected()));
            } else {
                all.push(line);
            }
        }
    }
    let total = all.len();
    let height = (total as u16 + 2).min(area.height);
    let room = height.saturating_sub(2) as usize;
    let offset = selected_lines
        .1
        .saturating_sub(room)
        .min(selected_lines.0)
        .min(total.saturating_sub(room));
    let lines: Vec<Line> = all.into_iter().skip(offset).take(room).collect();
    let rect = super::ui::centered(area, rect_width, height);
    let title = format!(
        " {}  {}/{choices} ",
        lang.pick("修改预警线", "Change a threshold"),
        selected + 1
    );
    super::widgets::picker_popup(frame, rect, title, lines, (total, offset), theme);
}
