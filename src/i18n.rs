//! The two languages of the screen and the messages. Chinese is the default.

use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Picks the Chinese or the English text.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh_cn" | "cn" | "chinese" | "中文" => Some(Lang::Zh),
            "en" | "en-us" | "en_us" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language for messages printed before the command line is fully understood: `--lang`
    /// from the raw arguments, then `GONGJIAN_LANG`, then Chinese.
    pub fn sniff(args: &[std::ffi::OsString]) -> Lang {
        let mut iter = args.iter().filter_map(|a| a.to_str());
        while let Some(arg) = iter.next() {
            if let Some(value) = arg.strip_prefix("--lang=") {
                if let Some(lang) = Lang::parse(value) {
                    return lang;
                }
            } else if arg == "--lang"
                && let Some(lang) = iter.next().and_then(Lang::parse)
            {
                return lang;
            }
        }
        std::env::var("GONGJIAN_LANG")
            .ok()
            .and_then(|v| Lang::parse(&v))
            .unwrap_or_default()
    }
}

static PROCESS_LANG_IS_EN: AtomicBool = AtomicBool::new(false);

/// Records the language of this process, for messages produced far from the arguments
/// (argument parsers, `Display` of errors).
pub fn set_process_lang(lang: Lang) {
    PROCESS_LANG_IS_EN.store(lang == Lang::En, Ordering::Relaxed);
}

pub fn process_lang() -> Lang {
    if PROCESS_LANG_IS_EN.load(Ordering::Relaxed) {
        Lang::En
    } else {
        Lang::Zh
    }
}

/// A word on screen in both languages (DOMAIN.md, "Words on screen").
pub type Term = (&'static str, &'static str);

impl Lang {
    pub fn t(self, term: Term) -> &'static str {
        match self {
            Lang::Zh => term.0,
            Lang::En => term.1,
        }
    }
}

/// The vocabulary shared by the report and the screens.
pub mod terms {
    use super::Term;
    pub const STREET: Term = ("街道", "street");
    pub const COMMUNITY: Term = ("社区", "community");
    pub const UNIT: Term = ("驻区单位", "unit");
    pub const COMPLETION: Term = ("清单完成率", "list completion");
    pub const RESOURCES: Term = ("资源利用率", "resource use");
    pub const OVERDUE: Term = ("逾期项目", "overdue projects");
    pub const OVERDUE_SHORT: Term = ("逾期", "overdue");
    pub const MEETINGS: Term = ("季度例会", "quarterly meeting");
    pub const MEETINGS_SHORT: Term = ("例会", "meetings");
    pub const LOW_PARTICIPATION: Term = ("参与率预警", "low participation");
    pub const PARTICIPATION_SHORT: Term = ("参与预警", "particip.");
    pub const INACTIVE_UNIT: Term = ("参与不足单位", "inactive unit");
    pub const ALERTS: Term = ("预警", "alerts");
    pub const ADJUSTMENT: Term = ("调整", "adjustment");
    pub const ADJUSTMENT_LOG: Term = ("调整记录", "adjustment log");
    pub const OPERATOR: Term = ("经办人", "operator");
    pub const REASON: Term = ("调整原因", "reason");
    pub const WEEKLY_REVIEW: Term = ("周例会回顾", "weekly review");
    pub const TODAY: Term = ("今天", "today");
    pub const DUE_ON: Term = ("截止日期", "due");
    pub const DAYS_OVERDUE: Term = ("逾期天数", "days overdue");
    pub const PLANNED: Term = ("计划", "planned");
    pub const ACTUAL: Term = ("实际", "actual");
    pub const ACTIVITIES: Term = ("活动次数", "activities");
    pub const PROJECT: Term = ("项目", "project");
    pub const THRESHOLDS: Term = ("预警线", "thresholds");
    pub const NONE: Term = ("无", "none");
    pub const FLAGGED: Term = ("已预警", "flagged");
}
