//! Drawing a frame from the state. Rendering only reads the state.

use super::app::{App, Data, DetailState, Overlay, Screen};
use super::keymap::{self, Context};
use super::theme::Theme;
use super::widgets::{cell, cell_right};
use super::{community, overview};
use crate::i18n::{Lang, status_word, terms};
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
            Screen::Overview => overview::render_table(app, frame, body, theme),
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
                "  {}: {}",
                lang.pick("未能刷新", "not refreshed"),
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
        let numbers = match lang {
            Lang::Zh => format!(
                "有预警社区 {flagged}/{}  逾期项目 {overdue}  未开例会 {missing}  参与率预警项目 {projects}",
                all.len()
            ),
            Lang::En => format!(
                "flagged {flagged}/{}  overdue {overdue}  missed meetings {missing}  low participation {projects}",
                all.len()
            ),
        };
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
        let direction = match (lang, o.reversed) {
            (Lang::Zh, false) => "",
            (Lang::Zh, true) => " 反向",
            (Lang::En, false) => "",
            (Lang::En, true) => " reversed",
        };
        second.push(Span::styled(
            format!("{}{sort_name}{direction}", lang.pick("排序:", "sort: ")),
            theme.dim(),
        ));
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
            second.push(Span::raw(format!("  {}", lang.pick("筛选:", "filter: "))));
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

/// The keys of the current context, as many as fit, whole entries only.
fn render_footer(app: &App, frame: &mut Frame, area: Rect, theme: Theme) {
    if let Some(flash) = &app.flash {
        // Until the next key: what just happened (saved, left without saving, refused).
        frame.render_widget(
            Paragraph::new(Line::styled(clean(flash), theme.warn())),
            area,
        );
        return;
    }
    let mut spans = Vec::new();
    let mut used = 0;
    // Leaving, help and going back come first, so that they are never cut off.
    let mut shown: Vec<&keymap::Binding> = keymap::bindings(app.context())
        .iter()
        .filter(|b| b.footer)
        .collect();
    shown.sort_by_key(|b| {
        !matches!(
            b.action,
            keymap::Action::Quit
                | keymap::Action::Help
                | keymap::Action::Back
                | keymap::Action::EndReview
        )
    });
    for binding in shown {
        let keys: Vec<String> = binding.keys.iter().map(keymap::key_label).collect();
        let keys = keys.join("/");
        let help = format!(" {}  ", app.lang.t(binding.help));
        let needed = width(&keys) + width(help.trim_end());
        if used + needed > area.width as usize {
            break;
        }
        used += width(&keys) + width(&help);
        spans.push(Span::styled(keys, theme.key()));
        spans.push(Span::raw(help));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
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
        Overlay::Help(context) => {
            let mut lines = Vec::new();
            for binding in keymap::bindings(*context) {
                let keys: Vec<String> = binding.keys.iter().map(keymap::key_label).collect();
                lines.push(Line::from(vec![
                    Span::styled(cell(&keys.join(" / "), 18), theme.key()),
                    Span::raw(lang.t(binding.help)),
                ]));
            }
            if *context == Context::Overview {
                lines.push(Line::raw(""));
                lines.push(Line::styled(
                    lang.pick(
                        "例会：开=已开 缺=未开(预警) 待=本季未开 －=未到    ! = 低于预警线",
                        "meetings: + held, X missing (flag), ~ this quarter, - not yet    ! = below threshold",
                    ),
                    theme.dim(),
                ));
            }
            if let Some(s) = app.snapshot() {
                let t = &s.report.thresholds;
                lines.push(Line::raw(""));
                lines.push(Line::styled(
                    match lang {
                        Lang::Zh => format!(
                            "预警线：完成率 {}%  资源利用率 {}%  参与率 {}%  单位活动 {} 次",
                            t.completion_alert_pct,
                            t.resource_alert_pct,
                            t.participation_alert_pct,
                            t.min_unit_activities
                        ),
                        Lang::En => format!(
                            "thresholds: completion {}%  resource use {}%  participation {}%  unit activities {}",
                            t.completion_alert_pct,
                            t.resource_alert_pct,
                            t.participation_alert_pct,
                            t.min_unit_activities
                        ),
                    },
                    theme.dim(),
                ));
                lines.push(Line::styled(
                    lang.pick(
                        "修改预警线：gongjian settings（列出全部设置及含义）",
                        "change a threshold: gongjian settings (lists every setting and its meaning)",
                    ),
                    theme.dim(),
                ));
            }
            let height = lines.len() as u16 + 2;
            let rect = centered(area, 72, height);
            super::widgets::clear_popup(frame, rect);
            frame.render_widget(
                Paragraph::new(lines)
                    .block(Block::bordered().title(format!(" {} ", lang.pick("帮助", "Help")))),
                rect,
            );
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
                        .title(format!(" {} ", lang.pick("选择街道", "Pick a street"))),
                ),
                rect,
            );
        }
        Overlay::Detail { state, scroll } => {
            let rect = centered(area, 76, area.height.saturating_sub(2).max(10));
            super::widgets::clear_popup(frame, rect);
            let lines = detail_lines(lang, state, theme);
            let inner_height = rect.height.saturating_sub(2) as usize;
            let scroll = (*scroll).min(lines.len().saturating_sub(inner_height));
            frame.render_widget(
                Paragraph::new(lines).scroll((scroll as u16, 0)).block(
                    Block::bordered().title(format!(" {} ", lang.pick("项目详情", "Project"))),
                ),
                rect,
            );
        }
    }
}

fn detail_lines(lang: Lang, state: &DetailState, theme: Theme) -> Vec<Line<'static>> {
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
            let status = Status::parse(&d.status)
                .map_or_else(|| clean(&d.status), |s| status_word(lang, s).to_string());
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
