//! The command line's help in Chinese (`--lang zh`, `GONGJIAN_LANG=zh`, or no language given):
//! every command's summary, every flag's meaning and the headings, put on the clap definition
//! before it parses. The English help is the one written on the definitions themselves.

use crate::adjust::{ActionKind, KINDS};
use crate::fields;
use crate::i18n::Lang;
use clap::{Arg, ArgAction, Command};

/// What a command is for, by its path (`adjust pause`).
fn about(path: &str) -> Option<String> {
    let text = match path {
        "gongjian" => {
            "共建 — 契约化共建工作台：各社区共建项目清单的完成、逾期、季度例会和参与情况，以及现场调整、周例会回顾"
        }
        "report" => "不打开看板，输出各社区（或一个社区）的统计结果",
        "assess" => {
            "年终考评：各社区、驻区单位的等次与全年实绩并列，指出与实绩不符的自评，推荐示范社区和优秀单位"
        }
        "init" => "新建数据库文件（空白，或带演示数据）；不会覆盖已有文件",
        "adjust" => "记录一次调整（附调整原因）；输出新调整记录的编号",
        "log" => "查看调整记录，最新的在前",
        "generate" => "生成用于规模测试的模拟街道（日期围绕 --today）；不会覆盖已有文件",
        "review" => "周例会回顾：逐个查看有预警的社区；加 --export 则写出会议纪要",
        "backup" => "在他人继续使用时把数据库复制到新文件，并检查副本",
        "copy" => {
            "在 SQLite 文件和 PostgreSQL 数据库（postgres://…）之间复制整个街道的数据，两个方向都可以；目标须是新文件或空数据库，复制后核对每张表的行数"
        }
        "import" => {
            "从 .xlsx/.xls/.ods/.csv 导入本单位的清单：要么全部导入，要么一条不导；记入调整记录"
        }
        "export" => "导出各项统计供领导查看：FILE.xlsx（每项一页）或 FILE.csv（汇总表）",
        "template" => "写出空白导入模板：每份清单一页，带表头和下拉选项，填好后可导入",
        "settings" => {
            "列出共用设置（预警线）的当前值、默认值和含义；或修改一项：settings 名称 值 --reason 原因（会校验、记入调整记录、可撤销）"
        }
        "completions" => {
            "输出命令补全脚本：gongjian completions bash > /etc/bash_completion.d/gongjian"
        }
        "man" => "输出手册页（roff 格式）：gongjian man > gongjian.1 && man ./gongjian.1",
        _ => {
            let key = path.strip_prefix("adjust ")?;
            let kind = ActionKind::parse(key)?;
            let row = KINDS.iter().find(|r| r.kind == kind)?;
            return Some(format!("{}：{}", row.label.0, adjust_about(key)));
        }
    };
    Some(text.to_string())
}

/// What each adjustment does, in a few words.
fn adjust_about(key: &str) -> &'static str {
    match key {
        "reschedule" => "给项目定新的截止日期",
        "pause" => "暂停进行中的项目",
        "resume" => "恢复暂停的项目",
        "done" => "把项目标为已完成（完成日期默认今天）",
        "cancel" => "终止进行中或暂停的项目",
        "convert" => "终止项目并在同一社区新建接续项目（牵头单位不填则沿用）",
        "revise" => "修改项目名称或牵头单位",
        "activity" => "记录项目的一次活动",
        "meeting" => "记录社区的一次例会",
        "add-project" => "在社区的项目清单中新增项目",
        "undo" => "撤销一条调整记录（另写一条抵消记录）",
        "link-need" => "记下项目回应的是需求清单中的哪项需求",
        "survey" => "记录项目的一次满意度调查（受访人数、满意人数）",
        "add-member" => "登记到社区报到的党员（双报到）",
        "member-left" => "记录已报到的党员离开社区",
        "service" => "记录服务时长：一名或多名党员（签到表），同一日期、同一时长",
        "resource-use" => "记录驻区单位提供的资源被使用（累加使用次数）",
        "grade" => {
            "记录年终考评等次：社区、驻区单位或社区与单位的共建契约，由自评、社区或第三方评定"
        }
        _ => "记录这项调整",
    }
}

/// What a flag or argument means, by the command's path and the argument's id.
fn arg_help(path: &str, id: &str) -> Option<String> {
    let text = match (path, id) {
        (_, "db") => "共用的数据库文件（不填则用 $GONGJIAN_DB，再不填则用带演示数据的默认文件）",
        (_, "today") => {
            "按这一天的日历计算（YYYY-MM-DD）：它所在的年份、季度和逾期天数，用于现在的数据；这一天之后的记录，凡定义不排除的仍然计入（之后完成的项目算已完成），只有活动按这一天截止"
        }
        (_, "lang") => "界面和提示的语言：zh（默认）或 en（不填则用 $GONGJIAN_LANG）",
        (_, "readonly") => "以只读方式打开文件：不写入任何内容",
        (_, "operator") => {
            "经办人（不填则用 $GONGJIAN_OPERATOR，再不填则用登录名）；用于 log 时：只看此人的记录"
        }
        (_, "street") => {
            "这台终端在看板和周例会回顾中显示的街道（名称、名称的一部分或编号）；对这个数据库记住，下次不必再加。all：全部街道（并忘掉记住的街道）"
        }
        (_, "theme") => {
            "看板的外观：projector（默认，高对比度，适合投影）或 classic（不填则用 $GONGJIAN_THEME）"
        }
        ("report", "format") => "输出格式：text（默认）、json、csv 或 md",
        ("report", "community") => "只看这个社区（社区编号）",
        ("assess", "year") => "考评年度（默认今天所在的年份）",
        ("assess", "format") => {
            "输出格式：text（默认）、json、md，或 xlsx（报区里的工作簿，须加 --output 文件.xlsx）"
        }
        ("assess", "output") => "写入这个文件而不是终端（xlsx 必填）",
        ("assess", "force") => "--output 文件已存在时替换它",
        ("assess", "community") => "这个社区排位背后的每个数字，以及它们来自哪些记录",
        ("assess", "unit") => "这个单位排位背后的每个数字，以及它们来自哪些记录",
        ("init", "path") => "新文件的路径（已存在则拒绝）",
        ("init", "demo") => "填入演示街道的数据，日期围绕今天",
        ("log", "community") => "只看这个社区的记录",
        ("log", "project") => "只看这个项目的记录（含由它转型而来的项目）",
        ("log", "since") => "只看这一天（本地日期）及以后的记录",
        ("log", "until") => "只看这一天（本地日期）及以前的记录",
        ("log", "format") => "输出格式：text（默认）、json（记录列表）或 csv",
        ("generate", "path") => "新文件的路径（已存在则拒绝）",
        ("generate", "communities") => "社区数（用下列默认值时 1000 个即城市规模）",
        ("generate", "projects_per_community") => "每个社区的项目数（默认 100）",
        ("generate", "activities_per_project") => "每个项目的活动场次（默认 20）",
        ("generate", "seed") => "随机种子：相同的种子和 --today 生成相同的文件（默认 1）",
        ("review", "export") => {
            "不打开回顾界面，而把会议纪要写到这个文件：FILE.md（Markdown，记事本可直接阅读）或 FILE.docx（Word/WPS）"
        }
        ("review", "since") => {
            "与 --export 一起用：从这一天起（默认最近一次回顾开始的那天，否则 --today 前 7 天）"
        }
        ("review", "force") => "与 --export 一起用：文件已存在时替换它",
        ("copy", "from") => "要复制的数据：文件，或 postgres://…（只读取，不改动）",
        ("copy", "to") => "新文件，或空的 PostgreSQL 数据库（或只有空数据表的）",
        ("backup", "file") => "副本写到哪里（不能已存在：从不覆盖）",
        ("import", "files") => "一个或多个表格文件；每页按表头识别是哪份清单",
        ("import", "dry_run") => "只显示将新建、更新和保持不变的内容；不写入任何内容",
        ("export", "file") => "导出到的文件：.xlsx 或 .csv",
        ("export", "service_cards") => {
            "按季度（如 2026Q3）为每个单位写一张党员服务卡到文件夹 DIR：本单位党员在各社区的服务次数与时长，由社区反馈给单位"
        }
        ("export" | "template", "force") => "文件已存在时替换它",
        ("template", "file") => "模板写到的 .xlsx 文件",
        ("settings", "key") => "要修改的设置（如 participation_alert_pct）；不填则列出全部设置",
        ("settings", "value") => "新的值（整数，在该设置的范围内）",
        ("settings", "reason") => "调整原因：与修改一起记入调整记录",
        ("completions", "shell") => "哪种命令行：bash、elvish、fish、powershell 或 zsh",
        (_, "help") => "显示帮助",
        (_, "version") => "显示版本（及数据库结构版本）",
        _ => {
            path.strip_prefix("adjust ")?;
            return Some(adjust_field_help(id));
        }
    };
    Some(text.to_string())
}

/// An adjustment's flag: the field's Chinese name and what it takes.
fn adjust_field_help(id: &str) -> String {
    use crate::vocab::{Assessor, Grade, Subject};
    let name = fields::label(id).0;
    let takes = match id {
        fields::key::SUBJECT => return format!("{name}（{}）", Subject::accepted(Lang::Zh)),
        fields::key::ASSESSOR => return format!("{name}（{}）", Assessor::accepted(Lang::Zh)),
        fields::key::GRADE => return format!("{name}（{}）", Grade::accepted(Lang::Zh)),
        fields::key::PROJECT => "项目编号",
        fields::key::COMMUNITY => "社区编号",
        fields::key::ENTRY => "要撤销的调整记录编号",
        fields::key::DUE | fields::key::DONE_ON | fields::key::HELD_ON => "YYYY-MM-DD",
        fields::key::PLANNED | fields::key::ACTUAL | fields::key::ATTENDEES => "整数",
        fields::key::UNIT => "单位编号或名称；社区自办填 社区自办",
        fields::key::KIND => "季度例会、现场会或其他",
        fields::key::NEED => "需求编号",
        fields::key::MEMBER => "党员编号",
        fields::key::MEMBERS => "党员编号或姓名，多人用逗号分隔",
        fields::key::RESOURCE => "资源编号",
        fields::key::WORKPLACE => "工作单位编号或名称",
        fields::key::REGISTERED_ON | fields::key::LEFT_ON | fields::key::SERVED_ON => "YYYY-MM-DD",
        fields::key::RESPONDENTS | fields::key::SATISFIED | fields::key::TIMES => "整数",
        fields::key::DURATION => "时长，如 1.5、1小时30分、90分钟",
        fields::key::YEAR => "年份，如 2026",
        fields::key::GRADED_UNIT => "单位编号或名称",
        _ => "文字",
    };
    format!("{name}（{takes}）")
}

/// The help in Chinese, on `cmd` and every command under it.
pub fn localize(cmd: Command) -> Command {
    localize_at(cmd, "gongjian", true)
}

fn localize_at(mut cmd: Command, path: &str, root: bool) -> Command {
    if let Some(text) = about(path) {
        cmd = cmd.about(text).long_about(None);
    }
    cmd = cmd
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        );
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本（及数据库结构版本）"),
        );
    }
    let ids: Vec<(String, bool, bool)> = cmd
        .get_arguments()
        .map(|a| {
            (
                a.get_id().to_string(),
                a.is_positional(),
                a.get_action().takes_values(),
            )
        })
        .collect();
    for (order, (id, positional, takes_values)) in ids.into_iter().enumerate() {
        let help = arg_help(path, &id);
        cmd = cmd.mut_arg(id.as_str(), |arg| {
            let arg = arg.help_heading(if positional { "参数" } else { "选项" });
            // The global flags (defined at the root) come after each command's own.
            let arg = if root {
                arg.display_order(1000 + order)
            } else {
                arg
            };
            // The Chinese help names the values and the default itself.
            let arg = if takes_values {
                arg.hide_possible_values(true).hide_default_value(true)
            } else {
                arg
            };
            match help {
                Some(text) => arg.help(text).long_help(None),
                None => arg,
            }
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = if root {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(name.as_str(), |sub| localize_at(sub, &sub_path, false));
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every command and every flag has its Chinese words; no English help is left over.
    #[test]
    fn every_command_and_flag_has_chinese_help() {
        fn walk(cmd: &Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                if arg_help(path, arg.get_id().as_str()).is_none() {
                    missing.push(format!("{path} {}", arg.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                let sub_path = if path == "gongjian" {
                    sub.get_name().to_string()
                } else {
                    format!("{path} {}", sub.get_name())
                };
                if about(&sub_path).is_none() {
                    missing.push(sub_path.clone());
                }
                walk(sub, &sub_path, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&super::super::Cli::command(), "gongjian", &mut missing);
        assert_eq!(missing, Vec::<String>::new());
        for key in KINDS.iter().map(|r| r.key) {
            assert_ne!(
                adjust_about(key),
                "记录这项调整",
                "{key} has no words of its own"
            );
        }
    }

    #[test]
    fn the_help_reads_in_chinese() {
        let mut cmd = localize(super::super::Cli::command());
        let text = cmd.render_help().to_string();
        for expected in [
            "用法：",
            "命令",
            "选项",
            "显示帮助",
            "新建数据库文件",
            "以只读方式打开",
        ] {
            assert!(text.contains(expected), "{expected} missing in:\n{text}");
        }
        for english in [
            "Usage",
            "Options",
            "Commands",
            "Print help",
            "Print this message",
        ] {
            assert!(!text.contains(english), "{english} left in:\n{text}");
        }
        let mut adjust = localize(super::super::Cli::command());
        adjust.build();
        let pause = adjust
            .find_subcommand_mut("adjust")
            .and_then(|a| a.find_subcommand_mut("pause"))
            .expect("adjust pause");
        let text = pause.render_help().to_string();
        assert!(
            text.contains("暂停进行中的项目") && text.contains("调整原因"),
            "{text}"
        );
    }
}
