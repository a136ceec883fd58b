//! Label measurement without a font engine.
//!
//! Widths come from a per-character advance table (Arial-like metrics for
//! ASCII, 1 em for East-Asian wide characters) scaled up slightly, so boxes
//! sized from it hold the label in egui's font and in browsers' sans-serif
//! fonts alike. Over-estimating by a few percent costs a little whitespace;
//! under-estimating clips text, so the error is deliberately one-sided.

/// Line height as a multiple of the font size.
pub const LINE_HEIGHT: f32 = 1.3;

/// Safety margin over the Arial-like table: system UI fonts (Segoe UI,
/// San Francisco, Noto Sans, egui's Ubuntu) run up to ~5% wider.
const WIDTH_FACTOR: f32 = 1.06;

/// ASCII advance widths for 0x20..=0x7E in 1/1000 em.
const ASCII: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0-9
    278, 278, 584, 584, 584, 556, 1015, // :;<=>?@
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A-M
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N-Z
    278, 278, 278, 469, 556, 333, // [\]^_`
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a-m
    556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n-z
    334, 260, 334, 584, // {|}~
];

/// True for East-Asian Wide and Fullwidth characters (CJK ideographs, kana,
/// hangul, fullwidth forms, CJK punctuation) and wide emoji.
pub fn is_wide(c: char) -> bool {
    let u = c as u32;
    matches!(u,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE10..=0xFE19
        | 0xFE30..=0xFE6F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x2FFFD
        | 0x30000..=0x3FFFD)
}

/// Advance width of one character in em.
pub fn char_em(c: char) -> f32 {
    let u = c as u32;
    let raw = if (0x20..=0x7E).contains(&u) {
        f32::from(ASCII[(u - 0x20) as usize]) / 1000.0
    } else if c == '\t' {
        4.0 * 0.278
    } else if matches!(u, 0x0300..=0x036F | 0x200B..=0x200F | 0xFE00..=0xFE0F | 0xFEFF)
        || c.is_control()
    {
        0.0
    } else if is_wide(c) {
        1.0
    } else if c == '\u{a0}' {
        0.278
    } else {
        // Latin with diacritics, Greek, Cyrillic and symbols are close to
        // an average lower-case letter; round up.
        0.62
    };
    raw * WIDTH_FACTOR
}

/// Width in px of a single line.
pub fn line_width(line: &str, font_px: f32) -> f32 {
    line.chars().map(char_em).sum::<f32>() * font_px
}

/// Size in px of a possibly multi-line (`\n`) label. An empty label has
/// zero width and one line of height.
pub fn text_size(text: &str, font_px: f32) -> (f32, f32) {
    let mut width: f32 = 0.0;
    let mut lines = 0;
    for line in text.split('\n') {
        width = width.max(line_width(line, font_px));
        lines += 1;
    }
    (width, lines as f32 * font_px * LINE_HEIGHT)
}

/// Greedy word wrap to `max_width_px`. Existing `\n` breaks are kept; words
/// wider than the limit are split between characters; CJK text may break
/// between any two wide characters.
pub fn wrap(text: &str, max_width_px: f32, font_px: f32) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split('\n') {
        wrap_line(para, max_width_px, font_px, &mut out);
    }
    out
}

fn wrap_line(para: &str, max: f32, font_px: f32, out: &mut Vec<String>) {
    // Tokens: (text, needs a space before it when joined).
    let mut tokens: Vec<(String, bool)> = Vec::new();
    let mut cur = String::new();
    let mut space_before = false;
    for c in para.chars() {
        if c == ' ' {
            if !cur.is_empty() {
                tokens.push((std::mem::take(&mut cur), space_before));
            }
            space_before = true;
        } else if is_wide(c) {
            if !cur.is_empty() {
                tokens.push((std::mem::take(&mut cur), space_before));
                space_before = false;
            }
            tokens.push((c.to_string(), space_before));
            space_before = false;
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        tokens.push((cur, space_before));
    }
    if tokens.is_empty() {
        out.push(String::new());
        return;
    }
    let space = char_em(' ') * font_px;
    let mut line = String::new();
    let mut width = 0.0;
    for (tok, sp) in tokens {
        let tw = line_width(&tok, font_px);
        let extra = if sp && !line.is_empty() { space } else { 0.0 };
        if line.is_empty() || width + extra + tw <= max {
            if sp && !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&tok);
            width += extra + tw;
        } else {
            out.push(std::mem::take(&mut line));
            line.push_str(&tok);
            width = tw;
        }
        // An over-long word on its own line is cut between characters.
        while width > max && line.chars().count() > 1 {
            let mut acc = 0.0;
            let mut cut = 0;
            for (i, c) in line.char_indices() {
                let w = char_em(c) * font_px;
                if acc + w > max && i > 0 {
                    cut = i;
                    break;
                }
                acc += w;
            }
            if cut == 0 {
                break;
            }
            let rest = line.split_off(cut);
            out.push(std::mem::replace(&mut line, rest));
            width = line_width(&line, font_px);
        }
    }
    out.push(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_letters_are_narrower_than_wide_ones() {
        assert!(line_width("iiii", 16.0) < line_width("MMMM", 16.0));
    }

    #[test]
    fn cjk_is_one_em_per_char() {
        let w = line_width("流程图", 10.0);
        assert!((w - 30.0 * WIDTH_FACTOR).abs() < 0.01, "{w}");
    }

    #[test]
    fn fullwidth_forms_are_wide() {
        assert!(is_wide('Ａ'));
        assert!(is_wide('，'));
        assert!(!is_wide('A'));
    }

    #[test]
    fn multi_line_size_uses_widest_line_and_counts_lines() {
        let (w, h) = text_size("a\nlonger line\nb", 10.0);
        assert!((w - line_width("longer line", 10.0)).abs() < 1e-4);
        assert!((h - 3.0 * 10.0 * LINE_HEIGHT).abs() < 1e-4);
    }

    #[test]
    fn empty_text_has_one_line_of_height() {
        let (w, h) = text_size("", 12.0);
        assert_eq!(w, 0.0);
        assert!(h > 0.0);
    }

    #[test]
    fn combining_marks_take_no_space() {
        assert_eq!(line_width("e\u{301}", 10.0), line_width("e", 10.0));
    }

    #[test]
    fn average_latin_text_is_about_half_an_em() {
        // Typical English text in a sans-serif font averages ~0.5 em.
        let s = "The quick brown fox jumps over the lazy dog";
        let per_char = line_width(s, 1.0) / s.len() as f32;
        assert!((0.42..0.6).contains(&per_char), "{per_char}");
    }

    #[test]
    fn wrap_breaks_between_words() {
        let lines = wrap(
            "alpha beta alpha beta",
            line_width("alpha beta", 14.0) + 0.1,
            14.0,
        );
        assert_eq!(lines, vec!["alpha beta", "alpha beta"]);
    }

    #[test]
    fn wrap_keeps_explicit_newlines() {
        assert_eq!(wrap("a\nb", 1000.0, 14.0), vec!["a", "b"]);
    }

    #[test]
    fn wrap_splits_overlong_words() {
        let lines = wrap(
            "abcdefghijklmnopqrstuvwxyz",
            line_width("abcdefgh", 10.0),
            10.0,
        );
        assert!(lines.len() >= 3, "{lines:?}");
        for l in &lines {
            assert!(line_width(l, 10.0) <= line_width("abcdefgh", 10.0) + 0.01);
        }
        assert_eq!(lines.concat(), "abcdefghijklmnopqrstuvwxyz");
    }

    #[test]
    fn wrap_breaks_cjk_anywhere_without_adding_spaces() {
        let lines = wrap(
            "并发陷阱与通道泄漏",
            line_width("并发陷阱", 10.0) + 0.1,
            10.0,
        );
        assert_eq!(lines, vec!["并发陷阱", "与通道泄", "漏"]);
    }

    #[test]
    fn wrap_never_returns_nothing() {
        assert_eq!(wrap("", 10.0, 10.0), vec![String::new()]);
        assert_eq!(wrap("x", 0.0, 10.0), vec!["x".to_string()]);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn wrap_keeps_every_character_and_respects_the_width(
                text in "[a-z 并发通道]{0,80}",
                max in 20.0f32..300.0,
            ) {
                let lines = wrap(&text, max, 14.0);
                let kept: String = lines.concat().chars().filter(|c| *c != ' ').collect();
                let orig: String = text.chars().filter(|c| *c != ' ').collect();
                prop_assert_eq!(kept, orig);
                for l in &lines {
                    prop_assert!(l.chars().count() <= 1 || line_width(l, 14.0) <= max + 0.01, "{:?}", l);
                }
            }

            #[test]
            fn text_size_never_panics_and_is_finite(text in "\\PC{0,60}", px in 1.0f32..64.0) {
                let (w, h) = text_size(&text, px);
                prop_assert!(w.is_finite() && h.is_finite() && w >= 0.0 && h > 0.0);
            }
        }
    }
}
