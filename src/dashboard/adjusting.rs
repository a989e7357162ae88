//! The app's writing half: the action menu, the forms, the log screen and undo. Every write
//! goes to the store thread as a finished request; the state here only collects text.

use super::app::{App, Effect, Overlay, Screen};
use super::form::{Form, FormContext, Stage};
use super::history::{HistoryOutcome, HistoryState};
use super::keymap::Action;
use super::menu::{MenuOutcome, MenuState};
use super::picker::Choice;
use super::store_thread::{StoreReply, StoreRequest};
use super::worker::Request;
use crate::adjust::{ActionKind, AdjustError};
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
        let community_heading = self
            .community(community)
            .map_or_else(|| heading.clone(), |c| format!("{} / {}", c.street, c.name));
        self.overlay = Some(Overlay::Menu(MenuState {
            community,
            project,
            heading,
            community_heading,
            project_state: None,
            error: None,
            selected: 0,
        }));
        let mut effects: Vec<Effect> = project
            .map(|id| vec![Effect::Store(StoreRequest::ProjectState(id))])
            .unwrap_or_default();
        // The forms' project field lists the community's projects: read them if not in.
        if self.projects.ask(community) {
            effects.push(Effect::Read(super::worker::Request::Projects(community)));
        }
        effects
    }

    pub(super) fn open_history(&mut self) -> Vec<Effect> {
        let community = match &self.screen {
            Screen::Community(state) => self.community(state.id).map(|c| (c.id, c.name.clone())),
            _ => None,
        };
        let state = HistoryState::new(community);
        let request = StoreRequest::History(state.query());
        let back = std::mem::replace(&mut self.screen, Screen::Overview);
        self.screen = Screen::History(Box::new(state), Box::new(back));
        vec![Effect::Store(request)]
    }

    pub(super) fn operator_prefill(&self) -> String {
        crate::adjust::prefill_operator(
            self.operator_flag.as_deref(),
            self.last_operator.as_deref(),
        )
    }

    /// The units to pick from in forms, by name, and the community itself.
    pub(super) fn unit_choices(&self) -> Vec<Choice> {
        let units = self.snapshot().map(|s| s.units.as_slice()).unwrap_or(&[]);
        super::form::unit_choices(units, self.lang)
    }

    /// Runs `f` with what a form needs from the app.
    pub(super) fn with_form_context<T>(&self, f: impl FnOnce(&FormContext) -> T) -> T {
        let units = self.unit_choices();
        let context = FormContext {
            lang: self.lang,
            today: self.today(),
            operator: self.operator_prefill(),
            units: &units,
            needs: self.snapshot().map(|s| &s.needs),
            projects: self.projects.community.zip(self.projects.rows.as_deref()),
        };
        f(&context)
    }

    /// Keys while the menu or a form is open: the overlay's own update, then what it asks for.
    pub(super) fn apply_adjusting(&mut self, action: Action) -> Vec<Effect> {
        let Some(mut overlay) = self.overlay.take() else {
            return Vec::new();
        };
        let mut effects = Vec::new();
        match &mut overlay {
            Overlay::Menu(menu) => {
                match self.with_form_context(|context| menu.update(action, context)) {
                    MenuOutcome::Stay => {}
                    MenuOutcome::Close => return effects,
                    MenuOutcome::Open(form) => overlay = Overlay::Form(form),
                }
            }
            Overlay::Form(form) => {
                let outcome = self.with_form_context(|context| form.update(action, context));
                effects = outcome.effects;
                if outcome.flash.is_some() {
                    self.flash = outcome.flash;
                }
                if outcome.close {
                    return effects;
                }
            }
            _ => {}
        }
        self.overlay = Some(overlay);
        effects
    }

    /// Pasted text goes to the field being typed in.
    pub(super) fn paste(&mut self, text: &str) {
        match &mut self.overlay {
            Some(Overlay::Form(form))
                if matches!(form.stage, Stage::Editing) && !form.asking_discard =>
            {
                form.paste(text)
            }
            None if matches!(self.screen, Screen::Overview) => {
                super::overview::paste(&mut self.overview, text)
            }
            _ => {}
        }
    }

    pub(super) fn apply_history(
        &mut self,
        mut state: HistoryState,
        back: Box<Screen>,
        action: Action,
    ) -> Vec<Effect> {
        let here = match back.as_ref() {
            Screen::Community(c) => self.community(c.id).map(|f| (f.id, f.name.clone())),
            _ => None,
        };
        let mut effects = Vec::new();
        match state.update(action, here) {
            HistoryOutcome::Stay => {}
            HistoryOutcome::Leave => {
                self.screen = *back;
                return effects;
            }
            HistoryOutcome::Reload => {
                effects.push(Effect::Store(StoreRequest::History(state.query())));
            }
            HistoryOutcome::Undo(entry) => {
                if let Some(why) = &self.write_refusal {
                    self.flash = Some(why.clone());
                } else if entry.can_undo() {
                    let heading = entry
                        .project
                        .clone()
                        .or(entry.community.clone())
                        .unwrap_or_else(|| format!("#{}", entry.id));
                    let form = self.with_form_context(|context| {
                        Form::new(ActionKind::Undo, entry.id, heading, None, context)
                    });
                    self.overlay = Some(Overlay::Form(Box::new(form)));
                } else {
                    self.flash = Some(entry.why_not_undoable(self.lang));
                }
            }
        }
        self.screen = Screen::History(Box::new(state), back);
        effects
    }

    /// What the store thread answered.
    pub(super) fn written(&mut self, reply: StoreReply) -> Vec<Effect> {
        let lang = self.lang;
        match reply {
            StoreReply::ReviewStarted(_)
            | StoreReply::ReviewContext(..)
            | StoreReply::ItemRecorded(_)
            | StoreReply::ReviewChecked(_)
            | StoreReply::ReviewSaved(..)
            | StoreReply::ReviewEnded(_)
            | StoreReply::MinutesWritten(_) => self.review_reply(reply),
            StoreReply::Assessed(result) => self.assessed(result),
            StoreReply::Unavailable(why) => {
                self.write_refusal = Some(why);
                Vec::new()
            }
            StoreReply::ProjectState(id, result) => {
                if let Some(Overlay::Menu(menu)) = &mut self.overlay {
                    menu.project_read(id, result, lang);
                }
                Vec::new()
            }
            StoreReply::Validated(result) => {
                if let Some(Overlay::Form(form)) = &mut self.overlay
                    && matches!(form.stage, Stage::Checking)
                {
                    form.checked(result, lang);
                }
                Vec::new()
            }
            StoreReply::SettingSaved(result, operator) => {
                let Some(Overlay::Form(form)) = &mut self.overlay else {
                    return Vec::new();
                };
                match result {
                    Ok(entry) => {
                        self.last_operator = Some(operator);
                        self.overlay = None;
                        self.flash = Some(match lang {
                            Lang::Zh => format!("预警线已修改，调整记录 #{entry}"),
                            Lang::En => format!("threshold changed, log entry #{entry}"),
                        });
                        vec![Effect::Read(Request::Reload)]
                    }
                    Err(e) => {
                        form.checked(Err(e), lang);
                        Vec::new()
                    }
                }
            }
            StoreReply::Applied(result, operator) => {
                if result.is_ok() {
                    self.last_operator = Some(operator);
                }
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
                            effects.push(Effect::Store(StoreRequest::History(h.query())));
                        }
                        effects
                    }
                    Err(AdjustError::Conflict(conflict)) => {
                        form.stage = Stage::Conflict(conflict);
                        Vec::new()
                    }
                    Err(AdjustError::Invalid(errors)) => {
                        form.checked(Err(AdjustError::Invalid(errors)), lang);
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
            StoreReply::History(result) => {
                if let Screen::History(state, _) = &mut self.screen {
                    state.loaded(result);
                }
                Vec::new()
            }
        }
    }
}
