//! The Strata window: state, commands and the per-frame layout.

use std::path::{Path, PathBuf};

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::i18n::{self, tr, Lang};
use crate::settings::{LanguagePref, Settings, Theme, ViewMode};
use crate::vault::save::FileStamp;
use crate::vault::{
    Backlink, Journal, JournalEntry, Mention, NameEntry, RenamePlan, Resolution, SearchHit, Vault,
};

use super::editor::{self, Completion};
use super::fuzzy;
use super::preview::{self, PreviewAction, PreviewContext, PreviewState};
use super::review_panel::{ReviewRequest, ReviewUi};
use super::tab::{DiskState, Tab};

/// How often open notes are compared with the disk.
const POLL_SECS: f64 = 1.0;
/// How often the vault folder is rescanned for files created/removed outside.
const RESCAN_SECS: f64 = 3.0;
const AUTOSAVE_SECS: f64 = 2.0;
const JOURNAL_SECS: f64 = 1.0;
const TOAST_SECS: f64 = 6.0;

/// What the app needs to start, without eframe (so UI tests can build it).
pub struct AppConfig {
    pub vault: PathBuf,
    /// Where settings live; `None` = never read or write settings (tests).
    pub settings_path: Option<PathBuf>,
    /// Vault-relative note to open first (e.g. `strata some/note.md`).
    pub open_note: Option<String>,
}

/// Every keyboard shortcut, shown by the help panel and used by the handler.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Ctrl+S", "Save note"),
    ("Ctrl+N", "New note"),
    ("F2", "Rename / move note"),
    ("Ctrl+W", "Close tab"),
    ("Ctrl+P", "Quick switcher (Ctrl+Enter creates a note)"),
    ("Ctrl+Shift+F", "Search the vault"),
    ("Ctrl+F", "Find in note"),
    ("Ctrl+H", "Find and replace in note"),
    ("Ctrl+Z / Ctrl+Shift+Z", "Undo / redo"),
    ("Alt+Left / Alt+Right", "Back / forward"),
    ("Ctrl+1 / Ctrl+2 / Ctrl+3", "Source / split / preview view"),
    ("[[", "Link completion (Enter/Tab accept, Esc closes)"),
    (
        "Space / Left / Right",
        "Simulator: play or pause / step back / step",
    ),
    (
        "Home / End / Esc",
        "Simulator: first event / last event / close",
    ),
    ("Ctrl+Alt+M", "Review: comment on the selection"),
    ("F1 or Ctrl+/", "Show this help"),
    ("Ctrl+G", "Graph view (open or close)"),
    ("F5", "Present the note as slides (Esc leaves)"),
    ("Ctrl+Q", "Quit"),
];

/// Translation keys of the [`SHORTCUTS`] descriptions, in the same order
/// (`SHORTCUTS` keeps the English text: tests find the help rows by it).
const SHORTCUT_KEYS: [&str; 19] = [
    "app.shortcut.save",
    "app.shortcut.new_note",
    "app.shortcut.rename",
    "app.shortcut.close_tab",
    "app.shortcut.quick_switcher",
    "app.shortcut.search",
    "app.shortcut.find",
    "app.shortcut.replace",
    "app.shortcut.undo",
    "app.shortcut.history",
    "app.shortcut.view_modes",
    "app.shortcut.completion",
    "app.shortcut.sim_play",
    "app.shortcut.sim_jump",
    "app.shortcut.review",
    "app.shortcut.help",
    "app.shortcut.graph",
    "app.shortcut.present",
    "app.shortcut.quit",
];

#[derive(Debug, Clone)]
enum Action {
    Open {
        path: String,
        line: Option<usize>,
        heading: Option<String>,
    },
    FollowLink {
        target: String,
        heading: Option<String>,
    },
    Activate(usize),
    CloseTab(usize),
    Save,
    NewNote,
    RenameActive,
    DeleteActive,
    OpenVaultDialog,
    OpenVault(PathBuf),
    Quit,
    Back,
    Forward,
    QuickSwitcher,
    Search,
    Help,
    SetView(ViewMode),
    SetTheme(Theme),
    SetLanguage(LanguagePref),
    ToggleBacklinks,
    LinkMention(Mention),
    KeepMine(usize),
    TakeTheirs(usize),
    SaveMineAsCopy(usize),
    ToggleDiff(usize),
    Recreate(usize),
    UndoRename,
    AskCreate(String),
    OpenUrl(String),
    OpenFile(PathBuf),
    RunSimulator {
        code: String,
        title: String,
    },
    Present,
}

enum Dialog {
    QuickSwitcher {
        query: String,
        selected: usize,
        results: Vec<usize>,
        focus: bool,
    },
    NewNote {
        path: String,
        error: Option<String>,
    },
    Rename {
        from: String,
        to: String,
        error: Option<String>,
    },
    Delete {
        path: String,
    },
    CreateMissing {
        path: String,
        error: Option<String>,
    },
    Recover {
        entries: Vec<JournalEntry>,
    },
    Ambiguous {
        candidates: Vec<String>,
    },
}

#[derive(Default)]
struct SearchPanel {
    query: String,
    hits: Vec<SearchHit>,
    generation: u64,
    focus: bool,
}

#[derive(Default)]
enum LeftView {
    #[default]
    Files,
    Search,
    Review,
}

struct Toast {
    text: String,
    until: f64,
}

/// A folder in the note tree.
#[derive(Default)]
struct Folder {
    name: String,
    path: String,
    folders: Vec<Folder>,
    /// (vault path, display name)
    notes: Vec<(String, String)>,
}

pub struct StrataApp {
    vault: Vault,
    journal: Journal,
    settings: Settings,
    settings_path: Option<PathBuf>,
    settings_dirty_at: Option<f64>,
    tabs: Vec<Tab>,
    active: Option<usize>,
    preview: PreviewState,
    history: Vec<String>,
    history_pos: usize,
    dialog: Option<Dialog>,
    search: SearchPanel,
    left_view: LeftView,
    review: ReviewUi,
    show_help: bool,
    toasts: Vec<Toast>,
    /// Inverse of the last rename, offered as Undo.
    undo_rename: Option<(RenamePlan, String)>,
    /// Bumped whenever the vault index changes; keys derived caches.
    generation: u64,
    graph: super::graph_view::GraphView,
    tree: Folder,
    names: Vec<NameEntry>,
    name_keys: Vec<String>,
    /// The (active tab, simulator shown) pair the tab strip last scrolled
    /// into view; a newly opened tab at the far right must not stay hidden.
    tab_strip_shows: Option<(Option<usize>, bool)>,
    /// Text typed in the same frame as Ctrl+P: the switcher's first query.
    switcher_typed: String,
    links_cache: Option<(String, u64, Vec<Backlink>, Vec<Mention>)>,
    last_poll: f64,
    last_rescan: f64,
    /// OS file watcher on the vault; `None` falls back to timed polling.
    watch: Option<super::watch::DiskWatch>,
    /// Vault the watcher was last set up for (also when that failed).
    watch_root: Option<std::path::PathBuf>,
    was_focused: bool,
    started: bool,
    frames: u64,
    exit_after_frames: Option<u64>,
    /// Status-bar notice (e.g. a settings problem found at startup).
    notice: Option<String>,
    /// The simulator view, kept while the user looks at notes in between.
    sim: Option<super::sim_view::SimView>,
    sim_shown: bool,
    /// Presentation mode, while it is on (it takes the whole window).
    present: Option<super::present::Presentation>,
    /// What "Follow system" means: the OS locale, or English in tests
    /// (no settings path) so they do not depend on the machine.
    system_lang: Lang,
    /// The UI language, made current on this thread every frame.
    lang: Lang,
}

impl StrataApp {
    pub fn new(config: AppConfig) -> Result<StrataApp, String> {
        let vault = Vault::open(&config.vault).map_err(|e| e.to_string())?;
        let (settings, warning, system_lang) = match &config.settings_path {
            Some(p) => {
                let loaded = Settings::load(p);
                (loaded.settings, loaded.warning, i18n::detect_system_lang())
            }
            None => (Settings::default(), None, Lang::En),
        };
        let mut settings = settings;
        let lang = settings.language.resolve(system_lang);
        i18n::set_lang(lang);
        let warning = warning.map(|w| tr!("app.status.settings_defaults", error = w));
        // Remember an absolute path: a relative one breaks when started elsewhere.
        let vault_path = std::fs::canonicalize(&config.vault).unwrap_or(config.vault);
        let reopen_tabs = settings.last_vault.as_deref() == Some(vault_path.as_path());
        settings.remember_vault(&vault_path);
        let journal = Journal::new(vault.root());
        let review = ReviewUi::new(vault.root());
        let mut app = StrataApp {
            vault,
            journal,
            settings,
            settings_path: config.settings_path,
            settings_dirty_at: Some(0.0),
            tabs: Vec::new(),
            active: None,
            preview: PreviewState::new(),
            history: Vec::new(),
            history_pos: 0,
            dialog: None,
            search: SearchPanel::default(),
            left_view: LeftView::Files,
            review,
            show_help: false,
            toasts: Vec::new(),
            undo_rename: None,
            generation: 0,
            graph: super::graph_view::GraphView::new(),
            tree: Folder::default(),
            names: Vec::new(),
            name_keys: Vec::new(),
            tab_strip_shows: None,
            switcher_typed: String::new(),
            links_cache: None,
            last_poll: 0.0,
            watch: None,
            watch_root: None,
            last_rescan: 0.0,
            was_focused: true,
            started: false,
            frames: 0,
            exit_after_frames: None,
            notice: warning,
            sim: None,
            sim_shown: false,
            present: None,
            system_lang,
            lang,
        };
        app.vault_changed();
        if reopen_tabs {
            let tabs = std::mem::take(&mut app.settings.open_tabs);
            let active = app.settings.active_tab;
            for p in tabs {
                if app.vault.note(&p).is_some() {
                    app.open_note(&p, None, 0.0);
                }
            }
            if let Some(i) = active.filter(|&i| i < app.tabs.len()) {
                app.active = Some(i);
            }
        } else {
            app.settings.open_tabs.clear();
            app.settings.active_tab = None;
        }
        if let Some(p) = config.open_note {
            app.open_note(&p, None, 0.0);
        }
        if app.tabs.is_empty() {
            if let Some(first) = app.first_note() {
                app.open_note(&first, None, 0.0);
            }
        }
        app.offer_recovery();
        Ok(app)
    }

    /// Stops the window after painting `n` frames (CI smoke runs).
    pub fn exit_after_frames(&mut self, n: Option<u64>) {
        self.exit_after_frames = n;
    }

    /// Switches to another vault folder (the first-run samples copy).
    pub fn open_vault_dir(&mut self, dir: &Path, now: f64) {
        self.switch_vault(dir, now);
    }

    /// Shows the recovery dialog again when the journal holds unsaved
    /// edits (after a crash); `false` when there is nothing to restore.
    pub fn offer_recovery_again(&mut self) -> bool {
        if self.dialog.is_none() {
            self.offer_recovery();
        }
        matches!(self.dialog, Some(Dialog::Recover { .. }))
    }

    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The language the UI is drawn in.
    pub fn language(&self) -> Lang {
        self.lang
    }

    /// Switches the UI language (as View → Language does); the settings
    /// file is written on the next frame.
    pub fn set_language(&mut self, pref: LanguagePref) {
        self.apply_language(pref);
        self.mark_settings_dirty(0.0);
    }

    fn apply_language(&mut self, pref: LanguagePref) {
        self.settings.language = pref;
        self.lang = pref.resolve(self.system_lang);
        i18n::set_lang(self.lang);
        // Its cached text runs carry hover texts in the old language.
        self.preview = PreviewState::new();
    }

    /// Vault-relative path of the active tab.
    pub fn active_path(&self) -> Option<&str> {
        self.active
            .and_then(|i| self.tabs.get(i))
            .map(|t| t.path.as_str())
    }

    pub fn open_tabs(&self) -> Vec<&str> {
        self.tabs.iter().map(|t| t.path.as_str()).collect()
    }

    /// The active tab's editor buffer.
    pub fn active_text(&self) -> Option<&str> {
        self.active
            .and_then(|i| self.tabs.get(i))
            .map(|t| t.buffer.as_str())
    }

    pub fn is_dirty(&self, path: &str) -> bool {
        self.tabs.iter().any(|t| t.path == path && t.dirty)
    }

    /// Opens a note (as a click in the tree would).
    pub fn open(&mut self, path: &str) {
        self.open_note(path, None, 0.0);
    }

    /// Saves the active tab; returns whether it was written.
    pub fn save_active(&mut self) -> bool {
        self.active.is_some_and(|i| self.save_tab(i, true))
    }

    /// Runs the disk checks now (they normally run every second).
    pub fn poll_now(&mut self) {
        self.poll_disk();
        self.rescan();
    }

    fn first_note(&self) -> Option<String> {
        let notes: Vec<&str> = self.vault.notes().map(|n| n.path.as_str()).collect();
        [
            "Start here.md",
            "README.md",
            "index.md",
            "Index.md",
            "Home.md",
        ]
        .iter()
        .find(|p| notes.contains(p))
        .map(|p| (*p).to_owned())
        .or_else(|| notes.first().map(|p| (*p).to_owned()))
    }

    fn toast(&mut self, text: impl Into<String>, now: f64) {
        self.toasts.push(Toast {
            text: text.into(),
            until: now + TOAST_SECS,
        });
    }

    fn mark_settings_dirty(&mut self, now: f64) {
        self.settings_dirty_at.get_or_insert(now);
    }

    fn save_settings(&mut self) {
        self.settings.open_tabs = self.tabs.iter().map(|t| t.path.clone()).collect();
        self.settings.active_tab = self.active;
        if let Some(p) = &self.settings_path {
            if let Err(e) = self.settings.save(p) {
                self.notice = Some(tr!(
                    "app.status.settings_not_saved",
                    path = p.display(),
                    error = e
                ));
            }
        }
        self.settings_dirty_at = None;
    }

    /// Rebuild what is derived from the vault index.
    fn vault_changed(&mut self) {
        self.generation += 1;
        self.tree = build_tree(self.vault.notes().map(|n| n.path.as_str()));
        self.names = self.vault.all_names();
        self.name_keys = self
            .names
            .iter()
            .map(|n| format!("{} {}", n.display, n.path.trim_end_matches(".md")))
            .collect();
    }

    fn offer_recovery(&mut self) {
        let mut pending = Vec::new();
        for entry in self.journal.entries() {
            let disk = std::fs::read(self.vault.root().join(&entry.note_path)).ok();
            if disk.as_deref() == Some(entry.text.as_bytes()) {
                // Already saved; the record is stale.
                let _ = self.journal.clear(&entry.note_path);
            } else {
                pending.push(entry);
            }
        }
        if !pending.is_empty() {
            self.dialog = Some(Dialog::Recover { entries: pending });
        }
    }

    fn read_disk(&self, path: &str) -> std::io::Result<(String, bool, FileStamp)> {
        let abs = self.vault.root().join(path);
        let bytes = std::fs::read(&abs)?;
        let modified = std::fs::metadata(&abs).ok().and_then(|m| m.modified().ok());
        let stamp = FileStamp::of_bytes(&bytes, modified);
        Ok(match String::from_utf8(bytes) {
            Ok(s) => (s, false, stamp),
            Err(e) => (
                String::from_utf8_lossy(e.as_bytes()).into_owned(),
                true,
                stamp,
            ),
        })
    }

    fn open_note(&mut self, path: &str, line: Option<usize>, now: f64) -> bool {
        let index = match self.tabs.iter().position(|t| t.path == path) {
            Some(i) => i,
            None => match self.read_disk(path) {
                Ok((text, lossy, stamp)) => {
                    self.tabs
                        .push(Tab::new(path.to_owned(), text, lossy, Some(stamp)));
                    self.tabs.len() - 1
                }
                Err(e) => {
                    self.toast(tr!("app.toast.cannot_open", path = path, error = e), now);
                    return false;
                }
            },
        };
        self.active = Some(index);
        self.sim_shown = false;
        if let Some(line) = line {
            let tab = &mut self.tabs[index];
            let text = std::mem::take(&mut tab.buffer);
            tab.editor.go_to_line(&text, line);
            tab.buffer = text;
        }
        if self
            .history
            .get(self.history_pos.wrapping_sub(1))
            .map(String::as_str)
            != Some(path)
        {
            self.history.truncate(self.history_pos);
            self.history.push(path.to_owned());
            self.history_pos = self.history.len();
        }
        self.mark_settings_dirty(now);
        true
    }

    fn close_tab(&mut self, i: usize, now: f64) {
        if i >= self.tabs.len() {
            return;
        }
        if self.tabs[i].dirty && self.tabs[i].writable() && self.tabs[i].disk == DiskState::InSync {
            // Closing never discards: save first, and keep the tab if that fails.
            if !self.save_tab(i, true) {
                return;
            }
        } else if self.tabs[i].dirty {
            self.toast(
                tr!("app.toast.kept_in_journal", path = self.tabs[i].path),
                now,
            );
            let _ = self
                .journal
                .record(&self.tabs[i].path, &self.tabs[i].buffer);
        }
        self.tabs.remove(i);
        self.active = match self.active {
            _ if self.tabs.is_empty() => None,
            Some(a) if a > i => Some(a - 1),
            Some(a) if a == i => Some(i.min(self.tabs.len() - 1)),
            other => other,
        };
        self.mark_settings_dirty(now);
    }

    /// Writes tab `i` to disk. `explicit` = user asked (Ctrl+S), so report problems.
    fn save_tab(&mut self, i: usize, explicit: bool) -> bool {
        let Some(tab) = self.tabs.get_mut(i) else {
            return false;
        };
        if !tab.writable() {
            tab.save_error = Some(tr("app.banner.read_only").into());
            return false;
        }
        match tab.disk {
            DiskState::Conflict(_) if explicit => {
                tab.save_error = Some(tr("app.banner.conflict_save").into());
                return false;
            }
            DiskState::DeletedOnDisk if explicit => {
                tab.save_error = Some(tr("app.banner.deleted_save").into());
                return false;
            }
            DiskState::Conflict(_) | DiskState::DeletedOnDisk => return false,
            DiskState::InSync => {}
        }
        self.vault.update_note(&tab.path, tab.buffer.clone());
        match self.vault.save_note(&tab.path) {
            Ok(stamp) => {
                tab.stamp = Some(stamp);
                tab.dirty = false;
                tab.save_error = None;
                tab.autosave_blocked = false;
                let _ = self.journal.clear(&tab.path);
                self.vault_changed();
                true
            }
            Err(e) => {
                tab.save_error = Some(tr!("app.banner.save_failed", error = e));
                tab.autosave_blocked = true;
                // The index already has the buffer; the journal keeps it safe.
                let _ = self.journal.record(&tab.path, &tab.buffer);
                tab.journaled = true;
                false
            }
        }
    }

    fn poll_disk(&mut self) {
        let mut changed_index = false;
        for i in 0..self.tabs.len() {
            let path = self.tabs[i].path.clone();
            match self.read_disk(&path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    let tab = &mut self.tabs[i];
                    if tab.stamp.is_some() && tab.disk != DiskState::DeletedOnDisk {
                        tab.disk = DiskState::DeletedOnDisk;
                        let _ = self.vault.reload_from_disk(&path);
                        changed_index = true;
                    }
                }
                Err(_) => {}
                Ok((text, lossy, stamp)) => {
                    let tab = &mut self.tabs[i];
                    if tab.stamp.map(|s| s.hash) == Some(stamp.hash) {
                        if tab.disk == DiskState::DeletedOnDisk {
                            tab.disk = DiskState::InSync;
                        }
                        continue;
                    }
                    if tab.buffer == text && !lossy {
                        // Someone wrote exactly what we have.
                        tab.stamp = Some(stamp);
                        tab.dirty = false;
                        tab.disk = DiskState::InSync;
                    } else if tab.dirty {
                        if tab.disk != DiskState::Conflict(text.clone()) {
                            tab.disk = DiskState::Conflict(text);
                        }
                        continue;
                    } else {
                        tab.reload(text, lossy, Some(stamp));
                    }
                    let _ = self.vault.reload_from_disk(&path);
                    changed_index = true;
                }
            }
        }
        if changed_index {
            self.vault_changed();
        }
    }

    fn rescan(&mut self) {
        match self.vault.rescan() {
            Ok(changes) if !changes.is_empty() => self.vault_changed(),
            Ok(_) => {}
            Err(e) => self.notice = Some(tr!("app.status.rescan_failed", error = e)),
        }
    }

    fn timers(&mut self, ctx: &egui::Context, now: f64) {
        let focused = ctx.input(|i| i.viewport().focused.unwrap_or(true));
        let regained_focus = focused && !self.was_focused;
        self.was_focused = focused;
        let root = self.vault.root().to_path_buf();
        if self.watch_root.as_ref() != Some(&root) {
            self.watch = super::watch::DiskWatch::start(&root, ctx);
            self.watch_root = Some(root);
        }
        // With a watcher the disk is checked when it reports a change (and on
        // focus, in case an event was lost); without one, on a timer.
        let (poll_due, rescan_due) = match &self.watch {
            Some(w) => {
                debug_assert_eq!(Some(w.root()), self.watch_root.as_deref());
                let changed = w.take();
                (changed, changed)
            }
            None => (
                now - self.last_poll >= POLL_SECS,
                now - self.last_rescan >= RESCAN_SECS,
            ),
        };
        if regained_focus || poll_due {
            self.last_poll = now;
            self.poll_disk();
        }
        if regained_focus || rescan_due {
            self.last_rescan = now;
            self.rescan();
        }
        let mut next = if self.watch.is_some() {
            f64::INFINITY
        } else {
            POLL_SECS
        };
        for i in 0..self.tabs.len() {
            let tab = &self.tabs[i];
            let Some(edit) = tab.last_edit.filter(|_| tab.dirty) else {
                continue;
            };
            let idle = now - edit;
            if !tab.journaled {
                if idle >= JOURNAL_SECS {
                    let _ = self.journal.record(&tab.path, &tab.buffer);
                    self.tabs[i].journaled = true;
                } else {
                    next = next.min(JOURNAL_SECS - idle);
                }
            }
            let tab = &self.tabs[i];
            if tab.writable() && !tab.autosave_blocked && tab.disk == DiskState::InSync {
                if idle >= AUTOSAVE_SECS {
                    self.save_tab(i, false);
                } else {
                    next = next.min(AUTOSAVE_SECS - idle);
                }
            }
        }
        if let Some(at) = self.settings_dirty_at {
            if now - at >= 1.0 {
                self.save_settings();
            } else {
                next = next.min(1.0 - (now - at));
            }
        }
        self.toasts.retain(|t| t.until > now);
        if let Some(t) = self.toasts.iter().map(|t| t.until - now).reduce(f64::min) {
            next = next.min(t);
        }
        if next.is_finite() {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(next.max(0.05)));
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let ctrl = Modifiers::COMMAND;
        let ctrl_shift = Modifiers::COMMAND | Modifiers::SHIFT;
        let sc = |m: Modifiers, k: Key| KeyboardShortcut::new(m, k);
        let mut typed_after_switcher = String::new();
        ctx.input_mut(|i| {
            // Shift variants first: Ctrl+F also matches Ctrl+Shift+F.
            if i.consume_shortcut(&sc(ctrl_shift, Key::F)) {
                actions.push(Action::Search);
            }
            if i.consume_shortcut(&sc(ctrl, Key::S)) {
                actions.push(Action::Save);
            }
            if i.consume_shortcut(&sc(ctrl, Key::P)) {
                // A fast typist's first letters can share a frame with the
                // shortcut: they belong to the switcher, not to the note.
                i.events.retain(|e| match e {
                    egui::Event::Text(t) => {
                        typed_after_switcher.push_str(t);
                        false
                    }
                    _ => true,
                });
                actions.push(Action::QuickSwitcher);
            }
            if i.consume_shortcut(&sc(ctrl, Key::N)) {
                actions.push(Action::NewNote);
            }
            if i.consume_shortcut(&sc(Modifiers::NONE, Key::F5)) {
                actions.push(Action::Present);
            }
            if i.consume_shortcut(&sc(Modifiers::NONE, Key::F2)) {
                actions.push(Action::RenameActive);
            }
            if i.consume_shortcut(&sc(Modifiers::NONE, Key::F1))
                || i.consume_shortcut(&sc(ctrl, Key::Slash))
            {
                actions.push(Action::Help);
            }
            if i.consume_shortcut(&sc(Modifiers::ALT, Key::ArrowLeft)) {
                actions.push(Action::Back);
            }
            if i.consume_shortcut(&sc(Modifiers::ALT, Key::ArrowRight)) {
                actions.push(Action::Forward);
            }
            if i.consume_shortcut(&sc(ctrl, Key::G)) {
                let active = self.active.and_then(|a| self.tabs.get(a));
                self.graph.toggle(active.map(|t| t.path.as_str()));
            }
            if i.consume_shortcut(&sc(ctrl, Key::Q)) {
                actions.push(Action::Quit);
            }
            for (k, mode) in [
                (Key::Num1, ViewMode::Source),
                (Key::Num2, ViewMode::Split),
                (Key::Num3, ViewMode::Preview),
            ] {
                if i.consume_shortcut(&sc(ctrl, k)) {
                    actions.push(Action::SetView(mode));
                }
            }
        });
        if actions.iter().any(|a| matches!(a, Action::QuickSwitcher)) {
            self.switcher_typed = typed_after_switcher;
            // Until the switcher's field takes focus, keys must not reach
            // the editor that had it.
            ctx.memory_mut(|m| {
                if let Some(id) = m.focused() {
                    m.surrender_focus(id);
                }
            });
        }
        if let Some(a) = self.active {
            let (find, replace, close) = ctx.input_mut(|i| {
                (
                    i.consume_shortcut(&sc(ctrl, Key::F)),
                    i.consume_shortcut(&sc(ctrl, Key::H)),
                    i.consume_shortcut(&sc(ctrl, Key::W)),
                )
            });
            if find || replace {
                self.tabs[a].editor.open_find(replace);
                if !self.tabs[a].writable() {
                    self.tabs[a].editor.find.show_replace = false;
                }
            }
            if close && self.sim_shown {
                self.sim = None;
                self.sim_shown = false;
            } else if close {
                actions.push(Action::CloseTab(a));
            }
        }
    }

    /// Draws one frame into `ui` (the whole window). Used by eframe and by tests.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let now = ui.input(|i| i.time);
        // Per thread: another app (a test on this thread) may have switched it.
        i18n::set_lang(self.lang);
        if !self.started {
            self.started = true;
            super::install_fonts(&ctx);
            self.apply_theme(&ctx);
            self.last_poll = now;
            self.last_rescan = now;
        }
        let mut actions = Vec::new();
        if self.dialog.is_none() {
            self.shortcuts(&ctx, &mut actions);
        }
        self.timers(&ctx, now);
        if ctx.input(|i| i.viewport().close_requested()) {
            self.on_close();
        }
        if self.present.is_some() {
            self.present_frame(ui, now);
            return;
        }

        egui::Panel::top("strata-menu").show(ui, |ui| self.menu_bar(ui, &mut actions));
        egui::Panel::bottom("strata-status").show(ui, |ui| self.status_bar(ui));
        let left = egui::Panel::left("strata-left")
            .resizable(true)
            .default_size(self.settings.left_width)
            .show(ui, |ui| self.left_panel(ui, &mut actions));
        let left_w = left.response.rect.width();
        let mut right_w = None;
        if self.settings.show_backlinks && !self.sim_shown {
            let right = egui::Panel::right("strata-right")
                .resizable(true)
                .default_size(self.settings.right_width)
                .show(ui, |ui| self.links_panel(ui, &mut actions));
            right_w = Some(right.response.rect.width());
        }
        egui::CentralPanel::default().show(ui, |ui| self.central(ui, &mut actions, now));

        self.dialogs(&ctx, &mut actions, now);
        if self.review.dialogs(&ctx, &mut self.settings.author) {
            self.mark_settings_dirty(now);
        }
        if self.review.take_added() {
            self.left_view = LeftView::Review;
        }
        self.help_window(&ctx);
        self.toasts_area(&ctx, &mut actions);

        if (left_w - self.settings.left_width).abs() > 1.0 {
            self.settings.left_width = left_w;
            self.mark_settings_dirty(now);
        }
        if let Some(w) = right_w.filter(|w| (w - self.settings.right_width).abs() > 1.0) {
            self.settings.right_width = w;
            self.mark_settings_dirty(now);
        }
        if let Some(r) = ctx.input(|i| i.viewport().inner_rect) {
            let size = [r.width(), r.height()];
            if self.settings.window_size != Some(size) && size[0] > 0.0 {
                self.settings.window_size = Some(size);
                self.mark_settings_dirty(now);
            }
        }
        for action in actions {
            self.perform(&ctx, action, now);
        }
        self.frames += 1;
        if let Some(n) = self.exit_after_frames {
            if self.frames >= n {
                self.on_close();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            } else {
                ctx.request_repaint();
            }
        }
    }

    fn on_close(&mut self) {
        for i in 0..self.tabs.len() {
            if self.tabs[i].dirty && !self.save_tab(i, false) {
                let _ = self
                    .journal
                    .record(&self.tabs[i].path, &self.tabs[i].buffer);
            }
        }
        self.save_settings();
    }

    fn apply_theme(&self, ctx: &egui::Context) {
        ctx.set_theme(match self.settings.theme {
            Theme::Dark => egui::Theme::Dark,
            Theme::Light => egui::Theme::Light,
        });
    }

    fn perform(&mut self, ctx: &egui::Context, action: Action, now: f64) {
        match action {
            Action::Open {
                path,
                line,
                heading,
            } => {
                let line = line.or_else(|| {
                    let h = heading.as_deref()?;
                    let note = self.vault.note(&path)?;
                    let slug = crate::vault::slug(h);
                    note.headings
                        .iter()
                        .find(|x| x.anchor == slug || x.text.eq_ignore_ascii_case(h))
                        .map(|x| x.line)
                });
                if self.open_note(&path, line, now) {
                    if let Some(h) = heading {
                        self.preview.scroll_to_heading(&h);
                    }
                }
            }
            Action::FollowLink { target, heading } => {
                let from = self.active_path().unwrap_or("").to_owned();
                let resolved = if self.vault.note(&target).is_some() {
                    Resolution::Note(target.clone())
                } else {
                    self.vault.resolve(&from, &target)
                };
                match resolved {
                    Resolution::Note(path) => self.perform(
                        ctx,
                        Action::Open {
                            path,
                            line: None,
                            heading,
                        },
                        now,
                    ),
                    Resolution::Ambiguous(candidates) => {
                        self.dialog = Some(Dialog::Ambiguous { candidates })
                    }
                    Resolution::Missing => self.perform(ctx, Action::AskCreate(target), now),
                }
            }
            Action::AskCreate(target) => {
                let mut path = target.trim().trim_start_matches('/').to_owned();
                if !path.to_ascii_lowercase().ends_with(".md") {
                    path.push_str(".md");
                }
                self.dialog = Some(Dialog::CreateMissing { path, error: None });
            }
            Action::Activate(i) => {
                if i < self.tabs.len() {
                    let path = self.tabs[i].path.clone();
                    self.open_note(&path, None, now);
                }
            }
            Action::CloseTab(i) => self.close_tab(i, now),
            Action::Save => {
                if let Some(i) = self.active {
                    if self.save_tab(i, true) {
                        self.toast(tr!("app.toast.saved", path = self.tabs[i].path), now);
                    }
                }
            }
            Action::NewNote => {
                self.dialog = Some(Dialog::NewNote {
                    path: format!("{}.md", tr("app.new.default_name")),
                    error: None,
                })
            }
            Action::RenameActive => {
                if let Some(p) = self.active_path().map(str::to_owned) {
                    self.dialog = Some(Dialog::Rename {
                        to: p.clone(),
                        from: p,
                        error: None,
                    });
                }
            }
            Action::DeleteActive => {
                if let Some(p) = self.active_path().map(str::to_owned) {
                    self.dialog = Some(Dialog::Delete { path: p });
                }
            }
            Action::OpenVaultDialog => {
                if let Some(dir) = rfd::FileDialog::new()
                    .set_title(tr("app.open_vault_title"))
                    .pick_folder()
                {
                    self.perform(ctx, Action::OpenVault(dir), now);
                }
            }
            Action::OpenVault(dir) => self.switch_vault(&dir, now),
            Action::Quit => {
                self.on_close();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Action::Back | Action::Forward => {
                let forward = matches!(action, Action::Forward);
                let target = if forward {
                    (self.history_pos < self.history.len()).then_some(self.history_pos)
                } else {
                    self.history_pos.checked_sub(2)
                };
                if let Some(t) = target {
                    let path = self.history[t].clone();
                    self.history_pos = t + 1;
                    if self.vault.note(&path).is_some() || self.tabs.iter().any(|x| x.path == path)
                    {
                        self.open_note(&path, None, now);
                    }
                }
            }
            Action::QuickSwitcher => {
                let query = std::mem::take(&mut self.switcher_typed);
                let results =
                    dedup_paths(fuzzy::rank(&query, &self.name_keys, 200), &self.names, 50);
                self.dialog = Some(Dialog::QuickSwitcher {
                    query,
                    selected: 0,
                    results,
                    focus: true,
                });
            }
            Action::Search => {
                self.left_view = LeftView::Search;
                self.search.focus = true;
            }
            Action::Help => self.show_help = !self.show_help,
            Action::SetView(mode) => {
                self.settings.view_mode = mode;
                self.mark_settings_dirty(now);
            }
            Action::SetTheme(theme) => {
                self.settings.theme = theme;
                self.apply_theme(ctx);
                self.mark_settings_dirty(now);
            }
            Action::ToggleBacklinks => {
                self.settings.show_backlinks = !self.settings.show_backlinks;
                self.mark_settings_dirty(now);
            }
            Action::SetLanguage(pref) => {
                self.apply_language(pref);
                self.mark_settings_dirty(now);
            }
            Action::LinkMention(m) => self.link_mention(&m, now),
            Action::KeepMine(i) => {
                if let Some(tab) = self.tabs.get_mut(i) {
                    tab.disk = DiskState::InSync;
                    tab.diff = None;
                    if self.save_tab(i, true) {
                        self.toast(tr("app.toast.kept_mine"), now);
                    }
                }
            }
            Action::TakeTheirs(i) => {
                if let Some(tab) = self.tabs.get(i) {
                    let path = tab.path.clone();
                    match self.read_disk(&path) {
                        Ok((text, lossy, stamp)) => {
                            self.tabs[i].reload(text, lossy, Some(stamp));
                            let _ = self.journal.clear(&path);
                        }
                        Err(e) => self.toast(format!("{path}: {e}"), now),
                    }
                }
            }
            Action::SaveMineAsCopy(i) => {
                if let Some(tab) = self.tabs.get(i) {
                    let copy = copy_name(&tab.path, |p| self.vault.note(p).is_some());
                    let text = tab.buffer.clone();
                    match self.vault.create_note(&copy, &text) {
                        Ok(()) => {
                            self.vault_changed();
                            self.perform(ctx, Action::TakeTheirs(i), now);
                            self.open_note(&copy, None, now);
                            self.toast(tr!("app.toast.saved_copy", path = copy), now);
                        }
                        Err(e) => self.toast(tr!("app.toast.copy_failed", error = e), now),
                    }
                }
            }
            Action::ToggleDiff(i) => {
                if let Some(tab) = self.tabs.get_mut(i) {
                    tab.diff = match (&tab.diff, &tab.disk) {
                        (None, DiskState::Conflict(disk)) => Some(
                            similar::TextDiff::from_lines(disk.as_str(), tab.buffer.as_str())
                                .unified_diff()
                                .context_radius(3)
                                .header(tr("app.banner.diff_disk"), tr("app.banner.diff_mine"))
                                .to_string(),
                        ),
                        _ => None,
                    };
                }
            }
            Action::Recreate(i) => {
                if let Some(tab) = self.tabs.get_mut(i) {
                    tab.disk = DiskState::InSync;
                    if self.save_tab(i, true) {
                        self.toast(tr("app.toast.recreated"), now);
                    }
                }
            }
            Action::UndoRename => {
                if let Some((plan, _)) = self.undo_rename.take() {
                    self.apply_rename_plan(&plan, now);
                }
            }
            Action::OpenUrl(url) => ctx.open_url(egui::OpenUrl::new_tab(url)),
            Action::OpenFile(path) => {
                let abs = if path.is_absolute() {
                    path
                } else {
                    self.vault.root().join(path)
                };
                ctx.open_url(egui::OpenUrl::new_tab(format!("file://{}", abs.display())));
            }
            Action::Present => {
                if let Some(tab) = self.active.and_then(|i| self.tabs.get(i)) {
                    match super::present::Presentation::new(&self.vault, &tab.path, &tab.buffer) {
                        Ok(p) => self.present = Some(p),
                        Err(e) => self.toast(e, now),
                    }
                }
            }
            Action::RunSimulator { code, title } => {
                self.sim = Some(super::sim_view::SimView::new(ctx, &code, &title));
                self.sim_shown = true;
            }
        }
    }

    fn switch_vault(&mut self, dir: &Path, now: f64) {
        for i in 0..self.tabs.len() {
            if self.tabs[i].dirty && !self.save_tab(i, true) {
                self.toast(tr("app.toast.save_before_switch"), now);
                return;
            }
        }
        match Vault::open(dir) {
            Ok(vault) => {
                self.journal = Journal::new(vault.root());
                self.review = ReviewUi::new(vault.root());
                self.vault = vault;
                self.tabs.clear();
                self.active = None;
                self.history.clear();
                self.history_pos = 0;
                self.undo_rename = None;
                self.links_cache = None;
                self.preview = PreviewState::new();
                let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
                self.settings.remember_vault(&dir);
                self.vault_changed();
                if let Some(first) = self.first_note() {
                    self.open_note(&first, None, now);
                }
                self.offer_recovery();
                self.mark_settings_dirty(now);
            }
            Err(e) => self.toast(tr!("app.toast.open_vault_failed", error = e), now),
        }
    }

    fn link_mention(&mut self, m: &Mention, now: f64) {
        let Some(target) = self.active_path().map(str::to_owned) else {
            return;
        };
        let name = self
            .vault
            .note(&target)
            .map_or_else(|| stem(&target).to_owned(), |n| n.name.clone());
        let link = if m.text == name {
            format!("[[{name}]]")
        } else {
            format!("[[{name}|{}]]", m.text)
        };
        if let Some(i) = self.tabs.iter().position(|t| t.path == m.path) {
            let tab = &mut self.tabs[i];
            if tab.buffer.get(m.range.clone()) != Some(m.text.as_str()) || !tab.writable() {
                self.toast(tr!("app.toast.mention_changed", path = m.path), now);
                return;
            }
            tab.buffer.replace_range(m.range.clone(), &link);
            tab.edited(now);
            self.save_tab(i, true);
        } else {
            let Some(text) = self.vault.text(&m.path) else {
                return;
            };
            if text.get(m.range.clone()) != Some(m.text.as_str())
                || self.vault.note(&m.path).is_some_and(|n| n.lossy)
            {
                self.toast(tr!("app.toast.mention_failed", path = m.path), now);
                return;
            }
            let mut text = text.to_owned();
            text.replace_range(m.range.clone(), &link);
            self.vault.update_note(&m.path, text);
            if let Err(e) = self.vault.save_note(&m.path) {
                self.toast(format!("{}: {e}", m.path), now);
                let _ = self.vault.reload_from_disk(&m.path);
            }
        }
        self.vault_changed();
    }

    /// Saves open work, applies `plan`, and follows it in the open tabs.
    fn apply_rename_plan(&mut self, plan: &RenamePlan, now: f64) -> bool {
        for i in 0..self.tabs.len() {
            if self.tabs[i].dirty && !self.save_tab(i, true) {
                self.toast(tr("app.toast.save_before_rename"), now);
                return false;
            }
        }
        if let Err(e) = self.vault.apply(plan) {
            self.toast(tr!("app.toast.rename_failed", error = e), now);
            return false;
        }
        self.after_rename(plan, now);
        true
    }

    fn rename_note(&mut self, from: &str, to: &str, now: f64) -> Result<(), String> {
        for i in 0..self.tabs.len() {
            if self.tabs[i].dirty && !self.save_tab(i, true) {
                return Err(tr("app.rename.save_first").into());
            }
        }
        let plan = self.vault.rename(from, to).map_err(|e| e.to_string())?;
        self.after_rename(&plan, now);
        let n = plan
            .edits
            .iter()
            .filter(|e| e.path != plan.to && e.path != plan.from)
            .count();
        let msg = tr!("app.rename.done", from = plan.from, to = plan.to, n = n);
        self.undo_rename = Some((plan.inverse(), msg));
        Ok(())
    }

    fn after_rename(&mut self, plan: &RenamePlan, now: f64) {
        self.review.renamed(&plan.from, &plan.to);
        for h in &mut self.history {
            if *h == plan.from {
                h.clone_from(&plan.to);
            }
        }
        for i in 0..self.tabs.len() {
            if self.tabs[i].path == plan.from {
                self.tabs[i].path.clone_from(&plan.to);
            }
            let touched = self.tabs[i].path == plan.to
                || plan.edits.iter().any(|e| e.path == self.tabs[i].path);
            if touched {
                let path = self.tabs[i].path.clone();
                if let Ok((text, lossy, stamp)) = self.read_disk(&path) {
                    self.tabs[i].reload(text, lossy, Some(stamp));
                }
            }
        }
        self.vault_changed();
        self.mark_settings_dirty(now);
    }
}

fn completions(vault: &Vault, names: &[NameEntry], from: &str, query: &str) -> Vec<Completion> {
    {
        if let Some((note, heading_q)) = query.split_once('#') {
            let path = if note.is_empty() {
                Some(from.to_owned())
            } else {
                match vault.resolve(from, note) {
                    Resolution::Note(p) => Some(p),
                    _ => None,
                }
            };
            let Some(n) = path.as_deref().and_then(|p| vault.note(p)) else {
                return Vec::new();
            };
            let texts: Vec<&str> = n.headings.iter().map(|h| h.text.as_str()).collect();
            return fuzzy::rank(heading_q, &texts, 12)
                .into_iter()
                .map(|i| Completion {
                    label: format!("{}#{}", note, texts[i]),
                    insert: format!("{note}#{}", texts[i]),
                })
                .collect();
        }
        let keys: Vec<&str> = names.iter().map(|n| n.display.as_str()).collect();
        let mut seen = std::collections::HashSet::new();
        fuzzy::rank(query, &keys, 40)
            .into_iter()
            .filter(|&i| seen.insert((names[i].display.clone(), names[i].path.clone())))
            .take(12)
            .map(|i| {
                let n = &names[i];
                let label = if n.display == stem(&n.path) {
                    n.display.clone()
                } else {
                    format!("{} → {}", n.display, stem(&n.path))
                };
                let insert = if matches!(n.kind, crate::vault::NameKind::Alias) {
                    format!("{}|{}", stem(&n.path), n.display)
                } else {
                    stem(&n.path).to_owned()
                };
                Completion { label, insert }
            })
            .collect()
    }
}

impl StrataApp {
    // ---------------------------------------------------------------- panels

    fn menu_bar(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(tr("app.menu.file"), |ui| {
                if ui.button(tr("app.menu.open_vault")).clicked() {
                    actions.push(Action::OpenVaultDialog);
                }
                ui.menu_button(tr("app.menu.recent"), |ui| {
                    if self.settings.recent_vaults.is_empty() {
                        ui.weak(tr("app.menu.recent_none"));
                    }
                    for v in &self.settings.recent_vaults {
                        if ui.button(v.display().to_string()).clicked() {
                            actions.push(Action::OpenVault(v.clone()));
                        }
                    }
                });
                ui.separator();
                let has_tab = self.active.is_some();
                if ui
                    .add(egui::Button::new(tr("app.menu.new_note")).shortcut_text("Ctrl+N"))
                    .clicked()
                {
                    actions.push(Action::NewNote);
                }
                if ui
                    .add_enabled(
                        has_tab,
                        egui::Button::new(tr("app.menu.rename")).shortcut_text("F2"),
                    )
                    .clicked()
                {
                    actions.push(Action::RenameActive);
                }
                if ui
                    .add_enabled(has_tab, egui::Button::new(tr("app.menu.delete")))
                    .clicked()
                {
                    actions.push(Action::DeleteActive);
                }
                if ui
                    .add_enabled(
                        has_tab,
                        egui::Button::new(tr("app.menu.save")).shortcut_text("Ctrl+S"),
                    )
                    .clicked()
                {
                    actions.push(Action::Save);
                }
                ui.separator();
                if ui
                    .add(egui::Button::new(tr("app.menu.quit")).shortcut_text("Ctrl+Q"))
                    .clicked()
                {
                    actions.push(Action::Quit);
                }
            });
            ui.menu_button(tr("app.menu.view"), |ui| {
                for (mode, label, key) in [
                    (ViewMode::Source, tr("app.menu.source"), "Ctrl+1"),
                    (ViewMode::Split, tr("app.menu.split"), "Ctrl+2"),
                    (ViewMode::Preview, tr("app.menu.preview"), "Ctrl+3"),
                ] {
                    let b = egui::Button::selectable(self.settings.view_mode == mode, label)
                        .shortcut_text(key);
                    if ui.add(b).clicked() {
                        actions.push(Action::SetView(mode));
                    }
                }
                ui.separator();
                for (theme, label) in [
                    (Theme::Light, tr("app.menu.light")),
                    (Theme::Dark, tr("app.menu.dark")),
                ] {
                    if ui
                        .add(egui::Button::selectable(
                            self.settings.theme == theme,
                            label,
                        ))
                        .clicked()
                    {
                        actions.push(Action::SetTheme(theme));
                    }
                }
                ui.menu_button(tr("app.menu.language"), |ui| {
                    for pref in LanguagePref::ALL {
                        // Each language in its own script, so it can be found
                        // from a UI in a language the user cannot read.
                        let label = match pref {
                            LanguagePref::System => tr("app.menu.follow_system"),
                            LanguagePref::En => Lang::En.native_name(),
                            LanguagePref::ZhCn => Lang::ZhCn.native_name(),
                        };
                        let selected = self.settings.language == pref;
                        if ui.add(egui::Button::selectable(selected, label)).clicked() {
                            actions.push(Action::SetLanguage(pref));
                        }
                    }
                });
                ui.separator();
                if ui
                    .add(egui::Button::selectable(
                        self.settings.show_backlinks,
                        tr("app.menu.backlinks"),
                    ))
                    .clicked()
                {
                    actions.push(Action::ToggleBacklinks);
                }
                let graph = egui::Button::selectable(self.graph.open, tr("app.menu.graph"));
                if ui.add(graph.shortcut_text("Ctrl+G")).clicked() {
                    let active = self.active.and_then(|a| self.tabs.get(a));
                    self.graph.toggle(active.map(|t| t.path.as_str()));
                }
                if ui
                    .add(egui::Button::new(tr("app.menu.shortcuts")).shortcut_text("F1"))
                    .clicked()
                {
                    actions.push(Action::Help);
                }
            });
            ui.menu_button(tr("app.menu.go"), |ui| {
                let back = self.history_pos >= 2;
                let fwd = self.history_pos < self.history.len();
                if ui
                    .add_enabled(
                        back,
                        egui::Button::new(tr("app.menu.back")).shortcut_text("Alt+Left"),
                    )
                    .clicked()
                {
                    actions.push(Action::Back);
                }
                if ui
                    .add_enabled(
                        fwd,
                        egui::Button::new(tr("app.menu.forward")).shortcut_text("Alt+Right"),
                    )
                    .clicked()
                {
                    actions.push(Action::Forward);
                }
                ui.separator();
                if ui
                    .add(egui::Button::new(tr("app.menu.quick_switcher")).shortcut_text("Ctrl+P"))
                    .clicked()
                {
                    actions.push(Action::QuickSwitcher);
                }
                if ui
                    .add(egui::Button::new(tr("app.menu.search")).shortcut_text("Ctrl+Shift+F"))
                    .clicked()
                {
                    actions.push(Action::Search);
                }
            });
            let present = egui::Button::new(tr("app.menu.present"));
            if ui
                .add_enabled(self.active.is_some(), present)
                .on_hover_text(tr("app.menu.present_hover"))
                .clicked()
            {
                actions.push(Action::Present);
            }
        });
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if let Some(tab) = self.active.and_then(|i| self.tabs.get(i)) {
                ui.label(&tab.path);
                ui.separator();
                ui.label(tr!("app.status.words", n = tab.words));
                ui.separator();
                let state = if tab.lossy {
                    tr("app.status.read_only")
                } else if tab.save_error.is_some() {
                    tr("app.status.save_failed")
                } else if matches!(tab.disk, DiskState::Conflict(_)) {
                    tr("app.status.conflict")
                } else if tab.disk == DiskState::DeletedOnDisk {
                    tr("app.status.deleted")
                } else if tab.dirty {
                    tr("app.status.unsaved")
                } else {
                    tr("app.status.saved")
                };
                ui.label(state);
                ui.separator();
            }
            ui.label(tr!("app.status.notes", n = self.vault.len()));
            if let Some(n) = &self.notice {
                ui.separator();
                ui.colored_label(ui.visuals().warn_fg_color, n);
            }
        });
    }

    fn left_panel(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            if ui
                .selectable_label(
                    matches!(self.left_view, LeftView::Files),
                    tr("app.left.files"),
                )
                .clicked()
            {
                self.left_view = LeftView::Files;
            }
            if ui
                .selectable_label(
                    matches!(self.left_view, LeftView::Search),
                    tr("app.left.search"),
                )
                .clicked()
            {
                self.left_view = LeftView::Search;
                self.search.focus = true;
            }
            if ui
                .selectable_label(
                    matches!(self.left_view, LeftView::Review),
                    tr("app.left.review"),
                )
                .clicked()
            {
                self.left_view = LeftView::Review;
            }
        });
        ui.separator();
        match self.left_view {
            LeftView::Files => {
                egui::ScrollArea::vertical()
                    .id_salt("tree")
                    .auto_shrink(false)
                    .show(ui, |ui| {
                        let active = self.active_path().map(str::to_owned);
                        folder_ui(ui, &self.tree, active.as_deref(), actions);
                    });
            }
            LeftView::Search => self.search_panel(ui, actions),
            LeftView::Review => {
                let active = self.active_path().map(str::to_owned);
                let requests = self.review.panel(
                    ui,
                    &self.vault,
                    self.generation,
                    active.as_deref(),
                    &self.settings.author,
                );
                for ReviewRequest::Open { path, line } in requests {
                    actions.push(Action::Open {
                        path,
                        line,
                        heading: None,
                    });
                }
            }
        }
    }

    fn search_panel(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let label = ui.label(tr("app.search.label"));
        let resp = ui
            .add(egui::TextEdit::singleline(&mut self.search.query).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        if std::mem::take(&mut self.search.focus) {
            resp.request_focus();
        }
        if resp.changed() || self.search.generation != self.generation {
            self.search.generation = self.generation;
            self.search.hits = self.vault.search(self.search.query.trim(), 500);
        }
        if !self.search.query.trim().is_empty() {
            ui.weak(tr!("app.search.results", n = self.search.hits.len()));
        }
        egui::ScrollArea::vertical()
            .id_salt("search-results")
            .auto_shrink(false)
            .show(ui, |ui| {
                let dark = ui.visuals().dark_mode;
                for hit in &self.search.hits {
                    ui.weak(format!("{}:{}", hit.path, hit.line));
                    let job = highlight_context(
                        ui,
                        &hit.context,
                        hit.match_range_in_context.clone(),
                        dark,
                    );
                    let r = ui.add(egui::Button::new(job).frame(false).wrap());
                    if r.clicked() {
                        actions.push(Action::Open {
                            path: hit.path.clone(),
                            line: Some(hit.line),
                            heading: None,
                        });
                    }
                    ui.add_space(4.0);
                }
            });
    }

    fn links_panel(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let Some(path) = self.active_path().map(str::to_owned) else {
            ui.weak(tr("app.links.no_note"));
            return;
        };
        let fresh =
            matches!(&self.links_cache, Some((p, g, _, _)) if *p == path && *g == self.generation);
        if !fresh {
            let back = self.vault.backlinks(&path);
            let mentions = self.vault.unlinked_mentions(&path);
            self.links_cache = Some((path.clone(), self.generation, back, mentions));
        }
        let Some((_, _, back, mentions)) = &self.links_cache else {
            return;
        };
        egui::ScrollArea::vertical()
            .id_salt("links")
            .auto_shrink(false)
            .show(ui, |ui| {
                ui.heading(tr!("app.links.backlinks", n = back.len()));
                if back.is_empty() {
                    ui.weak(tr("app.links.none"));
                }
                for b in back {
                    let r = ui.add(
                        egui::Button::new(egui::RichText::new(stem(&b.from)).strong()).frame(false),
                    );
                    let r2 = ui.add(
                        egui::Label::new(egui::RichText::new(&b.context).small())
                            .sense(egui::Sense::click()),
                    );
                    if r.clicked() || r2.clicked() {
                        actions.push(Action::Open {
                            path: b.from.clone(),
                            line: Some(b.line),
                            heading: None,
                        });
                    }
                    ui.add_space(4.0);
                }
                ui.separator();
                ui.heading(tr!("app.links.mentions", n = mentions.len()));
                for m in mentions {
                    ui.horizontal(|ui| {
                        if ui
                            .add(
                                egui::Button::new(egui::RichText::new(stem(&m.path)).strong())
                                    .frame(false),
                            )
                            .clicked()
                        {
                            actions.push(Action::Open {
                                path: m.path.clone(),
                                line: Some(m.line),
                                heading: None,
                            });
                        }
                        if ui
                            .small_button(tr("app.links.link"))
                            .on_hover_text(tr("app.links.link_hover"))
                            .clicked()
                        {
                            actions.push(Action::LinkMention(m.clone()));
                        }
                    });
                    ui.label(egui::RichText::new(&m.context).small());
                    ui.add_space(4.0);
                }
            });
    }

    fn tab_bar(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let (mut show_sim, mut close_sim) = (false, false);
        let showing = (self.active, self.sim_shown);
        let reveal = self.tab_strip_shows != Some(showing);
        // The strip's scroll range lags one frame behind a newly added tab,
        // so keep revealing until the active tab is really on screen.
        let mut revealed = !reveal;
        egui::ScrollArea::horizontal()
            .id_salt("tabs")
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    for (i, tab) in self.tabs.iter().enumerate() {
                        let title = if tab.dirty {
                            format!("{} ●", tab.title())
                        } else {
                            tab.title().to_owned()
                        };
                        let r = ui
                            .selectable_label(self.active == Some(i) && !self.sim_shown, title)
                            .on_hover_text(&tab.path);
                        if reveal && self.active == Some(i) && !self.sim_shown {
                            revealed = reveal_tab(ui, &r);
                        }
                        if r.clicked() {
                            actions.push(Action::Activate(i));
                        }
                        if r.middle_clicked() {
                            actions.push(Action::CloseTab(i));
                        }
                        if ui
                            .small_button("×")
                            .on_hover_text(tr!("app.tab.close_hover", title = tab.title()))
                            .clicked()
                        {
                            actions.push(Action::CloseTab(i));
                        }
                        ui.separator();
                    }
                    if let Some(sim) = &self.sim {
                        let r = ui
                            .selectable_label(self.sim_shown, tr("app.tab.simulator"))
                            .on_hover_text(sim.title());
                        if reveal && self.sim_shown {
                            revealed = reveal_tab(ui, &r);
                        }
                        if r.clicked() {
                            show_sim = true;
                        }
                        if ui
                            .small_button("×")
                            .on_hover_text(tr("app.tab.close_simulator"))
                            .clicked()
                        {
                            close_sim = true;
                        }
                    }
                });
            });
        if revealed {
            self.tab_strip_shows = Some(showing);
        }
        if show_sim {
            self.sim_shown = true;
        }
        if close_sim {
            self.sim = None;
            self.sim_shown = false;
        }
    }

    fn central(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>, now: f64) {
        self.tab_bar(ui, actions);
        let active = self
            .active
            .and_then(|a| self.tabs.get(a))
            .map(|t| t.path.clone());
        if self.graph.open && self.graph.left_for(active.as_deref()) {
            self.graph.open = false;
        }
        if self.graph.open {
            use super::graph_view::GraphAction;
            let (vault, generation) = (&self.vault, self.generation);
            match self.graph.show(ui, vault, generation, active.as_deref()) {
                Some(GraphAction::Open(path)) => {
                    self.graph.open = false;
                    actions.push(Action::Open {
                        path,
                        line: None,
                        heading: None,
                    });
                }
                Some(GraphAction::Close) => self.graph.open = false,
                None => {}
            }
            return;
        }
        if let Some((_, msg)) = &self.undo_rename {
            let msg = msg.clone();
            ui.horizontal(|ui| {
                ui.label(msg);
                if ui.button(tr("app.undo_rename")).clicked() {
                    actions.push(Action::UndoRename);
                }
                if ui.button(tr("common.dismiss")).clicked() {
                    self.undo_rename = None;
                }
            });
        }
        if let Some(sim) = self.sim.as_mut().filter(|_| self.sim_shown) {
            if sim.show(ui, self.dialog.is_none()) == Some(super::sim_view::SimViewAction::Close) {
                self.sim = None;
                self.sim_shown = false;
            }
            return;
        }
        let Some(ai) = self.active.filter(|&i| i < self.tabs.len()) else {
            ui.centered_and_justified(|ui| {
                ui.weak(tr("app.empty"));
            });
            return;
        };
        self.banners(ui, ai, actions);
        let dark = ui.visuals().dark_mode;
        let mode = self.settings.view_mode;
        let from = self.tabs[ai].path.clone();
        let mut tab = std::mem::replace(
            &mut self.tabs[ai],
            Tab::new(String::new(), String::new(), false, None),
        );
        self.review
            .before_editor(ui.ctx(), &mut tab, &mut self.preview);
        let mut preview_actions = Vec::new();
        {
            let names = &self.names;
            let complete = |q: &str| completions(&self.vault, names, &from, q);
            let vault = &self.vault;
            let preview = &mut self.preview;
            let mut show_preview = |ui: &mut egui::Ui, tab: &Tab| {
                let cx = PreviewContext {
                    vault,
                    note_path: &tab.path,
                    dark,
                };
                preview_actions = preview::show(ui, preview, &tab.buffer, &cx);
            };
            match mode {
                ViewMode::Source => {
                    editor::show(ui, &mut tab, dark, &complete);
                }
                ViewMode::Preview => show_preview(ui, &tab),
                ViewMode::Split => {
                    ui.columns(2, |cols| {
                        editor::show(&mut cols[0], &mut tab, dark, &complete);
                        show_preview(&mut cols[1], &tab);
                    });
                }
            }
        }
        let _ = now;
        self.tabs[ai] = tab;
        for a in preview_actions {
            let Some(a) = self.review.preview_action(a, &self.tabs[ai], &self.vault) else {
                continue;
            };
            actions.push(match a {
                PreviewAction::OpenNote { target, heading } => {
                    Action::FollowLink { target, heading }
                }
                PreviewAction::CreateNote(target) => Action::AskCreate(target),
                PreviewAction::OpenUrl(url) => Action::OpenUrl(url),
                PreviewAction::OpenFile(p) => Action::OpenFile(p),
                PreviewAction::RunSimulator { code, note, line } => Action::RunSimulator {
                    code,
                    title: tr!("app.sim_title", note = note, line = line),
                },
                PreviewAction::CommentOnDiagram { .. } | PreviewAction::ShowComment(_) => continue,
            });
        }
    }

    fn banners(&mut self, ui: &mut egui::Ui, i: usize, actions: &mut Vec<Action>) {
        let tab = &mut self.tabs[i];
        let warn = ui.visuals().warn_fg_color;
        let err = ui.visuals().error_fg_color;
        if tab.lossy {
            ui.colored_label(warn, tr("app.banner.read_only"));
        }
        if let Some(e) = &tab.save_error {
            let e = e.clone();
            ui.horizontal(|ui| {
                ui.colored_label(err, e);
                if ui.button(tr("common.dismiss")).clicked() {
                    tab.save_error = None;
                }
            });
        }
        match &tab.disk {
            DiskState::Conflict(_) => {
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(warn, tr("app.banner.changed"));
                    if ui.button(tr("app.banner.keep_mine")).clicked() {
                        actions.push(Action::KeepMine(i));
                    }
                    if ui.button(tr("app.banner.take_theirs")).clicked() {
                        actions.push(Action::TakeTheirs(i));
                    }
                    if ui.button(tr("app.banner.save_copy")).clicked() {
                        actions.push(Action::SaveMineAsCopy(i));
                    }
                    let label = if tab.diff.is_some() {
                        tr("app.banner.hide_diff")
                    } else {
                        tr("app.banner.show_diff")
                    };
                    if ui.button(label).clicked() {
                        actions.push(Action::ToggleDiff(i));
                    }
                });
                if let Some(diff) = &tab.diff {
                    egui::ScrollArea::vertical()
                        .id_salt("diff")
                        .max_height(220.0)
                        .show(ui, |ui| diff_view(ui, diff));
                    ui.separator();
                }
            }
            DiskState::DeletedOnDisk => {
                ui.horizontal(|ui| {
                    ui.colored_label(warn, tr("app.banner.deleted"));
                    if ui.button(tr("app.banner.recreate")).clicked() {
                        actions.push(Action::Recreate(i));
                    }
                });
            }
            DiskState::InSync => {}
        }
    }

    // --------------------------------------------------------------- dialogs

    fn dialogs(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>, now: f64) {
        let Some(mut dialog) = self.dialog.take() else {
            return;
        };
        let mut keep = true;
        let modal = egui::Modal::new(egui::Id::unique("strata-dialog")).show(ctx, |ui| {
            ui.set_width(440.0);
            match &mut dialog {
                Dialog::QuickSwitcher {
                    query,
                    selected,
                    results,
                    focus,
                } => {
                    ui.heading(tr("app.quick.title"));
                    let label = ui.label(tr("app.quick.label"));
                    // The modal layer only accepts focus once it has been
                    // drawn, so ask until the field has it, and until then
                    // keep the letters typed so far ourselves.
                    let field = egui::Id::unique("strata-quick-switcher-query");
                    let mut early = String::new();
                    if *focus {
                        if ui.memory(|m| m.has_focus(field)) {
                            *focus = false;
                        } else {
                            ui.memory_mut(|m| m.request_focus(field));
                            ui.input_mut(|i| {
                                i.events.retain(|e| match e {
                                    egui::Event::Text(t) => {
                                        early.push_str(t);
                                        false
                                    }
                                    _ => true,
                                })
                            });
                        }
                    }
                    query.push_str(&early);
                    let resp = ui
                        .add(
                            egui::TextEdit::singleline(query)
                                .id(field)
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id);
                    if resp.changed() || !early.is_empty() {
                        *results =
                            dedup_paths(fuzzy::rank(query, &self.name_keys, 200), &self.names, 50);
                        *selected = 0;
                    }
                    let (down, up, enter, ctrl) = ui.input(|i| {
                        (
                            i.key_pressed(Key::ArrowDown),
                            i.key_pressed(Key::ArrowUp),
                            i.key_pressed(Key::Enter),
                            i.modifiers.command,
                        )
                    });
                    if down && !results.is_empty() {
                        *selected = (*selected + 1).min(results.len() - 1);
                    }
                    if up {
                        *selected = selected.saturating_sub(1);
                    }
                    let mut open = None;
                    egui::ScrollArea::vertical()
                        .max_height(320.0)
                        .show(ui, |ui| {
                            for (row, &i) in results.iter().enumerate() {
                                let n = &self.names[i];
                                let text = format!("{}   {}", n.display, n.path);
                                let r = ui.selectable_label(row == *selected, text);
                                if row == *selected && (down || up) {
                                    r.scroll_to_me(None);
                                }
                                if r.clicked() {
                                    open = Some(n.path.clone());
                                }
                            }
                        });
                    if results.is_empty() {
                        ui.weak(tr("app.quick.none"));
                    } else {
                        ui.weak(tr("app.quick.hint"));
                    }
                    let create = enter && (ctrl || results.is_empty()) && !query.trim().is_empty();
                    if create {
                        let mut path = query.trim().to_owned();
                        if !path.to_ascii_lowercase().ends_with(".md") {
                            path.push_str(".md");
                        }
                        match self.dialog_create(&path, actions, now) {
                            Ok(()) => keep = false,
                            Err(e) => self.toast(e, now),
                        }
                    } else if enter {
                        open = results.get(*selected).map(|&i| self.names[i].path.clone());
                    }
                    if let Some(path) = open {
                        actions.push(Action::Open {
                            path,
                            line: None,
                            heading: None,
                        });
                        keep = false;
                    }
                }
                Dialog::NewNote { path, error } | Dialog::CreateMissing { path, error } => {
                    ui.heading(tr("app.new.title"));
                    let label = ui.label(tr("app.new.path"));
                    let r = ui
                        .add(egui::TextEdit::singleline(path).desired_width(f32::INFINITY))
                        .labelled_by(label.id);
                    r.request_focus();
                    if let Some(e) = error {
                        ui.colored_label(ui.visuals().error_fg_color, e.as_str());
                    }
                    ui.horizontal(|ui| {
                        let enter = ui.input(|i| i.key_pressed(Key::Enter));
                        if ui.button(tr("common.create")).clicked() || enter {
                            match self.dialog_create(path, actions, now) {
                                Ok(()) => keep = false,
                                Err(e) => *error = Some(e),
                            }
                        }
                        if ui.button(tr("common.cancel")).clicked() {
                            keep = false;
                        }
                    });
                }
                Dialog::Rename { from, to, error } => {
                    ui.heading(tr("app.rename.title"));
                    ui.label(tr!("app.rename.from", path = from));
                    let label = ui.label(tr("app.rename.to"));
                    let r = ui
                        .add(egui::TextEdit::singleline(to).desired_width(f32::INFINITY))
                        .labelled_by(label.id);
                    r.request_focus();
                    ui.weak(tr("app.rename.hint"));
                    if let Some(e) = error {
                        ui.colored_label(ui.visuals().error_fg_color, e.as_str());
                    }
                    ui.horizontal(|ui| {
                        let enter = ui.input(|i| i.key_pressed(Key::Enter));
                        if ui.button(tr("app.rename.button")).clicked() || enter {
                            let mut target = to.trim().to_owned();
                            if !target.to_ascii_lowercase().ends_with(".md") {
                                target.push_str(".md");
                            }
                            let from = from.clone();
                            match self.rename_note(&from, &target, now) {
                                Ok(()) => keep = false,
                                Err(e) => *error = Some(e),
                            }
                        }
                        if ui.button(tr("common.cancel")).clicked() {
                            keep = false;
                        }
                    });
                }
                Dialog::Delete { path } => {
                    ui.heading(tr("app.delete.title"));
                    ui.label(tr!("app.delete.confirm", path = path));
                    ui.horizontal(|ui| {
                        if ui.button(tr("app.delete.button")).clicked() {
                            match self.vault.delete_note(path) {
                                Ok(()) => {
                                    let _ = self.journal.clear(path);
                                    if let Some(i) = self.tabs.iter().position(|t| t.path == *path)
                                    {
                                        self.tabs.remove(i);
                                        self.active = if self.tabs.is_empty() {
                                            None
                                        } else {
                                            Some(i.min(self.tabs.len() - 1))
                                        };
                                    }
                                    self.vault_changed();
                                    self.mark_settings_dirty(now);
                                }
                                Err(e) => {
                                    self.toast(tr!("app.toast.delete_failed", error = e), now)
                                }
                            }
                            keep = false;
                        }
                        if ui.button(tr("common.cancel")).clicked() {
                            keep = false;
                        }
                    });
                }
                Dialog::Recover { entries } => {
                    ui.heading(tr("app.recover.title"));
                    ui.label(tr("app.recover.found"));
                    let mut done = Vec::new();
                    for (k, e) in entries.iter().enumerate() {
                        ui.horizontal(|ui| {
                            ui.label(&e.note_path);
                            if ui.button(tr("app.recover.restore")).clicked() {
                                self.restore(e, now);
                                done.push(k);
                            }
                            if ui.button(tr("app.recover.discard")).clicked() {
                                let _ = self.journal.clear(&e.note_path);
                                done.push(k);
                            }
                        });
                    }
                    for k in done.into_iter().rev() {
                        entries.remove(k);
                    }
                    if entries.is_empty() || ui.button(tr("app.recover.later")).clicked() {
                        keep = false;
                    }
                }
                Dialog::Ambiguous { candidates } => {
                    ui.heading(tr("app.ambiguous.title"));
                    ui.label(tr("app.ambiguous.text"));
                    for c in candidates.iter() {
                        if ui.button(c.as_str()).clicked() {
                            actions.push(Action::Open {
                                path: c.clone(),
                                line: None,
                                heading: None,
                            });
                            keep = false;
                        }
                    }
                    if ui.button(tr("common.cancel")).clicked() {
                        keep = false;
                    }
                }
            }
        });
        if modal.should_close() && !matches!(dialog, Dialog::Recover { .. }) {
            keep = false;
        }
        if keep {
            self.dialog = Some(dialog);
        }
    }

    fn dialog_create(
        &mut self,
        path: &str,
        actions: &mut Vec<Action>,
        now: f64,
    ) -> Result<(), String> {
        let path = path.trim().to_owned();
        let title = stem(&path).to_owned();
        self.vault
            .create_note(&path, &format!("# {title}\n\n"))
            .map_err(|e| e.to_string())?;
        self.vault_changed();
        let created = crate::vault::normalize_new_path(&path).unwrap_or(path);
        actions.push(Action::Open {
            path: created,
            line: Some(3),
            heading: None,
        });
        let _ = now;
        Ok(())
    }

    fn restore(&mut self, entry: &JournalEntry, now: f64) {
        let path = entry.note_path.clone();
        let opened = if self.vault.note(&path).is_some() {
            self.open_note(&path, None, now)
        } else {
            // The note is gone from disk: keep the text in a tab that can recreate it.
            let mut tab = Tab::new(path.clone(), String::new(), false, None);
            tab.disk = DiskState::DeletedOnDisk;
            self.tabs.push(tab);
            self.active = Some(self.tabs.len() - 1);
            true
        };
        if opened {
            if let Some(i) = self.tabs.iter().position(|t| t.path == path) {
                let tab = &mut self.tabs[i];
                if tab.lossy {
                    self.toast(tr!("app.toast.recovery_skipped", path = path), now);
                    return;
                }
                tab.buffer.clone_from(&entry.text);
                tab.edited(now);
                tab.journaled = true;
                // Restored text waits for an explicit save instead of autosaving.
                tab.autosave_blocked = true;
            }
        }
    }

    /// A frame of presentation mode; leaving it returns to the note at the
    /// slide shown last.
    fn present_frame(&mut self, ui: &mut egui::Ui, now: f64) {
        use super::present::{self, PresentEvent};
        let Some(mut p) = self.present.take() else {
            return;
        };
        let ctx = ui.ctx().clone();
        let dark = ui.visuals().dark_mode;
        let mut keep = true;
        for event in present::show(ui, &mut p, &self.vault, dark) {
            let action = match event {
                PresentEvent::Exit { note, line } => Action::Open {
                    path: note,
                    line: Some(line),
                    heading: None,
                },
                PresentEvent::Preview(PreviewAction::OpenUrl(url)) => {
                    self.perform(&ctx, Action::OpenUrl(url), now);
                    continue;
                }
                PresentEvent::Preview(PreviewAction::OpenNote { target, heading }) => {
                    Action::FollowLink { target, heading }
                }
                // Present mode runs Go blocks itself; the rest needs the editor.
                PresentEvent::Preview(_) => continue,
            };
            keep = false;
            self.perform(&ctx, action, now);
        }
        if keep {
            self.present = Some(p);
        }
    }

    fn help_window(&mut self, ctx: &egui::Context) {
        let mut open = self.show_help;
        egui::Window::new(tr("app.help_title"))
            .id(egui::Id::unique("strata-shortcuts"))
            .open(&mut open)
            .resizable(false)
            .collapsible(false)
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                    for ((keys, _), what) in SHORTCUTS.iter().zip(SHORTCUT_KEYS) {
                        ui.monospace(shortcut_keys(keys));
                        ui.label(tr(what));
                        ui.end_row();
                    }
                });
            });
        self.show_help = open;
    }

    fn toasts_area(&mut self, ctx: &egui::Context, _actions: &mut Vec<Action>) {
        if self.toasts.is_empty() {
            return;
        }
        egui::Area::new(egui::Id::unique("strata-toasts"))
            .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-12.0, -36.0))
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                for t in &self.toasts {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.label(&t.text);
                    });
                }
            });
    }
}

impl eframe::App for StrataApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }
}

/// Key names stay as printed on keyboards; only the joining word is translated.
fn shortcut_keys(keys: &str) -> String {
    keys.replace(" or ", &format!(" {} ", tr("app.shortcut.or")))
}

fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}

/// `dir/name (mine).md`, or `(mine 2)`, … — the first free name.
fn copy_name(path: &str, exists: impl Fn(&str) -> bool) -> String {
    let base = path.strip_suffix(".md").unwrap_or(path);
    (1..)
        .map(|n| {
            if n == 1 {
                format!("{base} (mine).md")
            } else {
                format!("{base} (mine {n}).md")
            }
        })
        .find(|p| !exists(p))
        .unwrap_or_else(|| format!("{base} (mine).md"))
}

/// Keeps the best-ranked name entry per note path.
/// Scrolls the tab strip to `tab`; true once it is wholly visible (or can
/// never be, being wider than the strip).
fn reveal_tab(ui: &egui::Ui, tab: &egui::Response) -> bool {
    let clip = ui.clip_rect();
    if clip.contains_rect(tab.rect) || tab.rect.width() >= clip.width() {
        return true;
    }
    tab.scroll_to_me(None);
    // The scroll lands next frame; nothing else may be asking for one.
    ui.ctx().request_repaint();
    false
}

fn dedup_paths(ranked: Vec<usize>, names: &[NameEntry], limit: usize) -> Vec<usize> {
    let mut seen = std::collections::HashSet::new();
    ranked
        .into_iter()
        .filter(|&i| seen.insert(names[i].path.as_str()))
        .take(limit)
        .collect()
}

fn build_tree<'a>(paths: impl Iterator<Item = &'a str>) -> Folder {
    let mut root = Folder::default();
    for path in paths {
        let mut parts: Vec<&str> = path.split('/').collect();
        let file = parts.pop().unwrap_or(path);
        let mut node = &mut root;
        let mut so_far = String::new();
        for part in parts {
            so_far.push_str(part);
            so_far.push('/');
            let idx = match node.folders.iter().position(|f| f.name == part) {
                Some(i) => i,
                None => {
                    node.folders.push(Folder {
                        name: part.to_owned(),
                        path: so_far.clone(),
                        ..Folder::default()
                    });
                    node.folders.len() - 1
                }
            };
            node = &mut node.folders[idx];
        }
        node.notes.push((path.to_owned(), stem(file).to_owned()));
    }
    root
}

fn folder_ui(ui: &mut egui::Ui, folder: &Folder, active: Option<&str>, actions: &mut Vec<Action>) {
    for sub in &folder.folders {
        egui::CollapsingHeader::new(format!("{}/", sub.name))
            .id_salt(("folder", &sub.path))
            .default_open(true)
            .show(ui, |ui| folder_ui(ui, sub, active, actions));
    }
    for (path, name) in &folder.notes {
        let r = ui
            .selectable_label(active == Some(path.as_str()), name)
            .on_hover_text(path);
        if r.clicked() {
            actions.push(Action::Open {
                path: path.clone(),
                line: None,
                heading: None,
            });
        }
    }
}

fn highlight_context(
    ui: &egui::Ui,
    context: &str,
    range: std::ops::Range<usize>,
    dark: bool,
) -> egui::text::LayoutJob {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let normal = ui.visuals().text_color();
    let mut job = egui::text::LayoutJob::default();
    let ok = range.start <= range.end
        && range.end <= context.len()
        && context.is_char_boundary(range.start)
        && context.is_char_boundary(range.end);
    if !ok {
        job.append(context, 0.0, egui::TextFormat::simple(font, normal));
        return job;
    }
    let plain = egui::TextFormat::simple(font.clone(), normal);
    let mut hit = egui::TextFormat::simple(font, normal);
    hit.background = if dark {
        egui::Color32::from_rgb(110, 90, 20)
    } else {
        egui::Color32::from_rgb(255, 230, 120)
    };
    job.append(&context[..range.start], 0.0, plain.clone());
    job.append(&context[range.clone()], 0.0, hit);
    job.append(&context[range.end..], 0.0, plain);
    job
}

fn diff_view(ui: &mut egui::Ui, diff: &str) {
    let add = egui::Color32::from_rgb(40, 160, 60);
    let del = egui::Color32::from_rgb(200, 60, 60);
    for line in diff.lines() {
        let color = if line.starts_with('+') && !line.starts_with("+++") {
            add
        } else if line.starts_with('-') && !line.starts_with("---") {
            del
        } else {
            ui.visuals().weak_text_color()
        };
        ui.label(egui::RichText::new(line).monospace().color(color));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_groups_folders() {
        let t = build_tree(["a.md", "x/b.md", "x/y/c.md", "x/d.md"].into_iter());
        assert_eq!(t.notes.len(), 1);
        assert_eq!(t.folders.len(), 1);
        assert_eq!(t.folders[0].notes.len(), 2);
        assert_eq!(t.folders[0].folders[0].path, "x/y/");
    }

    #[test]
    fn shortcut_keys_translate_to_the_english_descriptions() {
        assert_eq!(SHORTCUTS.len(), SHORTCUT_KEYS.len());
        for ((_, english), key) in SHORTCUTS.iter().zip(SHORTCUT_KEYS) {
            assert_eq!(i18n::tr_in(Lang::En, key), Some(*english), "{key}");
        }
        assert_eq!(shortcut_keys("F1 or Ctrl+/"), "F1 or Ctrl+/");
    }

    #[test]
    fn copy_names_avoid_existing() {
        let existing = ["n (mine).md"];
        assert_eq!(
            copy_name("n.md", |p| existing.contains(&p)),
            "n (mine 2).md"
        );
        assert_eq!(copy_name("d/n.md", |_| false), "d/n (mine).md");
    }
}
