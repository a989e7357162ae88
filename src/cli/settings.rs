//! `gongjian settings`: the shared thresholds, listed and changed without SQL.

use super::Context;
use crate::adjust;
use crate::error::Result;
use crate::i18n::Lang;
use crate::store::{self, Access, SETTINGS};
use crate::text::{fit, fit_right, width};
use clap::Args;
use std::io::Write;

#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// The setting to change (e.g. participation_alert_pct); without it, list every setting
    #[arg(value_name = "KEY", requires = "value")]
    pub key: Option<String>,
    /// Its new value: a whole number in the setting's range
    #[arg(value_name = "VALUE", requires = "reason")]
    pub value: Option<String>,
    /// Why (调整原因): recorded in the adjustment log with the change
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

pub fn run_settings(ctx: &Context, args: &SettingsArgs) -> Result<()> {
    match (&args.key, &args.value) {
        (Some(key), Some(value)) => change(ctx, key, value, args.reason.as_deref().unwrap_or("")),
        _ => list(ctx),
    }
}

fn list(ctx: &Context) -> Result<()> {
    let mut db = ctx.open_db(Access::ReadOnly)?;
    let stored: Vec<Option<String>> = db.read(|conn| {
        SETTINGS
            .iter()
            .map(|spec| store::stored_setting(conn, spec.key))
            .collect()
    })?;
    let lang = ctx.lang;
    let heads = match lang {
        Lang::Zh => ["设置", "当前值", "默认值", "范围", "含义"],
        Lang::En => ["setting", "value", "default", "range", "meaning"],
    };
    let key_w = SETTINGS
        .iter()
        .map(|s| width(s.key))
        .chain([width(heads[0])])
        .max()
        .unwrap_or(0);
    let mut out = format!(
        "{}  {}  {}  {}  {}\n",
        fit(heads[0], key_w),
        fit_right(heads[1], 6),
        fit_right(heads[2], 6),
        fit(heads[3], 6),
        heads[4]
    );
    let mut problems = Vec::new();
    for (spec, stored) in SETTINGS.iter().zip(stored) {
        let value = match &stored {
            None => spec.default.to_string(),
            Some(text) => match store::parse_setting(text, spec.max) {
                Some(v) => v.to_string(),
                None => {
                    problems.push(spec.key);
                    format!("{text:?}!")
                }
            },
        };
        out.push_str(&format!(
            "{}  {}  {}  {}  {}\n",
            fit(spec.key, key_w),
            fit_right(&crate::text::clean(&value), 6),
            fit_right(&spec.default.to_string(), 6),
            fit(&format!("0–{}", spec.max), 6),
            lang.t(spec.meaning)
        ));
    }
    out.push('\n');
    out.push_str(match lang {
        Lang::Zh => {
            "修改：gongjian settings 设置名 新值 --reason \"原因\"（记入调整记录，可用 gongjian adjust undo 撤销）\n"
        }
        Lang::En => {
            "change one: gongjian settings KEY VALUE --reason \"why\" (logged; gongjian adjust undo reverses it)\n"
        }
    });
    for key in problems {
        out.push_str(&match lang {
            Lang::Zh => format!("注意：{key} 的存储值无效（标 !），统计会报错；请用上面的命令改为有效值\n"),
            Lang::En => format!(
                "note: the stored value of {key} is invalid (marked !): the figures will refuse it; set a valid one with the command above\n"
            ),
        });
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush());
    Ok(())
}

fn change(ctx: &Context, key: &str, value: &str, reason: &str) -> Result<()> {
    // The key and value are checked before the file is opened: a typo writes nothing anywhere.
    let spec = adjust::setting::spec(key)?;
    let mut db = ctx.open_db(Access::ReadWrite)?;
    if let Some(e) = super::adjust::read_only_reason(ctx, &db) {
        return Err(e);
    }
    let operator = adjust::default_operator(ctx.operator.as_deref());
    let id = adjust::setting::change(
        &mut db,
        spec.key,
        value,
        &operator,
        reason,
        chrono::Utc::now(),
    )?;
    match ctx.lang {
        Lang::Zh => eprintln!("已保存调整记录 #{id}（{} = {}）", spec.key, value.trim()),
        Lang::En => eprintln!("saved log entry #{id} ({} = {})", spec.key, value.trim()),
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{id}").and_then(|_| out.flush());
    Ok(())
}
