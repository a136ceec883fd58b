//! Finding a comment's place in a note that has changed since.
//!
//! A text anchor is found, in order: exactly (the quote occurs verbatim;
//! with duplicates, the occurrence whose surroundings best match the stored
//! prefix, suffix and heading path wins), then approximately (windows around
//! where the quote's head, tail or its old surroundings now are, scored by
//! character similarity), else not at all: the caller marks it outdated.

use std::ops::Range;
use std::time::Duration;

use super::{Anchor, DiagramAnchor, TextAnchor};

/// Characters of context kept on each side of a quote.
pub const CONTEXT_CHARS: usize = 40;
/// Below this similarity a window is a different text, not an edited quote.
pub const MIN_SIMILARITY: f32 = 0.6;
/// Occurrences of one probe looked at; bounds the work on repetitive notes.
const MAX_PROBES: usize = 48;
/// Per-candidate diff budget, so a huge quote cannot stall the UI.
const DIFF_TIMEOUT: Duration = Duration::from_millis(5);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Byte range of the quote in the current text.
    pub range: Range<usize>,
    /// The quote occurs verbatim (false: an edited version of it was found).
    pub exact: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Located {
    Text(Found),
    Diagram {
        /// Index of the diagram block now holding the element.
        index: usize,
        /// Byte range of the whole fenced block.
        block: Range<usize>,
    },
    Outdated,
}

impl Located {
    /// Byte offset where the anchor starts, if it was found.
    pub fn start(&self) -> Option<usize> {
        match self {
            Located::Text(f) => Some(f.range.start),
            Located::Diagram { block, .. } => Some(block.start),
            Located::Outdated => None,
        }
    }
}

pub fn locate(anchor: &Anchor, text: &str) -> Located {
    match anchor {
        Anchor::Text(a) => locate_text(a, text).map_or(Located::Outdated, Located::Text),
        Anchor::Diagram(a) => {
            locate_diagram(a, text).map_or(Located::Outdated, |(index, block)| Located::Diagram {
                index,
                block,
            })
        }
    }
}

/// Builds the anchor for bytes `range` of `text` (clamped to char
/// boundaries).
pub fn capture(text: &str, range: Range<usize>) -> TextAnchor {
    let start = floor_boundary(text, range.start.min(text.len()));
    let end = floor_boundary(text, range.end.clamp(start, text.len()));
    TextAnchor {
        quote: text[start..end].to_owned(),
        prefix: last_chars(&text[..start], CONTEXT_CHARS).to_owned(),
        suffix: first_chars(&text[end..], CONTEXT_CHARS).to_owned(),
        headings: heading_path(text, start),
    }
}

pub fn locate_text(a: &TextAnchor, text: &str) -> Option<Found> {
    if a.quote.is_empty() {
        return None;
    }
    let exact = text
        .match_indices(a.quote.as_str())
        .map(|(i, q)| i..i + q.len())
        .max_by_key(|r| (context_score(a, text, r), std::cmp::Reverse(r.start)));
    if let Some(range) = exact {
        return Some(Found { range, exact: true });
    }
    fuzzy(a, text).map(|range| Found {
        range,
        exact: false,
    })
}

/// How well the surroundings of `r` match the stored context: characters of
/// prefix and suffix that agree, plus a bonus for the same heading path.
fn context_score(a: &TextAnchor, text: &str, r: &Range<usize>) -> usize {
    let before = common_suffix_chars(&text[..r.start], &a.prefix);
    let after = common_prefix_chars(&text[r.end..], &a.suffix);
    let same_section = !a.headings.is_empty() && heading_path(text, r.start) == a.headings;
    before + after + if same_section { CONTEXT_CHARS / 2 } else { 0 }
}

fn fuzzy(a: &TextAnchor, text: &str) -> Option<Range<usize>> {
    let quote = a.quote.as_str();
    let qlen = quote.len();
    let slack = qlen / 2 + 16;
    let qchars = quote.chars().count();
    // (window, whether its end still has to be found)
    let mut candidates: Vec<(Range<usize>, bool, bool)> = Vec::new();

    // Head and tail probes catch a quote edited in the middle or at one end.
    if qchars >= 8 {
        let n = (qchars / 3).clamp(4, 24);
        let head = first_chars(quote, n);
        let tail = last_chars(quote, n);
        for (h, _) in text.match_indices(head).take(MAX_PROBES) {
            let window = h..floor_boundary(text, (h + qlen + slack).min(text.len()));
            let end = text[window.clone()]
                .match_indices(tail)
                .map(|(t, s)| h + t + s.len())
                .filter(|&e| e > h + head.len())
                .min_by_key(|&e| e.abs_diff(h + qlen));
            match end {
                Some(e) => candidates.push((h..e, false, false)),
                None => {
                    let e = floor_boundary(text, (h + qlen).min(text.len()));
                    candidates.push((h..e, false, true));
                }
            }
        }
        for (t, s) in text.match_indices(tail).take(MAX_PROBES) {
            let end = t + s.len();
            let from = ceil_boundary(text, end.saturating_sub(qlen + slack));
            let start = text[from..t]
                .match_indices(head)
                .map(|(i, _)| from + i)
                .min_by_key(|&i| i.abs_diff(end.saturating_sub(qlen)));
            match start {
                Some(s) => candidates.push((s..end, false, false)),
                None => {
                    let s = ceil_boundary(text, end.saturating_sub(qlen));
                    candidates.push((s..end, true, false));
                }
            }
        }
    }
    // The old surroundings catch a quote rewritten in place.
    let before = last_chars(a.prefix.trim_start(), 24);
    let after = first_chars(a.suffix.trim_end(), 24);
    if !before.trim().is_empty() && !after.trim().is_empty() {
        for (p, s) in text.match_indices(before).take(MAX_PROBES) {
            let start = p + s.len();
            let limit = floor_boundary(text, (start + qlen + slack).min(text.len()));
            if let Some(i) = text[start..limit].find(after) {
                candidates.push((start..start + i, false, false));
            }
        }
    }

    candidates.sort_by_key(|(r, a, b)| (r.start, r.end, *a, *b));
    candidates.dedup();
    let mut best: Option<(f32, Range<usize>, bool, bool)> = None;
    for (r, free_start, free_end) in candidates {
        let r = trim_to_quote(text, r, quote);
        if r.is_empty() {
            continue;
        }
        let sim = similarity(quote, &text[r.clone()]);
        if sim < MIN_SIMILARITY {
            continue;
        }
        let score = sim + context_score(a, text, &r) as f32 * 0.001;
        if best.as_ref().is_none_or(|(s, ..)| score > *s) {
            best = Some((score, r, free_start, free_end));
        }
    }
    best.map(|(_, r, free_start, free_end)| refine(text, quote, r, free_start, free_end))
}

/// Moves the ends of a fuzzy match a character at a time while that makes
/// it more like the quote: probes place windows by the quote's old length,
/// which is off by however much the edit changed it.
fn refine(
    text: &str,
    quote: &str,
    mut r: Range<usize>,
    free_start: bool,
    free_end: bool,
) -> Range<usize> {
    if !free_start && !free_end {
        return r;
    }
    let mut best = similarity(quote, &text[r.clone()]);
    for _ in 0..64 {
        let step = |i: usize, forward: bool| -> Option<usize> {
            if forward {
                text[i..].chars().next().map(|c| i + c.len_utf8())
            } else {
                text[..i].chars().next_back().map(|c| i - c.len_utf8())
            }
        };
        let tries = [
            step(r.start, false)
                .filter(|_| free_start)
                .map(|s| s..r.end),
            step(r.start, true)
                .filter(|&s| free_start && s < r.end)
                .map(|s| s..r.end),
            step(r.end, true).filter(|_| free_end).map(|e| r.start..e),
            step(r.end, false)
                .filter(|&e| free_end && e > r.start)
                .map(|e| r.start..e),
        ];
        let next = tries
            .into_iter()
            .flatten()
            .map(|c| (similarity(quote, &text[c.clone()]), c))
            .filter(|(s, _)| *s > best)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        match next {
            Some((s, c)) => {
                best = s;
                r = c;
            }
            None => break,
        }
    }
    r
}

/// Drops surrounding whitespace the quote itself does not have.
fn trim_to_quote(text: &str, r: Range<usize>, quote: &str) -> Range<usize> {
    let s = &text[r.clone()];
    let mut start = r.start;
    let mut end = r.end;
    if !quote.starts_with(char::is_whitespace) {
        start += s.len() - s.trim_start().len();
    }
    if !quote.ends_with(char::is_whitespace) {
        end -= s.len() - s.trim_end().len();
    }
    start..end.max(start)
}

/// 0..=1, how much of both texts is shared (by characters).
pub fn similarity(a: &str, b: &str) -> f32 {
    similar::TextDiff::configure()
        .timeout(DIFF_TIMEOUT)
        .diff_chars(a, b)
        .ratio()
}

// ------------------------------------------------------------ diagrams

/// One fenced ```mermaid / ```dot block of a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagramBlock {
    /// From the opening fence line to the end of the closing one.
    pub range: Range<usize>,
    /// The diagram source between the fences.
    pub source: Range<usize>,
    pub dot: bool,
}

/// The note's diagram blocks in order (the same fences the Markdown parser
/// lifts out as diagrams: info string `mermaid`, `dot` or `graphviz`).
pub fn diagram_blocks(text: &str) -> Vec<DiagramBlock> {
    fences(text)
        .into_iter()
        .filter_map(|f| {
            let lang = f.info.split_whitespace().next()?.to_ascii_lowercase();
            let dot = match lang.as_str() {
                "mermaid" => false,
                "dot" | "graphviz" => true,
                _ => return None,
            };
            Some(DiagramBlock {
                range: f.range,
                source: f.body,
                dot,
            })
        })
        .collect()
}

/// The stored diagram if it still has the element, else the only other
/// diagram that has it.
pub fn locate_diagram(a: &DiagramAnchor, text: &str) -> Option<(usize, Range<usize>)> {
    let blocks = diagram_blocks(text);
    let has = |b: &DiagramBlock| diagram_has(&text[b.source.clone()], &a.element, b.dot);
    if let Some(b) = blocks.get(a.diagram).filter(|b| has(b)) {
        return Some((a.diagram, b.range.clone()));
    }
    let mut others = blocks.iter().enumerate().filter(|(_, b)| has(b));
    match (others.next(), others.next()) {
        (Some((i, b)), None) => Some((i, b.range.clone())),
        _ => None,
    }
}

/// Whether a diagram's source still mentions node `element`, or for
/// `A->B` has a statement naming `A` and later `B`. Reads identifiers
/// outside labels (`[...]`, `(...)`, `{...}`, `|...|`, quotes) and skips
/// `%%` (or DOT `//`) comments; a heuristic that needs no parser, so a comment survives
/// a diagram that currently has a syntax error.
pub fn diagram_has(source: &str, element: &str, dot: bool) -> bool {
    let edge = element.split_once("->").map(|(a, b)| (a.trim(), b.trim()));
    for line in source.lines() {
        let line = line.trim_start();
        if line.starts_with("%%") || line.starts_with("//") {
            continue;
        }
        for statement in line.split(';') {
            let ids = identifiers(statement, dot);
            match edge {
                Some((a, b)) => {
                    if let Some(i) = ids.iter().position(|x| *x == a) {
                        if ids[i + 1..].contains(&b) {
                            return true;
                        }
                    }
                }
                None => {
                    if ids.contains(&element.trim()) {
                        return true;
                    }
                }
            }
        }
    }
    false
}

/// Node ids and `from->to` edges a DOT graph mentions, in order of first
/// appearance: the picker for diagram comments (Mermaid charts use the
/// real parser instead). Chains give one edge per hop.
pub fn dot_elements(source: &str) -> Vec<String> {
    const KEYWORDS: [&str; 6] = ["strict", "graph", "digraph", "subgraph", "node", "edge"];
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for line in source.lines() {
        let line = line.trim_start();
        if line.starts_with("//") || line.starts_with('#') {
            continue;
        }
        for statement in line.split([';', '{', '}']) {
            let mut ids: Vec<&str> = Vec::new();
            let mut after_graph = false;
            for id in identifiers(statement, true) {
                let lower = id.to_ascii_lowercase();
                let keyword = KEYWORDS.contains(&lower.as_str());
                // `digraph G {` / `subgraph cluster_x {`: a name, not a node.
                if !keyword && !after_graph {
                    ids.push(id);
                }
                after_graph = keyword && lower.ends_with("graph");
            }
            let is_edge = statement.contains("->") || statement.contains("--");
            for id in &ids {
                push((*id).to_owned());
            }
            if is_edge {
                for pair in ids.windows(2) {
                    push(format!("{}->{}", pair[0], pair[1]));
                }
            }
        }
    }
    out
}

/// In DOT, braces group statements; in Mermaid they hold a label.
fn identifiers(statement: &str, dot: bool) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut in_quote = false;
    let mut in_pipe = false;
    let mut start: Option<usize> = None;
    let is_id = |c: char| c.is_alphanumeric() || c == '_';
    for (i, c) in statement.char_indices() {
        let inside = depth > 0 || in_quote || in_pipe;
        if !inside && is_id(c) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(&statement[s..i]);
        }
        match c {
            '"' => in_quote = !in_quote,
            '|' if !in_quote && depth == 0 => in_pipe = !in_pipe,
            '{' | '}' if dot => {}
            '[' | '(' | '{' if !in_quote => depth += 1,
            ']' | ')' | '}' if !in_quote => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&statement[s..]);
    }
    out
}

// ------------------------------------------------------------ structure

struct Fence<'a> {
    range: Range<usize>,
    body: Range<usize>,
    info: &'a str,
}

/// Lines with their byte offsets (terminator included in the range).
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').map(move |l| {
        let start = at;
        at += l.len();
        (start, l)
    })
}

/// `(char, run length, rest)` when `line` opens or closes a code fence.
fn fence_marker(line: &str) -> Option<(char, usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let c = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let run = rest.len() - rest.trim_start_matches(c).len();
    (run >= 3).then(|| (c, run, rest[run..].trim()))
}

fn fences(text: &str) -> Vec<Fence<'_>> {
    let mut out = Vec::new();
    let mut open: Option<(char, usize, usize, usize, &str)> = None;
    for (start, line) in lines(text) {
        let end = start + line.len();
        match (open, fence_marker(line.trim_end_matches(['\n', '\r']))) {
            (None, Some((c, run, info))) if !(c == '`' && info.contains('`')) => {
                open = Some((c, run, start, end, info));
            }
            (Some((c, run, s, body, info)), Some((c2, run2, rest)))
                if c2 == c && run2 >= run && rest.is_empty() =>
            {
                out.push(Fence {
                    range: s..end,
                    body: body..start,
                    info,
                });
                open = None;
            }
            _ => {}
        }
    }
    if let Some((_, _, s, body, info)) = open {
        out.push(Fence {
            range: s..text.len(),
            body: body..text.len(),
            info,
        });
    }
    out
}

/// Titles of the ATX headings enclosing byte `at`, outermost first
/// (headings inside code fences do not count).
pub fn heading_path(text: &str, at: usize) -> Vec<String> {
    let mut path: Vec<(usize, String)> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    for (start, line) in lines(text) {
        if start > at {
            break;
        }
        let bare = line.trim_end_matches(['\n', '\r']);
        if let Some((c, run, rest)) = fence_marker(bare) {
            match fence {
                None => fence = Some((c, run)),
                Some((fc, frun)) if fc == c && run >= frun && rest.is_empty() => fence = None,
                _ => {}
            }
            continue;
        }
        if fence.is_some() {
            continue;
        }
        if let Some((level, title)) = atx_heading(bare) {
            path.retain(|(l, _)| *l < level);
            path.push((level, title));
        }
    }
    path.into_iter().map(|(_, t)| t).collect()
}

fn atx_heading(line: &str) -> Option<(usize, String)> {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return None;
    }
    let level = t.len() - t.trim_start_matches('#').len();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &t[level..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let title = rest.trim().trim_end_matches('#').trim_end();
    Some((level, title.to_owned()))
}

// ------------------------------------------------------------ strings

pub fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn first_chars(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

fn last_chars(s: &str, n: usize) -> &str {
    if n == 0 {
        return "";
    }
    s.char_indices()
        .rev()
        .nth(n - 1)
        .map_or(s, |(i, _)| &s[i..])
}

fn common_prefix_chars(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

fn common_suffix_chars(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}
