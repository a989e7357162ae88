//! The adjustment form (调整): fields typed as text, checked by the store thread, a preview of
//! before → after, an explicit confirm, and the conflict case. Nothing is written until the
//! user confirms; `Esc` at any point leaves with nothing written.

use super::app::Effect;
use super::keymap::Action;
use super::picker::{self, Choice};
use super::store_thread::{ReviewForm, StoreRequest};
use super::text_input::TextInput;
use super::theme::Theme;
use super::widgets::cell;
use crate::adjust::{
    self, ActionKind, AdjustError, Change, Conflict, FieldError, Input, MeetingKind, ProjectState,
    Raw, Request, key,
};
use crate::i18n::Lang;
use crate::text::{clean, width};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

#[derive(Debug, Clone)]
pub struct FormField {
    pub key: &'static str,
    pub input: Input,
    pub required: bool,
    /// What is typed (for a unit field: the filter, then the chosen unit's name).
    pub text: TextInput,
    /// The chosen entry of a unit or need field (`id: None` is the community itself).
    pub choice: Option<Choice>,
    /// The entries of a need or project field: the needs or projects of the community the
    /// form is about (a project field with none takes an id, as typed).
    pub options: Vec<Choice>,
    /// The value the field opened with, to know whether anything was changed.
    initial: String,
}

impl FormField {
    fn new(key: &'static str, input: Input, required: bool, value: String) -> FormField {
        FormField {
            key,
            input,
            required,
            text: TextInput::new(value.clone()),
            choice: None,
            options: Vec::new(),
            initial: value,
        }
    }

    /// The text the checker reads: for a unit field the chosen unit's id (`none` for the
    /// community itself), for a need or project field the chosen entry's id, else what is
    /// typed.
    pub fn value(&self) -> String {
        match (&self.input, &self.choice) {
            (Input::Unit | Input::Need | Input::ProjectId, Some(choice)) => choice
                .id
                .map_or_else(|| "none".to_string(), |id| id.to_string()),
            _ => self.text.value().to_string(),
        }
    }

    /// A field chosen from a list: a unit, a need, or a project when the community's projects
    /// are known.
    fn is_pick(&self) -> bool {
        match self.input {
            Input::Unit | Input::Need => true,
            Input::ProjectId => !self.options.is_empty(),
            _ => false,
        }
    }

    fn changed(&self) -> bool {
        self.value() != self.initial
    }
}

#[derive(Debug, Clone)]
pub enum Stage {
    Editing,
    /// Waiting for the store thread to check the fields.
    Checking,
    /// Checked: before → after shown, waiting for the user's confirm.
    /// `request`: the checked adjustment (`None` for a decision or setting form, saved from
    /// its fields as shown).
    Confirm {
        request: Option<Request>,
        changes: Vec<Change>,
    },
    Saving {
        request: Option<Request>,
        changes: Vec<Change>,
        /// When the save was sent: after a second, the form says it waits for a lock.
        since: std::time::Instant,
    },
    /// Another terminal changed the project after the form opened: nothing was written.
    Conflict(Box<Conflict>),
}

/// What a form is for: an adjustment, or a decision of the weekly review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    Adjust(ActionKind),
    /// Record a decision (督办事项) for a community.
    Decision {
        review: Option<i64>,
        community: i64,
    },
    /// Mark an earlier decision done, with a note.
    CompleteDecision {
        decision: i64,
    },
    /// Change an open decision's text, responsible person or due date (the values it opens
    /// with), with a reason.
    EditDecision {
        decision: i64,
        text: String,
        owner: String,
        due: String,
    },
    /// Change a shared setting (预警线), as `gongjian settings KEY VALUE --reason …` does.
    Setting {
        key: &'static str,
    },
}

#[derive(Debug, Clone)]
pub struct Form {
    pub purpose: Purpose,
    /// The project, community or log entry the action is on.
    pub target: i64,
    pub heading: String,
    /// The project as the form saw it when it opened (checked again on save).
    pub expected: Option<ProjectState>,
    pub fields: Vec<FormField>,
    pub focus: usize,
    pub errors: Vec<FieldError>,
    /// A problem with the whole form (not one field), or the reason a save failed.
    pub message: Option<String>,
    pub stage: Stage,
    /// The highlighted entry among the matches under a unit field (Enter takes it).
    pub pick: Option<usize>,
    /// "放弃已填内容？" is asked: Esc or Ctrl-C on a changed form.
    pub asking_discard: bool,
}

/// What a form needs to know from outside it.
pub struct FormContext<'a> {
    pub lang: Lang,
    pub today: chrono::NaiveDate,
    pub operator: String,
    /// The entries of a unit field: the units, then the community itself.
    pub units: &'a [Choice],
    /// Each community's needs, for a need field.
    pub needs: Option<&'a std::collections::HashMap<i64, Vec<super::worker::NeedChoice>>>,
    /// The projects of the community whose list has been read (the community screen's, read
    /// when it opens), for a project field (`None`: the field takes an id).
    pub projects: Option<(i64, &'a [crate::model::Project])>,
}

/// The entries of a project field for `community`: its projects by title.
fn project_choices(context: &FormContext, community: Option<i64>, lang: Lang) -> Vec<Choice> {
    let Some(list) = community.and_then(|c| {
        context
            .projects
            .and_then(|(id, list)| (id == c).then_some(list))
    }) else {
        return Vec::new();
    };
    list.iter()
        .map(|p| Choice {
            id: Some(p.id),
            name: p.title.clone(),
            detail: match lang {
                Lang::Zh => format!("#{} 期限 {}", p.id, p.due_on),
                Lang::En => format!("#{} due {}", p.id, p.due_on),
            },
        })
        .collect()
}

/// The entries of a need field for `community`: its needs, those waiting first.
fn need_choices(context: &FormContext, community: Option<i64>, lang: Lang) -> Vec<Choice> {
    let Some(list) = community.and_then(|c| context.needs.and_then(|n| n.get(&c))) else {
        return Vec::new();
    };
    list.iter()
        .map(|n| Choice {
            id: Some(n.id),
            name: n.title.clone(),
            detail: match (lang, n.answered) {
                (Lang::Zh, false) => format!("#{} {} 提出，未对接", n.id, n.raised_on),
                (Lang::Zh, true) => format!("#{} {} 提出，已有项目对接", n.id, n.raised_on),
                (Lang::En, false) => format!("#{} raised {}, unanswered", n.id, n.raised_on),
                (Lang::En, true) => format!("#{} raised {}, answered", n.id, n.raised_on),
            },
        })
        .collect()
}

/// What the app must do after a key in a form.
#[derive(Debug, Default)]
pub struct Outcome {
    pub effects: Vec<Effect>,
    /// The form is done with (left or saved).
    pub close: bool,
    pub flash: Option<String>,
}

impl Outcome {
    fn effect(effect: Effect) -> Outcome {
        Outcome {
            effects: vec![effect],
            ..Outcome::default()
        }
    }
}

impl Form {
    pub fn new(
        kind: ActionKind,
        target: i64,
        heading: String,
        expected: Option<ProjectState>,
        context: &FormContext,
    ) -> Form {
        Form::prefilled(kind, target, heading, expected, context, &[])
    }

    /// A form of `kind` whose fields open with `values` (key, text) instead of the kind's
    /// defaults: what the screen it is opened from already knows (the year and the subject on
    /// the assessment screen). They count as the opening values, so leaving the form untouched
    /// asks nothing.
    pub fn prefilled(
        kind: ActionKind,
        target: i64,
        heading: String,
        expected: Option<ProjectState>,
        context: &FormContext,
        values: &[(&'static str, String)],
    ) -> Form {
        let mut defaults = adjust::form_defaults(kind, expected.as_ref(), context.today);
        for (key, value) in values {
            defaults.set(key, value.clone());
        }
        let mut fields: Vec<FormField> = kind
            .fields()
            .iter()
            .map(|spec| {
                let mut field = FormField::new(
                    spec.key,
                    spec.input,
                    spec.required,
                    defaults.get(spec.key).to_string(),
                );
                if let Some(word) = closed_word(spec.input, field.text.value(), context.lang) {
                    // A closed list's default shows as its word (季度例会, 自评), not its code.
                    field.text.set(word);
                    field.initial = word.to_string();
                }
                if matches!(spec.input, Input::Need | Input::ProjectId) {
                    // The needs or projects of the community the form is about, chosen by
                    // title.
                    let community = match kind.target() {
                        adjust::Target::Community => Some(target),
                        adjust::Target::Project => expected.as_ref().map(|p| p.community_id),
                        _ => None,
                    };
                    field.options = if spec.input == Input::Need {
                        need_choices(context, community, context.lang)
                    } else {
                        project_choices(context, community, context.lang)
                    };
                    let id = field.text.value().trim().parse::<i64>().ok();
                    if let Some(choice) =
                        id.and_then(|id| field.options.iter().find(|c| c.id == Some(id)).cloned())
                    {
                        field.text.set(choice.name.clone());
                        field.choice = Some(choice);
                    }
                }
                if spec.input == Input::Unit {
                    // The unit in the file shows by its name.
                    let id = field.text.value().trim().parse::<i64>().ok();
                    if let Some(choice) =
                        id.and_then(|id| context.units.iter().find(|c| c.id == Some(id)).cloned())
                    {
                        field.text.set(choice.name.clone());
                        field.choice = Some(choice);
                    }
                }
                field
            })
            .collect();
        fields.push(FormField::new(
            key::REASON,
            Input::Text {
                max: adjust::MAX_REASON,
            },
            true,
            String::new(),
        ));
        fields.push(FormField::new(
            key::OPERATOR,
            Input::Text {
                max: adjust::MAX_OPERATOR,
            },
            true,
            context.operator.clone(),
        ));
        Form::with_fields(Purpose::Adjust(kind), target, heading, expected, fields)
    }

    fn with_fields(
        purpose: Purpose,
        target: i64,
        heading: String,
        expected: Option<ProjectState>,
        fields: Vec<FormField>,
    ) -> Form {
        let mut form = Form {
            purpose,
            target,
            heading,
            expected,
            fields,
            focus: 0,
            errors: Vec::new(),
            message: None,
            stage: Stage::Editing,
            pick: None,
            asking_discard: false,
        };
        form.enter_field();
        form
    }

    /// A form for a review decision, or for marking one done.
    pub fn for_review(purpose: Purpose, heading: String, context: &FormContext) -> Form {
        let text = |key, max, required, value: String| {
            FormField::new(key, Input::Text { max }, required, value)
        };
        let mut fields = match &purpose {
            Purpose::CompleteDecision { .. } => {
                vec![text("note", adjust::MAX_NOTE, true, String::new())]
            }
            Purpose::EditDecision {
                text: was,
                owner,
                due,
                ..
            } => vec![
                text("decision", crate::review::MAX_DECISION, true, was.clone()),
                text("owner", adjust::MAX_OPERATOR, true, owner.clone()),
                FormField::new(key::DUE, Input::Date, true, due.clone()),
                text(key::REASON, adjust::MAX_REASON, true, String::new()),
            ],
            _ => vec![
                text("decision", crate::review::MAX_DECISION, true, String::new()),
                text("owner", adjust::MAX_OPERATOR, true, String::new()),
                FormField::new(
                    key::DUE,
                    Input::Date,
                    true,
                    crate::dates::format_ymd(context.today + chrono::Duration::days(7)),
                ),
            ],
        };
        fields.push(text(
            key::OPERATOR,
            adjust::MAX_OPERATOR,
            true,
            context.operator.clone(),
        ));
        Form::with_fields(purpose, 0, heading, None, fields)
    }

    /// A form that changes the setting `key`, starting from its value in force.
    pub fn for_setting(
        key: &'static str,
        current: Option<u32>,
        heading: String,
        context: &FormContext,
    ) -> Form {
        let fields = vec![
            FormField::new(
                "value",
                Input::Count { min: 0 },
                true,
                current.map(|v| v.to_string()).unwrap_or_default(),
            ),
            FormField::new(
                key::REASON,
                Input::Text {
                    max: adjust::MAX_REASON,
                },
                true,
                String::new(),
            ),
            FormField::new(
                key::OPERATOR,
                Input::Text {
                    max: adjust::MAX_OPERATOR,
                },
                true,
                context.operator.clone(),
            ),
        ];
        Form::with_fields(Purpose::Setting { key }, 0, heading, None, fields)
    }

    /// The adjustment this form makes, if it is an adjustment form.
    pub fn kind(&self) -> Option<ActionKind> {
        match self.purpose {
            Purpose::Adjust(kind) => Some(kind),
            _ => None,
        }
    }

    pub fn title(&self) -> crate::i18n::Term {
        match self.purpose {
            Purpose::Adjust(kind) => kind.label(),
            Purpose::Decision { .. } => ("记录督办事项", "record a decision"),
            Purpose::CompleteDecision { .. } => ("办结督办事项", "mark a decision done"),
            Purpose::EditDecision { .. } => ("修改督办事项", "change a decision"),
            Purpose::Setting { .. } => ("修改预警线", "change a threshold"),
        }
    }

    /// The value of field `key` as the checker reads it (empty when the form has no such field).
    pub fn value(&self, key: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(FormField::value)
            .unwrap_or_default()
    }

    /// Whether anything was typed or chosen since the form opened.
    pub fn changed(&self) -> bool {
        self.fields.iter().any(FormField::changed)
    }

    /// The raw text the store thread checks.
    pub fn raw(&self) -> Raw {
        let mut raw = Raw::new();
        if let Some(kind) = self.kind() {
            raw.set(kind.target().key(), self.target.to_string());
        }
        for field in &self.fields {
            raw.set(field.key, field.value());
        }
        raw
    }

    pub fn focused(&self) -> &FormField {
        &self.fields[self.focus.min(self.fields.len() - 1)]
    }

    fn focused_mut(&mut self) -> &mut FormField {
        let at = self.focus.min(self.fields.len() - 1);
        &mut self.fields[at]
    }

    /// Entering a field selects what it holds, so that typing replaces it.
    fn enter_field(&mut self) {
        self.pick = None;
        self.focused_mut().text.focus();
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
        self.enter_field();
    }

    pub fn prev_field(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        self.enter_field();
    }

    /// Whether the focused field lists matches to pick from: a unit or need field not yet
    /// chosen.
    fn picking(&self) -> bool {
        let field = self.focused();
        field.is_pick() && field.choice.is_none()
    }

    /// The entries of the focused field: the units for a unit field, its needs or projects for
    /// a need or project field.
    fn entries<'a>(&'a self, units: &'a [Choice]) -> &'a [Choice] {
        match self.focused().input {
            Input::Need | Input::ProjectId => &self.focused().options,
            _ => units,
        }
    }

    /// The matches listed under the focused unit or need field.
    pub fn matches<'a>(&'a self, units: &'a [Choice]) -> Vec<&'a Choice> {
        if !self.picking() {
            return Vec::new();
        }
        picker::filter(self.entries(units), self.focused().text.value())
            .into_iter()
            .take(picker::SHOWN)
            .collect()
    }

    /// After the text of the focused field changed.
    fn edited(&mut self) {
        let key = self.focused().key;
        self.errors.retain(|e| e.field != key);
        let field = self.focused_mut();
        if field.is_pick() {
            // Typing again reopens the list; the best match is highlighted.
            field.choice = None;
            let typed = !field.text.value().trim().is_empty();
            self.pick = typed.then_some(0);
        }
    }

    fn choose(&mut self, choice: Choice) {
        let field = self.focused_mut();
        field.text.set(choice.name.clone());
        field.choice = Some(choice);
        self.pick = None;
        let key = self.focused().key;
        self.errors.retain(|e| e.field != key);
    }

    pub fn type_char(&mut self, ch: char) {
        if self.focused().input == Input::MeetingKind {
            return; // chosen with ← →
        }
        self.focused_mut().text.insert(ch);
        self.edited();
    }

    pub fn paste(&mut self, text: &str) {
        if self.focused().input == Input::MeetingKind {
            return;
        }
        self.focused_mut().text.paste(text);
        self.edited();
    }

    /// ← → on a closed field (meeting kind, subject, assessor, grade): the next or previous
    /// word of its list, in the user's language.
    pub fn cycle(&mut self, forward: bool, lang: Lang) {
        let field = self.focused_mut();
        let Some(all) = closed_words(field.input, lang) else {
            return;
        };
        let current = closed_word(field.input, field.text.value(), lang);
        let next = match current.and_then(|w| all.iter().position(|x| *x == w)) {
            Some(at) if forward => (at + 1) % all.len(),
            Some(at) => (at + all.len() - 1) % all.len(),
            None if forward => 0,
            None => all.len() - 1,
        };
        field.text.set(all[next]);
        self.edited();
    }

    pub fn error_of(&self, key: &str) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == key)
    }

    /// Takes the store thread's verdict on a decision form: what it would record, or why not.
    pub fn checked_review(&mut self, result: Result<Vec<Change>, crate::error::Error>, lang: Lang) {
        match result {
            Ok(changes) => {
                self.errors.clear();
                self.message = None;
                self.stage = Stage::Confirm {
                    request: None,
                    changes,
                };
            }
            Err(e) => self.checked(Err(e.into()), lang),
        }
    }

    /// What a decision form records, from its fields as they are.
    fn review_form(&self, today: chrono::NaiveDate) -> Option<ReviewForm> {
        let operator = self.value(key::OPERATOR);
        Some(match &self.purpose {
            Purpose::Decision { review, community } => ReviewForm::Add {
                review: *review,
                community: *community,
                text: self.value("decision"),
                owner: self.value("owner"),
                due: self.value(key::DUE),
                operator,
                today,
            },
            Purpose::EditDecision { decision, .. } => ReviewForm::Edit {
                decision: *decision,
                text: self.value("decision"),
                owner: self.value("owner"),
                due: self.value(key::DUE),
                reason: self.value(key::REASON),
                operator,
                today,
            },
            Purpose::CompleteDecision { decision } => ReviewForm::Complete {
                decision: *decision,
                note: self.value("note"),
                operator,
            },
            Purpose::Adjust(_) | Purpose::Setting { .. } => return None,
        })
    }

    /// Takes the store thread's verdict on the fields.
    pub fn checked(&mut self, result: Result<(Request, Vec<Change>), AdjustError>, lang: Lang) {
        match result {
            Ok((request, changes)) => {
                self.errors.clear();
                self.message = None;
                self.stage = Stage::Confirm {
                    request: Some(request),
                    changes,
                };
            }
            Err(AdjustError::Invalid(errors)) => {
                // Focus the first wrong field that the form shows.
                if let Some(at) = self
                    .fields
                    .iter()
                    .position(|f| errors.iter().any(|e| e.field == f.key))
                {
                    self.focus = at;
                    self.pick = None;
                }
                let shown: Vec<&str> = self.fields.iter().map(|f| f.key).collect();
                let hidden: Vec<String> = errors
                    .iter()
                    .filter(|e| !shown.contains(&e.field))
                    .map(|e| e.line(lang))
                    .collect();
                self.message = (!hidden.is_empty()).then(|| hidden.join("；"));
                self.errors = errors;
                self.stage = Stage::Editing;
            }
            Err(other) => {
                self.message = Some(other.message(lang));
                self.stage = Stage::Editing;
            }
        }
    }

    /// Esc or Ctrl-C: leaves at once when nothing was changed, else asks first.
    fn leave(&mut self, lang: Lang) -> Outcome {
        if self.changed() {
            self.asking_discard = true;
            Outcome::default()
        } else {
            Outcome {
                close: true,
                flash: Some(left(lang)),
                ..Outcome::default()
            }
        }
    }

    /// One key action on the form.
    pub fn update(&mut self, action: Action, context: &FormContext) -> Outcome {
        let lang = context.lang;
        if self.asking_discard {
            match action {
                Action::Yes => {
                    return Outcome {
                        close: true,
                        flash: Some(left(lang)),
                        ..Outcome::default()
                    };
                }
                Action::No | Action::Back => self.asking_discard = false,
                _ => {}
            }
            return Outcome::default();
        }
        match &self.stage {
            Stage::Editing => self.update_editing(action, context),
            Stage::Confirm { request, changes } => match action {
                Action::Submit => {
                    let save = match request.clone() {
                        Some(request) => StoreRequest::Apply {
                            request,
                            expected: self.expected.clone(),
                        },
                        None => match self.review_form(context.today) {
                            Some(form) => StoreRequest::SaveReview(form),
                            None => return Outcome::default(),
                        },
                    };
                    self.stage = Stage::Saving {
                        since: std::time::Instant::now(),
                        request: request.clone(),
                        changes: changes.clone(),
                    };
                    Outcome::effect(Effect::Store(save))
                }
                Action::Back => {
                    self.stage = Stage::Editing;
                    self.message = None;
                    Outcome::default()
                }
                _ => Outcome::default(),
            },
            Stage::Conflict(conflict) => match action {
                Action::Reopen => {
                    // The same action on the values now in the file; the reason and the
                    // operator typed so far are kept.
                    let current = conflict.current.clone();
                    let heading = format!("#{} {}", current.id, current.title);
                    let Some(kind) = self.kind() else {
                        return Outcome::default();
                    };
                    let mut fresh = Form::new(kind, self.target, heading, Some(current), context);
                    for field in &mut fresh.fields {
                        if let Some(kept) = self.fields.iter().find(|f| {
                            f.key == field.key && (f.key == key::REASON || f.key == key::OPERATOR)
                        }) {
                            field.text.set(kept.text.value());
                        }
                    }
                    fresh.enter_field();
                    *self = fresh;
                    Outcome::default()
                }
                Action::Back => Outcome {
                    close: true,
                    ..Outcome::default()
                },
                _ => Outcome::default(),
            },
            Stage::Checking | Stage::Saving { .. } => Outcome::default(),
        }
    }

    fn update_editing(&mut self, action: Action, context: &FormContext) -> Outcome {
        let matches = self.matches(context.units).len();
        let is_kind = closed_words(self.focused().input, context.lang).is_some();
        match action {
            Action::Back => return self.leave(context.lang),
            Action::Type(ch) => self.type_char(ch),
            Action::DeleteChar => {
                self.focused_mut().text.backspace();
                self.edited();
            }
            Action::DeleteForward => {
                self.focused_mut().text.delete();
                self.edited();
            }
            Action::ClearText => {
                self.focused_mut().text.clear();
                self.edited();
            }
            Action::CycleLeft if is_kind => self.cycle(false, context.lang),
            Action::CycleRight if is_kind => self.cycle(true, context.lang),
            Action::CycleLeft => self.focused_mut().text.left(),
            Action::CycleRight => self.focused_mut().text.right(),
            Action::First => self.focused_mut().text.home(),
            Action::Last => self.focused_mut().text.end(),
            // ↑ ↓ walk the list of matches while one is shown, else move between fields.
            Action::Down if matches > 0 => {
                self.pick = Some(self.pick.map_or(0, |n| (n + 1).min(matches - 1)));
            }
            Action::Up if matches > 0 && self.pick.is_some() => {
                self.pick = self.pick.and_then(|n| n.checked_sub(1));
            }
            Action::Down | Action::NextField => {
                // Tab always leaves the field; a typed name that matches one entry only is
                // taken as chosen.
                if self.picking() && !self.focused().text.value().trim().is_empty() {
                    let found =
                        picker::filter(self.entries(context.units), self.focused().text.value());
                    if let [only] = found.as_slice() {
                        self.choose((*only).clone());
                    }
                }
                self.next_field();
            }
            Action::Up | Action::PrevField => self.prev_field(),
            Action::Submit => {
                if let Some(n) = self.pick
                    && let Some(choice) = self.matches(context.units).get(n)
                {
                    // Enter on a highlighted match takes it; the next Enter checks the form.
                    self.choose((*choice).clone());
                    return Outcome::default();
                }
                return self.submit(context);
            }
            _ => {}
        }
        Outcome::default()
    }

    fn submit(&mut self, context: &FormContext) -> Outcome {
        self.stage = Stage::Checking;
        let request = match self.purpose {
            Purpose::Adjust(kind) => StoreRequest::Validate {
                kind,
                raw: self.raw(),
                today: context.today,
            },
            Purpose::Setting { key } => StoreRequest::SetSetting {
                key,
                value: self.value("value"),
                reason: self.value(key::REASON),
                operator: self.value(key::OPERATOR),
            },
            Purpose::Decision { .. }
            | Purpose::EditDecision { .. }
            | Purpose::CompleteDecision { .. } => match self.review_form(context.today) {
                Some(form) => StoreRequest::CheckReview(form),
                None => return Outcome::default(),
            },
        };
        Outcome::effect(Effect::Store(request))
    }
}

fn left(lang: Lang) -> String {
    lang.pick("已放弃，未保存任何内容", "left: nothing was saved")
        .to_string()
}

fn field_label(lang: Lang, field: &FormField) -> String {
    let mark = if field.required { "*" } else { " " };
    format!("{}{mark}", lang.t(adjust::label(field.key)))
}

/// What a field shows beside its box: how to fill it.
fn field_hint(lang: Lang, field: &FormField) -> String {
    match field.input {
        Input::Unit => match &field.choice {
            Some(_) => lang
                .pick("已选定；输入可重新筛选", "chosen; type to search again")
                .to_string(),
            None if field.text.value().trim().is_empty() => lang
                .pick(
                    "输入名称或拼音首字母；留空不变",
                    "type a name or pinyin initials; blank keeps it",
                )
                .to_string(),
            None => lang
                .pick("↑↓ 选择  Enter 选定", "↑↓ choose  Enter take")
                .to_string(),
        },
        Input::MeetingKind => {
            let words: Vec<&str> = MeetingKind::all().iter().map(|k| k.word(lang)).collect();
            format!("{}{}", lang.pick("← → 切换：", "← → "), words.join(" / "))
        }
        Input::PastDate => lang
            .pick("YYYY-MM-DD，不晚于今天", "YYYY-MM-DD, not after today")
            .to_string(),
        Input::Date => "YYYY-MM-DD".to_string(),
        Input::Count { min } => match lang {
            Lang::Zh => format!("整数，至少 {min}"),
            Lang::En => format!("whole number, at least {min}"),
        },
        Input::Text { max } => match lang {
            Lang::Zh => format!("不超过 {max} 字"),
            Lang::En => format!("at most {max} characters"),
        },
        Input::Need => match &field.choice {
            Some(_) => lang
                .pick("已选定；输入可重新筛选", "chosen; type to search again")
                .to_string(),
            None if field.text.value().trim().is_empty() => lang
                .pick(
                    "输入需求名称或拼音首字母",
                    "type a need's title or pinyin initials",
                )
                .to_string(),
            None => lang
                .pick("↑↓ 选择  Enter 选定", "↑↓ choose  Enter take")
                .to_string(),
        },
        Input::Member => lang
            .pick("党员姓名或编号", "member's name or id")
            .to_string(),
        Input::Members => lang
            .pick(
                "党员姓名或编号，多人用逗号或顿号隔开",
                "members' names or ids, separated by commas",
            )
            .to_string(),
        Input::Resource => lang
            .pick("资源名称或编号", "resource title or id")
            .to_string(),
        Input::Duration => lang
            .pick(
                "如 1.5（小时）、1小时30分、90分钟",
                "e.g. 1.5 (hours), 1小时30分, 90分钟",
            )
            .to_string(),
        Input::ProjectId if field.options.is_empty() => lang
            .pick("项目编号；可留空", "project id; may be blank")
            .to_string(),
        Input::ProjectId => match &field.choice {
            Some(_) => lang
                .pick("已选定；输入可重新筛选", "chosen; type to search again")
                .to_string(),
            None if field.text.value().trim().is_empty() => lang
                .pick(
                    "输入项目名称或拼音首字母；可留空",
                    "type a project's title or pinyin initials; may be blank",
                )
                .to_string(),
            None => lang
                .pick("↑↓ 选择  Enter 选定", "↑↓ choose  Enter take")
                .to_string(),
        },
        Input::Subject => crate::vocab::Subject::accepted(lang),
        Input::Assessor => crate::vocab::Assessor::accepted(lang),
        Input::Grade => crate::vocab::Grade::accepted(lang),
        Input::Year => lang.pick("年份，如 2026", "a year, e.g. 2026").to_string(),
    }
}

/// The entries of a unit field: every unit by name, then the community itself.
/// The words of a closed field's list in `lang`, in order (`None` for a field typed freely).
fn closed_words(input: Input, lang: Lang) -> Option<Vec<&'static str>> {
    use crate::vocab::{Assessor, Grade, Subject};
    Some(match input {
        Input::MeetingKind => MeetingKind::all().iter().map(|k| k.word(lang)).collect(),
        Input::Subject => Subject::all().iter().map(|k| k.word(lang)).collect(),
        Input::Assessor => Assessor::all().iter().map(|k| k.word(lang)).collect(),
        Input::Grade => Grade::all().iter().map(|k| k.word(lang)).collect(),
        _ => return None,
    })
}

/// `text` (a code, or a word in either language) as the word of its closed list in `lang`.
fn closed_word(input: Input, text: &str, lang: Lang) -> Option<&'static str> {
    use crate::vocab::{Assessor, Grade, Subject};
    match input {
        Input::MeetingKind => MeetingKind::parse(text).map(|k| k.word(lang)),
        Input::Subject => Subject::parse(text).map(|k| k.word(lang)),
        Input::Assessor => Assessor::parse(text).map(|k| k.word(lang)),
        Input::Grade => Grade::parse(text).map(|k| k.word(lang)),
        _ => None,
    }
}

pub fn unit_choices(units: &[(i64, String, String)], lang: Lang) -> Vec<Choice> {
    let mut choices: Vec<Choice> = units
        .iter()
        .map(|(id, name, kind)| Choice {
            id: Some(*id),
            name: name.clone(),
            detail: kind.clone(),
        })
        .collect();
    // In pinyin order, as a Chinese reader looks for a name.
    choices.sort_by_cached_key(|c| (crate::text::name_key(&c.name), c.name.clone()));
    choices.push(Choice {
        id: None,
        name: lang.pick("社区自办", "the community itself").to_string(),
        detail: lang.pick("无驻区单位牵头", "no unit leads it").to_string(),
    });
    choices
}

/// Draws the form; the only thing it sets besides the cells is the terminal cursor.
pub fn render(
    form: &Form,
    lang: Lang,
    units: &[Choice],
    frame: &mut Frame,
    area: Rect,
    theme: Theme,
) {
    let width = area.width.saturating_sub(4).min(96);
    let label_width = form
        .fields
        .iter()
        .map(|f| width_of(&field_label(lang, f)))
        .max()
        .unwrap_or(8)
        + 1;
    let box_width = (width as usize).saturating_sub(label_width + 4).min(40);
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor: Option<(u16, u16)> = None;
    let title = format!(" {} {} ", lang.t(form.title()), clean(&form.heading));

    match &form.stage {
        Stage::Editing | Stage::Checking => {
            for (i, field) in form.fields.iter().enumerate() {
                let focused = i == form.focus;
                // A meeting kind shows its name; everything else shows what was typed.
                let (shown, at) = match field.input {
                    Input::MeetingKind => {
                        let name = MeetingKind::parse(field.text.value()).map_or_else(
                            || field.text.value().to_string(),
                            |k| lang.t(k.label()).to_string(),
                        );
                        let at = width_of(&name);
                        (name, at)
                    }
                    _ => {
                        let (text, at) = field.text.window(box_width.saturating_sub(1));
                        (clean(&text), at)
                    }
                };
                let label_style = if focused { theme.key() } else { theme.plain() };
                let box_style = if focused && field.text.is_selected_all() {
                    // Selected: the first typed character replaces it.
                    theme.key().add_modifier(ratatui::style::Modifier::REVERSED)
                } else if focused {
                    theme.selected()
                } else {
                    theme.dim()
                };
                // The hint stands beside the box when it fits whole; else the focused field's
                // hint gets a line of its own under it, and the others none.
                let hint = field_hint(lang, field);
                let beside = (width as usize).saturating_sub(2 + label_width + box_width + 1);
                let fits = width_of(&hint) <= beside;
                let mut spans = vec![
                    Span::styled(cell(&field_label(lang, field), label_width), label_style),
                    Span::styled(
                        format!("{} ", cell(&shown, box_width.saturating_sub(1))),
                        box_style,
                    ),
                ];
                if fits {
                    spans.push(Span::styled(format!(" {hint}"), theme.dim()));
                }
                lines.push(Line::from(spans));
                if focused {
                    let at = at.min(box_width.saturating_sub(1));
                    cursor = Some(((label_width + at) as u16, lines.len() as u16 - 1));
                    if !fits {
                        let room = (width as usize).saturating_sub(2 + label_width);
                        for part in crate::text::wrap(&hint, room) {
                            lines.push(Line::styled(
                                format!("{}{part}", " ".repeat(label_width)),
                                theme.dim(),
                            ));
                        }
                    }
                }
                if let Some(error) = form.error_of(field.key) {
                    let room = (width as usize).saturating_sub(label_width + 4);
                    for (n, part) in crate::text::wrap(&clean(error.message(lang)), room)
                        .into_iter()
                        .enumerate()
                    {
                        let mark = if n == 0 { "! " } else { "  " };
                        lines.push(Line::styled(
                            format!("{}{mark}{part}", " ".repeat(label_width)),
                            theme.alert(),
                        ));
                    }
                }
                if focused {
                    for (n, choice) in form.matches(units).into_iter().enumerate() {
                        let text = format!(
                            "{}{} {}",
                            " ".repeat(label_width),
                            clean(&choice.name),
                            clean(&choice.detail)
                        );
                        let style = if form.pick == Some(n) {
                            theme.selected()
                        } else {
                            theme.dim()
                        };
                        lines.push(Line::styled(
                            cell(&text, (width as usize).saturating_sub(2))
                                .trim_end()
                                .to_string(),
                            style,
                        ));
                    }
                }
            }
            lines.push(Line::raw(""));
            if let Some(message) = &form.message {
                for part in crate::text::wrap(
                    &format!("! {}", clean(message)),
                    (width as usize).saturating_sub(2),
                ) {
                    lines.push(Line::styled(part, theme.alert()));
                }
            }
            if form.asking_discard {
                lines.push(Line::styled(
                    lang.pick(
                        "放弃已填内容？ y 放弃   n 继续填写",
                        "Discard what you typed? y discard   n keep editing",
                    ),
                    theme.alert(),
                ));
            } else if matches!(form.stage, Stage::Checking) {
                lines.push(Line::styled(
                    lang.pick("正在检查...", "Checking..."),
                    theme.warn(),
                ));
            } else {
                for part in key_lines(
                    lang.pick(
                        "Enter 检查并预览   Tab 下一项   ←→ Home End 移动   Esc 放弃",
                        "Enter check and preview   Tab next field   ←→ Home End move   Esc leave",
                    ),
                    (width as usize).saturating_sub(2),
                ) {
                    lines.push(Line::styled(part, theme.dim()));
                }
            }
        }
        Stage::Confirm { request, changes }
        | Stage::Saving {
            request, changes, ..
        } => {
            lines.push(Line::styled(
                if request.is_some() {
                    lang.pick("请确认以下调整：", "Please confirm this adjustment:")
                } else {
                    lang.pick("请确认以下内容：", "Please confirm:")
                },
                theme.title(),
            ));
            for change in changes {
                lines.push(change_line(change, lang, theme));
            }
            // A decision form has its reason in its own words (the decision, the note) unless
            // it asks for one.
            let (reason, operator) = match request {
                Some(request) => (Some(request.reason.clone()), request.operator.clone()),
                None => (
                    form.fields
                        .iter()
                        .any(|f| f.key == key::REASON)
                        .then(|| form.value(key::REASON).trim().to_string()),
                    form.value(key::OPERATOR).trim().to_string(),
                ),
            };
            let sep = lang.pick("：", ": ");
            if let Some(reason) = reason {
                lines.push(Line::raw(format!(
                    "  {}{sep}{}",
                    lang.t(adjust::label(key::REASON)),
                    clean(&reason)
                )));
            }
            lines.push(Line::raw(format!(
                "  {}{sep}{}",
                lang.t(adjust::label(key::OPERATOR)),
                clean(&operator)
            )));
            lines.push(Line::raw(""));
            if let Some(message) = &form.message {
                lines.push(Line::styled(format!("! {}", clean(message)), theme.alert()));
            }
            if let Stage::Saving { since, .. } = form.stage {
                let text = if since.elapsed() >= std::time::Duration::from_secs(1) {
                    lang.pick(
                        "正在保存：数据库正忙，等待其他程序释放锁（最多 8 秒）...",
                        "Saving: the database is busy, waiting for another program's lock (up to 8 s)...",
                    )
                } else {
                    lang.pick("正在保存...", "Saving...")
                };
                lines.push(Line::styled(text, theme.warn()));
            } else {
                lines.push(Line::styled(
                    lang.pick(
                        "Enter 确认保存   Esc 返回修改",
                        "Enter save   Esc back to the form",
                    ),
                    theme.dim(),
                ));
            }
        }
        Stage::Conflict(conflict) => {
            lines.push(Line::styled(
                lang.pick(
                    "未保存：其他终端已修改此项目",
                    "Not saved: another terminal changed this project",
                ),
                theme.alert(),
            ));
            lines.push(Line::raw(clean(&conflict.message(lang))));
            for change in &conflict.changes {
                lines.push(change_line(change, lang, theme));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                lang.pick(
                    "r 按最新数据重新填写   Esc 放弃",
                    "r re-open the form on the new values   Esc leave",
                ),
                theme.dim(),
            ));
        }
    }

    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = Rect::new(
        area.x + (area.width.saturating_sub(width)) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    super::widgets::clear_popup(frame, rect);
    let mut paragraph =
        Paragraph::new(lines).block(Block::bordered().title(Span::styled(title, theme.title())));
    if cursor.is_none() {
        // Only the preview and the conflict wrap: in the form, lines must stay where the
        // cursor is placed.
        paragraph = paragraph.wrap(Wrap { trim: false });
    }
    frame.render_widget(paragraph, rect);
    // The real cursor at the end of the focused field keeps an input method's window beside it.
    if let Some((x, y)) = cursor
        && y + 1 < rect.height
    {
        frame.set_cursor_position(Position::new(rect.x + 1 + x, rect.y + 1 + y));
    }
}

/// A line of keys (`Enter 检查并预览   Tab 下一项`) in lines of `width`, broken only between keys,
/// so that a key never stands apart from what it does.
fn key_lines(text: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in text.split("   ") {
        match out.last_mut() {
            Some(line) if width_of(line) + 3 + width_of(item) <= width => {
                line.push_str("   ");
                line.push_str(item);
            }
            _ => out.push(item.to_string()),
        }
    }
    out
}

/// `  截止日期：2026-12-05 → 2026-12-15`; a value set for the first time shows only what it
/// becomes, as the log does.
fn change_line<'a>(change: &Change, lang: Lang, theme: Theme) -> Line<'a> {
    let mut spans = vec![Span::raw(format!(
        "  {}{}",
        change.label(lang),
        lang.pick("：", ": ")
    ))];
    if !change.before.is_empty() {
        spans.push(Span::styled(clean(&change.before_text(lang)), theme.dim()));
        spans.push(Span::raw(" → "));
    }
    spans.push(Span::styled(clean(&change.after_text(lang)), theme.key()));
    Line::from(spans)
}

fn width_of(text: &str) -> usize {
    width(text)
}
