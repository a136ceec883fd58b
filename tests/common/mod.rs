//! Helpers shared by the integration tests (each test file includes this
//! module; not every file uses every helper).
#![allow(dead_code)]

pub mod review;

use std::fs;
use std::path::{Path, PathBuf};

/// The bundled samples vault of this checkout.
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// Recursive copy, so tests can write into a vault without touching samples/.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for e in fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

/// The app on the vault `root`, opening `open` if given. Settings are never
/// read or written, so the machine's own settings and locale cannot leak in.
pub fn app_on(root: &Path, open: Option<&str>) -> strata::ui::StrataApp {
    strata::ui::StrataApp::new(strata::ui::AppConfig {
        vault: root.to_path_buf(),
        settings_path: None,
        open_note: open.map(str::to_owned),
    })
    .expect("vault opens")
}

/// `app` in a window of `size` points with the bundled fonts, run until it
/// settles. `max_steps` raises kittest's frame budget for views that
/// animate for a while after an input (the simulator, slides).
pub fn app_harness(
    app: strata::ui::StrataApp,
    size: [f32; 2],
    max_steps: Option<u64>,
) -> egui_kittest::Harness<'static, strata::ui::StrataApp> {
    let mut b = egui_kittest::Harness::builder()
        .with_size(egui::vec2(size[0], size[1]))
        .with_context_setup(strata::ui::install_fonts);
    if let Some(n) = max_steps {
        b = b.with_max_steps(n);
    }
    let mut h = b.build_ui_state(|ui, app: &mut strata::ui::StrataApp| app.show(ui), app);
    h.run();
    h
}
