//! Spreadsheets in and out (issue 8): importing the office's Excel/WPS/CSV lists into the shared
//! file, exporting the panels for the leadership, and the empty template workbook.
//!
//! Reading files knows nothing of the database (`read`, `headers`, `dates`); the import plans
//! every change against the file before writing any (`import`), so that a single bad row leaves
//! the shared file untouched.

pub mod assess;
pub mod cards;
pub mod dates;
pub mod export;
pub mod headers;
pub mod import;
pub mod read;
pub mod template;

pub use export::{export_csv, export_xlsx};
pub use import::{ImportOptions, ImportOutcome, import_files};
pub use template::template_workbook;

use crate::i18n::Lang;

/// A text in both languages: messages are built once and shown in the user's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Bilingual {
        Bilingual {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Something wrong in a user's file, located as the user would find it in Excel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file as the user named it.
    pub file: String,
    /// The sheet of a workbook (`None` for a CSV file or a problem with the whole file).
    pub sheet: Option<String>,
    /// The row as the spreadsheet numbers it (the header is row 1).
    pub row: Option<u32>,
    /// The column's letter and its header as written.
    pub column: Option<(String, String)>,
    /// The offending value as written (`None` when the cell is empty or there is none).
    pub value: Option<String>,
    pub what: Bilingual,
    pub accepted: Option<Bilingual>,
}

impl Problem {
    pub fn file(file: &str, what: Bilingual) -> Problem {
        Problem {
            file: file.to_string(),
            sheet: None,
            row: None,
            column: None,
            value: None,
            what,
            accepted: None,
        }
    }

    /// One line: where, the value, what is wrong, what is accepted.
    pub fn line(&self, lang: Lang) -> String {
        let value = self
            .value
            .as_deref()
            .map(|v| crate::text::truncate(&crate::text::clean(v), 60));
        let mut out = self.file.clone();
        match lang {
            Lang::Zh => {
                if let Some(sheet) = &self.sheet {
                    out.push_str(&format!("，工作表「{sheet}」"));
                }
                if let Some(row) = self.row {
                    out.push_str(&format!("，第 {row} 行"));
                }
                if let Some((letter, header)) = &self.column {
                    out.push_str(&format!("，{letter} 列「{header}」"));
                }
                out.push('：');
                if let Some(v) = value {
                    out.push_str(&format!("“{v}” "));
                }
                out.push_str(&self.what.zh);
                if let Some(accepted) = &self.accepted {
                    out.push_str(&format!("；可用：{}", accepted.zh));
                }
            }
            Lang::En => {
                if let Some(sheet) = &self.sheet {
                    out.push_str(&format!(", sheet \"{sheet}\""));
                }
                if let Some(row) = self.row {
                    out.push_str(&format!(", row {row}"));
                }
                if let Some((letter, header)) = &self.column {
                    out.push_str(&format!(", column {letter} ({header})"));
                }
                out.push_str(": ");
                if let Some(v) = value {
                    out.push_str(&format!("\"{v}\" "));
                }
                out.push_str(&self.what.en);
                if let Some(accepted) = &self.accepted {
                    out.push_str(&format!("; accepted: {}", accepted.en));
                }
            }
        }
        out
    }
}

/// The whole list of problems as one error: a heading, then one indented line each.
pub fn problems_error(problems: &[Problem]) -> crate::error::Error {
    let render = |lang: Lang| {
        let head = match lang {
            Lang::Zh => format!(
                "导入未进行：发现 {} 处问题，数据库未作任何改动。请改正后重新导入：",
                problems.len()
            ),
            Lang::En => format!(
                "nothing was imported: {} problem(s) found and the database was not changed. Fix them and import again:",
                problems.len()
            ),
        };
        std::iter::once(head)
            .chain(problems.iter().map(|p| format!("  {}", p.line(lang))))
            .collect::<Vec<_>>()
            .join("\n")
    };
    crate::error::Error::plain(render(Lang::Zh), render(Lang::En))
}
