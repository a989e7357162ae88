//! Writing a review, its items and its decisions: each change and its log entry in one
//! write transaction ([`crate::store::WriteStore::write_on`]: IMMEDIATE on the file,
//! SERIALIZABLE on a server); nothing is written on any error.

use super::read::{self, local_time};
use super::{Outcome, REVIEW_REASON, Summary, action};
use crate::adjust::{self, Change, EntryParts};
use crate::dates::format_ymd;
use crate::error::{Error, Result};
use crate::fields::{self, FieldError, MAX_NOTE, MAX_OPERATOR, key};
use crate::indicators::CommunityFigures;
use crate::store::WriteStore;
use crate::store::rows::{Source, Writer, exists as found, query_all, query_one};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde_json::{Value, json};

/// Longest accepted decision text, in characters.
pub const MAX_DECISION: usize = 200;

/// Field keys of the decision form (also the labels of [`crate::fields::label`]).
const DECISION: &str = "decision";
const OWNER: &str = "owner";
const STREET: &str = "street";

/// One write transaction on either engine, ending with the store's own errors.
fn write<T>(store: &mut impl WriteStore, work: impl FnMut(&dyn Writer) -> Result<T>) -> Result<T> {
    store.write_on(work)
}

fn timestamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Runs the checks of one form: every field's problem at once, or the values.
fn collect<T>(errors: &mut Vec<FieldError>, checked: Result<T, FieldError>) -> Option<T> {
    checked.map_err(|e| errors.push(e)).ok()
}

/// What a log entry of the review records: its community, before and after.
fn entry(community: Option<i64>, before: Value, after: Value) -> EntryParts {
    EntryParts {
        community_id: community,
        project_id: None,
        before,
        after,
        reverses: None,
    }
}

fn exists(conn: &dyn Source, sql: &str, id: i64) -> Result<bool> {
    found(conn, sql, &[id.into()])
}

fn community_exists(conn: &dyn Source, id: i64) -> Result<bool> {
    exists(conn, "SELECT 1 FROM community WHERE id = ?1", id)
}

fn unknown_community(id: i64) -> FieldError {
    FieldError::new(
        key::COMMUNITY,
        format!("没有编号为 {id} 的社区"),
        format!("there is no community with id {id}"),
    )
}

fn needs_tables(conn: &dyn Source) -> Result<()> {
    if read::has_tables(conn)? {
        Ok(())
    } else {
        Err(Error::plain(
            "这个数据库文件还没有周例会回顾的数据表（可能以只读方式打开了旧文件）；未写入任何内容",
            "this database file has no weekly-review tables yet (an older file opened read-only?); nothing was written",
        ))
    }
}

/// A review that exists and has not ended: its operator and street.
fn open_review(conn: &dyn Source, review: i64) -> Result<(String, Option<i64>)> {
    let row: Option<(String, Option<String>, Option<i64>)> = query_one(
        conn,
        "SELECT operator, ended_at, street_id FROM review WHERE id = ?1",
        &[review.into()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    match row {
        None => Err(Error::plain(
            format!("没有编号为 {review} 的周例会回顾；未写入任何内容"),
            format!("there is no weekly review with id {review}; nothing was written"),
        )),
        Some((_, Some(ended), _)) => {
            let when = local_time(&ended);
            Err(Error::plain(
                format!("周例会回顾 #{review} 已于 {when} 结束；未写入任何内容"),
                format!("weekly review #{review} ended at {when}; nothing was written"),
            ))
        }
        Some((operator, None, street)) => Ok((operator, street)),
    }
}

/// Starts a review (`street`: only that street's communities). Returns the review's id.
/// The operator may name several people (`王芳、李明`).
pub fn start_review(
    store: &mut impl WriteStore,
    operator: &str,
    street: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let operator = fields::required_text(key::OPERATOR, operator, MAX_OPERATOR)
        .map_err(|e| Error::Invalid(vec![e]))?;
    let at = timestamp(now);
    write(store, |tx| {
        needs_tables(tx)?;
        if let Some(s) = street
            && !exists(tx, "SELECT 1 FROM street WHERE id = ?1", s)?
        {
            return Err(Error::Invalid(vec![FieldError::new(
                STREET,
                format!("没有编号为 {s} 的街道"),
                format!("there is no street with id {s}"),
            )]));
        }
        close_interrupted(tx, &at)?;
        let id = tx.insert(
            "INSERT INTO review (started_at, operator, street_id) VALUES (?1, ?2, ?3)",
            &[at.as_str().into(), operator.as_str().into(), street.into()],
        )?;
        adjust::insert_entry(
            tx,
            &at,
            &operator,
            action::REVIEW_START,
            REVIEW_REASON,
            &entry(
                None,
                json!({}),
                json!({ "review": id, "street_id": street }),
            ),
        )?;
        Ok(id)
    })
}

/// Closes the reviews that a program closed mid-review left open: those with nothing
/// recorded for [`super::STALE_AFTER_HOURS`]. The dashboard does this when it starts, so that
/// minutes never show such a review as still under way; a review going on in another terminal
/// is left alone. Returns how many were closed.
pub fn close_stale_reviews(store: &mut impl WriteStore, now: DateTime<Utc>) -> Result<usize> {
    if store.read_only() || !store.read_on(super::read::has_tables)? {
        return Ok(0);
    }
    let cutoff = now - chrono::Duration::hours(super::STALE_AFTER_HOURS);
    let at = timestamp(now);
    write(store, |tx| close_interrupted_before(tx, &at, Some(cutoff)))
}

/// Closes every review that a killed program left open, at its last record (or its start),
/// each with a log entry that says it was interrupted.
fn close_interrupted(tx: &dyn Writer, now: &str) -> Result<()> {
    close_interrupted_before(tx, now, None).map(|_| ())
}

/// [`close_interrupted`] for the open reviews whose last record is before `cutoff` (all of
/// them when `None`).
fn close_interrupted_before(
    tx: &dyn Writer,
    now: &str,
    cutoff: Option<DateTime<Utc>>,
) -> Result<usize> {
    let open: Vec<(i64, String, String)> = query_all(
        tx,
        "SELECT r.id, r.operator,
                COALESCE((SELECT max(i.at) FROM review_item i WHERE i.review_id = r.id),
                         r.started_at)
           FROM review r WHERE r.ended_at IS NULL",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let open: Vec<(i64, String, String)> = open
        .into_iter()
        .filter(|(_, _, last)| match cutoff {
            None => true,
            // A time that cannot be read is no sign of life.
            Some(cutoff) => super::read::parse_at(last).is_none_or(|t| t < cutoff),
        })
        .collect();
    let closed = open.len();
    for (id, operator, last) in open {
        tx.execute(
            "UPDATE review SET ended_at = ?1 WHERE id = ?2",
            &[last.as_str().into(), id.into()],
        )?;
        adjust::insert_entry(
            tx,
            now,
            &operator,
            action::REVIEW_END,
            REVIEW_REASON,
            &entry(
                None,
                json!({}),
                json!({ "review": id, "interrupted": true }),
            ),
        )?;
    }
    Ok(closed)
}

/// Records what the meeting did with a community, with its figures at this moment (the next
/// review compares with them). Coming back to a community in the same review replaces its
/// record (the log keeps both).
pub fn record_item(
    store: &mut impl WriteStore,
    review: i64,
    community: i64,
    figures: &CommunityFigures,
    outcome: Outcome,
    now: DateTime<Utc>,
) -> Result<()> {
    if figures.id != community {
        return Err(Error::plain(
            format!(
                "数据不一致：社区 #{community} 的回顾记录附上了社区 #{} 的数据；未写入任何内容",
                figures.id
            ),
            format!(
                "mismatch: the record of community #{community} came with the figures of community #{}; nothing was written",
                figures.id
            ),
        ));
    }
    let figures_json = serde_json::to_string(figures).map_err(|e| {
        Error::plain(
            format!("无法保存社区数据：{e}"),
            format!("cannot store the figures: {e}"),
        )
    })?;
    let at = timestamp(now);
    write(store, |tx| {
        needs_tables(tx)?;
        let (operator, street) = open_review(tx, review)?;
        let community_street: Option<i64> = query_one(
            tx,
            "SELECT street_id FROM community WHERE id = ?1",
            &[community.into()],
            |r| r.get(0),
        )?;
        let Some(community_street) = community_street else {
            return Err(Error::Invalid(vec![unknown_community(community)]));
        };
        if let Some(s) = street.filter(|s| *s != community_street) {
            return Err(Error::plain(
                format!("社区 #{community} 不在本次回顾的街道（#{s}）；未写入任何内容"),
                format!(
                    "community #{community} is not in this review's street (#{s}); nothing was written"
                ),
            ));
        }
        let previous: Option<String> = query_one(
            tx,
            "SELECT outcome FROM review_item WHERE review_id = ?1 AND community_id = ?2",
            &[review.into(), community.into()],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO review_item (review_id, community_id, outcome, at, figures)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (review_id, community_id)
             DO UPDATE SET outcome = excluded.outcome, at = excluded.at, figures = excluded.figures",
            &[
                review.into(),
                community.into(),
                outcome.code().into(),
                at.as_str().into(),
                figures_json.as_str().into(),
            ],
        )?;
        let before = match previous {
            Some(p) => json!({ "outcome": p }),
            None => json!({}),
        };
        adjust::insert_entry(
            tx,
            &at,
            &operator,
            action::REVIEW_ITEM,
            REVIEW_REASON,
            &entry(
                Some(community),
                before,
                json!({ "review": review, "outcome": outcome.code() }),
            ),
        )?;
        Ok(())
    })
}

/// A decision's fields, checked.
struct NewDecision {
    text: String,
    owner: String,
    due: String,
    operator: String,
}

/// Checks the fields of a new decision; every field's problem at once.
fn check_new_decision(
    conn: &dyn Source,
    community: i64,
    text: &str,
    owner: &str,
    due_on: &str,
    operator: &str,
    today: NaiveDate,
) -> Result<NewDecision> {
    let mut errors = Vec::new();
    if !community_exists(conn, community)? {
        errors.push(unknown_community(community));
    }
    let text = collect(
        &mut errors,
        fields::required_text(DECISION, text, MAX_DECISION),
    );
    let owner = collect(
        &mut errors,
        fields::required_text(OWNER, owner, MAX_OPERATOR),
    );
    let due = collect(&mut errors, due_date(due_on, today));
    let operator = collect(
        &mut errors,
        fields::required_text(key::OPERATOR, operator, MAX_OPERATOR),
    );
    let (Some(text), Some(owner), Some(due), Some(operator), true) =
        (text, owner, due, operator, errors.is_empty())
    else {
        return Err(Error::Invalid(errors));
    };
    Ok(NewDecision {
        text,
        owner,
        due: format_ymd(due),
        operator,
    })
}

/// What recording a decision would write, for the form's preview: the community, the
/// decision, who is responsible and by when. Checks the fields as [`add_decision`] does;
/// writes nothing.
pub fn preview_decision(
    conn: &dyn Source,
    community: i64,
    text: &str,
    owner: &str,
    due_on: &str,
    operator: &str,
    today: NaiveDate,
) -> Result<Vec<Change>> {
    let checked = check_new_decision(conn, community, text, owner, due_on, operator, today)?;
    let name: String = query_one(
        conn,
        "SELECT name FROM community WHERE id = ?1",
        &[community.into()],
        |r| r.get::<Option<String>>(0),
    )?
    .flatten()
    .unwrap_or_else(|| format!("#{community}"));
    Ok(vec![
        Change::new(key::COMMUNITY, "", name),
        Change::new("text", "", checked.text),
        Change::new(OWNER, "", checked.owner),
        Change::new("due_on", "", checked.due),
    ])
}

/// Records a decision (督办事项) for a community: what, who is responsible, by when (a real
/// date, not before `today`). `review`: the review it is taken in, `None` outside a review.
/// Returns the decision's id. Bad fields: [`Error::Invalid`], one [`FieldError`] per field
/// (keys `decision`, `owner`, `due`, `operator`, `community`).
// One argument per field of the decision form, so that each is checked and named on its own.
#[allow(clippy::too_many_arguments)]
pub fn add_decision(
    store: &mut impl WriteStore,
    review: Option<i64>,
    community: i64,
    text: &str,
    owner: &str,
    due_on: &str,
    operator: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    let NewDecision {
        text,
        owner,
        due,
        operator,
    } = store.read_on(|conn| {
        check_new_decision(conn, community, text, owner, due_on, operator, today)
    })?;
    let at = timestamp(now);
    write(store, |tx| {
        needs_tables(tx)?;
        if let Some(r) = review {
            open_review(tx, r)?;
        }
        if !community_exists(tx, community)? {
            return Err(Error::Invalid(vec![unknown_community(community)]));
        }
        let id = tx.insert(
            "INSERT INTO decision (review_id, community_id, text, owner, due_on, created_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            &[
                review.into(),
                community.into(),
                text.as_str().into(),
                owner.as_str().into(),
                due.as_str().into(),
                at.as_str().into(),
                operator.as_str().into(),
            ],
        )?;
        adjust::insert_entry(
            tx,
            &at,
            &operator,
            action::DECISION,
            &text,
            &entry(
                Some(community),
                json!({}),
                json!({ "decision": {
                    "id": id,
                    "review": review,
                    "text": text,
                    "owner": owner,
                    "due_on": due,
                }}),
            ),
        )?;
        Ok(id)
    })
}

/// A change of a decision, checked against the file: its community and each column that
/// changes, old → new.
struct DecisionEdit {
    community: i64,
    changes: Vec<(&'static str, String, String)>,
    operator: String,
    reason: String,
}

/// Checks a change of decision `decision` (the form's fields as typed): the decision must
/// exist and be open; the due date, when it changes, a real date not before today; something
/// must change; reason and operator are required.
// One argument per field of the form, so that each is checked and named on its own.
#[allow(clippy::too_many_arguments)]
fn check_edit(
    conn: &dyn Source,
    decision: i64,
    text: &str,
    owner: &str,
    due_on: &str,
    reason: &str,
    operator: &str,
    today: NaiveDate,
) -> Result<DecisionEdit> {
    needs_tables(conn)?;
    let row: Option<(i64, String, String, String, Option<String>)> = query_one(
        conn,
        "SELECT community_id, text, owner, due_on, done_at FROM decision WHERE id = ?1",
        &[decision.into()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    let Some((community, old_text, old_owner, old_due, done_at)) = row else {
        return Err(Error::plain(
            format!("没有编号为 {decision} 的督办事项；未写入任何内容"),
            format!("there is no decision with id {decision}; nothing was written"),
        ));
    };
    if let Some(done) = done_at {
        let when = local_time(&done);
        return Err(Error::plain(
            format!(
                "督办事项 #{decision} 已于 {when} 办结，办结的督办事项不再修改；未写入任何内容"
            ),
            format!(
                "decision #{decision} was marked done at {when}; a decision that is done is not changed; nothing was written"
            ),
        ));
    }
    let mut errors = Vec::new();
    let text = collect(
        &mut errors,
        fields::required_text(DECISION, text, MAX_DECISION),
    );
    let owner = collect(
        &mut errors,
        fields::required_text(OWNER, owner, MAX_OPERATOR),
    );
    // An overdue decision keeps its date when only its words change.
    let due = if due_on.trim() == old_due {
        Some(old_due.clone())
    } else {
        collect(&mut errors, due_date(due_on, today)).map(format_ymd)
    };
    let reason = collect(
        &mut errors,
        fields::required_text(key::REASON, reason, fields::MAX_REASON),
    );
    let operator = collect(
        &mut errors,
        fields::required_text(key::OPERATOR, operator, MAX_OPERATOR),
    );
    let (Some(text), Some(owner), Some(due), Some(reason), Some(operator), true) =
        (text, owner, due, reason, operator, errors.is_empty())
    else {
        return Err(Error::Invalid(errors));
    };
    let changes: Vec<(&'static str, String, String)> = [
        ("text", old_text, text),
        (OWNER, old_owner, owner),
        ("due_on", old_due, due),
    ]
    .into_iter()
    .filter(|(_, old, new)| old != new)
    .collect();
    if changes.is_empty() {
        return Err(Error::Invalid(vec![FieldError::new(
            DECISION,
            "督办事项、责任人和截止日期都没有改动",
            "the decision, responsible person and due date are all unchanged",
        )]));
    }
    Ok(DecisionEdit {
        community,
        changes,
        operator,
        reason,
    })
}

/// What changing decision `decision` would do, for the form's preview (old → new for each
/// field that changes). Writes nothing.
// One argument per field of the form, so that each is checked and named on its own.
#[allow(clippy::too_many_arguments)]
pub fn preview_decision_edit(
    conn: &dyn Source,
    decision: i64,
    text: &str,
    owner: &str,
    due_on: &str,
    reason: &str,
    operator: &str,
    today: NaiveDate,
) -> Result<Vec<Change>> {
    let edit = check_edit(conn, decision, text, owner, due_on, reason, operator, today)?;
    Ok(edit
        .changes
        .into_iter()
        .map(|(column, old, new)| Change::new(column, old, new))
        .collect())
}

/// Changes an open decision's text, responsible person or due date, logged as
/// `decision_edit` with the operator and reason (before: the old values of what changed;
/// after: the new ones; `decision`: its id in both), so that `adjust undo` can put it back.
/// Returns the log entry's id.
// One argument per field of the form, so that each is checked and named on its own.
#[allow(clippy::too_many_arguments)]
pub fn edit_decision(
    store: &mut impl WriteStore,
    decision: i64,
    text: &str,
    owner: &str,
    due_on: &str,
    reason: &str,
    operator: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    let at = timestamp(now);
    write(store, |tx| {
        let edit = check_edit(tx, decision, text, owner, due_on, reason, operator, today)?;
        let mut before = serde_json::Map::new();
        let mut after = serde_json::Map::new();
        before.insert("decision".into(), json!(decision));
        after.insert("decision".into(), json!(decision));
        for (column, old, new) in &edit.changes {
            let n = tx.execute(
                &format!("UPDATE decision SET {column} = ?1 WHERE id = ?2 AND done_at IS NULL"),
                &[new.as_str().into(), decision.into()],
            )?;
            if n != 1 {
                return Err(Error::plain(
                    format!("督办事项 #{decision} 已办结或已不存在；未写入任何内容"),
                    format!("decision #{decision} is done or gone; nothing was written"),
                ));
            }
            before.insert((*column).into(), json!(old));
            after.insert((*column).into(), json!(new));
        }
        let id = adjust::insert_entry(
            tx,
            &at,
            &edit.operator,
            action::DECISION_EDIT,
            &edit.reason,
            &entry(
                Some(edit.community),
                Value::Object(before),
                Value::Object(after),
            ),
        )?;
        Ok(id)
    })
}

/// What marking decision `decision` done would record, for the form's preview: the
/// decision's state and the note. Checks as [`complete_decision`] does; writes nothing.
pub fn preview_completion(
    conn: &dyn Source,
    decision: i64,
    note: &str,
    operator: &str,
) -> Result<Vec<Change>> {
    let (note, _) = check_completion(note, operator)?;
    needs_tables(conn)?;
    let text = open_decision_text(conn, decision)?;
    let _ = text;
    Ok(vec![
        Change::new("decision_state", "open", "done"),
        Change::new("done_note", "", note),
    ])
}

/// A decision's due date: a real `YYYY-MM-DD`, not before today.
fn due_date(value: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let due = fields::date(key::DUE, value)?;
    if due < today {
        let (d, t) = (format_ymd(due), format_ymd(today));
        return Err(FieldError::new(
            key::DUE,
            format!("{d} 早于今天（{t}）：截止日期只能是今天或以后"),
            format!("{d} is before today ({t}): the due date must be today or later"),
        ));
    }
    Ok(due)
}

/// Marks a decision done, with a note on how (required). A decision that is done already is
/// refused, and nothing is written.
pub fn complete_decision(
    store: &mut impl WriteStore,
    decision: i64,
    note: &str,
    operator: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let (note, operator) = check_completion(note, operator)?;
    let at = timestamp(now);
    write(store, |tx| {
        needs_tables(tx)?;
        let row: Option<(i64, Option<String>, Option<String>)> = query_one(
            tx,
            "SELECT community_id, done_at, done_by FROM decision WHERE id = ?1",
            &[decision.into()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let community = match row {
            None => {
                return Err(Error::plain(
                    format!("没有编号为 {decision} 的督办事项；未写入任何内容"),
                    format!("there is no decision with id {decision}; nothing was written"),
                ));
            }
            Some((_, Some(done_at), by)) => {
                let when = local_time(&done_at);
                let by = crate::text::clean(by.as_deref().unwrap_or(""));
                return Err(Error::plain(
                    format!(
                        "督办事项 #{decision} 已于 {when} 由 {by} 标记完成（可能是另一台终端）；未写入任何内容"
                    ),
                    format!(
                        "decision #{decision} was marked done at {when} by {by} (another terminal?); nothing was written"
                    ),
                ));
            }
            Some((community, None, _)) => community,
        };
        tx.execute(
            "UPDATE decision SET done_at = ?1, done_by = ?2, done_note = ?3
              WHERE id = ?4 AND done_at IS NULL",
            &[
                at.as_str().into(),
                operator.as_str().into(),
                note.as_str().into(),
                decision.into(),
            ],
        )?;
        adjust::insert_entry(
            tx,
            &at,
            &operator,
            action::DECISION_DONE,
            &note,
            &entry(
                Some(community),
                json!({}),
                json!({ "decision": decision, "done_note": note }),
            ),
        )?;
        Ok(())
    })
}

/// The note and operator of a completion, checked.
fn check_completion(note: &str, operator: &str) -> Result<(String, String)> {
    let mut errors = Vec::new();
    let note = collect(
        &mut errors,
        fields::required_text(key::NOTE, note, MAX_NOTE),
    );
    let operator = collect(
        &mut errors,
        fields::required_text(key::OPERATOR, operator, MAX_OPERATOR),
    );
    match (note, operator, errors.is_empty()) {
        (Some(note), Some(operator), true) => Ok((note, operator)),
        _ => Err(Error::Invalid(errors)),
    }
}

/// The text of decision `decision` when it exists and is open, else why not.
fn open_decision_text(conn: &dyn Source, decision: i64) -> Result<String> {
    let row: Option<(String, Option<String>, Option<String>)> = query_one(
        conn,
        "SELECT text, done_at, done_by FROM decision WHERE id = ?1",
        &[decision.into()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    match row {
        None => Err(Error::plain(
            format!("没有编号为 {decision} 的督办事项；未写入任何内容"),
            format!("there is no decision with id {decision}; nothing was written"),
        )),
        Some((_, Some(done_at), by)) => {
            let when = local_time(&done_at);
            let by = crate::text::clean(by.as_deref().unwrap_or(""));
            Err(Error::plain(
                format!(
                    "督办事项 #{decision} 已于 {when} 由 {by} 标记完成（可能是另一台终端）；未写入任何内容"
                ),
                format!(
                    "decision #{decision} was marked done at {when} by {by} (another terminal?); nothing was written"
                ),
            ))
        }
        Some((text, None, _)) => Ok(text),
    }
}

/// Ends a review and says what it did ([`super::summary`], with decisions' states on `today`).
/// A review that has ended already is refused.
pub fn end_review(
    store: &mut impl WriteStore,
    review: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Summary> {
    let at = timestamp(now);
    write(store, |tx| {
        needs_tables(tx)?;
        let (operator, _) = open_review(tx, review)?;
        tx.execute(
            "UPDATE review SET ended_at = ?1 WHERE id = ?2",
            &[at.as_str().into(), review.into()],
        )?;
        let count = |sql: &str| -> Result<i64> {
            Ok(query_one(tx, sql, &[review.into()], |r| r.get(0))?.unwrap_or_default())
        };
        let covered =
            count("SELECT count(*) FROM review_item WHERE review_id = ?1 AND outcome = 'covered'")?;
        let skipped =
            count("SELECT count(*) FROM review_item WHERE review_id = ?1 AND outcome = 'skipped'")?;
        let decisions = count("SELECT count(*) FROM decision WHERE review_id = ?1")?;
        adjust::insert_entry(
            tx,
            &at,
            &operator,
            action::REVIEW_END,
            REVIEW_REASON,
            &entry(
                None,
                json!({}),
                json!({
                    "review": review,
                    "covered": covered,
                    "skipped": skipped,
                    "decisions": decisions,
                }),
            ),
        )?;
        Ok(())
    })?;
    store.read_on(|conn| read::summary(conn, review, today))
}
