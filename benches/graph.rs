//! Graph view benchmarks on a 2,000-note vault (5 links per note to other
//! notes of the same vault, a hub linked from every tenth, two tags each):
//! building the graph from the index, filtering, one force-simulation step
//! (what the layout worker does per tick) and a whole layout to rest.

use std::fmt::Write as _;
use std::fs;
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use strata::graph::{subgraph, BuildOptions, Filter, Graph, SimParams, Simulation};
use strata::vault::Vault;

#[path = "support/vault_gen.rs"]
#[allow(dead_code)]
mod vault_gen;
use vault_gen::{note_path, Lcg, HUB_EVERY};

const NOTES: usize = 2_000;

fn build_vault(root: &std::path::Path) {
    let mut rng = Lcg(7);
    for d in 0..100 {
        fs::create_dir_all(root.join(format!("f{d:02}"))).unwrap();
    }
    for i in 0..NOTES {
        let mut t = format!("---\ntags: [go, n{}]\n---\n# Note {i}\n\n", i % 7);
        for _ in 0..5 {
            let _ = write!(t, "See [[note-{:05}]]. ", rng.next() % NOTES);
        }
        if i % HUB_EVERY == 0 {
            t.push_str("\nRelated: [[Hub]].\n");
        }
        fs::write(root.join(note_path(i)), t).unwrap();
    }
    fs::write(root.join("Hub.md"), "# Hub\n").unwrap();
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    build_vault(dir.path());
    let vault = Vault::open(dir.path()).unwrap();
    let opts = BuildOptions {
        tags: false,
        unresolved: false,
    };
    let g = Graph::from_vault(&vault, opts);
    assert_eq!(g.len(), NOTES + 1);
    assert!(g.edges.len() > 4 * NOTES, "{} edges", g.edges.len());

    c.bench_function("graph_build_2000_notes", |b| {
        b.iter(|| black_box(Graph::from_vault(&vault, opts)))
    });
    let folder = Filter {
        folder: "f07".into(),
        ..Filter::default()
    };
    c.bench_function("graph_filter_folder_2000", |b| {
        b.iter(|| black_box(subgraph(&g, &folder, None, None)))
    });

    let sub = subgraph(&g, &Filter::default(), None, None);
    let fresh = Simulation::new(sub.nodes.len(), &sub.edges, 1, SimParams::default());
    // A hot step on the starting spiral (the costliest kind: everything
    // moves and the quadtree is deep) and a step on the settled layout.
    let mut hot = fresh.clone();
    c.bench_function("graph_sim_step_2000_hot", |b| {
        b.iter(|| {
            hot.reheat(1.0);
            hot.step();
        })
    });
    let mut settled = fresh.clone();
    settled.run(10_000);
    c.bench_function("graph_sim_step_2000_settled_layout", |b| {
        b.iter(|| {
            settled.reheat(0.1);
            settled.step();
        })
    });

    let mut group = c.benchmark_group("graph_slow");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("graph_layout_to_rest_2000", |b| {
        b.iter(|| {
            let mut s = fresh.clone();
            black_box(s.run(10_000))
        })
    });
    group.finish();
}

criterion_group!(graph, benches);
criterion_main!(graph);
