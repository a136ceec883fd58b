//! Review comments in the window, driven through the AccessKit tree like a
//! user: select text, add a comment, see it in the panel and on disk,
//! resolve, filter, reply, delete, and follow a rename.

mod common;
use std::fs;
use std::path::Path;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use strata::review::{ReviewFile, Status};
use strata::ui::StrataApp;

const ALPHA: &str = "# Alpha\n\n## Closing\n\nOnly the sender closes the channel.\n\n\
Receivers just range over it.\n";

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Alpha.md"), ALPHA).unwrap();
    fs::write(
        dir.path().join("Beta.md"),
        "# Beta\n\nCall Add before go.\n\n```mermaid\nflowchart LR\n  A --> B\n```\n",
    )
    .unwrap();
    dir
}

fn review_file(root: &Path, note: &str) -> std::path::PathBuf {
    root.join(".strata/reviews").join(format!("{note}.ron"))
}

fn on_disk(root: &Path, note: &str) -> ReviewFile {
    let text = fs::read_to_string(review_file(root, note)).expect("review file written");
    ReviewFile::from_ron(&text).expect("valid RON")
}

fn harness(root: &Path, open: &str) -> Harness<'static, StrataApp> {
    common::app_harness(common::app_on(root, Some(open)), [1280.0, 800.0], None)
}

/// Selects line `down + 1` of the editor with the keyboard, as a user
/// would: Ctrl+Home, arrow down, Shift+End.
fn select_line(h: &mut Harness<'static, StrataApp>, down: usize) {
    h.get_by_role(Role::MultilineTextInput).focus();
    h.run();
    h.key_press_modifiers(Modifiers::CTRL, Key::Home);
    h.run();
    for _ in 0..down {
        h.key_press(Key::ArrowDown);
        h.run();
    }
    h.key_press_modifiers(Modifiers::SHIFT, Key::End);
    h.run();
}

fn add_comment(h: &mut Harness<'static, StrataApp>, body: &str) {
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::ALT, Key::M);
    h.run();
    common::review::write_and_add(h, body);
}

/// Review files for two notes by two authors, as a teammate's checkout
/// would bring them.
fn seed_reviews(root: &Path) {
    let dir = root.join(".strata/reviews");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("Alpha.md.ron"),
        r#"ReviewFile(comments: [Comment(id: "a1", author: "Ada", created: "2026-11-20T09:00:00Z",
            status: Open, anchor: Text(TextAnchor(quote: "Receivers just range")),
            body: "Range until closed.")])"#,
    )
    .unwrap();
    fs::write(
        dir.join("Beta.md.ron"),
        r#"ReviewFile(comments: [Comment(id: "b1", author: "Bob", created: "2026-11-21T09:00:00Z",
            status: Open, anchor: Diagram(DiagramAnchor(diagram: 0, element: "A->B")),
            body: "Name the edge.")])"#,
    )
    .unwrap();
}

#[test]
fn a_selected_quote_becomes_a_comment_in_the_panel_and_on_disk() {
    let dir = fixture();
    let root = dir.path();
    let mut h = harness(root, "Alpha.md");
    assert!(!review_file(root, "Alpha.md").exists());
    select_line(&mut h, 4);
    add_comment(&mut h, "Say why receivers must not.");

    // The panel switched to Review and lists the quote.
    h.get_by_label("“Only the sender closes the channel.”");
    h.get_by_label("1 of 1 comments");
    let file = on_disk(root, "Alpha.md");
    assert_eq!(file.comments.len(), 1);
    let c = &file.comments[0];
    assert_eq!(c.body, "Say why receivers must not.");
    assert_eq!(c.status, Status::Open);
    assert_eq!(
        c.author,
        h.state().settings().author,
        "author from settings"
    );
    assert!(!c.author.is_empty());
    match &c.anchor {
        strata::review::Anchor::Text(t) => {
            assert_eq!(t.quote, "Only the sender closes the channel.");
            assert_eq!(t.headings, vec!["Alpha", "Closing"]);
            assert!(t.prefix.ends_with("## Closing\n\n"), "{:?}", t.prefix);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fs::read_to_string(root.join("Alpha.md")).unwrap(), ALPHA);

    // Resolve: gone from the default (open) view, kept on disk.
    h.get_by_label("Resolve").click();
    h.run();
    assert_eq!(
        on_disk(root, "Alpha.md").comments[0].status,
        Status::Resolved
    );
    assert!(h
        .query_by_label("“Only the sender closes the channel.”")
        .is_none());
    h.get_by_label("0 of 1 comments");
    h.get_by_label("Resolved").click();
    h.run();
    h.get_by_label("“Only the sender closes the channel.”");
    h.get_by_label("Reopen").click();
    h.run();
    assert_eq!(on_disk(root, "Alpha.md").comments[0].status, Status::Open);
}

#[test]
fn nothing_selected_in_a_note_without_diagrams_explains_instead() {
    let dir = fixture();
    let mut h = harness(dir.path(), "Alpha.md");
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::ALT, Key::M);
    h.run();
    assert!(h.query_by_label("New review comment").is_none());
    h.get_by_label("Review").click();
    h.run();
    h.get_by_label_contains("Select text in the editor");
    assert!(!review_file(dir.path(), "Alpha.md").exists());
}

#[test]
fn a_diagram_node_selected_in_the_source_gets_a_diagram_comment() {
    let dir = fixture();
    let root = dir.path();
    let mut h = harness(root, "Beta.md");
    select_line(&mut h, 6);
    add_comment(&mut h, "Which goroutine is A?");
    let file = on_disk(root, "Beta.md");
    match &file.comments[0].anchor {
        strata::review::Anchor::Diagram(d) => {
            assert_eq!((d.diagram, d.element.as_str()), (0, "A->B"));
        }
        other => panic!("{other:?}"),
    }
    h.get_by_label("diagram 1, edge A → B");
}

#[test]
fn filters_by_note_author_and_status_and_jumps_to_the_note() {
    let dir = fixture();
    seed_reviews(dir.path());
    let mut h = harness(dir.path(), "Alpha.md");
    h.get_by_label("Review").click();
    h.run();
    h.get_by_label("2 of 2 comments");

    h.get_by_label("Author").click();
    h.run();
    h.get_by_label("Bob").click();
    h.run();
    h.get_by_label("1 of 2 comments");
    h.get_by_label("diagram 1, edge A → B");
    assert!(h.query_by_label("“Receivers just range”").is_none());

    h.get_by_label("Author").click();
    h.run();
    h.get_by_label("All authors").click();
    h.run();
    h.get_by_label("Note").click();
    h.run();
    // The path also shows in the status bar; the list item comes last.
    h.get_all_by_label("Alpha.md").last().unwrap().click();
    h.run();
    h.get_by_label("1 of 2 comments");
    h.get_by_label("“Receivers just range”");

    h.get_by_label("Resolved").click();
    h.run();
    h.get_by_label("0 of 2 comments");
    h.get_by_label("All").click();
    h.run();
    h.get_by_label("1 of 2 comments");

    // Clicking an entry opens its note.
    h.get_by_label("Note").click();
    h.run();
    h.get_by_label("All notes").click();
    h.run();
    h.get_by_label("diagram 1, edge A → B").click();
    h.run();
    assert_eq!(h.state().active_path(), Some("Beta.md"));
}

#[test]
fn reply_then_delete_with_confirmation() {
    let dir = fixture();
    let root = dir.path();
    seed_reviews(root);
    let mut h = harness(root, "Alpha.md");
    h.get_by_label("Review").click();
    h.run();
    h.get_by_label("Note").click();
    h.run();
    h.get_by_label("Current note").click();
    h.run();
    h.get_by_label("Reply").click();
    h.run();
    let field = h.get_by_label("Reply:");
    field.focus();
    field.type_text("Done in the next paragraph.");
    h.run();
    h.get_by_label("Send reply").click();
    h.run();
    let file = on_disk(root, "Alpha.md");
    assert_eq!(file.comments[0].replies.len(), 1);
    assert_eq!(
        file.comments[0].replies[0].body,
        "Done in the next paragraph."
    );
    h.get_by_label("Done in the next paragraph.");

    h.get_by_label("Delete").click();
    h.run();
    h.get_by_label("Delete comment?");
    h.get_by_label("Keep it").click();
    h.run();
    assert!(review_file(root, "Alpha.md").exists());
    h.get_by_label("Delete").click();
    h.run();
    h.get_by_label("Delete comment").click();
    h.run();
    assert!(!review_file(root, "Alpha.md").exists(), "last comment gone");
    assert!(review_file(root, "Beta.md").exists());
}

#[test]
fn renaming_a_note_moves_its_review_file() {
    let dir = fixture();
    let root = dir.path();
    seed_reviews(root);
    let mut h = harness(root, "Alpha.md");
    h.key_press(Key::F2);
    h.run();
    h.get_by_label("New path:")
        .set_text_value_accesskit("notes/Omega.md");
    h.run();
    h.get_by_label("Rename").click();
    h.run();
    assert!(!review_file(root, "Alpha.md").exists());
    assert_eq!(on_disk(root, "notes/Omega.md").comments[0].id, "a1");
    h.get_by_label("Review").click();
    h.run();
    h.get_by_label("Note").click();
    h.run();
    assert_eq!(
        h.get_all_by_label("notes/Omega.md").count(),
        2,
        "status bar and filter"
    );
}

#[test]
fn saving_an_edit_that_removes_the_quote_marks_the_comment_outdated() {
    let dir = fixture();
    let root = dir.path();
    seed_reviews(root);
    fs::write(root.join("Alpha.md"), "# Alpha\n\nNothing left.\n").unwrap();
    let mut h = harness(root, "Alpha.md");
    h.get_by_label("Review").click();
    h.run();
    h.get_by_label("outdated");
    let file = on_disk(root, "Alpha.md");
    assert!(file.comments[0].outdated, "flag written, comment kept");
    assert_eq!(file.comments[0].body, "Range until closed.");
}
