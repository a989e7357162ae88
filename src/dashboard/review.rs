//! The weekly review (周例会回顾): the flagged communities one per screen, laid out for a
//! projector — headline figures, what is flagged and why in plain words, what changed since the
//! last review, the decisions (督办事项) — with decisions and adjustments taken in place.

use super::app::Effect;
use super::form::Purpose;
use super::keymap::Action;
use super::store_thread::{ReviewContext, StoreReply, StoreRequest};
use super::theme::Theme;
use super::widgets::pct_text;
use super::worker::Snapshot;
use crate::i18n::{Lang, terms};
use crate::indicators::CommunityFigures;
use crate::review::{Decision, DecisionState, Direction, FlagKey, Outcome, Summary};
use crate::text::{clean, wrap, wrap_keeping};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct ReviewState {
    /// The stored review, once the store thread has started it.
    pub id: Option<i64>,
    pub street: Option<i64>,
    /// The communities to walk, most flags first.
    pub queue: Vec<i64>,
    pub position: usize,
    pub outcomes: HashMap<i64, Outcome>,
    pub contexts: HashMap<i64, ReviewContext>,
    /// The cursor over the current community's flags, then its decisions.
    pub selected: usize,
    pub error: Option<String>,
    /// Set when the review has ended.
    pub summary: Option<Box<Summary>>,
    pub minutes: Option<Result<std::path::PathBuf, String>>,
    /// Who runs the review (stored with it when the first thing is recorded).
    pub operator: String,
    /// The review is being stored (the first record was made): its id is on the way.
    pub starting: bool,
    /// Records made before the review's id came back, sent once it does.
    pub pending: Vec<(Box<CommunityFigures>, Outcome)>,
    /// `q` was pressed while the review was being stored: end it once it is.
    pub ending: bool,
    /// The first line of the end screen shown, and the last it can start at (set as drawn).
    pub summary_scroll: usize,
    pub summary_max: std::cell::Cell<usize>,
    /// The first line shown of "since the last review" (PgUp/PgDn; back to 0 with each
    /// community), and the last it can start at (set as drawn).
    pub since_scroll: usize,
    pub since_max: std::cell::Cell<usize>,
}

/// How many lines PgUp/PgDn move the right pane.
const SINCE_PAGE: usize = 5;

/// A line of the list the cursor walks: a flag (maybe about a project) or a decision.
enum Item<'a> {
    Flag { text: String, project: Option<i64> },
    Decision(&'a Decision),
}

impl ReviewState {
    pub fn current(&self) -> Option<i64> {
        self.queue.get(self.position).copied()
    }

    /// Stores the review if that has not begun yet: nothing is written before the first
    /// record, so that looking is not reviewing.
    fn ensure_started(&mut self) -> Vec<Effect> {
        if self.id.is_some() || self.starting {
            return Vec::new();
        }
        self.starting = true;
        vec![Effect::Store(StoreRequest::StartReview {
            operator: self.operator.clone(),
            street: self.street,
        })]
    }

    /// What the meeting did with a community: kept here, and stored.
    fn record(&mut self, figures: &CommunityFigures, outcome: Outcome) -> Vec<Effect> {
        self.outcomes.insert(figures.id, outcome);
        match self.id {
            Some(review) => vec![Effect::Store(StoreRequest::RecordItem {
                review,
                figures: Box::new(figures.clone()),
                outcome,
            })],
            None => {
                self.pending.push((Box::new(figures.clone()), outcome));
                self.ensure_started()
            }
        }
    }

    /// The review was stored: send what waited for its id.
    fn started(&mut self, id: i64, today: chrono::NaiveDate) -> Vec<Effect> {
        self.id = Some(id);
        self.starting = false;
        let mut effects: Vec<Effect> = std::mem::take(&mut self.pending)
            .into_iter()
            .map(|(figures, outcome)| {
                Effect::Store(StoreRequest::RecordItem {
                    review: id,
                    figures,
                    outcome,
                })
            })
            .collect();
        if self.ending {
            effects.push(Effect::Store(StoreRequest::EndReview { review: id, today }));
        }
        effects
    }
}

/// What the review reads: the figures on screen and the day.
pub struct View<'a> {
    pub lang: Lang,
    pub today: chrono::NaiveDate,
    pub snapshot: &'a Snapshot,
    /// Where exported minutes go.
    pub export_folder: &'a std::path::Path,
}

impl<'a> View<'a> {
    fn community(&self, id: i64) -> Option<&'a CommunityFigures> {
        self.snapshot.report.communities.iter().find(|c| c.id == id)
    }
}

/// Where the review goes after a key, besides its own state.
#[derive(Debug, Clone)]
pub enum Then {
    Stay,
    /// Back to the overview.
    Leave,
    /// A decision form: what it is for, and its heading.
    Form(Purpose, String),
    /// The adjustment menu: community, project, heading.
    Adjust(i64, Option<i64>, String),
}

/// What a key did: requests for the store thread, a message for the key bar, and where next.
#[derive(Debug)]
pub struct Step {
    pub effects: Vec<Effect>,
    pub flash: Option<String>,
    pub then: Then,
}

impl Step {
    fn stay(effects: Vec<Effect>) -> Step {
        Step {
            effects,
            flash: None,
            then: Then::Stay,
        }
    }
}

/// A review of the flagged communities (of `street` when given), or why there is nothing
/// to review.
pub fn start(
    view: &View,
    street: Option<i64>,
    operator: String,
) -> Result<(ReviewState, Vec<Effect>), String> {
    let queue = crate::review::review_order(
        &view.snapshot.report,
        &view.snapshot.overdue_decisions,
        street,
    );
    if queue.is_empty() {
        return Err(view
            .lang
            .pick("没有需要回顾的预警社区", "no flagged community to review")
            .to_string());
    }
    let state = ReviewState {
        street,
        queue,
        operator,
        ..ReviewState::default()
    };
    let effects = context_request(&state, view.today);
    Ok((state, effects))
}

fn context_request(state: &ReviewState, today: chrono::NaiveDate) -> Vec<Effect> {
    match state.current() {
        Some(community) if !state.contexts.contains_key(&community) => {
            vec![Effect::Store(StoreRequest::ReviewContext {
                community,
                review: state.id,
                today,
            })]
        }
        _ => Vec::new(),
    }
}

fn items<'a>(state: &'a ReviewState, view: &View, c: &CommunityFigures) -> Vec<Item<'a>> {
    let context = state.contexts.get(&c.id);
    let decisions: &[Decision] = context.map_or(&[], |x| x.decisions.as_slice());
    let thresholds = view.snapshot.report.thresholds;
    let mut items: Vec<Item> = crate::review::flags(c, Some(&thresholds), decisions, view.lang)
        .into_iter()
        .map(|f| Item::Flag {
            project: match f.key {
                FlagKey::Overdue(p) | FlagKey::LowParticipation(p) => Some(p),
                _ => None,
            },
            text: f.text,
        })
        .collect();
    items.extend(
        decisions
            .iter()
            .filter(|d| d.state.is_open() || d.review_id == state.id)
            .map(Item::Decision),
    );
    items
}

/// Turns a key action into a change of the review and what the app must do next.
pub fn update(state: &mut ReviewState, view: &View, action: Action) -> Step {
    let lang = view.lang;
    let mut effects = Vec::new();
    if state.summary.is_some() {
        // The review has ended: its summary is on screen.
        match action {
            Action::Export => {
                effects.push(Effect::Store(StoreRequest::ExportMinutes {
                    report: Box::new(view.snapshot.report.clone()),
                    folder: view.export_folder.to_path_buf(),
                    lang,
                }));
            }
            Action::Back | Action::EndReview | Action::Open => {
                return Step {
                    effects,
                    flash: None,
                    then: Then::Leave,
                };
            }
            Action::Up => state.summary_scroll = state.summary_scroll.saturating_sub(1),
            Action::Down => {
                state.summary_scroll = (state.summary_scroll + 1).min(state.summary_max.get())
            }
            _ => {}
        }
        return Step::stay(effects);
    }
    let community = state.current().and_then(|id| view.community(id));
    let item_count = community.map_or(0, |c| items(state, view, c).len());
    let mut flash = None;
    match action {
        Action::Up => state.selected = state.selected.saturating_sub(1),
        Action::Down => state.selected = (state.selected + 1).min(item_count.saturating_sub(1)),
        // PgUp/PgDn scroll the right pane, what changed since the last review.
        Action::PageUp => state.since_scroll = state.since_scroll.saturating_sub(SINCE_PAGE),
        Action::PageDown => {
            state.since_scroll = (state.since_scroll + SINCE_PAGE).min(state.since_max.get())
        }
        Action::NextCommunity | Action::Skip => {
            let outcome = if action == Action::Skip {
                Outcome::Skipped
            } else {
                Outcome::Covered
            };
            if let Some(c) = community {
                effects.extend(state.record(c, outcome));
            }
            if state.position + 1 < state.queue.len() {
                state.position += 1;
                state.selected = 0;
                state.since_scroll = 0;
            } else {
                flash = Some(
                    lang.pick(
                        "已是最后一个社区；按 q 结束回顾",
                        "that was the last community; q ends the review",
                    )
                    .to_string(),
                );
            }
        }
        Action::PrevCommunity => {
            state.position = state.position.saturating_sub(1);
            state.selected = 0;
            state.since_scroll = 0;
        }
        Action::Decide => {
            if let Some(c) = community {
                // A decision belongs to the review: store the review now.
                effects.extend(state.ensure_started());
                let purpose = Purpose::Decision {
                    review: state.id,
                    community: c.id,
                };
                let heading = format!("{} / {}", c.street, c.name);
                effects.extend(context_request(state, view.today));
                return Step {
                    effects,
                    flash,
                    then: Then::Form(purpose, heading),
                };
            }
        }
        Action::CompleteDecision => {
            let chosen = community.and_then(|c| {
                match items(state, view, c).into_iter().nth(state.selected) {
                    Some(Item::Decision(d)) if d.state.is_open() => Some((d.id, d.text.clone())),
                    _ => None,
                }
            });
            match chosen {
                Some((decision, text)) => {
                    effects.extend(context_request(state, view.today));
                    return Step {
                        effects,
                        flash,
                        then: Then::Form(Purpose::CompleteDecision { decision }, text),
                    };
                }
                None => {
                    flash = Some(
                        lang.pick(
                            "请先用 ↑↓ 选中一条未办结的督办事项",
                            "select an open decision with ↑↓ first",
                        )
                        .to_string(),
                    );
                }
            }
        }
        Action::EditDecision => {
            let chosen = community.and_then(|c| {
                match items(state, view, c).into_iter().nth(state.selected) {
                    Some(Item::Decision(d)) if d.state.is_open() => Some(d.clone()),
                    _ => None,
                }
            });
            match chosen {
                Some(d) => {
                    effects.extend(context_request(state, view.today));
                    let purpose = Purpose::EditDecision {
                        decision: d.id,
                        text: d.text.clone(),
                        owner: d.owner.clone(),
                        due: d.due_on.clone(),
                    };
                    return Step {
                        effects,
                        flash,
                        then: Then::Form(purpose, format!("#{} {}", d.id, d.text)),
                    };
                }
                None => {
                    flash = Some(
                        lang.pick(
                            "请先用 ↑↓ 选中一条未办结的督办事项",
                            "select an open decision with ↑↓ first",
                        )
                        .to_string(),
                    );
                }
            }
        }
        Action::Adjust => {
            if let Some(c) = community {
                let project = match items(state, view, c).into_iter().nth(state.selected) {
                    Some(Item::Flag { project, text }) => project.map(|p| (p, text)),
                    _ => None,
                };
                let then = match project {
                    Some((p, text)) => Then::Adjust(c.id, Some(p), text),
                    None => Then::Adjust(c.id, None, format!("{} / {}", c.street, c.name)),
                };
                return Step {
                    effects,
                    flash,
                    then,
                };
            }
        }
        Action::EndReview | Action::Back => {
            // Only what was done is recorded: the community on screen is not counted
            // unless `n` or a record covered it.
            match state.id {
                Some(review) => effects.push(Effect::Store(StoreRequest::EndReview {
                    review,
                    today: view.today,
                })),
                None if state.starting => state.ending = true,
                None => {
                    return Step {
                        effects,
                        flash: Some(
                            lang.pick(
                                "回顾未记录任何内容，未写入文件",
                                "nothing was recorded in this review: nothing written",
                            )
                            .to_string(),
                        ),
                        then: Then::Leave,
                    };
                }
            }
        }
        _ => {}
    }
    effects.extend(context_request(state, view.today));
    Step {
        effects,
        flash,
        then: Then::Stay,
    }
}

/// The store thread's answers about the review (not the decisions: their form takes those).
/// Returns the requests to send, and the review's id when it has just been stored.
pub fn reply(
    state: &mut ReviewState,
    reply: StoreReply,
    today: chrono::NaiveDate,
) -> (Vec<Effect>, Option<i64>) {
    match reply {
        StoreReply::ReviewStarted(Ok(id)) => return (state.started(id, today), Some(id)),
        StoreReply::ReviewContext(community, Ok(context)) => {
            state.contexts.insert(community, *context);
        }
        StoreReply::ReviewEnded(Ok(summary)) => state.summary = Some(summary),
        StoreReply::MinutesWritten(result) => state.minutes = Some(result),
        StoreReply::ReviewStarted(Err(e))
        | StoreReply::ReviewContext(_, Err(e))
        | StoreReply::ItemRecorded(Err(e))
        | StoreReply::ReviewEnded(Err(e)) => state.error = Some(e),
        _ => {}
    }
    (Vec::new(), None)
}

impl ReviewState {
    /// Something was recorded for the community on screen (`figures`: a decision, an
    /// adjustment): it counts as covered, and its context is read again.
    pub fn refresh(
        &mut self,
        figures: Option<&CommunityFigures>,
        today: chrono::NaiveDate,
    ) -> Vec<Effect> {
        let Some(community) = self.current() else {
            return Vec::new();
        };
        let mut effects = Vec::new();
        if let Some(figures) = figures
            && !self.outcomes.contains_key(&community)
        {
            effects.extend(self.record(figures, Outcome::Covered));
        }
        self.contexts.remove(&community);
        effects.push(Effect::Store(StoreRequest::ReviewContext {
            community,
            review: self.id,
            today,
        }));
        effects
    }
}

fn headline_box<'a>(
    label: &str,
    value: String,
    detail: String,
    alert: bool,
    theme: Theme,
) -> Paragraph<'a> {
    let style = if alert { theme.alert() } else { theme.good() };
    let mark = if alert { "!" } else { "" };
    Paragraph::new(vec![
        Line::styled(
            format!("{value}{mark}"),
            style.add_modifier(ratatui::style::Modifier::BOLD),
        ),
        Line::styled(detail, theme.dim()),
    ])
    .centered()
    .block(
        Block::bordered()
            .border_style(theme.dim())
            .title(Span::raw(format!(" {label} "))),
    )
}

pub fn render(view: &View, state: &ReviewState, frame: &mut Frame, area: Rect, theme: Theme) {
    let lang = view.lang;
    if let Some(summary) = &state.summary {
        render_summary(lang, state, summary, frame, area, theme);
        return;
    }
    let Some(c) = state.current().and_then(|id| view.community(id)) else {
        frame.render_widget(Paragraph::new(lang.pick("读取中...", "Loading...")), area);
        return;
    };
    let context = state.contexts.get(&c.id);
    let overdue_decisions = context.map_or(0, |x| {
        x.decisions
            .iter()
            .filter(|d| d.state == DecisionState::Overdue)
            .count()
    });
    let [title, boxes, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(4),
        Constraint::Min(3),
    ])
    .areas(area);

    let outcome = state
        .outcomes
        .get(&c.id)
        .map(|o| format!("  [{}]", lang.t(o.label())))
        .unwrap_or_default();
    let mut spans = vec![
        Span::styled(format!("{}  ", lang.t(terms::WEEKLY_REVIEW)), theme.title()),
        Span::raw(format!("{}/{}  ", state.position + 1, state.queue.len())),
        Span::styled(
            format!("{} / {}", clean(&c.street), clean(&c.name)),
            theme.title(),
        ),
        Span::styled(
            format!(
                "  {} {}",
                lang.t(terms::ALERTS),
                c.alerts + overdue_decisions as u32
            ),
            theme.alert(),
        ),
    ];
    // The version-2 flags' count, only when it fits whole.
    let more = format!(
        "  {} {}",
        lang.pick("更多预警", "more flags"),
        c.more_alerts
    );
    let used: usize = spans.iter().map(|s| crate::text::width(&s.content)).sum();
    if c.more_alerts > 0 && used + crate::text::width(&more) <= title.width as usize {
        spans.push(Span::styled(more, theme.warn()));
    }
    spans.push(Span::styled(outcome, theme.dim()));
    spans.push(Span::styled(
        state
            .error
            .as_deref()
            .map(|e| format!("  {}", clean(e)))
            .unwrap_or_default(),
        theme.alert(),
    ));
    frame.render_widget(Paragraph::new(Line::from(spans)), title);

    let missing: Vec<String> = c
        .meetings
        .quarters
        .iter()
        .enumerate()
        .filter(|(_, q)| **q == crate::indicators::QuarterState::Missing)
        .map(|(i, _)| format!("Q{}", i + 1))
        .collect();
    let headline = [
        (
            lang.pick("完成率", "completion"),
            lang.pick("完成", "compl."),
            pct_text(c.completion.pct),
            format!("{}/{}", c.completion.done, c.completion.total),
            c.completion.alert,
        ),
        (
            lang.pick("资源利用", "resources"),
            lang.pick("资源", "res."),
            pct_text(c.resources.pct),
            format!("{}/{}", c.resources.used, c.resources.offered),
            c.resources.alert,
        ),
        (
            lang.pick("逾期项目", "overdue"),
            lang.pick("逾期", "late"),
            c.overdue.len().to_string(),
            String::new(),
            !c.overdue.is_empty(),
        ),
        (
            lang.pick("未开例会", "missed mtg"),
            lang.pick("例会", "mtg"),
            c.meetings.missing.to_string(),
            missing.join(" "),
            c.meetings.missing > 0,
        ),
        (
            lang.pick("参与预警", "low part."),
            lang.pick("参与", "part."),
            c.participation_flags().to_string(),
            format!("{}+{}", c.low_participation.len(), c.inactive_units.len()),
            c.participation_flags() > 0,
        ),
        (
            lang.pick("督办逾期", "late dec."),
            lang.pick("督办", "dec."),
            overdue_decisions.to_string(),
            String::new(),
            overdue_decisions > 0,
        ),
    ];
    let cells = Layout::horizontal([Constraint::Ratio(1, 6); 6]).split(boxes);
    for (i, (label, short, value, detail, alert)) in headline.into_iter().enumerate() {
        // The box's title is its border less the corners and a space each side: a label that
        // does not fit whole gives way to its short form.
        let room = (cells[i].width as usize).saturating_sub(4);
        let label = if crate::text::width(label) <= room {
            label
        } else {
            short
        };
        frame.render_widget(headline_box(label, value, detail, alert, theme), cells[i]);
    }

    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
    // Left: the flags and decisions, the cursor walks them.
    let inner_width = left.width.saturating_sub(4) as usize;
    let mut lines = Vec::new();
    let items = items(state, view, c);
    let flag_count = items
        .iter()
        .filter(|i| matches!(i, Item::Flag { .. }))
        .count();
    let mut selected_line = 0;
    let names = super::widgets::names_of(c);
    for (n, item) in items.iter().enumerate() {
        if n == flag_count {
            lines.push(Line::styled(
                lang.pick("督办事项：", "decisions:").to_string(),
                theme.header(),
            ));
        }
        if n == state.selected {
            selected_line = lines.len();
        }
        let mut keep: Vec<&str> = names.iter().map(String::as_str).collect();
        let (text, style) = match item {
            Item::Flag { text, .. } => (text.clone(), theme.alert()),
            Item::Decision(d) => {
                let style = match d.state {
                    DecisionState::Overdue => theme.alert(),
                    DecisionState::Open => theme.warn(),
                    DecisionState::Done => theme.good(),
                };
                keep.push(&d.owner);
                (
                    format!(
                        "[{}] {}  {} {}  {}",
                        lang.t(d.state.label()),
                        d.text,
                        lang.pick("责任人", "owner"),
                        d.owner,
                        d.due_on
                    ),
                    style,
                )
            }
        };
        for (k, part) in wrap_keeping(&format!("- {}", clean(&text)), inner_width, &keep)
            .into_iter()
            .enumerate()
        {
            let part = if k == 0 { part } else { format!("  {part}") };
            let line = Line::styled(part, style);
            lines.push(if n == state.selected {
                line.patch_style(theme.selected())
            } else {
                line
            });
        }
    }
    if items.is_empty() {
        lines.push(Line::styled(
            lang.pick("（无预警）", "(nothing flagged)"),
            theme.good(),
        ));
    }
    let room = left.height.saturating_sub(2) as usize;
    let scroll = selected_line
        .saturating_sub(room.saturating_sub(2))
        .min(lines.len().saturating_sub(room));
    // Where the cursor is among the flags and decisions, when they do not all fit.
    let position = if lines.len() > room && !items.is_empty() {
        format!(
            "{}/{} ",
            state.selected.min(items.len() - 1) + 1,
            items.len()
        )
    } else {
        String::new()
    };
    let total_lines = lines.len();
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll as u16, 0))
            .block(Block::bordered().title(format!(
                " {} {position}",
                lang.pick("预警原因与督办事项", "flagged, and decisions")
            ))),
        left,
    );
    let track = Rect::new(
        left.right().saturating_sub(1),
        left.y + 1,
        1,
        left.height.saturating_sub(2),
    );
    super::widgets::scrollbar(frame, track, total_lines, room, scroll, theme);

    // Right: what changed since the last review.
    let width = right.width.saturating_sub(4) as usize;
    let mut lines = Vec::new();
    let since_title = match context.and_then(|x| x.past.as_ref()) {
        Some(past) => match lang {
            Lang::Zh => format!(" 自上次回顾（{}）以来 ", past.local_time()),
            Lang::En => format!(" since the last review ({}) ", past.local_time()),
        },
        None => lang
            .pick(
                " 近 7 天（此前未回顾） ",
                " last 7 days (not reviewed before) ",
            )
            .to_string(),
    };
    match context {
        None => lines.push(Line::styled(
            lang.pick("读取中...", "Loading..."),
            theme.dim(),
        )),
        Some(x) => {
            if let Some(past) = &x.past {
                for change in crate::review::changes_since(&past.figures, c, lang) {
                    let word = match (lang, change.direction) {
                        (Lang::Zh, Direction::New) => "新增",
                        (Lang::Zh, Direction::Cleared) => "消除",
                        (Lang::Zh, Direction::Up) => "上升",
                        (Lang::Zh, Direction::Down) => "下降",
                        (Lang::En, Direction::New) => "new",
                        (Lang::En, Direction::Cleared) => "cleared",
                        (Lang::En, Direction::Up) => "up",
                        (Lang::En, Direction::Down) => "down",
                    };
                    let style = if change.improved {
                        theme.good()
                    } else {
                        theme.alert()
                    };
                    for part in wrap(&format!("{word} {}", clean(&change.text)), width) {
                        lines.push(Line::styled(part, style));
                    }
                }
            }
            for dated in x.since.lines(lang) {
                for part in wrap(&format!("{} {}", dated.date, clean(&dated.text)), width) {
                    lines.push(Line::raw(part));
                }
            }
            if lines.is_empty() {
                lines.push(Line::styled(
                    lang.pick("（没有变化）", "(no change)"),
                    theme.dim(),
                ));
            }
        }
    }
    // Scrolled with PgUp/PgDn; the title says where, and a scrollbar shows when it scrolls.
    let room = right.height.saturating_sub(2) as usize;
    let total = lines.len();
    let max = total.saturating_sub(room);
    state.since_max.set(max);
    let scroll = state.since_scroll.min(max);
    let since_title = if total > room {
        // The position is never the part that is cut: it goes first when the title is long.
        let position = format!("{}-{}/{total} PgDn", scroll + 1, (scroll + room).min(total));
        let name = since_title.trim();
        let after = format!(" {name} {position} ");
        if crate::text::width(&after) <= right.width.saturating_sub(2) as usize {
            after
        } else {
            format!(" {position} {name} ")
        }
    } else {
        since_title
    };
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll as u16, 0))
            .block(Block::bordered().title(since_title)),
        right,
    );
    let track = Rect::new(
        right.right().saturating_sub(1),
        right.y + 1,
        1,
        right.height.saturating_sub(2),
    );
    super::widgets::scrollbar(frame, track, total, room, scroll, theme);
}

fn render_summary(
    lang: Lang,
    state: &ReviewState,
    summary: &Summary,
    frame: &mut Frame,
    area: Rect,
    theme: Theme,
) {
    let width = area.width.saturating_sub(4) as usize;
    let mut lines = vec![
        Line::styled(
            lang.pick("周例会回顾已结束", "The weekly review has ended"),
            theme.title(),
        ),
        Line::raw(""),
    ];
    // One clause a line when the whole does not fit, so that no count is parted from its word.
    let headline = summary.headline(lang);
    let clauses: Vec<String> = if crate::text::width(&headline) <= width {
        vec![headline]
    } else {
        headline
            .split(lang.pick("；", "; "))
            .map(str::to_string)
            .collect()
    };
    for clause in clauses {
        for part in wrap(&clause, width) {
            lines.push(Line::styled(part, theme.key()));
        }
    }
    match &state.minutes {
        Some(Ok(path)) => {
            for part in wrap(
                &format!(
                    "{} {}",
                    lang.pick("会议纪要已保存：", "minutes written to"),
                    path.display()
                ),
                width,
            ) {
                lines.push(Line::styled(part, theme.good()));
            }
        }
        Some(Err(e)) => {
            for part in wrap(&clean(e), width) {
                lines.push(Line::styled(part, theme.alert()));
            }
        }
        None => {
            for part in wrap(
                lang.pick(
                    "e 导出会议纪要（Markdown）   Esc/q 返回总览",
                    "e export the minutes (Markdown)   Esc/q back to the overview",
                ),
                width,
            ) {
                lines.push(Line::styled(part, theme.dim()));
            }
        }
    }
    let list = |lines: &mut Vec<Line>, title: &str, items: Vec<String>| {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            match lang {
                Lang::Zh => format!("{title}（{}）", items.len()),
                Lang::En => format!("{title} ({})", items.len()),
            },
            theme.header(),
        ));
        for item in items {
            for part in wrap(&format!("- {}", clean(&item)), width) {
                lines.push(Line::raw(part));
            }
        }
    };
    list(
        &mut lines,
        lang.pick("已回顾", "covered"),
        summary
            .covered
            .iter()
            .map(|r| r.community.clone())
            .collect(),
    );
    list(
        &mut lines,
        lang.pick("已跳过", "skipped"),
        summary
            .skipped
            .iter()
            .map(|r| r.community.clone())
            .collect(),
    );
    list(
        &mut lines,
        lang.pick("本次督办事项", "decisions taken"),
        summary
            .decisions
            .iter()
            .map(|d| format!("{}：{}（{} {}）", d.community, d.text, d.owner, d.due_on))
            .collect(),
    );
    list(
        &mut lines,
        lang.pick("本次办结的督办事项", "decisions done"),
        summary
            .done
            .iter()
            .map(|d| {
                format!(
                    "{}：{}（{}）",
                    d.community,
                    d.text,
                    d.done_note.as_deref().unwrap_or("")
                )
            })
            .collect(),
    );
    list(
        &mut lines,
        lang.pick("回顾期间的调整", "adjustments made"),
        summary
            .adjustments
            .iter()
            .map(|e| {
                let action = e
                    .kind()
                    .map_or_else(|| e.action.clone(), |k| lang.t(k.label()).to_string());
                format!(
                    "{} {} {}",
                    action,
                    e.project
                        .clone()
                        .or(e.community.clone())
                        .unwrap_or_default(),
                    e.reason
                )
            })
            .collect(),
    );
    list(
        &mut lines,
        lang.pick("待跟进督办事项", "follow-ups open"),
        summary
            .open
            .iter()
            .map(|d| {
                format!(
                    "[{}] {}：{}（{} {}）",
                    lang.t(d.state.label()),
                    d.community,
                    d.text,
                    d.owner,
                    d.due_on
                )
            })
            .collect(),
    );
    // It scrolls (↑↓) when the lists are longer than the screen, and says where it is.
    let room = area.height.saturating_sub(2) as usize;
    let max = super::widgets::max_scroll(lines.len(), room);
    state.summary_max.set(max);
    super::widgets::scrolled_popup(
        frame,
        area,
        lang.t(terms::WEEKLY_REVIEW),
        lines,
        state.summary_scroll.min(max),
        lang,
        theme,
    );
}
