use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches};
use gongjian::cli::{Cli, localize_help_zh, run};
use gongjian::i18n::{Lang, set_process_lang};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = Lang::sniff(&args);
    set_process_lang(lang);
    // The help in the user's language: Chinese words put on the definitions before parsing.
    let command = match lang {
        Lang::Zh => localize_help_zh(Cli::command()),
        Lang::En => Cli::command(),
    };
    // `gongjian help adjust pause` is `gongjian adjust pause --help` (the Chinese help has no
    // `help` command of clap's own).
    let args = match (lang, args.get(1)) {
        (Lang::Zh, Some(first)) if first == "help" => {
            let mut rewritten: Vec<std::ffi::OsString> = Vec::with_capacity(args.len());
            rewritten.push(args[0].clone());
            rewritten.extend(args[2..].iter().cloned());
            rewritten.push("--help".into());
            rewritten
        }
        _ => args,
    };
    let parsed = command
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
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
            ExitCode::from(e.exit_code())
        }
    }
}

/// One line saying what was wrong with the command line and what is accepted, in the user's
/// language, from clap's error kind and context (never clap's own English words).
fn usage_message(e: &clap::Error, lang: Lang) -> String {
    let context = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::StyledStrs(v)) => Some(
            v.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let arg = context(ContextKind::InvalidArg).unwrap_or_default();
    let value = context(ContextKind::InvalidValue).unwrap_or_default();
    let zh = lang == Lang::Zh;
    // "see gongjian adjust pause --help": the command the user was typing.
    let command = context(ContextKind::Usage)
        .and_then(|usage| {
            let line = usage.lines().find(|l| l.contains("gongjian"))?.to_string();
            let from = line.find("gongjian")?;
            let words: Vec<&str> = line[from..]
                .split_whitespace()
                .take_while(|w| !w.starts_with(['[', '<', '-']))
                .collect();
            Some(words.join(" "))
        })
        .unwrap_or_else(|| "gongjian".to_string());
    let see = if zh {
        format!("；用 {command} --help 查看用法")
    } else {
        format!("; see {command} --help")
    };
    let suggestion = |kind| {
        context(kind).filter(|s| !s.is_empty()).map(|s| {
            if zh {
                format!("；是不是 {s}？")
            } else {
                format!("; did you mean {s}?")
            }
        })
    };
    let text = match e.kind() {
        ErrorKind::InvalidValue if value.is_empty() => {
            if zh {
                format!("{arg} 后面缺少值")
            } else {
                format!("{arg} needs a value")
            }
        }
        ErrorKind::InvalidValue => {
            let valid = context(ContextKind::ValidValue).unwrap_or_default();
            match lang {
                Lang::Zh => format!("{arg} 的值 '{value}' 无效；可用的值：{valid}"),
                Lang::En => format!("invalid value '{value}' for {arg}; accepted: {valid}"),
            }
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(
                    |source| match source.downcast_ref::<std::num::ParseIntError>() {
                        // The standard library's words ("invalid digit found in string") in ours.
                        Some(_) if zh => "应为整数".to_string(),
                        Some(_) => "expected a whole number".to_string(),
                        None => source.to_string(),
                    },
                )
                .unwrap_or_default();
            match lang {
                Lang::Zh => format!("{arg} 的值 '{value}' 无效：{why}"),
                Lang::En => format!("invalid value '{value}' for {arg}: {why}"),
            }
        }
        ErrorKind::MissingRequiredArgument => match lang {
            Lang::Zh => format!("缺少必需的参数：{arg}"),
            Lang::En => format!("missing required argument(s): {arg}"),
        },
        ErrorKind::MissingSubcommand => match lang {
            Lang::Zh => format!("{command} 需要一个子命令"),
            Lang::En => format!("{command} needs a subcommand"),
        },
        ErrorKind::UnknownArgument => {
            let hint = suggestion(ContextKind::SuggestedArg).unwrap_or_default();
            match lang {
                Lang::Zh => format!("未知参数 {arg}{hint}"),
                Lang::En => format!("unknown argument {arg}{hint}"),
            }
        }
        ErrorKind::InvalidSubcommand => {
            let name = context(ContextKind::InvalidSubcommand).unwrap_or_default();
            let hint = suggestion(ContextKind::SuggestedSubcommand).unwrap_or_default();
            match lang {
                Lang::Zh => format!("没有 '{name}' 这个命令{hint}"),
                Lang::En => format!("there is no command '{name}'{hint}"),
            }
        }
        ErrorKind::ArgumentConflict => {
            let prior = context(ContextKind::PriorArg).unwrap_or_default();
            match lang {
                Lang::Zh => format!("{arg} 不能与 {prior} 同时使用"),
                Lang::En => format!("{arg} cannot be used with {prior}"),
            }
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            match lang {
                Lang::Zh => format!("{arg} 的值的个数不对（'{value}'）"),
                Lang::En => format!("wrong number of values for {arg} ('{value}')"),
            }
        }
        ErrorKind::NoEquals => match lang {
            Lang::Zh => format!("{arg} 的值须用 = 连接"),
            Lang::En => format!("{arg} takes its value after ="),
        },
        ErrorKind::InvalidUtf8 => match lang {
            Lang::Zh => "命令行含有无法识别的字符（不是 UTF-8 编码）".to_string(),
            Lang::En => "the command line holds characters that are not UTF-8".to_string(),
        },
        _ => match lang {
            Lang::Zh => "命令行有误".to_string(),
            Lang::En => "the command line is not understood".to_string(),
        },
    };
    format!("{text}{see}")
}
