//! Reading reviews and decisions back. A file without the review tables (an older file opened
//! read-only) reads as having none.

use super::{Decision, DecisionState, Outcome, Review, Reviewed, Summary, action_label};
use crate::adjust::{self, ActionKind, Entry, HistoryFilter, MeetingKind};
use crate::dates::{format_ymd, parse_ymd};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::indicators::CommunityFigures;
use crate::store::rows;
use crate::store::rows::{Source, query_all, query_one};
use crate::store::{int, opt_int, opt_text, text};
use crate::text::clean;
use chrono::{DateTime, Local, NaiveDate, Utc};
use serde::Serialize;
use std::collections::HashMap;

/// Whether the file has the review tables (schema version 4 or later).
pub(crate) fn has_tables(conn: &dyn Source) -> Result<bool> {
    Ok(
        conn.has_table("review")?
            && conn.has_table("review_item")?
            && conn.has_table("decision")?,
    )
}

/// A stored RFC 3339 time (`at`, `started_at`) as an ordering key: SQLite's `julianday`, so
/// that any offset compares right; on a server the text itself (gongjian writes every time
/// there as UTC, `…Z`, so the text sorts as the time).
fn time_key(conn: &dyn Source, column: &str) -> String {
    if conn.sqlite().is_some() {
        format!("julianday({column})")
    } else {
        column.to_string()
    }
}

/// A stored RFC 3339 time.
pub(crate) fn parse_at(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A stored time in local time, `2026-11-28 17:30`; the stored text when it cannot be read.
pub(crate) fn local_time(text: &str) -> String {
    match parse_at(text) {
        Some(t) => t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
        None => clean(text),
    }
}

const REVIEW_COLUMNS: &str =
    "SELECT r.id, r.started_at, r.ended_at, r.operator, r.street_id, s.name,
            EXISTS (SELECT 1 FROM adjustment a
                     WHERE a.action = 'review_end' AND json_valid(a.after)
                       AND json_extract(a.after, '$.review') = r.id
                       AND json_extract(a.after, '$.interrupted') = 1),
            COALESCE((SELECT max(i.at) FROM review_item i WHERE i.review_id = r.id), r.started_at)
       FROM review r LEFT JOIN street s ON s.id = r.street_id";

/// The same on a server: PostgreSQL 15 cannot test a text for JSON, so only the entries that
/// name an interruption are read as JSON (gongjian writes every `review_end` entry).
const PG_REVIEW_COLUMNS: &str =
    "SELECT r.id, r.started_at, r.ended_at, r.operator, r.street_id, s.name,
            EXISTS (SELECT 1 FROM adjustment a
                     WHERE a.action = 'review_end'
                       AND CASE WHEN a.action = 'review_end' AND a.after LIKE '{%\"interrupted\":true%}'
                                THEN a.after::jsonb -> 'review' = to_jsonb(r.id)
                                     AND a.after::jsonb -> 'interrupted' = 'true'::jsonb
                           ELSE false END),
            COALESCE((SELECT max(i.at) FROM review_item i WHERE i.review_id = r.id), r.started_at)
       FROM review r LEFT JOIN street s ON s.id = r.street_id";

fn review_columns(conn: &dyn Source) -> &'static str {
    if conn.sqlite().is_some() {
        REVIEW_COLUMNS
    } else {
        PG_REVIEW_COLUMNS
    }
}

fn review_row(r: &dyn rows::CellRow) -> rusqlite::Result<Review> {
    Ok(Review {
        id: int(r, 0)?,
        started_at: text(r, 1)?,
        ended_at: opt_text(r, 2)?,
        operator: text(r, 3)?,
        street_id: opt_int(r, 4).unwrap_or(None),
        street: opt_text(r, 5)?,
        interrupted: r.get::<Option<bool>>(6).ok().flatten().unwrap_or(false),
        last_at: opt_text(r, 7)?.unwrap_or_default(),
    })
}

/// One review.
pub fn review(conn: &dyn Source, id: i64) -> Result<Option<Review>> {
    if !has_tables(conn)? {
        return Ok(None);
    }
    query_one(
        conn,
        &format!("{} WHERE r.id = ?1", review_columns(conn)),
        &[id.into()],
        review_row,
    )
}

/// The review started last, ended or not.
pub fn latest_review(conn: &dyn Source) -> Result<Option<Review>> {
    if !has_tables(conn)? {
        return Ok(None);
    }
    query_one(
        conn,
        &format!(
            "{} ORDER BY {} DESC, r.id DESC LIMIT 1",
            review_columns(conn),
            time_key(conn, "r.started_at")
        ),
        &[],
        review_row,
    )
}

/// Reviews that were started and never ended (a terminal closed mid-meeting), newest first:
/// the screen may offer to carry one on.
pub fn open_reviews(conn: &dyn Source) -> Result<Vec<Review>> {
    if !has_tables(conn)? {
        return Ok(Vec::new());
    }
    query_all(
        conn,
        &format!(
            "{} WHERE r.ended_at IS NULL ORDER BY {} DESC, r.id DESC",
            review_columns(conn),
            time_key(conn, "r.started_at")
        ),
        &[],
        review_row,
    )
}

/// Which decisions to read.
#[derive(Debug, Clone, Default)]
pub(crate) struct DecisionQuery {
    pub community: Option<i64>,
    pub review: Option<i64>,
    pub street: Option<i64>,
    /// Created at or after this time (RFC 3339).
    pub created_from: Option<String>,
    /// Created before this time (RFC 3339).
    pub created_before: Option<String>,
}

/// Decisions with their state on `today`: open and overdue ones first by due date, then the
/// done ones by due date.
pub(crate) fn query_decisions(
    conn: &dyn Source,
    query: &DecisionQuery,
    today: NaiveDate,
) -> Result<Vec<Decision>> {
    if !has_tables(conn)? {
        return Ok(Vec::new());
    }
    let sql = if conn.sqlite().is_some() {
        "SELECT d.id, d.review_id, d.community_id, c.name, d.text, d.owner, d.due_on,
                d.created_at, d.created_by, d.done_at, d.done_by, d.done_note
           FROM decision d LEFT JOIN community c ON c.id = d.community_id
          WHERE (?1 IS NULL OR d.community_id = ?1)
            AND (?2 IS NULL OR d.review_id = ?2)
            AND (?3 IS NULL OR c.street_id = ?3)
            AND (?4 IS NULL OR julianday(d.created_at) >= julianday(?4))
            AND (?5 IS NULL OR julianday(d.created_at) < julianday(?5))
          ORDER BY d.done_at IS NOT NULL, d.due_on, d.id"
    } else {
        // The times compared as text: gongjian writes them all as UTC (`…Z`).
        "SELECT d.id, d.review_id, d.community_id, c.name, d.text, d.owner, d.due_on,
                d.created_at, d.created_by, d.done_at, d.done_by, d.done_note
           FROM decision d LEFT JOIN community c ON c.id = d.community_id
          WHERE (?1::bigint IS NULL OR d.community_id = ?1)
            AND (?2::bigint IS NULL OR d.review_id = ?2)
            AND (?3::bigint IS NULL OR c.street_id = ?3)
            AND (?4::text IS NULL OR d.created_at >= ?4)
            AND (?5::text IS NULL OR d.created_at < ?5)
          ORDER BY d.done_at IS NOT NULL, d.due_on, d.id"
    };
    query_all(
        conn,
        sql,
        &[
            query.community.into(),
            query.review.into(),
            query.street.into(),
            (&query.created_from).into(),
            (&query.created_before).into(),
        ],
        |r| decision_row(r, today),
    )
}

/// One row of the decisions' query (either engine) with its state on `today`.
fn decision_row(r: &dyn rows::CellRow, today: NaiveDate) -> rusqlite::Result<Decision> {
    let whole = |idx: usize| -> rusqlite::Result<Option<i64>> {
        Ok(match r.value(idx)? {
            rusqlite::types::ValueRef::Integer(i) => Some(i),
            rusqlite::types::ValueRef::Real(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                Some(f as i64)
            }
            other => rows::as_text(other).and_then(|t| t.trim().parse().ok()),
        })
    };
    let opt_text =
        |idx: usize| -> rusqlite::Result<Option<String>> { Ok(rows::as_text(r.value(idx)?)) };
    let text = |idx: usize| -> rusqlite::Result<String> { Ok(opt_text(idx)?.unwrap_or_default()) };
    let done_at: Option<String> = opt_text(9)?;
    let due_on: String = text(6)?;
    let (state, days_overdue) = match (&done_at, parse_ymd(&due_on)) {
        (Some(_), _) => (DecisionState::Done, 0),
        (None, Some(due)) if due < today => (DecisionState::Overdue, (today - due).num_days()),
        (None, _) => (DecisionState::Open, 0),
    };
    Ok(Decision {
        id: whole(0)?.ok_or_else(|| {
            rusqlite::Error::InvalidColumnType(0, "id".into(), rusqlite::types::Type::Null)
        })?,
        review_id: whole(1).unwrap_or(None),
        community_id: whole(2).ok().flatten().unwrap_or_default(),
        community: text(3)?,
        text: text(4)?,
        owner: text(5)?,
        due_on,
        created_at: text(7)?,
        created_by: text(8)?,
        done_at,
        done_by: opt_text(10)?,
        done_note: opt_text(11)?,
        state,
        days_overdue,
    })
}

/// [`decisions`] on either engine (the dashboard's reader on a PostgreSQL database): every
/// decision (of one community when given) with its state on `today`, in the same order.
pub fn decisions_on(
    src: &dyn rows::Source,
    community: Option<i64>,
    today: NaiveDate,
) -> Result<Vec<Decision>> {
    if let Some(conn) = src.sqlite() {
        return decisions(conn, community, today);
    }
    if !src.has_table("decision")? {
        return Ok(Vec::new());
    }
    let filter = if community.is_some() {
        "d.community_id = ?1"
    } else {
        "TRUE"
    };
    let sql = format!(
        "SELECT d.id, d.review_id, d.community_id, c.name, d.text, d.owner, d.due_on,
                d.created_at, d.created_by, d.done_at, d.done_by, d.done_note
           FROM decision d LEFT JOIN community c ON c.id = d.community_id
          WHERE {filter}
          ORDER BY d.done_at IS NOT NULL, d.due_on, d.id"
    );
    let params: Vec<rows::Param<'_>> = community.into_iter().map(Into::into).collect();
    rows::collect_on(src, &sql, &params, |r| decision_row(r, today).map(Some))
}

/// Every decision (of one community when given) with its state on `today`: open and overdue
/// ones first by due date, then the done ones.
pub fn decisions(
    conn: &dyn Source,
    community: Option<i64>,
    today: NaiveDate,
) -> Result<Vec<Decision>> {
    query_decisions(
        conn,
        &DecisionQuery {
            community,
            ..DecisionQuery::default()
        },
        today,
    )
}

/// Community id → how many of its decisions are overdue on `today` (communities without any
/// are absent). The community screen shows these as a flag.
pub fn overdue_decisions(conn: &dyn Source, today: NaiveDate) -> Result<HashMap<i64, u32>> {
    let mut out = HashMap::new();
    for d in decisions(conn, None, today)? {
        if d.state == DecisionState::Overdue {
            *out.entry(d.community_id).or_insert(0) += 1;
        }
    }
    Ok(out)
}

/// The figures of a community as the last review that covered it saw them.
#[derive(Debug, Clone, PartialEq)]
pub struct PastReview {
    pub review_id: i64,
    /// When the community was covered.
    pub at: DateTime<Utc>,
    pub figures: CommunityFigures,
}

impl PastReview {
    /// `2026-11-21 09:40`, local time.
    pub fn local_time(&self) -> String {
        self.at
            .with_timezone(&Local)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }
}

/// The last time a review covered `community` (skipped ones do not count), other than in
/// review `exclude` (pass the review under way, so that coming back to a community still
/// compares with the review before). Records whose figures cannot be read are passed over.
pub fn last_review(
    conn: &dyn Source,
    community: i64,
    exclude: Option<i64>,
) -> Result<Option<PastReview>> {
    if !has_tables(conn)? {
        return Ok(None);
    }
    let sql = format!(
        "SELECT review_id, at, figures FROM review_item
          WHERE community_id = ?1 AND outcome = 'covered' AND ({} IS NULL OR review_id <> ?2)
          ORDER BY {} DESC, id DESC",
        if conn.sqlite().is_some() {
            "?2"
        } else {
            "?2::bigint"
        },
        time_key(conn, "at")
    );
    let rows = query_all(conn, &sql, &[community.into(), exclude.into()], |r| {
        Ok((int(r, 0), text(r, 1)?, text(r, 2)?))
    })?;
    for row in rows {
        let (Ok(review_id), at, figures) = row else {
            continue;
        };
        let (Some(at), Ok(figures)) = (parse_at(&at), serde_json::from_str(&figures)) else {
            continue;
        };
        return Ok(Some(PastReview {
            review_id,
            at,
            figures,
        }));
    }
    Ok(None)
}

/// A session of a project held since the last review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldActivity {
    pub held_on: String,
    pub project_id: i64,
    pub project: String,
    pub planned: i64,
    pub actual: i64,
}

/// A meeting of the community held since the last review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldMeeting {
    pub held_on: String,
    /// `quarterly`, `site_visit` or `other` (as stored).
    pub kind: String,
    pub attendees: Option<i64>,
    pub note: String,
}

/// What happened in a community since a moment (the last review), oldest first.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SinceLastReview {
    /// Sessions held on or after the day of that moment (local day).
    pub activities: Vec<HeldActivity>,
    /// Meetings held on or after that day.
    pub meetings: Vec<HeldMeeting>,
    /// Adjustments logged after that moment (the review's own entries left out).
    pub adjustments: Vec<Entry>,
}

/// One dated line of "since the last review".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatedLine {
    /// `YYYY-MM-DD` (local day for log entries).
    pub date: String,
    pub text: String,
}

impl SinceLastReview {
    pub fn is_empty(&self) -> bool {
        self.activities.is_empty() && self.meetings.is_empty() && self.adjustments.is_empty()
    }

    /// Everything in one list, oldest first, each line with its date:
    /// `活动：垃圾分类督导（计划 30，实际 24）`, `例会：季度例会（15 人）`,
    /// `调整：改期 健康讲座：截止日期：2026-12-20 → 2027-01-31（王芳：周例会决定）`.
    pub fn lines(&self, lang: Lang) -> Vec<DatedLine> {
        let zh = lang == Lang::Zh;
        let mut out: Vec<(String, u8, DatedLine)> = Vec::new();
        for a in &self.activities {
            let title = clean(&a.project);
            let text = if zh {
                format!("活动：{title}（计划 {}，实际 {}）", a.planned, a.actual)
            } else {
                format!(
                    "Activity: {title} (planned {}, actual {})",
                    a.planned, a.actual
                )
            };
            out.push((a.held_on.clone(), 0, dated(&a.held_on, text)));
        }
        for m in &self.meetings {
            let kind = MeetingKind::from_code(&m.kind)
                .map_or_else(|| clean(&m.kind), |k| lang.t(k.label()).to_string());
            let mut detail = Vec::new();
            if let Some(n) = m.attendees {
                detail.push(if zh {
                    format!("{n} 人")
                } else {
                    format!("{n} attending")
                });
            }
            if !m.note.trim().is_empty() {
                detail.push(clean(&m.note));
            }
            let detail = if detail.is_empty() {
                String::new()
            } else if zh {
                format!("（{}）", detail.join("，"))
            } else {
                format!(" ({})", detail.join(", "))
            };
            let text = format!("{}{kind}{detail}", lang.pick("例会：", "Meeting: "));
            out.push((m.held_on.clone(), 1, dated(&m.held_on, text)));
        }
        for e in &self.adjustments {
            let day = parse_at(&e.at)
                .map(|t| format_ymd(t.with_timezone(&Local).date_naive()))
                .unwrap_or_else(|| clean(&e.at));
            let text = format!(
                "{}{}",
                lang.pick("调整：", "Adjustment: "),
                entry_text(e, lang)
            );
            out.push((e.at.clone(), 2, dated(&day, text)));
        }
        // Sessions and meetings have only a day; log entries sort by their exact time within it.
        out.sort_by(|a, b| {
            a.2.date
                .cmp(&b.2.date)
                .then(a.1.cmp(&b.1))
                .then(a.0.cmp(&b.0))
        });
        out.into_iter().map(|(_, _, line)| line).collect()
    }
}

fn dated(date: &str, text: String) -> DatedLine {
    DatedLine {
        date: clean(date),
        text,
    }
}

/// The words for a log entry's action: an adjustment's, the review's, or the stored text.
pub(crate) fn action_text(action: &str, lang: Lang) -> String {
    if let Some(kind) = ActionKind::parse(action) {
        lang.t(kind.label()).to_string()
    } else if let Some(term) = action_label(action) {
        lang.t(term).to_string()
    } else if action == crate::adjust::setting::ACTION {
        lang.t(crate::adjust::setting::LABEL).to_string()
    } else {
        clean(action)
    }
}

/// `改期 健康讲座：截止日期：2026-12-20 → 2027-01-31（王芳：周例会决定）`
pub(crate) fn entry_text(e: &Entry, lang: Lang) -> String {
    let mut text = action_text(&e.action, lang);
    if let Some(project) = &e.project {
        text.push(' ');
        text.push_str(&clean(project));
    }
    let changes: Vec<String> = e.changes().iter().map(|c| c.line(lang)).collect();
    if !changes.is_empty() {
        text.push_str(lang.pick("：", ": "));
        text.push_str(&changes.join(lang.pick("；", "; ")));
    }
    let (operator, reason) = (clean(&e.operator), clean(&e.reason));
    text.push_str(&match lang {
        Lang::Zh => format!("（{operator}：{reason}）"),
        Lang::En => format!(" ({operator}: {reason})"),
    });
    text
}

/// The log entries of one community (all when `None`) logged at or after `from` and before
/// `until` (no end when `None`), oldest first, without the review's own entries.
pub(crate) fn adjustments_between(
    conn: &dyn Source,
    community: Option<i64>,
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
) -> Result<Vec<Entry>> {
    // The log's day filter is in local days: start a day early, then compare exact times.
    let since = from.with_timezone(&Local).date_naive().pred_opt();
    let filter = HistoryFilter {
        community,
        since,
        ..HistoryFilter::default()
    };
    let mut entries: Vec<Entry> = adjust::history(conn, &filter)?
        .into_iter()
        .filter(|e| !super::is_review_action(&e.action))
        .filter(|e| parse_at(&e.at).is_some_and(|t| t >= from && until.is_none_or(|u| t < u)))
        .collect();
    entries.reverse();
    Ok(entries)
}

/// What happened in `community` since `since` (the time of the last review, from
/// [`last_review`]): sessions and meetings held on or after that local day up to `today`, adjustments
/// logged after that moment. Oldest first.
pub fn since_last_review(
    conn: &dyn Source,
    community: i64,
    since: DateTime<Utc>,
    today: NaiveDate,
) -> Result<SinceLastReview> {
    let day = format_ymd(since.with_timezone(&Local).date_naive());
    // Held: on a real day, not after today (a session planned for next month has not been).
    let real_day = |text: &str| parse_ymd(text).is_some_and(|d| d <= today);
    // Rows another tool wrote with junk in them are left out, never guessed at (the figures
    // name them).
    let mut ignored = Vec::new();
    let activities = rows::activity::of_community_since(conn, community, &day, &mut ignored)?
        .into_iter()
        .filter(|(a, _)| real_day(&a.held_on))
        .map(|(a, title)| HeldActivity {
            held_on: a.held_on,
            project_id: a.project_id,
            project: title,
            planned: a.planned,
            actual: a.actual,
        })
        .collect();
    let meetings = rows::meeting::of_community_since(conn, community, &day, &mut ignored)?
        .into_iter()
        .filter(|m| real_day(&m.held_on))
        .map(|m| HeldMeeting {
            held_on: m.held_on,
            kind: m.kind,
            attendees: m.attendees,
            note: m.note,
        })
        .collect();
    let adjustments = adjustments_between(conn, Some(community), since, None)?;
    Ok(SinceLastReview {
        activities,
        meetings,
        adjustments,
    })
}

/// What review `review` did so far (see [`Summary`]), decisions' states on `today`.
pub fn summary(conn: &dyn Source, review_id: i64, today: NaiveDate) -> Result<Summary> {
    let Some(review) = review(conn, review_id)? else {
        return Err(Error::plain(
            format!("没有编号为 {review_id} 的周例会回顾"),
            format!("there is no weekly review with id {review_id}"),
        ));
    };
    let mut covered = Vec::new();
    let mut skipped = Vec::new();
    {
        let sql = format!(
            "SELECT i.community_id, c.name, i.outcome
               FROM review_item i LEFT JOIN community c ON c.id = i.community_id
              WHERE i.review_id = ?1
              ORDER BY {}, i.id",
            time_key(conn, "i.at")
        );
        let rows = query_all(conn, &sql, &[review_id.into()], |r| {
            Ok((int(r, 0), text(r, 1)?, text(r, 2)?))
        })?;
        for (community_id, community, outcome) in rows {
            let Ok(community_id) = community_id else {
                continue;
            };
            let item = Reviewed {
                community_id,
                community,
                outcome: Outcome::from_code(&outcome).unwrap_or(Outcome::Skipped),
            };
            match item.outcome {
                Outcome::Covered => covered.push(item),
                Outcome::Skipped => skipped.push(item),
            }
        }
    }
    let taken = query_decisions(
        conn,
        &DecisionQuery {
            review: Some(review_id),
            ..DecisionQuery::default()
        },
        today,
    )?;
    let in_street = query_decisions(
        conn,
        &DecisionQuery {
            street: review.street_id,
            ..DecisionQuery::default()
        },
        today,
    )?;
    let from = parse_at(&review.started_at);
    // The review's end is inclusive: what was logged in its last second counts.
    let until = review
        .ended_at
        .as_deref()
        .and_then(parse_at)
        .map(|t| t + chrono::Duration::seconds(1));
    let during = |at: Option<&str>| {
        at.and_then(parse_at)
            .zip(from)
            .is_some_and(|(t, from)| t >= from && until.is_none_or(|u| t < u))
    };
    let done = in_street
        .iter()
        .filter(|d| during(d.done_at.as_deref()))
        .cloned()
        .collect();
    let open = in_street
        .into_iter()
        .filter(|d| d.state.is_open())
        .collect();
    let adjustments = match from {
        Some(from) => {
            let in_street = streets_of_communities(conn)?;
            adjustments_between(conn, None, from, until)?
                .into_iter()
                .filter(|e| {
                    review.street_id.is_none_or(|s| {
                        e.community_id
                            .and_then(|c| in_street.get(&c))
                            .is_some_and(|cs| *cs == s)
                    })
                })
                .collect()
        }
        None => Vec::new(),
    };
    Ok(Summary {
        review,
        covered,
        skipped,
        decisions: taken,
        done,
        adjustments,
        open,
    })
}

/// Community id → its street's id.
pub(crate) fn streets_of_communities(conn: &dyn Source) -> Result<HashMap<i64, i64>> {
    let mut ignored = Vec::new();
    Ok(rows::community::all(conn, &mut ignored)?
        .into_iter()
        .map(|c| (c.id, c.street_id))
        .collect())
}
