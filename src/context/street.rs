//! `--street NAME|ID`: the street a terminal shows by default on a district-wide database.
//!
//! A street office's terminal gives `--street 青石街道` once; the choice is remembered for
//! that database on this machine's account (`<config dir>/gongjian/streets.json`), so the
//! next start shows that street again without the flag. `--street all` (or `全部`) forgets it:
//! the district's working group sees every street. The dashboard's street picker changes the
//! view for the session only.
//!
//! No SQL and no terminal here: the caller reads the streets and shows the notices.

use crate::error::{Error, Result};
use crate::model::Street;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What `--street` asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreetArg {
    /// `all`, `全部`: every street, and forget the remembered one.
    All,
    /// A street's id or name (or an unambiguous part of its name).
    Named(String),
}

impl StreetArg {
    pub fn parse(text: &str) -> StreetArg {
        let text = text.trim();
        if text.eq_ignore_ascii_case("all") || text == "全部" || text == "所有" {
            StreetArg::All
        } else {
            StreetArg::Named(text.to_string())
        }
    }
}

/// Which street a start shows, and what to tell the user about it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scope {
    pub street: Option<Street>,
    /// A sentence (zh, en) for the user: a remembered street that is gone, a choice that
    /// could not be remembered.
    pub notice: Option<(String, String)>,
}

/// Finds the street `text` names: its id, its exact name, or a part of its name that only
/// one street has. Anything else is refused with the streets there are.
pub fn find(text: &str, streets: &[Street]) -> Result<Street> {
    let text = text.trim();
    if let Ok(id) = text.parse::<i64>()
        && let Some(s) = streets.iter().find(|s| s.id == id)
    {
        return Ok(s.clone());
    }
    if let Some(s) = streets.iter().find(|s| s.name.trim() == text) {
        return Ok(s.clone());
    }
    let partial: Vec<&Street> = if text.is_empty() {
        Vec::new()
    } else {
        streets.iter().filter(|s| s.name.contains(text)).collect()
    };
    match partial.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(Error::plain(
            format!(
                "没有“{text}”这个街道。可选：{}；或用 --street all 查看全部街道",
                listing(streets)
            ),
            format!(
                "no street \"{text}\". There are: {}; or --street all for every street",
                listing(streets)
            ),
        )),
        many => {
            let names: Vec<Street> = many.iter().map(|s| (*s).clone()).collect();
            Err(Error::plain(
                format!(
                    "“{text}”可以指几个街道：{}。请写全名或编号",
                    listing(&names)
                ),
                format!(
                    "\"{text}\" matches several streets: {}. Give the whole name or the id",
                    listing(&names)
                ),
            ))
        }
    }
}

fn listing(streets: &[Street]) -> String {
    if streets.is_empty() {
        return "（这个数据库里还没有街道）".to_string();
    }
    let mut shown: Vec<String> = streets
        .iter()
        .take(12)
        .map(|s| format!("{} {}", s.id, crate::text::clean(&s.name)))
        .collect();
    if streets.len() > 12 {
        shown.push(format!("… ({})", streets.len()));
    }
    shown.join("、")
}

/// The remembered streets of this account: database → street.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
struct Remembered {
    #[serde(default)]
    streets: BTreeMap<String, RememberedStreet>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct RememberedStreet {
    id: i64,
    name: String,
}

/// Where a terminal's choices are kept (`~/.config/gongjian/streets.json` on Linux).
pub fn memory_file() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("gongjian").join("streets.json"))
}

/// The key a database is remembered under: a file's full path, or a server address without
/// its password.
pub fn database_key(db: &Path) -> String {
    let text = db.to_string_lossy();
    if crate::store::pg::is_pg_url(&text) {
        return crate::store::pg::redact(&text);
    }
    std::fs::canonicalize(db)
        .unwrap_or_else(|_| db.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// Works out the street to show: `--street` when given (remembered, or forgotten with
/// `all`), else the street remembered for this database, else every street. A remembered
/// street that no longer exists is forgotten with a notice; a name that matches nothing is
/// an error (nothing is remembered).
pub fn scope(
    arg: Option<&StreetArg>,
    streets: &[Street],
    memory: Option<&Path>,
    key: &str,
) -> Result<Scope> {
    let mut remembered = memory.map(load).unwrap_or_default();
    let before = remembered.clone();
    let mut scope = Scope::default();
    match arg {
        Some(StreetArg::All) => {
            remembered.streets.remove(key);
        }
        Some(StreetArg::Named(text)) => {
            let street = find(text, streets)?;
            remembered.streets.insert(
                key.to_string(),
                RememberedStreet {
                    id: street.id,
                    name: street.name.clone(),
                },
            );
            scope.street = Some(street);
        }
        None => {
            if let Some(r) = remembered.streets.get(key).cloned() {
                let found = streets
                    .iter()
                    .find(|s| s.id == r.id)
                    .or_else(|| streets.iter().find(|s| s.name == r.name));
                match found {
                    Some(s) => {
                        if s.id != r.id || s.name != r.name {
                            remembered.streets.insert(
                                key.to_string(),
                                RememberedStreet {
                                    id: s.id,
                                    name: s.name.clone(),
                                },
                            );
                        }
                        scope.street = Some(s.clone());
                    }
                    None => {
                        remembered.streets.remove(key);
                        let name = crate::text::clean(&r.name);
                        scope.notice = Some((
                            format!("这台终端记住的街道“{name}”已不在这个数据库中，现显示全部街道"),
                            format!(
                                "the street this terminal remembered (\"{name}\") is no longer in this database; showing every street"
                            ),
                        ));
                    }
                }
            }
        }
    }
    if remembered != before
        && let Some(file) = memory
        && let Err(e) = save(file, &remembered)
    {
        scope.notice = Some((
            format!(
                "无法记住所选街道（{}：{e}），下次启动需再加 --street",
                file.display()
            ),
            format!(
                "could not remember the street ({}: {e}); give --street again next time",
                file.display()
            ),
        ));
    }
    Ok(scope)
}

/// A missing or unreadable memory is an empty one: the terminal shows every street.
fn load(file: &Path) -> Remembered {
    std::fs::read(file)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Written whole to a temporary file beside it, then renamed over it, so that two terminals
/// saving at once never leave half a file.
fn save(file: &Path, remembered: &Remembered) -> std::io::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_vec_pretty(remembered).map_err(std::io::Error::other)?;
    let tmp = file.with_extension(format!("json.{}.tmp", std::process::id()));
    std::fs::write(&tmp, json)?;
    std::fs::rename(&tmp, file).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn streets() -> Vec<Street> {
        vec![
            Street {
                id: 1,
                name: "青石街道".into(),
            },
            Street {
                id: 2,
                name: "河西街道".into(),
            },
            Street {
                id: 3,
                name: "河东街道".into(),
            },
        ]
    }

    fn zh(e: Error) -> String {
        e.message(crate::i18n::Lang::Zh)
    }

    #[test]
    fn a_street_is_found_by_id_name_or_a_part_only_it_has() {
        let s = streets();
        assert_eq!(find("2", &s).map(|s| s.id).ok(), Some(2));
        assert_eq!(find(" 青石街道 ", &s).map(|s| s.id).ok(), Some(1));
        assert_eq!(find("青石", &s).map(|s| s.id).ok(), Some(1));
        assert_eq!(find("河东", &s).map(|s| s.id).ok(), Some(3));
        let many = find("河", &s).err().map(zh).unwrap_or_default();
        assert!(many.contains("2 河西街道、3 河东街道"), "{many}");
        let none = find("9", &s).err().map(zh).unwrap_or_default();
        assert!(none.contains("没有“9”这个街道"), "{none}");
        assert!(none.contains("1 青石街道"), "{none}");
        assert!(find("", &s).is_err());
        assert_eq!(StreetArg::parse(" ALL "), StreetArg::All);
        assert_eq!(StreetArg::parse("全部"), StreetArg::All);
    }

    #[test]
    fn a_choice_is_remembered_per_database_and_forgotten_with_all() {
        let dir = tempfile::tempdir().expect("temp dir");
        let memory = dir.path().join("cfg").join("streets.json");
        let s = streets();
        let named = StreetArg::Named("河西".into());
        let got = scope(Some(&named), &s, Some(&memory), "/a.db").expect("scope");
        assert_eq!(got.street.map(|s| s.id), Some(2));
        assert_eq!(got.notice, None);
        // Next start without the flag: the same street, on that database only.
        let again = scope(None, &s, Some(&memory), "/a.db").expect("scope");
        assert_eq!(again.street.map(|s| s.id), Some(2));
        let other = scope(None, &s, Some(&memory), "/b.db").expect("scope");
        assert_eq!(other.street, None);
        // A typo is refused and the remembered street stays.
        let typo = StreetArg::Named("河南".into());
        assert!(scope(Some(&typo), &s, Some(&memory), "/a.db").is_err());
        let kept = scope(None, &s, Some(&memory), "/a.db").expect("scope");
        assert_eq!(kept.street.map(|s| s.id), Some(2));
        // `all` forgets it.
        let all = scope(Some(&StreetArg::All), &s, Some(&memory), "/a.db").expect("scope");
        assert_eq!(all.street, None);
        let after = scope(None, &s, Some(&memory), "/a.db").expect("scope");
        assert_eq!(after.street, None);
    }

    #[test]
    fn a_remembered_street_that_is_gone_is_forgotten_with_a_notice() {
        let dir = tempfile::tempdir().expect("temp dir");
        let memory = dir.path().join("streets.json");
        let s = streets();
        scope(Some(&StreetArg::Named("3".into())), &s, Some(&memory), "k").expect("scope");
        // Renamed: still found by its id, and the new name is remembered.
        let mut renamed = s.clone();
        renamed[2].name = "河东新区街道".into();
        let got = scope(None, &renamed, Some(&memory), "k").expect("scope");
        assert_eq!(got.street.map(|s| s.name), Some("河东新区街道".to_string()));
        // Gone: every street, and the user is told.
        let gone = scope(None, &s[..2], Some(&memory), "k").expect("scope");
        assert_eq!(gone.street, None);
        let (zh, _) = gone.notice.expect("a notice");
        assert!(zh.contains("河东新区街道"), "{zh}");
        assert_eq!(
            scope(None, &s, Some(&memory), "k").expect("scope").street,
            None
        );
    }

    #[test]
    fn a_memory_that_cannot_be_written_is_a_notice_not_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let blocker = dir.path().join("not-a-dir");
        std::fs::write(&blocker, b"x").expect("write");
        let memory = blocker.join("streets.json");
        let got = scope(
            Some(&StreetArg::Named("1".into())),
            &streets(),
            Some(&memory),
            "k",
        )
        .expect("scope");
        assert_eq!(got.street.map(|s| s.id), Some(1));
        assert!(got.notice.is_some_and(|(zh, _)| zh.contains("无法记住")));
        // A damaged memory file reads as empty.
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, b"{not json").expect("write");
        assert_eq!(
            scope(None, &streets(), Some(&bad), "k")
                .expect("scope")
                .street,
            None
        );
    }
}
