//! Random rows of every contract table, each column holding a value of any SQLite type: the
//! report never fails, every activity row of the year either counts or is named, and the
//! figures through the summaries equal those of the plain read.

use crate::generate::rng::Rng;
use crate::model::Thresholds;
use crate::store::Store;
use chrono::NaiveDate;
use rusqlite::types::Value;

fn any_value(rng: &mut Rng, ids: i64) -> Value {
    match rng.below(9) {
        0 => Value::Null,
        1 | 2 => Value::Integer(rng.between(1, ids)),
        3 => Value::Integer(rng.between(-3, 3_000_000_000)),
        4 => Value::Real(*rng.pick(&[7.5, 30.0, -1.0, 1e300])),
        5 => Value::Text(
            rng.pick(&[
                "2026-03-01",
                "2026-02-30",
                "2026-03-01\0x",
                "30人",
                "一",
                "quarterly",
                "active",
                "done",
                "2026-13-01",
                "",
                "2025-12-31",
                "2026-12-31",
            ])
            .to_string(),
        ),
        6 => Value::Blob(vec![0xc9, 0xe7, 0xc7, 0xf8]),
        7 => Value::Blob(b"2026-03-01".to_vec()),
        _ => Value::Text(format!(
            "2026-{:02}-{:02}",
            rng.between(1, 12),
            rng.between(1, 28)
        )),
    }
}

const TABLES: &[(&str, usize)] = &[
    ("street", 1),
    ("community", 2),
    ("unit", 2),
    ("contract", 3),
    ("resource", 4),
    ("need", 4),
    ("project", 7),
    ("activity", 4),
    ("meeting", 5),
];

#[test]
fn any_value_in_any_column_is_counted_or_named() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).expect("day");
    for seed in 0..12 {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.db");
        drop(Store::create(&path).expect("create"));
        let mut rng = Rng::new(seed);
        {
            let conn = rusqlite::Connection::open(&path).expect("open");
            conn.execute_batch("PRAGMA foreign_keys = OFF")
                .expect("pragma");
            for (table, columns) in TABLES {
                let marks = vec!["?"; *columns].join(", ");
                let sql = format!("INSERT INTO {table} SELECT NULL, {marks}");
                for _ in 0..25 {
                    let values: Vec<Value> =
                        (0..*columns).map(|_| any_value(&mut rng, 8)).collect();
                    // The contract's own checks refuse some rows; the rest are what we read.
                    let _ = conn.execute(&sql, rusqlite::params_from_iter(values));
                }
            }
        }
        let store = Store::open(&path, crate::store::Access::ReadOnly).expect("open");
        let built = crate::report::build(store.conn(), today).expect("the report never fails");
        let plain = crate::store::load_district(store.conn(), 2026).expect("plain read");
        assert_eq!(
            built.report,
            crate::indicators::compute(&plain, today, &Thresholds::default()),
            "seed {seed}: summaries against the plain read"
        );
        crate::store::summary::tests::assert_each_community_agrees(
            store.conn(),
            today,
            &plain,
            &format!("seed {seed}"),
        );
        // Every activity row of the year's text range counts or is named.
        let conn = store.conn();
        let mut stmt = conn
            .prepare(
                "SELECT id, project_id, held_on, planned, actual FROM activity
                  WHERE held_on BETWEEN '2026-01-01' AND '2026-12-31' OR held_on >= x''",
            )
            .expect("prepare");
        let mut rows = stmt.query([]).expect("query");
        let (mut counted, mut named) = (0, 0);
        while let Some(row) = rows.next().expect("row") {
            let id: i64 = row.get(0).expect("id");
            let is_named = plain
                .problems
                .iter()
                .any(|p| p.table == "activity" && p.row_id == id);
            let clean = super::activity::CLEAN.check(row).expect("check").is_ok();
            assert_eq!(clean, !is_named, "seed {seed}: activity {id}");
            if clean {
                counted += 1;
            } else {
                named += 1;
            }
        }
        assert_eq!(plain.activities.len(), counted, "seed {seed}");
        let _ = named;
    }
}
