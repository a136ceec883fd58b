//! Line-level scanning shared by the slide splitter, the speaker-notes
//! extractor and sequence notes: where lines are, which ones sit inside a
//! fenced code block, and where `%% ... %%` comments are.
//!
//! Splitting decisions are made per line, so the scan is per line too; it
//! never needs a full Markdown parse, and a `---` inside a code fence or a
//! comment is recognised as content rather than a slide break.

use std::ops::Range;

/// One source line as byte offsets into the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    pub start: usize,
    /// End of the line's content, before `\n` or `\r\n`.
    pub end: usize,
}

/// Byte ranges of every line; a trailing newline does not add an empty line.
pub(crate) fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            let end = if i > start && text.as_bytes()[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            out.push(Line { start, end });
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(Line {
            start,
            end: text.len(),
        });
    }
    out
}

/// What the scan learned about one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct LineInfo {
    /// Part of a fenced code block, its fences included.
    pub code: bool,
    /// The line begins inside a `%%` comment opened on an earlier line.
    pub in_comment: bool,
}

impl LineInfo {
    /// Only such lines can be slide breaks, H2 splits or `Note:` labels.
    pub fn structural(self) -> bool {
        !self.code && !self.in_comment
    }
}

/// A `%% ... %%` comment, possibly spanning lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Comment {
    /// Bytes to hide from the audience, both `%%` included.
    pub range: Range<usize>,
    /// Bytes between the delimiters.
    pub inner: Range<usize>,
    /// 0-based index of the line the comment opens on.
    pub line: usize,
    pub closed: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Scan {
    pub info: Vec<LineInfo>,
    pub comments: Vec<Comment>,
}

/// An opening or closing code fence: the fence character and run length.
fn fence_run(line: &str) -> Option<(u8, usize, &str)> {
    let t = line.trim_start();
    let c = *t.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = t.bytes().take_while(|&b| b == c).count();
    (n >= 3).then(|| (c, n, &t[n..]))
}

/// Scans `lines[from..]`. Fences and comments are tracked from `from` on,
/// so callers start at the first line after the front matter.
pub(crate) fn scan(text: &str, lines: &[Line], from: usize) -> Scan {
    let mut out = Scan {
        info: vec![LineInfo::default(); lines.len()],
        comments: Vec::new(),
    };
    let mut fence: Option<(u8, usize)> = None;
    let mut open_comment: Option<Comment> = None;
    for (i, line) in lines.iter().enumerate().skip(from) {
        let s = &text[line.start..line.end];
        out.info[i].in_comment = open_comment.is_some();
        if open_comment.is_none() {
            if let Some((c, n)) = fence {
                out.info[i].code = true;
                if let Some((c2, n2, rest)) = fence_run(s) {
                    if c2 == c && n2 >= n && rest.trim().is_empty() {
                        fence = None;
                    }
                }
                continue;
            }
            if let Some((c, n, rest)) = fence_run(s) {
                // A backtick fence's info string cannot hold a backtick;
                // such a line is an inline code span instead.
                if c == b'~' || !rest.contains('`') {
                    fence = Some((c, n));
                    out.info[i].code = true;
                    continue;
                }
            }
        }
        comments_in_line(text, line, i, &mut open_comment, &mut out.comments);
    }
    if let Some(mut c) = open_comment {
        c.range.end = text.len();
        c.inner.end = text.len();
        out.comments.push(c);
    }
    out
}

/// Finds `%%` delimiters in one line, skipping inline code spans when
/// outside a comment (`` `%%` `` is code, not a comment).
fn comments_in_line(
    text: &str,
    line: &Line,
    index: usize,
    open: &mut Option<Comment>,
    done: &mut Vec<Comment>,
) {
    let bytes = text.as_bytes();
    let mut i = line.start;
    while i < line.end {
        if let Some(c) = open.as_mut() {
            match text[i..line.end].find("%%") {
                Some(k) => {
                    c.inner.end = i + k;
                    c.range.end = i + k + 2;
                    c.closed = true;
                    i += k + 2;
                    if let Some(c) = open.take() {
                        done.push(c);
                    }
                }
                None => return,
            }
            continue;
        }
        match bytes[i] {
            b'`' => {
                let n = bytes[i..line.end]
                    .iter()
                    .take_while(|&&b| b == b'`')
                    .count();
                i += n;
                if let Some(close) = closing_backticks(&bytes[i..line.end], n) {
                    i += close + n;
                }
            }
            b'%' if bytes.get(i + 1) == Some(&b'%') && i + 1 < line.end => {
                *open = Some(Comment {
                    range: i..i,
                    inner: i + 2..i + 2,
                    line: index,
                    closed: false,
                });
                i += 2;
            }
            _ => i += 1,
        }
    }
}

/// Byte ranges (within `line`) of inline code spans, backticks included.
pub(crate) fn code_spans(line: &str) -> Vec<Range<usize>> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let n = bytes[i..].iter().take_while(|&&b| b == b'`').count();
        match closing_backticks(&bytes[i + n..], n) {
            Some(close) => {
                out.push(i..i + n + close + n);
                i += n + close + n;
            }
            None => i += n,
        }
    }
    out
}

/// Offset of a run of exactly `n` backticks in `rest`.
fn closing_backticks(rest: &[u8], n: usize) -> Option<usize> {
    let mut i = 0;
    while i < rest.len() {
        if rest[i] == b'`' {
            let run = rest[i..].iter().take_while(|&&b| b == b'`').count();
            if run == n {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// Up to three spaces of indentation, as CommonMark allows for block markers.
pub(crate) fn unindent(s: &str) -> Option<&str> {
    let n = s.bytes().take_while(|&b| b == b' ').count();
    (n <= 3).then(|| &s[n..])
}

/// `---` alone on its line (trailing spaces allowed).
pub(crate) fn is_rule(s: &str) -> bool {
    unindent(s).is_some_and(|t| t.trim_end() == "---")
}

/// ATX heading level and text: `## Title ##` gives (2, "Title").
pub(crate) fn atx_heading(s: &str) -> Option<(usize, &str)> {
    let t = unindent(s)?;
    let level = t.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &t[level..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let rest = rest.trim();
    // A closing run of `#` is decoration when a space separates it.
    let stripped = rest.trim_end_matches('#');
    let text = if stripped.is_empty() || stripped.ends_with([' ', '\t']) {
        stripped.trim_end()
    } else {
        rest
    };
    Some((level, text))
}

/// A line that, followed by `---`, makes a setext H2 rather than a break:
/// plain paragraph text (not a list item, quote, heading or table row).
pub(crate) fn is_paragraph_text(s: &str) -> bool {
    let Some(t) = unindent(s) else {
        // Four spaces of indent continue a paragraph as well.
        return !s.trim().is_empty();
    };
    let t = t.trim_end();
    if t.is_empty() || atx_heading(t).is_some() || t.starts_with(['>', '|']) {
        return false;
    }
    if t.starts_with(['-', '*', '+']) && t[1..].starts_with([' ', '\t']) {
        return false;
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    !(digits > 0 && t[digits..].starts_with(['.', ')']))
}
