//! Review comments on diagram nodes and edges, made on the drawn diagram as
//! a reviewer would: right-click a node or an edge in the preview, pick
//! "Comment on…", write, and see the badge on the diagram; a badge opens its
//! thread in the review panel; a comment whose node is gone stays listed.

mod common;
use common::review::{node_rect, on_disk, right_click_at, write_and_add};
use std::fs;
use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use strata::review::Anchor;
use strata::ui::StrataApp;

/// Two diagrams, so the anchor has to name the second one.
const FLOW: &str =
    "# Flow\n\nA warm-up chart.\n\n```mermaid\nflowchart TD\n  X[Warmup] --> Y[Cooldown]\n```\n\n\
## Pipeline\n\n```mermaid\nflowchart LR\n  P[Producer] --> C[Consumer]\n```\n";

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Flow.md"), FLOW).unwrap();
    dir
}

fn harness(root: &Path, open: &str) -> Harness<'static, StrataApp> {
    common::app_harness(common::app_on(root, Some(open)), [1400.0, 900.0], None)
}

#[test]
fn a_node_comment_from_the_context_menu_is_saved_and_badged() {
    let dir = fixture();
    let mut h = harness(dir.path(), "Flow.md");
    assert!(h.query_by_label("1 open comment on Producer").is_none());

    h.get_by_role_and_label(Role::Button, "Producer")
        .click_secondary();
    h.run();
    h.get_by_label("Comment on node…").click();
    h.run();
    write_and_add(&mut h, "Bound the queue here.");

    let file = on_disk(dir.path(), "Flow.md");
    assert_eq!(file.comments.len(), 1);
    let c = &file.comments[0];
    assert_eq!(c.body, "Bound the queue here.");
    match &c.anchor {
        Anchor::Diagram(d) => {
            assert_eq!((d.diagram, d.element.as_str()), (1, "P"));
            assert_eq!(d.headings, vec!["Flow", "Pipeline"]);
        }
        other => panic!("not a diagram anchor: {other:?}"),
    }
    // The badge sits on the node; the other diagram has none.
    let badge = h.get_by_role_and_label(Role::Button, "1 open comment on Producer");
    let node = node_rect(&h, "Producer");
    assert!(node.expand(10.0).contains(badge.rect().center()));
    assert!(h
        .query_by_label_contains("open comment on Warmup")
        .is_none());
    // The new comment is listed in the review panel.
    assert!(h.query_by_label("Bound the queue here.").is_some());
}

#[test]
fn an_edge_is_picked_along_its_drawn_path() {
    let dir = fixture();
    let mut h = harness(dir.path(), "Flow.md");
    let (p, c) = (node_rect(&h, "Producer"), node_rect(&h, "Consumer"));
    // LR: the edge runs between the two boxes at their middle height.
    let on_edge = egui::pos2((p.right() + c.left()) / 2.0, p.center().y);
    right_click_at(&mut h, on_edge);
    h.get_by_label("Comment on edge…").click();
    h.run();
    write_and_add(&mut h, "Who closes this channel?");
    let file = on_disk(dir.path(), "Flow.md");
    match &file.comments[0].anchor {
        Anchor::Diagram(d) => assert_eq!((d.diagram, d.element.as_str()), (1, "P->C")),
        other => panic!("not a diagram anchor: {other:?}"),
    }
    assert!(h
        .query_by_role_and_label(Role::Button, "1 open comment on edge Producer → Consumer")
        .is_some());

    // Away from any edge the menu only explains itself.
    let empty = egui::pos2(p.left() - 2.0, p.top() - 30.0);
    right_click_at(&mut h, empty);
    assert!(h.query_by_label("Comment on edge…").is_none());
}

#[test]
fn a_badge_selects_its_thread_in_the_review_panel() {
    let dir = fixture();
    let mut h = harness(dir.path(), "Flow.md");
    for body in ["First remark.", "Second remark."] {
        h.get_by_role_and_label(Role::Button, "Consumer")
            .click_secondary();
        h.run();
        h.get_by_label("Comment on node…").click();
        h.run();
        write_and_add(&mut h, body);
    }
    // Hide the panel's view of the thread first: the Files view is shown.
    h.get_by_label("Files").click();
    h.run();
    assert!(h.query_by_label("Hide replies").is_none());

    let badge = h.get_by_role_and_label(Role::Button, "2 open comments on Consumer");
    badge.hover();
    h.run();
    // The tooltip shows the earliest comment. Both were written within the
    // same second, where the store orders by comment id: either may be it.
    assert!(
        h.query_by_label_contains("First remark.").is_some()
            || h.query_by_label_contains("Second remark.").is_some()
    );
    h.get_by_role_and_label(Role::Button, "2 open comments on Consumer")
        .click();
    h.run();
    // The review panel is back, with the first thread unfolded.
    assert!(h.query_by_label("Hide replies").is_some());
    assert!(h.query_by_label("Send reply").is_some());
}

#[test]
fn a_comment_on_a_removed_node_is_listed_as_outdated() {
    let dir = fixture();
    let stale = "(version: 1, comments: [(id: \"c1\", author: \"ana\", \
        created: \"2026-01-01T10:00:00Z\", status: Open, anchor: Diagram((diagram: 1, \
        element: \"Q\")), body: \"Queue node comment\")])\n";
    fs::create_dir_all(dir.path().join(".strata/reviews")).unwrap();
    fs::write(dir.path().join(".strata/reviews/Flow.md.ron"), stale).unwrap();
    let mut h = harness(dir.path(), "Flow.md");
    h.get_by_label("Review").click();
    h.run();
    assert!(h.query_by_label("Queue node comment").is_some());
    assert!(h.query_by_label("outdated").is_some());
    assert!(h.query_by_label_contains("open comment on").is_none());
    assert!(on_disk(dir.path(), "Flow.md").comments[0].outdated);
}

#[test]
fn in_the_preview_a_click_still_follows_the_node_target() {
    let dir = fixture();
    fs::write(
        dir.path().join("Index.md"),
        "# Index\n\n```mermaid\nflowchart LR\n  F[Go with the flow] --> Z[Nowhere]\n  click F \"Flow\"\n```\n",
    )
    .unwrap();
    let mut h = harness(dir.path(), "Index.md");
    h.get_by_role_and_label(Role::Button, "Go with the flow")
        .click();
    h.run();
    assert_eq!(h.state().active_path(), Some("Flow.md"));
}
