//! What an import did (or, in a dry run, would do), in the user's language.

use super::super::headers::{LISTS, List};
use super::parse::Parsed;
use super::plan::{Change, Graded, Op, Plan, Target, V, World};
use crate::i18n::Lang;
use crate::model::Status;
use crate::text::clean;
use crate::vocab::{Grade, MeetingKind, NeedSource};

pub struct SummaryInput<'a> {
    pub parsed: &'a Parsed,
    pub plan: &'a Plan,
    pub dry_run: bool,
    pub operator: &'a str,
    pub log_entries: usize,
}

pub fn render(input: &SummaryInput, lang: Lang) -> String {
    let SummaryInput {
        parsed,
        plan,
        dry_run,
        operator,
        log_entries,
    } = *input;
    let w = &plan.world;
    let zh = lang == Lang::Zh;
    let mut out: Vec<String> = Vec::new();
    let changes = plan.ops.len();
    out.push(match (lang, dry_run, changes) {
        (Lang::Zh, true, 0) => "试运行：数据库已与文件一致，导入不会改动任何内容（本次未写入）。".into(),
        (Lang::Zh, true, n) => format!("试运行：导入将作 {n} 处改动，如下（本次未写入任何内容）。"),
        (Lang::Zh, false, 0) => "导入完成：数据库已与文件一致，没有改动任何内容。".into(),
        (Lang::Zh, false, _) => format!(
            "导入完成：{log_entries} 处改动已写入，并记入调整记录（经办人 {}）。",
            clean(operator)
        ),
        (Lang::En, true, 0) => "Dry run: the database already matches the file(s); an import would change nothing (nothing was written).".into(),
        (Lang::En, true, n) => format!("Dry run: an import would make {n} change(s), listed below (nothing was written)."),
        (Lang::En, false, 0) => "Imported: the database already matches the file(s); nothing was changed.".into(),
        (Lang::En, false, _) => format!(
            "Imported: {log_entries} change(s) written and recorded in the adjustment log (operator {}).",
            clean(operator)
        ),
    });
    for sheet in &parsed.sheets {
        let file = &parsed.sources[sheet.file].shown;
        let (list_zh, list_en) = sheet.list().name();
        let mut line = match (&sheet.name, zh) {
            (Some(name), true) => {
                format!("读取 {file} 工作表「{name}」：{list_zh}，{} 行", sheet.rows)
            }
            (None, true) => format!("读取 {file}：{list_zh}，{} 行", sheet.rows),
            (Some(name), false) => format!(
                "read {file}, sheet \"{name}\": {list_en}, {} row(s)",
                sheet.rows
            ),
            (None, false) => format!("read {file}: {list_en}, {} row(s)", sheet.rows),
        };
        // What was recognised; what was ignored is in the notes below.
        let mut columns: Vec<usize> = sheet.fit.columns.iter().map(|(_, c)| *c).collect();
        columns.sort_unstable();
        let names: Vec<String> = columns
            .iter()
            .filter_map(|c| sheet.headers.get(*c))
            .map(|h| clean(h))
            .collect();
        if !names.is_empty() {
            line.push_str(&match lang {
                Lang::Zh => format!("；识别的列：{}", names.join("、")),
                Lang::En => format!("; columns recognised: {}", names.join(", ")),
            });
        }
        out.push(line);
    }
    for note in &parsed.notes {
        out.push(format!(
            "{}{}",
            lang.pick("注意：", "note: "),
            note.get(lang)
        ));
    }
    let created = |pick: fn(&Target) -> Option<usize>| -> Vec<usize> {
        plan.ops
            .iter()
            .filter(|op| op.created)
            .filter_map(|op| pick(&op.target))
            .collect()
    };
    let created_line = |zh_text: &str, en_text: &str, names: Vec<String>| -> String {
        let n = names.len();
        match (zh, dry_run) {
            (true, true) => format!("将新建{zh_text}（{n}）：{}", names.join("、")),
            (true, false) => format!("新建{zh_text}（{n}）：{}", names.join("、")),
            (false, true) => format!("would create {en_text} ({n}): {}", names.join(", ")),
            (false, false) => format!("created {en_text} ({n}): {}", names.join(", ")),
        }
    };
    let streets = created(|t| match t {
        Target::Street(i) => Some(*i),
        _ => None,
    });
    if !streets.is_empty() {
        let names = streets.iter().map(|i| clean(&w.streets[*i].v)).collect();
        out.push(created_line("街道", "streets", names));
    }
    let communities = created(|t| match t {
        Target::Community(i) => Some(*i),
        _ => None,
    });
    if !communities.is_empty() {
        let names = communities.iter().map(|i| community_name(w, *i)).collect();
        out.push(created_line("社区", "communities", names));
    }
    let units = created(|t| match t {
        Target::Unit(i) => Some(*i),
        _ => None,
    });
    if !units.is_empty() {
        let names = units.iter().map(|i| clean(&w.units[*i].v.name)).collect();
        out.push(created_line("驻区单位", "units", names));
    }
    for list in LISTS {
        let Some(counts) = plan.counts.get(&list) else {
            continue;
        };
        let (name_zh, name_en) = list.name();
        out.push(match lang {
            Lang::Zh => format!(
                "{name_zh}：{}{}，{}{}，未变 {}",
                if dry_run { "将新增 " } else { "新增 " },
                counts.created,
                if dry_run { "将更新 " } else { "更新 " },
                counts.updated,
                counts.unchanged
            ),
            Lang::En => format!(
                "{name_en}: {} {}, {} {}, {} unchanged",
                counts.created,
                if dry_run { "to create" } else { "created" },
                counts.updated,
                if dry_run { "to update" } else { "updated" },
                counts.unchanged
            ),
        });
        // Every item in a dry run; after a real import, the projects (the list reviewed in
        // the weekly meeting); the rest is in the adjustment log.
        if !dry_run && list != List::Projects {
            continue;
        }
        for op in plan.ops.iter().filter(|op| list_of(op) == Some(list)) {
            out.push(format!("  {}", item_line(w, op, lang)));
        }
    }
    if !plan.done_without_date.is_empty() {
        let names: Vec<String> = plan
            .done_without_date
            .iter()
            .map(|p| {
                let project = &w.projects[*p].v;
                format!(
                    "{}{}",
                    community_name(w, project.community),
                    quoted(&project.title, lang)
                )
            })
            .collect();
        let n = names.len();
        out.push(match lang {
            Lang::Zh => format!(
                "完成日期未填（{n}）：{}（已按已完成导入，完成日期留空）",
                names.join("、")
            ),
            Lang::En => format!(
                "完成日期未填 / done date not filled in ({n}): {} (imported as done, without a date)",
                names.join(", ")
            ),
        });
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// The list whose item lines show an operation (streets, communities and units created in
/// passing are named in their own lines instead).
fn list_of(op: &Op) -> Option<List> {
    match op.target {
        Target::Street(_) | Target::Community(_) => None,
        Target::Unit(_) if op.created => None,
        Target::Unit(_) => Some(List::Units),
        Target::Contract(_) => Some(List::Contracts),
        Target::Resource(_) => Some(List::Resources),
        Target::Need(_) => Some(List::Needs),
        // A need's row linking the project that answers it.
        Target::Project(_) if !op.created && op.changes.iter().all(|c| c.column == "need_id") => {
            Some(List::Needs)
        }
        Target::Project(_) => Some(List::Projects),
        Target::Meeting(_) => Some(List::Meetings),
        Target::Activity(_) => Some(List::Activities),
        Target::Survey(_) => Some(List::Surveys),
        Target::Member(_) => Some(List::Members),
        Target::Service(_) => Some(List::Services),
        Target::Grade(_) => Some(List::Grades),
    }
}

fn community_name(w: &World, c: usize) -> String {
    let community = &w.communities[c].v;
    format!(
        "{} {}",
        clean(&w.streets[community.street].v),
        clean(&community.name)
    )
}

fn quoted(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("「{}」", clean(text)),
        Lang::En => format!(" \"{}\"", clean(text)),
    }
}

/// `+ 西江街道 石羊塘社区「健康讲座」截止日期 2026-06-30，状态 进行中` or
/// `~ …：截止日期 2026-03-31 → 2026-12-31`
fn item_line(w: &World, op: &Op, lang: Lang) -> String {
    let what = match op.target {
        Target::Street(i) => clean(&w.streets[i].v),
        Target::Community(i) => community_name(w, i),
        Target::Unit(i) => clean(&w.units[i].v.name),
        Target::Contract(i) => {
            let v = &w.contracts[i].v;
            format!(
                "{} {}",
                community_name(w, v.community),
                clean(&w.units[v.unit].v.name)
            )
        }
        Target::Resource(i) => {
            let v = &w.resources[i].v;
            format!(
                "{} {}{}",
                community_name(w, v.community),
                clean(&w.units[v.unit].v.name),
                quoted(&v.title, lang)
            )
        }
        Target::Need(i) => {
            let v = &w.needs[i].v;
            format!(
                "{}{}",
                community_name(w, v.community),
                quoted(&v.title, lang)
            )
        }
        Target::Project(i) => {
            let v = &w.projects[i].v;
            format!(
                "{}{}",
                community_name(w, v.community),
                quoted(&v.title, lang)
            )
        }
        Target::Meeting(i) => {
            let v = &w.meetings[i].v;
            format!(
                "{} {} {}",
                community_name(w, v.community),
                MeetingKind::from_code(&v.kind)
                    .map_or_else(|| clean(&v.kind), |k| k.word(lang).to_string()),
                v.held_on
            )
        }
        Target::Activity(i) => {
            let v = &w.activities[i].v;
            let p = &w.projects[v.project].v;
            format!(
                "{}{} {}",
                community_name(w, p.community),
                quoted(&p.title, lang),
                v.held_on
            )
        }
        Target::Service(i) => {
            let v = &w.services[i].v;
            let m = &w.members[v.member].v;
            format!(
                "{} {} {}",
                community_name(w, m.community),
                clean(&m.name),
                v.served_on
            )
        }
        Target::Survey(i) => {
            let v = &w.surveys[i].v;
            let p = &w.projects[v.project].v;
            format!(
                "{}{} {}",
                community_name(w, p.community),
                quoted(&p.title, lang),
                v.held_on
            )
        }
        Target::Member(i) => {
            let m = &w.members[i].v;
            format!("{} {}", community_name(w, m.community), clean(&m.name))
        }
        Target::Grade(i) => {
            let v = &w.grades[i].v;
            let subject = match v.graded {
                Graded::Community(c) => community_name(w, c),
                Graded::Unit(u) => clean(&w.units[u].v.name),
                Graded::Contract(k) => {
                    let c = &w.contracts[k].v;
                    format!(
                        "{} — {}",
                        community_name(w, c.community),
                        clean(&w.units[c.unit].v.name)
                    )
                }
            };
            format!("{} {subject} {}", v.year, v.assessor.word(lang))
        }
    };
    let sep = lang.pick("，", ", ");
    if op.created {
        let fields: Vec<(&str, V)> = match op.target {
            Target::Contract(i) => vec![("signed_on", V::Text(w.contracts[i].v.signed_on.clone()))],
            Target::Resource(i) => vec![("times_used", V::Int(w.resources[i].v.times_used))],
            Target::Need(i) => vec![
                ("raised_on", V::Text(w.needs[i].v.raised_on.clone())),
                ("source", V::Text(w.needs[i].v.source.clone())),
            ],
            Target::Project(i) => {
                let v = &w.projects[i].v;
                let mut f = vec![
                    ("unit_id", v.unit.map_or(V::Null, V::Unit)),
                    ("due_on", V::Text(v.due_on.clone())),
                    ("status", V::Text(v.status.clone())),
                ];
                if let Some(done) = &v.done_on {
                    f.push(("done_on", V::Text(done.clone())));
                }
                f
            }
            Target::Meeting(i) => vec![(
                "attendees",
                w.meetings[i].v.attendees.map_or(V::Null, V::Int),
            )],
            Target::Activity(i) => vec![
                ("planned", V::Int(w.activities[i].v.planned)),
                ("actual", V::Int(w.activities[i].v.actual)),
            ],
            Target::Service(i) => vec![("minutes", V::Int(w.services[i].v.minutes))],
            Target::Survey(i) => vec![
                ("respondents", V::Int(w.surveys[i].v.respondents)),
                ("satisfied", V::Int(w.surveys[i].v.satisfied)),
            ],
            Target::Member(i) => {
                let v = &w.members[i].v;
                let mut f = vec![
                    ("workplace", v.unit.map_or(V::Null, V::Unit)),
                    ("registered_on", V::Text(v.registered_on.clone())),
                ];
                if let Some(left) = &v.left_on {
                    f.push(("left_on", V::Text(left.clone())));
                }
                f
            }
            Target::Grade(i) => vec![("grade", V::Text(w.grades[i].v.grade.code().to_string()))],
            _ => Vec::new(),
        };
        let fields: Vec<String> = fields
            .iter()
            .map(|(column, v)| {
                format!("{} {}", label(column, lang), value_text(w, column, v, lang))
            })
            .collect();
        if fields.is_empty() {
            format!("+ {what}")
        } else {
            format!("+ {what} {}", fields.join(sep))
        }
    } else {
        let changes: Vec<String> = op
            .changes
            .iter()
            .map(
                |Change {
                     column,
                     before,
                     after,
                 }| {
                    format!(
                        "{} {} → {}",
                        label(column, lang),
                        value_text(w, column, before, lang),
                        value_text(w, column, after, lang)
                    )
                },
            )
            .collect();
        format!("~ {what}{}{}", lang.pick("：", ": "), changes.join(sep))
    }
}

fn label(column: &str, lang: Lang) -> &'static str {
    let (zh, en) = match column {
        "kind" => ("类型", "kind"),
        "signed_on" => ("签约日期", "signed on"),
        "times_used" => ("使用次数", "times used"),
        "raised_on" => ("提出日期", "raised on"),
        "source" => ("来源", "source"),
        "unit_id" => ("牵头单位", "lead unit"),
        "due_on" => ("截止日期", "due"),
        "status" => ("状态", "status"),
        "done_on" => ("完成日期", "done on"),
        "attendees" => ("参会人数", "attendees"),
        "note" => ("备注", "note"),
        "planned" => ("计划人数", "planned"),
        "actual" => ("实际人数", "actual"),
        "minutes" => ("服务时长（分钟）", "minutes"),
        "need_id" => ("对接需求", "need answered"),
        "respondents" => ("受访人数", "respondents"),
        "satisfied" => ("满意人数", "satisfied"),
        "workplace" => ("工作单位", "workplace"),
        "registered_on" => ("报到日期", "registered on"),
        "left_on" => ("离开日期", "left on"),
        "grade" => ("等次", "grade"),
        _ => ("", ""),
    };
    lang.pick(zh, en)
}

fn value_text(w: &World, column: &str, v: &V, lang: Lang) -> String {
    match v {
        V::Null => lang.pick("（无）", "(none)").to_string(),
        V::Int(n) => n.to_string(),
        V::Unit(u) => clean(&w.units[*u].v.name),
        V::Need(n) => {
            let need = &w.needs[*n];
            let id = need.id.map(|i| format!("#{i} ")).unwrap_or_default();
            format!("{id}{}", clean(&need.v.title))
        }
        V::Text(t) if column == "grade" => {
            Grade::from_code(t).map_or_else(|| clean(t), |g| g.word(lang).to_string())
        }
        V::Text(t) if column == "status" => {
            Status::from_code(t).map_or_else(|| clean(t), |s| s.word(lang).to_string())
        }
        V::Text(t) if column == "source" => {
            NeedSource::from_code(t).map_or_else(|| clean(t), |s| s.word(lang).to_string())
        }
        V::Text(t) if t.is_empty() => lang.pick("（空）", "(empty)").to_string(),
        V::Text(t) => clean(t),
    }
}
