//! Wakes the app when something in the vault changes on disk.
//!
//! Polling once a second kept an idle window repainting (each frame costs a
//! fifth of a core under software rendering). The OS watcher lets the UI
//! sleep until a file changes; the existing stamp comparison then decides
//! what actually changed, so a missed or spurious event costs nothing worse
//! than one extra check.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

pub struct DiskWatch {
    root: PathBuf,
    changed: Arc<AtomicBool>,
    _watcher: RecommendedWatcher,
}

impl DiskWatch {
    /// Watches `root` recursively; `None` when the platform watcher cannot
    /// be set up (the caller falls back to polling).
    pub fn start(root: &Path, ctx: &egui::Context) -> Option<DiskWatch> {
        let changed = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&changed);
        let ctx = ctx.clone();
        // Our own journal and review files live here; reacting to them would
        // only wake the UI for its own writes.
        let private = root.join(".strata");
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(ev) = &res {
                // Reads (ours included) are not changes; without this filter
                // every check would trigger the next one.
                if matches!(ev.kind, EventKind::Access(_)) {
                    return;
                }
                if !ev.paths.is_empty() && ev.paths.iter().all(|p| p.starts_with(&private)) {
                    return;
                }
            }
            flag.store(true, Ordering::Release);
            ctx.request_repaint();
        })
        .ok()?;
        watcher.watch(root, RecursiveMode::Recursive).ok()?;
        Some(DiskWatch {
            root: root.to_path_buf(),
            changed,
            _watcher: watcher,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether anything changed since the last call.
    pub fn take(&self) -> bool {
        self.changed.swap(false, Ordering::AcqRel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn wait_for(w: &DiskWatch) -> bool {
        let end = Instant::now() + Duration::from_secs(5);
        while Instant::now() < end {
            if w.take() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    #[test]
    fn reports_writes_but_not_reads_or_private_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".strata")).unwrap();
        std::fs::write(dir.path().join("a.md"), "one").unwrap();
        let ctx = egui::Context::default();
        let Some(w) = DiskWatch::start(dir.path(), &ctx) else {
            // No inotify here (e.g. a sandbox without it): polling covers it.
            return;
        };
        assert!(!w.take());
        let _ = std::fs::read_to_string(dir.path().join("a.md")).unwrap();
        std::fs::write(dir.path().join(".strata/journal"), "x").unwrap();
        std::thread::sleep(Duration::from_millis(300));
        assert!(!w.take(), "a read or a private write woke the app");
        std::fs::write(dir.path().join("a.md"), "two").unwrap();
        assert!(wait_for(&w), "a write to a note was not reported");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/b.md"), "new").unwrap();
        assert!(wait_for(&w), "a new note in a new folder was not reported");
    }
}
