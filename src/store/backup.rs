//! A consistent copy of the open file while other terminals keep working: SQLite's online
//! backup API, all pages in one step, so the copy is the file as it stood at one moment.

use super::{Store, WRITE_PATIENCE};
use crate::error::{Error, Result};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What [`Store::backup_to`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupDone {
    pub path: PathBuf,
    /// Pages copied (of the page size of the original).
    pub pages: i64,
    pub bytes: u64,
    /// The copy's `PRAGMA user_version`.
    pub version: i64,
}

impl Store {
    /// Copies the file to `dest`, a path that must not exist yet, and checks the copy with
    /// `PRAGMA integrity_check`. The copy is one self-contained file (rollback journal, no
    /// `-wal`), so it can be moved or mailed alone. On any failure the partial copy, which this
    /// call created, is removed; nothing else is touched.
    pub fn backup_to(&self, dest: &Path) -> Result<BackupDone> {
        // Written under a temporary name and named `dest` only once checked: a copy cut short
        // (a full disk, a killed process) never looks like a backup.
        crate::files::create_new_with(dest, |temp| {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(temp)
                .map_err(|source| Error::Io {
                    path: dest.to_path_buf(),
                    source,
                })?;
            let pages = self.copy_into(temp)?;
            verify(temp, dest, pages)
        })
    }

    fn copy_into(&self, dest: &Path) -> Result<i64> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut copy = Connection::open_with_flags(dest, flags)?;
        copy.execute_batch("PRAGMA synchronous = FULL")?;
        let pages = {
            let backup = Backup::new(&self.conn, &mut copy)?;
            let deadline = Instant::now() + WRITE_PATIENCE;
            // -1: every page in one step, inside one read transaction on the original. In WAL
            // mode writers carry on meanwhile, and none of their commits can restart the copy.
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More => {}
                    StepResult::Busy | StepResult::Locked => {
                        if Instant::now() >= deadline {
                            return Err(Error::Busy);
                        }
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    _ => {}
                }
            }
            i64::from(backup.progress().pagecount)
        };
        // The original is in WAL mode and so is the copy's header: make it one plain file.
        copy.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        copy.close().map_err(|(_, e)| Error::Sqlite(e))?;
        Ok(pages)
    }
}

/// Reads the copy (at `temp`, to be named `dest`) back through a fresh connection: it must
/// pass `integrity_check`.
fn verify(temp: &Path, dest: &Path, pages: i64) -> Result<BackupDone> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(temp, flags)?;
    let problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if problems != ["ok"] {
        let first = crate::text::clean(problems.first().map_or("", String::as_str));
        return Err(Error::plain(
            format!(
                "副本 {} 未通过完整性检查（{first}），已删除该副本；原文件未作任何改动",
                dest.display()
            ),
            format!(
                "the copy {} failed its integrity check ({first}) and was removed; the original was not changed",
                dest.display()
            ),
        ));
    }
    let version = super::migrate::user_version(&conn)?;
    drop(conn);
    let bytes = std::fs::metadata(temp)
        .map_err(|source| Error::Io {
            path: temp.to_path_buf(),
            source,
        })?
        .len();
    Ok(BackupDone {
        path: dest.to_path_buf(),
        pages,
        bytes,
        version,
    })
}
