//! From cells to records: every sheet recognised by its headers, every cell read as its column
//! wants (text, date, count, status …), every problem recorded with its place. No database here.

use super::super::dates::{ACCEPTED_EN, ACCEPTED_ZH, DateError, parse_date_text};
use super::super::headers::{self, Field, Fit, List, best_fit, column_letter};
use super::super::read::{Cell, RawRow, RawSheet, read_file};
use super::super::{Bilingual, Problem};
use crate::fields;
use crate::i18n::Lang;
use crate::model::Status;
use crate::vocab::{Assessor, Grade, MeetingKind, NeedSource, Subject, Vocabulary};
use chrono::{Datelike, NaiveDate};
use std::path::PathBuf;

/// How far down a sheet its header row is looked for (title rows may come first).
const HEADER_SEARCH_ROWS: usize = 10;

/// A file named on the command line.
#[derive(Debug, Clone)]
pub struct Source {
    /// As the user typed it, for messages.
    pub shown: String,
    /// The file's name alone, for the log's reason ("导入 项目清单.xlsx").
    pub file_name: String,
}

/// A sheet whose header row was recognised as one of the lists.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub file: usize,
    pub name: Option<String>,
    pub fit: Fit,
    /// The header row's texts, by column index.
    pub headers: Vec<String>,
    pub rows: usize,
}

impl Sheet {
    pub fn list(&self) -> List {
        self.fit.list
    }

    /// The column of `field` as the user sees it: its letter and its header as written.
    pub fn column_ref(&self, field: Field) -> Option<(String, String)> {
        self.fit.column(field).map(|c| {
            (
                column_letter(c),
                self.headers.get(c).cloned().unwrap_or_default(),
            )
        })
    }
}

/// Where a community is: its street when the sheet gives one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub street: Option<String>,
    pub community: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Community {
        street: String,
        community: String,
    },
    Unit {
        name: String,
        kind: Option<String>,
    },
    Contract {
        place: Place,
        unit: String,
        signed_on: NaiveDate,
    },
    Resource {
        place: Place,
        unit: String,
        title: String,
        times_used: Option<i64>,
    },
    Need {
        place: Place,
        title: String,
        raised_on: NaiveDate,
        source: Option<NeedSource>,
        /// The project that answers it, by id (`#14`) or title, when the sheet names one.
        answered_by: Option<String>,
    },
    /// A satisfaction survey of a project (群众评单).
    Survey {
        /// The project's community when the sheet names it.
        place: Option<Place>,
        /// The project's id (`#14`, `14`) or title.
        project: String,
        held_on: NaiveDate,
        respondents: i64,
        satisfied: i64,
    },
    /// A party member registered with a community (报到党员).
    Member {
        place: Place,
        name: String,
        workplace: Option<String>,
        registered_on: NaiveDate,
        left_on: Option<NaiveDate>,
    },
    /// A year-end grade (考评结果).
    Grade {
        /// The community that grades a contract, or the frame in which a name is looked up.
        place: Option<Place>,
        year: i32,
        subject: String,
        kind: Option<Subject>,
        assessor: Assessor,
        grade: Grade,
        note: Option<String>,
    },
    Project {
        place: Place,
        title: String,
        /// `None`: the sheet has no lead-unit column; `Some(None)`: the cell is empty (the
        /// community alone leads the project).
        lead: Option<Option<String>>,
        due_on: NaiveDate,
        status: Option<Status>,
        done_on: Option<NaiveDate>,
    },
    Meeting {
        place: Place,
        kind: MeetingKind,
        held_on: NaiveDate,
        attendees: Option<i64>,
        note: Option<String>,
    },
    Activity {
        place: Place,
        project: String,
        held_on: NaiveDate,
        planned: i64,
        actual: i64,
    },
    /// A row of a sign-in sheet: one member's session.
    Service {
        /// The member's community when the sheet names it.
        place: Option<Place>,
        name: String,
        workplace: Option<String>,
        served_on: NaiveDate,
        minutes: i64,
        project: Option<String>,
        note: Option<String>,
    },
}

/// One good row of a sheet.
#[derive(Debug, Clone)]
pub struct Record {
    pub sheet: usize,
    pub row: u32,
    pub values: Values,
}

impl Record {
    /// (sheet, row)
    pub fn at(&self) -> (usize, u32) {
        (self.sheet, self.row)
    }
}

/// A row with a problem: what could be read of where it points, so that a missing community
/// or project is reported with the rest rather than after the first problem is fixed.
#[derive(Debug, Clone)]
pub struct Broken {
    pub sheet: usize,
    pub row: u32,
    pub list: List,
    pub place: Place,
    /// The project an activity names, or a project row's own title.
    pub project: Option<String>,
}

/// Everything the files hold, and everything wrong with them.
#[derive(Debug, Default)]
pub struct Parsed {
    pub sources: Vec<Source>,
    pub sheets: Vec<Sheet>,
    /// Good rows, in the order they are applied: by list, then file, sheet and row.
    pub records: Vec<Record>,
    /// Rows with a problem.
    pub broken: Vec<Broken>,
    pub problems: Vec<Problem>,
    pub notes: Vec<Bilingual>,
}

impl Parsed {
    /// A problem at a cell (or a row, when `field` is `None`) of a recognised sheet.
    pub fn problem_at(
        &self,
        sheet: usize,
        row: u32,
        field: Option<Field>,
        value: Option<String>,
        what: Bilingual,
        accepted: Option<Bilingual>,
    ) -> Problem {
        let s = &self.sheets[sheet];
        Problem {
            file: self.sources[s.file].shown.clone(),
            sheet: s.name.clone(),
            row: Some(row),
            column: field.and_then(|f| s.column_ref(f)),
            value,
            what,
            accepted,
        }
    }
}

/// Reads every file and every sheet. Problems do not stop the reading: all are collected.
pub fn parse_files(paths: &[PathBuf], today: NaiveDate) -> Parsed {
    let mut parsed = Parsed::default();
    let mut seen: Vec<PathBuf> = Vec::new();
    for path in paths {
        // A name with control characters is shown (and logged) escaped, never raw.
        let shown = crate::text::visible(&path.display().to_string());
        let file_name = path.file_name().map_or_else(
            || shown.clone(),
            |n| crate::text::visible(&n.to_string_lossy()),
        );
        let file = parsed.sources.len();
        parsed.sources.push(Source {
            shown: shown.clone(),
            file_name,
        });
        // The same file twice would add its activities and meetings twice.
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if seen.contains(&canonical) {
            parsed.problems.push(Problem {
                accepted: Some(Bilingual::new("每个文件只写一次", "each file once")),
                ..Problem::file(
                    &shown,
                    Bilingual::new("在命令行中出现了两次", "is named twice on the command line"),
                )
            });
            continue;
        }
        seen.push(canonical);
        match read_file(path) {
            Err(what) => parsed.problems.push(Problem::file(&shown, what)),
            Ok(sheets) => parse_workbook(&mut parsed, file, sheets, today),
        }
    }
    parsed
        .records
        .sort_by_key(|r| (parsed.sheets[r.sheet].list(), r.sheet, r.row));
    parsed
}

fn parse_workbook(parsed: &mut Parsed, file: usize, sheets: Vec<RawSheet>, today: NaiveDate) {
    let shown = parsed.sources[file].shown.clone();
    let is_csv = sheets.len() == 1 && sheets[0].name.is_none();
    let mut recognised = 0;
    let mut with_data = Vec::new();
    let mut exported = Vec::new();
    let export_headers = super::super::export::export_headers();
    for raw in sheets {
        if raw.rows.iter().all(RawRow::is_blank) || is_instructions(raw.name.as_deref()) {
            continue;
        }
        if is_exported(&raw, &export_headers) {
            exported.push(raw.name.clone());
            continue;
        }
        let Some((header_at, fit)) = find_header(&raw).filter(|(_, fit)| worth_reporting(fit))
        else {
            with_data.push(raw.name.clone());
            continue;
        };
        recognised += 1;
        let header_row = &raw.rows[header_at];
        let headers: Vec<String> = header_row
            .cells
            .iter()
            .map(|c| c.display().trim().to_string())
            .collect();
        let sheet_index = parsed.sheets.len();
        parsed.sheets.push(Sheet {
            file,
            name: raw.name.clone(),
            fit: fit.clone(),
            headers: headers.clone(),
            rows: 0,
        });
        let sheet_problem = |what: Bilingual, accepted: Option<Bilingual>| Problem {
            file: shown.clone(),
            sheet: raw.name.clone(),
            row: Some(header_row.number),
            column: None,
            value: None,
            what,
            accepted,
        };
        let list_name = fit.list.name();
        if !fit.is_complete() {
            let missing = |lang| {
                fit.missing
                    .iter()
                    .map(|f| headers::header(fit.list, *f, lang))
                    .collect::<Vec<_>>()
            };
            parsed.problems.push(sheet_problem(
                Bilingual::new(
                    format!(
                        "表头像是「{}」，但缺少必填列：{}",
                        list_name.0,
                        missing(Lang::Zh).join("、")
                    ),
                    format!(
                        "the headers look like the {} list, but required column(s) are missing: {}",
                        list_name.1,
                        missing(Lang::En).join(", ")
                    ),
                ),
                Some(required_headers(fit.list)),
            ));
            continue;
        }
        let mut repeated_problem = false;
        for (field, columns) in &fit.repeated {
            repeated_problem = true;
            let letters: Vec<String> = columns.iter().map(|c| column_letter(*c)).collect();
            parsed.problems.push(sheet_problem(
                Bilingual::new(
                    format!(
                        "「{}」一列出现了多次（{} 列），无法确定用哪一列",
                        headers::header(fit.list, *field, Lang::Zh),
                        letters.join("、")
                    ),
                    format!(
                        "the column {} appears more than once (columns {}); it is unclear which to use",
                        headers::header(fit.list, *field, Lang::En),
                        letters.join(", ")
                    ),
                ),
                Some(Bilingual::new("每列只出现一次", "each column once")),
            ));
        }
        if repeated_problem {
            continue;
        }
        if !fit.unknown.is_empty() {
            let names: Vec<String> = fit
                .unknown
                .iter()
                .map(|c| format!("{}「{}」", column_letter(*c), headers[*c]))
                .collect();
            let names_en: Vec<String> = fit
                .unknown
                .iter()
                .map(|c| format!("{} ({})", column_letter(*c), headers[*c]))
                .collect();
            parsed.notes.push(Bilingual::new(
                format!(
                    "{}{}：未识别的列已忽略：{}",
                    shown,
                    sheet_suffix_zh(&raw.name),
                    names.join("、")
                ),
                format!(
                    "{}{}: columns not recognised and ignored: {}",
                    shown,
                    sheet_suffix_en(&raw.name),
                    names_en.join(", ")
                ),
            ));
        }
        let mut count = 0;
        for row in raw.rows.iter().skip(header_at + 1) {
            if row.is_blank() {
                continue;
            }
            count += 1;
            parse_row(parsed, sheet_index, row, today);
        }
        parsed.sheets[sheet_index].rows = count;
    }
    let accepted = || {
        let (zh, en): (Vec<String>, Vec<String>) = headers::LISTS
            .iter()
            .map(|l| {
                let r = required_headers(*l);
                (
                    format!("「{}」：{}", l.name().0, r.zh),
                    format!("{}: {}", l.name().1, r.en),
                )
            })
            .unzip();
        Bilingual::new(zh.join("；"), en.join("; "))
    };
    for name in &exported {
        parsed.notes.push(match name {
            Some(name) => Bilingual::new(
                format!("{shown}：工作表「{name}」是 gongjian 导出的统计结果，不是清单，已跳过"),
                format!("{shown}: sheet \"{name}\" holds figures exported by gongjian, not a list; skipped"),
            ),
            None => Bilingual::new(
                format!("{shown}：是 gongjian 导出的统计结果，不是清单，已跳过"),
                format!("{shown}: holds figures exported by gongjian, not a list; skipped"),
            ),
        });
    }
    if is_csv && recognised == 0 && !with_data.is_empty() {
        parsed.problems.push(Problem {
            accepted: Some(accepted()),
            ..Problem::file(
                &shown,
                Bilingual::new(
                    "表头无法识别，不知道这是哪一张清单",
                    "the headers are not recognised: it is not clear which list this is",
                ),
            )
        });
    } else if recognised == 0 && exported.is_empty() {
        parsed.problems.push(Problem {
            accepted: Some(accepted()),
            ..Problem::file(
                &shown,
                Bilingual::new(
                    "没有一个工作表的表头能识别为清单（表头须在前 10 行内）",
                    "no sheet has headers that are recognised as a list (the header row must be within the first 10 rows)",
                ),
            )
        });
    } else {
        for name in with_data.into_iter().flatten() {
            parsed.notes.push(Bilingual::new(
                format!("{shown}：工作表「{name}」的表头无法识别，已跳过"),
                format!("{shown}: sheet \"{name}\" has headers that are not recognised; skipped"),
            ));
        }
    }
}

/// The template's instructions sheet, which holds header words but no list.
/// A sheet `gongjian export` wrote (its figures, not a list): its first non-blank row is one
/// of the export's header rows.
fn is_exported(raw: &RawSheet, export_headers: &[Vec<String>]) -> bool {
    let Some(first) = raw.rows.iter().find(|r| !r.is_blank()) else {
        return false;
    };
    let mut cells: Vec<String> = first
        .cells
        .iter()
        .map(|c| headers::normalise(&c.display()))
        .collect();
    while cells.last().is_some_and(String::is_empty) {
        cells.pop();
    }
    export_headers.contains(&cells)
}

fn is_instructions(name: Option<&str>) -> bool {
    let (zh, en) = super::super::template::INSTRUCTIONS;
    name.is_some_and(|n| {
        let n = headers::normalise(n);
        n == headers::normalise(zh) || n == headers::normalise(en)
    })
}

/// A complete fit, or one that has at least half of the list's required columns: then the
/// sheet is meant as that list and its missing columns are a problem. A sheet with fewer is
/// some other table of the workbook, passed over with a note.
fn worth_reporting(fit: &Fit) -> bool {
    let required = fit.list.fields().iter().filter(|(_, r)| *r).count();
    let found = required - fit.missing.len();
    fit.is_complete() || found * 2 >= required
}

fn sheet_suffix_zh(name: &Option<String>) -> String {
    name.as_ref()
        .map(|n| format!("，工作表「{n}」"))
        .unwrap_or_default()
}

fn sheet_suffix_en(name: &Option<String>) -> String {
    name.as_ref()
        .map(|n| format!(", sheet \"{n}\""))
        .unwrap_or_default()
}

/// The required headers of a list, for "accepted:".
pub fn required_headers(list: List) -> Bilingual {
    let pick = |lang| {
        list.fields()
            .iter()
            .filter(|(_, required)| *required)
            .map(|(f, _)| headers::header(list, *f, lang))
            .collect::<Vec<_>>()
    };
    Bilingual::new(pick(Lang::Zh).join("、"), pick(Lang::En).join(", "))
}

/// The header row: the first of the top rows that fits a list completely, else the row that
/// fits one best (so that the missing columns can be named).
fn find_header(sheet: &RawSheet) -> Option<(usize, Fit)> {
    let mut best: Option<(usize, Fit)> = None;
    for (index, row) in sheet
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.is_blank())
        .take(HEADER_SEARCH_ROWS)
    {
        let texts: Vec<String> = row.cells.iter().map(Cell::display).collect();
        let Some(fit) = best_fit(&texts, sheet.name.as_deref()) else {
            continue;
        };
        if fit.is_complete() {
            return Some((index, fit));
        }
        if best
            .as_ref()
            .is_none_or(|(_, b)| fit.columns.len() > b.columns.len())
        {
            best = Some((index, fit));
        }
    }
    best
}

/// Reads the cells of one row; records its problems, or the record when it has none.
struct RowReader<'a> {
    parsed: &'a mut Parsed,
    sheet: usize,
    row: &'a RawRow,
    today: NaiveDate,
    ok: bool,
    place_seen: Option<Place>,
    project_seen: Option<String>,
}

impl RowReader<'_> {
    fn cell(&self, field: Field) -> Option<&Cell> {
        self.parsed.sheets[self.sheet]
            .fit
            .column(field)
            .map(|c| self.row.cell(c))
    }

    fn has(&self, field: Field) -> bool {
        self.parsed.sheets[self.sheet].fit.column(field).is_some()
    }

    fn problem(
        &mut self,
        field: Field,
        value: Option<String>,
        what: Bilingual,
        accepted: Option<Bilingual>,
    ) {
        self.ok = false;
        let p = self.parsed.problem_at(
            self.sheet,
            self.row.number,
            Some(field),
            value,
            what,
            accepted,
        );
        self.parsed.problems.push(p);
    }

    fn required(&mut self, field: Field) {
        let accepted = match field.kind() {
            headers::Kind::Date => Some(Bilingual::new(ACCEPTED_ZH, ACCEPTED_EN)),
            headers::Kind::Count => Some(Bilingual::new("整数", "a whole number")),
            headers::Kind::MeetingKind => Some(accepted::<MeetingKind>()),
            headers::Kind::Grade => Some(accepted::<Grade>()),
            headers::Kind::Assessor => Some(accepted::<Assessor>()),
            _ => None,
        };
        self.problem(
            field,
            None,
            Bilingual::new("为空；此列必填", "is empty; this column is required"),
            accepted,
        );
    }

    /// The cell as cleaned text; `None` when absent or blank (a problem if `required`).
    fn text(&mut self, field: Field, required: bool) -> Option<String> {
        let cell = self.cell(field).cloned();
        match cell {
            None if required => {
                self.required(field);
                None
            }
            None => None,
            Some(Cell::Other(v)) => {
                self.problem(
                    field,
                    Some(v),
                    Bilingual::new(
                        "是错误值或无法识别的值",
                        "is an error value or cannot be read",
                    ),
                    Some(Bilingual::new("文字", "text")),
                );
                None
            }
            Some(cell) => {
                let text = crate::text::clean(&cell.display()).trim().to_string();
                let max = if field == Field::Note {
                    fields::MAX_NOTE
                } else {
                    fields::MAX_TITLE
                };
                if text.is_empty() {
                    if required {
                        self.required(field);
                    }
                    None
                } else if text.chars().count() > max {
                    self.problem(
                        field,
                        Some(text),
                        Bilingual::new("太长", "is too long"),
                        Some(Bilingual::new(
                            format!("不超过 {max} 个字"),
                            format!("at most {max} characters"),
                        )),
                    );
                    None
                } else {
                    Some(text)
                }
            }
        }
    }

    fn date(&mut self, field: Field, required: bool) -> Option<NaiveDate> {
        let cell = self.cell(field).cloned().unwrap_or(Cell::Empty);
        let accepted = || Some(Bilingual::new(ACCEPTED_ZH, ACCEPTED_EN));
        let date = match &cell {
            c if c.is_blank() => {
                if required {
                    self.required(field);
                }
                return None;
            }
            Cell::Date(d) => Ok(*d),
            Cell::Number(n) => excel_serial_or_digits(*n).ok_or(DateError::Form),
            Cell::Text(t) => parse_date_text(t),
            Cell::Empty | Cell::Other(_) => Err(DateError::Form),
        };
        match date {
            Ok(d) if (fields::FIRST_YEAR..=fields::LAST_YEAR).contains(&d.year()) => Some(d),
            Ok(_) => {
                self.problem(
                    field,
                    Some(cell.display()),
                    Bilingual::new(
                        format!(
                            "年份不在 {}–{} 之间（是否输错了？）",
                            fields::FIRST_YEAR,
                            fields::LAST_YEAR
                        ),
                        format!(
                            "has a year outside {}–{} (a typing slip?)",
                            fields::FIRST_YEAR,
                            fields::LAST_YEAR
                        ),
                    ),
                    accepted(),
                );
                None
            }
            Err(DateError::NoSuchDay) => {
                self.problem(
                    field,
                    Some(cell.display()),
                    Bilingual::new("不是真实存在的日期", "is not a real calendar day"),
                    accepted(),
                );
                None
            }
            Err(DateError::Form) => {
                self.problem(
                    field,
                    Some(cell.display()),
                    Bilingual::new("不是可识别的日期", "is not a date in a recognised form"),
                    accepted(),
                );
                None
            }
        }
    }

    /// A whole number ≥ `min`; `30人`, `5次` and full-width digits are read too.
    fn count(&mut self, field: Field, required: bool, min: i64) -> Option<i64> {
        let cell = self.cell(field).cloned().unwrap_or(Cell::Empty);
        let max = fields::MAX_COUNT;
        let accepted = || {
            Some(Bilingual::new(
                format!("{min} 到 {max} 之间的整数"),
                format!("a whole number from {min} to {max}"),
            ))
        };
        let value = match &cell {
            c if c.is_blank() => {
                if required {
                    self.required(field);
                }
                return None;
            }
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e12 => Some(*n as i64),
            Cell::Text(t) => count_text(t),
            _ => None,
        };
        match value {
            Some(v) if (min..=max).contains(&v) => Some(v),
            Some(_) => {
                self.problem(
                    field,
                    Some(cell.display()),
                    Bilingual::new("超出范围", "is out of range"),
                    accepted(),
                );
                None
            }
            None => {
                self.problem(
                    field,
                    Some(cell.display()),
                    Bilingual::new("不是整数", "is not a whole number"),
                    accepted(),
                );
                None
            }
        }
    }

    /// A service session's length: a bare number is hours, or minutes when the header says so
    /// (`服务时长（分钟）`, `minutes`); `1小时30分`, `90分钟` as written.
    fn duration(&mut self, field: Field) -> Option<i64> {
        let cell = self.cell(field).cloned().unwrap_or(Cell::Empty);
        let in_minutes = self.parsed.sheets[self.sheet]
            .column_ref(field)
            .is_some_and(|(_, header)| header_says_minutes(&header));
        let cell = match cell {
            Cell::Number(n) if in_minutes => Cell::Text(format!("{n}分钟")),
            Cell::Text(t) if in_minutes && bare_number(&t) => {
                Cell::Text(format!("{}分钟", t.trim()))
            }
            other => other,
        };
        let accepted = || {
            Some(Bilingual::new(
                "小时数（如 1.5），或 1小时30分、90分钟",
                "hours (e.g. 1.5), or 1小时30分, 90分钟",
            ))
        };
        let minutes = match &cell {
            c if c.is_blank() => {
                self.required(field);
                return None;
            }
            Cell::Number(n) if n.is_finite() && *n >= 0.0 && *n < 1e6 => {
                fields::parse_minutes(&format!("{n:.6}"))
            }
            Cell::Text(t) => fields::parse_minutes(t),
            _ => None,
        };
        match minutes {
            Some(m) if (1..=fields::MAX_MINUTES).contains(&m) => Some(m),
            Some(0) => {
                self.problem(
                    field,
                    Some(cell.display()),
                    Bilingual::new("不足 1 分钟", "is under a minute"),
                    accepted(),
                );
                None
            }
            Some(_) => {
                self.problem(
                    field,
                    Some(cell.display()),
                    Bilingual::new("超过 24 小时", "is more than 24 hours"),
                    accepted(),
                );
                None
            }
            None => {
                self.problem(
                    field,
                    Some(cell.display()),
                    Bilingual::new("不是时长", "is not a duration"),
                    accepted(),
                );
                None
            }
        }
    }

    /// A word of a closed list, in any spelling the list accepts.
    fn word<T: Vocabulary>(&mut self, field: Field, required: bool) -> Option<T> {
        let text = self.text(field, required)?;
        match T::parse(&text) {
            Some(v) => Some(v),
            None => {
                self.problem(
                    field,
                    Some(text),
                    Bilingual::new("无法识别", "is not recognised"),
                    Some(accepted::<T>()),
                );
                None
            }
        }
    }

    /// A date that must not be after today (a survey held, a member registered or gone).
    fn not_after_today(&mut self, field: Field, date: Option<NaiveDate>) {
        if let Some(day) = date.filter(|d| *d > self.today) {
            let today = crate::dates::format_ymd(self.today);
            self.problem(
                field,
                Some(crate::dates::format_ymd(day)),
                Bilingual::new("晚于今天", "is after today"),
                Some(Bilingual::new(
                    format!("今天（{today}）或更早的日期"),
                    format!("today ({today}) or earlier"),
                )),
            );
        }
    }

    fn place(&mut self) -> Option<Place> {
        let street = self.text(Field::Street, false);
        let community = self.text(Field::Community, true)?;
        let place = Place { street, community };
        self.place_seen = Some(place.clone());
        Some(place)
    }
}

fn parse_row(parsed: &mut Parsed, sheet: usize, row: &RawRow, today: NaiveDate) {
    let list = parsed.sheets[sheet].list();
    let mut r = RowReader {
        parsed,
        sheet,
        row,
        today,
        ok: true,
        place_seen: None,
        project_seen: None,
    };
    let values = match list {
        List::Communities => {
            let street = r.text(Field::Street, true);
            let community = r.text(Field::Community, true);
            street
                .zip(community)
                .map(|(street, community)| Values::Community { street, community })
        }
        List::Units => {
            let name = r.text(Field::Unit, true);
            let kind = r.text(Field::UnitKind, false);
            name.map(|name| Values::Unit { name, kind })
        }
        List::Contracts => {
            let place = r.place();
            let unit = r.text(Field::Unit, true);
            let signed_on = r.date(Field::SignedOn, true);
            match (place, unit, signed_on) {
                (Some(place), Some(unit), Some(signed_on)) => Some(Values::Contract {
                    place,
                    unit,
                    signed_on,
                }),
                _ => None,
            }
        }
        List::Resources => {
            let place = r.place();
            let unit = r.text(Field::Unit, true);
            let title = r.text(Field::ResourceTitle, true);
            let times_used = r.count(Field::TimesUsed, false, 0);
            match (place, unit, title) {
                (Some(place), Some(unit), Some(title)) => Some(Values::Resource {
                    place,
                    unit,
                    title,
                    times_used,
                }),
                _ => None,
            }
        }
        List::Needs => {
            let place = r.place();
            let title = r.text(Field::NeedTitle, true);
            let raised_on = r.date(Field::RaisedOn, true);
            let source = r.word(Field::Source, false);
            let answered_by = r.text(Field::AnsweringProject, false);
            match (place, title, raised_on) {
                (Some(place), Some(title), Some(raised_on)) => Some(Values::Need {
                    place,
                    title,
                    raised_on,
                    source,
                    answered_by,
                }),
                _ => None,
            }
        }
        List::Surveys => {
            let place = if r.text(Field::Community, false).is_some() {
                r.place()
            } else {
                None
            };
            let project = r.text(Field::ProjectTitle, true);
            r.project_seen = project.clone();
            let held_on = r.date(Field::HeldOn, true);
            r.not_after_today(Field::HeldOn, held_on);
            let respondents = r.count(Field::Respondents, true, 1);
            let satisfied = r.count(Field::Satisfied, true, 0);
            if let (Some(n), Some(k)) = (respondents, satisfied)
                && k > n
            {
                r.problem(
                    Field::Satisfied,
                    Some(k.to_string()),
                    Bilingual::new(
                        format!("多于受访人数（{n}）"),
                        format!("is more than the people asked ({n})"),
                    ),
                    Some(Bilingual::new(
                        format!("0 到 {n} 之间的整数"),
                        format!("a whole number from 0 to {n}"),
                    )),
                );
            }
            match (project, held_on, respondents, satisfied) {
                (Some(project), Some(held_on), Some(respondents), Some(satisfied)) => {
                    Some(Values::Survey {
                        place,
                        project,
                        held_on,
                        respondents,
                        satisfied,
                    })
                }
                _ => None,
            }
        }
        List::Members => {
            let place = r.place();
            let name = r.text(Field::MemberName, true);
            let workplace = r.text(Field::Workplace, false);
            let registered_on = r.date(Field::RegisteredOn, true);
            r.not_after_today(Field::RegisteredOn, registered_on);
            let left_on = r.date(Field::LeftOn, false);
            r.not_after_today(Field::LeftOn, left_on);
            if let (Some(from), Some(to)) = (registered_on, left_on)
                && to < from
            {
                let from = crate::dates::format_ymd(from);
                r.problem(
                    Field::LeftOn,
                    Some(crate::dates::format_ymd(to)),
                    Bilingual::new(
                        format!("早于报到日期（{from}）"),
                        format!("is before the day the member registered ({from})"),
                    ),
                    Some(Bilingual::new(
                        format!("{from} 或以后的日期"),
                        format!("{from} or later"),
                    )),
                );
            }
            match (place, name, registered_on) {
                (Some(place), Some(name), Some(registered_on)) => Some(Values::Member {
                    place,
                    name,
                    workplace,
                    registered_on,
                    left_on,
                }),
                _ => None,
            }
        }
        List::Grades => {
            let year = r.count(Field::Year, true, i64::from(fields::FIRST_YEAR));
            let this_year = i64::from(r.today.year());
            let year = match year {
                Some(y) if y > this_year => {
                    r.problem(
                        Field::Year,
                        Some(y.to_string()),
                        Bilingual::new(
                            format!("晚于今年（{this_year}）：还不能考评"),
                            format!("is after this year ({this_year}): it cannot be graded yet"),
                        ),
                        Some(Bilingual::new(
                            format!("{} 到 {this_year} 之间的年份", fields::FIRST_YEAR),
                            format!("a year from {} to {this_year}", fields::FIRST_YEAR),
                        )),
                    );
                    None
                }
                other => other.and_then(|y| i32::try_from(y).ok()),
            };
            let subject = r.text(Field::Subject, true);
            let kind = r.word(Field::SubjectKind, false);
            let assessor = r.word(Field::Assessor, true);
            let grade = r.word(Field::Grade, true);
            let note = r.text(Field::Note, false);
            let place = if r.text(Field::Community, false).is_some() {
                r.place()
            } else {
                None
            };
            match (year, subject, assessor, grade) {
                (Some(year), Some(subject), Some(assessor), Some(grade)) => Some(Values::Grade {
                    place,
                    year,
                    subject,
                    kind,
                    assessor,
                    grade,
                    note,
                }),
                _ => None,
            }
        }
        List::Projects => {
            let place = r.place();
            let title = r.text(Field::ProjectTitle, true);
            let lead = r
                .has(Field::LeadUnit)
                .then(|| r.text(Field::LeadUnit, false));
            let due_on = r.date(Field::DueOn, true);
            let status = r.word(Field::Status, false);
            let done_on = r.date(Field::DoneOn, false);
            if let Some(done) = done_on.filter(|d| *d > r.today) {
                let today = crate::dates::format_ymd(r.today);
                r.problem(
                    Field::DoneOn,
                    Some(crate::dates::format_ymd(done)),
                    Bilingual::new(
                        "晚于今天，项目还不能算已完成",
                        "is after today: the project cannot be done yet",
                    ),
                    Some(Bilingual::new(
                        format!("今天（{today}）或更早的日期"),
                        format!("today ({today}) or earlier"),
                    )),
                );
            }
            r.project_seen = title.clone();
            match (place, title, due_on) {
                (Some(place), Some(title), Some(due_on)) => Some(Values::Project {
                    place,
                    title,
                    lead,
                    due_on,
                    status,
                    done_on,
                }),
                _ => None,
            }
        }
        List::Meetings => {
            let place = r.place();
            let kind = r.word(Field::MeetingKind, true);
            let held_on = r.date(Field::HeldOn, true);
            let attendees = r.count(Field::Attendees, false, 0);
            let note = r.text(Field::Note, false);
            match (place, kind, held_on) {
                (Some(place), Some(kind), Some(held_on)) => Some(Values::Meeting {
                    place,
                    kind,
                    held_on,
                    attendees,
                    note,
                }),
                _ => None,
            }
        }
        List::Activities => {
            let place = r.place();
            let project = r.text(Field::ProjectTitle, true);
            r.project_seen = project.clone();
            let held_on = r.date(Field::HeldOn, true);
            let planned = r.count(Field::Planned, true, 1);
            let actual = r.count(Field::Actual, true, 0);
            match (place, project, held_on, planned, actual) {
                (Some(place), Some(project), Some(held_on), Some(planned), Some(actual)) => {
                    Some(Values::Activity {
                        place,
                        project,
                        held_on,
                        planned,
                        actual,
                    })
                }
                _ => None,
            }
        }
        List::Services => {
            let name = r.text(Field::MemberName, true);
            let workplace = r.text(Field::Workplace, false);
            let served_on = r.date(Field::HeldOn, true);
            let minutes = r.duration(Field::Duration);
            let project = r.text(Field::ProjectTitle, false);
            let note = r.text(Field::Note, false);
            let place = if r.has(Field::Community) && r.text(Field::Community, false).is_some() {
                r.place()
            } else {
                None
            };
            match (name, served_on, minutes) {
                (Some(name), Some(served_on), Some(minutes)) => Some(Values::Service {
                    place,
                    name,
                    workplace,
                    served_on,
                    minutes,
                    project,
                    note,
                }),
                _ => None,
            }
        }
    };
    let (ok, place, project) = (r.ok, r.place_seen, r.project_seen);
    match values {
        Some(values) if ok => parsed.records.push(Record {
            sheet,
            row: row.number,
            values,
        }),
        _ => {
            if let Some(place) = place {
                parsed.broken.push(Broken {
                    sheet,
                    row: row.number,
                    list,
                    place,
                    project,
                });
            }
        }
    }
}

/// A number in a date column: an Excel serial day whose cell lost its date format (between
/// 1990 and 2099), or `20261128` typed as a number.
fn excel_serial_or_digits(n: f64) -> Option<NaiveDate> {
    if n.fract() != 0.0 {
        return None;
    }
    let n = n as i64;
    if (32_874..=73_050).contains(&n) {
        return NaiveDate::from_ymd_opt(1899, 12, 30)?
            .checked_add_signed(chrono::Duration::days(n));
    }
    if (19_000_101..=21_001_231).contains(&n) {
        return parse_date_text(&n.to_string()).ok();
    }
    None
}

fn count_text(text: &str) -> Option<i64> {
    let digits: String = text
        .trim()
        .trim_end_matches(['人', '次', '名', '个', '位'])
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            other => other,
        })
        .collect();
    let digits = digits.strip_suffix(".0").unwrap_or(&digits);
    if digits.starts_with('-')
        && digits.len() > 1
        && digits[1..].bytes().all(|b| b.is_ascii_digit())
    {
        return digits.parse().ok();
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 12 {
        return None;
    }
    digits.parse().ok()
}

/// A duration column whose header names minutes: `服务时长（分钟）`, `时长(min)`, `minutes`.
fn header_says_minutes(header: &str) -> bool {
    let h = header.to_lowercase();
    h.contains("分钟") || h.contains("min")
}

/// A cell that is a number alone (`90`, `1.5`), with no unit written.
fn bare_number(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// The words of a closed list that a cell may hold, for "accepted:".
fn accepted<T: Vocabulary>() -> Bilingual {
    Bilingual::new(T::accepted(Lang::Zh), T::accepted(Lang::En))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_counts() {
        assert_eq!(count_text("30人"), Some(30));
        assert_eq!(count_text("３０"), Some(30));
        assert_eq!(count_text("12.0"), Some(12));
        assert_eq!(count_text("-3"), Some(-3));
        assert_eq!(count_text("三十"), None);
        assert_eq!(count_text("1.5"), None);
        assert_eq!(
            excel_serial_or_digits(46354.0),
            NaiveDate::from_ymd_opt(2026, 11, 28)
        );
        assert_eq!(
            excel_serial_or_digits(20261128.0),
            NaiveDate::from_ymd_opt(2026, 11, 28)
        );
        assert_eq!(excel_serial_or_digits(12.0), None);
    }
}
