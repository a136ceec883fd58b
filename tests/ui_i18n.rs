//! UI language: the View → Language menu switches every visible label
//! between English and Simplified Chinese, the choice is saved in the
//! settings, and the bundled fonts draw every Chinese string.

mod common;
use std::fs;
use std::path::Path;

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use strata::i18n::{self, Lang};
use strata::settings::{LanguagePref, Settings};
use strata::ui::{AppConfig, StrataApp};

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("Alpha.md"),
        "# Alpha\n\nSee [[Beta]].\n\n```go\npackage main\n\nfunc main() {}\n```\n",
    )
    .unwrap();
    fs::write(dir.path().join("Beta.md"), "# Beta\n\nBack to [[Alpha]].\n").unwrap();
    dir
}

fn app(root: &Path, settings: Option<&Path>) -> StrataApp {
    StrataApp::new(AppConfig {
        vault: root.to_path_buf(),
        settings_path: settings.map(Path::to_path_buf),
        open_note: Some("Alpha.md".into()),
    })
    .expect("vault opens")
}

fn harness(app: StrataApp) -> Harness<'static, StrataApp> {
    // The simulator and slides animate for a few frames after a step.
    common::app_harness(app, [1280.0, 800.0], Some(40))
}

/// Picks `item` in View → Language, whatever language the menus are in.
fn choose_language(h: &mut Harness<'static, StrataApp>, view: &str, item: &str) {
    h.get_by_label(view).click();
    h.run();
    h.get_by_label_contains("Language").click();
    h.run();
    h.get_by_label(item).click();
    h.run();
}

fn assert_english(h: &Harness<'static, StrataApp>) {
    assert_eq!(h.state().language(), Lang::En);
    h.get_by_label("File");
    h.get_by_label("View");
    h.get_by_label("Backlinks (1)");
    h.get_by_label("Run in simulator");
    h.get_by_label("2 notes");
    assert!(h.query_by_label("视图").is_none());
}

fn assert_chinese(h: &Harness<'static, StrataApp>) {
    assert_eq!(h.state().language(), Lang::ZhCn);
    // Menu, panel heading, preview button and status bar all changed.
    h.get_by_label("视图");
    h.get_by_label("转到");
    h.get_by_label("反向链接（1）");
    h.get_by_label("在模拟器中运行");
    h.get_by_label("2 篇笔记");
    assert!(h.query_by_label("View").is_none());
    assert!(h.query_by_label("Backlinks (1)").is_none());
    assert!(h.query_by_label("Run in simulator").is_none());
}

#[test]
fn switching_language_changes_visible_labels_and_back() {
    let dir = fixture();
    let mut h = harness(app(dir.path(), None));
    assert_english(&h);
    choose_language(&mut h, "View", "简体中文");
    assert_chinese(&h);
    assert_eq!(h.state().settings().language, LanguagePref::ZhCn);
    // The language names stay in their own script in the Chinese menu.
    choose_language(&mut h, "视图", "English");
    assert_english(&h);
    assert_eq!(h.state().settings().language, LanguagePref::En);
}

#[test]
fn follow_system_means_english_in_tests() {
    let dir = fixture();
    let mut h = harness(app(dir.path(), None));
    choose_language(&mut h, "View", "简体中文");
    assert_chinese(&h);
    choose_language(&mut h, "视图", "跟随系统");
    assert_eq!(h.state().settings().language, LanguagePref::System);
    assert_english(&h);
}

#[test]
fn the_choice_is_saved_and_used_at_the_next_start() {
    let dir = fixture();
    let cfg = tempfile::tempdir().unwrap();
    let path = cfg.path().join("settings.ron");
    // An explicit English start, so the machine's locale plays no part.
    fs::write(&path, "(language: En)").unwrap();
    let mut h = harness(app(dir.path(), Some(&path)));
    assert_english(&h);
    choose_language(&mut h, "View", "简体中文");
    // Settings are written about a second after a change.
    for _ in 0..120 {
        h.step();
    }
    let saved = Settings::load(&path);
    assert!(saved.warning.is_none());
    assert_eq!(saved.settings.language, LanguagePref::ZhCn);
    drop(h);

    let h = harness(app(dir.path(), Some(&path)));
    assert_chinese(&h);
}

#[test]
fn two_windows_on_one_thread_keep_their_own_language() {
    let dir = fixture();
    let mut zh = harness(app(dir.path(), None));
    choose_language(&mut zh, "View", "简体中文");
    let mut en = harness(app(dir.path(), None));
    for _ in 0..2 {
        en.run();
        assert_english(&en);
        zh.run();
        assert_chinese(&zh);
    }
}

#[test]
fn bundled_fonts_draw_every_chinese_string() {
    let dir = fixture();
    let h = harness(app(dir.path(), None));
    let font = egui::FontId::proportional(14.0);
    let mut missing = Vec::new();
    for (key, value) in i18n::entries(Lang::ZhCn) {
        for c in value.chars().filter(|c| !c.is_whitespace()) {
            if !h.ctx.fonts_mut(|f| f.has_glyph(&font, c)) {
                missing.push(format!("{key}: {c:?} (U+{:04X})", c as u32));
            }
        }
    }
    assert!(missing.is_empty(), "no glyph for:\n{}", missing.join("\n"));
}

/// Latin-script words in every label and value the window exposes now.
fn latin_words(h: &Harness<'static, StrataApp>) -> std::collections::BTreeSet<String> {
    let texts = std::cell::RefCell::new(Vec::new());
    let _ = h
        .query_all_by(|n| {
            texts.borrow_mut().extend(n.label());
            texts.borrow_mut().extend(n.value());
            false
        })
        .count();
    let mut words = std::collections::BTreeSet::new();
    for t in texts.into_inner() {
        if EGUI_OWN.contains(&t.as_str()) {
            continue;
        }
        for w in t.split(|c: char| !c.is_ascii_alphabetic()) {
            if w.len() >= 2 {
                words.insert(w.to_owned());
            }
        }
    }
    words
}

/// Accessibility labels egui itself gives its widgets (not ours to translate).
const EGUI_OWN: &[&str] = &["Resize panel", "Close window"];

/// Words a Chinese UI legitimately shows: the fixture notes' file names and
/// code, key names, and names that stay as they are.
const ALLOWED: &[&str] = &[
    "md",
    "go",
    "package",
    "main",
    "func",
    "fmt",
    "Println",
    "Ctrl",
    "Shift",
    "Alt",
    "Enter",
    "Tab",
    "Esc",
    "Space",
    "Left",
    "Right",
    "Home",
    "End",
    "Strata",
    "Language",
    "English",
    "Markdown",
    "Go",
    "UTF",
    "Mermaid",
    "SVG",
    "DOT",
    "goroutine",
    "Goroutine",
    "WaitGroup",
    "Context",
    "defer",
    "panic",
    "recover",
    "chan",
    "ctx",
    "fd",
];

/// Fills the simulator's panels: a loop variable, a channel, a WaitGroup,
/// defers and a goroutine leaked on a send.
const PROGRAM: &str = "package main

import (
\t\"fmt\"
\t\"sync\"
\t\"time\"
)

func main() {
\tvar wg sync.WaitGroup
\tch := make(chan int)
\tfor i := 0; i < 2; i++ {
\t\twg.Add(1)
\t\tgo func() {
\t\t\tdefer wg.Done()
\t\t\tch <- i
\t\t}()
\t}
\tfmt.Println(<-ch)
\ttime.Sleep(time.Millisecond)
}
";

/// The simulator's wait reasons (as in a Go goroutine dump) and durations
/// (printed as Go prints them, `1ms`) stay English, like its other messages.
const SIM_WORDS: &[&str] = &["send", "receive", "runnable", "running", "sleep", "ms"];

fn chinese_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("甲.md"),
        format!("# 甲\n\n参见 [[乙]]。\n\n```go\n{PROGRAM}```\n"),
    )
    .unwrap();
    fs::write(dir.path().join("乙.md"), "# 乙\n\n回到 [[甲]]。\n").unwrap();
    dir
}

fn assert_no_english(h: &Harness<'static, StrataApp>, screen: &str) {
    let stray: Vec<String> = latin_words(h)
        .into_iter()
        .filter(|w| !ALLOWED.contains(&w.as_str()) && !SIM_WORDS.contains(&w.as_str()))
        .filter(|w| !PROGRAM.contains(w.as_str()))
        .collect();
    assert!(
        stray.is_empty(),
        "{screen}: English left in the Chinese UI: {stray:?}"
    );
}

#[test]
fn nothing_is_left_english_in_the_chinese_ui() {
    use egui::{Key, Modifiers};
    let dir = chinese_fixture();
    let app = StrataApp::new(AppConfig {
        vault: dir.path().to_path_buf(),
        settings_path: None,
        open_note: Some("甲.md".into()),
    })
    .unwrap();
    let mut h = harness(app);
    choose_language(&mut h, "View", "简体中文");
    assert_no_english(&h, "main window");
    for menu in ["文件", "视图", "转到"] {
        // "文件" is also the Files tab of the left panel; menus are on top.
        h.get_all_by_label(menu)
            .find(|n| n.rect().top() < 30.0)
            .expect("menu in the menu bar")
            .click();
        h.run();
        assert_no_english(&h, menu);
        h.key_press(Key::Escape);
        h.run();
    }
    h.key_press(Key::F1);
    h.run();
    h.get_by_label("保存笔记");
    h.get_by_label("F1 或 Ctrl+/");
    assert_no_english(&h, "keyboard shortcuts");
    h.key_press(Key::F1);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::P);
    h.run();
    assert_no_english(&h, "quick switcher");
    h.key_press(Key::Escape);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    assert_no_english(&h, "new note");
    h.key_press(Key::Escape);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::H);
    h.run();
    assert_no_english(&h, "find and replace");
    h.get_by_label("搜索").click();
    h.run();
    assert_no_english(&h, "search");
    h.get_by_label("评审").click();
    h.run();
    assert_no_english(&h, "review panel");
    h.key_press_modifiers(Modifiers::COMMAND, Key::G);
    h.run();
    assert_no_english(&h, "graph view");
    h.key_press_modifiers(Modifiers::COMMAND, Key::G);
    h.run();
    h.get_by_label("在模拟器中运行").click();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while h.query_by_label_contains("个事件，共").is_none() {
        assert!(std::time::Instant::now() < deadline, "the run finished");
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.run();
    }
    assert_no_english(&h, "simulator");
    // The end of the run: every panel filled, the leak reported.
    h.key_press(Key::End);
    h.run();
    h.get_by_label_contains("泄漏的 goroutine");
    assert_no_english(&h, "simulator at the end");
    h.get_by_label("关闭模拟器").click();
    h.run();
    h.key_press(Key::F5);
    h.run();
    assert_no_english(&h, "presentation");
    h.key_press(Key::Escape);
    h.run();
    assert!(h.query_by_label("视图").is_some(), "back from the slides");
}
