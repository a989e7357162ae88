//! Encrypted connections to a district server (`sslmode`): a private server with a
//! certificate signed by a test authority, reached over TCP at 127.0.0.1.
//!
//! Each mode is checked by what the server saw (`pg_stat_ssl`), and each refusal by its
//! message: `verify-full` refuses a certificate for another host or from another authority,
//! `verify-ca` accepts another host name but not another authority, `require` takes any
//! certificate, `disable` is plain.

mod common;
mod pg_server;

use gongjian::i18n::Lang;
use gongjian::store::pg::{self, Given, PgUrl};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The test authority, the server's certificate (for `localhost` only) and key, and
/// an unrelated authority, written to a folder for `sslrootcert`.
struct Certs {
    dir: tempfile::TempDir,
    server_cert: String,
    server_key: String,
}

impl Certs {
    fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }
    fn other_ca(&self) -> PathBuf {
        self.dir.path().join("other-ca.pem")
    }
}

fn authority(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    CertifiedIssuer::self_signed(params, KeyPair::generate().expect("key")).expect("authority")
}

fn certs() -> &'static Certs {
    static CERTS: OnceLock<Certs> = OnceLock::new();
    CERTS.get_or_init(|| {
        let ca = authority("gongjian test authority");
        let other = authority("some other authority");
        let mut params = CertificateParams::new(vec!["localhost".to_string()]).expect("params");
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        let key = KeyPair::generate().expect("key");
        let cert = params.signed_by(&key, &ca).expect("server certificate");
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("ca.pem"), ca.pem()).expect("write");
        std::fs::write(dir.path().join("other-ca.pem"), other.pem()).expect("write");
        Certs {
            dir,
            server_cert: cert.pem(),
            server_key: key.serialize_pem(),
        }
    })
}

/// The TLS server and a fresh database on it (made through the socket).
fn server_and_db() -> Option<(&'static pg_server::Server, String)> {
    let c = certs();
    let server = pg_server::tls_server(&pg_server::TlsFiles {
        cert: &c.server_cert,
        key: &c.server_key,
    })?;
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let name = format!(
        "tls{}_{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    server.psql("postgres", &format!("CREATE DATABASE {name}"));
    Some((server, name))
}

fn tcp_url(host: &str, port: u16, db: &str, query: &str) -> String {
    format!("postgres://postgres@{host}:{port}/{db}?{query}")
}

fn pct(path: &Path) -> String {
    path.display().to_string().replace('/', "%2F")
}

/// Whether the server saw this connection encrypted.
fn encrypted(url: &str) -> Result<bool, String> {
    let parsed = PgUrl::parse(url, Given::CommandLine).map_err(|e| e.message(Lang::En))?;
    let mut client = pg::connect(&parsed).map_err(|e| e.message(Lang::En))?;
    let row = client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .map_err(|e| e.to_string())?;
    Ok(row.get(0))
}

#[test]
fn each_sslmode_connects_as_the_postgresql_tools_do() {
    let Some((server, db)) = server_and_db() else {
        return;
    };
    let c = certs();
    let port = server.port;
    let url = |host: &str, query: &str| tcp_url(host, port, &db, query);
    // Plain, offered, required: nobody is asked who they are.
    assert_eq!(encrypted(&url("localhost", "sslmode=disable")), Ok(false));
    assert_eq!(encrypted(&url("localhost", "sslmode=prefer")), Ok(true));
    assert_eq!(encrypted(&url("localhost", "application_name=x")), Ok(true));
    assert_eq!(encrypted(&url("localhost", "sslmode=require")), Ok(true));
    // The authority checked; the host name too with verify-full.
    let ca = format!("sslrootcert={}", pct(&c.ca()));
    assert_eq!(
        encrypted(&url("localhost", &format!("sslmode=verify-full&{ca}"))),
        Ok(true)
    );
    assert_eq!(
        encrypted(&url("localhost", &format!("sslmode=verify-ca&{ca}"))),
        Ok(true)
    );
    // Another authority: refused by every checking mode, and by require with a root file.
    let other = format!("sslrootcert={}", pct(&c.other_ca()));
    for mode in ["verify-full", "verify-ca", "require"] {
        let refused = encrypted(&url("localhost", &format!("sslmode={mode}&{other}")))
            .expect_err("another authority");
        assert!(
            refused.contains("UnknownIssuer") || refused.contains("issuer"),
            "{mode}: {refused}"
        );
        assert!(!refused.contains("password"), "{refused}");
    }
}

/// The certificate names `localhost` only: the same server reached as 127.0.0.1 is refused by
/// verify-full (the name) and accepted by verify-ca (the authority alone).
#[test]
fn verify_full_checks_the_host_and_verify_ca_does_not() {
    let Some((server, db)) = server_and_db() else {
        return;
    };
    let ca = format!("sslrootcert={}", pct(&certs().ca()));
    let url = |mode: &str| {
        tcp_url(
            "127.0.0.1",
            server.port,
            &db,
            &format!("sslmode={mode}&{ca}"),
        )
    };
    let refused = encrypted(&url("verify-full")).expect_err("another name");
    assert!(refused.contains("not valid for name"), "{refused}");
    assert!(
        refused.contains("cannot make an encrypted connection"),
        "{refused}"
    );
    assert!(refused.contains("127.0.0.1"), "names the server: {refused}");
    assert_eq!(encrypted(&url("verify-ca")), Ok(true));
}

#[test]
fn a_missing_root_file_and_a_bad_mode_are_refused_in_words() {
    let missing = "postgres://postgres@localhost:5432/x?sslmode=verify-full&sslrootcert=%2Fnowhere%2Froot.pem";
    let parsed = PgUrl::parse(missing, Given::CommandLine).expect("parses");
    let refused = pg::connect(&parsed).err().expect("refused");
    let zh = refused.message(Lang::Zh);
    assert!(zh.contains("找不到根证书 /nowhere/root.pem"), "{zh}");
    assert!(zh.contains("未连接"), "{zh}");

    let bad = PgUrl::parse(
        "postgres://postgres@localhost/x?sslmode=verify",
        Given::CommandLine,
    )
    .expect_err("refused");
    assert!(
        bad.message(Lang::En).contains(
            "sslmode=verify is not known; use disable, prefer, require, verify-ca or verify-full"
        ),
        "{}",
        bad.message(Lang::En)
    );
    let cert = PgUrl::parse(
        "postgres://postgres@localhost/x?sslcert=%2Ftmp%2Fc.pem",
        Given::CommandLine,
    )
    .expect_err("refused");
    assert!(
        cert.message(Lang::Zh)
            .contains("不能用客户端证书登录（sslcert）"),
        "{}",
        cert.message(Lang::Zh)
    );
}

/// The binary on an encrypted connection: `init --demo` and the report, with the address in
/// `GONGJIAN_DB` (the root file's path in it).
#[test]
fn the_commands_work_over_an_encrypted_connection() {
    let Some((server, db)) = server_and_db() else {
        return;
    };
    let c = certs();
    let url = tcp_url(
        "localhost",
        server.port,
        &db,
        &format!("sslmode=verify-full&sslrootcert={}", pct(&c.ca())),
    );
    let out = common::bin()
        .args(["--today", "2026-11-28", "init", "--demo", &url])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = common::bin()
        .env("GONGJIAN_DB", &url)
        .args(["--today", "2026-11-28", "report", "--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = String::from_utf8_lossy(&out.stdout);
    assert!(json.contains("青石社区"), "{json}");
}
