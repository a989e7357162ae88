//! The one way gongjian writes a file: everything goes to a temporary file beside the target
//! (`.NAME.PID.tmp`, in the same folder, so that the last step is a rename on one filesystem),
//! is synced, and only then takes the target's name in one step. On any failure the temporary
//! file is removed and the target is as it was: a user never finds a half-written file, and a
//! file that was there is lost only when they asked for it to be replaced (`--force`).
//!
//! Used for minutes, exports, templates, backups, generated districts and new databases.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path`. Without `replace`, an existing `path` is refused, including one
/// that appears while we write (the final step is then a hard link, which never replaces a
/// file).
pub fn write_file(path: &Path, bytes: &[u8], replace: bool) -> Result<()> {
    if !replace && std::fs::symlink_metadata(path).is_ok() {
        return Err(exists(path));
    }
    if path.is_dir() {
        return Err(Error::NotAFile(path.to_path_buf()));
    }
    let temp = temp_path(path);
    // A replaced file keeps its permissions (minutes kept private stay private).
    let previous = std::fs::metadata(path).ok().map(|m| m.permissions());
    let result = fill_bytes(&temp, bytes, path).and_then(|()| {
        if let Some(permissions) = previous.filter(|_| replace) {
            std::fs::set_permissions(&temp, permissions).map_err(|source| io(&temp, source))?;
        }
        if replace {
            std::fs::rename(&temp, path).map_err(|source| io(path, source))
        } else {
            claim(&temp, path)?
                .then_some(())
                .ok_or_else(|| exists(path))
        }
    });
    remove_temp(&temp);
    result
}

/// Writes `bytes` under the first of `names` (in `folder`) that is free, never replacing a
/// file; returns the path taken. `None` when every name is taken.
pub fn write_first_free(
    folder: &Path,
    names: impl IntoIterator<Item = String>,
    bytes: &[u8],
) -> Result<Option<PathBuf>> {
    let temp = temp_path(&folder.join("gongjian"));
    let result = fill_bytes(&temp, bytes, folder).and_then(|()| {
        for name in names {
            let path = folder.join(name);
            if claim(&temp, &path)? {
                return Ok(Some(path));
            }
        }
        Ok(None)
    });
    remove_temp(&temp);
    result
}

/// Creates a new file at `path` (refusing an existing one) by letting `fill` write it under
/// a temporary name first: for SQLite files, which `fill` opens, fills and closes itself. The
/// temporary file and any `-journal`, `-wal` or `-shm` beside it are removed afterwards, so an
/// interrupted or failed `fill` never leaves a valid-looking file at `path`.
pub fn create_new_with<T>(path: &Path, fill: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(Error::AlreadyExists(path.to_path_buf()));
    }
    let temp = temp_path(path);
    let result = fill(&temp).and_then(|value| {
        sync(&temp)?;
        if claim(&temp, path)? {
            Ok(value)
        } else {
            Err(Error::AlreadyExists(path.to_path_buf()))
        }
    });
    remove_temp(&temp);
    for suffix in ["-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(&temp, suffix));
    }
    result
}

/// `.NAME.PID.tmp` beside `path`.
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Creates `temp` (which must not exist), writes `bytes` and syncs it. Errors name `shown`
/// (the file or folder the user asked for), not the temporary name.
fn fill_bytes(temp: &Path, bytes: &[u8], shown: &Path) -> Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temp)
        .map_err(|source| io(shown, source))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|source| io(shown, source))
}

fn sync(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|source| io(path, source))
}

/// Gives `temp` the name `path` unless `path` exists: `Ok(false)` when it does.
fn claim(temp: &Path, path: &Path) -> Result<bool> {
    match std::fs::hard_link(temp, path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        // A file system without hard links: check, then rename.
        Err(_) if std::fs::symlink_metadata(path).is_err() => std::fs::rename(temp, path)
            .map(|()| true)
            .map_err(|source| io(path, source)),
        Err(_) => Ok(false),
    }
}

fn remove_temp(temp: &Path) {
    let _ = std::fs::remove_file(temp);
}

fn exists(path: &Path) -> Error {
    Error::plain(
        format!(
            "{} 已存在，不会覆盖；如要替换，请加 --force",
            crate::text::visible(&path.display().to_string())
        ),
        format!(
            "{} already exists and was not overwritten; add --force to replace it",
            crate::text::visible(&path.display().to_string())
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn refuses_to_overwrite_unless_asked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("报表.xlsx");
        write_file(&path, b"one", false).expect("new file");
        assert_eq!(std::fs::read(&path).expect("read"), b"one");
        let err = write_file(&path, b"two", false).expect_err("refused");
        assert!(err.message(crate::i18n::Lang::En).contains("--force"));
        assert_eq!(std::fs::read(&path).expect("read"), b"one");
        write_file(&path, b"three", true).expect("replaced");
        assert_eq!(std::fs::read(&path).expect("read"), b"three");
        assert_eq!(names(dir.path()), ["报表.xlsx"], "no temporary file left");
    }

    #[test]
    fn first_free_name_never_replaces() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("a.md"), "old").expect("write");
        let names_wanted = ["a.md", "a-2.md"].map(String::from);
        let taken = write_first_free(dir.path(), names_wanted.clone(), b"new").expect("written");
        assert_eq!(taken, Some(dir.path().join("a-2.md")));
        assert_eq!(
            std::fs::read(dir.path().join("a.md")).expect("read"),
            b"old"
        );
        let none = write_first_free(dir.path(), names_wanted, b"newer").expect("no error");
        assert_eq!(none, None);
        assert_eq!(names(dir.path()), ["a-2.md", "a.md"]);
    }

    #[test]
    fn a_failed_fill_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("new.db");
        let err = create_new_with(&path, |temp| -> Result<()> {
            std::fs::write(temp, b"half").map_err(|e| io(temp, e))?;
            std::fs::write(with_suffix(temp, "-wal"), b"log").map_err(|e| io(temp, e))?;
            Err(Error::plain("中断", "interrupted"))
        })
        .expect_err("fails");
        assert!(err.message(crate::i18n::Lang::En).contains("interrupted"));
        assert_eq!(names(dir.path()), Vec::<String>::new());
        create_new_with(&path, |temp| {
            std::fs::write(temp, b"whole").map_err(|e| io(temp, e))
        })
        .expect("made");
        assert_eq!(std::fs::read(&path).expect("read"), b"whole");
        assert!(matches!(
            create_new_with(&path, |_| Ok(())),
            Err(Error::AlreadyExists(_))
        ));
        assert_eq!(names(dir.path()), ["new.db"]);
    }
}
