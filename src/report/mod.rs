//! The headless report: the same figures as the panels, as JSON (the contract of DOMAIN.md),
//! an aligned text table, Markdown minutes, or CSV for spreadsheets.

mod csv;

pub(crate) use csv::summary_headers;
mod markdown;
mod text;

pub(crate) use markdown::md;

use crate::i18n::Lang;
use crate::indicators::{Pct, Report};

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
