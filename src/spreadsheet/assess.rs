//! `gongjian assess --year Y --format xlsx`: the year-end assessment as an office hands it to
//! the district — one sheet of communities, one of units (grades beside the year's record, a
//! contradicted self-grade with its reasons), the two candidate lists with the figures that
//! placed them, and the rules that produced them. The figures are those of
//! [`crate::report::assess`]; nothing is computed here.

use super::export::{Formats, Table, XCell, write_table, xlsx_error};
use crate::error::Result;
use crate::i18n::Lang;
use crate::indicators::Pct;
use crate::indicators::assessment::{Assessment, Bar, Ratio, Reason, YearRecord};
use crate::model::Grade;
use rust_xlsxwriter::Workbook;

fn grade(g: Option<Grade>, lang: Lang) -> XCell {
    XCell::Text(g.map_or_else(String::new, |g| g.word(lang).to_string()))
}

fn ratio(r: Option<Ratio>) -> XCell {
    XCell::Pct(r.and_then(Ratio::pct))
}

fn pct(done: u32, total: u32) -> XCell {
    XCell::Pct(Pct::of(i64::from(done), i64::from(total)))
}

fn hours(minutes: i64) -> XCell {
    XCell::Pct(Pct::of(minutes, 6000))
}

fn joined(words: impl Iterator<Item = String>, lang: Lang) -> XCell {
    XCell::Text(words.collect::<Vec<_>>().join(lang.pick("；", "; ")))
}

fn reasons(reasons: &[Reason], lang: Lang) -> XCell {
    joined(reasons.iter().map(|r| r.words(lang)), lang)
}

fn bars(bars: &[Bar], lang: Lang) -> XCell {
    joined(bars.iter().map(|b| b.words(lang).to_string()), lang)
}

/// Where a row stands among the candidates: its rank, and whether it is within the places named.
fn place(rank: Option<usize>, named: bool, lang: Lang) -> [XCell; 2] {
    [
        rank.map_or(XCell::Text(String::new()), |r| XCell::Int(r as i64)),
        XCell::Text(
            match (rank, named) {
                (Some(_), true) => lang.pick("推荐", "named"),
                (Some(_), false) => lang.pick("名额外", "beyond the places"),
                (None, _) => "",
            }
            .to_string(),
        ),
    ]
}

fn headers(lang: Lang, zh: &[&str], en: &[&str]) -> Vec<String> {
    let words = if lang == Lang::Zh { zh } else { en };
    words.iter().map(|s| s.to_string()).collect()
}

/// The workbook's sheets.
pub fn assess_tables(record: &YearRecord, a: &Assessment, lang: Lang) -> Vec<Table> {
    let name = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let communities = Table {
        name: name("社区", "communities"),
        headers: headers(
            lang,
            &[
                "编号",
                "街道",
                "社区",
                "自评",
                "第三方评估",
                "已完成项目",
                "清单项目",
                "清单完成率(%)",
                "完成率预警",
                "资源利用率(%)",
                "逾期项目",
                "未开例会季度",
                "参与率(%)",
                "群众满意度(%)",
                "自评与实绩不符",
                "不符原因",
                "候选名次",
                "推荐",
                "未入选原因",
            ],
            &[
                "id",
                "street",
                "community",
                "self",
                "third_party",
                "done",
                "total",
                "completion_pct",
                "completion_alert",
                "resource_pct",
                "overdue",
                "missed_quarters",
                "participation_pct",
                "satisfaction_pct",
                "mismatch",
                "reasons",
                "rank",
                "named",
                "not_a_candidate_because",
            ],
        ),
        rows: record
            .communities
            .iter()
            .zip(&a.communities)
            .map(|(c, v)| {
                let missing = crate::indicators::assessment::missing_quarters(&c.quarters)
                    .iter()
                    .map(|q| format!("Q{q}"))
                    .collect::<Vec<_>>()
                    .join(lang.pick("、", ", "));
                let mut row = vec![
                    XCell::Int(c.id),
                    XCell::Text(c.street.clone()),
                    XCell::Text(c.name.clone()),
                    grade(v.grades.self_grade, lang),
                    grade(v.grades.third_party, lang),
                    XCell::Int(i64::from(c.completion.done)),
                    XCell::Int(i64::from(c.completion.total)),
                    pct(c.completion.done, c.completion.total),
                    XCell::Flag(c.completion.alert),
                    pct(c.resources.done, c.resources.total),
                    XCell::Int(c.overdue.len() as i64),
                    XCell::Text(missing),
                    ratio(c.participation),
                    ratio(c.satisfaction),
                    XCell::Flag(v.mismatch),
                    reasons(&v.reasons, lang),
                ];
                row.extend(place(v.rank, a.model_communities.contains(&c.id), lang));
                row.push(bars(&v.bars, lang));
                row
            })
            .collect(),
    };
    let units = Table {
        name: name("驻区单位", "units"),
        headers: headers(
            lang,
            &[
                "编号",
                "驻区单位",
                "自评",
                "社区评议",
                "第三方评估",
                "已完成项目",
                "牵头项目",
                "清单完成率(%)",
                "完成率预警",
                "逾期项目",
                "参与不足社区",
                "活动次数",
                "党员服务时长(小时)",
                "自评与实绩不符",
                "不符原因",
                "候选名次",
                "推荐",
                "未入选原因",
            ],
            &[
                "id",
                "unit",
                "self",
                "community",
                "third_party",
                "done",
                "total",
                "completion_pct",
                "completion_alert",
                "overdue",
                "inactive_in",
                "activities",
                "service_hours",
                "mismatch",
                "reasons",
                "rank",
                "named",
                "not_a_candidate_because",
            ],
        ),
        rows: record
            .units
            .iter()
            .zip(&a.units)
            .map(|(u, v)| {
                let community_name = |id: i64| {
                    record
                        .communities
                        .iter()
                        .find(|c| c.id == id)
                        .map_or_else(|| format!("#{id}"), |c| c.name.clone())
                };
                let by_community = v
                    .grades
                    .community
                    .iter()
                    .map(|g| format!("{} {}", community_name(g.community_id), g.grade.word(lang)))
                    .collect::<Vec<_>>()
                    .join(lang.pick("；", "; "));
                let inactive = u
                    .inactive_in
                    .iter()
                    .map(|i| i.community.clone())
                    .collect::<Vec<_>>()
                    .join(lang.pick("、", ", "));
                let mut row = vec![
                    XCell::Int(u.id),
                    XCell::Text(u.name.clone()),
                    grade(v.grades.self_grade, lang),
                    XCell::Text(by_community),
                    grade(v.grades.third_party, lang),
                    XCell::Int(i64::from(u.completion.done)),
                    XCell::Int(i64::from(u.completion.total)),
                    pct(u.completion.done, u.completion.total),
                    XCell::Flag(u.completion.alert),
                    XCell::Int(u.overdue.len() as i64),
                    XCell::Text(inactive),
                    XCell::Int(i64::from(u.activities)),
                    hours(u.minutes),
                    XCell::Flag(v.mismatch),
                    reasons(&v.reasons, lang),
                ];
                row.extend(place(v.rank, a.model_units.contains(&u.id), lang));
                row.push(bars(&v.bars, lang));
                row
            })
            .collect(),
    };
    let model_communities = Table {
        name: name("示范社区候选", "model communities"),
        headers: headers(
            lang,
            &[
                "名次",
                "编号",
                "街道",
                "社区",
                "已完成项目",
                "清单项目",
                "清单完成率(%)",
                "参与率(%)",
                "群众满意度(%)",
            ],
            &[
                "rank",
                "id",
                "street",
                "community",
                "done",
                "total",
                "completion_pct",
                "participation_pct",
                "satisfaction_pct",
            ],
        ),
        rows: a
            .model_communities
            .iter()
            .enumerate()
            .filter_map(|(i, id)| {
                let c = record.communities.iter().find(|c| c.id == *id)?;
                Some(vec![
                    XCell::Int(i as i64 + 1),
                    XCell::Int(c.id),
                    XCell::Text(c.street.clone()),
                    XCell::Text(c.name.clone()),
                    XCell::Int(i64::from(c.completion.done)),
                    XCell::Int(i64::from(c.completion.total)),
                    pct(c.completion.done, c.completion.total),
                    ratio(c.participation),
                    ratio(c.satisfaction),
                ])
            })
            .collect(),
    };
    let model_units = Table {
        name: name("优秀驻区单位候选", "model units"),
        headers: headers(
            lang,
            &[
                "名次",
                "编号",
                "驻区单位",
                "已完成项目",
                "牵头项目",
                "清单完成率(%)",
                "活动次数",
                "党员服务时长(小时)",
            ],
            &[
                "rank",
                "id",
                "unit",
                "done",
                "total",
                "completion_pct",
                "activities",
                "service_hours",
            ],
        ),
        rows: a
            .model_units
            .iter()
            .enumerate()
            .filter_map(|(i, id)| {
                let u = record.units.iter().find(|u| u.id == *id)?;
                Some(vec![
                    XCell::Int(i as i64 + 1),
                    XCell::Int(u.id),
                    XCell::Text(u.name.clone()),
                    XCell::Int(i64::from(u.completion.done)),
                    XCell::Int(i64::from(u.completion.total)),
                    pct(u.completion.done, u.completion.total),
                    XCell::Int(i64::from(u.activities)),
                    hours(u.minutes),
                ])
            })
            .collect(),
    };
    let [rule_c, rule_u] = crate::report::assess::rules(record, lang);
    let s = &record.settings;
    let about = Table {
        name: name("说明", "about"),
        headers: headers(lang, &["项目", "值"], &["item", "value"]),
        rows: vec![
            vec![
                XCell::Text(name("考评年度", "year")),
                XCell::Int(i64::from(a.year)),
            ],
            vec![
                XCell::Text(name("统计截至", "as of")),
                XCell::Date(a.today.clone()),
            ],
            vec![
                XCell::Text(name("示范社区评选规则", "model communities: rule")),
                XCell::Text(rule_c),
            ],
            vec![
                XCell::Text(name("优秀驻区单位评选规则", "model units: rule")),
                XCell::Text(rule_u),
            ],
            vec![
                XCell::Text(name(
                    "自评与实绩不符（社区）",
                    "self-grade contradicted (community)",
                )),
                XCell::Text(name(
                    "自评“优秀”，但第三方评估为“一般”或“较差”、清单完成率预警、有逾期项目或有未开的季度例会。",
                    "self-graded excellent while a third party graded fair or poor, completion is flagged, a project is overdue or a quarterly meeting was missed.",
                )),
            ],
            vec![
                XCell::Text(name(
                    "自评与实绩不符（驻区单位）",
                    "self-grade contradicted (unit)",
                )),
                XCell::Text(name(
                    "自评“优秀”，但签约社区评议为“一般”或“较差”、牵头项目有逾期、完成率预警，或在签约社区是参与不足单位。",
                    "self-graded excellent while a contracting community graded fair or poor, a project it leads is overdue, its completion is flagged, or it is inactive in a contracted community.",
                )),
            ],
            vec![
                XCell::Text(name("示范社区名额", "model_communities")),
                XCell::Int(i64::from(s.model_communities)),
            ],
            vec![
                XCell::Text(name("优秀驻区单位名额", "model_units")),
                XCell::Int(i64::from(s.model_units)),
            ],
            vec![
                XCell::Text(name("清单完成率预警线(%)", "completion_alert_pct")),
                XCell::Int(i64::from(s.completion_alert_pct)),
            ],
            vec![
                XCell::Text(name("资源利用率预警线(%)", "resource_alert_pct")),
                XCell::Int(i64::from(s.resource_alert_pct)),
            ],
            vec![
                XCell::Text(name("群众满意度预警线(%)", "satisfaction_alert_pct")),
                XCell::Int(i64::from(s.satisfaction_alert_pct)),
            ],
            vec![
                XCell::Text(name("驻区单位年度最少活动次数", "min_unit_activities")),
                XCell::Int(i64::from(s.min_unit_activities)),
            ],
        ],
    };
    vec![communities, units, model_communities, model_units, about]
}

/// The header rows of the workbook's sheets (for the import to know them as gongjian's own).
pub fn assess_headers(lang: Lang) -> Vec<Vec<String>> {
    let record = YearRecord {
        year: 2000,
        today: chrono::NaiveDate::default(),
        settings: crate::model::Thresholds::default(),
        communities: Vec::new(),
        units: Vec::new(),
    };
    let a = Assessment {
        year: 2000,
        today: String::new(),
        communities: Vec::new(),
        units: Vec::new(),
        model_communities: Vec::new(),
        model_units: Vec::new(),
    };
    assess_tables(&record, &a, lang)
        .into_iter()
        .map(|t| t.headers)
        .collect()
}

/// The workbook's bytes.
pub fn assess_workbook(record: &YearRecord, a: &Assessment, lang: Lang) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    for table in assess_tables(record, a, lang) {
        let sheet = workbook.add_worksheet();
        write_table(sheet, &table, &formats, lang).map_err(xlsx_error)?;
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}
