//! `gongjian assess --year Y --format xlsx`: the workbook an office hands to the district holds
//! the same verdicts and candidates as `assess --format json`, with the rules in words.

mod common;

use calamine::{Data, Reader};
use common::bin;
use serde_json::Value;
use std::path::Path;
use std::process::Output;

const TODAY: &str = "2026-11-28";

fn run(db: &Path, args: &[&str]) -> Output {
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
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn cell(range: &calamine::Range<Data>, r: usize, c: usize) -> String {
    match range.get((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        _ => String::new(),
    }
}

#[test]
fn the_workbook_holds_the_verdicts_and_candidates_of_the_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.db");
    ok(&bin()
        .args(["--today", TODAY, "init", "--demo"])
        .arg(&db)
        .output()
        .expect("runs"));
    // Grades from a sheet, one community's self-grade contradicted by a third party.
    let json: Value = serde_json::from_str(&ok(&run(
        &db,
        &["assess", "--year", "2026", "--format", "json"],
    )))
    .expect("json");
    let first = json["communities"][0]["name"]
        .as_str()
        .expect("name")
        .to_string();
    let grades = dir.path().join("考评结果.csv");
    std::fs::write(
        &grades,
        format!("年度,对象,评价方,等次,说明\n2026,{first},自评,优秀,\n2026,{first},第三方评估,较差,居民代表评议\n"),
    )
    .expect("write");
    ok(&run(
        &db,
        &[
            "import",
            "--operator",
            "王芳",
            grades.to_str().expect("utf-8"),
        ],
    ));
    let json: Value = serde_json::from_str(&ok(&run(
        &db,
        &["assess", "--year", "2026", "--format", "json"],
    )))
    .expect("json");
    assert_eq!(json["communities"][0]["mismatch"], true);

    let xlsx = dir.path().join("年终考评.xlsx");
    let said = ok(&run(
        &db,
        &[
            "assess",
            "--year",
            "2026",
            "--format",
            "xlsx",
            "--output",
            xlsx.to_str().expect("utf-8"),
        ],
    ));
    assert!(said.contains("已写出 2026 年年终考评"), "{said}");
    let mut book = calamine::open_workbook_auto(&xlsx).expect("open");
    assert_eq!(
        book.sheet_names(),
        [
            "社区",
            "驻区单位",
            "示范社区候选",
            "优秀驻区单位候选",
            "说明"
        ]
    );
    let communities = book.worksheet_range("社区").expect("sheet");
    let all = json["communities"].as_array().expect("list");
    assert_eq!(communities.height(), all.len() + 1);
    for (i, c) in all.iter().enumerate() {
        assert_eq!(cell(&communities, i + 1, 0), c["id"].to_string());
        assert_eq!(
            cell(&communities, i + 1, 2),
            c["name"].as_str().expect("name")
        );
        let mismatch = if c["mismatch"] == true { "是" } else { "否" };
        assert_eq!(cell(&communities, i + 1, 14), mismatch);
    }
    assert_eq!(cell(&communities, 1, 3), "优秀");
    assert_eq!(cell(&communities, 1, 4), "较差");
    assert!(
        cell(&communities, 1, 15).contains("较差"),
        "{}",
        cell(&communities, 1, 15)
    );
    // A poor grade keeps it off the candidates, said in words.
    assert!(
        cell(&communities, 1, 18).contains("较差"),
        "{}",
        cell(&communities, 1, 18)
    );
    let units = book.worksheet_range("驻区单位").expect("sheet");
    assert_eq!(
        units.height(),
        json["units"].as_array().expect("list").len() + 1
    );

    let candidates = book.worksheet_range("示范社区候选").expect("sheet");
    let ids: Vec<String> = (1..candidates.height())
        .map(|r| cell(&candidates, r, 1))
        .collect();
    let expected: Vec<String> = json["model_communities"]
        .as_array()
        .expect("list")
        .iter()
        .map(Value::to_string)
        .collect();
    assert_eq!(ids, expected);
    let candidates = book.worksheet_range("优秀驻区单位候选").expect("sheet");
    let ids: Vec<String> = (1..candidates.height())
        .map(|r| cell(&candidates, r, 1))
        .collect();
    let expected: Vec<String> = json["model_units"]
        .as_array()
        .expect("list")
        .iter()
        .map(Value::to_string)
        .collect();
    assert_eq!(ids, expected);
    let about = book.worksheet_range("说明").expect("sheet");
    let rules: Vec<String> = (1..about.height()).map(|r| cell(&about, r, 1)).collect();
    assert!(
        rules.iter().any(|r| r.starts_with("示范社区（前 10 名）")),
        "{rules:?}"
    );
    assert!(
        rules
            .iter()
            .any(|r| r.starts_with("优秀驻区单位（前 20 名）")),
        "{rules:?}"
    );

    // Without --output it says what to add; an existing file needs --force.
    let out = run(&db, &["assess", "--format", "xlsx"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--output"));
    let out = run(
        &db,
        &[
            "assess",
            "--format",
            "xlsx",
            "--output",
            xlsx.to_str().expect("utf-8"),
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));

    // The workbook imported back is recognised as gongjian's own figures: nothing changes.
    let said = ok(&run(
        &db,
        &[
            "import",
            "--operator",
            "王芳",
            xlsx.to_str().expect("utf-8"),
        ],
    ));
    assert!(said.contains("没有改动任何内容"), "{said}");
}
