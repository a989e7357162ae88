//! A shared login machine (issue 14.6): the file belongs to a writer; a viewer with read-only
//! access runs `report`. Two real OS users, made with `useradd` when this runs as root (as CI
//! does); skipped with a printed reason otherwise.

mod support;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::TODAY;

const WRITER: &str = "gongjian-t-writer";
const VIEWER: &str = "gongjian-t-viewer";

/// The two users' ids, or why the test cannot run here.
fn users() -> Result<(u32, u32), String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Err("not running as root (cannot create users)".into());
    }
    for tool in ["/usr/bin/setpriv", "/usr/sbin/useradd"] {
        if !Path::new(tool).exists() {
            return Err(format!("{tool} is missing"));
        }
    }
    let mut ids = Vec::new();
    for name in [WRITER, VIEWER] {
        if uid(name).is_none() {
            let out = Command::new("/usr/sbin/useradd")
                .args(["--no-create-home", "--shell", "/usr/sbin/nologin", name])
                .output()
                .map_err(|e| format!("useradd: {e}"))?;
            // Another test binary may have made it meanwhile.
            if !out.status.success() && uid(name).is_none() {
                return Err(format!(
                    "useradd {name}: {}",
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
        ids.push(uid(name).ok_or_else(|| format!("no user {name}"))?);
    }
    Ok((ids[0], ids[1]))
}

fn uid(name: &str) -> Option<u32> {
    let out = Command::new("id").args(["-u", name]).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().parse().ok())
        .flatten()
}

/// `gongjian --db DB --today TODAY ARGS…` as `user`.
fn run_as(user: &str, db: &Path, args: &[&str]) -> Output {
    Command::new("/usr/bin/setpriv")
        .args([
            &format!("--reuid={user}"),
            &format!("--regid={user}"),
            "--clear-groups",
            "--",
            env!("CARGO_BIN_EXE_gongjian"),
            "--db",
        ])
        .arg(db)
        .args(["--today", TODAY])
        .args(args)
        .env_remove("GONGJIAN_DB")
        .env_remove("GONGJIAN_LANG")
        .env("GONGJIAN_OPERATOR", "测试")
        .env("HOME", "/nonexistent")
        .output()
        .expect("setpriv runs")
}

fn save(user: &str, db: &Path) -> Output {
    run_as(
        user,
        db,
        &[
            "adjust",
            "activity",
            "--project",
            "1",
            "--held-on",
            "2026-11-20",
            "--planned",
            "20",
            "--actual",
            "18",
            "--reason",
            "周例会",
        ],
    )
}

/// A folder both users may write (as a shared office folder is), with the writer's demo file.
fn shared_folder(writer: u32) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let db = dir.path().join("shared.db");
    let out = run_as(
        WRITER,
        &db,
        &["init", "--demo", db.to_str().expect("utf-8 path")],
    );
    assert!(out.status.success(), "{}", support::stderr(&out));
    assert_eq!(std::fs::metadata(&db).expect("db").uid(), writer);
    (dir, db)
}

fn owned_by(dir: &Path, uid: u32) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry"))
        .filter(|e| e.metadata().is_ok_and(|m| m.uid() == uid))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The viewer first, with nothing open: SQLite makes `-shm` and `-wal` as the viewer. The
/// writer's next save is then told exactly which files lock it out and whose they are.
#[test]
fn a_viewer_s_files_are_named_to_the_writer_with_their_owner() {
    let (writer, viewer) = match users() {
        Ok(ids) => ids,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    let (dir, db) = shared_folder(writer);
    let out = run_as(VIEWER, &db, &["report", "--format", "json"]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let left = owned_by(dir.path(), viewer);
    if left.is_empty() {
        // This SQLite made nothing as the viewer: the writer must simply be able to save.
        let out = save(WRITER, &db);
        assert!(out.status.success(), "{}", support::stderr(&out));
        return;
    }
    assert_eq!(left, ["shared.db-shm", "shared.db-wal"]);
    for lang in ["zh", "en"] {
        let out = run_as(
            WRITER,
            &db,
            &[
                "--lang",
                lang,
                "adjust",
                "activity",
                "--project",
                "1",
                "--held-on",
                "2026-11-20",
                "--planned",
                "20",
                "--actual",
                "18",
                "--reason",
                "周例会",
            ],
        );
        assert_eq!(out.status.code(), Some(1));
        let err = support::stderr(&out);
        let owner = if lang == "zh" {
            "属于用户"
        } else {
            "owned by user"
        };
        for file in &left {
            let named = format!("{} ({owner} {VIEWER}", dir.path().join(file).display());
            let named_zh = format!("{}（{owner} {VIEWER}", dir.path().join(file).display());
            assert!(
                err.contains(&named) || err.contains(&named_zh),
                "{file} and its owner named: {err}"
            );
        }
    }
    // Once the viewer's files are gone (as the message says), the writer saves again.
    for file in &left {
        std::fs::remove_file(dir.path().join(file)).expect("remove");
    }
    let out = save(WRITER, &db);
    assert!(out.status.success(), "{}", support::stderr(&out));
    assert!(owned_by(dir.path(), viewer).is_empty());
}

/// The writer's files first (a writer has the file open): the viewer reads through them,
/// leaves nothing of its own, and the writer saves as before.
#[test]
fn a_viewer_while_the_writer_has_the_file_open_leaves_nothing() {
    let (writer, viewer) = match users() {
        Ok(ids) => ids,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    let (dir, db) = shared_folder(writer);
    // Holding the file open as the writer would: as root, SQLite gives the files it creates
    // beside the database the database's owner.
    let holder = rusqlite::Connection::open(&db).expect("open");
    let _: i64 = holder
        .query_row("SELECT count(*) FROM project", [], |r| r.get(0))
        .expect("read");
    assert_eq!(
        owned_by(dir.path(), writer),
        ["shared.db", "shared.db-shm", "shared.db-wal"]
    );
    let out = run_as(VIEWER, &db, &["report", "--format", "json"]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    assert!(owned_by(dir.path(), viewer).is_empty());
    let out = save(WRITER, &db);
    assert!(out.status.success(), "{}", support::stderr(&out));
    drop(holder);
    let out = save(WRITER, &db);
    assert!(out.status.success(), "{}", support::stderr(&out));
    assert!(owned_by(dir.path(), viewer).is_empty());
}
