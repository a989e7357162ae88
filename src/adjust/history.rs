//! Reading the adjustment log (调整记录), newest first.

use super::action::ActionKind;
use super::apply::Change;
use super::error::Result;
use super::project::{int, opt_int, opt_text, text};
use crate::fields::key;
use crate::i18n::{Lang, Term};
use crate::store::rows::{Param, Source};
use chrono::{DateTime, Local, NaiveDate, SecondsFormat, TimeZone, Utc};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// Which entries to read. Dates are local days, inclusive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    pub community: Option<i64>,
    /// Entries about this project, including the conversion that created it.
    pub project: Option<i64>,
    pub operator: Option<String>,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// At most this many entries (the newest).
    pub limit: Option<usize>,
}

/// One entry of the log with every column, the names of its community and project, and
/// whether a later entry undid it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub id: i64,
    /// RFC 3339, UTC, as stored.
    pub at: String,
    pub operator: String,
    pub community_id: Option<i64>,
    pub community: Option<String>,
    pub project_id: Option<i64>,
    pub project: Option<String>,
    pub action: String,
    /// The JSON as stored (a string when it is not valid JSON).
    pub before: Value,
    pub after: Value,
    pub reason: String,
    /// For an undo: the entry it reverses.
    pub reverses: Option<i64>,
    /// The entry that undid this one.
    pub undone_by: Option<i64>,
    pub undone: bool,
}

impl Entry {
    pub fn kind(&self) -> Option<ActionKind> {
        ActionKind::parse(&self.action)
    }

    /// The action in the user's words (every action gongjian writes has them; an action
    /// another tool wrote is called that, never shown as its code).
    pub fn action_word(&self, lang: Lang) -> String {
        match action_term(&self.action) {
            Some(term) => lang.t(term).to_string(),
            None => lang
                .pick("其他程序的记录", "entry by another program")
                .to_string(),
        }
    }

    /// Why `u` does nothing on this entry, in plain words.
    pub fn why_not_undoable(&self, lang: Lang) -> String {
        if let Some(by) = self.undone_by {
            return match lang {
                Lang::Zh => format!("此条已由记录 #{by} 撤销"),
                Lang::En => format!("this entry was already undone by entry #{by}"),
            };
        }
        if self.reverses.is_some() || self.kind() == Some(ActionKind::Undo) {
            return lang
                .pick(
                    "此条本身就是撤销，不能再撤销；要恢复，请重新做一次原来的调整",
                    "this entry is itself an undo and cannot be undone; to restore, make the original adjustment again",
                )
                .to_string();
        }
        lang.pick(
            match self.action.as_str() {
                "import" => "导入一次改动很多行，不能在这里撤销；要改回，请导入改正后的表格，或逐项调整",
                "review_start" | "review_item" | "review_end" => {
                    "周例会回顾的记录只记下回顾了哪些社区，不改动任何项目，无需撤销"
                }
                "decision_done" => {
                    "办结的督办事项保持办结，不能撤销；如仍需跟进，请在周例会回顾中新记一条督办事项"
                }
                _ => "此条由其他程序写入，不能在这里撤销",
            },
            match self.action.as_str() {
                "import" => "an import changed many rows and cannot be undone here; to change it back, import a corrected sheet or adjust item by item",
                "review_start" | "review_item" | "review_end" => {
                    "review entries only record which communities were reviewed and change no project: there is nothing to undo"
                }
                "decision_done" => {
                    "a decision that is done stays done and cannot be undone; if it still needs work, record a new decision in the weekly review"
                }
                _ => "this entry was written by another program and cannot be undone here",
            },
        )
        .to_string()
    }

    /// Whether the history screen should offer undo: not an undo, not undone, written by
    /// gongjian. (The file may still have changed since; [`super::preview`] says.)
    pub fn can_undo(&self) -> bool {
        self.reverses.is_none()
            && self.undone_by.is_none()
            && (self.kind().is_some_and(|k| k != ActionKind::Undo)
                || self.action == super::setting::ACTION
                || self.action == super::decision::RECORDED
                || self.action == super::decision::EDITED)
    }

    /// The time in local time, `2026-11-28 17:30`; the stored text when it cannot be read.
    pub fn local_time(&self) -> String {
        DateTime::parse_from_rfc3339(&self.at)
            .map(|t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|_| self.at.clone())
    }

    /// Before → after for each value the entry recorded; an inserted or deleted row shows one
    /// line per column. Units show as `#id`.
    pub fn changes(&self) -> Vec<Change> {
        let mut out = Vec::new();
        flatten(&self.before, &self.after, None, &mut out);
        out
    }
}

/// The words for every action the log holds, by the code stored in its `action` column.
pub fn action_term(action: &str) -> Option<Term> {
    if let Some(kind) = ActionKind::parse(action) {
        return Some(kind.label());
    }
    Some(match action {
        "import" => ("导入表格", "spreadsheet import"),
        super::setting::ACTION => super::setting::LABEL,
        "review_start" => ("开始周例会回顾", "weekly review started"),
        "review_item" => ("回顾社区", "community reviewed"),
        "review_end" => ("结束周例会回顾", "weekly review ended"),
        "decision" => ("记录督办事项", "decision recorded"),
        "decision_done" => ("办结督办事项", "decision done"),
        "decision_edit" => ("修改督办事项", "decision changed"),
        _ => return None,
    })
}

const KEY_ORDER: &[&str] = &[
    "title",
    "unit_id",
    "due_on",
    "status",
    "done_on",
    "successor",
    "successor_status",
    "kind",
    "held_on",
    "planned",
    "actual",
    "attendees",
    "grade",
    "note",
];

/// The field a column of a logged row stands for: a unit is a project's lead unit, a member's
/// workplace, and the unit of a contract or resource (`within` is the row's table).
fn field_of<'a>(column: &'a str, within: Option<&str>) -> &'a str {
    match (column, within) {
        ("unit_id", Some("member" | "members")) => key::WORKPLACE,
        ("unit_id", Some("contract" | "resource")) => "offering_unit",
        _ => column,
    }
}

/// Appends before → after for each key of two JSON objects, rows one column a line.
/// `within` is the table of the row the objects hold, when they are a row.
fn flatten(before: &Value, after: &Value, within: Option<&str>, out: &mut Vec<Change>) {
    let empty = serde_json::Map::new();
    let before = before.as_object().unwrap_or(&empty);
    let after = after.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = after.keys().collect();
    keys.extend(before.keys().filter(|k| !after.contains_key(*k)));
    // Form order, whatever order the JSON object came in.
    let rank = |k: &str| {
        KEY_ORDER
            .iter()
            .position(|o| *o == k)
            .unwrap_or(KEY_ORDER.len())
    };
    keys.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
    for k in keys {
        let (b, a) = (
            before.get(k).unwrap_or(&Value::Null),
            after.get(k).unwrap_or(&Value::Null),
        );
        match k.as_str() {
            // The successor shows by id and title on its own line ("successor"); its row's
            // columns would read as the old project's.
            "successor_project" => {}
            "id" | "project_id" | "community_id" if b.is_object() || a.is_object() => {}
            _ if b.is_object() || a.is_object() => {
                let strip = |v: &Value| {
                    let mut v = v.clone();
                    if let Some(map) = v.as_object_mut() {
                        for inner in ["id", "project_id", "community_id"] {
                            map.remove(inner);
                        }
                    }
                    v
                };
                flatten(&strip(b), &strip(a), Some(k.as_str()), out);
            }
            _ => {
                let (b, mut a) = (plain(k, b), plain(k, a));
                // The successor by its name as well as its id (`#157 老年兴趣小组`).
                if k == "successor"
                    && let Some(title) = after
                        .get("successor_project")
                        .and_then(|p| p.get("title"))
                        .and_then(Value::as_str)
                {
                    a = format!("{a} {title}");
                }
                if a != b {
                    out.push(Change::new(field_of(k, within), b, a));
                }
            }
        }
    }
}

fn plain(key: &str, value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) if matches!(key, "unit_id" | "successor" | "review" | "review_id") => {
            format!("#{n}")
        }
        Value::Object(map) => map
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "id" | "project_id" | "community_id"))
            .map(|(k, v)| format!("{k}={}", plain(k, v)))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// The instant a local day starts, in the log's UTC form.
fn day_start_utc(day: NaiveDate) -> String {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    match Local.from_local_datetime(&midnight).earliest() {
        Some(t) => t
            .with_timezone(&Utc)
            .to_rfc3339_opts(SecondsFormat::Secs, true),
        None => format!("{}T00:00:00Z", crate::dates::format_ymd(day)),
    }
}

/// The log, newest first. A file without the log (an older file opened read-only) has none.
pub fn history(conn: &dyn Source, filter: &HistoryFilter) -> Result<Vec<Entry>> {
    query(conn, filter, None)
}

/// One entry of the log.
pub fn entry(conn: &dyn Source, id: i64) -> Result<Option<Entry>> {
    Ok(query(conn, &HistoryFilter::default(), Some(id))?.pop())
}

/// The log's SQL on SQLite: the project's entries include the conversion that created it
/// (found in the JSON by SQLite's own functions).
const SQLITE_SQL: &str =
    "SELECT a.id, a.at, a.operator, a.community_id, c.name, a.project_id, p.title,
                    a.action, a.before, a.after, a.reason, a.reverses
               FROM adjustment a
               LEFT JOIN community c ON c.id = a.community_id
               LEFT JOIN project p ON p.id = a.project_id
              WHERE (?1 IS NULL OR a.community_id = ?1)
                AND (?2 IS NULL OR a.project_id = ?2
                     OR (a.action = 'convert'
                         AND CASE WHEN json_valid(a.after)
                                  THEN json_extract(a.after, '$.successor') END = ?2))
                AND (?3 IS NULL OR a.operator = ?3)
                AND (?4 IS NULL OR julianday(a.at) >= julianday(?4))
                AND (?5 IS NULL OR julianday(a.at) < julianday(?5))
                AND (?7 IS NULL OR a.id = ?7)
              ORDER BY a.id DESC
              LIMIT ?6";

/// The same on PostgreSQL: every conversion is read when a project is asked for, and the one
/// that created it is kept here (PostgreSQL 15 cannot test a text for JSON); the log's times
/// are all gongjian's own `YYYY-MM-DDTHH:MM:SSZ`, compared as text.
const PG_SQL: &str = "SELECT a.id, a.at, a.operator, a.community_id, c.name, a.project_id, p.title,
                    a.action, a.before, a.after, a.reason, a.reverses
               FROM adjustment a
               LEFT JOIN community c ON c.id = a.community_id
               LEFT JOIN project p ON p.id = a.project_id
              WHERE (?1::bigint IS NULL OR a.community_id = ?1)
                AND (?2::bigint IS NULL OR a.project_id = ?2 OR a.action = 'convert')
                AND (?3::text IS NULL OR a.operator = ?3)
                AND (?4::text IS NULL OR a.at >= ?4)
                AND (?5::text IS NULL OR a.at < ?5)
                AND (?7::bigint IS NULL OR a.id = ?7)
              ORDER BY a.id DESC
              LIMIT ?6";

fn query(conn: &dyn Source, filter: &HistoryFilter, only: Option<i64>) -> Result<Vec<Entry>> {
    if !conn.has_table("adjustment")? {
        return Ok(Vec::new());
    }
    // One moment of the log: SQLite reads in a transaction of its own (a server's read is one).
    let tx = conn
        .sqlite()
        .map(|c| c.unchecked_transaction())
        .transpose()?;
    let conn: &dyn Source = match &tx {
        Some(tx) => tx,
        None => conn,
    };
    let mut undone: HashMap<i64, i64> = HashMap::new();
    conn.each_row(
        "SELECT reverses, min(id) FROM adjustment WHERE reverses IS NOT NULL GROUP BY reverses",
        &[],
        &mut |r| {
            undone.insert(int(r, 0)?, int(r, 1)?);
            Ok(())
        },
    )?;
    let since = filter.since.map(day_start_utc);
    let until = filter.until.and_then(|d| d.succ_opt()).map(day_start_utc);
    let server = tx.is_none();
    let limit = filter.limit.and_then(|n| i64::try_from(n).ok());
    let operator = filter.operator.as_deref().map(str::trim);
    let params: [Param<'_>; 7] = [
        filter.community.into(),
        filter.project.into(),
        operator.into(),
        since.as_deref().into(),
        until.as_deref().into(),
        // SQLite reads -1 as no limit, PostgreSQL NULL; on a server the project's entries
        // are counted after the conversions are sorted out below.
        match (server, filter.project) {
            (false, _) => limit.unwrap_or(-1).into(),
            (true, None) => limit.into(),
            (true, Some(_)) => Param::Null,
        },
        only.into(),
    ];
    let json = |text: String| serde_json::from_str(&text).unwrap_or(Value::String(text));
    let mut out = Vec::new();
    conn.each_row(
        if server { PG_SQL } else { SQLITE_SQL },
        &params,
        &mut |r| {
            let id = int(r, 0)?;
            let undone_by = undone.get(&id).copied();
            out.push(Entry {
                id,
                at: text(r, 1)?,
                operator: text(r, 2)?,
                community_id: opt_int(r, 3)?,
                community: opt_text(r, 4)?,
                project_id: opt_int(r, 5)?,
                project: opt_text(r, 6)?,
                action: text(r, 7)?,
                before: json(text(r, 8)?),
                after: json(text(r, 9)?),
                reason: text(r, 10)?,
                reverses: opt_int(r, 11)?,
                undone_by,
                undone: undone_by.is_some(),
            });
            Ok(())
        },
    )?;
    if server && let Some(project) = filter.project {
        out.retain(|e| {
            e.project_id == Some(project)
                || e.after.get("successor").and_then(Value::as_i64) == Some(project)
        });
        if let Some(n) = filter.limit {
            out.truncate(n);
        }
    }
    if let Some(tx) = tx {
        tx.finish()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use serde_json::json;

    fn entry(action: &str, before: Value, after: Value) -> Entry {
        Entry {
            id: 1,
            at: "2026-11-28T02:30:00Z".into(),
            operator: "王芳".into(),
            community_id: Some(1),
            community: None,
            project_id: Some(1),
            project: None,
            action: action.into(),
            before,
            after,
            reason: "r".into(),
            reverses: None,
            undone_by: None,
            undone: false,
        }
    }

    fn lines(e: &Entry) -> Vec<String> {
        e.changes().iter().map(|c| c.line(Lang::En)).collect()
    }

    #[test]
    fn rows_read_one_column_a_line_in_form_order() {
        let e = entry(
            "activity",
            json!({}),
            json!({"activity": {"actual": 24, "held_on": "2026-11-20", "id": 9, "planned": 30, "project_id": 1}}),
        );
        assert_eq!(
            lines(&e),
            [
                "date: (none) → 2026-11-20",
                "planned: (none) → 30",
                "actual: (none) → 24"
            ]
        );
        let e = entry(
            "convert",
            json!({"status": "active"}),
            json!({"status": "cancelled", "successor": 12, "successor_project": {"id": 12, "title": "新"}}),
        );
        assert_eq!(
            lines(&e),
            [
                "status: active → cancelled",
                "successor project: (none) → #12 新"
            ]
        );
        let e = entry(
            "revise",
            json!({"unit_id": 1, "title": "旧"}),
            json!({"unit_id": null, "title": "新"}),
        );
        assert_eq!(lines(&e), ["title: 旧 → 新", "lead unit: #1 → (none)"]);
        assert!(e.can_undo());
        let foreign = entry("import", Value::String("not json".into()), json!({"x": 1}));
        assert_eq!(lines(&foreign), ["x: (none) → 1"]);
        assert!(!foreign.can_undo());
    }

    #[test]
    fn a_unit_is_labelled_by_the_kind_of_row_it_belongs_to() {
        let member = entry(
            "add-member",
            json!({}),
            json!({"member": {"id": 4, "community_id": 1, "unit_id": 9, "name": "高明",
                               "registered_on": "2026-03-01", "left_on": null}}),
        );
        let zh: Vec<String> = member.changes().iter().map(|c| c.line(Lang::Zh)).collect();
        assert!(zh.contains(&"工作单位：（无） → #9".to_string()), "{zh:?}");
        assert!(!zh.iter().any(|l| l.contains("牵头单位")), "{zh:?}");
        let resource = entry(
            "import",
            json!({}),
            json!({"resource": {"id": 2, "community_id": 1, "unit_id": 3, "title": "会议室", "times_used": 0}}),
        );
        let zh: Vec<String> = resource
            .changes()
            .iter()
            .map(|c| c.line(Lang::Zh))
            .collect();
        assert!(zh.contains(&"驻区单位：（无） → #3".to_string()), "{zh:?}");
        let project = entry(
            "import",
            json!({}),
            json!({"project": {"id": 5, "community_id": 1, "unit_id": 3, "title": "讲座"}}),
        );
        let zh: Vec<String> = project.changes().iter().map(|c| c.line(Lang::Zh)).collect();
        assert!(zh.contains(&"牵头单位：（无） → #3".to_string()), "{zh:?}");
    }

    #[test]
    fn local_time_falls_back_to_the_stored_text() {
        let mut e = entry("pause", json!({}), json!({}));
        assert_eq!(e.local_time().len(), "2026-11-28 02:30".len());
        e.at = "yesterday".into();
        assert_eq!(e.local_time(), "yesterday");
    }
}
