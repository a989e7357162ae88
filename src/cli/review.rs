//! `gongjian review`: the weekly review screen, or with `--export FILE.md` its minutes
//! (会议纪要) written headlessly.

use super::{Context, parse_date_arg, problem_text};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::store::Access;
use crate::store::rows::Source;
use chrono::NaiveDate;
use clap::Args;
use std::path::{Path, PathBuf};

/// `review` takes the global `--street NAME|ID|all` (the street this terminal shows).
#[derive(Debug, Clone, Args)]
pub struct ReviewArgs {
    /// Write the minutes (会议纪要) to this file instead of opening the review screen:
    /// FILE.md (Markdown that reads as plain text) or FILE.docx (Word, WPS)
    #[arg(long, value_name = "FILE.md|FILE.docx")]
    pub export: Option<PathBuf>,
    /// With --export: from this day on (default: the day the latest review started, else 7
    /// days before --today)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date_arg, requires = "export")]
    pub since: Option<NaiveDate>,
    /// With --export: replace the file if it exists
    #[arg(long, requires = "export")]
    pub force: bool,
}

pub fn run_review(ctx: &Context, args: &ReviewArgs) -> Result<()> {
    match &args.export {
        Some(path) => export_minutes(ctx, args, path),
        None => crate::dashboard::run_review(ctx),
    }
}

fn export_minutes(ctx: &Context, args: &ReviewArgs, path: &Path) -> Result<()> {
    let mut db = ctx.open_db(Access::ReadOnly)?;
    if let Some(store) = db.file()
        && same_file(path, store.path())
    {
        return Err(Error::plain(
            format!(
                "{} 是数据库文件本身，不能用来保存会议纪要；未写入任何内容",
                path.display()
            ),
            format!(
                "{} is the database file itself and cannot take the minutes; nothing was written",
                path.display()
            ),
        ));
    }
    if path.exists() && !args.force {
        return Err(Error::plain(
            format!(
                "{} 已存在，不会覆盖；如要覆盖，请加 --force。未写入任何内容",
                path.display()
            ),
            format!(
                "{} already exists and will not be overwritten; add --force to replace it. Nothing was written",
                path.display()
            ),
        ));
    }
    let text = db.read(|conn| minutes_text(ctx, args, conn))?;
    // FILE.docx: a Word file for offices that pass documents on in Word or WPS.
    let word = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    let bytes = if word {
        crate::review::minutes_docx(&text)?
    } else {
        text.into_bytes()
    };
    crate::files::write_file(path, &bytes, args.force)?;
    eprintln!(
        "{}",
        match ctx.lang {
            Lang::Zh => format!("已导出会议纪要：{}", path.display()),
            Lang::En => format!("wrote the minutes to {}", path.display()),
        }
    );
    Ok(())
}

/// The minutes' text, read from one moment of the district (file or server).
fn minutes_text(ctx: &Context, args: &ReviewArgs, conn: &dyn Source) -> Result<String> {
    let built = crate::report::build_on(conn, ctx.today, crate::store::Scope::District)?;
    let (mut report, problems) = (built.report, built.problems);
    let scope = ctx.street_scope(conn)?;
    if let Some(notice) = &scope.notice {
        eprintln!("{}", ctx.lang.pick(&notice.0, &notice.1));
    }
    if let Some(street) = &scope.street {
        report.communities.retain(|c| c.street_id == street.id);
        let name = crate::text::clean(&street.name);
        eprintln!(
            "{}",
            match ctx.lang {
                Lang::Zh => format!("只含{name}的社区（--street all 为全部街道）"),
                Lang::En => format!("{name}'s communities only (--street all for every street)"),
            }
        );
    }
    for p in &problems {
        eprintln!("{}", problem_text(p, ctx.lang));
    }
    crate::review::minutes(conn, &report, args.since, ctx.lang)
}

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
