//! The minutes as a Word file (`review --export FILE.docx`), for offices that pass documents
//! on in Word or WPS: the same text as the Markdown minutes, with its headings as headings,
//! its lists indented and its tables as tables. Built with `docx-rs`.

use crate::error::{Error, Result};
use docx_rs::{Docx, Paragraph, Run, RunFonts, Table, TableCell, TableRow, WidthType};

/// A run of text in the fonts Chinese office software expects.
fn run(text: &str) -> Run {
    Run::new()
        .add_text(text)
        .fonts(RunFonts::new().east_asia("宋体").ascii("Calibri"))
}

fn heading(text: &str, size: usize) -> Paragraph {
    Paragraph::new().add_run(run(text).bold().size(size))
}

/// A list item at `level` (0 for `- `, 1 for `  - `), its mark in front.
fn item(text: &str, level: usize) -> Paragraph {
    let mark = if level == 0 { "• " } else { "◦ " };
    let left = 360 * (level as i32 + 1);
    Paragraph::new()
        .indent(Some(left), None, None, None)
        .add_run(run(&format!("{mark}{text}")))
}

/// The cells of a Markdown table row (`| a | b |`): the minutes never put `|` in a cell's text
/// (it becomes `｜`), so splitting on it is exact.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

fn is_separator(line: &str) -> bool {
    cells(line)
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')))
}

fn table(rows: &[&str]) -> Table {
    let mut out = Vec::new();
    for (i, line) in rows.iter().enumerate() {
        if i == 1 && is_separator(line) {
            continue;
        }
        let header = i == 0;
        let cells = cells(line)
            .into_iter()
            .map(|text| {
                let r = if header {
                    run(&text).bold()
                } else {
                    run(&text)
                };
                TableCell::new().add_paragraph(Paragraph::new().add_run(r))
            })
            .collect();
        out.push(TableRow::new(cells));
    }
    Table::new(out).width(5000, WidthType::Pct)
}

/// The Word document of minutes written as Markdown by [`super::minutes`].
pub fn minutes_docx(markdown: &str) -> Result<Vec<u8>> {
    let mut doc = Docx::new();
    let lines: Vec<&str> = markdown.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim_start().starts_with('|') {
            let start = i;
            while i < lines.len() && lines[i].trim_start().starts_with('|') {
                i += 1;
            }
            doc = doc.add_table(table(&lines[start..i]));
            continue;
        }
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        doc = if let Some(text) = line.strip_prefix("### ") {
            doc.add_paragraph(heading(text, 26))
        } else if let Some(text) = line.strip_prefix("## ") {
            doc.add_paragraph(heading(text, 30))
        } else if let Some(text) = line.strip_prefix("# ") {
            doc.add_paragraph(heading(text, 36))
        } else if let Some(text) = trimmed.strip_prefix("- ") {
            doc.add_paragraph(item(text, indent / 2))
        } else if trimmed.is_empty() {
            doc
        } else {
            doc.add_paragraph(Paragraph::new().add_run(run(trimmed)))
        };
        i += 1;
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut bytes).map_err(|e| {
        Error::plain(
            format!("无法生成 Word 文件：{e}"),
            format!("cannot make the Word file: {e}"),
        )
    })?;
    Ok(bytes.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn document_xml(bytes: &[u8]) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .expect("the document part")
            .read_to_string(&mut xml)
            .expect("utf-8");
        xml
    }

    #[test]
    fn headings_lists_and_tables_become_word_paragraphs_and_tables() {
        let minutes = "# 周例会会议纪要（2026-11-28）\n\n- 日期：2026-11-28\n  - 逾期：检察开放日（逾期 151 天）\n\n## 二、督办事项\n\n| 编号 | 社区 | 督办事项 |\n|---:|---|---|\n| 3 | 青石社区 | 消防通道＃1 清理 |\n";
        let bytes = minutes_docx(minutes).expect("docx");
        assert!(bytes.starts_with(b"PK"), "a zip container");
        let xml = document_xml(&bytes);
        for text in [
            "周例会会议纪要（2026-11-28）",
            "• 日期：2026-11-28",
            "◦ 逾期：检察开放日（逾期 151 天）",
            "二、督办事项",
            "消防通道＃1 清理",
        ] {
            assert!(xml.contains(text), "{text} missing");
        }
        assert_eq!(xml.matches("<w:tbl>").count(), 1, "one table");
        assert_eq!(
            xml.matches("<w:tr>").count(),
            2,
            "header and one row, no separator"
        );
        assert!(!xml.contains("---"), "the separator row is not a row");
        assert!(
            !xml.contains("# ") && !xml.contains("| "),
            "no Markdown left"
        );
    }
}
