//! Vault benchmarks on a generated 10,000-note vault (~5 KB, ~5 links each):
//! open + index, update_note, search, and renaming a note with 1,000
//! backlinks.

use std::fmt::Write as _;
use std::fs;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use strata::vault::Vault;

const NOTES: usize = 10_000;
const HUB_EVERY: usize = 10;

const WORDS: &[&str] = &[
    "goroutine",
    "channel",
    "select",
    "deadlock",
    "mutex",
    "buffer",
    "context",
    "cancel",
    "leak",
    "worker",
    "pool",
    "fan",
    "out",
    "in",
    "close",
    "range",
    "the",
    "a",
    "of",
    "and",
    "when",
    "sender",
    "receiver",
    "blocks",
    "forever",
    "timeout",
    "ticker",
    "waitgroup",
    "race",
    "detector",
    "atomic",
    "value",
];

/// Small deterministic generator so every run builds the same vault.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
}

fn note_path(i: usize) -> String {
    format!("f{:02}/note-{i:05}.md", i % 100)
}

fn note_text(i: usize, rng: &mut Lcg) -> String {
    let mut t = format!("---\ntags: [go, n{}]\n---\n# Note {i}\n\n", i % 7);
    let mut links = 0;
    while t.len() < 5_000 {
        for _ in 0..60 {
            t.push_str(WORDS[rng.next() % WORDS.len()]);
            t.push(' ');
        }
        if links < 5 {
            let j = rng.next() % NOTES;
            if links % 2 == 0 {
                let _ = write!(t, "[[note-{j:05}]] ");
            } else {
                let _ = write!(t, "[see](../f{:02}/note-{j:05}.md) ", j % 100);
            }
            links += 1;
        }
        t.push_str("\n\n");
        if rng.next().is_multiple_of(4) {
            t.push_str("```go\nch := make(chan int)\n<-ch // [[not-a-link]]\n```\n\n");
        }
    }
    if i.is_multiple_of(HUB_EVERY) {
        t.push_str("Related: [[Hub]] and [hub](../Hub.md#Intro).\n");
    }
    t
}

fn build_vault(root: &Path) {
    let mut rng = Lcg(42);
    for d in 0..100 {
        fs::create_dir_all(root.join(format!("f{d:02}"))).unwrap();
    }
    for i in 0..NOTES {
        fs::write(root.join(note_path(i)), note_text(i, &mut rng)).unwrap();
    }
    fs::write(root.join("Hub.md"), "# Intro\nThe hub.\n").unwrap();
}

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
