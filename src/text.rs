//! Text from the shared file on its way to a terminal, a table or a spreadsheet.
//!
//! Names and titles are data that other tools wrote: control characters, escape sequences and
//! bidi overrides are removed before they reach any output, and widths are measured in terminal
//! cells (a Chinese character is two), never in chars or bytes.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// What a truncated cell ends with: plain ASCII, one cell wide on every terminal.
pub const ELLIPSIS: &str = "~";

/// Removes everything that could act on a terminal or change the reading direction, and the
/// joiners and variation selectors whose width terminals disagree on. Tabs and line breaks
/// become spaces.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            // bidi embeddings, overrides and isolates; marks; zero-width joiners
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' => {}
            '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{E0000}'..='\u{E007F}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A file name or other user-given text for a message: what [`clean`] would remove is shown
/// as a visible escape (`\u{1b}`) instead, so that the user can still tell which file is meant
/// and nothing acts on the terminal or a log.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        let hidden = ch.is_control()
            || matches!(ch, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}')
            || matches!(ch, '\u{FEFF}' | '\u{E0000}'..='\u{E007F}');
        if hidden {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(ch)));
        } else {
            out.push(ch);
        }
    }
    out
}

/// Width in terminal cells.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Cuts `text` to at most `max` cells, never through a wide glyph; marks a cut with
/// [`ELLIPSIS`].
pub fn truncate(text: &str, max: usize) -> String {
    truncate_with(text, max, ELLIPSIS)
}

/// Cuts `text` to at most `max` cells, never through a wide glyph; marks a cut with `mark`.
pub fn truncate_with(text: &str, max: usize, mark: &str) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let room = max.saturating_sub(width(mark));
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        out.push(ch);
    }
    out.push_str(mark);
    out
}

/// `text` cut to `cells` and padded with spaces to exactly `cells` wide.
pub fn fit(text: &str, cells: usize) -> String {
    let mut out = truncate(text, cells);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(w)));
    out
}

/// `text` cut to `cells` and padded on the left to exactly `cells` wide (for numbers).
pub fn fit_right(text: &str, cells: usize) -> String {
    let cut = truncate(text, cells);
    let w = width(&cut);
    let mut out: String = std::iter::repeat_n(' ', cells.saturating_sub(w)).collect();
    out.push_str(&cut);
    out
}

/// A spreadsheet cell that would start a formula gets a leading apostrophe.
pub fn neutralise_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// JSON with every character a terminal could act on written as a `\uXXXX` escape. serde_json
/// escapes only C0 controls; DEL, C1 controls (U+009B is a CSI on its own) and bidi overrides
/// would reach the terminal raw. Outside its strings JSON is ASCII, so each such character is
/// inside a string, and the escape reads back as the same value.
pub fn escape_json_controls(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for ch in json.chars() {
        match ch {
            '\n' => out.push(ch),
            c if c.is_control()
                || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}') =>
            {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

/// How names sort for Chinese readers: by pinyin (tones after the letters: 松坡 before 望江
/// before 新河), character by character; a character without pinyin (Latin letters, digits)
/// stands for itself, lower-cased. Names equal that way fall back to code-point order, so the
/// order is total.
pub fn name_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    // The same order as comparing the two `name_key`s, without building them: a sort calls
    // this for every comparison, and a thousand names sorted this way must stay instant.
    name_parts(a).cmp(name_parts(b)).then_with(|| a.cmp(b))
}

/// One part of a name's key: a syllable, or a character that has none (lower-cased).
#[derive(PartialEq, Eq)]
enum NamePart {
    Syllable(&'static str),
    Char([u8; 4], usize),
}

impl NamePart {
    fn text(&self) -> &str {
        match self {
            NamePart::Syllable(s) => s,
            NamePart::Char(bytes, len) => std::str::from_utf8(&bytes[..*len]).unwrap_or(""),
        }
    }
}

impl PartialOrd for NamePart {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for NamePart {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.text().cmp(other.text())
    }
}

fn name_parts(name: &str) -> impl Iterator<Item = NamePart> + '_ {
    use pinyin::ToPinyin;
    name.chars().zip(name.to_pinyin()).map(|(ch, py)| match py {
        Some(p) => NamePart::Syllable(p.with_tone_num_end()),
        None => {
            let lower = ch.to_lowercase().next().unwrap_or(ch);
            let mut bytes = [0u8; 4];
            let len = lower.encode_utf8(&mut bytes).len();
            NamePart::Char(bytes, len)
        }
    })
}

/// The key [`name_cmp`] compares: one syllable (`song1`) or character per character.
pub fn name_key(name: &str) -> Vec<String> {
    use pinyin::ToPinyin;
    name.chars()
        .zip(name.to_pinyin())
        .map(|(ch, py)| match py {
            Some(p) => p.with_tone_num_end().to_string(),
            None => ch.to_lowercase().collect(),
        })
        .collect()
}

/// A writer that passes JSON on as [`escape_json_controls`] would leave it, without holding it:
/// the report streams through it. A character split between two writes is kept until whole.
pub struct JsonControlsEscaper<W: std::io::Write> {
    out: W,
    /// The start of a character whose last bytes are still to come (at most 3 bytes).
    partial: Vec<u8>,
}

impl<W: std::io::Write> JsonControlsEscaper<W> {
    pub fn new(out: W) -> JsonControlsEscaper<W> {
        JsonControlsEscaper {
            out,
            partial: Vec::new(),
        }
    }

    fn emit(&mut self, text: &str) -> std::io::Result<()> {
        // Most text holds no byte that can begin such a character (C0 controls and DEL are
        // single bytes; C1 controls start with 0xC2, the invisible and bidi marks with 0xE2,
        // U+FEFF with 0xEF): passed on whole.
        let suspect =
            |b: &u8| (*b < 0x20 && *b != b'\n') || matches!(*b, 0x7f | 0xc2 | 0xe2 | 0xef);
        if !text.as_bytes().iter().any(suspect) {
            return self.out.write_all(text.as_bytes());
        }
        let mut clean_from = 0;
        for (at, ch) in text.char_indices() {
            if ch != '\n'
                && (ch.is_control()
                    || matches!(ch, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'))
            {
                self.out.write_all(&text.as_bytes()[clean_from..at])?;
                write!(self.out, "\\u{:04x}", u32::from(ch))?;
                clean_from = at + ch.len_utf8();
            }
        }
        self.out.write_all(&text.as_bytes()[clean_from..])
    }

    /// Passes on the whole characters of `bytes` and keeps an unfinished last one.
    fn pass(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let valid = match std::str::from_utf8(bytes) {
            Ok(_) => bytes.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            // Not UTF-8 at all (serde_json never writes that): passed on as it came.
            Err(_) => return self.out.write_all(bytes),
        };
        let (text, rest) = bytes.split_at(valid);
        self.emit(std::str::from_utf8(text).unwrap_or_default())?;
        self.partial.extend_from_slice(rest);
        Ok(())
    }
}

impl<W: std::io::Write> std::io::Write for JsonControlsEscaper<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.partial.is_empty() {
            self.pass(buf)?;
        } else {
            let mut bytes = std::mem::take(&mut self.partial);
            bytes.extend_from_slice(buf);
            self.pass(&bytes)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let rest = std::mem::take(&mut self.partial);
        self.out.write_all(&rest)?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    /// The comparison without allocation orders names exactly as their keys do.
    #[test]
    fn name_cmp_agrees_with_the_name_keys() {
        let names = [
            "新河社区",
            "松坡社区",
            "青石社区",
            "港宁社区",
            "桂花巷社区",
            "石羊塘社区",
            "Alpha 社区",
            "alpha",
            "ALPHA2",
            "2号楼",
            "10号楼",
            "区人民医院",
            "区人民医院 ",
            "",
            "重庆路",
            "长安街",
            "Éclair",
            "民政局",
            "梅岭职业技术学校",
        ];
        for a in names {
            for b in names {
                let by_key = name_key(a).cmp(&name_key(b)).then_with(|| a.cmp(b));
                assert_eq!(name_cmp(a, b), by_key, "{a:?} vs {b:?}");
            }
        }
    }

    use super::*;

    #[test]
    fn json_keeps_its_values_but_not_their_controls() {
        let value = serde_json::json!({ "name": "a\u{1b}]0;x\u{7}\u{9b}2J\u{7f}\u{202e}b\n石" });
        let raw = serde_json::to_string_pretty(&value).expect("json");
        let safe = escape_json_controls(&raw);
        assert!(
            safe.chars()
                .all(|c| c == '\n' || !(c.is_control() || c == '\u{202e}')),
            "{safe:?}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back, value);
    }

    /// The streaming writer leaves what the whole-text escape leaves, however the text is cut.
    #[test]
    fn the_streaming_escaper_agrees_with_the_whole_text_one() {
        use std::io::Write;
        let value = serde_json::json!({ "name": "a\u{1b}]0;x\u{7}\u{9b}2J\u{7f}\u{202e}b\n石社区\u{feff}" });
        let raw = serde_json::to_string_pretty(&value).expect("json");
        let whole = escape_json_controls(&raw);
        for piece in [1, 2, 3, 5, 64] {
            let mut out = Vec::new();
            let mut safe = JsonControlsEscaper::new(&mut out);
            for chunk in raw.as_bytes().chunks(piece) {
                safe.write_all(chunk).expect("write");
            }
            safe.flush().expect("flush");
            assert_eq!(
                String::from_utf8(out).expect("utf-8"),
                whole,
                "pieces of {piece}"
            );
        }
    }

    #[test]
    fn strips_escapes_and_overrides() {
        assert_eq!(clean("老年\x1b]2;X\x07大学"), "老年]2;X大学");
        assert_eq!(clean("a\x1b[2Jb\u{9b}c"), "a[2Jbc");
        assert_eq!(clean("x\u{202E}y\u{2066}z"), "xyz");
        assert_eq!(clean("line\nnext\ttab"), "line next tab");
        assert_eq!(clean("👨\u{200D}👩"), "👨👩");
        assert!(clean("\x1b]2;X\x07").chars().all(|c| !c.is_control()));
    }

    #[test]
    fn truncates_on_cell_boundaries() {
        assert_eq!(width("石羊塘社区"), 10);
        assert_eq!(truncate("石羊塘社区", 10), "石羊塘社区");
        assert_eq!(truncate("石羊塘社区", 9), "石羊塘社~");
        assert_eq!(truncate("石羊塘社区", 8), "石羊塘~");
        assert_eq!(width(&truncate("石羊塘社区", 8)), 7);
        assert_eq!(fit("石羊塘社区", 8), "石羊塘~ ");
        assert_eq!(width(&fit("a石b", 6)), 6);
        assert_eq!(fit_right("70.0", 6), "  70.0");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn names_sort_by_pinyin() {
        let mut names = vec![
            "新河社区",
            "望江社区",
            "松坡社区",
            "安居社区",
            "青石社区",
            "A区",
        ];
        names.sort_by(|a, b| name_cmp(a, b));
        assert_eq!(
            names,
            vec![
                "A区",
                "安居社区",
                "青石社区",
                "松坡社区",
                "望江社区",
                "新河社区"
            ]
        );
        // Code points alone would put 新 (U+65B0) before 望 (U+671B) before 松 (U+677E).
        assert!("新河" < "望江" && "望江" < "松坡");
        // A shorter name that is the start of a longer one comes first; 西 (xi1) before 仙 (xian1).
        assert_eq!(name_cmp("西", "西湖"), std::cmp::Ordering::Less);
        assert_eq!(name_cmp("西山", "仙山"), std::cmp::Ordering::Less);
        assert_eq!(name_cmp("石", "石"), std::cmp::Ordering::Equal);
    }

    #[test]
    fn neutralises_formulas() {
        assert_eq!(neutralise_formula("=1+1"), "'=1+1");
        assert_eq!(neutralise_formula("@SUM"), "'@SUM");
        assert_eq!(neutralise_formula("-3"), "'-3");
        assert_eq!(neutralise_formula("社区"), "社区");
    }
}

/// Cuts `text` into lines of at most `cells` terminal cells, never through a glyph, at the
/// places the Unicode line-breaking rules (UAX #14) allow: never inside a number (`55`,
/// `33.3%`, `2026-11-30`) or a Latin word, never before closing punctuation (`）`, `，`),
/// between any two Chinese characters otherwise. Only a piece longer than a whole line is cut
/// where it must be.
pub fn wrap(text: &str, cells: usize) -> Vec<String> {
    wrap_keeping(text, cells, &[])
}

/// [`wrap`], and no line break inside any of `keep` (names of people, units, places) where it
/// appears in `text`, unless one is longer than a line.
pub fn wrap_keeping(text: &str, cells: usize, keep: &[&str]) -> Vec<String> {
    use unicode_linebreak::{BreakOpportunity, linebreaks};
    let cells = cells.max(2);
    // Byte ranges no break may fall inside.
    let mut kept: Vec<(usize, usize)> = Vec::new();
    for name in keep.iter().filter(|n| !n.is_empty()) {
        kept.extend(text.match_indices(name).map(|(at, n)| (at, at + n.len())));
    }
    // The pieces between two break opportunities; `true` when a line must end after it.
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut start = 0;
    for (at, kind) in linebreaks(text) {
        let mandatory = kind == BreakOpportunity::Mandatory;
        if !mandatory && kept.iter().any(|&(a, b)| a < at && at < b) {
            continue;
        }
        if at > start {
            pieces.push((&text[start..at], mandatory));
            start = at;
        }
    }
    let mut lines = vec![String::new()];
    let mut used = 0;
    for (piece, mandatory) in pieces {
        let body = piece.trim_end_matches(['\n', '\r']);
        let w = width(body.trim_end_matches(' '));
        if used > 0 && used + w > cells {
            lines.push(String::new());
            used = 0;
        }
        // No space at the start of a line.
        let body = if used == 0 {
            body.trim_start_matches(' ')
        } else {
            body
        };
        if width(body.trim_end_matches(' ')) > cells {
            // A piece longer than a line: cut it by characters.
            for ch in body.chars() {
                let cw = ch.width().unwrap_or(0);
                if used + cw > cells {
                    lines.push(String::new());
                    used = 0;
                }
                if let Some(line) = lines.last_mut() {
                    line.push(ch);
                }
                used += cw;
            }
        } else {
            if let Some(line) = lines.last_mut() {
                line.push_str(body);
            }
            used += width(body);
        }
        if mandatory && !piece.is_empty() && piece != body {
            lines.push(String::new());
            used = 0;
        }
    }
    for line in &mut lines {
        let kept = line.trim_end_matches(' ').len();
        line.truncate(kept);
    }
    if lines.len() > 1 && lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

#[cfg(test)]
mod wrap_tests {
    use super::*;

    #[test]
    fn wraps_on_cells() {
        assert_eq!(wrap("石羊塘社区", 4), vec!["石羊", "塘社", "区"]);
        assert_eq!(wrap("ab石c", 3), vec!["ab", "石c"]);
        assert_eq!(wrap("", 5), vec![""]);
        assert_eq!(
            wrap("planned 10, actual 7", 12),
            vec!["planned 10,", "actual 7"]
        );
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("低于八十，参与", 8), vec!["低于八", "十，参与"]);
        for line in wrap("老年兴趣小组 (planned 20, actual 19) 书法", 9) {
            assert!(width(&line) <= 9, "{line:?}");
        }
    }

    #[test]
    fn numbers_dates_and_closing_punctuation_stay_whole() {
        // Seen on the review at 100×30: `（计划 60，实际 5` then `5）`.
        let text = "参与率低：老年兴趣小组（计划 60，实际 55）";
        for cells in 4..=text.len() {
            let lines = wrap(text, cells);
            for line in &lines {
                assert!(width(line) <= cells.max(2), "{cells}: {line:?}");
                assert!(
                    !line.starts_with('）') && !line.starts_with('，'),
                    "{lines:?}"
                );
            }
            let joined = lines.concat();
            assert!(joined.contains("55") && joined.contains("60"), "{lines:?}");
            assert!(
                lines.iter().any(|l| l.contains("55")),
                "55 split at {cells}: {lines:?}"
            );
            assert!(
                lines.iter().any(|l| l.contains("60")),
                "60 split at {cells}: {lines:?}"
            );
        }
        for cells in 10..40 {
            let lines = wrap("done on 2026-11-30, 33.3% of 120 planned", cells);
            assert!(lines.iter().any(|l| l.contains("2026-11-30")), "{lines:?}");
            assert!(lines.iter().any(|l| l.contains("33.3%")), "{lines:?}");
        }
    }

    #[test]
    fn kept_names_are_never_split() {
        let text = "督办：修缮车棚，责任人 李强，2026-12-15 前";
        for cells in 4..30 {
            let lines = wrap_keeping(text, cells, &["李强"]);
            assert!(
                lines.iter().any(|l| l.contains("李强")),
                "{cells}: {lines:?}"
            );
        }
        // Without the name's protection 李 and 强 may part: the protection is what keeps them.
        assert!((4..30).any(|cells| !wrap(text, cells).iter().any(|l| l.contains("李强"))));
        // Longer than a line: cut all the same, nothing lost.
        assert_eq!(
            wrap_keeping("青石建材市场", 4, &["青石建材市场"]).concat(),
            "青石建材市场"
        );
    }

    #[test]
    fn line_feeds_end_lines() {
        assert_eq!(wrap("ab\ncd", 10), vec!["ab", "cd"]);
    }
}
