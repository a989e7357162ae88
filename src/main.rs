use clap::Parser;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use gongjian::cli::{Cli, run};
use gongjian::i18n::{Lang, set_process_lang};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = Lang::sniff(&args);
    set_process_lang(lang);
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("gongjian: {}", usage_message(&e, lang));
            return ExitCode::from(2);
        }
    };
    if let Err(e) = color_eyre::install() {
        eprintln!("gongjian: {e}");
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gongjian: {}", e.message(gongjian::i18n::process_lang()));
            ExitCode::from(1)
        }
    }
}

/// One line saying what was wrong with the command line and what is accepted.
fn usage_message(e: &clap::Error, lang: Lang) -> String {
    let context = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        _ => None,
    };
    let arg = context(ContextKind::InvalidArg).unwrap_or_default();
    let value = context(ContextKind::InvalidValue).unwrap_or_default();
    match e.kind() {
        ErrorKind::InvalidValue => {
            let valid = context(ContextKind::ValidValue).unwrap_or_default();
            match lang {
                Lang::Zh => format!("{arg} 的值 '{value}' 无效；可用的值：{valid}"),
                Lang::En => format!("invalid value '{value}' for {arg}; accepted: {valid}"),
            }
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_default();
            match lang {
                Lang::Zh => format!("{arg} 的值 '{value}' 无效：{why}"),
                Lang::En => format!("invalid value '{value}' for {arg}: {why}"),
            }
        }
        ErrorKind::MissingRequiredArgument => match lang {
            Lang::Zh => format!("缺少必需的参数：{arg}；用 gongjian help 查看用法"),
            Lang::En => format!("missing required argument(s): {arg}; see gongjian help"),
        },
        ErrorKind::UnknownArgument => match lang {
            Lang::Zh => format!("未知参数 {arg}；用 gongjian --help 查看用法"),
            Lang::En => format!("unknown argument {arg}; see gongjian --help"),
        },
        _ => {
            let rendered = e.to_string();
            let first = rendered
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            let first = first.trim_start_matches("error: ").to_string();
            match lang {
                Lang::Zh => format!("命令行有误：{first}；用 gongjian --help 查看用法"),
                Lang::En => format!("{first}; see gongjian --help"),
            }
        }
    }
}
