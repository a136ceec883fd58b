//! Diagrams in the app as a user meets them: nodes found by their label,
//! clicks that open notes and links, errors shown inline.

use egui_kittest::kittest::{NodeT as _, Queryable as _};
use egui_kittest::Harness;
use strata::ui::diagram_view::{show_dot, show_mermaid, DiagramAction, DiagramCache};

const FLOW: &str = "\
flowchart TD
  start([Start]) --> check{Channel closed?}
  check -->|yes| done[Drain done]
  check -->|no| recv[接收数据]
  recv --> check
  done --> web[Go spec]
  click web \"https://go.dev/ref/spec\" \"The language spec\"
";

struct State {
    cache: DiagramCache,
    source: String,
    dark: bool,
    dot: Option<String>,
    actions: Vec<DiagramAction>,
}

fn harness(source: &str, dot: Option<&str>) -> Harness<'static, State> {
    let state = State {
        cache: DiagramCache::new(),
        source: source.to_string(),
        dark: false,
        dot: dot.map(str::to_string),
        actions: Vec::new(),
    };
    Harness::builder()
        .with_size(egui::vec2(700.0, 900.0))
        .with_context_setup(strata::ui::install_fonts)
        .build_ui_state(
            |ui, st: &mut State| {
                let is_note = |label: &str| label == "Drain done";
                let source = st.source.clone();
                if let Some(a) = show_mermaid(
                    ui,
                    &mut st.cache,
                    egui::Id::unique("flow"),
                    &source,
                    st.dark,
                    &is_note,
                ) {
                    st.actions.push(a);
                }
                if let Some(dot) = st.dot.clone() {
                    if let Some(a) =
                        show_dot(ui, &mut st.cache, egui::Id::unique("dot"), &dot, st.dark)
                    {
                        st.actions.push(a);
                    }
                }
            },
            state,
        )
}

#[test]
fn nodes_are_found_by_label_including_chinese_and_the_decision() {
    let mut h = harness(FLOW, None);
    h.run();
    for label in [
        "Start",
        "Channel closed?",
        "Drain done",
        "接收数据",
        "Go spec",
    ] {
        h.get_by_label(label);
    }
    // Zoom controls are there and labelled.
    h.get_by_label("Fit");
    h.get_by_label("+");
    h.get_by_label("-");
}

#[test]
fn zoom_buttons_change_the_scale_and_fit_resets_it() {
    let mut h = harness(FLOW, None);
    h.run();
    h.get_by_label("100%");
    h.get_by_label("+").click();
    h.run();
    h.get_by_label("125%");
    h.get_by_label("-").click();
    h.run();
    h.get_by_label("-").click();
    h.run();
    h.get_by_label("80%");
    // Nodes stay clickable after zooming.
    h.get_by_label("Go spec").click();
    h.run();
    assert_eq!(
        h.state().actions,
        vec![DiagramAction::OpenUrl(
            "https://go.dev/ref/spec".to_string()
        )]
    );
    h.get_by_label("Fit").click();
    h.run();
    h.get_by_label("100%");
}

#[test]
fn ctrl_scroll_inside_the_frame_zooms() {
    let mut h = harness(FLOW, None);
    h.run();
    h.get_by_label("100%");
    let canvas = h.get_by_label("Flowchart").rect();
    h.hover_at(canvas.center());
    h.run();
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, 60.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::COMMAND,
    });
    h.run();
    assert!(
        h.query_by_label("100%").is_none(),
        "Ctrl+scroll did not zoom"
    );
}

#[test]
fn dragging_pans_the_drawing() {
    let mut h = harness(FLOW, None);
    h.run();
    let before = h.get_by_label("Start").rect();
    let canvas = h.get_by_label("Flowchart").rect();
    let from = canvas.left_bottom() + egui::vec2(10.0, -10.0);
    h.drag_at(from);
    h.run();
    h.hover_at(from + egui::vec2(60.0, -30.0));
    h.run();
    h.drop_at(from + egui::vec2(60.0, -30.0));
    h.run();
    let after = h.get_by_label("Start").rect();
    assert!(
        // The node's top is now clipped by the frame; its bottom-right moved
        // with the pointer.
        (after.max - before.max - egui::vec2(60.0, -30.0)).length() < 2.0,
        "{before:?} -> {after:?}"
    );
}

#[test]
fn clicking_a_node_that_names_a_note_opens_it() {
    let mut h = harness(FLOW, None);
    h.run();
    h.get_by_label("Drain done").click();
    h.run();
    assert_eq!(
        h.state().actions,
        vec![DiagramAction::OpenNote("Drain done".to_string())]
    );
}

#[test]
fn clicking_a_node_with_a_link_opens_the_url() {
    let mut h = harness(FLOW, None);
    h.run();
    h.get_by_label("Go spec").click();
    h.run();
    assert_eq!(
        h.state().actions,
        vec![DiagramAction::OpenUrl(
            "https://go.dev/ref/spec".to_string()
        )]
    );
}

#[test]
fn clicking_a_plain_node_does_nothing() {
    let mut h = harness(FLOW, None);
    h.run();
    h.get_by_label("接收数据").click();
    h.run();
    assert!(h.state().actions.is_empty());
}

#[test]
fn an_invalid_diagram_shows_line_and_column_and_keeps_the_last_drawing() {
    let mut h = harness(FLOW, None);
    h.run();
    h.state_mut().source = "flowchart TD\n  A --> B\n  B --> [oops\n".to_string();
    h.run();
    let error = h.get_by_label_contains("3:");
    let node = error.accesskit_node();
    let text = format!("{:?} {:?}", node.label(), node.value());
    assert!(text.contains('^'), "no caret snippet in {text}");
    // The last good drawing stays below the error, but its nodes no longer
    // take clicks.
    assert!(h.query_by_label("Channel closed?").is_none());
    assert!(h.query_by_label("Fit").is_none());
    h.get_by_label("Flowchart");
    // Fixing the text brings the live drawing back.
    h.state_mut().source = "flowchart TD\n  A --> B\n".to_string();
    h.run();
    h.get_by_label("A");
    assert!(h.query_by_label_contains("3:").is_none());
}

#[test]
fn an_oversized_diagram_shows_the_engines_message() {
    let mut src = String::from("flowchart TD\n");
    for i in 0..5_100 {
        src.push_str(&format!("  n{i}\n"));
    }
    let mut h = harness(&src, None);
    h.run();
    h.get_by_label_contains("too large");
}

#[test]
fn parse_and_layout_run_once_per_edit_not_per_frame() {
    let mut h = harness(FLOW, None);
    h.run();
    h.run();
    assert_eq!(h.state().cache.len(), 1);
    h.state_mut().dark = true;
    h.run();
    assert_eq!(h.state().cache.len(), 2);
    h.get_by_label("接收数据");
}

#[test]
fn a_dot_block_draws_its_node_labels() {
    let mut h = harness(
        "flowchart LR\n  A --> B\n",
        Some("digraph { producer -> channel -> consumer; channel -> leak [label=\"no reader\"] }"),
    );
    h.run();
    for label in ["producer", "channel", "consumer", "leak", "no reader"] {
        h.get_by_label(label);
    }
}

#[test]
fn a_bad_dot_block_shows_its_error() {
    let mut h = harness("flowchart LR\n  A --> B\n", Some("digraph { a -> "));
    h.run();
    h.get_by_label_contains("dot:");
}
