//! Which file: `--db` > `GONGJIAN_DB` > the default file in the platform's data folder.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbChoice {
    /// Named by the user: must exist (unless being created by `init`).
    Explicit(PathBuf),
    /// The default file: created with the demo district when missing.
    Default(PathBuf),
}

impl DbChoice {
    pub fn resolve(explicit: Option<&Path>) -> DbChoice {
        match explicit {
            Some(path) => DbChoice::Explicit(path.to_path_buf()),
            None => DbChoice::Default(default_db_path()),
        }
    }

    pub fn path(&self) -> &Path {
        match self {
            DbChoice::Explicit(p) | DbChoice::Default(p) => p,
        }
    }
}

/// `<data dir>/gongjian/gongjian.db` (on Linux `~/.local/share/gongjian/gongjian.db`).
pub fn default_db_path() -> PathBuf {
    dirs::data_dir()
        .or_else(|| dirs::home_dir().map(|h| h.join(".local").join("share")))
        .unwrap_or_else(|| PathBuf::from("."))
        .join("gongjian")
        .join("gongjian.db")
}
