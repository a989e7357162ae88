//! The community screen (社区详情): four panels, a 2×2 grid when there is room, stacked and
//! scrolled to the focused panel when not.

use super::app::{App, CommunityState, Panel};
use super::theme::Theme;
use super::widgets::{bar, cell, cell_right, flagged, pct_text, ratio, sparkline};
use crate::i18n::{Lang, quarter_glyph, quarter_word, status_word, terms};
use crate::indicators::{CommunityFigures, QuarterState};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

/// What a panel shows: fixed lines on top, then rows that scroll with the selection.
struct PanelContent {
    title: String,
    head: Vec<Line<'static>>,
    rows: Vec<Line<'static>>,
    /// Index in `rows` of the selected row, when the panel is focused.
    selected: Option<usize>,
}

impl PanelContent {
    fn natural_height(&self) -> u16 {
        (self.head.len() + self.rows.len().max(1) + 2) as u16
    }
}

/// The wide layout needs room for two panels side by side.
pub fn is_wide(area: Rect) -> bool {
    area.width >= 110 && area.height >= 28
}

pub fn render(app: &App, state: &CommunityState, frame: &mut Frame, area: Rect, theme: Theme) {
    let Some(community) = app.community(state.id) else {
        frame.render_widget(
            Paragraph::new(app.lang.pick(
                "该社区已不在文件中。按 Esc 返回。",
                "This community is no longer in the file. Esc goes back.",
            )),
            area,
        );
        return;
    };
    let [head_area, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    frame.render_widget(Paragraph::new(heading(app, community, theme)), head_area);

    let inner_width = if is_wide(area) {
        body.width / 2
    } else {
        body.width
    }
    .saturating_sub(2) as usize;
    let panels: Vec<PanelContent> = Panel::ALL
        .iter()
        .map(|&panel| {
            let selected = (state.focus == panel).then_some(state.rows[panel.index()]);
            content(app, community, panel, selected, inner_width, theme)
        })
        .collect();

    if is_wide(area) {
        // Two by two, with the open decisions in a strip below.
        let decisions_height = panels[4].natural_height().clamp(3, 8);
        let [grid, strip] =
            Layout::vertical([Constraint::Min(6), Constraint::Length(decisions_height)])
                .areas(body);
        draw_panel(
            &panels[4],
            state.focus == Panel::Decisions,
            strip,
            frame.buffer_mut(),
            theme,
        );
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(grid);
        let [a, b] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(top);
        let [c, d] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(bottom);
        for (i, rect) in [a, b, c, d].into_iter().enumerate() {
            draw_panel(
                &panels[i],
                Panel::ALL[i] == state.focus,
                rect,
                frame.buffer_mut(),
                theme,
            );
        }
    } else {
        draw_stacked(&panels, state.focus, body, frame.buffer_mut(), theme);
    }
}

fn heading(app: &App, c: &CommunityFigures, theme: Theme) -> Line<'static> {
    let rows = app.visible_rows();
    let position = app
        .snapshot()
        .and_then(|s| {
            rows.iter()
                .position(|&i| s.report.communities[i].id == c.id)
        })
        .map(|p| format!("  ({}/{})", p + 1, rows.len()))
        .unwrap_or_default();
    let alerts_style = if c.alerts > 0 {
        theme.alert()
    } else {
        theme.good()
    };
    Line::from(vec![
        Span::styled(
            format!(
                "{} / {}",
                cell(&c.street, 20).trim_end(),
                cell(&c.name, 30).trim_end()
            ),
            theme.title(),
        ),
        Span::raw("  "),
        Span::styled(
            format!("{} {}", app.lang.t(terms::ALERTS), c.alerts),
            alerts_style,
        ),
        Span::styled(
            match app
                .snapshot()
                .and_then(|s| s.overdue_decisions.get(&c.id))
                .copied()
            {
                None | Some(0) => String::new(),
                Some(n) => format!("  {} {n}!", app.lang.pick("督办逾期", "late decisions")),
            },
            theme.alert(),
        ),
        Span::styled(position, theme.dim()),
    ])
}

/// Lays the panels one under the other at their natural heights and scrolls so that the
/// focused one is in view (as much of it as fits).
fn draw_stacked(panels: &[PanelContent], focus: Panel, area: Rect, buf: &mut Buffer, theme: Theme) {
    let heights: Vec<u16> = panels
        .iter()
        .enumerate()
        .map(|(i, p)| {
            // The focused panel may take the whole screen; the others stay compact.
            let natural = p.natural_height();
            if Panel::ALL[i] == focus {
                natural.min(area.height.max(3))
            } else {
                natural.min(area.height / 2).max(3)
            }
        })
        .collect();
    let total: u16 = heights.iter().sum();
    let focus_top: u16 = heights[..focus.index()].iter().sum();
    let focus_height = heights[focus.index()];
    let max_scroll = total.saturating_sub(area.height);
    // Show the focused panel from its top; prefer to keep earlier panels if it still fits.
    let scroll = if focus_top + focus_height <= area.height {
        0
    } else {
        focus_top.min(max_scroll)
    };

    let virtual_area = Rect::new(0, 0, area.width, total);
    let mut canvas = Buffer::empty(virtual_area);
    let mut y = 0;
    for (i, panel) in panels.iter().enumerate() {
        let rect = Rect::new(0, y, area.width, heights[i]);
        draw_panel(panel, Panel::ALL[i] == focus, rect, &mut canvas, theme);
        y += heights[i];
    }
    for row in 0..area.height {
        let source_y = row + scroll;
        if source_y >= total {
            break;
        }
        for x in 0..area.width {
            if let (Some(src), Some(dst)) = (
                canvas.cell((x, source_y)),
                buf.cell_mut((area.x + x, area.y + row)),
            ) {
                *dst = src.clone();
            }
        }
    }
}

fn draw_panel(panel: &PanelContent, focused: bool, area: Rect, buf: &mut Buffer, theme: Theme) {
    let border = if focused {
        theme.focused_border()
    } else {
        theme.dim()
    };
    let title = if focused {
        format!(" > {} ", panel.title)
    } else {
        format!(" {} ", panel.title)
    };
    let block = Block::bordered()
        .border_style(border)
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    block.render(area, buf);
    let room = (inner.height as usize).saturating_sub(panel.head.len());
    let selected = panel.selected.unwrap_or(0);
    let offset = if room == 0 {
        0
    } else {
        selected.saturating_sub(room - 1)
    };
    let mut lines: Vec<Line> = panel.head.clone();
    for (i, row) in panel.rows.iter().enumerate().skip(offset).take(room) {
        let row = row.clone();
        lines.push(if Some(i) == panel.selected {
            row.patch_style(theme.selected())
        } else {
            row
        });
    }
    Paragraph::new(lines).render(inner, buf);
}

fn content(
    app: &App,
    c: &CommunityFigures,
    panel: Panel,
    selected: Option<usize>,
    width: usize,
    theme: Theme,
) -> PanelContent {
    let lang = app.lang;
    match panel {
        Panel::Completion => completion(c, lang, selected, width, theme),
        Panel::Overdue => overdue(c, lang, selected, width, theme),
        Panel::Meetings => meetings(c, lang, selected, width, theme),
        Panel::Participation => participation(app, c, selected, width, theme),
        Panel::Decisions => decisions(app, c, selected, width, theme),
    }
}

fn none_line(lang: Lang, theme: Theme) -> Line<'static> {
    Line::styled(format!("  {}", lang.t(terms::NONE)), theme.dim())
}

fn completion(
    c: &CommunityFigures,
    lang: Lang,
    selected: Option<usize>,
    width: usize,
    theme: Theme,
) -> PanelContent {
    let figure = ratio(c.completion.done, c.completion.total, c.completion.pct);
    let mut gauge = vec![Span::raw(format!("{} ", lang.pick("完成", "done")))];
    gauge.extend(flagged(figure, c.completion.alert, 13, theme));
    gauge.push(Span::raw(" "));
    gauge.extend(bar(
        c.completion.pct,
        c.completion.alert,
        width.saturating_sub(20).min(40),
        theme,
    ));
    let mut resources = vec![Span::raw(format!("{} ", lang.pick("资源", "used")))];
    resources.extend(flagged(
        ratio(c.resources.used, c.resources.offered, c.resources.pct),
        c.resources.alert,
        13,
        theme,
    ));
    resources.push(Span::raw(" "));
    resources.extend(bar(
        c.resources.pct,
        c.resources.alert,
        width.saturating_sub(20).min(40),
        theme,
    ));
    resources.push(Span::styled(
        format!(" {}", lang.t(terms::RESOURCES)),
        theme.dim(),
    ));

    let name_width = width.saturating_sub(16).max(6);
    let head = vec![
        Line::from(gauge),
        Line::from(resources),
        Line::styled(
            format!(
                "{}{}",
                cell(lang.t(terms::UNIT), name_width),
                cell_right(lang.pick("完成/总数", "done/total"), 15)
            ),
            theme.header(),
        ),
    ];
    let mut rows: Vec<Line<'static>> = c
        .completion
        .units
        .iter()
        .map(|u| {
            let mut spans = vec![Span::raw(cell(&u.name, name_width))];
            spans.extend(flagged(ratio(u.done, u.total, u.pct), u.alert, 15, theme));
            Line::from(spans)
        })
        .collect();
    if rows.is_empty() {
        rows.push(none_line(lang, theme));
    }
    PanelContent {
        title: format!(
            "{} {}",
            lang.t(terms::COMPLETION),
            pct_text(c.completion.pct)
        ),
        head,
        rows,
        selected,
    }
}

fn overdue(
    c: &CommunityFigures,
    lang: Lang,
    selected: Option<usize>,
    width: usize,
    theme: Theme,
) -> PanelContent {
    let (due, days) = (10, 6);
    let rest = width.saturating_sub(due + days + 3);
    let unit_width = (rest / 3).clamp(4, 20);
    let title_width = rest.saturating_sub(unit_width).max(4);
    let head = vec![Line::styled(
        format!(
            "{} {} {} {}",
            cell(lang.t(terms::PROJECT), title_width),
            cell(lang.pick("牵头单位", "lead unit"), unit_width),
            cell(lang.t(terms::DUE_ON), due),
            cell_right(lang.pick("逾期天", "days"), days)
        ),
        theme.header(),
    )];
    let mut rows: Vec<Line<'static>> = c
        .overdue
        .iter()
        .map(|o| {
            let mut title = o.title.clone();
            if o.status == crate::model::Status::Paused {
                title = format!("[{}] {title}", status_word(lang, o.status));
            }
            let unit = o
                .unit_name
                .clone()
                .unwrap_or_else(|| lang.pick("（社区自办）", "(community)").to_string());
            Line::from(vec![
                Span::raw(format!(
                    "{} {} {} ",
                    cell(&title, title_width),
                    cell(&unit, unit_width),
                    cell(&o.due_on, due)
                )),
                Span::styled(cell_right(&o.days_overdue.to_string(), days), theme.alert()),
            ])
        })
        .collect();
    if rows.is_empty() {
        rows.push(none_line(lang, theme));
    }
    PanelContent {
        title: format!("{} {}", lang.t(terms::OVERDUE), c.overdue.len()),
        head,
        rows,
        selected,
    }
}

fn meetings(
    c: &CommunityFigures,
    lang: Lang,
    selected: Option<usize>,
    width: usize,
    theme: Theme,
) -> PanelContent {
    let rows = c
        .meetings
        .quarters
        .iter()
        .enumerate()
        .map(|(q, state)| {
            let style = match state {
                QuarterState::Held => theme.good(),
                QuarterState::Missing => theme.alert(),
                QuarterState::Pending => theme.warn(),
                QuarterState::Future => theme.dim(),
            };
            let dates = c.meetings.held_on[q].join(" ");
            let word = if *state == QuarterState::Missing {
                format!("{}!", quarter_word(lang, *state))
            } else {
                quarter_word(lang, *state).to_string()
            };
            Line::from(vec![
                Span::raw(format!("Q{} ", q + 1)),
                Span::styled(
                    format!("{} {} ", quarter_glyph(lang, *state), cell(&word, 8)),
                    style,
                ),
                Span::raw(cell(&dates, width.saturating_sub(15))),
            ])
        })
        .collect();
    PanelContent {
        title: format!(
            "{} {}",
            lang.t(terms::MEETINGS),
            match lang {
                Lang::Zh => format!("未开 {}", c.meetings.missing),
                Lang::En => format!("{} missing", c.meetings.missing),
            }
        ),
        head: Vec::new(),
        rows,
        selected,
    }
}

fn participation(
    app: &App,
    c: &CommunityFigures,
    selected: Option<usize>,
    width: usize,
    theme: Theme,
) -> PanelContent {
    let lang = app.lang;
    let spark = 8;
    let numbers = 7 + 7 + 8;
    let title_width = width.saturating_sub(numbers + spark + 2).max(6);
    let head = vec![Line::styled(
        format!(
            "{}{}{}{} {}",
            cell(lang.t(terms::PROJECT), title_width),
            cell_right(lang.t(terms::PLANNED), 7),
            cell_right(lang.t(terms::ACTUAL), 7),
            cell_right(lang.pick("参与率", "rate"), 8),
            cell(lang.pick(" 近期", " recent"), spark + 1),
        ),
        theme.header(),
    )];
    let mut rows: Vec<Line<'static>> = Vec::new();
    for p in &c.low_participation {
        let sessions: Vec<(i64, i64)> = app
            .sessions
            .get(&p.project_id)
            .map(|list| {
                list.iter()
                    .rev()
                    .take(spark)
                    .rev()
                    .map(|&(_, planned, actual)| (planned, actual))
                    .collect()
            })
            .unwrap_or_default();
        let mut spans = vec![Span::raw(format!(
            "{}{}{}",
            cell(&p.title, title_width),
            cell_right(&p.planned.to_string(), 7),
            cell_right(&p.actual.to_string(), 7)
        ))];
        spans.extend(flagged(pct_text(p.pct), true, 8, theme));
        spans.push(Span::raw("  "));
        spans.push(Span::styled(sparkline(&sessions), theme.warn()));
        rows.push(Line::from(spans));
    }
    for u in &c.inactive_units {
        rows.push(Line::from(vec![
            Span::styled(
                format!("{} ", lang.pick("参与不足", "inactive")),
                theme.alert(),
            ),
            Span::raw(cell(&u.name, title_width.saturating_sub(9).max(4))),
            Span::raw(format!(
                " {}",
                match lang {
                    Lang::Zh => format!("全年活动 {} 次!", u.activities),
                    Lang::En => format!("{} activities!", u.activities),
                }
            )),
        ]));
    }
    if rows.is_empty() {
        rows.push(none_line(lang, theme));
    }
    PanelContent {
        title: format!(
            "{} {}",
            lang.t(terms::LOW_PARTICIPATION),
            c.participation_flags()
        ),
        head,
        rows,
        selected,
    }
}

fn decisions(
    app: &App,
    c: &CommunityFigures,
    selected: Option<usize>,
    width: usize,
    theme: Theme,
) -> PanelContent {
    use crate::review::DecisionState;
    let lang = app.lang;
    let list = app.open_decisions(c.id);
    let overdue = list
        .iter()
        .filter(|d| d.state == DecisionState::Overdue)
        .count();
    let mut rows: Vec<Line<'static>> = list
        .iter()
        .map(|d| {
            let style = if d.state == DecisionState::Overdue {
                theme.alert()
            } else {
                theme.warn()
            };
            let state = match (lang, d.state) {
                (Lang::Zh, DecisionState::Overdue) => format!("逾期 {} 天!", d.days_overdue),
                (Lang::En, DecisionState::Overdue) => format!("{} days late!", d.days_overdue),
                _ => lang.t(d.state.label()).to_string(),
            };
            Line::from(vec![
                Span::styled(cell(&state, 12), style),
                Span::raw(format!(
                    "{} {} {}",
                    cell(&d.due_on, 10),
                    cell(&d.owner, 10),
                    cell(&d.text, width.saturating_sub(36).max(6))
                )),
            ])
        })
        .collect();
    if rows.is_empty() {
        rows.push(none_line(lang, theme));
    }
    PanelContent {
        title: match lang {
            Lang::Zh => format!("督办事项 {}（逾期 {overdue}）", list.len()),
            Lang::En => format!("decisions {} ({overdue} late)", list.len()),
        },
        head: Vec::new(),
        rows,
        selected,
    }
}
