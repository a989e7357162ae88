//! `gongjian assess`: the year-end assessment of a year.

use super::Context;
use crate::error::{Error, Result};
use crate::indicators::assessment::{Assessment, YearRecord};
use crate::report::assess::{AssessFormat, explain_community, explain_unit, render};
use crate::store::pg;
use crate::store::{self, Access};
use chrono::NaiveDate;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Args)]
pub struct AssessArgs {
    /// The year assessed (default: the year of today)
    #[arg(long, value_name = "YYYY")]
    pub year: Option<i32>,
    /// text, json, md, or xlsx (a workbook for the district: needs --output FILE.xlsx)
    #[arg(long, value_enum, default_value = "text")]
    pub format: AssessOutput,
    /// Write to FILE instead of the terminal (required for xlsx)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the --output file if it exists
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Every figure behind this community's place, with the rows it came from
    #[arg(long, value_name = "ID", conflicts_with = "unit")]
    pub community: Option<i64>,
    /// Every figure behind this unit's place, with the rows it came from
    #[arg(long, value_name = "ID")]
    pub unit: Option<i64>,
}

/// What `assess` writes: one of the report's formats, or the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AssessOutput {
    Text,
    Json,
    Md,
    Xlsx,
}

pub use crate::report::assess::assessment_day;

/// Reads the file and assesses the year of `today` (see [`crate::report::assess::compute`]).
pub fn compute_assessment(
    store: &store::Store,
    today: NaiveDate,
) -> Result<(YearRecord, Assessment, Vec<crate::model::DataProblem>)> {
    crate::report::assess::compute(store, today)
}

pub fn run_assess(ctx: &Context, args: &AssessArgs) -> Result<()> {
    let (_, today) = assessment_day(args.year, ctx.fixed_today, crate::dates::local_today())?;
    let (record, verdict, problems) = match ctx.db.path().to_str().filter(|t| pg::is_pg_url(t)) {
        Some(text) => {
            let url = pg::PgUrl::parse(text, super::commands::given(text))?;
            pg::PgStore::open(&url, Access::ReadOnly)?
                .read(|src| crate::report::assess::compute_on(src, today))?
        }
        None => compute_assessment(&ctx.open_store(Access::ReadOnly)?, today)?,
    };
    for p in &problems {
        eprintln!("{}", super::problem_text(p, ctx.lang));
    }
    let text = if let Some(id) = args.community {
        explain_community(&record, &verdict, id, ctx.lang).ok_or(Error::UnknownCommunity(id))?
    } else if let Some(id) = args.unit {
        explain_unit(&record, &verdict, id, ctx.lang).ok_or_else(|| {
            Error::plain(
                format!("没有编号为 {id} 的驻区单位"),
                format!("no unit with id {id}"),
            )
        })?
    } else {
        let format = match args.format {
            AssessOutput::Text => AssessFormat::Text,
            AssessOutput::Json => AssessFormat::Json,
            AssessOutput::Md => AssessFormat::Md,
            AssessOutput::Xlsx => {
                let Some(path) = &args.output else {
                    return Err(Error::plain(
                        "--format xlsx 要写入文件：加 --output 文件.xlsx",
                        "--format xlsx writes a file: add --output FILE.xlsx",
                    ));
                };
                let bytes =
                    crate::spreadsheet::assess::assess_workbook(&record, &verdict, ctx.lang)?;
                crate::files::write_file(path, &bytes, args.force)?;
                println!(
                    "{}",
                    match ctx.lang {
                        crate::i18n::Lang::Zh => format!(
                            "已写出 {} 年年终考评 {}：{} 个社区、{} 个驻区单位，示范社区候选 {} 个，优秀驻区单位候选 {} 个",
                            verdict.year,
                            path.display(),
                            verdict.communities.len(),
                            verdict.units.len(),
                            verdict.model_communities.len(),
                            verdict.model_units.len()
                        ),
                        crate::i18n::Lang::En => format!(
                            "wrote the year-end assessment {} to {}: {} communities, {} units, {} model-community and {} model-unit candidates",
                            verdict.year,
                            path.display(),
                            verdict.communities.len(),
                            verdict.units.len(),
                            verdict.model_communities.len(),
                            verdict.model_units.len()
                        ),
                    }
                );
                return Ok(());
            }
        };
        render(&record, &verdict, format, ctx.lang)
    };
    if let Some(path) = &args.output {
        crate::files::write_file(path, text.as_bytes(), args.force)?;
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn d(text: &str) -> NaiveDate {
        crate::dates::parse_ymd(text).expect("valid")
    }

    #[test]
    fn the_day_of_the_assessment() {
        let local = d("2027-02-10");
        assert_eq!(
            assessment_day(Some(2026), None, local).expect("past year"),
            (2026, d("2026-12-31"))
        );
        assert_eq!(
            assessment_day(Some(2027), None, local).expect("this year"),
            (2027, local)
        );
        assert_eq!(
            assessment_day(None, None, local).expect("default"),
            (2027, local)
        );
        assert_eq!(
            assessment_day(None, Some(d("2026-06-30")), local).expect("year of --today"),
            (2026, d("2026-06-30"))
        );
        assert_eq!(
            assessment_day(Some(2026), Some(d("2026-12-31")), local).expect("in year"),
            (2026, d("2026-12-31"))
        );
        let future = assessment_day(Some(2028), None, local).expect_err("future");
        for lang in [Lang::Zh, Lang::En] {
            let text = future.message(lang);
            assert!(
                text.contains("2028") && text.contains("2027-02-10"),
                "{text}"
            );
        }
        let outside =
            assessment_day(Some(2026), Some(d("2027-01-01")), local).expect_err("outside");
        for lang in [Lang::Zh, Lang::En] {
            let text = outside.message(lang);
            assert!(
                text.contains("2026") && text.contains("2027-01-01"),
                "{text}"
            );
        }
    }
}
