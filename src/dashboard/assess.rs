//! The year-end assessment screen (年终考评, `y` on the overview): communities and units with
//! their grades beside the year's record, self-assessments the record contradicts flagged in
//! plain words, the ranked candidates (示范社区, 优秀驻区单位) with the figures that placed them;
//! filter and sort as on the overview, and `Enter` explains every figure of a row with the rows
//! it came from (as `gongjian assess --community/--unit`).

use super::keymap::Action;
use super::table::{Cell, Column, KEEP, Kind, Table};
use super::theme::Theme;
use super::widgets::{pct_text, scrollbar};
use crate::i18n::{Lang, terms};
use crate::indicators::assessment::{Assessment, Ratio, YearRecord, missing_quarters};
use crate::text::{clean, name_cmp};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use std::sync::Arc;

/// The year's record and its assessment, as the store thread computed them.
#[derive(Debug)]
pub struct AssessData {
    pub record: YearRecord,
    pub assessment: Assessment,
}

#[derive(Debug, Clone)]
pub enum Loaded {
    Loading,
    Ready(Arc<AssessData>),
    Failed(String),
}

/// Which list the keys move in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Communities,
    Units,
}

impl Side {
    fn index(self) -> usize {
        match self {
            Side::Communities => 0,
            Side::Units => 1,
        }
    }
}

/// The sort orders `s` cycles through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessSort {
    /// The candidates' ranking first, then the others by name.
    Rank,
    Name,
    /// Lowest completion first.
    Completion,
    /// Most overdue projects first.
    Overdue,
}

impl AssessSort {
    const ALL: [AssessSort; 4] = [
        AssessSort::Rank,
        AssessSort::Name,
        AssessSort::Completion,
        AssessSort::Overdue,
    ];

    fn next(self) -> AssessSort {
        let at = Self::ALL.iter().position(|k| *k == self).unwrap_or(0);
        Self::ALL[(at + 1) % Self::ALL.len()]
    }

    fn label(self, lang: Lang) -> &'static str {
        match self {
            AssessSort::Rank => lang.pick("名次", "rank"),
            AssessSort::Name => lang.pick("名称", "name"),
            AssessSort::Completion => lang.t(terms::COMPLETION),
            AssessSort::Overdue => lang.t(terms::OVERDUE),
        }
    }
}

#[derive(Debug, Clone)]
pub struct AssessState {
    /// The year assessed (`[` `]` step through the years).
    pub year: i32,
    pub data: Loaded,
    pub side: Side,
    /// The cursor in each list, as a position among the rows shown.
    pub rows: [usize; 2],
    pub sort: AssessSort,
    pub reversed: bool,
    pub filter: String,
    pub editing_filter: bool,
    /// Only the rows whose self-assessment the record contradicts.
    pub contradicted_only: bool,
    /// The explanation of the selected row is open, scrolled to this line.
    pub explain: Option<usize>,
}

impl AssessState {
    pub fn new(year: i32) -> AssessState {
        AssessState {
            year,
            data: Loaded::Loading,
            side: Side::Communities,
            rows: [0, 0],
            sort: AssessSort::Rank,
            reversed: false,
            filter: String::new(),
            editing_filter: false,
            contradicted_only: false,
            explain: None,
        }
    }

    fn ready(&self) -> Option<&AssessData> {
        match &self.data {
            Loaded::Ready(d) => Some(d),
            _ => None,
        }
    }

    /// The rows of `side` shown: filtered, then sorted; indexes into the record's lists (the
    /// assessment's lists are in the same order).
    pub fn shown(&self, side: Side) -> Vec<usize> {
        let Some(d) = self.ready() else {
            return Vec::new();
        };
        let needle = self.filter.trim().to_lowercase();
        let a = &d.assessment;
        let rows: Vec<ListRow> = match side {
            Side::Communities => d
                .record
                .communities
                .iter()
                .zip(&a.communities)
                .enumerate()
                .map(|(i, (c, v))| {
                    (
                        i,
                        c.name.as_str(),
                        v.rank,
                        v.mismatch,
                        Ratio::of(i64::from(c.completion.done), i64::from(c.completion.total)),
                        c.overdue.len(),
                    )
                })
                .collect(),
            Side::Units => d
                .record
                .units
                .iter()
                .zip(&a.units)
                .enumerate()
                .map(|(i, (u, v))| {
                    (
                        i,
                        u.name.as_str(),
                        v.rank,
                        v.mismatch,
                        Ratio::of(i64::from(u.completion.done), i64::from(u.completion.total)),
                        u.overdue.len(),
                    )
                })
                .collect(),
        };
        let mut rows: Vec<_> = rows
            .into_iter()
            .filter(|r| !self.contradicted_only || r.3)
            .filter(|r| needle.is_empty() || r.1.to_lowercase().contains(&needle))
            .collect();
        let pct = |r: Option<Ratio>| r.and_then(Ratio::pct).map_or(i64::MAX, |p| p.tenths());
        rows.sort_by(|a, b| {
            let primary = match self.sort {
                AssessSort::Rank => a.2.unwrap_or(usize::MAX).cmp(&b.2.unwrap_or(usize::MAX)),
                AssessSort::Name => name_cmp(a.1, b.1),
                AssessSort::Completion => pct(a.4).cmp(&pct(b.4)),
                AssessSort::Overdue => b.5.cmp(&a.5),
            };
            let primary = if self.reversed {
                primary.reverse()
            } else {
                primary
            };
            primary.then_with(|| name_cmp(a.1, b.1)).then(a.0.cmp(&b.0))
        });
        rows.into_iter().map(|r| r.0).collect()
    }

    /// The selected row of the focused list (an index into the record's list).
    pub fn selected(&self) -> Option<usize> {
        let rows = self.shown(self.side);
        rows.get(self.rows[self.side.index()].min(rows.len().saturating_sub(1)))
            .copied()
    }

    /// The explanation of the selected row, as `gongjian assess --community/--unit` prints it.
    pub fn explanation(&self, lang: Lang) -> Option<String> {
        let d = self.ready()?;
        let at = self.selected()?;
        match self.side {
            Side::Communities => {
                let id = d.record.communities.get(at)?.id;
                crate::report::assess::explain_community(&d.record, &d.assessment, id, lang)
            }
            Side::Units => {
                let id = d.record.units.get(at)?.id;
                crate::report::assess::explain_unit(&d.record, &d.assessment, id, lang)
            }
        }
    }
}

/// One row of a list as sorting and filtering see it: index, name, rank, contradicted,
/// completion, overdue projects.
type ListRow<'a> = (usize, &'a str, Option<usize>, bool, Option<Ratio>, usize);

/// What the app must do after a key on this screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    /// Back to the overview.
    Leave,
    /// Assess this year instead (the state already shows it as loading).
    Year(i32),
    /// Record a grade for the selected community or unit.
    Grade,
}

/// The earliest year the keys step back to (dates before 2000 are refused everywhere).
pub const FIRST_YEAR: i32 = 2000;

/// The record the selected row stands for: a community's id, or a unit's id with the
/// community whose frame its grade is recorded in (its first contract's, else the first
/// community where it leads projects; `None` when it has neither).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Graded {
    Community {
        id: i64,
        name: String,
    },
    Unit {
        id: i64,
        name: String,
        community: Option<i64>,
    },
}

impl AssessState {
    /// What `a` grades: the selected row of the focused list.
    pub fn graded(&self) -> Option<Graded> {
        let d = self.ready()?;
        let at = self.selected()?;
        match self.side {
            Side::Communities => {
                let c = d.record.communities.get(at)?;
                Some(Graded::Community {
                    id: c.id,
                    name: c.name.clone(),
                })
            }
            Side::Units => {
                let u = d.record.units.get(at)?;
                let community = u
                    .contracts
                    .first()
                    .map(|(_, community)| *community)
                    .or_else(|| u.completion_by_community.first().map(|c| c.0));
                Some(Graded::Unit {
                    id: u.id,
                    name: u.name.clone(),
                    community,
                })
            }
        }
    }

    /// Shows `year` as loading (its record is asked for by the caller).
    fn load_year(&mut self, year: i32) -> Outcome {
        self.year = year;
        self.data = Loaded::Loading;
        self.rows = [0, 0];
        self.explain = None;
        Outcome::Year(year)
    }
}

/// Turns a key action into a state change; `page` rows move with a page key, `room` lines
/// show of the explanation; `this_year` is the latest year there is to assess.
pub fn update(
    state: &mut AssessState,
    this_year: i32,
    action: Action,
    page: usize,
    explain_lines: usize,
    room: usize,
) -> Outcome {
    if let Some(scroll) = &mut state.explain {
        if !super::help::update(scroll, action, explain_lines, room) {
            state.explain = None;
        }
        return Outcome::Stay;
    }
    let len = state.shown(state.side).len();
    let last = len.saturating_sub(1);
    let row = &mut state.rows[state.side.index()];
    *row = (*row).min(last);
    match action {
        Action::Up => *row = row.saturating_sub(1),
        Action::Down => *row = (*row + 1).min(last),
        Action::PageUp => *row = row.saturating_sub(page.max(1)),
        Action::PageDown => *row = (*row + page.max(1)).min(last),
        Action::First => *row = 0,
        Action::Last => *row = last,
        Action::NextPanel | Action::PrevPanel => {
            state.side = match state.side {
                Side::Communities => Side::Units,
                Side::Units => Side::Communities,
            }
        }
        Action::CycleSort => {
            state.sort = state.sort.next();
            state.reversed = false;
        }
        Action::ReverseSort => state.reversed = !state.reversed,
        Action::ToggleFlagged => {
            state.contradicted_only = !state.contradicted_only;
            state.rows = [0, 0];
        }
        Action::StartFilter => state.editing_filter = true,
        Action::Type(ch) => {
            state.filter.push(ch);
            state.rows = [0, 0];
        }
        Action::DeleteChar => {
            state.filter.pop();
        }
        Action::FilterAccept => state.editing_filter = false,
        Action::FilterCancel => {
            state.filter.clear();
            state.editing_filter = false;
        }
        Action::Open if state.selected().is_some() => state.explain = Some(0),
        Action::PrevYear if state.year > FIRST_YEAR => return state.load_year(state.year - 1),
        Action::NextYear if state.year < this_year => return state.load_year(state.year + 1),
        Action::Adjust if state.selected().is_some() => return Outcome::Grade,
        Action::Back => {
            if !state.filter.is_empty() || state.contradicted_only {
                state.filter.clear();
                state.contradicted_only = false;
            } else {
                return Outcome::Leave;
            }
        }
        _ => {}
    }
    Outcome::Stay
}

fn grade_word(grade: Option<crate::vocab::Grade>, lang: Lang) -> String {
    grade.map_or_else(|| "-".to_string(), |g| g.word(lang).to_string())
}

fn ratio_text(r: Option<Ratio>) -> String {
    r.map_or_else(|| "-".to_string(), |r| pct_text(r.pct()))
}

fn rank_cell(rank: Option<usize>, named: bool, theme: Theme) -> Cell {
    match rank {
        Some(r) if named => Cell::Number(format!("★{r}"), theme.good(), false),
        Some(r) => Cell::number(r.to_string()),
        None => Cell::Number("-".into(), theme.dim(), false),
    }
}

fn community_table(d: &AssessData, rows: &[usize], lang: Lang, theme: Theme) -> Table {
    let mut table = Table::new(vec![
        Column::new(lang.pick("名次", "rank"), Kind::Number, KEEP),
        Column::new(lang.t(terms::COMMUNITY), Kind::Text, KEEP).min(10),
        Column::new(lang.pick("自评", "self"), Kind::Fixed, KEEP),
        Column::new(lang.pick("第三方", "3rd party"), Kind::Fixed, 6),
        Column::new(lang.pick("完成", "complete"), Kind::Number, 8),
        Column::new(lang.t(terms::OVERDUE_SHORT), Kind::Number, 7),
        Column::new(lang.pick("缺例会", "missed"), Kind::Fixed, 5),
        Column::new(lang.pick("参与", "partic."), Kind::Number, 3),
        Column::new(lang.pick("满意", "satisf."), Kind::Number, 4),
    ]);
    for &i in rows {
        let (c, v) = (&d.record.communities[i], &d.assessment.communities[i]);
        let named = d.assessment.model_communities.contains(&c.id);
        let self_grade = grade_word(v.grades.self_grade, lang);
        let missed: Vec<String> = missing_quarters(&c.quarters)
            .iter()
            .map(|q| format!("Q{q}"))
            .collect();
        table.push(vec![
            rank_cell(v.rank, named, theme),
            Cell::text(&c.name),
            if v.mismatch {
                Cell::styled(&format!("{self_grade}!"), theme.alert())
            } else {
                Cell::text(&self_grade)
            },
            Cell::text(&grade_word(v.grades.third_party, lang)),
            Cell::flagged(
                format!("{}/{}", c.completion.done, c.completion.total),
                c.completion.alert,
                theme,
            ),
            Cell::flagged(c.overdue.len().to_string(), !c.overdue.is_empty(), theme),
            Cell::styled(
                &if missed.is_empty() {
                    "-".to_string()
                } else {
                    missed.join(" ")
                },
                if missed.is_empty() {
                    theme.plain()
                } else {
                    theme.alert()
                },
            ),
            Cell::number(ratio_text(c.participation)),
            Cell::flagged(ratio_text(c.satisfaction), c.satisfaction_alert, theme),
        ]);
    }
    table
}

fn unit_table(d: &AssessData, rows: &[usize], lang: Lang, theme: Theme) -> Table {
    let mut table = Table::new(vec![
        Column::new(lang.pick("名次", "rank"), Kind::Number, KEEP),
        Column::new(lang.t(terms::UNIT), Kind::Text, KEEP).min(12),
        Column::new(lang.pick("自评", "self"), Kind::Fixed, KEEP),
        Column::new(lang.pick("社区评议", "community"), Kind::Fixed, 5),
        Column::new(lang.pick("第三方", "3rd party"), Kind::Fixed, 6),
        Column::new(lang.pick("完成", "complete"), Kind::Number, 8),
        Column::new(lang.t(terms::OVERDUE_SHORT), Kind::Number, 7),
        Column::new(lang.pick("活动", "activities"), Kind::Number, 3),
        Column::new(lang.pick("服务小时", "hours"), Kind::Number, 4),
    ]);
    for &i in rows {
        let (u, v) = (&d.record.units[i], &d.assessment.units[i]);
        let named = d.assessment.model_units.contains(&u.id);
        let self_grade = grade_word(v.grades.self_grade, lang);
        // The lowest grade any community gave one of its contracts.
        let community = v.grades.community.iter().map(|g| g.grade).max();
        table.push(vec![
            rank_cell(v.rank, named, theme),
            Cell::text(&u.name),
            if v.mismatch {
                Cell::styled(&format!("{self_grade}!"), theme.alert())
            } else {
                Cell::text(&self_grade)
            },
            Cell::text(&grade_word(community, lang)),
            Cell::text(&grade_word(v.grades.third_party, lang)),
            Cell::flagged(
                format!("{}/{}", u.completion.done, u.completion.total),
                u.completion.alert,
                theme,
            ),
            Cell::flagged(u.overdue.len().to_string(), !u.overdue.is_empty(), theme),
            Cell::number(u.activities.to_string()),
            Cell::number(crate::indicators::hours_text(u.minutes)),
        ]);
    }
    table
}

/// From this width both lists stand side by side.
const SIDE_BY_SIDE: u16 = 140;

/// Rows of a list that fit in a body of `height` lines (title, heading, the why lines).
pub fn page_rows(height: u16) -> usize {
    (height.saturating_sub(7) as usize).max(1)
}

/// Lines of the explanation pop-up, wrapped to the pop-up in `body`.
pub fn explain_lines(state: &AssessState, lang: Lang, body: Rect) -> Vec<Line<'static>> {
    let cells = body.width.min(100).saturating_sub(2) as usize;
    state
        .explanation(lang)
        .unwrap_or_default()
        .lines()
        .flat_map(|l| crate::text::wrap(&clean(l), cells))
        .map(Line::raw)
        .collect()
}

/// Where the explanation sits in the body for `count` lines.
pub fn explain_rect(body: Rect, count: usize) -> Rect {
    super::ui::centered(body, 100, count as u16 + 2)
}

pub fn render(state: &AssessState, lang: Lang, frame: &mut Frame, area: Rect, theme: Theme) {
    let d = match &state.data {
        Loaded::Loading => {
            frame.render_widget(
                Paragraph::new(match lang {
                    Lang::Zh => format!("正在计算 {} 年的年终考评...", state.year),
                    Lang::En => format!("Assessing {}...", state.year),
                }),
                area,
            );
            return;
        }
        Loaded::Failed(why) => {
            frame.render_widget(
                Paragraph::new(vec![
                    Line::styled(
                        lang.pick("无法计算年终考评：", "Cannot assess the year:"),
                        theme.alert(),
                    ),
                    Line::raw(clean(why)),
                ]),
                area,
            );
            return;
        }
        Loaded::Ready(d) => d,
    };
    let a = &d.assessment;
    let t = &d.record.settings;
    let mut head = vec![Span::styled(
        match lang {
            Lang::Zh => format!("年终考评 {}（截至 {}）", a.year, a.today),
            Lang::En => format!("Year-end assessment {} (as of {})", a.year, a.today),
        },
        theme.title(),
    )];
    // The candidate counts, each whole or not at all (never cut mid-word).
    let counts = match lang {
        Lang::Zh => [
            format!(
                "  示范社区候选 {}/{}",
                a.model_communities.len(),
                t.model_communities
            ),
            format!(
                "  优秀驻区单位候选 {}/{}",
                a.model_units.len(),
                t.model_units
            ),
        ],
        Lang::En => [
            format!(
                "  model communities {}/{}",
                a.model_communities.len(),
                t.model_communities
            ),
            format!("  model units {}/{}", a.model_units.len(), t.model_units),
        ],
    };
    let mut used: usize = head.iter().map(|s| crate::text::width(&s.content)).sum();
    for item in counts {
        let w = crate::text::width(&item);
        if used + w > area.width as usize {
            break;
        }
        used += w;
        head.push(Span::raw(item));
    }
    let mark = if state.reversed { "↑" } else { "↓" };
    let mut status = vec![Span::raw(format!(
        "{}{} {mark}",
        lang.pick("排序：", "sort: "),
        state.sort.label(lang)
    ))];
    if state.contradicted_only {
        status.push(Span::styled(
            format!("  [{}]", lang.pick("只看自评不符", "contradicted only")),
            theme.warn(),
        ));
    }
    if state.editing_filter || !state.filter.is_empty() {
        status.push(Span::raw(format!("  {}", lang.pick("筛选：", "filter: "))));
        status.push(Span::styled(clean(&state.filter), theme.key()));
    }
    let why_height = 3u16;
    let body_height = area.height.saturating_sub(2 + why_height);
    frame.render_widget(
        Paragraph::new(vec![Line::from(head), Line::from(status)]),
        Rect::new(area.x, area.y, area.width, 2.min(area.height)),
    );
    let body = Rect::new(area.x, area.y + 2, area.width, body_height);
    let sides: Vec<(Side, Rect)> = if area.width >= SIDE_BY_SIDE {
        let half = body.width / 2;
        vec![
            (
                Side::Communities,
                Rect::new(body.x, body.y, half, body.height),
            ),
            (
                Side::Units,
                Rect::new(body.x + half, body.y, body.width - half, body.height),
            ),
        ]
    } else {
        vec![(state.side, body)]
    };
    for (side, rect) in sides {
        render_list(state, d, side, lang, frame, rect, theme);
    }
    // Why the selected row is where it is, in plain words.
    let why_area = Rect::new(area.x, body.bottom(), area.width, why_height);
    let lines = why_lines(state, d, lang, why_area.width as usize, theme);
    frame.render_widget(Paragraph::new(lines), why_area);

    if state.explain.is_some() {
        let lines = explain_lines(state, lang, area);
        let rect = explain_rect(area, lines.len());
        super::widgets::scrolled_popup(
            frame,
            rect,
            lang.pick("考评依据", "Figures behind the place"),
            lines,
            state.explain.unwrap_or(0),
            lang,
            theme,
        );
    }
}

fn render_list(
    state: &AssessState,
    d: &AssessData,
    side: Side,
    lang: Lang,
    frame: &mut Frame,
    area: Rect,
    theme: Theme,
) {
    let rows = state.shown(side);
    let focused = side == state.side;
    let selected = state.rows[side.index()].min(rows.len().saturating_sub(1));
    let (title, table) = match side {
        Side::Communities => (
            lang.pick("社区", "communities"),
            community_table(d, &rows, lang, theme),
        ),
        Side::Units => (
            lang.pick("驻区单位", "units"),
            unit_table(d, &rows, lang, theme),
        ),
    };
    let other = match side {
        Side::Communities => lang.pick("Tab 看驻区单位", "Tab: units"),
        Side::Units => lang.pick("Tab 看社区", "Tab: communities"),
    };
    let position = if rows.is_empty() {
        "0/0".to_string()
    } else {
        format!("{}/{}", selected + 1, rows.len())
    };
    let block = Block::bordered()
        .border_style(if focused {
            theme.focused_border()
        } else {
            theme.border()
        })
        .title(Span::styled(
            format!(
                " {}{title}  {position}  {other} ",
                if focused { "▶ " } else { "" }
            ),
            theme.title(),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let room = (inner.height as usize).saturating_sub(1).max(1);
    let scrolls = rows.len() > room;
    let widths = table.widths(inner.width.saturating_sub(u16::from(scrolls)) as usize);
    let offset = selected.checked_div(room).map_or(0, |p| p * room);
    let mut lines = vec![table.header(&widths, theme)];
    for position in (offset..rows.len()).take(room) {
        let line = table.row(position, &widths, theme);
        lines.push(if focused && position == selected {
            line.patch_style(theme.selected())
        } else {
            line
        });
    }
    if rows.is_empty() {
        lines.push(Line::styled(
            format!("  {}", lang.t(terms::NONE)),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if scrolls {
        let track = Rect::new(area.right().saturating_sub(1), inner.y + 1, 1, room as u16);
        scrollbar(frame, track, rows.len(), room, offset, theme);
    }
}

/// The selected row: its contradictions (why its self-grade does not stand), else what keeps
/// it from the candidates, else its place among them.
fn why_lines(
    state: &AssessState,
    d: &AssessData,
    lang: Lang,
    cells: usize,
    theme: Theme,
) -> Vec<Line<'static>> {
    let Some(at) = state.selected() else {
        return Vec::new();
    };
    let (name, mismatch, reasons, bars, rank, named) = match state.side {
        Side::Communities => {
            let v = &d.assessment.communities[at];
            (
                v.name.clone(),
                v.mismatch,
                &v.reasons,
                &v.bars,
                v.rank,
                d.assessment.model_communities.contains(&v.id),
            )
        }
        Side::Units => {
            let v = &d.assessment.units[at];
            (
                v.name.clone(),
                v.mismatch,
                &v.reasons,
                &v.bars,
                v.rank,
                d.assessment.model_units.contains(&v.id),
            )
        }
    };
    let sep = lang.pick("；", "; ");
    let (text, style) = if mismatch {
        let words: Vec<String> = reasons.iter().map(|r| r.words(lang)).collect();
        (
            match lang {
                Lang::Zh => format!("{name} 自评“优秀”与全年记录不符：{}", words.join(sep)),
                Lang::En => format!(
                    "{name} graded itself excellent, but the record says: {}",
                    words.join(sep)
                ),
            },
            theme.alert(),
        )
    } else if !bars.is_empty() {
        let words: Vec<&str> = bars.iter().map(|b| b.words(lang)).collect();
        (
            match lang {
                Lang::Zh => format!("{name} 不在候选之列：{}", words.join(sep)),
                Lang::En => format!("{name} is not a candidate: {}", words.join(sep)),
            },
            theme.warn(),
        )
    } else {
        let place = rank.map_or_else(String::new, |r| r.to_string());
        (
            match (lang, named) {
                (Lang::Zh, true) => format!("{name} 候选第 {place} 名，在推荐名额之内"),
                (Lang::Zh, false) => format!("{name} 候选第 {place} 名，在推荐名额之外"),
                (Lang::En, true) => format!("{name}: candidate {place}, within the places named"),
                (Lang::En, false) => format!("{name}: candidate {place}, beyond the places named"),
            },
            theme.good(),
        )
    };
    let mut lines: Vec<Line<'static>> = crate::text::wrap_keeping(&clean(&text), cells, &[&name])
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect();
    let hint = lang.pick("（Enter 看全部依据）", "(Enter: every figure behind it)");
    if lines.len() >= 3 {
        lines.truncate(2);
    }
    lines.push(Line::styled(hint.to_string(), theme.dim()));
    lines
}
