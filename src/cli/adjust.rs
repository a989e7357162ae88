//! `gongjian adjust …` and `gongjian log …`: the dashboard's adjustments for scripts and tests,
//! with the same validation and messages as the forms.

use super::{Context, parse_date_arg};
use crate::adjust::{self, ActionKind, Entry, FieldSpec, HistoryFilter, Input, KindRow, Raw, key};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::store::{Access, Db};
use crate::text::{clean, neutralise_formula};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use std::io::Write;

/// `gongjian adjust KEY --FIELD VALUE … --reason TEXT`, one subcommand per row of the
/// adjustment table ([`adjust::KINDS`]): its target and fields are its flags.
///
/// Values are taken as text and checked by the adjustment layer, so that every problem is
/// reported at once, in the user's language, exactly as a form would report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdjustCommand {
    pub kind: ActionKind,
    /// The flags given, by field key.
    pub values: Vec<(&'static str, String)>,
}

/// The flags of a kind's subcommand: its target, its fields, the reason.
fn flag_keys(row: &KindRow) -> impl Iterator<Item = &'static str> + '_ {
    std::iter::once(row.target.key())
        .chain(row.fields.iter().map(|f| f.key))
        .chain(std::iter::once(key::REASON))
}

/// A flag's help line, in English like the rest of the command-line help.
fn flag_help(row: &KindRow, field: Option<&FieldSpec>, flag: &'static str) -> String {
    let name = adjust::label(flag).1;
    let mut help = match field.map(|f| f.input) {
        None if flag == key::REASON => format!("调整原因: {name} (required)"),
        None => format!("The {name}'s id"),
        Some(Input::Date) => format!("{name} (YYYY-MM-DD)"),
        Some(Input::PastDate) => format!("{name} (YYYY-MM-DD), not after today"),
        Some(Input::Count { min }) => format!("{name}, a whole number from {min}"),
        Some(Input::Text { max }) => format!("{name}, at most {max} characters"),
        Some(Input::Unit) => {
            format!("{name}: a unit id or full name; none for the community alone")
        }
        Some(Input::MeetingKind) => format!("{name}: quarterly, site_visit or other"),
        Some(Input::Need) => format!("{name}: a need's id"),
        Some(Input::Member) => format!("{name}: a member's id or name"),
        Some(Input::Members) => {
            format!("{name}: members' ids or names, separated by commas (a sign-in sheet)")
        }
        Some(Input::Resource) => format!("{name}: a resource's id or title"),
        Some(Input::Duration) => format!("{name}: 1.5 (hours), 1小时30分 or 90分钟"),
        Some(Input::ProjectId) => format!("{name}: a project's id (optional)"),
        Some(Input::Subject) => format!("{name}: community, unit or contract"),
        Some(Input::Assessor) => format!("{name}: self, community or third_party"),
        Some(Input::Grade) => {
            format!("{name}: excellent, good, fair or poor (优秀 良好 一般 较差)")
        }
        Some(Input::Year) => format!("{name}, e.g. 2026"),
    };
    if row.cli_today == Some(flag) {
        help.push_str(" (default: today)");
    }
    let mut chars = help.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

impl clap::FromArgMatches for AdjustCommand {
    fn from_arg_matches(matches: &clap::ArgMatches) -> std::result::Result<Self, clap::Error> {
        let Some((name, sub)) = matches.subcommand() else {
            return Err(clap::Error::new(clap::error::ErrorKind::MissingSubcommand));
        };
        let Some(kind) = ActionKind::parse(name) else {
            return Err(clap::Error::new(clap::error::ErrorKind::InvalidSubcommand));
        };
        let values = flag_keys(kind.row())
            .filter_map(|flag| {
                sub.get_one::<String>(flag)
                    .map(|value| (flag, value.clone()))
            })
            .collect();
        Ok(AdjustCommand { kind, values })
    }

    fn update_from_arg_matches(
        &mut self,
        matches: &clap::ArgMatches,
    ) -> std::result::Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl clap::Subcommand for AdjustCommand {
    fn augment_subcommands(mut cmd: clap::Command) -> clap::Command {
        for row in &adjust::KINDS {
            let mut sub =
                clap::Command::new(row.key).about(format!("{}: {}", row.label.0, row.about));
            for flag in flag_keys(row) {
                let field = row.fields.iter().find(|f| f.key == flag);
                let value_name = match field.map(|f| f.input) {
                    Some(Input::Date | Input::PastDate) => "YYYY-MM-DD",
                    Some(Input::Count { .. }) => "N",
                    Some(Input::Text { .. }) => "TEXT",
                    Some(Input::MeetingKind) => "KIND",
                    Some(Input::Members) => "NAMES",
                    Some(Input::Duration) => "DURATION",
                    Some(Input::Year) => "YYYY",
                    Some(Input::Subject | Input::Assessor | Input::Grade) => "WORD",
                    Some(Input::Member | Input::Resource) => "ID|NAME",
                    Some(Input::Unit) | None if flag != key::REASON => "ID",
                    _ => "TEXT",
                };
                sub = sub.arg(
                    clap::Arg::new(flag)
                        .long(flag)
                        .value_name(value_name)
                        .allow_hyphen_values(matches!(
                            field.map(|f| f.input),
                            Some(Input::Count { .. })
                        ))
                        .help(flag_help(row, field, flag)),
                );
            }
            cmd = cmd.subcommand(sub);
        }
        cmd
    }

    fn augment_subcommands_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_subcommands(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        ActionKind::parse(name).is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only this community's entries
    #[arg(long, value_name = "ID")]
    community: Option<i64>,
    /// Only this project's entries (with the conversion that created it)
    #[arg(long, value_name = "ID")]
    project: Option<i64>,
    /// Only entries from this local day on
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date_arg)]
    since: Option<NaiveDate>,
    /// Only entries up to this local day
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date_arg)]
    until: Option<NaiveDate>,
    /// text, json (a list of entries) or csv
    #[arg(long, value_enum, default_value = "text")]
    format: LogFormat,
}

/// The action and its raw fields, as a form would hand them over.
fn raw_fields(command: AdjustCommand, ctx: &Context) -> (ActionKind, Raw) {
    let AdjustCommand { kind, values } = command;
    let mut raw = Raw::new();
    if let Some(field) = kind.row().cli_today {
        raw.set(field, crate::dates::format_ymd(ctx.today));
    }
    for (field, value) in values {
        raw.set(field, value);
    }
    raw.set(
        key::OPERATOR,
        adjust::default_operator(ctx.operator.as_deref()),
    );
    (kind, raw)
}

/// Why nothing can be saved to this store, or `None` when it is writable.
pub(super) fn read_only_reason(ctx: &Context, db: &Db) -> Option<Error> {
    if !db.is_read_only() {
        return None;
    }
    let path = db.shown();
    if let Db::Server(_) = db {
        return Some(if ctx.readonly {
            Error::plain(
                format!(
                    "已用 --readonly 只读连接 PostgreSQL 数据库 {path}，不能保存调整；未写入任何内容"
                ),
                format!(
                    "the PostgreSQL database {path} was connected with --readonly: adjustments cannot be saved; nothing was written"
                ),
            )
        } else {
            Error::plain(
                format!(
                    "当前数据库角色对 PostgreSQL 数据库 {path} 只有读取权限（如 gongjian_viewer），不能保存调整；未写入任何内容。请用可写的角色（如 gongjian_app）连接"
                ),
                format!(
                    "this database role may only read the PostgreSQL database {path} (gongjian_viewer, say): adjustments cannot be saved; nothing was written. Connect with a role that may write (gongjian_app)"
                ),
            )
        });
    }
    Some(if ctx.readonly {
        Error::plain(
            format!("已用 --readonly 只读打开 {path}，不能保存调整；未写入任何内容"),
            format!(
                "{path} was opened with --readonly: adjustments cannot be saved; nothing was written"
            ),
        )
    } else {
        Error::plain(
            format!(
                "{path} 不可写（文件或其所在文件夹没有写权限，或位于只读位置），不能保存调整；未写入任何内容"
            ),
            format!(
                "{path} cannot be written (no write permission on the file or its folder, or a read-only location): adjustments cannot be saved; nothing was written"
            ),
        )
    })
}

/// `gongjian adjust …`: validates, applies, prints the new entry's id on stdout.
pub fn run_adjust(ctx: &Context, command: AdjustCommand) -> Result<()> {
    let (kind, raw) = raw_fields(command, ctx);
    let mut db = ctx.open_db(Access::ReadWrite)?;
    if let Some(e) = read_only_reason(ctx, &db) {
        return Err(e);
    }
    let request = db.read(|conn| adjust::validate(conn, kind, &raw, ctx.today))?;
    let id = adjust::apply(
        &mut db,
        &request.action,
        &request.operator,
        &request.reason,
        chrono::Utc::now(),
        None,
    )?;
    let lang = ctx.lang;
    let label = lang.t(kind.label());
    let created = db
        .read(|conn| adjust::entry(conn, id))?
        .and_then(|e| match kind {
            ActionKind::Convert => e.after.get("successor").and_then(|v| v.as_i64()),
            ActionKind::AddProject => e.project_id,
            _ => None,
        });
    match (created, lang) {
        (Some(p), Lang::Zh) => eprintln!("已保存调整记录 #{id}（{label}），新项目编号 {p}"),
        (Some(p), Lang::En) => {
            eprintln!("saved log entry #{id} ({label}); the new project is #{p}")
        }
        (None, Lang::Zh) => eprintln!("已保存调整记录 #{id}（{label}）"),
        (None, Lang::En) => eprintln!("saved log entry #{id} ({label})"),
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{id}").and_then(|_| out.flush());
    Ok(())
}

/// `gongjian log …`: the adjustment log, newest first.
pub fn run_log(ctx: &Context, args: &LogArgs) -> Result<()> {
    let mut db = ctx.open_db(Access::ReadOnly)?;
    let filter = HistoryFilter {
        community: args.community,
        project: args.project,
        operator: ctx.operator.clone(),
        since: args.since,
        until: args.until,
        limit: None,
    };
    let entries = db.read(|conn| {
        if let Some(id) = args.community
            && !crate::store::rows::exists(
                conn,
                "SELECT 1 FROM community WHERE id = ?1",
                &[id.into()],
            )?
        {
            return Err(Error::UnknownCommunity(id));
        }
        if let Some(id) = args.project
            && !crate::store::rows::exists(
                conn,
                "SELECT 1 FROM project WHERE id = ?1",
                &[id.into()],
            )?
        {
            return Err(Error::plain(
                format!("没有编号为 {id} 的项目"),
                format!("no project with id {id}"),
            ));
        }
        Ok(adjust::history(conn, &filter)?)
    })?;
    let text = match args.format {
        LogFormat::Json => {
            let mut json = crate::text::escape_json_controls(
                &serde_json::to_string_pretty(&entries).unwrap_or_default(),
            );
            json.push('\n');
            json
        }
        LogFormat::Csv => render_csv(&entries, ctx.lang),
        LogFormat::Text => render_text(&entries, ctx.lang),
    };
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
    Ok(())
}

fn action_label(entry: &Entry, lang: Lang) -> String {
    match entry.kind() {
        Some(kind) => lang.t(kind.label()).to_string(),
        None => crate::review::action_label(&entry.action)
            .or((entry.action == adjust::setting::ACTION).then_some(adjust::setting::LABEL))
            .map_or_else(|| clean(&entry.action), |term| lang.t(term).to_string()),
    }
}

/// A few lines per entry: who, when, what, before → after, why, and whether it was undone.
pub fn render_text(entries: &[Entry], lang: Lang) -> String {
    if entries.is_empty() {
        return format!("{}\n", lang.pick("（没有调整记录）", "(no adjustments)"));
    }
    let mut out = String::new();
    for e in entries {
        let operator = clean(&e.operator);
        let mut head = format!("#{}  {}  {}", e.id, e.local_time(), action_label(e, lang));
        if let Some(r) = e.reverses {
            head.push_str(&format!(" #{r}"));
        }
        head.push_str(&match lang {
            Lang::Zh => format!("  经办人：{operator}"),
            Lang::En => format!("  by {operator}"),
        });
        out.push_str(&head);
        out.push('\n');
        let mut place = Vec::new();
        if let Some(c) = e.community_id {
            place.push(format!(
                "{} #{c} {}",
                lang.pick("社区", "community"),
                clean(e.community.as_deref().unwrap_or(""))
            ));
        }
        if let Some(p) = e.project_id {
            place.push(format!(
                "{} #{p} {}",
                lang.pick("项目", "project"),
                clean(e.project.as_deref().unwrap_or(""))
            ));
        }
        if !place.is_empty() {
            out.push_str(&format!("    {}\n", place.join(" / ").trim_end()));
        }
        for change in e.changes() {
            out.push_str(&format!("    {}\n", change.line(lang)));
        }
        let sep = lang.pick("：", ": ");
        out.push_str(&format!(
            "    {}{sep}{}\n",
            lang.t(crate::i18n::terms::REASON),
            clean(&e.reason)
        ));
        if let Some(by) = e.undone_by {
            out.push_str(&match lang {
                Lang::Zh => format!("    已被 #{by} 撤销\n"),
                Lang::En => format!("    undone by #{by}\n"),
            });
        }
    }
    out
}

fn cell(text: &str) -> String {
    let safe = neutralise_formula(&clean(text));
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

/// One row per entry, for Excel and WPS: UTF-8 with a byte-order mark.
pub fn render_csv(entries: &[Entry], lang: Lang) -> String {
    let header: &[&str] = match lang {
        Lang::Zh => &[
            "编号",
            "时间(UTC)",
            "经办人",
            "社区编号",
            "社区",
            "项目编号",
            "项目",
            "调整",
            "调整前",
            "调整后",
            "调整原因",
            "撤销的记录",
            "被撤销于",
        ],
        Lang::En => &[
            "id",
            "at",
            "operator",
            "community_id",
            "community",
            "project_id",
            "project",
            "action",
            "before",
            "after",
            "reason",
            "reverses",
            "undone_by",
        ],
    };
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let mut out = String::from("\u{FEFF}");
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for e in entries {
        let row = [
            e.id.to_string(),
            cell(&e.at),
            cell(&e.operator),
            number(e.community_id),
            cell(e.community.as_deref().unwrap_or("")),
            number(e.project_id),
            cell(e.project.as_deref().unwrap_or("")),
            cell(&e.action),
            cell(&e.before.to_string()),
            cell(&e.after.to_string()),
            cell(&e.reason),
            number(e.reverses),
            number(e.undone_by),
        ];
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}
