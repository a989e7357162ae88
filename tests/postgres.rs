//! The district on PostgreSQL: the schema made by the same-numbered migrations, a newer
//! database refused as a newer file is, the adjustment log append-only, the README's roles.
//! Each test runs against a private server (see `pg_server`), and says so when there is none.

mod pg_server;

use gongjian::error::Error;
use gongjian::i18n::Lang;
use gongjian::store::pg::{self, Given, PgStore, PgUrl};
use gongjian::store::{Access, KNOWN_VERSION, Notice, Store};

fn url(text: &str) -> PgUrl {
    PgUrl::parse(text, Given::CommandLine).expect("test address")
}

fn client(text: &str) -> postgres::Client {
    postgres::Client::connect(text, postgres::NoTls).expect("connect")
}

const TABLES: &[&str] = &[
    "street",
    "community",
    "unit",
    "contract",
    "need",
    "resource",
    "project",
    "activity",
    "meeting",
    "setting",
    "adjustment",
    "review",
    "review_item",
    "decision",
    "survey",
    "member",
    "service",
    "assessment",
];

#[test]
fn init_makes_every_table_at_the_files_version() {
    let Some(db) = pg_server::fresh_db() else {
        return;
    };
    let mut store = PgStore::create(&url(&db)).expect("create");
    assert_eq!(store.version().expect("version"), KNOWN_VERSION);
    for table in TABLES {
        assert!(
            pg::table_exists(store.client(), table).expect("look"),
            "{table} missing"
        );
    }
    drop(store);
    // Opened again: nothing to upgrade, and the same version.
    let mut store = PgStore::open(&url(&db), Access::ReadWrite).expect("open");
    assert_eq!(store.version().expect("version"), KNOWN_VERSION);
    assert!(!store.is_read_only());
    // A second init refuses the database, which now holds tables.
    let e = PgStore::create(&url(&db)).err().expect("refused");
    assert!(
        e.message(Lang::En).contains("already holds tables"),
        "{e:?}"
    );
}

#[test]
fn a_newer_database_is_refused_with_the_files_words() {
    let Some(db) = pg_server::fresh_db() else {
        return;
    };
    drop(PgStore::create(&url(&db)).expect("create"));
    let mut c = client(&db);
    c.batch_execute(&format!(
        "UPDATE gongjian_schema SET version = {}",
        KNOWN_VERSION + 1
    ))
    .expect("bump");
    let Err(e) = PgStore::open(&url(&db), Access::ReadWrite) else {
        panic!("a newer database opened");
    };
    assert!(
        matches!(e, Error::NewerVersion { found, known, .. } if found == KNOWN_VERSION + 1 && known == KNOWN_VERSION),
        "{e:?}"
    );
    // The same sentence as for a file, naming the database instead.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("newer.db");
    drop(Store::create(&file).expect("file"));
    let conn = rusqlite::Connection::open(&file).expect("open");
    conn.pragma_update(None, "user_version", KNOWN_VERSION + 1)
        .expect("bump");
    drop(conn);
    let Err(file_error) = Store::open(&file, Access::ReadWrite) else {
        panic!("a newer file opened");
    };
    for lang in [Lang::Zh, Lang::En] {
        let shown = url(&db).shown().to_string();
        assert_eq!(
            e.message(lang).replace(&shown, "DB"),
            file_error
                .message(lang)
                .replace(&file.display().to_string(), "DB"),
        );
    }
    // Nothing was written: still the newer version.
    let v: i32 = c
        .query_one("SELECT version FROM gongjian_schema", &[])
        .expect("read")
        .get(0);
    assert_eq!(i64::from(v), KNOWN_VERSION + 1);
}

#[test]
fn an_older_database_is_upgraded_and_a_foreign_one_refused() {
    let Some(db) = pg_server::fresh_db() else {
        return;
    };
    // Another tool made the contract of version 1 only, and never heard of gongjian.
    let mut c = client(&db);
    c.batch_execute(
        "CREATE TABLE street (id bigint PRIMARY KEY, name text NOT NULL UNIQUE);
         CREATE TABLE community (id bigint PRIMARY KEY, street_id bigint NOT NULL, name text NOT NULL);
         CREATE TABLE project (id bigint PRIMARY KEY, community_id bigint NOT NULL, unit_id bigint,
                               title text NOT NULL, due_on text NOT NULL, status text NOT NULL,
                               done_on text);
         INSERT INTO street VALUES (1, '东街');",
    )
    .expect("foreign tool");
    let mut store = PgStore::open(&url(&db), Access::ReadWrite).expect("adopted");
    assert_eq!(store.version().expect("version"), KNOWN_VERSION);
    let need_id = store
        .client()
        .query_one(
            "SELECT count(*) FROM information_schema.columns
              WHERE table_name = 'project' AND column_name = 'need_id'",
            &[],
        )
        .expect("look")
        .get::<_, i64>(0);
    assert_eq!(need_id, 1, "project.need_id added to the adopted table");
    let streets: i64 = store
        .client()
        .query_one("SELECT count(*) FROM street", &[])
        .expect("read")
        .get(0);
    assert_eq!(streets, 1, "the other tool's rows are kept");

    // A database that is not a district at all is refused untouched.
    let Some(other) = pg_server::fresh_db() else {
        return;
    };
    client(&other)
        .batch_execute("CREATE TABLE invoices (id bigint)")
        .expect("foreign");
    let Err(e) = PgStore::open(&url(&other), Access::ReadWrite) else {
        panic!("a foreign database opened");
    };
    assert!(matches!(e, Error::Foreign { .. }), "{e:?}");
    assert!(!pg::table_exists(&mut client(&other), "gongjian_schema").expect("look"));
    // A read-only open of an older district does not upgrade it.
    let Some(old) = pg_server::fresh_db() else {
        return;
    };
    drop(PgStore::create(&url(&old)).expect("create"));
    client(&old)
        .batch_execute("UPDATE gongjian_schema SET version = 4")
        .expect("older");
    let Err(e) = PgStore::open(&url(&old), Access::ReadOnly) else {
        panic!("read-only open of an older database");
    };
    assert!(
        matches!(e, Error::NeedsUpgradeReadOnly { found: 4, .. }),
        "{e:?}"
    );
}

#[test]
fn the_adjustment_log_is_append_only_even_for_the_owner() {
    let Some(db) = pg_server::fresh_db() else {
        return;
    };
    drop(PgStore::create(&url(&db)).expect("create"));
    let mut c = client(&db);
    c.batch_execute(
        "INSERT INTO adjustment (at, operator, action, reason)
              VALUES ('2026-11-30T00:00:00Z', '王', 'pause', '测试')",
    )
    .expect("append");
    for sql in [
        "UPDATE adjustment SET reason = 'x'",
        "DELETE FROM adjustment",
        "TRUNCATE adjustment",
    ] {
        let e = c.batch_execute(sql).expect_err(sql);
        let db_error = e.as_db_error().expect("from the server");
        assert!(
            db_error.message().contains("append-only"),
            "{sql}: {db_error:?}"
        );
    }
    let n: i64 = c
        .query_one("SELECT count(*) FROM adjustment", &[])
        .expect("count")
        .get(0);
    assert_eq!(n, 1);
    // A decision that is done stays done.
    c.batch_execute(
        "INSERT INTO street (id, name) VALUES (1, '东街');
         INSERT INTO community (id, street_id, name) VALUES (1, 1, '东社区');
         INSERT INTO decision (community_id, text, owner, due_on, created_at, created_by,
                               done_at, done_by)
              VALUES (1, '修路灯', '李', '2026-12-31', '2026-11-30T00:00:00Z', '王',
                      '2026-11-30T01:00:00Z', '李');",
    )
    .expect("decision");
    let e = c
        .batch_execute("UPDATE decision SET done_note = 'changed'")
        .expect_err("done stays done");
    assert!(
        e.as_db_error()
            .is_some_and(|d| d.message().contains("stays done"))
    );
    c.batch_execute("UPDATE decision SET owner = '赵'")
        .expect("other columns may change");
}

#[test]
fn the_readmes_roles_keep_the_log_and_the_viewer_apart() {
    let Some(server) = pg_server::server() else {
        return;
    };
    let Some(db) = pg_server::fresh_db() else {
        return;
    };
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    assert!(
        readme.contains(pg::ROLES_SQL.trim()),
        "the README shows the roles exactly as src/store/pg/sql/roles.sql makes them"
    );
    drop(PgStore::create(&url(&db)).expect("create"));
    let name = db.rsplit('/').next().expect("db name").to_string();
    server.psql(&name, pg::ROLES_SQL);
    let app = server.url(&name, "gongjian_app");
    let viewer = server.url(&name, "gongjian_viewer");

    let mut store = PgStore::open(&url(&app), Access::ReadWrite).expect("app opens");
    assert!(!store.is_read_only());
    let c = store.client();
    c.batch_execute(
        "INSERT INTO street (name) VALUES ('东街');
         INSERT INTO adjustment (at, operator, action, reason)
              VALUES ('2026-11-30T00:00:00Z', '王', 'pause', '测试');
         UPDATE street SET name = '西街';",
    )
    .expect("the program's role writes the district and appends to the log");
    for sql in [
        "UPDATE adjustment SET reason = 'x'",
        "DELETE FROM adjustment",
    ] {
        let e = c.batch_execute(sql).expect_err(sql);
        assert_eq!(
            e.code().map(|c| c.code()),
            Some("42501"),
            "{sql}: refused by privilege, before any trigger"
        );
    }

    // A table a later upgrade adds (made by the tables' owner): the roles need not be run
    // again, the program's role writes it and the viewer reads it.
    server.psql(
        &name,
        "CREATE TABLE later_upgrade (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, note text)",
    );
    c.batch_execute("INSERT INTO later_upgrade (note) VALUES ('新表')")
        .expect("the program's role writes a table added after the roles were made");

    let mut store = PgStore::open(&url(&viewer), Access::ReadWrite).expect("viewer opens");
    let added: i64 = store
        .client()
        .query_one("SELECT count(*) FROM later_upgrade", &[])
        .expect("the viewer reads a table added after the roles were made")
        .get(0);
    assert_eq!(added, 1);
    assert!(
        store.is_read_only(),
        "the viewer's role falls back to read-only"
    );
    assert_eq!(store.notices(), &[Notice::FellBackToReadOnly]);
    let names: i64 = store
        .client()
        .query_one("SELECT count(*) FROM street", &[])
        .expect("the viewer reads")
        .get(0);
    assert_eq!(names, 1);
    let e = store
        .client()
        .batch_execute("INSERT INTO street (name) VALUES ('北街')")
        .expect_err("the viewer cannot write");
    assert!(matches!(
        e.code().map(|c| c.code()),
        Some("25006" | "42501")
    ));
    let e = store
        .write(|tx| {
            tx.batch_execute("INSERT INTO street (name) VALUES ('北街')")
                .map_err(|e| Error::plain(e.to_string(), e.to_string()))
        })
        .expect_err("read-only");
    assert!(matches!(e, Error::ServerReadOnly(_)), "{e:?}");
}

#[test]
fn writes_are_retried_on_serialization_failures_within_a_bound() {
    let Some(db) = pg_server::fresh_db() else {
        return;
    };
    let mut store = PgStore::create(&url(&db)).expect("create");
    let mut attempts = 0;
    let value = store
        .write(|tx| {
            attempts += 1;
            if attempts < 3 {
                // What the server says when another terminal's write conflicts with ours.
                tx.batch_execute(
                    "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$",
                )
                .map_err(|e| pg_error_for_test(&db, e))?;
            }
            tx.batch_execute("INSERT INTO street (name) VALUES ('东街')")
                .map_err(|e| pg_error_for_test(&db, e))?;
            Ok(attempts)
        })
        .expect("third time");
    assert_eq!(value, 3);
    store.set_write_patience(std::time::Duration::from_millis(200));
    let e = store
        .write(|tx| {
            tx.batch_execute(
                "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$",
            )
            .map_err(|e| pg_error_for_test(&db, e))
        })
        .expect_err("gives up");
    assert!(matches!(e, Error::ServerBusy(_)), "{e:?}");
    let n: i64 = store
        .client()
        .query_one("SELECT count(*) FROM street", &[])
        .expect("count")
        .get(0);
    assert_eq!(n, 1, "the failed attempts left nothing behind");
}

fn pg_error_for_test(db: &str, e: postgres::Error) -> Error {
    Error::Postgres {
        url: db.to_string(),
        detail: e.to_string(),
        code: e.code().map(|c| c.code().to_string()),
    }
}

#[test]
fn connection_failures_name_the_database_without_its_password() {
    let Some(server) = pg_server::server() else {
        return;
    };
    // A database that does not exist, with a password from the environment's address.
    let text = server
        .url("no_such_db", "postgres")
        .replace("postgres@", "postgres:hunter2@");
    let e = PgStore::open(
        &PgUrl::parse(&text, Given::Environment).expect("parse"),
        Access::ReadWrite,
    )
    .err()
    .expect("refused");
    for lang in [Lang::Zh, Lang::En] {
        let m = e.message(lang);
        assert!(!m.contains("hunter2"), "{m}");
        assert!(m.contains("no_such_db"), "{m}");
    }
    assert!(e.message(Lang::Zh).contains("没有这个数据库"), "{e:?}");
}

fn gongjian(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gongjian"))
        .args(args)
        .env_remove("GONGJIAN_DB")
        .env("GONGJIAN_LANG", "zh")
        .output()
        .expect("gongjian runs")
}

#[test]
fn init_makes_a_district_and_the_commands_not_built_there_say_so() {
    let Some(db) = pg_server::fresh_db() else {
        return;
    };
    let out = gongjian(&["init", &db]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("新建空的共建数据表"));
    assert_eq!(
        PgStore::open(&url(&db), Access::ReadWrite)
            .expect("open")
            .version()
            .expect("version"),
        KNOWN_VERSION
    );
    let with_password = db.replace("postgres@", "postgres:hunter2@");
    let out = gongjian(&["--db", &db, "backup", "kopie.db"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("只能用于 SQLite 文件") && err.contains("pg_dump"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    // The review screen works there; a password on its command line is refused unshown.
    let out = gongjian(&["--lang", "en", "--db", &with_password, "review"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("holds a password") && !err.contains("hunter2"),
        "{err}"
    );
    // A password on the command line is refused, not used, by the commands that work there.
    let out = gongjian(&["--db", &with_password, "report"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("含有密码") && !err.contains("hunter2"),
        "{err}"
    );
    // A password on init's command line is refused, not used.
    let out = gongjian(&["init", &with_password]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("含有密码") && !err.contains("hunter2"),
        "{err}"
    );
}

/// Every sheet's cells of a workbook, as text (the files themselves carry their making time).
fn cells(path: &std::path::Path) -> Vec<String> {
    use calamine::{Reader, open_workbook_auto};
    let mut book = open_workbook_auto(path).expect("a workbook");
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("a sheet");
        for row in range.rows() {
            out.push(format!(
                "{name}: {}",
                row.iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join("|")
            ));
        }
    }
    out
}

/// The quarter's service cards read from a server are the file's, card for card and cell for
/// cell (the demo district made on both with the same day).
#[test]
fn service_cards_on_a_server_are_the_files() {
    let Some(db) = pg_server::fresh_db() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("demo.db");
    let file_text = file.to_str().expect("utf-8");
    for target in [file_text, db.as_str()] {
        let out = gongjian(&["--today", "2026-11-28", "init", target, "--demo"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let cards = |db: &str, folder: &str| {
        let folder = dir.path().join(folder);
        let out = gongjian(&[
            "--today",
            "2026-11-28",
            "--db",
            db,
            "export",
            "--service-cards",
            "2026Q3",
            folder.to_str().expect("utf-8"),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut files: Vec<(String, Vec<String>)> = std::fs::read_dir(&folder)
            .expect("cards written")
            .map(|e| {
                let e = e.expect("entry");
                (
                    e.file_name().to_string_lossy().into_owned(),
                    cells(&e.path()),
                )
            })
            .collect();
        files.sort();
        files
    };
    let on_file = cards(file_text, "file");
    assert!(!on_file.is_empty(), "the demo has service cards for 2026Q3");
    assert_eq!(on_file, cards(&db, "server"));
}

#[test]
fn init_demo_makes_the_demo_district_on_a_server() {
    let Some(db) = pg_server::fresh_db() else {
        return;
    };
    let out = gongjian(&["--today", "2026-11-30", "init", &db, "--demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("新建演示数据"));
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("demo.db");
    let file = file.to_str().expect("utf-8");
    assert!(
        gongjian(&["--today", "2026-11-30", "init", file, "--demo"])
            .status
            .success()
    );
    let report = |db: &str| {
        gongjian(&[
            "--db",
            db,
            "--today",
            "2026-11-30",
            "report",
            "--format",
            "json",
        ])
        .stdout
    };
    let (a, b) = (report(file), report(&db));
    assert!(a.len() > 1000);
    assert!(
        a == b,
        "the demo on the server reports as the demo file does"
    );
    // A second time: the database is not empty any more.
    let out = gongjian(&["--today", "2026-11-30", "init", &db, "--demo"]);
    assert_eq!(out.status.code(), Some(1));
}
