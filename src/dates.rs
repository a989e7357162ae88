//! Dates as the shared file stores them: `YYYY-MM-DD` text, nothing looser.

use chrono::{Datelike, NaiveDate};

/// Parses exactly `YYYY-MM-DD` (four, two and two digits) into a real calendar date.
/// `2026-02-30`, `2026-1-5`, ` 2026-01-05` and `2026/01/05` are all refused.
pub fn parse_ymd(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let mut value = 0u32;
        for &b in &bytes[range] {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
        }
        Some(value)
    };
    let year = i32::try_from(digits(0..4)?).ok()?;
    let month = digits(5..7)?;
    let day = digits(8..10)?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The text form used everywhere: `YYYY-MM-DD`.
pub fn format_ymd(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// First and last day of the calendar year of `date`.
pub fn year_bounds(date: NaiveDate) -> (NaiveDate, NaiveDate) {
    let year = date.year();
    (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(date),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(date),
    )
}

/// Quarter index 0..=3 of a date (Q1 = January–March).
pub fn quarter_of(date: NaiveDate) -> usize {
    (date.month0() / 3) as usize
}

/// First and last day of quarter `q` (0..=3) of `year`.
pub fn quarter_bounds(year: i32, q: usize) -> (NaiveDate, NaiveDate) {
    let first_month = (q as u32) * 3 + 1;
    let start = NaiveDate::from_ymd_opt(year, first_month, 1).unwrap_or_default();
    let end = if q == 3 {
        NaiveDate::from_ymd_opt(year, 12, 31)
    } else {
        NaiveDate::from_ymd_opt(year, first_month + 3, 1).and_then(|d| d.pred_opt())
    }
    .unwrap_or_default();
    (start, end)
}

/// Today's date on this machine's clock, in local time.
pub fn local_today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_parse() {
        assert_eq!(
            parse_ymd("2026-11-28"),
            NaiveDate::from_ymd_opt(2026, 11, 28)
        );
        assert_eq!(
            parse_ymd("2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        for bad in [
            "2026-02-30",
            "2025-02-29",
            "2026-1-05",
            "2026/01/05",
            " 2026-01-05",
            "2026-01-05 ",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "",
            "二〇二六-01-01",
            "2026-01-0x",
        ] {
            assert_eq!(parse_ymd(bad), None, "{bad:?} must be refused");
        }
    }

    #[test]
    fn quarters() {
        let d = |s| parse_ymd(s).expect("valid");
        assert_eq!(quarter_of(d("2026-03-31")), 0);
        assert_eq!(quarter_of(d("2026-04-01")), 1);
        assert_eq!(quarter_of(d("2026-12-31")), 3);
        assert_eq!(quarter_bounds(2026, 0), (d("2026-01-01"), d("2026-03-31")));
        assert_eq!(quarter_bounds(2026, 1), (d("2026-04-01"), d("2026-06-30")));
        assert_eq!(quarter_bounds(2026, 3), (d("2026-10-01"), d("2026-12-31")));
        assert_eq!(
            year_bounds(d("2026-07-04")),
            (d("2026-01-01"), d("2026-12-31"))
        );
    }
}
