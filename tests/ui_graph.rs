//! UI tests for the graph view: open it like a user (Ctrl+G, the View
//! menu), find nodes by their accessible names ("Graph node: <title>"),
//! click, filter, and check which note opened and which nodes remain.

use std::fs;
use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::Harness;
use strata::ui::graph_view::NODE_LABEL;
use strata::ui::{AppConfig, StrataApp};

mod common;
use common::{copy_dir, samples_dir};

fn samples_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("samples");
    copy_dir(&samples_dir(), &root);
    (dir, root)
}

/// Every `.md` file under `root` with its text, read straight from disk so
/// expectations do not come from the code under test.
fn md_files(root: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let hidden = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                let text = fs::read_to_string(&p).unwrap();
                out.push((p, text));
            }
        }
    }
    out
}

fn app_on(root: &Path, open: Option<&str>) -> StrataApp {
    StrataApp::new(AppConfig {
        vault: root.to_path_buf(),
        settings_path: None,
        open_note: open.map(str::to_owned),
    })
    .expect("vault opens")
}

fn harness(app: StrataApp) -> Harness<'static, StrataApp> {
    common::app_harness(app, [1280.0, 800.0], None)
}

/// Titles of the nodes currently in the graph, sorted.
fn graph_nodes(h: &Harness<'_, StrataApp>) -> Vec<String> {
    let mut v: Vec<String> = h
        .query_all_by_label_contains(NODE_LABEL)
        .filter_map(|n| n.accesskit_node().label())
        .filter_map(|l| l.strip_prefix(NODE_LABEL).map(str::to_owned))
        .collect();
    v.sort();
    v
}

fn open_graph(h: &mut Harness<'_, StrataApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::G);
    h.run();
}

#[test]
fn ctrl_g_shows_every_sample_note_and_closes_again() {
    let (_dir, root) = samples_copy();
    let files = md_files(&root);
    let mut h = harness(app_on(&root, None));
    assert!(graph_nodes(&h).is_empty(), "graph is closed at start");
    open_graph(&mut h);
    let nodes = graph_nodes(&h);
    assert_eq!(nodes.len(), files.len(), "{nodes:?}");
    for title in [
        "Deadlock",
        "Start here",
        "Glossary",
        "协程泄漏速查",
        "WaitGroup",
    ] {
        assert!(
            nodes.iter().any(|n| n == title),
            "{title} missing: {nodes:?}"
        );
    }
    open_graph(&mut h);
    assert!(graph_nodes(&h).is_empty(), "Ctrl+G closes the view");
}

#[test]
fn clicking_a_node_opens_that_note() {
    let (_dir, root) = samples_copy();
    let mut h = harness(app_on(&root, None));
    h.get_by_label("View").click();
    h.run();
    h.get_by_label_contains("Graph view").click();
    h.run();
    assert!(!graph_nodes(&h).is_empty(), "menu opens the graph view");
    h.get_by_label(&format!("{NODE_LABEL}Deadlock")).click();
    h.run();
    assert_eq!(h.state().active_path(), Some("traps/Deadlock.md"));
    assert!(graph_nodes(&h).is_empty(), "the note replaces the graph");
    // Another node, to be sure the click lands on the node under the
    // pointer and not on the first one.
    open_graph(&mut h);
    h.get_by_label(&format!("{NODE_LABEL}Glossary")).click();
    h.run();
    assert_eq!(h.state().active_path(), Some("Glossary.md"));
}

#[test]
fn search_filter_keeps_only_matching_notes() {
    let (_dir, root) = samples_copy();
    let files = md_files(&root);
    let matching = files
        .iter()
        .filter(|(_, t)| t.to_lowercase().contains("deadlock"))
        .count();
    assert!(matching > 1 && matching < files.len());
    let mut h = harness(app_on(&root, None));
    open_graph(&mut h);
    assert_eq!(graph_nodes(&h).len(), files.len());
    h.get_by_role_and_label(Role::TextInput, "Search").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Search")
        .type_text("DeadLock");
    h.run();
    let nodes = graph_nodes(&h);
    assert_eq!(nodes.len(), matching, "{nodes:?}");
    assert!(nodes.iter().any(|n| n == "Deadlock"));
    assert!(!nodes.iter().any(|n| n == "JavaScript var and let"));
}

#[test]
fn tag_filter_and_tag_nodes() {
    let (_dir, root) = samples_copy();
    let mut h = harness(app_on(&root, None));
    open_graph(&mut h);
    assert!(!graph_nodes(&h).iter().any(|n| n.starts_with('#')));
    h.get_by_label("Tag").click();
    h.run();
    // The tag list is longer than the menu's scroll area: scroll to the
    // entry first, as a user would, so the click lands on it.
    h.get_by_label("#trap").scroll_to_me();
    h.run();
    h.get_by_label("#trap").click();
    h.run();
    assert_eq!(
        graph_nodes(&h),
        [
            "Deadlock",
            "Defer in loops",
            "Goroutine leaks",
            "Loop variable capture"
        ]
    );
    h.get_by_label("Tags").click();
    h.run();
    let nodes = graph_nodes(&h);
    assert!(nodes.iter().any(|n| n == "#trap"), "{nodes:?}");
    assert!(nodes.iter().any(|n| n == "#go"), "{nodes:?}");
}

#[test]
fn local_graph_follows_links_to_the_chosen_depth() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    fs::write(r.join("A.md"), "# A\n[[B]]\n").unwrap();
    fs::write(r.join("B.md"), "# B\n[[C]]\n").unwrap();
    fs::write(r.join("C.md"), "# C\n[[D]] and [[Ghost]]\n").unwrap();
    fs::write(r.join("D.md"), "# D\n").unwrap();
    fs::write(r.join("E.md"), "# E\nalone\n").unwrap();
    let mut h = harness(app_on(r, Some("B.md")));
    open_graph(&mut h);
    assert_eq!(graph_nodes(&h), ["A", "B", "C", "D", "E"]);
    h.get_by_label("Local graph").click();
    h.run();
    assert_eq!(graph_nodes(&h), ["A", "B", "C"]);
    h.get_by_label("Unresolved").click();
    h.run();
    assert_eq!(graph_nodes(&h), ["A", "B", "C"], "Ghost is two links away");
    h.get_by_label("Local graph").click();
    h.run();
    assert_eq!(graph_nodes(&h), ["A", "B", "C", "D", "E", "Ghost"]);
    h.get_by_label("Orphans").click();
    h.run();
    assert_eq!(graph_nodes(&h), ["A", "B", "C", "D", "Ghost"]);
}
