//! Command-line mistakes: one line in the user's language, exit status 2, nothing written; the
//! help in Chinese unless English is asked for.

mod support;

use support::{bin, demo, run, stderr, stdout};

/// Words of clap's own English that must never reach a Chinese (or any) user.
const CLAP_WORDS: [&str; 6] = [
    "error:",
    "Usage:",
    "unrecognized",
    "For more information",
    "invalid digit",
    "was not provided",
];

#[test]
fn usage_mistakes_are_one_line_in_the_users_language_with_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo(dir.path(), "demo.db");
    let before = std::fs::read(&db).expect("read");
    let mistakes: &[(&[&str], &str, &str)] = &[
        (
            &["repor"],
            "没有 'repor' 这个命令",
            "there is no command 'repor'",
        ),
        (&["adjust", "paus"], "是不是 pause", "did you mean pause"),
        (
            &["adjust", "pause", "--projet", "3"],
            "未知参数 --projet",
            "unknown argument --projet",
        ),
        (&["adjust", "pause", "--project"], "缺少值", "needs a value"),
        (
            &["report", "--community", "abc"],
            "--community",
            "--community",
        ),
        (
            &["report", "--format", "xx"],
            "可用的值：text",
            "accepted: text",
        ),
        (&["import"], "缺少必需的参数", "missing required argument"),
        (&["adjust", "pause"], "有 2 处需要修改", "2 problems to fix"),
        (
            &[
                "adjust",
                "activity",
                "--project",
                "1",
                "--held-on",
                "昨天",
                "--planned",
                "十",
                "--actual",
                "5",
                "--reason",
                "补记",
            ],
            "计划人数（--planned）",
            "(--planned)",
        ),
    ];
    for (args, zh, en) in mistakes {
        for (lang, expected) in [("zh", zh), ("en", en)] {
            let out = run(&db, &[&["--lang", lang][..], args].concat());
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{args:?} {lang}: {err}");
            assert!(stdout(&out).is_empty(), "{args:?}");
            assert_eq!(err.trim_end().lines().count(), 1, "{args:?} {lang}: {err}");
            assert!(
                err.contains(expected),
                "{args:?} {lang}: expected {expected:?} in {err}"
            );
            for word in CLAP_WORDS {
                assert!(
                    !err.contains(word),
                    "{args:?} {lang}: clap's {word:?} in {err}"
                );
            }
            if lang == "zh" {
                assert!(err.contains("查看用法") || err.contains("未写入"), "{err}");
            }
        }
    }
    // A well-formed value the data refuses is not a usage mistake: exit 1.
    let out = run(
        &db,
        &["adjust", "undo", "--entry", "999999", "--reason", "试"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&db).expect("read"),
        before,
        "nothing was written"
    );
}

#[test]
fn the_help_is_in_chinese_unless_english_is_asked_for() {
    let help = |args: &[&str]| {
        let out = bin()
            .args(args)
            .env_remove("GONGJIAN_LANG")
            .output()
            .expect("runs");
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out)
    };
    for args in [
        &["--help"][..],
        &["-h"],
        &["help"],
        &["adjust", "--help"],
        &["help", "adjust", "pause"],
        &["report", "-h"],
    ] {
        let text = help(args);
        assert!(
            text.contains("用法：") && text.contains("显示帮助"),
            "{args:?}: {text}"
        );
        for english in ["Usage:", "Options:", "Commands:", "Print help"] {
            assert!(!text.contains(english), "{args:?}: {english} in {text}");
        }
    }
    assert!(help(&["help", "adjust", "pause"]).contains("暂停进行中的项目"));
    let text = help(&["--lang", "en", "--help"]);
    assert!(
        text.contains("Usage:") && text.contains("Print help"),
        "{text}"
    );
    let out = bin()
        .args(["--help"])
        .env("GONGJIAN_LANG", "en")
        .output()
        .expect("runs");
    assert!(stdout(&out).contains("Usage:"), "GONGJIAN_LANG=en");
}
