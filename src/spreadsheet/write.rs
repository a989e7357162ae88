//! Writing an exported file so that the user never finds it half-written, and never loses a
//! file that was there unless they asked (`--force`).

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` through a temporary file in the same folder, synced, then moved in
/// place in one step. Without `force`, an existing `path` is refused, including one that
/// appears while we write (the final step is a hard link, which never replaces a file).
pub fn save_new_file(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    if !force && std::fs::symlink_metadata(path).is_ok() {
        return Err(exists(path));
    }
    if path.is_dir() {
        return Err(Error::NotAFile(path.to_path_buf()));
    }
    let temp = temp_path(path);
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(io)?;
        file.write_all(bytes).map_err(io)?;
        file.sync_all().map_err(io)?;
        drop(file);
        if force {
            std::fs::rename(&temp, path).map_err(io)
        } else {
            match std::fs::hard_link(&temp, path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(exists(path)),
                // A file system without hard links: check, then rename.
                Err(_) if std::fs::symlink_metadata(path).is_err() => {
                    std::fs::rename(&temp, path).map_err(io)
                }
                Err(_) => Err(exists(path)),
            }
        }
    })();
    let _ = std::fs::remove_file(&temp);
    result
}

fn exists(path: &Path) -> Error {
    Error::plain(
        format!(
            "{} 已存在，不会覆盖；如要替换，请加 --force",
            path.display()
        ),
        format!(
            "{} already exists and was not overwritten; add --force to replace it",
            path.display()
        ),
    )
}

/// `.NAME.PID.tmp` beside `path`.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_overwrite_unless_forced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("报表.xlsx");
        save_new_file(&path, b"one", false).expect("new file");
        assert_eq!(std::fs::read(&path).expect("read"), b"one");
        let err = save_new_file(&path, b"two", false).expect_err("refused");
        assert!(err.message(crate::i18n::Lang::En).contains("--force"));
        assert_eq!(std::fs::read(&path).expect("read"), b"one");
        save_new_file(&path, b"three", true).expect("forced");
        assert_eq!(std::fs::read(&path).expect("read"), b"three");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(left.len(), 1, "no temporary file left: {left:?}");
    }
}
