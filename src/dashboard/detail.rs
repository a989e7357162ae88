//! The project details pop-up (项目详情): its state, how keys change it, and how it is drawn.

use super::keymap::Action;
use super::theme::Theme;
use super::widgets::{cell, cell_right};
use crate::i18n::{Lang, terms};
use crate::indicators::Pct;
use crate::model::{ProjectDetail, Status};
use crate::text::clean;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

#[derive(Debug, Clone)]
pub enum DetailState {
    Loading(i64),
    Loaded(Box<ProjectDetail>),
    Missing(i64),
    Failed(String),
}

impl DetailState {
    /// Takes what the worker read for project `id`, if it is the project shown.
    pub fn loaded(&mut self, id: i64, detail: Option<Box<ProjectDetail>>) {
        let wanted = match self {
            DetailState::Loading(want) | DetailState::Missing(want) => *want == id,
            DetailState::Loaded(d) => d.id == id,
            DetailState::Failed(_) => true,
        };
        if wanted {
            *self = match detail {
                Some(d) => DetailState::Loaded(d),
                None => DetailState::Missing(id),
            };
        }
    }
}

/// What the app must do after a key on the pop-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Close,
    /// The adjustment menu on the project: community, project, heading.
    Adjust(i64, i64, String),
}

/// Scrolls the pop-up (`count` lines, `room` shown) or leaves it.
pub fn update(
    state: &DetailState,
    scroll: &mut usize,
    action: Action,
    count: usize,
    room: usize,
) -> Outcome {
    match action {
        Action::Back => return Outcome::Close,
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll = (*scroll + 1).min(count.saturating_sub(room)),
        Action::Adjust => {
            if let DetailState::Loaded(d) = state {
                return Outcome::Adjust(d.community_id, d.id, format!("#{} {}", d.id, d.title));
            }
        }
        _ => {}
    }
    Outcome::Stay
}

/// Where the pop-up sits in the body for `count` lines.
pub fn rect(body: Rect, count: usize) -> Rect {
    super::ui::centered(body, 76, (count as u16 + 2).max(10))
}

pub fn render(
    state: &DetailState,
    scroll: usize,
    lang: Lang,
    frame: &mut Frame,
    area: Rect,
    theme: Theme,
) {
    let lines = lines(lang, state, theme);
    super::widgets::scrolled_popup(
        frame,
        rect(area, lines.len()),
        lang.pick("项目详情", "Project"),
        lines,
        scroll,
        lang,
        theme,
    );
}

pub fn lines(lang: Lang, state: &DetailState, theme: Theme) -> Vec<Line<'static>> {
    match state {
        DetailState::Loading(_) => vec![Line::styled(
            lang.pick("读取中...", "Loading..."),
            theme.dim(),
        )],
        DetailState::Missing(id) => vec![Line::raw(match lang {
            Lang::Zh => format!("项目 {id} 已不在文件中"),
            Lang::En => format!("project {id} is no longer in the file"),
        })],
        DetailState::Failed(message) => vec![Line::styled(clean(message), theme.alert())],
        DetailState::Loaded(d) => {
            let status = Status::from_code(&d.status)
                .map_or_else(|| clean(&d.status), |s| s.word(lang).to_string());
            let field = |label: &str, value: String| {
                Line::from(vec![
                    Span::styled(cell(label, 10), theme.dim()),
                    Span::raw(value),
                ])
            };
            let mut lines = vec![
                Line::styled(format!("#{} {}", d.id, clean(&d.title)), theme.title()),
                field(lang.t(terms::COMMUNITY), clean(&d.community_name)),
                field(
                    lang.pick("牵头单位", "lead unit"),
                    d.unit_name.as_deref().map_or_else(
                        || lang.pick("（社区自办）", "(community)").to_string(),
                        clean,
                    ),
                ),
                field(lang.t(terms::DUE_ON), clean(&d.due_on)),
                field(lang.pick("状态", "status"), status),
            ];
            if let Some(done) = &d.done_on {
                lines.push(field(lang.pick("完成日期", "done on"), clean(done)));
            }
            lines.push(Line::raw(""));
            // Each column as wide as its heading or its widest number: none is cut.
            let planned_w = crate::text::width(lang.t(terms::PLANNED)).max(
                d.sessions
                    .iter()
                    .map(|s| s.1.to_string().len())
                    .max()
                    .unwrap_or(0),
            );
            let actual_w = crate::text::width(lang.t(terms::ACTUAL)).max(
                d.sessions
                    .iter()
                    .map(|s| s.2.to_string().len())
                    .max()
                    .unwrap_or(0),
            );
            let count = d.sessions.len();
            lines.push(Line::styled(
                format!(
                    "{}  {}  {}  {}   {}",
                    cell(lang.pick("活动日期", "held on"), 10),
                    cell_right(lang.t(terms::PLANNED), planned_w.max(6)),
                    cell_right(lang.t(terms::ACTUAL), actual_w.max(6)),
                    cell_right(lang.pick("参与率", "rate"), 7),
                    match lang {
                        Lang::Zh => format!("（{count} 次）"),
                        Lang::En => format!("({count} sessions)"),
                    }
                ),
                theme.header(),
            ));
            for (held_on, planned, actual) in &d.sessions {
                let pct =
                    Pct::of(*actual, *planned).map_or_else(|| "-".to_string(), |p| format!("{p}%"));
                lines.push(Line::raw(format!(
                    "{}  {}  {}  {}",
                    cell(held_on, 10),
                    cell_right(&planned.to_string(), planned_w.max(6)),
                    cell_right(&actual.to_string(), actual_w.max(6)),
                    cell_right(&pct, 7)
                )));
            }
            if d.sessions.is_empty() {
                lines.push(Line::styled(
                    lang.pick("（尚无活动记录）", "(no sessions yet)"),
                    theme.dim(),
                ));
            }
            lines
        }
    }
}
