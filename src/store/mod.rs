//! The shared SQLite file: opening it safely, upgrading its schema, and writing to it.
//!
//! This layer knows nothing of the terminal. Every write goes through [`Store::write`]: one
//! IMMEDIATE transaction, retried as a whole while another program holds the lock, within a
//! bounded patience.

mod assess;
mod backup;
pub mod changes;
pub mod copy;
mod demo;
pub(crate) mod migrate;
mod netfs;
mod open;
pub mod pg;
mod read;
pub mod rows;
mod settings;
mod summary;
mod summary_sql;
mod totals;

pub use assess::{AssessRows, all_grades, load_assess_rows, load_assess_rows_on};
pub use backup::BackupDone;
pub use demo::{DEMO_REFERENCE_DAY, load_demo};
pub use migrate::KNOWN_VERSION;

/// The schema version of the file at `path` (`PRAGMA user_version`), read without writing
/// anything; `None` when it cannot be read.
pub fn version_of(path: &Path) -> Option<i64> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).ok()?;
    conn.query_row("PRAGMA user_version", [], |r| r.get(0)).ok()
}
pub use netfs::{NetworkFs, classify as classify_filesystem};
pub use read::{
    in_read_transaction, load_community_projects, load_community_projects_on, load_district,
    load_project_detail, load_project_detail_on, load_sessions, load_sessions_on,
};
pub(crate) use read::{int, opt_int, opt_text, text};
pub use rows::Scope;
pub use settings::{
    SETTING_KEYS, SETTINGS, SettingSpec, parse_setting, read_thresholds, setting_spec,
    store_setting, stored_setting,
};
pub use summary::{bulk_load, has_summaries, load_day, load_day_folded, load_day_in, load_day_on};

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// How long SQLite itself waits for a lock before a statement reports busy.
const BUSY_TIMEOUT: Duration = Duration::from_millis(2_000);
/// How long a write keeps retrying its whole transaction before it gives up.
pub const WRITE_PATIENCE: Duration = Duration::from_millis(8_000);

/// How the caller wants the file opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    /// `--readonly`: nothing is written, not even a schema upgrade.
    ReadOnly,
}

/// Something the user should know about the opened file, though it opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The file (or its folder) cannot be written: opened read-only instead.
    FellBackToReadOnly,
    /// SQLite did not switch the file to WAL; it reported this journal mode instead.
    NotWal(String),
    /// The file is on a network filesystem (or, for FUSE, may be): SQLite's locks do not
    /// hold across machines, so every terminal must run on the machine that holds the file.
    NetworkFilesystem(NetworkFs),
    /// The folder cannot be written, so SQLite cannot keep its index beside the file: opened
    /// read-only as an unchanging snapshot, blind to later commits by others.
    Snapshot,
    /// The file itself can be written, but files SQLite keeps beside it (`-shm`, `-wal`)
    /// belong to another account and cannot be: opened read-only. Typically left by a user
    /// with read-only access who viewed the file on a shared login machine.
    OthersFiles(Vec<OthersFile>),
}

/// A file beside the database that this account cannot write, and whose it is.
/// An error a write transaction can end with: the store's own, or a caller's type that wraps
/// it. [`Store::write`] retries the transaction while [`TxError::is_busy`] says another
/// program holds the lock.
pub trait TxError: From<Error> {
    fn is_busy(&self) -> bool;
}

impl TxError for Error {
    fn is_busy(&self) -> bool {
        Error::is_busy(self)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OthersFile {
    pub path: PathBuf,
    /// The owner's login name (or `uid N` when it has none).
    pub owner: String,
    pub bytes: u64,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
    notices: Vec<Notice>,
    write_patience: Duration,
}

impl Store {
    /// Opens an existing shared file. Never creates one, never deletes or "repairs" one.
    pub fn open(path: &Path, access: Access) -> Result<Store> {
        check_is_sqlite(path)?;
        let sidecars_before = open::sidecars_present(path);
        Store::open_checked(path, access).inspect_err(|e| {
            // A foreign file whose header claims WAL makes SQLite create `-wal` and `-shm` before
            // its first read fails: those are taken away again, so the folder is as it was.
            if e.is_foreign_file() {
                open::remove_new_sidecars(path, sidecars_before);
            }
        })
    }

    fn open_checked(path: &Path, access: Access) -> Result<Store> {
        let mut notices = Vec::new();
        if let Some(fs) = netfs::detect(path) {
            notices.push(Notice::NetworkFilesystem(fs));
        }
        let conn = open::connect(path, access, &mut notices).map_err(|e| explain(path, e))?;
        let read_only = conn.is_readonly(rusqlite::MAIN_DB)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            read_only,
            notices,
            write_patience: WRITE_PATIENCE,
        };
        // A lock held elsewhere (a rollback-journal file, a schema upgrade in progress) is
        // waited for with a write's patience, not refused after SQLite's first wait.
        let deadline = Instant::now() + WRITE_PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            store.conn.busy_timeout(left.min(BUSY_TIMEOUT))?;
            match store.prepare() {
                Err(e) if e.is_busy() && Instant::now() < deadline => {
                    sleep(Duration::from_millis(100))
                }
                done => {
                    store.conn.busy_timeout(BUSY_TIMEOUT)?;
                    done.map_err(|e| explain(path, e))?;
                    return Ok(store);
                }
            }
        }
    }

    /// Creates a new, empty shared file at `path` with the current schema. Refuses an
    /// existing path.
    pub fn create(path: &Path) -> Result<Store> {
        if path.exists() {
            return Err(Error::AlreadyExists(path.to_path_buf()));
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            read_only: false,
            notices: Vec::new(),
            write_patience: WRITE_PATIENCE,
        };
        store.set_pragmas()?;
        store.write(|tx| migrate::upgrade(tx, true))?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes the file, reporting what SQLite could not finish (a checkpoint on a full disk).
    pub fn close(self) -> Result<()> {
        self.conn.close().map_err(|(_, e)| Error::Sqlite(e))
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// The connection, for reads. Writes go through [`Store::write`].
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// How long [`Store::write`] keeps retrying while the file is locked.
    pub fn set_write_patience(&mut self, patience: Duration) {
        self.write_patience = patience;
    }

    /// Changes whenever another connection commits to the file (`PRAGMA data_version`).
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Runs `work` in one IMMEDIATE transaction and commits it, or rolls it all back on error.
    /// While another program holds the lock, the whole transaction is retried with a growing
    /// pause, for at most the write patience ([`WRITE_PATIENCE`] unless set); then [`Error::Busy`].
    pub fn write<T>(&mut self, work: impl FnMut(&Transaction) -> Result<T>) -> Result<T> {
        self.write_as(work)
    }

    /// [`Store::write`] for work that ends with its own error type (one that wraps the store's).
    pub fn write_as<T, E: TxError>(
        &mut self,
        mut work: impl FnMut(&Transaction) -> Result<T, E>,
    ) -> Result<T, E> {
        if self.read_only {
            return Err(Error::ReadOnly(self.path.clone()).into());
        }
        let deadline = Instant::now() + self.write_patience;
        let mut pause = Duration::from_millis(25);
        let result = loop {
            // SQLite's own wait never runs past the patience: the bound is the bound.
            let left = deadline.saturating_duration_since(Instant::now());
            self.conn
                .busy_timeout(left.min(BUSY_TIMEOUT))
                .map_err(Error::from)?;
            let attempt: Result<T, E> = (|| {
                let tx = self
                    .conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(Error::from)?;
                let value = work(&tx)?;
                tx.commit().map_err(Error::from)?;
                Ok(value)
            })();
            match attempt {
                Err(e) if e.is_busy() => {
                    if Instant::now() + pause >= deadline {
                        break Err(Error::Busy.into());
                    }
                    sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(500));
                }
                other => break other,
            }
        };
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(Error::from)?;
        result
    }

    fn set_pragmas(&mut self) -> Result<()> {
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            self.notices.push(Notice::NotWal(mode));
        }
        self.conn
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        Ok(())
    }

    /// Checks the version and the tables before anything is written, then (when writable)
    /// switches to WAL and upgrades the schema in one transaction.
    fn prepare(&mut self) -> Result<()> {
        let found = migrate::user_version(&self.conn)?;
        if found > KNOWN_VERSION {
            return Err(Error::NewerVersion {
                path: self.path.clone(),
                found,
                known: KNOWN_VERSION,
            });
        }
        if found == 0 {
            migrate::check_adoptable(&self.conn, &self.path)?;
        }
        migrate::check_columns(&self.conn)?;
        if self.read_only {
            self.conn
                .execute_batch("PRAGMA foreign_keys = ON; PRAGMA query_only = ON;")?;
            migrate::check_contract(&self.conn)?;
            return Ok(());
        }
        self.set_pragmas()?;
        if found < KNOWN_VERSION {
            let path = self.path.clone();
            self.write(|tx| {
                // Another terminal may have upgraded the file since we looked.
                if migrate::user_version(tx)? == 0 {
                    migrate::check_adoptable(tx, &path)?;
                }
                migrate::upgrade(tx, false)
            })?;
        } else {
            migrate::check_contract(&self.conn)?;
            // Summaries made by an earlier gongjian (or partly dropped by another tool) are
            // made again from the one definition; until then the figures read the rows.
            if !summary::current(&self.conn)? {
                self.write(|tx| Ok(tx.execute_batch(&summary_sql::script())?))?;
            }
            // So are the per-community change counters the dashboard refreshes by.
            if !changes::current(&self.conn)? {
                self.write(|tx| Ok(tx.execute_batch(&changes::script())?))?;
            }
        }
        Ok(())
    }
}

/// Turns SQLite's "not a database" and "malformed" into the user's words.
fn explain(path: &Path, error: Error) -> Error {
    let code = match &error {
        Error::Sqlite(e) => e.sqlite_error_code(),
        _ => None,
    };
    match code {
        Some(rusqlite::ErrorCode::NotADatabase) => Error::NotSqlite(path.to_path_buf()),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            Error::Busy
        }
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => Error::Damaged(path.to_path_buf()),
        _ => error,
    }
}

/// Looks at the path before SQLite touches it: a missing path, a folder, an unreadable file and
/// an empty file (which SQLite would take for a new database) each get their own message, and
/// the file is never written. A foreign file is refused by SQLite's first read.
fn check_is_sqlite(path: &Path) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::FileMissing(path.to_path_buf()));
        }
        Err(e) => return Err(io(e)),
    };
    if !meta.is_file() {
        return Err(Error::NotAFile(path.to_path_buf()));
    }
    if meta.len() == 0 {
        return Err(Error::EmptyFile(path.to_path_buf()));
    }
    // Whether it is SQLite at all is left to SQLite ("file is not a database", see `explain`):
    // opening the file here and closing it again would drop the locks that this process's
    // other connections hold on it.
    open::readable(path).map_err(io)
}

/// A store the writers write through: [`Store`] (the file), [`pg::PgStore`] (a server) or
/// either ([`Db`]). Each write is one transaction with the engine's bounded retry.
pub trait WriteStore {
    /// Runs `work` in one write transaction and commits it, or rolls it all back on error.
    fn write_on<T, E: TxError>(
        &mut self,
        work: impl FnMut(&dyn rows::Writer) -> Result<T, E>,
    ) -> Result<T, E>;

    /// Runs `read` outside any write: the file's connection, or one read-only snapshot of the
    /// server.
    fn read_on<T, E: From<Error>>(
        &mut self,
        read: impl FnOnce(&dyn rows::Source) -> Result<T, E>,
    ) -> Result<T, E>;

    /// Whether nothing can be written (`--readonly`, a file or role that may only read).
    fn read_only(&self) -> bool;
}

impl WriteStore for Store {
    fn write_on<T, E: TxError>(
        &mut self,
        mut work: impl FnMut(&dyn rows::Writer) -> Result<T, E>,
    ) -> Result<T, E> {
        self.write_as(|tx| work(tx))
    }

    fn read_on<T, E: From<Error>>(
        &mut self,
        read: impl FnOnce(&dyn rows::Source) -> Result<T, E>,
    ) -> Result<T, E> {
        read(self.conn())
    }

    fn read_only(&self) -> bool {
        self.is_read_only()
    }
}

impl WriteStore for pg::PgStore {
    fn write_on<T, E: TxError>(
        &mut self,
        work: impl FnMut(&dyn rows::Writer) -> Result<T, E>,
    ) -> Result<T, E> {
        self.write_as(work)
    }

    fn read_on<T, E: From<Error>>(
        &mut self,
        read: impl FnOnce(&dyn rows::Source) -> Result<T, E>,
    ) -> Result<T, E> {
        self.read_as(read)
    }

    fn read_only(&self) -> bool {
        self.is_read_only()
    }
}

/// The district `--db` names: a file or a PostgreSQL database.
pub enum Db {
    File(Store),
    Server(Box<pg::PgStore>),
}

impl Db {
    /// Runs `read` on the district: the file's connection, or one read-only snapshot of the
    /// server.
    pub fn read<T, E: From<Error>>(
        &mut self,
        read: impl FnOnce(&dyn rows::Source) -> Result<T, E>,
    ) -> Result<T, E> {
        match self {
            Db::File(store) => read(store.conn()),
            Db::Server(store) => store.read_as(read),
        }
    }

    pub fn is_read_only(&self) -> bool {
        match self {
            Db::File(store) => store.is_read_only(),
            Db::Server(store) => store.is_read_only(),
        }
    }

    /// The district as messages name it: the file's path, or the address without password.
    pub fn shown(&self) -> String {
        match self {
            Db::File(store) => store.path().display().to_string(),
            Db::Server(store) => store.url().shown().to_string(),
        }
    }

    /// The file, when the district is one (for what only the file has: backups, summaries).
    pub fn file(&self) -> Option<&Store> {
        match self {
            Db::File(store) => Some(store),
            Db::Server(_) => None,
        }
    }
}

impl WriteStore for Db {
    fn write_on<T, E: TxError>(
        &mut self,
        work: impl FnMut(&dyn rows::Writer) -> Result<T, E>,
    ) -> Result<T, E> {
        match self {
            Db::File(store) => store.write_on(work),
            Db::Server(store) => store.write_on(work),
        }
    }

    fn read_on<T, E: From<Error>>(
        &mut self,
        read: impl FnOnce(&dyn rows::Source) -> Result<T, E>,
    ) -> Result<T, E> {
        self.read(read)
    }

    fn read_only(&self) -> bool {
        self.is_read_only()
    }
}
