//! The shared thresholds in the `setting` table. A missing key takes its default; a value that
//! is not a whole number in range is an error naming the key, never a silent default.

use crate::error::{Error, Result};
use crate::i18n::Term;
use crate::model::Thresholds;

/// One shared setting: its key in the `setting` table, its default, the largest accepted
/// value (the smallest is 0), and what it means in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingSpec {
    pub key: &'static str,
    pub default: u32,
    pub max: u32,
    pub meaning: Term,
}

/// Every setting gongjian reads, in the order they are listed to the user.
pub const SETTINGS: &[SettingSpec] = &[
    SettingSpec {
        key: "completion_alert_pct",
        default: 50,
        max: 100,
        meaning: (
            "清单完成率低于此百分比即预警",
            "a list completion below this percentage is flagged",
        ),
    },
    SettingSpec {
        key: "resource_alert_pct",
        default: 40,
        max: 100,
        meaning: (
            "资源利用率低于此百分比即预警",
            "a resource use below this percentage is flagged",
        ),
    },
    SettingSpec {
        key: "participation_alert_pct",
        default: 80,
        max: 100,
        meaning: (
            "项目实际参与人数低于计划的此百分比即预警",
            "a project whose participation is below this percentage of plan is flagged",
        ),
    },
    SettingSpec {
        key: "min_unit_activities",
        default: 2,
        max: 1000,
        meaning: (
            "签约单位本年度在本社区的活动少于此次数即为参与不足单位",
            "a contracted unit with fewer activities than this in the year is an inactive unit",
        ),
    },
    SettingSpec {
        key: "need_response_days",
        default: 60,
        max: 3650,
        meaning: (
            "需求提出后这么多天仍无项目对接即预警",
            "a need with no project this many days after it was raised is flagged",
        ),
    },
    SettingSpec {
        key: "satisfaction_alert_pct",
        default: 80,
        max: 100,
        meaning: (
            "满意人数低于受访人数的此百分比即预警",
            "satisfaction below this percentage of respondents is flagged",
        ),
    },
    SettingSpec {
        key: "member_record_alert_pct",
        default: 80,
        max: 100,
        meaning: (
            "本年度有服务纪实的在册党员低于此百分比的社区即预警",
            "a community where fewer than this percentage of its registered members have a service record this year is flagged",
        ),
    },
    SettingSpec {
        key: "model_communities",
        default: 10,
        max: 1000,
        meaning: (
            "年终考评列出的示范社区候选数",
            "how many model-community candidates the year-end ranking names",
        ),
    },
    SettingSpec {
        key: "model_units",
        default: 20,
        max: 1000,
        meaning: (
            "年终考评列出的优秀驻区单位候选数",
            "how many model-unit candidates the year-end ranking names",
        ),
    },
];

/// Each key with its largest accepted value.
pub const SETTING_KEYS: &[(&str, u32)] = &[
    ("completion_alert_pct", 100),
    ("resource_alert_pct", 100),
    ("participation_alert_pct", 100),
    ("min_unit_activities", 1000),
    ("need_response_days", 3650),
    ("satisfaction_alert_pct", 100),
    ("member_record_alert_pct", 100),
    ("model_communities", 1000),
    ("model_units", 1000),
];

/// The setting named `key`, if gongjian knows it.
pub fn setting_spec(key: &str) -> Option<&'static SettingSpec> {
    SETTINGS.iter().find(|s| s.key == key)
}

/// The value stored for `key` as text, or `None` when the key is absent (it takes its default).
pub fn stored_setting(conn: &dyn super::rows::Source, key: &str) -> Result<Option<String>> {
    super::rows::query_one(
        conn,
        "SELECT value FROM setting WHERE key = ?1",
        &[key.into()],
        |row| super::read::text(row, 0),
    )
}

/// Stores `value` for `key`, or removes the key (back to its default) when `value` is `None`.
/// Inside the caller's transaction; the caller validates.
pub fn store_setting(conn: &dyn super::rows::Writer, key: &str, value: Option<&str>) -> Result<()> {
    match value {
        // SQLite's upsert would turn the change counters' `INSERT OR IGNORE` (their triggers)
        // into a failure, so the file keeps its `INSERT OR REPLACE`.
        Some(v) if conn.sqlite().is_some() => conn.execute(
            "INSERT OR REPLACE INTO setting (key, value) VALUES (?1, ?2)",
            &[key.into(), v.into()],
        )?,
        Some(v) => conn.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[key.into(), v.into()],
        )?,
        None => conn.execute("DELETE FROM setting WHERE key = ?1", &[key.into()])?,
    };
    Ok(())
}

pub fn read_thresholds(conn: &dyn super::rows::Source) -> Result<Thresholds> {
    let mut thresholds = Thresholds::default();
    let mut pairs = Vec::new();
    conn.each_row("SELECT key, value FROM setting", &[], &mut |row| {
        let text =
            |i| Ok::<_, rusqlite::Error>(super::rows::as_text(row.value(i)?).unwrap_or_default());
        pairs.push((text(0)?, text(1)?));
        Ok(())
    })?;
    for (key, value) in pairs {
        let Some(&(_, max)) = SETTING_KEYS.iter().find(|(k, _)| *k == key) else {
            continue; // other tools may keep their own settings here
        };
        let parsed = parse_setting(&value, max).ok_or_else(|| Error::BadSetting {
            key: key.clone(),
            value: value.clone(),
            accepted: format!("0–{max}"),
        })?;
        match key.as_str() {
            "completion_alert_pct" => thresholds.completion_alert_pct = parsed,
            "resource_alert_pct" => thresholds.resource_alert_pct = parsed,
            "participation_alert_pct" => thresholds.participation_alert_pct = parsed,
            "min_unit_activities" => thresholds.min_unit_activities = parsed,
            "need_response_days" => thresholds.need_response_days = parsed,
            "satisfaction_alert_pct" => thresholds.satisfaction_alert_pct = parsed,
            "member_record_alert_pct" => thresholds.member_record_alert_pct = parsed,
            "model_communities" => thresholds.model_communities = parsed,
            _ => thresholds.model_units = parsed,
        }
    }
    Ok(thresholds)
}

/// A whole number written in plain digits, from 0 to `max`.
pub fn parse_setting(value: &str, max: u32) -> Option<u32> {
    let digits = value.trim();
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u32>().ok().filter(|v| *v <= max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listed_settings_are_the_ones_read_with_the_same_defaults_and_ranges() {
        let defaults = Thresholds::default();
        let keys: Vec<(&str, u32)> = SETTINGS.iter().map(|s| (s.key, s.max)).collect();
        assert_eq!(keys, SETTING_KEYS);
        for spec in SETTINGS {
            let expected = match spec.key {
                "completion_alert_pct" => defaults.completion_alert_pct,
                "resource_alert_pct" => defaults.resource_alert_pct,
                "participation_alert_pct" => defaults.participation_alert_pct,
                "min_unit_activities" => defaults.min_unit_activities,
                "need_response_days" => defaults.need_response_days,
                "satisfaction_alert_pct" => defaults.satisfaction_alert_pct,
                "member_record_alert_pct" => defaults.member_record_alert_pct,
                "model_communities" => defaults.model_communities,
                _ => defaults.model_units,
            };
            assert_eq!(spec.default, expected, "{}", spec.key);
        }
    }

    #[test]
    fn accepts_whole_numbers_in_range_only() {
        assert_eq!(parse_setting("50", 100), Some(50));
        assert_eq!(parse_setting("0", 100), Some(0));
        assert_eq!(parse_setting("100", 100), Some(100));
        assert_eq!(parse_setting(" 7 ", 100), Some(7));
        assert_eq!(parse_setting("1000", 1000), Some(1000));
        for bad in ["101", "-1", "50.0", "5e1", "", "abc", "五十", "+5", "10000"] {
            assert_eq!(parse_setting(bad, 100), None, "{bad:?}");
        }
        assert_eq!(parse_setting("1001", 1000), None);
    }

    #[test]
    fn reads_overrides_and_names_the_bad_key() {
        let conn = rusqlite::Connection::open_in_memory().expect("memory db");
        conn.execute_batch(
            "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             INSERT INTO setting VALUES ('completion_alert_pct', '60'), ('other_tool', 'x'),
                                        ('min_unit_activities', 3);",
        )
        .expect("setup");
        let t = read_thresholds(&conn).expect("valid settings");
        assert_eq!(t.completion_alert_pct, 60);
        assert_eq!(t.min_unit_activities, 3);
        assert_eq!(t.resource_alert_pct, 40, "missing key takes its default");

        conn.execute(
            "INSERT INTO setting VALUES ('resource_alert_pct', '140')",
            [],
        )
        .expect("insert");
        let err = read_thresholds(&conn).expect_err("out of range");
        let text = err.message(crate::i18n::Lang::En);
        assert!(
            text.contains("resource_alert_pct") && text.contains("140"),
            "{text}"
        );
    }

    #[test]
    fn version_2_keys_have_their_defaults_ranges_and_named_errors() {
        let conn = rusqlite::Connection::open_in_memory().expect("memory db");
        conn.execute_batch("CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);")
            .expect("setup");
        let t = read_thresholds(&conn).expect("defaults");
        assert_eq!(
            (
                t.need_response_days,
                t.satisfaction_alert_pct,
                t.member_record_alert_pct,
                t.model_communities,
                t.model_units
            ),
            (60, 80, 80, 10, 20)
        );
        conn.execute_batch(
            "INSERT INTO setting VALUES ('need_response_days', '3650'), ('satisfaction_alert_pct', '0'),
                                        ('member_record_alert_pct', '100'), ('model_communities', '1000'),
                                        ('model_units', '0');",
        )
        .expect("edges");
        let t = read_thresholds(&conn).expect("edges are accepted");
        assert_eq!(
            (
                t.need_response_days,
                t.satisfaction_alert_pct,
                t.member_record_alert_pct,
                t.model_communities,
                t.model_units
            ),
            (3650, 0, 100, 1000, 0)
        );
        for (key, bad) in [
            ("need_response_days", "3651"),
            ("satisfaction_alert_pct", "101"),
            ("member_record_alert_pct", "-1"),
            ("model_communities", "1001"),
            ("model_units", "十"),
        ] {
            conn.execute("DELETE FROM setting", []).expect("clear");
            conn.execute("INSERT INTO setting VALUES (?1, ?2)", [key, bad])
                .expect("insert");
            let err = read_thresholds(&conn).expect_err("out of range");
            for lang in [crate::i18n::Lang::En, crate::i18n::Lang::Zh] {
                let text = err.message(lang);
                assert!(text.contains(key) && text.contains(bad), "{text}");
            }
        }
    }
}
