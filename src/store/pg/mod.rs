//! A district on a PostgreSQL server (`--db postgres://…`), beside the SQLite file.
//!
//! The same contract on both: the tables made by migrations with the same version numbers
//! (`migrate.rs`, scripts in `sql/`), a newer database refused with the file's words, the
//! adjustment log append-only by triggers, and the recommended roles in `sql/roles.sql`.
//! Connections are made by the synchronous `postgres` client, encrypted as the address's
//! `sslmode` asks ([`tls`]). Every message names the database by its address without the
//! password ([`PgUrl::shown`]).

mod migrate;
pub mod notify;
pub mod tls;
mod url;

pub use migrate::{ROLES_SQL, is_empty, table_exists, version};
pub use url::{Given, PgUrl, is_pg_url, password_from_file, redact};

use super::{Access, Notice, WRITE_PATIENCE};
use crate::error::{Error, Result};
use postgres::{Client, NoTls};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// An open district on a PostgreSQL server.
pub struct PgStore {
    client: Client,
    url: PgUrl,
    read_only: bool,
    notices: Vec<Notice>,
    write_patience: Duration,
}

/// A PostgreSQL error in the user's words, naming the database without its password.
pub(crate) fn pg_error(url: &PgUrl, error: postgres::Error) -> Error {
    let code = error.code().map(|c| c.code().to_string());
    let detail = match error.as_db_error() {
        Some(db) => match db.detail() {
            Some(more) => format!("{} ({more})", db.message()),
            None => db.message().to_string(),
        },
        None => {
            let mut text = error.to_string();
            let mut source = std::error::Error::source(&error);
            while let Some(inner) = source {
                text.push_str(": ");
                text.push_str(&inner.to_string());
                source = inner.source();
            }
            text
        }
    };
    Error::Postgres {
        url: url.shown().to_string(),
        detail: crate::text::visible(&detail),
        code,
    }
}

/// What a command that does not work on PostgreSQL yet says, naming the database as `shown`.
pub fn not_yet(shown: &str) -> Error {
    Error::plain(
        format!(
            "{shown} 是 PostgreSQL 数据库：backup 只能用于 SQLite 文件；服务器上的数据可用 gongjian copy 复制成文件，或由管理员用 pg_dump 备份。未连接，未作任何改动"
        ),
        format!(
            "{shown} is a PostgreSQL database: backup works only on an SQLite file; copy the district to a file with gongjian copy, or have the administrator back it up with pg_dump. Not connected, nothing was changed"
        ),
    )
}

/// Connects to `url`, without opening a district: for `init`, `copy` and the checks. The
/// connection is encrypted as the address's `sslmode` asks ([`tls`]).
pub fn connect(url: &PgUrl) -> Result<Client> {
    let tls = url.tls();
    if tls.mode == tls::SslMode::Disable {
        return url.config().connect(NoTls).map_err(|e| pg_error(url, e));
    }
    let connector = tls.connector(url.shown())?;
    url.config()
        .connect(connector)
        .map_err(|e| pg_error(url, e))
}

impl PgStore {
    /// Opens the district held by the database at `url`: refuses a database that is not a
    /// district (or is a newer gongjian's), upgrades an older one when writable.
    pub fn open(url: &PgUrl, access: Access) -> Result<PgStore> {
        let mut client = connect(url)?;
        let mut notices = Vec::new();
        let mut read_only = access == Access::ReadOnly;
        if !read_only {
            // A role that may not write the district (the recommended viewer role) reads it.
            let can_write = client
                .query_one(
                    "SELECT coalesce(has_table_privilege(to_regclass('project'), 'INSERT'), true)",
                    &[],
                )
                .map_err(|e| pg_error(url, e))?
                .get::<_, bool>(0);
            if !can_write {
                read_only = true;
                notices.push(Notice::FellBackToReadOnly);
            }
        }
        if read_only {
            client
                .batch_execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                .map_err(|e| pg_error(url, e))?;
        }
        let mut store = PgStore {
            client,
            url: url.clone(),
            read_only,
            notices,
            write_patience: WRITE_PATIENCE,
        };
        store.prepare()?;
        Ok(store)
    }

    /// Makes a new, empty district in the database at `url`, which must hold no table yet.
    pub fn create(url: &PgUrl) -> Result<PgStore> {
        let mut client = connect(url)?;
        if !migrate::is_empty(&mut client).map_err(|e| pg_error(url, e))? {
            return Err(Error::plain(
                format!(
                    "{} 中已有数据表，不会在其中新建；未作任何改动。请用一个空数据库（CREATE DATABASE …）",
                    url.shown()
                ),
                format!(
                    "{} already holds tables, so no district is made in it; nothing was changed. Use an empty database (CREATE DATABASE …)",
                    url.shown()
                ),
            ));
        }
        let mut store = PgStore {
            client,
            url: url.clone(),
            read_only: false,
            notices: Vec::new(),
            write_patience: WRITE_PATIENCE,
        };
        store.upgrade(true)?;
        Ok(store)
    }

    pub fn url(&self) -> &PgUrl {
        &self.url
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// The connection, for reads. Writes go through [`PgStore::write`].
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    /// Runs `read` in one read-only REPEATABLE READ transaction, so that everything it reads
    /// through the row readers comes from the same moment of the database.
    pub fn read<T>(
        &mut self,
        read: impl FnOnce(&dyn super::rows::Source) -> Result<T>,
    ) -> Result<T> {
        self.read_as(read)
    }

    /// [`PgStore::read`] for work that ends with its own error type (one that wraps the store's).
    pub fn read_as<T, E: From<Error>>(
        &mut self,
        read: impl FnOnce(&dyn super::rows::Source) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let url = self.url.clone();
        let mut tx = self
            .client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(|e| pg_error(&url, e))?;
        let value = {
            let source = super::rows::PgSource::new(&mut tx, url.clone());
            read(&source)?
        };
        tx.commit().map_err(|e| pg_error(&url, e))?;
        Ok(value)
    }

    /// Listens for the notifications of other connections' commits (see [`notify`]) on this
    /// connection; `false` when the database does not send them (their triggers are missing:
    /// made by a role that may make them on its next start).
    pub fn listen(&mut self) -> Result<bool> {
        let url = self.url.clone();
        self.client
            .batch_execute(&format!("LISTEN {}", notify::CHANNEL))
            .map_err(|e| pg_error(&url, e))?;
        notify::current(&mut self.client).map_err(|e| pg_error(&url, e))
    }

    /// Whether the connection to the server is gone (the server stopped, or ended this
    /// session): it cannot come back; a new [`PgStore::open`] is needed.
    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    /// The database's schema version.
    pub fn version(&mut self) -> Result<i64> {
        migrate::version(&mut self.client).map_err(|e| pg_error(&self.url, e))
    }

    pub fn set_write_patience(&mut self, patience: Duration) {
        self.write_patience = patience;
    }

    /// Runs `work` in one SERIALIZABLE transaction and commits it, or rolls it all back on
    /// error. When the server reports a serialization failure or a deadlock (another terminal
    /// wrote what this one read), the whole transaction is run again with a growing pause,
    /// for at most the write patience; then [`Error::ServerBusy`].
    pub fn write<T>(
        &mut self,
        mut work: impl FnMut(&mut postgres::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let url = self.url.clone();
        self.write_tx(|tx| work(tx), &url)
    }

    /// [`PgStore::write`] through the engine-neutral [`super::rows::Writer`], for work that
    /// ends with its own error type: what the adjustments, the review and the imports use.
    pub fn write_as<T, E: super::TxError>(
        &mut self,
        mut work: impl FnMut(&dyn super::rows::Writer) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let url = self.url.clone();
        self.write_tx(
            |tx| {
                let source = super::rows::PgSource::new(tx, url.clone());
                work(&source)
            },
            &url,
        )
    }

    fn write_tx<T, E: super::TxError>(
        &mut self,
        mut work: impl FnMut(&mut postgres::Transaction<'_>) -> std::result::Result<T, E>,
        url: &PgUrl,
    ) -> std::result::Result<T, E> {
        if self.read_only {
            return Err(Error::ServerReadOnly(self.url.shown().to_string()).into());
        }
        let deadline = Instant::now() + self.write_patience;
        let mut pause = Duration::from_millis(25);
        loop {
            let attempt: std::result::Result<T, E> = (|| {
                let mut tx = self
                    .client
                    .build_transaction()
                    .isolation_level(postgres::IsolationLevel::Serializable)
                    .start()
                    .map_err(|e| pg_error(url, e))?;
                let value = work(&mut tx)?;
                tx.commit().map_err(|e| pg_error(url, e))?;
                Ok(value)
            })();
            match attempt {
                Err(e) if e.is_busy() => {
                    if Instant::now() + pause >= deadline {
                        return Err(Error::ServerBusy(url.shown().to_string()).into());
                    }
                    sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(500));
                }
                other => return other,
            }
        }
    }
}
