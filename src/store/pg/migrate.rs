//! Schema versions on PostgreSQL: the same numbers as in the file (`store/migrate.rs`), kept in
//! the table `gongjian_schema` (the file keeps them in `PRAGMA user_version`). Each version's
//! script is in `sql/`; an upgrade runs in one transaction, under a lock that makes a second
//! terminal upgrading at the same moment wait and then find the work done.

use super::{PgStore, pg_error};
use crate::error::{Error, Result};
use crate::store::migrate::{CONTRACT, CONTRACT_V2, CORE, KNOWN_VERSION};
use postgres::GenericClient;

/// `MIGRATIONS[v]` takes a database from version `v` to `v + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("sql/v1_contract.sql"),
    include_str!("sql/v2_program.sql"),
    include_str!("sql/v3_summaries.sql"),
    include_str!("sql/v4_review.sql"),
    include_str!("sql/v5_contract2.sql"),
];

const _: () = assert!(MIGRATIONS.len() as i64 == KNOWN_VERSION);

/// The recommended roles (see the README), run by a database administrator.
pub const ROLES_SQL: &str = include_str!("sql/roles.sql");

/// The key of the advisory lock an upgrade holds (any fixed number: "gj" and the year).
const UPGRADE_LOCK: i64 = 0x676a_2026;

/// The database's schema version: 0 when gongjian never upgraded it.
pub fn version(client: &mut impl GenericClient) -> std::result::Result<i64, postgres::Error> {
    if !table_exists(client, "gongjian_schema")? {
        return Ok(0);
    }
    let row = client.query_opt("SELECT max(version)::bigint FROM gongjian_schema", &[])?;
    Ok(row.and_then(|r| r.get::<_, Option<i64>>(0)).unwrap_or(0))
}

pub fn table_exists(
    client: &mut impl GenericClient,
    table: &str,
) -> std::result::Result<bool, postgres::Error> {
    Ok(client
        .query_opt(
            "SELECT 1 FROM information_schema.tables
              WHERE table_schema = current_schema() AND table_name = $1",
            &[&table],
        )?
        .is_some())
}

fn columns_of(
    client: &mut impl GenericClient,
    table: &str,
) -> std::result::Result<Vec<String>, postgres::Error> {
    Ok(client
        .query(
            "SELECT column_name::text FROM information_schema.columns
              WHERE table_schema = current_schema() AND table_name = $1",
            &[&table],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// Whether the database holds any table at all in its schema: an empty database is where
/// `init` and `copy` may make a district.
pub fn is_empty(client: &mut impl GenericClient) -> std::result::Result<bool, postgres::Error> {
    Ok(client
        .query_opt(
            "SELECT 1 FROM information_schema.tables
              WHERE table_schema = current_schema() LIMIT 1",
            &[],
        )?
        .is_none())
}

impl PgStore {
    /// Checks the version and the tables before anything is written, as the file's open does,
    /// then (when writable) upgrades the schema in one transaction.
    pub(super) fn prepare(&mut self) -> Result<()> {
        let shown = self.url.shown_path();
        let found = version(&mut self.client).map_err(|e| pg_error(&self.url, e))?;
        if found > KNOWN_VERSION {
            return Err(Error::NewerVersion {
                path: shown,
                found,
                known: KNOWN_VERSION,
            });
        }
        if found == 0 {
            self.check_adoptable()?;
        }
        self.check_columns()?;
        if found == KNOWN_VERSION {
            self.check_contract()?;
            return self.make_notify();
        }
        if self.read_only {
            return Err(Error::NeedsUpgradeReadOnly {
                path: shown,
                found,
                known: KNOWN_VERSION,
            });
        }
        self.upgrade(false)
    }

    /// Brings the database to [`KNOWN_VERSION`] in one transaction; `fresh`: every script
    /// from the first (a new district).
    pub(super) fn upgrade(&mut self, fresh: bool) -> Result<()> {
        let url = self.url.clone();
        let err = |e| pg_error(&url, e);
        let mut tx = self.client.transaction().map_err(err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&UPGRADE_LOCK])
            .map_err(err)?;
        // Another terminal may have upgraded the database since we looked.
        let found = version(&mut tx).map_err(err)?;
        if found > KNOWN_VERSION {
            return Err(Error::NewerVersion {
                path: url.shown_path(),
                found,
                known: KNOWN_VERSION,
            });
        }
        let start = if fresh { 0 } else { found.max(0) } as usize;
        for script in &MIGRATIONS[start.min(MIGRATIONS.len())..] {
            tx.batch_execute(script).map_err(err)?;
        }
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS gongjian_schema (version integer NOT NULL);
             DELETE FROM gongjian_schema;",
        )
        .map_err(err)?;
        tx.execute(
            "INSERT INTO gongjian_schema (version) VALUES ($1)",
            &[&(KNOWN_VERSION as i32)],
        )
        .map_err(err)?;
        check_contract_in(&mut tx, &url, true)?;
        super::notify::ensure(&mut tx).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(())
    }

    /// Makes the notifications' function and triggers when they are missing or differ and the
    /// district is open for writing (see `notify.rs`). A role that may write rows but not make
    /// triggers (the recommended `gongjian_app`) leaves that to the owner's next start; the
    /// dashboard then reads again every few seconds instead.
    fn make_notify(&mut self) -> Result<()> {
        if self.read_only {
            return Ok(());
        }
        let url = self.url.clone();
        let err = |e| pg_error(&url, e);
        if super::notify::current(&mut self.client).map_err(err)? {
            return Ok(());
        }
        let made = (|| {
            let mut tx = self.client.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&UPGRADE_LOCK])?;
            super::notify::ensure(&mut tx)?;
            tx.commit()
        })();
        match made {
            Ok(()) => Ok(()),
            Err(e) if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) => {
                Ok(())
            }
            Err(e) => Err(err(e)),
        }
    }

    fn check_adoptable(&mut self) -> Result<()> {
        let mut missing = Vec::new();
        for table in CORE {
            if !table_exists(&mut self.client, table).map_err(|e| pg_error(&self.url, e))? {
                missing.push((*table).to_string());
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(Error::Foreign {
                path: self.url.shown_path(),
                missing,
            })
        }
    }

    fn check_columns(&mut self) -> Result<()> {
        check_columns_in(&mut self.client, &self.url)
    }

    fn check_contract(&mut self) -> Result<()> {
        check_contract_in(&mut self.client, &self.url, true)
    }
}

/// Every contract table that is present has every contract column.
fn check_columns_in(client: &mut impl GenericClient, url: &super::PgUrl) -> Result<()> {
    for (table, columns) in CONTRACT.iter().chain(CONTRACT_V2) {
        let present = columns_of(client, table).map_err(|e| pg_error(url, e))?;
        if present.is_empty() {
            continue;
        }
        for column in *columns {
            if !present.iter().any(|p| p.eq_ignore_ascii_case(column)) {
                return Err(Error::MissingColumn {
                    table: (*table).into(),
                    column: (*column).into(),
                });
            }
        }
    }
    Ok(())
}

/// Every contract table (of version 2 too when `v2`) is present with every column.
fn check_contract_in(client: &mut impl GenericClient, url: &super::PgUrl, v2: bool) -> Result<()> {
    check_columns_in(client, url)?;
    let mut missing = Vec::new();
    let tables = CONTRACT.iter().chain(if v2 { CONTRACT_V2 } else { &[] });
    for (table, _) in tables {
        if !table_exists(client, table).map_err(|e| pg_error(url, e))? {
            missing.push((*table).to_string());
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::Foreign {
            path: url.shown_path(),
            missing,
        })
    }
}
