//! Parsing of note text: links, tags, headings, front matter and code regions.
//!
//! Every function works on arbitrary input without panicking; all returned
//! byte ranges lie inside the text on char boundaries.

use std::collections::HashMap;
use std::ops::Range;

use percent_encoding::percent_decode_str;

use super::Heading;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// `[[Note]]`
    Wiki,
    /// `![[Note]]`
    Embed,
    /// `[text](path.md)` (also `![alt](path)`)
    Markdown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub kind: LinkKind,
    /// Decoded target without `#heading`; for Markdown links the relative
    /// path as written (percent-decoded). Empty for same-note refs like
    /// `[[#Heading]]`.
    pub target: String,
    pub heading: Option<String>,
    pub alias: Option<String>,
    /// Bytes of the whole link in the text.
    pub span: Range<usize>,
    /// Bytes of the target part as written (still encoded), for rewriting.
    pub target_span: Range<usize>,
    /// 1-based.
    pub line: usize,
    /// 1-based, in chars.
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub aliases: Vec<String>,
    pub tags: Vec<String>,
    /// Bytes of the whole block including both `---` lines.
    pub range: Range<usize>,
}

/// Maps byte offsets to 1-based line and char column.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    pub(crate) fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line.saturating_sub(1)];
        let col = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line.max(1), col + 1)
    }
}

/// Line and column of a byte offset without building an index.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_boundary(text, offset);
    let before = &text[..offset];
    let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |p| p + 1);
    (line, text[start..offset].chars().count() + 1)
}

/// The full line containing `offset`, without its line break.
pub(crate) fn line_at(text: &str, offset: usize) -> Range<usize> {
    let offset = floor_boundary(text, offset);
    let start = text[..offset].rfind('\n').map_or(0, |p| p + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |p| offset + p);
    let end = if end > start && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    start..end
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Whether `pos` lies in one of the sorted, disjoint `ranges`.
pub(crate) fn in_ranges(ranges: &[Range<usize>], pos: usize) -> bool {
    let i = ranges.partition_point(|r| r.start <= pos);
    i > 0 && ranges[i - 1].end > pos
}

/// Whether `span` overlaps one of the sorted, disjoint `ranges`.
pub(crate) fn overlaps(ranges: &[Range<usize>], span: &Range<usize>) -> bool {
    let i = ranges.partition_point(|r| r.end <= span.start);
    i < ranges.len() && ranges[i].start < span.end
}

/// Lines as (start, end-without-newline, next-line-start).
fn lines(text: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let (end, next) = match text[start..].find('\n') {
            Some(p) => (start + p, start + p + 1),
            None => (text.len(), text.len()),
        };
        pos = next;
        let end = if end > start && text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        Some((start, end, next))
    })
}

/// Strips the indentation and blockquote markers a fence may sit behind.
fn fence_prefix_len(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t', '>']).len()
}

/// Fenced code blocks and inline code spans, sorted and disjoint.
pub fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut pos = 0;
    for block in fenced_blocks(text) {
        inline_spans(text, pos, block.start, &mut out);
        pos = block.end;
        out.push(block);
    }
    inline_spans(text, pos, text.len(), &mut out);
    out
}

fn fenced_blocks(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    // (fence char, fence length, block start)
    let mut open: Option<(u8, usize, usize)> = None;
    for (start, end, _) in lines(text) {
        let line = &text[start..end];
        let rest = &line[fence_prefix_len(line)..];
        let bytes = rest.as_bytes();
        let ch = match bytes.first() {
            Some(&c @ (b'`' | b'~')) => c,
            _ => continue,
        };
        let run = bytes.iter().take_while(|&&b| b == ch).count();
        match open {
            None => {
                // Backtick fences cannot have backticks in their info string,
                // otherwise "```x```" inline code would open a block.
                if run >= 3 && !(ch == b'`' && rest[run..].contains('`')) {
                    open = Some((ch, run, start));
                }
            }
            Some((c, len, block_start)) => {
                if ch == c && run >= len && rest[run..].trim().is_empty() {
                    out.push(block_start..end.max(block_start));
                    open = None;
                }
            }
        }
    }
    if let Some((_, _, block_start)) = open {
        out.push(block_start..text.len());
    }
    out
}

fn run_len(b: &[u8], i: usize, to: usize, ch: u8) -> usize {
    b[i..to].iter().take_while(|&&x| x == ch).count()
}

/// Inline code spans in `from..to`: a backtick run closed by a run of the
/// same length within the same paragraph.
fn inline_spans(text: &str, from: usize, to: usize, out: &mut Vec<Range<usize>>) {
    let b = text.as_bytes();
    let mut i = from;
    while i < to {
        match b[i..to].iter().position(|&c| c == b'`') {
            Some(p) => i += p,
            None => break,
        }
        if i > from && b[i - 1] == b'\\' {
            i += 1;
            continue;
        }
        let run = run_len(b, i, to, b'`');
        let mut j = i + run;
        let mut blank = false;
        let mut close = None;
        while j < to {
            match b[j] {
                b'`' => {
                    let r = run_len(b, j, to, b'`');
                    if r == run {
                        close = Some(j + r);
                        break;
                    }
                    j += r;
                    blank = false;
                }
                b'\n' => {
                    if blank {
                        break;
                    }
                    blank = true;
                    j += 1;
                }
                b' ' | b'\t' | b'\r' => j += 1,
                _ => {
                    blank = false;
                    j += 1;
                }
            }
        }
        match close {
            Some(end) => {
                out.push(i..end);
                i = end;
            }
            None => i += run,
        }
    }
}

/// All note links outside code.
pub fn parse_links(text: &str) -> Vec<Link> {
    let code = code_ranges(text);
    parse_links_with(text, &code)
}

pub(crate) fn parse_links_with(text: &str, code: &[Range<usize>]) -> Vec<Link> {
    let b = text.as_bytes();
    let lines = LineIndex::new(text);
    let mut out = Vec::new();
    let mut ci = 0;
    let mut i = 0;
    while i < b.len() {
        // Only these bytes can start a link or an escape.
        match b[i..]
            .iter()
            .position(|&c| matches!(c, b'[' | b'!' | b'\\'))
        {
            Some(p) => i += p,
            None => break,
        }
        while ci < code.len() && code[ci].end <= i {
            ci += 1;
        }
        if ci < code.len() && code[ci].start <= i {
            i = code[ci].end.max(i + 1);
            continue;
        }
        let parsed = match b[i] {
            b'\\' => {
                i += 2;
                continue;
            }
            b'!' if b[i + 1..].starts_with(b"[[") => parse_wiki(text, i, true),
            b'[' if b[i + 1..].starts_with(b"[") => {
                parse_wiki(text, i, false).or_else(|| parse_markdown(text, i + 1, false))
            }
            b'!' if b.get(i + 1) == Some(&b'[') => parse_markdown(text, i, true),
            b'[' => parse_markdown(text, i, false),
            _ => None,
        };
        match parsed {
            Some(mut link) if !overlaps(code, &link.span) => {
                let (line, col) = lines.line_col(text, link.span.start);
                link.line = line;
                link.col = col;
                i = link.span.end;
                out.push(link);
            }
            _ => i += 1,
        }
    }
    out
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// `[[...]]` or `![[...]]` starting at `start`.
fn parse_wiki(text: &str, start: usize, embed: bool) -> Option<Link> {
    let open = if embed { start + 1 } else { start };
    let inner_start = open + 2;
    let rest = text.get(inner_start..)?;
    let mut close = None;
    let rb = rest.as_bytes();
    let mut k = 0;
    while k < rb.len() {
        match rb[k] {
            b'\n' => return None,
            b'[' if rb.get(k + 1) == Some(&b'[') => return None,
            b']' if rb.get(k + 1) == Some(&b']') => {
                close = Some(k);
                break;
            }
            _ => {}
        }
        k += 1;
    }
    let close = close?;
    let inner = &rest[..close];
    if inner.trim().is_empty() {
        return None;
    }
    let (target_part, alias) = match inner.find('|') {
        Some(p) => {
            // Inside tables the pipe is escaped as `\|`.
            let end = if p > 0 && inner.as_bytes()[p - 1] == b'\\' {
                p - 1
            } else {
                p
            };
            (&inner[..end], non_empty(&inner[p + 1..]))
        }
        None => (inner, None),
    };
    let (target_raw, heading) = match target_part.find('#') {
        Some(h) => (&target_part[..h], non_empty(&target_part[h + 1..])),
        None => (target_part, None),
    };
    let lead = target_raw.len() - target_raw.trim_start().len();
    let target = target_raw.trim();
    let ts = inner_start + lead;
    Some(Link {
        kind: if embed {
            LinkKind::Embed
        } else {
            LinkKind::Wiki
        },
        target: target.to_string(),
        heading,
        alias,
        span: start..inner_start + close + 2,
        target_span: ts..ts + target.len(),
        line: 0,
        col: 0,
    })
}

/// Whether a Markdown destination points outside the vault.
fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    let scheme_len = dest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        .count();
    scheme_len > 0
        && dest.as_bytes()[0].is_ascii_alphabetic()
        && dest.as_bytes().get(scheme_len) == Some(&b':')
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// `[text](dest)` with `[` at `bracket` (or `![alt](dest)` when `bang`).
fn parse_markdown(text: &str, start: usize, bang: bool) -> Option<Link> {
    let b = text.as_bytes();
    let bracket = if bang { start + 1 } else { start };
    let mut depth = 0usize;
    let mut j = bracket;
    loop {
        match *b.get(j)? {
            b'\\' => j += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            b'\n' => return None,
            _ => {}
        }
        j += 1;
    }
    if b.get(j + 1) != Some(&b'(') {
        return None;
    }
    let mut k = j + 2;
    while matches!(b.get(k), Some(b' ' | b'\t')) {
        k += 1;
    }
    let (dest_start, dest_end);
    if b.get(k) == Some(&b'<') {
        dest_start = k + 1;
        let len = text[dest_start..].find(['>', '\n'])?;
        dest_end = dest_start + len;
        if b[dest_end] != b'>' {
            return None;
        }
        k = dest_end + 1;
    } else {
        dest_start = k;
        let mut parens = 0usize;
        while let Some(&c) = b.get(k) {
            match c {
                b' ' | b'\t' | b'\n' | b'\r' => break,
                b'\\' => {
                    k += 2;
                    continue;
                }
                b'(' => parens += 1,
                b')' => {
                    if parens == 0 {
                        break;
                    }
                    parens -= 1;
                }
                _ => {}
            }
            k += 1;
        }
        k = k.min(b.len());
        dest_end = k;
    }
    while matches!(b.get(k), Some(b' ' | b'\t')) {
        k += 1;
    }
    if let Some(&q @ (b'"' | b'\'' | b'(')) = b.get(k) {
        let closer = if q == b'(' { b')' } else { q };
        let len = b[k + 1..].iter().position(|&c| c == closer)?;
        k += len + 2;
        while matches!(b.get(k), Some(b' ' | b'\t')) {
            k += 1;
        }
    }
    if b.get(k) != Some(&b')') {
        return None;
    }
    let raw = text.get(dest_start..dest_end)?;
    if raw.is_empty() || is_external(raw) {
        return None;
    }
    let (path_raw, frag) = match raw.find('#') {
        Some(h) => (&raw[..h], Some(&raw[h + 1..])),
        None => (raw, None),
    };
    Some(Link {
        kind: LinkKind::Markdown,
        target: decode(path_raw),
        heading: frag.map(decode).and_then(|h| non_empty(&h)),
        alias: None,
        span: start..k + 1,
        target_span: dest_start..dest_start + path_raw.len(),
        line: 0,
        col: 0,
    })
}

/// `#tag` and `#nested/tag` outside code, front matter and headings. Like
/// Obsidian, a tag needs at least one non-digit character (`#123` is not one).
/// Names are returned without `#`; ranges cover `#name`.
pub fn parse_tags(text: &str) -> Vec<(String, Range<usize>)> {
    let code = code_ranges(text);
    let fm_end = front_matter(text).map_or(0, |f| f.range.end);
    parse_tags_with(text, &code, fm_end)
}

pub(crate) fn parse_tags_with(
    text: &str,
    code: &[Range<usize>],
    fm_end: usize,
) -> Vec<(String, Range<usize>)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = fm_end.min(b.len());
    while let Some(p) = b[i..].iter().position(|&c| c == b'#') {
        let at = i + p;
        i = at + 1;
        let boundary = text[..at]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
        if !boundary || in_ranges(code, at) {
            continue;
        }
        let len: usize = text[at + 1..]
            .chars()
            .take_while(|&d| d.is_alphanumeric() || matches!(d, '_' | '-' | '/'))
            .map(char::len_utf8)
            .sum();
        let end = at + 1 + len;
        i = end;
        let name = text[at + 1..end].trim_end_matches('/');
        if !name.is_empty() && !name.starts_with('/') && !name.chars().all(|c| c.is_ascii_digit()) {
            out.push((name.to_string(), at..at + 1 + name.len()));
        }
    }
    out
}

/// GitHub-style heading anchor: lowercase, spaces to `-`, punctuation dropped.
pub fn slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// ATX headings (`# ...` to `###### ...`) outside code and front matter.
/// Repeated anchors get `-1`, `-2` suffixes like GitHub.
pub fn parse_headings(text: &str) -> Vec<Heading> {
    let code = code_ranges(text);
    let fm_end = front_matter(text).map_or(0, |f| f.range.end);
    parse_headings_with(text, &code, fm_end)
}

pub(crate) fn parse_headings_with(
    text: &str,
    code: &[Range<usize>],
    fm_end: usize,
) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (n, (start, end, _)) in lines(text).enumerate() {
        let line = &text[start..end];
        if !line.trim_start_matches(' ').starts_with('#')
            || start < fm_end
            || in_ranges(code, start)
        {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > 3 {
            continue;
        }
        let rest = &line[indent..];
        let level = rest.bytes().take_while(|&b| b == b'#').count();
        if !(1..=6).contains(&level) {
            continue;
        }
        let after = &rest[level..];
        if !(after.is_empty() || after.starts_with([' ', '\t'])) {
            continue;
        }
        let mut body = after.trim();
        // A closing run of '#' is decoration, unless it is the whole text.
        let stripped = body.trim_end_matches('#');
        if stripped.is_empty() || stripped.ends_with([' ', '\t']) {
            body = stripped.trim_end();
        }
        let base = slug(body);
        let count = seen.entry(base.clone()).or_insert(0);
        let anchor = if *count == 0 {
            base
        } else {
            format!("{base}-{count}")
        };
        *count += 1;
        out.push(Heading {
            level: level as u8,
            text: body.to_string(),
            anchor,
            line: n + 1,
        });
    }
    out
}

/// A leading `---` YAML block. Only the subset notes use is understood:
/// `key: value`, `key: [a, b]`, block lists and quoted strings; the keys
/// `title`, `aliases`/`alias` and `tags`/`tag` are read.
pub fn front_matter(text: &str) -> Option<FrontMatter> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[bom..];
    let first = if body.starts_with("---\n") {
        4
    } else if body.starts_with("---\r\n") {
        5
    } else {
        return None;
    };
    let body_start = bom + first;
    let mut close = None;
    for (start, end, next) in lines(&text[body_start..]) {
        let l = text[body_start + start..body_start + end].trim_end();
        if l == "---" || l == "..." {
            close = Some((body_start + start, body_start + next));
            break;
        }
    }
    let (yaml_end, end) = close?;
    let mut fm = FrontMatter {
        range: 0..end,
        ..FrontMatter::default()
    };
    let mut list_key: Option<String> = None;
    for line in text[body_start..yaml_end].lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(item) = trimmed.strip_prefix('-') {
            if item.is_empty() || item.starts_with([' ', '\t']) {
                if let Some(key) = &list_key {
                    let v = unquote(item.trim());
                    assign(&mut fm, key, vec![v]);
                }
                continue;
            }
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        list_key = None;
        let colon = line.char_indices().find(|&(i, c)| {
            c == ':'
                && line[i + 1..]
                    .chars()
                    .next()
                    .is_none_or(|d| d == ' ' || d == '\t')
        });
        let Some((colon, _)) = colon else { continue };
        let key = line[..colon].trim().to_lowercase();
        let value = line[colon + 1..].trim();
        if value.is_empty() {
            list_key = Some(key);
            continue;
        }
        let items = if value.starts_with('[') && value.ends_with(']') && value.len() >= 2 {
            split_flow(&value[1..value.len() - 1])
        } else {
            vec![unquote(value)]
        };
        assign(&mut fm, &key, items);
    }
    Some(fm)
}

fn assign(fm: &mut FrontMatter, key: &str, items: Vec<String>) {
    let items = items.into_iter().filter(|s| !s.is_empty());
    match key {
        "title" => {
            if let Some(t) = items.into_iter().next() {
                fm.title = Some(t);
            }
        }
        "aliases" | "alias" => fm.aliases.extend(items),
        "tags" | "tag" => {
            for item in items {
                // `tags: a, b` and `tags: a b` are both common in the wild.
                for t in item.split([',', ' ']) {
                    let t = t.trim().trim_start_matches('#');
                    if !t.is_empty() {
                        fm.tags.push(t.to_string());
                    }
                }
            }
        }
        _ => {}
    }
}

/// Items of a YAML flow list body, honouring quotes.
fn split_flow(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ',') => {
                out.push(unquote(s[start..i].trim()));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(unquote(s[start..].trim()));
    out
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        let mut out = String::new();
        let mut chars = v[1..v.len() - 1].chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(o) => out.push(o),
                    None => out.push('\\'),
                }
            } else {
                out.push(c);
            }
        }
        out
    } else if v.len() >= 2 && v.starts_with('\'') && v.ends_with('\'') {
        v[1..v.len() - 1].replace("''", "'")
    } else {
        // An unquoted scalar ends at a YAML comment.
        match v.find(" #") {
            Some(p) => v[..p].trim_end().to_string(),
            None => v.to_string(),
        }
    }
}
