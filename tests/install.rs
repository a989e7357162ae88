//! `cargo install --path .` in a clean home gives a working `gongjian` on PATH (the README's
//! third command). Ignored by default because it builds the binary again; `.ci/run` runs it:
//! `cargo test --test install -- --ignored`. It reuses this checkout's debug build
//! (`--debug`, same target folder), so it costs a link, not a build.

use std::path::{Path, PathBuf};
use std::process::Command;

fn real_dir(var: &str, under_home: &str) -> PathBuf {
    std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(under_home)
    })
}

#[test]
#[ignore = "builds the binary again; run by .ci/run"]
fn cargo_install_in_a_clean_home_puts_a_working_gongjian_on_path() {
    let home = tempfile::tempdir().expect("tempdir");
    let home = home.path();
    let root = home.join("install");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // The toolchain and the downloaded crates stay where they are; everything else is new.
    let cargo_home = real_dir("CARGO_HOME", ".cargo");
    let rustup_home = real_dir("RUSTUP_HOME", ".rustup");
    let out = Command::new(cargo)
        .args(["install", "--locked", "--offline", "--debug", "--path"])
        .arg(manifest)
        .arg("--root")
        .arg(&root)
        .env("HOME", home)
        .env("CARGO_HOME", &cargo_home)
        .env("RUSTUP_HOME", &rustup_home)
        .env("CARGO_TARGET_DIR", manifest.join("target"))
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo install failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let path = root.join("bin");
    assert!(
        path.join("gongjian").exists(),
        "no gongjian in {}",
        path.display()
    );
    let run = |args: &[&str]| {
        Command::new("gongjian")
            .args(args)
            .current_dir(home)
            .env_clear()
            .env("HOME", home)
            .env("PATH", format!("{}:/usr/bin:/bin", path.display()))
            .output()
            .expect("gongjian runs from PATH")
    };
    let version = run(&["--version"]);
    assert!(version.status.success());
    assert!(
        String::from_utf8_lossy(&version.stdout).contains("schema version"),
        "{}",
        String::from_utf8_lossy(&version.stdout)
    );
    // The first run in a clean home creates the default file with the demo district.
    let report = run(&["report"]);
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    assert!(String::from_utf8_lossy(&report.stdout).contains("港宁社区"));
    assert!(home.join(".local/share/gongjian/gongjian.db").exists());
}
