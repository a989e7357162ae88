//! One line of editable text, as every other program edits it: a prefilled value is selected
//! on entry and replaced by the first typed character, unless the cursor moved first; the cursor
//! moves by character and is placed by display width, so that Chinese text (two columns a
//! character) keeps the terminal cursor, and the input method's window, beside the character.

use crate::text::width;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextInput {
    value: String,
    /// Byte offset of the cursor in `value`, always on a character boundary.
    cursor: usize,
    /// The whole value is selected: the next typed character or paste replaces it, Backspace
    /// or Delete clears it. Set on entering a field that has a value; any movement drops it.
    selected_all: bool,
}

impl TextInput {
    pub fn new(value: impl Into<String>) -> TextInput {
        let value = value.into();
        TextInput {
            cursor: value.len(),
            value,
            selected_all: false,
        }
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn is_selected_all(&self) -> bool {
        self.selected_all
    }

    /// Replaces the whole value, cursor at the end.
    pub fn set(&mut self, value: impl Into<String>) {
        self.value = value.into();
        self.cursor = self.value.len();
        self.selected_all = false;
    }

    /// Entering the field: a value already there is selected, so typing replaces it.
    pub fn focus(&mut self) {
        self.cursor = self.value.len();
        self.selected_all = !self.value.is_empty();
    }

    pub fn insert(&mut self, ch: char) {
        if ch.is_control() {
            return;
        }
        self.take_selection();
        self.value.insert(self.cursor, ch);
        self.cursor += ch.len_utf8();
    }

    /// Pasted text: one line (line breaks and tabs become spaces, other control characters
    /// are dropped).
    pub fn paste(&mut self, text: &str) {
        let line: String = text
            .trim_end_matches(['\r', '\n'])
            .chars()
            .map(|c| {
                if matches!(c, '\n' | '\r' | '\t') {
                    ' '
                } else {
                    c
                }
            })
            .filter(|c| !c.is_control())
            .collect();
        if line.is_empty() {
            return;
        }
        self.take_selection();
        self.value.insert_str(self.cursor, &line);
        self.cursor += line.len();
    }

    pub fn backspace(&mut self) {
        if self.take_selection() {
            return;
        }
        if let Some(prev) = self.prev_boundary() {
            self.value.replace_range(prev..self.cursor, "");
            self.cursor = prev;
        }
    }

    pub fn delete(&mut self) {
        if self.take_selection() {
            return;
        }
        if let Some(next) = self.next_boundary() {
            self.value.replace_range(self.cursor..next, "");
        }
    }

    pub fn clear(&mut self) {
        self.set(String::new());
    }

    pub fn left(&mut self) {
        if self.selected_all {
            // As in other programs, ← on a selection goes to its start.
            self.selected_all = false;
            self.cursor = 0;
            return;
        }
        if let Some(prev) = self.prev_boundary() {
            self.cursor = prev;
        }
    }

    pub fn right(&mut self) {
        self.selected_all = false;
        if let Some(next) = self.next_boundary() {
            self.cursor = next;
        }
    }

    pub fn home(&mut self) {
        self.selected_all = false;
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.selected_all = false;
        self.cursor = self.value.len();
    }

    /// Display columns before the cursor.
    pub fn cursor_column(&self) -> usize {
        width(&self.value[..self.cursor])
    }

    /// Empties the value if it is all selected; says whether it did.
    fn take_selection(&mut self) -> bool {
        if !self.selected_all {
            return false;
        }
        self.selected_all = false;
        self.value.clear();
        self.cursor = 0;
        true
    }

    fn prev_boundary(&self) -> Option<usize> {
        self.value[..self.cursor]
            .char_indices()
            .next_back()
            .map(|(i, _)| i)
    }

    fn next_boundary(&self) -> Option<usize> {
        self.value[self.cursor..]
            .chars()
            .next()
            .map(|c| self.cursor + c.len_utf8())
    }

    /// The part of the value to show in a box `room` columns wide, and the cursor's column in
    /// it: the text scrolls so that the cursor stays inside.
    pub fn window(&self, room: usize) -> (String, usize) {
        let room = room.max(2);
        let at = self.cursor_column();
        if width(&self.value) < room {
            return (self.value.clone(), at);
        }
        // Skip whole characters from the left until the cursor fits, with one column to spare.
        let mut skipped = 0;
        let mut start = 0;
        for (i, ch) in self.value.char_indices() {
            if at - skipped < room {
                break;
            }
            skipped += unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
            start = i + ch.len_utf8();
        }
        let mut shown = String::new();
        let mut used = 0;
        for ch in self.value[start..].chars() {
            let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
            if used + w > room {
                break;
            }
            used += w;
            shown.push(ch);
        }
        (shown, at - skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefilled_value_is_replaced_by_the_first_typed_character() {
        let mut input = TextInput::new("2026-01-01");
        input.focus();
        for ch in "2027-03-31".chars() {
            input.insert(ch);
        }
        assert_eq!(input.value(), "2027-03-31");
    }

    #[test]
    fn moving_first_keeps_the_value_and_edits_at_the_cursor() {
        let mut input = TextInput::new("老年大学");
        input.focus();
        input.end();
        input.left();
        input.left();
        assert_eq!(input.cursor_column(), 4);
        input.insert('兴');
        assert_eq!(input.value(), "老年兴大学");
        assert_eq!(input.cursor_column(), 6);
        input.backspace();
        input.delete();
        assert_eq!(input.value(), "老年学");
        input.home();
        input.delete();
        assert_eq!(input.value(), "年学");
        input.end();
        input.insert('x');
        assert_eq!(input.value(), "年学x");
        assert_eq!(input.cursor_column(), 5);
    }

    #[test]
    fn left_on_a_selection_goes_to_the_start_and_backspace_clears_it() {
        let mut input = TextInput::new("社区");
        input.focus();
        input.left();
        input.insert('新');
        assert_eq!(input.value(), "新社区");
        input.focus();
        input.backspace();
        assert_eq!(input.value(), "");
        input.backspace();
        input.delete();
        input.left();
        input.right();
        assert_eq!(input.value(), "");
    }

    #[test]
    fn paste_is_one_line_at_the_cursor() {
        let mut input = TextInput::new("甲");
        input.paste("乙\n丙\u{7}\r\n");
        assert_eq!(input.value(), "甲乙 丙");
        input.focus();
        input.paste("丁");
        assert_eq!(input.value(), "丁");
    }

    #[test]
    fn a_long_value_scrolls_to_keep_the_cursor_in_the_box() {
        let input = TextInput::new("一二三四五六七八九十");
        let (shown, at) = input.window(9);
        assert!(width(&shown) <= 9, "{shown}");
        assert!(shown.ends_with('十'), "{shown}");
        assert!(at <= 9, "{at}");
        let mut start = input.clone();
        start.home();
        assert_eq!(start.window(9), ("一二三四".to_string(), 0));
    }
}
