//! Every closed word list of the program, one enum each: the code the shared file stores, the
//! word on screen in Chinese and in English, and the other spellings accepted on input. The
//! form, the command line, the import, the export, the template, the log and the minutes all
//! read and write these words through this module, so that a word one of them offers is a word
//! every other accepts.
//!
//! Input is compared after [`fold`]: full-width letters and digits read as ASCII, case, spaces,
//! `_` and `-` do not count, and a trailing marker in brackets is dropped (`现场会（回头看）`).
//! Codes read back from the file are compared exactly ([`Vocabulary::from_code`]): a stored
//! `Done` is a value that breaks the contract, not a spelling of `done`.

use crate::i18n::{Lang, Term};

/// One word of a closed list.
#[derive(Debug)]
pub struct Word<T: 'static> {
    pub value: T,
    /// As the shared file stores it (and the JSON report prints it).
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// Other spellings accepted on input, besides the code and the two words.
    pub also: &'static [&'static str],
}

/// What every closed list offers; implemented by [`vocabulary!`] for each enum below.
pub trait Vocabulary: Copy + Eq + std::fmt::Debug + 'static {
    /// What the list is called, for messages ("例会类型", "meeting kind").
    const NAME: Term;
    /// Every value, in the order lists and drop-downs offer them.
    const WORDS: &'static [Word<Self>];

    fn row(self) -> &'static Word<Self>;

    fn code(self) -> &'static str {
        self.row().code
    }

    fn label(self) -> Term {
        let row = self.row();
        (row.zh, row.en)
    }

    fn word(self, lang: Lang) -> &'static str {
        lang.t(self.label())
    }

    /// Every spelling accepted on input: the code, the two words, then the others.
    fn spellings(self) -> Vec<&'static str> {
        let row = self.row();
        [row.code, row.zh, row.en]
            .into_iter()
            .chain(row.also.iter().copied())
            .collect()
    }

    fn all() -> Vec<Self> {
        Self::WORDS.iter().map(|w| w.value).collect()
    }

    /// The value a stored code stands for, compared exactly.
    fn from_code(text: &str) -> Option<Self> {
        Self::WORDS.iter().find(|w| w.code == text).map(|w| w.value)
    }

    /// What a person typed (a code, a word in either language or another accepted spelling).
    fn parse(text: &str) -> Option<Self> {
        let folded = fold(text);
        if folded.is_empty() {
            return None;
        }
        Self::WORDS
            .iter()
            .find(|w| w.value.spellings().iter().any(|s| fold(s) == folded))
            .map(|w| w.value)
    }

    /// The accepted words, for "accepted:" in a message:
    /// `季度例会、现场会、其他（或 quarterly、site_visit、other）`,
    /// `季度例会 quarterly, 现场会 site_visit, 其他 other`.
    fn accepted(lang: Lang) -> String {
        let zh: Vec<&str> = Self::WORDS.iter().map(|w| w.zh).collect();
        let codes: Vec<&str> = Self::WORDS.iter().map(|w| w.code).collect();
        match lang {
            Lang::Zh => format!("{}（或 {}）", zh.join("、"), codes.join("、")),
            Lang::En => {
                let pairs: Vec<String> = Self::WORDS
                    .iter()
                    .map(|w| format!("{} {}", w.zh, w.code))
                    .collect();
                pairs.join(", ")
            }
        }
    }
}

/// Defines a closed list: the enum, its table of words, and serde through its codes.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $list:expr,
        $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $zh:literal, $en:literal, [$($also:literal),*]; )+
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl Vocabulary for $name {
            const NAME: Term = $list;
            const WORDS: &'static [Word<Self>] = &[
                $( Word { value: $name::$variant, code: $code, zh: $zh, en: $en, also: &[$($also),*] }, )+
            ];

            fn row(self) -> &'static Word<Self> {
                // The variants and the rows come from the same list, in the same order.
                &Self::WORDS[self as usize]
            }
        }

        // The same, without `Vocabulary` in scope.
        impl $name {
            pub fn code(self) -> &'static str {
                <Self as Vocabulary>::code(self)
            }
            pub fn label(self) -> Term {
                <Self as Vocabulary>::label(self)
            }
            pub fn word(self, lang: Lang) -> &'static str {
                <Self as Vocabulary>::word(self, lang)
            }
            pub fn all() -> Vec<Self> {
                <Self as Vocabulary>::all()
            }
            pub fn from_code(text: &str) -> Option<Self> {
                <Self as Vocabulary>::from_code(text)
            }
            pub fn parse(text: &str) -> Option<Self> {
                <Self as Vocabulary>::parse(text)
            }
            pub fn accepted(lang: Lang) -> String {
                <Self as Vocabulary>::accepted(lang)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                <$name as Vocabulary>::from_code(&text).ok_or_else(|| {
                    serde::de::Error::custom(format!("unknown {}: {text}", <$name as Vocabulary>::NAME.1))
                })
            }
        }
    };
}

vocabulary! {
    /// A project's status (`project.status`). `done` and `cancelled` are closed.
    Status, ("项目状态", "status"),
    Active = "active", "进行中", "active", ["在办", "实施中", "推进中", "未完成", "in progress", "ongoing"];
    Paused = "paused", "暂停", "paused", ["已暂停", "暂缓", "on hold"];
    Done = "done", "已完成", "done", ["完成", "办结", "已办结", "completed", "finished"];
    Cancelled = "cancelled", "已终止", "cancelled", ["终止", "已取消", "取消", "canceled"];
}

vocabulary! {
    /// The kind of a meeting (`meeting.kind`); only quarterly meetings count for the panel.
    MeetingKind, ("例会类型", "meeting kind"),
    Quarterly = "quarterly", "季度例会", "quarterly meeting", ["例会", "季度会"];
    SiteVisit = "site_visit", "现场会", "site visit", ["现场走访", "回头看", "现场查看", "实地查看", "现场调研", "现场观摩会"];
    Other = "other", "其他", "other", ["其它"];
}

vocabulary! {
    /// Where a need was heard (`need.source`).
    NeedSource, ("需求来源", "need source"),
    Survey = "survey", "问卷调查", "survey", ["问卷", "调查", "调研"];
    Visit = "visit", "走访", "visit", ["入户走访", "上门走访"];
    Forum = "forum", "议事会", "forum", ["居民议事会", "座谈", "座谈会", "恳谈会"];
    Other = "other", "其他", "other", ["其它"];
}

vocabulary! {
    /// A year-end grade (`assessment.grade`).
    Grade, ("考评等次", "grade"),
    Excellent = "excellent", "优秀", "excellent", ["优"];
    Good = "good", "良好", "good", ["良"];
    Fair = "fair", "一般", "fair", ["合格", "中"];
    Poor = "poor", "较差", "poor", ["差", "不合格"];
}

vocabulary! {
    /// Who gave a year-end grade (`assessment.assessor`).
    Assessor, ("评价方", "assessor"),
    /// The subject graded itself.
    SelfGrade = "self", "自评", "self", ["自我评价", "自己"];
    /// A community graded the unit it contracted with, through the contract.
    Community = "community", "社区评议", "community", ["社区评价"];
    /// An outside panel (高校专家、居民代表).
    ThirdParty = "third_party", "第三方评估", "third party", ["第三方", "第三方评价"];
}

vocabulary! {
    /// What a year-end grade is about (`assessment.subject`).
    Subject, ("考评对象", "subject"),
    Community = "community", "社区", "community", [];
    Unit = "unit", "驻区单位", "unit", ["单位"];
    Contract = "contract", "共建契约", "contract", ["契约"];
}

vocabulary! {
    /// Where a quarter stands for the quarterly-meeting panel (the JSON report's words).
    QuarterState, ("季度例会情况", "quarter"),
    Held = "held", "已开", "held", [];
    Missing = "missing", "未开", "missing", [];
    /// `today` falls in the quarter.
    Pending = "pending", "本季", "pending", [];
    Future = "future", "未到", "future", [];
}

impl Grade {
    /// Fair or poor: a grade that contradicts a self-grade of excellent.
    pub fn is_low(self) -> bool {
        matches!(self, Grade::Fair | Grade::Poor)
    }
}

impl QuarterState {
    /// One glyph per state for tables: full-width in Chinese (two cells on every terminal),
    /// ASCII in English. Never colour alone.
    pub fn glyph(self, lang: Lang) -> &'static str {
        use QuarterState::*;
        match (lang, self) {
            (Lang::Zh, Held) => "开",
            (Lang::Zh, Missing) => "缺",
            (Lang::Zh, Pending) => "待",
            (Lang::Zh, Future) => "－",
            (Lang::En, Held) => "+",
            (Lang::En, Missing) => "X",
            (Lang::En, Pending) => "~",
            (Lang::En, Future) => "-",
        }
    }
}

vocabulary! {
    /// What the weekly review did with a community (`review_item.outcome`).
    Outcome, ("回顾结果", "outcome"),
    Covered = "covered", "已回顾", "covered", [];
    Skipped = "skipped", "已跳过", "skipped", [];
}

vocabulary! {
    /// Where a review decision stands on a given day.
    DecisionState, ("督办状态", "decision state"),
    Open = "open", "未完成", "open", [];
    Done = "done", "已完成", "done", [];
    /// Not done and due before today.
    Overdue = "overdue", "已逾期", "overdue", [];
}

impl DecisionState {
    /// Open or overdue: still to follow up.
    pub fn is_open(self) -> bool {
        self != DecisionState::Done
    }
}

/// Text as input is compared: full-width ASCII folded to ASCII, a trailing `(…)` marker and
/// `*` / `:` decorations dropped, spaces, `_` and `-` removed, lower case. Spreadsheet headers
/// are matched the same way.
pub fn fold(text: &str) -> String {
    let mut text: String = text
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            other => other,
        })
        .collect();
    loop {
        let trimmed = text
            .trim()
            .trim_end_matches(['*', ':'])
            .trim_start_matches('*');
        let without_marker = trimmed
            .strip_suffix(')')
            .and_then(|t| t.rfind('(').map(|at| &t[..at]))
            .filter(|t| !t.trim().is_empty());
        match without_marker {
            Some(t) => text = t.to_string(),
            None => {
                text = trimmed.to_string();
                break;
            }
        }
    }
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each list's rows: every spelling reads back as its own value and as no other, codes
    /// read back exactly, and serde goes through the code.
    fn check<T: Vocabulary + serde::Serialize + serde::de::DeserializeOwned>() {
        for (at, row) in T::WORDS.iter().enumerate() {
            assert_eq!(
                row.value.row().code,
                row.code,
                "{:?} out of order",
                row.value
            );
            assert_eq!(T::from_code(row.code), Some(row.value));
            for spelling in row.value.spellings() {
                assert_eq!(T::parse(spelling), Some(row.value), "{spelling}");
                for other in &T::WORDS[at + 1..] {
                    for theirs in other.value.spellings() {
                        assert_ne!(fold(spelling), fold(theirs), "{spelling} is ambiguous");
                    }
                }
            }
            let json = serde_json::to_string(&row.value).expect("serialise");
            assert_eq!(json, format!("\"{}\"", row.code));
            assert_eq!(serde_json::from_str::<T>(&json).ok(), Some(row.value));
        }
        assert_eq!(T::parse(""), None);
        assert_eq!(T::parse("  "), None);
    }

    #[test]
    fn every_list_reads_its_own_spellings_and_no_other() {
        check::<Status>();
        check::<MeetingKind>();
        check::<NeedSource>();
        check::<Grade>();
        check::<Assessor>();
        check::<Subject>();
        check::<QuarterState>();
        check::<Outcome>();
        check::<DecisionState>();
    }

    #[test]
    fn input_is_folded_but_stored_codes_are_exact() {
        assert_eq!(
            MeetingKind::parse(" Site-Visit "),
            Some(MeetingKind::SiteVisit)
        );
        assert_eq!(
            MeetingKind::parse("现场会（回头看）"),
            Some(MeetingKind::SiteVisit)
        );
        assert_eq!(MeetingKind::parse("ＯＴＨＥＲ"), Some(MeetingKind::Other));
        assert_eq!(Status::parse("已取消"), Some(Status::Cancelled));
        assert_eq!(Status::from_code("Done"), None);
        assert_eq!(Status::from_code("done"), Some(Status::Done));
        assert_eq!(Status::parse("搁置"), None);
    }

    #[test]
    fn accepted_lists_name_the_words_and_the_codes() {
        assert_eq!(
            MeetingKind::accepted(Lang::Zh),
            "季度例会、现场会、其他（或 quarterly、site_visit、other）"
        );
        assert_eq!(
            MeetingKind::accepted(Lang::En),
            "季度例会 quarterly, 现场会 site_visit, 其他 other"
        );
    }
}
