//! UI tests for the Strata window, driven like a user would: find widgets by
//! their labels through the AccessKit tree, click and type, then check what
//! landed on disk. Every test works on a copy in a temp dir.

mod common;
use std::fs;
use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use strata::ui::{AppConfig, StrataApp};

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A small vault with known links: Alpha → Beta, Beta → Alpha, and a plain
/// mention of Gamma in Alpha.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("notes")).unwrap();
    fs::write(
        root.join("Alpha.md"),
        "# Alpha\n\nSee [[Beta]] for more.\nGamma is mentioned here.\n",
    )
    .unwrap();
    fs::write(
        root.join("notes/Beta.md"),
        "# Beta\n\n## Details\n\nBack to [[Alpha]].\n",
    )
    .unwrap();
    fs::write(root.join("Gamma.md"), "# Gamma\n\n通道关闭以后仍可读取。\n").unwrap();
    dir
}

fn app_on(root: &Path, open: Option<&str>) -> StrataApp {
    common::app_on(root, open)
}

fn harness(app: StrataApp) -> Harness<'static, StrataApp> {
    common::app_harness(app, [1280.0, 800.0], None)
}

fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap()
}

fn samples_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("samples");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"),
        &root,
    );
    (dir, root)
}

#[test]
fn opens_the_samples_vault_and_a_note_from_the_tree() {
    let (_dir, root) = samples_copy();
    let app = app_on(&root, None);
    let notes: Vec<String> = app.vault().notes().map(|n| n.path.clone()).collect();
    assert!(notes.len() >= 5, "samples vault has notes: {notes:?}");
    let first_open = app.active_path().map(str::to_owned);
    let mut h = harness(app);
    // Pick a note that is not already open and click its tree entry.
    let target = notes
        .iter()
        .find(|p| Some(p.as_str()) != first_open.as_deref())
        .unwrap()
        .clone();
    let name = target
        .rsplit('/')
        .next()
        .unwrap()
        .trim_end_matches(".md")
        .to_owned();
    let left_edge = 300.0;
    let node = h
        .get_all_by_label(&name)
        .find(|n| n.rect().left() < left_edge)
        .expect("note is listed in the tree");
    node.click();
    h.run();
    assert_eq!(h.state().active_path(), Some(target.as_str()));
    // The status bar shows the path and the note count.
    h.get_by_label(&format!("{} notes", notes.len()));
    h.get_all_by_label(&target)
        .next()
        .expect("status bar shows the path");
}

#[test]
fn every_sample_note_renders_including_chinese_text() {
    // egui_kittest panics on a glyph no font has, so rendering each sample
    // (several contain Chinese) proves the bundled CJK font is installed.
    let (_dir, root) = samples_copy();
    let app = app_on(&root, None);
    let notes: Vec<String> = app.vault().notes().map(|n| n.path.clone()).collect();
    let mut h = harness(app);
    for p in &notes {
        h.state_mut().open(p);
        h.run();
        assert_eq!(h.state().active_path(), Some(p.as_str()));
    }
}

#[test]
fn follows_a_wiki_link_in_the_preview() {
    let dir = fixture();
    let mut h = harness(app_on(dir.path(), Some("Alpha.md")));
    h.get_by_role_and_label(Role::Link, "Beta").click();
    h.run();
    assert_eq!(h.state().active_path(), Some("notes/Beta.md"));
    // Back (Alt+Left) returns to Alpha.
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowLeft);
    h.run();
    assert_eq!(h.state().active_path(), Some("Alpha.md"));
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
    h.run();
    assert_eq!(h.state().active_path(), Some("notes/Beta.md"));
}

#[test]
fn a_link_to_a_missing_note_offers_to_create_it() {
    let dir = fixture();
    fs::write(
        dir.path().join("Alpha.md"),
        "# Alpha\n\nSee [[Brand new]].\n",
    )
    .unwrap();
    let mut h = harness(app_on(dir.path(), Some("Alpha.md")));
    h.get_by_role_and_label(Role::Link, "Brand new").click();
    h.run();
    h.get_by_label("Create").click();
    h.run();
    assert!(dir.path().join("Brand new.md").exists());
    assert_eq!(h.state().active_path(), Some("Brand new.md"));
}

#[test]
fn shows_backlinks_and_opens_them() {
    let dir = fixture();
    let mut h = harness(app_on(dir.path(), Some("notes/Beta.md")));
    h.get_by_label("Backlinks (1)");
    h.get_by_label("See [[Beta]] for more.");
    let right_edge = 1280.0 - 320.0;
    h.get_all_by_label("Alpha")
        .find(|n| n.rect().left() > right_edge)
        .expect("backlink entry in the right panel")
        .click();
    h.run();
    assert_eq!(h.state().active_path(), Some("Alpha.md"));
}

#[test]
fn links_an_unlinked_mention() {
    let dir = fixture();
    let mut h = harness(app_on(dir.path(), Some("Gamma.md")));
    h.get_by_label("Unlinked mentions (1)");
    h.get_by_label("link").click();
    h.run();
    assert!(read(dir.path(), "Alpha.md").contains("[[Gamma]] is mentioned here."));
    h.get_by_label("Backlinks (1)");
}

#[test]
fn edits_and_saves_with_ctrl_s() {
    let dir = fixture();
    let mut h = harness(app_on(dir.path(), Some("Gamma.md")));
    let editor = h.get_by_role(Role::MultilineTextInput);
    editor.focus();
    h.run();
    h.get_by_role(Role::MultilineTextInput).type_text("Hello ");
    h.run();
    assert!(h.state().is_dirty("Gamma.md"));
    // The tab shows the unsaved marker.
    h.get_by_label("Gamma ●");
    assert!(!read(dir.path(), "Gamma.md").contains("Hello"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(read(dir.path(), "Gamma.md").contains("Hello "));
    assert!(!h.state().is_dirty("Gamma.md"));
    assert!(h.query_by_label("Gamma ●").is_none());
}

#[test]
fn renames_a_note_rewrites_links_and_undoes() {
    let dir = fixture();
    let mut h = harness(app_on(dir.path(), Some("notes/Beta.md")));
    h.key_press(Key::F2);
    h.run();
    h.get_by_label("New path:")
        .set_text_value_accesskit("notes/Delta.md");
    h.run();
    h.get_by_label("Rename").click();
    h.run();
    assert!(!dir.path().join("notes/Beta.md").exists());
    assert!(dir.path().join("notes/Delta.md").exists());
    assert!(read(dir.path(), "Alpha.md").contains("[[Delta]]"));
    assert_eq!(h.state().active_path(), Some("notes/Delta.md"));
    h.get_by_label("Undo rename").click();
    h.run();
    assert!(dir.path().join("notes/Beta.md").exists());
    assert!(read(dir.path(), "Alpha.md").contains("[[Beta]]"));
    assert_eq!(h.state().active_path(), Some("notes/Beta.md"));
}

#[test]
fn quick_switcher_opens_a_note_and_creates_one() {
    let dir = fixture();
    let mut h = harness(app_on(dir.path(), Some("Alpha.md")));
    h.key_press_modifiers(Modifiers::COMMAND, Key::P);
    h.run();
    let field = h.get_by_label("Go to note:");
    field.focus();
    field.type_text("gamm");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().active_path(), Some("Gamma.md"));

    h.key_press_modifiers(Modifiers::COMMAND, Key::P);
    h.run();
    let field = h.get_by_label("Go to note:");
    field.focus();
    field.type_text("Epsilon");
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert!(dir.path().join("Epsilon.md").exists());
    assert_eq!(h.state().active_path(), Some("Epsilon.md"));
}

#[test]
fn vault_search_lists_hits_and_opens_at_the_line() {
    let dir = fixture();
    let mut h = harness(app_on(dir.path(), Some("Alpha.md")));
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    h.run();
    let field = h.get_by_label("Search vault:");
    field.focus();
    field.type_text("Back to");
    h.run();
    h.get_by_label("1 results");
    h.get_by_label("notes/Beta.md:5").hover();
    h.get_all_by_label("Back to [[Alpha]].")
        .find(|n| n.rect().left() < 300.0)
        .expect("search result in the left panel")
        .click();
    h.run();
    assert_eq!(h.state().active_path(), Some("notes/Beta.md"));
}

#[test]
fn find_and_replace_all_in_the_editor() {
    let dir = fixture();
    let mut h = harness(app_on(dir.path(), Some("Alpha.md")));
    h.get_by_role(Role::MultilineTextInput).focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::H);
    h.run();
    let find = h.get_by_label("Find:");
    find.focus();
    find.type_text("alpha");
    h.run();
    h.get_by_label("1 matches");
    let with = h.get_by_label("Replace with:");
    with.focus();
    with.type_text("Omega");
    h.run();
    h.get_by_label("Replace all").click();
    h.run();
    let text = h.state().active_text().unwrap().to_owned();
    assert!(text.starts_with("# Omega\n"), "{text}");
    h.get_by_label("Match case").click();
    h.run();
    h.get_by_label("0 matches");
}

#[test]
fn clean_buffers_reload_and_dirty_ones_show_a_conflict() {
    let dir = fixture();
    let mut h = harness(app_on(dir.path(), Some("Gamma.md")));
    fs::write(dir.path().join("Gamma.md"), "# Gamma\n\nchanged outside\n").unwrap();
    h.state_mut().poll_now();
    h.run();
    assert_eq!(
        h.state().active_text(),
        Some("# Gamma\n\nchanged outside\n")
    );

    h.get_by_role(Role::MultilineTextInput).focus();
    h.run();
    h.get_by_role(Role::MultilineTextInput).type_text("mine ");
    h.run();
    fs::write(dir.path().join("Gamma.md"), "theirs\n").unwrap();
    h.state_mut().poll_now();
    h.run();
    h.get_by_label("Changed on disk");
    h.get_by_label("Show diff").click();
    h.run();
    h.get_by_label("+++ mine");
    h.get_by_label("Keep mine").click();
    h.run();
    let disk = read(dir.path(), "Gamma.md");
    assert!(
        disk.contains("mine ") && disk.contains("changed outside"),
        "{disk}"
    );
}

#[test]
fn take_theirs_and_deleted_on_disk_recreate() {
    let dir = fixture();
    let mut h = harness(app_on(dir.path(), Some("Gamma.md")));
    h.get_by_role(Role::MultilineTextInput).focus();
    h.run();
    h.get_by_role(Role::MultilineTextInput).type_text("mine ");
    h.run();
    fs::write(dir.path().join("Gamma.md"), "theirs\n").unwrap();
    h.state_mut().poll_now();
    h.run();
    h.get_by_label("Take theirs").click();
    h.run();
    assert_eq!(h.state().active_text(), Some("theirs\n"));

    fs::remove_file(dir.path().join("Gamma.md")).unwrap();
    h.state_mut().poll_now();
    h.run();
    h.get_by_label("deleted on disk — your text is kept here");
    h.get_by_label("Recreate").click();
    h.run();
    assert_eq!(read(dir.path(), "Gamma.md"), "theirs\n");
}

#[test]
fn invalid_utf8_notes_are_read_only_and_never_written() {
    let dir = fixture();
    let bytes = b"# Broken \xff\xfe bytes\n".to_vec();
    fs::write(dir.path().join("Broken.md"), &bytes).unwrap();
    let mut h = harness(app_on(dir.path(), Some("Broken.md")));
    h.get_by_label("not valid UTF-8 — opened read-only, never written");
    h.get_by_role(Role::MultilineTextInput).focus();
    h.run();
    h.get_by_role(Role::MultilineTextInput).type_text("typed");
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(!h.state().is_dirty("Broken.md"));
    assert_eq!(fs::read(dir.path().join("Broken.md")).unwrap(), bytes);
}

#[test]
fn offers_to_recover_journaled_buffers() {
    let dir = fixture();
    strata::vault::Journal::new(dir.path())
        .record("Alpha.md", "# Alpha\n\nrecovered words\n")
        .unwrap();
    let mut h = harness(app_on(dir.path(), None));
    h.get_by_label("Recover unsaved changes");
    h.get_by_label("Restore").click();
    h.run();
    assert_eq!(h.state().active_path(), Some("Alpha.md"));
    assert_eq!(
        h.state().active_text(),
        Some("# Alpha\n\nrecovered words\n")
    );
    assert!(h.state().is_dirty("Alpha.md"));
    // Nothing was written yet: recovery waits for an explicit save.
    assert!(read(dir.path(), "Alpha.md").contains("See [[Beta]]"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(read(dir.path(), "Alpha.md").contains("recovered words"));
    assert!(strata::vault::Journal::new(dir.path()).entries().is_empty());
}

#[test]
fn a_failed_save_keeps_the_tab_dirty_and_shows_the_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fixture();
    let notes = dir.path().join("notes");
    let mut h = harness(app_on(dir.path(), Some("notes/Beta.md")));
    h.get_by_role(Role::MultilineTextInput).focus();
    h.run();
    h.get_by_role(Role::MultilineTextInput).type_text("more ");
    h.run();
    fs::set_permissions(&notes, fs::Permissions::from_mode(0o555)).unwrap();
    let probe = notes.join(".probe");
    let writable_anyway = fs::write(&probe, "x").is_ok(); // running as root ignores modes
    let _ = fs::remove_file(&probe);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    fs::set_permissions(&notes, fs::Permissions::from_mode(0o755)).unwrap();
    if writable_anyway {
        return;
    }
    assert!(h.state().is_dirty("notes/Beta.md"));
    h.get_by_label_contains("Save failed");
}

#[test]
fn help_lists_every_shortcut() {
    let dir = fixture();
    let mut h = harness(app_on(dir.path(), Some("Alpha.md")));
    h.key_press(Key::F1);
    h.run();
    for (keys, what) in strata::ui::SHORTCUTS {
        h.get_by_label(keys);
        h.get_by_label(what);
    }
}

#[test]
fn corrupt_settings_are_reported_and_replaced() {
    let dir = fixture();
    let cfg = tempfile::tempdir().unwrap();
    let settings = cfg.path().join("settings.ron");
    fs::write(&settings, "Settings(theme: ").unwrap();
    let app = StrataApp::new(AppConfig {
        vault: dir.path().to_path_buf(),
        settings_path: Some(settings.clone()),
        open_note: Some("Alpha.md".into()),
    })
    .unwrap();
    let mut h = harness(app);
    h.get_by_label_contains("invalid settings");
    // Settings are rewritten (debounced) with the vault remembered.
    h.state_mut().save_active();
    for _ in 0..120 {
        h.step();
    }
    let loaded = strata::settings::Settings::load(&settings);
    assert!(loaded.warning.is_none());
    assert_eq!(loaded.settings.last_vault.as_deref(), Some(dir.path()));
    assert_eq!(loaded.settings.open_tabs, vec!["Alpha.md".to_string()]);
}

#[test]
fn link_completion_inserts_the_chosen_note() {
    let dir = fixture();
    let mut h = harness(app_on(dir.path(), Some("Gamma.md")));
    h.get_by_role(Role::MultilineTextInput).focus();
    h.run();
    h.get_by_role(Role::MultilineTextInput).type_text("[[Alp");
    h.run();
    // The popup (beside the tree) lists the matching note; Enter accepts it.
    h.get_all_by_label("Alpha")
        .find(|n| n.rect().left() > 240.0)
        .expect("completion popup entry");
    h.key_press(Key::Enter);
    h.run();
    let text = h.state().active_text().unwrap().to_owned();
    assert!(text.contains("[[Alpha]]"), "{text}");
    assert!(!text.contains("[[Alp\n"), "{text}");
}

#[test]
fn heading_completion_after_a_hash() {
    let dir = fixture();
    let mut h = harness(app_on(dir.path(), Some("Gamma.md")));
    h.get_by_role(Role::MultilineTextInput).focus();
    h.run();
    h.get_by_role(Role::MultilineTextInput)
        .type_text("[[Beta#Det");
    h.run();
    h.get_by_label("Beta#Details");
    h.key_press(Key::Tab);
    h.run();
    let text = h.state().active_text().unwrap().to_owned();
    assert!(text.contains("[[Beta#Details]]"), "{text}");
}

#[test]
fn undo_and_redo_in_the_editor() {
    let dir = fixture();
    let mut h = harness(app_on(dir.path(), Some("Gamma.md")));
    let before = h.state().active_text().unwrap().to_owned();
    h.get_by_role(Role::MultilineTextInput).focus();
    h.run();
    h.get_by_role(Role::MultilineTextInput).type_text("typo");
    h.run();
    assert_ne!(h.state().active_text().unwrap(), before);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().active_text().unwrap(), before);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert!(h.state().active_text().unwrap().contains("typo"));
}

#[test]
fn view_modes_and_theme_switch_from_the_menu() {
    let dir = fixture();
    let mut h = harness(app_on(dir.path(), Some("Alpha.md")));
    h.get_by_label("View").click();
    h.run();
    h.get_by_label_contains("Source").click();
    h.run();
    assert_eq!(
        h.state().settings().view_mode,
        strata::settings::ViewMode::Source
    );
    assert!(h.query_by_role_and_label(Role::Link, "Beta").is_none());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    h.run();
    assert!(h.query_by_role(Role::MultilineTextInput).is_none());
    h.get_by_role_and_label(Role::Link, "Beta");
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Dark theme").click();
    h.run();
    assert_eq!(h.state().settings().theme, strata::settings::Theme::Dark);
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);
}

#[test]
fn letters_typed_right_after_ctrl_p_go_to_the_switcher_not_the_note() {
    let dir = fixture();
    let before = read(dir.path(), "Alpha.md");
    let mut h = harness(app_on(dir.path(), Some("Alpha.md")));
    h.get_by_role(Role::MultilineTextInput).focus();
    h.run();
    // Letters typed right behind the shortcut, before the switcher's field
    // could take focus (the harness gives every event a frame of its own).
    h.key_press_modifiers(Modifiers::COMMAND, Key::P);
    h.event(egui::Event::Text("Ga".into()));
    h.event(egui::Event::Text("mm".into()));
    h.run();
    assert!(!h.state().is_dirty("Alpha.md"), "the note was typed into");
    assert_eq!(
        h.get_by_label("Go to note:").value().as_deref(),
        Some("Gamm")
    );
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().active_path(), Some("Gamma.md"));
    assert_eq!(read(dir.path(), "Alpha.md"), before);
}
