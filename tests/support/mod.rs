//! Helpers for the reliability tests: the real binary, children that are killed even when a
//! test fails, the dashboard in a pseudo-terminal with its raw output kept, and the checks
//! every test ends with.
#![allow(dead_code)]

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Every test works on this day, so that the demo district's figures are fixed.
pub const TODAY: &str = "2026-11-28";

/// The `gongjian` binary built for this test run, with no setting taken from the environment.
pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gongjian"));
    cmd.env_remove("GONGJIAN_DB")
        .env_remove("GONGJIAN_LANG")
        .env_remove("GONGJIAN_OPERATOR")
        // A terminal's remembered street (`--street`) goes to the test's own folder, never to
        // the account's configuration.
        .env(
            "XDG_CONFIG_HOME",
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("config"),
        );
    cmd
}

/// `gongjian --db DB --today TODAY ARGS…`, run to the end.
pub fn run(db: &Path, args: &[&str]) -> Output {
    bin()
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY])
        .args(args)
        .output()
        .expect("the binary runs")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A new demo district made by the binary itself.
pub fn demo(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let out = bin()
        .args(["--today", TODAY, "init", "--demo"])
        .arg(&path)
        .output()
        .expect("init runs");
    assert!(out.status.success(), "init: {}", stderr(&out));
    path
}

/// A child process that is killed and reaped when dropped, so that a failing assertion never
/// leaves it running.
pub struct Guard(pub Option<Child>);

impl Guard {
    pub fn new(child: Child) -> Guard {
        Guard(Some(child))
    }

    pub fn child(&mut self) -> &mut Child {
        self.0.as_mut().expect("child still held")
    }

    /// Hands the child back (to wait for it); the caller then owns its end.
    pub fn take(mut self) -> Child {
        self.0.take().expect("child still held")
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A small deterministic generator (xorshift64*), seeded from the clock unless
/// `GONGJIAN_TEST_SEED` is set; the seed is printed so that a failure can be replayed.
pub struct Rng(u64);

impl Rng {
    pub fn from_env(test: &str) -> Rng {
        let seed = std::env::var("GONGJIAN_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            });
        eprintln!("{test}: GONGJIAN_TEST_SEED={seed}");
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

/// `PRAGMA integrity_check` and `PRAGMA foreign_key_check`, as a test asserts them.
pub fn assert_sound(db: &Path) {
    let conn = rusqlite::Connection::open(db).expect("open to check");
    let integrity: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(integrity, ["ok"], "integrity_check");
    let broken: Vec<(String, i64)> = conn
        .prepare("PRAGMA foreign_key_check")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert!(broken.is_empty(), "foreign_key_check: {broken:?}");
}

/// Activities and their log entries correspond one to one (for activities with an id above
/// `after`, the ones the test added): no change without its entry, no entry without its change.
pub fn assert_activities_match_log(db: &Path, after: i64) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open to check");
    let count = |sql: &str| -> i64 {
        conn.query_row(sql, [after], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    let orphans = count(
        "SELECT count(*) FROM activity a WHERE a.id > ?1 AND NOT EXISTS (
             SELECT 1 FROM adjustment j WHERE j.action = 'activity'
             AND json_extract(j.after, '$.activity.id') = a.id)",
    );
    assert_eq!(orphans, 0, "activities without their log entry");
    let ghosts = count(
        "SELECT count(*) FROM adjustment j WHERE j.action = 'activity'
             AND json_extract(j.after, '$.activity.id') > ?1 AND NOT EXISTS (
             SELECT 1 FROM activity a WHERE a.id = json_extract(j.after, '$.activity.id')
               AND a.project_id = j.project_id
               AND a.held_on = json_extract(j.after, '$.activity.held_on')
               AND a.planned = json_extract(j.after, '$.activity.planned')
               AND a.actual = json_extract(j.after, '$.activity.actual'))",
    );
    assert_eq!(ghosts, 0, "log entries without (or unlike) their activity");
    let doubles = count(
        "SELECT count(*) FROM (SELECT json_extract(after, '$.activity.id') AS a FROM adjustment
             WHERE action = 'activity' AND json_extract(after, '$.activity.id') > ?1
             GROUP BY a HAVING count(*) > 1)",
    );
    assert_eq!(doubles, 0, "an activity logged twice");
    count("SELECT count(*) FROM activity WHERE id > ?1")
}

/// The largest activity id now (the tests' own activities come after it).
pub fn max_activity(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row("SELECT coalesce(max(id), 0) FROM activity", [], |r| {
        r.get(0)
    })
    .expect("max")
}

/// Projects that take an activity dated `held_on` (not cancelled; a done one only up to its
/// done date), by id.
pub fn projects_taking_activities(db: &Path, held_on: &str) -> Vec<i64> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let ids: Vec<i64> = conn
        .prepare(
            "SELECT id FROM project WHERE status IN ('active', 'paused')
                OR (status = 'done' AND done_on >= ?1) ORDER BY id",
        )
        .expect("prepare")
        .query_map([held_on], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert!(!ids.is_empty());
    ids
}

/// The dashboard on a file, in a pseudo-terminal: its screen as a terminal would show it, every
/// byte it wrote, its keyboard. Killed when dropped.
pub struct Dashboard {
    pub parser: vt100::Parser,
    /// Everything the program wrote to the terminal, in order.
    pub raw: Vec<u8>,
    bytes: mpsc::Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    exited: bool,
}

impl Dashboard {
    pub fn spawn(db: &Path, extra: &[&str], rows: u16, cols: u16) -> Dashboard {
        Dashboard::spawn_wrapped(&[], db, extra, rows, cols)
    }

    /// The same, run through `wrapper` (a program and its arguments, followed by the binary).
    pub fn spawn_wrapped(
        wrapper: &[&str],
        db: &Path,
        extra: &[&str],
        rows: u16,
        cols: u16,
    ) -> Dashboard {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = match wrapper.split_first() {
            Some((program, args)) => {
                let mut cmd = CommandBuilder::new(program);
                cmd.args(args);
                cmd.arg(env!("CARGO_BIN_EXE_gongjian"));
                cmd
            }
            None => CommandBuilder::new(env!("CARGO_BIN_EXE_gongjian")),
        };
        cmd.args(["--today", TODAY, "--db"]);
        cmd.arg(db);
        cmd.args(extra);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("GONGJIAN_LANG");
        cmd.env_remove("GONGJIAN_OPERATOR");
        cmd.env_remove("GONGJIAN_DB");
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // Keep the master open for as long as the reader runs.
            let _master = pair.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Dashboard {
            parser: vt100::Parser::new(rows, cols, 0),
            raw: Vec::new(),
            bytes: rx,
            writer,
            child,
            exited: false,
        }
    }

    fn feed(&mut self, chunk: Vec<u8>) {
        self.parser.process(&chunk);
        self.raw.extend_from_slice(&chunk);
    }

    /// Takes in whatever output has arrived, without waiting.
    pub fn pump(&mut self) {
        while let Ok(chunk) = self.bytes.try_recv() {
            self.feed(chunk);
        }
    }

    pub fn text(&self) -> String {
        self.parser.screen().contents()
    }

    /// Feeds the screen until `wanted` holds for its text, or panics after `limit`.
    pub fn wait_for(
        &mut self,
        what: &str,
        limit: Duration,
        wanted: impl Fn(&str) -> bool,
    ) -> Duration {
        let start = Instant::now();
        loop {
            self.pump();
            let text = self.text();
            if wanted(&text) {
                // A frame may be half drawn: let it finish, then look again.
                let elapsed = start.elapsed();
                self.settle(Duration::from_millis(100));
                if wanted(&self.text()) {
                    return elapsed;
                }
                continue;
            }
            let left = limit
                .checked_sub(start.elapsed())
                .unwrap_or_else(|| panic!("timed out waiting for {what}; the screen was:\n{text}"));
            if let Ok(chunk) = self.bytes.recv_timeout(left.min(Duration::from_millis(20))) {
                self.feed(chunk);
            }
        }
    }

    /// Takes in output until none has come for `quiet` (at most two seconds).
    pub fn settle(&mut self, quiet: Duration) {
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            match self.bytes.recv_timeout(quiet) {
                Ok(chunk) => self.feed(chunk),
                Err(_) => return,
            }
        }
    }

    pub fn keys(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("keys");
        self.writer.flush().expect("flush");
    }

    /// Whether the program is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Presses `q` and waits (bounded) for a clean exit.
    pub fn quit(&mut self) {
        self.keys(b"q");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            self.pump();
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    self.exited = true;
                    assert!(status.success(), "dashboard exit status {status:?}");
                    return;
                }
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                other => panic!("the dashboard did not quit: {other:?}"),
            }
        }
    }
}

impl Drop for Dashboard {
    fn drop(&mut self) {
        if !self.exited {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs `cmd` with its output captured; kills it and fails the test if it runs past `limit`.
pub fn output_within(mut cmd: Command, limit: Duration) -> Output {
    use std::process::Stdio;
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = cmd.spawn().expect("spawn");
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(out) => out.expect("output"),
        Err(_) => {
            kill(pid);
            panic!("{cmd:?} did not finish within {limit:?}");
        }
    }
}

/// SIGKILL to one process.
pub fn kill(pid: u32) {
    // SAFETY: kill(2) with a pid this test spawned; no memory is involved.
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGKILL);
    }
}

/// SIGKILL to a whole process group (a shell and the command it is running).
pub fn kill_group(pgid: u32) {
    // SAFETY: killpg(2) on a group this test created; no memory is involved.
    unsafe {
        libc::killpg(pgid as libc::pid_t, libc::SIGKILL);
    }
}
