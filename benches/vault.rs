//! Vault benchmarks on a generated 10,000-note vault (~5 KB, ~5 links each):
//! open + index, update_note, search, and renaming a note with 1,000
//! backlinks. The vault itself is described in support/vault_gen.rs.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use strata::vault::Vault;

#[path = "support/vault_gen.rs"]
mod vault_gen;
use vault_gen::{build_vault, note_path, HUB_EVERY, NOTES};

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    build_vault(dir.path());

    c.bench_function("open_and_index_10k", |b| {
        b.iter(|| black_box(Vault::open(dir.path()).unwrap()))
    });

    let mut v = Vault::open(dir.path()).unwrap();
    assert_eq!(v.len(), NOTES + 1);
    assert_eq!(v.backlinks("Hub.md").len(), 2 * NOTES / HUB_EVERY);

    let path = note_path(1234);
    let base = v.text(&path).unwrap().to_string();
    let mut n = 0usize;
    c.bench_function("update_note_5kb", |b| {
        b.iter(|| {
            n += 1;
            let mut t = base.clone();
            let _ = write!(t, "\nedit {n} [[note-00001]]");
            v.update_note(&path, t);
        })
    });
    v.update_note(&path, base);

    c.bench_function("search_absent_word", |b| {
        b.iter(|| black_box(v.search("nonexistentword", 100)))
    });
    c.bench_function("search_rare_word_all_hits", |b| {
        b.iter(|| black_box(v.search("note 9999", 100)))
    });
    c.bench_function("search_common_word_limit_100", |b| {
        b.iter(|| black_box(v.search("deadlock", 100)))
    });
    c.bench_function("backlinks_hub_1000_notes", |b| {
        b.iter(|| black_box(v.backlinks("Hub.md")))
    });

    c.bench_function("plan_rename_hub_1000_backlinks", |b| {
        b.iter(|| black_box(v.plan_rename("Hub.md", "moved/Hub Renamed.md").unwrap()))
    });
    // Each iteration renames there and back, so one rename is half of it.
    c.bench_function("rename_hub_and_back_2x1000_files", |b| {
        b.iter(|| {
            let plan = v.rename("Hub.md", "moved/Hub Renamed.md").unwrap();
            assert_eq!(plan.edits.len(), NOTES / HUB_EVERY);
            v.apply(&plan.inverse()).unwrap();
        })
    });
}

criterion_group! {
    name = vault;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    targets = benches
}
criterion_main!(vault);
