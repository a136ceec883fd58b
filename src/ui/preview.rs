//! Live reading view of a note, in the spirit of Obsidian's reading mode.
//!
//! Everything that can be computed once is: the note is parsed once per text
//! change (keyed by a hash of the text), every text run is laid out once per
//! (content, link state, width, theme) and code is highlighted once per
//! (code, language, theme). A frame only looks results up, resolves links
//! against the vault (cheap, and the vault can change under us) and paints.

#[path = "preview/inline.rs"]
mod inline;
#[path = "preview/resolve.rs"]
mod resolve;

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{
    Align, Align2, Color32, CursorIcon, FontFamily, FontId, Frame, Galley, Layout, Margin, Rect,
    Response, RichText, ScrollArea, Sense, Shape, Stroke, Ui, Vec2, WidgetInfo,
};

use crate::highlight::{HighlightCache, Theme};
use crate::i18n::tr;
use crate::markdown::{self, Block, BlockKind, Document, Inline, LinkTarget, ListItem};
use crate::vault::{Resolution, Vault};

use inline::{LinkRef, LinkSpan, RunStyle, TextTheme};
use resolve::{FileCache, LinkAction, ResolvedLink};

/// Embeds inside embeds are shown down to this depth (the note itself is 0).
const MAX_EMBED_DEPTH: usize = 2;
/// An embedded note scrolls inside a box no taller than this.
const EMBED_MAX_HEIGHT: f32 = 360.0;
/// Filesystem answers (does this image exist?) are trusted this long.
const FILE_CACHE_SECONDS: f64 = 2.0;
/// Prefix of footnote-definition scroll targets; slugs never contain `^`.
const FOOTNOTE_ANCHOR: &str = "^fn:";

/// Something the caller should do in response to a click in the preview.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PreviewAction {
    /// Open a note (vault-relative path), optionally at a heading (as written in the link).
    OpenNote {
        target: String,
        heading: Option<String>,
    },
    /// A link to a note that does not exist: the target as written
    /// (`[[New idea]]` gives "New idea", `[x](sub/new.md)` gives "sub/new.md").
    CreateNote(String),
    OpenUrl(String),
    /// A local non-note file inside the vault, as an absolute path.
    OpenFile(PathBuf),
    /// "Run in simulator" on a Go block: its code, and the note and line the
    /// block starts at (for the simulator's title).
    RunSimulator {
        code: String,
        note: String,
        line: usize,
    },
    /// "Comment on node/edge…" on a diagram: the note, the 0-based diagram
    /// block and the node id or `from->to`.
    CommentOnDiagram {
        note: String,
        diagram: usize,
        element: String,
    },
    /// A diagram's review badge was clicked: the comment id.
    ShowComment(String),
}

pub struct PreviewContext<'a> {
    pub vault: &'a Vault,
    /// Vault-relative path of the shown note; relative links resolve from it.
    pub note_path: &'a str,
    pub dark: bool,
}

/// A parsed note and what is derived from it once per text change.
#[derive(Clone)]
struct ParsedNote {
    hash: u64,
    text: Arc<str>,
    doc: Arc<Document>,
    /// Footnote label -> number shown (order of definition).
    footnotes: Arc<HashMap<String, usize>>,
    /// Front-matter properties shown in the properties box.
    properties: Arc<Vec<(String, String)>>,
}

impl ParsedNote {
    fn new(text: &str, hash: u64) -> Self {
        let doc = markdown::parse(text);
        let mut footnotes = HashMap::new();
        markdown::walk_blocks(&doc.blocks, &mut |b| {
            if let BlockKind::FootnoteDef { label, .. } = &b.kind {
                let n = footnotes.len() + 1;
                footnotes.entry(label.clone()).or_insert(n);
            }
        });
        let properties = doc
            .front_matter
            .clone()
            .and_then(|r| text.get(r))
            .map(resolve::front_matter_properties)
            .unwrap_or_default();
        ParsedNote {
            hash,
            text: Arc::from(text),
            doc: Arc::new(doc),
            footnotes: Arc::new(footnotes),
            properties: Arc::new(properties),
        }
    }

    fn source(&self, block: &Block) -> &str {
        self.text.get(block.range.clone()).unwrap_or("")
    }
}

// Jobs, not galleys, are kept across frames: a galley points into the font
// atlas, which egui rebuilds when it fills up or the fonts change, so only
// egui's own galley cache may hold galleys from one frame to the next.
#[derive(Clone)]
struct CachedRun {
    job: Arc<LayoutJob>,
    links: Arc<Vec<LinkSpan>>,
    used: u64,
}

/// A text run ready to paint this frame.
struct Run {
    galley: Arc<Galley>,
    links: Arc<Vec<LinkSpan>>,
}

#[derive(Clone)]
struct CachedCode {
    job: Arc<LayoutJob>,
    background: Color32,
    foreground: Color32,
    used: u64,
}

/// Caches and scroll state of one preview pane; keep it across frames.
pub struct PreviewState {
    note: Option<ParsedNote>,
    embeds: HashMap<String, ParsedNote>,
    highlight: HighlightCache,
    runs: HashMap<u64, CachedRun>,
    code: HashMap<u64, CachedCode>,
    files: FileCache,
    files_checked_at: f64,
    /// Anchor -> y offset from the top of the content, from the last frame.
    anchors: HashMap<String, f32>,
    /// Hash of the text `anchors` were measured on.
    anchors_of: Option<u64>,
    pending_scroll: Option<String>,
    shown_note: Option<String>,
    frame: u64,
    diagrams: crate::ui::diagram_view::DiagramCache,
    /// Review-comment markers for the note drawn by [`show`]: byte ranges
    /// of its text and their colour, set by the review panel each frame.
    pub review_marks: Vec<(std::ops::Range<usize>, Color32)>,
    /// Review badges for diagram nodes and edges, set like `review_marks`.
    pub diagram_badges: Vec<crate::ui::diagram_view::Badge>,
    /// Drawn as a slide: diagram clicks pin highlights instead of leaving.
    pub presenting: bool,
    /// Top-level blocks drawn this frame: (byte range, top, bottom).
    block_rows: Vec<(std::ops::Range<usize>, f32, f32)>,
}

impl Default for PreviewState {
    fn default() -> Self {
        Self::new()
    }
}

impl PreviewState {
    pub fn new() -> Self {
        PreviewState {
            note: None,
            embeds: HashMap::new(),
            highlight: HighlightCache::new(),
            runs: HashMap::new(),
            code: HashMap::new(),
            files: FileCache::default(),
            files_checked_at: f64::NEG_INFINITY,
            anchors: HashMap::new(),
            anchors_of: None,
            pending_scroll: None,
            shown_note: None,
            frame: 0,
            diagrams: crate::ui::diagram_view::DiagramCache::new(),
            review_marks: Vec::new(),
            diagram_badges: Vec::new(),
            presenting: false,
            block_rows: Vec::new(),
        }
    }

    /// Scroll to a heading on the next frame. Takes the heading's anchor
    /// (`my-heading`) or its text as written in a link (`My Heading`); an
    /// unknown heading is ignored once the note has been laid out.
    pub fn scroll_to_heading(&mut self, anchor: &str) {
        self.pending_scroll = Some(anchor.to_string());
    }

    fn parse_main(&mut self, text: &str) -> ParsedNote {
        let hash = hash_of(&text);
        match &self.note {
            Some(n) if n.hash == hash => n.clone(),
            _ => {
                let n = ParsedNote::new(text, hash);
                self.note = Some(n.clone());
                n
            }
        }
    }

    fn parse_embed(&mut self, path: &str, text: &str) -> ParsedNote {
        let hash = hash_of(&text);
        match self.embeds.get(path) {
            Some(n) if n.hash == hash => n.clone(),
            _ => {
                let n = ParsedNote::new(text, hash);
                self.embeds.insert(path.to_string(), n.clone());
                n
            }
        }
    }

    fn anchor_y(&self, target: &str) -> Option<f32> {
        self.anchors
            .get(target)
            .or_else(|| self.anchors.get(&markdown::slug(target)))
            .copied()
    }

    /// Drop layouts not used for a while; widths change while resizing and
    /// every edit makes new runs, so without this the caches only grow.
    fn evict(&mut self) {
        const KEEP_FRAMES: u64 = 120;
        const SOFT_LIMIT: usize = 1024;
        let frame = self.frame;
        if self.runs.len() > SOFT_LIMIT {
            self.runs.retain(|_, c| c.used + KEEP_FRAMES >= frame);
        }
        if self.code.len() > SOFT_LIMIT / 4 {
            self.code.retain(|_, c| c.used + KEEP_FRAMES >= frame);
        }
        if self.embeds.len() > 64 {
            self.embeds.clear();
        }
    }
}

fn hash_of(value: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Render `text` (the note at `cx.note_path`) into `ui`, filling it with a
/// vertical scroll area of its own (do not wrap it in another one).
/// Returns what the user asked for this frame.
pub fn show(
    ui: &mut Ui,
    state: &mut PreviewState,
    text: &str,
    cx: &PreviewContext,
) -> Vec<PreviewAction> {
    state.frame += 1;
    let now = ui.input(|i| i.time);
    if now - state.files_checked_at > FILE_CACHE_SECONDS || now < state.files_checked_at {
        state.files.clear();
        state.files_checked_at = now;
    }
    let note = state.parse_main(text);
    if state.anchors_of != Some(note.hash) {
        state.anchors.clear();
    }

    let mut area = ScrollArea::vertical()
        .id_salt("strata_preview")
        .auto_shrink([false, false]);
    let switched = state.shown_note.as_deref() != Some(cx.note_path);
    if switched {
        state.shown_note = Some(cx.note_path.to_string());
    }
    // A newly shown note starts at its top, unless a heading was asked for.
    let mut offset = switched.then_some(0.0);
    if let Some(target) = state.pending_scroll.clone() {
        if state.anchors_of == Some(note.hash) {
            if let Some(y) = state.anchor_y(&target) {
                offset = Some(y);
            }
            // Found or not, the request is settled once this text was laid out.
            state.pending_scroll = None;
        }
    }
    if let Some(y) = offset {
        area = area.vertical_scroll_offset(y);
    }

    let mut r = Render::new(ui, state, cx, 0);
    area.show(ui, |ui| {
        r.content_top = ui.min_rect().top();
        ui.spacing_mut().item_spacing.y = 4.0;
        ui.add_space(4.0);
        if !note.properties.is_empty() {
            properties_box(ui, &note.properties, &r.theme);
            ui.add_space(r.theme.size * 0.6);
        }
        r.state.block_rows.clear();
        render_document(ui, &mut r, &note, &note.doc.blocks);
        paint_review_marks(ui, r.state);
        ui.add_space(r.theme.size * 2.0);
    });
    let actions = std::mem::take(&mut r.actions);
    let state = r.state;
    state.anchors_of = Some(note.hash);
    if state.pending_scroll.is_some() {
        ui.ctx().request_repaint();
    }
    state.evict();
    actions
}

/// Render `text` as one slide of a presentation: at the sizes of `ui`'s
/// style (the caller enlarges it), with no scroll area and no properties
/// box of its own. `salt` keeps diagrams apart when the same slide is shown
/// twice in a frame (the audience slide and the presenter's copy), since
/// diagram state is keyed by note and position, not by `Ui`.
pub fn show_slide(
    ui: &mut Ui,
    state: &mut PreviewState,
    text: &str,
    cx: &PreviewContext,
    salt: u64,
) -> Vec<PreviewAction> {
    state.frame += 1;
    let now = ui.input(|i| i.time);
    if now - state.files_checked_at > FILE_CACHE_SECONDS || now < state.files_checked_at {
        state.files.clear();
        state.files_checked_at = now;
    }
    let note = state.parse_main(text);
    let mut r = Render::new(ui, state, cx, salt);
    ui.spacing_mut().item_spacing.y = r.theme.size * 0.25;
    render_document(ui, &mut r, &note, &note.doc.blocks);
    let actions = std::mem::take(&mut r.actions);
    // Slides do not scroll to anchors; a stale request must not linger.
    r.state.pending_scroll = None;
    r.state.evict();
    actions
}

/// Per-frame rendering context.
struct Render<'s, 'v> {
    state: &'s mut PreviewState,
    vault: &'v Vault,
    theme: TextTheme,
    style_key: u64,
    /// The note whose blocks are being drawn (changes inside embeds).
    note_path: String,
    dark: bool,
    depth: usize,
    /// Notes being rendered, outermost first, to refuse embed cycles.
    stack: Vec<String>,
    list_depth: usize,
    content_top: f32,
    actions: Vec<PreviewAction>,
    /// Mixed into diagram ids, which are global rather than per-`Ui`.
    salt: u64,
}

impl<'s, 'v> Render<'s, 'v> {
    /// A renderer for the note `cx` names, at the top of `ui` in its style.
    fn new(ui: &Ui, state: &'s mut PreviewState, cx: &PreviewContext<'v>, salt: u64) -> Self {
        let theme = text_theme(ui, cx.dark);
        Render {
            style_key: theme_key(&theme),
            theme,
            state,
            vault: cx.vault,
            note_path: cx.note_path.to_string(),
            dark: cx.dark,
            depth: 0,
            stack: vec![cx.note_path.to_string()],
            list_depth: 0,
            content_top: ui.min_rect().top(),
            actions: Vec::new(),
            salt,
        }
    }
}

impl Render<'_, '_> {
    fn act(&mut self, action: &LinkAction) {
        match action {
            LinkAction::Emit(a) => self.actions.push(a.clone()),
            LinkAction::Anchor(a) if self.depth > 0 => {
                // An anchor inside an embed belongs to the embedded note.
                self.actions.push(PreviewAction::OpenNote {
                    target: self.note_path.clone(),
                    heading: Some(a.clone()),
                });
            }
            LinkAction::Anchor(a) => self.state.pending_scroll = Some(a.clone()),
            LinkAction::Footnote(label) if self.depth == 0 => {
                self.state.pending_scroll = Some(format!("{FOOTNOTE_ANCHOR}{label}"));
            }
            LinkAction::Footnote(_) | LinkAction::Nothing => {}
        }
    }

    fn record_anchor(&mut self, anchor: String, rect: Rect) {
        if self.depth == 0 {
            let y = (rect.top() - self.content_top - 4.0).max(0.0);
            self.state.anchors.insert(anchor, y);
        }
    }

    /// Salt for widget ids: unique per block position and embed chain.
    fn id_salt(&self, block: &Block, sub: usize) -> u64 {
        hash_of(&(&self.stack, block.range.start, block.range.end, sub))
    }
}

fn text_theme(ui: &Ui, dark: bool) -> TextTheme {
    let v = ui.visuals();
    let size = ui
        .style()
        .text_styles
        .get(&egui::TextStyle::Body)
        .map_or(14.0, |f| f.size)
        + 1.5;
    let (tag_bg, tag_fg) = if dark {
        (
            Color32::from_rgb(0x2c, 0x3a, 0x55),
            Color32::from_rgb(0xa8, 0xc8, 0xff),
        )
    } else {
        (
            Color32::from_rgb(0xe3, 0xec, 0xfb),
            Color32::from_rgb(0x2a, 0x5d, 0xb0),
        )
    };
    TextTheme {
        size,
        text: v.text_color(),
        strong: v.strong_text_color(),
        weak: v.weak_text_color(),
        link: v.hyperlink_color,
        code_bg: v.code_bg_color,
        tag_bg,
        tag_fg,
    }
}

fn theme_key(t: &TextTheme) -> u64 {
    hash_of(&(
        t.size.to_bits(),
        [
            t.text, t.strong, t.weak, t.link, t.code_bg, t.tag_bg, t.tag_fg,
        ]
        .map(|c| c.to_array()),
    ))
}

fn body(theme: &TextTheme) -> RunStyle {
    RunStyle {
        size: theme.size,
        color: theme.text,
        strong: false,
    }
}

/// Blocks in reading order, then the footnote definitions found among them.
fn render_document(ui: &mut Ui, r: &mut Render, note: &ParsedNote, blocks: &[Block]) {
    render_blocks(ui, r, note, blocks);
    let mut defs = Vec::new();
    markdown::walk_blocks(blocks, &mut |b| {
        if let BlockKind::FootnoteDef { label, blocks } = &b.kind {
            defs.push((b, label, blocks));
        }
    });
    if defs.is_empty() {
        return;
    }
    ui.add_space(r.theme.size * 0.8);
    ui.separator();
    for (block, label, inner) in defs {
        let number = note.footnotes.get(label).copied().unwrap_or(0);
        let resp = ui
            .horizontal_top(|ui| {
                let w = r.theme.size * 1.8;
                let (rect, _) =
                    ui.allocate_exact_size(Vec2::new(w, r.theme.size * 1.3), Sense::hover());
                ui.painter().text(
                    rect.right_center(),
                    Align2::RIGHT_CENTER,
                    format!("{number}."),
                    FontId::proportional(r.theme.size * 0.85),
                    r.theme.weak,
                );
                ui.push_id(r.id_salt(block, 0), |ui| {
                    ui.vertical(|ui| render_blocks(ui, r, note, inner));
                });
            })
            .response;
        r.record_anchor(format!("{FOOTNOTE_ANCHOR}{label}"), resp.rect);
    }
}

fn render_blocks(ui: &mut Ui, r: &mut Render, note: &ParsedNote, blocks: &[Block]) {
    let gap = r.theme.size * 0.45;
    let mut first = true;
    for block in blocks {
        if matches!(block.kind, BlockKind::FootnoteDef { .. }) {
            continue;
        }
        if !first {
            ui.add_space(gap);
        }
        first = false;
        let top = ui.cursor().top();
        render_block(ui, r, note, block);
        if r.depth == 0
            && !r.state.review_marks.is_empty()
            && std::ptr::eq(blocks, note.doc.blocks.as_slice())
        {
            let bottom = ui.min_rect().bottom();
            r.state.block_rows.push((block.range.clone(), top, bottom));
        }
    }
}

/// A bar left of each top-level block that holds a review comment's anchor.
fn paint_review_marks(ui: &Ui, state: &PreviewState) {
    let x = ui.max_rect().left();
    let painter = ui
        .painter()
        .with_clip_rect(ui.clip_rect().expand2(Vec2::new(6.0, 0.0)));
    for (range, top, bottom) in &state.block_rows {
        let hit = state
            .review_marks
            .iter()
            .find(|(m, _)| m.start < range.end && range.start < m.end.max(m.start + 1));
        if let Some((_, color)) = hit {
            let bar = Rect::from_min_max(egui::pos2(x - 5.0, *top), egui::pos2(x - 2.0, *bottom));
            painter.rect_filled(bar, 1.0, *color);
        }
    }
}

fn render_block(ui: &mut Ui, r: &mut Render, note: &ParsedNote, block: &Block) {
    match &block.kind {
        BlockKind::Heading {
            level,
            inlines,
            anchor,
        } => {
            const SCALE: [f32; 6] = [1.9, 1.55, 1.3, 1.15, 1.0, 0.92];
            let i = usize::from(level.clamp(&1, &6) - 1);
            ui.add_space(r.theme.size * (0.9 - i as f32 * 0.12));
            let style = RunStyle {
                size: r.theme.size * SCALE[i],
                color: if *level == 6 {
                    r.theme.weak
                } else {
                    r.theme.strong
                },
                strong: *level < 6,
            };
            let resp = text_run(ui, r, note, block, 0, inlines, style);
            if *level <= 2 {
                let y = resp.rect.bottom() + 2.0;
                ui.painter().hline(
                    resp.rect.left()..=ui.max_rect().right(),
                    y,
                    Stroke::new(1.0, ui.visuals().widgets.noninteractive.bg_stroke.color),
                );
                ui.add_space(4.0);
            }
            r.record_anchor(anchor.clone(), resp.rect);
        }
        BlockKind::Paragraph(inlines) => paragraph(ui, r, note, block, inlines),
        BlockKind::Code { lang, code } => code_block(ui, r, block, lang, lang, code),
        BlockKind::Diagram { kind, source } => {
            // One id per (note, block start) keeps pan/zoom and the last good
            // drawing attached to the block while the user edits around it.
            let id =
                egui::Id::unique(("strata-diagram", &r.note_path, block.range.start)).with(r.salt);
            let vault = r.vault;
            let from = r.note_path.clone();
            let is_note = |label: &str| {
                matches!(
                    vault.resolve(&from, label),
                    crate::vault::Resolution::Note(_)
                )
            };
            let index = r
                .state
                .diagrams
                .block_index(note.hash, &note.text, block.range.start);
            let opts = crate::ui::diagram_view::Options {
                is_note: &is_note,
                review: index
                    .filter(|_| !r.state.presenting)
                    .map(|i| (from.as_str(), i)),
                badges: &r.state.diagram_badges,
                presenting: r.state.presenting,
                // Shared by the room's and the presenter's copy of a slide.
                pin_id: Some(egui::Id::unique((
                    "strata-diagram-pin",
                    &r.note_path,
                    block.range.start,
                    source,
                ))),
            };
            let action = match kind {
                markdown::DiagramKind::Mermaid => crate::ui::diagram_view::show_mermaid_with(
                    ui,
                    &mut r.state.diagrams,
                    id,
                    source,
                    r.dark,
                    &opts,
                ),
                markdown::DiagramKind::Dot => crate::ui::diagram_view::show_dot_with(
                    ui,
                    &mut r.state.diagrams,
                    id,
                    source,
                    r.dark,
                    &opts,
                ),
            };
            match action {
                Some(crate::ui::diagram_view::DiagramAction::OpenNote(target)) => {
                    r.actions.push(PreviewAction::OpenNote {
                        target,
                        heading: None,
                    })
                }
                Some(crate::ui::diagram_view::DiagramAction::OpenUrl(url)) => {
                    r.actions.push(PreviewAction::OpenUrl(url))
                }
                Some(crate::ui::diagram_view::DiagramAction::Comment(element)) => {
                    if let Some(diagram) = index {
                        r.actions.push(PreviewAction::CommentOnDiagram {
                            note: from.clone(),
                            diagram,
                            element,
                        })
                    }
                }
                Some(crate::ui::diagram_view::DiagramAction::ShowComment(id)) => {
                    r.actions.push(PreviewAction::ShowComment(id))
                }
                None => {}
            }
        }
        BlockKind::Quote(inner) => {
            let resp = Frame::new()
                .inner_margin(Margin {
                    left: 14,
                    right: 4,
                    top: 2,
                    bottom: 2,
                })
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    render_blocks(ui, r, note, inner);
                })
                .response;
            let bar = Rect::from_min_max(
                resp.rect.left_top(),
                egui::pos2(resp.rect.left() + 3.0, resp.rect.bottom()),
            );
            ui.painter()
                .rect_filled(bar, 1.5, r.theme.link.gamma_multiply(0.7));
        }
        BlockKind::List { start, items } => list(ui, r, note, block, *start, items),
        BlockKind::Table {
            align,
            header,
            rows,
        } => table(ui, r, note, block, align, header, rows),
        BlockKind::Rule => {
            ui.add_space(r.theme.size * 0.3);
            ui.separator();
            ui.add_space(r.theme.size * 0.3);
        }
        BlockKind::FootnoteDef { .. } => {}
        BlockKind::Html(html) => {
            // Notes are untrusted: raw HTML is shown as source, never interpreted.
            ui.label(
                RichText::new(html.trim_end())
                    .monospace()
                    .color(r.theme.weak),
            );
        }
    }
}

/// A paragraph is a sequence of text runs; images and embeds split it
/// because a galley cannot hold them.
fn paragraph(ui: &mut Ui, r: &mut Render, note: &ParsedNote, block: &Block, inlines: &[Inline]) {
    let mut sub = 0;
    let mut start = 0;
    let flush = |ui: &mut Ui, r: &mut Render, run: &[Inline], sub: &mut usize| {
        let blank = run.iter().all(|i| match i {
            Inline::Text { text, .. } => text.trim().is_empty(),
            Inline::SoftBreak | Inline::HardBreak => true,
            _ => false,
        });
        if !blank {
            text_run(ui, r, note, block, *sub, run, body(&r.theme));
        }
        *sub += 1;
    };
    for (i, inline) in inlines.iter().enumerate() {
        if let Inline::Image { target, alt } = inline {
            flush(ui, r, &inlines[start..i], &mut sub);
            image_or_embed(ui, r, block, sub, target, alt);
            sub += 1;
            start = i + 1;
        }
    }
    flush(ui, r, &inlines[start..], &mut sub);
}

fn resolve_links(r: &mut Render, note: &ParsedNote, inlines: &[Inline]) -> Vec<ResolvedLink> {
    let mut refs = Vec::new();
    inline::collect_links(inlines, &mut refs);
    refs.into_iter()
        .map(|l| match l {
            LinkRef::Target(t) => {
                resolve::resolve_link(r.vault, &mut r.state.files, &r.note_path, t)
            }
            LinkRef::Footnote(label) => {
                let number = note.footnotes.get(label);
                ResolvedLink {
                    action: LinkAction::Footnote(label.to_string()),
                    exists: number.is_some(),
                    // Carries the number so a renumbering re-lays out the run.
                    hover: Some(number.map_or_else(
                        || tr!("preview.footnote_missing", label = label),
                        |n| tr!("preview.footnote", n = n),
                    )),
                }
            }
        })
        .collect()
}

/// Lay out (or fetch) one text run at the current width.
/// `at` is the block and the run's index within it.
fn layout_run(
    ui: &Ui,
    r: &mut Render,
    note: &ParsedNote,
    at: (&Block, usize),
    inlines: &[Inline],
    style: RunStyle,
    wrap_width: f32,
) -> Run {
    let (block, sub) = at;
    let resolved = resolve_links(r, note, inlines);
    let width = wrap_width.max(40.0).floor();
    let key = hash_of(&(
        note.source(block),
        sub,
        &resolved,
        width.to_bits(),
        ui.ctx().pixels_per_point().to_bits(),
        style.size.to_bits(),
        style.color.to_array(),
        style.strong,
        r.style_key,
    ));
    let frame = r.state.frame;
    let cached = match r.state.runs.get_mut(&key) {
        Some(c) => {
            c.used = frame;
            c.clone()
        }
        None => {
            let footnotes = Arc::clone(&note.footnotes);
            let number = move |label: &str| footnotes.get(label).copied();
            let (job, links) =
                inline::build_job(inlines, style, &r.theme, &resolved, &number, width);
            let c = CachedRun {
                job: Arc::new(job),
                links: Arc::new(links),
                used: frame,
            };
            r.state.runs.insert(key, c.clone());
            c
        }
    };
    Run {
        galley: layout(ui, &cached.job),
        links: cached.links,
    }
}

/// Through egui's galley cache, so an unchanged job costs a hash lookup.
fn layout(ui: &Ui, job: &Arc<LayoutJob>) -> Arc<Galley> {
    ui.ctx().fonts_mut(|f| f.layout_job(LayoutJob::clone(job)))
}

fn text_run(
    ui: &mut Ui,
    r: &mut Render,
    note: &ParsedNote,
    block: &Block,
    sub: usize,
    inlines: &[Inline],
    style: RunStyle,
) -> Response {
    let width = ui.available_width();
    let run = layout_run(ui, r, note, (block, sub), inlines, style, width);
    let salt = r.id_salt(block, sub);
    paint_run(ui, r, &run, salt)
}

/// Paint a laid-out run and make its links clickable: one invisible click
/// target per row a link covers, the first carrying the accessible name.
fn paint_run(ui: &mut Ui, r: &mut Render, run: &Run, salt: u64) -> Response {
    let resp = ui.add(egui::Label::new(run.galley.clone()).selectable(true));
    let origin = resp.rect.min.to_vec2();
    for (i, span) in run.links.iter().enumerate() {
        let rects: Vec<Rect> = inline::char_range_rects(&run.galley, span.chars.clone())
            .into_iter()
            .map(|rect| rect.translate(origin))
            .collect();
        let mut clicked = false;
        let mut hovered: Option<Response> = None;
        for (j, rect) in rects.iter().enumerate() {
            let id = ui.make_persistent_id(("strata_link", salt, i, j));
            let link = ui.interact(*rect, id, Sense::click());
            if j == 0 {
                link.widget_info(|| WidgetInfo::labeled(egui::Role::Link, true, &span.label));
            }
            clicked |= link.clicked();
            if link.hovered() {
                hovered = Some(link);
            }
        }
        let painter = ui.painter();
        for rect in &rects {
            let y = rect.bottom() - 1.0;
            if !span.link.exists {
                painter.extend(Shape::dashed_line(
                    &[egui::pos2(rect.left(), y), egui::pos2(rect.right(), y)],
                    Stroke::new(1.0, r.theme.weak),
                    3.0,
                    2.0,
                ));
            } else if hovered.is_some() {
                painter.hline(rect.x_range(), y, Stroke::new(1.0, r.theme.link));
            }
        }
        if let Some(h) = hovered {
            if span.link.action != LinkAction::Nothing {
                ui.ctx().set_cursor_icon(CursorIcon::PointingHand);
            }
            if let Some(text) = &span.link.hover {
                h.on_hover_text(text);
            }
        }
        if clicked {
            r.act(&span.link.action);
        }
    }
    resp
}

fn warning(ui: &mut Ui, text: String) {
    let color = ui.visuals().warn_fg_color;
    ui.label(RichText::new(text).color(color).italics());
}

fn image_or_embed(
    ui: &mut Ui,
    r: &mut Render,
    block: &Block,
    sub: usize,
    target: &LinkTarget,
    alt: &str,
) {
    let salt = r.id_salt(block, sub);
    match target {
        LinkTarget::Wiki { note, heading } if !resolve::is_image_name(note) => {
            embed_note(ui, r, salt, note, heading.as_deref());
        }
        LinkTarget::Url(url) => {
            // Remote images are not fetched: notes are untrusted and the
            // app works offline; the link still opens in a browser.
            let label = if alt.is_empty() { url.as_str() } else { alt };
            if ui
                .link(tr!("preview.image_remote", label = label))
                .on_hover_text(url)
                .clicked()
            {
                r.actions.push(PreviewAction::OpenUrl(url.clone()));
            }
        }
        _ => {
            let name = match target {
                LinkTarget::Wiki { note, .. } => note.as_str(),
                LinkTarget::Relative(p) | LinkTarget::Anchor(p) | LinkTarget::Url(p) => p.as_str(),
            };
            let shown = if alt.is_empty() { name } else { alt };
            let Some(path) = resolve::image_path(r.vault, &mut r.state.files, &r.note_path, target)
            else {
                warning(ui, tr!("preview.image_missing", name = shown));
                return;
            };
            if !r.state.files.is_file(&path) {
                warning(ui, tr!("preview.image_missing", name = shown));
                return;
            }
            if !resolve::is_loadable_image(name) {
                warning(ui, tr!("preview.image_unsupported", name = shown));
                return;
            }
            let image = egui::Image::new(resolve::file_uri(&path))
                .fit_to_original_size(1.0)
                .max_width(ui.available_width())
                .alt_text(shown);
            match image.load_for_size(ui.ctx(), ui.available_size()) {
                Ok(_) => {
                    ui.add(image);
                }
                Err(e) => warning(ui, tr!("preview.image_failed", name = shown, error = e)),
            }
        }
    }
}

/// `![[Note]]` / `![[Note#Heading]]`: the note's text in a bounded frame.
fn embed_note(ui: &mut Ui, r: &mut Render, salt: u64, name: &str, heading: Option<&str>) {
    let path = match r.vault.resolve(&r.note_path, name) {
        Resolution::Note(p) => Some(p),
        Resolution::Ambiguous(ps) => ps.into_iter().next(),
        Resolution::Missing => None,
    };
    let frame = Frame::group(ui.style()).fill(ui.visuals().faint_bg_color);
    frame.show(ui, |ui| {
        ui.set_width(ui.available_width());
        let title = match heading {
            Some(h) => format!("{name} > {h}"),
            None => name.to_string(),
        };
        let Some(path) = path else {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(tr!("preview.embed_not_found", title = title))
                        .color(r.theme.weak),
                );
                if ui.link(tr!("preview.create_note", name = name)).clicked() {
                    r.actions.push(PreviewAction::CreateNote(name.to_string()));
                }
            });
            return;
        };
        if ui.link(&title).on_hover_text(&path).clicked() {
            r.actions.push(PreviewAction::OpenNote {
                target: path.clone(),
                heading: heading.map(str::to_string),
            });
        }
        if r.stack.contains(&path) {
            ui.label(RichText::new(tr("preview.embed_self")).color(r.theme.weak));
            return;
        }
        if r.depth >= MAX_EMBED_DEPTH {
            ui.label(RichText::new(tr("preview.embed_too_deep")).color(r.theme.weak));
            return;
        }
        let Some(text) = r.vault.text(&path) else {
            ui.label(RichText::new(tr("preview.embed_unreadable")).color(r.theme.weak));
            return;
        };
        let embedded = r.state.parse_embed(&path, text);
        let blocks = match heading {
            Some(h) => markdown::section(&embedded.doc.blocks, h),
            None => &embedded.doc.blocks[..],
        };
        if blocks.is_empty() {
            ui.label(RichText::new(tr("preview.embed_no_heading")).color(r.theme.weak));
            return;
        }
        ui.add_space(2.0);
        ScrollArea::vertical()
            .id_salt(("strata_embed", salt))
            .max_height(EMBED_MAX_HEIGHT)
            // Inside the page's own scroll area the available height is
            // unbounded, and without this the embed collapses to 64 px.
            .min_scrolled_height(EMBED_MAX_HEIGHT)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                let outer = std::mem::replace(&mut r.note_path, path.clone());
                r.depth += 1;
                r.stack.push(path);
                ui.push_id(salt, |ui| render_document(ui, r, &embedded, blocks));
                r.stack.pop();
                r.depth -= 1;
                r.note_path = outer;
            });
    });
}

fn code_block(ui: &mut Ui, r: &mut Render, block: &Block, label: &str, lang: &str, code: &str) {
    let theme = if r.dark { Theme::Dark } else { Theme::Light };
    let size = r.theme.size * 0.9;
    let key = hash_of(&(
        code,
        lang,
        theme,
        size.to_bits(),
        ui.ctx().pixels_per_point().to_bits(),
    ));
    let frame_no = r.state.frame;
    let cached = match r.state.code.get_mut(&key) {
        Some(c) => {
            c.used = frame_no;
            c.clone()
        }
        None => {
            let hl = r.state.highlight.get(code, lang, theme);
            let job = code_job(code, &hl, size);
            let c = CachedCode {
                job: Arc::new(job),
                background: rgba(hl.background),
                foreground: rgba(hl.foreground),
                used: frame_no,
            };
            r.state.code.insert(key, c.clone());
            c
        }
    };
    let salt = r.id_salt(block, 0);
    Frame::new()
        .fill(cached.background)
        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
        .corner_radius(6)
        .inner_margin(Margin::symmetric(10, 6))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let shown = if label.is_empty() {
                    tr("preview.code_plain")
                } else {
                    label
                };
                ui.label(
                    RichText::new(shown)
                        .small()
                        .color(cached.foreground.gamma_multiply(0.6)),
                );
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    if ui
                        .small_button(tr("preview.code_copy"))
                        .on_hover_text(tr("preview.code_copy_hover"))
                        .clicked()
                    {
                        ui.ctx().copy_text(code.to_string());
                    }
                    if is_go(lang)
                        && ui
                            .small_button(tr("preview.code_run"))
                            .on_hover_text(tr("preview.code_run_hover"))
                            .clicked()
                    {
                        r.actions.push(PreviewAction::RunSimulator {
                            code: code.to_string(),
                            note: r.note_path.clone(),
                            line: block.line,
                        });
                    }
                });
            });
            ScrollArea::horizontal()
                .id_salt(("strata_code", salt))
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    let galley = layout(ui, &cached.job);
                    ui.add(egui::Label::new(galley).selectable(true));
                });
        });
}

/// A fence info string naming Go (`go`, `golang`, `Go title=x`).
fn is_go(lang: &str) -> bool {
    let first = lang.split_whitespace().next().unwrap_or("");
    first.eq_ignore_ascii_case("go") || first.eq_ignore_ascii_case("golang")
}

fn rgba(c: [u8; 4]) -> Color32 {
    Color32::from_rgba_unmultiplied(c[0], c[1], c[2], c[3])
}

/// Highlighted spans -> a non-wrapping monospace job. Gaps (there should be
/// none) fall back to the theme's foreground so no code is ever dropped.
fn code_job(code: &str, hl: &crate::highlight::Highlighted, size: f32) -> LayoutJob {
    let code = code.strip_suffix('\n').unwrap_or(code);
    let font = FontId::new(size, FontFamily::Monospace);
    let plain = TextFormat::simple(font.clone(), rgba(hl.foreground));
    let mut job = LayoutJob::default();
    let mut at = 0;
    for span in &hl.spans {
        let start = span.range.start.max(at).min(code.len());
        let end = span.range.end.min(code.len());
        if start > at {
            if let Some(gap) = code.get(at..start) {
                job.append(gap, 0.0, plain.clone());
            }
        }
        if end > start {
            if let Some(text) = code.get(start..end) {
                let color = rgba(span.color);
                let mut f = TextFormat::simple(font.clone(), color);
                f.italics = span.italic;
                if span.underline {
                    f.underline = Stroke::new(1.0, color);
                }
                job.append(text, 0.0, f);
                at = end;
            }
        }
    }
    if at < code.len() {
        if let Some(rest) = code.get(at..) {
            job.append(rest, 0.0, plain);
        }
    }
    if job.text.is_empty() {
        // A galley needs a row; an empty block still shows as one line.
        job.append(" ", 0.0, TextFormat::simple(font, rgba(hl.foreground)));
    }
    job.wrap.max_width = f32::INFINITY;
    job
}

fn list(
    ui: &mut Ui,
    r: &mut Render,
    note: &ParsedNote,
    block: &Block,
    start: Option<u64>,
    items: &[ListItem],
) {
    let marker_w = match start {
        Some(s) => {
            let digits = (s + items.len() as u64).to_string().len() as f32;
            r.theme.size * (0.6 * digits + 0.6)
        }
        None => r.theme.size * 1.1,
    };
    let row_h = r.theme.size * 1.3;
    r.list_depth += 1;
    for (i, item) in items.iter().enumerate() {
        ui.push_id((r.id_salt(block, i), "item"), |ui| {
            ui.horizontal_top(|ui| {
                ui.spacing_mut().item_spacing.x = 4.0;
                if let Some(done) = item.task {
                    let mut checked = done;
                    let label = item_label(item);
                    // Disabled widgets fade to half; a task's state must stay legible.
                    ui.visuals_mut().disabled_alpha = 0.9;
                    let resp = ui.add_enabled(false, egui::Checkbox::without_text(&mut checked));
                    // Read-only: the source is edited in the editor, not here.
                    resp.widget_info(|| {
                        WidgetInfo::selected(egui::Role::CheckBox, false, done, &label)
                    });
                } else {
                    let (rect, _) =
                        ui.allocate_exact_size(Vec2::new(marker_w, row_h), Sense::hover());
                    match start {
                        Some(s) => {
                            ui.painter().text(
                                rect.right_center(),
                                Align2::RIGHT_CENTER,
                                format!("{}.", s + i as u64),
                                FontId::proportional(r.theme.size),
                                r.theme.text,
                            );
                        }
                        None => bullet(ui, rect, r.list_depth, r.theme.text),
                    }
                }
                ui.vertical(|ui| render_blocks(ui, r, note, &item.blocks));
            });
        });
    }
    r.list_depth -= 1;
}

/// Filled dot, ring, then square, cycling with nesting; painted, not typed,
/// so no font needs the bullet glyphs.
fn bullet(ui: &Ui, rect: Rect, depth: usize, color: Color32) {
    let c = egui::pos2(rect.center().x, rect.center().y);
    // Slides draw text larger; the dot grows with the row it marks.
    let radius = (rect.height() * 0.13).max(2.6);
    match (depth.max(1) - 1) % 3 {
        0 => {
            ui.painter().circle_filled(c, radius, color);
        }
        1 => {
            ui.painter()
                .circle_stroke(c, radius, Stroke::new(1.0, color));
        }
        _ => {
            let sq = Rect::from_center_size(c, Vec2::splat(radius * 1.8));
            ui.painter().rect_filled(sq, 0.0, color);
        }
    }
}

/// Accessible name of a task item: its first paragraph's text.
fn item_label(item: &ListItem) -> String {
    item.blocks
        .iter()
        .find_map(|b| match &b.kind {
            BlockKind::Paragraph(inlines) => Some(markdown::plain_text(inlines)),
            _ => None,
        })
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| tr("preview.task").to_string())
}

fn table(
    ui: &mut Ui,
    r: &mut Render,
    note: &ParsedNote,
    block: &Block,
    align: &[markdown::Align],
    header: &[Vec<Inline>],
    rows: &[Vec<Vec<Inline>>],
) {
    let cols = header
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    if cols == 0 {
        return;
    }
    let spacing = Vec2::new(16.0, 6.0);
    let wrap = ((ui.available_width() - spacing.x * (cols as f32 - 1.0)) / cols as f32).max(80.0);
    // Lay out every cell first: column widths (for alignment) need them all.
    let mut laid: Vec<Vec<Option<Run>>> = Vec::with_capacity(rows.len() + 1);
    let header_style = RunStyle {
        strong: true,
        ..body(&r.theme)
    };
    for (ri, row) in std::iter::once(header)
        .chain(rows.iter().map(Vec::as_slice))
        .enumerate()
    {
        let style = if ri == 0 {
            header_style
        } else {
            body(&r.theme)
        };
        let cells = (0..cols)
            .map(|c| {
                let inlines = row.get(c)?;
                let sub = ri * cols + c;
                Some(layout_run(ui, r, note, (block, sub), inlines, style, wrap))
            })
            .collect();
        laid.push(cells);
    }
    let mut widths = vec![0.0f32; cols];
    let mut heights = vec![0.0f32; laid.len()];
    for (ri, row) in laid.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if let Some(run) = cell {
                widths[c] = widths[c].max(run.galley.size().x);
                heights[ri] = heights[ri].max(run.galley.size().y);
            }
        }
    }
    let salt = r.id_salt(block, 0);
    ScrollArea::horizontal()
        .id_salt(("strata_table", salt))
        .auto_shrink([false, true])
        .show(ui, |ui| {
            egui::Grid::new(("strata_table_grid", salt))
                .striped(true)
                .spacing(spacing)
                .show(ui, |ui| {
                    for (ri, row) in laid.iter().enumerate() {
                        for (c, cell) in row.iter().enumerate() {
                            let Some(run) = cell else {
                                ui.label("");
                                continue;
                            };
                            let slack = (widths[c] - run.galley.size().x).max(0.0);
                            let pad = match align.get(c) {
                                Some(markdown::Align::Right) => slack,
                                Some(markdown::Align::Center) => slack / 2.0,
                                _ => 0.0,
                            };
                            ui.horizontal_top(|ui| {
                                // Equal heights keep Grid's centring from
                                // pushing short cells below the row's top.
                                ui.set_min_height(heights[ri]);
                                ui.spacing_mut().item_spacing.x = 0.0;
                                ui.add_space(pad);
                                paint_run(ui, r, run, hash_of(&(salt, ri, c)));
                                ui.add_space(slack - pad);
                            });
                        }
                        ui.end_row();
                    }
                });
        });
}

fn properties_box(ui: &mut Ui, props: &[(String, String)], theme: &TextTheme) {
    Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            egui::Grid::new("strata_properties")
                .spacing(Vec2::new(12.0, 4.0))
                .show(ui, |ui| {
                    for (key, value) in props {
                        ui.label(RichText::new(key).color(theme.weak));
                        ui.label(value);
                        ui.end_row();
                    }
                });
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(md: &str) -> Vec<Block> {
        markdown::parse(md).blocks
    }

    fn heading_texts(bs: &[Block]) -> Vec<String> {
        bs.iter()
            .filter_map(|b| match &b.kind {
                BlockKind::Heading { inlines, .. } => Some(markdown::plain_text(inlines)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn section_stops_at_same_or_higher_heading() {
        let bs = blocks("# A\ntext\n## B\nb1\n### C\nc1\n## D\nd1\n# E\n");
        let s = markdown::section(&bs, "B");
        assert_eq!(heading_texts(s), vec!["B", "C"]);
        assert_eq!(s.len(), 4);
        assert_eq!(
            heading_texts(markdown::section(&bs, "a")),
            vec!["A", "B", "C", "D"]
        );
        assert_eq!(heading_texts(markdown::section(&bs, "E")), vec!["E"]);
        assert!(markdown::section(&bs, "nope").is_empty());
    }

    #[test]
    fn footnotes_numbered_in_definition_order() {
        let n = ParsedNote::new("x[^b] y[^a]\n\n[^a]: first\n\n[^b]: second\n", 1);
        assert_eq!(n.footnotes.get("a"), Some(&1));
        assert_eq!(n.footnotes.get("b"), Some(&2));
    }

    #[test]
    fn front_matter_becomes_properties() {
        let n = ParsedNote::new("---\ntitle: Chans\ntags: [go]\n---\n# H\n", 1);
        assert_eq!(
            n.properties.as_slice(),
            &[
                ("title".to_string(), "Chans".to_string()),
                ("tags".to_string(), "go".to_string())
            ]
        );
    }

    #[test]
    fn code_job_covers_all_code_without_trailing_newline() {
        let hl = crate::highlight::Highlighted {
            background: [0, 0, 0, 255],
            foreground: [1, 2, 3, 255],
            spans: vec![crate::highlight::StyledSpan {
                range: 0..4,
                color: [9, 9, 9, 255],
                bold: true,
                italic: true,
                underline: false,
            }],
            syntax: "Go".into(),
        };
        let job = code_job("func main() {}\n", &hl, 12.0);
        assert_eq!(job.text, "func main() {}");
        assert_eq!(job.sections.len(), 2);
        assert!(job.sections[0].format.italics);
        assert_eq!(job.sections[1].format.color, Color32::from_rgb(1, 2, 3));
        // Spans past the end (from a stale highlight) are clipped, not a panic.
        let bad = crate::highlight::Highlighted {
            spans: vec![crate::highlight::StyledSpan {
                range: 2..99,
                color: [9, 9, 9, 255],
                bold: false,
                italic: false,
                underline: true,
            }],
            ..hl
        };
        assert_eq!(code_job("abc", &bad, 12.0).text, "abc");
        assert_eq!(code_job("", &bad, 12.0).text, " ");
    }

    #[test]
    fn scroll_request_accepts_text_or_anchor() {
        let mut s = PreviewState::new();
        s.anchors.insert("select-with-timeout".into(), 120.0);
        assert_eq!(s.anchor_y("select-with-timeout"), Some(120.0));
        assert_eq!(s.anchor_y("Select with timeout"), Some(120.0));
        assert_eq!(s.anchor_y("missing"), None);
        s.scroll_to_heading("X");
        assert_eq!(s.pending_scroll.as_deref(), Some("X"));
    }
}

#[cfg(test)]
mod frame_tests {
    use super::*;

    /// Runs `frames` frames of the preview and returns the state afterwards.
    fn run_frames(state: &mut PreviewState, vault: &Vault, text: &str, frames: usize) {
        let ctx = egui::Context::default();
        for _ in 0..frames {
            let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
                let cx = PreviewContext {
                    vault,
                    note_path: "Main.md",
                    dark: true,
                };
                let actions = show(ui, state, text, &cx);
                assert!(actions.is_empty());
            });
            out.textures_delta.clear();
        }
    }

    #[test]
    fn steady_frames_reuse_every_cache() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("Main.md"), "x").expect("write");
        let vault = Vault::open(dir.path()).expect("vault");
        let text = "# T\n\nSome [[Main]] text.\n\n```go\nfunc f() {}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        let mut state = PreviewState::new();
        run_frames(&mut state, &vault, text, 3);
        let doc = state.note.as_ref().map(|n| Arc::as_ptr(&n.doc));
        let (runs, code, highlighted) = (state.runs.len(), state.code.len(), state.highlight.len());
        assert_eq!((code, highlighted), (1, 1));
        run_frames(&mut state, &vault, text, 5);
        assert_eq!(
            state.note.as_ref().map(|n| Arc::as_ptr(&n.doc)),
            doc,
            "parsed once"
        );
        assert_eq!(state.runs.len(), runs, "no new layouts on steady frames");
        assert_eq!((state.code.len(), state.highlight.len()), (1, 1));
        // An edit re-parses; unchanged blocks keep their layouts.
        run_frames(&mut state, &vault, &format!("{text}\nMore.\n"), 1);
        assert_ne!(state.note.as_ref().map(|n| Arc::as_ptr(&n.doc)), doc);
        assert_eq!(state.runs.len(), runs + 1);
        assert_eq!(state.highlight.len(), 1);
    }
}
