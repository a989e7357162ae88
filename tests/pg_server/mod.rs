//! A private PostgreSQL server for the tests: `initdb` into a temporary folder, started on a
//! Unix socket in a temporary folder (no TCP), one per test binary, each test in a database of
//! its own. When the test binary ends, a watchdog stops the server and removes its folders.
//!
//! The server refuses to run as root: as root it is run as the `postgres` account (which the
//! server's packages create). Without PostgreSQL a test prints that it was skipped, on the
//! terminal and not in the captured output, and passes; in CI (`CI=true`) it fails instead.
#![allow(dead_code)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Server {
    /// The folder of the server's socket.
    pub socket_dir: PathBuf,
    pub port: u16,
    /// Run the server's tools as this account (`None`: as ourselves).
    run_as: Option<String>,
    bin: PathBuf,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
static TLS_SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

/// A server's certificate and key (PEM) for encrypted connections.
pub struct TlsFiles<'a> {
    pub cert: &'a str,
    pub key: &'a str,
}
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

/// The server, started on first use; `None` (after saying why) when there is none here.
pub fn server() -> Option<&'static Server> {
    present(SERVER.get_or_init(|| start(None)))
}

/// A second server that also listens on TCP at 127.0.0.1 (its `port`) and offers encryption
/// with `tls` (the first call's files are used for the whole test binary).
pub fn tls_server(tls: &TlsFiles) -> Option<&'static Server> {
    present(TLS_SERVER.get_or_init(|| start(Some(tls))))
}

fn present(started: &'static Result<Server, String>) -> Option<&'static Server> {
    match started {
        Ok(server) => Some(server),
        Err(why) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("PostgreSQL is required in CI: {why}");
            }
            // Straight to the terminal: a skipped test must say so even when it passes.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED (no PostgreSQL server for the tests): {why}"
            );
            None
        }
    }
}

/// A new, empty database on the test server, and the superuser's address for it.
pub fn fresh_db() -> Option<String> {
    let server = server()?;
    let n = NEXT_DB.fetch_add(1, Ordering::SeqCst);
    let name = format!("t{}_{n}", std::process::id());
    server.psql("postgres", &format!("CREATE DATABASE {name}"));
    Some(server.url(&name, "postgres"))
}

impl Server {
    /// The address of database `db` for `user`, through the socket.
    pub fn url(&self, db: &str, user: &str) -> String {
        let host: String = self
            .socket_dir
            .display()
            .to_string()
            .replace('%', "%25")
            .replace('/', "%2F");
        format!("postgres://{user}@{host}:{}/{db}", self.port)
    }

    /// Runs SQL as the superuser with `psql`, failing the test when it fails.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = self
            .tool("psql")
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-At"])
            .arg("-h")
            .arg(&self.socket_dir)
            .args([
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-d",
                db,
                "-c",
                sql,
            ])
            .output()
            .expect("psql runs");
        assert!(
            out.status.success(),
            "psql failed on {sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn tool(&self, name: &str) -> Command {
        let path = self.bin.join(name);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(path);
                c
            }
            None => Command::new(path),
        }
    }
}

/// The folder of the newest installed server's programs.
fn find_bin() -> Result<PathBuf, String> {
    if let Ok(dir) = std::env::var("GONGJIAN_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| {
            dirs.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let version = e.file_name().to_str()?.parse().ok()?;
                    let bin = e.path().join("bin");
                    bin.join("initdb").exists().then_some((version, bin))
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    if let Some((_, bin)) = found.pop() {
        return Ok(bin);
    }
    // Elsewhere (Homebrew, other distributions): the tools on PATH.
    let out = Command::new("pg_config").arg("--bindir").output();
    match out {
        Ok(out) if out.status.success() => {
            let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            if dir.join("initdb").exists() {
                return Ok(dir);
            }
            Err(format!("no initdb in {}", dir.display()))
        }
        _ => Err(
            "no /usr/lib/postgresql/*/bin/initdb and no pg_config on PATH (install postgresql-15)"
                .into(),
        ),
    }
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A free TCP port number, to name the socket (`.s.PGSQL.PORT`); the server listens on no TCP.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(54329)
}

fn start(tls: Option<&TlsFiles>) -> Result<Server, String> {
    let base = std::env::temp_dir().join(format!(
        "gongjian-pg-{}{}",
        std::process::id(),
        if tls.is_some() { "-tls" } else { "" }
    ));
    // A server that did not start leaves no folder behind (the watchdog removes a started one).
    start_in(&base, tls).inspect_err(|_| {
        let _ = std::fs::remove_dir_all(&base);
    })
}

fn start_in(base: &Path, tls: Option<&TlsFiles>) -> Result<Server, String> {
    let bin = find_bin()?;
    let run_as = if is_root() {
        Some("postgres".to_string())
    } else {
        None
    };
    let data = base.join("data");
    let socket_dir = base.join("socket");
    std::fs::create_dir_all(&socket_dir).map_err(|e| format!("{}: {e}", base.display()))?;
    // The key must be readable by the server's account alone.
    let mut tls_options = String::new();
    if let Some(tls) = tls {
        use std::os::unix::fs::PermissionsExt as _;
        let cert = base.join("server.crt");
        let key = base.join("server.key");
        std::fs::write(&cert, tls.cert).map_err(|e| format!("{}: {e}", cert.display()))?;
        std::fs::write(&key, tls.key).map_err(|e| format!("{}: {e}", key.display()))?;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("{}: {e}", key.display()))?;
        tls_options = format!(
            " -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
            cert.display(),
            key.display()
        );
    }
    if let Some(user) = &run_as {
        let status = Command::new("chown")
            .args(["-R", &format!("{user}:")])
            .arg(base)
            .status()
            .map_err(|e| format!("chown: {e}"))?;
        if !status.success() {
            return Err(format!(
                "chown {user} {} failed (no `{user}` account?)",
                base.display()
            ));
        }
    }
    let port = free_port();
    let server = Server {
        socket_dir: socket_dir.clone(),
        port,
        run_as,
        bin,
    };
    let out = server
        .tool("initdb")
        .arg("-D")
        .arg(&data)
        .args([
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ])
        .output()
        .map_err(|e| format!("initdb: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let options = format!(
        "-c listen_addresses='' -k {} -p {port} -c fsync=off -c synchronous_commit=off -c full_page_writes=off{tls_options}",
        socket_dir.display()
    );
    let out = server
        .tool("pg_ctl")
        .arg("-D")
        .arg(&data)
        .args(["-o", &options, "-l"])
        .arg(base.join("log"))
        .args(["-w", "start"])
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("pg_ctl: {e}"))?;
    if !out.status.success() {
        let log = std::fs::read_to_string(base.join("log")).unwrap_or_default();
        return Err(format!(
            "pg_ctl start failed: {}{log}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    watchdog(&server, &data, base);
    Ok(server)
}

/// Stops the server and removes its folders once this test binary has ended (statics are never
/// dropped, so the test binary cannot do it itself).
fn watchdog(server: &Server, data: &Path, base: &Path) {
    let pg_ctl = server.bin.join("pg_ctl");
    let stop = match &server.run_as {
        Some(user) => format!(
            "runuser -u {user} -- {} -D {} -m immediate stop",
            pg_ctl.display(),
            data.display()
        ),
        None => format!(
            "{} -D {} -m immediate stop",
            pg_ctl.display(),
            data.display()
        ),
    };
    let script = format!(
        "while kill -0 {} 2>/dev/null; do sleep 0.2; done; {stop} >/dev/null 2>&1; rm -rf {}",
        std::process::id(),
        base.display()
    );
    let _ = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
}
