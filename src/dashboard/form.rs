//! The adjustment form (调整): fields typed as text, checked by the writer thread, a preview of
//! before → after, an explicit confirm, and the conflict case. Nothing is written until the
//! user confirms; `Esc` at any point leaves with nothing written.

use super::theme::Theme;
use super::widgets::cell;
use crate::adjust::{
    self, ActionKind, Change, Conflict, FieldError, Input, MeetingKind, ProjectState, Raw, Request,
    key,
};
use crate::error::Error;
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
    pub value: String,
}

#[derive(Debug, Clone)]
pub enum Stage {
    Editing,
    /// Waiting for the writer to check the fields.
    Checking,
    /// Checked: before → after shown, waiting for the user's confirm.
    Confirm {
        request: Request,
        changes: Vec<Change>,
    },
    Saving {
        request: Request,
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
    /// The highlighted unit among the matches under a unit field.
    pub unit_pick: Option<usize>,
}

/// Up to this many units are listed under a unit field.
pub const UNIT_MATCHES: usize = 5;

impl Form {
    pub fn new(
        kind: ActionKind,
        target: i64,
        heading: String,
        expected: Option<ProjectState>,
        today: chrono::NaiveDate,
        operator: String,
    ) -> Form {
        let defaults = adjust::form_defaults(kind, expected.as_ref(), today);
        let mut fields: Vec<FormField> = kind
            .fields()
            .iter()
            .map(|spec| FormField {
                key: spec.key,
                input: spec.input,
                required: spec.required,
                value: defaults.get(spec.key).to_string(),
            })
            .collect();
        fields.push(FormField {
            key: key::REASON,
            input: Input::Text {
                max: adjust::MAX_REASON,
            },
            required: true,
            value: String::new(),
        });
        fields.push(FormField {
            key: key::OPERATOR,
            input: Input::Text {
                max: adjust::MAX_OPERATOR,
            },
            required: true,
            value: operator,
        });
        Form {
            purpose: Purpose::Adjust(kind),
            target,
            heading,
            expected,
            fields,
            focus: 0,
            errors: Vec::new(),
            message: None,
            stage: Stage::Editing,
            unit_pick: None,
        }
    }

    /// A form for a review decision, or for marking one done.
    pub fn for_review(
        purpose: Purpose,
        heading: String,
        today: chrono::NaiveDate,
        operator: String,
    ) -> Form {
        let text = |key, max, required, value: String| FormField {
            key,
            input: Input::Text { max },
            required,
            value,
        };
        let mut fields = match purpose {
            Purpose::CompleteDecision { .. } => {
                vec![text("note", adjust::MAX_NOTE, true, String::new())]
            }
            _ => vec![
                text("decision", crate::review::MAX_DECISION, true, String::new()),
                text("owner", adjust::MAX_OPERATOR, true, String::new()),
                FormField {
                    key: key::DUE,
                    input: Input::Date,
                    required: true,
                    value: crate::dates::format_ymd(today + chrono::Duration::days(7)),
                },
            ],
        };
        fields.push(text(key::OPERATOR, adjust::MAX_OPERATOR, true, operator));
        Form {
            purpose,
            target: 0,
            heading,
            expected: None,
            fields,
            focus: 0,
            errors: Vec::new(),
            message: None,
            stage: Stage::Editing,
            unit_pick: None,
        }
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
        }
    }

    /// The value typed in field `key` (empty when the form has no such field).
    pub fn value(&self, key: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.value.clone())
            .unwrap_or_default()
    }

    /// The raw text the writer checks.
    pub fn raw(&self) -> Raw {
        let mut raw = Raw::new();
        if let Some(kind) = self.kind() {
            raw.set(kind.target().key(), self.target.to_string());
        }
        for field in &self.fields {
            raw.set(field.key, field.value.clone());
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

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
        self.unit_pick = None;
    }

    pub fn prev_field(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        self.unit_pick = None;
    }

    pub fn type_char(&mut self, ch: char) {
        let field = self.focused_mut();
        if let Input::MeetingKind = field.input {
            return; // chosen with ← →
        }
        field.value.push(ch);
        self.unit_pick = None;
        self.clear_error_of_focused();
    }

    pub fn backspace(&mut self) {
        self.focused_mut().value.pop();
        self.unit_pick = None;
        self.clear_error_of_focused();
    }

    pub fn clear_field(&mut self) {
        self.focused_mut().value.clear();
        self.unit_pick = None;
        self.clear_error_of_focused();
    }

    fn clear_error_of_focused(&mut self) {
        let key = self.focused().key;
        self.errors.retain(|e| e.field != key);
    }

    /// ← → on a meeting kind: the next or previous kind.
    pub fn cycle(&mut self, forward: bool) {
        let field = self.focused_mut();
        if field.input != Input::MeetingKind {
            return;
        }
        let all = MeetingKind::ALL;
        let at = MeetingKind::parse(&field.value)
            .and_then(|k| all.iter().position(|x| *x == k))
            .unwrap_or(0);
        let next = if forward {
            (at + 1) % all.len()
        } else {
            (at + all.len() - 1) % all.len()
        };
        field.value = all[next].key().to_string();
    }

    pub fn error_of(&self, key: &str) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == key)
    }

    /// Takes the writer's verdict on the fields.
    pub fn checked(&mut self, result: Result<(Request, Vec<Change>), Error>, lang: Lang) {
        match result {
            Ok((request, changes)) => {
                self.errors.clear();
                self.message = None;
                self.stage = Stage::Confirm { request, changes };
            }
            Err(Error::Invalid(errors)) => {
                // Focus the first wrong field that the form shows.
                if let Some(at) = self
                    .fields
                    .iter()
                    .position(|f| errors.iter().any(|e| e.field == f.key))
                {
                    self.focus = at;
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
}

/// Units whose id, name or kind contains what is typed (all for an empty text), by id.
pub fn unit_matches<'a>(
    units: &'a [(i64, String, String)],
    typed: &str,
) -> Vec<&'a (i64, String, String)> {
    let needle = typed.trim().to_lowercase();
    units
        .iter()
        .filter(|(id, name, kind)| {
            needle.is_empty()
                || id.to_string() == needle
                || name.to_lowercase().contains(&needle)
                || kind.to_lowercase().contains(&needle)
        })
        .take(UNIT_MATCHES)
        .collect()
}

fn field_label(lang: Lang, field: &FormField) -> String {
    let mark = if field.required { "*" } else { " " };
    format!("{}{mark}", lang.t(adjust::label(field.key)))
}

/// What a field shows besides its text: the name of a chosen unit, the kind of meeting.
fn field_hint(lang: Lang, field: &FormField, units: &[(i64, String, String)]) -> String {
    match field.input {
        Input::Unit => {
            let typed = field.value.trim();
            if typed.is_empty() {
                return lang
                    .pick(
                        "（留空：社区自办 / 不变）",
                        "(blank: the community itself / unchanged)",
                    )
                    .to_string();
            }
            match typed
                .parse::<i64>()
                .ok()
                .and_then(|id| units.iter().find(|u| u.0 == id))
            {
                Some((_, name, _)) => format!("= {}", clean(name)),
                None => String::new(),
            }
        }
        Input::MeetingKind => lang
            .pick(
                "← → 切换：季度例会 / 现场走访 / 其他",
                "← → quarterly / site visit / other",
            )
            .to_string(),
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
    }
}

pub fn render(
    form: &Form,
    lang: Lang,
    units: &[(i64, String, String)],
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
                let value = match field.input {
                    Input::MeetingKind => MeetingKind::parse(&field.value)
                        .map_or_else(|| field.value.clone(), |k| lang.t(k.label()).to_string()),
                    _ => field.value.clone(),
                };
                let shown = cell(&value, box_width.saturating_sub(1));
                let label_style = if focused { theme.key() } else { theme.plain() };
                let box_style = if focused {
                    theme.selected()
                } else {
                    theme.dim()
                };
                lines.push(Line::from(vec![
                    Span::styled(cell(&field_label(lang, field), label_width), label_style),
                    Span::styled(format!("{shown} "), box_style),
                    Span::styled(
                        format!(" {}", cell(&field_hint(lang, field, units), 40).trim_end()),
                        theme.dim(),
                    ),
                ]));
                if focused {
                    let typed = width_of(&clean(&value)).min(box_width.saturating_sub(1));
                    cursor = Some(((label_width + typed) as u16, lines.len() as u16 - 1));
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
                if focused && field.input == Input::Unit {
                    for (n, (id, name, kind)) in
                        unit_matches(units, &field.value).into_iter().enumerate()
                    {
                        let text = format!(
                            "{}{:>5} {} {}",
                            " ".repeat(label_width),
                            id,
                            clean(name),
                            clean(kind)
                        );
                        let style = if form.unit_pick == Some(n) {
                            theme.selected()
                        } else {
                            theme.dim()
                        };
                        lines.push(Line::styled(text, style));
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
            if matches!(form.stage, Stage::Checking) {
                lines.push(Line::styled(
                    lang.pick("正在检查...", "Checking..."),
                    theme.warn(),
                ));
            } else {
                lines.push(Line::styled(
                    lang.pick(
                        "Enter 检查并预览   Tab/↑↓ 换项   Ctrl-U 清空   Esc 放弃（不保存）",
                        "Enter check and preview   Tab/↑↓ next field   Ctrl-U clear   Esc leave (nothing saved)",
                    ),
                    theme.dim(),
                ));
            }
        }
        Stage::Confirm { request, changes }
        | Stage::Saving {
            request, changes, ..
        } => {
            lines.push(Line::styled(
                lang.pick("请确认以下调整：", "Please confirm this adjustment:"),
                theme.title(),
            ));
            for change in changes {
                lines.push(Line::from(vec![
                    Span::raw(format!("  {}: ", change.label(lang))),
                    Span::styled(clean(&change.before_text(lang)), theme.dim()),
                    Span::raw(" -> "),
                    Span::styled(clean(&change.after_text(lang)), theme.key()),
                ]));
            }
            lines.push(Line::raw(format!(
                "  {}: {}",
                lang.t(adjust::label(key::REASON)),
                clean(&request.reason)
            )));
            lines.push(Line::raw(format!(
                "  {}: {}",
                lang.t(adjust::label(key::OPERATOR)),
                clean(&request.operator)
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
                lines.push(Line::from(vec![
                    Span::raw(format!("  {}: ", change.label(lang))),
                    Span::styled(clean(&change.before_text(lang)), theme.dim()),
                    Span::raw(" -> "),
                    Span::styled(clean(&change.after_text(lang)), theme.key()),
                ]));
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

fn width_of(text: &str) -> usize {
    width(text)
}
