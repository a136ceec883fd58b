//! Presentation mode, driven through the app like a presenter would: F5 or
//! the Present button, the clicker's keys, the overview grid, Escape. The
//! presenter view is a second native window in the app; kittest has no
//! windows, so egui embeds it, and `presenter_panel` is also tested alone.

mod common;
use std::fs;
use std::path::Path;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use strata::ui::present::{presenter_panel, Presentation};
use strata::ui::StrataApp;
use strata::vault::Vault;

const DECK: &str = "---\ntitle: Deck\n---\n# Opening slide\n\nWelcome text.\n\nNote: secret opening remark\n\n---\n\n## Second slide\n\nPoint two %% whispered aside %%\n\n---\n\n## Third slide\n\n```mermaid\nflowchart LR\n    A[Client] --> B[Server]\n```\n\n---\n\n## Fourth slide\n\n```go\npackage main\n\nfunc main() {}\n```\n";

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("Deck.md"), DECK).unwrap();
    fs::write(
        root.join("Part one.md"),
        "# Part one\n\n---\n\n## Part one b\n",
    )
    .unwrap();
    fs::write(
        root.join("Part two.md"),
        "---\nslides: h2\n---\n## Part two\nx\n## Part two b\ny\n",
    )
    .unwrap();
    fs::write(
        root.join("Session.md"),
        "---\nslides: sequence\n---\n# Session\n\n1. [[Part one]]\n2. [[Part two]]\n",
    )
    .unwrap();
    dir
}

fn harness(root: &Path, open: &str) -> Harness<'static, StrataApp> {
    common::app_harness(common::app_on(root, Some(open)), [1280.0, 800.0], None)
}

fn press(h: &mut Harness<'static, StrataApp>, key: Key) {
    h.key_press(key);
    h.run();
}

fn shows(h: &Harness<'static, StrataApp>, label: &str) -> bool {
    h.query_by_label(label).is_some()
}

#[test]
fn f5_presents_and_the_clicker_keys_move_between_slides() {
    let dir = fixture();
    let mut h = harness(dir.path(), "Deck.md");
    assert!(!shows(&h, "Slide 1 of 4"));
    press(&mut h, Key::F5);
    assert!(shows(&h, "Slide 1 of 4"));
    assert!(shows(&h, "Opening slide"));
    assert!(!shows(&h, "Second slide"));

    press(&mut h, Key::ArrowRight);
    assert!(shows(&h, "Second slide"));
    assert!(!shows(&h, "Opening slide"));
    assert!(shows(&h, "Slide 2 of 4"));

    press(&mut h, Key::Space);
    assert!(shows(&h, "Third slide"));
    assert!(!shows(&h, "Second slide"));
    press(&mut h, Key::PageDown);
    assert!(shows(&h, "Fourth slide"));
    // Past the end stays on the last slide.
    press(&mut h, Key::PageDown);
    assert!(shows(&h, "Slide 4 of 4"));
    press(&mut h, Key::PageUp);
    assert!(shows(&h, "Third slide"));
    press(&mut h, Key::ArrowLeft);
    assert!(shows(&h, "Second slide"));
    press(&mut h, Key::End);
    assert!(shows(&h, "Fourth slide"));
    press(&mut h, Key::Home);
    assert!(shows(&h, "Opening slide"));
    h.key_press_modifiers(Modifiers::SHIFT, Key::Space);
    h.run();
    assert!(shows(&h, "Slide 1 of 4"));
}

#[test]
fn the_present_button_enters_and_escape_leaves_at_the_slide() {
    let dir = fixture();
    let mut h = harness(dir.path(), "Deck.md");
    h.get_by_role_and_label(Role::Button, "Present").click();
    h.run();
    assert!(shows(&h, "Slide 1 of 4"));
    press(&mut h, Key::ArrowRight);
    press(&mut h, Key::Escape);
    assert!(!shows(&h, "Slide 2 of 4"));
    assert!(!shows(&h, "Slide 1 of 4"));
    // Back in the editor, with the presented note still the active one.
    assert_eq!(h.state().active_path(), Some("Deck.md"));
    assert!(h.query_by_role_and_label(Role::Button, "Present").is_some());
}

#[test]
fn speaker_notes_are_hidden_from_the_room_and_shown_to_the_presenter() {
    let dir = fixture();
    let mut h = harness(dir.path(), "Deck.md");
    press(&mut h, Key::F5);
    assert!(shows(&h, "Welcome text."));
    assert!(h.query_by_label_contains("secret opening remark").is_none());
    press(&mut h, Key::ArrowRight);
    assert!(shows(&h, "Second slide"));
    assert!(h.query_by_label_contains("whispered aside").is_none());
    assert!(h.query_by_label_contains("Point two").is_some());

    // P opens the presenter view (embedded here: kittest has no windows).
    press(&mut h, Key::P);
    assert!(shows(&h, "Slide 2 / 4"));
    assert!(h.query_by_label_contains("whispered aside").is_some());
    press(&mut h, Key::ArrowLeft);
    assert!(h.query_by_label_contains("secret opening remark").is_some());
    press(&mut h, Key::P);
    assert!(h.query_by_label_contains("secret opening remark").is_none());
}

#[test]
fn overview_grid_jumps_to_a_slide() {
    let dir = fixture();
    let mut h = harness(dir.path(), "Deck.md");
    press(&mut h, Key::F5);
    press(&mut h, Key::G);
    assert!(shows(&h, "Slide 3: Third slide"));
    assert!(shows(&h, "Slide 1: Opening slide"));
    h.get_by_label("Slide 3: Third slide").click();
    h.run();
    assert!(!shows(&h, "Slide 3: Third slide"), "the grid closed");
    assert!(shows(&h, "Slide 3 of 4"));
    assert!(shows(&h, "Third slide"));

    // Keyboard: G, arrows, Enter.
    press(&mut h, Key::G);
    press(&mut h, Key::ArrowRight);
    press(&mut h, Key::Enter);
    assert!(shows(&h, "Slide 4 of 4"));
    // Escape closes the grid without leaving the presentation.
    press(&mut h, Key::G);
    press(&mut h, Key::Escape);
    assert!(shows(&h, "Slide 4 of 4"));
}

#[test]
fn diagrams_stay_live_and_go_blocks_keep_their_buttons() {
    let dir = fixture();
    let mut h = harness(dir.path(), "Deck.md");
    press(&mut h, Key::F5);
    press(&mut h, Key::End);
    assert!(h
        .query_by_role_and_label(Role::Button, "Run in simulator")
        .is_some());
    press(&mut h, Key::ArrowLeft);
    // Diagram nodes are live buttons (hover and click highlight them).
    assert!(h.query_by_role_and_label(Role::Button, "Client").is_some());
    assert!(h.query_by_role_and_label(Role::Button, "Fit").is_some());
}

#[test]
fn laser_pointer_toggles_with_l() {
    let dir = fixture();
    let mut h = harness(dir.path(), "Deck.md");
    press(&mut h, Key::F5);
    press(&mut h, Key::L);
    assert!(shows(&h, "Slide 1 of 4, laser on"));
    press(&mut h, Key::L);
    assert!(shows(&h, "Slide 1 of 4"));
}

#[test]
fn a_sequence_note_plays_its_parts() {
    let dir = fixture();
    let mut h = harness(dir.path(), "Session.md");
    press(&mut h, Key::F5);
    assert!(shows(&h, "Slide 1 of 4"));
    assert!(shows(&h, "Part one"));
    press(&mut h, Key::End);
    assert!(shows(&h, "Part two b"));
    // Leaving returns to the part that was on screen.
    press(&mut h, Key::Escape);
    assert_eq!(h.state().active_path(), Some("Part two.md"));
}

#[test]
fn presenter_panel_alone_shows_notes_next_slide_and_clock() {
    let dir = fixture();
    let vault = Vault::open(dir.path()).unwrap();
    let p = Presentation::new(&vault, "Deck.md", DECK).unwrap();
    assert_eq!(p.len(), 4);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1100.0, 720.0))
        .with_context_setup(strata::ui::install_fonts)
        .build_ui_state(
            move |ui, p: &mut Presentation| {
                let now = ui.input(|i| i.time);
                presenter_panel(ui, p, &vault, false, now);
            },
            p,
        );
    h.run();
    assert!(h.query_by_label("Slide 1 / 4").is_some());
    assert!(h.query_by_label_contains("secret opening remark").is_some());
    // The current slide and the next one are both drawn.
    assert!(h.query_by_label("Opening slide").is_some());
    assert!(h.query_by_label("Second slide").is_some());
    assert!(h.query_by_label("0:00").is_some());
    h.get_by_role_and_label(Role::Button, "Next").click();
    h.run();
    assert_eq!(h.state().current(), 1);
    assert!(h.query_by_label("Slide 2 / 4").is_some());
    assert!(h.query_by_label_contains("whispered aside").is_some());
    assert!(h.query_by_label("Third slide").is_some());
    h.get_by_role_and_label(Role::Button, "Laser").click();
    h.run();
    assert!(h.state().laser());
}

const TALK: &str =
    "# Talk\n\n```mermaid\nflowchart LR\n  A[Client] --> B[Part one]\n  C[Cache]\n```\n";

fn pinned(h: &Harness<'static, StrataApp>, node: &str) -> bool {
    use egui::accesskit::Toggled;
    use egui_kittest::kittest::NodeT;
    h.get_by_role_and_label(Role::Button, node)
        .accesskit_node()
        .toggled()
        == Some(Toggled::True)
}

#[test]
fn a_click_on_a_slide_node_pins_its_highlight_without_leaving() {
    let dir = fixture();
    fs::write(dir.path().join("Talk.md"), TALK).unwrap();
    let mut h = harness(dir.path(), "Talk.md");
    press(&mut h, Key::F5);
    assert!(shows(&h, "Slide 1 of 1"));
    assert!(!pinned(&h, "Part one"));

    // "Part one" names a note: in the preview a click opens it, on a slide
    // it pins the highlight and the talk stays where it is.
    h.get_by_role_and_label(Role::Button, "Part one").click();
    h.run();
    assert!(shows(&h, "Slide 1 of 1"));
    assert!(pinned(&h, "Part one"));
    assert!(!pinned(&h, "Client"));
    assert_eq!(h.state().active_path(), Some("Talk.md"));
    // The pin outlasts the pointer leaving the node.
    let chart = h.get_by_role_and_label(Role::Image, "Flowchart").rect();
    h.hover_at(chart.left_top() + egui::vec2(3.0, 3.0));
    h.run();
    assert!(pinned(&h, "Part one"));

    // Another node takes the pin over.
    h.get_by_role_and_label(Role::Button, "Client").click();
    h.run();
    assert!(pinned(&h, "Client"));
    assert!(!pinned(&h, "Part one"));

    // A click on the background releases it.
    let corner = chart.left_top() + egui::vec2(3.0, 3.0);
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
    assert!(!pinned(&h, "Client"));
    assert!(shows(&h, "Slide 1 of 1"));

    // Ctrl (Cmd) + click still follows the node to its note.
    h.get_by_role_and_label(Role::Button, "Part one")
        .click_modifiers(Modifiers::COMMAND);
    h.run();
    assert!(!shows(&h, "Slide 1 of 1"));
    assert_eq!(h.state().active_path(), Some("Part one.md"));
}

#[test]
fn a_pin_shows_on_the_room_slide_and_in_the_presenter_view() {
    use egui::accesskit::Toggled;
    use egui_kittest::kittest::NodeT;
    let dir = fixture();
    let mut h = harness(dir.path(), "Deck.md");
    press(&mut h, Key::F5);
    press(&mut h, Key::ArrowRight);
    press(&mut h, Key::ArrowRight);
    press(&mut h, Key::P);
    let states = |h: &Harness<'static, StrataApp>| -> Vec<bool> {
        h.query_all_by_role_and_label(Role::Button, "Client")
            .map(|n| n.accesskit_node().toggled() == Some(Toggled::True))
            .collect()
    };
    assert_eq!(states(&h), [false, false]);
    // The presenter's copy (embedded here as a window over the room's
    // slide, so the last one found) is where the presenter clicks.
    h.query_all_by_role_and_label(Role::Button, "Client")
        .last()
        .expect("a Client node")
        .click();
    h.run();
    assert_eq!(states(&h), [true, true]);
    assert!(shows(&h, "Slide 3 of 4"));
}

#[test]
fn the_highlighter_marks_a_slide_until_the_next_one() {
    let dir = fixture();
    let mut h = harness(dir.path(), "Deck.md");
    press(&mut h, Key::F5);
    press(&mut h, Key::H);
    assert!(shows(&h, "Slide 1 of 4, highlighter on"));
    assert!(shows(&h, "Highlighter marks on this slide: 0"));
    // Two strokes across the slide's text.
    for y in [200.0, 320.0] {
        h.drag_at(egui::pos2(200.0, y));
        h.run();
        for x in [260.0, 420.0, 600.0] {
            h.hover_at(egui::pos2(x, y + 4.0));
            h.run();
        }
        h.drop_at(egui::pos2(640.0, y + 4.0));
        h.run();
    }
    assert!(shows(&h, "Highlighter marks on this slide: 2"));
    // Marking is not clicking: the talk stays on its slide.
    assert!(shows(&h, "Slide 1 of 4, highlighter on"));
    press(&mut h, Key::C);
    assert!(shows(&h, "Highlighter marks on this slide: 0"));
    h.drag_at(egui::pos2(200.0, 200.0));
    h.run();
    h.hover_at(egui::pos2(500.0, 210.0));
    h.run();
    h.drop_at(egui::pos2(520.0, 210.0));
    h.run();
    assert!(shows(&h, "Highlighter marks on this slide: 1"));
    // The next slide starts clean; the pen stays in hand.
    press(&mut h, Key::ArrowRight);
    assert!(shows(&h, "Slide 2 of 4, highlighter on"));
    assert!(shows(&h, "Highlighter marks on this slide: 0"));
    press(&mut h, Key::H);
    assert!(shows(&h, "Slide 2 of 4"));
    assert!(!shows(&h, "Highlighter marks on this slide: 0"));
}
