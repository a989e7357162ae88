//! The README's command examples, run as written.
//!
//! Every line that starts with `gongjian ` inside a ```sh block is run through `sh -c` with the
//! built binary first on `PATH`, in order. Each block gets a fresh folder holding a fresh demo
//! database (named by `GONGJIAN_DB`, as a user who set it once would have) and the office
//! sheets the examples name (`项目清单.csv` and `活动.csv`, copied from `fixtures/import/`), so
//! that the ids and names the examples use must exist in the demo. A line must exit 0 and
//! print no error; some lines must also print what the README says they print.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The README's ```sh blocks, each a list of (line number, command) for its `gongjian` lines.
fn blocks(readme: &str) -> Vec<Vec<(usize, String)>> {
    let mut out = Vec::new();
    let mut current: Option<Vec<(usize, String)>> = None;
    for (i, line) in readme.lines().enumerate() {
        let trimmed = line.trim();
        if let Some(block) = current.as_mut() {
            if trimmed == "```" {
                out.push(current.take().unwrap_or_default());
                continue;
            }
            if trimmed.starts_with("gongjian ") {
                block.push((i + 1, strip_comment(trimmed).to_string()));
            }
        } else if trimmed == "```sh" {
            current = Some(Vec::new());
        }
    }
    out.retain(|b| !b.is_empty());
    out
}

/// The command without its trailing `# comment` (a `#` outside quotes, after a space).
fn strip_comment(line: &str) -> &str {
    let mut quoted = false;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '#' if !quoted && previous == ' ' => return line[..i].trim_end(),
            _ => {}
        }
        previous = c;
    }
    line
}

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_gongjian"))
        .parent()
        .expect("binary folder")
        .to_path_buf()
}

fn fresh_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = common::bin()
        .arg("init")
        .arg(dir.path().join("demo.db"))
        .arg("--demo")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import");
    for (from, to) in [
        ("projects_gbk.csv", "项目清单.csv"),
        ("activities_bom.csv", "活动.csv"),
    ] {
        std::fs::copy(fixtures.join(from), dir.path().join(to)).expect("copy fixture");
    }
    dir
}

/// What some lines must print (stdout and stderr together), by how the command starts.
const PROMISES: &[(&str, &[&str])] = &[
    ("gongjian init 共建.db", &["共建.db"]),
    (
        "gongjian --db 共建.db import --dry-run",
        &["试运行", "项目清单", "识别的列"],
    ),
    ("gongjian --db 共建.db import 项目清单.csv", &["导入完成"]),
    (
        "gongjian --db 共建.db import --operator",
        &["导入完成", "王芳"],
    ),
    (
        "gongjian --db 共建.db report",
        &["编号", "石羊塘社区", "枫林社区"],
    ),
    (
        "gongjian report --community 2",
        &["港宁社区", "#16", "老旧小区线路改造"],
    ),
    (
        "gongjian report --format json",
        &["\"communities\"", "\"thresholds\""],
    ),
    ("gongjian report --format", &[]),
    ("gongjian report", &["编号", "港宁社区"]),
    ("gongjian adjust undo", &["撤销"]),
    ("gongjian adjust", &["已保存调整记录"]),
    ("gongjian log --community 2", &["港宁社区"]),
    ("gongjian log --project 14", &["\"project_id\": 14"]),
    (
        "gongjian settings participation_alert_pct",
        &["已保存调整记录"],
    ),
    ("gongjian settings", &["participation_alert_pct", "默认值"]),
    (
        "gongjian import --dry-run 周报.xlsx",
        &["不会改动任何内容", "导出的统计结果"],
    ),
    ("gongjian import --dry-run", &["试运行"]),
    ("gongjian import", &["导入完成"]),
    ("gongjian export --service-cards", &["党员服务卡", "服务卡"]),
    (
        "gongjian assess --year 2026 --format xlsx",
        &["年终考评.xlsx", "示范社区候选"],
    ),
    ("gongjian export", &["周报.xlsx"]),
    ("gongjian template", &["模板.xlsx"]),
    ("gongjian backup", &["gongjian-2026-11-28.db"]),
];

#[test]
fn every_readme_command_example_runs_on_the_demo() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    let blocks = blocks(&readme);
    let count: usize = blocks.iter().map(Vec::len).sum();
    assert!(
        count >= 30,
        "only {count} examples found: is the parser broken?"
    );
    let path = format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut failures = Vec::new();
    for block in blocks {
        let dir = fresh_folder();
        for (line, command) in block {
            let out = Command::new("sh")
                .arg("-c")
                .arg(&command)
                .current_dir(dir.path())
                .env("PATH", &path)
                .env("GONGJIAN_DB", dir.path().join("demo.db"))
                .env("GONGJIAN_OPERATOR", "王芳")
                .env_remove("GONGJIAN_LANG")
                .output()
                .expect("sh runs");
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            if !out.status.success() {
                failures.push(format!(
                    "README.md:{line}: `{command}` exited {:?}:\n{text}",
                    out.status.code()
                ));
                continue;
            }
            if let Some((_, promised)) = PROMISES.iter().find(|(p, _)| command.starts_with(p)) {
                for word in *promised {
                    if !text.contains(word) {
                        failures.push(format!(
                            "README.md:{line}: `{command}` does not print {word:?}:\n{text}"
                        ));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn comments_are_cut_outside_quotes_only() {
    assert_eq!(
        strip_comment("gongjian report   # a table"),
        "gongjian report"
    );
    assert_eq!(
        strip_comment("gongjian adjust x --reason \"第 #2 次\"  # why"),
        "gongjian adjust x --reason \"第 #2 次\""
    );
    assert_eq!(strip_comment("gongjian log"), "gongjian log");
    let blocks =
        blocks("text\n```sh\ncargo test\ngongjian a  # x\n```\n```text\ngongjian b\n```\n");
    assert_eq!(blocks, vec![vec![(4, "gongjian a".to_string())]]);
}

/// The README and docs/ stand on their own: every link points to a file in the repository
/// (anchors aside), and none to a web page or to a specification outside it.
#[test]
fn readme_and_docs_link_only_inside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    for entry in std::fs::read_dir(root.join("docs")).expect("docs/") {
        files.push(entry.expect("entry").path());
    }
    let mut checked = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        assert!(
            !text.contains("DOMAIN.md"),
            "{} names DOMAIN.md",
            file.display()
        );
        for (i, _) in text.match_indices("](") {
            let rest = &text[i + 2..];
            let target = &rest[..rest.find(')').unwrap_or(rest.len())];
            assert!(
                !target.contains("://"),
                "{} links outside the repository: {target}",
                file.display()
            );
            let path = target.split('#').next().unwrap_or("");
            if !path.is_empty() {
                let resolved = file.parent().expect("folder").join(path);
                assert!(
                    resolved.exists(),
                    "{}: {target} does not exist",
                    file.display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 6, "only {checked} links checked");
}
