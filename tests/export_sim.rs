//! Recorded simulator runs in the offline HTML export: every runnable Go
//! block of a note gets its run embedded as JSON plus the step-through
//! player, through the public API only.

use std::fs;
use std::path::{Path, PathBuf};
use strata::export::recording;
use strata::export::{export_html, HtmlOptions};
use strata::markdown::{self, BlockKind};
use strata::sim::SimOptions;
use strata::vault::Vault;

mod common;
use common::{copy_dir, samples_dir};

/// The JSON text of every recording on a page, in page order, with the
/// `\u003c`-style escapes left as JSON escapes.
fn recordings(html: &str) -> Vec<serde_json::Value> {
    const OPEN: &str = "<script type=\"application/json\" class=\"sim-data\">";
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(OPEN) {
        let after = &rest[i + OPEN.len()..];
        let end = after.find("</script>").expect("closed data script");
        out.push(serde_json::from_str(&after[..end]).expect("recording is JSON"));
        rest = &after[end..];
    }
    out
}

/// Runnable Go programs of a note, in order.
fn programs(text: &str) -> Vec<String> {
    let doc = markdown::parse(text);
    let mut out = Vec::new();
    markdown::walk_blocks(&doc.blocks, &mut |b| {
        if let BlockKind::Code { lang, code } = &b.kind {
            if recording::is_program(lang, code) {
                out.push(code.clone());
            }
        }
    });
    out
}

/// Folds a recording's deltas; returns the state after the last frame.
fn final_state(rec: &serde_json::Value) -> serde_json::Value {
    let mut state = rec["init"].clone();
    for f in rec["frames"].as_array().expect("frames") {
        recording::apply(&mut state, &f[4]);
    }
    state
}

struct Site {
    _dir: tempfile::TempDir,
    vault_dir: PathBuf,
    out: PathBuf,
}

fn export_samples() -> Site {
    let dir = tempfile::tempdir().expect("tempdir");
    let vault_dir = dir.path().join("vault");
    copy_dir(&samples_dir(), &vault_dir);
    let vault = Vault::open(&vault_dir).expect("open");
    let out = dir.path().join("site");
    let summary = export_html(&vault, &out, &HtmlOptions::default()).expect("export");
    assert!(summary.recordings >= 15, "{summary:?}");
    assert!(summary.sim_rejected.is_empty(), "{summary:?}");
    Site {
        _dir: dir,
        vault_dir,
        out,
    }
}

fn page_of(site: &Site, note: &str) -> String {
    let rel = format!("{}.html", note.trim_end_matches(".md"));
    fs::read_to_string(site.out.join(rel)).expect("page")
}

#[test]
fn every_sample_program_is_recorded_and_replays_to_its_real_output() {
    let site = export_samples();
    let vault = Vault::open(&site.vault_dir).expect("open");
    let mut checked = 0;
    for note in vault.notes() {
        let text = vault.text(&note.path).expect("text");
        let progs = programs(text);
        let html = page_of(&site, &note.path);
        let recs = recordings(&html);
        assert_eq!(recs.len(), progs.len(), "{}", note.path);
        if progs.is_empty() {
            assert!(!html.contains("sim.js"), "{}", note.path);
            continue;
        }
        assert!(html.contains("<script src=\"") && html.contains("sim.js\"></script>"));
        assert_eq!(
            html.matches("<section class=\"sim\"").count(),
            progs.len(),
            "{}",
            note.path
        );
        for (code, rec) in progs.iter().zip(&recs) {
            // What `strata sim` prints: the default options, no tracing.
            let plain = strata::sim::run(code, "main.go", &SimOptions::default());
            let traced = strata::sim::run(code, "main.go", &recording::options());
            assert_eq!(rec["out"], plain.stdout, "{}", note.path);
            assert_eq!(rec["err"], plain.stderr, "{}", note.path);
            assert_eq!(rec["exit"], plain.exit_code, "{}", note.path);
            assert_eq!(rec["events"], traced.trace.events.len(), "{}", note.path);
            let frames = rec["frames"].as_array().expect("frames");
            let n = traced.trace.events.len();
            assert_eq!(frames.len(), recording::frame_points(n).len());
            assert_eq!(frames.last().expect("a frame")[0], n);
            assert_eq!(rec["sampled"], frames.len() < n);
            // Replaying every delta ends with all the output shown.
            let end = final_state(rec);
            assert_eq!(
                end["o"].as_u64(),
                Some(plain.stdout.encode_utf16().count() as u64),
                "{}",
                note.path
            );
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} programs");
}

#[test]
fn the_player_script_is_offline_and_builds_dom_without_markup() {
    let site = export_samples();
    let js = fs::read_to_string(site.out.join("sim.js")).expect("sim.js");
    assert!(js.contains("step-through player"));
    for banned in [
        "fetch(",
        "XMLHttpRequest",
        "import(",
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "https://",
    ] {
        assert!(!js.contains(banned), "sim.js uses {banned}");
    }
    // The one URL is the SVG namespace name, which is never fetched.
    assert_eq!(
        js.matches("http://").count(),
        js.matches("\"http://www.w3.org/2000/svg\"").count()
    );
    let css = fs::read_to_string(site.out.join("style.css")).expect("css");
    assert!(css.contains(".sim-panels") && css.contains("prefers-color-scheme: dark"));
}

const HOSTILE_GO: &str = r#"# Hostile program

```go
package main

import "fmt"

func main() {
	ch := make(chan string, 1)
	ch <- "</script><script>alert(1)</script>"
	fmt.Println(<-ch, "<!--", "]]>")
	defer fmt.Println("</SCRIPT >")
}
```

```go
// fragment: not a program
package main
func main() { for {} }
```

```go
package main

func main() {
	x := 
}
```
"#;

fn hostile_vault() -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("Hostile program.md"), HOSTILE_GO).expect("write");
    let vault = Vault::open(dir.path()).expect("open");
    (dir, vault)
}

#[test]
fn strings_in_a_program_cannot_break_out_of_the_recording() {
    let (dir, vault) = hostile_vault();
    let out = dir.path().join("site");
    let summary = export_html(&vault, &out, &HtmlOptions::default()).expect("export");
    assert_eq!(summary.recordings, 1);
    // The broken program is reported at its note line: the fence is line
    // 22, and the missing expression after `x :=` shows at 26 or 27.
    assert_eq!(summary.sim_rejected.len(), 1, "{summary:?}");
    let (note, line, _) = &summary.sim_rejected[0];
    assert_eq!(note, "Hostile program.md");
    assert!((26..=27).contains(line), "{line}");
    let html = fs::read_to_string(out.join("Hostile program.html")).expect("page");
    // Exactly the data block, search.js and sim.js: nothing injected.
    assert_eq!(html.matches("<script").count(), 3, "{html}");
    assert_eq!(html.to_ascii_lowercase().matches("</script").count(), 3);
    assert!(!html.contains("alert(1)</script>"));
    assert!(html.contains("Not recorded: the simulator cannot run this program"));
    let recs = recordings(&html);
    assert_eq!(recs.len(), 1);
    let printed = "</script><script>alert(1)</script> <!-- ]]>\n</SCRIPT >\n";
    assert_eq!(recs[0]["out"], printed);
    // The static fallback shows the same output, escaped.
    assert!(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn single_file_export_inlines_the_player_under_its_hash() {
    let (dir, vault) = hostile_vault();
    let out = dir.path().join("one");
    let opts = HtmlOptions {
        single: Some("Hostile program".into()),
    };
    let summary = export_html(&vault, &out, &opts).expect("export");
    assert_eq!(summary.recordings, 1);
    let html = fs::read_to_string(out.join("Hostile program.html")).expect("page");
    assert!(!html.contains("src=\""), "single files load nothing");
    let csp_start = html
        .find("script-src 'self' 'sha256-")
        .expect("hash in CSP");
    assert!(csp_start < html.find("</head>").expect("head"));
    assert!(html.contains("step-through player"));
    assert_eq!(recordings(&html).len(), 1);
}

/// A program that runs forever is cut by the export's step budget, and
/// the page says so instead of hanging the export.
#[test]
fn endless_programs_stop_at_the_budget() {
    let dir = tempfile::tempdir().expect("tempdir");
    let note = "```go\npackage main\n\nfunc main() {\n\tn := 0\n\tfor {\n\t\tn++\n\t}\n}\n```\n";
    fs::write(dir.path().join("Spin.md"), note).expect("write");
    let vault = Vault::open(dir.path()).expect("open");
    let out = dir.path().join("site");
    let started = std::time::Instant::now();
    let summary = export_html(&vault, &out, &HtmlOptions::default()).expect("export");
    assert_eq!(summary.recordings, 1);
    assert!(started.elapsed() < std::time::Duration::from_secs(120));
    let html = fs::read_to_string(out.join("Spin.html")).expect("page");
    assert!(
        html.contains("stopped by the export"),
        "budget not reported"
    );
    let recs = recordings(&html);
    let frames = recs[0]["frames"].as_array().expect("frames");
    assert!(frames.len() <= recording::MAX_FRAMES);
    assert!(html.len() < 400_000, "page is {} bytes", html.len());
}

fn chromium() -> Option<&'static Path> {
    let p = Path::new("/usr/bin/chromium");
    p.is_file().then_some(p)
}

fn file_url(path: &Path, fragment: &str) -> String {
    const PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'.')
        .remove(b'-')
        .remove(b'_');
    format!(
        "file://{}{fragment}",
        percent_encoding::utf8_percent_encode(&path.to_string_lossy(), PATH)
    )
}

/// (DOM after scripts ran, browser log) of a page loaded headless. Both
/// go to files: the log is long, and a full pipe would stall Chromium.
fn load(chromium: &Path, url: &str) -> (String, String) {
    let profile = tempfile::tempdir().expect("tempdir");
    let dom_path = profile.path().join("dom.html");
    let log_path = profile.path().join("log.txt");
    let mut child = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
        ])
        .arg(format!(
            "--user-data-dir={}",
            profile.path().join("profile").display()
        ))
        .arg(url)
        .stdout(fs::File::create(&dom_path).expect("dom file"))
        .stderr(fs::File::create(&log_path).expect("log file"))
        .spawn()
        .expect("spawn chromium");
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(90) {
            let _ = child.kill();
            panic!("chromium did not finish within 90 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    (
        String::from_utf8_lossy(&fs::read(&dom_path).expect("dom")).into_owned(),
        String::from_utf8_lossy(&fs::read(&log_path).expect("log")).into_owned(),
    )
}

fn assert_clean_log(log: &str, what: &str) {
    for bad in [
        "Uncaught",
        "Refused to",
        "cannot be played",
        "ERR_FILE_NOT_FOUND",
    ] {
        assert!(
            !log.contains(bad),
            "{what}: browser reported {bad}: {}",
            &log[..log.len().min(3000)]
        );
    }
}

/// With Chromium installed, the player runs from file:// under the page's
/// CSP: it builds its controls and seeks to the event the URL names.
#[test]
fn chromium_plays_a_recorded_run_from_file_urls() {
    let Some(chromium) = chromium() else {
        eprintln!("skipped: /usr/bin/chromium not installed");
        return;
    };
    let site = export_samples();
    let page = site.out.join("traps").join("Deadlock.html");
    let (dom, log) = load(chromium, &file_url(&page, "#sim-step=1:5"));
    assert_clean_log(&log, "Deadlock.html");
    assert!(dom.contains("sim-live"), "player did not start");
    assert!(dom.contains("aria-label=\"Step back\""));
    assert!(dom.contains("event 5 of 10"), "hash did not seek");
    assert!(dom.contains("class=\"sim-hl now\""), "no line highlighted");

    let (dir, vault) = hostile_vault();
    let out = dir.path().join("one");
    let opts = HtmlOptions {
        single: Some("Hostile program".into()),
    };
    export_html(&vault, &out, &opts).expect("export");
    let page = out.join("Hostile program.html");
    let (dom, log) = load(chromium, &file_url(&page, "#sim-step=999"));
    assert_clean_log(&log, "single file");
    assert!(dom.contains("sim-live"), "inline player blocked by the CSP");
    // At the end the output is shown as text, never as markup.
    assert!(dom.contains("&lt;/script&gt;&lt;script&gt;alert(1)"));
}
