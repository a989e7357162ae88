//! The headless report: the same figures as the panels, as JSON (the contract of DOMAIN.md),
//! an aligned text table, Markdown minutes, or CSV for spreadsheets.

pub mod assess;
mod csv;

pub(crate) use csv::summary_headers;
mod markdown;
mod more;
pub(crate) use more::{SummaryCell, summary_cells, summary_headers as more_summary_headers};
mod text;

pub(crate) use markdown::md;

use crate::error::Result;
use crate::i18n::Lang;
use crate::indicators::{Pct, Report};
use crate::model::{DataProblem, District};
use crate::store::Scope;
use chrono::NaiveDate;
use rusqlite::Connection;

/// One read of the file and the report computed from it.
#[derive(Debug, Clone)]
pub struct Built {
    pub report: Report,
    /// Rows the contract does not allow, left out of the figures.
    pub problems: Vec<DataProblem>,
    /// What was read (its `problems` moved to the field above); the year's activity rows only
    /// when the summaries could not stand in for them, and for the whole district through the
    /// summaries not the projects either (they were folded as they were read; only those the
    /// year's surveys name are here).
    pub district: District,
}

/// The one builder of the report for `today`: thresholds, rows (through the summaries when they
/// can be trusted) and figures, all from one moment of the file (one read transaction, or the
/// caller's). The CLI, the dashboard, the review, the export and the minutes all take their
/// figures from here.
pub fn build(conn: &Connection, today: NaiveDate) -> Result<Built> {
    build_in(conn, today, Scope::District)
}

/// [`build`] for the part of the district that `scope` names: for one community, only its rows
/// are read (through the per-community indexes), and its figures are those the whole district's
/// report gives it.
pub fn build_in(conn: &Connection, today: NaiveDate, scope: Scope) -> Result<Built> {
    crate::store::in_read_transaction(conn, |tx| {
        let thresholds = crate::store::read_thresholds(tx)?;
        let mut day = match scope {
            Scope::District => crate::store::load_day_folded(tx, today, &thresholds)?,
            Scope::Community(_) => crate::store::load_day_in(tx, today, scope)?,
        };
        let report = crate::indicators::compute_day(&day, today, &thresholds);
        let problems = std::mem::take(&mut day.district.problems);
        Ok(Built {
            report,
            problems,
            district: day.district,
        })
    })
}

/// [`build_in`] on either engine: a SQLite file, or a PostgreSQL read transaction
/// ([`crate::store::pg::PgStore::read`]); the same readers and the same figures.
pub fn build_on(
    src: &dyn crate::store::rows::Source,
    today: NaiveDate,
    scope: Scope,
) -> Result<Built> {
    if let Some(conn) = src.sqlite() {
        return build_in(conn, today, scope);
    }
    let thresholds = crate::store::read_thresholds(src)?;
    let mut day = crate::store::load_day_on(src, today, scope)?;
    let report = crate::indicators::compute_day(&day, today, &thresholds);
    let problems = std::mem::take(&mut day.district.problems);
    Ok(Built {
        report,
        problems,
        district: day.district,
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

/// Writes the report as [`render`] does, without holding the whole text: JSON is written as it
/// is serialized, through a writer that escapes what a terminal could act on.
pub fn write(
    report: &Report,
    format: Format,
    lang: Lang,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            use std::io::Write as _;
            // serde_json writes token by token: buffered before the escaper looks at them.
            let mut safe = std::io::BufWriter::with_capacity(
                1 << 16,
                crate::text::JsonControlsEscaper::new(out),
            );
            serde_json::to_writer_pretty(&mut safe, report)?;
            safe.write_all(b"\n")?;
            safe.flush()
        }
        other => out.write_all(render(report, other, lang).as_bytes()),
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
