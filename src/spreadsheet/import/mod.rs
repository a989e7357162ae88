//! `gongjian import`: the office's lists into the shared file, all or nothing.
//!
//! 1. [`parse::parse_files`] reads every file and sheet, recognises each sheet by its headers
//!    and reads every cell, collecting every problem (nothing stops at the first).
//! 2. Inside one IMMEDIATE transaction ([`Store::write`]), [`plan::plan`] applies the rows to
//!    what the file holds now and works out each creation and change, with more problems
//!    (a community that cannot be found, two rows that disagree …).
//! 3. Only when there is no problem at all, [`apply::execute`] writes the changes and one log
//!    entry each, in that same transaction. A dry run stops after step 2, on a read
//!    transaction, and writes nothing.

mod apply;
pub mod parse;
pub mod plan;
mod summary;

pub use apply::ACTION;

use super::Problem;
use super::headers::List;
use crate::error::Error;
use crate::i18n::Lang;
use crate::store::WriteStore;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use std::collections::HashSet;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub files: Vec<PathBuf>,
    pub dry_run: bool,
    /// Who is importing (经办人), for the log.
    pub operator: String,
    /// The day against which completion dates are checked (not after it).
    pub today: NaiveDate,
    /// When the log entries are written.
    pub now: DateTime<Utc>,
}

/// Why an import did not happen.
#[derive(Debug)]
pub enum ImportError {
    /// Problems in the files (or between the files and the database): nothing was written.
    Problems(Vec<Problem>),
    /// The database could not be read or written.
    Store(Error),
}

impl From<Error> for ImportError {
    fn from(e: Error) -> Self {
        ImportError::Store(e)
    }
}

impl From<rusqlite::Error> for ImportError {
    fn from(e: rusqlite::Error) -> Self {
        ImportError::Store(e.into())
    }
}

impl From<ImportError> for Error {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Problems(problems) => super::problems_error(&problems),
            ImportError::Store(e) => e,
        }
    }
}

/// What an import did, or would do.
#[derive(Debug)]
pub struct ImportOutcome {
    parsed: parse::Parsed,
    plan: plan::Plan,
    dry_run: bool,
    operator: String,
    /// Entries written to the adjustment log (0 in a dry run).
    pub log_entries: usize,
}

impl ImportOutcome {
    /// Rows created, updated and left alone, per list.
    pub fn counts(&self, list: List) -> plan::Counts {
        self.plan.counts.get(&list).copied().unwrap_or_default()
    }

    /// Rows of the file that could not be read and so were not matched, each to be named.
    pub fn unreadable(&self) -> &[crate::model::DataProblem] {
        &self.plan.world.unreadable
    }

    /// Creations and changes (written, or that a dry run would write).
    pub fn changes(&self) -> usize {
        self.plan.ops.len()
    }

    pub fn render(&self, lang: Lang) -> String {
        summary::render(
            &summary::SummaryInput {
                parsed: &self.parsed,
                plan: &self.plan,
                dry_run: self.dry_run,
                operator: &self.operator,
                log_entries: self.log_entries,
            },
            lang,
        )
    }
}

/// Imports the files into `store` (or, with `dry_run`, works out what that would do).
pub fn import_files(
    store: &mut impl WriteStore,
    options: &ImportOptions,
) -> Result<ImportOutcome, ImportError> {
    let parsed = parse::parse_files(&options.files, options.today);
    let lists: HashSet<List> = parsed.sheets.iter().map(parse::Sheet::list).collect();
    let problems_of = |parsed: &parse::Parsed, plan: &plan::Plan| -> Vec<Problem> {
        let mut all = parsed.problems.clone();
        all.extend(plan.problems.iter().cloned());
        // In the order the user reads the files: file, sheet, row, column.
        all.sort_by_cached_key(|p| {
            let file = parsed.sources.iter().position(|s| s.shown == p.file);
            let sheet = parsed
                .sheets
                .iter()
                .position(|s| Some(s.file) == file && s.name == p.sheet);
            let column = p
                .column
                .as_ref()
                .map(|(letter, _)| (letter.len(), letter.clone()));
            (file, p.sheet.is_some(), sheet, p.row, column)
        });
        all
    };
    if options.dry_run || !parsed.problems.is_empty() {
        // A dry run, or files already known to be refused: plan on one read transaction (every
        // row read at the same moment of the file) to find every problem, and write nothing.
        let world = store.read_on(|conn| match conn.sqlite() {
            Some(file) => {
                let tx = file.unchecked_transaction()?;
                let world = plan::load(&tx, &lists)?;
                tx.finish()?;
                Ok::<_, ImportError>(world)
            }
            // A server's read is one snapshot already.
            None => Ok(plan::load(conn, &lists)?),
        })?;
        let plan = plan::plan(world, &parsed);
        let problems = problems_of(&parsed, &plan);
        if !problems.is_empty() {
            return Err(ImportError::Problems(problems));
        }
        return Ok(ImportOutcome {
            parsed,
            plan,
            dry_run: true,
            operator: options.operator.clone(),
            log_entries: 0,
        });
    }
    let at = options.now.to_rfc3339_opts(SecondsFormat::Secs, true);
    let result = store.write_on(|tx| -> Result<_, Error> {
        let world = plan::load(tx, &lists)?;
        let mut plan = plan::plan(world, &parsed);
        let problems = problems_of(&parsed, &plan);
        if !problems.is_empty() {
            return Ok(Err(problems));
        }
        // Thousands of rows: the change counters are bumped once for all of them. An import
        // with nothing to write leaves the file byte for byte as it was.
        let written = match tx.sqlite() {
            Some(file) if !plan.ops.is_empty() => crate::store::changes::set_aside(file, || {
                apply::execute(tx, &mut plan, &parsed.sources, &options.operator, &at)
            })?,
            _ => apply::execute(tx, &mut plan, &parsed.sources, &options.operator, &at)?,
        };
        Ok(Ok((plan, written)))
    })?;
    match result {
        Err(problems) => Err(ImportError::Problems(problems)),
        Ok((plan, log_entries)) => Ok(ImportOutcome {
            parsed,
            plan,
            dry_run: false,
            operator: options.operator.clone(),
            log_entries,
        }),
    }
}
