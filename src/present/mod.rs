//! Notes as slide decks, for presentation mode. No UI here: this module
//! turns note text into slides (audience Markdown + speaker notes + the
//! source lines each slide came from); `ui::present` draws them.
//!
//! The dialect, chosen per note in its front matter:
//! - `slides: rule` (or `---`) splits at lines holding only `---`;
//!   `slides: h2` starts a slide at every `## ` heading, text before the
//!   first one being a title slide. Without the key, `---` is used when the
//!   note has such a line, else H2. A `---` right under a paragraph line is
//!   a setext heading underline, not a break; one inside a code fence or a
//!   `%%` comment is content.
//! - `slides: sequence` makes a sequence note: its wiki links, in order,
//!   name the notes (or `[[Note#Heading]]` sections) that play one after
//!   another, each split by its own rule. Other text in it is ignored.
//! - Speaker notes, never shown to the audience: a line starting `Note:`
//!   (or `Notes:`, any case) and everything after it on the slide, and the
//!   text of every `%% ... %%` comment on the slide.

mod scan;
mod sequence;

use std::fmt;
use std::ops::Range;

use scan::{Comment, Line, LineInfo, Scan};

/// How one note is cut into slides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// At `---` lines.
    Rule,
    /// At `## ` headings.
    H2,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slide {
    /// Vault path of the note the slide comes from (links resolve from it).
    pub note: String,
    /// Markdown shown to the audience: speaker notes and comments removed.
    pub body: String,
    /// Speaker notes as Markdown; empty when the slide has none.
    pub notes: String,
    /// First heading of the slide, else its first line; for the overview.
    pub title: String,
    /// 1-based source lines of the slide in `note`, end exclusive.
    pub lines: Range<usize>,
}

/// Something in a deck's source worth telling the presenter about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub note: String,
    /// 1-based.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.note, self.line, self.message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Deck {
    pub slides: Vec<Slide>,
    pub warnings: Vec<Warning>,
}

impl Deck {
    /// Index of the slide showing `line` (1-based) of `note`.
    pub fn slide_at(&self, note: &str, line: usize) -> Option<usize> {
        self.slides
            .iter()
            .position(|s| s.note == note && s.lines.contains(&line))
            .or_else(|| {
                // A line between slides (a `---`, blank lines) belongs to
                // the slide after it, else the last one before it.
                let mine = || {
                    self.slides
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| s.note == note)
                };
                mine()
                    .find(|(_, s)| s.lines.start > line)
                    .or_else(|| mine().next_back())
                    .map(|(i, _)| i)
            })
    }
}

/// Finds a linked note for sequence notes: `(from note, link target as
/// written)` to `(vault path, text)`.
pub type Resolver<'a> = &'a dyn Fn(&str, &str) -> Option<(String, String)>;

/// The deck for `text`, the note at vault path `note`. Sequence notes pull
/// their parts through `resolve`; plain notes never call it.
pub fn deck(note: &str, text: &str, resolve: Resolver) -> Deck {
    let mut out = Deck::default();
    sequence::build(note, text, resolve, &mut vec![note.to_string()], &mut out);
    out
}

/// The deck of one plain note, ignoring `slides: sequence`.
pub fn split_note(note: &str, text: &str) -> Deck {
    let mut out = Deck::default();
    let src = Source::new(note, text);
    let split = src.split_setting(&mut out.warnings);
    let range = src.body..src.lines.len();
    src.split_lines(range, split, &mut out);
    out
}

/// The split a plain note uses (front matter, else the default rule).
pub fn split_of(text: &str) -> Split {
    let src = Source::new("", text);
    let range = src.body..src.lines.len();
    src.split_setting(&mut Vec::new())
        .unwrap_or_else(|| src.default_split(range))
}

/// The `slides:` front-matter value as written, with its 0-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Setting {
    value: String,
    line: usize,
}

/// A note's text with its lines scanned once.
struct Source<'a> {
    note: &'a str,
    text: &'a str,
    lines: Vec<Line>,
    /// First line after the front matter.
    body: usize,
    setting: Option<Setting>,
    scan: Scan,
}

impl<'a> Source<'a> {
    fn new(note: &'a str, text: &'a str) -> Source<'a> {
        let lines = scan::lines(text);
        let (body, setting) = front_matter(text, &lines);
        let scan = scan::scan(text, &lines, body);
        Source {
            note,
            text,
            lines,
            body,
            setting,
            scan,
        }
    }

    fn line(&self, i: usize) -> &'a str {
        let l = self.lines[i];
        &self.text[l.start..l.end]
    }

    fn info(&self, i: usize) -> LineInfo {
        self.scan.info[i]
    }

    fn is_sequence(&self) -> bool {
        self.setting
            .as_ref()
            .is_some_and(|s| s.value.eq_ignore_ascii_case("sequence"))
    }

    fn warn(&self, warnings: &mut Vec<Warning>, line: usize, message: impl Into<String>) {
        warnings.push(Warning {
            note: self.note.to_string(),
            line: line + 1,
            message: message.into(),
        });
    }

    /// The split asked for in front matter; `None` means "use the default".
    fn split_setting(&self, warnings: &mut Vec<Warning>) -> Option<Split> {
        let s = self.setting.as_ref()?;
        match s.value.to_ascii_lowercase().as_str() {
            "rule" | "---" | "hr" => Some(Split::Rule),
            "h2" | "##" | "heading" | "headings" => Some(Split::H2),
            "sequence" => None,
            other => {
                self.warn(
                    warnings,
                    s.line,
                    format!(
                        "unknown `slides: {other}` (use rule, h2 or sequence); using the default"
                    ),
                );
                None
            }
        }
    }

    fn is_break(&self, i: usize, range: &Range<usize>) -> bool {
        if !self.info(i).structural() || !scan::is_rule(self.line(i)) {
            return false;
        }
        // Under paragraph text a `---` underlines a setext heading.
        let setext = i > range.start
            && self.info(i - 1).structural()
            && !self.is_break_line(i - 1)
            && scan::is_paragraph_text(self.line(i - 1));
        !setext
    }

    /// A `---` that is itself a break; used to see `---\n---` as two breaks.
    fn is_break_line(&self, i: usize) -> bool {
        self.info(i).structural()
            && scan::is_rule(self.line(i))
            && (i == self.body
                || !self.info(i - 1).structural()
                || !scan::is_paragraph_text(self.line(i - 1))
                || scan::is_rule(self.line(i - 1)))
    }

    fn is_h2(&self, i: usize) -> bool {
        self.info(i).structural() && scan::atx_heading(self.line(i)).is_some_and(|(l, _)| l == 2)
    }

    fn default_split(&self, range: Range<usize>) -> Split {
        if range.clone().any(|i| self.is_break(i, &range)) {
            Split::Rule
        } else {
            Split::H2
        }
    }

    /// Cuts `range` (0-based line indices) into slides.
    fn split_lines(&self, range: Range<usize>, split: Option<Split>, out: &mut Deck) {
        let split = split.unwrap_or_else(|| self.default_split(range.clone()));
        let mut start = range.start;
        for i in range.clone() {
            match split {
                Split::Rule if self.is_break(i, &range) => {
                    self.push_slide(start..i, out);
                    start = i + 1;
                }
                Split::H2 if self.is_h2(i) && i > start => {
                    self.push_slide(start..i, out);
                    start = i;
                }
                _ => {}
            }
        }
        self.push_slide(start..range.end, out);
    }

    fn blank(&self, i: usize) -> bool {
        !self.info(i).code && self.line(i).trim().is_empty()
    }

    fn push_slide(&self, range: Range<usize>, out: &mut Deck) {
        let (mut a, mut b) = (range.start, range.end);
        while a < b && self.blank(a) {
            a += 1;
        }
        while b > a && self.blank(b - 1) {
            b -= 1;
        }
        if a == b {
            return;
        }
        let label =
            (a..b).find(|&i| self.info(i).structural() && note_label(self.line(i)).is_some());
        let audience_end = label.unwrap_or(b);
        let mut notes = Vec::new();
        let mut body = String::new();
        if audience_end > a {
            let bytes = self.lines[a].start..self.lines[audience_end - 1].end;
            let (shown, hidden) = self.cut_comments(bytes, out);
            body = trim_blank_lines(&shown);
            notes.extend(hidden);
        }
        if let Some(n) = label {
            let first = self.line(n);
            let after = note_label(first).unwrap_or("");
            let start = self.lines[n].end - after.len();
            let bytes = start..self.lines[b - 1].end;
            let (shown, hidden) = self.cut_comments(bytes, out);
            // Comments inside a notes block are notes already: keep their text.
            let mut text = shown;
            for h in hidden {
                text.push(' ');
                text.push_str(&h);
            }
            notes.push(trim_blank_lines(text.trim_start()));
        }
        let notes: Vec<String> = notes.into_iter().filter(|n| !n.is_empty()).collect();
        if body.trim().is_empty() && notes.is_empty() {
            return;
        }
        out.slides.push(Slide {
            note: self.note.to_string(),
            title: title_of(&body),
            body,
            notes: notes.join("\n\n"),
            lines: a + 1..b + 1,
        });
    }

    /// `bytes` without its `%%` comments, and the comments' trimmed texts.
    fn cut_comments(&self, bytes: Range<usize>, out: &mut Deck) -> (String, Vec<String>) {
        let mut shown = String::new();
        let mut hidden = Vec::new();
        let mut at = bytes.start;
        for c in self.comments_in(&bytes) {
            let start = c.range.start.max(at);
            shown.push_str(&self.text[at..start]);
            let end = c.range.end.min(bytes.end);
            let inner = c.inner.start.min(end)..c.inner.end.min(end);
            let t = self.text[inner].trim();
            if !t.is_empty() {
                hidden.push(t.to_string());
            }
            if !c.closed || c.range.end > bytes.end {
                self.warn(
                    &mut out.warnings,
                    c.line,
                    "`%%` comment not closed on this slide; it hides the rest of the slide",
                );
            }
            at = end;
        }
        shown.push_str(&self.text[at.min(bytes.end)..bytes.end]);
        (shown, hidden)
    }

    fn comments_in<'s>(&'s self, bytes: &'s Range<usize>) -> impl Iterator<Item = &'s Comment> {
        self.scan
            .comments
            .iter()
            .filter(move |c| c.range.start >= bytes.start && c.range.start < bytes.end)
    }
}

/// The text after a `Note:` / `Notes:` label at the start of a line.
fn note_label(line: &str) -> Option<&str> {
    let t = scan::unindent(line)?;
    let colon = t.find(':')?;
    let word = &t[..colon];
    (word.eq_ignore_ascii_case("note") || word.eq_ignore_ascii_case("notes"))
        .then(|| &t[colon + 1..])
}

/// Front matter: the first body line and the `slides:` setting.
fn front_matter(text: &str, lines: &[Line]) -> (usize, Option<Setting>) {
    let line = |i: usize| {
        let l = lines[i];
        text[l.start..l.end].trim_start_matches('\u{feff}')
    };
    if lines.is_empty() || line(0).trim_end() != "---" {
        return (0, None);
    }
    let Some(close) = (1..lines.len()).find(|&i| matches!(line(i).trim_end(), "---" | "..."))
    else {
        return (0, None);
    };
    let setting = (1..close).find_map(|i| {
        let (key, value) = line(i).split_once(':')?;
        if !key.trim().eq_ignore_ascii_case("slides") || key.starts_with([' ', '\t']) {
            return None;
        }
        let value = value
            .split(" #")
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['"', '\''])
            .to_string();
        Some(Setting { value, line: i })
    });
    (close + 1, setting)
}

fn trim_blank_lines(s: &str) -> String {
    let mut lines: Vec<&str> = s.lines().collect();
    while lines.first().is_some_and(|l| l.trim().is_empty()) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// The first heading's text, else the first line without list or quote
/// markers, cut to a length an overview card can show.
fn title_of(body: &str) -> String {
    const MAX_CHARS: usize = 60;
    let mut in_fence = false;
    let mut first = None;
    for line in body.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if let Some((_, h)) = scan::atx_heading(line) {
            first = Some(h.to_string());
            break;
        }
        if first.is_none() && !t.is_empty() {
            first = Some(
                t.trim_start_matches(['#', '>', '-', '*', '+', ' '])
                    .to_string(),
            );
        }
    }
    let t = first.unwrap_or_default();
    if t.chars().count() > MAX_CHARS {
        let cut: String = t.chars().take(MAX_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        t
    }
}

#[cfg(test)]
mod tests;
