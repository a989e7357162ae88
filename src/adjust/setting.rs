//! Changing a shared setting (预警线) without SQL: validated like a form field, written with its
//! log entry in one transaction, and undone like any adjustment.
//!
//! The entry has action `setting`, no community or project, `before = {key: old}` (`null` when
//! the key was absent, i.e. at its default) and `after = {key: new}`. Undo puts the old value
//! back (removes the key again when it was absent), only if the setting still holds what the
//! entry left.

use super::apply::{Change, EntryParts, insert_entry};
use super::error::{AdjustError, Result};
use crate::error::Error;
use crate::fields::{self, FieldError, key};
use crate::i18n::Term;
use crate::store::rows::Source;
use crate::store::{self, SettingSpec, WriteStore};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

/// The log's `action` for a setting change.
pub const ACTION: &str = "setting";

/// The words for the log's `setting` action.
pub const LABEL: Term = ("修改预警线", "setting changed");

/// The spec of `key`, or an error listing the keys there are.
pub fn spec(key_text: &str) -> Result<&'static SettingSpec> {
    Ok(store::setting_spec(key_text.trim()).ok_or_else(|| {
        let known = store::SETTINGS
            .iter()
            .map(|s| s.key)
            .collect::<Vec<_>>()
            .join(", ");
        Error::plain(
            format!("没有名为 {key_text:?} 的设置；可用的设置：{known}"),
            format!("there is no setting named {key_text:?}; the settings are: {known}"),
        )
    })?)
}

/// Sets `key` to `value` (a whole number in the setting's range) and logs it; returns the new
/// entry's id. Nothing is written on any error, nor when the value is already in force.
pub fn change(
    store: &mut impl WriteStore,
    key_text: &str,
    value: &str,
    operator: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let spec = spec(key_text)?;
    let mut errors: Vec<FieldError> = Vec::new();
    let operator = fields::required_text(key::OPERATOR, operator, fields::MAX_OPERATOR)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let reason = fields::required_text(key::REASON, reason, fields::MAX_REASON)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let Some(parsed) = store::parse_setting(value, spec.max) else {
        return Err(Error::BadSetting {
            key: spec.key.to_string(),
            value: value.to_string(),
            accepted: format!("0–{}", spec.max),
        }
        .into());
    };
    if !errors.is_empty() {
        return Err(AdjustError::Invalid(errors));
    }
    let new = parsed.to_string();
    let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    let id = store.write_on(|tx| {
        let old = store::stored_setting(tx, spec.key)?;
        let in_force = old
            .as_deref()
            .and_then(|v| store::parse_setting(v, spec.max))
            .unwrap_or(spec.default);
        if in_force == parsed && old.is_some() {
            return Err(Error::plain(
                format!("{} 已是 {new}，未写入任何内容", spec.key),
                format!("{} is {new} already; nothing was written", spec.key),
            )
            .into());
        }
        store::store_setting(tx, spec.key, Some(&new))?;
        insert_entry(
            tx,
            &at,
            &operator,
            ACTION,
            &reason,
            &EntryParts {
                community_id: None,
                project_id: None,
                before: json!({ spec.key: old }),
                after: json!({ spec.key: new }),
                reverses: None,
            },
        )
    })?;
    Ok(id)
}

/// What undoing a `setting` entry does: the key and the value to put back (`None`: remove the
/// key, back to its default).
pub(crate) struct Restore {
    pub key: &'static str,
    pub value: Option<String>,
    pub change: Change,
}

/// Works out the undo of a `setting` entry, with the value in force now compared with the one
/// the entry left: `Err(stale)` lists the difference.
pub(crate) fn plan_undo(
    conn: &dyn Source,
    before: &Map<String, Value>,
    after: &Map<String, Value>,
) -> Result<Option<std::result::Result<Restore, Change>>> {
    let Some((name, left)) = after.iter().next() else {
        return Ok(None);
    };
    let Ok(spec) = spec(name) else {
        return Ok(None);
    };
    let as_text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let left = as_text(Some(left));
    let restore = as_text(before.get(name));
    let now = store::stored_setting(conn, spec.key)?;
    // An absent key shows as its default, the value then in force.
    let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| spec.default.to_string());
    if now != left {
        return Ok(Some(Err(Change::new(spec.key, shown(&left), shown(&now)))));
    }
    Ok(Some(Ok(Restore {
        key: spec.key,
        change: Change::new(spec.key, shown(&now), shown(&restore)),
        value: restore,
    })))
}
