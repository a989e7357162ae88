//! `gongjian generate` through the real binary: the same seed and day give the same file, an
//! existing path is refused untouched, and the report reads the result as the contract says.
//! Sizes stay small here; city scale is for `benches/run.sh`.

mod common;

use common::bin;
use std::path::Path;

fn generate(path: &Path, seed: &str) -> std::process::Output {
    bin()
        .args(["--today", "2026-11-28", "--lang", "en", "generate"])
        .arg(path)
        .args([
            "--communities",
            "4",
            "--projects-per-community",
            "12",
            "--activities-per-project",
            "5",
            "--seed",
            seed,
        ])
        .output()
        .expect("runs")
}

#[test]
fn same_seed_same_file_and_an_existing_path_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b, c) = (
        dir.path().join("a.db"),
        dir.path().join("b.db"),
        dir.path().join("c.db"),
    );
    for (path, seed) in [(&a, "7"), (&b, "7"), (&c, "8")] {
        let out = generate(path, seed);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            said.contains("4 communities")
                && said.contains("48 projects")
                && said.contains("240 activities"),
            "{said}"
        );
    }
    assert_eq!(
        common::bytes(&a),
        common::bytes(&b),
        "same seed, same bytes"
    );
    assert_ne!(common::bytes(&a), common::bytes(&c), "another seed");

    let before = common::bytes(&a);
    let out = generate(&a, "9");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(common::bytes(&a), before, "the existing file is untouched");

    let out = bin()
        .arg("--db")
        .arg(&a)
        .args(["--today", "2026-11-28", "report", "--format", "json"])
        .output()
        .expect("report");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "no data problems reported");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["communities"].as_array().map(Vec::len), Some(4));
}

#[test]
fn a_bad_count_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("none.db");
    let out = bin()
        .args(["generate"])
        .arg(&path)
        .args(["--communities", "0"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(!path.exists());
}
