//! The dashboard's state and how actions change it. No terminal here: tests drive it directly.

use super::event::Event;
use super::form::Form;
use super::history::HistoryState;
use super::keymap::{self, Action, Context};
use super::worker::{Request, Snapshot};
use super::writer::WriteRequest;
use crate::i18n::Lang;
use crate::indicators::CommunityFigures;
use crate::model::ProjectDetail;
use chrono::NaiveDate;
use std::cmp::Ordering;
use std::sync::Arc;

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
}

impl SortKey {
    pub const ALL: [SortKey; 8] = [
        SortKey::Alerts,
        SortKey::Street,
        SortKey::Community,
        SortKey::Completion,
        SortKey::Resources,
        SortKey::Overdue,
        SortKey::Meetings,
        SortKey::Participation,
    ];

    fn next(self) -> SortKey {
        let at = SortKey::ALL.iter().position(|k| *k == self).unwrap_or(0);
        SortKey::ALL[(at + 1) % SortKey::ALL.len()]
    }

    /// The worst first for figures, A to Z for names.
    fn compare(self, a: &CommunityFigures, b: &CommunityFigures) -> Ordering {
        let pct = |p: Option<crate::indicators::Pct>| p.map_or(i64::MAX, |p| p.tenths());
        match self {
            SortKey::Alerts => b.alerts.cmp(&a.alerts),
            SortKey::Street => a.street.cmp(&b.street),
            SortKey::Community => a.name.cmp(&b.name),
            SortKey::Completion => pct(a.completion.pct).cmp(&pct(b.completion.pct)),
            SortKey::Resources => pct(a.resources.pct).cmp(&pct(b.resources.pct)),
            SortKey::Overdue => b.overdue.len().cmp(&a.overdue.len()),
            SortKey::Meetings => b.meetings.missing.cmp(&a.meetings.missing),
            SortKey::Participation => b.participation_flags().cmp(&a.participation_flags()),
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

pub use super::community::{CommunityState, Panel};

#[derive(Debug, Clone)]
pub enum Screen {
    Overview,
    Community(CommunityState),
    /// The adjustment log; `back` is where `Esc` returns.
    History(Box<HistoryState>, Box<Screen>),
    /// The weekly review.
    Review(Box<super::review::ReviewState>),
}

/// What the main loop must ask of the background threads.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // a handful per key press, moved straight into a channel
pub enum Effect {
    Read(Request),
    Write(WriteRequest),
}

#[derive(Debug, Clone)]
pub enum DetailState {
    Loading(i64),
    Loaded(Box<ProjectDetail>),
    Missing(i64),
    Failed(String),
}

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
    StreetPicker {
        selected: usize,
    },
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
    pub fixed_today: Option<NaiveDate>,
    /// Today's date when `--today` is not given (the machine's clock; a test's own).
    pub clock: super::worker::Clock,
    pub overview: OverviewState,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub should_quit: bool,
    /// `--operator`, for the forms' operator field.
    pub operator_flag: Option<String>,
    /// Why nothing can be written (read-only file, or the writer could not open it).
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
            fixed_today,
            clock: super::worker::system_clock(),
            overview: OverviewState::default(),
            screen: Screen::Overview,
            overlay: None,
            should_quit: false,
            operator_flag: None,
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
            (Some(Overlay::StreetPicker { .. }), _) => Context::StreetPicker,
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
        }
    }

    /// The overview's rows: filtered, then sorted; indexes into the report's communities.
    pub fn visible_rows(&self) -> Vec<usize> {
        let Some(snapshot) = self.snapshot() else {
            return Vec::new();
        };
        let needle = self.overview.filter.trim().to_lowercase();
        let communities = &snapshot.report.communities;
        let mut rows: Vec<usize> = communities
            .iter()
            .enumerate()
            .filter(|(_, c)| !self.overview.flagged_only || c.alerts > 0)
            .filter(|(_, c)| self.overview.street.is_none_or(|s| c.street_id == s))
            .filter(|(_, c)| {
                needle.is_empty()
                    || c.name.to_lowercase().contains(&needle)
                    || c.street.to_lowercase().contains(&needle)
            })
            .map(|(i, _)| i)
            .collect();
        let key = self.overview.sort;
        rows.sort_by(|&a, &b| {
            let (a, b) = (&communities[a], &communities[b]);
            let primary = key.compare(a, b);
            let primary = if self.overview.reversed {
                primary.reverse()
            } else {
                primary
            };
            primary
                .then_with(|| b.alerts.cmp(&a.alerts))
                .then_with(|| a.street.cmp(&b.street))
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.id.cmp(&b.id))
        });
        rows
    }

    /// Position of the selected community among the visible rows (the first row if it is not
    /// among them).
    pub fn selected_row(&self, rows: &[usize]) -> usize {
        let Some(snapshot) = self.snapshot() else {
            return 0;
        };
        self.overview
            .selected
            .and_then(|id| {
                rows.iter()
                    .position(|&i| snapshot.report.communities[i].id == id)
            })
            .unwrap_or(0)
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
        match event {
            Event::Key(key) => {
                self.flash = None;
                match keymap::resolve(self.context(), &key) {
                    Some(action) => self.apply(action),
                    None => Vec::new(),
                }
            }
            Event::Written(reply) => self.written(reply),
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
            Event::Loaded(snapshot) => {
                self.data = Data::Ready(Arc::from(snapshot));
                self.stale = None;
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
                if let Screen::History(h, _) = &self.screen {
                    // Another terminal may have logged something.
                    return vec![Effect::Write(WriteRequest::History(h.query()))];
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
                    let wanted = match state {
                        DetailState::Loading(want) | DetailState::Missing(want) => *want == id,
                        DetailState::Loaded(d) => d.id == id,
                        DetailState::Failed(_) => true,
                    };
                    if wanted {
                        *state = match detail {
                            Some(d) => DetailState::Loaded(d),
                            None => DetailState::Missing(id),
                        };
                    }
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
        let street_choices = self.snapshot().map_or(0, |s| s.streets.len()) + 1;
        let streets: Vec<i64> = self
            .snapshot()
            .map(|s| s.streets.iter().map(|x| x.0).collect())
            .unwrap_or_default();
        let popup_lines = self.popup_lines();
        if let Some(overlay) = &mut self.overlay {
            match overlay {
                Overlay::Help { scroll, .. } | Overlay::Info { scroll, .. } => {
                    if !super::help::update(scroll, action, popup_lines.0, popup_lines.1) {
                        self.overlay = None;
                    }
                }
                Overlay::Detail { state, scroll } => match action {
                    Action::Back => self.overlay = None,
                    Action::Up => *scroll = scroll.saturating_sub(1),
                    Action::Down => {
                        *scroll = (*scroll + 1).min(popup_lines.0.saturating_sub(popup_lines.1))
                    }
                    Action::Adjust => {
                        if let DetailState::Loaded(d) = state {
                            let (community, project, heading) =
                                (d.community_id, d.id, format!("#{} {}", d.id, d.title));
                            return self.open_menu(community, Some(project), heading);
                        }
                    }
                    _ => {}
                },
                Overlay::StreetPicker { selected } => match action {
                    Action::Up => *selected = selected.saturating_sub(1),
                    Action::Down => *selected = (*selected + 1).min(street_choices - 1),
                    Action::Back => self.overlay = None,
                    Action::Open => {
                        self.overview.street = selected
                            .checked_sub(1)
                            .and_then(|n| streets.get(n).copied());
                        self.overlay = None;
                    }
                    _ => {}
                },
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
        }
    }

    fn apply_overview(&mut self, action: Action) -> Vec<Effect> {
        let rows = self.visible_rows();
        let at = self.selected_row(&rows);
        let last = rows.len().saturating_sub(1);
        let (w, h) = self.size;
        let body = super::ui::areas(self, ratatui::layout::Rect::new(0, 0, w, h))[1];
        let page = super::overview::page_rows(body.height);
        let target = match action {
            Action::Up => Some(at.saturating_sub(1)),
            Action::Down => Some((at + 1).min(last)),
            Action::PageUp => Some(at.saturating_sub(page)),
            Action::PageDown => Some((at + page).min(last)),
            Action::First => Some(0),
            Action::Last => Some(last),
            _ => None,
        };
        if let Some(target) = target {
            self.select_row(&rows, target);
            return Vec::new();
        }
        match action {
            Action::Open => {
                if let Some(&index) = rows.get(at)
                    && let Some(snapshot) = self.snapshot()
                {
                    let id = snapshot.report.communities[index].id;
                    self.overview.selected = Some(id);
                    self.screen = Screen::Community(CommunityState::new(id));
                    return self.sessions_request();
                }
            }
            Action::StartFilter => self.overview.editing_filter = true,
            Action::Info => {
                if let Some(&index) = rows.get(at)
                    && let Some(snapshot) = self.snapshot()
                {
                    let community = snapshot.report.communities[index].id;
                    self.overlay = Some(Overlay::Info {
                        community,
                        scroll: 0,
                    });
                }
            }
            Action::StartReview => return self.start_review(self.overview.street),
            Action::Type(ch) => {
                self.overview.filter.push(ch);
            }
            Action::DeleteChar => {
                self.overview.filter.pop();
            }
            Action::Adjust => {
                if let Some(&index) = rows.get(at)
                    && let Some(snapshot) = self.snapshot()
                {
                    let c = &snapshot.report.communities[index];
                    let (id, heading) = (c.id, format!("{} / {}", c.street, c.name));
                    return self.open_menu(id, None, heading);
                }
            }
            Action::FilterAccept => self.overview.editing_filter = false,
            Action::FilterCancel => {
                self.overview.filter.clear();
                self.overview.editing_filter = false;
            }
            Action::ToggleFlagged => self.overview.flagged_only = !self.overview.flagged_only,
            Action::PickStreet => {
                let selected = match (self.overview.street, self.snapshot()) {
                    (Some(id), Some(s)) => s
                        .streets
                        .iter()
                        .position(|x| x.0 == id)
                        .map_or(0, |p| p + 1),
                    _ => 0,
                };
                self.overlay = Some(Overlay::StreetPicker { selected });
            }
            Action::CycleSort => {
                self.overview.sort = self.overview.sort.next();
                self.overview.reversed = false;
            }
            Action::ReverseSort => self.overview.reversed = !self.overview.reversed,
            Action::Back => {
                // Esc backs out one step at a time and never quits.
                if !self.overview.filter.is_empty() {
                    self.overview.filter.clear();
                } else if self.overview.street.is_some() {
                    self.overview.street = None;
                } else {
                    self.overview.flagged_only = false;
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn select_row(&mut self, rows: &[usize], position: usize) {
        if let (Some(&index), Some(snapshot)) = (rows.get(position), self.snapshot()) {
            self.overview.selected = Some(snapshot.report.communities[index].id);
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
            Some(Overlay::Info { community, .. }) => {
                super::overview::info_popup_lines(self, *community, body, theme).len()
            }
            Some(Overlay::Detail { state, .. }) => {
                super::ui::detail_lines(self.lang, state, theme).len()
            }
            _ => 0,
        };
        let room = match &self.overlay {
            Some(Overlay::Info { .. }) => super::overview::info_rect(body, count).height,
            Some(Overlay::Detail { .. }) => {
                super::ui::centered(body, 76, (count as u16 + 2).max(10)).height
            }
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
}
