//! Graphviz DOT nodes act like flowchart nodes: a click opens the note a
//! node names, on a slide a click pins the node's highlight (Ctrl/Cmd +
//! click still follows it), and the greyed copy under an error is inert.

mod common;
use std::fs;
use std::path::Path;

use egui::accesskit::{Role, Toggled};
use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use egui_kittest::Harness;
use strata::ui::diagram_view::{show_dot_with, DiagramAction, DiagramCache, Options};
use strata::ui::StrataApp;

/// "Part one" is a node's label and a note; `server` and `cache` name none.
const TALK: &str = "# Talk\n\n```dot\ndigraph {\n  client [shape=box, label=\"Part one\"];\n  \
client -> server;\n  cache;\n}\n```\n";

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Talk.md"), TALK).unwrap();
    fs::write(
        dir.path().join("Part one.md"),
        "# Part one\n\nFirst part.\n",
    )
    .unwrap();
    dir
}

fn harness(root: &Path) -> Harness<'static, StrataApp> {
    common::app_harness(common::app_on(root, Some("Talk.md")), [1280.0, 800.0], None)
}

fn pinned(h: &Harness<'static, StrataApp>, node: &str) -> bool {
    h.get_by_role_and_label(Role::Button, node)
        .accesskit_node()
        .toggled()
        == Some(Toggled::True)
}

/// The node button of that name on the drawn graph (the note list has a
/// "Part one" button too).
fn graph_node<'h>(h: &'h Harness<'static, StrataApp>, name: &'h str) -> egui_kittest::Node<'h> {
    let graph = h.get_by_role_and_label(Role::Image, "Graph").rect();
    h.query_all_by_role_and_label(Role::Button, name)
        .find(|n| graph.contains(n.rect().center()))
        .expect("a node on the graph")
}

fn presenting(h: &Harness<'static, StrataApp>) -> bool {
    h.query_by_label("Slide 1 of 1").is_some()
}

#[test]
fn clicking_a_dot_node_whose_label_names_a_note_opens_it() {
    let dir = fixture();
    let mut h = harness(dir.path());
    assert_eq!(h.state().active_path(), Some("Talk.md"));
    // A node that names no note stays where it is.
    h.get_by_role_and_label(Role::Button, "server").click();
    h.run();
    assert_eq!(h.state().active_path(), Some("Talk.md"));
    graph_node(&h, "Part one").click();
    h.run();
    assert_eq!(h.state().active_path(), Some("Part one.md"));
}

#[test]
fn a_click_on_a_slide_dot_node_pins_it_and_ctrl_click_follows() {
    let dir = fixture();
    let mut h = harness(dir.path());
    h.key_press(Key::F5);
    h.run();
    assert!(presenting(&h));
    assert!(!pinned(&h, "Part one"));

    h.get_by_role_and_label(Role::Button, "Part one").click();
    h.run();
    assert!(presenting(&h));
    assert!(pinned(&h, "Part one"));
    assert!(!pinned(&h, "server"));
    assert_eq!(h.state().active_path(), Some("Talk.md"));
    // The pin outlasts the pointer leaving the node.
    let graph = h.get_by_role_and_label(Role::Image, "Graph").rect();
    let corner = graph.left_top() + egui::vec2(3.0, 3.0);
    h.hover_at(corner);
    h.run();
    assert!(pinned(&h, "Part one"));

    // Another node takes the pin over.
    h.get_by_role_and_label(Role::Button, "server").click();
    h.run();
    assert!(pinned(&h, "server"));
    assert!(!pinned(&h, "Part one"));

    // A click on the background releases it.
    h.event(egui::Event::PointerMoved(corner));
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: corner,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run();
    assert!(!pinned(&h, "server"));
    assert!(presenting(&h));

    // Ctrl (Cmd) + click still follows the node to its note.
    h.get_by_role_and_label(Role::Button, "Part one")
        .click_modifiers(Modifiers::COMMAND);
    h.run();
    assert!(!presenting(&h));
    assert_eq!(h.state().active_path(), Some("Part one.md"));
}

struct Block {
    cache: DiagramCache,
    source: String,
    actions: Vec<DiagramAction>,
}

/// One DOT block with no review comments, where `Queue` and `worker` are
/// notes.
fn block(source: &str) -> Harness<'static, Block> {
    let state = Block {
        cache: DiagramCache::new(),
        source: source.to_string(),
        actions: Vec::new(),
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(700.0, 700.0))
        .with_context_setup(strata::ui::install_fonts)
        .build_ui_state(
            |ui, st: &mut Block| {
                let is_note = |name: &str| name == "Queue" || name == "worker";
                let opts = Options {
                    is_note: &is_note,
                    review: None,
                    badges: &[],
                    presenting: false,
                    pin_id: None,
                };
                let source = st.source.clone();
                let id = egui::Id::unique("dot");
                if let Some(a) = show_dot_with(ui, &mut st.cache, id, &source, false, &opts) {
                    st.actions.push(a);
                }
            },
            state,
        );
    h.run();
    h
}

#[test]
fn dot_nodes_open_notes_without_review_comments_by_label_or_id() {
    // `worker` shows "Pool", which names no note, so its id counts.
    let mut h = block("digraph { q [label=\"Queue\"]; worker [label=\"Pool\"]; q -> worker -> r }");
    assert!(h.query_by_label("Comment on node…").is_none());
    h.get_by_role_and_label(Role::Button, "r").click();
    h.run();
    assert!(h.state().actions.is_empty());
    h.get_by_role_and_label(Role::Button, "Queue").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Pool").click();
    h.run();
    assert_eq!(
        h.state().actions,
        vec![
            DiagramAction::OpenNote("Queue".into()),
            DiagramAction::OpenNote("worker".into())
        ]
    );
}

/// Fill of every ellipse painted last frame, by its centre.
fn ellipse_fills(h: &Harness<'static, Block>) -> Vec<(egui::Pos2, egui::Color32)> {
    h.output()
        .shapes
        .iter()
        .filter_map(|c| match &c.shape {
            egui::Shape::Ellipse(e) if e.fill.a() > 0 => Some((e.center, e.fill)),
            _ => None,
        })
        .collect()
}

#[test]
fn hovering_a_dot_node_dims_what_it_is_not_joined_to() {
    let mut h = block("digraph { a -> b -> c }");
    let centre = |h: &Harness<'static, Block>, name: &str| {
        h.get_by_role_and_label(Role::Button, name).rect().center()
    };
    let fill_at = |h: &Harness<'static, Block>, p: egui::Pos2| {
        ellipse_fills(h)
            .into_iter()
            .find(|(c, _)| c.distance(p) < 2.0)
            .map(|(_, f)| f)
            .expect("a node shape there")
    };
    let (a, b, c) = (centre(&h, "a"), centre(&h, "b"), centre(&h, "c"));
    let plain = fill_at(&h, c);
    assert_eq!(fill_at(&h, a), plain);
    h.hover_at(a);
    h.run();
    // `a` and its neighbour `b` stay as they were; `c` fades.
    assert_eq!(fill_at(&h, a), plain);
    assert_eq!(fill_at(&h, b), plain);
    assert!(fill_at(&h, c).a() < plain.a());
    // Off the nodes, everything is back to full strength.
    h.hover_at(egui::pos2(5.0, 690.0));
    h.run();
    assert_eq!(fill_at(&h, c), plain);
}

#[test]
fn the_greyed_copy_under_a_dot_error_takes_no_clicks() {
    let mut h = block("digraph { q -> worker }");
    h.get_by_role_and_label(Role::Button, "worker");
    h.state_mut().source = "digraph { q -> ".to_string();
    h.run();
    h.get_by_label_contains("dot:");
    // The drawing stays readable, but its nodes are no longer buttons.
    assert!(h.query_by_role_and_label(Role::Button, "worker").is_none());
    let label = h.get_by_label("worker");
    assert_eq!(label.accesskit_node().role(), Role::Label);
    label.click();
    h.run();
    assert!(h.state().actions.is_empty());
}
