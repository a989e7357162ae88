//! Killed writers: a shell logging activities through `gongjian adjust activity` in a loop is
//! killed with SIGKILL (with the `gongjian` it is running) at a random moment, 50 times. Every
//! adjustment that reported success (printed its id) must be in the file, none may be half
//! written (an activity without its log entry, or the reverse), and the file must stay sound.
#![cfg(unix)]

mod support;

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{Guard, Rng, TODAY};

#[test]
fn writers_killed_at_random_moments_leave_no_half_written_change() {
    killed_writers(50);
}

/// The soak: `cargo test --test killed -- --ignored`.
#[test]
#[ignore = "soak: 1000 kills"]
fn soak_a_thousand_kills() {
    killed_writers(1_000);
}

fn killed_writers(kills: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = support::demo(dir.path(), "killed.db");
    let first_new = support::max_activity(&db);
    let projects = support::projects_taking_activities(&db, "2026-11-20");
    let mut rng = Rng::from_env("killed");
    let started = Instant::now();

    let mut reported: Vec<i64> = Vec::new();
    let mut lost_mid_run = 0;
    for round in 0..kills {
        let project = projects[round % projects.len()];
        // The loop's own counter goes into the reason, so each entry is traceable to its run.
        let script = format!(
            r#"i=0; while [ $i -lt 400 ]; do i=$((i+1)); "$GJ" --db "$DB" --today {TODAY} adjust activity --project {project} --held-on 2026-11-20 --planned 30 --actual $((i % 31)) --reason "kill-{round}-$i" --operator 测试 || exit 3; done"#
        );
        let mut cmd = Command::new("sh");
        cmd.args(["-c", &script])
            .env("GJ", env!("CARGO_BIN_EXE_gongjian"))
            .env("DB", &db)
            .env_remove("GONGJIAN_LANG")
            .env_remove("GONGJIAN_OPERATOR")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own process group, so that one signal reaches the shell and its gongjian.
            .process_group(0);
        let mut guard = Guard::new(cmd.spawn().expect("spawn the loop"));
        let pid = guard.child().id();
        // From "just started" to "a few writes in": the kill lands anywhere in a write.
        std::thread::sleep(Duration::from_micros(rng.between(2_000, 60_000)));
        support::kill_group(pid);
        let mut child = guard.take();
        let mut out = String::new();
        let mut err = String::new();
        child
            .stdout
            .take()
            .expect("stdout")
            .read_to_string(&mut out)
            .expect("read stdout");
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut err)
            .expect("read stderr");
        let status = child.wait().expect("reap");
        assert!(
            status.code() != Some(3),
            "a write failed before the kill (round {round}): {err}"
        );
        // Only whole lines count: a kill may cut the last one short.
        let complete = out.rsplit_once('\n').map_or("", |(lines, _)| lines);
        for line in complete.lines() {
            reported.push(line.trim().parse().expect("an id per line"));
        }
        if !out.is_empty() && !out.ends_with('\n') {
            lost_mid_run += 1;
        }
    }

    // The next program to open the file recovers it; then everything is checked.
    let out = support::run(&db, &["report", "--format", "json"]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    support::assert_sound(&db);
    let added = support::assert_activities_match_log(&db, first_new);
    let conn = rusqlite::Connection::open(&db).expect("open");
    for id in &reported {
        let found: bool = conn
            .query_row(
                "SELECT count(*) FROM adjustment WHERE id = ?1 AND action = 'activity'
                   AND reason LIKE 'kill-%'",
                [id],
                |r| r.get::<_, i64>(0).map(|n| n == 1),
            )
            .expect("query");
        assert!(found, "entry #{id} reported saved but missing");
    }
    let entries: i64 = conn
        .query_row("SELECT count(*) FROM adjustment", [], |r| r.get(0))
        .expect("count");
    drop(conn);
    assert!(entries >= reported.len() as i64);
    assert_eq!(entries, added, "one log entry per activity");
    eprintln!(
        "killed: {kills} kills; {} writes reported saved, all present; {entries} in the file \
         ({} committed but killed before printing their id{}); integrity ok; took {:?}",
        reported.len(),
        entries - reported.len() as i64,
        if lost_mid_run > 0 {
            format!(", {lost_mid_run} ids cut mid-line")
        } else {
            String::new()
        },
        started.elapsed()
    );
}
