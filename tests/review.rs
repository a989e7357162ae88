//! `gongjian review --export` through the real binary: the minutes of a review recorded in the
//! demo district, the refusal to overwrite, `--force`, `--since` and `--street`.

mod common;

use chrono::{DateTime, TimeZone, Utc};
use common::bin;
use gongjian::indicators::CommunityFigures;
use gongjian::review::{self, Outcome};
use gongjian::store::{Access, Store};
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-11-28";

fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, hour, minute, 0)
        .single()
        .expect("time")
}

fn day(text: &str) -> chrono::NaiveDate {
    gongjian::dates::parse_ymd(text).expect("date")
}

/// The demo district made by the binary, with a review recorded in it: community 11 covered
/// with a decision, community 4 skipped.
fn demo_with_review(dir: &Path) -> PathBuf {
    let path = dir.join("demo.db");
    let out = bin()
        .args(["--today", TODAY, "init", "--demo"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut store = Store::open(&path, Access::ReadWrite).expect("open");
    let (report, _) = gongjian::cli::compute_report(&store, day(TODAY)).expect("report");
    let figures = |id: i64| -> CommunityFigures {
        report
            .communities
            .iter()
            .find(|c| c.id == id)
            .cloned()
            .expect("community")
    };
    let id = review::start_review(&mut store, "王芳", None, at(4, 0)).expect("start");
    review::record_item(&mut store, id, 11, &figures(11), Outcome::Covered, at(4, 5))
        .expect("item");
    review::add_decision(
        &mut store,
        Some(id),
        11,
        "消防通道清理改为每月巡查",
        "张伟",
        "2026-12-15",
        "王芳",
        day(TODAY),
        at(4, 10),
    )
    .expect("decision");
    review::record_item(&mut store, id, 4, &figures(4), Outcome::Skipped, at(4, 15)).expect("item");
    review::end_review(&mut store, id, day(TODAY), at(4, 20)).expect("end");
    path
}

fn export(db: &Path, args: &[&str]) -> std::process::Output {
    bin()
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY, "review", "--export"])
        .args(args)
        .output()
        .expect("runs")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_minutes_are_written_and_never_overwritten_without_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_with_review(dir.path());
    let file = dir.path().join("纪要.md");
    let name = file.to_str().expect("utf-8 path");

    let out = export(&db, &[name]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("已导出会议纪要"), "{}", stderr(&out));
    let text = std::fs::read_to_string(&file).expect("written");
    assert!(text.starts_with("# 周例会会议纪要（2026-11-28）"), "{text}");
    for expected in [
        "- 参加人员（经办人）：王芳",
        "已回顾 1 个社区，跳过 1 个；新增督办事项 1 项，办结 0 项",
        "### 1. 南岭街道 青石社区（预警 12）",
        "- 本期回顾：已回顾",
        "Q1 例会未召开",
        "| 消防通道清理改为每月巡查 | 张伟 | 2026-12-15 | 未完成 |",
        "## 四、待跟进督办事项（1 项）",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }

    // Again without --force: refused, the file untouched.
    std::fs::write(&file, "mine").expect("overwrite by hand");
    let out = export(&db, &[name]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "mine");

    // With --force, in English, from an earlier day: replaced.
    let out = export(
        &db,
        &[name, "--force", "--lang", "en", "--since", "2026-11-01"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&file).expect("written");
    assert!(
        text.starts_with("# Weekly review minutes (2026-11-28)"),
        "{text}"
    );
    assert!(
        text.contains("- Period: 2026-11-01 to 2026-11-28"),
        "{text}"
    );
}

#[test]
fn one_street_only_and_bad_arguments() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_with_review(dir.path());
    let file = dir.path().join("street1.md");
    let out = export(&db, &[file.to_str().expect("path"), "--street", "1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&file).expect("written");
    assert!(
        text.contains("桂花巷社区") && !text.contains("青石社区"),
        "{text}"
    );

    let out = export(
        &db,
        &[
            dir.path().join("x.md").to_str().expect("path"),
            "--street",
            "9",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("没有“9”这个街道。可选：1 西江街道"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("x.md").exists());

    // The database itself is never taken for the minutes, even with --force.
    let before = std::fs::read(&db).expect("read");
    let out = export(&db, &[db.to_str().expect("path"), "--force"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&db).expect("read"), before);

    // The review's entries read in words in the adjustment log.
    let out = bin()
        .arg("--db")
        .arg(&db)
        .arg("log")
        .output()
        .expect("runs");
    let log = String::from_utf8_lossy(&out.stdout);
    for words in ["开始周例会回顾", "回顾社区", "督办事项", "结束周例会回顾"]
    {
        assert!(log.contains(words), "{words} missing from:\n{log}");
    }
    assert!(log.contains("责任人：（无） → 张伟"), "{log}");

    // --since only makes sense with --export.
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["review", "--since", "2026-11-01"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// `--street` once on a terminal: the next review of that database shows that street without
/// the flag; `--street all` shows every street again and forgets it. A name works as an id does.
#[test]
fn the_terminals_street_is_remembered_until_all() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_with_review(dir.path());
    let config = dir.path().join("config");
    let minutes = |name: &str, street: &[&str]| {
        let file = dir.path().join(name);
        let out = bin()
            .env("XDG_CONFIG_HOME", &config)
            .arg("--db")
            .arg(&db)
            .args(["--today", TODAY, "review", "--export"])
            .arg(&file)
            .args(street)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        (
            std::fs::read_to_string(&file).expect("written"),
            stderr(&out),
        )
    };
    let one_street = |text: &str| text.contains("桂花巷社区") && !text.contains("青石社区");
    let (text, said) = minutes("a.md", &["--street", "西江"]);
    assert!(one_street(&text), "{text}");
    assert!(said.contains("只含"), "{said}");
    let (text, said) = minutes("b.md", &[]);
    assert!(one_street(&text), "remembered: {text}");
    assert!(said.contains("--street all"), "{said}");
    assert!(config.join("gongjian").join("streets.json").exists());
    let (text, _) = minutes("c.md", &["--street", "all"]);
    assert!(
        text.contains("桂花巷社区") && text.contains("青石社区"),
        "{text}"
    );
    let (text, said) = minutes("d.md", &[]);
    assert!(text.contains("青石社区"), "forgotten: {text}");
    assert!(!said.contains("只含"), "{said}");
}
