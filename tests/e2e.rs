//! The real binary in a pseudo-terminal: start, read the screen, open a community, see another
//! process's write appear without a key press, quit with status 0.

mod common;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Screen {
    parser: vt100::Parser,
    bytes: mpsc::Receiver<Vec<u8>>,
}

impl Screen {
    /// Feeds the parser until `wanted` holds for the screen's text, or panics after `limit`.
    fn wait_for(&mut self, what: &str, limit: Duration, wanted: impl Fn(&str) -> bool) -> Duration {
        let start = Instant::now();
        loop {
            let text = self.parser.screen().contents();
            if wanted(&text) {
                return start.elapsed();
            }
            let left = limit
                .checked_sub(start.elapsed())
                .unwrap_or_else(|| panic!("timed out waiting for {what}; the screen was:\n{text}"));
            if let Ok(chunk) = self.bytes.recv_timeout(left.min(Duration::from_millis(50))) {
                self.parser.process(&chunk);
            }
        }
    }
}

fn demo(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("e2e.db");
    let out = common::bin()
        .args(["--today", "2026-11-28", "init", "--demo"])
        .arg(&path)
        .output()
        .expect("init");
    assert!(out.status.success());
    path
}

/// The dashboard on `db` in an 80x24 pseudo-terminal: its screen, its keyboard, its process.
fn spawn(
    db: &Path,
    extra: &[&str],
) -> (
    Screen,
    Box<dyn Write + Send>,
    Box<dyn portable_pty::Child + Send + Sync>,
) {
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_gongjian"));
    cmd.args(["--today", "2026-11-28", "--db"]);
    cmd.arg(db);
    cmd.args(extra);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("GONGJIAN_LANG");
    cmd.env_remove("GONGJIAN_OPERATOR");
    cmd.env_remove("NO_COLOR");
    cmd.env(
        "XDG_CONFIG_HOME",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("config"),
    );
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
    let screen = Screen {
        parser: vt100::Parser::new(24, 80, 0),
        bytes: rx,
    };
    (screen, writer, child)
}

#[test]
fn dashboard_in_a_pseudo_terminal_sees_another_process_write_and_quits_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo(dir.path());
    let started = Instant::now();
    let (mut screen, mut writer, mut child) = spawn(&db, &[]);

    screen.wait_for("the first frame", Duration::from_secs(20), |t| {
        t.contains("共建")
    });
    let first_frame = started.elapsed();
    screen.wait_for("the figures", Duration::from_secs(20), |t| {
        t.contains("青石社区") && t.contains("有预警社区 11/13")
    });
    let all_figures = started.elapsed();

    // The worst community is on top; Enter opens it.
    writer.write_all(b"\r").expect("enter");
    screen.wait_for("the community screen", Duration::from_secs(10), |t| {
        t.contains("南岭街道 / 青石社区") && t.contains("季度例会 未开 2")
    });

    // Another process records the missing Q1 meeting: the panel changes by itself.
    let conn = rusqlite::Connection::open(&db).expect("other writer");
    let committed = Instant::now();
    conn.execute(
        "INSERT INTO meeting (community_id, kind, held_on, attendees, note) VALUES (11, 'quarterly', '2026-02-20', 12, 'e2e')",
        [],
    )
    .expect("insert");
    let refresh = screen.wait_for("the other process's write", Duration::from_secs(5), |t| {
        t.contains("季度例会 未开 1")
    });
    drop(conn);

    // The help pop-up opens over the panels' Chinese names, which start at column 1 and so
    // lie half under its left border (column 2): the border is drawn on every row.
    let wide_at_1 = (0..24u16)
        .filter(|&row| {
            screen
                .parser
                .screen()
                .cell(row, 1)
                .is_some_and(|c| c.is_wide())
        })
        .count();
    assert!(wide_at_1 >= 3, "Chinese text under the pop-up's edge");
    writer.write_all(b"?").expect("help");
    screen.wait_for("the help", Duration::from_secs(10), |t| {
        t.contains("关闭帮助")
    });
    std::thread::sleep(Duration::from_millis(300));
    while let Ok(chunk) = screen.bytes.try_recv() {
        screen.parser.process(&chunk);
    }
    let vt = screen.parser.screen();
    let top = (0..24u16)
        .find(|&row| vt.cell(row, 2).is_some_and(|c| c.contents() == "┌"))
        .expect("the pop-up's top-left corner at column 2");
    let bottom = (top..24u16)
        .find(|&row| vt.cell(row, 2).is_some_and(|c| c.contents() == "└"))
        .expect("the pop-up's bottom-left corner");
    assert!(bottom > top + 5, "a pop-up of several rows");
    for row in top + 1..bottom {
        let left = vt.cell(row, 2).map(|c| c.contents()).unwrap_or_default();
        assert_eq!(left, "│", "left border at row {row}:\n{}", vt.contents());
        // The cell left of the border holds no glyph reaching into the pop-up.
        let outside = vt.cell(row, 1).expect("cell");
        assert!(
            !outside.is_wide(),
            "a wide glyph under the border at row {row}"
        );
        let right = vt.cell(row, 77).map(|c| c.contents()).unwrap_or_default();
        assert!(
            right == "│" || right == "█",
            "right border at row {row}: {right:?}\n{}",
            vt.contents()
        );
    }
    writer.write_all(b"\x1b").expect("close help");
    screen.wait_for("the help closed", Duration::from_secs(10), |t| {
        !t.contains("关闭帮助")
    });

    writer.write_all(b"\x1b").expect("esc");
    screen.wait_for("the overview again", Duration::from_secs(10), |t| {
        t.contains("排序：预警")
    });
    writer.write_all(b"q").expect("quit");
    let status = child.wait().expect("exit");
    assert!(status.success(), "exit status {status:?}");
    eprintln!(
        "e2e timings (debug build): first frame {first_frame:?}, all figures {all_figures:?}, another terminal's write visible after {refresh:?} (since commit {:?})",
        committed.elapsed()
    );
}

/// A street office's terminal: `--street 西江` shows that street and its totals, and the next
/// start without the flag shows it again; `--street all` shows the district.
#[test]
fn the_terminals_street_is_shown_and_remembered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo(dir.path());
    for (args, street) in [
        (&["--street", "西江"][..], true),
        (&[][..], true),
        (&["--street", "all"][..], false),
        (&[][..], false),
    ] {
        let (mut screen, mut writer, mut child) = spawn(&db, args);
        screen.wait_for("the figures", Duration::from_secs(20), |t| {
            t.contains("有预警社区")
        });
        let text = screen.parser.screen().contents();
        if street {
            assert!(text.contains("[西江街道]"), "{args:?}\n{text}");
            assert!(!text.contains("青石社区"), "{args:?}\n{text}");
            assert!(text.contains("有预警社区 4/5"), "{args:?}\n{text}");
        } else {
            assert!(text.contains("有预警社区 11/13"), "{args:?}\n{text}");
            assert!(!text.contains("[西江街道]"), "{args:?}\n{text}");
        }
        writer.write_all(b"q").expect("quit");
        let status = child.wait().expect("exit");
        assert!(status.success(), "exit status {status:?}");
    }
}

#[test]
fn an_adjustment_made_on_the_screens_is_in_the_file_with_its_log_entry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo(dir.path());
    let (mut screen, mut writer, mut child) = spawn(&db, &["--operator", "李明"]);
    screen.wait_for("the figures", Duration::from_secs(20), |t| {
        t.contains("青石社区")
    });
    let mut keys = |bytes: &[u8]| {
        writer.write_all(bytes).expect("keys");
        writer.flush().expect("flush");
    };
    keys(b"\r"); // open 青石社区
    screen.wait_for("the community", Duration::from_secs(10), |t| {
        t.contains("逾期项目 4")
    });
    keys(b"\t"); // the overdue panel
    keys(b"a");
    screen.wait_for("the menu", Duration::from_secs(10), |t| {
        t.contains("记录活动")
    });
    keys(b"\r"); // 改期
    screen.wait_for("the form", Duration::from_secs(10), |t| {
        t.contains("调整原因")
    });
    keys(b"\x15"); // Ctrl-U
    keys(b"2027-06-30\t");
    keys("错峰值班，延后".as_bytes());
    keys(b"\r");
    screen.wait_for("the preview", Duration::from_secs(10), |t| {
        t.contains("2025-10-31 → 2027-06-30")
    });
    keys(b"\r");
    screen.wait_for("the save", Duration::from_secs(10), |t| {
        t.contains("已保存，调整记录 #1")
    });
    screen.wait_for("the new figures", Duration::from_secs(10), |t| {
        t.contains("逾期项目 3")
    });
    keys(b"q");
    assert!(child.wait().expect("exit").success());

    let conn = rusqlite::Connection::open(&db).expect("open");
    let due: String = conn
        .query_row("SELECT due_on FROM project WHERE id = 120", [], |r| {
            r.get(0)
        })
        .expect("due");
    assert_eq!(due, "2027-06-30");
    let (operator, reason, before, after): (String, String, String, String) = conn
        .query_row(
            "SELECT operator, reason, before, after FROM adjustment",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("one entry");
    assert_eq!(operator, "李明");
    assert_eq!(reason, "错峰值班，延后");
    assert!(
        before.contains("2025-10-31") && after.contains("2027-06-30"),
        "{before} {after}"
    );
}

#[test]
fn a_bad_file_is_refused_before_the_screen_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("notes.db");
    std::fs::write(&path, "not a database").expect("write");
    let out = common::bin().arg("--db").arg(&path).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("不是 SQLite 数据库文件"), "{stderr}");
    assert_eq!(std::fs::read(&path).expect("bytes"), b"not a database");
}

#[test]
fn a_weekly_review_through_the_real_binary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo(dir.path());
    let (mut screen, mut writer, mut child) = spawn(&db, &["--operator", "周主任", "review"]);
    let mut keys = |bytes: &[u8]| {
        writer.write_all(bytes).expect("keys");
        writer.flush().expect("flush");
    };
    screen.wait_for("the review", Duration::from_secs(20), |t| {
        t.contains("周例会回顾  1/11") && t.contains("青石社区")
    });
    keys(b"d");
    screen.wait_for("the decision form", Duration::from_secs(10), |t| {
        t.contains("记录督办事项")
    });
    keys("补开季度例会".as_bytes());
    keys(b"\t");
    keys("王书记".as_bytes());
    keys(b"\r");
    screen.wait_for("the decision's preview", Duration::from_secs(10), |t| {
        t.contains("请确认以下内容") && t.contains("责任人：王书记")
    });
    keys(b"\r");
    screen.wait_for("the decision", Duration::from_secs(10), |t| {
        t.contains("督办事项已记录")
    });
    keys(b"n");
    screen.wait_for("the next community", Duration::from_secs(10), |t| {
        t.contains("2/11")
    });
    keys(b"q");
    screen.wait_for("the summary", Duration::from_secs(10), |t| {
        t.contains("周例会回顾已结束")
    });
    keys(b"e");
    screen.wait_for("the minutes", Duration::from_secs(10), |t| {
        t.contains("会议纪要已保存")
    });
    keys(b"\x1b");
    screen.wait_for("the overview", Duration::from_secs(10), |t| {
        t.contains("排序：预警")
    });
    keys(b"q");
    assert!(child.wait().expect("exit").success());

    let minutes = std::fs::read_to_string(dir.path().join("会议纪要-2026-11-28.md"))
        .expect("minutes beside the file");
    assert!(minutes.contains("补开季度例会") && minutes.contains("王书记"));
    let conn = rusqlite::Connection::open(&db).expect("open");
    let items: i64 = conn
        .query_row("SELECT count(*) FROM review_item", [], |r| r.get(0))
        .expect("items");
    assert_eq!(
        items, 1,
        "the first covered (a decision, then n); the second was only looked at"
    );
}
