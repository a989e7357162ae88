//! The overview (总览): one row per community.

use super::app::{App, SortKey};
use super::theme::Theme;
use super::widgets::{bar, cell, cell_right, flagged, ratio};
use crate::i18n::{Lang, quarter_glyph, terms};
use crate::indicators::{CommunityFigures, QuarterState};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Column widths for the table at a given width: names take what the figures leave.
struct Columns {
    street: usize,
    community: usize,
    completion: usize,
    bar: usize,
    resources: usize,
    overdue: usize,
    meetings: usize,
    participation: usize,
    alerts: usize,
}

impl Columns {
    fn for_width(width: usize, lang: Lang) -> Columns {
        // Each figure column is as wide as its widest content or its heading.
        let heading = |term: &str, least: usize| crate::text::width(term).max(least) + 1;
        let completion = 11; // "10/11 90.9%" + flag
        let resources = heading(lang.pick("资源利用", "resources"), 10);
        let overdue = heading(lang.t(terms::OVERDUE_SHORT), 4);
        let meetings = 9;
        let participation = heading(lang.pick("参与", "part."), 5);
        let alerts = heading(lang.t(terms::ALERTS), 4);
        let gaps = 8;
        let fixed = completion + resources + overdue + meetings + participation + alerts + gaps;
        let rest = width.saturating_sub(fixed);
        // Names first (up to what Chinese names need), then the bar takes the room left.
        let street = (rest * 2 / 5).clamp(4, 16);
        let community = rest.saturating_sub(street).clamp(4, 24);
        let left = rest.saturating_sub(street + community);
        let bar = if left >= 9 { (left - 1).min(40) } else { 0 };
        Columns {
            street,
            community,
            completion,
            bar,
            resources,
            overdue,
            meetings,
            participation,
            alerts,
        }
    }
}

fn header_line(
    lang: Lang,
    cols: &Columns,
    sort: SortKey,
    reversed: bool,
    theme: Theme,
) -> Line<'static> {
    let mark = |key: SortKey, text: &str, width: usize, right: bool| -> Span<'static> {
        let label = if key == sort {
            format!("{text}{}", if reversed { "^" } else { "v" })
        } else {
            text.to_string()
        };
        let body = if right {
            cell_right(&label, width)
        } else {
            cell(&label, width)
        };
        let style = if key == sort {
            theme.header().patch(theme.title())
        } else {
            theme.header()
        };
        Span::styled(body, style)
    };
    let gap = || Span::raw(" ");
    let mut spans = vec![
        mark(SortKey::Street, lang.t(terms::STREET), cols.street, false),
        gap(),
        mark(
            SortKey::Community,
            lang.t(terms::COMMUNITY),
            cols.community,
            false,
        ),
        gap(),
        mark(
            SortKey::Completion,
            lang.pick("完成率", "complete"),
            cols.completion,
            true,
        ),
        gap(),
    ];
    if cols.bar > 0 {
        spans.push(Span::raw(" ".repeat(cols.bar)));
        spans.push(gap());
    }
    spans.extend([
        mark(
            SortKey::Resources,
            lang.pick("资源利用", "resources"),
            cols.resources,
            true,
        ),
        gap(),
        mark(
            SortKey::Overdue,
            lang.t(terms::OVERDUE_SHORT),
            cols.overdue,
            true,
        ),
        gap(),
        mark(
            SortKey::Meetings,
            lang.pick(" 例会", " Q1-Q4"),
            cols.meetings,
            false,
        ),
        gap(),
        mark(
            SortKey::Participation,
            lang.pick("参与", "part."),
            cols.participation,
            true,
        ),
        gap(),
        mark(SortKey::Alerts, lang.t(terms::ALERTS), cols.alerts, true),
    ]);
    Line::from(spans)
}

fn quarter_span(lang: Lang, state: QuarterState, theme: Theme) -> Span<'static> {
    let style = match state {
        QuarterState::Held => theme.good(),
        QuarterState::Missing => theme.alert(),
        QuarterState::Pending => theme.warn(),
        QuarterState::Future => theme.dim(),
    };
    let glyph = quarter_glyph(lang, state);
    // English glyphs are one cell: pad each to two so both languages take eight cells.
    let text = if lang == Lang::En {
        format!("{glyph} ")
    } else {
        glyph.to_string()
    };
    Span::styled(text, style)
}

fn row_line(c: &CommunityFigures, lang: Lang, cols: &Columns, theme: Theme) -> Line<'static> {
    let gap = || Span::raw(" ");
    let mut spans = vec![
        Span::raw(cell(&c.street, cols.street)),
        gap(),
        Span::raw(cell(&c.name, cols.community)),
        gap(),
    ];
    spans.extend(flagged(
        ratio(c.completion.done, c.completion.total, c.completion.pct),
        c.completion.alert,
        cols.completion,
        theme,
    ));
    spans.push(gap());
    if cols.bar > 0 {
        spans.extend(bar(c.completion.pct, c.completion.alert, cols.bar, theme));
        spans.push(gap());
    }
    spans.extend(flagged(
        ratio(c.resources.used, c.resources.offered, c.resources.pct),
        c.resources.alert,
        cols.resources,
        theme,
    ));
    spans.push(gap());
    spans.extend(flagged(
        c.overdue.len().to_string(),
        !c.overdue.is_empty(),
        cols.overdue,
        theme,
    ));
    spans.push(gap());
    spans.push(Span::raw(" "));
    for q in c.meetings.quarters {
        spans.push(quarter_span(lang, q, theme));
    }
    spans.push(gap());
    let part = c.participation_flags();
    spans.extend(flagged(
        format!("{}+{}", c.low_participation.len(), c.inactive_units.len()),
        part > 0,
        cols.participation,
        theme,
    ));
    spans.push(gap());
    let alerts_style = if c.alerts > 0 {
        theme.alert()
    } else {
        theme.good()
    };
    spans.push(Span::styled(
        cell_right(&c.alerts.to_string(), cols.alerts),
        alerts_style,
    ));
    Line::from(spans)
}

/// Draws the table into `area` (header row included).
pub fn render_table(app: &App, frame: &mut Frame, area: Rect, theme: Theme) {
    let Some(snapshot) = app.snapshot() else {
        return;
    };
    let cols = Columns::for_width(area.width as usize, app.lang);
    let rows = app.visible_rows();
    let selected = app.selected_row(&rows);
    let body_height = area.height.saturating_sub(1) as usize;
    app.overview.page_rows.set(body_height.max(1));
    // Keep the selection on screen, a page at a time.
    let offset = selected
        .checked_div(body_height)
        .map_or(0, |page| page * body_height);

    let mut lines = vec![header_line(
        app.lang,
        &cols,
        app.overview.sort,
        app.overview.reversed,
        theme,
    )];
    for (position, &index) in rows.iter().enumerate().skip(offset).take(body_height) {
        let mut line = row_line(&snapshot.report.communities[index], app.lang, &cols, theme);
        if position == selected {
            line = line.patch_style(theme.selected());
        }
        lines.push(line);
    }
    if rows.is_empty() {
        lines.push(Line::styled(
            app.lang.pick(
                "（没有符合条件的社区；按 Esc 清除筛选）",
                "(no community matches; Esc clears the filters)",
            ),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
