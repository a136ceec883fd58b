//! Flowcharts (Mermaid) and DOT graphs drawn live with egui shapes.
//!
//! Parsing and layout run once per edit: results are cached by a hash of
//! (source, theme) and only painted per frame. Each block keeps its zoom and
//! pan in egui's temporary data under the caller's id, and its last good
//! drawing so a typo shows the error above a greyed copy instead of making
//! the diagram vanish while the user types.

#[path = "diagram_view/dot_paint.rs"]
mod dot_paint;
#[path = "diagram_view/geom.rs"]
mod geom;
#[path = "diagram_view/scene.rs"]
mod scene;

use crate::diagram::dot::{self, DotDrawing, DotItem};
use crate::diagram::{self as core, DiagramError};
use crate::i18n::tr;
use crate::review::anchor;
use egui::{pos2, vec2, Color32, CursorIcon, Id, Pos2, Rect, Sense, Ui, Vec2};
use scene::{Focus, Scene, View};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// What the user asked for by clicking a diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiagramAction {
    /// A node's `click` target that is not a web link, or its label when
    /// that names a note.
    OpenNote(String),
    /// A node's `click` web or mail link.
    OpenUrl(String),
    /// "Comment on node…" or "Comment on edge…" from the context menu: the
    /// node id, or `from->to` for an edge.
    Comment(String),
    /// A review badge was clicked: the id of the comment it shows.
    ShowComment(String),
}

/// A review-comment badge on one node or edge of one diagram block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    /// Vault path of the note holding the diagram.
    pub note: String,
    /// 0-based position among the note's diagram blocks.
    pub diagram: usize,
    /// Node id, or `from->to` for an edge.
    pub element: String,
    /// Open comments on the element.
    pub count: usize,
    /// The first of them (author and text), shown when the badge is hovered.
    pub first: String,
    /// Its id: clicking the badge selects that thread.
    pub id: String,
}

/// How a diagram block takes part in the rest of the window.
pub struct Options<'a> {
    /// Whether a node label names a note in the vault.
    pub is_note: &'a dyn Fn(&str) -> bool,
    /// The note and 0-based diagram index of this block when its nodes and
    /// edges can take review comments (context menu and badges).
    pub review: Option<(&'a str, usize)>,
    /// Badges to draw; only those of this note and diagram are shown.
    pub badges: &'a [Badge],
    /// Presentation mode: a click pins the highlight of a node, its edges
    /// and neighbours for the room until the background or another node is
    /// clicked, instead of following the node's target; Ctrl (Cmd on
    /// macOS) + click still follows it.
    pub presenting: bool,
    /// Where the pinned node is kept: copies of one slide (the room's and
    /// the presenter's) pass the same id so a pin shows on both. `None`
    /// keeps it with the block's own id.
    pub pin_id: Option<Id>,
}

/// How close (screen px) the pointer must come to an edge's route to pick it.
const EDGE_PICK_PX: f32 = 6.0;
/// Radius of a review badge, in screen px (it does not zoom with the chart).
const BADGE_RADIUS: f32 = 9.0;

/// Tallest a diagram is drawn at its fitted size; taller ones are scaled
/// down to fit and can be zoomed.
pub const MAX_HEIGHT: f32 = 560.0;
const MIN_ZOOM: f32 = 0.25;
const MAX_ZOOM: f32 = 8.0;
const ZOOM_STEP: f32 = 1.25;
/// Distinct (source, theme) results kept; older ones are dropped first.
const CACHE_LIMIT: usize = 96;

#[derive(Clone)]
enum Drawing {
    Mermaid(Arc<Scene>),
    Dot(Arc<DotScene>, bool),
}

/// A DOT drawing with its edge routes as points, ready for picking.
struct DotScene {
    drawing: DotDrawing,
    /// `drawing.edges[j].points` in egui's type.
    paths: Vec<Vec<Pos2>>,
    /// Indices in `drawing.nodes` of each edge's ends, looked up once
    /// rather than per frame.
    ends: Vec<(Option<usize>, Option<usize>)>,
    /// Which node or edge each of `drawing.items` belongs to, for dimming.
    parts: Vec<dot_paint::Part>,
}

impl DotScene {
    fn new(drawing: DotDrawing) -> DotScene {
        let paths = drawing
            .edges
            .iter()
            .map(|e| e.points.iter().map(|p| pos2(p.0, p.1)).collect())
            .collect();
        let index = |id: &str| drawing.nodes.iter().position(|n| n.id == id);
        let ends = drawing
            .edges
            .iter()
            .map(|e| (index(&e.from), index(&e.to)))
            .collect();
        DotScene {
            parts: dot_paint::owners(&drawing),
            drawing,
            paths,
            ends,
        }
    }
}

impl Drawing {
    fn size(&self) -> Vec2 {
        match self {
            Drawing::Mermaid(s) => s.size,
            Drawing::Dot(d, _) => vec2(d.drawing.width, d.drawing.height),
        }
    }

    fn background(&self) -> Color32 {
        match self {
            Drawing::Mermaid(s) => s.background,
            Drawing::Dot(_, dark) => dot_paint::background(*dark),
        }
    }
}

struct Entry {
    result: Result<Drawing, String>,
    last_used: u64,
}

/// Parsed and laid-out diagrams, keyed by a hash of (kind, source, dark),
/// plus the last good drawing of every block id.
#[derive(Default)]
pub struct DiagramCache {
    entries: HashMap<u64, Entry>,
    last_good: HashMap<Id, Drawing>,
    tick: u64,
    /// Start offsets of the diagram fences of the last few note texts,
    /// keyed by the text's hash (see [`DiagramCache::block_index`]).
    fences: Vec<(u64, Arc<Vec<std::ops::Range<usize>>>)>,
}

impl DiagramCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of cached results (for tests and diagnostics).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// 0-based position, among the diagram blocks of `text`, of the block
    /// starting at byte `start`: the number review comments use. `hash`
    /// identifies `text`, so the fences are found once per edit rather than
    /// per frame. `None` when the block is not a fence review anchors know
    /// (one inside a block quote, say).
    pub fn block_index(&mut self, hash: u64, text: &str, start: usize) -> Option<usize> {
        let ranges = match self.fences.iter().find(|(h, _)| *h == hash) {
            Some((_, r)) => r.clone(),
            None => {
                let r: Arc<Vec<_>> = Arc::new(
                    crate::review::anchor::diagram_blocks(text)
                        .into_iter()
                        .map(|b| b.range)
                        .collect(),
                );
                // The note and a few embeds are on screen at once.
                if self.fences.len() >= 8 {
                    self.fences.remove(0);
                }
                self.fences.push((hash, r.clone()));
                r
            }
        };
        ranges.iter().position(|r| r.contains(&start))
    }

    fn get(
        &mut self,
        kind: u8,
        id: Id,
        source: &str,
        dark: bool,
        compute: impl FnOnce(Option<&Drawing>) -> Result<Drawing, String>,
    ) -> Result<Drawing, String> {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (kind, source, dark).hash(&mut h);
        let key = h.finish();
        self.tick += 1;
        let tick = self.tick;
        if !self.entries.contains_key(&key) {
            let result = compute(self.last_good.get(&id));
            if self.entries.len() >= CACHE_LIMIT {
                if let Some(oldest) = self
                    .entries
                    .iter()
                    .min_by_key(|(_, e)| e.last_used)
                    .map(|(k, _)| *k)
                {
                    self.entries.remove(&oldest);
                }
            }
            self.entries.insert(
                key,
                Entry {
                    result,
                    last_used: tick,
                },
            );
        }
        let entry = self
            .entries
            .get_mut(&key)
            .map(|e| {
                e.last_used = tick;
                e.result.clone()
            })
            .unwrap_or_else(|| Err("diagram cache lost its entry".to_string()));
        if let Ok(d) = &entry {
            // Block ids come and go as notes are opened; forgetting them all
            // now and then bounds memory, and only costs the greyed copy.
            if self.last_good.len() >= 4 * CACHE_LIMIT && !self.last_good.contains_key(&id) {
                self.last_good.clear();
            }
            self.last_good.insert(id, d.clone());
        }
        entry
    }
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "internal error".to_string())
}

/// Parse + layout + scene, never panicking into the UI. `previous` seeds
/// the layout's node order so small edits keep the picture stable.
fn compute_mermaid(
    source: &str,
    dark: bool,
    previous: Option<&Drawing>,
) -> Result<Drawing, String> {
    let hint = match previous {
        Some(Drawing::Mermaid(s)) => Some(s.order_hint.clone()),
        _ => None,
    };
    let run = || -> Result<Scene, String> {
        let (chart, _warnings) =
            core::parse::parse(source).map_err(|e| DiagramError::from(e).render(source))?;
        let layout = if chart.nodes.is_empty() && chart.subgraphs.is_empty() {
            core::layout::Layout::default()
        } else {
            let mut input = core::prepare(&chart);
            if let Some(h) = hint.filter(|h| h.len() == input.nodes.len()) {
                input.options.previous_order = Some(h);
            }
            core::layout::layout(&input).map_err(|e| DiagramError::from(e).render(source))?
        };
        Ok(scene::build(&chart, &layout, dark))
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(r) => r.map(|s| Drawing::Mermaid(Arc::new(s))),
        Err(p) => Err(format!(
            "1:1: the diagram engine failed on this diagram ({})",
            panic_message(p.as_ref())
        )),
    }
}

fn compute_dot(source: &str, dark: bool) -> Result<Drawing, String> {
    let mut d = dot::render_drawing(source).map_err(|e| e.to_string())?;
    // A comment on an element its anchor cannot find again (a quoted id,
    // say) would be outdated the moment it is saved, so such elements are
    // not offered.
    d.nodes.retain(|n| anchor::diagram_has(source, &n.id, true));
    d.edges
        .retain(|e| anchor::diagram_has(source, &e.element, true));
    Ok(Drawing::Dot(Arc::new(DotScene::new(d)), dark))
}

/// Zoom and pan of one block; zoom 1 with [`geom::start_pan`] is "fit".
#[derive(Clone, Copy, Debug, PartialEq)]
struct ViewState {
    zoom: f32,
    pan: Vec2,
}

/// Draws a Mermaid flowchart; returns what a click on a node asks for.
/// `is_note` says whether a node label names a note in the vault.
pub fn show_mermaid(
    ui: &mut Ui,
    cache: &mut DiagramCache,
    id: Id,
    source: &str,
    dark: bool,
    is_note: &dyn Fn(&str) -> bool,
) -> Option<DiagramAction> {
    let opts = Options {
        is_note,
        review: None,
        badges: &[],
        presenting: false,
        pin_id: None,
    };
    show_mermaid_with(ui, cache, id, source, dark, &opts)
}

/// [`show_mermaid`] with review comments and presentation behaviour.
pub fn show_mermaid_with(
    ui: &mut Ui,
    cache: &mut DiagramCache,
    id: Id,
    source: &str,
    dark: bool,
    opts: &Options,
) -> Option<DiagramAction> {
    let result = cache.get(0, id, source, dark, |prev| {
        compute_mermaid(source, dark, prev)
    });
    show(ui, cache, id, result, opts)
}

/// Draws a Graphviz DOT graph (laid out by layout-rs, size-guarded).
pub fn show_dot(
    ui: &mut Ui,
    cache: &mut DiagramCache,
    id: Id,
    source: &str,
    dark: bool,
) -> Option<DiagramAction> {
    let opts = Options {
        is_note: &|_| false,
        review: None,
        badges: &[],
        presenting: false,
        pin_id: None,
    };
    show_dot_with(ui, cache, id, source, dark, &opts)
}

/// [`show_dot`] with note links, review comments and presentation pins,
/// all as on a flowchart, on the nodes and edges the drawing could be tied
/// back to the source. DOT has no `click` statement: a node opens the note
/// its label (or id) names.
pub fn show_dot_with(
    ui: &mut Ui,
    cache: &mut DiagramCache,
    id: Id,
    source: &str,
    dark: bool,
    opts: &Options,
) -> Option<DiagramAction> {
    let result = cache.get(1, id, source, dark, |_| compute_dot(source, dark));
    show(ui, cache, id, result, opts)
}

fn show(
    ui: &mut Ui,
    cache: &DiagramCache,
    id: Id,
    result: Result<Drawing, String>,
    opts: &Options,
) -> Option<DiagramAction> {
    match result {
        Ok(d) => frame(ui, id, &d, true, opts),
        Err(msg) => {
            ui.vertical(|ui| {
                // Unwrapped, so the caret stays under the column it marks;
                // long lines scroll sideways instead of widening the panel.
                egui::ScrollArea::horizontal()
                    .id_salt(id.with("error"))
                    .show(ui, |ui| {
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(msg)
                                    .monospace()
                                    .color(ui.visuals().error_fg_color),
                            )
                            .wrap_mode(egui::TextWrapMode::Extend),
                        );
                    });
                if let Some(good) = cache.last_good.get(&id) {
                    frame(ui, id, good, false, opts);
                }
            });
            None
        }
    }
}

/// The framed canvas with its zoom controls; `live` is false for the greyed
/// last good drawing shown under an error, which does not react to clicks.
fn frame(
    ui: &mut Ui,
    id: Id,
    drawing: &Drawing,
    live: bool,
    opts: &Options,
) -> Option<DiagramAction> {
    let mut action = None;
    egui::Frame::group(ui.style())
        .fill(if live {
            drawing.background()
        } else {
            ui.visuals().faint_bg_color
        })
        .inner_margin(4.0)
        .show(ui, |ui| {
            action = canvas(ui, id, drawing, live, opts);
        });
    action
}

fn canvas(
    ui: &mut Ui,
    id: Id,
    drawing: &Drawing,
    live: bool,
    opts: &Options,
) -> Option<DiagramAction> {
    let size = drawing.size();
    let avail_w = ui.available_width().max(40.0);
    let fit = geom::fit_scale(size, avail_w, MAX_HEIGHT);
    let home = ViewState {
        zoom: 1.0,
        pan: geom::start_pan(size, fit, avail_w),
    };
    let mut st: ViewState = ui.data(|d| d.get_temp(id)).unwrap_or(home);

    // Controls, right-aligned above the drawing; the greyed copy under an
    // error is a static reminder and gets none.
    if live {
        ui.horizontal(|ui| {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .small_button(tr("diagram.fit"))
                    .on_hover_text(tr("diagram.fit_hover"))
                    .clicked()
                {
                    st = home;
                }
                if ui
                    .small_button("+")
                    .on_hover_text(tr("diagram.zoom_in_hover"))
                    .clicked()
                {
                    let new = (st.zoom * ZOOM_STEP).min(MAX_ZOOM);
                    st.pan = geom::zoom_pan(st.pan, st.zoom, new, Vec2::ZERO);
                    st.zoom = new;
                }
                if ui
                    .small_button("-")
                    .on_hover_text(tr("diagram.zoom_out_hover"))
                    .clicked()
                {
                    let new = (st.zoom / ZOOM_STEP).max(MIN_ZOOM);
                    st.pan = geom::zoom_pan(st.pan, st.zoom, new, Vec2::ZERO);
                    st.zoom = new;
                }
                ui.weak(format!("{:.0}%", fit * st.zoom * 100.0));
            });
        });
    }

    let height = (size.y * fit).clamp(24.0, MAX_HEIGHT);
    let (rect, resp) = ui.allocate_exact_size(vec2(avail_w, height), Sense::click_and_drag());
    let name = match drawing {
        Drawing::Mermaid(s) => s.name.clone(),
        Drawing::Dot(..) => tr("diagram.graph").to_string(),
    };
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &name));

    if live {
        if resp.dragged() {
            st.pan += resp.drag_delta();
            ui.ctx().set_cursor_icon(CursorIcon::Grabbing);
        }
        if resp.double_clicked() {
            st = home;
        }
        if ui.rect_contains_pointer(rect) {
            let zoom = ui.input(|i| i.zoom_delta());
            if (zoom - 1.0).abs() > f32::EPSILON {
                let new = (st.zoom * zoom).clamp(MIN_ZOOM, MAX_ZOOM);
                let anchor = ui
                    .input(|i| i.pointer.hover_pos())
                    .map_or(Vec2::ZERO, |p| p - rect.center());
                st.pan = geom::zoom_pan(st.pan, st.zoom, new, anchor);
                st.zoom = new;
            }
        }
        ui.data_mut(|d| d.insert_temp(id, st));
    }

    let scale = fit * st.zoom;
    let view = View {
        origin: rect.center() - size * scale / 2.0 + st.pan,
        scale,
        grey: !live,
    };
    let painter = ui.painter_at(rect);
    let canvas = Canvas {
        id,
        rect,
        resp: &resp,
        live,
    };
    let action = match drawing {
        Drawing::Mermaid(scene) => mermaid_canvas(ui, &canvas, scene, &view, &painter, opts),
        Drawing::Dot(d, dark) => dot_canvas(ui, &canvas, d, *dark, &view, &painter, opts),
    };
    if live {
        let (left, right) = (view.origin.x, view.origin.x + size.x * scale);
        fade_cut_sides(
            &painter,
            rect,
            drawing.background(),
            left < rect.left() - 1.0,
            right > rect.right() + 1.0,
        );
    }
    action
}

/// Fades a chart out towards a side where it runs on past the panel, so a
/// cut-off drawing reads as "more this way" (drag to see it), not as ended.
fn fade_cut_sides(painter: &egui::Painter, rect: Rect, bg: Color32, left: bool, right: bool) {
    const WIDTH: f32 = 28.0;
    let clear = Color32::TRANSPARENT;
    for (cut, outer_x, inner_x) in [
        (left, rect.left(), rect.left() + WIDTH),
        (right, rect.right(), rect.right() - WIDTH),
    ] {
        if !cut {
            continue;
        }
        let mut mesh = egui::Mesh::default();
        let (y0, y1) = (rect.top(), rect.bottom());
        mesh.colored_vertex(pos2(outer_x, y0), bg);
        mesh.colored_vertex(pos2(outer_x, y1), bg);
        mesh.colored_vertex(pos2(inner_x, y0), clear);
        mesh.colored_vertex(pos2(inner_x, y1), clear);
        mesh.add_triangle(0, 1, 2);
        mesh.add_triangle(1, 2, 3);
        painter.add(egui::Shape::mesh(mesh));
    }
}

/// The allocated drawing area of one block.
struct Canvas<'r> {
    id: Id,
    rect: Rect,
    /// The area's own response: background clicks and the edge menu.
    resp: &'r egui::Response,
    live: bool,
}

fn mermaid_canvas(
    ui: &mut Ui,
    canvas: &Canvas,
    scene: &Scene,
    view: &View,
    painter: &egui::Painter,
    opts: &Options,
) -> Option<DiagramAction> {
    let Canvas { rect, live, .. } = *canvas;
    let pointed = point(ui, canvas, scene, view, opts);
    let (hovered, pinned) = (pointed.node, pointed.pinned);
    scene::paint(
        painter,
        view,
        scene,
        &Focus::new(scene, pinned.or(hovered)),
        rect,
    );
    if let Some(n) = pinned.and_then(|i| scene.nodes.get(i)) {
        // A ring sets the pinned node apart from one merely hovered.
        let ring = view.rect(n.bbox).expand(4.0);
        let stroke = egui::Stroke::new(3.0, ui.visuals().selection.stroke.color);
        painter.rect_stroke(ring, 6.0, stroke, egui::StrokeKind::Outside);
    }
    mark_edge(ui, painter, view, scene, pointed.menu_edge.or(pointed.edge));
    if scene.nodes.is_empty() {
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            tr("diagram.empty"),
            egui::FontId::proportional(13.0),
            ui.visuals().weak_text_color(),
        );
    }
    if !live {
        return None;
    }
    interact(ui, canvas, scene, view, opts, pointed)
}

/// The pointer while it is over a live canvas; the greyed copy under an
/// error reacts to nothing.
fn hover_pointer(ui: &Ui, canvas: &Canvas) -> Option<Pos2> {
    if !canvas.live {
        return None;
    }
    ui.input(|i| i.pointer.hover_pos())
        .filter(|p| canvas.rect.contains(*p))
}

/// The node pinned on a slide, if it is still in the drawing.
fn pinned_node(ui: &Ui, canvas: &Canvas, t: &dyn Commentable, opts: &Options) -> Option<usize> {
    if !canvas.live || !opts.presenting {
        return None;
    }
    let node = ui.data(|d| d.get_temp::<String>(pin_key(canvas, opts)))?;
    (0..t.node_count()).find(|&i| t.node(i).is_some_and(|n| n.id == node))
}

fn pin_key(canvas: &Canvas, opts: &Options) -> Id {
    opts.pin_id.unwrap_or(canvas.id).with("pinned")
}

/// Makes every node of a live drawing a button: a click follows the
/// node's target, or on a slide pins its highlight (Ctrl/Cmd + click still
/// follows); a click on the background drops the pin. Where the block
/// takes comments each node also gets "Comment on node…". Flowcharts and
/// DOT graphs both go through here so their nodes behave the same.
/// What the pointer is on and what is pinned, as indices into the drawing.
#[derive(Clone, Copy)]
struct Pointed {
    node: Option<usize>,
    pinned: Option<usize>,
    /// The edge under the pointer (only with review on, away from nodes).
    edge: Option<usize>,
    /// The edge whose context menu is open.
    menu_edge: Option<usize>,
    commentable: bool,
}

/// [`Pointed`] for this frame, found the same way for both kinds of
/// diagram.
fn point(ui: &Ui, canvas: &Canvas, t: &dyn Commentable, view: &View, opts: &Options) -> Pointed {
    let pointer = hover_pointer(ui, canvas);
    let node = pointer.and_then(|p| t.node_at(view.scene_point(p)));
    let commentable = canvas.live && opts.review.is_some();
    let (edge, menu_edge) = picked_edges(
        ui,
        canvas,
        t,
        view,
        pointer.filter(|_| node.is_none()),
        commentable,
    );
    Pointed {
        node,
        pinned: pinned_node(ui, canvas, t, opts),
        edge,
        menu_edge,
        commentable,
    }
}

/// What a live canvas reacts to, the same for both kinds of diagram: its
/// node buttons, then (with review on) the edge menu and the badges.
fn interact(
    ui: &mut Ui,
    canvas: &Canvas,
    t: &dyn Commentable,
    view: &View,
    opts: &Options,
    pointed: Pointed,
) -> Option<DiagramAction> {
    let mut action = node_buttons(ui, canvas, t, view, opts, pointed.node, pointed.pinned);
    if pointed.commentable {
        if let Some(a) = edge_menu_and_badges(ui, canvas, t, view, opts, pointed.edge) {
            action = Some(a);
        }
    }
    action
}

fn node_buttons(
    ui: &mut Ui,
    canvas: &Canvas,
    t: &dyn Commentable,
    view: &View,
    opts: &Options,
    hovered: Option<usize>,
    pinned: Option<usize>,
) -> Option<DiagramAction> {
    let Canvas { id, rect, .. } = *canvas;
    let commentable = opts.review.is_some();
    let mut action = None;
    let mut pin: Option<Option<String>> = None;
    let follow = ui.input(|i| i.modifiers.command);
    for i in 0..t.node_count() {
        let Some(n) = t.node(i) else {
            continue;
        };
        let r = view.rect(n.bbox).intersect(rect);
        if !r.is_positive() {
            continue;
        }
        let resp = ui.interact(r, id.with(("node", i)), Sense::click());
        if opts.presenting {
            // Pinned shows as a pressed toggle, for screen readers and tests.
            resp.widget_info(|| {
                egui::WidgetInfo::selected(egui::Role::Button, true, pinned == Some(i), n.name)
            });
        } else {
            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, n.name));
        }
        let target = || t.node_target(i, opts.is_note);
        if hovered == Some(i) && (opts.presenting || target().is_some()) {
            ui.ctx().set_cursor_icon(CursorIcon::PointingHand);
        }
        let resp = match t.node_tooltip(i) {
            Some(tip) if hovered == Some(i) => resp.on_hover_text(tip),
            _ => resp,
        };
        if resp.clicked() {
            if opts.presenting && !follow {
                pin = Some(Some(n.id.to_string()));
            } else {
                action = target();
            }
        }
        if commentable {
            node_menu(&resp, n.id, &mut action);
        }
    }
    if opts.presenting && canvas.resp.clicked() {
        pin = Some(None);
    }
    if let Some(p) = pin {
        let key = pin_key(canvas, opts);
        ui.data_mut(|d| match p {
            Some(node) => {
                d.insert_temp(key, node);
            }
            None => {
                d.remove::<String>(key);
            }
        });
    }
    action
}

/// A node review comments can name, in scene coordinates.
struct NodeRef<'a> {
    id: &'a str,
    name: &'a str,
    bbox: Rect,
}

/// An edge review comments can name.
struct EdgeRef<'a> {
    /// `from->to`, as anchors spell it.
    element: &'a str,
    /// The drawn route, for picking.
    path: &'a [Pos2],
    /// Display names of its ends, when they are known nodes.
    from: Option<&'a str>,
    to: Option<&'a str>,
}

/// The nodes and edges of a drawing that can be clicked, pinned and take
/// review comments. Flowcharts and DOT graphs share the node buttons, the
/// edge picker, the context menus and the badges through it, so both
/// behave the same for a reader, a presenter and a reviewer.
trait Commentable {
    fn node_count(&self) -> usize;
    fn node(&self, i: usize) -> Option<NodeRef<'_>>;
    /// The topmost node at a point of the drawing.
    fn node_at(&self, q: Pos2) -> Option<usize>;
    /// What a click on node `i` opens, if anything.
    fn node_target(&self, i: usize, is_note: &dyn Fn(&str) -> bool) -> Option<DiagramAction>;
    /// Text shown while node `i` is hovered.
    fn node_tooltip(&self, i: usize) -> Option<&str>;
    fn edge_count(&self) -> usize;
    fn edge(&self, j: usize) -> Option<EdgeRef<'_>>;
    /// Where edge `j`'s badge goes.
    fn edge_anchor(&self, j: usize) -> Option<Pos2>;
}

impl Commentable for Scene {
    fn node_count(&self) -> usize {
        self.nodes.len()
    }

    fn node_at(&self, q: Pos2) -> Option<usize> {
        self.nodes
            .iter()
            .rposition(|n| geom::hits_node(&n.outline, n.bbox, q))
    }

    fn node(&self, i: usize) -> Option<NodeRef<'_>> {
        self.nodes.get(i).map(|n| NodeRef {
            id: &n.id,
            name: &n.name,
            bbox: n.bbox,
        })
    }

    fn node_target(&self, i: usize, is_note: &dyn Fn(&str) -> bool) -> Option<DiagramAction> {
        let n = self.nodes.get(i)?;
        n.action
            .clone()
            .or_else(|| is_note(&n.name).then(|| DiagramAction::OpenNote(n.name.clone())))
    }

    fn node_tooltip(&self, i: usize) -> Option<&str> {
        self.nodes.get(i).and_then(|n| n.tooltip.as_deref())
    }

    fn edge_count(&self) -> usize {
        self.edges.len()
    }

    fn edge(&self, j: usize) -> Option<EdgeRef<'_>> {
        let name = |i: Option<usize>| i.and_then(|i| self.nodes.get(i)).map(|n| n.name.as_str());
        self.edges.get(j).map(|e| EdgeRef {
            element: &e.element,
            path: &e.path,
            from: name(e.from),
            to: name(e.to),
        })
    }

    fn edge_anchor(&self, j: usize) -> Option<Pos2> {
        self.edges.get(j).and_then(|e| e.anchor_point())
    }
}

/// A DOT node has no `click` statement, so its only target is a note named
/// by what it shows or, failing that, by its id.
fn dot_target(n: &dot::DotNode, is_note: &dyn Fn(&str) -> bool) -> Option<DiagramAction> {
    [&n.name, &n.id]
        .into_iter()
        .find(|s| is_note(s))
        .map(|s| DiagramAction::OpenNote(s.clone()))
}

fn dot_node_rect(n: &dot::DotNode) -> Rect {
    Rect::from_min_size(pos2(n.x, n.y), vec2(n.w, n.h))
}

impl Commentable for DotScene {
    fn node_count(&self) -> usize {
        self.drawing.nodes.len()
    }

    fn node_at(&self, q: Pos2) -> Option<usize> {
        self.drawing.nodes.iter().rposition(|n| n.hit(q.x, q.y))
    }

    fn node(&self, i: usize) -> Option<NodeRef<'_>> {
        self.drawing.nodes.get(i).map(|n| NodeRef {
            id: &n.id,
            name: &n.name,
            bbox: dot_node_rect(n),
        })
    }

    fn node_target(&self, i: usize, is_note: &dyn Fn(&str) -> bool) -> Option<DiagramAction> {
        self.drawing
            .nodes
            .get(i)
            .and_then(|n| dot_target(n, is_note))
    }

    fn node_tooltip(&self, _: usize) -> Option<&str> {
        // The drawing keeps no tooltips: DOT nodes get none.
        None
    }

    fn edge_count(&self) -> usize {
        self.drawing.edges.len().min(self.paths.len())
    }

    fn edge(&self, j: usize) -> Option<EdgeRef<'_>> {
        let name = |i: Option<usize>| {
            i.and_then(|i| self.drawing.nodes.get(i))
                .map(|n| n.name.as_str())
        };
        let e = self.drawing.edges.get(j)?;
        let (from, to) = self.ends.get(j).copied().unwrap_or_default();
        Some(EdgeRef {
            element: &e.element,
            path: self.paths.get(j)?,
            from: name(from),
            to: name(to),
        })
    }

    fn edge_anchor(&self, j: usize) -> Option<Pos2> {
        // As on flowcharts: beside the label so it stays readable.
        match self.drawing.edges.get(j).and_then(|e| e.label) {
            Some((x, y, w, _)) => Some(pos2(x + w + 4.0, y - 2.0)),
            None => self.paths.get(j).and_then(|p| geom::midpoint(p)),
        }
    }
}

/// The edge whose drawn route passes within a few screen px of `p`.
fn edge_at(t: &dyn Commentable, view: &View, p: Pos2) -> Option<usize> {
    let q = view.scene_point(p);
    let tolerance = EDGE_PICK_PX / view.scale.max(0.01);
    (0..t.edge_count())
        .filter_map(|j| {
            t.edge(j)
                .map(|e| (j, geom::distance_to_polyline(e.path, q)))
        })
        .filter(|(_, d)| *d <= tolerance)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(j, _)| j)
}

/// For a block that takes comments: the edge under `pointer` (pass `None`
/// while the pointer is on a node), and the edge whose context menu is
/// open, which stays marked while the menu is.
fn picked_edges(
    ui: &Ui,
    canvas: &Canvas,
    t: &dyn Commentable,
    view: &View,
    pointer: Option<Pos2>,
    commentable: bool,
) -> (Option<usize>, Option<usize>) {
    if !commentable {
        return (None, None);
    }
    let hovered = pointer.and_then(|p| edge_at(t, view, p));
    let menu = if canvas.resp.context_menu_opened() {
        ui.data(|d| d.get_temp::<Option<usize>>(canvas.id.with("menu-edge")))
            .flatten()
    } else {
        None
    };
    (hovered, menu)
}

/// Highlights edge `j` under its drawing, so the reviewer sees which edge
/// a right-click will name.
fn mark_edge(ui: &Ui, painter: &egui::Painter, view: &View, t: &dyn Commentable, j: Option<usize>) {
    if let Some(e) = j.and_then(|j| t.edge(j)) {
        let pts: Vec<Pos2> = e.path.iter().map(|p| view.p(*p)).collect();
        let color = ui.visuals().selection.bg_fill.gamma_multiply(0.7);
        scene::stroke_line(painter, pts, false, egui::Stroke::new(5.0, color), None);
    }
}

/// "Comment on node…" in a node's own context menu.
fn node_menu(resp: &egui::Response, node_id: &str, action: &mut Option<DiagramAction>) {
    resp.context_menu(|ui| {
        if ui.button(tr("diagram.comment_node")).clicked() {
            *action = Some(DiagramAction::Comment(node_id.to_string()));
            ui.close();
        }
    });
}

/// The drawing area's own context menu, naming the edge that was under the
/// pointer when it opened (or explaining what to right-click), then the
/// badges. Returns what the reviewer picked in either.
fn edge_menu_and_badges(
    ui: &mut Ui,
    canvas: &Canvas,
    t: &dyn Commentable,
    view: &View,
    opts: &Options,
    hovered_edge: Option<usize>,
) -> Option<DiagramAction> {
    let menu_edge_id = canvas.id.with("menu-edge");
    let mut action = None;
    if canvas.resp.secondary_clicked() {
        ui.data_mut(|d| d.insert_temp(menu_edge_id, hovered_edge));
    }
    let edge = ui
        .data(|d| d.get_temp::<Option<usize>>(menu_edge_id))
        .flatten()
        .and_then(|j| t.edge(j));
    canvas.resp.context_menu(|ui| match &edge {
        Some(e) => {
            if ui.button(tr("diagram.comment_edge")).clicked() {
                action = Some(DiagramAction::Comment(e.element.to_string()));
                ui.close();
            }
        }
        None => {
            ui.weak(tr("diagram.comment_hint"));
        }
    });
    if let Some(a) = badges(ui, canvas.id, t, view, canvas.rect, opts) {
        action = Some(a);
    }
    action
}

/// Same element, ignoring spaces around an edge's arrow.
fn same_element(a: &str, b: &str) -> bool {
    match (a.split_once("->"), b.split_once("->")) {
        (Some((a1, a2)), Some((b1, b2))) => a1.trim() == b1.trim() && a2.trim() == b2.trim(),
        (None, None) => a.trim() == b.trim(),
        _ => false,
    }
}

/// Count badges on the nodes (top-right corner) and edges (label, else
/// middle of the route) that have open review comments. Returns the badge
/// clicked, which selects its thread.
fn badges(
    ui: &mut Ui,
    id: Id,
    t: &dyn Commentable,
    view: &View,
    rect: Rect,
    opts: &Options,
) -> Option<DiagramAction> {
    let here = opts.review?;
    let mut action = None;
    let painter = ui.painter_at(rect);
    let fill = ui.visuals().warn_fg_color;
    let ring = ui.visuals().extreme_bg_color;
    for (k, b) in opts
        .badges
        .iter()
        .filter(|b| (b.note.as_str(), b.diagram) == here)
        .enumerate()
    {
        let node = (0..t.node_count())
            .filter_map(|i| t.node(i))
            .find(|n| n.id == b.element);
        let edge = (0..t.edge_count()).find_map(|j| {
            t.edge(j)
                .filter(|e| same_element(e.element, &b.element))
                .map(|e| (j, e))
        });
        let (center, what) = if let Some(n) = node {
            (view.rect(n.bbox).right_top(), n.name.to_string())
        } else if let Some((j, e)) = edge {
            let Some(p) = t.edge_anchor(j) else {
                continue;
            };
            let (from, to) = e.element.split_once("->").unwrap_or((e.element, ""));
            (
                view.p(p),
                tr!(
                    "diagram.edge",
                    from = e.from.unwrap_or(from),
                    to = e.to.unwrap_or(to)
                ),
            )
        } else {
            continue;
        };
        if !rect.contains(center) {
            continue;
        }
        painter.circle(center, BADGE_RADIUS, fill, egui::Stroke::new(1.5, ring));
        painter.text(
            center,
            egui::Align2::CENTER_CENTER,
            b.count.to_string(),
            egui::FontId::proportional(11.0),
            Color32::BLACK,
        );
        let area = Rect::from_center_size(center, Vec2::splat(BADGE_RADIUS * 2.0));
        let resp = ui.interact(area, id.with(("badge", k)), Sense::click());
        let label = match b.count {
            1 => tr!("diagram.badge_one", what = what),
            n => tr!("diagram.badge_n", n = n, what = what),
        };
        resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        if resp.hovered() {
            ui.ctx().set_cursor_icon(CursorIcon::PointingHand);
        }
        if resp.on_hover_text(&b.first).clicked() {
            action = Some(DiagramAction::ShowComment(b.id.clone()));
        }
    }
    action
}

/// A DOT graph on the canvas. Its nodes, tied back to the source, act as
/// on a flowchart: hovering one dims what it is not joined to, a click
/// opens the note it names or pins it on a slide, and where the block takes
/// comments nodes, edges, the canvas menu and badges work as on a flowchart.
fn dot_canvas(
    ui: &mut Ui,
    canvas: &Canvas,
    ds: &DotScene,
    dark: bool,
    view: &View,
    painter: &egui::Painter,
    opts: &Options,
) -> Option<DiagramAction> {
    let Canvas { id, rect, live, .. } = *canvas;
    let pointed = point(ui, canvas, ds, view, opts);
    let (hovered, pinned) = (pointed.node, pointed.pinned);
    let focus = Focus::around(
        ds.drawing.nodes.len(),
        pinned.or(hovered),
        ds.ends.iter().copied(),
    );
    let alpha = |k: usize| match ds.parts.get(k) {
        Some(dot_paint::Part::Node(i)) => focus.node_alpha(*i),
        Some(dot_paint::Part::Edge(j)) => {
            let (from, to) = ds.ends.get(*j).copied().unwrap_or_default();
            focus.ends_alpha(from, to)
        }
        _ => focus.other_alpha(),
    };
    dot_paint::paint(painter, view, &ds.drawing, dark, &alpha);
    mark_edge(ui, painter, view, ds, pointed.menu_edge.or(pointed.edge));
    let selection = ui.visuals().selection.stroke.color;
    if let Some(n) = hovered.and_then(|i| ds.drawing.nodes.get(i)) {
        // DOT shapes have no stronger stroke of their own; an outline marks
        // the node a click or right-click will act on.
        outline_dot_node(painter, view, n, 2.0, egui::Stroke::new(2.0, selection));
    }
    if let Some(n) = pinned.and_then(|i| ds.drawing.nodes.get(i)) {
        // As on flowcharts, a ring sets the pinned node apart.
        outline_dot_node(painter, view, n, 4.0, egui::Stroke::new(3.0, selection));
    }
    let buttons: &[dot::DotNode] = if live { &ds.drawing.nodes } else { &[] };
    dot_labels(ui, id, &ds.drawing, buttons, view, rect);
    if !live {
        return None;
    }
    interact(ui, canvas, ds, view, opts, pointed)
}

/// Strokes around node `n`'s shape, `gap` screen px outside it.
fn outline_dot_node(
    painter: &egui::Painter,
    view: &View,
    n: &dot::DotNode,
    gap: f32,
    stroke: egui::Stroke,
) {
    let r = view.rect(dot_node_rect(n)).expand(gap);
    if n.round {
        painter.add(egui::Shape::ellipse_stroke(
            r.center(),
            r.size() / 2.0,
            stroke,
        ));
    } else {
        painter.rect_stroke(r, 2.0, stroke, egui::StrokeKind::Outside);
    }
}

/// DOT labels are painted text; give each an accessible node too, so
/// screen readers (and tests) can read the graph. Labels inside `buttons`
/// are skipped: those nodes are buttons named by their label already.
fn dot_labels(
    ui: &mut Ui,
    id: Id,
    d: &DotDrawing,
    buttons: &[dot::DotNode],
    view: &View,
    rect: Rect,
) {
    for (i, item) in d.items.iter().enumerate() {
        if let DotItem::Text {
            x, y, text, size, ..
        } = item
        {
            if buttons
                .iter()
                .any(|n| dot_node_rect(n).contains(pos2(*x, *y)))
            {
                continue;
            }
            let half = vec2(text.chars().count() as f32 * size * 0.3, size * 0.6);
            let c = view.p(egui::pos2(*x, *y));
            let r = Rect::from_center_size(c, half * 2.0 * view.scale).intersect(rect);
            if !r.is_positive() {
                continue;
            }
            let resp = ui.interact(r, id.with(("dot-label", i)), Sense::hover());
            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badge_elements_match_edges_whatever_the_spacing() {
        assert!(same_element("A->B", "A -> B"));
        assert!(same_element("A", " A"));
        assert!(!same_element("A->B", "B->A"));
        assert!(!same_element("A", "A->B"));
    }

    #[test]
    fn a_dot_node_opens_the_note_its_label_or_else_its_id_names() {
        let node = |id: &str, name: &str| dot::DotNode {
            id: id.into(),
            name: name.into(),
            x: 0.0,
            y: 0.0,
            w: 10.0,
            h: 10.0,
            round: false,
        };
        let notes = |s: &str| s == "Job queue" || s == "worker";
        assert_eq!(
            dot_target(&node("worker", "Job queue"), &notes),
            Some(DiagramAction::OpenNote("Job queue".into()))
        );
        assert_eq!(
            dot_target(&node("worker", "Workers"), &notes),
            Some(DiagramAction::OpenNote("worker".into()))
        );
        assert_eq!(dot_target(&node("q", "Queue"), &notes), None);
    }

    #[test]
    fn dot_edges_are_named_by_what_their_ends_show() {
        let Ok(Drawing::Dot(d, _)) = compute_dot(
            "digraph { q [label=\"Job queue\"]; q -> w; \"x y\" -> w }",
            false,
        ) else {
            panic!("draws");
        };
        let t: &dyn Commentable = d.as_ref();
        // The quoted node cannot be named by a review anchor, so neither
        // it nor its edge is offered.
        assert_eq!(t.node_count(), 2);
        assert_eq!(t.edge_count(), 1);
        let e = t.edge(0).expect("edge");
        assert_eq!(e.element, "q->w");
        assert_eq!((e.from, e.to), (Some("Job queue"), Some("w")));
        assert!(e.path.len() >= 2);
        // Unlabelled: the badge sits on the route.
        let anchor = t.edge_anchor(0).expect("anchor");
        assert!(geom::distance_to_polyline(e.path, anchor) < 0.5);
        assert!(t.edge(1).is_none() && t.node(2).is_none());
    }
}
