//! Dates as offices type them into Excel and WPS, turned into the `YYYY-MM-DD` of the shared file.
//!
//! Accepted: `2026-11-28`, `2026/11/28`, `2026/11/8`, `2026.11.28`, `2026年11月28日` (also with
//! 号 for 日), `20261128`, full-width digits and separators, a time after the date (dropped), and Excel date
//! cells (read by the caller and handed over as a date). Two-digit years, day-first and
//! month-first orders are refused: `11/8/2026` could be either.

use chrono::NaiveDate;

/// What the user is told is accepted, in both languages.
pub const ACCEPTED_ZH: &str = "日期，如 2026-11-28、2026/11/28、2026/11/8、2026年11月28日、2026.11.28、20261128，或 Excel 日期单元格";
pub const ACCEPTED_EN: &str = "a date such as 2026-11-28, 2026/11/28, 2026/11/8, 2026年11月28日, 2026.11.28, 20261128, or an Excel date cell";

/// Why a text is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not in any accepted form.
    Form,
    /// In an accepted form but not a real calendar day (`2026-02-30`).
    NoSuchDay,
}

/// Parses a date typed as text. Surrounding spaces are ignored.
pub fn parse_date_text(text: &str) -> Result<NaiveDate, DateError> {
    let text: String = text.trim().chars().map(half_width).collect();
    let date_part = strip_time(&text);
    let (year, month, day) = split_ymd(date_part).ok_or(DateError::Form)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::NoSuchDay)
}

/// Full-width digits and separators, as a Chinese input method types them, to ASCII.
fn half_width(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '／' => '/',
        '－' | '—' | '–' => '-',
        '．' | '。' => '.',
        '：' => ':',
        '\u{3000}' => ' ',
        other => other,
    }
}

/// Drops a time of day after the date: `2026/11/28 14:30`, `2026-11-28T00:00:00`.
fn strip_time(text: &str) -> &str {
    let cut = text.find([' ', 'T']).unwrap_or(text.len());
    let (date, rest) = text.split_at(cut);
    let time = rest.trim_start_matches([' ', 'T']).trim();
    let time_like = !time.is_empty()
        && time.contains(':')
        && time
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | 'Z' | '+' | '-'));
    if rest.is_empty() || time_like {
        date
    } else {
        text
    }
}

fn split_ymd(text: &str) -> Option<(i32, u32, u32)> {
    if let Some(rest) = text.strip_suffix('日').or_else(|| text.strip_suffix('号')) {
        let (year, rest) = rest.split_once('年')?;
        let (month, day) = rest.split_once('月')?;
        return Some((
            number(year, 4, 4)? as i32,
            number(month, 1, 2)?,
            number(day, 1, 2)?,
        ));
    }
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some((
            number(&text[..4], 4, 4)? as i32,
            number(&text[4..6], 2, 2)?,
            number(&text[6..], 2, 2)?,
        ));
    }
    let separator = ['-', '/', '.'].into_iter().find(|s| text.contains(*s))?;
    let mut parts = text.split(separator);
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Some((
        number(year, 4, 4)? as i32,
        number(month, 1, 2)?,
        number(day, 1, 2)?,
    ))
}

/// A run of `min..=max` ASCII digits, spaces around it allowed.
fn number(text: &str, min: usize, max: usize) -> Option<u32> {
    let text = text.trim();
    if !(min..=max).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid")
    }

    #[test]
    fn every_accepted_form() {
        for text in [
            "2026-11-28",
            "2026/11/28",
            "2026.11.28",
            "2026年11月28日",
            "2026年11月28号",
            " 2026-11-28 ",
            "2026/11/28 0:00",
            "2026-11-28 00:00:00",
            "2026-11-28T00:00:00",
            "２０２６／１１／２８",
            "2026 年 11 月 28 日",
            "20261128",
        ] {
            assert_eq!(parse_date_text(text), Ok(d(2026, 11, 28)), "{text:?}");
        }
        assert_eq!(parse_date_text("2026/11/8"), Ok(d(2026, 11, 8)));
        assert_eq!(parse_date_text("2026-1-5"), Ok(d(2026, 1, 5)));
        assert_eq!(parse_date_text("2026年1月5日"), Ok(d(2026, 1, 5)));
        assert_eq!(parse_date_text("2026.1.05"), Ok(d(2026, 1, 5)));
    }

    #[test]
    fn refused_forms() {
        for text in [
            "",
            "明天",
            "26/11/28",
            "11/28/2026",
            "28.11.2026",
            "2026-11",
            "2026-11-28-1",
            "2026/11-28",
            "2026年11月",
            "2026-11-28 下午",
            "2026-011-28",
        ] {
            assert_eq!(parse_date_text(text), Err(DateError::Form), "{text:?}");
        }
        assert_eq!(parse_date_text("2026-02-30"), Err(DateError::NoSuchDay));
        assert_eq!(parse_date_text("2026年13月1日"), Err(DateError::NoSuchDay));
        assert_eq!(parse_date_text("2025/2/29"), Err(DateError::NoSuchDay));
    }
}
