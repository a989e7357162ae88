//! The run context: which file, which language, which day, who is operating, and the words
//! for what happened when the file was opened. Below the command line and the dashboard,
//! which both start from it.

mod db_path;
pub mod street;

pub use db_path::{DbChoice, default_db_path};

use crate::error::Result;
use crate::i18n::Lang;
use crate::store::{self, Access, Notice, Store};
use chrono::NaiveDate;
use std::path::Path;

/// The dashboard's look (`--theme`, or `$GONGJIAN_THEME`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ThemeName {
    /// High contrast: no dark grey for anything to be read.
    #[default]
    Projector,
    /// The earlier look: dark grey hints and borders.
    Classic,
}

/// Everything a command needs from the global flags.
#[derive(Debug, Clone)]
pub struct Context {
    pub lang: Lang,
    pub today: NaiveDate,
    /// `--today` when given (the screens otherwise follow the clock past midnight).
    pub fixed_today: Option<NaiveDate>,
    pub db: DbChoice,
    pub readonly: bool,
    /// `--operator`, as given (see [`crate::adjust::default_operator`]).
    pub operator: Option<String>,
    /// The dashboard's look (`--theme`).
    pub theme: ThemeName,
    /// `--street NAME|ID|all`, as given (see [`street::scope`]).
    pub street: Option<street::StreetArg>,
}

impl Context {
    /// Opens the chosen file. The default file is created with the demo district the first
    /// time, and the user is told; an explicit path must already exist.
    pub fn open_store(&self, access: Access) -> Result<Store> {
        // A PostgreSQL address reaches here from the commands not built for it yet.
        if let Some(text) = self.db.path().to_str()
            && crate::store::pg::is_pg_url(text)
        {
            return Err(crate::store::pg::not_yet(&crate::store::pg::redact(text)));
        }
        if let DbChoice::Default(path) = &self.db
            && !path.exists()
        {
            create_demo(path, self.today)?;
            eprintln!(
                "{}",
                match self.lang {
                    Lang::Zh => format!("已新建演示数据库：{}", path.display()),
                    Lang::En => format!("created the demo database at {}", path.display()),
                }
            );
        }
        let access = if self.readonly {
            Access::ReadOnly
        } else {
            access
        };
        if access == Access::ReadWrite {
            self.announce_upgrade();
        }
        let store = Store::open(self.db.path(), access)?;
        for notice in store.notices() {
            eprintln!("{}", notice_text(notice, self.lang, store.path()));
        }
        Ok(store)
    }
}

impl Context {
    /// The street this start shows: `--street`, else the one remembered for this database on
    /// this account, else every street (see [`street::scope`]). Reads the streets from `conn`.
    pub fn street_scope(&self, conn: &dyn crate::store::rows::Source) -> Result<street::Scope> {
        if self.street.is_none() && street::memory_file().is_none_or(|f| !f.exists()) {
            return Ok(street::Scope::default());
        }
        let mut problems = Vec::new();
        let streets = crate::store::rows::street::all(conn, &mut problems)?;
        street::scope(
            self.street.as_ref(),
            &streets,
            street::memory_file().as_deref(),
            &street::database_key(self.db.path()),
        )
    }

    /// The PostgreSQL database `--db` (or `GONGJIAN_DB`) names, when it names one.
    pub fn pg_url(&self) -> Result<Option<crate::store::pg::PgUrl>> {
        let Some(text) = self
            .db
            .path()
            .to_str()
            .filter(|t| crate::store::pg::is_pg_url(t))
        else {
            return Ok(None);
        };
        Ok(Some(crate::store::pg::PgUrl::parse(text, pg_given(text))?))
    }

    /// Opens the district `--db` names, file or PostgreSQL database, for the commands that work
    /// on both: the file as [`Context::open_store`] does, the database with the same notices.
    pub fn open_db(&self, access: Access) -> Result<store::Db> {
        let Some(url) = self.pg_url()? else {
            return Ok(store::Db::File(self.open_store(access)?));
        };
        let access = if self.readonly {
            Access::ReadOnly
        } else {
            access
        };
        let db = crate::store::pg::PgStore::open(&url, access)?;
        for notice in db.notices() {
            eprintln!("{}", pg_notice_text(notice, self.lang, url.shown()));
        }
        Ok(store::Db::Server(Box::new(db)))
    }

    /// A large file at an older schema version is upgraded on this open, which can take a few
    /// seconds once (about 10 s for a city-sized file): say so before the screen goes quiet.
    fn announce_upgrade(&self) {
        let path = self.db.path();
        let large = std::fs::metadata(path).is_ok_and(|m| m.len() > 20 * 1024 * 1024);
        let Some(found) = large.then(|| crate::store::version_of(path)).flatten() else {
            return;
        };
        if (0..crate::store::KNOWN_VERSION).contains(&found) {
            eprintln!(
                "{}",
                match self.lang {
                    Lang::Zh => format!(
                        "正在升级数据库结构（版本 {found} → {}），文件较大，需要几秒钟，只做一次……",
                        crate::store::KNOWN_VERSION
                    ),
                    Lang::En => format!(
                        "upgrading the database schema (version {found} to {}); a large file takes a few seconds, once...",
                        crate::store::KNOWN_VERSION
                    ),
                }
            );
        }
    }
}

/// Where an address came from: the environment (`GONGJIAN_DB`) when it is the variable's value,
/// else the command line.
pub fn pg_given(text: &str) -> crate::store::pg::Given {
    crate::store::pg::Given::of(text)
}

/// What the user should know about an opened PostgreSQL database.
pub fn pg_notice_text(notice: &Notice, lang: Lang, shown: &str) -> String {
    match (notice, lang) {
        (Notice::FellBackToReadOnly, Lang::Zh) => format!(
            "注意：当前数据库角色不能写入 PostgreSQL 数据库 {shown}（只读角色），已以只读方式连接"
        ),
        (Notice::FellBackToReadOnly, Lang::En) => format!(
            "note: this database role cannot write the PostgreSQL database {shown} (a read-only role); connected read-only"
        ),
        (other, lang) => notice_text(other, lang, Path::new(shown)),
    }
}

pub fn notice_text(notice: &Notice, lang: Lang, path: &Path) -> String {
    match (notice, lang) {
        (Notice::FellBackToReadOnly, Lang::Zh) => {
            format!("注意：{} 不可写，已以只读方式打开", path.display())
        }
        (Notice::FellBackToReadOnly, Lang::En) => format!(
            "note: {} cannot be written; opened read-only",
            path.display()
        ),
        (Notice::NotWal(mode), Lang::Zh) => {
            format!("注意：无法启用 WAL 日志模式（当前 {mode}），多终端同时使用可能变慢")
        }
        (Notice::NotWal(mode), Lang::En) => format!(
            "note: could not switch to WAL (journal mode is {mode}); several terminals at once may be slow"
        ),
        (Notice::NetworkFilesystem(fs), Lang::Zh) if fs.certain => format!(
            "警告：{} 位于网络文件系统（{}）上。SQLite 的文件锁在多台电脑之间不可靠，多台电脑同时通过网络打开此文件可能损坏数据或丢失调整记录：所有终端都必须在存放该文件的那台电脑上运行（其他人可远程登录那台电脑使用）",
            path.display(),
            fs.name
        ),
        (Notice::NetworkFilesystem(fs), Lang::Zh) => format!(
            "注意：{} 位于 {} 文件系统上，可能是网络文件系统（如 sshfs）。若是，所有终端都必须在存放该文件的那台电脑上运行：SQLite 的文件锁在多台电脑之间不可靠",
            path.display(),
            fs.name
        ),
        (Notice::NetworkFilesystem(fs), Lang::En) if fs.certain => format!(
            "warning: {} is on a network filesystem ({}). SQLite's locks do not hold across machines, so several computers opening this file over the network can corrupt it or lose log entries: every terminal must run on the machine that holds the file (others can log in to that machine remotely)",
            path.display(),
            fs.name
        ),
        (Notice::NetworkFilesystem(fs), Lang::En) => format!(
            "note: {} is on a {} filesystem, which may be a network one (sshfs, rclone). If it is, every terminal must run on the machine that holds the file: SQLite's locks do not hold across machines",
            path.display(),
            fs.name
        ),
        (Notice::OthersFiles(files), lang) => others_files_text(files, lang, path),
        (Notice::Snapshot, Lang::Zh) => format!(
            "注意：{} 所在的文件夹不可写（SQLite 需要在文件旁建立索引），只读显示打开时的内容；其他终端之后的修改不会出现，需重新打开",
            path.display()
        ),
        (Notice::Snapshot, Lang::En) => format!(
            "note: the folder of {} cannot be written (SQLite keeps an index beside the file): showing it read-only as it was when opened; later changes by others appear only after reopening",
            path.display()
        ),
    }
}

/// Exactly which files beside the database lock this account out, whose they are, and what
/// to do.
fn others_files_text(files: &[crate::store::OthersFile], lang: Lang, path: &Path) -> String {
    let db = crate::text::visible(&path.display().to_string());
    let list = files
        .iter()
        .map(|f| {
            let name = crate::text::visible(&f.path.display().to_string());
            match lang {
                Lang::Zh => format!("{name}（属于用户 {}，{} 字节）", f.owner, f.bytes),
                Lang::En => format!("{name} (owned by user {}, {} bytes)", f.owner, f.bytes),
            }
        })
        .collect::<Vec<_>>()
        .join(lang.pick("、", ", "));
    match lang {
        Lang::Zh => format!(
            "注意：{db} 本身可写，但 SQLite 保存时要写的旁边文件{list}属于其他账户，本账户不能写入，因此已以只读方式打开，不能保存修改。这通常是该用户以只读权限查看过此文件后留下的。请该用户退出所有 gongjian，再由其本人或管理员删除这些文件（-shm 只是可重建的索引，0 字节的 -wal 不含任何数据），或给本账户写权限；数据库本身没有损坏"
        ),
        Lang::En => format!(
            "note: {db} itself can be written, but {list}, which SQLite must write to save, belong to another account and cannot be written by this one: opened read-only, changes cannot be saved. This is usually left by that user viewing the file with read-only access. Ask them to quit every gongjian, then have them (or an administrator) delete those files (-shm is only an index SQLite rebuilds; a -wal of 0 bytes holds no data), or give this account write access to them; the database itself is not damaged"
        ),
    }
}

/// A new database at `path`, empty or with the demo district, named only once complete.
pub fn create_file(path: &Path, demo: Option<NaiveDate>) -> Result<()> {
    crate::files::create_new_with(path, |temp| {
        let mut store = Store::create(temp)?;
        if let Some(today) = demo {
            store::load_demo(&mut store, today)?;
        }
        store.close()
    })
}

pub fn create_demo(path: &Path, today: NaiveDate) -> Result<()> {
    create_file(path, Some(today))
}
