//! A PostgreSQL address (`postgres://…` or `postgresql://…`), how it is shown, and where its
//! password comes from.
//!
//! A password is never shown: every message names the address as [`PgUrl::shown`] prints it,
//! without the password. A password written in an address given on the command line is refused
//! (any user of the machine can read a command line); it is taken from `GONGJIAN_DB`, from
//! `PGPASSWORD`, or from the password file (`PGPASSFILE`, else `~/.pgpass`), as the PostgreSQL
//! tools take it.

use crate::error::{Error, Result};
use postgres::config::{Config, Host};
use std::path::{Path, PathBuf};

/// Where the address was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Given {
    /// On the command line (`--db`, an argument of `copy`): no password may be in it.
    CommandLine,
    /// In an environment variable (`GONGJIAN_DB`): a password in it is used.
    Environment,
}

impl Given {
    /// Where `text` came from: the environment when it is `GONGJIAN_DB`'s value, else the
    /// command line.
    pub fn of(text: &str) -> Given {
        if std::env::var("GONGJIAN_DB").is_ok_and(|v| v == text) {
            Given::Environment
        } else {
            Given::CommandLine
        }
    }
}

/// A parsed address, ready to connect with.
#[derive(Clone)]
pub struct PgUrl {
    config: Config,
    shown: String,
    tls: super::tls::Tls,
}

impl std::fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

/// Whether `text` names a PostgreSQL database rather than a file.
pub fn is_pg_url(text: &str) -> bool {
    let lower = text.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// The socket folder the PostgreSQL packages of Debian and Ubuntu use (and `libpq`'s default
/// there) when the address names no host.
const DEFAULT_SOCKET_DIR: &str = "/var/run/postgresql";

impl PgUrl {
    /// Parses `text`. A password in it is refused when it was given on the command line.
    pub fn parse(text: &str, given: Given) -> Result<PgUrl> {
        let shown = redact(text);
        let (rest, tls) = take_tls(text.trim(), &shown)?;
        let mut config: Config = rest.parse().map_err(|e| {
            Error::plain(
                format!("无法识别 PostgreSQL 地址 {shown}：{e}"),
                format!("cannot read the PostgreSQL address {shown}: {e}"),
            )
        })?;
        if config.get_password().is_some() && given == Given::CommandLine {
            return Err(Error::plain(
                format!(
                    "命令行里的地址 {shown} 含有密码，本机其他用户可以看到命令行；未连接。请把密码放在 PGPASSWORD 或 ~/.pgpass 中，或把整个地址放在环境变量 GONGJIAN_DB 中"
                ),
                format!(
                    "the address {shown} on the command line holds a password, which other users of this machine can see; not connected. Put the password in PGPASSWORD or ~/.pgpass, or the whole address in the GONGJIAN_DB environment variable"
                ),
            ));
        }
        if config.get_hosts().is_empty() {
            match std::env::var("PGHOST") {
                Ok(host) if host.starts_with('/') => {
                    config.host_path(host);
                }
                Ok(host) if !host.is_empty() => {
                    config.host(&host);
                }
                _ => {
                    config.host_path(DEFAULT_SOCKET_DIR);
                }
            }
        }
        if config.get_ports().is_empty()
            && let Some(port) = std::env::var("PGPORT").ok().and_then(|p| p.parse().ok())
        {
            config.port(port);
        }
        if config.get_user().is_none() {
            let user = std::env::var("PGUSER")
                .ok()
                .filter(|u| !u.is_empty())
                .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
                .unwrap_or_else(|| "postgres".to_string());
            config.user(&user);
        }
        if config.get_dbname().is_none()
            && let Ok(db) = std::env::var("PGDATABASE")
            && !db.is_empty()
        {
            config.dbname(&db);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("gongjian");
        }
        if config.get_password().is_none()
            && let Some(password) = password_from_environment(&config)
        {
            config.password(password);
        }
        config.ssl_mode(tls.mode.wire());
        Ok(PgUrl { config, shown, tls })
    }

    /// How the connection is encrypted (`sslmode`, `sslrootcert`).
    pub fn tls(&self) -> &super::tls::Tls {
        &self.tls
    }

    /// The address as messages show it: never with its password.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// A short name for a header: `database@host` (`local` for a Unix socket), no user, no
    /// password.
    pub fn label(&self) -> String {
        let db = self.config.get_dbname().map_or_else(
            || self.config.get_user().unwrap_or("").to_string(),
            str::to_string,
        );
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(name)) => name.clone(),
            _ => "local".to_string(),
        };
        crate::text::visible(&format!("{db}@{host}"))
    }

    /// The address as a path-like name, for the messages that name a file.
    pub fn shown_path(&self) -> PathBuf {
        PathBuf::from(&self.shown)
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }
}

/// Takes `sslmode` and `sslrootcert` out of the address's query (the postgres client knows
/// neither `verify-ca`/`verify-full` nor `sslrootcert`), else from `PGSSLMODE` and
/// `PGSSLROOTCERT` as the PostgreSQL tools do. Client certificates are refused in words.
fn take_tls(text: &str, shown: &str) -> Result<(String, super::tls::Tls)> {
    use super::tls::{RootCert, SslMode, Tls};
    let (base, query) = match text.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (text, None),
    };
    let mut kept = Vec::new();
    let mut mode = None;
    let mut root = None;
    for pair in query.into_iter().flat_map(|q| q.split('&')) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value);
        match key {
            "sslmode" => {
                mode = Some(SslMode::parse(&value).ok_or_else(|| bad_sslmode(shown, &value))?);
            }
            "sslrootcert" => root = Some(RootCert::parse(&value)),
            "sslcert" | "sslkey" | "sslpassword" => {
                return Err(Error::plain(
                    format!(
                        "{shown}：本版本的 gongjian 不能用客户端证书登录（{key}）；未连接。请用密码（PGPASSWORD 或 ~/.pgpass）登录"
                    ),
                    format!(
                        "{shown}: this build of gongjian cannot log in with a client certificate ({key}); not connected. Log in with a password (PGPASSWORD or ~/.pgpass)"
                    ),
                ));
            }
            _ => kept.push(pair),
        }
    }
    if mode.is_none()
        && let Ok(value) = std::env::var("PGSSLMODE")
        && !value.is_empty()
    {
        mode = Some(SslMode::parse(&value).ok_or_else(|| bad_sslmode(shown, &value))?);
    }
    if root.is_none()
        && let Ok(value) = std::env::var("PGSSLROOTCERT")
        && !value.is_empty()
    {
        root = Some(RootCert::parse(&value));
    }
    let rest = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((
        rest,
        Tls {
            mode: mode.unwrap_or_default(),
            root_cert: root,
        },
    ))
}

fn bad_sslmode(shown: &str, value: &str) -> Error {
    let value = crate::text::visible(value);
    Error::plain(
        format!(
            "{shown}：sslmode={value} 无法识别；可用 disable、prefer、require、verify-ca 或 verify-full。未连接"
        ),
        format!(
            "{shown}: sslmode={value} is not known; use disable, prefer, require, verify-ca or verify-full. Not connected"
        ),
    )
}

/// `%2F` → `/` and so on, for a file path written in an address.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(&h), Some(&l)) = (bytes.get(i + 1), bytes.get(i + 2))
            && let (Some(h), Some(l)) = (hex(h), hex(l))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `text` without its password: the user-info's password and a `password=` parameter are
/// left out.
pub fn redact(text: &str) -> String {
    let text = text.trim();
    let Some(scheme_end) = text.find("://") else {
        return crate::text::visible(text);
    };
    let (scheme, rest) = text.split_at(scheme_end + 3);
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rfind('@') {
        Some(at) => {
            let (userinfo, host) = authority.split_at(at);
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{user}{host}")
        }
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let kept: Vec<&str> = query
                .split('&')
                .filter(|pair| !pair.to_ascii_lowercase().starts_with("password="))
                .collect();
            if kept.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{}", kept.join("&"))
            }
        }
        None => tail.to_string(),
    };
    crate::text::visible(&format!("{scheme}{authority}{tail}"))
}

/// `PGPASSWORD`, else the matching line of the password file.
fn password_from_environment(config: &Config) -> Option<String> {
    if let Ok(password) = std::env::var("PGPASSWORD")
        && !password.is_empty()
    {
        return Some(password);
    }
    let file = match std::env::var_os("PGPASSFILE") {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => dirs::home_dir()?.join(".pgpass"),
    };
    let host = match config.get_hosts().first()? {
        Host::Tcp(name) => name.clone(),
        Host::Unix(path) if path == Path::new(DEFAULT_SOCKET_DIR) => "localhost".to_string(),
        Host::Unix(path) => path.display().to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap_or_default();
    let db = config.get_dbname().unwrap_or(user);
    password_from_file(&file, &host, &port, db, user)
}

/// The password of the first line of a `.pgpass` file that matches, as `libpq` reads it:
/// `host:port:database:user:password`, `*` matching anything, `\` escaping `:` and `\`. A
/// file that others can read is ignored, as `libpq` ignores it.
pub fn password_from_file(
    file: &Path,
    host: &str,
    port: &str,
    db: &str,
    user: &str,
) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(file).ok()?;
        if !meta.is_file() || meta.permissions().mode() & 0o077 != 0 {
            return None;
        }
    }
    let text = std::fs::read_to_string(file).ok()?;
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .find_map(|line| {
            let fields = split_pgpass(line);
            let [h, p, d, u, password] = fields.as_slice() else {
                return None;
            };
            let matches = |pattern: &str, value: &str| pattern == "*" || pattern == value;
            (matches(h, host) && matches(p, port) && matches(d, db) && matches(u, user))
                .then(|| password.clone())
        })
}

fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next()
                    && let Some(last) = fields.last_mut()
                {
                    last.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            _ => {
                if let Some(last) = fields.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_names_a_server_by_its_database_and_host() {
        let label = |text: &str| {
            PgUrl::parse(text, Given::Environment)
                .map(|u| u.label())
                .ok()
        };
        assert_eq!(
            label("postgres://app:pw@db.example:5433/district?sslmode=disable").as_deref(),
            Some("district@db.example")
        );
        assert_eq!(
            label("postgres://app@%2Fvar%2Frun%2Fpostgresql/district").as_deref(),
            Some("district@local")
        );
    }

    #[test]
    fn addresses_are_shown_without_their_password() {
        assert_eq!(
            redact("postgres://jie:s3cret@db.example:5433/district?sslmode=require"),
            "postgres://jie@db.example:5433/district?sslmode=require"
        );
        assert_eq!(
            redact("postgresql://jie:p%40ss@h/d?password=also&application_name=x"),
            "postgresql://jie@h/d?application_name=x"
        );
        assert_eq!(redact("postgres:///d?password=x"), "postgres:///d");
        assert_eq!(redact("postgres://h/d"), "postgres://h/d");
        assert!(is_pg_url("postgres://h/d"));
        assert!(is_pg_url("PostgreSQL://h/d"));
        assert!(!is_pg_url("/tmp/postgres.db"));
    }

    #[test]
    fn a_password_on_the_command_line_is_refused_without_being_shown() {
        let Err(e) = PgUrl::parse(
            "postgres://jie:s3cret@db.example/district",
            Given::CommandLine,
        ) else {
            panic!("a password on the command line was accepted");
        };
        for lang in [crate::i18n::Lang::Zh, crate::i18n::Lang::En] {
            let message = e.message(lang);
            assert!(!message.contains("s3cret"), "{message}");
            assert!(
                message.contains("postgres://jie@db.example/district"),
                "{message}"
            );
        }
        let url = PgUrl::parse(
            "postgres://jie:s3cret@db.example/district",
            Given::Environment,
        )
        .expect("from the environment");
        assert_eq!(url.config().get_password(), Some(&b"s3cret"[..]));
        assert!(!format!("{url:?}").contains("s3cret"));
        assert!(!url.shown().contains("s3cret"));
    }

    #[test]
    fn the_password_file_is_read_as_libpq_reads_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("pgpass");
        std::fs::write(
            &file,
            "# comment\nother:*:*:*:no\ndb.example:5432:district:jie:pa\\:ss\\\\1\n*:*:*:*:fallback\n",
        )
        .expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }
        assert_eq!(
            password_from_file(&file, "db.example", "5432", "district", "jie").as_deref(),
            Some("pa:ss\\1")
        );
        assert_eq!(
            password_from_file(&file, "elsewhere", "5432", "district", "jie").as_deref(),
            Some("fallback")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
            assert_eq!(
                password_from_file(&file, "db.example", "5432", "district", "jie"),
                None,
                "a password file others can read is ignored"
            );
        }
    }
}
