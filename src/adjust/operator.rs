//! Who is at the keyboard (经办人).

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

/// What a form's operator field starts with: the name the caller last saved with (kept by
/// the caller: the dashboard has it from the reply to its last save), else
/// [`default_operator`]. No name is kept in the process.
pub fn prefill(flag: Option<&str>, last_used: Option<&str>) -> String {
    last_used
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map_or_else(|| default_operator(flag), str::to_string)
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

    #[test]
    fn the_last_name_used_comes_before_the_flag() {
        assert_eq!(prefill(Some("李明"), Some("王芳")), "王芳");
        assert_eq!(prefill(Some("李明"), Some("  ")), "李明");
        assert_eq!(prefill(Some("李明"), None), "李明");
    }
}
