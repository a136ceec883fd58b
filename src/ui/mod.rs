//! The eframe desktop app. Everything here draws from the core modules'
//! caches; nothing in the core depends on this module.

mod app;
pub mod diagram_view;
mod editor;
mod find;
mod fonts;
mod fuzzy;
mod md_style;
pub mod preview;
mod tab;

use std::path::{Path, PathBuf};

pub use app::{AppConfig, StrataApp, SHORTCUTS};
pub use fonts::{install_fonts, CJK_FONT_NAME};

use crate::settings::Settings;

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

/// The bundled training vault: the source tree's `samples/` when running
/// from a checkout, else a `samples` folder next to the executable.
pub fn bundled_samples() -> PathBuf {
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    if dev.is_dir() {
        return dev;
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|d| d.join("samples")))
        .unwrap_or_else(|| PathBuf::from("samples"))
}

/// Opens the Strata window on `path` (vault folder or note file), else the
/// last vault from settings, else the bundled samples. `exit_after_frames`
/// closes the window after that many frames (smoke tests under Xvfb).
pub fn run(path: Option<PathBuf>, exit_after_frames: Option<u64>) -> eframe::Result<()> {
    let settings_path = Settings::default_path();
    let settings = settings_path
        .as_deref()
        .map(|p| Settings::load(p).settings)
        .unwrap_or_default();
    let (vault, open_note) = match path {
        Some(p) => resolve_start_path(&p),
        None => match settings.last_vault.clone().filter(|v| v.is_dir()) {
            Some(v) => (v, None),
            None => (bundled_samples(), None),
        },
    };
    let size = settings.window_size.unwrap_or([1280.0, 800.0]);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Strata")
            .with_inner_size(size)
            .with_min_inner_size([480.0, 320.0]),
        // The bundled font covers common Chinese; system fonts catch the rest.
        system_font_fallback: true,
        ..Default::default()
    };
    let config = AppConfig {
        vault,
        settings_path,
        open_note,
    };
    eframe::run_native(
        "Strata",
        options,
        Box::new(move |cc| {
            install_fonts(&cc.egui_ctx);
            let mut app = StrataApp::new(config)?;
            app.exit_after_frames(exit_after_frames);
            Ok(Box::new(app))
        }),
    )
}
