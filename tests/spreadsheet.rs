//! Spreadsheets in and out (issue 8), through the real binary: workbooks written with
//! rust_xlsxwriter and read back with calamine, GBK and BOM CSV fixtures, every date form,
//! all-or-nothing imports, re-import idempotence, the dry run, the export of the demo district
//! against `report --format json`, and the template.

mod common;

use calamine::{Data, Reader};
use common::{bin, bytes};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Output;

const TODAY: &str = "2026-11-28";

/// A cell of a test workbook.
#[derive(Clone)]
enum C {
    S(&'static str),
    N(f64),
    /// An Excel date cell.
    D(u16, u8, u8),
    E,
}
use C::*;

fn write_xlsx(path: &Path, sheets: &[(&str, Vec<Vec<C>>)]) {
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("yyyy/m/d");
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    S(s) => {
                        sheet.write_string(r, c, *s).expect("write");
                    }
                    N(n) => {
                        sheet.write_number(r, c, *n).expect("write");
                    }
                    D(y, m, d) => {
                        let dt = ExcelDateTime::from_ymd(*y, *m, *d).expect("date");
                        sheet
                            .write_datetime_with_format(r, c, &dt, &date)
                            .expect("write");
                    }
                    E => {}
                }
            }
        }
    }
    workbook.save(path).expect("save");
}

fn gongjian(db: &Path, args: &[&str]) -> Output {
    bin()
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY])
        .args(args)
        .output()
        .expect("runs")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

fn failed(out: &Output) -> String {
    assert!(
        !out.status.success(),
        "should fail: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr.clone()).expect("utf-8")
}

fn new_db(dir: &Path, demo: bool) -> PathBuf {
    let path = dir.join(if demo { "demo.db" } else { "empty.db" });
    let mut cmd = bin();
    cmd.args(["--today", TODAY, "init"]);
    if demo {
        cmd.arg("--demo");
    }
    ok(&cmd.arg(&path).output().expect("runs"));
    path
}

fn import(db: &Path, files: &[&Path], extra: &[&str]) -> Output {
    let mut cmd = bin();
    cmd.arg("--db")
        .arg(db)
        .args(["--today", TODAY, "import", "--operator", "测试员"])
        .args(extra);
    for f in files {
        cmd.arg(f);
    }
    cmd.output().expect("runs")
}

/// Every row of every table, as text: equal dumps mean nothing was written.
fn dump(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut out = String::new();
    for table in [
        "street",
        "community",
        "unit",
        "contract",
        "resource",
        "need",
        "project",
        "meeting",
        "activity",
        "adjustment",
        "setting",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY id"))
            .or_else(|_| conn.prepare(&format!("SELECT * FROM {table}")))
            .expect("select");
        let columns = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut line = format!("{table}:");
                for i in 0..columns {
                    let v: rusqlite::types::Value = r.get(i)?;
                    line.push_str(&format!(" {v:?}"));
                }
                Ok(line)
            })
            .expect("query");
        for row in rows {
            out.push_str(&row.expect("row"));
            out.push('\n');
        }
    }
    out
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db)
        .expect("open")
        .query_row(sql, [], |r| r.get(0))
        .expect("count")
}

fn text(db: &Path, sql: &str) -> Option<String> {
    rusqlite::Connection::open(db)
        .expect("open")
        .query_row(sql, [], |r| r.get(0))
        .expect("query")
}

fn header(cells: &[&'static str]) -> Vec<C> {
    cells.iter().map(|s| S(s)).collect()
}

/// A workbook with every list, as an office would fill in the template.
fn every_list(activity_actual: f64, project_change: bool) -> Vec<(&'static str, Vec<Vec<C>>)> {
    vec![
        (
            "社区",
            vec![
                header(&["街道", "社区"]),
                vec![S("西江街道"), S("石羊塘社区")],
                vec![S("西江街道"), S("枫林社区")],
            ],
        ),
        (
            "驻区单位",
            vec![
                header(&["驻区单位", "单位类型"]),
                vec![S("区人民医院"), S("医院")],
                vec![S("实验小学"), S("学校")],
            ],
        ),
        (
            "共建契约",
            vec![
                header(&["街道", "社区", "驻区单位", "签约日期"]),
                vec![
                    S("西江街道"),
                    S("石羊塘社区"),
                    S("区人民医院"),
                    D(2026, 1, 10),
                ],
                vec![E, S("枫林社区"), S("实验小学"), S("2026年1月12日")],
            ],
        ),
        (
            "资源清单",
            vec![
                header(&["社区", "驻区单位", "资源名称", "使用次数"]),
                vec![S("石羊塘社区"), S("区人民医院"), S("义诊"), N(3.0)],
                vec![S("枫林社区"), S("实验小学"), S("操场开放"), S("0")],
            ],
        ),
        (
            "需求清单",
            vec![
                header(&["社区", "需求名称", "提出日期", "来源"]),
                vec![S("石羊塘社区"), S("老年助餐"), S("2026.3.1"), S("走访")],
            ],
        ),
        (
            "项目清单",
            vec![
                // A title row above the headers, as offices often have.
                vec![S("2026 年共建项目清单")],
                header(&[
                    "街道",
                    "社区",
                    "项目名称",
                    "牵头单位",
                    "截止日期",
                    "状态",
                    "完成日期",
                ]),
                vec![
                    S("西江街道"),
                    S("石羊塘社区"),
                    S("健康讲座"),
                    S("区人民医院"),
                    S("2026-06-30"),
                    S("已完成"),
                    D(2026, 6, 1),
                ],
                if project_change {
                    vec![
                        S("西江街道"),
                        S("石羊塘社区"),
                        S("飞线充电整治"),
                        E,
                        S("2026/12/31"),
                        S("已完成"),
                        S("2026/11/20"),
                    ]
                } else {
                    vec![
                        S("西江街道"),
                        S("石羊塘社区"),
                        S("飞线充电整治"),
                        E,
                        S("2026/3/31"),
                        S("进行中"),
                        E,
                    ]
                },
                vec![
                    S("西江街道"),
                    S("枫林社区"),
                    S("垃圾分类督导"),
                    S("实验小学"),
                    D(2026, 11, 28),
                    S("paused"),
                    E,
                ],
                vec![
                    S("西江街道"),
                    S("新村社区"),
                    S("老年大学"),
                    S("区老干部局"),
                    S("2026/11/8"),
                    S("cancelled"),
                    E,
                ],
            ],
        ),
        (
            "会议",
            vec![
                header(&["社区", "会议类型", "召开日期", "参会人数", "备注"]),
                vec![
                    S("石羊塘社区"),
                    S("季度例会"),
                    S("2026-03-15"),
                    N(12.0),
                    S("第一季度"),
                ],
                vec![S("石羊塘社区"), S("季度例会"), S("2026-06-15"), E, E],
                vec![
                    S("枫林社区"),
                    S("现场会"),
                    S("2026-05-01"),
                    S("5人"),
                    S("=SUM(1)"),
                ],
            ],
        ),
        (
            "活动记录",
            vec![
                header(&["社区", "项目名称", "活动日期", "计划人数", "实际人数"]),
                vec![
                    S("石羊塘社区"),
                    S("健康讲座"),
                    S("2026-05-01"),
                    N(30.0),
                    N(activity_actual),
                ],
                // A second session of the same project on the same day.
                vec![
                    S("石羊塘社区"),
                    S("健康讲座"),
                    S("2026-05-01"),
                    N(30.0),
                    N(28.0),
                ],
                vec![
                    S("枫林社区"),
                    S("垃圾分类督导"),
                    S("2026-10-01"),
                    N(60.0),
                    N(36.0),
                ],
            ],
        ),
    ]
}

#[test]
fn every_list_round_trips_through_a_real_xlsx_and_reimporting_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_db(dir.path(), false);
    let file = dir.path().join("lists.xlsx");
    write_xlsx(&file, &every_list(25.0, false));

    let summary = ok(&import(&db, &[&file], &[]));
    assert!(summary.contains("导入完成"), "{summary}");
    assert!(summary.contains("新建街道（1）：西江街道"), "{summary}");
    assert!(summary.contains("新建社区（3）"), "{summary}");
    assert!(summary.contains("区老干部局"), "{summary}");
    for (table, n) in [
        ("street", 1),
        ("community", 3),
        ("unit", 3),
        ("contract", 2),
        ("resource", 2),
        ("need", 1),
        ("project", 4),
        ("meeting", 3),
        ("activity", 3),
        ("adjustment", 22),
    ] {
        assert_eq!(
            count(&db, &format!("SELECT count(*) FROM {table}")),
            n,
            "{table}"
        );
    }
    // Values as the contract stores them.
    assert_eq!(
        text(
            &db,
            "SELECT due_on || '|' || status || '|' || done_on || '|' || (SELECT name FROM unit WHERE id = unit_id) FROM project WHERE title = '健康讲座'"
        ),
        Some("2026-06-30|done|2026-06-01|区人民医院".into())
    );
    assert_eq!(
        text(
            &db,
            "SELECT due_on || '|' || status FROM project WHERE title = '垃圾分类督导'"
        ),
        Some("2026-11-28|paused".into())
    );
    assert_eq!(
        text(
            &db,
            "SELECT unit_id FROM project WHERE title = '飞线充电整治'"
        ),
        None
    );
    assert_eq!(
        text(
            &db,
            "SELECT group_concat(signed_on, ',') FROM (SELECT signed_on FROM contract ORDER BY id)"
        ),
        Some("2026-01-10,2026-01-12".into())
    );
    assert_eq!(
        text(&db, "SELECT raised_on || '|' || source FROM need"),
        Some("2026-03-01|visit".into())
    );
    assert_eq!(
        text(
            &db,
            "SELECT group_concat(kind || ':' || ifnull(attendees, '-') || ':' || note, ',') FROM (SELECT * FROM meeting ORDER BY id)"
        ),
        Some("quarterly:12:第一季度,quarterly:-:,site_visit:5:=SUM(1)".into())
    );
    assert_eq!(
        text(&db, "SELECT kind FROM unit WHERE name = '实验小学'"),
        Some("学校".into())
    );
    // Every change is in the log, with who and why.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM adjustment WHERE operator = '测试员' AND action = 'import' AND reason = '导入 lists.xlsx' AND at LIKE '____-__-__T__:__:__Z'"
        ),
        22
    );
    let created: Value = serde_json::from_str(
        &text(&db, "SELECT after FROM adjustment WHERE project_id = (SELECT id FROM project WHERE title = '健康讲座') AND json_extract(after, '$.project') IS NOT NULL")
            .expect("entry"),
    )
    .expect("json");
    assert_eq!(created["project"]["due_on"], "2026-06-30");

    // The same file again: nothing changes, not even the log.
    let before = dump(&db);
    let again = ok(&import(&db, &[&file], &[]));
    assert!(again.contains("没有改动任何内容"), "{again}");
    assert!(
        again.contains("项目清单：新增 0，更新 0，未变 4"),
        "{again}"
    );
    assert!(
        again.contains("活动记录：新增 0，更新 0，未变 3"),
        "{again}"
    );
    assert_eq!(dump(&db), before);

    // The workbook can be read back by calamine as written (the round trip of the writer).
    let mut workbook = calamine::open_workbook_auto(&file).expect("open");
    assert_eq!(workbook.sheet_names().len(), 8);
    let projects = workbook.worksheet_range("项目清单").expect("sheet");
    assert!(matches!(
        projects.get_value((2, 6)),
        Some(Data::DateTime(_))
    ));
}

#[test]
fn a_changed_row_updates_its_project_and_is_logged_like_an_adjustment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_db(dir.path(), false);
    let first = dir.path().join("lists.xlsx");
    write_xlsx(&first, &every_list(25.0, false));
    ok(&import(&db, &[&first], &[]));
    let log_before = count(&db, "SELECT count(*) FROM adjustment");

    let changed = dir.path().join("清单-第二版.xlsx");
    write_xlsx(&changed, &every_list(26.0, true));

    // The dry run says what would change and writes nothing.
    let before = dump(&db);
    let db_bytes = bytes(&db);
    let preview = ok(&import(&db, &[&changed], &["--dry-run"]));
    assert!(preview.starts_with("试运行"), "{preview}");
    assert!(
        preview.contains("~ 西江街道 石羊塘社区「飞线充电整治」：截止日期 2026-03-31 → 2026-12-31，状态 进行中 → 已完成，完成日期 （无） → 2026-11-20"),
        "{preview}"
    );
    assert!(
        preview.contains("项目清单：将新增 0，将更新 1，未变 3"),
        "{preview}"
    );
    assert!(
        preview.contains("活动记录：将新增 0，将更新 1，未变 2"),
        "{preview}"
    );
    assert!(preview.contains("实际人数 25 → 26"), "{preview}");
    assert_eq!(dump(&db), before);
    assert_eq!(bytes(&db), db_bytes);

    let en = bin()
        .arg("--db")
        .arg(&db)
        .args(["--today", TODAY, "--lang", "en", "import", "--dry-run"])
        .arg(&changed)
        .output()
        .expect("runs");
    let en = ok(&en);
    assert!(en.starts_with("Dry run"), "{en}");
    assert!(en.contains("due 2026-03-31 → 2026-12-31"), "{en}");
    assert_eq!(dump(&db), before);

    // The import itself.
    let summary = ok(&import(&db, &[&changed], &[]));
    assert!(
        summary.contains("项目清单：新增 0，更新 1，未变 3"),
        "{summary}"
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM adjustment"),
        log_before + 2
    );
    assert_eq!(
        text(
            &db,
            "SELECT due_on || '|' || status || '|' || done_on FROM project WHERE title = '飞线充电整治'"
        ),
        Some("2026-12-31|done|2026-11-20".into())
    );
    let conn = rusqlite::Connection::open(&db).expect("open");
    let (before, after, reason, project): (String, String, String, i64) = conn
        .query_row(
            "SELECT before, after, reason, project_id FROM adjustment WHERE project_id = (SELECT id FROM project WHERE title = '飞线充电整治') ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("entry");
    assert_eq!(reason, "导入 清单-第二版.xlsx");
    assert!(project > 0);
    let before: Value = serde_json::from_str(&before).expect("json");
    let after: Value = serde_json::from_str(&after).expect("json");
    assert_eq!(
        before,
        serde_json::json!({"due_on": "2026-03-31", "status": "active", "done_on": null})
    );
    assert_eq!(
        after,
        serde_json::json!({"due_on": "2026-12-31", "status": "done", "done_on": "2026-11-20"})
    );
    let activity: Value = serde_json::from_str(
        &text(
            &db,
            "SELECT after FROM adjustment WHERE json_extract(after, '$.actual') IS NOT NULL",
        )
        .expect("entry"),
    )
    .expect("json");
    assert_eq!(activity["actual"], 26);
    assert_eq!(activity["held_on"], "2026-05-01");
    // A stale sheet cannot reopen a closed project: undoing in the log is the way.
    let stale = dir.path().join("stale.csv");
    std::fs::write(
        &stale,
        "社区,项目名称,截止日期,状态\n石羊塘社区,飞线充电整治,2026-12-31,进行中\n",
    )
    .expect("write");
    let before = dump(&db);
    let err = failed(&import(&db, &[&stale], &[]));
    assert!(
        err.contains("stale.csv，第 2 行，D 列「状态」：“进行中” 数据库中该项目已是「已完成」"),
        "{err}"
    );
    assert_eq!(dump(&db), before);

    // Only the first of the two same-day sessions changed.
    assert_eq!(
        text(
            &db,
            "SELECT group_concat(actual, ',') FROM (SELECT actual FROM activity ORDER BY id)"
        ),
        Some("26,28,36".into())
    );
}

#[test]
fn several_bad_rows_are_all_reported_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_db(dir.path(), true);
    let file = dir.path().join("bad.xlsx");
    write_xlsx(
        &file,
        &[
            (
                "项目清单",
                vec![
                    header(&[
                        "街道",
                        "社区",
                        "项目名称",
                        "牵头单位",
                        "截止日期",
                        "状态",
                        "完成日期",
                    ]),
                    // A good row: it must not be written either.
                    vec![
                        S("西江街道"),
                        S("石羊塘社区"),
                        S("新项目"),
                        E,
                        S("2026-12-01"),
                        S("进行中"),
                        E,
                    ],
                    vec![
                        S("西江街道"),
                        S("石羊塘社区"),
                        S("日期错"),
                        E,
                        S("2026-02-30"),
                        S("进行中"),
                        E,
                    ],
                    vec![
                        S("西江街道"),
                        S("石羊塘社区"),
                        S("状态错"),
                        E,
                        S("2026-12-01"),
                        S("搁置"),
                        E,
                    ],
                    vec![S("西江街道"), S("石羊塘社区"), E, E, S("2026-12-01"), E, E],
                    vec![
                        S("西江街道"),
                        S("石羊塘社区"),
                        S("完成无日期"),
                        E,
                        S("2026-12-01"),
                        S("已完成"),
                        E,
                    ],
                    vec![E, S("不存在社区"), S("无街道"), E, S("2026-12-01"), E, E],
                    vec![E, S("石羊塘社区"), S("年份错"), E, S("2206-01-01"), E, E],
                ],
            ),
            (
                "活动记录",
                vec![
                    header(&["社区", "项目名称", "活动日期", "计划人数", "实际人数"]),
                    vec![
                        S("石羊塘社区"),
                        S("没有这个项目"),
                        S("2026-11-01"),
                        N(10.0),
                        N(5.0),
                    ],
                    vec![S("石羊塘社区"), S("新项目"), S("明天"), N(0.0), N(-1.0)],
                ],
            ),
        ],
    );
    let before = dump(&db);
    let db_bytes = bytes(&db);
    let err = failed(&import(&db, &[&file], &[]));
    // Row 6 (已完成 without a date) is not a problem: it would import without a date.
    assert!(err.contains("发现 9 处问题，数据库未作任何改动"), "{err}");
    assert!(!err.contains("第 6 行"), "{err}");
    for expected in [
        "bad.xlsx，工作表「项目清单」，第 3 行，E 列「截止日期」：“2026-02-30” 不是真实存在的日期；可用：日期，如 2026-11-28",
        "第 4 行，F 列「状态」：“搁置” 无法识别；可用：进行中、暂停、已完成、已终止",
        "第 5 行，C 列「项目名称」：为空；此列必填",
        "第 7 行，B 列「社区」：“不存在社区” 不是已有的社区",
        "工作表「活动记录」，第 2 行，B 列「项目名称」：“没有这个项目” 不是石羊塘社区已有的项目",
        "工作表「活动记录」，第 3 行，C 列「活动日期」：“明天” 不是可识别的日期",
        "第 3 行，D 列「计划人数」：“0” 超出范围；可用：1 到 100000 之间的整数",
        "第 3 行，E 列「实际人数」：“-1” 超出范围；可用：0 到 100000 之间的整数",
        "第 8 行，E 列「截止日期」：“2206-01-01” 年份不在 2000–2099 之间",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    assert_eq!(dump(&db), before);
    assert_eq!(bytes(&db), db_bytes);

    // In English, with the same places.
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["--today", TODAY, "--lang", "en", "import"])
        .arg(&file)
        .output()
        .expect("runs");
    let err = failed(&out);
    assert!(err.contains("9 problem(s) found"), "{err}");
    assert!(
        err.contains("bad.xlsx, sheet \"项目清单\", row 4, column F (状态): \"搁置\" is not recognised; accepted: 进行中 active"),
        "{err}"
    );
    assert_eq!(dump(&db), before);

    // A file that cannot be read at all, next to a good one: nothing is written either.
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "社区,项目名称,截止日期\n石羊塘社区,另一个新项目,2026-12-01\n",
    )
    .expect("write");
    let junk = dir.path().join("junk.xlsx");
    std::fs::write(&junk, "not a workbook").expect("write");
    let err = failed(&import(
        &db,
        &[&good, &junk, &dir.path().join("missing.csv")],
        &[],
    ));
    assert!(err.contains("junk.xlsx：无法作为工作簿读取"), "{err}");
    assert!(err.contains("missing.csv：找不到该文件"), "{err}");
    assert_eq!(dump(&db), before);
}

#[test]
fn every_date_form_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_db(dir.path(), true);
    let forms: [(&'static str, C, &str); 11] = [
        ("甲", S("2026-11-28"), "2026-11-28"),
        ("乙", S("2026/11/28"), "2026-11-28"),
        ("丙", S("2026/11/8"), "2026-11-08"),
        ("丁", S("2026年11月28日"), "2026-11-28"),
        ("戊", S("2026.11.28"), "2026-11-28"),
        ("己", D(2026, 11, 28), "2026-11-28"),
        ("庚", S("20261128"), "2026-11-28"),
        ("辛", N(46354.0), "2026-11-28"),
        ("壬", S("2026-1-5"), "2026-01-05"),
        ("癸", S("2026/11/28 14:30"), "2026-11-28"),
        ("子", S("２０２６年１１月２８日"), "2026-11-28"),
    ];
    let mut rows = vec![header(&["社区", "项目名称", "截止日期"])];
    for (title, cell, _) in &forms {
        rows.push(vec![S("石羊塘社区"), S(title), cell.clone()]);
    }
    let file = dir.path().join("dates.xlsx");
    write_xlsx(&file, &[("Sheet1", rows)]);
    ok(&import(&db, &[&file], &[]));
    for (title, _, expected) in forms {
        assert_eq!(
            text(
                &db,
                &format!("SELECT due_on FROM project WHERE title = '{title}'")
            ),
            Some(expected.to_string()),
            "{title}"
        );
    }
    // The text forms in a CSV too.
    let csv = dir.path().join("dates.csv");
    std::fs::write(
        &csv,
        "社区,会议类型,召开日期\n石羊塘社区,其他,2026-11-28\n石羊塘社区,其他,2026/11/27\n石羊塘社区,其他,2026/11/6\n石羊塘社区,其他,2026年11月25日\n石羊塘社区,其他,2026.11.24\n",
    )
    .expect("write");
    let last = count(&db, "SELECT max(id) FROM meeting");
    ok(&import(&db, &[&csv], &[]));
    assert_eq!(
        text(
            &db,
            &format!(
                "SELECT group_concat(held_on, ',') FROM (SELECT held_on FROM meeting WHERE id > {last} ORDER BY id)"
            )
        ),
        Some("2026-11-28,2026-11-27,2026-11-06,2026-11-25,2026-11-24".into())
    );
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/import")
        .join(name)
}

#[test]
fn gbk_and_bom_csv_files_are_detected_and_read() {
    let gbk = fixture("projects_gbk.csv");
    let bom = fixture("activities_bom.csv");
    assert!(
        std::str::from_utf8(&bytes(&gbk)).is_err(),
        "the fixture is GBK"
    );
    assert!(
        bytes(&bom).starts_with(b"\xEF\xBB\xBF"),
        "the fixture has a BOM"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_db(dir.path(), false);
    let summary = ok(&import(&db, &[&gbk, &bom], &[]));
    assert!(
        summary.contains("新建街道（2）：西江街道、东湖街道"),
        "{summary}"
    );
    assert!(summary.contains("新建社区（3）"), "{summary}");
    assert_eq!(count(&db, "SELECT count(*) FROM project"), 4);
    assert_eq!(count(&db, "SELECT count(*) FROM activity"), 3);
    assert_eq!(
        text(
            &db,
            "SELECT due_on || '|' || status || '|' || done_on FROM project WHERE title = '健康讲座'"
        ),
        Some("2026-06-30|done|2026-06-01".into())
    );
    assert_eq!(
        text(
            &db,
            "SELECT due_on FROM project WHERE title = '垃圾分类督导（桶边值守）'"
        ),
        Some("2026-11-08".into())
    );
    assert_eq!(
        text(&db, "SELECT status FROM project WHERE title = '老年大学'"),
        Some("cancelled".into())
    );
    assert_eq!(
        text(&db, "SELECT held_on FROM activity WHERE actual = 36"),
        Some("2026-10-01".into())
    );
    // Idempotent across encodings too.
    let before = dump(&db);
    ok(&import(&db, &[&gbk, &bom], &[]));
    assert_eq!(dump(&db), before);
}

#[test]
fn readonly_refuses_an_import_but_allows_a_dry_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_db(dir.path(), false);
    let gbk = fixture("projects_gbk.csv");
    let before = dump(&db);
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["--today", TODAY, "--readonly", "import"])
        .arg(&gbk)
        .output()
        .expect("runs");
    assert!(failed(&out).contains("只读"));
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["--today", TODAY, "--readonly", "import", "--dry-run"])
        .arg(&gbk)
        .output()
        .expect("runs");
    assert!(ok(&out).contains("试运行"));
    assert_eq!(dump(&db), before);
}

fn sheet(path: &Path, name: &str) -> calamine::Range<Data> {
    let mut workbook = calamine::open_workbook_auto(path).expect("open");
    workbook.worksheet_range(name).expect("sheet")
}

fn cell_f64(range: &calamine::Range<Data>, row: usize, col: usize) -> Option<f64> {
    match range.get((row, col)) {
        Some(Data::Float(f)) => Some(*f),
        Some(Data::Int(i)) => Some(*i as f64),
        Some(Data::Empty) | None => None,
        other => panic!("not a number at ({row}, {col}): {other:?}"),
    }
}

fn cell_text(range: &calamine::Range<Data>, row: usize, col: usize) -> String {
    match range.get((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        other => panic!("not text at ({row}, {col}): {other:?}"),
    }
}

fn xml_of(path: &Path, member: &str) -> String {
    let file = std::fs::File::open(path).expect("open");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut entry = zip.by_name(member).expect("member");
    let mut xml = String::new();
    entry.read_to_string(&mut xml).expect("read");
    xml
}

#[test]
fn the_export_of_the_demo_district_holds_the_report_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_db(dir.path(), true);
    let json: Value =
        serde_json::from_slice(ok(&gongjian(&db, &["report", "--format", "json"])).as_bytes())
            .expect("json");
    let communities = json["communities"].as_array().expect("list");
    let xlsx = dir.path().join("报表.xlsx");
    let said = ok(&gongjian(&db, &["export", xlsx.to_str().expect("utf-8")]));
    assert!(said.contains("13 个社区"), "{said}");

    let workbook = calamine::open_workbook_auto(&xlsx).expect("open");
    assert_eq!(
        workbook.sheet_names(),
        [
            "汇总",
            "清单完成率",
            "资源利用率",
            "逾期项目",
            "季度例会",
            "参与率预警",
            "参与不足单位",
            "未对接需求",
            "闲置资源",
            "群众满意度",
            "党员服务",
            "说明"
        ]
    );
    let pct = |v: &Value| v.as_f64();

    let summary = sheet(&xlsx, "汇总");
    assert_eq!(cell_text(&summary, 0, 6), "清单完成率(%)");
    assert_eq!(summary.height(), communities.len() + 1);
    for (i, c) in communities.iter().enumerate() {
        let r = i + 1;
        assert_eq!(cell_f64(&summary, r, 0), c["id"].as_f64());
        assert_eq!(
            cell_text(&summary, r, 1),
            c["street"].as_str().expect("street")
        );
        assert_eq!(cell_text(&summary, r, 2), c["name"].as_str().expect("name"));
        assert_eq!(cell_f64(&summary, r, 3), c["alerts"].as_f64());
        assert_eq!(cell_f64(&summary, r, 4), c["completion"]["done"].as_f64());
        assert_eq!(cell_f64(&summary, r, 5), c["completion"]["total"].as_f64());
        assert_eq!(cell_f64(&summary, r, 6), pct(&c["completion"]["pct"]));
        assert_eq!(
            cell_text(&summary, r, 7),
            if c["completion"]["alert"] == true {
                "是"
            } else {
                "否"
            }
        );
        assert_eq!(cell_f64(&summary, r, 10), pct(&c["resources"]["pct"]));
        assert_eq!(
            cell_f64(&summary, r, 12),
            Some(c["overdue"].as_array().expect("list").len() as f64)
        );
        assert_eq!(cell_f64(&summary, r, 17), c["meetings"]["missing"].as_f64());
        assert_eq!(
            cell_f64(&summary, r, 18),
            Some(c["low_participation"].as_array().expect("list").len() as f64)
        );
    }

    let completion = sheet(&xlsx, "清单完成率");
    let mut r = 1;
    for c in communities {
        assert_eq!(cell_text(&completion, r, 4), "（社区合计）");
        assert_eq!(cell_f64(&completion, r, 7), pct(&c["completion"]["pct"]));
        r += 1;
        for u in c["completion"]["units"].as_array().expect("units") {
            assert_eq!(cell_f64(&completion, r, 3), u["unit_id"].as_f64());
            assert_eq!(
                cell_text(&completion, r, 4),
                u["name"].as_str().expect("name")
            );
            assert_eq!(cell_f64(&completion, r, 5), u["done"].as_f64());
            assert_eq!(cell_f64(&completion, r, 6), u["total"].as_f64());
            assert_eq!(cell_f64(&completion, r, 7), pct(&u["pct"]));
            r += 1;
        }
    }
    assert_eq!(completion.height(), r);

    let overdue = sheet(&xlsx, "逾期项目");
    let all: Vec<&Value> = communities
        .iter()
        .flat_map(|c| c["overdue"].as_array().expect("list"))
        .collect();
    assert!(!all.is_empty());
    assert_eq!(overdue.height(), all.len() + 1);
    for (i, o) in all.iter().enumerate() {
        assert_eq!(cell_f64(&overdue, i + 1, 3), o["project_id"].as_f64());
        assert_eq!(
            cell_text(&overdue, i + 1, 4),
            o["title"].as_str().expect("title")
        );
        let Some(Data::DateTime(due)) = overdue.get((i + 1, 7)) else {
            panic!("due date is a date cell");
        };
        let (y, m, d, ..) = due.to_ymd_hms_milli();
        assert_eq!(
            format!("{y:04}-{m:02}-{d:02}"),
            o["due_on"].as_str().expect("due")
        );
        assert_eq!(cell_f64(&overdue, i + 1, 8), o["days_overdue"].as_f64());
    }

    let participation = sheet(&xlsx, "参与率预警");
    let all: Vec<&Value> = communities
        .iter()
        .flat_map(|c| c["low_participation"].as_array().expect("list"))
        .collect();
    assert_eq!(participation.height(), all.len() + 1);
    for (i, p) in all.iter().enumerate() {
        assert_eq!(cell_f64(&participation, i + 1, 5), p["planned"].as_f64());
        assert_eq!(cell_f64(&participation, i + 1, 6), p["actual"].as_f64());
        assert_eq!(cell_f64(&participation, i + 1, 7), pct(&p["pct"]));
    }
    assert!(
        (1..participation.height()).any(|r| cell_f64(&participation, r, 7) == Some(71.3)),
        "71.25 % rounds half away from zero to 71.3"
    );

    let inactive = sheet(&xlsx, "参与不足单位");
    let n: usize = communities
        .iter()
        .map(|c| c["inactive_units"].as_array().expect("list").len())
        .sum();
    assert_eq!(inactive.height(), n + 1);

    // Version 2: the summary's columns after the version-1 ones, as in the report's CSV.
    assert_eq!(cell_text(&summary, 0, 20), "需求总数");
    assert_eq!(cell_text(&summary, 0, 34), "新增预警数");
    for (i, c) in communities.iter().enumerate() {
        let r = i + 1;
        assert_eq!(cell_f64(&summary, r, 20), c["needs"]["total"].as_f64());
        assert_eq!(cell_f64(&summary, r, 21), c["needs"]["answered"].as_f64());
        assert_eq!(
            cell_f64(&summary, r, 22),
            Some(c["needs"]["unmet"].as_array().expect("list").len() as f64)
        );
        assert_eq!(cell_f64(&summary, r, 26), pct(&c["satisfaction"]["pct"]));
        assert_eq!(cell_f64(&summary, r, 28), c["members"]["active"].as_f64());
        assert_eq!(cell_f64(&summary, r, 32), c["members"]["minutes"].as_f64());
        assert_eq!(cell_f64(&summary, r, 34), c["more_alerts"].as_f64());
    }
    let unmet = sheet(&xlsx, "未对接需求");
    let all: Vec<&Value> = communities
        .iter()
        .flat_map(|c| c["needs"]["unmet"].as_array().expect("list"))
        .collect();
    assert!(!all.is_empty());
    assert_eq!(unmet.height(), all.len() + 1);
    for (i, n) in all.iter().enumerate() {
        assert_eq!(cell_f64(&unmet, i + 1, 3), n["need_id"].as_f64());
        assert_eq!(
            cell_text(&unmet, i + 1, 4),
            n["title"].as_str().expect("title")
        );
        assert_eq!(cell_f64(&unmet, i + 1, 6), n["days_waiting"].as_f64());
    }
    let idle = sheet(&xlsx, "闲置资源");
    let n: usize = communities
        .iter()
        .map(|c| c["needs"]["idle_resources"].as_array().expect("list").len())
        .sum();
    assert_eq!(idle.height(), n + 1);
    let satisfaction = sheet(&xlsx, "群众满意度");
    let mut r = 1;
    for c in communities {
        assert_eq!(cell_text(&satisfaction, r, 4), "（社区合计）");
        assert_eq!(
            cell_f64(&satisfaction, r, 5),
            c["satisfaction"]["respondents"].as_f64()
        );
        assert_eq!(
            cell_f64(&satisfaction, r, 7),
            pct(&c["satisfaction"]["pct"])
        );
        r += 1;
        for p in c["satisfaction"]["projects"].as_array().expect("projects") {
            assert_eq!(cell_f64(&satisfaction, r, 3), p["project_id"].as_f64());
            assert_eq!(cell_f64(&satisfaction, r, 6), p["satisfied"].as_f64());
            assert_eq!(cell_f64(&satisfaction, r, 7), pct(&p["pct"]));
            r += 1;
        }
    }
    assert_eq!(satisfaction.height(), r);
    let members = sheet(&xlsx, "党员服务");
    let mut r = 1;
    for c in communities {
        assert_eq!(cell_f64(&members, r, 5), c["members"]["active"].as_f64());
        assert_eq!(cell_f64(&members, r, 9), c["members"]["minutes"].as_f64());
        r += 1;
        for u in c["members"]["units"].as_array().expect("units") {
            assert_eq!(cell_f64(&members, r, 3), u["unit_id"].as_f64());
            let name = u["name"].as_str().unwrap_or("未填单位");
            assert_eq!(cell_text(&members, r, 4), name);
            assert_eq!(cell_f64(&members, r, 6), u["recorded"].as_f64());
            assert_eq!(cell_f64(&members, r, 9), u["minutes"].as_f64());
            r += 1;
        }
    }
    assert_eq!(members.height(), r);

    let meetings = sheet(&xlsx, "季度例会");
    for (i, c) in communities.iter().enumerate() {
        let words: Vec<String> = (3..7).map(|col| cell_text(&meetings, i + 1, col)).collect();
        let expected: Vec<&str> = c["meetings"]["quarters"]
            .as_array()
            .expect("quarters")
            .iter()
            .map(|q| match q.as_str().expect("state") {
                "held" => "已开",
                "missing" => "未开",
                "pending" => "本季",
                _ => "未到",
            })
            .collect();
        assert_eq!(words, expected);
    }

    // Frozen header rows and column widths that fit Chinese, in every sheet.
    for n in 1..=12 {
        let xml = xml_of(&xlsx, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(
            xml.contains(r#"<pane ySplit="1" topLeftCell="A2""#),
            "sheet{n}: {xml}"
        );
        assert!(xml.contains("<cols>"), "sheet{n}");
    }
    let xml = xml_of(&xlsx, "xl/worksheets/sheet1.xml");
    let widest_name = communities
        .iter()
        .map(|c| unicode_width::UnicodeWidthStr::width(c["name"].as_str().expect("name")))
        .max()
        .expect("some");
    let width: f64 = xml
        .split("<col ")
        .filter(|c| c.starts_with(r#"min="3" max="3""#))
        .find_map(|c| c.split("width=\"").nth(1)?.split('"').next()?.parse().ok())
        .expect("width of column C");
    assert!(width >= widest_name as f64, "{width} < {widest_name}");

    // CSV: the summary, as the report writes it.
    let csv = dir.path().join("报表.csv");
    ok(&gongjian(&db, &["export", csv.to_str().expect("utf-8")]));
    assert_eq!(
        bytes(&csv),
        gongjian(&db, &["report", "--format", "csv"]).stdout
    );
}

#[test]
fn export_neutralises_formulas_and_never_overwrites_without_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_db(dir.path(), true);
    rusqlite::Connection::open(&db)
        .and_then(|c| {
            c.execute(
                "UPDATE community SET name = '=HYPERLINK(\"x\")' WHERE id = 1",
                [],
            )
        })
        .expect("rename");
    let xlsx = dir.path().join("out.xlsx");
    ok(&gongjian(&db, &["export", xlsx.to_str().expect("utf-8")]));
    assert_eq!(cell_text(&sheet(&xlsx, "汇总"), 1, 2), "'=HYPERLINK(\"x\")");
    let before = bytes(&xlsx);
    let err = failed(&gongjian(&db, &["export", xlsx.to_str().expect("utf-8")]));
    assert!(err.contains("已存在") && err.contains("--force"), "{err}");
    assert_eq!(bytes(&xlsx), before);
    ok(&gongjian(
        &db,
        &["export", "--force", xlsx.to_str().expect("utf-8")],
    ));
    let err = failed(&gongjian(
        &db,
        &["export", dir.path().join("x.pdf").to_str().expect("utf-8")],
    ));
    assert!(err.contains("FILE.xlsx"), "{err}");
    assert!(!dir.path().join("x.pdf").exists());
}

#[test]
fn the_template_has_every_sheet_its_headers_and_a_status_drop_down_and_imports_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_db(dir.path(), true);
    let path = dir.path().join("模板.xlsx");
    ok(&bin().args(["template"]).arg(&path).output().expect("runs"));
    let workbook = calamine::open_workbook_auto(&path).expect("open");
    assert_eq!(
        workbook.sheet_names(),
        [
            "填写说明",
            "社区",
            "驻区单位",
            "共建契约",
            "资源清单",
            "需求清单",
            "项目清单",
            "会议",
            "活动记录",
            "满意度调查",
            "报到党员",
            "服务纪实",
            "考评结果"
        ]
    );
    let projects = sheet(&path, "项目清单");
    let headers: Vec<String> = (0..7).map(|c| cell_text(&projects, 0, c)).collect();
    assert_eq!(
        headers,
        [
            "街道",
            "社区",
            "项目名称",
            "牵头单位",
            "截止日期",
            "状态",
            "完成日期"
        ]
    );
    let activities = sheet(&path, "活动记录");
    let headers: Vec<String> = (0..6).map(|c| cell_text(&activities, 0, c)).collect();
    assert_eq!(
        headers,
        [
            "街道",
            "社区",
            "项目名称",
            "活动日期",
            "计划人数",
            "实际人数"
        ]
    );
    let xml = xml_of(&path, "xl/worksheets/sheet7.xml");
    assert!(xml.contains(r#"<dataValidation type="list""#), "{xml}");
    assert!(xml.contains("进行中,暂停,已完成,已终止"), "{xml}");
    assert!(xml.contains(r#"sqref="F2:F5001""#), "{xml}");
    assert!(xml.contains(r#"<pane ySplit="1""#));

    // An empty template imports as nothing, quietly.
    let before = dump(&db);
    let said = ok(&import(&db, &[&path], &[]));
    assert!(said.contains("没有改动任何内容"), "{said}");
    assert!(!said.contains("注意"), "{said}");
    assert_eq!(dump(&db), before);

    // English headers, and no overwriting.
    let en = dir.path().join("template.xlsx");
    ok(&bin()
        .args(["--lang", "en", "template"])
        .arg(&en)
        .output()
        .expect("runs"));
    let projects = sheet(&en, "projects");
    assert_eq!(cell_text(&projects, 0, 2), "title");
    assert!(xml_of(&en, "xl/worksheets/sheet7.xml").contains("active,paused,done,cancelled"));
    let err = failed(&bin().args(["template"]).arg(&path).output().expect("runs"));
    assert!(err.contains("--force"), "{err}");
}

#[test]
fn unrecognised_files_and_sheets_are_named_with_what_is_accepted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_db(dir.path(), true);
    let before = dump(&db);
    let csv = dir.path().join("名单.csv");
    std::fs::write(&csv, "姓名,电话\n张三,123\n").expect("write");
    let err = failed(&import(&db, &[&csv], &[]));
    assert!(err.contains("名单.csv：表头无法识别"), "{err}");
    assert!(
        err.contains("「项目清单」：社区、项目名称、截止日期"),
        "{err}"
    );

    // A sheet that is meant as a list but lacks a required column.
    let xlsx = dir.path().join("缺列.xlsx");
    write_xlsx(
        &xlsx,
        &[(
            "项目",
            vec![
                header(&["街道", "社区", "项目名称", "状态"]),
                vec![S("西江街道"), S("石羊塘社区"), S("健康讲座"), S("进行中")],
            ],
        )],
    );
    let err = failed(&import(&db, &[&xlsx], &[]));
    assert!(
        err.contains("工作表「项目」，第 1 行：表头像是「项目清单」，但缺少必填列：截止日期"),
        "{err}"
    );
    assert_eq!(dump(&db), before);
}

#[test]
fn a_community_merged_down_over_its_projects_counts_for_each_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_db(dir.path(), true);
    let file = dir.path().join("merged.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, h) in ["社区", "项目名称", "截止日期"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("write");
    }
    sheet
        .merge_range(1, 0, 3, 0, "石羊塘社区", &Format::new())
        .expect("merge");
    for (r, title) in ["合并甲", "合并乙", "合并丙"].iter().enumerate() {
        sheet.write_string(r as u32 + 1, 1, *title).expect("write");
        sheet
            .write_string(r as u32 + 1, 2, "2026-12-01")
            .expect("write");
    }
    workbook.save(&file).expect("save");
    ok(&import(&db, &[&file], &[]));
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM project WHERE title LIKE '合并%' AND community_id = 1"
        ),
        3
    );
}

/// Timing on a large import: run with `cargo test --release -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing_of_a_large_import() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_db(dir.path(), true);
    let file = dir.path().join("large.xlsx");
    let (projects, sessions) = (2_000usize, 10usize);
    let mut workbook = Workbook::new();
    let p = workbook.add_worksheet();
    p.set_name("项目清单").expect("name");
    for (c, h) in ["街道", "社区", "项目名称", "牵头单位", "截止日期", "状态"]
        .iter()
        .enumerate()
    {
        p.write_string(0, c as u16, *h).expect("write");
    }
    for i in 0..projects {
        let r = i as u32 + 1;
        p.write_string(r, 0, "西江街道").expect("write");
        p.write_string(r, 1, format!("测试社区{}", i % 20))
            .expect("write");
        p.write_string(r, 2, format!("项目{i}")).expect("write");
        p.write_string(r, 3, format!("单位{}", i % 50))
            .expect("write");
        p.write_string(r, 4, "2026-12-31").expect("write");
        p.write_string(r, 5, "进行中").expect("write");
    }
    let a = workbook.add_worksheet();
    a.set_name("活动记录").expect("name");
    for (c, h) in ["社区", "项目名称", "活动日期", "计划人数", "实际人数"]
        .iter()
        .enumerate()
    {
        a.write_string(0, c as u16, *h).expect("write");
    }
    for i in 0..projects * sessions {
        let r = i as u32 + 1;
        let project = i / sessions;
        a.write_string(r, 0, format!("测试社区{}", project % 20))
            .expect("write");
        a.write_string(r, 1, format!("项目{project}"))
            .expect("write");
        a.write_string(r, 2, format!("2026-{:02}-01", i % sessions + 1))
            .expect("write");
        a.write_number(r, 3, 30.0).expect("write");
        a.write_number(r, 4, 20.0).expect("write");
    }
    workbook.save(&file).expect("save");
    let rows = projects * (sessions + 1);
    for args in [&["--dry-run"][..], &[], &[]] {
        let start = std::time::Instant::now();
        let out = import(&db, &[&file], args);
        ok(&out);
        println!(
            "import {args:?} of {rows} rows: {:.2} s",
            start.elapsed().as_secs_f64()
        );
    }
}
