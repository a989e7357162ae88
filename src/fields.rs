//! Raw text from a form or the command line, the checks every field goes through, and what is
//! wrong with a field, in both languages.
//!
//! Field keys are the command-line flag names without their dashes (`done-on` for
//! `--done-on`), so that one message serves the form and the command line.

use crate::dates::{format_ymd, parse_ymd};
use crate::i18n::{Lang, Term};
use chrono::{Datelike, NaiveDate};

/// The keys of the input fields.
pub mod key {
    pub const PROJECT: &str = "project";
    pub const COMMUNITY: &str = "community";
    pub const ENTRY: &str = "entry";
    pub const DUE: &str = "due";
    pub const DONE_ON: &str = "done-on";
    pub const TITLE: &str = "title";
    pub const UNIT: &str = "unit";
    pub const HELD_ON: &str = "held-on";
    pub const PLANNED: &str = "planned";
    pub const ACTUAL: &str = "actual";
    pub const KIND: &str = "kind";
    pub const ATTENDEES: &str = "attendees";
    pub const NOTE: &str = "note";
    pub const NEED: &str = "need";
    pub const RESPONDENTS: &str = "respondents";
    pub const SATISFIED: &str = "satisfied";
    pub const NAME: &str = "name";
    pub const WORKPLACE: &str = "workplace";
    pub const REGISTERED_ON: &str = "registered-on";
    pub const MEMBER: &str = "member";
    pub const LEFT_ON: &str = "left-on";
    pub const MEMBERS: &str = "members";
    pub const SERVED_ON: &str = "served-on";
    pub const DURATION: &str = "duration";
    pub const RESOURCE: &str = "resource";
    pub const TIMES: &str = "times";
    pub const YEAR: &str = "year";
    pub const SUBJECT: &str = "subject";
    pub const ASSESSOR: &str = "assessor";
    pub const GRADE: &str = "grade";
    pub const GRADED_UNIT: &str = "graded-unit";
    pub const REASON: &str = "reason";
    pub const OPERATOR: &str = "operator";
}

/// Longest accepted texts, in characters (a Chinese character counts one).
pub const MAX_TITLE: usize = 100;
pub const MAX_REASON: usize = 500;
pub const MAX_OPERATOR: usize = 50;
pub const MAX_NOTE: usize = 500;
/// Longest accepted member name, in characters.
pub const MAX_NAME: usize = 50;
/// Longest accepted service session, in minutes (one day).
pub const MAX_MINUTES: i64 = 24 * 60;
/// Largest accepted head count (planned, actual, attendees).
pub const MAX_COUNT: i64 = 100_000;
/// Accepted years for any date: a guard against typing 2206 for 2026.
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2099;

/// The words that clear an optional unit (`--unit none`): the project is led by the
/// community alone.
pub const NO_UNIT_WORDS: &[&str] = &["none", "-", "无", "（无）", "社区自办"];

/// A field's name on screen. Accepts field keys and the column names used in [`super::Change`].
pub fn label(key: &str) -> Term {
    match key {
        key::PROJECT | "project_id" => ("项目", "project"),
        key::COMMUNITY | "community_id" => ("社区", "community"),
        key::ENTRY => ("调整记录编号", "log entry"),
        key::DUE | "due_on" => ("截止日期", "due date"),
        key::DONE_ON | "done_on" => ("完成日期", "done date"),
        key::TITLE => ("项目名称", "title"),
        key::UNIT | "unit_id" => ("牵头单位", "lead unit"),
        key::HELD_ON | "held_on" => ("日期", "date"),
        key::PLANNED => ("计划人数", "planned"),
        key::ACTUAL => ("实际人数", "actual"),
        key::KIND => ("例会类型", "meeting kind"),
        key::ATTENDEES => ("参会人数", "attendees"),
        key::NOTE => ("备注", "note"),
        key::NEED | "need_id" => ("对接需求", "need answered"),
        key::RESPONDENTS => ("受访人数", "respondents"),
        key::SATISFIED => ("满意人数", "satisfied"),
        key::NAME => ("姓名", "name"),
        key::WORKPLACE => ("工作单位", "workplace"),
        "offering_unit" => ("驻区单位", "unit"),
        key::REGISTERED_ON | "registered_on" => ("报到日期", "registered on"),
        key::MEMBER | "member_id" => ("党员", "member"),
        key::LEFT_ON | "left_on" => ("离开日期", "left on"),
        key::MEMBERS => ("服务党员", "members"),
        key::SERVED_ON | "served_on" => ("服务日期", "served on"),
        key::DURATION => ("服务时长", "duration"),
        "minutes" => ("服务时长（分钟）", "minutes"),
        key::RESOURCE => ("资源", "resource"),
        key::TIMES => ("使用次数", "times used"),
        "times_used" => ("已使用次数", "times used"),
        "survey" => ("满意度调查", "survey"),
        key::YEAR => ("年度", "year"),
        key::SUBJECT => ("考评对象", "subject"),
        "subject_id" => ("考评对象编号", "subject id"),
        key::ASSESSOR => ("评价方", "assessor"),
        key::GRADE => ("等次", "grade"),
        key::GRADED_UNIT => ("被考评单位", "unit graded"),
        "assessment" => ("考评结果", "grade given"),
        "services" => ("服务纪实", "service records"),
        "need_project" => ("对接需求的项目", "project answering the need"),
        key::REASON => crate::i18n::terms::REASON,
        key::OPERATOR => crate::i18n::terms::OPERATOR,
        "status" => ("状态", "status"),
        "successor" | "successor_project" | "successor_preview" => {
            ("接续项目", "successor project")
        }
        "successor_status" => ("接续项目状态", "successor's status"),
        "activity" => ("活动记录", "activity"),
        "meeting" => ("例会记录", "meeting"),
        // The weekly review's fields and log values (crate::review).
        "decision" | "text" => ("督办事项", "decision"),
        "owner" => ("责任人", "responsible person"),
        "value" => ("新的值", "new value"),
        "review" | "review_id" => ("周例会回顾", "weekly review"),
        "outcome" => ("回顾结果", "outcome"),
        "street" | "street_id" => ("街道", "street"),
        "done_note" => ("完成情况", "how it was done"),
        "decision_state" => ("督办状态", "decision state"),
        "covered" => ("已回顾社区", "communities covered"),
        "skipped" => ("跳过社区", "communities skipped"),
        "decisions" => ("督办事项数", "decisions taken"),
        "interrupted" => ("程序中断后关闭", "closed after the program was interrupted"),
        _ => ("", ""),
    }
}

/// What is wrong with one field: the message says what was given and what is accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub zh: String,
    pub en: String,
    /// The value itself is malformed (blank, not a number, not a date, too long), as opposed
    /// to a well-formed value the file's data refuses: on the command line, a usage error.
    pub malformed: bool,
}

impl FieldError {
    pub fn new(field: &'static str, zh: impl Into<String>, en: impl Into<String>) -> FieldError {
        FieldError {
            field,
            zh: zh.into(),
            en: en.into(),
            malformed: false,
        }
    }

    /// A value that is not of the field's form (see the `malformed` field): a usage error on the command line.
    pub fn malformed(
        field: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> FieldError {
        FieldError {
            malformed: true,
            ..FieldError::new(field, zh, en)
        }
    }

    /// The message alone, for showing beside the field in a form.
    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }

    /// The message with the field named, for one line on the command line.
    pub fn line(&self, lang: Lang) -> String {
        let name = lang.t(label(self.field));
        match lang {
            Lang::Zh => format!("{name}（--{}）：{}", self.field, self.zh),
            Lang::En => format!("{name} (--{}): {}", self.field, self.en),
        }
    }
}

/// The raw text of each field, as typed. A field that was never set reads as empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Raw {
    values: Vec<(&'static str, String)>,
}

impl Raw {
    pub fn new() -> Raw {
        Raw::default()
    }

    pub fn set(&mut self, field: &'static str, value: impl Into<String>) {
        let value = value.into();
        match self.values.iter_mut().find(|(k, _)| *k == field) {
            Some(slot) => slot.1 = value,
            None => self.values.push((field, value)),
        }
    }

    pub fn with(mut self, field: &'static str, value: impl Into<String>) -> Raw {
        self.set(field, value);
        self
    }

    pub fn get(&self, field: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| *k == field)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// A value as the user typed it, made safe and short enough to quote in a message.
pub(crate) fn shown(value: &str) -> String {
    crate::text::truncate(&crate::text::clean(value), 40)
}

/// Full-width digits typed through a Chinese input method read as ASCII digits.
fn ascii_digits(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' => '-',
            c => c,
        })
        .collect()
}

fn blank(field: &'static str) -> FieldError {
    FieldError::malformed(field, "不能为空", "must not be blank")
}

/// Characters that could act on a terminal or reverse the reading direction.
fn is_forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A one-line text of at most `max` characters, trimmed; blank is refused.
pub(crate) fn required_text(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<String, FieldError> {
    optional_text(field, value, max)?.ok_or_else(|| blank(field))
}

/// A one-line text of at most `max` characters, trimmed; blank reads as `None`.
pub(crate) fn optional_text(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<Option<String>, FieldError> {
    let text = value.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().any(is_forbidden) {
        return Err(FieldError::malformed(
            field,
            "含有换行、制表符或其他控制字符：请只填一行普通文字",
            "contains a line break, tab or other control character: use one line of plain text",
        ));
    }
    let count = text.chars().count();
    if count > max {
        return Err(FieldError::malformed(
            field,
            format!("太长：共 {count} 个字，最多 {max} 个字"),
            format!("too long: {count} characters, at most {max}"),
        ));
    }
    Ok(Some(text.to_string()))
}

/// A real calendar date written `YYYY-MM-DD`, in the accepted years.
pub(crate) fn date(field: &'static str, value: &str) -> Result<NaiveDate, FieldError> {
    let text = ascii_digits(value);
    if text.is_empty() {
        return Err(FieldError::malformed(
            field,
            "不能为空：请填写 YYYY-MM-DD 格式的日期，如 2026-11-28",
            "must not be blank: give a date as YYYY-MM-DD, e.g. 2026-11-28",
        ));
    }
    let parsed = parse_ymd(&text).ok_or_else(|| {
        FieldError::malformed(
            field,
            format!(
                "“{}”不是有效日期：应为 YYYY-MM-DD 格式的真实日期，如 2026-11-28",
                shown(value)
            ),
            format!(
                "\"{}\" is not a valid date: expected a real date as YYYY-MM-DD, e.g. 2026-11-28",
                shown(value)
            ),
        )
    })?;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&parsed.year()) {
        return Err(FieldError::malformed(
            field,
            format!("{text} 的年份不在 {FIRST_YEAR}–{LAST_YEAR} 之间，请检查"),
            format!("{text}: the year is outside {FIRST_YEAR}–{LAST_YEAR}; please check it"),
        ));
    }
    Ok(parsed)
}

/// A date of something that has happened: not after `today`.
pub(crate) fn past_date(
    field: &'static str,
    value: &str,
    today: NaiveDate,
) -> Result<NaiveDate, FieldError> {
    let parsed = date(field, value)?;
    if parsed > today {
        let (d, t) = (format_ymd(parsed), format_ymd(today));
        return Err(FieldError::malformed(
            field,
            format!("{d} 晚于今天（{t}）：只能填今天或以前的日期"),
            format!("{d} is after today ({t}): only today or an earlier date is accepted"),
        ));
    }
    Ok(parsed)
}

/// A whole number from `min` to [`MAX_COUNT`].
pub(crate) fn count(field: &'static str, value: &str, min: i64) -> Result<i64, FieldError> {
    let text = ascii_digits(value);
    let accepted_zh = format!("应为 {min} 到 {MAX_COUNT} 之间的整数");
    let accepted_en = format!("expected a whole number from {min} to {MAX_COUNT}");
    if text.is_empty() {
        return Err(FieldError::malformed(
            field,
            format!("不能为空：{accepted_zh}"),
            format!("must not be blank: {accepted_en}"),
        ));
    }
    let number = if text.bytes().all(|b| b.is_ascii_digit()) && text.len() <= 12 {
        text.parse::<i64>().ok()
    } else if let Some(rest) = text.strip_prefix('-')
        && !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(FieldError::malformed(
            field,
            format!("不能为负数（{}）：{accepted_zh}", shown(value)),
            format!("must not be negative ({}): {accepted_en}", shown(value)),
        ));
    } else {
        None
    };
    match number {
        Some(n) if (min..=MAX_COUNT).contains(&n) => Ok(n),
        Some(n) => Err(FieldError::malformed(
            field,
            format!("{n} 超出范围：{accepted_zh}"),
            format!("{n} is out of range: {accepted_en}"),
        )),
        None => Err(FieldError::malformed(
            field,
            format!("“{}”不是整数：{accepted_zh}", shown(value)),
            format!("\"{}\" is not a whole number: {accepted_en}", shown(value)),
        )),
    }
}

/// An optional whole number: blank reads as `None`.
pub(crate) fn optional_count(
    field: &'static str,
    value: &str,
    min: i64,
) -> Result<Option<i64>, FieldError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        count(field, value, min).map(Some)
    }
}

/// The id of a row: a positive whole number.
pub(crate) fn id(field: &'static str, value: &str) -> Result<i64, FieldError> {
    let text = ascii_digits(value);
    let text = text.strip_prefix('#').unwrap_or(&text);
    if text.is_empty() {
        return Err(FieldError::malformed(
            field,
            "不能为空：请填写编号（正整数）",
            "must not be blank: give an id (a positive whole number)",
        ));
    }
    text.parse::<i64>()
        .ok()
        .filter(|n| *n > 0 && text.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| {
            FieldError::malformed(
                field,
                format!("“{}”不是有效编号：应为正整数", shown(value)),
                format!(
                    "\"{}\" is not a valid id: expected a positive whole number",
                    shown(value)
                ),
            )
        })
}

/// A duration as the office writes it, in whole minutes: a bare number is hours (`1.5` = 90
/// minutes); `90分钟`, `90分`, `1小时30分`, `1.5小时`, `2h`, `30min` are read as written.
/// Minutes are rounded half away from zero. `None` for anything else (0 included is `Some(0)`).
pub fn parse_minutes(text: &str) -> Option<i64> {
    let text: String = ascii_digits(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '．' { '.' } else { c })
        .collect::<String>()
        .to_lowercase();
    if text.is_empty() {
        return None;
    }
    // Each part is a decimal number and its unit; the total is kept exact, in minutes × 10^SCALE.
    let mut total_num: i128 = 0;
    const SCALE: u32 = 6;
    let mut rest = text.as_str();
    let mut parts = 0;
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(end);
        let scaled = decimal(number, SCALE)?;
        let units: &[(&str, i128)] = &[
            ("小时", 60),
            ("钟头", 60),
            ("时", 60),
            ("hours", 60),
            ("hour", 60),
            ("hrs", 60),
            ("hr", 60),
            ("h", 60),
            ("分钟", 1),
            ("分", 1),
            ("minutes", 1),
            ("minute", 1),
            ("mins", 1),
            ("min", 1),
            ("m", 1),
        ];
        let (factor, after) = match units.iter().find(|(u, _)| after.starts_with(u)) {
            Some((unit, factor)) => (*factor, &after[unit.len()..]),
            // A bare number is hours, and only alone.
            None if parts == 0 && after.is_empty() => (60, after),
            None => return None,
        };
        total_num += scaled * factor;
        rest = after;
        parts += 1;
    }
    let unit = 10i128.pow(SCALE);
    // Half away from zero (the total is never negative).
    let minutes = (2 * total_num + unit) / (2 * unit);
    i64::try_from(minutes).ok()
}

/// `digits[.digits]` as an integer × 10^scale; `None` for anything else.
fn decimal(text: &str, scale: u32) -> Option<i128> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && frac.is_empty()
        || whole.len() > 9
        || frac.len() > scale as usize
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i128 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let frac_value: i128 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    let frac_scaled = frac_value * 10i128.pow(scale - frac.len() as u32);
    Some(whole * 10i128.pow(scale) + frac_scaled)
}

/// A year from [`FIRST_YEAR`] to [`LAST_YEAR`].
pub(crate) fn year(field: &'static str, value: &str) -> Result<i32, FieldError> {
    let text = ascii_digits(value);
    let text = text.trim_end_matches('年');
    match text.parse::<i32>() {
        Ok(y) if (FIRST_YEAR..=LAST_YEAR).contains(&y) => Ok(y),
        _ => Err(FieldError::new(
            field,
            format!(
                "“{}”不是年份：应为 {FIRST_YEAR}–{LAST_YEAR} 之间的年份，如 2026",
                shown(value)
            ),
            format!(
                "\"{}\" is not a year: expected a year from {FIRST_YEAR} to {LAST_YEAR}, e.g. 2026",
                shown(value)
            ),
        )),
    }
}

/// A service session's duration: see [`parse_minutes`]; from 1 minute to [`MAX_MINUTES`].
pub(crate) fn duration(field: &'static str, value: &str) -> Result<i64, FieldError> {
    let accepted_zh = "如 1.5（小时）、1小时30分、90分钟";
    let accepted_en = "e.g. 1.5 (hours), 1小时30分 or 90分钟";
    if value.trim().is_empty() {
        return Err(FieldError::new(
            field,
            format!("不能为空：{accepted_zh}"),
            format!("must not be blank: {accepted_en}"),
        ));
    }
    match parse_minutes(value) {
        None => Err(FieldError::new(
            field,
            format!("“{}”不是时长：{accepted_zh}", shown(value)),
            format!("\"{}\" is not a duration: {accepted_en}", shown(value)),
        )),
        Some(0) => Err(FieldError::new(
            field,
            format!("“{}”不足半分钟：时长至少 1 分钟", shown(value)),
            format!(
                "\"{}\" is under half a minute: at least 1 minute",
                shown(value)
            ),
        )),
        Some(m) if m > MAX_MINUTES => Err(FieldError::new(
            field,
            format!("{m} 分钟超过一天：一次服务最长 24 小时"),
            format!("{m} minutes is more than a day: one session is at most 24 hours"),
        )),
        Some(m) => Ok(m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_the_office_writes_them() {
        for (text, minutes) in [
            ("1.5", 90),
            ("2", 120),
            ("1小时30分", 90),
            ("1小时30分钟", 90),
            ("90分钟", 90),
            ("90分", 90),
            ("1.5小时", 90),
            (" 2 h ", 120),
            ("45min", 45),
            ("１.５", 90),
            ("0.01", 1),
            ("0.5分钟", 1),
            ("0.25", 15),
        ] {
            assert_eq!(parse_minutes(text), Some(minutes), "{text}");
        }
        for text in [
            "",
            "abc",
            "1.5.2",
            "90分钟30",
            "-1",
            "一小时",
            "1小时x",
            ".",
        ] {
            assert_eq!(parse_minutes(text), None, "{text}");
        }
        assert_eq!(parse_minutes("0.001"), Some(0));
        assert_eq!(duration(key::DURATION, "90分钟"), Ok(90));
        assert!(duration(key::DURATION, "0.001").is_err());
        assert!(duration(key::DURATION, "25小时").is_err());
        assert!(duration(key::DURATION, "").is_err());
    }

    fn day(text: &str) -> NaiveDate {
        parse_ymd(text).expect("valid date")
    }

    #[test]
    fn dates_must_be_real_and_in_range() {
        assert_eq!(date("due", "2026-11-28"), Ok(day("2026-11-28")));
        assert_eq!(date("due", " ２０２６－１１－２８ "), Ok(day("2026-11-28")));
        for bad in [
            "",
            "2026-02-30",
            "2026/11/28",
            "28-11-2026",
            "tomorrow",
            "2026-1-5",
        ] {
            let err = date("due", bad).expect_err(bad);
            assert!(err.en.contains("YYYY-MM-DD"), "{bad}: {}", err.en);
            assert!(err.zh.contains("YYYY-MM-DD"), "{bad}: {}", err.zh);
        }
        let err = date("due", "2206-01-01").expect_err("year");
        assert!(err.en.contains("2000–2099"), "{}", err.en);
    }

    #[test]
    fn past_dates_not_after_today() {
        let today = day("2026-11-28");
        assert_eq!(past_date("held-on", "2026-11-28", today), Ok(today));
        let err = past_date("held-on", "2026-11-29", today).expect_err("future");
        assert!(err.en.contains("after today (2026-11-28)"), "{}", err.en);
        assert!(err.zh.contains("晚于今天"), "{}", err.zh);
    }

    #[test]
    fn counts_are_whole_non_negative_and_bounded() {
        assert_eq!(count("actual", "0", 0), Ok(0));
        assert_eq!(count("actual", " 12 ", 0), Ok(12));
        assert_eq!(count("actual", "１２", 0), Ok(12));
        assert!(
            count("planned", "0", 1)
                .expect_err("zero")
                .en
                .contains("from 1")
        );
        assert!(
            count("actual", "-3", 0)
                .expect_err("neg")
                .en
                .contains("negative")
        );
        assert!(
            count("actual", "100001", 0)
                .expect_err("big")
                .en
                .contains("out of range")
        );
        for bad in ["", "1.5", "1e3", "ten", "十", "+5", "99999999999999999999"] {
            let err = count("actual", bad, 0).expect_err(bad);
            assert!(err.en.contains("whole number from 0"), "{bad}: {}", err.en);
        }
        assert_eq!(optional_count("attendees", "  ", 0), Ok(None));
    }

    #[test]
    fn texts_are_trimmed_single_line_and_bounded() {
        assert_eq!(
            required_text("title", "  老年兴趣小组 ", MAX_TITLE),
            Ok("老年兴趣小组".to_string())
        );
        assert_eq!(
            required_text("title", "   ", MAX_TITLE),
            Err(blank("title"))
        );
        let long = "字".repeat(MAX_TITLE + 1);
        let err = required_text("title", &long, MAX_TITLE).expect_err("long");
        assert!(
            err.zh.contains("101") && err.zh.contains("100"),
            "{}",
            err.zh
        );
        for bad in ["a\nb", "a\tb", "a\u{1b}[31mb", "a\u{202E}b"] {
            let err = required_text("title", bad, MAX_TITLE).expect_err(bad);
            assert!(err.en.contains("control"), "{}", err.en);
        }
        assert_eq!(optional_text("note", "", MAX_NOTE), Ok(None));
    }

    #[test]
    fn ids_are_positive() {
        assert_eq!(id("project", "12"), Ok(12));
        assert_eq!(id("project", "#12"), Ok(12));
        for bad in ["", "0", "-1", "abc", "1.0"] {
            assert!(id("project", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn raw_fields_and_lines() {
        let raw = Raw::new().with(key::DUE, "x").with(key::DUE, "y");
        assert_eq!(raw.get(key::DUE), "y");
        assert_eq!(raw.get(key::TITLE), "");
        let err = blank(key::REASON);
        assert_eq!(err.line(Lang::Zh), "调整原因（--reason）：不能为空");
        assert_eq!(err.line(Lang::En), "reason (--reason): must not be blank");
    }
}
