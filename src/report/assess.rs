//! The year-end assessment printed: the JSON of the contract, plain text, and Markdown as the
//! office hands it to the district; and, for one community or unit, every figure behind its
//! place with the rows it came from.

use super::markdown::md;
use super::pct_text;
use crate::i18n::Lang;
use crate::indicators::assessment::{
    Assessment, Bar, CommunityYear, Ratio, Reason, UnitYear, YearRecord,
};
use crate::model::{Grade, GradeRow};
use crate::text::clean;
use serde_json::{Value, json};

/// The day the assessment of `year` is computed for: `--today` when given (it must fall in
/// the year), else the last day of the year once it is over, else the local date. A year that
/// has not begun is an error naming both.
pub fn assessment_day(
    year: Option<i32>,
    fixed_today: Option<chrono::NaiveDate>,
    local: chrono::NaiveDate,
) -> crate::error::Result<(i32, chrono::NaiveDate)> {
    use chrono::Datelike;
    let today = fixed_today.unwrap_or(local);
    let Some(year) = year else {
        return Ok((today.year(), today));
    };
    if let Some(fixed) = fixed_today {
        if fixed.year() != year {
            return Err(crate::error::Error::plain(
                format!("--today {fixed} 不在考评年度 {year} 内"),
                format!("--today {fixed} is not in the assessed year {year}"),
            ));
        }
        return Ok((year, fixed));
    }
    if year > local.year() {
        return Err(crate::error::Error::plain(
            format!("考评年度 {year} 还没有到（今天是 {local}）"),
            format!("the assessed year {year} has not begun (today is {local})"),
        ));
    }
    if year < local.year() {
        let last = chrono::NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| {
            crate::error::Error::plain(
                format!("年度 {year} 无效"),
                format!("{year} is not a valid year"),
            )
        })?;
        return Ok((year, last));
    }
    Ok((year, local))
}

/// Reads the file and assesses the year of `today`: the year's record, its assessment, and the
/// rows left out as breaking the contract. The command line and the dashboard share it.
pub fn compute(
    store: &crate::store::Store,
    today: chrono::NaiveDate,
) -> crate::error::Result<(YearRecord, Assessment, Vec<crate::model::DataProblem>)> {
    compute_on(store.conn(), today)
}

/// [`compute`] on either engine (a file's connection, or a PostgreSQL read transaction).
pub fn compute_on(
    src: &dyn crate::store::rows::Source,
    today: chrono::NaiveDate,
) -> crate::error::Result<(YearRecord, Assessment, Vec<crate::model::DataProblem>)> {
    use crate::indicators::assessment;
    use chrono::Datelike;
    let thresholds = crate::store::read_thresholds(src)?;
    let day = crate::store::load_day_on(src, today, crate::store::Scope::District)?;
    let rows = crate::store::load_assess_rows_on(src, today.year())?;
    let sums = match &day.sessions {
        Some(sums) => sums.clone(),
        None => crate::indicators::session_sums(&day.district.activities, today),
    };
    let service = assessment::service_figures(&day.district, &rows.surveys, &rows.services, today);
    let record = assessment::year_record(
        &day.district,
        &sums,
        &rows.contracts,
        &rows.grades,
        &service,
        today,
        &thresholds,
    );
    let verdict = assessment::assess(&record);
    let mut problems = day.district.problems;
    problems.extend(rows.problems);
    Ok((record, verdict, problems))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AssessFormat {
    Text,
    Json,
    Md,
}

pub fn render(record: &YearRecord, a: &Assessment, format: AssessFormat, lang: Lang) -> String {
    match format {
        AssessFormat::Json => {
            let mut text = crate::text::escape_json_controls(
                &serde_json::to_string_pretty(&to_json(a, lang)).unwrap_or_default(),
            );
            text.push('\n');
            text
        }
        AssessFormat::Text => render_text(record, a, lang),
        AssessFormat::Md => render_md(record, a, lang),
    }
}

fn reasons_json(reasons: &[Reason], lang: Lang) -> Vec<String> {
    reasons.iter().map(|r| r.words(lang)).collect()
}

/// The contract's JSON: communities and units by id, a grade not given is `null`.
pub fn to_json(a: &Assessment, lang: Lang) -> Value {
    json!({
        "year": a.year,
        "today": a.today,
        "communities": a.communities.iter().map(|c| json!({
            "id": c.id,
            "name": c.name,
            "grades": c.grades,
            "mismatch": c.mismatch,
            "reasons": reasons_json(&c.reasons, lang),
        })).collect::<Vec<_>>(),
        "units": a.units.iter().map(|u| json!({
            "id": u.id,
            "name": u.name,
            "grades": u.grades,
            "mismatch": u.mismatch,
            "reasons": reasons_json(&u.reasons, lang),
        })).collect::<Vec<_>>(),
        "model_communities": a.model_communities,
        "model_units": a.model_units,
    })
}

fn grade_text(grade: Option<Grade>, lang: Lang) -> &'static str {
    grade.map_or("-", |g| g.word(lang))
}

fn ratio_pct(r: Option<Ratio>) -> String {
    pct_text(r.and_then(Ratio::pct))
}

fn tally_text(done: u32, total: u32) -> String {
    format!(
        "{done}/{total} {}",
        pct_text(crate::indicators::Pct::of(
            i64::from(done),
            i64::from(total)
        ))
    )
}

fn hours(minutes: i64) -> String {
    crate::indicators::Pct::of(minutes, 6000).map_or_else(|| "0.0".into(), |p| p.to_string())
}

fn missing_text(c: &CommunityYear, lang: Lang) -> String {
    let missing = crate::indicators::assessment::missing_quarters(&c.quarters);
    if missing.is_empty() {
        "-".into()
    } else {
        missing
            .iter()
            .map(|q| format!("Q{q}"))
            .collect::<Vec<_>>()
            .join(lang.pick("、", ","))
    }
}

fn community_grades_text(u: &crate::indicators::assessment::UnitVerdict, lang: Lang) -> String {
    if u.grades.community.is_empty() {
        return "-".into();
    }
    u.grades
        .community
        .iter()
        .map(|g| format!("#{}:{}", g.community_id, g.grade.word(lang)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The rules that produced the candidate lists, in words.
pub fn rules(record: &YearRecord, lang: Lang) -> [String; 2] {
    let s = &record.settings;
    match lang {
        Lang::Zh => [
            format!(
                "示范社区（前 {} 名）：清单完成率未预警且有计入项目、资源利用率未预警、无逾期项目、无未开季度例会、群众满意度未预警、无“较差”评价；按清单完成率、参与率、满意度从高到低，再按编号排序。",
                s.model_communities
            ),
            format!(
                "优秀驻区单位（前 {} 名）：有共建契约，所牵头项目完成率未预警且有计入项目、无逾期项目、在签约社区均非参与不足单位、无“较差”评价；按完成率、全年活动次数、党员服务时长从高到低，再按编号排序。",
                s.model_units
            ),
        ],
        Lang::En => [
            format!(
                "Model communities (first {}): completion not flagged with projects counted, resource use not flagged, no overdue project, no missed quarterly meeting, satisfaction not flagged, no grade of poor; ranked by completion, participation, satisfaction (highest first), then id.",
                s.model_communities
            ),
            format!(
                "Model units (first {}): has a contract; completion of the projects it leads not flagged with projects counted, no overdue project, not inactive in any contracted community, no grade of poor; ranked by completion, activities in the year, members' service hours (highest first), then id.",
                s.model_units
            ),
        ],
    }
}

fn render_text(record: &YearRecord, a: &Assessment, lang: Lang) -> String {
    let mut out = String::new();
    out.push_str(&match lang {
        Lang::Zh => format!("{} 年年终考评（截至 {}）\n\n社区\n", a.year, a.today),
        Lang::En => format!(
            "Year-end assessment {} (as of {})\n\nCommunities\n",
            a.year, a.today
        ),
    });
    for (c, v) in record.communities.iter().zip(&a.communities) {
        out.push_str(&match lang {
            Lang::Zh => format!(
                "  #{} {}  自评 {}  第三方 {}  完成率 {}  逾期 {}  未开例会 {}  参与率 {}  满意度 {}{}\n",
                c.id,
                clean(&c.name),
                grade_text(v.grades.self_grade, lang),
                grade_text(v.grades.third_party, lang),
                tally_text(c.completion.done, c.completion.total),
                c.overdue.len(),
                missing_text(c, lang),
                ratio_pct(c.participation),
                ratio_pct(c.satisfaction),
                v.rank.map_or(String::new(), |r| format!("  候选第 {r} 名")),
            ),
            Lang::En => format!(
                "  #{} {}  self {}  third party {}  completion {}  overdue {}  missed {}  participation {}  satisfaction {}{}\n",
                c.id,
                clean(&c.name),
                grade_text(v.grades.self_grade, lang),
                grade_text(v.grades.third_party, lang),
                tally_text(c.completion.done, c.completion.total),
                c.overdue.len(),
                missing_text(c, lang),
                ratio_pct(c.participation),
                ratio_pct(c.satisfaction),
                v.rank.map_or(String::new(), |r| format!("  candidate #{r}")),
            ),
        });
        for r in &v.reasons {
            out.push_str(&format!(
                "    {} {}\n",
                lang.pick("！自评与实绩不符：", "! self-grade contradicted:"),
                clean(&r.words(lang))
            ));
        }
    }
    out.push_str(lang.pick("\n驻区单位\n", "\nUnits\n"));
    for (u, v) in record.units.iter().zip(&a.units) {
        out.push_str(&match lang {
            Lang::Zh => format!(
                "  #{} {}  自评 {}  社区评议 {}  第三方 {}  完成率 {}  逾期 {}  参与不足 {}  活动 {}  服务 {} 小时{}\n",
                u.id,
                clean(&u.name),
                grade_text(v.grades.self_grade, lang),
                community_grades_text(v, lang),
                grade_text(v.grades.third_party, lang),
                tally_text(u.completion.done, u.completion.total),
                u.overdue.len(),
                u.inactive_in.len(),
                u.activities,
                hours(u.minutes),
                v.rank.map_or(String::new(), |r| format!("  候选第 {r} 名")),
            ),
            Lang::En => format!(
                "  #{} {}  self {}  community {}  third party {}  completion {}  overdue {}  inactive {}  activities {}  service {} h{}\n",
                u.id,
                clean(&u.name),
                grade_text(v.grades.self_grade, lang),
                community_grades_text(v, lang),
                grade_text(v.grades.third_party, lang),
                tally_text(u.completion.done, u.completion.total),
                u.overdue.len(),
                u.inactive_in.len(),
                u.activities,
                hours(u.minutes),
                v.rank.map_or(String::new(), |r| format!("  candidate #{r}")),
            ),
        });
        for r in &v.reasons {
            out.push_str(&format!(
                "    {} {}\n",
                lang.pick("！自评与实绩不符：", "! self-grade contradicted:"),
                clean(&r.words(lang))
            ));
        }
    }
    let [rule_c, rule_u] = rules(record, lang);
    let name_c = |id: &i64| {
        record
            .communities
            .iter()
            .find(|c| c.id == *id)
            .map_or_else(String::new, |c| clean(&c.name))
    };
    let name_u = |id: &i64| {
        record
            .units
            .iter()
            .find(|u| u.id == *id)
            .map_or_else(String::new, |u| clean(&u.name))
    };
    out.push_str(&format!("\n{rule_c}\n"));
    if a.model_communities.is_empty() {
        out.push_str(lang.pick("  （无）\n", "  (none)\n"));
    }
    for (i, id) in a.model_communities.iter().enumerate() {
        out.push_str(&format!("  {}. #{id} {}\n", i + 1, name_c(id)));
    }
    out.push_str(&format!("\n{rule_u}\n"));
    if a.model_units.is_empty() {
        out.push_str(lang.pick("  （无）\n", "  (none)\n"));
    }
    for (i, id) in a.model_units.iter().enumerate() {
        out.push_str(&format!("  {}. #{id} {}\n", i + 1, name_u(id)));
    }
    out
}

fn render_md(record: &YearRecord, a: &Assessment, lang: Lang) -> String {
    let mut out = String::new();
    out.push_str(&match lang {
        Lang::Zh => format!("# {} 年年终考评\n\n截至 {}。\n\n## 社区\n\n| 编号 | 社区 | 自评 | 第三方评估 | 清单完成率 | 逾期项目 | 未开例会 | 参与率 | 群众满意度 | 自评与实绩不符 |\n|---:|---|---|---|---:|---:|---|---:|---:|---|\n", a.year, a.today),
        Lang::En => format!("# Year-end assessment {}\n\nAs of {}.\n\n## Communities\n\n| id | community | self | third party | completion | overdue | missed quarters | participation | satisfaction | self-grade contradicted |\n|---:|---|---|---|---:|---:|---|---:|---:|---|\n", a.year, a.today),
    });
    let reasons_cell = |reasons: &[Reason]| {
        if reasons.is_empty() {
            "-".to_string()
        } else {
            reasons
                .iter()
                .map(|r| md(&r.words(lang)))
                .collect::<Vec<_>>()
                .join("<br>")
        }
    };
    for (c, v) in record.communities.iter().zip(&a.communities) {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            c.id,
            md(&c.name),
            grade_text(v.grades.self_grade, lang),
            grade_text(v.grades.third_party, lang),
            tally_text(c.completion.done, c.completion.total),
            c.overdue.len(),
            missing_text(c, lang),
            ratio_pct(c.participation),
            ratio_pct(c.satisfaction),
            reasons_cell(&v.reasons),
        ));
    }
    out.push_str(match lang {
        Lang::Zh => "\n## 驻区单位\n\n| 编号 | 单位 | 自评 | 社区评议 | 第三方评估 | 清单完成率 | 逾期项目 | 参与不足 | 活动次数 | 服务时长（小时） | 自评与实绩不符 |\n|---:|---|---|---|---|---:|---:|---:|---:|---:|---|\n",
        Lang::En => "\n## Units\n\n| id | unit | self | community | third party | completion | overdue | inactive in | activities | service hours | self-grade contradicted |\n|---:|---|---|---|---|---:|---:|---:|---:|---:|---|\n",
    });
    for (u, v) in record.units.iter().zip(&a.units) {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            u.id,
            md(&u.name),
            grade_text(v.grades.self_grade, lang),
            md(&community_grades_text(v, lang)),
            grade_text(v.grades.third_party, lang),
            tally_text(u.completion.done, u.completion.total),
            u.overdue.len(),
            u.inactive_in.len(),
            u.activities,
            hours(u.minutes),
            reasons_cell(&v.reasons),
        ));
    }
    let [rule_c, rule_u] = rules(record, lang);
    out.push_str(&format!(
        "\n## {}\n\n{}\n\n",
        lang.pick("示范社区候选", "Model communities"),
        md(&rule_c)
    ));
    out.push_str(lang.pick(
        "| 名次 | 编号 | 社区 | 清单完成率 | 参与率 | 群众满意度 |\n|---:|---:|---|---:|---:|---:|\n",
        "| rank | id | community | completion | participation | satisfaction |\n|---:|---:|---|---:|---:|---:|\n",
    ));
    for (i, id) in a.model_communities.iter().enumerate() {
        if let Some(c) = record.communities.iter().find(|c| c.id == *id) {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                i + 1,
                c.id,
                md(&c.name),
                tally_text(c.completion.done, c.completion.total),
                ratio_pct(c.participation),
                ratio_pct(c.satisfaction)
            ));
        }
    }
    out.push_str(&format!(
        "\n## {}\n\n{}\n\n",
        lang.pick("优秀驻区单位候选", "Model units"),
        md(&rule_u)
    ));
    out.push_str(lang.pick(
        "| 名次 | 编号 | 单位 | 清单完成率 | 活动次数 | 服务时长（小时） |\n|---:|---:|---|---:|---:|---:|\n",
        "| rank | id | unit | completion | activities | service hours |\n|---:|---:|---|---:|---:|---:|\n",
    ));
    for (i, id) in a.model_units.iter().enumerate() {
        if let Some(u) = record.units.iter().find(|u| u.id == *id) {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                i + 1,
                u.id,
                md(&u.name),
                tally_text(u.completion.done, u.completion.total),
                u.activities,
                hours(u.minutes)
            ));
        }
    }
    out
}

fn grade_lines(grades: &[GradeRow], lang: Lang, out: &mut String) {
    if grades.is_empty() {
        out.push_str(lang.pick("  评价：无\n", "  grades: none\n"));
    }
    for g in grades {
        out.push_str(&format!(
            "  {}{} {}{}  ({} #{})\n",
            g.assessor.word(lang),
            lang.pick("：", ":"),
            g.grade.word(lang),
            if g.note.is_empty() {
                String::new()
            } else {
                format!(" — {}", clean(&g.note))
            },
            lang.pick("考评记录", "assessment row"),
            g.id
        ));
    }
}

fn verdict_lines(
    reasons: &[Reason],
    bars: &[Bar],
    rank: Option<usize>,
    named: bool,
    lang: Lang,
    out: &mut String,
) {
    if reasons.is_empty() {
        out.push_str(lang.pick("  自评与实绩：无矛盾\n", "  self-grade: not contradicted\n"));
    }
    for r in reasons {
        out.push_str(&format!(
            "  {} {}\n",
            lang.pick("！自评与实绩不符：", "! self-grade contradicted:"),
            clean(&r.words(lang))
        ));
    }
    match rank {
        Some(rank) => out.push_str(&match (lang, named) {
            (Lang::Zh, true) => format!("  候选排名：第 {rank} 名，在推荐名单内\n"),
            (Lang::Zh, false) => format!("  候选排名：第 {rank} 名，超出推荐名额\n"),
            (Lang::En, true) => format!("  candidate rank: {rank}, named\n"),
            (Lang::En, false) => format!("  candidate rank: {rank}, beyond the number named\n"),
        }),
        None => out.push_str(&format!(
            "  {}{}\n",
            lang.pick("不是候选：", "not a candidate: "),
            bars.iter()
                .map(|b| b.words(lang))
                .collect::<Vec<_>>()
                .join(lang.pick("；", "; "))
        )),
    }
}

/// Every figure behind a community's place, with the rows it came from.
pub fn explain_community(
    record: &YearRecord,
    a: &Assessment,
    id: i64,
    lang: Lang,
) -> Option<String> {
    let at = record.communities.iter().position(|c| c.id == id)?;
    let (c, v) = (&record.communities[at], &a.communities[at]);
    let mut out = format!(
        "#{} {}（{}）{} {}\n",
        c.id,
        clean(&c.name),
        clean(&c.street),
        lang.pick(" 年度", " year"),
        a.year
    );
    grade_lines(&c.grades, lang, &mut out);
    out.push_str(&format!(
        "  {}{}{}\n",
        lang.pick("清单完成率：", "list completion: "),
        tally_text(c.completion.done, c.completion.total),
        if c.completion.alert {
            lang.pick("（已预警）", " (flagged)")
        } else {
            ""
        }
    ));
    out.push_str(&format!(
        "  {}{}{}\n",
        lang.pick("资源利用率：", "resource use: "),
        tally_text(c.resources.done, c.resources.total),
        if c.resources.alert {
            lang.pick("（已预警）", " (flagged)")
        } else {
            ""
        }
    ));
    out.push_str(&format!(
        "  {}{}\n",
        lang.pick("逾期项目：", "overdue projects: "),
        c.overdue.len()
    ));
    for o in &c.overdue {
        out.push_str(&format!(
            "    #{} {}  {} {}  {} {}\n",
            o.project_id,
            clean(&o.title),
            lang.pick("截止", "due"),
            o.due_on,
            lang.pick("逾期天数", "days overdue"),
            o.days_overdue
        ));
    }
    out.push_str(lang.pick("  季度例会：\n", "  quarterly meetings:\n"));
    for q in 0..4 {
        let held = &c.meetings_held[q];
        out.push_str(&format!(
            "    Q{} {}{}\n",
            q + 1,
            c.quarters[q].word(lang),
            if held.is_empty() {
                String::new()
            } else {
                format!("  {}", held.join(" "))
            }
        ));
    }
    out.push_str(&format!(
        "  {}{}\n",
        lang.pick(
            "参与率（全年活动合计）：",
            "participation (the year's activities): "
        ),
        c.participation.map_or_else(
            || lang.pick("无活动", "no activities").to_string(),
            |r| format!("{}/{} {}", r.part, r.whole, ratio_pct(Some(r)))
        )
    ));
    out.push_str(&format!(
        "  {}{}{}\n",
        lang.pick("群众满意度：", "satisfaction: "),
        c.satisfaction.map_or_else(
            || lang.pick("无调查", "no surveys").to_string(),
            |r| format!("{}/{} {}", r.part, r.whole, ratio_pct(Some(r)))
        ),
        if c.satisfaction_alert {
            lang.pick("（已预警）", " (flagged)")
        } else {
            ""
        }
    ));
    let named = a.model_communities.contains(&c.id);
    verdict_lines(&v.reasons, &v.bars, v.rank, named, lang, &mut out);
    Some(out)
}

/// Every figure behind a unit's place, with the rows it came from.
pub fn explain_unit(record: &YearRecord, a: &Assessment, id: i64, lang: Lang) -> Option<String> {
    let at = record.units.iter().position(|u| u.id == id)?;
    let (u, v): (&UnitYear, _) = (&record.units[at], &a.units[at]);
    let name_of = |community: i64| {
        record
            .communities
            .iter()
            .find(|c| c.id == community)
            .map_or_else(|| format!("#{community}"), |c| clean(&c.name))
    };
    let mut out = format!(
        "#{} {}{} {}\n",
        u.id,
        clean(&u.name),
        lang.pick(" 年度", " year"),
        a.year
    );
    let mut grades: Vec<GradeRow> = u.grades.clone();
    grades.extend(u.contract_grades.iter().map(|(_, g)| g.clone()));
    grade_lines(&grades, lang, &mut out);
    out.push_str(&format!(
        "  {}{}\n",
        lang.pick("共建契约：", "contracts: "),
        if u.contracts.is_empty() {
            lang.pick("无", "none").to_string()
        } else {
            u.contracts
                .iter()
                .map(|(k, c)| format!("#{k} {}", name_of(*c)))
                .collect::<Vec<_>>()
                .join(lang.pick("；", "; "))
        }
    ));
    out.push_str(&format!(
        "  {}{}{}\n",
        lang.pick(
            "牵头项目完成率（各社区合计）：",
            "completion of the projects it leads (all communities): "
        ),
        tally_text(u.completion.done, u.completion.total),
        if u.completion.alert {
            lang.pick("（已预警）", " (flagged)")
        } else {
            ""
        }
    ));
    for (_, name, done, total) in &u.completion_by_community {
        out.push_str(&format!("    {}  {done}/{total}\n", clean(name)));
    }
    out.push_str(&format!(
        "  {}{}\n",
        lang.pick("逾期项目：", "overdue projects: "),
        u.overdue.len()
    ));
    for o in &u.overdue {
        out.push_str(&format!(
            "    #{} {}（{}）  {} {}  {} {}\n",
            o.project.project_id,
            clean(&o.project.title),
            clean(&o.community),
            lang.pick("截止", "due"),
            o.project.due_on,
            lang.pick("逾期天数", "days overdue"),
            o.project.days_overdue
        ));
    }
    for i in &u.inactive_in {
        out.push_str(&format!(
            "  {}{}  {} {}\n",
            lang.pick("参与不足：", "inactive in: "),
            clean(&i.community),
            lang.pick("活动次数", "activities"),
            i.activities
        ));
    }
    out.push_str(&format!(
        "  {}{}\n  {}{}\n",
        lang.pick(
            "全年活动次数（所牵头项目）：",
            "activities of the projects it leads: "
        ),
        u.activities,
        lang.pick("党员服务时长（小时）：", "members' service hours: "),
        hours(u.minutes)
    ));
    let named = a.model_units.contains(&u.id);
    verdict_lines(&v.reasons, &v.bars, v.rank, named, lang, &mut out);
    Some(out)
}
