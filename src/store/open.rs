//! Getting a connection that can read the file, whatever may be written beside it.
//!
//! In WAL mode SQLite keeps a shared-memory index in `FILE-shm` and new commits in `FILE-wal`,
//! both beside the file. Where the folder cannot be written and they do not exist yet, even a
//! read-only connection fails with "attempt to write a readonly database". Then, and only when
//! nothing committed can be waiting in a `-wal` file, the file is opened as an unchanging
//! snapshot (SQLite's `immutable`), and the user is told.

use super::{BUSY_TIMEOUT, Notice};
use crate::error::{Error, Result};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A connection for `access`, after [`super::check_is_sqlite`]. Pushes a notice when the
/// file could not be opened as asked.
///
/// The file is first opened read-only, so that SQLite itself says whether it is a database
/// before anything could write to it. The file is never opened by anything but SQLite: closing
/// any other handle on it would drop the locks that this process's other connections (the
/// dashboard's reader and writer) hold on it, a known way to corrupt a SQLite file.
pub(super) fn connect(
    path: &Path,
    access: super::Access,
    notices: &mut Vec<Notice>,
) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    // The probes do not wait for a lock: the caller waits, within its own bound.
    let reader = Connection::open_with_flags(path, flags)?;
    reader.busy_timeout(Duration::ZERO)?;
    let snapshot = match probe(&reader) {
        Err(e) if cannot_write_beside(&e) => true,
        // A lock held elsewhere is waited for by the caller; anything else is not a database.
        Err(e) if !is_busy(&e) => return Err(e.into()),
        _ => false,
    };
    let reader = if access == super::Access::ReadWrite {
        // Closed first: a read-only connection still open when the writer closes keeps the
        // writer from folding the WAL in and removing the files beside the database. Tried
        // even when reading failed: a writer can roll back a journal left by a crash.
        drop(reader);
        if let Some(writer) = read_write(path)? {
            return Ok(writer);
        }
        let others = others_files(path);
        notices.push(if others.is_empty() {
            Notice::FellBackToReadOnly
        } else {
            Notice::OthersFiles(others)
        });
        Connection::open_with_flags(path, flags)?
    } else {
        reader
    };
    if !snapshot {
        reader.busy_timeout(BUSY_TIMEOUT)?;
        return Ok(reader);
    }
    drop(reader);
    let conn = open_snapshot(path)?;
    notices.push(Notice::Snapshot);
    Ok(conn)
}

/// A writable connection, or `None` when the file or what SQLite keeps beside it cannot be
/// written.
fn read_write(path: &Path) -> Result<Option<Connection>> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let Ok(conn) = Connection::open_with_flags(path, flags) else {
        return Ok(None);
    };
    if conn.is_readonly(rusqlite::MAIN_DB)? {
        return Ok(None);
    }
    // SQLite reads through an index it cannot write (read-only `-shm`), and only the first
    // save would fail: found out here, so the caller can say whose files are in the way.
    if !others_files(path).is_empty() {
        return Ok(None);
    }
    conn.busy_timeout(Duration::ZERO)?;
    match probe(&conn) {
        Err(e) if cannot_write_beside(&e) => Ok(None),
        // Busy or damaged: for the caller to wait for or report.
        _ => {
            conn.busy_timeout(BUSY_TIMEOUT)?;
            Ok(Some(conn))
        }
    }
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Whether this process may read `path`, asked without opening it (see [`connect`]).
pub(super) fn readable(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let c_path = std::ffi::CString::new(path.as_os_str().as_bytes())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        // SAFETY: a NUL-terminated path that outlives the call.
        if unsafe { libc::access(c_path.as_ptr(), libc::R_OK) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// When the file itself can be written: the `-shm` and `-wal` beside it that this account
/// cannot write, with their owners. SQLite gives the files it creates beside a database the
/// database's permissions but the creating account as owner, so a read-only viewer on a shared
/// login machine leaves files the file's owner cannot write.
fn others_files(path: &Path) -> Vec<super::OthersFile> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if writable(path).is_err() {
            return Vec::new();
        }
        ["-shm", "-wal"]
            .iter()
            .map(|s| sidecar(path, s))
            .filter_map(|p| {
                let meta = std::fs::metadata(&p).ok()?;
                writable(&p).is_err().then(|| super::OthersFile {
                    owner: user_name(meta.uid()),
                    bytes: meta.len(),
                    path: p,
                })
            })
            .collect()
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Vec::new()
    }
}

#[cfg(unix)]
fn writable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    // SAFETY: a NUL-terminated path that outlives the call.
    if unsafe { libc::access(c_path.as_ptr(), libc::W_OK) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// The login name of `uid`, from the system's user database.
#[cfg(unix)]
fn user_name(uid: u32) -> String {
    let mut buf = vec![0 as libc::c_char; 16 * 1024];
    // SAFETY: an all-zero `passwd` is a valid value for getpwuid_r to fill.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is to memory owned here that outlives the call; on success
    // `pw_name` points into `buf`, read before `buf` is dropped.
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut found) };
    if rc == 0 && !found.is_null() && !pwd.pw_name.is_null() {
        // SAFETY: getpwuid_r succeeded, so `pw_name` is a NUL-terminated string in `buf`.
        let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
        return crate::text::visible(&name.to_string_lossy());
    }
    format!("uid {uid}")
}

/// The first read: this is when SQLite opens (or fails to create) the `-shm` and `-wal` files.
fn probe(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// SQLite could not create or write what it keeps beside the file.
fn cannot_write_beside(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied)
    )
}

/// Which of `-wal` and `-shm` exist beside `path` now.
pub(super) fn sidecars_present(path: &Path) -> [bool; 2] {
    ["-wal", "-shm"].map(|s| sidecar(path, s).exists())
}

/// Removes the `-wal` and `-shm` that were not there in `before`, when the `-wal` holds nothing
/// (so no other program's work can be in it).
pub(super) fn remove_new_sidecars(path: &Path, before: [bool; 2]) {
    let wal = sidecar(path, "-wal");
    if before[0] || std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return;
    }
    let _ = std::fs::remove_file(&wal);
    if !before[1] {
        let _ = std::fs::remove_file(sidecar(path, "-shm"));
    }
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Opens the file as SQLite's `immutable` snapshot: no locks, no `-shm`, nothing written, and
/// no sight of later commits. Refused when that would hide or break something.
fn open_snapshot(path: &Path) -> Result<Connection> {
    let shown = path.display();
    let wal = sidecar(path, "-wal");
    let pending = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
    if pending {
        return Err(Error::plain(
            format!(
                "无法读取 {shown}：{} 中还有尚未并入主文件的修改，而所在文件夹不可写。请在有写权限的账户上打开一次，或把这两个文件一起复制到可写的文件夹再打开；文件未作任何改动",
                wal.display()
            ),
            format!(
                "cannot read {shown}: {} holds changes not yet folded into the file, and its folder cannot be written. Open it once as someone who can write there, or copy both files to a writable folder; nothing was changed",
                wal.display()
            ),
        ));
    }
    if sidecar(path, "-journal").exists() {
        // A journal left by an interrupted write: only a writer can roll it back.
        return Err(Error::plain(
            format!(
                "无法读取 {shown}：中断的写入留下了日志（-journal），需要可写地打开一次才能恢复（不加 --readonly，或请有写权限的人打开）；文件未作任何改动"
            ),
            format!(
                "cannot read {shown}: an interrupted write left a journal (-journal) that only a writable open can roll back (without --readonly, or by someone who can write there); nothing was changed"
            ),
        ));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(format!("{}?immutable=1", file_uri(path)), flags)?;
    probe(&conn)?;
    Ok(conn)
}

/// `file:` URI of a path, with every byte that could be read as URI syntax percent-encoded.
fn file_uri(path: &Path) -> String {
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().replace('\\', "/").into_bytes();
    let mut uri = String::from("file:");
    for b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_escape_what_sqlite_would_read_as_syntax() {
        assert_eq!(file_uri(Path::new("/tmp/a.db")), "file:/tmp/a.db");
        assert_eq!(
            file_uri(Path::new("/tmp/共建 #1?x=%.db")),
            "file:/tmp/%E5%85%B1%E5%BB%BA%20%231%3Fx%3D%25.db"
        );
        assert_eq!(file_uri(Path::new("rel/b.db")), "file:rel/b.db");
    }
}
