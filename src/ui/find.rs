//! Find/replace over an editor buffer. Pure string logic so it is unit-tested
//! without a window; the editor maps byte ranges to cursor positions.

use std::ops::Range;

fn chars_eq(a: char, b: char, match_case: bool) -> bool {
    a == b || (!match_case && a.to_lowercase().eq(b.to_lowercase()))
}

/// Non-overlapping byte ranges of `needle` in `hay`, left to right.
pub fn find_all(hay: &str, needle: &str, match_case: bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if needle.is_empty() {
        return out;
    }
    if match_case {
        return hay
            .match_indices(needle)
            .map(|(i, m)| i..i + m.len())
            .collect();
    }
    let needle: Vec<char> = needle.chars().collect();
    let hay_chars: Vec<(usize, char)> = hay.char_indices().collect();
    let mut i = 0;
    while i + needle.len() <= hay_chars.len() {
        let hit = needle
            .iter()
            .zip(&hay_chars[i..])
            .all(|(n, (_, h))| chars_eq(*h, *n, false));
        if hit {
            let start = hay_chars[i].0;
            let end = hay_chars
                .get(i + needle.len())
                .map_or(hay.len(), |(b, _)| *b);
            out.push(start..end);
            i += needle.len();
        } else {
            i += 1;
        }
    }
    out
}

/// Replaces every match; returns the new text and how many were replaced.
pub fn replace_all(hay: &str, needle: &str, with: &str, match_case: bool) -> (String, usize) {
    let hits = find_all(hay, needle, match_case);
    let mut out = String::with_capacity(hay.len());
    let mut last = 0;
    for r in &hits {
        out.push_str(&hay[last..r.start]);
        out.push_str(with);
        last = r.end;
    }
    out.push_str(&hay[last..]);
    (out, hits.len())
}

/// Index of the match to go to from a cursor at byte `at`: the first match
/// starting at/after it going forward, the last one ending before it going back.
pub fn next_index(hits: &[Range<usize>], at: usize, forward: bool) -> Option<usize> {
    if hits.is_empty() {
        return None;
    }
    if forward {
        Some(hits.iter().position(|r| r.start >= at).unwrap_or(0))
    } else {
        Some(
            hits.iter()
                .rposition(|r| r.end < at)
                .unwrap_or(hits.len() - 1),
        )
    }
}

pub fn char_to_byte(text: &str, char_index: usize) -> usize {
    text.char_indices()
        .nth(char_index)
        .map_or(text.len(), |(b, _)| b)
}

pub fn byte_to_char(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].chars().count()
}

/// Byte offset of the start of 1-based `line` (clamped to the text).
pub fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_case_sensitive_and_insensitive() {
        assert_eq!(find_all("Go go GO", "go", true), vec![3..5]);
        assert_eq!(find_all("Go go GO", "go", false), vec![0..2, 3..5, 6..8]);
        assert_eq!(find_all("aaaa", "aa", true), vec![0..2, 2..4]);
        assert!(find_all("abc", "", false).is_empty());
    }

    #[test]
    fn multibyte_ranges_are_char_boundaries() {
        let text = "通道 Chan 通道 chan";
        let hits = find_all(text, "CHAN", false);
        assert_eq!(hits.len(), 2);
        for r in &hits {
            assert!(text[r.clone()].eq_ignore_ascii_case("chan"));
        }
        assert_eq!(find_all(text, "通道", true).len(), 2);
    }

    #[test]
    fn replace_all_counts_and_rewrites() {
        assert_eq!(
            replace_all("a-b-c", "-", "+", true),
            ("a+b+c".to_string(), 2)
        );
        assert_eq!(
            replace_all("Wait wait", "WAIT", "x", false),
            ("x x".to_string(), 2)
        );
        assert_eq!(
            replace_all("none", "z", "y", false),
            ("none".to_string(), 0)
        );
    }

    #[test]
    fn next_and_previous_wrap_around() {
        let hits = vec![0..1, 5..6, 9..10];
        assert_eq!(next_index(&hits, 2, true), Some(1));
        assert_eq!(next_index(&hits, 11, true), Some(0));
        assert_eq!(next_index(&hits, 5, false), Some(0));
        assert_eq!(next_index(&hits, 0, false), Some(2));
        assert_eq!(next_index(&[], 0, true), None);
    }

    #[test]
    fn offsets_convert_both_ways() {
        let t = "é\n中b\nc";
        assert_eq!(char_to_byte(t, 3), 6);
        assert_eq!(byte_to_char(t, 6), 3);
        assert_eq!(line_start(t, 2), 3);
        assert_eq!(line_start(t, 3), 8);
        assert_eq!(line_start(t, 99), t.len());
    }
}
