//! Who is at the keyboard (经办人).

use std::sync::Mutex;

/// The name last saved with an adjustment in this process: the next form starts with it.
static LAST_USED: Mutex<Option<String>> = Mutex::new(None);

/// `--operator`, else `GONGJIAN_OPERATOR`, else the login name (`USER`, `USERNAME`), else
/// `unknown`. Blank values are skipped.
pub fn default_operator(flag: Option<&str>) -> String {
    from_sources(flag, |name| std::env::var(name).ok())
}

fn from_sources(flag: Option<&str>, env: impl Fn(&str) -> Option<String>) -> String {
    let given = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    given(flag.map(str::to_string))
        .or_else(|| given(env("GONGJIAN_OPERATOR")))
        .or_else(|| given(env("USER")))
        .or_else(|| given(env("USERNAME")))
        .unwrap_or_else(|| "unknown".to_string())
}

/// Records the name an adjustment was saved with ([`super::apply`] does this itself).
pub fn remember(name: &str) {
    let mut last = LAST_USED.lock().unwrap_or_else(|e| e.into_inner());
    *last = Some(name.to_string());
}

pub fn last_used() -> Option<String> {
    LAST_USED.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// What a form's operator field starts with: the name last used in this process, else
/// [`default_operator`].
pub fn prefill(flag: Option<&str>) -> String {
    last_used().unwrap_or_else(|| default_operator(flag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_then_variable_then_login_then_unknown() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let all = env(&[
            ("GONGJIAN_OPERATOR", "王芳"),
            ("USER", "wang"),
            ("USERNAME", "win"),
        ]);
        assert_eq!(from_sources(Some(" 李明 "), all), "李明");
        assert_eq!(from_sources(Some("  "), all), "王芳");
        assert_eq!(from_sources(None, all), "王芳");
        assert_eq!(
            from_sources(None, env(&[("GONGJIAN_OPERATOR", ""), ("USER", "wang")])),
            "wang"
        );
        assert_eq!(from_sources(None, env(&[("USERNAME", "win")])), "win");
        assert_eq!(from_sources(None, env(&[])), "unknown");
    }
}
