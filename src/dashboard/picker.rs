//! Choosing one of a list by name (units, communities, projects): what is typed filters the
//! list fuzzily, by the name itself or by its pinyin (`mzj` and `minzheng` both find 民政局);
//! the best matches come first and the first is highlighted, so Enter takes it.

use pinyin::ToPinyin;

/// One entry of a picker list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// `None` for the entry that means "nobody" (e.g. the community runs the project itself).
    pub id: Option<i64>,
    pub name: String,
    /// Shown after the name, dimmed (a unit's kind, a project's community).
    pub detail: String,
}

/// Up to this many matches are listed under a field.
pub const SHOWN: usize = 6;

/// How well `query` matches `name`: lower is better; `None` when it does not match.
/// Exact and contiguous matches of the name come first, then of the pinyin initials, then
/// letters in order anywhere in the name, its initials or its full pinyin.
pub fn score(name: &str, query: &str) -> Option<u8> {
    let query: String = query
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if query.is_empty() {
        return Some(9);
    }
    let name_lower = name.to_lowercase();
    if name_lower == query {
        return Some(0);
    }
    if name_lower.contains(&query) {
        return Some(1);
    }
    let (initials, full) = pinyin_of(&name_lower);
    if initials.contains(&query) {
        return Some(2);
    }
    if full.contains(&query) {
        return Some(3);
    }
    if in_order(&name_lower, &query) {
        return Some(4);
    }
    if in_order(&initials, &query) {
        return Some(5);
    }
    if in_order(&full, &query) {
        return Some(6);
    }
    None
}

/// The pinyin initials (`xjqmzj`) and the whole pinyin without tones (`xijiangqumin...`) of a
/// name; characters without pinyin stand for themselves.
fn pinyin_of(name: &str) -> (String, String) {
    let mut initials = String::new();
    let mut full = String::new();
    for (ch, py) in name.chars().zip(name.to_pinyin()) {
        match py {
            Some(p) => {
                initials.push_str(p.first_letter());
                full.push_str(p.plain());
            }
            None => {
                initials.push(ch);
                full.push(ch);
            }
        }
    }
    (initials, full)
}

/// Whether every character of `query` appears in `text` in the same order.
fn in_order(text: &str, query: &str) -> bool {
    let mut chars = text.chars();
    query.chars().all(|q| chars.any(|c| c == q))
}

/// The choices that match `query`, best first (ties keep the list's order).
pub fn filter<'a>(choices: &'a [Choice], query: &str) -> Vec<&'a Choice> {
    let mut scored: Vec<(u8, usize, &Choice)> = choices
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let by_name = score(&c.name, query);
            // The "nobody" entry also answers to the words typed for it on the command line.
            let by_word = if c.id.is_none() {
                let q = query.trim();
                crate::adjust::NO_UNIT_WORDS
                    .iter()
                    .any(|w| !q.is_empty() && w.eq_ignore_ascii_case(q))
                    .then_some(0)
            } else {
                None
            };
            let by_id = c.id.filter(|id| id.to_string() == query.trim()).map(|_| 1);
            [by_name, by_word, by_id]
                .into_iter()
                .flatten()
                .min()
                .map(|s| (s, i, c))
        })
        .collect();
    scored.sort_by_key(|(s, i, _)| (*s, *i));
    scored.into_iter().map(|(_, _, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, name: &str) -> Choice {
        Choice {
            id: Some(id),
            name: name.into(),
            detail: String::new(),
        }
    }

    #[test]
    fn pinyin_initials_and_full_pinyin_find_chinese_names() {
        assert!(score("西江区民政局", "mzj").is_some());
        assert!(score("西江区民政局", "minzheng").is_some());
        assert!(score("西江区民政局", "民政").is_some());
        assert!(score("西江区民政局", "MZJ").is_some());
        assert_eq!(score("西江区民政局", "zmj"), None);
        assert_eq!(score("西江区民政局", "卫生"), None);
    }

    #[test]
    fn the_closest_match_comes_first() {
        let units = [
            unit(1, "市政工程公司"),
            unit(2, "西江区民政局"),
            unit(3, "民政服务中心"),
        ];
        let names: Vec<&str> = filter(&units, "mz")
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(names, vec!["西江区民政局", "民政服务中心"]);
        let names: Vec<&str> = filter(&units, "民政")
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(names, vec!["西江区民政局", "民政服务中心"]);
        assert_eq!(filter(&units, "3")[0].name, "民政服务中心");
        assert_eq!(filter(&units, "").len(), 3);
    }

    #[test]
    fn the_community_itself_answers_to_its_words() {
        let choices = [
            unit(1, "西江区民政局"),
            Choice {
                id: None,
                name: "社区自办".into(),
                detail: String::new(),
            },
        ];
        for q in ["sqzb", "社区", "none", "无"] {
            let found = filter(&choices, q);
            assert_eq!(found.first().map(|c| c.id), Some(None), "{q}");
        }
    }
}
