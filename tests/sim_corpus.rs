// Runs every Go program of tests/sim/cases/ in the simulator, in Go 1.21 and
// Go 1.22 loop-variable modes, and compares stdout, the exit code and the
// first stderr line with what the real Go toolchain produced
// (tests/sim/expected/<name>.go1.2x.{stdout,exit,stderr}).

use std::path::{Path, PathBuf};

use strata::sim::{run, GoVersion, SimOptions};

/// Cases the simulator is known to get wrong, with the reason. Every other
/// case must match real Go in both modes; a listed case that starts passing
/// is reported so that it can be removed from this list.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[];

fn corpus_dir() -> PathBuf {
    // STRATA_ROOT lets a scratch crate run this file against the repository.
    let root =
        std::env::var("STRATA_ROOT").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
    Path::new(&root).join("tests").join("sim")
}

fn read(p: &Path) -> Option<String> {
    std::fs::read_to_string(p).ok()
}

/// Returns (case name, mode, mismatch description) for every failing case.
fn corpus_failures() -> (usize, Vec<String>) {
    let dir = corpus_dir();
    let mut names: Vec<String> = match std::fs::read_dir(dir.join("cases")) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".go"))
            .map(|n| n.trim_end_matches(".go").to_string())
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    let mut failures = Vec::new();
    let mut total = 0;
    for name in &names {
        let src = match read(&dir.join("cases").join(format!("{name}.go"))) {
            Some(s) => s,
            None => continue,
        };
        for (mode, tag) in [(GoVersion::Go121, "go1.21"), (GoVersion::Go122, "go1.22")] {
            let exp = |ext: &str| read(&dir.join("expected").join(format!("{name}.{tag}.{ext}")));
            let (Some(want_out), Some(want_exit), Some(want_err)) =
                (exp("stdout"), exp("exit"), exp("stderr"))
            else {
                continue;
            };
            total += 1;
            let opts = SimOptions {
                go_version: mode,
                ..SimOptions::default()
            };
            let r = run(&src, &format!("./{name}.go"), &opts);
            let want_exit: i32 = want_exit.trim().parse().unwrap_or(-1);
            let want_err_line = want_err.lines().next().unwrap_or("").trim_end();
            let got_err_line = r.stderr.lines().next().unwrap_or("").trim_end();
            let mut why = Vec::new();
            if r.stdout != want_out {
                why.push(format!(
                    "stdout:\n--- want\n{want_out}--- got\n{}",
                    r.stdout
                ));
            }
            if r.exit_code != want_exit {
                why.push(format!("exit: want {want_exit}, got {}", r.exit_code));
            }
            if got_err_line != want_err_line {
                why.push(format!(
                    "stderr line 1: want {want_err_line:?}, got {got_err_line:?}"
                ));
            }
            if !why.is_empty() {
                failures.push(format!("{name} [{tag}]: {}", why.join("; ")));
            }
        }
    }
    (total, failures)
}

#[test]
fn corpus_matches_real_go() {
    let (total, failures) = corpus_failures();
    assert!(
        total > 0,
        "no corpus cases found under {}",
        corpus_dir().display()
    );
    let known = |f: &str| {
        KNOWN_DIFFERENCES
            .iter()
            .any(|(n, _)| f.starts_with(&format!("{n} [")))
    };
    let mut unexpected = 0;
    for f in &failures {
        if known(f) {
            eprintln!("known difference: {f}\n");
        } else {
            unexpected += 1;
            eprintln!("FAIL {f}\n");
        }
    }
    for (name, _) in KNOWN_DIFFERENCES {
        if !failures.iter().any(|f| f.starts_with(&format!("{name} ["))) {
            eprintln!("note: {name} now matches real Go; remove it from KNOWN_DIFFERENCES");
        }
    }
    eprintln!(
        "corpus: {} of {} runs match real Go",
        total - failures.len(),
        total
    );
    assert_eq!(
        unexpected, 0,
        "{unexpected} corpus runs differ from real Go unexpectedly"
    );
}

/// Constructs the corpus lists as unsupported that the simulator does run.
const SUPPORTED_BEYOND_CORPUS: &[&str] = &[
    "empty_interface_any.go",
    "interface_decl.go",
    "type_switch.go",
];

fn expect_line(src: &str) -> String {
    src.lines()
        .next()
        .unwrap_or("")
        .trim_start_matches("// expect: ")
        .to_string()
}

fn go_files(sub: &str) -> Vec<(String, String)> {
    let dir = corpus_dir().join(sub);
    let mut out: Vec<(String, String)> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".go"))
            .filter_map(|e| {
                let src = std::fs::read_to_string(e.path()).ok()?;
                Some((e.file_name().to_string_lossy().into_owned(), src))
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    out.sort();
    out
}

#[test]
fn syntax_errors_match_the_go_compiler() {
    let mut bad = Vec::new();
    for (name, src) in go_files("syntax") {
        let want = expect_line(&src);
        let got = strata::sim::check(&src, &name)
            .first()
            .map(|d| d.to_string())
            .unwrap_or_default();
        if got != want {
            bad.push(format!("{name}: want {want:?}, got {got:?}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn unsupported_constructs_are_rejected_with_position() {
    let mut bad = Vec::new();
    for (name, src) in go_files("unsupported") {
        if SUPPORTED_BEYOND_CORPUS.contains(&name.as_str()) {
            continue;
        }
        let want = expect_line(&src);
        let pos = want.rsplit(" at ").next().unwrap_or("").to_string();
        let diags = strata::sim::check(&src, &name);
        let ok = diags
            .first()
            .map(|d| d.message.starts_with("unsupported:") && !pos.is_empty())
            .unwrap_or(false);
        if !ok {
            bad.push(format!("{name}: want {want:?}, got {diags:?}"));
        }
        let r = run(&src, &name, &SimOptions::default());
        if r.exit_code == 0 {
            bad.push(format!("{name}: ran with exit code 0"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
