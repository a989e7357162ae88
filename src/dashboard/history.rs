//! The adjustment log screen (调整记录): newest first, filtered by community and by text
//! (operator, community, project, date, reason), before → after and the reason; `u` undoes an entry.

use super::keymap::Action;
use super::theme::Theme;
use crate::adjust::{Entry, HistoryFilter};
use crate::i18n::{Lang, terms};
use crate::text::clean;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

#[derive(Debug, Clone)]
pub struct HistoryState {
    /// Only this community's entries (opened from a community screen); `c` drops it.
    pub community: Option<i64>,
    pub community_name: Option<String>,
    pub entries: Option<Vec<Entry>>,
    pub error: Option<String>,
    pub selected: usize,
    pub filter: String,
    pub editing_filter: bool,
}

impl HistoryState {
    pub fn new(community: Option<(i64, String)>) -> HistoryState {
        HistoryState {
            community: community.as_ref().map(|c| c.0),
            community_name: community.map(|c| c.1),
            entries: None,
            error: None,
            selected: 0,
            filter: String::new(),
            editing_filter: false,
        }
    }

    /// The entries that match the text filter, newest first.
    pub fn visible(&self) -> Vec<&Entry> {
        let needle = self.filter.trim().to_lowercase();
        self.entries
            .iter()
            .flatten()
            .filter(|e| {
                needle.is_empty()
                    || e.operator.to_lowercase().contains(&needle)
                    || e.community
                        .as_deref()
                        .unwrap_or("")
                        .to_lowercase()
                        .contains(&needle)
                    || e.project
                        .as_deref()
                        .unwrap_or("")
                        .to_lowercase()
                        .contains(&needle)
                    || e.local_time().contains(&needle)
                    || e.reason.to_lowercase().contains(&needle)
                    || e.project_id.is_some_and(|p| format!("#{p}") == needle)
            })
            .collect()
    }

    pub fn selected_entry(&self) -> Option<&Entry> {
        self.visible().get(self.selected).copied()
    }

    /// The log query for the community filter (text filters apply on screen).
    pub fn query(&self) -> HistoryFilter {
        HistoryFilter {
            community: self.community,
            limit: Some(5_000),
            ..Default::default()
        }
    }

    /// One key action on the log. `here` is the community of the screen the log was opened
    /// from (for `c`).
    pub fn update(&mut self, action: Action, here: Option<(i64, String)>) -> HistoryOutcome {
        let last = self.visible().len().saturating_sub(1);
        if self.editing_filter {
            match action {
                Action::Type(ch) => self.filter.push(ch),
                Action::DeleteChar => {
                    self.filter.pop();
                }
                Action::FilterAccept => self.editing_filter = false,
                Action::FilterCancel => {
                    self.filter.clear();
                    self.editing_filter = false;
                }
                Action::Up => self.selected = self.selected.saturating_sub(1),
                Action::Down => self.selected = (self.selected + 1).min(last),
                _ => {}
            }
            self.selected = self.selected.min(self.visible().len().saturating_sub(1));
            return HistoryOutcome::Stay;
        }
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::PageUp => self.selected = self.selected.saturating_sub(10),
            Action::PageDown => self.selected = (self.selected + 10).min(last),
            Action::First => self.selected = 0,
            Action::Last => self.selected = last,
            Action::StartFilter => self.editing_filter = true,
            Action::ToggleCommunity => {
                if self.community.is_some() {
                    self.community = None;
                    self.community_name = None;
                } else if let Some((id, name)) = here {
                    self.community = Some(id);
                    self.community_name = Some(name);
                }
                self.entries = None;
                self.selected = 0;
                return HistoryOutcome::Reload;
            }
            Action::Undo => {
                return match self.selected_entry() {
                    Some(entry) => HistoryOutcome::Undo(Box::new(entry.clone())),
                    None => HistoryOutcome::Stay,
                };
            }
            Action::Back => return HistoryOutcome::Leave,
            _ => {}
        }
        HistoryOutcome::Stay
    }

    /// The store thread's answer to the log query.
    pub fn loaded(&mut self, result: Result<Vec<Entry>, String>) {
        match result {
            Ok(entries) => {
                self.entries = Some(entries);
                self.error = None;
                self.selected = self.selected.min(self.visible().len().saturating_sub(1));
            }
            Err(message) => self.error = Some(message),
        }
    }
}

/// What a key on the log leads to.
pub enum HistoryOutcome {
    Stay,
    /// Read the log again (the community filter changed).
    Reload,
    /// `u` on this entry.
    Undo(Box<Entry>),
    Leave,
}

fn action_word(lang: Lang, entry: &Entry) -> String {
    entry.action_word(lang)
}

pub fn render(state: &HistoryState, lang: Lang, frame: &mut Frame, area: Rect, theme: Theme) {
    let [head, list, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(7),
    ])
    .areas(area);
    let mut title: Vec<Span> = vec![Span::styled(
        lang.t(terms::ADJUSTMENT_LOG).to_string(),
        theme.title(),
    )];
    if let Some(name) = &state.community_name {
        title.push(Span::raw(format!(
            "  {} {}",
            lang.t(terms::COMMUNITY),
            clean(name)
        )));
    }
    if state.editing_filter || !state.filter.is_empty() {
        title.push(Span::raw(format!("  {}", lang.pick("筛选：", "filter: "))));
        title.push(Span::styled(clean(&state.filter), theme.key()));
    }
    frame.render_widget(Paragraph::new(Line::from(title.clone())), head);

    let Some(_) = &state.entries else {
        let text = state
            .error
            .clone()
            .unwrap_or_else(|| lang.pick("读取中...", "Loading...").to_string());
        frame.render_widget(Paragraph::new(text).style(theme.dim()), list);
        return;
    };
    let visible = state.visible();
    let rows = list.height.saturating_sub(1) as usize;
    let offset = state.selected.saturating_sub(rows.saturating_sub(1));
    let scrolls = visible.len() > rows;
    // Where the list is: `12/30` after the title; a scrollbar when it scrolls.
    if !visible.is_empty() {
        let used = title
            .iter()
            .map(|s| crate::text::width(&s.content))
            .sum::<usize>();
        let position = format!("  {}/{}", state.selected + 1, visible.len());
        if used + crate::text::width(&position) <= head.width as usize {
            title.push(Span::styled(position, theme.dim()));
            frame.render_widget(Paragraph::new(Line::from(title)), head);
        }
    }
    use super::table::{Cell, Column, KEEP, Kind, Table};
    // Operators and places are names: they keep their width before the reason does.
    let mut table = Table::new(vec![
        Column::new(lang.pick("时间", "when"), Kind::Fixed, KEEP),
        Column::new(lang.t(terms::OPERATOR), Kind::Text, 200).min(4),
        Column::new(lang.pick("操作", "action"), Kind::Text, KEEP).min(4),
        Column::new(
            lang.pick("社区 / 项目", "community / project"),
            Kind::Text,
            150,
        )
        .min(6),
        Column::new(lang.t(terms::REASON), Kind::Text, 100).min(4),
    ]);
    let shown: Vec<(usize, &&Entry)> = visible.iter().enumerate().skip(offset).take(rows).collect();
    for (_, e) in &shown {
        let place_text = match (&e.community, &e.project) {
            (Some(c), Some(p)) => format!("{c} / {p}"),
            (Some(c), None) => c.clone(),
            (None, Some(p)) => p.clone(),
            (None, None) => String::new(),
        };
        let mut act = action_word(lang, e);
        if e.undone {
            act = format!("{act}{}", lang.pick("（已撤销）", "(undone)"));
        }
        table.push(vec![
            Cell::text(&e.local_time()),
            Cell::text(&e.operator),
            Cell::styled(&act, if e.undone { theme.dim() } else { theme.key() }),
            Cell::text(&place_text),
            Cell::text(&e.reason),
        ]);
    }
    let room = (list.width as usize).saturating_sub(usize::from(scrolls));
    let widths = table.widths(room);
    let mut lines = vec![table.header(&widths, theme)];
    for (n, (i, _)) in shown.iter().enumerate() {
        let line = table.row(n, &widths, theme);
        lines.push(if *i == state.selected {
            line.patch_style(theme.selected())
        } else {
            line
        });
    }
    if visible.is_empty() {
        lines.push(Line::styled(
            lang.pick("（没有调整记录）", "(no adjustments)"),
            theme.dim(),
        ));
    }
    if scrolls {
        let track = Rect::new(
            list.right().saturating_sub(1),
            list.y + 1,
            1,
            list.height.saturating_sub(1),
        );
        super::widgets::scrollbar(frame, track, visible.len(), rows, offset, theme);
    }
    frame.render_widget(Paragraph::new(lines), list);

    let mut detail_lines = Vec::new();
    if let Some(e) = state.selected_entry() {
        detail_lines.push(Line::styled(
            format!(
                "#{}  {}  {}  {}",
                e.id,
                e.local_time(),
                clean(&e.operator),
                action_word(lang, e)
            ),
            theme.title(),
        ));
        for change in e.changes() {
            let mut spans = vec![Span::raw(format!(
                "{}{}",
                change.label(lang),
                lang.pick("：", ": ")
            ))];
            // A value recorded for the first time has no "before" worth showing.
            if !change.before.is_empty() {
                spans.push(Span::styled(clean(&change.before_text(lang)), theme.dim()));
                spans.push(Span::raw(" → "));
            }
            spans.push(Span::styled(clean(&change.after_text(lang)), theme.key()));
            detail_lines.push(Line::from(spans));
        }
        detail_lines.push(Line::raw(format!(
            "{}{}{}",
            lang.t(terms::REASON),
            lang.pick("：", ": "),
            clean(&e.reason)
        )));
        if let Some(by) = e.undone_by {
            detail_lines.push(Line::styled(
                match lang {
                    Lang::Zh => format!("已由记录 #{by} 撤销"),
                    Lang::En => format!("undone by entry #{by}"),
                },
                theme.warn(),
            ));
        }
        if let Some(r) = e.reverses {
            detail_lines.push(Line::styled(
                match lang {
                    Lang::Zh => format!("撤销了记录 #{r}"),
                    Lang::En => format!("undoes entry #{r}"),
                },
                theme.dim(),
            ));
        }
    }
    frame.render_widget(
        Paragraph::new(detail_lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().border_style(theme.dim())),
        detail,
    );
}
