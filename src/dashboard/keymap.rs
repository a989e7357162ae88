//! Keys resolve to an [`Action`] in one step, from one table per context; the footer and the
//! help panel are generated from the same tables, so they can never drift from the keys.

use crate::i18n::Term;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    Open,
    StartFilter,
    ToggleFlagged,
    PickStreet,
    CycleSort,
    ReverseSort,
    Help,
    NextPanel,
    PrevPanel,
    PrevCommunity,
    NextCommunity,
    FilterAccept,
    FilterCancel,
    /// A character typed into a filter or a form field.
    Type(char),
    DeleteChar,
    /// Delete the character after the cursor.
    DeleteForward,
    ClearText,
    /// Answers to a yes/no question ("放弃已填内容？").
    Yes,
    No,
    /// The adjustment menu (`a`).
    Adjust,
    /// The adjustment log (`h`).
    History,
    Undo,
    NextField,
    PrevField,
    CycleLeft,
    CycleRight,
    Submit,
    /// Re-open a form on the values another terminal saved.
    Reopen,
    ToggleCommunity,
    StartReview,
    EndReview,
    Skip,
    Decide,
    CompleteDecision,
    /// Change the selected decision's text, responsible person or due date.
    EditDecision,
    Export,
    /// The selected community's flags in plain words (`i`), without recording anything.
    Info,
    /// The year-end assessment screen (`y`).
    Assess,
    /// The shared settings (预警线), to change one in a form (`=`).
    Settings,
    /// The assessment of the year before / after the one shown (`[` `]`).
    PrevYear,
    NextYear,
}

/// Where the keys are being read: each has its own table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Overview,
    Filter,
    Community,
    Help,
    Detail,
    StreetPicker,
    /// The list of settings (`=` on the overview).
    SettingsPicker,
    Menu,
    Form,
    /// "放弃已填内容？" asked over a changed form.
    Discard,
    Confirm,
    Conflict,
    History,
    HistoryFilter,
    Review,
    ReviewSummary,
    /// The overview's pop-up with the selected community's flags.
    Info,
    /// The year-end assessment screen.
    Assessment,
    /// Its name filter being typed.
    AssessmentFilter,
    /// The figures behind a row of the assessment.
    Explain,
}

#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn k(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn c(ch: char) -> Key {
    Key {
        code: KeyCode::Char(ch),
        ctrl: false,
    }
}

#[derive(Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub help: Term,
    /// Shown in the footer (the rest only in the help panel).
    pub footer: bool,
}

const fn b(keys: &'static [Key], action: Action, help: Term, footer: bool) -> Binding {
    Binding {
        keys,
        action,
        help,
        footer,
    }
}

const CTRL_C: Key = Key {
    code: KeyCode::Char('c'),
    ctrl: true,
};

const MOVE: [Binding; 4] = [
    b(&[k(KeyCode::Up), c('k')], Action::Up, ("上移", "up"), false),
    b(
        &[k(KeyCode::Down), c('j')],
        Action::Down,
        ("下移", "down"),
        false,
    ),
    b(
        &[k(KeyCode::PageUp)],
        Action::PageUp,
        ("上一页", "page up"),
        false,
    ),
    b(
        &[k(KeyCode::PageDown)],
        Action::PageDown,
        ("下一页", "page down"),
        false,
    ),
];

/// The first and the last row of a list.
const ENDS: [Binding; 2] = [
    b(
        &[c('g'), k(KeyCode::Home)],
        Action::First,
        ("第一行", "first row"),
        false,
    ),
    b(
        &[c('G'), k(KeyCode::End)],
        Action::Last,
        ("最后一行", "last row"),
        false,
    ),
];

static OVERVIEW: &[Binding] = &[
    // The key bar shows the entries marked for it in this order, then `? 更多`.
    b(
        &[k(KeyCode::Enter)],
        Action::Open,
        ("打开社区", "open community"),
        true,
    ),
    b(&[c('s')], Action::CycleSort, ("排序", "sort"), true),
    b(&[c('/')], Action::StartFilter, ("筛选", "filter"), true),
    b(
        &[c('f')],
        Action::ToggleFlagged,
        ("只看预警", "flagged only"),
        true,
    ),
    b(&[c('i')], Action::Info, ("预警原因", "why flagged"), true),
    b(
        &[c('h')],
        Action::History,
        ("调整记录", "adjustment log"),
        true,
    ),
    b(
        &[c('r')],
        Action::StartReview,
        ("周例会回顾", "weekly review"),
        true,
    ),
    b(
        &[c('t')],
        Action::PickStreet,
        ("选街道", "pick street"),
        true,
    ),
    b(&[c('q'), CTRL_C], Action::Quit, ("退出", "quit"), true),
    MOVE[0],
    MOVE[1],
    MOVE[2],
    MOVE[3],
    ENDS[0],
    ENDS[1],
    b(
        &[c('S')],
        Action::ReverseSort,
        ("反向排序", "reverse sort"),
        false,
    ),
    b(
        &[c('y')],
        Action::Assess,
        ("年终考评", "year-end assessment"),
        false,
    ),
    b(
        &[c('=')],
        Action::Settings,
        ("修改预警线", "change a threshold"),
        false,
    ),
    b(
        &[k(KeyCode::Esc)],
        Action::Back,
        ("清除筛选", "clear filters"),
        false,
    ),
    b(
        &[c('a')],
        Action::Adjust,
        ("记录例会/新增项目", "log meeting / add project"),
        false,
    ),
    b(&[c('?')], Action::Help, ("帮助", "help"), true),
];

static FILTER: &[Binding] = &[
    b(
        &[k(KeyCode::Enter)],
        Action::FilterAccept,
        ("保留筛选", "keep filter"),
        true,
    ),
    b(
        &[k(KeyCode::Esc)],
        Action::FilterCancel,
        ("清除筛选", "clear filter"),
        true,
    ),
    b(
        &[k(KeyCode::Backspace)],
        Action::DeleteChar,
        ("删除一字", "delete a character"),
        true,
    ),
    b(&[k(KeyCode::Up)], Action::Up, ("上移", "up"), false),
    b(&[k(KeyCode::Down)], Action::Down, ("下移", "down"), false),
    b(&[CTRL_C], Action::Quit, ("退出", "quit"), false),
];

static COMMUNITY: &[Binding] = &[
    b(&[c('a')], Action::Adjust, ("调整", "adjust"), true),
    b(&[k(KeyCode::Enter)], Action::Open, ("详情", "open"), true),
    b(
        &[k(KeyCode::Tab)],
        Action::NextPanel,
        ("下一面板", "next panel"),
        true,
    ),
    b(&[k(KeyCode::Esc)], Action::Back, ("返回", "back"), true),
    b(
        &[c('[')],
        Action::PrevCommunity,
        ("上一社区", "previous community"),
        true,
    ),
    b(
        &[c(']')],
        Action::NextCommunity,
        ("下一社区", "next community"),
        true,
    ),
    b(
        &[c('h')],
        Action::History,
        ("调整记录", "adjustment log"),
        true,
    ),
    b(&[c('q'), CTRL_C], Action::Quit, ("退出", "quit"), true),
    b(
        &[k(KeyCode::BackTab)],
        Action::PrevPanel,
        ("上一面板", "previous panel"),
        false,
    ),
    MOVE[0],
    MOVE[1],
    MOVE[2],
    MOVE[3],
    ENDS[0],
    ENDS[1],
    b(&[c('?')], Action::Help, ("帮助", "help"), true),
];

static ASSESSMENT: &[Binding] = &[
    b(
        &[k(KeyCode::Enter)],
        Action::Open,
        ("考评依据", "explain"),
        true,
    ),
    b(&[c('a')], Action::Adjust, ("定级", "grade"), true),
    b(
        &[k(KeyCode::Tab)],
        Action::NextPanel,
        ("切换", "other list"),
        true,
    ),
    b(&[c('s')], Action::CycleSort, ("排序", "sort"), true),
    b(&[c('/')], Action::StartFilter, ("筛选", "filter"), true),
    b(
        &[c('f')],
        Action::ToggleFlagged,
        ("自评不符", "contradicted"),
        true,
    ),
    b(&[k(KeyCode::Esc)], Action::Back, ("返回", "back"), true),
    b(&[c('[')], Action::PrevYear, ("上一年", "year before"), true),
    b(&[c(']')], Action::NextYear, ("下一年", "year after"), true),
    b(&[c('q'), CTRL_C], Action::Quit, ("退出", "quit"), true),
    b(
        &[k(KeyCode::BackTab)],
        Action::PrevPanel,
        ("社区/单位", "communities/units"),
        false,
    ),
    MOVE[0],
    MOVE[1],
    MOVE[2],
    MOVE[3],
    ENDS[0],
    ENDS[1],
    b(
        &[c('S')],
        Action::ReverseSort,
        ("反向排序", "reverse sort"),
        false,
    ),
    b(&[c('?')], Action::Help, ("帮助", "help"), true),
];

static EXPLAIN: &[Binding] = &[
    b(
        &[k(KeyCode::Esc), k(KeyCode::Enter), c('q')],
        Action::Back,
        ("关闭", "close"),
        true,
    ),
    MOVE[0],
    MOVE[1],
    MOVE[2],
    MOVE[3],
    b(&[CTRL_C], Action::Quit, ("退出", "quit"), false),
];

static HELP: &[Binding] = &[
    b(
        &[k(KeyCode::Esc), c('?'), c('q')],
        Action::Back,
        ("关闭帮助", "close help"),
        true,
    ),
    MOVE[0],
    MOVE[1],
    MOVE[2],
    MOVE[3],
    b(&[CTRL_C], Action::Quit, ("退出", "quit"), false),
];

static INFO: &[Binding] = &[
    b(
        &[k(KeyCode::Esc), c('i'), c('q'), k(KeyCode::Enter)],
        Action::Back,
        ("关闭", "close"),
        true,
    ),
    MOVE[0],
    MOVE[1],
    b(&[CTRL_C], Action::Quit, ("退出", "quit"), false),
];

static DETAIL: &[Binding] = &[
    MOVE[0],
    MOVE[1],
    b(&[c('a')], Action::Adjust, ("调整", "adjust"), true),
    b(
        &[k(KeyCode::Esc), k(KeyCode::Enter), c('q')],
        Action::Back,
        ("关闭", "close"),
        true,
    ),
    b(&[CTRL_C], Action::Quit, ("退出", "quit"), false),
];

static STREET_PICKER: &[Binding] = &[
    MOVE[0],
    MOVE[1],
    b(&[k(KeyCode::Enter)], Action::Open, ("选定", "choose"), true),
    b(
        &[k(KeyCode::Esc), c('q')],
        Action::Back,
        ("取消", "cancel"),
        true,
    ),
    b(&[CTRL_C], Action::Quit, ("退出", "quit"), false),
];

static MENU: &[Binding] = &[
    MOVE[0],
    MOVE[1],
    b(&[k(KeyCode::Enter)], Action::Open, ("选定", "choose"), true),
    b(
        &[k(KeyCode::Esc), c('q')],
        Action::Back,
        ("取消", "cancel"),
        true,
    ),
    b(&[CTRL_C], Action::Quit, ("退出", "quit"), false),
];

/// Ctrl-C inside a form never quits (office users press it to copy): it leaves the form the
/// way Esc does, asking first when something was typed.
static FORM: &[Binding] = &[
    b(
        &[k(KeyCode::Enter)],
        Action::Submit,
        ("检查并预览", "check and preview"),
        true,
    ),
    b(
        &[k(KeyCode::Tab)],
        Action::NextField,
        ("下一项", "next field"),
        true,
    ),
    b(
        &[k(KeyCode::BackTab)],
        Action::PrevField,
        ("上一项", "previous field"),
        false,
    ),
    b(
        &[k(KeyCode::Down)],
        Action::Down,
        ("下一个匹配 / 下一项", "next match / next field"),
        false,
    ),
    b(
        &[k(KeyCode::Up)],
        Action::Up,
        ("上一个匹配 / 上一项", "previous match / previous field"),
        false,
    ),
    b(
        &[k(KeyCode::Left)],
        Action::CycleLeft,
        ("光标左移 / 上一个选项", "cursor left / previous choice"),
        false,
    ),
    b(
        &[k(KeyCode::Right)],
        Action::CycleRight,
        ("光标右移 / 下一个选项", "cursor right / next choice"),
        false,
    ),
    b(
        &[k(KeyCode::Home)],
        Action::First,
        ("到行首", "to the start"),
        false,
    ),
    b(
        &[k(KeyCode::End)],
        Action::Last,
        ("到行尾", "to the end"),
        false,
    ),
    b(
        &[k(KeyCode::Backspace)],
        Action::DeleteChar,
        ("删除前一字", "delete before the cursor"),
        false,
    ),
    b(
        &[k(KeyCode::Delete)],
        Action::DeleteForward,
        ("删除后一字", "delete after the cursor"),
        false,
    ),
    b(
        &[Key {
            code: KeyCode::Char('u'),
            ctrl: true,
        }],
        Action::ClearText,
        ("清空此项", "clear the field"),
        false,
    ),
    b(
        &[k(KeyCode::Esc), CTRL_C],
        Action::Back,
        ("放弃", "leave"),
        true,
    ),
];

static DISCARD: &[Binding] = &[
    b(
        &[c('y'), c('Y')],
        Action::Yes,
        ("放弃已填内容", "discard what was typed"),
        true,
    ),
    b(
        &[c('n'), c('N'), k(KeyCode::Esc), CTRL_C],
        Action::No,
        ("继续填写", "keep editing"),
        true,
    ),
];

static CONFIRM: &[Binding] = &[
    b(
        &[k(KeyCode::Enter)],
        Action::Submit,
        ("确认保存", "save"),
        true,
    ),
    b(
        &[k(KeyCode::Esc), CTRL_C],
        Action::Back,
        ("返回修改", "back to the form"),
        true,
    ),
];

static CONFLICT: &[Binding] = &[
    b(
        &[c('r')],
        Action::Reopen,
        ("按最新数据重填", "re-open on the new values"),
        true,
    ),
    b(
        &[k(KeyCode::Esc), c('q'), CTRL_C],
        Action::Back,
        ("放弃", "leave"),
        true,
    ),
];

static HISTORY: &[Binding] = &[
    MOVE[0],
    MOVE[1],
    MOVE[2],
    MOVE[3],
    b(
        &[c('g'), k(KeyCode::Home)],
        Action::First,
        ("最新", "newest"),
        false,
    ),
    b(
        &[c('G'), k(KeyCode::End)],
        Action::Last,
        ("最早", "oldest"),
        false,
    ),
    b(
        &[c('u')],
        Action::Undo,
        ("撤销此条", "undo this entry"),
        true,
    ),
    b(
        &[c('/')],
        Action::StartFilter,
        (
            "筛选（经办人/社区/项目/日期）",
            "filter (operator/community/project/date)",
        ),
        true,
    ),
    b(
        &[c('c')],
        Action::ToggleCommunity,
        ("本社区/全部", "this community / all"),
        true,
    ),
    b(&[k(KeyCode::Esc)], Action::Back, ("返回", "back"), true),
    b(&[c('?')], Action::Help, ("帮助", "help"), true),
    b(&[c('q'), CTRL_C], Action::Quit, ("退出", "quit"), true),
];

static REVIEW: &[Binding] = &[
    b(
        &[c('n'), k(KeyCode::Right)],
        Action::NextCommunity,
        ("下一个社区（记为已回顾）", "next community (covered)"),
        true,
    ),
    b(
        &[c('d')],
        Action::Decide,
        ("记督办事项", "record a decision"),
        true,
    ),
    b(
        &[c('q'), k(KeyCode::Esc)],
        Action::EndReview,
        ("结束回顾", "end the review"),
        true,
    ),
    b(&[c('s')], Action::Skip, ("跳过", "skip"), true),
    b(&[c('a')], Action::Adjust, ("调整", "adjust"), true),
    b(
        &[c('x')],
        Action::CompleteDecision,
        ("办结所选督办事项", "mark the selected decision done"),
        true,
    ),
    b(
        &[c('c')],
        Action::EditDecision,
        ("修改所选督办事项", "change the selected decision"),
        true,
    ),
    b(
        &[c('p'), k(KeyCode::Left)],
        Action::PrevCommunity,
        ("上一个社区", "previous community"),
        true,
    ),
    b(&[k(KeyCode::Up), c('k')], Action::Up, ("上移", "up"), false),
    b(
        &[k(KeyCode::Down), c('j')],
        Action::Down,
        ("下移", "down"),
        false,
    ),
    b(&[c('?')], Action::Help, ("帮助", "help"), true),
    b(&[CTRL_C], Action::Quit, ("退出", "quit"), false),
    b(
        &[k(KeyCode::PageDown)],
        Action::PageDown,
        ("右栏向下翻", "scroll the right pane down"),
        false,
    ),
    b(
        &[k(KeyCode::PageUp)],
        Action::PageUp,
        ("右栏向上翻", "scroll the right pane up"),
        false,
    ),
];

static REVIEW_SUMMARY: &[Binding] = &[
    b(&[k(KeyCode::Up), c('k')], Action::Up, ("上移", "up"), false),
    b(
        &[k(KeyCode::Down), c('j')],
        Action::Down,
        ("下移", "down"),
        false,
    ),
    b(
        &[c('e')],
        Action::Export,
        ("导出会议纪要", "export the minutes"),
        true,
    ),
    b(
        &[k(KeyCode::Esc), c('q'), k(KeyCode::Enter)],
        Action::Back,
        ("返回总览", "back to the overview"),
        true,
    ),
    b(&[CTRL_C], Action::Quit, ("退出", "quit"), false),
];

pub fn bindings(context: Context) -> &'static [Binding] {
    match context {
        Context::Overview => OVERVIEW,
        Context::Filter => FILTER,
        Context::Community => COMMUNITY,
        Context::Help => HELP,
        Context::Detail => DETAIL,
        Context::StreetPicker | Context::SettingsPicker => STREET_PICKER,
        Context::Menu => MENU,
        Context::Form => FORM,
        Context::Discard => DISCARD,
        Context::Confirm => CONFIRM,
        Context::Conflict => CONFLICT,
        Context::History => HISTORY,
        Context::HistoryFilter => FILTER,
        Context::Review => REVIEW,
        Context::ReviewSummary => REVIEW_SUMMARY,
        Context::Info => INFO,
        Context::Assessment => ASSESSMENT,
        Context::AssessmentFilter => FILTER,
        Context::Explain => EXPLAIN,
    }
}

fn matches(key: &Key, event: &KeyEvent) -> bool {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    if key.ctrl != ctrl {
        return false;
    }
    match (key.code, event.code) {
        // BackTab arrives with SHIFT; characters may arrive with SHIFT for capitals.
        (KeyCode::Char(a), KeyCode::Char(b)) => a == b,
        (a, b) => a == b,
    }
}

/// The action for a key press in this context, if any. While a filter is typed, printable
/// characters are text.
pub fn resolve(context: Context, event: &KeyEvent) -> Option<Action> {
    if let Some(binding) = bindings(context)
        .iter()
        .find(|b| b.keys.iter().any(|k| matches(k, event)))
    {
        return Some(binding.action);
    }
    match (context, event.code) {
        (
            Context::Filter | Context::HistoryFilter | Context::AssessmentFilter | Context::Form,
            KeyCode::Char(ch),
        ) if !event
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            && !ch.is_control() =>
        {
            Some(Action::Type(ch))
        }
        _ => None,
    }
}

/// How a key is written in the footer and the help panel.
pub fn key_label(key: &Key) -> String {
    let name = match key.code {
        KeyCode::Up => "↑".to_string(),
        KeyCode::Down => "↓".to_string(),
        KeyCode::Left => "←".to_string(),
        KeyCode::Right => "→".to_string(),
        KeyCode::PageUp => "PgUp".to_string(),
        KeyCode::PageDown => "PgDn".to_string(),
        KeyCode::Home => "Home".to_string(),
        KeyCode::End => "End".to_string(),
        KeyCode::Enter => "Enter".to_string(),
        KeyCode::Esc => "Esc".to_string(),
        KeyCode::Tab => "Tab".to_string(),
        KeyCode::BackTab => "Shift-Tab".to_string(),
        KeyCode::Backspace => "Backspace".to_string(),
        KeyCode::Delete => "Del".to_string(),
        KeyCode::Char(ch) => ch.to_string(),
        other => format!("{other:?}"),
    };
    if key.ctrl {
        format!("Ctrl-{}", name.to_uppercase())
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn resolves_by_context() {
        let cases = [
            (
                Context::Overview,
                press(KeyCode::Char('j')),
                Some(Action::Down),
            ),
            (Context::Overview, press(KeyCode::Down), Some(Action::Down)),
            (
                Context::Overview,
                press(KeyCode::Char('G')),
                Some(Action::Last),
            ),
            (
                Context::Overview,
                KeyEvent::new(KeyCode::Char('S'), KeyModifiers::SHIFT),
                Some(Action::ReverseSort),
            ),
            (Context::Overview, press(KeyCode::Esc), Some(Action::Back)),
            (
                Context::Overview,
                press(KeyCode::Char('q')),
                Some(Action::Quit),
            ),
            (Context::Overview, press(KeyCode::Char('x')), None),
            (
                Context::Filter,
                press(KeyCode::Char('q')),
                Some(Action::Type('q')),
            ),
            (
                Context::Filter,
                press(KeyCode::Char('社')),
                Some(Action::Type('社')),
            ),
            (
                Context::Filter,
                press(KeyCode::Esc),
                Some(Action::FilterCancel),
            ),
            (
                Context::Community,
                press(KeyCode::Char(']')),
                Some(Action::NextCommunity),
            ),
            (
                Context::Community,
                KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
                Some(Action::PrevPanel),
            ),
            (Context::Help, press(KeyCode::Char('?')), Some(Action::Back)),
            (
                Context::Form,
                press(KeyCode::Char('q')),
                Some(Action::Type('q')),
            ),
            (
                Context::Form,
                press(KeyCode::Char('老')),
                Some(Action::Type('老')),
            ),
            (Context::Form, press(KeyCode::Enter), Some(Action::Submit)),
            (
                Context::Form,
                KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
                Some(Action::ClearText),
            ),
            (Context::Confirm, press(KeyCode::Char('x')), None),
            (
                Context::History,
                press(KeyCode::Char('u')),
                Some(Action::Undo),
            ),
        ];
        for (context, event, expected) in cases {
            assert_eq!(resolve(context, &event), expected, "{context:?} {event:?}");
        }
    }

    #[test]
    fn ctrl_c_quits_outside_forms_leaves_forms_and_esc_never_quits() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        let outside = [
            Context::Overview,
            Context::Filter,
            Context::Community,
            Context::Help,
            Context::Detail,
            Context::StreetPicker,
            Context::Menu,
            Context::History,
            Context::HistoryFilter,
            Context::Review,
            Context::ReviewSummary,
            Context::Info,
            Context::Assessment,
            Context::AssessmentFilter,
            Context::Explain,
        ];
        for context in outside {
            assert_eq!(resolve(context, &ctrl_c), Some(Action::Quit), "{context:?}");
        }
        for context in [Context::Form, Context::Confirm, Context::Conflict] {
            assert_eq!(resolve(context, &ctrl_c), Some(Action::Back), "{context:?}");
        }
        assert_eq!(resolve(Context::Discard, &ctrl_c), Some(Action::No));
        for context in outside.into_iter().chain([
            Context::Form,
            Context::Discard,
            Context::Confirm,
            Context::Conflict,
        ]) {
            assert_ne!(
                resolve(context, &press(KeyCode::Esc)),
                Some(Action::Quit),
                "{context:?}"
            );
        }
        assert_eq!(resolve(Context::Overview, &press(KeyCode::Char('c'))), None);
    }
}
