//! Whole-program figures for `benches/city.sh` (issues 7 and 16). Not a criterion benchmark: it
//! prints min / median / max over repeated runs, the way the issues ask for them.
//!
//! ```text
//! probe --db FILE [--runs N] [--only snapshot|keys|figures]  dashboard read, keystrokes
//! probe --db FILE --dashboard BIN [--runs N] [--readonly]  the real binary in a pseudo-terminal
//! probe                                                  (as `cargo bench` runs it) a quick self-check
//! ```
//!
//! In-process figures: the dashboard's read (`read_snapshot`, as the worker calls it, on a new
//! connection each run, as after start), the same read through the summaries (`load_day`, what
//! `read_snapshot` would take with the change proposed in BENCHMARKS.md), and each keystroke
//! handled and redrawn on a 160×45 test terminal. The process's peak RSS (VmHWM) is printed last.

#[path = "support/mod.rs"]
mod support;

use gongjian::dashboard::worker::read_snapshot;
use gongjian::indicators;
use gongjian::store::{Access, Store, load_day, load_sessions, read_thresholds};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use support::{spread, today};

struct Args {
    db: Option<PathBuf>,
    runs: usize,
    only: Option<String>,
    dashboard: Option<PathBuf>,
    readonly: bool,
}

fn args() -> Args {
    let mut out = Args {
        db: None,
        runs: 5,
        only: None,
        dashboard: None,
        readonly: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--db" => out.db = it.next().map(PathBuf::from),
            "--runs" => out.runs = it.next().and_then(|n| n.parse().ok()).unwrap_or(5),
            "--only" => out.only = it.next(),
            "--dashboard" => out.dashboard = it.next().map(PathBuf::from),
            "--readonly" => out.readonly = true,
            _ => {} // `cargo bench` passes --bench
        }
    }
    out
}

fn main() {
    let args = args();
    let Some(db) = args.db.clone() else {
        // `cargo bench`: a quick look at a small district, so the probe is known to work.
        let dir = tempfile::tempdir().expect("tempdir");
        let db = support::district(dir.path(), 20, 100, 20);
        in_process(&db, 3, None);
        return;
    };
    match &args.dashboard {
        Some(bin) => dashboard(bin, &db, args.runs, args.readonly),
        None => in_process(&db, args.runs, args.only.as_deref()),
    }
}

fn in_process(db: &Path, runs: usize, only: Option<&str>) {
    if only.is_none_or(|o| o == "snapshot") {
        let mut plain = Vec::new();
        for _ in 0..runs {
            let start = Instant::now();
            let store = Store::open(db, Access::ReadOnly).expect("open");
            read_snapshot(&store, Some(today())).expect("snapshot");
            plain.push(start.elapsed());
        }
        println!("read_snapshot (as in worker.rs): {} ms", spread(&plain));
        let (mut fast, mut figures, mut one_community) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..runs {
            let start = Instant::now();
            let store = Store::open(db, Access::ReadOnly).expect("open");
            let flagged = fast_snapshot(&store, false);
            figures.push(start.elapsed());
            // The sparklines of the community screen, for the community with most flags.
            let start = Instant::now();
            load_sessions(store.conn(), &flagged, today()).expect("sessions");
            one_community.push(start.elapsed());
            let start = Instant::now();
            let store = Store::open(db, Access::ReadOnly).expect("open");
            fast_snapshot(&store, true);
            fast.push(start.elapsed());
        }
        println!(
            "read_snapshot (proposed: figures through the summaries, no sessions): {} ms",
            spread(&figures)
        );
        println!(
            "  + sessions of one community's flagged projects (community screen): {} ms",
            spread(&one_community)
        );
        println!(
            "read_snapshot (summaries, with the sessions of every flagged project): {} ms",
            spread(&fast)
        );
    }
    if only == Some("figures") {
        // Only the proposed read, for profilers.
        let mut times = Vec::new();
        for _ in 0..runs {
            let start = Instant::now();
            let store = Store::open(db, Access::ReadOnly).expect("open");
            fast_snapshot(&store, false);
            times.push(start.elapsed());
        }
        println!("figures through the summaries: {} ms", spread(&times));
    }
    if only.is_none_or(|o| o == "keys") {
        let store = Store::open(db, Access::ReadOnly).expect("open");
        let snapshot = read_snapshot(&store, Some(today())).expect("snapshot");
        let communities = snapshot.report.communities.len();
        let mut app = support::app(snapshot);
        for (name, times) in support::time_keys(&mut app, runs.max(20)) {
            println!(
                "keystroke {name} ({communities} rows, 160x45): {} ms",
                spread(&times)
            );
        }
    }
    println!(
        "peak RSS (VmHWM): {} kB",
        vm_hwm(std::process::id()).unwrap_or(0)
    );
}

/// What `read_snapshot` does, through the summaries: every figure and, when `sessions`, the
/// sessions of every flagged project for the sparklines, in one read transaction. Returns the
/// flagged projects of the community with most of them.
fn fast_snapshot(store: &Store, sessions: bool) -> Vec<i64> {
    let conn = store.conn();
    let tx = conn.unchecked_transaction().expect("tx");
    let thresholds = read_thresholds(&tx).expect("thresholds");
    let day = load_day(&tx, today()).expect("day");
    let report = indicators::compute_day(&day, today(), &thresholds);
    if sessions {
        let flagged: Vec<i64> = report
            .communities
            .iter()
            .flat_map(|c| c.low_participation.iter().map(|p| p.project_id))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        load_sessions(&tx, &flagged, today()).expect("sessions");
    }
    tx.finish().expect("finish");
    report
        .communities
        .iter()
        .max_by_key(|c| c.low_participation.len())
        .map(|c| c.low_participation.iter().map(|p| p.project_id).collect())
        .unwrap_or_default()
}

fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// The real binary in a 160×45 pseudo-terminal: time to the first frame, to all figures on
/// screen, to a keystroke's redraw (sort), to another terminal's write being visible, and its
/// peak RSS.
fn dashboard(bin: &Path, db: &Path, runs: usize, readonly: bool) {
    let (mut first, mut all, mut keys, mut seen, mut rss) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows: 45,
                cols: 160,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(bin);
        cmd.args(["--today", support::TODAY, "--lang", "zh", "--db"]);
        cmd.arg(db);
        if readonly {
            cmd.arg("--readonly");
        }
        cmd.env("TERM", "xterm-256color");
        let started = Instant::now();
        let mut child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let pid = child.process_id().unwrap_or(0);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let mut writer = pair.master.take_writer().expect("writer");
        let (tx, rx) = mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || {
            let _master = pair.master;
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let mut parser = vt100::Parser::new(45, 160, 0);
        let wait = |parser: &mut vt100::Parser, wanted: &dyn Fn(&str) -> bool| {
            let limit = Instant::now() + Duration::from_secs(60);
            loop {
                if wanted(&parser.screen().contents()) {
                    return;
                }
                assert!(
                    Instant::now() < limit,
                    "timed out:\n{}",
                    parser.screen().contents()
                );
                if let Ok(chunk) = rx.recv_timeout(Duration::from_millis(5)) {
                    parser.process(&chunk);
                }
            }
        };
        wait(&mut parser, &|t| t.contains("共建"));
        first.push(started.elapsed());
        wait(&mut parser, &|t| t.contains("有预警社区"));
        all.push(started.elapsed());
        // Let the frame finish arriving, then sort by the next column: the header's sort label
        // changes from 预警 (alerts) to 街道 (street) in the same frame as the rows.
        while let Ok(chunk) = rx.recv_timeout(Duration::from_millis(300)) {
            parser.process(&chunk);
        }
        // The label is written with a full-width colon since the screens' rework.
        let sorted_by = |t: &str, key: &str| {
            t.contains(&format!("排序:{key}")) || t.contains(&format!("排序：{key}"))
        };
        assert!(sorted_by(&parser.screen().contents(), "预警"));
        let pressed = Instant::now();
        writer.write_all(b"s").expect("key");
        writer.flush().expect("flush");
        wait(&mut parser, &|t| sorted_by(t, "街道"));
        keys.push(pressed.elapsed());

        // Another terminal holds a quarterly meeting that was missing: the header's count of
        // missed meetings goes down by one. The meeting is taken away again afterwards, so the
        // file stays as generated.
        let missing = missed_meetings(&parser.screen().contents()).expect("header count");
        let other = rusqlite::Connection::open(db).expect("another connection");
        other
            .busy_timeout(Duration::from_secs(10))
            .expect("busy timeout");
        let community: i64 = other
            .query_row(
                "SELECT id FROM community c WHERE NOT EXISTS (SELECT 1 FROM meeting m
                   WHERE m.community_id = c.id AND m.kind = 'quarterly'
                     AND m.held_on BETWEEN '2026-01-01' AND '2026-03-31') ORDER BY id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .expect("a community that missed Q1");
        let written = Instant::now();
        other
            .execute(
                "INSERT INTO meeting (community_id, kind, held_on, note)
                 VALUES (?1, 'quarterly', '2026-02-15', 'benches/probe.rs')",
                [community],
            )
            .expect("insert meeting");
        let written_at = written.elapsed();
        let wanted = format!("未开例会 {}", missing - 1);
        wait(&mut parser, &|t| t.contains(&wanted));
        seen.push(written.elapsed() - written_at);
        other
            .execute("DELETE FROM meeting WHERE note = 'benches/probe.rs'", [])
            .expect("delete meeting");
        let back = format!("未开例会 {missing}");
        wait(&mut parser, &|t| t.contains(&back));

        rss.push(vm_hwm(pid).unwrap_or(0));
        writer.write_all(b"q").expect("quit");
        writer.flush().expect("flush");
        child.wait().expect("exit");
    }
    println!("dashboard first frame: {} ms", spread(&first));
    println!("dashboard all figures on screen: {} ms", spread(&all));
    println!(
        "dashboard keystroke (s: sort) redrawn, seen through the pty: {} ms",
        spread(&keys)
    );
    println!(
        "dashboard: another connection's write (a quarterly meeting) visible: {} ms",
        spread(&seen)
    );
    rss.sort_unstable();
    println!(
        "dashboard peak RSS (VmHWM): {} / {} / {} kB",
        rss[0],
        rss[rss.len() / 2],
        rss[rss.len() - 1]
    );
}

/// The header's count of missed quarterly meetings (`未开例会 N`).
fn missed_meetings(screen: &str) -> Option<u32> {
    let rest = &screen[screen.find("未开例会 ")? + "未开例会 ".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}
