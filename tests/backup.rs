//! `gongjian backup FILE` while another process keeps writing: every copy is one consistent,
//! self-contained file that passes `integrity_check`, holds a whole number of adjustments
//! (each change with its log entry), and opens in gongjian; the writer is never held up.
#![cfg(unix)]

mod support;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use support::{TODAY, bin, output_within};

fn count(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row(sql, [], |r| r.get(0)).expect("count")
}

#[test]
fn backups_taken_while_a_writer_works_are_consistent_and_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = support::demo(dir.path(), "office.db");
    let first_new = support::max_activity(&db);
    let project = support::projects_taking_activities(&db, "2026-11-27")[0].to_string();
    let started = Instant::now();

    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, stop, project) = (db.clone(), Arc::clone(&stop), project.clone());
        std::thread::spawn(move || {
            let mut done = 0;
            let deadline = Instant::now() + Duration::from_secs(60);
            while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                let mut cmd = bin();
                cmd.arg("--db").arg(&db).args([
                    "--today",
                    TODAY,
                    "adjust",
                    "activity",
                    "--project",
                    &project,
                    "--held-on",
                    "2026-11-27",
                    "--planned",
                    "40",
                    "--actual",
                    "33",
                    "--reason",
                    "备份期间",
                    "--operator",
                    "写入者",
                ]);
                let out = output_within(cmd, Duration::from_secs(30));
                assert!(out.status.success(), "{}", support::stderr(&out));
                done += 1;
            }
            done
        })
    };

    let mut copies = Vec::new();
    for n in 0..6 {
        std::thread::sleep(Duration::from_millis(60));
        let copy = dir.path().join(format!("copy-{n}.db"));
        let before = count(&db, "SELECT count(*) FROM adjustment");
        let took = Instant::now();
        let out = support::run(&db, &["backup", copy.to_str().expect("utf-8")]);
        let took = took.elapsed();
        assert!(out.status.success(), "{}", support::stderr(&out));
        assert!(
            support::stdout(&out).contains("完整性检查通过"),
            "{}",
            support::stdout(&out)
        );
        let after = count(&db, "SELECT count(*) FROM adjustment");
        copies.push((copy, before, after, took));
    }
    stop.store(true, Ordering::Relaxed);
    let writes = writer.join().expect("writer");

    let mut sizes = Vec::new();
    for (copy, before, after, took) in &copies {
        // One self-contained file, in rollback-journal mode.
        for side in ["-wal", "-shm", "-journal"] {
            let mut name = copy.as_os_str().to_owned();
            name.push(side);
            assert!(!Path::new(&name).exists(), "{name:?} left beside the copy");
        }
        let conn = rusqlite::Connection::open(copy).expect("open the copy");
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("mode");
        assert_eq!(mode, "delete");
        drop(conn);
        support::assert_sound(copy);
        // The file as it stood at one moment: between the counts read around the backup, and
        // every change with its log entry.
        let entries = count(copy, "SELECT count(*) FROM adjustment");
        assert!(
            (*before..=*after).contains(&entries),
            "{entries} entries, not between {before} and {after}"
        );
        let added = support::assert_activities_match_log(copy, first_new);
        assert_eq!(added, entries);
        let out = support::run(copy, &["report", "--format", "json"]);
        assert!(out.status.success(), "{}", support::stderr(&out));
        sizes.push(format!("{entries} entries in {took:?}"));
    }
    // The original is untouched by the backups and still sound.
    support::assert_sound(&db);
    assert_eq!(count(&db, "SELECT count(*) FROM adjustment"), writes);
    eprintln!(
        "backup: {} copies while a writer saved {writes} activities ({}); every copy consistent and checked; took {:?}",
        copies.len(),
        sizes.join(", "),
        started.elapsed()
    );
}
