//! What each subcommand does, once the arguments are understood.

use super::{Cli, Command, Context, DbChoice};
use crate::error::{Error, Result};
use crate::i18n::{Lang, set_process_lang};
use crate::indicators::Report;
use crate::report::{self, Format};
use crate::store::pg::{self, Given, PgStore, PgUrl};
use crate::store::{Access, Store};
use chrono::NaiveDate;
use std::io::Write;
use std::path::Path;

/// The run context from the global flags (and `GONGJIAN_LANG`).
pub fn context_from(cli: &Cli) -> Context {
    let lang = cli.global.lang.unwrap_or_else(|| {
        std::env::var("GONGJIAN_LANG")
            .ok()
            .and_then(|v| Lang::parse(&v))
            .unwrap_or_default()
    });
    Context {
        lang,
        today: cli.global.today.unwrap_or_else(crate::dates::local_today),
        fixed_today: cli.global.today,
        db: DbChoice::resolve(cli.global.db.as_deref()),
        readonly: cli.global.readonly,
        operator: cli.global.operator.clone(),
        theme: cli.global.theme.unwrap_or_default(),
        street: cli
            .global
            .street
            .as_deref()
            .map(crate::context::street::StreetArg::parse),
    }
}

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Some(Command::Completions { shell }) => return completions_command(shell),
        Some(Command::Man) => return man_command(),
        _ => {}
    }
    let ctx = context_from(&cli);
    set_process_lang(ctx.lang);
    if let Some(url) = postgres_db(&ctx)
        && !matches!(
            cli.command,
            None | Some(
                Command::Init { .. }
                    | Command::Copy { .. }
                    | Command::Report { .. }
                    | Command::Assess(_)
                    | Command::Export { .. }
                    | Command::Adjust { .. }
                    | Command::Log(_)
                    | Command::Settings(_)
                    | Command::Import { .. }
                    | Command::Review(_)
                    | Command::Generate(_)
                    | Command::Template { .. }
            )
        )
    {
        return Err(pg::not_yet(&url));
    }
    match cli.command {
        None => crate::dashboard::run(&ctx),
        Some(Command::Report { format, community }) => report_command(&ctx, format, community),
        Some(Command::Assess(args)) => super::assess::run_assess(&ctx, &args),
        Some(Command::Init { path, demo }) => init_command(&ctx, &path, demo),
        Some(Command::Adjust { action }) => super::adjust::run_adjust(&ctx, action),
        Some(Command::Log(args)) => super::adjust::run_log(&ctx, &args),
        Some(Command::Generate(args)) => super::generate::run_generate(&ctx, &args),
        Some(Command::Review(args)) => super::review::run_review(&ctx, &args),
        Some(Command::Backup { file }) => super::backup::run_backup(&ctx, &file),
        Some(Command::Copy { from, to }) => super::copy::run_copy(&ctx, &from, &to),
        Some(Command::Import { files, dry_run }) => {
            super::spreadsheet::import_command(&ctx, &files, dry_run)
        }
        Some(Command::Export {
            file,
            force,
            service_cards,
        }) => match (service_cards.as_deref(), file) {
            (Some([quarter, dir]), _) => {
                super::spreadsheet::service_cards_command(&ctx, quarter, Path::new(dir), force)
            }
            (_, Some(file)) => super::spreadsheet::export_command(&ctx, &file, force),
            // clap requires one of the two.
            _ => Ok(()),
        },
        Some(Command::Template { file, force }) => {
            super::spreadsheet::template_command(&ctx, &file, force)
        }
        Some(Command::Settings(args)) => super::settings::run_settings(&ctx, &args),
        Some(Command::Completions { .. } | Command::Man) => Ok(()),
    }
}

fn completions_command(shell: clap_complete::Shell) -> Result<()> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "gongjian", &mut out);
    write_stdout(&out)
}

fn man_command() -> Result<()> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| {
            Error::plain(
                format!("无法生成手册页：{e}"),
                format!("cannot write the manual page: {e}"),
            )
        })?;
    write_stdout(&out)
}

/// Writes to standard output; a closed pipe (`| head`) is not an error worth a message.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes).and_then(|_| out.flush());
    Ok(())
}

/// Reads the file and computes every figure for `ctx.today`.
pub fn compute_report(
    store: &Store,
    today: NaiveDate,
) -> Result<(Report, Vec<crate::model::DataProblem>)> {
    let built = report::build(store.conn(), today)?;
    Ok((built.report, built.problems))
}

/// The report of `scope` from the district `--db` names, file or PostgreSQL database, read-only.
pub fn build_report(ctx: &Context, scope: crate::store::Scope) -> Result<report::Built> {
    match ctx.db.path().to_str().filter(|t| pg::is_pg_url(t)) {
        Some(text) => {
            let mut store = PgStore::open(&PgUrl::parse(text, given(text))?, Access::ReadOnly)?;
            store.read(|src| report::build_on(src, ctx.today, scope))
        }
        None => {
            let store = ctx.open_store(Access::ReadOnly)?;
            report::build_in(store.conn(), ctx.today, scope)
        }
    }
}

fn report_command(ctx: &Context, format: Format, community: Option<i64>) -> Result<()> {
    // One community: only its rows are read.
    let scope = community.map_or(
        crate::store::Scope::District,
        crate::store::Scope::Community,
    );
    let built = build_report(ctx, scope)?;
    if let Some(id) = community
        && !built.report.communities.iter().any(|c| c.id == id)
    {
        return Err(Error::UnknownCommunity(id));
    }
    drop(built.district);
    for p in &built.problems {
        eprintln!("{}", problem_text(p, ctx.lang));
    }
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = report::write(&built.report, format, ctx.lang, &mut out).and_then(|_| out.flush());
    Ok(())
}

pub fn problem_text(p: &crate::model::DataProblem, lang: Lang) -> String {
    p.message(lang)
}

/// A new folder of this process's own in the system's temporary folder.
fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "gongjian-demo-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    std::fs::create_dir(&dir).map_err(|source| Error::Io {
        path: dir.clone(),
        source,
    })?;
    Ok(dir)
}

/// The PostgreSQL database named by `--db` or `GONGJIAN_DB`, when it names one, as messages
/// show it (without its password).
fn postgres_db(ctx: &Context) -> Option<String> {
    let text = ctx.db.path().to_str()?;
    pg::is_pg_url(text).then(|| pg::redact(text))
}

/// Where an address came from: the environment (`GONGJIAN_DB`) when it is the variable's value,
/// else the command line.
pub(super) fn given(text: &str) -> Given {
    crate::context::pg_given(text)
}

fn init_command(ctx: &Context, path: &Path, demo: bool) -> Result<()> {
    if let Some(text) = path.to_str().filter(|t| pg::is_pg_url(t)) {
        let url = PgUrl::parse(text, given(text))?;
        if demo {
            // The demo made in a file of its own, then copied (and checked) as any district is.
            let dir = tempfile_dir()?;
            let file = dir.join("demo.db");
            crate::context::create_demo(&file, ctx.today)?;
            let copied = super::copy::copy_checked(
                ctx,
                &crate::store::copy::Place::File(file),
                &crate::store::copy::Place::Server(Box::new(url.clone())),
            );
            let _ = std::fs::remove_dir_all(&dir);
            copied?;
            println!(
                "{}",
                ctx.lang.pick(
                    &format!("已在 PostgreSQL 数据库 {} 中新建演示数据", url.shown()),
                    &format!(
                        "made the demo district in the PostgreSQL database {}",
                        url.shown()
                    ),
                )
            );
            return Ok(());
        }
        PgStore::create(&url)?;
        println!(
            "{}",
            ctx.lang.pick(
                &format!(
                    "已在 PostgreSQL 数据库 {} 中新建空的共建数据表",
                    url.shown()
                ),
                &format!(
                    "made an empty district in the PostgreSQL database {}",
                    url.shown()
                ),
            )
        );
        return Ok(());
    }
    if path.exists() {
        return Err(Error::AlreadyExists(path.to_path_buf()));
    }
    crate::context::create_file(path, demo.then_some(ctx.today))?;
    println!(
        "{}",
        match (ctx.lang, demo) {
            (Lang::Zh, true) => format!("已新建演示数据库：{}", path.display()),
            (Lang::Zh, false) => format!("已新建空数据库：{}", path.display()),
            (Lang::En, true) => format!("created a demo database at {}", path.display()),
            (Lang::En, false) => format!("created an empty database at {}", path.display()),
        }
    );
    Ok(())
}
