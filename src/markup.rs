//! Escaping for text written into XML and HTML (SVG export, highlighted
//! code, the offline site): one implementation so every writer is equally
//! strict about what a note may inject.

/// Escapes text for element content and quoted attribute values, and drops
/// the control characters XML 1.0 forbids (they would make an SVG invalid).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}
