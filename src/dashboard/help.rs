//! The help pop-up (`?`): every key of the screen it was opened on, scrolled when it does not
//! fit. Its state is the context and the first line shown.

use super::keymap::{self, Action, Context};
use super::table::pad;
use super::theme::Theme;
use super::widgets::{max_scroll, scrolled_popup};
use crate::i18n::Lang;
use crate::model::Thresholds;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Width of the pop-up, at most.
const WIDTH: u16 = 76;

/// The help's lines for `context`; the thresholds in effect, once the figures are read.
pub fn lines(
    context: Context,
    thresholds: Option<&Thresholds>,
    lang: Lang,
    theme: Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for binding in keymap::bindings(context) {
        let keys: Vec<String> = binding.keys.iter().map(keymap::key_label).collect();
        lines.push(Line::from(vec![
            Span::styled(pad(&keys.join(" / "), 18), theme.key()),
            Span::raw(lang.t(binding.help).to_string()),
        ]));
    }
    if context == Context::Overview {
        lines.push(Line::raw(""));
        for line in [
            lang.pick(
                "例会：开＝已开，缺＝未开（预警），待＝本季未开，－＝未到",
                "meetings: + held, X missing (flag), ~ this quarter, - not yet",
            ),
            lang.pick("！＝低于预警线", "! = below the threshold"),
            lang.pick(
                "排序列旁的 ↓ 表示从差到好，↑ 表示反向",
                "↓ beside a heading: sorted worst first; ↑ reversed",
            ),
        ] {
            lines.push(Line::styled(line.to_string(), theme.dim()));
        }
    }
    if let Some(t) = thresholds {
        lines.push(Line::raw(""));
        let figures = match lang {
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
        };
        lines.push(Line::styled(figures, theme.dim()));
        lines.push(Line::styled(
            lang.pick(
                "= 修改预警线（列出全部设置及含义；命令行 gongjian settings）",
                "= change a threshold (every setting and its meaning; or gongjian settings)",
            )
            .to_string(),
            theme.dim(),
        ));
    }
    lines
}

/// Where the pop-up sits in `area` for `count` lines.
pub fn rect(area: Rect, count: usize) -> Rect {
    super::ui::centered(area, WIDTH, count as u16 + 2)
}

/// Scrolls within the lines there are (`room`: lines the pop-up shows).
pub fn update(scroll: &mut usize, action: Action, count: usize, room: usize) -> bool {
    let last = max_scroll(count, room);
    match action {
        Action::Back => return false,
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll = (*scroll + 1).min(last),
        Action::PageUp => *scroll = scroll.saturating_sub(room.max(1)),
        Action::PageDown => *scroll = (*scroll + room.max(1)).min(last),
        Action::First => *scroll = 0,
        Action::Last => *scroll = last,
        _ => {}
    }
    true
}

pub fn render(
    context: Context,
    thresholds: Option<&Thresholds>,
    scroll: usize,
    lang: Lang,
    frame: &mut Frame,
    area: Rect,
    theme: Theme,
) {
    let lines = lines(context, thresholds, lang, theme);
    let rect = rect(area, lines.len());
    scrolled_popup(
        frame,
        rect,
        lang.pick("帮助", "Help"),
        lines,
        scroll,
        lang,
        theme,
    );
}
