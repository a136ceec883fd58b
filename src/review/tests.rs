use super::anchor::{capture, diagram_blocks, diagram_has, heading_path, locate_text};
use super::store::{self, review_path, ReviewStore};
use super::*;

const NOTE: &str = "# Channels\n\n## Closing\n\nOnly the sender should close a channel. \
Receivers must not close it.\n\n## Ranging\n\nA range loop stops when the channel is closed \
and drained.\n";

fn anchor_on(text: &str, quote: &str) -> TextAnchor {
    let at = text.find(quote).expect("quote in text");
    capture(text, at..at + quote.len())
}

fn found(a: &TextAnchor, text: &str) -> Option<(String, bool)> {
    locate_text(a, text).map(|f| (text[f.range].to_owned(), f.exact))
}

#[test]
fn capture_keeps_context_and_heading_path() {
    let a = anchor_on(NOTE, "Receivers must not close it.");
    assert_eq!(a.headings, vec!["Channels", "Closing"]);
    assert!(a.prefix.ends_with("close a channel. "), "{:?}", a.prefix);
    assert!(a.suffix.starts_with("\n\n## Ranging"), "{:?}", a.suffix);
    assert!(a.prefix.chars().count() <= anchor::CONTEXT_CHARS);
}

#[test]
fn insert_before_keeps_exact_anchor() {
    let a = anchor_on(NOTE, "the sender should close");
    let edited = NOTE.replace("## Closing\n\n", "## Closing\n\nA new first paragraph.\n\n");
    let f = locate_text(&a, &edited).unwrap();
    assert!(f.exact);
    assert_eq!(&edited[f.range.clone()], "the sender should close");
    assert!(f.range.start > NOTE.find("the sender").unwrap());
}

#[test]
fn edit_inside_the_quote_is_found_fuzzily() {
    let a = anchor_on(
        NOTE,
        "A range loop stops when the channel is closed and drained.",
    );
    let edited = NOTE.replace(
        "stops when the channel is closed",
        "stops only when the channel has been closed",
    );
    let (text, exact) = found(&a, &edited).expect("still found");
    assert!(!exact);
    assert_eq!(
        text,
        "A range loop stops only when the channel has been closed and drained."
    );
}

#[test]
fn quote_edited_at_both_ends_is_found_from_its_context() {
    let a = anchor_on(NOTE, "Receivers must not close it.");
    let edited = NOTE.replace(
        "Receivers must not close it.",
        "A receiver must never close it!",
    );
    let (text, exact) = found(&a, &edited).expect("found between old prefix and suffix");
    assert!(!exact);
    assert_eq!(text, "A receiver must never close it!");
}

#[test]
fn deleting_the_anchored_text_makes_the_comment_outdated_not_gone() {
    let a = anchor_on(NOTE, "Receivers must not close it.");
    let edited = NOTE.replace(" Receivers must not close it.", "");
    assert_eq!(found(&a, &edited), None);
    let mut c = Comment::new("Ada", "Why?", Anchor::Text(a.clone()));
    let (located, changed) = c.reanchor(&edited);
    assert_eq!(located, Located::Outdated);
    assert!(changed && c.outdated);
    assert_eq!(c.anchor, Anchor::Text(a), "anchor kept for a later undo");
    // The text coming back (undo) clears the flag.
    let (located, _) = c.reanchor(NOTE);
    assert!(matches!(located, Located::Text(ref f) if f.exact));
    assert!(!c.outdated);
}

#[test]
fn moved_to_another_paragraph_is_found() {
    let quote = "Receivers must not close it.";
    let a = anchor_on(NOTE, quote);
    let edited = NOTE
        .replace(" Receivers must not close it.", "")
        .replace("and drained.", "and drained. Receivers must not close it.");
    let f = locate_text(&a, &edited).unwrap();
    assert!(f.exact);
    assert_eq!(&edited[f.range.clone()], quote);
    assert_eq!(
        heading_path(&edited, f.range.start),
        vec!["Channels", "Ranging"]
    );
}

#[test]
fn moved_and_slightly_edited_is_found() {
    let a = anchor_on(NOTE, "Only the sender should close a channel.");
    let edited = NOTE
        .replace("Only the sender should close a channel. ", "")
        .replace(
            "and drained.\n",
            "and drained.\n\nOnly the sender should close the channel.\n",
        );
    let (text, exact) = found(&a, &edited).unwrap();
    assert!(!exact);
    assert_eq!(text, "Only the sender should close the channel.");
}

#[test]
fn duplicates_are_told_apart_by_context() {
    let text = "# A\n\nclose the channel once.\n\n# B\n\nNever close the channel twice.\n";
    let second = text.rfind("close the channel").unwrap();
    let a = capture(text, second..second + "close the channel".len());
    let f = locate_text(&a, text).unwrap();
    assert_eq!(f.range.start, second);

    // A new copy of the quote inserted above both does not steal the anchor.
    let edited = format!("Intro: close the channel.\n\n{text}");
    let f = locate_text(&a, &edited).unwrap();
    assert_eq!(
        f.range.start,
        second + "Intro: close the channel.\n\n".len()
    );

    // Same words, surroundings changed on one side only: heading path and
    // the other side still decide.
    let edited = text.replace("Never close", "You should never close");
    let f = locate_text(&a, &edited).unwrap();
    assert_eq!(heading_path(&edited, f.range.start), vec!["B"]);
}

#[test]
fn empty_and_tiny_quotes_do_not_match_anything_at_random() {
    let mut a = anchor_on(NOTE, "close");
    a.quote = String::new();
    assert_eq!(locate_text(&a, NOTE), None);
    let a = anchor_on("x go y", "go");
    assert_eq!(found(&a, "nothing here"), None);
}

#[test]
fn cjk_text_anchors_on_char_boundaries() {
    let text = "# 通道\n\n关闭通道以后仍可读取剩余的值。\n";
    let a = anchor_on(text, "仍可读取剩余的值");
    let edited = text.replace("仍可读取剩余的值", "仍然可以读取剩余的值");
    let (t, exact) = found(&a, &edited).unwrap();
    assert!(!exact);
    assert!(t.contains("读取剩余的值"), "{t}");
}

#[test]
fn reanchor_refreshes_a_fuzzy_anchor_so_it_keeps_following() {
    let a = anchor_on(
        NOTE,
        "A range loop stops when the channel is closed and drained.",
    );
    let mut c = Comment::new("Ada", "ok", Anchor::Text(a));
    let v1 = NOTE.replace("is closed", "has been closed");
    let (_, changed) = c.reanchor(&v1);
    assert!(changed);
    match &c.anchor {
        Anchor::Text(t) => assert!(t.quote.contains("has been closed"), "{}", t.quote),
        Anchor::Diagram(_) => unreachable!(),
    }
    let (again, changed) = c.reanchor(&v1);
    assert!(matches!(again, Located::Text(ref f) if f.exact));
    assert!(!changed, "a stable text causes no rewrite");
}

#[test]
fn heading_path_ignores_headings_in_code_fences() {
    let text = "# Top\n\n```go\n# not a heading\n```\n\n## Sub ##\n\nbody\n";
    let at = text.find("body").unwrap();
    assert_eq!(heading_path(text, at), vec!["Top", "Sub"]);
    assert_eq!(heading_path(text, 0), vec!["Top"]);
}

const DIAGRAMS: &str = "# D\n\n```mermaid\nflowchart LR\n  A[Start here] --> B{Closed?}\n  \
B -->|yes| C\n  %% D is only in a comment\n```\n\ntext\n\n~~~dot\ndigraph { X -> Y }\n~~~\n";

#[test]
fn finds_diagram_blocks_and_their_elements() {
    let blocks = diagram_blocks(DIAGRAMS);
    assert_eq!(blocks.len(), 2);
    assert!(!blocks[0].dot && blocks[1].dot);
    let src = &DIAGRAMS[blocks[0].source.clone()];
    assert!(src.starts_with("flowchart LR"));
    assert!(diagram_has(src, "A", false) && diagram_has(src, "C", false));
    assert!(!diagram_has(src, "Start", false), "label words are not ids");
    assert!(!diagram_has(src, "D", false), "comments do not count");
    assert!(diagram_has(src, "A->B", false) && diagram_has(src, "B->C", false));
    assert!(!diagram_has(src, "C->B", false));
    let dot = &DIAGRAMS[blocks[1].source.clone()];
    assert!(diagram_has(dot, "X->Y", true) && !diagram_has(dot, "Y->X", true));
    assert_eq!(
        anchor::dot_elements(
            "digraph G {\n  a -> b -> c [label=\"x y\"];\n  node [shape=box]\n  d\n}"
        ),
        vec!["a", "b", "c", "a->b", "b->c", "d"]
    );
}

#[test]
fn diagram_anchor_follows_its_block_and_goes_outdated_when_removed() {
    let anchor = Anchor::Diagram(DiagramAnchor {
        diagram: 1,
        element: "X->Y".into(),
        headings: vec!["D".into()],
    });
    let mut c = Comment::new("Ada", "edge?", anchor);
    assert!(matches!(
        c.locate(DIAGRAMS),
        Located::Diagram { index: 1, .. }
    ));
    // A diagram inserted before shifts the index; the comment follows.
    let edited = DIAGRAMS.replace("text\n", "```mermaid\nflowchart TD\n P --> Q\n```\n");
    let (loc, changed) = c.reanchor(&edited);
    assert!(matches!(loc, Located::Diagram { index: 2, .. }), "{loc:?}");
    assert!(changed);
    let gone = edited.replace("X -> Y", "X");
    let (loc, _) = c.reanchor(&gone);
    assert_eq!(loc, Located::Outdated);
    assert!(c.outdated);
}

fn sample_file() -> ReviewFile {
    let a = anchor_on(NOTE, "Receivers must not close it.");
    let mut c1 = Comment::new(
        "Ada",
        "Say why: \"close\" panics\non a closed channel.",
        Anchor::Text(a),
    );
    c1.created = "2026-11-27T03:45:12Z".into();
    c1.replies.push(Reply {
        author: "李雷".into(),
        time: "2026-11-27T04:00:00Z".into(),
        body: "同意。".into(),
    });
    let mut c2 = Comment::new(
        "Bob",
        "Label?",
        Anchor::Diagram(DiagramAnchor {
            diagram: 0,
            element: "A->B".into(),
            headings: vec![],
        }),
    );
    c2.created = "2026-11-26T10:00:00Z".into();
    c2.status = Status::Resolved;
    ReviewFile {
        version: FORMAT_VERSION,
        comments: vec![c1, c2],
    }
}

#[test]
fn ron_round_trip_is_lossless_sorted_and_stable() {
    let file = sample_file();
    let text = file.to_ron().unwrap();
    let back = ReviewFile::from_ron(&text).unwrap();
    let mut sorted = file.clone();
    sorted.sort();
    assert_eq!(back, sorted);
    assert_eq!(back.comments[0].author, "Bob", "oldest first");
    assert_eq!(
        back.to_ron().unwrap(),
        text,
        "writing twice gives the same bytes"
    );
    assert!(text.starts_with("ReviewFile(\n"), "{text}");
    assert!(
        text.contains("\n                quote: \"Receivers must not close it.\",\n"),
        "{text}"
    );
    assert!(text.contains("李雷"), "non-ASCII is kept readable");
}

#[test]
fn old_files_without_optional_fields_still_load() {
    let text = r#"ReviewFile(comments: [Comment(id: "c1", author: "Ada",
        created: "2026-01-01T00:00:00Z", status: Open,
        anchor: Text(TextAnchor(quote: "x")), body: "b")])"#;
    let f = ReviewFile::from_ron(text).unwrap();
    assert_eq!(f.version, FORMAT_VERSION);
    assert!(!f.comments[0].outdated && f.comments[0].replies.is_empty());
}

#[test]
fn store_writes_atomically_and_follows_renames() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut st = ReviewStore::open(root);
    let file = sample_file();
    for c in file.comments.clone() {
        st.add("notes/chan.md", c).unwrap();
    }
    let path = review_path(root, "notes/chan.md").unwrap();
    assert!(path.ends_with(".strata/reviews/notes/chan.md.ron"));
    let on_disk = std::fs::read_to_string(&path).unwrap();
    assert_eq!(ReviewFile::from_ron(&on_disk).unwrap().comments.len(), 2);
    assert_eq!(store::list(root), vec!["notes/chan.md"]);

    let id = file.comments[0].id.clone();
    st.update("notes/chan.md", &id, |c| c.status = Status::Resolved)
        .unwrap();
    assert_eq!(
        ReviewStore::open(root).find(&id).unwrap().1.status,
        Status::Resolved
    );
    assert!(st.update("notes/chan.md", "nope", |_| {}).is_err());

    assert!(store::move_reviews(root, "notes/chan.md", "moved/c.md").unwrap());
    st.renamed("notes/chan.md", "moved/c.md");
    assert!(!path.exists());
    assert_eq!(st.file("moved/c.md").unwrap().comments.len(), 2);
    assert!(!store::move_reviews(root, "notes/chan.md", "x.md").unwrap());

    // Deleting the last comment removes the file.
    for c in file.comments {
        st.delete("moved/c.md", &c.id).unwrap();
    }
    assert!(!review_path(root, "moved/c.md").unwrap().exists());
    assert!(st.notes().next().is_none());
}

#[test]
fn moving_onto_existing_reviews_merges_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let file = sample_file();
    let one = ReviewFile {
        version: 1,
        comments: vec![file.comments[0].clone()],
    };
    let two = ReviewFile {
        version: 1,
        comments: vec![file.comments[1].clone()],
    };
    store::save(root, "a.md", &one).unwrap();
    store::save(root, "b.md", &two).unwrap();
    store::move_reviews(root, "a.md", "b.md").unwrap();
    assert_eq!(store::load(root, "b.md").unwrap().comments.len(), 2);
    assert!(!review_path(root, "a.md").unwrap().exists());
}

#[test]
fn corrupt_ron_is_reported_with_position_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let path = review_path(root, "n.md").unwrap();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let bad = "ReviewFile(\n    comments: [\n        Comment(id: 5,\n";
    std::fs::write(&path, bad).unwrap();
    let err = store::load(root, "n.md").unwrap_err().to_string();
    let want = format!("{}:3:", path.display());
    assert!(err.starts_with(&want), "{err}");

    let mut st = ReviewStore::open(root);
    let errors: Vec<String> = st.errors().map(|(n, e)| format!("{n} {e}")).collect();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].contains(":3:"), "{errors:?}");
    let c = sample_file().comments[0].clone();
    let refused = st.add("n.md", c).unwrap_err().to_string();
    assert!(refused.contains("not saved"), "{refused}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), bad);
    assert!(!st.reanchor("n.md", NOTE).unwrap());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), bad);
}

#[test]
fn bad_note_paths_are_refused() {
    let root = std::path::Path::new("/v");
    for p in ["", "../x.md", "a//b.md", "/abs.md", "a/./b.md", "c:\\x.md"] {
        assert!(review_path(root, p).is_err(), "{p}");
    }
}

#[test]
fn store_reanchor_saves_only_when_something_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut st = ReviewStore::open(root);
    let a = anchor_on(NOTE, "Receivers must not close it.");
    st.add("n.md", Comment::new("Ada", "b", Anchor::Text(a)))
        .unwrap();
    let path = review_path(root, "n.md").unwrap();
    let before = std::fs::read_to_string(&path).unwrap();
    assert!(!st.reanchor("n.md", NOTE).unwrap());
    let gone = NOTE.replace("Receivers must not close it.", "");
    assert!(st.reanchor("n.md", &gone).unwrap());
    let after = std::fs::read_to_string(&path).unwrap();
    assert_ne!(before, after);
    assert!(after.contains("outdated: true"));
    assert_eq!(st.comments().count(), 1, "outdated comments are kept");
}

#[test]
fn summary_groups_by_note_and_status() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut st = ReviewStore::open(root);
    for c in sample_file().comments {
        st.add("chan.md", c).unwrap();
    }
    let md = summary::markdown(&st, |p| (p == "chan.md").then_some(NOTE));
    assert!(
        md.contains("1 open and 1 resolved comments in 1 note."),
        "{md}"
    );
    let open = md.find("### Open (1)").unwrap();
    let resolved = md.find("### Resolved (1)").unwrap();
    assert!(open < resolved);
    assert!(md.contains("> Receivers must not close it."));
    assert!(md.contains("*line 5 · under Channels › Closing*"), "{md}");
    assert!(md.contains("> diagram 1, edge A → B"));
    assert!(
        md.contains("- **李雷** (2026-11-27 04:00 UTC):\n  同意。"),
        "{md}"
    );
    let gone = summary::markdown(&st, |_| None);
    assert!(gone.contains("The note no longer exists"));
}
