// The reading view as a user meets it: find things by their visible label,
// click links, and check what the preview asks the app to do.

use std::path::Path;

use egui::accesskit::{Role, Toggled};
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use egui_kittest::Harness;
use strata::ui::preview::{self, PreviewAction, PreviewContext, PreviewState};
use strata::vault::Vault;

const MAIN: &str = "\
# Channel basics

See [[Other note]] and [[Nowhere]] first, then [the spec](https://go.dev/ref/spec) \
and [relative](Other%20note.md#Other%20heading). Tagged #go/channels.

- [x] close the channel
- [ ] drain the buffer
- plain item
  1. nested first

| Op | Blocks |
|:---|---:|
| send | yes |

```go
func main() {
\tfmt.Println(\"hi\")
}
```

```mermaid
flowchart LR
  A --> B
```

> Quoted wisdom.

通道是并发的核心。

A claim[^src].

[^src]: The source of the claim.
";

struct State {
    vault: Vault,
    preview: PreviewState,
    note: String,
    text: String,
    dark: bool,
    actions: Vec<PreviewAction>,
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write test note");
}

fn harness(dir: &Path, text: &str, dark: bool) -> Harness<'static, State> {
    write(dir, "Main.md", text);
    write(
        dir,
        "Other note.md",
        "# Other heading\n\nBody of the other note.\n",
    );
    let vault = Vault::open(dir).expect("open temp vault");
    let state = State {
        vault,
        preview: PreviewState::new(),
        note: "Main.md".to_string(),
        text: text.to_string(),
        dark,
        actions: Vec::new(),
    };
    Harness::builder()
        .with_size(egui::vec2(800.0, 1400.0))
        // Scrolling to a heading animates over a few frames.
        .with_max_steps(32)
        .with_context_setup(|ctx| {
            strata::ui::install_fonts(ctx);
            egui_extras::install_image_loaders(ctx);
        })
        .build_ui_state(
            |ui, s: &mut State| {
                let cx = PreviewContext {
                    vault: &s.vault,
                    note_path: &s.note,
                    dark: s.dark,
                };
                let actions = preview::show(ui, &mut s.preview, &s.text, &cx);
                s.actions.extend(actions);
            },
            state,
        )
}

fn click_and_take(h: &mut Harness<'_, State>, label: &str) -> Vec<PreviewAction> {
    h.get_by_label(label).click();
    h.run();
    std::mem::take(&mut h.state_mut().actions)
}

#[test]
fn shows_heading_list_table_code_and_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), MAIN, false);
    h.run();
    h.get_by_label("Channel basics");
    h.get_by_label("send");
    h.get_by_label("Blocks");
    h.get_by_label("通道是并发的核心。");
    h.get_by_label("Quoted wisdom.");
    h.get_by_label("nested first");

    let done = h.get_by_role_and_label(Role::CheckBox, "close the channel");
    assert_eq!(done.accesskit_node().toggled(), Some(Toggled::True));
    let open = h.get_by_role_and_label(Role::CheckBox, "drain the buffer");
    assert_eq!(open.accesskit_node().toggled(), Some(Toggled::False));
    // Only task items get a checkbox.
    assert_eq!(h.get_all_by_role(Role::CheckBox).count(), 2);

    // The Go block shows its source; the mermaid block is drawn as a
    // diagram whose nodes are found by their labels.
    assert_eq!(h.get_all_by_label("Copy").count(), 1);
    h.get_by_label_contains("fmt.Println(\"hi\")");
    h.get_by_label("go");
    h.get_by_role_and_label(Role::Button, "A");
    h.get_by_role_and_label(Role::Button, "B");

    // Footnote definitions are listed at the end.
    h.get_by_label("The source of the claim.");
    assert!(
        h.state().actions.is_empty(),
        "rendering alone asks for nothing"
    );
}

#[test]
fn resolved_wiki_link_opens_the_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), MAIN, false);
    h.run();
    let link = h.get_by_role_and_label(Role::Link, "Other note");
    link.click();
    h.run();
    assert_eq!(
        std::mem::take(&mut h.state_mut().actions),
        vec![PreviewAction::OpenNote {
            target: "Other note.md".into(),
            heading: None
        }]
    );
}

#[test]
fn unresolved_wiki_link_offers_to_create_the_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), MAIN, true);
    h.run();
    assert_eq!(
        click_and_take(&mut h, "Nowhere"),
        vec![PreviewAction::CreateNote("Nowhere".into())]
    );
}

#[test]
fn url_and_relative_links() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("docs")).expect("mkdir");
    write(&dir.path().join("docs"), "spec sheet.pdf", "%PDF-1.4");
    let text = format!(
        "{MAIN}\nSee [a local file](docs/spec%20sheet.pdf) and [missing.md](missing.md).\n"
    );
    let mut h = harness(dir.path(), &text, false);
    h.run();
    assert_eq!(
        click_and_take(&mut h, "the spec"),
        vec![PreviewAction::OpenUrl("https://go.dev/ref/spec".into())]
    );
    assert_eq!(
        click_and_take(&mut h, "a local file"),
        vec![PreviewAction::OpenFile(
            dir.path().join("docs/spec sheet.pdf")
        )]
    );
    assert_eq!(
        click_and_take(&mut h, "missing.md"),
        vec![PreviewAction::CreateNote("missing.md".into())]
    );
    assert_eq!(
        click_and_take(&mut h, "relative"),
        vec![PreviewAction::OpenNote {
            target: "Other note.md".into(),
            heading: Some("Other heading".into())
        }]
    );
}

#[test]
fn copy_button_copies_the_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(dir.path(), "```go\nx := 1\n```\n", false);
    h.run();
    h.get_by_label("Copy").click();
    // One frame: `output()` holds only the last frame's commands.
    h.step();
    let copied = h
        .output()
        .platform_output
        .commands
        .iter()
        .any(|c| matches!(c, egui::OutputCommand::CopyText(t) if t == "x := 1\n"));
    assert!(copied, "Copy puts the code on the clipboard");
}

#[test]
fn embeds_show_the_other_note_and_refuse_cycles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "# Host\n\n![[Other note]]\n\n![[Main]]\n\n![[Ghost]]\n";
    let mut h = harness(dir.path(), text, false);
    h.run();
    h.get_by_label("Body of the other note.");
    h.get_by_label("Not shown: the note embeds itself");
    h.get_by_label("Embedded note not found: Ghost");
    // The embed's title opens the embedded note.
    assert_eq!(
        click_and_take(&mut h, "Other note"),
        vec![PreviewAction::OpenNote {
            target: "Other note.md".into(),
            heading: None
        }]
    );
}

#[test]
fn embeds_nest_at_most_two_deep() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "L1.md", "Level one.\n\n![[L2]]\n");
    write(dir.path(), "L2.md", "Level two.\n\n![[L3]]\n");
    write(dir.path(), "L3.md", "Level three.\n");
    let mut h = harness(dir.path(), "![[L1]]\n", false);
    h.run();
    h.get_by_label("Level one.");
    h.get_by_label("Level two.");
    assert!(h.query_by_label("Level three.").is_none());
    h.get_by_label("Not shown: embeds nest too deep");
}

#[test]
fn local_images_load_and_missing_ones_warn() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("img")).expect("mkdir");
    image::RgbaImage::from_pixel(8, 4, image::Rgba([200, 30, 30, 255]))
        .save(dir.path().join("img/red.png"))
        .expect("write png");
    let text = "![a red box](img/red.png)\n\n![ghost](img/none.png)\n\n![[red.png]]\n";
    let mut h = harness(dir.path(), text, false);
    h.run();
    h.get_by_label("Missing image: ghost");
    // The wiki form finds the attachment by name anywhere in the vault.
    assert!(h.query_by_label_contains("Missing image: red").is_none());
    assert_eq!(h.get_all_by_role(Role::Image).count(), 2);
    h.get_by_role_and_label(Role::Image, "a red box");
    assert!(h.query_by_label("Missing image: a red box").is_none());
    assert!(h.query_by_label_contains("Could not load image").is_none());
}

#[test]
fn scroll_to_heading_brings_it_into_view() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("# Top\n\n");
    for i in 0..80 {
        text.push_str(&format!("Filler paragraph number {i}.\n\n"));
    }
    text.push_str("## Far away\n\n");
    // Enough below it that the heading can reach the top of the view.
    for i in 0..20 {
        text.push_str(&format!("Tail paragraph {i}.\n\n"));
    }
    let mut h = harness(dir.path(), &text, false);
    h.set_size(egui::vec2(600.0, 400.0));
    h.run();
    let before = h.get_by_label("Far away").rect();
    assert!(before.top() > 400.0, "starts off screen: {before:?}");
    h.state_mut().preview.scroll_to_heading("Far away");
    h.run();
    let after = h.get_by_label("Far away").rect();
    assert!(
        after.top() >= 0.0 && after.top() < 100.0,
        "heading scrolled to the top: {after:?}"
    );
}

#[test]
fn anchor_links_scroll_within_the_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("# Top\n\nJump to [the end](#the-end).\n\n");
    for i in 0..80 {
        text.push_str(&format!("Filler paragraph number {i}.\n\n"));
    }
    text.push_str("## The end\n\n");
    for i in 0..20 {
        text.push_str(&format!("Tail paragraph {i}.\n\n"));
    }
    let mut h = harness(dir.path(), &text, false);
    h.set_size(egui::vec2(600.0, 400.0));
    h.run();
    assert!(click_and_take(&mut h, "the end").is_empty());
    let after = h.get_by_label("The end").rect();
    assert!(
        after.top() < 100.0,
        "anchor target scrolled into view: {after:?}"
    );
}

#[test]
fn front_matter_is_a_properties_box_not_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "---\ntitle: Select loops\ntags: [go, select]\nsecret: hidden\n---\n# Body\n";
    let mut h = harness(dir.path(), text, false);
    h.run();
    h.get_by_label("Select loops");
    h.get_by_label("go, select");
    assert!(h.query_by_label_contains("hidden").is_none());
    h.get_by_label("Body");
}

#[test]
fn footnote_reference_scrolls_to_its_definition() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("A claim[^why].\n\n");
    for i in 0..80 {
        text.push_str(&format!("Filler paragraph number {i}.\n\n"));
    }
    text.push_str("[^why]: Because of the scheduler.\n");
    let mut h = harness(dir.path(), &text, false);
    h.set_size(egui::vec2(600.0, 400.0));
    h.run();
    assert!(h.get_by_label("Because of the scheduler.").rect().top() > 400.0);
    assert!(click_and_take(&mut h, "Footnote 1").is_empty());
    let def = h.get_by_label("Because of the scheduler.").rect();
    assert!(
        def.top() >= 0.0 && def.top() < 400.0,
        "definition in view: {def:?}"
    );
}

#[test]
fn clicking_a_diagram_node_named_after_a_note_opens_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "# Map\n\n```mermaid\nflowchart TD\n  A[Other note] --> B{leak?}\n  B -->|yes| C[nowhere]\n```\n";
    let mut h = harness(dir.path(), text, true);
    h.run();
    let actions = click_and_take(&mut h, "Other note");
    assert_eq!(
        actions,
        vec![PreviewAction::OpenNote {
            target: "Other note".to_string(),
            heading: None
        }]
    );
    // A label that names no note is not a link.
    assert!(click_and_take(&mut h, "nowhere").is_empty());
}
