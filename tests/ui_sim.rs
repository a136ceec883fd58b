//! The simulator view as a trainer meets it: a note with a Go block, the
//! "Run in simulator" button in its preview, then stepping, playing and the
//! end-of-run report - all found by their accessible labels.

mod common;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use egui::Key;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use strata::ui::StrataApp;

const DEFER_LOOP: &str = r#"package main

import "fmt"

func work() {
	for i := 0; i < 3; i++ {
		defer fmt.Println("deferred", i)
	}
	fmt.Println("loop done")
}

func main() {
	work()
}
"#;

const LEAK: &str = r#"package main

import (
	"fmt"
	"time"
)

func main() {
	ch := make(chan int)
	go func() {
		v := <-ch
		fmt.Println(v)
	}()
	time.Sleep(time.Millisecond)
	fmt.Println("main returns")
}
"#;

const LOOP_CAPTURE: &str = r#"package main

import "fmt"

func main() {
	var prints []func()
	for i := 0; i < 3; i++ {
		prints = append(prints, func() { fmt.Print(i) })
	}
	for _, p := range prints {
		p()
	}
	fmt.Println()
}
"#;

const BROKEN: &str = "package main\n\nfunc main() {\n\tx := \n}\n";

/// A vault with one note holding `code` as its only Go block.
fn vault_with(code: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let note = format!("# Program\n\nWatch this run.\n\n```go\n{code}```\n");
    fs::write(dir.path().join("Program.md"), note).unwrap();
    dir
}

fn harness(root: &Path) -> Harness<'static, StrataApp> {
    let app = common::app_on(root, Some("Program.md"));
    common::app_harness(app, [1400.0, 900.0], Some(40))
}

/// Clicks "Run in simulator" and waits for the background run to finish.
fn open_simulator(h: &mut Harness<'static, StrataApp>) {
    h.get_by_label("Run in simulator").click();
    h.run();
    assert!(
        h.query_by_label("Close simulator").is_some(),
        "the simulator view opened"
    );
    wait_ready(h);
}

fn wait_ready(h: &mut Harness<'static, StrataApp>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        h.run();
        if h.query_by_label_contains("Running the program").is_none()
            && h.query_by_label_contains("event ").is_some()
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the simulator run finished in time"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn defer_cards(h: &Harness<'static, StrataApp>) -> usize {
    h.query_all_by_label_contains("defer card:").count()
}

fn output_text(h: &Harness<'static, StrataApp>, needle: &str) -> bool {
    h.query_by_label_contains(needle).is_some()
}

#[test]
fn run_in_simulator_opens_the_view_with_its_controls() {
    let dir = vault_with(DEFER_LOOP);
    let mut h = harness(dir.path());
    assert!(h.query_by_label("Close simulator").is_none());
    open_simulator(&mut h);
    for label in [
        "Restart",
        "Step back",
        "Play",
        "Step",
        "Go 1.21",
        "Go 1.22",
        "Goroutine lanes",
        "Goroutine count track",
    ] {
        assert!(h.query_by_label(label).is_some(), "{label} is shown");
    }
    for label in ["Position", "Speed", "Seed", "Line steps"] {
        assert!(
            h.query_all_by_label_contains(label).next().is_some(),
            "{label} control is shown"
        );
    }
    // Closing returns to the note's preview.
    h.get_by_label("Close simulator").click();
    h.run();
    assert!(h.query_by_label("Close simulator").is_none());
    assert!(h.query_by_label("Run in simulator").is_some());
}

#[test]
fn stepping_pushes_defer_cards_and_stepping_back_removes_them() {
    let dir = vault_with(DEFER_LOOP);
    let mut h = harness(dir.path());
    open_simulator(&mut h);
    assert_eq!(
        defer_cards(&h),
        0,
        "nothing deferred before the first event"
    );
    let mut steps = 0;
    while defer_cards(&h) < 3 {
        h.get_by_label("Step").click();
        h.run();
        steps += 1;
        assert!(steps < 400, "three defers pushed within 400 steps");
    }
    assert_eq!(defer_cards(&h), 3);
    // The arguments were frozen when each defer ran: 0, 1, 2, newest on top.
    assert!(h.query_by_label_contains("(deferred, 0)").is_some());
    assert!(h
        .query_by_label_contains("(deferred, 2), line 7, runs next")
        .is_some());
    h.get_by_label("Step back").click();
    h.run();
    let mut back = 1;
    while defer_cards(&h) == 3 {
        h.get_by_label("Step back").click();
        h.run();
        back += 1;
        assert!(back < 50, "stepping back undoes the last push");
    }
    assert_eq!(defer_cards(&h), 2);
    // Keyboard: Right steps forward again.
    for _ in 0..back {
        h.key_press(Key::ArrowRight);
        h.run();
    }
    assert_eq!(defer_cards(&h), 3);
    // At the end work() has returned and run all three.
    h.key_press(Key::End);
    h.run();
    assert_eq!(defer_cards(&h), 0);
    assert!(output_text(&h, "deferred 2\ndeferred 1\ndeferred 0"));
}

#[test]
fn the_report_lists_a_leaked_goroutine_and_jumps_to_its_line() {
    let dir = vault_with(LEAK);
    let mut h = harness(dir.path());
    open_simulator(&mut h);
    assert!(h
        .query_by_label_contains("Leaked goroutines (blocked at exit): 1")
        .is_some());
    let blocked = h.get_by_label("blocked at line 11");
    blocked.click();
    h.run();
    // The leaked goroutine is now the selected one.
    assert!(h.query_by_label("G2").is_some(), "G2 selected");
    assert!(h.query_by_label("created at line 10").is_some());
}

#[test]
fn play_and_pause_toggle_and_playback_moves_the_playhead() {
    let dir = vault_with(DEFER_LOOP);
    let mut h = harness(dir.path());
    open_simulator(&mut h);
    assert!(h.query_by_label_contains("event 0 of").is_some());
    h.get_by_label("Play").click();
    // Playing repaints every frame, so step frames by hand.
    for _ in 0..8 {
        h.step();
    }
    assert!(
        h.query_by_label("Pause").is_some(),
        "Play turned into Pause"
    );
    assert!(
        h.query_by_label_contains("event 0 of").is_none(),
        "the playhead moved while playing"
    );
    h.get_by_label("Pause").click();
    h.step();
    h.run();
    assert!(h.query_by_label("Play").is_some());
    // Space toggles too.
    h.key_press(Key::Space);
    h.step();
    assert!(h.query_by_label("Pause").is_some());
    h.key_press(Key::Space);
    h.step();
    h.run();
    assert!(h.query_by_label("Play").is_some());
}

#[test]
fn go_version_reruns_the_program_with_the_other_loop_semantics() {
    let dir = vault_with(LOOP_CAPTURE);
    let mut h = harness(dir.path());
    open_simulator(&mut h);
    h.key_press(Key::End);
    h.run();
    assert!(
        output_text(&h, "012"),
        "Go 1.22: one variable per iteration"
    );
    h.get_by_label("Go 1.21").click();
    h.run();
    wait_ready(&mut h);
    h.key_press(Key::End);
    h.run();
    assert!(output_text(&h, "333"), "Go 1.21: one variable per loop");
}

#[test]
fn a_compile_error_shows_line_and_column() {
    let dir = vault_with(BROKEN);
    let mut h = harness(dir.path());
    open_simulator(&mut h);
    // In the banner above the source and in the report.
    assert_eq!(
        h.query_all_by_label_contains("does not compile: 5:1: syntax error")
            .count(),
        2
    );
    h.get_by_label("jump to line 5").click();
    h.run();
}
