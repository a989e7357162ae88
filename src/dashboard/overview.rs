//! The overview (总览): one row per community. Its state ([`OverviewState`]), how keys change
//! it ([`update`]) and how it is drawn ([`render`], from a [`View`]).

use super::keymap::Action;
use super::table::{Cell, Column, KEEP, Kind, Table};
use super::theme::Theme;
use super::widgets::{ratio, scrollbar};
use super::worker::Snapshot;
use crate::i18n::{Lang, terms};
use crate::indicators::{CommunityFigures, QuarterState};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::cmp::Ordering;

/// The overview's sort columns, in the order `s` cycles through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Alerts,
    Street,
    Community,
    Completion,
    Resources,
    Overdue,
    Meetings,
    Participation,
    /// Contract version 2's flags (unmet needs, satisfaction, members).
    MoreAlerts,
}

impl SortKey {
    pub const ALL: [SortKey; 9] = [
        SortKey::Alerts,
        SortKey::Street,
        SortKey::Community,
        SortKey::Completion,
        SortKey::Resources,
        SortKey::Overdue,
        SortKey::Meetings,
        SortKey::Participation,
        SortKey::MoreAlerts,
    ];

    pub fn next(self) -> SortKey {
        let at = SortKey::ALL.iter().position(|k| *k == self).unwrap_or(0);
        SortKey::ALL[(at + 1) % SortKey::ALL.len()]
    }

    /// The worst first for figures, A to Z for names.
    pub fn compare(self, a: &CommunityFigures, b: &CommunityFigures) -> Ordering {
        let pct = |p: Option<crate::indicators::Pct>| p.map_or(i64::MAX, |p| p.tenths());
        match self {
            SortKey::Alerts => b.alerts.cmp(&a.alerts),
            SortKey::Street => crate::text::name_cmp(&a.street, &b.street),
            SortKey::Community => crate::text::name_cmp(&a.name, &b.name),
            SortKey::Completion => pct(a.completion.pct).cmp(&pct(b.completion.pct)),
            SortKey::Resources => pct(a.resources.pct).cmp(&pct(b.resources.pct)),
            SortKey::Overdue => b.overdue.len().cmp(&a.overdue.len()),
            SortKey::Meetings => b.meetings.missing.cmp(&a.meetings.missing),
            SortKey::Participation => b.participation_flags().cmp(&a.participation_flags()),
            SortKey::MoreAlerts => b.more_alerts.cmp(&a.more_alerts),
        }
    }
}

#[derive(Debug, Clone)]
pub struct OverviewState {
    pub sort: SortKey,
    pub reversed: bool,
    /// The selected community, by id, so that sorting and filtering keep it.
    pub selected: Option<i64>,
    pub filter: String,
    pub editing_filter: bool,
    pub flagged_only: bool,
    pub street: Option<i64>,
}

impl Default for OverviewState {
    fn default() -> Self {
        OverviewState {
            sort: SortKey::Alerts,
            reversed: false,
            selected: None,
            filter: String::new(),
            editing_filter: false,
            flagged_only: false,
            street: None,
        }
    }
}

impl OverviewState {
    /// The rows shown: filtered, then sorted; indexes into the report's communities.
    pub fn rows(&self, snapshot: &Snapshot) -> Vec<usize> {
        let needle = self.filter.trim().to_lowercase();
        let communities = &snapshot.report.communities;
        let mut rows: Vec<usize> = communities
            .iter()
            .enumerate()
            .filter(|(_, c)| !self.flagged_only || c.alerts > 0)
            .filter(|(_, c)| self.street.is_none_or(|s| c.street_id == s))
            .filter(|(_, c)| {
                needle.is_empty()
                    || c.name.to_lowercase().contains(&needle)
                    || c.street.to_lowercase().contains(&needle)
            })
            .map(|(i, _)| i)
            .collect();
        // Names in pinyin order: their places are worked out once per snapshot.
        let ranks = snapshot.name_ranks();
        let no_rank = (0, 0);
        let key = self.sort;
        rows.sort_by(|&ia, &ib| {
            let (a, b) = (&communities[ia], &communities[ib]);
            let (na, nb) = (
                ranks.get(ia).unwrap_or(&no_rank),
                ranks.get(ib).unwrap_or(&no_rank),
            );
            let street = || na.0.cmp(&nb.0);
            let name = || na.1.cmp(&nb.1);
            let primary = match key {
                SortKey::Street => street(),
                SortKey::Community => name(),
                _ => key.compare(a, b),
            };
            let primary = if self.reversed {
                primary.reverse()
            } else {
                primary
            };
            primary
                .then_with(|| b.alerts.cmp(&a.alerts))
                .then_with(street)
                .then_with(name)
                .then_with(|| a.id.cmp(&b.id))
        });
        rows
    }

    /// Position of the selected community among `rows` (the first row if it is not among
    /// them).
    pub fn selected_row(&self, snapshot: &Snapshot, rows: &[usize]) -> usize {
        self.selected
            .and_then(|id| {
                rows.iter()
                    .position(|&i| snapshot.report.communities[i].id == id)
            })
            .unwrap_or(0)
    }

    /// The community at `position` among `rows`.
    fn id_at(snapshot: &Snapshot, rows: &[usize], position: usize) -> Option<i64> {
        rows.get(position)
            .map(|&index| snapshot.report.communities[index].id)
    }
}

/// What the app must do after a key on the overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    /// The community screen of this community.
    Open(i64),
    /// The pop-up with this community's flags in plain words.
    Info(i64),
    /// A weekly review (of this street, if any).
    Review(Option<i64>),
    /// The adjustment menu on this community (`street / name`).
    Adjust(i64, String),
    /// The street picker, starting at this line (0: all streets).
    PickStreet(usize),
    /// The year-end assessment screen.
    Assess,
    /// The list of shared settings, to change one.
    Settings,
}

/// Turns a key action into a state change and what the app must do next. `page` is how many
/// rows a page moves.
pub fn update(
    state: &mut OverviewState,
    snapshot: Option<&Snapshot>,
    page: usize,
    action: Action,
) -> Outcome {
    let rows = snapshot.map(|s| state.rows(s)).unwrap_or_default();
    let at = snapshot.map_or(0, |s| state.selected_row(s, &rows));
    let last = rows.len().saturating_sub(1);
    let target = match action {
        Action::Up => Some(at.saturating_sub(1)),
        Action::Down => Some((at + 1).min(last)),
        Action::PageUp => Some(at.saturating_sub(page)),
        Action::PageDown => Some((at + page).min(last)),
        Action::First => Some(0),
        Action::Last => Some(last),
        _ => None,
    };
    let here = snapshot.and_then(|s| OverviewState::id_at(s, &rows, at));
    if let Some(target) = target {
        if let Some(id) = snapshot.and_then(|s| OverviewState::id_at(s, &rows, target)) {
            state.selected = Some(id);
        }
        return Outcome::Stay;
    }
    match action {
        Action::Open => {
            if let Some(id) = here {
                state.selected = Some(id);
                return Outcome::Open(id);
            }
        }
        Action::StartFilter => state.editing_filter = true,
        Action::Info => {
            if let Some(id) = here {
                return Outcome::Info(id);
            }
        }
        Action::StartReview => return Outcome::Review(state.street),
        Action::Assess => return Outcome::Assess,
        Action::Settings => return Outcome::Settings,
        Action::Type(ch) => state.filter.push(ch),
        Action::DeleteChar => {
            state.filter.pop();
        }
        Action::Adjust => {
            if let (Some(id), Some(snapshot)) = (here, snapshot)
                && let Some(c) = snapshot.report.communities.iter().find(|c| c.id == id)
            {
                return Outcome::Adjust(id, format!("{} / {}", c.street, c.name));
            }
        }
        Action::FilterAccept => state.editing_filter = false,
        Action::FilterCancel => {
            state.filter.clear();
            state.editing_filter = false;
        }
        Action::ToggleFlagged => state.flagged_only = !state.flagged_only,
        Action::PickStreet => {
            let line = snapshot.map_or(0, |s| {
                super::street_picker::line_of(&s.streets, state.street)
            });
            return Outcome::PickStreet(line);
        }
        Action::CycleSort => {
            state.sort = state.sort.next();
            state.reversed = false;
        }
        Action::ReverseSort => state.reversed = !state.reversed,
        Action::Back => {
            // Esc backs out one step at a time and never quits.
            if !state.filter.is_empty() {
                state.filter.clear();
            } else if state.street.is_some() {
                state.street = None;
            } else {
                state.flagged_only = false;
            }
        }
        _ => {}
    }
    Outcome::Stay
}

/// Pasted text goes into the filter while it is being typed.
pub fn paste(state: &mut OverviewState, text: &str) {
    if state.editing_filter {
        state
            .filter
            .extend(text.chars().filter(|c| !c.is_control()));
    }
}

/// What the overview reads to draw itself.
pub struct View<'a> {
    pub lang: Lang,
    pub snapshot: &'a Snapshot,
    pub state: &'a OverviewState,
}

impl<'a> View<'a> {
    pub fn rows(&self) -> Vec<usize> {
        self.state.rows(self.snapshot)
    }

    pub fn selected_row(&self, rows: &[usize]) -> usize {
        self.state.selected_row(self.snapshot, rows)
    }

    fn community(&self, id: i64) -> Option<&'a CommunityFigures> {
        self.snapshot.report.communities.iter().find(|c| c.id == id)
    }

    fn open_decisions(&self, id: i64) -> &'a [crate::review::Decision] {
        self.snapshot
            .open_decisions
            .get(&id)
            .map_or(&[], Vec::as_slice)
    }
}

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
        // Contract version 2's count (needs, satisfaction, members): below every column of
        // version 1, so it is the first to give way.
        column(
            SortKey::MoreAlerts,
            lang.pick("更多预警", "more"),
            Kind::Number,
            1,
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
        Cell::flagged(c.more_alerts.to_string(), c.more_alerts > 0, theme),
        Cell::Number(c.alerts.to_string(), alerts_style, false),
    ]
}

/// The table of every visible row (all of them, so that columns keep their width while the
/// selection moves).
pub fn table(view: &View, rows: &[usize], theme: Theme) -> Table {
    let mut table = Table::new(columns(
        view.lang,
        view.state.sort,
        view.state.reversed,
        theme,
    ));
    for &index in rows {
        table.push(row_cells(
            &view.snapshot.report.communities[index],
            view.lang,
            theme,
        ));
    }
    table
}

/// The `more_alerts` column among [`columns`], and the community's name.
const MORE: usize = 8;
const NAME: usize = 1;

/// The table's widths in `cells`: the `more_alerts` column stands below every version-1 column,
/// the names included, so it gives way before a community's name would be shortened.
fn widths(table: &Table, cells: usize) -> Vec<usize> {
    let widths = table.widths(cells);
    let natural = table.natural();
    if widths.get(MORE).is_none_or(|w| *w == 0) || widths[NAME] >= natural[NAME] {
        return widths;
    }
    let keep: Vec<usize> = (0..table.columns.len()).filter(|&i| i != MORE).collect();
    let columns: Vec<super::table::Column> =
        keep.iter().map(|&i| table.columns[i].clone()).collect();
    let natural: Vec<usize> = keep.iter().map(|&i| natural[i]).collect();
    let fewer = super::table::layout(&columns, &natural, cells, 1);
    let mut out = vec![0; table.columns.len()];
    for (k, &i) in keep.iter().enumerate() {
        out[i] = fewer[k];
    }
    out
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
pub fn info_lines(view: &View, id: i64, cells: usize, theme: Theme) -> Vec<Line<'static>> {
    let lang = view.lang;
    let Some(c) = view.community(id) else {
        return Vec::new();
    };
    let reasons = crate::review::flag_reasons(
        c,
        &view.snapshot.report.thresholds,
        view.open_decisions(id),
        lang,
    );
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
        let names = super::widgets::names_of(c);
        let keep: Vec<&str> = names.iter().map(String::as_str).collect();
        for (k, part) in crate::text::wrap_keeping(reason, cells.saturating_sub(mark.len()), &keep)
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
pub fn info_popup_lines(view: &View, id: i64, body: Rect, theme: Theme) -> Vec<Line<'static>> {
    let inner = body.width.min(72).saturating_sub(2) as usize;
    info_lines(view, id, inner, theme)
}

pub fn render_info_popup(
    view: &View,
    id: i64,
    scroll: usize,
    frame: &mut Frame,
    body: Rect,
    theme: Theme,
) {
    let lines = info_popup_lines(view, id, body, theme);
    let rect = info_rect(body, lines.len());
    super::widgets::scrolled_popup(
        frame,
        rect,
        view.lang.pick("预警原因", "Why flagged"),
        lines,
        scroll,
        view.lang,
        theme,
    );
}

/// The overview: the table, and on wide screens the selected community's flags beside it.
pub fn render(view: &View, frame: &mut Frame, area: Rect, theme: Theme) {
    if area.width < PANE_FROM {
        render_table(view, frame, area, theme);
        return;
    }
    // The table takes what it can use (its widest entries, a scrollbar); the flags pane
    // takes the rest, so that wide screens leave no empty band between them.
    let rows = view.rows();
    let full = table(view, &rows, theme).full_width() + 1;
    let pane_width = area
        .width
        .saturating_sub(full as u16)
        .max((area.width / 4).clamp(36, 60));
    let table_area = Rect::new(area.x, area.y, area.width - pane_width, area.height);
    let pane = Rect::new(table_area.right(), area.y, pane_width, area.height);
    render_table(view, frame, table_area, theme);
    let selected = view.selected_row(&rows);
    let room = area.height.saturating_sub(2) as usize;
    let lay_out = |width: u16| {
        rows.get(selected).map_or_else(Vec::new, |&index| {
            let id = view.snapshot.report.communities[index].id;
            info_lines(view, id, width as usize, theme)
        })
    };
    // The text inside the border; when it is longer than the pane, narrower by the
    // scrollbar's column.
    let mut lines = lay_out(pane_width.saturating_sub(2));
    if lines.len() > room {
        lines = lay_out(pane_width.saturating_sub(3));
    }
    let total = lines.len();
    // More flags than the pane holds: say how many it shows and where the rest are (`i`).
    let title = if total > room {
        match view.lang {
            Lang::Zh => format!(" 预警原因  1-{room}/{total}  i 看全部 "),
            Lang::En => format!(" Why flagged  1-{room}/{total}  i: all "),
        }
    } else {
        format!(" {} ", view.lang.pick("预警原因", "Why flagged"))
    };
    let block = ratatui::widgets::Block::bordered()
        .border_style(theme.border())
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(pane);
    frame.render_widget(block, pane);
    frame.render_widget(Paragraph::new(lines), inner);
    if total > room {
        let track = Rect::new(pane.right().saturating_sub(1), pane.y + 1, 1, room as u16);
        super::widgets::scrollbar(frame, track, total, room, 0, theme);
    }
}

/// Draws the table into `area` (header row included), with a scrollbar when it scrolls.
pub fn render_table(view: &View, frame: &mut Frame, area: Rect, theme: Theme) {
    let snapshot = view.snapshot;
    let rows = view.rows();
    let selected = view.selected_row(&rows);
    let body_height = page_rows(area.height);
    let scrolls = rows.len() > body_height;
    let width = area.width.saturating_sub(u16::from(scrolls)) as usize;
    let table = table(view, &rows, theme);
    let widths = widths(&table, width);
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
            lines.push(Line::styled(view.lang.pick(zh, en), theme.dim()));
        }
    } else if rows.is_empty() {
        lines.push(Line::styled(
            view.lang.pick(
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

pub fn sort_label(lang: Lang, key: SortKey) -> &'static str {
    use SortKey::*;
    lang.t(match key {
        Alerts => terms::ALERTS,
        Street => terms::STREET,
        Community => terms::COMMUNITY,
        Completion => terms::COMPLETION,
        Resources => terms::RESOURCES,
        Overdue => terms::OVERDUE,
        Meetings => terms::MEETINGS,
        Participation => terms::LOW_PARTICIPATION,
        MoreAlerts => (
            "更多预警（需求、满意度、党员）",
            "more alerts (needs, satisfaction, members)",
        ),
    })
}

/// The overview's line under the header: how the table is sorted and filtered, and where the
/// selection is; with the cells before the typing cursor while the filter is typed.
pub fn status_line(
    lang: Lang,
    o: &OverviewState,
    snapshot: Option<&Snapshot>,
    theme: Theme,
) -> (Line<'static>, Option<usize>) {
    let mut spans = Vec::new();
    let sort_name = sort_label(lang, o.sort);
    let mark = if o.reversed { "↑" } else { "↓" };
    spans.push(Span::styled(
        format!("{}{sort_name} {mark}", lang.pick("排序：", "sort: ")),
        theme.plain(),
    ));
    // Where the selection is among the rows.
    let rows = snapshot.map(|s| o.rows(s)).unwrap_or_default();
    if let Some(snapshot) = snapshot
        && !rows.is_empty()
    {
        spans.push(Span::styled(
            format!(
                "  {} {}/{}",
                lang.pick("第", "row"),
                o.selected_row(snapshot, &rows) + 1,
                rows.len()
            ),
            theme.plain(),
        ));
    }
    if o.flagged_only {
        spans.push(Span::styled(
            format!("  [{}]", lang.pick("只看预警", "flagged only")),
            theme.warn(),
        ));
    }
    if let (Some(id), Some(snapshot)) = (o.street, snapshot)
        && let Some((_, name)) = snapshot.streets.iter().find(|x| x.0 == id)
    {
        spans.push(Span::styled(
            format!("  [{}]", crate::text::clean(name)),
            theme.warn(),
        ));
    }
    let mut cursor = None;
    if o.editing_filter || !o.filter.is_empty() {
        spans.push(Span::raw(format!("  {}", lang.pick("筛选：", "filter: "))));
        spans.push(Span::styled(crate::text::clean(&o.filter), theme.key()));
        cursor = o.editing_filter.then(|| Line::from(spans.clone()).width());
    }
    (Line::from(spans), cursor)
}
