//! The overview (总览): one row per community.

use super::app::{App, SortKey};
use super::table::{Cell, Column, KEEP, Kind, Table};
use super::theme::Theme;
use super::widgets::{ratio, scrollbar};
use crate::i18n::{Lang, terms};
use crate::indicators::{CommunityFigures, QuarterState};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The overview's columns, the sorted one marked; names take what the figures leave, the bar
/// what the names leave.
fn columns(lang: Lang, sort: SortKey, reversed: bool, theme: Theme) -> Vec<Column> {
    let column = |key: SortKey, head: &str, kind: Kind, priority: u8| {
        if key == sort {
            // The mark stands apart from the label.
            let mark = if reversed { "↑" } else { "↓" };
            Column::new(format!("{head} {mark}"), kind, priority)
                .head_style(theme.header().patch(theme.title()))
        } else {
            Column::new(head, kind, priority)
        }
    };
    vec![
        column(SortKey::Street, lang.t(terms::STREET), Kind::Text, 3).min(4),
        column(
            SortKey::Community,
            lang.t(terms::COMMUNITY),
            Kind::Text,
            KEEP,
        )
        .min(6),
        column(
            SortKey::Completion,
            lang.pick("完成率", "complete"),
            Kind::Number,
            9,
        ),
        Column::new("", Kind::Bar(40), 0),
        column(
            SortKey::Resources,
            lang.pick("资源利用", "resources"),
            Kind::Number,
            6,
        ),
        column(
            SortKey::Overdue,
            lang.t(terms::OVERDUE_SHORT),
            Kind::Number,
            8,
        ),
        column(
            SortKey::Meetings,
            lang.pick("例会", "Q1-Q4"),
            Kind::Fixed,
            5,
        ),
        column(
            SortKey::Participation,
            lang.pick("参与", "part."),
            Kind::Number,
            4,
        ),
        column(SortKey::Alerts, lang.t(terms::ALERTS), Kind::Number, KEEP),
    ]
}

fn quarter_span(lang: Lang, state: QuarterState, theme: Theme) -> Span<'static> {
    let style = match state {
        QuarterState::Held => theme.good(),
        QuarterState::Missing => theme.alert(),
        QuarterState::Pending => theme.warn(),
        QuarterState::Future => theme.dim(),
    };
    let glyph = state.glyph(lang);
    // English glyphs are one cell: pad each to two so both languages take eight cells.
    let text = if lang == Lang::En {
        format!("{glyph} ")
    } else {
        glyph.to_string()
    };
    Span::styled(text, style)
}

fn row_cells(c: &CommunityFigures, lang: Lang, theme: Theme) -> Vec<Cell> {
    let alerts_style = if c.alerts > 0 {
        theme.alert()
    } else {
        theme.good()
    };
    vec![
        Cell::text(&c.street),
        Cell::text(&c.name),
        Cell::flagged(
            ratio(c.completion.done, c.completion.total, c.completion.pct),
            c.completion.alert,
            theme,
        ),
        Cell::Bar(c.completion.pct, c.completion.alert),
        Cell::flagged(
            ratio(c.resources.used, c.resources.offered, c.resources.pct),
            c.resources.alert,
            theme,
        ),
        Cell::flagged(c.overdue.len().to_string(), !c.overdue.is_empty(), theme),
        Cell::Spans(
            c.meetings
                .quarters
                .iter()
                .map(|q| quarter_span(lang, *q, theme))
                .collect(),
        ),
        Cell::flagged(
            format!("{}+{}", c.low_participation.len(), c.inactive_units.len()),
            c.participation_flags() > 0,
            theme,
        ),
        Cell::Number(c.alerts.to_string(), alerts_style, false),
    ]
}

/// The table of every visible row (all of them, so that columns keep their width while the
/// selection moves).
pub fn table(app: &App, rows: &[usize], theme: Theme) -> Table {
    let mut table = Table::new(columns(
        app.lang,
        app.overview.sort,
        app.overview.reversed,
        theme,
    ));
    if let Some(snapshot) = app.snapshot() {
        for &index in rows {
            table.push(row_cells(
                &snapshot.report.communities[index],
                app.lang,
                theme,
            ));
        }
    }
    table
}

/// Rows of the table that fit in a body of `height` lines (the heading takes one).
pub fn page_rows(height: u16) -> usize {
    (height.saturating_sub(1) as usize).max(1)
}

/// The first row shown: pages of `page` rows, so the selection stays on screen.
pub fn offset(selected: usize, page: usize) -> usize {
    selected.checked_div(page).map_or(0, |p| p * page)
}

/// From this width on the overview shows the selected community's flags beside the table.
pub const PANE_FROM: u16 = 150;

/// The flags of community `id` in the review's words, wrapped to `cells`.
pub fn info_lines(app: &App, id: i64, cells: usize, theme: Theme) -> Vec<Line<'static>> {
    let lang = app.lang;
    let (Some(snapshot), Some(c)) = (app.snapshot(), app.community(id)) else {
        return Vec::new();
    };
    let reasons =
        crate::review::flag_reasons(c, &snapshot.report.thresholds, app.open_decisions(id), lang);
    let mut lines = vec![Line::styled(
        crate::text::clean(&format!("{} / {}", c.street, c.name)),
        theme.title(),
    )];
    if reasons.is_empty() {
        lines.push(Line::styled(
            lang.pick("没有预警。", "Nothing is flagged."),
            theme.good(),
        ));
    }
    for (n, reason) in reasons.iter().enumerate() {
        let mark = format!("{}. ", n + 1);
        let indent = " ".repeat(mark.len());
        for (k, part) in crate::text::wrap(reason, cells.saturating_sub(mark.len()))
            .into_iter()
            .enumerate()
        {
            let lead = if k == 0 { mark.clone() } else { indent.clone() };
            lines.push(Line::from(vec![
                Span::styled(lead, theme.alert()),
                Span::raw(part),
            ]));
        }
    }
    lines
}

/// Where the flags pop-up sits in the body for `count` lines.
pub fn info_rect(body: Rect, count: usize) -> Rect {
    super::ui::centered(body, 72, count as u16 + 2)
}

/// The flags pop-up's lines in a body of this size.
pub fn info_popup_lines(app: &App, id: i64, body: Rect, theme: Theme) -> Vec<Line<'static>> {
    let inner = body.width.min(72).saturating_sub(2) as usize;
    info_lines(app, id, inner, theme)
}

pub fn render_info_popup(
    app: &App,
    id: i64,
    scroll: usize,
    frame: &mut Frame,
    body: Rect,
    theme: Theme,
) {
    let lines = info_popup_lines(app, id, body, theme);
    let rect = info_rect(body, lines.len());
    super::widgets::scrolled_popup(
        frame,
        rect,
        app.lang.pick("预警原因", "Why flagged"),
        lines,
        scroll,
        app.lang,
        theme,
    );
}

/// The overview: the table, and on wide screens the selected community's flags beside it.
pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: Theme) {
    if area.width < PANE_FROM {
        render_table(app, frame, area, theme);
        return;
    }
    let pane_width = (area.width / 4).clamp(36, 60);
    let table_area = Rect::new(area.x, area.y, area.width - pane_width, area.height);
    let pane = Rect::new(table_area.right(), area.y, pane_width, area.height);
    render_table(app, frame, table_area, theme);
    let rows = app.visible_rows();
    let selected = app.selected_row(&rows);
    let block = ratatui::widgets::Block::bordered()
        .border_style(theme.border())
        .title(Span::styled(
            format!(" {} ", app.lang.pick("预警原因", "Why flagged")),
            theme.title(),
        ));
    let inner = block.inner(pane);
    frame.render_widget(block, pane);
    if let (Some(&index), Some(snapshot)) = (rows.get(selected), app.snapshot()) {
        let id = snapshot.report.communities[index].id;
        let lines = info_lines(app, id, inner.width as usize, theme);
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// Draws the table into `area` (header row included), with a scrollbar when it scrolls.
pub fn render_table(app: &App, frame: &mut Frame, area: Rect, theme: Theme) {
    let Some(snapshot) = app.snapshot() else {
        return;
    };
    let rows = app.visible_rows();
    let selected = app.selected_row(&rows);
    let body_height = page_rows(area.height);
    let scrolls = rows.len() > body_height;
    let width = area.width.saturating_sub(u16::from(scrolls)) as usize;
    let table = table(app, &rows, theme);
    let widths = table.widths(width);
    let offset = offset(selected, body_height);

    let mut lines = vec![table.header(&widths, theme)];
    for position in (offset..rows.len()).take(body_height) {
        let mut line = table.row(position, &widths, theme);
        if position == selected {
            line = line.patch_style(theme.selected());
        }
        lines.push(line);
    }
    if snapshot.report.communities.is_empty() {
        // A new, empty file: say what to do next rather than talk about filters.
        let next: [(&str, &str); 3] = [
            (
                "（数据库里还没有社区）",
                "(no communities in this file yet)",
            ),
            (
                "导入本单位的表格：gongjian import --dry-run 表格.xlsx，无误后去掉 --dry-run",
                "import the office's sheets: gongjian import --dry-run SHEET.xlsx, then without --dry-run",
            ),
            (
                "或先看演示数据：gongjian init demo.db --demo",
                "or look at the demo first: gongjian init demo.db --demo",
            ),
        ];
        for (zh, en) in next {
            lines.push(Line::styled(app.lang.pick(zh, en), theme.dim()));
        }
    } else if rows.is_empty() {
        lines.push(Line::styled(
            app.lang.pick(
                "（没有符合条件的社区；按 Esc 清除筛选）",
                "(no community matches; Esc clears the filters)",
            ),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
    if scrolls {
        let bar_area = Rect::new(
            area.right().saturating_sub(1),
            area.y + 1,
            1,
            area.height.saturating_sub(1),
        );
        scrollbar(frame, bar_area, rows.len(), body_height, offset, theme);
    }
}
