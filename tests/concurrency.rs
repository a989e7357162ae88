//! Several terminals on one file: 4 processes each logging 250 activities through
//! `gongjian adjust activity`, 2 processes running `report --format json` in a loop, and a
//! dashboard open in a pseudo-terminal, all at once. Every write that exited 0 must be in the
//! file with its log entry, no write or report may fail, and the file must stay sound.
#![cfg(unix)]

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use support::{Dashboard, TODAY, bin, output_within};

/// One `adjust activity` as asked and as answered.
#[derive(Debug)]
struct Attempt {
    project: i64,
    held_on: String,
    planned: i64,
    actual: i64,
    operator: String,
    reason: String,
    code: Option<i32>,
    id: Option<i64>,
    stderr: String,
}

fn write_loop(db: &Path, writer: usize, count: usize, projects: &[i64]) -> Vec<Attempt> {
    (0..count)
        .map(|k| {
            let project = projects[(writer * 7 + k * 3) % projects.len()];
            let held_on = format!("2026-11-{:02}", 1 + (k + writer) % 27);
            let planned = 10 + (k % 40) as i64;
            let actual = ((k * 7 + writer) % 45) as i64;
            let operator = format!("写入者{writer}");
            let reason = format!("并发记录 w{writer} #{k}");
            let mut cmd = bin();
            cmd.arg("--db")
                .arg(db)
                .args(["--today", TODAY, "adjust", "activity"])
                .args(["--project", &project.to_string()])
                .args(["--held-on", &held_on])
                .args(["--planned", &planned.to_string()])
                .args(["--actual", &actual.to_string()])
                .args(["--reason", &reason])
                .args(["--operator", &operator]);
            let out = output_within(cmd, Duration::from_secs(30));
            let text = String::from_utf8_lossy(&out.stdout);
            Attempt {
                project,
                held_on,
                planned,
                actual,
                operator,
                reason,
                code: out.status.code(),
                id: text.trim().parse().ok(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            }
        })
        .collect()
}

/// Runs `report --format json` until told to stop; returns (runs, failures).
fn report_loop(db: &Path, stop: &AtomicBool, deadline: Instant) -> (usize, Vec<String>) {
    let mut runs = 0;
    let mut failures = Vec::new();
    while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
        let mut cmd = bin();
        cmd.arg("--db")
            .arg(db)
            .args(["--today", TODAY, "report", "--format", "json"]);
        let out = output_within(cmd, Duration::from_secs(30));
        runs += 1;
        let parsed: Option<serde_json::Value> = serde_json::from_slice(&out.stdout).ok();
        let communities = parsed
            .as_ref()
            .and_then(|v| v["communities"].as_array())
            .map_or(0, Vec::len);
        if !out.status.success() || communities != 13 {
            failures.push(format!(
                "exit {:?}, {communities} communities: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    (runs, failures)
}

/// The dashboard's header line for the figures of a JSON report.
fn header_numbers(report: &serde_json::Value) -> String {
    let all = report["communities"].as_array().expect("communities");
    let flagged = all
        .iter()
        .filter(|c| c["alerts"].as_i64() > Some(0))
        .count();
    let len = |c: &serde_json::Value, key: &str| c[key].as_array().map_or(0, Vec::len);
    let overdue: usize = all.iter().map(|c| len(c, "overdue")).sum();
    let missing: i64 = all
        .iter()
        .map(|c| c["meetings"]["missing"].as_i64().unwrap_or(0))
        .sum();
    let projects: usize = all.iter().map(|c| len(c, "low_participation")).sum();
    format!(
        "有预警社区 {flagged}/{}  逾期项目 {overdue}  未开例会 {missing}  参与率预警项目 {projects}",
        all.len()
    )
}

fn several_writers_readers_and_a_dashboard(writers: usize, writes_each: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db: PathBuf = support::demo(dir.path(), "shared.db");
    let first_new = support::max_activity(&db);
    let projects = support::projects_taking_activities(&db, "2026-11-27");
    let started = Instant::now();

    let mut dashboard = Dashboard::spawn(&db, &[], 24, 80);
    dashboard.wait_for("the dashboard's figures", Duration::from_secs(20), |t| {
        t.contains("有预警社区")
    });

    let stop = Arc::new(AtomicBool::new(false));
    let deadline =
        Instant::now() + Duration::from_secs(20 + 2 * (writers * writes_each) as u64 / 10);
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (db, stop) = (db.clone(), Arc::clone(&stop));
            std::thread::spawn(move || report_loop(&db, &stop, deadline))
        })
        .collect();
    let writing = Instant::now();
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let (db, projects) = (db.clone(), projects.clone());
            std::thread::spawn(move || write_loop(&db, w, writes_each, &projects))
        })
        .collect();
    let attempts: Vec<Attempt> = handles
        .into_iter()
        .flat_map(|h| h.join().expect("writer thread"))
        .collect();
    let write_time = writing.elapsed();
    stop.store(true, Ordering::Relaxed);
    let mut report_runs = 0;
    let mut report_failures = Vec::new();
    for r in readers {
        let (runs, failures) = r.join().expect("reader thread");
        report_runs += runs;
        report_failures.extend(failures);
    }

    // The dashboard saw the end state by itself, and never said it could not refresh.
    let last = support::run(&db, &["report", "--format", "json"]);
    let last: serde_json::Value = serde_json::from_slice(&last.stdout).expect("json");
    let wanted = header_numbers(&last);
    let what = format!("the final figures, {wanted}");
    let caught_up = dashboard.wait_for(&what, Duration::from_secs(10), |t| t.contains(&wanted));
    assert!(dashboard.alive(), "the dashboard is still running");
    let raw = String::from_utf8_lossy(&dashboard.raw).into_owned();
    assert!(
        !raw.contains("未能刷新"),
        "the dashboard failed a refresh:\n{}",
        dashboard.text()
    );
    dashboard.quit();

    let failed: Vec<&Attempt> = attempts
        .iter()
        .filter(|a| a.code != Some(0) || a.id.is_none())
        .collect();
    let succeeded = attempts.len() - failed.len();
    assert!(
        failed.is_empty(),
        "{} writes failed, e.g. {:?}: {}",
        failed.len(),
        failed.first(),
        failed.first().map_or("", |a| a.stderr.as_str())
    );
    assert!(
        report_failures.is_empty(),
        "{} of {report_runs} reports failed, e.g. {}",
        report_failures.len(),
        report_failures[0]
    );

    // Every write that said so is in the file, with its log entry, exactly as asked.
    let conn = rusqlite::Connection::open(&db).expect("open");
    let mut present = 0;
    for a in attempts.iter().filter(|a| a.id.is_some()) {
        let id = a.id.expect("id");
        let row = conn
            .query_row(
                "SELECT j.project_id, j.operator, j.reason, a.held_on, a.planned, a.actual
                 FROM adjustment j JOIN activity a
                   ON a.id = json_extract(j.after, '$.activity.id')
                 WHERE j.id = ?1 AND j.action = 'activity'",
                [id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, i64>(5)?,
                    ))
                },
            )
            .unwrap_or_else(|e| panic!("entry #{id} of {a:?}: {e}"));
        assert_eq!(
            row,
            (
                a.project,
                a.operator.clone(),
                a.reason.clone(),
                a.held_on.clone(),
                a.planned,
                a.actual
            ),
            "entry #{id}"
        );
        present += 1;
    }
    let entries: i64 = conn
        .query_row("SELECT count(*) FROM adjustment", [], |r| r.get(0))
        .expect("count");
    drop(conn);
    assert_eq!(entries, succeeded as i64, "no write beyond those reported");
    let added = support::assert_activities_match_log(&db, first_new);
    assert_eq!(added, succeeded as i64);
    support::assert_sound(&db);

    eprintln!(
        "concurrency: {writers} writers x {writes_each}: writes attempted {}, succeeded {succeeded}, present {present}; \
         {report_runs} reports, {} failed; dashboard caught up {caught_up:?} after the last write; \
         writing took {write_time:?} ({:.1} ms per write in each writer), whole test {:?}",
        attempts.len(),
        report_failures.len(),
        write_time.as_secs_f64() * 1000.0 / (writes_each as f64),
        started.elapsed()
    );
}

#[test]
fn four_writers_two_reporters_and_a_dashboard_lose_nothing() {
    several_writers_readers_and_a_dashboard(4, 250);
}

/// The soak: `cargo test --release --test concurrency -- --ignored` (about 4 times longer).
#[test]
#[ignore = "soak: 4 x 1000 writes"]
fn soak_four_writers_a_thousand_writes_each() {
    several_writers_readers_and_a_dashboard(4, 1000);
}

/// The dashboard keeps two connections to the file in one process (its reader and its
/// writer). Opening the second must not drop the first one's locks: if it did, another
/// process closing the file would take itself for the last user, fold the WAL in and delete
/// it, and this process would read a stale copy and write into a deleted file (writes lost).
#[test]
fn two_connections_in_one_process_keep_seeing_and_keeping_commits() {
    use gongjian::store::{Access, Store};
    let dir = tempfile::tempdir().expect("tempdir");
    let db = support::demo(dir.path(), "two.db");
    let reader = Store::open(&db, Access::ReadOnly).expect("reader");
    let mut writer = Store::open(&db, Access::ReadWrite).expect("writer");
    let count = |store: &Store| -> i64 {
        store
            .conn()
            .query_row("SELECT count(*) FROM street", [], |r| r.get(0))
            .expect("count")
    };
    let before = count(&reader);
    for round in 0..3 {
        // Another process writes and exits (closing its connection).
        let out = support::run(
            &db,
            &[
                "adjust",
                "meeting",
                "--community",
                "1",
                "--kind",
                "other",
                "--held-on",
                "2026-11-02",
                "--reason",
                "别的终端",
                "--operator",
                "乙",
            ],
        );
        assert!(out.status.success(), "{}", support::stderr(&out));
        let seen: i64 = reader
            .conn()
            .query_row("SELECT count(*) FROM adjustment", [], |r| r.get(0))
            .expect("entries");
        assert_eq!(
            seen,
            2 * round + 1,
            "the reader sees the other process's write"
        );
        writer
            .write(|tx| {
                Ok(tx.execute(
                    "INSERT INTO adjustment (at, operator, action, reason) VALUES ('2026-11-28T00:00:00Z', '甲', 'note', '本终端')",
                    [],
                )?)
            })
            .expect("own write");
        assert_eq!(count(&reader), before);
    }
    drop((reader, writer));
    let conn = rusqlite::Connection::open(&db).expect("fresh");
    let (others, own): (i64, i64) = conn
        .query_row(
            "SELECT sum(operator = '乙'), sum(operator = '甲') FROM adjustment",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("entries");
    assert_eq!(
        (others, own),
        (3, 3),
        "every write of both processes survived"
    );
    drop(conn);
    support::assert_sound(&db);
}
