//! The eframe desktop app. Everything here draws from the core modules'
//! caches; nothing in the core depends on this module.

mod app;
pub mod diagram_view;
mod editor;
mod find;
mod fonts;
mod fuzzy;
pub mod graph_view;
mod md_style;
pub mod present;
pub mod preview;
mod review_panel;
pub mod sim_view;
mod startup;
mod tab;
mod watch;

use std::path::{Path, PathBuf};

pub use app::{AppConfig, StrataApp, SHORTCUTS};
pub use fonts::{install_fonts, CJK_FONT_NAME};
pub use startup::{run_with, RunOptions};

/// Where a command-line PATH points: the vault folder and, for a note file,
/// the note to open (vault-relative).
pub fn resolve_start_path(path: &Path) -> (PathBuf, Option<String>) {
    if path.is_file() {
        let vault = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let note = path.file_name().map(|n| n.to_string_lossy().into_owned());
        (vault, note)
    } else {
        (path.to_path_buf(), None)
    }
}

/// Opens the Strata window on `path` (vault folder or note file), else the
/// last vault from settings, else the samples vault (see [`run_with`]).
/// `exit_after_frames` closes the window after that many frames (smoke
/// tests under Xvfb).
pub fn run(path: Option<PathBuf>, exit_after_frames: Option<u64>) -> eframe::Result<()> {
    let mut opts = RunOptions::new(path);
    opts.exit_after_frames = exit_after_frames;
    run_with(opts)
}
