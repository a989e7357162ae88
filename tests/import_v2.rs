//! The version-2 sheets of the import (issues 17 and 18): needs with the project that answers
//! them, satisfaction surveys, party members and year-end grades (考评结果), with Chinese data,
//! bad rows (every one named, nothing written) and GBK CSV as Excel saves it.

mod common;

use common::bin;
use rust_xlsxwriter::Workbook;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

const TODAY: &str = "2026-11-28";

const SEED: &str = "
    INSERT INTO street VALUES (1, '西江街道');
    INSERT INTO community VALUES (1, 1, '石羊塘社区'), (2, 1, '港宁社区');
    INSERT INTO unit VALUES (1, '区人民医院', '医院'), (2, '石羊塘小学', '学校');
    INSERT INTO contract VALUES (1, 1, 1, '2026-01-10'), (2, 2, 2, '2026-01-12');
    INSERT INTO project (id, community_id, unit_id, title, due_on, status, done_on) VALUES
      (1, 1, 1, '健康讲座', '2026-12-20', 'active', NULL),
      (2, 1, NULL, '垃圾分类督导', '2026-06-30', 'cancelled', NULL),
      (3, 2, 2, '健康讲座', '2026-12-20', 'active', NULL);
    INSERT INTO need (id, community_id, title, raised_on, source) VALUES
      (1, 1, '老人助餐', '2026-03-01', 'visit');";

fn db(dir: &Path) -> PathBuf {
    let path = dir.join("shared.db");
    let out = bin()
        .args(["--today", TODAY, "init"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch(SEED).expect("seed");
    path
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run(db: &Path, args: &[&str], files: &[&Path]) -> Output {
    bin()
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY])
        .args(args)
        .args(files)
        .output()
        .expect("runs")
}

fn import(db: &Path, files: &[&Path]) -> Output {
    run(db, &["import", "--operator", "王芳"], files)
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

fn write_xlsx(path: &Path, sheets: &[(&str, &[&[&str]])]) {
    let mut workbook = Workbook::new();
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet
                        .write_string(r as u32, c as u16, *cell)
                        .expect("write");
                }
            }
        }
    }
    workbook.save(path).expect("save");
}

fn gbk(dir: &Path, name: &str, text: &str) -> PathBuf {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really GBK");
    let path = dir.join(name);
    std::fs::write(&path, &bytes).expect("write");
    path
}

fn query(db: &Path, sql: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn.prepare(sql).expect("prepare");
    stmt.query_map([], |r| r.get::<_, String>(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// Every row of every table, to show that nothing changed.
fn dump(db: &Path) -> String {
    let tables = [
        "street",
        "community",
        "unit",
        "contract",
        "need",
        "project",
        "survey",
        "member",
        "service",
        "assessment",
        "adjustment",
    ];
    tables
        .iter()
        .map(|t| {
            let conn = rusqlite::Connection::open(db).expect("open");
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM {t} ORDER BY id"))
                .expect("prepare");
            let n = stmt.column_count();
            let rows: Vec<String> = stmt
                .query_map([], |r| {
                    Ok((0..n)
                        .map(|i| format!("{:?}", r.get_ref(i).map(|v| format!("{v:?}"))))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("rows");
            format!("{t}: {}", rows.join("\n"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const NEEDS: &[&[&str]] = &[
    &["街道", "社区", "需求名称", "提出日期", "来源", "对接项目"],
    &["", "石羊塘社区", "老人助餐", "2026-03-01", "", "#1"],
    &[
        "",
        "石羊塘社区",
        "儿童托管",
        "2026-05-10",
        "走访",
        "暑期托管班",
    ],
    &["", "港宁社区", "电梯加装", "2026-02-01", "", ""],
];
const PROJECTS: &[&[&str]] = &[
    &["社区", "项目名称", "截止日期"],
    &["石羊塘社区", "暑期托管班", "2026-12-31"],
];
const SURVEYS: &[&[&str]] = &[
    &["社区", "项目", "调查日期", "受访人数", "满意人数"],
    &["石羊塘社区", "健康讲座", "2026-10-01", "50", "40"],
    &["", "#3", "2026-10-02", "20人", "10"],
    &["", "暑期托管班", "2026-11-01", "10", "9"],
];
const MEMBERS: &[&[&str]] = &[
    &["社区", "姓名", "工作单位", "报到日期", "离开日期"],
    &["石羊塘社区", "王芳", "区人民医院", "2026-01-10", ""],
    &[
        "石羊塘社区",
        "李强",
        "区税务局",
        "2026/3/1",
        "2026年10月1日",
    ],
    &["港宁社区", "陈静", "", "2025-05-01", ""],
];
const SERVICES: &[&[&str]] = &[
    &["报到党员", "社区", "服务日期", "服务时长"],
    &["王芳", "石羊塘社区", "2026-11-20", "2"],
];
const GRADES: &[&[&str]] = &[
    &["年度", "对象", "评价方", "等次", "说明", "社区"],
    &["2026", "石羊塘社区", "自评", "优秀", "", ""],
    &[
        "2026",
        "石羊塘社区",
        "第三方评估",
        "一般",
        "高校专家评估",
        "",
    ],
    &[
        "2026",
        "区人民医院",
        "社区评议",
        "较差",
        "讲座多次推迟",
        "石羊塘社区",
    ],
    &["2026", "区人民医院", "自评", "优秀", "", ""],
];

#[test]
fn every_version_2_sheet_imports_and_a_second_import_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = db(dir.path());
    let book = dir.path().join("年度台账.xlsx");
    write_xlsx(
        &book,
        &[
            ("需求清单", NEEDS),
            ("项目清单", PROJECTS),
            ("满意度调查", SURVEYS),
            ("报到党员", MEMBERS),
            ("服务签到", SERVICES),
            ("考评结果", GRADES),
        ],
    );

    // The dry run names every item and writes nothing.
    let before = dump(&db);
    let dry = ok(&run(&db, &["import", "--dry-run"], &[&book]));
    assert_eq!(dump(&db), before);
    for expected in [
        "满意度调查：将新增 3",
        "报到党员：将新增 3",
        "考评结果：将新增 4",
        "需求清单：将新增 2，将更新 1",
        "对接需求 （无） → 儿童托管",
        "对接需求 （无） → #1 老人助餐",
        "新建驻区单位（1）：区税务局",
        "+ 2026 西江街道 石羊塘社区 — 区人民医院 社区评议 等次 较差",
    ] {
        assert!(dry.contains(expected), "{expected}: {dry}");
    }

    let said = ok(&import(&db, &[&book]));
    assert!(said.contains("导入完成"), "{said}");
    // Needs and the projects that answer them, one of them from the same workbook.
    assert_eq!(
        query(
            &db,
            "SELECT p.title || '→' || n.title FROM project p JOIN need n ON n.id = p.need_id ORDER BY p.id"
        ),
        ["健康讲座→老人助餐", "暑期托管班→儿童托管"]
    );
    assert_eq!(
        query(&db, "SELECT title || '|' || source FROM need ORDER BY id"),
        ["老人助餐|visit", "儿童托管|visit", "电梯加装|other"]
    );
    // Surveys, by title in the community, by id, by a title unique in the district.
    assert_eq!(
        query(
            &db,
            "SELECT project_id || '|' || held_on || '|' || respondents || '|' || satisfied FROM survey ORDER BY id"
        ),
        [
            "1|2026-10-01|50|40",
            "3|2026-10-02|20|10",
            "4|2026-11-01|10|9"
        ]
    );
    // Members, with a workplace created in passing and a member who left.
    assert_eq!(
        query(
            &db,
            "SELECT m.name || '|' || ifnull(u.name, '-') || '|' || m.registered_on || '|' || ifnull(m.left_on, '-')
               FROM member m LEFT JOIN unit u ON u.id = m.unit_id ORDER BY m.id"
        ),
        [
            "王芳|区人民医院|2026-01-10|-",
            "李强|区税务局|2026-03-01|2026-10-01",
            "陈静|-|2025-05-01|-"
        ]
    );
    // The sign-in sheet found the member registered by the same workbook.
    assert_eq!(
        query(&db, "SELECT served_on || '|' || minutes FROM service"),
        ["2026-11-20|120"]
    );
    assert_eq!(
        query(
            &db,
            "SELECT year || '|' || subject || '|' || subject_id || '|' || assessor || '|' || grade || '|' || note FROM assessment ORDER BY id"
        ),
        [
            "2026|community|1|self|excellent|",
            "2026|community|1|third_party|fair|高校专家评估",
            "2026|contract|1|community|poor|讲座多次推迟",
            "2026|unit|1|self|excellent|"
        ]
    );
    // Every creation and change is in the log, as an import by the operator.
    let logged = query(
        &db,
        "SELECT count(*) || '' FROM adjustment WHERE action = 'import' AND operator = '王芳' AND reason = '导入 年度台账.xlsx'",
    );
    assert_eq!(logged, ["17"]);
    // The year-end assessment reads the grades: both self-grades are contradicted.
    let assess: Value = serde_json::from_str(&ok(&run(
        &db,
        &["assess", "--year", "2026", "--format", "json"],
        &[],
    )))
    .expect("json");
    assert_eq!(assess["communities"][0]["grades"]["third_party"], "fair");
    assert_eq!(assess["communities"][0]["mismatch"], true);
    assert_eq!(
        assess["units"][0]["grades"]["community"][0]["grade"],
        "poor"
    );
    assert_eq!(assess["units"][0]["mismatch"], true);
    // The report counts the members and the needs.
    let report: Value =
        serde_json::from_str(&ok(&run(&db, &["report", "--format", "json"], &[]))).expect("json");
    let shiyang = report["communities"]
        .as_array()
        .expect("list")
        .iter()
        .find(|c| c["name"] == "石羊塘社区")
        .expect("community");
    assert_eq!(shiyang["needs"]["answered"], 2);
    assert_eq!(shiyang["members"]["active"], 1);
    assert_eq!(shiyang["satisfaction"]["respondents"], 60);

    // The same workbook again: nothing changes, not even the log.
    let before = dump(&db);
    let again = ok(&import(&db, &[&book]));
    assert!(again.contains("没有改动任何内容"), "{again}");
    assert!(
        again.contains("考评结果：新增 0，更新 0，未变 4"),
        "{again}"
    );
    assert!(
        again.contains("需求清单：新增 0，更新 0，未变 3"),
        "{again}"
    );
    assert_eq!(dump(&db), before);

    // The history names a member's workplace as such, not as a lead unit.
    let log = ok(&run(&db, &["log"], &[]));
    assert!(log.contains("工作单位"), "{log}");
}

#[test]
fn a_changed_grade_member_and_survey_update_and_are_logged_before_and_after() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = db(dir.path());
    let first = dir.path().join("第一次.xlsx");
    write_xlsx(
        &first,
        &[
            ("项目清单", PROJECTS),
            ("满意度调查", SURVEYS),
            ("报到党员", MEMBERS),
            ("考评结果", GRADES),
        ],
    );
    ok(&import(&db, &[&first]));
    let second = gbk(
        dir.path(),
        "考评结果.csv",
        "年度,对象,评价方,等次,说明\r\n\
         2026,石羊塘社区,第三方评估,良好,复核后上调\r\n",
    );
    let members = gbk(
        dir.path(),
        "报到党员.csv",
        "社区,姓名,工作单位,报到日期,离开日期\r\n\
         港宁社区,陈静,石羊塘小学,2025-05-01,2026-11-01\r\n",
    );
    let surveys = gbk(
        dir.path(),
        "满意度.csv",
        "项目,调查日期,受访人数,满意人数\r\n\
         #1,2026-10-01,50,45\r\n",
    );
    let said = ok(&import(&db, &[&second, &members, &surveys]));
    assert!(said.contains("考评结果：新增 0，更新 1，未变 0"), "{said}");
    assert_eq!(
        query(
            &db,
            "SELECT grade || '|' || note FROM assessment WHERE assessor = 'third_party'"
        ),
        ["good|复核后上调"]
    );
    assert_eq!(
        query(
            &db,
            "SELECT ifnull(unit_id, '-') || '|' || ifnull(left_on, '-') FROM member WHERE name = '陈静'"
        ),
        ["2|2026-11-01"]
    );
    assert_eq!(
        query(
            &db,
            "SELECT satisfied || '' FROM survey WHERE project_id = 1"
        ),
        ["45"]
    );
    let logged = query(
        &db,
        "SELECT json_extract(before, '$.grade') || '→' || json_extract(after, '$.grade') FROM adjustment WHERE reason = '导入 考评结果.csv'",
    );
    assert_eq!(logged, ["fair→good"]);
    let logged = query(
        &db,
        "SELECT json_extract(before, '$.satisfied') || '→' || json_extract(after, '$.satisfied') FROM adjustment WHERE reason = '导入 满意度.csv'",
    );
    assert_eq!(logged, ["40→45"]);
}

#[test]
fn every_bad_row_of_the_new_sheets_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = db(dir.path());
    let members = gbk(
        dir.path(),
        "报到党员.csv",
        "社区,姓名,工作单位,报到日期,离开日期\r\n\
         石羊塘社区,王芳,区人民医院,2026-01-10,\r\n\
         石羊塘社区,,区人民医院,2026-01-10,\r\n\
         石羊塘社区,李强,,2026-05-01,2026-04-01\r\n\
         石羊塘社区,赵敏,,2027-01-01,\r\n\
         不存在社区,孙丽,,2026-01-01,\r\n",
    );
    let surveys = gbk(
        dir.path(),
        "满意度调查.csv",
        "社区,项目,调查日期,受访人数,满意人数\r\n\
         石羊塘社区,健康讲座,2026-10-01,50,40\r\n\
         石羊塘社区,健康讲座,2026-10-01,20,30\r\n\
         ,#2,2026-10-01,20,10\r\n\
         ,健康讲座,2026-10-01,20,10\r\n\
         ,不存在的项目,2026-10-01,20,10\r\n\
         ,#1,2026-12-01,20,10\r\n\
         ,#1,2026-10-03,0,0\r\n",
    );
    let grades = gbk(
        dir.path(),
        "考评结果.csv",
        "年度,对象,评价方,等次,说明,社区\r\n\
         2026,石羊塘社区,自评,优秀,,\r\n\
         2027,石羊塘社区,自评,优秀,,\r\n\
         2026,石羊塘社区,自评,很好,,\r\n\
         2026,区人民医院,社区评议,良好,,\r\n\
         2026,石羊塘小学,社区评议,良好,,石羊塘社区\r\n\
         2026,石羊塘社区,社区评议,良好,,石羊塘社区\r\n\
         2026,不存在单位,自评,优秀,,\r\n",
    );
    let needs = gbk(
        dir.path(),
        "需求清单.csv",
        "社区,需求名称,提出日期,对接项目\r\n\
         石羊塘社区,老人助餐,2026-03-01,垃圾分类督导\r\n\
         石羊塘社区,儿童托管,2026-05-10,没有这个项目\r\n\
         石羊塘社区,电梯加装,2026-05-10,健康讲座\r\n\
         石羊塘社区,路灯维修,2026-05-10,健康讲座\r\n",
    );
    let before = dump(&db);
    let out = import(&db, &[&members, &surveys, &grades, &needs]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("数据库未作任何改动"), "{err}");
    for (file, row, words) in [
        ("报到党员.csv", 3, "为空"),
        ("报到党员.csv", 4, "早于报到日期"),
        ("报到党员.csv", 5, "晚于今天"),
        ("报到党员.csv", 6, "不存在社区"),
        ("满意度调查.csv", 3, "多于受访人数"),
        ("满意度调查.csv", 4, "已终止"),
        ("满意度调查.csv", 5, "有多个社区都有这个项目"),
        ("满意度调查.csv", 6, "不是已有项目的编号或名称"),
        ("满意度调查.csv", 7, "晚于今天"),
        ("满意度调查.csv", 8, "超出范围"),
        ("考评结果.csv", 3, "晚于今年"),
        ("考评结果.csv", 4, "无法识别"),
        ("考评结果.csv", 5, "须写明评议的社区"),
        ("考评结果.csv", 6, "没有共建契约"),
        ("考评结果.csv", 7, "不是已有的驻区单位"),
        ("考评结果.csv", 8, "不是已有的社区或驻区单位"),
        ("需求清单.csv", 2, "已终止，不能对接需求"),
        ("需求清单.csv", 3, "没有这个项目"),
        ("需求清单.csv", 5, "是同一条记录，但内容不同"),
    ] {
        let at = format!("{file}，第 {row} 行");
        let line = err
            .lines()
            .find(|l| l.contains(&at))
            .unwrap_or_else(|| panic!("{file} row {row}: {err}"));
        assert!(
            line.contains(words),
            "{file} row {row} lacks {words}: {line}"
        );
    }
    // Good rows are not named.
    for (file, row) in [
        ("报到党员.csv", 2),
        ("满意度调查.csv", 2),
        ("考评结果.csv", 2),
        ("需求清单.csv", 4),
    ] {
        let at = format!("{file}，第 {row} 行");
        assert!(
            !err.lines().any(|l| l.contains(&at)),
            "{file} row {row}: {err}"
        );
    }
    assert_eq!(dump(&db), before);

    // In English too.
    let out = run(
        &db,
        &["--lang", "en", "import", "--operator", "王芳"],
        &[&grades],
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("has no contract with 石羊塘社区"), "{err}");
    assert!(err.contains("is after this year (2026)"), "{err}");
}

#[test]
fn the_template_has_the_new_sheets_and_they_import_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = db(dir.path());
    let path = dir.path().join("模板.xlsx");
    ok(&run(&db, &["template"], &[&path]));
    use calamine::Reader;
    let mut workbook = calamine::open_workbook_auto(&path).expect("open");
    for (name, headers) in [
        (
            "需求清单",
            &["街道", "社区", "需求名称", "提出日期", "来源", "对接项目"][..],
        ),
        (
            "满意度调查",
            &["街道", "社区", "项目", "调查日期", "受访人数", "满意人数"][..],
        ),
        (
            "报到党员",
            &["街道", "社区", "姓名", "工作单位", "报到日期", "离开日期"][..],
        ),
        (
            "考评结果",
            &[
                "年度",
                "对象",
                "评价方",
                "等次",
                "说明",
                "街道",
                "社区",
                "对象类型",
            ][..],
        ),
    ] {
        let range = workbook.worksheet_range(name).expect("sheet");
        let row: Vec<String> = (0..headers.len())
            .map(|c| range.get((0, c)).map(|d| d.to_string()).unwrap_or_default())
            .collect();
        assert_eq!(row, headers, "{name}");
    }
    let before = dump(&db);
    let said = ok(&import(&db, &[&path]));
    assert!(said.contains("没有改动任何内容"), "{said}");
    assert_eq!(dump(&db), before);
}
