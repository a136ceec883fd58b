//! Markdown coloring for the source editor.
//!
//! A deliberately small line scanner rather than a full CommonMark parse: the
//! editor needs stable colors while the user is halfway through typing
//! `**bold` or an unclosed fence, and it runs on every edit of the buffer.

use std::ops::Range;

use egui::text::{ByteIndex, LayoutJob, TextFormat};
use egui::{Color32, FontId, Stroke};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Plain,
    Heading,
    Strong,
    Emphasis,
    Code,
    Fence,
    Link,
    WikiLink,
    Tag,
    Quote,
    Marker,
}

/// Byte ranges of `text` with their kind; contiguous and covering the text.
pub fn classify(text: &str) -> Vec<(Range<usize>, Kind)> {
    let mut out: Vec<(Range<usize>, Kind)> = Vec::new();
    let mut push = |range: Range<usize>, kind: Kind| {
        if range.is_empty() {
            return;
        }
        if let Some(last) = out.last_mut() {
            if last.1 == kind && last.0.end == range.start {
                last.0.end = range.end;
                return;
            }
        }
        out.push((range, kind));
    };
    let mut fence: Option<(u8, usize)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if let Some((ch, n)) = fence {
            if indent < 4 && fence_run(trimmed, ch) >= n {
                fence = None;
            }
            push(start..offset, Kind::Fence);
            continue;
        }
        if indent < 4 {
            for ch in [b'`', b'~'] {
                let n = fence_run(trimmed, ch);
                if n >= 3 {
                    fence = Some((ch, n));
                }
            }
            if fence.is_some() {
                push(start..offset, Kind::Fence);
                continue;
            }
            let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
            let after = &trimmed[hashes..];
            if (1..=6).contains(&hashes)
                && (after.is_empty() || after.starts_with([' ', '\t', '\n', '\r']))
            {
                push(start..offset, Kind::Heading);
                continue;
            }
            if trimmed.starts_with('>') {
                push(start..offset, Kind::Quote);
                continue;
            }
            let marker = list_marker_len(trimmed);
            if marker > 0 {
                push(start..start + indent + marker, Kind::Marker);
                inline(line, start + indent + marker, start, &mut push);
                continue;
            }
        }
        inline(line, start, start, &mut push);
    }
    out
}

fn fence_run(line: &str, ch: u8) -> usize {
    line.bytes().take_while(|&b| b == ch).count()
}

fn list_marker_len(line: &str) -> usize {
    let b = line.as_bytes();
    if b.len() >= 2 && matches!(b[0], b'-' | b'*' | b'+') && b[1] == b' ' {
        return 2;
    }
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=9).contains(&digits)
        && b.len() > digits + 1
        && matches!(b[digits], b'.' | b')')
        && b[digits + 1] == b' '
    {
        return digits + 2;
    }
    0
}

/// Colors spans inside one line. `from` is where scanning starts (absolute),
/// `line_start` the absolute offset of `line`.
fn inline(line: &str, from: usize, line_start: usize, push: &mut impl FnMut(Range<usize>, Kind)) {
    let bytes = line.as_bytes();
    let mut i = from - line_start;
    let mut plain_from = i;
    let abs = |i: usize| line_start + i;
    while i < bytes.len() {
        let rest = &line[i..];
        let found: Option<(usize, Kind)> = if rest.starts_with('`') {
            let ticks = fence_run(rest, b'`');
            rest[ticks..]
                .find(&"`".repeat(ticks)[..])
                .map(|end| (ticks + end + ticks, Kind::Code))
        } else if rest.starts_with("[[") {
            rest.find("]]").map(|end| (end + 2, Kind::WikiLink))
        } else if rest.starts_with('[') {
            rest.find("](").and_then(|mid| {
                rest[mid..]
                    .find(')')
                    .map(|close| (mid + close + 1, Kind::Link))
            })
        } else if rest.starts_with("**") || rest.starts_with("__") {
            let delim = &rest[..2];
            rest[2..]
                .find(delim)
                .filter(|&n| n > 0)
                .map(|end| (end + 4, Kind::Strong))
        } else if (rest.starts_with('*') || rest.starts_with('_'))
            && rest.len() > 1
            && !rest[1..].starts_with(' ')
            && (rest.starts_with('*') || i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
        {
            let delim = &rest[..1];
            rest[1..]
                .find(delim)
                .filter(|&n| n > 0 && !rest[..1 + n].ends_with(' '))
                .map(|end| (end + 2, Kind::Emphasis))
        } else if rest.starts_with('#') && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t')
        {
            let n = rest[1..]
                .char_indices()
                .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '/')))
                .map(|(k, _)| k)
                .unwrap_or(rest.len() - 1);
            let tag = &rest[1..1 + n];
            (n > 0 && !tag.chars().all(|c| c.is_ascii_digit())).then_some((n + 1, Kind::Tag))
        } else {
            None
        };
        match found {
            Some((len, kind)) => {
                push(abs(plain_from)..abs(i), Kind::Plain);
                push(abs(i)..abs(i + len), kind);
                i += len;
                plain_from = i;
            }
            None => {
                i += rest.chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    push(abs(plain_from)..abs(bytes.len()), Kind::Plain);
}

/// Editor palette; picked for contrast on egui's default light/dark panels.
pub fn color(kind: Kind, dark: bool) -> Color32 {
    let (d, l) = match kind {
        Kind::Plain => ((220, 220, 220), (30, 30, 30)),
        Kind::Heading => ((120, 180, 255), (20, 80, 170)),
        Kind::Strong => ((255, 200, 120), (150, 80, 0)),
        Kind::Emphasis => ((210, 170, 255), (120, 50, 160)),
        Kind::Code | Kind::Fence => ((150, 220, 150), (30, 120, 40)),
        Kind::Link => ((110, 200, 230), (0, 110, 150)),
        Kind::WikiLink => ((100, 220, 220), (0, 120, 120)),
        Kind::Tag => ((240, 150, 190), (170, 40, 100)),
        Kind::Quote => ((160, 160, 160), (100, 100, 100)),
        Kind::Marker => ((255, 160, 100), (190, 80, 20)),
    };
    let (r, g, b) = if dark { d } else { l };
    Color32::from_rgb(r, g, b)
}

pub fn layout_job(text: &str, font: FontId, dark: bool) -> LayoutJob {
    let mut job = LayoutJob {
        text: text.to_owned(),
        keep_trailing_whitespace: true,
        ..Default::default()
    };
    for (range, kind) in classify(text) {
        let mut format = TextFormat::simple(font.clone(), color(kind, dark));
        match kind {
            Kind::Emphasis => format.italics = true,
            Kind::Heading => format.underline = Stroke::new(1.0, color(kind, dark)),
            Kind::Fence | Kind::Code => {
                format.background = if dark {
                    Color32::from_rgb(35, 40, 35)
                } else {
                    Color32::from_rgb(236, 244, 236)
                };
            }
            _ => {}
        }
        job.sections.push(egui::text::LayoutSection {
            leading_space: 0.0,
            byte_range: ByteIndex::from(range.start)..ByteIndex::from(range.end),
            format,
        });
    }
    job
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, Kind)> {
        classify(text)
            .into_iter()
            .filter(|(_, k)| *k != Kind::Plain)
            .map(|(r, k)| (&text[r], k))
            .collect()
    }

    #[test]
    fn spans_cover_the_whole_text_in_order() {
        let text = "# Title\nSome **bold** and *it* with `code`, [[Note#H]] [x](y) #tag\n```go\nfunc\n```\n> q\n- item\n中文 *强调*\n";
        let spans = classify(text);
        let mut at = 0;
        for (r, _) in &spans {
            assert_eq!(r.start, at);
            at = r.end;
        }
        assert_eq!(at, text.len());
    }

    #[test]
    fn recognises_inline_kinds() {
        let k = kinds("a **b** *c* `d` [[E|e]] [f](g) #h-1 x#no #42");
        assert_eq!(
            k,
            vec![
                ("**b**", Kind::Strong),
                ("*c*", Kind::Emphasis),
                ("`d`", Kind::Code),
                ("[[E|e]]", Kind::WikiLink),
                ("[f](g)", Kind::Link),
                ("#h-1", Kind::Tag),
            ]
        );
    }

    #[test]
    fn fences_and_headings_are_whole_lines() {
        let text = "## Head\n```\n# not a heading\n```\nafter\n";
        assert_eq!(
            kinds(text),
            vec![
                ("## Head\n", Kind::Heading),
                ("```\n# not a heading\n```\n", Kind::Fence)
            ]
        );
        assert!(kinds("#nospace\n").iter().all(|(_, k)| *k != Kind::Heading));
    }

    #[test]
    fn unclosed_markers_stay_plain_and_multibyte_text_is_safe() {
        assert!(kinds("**open and `tick and [[half").is_empty());
        assert_eq!(kinds("通道 *关闭* 了"), vec![("*关闭*", Kind::Emphasis)]);
    }

    #[test]
    fn list_markers_are_marked() {
        assert_eq!(
            kinds("- a\n12. b\n"),
            vec![("- ", Kind::Marker), ("12. ", Kind::Marker)]
        );
    }
}
