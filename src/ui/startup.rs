//! Starting the window: which vault opens, the first-run samples offer,
//! the "closed unexpectedly" notice, the window icon, and the hidden
//! measurement switches behind the README's startup and idle figures.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::app::{AppConfig, StrataApp};
use super::{install_fonts, resolve_start_path};
use crate::i18n::{self, tr};
use crate::settings::Settings;
use crate::{embedded, logging};

/// How the GUI was asked to start (built by `src/main.rs`).
pub struct RunOptions {
    /// A vault folder or note from the command line.
    pub path: Option<PathBuf>,
    /// Close after this many frames (CI smoke launches).
    pub exit_after_frames: Option<u64>,
    /// Print the time from `started` to the first painted frame, then close.
    pub startup_report: bool,
    /// Count the frames painted during this many idle seconds after the
    /// first one, print the count, then close.
    pub idle_report: Option<f64>,
    /// When the process started (taken first thing in `main`).
    pub started: Instant,
}

impl RunOptions {
    pub fn new(path: Option<PathBuf>) -> RunOptions {
        RunOptions {
            path,
            exit_after_frames: None,
            startup_report: false,
            idle_report: None,
            started: Instant::now(),
        }
    }
}

/// The vault to open when no path was given, and whether it is the private
/// samples copy that the first-run offer is about.
fn default_vault(settings: &Settings) -> Result<(PathBuf, bool), String> {
    if let Some(v) = settings.last_vault.clone().filter(|v| v.is_dir()) {
        return Ok((v, false));
    }
    if let Some(dir) = embedded::checkout_samples() {
        return Ok((dir, false));
    }
    let dir = embedded::private_samples_dir()
        .unwrap_or_else(|| std::env::temp_dir().join("strata-samples"));
    embedded::ensure_samples(&dir).map_err(|e| tr!("startup.unpack_failed", error = e))?;
    Ok((dir, true))
}

/// Opens the Strata window (see [`RunOptions`]).
pub fn run_with(opts: RunOptions) -> eframe::Result<()> {
    let log_dir = logging::log_dir();
    let last_run = log_dir.as_deref().map(logging::init).unwrap_or_default();
    let settings_path = Settings::default_path();
    let settings = settings_path
        .as_deref()
        .map(|p| Settings::load(p).settings)
        .unwrap_or_default();
    // Errors before the window opens are already in the user's language.
    i18n::set_lang(settings.language.resolve(i18n::detect_system_lang()));
    let (vault, open_note, first_run) = match &opts.path {
        Some(p) => {
            let (v, n) = resolve_start_path(p);
            (v, n, false)
        }
        None => {
            let (v, first) =
                default_vault(&settings).map_err(|e| eframe::Error::AppCreation(e.into()))?;
            (v, None, first)
        }
    };
    log::info!("opening vault {}", vault.display());
    let size = settings.window_size.unwrap_or([1280.0, 800.0]);
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Strata")
        .with_app_id("dev.strata.Strata")
        .with_inner_size(size)
        .with_min_inner_size([480.0, 320.0]);
    match eframe::icon_data::from_png_bytes(embedded::ICON_PNG) {
        Ok(icon) => viewport = viewport.with_icon(Arc::new(icon)),
        Err(e) => log::warn!("window icon: {e}"),
    }
    let options = eframe::NativeOptions {
        viewport,
        // The bundled font covers common Chinese; system fonts catch the rest.
        system_font_fallback: true,
        ..Default::default()
    };
    let config = AppConfig {
        vault: vault.clone(),
        settings_path,
        open_note,
    };
    let welcome = first_run.then(|| Welcome::new(vault));
    let crash = last_run.unclean_exit.then(|| CrashNotice {
        report: last_run.crash_report.clone(),
        folder: log_dir.clone().unwrap_or_default(),
        status: None,
    });
    let probe = Probe {
        started: opts.started,
        startup_report: opts.startup_report,
        idle_secs: opts.idle_report,
        first_frame: None,
        idle_from: None,
        idle_done: false,
    };
    let exit_after_frames = opts.exit_after_frames;
    let result = eframe::run_native(
        "Strata",
        options,
        Box::new(move |cc| {
            install_fonts(&cc.egui_ctx);
            let mut app = StrataApp::new(config)?;
            app.exit_after_frames(exit_after_frames);
            Ok(Box::new(Shell {
                app,
                welcome,
                crash,
                probe,
            }))
        }),
    );
    if let Some(dir) = &log_dir {
        match &result {
            Ok(()) => logging::end_session(dir),
            Err(e) => {
                log::error!("window failed: {e}");
                logging::end_session(dir);
            }
        }
    }
    result
}

/// The app plus the start-up extras drawn over it.
struct Shell {
    app: StrataApp,
    welcome: Option<Welcome>,
    crash: Option<CrashNotice>,
    probe: Probe,
}

impl eframe::App for Shell {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.probe.frame(&ctx);
        self.app.show(ui);
        let now = ctx.input(|i| i.time);
        if let Some(w) = &mut self.welcome {
            if !w.show(&ctx, &mut self.app, now) {
                self.welcome = None;
            }
        }
        if let Some(c) = &mut self.crash {
            if !c.show(&ctx, &mut self.app) {
                self.crash = None;
            }
        }
    }
}

/// Startup and idle measurements (hidden `--startup-report` and
/// `--idle-report SECS` flags).
struct Probe {
    started: Instant,
    startup_report: bool,
    idle_secs: Option<f64>,
    first_frame: Option<Duration>,
    /// (when the idle window opened, the frame number then, CPU time then)
    idle_from: Option<(Instant, u64, Option<Duration>)>,
    idle_done: bool,
}

impl Probe {
    fn frame(&mut self, ctx: &egui::Context) {
        if !self.startup_report && self.idle_secs.is_none() {
            return;
        }
        // Counts frames completed, so at 1 the first frame has been painted.
        let frame_nr = ctx.cumulative_frame_nr();
        if frame_nr == 0 {
            ctx.request_repaint();
            return;
        }
        if self.first_frame.is_none() {
            let t = self.started.elapsed();
            self.first_frame = Some(t);
            log::info!("first frame painted {} ms after start", t.as_millis());
            if self.startup_report {
                println!("first frame painted {} ms after start", t.as_millis());
                if self.idle_secs.is_none() {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    return;
                }
            }
        }
        let Some(secs) = self.idle_secs else {
            return;
        };
        match self.idle_from {
            None => {
                self.idle_from = Some((Instant::now(), frame_nr, process_cpu_time()));
                // The only wake-up of our own is the one that ends the window.
                let ctx = ctx.clone();
                std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_secs_f64(secs));
                    ctx.request_repaint();
                });
            }
            Some((from, n0, cpu0)) if !self.idle_done && from.elapsed().as_secs_f64() >= secs => {
                self.idle_done = true;
                // This frame is our own wake-up: not counted.
                let frames = frame_nr.saturating_sub(n0 + 1);
                let cpu = match (cpu0, process_cpu_time()) {
                    (Some(a), Some(b)) => format!(", {} ms CPU", b.saturating_sub(a).as_millis()),
                    _ => String::new(),
                };
                println!(
                    "idle: {frames} frame(s) painted in {secs:.1} s ({:.2} per second){cpu}",
                    frames as f64 / secs
                );
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Some(_) => {}
        }
    }
}

/// User + system CPU time of this process so far (Linux; `None` elsewhere).
fn process_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the
    // 12th and 13th of those, in clock ticks (100 per second on Linux).
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

/// First run without a vault: offer to copy the samples somewhere the user
/// chooses (the window already shows a private copy in the data folder).
struct Welcome {
    private_copy: PathBuf,
    target: String,
    error: Option<String>,
}

impl Welcome {
    fn new(private_copy: PathBuf) -> Welcome {
        let target = embedded::default_samples_target()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        Welcome {
            private_copy,
            target,
            error: None,
        }
    }

    /// Draws the offer; `false` once it is answered.
    fn show(&mut self, ctx: &egui::Context, app: &mut StrataApp, now: f64) -> bool {
        let mut open = true;
        egui::Window::new(tr("startup.welcome_title"))
            .id(egui::Id::unique("strata-welcome"))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                ui.set_max_width(460.0);
                ui.label(tr("startup.welcome_intro"));
                ui.label(tr("startup.welcome_copy"));
                ui.weak(tr!(
                    "startup.welcome_private",
                    path = self.private_copy.display()
                ));
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    let label = ui.label(tr("startup.folder"));
                    ui.add(egui::TextEdit::singleline(&mut self.target).desired_width(300.0))
                        .labelled_by(label.id);
                    if ui.button(tr("startup.browse")).clicked() {
                        if let Some(dir) = pick_folder(&self.target) {
                            self.target = dir.display().to_string();
                            self.error = None;
                        }
                    }
                });
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e.as_str());
                }
                ui.horizontal(|ui| {
                    if ui.button(tr("startup.copy_and_open")).clicked() {
                        match copy_and_open(self.target.trim(), app, now) {
                            Ok(()) => open = false,
                            Err(e) => self.error = Some(e),
                        }
                    }
                    if ui.button(tr("startup.not_now")).clicked() {
                        open = false;
                    }
                });
            });
        open
    }
}

/// A folder picked with the system dialog; a non-empty one gets a
/// `Strata Samples` subfolder, since the copy needs an empty place.
fn pick_folder(current: &str) -> Option<PathBuf> {
    let mut dialog = rfd::FileDialog::new().set_title(tr("startup.pick_title"));
    if let Some(parent) = Path::new(current).parent().filter(|p| p.is_dir()) {
        dialog = dialog.set_directory(parent);
    }
    let dir = dialog.pick_folder()?;
    let empty = std::fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_none());
    Some(if empty {
        dir
    } else {
        dir.join("Strata Samples")
    })
}

fn copy_and_open(target: &str, app: &mut StrataApp, now: f64) -> Result<(), String> {
    if target.is_empty() {
        return Err(tr("startup.choose_folder").into());
    }
    let dir = PathBuf::from(target);
    if !dir.is_absolute() {
        return Err(tr!("startup.full_path", path = target));
    }
    let n = embedded::copy_samples_to(&dir).map_err(|e| e.to_string())?;
    log::info!("copied {n} sample files to {}", dir.display());
    app.open_vault_dir(&dir, now);
    Ok(())
}

/// Shown after a run that did not close its window normally.
struct CrashNotice {
    report: Option<PathBuf>,
    folder: PathBuf,
    status: Option<String>,
}

impl CrashNotice {
    fn show(&mut self, ctx: &egui::Context, app: &mut StrataApp) -> bool {
        let mut open = true;
        egui::Window::new(tr("startup.crash_title"))
            .id(egui::Id::unique("strata-crash-notice"))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 60.0))
            .show(ctx, |ui| {
                ui.set_max_width(460.0);
                match &self.report {
                    Some(r) => ui.label(tr!("startup.crash_report", path = r.display())),
                    None => ui.label(tr("startup.crash_no_report")),
                };
                ui.label(tr("startup.crash_journal"));
                if let Some(s) = &self.status {
                    ui.weak(s.as_str());
                }
                ui.horizontal(|ui| {
                    if ui.button(tr("startup.crash_restore")).clicked()
                        && !app.offer_recovery_again()
                    {
                        self.status = Some(tr("startup.crash_nothing").into());
                    }
                    if ui.button(tr("startup.crash_open_folder")).clicked() {
                        ctx.open_url(egui::OpenUrl::new_tab(format!(
                            "file://{}",
                            self.folder.display()
                        )));
                    }
                    if ui.button(tr("common.dismiss")).clicked() {
                        open = false;
                    }
                });
            });
        open
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::kittest::Queryable;
    use egui_kittest::Harness;

    struct State {
        app: StrataApp,
        welcome: Option<Welcome>,
        crash: Option<CrashNotice>,
    }

    fn state(vault: &Path, target: &Path) -> State {
        std::fs::create_dir_all(vault).unwrap();
        std::fs::write(vault.join("Note.md"), "# Note\n").unwrap();
        let app = StrataApp::new(AppConfig {
            vault: vault.to_path_buf(),
            settings_path: None,
            open_note: None,
        })
        .unwrap();
        let mut welcome = Welcome::new(vault.to_path_buf());
        welcome.target = target.display().to_string();
        State {
            app,
            welcome: Some(welcome),
            crash: None,
        }
    }

    fn harness(s: State) -> Harness<'static, State> {
        Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .with_context_setup(install_fonts)
            .build_ui_state(
                |ui, s: &mut State| {
                    s.app.show(ui);
                    let ctx = ui.ctx().clone();
                    if let Some(w) = &mut s.welcome {
                        if !w.show(&ctx, &mut s.app, 0.0) {
                            s.welcome = None;
                        }
                    }
                    if let Some(c) = &mut s.crash {
                        if !c.show(&ctx, &mut s.app) {
                            s.crash = None;
                        }
                    }
                },
                s,
            )
    }

    #[test]
    fn welcome_copies_the_samples_and_opens_the_copy() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("My Samples");
        let mut h = harness(state(&tmp.path().join("private"), &target));
        h.run();
        h.get_by_label("Copy and open").click();
        h.run();
        assert!(h.state().welcome.is_none());
        assert!(target.join("Start here.md").is_file());
        let root = h.state().app.vault().root().to_path_buf();
        assert_eq!(root.canonicalize().unwrap(), target.canonicalize().unwrap());
        assert!(h.state().app.vault().note("Start here.md").is_some());
    }

    #[test]
    fn welcome_refuses_a_non_empty_folder_and_stays_open() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("busy");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("mine.txt"), "x").unwrap();
        let private = tmp.path().join("private");
        let mut h = harness(state(&private, &target));
        h.run();
        h.get_by_label("Copy and open").click();
        h.run();
        assert!(h.state().welcome.is_some());
        assert!(h.query_by_label_contains("not empty").is_some());
        assert!(!target.join("Start here.md").exists());
        let root = h.state().app.vault().root().canonicalize().unwrap();
        assert_eq!(root, private.canonicalize().unwrap());
        h.get_by_label("Not now").click();
        h.run();
        assert!(h.state().welcome.is_none());
    }

    #[test]
    fn welcome_and_crash_notice_follow_the_ui_language() {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = state(&tmp.path().join("v"), &tmp.path().join("unused"));
        s.app.set_language(crate::settings::LanguagePref::ZhCn);
        s.crash = Some(CrashNotice {
            report: None,
            folder: tmp.path().to_path_buf(),
            status: None,
        });
        let mut h = harness(s);
        h.run();
        assert!(h.query_by_label("欢迎使用 Strata").is_some());
        assert!(h.query_by_label("复制并打开").is_some());
        assert!(h.query_by_label("Strata 上次意外关闭").is_some());
        assert!(h.query_by_label("Copy and open").is_none());
        h.get_by_label("以后再说").click();
        h.run();
        assert!(h.state().welcome.is_none());
    }

    #[test]
    fn crash_notice_reopens_the_recovery_journal() {
        let tmp = tempfile::tempdir().unwrap();
        let vault = tmp.path().join("v");
        let mut s = state(&vault, &tmp.path().join("unused"));
        s.welcome = None;
        s.crash = Some(CrashNotice {
            report: Some(tmp.path().join("crash-1.txt")),
            folder: tmp.path().to_path_buf(),
            status: None,
        });
        let mut h = harness(s);
        h.run();
        assert!(h
            .query_by_label("Strata closed unexpectedly last time")
            .is_some());
        // Nothing journaled yet: the notice says so.
        h.get_by_label("Restore unsaved changes").click();
        h.run();
        assert!(h.query_by_label_contains("holds no unsaved").is_some());
        // An unsaved buffer in the journal brings the recovery dialog back.
        crate::vault::Journal::new(&vault)
            .record("Note.md", "# Note\n\nunsaved line\n")
            .unwrap();
        h.get_by_label("Restore unsaved changes").click();
        h.run();
        assert!(h.query_by_label("Recover unsaved changes").is_some());
        // The recovery dialog is modal: it is answered before the notice.
        h.get_by_label("Decide later").click();
        h.run();
        h.get_by_label("Dismiss").click();
        h.run();
        assert!(h.state().crash.is_none());
    }
}
