//! Who is at the keyboard (经办人).

/// `--operator`, else `GONGJIAN_OPERATOR`, else the login name (`USER`, `USERNAME`, else the
/// account's name from the system), else empty: a form then asks for the name on the first
/// save and the command line says to give `--operator`. Nobody is recorded as `unknown`.
/// Blank values are skipped.
pub fn default_operator(flag: Option<&str>) -> String {
    from_sources(flag, |name| match name {
        ACCOUNT => account_name(),
        _ => std::env::var(name).ok(),
    })
}

/// The pseudo-variable for the account's name as the system knows it.
const ACCOUNT: &str = "(account)";

/// The name of the account running the program, from the system's user database.
fn account_name() -> Option<String> {
    #[cfg(unix)]
    {
        // SAFETY: getpwuid returns a pointer into static storage or null; the name is a
        // NUL-terminated string that is copied out at once, before any other call.
        unsafe {
            let entry = libc::getpwuid(libc::geteuid());
            if entry.is_null() || (*entry).pw_name.is_null() {
                return None;
            }
            let name = std::ffi::CStr::from_ptr((*entry).pw_name);
            Some(name.to_string_lossy().into_owned())
        }
    }
    #[cfg(not(unix))]
    None
}

fn from_sources(flag: Option<&str>, env: impl Fn(&str) -> Option<String>) -> String {
    let given = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    given(flag.map(str::to_string))
        .or_else(|| given(env("GONGJIAN_OPERATOR")))
        .or_else(|| given(env("USER")))
        .or_else(|| given(env("USERNAME")))
        .or_else(|| given(env(ACCOUNT)))
        .unwrap_or_default()
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
    fn flag_then_variable_then_login_then_account_then_nothing() {
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
        assert_eq!(from_sources(None, env(&[("(account)", "gj")])), "gj");
        assert_eq!(from_sources(None, env(&[])), "", "never `unknown`");
    }

    #[test]
    fn the_last_name_used_comes_before_the_flag() {
        assert_eq!(prefill(Some("李明"), Some("王芳")), "王芳");
        assert_eq!(prefill(Some("李明"), Some("  ")), "李明");
        assert_eq!(prefill(Some("李明"), None), "李明");
    }
}
