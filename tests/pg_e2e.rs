//! The real binary on a PostgreSQL database in an 80×24 pseudo-terminal, in Chinese: the
//! figures, another client's write appearing without a key press, a lost
//! connection said in the header while the figures stay, the recovery, and a clean quit.

mod pg_server;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Generous: the machine is shared; nothing here measures time.
const PATIENCE: Duration = Duration::from_secs(60);

struct Screen {
    parser: vt100::Parser,
    bytes: mpsc::Receiver<Vec<u8>>,
}

impl Screen {
    /// Feeds the parser until `wanted` holds for the screen's text, or panics after
    /// [`PATIENCE`].
    fn wait_for(&mut self, what: &str, wanted: impl Fn(&str) -> bool) {
        let start = Instant::now();
        loop {
            let text = self.parser.screen().contents();
            if wanted(&text) {
                return;
            }
            let left = PATIENCE
                .checked_sub(start.elapsed())
                .unwrap_or_else(|| panic!("timed out waiting for {what}; the screen was:\n{text}"));
            if let Ok(chunk) = self.bytes.recv_timeout(left.min(Duration::from_millis(50))) {
                self.parser.process(&chunk);
            }
        }
    }
}

#[test]
fn the_dashboard_on_a_server_in_a_pseudo_terminal() {
    let Some(db) = pg_server::fresh_db() else {
        return;
    };
    let server = pg_server::server().expect("server");
    let name = db.rsplit('/').next().expect("name").to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongjian"))
        .args(["--today", "2026-11-28", "init", &db, "--demo"])
        .env_remove("GONGJIAN_DB")
        .output()
        .expect("init");
    assert!(out.status.success(), "{out:?}");

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
    cmd.args(["--today", "2026-11-28", "--lang", "zh"]);
    // The address in the environment, as a terminal's profile would set it.
    cmd.env("GONGJIAN_DB", &db);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("GONGJIAN_LANG");
    cmd.env_remove("NO_COLOR");
    cmd.env(
        "XDG_CONFIG_HOME",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("pg-config"),
    );
    let mut child = pair.slave.spawn_command(cmd).expect("spawn");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let mut writer = pair.master.take_writer().expect("writer");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _master = pair.master;
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut screen = Screen {
        parser: vt100::Parser::new(24, 80, 0),
        bytes: rx,
    };

    screen.wait_for("the figures", |t| {
        t.contains("青石社区") && t.contains("有预警社区 11/13")
    });
    let text = screen.parser.screen().contents();
    assert!(!text.contains("[只读]"), "{text}");
    assert!(text.contains(&format!("{name}@local")), "{text}");

    // Another client renames a community: it appears without a key press.
    server.psql(
        &name,
        "UPDATE community SET name = '青石新社区' WHERE id = 1",
    );
    screen.wait_for("the other client's write", |t| t.contains("青石新社区"));

    // The connection is ended and connecting again is refused for a while: the header says so
    // and the figures stay.
    server.psql(
        "postgres",
        &format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"),
    );
    server.psql(
        "postgres",
        &format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        ),
    );
    screen.wait_for("the lost connection's notice", |t| {
        t.contains("与数据库的连接已断开，正在重连…") && t.contains("青石新社区")
    });
    // Connections allowed again: it recovers by itself.
    server.psql(
        "postgres",
        &format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"),
    );
    screen.wait_for("the recovery", |t| {
        !t.contains("正在重连") && t.contains("青石新社区")
    });
    // And listens again.
    server.psql(&name, "UPDATE community SET name = '青石社区' WHERE id = 1");
    screen.wait_for("a write after the recovery", |t| {
        t.contains("青石社区") && !t.contains("青石新社区")
    });

    writer.write_all(b"q").expect("quit");
    let status = child.wait().expect("exit");
    assert!(status.success(), "exit status {status:?}");
}
