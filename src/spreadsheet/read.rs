//! Reading a user's file into rows of cells, whatever wrote it: Excel, WPS or LibreOffice
//! workbooks, and CSV in UTF-8 (with or without a byte-order mark), UTF-16 or GBK/GB18030.
//!
//! Crates, and why:
//! - `calamine`: the maintained pure-Rust reader of `.xlsx`, `.xls`, `.xlsb` and `.ods`; it
//!   gives typed cells (numbers, dates, text), which CSV cannot.
//! - `csv`: RFC 4180 quoting as Excel writes it (quoted commas, doubled quotes, line breaks
//!   inside a cell), which a hand-written split gets wrong.
//! - `encoding_rs`: the WHATWG decoders, including GB18030 (a superset of GBK, which Chinese
//!   Excel uses for "CSV" by default) and UTF-16 (Excel's "Unicode text"), with error reporting
//!   so that a file in another encoding is refused rather than imported as mojibake.

use super::Bilingual;
use calamine::{Data, Reader};
use chrono::NaiveDate;
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// An Excel date cell (its time of day dropped).
    Date(NaiveDate),
    /// An error value (`#N/A`) or a time without a date: shown to the user, never imported.
    Other(String),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as the user sees it, for messages.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) | Cell::Other(t) => t.clone(),
            Cell::Number(n) => number_text(*n),
            Cell::Date(d) => crate::dates::format_ymd(*d),
        }
    }
}

/// `12` rather than `12.0`; other numbers as Rust prints them.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// A row as the spreadsheet numbers it (the first row is 1), cells from column A.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    pub number: u32,
    pub cells: Vec<Cell>,
}

impl RawRow {
    pub fn cell(&self, column: usize) -> &Cell {
        self.cells.get(column).unwrap_or(&Cell::Empty)
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }
}

/// One sheet of a workbook, or a whole CSV file (`name` is `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct RawSheet {
    pub name: Option<String>,
    pub rows: Vec<RawRow>,
}

/// What kind of file a path names, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Workbook,
    Csv,
}

pub fn file_kind(path: &Path) -> Option<FileKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => Some(FileKind::Workbook),
        "csv" | "txt" => Some(FileKind::Csv),
        _ => None,
    }
}

pub fn accepted_kinds() -> Bilingual {
    Bilingual::new(
        ".xlsx、.xls、.xlsb、.ods（Excel、WPS 或 LibreOffice 保存的工作簿）或 .csv（UTF-8 或 GBK 编码）",
        ".xlsx, .xls, .xlsb, .ods (workbooks saved by Excel, WPS or LibreOffice) or .csv (UTF-8 or GBK)",
    )
}

/// Reads every sheet of the file. The error says what is wrong with the file as a whole.
pub fn read_file(path: &Path) -> Result<Vec<RawSheet>, Bilingual> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Bilingual::new("找不到该文件", "no such file"));
        }
        Err(e) => {
            return Err(Bilingual::new(
                format!("无法读取：{e}"),
                format!("cannot be read: {e}"),
            ));
        }
        Ok(meta) if !meta.is_file() => {
            return Err(Bilingual::new(
                "不是文件（可能是文件夹）",
                "is not a file (a folder?)",
            ));
        }
        Ok(_) => {}
    }
    match file_kind(path) {
        None => {
            let accepted = accepted_kinds();
            Err(Bilingual::new(
                format!("无法识别文件类型；可用：{}", accepted.zh),
                format!("unknown kind of file; accepted: {}", accepted.en),
            ))
        }
        Some(FileKind::Csv) => {
            let bytes = std::fs::read(path).map_err(|e| {
                Bilingual::new(format!("无法读取：{e}"), format!("cannot be read: {e}"))
            })?;
            let text = decode_text(&bytes)?;
            Ok(vec![RawSheet {
                name: None,
                rows: parse_csv(&text)?,
            }])
        }
        Some(FileKind::Workbook) => read_workbook(path).map_err(|e| {
            Bilingual::new(
                format!("无法作为工作簿读取（{e}）；请用 Excel 或 WPS 另存为 .xlsx 后再导入"),
                format!("cannot be read as a workbook ({e}); save it again as .xlsx from Excel or WPS and import that"),
            )
        }),
    }
}

fn read_workbook(path: &Path) -> Result<Vec<RawSheet>, calamine::Error> {
    let mut workbook = calamine::open_workbook_auto(path)?;
    let mut sheets = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name)?;
        let merged = match &mut workbook {
            calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            _ => Vec::new(),
        };
        sheets.push(RawSheet {
            rows: grid(&range, &merged),
            name: Some(name),
        });
    }
    Ok(sheets)
}

/// The used range as rows numbered like the spreadsheet, every cell of a merged region
/// holding the region's value (a community name merged down over its projects applies to
/// each of them).
fn grid(range: &calamine::Range<Data>, merged: &[calamine::Dimensions]) -> Vec<RawRow> {
    let Some((first_row, first_col)) = range.start() else {
        return Vec::new();
    };
    let mut rows: Vec<RawRow> = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut out = vec![Cell::Empty; first_col as usize];
            out.extend(cells.iter().map(cell_of));
            RawRow {
                number: first_row + i as u32 + 1,
                cells: out,
            }
        })
        .collect();
    for region in merged {
        let (top, left) = (region.start.0 as usize, region.start.1 as usize);
        let Some(value) = top
            .checked_sub(first_row as usize)
            .and_then(|r| rows.get(r))
            .map(|r| r.cell(left).clone())
        else {
            continue;
        };
        for row in region.start.0..=region.end.0 {
            let Some(target) = (row as usize)
                .checked_sub(first_row as usize)
                .and_then(|r| rows.get_mut(r))
            else {
                continue;
            };
            for col in region.start.1..=region.end.1 {
                let col = col as usize;
                if target.cells.len() <= col {
                    target.cells.resize(col + 1, Cell::Empty);
                }
                target.cells[col] = value.clone();
            }
        }
    }
    rows
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.to_string()),
        Data::DateTime(dt) if dt.is_datetime() && dt.as_f64() >= 1.0 => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
                .map_or_else(|| Cell::Other(dt.as_f64().to_string()), Cell::Date)
        }
        Data::DateTime(dt) => Cell::Other(dt.as_f64().to_string()),
        // ODS stores dates as ISO text: the date parser reads them.
        Data::DateTimeIso(s) => Cell::Text(s.clone()),
        Data::DurationIso(s) => Cell::Other(s.clone()),
        Data::Error(e) => Cell::Other(format!("#{e:?}")),
    }
}

/// Decodes a CSV file's bytes: a byte-order mark decides; else valid UTF-8 is UTF-8; else
/// GB18030 (which reads GBK). A file that is none of these is refused, never guessed at.
pub fn decode_text(bytes: &[u8]) -> Result<String, Bilingual> {
    let (text, had_errors) = if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        (text.into_owned(), had_errors)
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_string(), false)
    } else {
        let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
        (text.into_owned(), had_errors)
    };
    if had_errors {
        return Err(Bilingual::new(
            "文件编码无法识别（既不是 UTF-8，也不是 GBK/GB18030）；请在 Excel 或 WPS 中另存为“CSV UTF-8”或 .xlsx 后再导入",
            "the file's encoding is not recognised (neither UTF-8 nor GBK/GB18030); save it as \"CSV UTF-8\" or .xlsx from Excel or WPS and import that",
        ));
    }
    Ok(text)
}

/// The separator of the first line: Excel writes `,`, some locales `;`, "Unicode text" a tab.
fn separator(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| first.matches(c).count();
    [(b',', count(',')), (b'\t', count('\t')), (b';', count(';'))]
        .into_iter()
        .max_by_key(|(sep, n)| (*n, *sep == b','))
        .map_or(b',', |(sep, _)| sep)
}

/// Parses CSV text into rows numbered as a spreadsheet would show them: a blank line is a
/// row too, and a cell with line breaks does not push the following rows down.
pub fn parse_csv(text: &str) -> Result<Vec<RawRow>, Bilingual> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut number = 0u32;
    for record in reader.records() {
        let record = record.map_err(|e| {
            Bilingual::new(format!("CSV 格式有误：{e}"), format!("malformed CSV: {e}"))
        })?;
        // The reader skips blank lines without counting them; a record's position is where
        // the previous one ended, so the blank lines are those at the start of what follows.
        let start = record.position().map_or(0, |p| p.byte() as usize);
        number += 1 + blank_lines_at(text.as_bytes(), start);
        rows.push(RawRow {
            number,
            cells: record
                .iter()
                .map(|f| {
                    if f.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(f.to_string())
                    }
                })
                .collect(),
        });
    }
    Ok(rows)
}

/// How many empty lines start at `start` (the `\n` of a `\r\n` that ended the previous
/// record is not one).
fn blank_lines_at(text: &[u8], start: usize) -> u32 {
    let bytes = text.get(start..).unwrap_or_default();
    let mut count = 0;
    let mut at = 0;
    if start > 0 && text.get(start - 1) == Some(&b'\r') && bytes.first() == Some(&b'\n') {
        at = 1;
    }
    loop {
        if bytes[at..].starts_with(b"\r\n") {
            at += 2;
        } else if matches!(bytes.get(at), Some(b'\n' | b'\r')) {
            at += 1;
        } else {
            return count;
        }
        count += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[RawRow]) -> Vec<(u32, Vec<String>)> {
        rows.iter()
            .map(|r| (r.number, r.cells.iter().map(Cell::display).collect()))
            .collect()
    }

    #[test]
    fn encodings_are_detected() {
        let text = "社区,项目名称\r\n石羊塘社区,健康讲座\r\n";
        assert_eq!(decode_text(text.as_bytes()).as_deref(), Ok(text));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode_text(&bom).as_deref(), Ok(text));
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert!(std::str::from_utf8(&gbk).is_err());
        assert_eq!(decode_text(&gbk).as_deref(), Ok(text));
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode_text(&utf16).as_deref(), Ok(text));
        assert!(decode_text(b"\x81\x20\xFF\xFF").is_err());
    }

    #[test]
    fn rows_are_numbered_like_a_spreadsheet() {
        let rows = parse_csv("a,b\n1,\"two\nlines\"\n\n3,x\n").expect("parses");
        assert_eq!(
            texts(&rows),
            vec![
                (1, vec!["a".into(), "b".into()]),
                (2, vec!["1".into(), "two\nlines".into()]),
                (4, vec!["3".into(), "x".into()]),
            ]
        );
        let rows = parse_csv("\r\na,b\r\n\r\n\r\n3,x\r\n").expect("parses");
        assert_eq!(texts(&rows)[0].0, 2);
        assert_eq!(texts(&rows)[1].0, 5);
        let rows = parse_csv("a\tb\r\n\"x,y\"\tz\r\n").expect("parses");
        assert_eq!(texts(&rows)[1], (2, vec!["x,y".into(), "z".into()]));
        let rows = parse_csv("a;b\n1;2\n").expect("parses");
        assert_eq!(texts(&rows)[1], (2, vec!["1".into(), "2".into()]));
    }
}
