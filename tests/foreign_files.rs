//! Files that are not what gongjian expects, through the real binary (`report`, `adjust`,
//! `log`, `backup`): a clear one-line message for each, a non-zero exit where nothing can be
//! done, and the file's bytes unchanged. Nothing is ever deleted or "repaired", and no file is
//! left beside the user's.
#![cfg(unix)]

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::{Rng, TODAY};

/// What a command must do with a file.
#[derive(Clone, Copy)]
enum Expect {
    /// Exit 0; stderr, if any, holds this note.
    Works(&'static str),
    /// Exit 1 with one line on stderr holding this text.
    Refused(&'static str),
}

struct Case {
    name: &'static str,
    path: PathBuf,
    /// Run as an unprivileged user (permission bits do not stop root).
    unprivileged: bool,
    report: Expect,
    adjust: Expect,
    /// A WAL-mode database: SQLite's read-only connections may leave an empty `-wal` and the
    /// `-shm` index beside it. They are SQLite's, not the user's, and gongjian deletes nothing.
    sidecars: bool,
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Everything in `dir`: name, size and a hash of the bytes, to see that nothing was changed
/// or left behind.
fn listing(dir: &Path) -> Vec<(String, usize, u64)> {
    let mut all: Vec<(String, usize, u64)> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| {
            let e = e.expect("entry");
            let bytes = if e.path().is_file() {
                std::fs::read(e.path()).unwrap_or_default()
            } else {
                Vec::new()
            };
            // FNV-1a: enough to tell changed bytes apart.
            let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
            });
            (
                e.file_name().to_string_lossy().into_owned(),
                bytes.len(),
                hash,
            )
        })
        .collect();
    all.sort();
    all
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// The binary, as this user or (when this is root) as `nobody` through `setpriv`; `None`
/// when an unprivileged run is needed but impossible.
fn gongjian(unprivileged: bool) -> Option<Command> {
    if !unprivileged || !is_root() {
        return Some(support::bin());
    }
    let setpriv = Path::new("/usr/bin/setpriv");
    if !setpriv.exists() {
        return None;
    }
    let mut cmd = Command::new(setpriv);
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_gongjian"))
        .env_remove("GONGJIAN_DB")
        .env_remove("GONGJIAN_LANG")
        .env_remove("GONGJIAN_OPERATOR");
    Some(cmd)
}

fn check(case: &Case, what: &str, expect: Expect, out: &Output) {
    let err = support::stderr(out);
    let name = case.name;
    assert!(
        !err.contains("panicked") && !err.contains("SqliteFailure") && !err.contains("Error {"),
        "{name} / {what}: {err}"
    );
    match expect {
        Expect::Works(note) => {
            assert!(out.status.success(), "{name} / {what}: {err}");
            assert!(err.contains(note), "{name} / {what}: {err}");
        }
        Expect::Refused(message) => {
            assert_eq!(out.status.code(), Some(1), "{name} / {what}: {err}");
            let last = err.trim_end().lines().last().unwrap_or("");
            assert!(
                last.starts_with("gongjian: ") && last.contains(message),
                "{name} / {what}: {err}"
            );
            assert!(
                err.lines()
                    .all(|l| !l.starts_with("gongjian: ") || l == last),
                "{name} / {what}: one error line: {err}"
            );
            assert!(support::stdout(out).is_empty(), "{name} / {what}");
        }
    }
}

fn gongjian_file(dir: &Path, name: &str) -> PathBuf {
    let path = support::demo(dir, name);
    // As a file at rest on a shared folder: everything folded into the file itself.
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
    drop(conn);
    path
}

fn cases(root: &Path) -> Vec<Case> {
    let mut rng = Rng::from_env("foreign_files");
    let mut cases = Vec::new();
    let folder = |name: &str| {
        let dir = root.join(name);
        std::fs::create_dir(&dir).expect("folder");
        chmod(&dir, 0o777);
        dir
    };
    let refused = |m| Expect::Refused(m);

    let dir = folder("missing");
    cases.push(Case {
        name: "missing",
        path: dir.join("nope.db"),
        unprivileged: false,
        report: refused("找不到数据库文件"),
        adjust: refused("找不到数据库文件"),
        sidecars: false,
    });

    let dir = folder("empty");
    let path = dir.join("empty.db");
    std::fs::write(&path, b"").expect("write");
    cases.push(Case {
        name: "empty",
        path,
        unprivileged: false,
        report: refused("是空文件"),
        adjust: refused("是空文件"),
        sidecars: false,
    });

    let dir = folder("text");
    let path = dir.join("minutes.db");
    std::fs::write(&path, "周例会纪要\n1. 回头看\n2. 错峰值班\n".repeat(40)).expect("write");
    cases.push(Case {
        name: "text",
        path,
        unprivileged: false,
        report: refused("不是 SQLite 数据库文件"),
        adjust: refused("不是 SQLite 数据库文件"),
        sidecars: false,
    });

    let dir = folder("short-text");
    let path = dir.join("x.db");
    std::fs::write(&path, "hi").expect("write");
    cases.push(Case {
        name: "a two-byte file",
        path,
        unprivileged: false,
        report: refused("不是 SQLite 数据库文件"),
        adjust: refused("不是 SQLite 数据库文件"),
        sidecars: false,
    });

    let dir = folder("random");
    let path = dir.join("random.db");
    let noise: Vec<u8> = (0..8192).map(|_| rng.next() as u8).collect();
    std::fs::write(&path, &noise).expect("write");
    cases.push(Case {
        name: "random bytes",
        path,
        unprivileged: false,
        report: refused("不是 SQLite 数据库文件"),
        adjust: refused("不是 SQLite 数据库文件"),
        sidecars: false,
    });

    let dir = folder("random-header");
    let path = dir.join("header.db");
    let mut fake = b"SQLite format 3\0".to_vec();
    fake.extend((0..8176).map(|_| rng.next() as u8));
    std::fs::write(&path, &fake).expect("write");
    cases.push(Case {
        name: "random bytes after a SQLite header",
        path,
        unprivileged: false,
        report: refused("数据库"),
        adjust: refused("数据库"),
        sidecars: false,
    });

    let dir = folder("truncated");
    let full = gongjian_file(&dir, "full.db");
    let bytes = std::fs::read(&full).expect("read");
    std::fs::remove_file(&full).expect("remove the source");
    let path = dir.join("truncated.db");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("write");
    cases.push(Case {
        name: "a database cut in half",
        path,
        unprivileged: false,
        report: refused("已损坏"),
        adjust: refused("已损坏"),
        sidecars: true,
    });

    let dir = folder("newer");
    let path = gongjian_file(&dir, "newer.db");
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.pragma_update(None, "user_version", 99)
        .expect("version");
    drop(conn);
    cases.push(Case {
        name: "newer user_version",
        path,
        unprivileged: false,
        report: refused("比本程序支持的版本"),
        adjust: refused("比本程序支持的版本"),
        sidecars: true,
    });

    let dir = folder("other-app");
    let path = dir.join("other.db");
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch("CREATE TABLE invoice (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoice VALUES (1, 9.5);")
        .expect("other app");
    drop(conn);
    cases.push(Case {
        name: "another program's database",
        path,
        unprivileged: false,
        report: refused("不是共建数据库"),
        adjust: refused("不是共建数据库"),
        sidecars: false,
    });

    let dir = folder("tables-missing");
    let path = gongjian_file(&dir, "partial.db");
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch("DROP TABLE meeting; DROP TABLE resource;")
        .expect("drop");
    drop(conn);
    cases.push(Case {
        name: "contract tables missing",
        path,
        unprivileged: false,
        report: refused("缺少数据表"),
        adjust: refused("缺少数据表"),
        sidecars: true,
    });

    let dir = folder("folder");
    cases.push(Case {
        name: "a folder",
        path: dir,
        unprivileged: false,
        report: refused("不是文件"),
        adjust: refused("不是文件"),
        sidecars: false,
    });

    let dir = folder("read-only-file");
    let path = gongjian_file(&dir, "ro.db");
    chmod(&path, 0o444);
    cases.push(Case {
        name: "read-only file",
        path,
        unprivileged: true,
        report: Expect::Works(""),
        adjust: refused("不可写"),
        sidecars: true,
    });

    let dir = folder("read-only-folder");
    let path = gongjian_file(&dir, "shared.db");
    chmod(&path, 0o666);
    chmod(&dir, 0o555);
    cases.push(Case {
        name: "read-only folder",
        path,
        unprivileged: true,
        report: Expect::Works("所在的文件夹不可写"),
        adjust: refused("不可写"),
        sidecars: false,
    });

    let dir = folder("read-only-both");
    let path = gongjian_file(&dir, "locked.db");
    chmod(&path, 0o444);
    chmod(&dir, 0o555);
    cases.push(Case {
        name: "read-only file in a read-only folder",
        path,
        unprivileged: true,
        report: Expect::Works("所在的文件夹不可写"),
        adjust: refused("不可写"),
        sidecars: false,
    });

    let dir = folder("unreadable");
    let path = gongjian_file(&dir, "secret.db");
    chmod(&path, 0o000);
    cases.push(Case {
        name: "unreadable file",
        path,
        unprivileged: true,
        report: refused("无法访问"),
        adjust: refused("无法访问"),
        sidecars: false,
    });
    cases
}

#[test]
fn foreign_files_get_a_clear_message_and_stay_untouched() {
    let root = tempfile::tempdir().expect("tempdir");
    chmod(root.path(), 0o755);
    let all = cases(root.path());
    let mut tried = 0;
    let mut skipped = Vec::new();
    for case in &all {
        let folder = if case.path.is_dir() {
            case.path.clone()
        } else {
            case.path.parent().expect("folder").to_path_buf()
        };
        let before = listing(&folder);
        let runs: [(&str, Vec<&str>, Expect); 4] = [
            ("report", vec!["report"], case.report),
            (
                "report --format json",
                vec!["report", "--format", "json"],
                case.report,
            ),
            (
                "adjust",
                vec![
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
                    "外来文件",
                    "--operator",
                    "测试",
                ],
                case.adjust,
            ),
            ("log", vec!["log"], case.report),
        ];
        let mut ran = true;
        for (what, args, expect) in runs {
            let Some(mut cmd) = gongjian(case.unprivileged) else {
                ran = false;
                break;
            };
            let out = cmd
                .arg("--db")
                .arg(&case.path)
                .args(["--today", TODAY])
                .args(&args)
                .output()
                .expect("runs");
            check(case, what, expect, &out);
            if what != "report --format json" {
                let err = support::stderr(&out);
                eprintln!(
                    "  {} / {what}: exit {:?}: {}",
                    case.name,
                    out.status.code(),
                    err.trim().replace('\n', " | ")
                );
            }
        }
        if !ran {
            skipped.push(case.name);
            continue;
        }
        tried += 1;
        let mut after = listing(&folder);
        if case.sidecars {
            let name = case.path.file_name().expect("name").to_string_lossy();
            after.retain(|(n, len, _)| {
                !(*n == format!("{name}-shm") || (*n == format!("{name}-wal") && *len == 0))
            });
        }
        assert_eq!(
            after, before,
            "{}: a file was changed, created or removed",
            case.name
        );
    }
    // Put the permissions back so that the temporary folder can be removed.
    for case in &all {
        if let Some(dir) = case.path.parent().filter(|_| case.path.is_file()) {
            chmod(dir, 0o777);
            chmod(&case.path, 0o666);
        }
    }
    if !skipped.is_empty() {
        eprintln!("skipped (running as root without setpriv): {skipped:?}");
    }
    eprintln!(
        "foreign files: {tried} files tried through report, report --format json, adjust and log, each with a clear message and its bytes unchanged"
    );
}

/// A backup never overwrites: not an existing file, not the database itself.
#[test]
fn backup_refuses_to_overwrite_anything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = support::demo(dir.path(), "office.db");
    let other = dir.path().join("notes.txt");
    std::fs::write(&other, "别删我").expect("write");
    for target in [&other, &db] {
        let before = std::fs::read(target).expect("read");
        let out = support::run(&db, &["backup", target.to_str().expect("utf-8")]);
        assert_eq!(out.status.code(), Some(1), "{}", support::stderr(&out));
        assert!(support::stderr(&out).contains("已存在，不会覆盖"));
        assert_eq!(std::fs::read(target).expect("read"), before);
    }
    let out = support::run(&db, &["backup", "/no/such/folder/copy.db"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        support::stderr(&out).contains("无法访问"),
        "{}",
        support::stderr(&out)
    );
}

/// The network-filesystem warning says, in the user's language, what must be done.
#[test]
fn the_network_filesystem_warning_says_where_terminals_must_run() {
    use gongjian::cli::notice_text;
    use gongjian::i18n::Lang;
    use gongjian::store::{Notice, classify_filesystem};
    let path = Path::new("/mnt/office/gongjian.db");
    let nfs = Notice::NetworkFilesystem(classify_filesystem(0x6969).expect("NFS"));
    let zh = notice_text(&nfs, Lang::Zh, path);
    assert!(zh.contains("网络文件系统（NFS）"), "{zh}");
    assert!(
        zh.contains("所有终端都必须在存放该文件的那台电脑上运行"),
        "{zh}"
    );
    let en = notice_text(&nfs, Lang::En, path);
    assert!(en.contains("network filesystem (NFS)"), "{en}");
    assert!(
        en.contains("every terminal must run on the machine that holds the file"),
        "{en}"
    );
    let fuse = Notice::NetworkFilesystem(classify_filesystem(0x6573_5546).expect("FUSE"));
    assert!(notice_text(&fuse, Lang::Zh, path).contains("可能是网络文件系统"));
    assert!(notice_text(&fuse, Lang::En, path).contains("may be a network one"));
    assert_eq!(classify_filesystem(0xEF53), None, "ext4 is local");
}
