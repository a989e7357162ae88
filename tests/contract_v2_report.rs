//! `report` on files that carry contract version 2: the JSON additions exactly as the contract
//! prints them, rows another tool wrote badly named instead of failing the command, and the
//! demo district's three new panels.

mod common;

use common::{CONTRACT_SQL, bin};
use gongjian::store::{Store, load_demo};
use serde_json::{Value, json};

const TODAY: &str = "2026-11-28";

/// A file another tool made at user_version 1 with the version-2 tables already in it.
fn foreign_v2_file(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("v2.db");
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch(CONTRACT_SQL).expect("v1");
    conn.execute_batch(
        "ALTER TABLE project ADD COLUMN need_id INTEGER REFERENCES need(id);
         CREATE TABLE survey (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL REFERENCES project(id),
             held_on TEXT NOT NULL, respondents INTEGER NOT NULL, satisfied INTEGER NOT NULL);
         CREATE TABLE member (id INTEGER PRIMARY KEY, community_id INTEGER NOT NULL REFERENCES community(id),
             unit_id INTEGER REFERENCES unit(id), name TEXT NOT NULL, registered_on TEXT NOT NULL, left_on TEXT);
         CREATE TABLE service (id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL REFERENCES member(id),
             served_on TEXT NOT NULL, minutes INTEGER NOT NULL, project_id INTEGER REFERENCES project(id),
             note TEXT NOT NULL DEFAULT '');
         INSERT INTO street VALUES (1, '西江街道');
         INSERT INTO community VALUES (1, 1, '石羊塘社区'), (2, 1, '港宁社区');
         INSERT INTO unit VALUES (9, '华信软件', '企业'), (3, '区医院', '医院');
         INSERT INTO need VALUES (8, 1, '老年人阅读', '2026-07-01', 'survey'),
                                 (9, 1, '充电桩', '2026-02-01', 'visit'),
                                 (10, 1, '议事场地', '2026-10-01', 'forum');
         INSERT INTO resource VALUES (5, 1, 9, '技术类图书200册', 0), (6, 1, 3, '义诊', 2);
         INSERT INTO project (id, community_id, unit_id, title, due_on, status, need_id) VALUES
             (3, 1, 9, '读书会', '2026-12-31', 'active', NULL),
             (4, 2, NULL, '充电桩安装', '2026-12-31', 'active', 9),
             (5, 1, 3, '义诊', '2026-12-31', 'cancelled', 8);
         INSERT INTO survey VALUES (1, 3, '2026-05-01', 50, 20), (2, 3, '2026-06-01', '三十', 10);
         INSERT INTO member VALUES (1, 1, 9, '王芳', '2026-01-01', NULL), (2, 1, NULL, '李强', '2026-01-01', NULL),
                                   (3, 1, 9, '赵敏', '2026-01-01', '2026-03-01');
         INSERT INTO service VALUES (1, 3, '2026-02-01', 90, NULL, ''), (2, 1, '2026-11-28', 45, 4, '');",
    )
    .expect("a version-2 district");
    conn.pragma_update(None, "user_version", 1)
        .expect("version");
    path
}

#[test]
fn json_carries_the_three_panels_as_the_contract_prints_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = foreign_v2_file(dir.path());
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["--today", TODAY, "report", "--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("survey") && stderr.contains("三十"),
        "the bad survey row is named: {stderr}"
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let t = &report["thresholds"];
    for (key, value) in [
        ("need_response_days", 60),
        ("satisfaction_alert_pct", 80),
        ("member_record_alert_pct", 80),
        ("model_communities", 10),
        ("model_units", 20),
        ("completion_alert_pct", 50),
    ] {
        assert_eq!(t[key], json!(value), "{key}");
    }
    let c1 = &report["communities"][0];
    assert_eq!(c1["id"], json!(1));
    // Need 9 is answered by community 2's project; need 8 only by a cancelled one (150 days);
    // need 10 waits 58 days, under the 60.
    assert_eq!(
        c1["needs"],
        json!({ "total": 3, "answered": 1,
                "unmet": [ { "need_id": 8, "title": "老年人阅读", "raised_on": "2026-07-01", "days_waiting": 150 } ],
                "idle_resources": [ { "resource_id": 5, "title": "技术类图书200册", "unit_id": 9 } ] })
    );
    assert_eq!(
        c1["satisfaction"],
        json!({ "respondents": 50, "satisfied": 20, "pct": 40.0, "alert": true,
                "projects": [ { "project_id": 3, "title": "读书会", "respondents": 50, "satisfied": 20, "pct": 40.0, "alert": true } ] })
    );
    let members = &c1["members"];
    assert_eq!(
        (
            &members["active"],
            &members["recorded"],
            &members["minutes"],
            &members["pct"],
            &members["alert"]
        ),
        (
            &json!(2),
            &json!(1),
            &json!(135),
            &json!(50.0),
            &json!(true)
        ),
        "member 3 left in March, yet her 90 minutes count"
    );
    let units = members["units"].as_array().expect("units");
    assert_eq!(units.len(), 2);
    assert_eq!(
        (
            &units[0]["unit_id"],
            &units[0]["name"],
            &units[0]["active"],
            &units[0]["recorded"],
            &units[0]["minutes"]
        ),
        (
            &json!(9),
            &json!("华信软件"),
            &json!(1),
            &json!(1),
            &json!(135)
        )
    );
    assert_eq!(
        (
            &units[1]["unit_id"],
            &units[1]["name"],
            &units[1]["active"],
            &units[1]["recorded"],
            &units[1]["minutes"]
        ),
        (&Value::Null, &Value::Null, &json!(1), &json!(0), &json!(0))
    );
    assert_eq!(c1["more_alerts"], json!(1 + 1 + 1));
    let c2 = &report["communities"][1];
    assert_eq!(c2["satisfaction"]["pct"], Value::Null);
    assert_eq!(c2["satisfaction"]["alert"], json!(false));
    assert_eq!(c2["members"]["pct"], Value::Null);
    assert_eq!(c2["members"]["alert"], json!(false));
    assert_eq!(c2["more_alerts"], json!(0));
}

#[test]
fn the_demo_district_shows_the_speechs_new_problems() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::create(&dir.path().join("demo.db")).expect("create");
    let today = gongjian::dates::parse_ymd(TODAY).expect("day");
    load_demo(&mut store, today).expect("demo");
    let (report, problems) = gongjian::cli::compute_report(&store, today).expect("report");
    assert!(problems.is_empty(), "{problems:?}");
    let c = |id: i64| {
        report
            .communities
            .iter()
            .find(|c| c.id == id)
            .expect("community")
    };
    let s5 = &c(5).satisfaction;
    assert_eq!((s5.respondents, s5.satisfied), (120, 70));
    assert_eq!(s5.pct.map(|p| p.to_string()).as_deref(), Some("58.3"));
    let unmet4: Vec<i64> = c(4).needs.unmet.iter().map(|n| n.need_id).collect();
    assert_eq!(unmet4, vec![11, 12]);
    assert!(
        c(4).needs
            .idle_resources
            .iter()
            .any(|r| r.title.contains("200册"))
    );
    let unmet11: Vec<i64> = c(11).needs.unmet.iter().map(|n| n.need_id).collect();
    assert_eq!(
        unmet11,
        vec![36, 37],
        "37 is answered only by a cancelled project"
    );
    let m1 = &c(1).members;
    assert_eq!((m1.active, m1.recorded, m1.alert), (8, 7, false));
    assert_eq!(m1.minutes, 120 + 90 + 180 + 240 + 60 + 90 + 45 + 120 + 120);
    assert!(c(2).members.alert && c(11).members.alert);
    assert!(c(1).needs.unmet.is_empty() && c(13).needs.unmet.is_empty());
}
