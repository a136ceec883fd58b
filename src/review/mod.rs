//! Review comments on notes: threads anchored to quoted text or to a node or
//! edge of a diagram, kept in `<vault>/.strata/reviews/<note path>.ron`.
//!
//! Pure data and files: no egui, so the CLI summary and tests use the same
//! code as the review panel. Anchors carry the quote plus a little context
//! and the heading path, so a thread follows its text through edits
//! ([`anchor`]); when the text is gone the thread is flagged `outdated` and
//! kept, never dropped.

pub mod anchor;
pub mod store;
pub mod summary;
pub mod time;

use std::ops::Range;

use serde::{Deserialize, Serialize};

pub use anchor::{Found, Located};
pub use store::{ReviewError, ReviewStore};

/// Current layout of a review file; older files without the field load as 1.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Status {
    #[default]
    Open,
    Resolved,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Resolved => "resolved",
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub author: String,
    /// RFC 3339, UTC.
    pub time: String,
    pub body: String,
}

/// Where in the note's text a comment points.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct TextAnchor {
    /// The selected text, verbatim.
    pub quote: String,
    /// Text right before the quote (a few dozen characters), to tell
    /// duplicates apart and to find the spot again after the quote changed.
    #[serde(default)]
    pub prefix: String,
    /// Text right after the quote.
    #[serde(default)]
    pub suffix: String,
    /// Headings enclosing the quote, outermost first.
    #[serde(default)]
    pub headings: Vec<String>,
}

/// A node (`A`) or an edge (`A->B`) of the note's n-th diagram block.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct DiagramAnchor {
    /// 0-based position among the note's ```mermaid / ```dot blocks.
    pub diagram: usize,
    /// Node id, or `from->to` for an edge.
    pub element: String,
    #[serde(default)]
    pub headings: Vec<String>,
}

impl DiagramAnchor {
    /// `(from, to)` when the element is an edge.
    pub fn edge(&self) -> Option<(&str, &str)> {
        let (a, b) = self.element.split_once("->")?;
        Some((a.trim(), b.trim()))
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub enum Anchor {
    Text(TextAnchor),
    Diagram(DiagramAnchor),
}

impl Anchor {
    /// One line describing the anchor, for lists and the summary.
    pub fn describe(&self) -> String {
        match self {
            Anchor::Text(t) => t.quote.clone(),
            Anchor::Diagram(d) => match d.edge() {
                Some((a, b)) => format!("diagram {}, edge {a} → {b}", d.diagram + 1),
                None => format!("diagram {}, node {}", d.diagram + 1, d.element),
            },
        }
    }

    pub fn headings(&self) -> &[String] {
        match self {
            Anchor::Text(t) => &t.headings,
            Anchor::Diagram(d) => &d.headings,
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// Unique within the vault; also the sort key after `created`.
    pub id: String,
    pub author: String,
    /// RFC 3339, UTC.
    pub created: String,
    pub status: Status,
    /// The anchored text or diagram element could not be found in the note
    /// the last time it was checked. The thread is kept as it was.
    #[serde(default)]
    pub outdated: bool,
    pub anchor: Anchor,
    pub body: String,
    #[serde(default)]
    pub replies: Vec<Reply>,
}

impl Comment {
    /// A new open comment stamped with the current time.
    pub fn new(author: &str, body: &str, anchor: Anchor) -> Comment {
        let created = time::now_rfc3339();
        Comment {
            id: new_id(&created, author, body),
            author: author.to_owned(),
            created,
            status: Status::Open,
            outdated: false,
            anchor,
            body: body.to_owned(),
            replies: Vec::new(),
        }
    }

    /// Finds the anchor in `text`, refreshing the stored anchor when it was
    /// found only approximately (so later edits are measured against the
    /// current wording) and the `outdated` flag. Returns where it is now and
    /// whether the comment changed.
    pub fn reanchor(&mut self, text: &str) -> (Located, bool) {
        let before = self.clone();
        let located = anchor::locate(&self.anchor, text);
        match (&mut self.anchor, &located) {
            (Anchor::Text(t), Located::Text(found)) if !found.exact => {
                *t = anchor::capture(text, found.range.clone());
            }
            (Anchor::Diagram(d), Located::Diagram { index, .. }) => d.diagram = *index,
            _ => {}
        }
        self.outdated = matches!(located, Located::Outdated);
        let changed = *self != before;
        (located, changed)
    }

    /// Where the anchor is in `text`, without changing anything.
    pub fn locate(&self, text: &str) -> Located {
        anchor::locate(&self.anchor, text)
    }
}

/// Everything recorded about one note.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ReviewFile {
    #[serde(default = "format_version")]
    pub version: u32,
    /// Sorted by (created, id), so concurrent additions on two branches
    /// usually merge as separate hunks.
    #[serde(default)]
    pub comments: Vec<Comment>,
}

fn format_version() -> u32 {
    FORMAT_VERSION
}

impl Default for ReviewFile {
    fn default() -> Self {
        ReviewFile {
            version: FORMAT_VERSION,
            comments: Vec::new(),
        }
    }
}

impl ReviewFile {
    pub fn from_ron(text: &str) -> Result<ReviewFile, ron::error::SpannedError> {
        ron::from_str(text)
    }

    /// Pretty RON with one field per line and a stable comment order.
    pub fn to_ron(&self) -> Result<String, ron::Error> {
        let mut sorted = self.clone();
        sorted.sort();
        let config = ron::ser::PrettyConfig::new()
            .struct_names(true)
            .indentor("    ".to_owned())
            .separate_tuple_members(false);
        let mut text = ron::ser::to_string_pretty(&sorted, config)?;
        text.push('\n');
        Ok(text)
    }

    pub fn sort(&mut self) {
        self.comments
            .sort_by(|a, b| (&a.created, &a.id).cmp(&(&b.created, &b.id)));
    }

    pub fn comment(&self, id: &str) -> Option<&Comment> {
        self.comments.iter().find(|c| c.id == id)
    }

    /// Re-anchors every comment against the note's current text; true if
    /// anything changed (and the file should be saved).
    pub fn reanchor(&mut self, text: &str) -> bool {
        let mut changed = false;
        for c in &mut self.comments {
            changed |= c.reanchor(text).1;
        }
        changed
    }

    /// Byte ranges of the text anchors found in `text`, with comment ids.
    pub fn text_ranges(&self, text: &str) -> Vec<(String, Range<usize>)> {
        self.comments
            .iter()
            .filter_map(|c| match c.locate(text) {
                Located::Text(f) => Some((c.id.clone(), f.range)),
                _ => None,
            })
            .collect()
    }
}

/// A short id that differs between comments made in the same second by
/// the same author (a process-wide counter feeds the hash).
pub fn new_id(created: &str, author: &str, body: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let seed = format!("{created}\u{0}{author}\u{0}{body}\u{0}{n}\u{0}{nanos}");
    let h = crate::vault::save::content_hash(seed.as_bytes());
    format!("c{:012x}", h >> 16)
}

#[cfg(test)]
mod tests;
