//! Small pieces of screen shared by the panels: cells cut to width, flagged figures, bars.

use super::theme::Theme;
use crate::indicators::Pct;
use crate::text::{clean, fit, fit_right};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState};

/// Data text (cleaned of control characters) cut and padded to `width` cells.
pub fn cell(text: &str, width: usize) -> String {
    fit(&clean(text), width)
}

pub fn cell_right(text: &str, width: usize) -> String {
    fit_right(&clean(text), width)
}

/// A figure followed by `!` when flagged (a space when not, so columns stay aligned), red when
/// flagged: never colour alone.
pub fn flagged<'a>(text: String, alert: bool, width: usize, theme: Theme) -> Vec<Span<'a>> {
    let body = fit_right(&text, width.saturating_sub(1));
    if alert {
        vec![
            Span::styled(body, theme.alert()),
            Span::styled("!", theme.alert()),
        ]
    } else {
        vec![Span::raw(body), Span::raw(" ")]
    }
}

/// `done/total pct%`, or `-` without a denominator.
pub fn ratio(part: u32, whole: u32, pct: Option<Pct>) -> String {
    match pct {
        Some(p) => format!("{part}/{whole} {p}%"),
        None => "-".to_string(),
    }
}

pub use crate::report::pct_text;

/// A bar `width` cells wide, filled in proportion: coloured background (or reverse video)
/// over plain spaces, so it is one cell per column on every terminal.
pub fn bar<'a>(pct: Option<Pct>, alert: bool, width: usize, theme: Theme) -> Vec<Span<'a>> {
    if width == 0 {
        return Vec::new();
    }
    let filled = pct
        .map_or(0, |p| (p.ratio() * width as f64).round() as usize)
        .min(width);
    let mut spans = Vec::new();
    if filled > 0 {
        spans.push(Span::styled(" ".repeat(filled), theme.bar_filled(alert)));
    }
    if filled < width {
        let rest = width - filled;
        match theme.bar_empty() {
            Some(style) => spans.push(Span::styled(" ".repeat(rest), style)),
            None => spans.push(Span::raw(".".repeat(rest))),
        }
    }
    spans
}

/// A vertical scrollbar in `area` (one column) for `total` lines of which `shown` are shown
/// from `offset`. Nothing when everything fits.
pub fn scrollbar(
    frame: &mut Frame,
    area: Rect,
    total: usize,
    shown: usize,
    offset: usize,
    theme: Theme,
) {
    if total <= shown || area.height == 0 {
        return;
    }
    let mut state = ScrollbarState::new(total.saturating_sub(shown))
        .position(offset)
        .viewport_content_length(shown);
    frame.render_stateful_widget(
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .track_symbol(Some("│"))
            .thumb_symbol("█")
            .track_style(theme.plain())
            .thumb_style(theme.key()),
        area,
        &mut state,
    );
}

/// Empties `area` for a pop-up, including the halves of wide characters that stick into it
/// from the left or out of it to the right: a terminal would otherwise keep drawing the
/// glyph over the pop-up's border (or skip the border cell).
pub fn clear_popup(frame: &mut Frame, area: Rect) {
    let buf = frame.buffer_mut();
    let bounds = buf.area;
    for y in area.top()..area.bottom() {
        // A wide glyph starting just left of the pop-up covers its first column.
        if area.x > bounds.x {
            let left = (area.x - 1, y);
            if buf
                .cell(left)
                .is_some_and(|c| crate::text::width(c.symbol()) > 1)
                && let Some(cell) = buf.cell_mut(left)
            {
                cell.reset();
            }
        }
        for x in area.left()..area.right() {
            if let Some(cell) = buf.cell_mut((x, y)) {
                cell.reset();
            }
        }
        // The trailing half of a glyph cut by the right edge is blank too.
        if area.right() < bounds.right()
            && let Some(cell) = buf.cell_mut((area.right(), y))
            && cell.symbol().is_empty()
        {
            cell.reset();
        }
    }
}

/// The largest first line for `total` lines in `room` lines.
pub fn max_scroll(total: usize, room: usize) -> usize {
    total.saturating_sub(room)
}

/// A pop-up of `lines` in `rect`: cleared underneath, bordered, titled with the lines shown
/// (`1-20/35`) and a hint when it scrolls, with a scrollbar on its right border.
pub fn scrolled_popup(
    frame: &mut Frame,
    rect: Rect,
    title: &str,
    lines: Vec<ratatui::text::Line<'static>>,
    scroll: usize,
    lang: crate::i18n::Lang,
    theme: Theme,
) {
    use ratatui::widgets::{Block, Paragraph};
    clear_popup(frame, rect);
    let room = rect.height.saturating_sub(2) as usize;
    let total = lines.len();
    let scroll = scroll.min(max_scroll(total, room));
    let title = if total > room {
        format!(
            " {title}  {}-{}/{total}  {} ",
            scroll + 1,
            (scroll + room).min(total),
            lang.pick("↑↓ 滚动", "↑↓ scroll")
        )
    } else {
        format!(" {title} ")
    };
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll as u16, 0)).block(
            Block::bordered()
                .border_style(theme.focused_border())
                .title(Span::styled(title, theme.title())),
        ),
        rect,
    );
    if total > room {
        let track = Rect::new(rect.right().saturating_sub(1), rect.y + 1, 1, room as u16);
        scrollbar(frame, track, total, room, scroll, theme);
    }
}

/// A picker's pop-up: cleared underneath, bordered as focused, titled `title` (its position
/// already in it), showing `lines` (those from line `offset` of `total`) with a scrollbar on
/// its right border.
pub fn picker_popup(
    frame: &mut Frame,
    rect: Rect,
    title: String,
    lines: Vec<ratatui::text::Line<'_>>,
    (total, offset): (usize, usize),
    theme: Theme,
) {
    use ratatui::widgets::{Block, Paragraph};
    clear_popup(frame, rect);
    let room = rect.height.saturating_sub(2) as usize;
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .border_style(theme.focused_border())
                .title(Span::styled(title, theme.title())),
        ),
        rect,
    );
    let track = Rect::new(rect.right().saturating_sub(1), rect.y + 1, 1, room as u16);
    scrollbar(frame, track, total, room, offset, theme);
}

/// The names a wrapped sentence about community `c` must not split: its street, its own name
/// and its units' names (a name longer than a line is still cut, see [`crate::text::wrap_keeping`]).
pub fn names_of(c: &crate::indicators::CommunityFigures) -> Vec<String> {
    let mut names = vec![crate::text::clean(&c.street), crate::text::clean(&c.name)];
    names.extend(
        c.completion
            .units
            .iter()
            .map(|u| crate::text::clean(&u.name)),
    );
    names.extend(c.inactive_units.iter().map(|u| crate::text::clean(&u.name)));
    names.extend(
        c.overdue
            .iter()
            .filter_map(|o| o.unit_name.as_deref().map(crate::text::clean)),
    );
    names.sort();
    names.dedup();
    names
}

/// Participation of each session as one braille glyph (not of ambiguous width), low to full.
pub fn sparkline(sessions: &[(i64, i64)]) -> String {
    const LEVELS: [char; 8] = ['⡀', '⣀', '⣄', '⣤', '⣦', '⣶', '⣷', '⣿'];
    sessions
        .iter()
        .map(|&(planned, actual)| {
            if planned <= 0 {
                return ' ';
            }
            let level = (i128::from(actual.max(0)) * 8 / i128::from(planned)).clamp(0, 7);
            LEVELS[level as usize]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_levels() {
        assert_eq!(sparkline(&[(10, 0), (10, 5), (10, 10), (10, 20)]), "⡀⣦⣿⣿");
        assert_eq!(sparkline(&[(100, 49), (8, 1), (8, 7)]), "⣤⣀⣿");
        assert_eq!(sparkline(&[]), "");
    }

    #[test]
    fn bars_fill_in_proportion() {
        let theme = Theme {
            color: false,
            name: super::super::theme::ThemeName::Classic,
        };
        let spans = bar(Pct::of(1, 2), false, 10, theme);
        let text: String = spans.iter().map(|s| s.content.to_string()).collect();
        assert_eq!(text, "     .....");
        let spans = bar(None, false, 4, theme);
        let text: String = spans.iter().map(|s| s.content.to_string()).collect();
        assert_eq!(text, "....");
    }
}
