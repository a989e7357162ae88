//! The app's writing half: the action menu, the forms, the log screen and undo. Every write
//! goes to the writer thread as a finished request; the state here only collects text.

use super::app::{App, Effect, MenuState, Overlay, Screen, history_filter};
use super::form::{Form, Purpose, Stage, unit_matches};
use super::history::HistoryState;
use super::keymap::Action;
use super::worker::Request;
use super::writer::{WriteReply, WriteRequest};
use crate::adjust::{ActionKind, Input, Target};
use crate::error::Error;
use crate::i18n::Lang;

impl App {
    /// Opens the adjustment menu, or says why nothing can be written.
    pub(super) fn open_menu(
        &mut self,
        community: i64,
        project: Option<i64>,
        heading: String,
    ) -> Vec<Effect> {
        if let Some(why) = &self.write_refusal {
            self.flash = Some(why.clone());
            return Vec::new();
        }
        self.overlay = Some(Overlay::Menu(MenuState {
            community,
            project,
            heading,
            project_state: None,
            error: None,
            selected: 0,
        }));
        project
            .map(|id| vec![Effect::Write(WriteRequest::ProjectState(id))])
            .unwrap_or_default()
    }

    pub(super) fn open_history(&mut self) -> Vec<Effect> {
        let community = match &self.screen {
            Screen::Community(state) => self.community(state.id).map(|c| (c.id, c.name.clone())),
            _ => None,
        };
        let state = HistoryState::new(community);
        let request = WriteRequest::History(history_filter(&state));
        let back = std::mem::replace(&mut self.screen, Screen::Overview);
        self.screen = Screen::History(Box::new(state), Box::new(back));
        vec![Effect::Write(request)]
    }

    fn operator_prefill(&self) -> String {
        crate::adjust::prefill_operator(self.operator_flag.as_deref())
    }

    /// Keys while the menu or a form is open.
    pub(super) fn apply_adjusting(&mut self, action: Action) -> Vec<Effect> {
        let lang = self.lang;
        let today = self.today();
        let operator = self.operator_prefill();
        let units = self.snapshot().map(|s| s.units.clone()).unwrap_or_default();
        let community_heading = match &self.overlay {
            Some(Overlay::Menu(menu)) => self
                .community(menu.community)
                .map(|c| format!("{} / {}", c.street, c.name)),
            _ => None,
        };
        let Some(overlay) = self.overlay.as_mut() else {
            return Vec::new();
        };
        match overlay {
            Overlay::Menu(menu) => {
                let items = menu.items();
                match action {
                    Action::Up => menu.selected = menu.selected.saturating_sub(1),
                    Action::Down => {
                        menu.selected = (menu.selected + 1).min(items.len().saturating_sub(1))
                    }
                    Action::Back => self.overlay = None,
                    Action::Open => {
                        let kind = items[menu.selected.min(items.len() - 1)];
                        if !menu.allowed(kind) {
                            return Vec::new();
                        }
                        let (target, expected, heading) = match kind.target() {
                            Target::Project => {
                                let state = menu.project_state.clone();
                                let heading = state
                                    .as_ref()
                                    .map(|p| format!("#{} {}", p.id, p.title))
                                    .unwrap_or_else(|| menu.heading.clone());
                                (menu.project.unwrap_or_default(), state, heading)
                            }
                            _ => (
                                menu.community,
                                None,
                                community_heading.unwrap_or_else(|| menu.heading.clone()),
                            ),
                        };
                        self.overlay = Some(Overlay::Form(Box::new(Form::new(
                            kind, target, heading, expected, today, operator,
                        ))));
                    }
                    _ => {}
                }
                Vec::new()
            }
            Overlay::Form(form) => match &form.stage {
                Stage::Editing => match action {
                    Action::Back => {
                        self.overlay = None;
                        self.flash = Some(
                            lang.pick("已放弃，未保存任何内容", "left: nothing was saved")
                                .to_string(),
                        );
                        Vec::new()
                    }
                    Action::Type(ch) => {
                        form.type_char(ch);
                        Vec::new()
                    }
                    Action::DeleteChar => {
                        form.backspace();
                        Vec::new()
                    }
                    Action::ClearText => {
                        form.clear_field();
                        Vec::new()
                    }
                    Action::CycleLeft | Action::CycleRight => {
                        form.cycle(action == Action::CycleRight);
                        Vec::new()
                    }
                    Action::NextField | Action::PrevField
                        if form.focused().input == Input::Unit =>
                    {
                        // Up and down walk the list of matching units; Tab leaves the field.
                        let matches = unit_matches(&units, &form.focused().value).len();
                        let pick = match (action, form.unit_pick) {
                            (Action::NextField, None) if matches > 0 => Some(0),
                            (Action::NextField, Some(n)) if n + 1 < matches => Some(n + 1),
                            (Action::PrevField, Some(0)) => None,
                            (Action::PrevField, Some(n)) => Some(n - 1),
                            _ => {
                                if action == Action::NextField {
                                    form.next_field()
                                } else {
                                    form.prev_field()
                                }
                                return Vec::new();
                            }
                        };
                        form.unit_pick = pick;
                        Vec::new()
                    }
                    Action::NextField => {
                        form.next_field();
                        Vec::new()
                    }
                    Action::PrevField => {
                        form.prev_field();
                        Vec::new()
                    }
                    Action::Submit => {
                        if let Some(n) = form.unit_pick {
                            // Enter on a highlighted unit picks it.
                            if let Some(unit) = unit_matches(&units, &form.focused().value).get(n) {
                                let id = unit.0.to_string();
                                form.clear_field();
                                for ch in id.chars() {
                                    form.type_char(ch);
                                }
                            }
                            form.unit_pick = None;
                            return Vec::new();
                        }
                        form.stage = Stage::Checking;
                        let operator = form.value(crate::adjust::key::OPERATOR);
                        let request = match form.purpose {
                            Purpose::Adjust(kind) => WriteRequest::Validate {
                                kind,
                                raw: form.raw(),
                                today,
                            },
                            Purpose::Decision { review, community } => WriteRequest::AddDecision {
                                review,
                                community,
                                text: form.value("decision"),
                                owner: form.value("owner"),
                                due: form.value(crate::adjust::key::DUE),
                                operator,
                                today,
                            },
                            Purpose::CompleteDecision { decision } => {
                                WriteRequest::CompleteDecision {
                                    decision,
                                    note: form.value("note"),
                                    operator,
                                }
                            }
                        };
                        vec![Effect::Write(request)]
                    }
                    _ => Vec::new(),
                },
                Stage::Confirm { request, changes } => match action {
                    Action::Submit => {
                        let request = request.clone();
                        form.stage = Stage::Saving {
                            since: std::time::Instant::now(),
                            request: request.clone(),
                            changes: changes.clone(),
                        };
                        let expected = form.expected.clone();
                        vec![Effect::Write(WriteRequest::Apply { request, expected })]
                    }
                    Action::Back => {
                        form.stage = Stage::Editing;
                        form.message = None;
                        Vec::new()
                    }
                    _ => Vec::new(),
                },
                Stage::Conflict(conflict) => match action {
                    Action::Reopen => {
                        // The same action on the values now in the file; the reason and the
                        // operator typed so far are kept.
                        let current = conflict.current.clone();
                        let kept: Vec<(&'static str, String)> = form
                            .fields
                            .iter()
                            .filter(|f| {
                                f.key == crate::adjust::key::REASON
                                    || f.key == crate::adjust::key::OPERATOR
                            })
                            .map(|f| (f.key, f.value.clone()))
                            .collect();
                        let heading = format!("#{} {}", current.id, current.title);
                        let Some(kind) = form.kind() else {
                            return Vec::new();
                        };
                        let mut fresh =
                            Form::new(kind, form.target, heading, Some(current), today, operator);
                        for field in &mut fresh.fields {
                            if let Some((_, value)) = kept.iter().find(|(k, _)| *k == field.key) {
                                field.value = value.clone();
                            }
                        }
                        **form = fresh;
                        Vec::new()
                    }
                    Action::Back => {
                        self.overlay = None;
                        Vec::new()
                    }
                    _ => Vec::new(),
                },
                Stage::Checking | Stage::Saving { .. } => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    pub(super) fn apply_history(
        &mut self,
        mut state: HistoryState,
        back: Box<Screen>,
        action: Action,
    ) -> Vec<Effect> {
        let mut effects = Vec::new();
        let count = state.visible().len();
        let last = count.saturating_sub(1);
        if state.editing_filter {
            match action {
                Action::Type(ch) => state.filter.push(ch),
                Action::DeleteChar => {
                    state.filter.pop();
                }
                Action::FilterAccept => state.editing_filter = false,
                Action::FilterCancel => {
                    state.filter.clear();
                    state.editing_filter = false;
                }
                Action::Up => state.selected = state.selected.saturating_sub(1),
                Action::Down => state.selected = (state.selected + 1).min(last),
                _ => {}
            }
            state.selected = state.selected.min(state.visible().len().saturating_sub(1));
            self.screen = Screen::History(Box::new(state), back);
            return effects;
        }
        match action {
            Action::Up => state.selected = state.selected.saturating_sub(1),
            Action::Down => state.selected = (state.selected + 1).min(last),
            Action::PageUp => state.selected = state.selected.saturating_sub(10),
            Action::PageDown => state.selected = (state.selected + 10).min(last),
            Action::First => state.selected = 0,
            Action::Last => state.selected = last,
            Action::StartFilter => state.editing_filter = true,
            Action::ToggleCommunity => {
                if state.community.is_some() {
                    state.community = None;
                    state.community_name = None;
                } else if let Screen::Community(c) = back.as_ref()
                    && let Some(figures) = self.community(c.id)
                {
                    state.community = Some(figures.id);
                    state.community_name = Some(figures.name.clone());
                }
                state.entries = None;
                state.selected = 0;
                effects.push(Effect::Write(WriteRequest::History(history_filter(&state))));
            }
            Action::Undo => {
                if let Some(why) = &self.write_refusal {
                    self.flash = Some(why.clone());
                } else if let Some(entry) = state.selected_entry() {
                    if entry.can_undo() {
                        let heading = format!(
                            "#{} {}",
                            entry.id,
                            entry
                                .project
                                .clone()
                                .or(entry.community.clone())
                                .unwrap_or_default()
                        );
                        let form = Form::new(
                            ActionKind::Undo,
                            entry.id,
                            heading,
                            None,
                            self.today(),
                            self.operator_prefill(),
                        );
                        self.overlay = Some(Overlay::Form(Box::new(form)));
                    } else {
                        self.flash = Some(
                            self.lang
                                .pick("此条不能撤销（已撤销，或本身就是撤销）", "this entry cannot be undone (already undone, or an undo itself)")
                                .to_string(),
                        );
                    }
                }
            }
            Action::Back => {
                self.screen = *back;
                return effects;
            }
            _ => {}
        }
        self.screen = Screen::History(Box::new(state), back);
        effects
    }

    /// What the writer thread answered.
    pub(super) fn written(&mut self, reply: WriteReply) -> Vec<Effect> {
        let lang = self.lang;
        match reply {
            WriteReply::ReviewStarted(_)
            | WriteReply::ReviewContext(..)
            | WriteReply::ItemRecorded(_)
            | WriteReply::DecisionSaved(_)
            | WriteReply::DecisionDone(_)
            | WriteReply::ReviewEnded(_)
            | WriteReply::MinutesWritten(_) => self.review_reply(reply),
            WriteReply::Unavailable(why) => {
                self.write_refusal = Some(why);
                Vec::new()
            }
            WriteReply::ProjectState(id, result) => {
                if let Some(Overlay::Menu(menu)) = &mut self.overlay
                    && menu.project == Some(id)
                {
                    match result {
                        Ok(Some(state)) => menu.project_state = Some(state),
                        Ok(None) => {
                            menu.error = Some(match lang {
                                Lang::Zh => format!("项目 {id} 已不在文件中"),
                                Lang::En => format!("project {id} is no longer in the file"),
                            })
                        }
                        Err(message) => menu.error = Some(message),
                    }
                }
                Vec::new()
            }
            WriteReply::Validated(result) => {
                if let Some(Overlay::Form(form)) = &mut self.overlay
                    && matches!(form.stage, Stage::Checking)
                {
                    form.checked(result, lang);
                }
                Vec::new()
            }
            WriteReply::Applied(result) => {
                let Some(Overlay::Form(form)) = &mut self.overlay else {
                    return Vec::new();
                };
                match result {
                    Ok(entry) => {
                        self.overlay = None;
                        self.flash = Some(match lang {
                            Lang::Zh => format!("已保存，调整记录 #{entry}"),
                            Lang::En => format!("saved as log entry #{entry}"),
                        });
                        let mut effects = vec![Effect::Read(Request::Reload)];
                        effects.extend(self.refresh_review_context());
                        if let Screen::History(h, _) = &self.screen {
                            effects.push(Effect::Write(WriteRequest::History(history_filter(h))));
                        }
                        effects
                    }
                    Err(Error::Conflict(conflict)) => {
                        form.stage = Stage::Conflict(conflict);
                        Vec::new()
                    }
                    Err(Error::Invalid(errors)) => {
                        form.checked(Err(Error::Invalid(errors)), lang);
                        Vec::new()
                    }
                    Err(other) => {
                        // Busy, read-only, a stale undo: nothing was written; the user may try again.
                        if let Stage::Saving {
                            request, changes, ..
                        } = &form.stage
                        {
                            form.stage = Stage::Confirm {
                                request: request.clone(),
                                changes: changes.clone(),
                            };
                        }
                        form.message = Some(crate::error::with_nothing_written(
                            other.message(lang),
                            lang,
                        ));
                        Vec::new()
                    }
                }
            }
            WriteReply::History(result) => {
                if let Screen::History(state, _) = &mut self.screen {
                    match result {
                        Ok(entries) => {
                            state.entries = Some(entries);
                            state.error = None;
                            state.selected =
                                state.selected.min(state.visible().len().saturating_sub(1));
                        }
                        Err(message) => state.error = Some(message),
                    }
                }
                Vec::new()
            }
        }
    }
}
