//! The year-end assessment's vocabulary (年终考评): who is graded, by whom, and the grade, as the
//! `assessment` table stores them, with their words in both languages.

use crate::i18n::{Lang, Term};
use serde::{Deserialize, Serialize};

/// A grade: 优秀 excellent, 良好 good, 一般 fair, 较差 poor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Excellent,
    Good,
    Fair,
    Poor,
}

/// Who gave the grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assessor {
    /// The subject graded itself (`self`).
    #[serde(rename = "self")]
    SelfGrade,
    /// A community graded the unit it contracted with, through the contract.
    Community,
    /// An outside panel (高校专家、居民代表).
    ThirdParty,
}

/// What was graded: the `subject_id` is a community, unit or contract id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Community,
    Unit,
    Contract,
}

/// One row of the `assessment` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradeRow {
    pub id: i64,
    pub year: i32,
    pub subject: Subject,
    pub subject_id: i64,
    pub assessor: Assessor,
    pub grade: Grade,
    pub note: String,
}

/// A contract with its id, as grades name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContractRef {
    pub id: i64,
    pub community_id: i64,
    pub unit_id: i64,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::Excellent, Grade::Good, Grade::Fair, Grade::Poor];

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Excellent => "excellent",
            Grade::Good => "good",
            Grade::Fair => "fair",
            Grade::Poor => "poor",
        }
    }

    pub fn term(self) -> Term {
        match self {
            Grade::Excellent => ("优秀", "excellent"),
            Grade::Good => ("良好", "good"),
            Grade::Fair => ("一般", "fair"),
            Grade::Poor => ("较差", "poor"),
        }
    }

    pub fn word(self, lang: Lang) -> &'static str {
        lang.t(self.term())
    }

    /// The stored value exactly (`excellent` …), as the table's CHECK allows.
    pub fn parse(text: &str) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.as_str() == text)
    }

    /// What a person may type or a sheet may hold: the stored value, the Chinese word, or its
    /// first character (优 良 中/一般 差).
    pub fn parse_loose(text: &str) -> Option<Grade> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        match lower.as_str() {
            "excellent" | "优秀" | "优" => Some(Grade::Excellent),
            "good" | "良好" | "良" => Some(Grade::Good),
            "fair" | "一般" | "中" | "合格" => Some(Grade::Fair),
            "poor" | "较差" | "差" | "不合格" => Some(Grade::Poor),
            _ => None,
        }
    }

    /// Fair or poor: a grade that contradicts a self-grade of excellent.
    pub fn is_low(self) -> bool {
        matches!(self, Grade::Fair | Grade::Poor)
    }
}

impl Assessor {
    pub const ALL: [Assessor; 3] = [
        Assessor::SelfGrade,
        Assessor::Community,
        Assessor::ThirdParty,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Assessor::SelfGrade => "self",
            Assessor::Community => "community",
            Assessor::ThirdParty => "third_party",
        }
    }

    pub fn term(self) -> Term {
        match self {
            Assessor::SelfGrade => ("自评", "self"),
            Assessor::Community => ("社区评议", "community"),
            Assessor::ThirdParty => ("第三方评估", "third party"),
        }
    }

    pub fn word(self, lang: Lang) -> &'static str {
        lang.t(self.term())
    }

    pub fn parse(text: &str) -> Option<Assessor> {
        Assessor::ALL.into_iter().find(|a| a.as_str() == text)
    }

    pub fn parse_loose(text: &str) -> Option<Assessor> {
        let text = text.trim();
        match text.to_ascii_lowercase().replace([' ', '-'], "_").as_str() {
            "self" | "自评" | "自己" => Some(Assessor::SelfGrade),
            "community" | "社区评议" | "社区" => Some(Assessor::Community),
            "third_party" | "thirdparty" | "第三方评估" | "第三方" => {
                Some(Assessor::ThirdParty)
            }
            _ => None,
        }
    }
}

impl Subject {
    pub const ALL: [Subject; 3] = [Subject::Community, Subject::Unit, Subject::Contract];

    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Community => "community",
            Subject::Unit => "unit",
            Subject::Contract => "contract",
        }
    }

    pub fn parse(text: &str) -> Option<Subject> {
        Subject::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_round_trip_and_nothing_else_is_stored() {
        for g in Grade::ALL {
            assert_eq!(Grade::parse(g.as_str()), Some(g));
            assert_eq!(Grade::parse_loose(g.word(Lang::Zh)), Some(g));
            assert_eq!(Grade::parse_loose(g.word(Lang::En)), Some(g));
        }
        for a in Assessor::ALL {
            assert_eq!(Assessor::parse(a.as_str()), Some(a));
            assert_eq!(Assessor::parse_loose(a.word(Lang::Zh)), Some(a));
            assert_eq!(Assessor::parse_loose(a.word(Lang::En)), Some(a));
        }
        for s in Subject::ALL {
            assert_eq!(Subject::parse(s.as_str()), Some(s));
        }
        assert_eq!(Grade::parse("Excellent"), None);
        assert_eq!(Grade::parse("优秀"), None);
        assert_eq!(Assessor::parse("third party"), None);
        assert_eq!(Grade::parse_loose("很好"), None);
        assert_eq!(
            serde_json::to_string(&Assessor::SelfGrade).expect("json"),
            "\"self\""
        );
    }
}
