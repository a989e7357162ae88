//! One width-aware table layout for every table on the screens.
//!
//! Each column has a kind, a priority, a minimum and a preferred width:
//! - a **number** is as wide as its widest figure (or its heading) and is never cut;
//! - a **text** column (names, titles) shrinks down to its minimum, cut with `…`, and takes the
//!   spare width up to its widest entry;
//! - a **fixed** column (dates, glyph rows) is as wide as its widest entry;
//! - a **bar** grows last, after every number and name has its width.
//!
//! When even the minimums do not fit, the column with the lowest priority drops out first;
//! columns marked [`KEEP`] never drop.

use super::theme::Theme;
use super::widgets::bar;
use crate::indicators::Pct;
use crate::text::{clean, width};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// The priority of a column that never drops out.
pub const KEEP: u8 = u8::MAX;

/// What a truncated name ends with.
pub const ELLIPSIS: &str = "…";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Number,
    Fixed,
    /// A bar of at most this many cells.
    Bar(usize),
}

#[derive(Debug, Clone)]
pub struct Column {
    pub head: String,
    pub kind: Kind,
    /// Higher stays longer; [`KEEP`] never drops.
    pub priority: u8,
    /// Narrowest a text column or a bar may get.
    pub min: usize,
    /// Style of the heading (the sorted column is marked by the caller).
    pub head_style: Option<Style>,
}

impl Column {
    pub fn new(head: impl Into<String>, kind: Kind, priority: u8) -> Column {
        let min = match kind {
            Kind::Text => 6,
            Kind::Bar(_) => 8,
            _ => 0,
        };
        Column {
            head: head.into(),
            kind,
            priority,
            min,
            head_style: None,
        }
    }

    pub fn min(mut self, min: usize) -> Column {
        self.min = min;
        self
    }

    pub fn head_style(mut self, style: Style) -> Column {
        self.head_style = Some(style);
        self
    }
}

/// One cell of a row.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String, Style),
    /// A figure, right-aligned, followed by a one-cell flag slot (`!` when flagged).
    Number(String, Style, bool),
    /// Spans of a known width (glyph rows, dates), left-aligned.
    Spans(Vec<Span<'static>>),
    Bar(Option<Pct>, bool),
    Empty,
}

impl Cell {
    pub fn text(text: &str) -> Cell {
        Cell::Text(clean(text), Style::new())
    }

    pub fn styled(text: &str, style: Style) -> Cell {
        Cell::Text(clean(text), style)
    }

    pub fn number(text: impl Into<String>) -> Cell {
        Cell::Number(text.into(), Style::new(), false)
    }

    /// A figure in the alert style with `!` after it when `alert`.
    pub fn flagged(text: impl Into<String>, alert: bool, theme: Theme) -> Cell {
        let style = if alert { theme.alert() } else { Style::new() };
        Cell::Number(text.into(), style, alert)
    }

    fn natural(&self) -> usize {
        match self {
            Cell::Text(t, _) => width(t),
            Cell::Number(t, _, _) => width(t) + 1,
            Cell::Spans(spans) => spans.iter().map(|s| width(&s.content)).sum(),
            Cell::Bar(..) | Cell::Empty => 0,
        }
    }
}

/// A table: columns and rows of cells (one per column).
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

/// `text` cut to `max` cells with `…`, never through a wide glyph.
pub fn cut(text: &str, max: usize) -> String {
    crate::text::truncate_with(text, max, ELLIPSIS)
}

/// `text` cut with `…` and padded to exactly `cells`.
pub fn pad(text: &str, cells: usize) -> String {
    let mut out = cut(text, cells);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(w)));
    out
}

/// `text` padded on the left to `cells` (never cut: the caller gave it room).
pub fn pad_right(text: &str, cells: usize) -> String {
    let mut out: String = std::iter::repeat_n(' ', cells.saturating_sub(width(text))).collect();
    out.push_str(text);
    out
}

/// Columns' widths for `total` cells with `gap` cells between columns: 0 for a column that
/// dropped out. `natural[i]` is the widest entry of column `i` (heading included).
pub fn layout(columns: &[Column], natural: &[usize], total: usize, gap: usize) -> Vec<usize> {
    let n = columns.len();
    // (least, most) per column.
    let bounds: Vec<(usize, usize)> = columns
        .iter()
        .zip(natural)
        .map(|(c, &nat)| match c.kind {
            Kind::Number | Kind::Fixed => (nat, nat),
            Kind::Text => (c.min.min(nat), nat),
            Kind::Bar(most) => (c.min.min(most), most),
        })
        .collect();
    // Bars are not counted until the names have their width.
    let is_bar = |i: usize| matches!(columns[i].kind, Kind::Bar(_));
    let mut active: Vec<bool> = (0..n).map(|i| !is_bar(i)).collect();
    let needed = |active: &[bool]| -> usize {
        let count = active.iter().filter(|a| **a).count();
        let least: usize = (0..n).filter(|&i| active[i]).map(|i| bounds[i].0).sum();
        least + gap * count.saturating_sub(1)
    };
    while needed(&active) > total {
        // The lowest priority goes first; of equal ones, the rightmost.
        let drop = (0..n)
            .filter(|&i| active[i] && columns[i].priority != KEEP)
            .min_by_key(|&i| (columns[i].priority, std::cmp::Reverse(i)));
        match drop {
            Some(i) => active[i] = false,
            None => break,
        }
    }
    let mut widths: Vec<usize> = (0..n)
        .map(|i| if active[i] { bounds[i].0 } else { 0 })
        .collect();
    let mut spare = total.saturating_sub(needed(&active));
    // Names take the spare width first, a cell at a time each, up to their widest entry.
    let texts: Vec<usize> = (0..n)
        .filter(|&i| active[i] && columns[i].kind == Kind::Text)
        .collect();
    while spare > 0 {
        let mut grew = false;
        for &i in &texts {
            if spare > 0 && widths[i] < bounds[i].1 {
                widths[i] += 1;
                spare -= 1;
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    // Then bars, when what is left is long enough to read.
    for i in (0..n).filter(|&i| is_bar(i)) {
        let (least, most) = bounds[i];
        if spare >= least + gap && least > 0 {
            widths[i] = (spare - gap).min(most);
            spare -= widths[i] + gap;
        }
    }
    // If some kept column could not shrink enough, cut text columns from the right.
    let mut over = (0..n)
        .filter(|&i| widths[i] > 0)
        .map(|i| widths[i] + gap)
        .sum::<usize>()
        .saturating_sub(gap)
        .saturating_sub(total);
    for i in (0..n).rev() {
        if over == 0 {
            break;
        }
        if columns[i].kind == Kind::Text && widths[i] > 1 {
            let cut = over.min(widths[i] - 1);
            widths[i] -= cut;
            over -= cut;
        }
    }
    widths
}

impl Table {
    pub fn new(columns: Vec<Column>) -> Table {
        Table {
            columns,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    /// The widest entry of each column, heading included.
    pub fn natural(&self) -> Vec<usize> {
        self.columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let rows = self
                    .rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(Cell::natural)
                    .max()
                    .unwrap_or(0);
                let head = width(&c.head) + usize::from(c.kind == Kind::Number);
                rows.max(head)
            })
            .collect()
    }

    pub fn widths(&self, total: usize) -> Vec<usize> {
        layout(&self.columns, &self.natural(), total, 1)
    }

    /// The cells the table takes when nothing limits it: every column at its widest entry,
    /// bars at their longest, one cell between columns. More width than this stays empty.
    pub fn full_width(&self) -> usize {
        let widest: usize = self
            .columns
            .iter()
            .zip(self.natural())
            .map(|(c, nat)| match c.kind {
                Kind::Bar(most) => most,
                _ => nat,
            })
            .sum();
        widest + self.columns.len().saturating_sub(1)
    }

    pub fn header(&self, widths: &[usize], theme: Theme) -> Line<'static> {
        let mut spans = Vec::new();
        for (i, column) in self.columns.iter().enumerate() {
            let w = widths[i];
            if w == 0 {
                continue;
            }
            if !spans.is_empty() {
                spans.push(Span::raw(" "));
            }
            let style = column.head_style.unwrap_or_else(|| theme.header());
            let body = match column.kind {
                // The heading stands over the figures, which end one cell before the flag slot.
                Kind::Number => format!("{} ", pad_right(&cut(&column.head, w - 1), w - 1)),
                Kind::Bar(_) => " ".repeat(w),
                _ => pad(&column.head, w),
            };
            spans.push(Span::styled(body, style));
        }
        Line::from(spans)
    }

    pub fn row(&self, index: usize, widths: &[usize], theme: Theme) -> Line<'static> {
        let mut spans: Vec<Span<'static>> = Vec::new();
        let Some(row) = self.rows.get(index) else {
            return Line::default();
        };
        let mut first = true;
        for (i, cell) in row.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(0);
            if w == 0 {
                continue;
            }
            if !first {
                spans.push(Span::raw(" "));
            }
            first = false;
            match cell {
                Cell::Text(text, style) => spans.push(Span::styled(pad(text, w), *style)),
                Cell::Number(text, style, alert) => {
                    spans.push(Span::styled(pad_right(text, w - 1), *style));
                    spans.push(if *alert {
                        Span::styled("!", *style)
                    } else {
                        Span::raw(" ")
                    });
                }
                Cell::Spans(parts) => {
                    let used: usize = parts.iter().map(|s| width(&s.content)).sum();
                    spans.extend(parts.iter().cloned());
                    if used < w {
                        spans.push(Span::raw(" ".repeat(w - used)));
                    }
                }
                Cell::Bar(pct, alert) => spans.extend(bar(*pct, *alert, w, theme)),
                Cell::Empty => spans.push(Span::raw(" ".repeat(w))),
            }
        }
        Line::from(spans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols() -> Vec<Column> {
        vec![
            Column::new("street", Kind::Text, 1).min(4),
            Column::new("name", Kind::Text, KEEP).min(4),
            Column::new("done", Kind::Number, 5),
            Column::new("", Kind::Bar(40), 0),
            Column::new("alerts", Kind::Number, KEEP),
        ]
    }

    #[test]
    fn numbers_keep_their_width_and_names_take_the_rest() {
        let natural = [8, 20, 12, 0, 7];
        // Everything at its widest, the bar gets what is left (up to 40).
        assert_eq!(layout(&cols(), &natural, 200, 1), vec![8, 20, 12, 40, 7]);
        // The bar only grows after the names have their width.
        assert_eq!(layout(&cols(), &natural, 60, 1), vec![8, 20, 12, 9, 7]);
        // A bar shorter than its minimum stays out; names shrink evenly.
        assert_eq!(layout(&cols(), &natural, 40, 1), vec![8, 10, 12, 0, 7]);
        // Narrower: the street goes before the completion figure.
        let w = layout(&cols(), &natural, 26, 1);
        assert_eq!(w, vec![0, 5, 12, 0, 7]);
        // Never the name or the alerts.
        let w = layout(&cols(), &natural, 10, 1);
        assert!(w[1] > 0 && w[4] == 7, "{w:?}");
    }

    #[test]
    fn cuts_with_an_ellipsis_on_cell_boundaries() {
        assert_eq!(cut("青石建材市场管理有限公司", 9), "青石建材…");
        assert_eq!(width(&pad("青石建材市场", 8)), 8);
        assert_eq!(pad_right("27/98 27.6%", 12), " 27/98 27.6%");
    }
}
