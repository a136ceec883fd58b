//! Desktop settings and session state, stored as human-readable RON in the
//! platform config dir. Pure serde: no egui, so the CLI and tests can use it.
//!
//! A settings file is a convenience, never a reason to refuse to start: a
//! missing file gives defaults silently, an unreadable or corrupt one gives
//! defaults plus a warning the app shows, and the bad file is kept aside as
//! `settings.ron.bad` so a hand edit is not lost when defaults are saved.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// How many vaults "File → Recent vaults" remembers.
pub const MAX_RECENT: usize = 10;

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ViewMode {
    Source,
    #[default]
    Split,
    Preview,
}

/// The UI language the user chose; `System` follows the OS locale at each
/// start, so a settings file moved to another machine does the right thing.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LanguagePref {
    #[default]
    System,
    En,
    ZhCn,
}

impl LanguagePref {
    pub const ALL: [LanguagePref; 3] = [LanguagePref::System, LanguagePref::En, LanguagePref::ZhCn];

    /// The language to show, given what the system asks for.
    pub fn resolve(self, system: Lang) -> Lang {
        match self {
            LanguagePref::System => system,
            LanguagePref::En => Lang::En,
            LanguagePref::ZhCn => Lang::ZhCn,
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Settings {
    pub last_vault: Option<PathBuf>,
    /// Most recent first, no duplicates, at most [`MAX_RECENT`].
    pub recent_vaults: Vec<PathBuf>,
    /// Vault-relative note paths of the tabs open in `last_vault`.
    pub open_tabs: Vec<String>,
    pub active_tab: Option<usize>,
    pub theme: Theme,
    pub view_mode: ViewMode,
    /// Inner window size in points.
    pub window_size: Option<[f32; 2]>,
    pub left_width: f32,
    pub right_width: f32,
    pub show_backlinks: bool,
    pub author: String,
    /// Missing in files written before the setting existed: follows the system.
    pub language: LanguagePref,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            last_vault: None,
            recent_vaults: Vec::new(),
            open_tabs: Vec::new(),
            active_tab: None,
            theme: Theme::Light,
            view_mode: ViewMode::Split,
            window_size: None,
            left_width: 220.0,
            right_width: 280.0,
            show_backlinks: true,
            author: String::new(),
            language: LanguagePref::System,
        }
    }
}

/// Why a settings file could not be used. The app still starts with defaults.
#[derive(Debug)]
pub enum SettingsError {
    Io {
        path: PathBuf,
        source: io::Error,
    },
    Parse {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::Io { path, source } => {
                write!(f, "{}: cannot read settings: {source}", path.display())
            }
            SettingsError::Parse {
                path,
                line,
                col,
                message,
            } => {
                write!(
                    f,
                    "{}:{line}:{col}: invalid settings: {message}",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for SettingsError {}

/// Result of [`Settings::load`]: always usable settings, plus what went wrong.
#[derive(Debug)]
pub struct Loaded {
    pub settings: Settings,
    pub warning: Option<SettingsError>,
}

impl Settings {
    /// `<config dir>/settings.ron`, e.g. `~/.config/strata/settings.ron` on Linux.
    /// `None` when the platform has no home directory.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("dev", "Strata", "Strata")
            .map(|dirs| dirs.config_dir().join("settings.ron"))
    }

    pub fn from_ron(text: &str) -> Result<Settings, ron::error::SpannedError> {
        ron::from_str(text)
    }

    pub fn to_ron(&self) -> String {
        let config = ron::ser::PrettyConfig::new().struct_names(true);
        // Serializing plain data (paths, numbers, strings) cannot fail except
        // for non-UTF-8 paths; fall back to the compact form, then to nothing.
        ron::ser::to_string_pretty(self, config)
            .or_else(|_| ron::to_string(self))
            .unwrap_or_default()
    }

    /// Reads settings; never fails. A corrupt file is moved to
    /// `settings.ron.bad` (best effort) and reported in `warning`.
    pub fn load(path: &Path) -> Loaded {
        let text = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Loaded {
                    settings: Settings::default(),
                    warning: None,
                };
            }
            Err(source) => {
                return Loaded {
                    settings: Settings::default(),
                    warning: Some(SettingsError::Io {
                        path: path.to_path_buf(),
                        source,
                    }),
                };
            }
        };
        let parsed = match std::str::from_utf8(&text) {
            Ok(s) => Settings::from_ron(s).map_err(|e| SettingsError::Parse {
                path: path.to_path_buf(),
                line: e.span.start.line,
                col: e.span.start.col,
                message: e.code.to_string(),
            }),
            Err(e) => Err(SettingsError::Parse {
                path: path.to_path_buf(),
                line: 1,
                col: 1,
                message: format!("not valid UTF-8 ({e})"),
            }),
        };
        match parsed {
            Ok(mut settings) => {
                settings.normalize();
                Loaded {
                    settings,
                    warning: None,
                }
            }
            Err(err) => {
                let _ = std::fs::rename(path, path.with_extension("ron.bad"));
                Loaded {
                    settings: Settings::default(),
                    warning: Some(err),
                }
            }
        }
    }

    /// Writes atomically (temp file in the same folder, then rename) so a
    /// crash mid-save leaves the previous settings intact.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
        let dir = dir.unwrap_or_else(|| Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        io::Write::write_all(&mut tmp, self.to_ron().as_bytes())?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }

    /// Moves `vault` to the front of the recent list and makes it the last vault.
    pub fn remember_vault(&mut self, vault: &Path) {
        let vault = vault.to_path_buf();
        self.recent_vaults.retain(|p| p != &vault);
        self.recent_vaults.insert(0, vault.clone());
        self.recent_vaults.truncate(MAX_RECENT);
        self.last_vault = Some(vault);
    }

    /// Repairs values a hand edit may have broken, so the UI never sees them.
    fn normalize(&mut self) {
        let mut seen = Vec::new();
        self.recent_vaults.retain(|p| {
            if seen.contains(p) {
                false
            } else {
                seen.push(p.clone());
                true
            }
        });
        self.recent_vaults.truncate(MAX_RECENT);
        if let Some(i) = self.active_tab {
            if i >= self.open_tabs.len() {
                self.active_tab = None;
            }
        }
        let sane = |w: f32, d: f32| {
            if w.is_finite() && (80.0..=2000.0).contains(&w) {
                w
            } else {
                d
            }
        };
        let defaults = Settings::default();
        self.left_width = sane(self.left_width, defaults.left_width);
        self.right_width = sane(self.right_width, defaults.right_width);
        if let Some([w, h]) = self.window_size {
            if !(w.is_finite() && h.is_finite() && w >= 200.0 && h >= 150.0) {
                self.window_size = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Settings {
        let mut s = Settings {
            open_tabs: vec!["goroutines/leak.md".into(), "通道.md".into()],
            active_tab: Some(1),
            theme: Theme::Dark,
            view_mode: ViewMode::Preview,
            window_size: Some([1200.0, 800.0]),
            left_width: 240.0,
            right_width: 300.0,
            show_backlinks: false,
            author: "Ada".into(),
            language: LanguagePref::ZhCn,
            ..Settings::default()
        };
        s.remember_vault(Path::new("/tmp/a"));
        s.remember_vault(Path::new("/tmp/b"));
        s
    }

    #[test]
    fn ron_round_trip_keeps_every_field() {
        let s = sample();
        let back = Settings::from_ron(&s.to_ron()).expect("own output parses");
        assert_eq!(back, s);
    }

    #[test]
    fn save_then_load_round_trips_through_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/settings.ron");
        let s = sample();
        s.save(&path).unwrap();
        let loaded = Settings::load(&path);
        assert!(loaded.warning.is_none());
        assert_eq!(loaded.settings, s);
    }

    #[test]
    fn missing_file_gives_defaults_without_warning() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = Settings::load(&dir.path().join("nope.ron"));
        assert!(loaded.warning.is_none());
        assert_eq!(loaded.settings, Settings::default());
    }

    #[test]
    fn corrupt_file_gives_defaults_warning_and_keeps_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.ron");
        std::fs::write(&path, "Settings(\n  theme: Purple,\n").unwrap();
        let loaded = Settings::load(&path);
        assert_eq!(loaded.settings, Settings::default());
        let warning = loaded.warning.expect("corruption is reported").to_string();
        assert!(warning.contains("settings.ron:2:"), "{warning}");
        assert!(dir.path().join("settings.ron.bad").exists());
        // Saving defaults afterwards works and is readable again.
        loaded.settings.save(&path).unwrap();
        assert!(Settings::load(&path).warning.is_none());
    }

    #[test]
    fn binary_garbage_is_reported_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.ron");
        std::fs::write(&path, [0xff, 0xfe, 0x00, 0x41]).unwrap();
        let loaded = Settings::load(&path);
        assert!(loaded.warning.unwrap().to_string().contains("UTF-8"));
        assert_eq!(loaded.settings, Settings::default());
    }

    #[test]
    fn unknown_fields_missing_fields_and_bad_values_fall_back_per_field() {
        let loaded = Settings::from_ron("(theme: Dark, left_width: -5.0, active_tab: Some(3))");
        let mut s = loaded.expect("partial settings parse");
        s.normalize();
        assert_eq!(s.theme, Theme::Dark);
        assert_eq!(s.left_width, Settings::default().left_width);
        assert_eq!(s.active_tab, None, "index past the open tabs is dropped");
        assert_eq!(s.view_mode, ViewMode::Split);
    }

    #[test]
    fn files_from_before_the_language_setting_still_load() {
        // A complete file as written before `language` existed.
        let old = "Settings(last_vault: Some(\"/v\"), recent_vaults: [\"/v\"], open_tabs: [], \
                   active_tab: None, theme: Dark, view_mode: Split, window_size: None, \
                   left_width: 220.0, right_width: 280.0, show_backlinks: true, author: \"Ada\")";
        let s = Settings::from_ron(old).expect("old settings parse");
        assert_eq!(s.language, LanguagePref::System);
        assert_eq!(s.theme, Theme::Dark);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.ron");
        std::fs::write(&path, old).unwrap();
        let loaded = Settings::load(&path);
        assert!(loaded.warning.is_none());
        assert_eq!(loaded.settings.author, "Ada");
    }

    #[test]
    fn language_choice_round_trips_and_resolves() {
        for pref in LanguagePref::ALL {
            let s = Settings {
                language: pref,
                ..Settings::default()
            };
            let back = Settings::from_ron(&s.to_ron()).unwrap();
            assert_eq!(back.language, pref);
        }
        assert!(Settings::from_ron("(language: ZhCn)").is_ok());
        assert_eq!(LanguagePref::System.resolve(Lang::ZhCn), Lang::ZhCn);
        assert_eq!(LanguagePref::System.resolve(Lang::En), Lang::En);
        assert_eq!(LanguagePref::En.resolve(Lang::ZhCn), Lang::En);
        assert_eq!(LanguagePref::ZhCn.resolve(Lang::En), Lang::ZhCn);
    }

    #[test]
    fn recent_vaults_are_deduplicated_and_bounded() {
        let mut s = Settings::default();
        for i in 0..15 {
            s.remember_vault(Path::new(&format!("/v/{i}")));
        }
        s.remember_vault(Path::new("/v/3"));
        assert_eq!(s.recent_vaults.len(), MAX_RECENT);
        assert_eq!(s.recent_vaults[0], Path::new("/v/3"));
        assert_eq!(
            s.recent_vaults.iter().filter(|p| p.ends_with("3")).count(),
            1
        );
        assert_eq!(s.last_vault.as_deref(), Some(Path::new("/v/3")));
    }
}
