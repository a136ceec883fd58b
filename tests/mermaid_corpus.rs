//! Compatibility with Mermaid.js's own flowchart texts.
//!
//! The corpus (1,649 `.mmd` files from Mermaid's parser specs, Cypress tests
//! and docs, with `manifest.tsv` saying whether Mermaid expects each to
//! parse) lives outside the repository; CI checks it out beside it. When it
//! is missing this test says so and passes.
//!
//! Figures are floors: a change that parses fewer `ok` texts or flags fewer
//! `error` texts fails here.

use std::path::PathBuf;
use strata::diagram::layout::{layout, LayoutError, NodeBox, Point};
use strata::diagram::parse::parse;
use strata::diagram::{prepare, render_svg, DiagramError, Theme};

/// Reached on 2026-11-27 with 1,621 `ok` and 24 `error` texts.
const MIN_OK_PARSED: f64 = 1.0;
/// `error` texts we reject outright.
const MIN_ERROR_REJECTED: f64 = 4.0 / 24.0;
/// `error` texts we reject or accept with a Mermaid.js portability warning.
const MIN_ERROR_FLAGGED: f64 = 1.0;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/mermaid-flowchart")
}

struct Entry {
    id: String,
    expect: String,
    src: String,
}

fn load() -> Option<Vec<Entry>> {
    let dir = corpus_dir();
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).ok()?;
    let mut out = Vec::new();
    for line in manifest.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (Some(id), Some(expect)) = (fields.first(), fields.get(3)) else {
            continue;
        };
        let src = std::fs::read_to_string(dir.join(format!("{id}.mmd")))
            .unwrap_or_else(|e| panic!("{id}.mmd listed in manifest.tsv but unreadable: {e}"));
        out.push(Entry {
            id: id.to_string(),
            expect: expect.to_string(),
            src,
        });
    }
    Some(out)
}

fn portability_warned(src: &str) -> bool {
    match parse(src) {
        Ok((_, w)) => w.iter().any(|w| w.message.contains("Mermaid.js")),
        Err(_) => false,
    }
}

#[test]
fn mermaid_flowchart_corpus() {
    let Some(entries) = load() else {
        println!(
            "mermaid corpus not found at {}; skipping",
            corpus_dir().display()
        );
        return;
    };
    let (mut ok_total, mut ok_parsed) = (0usize, 0usize);
    let (mut err_total, mut err_rejected, mut err_warned) = (0usize, 0usize, 0usize);
    let mut ok_failures = Vec::new();
    let mut err_missed = Vec::new();
    for e in &entries {
        let result = parse(&e.src);
        match e.expect.as_str() {
            "ok" => {
                ok_total += 1;
                match result {
                    Ok(_) => ok_parsed += 1,
                    Err(err) => ok_failures.push(format!("{}: {err}", e.id)),
                }
            }
            "error" => {
                err_total += 1;
                if result.is_err() {
                    err_rejected += 1;
                } else if portability_warned(&e.src) {
                    err_warned += 1;
                } else {
                    err_missed.push(e.id.clone());
                }
            }
            _ => {}
        }
    }
    let share = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let ok_share = share(ok_parsed, ok_total);
    let rejected = share(err_rejected, err_total);
    let flagged = share(err_rejected + err_warned, err_total);
    println!("mermaid corpus: {} texts", entries.len());
    println!(
        "  expect=ok    parsed   {ok_parsed}/{ok_total} ({:.1}%)",
        ok_share * 100.0
    );
    println!(
        "  expect=error rejected {err_rejected}/{err_total} ({:.1}%), warned {err_warned}, flagged {:.1}%",
        rejected * 100.0,
        flagged * 100.0
    );
    for f in &ok_failures {
        println!("  ok but rejected: {f}");
    }
    for f in &err_missed {
        println!("  error but accepted silently: {f}");
    }
    assert!(ok_share >= MIN_OK_PARSED, "ok share fell to {ok_share}");
    assert!(
        rejected >= MIN_ERROR_REJECTED,
        "rejected share fell to {rejected}"
    );
    assert!(
        flagged >= MIN_ERROR_FLAGGED,
        "flagged share fell to {flagged}"
    );
}

/// Everything that parses must also lay out and render (or be refused as
/// too large), and never panic.
#[test]
fn mermaid_corpus_renders() {
    let Some(entries) = load() else {
        println!("mermaid corpus not found; skipping");
        return;
    };
    let mut rendered = 0;
    for e in &entries {
        if parse(&e.src).is_err() {
            continue;
        }
        match render_svg(&e.src, Theme::Light) {
            Ok(svg) => {
                assert!(svg.ends_with("</svg>\n"), "{}", e.id);
                assert!(!svg.contains("<script"), "{}", e.id);
                rendered += 1;
            }
            Err(DiagramError::Layout(LayoutError::TooLarge { .. })) => {}
            Err(err) => panic!("{}: {err}", e.id),
        }
    }
    println!("mermaid corpus: {rendered} texts rendered to SVG");
}

/// Whether segment p-q enters the interior of `b` shrunk by 1 px.
fn cuts(p: Point, q: Point, b: &NodeBox) -> bool {
    let (x0, x1) = (b.x - b.w / 2.0 + 1.0, b.x + b.w / 2.0 - 1.0);
    let (y0, y1) = (b.y - b.h / 2.0 + 1.0, b.y + b.h / 2.0 - 1.0);
    if x0 >= x1 || y0 >= y1 {
        return false;
    }
    let (dx, dy) = (q.x - p.x, q.y - p.y);
    let (mut t0, mut t1) = (0f32, 1f32);
    for (pp, qq) in [
        (-dx, p.x - x0),
        (dx, x1 - p.x),
        (-dy, p.y - y0),
        (dy, y1 - p.y),
    ] {
        if pp.abs() < 1e-9 {
            if qq <= 0.0 {
                return false;
            }
        } else if pp < 0.0 {
            t0 = t0.max(qq / pp);
        } else {
            t1 = t1.min(qq / pp);
        }
    }
    t1 - t0 > 1e-4
}

/// Every corpus text that lays out has no two nodes overlapping, no edge
/// through a node other than its ends, and no edge through the inside of a
/// subgraph that holds neither end (1021.mmd did, for a while).
#[test]
fn mermaid_corpus_layouts_are_clean() {
    let Some(entries) = load() else {
        println!("mermaid corpus not found; skipping");
        return;
    };
    let mut problems = Vec::new();
    let mut laid_out = 0;
    for e in &entries {
        let Ok((chart, _)) = parse(&e.src) else {
            continue;
        };
        let inp = prepare(&chart);
        let Ok(l) = layout(&inp) else {
            continue;
        };
        laid_out += 1;
        for (i, a) in l.nodes.iter().enumerate() {
            for b in &l.nodes[i + 1..] {
                if (a.x - b.x).abs() < (a.w + b.w) / 2.0 - 0.5
                    && (a.y - b.y).abs() < (a.h + b.h) / 2.0 - 0.5
                {
                    problems.push(format!("{}: nodes overlap", e.id));
                }
            }
        }
        let holds = |c: usize, v: usize| {
            let mut stack = vec![c];
            while let Some(d) = stack.pop() {
                if inp.clusters[d].nodes.contains(&v) {
                    return true;
                }
                stack
                    .extend((0..inp.clusters.len()).filter(|&x| inp.clusters[x].parent == Some(d)));
            }
            false
        };
        for (k, ed) in inp.edges.iter().enumerate() {
            let route = &l.edges[k].points;
            for (v, nb) in l.nodes.iter().enumerate() {
                if v != ed.from && v != ed.to && route.windows(2).any(|w| cuts(w[0], w[1], nb)) {
                    problems.push(format!("{}: edge {k} runs through node {v}", e.id));
                }
            }
            for (c, cb) in l.clusters.iter().enumerate() {
                let own = holds(c, ed.from)
                    || holds(c, ed.to)
                    || ed.from_cluster == Some(c)
                    || ed.to_cluster == Some(c);
                // The inside: the box less its padding (12 px a side) and title band.
                let th = inp.clusters[c].title_size.1;
                let inside = NodeBox {
                    x: cb.x + cb.w / 2.0,
                    y: cb.y + (cb.h + th) / 2.0,
                    w: cb.w - 24.0,
                    h: cb.h - th - 24.0,
                };
                if !own && cb.w > 0.0 && route.windows(2).any(|w| cuts(w[0], w[1], &inside)) {
                    problems.push(format!("{}: edge {k} runs through subgraph {c}", e.id));
                }
            }
        }
    }
    println!("mermaid corpus: {laid_out} layouts checked");
    assert!(problems.is_empty(), "{problems:#?}");
}
