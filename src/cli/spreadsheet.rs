//! `gongjian import`, `export` and `template` (issue 8): spreadsheets in and out.

use super::commands::problem_text;
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
    let mut store = ctx.open_db(if dry_run {
        Access::ReadOnly
    } else {
        Access::ReadWrite
    })?;
    if !dry_run && store.is_read_only() {
        return Err(match &store {
            crate::store::Db::File(file) => Error::ReadOnly(file.path().to_path_buf()),
            crate::store::Db::Server(_) => Error::ServerReadOnly(store.shown()),
        });
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
    // The file or the PostgreSQL database `--db` names.
    let built = super::commands::build_report(ctx, crate::store::Scope::District)?;
    let (report, problems) = (built.report, built.problems);
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

/// `export --service-cards QUARTER DIR`: one card per unit, each written whole; an existing
/// card is refused (before any is written) unless `--force`.
pub fn service_cards_command(ctx: &Context, quarter: &str, dir: &Path, force: bool) -> Result<()> {
    let quarter = spreadsheet::cards::parse_quarter(quarter, ctx.today)?;
    // The file or the PostgreSQL database `--db` names, read in one snapshot.
    let cards = match ctx.open_db(Access::ReadOnly)? {
        crate::store::Db::File(store) => {
            spreadsheet::cards::service_cards(store.conn(), quarter, ctx.today)?
        }
        crate::store::Db::Server(mut store) => {
            store.read(|src| spreadsheet::cards::service_cards_on(src, quarter, ctx.today))?
        }
    };
    for p in &cards.problems {
        eprintln!("{}", problem_text(p, ctx.lang));
    }
    if dir.exists() && !dir.is_dir() {
        return Err(Error::NotAFile(dir.to_path_buf()));
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let files: Vec<(std::path::PathBuf, &spreadsheet::cards::Card)> = cards
        .cards
        .iter()
        .map(|card| {
            (
                dir.join(spreadsheet::cards::card_file_name(card, quarter, ctx.lang)),
                card,
            )
        })
        .collect();
    if !force && let Some((taken, _)) = files.iter().find(|(path, _)| path.exists()) {
        return Err(Error::plain(
            format!(
                "{} 已存在，未写入任何服务卡；加 --force 替换",
                taken.display()
            ),
            format!(
                "{} already exists; no card was written; add --force to replace",
                taken.display()
            ),
        ));
    }
    for (path, card) in &files {
        let bytes = spreadsheet::cards::card_workbook(card, quarter, ctx.today, ctx.lang)?;
        crate::files::write_file(path, &bytes, force)?;
    }
    let members: usize = cards.cards.iter().map(|c| c.members.len()).sum();
    let mut said = match ctx.lang {
        Lang::Zh => format!(
            "已写出 {} 张党员服务卡（{}，{} 名党员）到 {}",
            files.len(),
            quarter.words(Lang::Zh),
            members,
            dir.display()
        ),
        Lang::En => format!(
            "wrote {} service card(s) ({}, {} members) to {}",
            files.len(),
            quarter.words(Lang::En),
            members,
            dir.display()
        ),
    };
    if cards.without_unit > 0 {
        said.push_str(&match ctx.lang {
            Lang::Zh => format!(
                "\n注意：{} 名党员未填工作单位，没有可以反馈的单位（可用 gongjian import 的「报到党员」表补填）",
                cards.without_unit
            ),
            Lang::En => format!(
                "\nnote: {} member(s) have no workplace recorded and so no unit to send a card to (fill it in with the party members sheet of gongjian import)",
                cards.without_unit
            ),
        });
    }
    println!("{said}");
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
