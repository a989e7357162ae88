//! The headless report: the same figures as the panels, as JSON (the contract of DOMAIN.md),
//! an aligned text table, Markdown minutes, or CSV for spreadsheets.

pub mod assess;
mod csv;

pub(crate) use csv::summary_headers;
mod markdown;
mod more;
mod text;

pub(crate) use markdown::md;

use crate::error::Result;
use crate::i18n::Lang;
use crate::indicators::{Pct, Report};
use crate::model::{DataProblem, District};
use chrono::NaiveDate;
use rusqlite::Connection;

/// One read of the file and the report computed from it.
#[derive(Debug, Clone)]
pub struct Built {
    pub report: Report,
    /// Rows the contract does not allow, left out of the figures.
    pub problems: Vec<DataProblem>,
    /// What was read (its `problems` moved to the field above); the year's activity rows only
    /// when the summaries could not stand in for them.
    pub district: District,
}

/// The one builder of the report for `today`: thresholds, rows (through the summaries when they
/// can be trusted) and figures, all from one moment of the file (one read transaction, or the
/// caller's). The CLI, the dashboard, the review, the export and the minutes all take their
/// figures from here.
pub fn build(conn: &Connection, today: NaiveDate) -> Result<Built> {
    crate::store::in_read_transaction(conn, |tx| {
        let thresholds = crate::store::read_thresholds(tx)?;
        let mut day = crate::store::load_day(tx, today)?;
        let report = crate::indicators::compute_day(&day, today, &thresholds);
        let problems = std::mem::take(&mut day.district.problems);
        Ok(Built {
            report,
            problems,
            district: day.district,
        })
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Csv,
    Md,
}

/// Renders the report. CSV starts with a UTF-8 byte-order mark so that Excel reads Chinese.
pub fn render(report: &Report, format: Format, lang: Lang) -> String {
    match format {
        Format::Json => {
            let mut json = crate::text::escape_json_controls(
                &serde_json::to_string_pretty(report).unwrap_or_default(),
            );
            json.push('\n');
            json
        }
        Format::Text => text::render(report, lang),
        Format::Md => markdown::render(report, lang),
        Format::Csv => csv::render(report, lang),
    }
}

/// `70.0%`, or `-` where there is no denominator.
pub fn pct_text(pct: Option<Pct>) -> String {
    pct.map_or_else(|| "-".to_string(), |p| format!("{p}%"))
}

/// `7/10 70.0%`
pub fn ratio_text(part: u32, whole: u32, pct: Option<Pct>) -> String {
    format!("{part}/{whole} {}", pct_text(pct))
}
