//! `gongjian import`, `export` and `template` (issue 8): spreadsheets in and out.

use super::commands::{compute_report, problem_text};
use crate::adjust;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::spreadsheet::{self, ImportOptions};
use crate::store::Access;
use std::io::Write;
use std::path::Path;

fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}

pub fn import_command(ctx: &Context, files: &[std::path::PathBuf], dry_run: bool) -> Result<()> {
    // Who imports (经办人), checked as an adjustment's operator is.
    let operator = crate::fields::required_text(
        adjust::key::OPERATOR,
        &adjust::default_operator(ctx.operator.as_deref()),
        adjust::MAX_OPERATOR,
    )
    .map_err(|e| Error::Invalid(vec![e]))?;
    let mut store = ctx.open_store(if dry_run {
        Access::ReadOnly
    } else {
        Access::ReadWrite
    })?;
    if !dry_run && store.is_read_only() {
        return Err(Error::ReadOnly(store.path().to_path_buf()));
    }
    let options = ImportOptions {
        files: files.to_vec(),
        dry_run,
        operator,
        today: ctx.today,
        now: chrono::Utc::now(),
    };
    let outcome = spreadsheet::import_files(&mut store, &options)?;
    for p in outcome.unreadable() {
        eprintln!("{}", problem_text(p, ctx.lang));
    }
    print(&outcome.render(ctx.lang));
    Ok(())
}

/// The extension of `path`, lower-cased.
fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

fn wrong_extension(path: &Path, accepted: &str) -> Error {
    Error::plain(
        format!(
            "{}：无法从文件名判断要写成哪种格式；可用：{accepted}",
            path.display()
        ),
        format!(
            "{}: the file name does not say which format to write; accepted: {accepted}",
            path.display()
        ),
    )
}

pub fn export_command(ctx: &Context, path: &Path, force: bool) -> Result<()> {
    let ext = extension(path);
    if ext != "xlsx" && ext != "csv" {
        return Err(wrong_extension(path, "FILE.xlsx, FILE.csv"));
    }
    let store = ctx.open_store(Access::ReadOnly)?;
    let (report, problems) = compute_report(&store, ctx.today)?;
    for p in &problems {
        eprintln!("{}", problem_text(p, ctx.lang));
    }
    let bytes = if ext == "xlsx" {
        spreadsheet::export_xlsx(&report, ctx.lang)?
    } else {
        spreadsheet::export_csv(&report, ctx.lang)
    };
    crate::files::write_file(path, &bytes, force)?;
    println!(
        "{}",
        match ctx.lang {
            Lang::Zh => format!(
                "已导出 {}：{} 个社区，统计日期 {}",
                path.display(),
                report.communities.len(),
                report.today
            ),
            Lang::En => format!(
                "exported {}: {} communities, as of {}",
                path.display(),
                report.communities.len(),
                report.today
            ),
        }
    );
    Ok(())
}

pub fn template_command(ctx: &Context, path: &Path, force: bool) -> Result<()> {
    if extension(path) != "xlsx" {
        return Err(wrong_extension(path, "FILE.xlsx"));
    }
    let bytes = spreadsheet::template_workbook(ctx.lang)?;
    crate::files::write_file(path, &bytes, force)?;
    println!(
        "{}",
        match ctx.lang {
            Lang::Zh => format!(
                "已生成模板 {}；填好后用 gongjian import {} 导入（可先加 --dry-run 试运行）",
                path.display(),
                path.display()
            ),
            Lang::En => format!(
                "wrote the template {}; fill it in, then gongjian import {} (try --dry-run first)",
                path.display(),
                path.display()
            ),
        }
    );
    Ok(())
}
