//! The community screen (社区详情): its state, how keys change it, and how it is drawn.
//!
//! Panels sit two to a row when there is room, stacked and scrolled to the focused panel when
//! not. Each panel is one entry of [`Panel::ALL`] and one function returning its
//! [`PanelContent`]: adding a panel touches only this file.

use super::keymap::Action;
use super::table::{Cell, Column, KEEP, Kind, Table};
use super::theme::Theme;
use super::widgets::{bar, flagged, pct_text, ratio, scrollbar, sparkline};
use super::worker::Snapshot;
use crate::i18n::{Lang, terms};
use crate::indicators::{CommunityFigures, QuarterState};
use crate::model::SessionLists;
use crate::review::Decision;
use crate::text::clean;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

/// The panels of the community screen, in `Tab` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Completion,
    Overdue,
    Meetings,
    Participation,
    /// Needs (需求对接): unmet needs flagged, idle resources.
    Needs,
    /// Residents' satisfaction (群众满意度) per project.
    Satisfaction,
    /// Party members' service (党员报到纪实) per workplace unit, with hours.
    Members,
    /// The community's decisions (督办事项) still open.
    Decisions,
    /// Every project of the community (or of one unit, chosen in the completion panel).
    Projects,
}

impl Panel {
    pub const ALL: [Panel; 9] = [
        Panel::Completion,
        Panel::Overdue,
        Panel::Meetings,
        Panel::Participation,
        Panel::Needs,
        Panel::Satisfaction,
        Panel::Members,
        Panel::Decisions,
        Panel::Projects,
    ];

    pub fn index(self) -> usize {
        Panel::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

#[derive(Debug, Clone)]
pub struct CommunityState {
    pub id: i64,
    pub focus: Panel,
    /// Selected row in each panel.
    pub rows: [usize; Panel::ALL.len()],
    /// The project list shows only this unit's projects (chosen with Enter on a unit).
    pub unit: Option<i64>,
}

impl CommunityState {
    pub fn new(id: i64) -> CommunityState {
        CommunityState {
            id,
            focus: Panel::Completion,
            rows: [0; Panel::ALL.len()],
            unit: None,
        }
    }
}

/// The community screen's project list: read from the store for the community on screen when
/// the screen opens (and again after the file changed), not held for the whole district.
#[derive(Debug, Clone, Default)]
pub struct ProjectList {
    /// The community the list is (or is being read) for.
    pub community: Option<i64>,
    /// Its projects by due date; `None` while they are being read.
    pub rows: Option<Vec<crate::model::Project>>,
    /// Why they could not be read.
    pub failed: Option<String>,
    /// The file changed since the list was read: read it again when the screen shows it.
    pub outdated: bool,
}

impl ProjectList {
    /// Whether the list must be (re)read for community `id`; if so, marks it as asked for.
    /// The rows of the same community stay on screen until the new ones come.
    pub fn ask(&mut self, id: i64) -> bool {
        if self.community == Some(id) && !self.outdated {
            return false;
        }
        if self.community != Some(id) {
            self.rows = None;
        }
        self.community = Some(id);
        self.failed = None;
        self.outdated = false;
        true
    }

    /// The store's answer for community `id` (ignored if another community is on screen now).
    pub fn arrived(&mut self, id: i64, result: Result<Vec<crate::model::Project>, String>) {
        if self.community != Some(id) {
            return;
        }
        match result {
            Ok(rows) => {
                self.rows = Some(rows);
                self.failed = None;
            }
            Err(why) => self.failed = Some(why),
        }
    }

    /// The rows for community `id`, if they are in.
    fn for_community(&self, id: i64) -> Option<&[crate::model::Project]> {
        match (self.community == Some(id), &self.rows) {
            (true, Some(rows)) => Some(rows),
            _ => None,
        }
    }
}

/// What the screen reads: the figures and lists of one community at one moment.
pub struct View<'a> {
    pub lang: Lang,
    pub community: &'a CommunityFigures,
    pub decisions: &'a [Decision],
    /// The community's projects; `None` while they are being read.
    pub projects: Option<&'a [crate::model::Project]>,
    /// Why the projects could not be read.
    pub projects_failed: Option<&'a str>,
    pub units: &'a [(i64, String, String)],
    pub sessions: &'a SessionLists,
    /// `(position, count)` of the community among the overview's rows.
    pub position: Option<(usize, usize)>,
    pub overdue_decisions: u32,
}

impl<'a> View<'a> {
    pub fn new(
        lang: Lang,
        snapshot: &'a Snapshot,
        community: &'a CommunityFigures,
        projects: &'a ProjectList,
        sessions: &'a SessionLists,
        position: Option<(usize, usize)>,
    ) -> View<'a> {
        let id = community.id;
        View {
            lang,
            community,
            decisions: snapshot.open_decisions.get(&id).map_or(&[], Vec::as_slice),
            projects: projects.for_community(id),
            projects_failed: projects
                .failed
                .as_deref()
                .filter(|_| projects.community == Some(id)),
            units: &snapshot.units,
            sessions,
            position,
            overdue_decisions: snapshot.overdue_decisions.get(&id).copied().unwrap_or(0),
        }
    }

    fn unit_name(&self, id: Option<i64>) -> String {
        let Some(id) = id else {
            return self.lang.pick("（社区自办）", "(community)").to_string();
        };
        self.units
            .binary_search_by_key(&id, |u| u.0)
            .ok()
            .and_then(|i| self.units.get(i))
            .or_else(|| self.units.iter().find(|u| u.0 == id))
            .map_or_else(|| format!("#{id}"), |u| clean(&u.1))
    }

    /// The projects the project panel lists.
    fn listed_projects(&self, unit: Option<i64>) -> Vec<&'a crate::model::Project> {
        self.projects
            .unwrap_or_default()
            .iter()
            .filter(|p| unit.is_none() || p.unit_id == unit)
            .collect()
    }

    /// Rows in a panel that can be selected.
    pub fn panel_len(&self, state: &CommunityState, panel: Panel) -> usize {
        let c = self.community;
        match panel {
            Panel::Decisions => self.decisions.len(),
            Panel::Completion => c.completion.units.len(),
            Panel::Overdue => c.overdue.len(),
            Panel::Meetings => 4,
            Panel::Participation => c.low_participation.len() + c.inactive_units.len(),
            Panel::Projects => self.listed_projects(state.unit).len(),
            Panel::Needs => c.needs.unmet.len() + c.needs.idle_resources.len(),
            Panel::Satisfaction => c.satisfaction.projects.len(),
            Panel::Members => c.members.units.len(),
        }
    }

    /// The project under the cursor of the focused panel, if the panel lists projects.
    pub fn project_at(&self, state: &CommunityState) -> Option<(i64, String)> {
        let c = self.community;
        let row = state.rows[state.focus.index()];
        match state.focus {
            Panel::Overdue => c.overdue.get(row).map(|o| (o.project_id, o.title.clone())),
            Panel::Participation => c
                .low_participation
                .get(row)
                .map(|p| (p.project_id, p.title.clone())),
            Panel::Projects => self
                .listed_projects(state.unit)
                .get(row)
                .map(|p| (p.id, p.title.clone())),
            Panel::Satisfaction => c
                .satisfaction
                .projects
                .get(row)
                .map(|p| (p.project_id, p.title.clone())),
            _ => None,
        }
    }
}

/// What the app must do after a key on this screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    /// Show a project's details.
    OpenProject(i64),
    /// The adjustment menu, on the project under the cursor (`#id title`) or the community.
    Adjust(Option<(i64, String)>),
    /// Another community of the overview's rows (`true`: the next).
    Step(bool),
    Back,
    History,
}

/// Turns a key action into a state change and what the app must do next.
pub fn update(state: &mut CommunityState, view: &View, action: Action) -> Outcome {
    let all = Panel::ALL.len();
    let panel = state.focus.index();
    let len = view.panel_len(state, state.focus);
    let last = len.saturating_sub(1);
    let row = &mut state.rows[panel];
    match action {
        Action::NextPanel => state.focus = Panel::ALL[(panel + 1) % all],
        Action::PrevPanel => state.focus = Panel::ALL[(panel + all - 1) % all],
        Action::Up => *row = row.saturating_sub(1),
        Action::Down => *row = (*row + 1).min(last),
        Action::PageUp => *row = row.saturating_sub(5),
        Action::PageDown => *row = (*row + 5).min(last),
        Action::First => *row = 0,
        Action::Last => *row = last,
        Action::Open => {
            if state.focus == Panel::Completion {
                // A unit's own projects.
                if let Some(unit) = view.community.completion.units.get(*row) {
                    state.unit = Some(unit.unit_id);
                    state.focus = Panel::Projects;
                    state.rows[Panel::Projects.index()] = 0;
                }
                return Outcome::Stay;
            }
            if let Some((id, _)) = view.project_at(state) {
                return Outcome::OpenProject(id);
            }
        }
        Action::Adjust => {
            return Outcome::Adjust(
                view.project_at(state)
                    .map(|(id, title)| (id, format!("#{id} {title}"))),
            );
        }
        Action::PrevCommunity => return Outcome::Step(false),
        Action::NextCommunity => return Outcome::Step(true),
        Action::Back => {
            // The unit's list first goes back to every project.
            if state.unit.is_some() && state.focus == Panel::Projects {
                state.unit = None;
                state.rows[panel] = 0;
                return Outcome::Stay;
            }
            return Outcome::Back;
        }
        Action::History => return Outcome::History,
        _ => {}
    }
    Outcome::Stay
}

/// What a panel shows: fixed lines on top, then rows that scroll with the selection.
pub struct PanelContent {
    title: String,
    head: Vec<Line<'static>>,
    rows: Vec<Line<'static>>,
    /// Rows that can be selected (0: the panel has nothing to point at).
    items: usize,
    /// Index in `rows` of the selected row.
    selected: usize,
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

pub fn render(view: &View, state: &CommunityState, frame: &mut Frame, area: Rect, theme: Theme) {
    let [head_area, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    frame.render_widget(Paragraph::new(heading(view, theme)), head_area);

    let wide = is_wide(area);
    let inner_width = if wide { body.width / 2 } else { body.width }.saturating_sub(2) as usize;
    let panels: Vec<PanelContent> = Panel::ALL
        .iter()
        .map(|&panel| {
            let selected = state.rows[panel.index()];
            content(view, state, panel, selected, inner_width, theme)
        })
        .collect();

    if wide {
        draw_grid(&panels, state.focus, body, frame, theme);
    } else {
        draw_stacked(&panels, state.focus, body, frame, theme);
    }
}

/// The body drawn as the community screen when the community is gone.
pub fn render_missing(lang: Lang, frame: &mut Frame, area: Rect) {
    frame.render_widget(
        Paragraph::new(lang.pick(
            "该社区已不在文件中。按 Esc 返回。",
            "This community is no longer in the file. Esc goes back.",
        )),
        area,
    );
}

fn heading(view: &View, theme: Theme) -> Line<'static> {
    let c = view.community;
    let lang = view.lang;
    let alerts_style = if c.alerts > 0 {
        theme.alert()
    } else {
        theme.good()
    };
    let mut spans = vec![
        Span::styled(
            format!("{} / {}", clean(&c.street), clean(&c.name)),
            theme.title(),
        ),
        Span::raw("  "),
        Span::styled(
            format!("{} {}", lang.t(terms::ALERTS), c.alerts),
            alerts_style,
        ),
    ];
    if view.overdue_decisions > 0 {
        spans.push(Span::styled(
            format!(
                "  {} {}!",
                lang.pick("督办逾期", "late decisions"),
                view.overdue_decisions
            ),
            theme.alert(),
        ));
    }
    if let Some((at, of)) = view.position {
        spans.push(Span::styled(
            match lang {
                Lang::Zh => format!("  （第 {}/{} 个社区）", at + 1, of),
                Lang::En => format!("  (community {}/{of})", at + 1),
            },
            theme.dim(),
        ));
    }
    Line::from(spans)
}

/// Heights for rows of panels sharing `total` lines: each gets what it needs up to an even
/// share, and what a short row leaves goes to the others.
fn share(needs: &[u16], total: u16) -> Vec<u16> {
    let mut out = vec![0; needs.len()];
    let mut order: Vec<usize> = (0..needs.len()).collect();
    order.sort_by_key(|&i| needs[i]);
    let mut left = total;
    for (k, &i) in order.iter().enumerate() {
        let fair = left / (needs.len() - k) as u16;
        out[i] = needs[i].min(fair).max(3.min(left));
        left = left.saturating_sub(out[i]);
    }
    // Whatever is left goes to the last row, so the screen is filled.
    if let Some(last) = out.last_mut() {
        *last += left;
    }
    out
}

/// Two panels to a row, in `Tab` order.
fn draw_grid(panels: &[PanelContent], focus: Panel, area: Rect, frame: &mut Frame, theme: Theme) {
    let pairs: Vec<&[PanelContent]> = panels.chunks(2).collect();
    let needs: Vec<u16> = pairs
        .iter()
        .map(|pair| {
            pair.iter()
                .map(PanelContent::natural_height)
                .max()
                .unwrap_or(3)
        })
        .collect();
    let heights = share(&needs, area.height);
    let mut y = area.y;
    for (row, pair) in pairs.iter().enumerate() {
        let rect = Rect::new(area.x, y, area.width, heights[row]);
        y += heights[row];
        let halves = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .split(rect);
        for (k, panel) in pair.iter().enumerate() {
            let index = row * 2 + k;
            let rect = if pair.len() == 1 { rect } else { halves[k] };
            draw_panel(panel, Panel::ALL[index] == focus, rect, frame, theme);
        }
    }
}

/// Lays the panels one under the other at their natural heights and scrolls so that the
/// focused one is in view (as much of it as fits).
fn draw_stacked(
    panels: &[PanelContent],
    focus: Panel,
    area: Rect,
    frame: &mut Frame,
    theme: Theme,
) {
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
    let mut y = area.y as i32 - scroll as i32;
    for (i, panel) in panels.iter().enumerate() {
        let (top, bottom) = (y, y + heights[i] as i32);
        y = bottom;
        // Panels wholly in view are drawn; one cut at the top or bottom is drawn shortened
        // (its border then shows the cut).
        let top = top.max(area.y as i32);
        let bottom = bottom.min(area.bottom() as i32);
        if bottom - top < 3 {
            continue;
        }
        let rect = Rect::new(area.x, top as u16, area.width, (bottom - top) as u16);
        draw_panel(panel, Panel::ALL[i] == focus, rect, frame, theme);
    }
}

fn draw_panel(panel: &PanelContent, focused: bool, area: Rect, frame: &mut Frame, theme: Theme) {
    let border = if focused {
        theme.focused_border()
    } else {
        theme.border()
    };
    let position = if panel.items > 0 {
        format!(
            "  {}/{}",
            panel.selected.min(panel.items - 1) + 1,
            panel.items
        )
    } else {
        String::new()
    };
    let title = if focused {
        format!(" ▶ {}{position} ", panel.title)
    } else {
        format!(" {}{position} ", panel.title)
    };
    let block = Block::bordered()
        .border_style(border)
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    block.render(area, frame.buffer_mut());
    let room = (inner.height as usize).saturating_sub(panel.head.len());
    let offset = if room == 0 {
        0
    } else {
        panel.selected.saturating_sub(room - 1)
    };
    let mut lines: Vec<Line> = panel.head.clone();
    for (i, row) in panel.rows.iter().enumerate().skip(offset).take(room) {
        let row = row.clone();
        lines.push(if focused && panel.items > 0 && i == panel.selected {
            row.patch_style(theme.selected())
        } else {
            row
        });
    }
    Paragraph::new(lines).render(inner, frame.buffer_mut());
    if panel.rows.len() > room && room > 0 {
        let track = Rect::new(
            area.right().saturating_sub(1),
            inner.y + panel.head.len() as u16,
            1,
            room as u16,
        );
        scrollbar(frame, track, panel.rows.len(), room, offset, theme);
    }
}

fn content(
    view: &View,
    state: &CommunityState,
    panel: Panel,
    selected: usize,
    width: usize,
    theme: Theme,
) -> PanelContent {
    let mut content = match panel {
        Panel::Completion => completion(view, width, theme),
        Panel::Overdue => overdue(view, width, theme),
        Panel::Meetings => meetings(view, width, theme),
        Panel::Participation => participation(view, width, theme),
        Panel::Decisions => decisions(view, width, theme),
        Panel::Projects => projects(view, state.unit, width, theme),
        Panel::Needs => needs(view, width, theme),
        Panel::Satisfaction => satisfaction(view, width, theme),
        Panel::Members => members(view, width, theme),
    };
    content.selected = selected;
    content
}

fn none_line(lang: Lang, theme: Theme) -> Line<'static> {
    Line::styled(format!("  {}", lang.t(terms::NONE)), theme.dim())
}

/// A table's heading and rows at `width`, or the "none" line.
fn table_lines(
    table: &Table,
    width: usize,
    lang: Lang,
    theme: Theme,
) -> (Line<'static>, Vec<Line<'static>>) {
    let widths = table.widths(width);
    let mut rows: Vec<Line<'static>> = (0..table.rows.len())
        .map(|i| table.row(i, &widths, theme))
        .collect();
    if rows.is_empty() {
        rows.push(none_line(lang, theme));
    }
    (table.header(&widths, theme), rows)
}

fn panel(
    title: String,
    head: Vec<Line<'static>>,
    rows: Vec<Line<'static>>,
    items: usize,
) -> PanelContent {
    PanelContent {
        title,
        head,
        rows,
        items,
        selected: 0,
    }
}

fn completion(view: &View, width: usize, theme: Theme) -> PanelContent {
    let (c, lang) = (view.community, view.lang);
    let gauge = |label: &str, figure: String, pct, alert, tail: Option<String>| {
        let figure_width = crate::text::width(&figure) + 1;
        let mut spans = vec![Span::raw(format!("{label} "))];
        spans.extend(flagged(figure, alert, figure_width, theme));
        let used = crate::text::width(label) + 1 + figure_width + 1;
        let tail_width = tail.as_deref().map_or(0, crate::text::width);
        let room = width.saturating_sub(used + tail_width);
        if room >= 6 {
            spans.push(Span::raw(" "));
            spans.extend(bar(pct, alert, room.min(40), theme));
        }
        if let Some(tail) = tail {
            spans.push(Span::styled(tail, theme.dim()));
        }
        Line::from(spans)
    };
    let done = gauge(
        lang.pick("完成", "done"),
        ratio(c.completion.done, c.completion.total, c.completion.pct),
        c.completion.pct,
        c.completion.alert,
        None,
    );
    let used = gauge(
        lang.pick("资源", "used"),
        ratio(c.resources.used, c.resources.offered, c.resources.pct),
        c.resources.pct,
        c.resources.alert,
        Some(format!(" {}", lang.t(terms::RESOURCES))),
    );
    let mut table = Table::new(vec![
        Column::new(lang.t(terms::UNIT), Kind::Text, KEEP),
        Column::new(lang.pick("完成/总数", "done/total"), Kind::Number, KEEP),
    ]);
    for u in &c.completion.units {
        table.push(vec![
            Cell::text(&u.name),
            Cell::flagged(ratio(u.done, u.total, u.pct), u.alert, theme),
        ]);
    }
    let (header, rows) = table_lines(&table, width, lang, theme);
    panel(
        format!(
            "{} {}",
            lang.t(terms::COMPLETION),
            pct_text(c.completion.pct)
        ),
        vec![done, used, header],
        rows,
        c.completion.units.len(),
    )
}

fn overdue(view: &View, width: usize, theme: Theme) -> PanelContent {
    let (c, lang) = (view.community, view.lang);
    let mut table = Table::new(vec![
        Column::new(lang.t(terms::PROJECT), Kind::Text, KEEP).min(8),
        Column::new(lang.pick("牵头单位", "lead unit"), Kind::Text, 3),
        Column::new(lang.t(terms::DUE_ON), Kind::Fixed, 5),
        Column::new(lang.pick("逾期天", "days"), Kind::Number, KEEP),
    ]);
    for o in &c.overdue {
        let mut title = clean(&o.title);
        if o.status == crate::model::Status::Paused {
            title = match lang {
                Lang::Zh => format!("【{}】{title}", o.status.word(lang)),
                Lang::En => format!("[{}] {title}", o.status.word(lang)),
            };
        }
        table.push(vec![
            Cell::Text(title, ratatui::style::Style::new()),
            Cell::text(&view.unit_name(o.unit_id)),
            Cell::text(&o.due_on),
            Cell::Number(o.days_overdue.to_string(), theme.alert(), true),
        ]);
    }
    let (header, rows) = table_lines(&table, width, lang, theme);
    panel(
        format!("{} {}", lang.t(terms::OVERDUE), c.overdue.len()),
        vec![header],
        rows,
        c.overdue.len(),
    )
}

fn meetings(view: &View, width: usize, theme: Theme) -> PanelContent {
    let (c, lang) = (view.community, view.lang);
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
                format!("{}!", state.word(lang))
            } else {
                state.word(lang).to_string()
            };
            Line::from(vec![
                Span::raw(format!("Q{} ", q + 1)),
                Span::styled(
                    format!("{} {} ", state.glyph(lang), super::table::pad(&word, 8)),
                    style,
                ),
                Span::raw(super::table::cut(&clean(&dates), width.saturating_sub(15))),
            ])
        })
        .collect();
    panel(
        format!(
            "{} {}",
            lang.t(terms::MEETINGS),
            match lang {
                Lang::Zh => format!("未开 {}", c.meetings.missing),
                Lang::En => format!("{} missing", c.meetings.missing),
            }
        ),
        Vec::new(),
        rows,
        4,
    )
}

fn participation(view: &View, width: usize, theme: Theme) -> PanelContent {
    let (c, lang) = (view.community, view.lang);
    let spark = 8;
    let mut table = Table::new(vec![
        Column::new(lang.t(terms::PROJECT), Kind::Text, KEEP).min(8),
        Column::new(lang.t(terms::PLANNED), Kind::Number, 4),
        Column::new(lang.t(terms::ACTUAL), Kind::Number, 5),
        Column::new(lang.pick("参与率", "rate"), Kind::Number, KEEP),
        Column::new(lang.pick("近期", "recent"), Kind::Fixed, 2),
    ]);
    for p in &c.low_participation {
        let sessions: Vec<(i64, i64)> = view
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
        table.push(vec![
            Cell::text(&p.title),
            Cell::number(p.planned.to_string()),
            Cell::number(p.actual.to_string()),
            Cell::flagged(pct_text(p.pct), true, theme),
            Cell::Spans(vec![Span::styled(sparkline(&sessions), theme.warn())]),
        ]);
    }
    let widths = table.widths(width);
    let mut rows: Vec<Line<'static>> = (0..table.rows.len())
        .map(|i| table.row(i, &widths, theme))
        .collect();
    for u in &c.inactive_units {
        let label = format!("{} ", lang.pick("参与不足", "inactive"));
        let tail = match lang {
            Lang::Zh => format!(" 全年活动 {} 次!", u.activities),
            Lang::En => format!(" {} activities!", u.activities),
        };
        let room = width.saturating_sub(crate::text::width(&label) + crate::text::width(&tail));
        rows.push(Line::from(vec![
            Span::styled(label, theme.alert()),
            Span::raw(super::table::cut(&clean(&u.name), room.max(4))),
            Span::styled(tail, theme.alert()),
        ]));
    }
    if rows.is_empty() {
        rows.push(none_line(lang, theme));
    }
    panel(
        format!(
            "{} {}",
            lang.t(terms::LOW_PARTICIPATION),
            c.participation_flags()
        ),
        vec![table.header(&widths, theme)],
        rows,
        c.low_participation.len() + c.inactive_units.len(),
    )
}

fn decisions(view: &View, width: usize, theme: Theme) -> PanelContent {
    use crate::review::DecisionState;
    let lang = view.lang;
    let list = view.decisions;
    let overdue = list
        .iter()
        .filter(|d| d.state == DecisionState::Overdue)
        .count();
    let mut table = Table::new(vec![
        Column::new(lang.pick("状态", "state"), Kind::Fixed, KEEP),
        Column::new(lang.t(terms::DUE_ON), Kind::Fixed, 5),
        // A person's name is never cut short of a few characters.
        Column::new(lang.pick("责任人", "owner"), Kind::Text, 3).min(8),
        Column::new(lang.pick("事项", "decision"), Kind::Text, KEEP).min(8),
    ]);
    for d in list {
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
        table.push(vec![
            Cell::Spans(vec![Span::styled(state, style)]),
            Cell::text(&d.due_on),
            Cell::text(&d.owner),
            Cell::text(&d.text),
        ]);
    }
    let (header, rows) = table_lines(&table, width, lang, theme);
    panel(
        match lang {
            Lang::Zh => format!("督办事项 {}（逾期 {overdue}）", list.len()),
            Lang::En => format!("decisions {} ({overdue} late)", list.len()),
        },
        vec![header],
        rows,
        list.len(),
    )
}

fn projects(view: &View, unit: Option<i64>, width: usize, theme: Theme) -> PanelContent {
    let lang = view.lang;
    let list = view.listed_projects(unit);
    let mut table = Table::new(vec![
        Column::new(lang.t(terms::PROJECT), Kind::Text, KEEP).min(8),
        Column::new(lang.pick("状态", "status"), Kind::Fixed, 6),
        Column::new(lang.pick("牵头单位", "lead unit"), Kind::Text, 3),
        Column::new(lang.t(terms::DUE_ON), Kind::Fixed, 5),
    ]);
    for p in &list {
        let status_style = match p.status {
            crate::model::Status::Done => theme.good(),
            crate::model::Status::Paused => theme.warn(),
            _ => theme.plain(),
        };
        table.push(vec![
            Cell::Text(format!("#{} {}", p.id, clean(&p.title)), theme.plain()),
            Cell::Spans(vec![Span::styled(
                p.status.word(lang).to_string(),
                status_style,
            )]),
            Cell::text(&view.unit_name(p.unit_id)),
            Cell::text(&p.due_on.format("%Y-%m-%d").to_string()),
        ]);
    }
    let (header, rows) = table_lines(&table, width, lang, theme);
    let title = match unit {
        Some(_) => match lang {
            Lang::Zh => format!("{}的项目（Esc 看全部）", view.unit_name(unit)),
            Lang::En => format!("projects of {} (Esc: all)", view.unit_name(unit)),
        },
        None => lang.pick("全部项目", "all projects").to_string(),
    };
    if view.projects.is_none() {
        // Read on demand: the rest of the screen is drawn meanwhile.
        let line = match view.projects_failed {
            Some(why) => format!(
                "{}{}",
                lang.pick("项目读取失败：", "could not read the projects: "),
                clean(why)
            ),
            None => lang.pick("读取中…", "loading…").to_string(),
        };
        return panel(title, vec![header], vec![Line::from(line)], 0);
    }
    panel(title, vec![header], rows, list.len())
}

fn needs(view: &View, width: usize, theme: Theme) -> PanelContent {
    let (c, lang) = (view.community, view.lang);
    let n = &c.needs;
    let summary = Line::from(vec![
        Span::raw(format!("{} ", lang.pick("已对接", "answered"))),
        Span::raw(format!("{}/{}", n.answered, n.total)),
        Span::styled(
            match lang {
                Lang::Zh => format!("  未对接 {}", n.unmet.len()),
                Lang::En => format!("  unmet {}", n.unmet.len()),
            },
            if n.unmet.is_empty() {
                theme.good()
            } else {
                theme.alert()
            },
        ),
        Span::raw(match lang {
            Lang::Zh => format!("  闲置资源 {}", n.idle_resources.len()),
            Lang::En => format!("  idle resources {}", n.idle_resources.len()),
        }),
    ]);
    let mut table = Table::new(vec![
        Column::new(lang.pick("未对接需求", "unmet need"), Kind::Text, KEEP).min(8),
        Column::new(lang.pick("提出日期", "raised"), Kind::Fixed, 3),
        Column::new(lang.pick("已等天", "days"), Kind::Number, KEEP),
    ]);
    for u in &n.unmet {
        table.push(vec![
            Cell::text(&u.title),
            Cell::text(&u.raised_on),
            Cell::Number(u.days_waiting.to_string(), theme.alert(), true),
        ]);
    }
    let widths = table.widths(width);
    let mut rows: Vec<Line<'static>> = (0..table.rows.len())
        .map(|i| table.row(i, &widths, theme))
        .collect();
    for r in &n.idle_resources {
        let label = format!("{} ", lang.pick("闲置资源", "idle"));
        let unit = format!(" （{}）", view.unit_name(Some(r.unit_id)));
        let unit = if lang == Lang::En {
            format!(" ({})", view.unit_name(Some(r.unit_id)))
        } else {
            unit
        };
        let room = width.saturating_sub(crate::text::width(&label) + crate::text::width(&unit));
        rows.push(Line::from(vec![
            Span::styled(label, theme.warn()),
            Span::raw(super::table::cut(&clean(&r.title), room.max(4))),
            Span::styled(unit, theme.dim()),
        ]));
    }
    if rows.is_empty() {
        rows.push(none_line(lang, theme));
    }
    let head = if n.unmet.is_empty() {
        vec![summary]
    } else {
        vec![summary, table.header(&widths, theme)]
    };
    panel(
        match lang {
            Lang::Zh => format!("需求对接 未对接 {}", n.unmet.len()),
            Lang::En => format!("needs: {} unmet", n.unmet.len()),
        },
        head,
        rows,
        n.unmet.len() + n.idle_resources.len(),
    )
}

fn satisfaction(view: &View, width: usize, theme: Theme) -> PanelContent {
    let (c, lang) = (view.community, view.lang);
    let s = &c.satisfaction;
    let figure = format!("{}/{} {}", s.satisfied, s.respondents, pct_text(s.pct));
    let figure_width = crate::text::width(&figure) + 1;
    let mut spans = vec![Span::raw(format!("{} ", lang.pick("满意", "satisfied")))];
    spans.extend(flagged(figure, s.alert, figure_width, theme));
    let mut table = Table::new(vec![
        Column::new(lang.t(terms::PROJECT), Kind::Text, KEEP).min(8),
        Column::new(
            lang.pick("满意/受访", "satisfied/asked"),
            Kind::Number,
            KEEP,
        ),
    ]);
    for p in &s.projects {
        table.push(vec![
            Cell::text(&p.title),
            Cell::flagged(
                format!("{}/{} {}", p.satisfied, p.respondents, pct_text(p.pct)),
                p.alert,
                theme,
            ),
        ]);
    }
    let (header, rows) = table_lines(&table, width, lang, theme);
    panel(
        if s.respondents > 0 {
            format!(
                "{} {}",
                lang.pick("群众满意度", "satisfaction"),
                pct_text(s.pct)
            )
        } else {
            lang.pick("群众满意度 今年无调查", "satisfaction: no survey this year")
                .to_string()
        },
        vec![Line::from(spans), header],
        rows,
        s.projects.len(),
    )
}

fn members(view: &View, width: usize, theme: Theme) -> PanelContent {
    let (c, lang) = (view.community, view.lang);
    let m = &c.members;
    let hours = crate::indicators::hours_text(m.minutes);
    let figure = format!("{}/{} {}", m.recorded, m.active, pct_text(m.pct));
    let figure_width = crate::text::width(&figure) + 1;
    let mut spans = vec![Span::raw(format!("{} ", lang.pick("有纪实", "recorded")))];
    spans.extend(flagged(figure, m.alert, figure_width, theme));
    spans.push(Span::raw(match lang {
        Lang::Zh => format!(" 服务时长 {hours} 小时"),
        Lang::En => format!(" {hours} hours"),
    }));
    let mut table = Table::new(vec![
        Column::new(lang.pick("工作单位", "workplace"), Kind::Text, KEEP).min(8),
        Column::new(lang.pick("有纪实/党员", "recorded"), Kind::Number, KEEP),
        Column::new(lang.pick("小时", "hours"), Kind::Number, KEEP),
    ]);
    for u in &m.units {
        let name = u
            .name
            .as_deref()
            .map_or_else(|| lang.pick("未填单位", "no unit given").to_string(), clean);
        table.push(vec![
            Cell::Text(name, ratatui::style::Style::new()),
            Cell::flagged(
                format!("{}/{} {}", u.recorded, u.active, pct_text(u.pct)),
                u.alert,
                theme,
            ),
            Cell::number(crate::indicators::hours_text(u.minutes)),
        ]);
    }
    let (header, rows) = table_lines(&table, width, lang, theme);
    panel(
        if m.active > 0 {
            format!(
                "{} {}",
                lang.pick("党员报到纪实", "members' service"),
                pct_text(m.pct)
            )
        } else {
            lang.pick(
                "党员报到纪实 无报到党员",
                "members' service: none registered",
            )
            .to_string()
        },
        vec![Line::from(spans), header],
        rows,
        m.units.len(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_share_the_height() {
        assert_eq!(share(&[10, 6, 20], 40), vec![10, 6, 24]);
        assert_eq!(share(&[30, 6, 30], 30), vec![12, 6, 12]);
        assert_eq!(share(&[3, 3], 4), vec![3, 1]);
    }
}
