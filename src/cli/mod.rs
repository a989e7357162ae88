//! The command line: global flags, subcommands, and which file they work on.

mod adjust;
mod assess;
mod backup;
mod commands;
mod copy;
mod generate;
mod help_zh;
mod review;
mod settings;
mod spreadsheet;

pub use adjust::{AdjustCommand, LogArgs, LogFormat};

pub use crate::context::{Context, DbChoice, default_db_path, notice_text};
pub use commands::{compute_report, context_from, problem_text, run};
pub use generate::GenerateArgs;
pub use help_zh::localize as localize_help_zh;
pub use review::ReviewArgs;
pub use settings::SettingsArgs;

use crate::i18n::{Lang, process_lang};
use crate::report::Format;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "gongjian",
    version = version_text(),
    about = "共建 — 契约化共建工作台 / co-building dashboard for sub-district offices",
    long_about = None
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// The shared database file (else $GONGJIAN_DB, else the default file with the demo district)
    #[arg(long, global = true, value_name = "PATH", env = "GONGJIAN_DB")]
    pub db: Option<PathBuf>,
    /// Use this day's calendar instead of today's (YYYY-MM-DD): its year, its quarters and the
    /// days overdue counted to it, applied to the data as it is now. A record dated after that
    /// day still counts wherever the definitions do not leave it out (a project done later
    /// counts as done; only activities are cut at that day)
    #[arg(long, global = true, value_name = "YYYY-MM-DD", value_parser = parse_date_arg)]
    pub today: Option<NaiveDate>,
    /// Language of the screen and messages: zh (default) or en (else $GONGJIAN_LANG)
    #[arg(long, global = true, value_name = "zh|en", value_parser = parse_lang_arg)]
    pub lang: Option<Lang>,
    /// Open the file read-only: nothing is written
    #[arg(long, global = true)]
    pub readonly: bool,
    /// Who makes adjustments (经办人; else $GONGJIAN_OPERATOR, else the login name); with
    /// `log`: only this operator's entries
    #[arg(long, global = true, value_name = "NAME")]
    pub operator: Option<String>,
    /// The dashboard's look: projector (default, high contrast) or classic (else
    /// $GONGJIAN_THEME)
    #[arg(long, global = true, value_enum, env = "GONGJIAN_THEME")]
    pub theme: Option<crate::context::ThemeName>,
    /// The street this terminal shows (its name, part of its name, or id) in the dashboard and
    /// the review; remembered for this database on this account. `all`: every street (and
    /// forget it)
    #[arg(long, global = true, value_name = "NAME|ID|all")]
    pub street: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the figures of every community (or one) without the dashboard
    Report {
        /// text, json, csv or md
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Only this community (its id)
        #[arg(long, value_name = "ID")]
        community: Option<i64>,
    },
    /// Year-end assessment (年终考评): grades beside the year's record, contradicted
    /// self-grades, and the model communities and units
    Assess(assess::AssessArgs),
    /// Create a new database file (empty, or with the demo district); never overwrites
    #[command(after_help = FIRST_WEEK)]
    Init {
        path: PathBuf,
        /// Fill it with the demo district, dated around today
        #[arg(long)]
        demo: bool,
    },
    /// Record an adjustment (调整) with its reason; prints the new log entry's id
    Adjust {
        #[command(subcommand)]
        action: AdjustCommand,
    },
    /// Show the adjustment log (调整记录), newest first
    Log(LogArgs),
    /// Create a synthetic district for scale tests (dates around --today); never overwrites
    Generate(GenerateArgs),
    /// Weekly review (周例会回顾) of the flagged communities; with --export, write its minutes
    Review(ReviewArgs),
    /// Copy the database to a new file while others keep working; the copy is checked
    Backup {
        /// Where to write the copy (must not exist: never overwritten)
        file: PathBuf,
    },
    /// Copy a district between an SQLite file and a PostgreSQL database (postgres://…), either
    /// way, into a new file or an empty database; row counts are compared afterwards
    Copy {
        /// The district to copy: a file, or postgres://… (only read, never changed)
        #[arg(value_name = "FROM")]
        from: String,
        /// A new file, or an empty PostgreSQL database (or one holding an empty district)
        #[arg(value_name = "TO")]
        to: String,
    },
    /// Import the office's lists from .xlsx/.xls/.ods/.csv files: all or nothing, logged
    Import {
        /// One or more spreadsheets; each sheet is recognised by its headers
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Show what would be created, updated and left alone; write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Export the panels for the leadership: FILE.xlsx (a sheet per panel) or FILE.csv (the summary)
    Export {
        #[arg(value_name = "FILE", required_unless_present = "service_cards")]
        file: Option<PathBuf>,
        /// Replace FILE if it exists
        #[arg(long)]
        force: bool,
        /// Write one service card per unit for QUARTER (2026Q3) into the folder DIR: its
        /// members' sessions and hours in each community, to return to the unit
        #[arg(long, num_args = 2, value_names = ["QUARTER", "DIR"], conflicts_with = "file")]
        service_cards: Option<Vec<String>>,
    },
    /// Write an empty workbook with every list's sheet and headers, to fill in and import
    Template {
        #[arg(value_name = "FILE.xlsx")]
        file: PathBuf,
        /// Replace FILE if it exists
        #[arg(long)]
        force: bool,
    },
    /// List the shared settings (预警线) with value, default and meaning; or change one:
    /// `settings KEY VALUE --reason TEXT` (validated, logged, undoable)
    Settings(SettingsArgs),
    /// Print the shell completion script: `gongjian completions bash > /etc/bash_completion.d/gongjian`
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `gongjian man > gongjian.1 && man ./gongjian.1`
    Man,
}

/// `gongjian init --help`: the first week, from the office's sheets to the weekly meeting.
const FIRST_WEEK: &str = "\
The first week / 第一周：从本单位的 Excel 表格到周例会, one command a step:
  1. gongjian init 共建.db                                  an empty file / 新建空数据库
  2. gongjian template 模板.xlsx                            a sheet per list, headers, drop-downs / 导入模板
  3. fill it in, or keep the office's own sheets (headers are recognised) / 填写模板或沿用本单位表格
  4. gongjian --db 共建.db import --dry-run 项目清单.xlsx    what would be created; writes nothing / 试导入
  5. gongjian --db 共建.db import 项目清单.xlsx              all or nothing, logged / 导入
  6. gongjian --db 共建.db report                           the figures / 统计结果
     gongjian --db 共建.db                                  the dashboard for the meeting / 周例会看板
To look around first / 先看演示数据: gongjian init demo.db --demo && gongjian --db demo.db";

/// `--version`: the program's version and the schema version (`PRAGMA user_version`) it writes.
fn version_text() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        format!(
            "{} (schema version {} / 数据库结构版本 {})",
            env!("CARGO_PKG_VERSION"),
            crate::store::KNOWN_VERSION,
            crate::store::KNOWN_VERSION
        )
    })
}

/// `--today` (and every date argument): a real calendar date written `YYYY-MM-DD`, in the
/// years every form and import accepts, so that nothing derived from it (a generated district
/// two years either side, a due date) is a date the program would refuse to read back.
pub fn parse_date_arg(text: &str) -> Result<NaiveDate, String> {
    use chrono::Datelike;
    let (first, last) = (crate::adjust::FIRST_YEAR, crate::adjust::LAST_YEAR);
    let lang = process_lang();
    let date = crate::dates::parse_ymd(text).ok_or_else(|| {
        lang.pick(
            "不是有效日期，应为 YYYY-MM-DD 格式的真实日期，如 2026-11-28",
            "not a valid date: expected a real date as YYYY-MM-DD, e.g. 2026-11-28",
        )
        .to_string()
    })?;
    if !(first..=last).contains(&date.year()) {
        return Err(match lang {
            Lang::Zh => format!("年份应在 {first}–{last} 之间"),
            Lang::En => format!("the year must be between {first} and {last}"),
        });
    }
    Ok(date)
}

fn parse_lang_arg(text: &str) -> Result<Lang, String> {
    Lang::parse(text).ok_or_else(|| "zh | en".to_string())
}
