//! Drawing a frame from the state. Rendering only reads the state.

use super::app::{App, Data, DetailState, Overlay, Screen};
use super::keymap::{self, Context};
use super::theme::Theme;
use super::widgets::{cell, cell_right};
use super::{community, overview};
use crate::i18n::{Lang, terms};
use crate::indicators::Pct;
use crate::model::Status;
use crate::text::{clean, width};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

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
    render_header(app, frame, header, theme);
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
            Screen::Overview => overview::render(app, frame, body, theme),
            Screen::Community(state) => match app.community_view(state.id) {
                Some(view) => community::render(&view, state, frame, body, theme),
                None => community::render_missing(app.lang, frame, body),
            },
            Screen::History(state, _) => {
                super::history::render(state, app.lang, frame, body, theme)
            }
            Screen::Review(state) => super::review::render(app, state, frame, body, theme),
        },
    }
    render_footer(app, frame, footer, theme);
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
    let header_height = header_height + u16::from(!app.notices.is_empty());
    Layout::vertical([
        Constraint::Length(header_height),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area)
}

fn render_header(app: &App, frame: &mut Frame, area: Rect, theme: Theme) {
    let lang = app.lang;
    let mut first = vec![
        Span::styled(lang.pick("共建", "gongjian"), theme.title()),
        Span::raw("  "),
        Span::raw(cell(&app.file_label, 30).trim_end().to_string()),
    ];
    if let Some(s) = app.snapshot() {
        first.push(Span::raw(format!(
            "  {} {}",
            lang.t(terms::TODAY),
            s.report.today
        )));
        first.push(Span::styled(
            format!(
                "  {} {}",
                lang.pick("更新于", "refreshed"),
                s.loaded_at.format("%H:%M:%S")
            ),
            theme.dim(),
        ));
    } else if matches!(app.data, Data::Loading) {
        first.push(Span::styled(
            format!("  {}", lang.pick("读取中", "loading")),
            theme.warn(),
        ));
    }
    if app.read_only {
        first.push(Span::styled(
            format!("  [{}]", lang.pick("只读", "read-only")),
            theme.warn(),
        ));
    }
    if let Some(stale) = &app.stale {
        first.push(Span::styled(
            format!(
                "  {}{}",
                lang.pick("未能刷新：", "not refreshed: "),
                clean(stale)
            ),
            theme.alert(),
        ));
    }
    // Notices about the file (read-only, network share) get a line of their own below.
    let notices: Vec<Span> = app
        .notices
        .iter()
        .map(|n| Span::styled(format!("{}  ", clean(n)), theme.warn()))
        .collect();

    let mut second = Vec::new();
    let mut cursor_x = None;
    if let Some(s) = app.snapshot() {
        let all = &s.report.communities;
        let flagged = all.iter().filter(|c| c.alerts > 0).count();
        let overdue: usize = all.iter().map(|c| c.overdue.len()).sum();
        let missing: u32 = all.iter().map(|c| c.meetings.missing).sum();
        let projects: usize = all.iter().map(|c| c.low_participation.len()).sum();
        let items = match lang {
            Lang::Zh => [
                format!("有预警社区 {flagged}/{}", all.len()),
                format!("逾期项目 {overdue}"),
                format!("未开例会 {missing}"),
                format!("参与率预警项目 {projects}"),
            ],
            Lang::En => [
                format!("flagged {flagged}/{}", all.len()),
                format!("overdue {overdue}"),
                format!("missed meetings {missing}"),
                format!("low participation {projects}"),
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
    let mut third = Vec::new();
    if matches!(app.screen, Screen::Overview) {
        let second = &mut third;
        let o = &app.overview;
        let sort_name = sort_label(lang, o.sort);
        let mark = if o.reversed { "↑" } else { "↓" };
        second.push(Span::styled(
            format!("{}{sort_name} {mark}", lang.pick("排序：", "sort: ")),
            theme.plain(),
        ));
        // Where the selection is among the rows.
        let rows = app.visible_rows();
        if !rows.is_empty() {
            second.push(Span::styled(
                format!(
                    "  {} {}/{}",
                    lang.pick("第", "row"),
                    app.selected_row(&rows) + 1,
                    rows.len()
                ),
                theme.plain(),
            ));
        }
        if o.flagged_only {
            second.push(Span::styled(
                format!("  [{}]", lang.pick("只看预警", "flagged only")),
                theme.warn(),
            ));
        }
        if let (Some(id), Some(s)) = (o.street, app.snapshot())
            && let Some((_, name)) = s.streets.iter().find(|x| x.0 == id)
        {
            second.push(Span::styled(format!("  [{}]", clean(name)), theme.warn()));
        }
        if o.editing_filter || !o.filter.is_empty() {
            second.push(Span::raw(format!("  {}", lang.pick("筛选：", "filter: "))));
            second.push(Span::styled(clean(&o.filter), theme.key()));
            cursor_x = Some(Line::from(second.clone()).width());
        }
    }
    let mut lines = vec![Line::from(first), Line::from(second)];
    if matches!(app.screen, Screen::Overview) {
        lines.push(Line::from(third));
    }
    if !notices.is_empty() {
        lines.push(Line::from(notices));
    }
    frame.render_widget(Paragraph::new(lines), area);

    // The real cursor sits at the end of the filter text, so that an input method's candidate
    // window appears beside it.
    if let Some(used) = cursor_x
        && app.overview.editing_filter
        && app.overlay.is_none()
    {
        let x = area.x + (used as u16).min(area.width.saturating_sub(1));
        frame.set_cursor_position(Position::new(x, area.y + 2));
    }
}

pub fn sort_label(lang: Lang, key: super::app::SortKey) -> &'static str {
    use super::app::SortKey::*;
    lang.t(match key {
        Alerts => terms::ALERTS,
        Street => terms::STREET,
        Community => terms::COMMUNITY,
        Completion => terms::COMPLETION,
        Resources => terms::RESOURCES,
        Overdue => terms::OVERDUE,
        Meetings => terms::MEETINGS,
        Participation => terms::LOW_PARTICIPATION,
    })
}

/// The key bar: the context's main actions in the order of its table, whole entries only,
/// and `? 更多` last (kept even when something else must give way).
fn render_footer(app: &App, frame: &mut Frame, area: Rect, theme: Theme) {
    if let Some(flash) = &app.flash {
        // Until the next key: what just happened (saved, left without saving, refused).
        frame.render_widget(
            Paragraph::new(Line::styled(clean(flash), theme.warn())),
            area,
        );
        return;
    }
    frame.render_widget(
        Paragraph::new(key_bar(app.context(), app.lang, area.width as usize, theme)),
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
            overview::render_info_popup(app, *community, *scroll, frame, area, theme)
        }
        Overlay::StreetPicker { selected } => {
            let mut lines = vec![Line::raw(lang.pick("全部街道", "all streets"))];
            if let Some(s) = app.snapshot() {
                lines.extend(
                    s.streets
                        .iter()
                        .map(|(_, name)| Line::raw(cell(name, 30).trim_end().to_string())),
                );
            }
            let choices = lines.len();
            let height = (lines.len() as u16 + 2).min(area.height);
            let room = height.saturating_sub(2) as usize;
            let offset = selected.saturating_sub(room.saturating_sub(1));
            let lines: Vec<Line> = lines
                .into_iter()
                .enumerate()
                .skip(offset)
                .take(room)
                .map(|(i, l)| {
                    if i == *selected {
                        l.patch_style(theme.selected())
                    } else {
                        l
                    }
                })
                .collect();
            let rect = centered(area, 36, height);
            super::widgets::clear_popup(frame, rect);
            frame.render_widget(
                Paragraph::new(lines).block(
                    Block::bordered()
                        .border_style(theme.focused_border())
                        .title(Span::styled(
                            format!(
                                " {}  {}/{choices} ",
                                lang.pick("选择街道", "Pick a street"),
                                selected + 1
                            ),
                            theme.title(),
                        )),
                ),
                rect,
            );
            let track = Rect::new(rect.right().saturating_sub(1), rect.y + 1, 1, room as u16);
            super::widgets::scrollbar(frame, track, choices, room, offset, theme);
        }
        Overlay::Detail { state, scroll } => {
            let lines = detail_lines(lang, state, theme);
            let rect = centered(area, 76, (lines.len() as u16 + 2).max(10));
            super::widgets::scrolled_popup(
                frame,
                rect,
                lang.pick("项目详情", "Project"),
                lines,
                *scroll,
                lang,
                theme,
            );
        }
    }
}

pub fn detail_lines(lang: Lang, state: &DetailState, theme: Theme) -> Vec<Line<'static>> {
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
            lines.push(Line::styled(
                format!(
                    "{}  {}  {}  {}   ({} {})",
                    cell(lang.pick("活动日期", "held on"), 10),
                    cell_right(lang.t(terms::PLANNED), 6),
                    cell_right(lang.t(terms::ACTUAL), 6),
                    cell_right(lang.pick("参与率", "rate"), 7),
                    d.sessions.len(),
                    lang.pick("次", "sessions")
                ),
                theme.header(),
            ));
            for (held_on, planned, actual) in &d.sessions {
                let pct =
                    Pct::of(*actual, *planned).map_or_else(|| "-".to_string(), |p| format!("{p}%"));
                lines.push(Line::raw(format!(
                    "{}  {}  {}  {}",
                    cell(held_on, 10),
                    cell_right(&planned.to_string(), 6),
                    cell_right(&actual.to_string(), 6),
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
