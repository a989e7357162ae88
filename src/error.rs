//! Every failure a user can meet, with its message in both languages.
//!
//! Messages say what is wrong and what to do; they never show a Rust type name or a backtrace.

use crate::i18n::{Lang, process_lang};
use std::fmt;
use std::path::PathBuf;

#[derive(Debug)]
pub enum Error {
    /// An explicit `--db` / `GONGJIAN_DB` path that does not exist.
    FileMissing(PathBuf),
    NotAFile(PathBuf),
    EmptyFile(PathBuf),
    NotSqlite(PathBuf),
    /// SQLite reports the file as malformed (cut short, partly copied).
    Damaged(PathBuf),
    /// The file is SQLite but holds none of the contract's tables.
    Foreign {
        path: PathBuf,
        missing: Vec<String>,
    },
    /// A contract table exists without a column the contract requires.
    MissingColumn {
        table: String,
        column: String,
    },
    NewerVersion {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    /// An old file that must be upgraded before use, opened where nothing may be written.
    NeedsUpgradeReadOnly {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    AlreadyExists(PathBuf),
    ReadOnly(PathBuf),
    /// Another program holds the file's lock beyond our patience.
    Busy,
    /// A PostgreSQL write kept meeting other terminals' writes (serialization failures,
    /// deadlocks) beyond our patience: the address as shown.
    ServerBusy(String),
    /// A PostgreSQL database opened read-only (`--readonly`, or a role that may only read):
    /// the address as shown.
    ServerReadOnly(String),
    BadSetting {
        key: String,
        value: String,
        accepted: String,
    },
    UnknownCommunity(i64),
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    Sqlite(rusqlite::Error),
    /// A PostgreSQL server refused or failed a request: the address (never with its password),
    /// what the server or the client said, and the server's SQLSTATE code when it gave one.
    Postgres {
        url: String,
        detail: String,
        code: Option<String>,
    },
    /// Input that cannot be saved: one problem per field.
    Invalid(Vec<crate::fields::FieldError>),
    /// A message already written for the user, in both languages.
    Plain {
        zh: String,
        en: String,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn plain(zh: impl Into<String>, en: impl Into<String>) -> Error {
        Error::Plain {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The process's exit status for this error: 2 when what was typed on the command line is
    /// malformed (a blank, a non-number, a non-date), 1 when the file or its data is at fault
    /// (including a well-formed value the data refuses, such as pausing a finished project).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Invalid(problems) if problems.iter().all(|p| p.malformed) => 2,
            _ => 1,
        }
    }

    /// Whether the file was refused as not SQLite, or as SQLite too damaged to read.
    pub fn is_foreign_file(&self) -> bool {
        matches!(self, Error::NotSqlite(_) | Error::Damaged(_))
    }

    /// Whether a retry of the whole transaction may succeed.
    pub fn is_busy(&self) -> bool {
        match self {
            Error::Busy | Error::ServerBusy(_) => true,
            Error::Sqlite(e) => matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ),
            // serialization_failure, deadlock_detected: the server asks for the transaction
            // to be run again.
            Error::Postgres {
                code: Some(code), ..
            } => code == "40001" || code == "40P01",
            _ => false,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let t = |zh_text: String, en_text: String| if zh { zh_text } else { en_text };
        match self {
            Error::FileMissing(p) => t(
                format!("找不到数据库文件 {}。如要新建，请运行: gongjian init {}", shown(p), shown(p)),
                format!("no database file at {}. To create one, run: gongjian init {}", shown(p), shown(p)),
            ),
            Error::NotAFile(p) => t(
                format!("{} 不是文件（可能是文件夹）", shown(p)),
                format!("{} is not a file (a folder?)", shown(p)),
            ),
            Error::EmptyFile(p) => t(
                format!("{} 是空文件，不是共建数据库；未作任何改动。新建数据库请用 gongjian init 新路径", shown(p)),
                format!("{} is an empty file, not a gongjian database; nothing was changed. To create a database use gongjian init NEW_PATH", shown(p)),
            ),
            Error::NotSqlite(p) => t(
                format!("{} 不是 SQLite 数据库文件；未作任何改动", shown(p)),
                format!("{} is not an SQLite database; nothing was changed", shown(p)),
            ),
            Error::Damaged(p) => t(
                format!("{} 已损坏（可能被截断或只复制了一部分），无法读取；未作任何改动。请用备份副本（gongjian backup 生成）替换", shown(p)),
                format!("{} is damaged (truncated, or only partly copied?) and cannot be read; nothing was changed. Replace it with a backup copy (made by gongjian backup)", shown(p)),
            ),
            Error::Foreign { path, missing } => t(
                format!("{} 不是共建数据库：缺少数据表 {}；未作任何改动", shown(path), missing.join("、")),
                format!("{} is not a gongjian database: table(s) {} missing; nothing was changed", shown(path), missing.join(", ")),
            ),
            Error::MissingColumn { table, column } => t(
                format!("数据表 {table} 缺少列 {column}，与共享文件约定不符；未作任何改动"),
                format!("table {table} lacks column {column} required by the shared-file contract; nothing was changed"),
            ),
            Error::NewerVersion { path, found, known } => t(
                format!("{} 的数据结构版本为 {found}，比本程序支持的版本 {known} 新；请升级 gongjian。文件未作任何改动", shown(path)),
                format!("{} has schema version {found}, newer than version {known} that this gongjian knows; please upgrade gongjian. The file was not changed", shown(path)),
            ),
            Error::NeedsUpgradeReadOnly { path, found, known } => t(
                format!("{} 的数据结构版本为 {found}，需要升级到 {known}，但文件只读", shown(path)),
                format!("{} has schema version {found} and needs upgrading to {known}, but it is read-only", shown(path)),
            ),
            Error::AlreadyExists(p) => t(
                format!("{} 已存在，不会覆盖", shown(p)),
                format!("{} already exists and will not be overwritten", shown(p)),
            ),
            Error::ReadOnly(p) => t(
                format!("{} 以只读方式打开，不能保存修改", shown(p)),
                format!("{} is open read-only: changes cannot be saved", shown(p)),
            ),
            Error::Busy => t(
                "数据库正被其他程序占用，请稍后再试；未写入任何内容".into(),
                "the database is busy (another program holds its lock); try again shortly. Nothing was written".into(),
            ),
            Error::ServerBusy(url) => t(
                format!("PostgreSQL 数据库 {url} 上其他终端正在修改同样的数据，多次重试后仍未成功，请稍后再试；未写入任何内容"),
                format!("other terminals kept changing the same rows in the PostgreSQL database {url}; retried without success, try again shortly. Nothing was written"),
            ),
            Error::ServerReadOnly(url) => t(
                format!("PostgreSQL 数据库 {url} 以只读方式连接（--readonly，或数据库角色只有读取权限），不能保存修改"),
                format!("the PostgreSQL database {url} is connected read-only (--readonly, or a database role that may only read): changes cannot be saved"),
            ),
            Error::BadSetting { key, value, accepted } => t(
                format!("设置 {key} 的值 {value:?} 无效：应为 {accepted} 的整数"),
                format!("setting {key} has invalid value {value:?}: expected a whole number {accepted}"),
            ),
            Error::UnknownCommunity(id) => t(
                format!("没有编号为 {id} 的社区"),
                format!("no community with id {id}"),
            ),
            Error::Io { path, source } => t(
                format!("无法访问 {}：{source}", shown(path)),
                format!("cannot access {}: {source}", shown(path)),
            ),
            Error::Invalid(problems) => invalid_message(problems, lang),
            Error::Sqlite(e) => sqlite_message(e, lang),
            Error::Postgres { url, detail, code } => postgres_message(url, detail, code.as_deref(), lang),
            Error::Plain { zh: z, en: e } => t(z.clone(), e.clone()),
        }
    }
}

/// A path in a message: control characters and the like shown as escapes, never raw.
fn shown(path: &std::path::Path) -> String {
    crate::text::visible(&path.display().to_string())
}

/// Whether `message` already tells the user that nothing was written (so that it is not said
/// twice).
pub fn says_nothing_written(message: &str) -> bool {
    message.contains("未写入任何内容") || message.to_lowercase().contains("nothing was written")
}

/// `message`, followed by "nothing was written" unless it says so already.
pub fn with_nothing_written(message: String, lang: Lang) -> String {
    if says_nothing_written(&message) {
        message
    } else {
        format!(
            "{message} {}",
            lang.pick("（未写入任何内容）", "(nothing was written)")
        )
    }
}

/// One line for all the problems, each naming its field; a heading first when there are several.
fn invalid_message(problems: &[crate::fields::FieldError], lang: Lang) -> String {
    let lines: Vec<String> = problems.iter().map(|p| p.line(lang)).collect();
    match lines.as_slice() {
        [one] if says_nothing_written(one) => one.clone(),
        [one] => format!(
            "{one}{}",
            lang.pick("；未写入任何内容", "; nothing was written")
        ),
        _ => match lang {
            Lang::Zh => format!(
                "有 {} 处需要修改，未写入任何内容：{}",
                lines.len(),
                lines.join("；")
            ),
            Lang::En => format!(
                "{} problems to fix, nothing was written: {}",
                lines.len(),
                lines.join("; ")
            ),
        },
    }
}

fn sqlite_message(error: &rusqlite::Error, lang: Lang) -> String {
    use rusqlite::ErrorCode::*;
    let code = error.sqlite_error_code();
    let (zh, en) = match code {
        Some(DatabaseBusy | DatabaseLocked) => (
            "数据库正忙（其他程序持有锁）",
            "the database is busy (another program holds its lock)",
        ),
        Some(ReadOnly) => ("数据库只读，无法写入", "the database is read-only"),
        Some(NotADatabase) => (
            "文件不是数据库或已损坏",
            "the file is not a database or is damaged",
        ),
        Some(DatabaseCorrupt) => ("数据库文件已损坏", "the database file is damaged"),
        Some(DiskFull) => ("磁盘已满", "the disk is full"),
        Some(CannotOpen) => ("无法打开数据库文件", "the database file cannot be opened"),
        Some(PermissionDenied) => ("没有访问权限", "permission denied"),
        Some(ConstraintViolation) => ("数据不符合约束", "the data breaks a constraint"),
        _ => ("数据库错误", "database error"),
    };
    format!("{}: {error}", lang.pick(zh, en))
}

fn postgres_message(url: &str, detail: &str, code: Option<&str>, lang: Lang) -> String {
    let (zh, en) = match code {
        // The postgres client's words for a failed encryption: "error performing TLS
        // handshake", "server does not support TLS".
        None if detail.contains("TLS") => (
            "无法与 PostgreSQL 数据库建立加密连接（服务器证书未通过核验，或服务器不提供加密；见地址中的 sslmode 和 sslrootcert）",
            "cannot make an encrypted connection to the PostgreSQL database (its certificate did not pass the check, or it offers no encryption; see sslmode and sslrootcert in the address)",
        ),
        None => (
            "无法连接或读写 PostgreSQL 数据库",
            "cannot reach or use the PostgreSQL database",
        ),
        Some("28P01" | "28000") => (
            "PostgreSQL 数据库拒绝登录（用户名或密码不对；密码请放在 PGPASSWORD 或 ~/.pgpass 中）",
            "the PostgreSQL database refused the login (wrong user or password; put the password in PGPASSWORD or ~/.pgpass)",
        ),
        Some("3D000") => (
            "PostgreSQL 服务器上没有这个数据库",
            "the PostgreSQL server has no such database",
        ),
        Some("42501") => ("没有权限", "permission denied"),
        Some("25006") => (
            "数据库以只读方式打开，无法写入",
            "the database is open read-only",
        ),
        Some(c) if c.starts_with("23") => ("数据不符合约束", "the data breaks a constraint"),
        Some(c) if c.starts_with("08") || c.starts_with("57") => (
            "与 PostgreSQL 数据库的连接中断",
            "the connection to the PostgreSQL database was lost",
        ),
        Some(_) => ("PostgreSQL 数据库错误", "PostgreSQL database error"),
    };
    let url = crate::text::visible(url);
    format!("{} {url}: {detail}", lang.pick(zh, en))
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(process_lang()))
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Sqlite(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 14.8: a project deleted under an open form said "未写入任何内容" twice.
    #[test]
    fn nothing_written_is_said_once() {
        let deleted = Error::Invalid(vec![crate::fields::FieldError::new(
            "project",
            "项目 #3 在表单打开后已被删除（可能是其他程序）；未写入任何内容",
            "project #3 was deleted after the form was opened (by another program?); nothing was written",
        )]);
        for lang in [Lang::Zh, Lang::En] {
            for message in [
                deleted.message(lang),
                with_nothing_written(deleted.message(lang), lang),
                with_nothing_written(Error::Busy.message(lang), lang),
                with_nothing_written(Error::ReadOnly(PathBuf::from("a.db")).message(lang), lang),
            ] {
                let said = message.matches("未写入任何内容").count()
                    + message
                        .to_lowercase()
                        .matches("nothing was written")
                        .count();
                assert_eq!(said, 1, "{message}");
            }
        }
    }

    /// Issue 14.8: a path with control characters is never echoed raw.
    #[test]
    fn paths_in_messages_show_control_characters_escaped() {
        let path = PathBuf::from("out\u{1b}[2J\u{7}.xlsx");
        for error in [
            Error::AlreadyExists(path.clone()),
            Error::FileMissing(path.clone()),
            Error::Io {
                path: path.clone(),
                source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            },
        ] {
            for lang in [Lang::Zh, Lang::En] {
                let message = error.message(lang);
                assert!(!message.chars().any(char::is_control), "{message:?}");
                assert!(message.contains("out\\u{1b}[2J\\u{7}.xlsx"), "{message:?}");
            }
        }
    }
}
