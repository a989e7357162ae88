//! `gongjian export --service-cards QUARTER DIR`: the service card (党员报到服务纪实卡) a community
//! returns to a member's workplace each quarter. One workbook per unit that has registered
//! members in the quarter: its members, per community, with their sessions and hours in the
//! quarter (a member with none shows 0, which is what the unit needs to hear), and every
//! session on a second sheet.

use super::export::{Formats, Table, XCell, write_table, xlsx_error};
use crate::dates::{format_ymd, quarter_bounds};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::indicators::Pct;
use crate::model::DataProblem;
use crate::store::rows;
use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;
use rust_xlsxwriter::Workbook;
use std::collections::{BTreeMap, HashMap};

/// A calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub q: u8,
}

impl Quarter {
    /// `2026Q3`, `2026-Q3`, `2026q3`, `2026年第3季度`, `2026年第三季度`, `2026年三季度`.
    pub fn parse(text: &str) -> Option<Quarter> {
        let folded = crate::vocab::fold(text);
        let (year, q) = match folded.split_once('年') {
            Some((year, rest)) => (
                year.to_string(),
                rest.trim_start_matches('第')
                    .trim_end_matches('度')
                    .trim_end_matches('季')
                    .to_string(),
            ),
            None => {
                let (year, q) = folded.split_once('q')?;
                (year.to_string(), q.to_string())
            }
        };
        let year: i32 = year.parse().ok()?;
        let q = match q.as_str() {
            "1" | "一" => 1,
            "2" | "二" => 2,
            "3" | "三" => 3,
            "4" | "四" => 4,
            _ => return None,
        };
        (crate::fields::FIRST_YEAR..=crate::fields::LAST_YEAR)
            .contains(&year)
            .then_some(Quarter { year, q })
    }

    /// Its first and last day.
    pub fn bounds(self) -> (NaiveDate, NaiveDate) {
        quarter_bounds(self.year, usize::from(self.q - 1))
    }

    /// `2026Q3`: in file names.
    pub fn code(self) -> String {
        format!("{}Q{}", self.year, self.q)
    }

    pub fn words(self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!("{}年第{}季度", self.year, self.q),
            Lang::En => format!("Q{} {}", self.q, self.year),
        }
    }

    /// The quarter's start is after `today`: nothing can have been served in it yet.
    pub fn is_after(self, today: NaiveDate) -> bool {
        self.bounds().0 > today
    }

    pub fn of(day: NaiveDate) -> Quarter {
        Quarter {
            year: day.year(),
            q: u8::try_from(day.month0() / 3 + 1).unwrap_or(1),
        }
    }
}

/// The quarter a user typed, or a message saying what is accepted.
pub fn parse_quarter(text: &str, today: NaiveDate) -> Result<Quarter> {
    let quarter = Quarter::parse(text).ok_or_else(|| {
        Error::plain(
            format!(
                "“{}” 不是季度；可用：2026Q3、2026-Q3、2026年第3季度",
                crate::text::clean(text)
            ),
            format!(
                "\"{}\" is not a quarter; accepted: 2026Q3, 2026-Q3, 2026年第3季度",
                crate::text::clean(text)
            ),
        )
    })?;
    if quarter.is_after(today) {
        return Err(Error::plain(
            format!(
                "{} 还没有开始（今天是 {}）",
                quarter.words(Lang::Zh),
                format_ymd(today)
            ),
            format!(
                "{} has not begun (today is {})",
                quarter.words(Lang::En),
                format_ymd(today)
            ),
        ));
    }
    Ok(quarter)
}

/// One member's line on a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardMember {
    pub community: String,
    pub street: String,
    pub name: String,
    pub registered_on: String,
    pub left_on: Option<String>,
    pub sessions: i64,
    pub minutes: i64,
}

/// One session on a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardSession {
    pub community: String,
    pub name: String,
    pub served_on: String,
    pub minutes: i64,
    pub project: Option<String>,
    pub note: String,
}

/// The card of one unit for one quarter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub unit_id: i64,
    pub unit: String,
    /// By community (street, name), then member name and id.
    pub members: Vec<CardMember>,
    pub sessions: Vec<CardSession>,
}

/// What the cards of a quarter are made of, and the members with no workplace (who have no
/// unit to send a card to).
#[derive(Debug, Default)]
pub struct Cards {
    pub cards: Vec<Card>,
    pub without_unit: usize,
    pub problems: Vec<DataProblem>,
}

/// Reads the quarter's cards: every unit with a member registered with a community during the
/// quarter (registered by its last day, not gone before its first), up to `today`.
pub fn service_cards(conn: &Connection, quarter: Quarter, today: NaiveDate) -> Result<Cards> {
    crate::store::in_read_transaction(conn, |conn| service_cards_on(conn, quarter, today))
}

/// [`service_cards`] on any engine, inside a read snapshot the caller holds (a file's read
/// transaction, or a server's read-only transaction).
pub fn service_cards_on(
    conn: &dyn crate::store::rows::Source,
    quarter: Quarter,
    today: NaiveDate,
) -> Result<Cards> {
    {
        let mut problems = Vec::new();
        let (first, last) = quarter.bounds();
        let last = last.min(today);
        let (first, last) = (format_ymd(first), format_ymd(last));
        let streets: HashMap<i64, String> = rows::street::all(conn, &mut problems)?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        let communities: HashMap<i64, (String, String)> =
            rows::community::all(conn, &mut problems)?
                .into_iter()
                .map(|c| {
                    let street = streets.get(&c.street_id).cloned().unwrap_or_default();
                    (c.id, (street, c.name))
                })
                .collect();
        let units: BTreeMap<i64, String> = rows::unit::all(conn, &mut problems)?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        let members = rows::member::all_stored(conn, &mut problems)?;
        let sessions = rows::service::sessions_between(conn, &first, &last, &mut problems)?;
        let mut tally: HashMap<i64, (i64, i64)> = HashMap::new();
        for s in &sessions {
            let t = tally.entry(s.member_id).or_default();
            t.0 += 1;
            t.1 += s.minutes;
        }
        // A member is on the quarter's card when registered during it, or when they served in it.
        let in_quarter = |m: &rows::member::MemberRow| {
            tally.contains_key(&m.id)
                || (m.registered_on.as_str() <= last.as_str()
                    && m.left_on.as_deref().is_none_or(|l| l >= first.as_str()))
        };
        let mut cards: BTreeMap<i64, Card> = BTreeMap::new();
        let mut without_unit = 0;
        let mut member_of: HashMap<i64, (i64, String, String)> = HashMap::new();
        for m in members.iter().filter(|m| in_quarter(m)) {
            let Some(unit_id) = m.unit_id.filter(|u| units.contains_key(u)) else {
                without_unit += 1;
                continue;
            };
            let (street, community) = communities
                .get(&m.community_id)
                .cloned()
                .unwrap_or_else(|| (String::new(), format!("#{}", m.community_id)));
            member_of.insert(m.id, (unit_id, community.clone(), m.name.clone()));
            let (sessions, minutes) = tally.get(&m.id).copied().unwrap_or_default();
            let card = cards.entry(unit_id).or_insert_with(|| Card {
                unit_id,
                unit: units.get(&unit_id).cloned().unwrap_or_default(),
                members: Vec::new(),
                sessions: Vec::new(),
            });
            card.members.push(CardMember {
                community,
                street,
                name: m.name.clone(),
                registered_on: m.registered_on.clone(),
                left_on: m.left_on.clone(),
                sessions,
                minutes,
            });
        }
        for s in sessions {
            if let Some((unit, community, name)) = member_of.get(&s.member_id)
                && let Some(card) = cards.get_mut(unit)
            {
                card.sessions.push(CardSession {
                    community: community.clone(),
                    name: name.clone(),
                    served_on: s.served_on,
                    minutes: s.minutes,
                    project: s.project,
                    note: s.note,
                });
            }
        }
        let mut cards: Vec<Card> = cards.into_values().collect();
        for card in &mut cards {
            card.members.sort_by(|a, b| {
                crate::text::name_cmp(&a.street, &b.street)
                    .then_with(|| crate::text::name_cmp(&a.community, &b.community))
                    .then_with(|| crate::text::name_cmp(&a.name, &b.name))
            });
        }
        Ok(Cards {
            cards,
            without_unit,
            problems,
        })
    }
}

fn hours(minutes: i64) -> XCell {
    XCell::Pct(Pct::of(minutes, 6000))
}

/// The card's sheets: members per community with subtotals, the sessions, and what it is.
pub fn card_tables(card: &Card, quarter: Quarter, today: NaiveDate, lang: Lang) -> Vec<Table> {
    let t = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let mut rows = Vec::new();
    let mut i = 0;
    while i < card.members.len() {
        let community = (&card.members[i].street, &card.members[i].community);
        let mut sessions = 0;
        let mut minutes = 0;
        while i < card.members.len()
            && (&card.members[i].street, &card.members[i].community) == community
        {
            let m = &card.members[i];
            rows.push(vec![
                XCell::Text(m.street.clone()),
                XCell::Text(m.community.clone()),
                XCell::Text(m.name.clone()),
                XCell::Date(m.registered_on.clone()),
                XCell::Date(m.left_on.clone().unwrap_or_default()),
                XCell::Int(m.sessions),
                XCell::Int(m.minutes),
                hours(m.minutes),
            ]);
            sessions += m.sessions;
            minutes += m.minutes;
            i += 1;
        }
        rows.push(vec![
            XCell::Text(community.0.clone()),
            XCell::Text(community.1.clone()),
            XCell::Text(t("（社区小计）", "(community subtotal)")),
            XCell::Text(String::new()),
            XCell::Text(String::new()),
            XCell::Int(sessions),
            XCell::Int(minutes),
            hours(minutes),
        ]);
    }
    let (all_sessions, all_minutes) = card
        .members
        .iter()
        .fold((0, 0), |(s, m), x| (s + x.sessions, m + x.minutes));
    rows.push(vec![
        XCell::Text(String::new()),
        XCell::Text(String::new()),
        XCell::Text(t("（合计）", "(total)")),
        XCell::Text(String::new()),
        XCell::Text(String::new()),
        XCell::Int(all_sessions),
        XCell::Int(all_minutes),
        hours(all_minutes),
    ]);
    let (first, last) = quarter.bounds();
    let about = |zh: &str, en: &str, value: XCell| vec![XCell::Text(t(zh, en)), value];
    tables_with(
        rows,
        card.sessions
            .iter()
            .map(|s| {
                vec![
                    XCell::Text(s.community.clone()),
                    XCell::Text(s.name.clone()),
                    XCell::Date(s.served_on.clone()),
                    XCell::Int(s.minutes),
                    hours(s.minutes),
                    XCell::Text(s.project.clone().unwrap_or_default()),
                    XCell::Text(s.note.clone()),
                ]
            })
            .collect(),
        vec![
            about("工作单位", "workplace", XCell::Text(card.unit.clone())),
            about("季度", "quarter", XCell::Text(quarter.words(lang))),
            about("起始日期", "from", XCell::Date(format_ymd(first))),
            about("截止日期", "to", XCell::Date(format_ymd(last.min(today)))),
            about(
                "说明",
                "what this is",
                XCell::Text(t(
                    "党员到社区报到服务纪实卡：本单位党员本季度在各社区的服务次数与时长，由社区反馈给党员所在单位。",
                    "Party members' service card: this unit's members' sessions and hours in each community this quarter, returned by the communities to the members' workplace.",
                )),
            ),
        ],
        lang,
    )
}

fn tables_with(
    members: Vec<Vec<XCell>>,
    sessions: Vec<Vec<XCell>>,
    about: Vec<Vec<XCell>>,
    lang: Lang,
) -> Vec<Table> {
    let h = |zh: &[&str], en: &[&str]| -> Vec<String> {
        let words = if lang == Lang::Zh { zh } else { en };
        words.iter().map(|s| s.to_string()).collect()
    };
    vec![
        Table {
            name: lang.pick("服务卡", "service card").to_string(),
            headers: h(
                &[
                    "街道",
                    "社区",
                    "党员",
                    "报到日期",
                    "离开日期",
                    "服务次数",
                    "服务时长(分钟)",
                    "服务时长(小时)",
                ],
                &[
                    "street",
                    "community",
                    "member",
                    "registered_on",
                    "left_on",
                    "sessions",
                    "minutes",
                    "hours",
                ],
            ),
            rows: members,
        },
        Table {
            name: lang.pick("服务明细", "sessions").to_string(),
            headers: h(
                &[
                    "社区",
                    "党员",
                    "服务日期",
                    "服务时长(分钟)",
                    "服务时长(小时)",
                    "项目",
                    "备注",
                ],
                &[
                    "community",
                    "member",
                    "served_on",
                    "minutes",
                    "hours",
                    "project",
                    "note",
                ],
            ),
            rows: sessions,
        },
        Table {
            name: lang.pick("说明", "about").to_string(),
            headers: h(&["项目", "值"], &["item", "value"]),
            rows: about,
        },
    ]
}

/// The header rows of a card's sheets, for the import to know them as gongjian's own.
pub fn card_headers(lang: Lang) -> Vec<Vec<String>> {
    tables_with(Vec::new(), Vec::new(), Vec::new(), lang)
        .into_iter()
        .map(|t| t.headers)
        .collect()
}

/// A card's workbook.
pub fn card_workbook(
    card: &Card,
    quarter: Quarter,
    today: NaiveDate,
    lang: Lang,
) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    for table in card_tables(card, quarter, today, lang) {
        let sheet = workbook.add_worksheet();
        write_table(sheet, &table, &formats, lang).map_err(xlsx_error)?;
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

/// The file name of a card: `党员服务卡_2026Q3_区人民医院.xlsx`, the unit's name made safe for
/// every file system (no separators, no characters Windows refuses, no control characters).
pub fn card_file_name(card: &Card, quarter: Quarter, lang: Lang) -> String {
    let safe: String = crate::text::clean(&card.unit)
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let safe = safe.trim().trim_matches('.');
    let safe: String = safe.chars().take(60).collect();
    let safe = if safe.is_empty() {
        format!("#{}", card.unit_id)
    } else {
        safe
    };
    format!(
        "{}_{}_{}.xlsx",
        lang.pick("党员服务卡", "service-card"),
        quarter.code(),
        safe
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_as_offices_write_them() {
        let q3 = Some(Quarter { year: 2026, q: 3 });
        for text in [
            "2026Q3",
            "2026-Q3",
            "2026q3",
            "2026 Q3",
            "2026年第3季度",
            "2026年第三季度",
            "2026年三季度",
            "２０２６Ｑ３",
        ] {
            assert_eq!(Quarter::parse(text), q3, "{text}");
        }
        for text in ["2026", "2026Q5", "Q3", "1999Q1", "2026Q", "三季度"] {
            assert_eq!(Quarter::parse(text), None, "{text}");
        }
        let q = Quarter { year: 2026, q: 4 };
        assert_eq!(
            q.bounds(),
            (
                NaiveDate::from_ymd_opt(2026, 10, 1).expect("day"),
                NaiveDate::from_ymd_opt(2026, 12, 31).expect("day")
            )
        );
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).expect("day");
        assert!(parse_quarter("2026Q4", today).is_ok());
        assert!(parse_quarter("2027Q1", today).is_err());
        assert_eq!(Quarter::of(today), q);
    }

    #[test]
    fn a_file_name_is_safe_for_every_file_system() {
        let card = Card {
            unit_id: 7,
            unit: "区/人民:医院*\u{1b}[2J".into(),
            members: Vec::new(),
            sessions: Vec::new(),
        };
        let name = card_file_name(&card, Quarter { year: 2026, q: 3 }, Lang::Zh);
        assert_eq!(name, "党员服务卡_2026Q3_区_人民_医院_[2J.xlsx");
        let card = Card {
            unit: "..".into(),
            ..card
        };
        assert_eq!(
            card_file_name(&card, Quarter { year: 2026, q: 3 }, Lang::En),
            "service-card_2026Q3_#7.xlsx"
        );
    }
}
