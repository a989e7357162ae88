//! One vocabulary: a word that one part of the program offers or accepts for a closed list
//! (the form, `adjust --kind`, a spreadsheet cell) is accepted by every other part, as the
//! same value; a word one part refuses, every part refuses.

use gongjian::adjust::{self, Action, ActionKind, Raw, key};
use gongjian::dashboard::form::{Form, FormContext};
use gongjian::i18n::Lang;
use gongjian::spreadsheet::headers::{self, Field, List};
use gongjian::spreadsheet::import::parse::{Values, parse_files};
use gongjian::store::Store;
use gongjian::vocab::{MeetingKind, NeedSource, Status, Vocabulary};
use std::path::Path;

fn today() -> chrono::NaiveDate {
    gongjian::dates::parse_ymd("2026-11-28").expect("date")
}

/// Words that no list accepts, to check that the parts also agree on refusing.
const STRANGERS: &[&str] = &["weekly", "搁置", "quarterly-ish", "0", "现场"];

/// Every spelling of every value, then the strangers.
fn candidates<T: Vocabulary>() -> Vec<String> {
    T::WORDS
        .iter()
        .flat_map(|w| w.value.spellings())
        .chain(STRANGERS.iter().copied())
        .map(str::to_string)
        .collect()
}

/// What the import reads from one cell of `field` in a one-row sheet of `list`.
fn import_cell(dir: &Path, list: List, field: Field, text: &str) -> Option<Values> {
    let columns: Vec<(Field, &str)> = list
        .fields()
        .iter()
        .filter(|(f, required)| *required || *f == field)
        .map(|(f, _)| {
            let value = match f {
                f if *f == field => text,
                Field::Community => "石羊塘社区",
                Field::NeedTitle | Field::ProjectTitle => "健康讲座",
                _ => "2026-11-20",
            };
            (*f, value)
        })
        .collect();
    let header: Vec<&str> = columns
        .iter()
        .map(|(f, _)| headers::header(list, *f, Lang::Zh))
        .collect();
    let row: Vec<&str> = columns.iter().map(|(_, v)| *v).collect();
    let path = dir.join(format!("{}.csv", list.name().1));
    std::fs::write(&path, format!("{}\n{}\n", header.join(","), row.join(","))).expect("write csv");
    let parsed = parse_files(&[path], today());
    parsed.records.into_iter().next().map(|r| r.values)
}

fn import_meeting_kind(dir: &Path, text: &str) -> Option<MeetingKind> {
    match import_cell(dir, List::Meetings, Field::MeetingKind, text)? {
        Values::Meeting { kind, .. } => Some(kind),
        other => panic!("not a meeting: {other:?}"),
    }
}

/// `gongjian adjust meeting --kind TEXT` and the form's save, which both hand the text to
/// the adjustment's validation.
fn adjust_meeting_kind(store: &Store, text: &str) -> Option<MeetingKind> {
    let raw = Raw::new()
        .with(key::COMMUNITY, "1")
        .with(key::KIND, text)
        .with(key::HELD_ON, "2026-11-20")
        .with(key::REASON, "周例会决定")
        .with(key::OPERATOR, "王芳");
    match adjust::validate(store.conn(), ActionKind::Meeting, &raw, today()) {
        Ok(request) => match request.action {
            Action::Meeting { kind, .. } => Some(kind),
            other => panic!("not a meeting: {other:?}"),
        },
        Err(_) => None,
    }
}

fn store(dir: &Path) -> Store {
    let store = Store::create(&dir.join("v.db")).expect("create");
    store
        .conn()
        .execute_batch(
            "INSERT INTO street VALUES (1, '西江街道');
             INSERT INTO community VALUES (1, 1, '石羊塘社区');",
        )
        .expect("rows");
    store
}

#[test]
fn meeting_kinds_agree_between_the_form_the_command_line_and_the_import() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store(dir.path());
    for text in candidates::<MeetingKind>() {
        let expected = MeetingKind::parse(&text);
        assert_eq!(
            adjust_meeting_kind(&store, &text),
            expected,
            "adjust: {text}"
        );
        assert_eq!(
            import_meeting_kind(dir.path(), &text),
            expected,
            "import: {text}"
        );
    }
    // What the form offers (← →) and shows: every kind, each accepted everywhere.
    let context = FormContext {
        lang: Lang::Zh,
        today: today(),
        operator: "王芳".into(),
        units: &[],
        needs: None,
        projects: None,
    };
    let mut form = Form::new(ActionKind::Meeting, 1, String::new(), None, &context);
    assert_eq!(form.fields[form.focus].key, key::KIND);
    let mut offered = Vec::new();
    for _ in MeetingKind::WORDS {
        offered.push(form.fields[form.focus].text.value().to_string());
        form.cycle(true, Lang::Zh);
    }
    let kinds: Vec<MeetingKind> = offered
        .iter()
        .map(|v| adjust_meeting_kind(&store, v).expect("the form's value is accepted"))
        .collect();
    assert_eq!(kinds, MeetingKind::all(), "the form offers every kind once");
    for kind in kinds {
        for lang in [Lang::Zh, Lang::En] {
            let shown = kind.word(lang);
            assert_eq!(adjust_meeting_kind(&store, shown), Some(kind), "{shown}");
            assert_eq!(
                import_meeting_kind(dir.path(), shown),
                Some(kind),
                "{shown}"
            );
        }
    }
}

#[test]
fn statuses_and_need_sources_are_read_by_the_import_in_every_spelling() {
    let dir = tempfile::tempdir().expect("tempdir");
    for text in candidates::<Status>() {
        let got = match import_cell(dir.path(), List::Projects, Field::Status, &text) {
            Some(Values::Project { status, .. }) => status,
            Some(other) => panic!("not a project: {other:?}"),
            None => None,
        };
        assert_eq!(got, Status::parse(&text), "{text}");
    }
    for text in candidates::<NeedSource>() {
        let got = match import_cell(dir.path(), List::Needs, Field::Source, &text) {
            Some(Values::Need { source, .. }) => source,
            Some(other) => panic!("not a need: {other:?}"),
            None => None,
        };
        assert_eq!(got, NeedSource::parse(&text), "{text}");
    }
}
