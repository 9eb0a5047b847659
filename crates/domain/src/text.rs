//! Text people type: which characters a field may hold, and how a refused value is shown back.

/// The first character `value` may not hold: any control character (NUL, escape, DEL, the C1
/// block…), except tabs and line breaks in a field of several lines. PostgreSQL refuses NUL
/// outright, and the others corrupt what is displayed, exported and logged.
pub fn forbidden_char(value: &str, multiline: bool) -> Option<char> {
    value
        .chars()
        .find(|&c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
}

/// `value` with each control character written as its code (`U+0000`), to show a visitor
/// what they sent.
pub fn visible(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if c.is_control() {
                format!("U+{:04X}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `value` without the characters [`forbidden_char`] refuses.
pub fn without_forbidden(value: &str, multiline: bool) -> String {
    value
        .chars()
        .filter(|&c| !(c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t'))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_but_line_breaks_in_text() {
        assert_eq!(forbidden_char("Балапан", false), None);
        assert_eq!(forbidden_char("Бала\0пан", false), Some('\0'));
        assert_eq!(forbidden_char("a\u{7f}", false), Some('\u{7f}'));
        assert_eq!(forbidden_char("a\u{85}", true), Some('\u{85}'));
        assert_eq!(forbidden_char("a\u{1b}[31m", true), Some('\u{1b}'));
        assert_eq!(forbidden_char("line\r\nline\tx", false), Some('\r'));
        assert_eq!(forbidden_char("line\r\nline\tx", true), None);
        assert_eq!(visible("a\0b\n"), "aU+0000bU+000A");
        assert_eq!(without_forbidden("a\0b\nc", true), "ab\nc");
        assert_eq!(without_forbidden("a\0b\nc", false), "abc");
    }
}
