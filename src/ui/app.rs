//! The Strata window: state, commands and the per-frame layout.

use std::path::{Path, PathBuf};

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::settings::{Settings, Theme, ViewMode};
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
}

impl StrataApp {
    pub fn new(config: AppConfig) -> Result<StrataApp, String> {
        let vault = Vault::open(&config.vault).map_err(|e| e.to_string())?;
        let (mut settings, warning) = match &config.settings_path {
            Some(p) => {
                let loaded = Settings::load(p);
                (
                    loaded.settings,
                    loaded.warning.map(|w| format!("{w} — using defaults")),
                )
            }
            None => (Settings::default(), None),
        };
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
                self.notice = Some(format!("{}: cannot save settings: {e}", p.display()));
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
                    self.toast(format!("{path}: cannot open: {e}"), now);
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
                format!(
                    "{}: unsaved changes kept in the recovery journal",
                    self.tabs[i].path
                ),
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
            tab.save_error = Some("not valid UTF-8 — opened read-only, never written".into());
            return false;
        }
        match tab.disk {
            DiskState::Conflict(_) if explicit => {
                tab.save_error = Some(
                    "changed on disk — choose Keep mine, Take theirs or Save mine as copy".into(),
                );
                return false;
            }
            DiskState::DeletedOnDisk if explicit => {
                tab.save_error = Some("deleted on disk — use Recreate to write it again".into());
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
                tab.save_error = Some(format!("Save failed: {e}"));
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
            Err(e) => self.notice = Some(format!("rescan failed: {e}")),
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
        ctx.input_mut(|i| {
            // Shift variants first: Ctrl+F also matches Ctrl+Shift+F.
            if i.consume_shortcut(&sc(ctrl_shift, Key::F)) {
                actions.push(Action::Search);
            }
            if i.consume_shortcut(&sc(ctrl, Key::S)) {
                actions.push(Action::Save);
            }
            if i.consume_shortcut(&sc(ctrl, Key::P)) {
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
                        self.toast(format!("Saved {}", self.tabs[i].path), now);
                    }
                }
            }
            Action::NewNote => {
                self.dialog = Some(Dialog::NewNote {
                    path: "Untitled.md".into(),
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
                    .set_title("Open vault folder")
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
                let results = fuzzy::rank("", &self.name_keys, 50);
                self.dialog = Some(Dialog::QuickSwitcher {
                    query: String::new(),
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
            Action::LinkMention(m) => self.link_mention(&m, now),
            Action::KeepMine(i) => {
                if let Some(tab) = self.tabs.get_mut(i) {
                    tab.disk = DiskState::InSync;
                    tab.diff = None;
                    if self.save_tab(i, true) {
                        self.toast("Kept your version and saved it", now);
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
                            self.toast(format!("Your version was saved as {copy}"), now);
                        }
                        Err(e) => self.toast(format!("Cannot save copy: {e}"), now),
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
                                .header("on disk", "mine")
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
                        self.toast("Note recreated on disk", now);
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
                self.toast("Save or resolve open notes before switching vaults", now);
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
            Err(e) => self.toast(format!("Cannot open vault: {e}"), now),
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
                self.toast(
                    format!("{}: changed since the mention was found", m.path),
                    now,
                );
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
                self.toast(format!("{}: cannot link this mention", m.path), now);
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
                self.toast("Save or resolve open notes before renaming", now);
                return false;
            }
        }
        if let Err(e) = self.vault.apply(plan) {
            self.toast(format!("Rename failed: {e}"), now);
            return false;
        }
        self.after_rename(plan, now);
        true
    }

    fn rename_note(&mut self, from: &str, to: &str, now: f64) -> Result<(), String> {
        for i in 0..self.tabs.len() {
            if self.tabs[i].dirty && !self.save_tab(i, true) {
                return Err("save or resolve open notes first".into());
            }
        }
        let plan = self.vault.rename(from, to).map_err(|e| e.to_string())?;
        self.after_rename(&plan, now);
        let n = plan
            .edits
            .iter()
            .filter(|e| e.path != plan.to && e.path != plan.from)
            .count();
        let msg = format!(
            "Renamed {} → {} ({n} other notes updated)",
            plan.from, plan.to
        );
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
            ui.menu_button("File", |ui| {
                if ui.button("Open vault…").clicked() {
                    actions.push(Action::OpenVaultDialog);
                }
                ui.menu_button("Recent vaults", |ui| {
                    if self.settings.recent_vaults.is_empty() {
                        ui.weak("None yet");
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
                    .add(egui::Button::new("New note").shortcut_text("Ctrl+N"))
                    .clicked()
                {
                    actions.push(Action::NewNote);
                }
                if ui
                    .add_enabled(
                        has_tab,
                        egui::Button::new("Rename/move note…").shortcut_text("F2"),
                    )
                    .clicked()
                {
                    actions.push(Action::RenameActive);
                }
                if ui
                    .add_enabled(has_tab, egui::Button::new("Delete note…"))
                    .clicked()
                {
                    actions.push(Action::DeleteActive);
                }
                if ui
                    .add_enabled(has_tab, egui::Button::new("Save").shortcut_text("Ctrl+S"))
                    .clicked()
                {
                    actions.push(Action::Save);
                }
                ui.separator();
                if ui
                    .add(egui::Button::new("Quit").shortcut_text("Ctrl+Q"))
                    .clicked()
                {
                    actions.push(Action::Quit);
                }
            });
            ui.menu_button("View", |ui| {
                for (mode, label, key) in [
                    (ViewMode::Source, "Source", "Ctrl+1"),
                    (ViewMode::Split, "Split", "Ctrl+2"),
                    (ViewMode::Preview, "Preview", "Ctrl+3"),
                ] {
                    let b = egui::Button::selectable(self.settings.view_mode == mode, label)
                        .shortcut_text(key);
                    if ui.add(b).clicked() {
                        actions.push(Action::SetView(mode));
                    }
                }
                ui.separator();
                for (theme, label) in [(Theme::Light, "Light theme"), (Theme::Dark, "Dark theme")] {
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
                ui.separator();
                if ui
                    .add(egui::Button::selectable(
                        self.settings.show_backlinks,
                        "Backlinks panel",
                    ))
                    .clicked()
                {
                    actions.push(Action::ToggleBacklinks);
                }
                let graph = egui::Button::selectable(self.graph.open, "Graph view");
                if ui.add(graph.shortcut_text("Ctrl+G")).clicked() {
                    let active = self.active.and_then(|a| self.tabs.get(a));
                    self.graph.toggle(active.map(|t| t.path.as_str()));
                }
                if ui
                    .add(egui::Button::new("Keyboard shortcuts").shortcut_text("F1"))
                    .clicked()
                {
                    actions.push(Action::Help);
                }
            });
            ui.menu_button("Go", |ui| {
                let back = self.history_pos >= 2;
                let fwd = self.history_pos < self.history.len();
                if ui
                    .add_enabled(back, egui::Button::new("Back").shortcut_text("Alt+Left"))
                    .clicked()
                {
                    actions.push(Action::Back);
                }
                if ui
                    .add_enabled(fwd, egui::Button::new("Forward").shortcut_text("Alt+Right"))
                    .clicked()
                {
                    actions.push(Action::Forward);
                }
                ui.separator();
                if ui
                    .add(egui::Button::new("Quick switcher…").shortcut_text("Ctrl+P"))
                    .clicked()
                {
                    actions.push(Action::QuickSwitcher);
                }
                if ui
                    .add(egui::Button::new("Search vault…").shortcut_text("Ctrl+Shift+F"))
                    .clicked()
                {
                    actions.push(Action::Search);
                }
            });
            let present = egui::Button::new("Present");
            if ui
                .add_enabled(self.active.is_some(), present)
                .on_hover_text("Play the note as full-screen slides (F5)")
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
                ui.label(format!("{} words", tab.words));
                ui.separator();
                let state = if tab.lossy {
                    "Read-only"
                } else if tab.save_error.is_some() {
                    "Save failed"
                } else if matches!(tab.disk, DiskState::Conflict(_)) {
                    "Conflict"
                } else if tab.disk == DiskState::DeletedOnDisk {
                    "Deleted on disk"
                } else if tab.dirty {
                    "Unsaved"
                } else {
                    "Saved"
                };
                ui.label(state);
                ui.separator();
            }
            ui.label(format!("{} notes", self.vault.len()));
            if let Some(n) = &self.notice {
                ui.separator();
                ui.colored_label(ui.visuals().warn_fg_color, n);
            }
        });
    }

    fn left_panel(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            if ui
                .selectable_label(matches!(self.left_view, LeftView::Files), "Files")
                .clicked()
            {
                self.left_view = LeftView::Files;
            }
            if ui
                .selectable_label(matches!(self.left_view, LeftView::Search), "Search")
                .clicked()
            {
                self.left_view = LeftView::Search;
                self.search.focus = true;
            }
            if ui
                .selectable_label(matches!(self.left_view, LeftView::Review), "Review")
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
        let label = ui.label("Search vault:");
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
            ui.weak(format!("{} results", self.search.hits.len()));
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
            ui.weak("No note open");
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
                ui.heading(format!("Backlinks ({})", back.len()));
                if back.is_empty() {
                    ui.weak("No other note links here.");
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
                ui.heading(format!("Unlinked mentions ({})", mentions.len()));
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
                            .small_button("link")
                            .on_hover_text("Turn this mention into a wiki link")
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
                        if r.clicked() {
                            actions.push(Action::Activate(i));
                        }
                        if r.middle_clicked() {
                            actions.push(Action::CloseTab(i));
                        }
                        if ui
                            .small_button("×")
                            .on_hover_text(format!("Close {}", tab.title()))
                            .clicked()
                        {
                            actions.push(Action::CloseTab(i));
                        }
                        ui.separator();
                    }
                    if let Some(sim) = &self.sim {
                        let r = ui
                            .selectable_label(self.sim_shown, "Simulator")
                            .on_hover_text(sim.title());
                        if r.clicked() {
                            show_sim = true;
                        }
                        if ui
                            .small_button("×")
                            .on_hover_text("Close the simulator")
                            .clicked()
                        {
                            close_sim = true;
                        }
                    }
                });
            });
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
                if ui.button("Undo rename").clicked() {
                    actions.push(Action::UndoRename);
                }
                if ui.button("Dismiss").clicked() {
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
                ui.weak("Open a note from the tree, or press Ctrl+P");
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
            actions.push(match a {
                PreviewAction::OpenNote { target, heading } => {
                    Action::FollowLink { target, heading }
                }
                PreviewAction::CreateNote(target) => Action::AskCreate(target),
                PreviewAction::OpenUrl(url) => Action::OpenUrl(url),
                PreviewAction::OpenFile(p) => Action::OpenFile(p),
                PreviewAction::RunSimulator { code, note, line } => Action::RunSimulator {
                    code,
                    title: format!("{note}, line {line}"),
                },
            });
        }
    }

    fn banners(&mut self, ui: &mut egui::Ui, i: usize, actions: &mut Vec<Action>) {
        let tab = &mut self.tabs[i];
        let warn = ui.visuals().warn_fg_color;
        let err = ui.visuals().error_fg_color;
        if tab.lossy {
            ui.colored_label(warn, "not valid UTF-8 — opened read-only, never written");
        }
        if let Some(e) = &tab.save_error {
            let e = e.clone();
            ui.horizontal(|ui| {
                ui.colored_label(err, e);
                if ui.button("Dismiss").clicked() {
                    tab.save_error = None;
                }
            });
        }
        match &tab.disk {
            DiskState::Conflict(_) => {
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(warn, "Changed on disk");
                    if ui.button("Keep mine").clicked() {
                        actions.push(Action::KeepMine(i));
                    }
                    if ui.button("Take theirs").clicked() {
                        actions.push(Action::TakeTheirs(i));
                    }
                    if ui.button("Save mine as copy").clicked() {
                        actions.push(Action::SaveMineAsCopy(i));
                    }
                    let label = if tab.diff.is_some() {
                        "Hide diff"
                    } else {
                        "Show diff"
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
                    ui.colored_label(warn, "deleted on disk — your text is kept here");
                    if ui.button("Recreate").clicked() {
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
                    ui.heading("Quick switcher");
                    let label = ui.label("Go to note:");
                    let resp = ui
                        .add(egui::TextEdit::singleline(query).desired_width(f32::INFINITY))
                        .labelled_by(label.id);
                    if std::mem::take(focus) {
                        resp.request_focus();
                    }
                    if resp.changed() {
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
                        ui.weak("No matching note — Enter or Ctrl+Enter creates it");
                    } else {
                        ui.weak("Enter opens · Ctrl+Enter creates a note with this name");
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
                    ui.heading("New note");
                    let label = ui.label("Path in vault:");
                    let r = ui
                        .add(egui::TextEdit::singleline(path).desired_width(f32::INFINITY))
                        .labelled_by(label.id);
                    r.request_focus();
                    if let Some(e) = error {
                        ui.colored_label(ui.visuals().error_fg_color, e.as_str());
                    }
                    ui.horizontal(|ui| {
                        let enter = ui.input(|i| i.key_pressed(Key::Enter));
                        if ui.button("Create").clicked() || enter {
                            match self.dialog_create(path, actions, now) {
                                Ok(()) => keep = false,
                                Err(e) => *error = Some(e),
                            }
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
                Dialog::Rename { from, to, error } => {
                    ui.heading("Rename / move note");
                    ui.label(format!("From: {from}"));
                    let label = ui.label("New path:");
                    let r = ui
                        .add(egui::TextEdit::singleline(to).desired_width(f32::INFINITY))
                        .labelled_by(label.id);
                    r.request_focus();
                    ui.weak("Links to this note in other notes are rewritten.");
                    if let Some(e) = error {
                        ui.colored_label(ui.visuals().error_fg_color, e.as_str());
                    }
                    ui.horizontal(|ui| {
                        let enter = ui.input(|i| i.key_pressed(Key::Enter));
                        if ui.button("Rename").clicked() || enter {
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
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
                Dialog::Delete { path } => {
                    ui.heading("Delete note");
                    ui.label(format!("Delete {path} from disk? This cannot be undone."));
                    ui.horizontal(|ui| {
                        if ui.button("Delete").clicked() {
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
                                Err(e) => self.toast(format!("Delete failed: {e}"), now),
                            }
                            keep = false;
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
                Dialog::Recover { entries } => {
                    ui.heading("Recover unsaved changes");
                    ui.label("Strata found edits that were never saved:");
                    let mut done = Vec::new();
                    for (k, e) in entries.iter().enumerate() {
                        ui.horizontal(|ui| {
                            ui.label(&e.note_path);
                            if ui.button("Restore").clicked() {
                                self.restore(e, now);
                                done.push(k);
                            }
                            if ui.button("Discard").clicked() {
                                let _ = self.journal.clear(&e.note_path);
                                done.push(k);
                            }
                        });
                    }
                    for k in done.into_iter().rev() {
                        entries.remove(k);
                    }
                    if entries.is_empty() || ui.button("Decide later").clicked() {
                        keep = false;
                    }
                }
                Dialog::Ambiguous { candidates } => {
                    ui.heading("Which note?");
                    ui.label("This link matches several notes:");
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
                    if ui.button("Cancel").clicked() {
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
                    self.toast(format!("{path}: read-only note, recovery skipped"), now);
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
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .resizable(false)
            .collapsible(false)
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                    for (keys, what) in SHORTCUTS {
                        ui.monospace(*keys);
                        ui.label(*what);
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
    fn copy_names_avoid_existing() {
        let existing = ["n (mine).md"];
        assert_eq!(
            copy_name("n.md", |p| existing.contains(&p)),
            "n (mine 2).md"
        );
        assert_eq!(copy_name("d/n.md", |_| false), "d/n (mine).md");
    }
}
