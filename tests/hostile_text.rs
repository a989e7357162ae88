//! Hostile text in the data, as another tool could write it: escape sequences (window title,
//! clear screen, cursor moves), other control characters, bidi overrides, combining marks,
//! emoji, 10,000-character names. Nothing of it may reach a terminal as control, columns must
//! stay aligned, and CSV cells that would start a formula are neutralised.
#![cfg(unix)]

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;
use support::Dashboard;

/// Sets a title, clears the screen and moves the cursor, in the name of the community with the
/// most alerts (the overview's first row).
const TITLE_CLEAR_MOVE: &str =
    "\u{1b}]0;PWNED\u{7}青石\u{1b}[2J\u{1b}[H社区\u{1b}[31m\u{1b}[10;10H";
/// C1 CSI, DCS, BEL, backspace, carriage return, line feed, tab, DEL, in a project title.
const C1_AND_C0: &str = "消防\u{9b}2J\u{1b}P+q\u{1b}\\\u{7}\u{8}\r\n\t\u{7f}通道清理";
const BIDI: &str = "南岭\u{202e}道街\u{202c}\u{2066}x\u{2069}";
const EMOJI: &str = "👨\u{200d}👩\u{200d}👧家庭🇨🇳👍🏽驿站";
const FORMULAS: [(i64, &str); 4] = [
    (4, "=HYPERLINK(\"http://evil\",\"点我\")"),
    (5, "+1+2"),
    (6, "-3+4"),
    (7, "@SUM(A1:A9)"),
];

fn long_name() -> String {
    "很长的名称".repeat(2_000)
}

fn combining() -> String {
    format!("松坡{}社区", "\u{301}\u{302}\u{303}".repeat(40))
}

/// The demo district with hostile names written straight into the file.
fn hostile_district(dir: &Path) -> PathBuf {
    let db = support::demo(dir, "hostile.db");
    let conn = rusqlite::Connection::open(&db).expect("open");
    let set = |sql: &str, value: &str, id: i64| {
        conn.execute(sql, rusqlite::params![value, id])
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    };
    let community = "UPDATE community SET name = ?1 WHERE id = ?2";
    set(community, TITLE_CLEAR_MOVE, 11);
    set(community, &long_name(), 1);
    set(community, &combining(), 9);
    set(community, EMOJI, 3);
    for (id, formula) in FORMULAS {
        set(community, formula, id);
    }
    set(
        "UPDATE street SET name = ?1 WHERE id = (SELECT street_id FROM community WHERE id = ?2)",
        BIDI,
        11,
    );
    set(
        "UPDATE project SET title = ?1 WHERE id = ?2",
        C1_AND_C0,
        120,
    );
    set(
        "UPDATE unit SET name = ?1 WHERE id = (SELECT unit_id FROM project WHERE id = ?2)",
        &long_name(),
        120,
    );
    db
}

/// Every character that could act on a terminal or turn the text around.
fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn assert_inert(what: &str, text: &str) {
    if let Some((at, c)) = text.char_indices().find(|(_, c)| is_hostile(*c)) {
        let from = text[..at]
            .char_indices()
            .rev()
            .nth(20)
            .map_or(0, |(i, _)| i);
        panic!(
            "{what}: {c:?} reaches the terminal at byte {at}, after {:?}",
            &text[from..at]
        );
    }
}

/// All lines of the text report's table have the same width in terminal cells.
fn assert_table_aligned(text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    let rule = lines
        .iter()
        .position(|l| !l.is_empty() && l.chars().all(|c| c == '-'))
        .expect("the table's rule");
    let width = lines[rule].len();
    let rows = &lines[rule - 1..=rule + 13];
    for row in rows {
        assert_eq!(
            unicode_width::UnicodeWidthStr::width(*row),
            width,
            "not aligned: {row:?}"
        );
    }
}

#[test]
fn reports_and_logs_print_hostile_data_as_inert_aligned_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = hostile_district(dir.path());
    // A log entry on the hostile project, so that the log shows its title too.
    let out = support::run(
        &db,
        &[
            "adjust",
            "activity",
            "--project",
            "120",
            "--held-on",
            "2026-11-20",
            "--planned",
            "10",
            "--actual",
            "3",
            "--reason",
            "回头看",
            "--operator",
            "李明",
        ],
    );
    assert!(out.status.success(), "{}", support::stderr(&out));

    let mut checked = 0;
    for lang in ["zh", "en"] {
        for args in [
            vec!["report"],
            vec!["report", "--format", "md"],
            vec!["report", "--community", "11"],
            vec!["report", "--community", "11", "--format", "md"],
            vec!["report", "--community", "1"],
            vec!["log"],
            vec!["log", "--format", "json"],
            vec!["report", "--format", "json"],
        ] {
            let all = [&["--lang", lang][..], &args].concat();
            let out = support::run(&db, &all);
            assert!(out.status.success(), "{all:?}: {}", support::stderr(&out));
            let text = String::from_utf8(out.stdout.clone()).expect("UTF-8");
            assert_inert(&format!("{all:?}"), &text);
            assert_inert(&format!("{all:?} (stderr)"), &support::stderr(&out));
            checked += 1;
            if args == ["report"] {
                assert_table_aligned(&text);
                // Long names are cut to their column, not printed whole.
                assert!(text.lines().all(|l| l.chars().count() < 400));
            }
        }
    }

    // JSON escapes what it must, and still carries the data exactly as stored.
    let out = support::run(&db, &["report", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let name = |id: i64| {
        json["communities"]
            .as_array()
            .expect("communities")
            .iter()
            .find(|c| c["id"] == id)
            .map(|c| c["name"].as_str().expect("name").to_string())
            .expect("community")
    };
    assert_eq!(name(11), TITLE_CLEAR_MOVE);
    assert_eq!(name(1), long_name());
    assert_eq!(name(9), combining());

    // CSV: no control characters, and no cell that a spreadsheet would run as a formula.
    let out = support::run(&db, &["report", "--format", "csv"]);
    let csv = String::from_utf8(out.stdout).expect("UTF-8");
    assert_inert("csv", &csv.replace("\r\n", "\n"));
    let mut reader =
        csv::ReaderBuilder::new().from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let mut formulas = 0;
    for row in reader.records() {
        let row = row.expect("a CSV row");
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "a formula reaches the spreadsheet: {cell:?}"
            );
        }
        let id: i64 = row[0].parse().expect("id");
        if let Some((_, formula)) = FORMULAS.iter().find(|(f, _)| *f == id) {
            assert_eq!(
                &row[2],
                format!("'{formula}"),
                "neutralised, otherwise kept"
            );
            formulas += 1;
        }
    }
    assert_eq!(formulas, FORMULAS.len());
    let out = support::run(&db, &["log", "--format", "csv"]);
    let log_csv = String::from_utf8(out.stdout).expect("UTF-8");
    assert_inert("log csv", &log_csv.replace("\r\n", "\n"));
    eprintln!(
        "hostile text: {checked} report and log outputs (zh, en; text, md, json) and 2 CSV exports inert; {} formula cells neutralised",
        FORMULAS.len()
    );
}

/// The column (in terminal cells) where `wanted` first appears on screen row `row`.
fn column_of(screen: &vt100::Screen, row: u16, wanted: &str) -> Option<u16> {
    let (_, cols) = screen.size();
    (0..cols).find(|c| {
        screen
            .cell(row, *c)
            .is_some_and(|cell| cell.contents() == wanted)
    })
}

/// The last column of row `row` with something in it.
fn last_column(screen: &vt100::Screen, row: u16) -> Option<u16> {
    let (_, cols) = screen.size();
    (0..cols).rev().find(|c| {
        screen
            .cell(row, *c)
            .is_some_and(|cell| !cell.contents().trim().is_empty())
    })
}

fn dashboard_stays_inert_and_aligned(rows: u16, cols: u16) -> usize {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = hostile_district(dir.path());
    let mut dash = Dashboard::spawn(&db, &[], rows, cols);
    dash.wait_for("the whole overview", Duration::from_secs(20), |t| {
        t.contains("? 更多") && t.lines().filter(|l| l.contains('%')).count() >= 13
    });

    // The overview: one row per community, each figure column at the same place on every row.
    let screen = dash.parser.screen().clone();
    let text = dash.text();
    let header = text
        .lines()
        .position(|l| l.contains("完成率"))
        .expect("the table header") as u16;
    let data: Vec<u16> = (header + 1..header + 14).collect();
    let percent: Vec<Option<u16>> = data.iter().map(|r| column_of(&screen, *r, "%")).collect();
    assert!(
        percent.iter().all(|c| c.is_some() && *c == percent[0]),
        "the completion column moved: {percent:?}\n{text}"
    );
    let ends: Vec<Option<u16>> = data.iter().map(|r| last_column(&screen, *r)).collect();
    assert!(
        ends.iter().all(|c| *c == ends[0]),
        "the alerts column moved: {ends:?}\n{text}"
    );
    assert!(
        text.contains("]0;PWNED青石"),
        "the escape sequences show as text:\n{text}"
    );
    let footer = text.lines().nth(usize::from(rows) - 1).unwrap_or("");
    assert!(
        footer.contains("? 更多"),
        "the footer stays on the last row:\n{text}"
    );

    // The community with the title/clear/cursor name, its hostile project and long unit name.
    dash.keys(b"\r");
    dash.wait_for("the community", Duration::from_secs(10), |t| {
        t.contains("[2J[H社区") && t.contains("逾期项目")
    });
    for _ in 0..4 {
        dash.keys(b"\t");
        std::thread::sleep(Duration::from_millis(50));
    }
    dash.keys(b"\x1b");
    dash.wait_for("the overview again", Duration::from_secs(10), |t| {
        t.contains("有预警社区")
    });
    // The community with the 10,000-character name, through the filter.
    dash.keys(b"/");
    dash.keys("很长的名称".as_bytes());
    dash.keys(b"\r");
    std::thread::sleep(Duration::from_millis(200));
    dash.keys(b"\r");
    dash.wait_for("the long-named community", Duration::from_secs(10), |t| {
        t.contains("很长的名称") && t.contains("逾期项目")
    });
    let text = dash.text();
    let footer = text.lines().nth(usize::from(rows) - 1).unwrap_or("");
    assert!(!footer.trim().is_empty(), "the footer stays:\n{text}");
    assert!(dash.alive(), "still running");
    dash.keys(b"\x1b\x1b\x1b");
    dash.quit();

    // Every byte the program sent to the terminal: no control from the data.
    let raw = String::from_utf8_lossy(&dash.raw).into_owned();
    for (what, sequence) in [
        ("OSC (window title)", "\u{1b}]"),
        ("DCS", "\u{1b}P"),
        ("APC", "\u{1b}_"),
        ("PM", "\u{1b}^"),
        ("SOS", "\u{1b}X"),
        ("BEL", "\u{7}"),
        ("backspace", "\u{8}"),
        ("DEL", "\u{7f}"),
        // The title sequence itself, ESC and all (the program's own cursor moves look like
        // the data's, so those are told apart by the screen above, not here).
        ("the data's title sequence", "\u{1b}]0;PWNED"),
    ] {
        assert!(!raw.contains(sequence), "{what} reached the terminal");
    }
    let clears = raw.matches("\u{1b}[2J").count();
    assert!(
        clears <= 1,
        "{clears} screen clears: only the program's own first one"
    );
    if let Some(c) = raw.chars().find(
        |c| matches!(c, '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'),
    ) {
        panic!("{c:?} reached the terminal");
    }
    dash.raw.len()
}

#[test]
fn the_dashboard_shows_hostile_data_as_inert_aligned_text() {
    let small = dashboard_stays_inert_and_aligned(24, 80);
    let large = dashboard_stays_inert_and_aligned(45, 160);
    eprintln!(
        "hostile text in the dashboard: 80x24 and 160x45, {small} and {large} bytes scanned, no OSC/DCS/C1/bidi/BEL from the data, columns aligned"
    );
}
