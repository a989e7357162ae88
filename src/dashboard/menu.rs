//! The adjustment menu (`a`): the actions on a project (when one is under the cursor) and on
//! its community. Its state, what keys do to it, and how it is drawn.

use super::form::{Form, FormContext};
use super::keymap::Action;
use super::theme::Theme;
use crate::adjust::{ActionKind, ProjectState, Target};
use crate::i18n::{Lang, terms};
use crate::text::clean;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

#[derive(Debug, Clone)]
pub struct MenuState {
    pub community: i64,
    pub project: Option<i64>,
    pub heading: String,
    /// The community as `street / name`, the heading of its forms.
    pub community_heading: String,
    /// The project as it is now (asked of the store thread when the menu opens).
    pub project_state: Option<ProjectState>,
    pub error: Option<String>,
    pub selected: usize,
}

/// What a key in the menu leads to.
pub enum MenuOutcome {
    Stay,
    Close,
    Open(Box<Form>),
}

impl MenuState {
    pub fn items(&self) -> Vec<ActionKind> {
        let mut items = Vec::new();
        if self.project.is_some() {
            items.extend(ActionKind::in_menu(Target::Project));
        }
        items.extend(ActionKind::in_menu(Target::Community));
        items
    }

    /// Whether an action can be chosen: community actions always; project actions once the
    /// project's status is known and allows them.
    pub fn allowed(&self, kind: ActionKind) -> bool {
        match kind.target() {
            Target::Project => self
                .project_state
                .as_ref()
                .and_then(|p| p.status())
                .is_some_and(|status| kind.allowed_on(status)),
            _ => true,
        }
    }

    /// The store thread's answer about the project (`Ok(None)`: gone from the file).
    pub fn project_read(
        &mut self,
        id: i64,
        result: Result<Option<ProjectState>, String>,
        lang: Lang,
    ) {
        if self.project != Some(id) {
            return;
        }
        match result {
            Ok(Some(state)) => self.project_state = Some(state),
            Ok(None) => {
                self.error = Some(match lang {
                    Lang::Zh => format!("项目 {id} 已不在文件中"),
                    Lang::En => format!("project {id} is no longer in the file"),
                })
            }
            Err(message) => self.error = Some(message),
        }
    }

    pub fn update(&mut self, action: Action, context: &FormContext) -> MenuOutcome {
        let items = self.items();
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(items.len().saturating_sub(1)),
            Action::Back => return MenuOutcome::Close,
            Action::Open => {
                let kind = items[self.selected.min(items.len() - 1)];
                if !self.allowed(kind) {
                    return MenuOutcome::Stay;
                }
                let (target, expected, heading) = match kind.target() {
                    Target::Project => {
                        let state = self.project_state.clone();
                        let heading = state
                            .as_ref()
                            .map(|p| p.title.clone())
                            .unwrap_or_else(|| self.heading.clone());
                        (self.project.unwrap_or_default(), state, heading)
                    }
                    _ => (self.community, None, self.community_heading.clone()),
                };
                return MenuOutcome::Open(Box::new(Form::new(
                    kind, target, heading, expected, context,
                )));
            }
            _ => {}
        }
        MenuOutcome::Stay
    }
}

pub fn render(menu: &MenuState, lang: Lang, frame: &mut Frame, area: Rect, theme: Theme) {
    let mut lines = vec![Line::styled(clean(&menu.heading), theme.title())];
    if let Some(error) = &menu.error {
        lines.push(Line::styled(clean(error), theme.alert()));
    } else if menu.project.is_some() && menu.project_state.is_none() {
        lines.push(Line::styled(
            lang.pick("读取项目状态...", "reading the project..."),
            theme.dim(),
        ));
    } else if let Some(status) = menu.project_state.as_ref().and_then(|p| p.status()) {
        lines.push(Line::styled(
            format!("{}{}", lang.pick("状态：", "status: "), status.word(lang)),
            theme.dim(),
        ));
    }
    let head = lines.len();
    let items = menu.items();
    for (i, kind) in items.iter().copied().enumerate() {
        let allowed = menu.allowed(kind);
        let target = match kind.target() {
            Target::Community => lang.pick("（社区）", " (community)"),
            _ => "",
        };
        let text = format!("  {}{target}", lang.t(kind.label()));
        let style = if i == menu.selected {
            theme.selected()
        } else if allowed {
            theme.plain()
        } else {
            theme.dim()
        };
        let mark = if allowed {
            ""
        } else {
            lang.pick("  不可用", "  not available")
        };
        lines.push(Line::styled(format!("{text}{mark}"), style));
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let w = 48.min(area.width);
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - height) / 2,
        w,
        height,
    );
    // The heading stays; the entries scroll to keep the selected one in view, and the title
    // says where it is when they do not all fit.
    let room = (height.saturating_sub(2) as usize).saturating_sub(head);
    let total = items.len();
    let offset = menu
        .selected
        .saturating_sub(room.saturating_sub(1))
        .min(total.saturating_sub(room));
    let scrolls = total > room;
    let mut shown: Vec<Line> = lines.drain(..head).collect();
    shown.extend(lines.into_iter().skip(offset).take(room));
    let title = if scrolls {
        format!(
            " {}  {}/{total} ",
            lang.t(terms::ADJUSTMENT),
            menu.selected.min(total.saturating_sub(1)) + 1
        )
    } else {
        format!(" {} ", lang.t(terms::ADJUSTMENT))
    };
    super::widgets::clear_popup(frame, rect);
    frame.render_widget(
        Paragraph::new(shown).block(Block::bordered().title(title)),
        rect,
    );
    if scrolls {
        let track = Rect::new(
            rect.right().saturating_sub(1),
            rect.y + 1 + head as u16,
            1,
            room as u16,
        );
        super::widgets::scrollbar(frame, track, total, room, offset, theme);
    }
}
