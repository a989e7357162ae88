//! Fault injection for every command that writes a file (issue 14.3): each runs with a file
//! size limit (`RLIMIT_FSIZE`, which fails a write past it as a full disk does, for root as
//! for anyone), over a target that already holds a file where the command may replace one.
//! After the failure the previous file is byte for byte as it was and nothing else is left in
//! the folder: no partial file, no temporary file.

mod support;

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::{TODAY, bin, stderr};

/// Less than any output here. SQLite's 32 KiB `-shm` index beside the database is made by the
/// test beforehand (it holds the file open), so the commands only read it.
const LIMIT: u64 = 4 * 1024;

/// `cmd` with writes past `limit` bytes failing (`EFBIG`) instead of killing the process.
fn limited(mut cmd: Command, limit: u64) -> Output {
    // SAFETY: only async-signal-safe calls (setrlimit, signal) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let rlim = libc::rlimit {
                rlim_cur: limit as libc::rlim_t,
                rlim_max: limit as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &rlim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    cmd.output().expect("runs")
}

fn gongjian(db: &Path, args: &[&str]) -> Command {
    let mut cmd = bin();
    cmd.arg("--db").arg(db).args(["--today", TODAY]).args(args);
    cmd
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A district large enough that every output is well past [`LIMIT`].
fn district(dir: &Path) -> PathBuf {
    let db = dir.join("district.db");
    let out = bin()
        .args(["--today", TODAY, "generate"])
        .arg(&db)
        .args([
            "--communities",
            "60",
            "--projects-per-community",
            "5",
            "--activities-per-project",
            "2",
        ])
        .output()
        .expect("generate");
    assert!(out.status.success(), "{}", stderr(&out));
    db
}

/// Runs `args` into `out_dir/target` under the limit, with `previous` there first (if any),
/// and checks that it failed and left the folder as it was.
fn fails_cleanly(db: &Path, out_dir: &Path, target: &str, previous: Option<&[u8]>, args: &[&str]) {
    let path = out_dir.join(target);
    if let Some(bytes) = previous {
        std::fs::write(&path, bytes).expect("previous file");
    }
    let before = listing(out_dir);
    let mut full: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    for arg in &mut full {
        if arg == "TARGET" {
            *arg = path.display().to_string();
        }
    }
    let full: Vec<&str> = full.iter().map(String::as_str).collect();
    // Unlimited first: the command writes more than the limit when it can.
    let probe_dir = tempfile::tempdir().expect("tempdir");
    let probe = probe_dir.path().join(target);
    let probe_args: Vec<String> = args
        .iter()
        .map(|a| {
            if *a == "TARGET" {
                probe.display().to_string()
            } else {
                a.to_string()
            }
        })
        .collect();
    let probe_args: Vec<&str> = probe_args.iter().map(String::as_str).collect();
    let ok = gongjian(db, &probe_args).output().expect("runs");
    assert!(ok.status.success(), "{target} unlimited: {}", stderr(&ok));
    let size = std::fs::metadata(&probe).expect("written").len();
    assert!(
        size > LIMIT,
        "{target}: only {size} bytes, the limit would not bite"
    );

    let out = limited(gongjian(db, &full), LIMIT);
    assert!(!out.status.success(), "{target}: succeeded past the limit");
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{target}: {err}");
    match previous {
        Some(bytes) => assert_eq!(
            std::fs::read(&path).expect("still there"),
            bytes,
            "{target}: the previous file changed ({err})"
        ),
        None => assert!(!path.exists(), "{target}: a partial file was left ({err})"),
    }
    assert_eq!(
        listing(out_dir),
        before,
        "{target}: something was left ({err})"
    );
}

#[test]
fn every_command_that_writes_a_file_leaves_the_previous_one_on_a_full_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = district(dir.path());
    let holder = rusqlite::Connection::open(&db).expect("open");
    let _: i64 = holder
        .query_row("SELECT count(*) FROM project", [], |r| r.get(0))
        .expect("read");
    let out_dir = tempfile::tempdir().expect("tempdir");
    let out = out_dir.path();
    let old: &[u8] = "上周的文件，不能丢".as_bytes();

    fails_cleanly(
        &db,
        out,
        "周报.xlsx",
        Some(old),
        &["export", "--force", "TARGET"],
    );
    fails_cleanly(
        &db,
        out,
        "周报.csv",
        Some(old),
        &["export", "--force", "TARGET"],
    );
    fails_cleanly(
        &db,
        out,
        "纪要.md",
        Some(old),
        &["review", "--export", "TARGET", "--force"],
    );
    fails_cleanly(&db, out, "备份.db", None, &["backup", "TARGET"]);
    fails_cleanly(&db, out, "新.db", None, &["init", "--demo", "TARGET"]);
    fails_cleanly(
        &db,
        out,
        "合成.db",
        None,
        &["generate", "TARGET", "--communities", "3"],
    );
    drop(holder);
}

/// The template is smaller than the database's index, so it gets a limit of its own; it
/// never opens the database.
#[test]
fn the_template_leaves_the_previous_one_on_a_full_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("模板.xlsx");
    let old: &[u8] = b"previous template";
    std::fs::write(&path, old).expect("previous");
    let mut cmd = bin();
    cmd.args(["template", "--force"]).arg(&path);
    let out = limited(cmd, 2048);
    assert!(!out.status.success(), "succeeded past the limit");
    assert_eq!(std::fs::read(&path).expect("still there"), old);
    assert_eq!(listing(dir.path()), ["模板.xlsx"]);
}

/// `e` on the review's last screen: the minutes go beside the database under a name not yet
/// taken; on a full disk nothing is left and an earlier day's minutes stay as they were.
#[test]
fn the_dashboard_s_minutes_leave_nothing_on_a_full_disk() {
    let prlimit = "/usr/bin/prlimit";
    if !Path::new(prlimit).exists() {
        eprintln!("skipped: {prlimit} is missing");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("district.db");
    let out = bin()
        .args(["--today", TODAY, "generate"])
        .arg(&db)
        .args([
            "--communities",
            "150",
            "--projects-per-community",
            "5",
            "--activities-per-project",
            "2",
        ])
        .output()
        .expect("generate");
    assert!(out.status.success(), "{}", stderr(&out));
    let earlier = dir.path().join(format!("会议纪要-{TODAY}.md"));
    let old: &[u8] = "上周的纪要".as_bytes();
    std::fs::write(&earlier, old).expect("earlier minutes");
    let others = |dir: &Path| -> Vec<String> {
        listing(dir)
            .into_iter()
            .filter(|n| !n.starts_with("district.db"))
            .collect()
    };
    let before = others(dir.path());
    // 64 KiB: room for SQLite's index and the review's few saves, not for these minutes.
    let limit = format!("--fsize={}", 64 * 1024);
    let wrapper = [
        "/bin/sh",
        "-c",
        "trap '' XFSZ; exec \"$@\"",
        "sh",
        prlimit,
        limit.as_str(),
    ];
    let mut screen = support::Dashboard::spawn_wrapped(
        &wrapper,
        &db,
        &["--operator", "周主任", "review"],
        40,
        160,
    );
    screen.wait_for("the review", std::time::Duration::from_secs(30), |t| {
        t.contains("周例会回顾") && t.contains("结束回顾")
    });
    // One community covered, so that the review records something and has minutes.
    screen.keys(b"n");
    screen.wait_for(
        "the next community",
        std::time::Duration::from_secs(10),
        |t| t.contains("2/"),
    );
    screen.keys(b"q");
    screen.wait_for("the summary", std::time::Duration::from_secs(10), |t| {
        t.contains("周例会回顾已结束")
    });
    screen.keys(b"e");
    screen.wait_for("the failure", std::time::Duration::from_secs(10), |t| {
        t.contains("无法访问")
    });
    assert!(!screen.text().contains("会议纪要已保存"));
    assert_eq!(std::fs::read(&earlier).expect("still there"), old);
    assert_eq!(
        others(dir.path()),
        before,
        "nothing left beside the database"
    );
}
