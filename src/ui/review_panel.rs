//! Review comments in the window: the comment composer (from an editor
//! selection or a diagram node/edge), the vault-wide review panel with its
//! filters and thread actions, and the markers the editor and preview paint.
//!
//! All state lives in [`ReviewUi`]; the app calls it at a few points
//! (left panel, before drawing the editor, dialogs) and turns the returned
//! [`ReviewRequest`]s into its own navigation.

#[path = "review_panel/compose.rs"]
mod compose;
#[path = "review_panel/list.rs"]
mod list;

use std::collections::HashMap;
use std::ops::Range;

use egui::{Color32, Key, KeyboardShortcut, Modifiers};

use crate::i18n::tr;
use crate::review::{anchor, Anchor, Located, ReviewStore, Status};
use crate::vault::save::content_hash;
use crate::vault::Vault;

use super::diagram_view::Badge;
use super::editor;
use super::find;
use super::preview::{PreviewAction, PreviewState};
use super::tab::Tab;

pub use compose::Compose;

/// Add a comment on the editor selection (or the diagram under the cursor).
pub const SHORTCUT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::ALT), Key::M);

/// Comment id -> 1-based line of its anchor in the saved note, if found.
type LineMap = HashMap<String, Option<usize>>;

/// Navigation the app performs for the panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewRequest {
    /// Open `path` at 1-based `line`; the anchor is selected once the
    /// note's editor is shown.
    Open { path: String, line: Option<usize> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum StatusFilter {
    #[default]
    Open,
    Resolved,
    All,
}

impl StatusFilter {
    fn admits(self, s: Status) -> bool {
        match self {
            StatusFilter::Open => s == Status::Open,
            StatusFilter::Resolved => s == Status::Resolved,
            StatusFilter::All => true,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this note (vault path).
    pub note: Option<String>,
    pub author: Option<String>,
    pub status: StatusFilter,
}

/// Where the comments of the note in the editor are, for markers; keyed
/// by the buffer's hash and the store generation.
struct Marks {
    key: (u64, u64),
    /// (byte range, open) per anchor found.
    ranges: Vec<(Range<usize>, bool)>,
    /// 1-based editor lines with a marker, sorted, and whether any comment
    /// there is open.
    lines: Vec<(usize, bool)>,
    /// Open comments on diagram nodes and edges, one badge per element.
    badges: Vec<Badge>,
}

pub struct ReviewUi {
    store: ReviewStore,
    pub filter: Filter,
    compose: Option<Compose>,
    /// Comment whose thread is unfolded (replies and reply box).
    expanded: Option<String>,
    reply: String,
    /// (note, comment id) waiting for a delete confirmation.
    confirm_delete: Option<(String, String)>,
    /// Last problem (a failed write, nothing selected), shown in the panel.
    message: Option<String>,
    /// Anchor to select once `path` is in the editor.
    reveal: Option<(String, String)>,
    /// The last non-empty editor selection: (note, bytes, buffer version).
    /// A right-click collapses the selection before the context menu
    /// opens, so the menu entry uses this one.
    last_selection: Option<(String, Range<usize>, u64)>,
    /// Set by the panel button; handled where the editor tab is at hand.
    want_compose: bool,
    /// A comment was added or a badge clicked since the app last asked:
    /// the panel should be shown.
    added: bool,
    /// Comment to scroll the list to (a clicked diagram badge).
    scroll_to: Option<String>,
    marks: Option<Marks>,
    /// Hash of each note's saved text the comments were last anchored on.
    anchored_on: HashMap<String, u64>,
    vault_generation: Option<u64>,
    /// Per-comment line in the saved text, for the list: key = (store
    /// generation, vault generation).
    lines: Option<((u64, u64), LineMap)>,
}

impl ReviewUi {
    pub fn new(vault_root: &std::path::Path) -> ReviewUi {
        ReviewUi {
            store: ReviewStore::open(vault_root),
            filter: Filter::default(),
            compose: None,
            expanded: None,
            reply: String::new(),
            confirm_delete: None,
            message: None,
            reveal: None,
            last_selection: None,
            want_compose: false,
            added: false,
            scroll_to: None,
            marks: None,
            anchored_on: HashMap::new(),
            vault_generation: None,
            lines: None,
        }
    }

    /// Follows a note rename (the review file was moved with the note).
    pub fn renamed(&mut self, from: &str, to: &str) {
        self.store.renamed(from, to);
        self.anchored_on.remove(from);
        if self.filter.note.as_deref() == Some(from) {
            self.filter.note = Some(to.to_owned());
        }
    }

    /// True once after a comment was added or a diagram badge clicked (the
    /// app then shows the panel).
    pub fn take_added(&mut self) -> bool {
        std::mem::take(&mut self.added)
    }

    pub fn composing(&self) -> bool {
        self.compose.is_some() || self.confirm_delete.is_some()
    }

    /// Re-anchors the comments of notes whose saved text changed and writes
    /// the result (moved quotes, outdated flags). Runs only when the vault
    /// index changed, so unsaved typing never rewrites review files.
    pub fn sync(&mut self, vault: &Vault, generation: u64) {
        if self.vault_generation == Some(generation) {
            return;
        }
        self.vault_generation = Some(generation);
        let notes: Vec<String> = self.store.notes().map(str::to_owned).collect();
        for note in notes {
            let Some(text) = vault.text(&note) else {
                continue;
            };
            let hash = content_hash(text.as_bytes());
            if self.anchored_on.get(&note) == Some(&hash) {
                continue;
            }
            self.anchored_on.insert(note.clone(), hash);
            if let Err(e) = self.store.reanchor(&note, text) {
                self.message = Some(e.to_string());
            }
        }
    }

    /// Call with the active tab before its editor and preview are drawn:
    /// handles the shortcut and context-menu requests, applies a pending
    /// jump, and hands markers to the editor and preview.
    pub fn before_editor(
        &mut self,
        ctx: &egui::Context,
        tab: &mut Tab,
        preview: &mut PreviewState,
    ) {
        let selection = current_selection(ctx, tab);
        if let Some(sel) = selection.clone().filter(|r| !r.is_empty()) {
            self.last_selection = Some((tab.path.clone(), sel, tab.editor.version));
        }
        let shortcut = !self.composing() && ctx.input_mut(|i| i.consume_shortcut(&SHORTCUT));
        // The menu and the panel button take focus from the editor, and an
        // unfocused editor drops its selection: they use the remembered one.
        let from_menu = std::mem::take(&mut tab.editor.review_request)
            || std::mem::take(&mut self.want_compose);
        if shortcut || from_menu {
            let remembered = self
                .last_selection
                .as_ref()
                .filter(|(p, _, v)| *p == tab.path && *v == tab.editor.version)
                .map(|(_, r, _)| r.clone());
            let range = match selection {
                Some(r) if !r.is_empty() => Some(r),
                _ if from_menu => remembered,
                Some(r) => Some(r),
                None => None,
            };
            self.begin(tab, range);
        }
        if let Some((path, id)) = self.reveal.take() {
            if path == tab.path {
                self.apply_reveal(tab, preview, &id);
            } else {
                self.reveal = Some((path, id));
            }
        }
        let key = (content_hash(tab.buffer.as_bytes()), self.store.generation());
        if self.marks.as_ref().is_none_or(|m| m.key != key) {
            self.marks = Some(self.compute_marks(&tab.path, &tab.buffer, key));
        }
        if let Some(m) = &self.marks {
            let (open, done) = marker_colors(ctx);
            tab.editor.review_marks = m
                .lines
                .iter()
                .map(|&(l, o)| (l, if o { open } else { done }))
                .collect();
            preview.review_marks = m
                .ranges
                .iter()
                .map(|(r, o)| (r.clone(), if *o { open } else { done }))
                .collect();
            preview.diagram_badges.clone_from(&m.badges);
        }
    }

    fn compute_marks(&self, note: &str, text: &str, key: (u64, u64)) -> Marks {
        let mut ranges = Vec::new();
        let mut badges: Vec<Badge> = Vec::new();
        if let Some(file) = self.store.file(note) {
            for c in &file.comments {
                let r = match c.locate(text) {
                    Located::Text(f) => f.range,
                    Located::Diagram { block, index } => {
                        if let (Anchor::Diagram(d), Status::Open) = (&c.anchor, c.status) {
                            add_badge(&mut badges, note, index, &d.element, c);
                        }
                        block.start..block.start
                    }
                    Located::Outdated => continue,
                };
                ranges.push((r, c.status == Status::Open));
            }
        }
        let mut lines: Vec<(usize, bool)> = Vec::new();
        for (r, open) in &ranges {
            let first = line_of(text, r.start);
            let last = line_of(text, r.end.max(r.start));
            for l in first..=last {
                match lines.iter_mut().find(|(x, _)| *x == l) {
                    Some(e) => e.1 |= open,
                    None => lines.push((l, *open)),
                }
            }
        }
        lines.sort_unstable();
        Marks {
            key,
            ranges,
            lines,
            badges,
        }
    }

    /// Handles the preview's review requests (a diagram element's "Comment
    /// on…" entry, a clicked badge) and hands every other action back.
    /// `tab` is the note in the editor; a diagram of an embedded note is
    /// commented on in that note's saved text.
    pub fn preview_action(
        &mut self,
        action: PreviewAction,
        tab: &Tab,
        vault: &Vault,
    ) -> Option<PreviewAction> {
        match action {
            PreviewAction::CommentOnDiagram {
                note,
                diagram,
                element,
            } => {
                let text = if note == tab.path {
                    if !tab.writable() {
                        self.message = Some(tr("review.read_only").into());
                        return None;
                    }
                    Some(tab.buffer.as_str())
                } else {
                    vault.text(&note)
                };
                let Some(text) = text else {
                    self.message = Some(tr!("review.note_gone", note = note));
                    return None;
                };
                match Compose::for_diagram(&note, text, diagram, &element) {
                    Ok(c) => {
                        self.message = None;
                        self.compose = Some(c);
                    }
                    Err(e) => self.message = Some(e),
                }
                None
            }
            PreviewAction::ShowComment(id) => {
                self.select(&id);
                None
            }
            other => Some(other),
        }
    }

    /// Unfolds comment `id` in the panel, scrolls to it and widens the
    /// filters if they hid it; the app shows the panel (see `take_added`).
    pub fn select(&mut self, id: &str) {
        let Some((note, c)) = self.store.find(id) else {
            return;
        };
        if self.filter.note.as_deref().is_some_and(|n| n != note) {
            self.filter.note = None;
        }
        if self.filter.author.as_deref().is_some_and(|a| a != c.author) {
            self.filter.author = None;
        }
        if !self.filter.status.admits(c.status) {
            self.filter.status = StatusFilter::All;
        }
        if self.expanded.as_deref() != Some(id) {
            self.reply.clear();
        }
        self.expanded = Some(id.to_owned());
        self.scroll_to = Some(id.to_owned());
        self.added = true;
    }

    /// Opens the composer for `range` (bytes) of the tab's buffer: a text
    /// comment, or a diagram comment when the range lies in a diagram block.
    fn begin(&mut self, tab: &Tab, range: Option<Range<usize>>) {
        if !tab.writable() {
            // Lossy notes are shown with replacement characters, so a
            // quote taken from them would never match the file.
            self.message = Some(tr("review.read_only").into());
            return;
        }
        match Compose::from_selection(&tab.path, &tab.buffer, range) {
            Ok(c) => {
                self.message = None;
                self.compose = Some(c);
            }
            Err(msg) => self.message = Some(msg),
        }
    }

    /// Selects the comment's anchor in the editor and scrolls the preview
    /// to its section.
    fn apply_reveal(&mut self, tab: &mut Tab, preview: &mut PreviewState, id: &str) {
        let Some((_, c)) = self.store.find(id) else {
            return;
        };
        let range = match c.locate(&tab.buffer) {
            Located::Text(f) => f.range,
            Located::Diagram { block, .. } => {
                let element = match &c.anchor {
                    Anchor::Diagram(d) => d.edge().map_or(d.element.as_str(), |(a, _)| a),
                    Anchor::Text(_) => "",
                };
                let src = &tab.buffer[block.clone()];
                let first = src.lines().next().map_or(0, str::len);
                match src[first..].find(element).filter(|_| !element.is_empty()) {
                    Some(i) => block.start + first + i..block.start + first + i + element.len(),
                    None => block.start..block.start,
                }
            }
            Located::Outdated => {
                self.message = Some(tr("review.anchor_gone").into());
                return;
            }
        };
        // Focus first: egui keeps a selection only in a focused editor.
        let text = std::mem::take(&mut tab.buffer);
        tab.editor.go_to_line(&text, line_of(&text, range.start));
        tab.editor.select_bytes(&text, range.clone());
        tab.buffer = text;
        let headings = anchor::heading_path(&tab.buffer, range.start);
        if let Some(h) = headings.last() {
            preview.scroll_to_heading(h);
        }
    }

    /// The composer and the delete confirmation, as modal dialogs.
    /// `author` is the settings' author name; returns true if it changed.
    pub fn dialogs(&mut self, ctx: &egui::Context, author: &mut String) -> bool {
        let mut author_changed = false;
        if let Some(mut c) = self.compose.take() {
            match c.show(ctx, author, &mut author_changed) {
                compose::Outcome::Keep => self.compose = Some(c),
                compose::Outcome::Cancel => {}
                compose::Outcome::Submit(note, comment) => match self.store.add(&note, *comment) {
                    Ok(()) => {
                        self.message = None;
                        self.added = true;
                    }
                    Err(e) => {
                        c.error = Some(e.to_string());
                        self.compose = Some(c);
                    }
                },
            }
        }
        if let Some((note, id)) = self.confirm_delete.take() {
            let mut keep = true;
            egui::Modal::new(egui::Id::unique("strata-review-delete")).show(ctx, |ui| {
                ui.set_width(360.0);
                ui.heading(tr("review.delete_title"));
                ui.label(tr("review.delete_text"));
                ui.horizontal(|ui| {
                    if ui.button(tr("review.delete_button")).clicked() {
                        if let Err(e) = self.store.delete(&note, &id) {
                            self.message = Some(e.to_string());
                        }
                        keep = false;
                    }
                    if ui.button(tr("review.keep")).clicked()
                        || ui.input(|i| i.key_pressed(Key::Escape))
                    {
                        keep = false;
                    }
                });
            });
            if keep {
                self.confirm_delete = Some((note, id));
            }
        }
        author_changed
    }

    /// The review panel (left side view). `active` is the note in the editor.
    pub fn panel(
        &mut self,
        ui: &mut egui::Ui,
        vault: &Vault,
        vault_generation: u64,
        active: Option<&str>,
        author: &str,
    ) -> Vec<ReviewRequest> {
        let mut requests = Vec::new();
        self.sync(vault, vault_generation);
        if ui
            .button(tr("review.comment_selection"))
            .on_hover_text(tr!(
                "review.comment_selection_hover",
                keys = ui.ctx().format_shortcut(&SHORTCUT)
            ))
            .clicked()
        {
            if active.is_some() {
                self.want_compose = true;
            } else {
                self.message = Some(tr("review.select_first").into());
            }
        }
        if let Some(m) = &self.message {
            let m = m.clone();
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(ui.visuals().warn_fg_color, m);
                if ui.small_button(tr("common.dismiss")).clicked() {
                    self.message = None;
                }
            });
        }
        for (_, e) in self.store.errors() {
            ui.colored_label(ui.visuals().error_fg_color, e.to_string());
        }
        ui.separator();
        list::filters(ui, &mut self.filter, &self.store, active);
        ui.separator();
        let key = (self.store.generation(), vault_generation);
        if self.lines.as_ref().is_none_or(|(k, _)| *k != key) {
            let mut lines = HashMap::new();
            for (note, c) in self.store.comments() {
                let line = vault
                    .text(note)
                    .and_then(|t| c.locate(t).start().map(|at| line_of(t, at)));
                lines.insert(c.id.clone(), line);
            }
            self.lines = Some((key, lines));
        }
        let lines = self
            .lines
            .as_ref()
            .map(|(_, l)| l.clone())
            .unwrap_or_default();
        let act = list::comments(
            ui,
            &self.store,
            &self.filter,
            &lines,
            &mut self.expanded,
            &mut self.scroll_to,
            &mut self.reply,
        );
        let author = if author.trim().is_empty() {
            default_author()
        } else {
            author.trim().to_owned()
        };
        self.perform(act, author, &mut requests, &lines);
        requests
    }

    fn perform(
        &mut self,
        act: list::Act,
        author: String,
        requests: &mut Vec<ReviewRequest>,
        lines: &HashMap<String, Option<usize>>,
    ) {
        let result = match act {
            list::Act::None => Ok(()),
            list::Act::Jump { note, id } => {
                requests.push(ReviewRequest::Open {
                    line: lines.get(&id).copied().flatten(),
                    path: note.clone(),
                });
                self.reveal = Some((note, id));
                Ok(())
            }
            list::Act::SetStatus { note, id, status } => {
                self.store.update(&note, &id, |c| c.status = status)
            }
            list::Act::Reply { note, id, body } => {
                let r = self.store.update(&note, &id, |c| {
                    c.replies.push(crate::review::Reply {
                        author,
                        time: crate::review::time::now_rfc3339(),
                        body,
                    })
                });
                if r.is_ok() {
                    self.reply.clear();
                }
                r
            }
            list::Act::Delete { note, id } => {
                self.confirm_delete = Some((note, id));
                Ok(())
            }
        };
        if let Err(e) = result {
            self.message = Some(e.to_string());
        }
    }
}

/// Counts `c` on its diagram element, keeping the first comment's text for
/// the badge's tooltip (comments come sorted by time).
fn add_badge(
    badges: &mut Vec<Badge>,
    note: &str,
    diagram: usize,
    element: &str,
    c: &crate::review::Comment,
) {
    let element = match element.split_once("->") {
        Some((a, b)) => format!("{}->{}", a.trim(), b.trim()),
        None => element.trim().to_owned(),
    };
    if let Some(b) = badges
        .iter_mut()
        .find(|b| b.diagram == diagram && b.element == element)
    {
        b.count += 1;
        return;
    }
    badges.push(Badge {
        note: note.to_owned(),
        diagram,
        element,
        count: 1,
        first: format!("{}: {}", c.author, c.body),
        id: c.id.clone(),
    });
}

/// Who is commenting when the settings name nobody: the login name.
pub fn default_author() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "reviewer".to_owned())
}

/// The editor's selection as a byte range (empty = just a cursor).
fn current_selection(ctx: &egui::Context, tab: &Tab) -> Option<Range<usize>> {
    let state = egui::TextEdit::load_state(ctx, editor::text_edit_id(&tab.path))?;
    let r = state.cursor.char_range()?.as_sorted_char_range();
    let a = find::char_to_byte(&tab.buffer, r.start.0);
    let b = find::char_to_byte(&tab.buffer, r.end.0);
    Some(a..b)
}

fn marker_colors(ctx: &egui::Context) -> (Color32, Color32) {
    let v = ctx.global_style().visuals.clone();
    (v.warn_fg_color, v.weak_text_color())
}

fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
