//! Helpers shared by the integration tests: files built as other tools would build them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The contract schema exactly as DOMAIN.md prints it (what another tool would create).
pub const CONTRACT_SQL: &str = include_str!("../../src/store/sql/v1_contract.sql");

/// A file made by "another tool": the contract tables, `user_version = version`, some rows.
pub fn foreign_tool_file(dir: &Path, name: &str, version: i64) -> PathBuf {
    let path = dir.join(name);
    let conn = rusqlite::Connection::open(&path).expect("create file");
    conn.execute_batch(CONTRACT_SQL).expect("contract schema");
    conn.execute_batch(
        "INSERT INTO street VALUES (1, '西江街道');
         INSERT INTO community VALUES (1, 1, '石羊塘社区');
         INSERT INTO unit VALUES (1, '区人民医院', '医院');
         INSERT INTO contract VALUES (1, 1, 1, '2026-01-10');
         INSERT INTO project VALUES (1, 1, 1, '健康讲座', '2026-06-30', 'done', '2026-06-01');
         INSERT INTO project VALUES (2, 1, NULL, '飞线充电整治', '2026-03-31', 'active', NULL);",
    )
    .expect("rows");
    conn.pragma_update(None, "user_version", version)
        .expect("version");
    path
}

pub fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read file")
}

/// The `gongjian` binary built for this test run.
pub fn bin() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gongjian"));
    cmd.env_remove("GONGJIAN_DB")
        .env_remove("GONGJIAN_LANG")
        .env_remove("GONGJIAN_OPERATOR")
        // A terminal's remembered street (`--street`) goes to the test's own folder, never to
        // the account's configuration.
        .env(
            "XDG_CONFIG_HOME",
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("config"),
        );
    cmd
}
