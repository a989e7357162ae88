//! The service records sheet (服务纪实): a sign-in sheet as the office keeps it, in GBK as
//! Excel saves a CSV on a Chinese Windows, with durations written three ways.

mod common;

use common::bin;
use std::path::{Path, PathBuf};
use std::process::Output;

const TODAY: &str = "2026-11-28";

const SEED: &str = "
    INSERT INTO street VALUES (1, '西江街道');
    INSERT INTO community VALUES (1, 1, '石羊塘社区'), (2, 1, '港宁社区');
    INSERT INTO unit VALUES (1, '区人民医院', '医院'), (2, '石羊塘小学', '学校');
    INSERT INTO project (id, community_id, unit_id, title, due_on, status, done_on) VALUES
      (1, 1, 1, '健康讲座', '2026-12-20', 'active', NULL);
    INSERT INTO member (id, community_id, unit_id, name, registered_on, left_on) VALUES
      (1, 1, 1, '王芳', '2026-01-10', NULL), (2, 1, 2, '李强', '2026-03-01', NULL),
      (3, 1, NULL, '陈静', '2025-05-01', NULL), (4, 2, 2, '王芳', '2026-02-01', NULL);";

fn db(dir: &Path) -> PathBuf {
    let path = dir.join("shared.db");
    let out = bin()
        .args(["--today", TODAY, "init"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch(SEED).expect("seed");
    path
}

fn gbk(dir: &Path, name: &str, text: &str) -> PathBuf {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really GBK");
    let path = dir.join(name);
    std::fs::write(&path, &bytes).expect("write");
    path
}

fn import(db: &Path, file: &Path) -> Output {
    bin()
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY, "import", "--operator", "王芳"])
        .arg(file)
        .output()
        .expect("runs")
}

fn rows(db: &Path) -> Vec<(i64, String, i64, Option<i64>)> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn
        .prepare("SELECT member_id, served_on, minutes, project_id FROM service ORDER BY id")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

#[test]
fn a_gbk_sign_in_sheet_with_three_spellings_of_ninety_minutes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = db(dir.path());
    let sheet = gbk(
        dir.path(),
        "签到表.csv",
        "姓名,工作单位,日期,时长,项目\r\n\
         王芳,区人民医院,2026-11-20,1.5,健康讲座\r\n\
         李强,石羊塘小学,2026-11-20,1小时30分,\r\n\
         陈静,,2026/11/21,90分钟,\r\n",
    );
    let out = import(&db, &sheet);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        rows(&db),
        [
            (1, "2026-11-20".to_string(), 90, Some(1)),
            (2, "2026-11-20".to_string(), 90, None),
            (3, "2026-11-21".to_string(), 90, None),
        ]
    );
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("服务纪实"), "{summary}");
    // Each session is in the adjustment log, with its community.
    let conn = rusqlite::Connection::open(&db).expect("open");
    let logged: i64 = conn
        .query_row(
            "SELECT count(*) FROM adjustment WHERE action = 'import' AND community_id = 1 AND after LIKE '%\"service\"%'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(logged, 3);
    drop(conn);
    // The same sheet again adds nothing.
    let again = import(&db, &sheet);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(rows(&db).len(), 3);
}

#[test]
fn every_bad_row_of_a_sign_in_sheet_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = db(dir.path());
    let sheet = gbk(
        dir.path(),
        "签到表.csv",
        "姓名,工作单位,日期,时长,项目\r\n\
         王芳,,2026-11-20,2,\r\n\
         钱多多,,2026-11-20,2,\r\n\
         李强,,2026-11-20,0,\r\n\
         陈静,,2026-11-20,两小时,\r\n\
         陈静,,2026-11-20,1,不存在的项目\r\n\
         李强,石羊塘小学,2026-11-22,1.5,\r\n",
    );
    let out = import(&db, &sheet);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for row in ["第 2 行", "第 3 行", "第 4 行", "第 5 行", "第 6 行"] {
        assert!(stderr.contains(row), "{row}: {stderr}");
    }
    assert!(!stderr.contains("第 7 行"), "{stderr}");
    assert!(stderr.contains("多名党员同名"), "{stderr}");
    assert!(stderr.contains("不是已报到的党员"), "{stderr}");
    assert!(rows(&db).is_empty());
}

#[test]
fn the_headers_offices_write_are_read_and_a_minutes_header_makes_numbers_minutes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = db(dir.path());
    // 报到党员 for the name, 服务时长 for hours, 服务内容 for the note.
    let hours = gbk(
        dir.path(),
        "服务签到.csv",
        "报到党员,工作单位,服务日期,服务时长,服务内容\r\n\
         王芳,区人民医院,2026-11-20,2,义诊\r\n\
         李强,,2026-11-21,1.5,\r\n",
    );
    let out = import(&db, &hours);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // 服务时长（分钟）: a bare number is minutes.
    let minutes = gbk(
        dir.path(),
        "分钟签到.csv",
        "报到党员,工作单位,日期,服务时长（分钟）\r\n\
         陈静,,2026-11-22,45\r\n\
         李强,,2026-11-22,1小时\r\n",
    );
    let out = import(&db, &minutes);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        rows(&db),
        [
            (1, "2026-11-20".to_string(), 120, None),
            (2, "2026-11-21".to_string(), 90, None),
            (3, "2026-11-22".to_string(), 45, None),
            (2, "2026-11-22".to_string(), 60, None),
        ]
    );
    let conn = rusqlite::Connection::open(&db).expect("open");
    let note: String = conn
        .query_row("SELECT note FROM service WHERE id = 1", [], |r| r.get(0))
        .expect("note");
    assert_eq!(note, "义诊");
}

#[test]
fn the_report_csv_and_the_export_read_back_as_figures_not_as_a_sign_in_sheet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = db(dir.path());
    let csv = dir.path().join("汇总.csv");
    let xlsx = dir.path().join("汇总.xlsx");
    for file in [&csv, &xlsx] {
        let out = bin()
            .arg("--db")
            .arg(&db)
            .args(["--today", TODAY, "export"])
            .arg(file)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let header = std::fs::read_to_string(&csv).expect("csv");
    assert!(header.contains("报到党员") && header.contains("服务时长(分钟)"));
    let before = std::fs::read(&db).expect("bytes");
    for file in [&csv, &xlsx] {
        let out = import(&db, file);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("gongjian 导出的统计结果"), "{said}");
        assert!(said.contains("没有改动任何内容"), "{said}");
    }
    assert_eq!(std::fs::read(&db).expect("bytes"), before);
}
