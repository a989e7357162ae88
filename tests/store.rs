//! The store against real files in temporary folders.

mod common;

use common::{bytes, foreign_tool_file};
use gongjian::error::Error;
use gongjian::i18n::Lang;
use gongjian::store::{Access, KNOWN_VERSION, Notice, Store, load_demo, load_district};
use std::time::Duration;

fn version(store: &Store) -> i64 {
    store
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version")
}

fn has_table(store: &Store, name: &str) -> bool {
    store
        .conn()
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type='table' AND name=?1",
            [name],
            |r| r.get::<_, i64>(0),
        )
        .expect("query")
        == 1
}

#[test]
fn fresh_file_gets_wal_full_sync_foreign_keys_and_the_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sub/new.db");
    let store = Store::create(&path).expect("create");
    assert_eq!(version(&store), KNOWN_VERSION);
    let conn = store.conn();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
    let sync: i64 = conn
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .expect("sync");
    assert_eq!(sync, 2, "FULL");
    let fk: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .expect("fk");
    assert_eq!(fk, 1);
    for table in [
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
    ] {
        assert!(has_table(&store, table), "{table}");
    }
    assert!(store.notices().is_empty());
    drop(store);
    assert!(matches!(Store::create(&path), Err(Error::AlreadyExists(_))));
    // Reopening is a no-op upgrade.
    let again = Store::open(&path, Access::ReadWrite).expect("reopen");
    assert_eq!(version(&again), KNOWN_VERSION);
}

#[test]
fn adopts_a_contract_file_another_tool_made_at_version_0_and_1() {
    for start in [0, 1] {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = foreign_tool_file(dir.path(), "other.db", start);
        let store = Store::open(&path, Access::ReadWrite).expect("adopted");
        assert_eq!(version(&store), KNOWN_VERSION, "from version {start}");
        assert!(has_table(&store, "adjustment"));
        let projects: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM project", [], |r| r.get(0))
            .expect("count");
        assert_eq!(projects, 2, "rows kept");
    }
}

#[test]
fn adopting_adds_missing_contract_tables_to_a_core_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("partial.db");
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch(
        "CREATE TABLE street (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
         CREATE TABLE community (id INTEGER PRIMARY KEY, street_id INTEGER NOT NULL, name TEXT NOT NULL);
         CREATE TABLE project (id INTEGER PRIMARY KEY, community_id INTEGER NOT NULL, unit_id INTEGER,
                               title TEXT NOT NULL, due_on TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'active',
                               done_on TEXT);",
    )
    .expect("schema");
    drop(conn);
    let store = Store::open(&path, Access::ReadWrite).expect("adopted");
    assert!(
        has_table(&store, "meeting")
            && has_table(&store, "setting")
            && has_table(&store, "adjustment")
    );
}

#[test]
fn refuses_a_newer_file_naming_both_versions_with_bytes_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = foreign_tool_file(dir.path(), "newer.db", 99);
    let before = bytes(&path);
    for access in [Access::ReadWrite, Access::ReadOnly] {
        let err = Store::open(&path, access).err().expect("refused");
        assert!(
            matches!(err, Error::NewerVersion { found: 99, .. }),
            "{err:?}"
        );
        let text = err.message(Lang::En);
        assert!(
            text.contains("99") && text.contains(&KNOWN_VERSION.to_string()),
            "{text}"
        );
        assert!(err.message(Lang::Zh).contains("99"));
    }
    assert_eq!(bytes(&path), before);
    assert!(!dir.path().join("newer.db-wal").exists());
}

#[test]
fn refuses_files_that_are_not_gongjian_databases_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "这不是数据库\n").expect("write");
    let random = dir.path().join("random.bin");
    std::fs::write(
        &random,
        (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect::<Vec<_>>(),
    )
    .expect("write");
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").expect("write");
    let other = dir.path().join("other_app.db");
    rusqlite::Connection::open(&other)
        .and_then(|c| c.execute_batch("CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT);"))
        .expect("other app");
    let bad_column = dir.path().join("bad_column.db");
    rusqlite::Connection::open(&bad_column)
        .and_then(|c| {
            c.execute_batch(
                "CREATE TABLE street (id INTEGER PRIMARY KEY, name TEXT);
                 CREATE TABLE community (id INTEGER PRIMARY KEY, street_id INTEGER, name TEXT);
                 CREATE TABLE project (id INTEGER PRIMARY KEY, community_id INTEGER, title TEXT);",
            )
        })
        .expect("bad column");
    let mut truncated_source = foreign_tool_file(dir.path(), "full.db", 0);
    let full = bytes(&truncated_source);
    truncated_source = dir.path().join("truncated.db");
    std::fs::write(&truncated_source, &full[..full.len().min(1500)]).expect("truncate");

    type Expectation = fn(&Error) -> bool;
    let cases: Vec<(&std::path::Path, Expectation)> = vec![
        (&text, |e| matches!(e, Error::NotSqlite(_))),
        (&random, |e| matches!(e, Error::NotSqlite(_))),
        (&empty, |e| matches!(e, Error::EmptyFile(_))),
        (&other, |e| matches!(e, Error::Foreign { .. })),
        (&bad_column, |e| matches!(e, Error::MissingColumn { .. })),
        (&truncated_source, |e| {
            e.message(Lang::En).contains("is damaged (truncated")
        }),
        (dir.path(), |e| matches!(e, Error::NotAFile(_))),
    ];
    for (path, expected) in cases {
        let before = if path.is_file() {
            bytes(path)
        } else {
            Vec::new()
        };
        let err = Store::open(path, Access::ReadWrite)
            .err()
            .unwrap_or_else(|| panic!("{} opened", path.display()));
        assert!(expected(&err), "{}: {err:?}", path.display());
        assert!(!err.message(Lang::Zh).is_empty());
        if path.is_file() {
            assert_eq!(bytes(path), before, "{} changed", path.display());
        }
    }
}

#[test]
fn a_missing_file_is_an_error_and_is_not_created() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nope.db");
    let err = Store::open(&path, Access::ReadWrite)
        .err()
        .expect("missing");
    assert!(matches!(err, Error::FileMissing(_)));
    assert!(err.message(Lang::En).contains("gongjian init"));
    assert!(!path.exists());
}

#[test]
fn read_only_access_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = foreign_tool_file(dir.path(), "ro.db", 0);
    let before = bytes(&path);
    let mut store = Store::open(&path, Access::ReadOnly).expect("opens read-only");
    assert!(store.is_read_only());
    let district = load_district(store.conn(), 2026).expect("reads");
    assert_eq!(district.projects.len(), 2);
    assert!(matches!(store.write(|_| Ok(())), Err(Error::ReadOnly(_))));
    drop(store);
    assert_eq!(bytes(&path), before);
}

#[test]
fn an_unwritable_file_falls_back_to_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = foreign_tool_file(dir.path(), "locked.db", KNOWN_VERSION);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    if std::fs::OpenOptions::new().write(true).open(&path).is_ok() {
        eprintln!("skipped: running as a user who can write read-only files (root)");
        return;
    }
    let store = Store::open(&path, Access::ReadWrite).expect("opens");
    assert!(store.is_read_only());
    assert!(store.notices().contains(&Notice::FellBackToReadOnly));
}

#[test]
fn a_write_waits_for_a_held_lock_then_succeeds_or_reports_busy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("locked.db");
    let mut store = Store::create(&path).expect("create");

    let holder = rusqlite::Connection::open(&path).expect("second connection");
    holder.execute_batch("BEGIN EXCLUSIVE").expect("lock");
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(2_500));
        holder.execute_batch("COMMIT").expect("unlock");
    });
    // SQLite's own busy timeout is 2 s: the whole transaction is retried after it.
    store
        .write(|tx| Ok(tx.execute("INSERT INTO street (name) VALUES ('新街道')", [])?))
        .expect("written once the lock is released");
    release.join().expect("thread");

    let holder = rusqlite::Connection::open(&path).expect("second connection");
    holder.execute_batch("BEGIN EXCLUSIVE").expect("lock");
    store.set_write_patience(Duration::from_millis(300));
    let err = store
        .write(|tx| Ok(tx.execute("INSERT INTO street (name) VALUES ('另一街道')", [])?))
        .expect_err("busy");
    assert!(matches!(err, Error::Busy), "{err:?}");
    holder.execute_batch("COMMIT").expect("unlock");
    let streets: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM street", [], |r| r.get(0))
        .expect("count");
    assert_eq!(streets, 1, "the refused write left nothing");
}

#[test]
fn a_failed_transaction_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::create(&dir.path().join("tx.db")).expect("create");
    let result: Result<(), Error> = store.write(|tx| {
        tx.execute("INSERT INTO street (name) VALUES ('甲')", [])?;
        tx.execute("INSERT INTO street (name) VALUES ('甲')", [])?; // UNIQUE fails
        Ok(())
    });
    assert!(result.is_err());
    let streets: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM street", [], |r| r.get(0))
        .expect("count");
    assert_eq!(streets, 0);
}

#[test]
fn another_connections_commit_changes_data_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("dv.db");
    let store = Store::create(&path).expect("create");
    let before = store.data_version().expect("dv");
    let other = rusqlite::Connection::open(&path).expect("other");
    other
        .execute("INSERT INTO street (name) VALUES ('乙')", [])
        .expect("insert");
    assert_ne!(store.data_version().expect("dv"), before);
}

#[test]
fn the_adjustment_log_refuses_update_and_delete() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("log.db");
    let store = Store::create(&path).expect("create");
    let conn = store.conn();
    conn.execute(
        "INSERT INTO adjustment (at, operator, action, reason) VALUES ('2026-11-28T01:00:00Z', '张三', 'test', '测试')",
        [],
    )
    .expect("insert");
    assert!(
        conn.execute("UPDATE adjustment SET reason = 'x'", [])
            .is_err()
    );
    assert!(conn.execute("DELETE FROM adjustment", []).is_err());
    let count: i64 = conn
        .query_row("SELECT count(*) FROM adjustment", [], |r| r.get(0))
        .expect("count");
    assert_eq!(count, 1);
}

#[test]
fn demo_district_loads_and_is_dated_around_today() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("demo.db");
    let mut store = Store::create(&path).expect("create");
    let today = gongjian::dates::parse_ymd("2027-03-15").expect("date");
    load_demo(&mut store, today).expect("demo");
    let count = |table: &str| -> i64 {
        store
            .conn()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .expect("count")
    };
    assert!(count("street") >= 3);
    assert!(count("community") >= 12);
    assert!(count("unit") >= 40);
    assert!(count("project") >= 150);
    assert!(count("activity") > 150);
    let latest: String = store
        .conn()
        .query_row("SELECT max(held_on) FROM activity", [], |r| r.get(0))
        .expect("latest");
    assert!(
        latest.as_str() <= "2027-03-15",
        "no activity after the shifted today: {latest}"
    );
    let fk: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .expect("fk");
    assert_eq!(fk, 0);
}
