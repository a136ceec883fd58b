//! Label text: entity codes, `<br>` line breaks, simple HTML emphasis and
//! Mermaid markdown strings, all turned into lines of formatted spans.

use crate::diagram::model::{Label, Span};

/// Decodes raw label text. `markdown` is true for Mermaid markdown strings
/// (`"` + backtick ... backtick + `"`), where `**bold**`, `*italic*` and raw
/// newlines are meaningful.
pub fn decode_label(raw: &str, markdown: bool) -> Label {
    let mut b = Builder::default();
    let chars: Vec<char> = raw.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\r' {
            i += 1;
            continue;
        }
        if c == '\n' {
            b.newline();
            i += 1;
            // Markdown strings are usually indented with the diagram; the
            // indentation is not part of the text.
            while i < chars.len() && (chars[i] == ' ' || chars[i] == '\t') {
                i += 1;
            }
            continue;
        }
        if c == '<' {
            if let Some((tag, closing, len)) = html_tag(&chars[i..]) {
                match tag.as_str() {
                    "br" => b.newline(),
                    "b" | "strong" => b.bold = !closing,
                    "i" | "em" => b.italic = !closing,
                    _ => {}
                }
                i += len;
                continue;
            }
        }
        if c == '#' || c == '&' {
            if let Some((decoded, len)) = entity(&chars[i..]) {
                b.push(decoded);
                i += len;
                continue;
            }
        }
        if markdown && (c == '*' || c == '_') {
            let double = chars.get(i + 1) == Some(&c);
            if double {
                b.bold = !b.bold;
                i += 2;
            } else {
                b.italic = !b.italic;
                i += 1;
            }
            continue;
        }
        b.push(c);
        i += 1;
    }
    let mut label = b.finish();
    label.markdown = markdown;
    label
}

#[derive(Default)]
struct Builder {
    lines: Vec<Vec<Span>>,
    cur: Vec<Span>,
    bold: bool,
    italic: bool,
}

impl Builder {
    fn push(&mut self, c: char) {
        match self.cur.last_mut() {
            Some(s) if s.bold == self.bold && s.italic == self.italic => s.text.push(c),
            _ => self.cur.push(Span {
                text: c.to_string(),
                bold: self.bold,
                italic: self.italic,
            }),
        }
    }

    fn newline(&mut self) {
        let line = std::mem::take(&mut self.cur);
        self.lines.push(line);
    }

    fn finish(mut self) -> Label {
        self.newline();
        let mut lines: Vec<Vec<Span>> = self.lines.into_iter().map(trim_line).collect();
        // Leading/trailing blank lines come from the layout of the source,
        // not from the author's intent.
        while lines.len() > 1 && lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        while lines.len() > 1 && lines.first().is_some_and(|l| l.is_empty()) {
            lines.remove(0);
        }
        Label {
            lines,
            markdown: false,
        }
    }
}

fn trim_line(mut spans: Vec<Span>) -> Vec<Span> {
    if let Some(first) = spans.first_mut() {
        first.text = first.text.trim_start().to_string();
    }
    if let Some(last) = spans.last_mut() {
        last.text = last.text.trim_end().to_string();
    }
    spans.retain(|s| !s.text.is_empty());
    spans
}

/// Recognises the HTML tags Mermaid labels commonly use. Returns the
/// lower-case tag name, whether it is a closing tag, and its length.
fn html_tag(chars: &[char]) -> Option<(String, bool, usize)> {
    const KNOWN: &[&str] = &[
        "br", "b", "strong", "i", "em", "u", "s", "span", "a", "p", "div", "code", "sub", "sup",
        "small", "big", "font", "center",
    ];
    let end = chars.iter().take(200).position(|&c| c == '>')?;
    let inner: String = chars[1..end].iter().collect();
    let inner = inner.trim();
    let (closing, rest) = match inner.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, inner),
    };
    let rest = rest.trim_end_matches('/').trim_end();
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    let after = &rest[name.len()..];
    if !KNOWN.contains(&name.as_str()) || !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    Some((name, closing, end + 1))
}

/// Decodes `#name;`, `#123;` (Mermaid's entity syntax) and the HTML forms
/// `&name;`, `&#123;`, `&#x1F600;`.
fn entity(chars: &[char]) -> Option<(char, usize)> {
    let semi = chars.iter().take(12).position(|&c| c == ';')?;
    if semi < 2 {
        return None;
    }
    let body: String = chars[1..semi].iter().collect();
    let len = semi + 1;
    let numeric = body.strip_prefix('#').filter(|_| chars[0] == '&');
    let numeric = numeric.or(if chars[0] == '#' {
        Some(&body[..])
    } else {
        None
    });
    if let Some(num) = numeric {
        let code = if let Some(hex) = num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
            u32::from_str_radix(hex, 16).ok()
        } else if num.chars().all(|c| c.is_ascii_digit()) {
            num.parse::<u32>().ok()
        } else {
            None
        };
        if let Some(code) = code {
            return char::from_u32(code).map(|c| (c, len));
        }
    }
    let c = match body.as_str() {
        "quot" => '"',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "laquo" => '«',
        "raquo" => '»',
        "deg" => '°',
        "plusmn" => '±',
        "times" => '×',
        "divide" => '÷',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "harr" => '↔',
        "hearts" => '♥',
        "infin" => '∞',
        "ne" => '≠',
        "le" => '≤',
        "ge" => '≥',
        "semi" => ';',
        "colon" => ':',
        "num" => '#',
        "lpar" => '(',
        "rpar" => ')',
        "lsqb" => '[',
        "rsqb" => ']',
        "lcub" => '{',
        "rcub" => '}',
        "vert" => '|',
        _ => return None,
    };
    Some((c, len))
}
