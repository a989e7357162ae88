//! The writing half of the dashboard driven by keys, with the store thread's requests served
//! synchronously on a real file: forms, validation, preview, save, conflicts, the log and undo.

use super::app::{App, Data, Effect, Overlay, Screen};
use super::event::Event;
use super::form::Stage;
use super::store_thread;
use super::theme::Theme;
use super::ui;
use super::worker::{Request, read_snapshot};
use crate::dates::parse_ymd;
use crate::i18n::Lang;
use crate::store::{Store, load_demo, load_project_detail};
use chrono::{NaiveDate, TimeZone};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

fn today() -> NaiveDate {
    parse_ymd("2026-11-28").expect("date")
}

struct Harness {
    app: App,
    store: Store,
    /// The figures' day (the demo is shifted to it).
    day: NaiveDate,
    _dir: tempfile::TempDir,
}

impl Harness {
    fn new(lang: Lang) -> Harness {
        Harness::on(lang, today())
    }

    /// The demo shifted to `day`, the dashboard's today.
    fn on(lang: Lang, day: NaiveDate) -> Harness {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::create(&dir.path().join("demo.db")).expect("create");
        load_demo(&mut store, day).expect("demo");
        let mut app = App::new(lang, "demo.db".into(), false, Some(day));
        app.operator_flag = Some("王芳".into());
        let mut harness = Harness {
            app,
            store,
            day,
            _dir: dir,
        };
        harness.reload();
        harness
    }

    fn reload(&mut self) {
        let mut snapshot = read_snapshot(&self.store, Some(self.day)).expect("read");
        snapshot.loaded_at = chrono::Local
            .with_ymd_and_hms(2026, 11, 28, 9, 30, 0)
            .single()
            .expect("time");
        self.app.data = Data::Ready(Arc::new(snapshot));
    }

    /// Serves every request the app makes, as the threads would, until it makes no more.
    fn run(&mut self, mut effects: Vec<Effect>) {
        while !effects.is_empty() {
            let mut more = Vec::new();
            for effect in effects {
                let event = match effect {
                    Effect::Store(request) => {
                        Event::Stored(store_thread::serve(&mut self.store, request, self.app.lang))
                    }
                    Effect::Read(Request::Reload) => {
                        let mut snapshot =
                            read_snapshot(&self.store, Some(self.day)).expect("read");
                        snapshot.loaded_at = chrono::Local
                            .with_ymd_and_hms(2026, 11, 28, 9, 30, 0)
                            .single()
                            .expect("time");
                        Event::Loaded(Box::new(snapshot))
                    }
                    Effect::Read(Request::Sessions(projects)) => Event::Sessions(
                        crate::store::load_sessions(self.store.conn(), &projects, self.day)
                            .expect("sessions"),
                    ),
                    Effect::Read(Request::Projects(id)) => Event::Projects(
                        id,
                        Ok(crate::store::load_community_projects(self.store.conn(), id)
                            .expect("projects")),
                    ),
                    Effect::Read(Request::ProjectDetail(id)) => Event::Detail(
                        id,
                        load_project_detail(self.store.conn(), id)
                            .expect("detail")
                            .map(Box::new),
                    ),
                };
                more.extend(self.app.handle(event));
            }
            effects = more;
        }
    }

    fn press(&mut self, code: KeyCode) {
        let effects = self
            .app
            .handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.run(effects);
    }

    fn ctrl(&mut self, ch: char) {
        let effects = self.app.handle(Event::Key(KeyEvent::new(
            KeyCode::Char(ch),
            KeyModifiers::CONTROL,
        )));
        self.run(effects);
    }

    fn type_text(&mut self, text: &str) {
        for ch in text.chars() {
            self.press(KeyCode::Char(ch));
        }
    }

    fn screen(&self, width: u16, height: u16) -> (String, Terminal<TestBackend>) {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        terminal
            .draw(|frame| ui::render(&self.app, frame, Theme::projector()))
            .expect("draw");
        let buffer = terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buffer.area.height {
            let mut x = 0;
            while x < buffer.area.width {
                let symbol = buffer[(x, y)].symbol();
                out.push_str(symbol);
                x += crate::text::width(symbol).max(1) as u16;
            }
            out.push('\n');
        }
        (out, terminal)
    }

    fn count(&self, sql: &str) -> i64 {
        self.store
            .conn()
            .query_row(sql, [], |r| r.get(0))
            .expect("count")
    }

    fn due_of(&self, project: i64) -> String {
        self.store
            .conn()
            .query_row("SELECT due_on FROM project WHERE id = ?1", [project], |r| {
                r.get(0)
            })
            .expect("due")
    }

    fn form_error(&self, key: &str) -> bool {
        match &self.app.overlay {
            Some(Overlay::Form(form)) => form.error_of(key).is_some(),
            _ => false,
        }
    }

    fn form_stage(&self) -> Option<&Stage> {
        match &self.app.overlay {
            Some(Overlay::Form(form)) => Some(&form.stage),
            _ => None,
        }
    }

    /// Opens 青石社区 (the worst, on top), focuses its overdue panel and opens the menu on
    /// its first overdue project (#120 消防通道清理, paused, due 2025-10-31).
    fn menu_on_first_overdue(&mut self) {
        self.press(KeyCode::Enter);
        self.press(KeyCode::Tab);
        self.type_text("a");
        assert!(
            matches!(self.app.overlay, Some(Overlay::Menu(_))),
            "menu open"
        );
    }
}

#[test]
fn reschedule_through_the_form_writes_the_change_and_its_log_entry() {
    let mut h = Harness::new(Lang::Zh);
    h.menu_on_first_overdue();
    insta::assert_snapshot!("menu_project_zh", h.screen(80, 24).0);
    h.press(KeyCode::Enter); // 改期
    insta::assert_snapshot!("form_reschedule_zh", h.screen(80, 24).0);
    h.ctrl('u');
    h.type_text("2027-03-31");
    h.press(KeyCode::Tab);
    h.type_text("错峰值班，重新安排");
    h.press(KeyCode::Enter);
    assert!(matches!(h.form_stage(), Some(Stage::Confirm { .. })));
    insta::assert_snapshot!("confirm_reschedule_zh", h.screen(80, 24).0);
    assert_eq!(
        h.count("SELECT count(*) FROM adjustment"),
        0,
        "nothing before the confirm"
    );
    h.press(KeyCode::Enter);
    assert!(h.app.overlay.is_none());
    assert_eq!(h.app.flash.as_deref(), Some("已保存，调整记录 #1"));
    assert_eq!(h.due_of(120), "2027-03-31");
    let (operator, reason, action): (String, String, String) = h
        .store
        .conn()
        .query_row(
            "SELECT operator, reason, action FROM adjustment WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("entry");
    assert_eq!(
        (operator.as_str(), reason.as_str(), action.as_str()),
        ("王芳", "错峰值班，重新安排", "reschedule")
    );
    // The panels show the new figures at once: one overdue project fewer.
    let Screen::Community(state) = &h.app.screen else {
        panic!("community screen")
    };
    assert_eq!(h.app.community(state.id).expect("c").overdue.len(), 3);
}

#[test]
fn bad_input_is_shown_beside_its_field_and_nothing_is_written() {
    let mut h = Harness::new(Lang::En);
    h.menu_on_first_overdue();
    h.press(KeyCode::Enter);
    h.ctrl('u');
    h.type_text("2026-02-30");
    h.press(KeyCode::Enter); // reason left blank too
    assert!(matches!(h.form_stage(), Some(Stage::Editing)));
    let (text, _) = h.screen(100, 30);
    insta::assert_snapshot!("form_errors_en", text);
    assert!(text.contains("2026-02-30"), "{text}");
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("form")
    };
    let fields: Vec<&str> = form.errors.iter().map(|e| e.field).collect();
    assert_eq!(fields, vec!["due", "reason"]);
    assert_eq!(form.focus, 0, "the first wrong field gets the focus");
    h.press(KeyCode::Esc);
    h.type_text("y");
    assert!(h.app.overlay.is_none());
    assert_eq!(h.count("SELECT count(*) FROM adjustment"), 0);
    assert_eq!(h.due_of(120), "2025-10-31");
}

#[test]
fn chinese_typed_into_a_field_keeps_the_cursor_after_it() {
    let mut h = Harness::new(Lang::Zh);
    h.menu_on_first_overdue();
    for _ in 0..5 {
        h.press(KeyCode::Down); // 转型
    }
    h.press(KeyCode::Enter);
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("form")
    };
    assert_eq!(form.kind(), Some(crate::adjust::ActionKind::Convert));
    h.type_text("老年兴趣小组");
    let (text, mut terminal) = h.screen(80, 24);
    let row = text
        .lines()
        .position(|l| l.contains("老年兴趣小组"))
        .expect("title on screen");
    let line = text.lines().nth(row).expect("line");
    let start = crate::text::width(&line[..line.find("老年兴趣小组").expect("typed")]);
    let cursor = terminal.get_cursor_position().expect("cursor");
    assert_eq!(
        (cursor.x as usize, cursor.y as usize),
        (start + 12, row),
        "after six wide glyphs"
    );
    h.press(KeyCode::Backspace);
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("form")
    };
    assert_eq!(form.fields[0].value(), "老年兴趣小");
}

#[test]
fn the_lead_unit_is_picked_from_a_list_by_typing() {
    let mut h = Harness::new(Lang::Zh);
    h.menu_on_first_overdue();
    for _ in 0..5 {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter); // 转型: title, unit, due
    h.press(KeyCode::Tab);
    h.ctrl('u');
    h.type_text("检察院");
    let (text, _) = h.screen(100, 30);
    assert!(text.contains("西江区人民检察院"), "{text}");
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("form")
    };
    let unit = &form.fields[1].value();
    let id: i64 = unit.parse().expect("the unit's id");
    let name: String = h
        .store
        .conn()
        .query_row("SELECT name FROM unit WHERE id = ?1", [id], |r| r.get(0))
        .expect("unit");
    assert_eq!(name, "西江区人民检察院");
    assert!(
        matches!(form.stage, Stage::Editing),
        "picking is not submitting"
    );
}

#[test]
fn a_change_by_another_terminal_is_a_conflict_and_the_form_reopens_on_it() {
    let mut h = Harness::new(Lang::Zh);
    h.menu_on_first_overdue();
    h.press(KeyCode::Enter);
    h.ctrl('u');
    h.type_text("2027-01-31");
    h.press(KeyCode::Tab);
    h.type_text("年底前完成");
    h.press(KeyCode::Enter);
    // Another terminal reschedules the same project meanwhile.
    let other = rusqlite::Connection::open(h.store.path()).expect("other terminal");
    other
        .execute(
            "UPDATE project SET due_on = '2026-12-15' WHERE id = 120",
            [],
        )
        .expect("update");
    h.press(KeyCode::Enter);
    assert!(matches!(h.form_stage(), Some(Stage::Conflict(_))));
    let (text, _) = h.screen(80, 24);
    insta::assert_snapshot!("conflict_zh", text);
    assert_eq!(
        h.due_of(120),
        "2026-12-15",
        "nothing written over the other save"
    );
    assert_eq!(h.count("SELECT count(*) FROM adjustment"), 0);
    h.type_text("r");
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("form")
    };
    assert_eq!(
        form.fields[0].value(),
        "2026-12-15",
        "re-opened on the new values"
    );
    assert_eq!(
        form.fields[1].value(),
        "年底前完成",
        "the reason typed is kept"
    );
    h.ctrl('u');
    h.type_text("2027-01-31");
    h.press(KeyCode::Enter);
    h.press(KeyCode::Enter);
    assert_eq!(h.due_of(120), "2027-01-31");
    assert_eq!(h.count("SELECT count(*) FROM adjustment"), 1);
}

#[test]
fn log_a_quarterly_meeting_from_the_overview() {
    let mut h = Harness::new(Lang::Zh);
    // 青石社区 is on top with Q1 and Q3 missing.
    h.type_text("a");
    let Some(Overlay::Menu(menu)) = &h.app.overlay else {
        panic!("menu")
    };
    assert_eq!(
        menu.items(),
        crate::adjust::ActionKind::in_menu(crate::adjust::Target::Community),
        "community actions only"
    );
    h.press(KeyCode::Enter); // 记录例会
    insta::assert_snapshot!("form_meeting_zh", h.screen(80, 24).0);
    h.press(KeyCode::Right);
    h.press(KeyCode::Left); // back to quarterly
    h.press(KeyCode::Tab);
    h.ctrl('u');
    h.type_text("2026-03-20");
    h.press(KeyCode::Tab);
    h.type_text("１５"); // full-width digits from an input method
    h.press(KeyCode::Tab);
    h.type_text("补记一季度例会");
    h.press(KeyCode::Tab);
    h.type_text("补录");
    h.press(KeyCode::Enter);
    assert!(
        matches!(h.form_stage(), Some(Stage::Confirm { .. })),
        "{:?}",
        h.app.overlay
    );
    h.press(KeyCode::Enter);
    assert_eq!(h.count("SELECT count(*) FROM meeting WHERE community_id = 11 AND held_on = '2026-03-20' AND attendees = 15"), 1);
    let c = h.app.community(11).expect("c");
    assert_eq!(c.meetings.missing, 1, "Q1 held now");
}

#[test]
fn read_only_offers_no_adjustment_and_says_why() {
    let mut h = Harness::new(Lang::Zh);
    h.app.write_refusal = Some("文件以只读方式打开，不能调整".into());
    h.type_text("a");
    assert!(h.app.overlay.is_none());
    assert_eq!(h.app.flash.as_deref(), Some("文件以只读方式打开，不能调整"));
    let (text, _) = h.screen(80, 24);
    assert!(text.contains("文件以只读方式打开"));
}

#[test]
fn history_lists_newest_first_and_undo_restores_once() {
    let mut h = Harness::new(Lang::Zh);
    h.menu_on_first_overdue();
    h.press(KeyCode::Enter);
    h.ctrl('u');
    h.type_text("2027-03-31");
    h.press(KeyCode::Tab);
    h.type_text("改期");
    h.press(KeyCode::Enter);
    h.press(KeyCode::Enter);
    h.type_text("h");
    let Screen::History(state, _) = &h.app.screen else {
        panic!("history")
    };
    assert_eq!(state.entries.as_ref().map(Vec::len), Some(1));
    // Times come from the clock: the snapshot shows them as [time].
    insta::with_settings!({ filters => vec![(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}|\d{2}:\d{2}:\d{2}", "[time]")] }, {
        insta::assert_snapshot!("history_zh", h.screen(80, 24).0);
    });
    h.type_text("u");
    h.press(KeyCode::Enter); // no reason yet
    assert!(matches!(h.form_stage(), Some(Stage::Editing)));
    h.type_text("误操作");
    h.press(KeyCode::Enter);
    h.press(KeyCode::Enter);
    assert_eq!(h.due_of(120), "2025-10-31", "restored");
    let Screen::History(state, _) = &h.app.screen else {
        panic!("history")
    };
    let entries = state.entries.as_ref().expect("entries");
    assert_eq!(entries.len(), 2);
    assert_eq!(
        entries[0].reverses,
        Some(entries[1].id),
        "newest first: the undo"
    );
    h.type_text("j");
    h.type_text("u");
    assert!(
        h.app.overlay.is_none(),
        "an undone entry cannot be undone again"
    );
    assert!(h.app.flash.is_some());
    h.type_text("/误操作");
    h.press(KeyCode::Enter);
    let Screen::History(state, _) = &h.app.screen else {
        panic!("history")
    };
    assert_eq!(state.visible().len(), 1);
    h.press(KeyCode::Esc);
    assert!(
        matches!(h.app.screen, Screen::Community(_)),
        "back where it was"
    );
}

#[test]
fn a_whole_weekly_review_driven_by_keys_is_stored_and_summarised() {
    let mut h = Harness::new(Lang::Zh);
    let minutes_dir = tempfile::tempdir().expect("tempdir");
    h.app.export_folder = minutes_dir.path().to_path_buf();
    h.type_text("r");
    let Screen::Review(state) = &h.app.screen else {
        panic!("review screen")
    };
    assert!(
        state.id.is_none(),
        "nothing is stored before the first record"
    );
    assert_eq!(state.queue.len(), 11, "the eleven flagged communities");
    assert_eq!(state.current(), Some(11), "most alerts first: 青石社区");
    insta::assert_snapshot!("review_zh_160x45", h.screen(160, 45).0);
    insta::assert_snapshot!("review_en_80x24", {
        h.app.lang = Lang::En;
        let text = h.screen(80, 24).0;
        h.app.lang = Lang::Zh;
        text
    });

    // A decision (督办事项) for 青石社区.
    h.type_text("d");
    h.type_text("两周内补开三季度例会");
    h.press(KeyCode::Tab);
    h.type_text("王书记");
    h.press(KeyCode::Enter);
    assert!(
        matches!(h.form_stage(), Some(Stage::Confirm { .. })),
        "Enter previews first, as the key bar says: {:?}",
        h.app.overlay
    );
    assert_eq!(
        h.count("SELECT count(*) FROM decision"),
        0,
        "nothing written before the confirm"
    );
    insta::assert_snapshot!("decision_preview_zh_80x24", h.screen(80, 24).0);
    h.press(KeyCode::Enter);
    assert!(h.app.overlay.is_none(), "{:?}", h.app.overlay);
    assert_eq!(h.app.flash.as_deref(), Some("督办事项已记录"));

    // An adjustment in place: the third flag is the overdue 消防通道清理 (#120).
    h.press(KeyCode::Down);
    h.press(KeyCode::Down);
    h.type_text("a");
    let Some(Overlay::Menu(menu)) = &h.app.overlay else {
        panic!("menu")
    };
    assert_eq!(menu.project, Some(120));
    h.press(KeyCode::Enter); // 改期
    h.ctrl('u');
    h.type_text("2026-12-31");
    h.press(KeyCode::Tab);
    h.type_text("例会决定：年底前完成");
    h.press(KeyCode::Enter);
    h.press(KeyCode::Enter);
    assert_eq!(h.due_of(120), "2026-12-31");
    assert!(
        matches!(h.app.screen, Screen::Review(_)),
        "still in the review"
    );

    h.type_text("n"); // 青石社区 covered
    h.type_text("s"); // the next one skipped
    h.type_text("q"); // ends on the third: nothing done there, so it is not counted
    let Screen::Review(state) = &h.app.screen else {
        panic!("review screen")
    };
    let summary = state.summary.as_ref().expect("summary");
    assert_eq!((summary.covered.len(), summary.skipped.len()), (1, 1));
    assert_eq!(summary.decisions.len(), 1);
    assert_eq!(
        summary.adjustments.len(),
        1,
        "the reschedule made during the review"
    );
    assert!(
        summary
            .open
            .iter()
            .any(|d| d.text == "两周内补开三季度例会")
    );

    h.type_text("e");
    let Screen::Review(state) = &h.app.screen else {
        panic!("review screen")
    };
    let path = state.minutes.clone().expect("minutes").expect("written");
    let minutes = std::fs::read_to_string(&path).expect("minutes file");
    assert!(
        minutes.contains("两周内补开三季度例会") && minutes.contains("王书记"),
        "{minutes}"
    );

    let ended: Option<String> = h
        .store
        .conn()
        .query_row("SELECT ended_at FROM review", [], |r| r.get(0))
        .expect("review row");
    assert!(ended.is_some());
    assert_eq!(
        h.count("SELECT count(*) FROM review_item WHERE outcome = 'covered'"),
        1
    );
    assert_eq!(
        h.count("SELECT count(*) FROM review_item WHERE outcome = 'skipped'"),
        1
    );
    assert_eq!(
        h.count("SELECT count(*) FROM adjustment WHERE action = 'decision'"),
        1
    );
    assert_eq!(
        h.count("SELECT count(*) FROM adjustment WHERE action = 'reschedule'"),
        1
    );
    h.press(KeyCode::Esc);
    assert!(matches!(h.app.screen, Screen::Overview));
}

#[test]
fn opening_a_community_asks_for_its_sparkline_sessions_only() {
    let mut h = Harness::new(Lang::Zh);
    assert!(h.app.sessions.is_empty(), "nothing read for the overview");
    h.press(KeyCode::Enter); // 青石社区: four flagged projects
    let c = h.app.community(11).expect("c").clone();
    let flagged: Vec<i64> = c.low_participation.iter().map(|p| p.project_id).collect();
    assert_eq!(flagged.len(), 4);
    for id in &flagged {
        assert!(
            h.app.sessions.get(id).is_some_and(|s| !s.is_empty()),
            "sessions of #{id}"
        );
    }
    assert_eq!(h.app.sessions.len(), 4, "only this community's");
    let (text, _) = h.screen(160, 45);
    assert!(text.contains("⣶⣶⣶⣶⣶⣶"), "the sparkline is drawn:\n{text}");
}

#[test]
fn an_overdue_decision_is_flagged_on_the_community_screen() {
    let mut h = Harness::new(Lang::Zh);
    // Taken last week, due two days ago, not done; plus a done one and one not yet due.
    h.store
        .conn()
        .execute_batch(
            "INSERT INTO decision (community_id, text, owner, due_on, created_at, created_by)
                  VALUES (11, '补开三季度例会', '王书记', '2026-11-26', '2026-11-20T02:00:00Z', '张三'),
                         (11, '整改消防通道', '李科长', '2026-12-10', '2026-11-20T02:00:00Z', '张三');
             INSERT INTO decision (community_id, text, owner, due_on, created_at, created_by, done_at, done_by, done_note)
                  VALUES (11, '已办结事项', '赵主任', '2026-11-01', '2026-10-20T02:00:00Z', '张三',
                          '2026-10-30T02:00:00Z', '赵主任', '完成');",
        )
        .expect("decisions");
    h.reload();
    let snapshot = h.app.snapshot().expect("data");
    assert_eq!(snapshot.overdue_decisions.get(&11), Some(&1));
    assert_eq!(
        h.app.open_decisions(11).len(),
        2,
        "the done one is not listed"
    );
    assert_eq!(
        h.app.open_decisions(11)[0].text,
        "补开三季度例会",
        "overdue first"
    );
    h.press(KeyCode::Enter);
    let (text, _) = h.screen(160, 45);
    assert!(text.contains("督办逾期 1!"), "{text}");
    assert!(text.contains("逾期 2 天!"), "{text}");
    assert!(text.contains("督办事项 2（逾期 1）"), "{text}");
}

fn open_form(h: &mut Harness, downs: usize) {
    h.menu_on_first_overdue();
    for _ in 0..downs {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter);
    assert!(matches!(h.form_stage(), Some(Stage::Editing)), "form open");
}

fn form(h: &Harness) -> &super::form::Form {
    match &h.app.overlay {
        Some(Overlay::Form(form)) => form,
        other => panic!("no form: {other:?}"),
    }
}

#[test]
fn a_prefilled_date_is_replaced_by_what_is_typed() {
    let mut h = Harness::new(Lang::Zh);
    open_form(&mut h, 0); // 改期, due prefilled with 2025-10-31
    assert_eq!(form(&h).fields[0].value(), "2025-10-31");
    h.type_text("2027-03-31");
    assert_eq!(form(&h).fields[0].value(), "2027-03-31");
    // Moving first keeps the value: End, Backspace, then the new last digit.
    h.press(KeyCode::Tab);
    h.press(KeyCode::BackTab);
    h.press(KeyCode::End);
    h.press(KeyCode::Backspace);
    h.type_text("0");
    assert_eq!(form(&h).fields[0].value(), "2027-03-30");
}

#[test]
fn the_cursor_moves_inside_chinese_text_by_display_width() {
    let mut h = Harness::new(Lang::Zh);
    open_form(&mut h, 5); // 转型: title, unit, due
    h.type_text("老年兴趣小组");
    h.press(KeyCode::Left);
    h.press(KeyCode::Left);
    h.type_text("活动");
    assert_eq!(form(&h).fields[0].value(), "老年兴趣活动小组");
    let (text, mut terminal) = h.screen(80, 24);
    let row = text
        .lines()
        .position(|l| l.contains("老年兴趣活动小组"))
        .expect("title on screen");
    let line = text.lines().nth(row).expect("line");
    let start = crate::text::width(&line[..line.find("老年兴趣活动小组").expect("typed")]);
    let cursor = terminal.get_cursor_position().expect("cursor");
    assert_eq!(
        (cursor.x as usize, cursor.y as usize),
        (start + 12, row),
        "after 老年兴趣活动, before 小组"
    );
    h.press(KeyCode::Home);
    h.press(KeyCode::Delete);
    h.press(KeyCode::End);
    h.press(KeyCode::Backspace);
    assert_eq!(form(&h).fields[0].value(), "年兴趣活动小");
    h.app.handle(Event::Paste("（新）\n".into()));
    assert_eq!(form(&h).fields[0].value(), "年兴趣活动小（新）");
}

#[test]
fn a_unit_is_picked_by_pinyin_initials_and_shown_by_name() {
    let mut h = Harness::new(Lang::Zh);
    open_form(&mut h, 5); // 转型
    h.type_text("老年兴趣小组");
    h.press(KeyCode::Tab);
    h.type_text("jcy"); // 检察院
    let (text, _) = h.screen(100, 30);
    assert!(text.contains("西江区人民检察院"), "{text}");
    h.press(KeyCode::Enter); // takes the highlighted match
    let unit = &form(&h).fields[1];
    assert_eq!(unit.text.value(), "西江区人民检察院");
    let id: i64 = unit
        .value()
        .parse()
        .expect("the unit's id goes to the checker");
    let name: String = h
        .store
        .conn()
        .query_row("SELECT name FROM unit WHERE id = ?1", [id], |r| r.get(0))
        .expect("unit");
    assert_eq!(name, "西江区人民检察院");
    assert!(matches!(h.form_stage(), Some(Stage::Editing)));
    let (text, _) = h.screen(100, 30);
    let line = text
        .lines()
        .find(|l| l.contains("牵头单位"))
        .expect("unit line");
    assert!(line.contains("西江区人民检察院"), "{line}");
    assert!(!line.contains(&id.to_string()), "no number: {line}");
}

#[test]
fn the_community_itself_is_an_entry_of_the_unit_list() {
    let mut h = Harness::new(Lang::Zh);
    open_form(&mut h, 5);
    h.press(KeyCode::Tab);
    h.type_text("社区自办");
    h.press(KeyCode::Enter);
    assert_eq!(form(&h).fields[1].value(), "none");
    assert_eq!(form(&h).fields[1].text.value(), "社区自办");
}

#[test]
fn tab_leaves_a_unit_field_with_suggestions_open() {
    let mut h = Harness::new(Lang::Zh);
    open_form(&mut h, 5);
    h.press(KeyCode::Tab);
    h.type_text("民政");
    assert!(
        !form(&h).matches(&h.app.unit_choices()).is_empty(),
        "list open"
    );
    h.press(KeyCode::Tab);
    assert_eq!(form(&h).focused().key, crate::adjust::key::DUE);
    h.type_text("2027-06-30");
    assert_eq!(form(&h).value(crate::adjust::key::DUE), "2027-06-30");
}

#[test]
fn esc_on_a_changed_form_asks_before_dropping_what_was_typed() {
    let mut h = Harness::new(Lang::Zh);
    open_form(&mut h, 0);
    h.press(KeyCode::Tab);
    h.type_text("错峰值班");
    h.press(KeyCode::Esc);
    assert!(form(&h).asking_discard);
    let (text, _) = h.screen(80, 24);
    assert!(text.contains("放弃已填内容？"), "{text}");
    h.type_text("n");
    assert!(!form(&h).asking_discard);
    assert_eq!(
        form(&h).value(crate::adjust::key::REASON),
        "错峰值班",
        "kept"
    );
    h.press(KeyCode::Esc);
    h.type_text("y");
    assert!(h.app.overlay.is_none());
    assert_eq!(h.count("SELECT count(*) FROM adjustment"), 0);
    // Nothing typed: Esc leaves at once.
    open_form(&mut h, 0);
    h.press(KeyCode::Esc);
    assert!(h.app.overlay.is_none());
}

#[test]
fn ctrl_c_in_a_form_never_quits() {
    let mut h = Harness::new(Lang::Zh);
    open_form(&mut h, 0);
    h.type_text("2027-03-31");
    h.press(KeyCode::Tab);
    h.type_text("复制一下");
    h.ctrl('c');
    assert!(!h.app.should_quit);
    assert!(form(&h).asking_discard, "asks first");
    h.ctrl('c');
    assert!(!h.app.should_quit);
    assert!(!form(&h).asking_discard, "Ctrl-C again keeps editing");
    assert_eq!(form(&h).value(crate::adjust::key::REASON), "复制一下");
    h.press(KeyCode::Enter); // the preview
    assert!(matches!(h.form_stage(), Some(Stage::Confirm { .. })));
    h.ctrl('c');
    assert!(!h.app.should_quit);
    assert!(
        matches!(h.form_stage(), Some(Stage::Editing)),
        "back to the form"
    );
}

#[test]
fn a_review_ended_with_q_only_records_nothing() {
    let mut h = Harness::new(Lang::Zh);
    h.type_text("r");
    assert!(matches!(h.app.screen, Screen::Review(_)));
    h.type_text("q");
    assert!(matches!(h.app.screen, Screen::Overview));
    assert_eq!(h.count("SELECT count(*) FROM review"), 0);
    assert_eq!(h.count("SELECT count(*) FROM adjustment"), 0);
    assert_eq!(h.count("SELECT count(*) FROM review_item"), 0);
}

#[test]
fn a_review_counts_what_was_moved_on_from_or_recorded() {
    let mut h = Harness::new(Lang::Zh);
    h.type_text("r");
    h.type_text("n"); // 青石社区 covered
    h.type_text("d"); // a decision for the second community covers it too
    h.type_text("补开例会");
    h.press(KeyCode::Tab);
    h.type_text("李主任");
    h.press(KeyCode::Enter);
    h.press(KeyCode::Enter); // after the preview
    assert!(h.app.overlay.is_none(), "{:?}", h.app.overlay);
    h.type_text("q"); // the second community stays covered; nothing else is added
    assert_eq!(h.count("SELECT count(*) FROM review"), 1);
    assert_eq!(
        h.count("SELECT count(*) FROM review_item WHERE outcome = 'covered'"),
        2
    );
    let Screen::Review(state) = &h.app.screen else {
        panic!("summary")
    };
    let summary = state.summary.as_ref().expect("ended");
    assert_eq!((summary.covered.len(), summary.decisions.len()), (2, 1));
}

#[test]
fn a_review_left_open_by_a_killed_program_is_closed_as_interrupted() {
    let mut h = Harness::new(Lang::Zh);
    h.type_text("r");
    h.type_text("n");
    assert_eq!(
        h.count("SELECT count(*) FROM review WHERE ended_at IS NULL"),
        1
    );
    // The program is killed here: a new one starts a review.
    let mut next = Harness {
        app: App::new(Lang::Zh, "demo.db".into(), false, Some(today())),
        store: Store::open(h.store.path(), crate::store::Access::ReadWrite).expect("open"),
        day: today(),
        _dir: tempfile::tempdir().expect("dir"),
    };
    next.app.operator_flag = Some("李明".into());
    next.reload();
    next.type_text("r");
    next.type_text("n");
    assert_eq!(
        next.count("SELECT count(*) FROM review WHERE ended_at IS NULL"),
        1
    );
    assert_eq!(
        next.count(
            "SELECT count(*) FROM adjustment WHERE action = 'review_end'
              AND json_extract(after, '$.interrupted') = 1 AND json_extract(after, '$.review') = 1"
        ),
        1
    );
    let first = crate::review::review(next.store.conn(), 1)
        .expect("read")
        .expect("review 1");
    assert!(first.interrupted && first.ended_at.is_some(), "{first:?}");
}

#[test]
fn every_log_action_has_words_in_both_languages() {
    let codes = [
        "reschedule",
        "pause",
        "resume",
        "done",
        "cancel",
        "convert",
        "revise",
        "activity",
        "meeting",
        "add-project",
        "undo",
        crate::spreadsheet::import::ACTION,
        crate::review::action::REVIEW_START,
        crate::review::action::REVIEW_ITEM,
        crate::review::action::REVIEW_END,
        crate::review::action::DECISION,
        crate::review::action::DECISION_DONE,
        crate::review::action::DECISION_EDIT,
    ];
    // The review's values read as words too (回顾结果：已回顾, not `covered`).
    for (code, zh, en) in [
        ("covered", "已回顾", "covered"),
        ("skipped", "已跳过", "skipped"),
    ] {
        let change = crate::adjust::Change::new("outcome", "", code);
        assert_eq!(change.after_text(Lang::Zh), zh);
        assert_eq!(change.after_text(Lang::En), en);
    }
    for code in codes {
        let term = crate::adjust::action_term(code).unwrap_or_else(|| panic!("{code}"));
        for (lang, word) in [(Lang::Zh, term.0), (Lang::En, term.1)] {
            assert!(!word.is_empty(), "{code} {lang:?}");
            if lang == Lang::Zh {
                assert!(!word.is_ascii(), "{code}: {word}");
            }
            assert!(!word.contains('_') && !word.contains('-'), "{code}: {word}");
            if lang == Lang::Zh {
                assert_ne!(word, code);
            }
        }
    }
}

#[test]
fn the_next_form_starts_with_the_operator_the_last_save_came_back_with() {
    let mut h = Harness::new(Lang::Zh);
    assert_eq!(h.app.operator_prefill(), "王芳", "the flag before any save");
    // The operator travels in the reply to a save, not in a process-wide variable.
    h.app
        .handle(Event::Stored(store_thread::StoreReply::Applied(
            Ok(7),
            "李明".into(),
        )));
    assert_eq!(h.app.operator_prefill(), "李明");
    // A refused save leaves the name as it was.
    h.app
        .handle(Event::Stored(store_thread::StoreReply::Applied(
            Err(crate::error::Error::plain("忙", "busy").into()),
            "赵六".into(),
        )));
    assert_eq!(h.app.operator_prefill(), "李明");
    let other = App::new(Lang::Zh, "demo.db".into(), false, Some(today()));
    assert_ne!(
        other.operator_prefill(),
        "李明",
        "another app knows nothing of it"
    );
}

/// The year-end assessment (`y`): grades beside the year's record, a contradicted self-grade
/// in plain words, the candidates ranked, and `Enter` explaining a row's figures.
#[test]
fn the_year_end_assessment_screen() {
    let mut h = Harness::new(Lang::Zh);
    h.store
        .conn()
        .execute_batch(
            "INSERT INTO assessment (year, subject, subject_id, assessor, grade, note) VALUES
               (2026, 'community', 11, 'self', 'excellent', ''),
               (2026, 'community', 11, 'third_party', 'fair', ''),
               (2026, 'community', 12, 'self', 'good', ''),
               (2026, 'unit', 1, 'self', 'excellent', '');",
        )
        .expect("grades");
    h.type_text("y");
    assert!(matches!(h.app.screen, Screen::Assessment(_)));
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        h.app.lang = lang;
        for (w, ht) in [(80, 24), (160, 45)] {
            insta::assert_snapshot!(format!("assessment_{tag}_{w}x{ht}"), h.screen(w, ht).0);
        }
    }
    h.app.lang = Lang::Zh;
    // Only the contradicted: 青石社区 graded itself excellent against its record.
    h.type_text("f");
    let (text, _) = h.screen(80, 24);
    assert!(text.contains("青石社区"), "{text}");
    assert!(
        text.contains("自评“优秀”与全年记录不符"),
        "the contradiction in plain words:\n{text}"
    );
    assert!(text.contains("第三方评估"), "its reasons:\n{text}");
    // Enter explains every figure of the row, with the rows it came from.
    h.press(KeyCode::Enter);
    let (text, _) = h.screen(80, 24);
    insta::assert_snapshot!("assessment_explain_zh_80x24", text.clone());
    assert!(
        text.contains("消防通道清理"),
        "an overdue project named:\n{text}"
    );
    h.press(KeyCode::Esc);
    h.press(KeyCode::Esc); // clears the filter
    h.press(KeyCode::Esc);
    assert!(matches!(h.app.screen, Screen::Overview));
}

/// Issue 15.4: a threshold is changed from the dashboard (`=` on the overview), validated and
/// logged as `gongjian settings` does, and the figures follow it; a bad value is refused in the
/// form with nothing written.
#[test]
fn a_threshold_is_changed_in_a_form_and_the_figures_follow() {
    let mut h = Harness::new(Lang::Zh);
    let before = h
        .app
        .snapshot()
        .expect("figures")
        .report
        .thresholds
        .participation_alert_pct;
    assert_eq!(before, 80);
    h.type_text("=");
    assert!(
        matches!(h.app.overlay, Some(Overlay::SettingsPicker(_))),
        "{:?}",
        h.app.overlay
    );
    let (list, _) = h.screen(80, 24);
    assert!(
        list.contains("修改预警线  1/9")
            && list.contains("  80  项目实际参与人数低于计划的此百分比即预警"),
        "{list}"
    );
    h.press(KeyCode::Down);
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    assert!(matches!(h.app.overlay, Some(Overlay::Form(_))));
    let (screen, _) = h.screen(80, 24);
    assert!(
        screen.contains("participation_alert_pct（现为 80，可填 0–100）"),
        "{screen}"
    );

    // A value out of range: refused in the form, nothing written.
    h.type_text("150");
    h.press(KeyCode::Tab);
    h.type_text("会议决定");
    h.press(KeyCode::Enter);
    assert!(
        matches!(h.app.overlay, Some(Overlay::Form(_))),
        "the form stays"
    );
    let (screen, _) = h.screen(80, 24);
    assert!(
        screen.contains("\"150\" 无效"),
        "the form says why: {screen}"
    );
    assert_eq!(
        h.count("SELECT count(*) FROM setting WHERE key = 'participation_alert_pct'"),
        0
    );

    // The value typed again replaces the field (select-all on entry), then saved.
    h.press(KeyCode::Up);
    h.press(KeyCode::End);
    h.press(KeyCode::Backspace);
    h.press(KeyCode::Backspace);
    h.press(KeyCode::Backspace);
    h.type_text("75");
    h.press(KeyCode::Enter);
    assert!(h.app.overlay.is_none(), "{:?}", h.app.overlay);
    assert_eq!(
        h.count(
            "SELECT count(*) FROM setting WHERE key = 'participation_alert_pct' AND value = '75'"
        ),
        1
    );
    assert_eq!(
        h.count("SELECT count(*) FROM adjustment WHERE action = 'setting'"),
        1
    );
    let after = h
        .app
        .snapshot()
        .expect("figures")
        .report
        .thresholds
        .participation_alert_pct;
    assert_eq!(
        after, 75,
        "the figures are read again with the new threshold"
    );
}

/// Records a decision in the review on screen: `d`, the fields, Enter (the preview), Enter.
fn decide(h: &mut Harness, text: &str, owner: &str) {
    h.type_text("d");
    h.type_text(text);
    h.press(KeyCode::Tab);
    h.type_text(owner);
    h.press(KeyCode::Enter);
    assert!(
        matches!(h.form_stage(), Some(Stage::Confirm { .. })),
        "{:?}",
        h.app.overlay
    );
    h.press(KeyCode::Enter);
    assert!(h.app.overlay.is_none(), "{:?}", h.app.overlay);
}

/// Moves the review's cursor onto the decision whose text is `text`.
fn select_decision(h: &mut Harness, text: &str) {
    for _ in 0..40 {
        h.press(KeyCode::Up);
    }
    for _ in 0..40 {
        let Screen::Review(state) = &h.app.screen else {
            panic!("review screen")
        };
        let selected = state.selected;
        // The cursor walks the flags, then the decisions.
        let context = state.contexts.get(&state.current().expect("current"));
        let flags = {
            let snapshot = h.app.snapshot().expect("figures");
            let c = snapshot
                .report
                .communities
                .iter()
                .find(|c| Some(c.id) == state.current())
                .expect("community");
            let decisions = context.map_or(&[][..], |x| x.decisions.as_slice());
            crate::review::flags(c, Some(&snapshot.report.thresholds), decisions, h.app.lang).len()
        };
        let decisions: Vec<&crate::review::Decision> = context
            .map(|x| {
                x.decisions
                    .iter()
                    .filter(|d| d.state.is_open() || d.review_id == state.id)
                    .collect()
            })
            .unwrap_or_default();
        if selected >= flags
            && decisions
                .get(selected - flags)
                .is_some_and(|d| d.text == text)
        {
            return;
        }
        h.press(KeyCode::Down);
    }
    panic!("no decision {text}");
}

#[test]
fn a_decision_is_previewed_changed_and_undone_like_any_entry() {
    let mut h = Harness::new(Lang::Zh);
    h.type_text("r");
    decide(&mut h, "两周内补开三季度例会", "王书记");
    let id = h.count("SELECT id FROM decision");

    // `c` on the decision: its values in the form, a reason, the preview names each change.
    select_decision(&mut h, "两周内补开三季度例会");
    h.type_text("c");
    let Some(Overlay::Form(form)) = &h.app.overlay else {
        panic!("edit form")
    };
    assert_eq!(form.value("decision"), "两周内补开三季度例会");
    assert_eq!(form.value("owner"), "王书记");
    h.press(KeyCode::Tab);
    h.type_text("李主任"); // replaces the selected owner
    h.press(KeyCode::Tab);
    h.type_text("2026-12-15");
    h.press(KeyCode::Enter);
    assert!(
        matches!(h.form_stage(), Some(Stage::Editing)),
        "the reason is required"
    );
    assert!(h.form_error("reason"), "{:?}", h.app.overlay);
    // The form went to the wrong field.
    h.type_text("王书记调岗，改由李主任负责");
    h.press(KeyCode::Enter);
    assert!(matches!(h.form_stage(), Some(Stage::Confirm { .. })));
    let preview = h.screen(80, 24).0;
    assert!(
        preview.contains("责任人：王书记 → 李主任")
            && preview.contains("截止日期：2026-12-05 → 2026-12-15")
            && preview.contains("王书记调岗"),
        "{preview}"
    );
    insta::assert_snapshot!("decision_edit_preview_zh_80x24", preview);
    h.press(KeyCode::Enter);
    assert_eq!(h.app.flash.as_deref(), Some("督办事项已修改"));
    let (owner, due): (String, String) = h
        .store
        .conn()
        .query_row(
            "SELECT owner, due_on FROM decision WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("decision");
    assert_eq!((owner.as_str(), due.as_str()), ("李主任", "2026-12-15"));
    let (operator, reason): (String, String) = h
        .store
        .conn()
        .query_row(
            "SELECT operator, reason FROM adjustment WHERE action = 'decision_edit'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("logged");
    assert_eq!(
        (operator.as_str(), reason.as_str()),
        ("王芳", "王书记调岗，改由李主任负责")
    );

    // The log: `u` on the change puts the owner and date back, with its own reason.
    h.press(KeyCode::Esc); // ends the review (a decision was taken)
    h.press(KeyCode::Esc); // back to the overview
    h.type_text("h");
    let Screen::History(state, _) = &h.app.screen else {
        panic!("history")
    };
    let at = state
        .visible()
        .iter()
        .position(|e| e.action == "decision_edit")
        .expect("the change is listed");
    for _ in 0..at {
        h.press(KeyCode::Down);
    }
    h.type_text("u");
    h.type_text("改回原责任人");
    h.press(KeyCode::Enter);
    let preview = h.screen(80, 24).0;
    assert!(preview.contains("责任人：李主任 → 王书记"), "{preview}");
    h.press(KeyCode::Enter);
    let owner: String = h
        .store
        .conn()
        .query_row("SELECT owner FROM decision WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .expect("decision");
    assert_eq!(owner, "王书记");

    // `u` on the decision itself withdraws it.
    let Screen::History(state, _) = &h.app.screen else {
        panic!("history")
    };
    let at = state
        .visible()
        .iter()
        .position(|e| e.action == "decision")
        .expect("the decision is listed");
    for _ in 0..40 {
        h.press(KeyCode::Up);
    }
    for _ in 0..at {
        h.press(KeyCode::Down);
    }
    h.type_text("u");
    h.type_text("会上误记");
    h.press(KeyCode::Enter);
    let preview = h.screen(80, 24).0;
    assert!(
        preview.contains("督办事项：两周内补开三季度例会 → （无）"),
        "{preview}"
    );
    h.press(KeyCode::Enter);
    assert_eq!(h.count("SELECT count(*) FROM decision"), 0);
    assert_eq!(
        h.count("SELECT count(*) FROM adjustment WHERE action = 'undo'"),
        2
    );
}

#[test]
fn a_done_decision_cannot_be_undone_and_says_why() {
    let mut h = Harness::new(Lang::Zh);
    h.type_text("r");
    decide(&mut h, "清理楼道杂物", "赵敏");
    select_decision(&mut h, "清理楼道杂物");
    h.type_text("x");
    h.type_text("已清理完毕");
    h.press(KeyCode::Enter);
    assert!(
        matches!(h.form_stage(), Some(Stage::Confirm { .. })),
        "marking done previews too"
    );
    assert!(h.screen(80, 24).0.contains("督办状态：未完成 → 已完成"));
    h.press(KeyCode::Enter);
    assert_eq!(h.app.flash.as_deref(), Some("督办事项已办结"));
    // Neither the decision nor its completion can be undone now.
    let entry = |action: &str| {
        crate::adjust::history(h.store.conn(), &crate::adjust::HistoryFilter::default())
            .expect("log")
            .into_iter()
            .find(|e| e.action == action)
            .expect("entry")
    };
    let done = entry("decision_done");
    assert!(!done.can_undo());
    assert!(
        done.why_not_undoable(Lang::Zh)
            .contains("办结的督办事项保持办结")
    );
    let taken = entry("decision");
    let refused = crate::adjust::undo(&mut h.store, taken.id, "王芳", "误记", chrono::Utc::now())
        .expect_err("done stays done");
    assert!(
        refused.message(Lang::Zh).contains("已于"),
        "{}",
        refused.message(Lang::Zh)
    );
    assert_eq!(
        h.count("SELECT count(*) FROM decision WHERE done_at IS NOT NULL"),
        1
    );
}

/// The numbers after `word` in `text`, e.g. `新增督办事项 2 项` → 2.
fn number_after(text: &str, word: &str) -> usize {
    let at = text
        .find(word)
        .unwrap_or_else(|| panic!("no {word} in {text}"));
    text[at + word.len()..]
        .trim_start()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number after {word} in {text}"))
}

#[test]
fn the_end_screen_and_the_minutes_count_the_same_things() {
    // Today is the clock's day, so that the minutes' period holds the review's writes.
    let day = chrono::Local::now().date_naive();
    let mut h = Harness::on(Lang::Zh, day);
    let minutes_dir = tempfile::tempdir().expect("tempdir");
    h.app.export_folder = minutes_dir.path().to_path_buf();
    h.type_text("r");
    decide(&mut h, "两周内补开三季度例会", "王书记");
    decide(&mut h, "联系驻区单位认领项目", "李主任");
    select_decision(&mut h, "联系驻区单位认领项目");
    h.type_text("x");
    h.type_text("已联系区医院");
    h.press(KeyCode::Enter);
    h.press(KeyCode::Enter);
    h.type_text("n"); // the first covered (it was already, by its decisions)
    h.type_text("n"); // the second covered
    h.type_text("s"); // the third skipped
    h.type_text("q");
    let screen = h.screen(160, 45).0;
    assert!(screen.contains("周例会回顾已结束"), "{screen}");
    let on_screen = (
        number_after(&screen, "已回顾"),
        number_after(&screen, "新增督办事项"),
        number_after(&screen, "办结"),
    );
    assert_eq!(on_screen, (2, 2, 1), "{screen}");

    h.type_text("e");
    let Screen::Review(state) = &h.app.screen else {
        panic!("review screen")
    };
    let path = state.minutes.clone().expect("minutes").expect("written");
    let minutes = std::fs::read_to_string(&path).expect("minutes file");
    // The review's own line, and the minutes' own sections counted independently.
    let line = minutes
        .lines()
        .find(|l| l.starts_with("- 周例会回顾 #"))
        .expect("the review's line");
    assert_eq!(
        (
            number_after(line, "已回顾"),
            number_after(line, "新增督办事项"),
            number_after(line, "办结")
        ),
        on_screen,
        "{line}"
    );
    let covered_sections = minutes.matches("本期回顾：已回顾").count();
    let decisions = minutes
        .lines()
        .find(|l| l.starts_with("## 二、督办事项"))
        .expect("decisions heading");
    assert_eq!(
        (
            covered_sections,
            number_after(decisions, "本期新增"),
            number_after(decisions, "完成")
        ),
        on_screen,
        "{minutes}"
    );
}

#[test]
fn a_project_is_linked_to_a_need_picked_by_name() {
    let mut h = Harness::new(Lang::Zh);
    h.menu_on_first_overdue(); // 青石社区 #120 消防通道清理
    let Some(Overlay::Menu(menu)) = &h.app.overlay else {
        panic!("menu")
    };
    let at = menu
        .items()
        .iter()
        .position(|k| *k == crate::adjust::ActionKind::LinkNeed)
        .expect("link-need in the menu");
    for _ in 0..at {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter);
    // The community's needs are listed under the field, those waiting first.
    h.type_text("困难");
    let listed: Vec<String> = form(&h)
        .matches(&h.app.unit_choices())
        .iter()
        .map(|c| c.name.clone())
        .collect();
    assert_eq!(listed, ["困难群众帮扶"]);
    insta::assert_snapshot!("form_need_picker_zh", h.screen(80, 24).0);
    h.press(KeyCode::Enter); // takes the highlighted need
    assert_eq!(form(&h).value("need"), "36");
    assert_eq!(form(&h).fields[form(&h).focus].text.value(), "困难群众帮扶");
    h.press(KeyCode::Tab);
    h.type_text("消防通道清理回应帮扶需求");
    h.press(KeyCode::Enter);
    assert!(matches!(h.form_stage(), Some(Stage::Confirm { .. })));
    let preview = h.screen(80, 24).0;
    assert!(
        preview.contains("对接需求：#35 消防通道被占 → #36 困难群众帮扶"),
        "the need by its title: {preview}"
    );
    h.press(KeyCode::Enter);
    let need: Option<i64> = h
        .store
        .conn()
        .query_row("SELECT need_id FROM project WHERE id = 120", [], |r| {
            r.get(0)
        })
        .expect("project");
    assert_eq!(need, Some(36));
    // Pinyin initials find it too.
    h.menu_on_first_overdue();
    for _ in 0..at {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter);
    h.type_text("lnrxq");
    let listed: Vec<String> = form(&h)
        .matches(&h.app.unit_choices())
        .iter()
        .map(|c| c.name.clone())
        .collect();
    assert_eq!(listed, ["老年人兴趣活动"]);
}

/// Issue 18: the assessment steps to other years (`[` `]`, never past this year; a year that
/// is over is assessed as of its last day) and `a` records a grade of the selected community
/// or unit for the year shown, through the same form, preview and log as the `a` menu.
#[test]
fn the_assessment_steps_through_years_and_grades_the_selected_row() {
    use super::assess::{Graded, Loaded};
    use crate::fields::key;
    use crate::vocab::Subject;
    fn shown(h: &Harness) -> (i32, bool, Option<Graded>) {
        match &h.app.screen {
            Screen::Assessment(s) => (s.year, matches!(s.data, Loaded::Ready(_)), s.graded()),
            other => panic!("not the assessment: {other:?}"),
        }
    }
    let mut h = Harness::new(Lang::Zh);
    h.type_text("y");
    assert_eq!((shown(&h).0, shown(&h).1), (2026, true));
    h.type_text("]");
    assert_eq!(
        (shown(&h).0, shown(&h).1),
        (2026, true),
        "no year after this one"
    );
    h.type_text("[");
    assert_eq!((shown(&h).0, shown(&h).1), (2025, true));
    let (text, _) = h.screen(80, 24);
    assert!(
        text.contains("年终考评 2025（截至 2025-12-31）"),
        "a year that is over, as of its last day:\n{text}"
    );

    // `a` on a community: the grade form on 2025, subject the community itself.
    let Some(Graded::Community { id, name }) = shown(&h).2 else {
        panic!("a community is selected")
    };
    h.type_text("a");
    assert_eq!(form(&h).value(key::YEAR), "2025");
    // Closed lists show their words, not their codes.
    assert_eq!(form(&h).value(key::SUBJECT), "社区");
    assert_eq!(form(&h).value(key::ASSESSOR), "自评");
    assert_eq!(form(&h).target, id);
    let (text, _) = h.screen(100, 30);
    assert!(
        text.contains(&name),
        "the form names the community:\n{text}"
    );
    for _ in 0..4 {
        h.press(KeyCode::Tab); // subject, unit, assessor, grade
    }
    // ← → walk the grades in words: 优秀, then 良好.
    h.press(KeyCode::Right);
    assert_eq!(form(&h).value(key::GRADE), "优秀");
    h.press(KeyCode::Right);
    assert_eq!(form(&h).value(key::GRADE), "良好");
    h.press(KeyCode::Tab);
    h.press(KeyCode::Tab);
    h.type_text("年终评议会");
    h.press(KeyCode::Enter);
    assert!(
        matches!(h.form_stage(), Some(Stage::Confirm { .. })),
        "a preview before saving: {:?}",
        h.form_stage()
    );
    h.press(KeyCode::Enter);
    assert!(h.app.overlay.is_none(), "{:?}", h.app.overlay);
    assert_eq!(
        h.count(&format!(
            "SELECT count(*) FROM assessment WHERE year = 2025 AND subject = 'community'
               AND subject_id = {id} AND assessor = 'self' AND grade = 'good'"
        )),
        1
    );
    assert_eq!(
        h.count("SELECT count(*) FROM adjustment WHERE action = 'grade'"),
        1,
        "logged"
    );
    assert_eq!(
        (shown(&h).0, shown(&h).1),
        (2025, true),
        "assessed again, on the same year"
    );

    // `a` on a unit: graded as a unit, in the frame of a community it works with.
    h.press(KeyCode::Tab);
    let Some(Graded::Unit {
        id: unit,
        name,
        community: Some(community),
    }) = shown(&h).2
    else {
        panic!("a unit with a community is selected: {:?}", shown(&h).2)
    };
    h.type_text("a");
    assert_eq!(form(&h).value(key::SUBJECT), Subject::Unit.word(Lang::Zh));
    assert_eq!(form(&h).value(key::GRADED_UNIT), unit.to_string());
    assert_eq!(form(&h).target, community);
    let (text, _) = h.screen(100, 30);
    assert!(text.contains(&name), "the unit by its name:\n{text}");
    // Nothing typed: Esc closes without asking.
    h.press(KeyCode::Esc);
    assert!(h.app.overlay.is_none(), "{:?}", h.app.overlay);
    h.type_text("]");
    assert_eq!((shown(&h).0, shown(&h).1), (2026, true));
}

#[test]
fn a_service_is_recorded_on_a_project_picked_by_name() {
    let mut h = Harness::new(Lang::Zh);
    // 青石社区 is on top; its community menu.
    h.type_text("a");
    let Some(Overlay::Menu(menu)) = &h.app.overlay else {
        panic!("menu")
    };
    let at = menu
        .items()
        .iter()
        .position(|k| *k == crate::adjust::ActionKind::Service)
        .expect("service in the menu");
    for _ in 0..at {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Enter);
    assert!(matches!(h.form_stage(), Some(Stage::Editing)), "form open");
    h.type_text("高明");
    h.press(KeyCode::Tab);
    h.press(KeyCode::Tab); // today
    h.type_text("2");
    h.press(KeyCode::Tab);
    // The community's projects are listed under the field, found by the Chinese typed.
    h.type_text("养老");
    let listed: Vec<String> = form(&h)
        .matches(&h.app.unit_choices())
        .iter()
        .map(|c| c.name.clone())
        .collect();
    assert_eq!(listed, ["养老服务驿站建设"]);
    insta::assert_snapshot!("form_service_project_picker_zh", h.screen(80, 24).0);
    // Pinyin initials find another; Enter takes the highlighted one and shows its name.
    h.ctrl('u');
    h.type_text("zyfwjf");
    h.press(KeyCode::Enter);
    assert_eq!(form(&h).value(crate::adjust::key::PROJECT), "126");
    assert_eq!(
        form(&h).fields[form(&h).focus].text.value(),
        "志愿服务积分超市"
    );
    h.press(KeyCode::Tab);
    h.press(KeyCode::Tab);
    h.type_text("补记积分超市值守");
    h.press(KeyCode::Enter);
    assert!(
        matches!(h.form_stage(), Some(Stage::Confirm { .. })),
        "{:?}",
        h.app.overlay
    );
    h.press(KeyCode::Enter);
    assert_eq!(
        h.count(
            "SELECT count(*) FROM service s JOIN member m ON m.id = s.member_id \
             WHERE m.name = '高明' AND s.project_id = 126 AND s.minutes = 120"
        ),
        1
    );
}
