//! Review comments on Graphviz DOT diagrams work as on flowcharts: a
//! reviewer right-clicks a node or an edge of the drawn graph, picks
//! "Comment on…", writes, and sees a count badge on the element.

mod common;
use common::review::{node_rect, on_disk, right_click_at, write_and_add};
use std::fs;
use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use strata::review::{Anchor, ReviewFile};
use strata::ui::StrataApp;

/// A flowchart before the DOT graph, so the graph is diagram 1, and a
/// labelled node so the anchor must use the id, not what is shown.
const POOL: &str = "# Pool\n\n```mermaid\nflowchart LR\n  A[Start] --> B[Stop]\n```\n\n\
## Workers\n\n```dot\ndigraph {\n  jobs [shape=box, label=\"Job queue\"];\n  jobs -> worker -> results;\n}\n```\n";

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Pool.md"), POOL).unwrap();
    dir
}

fn harness(root: &Path) -> Harness<'static, StrataApp> {
    common::app_harness(common::app_on(root, Some("Pool.md")), [1400.0, 900.0], None)
}

fn diagram_anchor(file: &ReviewFile) -> (usize, String) {
    match &file.comments.last().expect("a comment").anchor {
        Anchor::Diagram(d) => (d.diagram, d.element.clone()),
        other => panic!("not a diagram anchor: {other:?}"),
    }
}

#[test]
fn a_dot_node_comment_from_the_context_menu_is_saved_and_badged() {
    let dir = fixture();
    let mut h = harness(dir.path());
    assert!(h.query_by_label_contains("open comment on").is_none());

    h.get_by_role_and_label(Role::Button, "Job queue")
        .click_secondary();
    h.run();
    h.get_by_label("Comment on node…").click();
    h.run();
    write_and_add(&mut h, "Bound this queue.");

    assert_eq!(
        diagram_anchor(&on_disk(dir.path(), "Pool.md")),
        (1, "jobs".into())
    );
    let badge = h.get_by_role_and_label(Role::Button, "1 open comment on Job queue");
    assert!(node_rect(&h, "Job queue")
        .expand(10.0)
        .contains(badge.rect().center()));
    // Only that node is badged; the flowchart above has none.
    assert!(h
        .query_by_label_contains("open comment on worker")
        .is_none());
    assert!(h.query_by_label_contains("open comment on Start").is_none());
}

#[test]
fn a_dot_edge_is_picked_along_its_route() {
    let dir = fixture();
    let mut h = harness(dir.path());
    let (w, r) = (node_rect(&h, "worker"), node_rect(&h, "results"));
    // Top to bottom: the edge runs down from worker to results.
    let on_edge = egui::pos2(w.center().x, (w.bottom() + r.top()) / 2.0);
    right_click_at(&mut h, on_edge);
    h.get_by_label("Comment on edge…").click();
    h.run();
    write_and_add(&mut h, "Who closes results?");
    assert_eq!(
        diagram_anchor(&on_disk(dir.path(), "Pool.md")),
        (1, "worker->results".into())
    );
    assert!(h
        .query_by_role_and_label(Role::Button, "1 open comment on edge worker → results")
        .is_some());

    // Beside the graph, away from every edge, the menu only explains itself.
    let empty = egui::pos2(w.right() + 60.0, w.center().y);
    right_click_at(&mut h, empty);
    assert!(h.query_by_label("Comment on edge…").is_none());
    assert!(h.query_by_label("Comment on node…").is_none());
}

#[test]
fn a_saved_comment_on_a_dot_node_shows_a_badge_that_opens_its_thread() {
    let dir = fixture();
    let saved = "(version: 1, comments: [(id: \"c1\", author: \"ana\", \
        created: \"2026-01-01T10:00:00Z\", status: Open, anchor: Diagram((diagram: 1, \
        element: \"worker\")), body: \"Workers never stop.\"), (id: \"c2\", author: \"bo\", \
        created: \"2026-01-01T10:01:00Z\", status: Open, anchor: Diagram((diagram: 1, \
        element: \"jobs->worker\")), body: \"Unbounded?\")])\n";
    fs::create_dir_all(dir.path().join(".strata/reviews")).unwrap();
    fs::write(dir.path().join(".strata/reviews/Pool.md.ron"), saved).unwrap();
    let mut h = harness(dir.path());
    // The review panel's thread list is hidden, so the text found below
    // is the badge's tooltip.
    h.get_by_label("Files").click();
    h.run();
    assert!(h.query_by_label_contains("Workers never stop.").is_none());

    let badge = h.get_by_role_and_label(Role::Button, "1 open comment on worker");
    assert!(node_rect(&h, "worker")
        .expand(10.0)
        .contains(badge.rect().center()));
    badge.hover();
    h.run();
    assert!(h.query_by_label_contains("Workers never stop.").is_some());
    // Edges are named by what their ends show, not by their ids.
    assert!(h
        .query_by_role_and_label(Role::Button, "1 open comment on edge Job queue → worker")
        .is_some());
    h.get_by_role_and_label(Role::Button, "1 open comment on worker")
        .click();
    h.run();
    assert!(h.query_by_label("Send reply").is_some());
}

#[test]
fn a_quoted_dot_node_is_not_offered_for_comments() {
    // Review anchors read plain ids only; a comment on `"load balancer"`
    // could never be found again, so that node is plain text.
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("Pool.md"),
        "# Pool\n\n```dot\ndigraph { \"load balancer\" -> backend }\n```\n",
    )
    .unwrap();
    let mut h = harness(dir.path());
    assert!(h
        .query_by_role_and_label(Role::Button, "load balancer")
        .is_none());
    assert!(h.query_by_label("load balancer").is_some());
    h.get_by_role_and_label(Role::Button, "backend")
        .click_secondary();
    h.run();
    assert!(h.query_by_label("Comment on node…").is_some());
}

#[test]
fn a_labelled_dot_edge_has_its_badge_beside_the_label() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("Pool.md"),
        "# Pool\n\n```dot\ndigraph { a -> b [label=\"hand off\"] }\n```\n",
    )
    .unwrap();
    let saved = "(version: 1, comments: [(id: \"c1\", author: \"ana\", \
        created: \"2026-01-01T10:00:00Z\", status: Open, anchor: Diagram((diagram: 0, \
        element: \"a->b\")), body: \"Who owns it after?\")])\n";
    fs::create_dir_all(dir.path().join(".strata/reviews")).unwrap();
    fs::write(dir.path().join(".strata/reviews/Pool.md.ron"), saved).unwrap();
    let h = harness(dir.path());
    let badge = h
        .get_by_role_and_label(Role::Button, "1 open comment on edge a → b")
        .rect();
    let label = h.get_by_label("hand off").rect();
    // Off the label's top-right corner, not over its text.
    assert!(
        badge.center().distance(label.right_top()) < 20.0,
        "badge {badge:?}, label {label:?}"
    );
    assert!(badge.center().x > label.center().x);
}
