//! The generator: the same seed gives the same file, the file keeps the contract, and the
//! district shows every kind of problem the panels look for.

use super::*;
use crate::dates::parse_ymd;
use crate::store::Access;
use rusqlite::Connection;

fn day(text: &str) -> NaiveDate {
    parse_ymd(text).expect("valid day")
}

fn spec(communities: u32, seed: u64) -> Spec {
    Spec {
        communities,
        projects_per_community: 30,
        activities_per_project: 6,
        seed,
        today: day("2026-11-28"),
    }
}

/// Every row of every contract table, as text, in id order.
fn dump(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).expect("open");
    let mut out = Vec::new();
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
        "survey",
        "member",
        "service",
        "assessment",
        "setting",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
            .expect("select");
        let columns = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut line = format!("{table}:");
                for i in 0..columns {
                    let value: rusqlite::types::Value = r.get(i)?;
                    line.push_str(&format!(" {value:?}"));
                }
                Ok(line)
            })
            .expect("query");
        out.extend(rows.map(|r| r.expect("row")));
    }
    out
}

#[test]
fn the_same_seed_gives_the_same_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b, c) = (
        dir.path().join("a.db"),
        dir.path().join("b.db"),
        dir.path().join("c.db"),
    );
    let counts = generate(&a, &spec(5, 42)).expect("a");
    assert_eq!(generate(&b, &spec(5, 42)).expect("b"), counts);
    generate(&c, &spec(5, 43)).expect("c");
    assert_eq!(dump(&a), dump(&b));
    assert_eq!(
        std::fs::read(&a).expect("a"),
        std::fs::read(&b).expect("b"),
        "byte for byte"
    );
    assert_ne!(dump(&a), dump(&c), "another seed, another district");
}

#[test]
fn the_file_keeps_the_contract() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("g.db");
    let counts = generate(&path, &spec(23, 1)).expect("generate");
    assert_eq!(counts.communities, 23);
    assert_eq!(counts.units, 23 * UNITS_PER_COMMUNITY);
    assert_eq!(counts.projects, 23 * 30);
    assert_eq!(counts.activities, 23 * 30 * 6);
    assert!(counts.streets >= 2 && counts.meetings > 0 && counts.resources > 0);

    let store = Store::open(&path, Access::ReadWrite).expect("opens");
    assert!(store.notices().is_empty(), "{:?}", store.notices());
    let conn = store.conn();
    let broken: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .expect("fk check");
    assert_eq!(broken, 0);
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    assert_eq!(integrity, "ok");

    // Every date is a real YYYY-MM-DD, every status one the contract allows, `done_on` set
    // exactly for done projects, numbers in range.
    for (table, column) in [
        ("contract", "signed_on"),
        ("need", "raised_on"),
        ("project", "due_on"),
        ("project", "done_on"),
        ("activity", "held_on"),
        ("meeting", "held_on"),
    ] {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {column} FROM {table} WHERE {column} IS NOT NULL"
            ))
            .expect("select");
        for text in stmt.query_map([], |r| r.get::<_, String>(0)).expect("rows") {
            let text = text.expect("text");
            assert!(parse_ymd(&text).is_some(), "{table}.{column} = {text:?}");
        }
    }
    let odd: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM project WHERE (status = 'done') <> (done_on IS NOT NULL))
                  + (SELECT count(*) FROM project WHERE done_on > '2026-11-28')
                  + (SELECT count(*) FROM activity WHERE planned <= 0 OR actual < 0)
                  + (SELECT count(*) FROM activity WHERE held_on > '2026-11-28' AND actual > 0)
                  + (SELECT count(*) FROM meeting WHERE held_on > '2026-11-28')
                  + (SELECT count(*) FROM need WHERE source NOT IN ('survey', 'visit', 'forum', 'other'))",
            [],
            |r| r.get(0),
        )
        .expect("checks");
    assert_eq!(odd, 0);
    let statuses: i64 = conn
        .query_row("SELECT count(DISTINCT status) FROM project", [], |r| {
            r.get(0)
        })
        .expect("statuses");
    assert_eq!(statuses, 4, "active, paused, done and cancelled all occur");
}

#[test]
fn every_panel_has_something_to_show() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("g.db");
    let spec = Spec::new(30, 1, day("2026-11-28"));
    generate(&path, &spec).expect("generate");
    let store = Store::open(&path, Access::ReadOnly).expect("open");
    let district = crate::store::load_district(store.conn(), 2026).expect("read");
    assert!(district.problems.is_empty());
    let years: std::collections::BTreeSet<i32> =
        district.projects.iter().map(|p| p.due_on.year()).collect();
    assert_eq!(
        years.into_iter().collect::<Vec<_>>(),
        vec![2025, 2026, 2027],
        "due last year, this year and next"
    );
    let report = crate::indicators::compute(&district, spec.today, &Default::default());
    let sum = |f: &dyn Fn(&crate::indicators::CommunityFigures) -> usize| -> usize {
        report.communities.iter().map(f).sum()
    };
    assert!(
        sum(&|c| usize::from(c.completion.alert)) > 0,
        "low completion"
    );
    assert!(
        sum(&|c| usize::from(c.resources.alert)) > 0,
        "idle resources"
    );
    assert!(sum(&|c| c.overdue.len()) > 0, "overdue projects");
    assert!(
        sum(&|c| c.meetings.missing as usize) > 0,
        "skipped quarters"
    );
    assert!(sum(&|c| c.low_participation.len()) > 0, "low participation");
    assert!(sum(&|c| c.inactive_units.len()) > 0, "inactive units");
    // …but a district in trouble is not a district on fire: most communities are fine on
    // completion and most projects are not flagged.
    assert!(sum(&|c| usize::from(c.completion.alert)) < report.communities.len() / 2);
    let flagged = sum(&|c| c.low_participation.len());
    assert!(flagged * 5 < district.projects.len(), "{flagged} flagged");
}

#[test]
fn refuses_an_existing_path_and_an_empty_district() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("taken.db");
    std::fs::write(&path, "someone's notes").expect("write");
    assert!(matches!(
        generate(&path, &spec(2, 1)),
        Err(Error::AlreadyExists(_))
    ));
    assert_eq!(std::fs::read(&path).expect("read"), b"someone's notes");
    let empty = dir.path().join("empty.db");
    assert!(generate(&empty, &spec(0, 1)).is_err());
    assert!(!empty.exists());
}

#[test]
fn version_2_rows_at_realistic_counts_without_touching_version_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("g.db");
    let spec = Spec::new(30, 1, day("2026-11-28"));
    let counts = generate(&path, &spec).expect("generate");
    assert!(
        counts.members >= 30 * 15 && counts.members <= 30 * 45,
        "{counts:?}"
    );
    assert!(counts.services > counts.members, "{counts:?}");
    assert!(counts.surveys > 30 * 10, "{counts:?}");
    assert!(counts.grades > 30, "{counts:?}");
    let store = Store::open(&path, Access::ReadOnly).expect("open");
    let conn = store.conn();
    let one = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
    // The contract's checks hold (the tables of another tool may lack them).
    assert_eq!(
        one("SELECT (SELECT count(*) FROM survey WHERE respondents <= 0 OR satisfied < 0 OR satisfied > respondents OR held_on > '2026-11-28')
                  + (SELECT count(*) FROM service WHERE minutes <= 0 OR served_on > '2026-11-28')
                  + (SELECT count(*) FROM member WHERE registered_on > '2026-11-28' OR left_on < registered_on OR left_on > '2026-11-28')
                  + (SELECT count(*) FROM service s JOIN member m ON m.id = s.member_id WHERE s.served_on < m.registered_on OR s.served_on > ifnull(m.left_on, '9999'))
                  + (SELECT count(*) FROM pragma_foreign_key_check)"),
        0
    );
    // Members with and without a workplace, some gone.
    assert!(one("SELECT count(*) FROM member WHERE unit_id IS NULL") > 0);
    assert!(
        one("SELECT count(*) FROM member WHERE unit_id IS NOT NULL") > counts.members as i64 / 2
    );
    assert!(one("SELECT count(*) FROM member WHERE left_on IS NOT NULL") > 0);
    // Needs answered and not, one only by a cancelled project.
    assert!(
        one("SELECT count(*) FROM project WHERE need_id IS NOT NULL AND status <> 'cancelled'") > 0
    );
    assert!(
        one("SELECT count(*) FROM project WHERE need_id IS NOT NULL AND status = 'cancelled'") > 0
    );
    let report = crate::report::build(conn, spec.today)
        .expect("report")
        .report;
    let sum = |f: &dyn Fn(&crate::indicators::CommunityFigures) -> usize| -> usize {
        report.communities.iter().map(f).sum()
    };
    assert!(sum(&|c| c.needs.unmet.len()) > 0, "unmet needs");
    assert!(sum(&|c| c.needs.answered as usize) > 0, "answered needs");
    assert!(
        sum(&|c| usize::from(c.satisfaction.alert)) > 0,
        "low satisfaction"
    );
    assert!(
        sum(&|c| usize::from(c.members.alert)) > 0,
        "members without records"
    );
    assert!(sum(&|c| usize::from(!c.members.alert && c.members.active > 0)) > 0);
    // A community near the speech's 58 %.
    assert!(
        report
            .communities
            .iter()
            .filter_map(|c| c.satisfaction.pct)
            .any(|p| (50.0..66.0).contains(&p.as_f64())),
        "a community near 58 %"
    );
    // The year's grades, with a contradicted self-grade (community 1).
    let (record, verdict, _) = crate::report::assess::compute(&store, spec.today).expect("assess");
    assert_eq!(record.communities[0].id, 1);
    assert!(verdict.communities[0].mismatch);
    assert!(verdict.units.iter().any(|u| u.grades.self_grade.is_some()));
    assert!(verdict.units.iter().any(|u| !u.grades.community.is_empty()));
}

#[test]
fn the_version_1_rows_are_those_of_before_version_2() {
    // The rows of the version-1 tables are drawn from the communities' own streams: a
    // fingerprint of them, taken before version-2 rows were added, still holds.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("g.db");
    generate(&path, &spec(3, 42)).expect("generate");
    let conn = Connection::open(&path).expect("open");
    let fingerprint: String = conn
        .query_row(
            "SELECT (SELECT count(*) FROM project) || '|' || (SELECT sum(id * length(title)) FROM project)
                 || '|' || (SELECT group_concat(status, '') FROM (SELECT status FROM project ORDER BY id LIMIT 12))
                 || '|' || (SELECT sum(actual) FROM activity) || '|' || (SELECT count(*) FROM need)",
            [],
            |r| r.get(0),
        )
        .expect("fingerprint");
    assert_eq!(fingerprint, FINGERPRINT_V1);
}

/// Taken from the generator of commit cec77cd, before the version-2 rows.
const FINGERPRINT_V1: &str =
    "90|22745|doneactivedonedonedonedonedoneactivedonedonedonedone|15883|28";
