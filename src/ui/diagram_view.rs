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
use egui::{vec2, Color32, CursorIcon, Id, Rect, Sense, Ui, Vec2};
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
}

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
    Dot(Arc<DotDrawing>, bool),
}

impl Drawing {
    fn size(&self) -> Vec2 {
        match self {
            Drawing::Mermaid(s) => s.size,
            Drawing::Dot(d, _) => vec2(d.width, d.height),
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
    dot::render_drawing(source)
        .map(|d| Drawing::Dot(Arc::new(d), dark))
        .map_err(|e| e.to_string())
}

/// Zoom and pan of one block; zoom 1 with no pan is "fit".
#[derive(Clone, Copy, Debug, PartialEq)]
struct ViewState {
    zoom: f32,
    pan: Vec2,
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            zoom: 1.0,
            pan: Vec2::ZERO,
        }
    }
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
    let result = cache.get(0, id, source, dark, |prev| {
        compute_mermaid(source, dark, prev)
    });
    show(ui, cache, id, result, is_note)
}

/// Draws a Graphviz DOT graph (laid out by layout-rs, size-guarded).
pub fn show_dot(
    ui: &mut Ui,
    cache: &mut DiagramCache,
    id: Id,
    source: &str,
    dark: bool,
) -> Option<DiagramAction> {
    let result = cache.get(1, id, source, dark, |_| compute_dot(source, dark));
    show(ui, cache, id, result, &|_| false)
}

fn show(
    ui: &mut Ui,
    cache: &DiagramCache,
    id: Id,
    result: Result<Drawing, String>,
    is_note: &dyn Fn(&str) -> bool,
) -> Option<DiagramAction> {
    match result {
        Ok(d) => frame(ui, id, &d, true, is_note),
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
                    frame(ui, id, good, false, is_note);
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
    is_note: &dyn Fn(&str) -> bool,
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
            action = canvas(ui, id, drawing, live, is_note);
        });
    action
}

fn canvas(
    ui: &mut Ui,
    id: Id,
    drawing: &Drawing,
    live: bool,
    is_note: &dyn Fn(&str) -> bool,
) -> Option<DiagramAction> {
    let size = drawing.size();
    let avail_w = ui.available_width().max(40.0);
    let fit = geom::fit_scale(size, avail_w, MAX_HEIGHT);
    let mut st: ViewState = ui.data(|d| d.get_temp(id)).unwrap_or_default();

    // Controls, right-aligned above the drawing; the greyed copy under an
    // error is a static reminder and gets none.
    if live {
        ui.horizontal(|ui| {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .small_button("Fit")
                    .on_hover_text("Fit to the panel")
                    .clicked()
                {
                    st = ViewState::default();
                }
                if ui
                    .small_button("+")
                    .on_hover_text("Zoom in (Ctrl+scroll)")
                    .clicked()
                {
                    let new = (st.zoom * ZOOM_STEP).min(MAX_ZOOM);
                    st.pan = geom::zoom_pan(st.pan, st.zoom, new, Vec2::ZERO);
                    st.zoom = new;
                }
                if ui
                    .small_button("-")
                    .on_hover_text("Zoom out (Ctrl+scroll)")
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
        Drawing::Dot(..) => "Graph".to_string(),
    };
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &name));

    if live {
        if resp.dragged() {
            st.pan += resp.drag_delta();
            ui.ctx().set_cursor_icon(CursorIcon::Grabbing);
        }
        if resp.double_clicked() {
            st = ViewState::default();
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
    match drawing {
        Drawing::Mermaid(scene) => {
            mermaid_canvas(ui, id, scene, &view, &painter, rect, live, is_note)
        }
        Drawing::Dot(d, dark) => {
            dot_paint::paint(&painter, &view, d, *dark);
            dot_labels(ui, id, d, &view, rect);
            None
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn mermaid_canvas(
    ui: &mut Ui,
    id: Id,
    scene: &Scene,
    view: &View,
    painter: &egui::Painter,
    rect: Rect,
    live: bool,
    is_note: &dyn Fn(&str) -> bool,
) -> Option<DiagramAction> {
    let hovered = if live {
        ui.input(|i| i.pointer.hover_pos())
            .filter(|p| rect.contains(*p))
            .and_then(|p| {
                let q = view.scene_point(p);
                scene
                    .nodes
                    .iter()
                    .rposition(|n| geom::hits_node(&n.outline, n.bbox, q))
            })
    } else {
        None
    };
    scene::paint(painter, view, scene, &Focus::new(scene, hovered), rect);
    if scene.nodes.is_empty() {
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            "(empty diagram)",
            egui::FontId::proportional(13.0),
            ui.visuals().weak_text_color(),
        );
    }
    if !live {
        return None;
    }
    let mut action = None;
    for (i, n) in scene.nodes.iter().enumerate() {
        let r = view.rect(n.bbox).intersect(rect);
        if !r.is_positive() {
            continue;
        }
        let resp = ui.interact(r, id.with(("node", i)), Sense::click());
        resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &n.name));
        let target = || {
            n.action
                .clone()
                .or_else(|| is_note(&n.name).then(|| DiagramAction::OpenNote(n.name.clone())))
        };
        if hovered == Some(i) && target().is_some() {
            ui.ctx().set_cursor_icon(CursorIcon::PointingHand);
        }
        let resp = match &n.tooltip {
            Some(t) if hovered == Some(i) => resp.on_hover_text(t),
            _ => resp,
        };
        if resp.clicked() {
            action = target();
        }
    }
    action
}

/// DOT labels are painted text; give each an accessible node too, so
/// screen readers (and tests) can read the graph.
fn dot_labels(ui: &mut Ui, id: Id, d: &DotDrawing, view: &View, rect: Rect) {
    for (i, item) in d.items.iter().enumerate() {
        if let DotItem::Text {
            x, y, text, size, ..
        } = item
        {
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
