//! The synthetic vault the benchmarks and the `synthetic_vault` example use:
//! 10,000 notes of about 5 KB with about 5 links each (half wiki links, half
//! relative Markdown links), code blocks holding link-like text, and a hub
//! note linked from every tenth note. Deterministic, so figures compare.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

pub const NOTES: usize = 10_000;
pub const HUB_EVERY: usize = 10;

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
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
}

pub fn note_path(i: usize) -> String {
    format!("f{:02}/note-{i:05}.md", i % 100)
}

pub fn note_text(i: usize, rng: &mut Lcg) -> String {
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

pub fn build_vault(root: &Path) {
    let mut rng = Lcg(42);
    for d in 0..100 {
        fs::create_dir_all(root.join(format!("f{d:02}"))).unwrap();
    }
    for i in 0..NOTES {
        fs::write(root.join(note_path(i)), note_text(i, &mut rng)).unwrap();
    }
    fs::write(root.join("Hub.md"), "# Intro\nThe hub.\n").unwrap();
}
