use super::*;
use crate::store::Store;

fn demo() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::create(&dir.path().join("c.db")).expect("create");
    crate::store::load_demo(
        &mut store,
        crate::dates::parse_ymd("2026-11-28").expect("day"),
    )
    .expect("demo");
    (dir, store)
}

/// What `sql`, run by a plain connection (as another tool would), tells the counters.
fn after(store: &Store, sql: &str) -> Option<Vec<i64>> {
    let before = read(store.conn()).expect("read").expect("trusted");
    store.conn().execute_batch(sql).expect("write");
    let now = read(store.conn()).expect("read").expect("trusted");
    changed(&before, &now)
}

fn one(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).expect("one")
}

#[test]
fn each_write_names_the_communities_it_can_change() {
    let (_dir, store) = demo();
    assert!(current(store.conn()).expect("current"));
    let project = one(&store, "SELECT min(id) FROM project WHERE community_id = 2");
    // A session: its project's community, and only that.
    assert_eq!(
        after(
            &store,
            &format!(
                "INSERT INTO activity (project_id, held_on, planned, actual)
                 VALUES ({project}, '2026-11-20', 10, 8)"
            )
        ),
        Some(vec![2])
    );
    assert_eq!(
        after(
            &store,
            &format!("DELETE FROM activity WHERE project_id = {project}")
        ),
        Some(vec![2])
    );
    // A project moved to another community: both.
    assert_eq!(
        after(
            &store,
            &format!("UPDATE project SET community_id = 3 WHERE id = {project}")
        ),
        Some(vec![2, 3])
    );
    // A project answering another community's need: that community too.
    let need = one(&store, "SELECT min(id) FROM need WHERE community_id = 1");
    assert_eq!(
        after(
            &store,
            &format!("UPDATE project SET need_id = {need} WHERE id = {project}")
        ),
        Some(vec![1, 3])
    );
    let member = one(&store, "SELECT min(id) FROM member WHERE community_id = 1");
    assert_eq!(
        after(
            &store,
            &format!(
                "INSERT INTO service (member_id, served_on, minutes) VALUES ({member}, '2026-11-02', 30)"
            )
        ),
        Some(vec![1])
    );
    assert_eq!(
        after(
            &store,
            "INSERT INTO meeting (community_id, kind, held_on) VALUES (3, 'quarterly', '2026-10-01')"
        ),
        Some(vec![3])
    );
    // Streets, units, settings: everything.
    assert_eq!(after(&store, "UPDATE street SET name = name || '1'"), None);
    assert_eq!(
        after(&store, "UPDATE unit SET kind = kind WHERE id = 1"),
        None
    );
    assert_eq!(
        after(
            &store,
            "INSERT OR REPLACE INTO setting (key, value) VALUES ('x', '1')"
        ),
        None
    );
    // A community id that is not one (text, a missing project), as another tool writes with
    // its foreign keys off: everything.
    store
        .conn()
        .execute_batch("PRAGMA foreign_keys = OFF;")
        .expect("pragma");
    assert_eq!(
        after(
            &store,
            "INSERT INTO meeting (community_id, kind, held_on) VALUES ('三', 'other', '2026-10-01')"
        ),
        None
    );
    assert_eq!(
        after(
            &store,
            "INSERT INTO activity (project_id, held_on, planned, actual) VALUES (999999, '2026-11-20', 1, 1)"
        ),
        None
    );
    // gongjian's own tables (the adjustment log, reviews) move no counter: nothing changed
    // that the counters know of, and the reader reads everything again.
    let counters = read(store.conn()).expect("read").expect("trusted");
    assert_eq!(changed(&counters, &counters), Some(vec![]));
}

#[test]
fn counters_without_every_trigger_are_not_trusted_and_opening_the_file_makes_them_again() {
    let (dir, store) = demo();
    store
        .conn()
        .execute_batch("DROP TRIGGER activity_change_after_insert;")
        .expect("drop");
    assert_eq!(read(store.conn()).expect("read"), None);
    drop(store);
    let store =
        Store::open(&dir.path().join("c.db"), crate::store::Access::ReadWrite).expect("open");
    assert!(read(store.conn()).expect("read").is_some());
}

#[test]
fn a_bulk_load_bumps_everything_once() {
    let (_dir, mut store) = demo();
    let before = read(store.conn()).expect("read").expect("trusted");
    store
        .write(|tx| {
            crate::store::bulk_load(tx, || {
                Ok(tx.execute_batch(
                    "INSERT INTO meeting (community_id, kind, held_on) VALUES (1, 'other', '2026-10-01')",
                )?)
            })
        })
        .expect("bulk");
    let now = read(store.conn()).expect("read").expect("trusted");
    assert_eq!(changed(&before, &now), None);
}

#[test]
fn a_write_with_the_counters_set_aside_bumps_everything_once_and_keeps_them() {
    let (_dir, mut store) = demo();
    let before = read(store.conn()).expect("read").expect("trusted");
    store
        .write(|tx| {
            set_aside(tx, || {
                Ok(tx.execute_batch(
                    "INSERT INTO meeting (community_id, kind, held_on) VALUES (1, 'other', '2026-10-01')",
                )?)
            })
        })
        .expect("write");
    let now = read(store.conn()).expect("read").expect("trusted");
    assert_eq!(changed(&before, &now), None);
    // A failed write leaves the triggers as they were.
    let failed: crate::error::Result<()> = store.write(|tx| {
        set_aside(tx, || {
            tx.execute_batch(
                "INSERT INTO meeting (community_id, kind, held_on) VALUES (1, 'x', 'y')",
            )?;
            Ok(())
        })
    });
    assert!(failed.is_err());
    assert!(current(store.conn()).expect("current"));
}
