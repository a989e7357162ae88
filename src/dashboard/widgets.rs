//! Small pieces of screen shared by the panels: cells cut to width, flagged figures, bars.

use super::theme::Theme;
use crate::indicators::Pct;
use crate::text::{clean, fit, fit_right};
use ratatui::text::Span;

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
        if theme.color {
            spans.push(Span::styled(" ".repeat(rest), theme.bar_empty()));
        } else {
            spans.push(Span::raw(".".repeat(rest)));
        }
    }
    spans
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
        let theme = Theme { color: false };
        let spans = bar(Pct::of(1, 2), false, 10, theme);
        let text: String = spans.iter().map(|s| s.content.to_string()).collect();
        assert_eq!(text, "     .....");
        let spans = bar(None, false, 4, theme);
        let text: String = spans.iter().map(|s| s.content.to_string()).collect();
        assert_eq!(text, "....");
    }
}
