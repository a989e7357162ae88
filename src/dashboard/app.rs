//! The dashboard's state and how actions change it. No terminal here: tests drive it directly.

use super::event::Event;
use super::form::Form;
use super::history::HistoryState;
use super::keymap::{self, Action, Context};
use super::store_thread::{StoreReply, StoreRequest};
use super::worker::{Request, Snapshot};
use crate::i18n::Lang;
use crate::indicators::CommunityFigures;
use chrono::{Datelike, NaiveDate};
use std::sync::Arc;

pub use super::community::{CommunityState, Panel, ProjectList};
pub use super::overview::{OverviewState, SortKey};

#[derive(Debug, Clone)]
pub enum Screen {
    Overview,
    Community(CommunityState),
    /// The adjustment log; `back` is where `Esc` returns.
    History(Box<HistoryState>, Box<Screen>),
    /// The weekly review.
    Review(Box<super::review::ReviewState>),
    /// The year-end assessment.
    Assessment(Box<super::assess::AssessState>),
}

/// What the main loop must ask of the background threads.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // a handful per key press, moved straight into a channel
pub enum Effect {
    Read(Request),
    Store(StoreRequest),
}

pub use super::detail::DetailState;

#[derive(Debug, Clone)]
pub enum Overlay {
    /// The keys of a context; `scroll` is the first line shown.
    Help {
        context: Context,
        scroll: usize,
    },
    /// The selected community's flags in plain words (the overview's `i`).
    Info {
        community: i64,
        scroll: usize,
    },
    Detail {
        state: DetailState,
        scroll: usize,
    },
    StreetPicker(super::street_picker::StreetPicker),
    /// The shared settings, to change one (`=` on the overview).
    SettingsPicker(super::settings_picker::SettingsPicker),
    Menu(super::menu::MenuState),
    Form(Box<Form>),
}

#[derive(Debug, Clone)]
pub enum Data {
    Loading,
    Ready(Arc<Snapshot>),
    Failed(String),
}

pub struct App {
    pub lang: Lang,
    pub file_label: String,
    pub read_only: bool,
    /// Things to tell the user about the file (read-only fallback, a reload that failed).
    pub notices: Vec<String>,
    pub data: Data,
    /// The latest reload failed while older figures stay on screen (e.g. the file is busy).
    pub stale: Option<String>,
    /// The connection to the database server is lost and being made again (said in the
    /// header; the figures on screen stay).
    pub disconnected: Option<String>,
    pub fixed_today: Option<NaiveDate>,
    /// Today's date when `--today` is not given (the machine's clock; a test's own).
    pub clock: super::worker::Clock,
    pub overview: OverviewState,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub should_quit: bool,
    /// `--operator`, for the forms' operator field.
    pub operator_flag: Option<String>,
    /// The operator of the last save (from its reply): the next form starts with it.
    pub last_operator: Option<String>,
    /// Why nothing can be written (read-only file, or the store thread could not open it).
    pub write_refusal: Option<String>,
    /// A one-line message until the next key (e.g. "saved as entry #12").
    pub flash: Option<String>,
    /// Where exported minutes go (the database's folder).
    pub export_folder: std::path::PathBuf,
    /// `gongjian review`: start a review (of this street, if any) once the figures are in.
    pub pending_review: Option<Option<i64>>,
    /// Sessions of the flagged projects of the communities looked at, for the sparklines.
    pub sessions: crate::model::SessionLists,
    /// The terminal's width and height (paging moves by what fits).
    pub size: (u16, u16),
    /// The project list of the community on screen, read when the screen opens.
    pub projects: ProjectList,
}

impl App {
    pub fn new(
        lang: Lang,
        file_label: String,
        read_only: bool,
        fixed_today: Option<NaiveDate>,
    ) -> App {
        App {
            lang,
            file_label,
            read_only,
            notices: Vec::new(),
            data: Data::Loading,
            stale: None,
            disconnected: None,
            fixed_today,
            clock: super::worker::system_clock(),
            overview: OverviewState::default(),
            screen: Screen::Overview,
            overlay: None,
            should_quit: false,
            operator_flag: None,
            last_operator: None,
            write_refusal: read_only.then(|| {
                lang.pick(
                    "文件以只读方式打开，不能调整",
                    "the file is open read-only: adjustments cannot be saved",
                )
                .to_string()
            }),
            flash: None,
            export_folder: std::path::PathBuf::from("."),
            pending_review: None,
            sessions: Default::default(),
            size: (80, 24),
            projects: ProjectList::default(),
        }
    }

    /// Asks for the sparkline sessions of the community on screen.
    pub fn sessions_request(&self) -> Vec<Effect> {
        let Screen::Community(state) = &self.screen else {
            return Vec::new();
        };
        let projects: Vec<i64> = self
            .community(state.id)
            .map(|c| c.low_participation.iter().map(|p| p.project_id).collect())
            .unwrap_or_default();
        if projects.is_empty() {
            return Vec::new();
        }
        vec![Effect::Read(Request::Sessions(projects))]
    }

    /// Whether the screen shows a wait that a clock tick should redraw (a save in progress).
    pub fn is_waiting(&self) -> bool {
        matches!(&self.overlay, Some(Overlay::Form(form)) if matches!(form.stage, super::form::Stage::Saving { .. }))
    }

    /// The day forms check dates against: `--today`, or the clock's day, read afresh, so that
    /// a form open past midnight accepts the new day at once (the figures follow within a
    /// poll, see [`super::worker::run`]).
    pub fn today(&self) -> NaiveDate {
        self.fixed_today.unwrap_or_else(|| (self.clock)())
    }

    pub fn snapshot(&self) -> Option<&Snapshot> {
        match &self.data {
            Data::Ready(s) => Some(s),
            _ => None,
        }
    }

    /// Which key table is in effect.
    pub fn context(&self) -> Context {
        match (&self.overlay, &self.screen) {
            (Some(Overlay::Help { .. }), _) => Context::Help,
            (Some(Overlay::Info { .. }), _) => Context::Info,
            (Some(Overlay::Detail { .. }), _) => Context::Detail,
            (Some(Overlay::StreetPicker(_)), _) => Context::StreetPicker,
            (Some(Overlay::SettingsPicker(_)), _) => Context::SettingsPicker,
            (Some(Overlay::Menu(_)), _) => Context::Menu,
            (Some(Overlay::Form(form)), _) => match form.stage {
                _ if form.asking_discard => Context::Discard,
                super::form::Stage::Editing | super::form::Stage::Checking => Context::Form,
                super::form::Stage::Confirm { .. } | super::form::Stage::Saving { .. } => {
                    Context::Confirm
                }
                super::form::Stage::Conflict(_) => Context::Conflict,
            },
            (None, Screen::Overview) if self.overview.editing_filter => Context::Filter,
            (None, Screen::Overview) => Context::Overview,
            (None, Screen::Community(_)) => Context::Community,
            (None, Screen::History(h, _)) if h.editing_filter => Context::HistoryFilter,
            (None, Screen::History(..)) => Context::History,
            (None, Screen::Review(r)) if r.summary.is_some() => Context::ReviewSummary,
            (None, Screen::Review(_)) => Context::Review,
            (None, Screen::Assessment(a)) if a.explain.is_some() => Context::Explain,
            (None, Screen::Assessment(a)) if a.editing_filter => Context::AssessmentFilter,
            (None, Screen::Assessment(_)) => Context::Assessment,
        }
    }

    /// The overview's rows: filtered, then sorted; indexes into the report's communities.
    pub fn visible_rows(&self) -> Vec<usize> {
        self.snapshot()
            .map(|s| self.overview.rows(s))
            .unwrap_or_default()
    }

    /// Position of the selected community among the visible rows (the first row if it is not
    /// among them).
    pub fn selected_row(&self, rows: &[usize]) -> usize {
        self.snapshot()
            .map_or(0, |s| self.overview.selected_row(s, rows))
    }

    /// What the overview draws from, once the figures are in.
    pub fn overview_view(&self) -> Option<super::overview::View<'_>> {
        Some(super::overview::View {
            lang: self.lang,
            snapshot: self.snapshot()?,
            state: &self.overview,
        })
    }

    /// A community's decisions (督办事项) not yet done, overdue first.
    pub fn open_decisions(&self, community: i64) -> &[crate::review::Decision] {
        self.snapshot()
            .and_then(|s| s.open_decisions.get(&community))
            .map_or(&[], Vec::as_slice)
    }

    pub fn community(&self, id: i64) -> Option<&CommunityFigures> {
        self.snapshot()?
            .report
            .communities
            .iter()
            .find(|c| c.id == id)
    }

    /// Handles one event and returns what the background threads should do.
    pub fn handle(&mut self, event: Event) -> Vec<Effect> {
        let mut effects = self.handle_event(event);
        effects.extend(self.projects_request());
        effects
    }

    /// Asks for the project list of the community on screen when it is not in (the screen
    /// just opened, or stepped to another community) or the file changed since it was read.
    fn projects_request(&mut self) -> Option<Effect> {
        let Screen::Community(state) = &self.screen else {
            return None;
        };
        self.projects
            .ask(state.id)
            .then_some(Effect::Read(Request::Projects(state.id)))
    }

    fn handle_event(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Key(key) => {
                self.flash = None;
                match keymap::resolve(self.context(), &key) {
                    Some(action) => self.apply(action),
                    None => Vec::new(),
                }
            }
            Event::Stored(reply) => self.written(reply),
            Event::Resize(w, h) => {
                self.size = (w, h);
                Vec::new()
            }
            Event::Tick => Vec::new(),
            Event::Paste(text) => {
                self.flash = None;
                self.paste(&text);
                Vec::new()
            }
            Event::Sessions(sessions) => {
                self.sessions.extend(sessions);
                Vec::new()
            }
            Event::Projects(id, result) => {
                self.projects.arrived(id, result);
                Vec::new()
            }
            Event::Loaded(snapshot) => {
                self.data = Data::Ready(Arc::from(snapshot));
                self.new_figures()
            }
            Event::Refreshed(refresh) => {
                let Data::Ready(snapshot) = &mut self.data else {
                    // Nothing to splice into (cannot happen: the reader refreshes only after
                    // a whole read): read everything.
                    return vec![Effect::Read(Request::Reload)];
                };
                Arc::make_mut(snapshot).splice(*refresh);
                self.new_figures()
            }
            Event::Disconnected(message) => {
                match self.data {
                    Data::Ready(_) => self.disconnected = Some(message),
                    _ => self.data = Data::Failed(message),
                }
                Vec::new()
            }
            Event::LoadFailed(message) => {
                match self.data {
                    Data::Ready(_) => self.stale = Some(message),
                    _ => self.data = Data::Failed(message),
                }
                Vec::new()
            }
            Event::Detail(id, detail) => {
                if let Some(Overlay::Detail { state, .. }) = &mut self.overlay {
                    state.loaded(id, detail);
                }
                Vec::new()
            }
            Event::DetailFailed(_, message) => {
                if let Some(Overlay::Detail { state, .. }) = &mut self.overlay {
                    *state = DetailState::Failed(message);
                }
                Vec::new()
            }
        }
    }

    /// After new figures came in: what else on screen must be read again.
    fn new_figures(&mut self) -> Vec<Effect> {
        self.stale = None;
        self.disconnected = None;
        // The projects may have changed too: read again when the screen shows them.
        self.projects.outdated = true;
        if let Some(street) = self.pending_review.take() {
            return self.start_review(street);
        }
        if matches!(self.screen, Screen::Community(_)) {
            // The figures may have changed: so may the sparklines.
            return self.sessions_request();
        }
        if let Some(Overlay::Detail {
            state: DetailState::Loaded(d),
            ..
        }) = &self.overlay
        {
            // The project may have changed too: read it again.
            return vec![Effect::Read(Request::ProjectDetail(d.id))];
        }
        if let Screen::Assessment(state) = &self.screen {
            // Grades or figures may have changed: assess again.
            let year = state.year;
            return self.assess_request(year);
        }
        if let Screen::History(h, _) = &self.screen {
            // Another terminal may have logged something.
            return vec![Effect::Store(StoreRequest::History(h.query()))];
        }
        Vec::new()
    }

    /// Carries out one action.
    pub fn apply(&mut self, action: Action) -> Vec<Effect> {
        if action == Action::Quit {
            self.should_quit = true;
            return Vec::new();
        }
        if matches!(
            self.overlay,
            Some(Overlay::Menu(_)) | Some(Overlay::Form(_))
        ) {
            return self.apply_adjusting(action);
        }
        let streets = self
            .snapshot()
            .map(|s| s.streets.clone())
            .unwrap_or_default();
        let (count, room) = self.popup_lines();
        if let Some(overlay) = &mut self.overlay {
            match overlay {
                Overlay::Help { scroll, .. } | Overlay::Info { scroll, .. } => {
                    if !super::help::update(scroll, action, count, room) {
                        self.overlay = None;
                    }
                }
                Overlay::Detail { state, scroll } => {
                    use super::detail::Outcome;
                    match super::detail::update(state, scroll, action, count, room) {
                        Outcome::Stay => {}
                        Outcome::Close => self.overlay = None,
                        Outcome::Adjust(community, project, heading) => {
                            return self.open_menu(community, Some(project), heading);
                        }
                    }
                }
                Overlay::StreetPicker(picker) => {
                    use super::street_picker::Outcome;
                    match super::street_picker::update(picker, &streets, action) {
                        Outcome::Stay => {}
                        Outcome::Close => self.overlay = None,
                        Outcome::Chosen(street) => {
                            self.overview.street = street;
                            self.overlay = None;
                        }
                    }
                }
                Overlay::SettingsPicker(picker) => {
                    use super::settings_picker::Outcome;
                    match super::settings_picker::update(picker, action) {
                        Outcome::Stay => {}
                        Outcome::Close => self.overlay = None,
                        Outcome::Chosen(spec) => {
                            let thresholds = self.snapshot().map(|s| &s.report.thresholds);
                            let current = thresholds.and_then(|t| t.get(spec.key));
                            let heading =
                                super::settings_picker::heading(spec, thresholds, self.lang);
                            let form = self.with_form_context(|context| {
                                Form::for_setting(spec.key, current, heading, context)
                            });
                            self.overlay = Some(Overlay::Form(Box::new(form)));
                        }
                    }
                }
                Overlay::Menu(_) | Overlay::Form(_) => {}
            }
            return Vec::new();
        }
        if action == Action::Help {
            self.overlay = Some(Overlay::Help {
                context: self.context(),
                scroll: 0,
            });
            return Vec::new();
        }
        if action == Action::History && !matches!(self.screen, Screen::History(..)) {
            return self.open_history();
        }
        match self.screen.clone() {
            Screen::Overview => self.apply_overview(action),
            Screen::Community(state) => self.apply_community(state, action),
            Screen::History(state, back) => self.apply_history(*state, back, action),
            Screen::Review(state) => self.apply_review(state, action),
            Screen::Assessment(state) => self.apply_assessment(state, action),
        }
    }

    fn apply_overview(&mut self, action: Action) -> Vec<Effect> {
        use super::overview::Outcome;
        let (w, h) = self.size;
        let body = super::ui::areas(self, ratatui::layout::Rect::new(0, 0, w, h))[1];
        let page = super::overview::page_rows(body.height);
        let snapshot = match &self.data {
            Data::Ready(s) => Some(s.as_ref()),
            _ => None,
        };
        match super::overview::update(&mut self.overview, snapshot, page, action) {
            Outcome::Stay => Vec::new(),
            Outcome::Open(id) => {
                self.screen = Screen::Community(CommunityState::new(id));
                self.sessions_request()
            }
            Outcome::Info(community) => {
                self.overlay = Some(Overlay::Info {
                    community,
                    scroll: 0,
                });
                Vec::new()
            }
            Outcome::Review(street) => self.start_review(street),
            Outcome::Adjust(id, heading) => self.open_menu(id, None, heading),
            Outcome::Assess => self.open_assessment(),
            Outcome::Settings => {
                self.overlay = Some(Overlay::SettingsPicker(Default::default()));
                Vec::new()
            }
            Outcome::PickStreet(selected) => {
                self.overlay = Some(Overlay::StreetPicker(super::street_picker::StreetPicker {
                    selected,
                }));
                Vec::new()
            }
        }
    }

    /// Lines of the help or flags pop-up and how many of them it shows, at the terminal's size.
    fn popup_lines(&self) -> (usize, usize) {
        let (w, h) = self.size;
        let body = super::ui::areas(self, ratatui::layout::Rect::new(0, 0, w, h))[1];
        let theme = super::theme::Theme::projector();
        let count = match &self.overlay {
            Some(Overlay::Help { context, .. }) => super::help::lines(
                *context,
                self.snapshot().map(|s| &s.report.thresholds),
                self.lang,
                theme,
            )
            .len(),
            Some(Overlay::Info { community, .. }) => self.overview_view().map_or(0, |view| {
                super::overview::info_popup_lines(&view, *community, body, theme).len()
            }),
            Some(Overlay::Detail { state, .. }) => {
                super::detail::lines(self.lang, state, theme).len()
            }
            _ => 0,
        };
        let room = match &self.overlay {
            Some(Overlay::Info { .. }) => super::overview::info_rect(body, count).height,
            Some(Overlay::Detail { .. }) => super::detail::rect(body, count).height,
            _ => super::help::rect(body, count).height,
        };
        (count, room.saturating_sub(2) as usize)
    }

    /// The community screen's view of the data: what its update and its drawing read.
    pub fn community_view(&self, id: i64) -> Option<super::community::View<'_>> {
        let snapshot = self.snapshot()?;
        let community = self.community(id)?;
        let rows = self.visible_rows();
        let position = rows
            .iter()
            .position(|&i| snapshot.report.communities[i].id == id)
            .map(|p| (p, rows.len()));
        Some(super::community::View::new(
            self.lang,
            snapshot,
            community,
            &self.projects,
            &self.sessions,
            position,
        ))
    }

    fn apply_community(&mut self, mut state: CommunityState, action: Action) -> Vec<Effect> {
        use super::community::Outcome;
        let outcome = match self.community_view(state.id) {
            Some(view) => super::community::update(&mut state, &view, action),
            None => {
                // The community is gone (deleted by another tool): back to the overview.
                self.screen = Screen::Overview;
                return Vec::new();
            }
        };
        let (id, street, name) = match self.community(state.id) {
            Some(c) => (c.id, c.street.clone(), c.name.clone()),
            None => return Vec::new(),
        };
        self.screen = Screen::Community(state.clone());
        match outcome {
            Outcome::Stay => Vec::new(),
            Outcome::OpenProject(project) => {
                self.overlay = Some(Overlay::Detail {
                    state: DetailState::Loading(project),
                    scroll: 0,
                });
                vec![Effect::Read(Request::ProjectDetail(project))]
            }
            Outcome::Adjust(project) => {
                let (project, heading) = match project {
                    Some((p, heading)) => (Some(p), heading),
                    None => (None, format!("{street} / {name}")),
                };
                self.open_menu(id, project, heading)
            }
            Outcome::Back => {
                self.overview.selected = Some(id);
                self.screen = Screen::Overview;
                Vec::new()
            }
            Outcome::History => self.open_history(),
            Outcome::Step(forward) => {
                let rows = self.visible_rows();
                let Some(communities) = self.snapshot().map(|s| &s.report.communities) else {
                    return Vec::new();
                };
                if rows.is_empty() {
                    return Vec::new();
                }
                let at = rows
                    .iter()
                    .position(|&i| communities[i].id == id)
                    .unwrap_or(0);
                let next = if forward {
                    (at + 1) % rows.len()
                } else {
                    (at + rows.len() - 1) % rows.len()
                };
                let next_id = communities[rows[next]].id;
                let mut next_state = CommunityState::new(next_id);
                next_state.focus = state.focus;
                self.overview.selected = Some(next_id);
                self.screen = Screen::Community(next_state);
                self.sessions_request()
            }
        }
    }

    /// What the review draws from, once the figures are in.
    pub fn review_view(&self) -> Option<super::review::View<'_>> {
        Some(super::review::View {
            lang: self.lang,
            today: self.today(),
            snapshot: self.snapshot()?,
            export_folder: &self.export_folder,
        })
    }

    /// Starts a review of the flagged communities (of `street` when given).
    pub fn start_review(&mut self, street: Option<i64>) -> Vec<Effect> {
        if let Some(why) = self.write_refusal.as_ref() {
            self.flash = Some(why.clone());
            return Vec::new();
        }
        let operator = self.operator_prefill();
        let Some(view) = self.review_view() else {
            return Vec::new();
        };
        match super::review::start(&view, street, operator) {
            Ok((state, effects)) => {
                self.screen = Screen::Review(Box::new(state));
                effects
            }
            Err(why) => {
                self.flash = Some(why);
                Vec::new()
            }
        }
    }

    fn apply_review(
        &mut self,
        mut state: Box<super::review::ReviewState>,
        action: Action,
    ) -> Vec<Effect> {
        use super::review::Then;
        let Some(view) = self.review_view() else {
            return Vec::new();
        };
        let step = super::review::update(&mut state, &view, action);
        if step.flash.is_some() {
            self.flash = step.flash;
        }
        let mut effects = step.effects;
        match step.then {
            Then::Leave => {
                self.screen = Screen::Overview;
                return effects;
            }
            Then::Stay => {}
            Then::Form(purpose, heading) => {
                let form = self.with_form_context(|context| {
                    super::form::Form::for_review(purpose, heading, context)
                });
                self.overlay = Some(Overlay::Form(Box::new(form)));
            }
            Then::Adjust(community, project, heading) => {
                self.screen = Screen::Review(state);
                effects.extend(self.open_menu(community, project, heading));
                return effects;
            }
        }
        self.screen = Screen::Review(state);
        effects
    }

    /// The store thread's answers about the review and its decisions.
    pub(super) fn review_reply(&mut self, reply: StoreReply) -> Vec<Effect> {
        let lang = self.lang;
        let today = self.today();
        match reply {
            StoreReply::ReviewChecked(result) => {
                if let Some(Overlay::Form(form)) = &mut self.overlay
                    && matches!(form.stage, super::form::Stage::Checking)
                {
                    form.checked_review(result, lang);
                }
                Vec::new()
            }
            StoreReply::ReviewSaved(result, operator) => {
                let done = match &self.overlay {
                    Some(Overlay::Form(form)) => match form.purpose {
                        super::form::Purpose::CompleteDecision { .. } => {
                            lang.pick("督办事项已办结", "decision marked done")
                        }
                        super::form::Purpose::EditDecision { .. } => {
                            lang.pick("督办事项已修改", "decision changed")
                        }
                        _ => lang.pick("督办事项已记录", "decision recorded"),
                    },
                    _ => "",
                };
                if result.is_ok() {
                    self.last_operator = Some(operator);
                }
                self.decision_written(result, done)
            }
            other => {
                let Screen::Review(state) = &mut self.screen else {
                    return Vec::new();
                };
                let (effects, started) = super::review::reply(state, other, today);
                // A decision form opened before the review was stored joins it.
                if let Some(id) = started
                    && let Some(Overlay::Form(form)) = &mut self.overlay
                    && let super::form::Purpose::Decision { review, .. } = &mut form.purpose
                    && review.is_none()
                {
                    *review = Some(id);
                }
                effects
            }
        }
    }

    fn decision_written(&mut self, result: crate::error::Result<()>, done: &str) -> Vec<Effect> {
        let lang = self.lang;
        let Some(Overlay::Form(form)) = &mut self.overlay else {
            return Vec::new();
        };
        if let Err(e) = result {
            // Back to the preview with the reason (busy, changed elsewhere), or to the
            // fields when one of them is wrong.
            if let super::form::Stage::Saving { changes, .. } = &form.stage
                && !matches!(e, crate::error::Error::Invalid(_))
            {
                form.stage = super::form::Stage::Confirm {
                    request: None,
                    changes: changes.clone(),
                };
                form.message = Some(crate::error::with_nothing_written(e.message(lang), lang));
            } else {
                form.checked(Err(e.into()), lang);
            }
            return Vec::new();
        }
        self.overlay = None;
        self.flash = Some(done.to_string());
        let mut effects = vec![Effect::Read(Request::Reload)];
        effects.extend(self.refresh_review_context());
        effects
    }

    /// Something was recorded for the community under review (a decision, an adjustment): it
    /// counts as covered, and what the review shows about it is read again.
    pub(super) fn refresh_review_context(&mut self) -> Vec<Effect> {
        let today = self.today();
        let figures = match &self.screen {
            Screen::Review(state) => state.current().and_then(|id| self.community(id).cloned()),
            _ => None,
        };
        match &mut self.screen {
            Screen::Review(state) => state.refresh(figures.as_ref(), today),
            _ => Vec::new(),
        }
    }

    /// Opens the year-end assessment of today's year and asks the store thread for it.
    fn open_assessment(&mut self) -> Vec<Effect> {
        let year = self.today().year();
        self.screen = Screen::Assessment(Box::new(super::assess::AssessState::new(year)));
        self.assess_request(year)
    }

    /// Asks the store thread for the assessment of `year`: as of today for this year, as of
    /// its last day for a year that is over (as `gongjian assess --year`).
    fn assess_request(&mut self, year: i32) -> Vec<Effect> {
        match crate::report::assess::assessment_day(Some(year), None, self.today()) {
            Ok((_, today)) => vec![Effect::Store(StoreRequest::Assess { today })],
            Err(e) => {
                let why = e.message(self.lang);
                self.assessed(Err(why))
            }
        }
    }

    /// Opens the grade form (年终考评定级) for the selected row of the assessment, on the year
    /// shown: a community grades itself by default; a unit is graded in the frame of a
    /// community it has a contract with.
    fn open_grade_form(&mut self, state: &super::assess::AssessState) {
        use super::assess::Graded;
        use crate::fields::key;
        if let Some(why) = &self.write_refusal {
            self.flash = Some(why.clone());
            return;
        }
        let year = (key::YEAR, state.year.to_string());
        let (community, heading, values) = match state.graded() {
            Some(Graded::Community { id, name }) => (id, name, vec![year]),
            Some(Graded::Unit {
                id,
                name,
                community: Some(community),
            }) => (
                community,
                name,
                vec![
                    year,
                    (key::SUBJECT, crate::vocab::Subject::Unit.code().to_string()),
                    (key::GRADED_UNIT, id.to_string()),
                ],
            ),
            Some(Graded::Unit {
                name,
                community: None,
                ..
            }) => {
                self.flash = Some(match self.lang {
                    Lang::Zh => {
                        format!("{name} 没有共建契约，也不牵头任何项目：无法在社区中为它定级")
                    }
                    Lang::En => format!(
                        "{name} has no contract and leads no project: there is no community to grade it in"
                    ),
                });
                return;
            }
            None => return,
        };
        // "街道 / 社区" for a community, "街道 / 社区 / 单位" for a unit graded in its frame.
        let heading = match self.community(community) {
            Some(c) if c.name == heading => format!("{} / {}", c.street, c.name),
            Some(c) => format!("{} / {} / {heading}", c.street, c.name),
            None => heading,
        };
        let form = self.with_form_context(|context| {
            super::form::Form::prefilled(
                crate::adjust::ActionKind::Grade,
                community,
                heading,
                None,
                context,
                &values,
            )
        });
        self.overlay = Some(Overlay::Form(Box::new(form)));
    }

    fn apply_assessment(
        &mut self,
        mut state: Box<super::assess::AssessState>,
        action: Action,
    ) -> Vec<Effect> {
        let (w, h) = self.size;
        let body = super::ui::areas(self, ratatui::layout::Rect::new(0, 0, w, h))[1];
        let lines = super::assess::explain_lines(&state, self.lang, body).len();
        let room = super::assess::explain_rect(body, lines)
            .height
            .saturating_sub(2) as usize;
        let page = super::assess::page_rows(body.height);
        let this_year = self.today().year();
        let outcome = super::assess::update(&mut state, this_year, action, page, lines, room);
        if outcome == super::assess::Outcome::Grade {
            self.open_grade_form(&state);
        }
        self.screen = Screen::Assessment(state);
        match outcome {
            super::assess::Outcome::Year(year) => self.assess_request(year),
            super::assess::Outcome::Leave => {
                self.screen = Screen::Overview;
                Vec::new()
            }
            super::assess::Outcome::Stay | super::assess::Outcome::Grade => Vec::new(),
        }
    }

    /// The store thread's assessment.
    pub(super) fn assessed(
        &mut self,
        result: Result<Box<super::assess::AssessData>, String>,
    ) -> Vec<Effect> {
        if let Screen::Assessment(state) = &mut self.screen {
            state.data = match result {
                Ok(data) => super::assess::Loaded::Ready(Arc::from(data)),
                Err(why) => super::assess::Loaded::Failed(why),
            };
        }
        Vec::new()
    }
}
