//! Drawing a frame from the state. Rendering only reads the state.

use super::app::{App, Data, Overlay, Screen};
use super::keymap::{self, Context};
use super::theme::Theme;
use super::widgets::cell;
use super::{community, overview};
use crate::i18n::{Lang, terms};
use crate::text::{clean, width};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// Below this the screens cannot be used; a message says so.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

pub fn render(app: &App, frame: &mut Frame, theme: Theme) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = match app.lang {
            Lang::Zh => format!(
                "窗口太小（{}×{}）。请放大到至少 {}×{}。按 q 退出。",
                area.width, area.height, MIN_WIDTH, MIN_HEIGHT
            ),
            Lang::En => format!(
                "The window is too small ({}x{}). Please make it at least {}x{}. q quits.",
                area.width, area.height, MIN_WIDTH, MIN_HEIGHT
            ),
        };
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let [header, body, footer] = areas(app, area);
    let chrome = Chrome {
        lang: app.lang,
        file_label: &app.file_label,
        data: &app.data,
        read_only: app.read_only,
        stale: app.stale.as_deref(),
        disconnected: app.disconnected.as_deref(),
        notices: &app.notices,
        overview: match app.screen {
            Screen::Overview => Some(&app.overview),
            _ => None,
        },
        street: app.overview.street,
        overlay_open: app.overlay.is_some(),
        flash: app.flash.as_deref(),
        context: app.context(),
    };
    render_header(&chrome, frame, header, theme);
    match &app.data {
        Data::Loading => frame.render_widget(
            Paragraph::new(app.lang.pick("正在读取数据...", "Loading the figures..."))
                .style(theme.dim()),
            body,
        ),
        Data::Failed(message) => frame.render_widget(
            Paragraph::new(vec![
                Line::styled(
                    app.lang.pick("无法读取数据：", "Cannot read the figures:"),
                    theme.alert(),
                ),
                Line::raw(clean(message)),
                Line::raw(""),
                Line::raw(app.lang.pick(
                    "修复后会自动重新读取；按 q 退出。",
                    "It is read again as soon as it changes; q quits.",
                )),
            ])
            .wrap(Wrap { trim: true }),
            body,
        ),
        Data::Ready(_) => match &app.screen {
            Screen::Overview => {
                if let Some(view) = app.overview_view() {
                    overview::render(&view, frame, body, theme)
                }
            }
            Screen::Community(state) => match app.community_view(state.id) {
                Some(view) => community::render(&view, state, frame, body, theme),
                None => community::render_missing(app.lang, frame, body),
            },
            Screen::History(state, _) => {
                super::history::render(state, app.lang, frame, body, theme)
            }
            Screen::Assessment(state) => super::assess::render(state, app.lang, frame, body, theme),
            Screen::Review(state) => {
                if let Some(view) = app.review_view() {
                    super::review::render(&view, state, frame, body, theme)
                }
            }
        },
    }
    render_footer(&chrome, frame, footer, theme);
    if let Some(overlay) = &app.overlay {
        render_overlay(app, overlay, frame, body, theme);
    }
}

/// The header, body and key bar of a frame of `area`.
pub fn areas(app: &App, area: Rect) -> [Rect; 3] {
    let header_height = if matches!(app.screen, Screen::Overview) {
        3
    } else {
        2
    };
    let header_height = header_height + notice_lines(&app.notices, area.width).len() as u16;
    Layout::vertical([
        Constraint::Length(header_height),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// What the header and the key bar show: the file, the figures' day and totals, and the keys
/// of the context in effect.
pub struct Chrome<'a> {
    pub lang: Lang,
    pub file_label: &'a str,
    pub data: &'a Data,
    pub read_only: bool,
    pub stale: Option<&'a str>,
    /// The connection to the database server is lost (shown before everything else but the
    /// name, so that it is seen on a narrow terminal).
    pub disconnected: Option<&'a str>,
    pub notices: &'a [String],
    /// The overview's sort and filter line, when the overview is on screen.
    pub overview: Option<&'a super::overview::OverviewState>,
    /// The street shown (`--street`, the picker): the totals are that street's.
    pub street: Option<i64>,
    pub overlay_open: bool,
    pub flash: Option<&'a str>,
    pub context: Context,
}

fn render_header(chrome: &Chrome, frame: &mut Frame, area: Rect, theme: Theme) {
    let lang = chrome.lang;
    let snapshot = match chrome.data {
        Data::Ready(s) => Some(s.as_ref()),
        _ => None,
    };
    // Each item is kept whole or left out (lowest rank first) when the line is too narrow:
    // the title and the database, then what went wrong, read-only, the day, the refresh time.
    let mut first: Vec<(u8, Span)> = vec![
        (
            9,
            Span::styled(lang.pick("共建", "gongjian"), theme.title()),
        ),
        (
            9,
            Span::raw(format!("  {}", cell(chrome.file_label, 30).trim_end())),
        ),
    ];
    if let Some(lost) = chrome.disconnected {
        first.push((8, Span::styled(format!("  {}", clean(lost)), theme.alert())));
    }
    if let Some(s) = snapshot {
        first.push((
            5,
            Span::raw(format!("  {} {}", lang.t(terms::TODAY), s.report.today)),
        ));
        first.push((
            3,
            Span::styled(
                format!(
                    "  {} {}",
                    lang.pick("更新于", "refreshed"),
                    s.loaded_at.format("%H:%M:%S")
                ),
                theme.dim(),
            ),
        ));
    } else if matches!(chrome.data, Data::Loading) {
        first.push((
            4,
            Span::styled(
                format!("  {}", lang.pick("读取中", "loading")),
                theme.warn(),
            ),
        ));
    }
    if chrome.read_only {
        first.push((
            6,
            Span::styled(
                format!("  [{}]", lang.pick("只读", "read-only")),
                theme.warn(),
            ),
        ));
    }
    if let Some(stale) = chrome.stale {
        first.push((
            7,
            Span::styled(
                format!(
                    "  {}{}",
                    lang.pick("未能刷新：", "not refreshed: "),
                    clean(stale)
                ),
                theme.alert(),
            ),
        ));
    }
    let first = whole_items(first, area.width as usize);
    // Notices about the file (read-only, network share) get lines of their own below.
    let notices = notice_lines(chrome.notices, area.width);

    let mut second = Vec::new();
    if let Some(s) = snapshot {
        let all: Vec<_> = s
            .report
            .communities
            .iter()
            .filter(|c| chrome.street.is_none_or(|id| c.street_id == id))
            .collect();
        let flagged = all.iter().filter(|c| c.alerts > 0).count();
        let overdue: usize = all.iter().map(|c| c.overdue.len()).sum();
        let missing: u32 = all.iter().map(|c| c.meetings.missing).sum();
        let projects: usize = all.iter().map(|c| c.low_participation.len()).sum();
        // The version-2 panels' counts come last: left out first when the line is full.
        let unmet: usize = all.iter().map(|c| c.needs.unmet.len()).sum();
        let satisfaction = all.iter().filter(|c| c.satisfaction.alert).count();
        let members = all.iter().filter(|c| c.members.alert).count();
        let items = match lang {
            Lang::Zh => [
                format!("有预警社区 {flagged}/{}", all.len()),
                format!("逾期项目 {overdue}"),
                format!("未开例会 {missing}"),
                format!("参与率预警项目 {projects}"),
                format!("未对接需求 {unmet}"),
                format!("满意度预警社区 {satisfaction}"),
                format!("党员报到预警社区 {members}"),
            ],
            Lang::En => [
                format!("flagged {flagged}/{}", all.len()),
                format!("overdue {overdue}"),
                format!("missed meetings {missing}"),
                format!("low participation {projects}"),
                format!("unmet needs {unmet}"),
                format!("low satisfaction {satisfaction}"),
                format!("few members serving {members}"),
            ],
        };
        // Whole figures only: a total that does not fit is left out, never cut.
        let mut numbers = String::new();
        for item in items {
            let joined = if numbers.is_empty() {
                item
            } else {
                format!("{numbers}  {item}")
            };
            if !numbers.is_empty() && width(&joined) > area.width as usize {
                break;
            }
            numbers = joined;
        }
        second.push(Span::styled(
            numbers,
            if flagged > 0 {
                theme.alert()
            } else {
                theme.good()
            },
        ));
        if s.problems > 0 {
            second.push(Span::styled(
                match lang {
                    Lang::Zh => format!("  {} 行数据不合约定未计入", s.problems),
                    Lang::En => format!("  {} rows break the contract (left out)", s.problems),
                },
                theme.warn(),
            ));
        }
    }
    // The overview's own line: how the table is sorted and filtered.
    let third = chrome
        .overview
        .map(|state| super::overview::status_line(lang, state, snapshot, theme));
    let mut lines = vec![Line::from(first), Line::from(second)];
    let mut cursor_x = None;
    if let Some((third, cursor)) = third {
        lines.push(third);
        cursor_x = cursor;
    }
    lines.extend(
        notices
            .into_iter()
            .map(|text| Line::styled(text, theme.warn())),
    );
    frame.render_widget(Paragraph::new(lines), area);

    // The real cursor sits at the end of the filter text, so that an input method's candidate
    // window appears beside it.
    if let Some(used) = cursor_x
        && !chrome.overlay_open
    {
        let x = area.x + (used as u16).min(area.width.saturating_sub(1));
        frame.set_cursor_position(Position::new(x, area.y + 2));
    }
}

/// The header's first line from its items in order, leaving out the lowest-ranked items
/// until the rest fits: an item is never cut, except the database's name (the second item),
/// which gives way down to 12 cells before an alert (rank 7 and up) is left out.
fn whole_items(mut items: Vec<(u8, Span<'_>)>, cells: usize) -> Vec<Span<'_>> {
    let width = |items: &[(u8, Span)]| items.iter().map(|(_, s)| s.width()).sum::<usize>();
    let drop_lowest = |items: &mut Vec<(u8, Span)>, below: u8| {
        let lowest = items
            .iter()
            .enumerate()
            .filter(|(_, (rank, _))| *rank < below)
            .min_by_key(|(at, (rank, _))| (*rank, std::cmp::Reverse(*at)))
            .map(|(at, _)| at);
        lowest.map(|at| items.remove(at)).is_some()
    };
    while width(&items) > cells && drop_lowest(&mut items, 7) {}
    let over = width(&items).saturating_sub(cells);
    if over > 0
        && let Some((_, label)) = items.get_mut(1)
    {
        let text = label.content.to_string();
        let room = crate::text::width(&text).saturating_sub(over).max(12);
        label.content = crate::text::truncate(&text, room).into();
    }
    while width(&items) > cells && drop_lowest(&mut items, 9) {}
    items.into_iter().map(|(_, span)| span).collect()
}

/// The notices (read-only, network share, a remembered street gone…), wrapped to the width:
/// at most three lines, the last ending in `…` when more was said.
pub(super) fn notice_lines(notices: &[String], width: u16) -> Vec<String> {
    const MOST: usize = 3;
    let width = usize::from(width.max(10));
    let mut lines: Vec<String> = notices
        .iter()
        .flat_map(|n| crate::text::wrap(&clean(n), width))
        .collect();
    if lines.len() > MOST {
        lines.truncate(MOST);
        if let Some(last) = lines.last_mut() {
            *last = crate::text::truncate_with(last, width.saturating_sub(1), "");
            last.push('…');
        }
    }
    lines
}

/// The key bar: the context's main actions in the order of its table, whole entries only,
/// and `? 更多` last (kept even when something else must give way).
fn render_footer(chrome: &Chrome, frame: &mut Frame, area: Rect, theme: Theme) {
    if let Some(flash) = chrome.flash {
        // Until the next key: what just happened (saved, left without saving, refused).
        frame.render_widget(
            Paragraph::new(Line::styled(clean(flash), theme.warn())),
            area,
        );
        return;
    }
    frame.render_widget(
        Paragraph::new(key_bar(
            chrome.context,
            chrome.lang,
            area.width as usize,
            theme,
        )),
        area,
    );
}

/// The key bar of `context` in `cells` columns.
pub fn key_bar(context: Context, lang: Lang, cells: usize, theme: Theme) -> Line<'static> {
    let bindings = keymap::bindings(context);
    let help = bindings.iter().find(|b| b.action == keymap::Action::Help);
    let more = help.map(|h| {
        let keys: Vec<String> = h.keys.iter().map(keymap::key_label).collect();
        (keys.join("/"), lang.pick("更多", "more").to_string())
    });
    let entry_width = |keys: &str, words: &str| width(keys) + 1 + width(words);
    let reserved = more.as_ref().map_or(0, |(k, w)| entry_width(k, w) + 2);
    let mut spans = Vec::new();
    let mut used = 0;
    for binding in bindings
        .iter()
        .filter(|b| b.footer && b.action != keymap::Action::Help)
    {
        let keys: Vec<String> = binding.keys.iter().map(keymap::key_label).collect();
        let keys = keys.join("/");
        let words = lang.t(binding.help);
        let needed = entry_width(&keys, words) + if used > 0 { 2 } else { 0 };
        if used + needed + reserved > cells {
            // Whole entries only: a later, shorter one may still fit.
            continue;
        }
        if used > 0 {
            spans.push(Span::raw("  "));
        }
        used += needed;
        spans.push(Span::styled(keys, theme.key()));
        spans.push(Span::raw(format!(" {words}")));
    }
    if let Some((keys, words)) = more
        && used + reserved <= cells
    {
        if used > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(keys, theme.key()));
        spans.push(Span::raw(format!(" {words}")));
    }
    Line::from(spans)
}

pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn render_overlay(app: &App, overlay: &Overlay, frame: &mut Frame, area: Rect, theme: Theme) {
    let lang = app.lang;
    match overlay {
        Overlay::Form(form) => {
            super::form::render(form, lang, &app.unit_choices(), frame, area, theme);
        }
        Overlay::Menu(menu) => super::menu::render(menu, lang, frame, area, theme),
        Overlay::Help { context, scroll } => super::help::render(
            *context,
            app.snapshot().map(|s| &s.report.thresholds),
            *scroll,
            lang,
            frame,
            area,
            theme,
        ),
        Overlay::Info { community, scroll } => {
            if let Some(view) = app.overview_view() {
                overview::render_info_popup(&view, *community, *scroll, frame, area, theme)
            }
        }
        Overlay::SettingsPicker(picker) => super::settings_picker::render(
            picker,
            app.snapshot().map(|s| &s.report.thresholds),
            lang,
            frame,
            area,
            theme,
        ),
        Overlay::StreetPicker(picker) => super::street_picker::render(
            picker,
            app.snapshot().map_or(&[], |s| s.streets.as_slice()),
            lang,
            frame,
            area,
            theme,
        ),
        Overlay::Detail { state, scroll } => {
            super::detail::render(state, *scroll, lang, frame, area, theme)
        }
    }
}
