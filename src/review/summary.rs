//! `strata export VAULT --review OUT.md`: every note's review threads as
//! one Markdown document, open ones first, for minutes and hand-outs.

use std::fmt::Write as _;

use super::{time, Anchor, Comment, Located, ReviewStore, Status};

/// The summary of every comment in `store`; `text_of` gives a note's
/// current text (to report lines and anchors that no longer match), or
/// `None` when the note no longer exists.
pub fn markdown<'a>(store: &ReviewStore, text_of: impl Fn(&str) -> Option<&'a str>) -> String {
    let mut out = String::from("# Review summary\n\n");
    let open = store
        .comments()
        .filter(|(_, c)| c.status == Status::Open)
        .count();
    let resolved = store.comments().count() - open;
    let notes = store.notes().count();
    let _ = writeln!(
        out,
        "{open} open and {resolved} resolved {} in {notes} {}.",
        plural(open + resolved, "comment", "comments"),
        plural(notes, "note", "notes"),
    );
    for note in store.notes() {
        let Some(file) = store.file(note) else {
            continue;
        };
        let text = text_of(note);
        let _ = write!(out, "\n## {}\n", inline(note));
        if text.is_none() {
            out.push_str("\n*The note no longer exists; its comments are kept here.*\n");
        }
        for status in [Status::Open, Status::Resolved] {
            let group: Vec<&Comment> = file
                .comments
                .iter()
                .filter(|c| c.status == status)
                .collect();
            if group.is_empty() {
                continue;
            }
            let title = match status {
                Status::Open => "Open",
                Status::Resolved => "Resolved",
            };
            let _ = write!(out, "\n### {title} ({})\n", group.len());
            for c in group {
                comment(&mut out, c, text);
            }
        }
    }
    let broken: Vec<_> = store.errors().collect();
    if !broken.is_empty() {
        out.push_str("\n## Unreadable review files\n\n");
        for (_, e) in broken {
            let _ = writeln!(out, "- {}", inline(&e.to_string()));
        }
    }
    out
}

fn comment(out: &mut String, c: &Comment, text: Option<&str>) {
    let _ = write!(
        out,
        "\n#### {} · {} UTC · {}\n\n",
        inline(&c.author),
        time::short(&c.created),
        c.status.as_str()
    );
    match &c.anchor {
        Anchor::Text(t) => {
            for line in t.quote.lines() {
                let _ = writeln!(out, "> {line}");
            }
            if t.quote.lines().next().is_none() {
                out.push_str(">\n");
            }
        }
        Anchor::Diagram(_) => {
            let _ = writeln!(out, "> {}", inline(&c.anchor.describe()));
        }
    }
    let mut place = Vec::new();
    let located = text.map_or(Located::Outdated, |t| c.locate(t));
    match (located.start(), text) {
        (Some(at), Some(t)) => place.push(format!("line {}", line_of(t, at))),
        _ => place.push("outdated: no longer found in the note".to_owned()),
    }
    if !c.anchor.headings().is_empty() {
        place.push(format!(
            "under {}",
            inline(&c.anchor.headings().join(" › "))
        ));
    }
    let _ = writeln!(out, "\n*{}*\n", place.join(" · "));
    block(out, &c.body, "");
    for r in &c.replies {
        let _ = write!(
            out,
            "\n- **{}** ({} UTC):\n",
            inline(&r.author),
            time::short(&r.time)
        );
        block(out, &r.body, "  ");
    }
}

/// User text as paragraphs: lines that would start a heading, quote, list
/// or fence are escaped so a comment cannot break the summary's structure.
fn block(out: &mut String, text: &str, indent: &str) {
    for line in text.trim_end().lines() {
        let t = line.trim_start();
        let starts_block = t.starts_with(['#', '>', '-', '*', '+', '|', '`', '~', '='])
            || t.split_once(['.', ')'])
                .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if line.trim().is_empty() {
            out.push('\n');
        } else if starts_block {
            let _ = writeln!(out, "{indent}\\{t}");
        } else {
            let _ = writeln!(out, "{indent}{t}");
        }
    }
}

/// One-line text for headings and list items.
fn inline(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn plural<'s>(n: usize, one: &'s str, many: &'s str) -> &'s str {
    if n == 1 {
        one
    } else {
        many
    }
}
