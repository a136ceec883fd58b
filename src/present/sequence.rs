//! Sequence notes: a note with `slides: sequence` whose wiki links name the
//! notes (or sections) that play in order.

use super::{scan, Deck, Resolver, Source};

/// Sequences inside sequences are followed this deep.
const MAX_DEPTH: usize = 8;

/// A `[[target#heading|alias]]` found in a sequence note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Part {
    pub note: String,
    pub heading: Option<String>,
    /// 0-based line of the link.
    pub line: usize,
}

/// Appends the slides of `text` (the note at `note`) to `out`, expanding it
/// when it is a sequence. `stack` holds the sequence notes being expanded.
pub(super) fn build(
    note: &str,
    text: &str,
    resolve: Resolver,
    stack: &mut Vec<String>,
    out: &mut Deck,
) {
    let src = Source::new(note, text);
    if !src.is_sequence() {
        let split = src.split_setting(&mut out.warnings);
        src.split_lines(src.body..src.lines.len(), split, out);
        return;
    }
    let parts = parts(&src);
    if parts.is_empty() {
        let line = src.setting.as_ref().map_or(0, |s| s.line);
        src.warn(
            &mut out.warnings,
            line,
            "`slides: sequence` but the note links no notes; list them as [[links]]",
        );
    }
    for part in parts {
        let Some((path, part_text)) = resolve(note, &part.note) else {
            src.warn(
                &mut out.warnings,
                part.line,
                format!("sequence part [[{}]] is not a note in the vault", part.note),
            );
            continue;
        };
        if stack.contains(&path) {
            src.warn(
                &mut out.warnings,
                part.line,
                format!("sequence part [[{}]] includes itself; skipped", part.note),
            );
            continue;
        }
        let target = Source::new(&path, &part_text);
        match &part.heading {
            Some(h) => match section(&target, h) {
                Some(range) => {
                    let split = target.split_setting(&mut out.warnings);
                    target.split_lines(range, split, out);
                }
                None => src.warn(
                    &mut out.warnings,
                    part.line,
                    format!("sequence part [[{}#{h}]]: no such heading", part.note),
                ),
            },
            None if target.is_sequence() => {
                if stack.len() >= MAX_DEPTH {
                    src.warn(
                        &mut out.warnings,
                        part.line,
                        format!("sequence part [[{}]] nests too deep; skipped", part.note),
                    );
                    continue;
                }
                stack.push(path.clone());
                build(&path, &part_text, resolve, stack, out);
                stack.pop();
            }
            None => {
                let split = target.split_setting(&mut out.warnings);
                target.split_lines(target.body..target.lines.len(), split, out);
            }
        }
    }
}

/// Wiki links of a sequence note in reading order, outside code and comments.
pub(super) fn parts(src: &Source) -> Vec<Part> {
    let mut out = Vec::new();
    for i in src.body..src.lines.len() {
        if src.info(i).code {
            continue;
        }
        let line = src.lines[i];
        let spans = scan::code_spans(src.line(i));
        let mut at = line.start;
        while let Some(k) = src.text[at..line.end].find("[[") {
            let open = at + k;
            let Some(len) = src.text[open + 2..line.end].find("]]") else {
                break;
            };
            let inner = &src.text[open + 2..open + 2 + len];
            at = open + 2 + len + 2;
            let commented = src
                .scan
                .comments
                .iter()
                .any(|c| c.range.start <= open && open < c.range.end);
            let in_code = spans.iter().any(|s| s.contains(&(open - line.start)));
            if commented || in_code {
                continue;
            }
            let target = inner.split('|').next().unwrap_or("");
            let (name, heading) = match target.split_once('#') {
                Some((n, h)) => (n.trim(), Some(h.trim().to_string())),
                None => (target.trim(), None),
            };
            if name.is_empty() {
                continue;
            }
            out.push(Part {
                note: name.to_string(),
                heading: heading.filter(|h| !h.is_empty()),
                line: i,
            });
        }
    }
    out
}

/// Lines of the section under `heading` (matched by text, any case, or by
/// slug): the heading line up to the next heading of the same or a higher
/// level.
fn section(src: &Source, heading: &str) -> Option<std::ops::Range<usize>> {
    let wanted = slug(heading);
    let heading_at = |i: usize| {
        if !src.info(i).structural() {
            return None;
        }
        scan::atx_heading(src.line(i))
    };
    let (start, level) = (src.body..src.lines.len()).find_map(|i| {
        let (level, text) = heading_at(i)?;
        (text.eq_ignore_ascii_case(heading.trim()) || slug(text) == wanted).then_some((i, level))
    })?;
    let end = (start + 1..src.lines.len())
        .find(|&i| heading_at(i).is_some_and(|(l, _)| l <= level))
        .unwrap_or(src.lines.len());
    Some(start..end)
}

/// Lowercase, spaces to `-`, punctuation dropped (CJK kept).
fn slug(s: &str) -> String {
    s.trim()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c.to_lowercase().next().unwrap_or(c))
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}
