//! `gongjian export --service-cards QUARTER DIR`: one card per unit and quarter, the card a
//! community returns to its members' workplace.

mod common;

use calamine::{Data, Reader};
use common::bin;
use std::path::{Path, PathBuf};
use std::process::Output;

const TODAY: &str = "2026-11-28";

const SEED: &str = "
    INSERT INTO street VALUES (1, '西江街道');
    INSERT INTO community VALUES (1, 1, '石羊塘社区'), (2, 1, '港宁社区');
    INSERT INTO unit VALUES (1, '区人民医院', '医院'), (2, '石羊塘小学', '学校'), (3, '区/税务局', '机关');
    INSERT INTO project (id, community_id, unit_id, title, due_on, status, done_on) VALUES
      (1, 1, 1, '健康讲座', '2026-12-20', 'active', NULL);
    INSERT INTO member (id, community_id, unit_id, name, registered_on, left_on) VALUES
      (1, 1, 1, '王芳', '2026-01-10', NULL),
      (2, 2, 1, '李强', '2026-03-01', NULL),
      (3, 1, 1, '赵敏', '2026-02-01', '2026-06-30'),
      (4, 1, 2, '陈静', '2026-05-01', NULL),
      (5, 2, NULL, '孙丽', '2026-05-01', NULL),
      (6, 1, 3, '周涛', '2026-11-01', NULL);
    INSERT INTO service (member_id, served_on, minutes, project_id, note) VALUES
      (1, '2026-07-05', 90, 1, '义诊'),
      (1, '2026-09-30', 60, NULL, ''),
      (2, '2026-08-01', 120, NULL, '助老'),
      (1, '2026-10-01', 45, NULL, ''),
      (5, '2026-08-01', 30, NULL, '');";

fn db(dir: &Path) -> PathBuf {
    let path = dir.join("shared.db");
    let out = bin()
        .args(["--today", TODAY, "init"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(out.status.success());
    rusqlite::Connection::open(&path)
        .expect("open")
        .execute_batch(SEED)
        .expect("seed");
    path
}

fn cards(db: &Path, args: &[&str]) -> Output {
    bin()
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY])
        .args(args)
        .output()
        .expect("runs")
}

fn cell(range: &calamine::Range<Data>, r: usize, c: usize) -> String {
    match range.get((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::DateTime(d)) => {
            let (y, m, d, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        _ => String::new(),
    }
}

fn rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut book = calamine::open_workbook_auto(path).expect("open");
    let range = book.worksheet_range(sheet).expect("sheet");
    (0..range.height())
        .map(|r| (0..range.width()).map(|c| cell(&range, r, c)).collect())
        .collect()
}

#[test]
fn one_card_per_unit_with_its_members_per_community_and_their_hours() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = db(dir.path());
    let out_dir = dir.path().join("服务卡");
    let out = cards(
        &db,
        &[
            "export",
            "--service-cards",
            "2026年第三季度",
            out_dir.to_str().expect("utf-8"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("已写出 2 张党员服务卡（2026年第3季度，3 名党员）"),
        "{said}"
    );
    assert!(said.contains("1 名党员未填工作单位"), "{said}");
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // 周涛 (区/税务局) registered in November: no card for Q3.
    assert_eq!(
        names,
        [
            "党员服务卡_2026Q3_区人民医院.xlsx",
            "党员服务卡_2026Q3_石羊塘小学.xlsx"
        ]
    );
    let hospital = out_dir.join("党员服务卡_2026Q3_区人民医院.xlsx");
    let card = rows(&hospital, "服务卡");
    assert_eq!(
        card,
        [
            vec![
                "街道",
                "社区",
                "党员",
                "报到日期",
                "离开日期",
                "服务次数",
                "服务时长(分钟)",
                "服务时长(小时)"
            ],
            // Pinyin order: 港宁 before 石羊塘.
            vec![
                "西江街道",
                "港宁社区",
                "李强",
                "2026-03-01",
                "",
                "1",
                "120",
                "2"
            ],
            vec![
                "西江街道",
                "港宁社区",
                "（社区小计）",
                "",
                "",
                "1",
                "120",
                "2"
            ],
            vec![
                "西江街道",
                "石羊塘社区",
                "王芳",
                "2026-01-10",
                "",
                "2",
                "150",
                "2.5"
            ],
            // Left before the quarter and served nothing in it: not on the card.
            vec![
                "西江街道",
                "石羊塘社区",
                "（社区小计）",
                "",
                "",
                "2",
                "150",
                "2.5"
            ],
            vec!["", "", "（合计）", "", "", "3", "270", "4.5"],
        ]
    );
    let sessions = rows(&hospital, "服务明细");
    assert_eq!(sessions.len(), 4, "{sessions:?}");
    assert_eq!(
        sessions[1],
        [
            "石羊塘社区",
            "王芳",
            "2026-07-05",
            "90",
            "1.5",
            "健康讲座",
            "义诊"
        ]
    );
    // A member with no session in the quarter is on the card with 0: the unit hears of it.
    let school = rows(&out_dir.join("党员服务卡_2026Q3_石羊塘小学.xlsx"), "服务卡");
    assert_eq!(school[1][2], "陈静");
    assert_eq!(school[1][5], "0");

    // Again without --force: refused before anything is written; with it, replaced.
    let before = std::fs::read(&hospital).expect("bytes");
    let out = cards(
        &db,
        &[
            "export",
            "--service-cards",
            "2026Q3",
            out_dir.to_str().expect("utf-8"),
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read(&hospital).expect("bytes"), before);
    let out = cards(
        &db,
        &[
            "export",
            "--service-cards",
            "2026Q3",
            out_dir.to_str().expect("utf-8"),
            "--force",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The Q4 card: 周涛's unit name has a slash, made safe in the file name; Q4 is cut at today.
    let out = cards(
        &db,
        &[
            "--lang",
            "en",
            "export",
            "--service-cards",
            "2026-Q4",
            out_dir.to_str().expect("utf-8"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tax = out_dir.join("service-card_2026Q4_区_税务局.xlsx");
    assert!(tax.exists());
    let about = rows(&tax, "about");
    assert!(
        about.iter().any(|r| r[0] == "to" && r[1] == "2026-11-28"),
        "{about:?}"
    );

    // A card imported back is recognised as gongjian's own figures: nothing changes.
    let out = cards(
        &db,
        &[
            "import",
            "--operator",
            "王芳",
            hospital.to_str().expect("utf-8"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("没有改动任何内容"));

    // A quarter not begun, or not a quarter: one clear line each.
    for (quarter, words) in [("2027Q1", "还没有开始"), ("第三季度", "不是季度")] {
        let out = cards(
            &db,
            &[
                "export",
                "--service-cards",
                quarter,
                out_dir.to_str().expect("utf-8"),
            ],
        );
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(words), "{err}");
    }
}
