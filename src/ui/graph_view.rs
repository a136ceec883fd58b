//! The graph view: every note (optionally tags and unresolved links) as a
//! node, links as edges, laid out by the force simulation in
//! `crate::graph`. Small graphs are laid out on the spot; larger ones on a
//! worker thread that publishes positions, so this module only filters,
//! draws and handles input, and stops repainting once the layout settles.

#[path = "graph_view/paint.rs"]
mod paint;

use std::collections::HashMap;
use std::sync::Arc;

use egui::{vec2, Pos2, Rect, Sense, Ui, Vec2};

use crate::graph::{
    self, BuildOptions, Filter, Graph, LayoutFrame, LayoutWorker, NodeKind, SimParams, Simulation,
    Subgraph,
};
use crate::i18n::tr;
use crate::ui::sim_view::frame_stats::FrameStats;
use crate::vault::Vault;

/// Up to this many visible nodes the layout runs to rest inline when the
/// graph changes (a few milliseconds); beyond, the worker animates it.
const INLINE_LIMIT: usize = 300;
const SEED: u64 = 0x5354_5241_5441;
const MIN_SCALE: f32 = 0.02;
const MAX_SCALE: f32 = 8.0;
/// Labels appear from this zoom on (screen px per layout unit).
const LABEL_SCALE: f32 = 0.9;
/// More labels than this on screen are unreadable anyway and cost frames.
const MAX_LABELS: usize = 400;
const MAX_ACCESSIBLE: usize = 300;

/// Accessible names of graph nodes start with this, so they are told apart
/// from the same note's entry in the file tree.
pub const NODE_LABEL: &str = "Graph node: ";

/// What the user asked for in the graph view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraphAction {
    /// Open this note (vault path).
    Open(String),
    Close,
}

enum Engine {
    None,
    Inline(Box<Simulation>),
    Worker { job: u64, n: usize },
}

/// Everything that decides the visible subgraph; a change rebuilds it.
#[derive(Clone, PartialEq)]
struct SubKey {
    generation: u64,
    opts: BuildOptions,
    filter: Filter,
    local: Option<(String, u8)>,
}

pub struct GraphView {
    pub open: bool,
    pub local: bool,
    pub depth: u8,
    pub filter: Filter,
    pub opts: BuildOptions,
    /// Tint notes by their top-level folder.
    pub folder_colours: bool,
    graph: Option<(u64, BuildOptions, Arc<Graph>)>,
    sub: Subgraph,
    /// Folders and tags offered by the filter menus.
    lists: Arc<(Vec<String>, Vec<String>)>,
    sub_key: Option<SubKey>,
    engine: Engine,
    worker: Option<LayoutWorker>,
    frame: Option<Arc<LayoutFrame>>,
    next_job: u64,
    /// Last positions by node key, so a filter change starts from the
    /// current picture instead of from scratch.
    known: HashMap<String, [f32; 2]>,
    /// World point at the canvas centre, and screen px per world unit.
    center: Vec2,
    scale: f32,
    auto_fit: bool,
    dragging: Option<usize>,
    hovered: Option<usize>,
    /// Active note when the view was opened: opening another note from
    /// elsewhere (tree, tabs) leaves the graph.
    opened_on: Option<String>,
    /// Frame timing when STRATA_GRAPH_FPS is set; the view then repaints
    /// continuously, so the figure is what drawing the graph costs.
    stats: Option<FrameStats>,
    edge_layer: paint::EdgeLayer,
    dots: paint::DotTexture,
}

impl Default for GraphView {
    fn default() -> Self {
        GraphView {
            open: false,
            local: false,
            depth: 1,
            filter: Filter::default(),
            opts: BuildOptions::default(),
            folder_colours: true,
            graph: None,
            sub: Subgraph::default(),
            lists: Arc::default(),
            sub_key: None,
            engine: Engine::None,
            worker: None,
            frame: None,
            next_job: 0,
            known: HashMap::new(),
            center: Vec2::ZERO,
            scale: 1.0,
            auto_fit: true,
            dragging: None,
            hovered: None,
            opened_on: None,
            stats: FrameStats::from_env("STRATA_GRAPH_FPS", "graph"),
            edge_layer: paint::EdgeLayer::default(),
            dots: paint::DotTexture::default(),
        }
    }
}

impl GraphView {
    pub fn new() -> Self {
        Self::default()
    }

    /// Opens (remembering the active note) or closes the view.
    pub fn toggle(&mut self, active: Option<&str>) {
        self.open = !self.open;
        self.opened_on = active.map(str::to_owned);
        self.auto_fit = true;
    }

    /// Whether another note became active since the view was opened.
    pub fn left_for(&self, active: Option<&str>) -> bool {
        self.opened_on.as_deref() != active
    }

    /// Visible nodes as (vault path or key, label, kind), in index order.
    pub fn visible(&self) -> Vec<(&str, &str, NodeKind)> {
        let Some((_, _, g)) = &self.graph else {
            return Vec::new();
        };
        self.sub
            .nodes
            .iter()
            .map(|&i| {
                let n = &g.nodes[i as usize];
                (n.key.as_str(), n.label.as_str(), n.kind)
            })
            .collect()
    }

    /// Whether the layout is still moving (the view repaints until not).
    pub fn is_settled(&self) -> bool {
        match &self.engine {
            Engine::None => true,
            Engine::Inline(s) => s.is_settled(),
            Engine::Worker { job, .. } => self
                .frame
                .as_ref()
                .is_some_and(|f| f.job == *job && f.settled),
        }
    }

    /// Draws the view filling `ui`. `generation` changes whenever the vault
    /// index does; `active` is the note in the current tab.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        vault: &Vault,
        generation: u64,
        active: Option<&str>,
    ) -> Option<GraphAction> {
        let started = std::time::Instant::now();
        let mut action = None;
        self.toolbar(ui, active, &mut action);
        self.refresh(ui.ctx(), vault, generation, active);
        ui.separator();
        if let Some(a) = self.canvas(ui) {
            action = Some(a);
        }
        if let Some(s) = &mut self.stats {
            s.record(ui.ctx(), started.elapsed().as_secs_f64() * 1000.0);
            ui.ctx().request_repaint();
        }
        action
    }

    fn toolbar(&mut self, ui: &mut Ui, active: Option<&str>, action: &mut Option<GraphAction>) {
        let folders = Arc::clone(&self.lists);
        ui.horizontal_wrapped(|ui| {
            ui.strong(tr("graph.title"));
            ui.add_enabled(
                active.is_some(),
                egui::Checkbox::new(&mut self.local, tr("graph.local")),
            )
            .on_hover_text(tr("graph.local_hover"))
            .on_disabled_hover_text(tr("graph.local_disabled"));
            if self.local {
                ui.add(egui::Slider::new(&mut self.depth, 1..=3).text(tr("graph.depth")));
            }
            ui.separator();
            let search_label = ui.label(tr("graph.search"));
            ui.add(
                egui::TextEdit::singleline(&mut self.filter.search)
                    .desired_width(140.0)
                    .hint_text(tr("graph.search_hint")),
            )
            .labelled_by(search_label.id)
            .on_hover_text(tr("graph.search_hover"));
            let folder_text = if self.filter.folder.is_empty() {
                tr("graph.all_folders").to_string()
            } else {
                self.filter.folder.clone()
            };
            egui::ComboBox::from_label(tr("graph.folder"))
                .selected_text(folder_text)
                .width(130.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(
                        &mut self.filter.folder,
                        String::new(),
                        tr("graph.all_folders"),
                    );
                    for f in &folders.0 {
                        ui.selectable_value(&mut self.filter.folder, f.clone(), f);
                    }
                });
            let tag_text = if self.filter.tag.is_empty() {
                tr("graph.all_tags").to_string()
            } else {
                format!("#{}", self.filter.tag)
            };
            egui::ComboBox::from_label(tr("graph.tag"))
                .selected_text(tag_text)
                .width(110.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.tag, String::new(), tr("graph.all_tags"));
                    for t in &folders.1 {
                        let label = format!("#{t}");
                        ui.selectable_value(&mut self.filter.tag, t.clone(), label);
                    }
                });
            ui.separator();
            ui.checkbox(&mut self.opts.tags, tr("graph.tags"));
            ui.checkbox(&mut self.opts.unresolved, tr("graph.unresolved"));
            ui.checkbox(&mut self.filter.orphans, tr("graph.orphans"));
            ui.checkbox(&mut self.folder_colours, tr("graph.folder_colours"));
            ui.separator();
            if ui
                .button(tr("graph.fit"))
                .on_hover_text(tr("graph.fit_hover"))
                .clicked()
            {
                self.auto_fit = true;
            }
            let links = self.sub.edges.len();
            let notes = self.visible_notes();
            let notes = if notes == 1 {
                tr("graph.notes_one").to_string()
            } else {
                tr!("graph.notes_n", n = notes)
            };
            let links = if links == 1 {
                tr("graph.links_one").to_string()
            } else {
                tr!("graph.links_n", n = links)
            };
            ui.weak(tr!("graph.summary", notes = notes, links = links));
            if !self.is_settled() {
                ui.weak(tr("graph.laying_out"));
            }
            if let Some(s) = &self.stats {
                ui.weak(s.text());
            }
            if ui
                .button(tr("graph.close"))
                .on_hover_text(tr("graph.close_hover"))
                .clicked()
            {
                *action = Some(GraphAction::Close);
            }
        });
    }

    fn visible_notes(&self) -> usize {
        let Some((_, _, g)) = &self.graph else {
            return 0;
        };
        self.sub
            .nodes
            .iter()
            .filter(|&&i| g.nodes[i as usize].kind == NodeKind::Note)
            .count()
    }

    /// Rebuilds the graph, the visible subgraph and the layout job when
    /// their inputs changed; picks up the worker's latest positions.
    fn refresh(
        &mut self,
        ctx: &egui::Context,
        vault: &Vault,
        generation: u64,
        active: Option<&str>,
    ) {
        if !matches!(&self.graph, Some((g, o, _)) if *g == generation && *o == self.opts) {
            self.remember();
            let g = Graph::from_vault(vault, self.opts);
            self.lists = Arc::new((g.folders(), g.tags()));
            self.graph = Some((generation, self.opts, Arc::new(g)));
        }
        let local = if self.local {
            active.map(|a| (a.to_string(), self.depth))
        } else {
            None
        };
        let key = SubKey {
            generation,
            opts: self.opts,
            filter: self.filter.clone(),
            local,
        };
        if self.sub_key.as_ref() != Some(&key) {
            let Some((_, _, g)) = &self.graph else {
                return;
            };
            let g = Arc::clone(g);
            let centre = key
                .local
                .as_ref()
                .and_then(|(p, d)| g.find(p).map(|i| (i, *d)));
            let query = key.filter.search.trim().to_lowercase();
            let content = |path: &str| {
                vault
                    .text(path)
                    .is_some_and(|t| t.to_lowercase().contains(&query))
            };
            let content: Option<&dyn Fn(&str) -> bool> = if query.is_empty() {
                None
            } else {
                Some(&content)
            };
            let sub = graph::subgraph(&g, &key.filter, centre, content);
            self.remember();
            self.start_layout(ctx, &g, sub);
            self.sub_key = Some(key);
        }
        if let (Engine::Worker { job, .. }, Some(w)) = (&self.engine, &self.worker) {
            if let Some(f) = w.latest().filter(|f| f.job == *job) {
                self.frame = Some(f);
            }
        }
    }

    /// Stores current positions by node key for the next warm start.
    fn remember(&mut self) {
        let Some((_, _, g)) = &self.graph else {
            return;
        };
        let pos = match &self.engine {
            Engine::Inline(s) => s.positions(),
            Engine::Worker { job, n } => match &self.frame {
                Some(f) if f.job == *job && f.positions.len() == *n => &f.positions,
                _ => return,
            },
            Engine::None => return,
        };
        if pos.len() != self.sub.nodes.len() {
            return;
        }
        for (&i, p) in self.sub.nodes.iter().zip(pos) {
            if let Some(n) = g.nodes.get(i as usize) {
                self.known.insert(n.key.clone(), *p);
            }
        }
    }

    fn start_layout(&mut self, ctx: &egui::Context, g: &Graph, sub: Subgraph) {
        let initial: Vec<Option<[f32; 2]>> = sub
            .nodes
            .iter()
            .map(|&i| self.known.get(&g.nodes[i as usize].key).copied())
            .collect();
        let known = initial.iter().filter(|p| p.is_some()).count();
        // Mostly known: only nudge; mostly new: a full, hot layout.
        let alpha = if known * 2 > initial.len() { 0.3 } else { 1.0 };
        let mut sim = Simulation::warm(&initial, &sub.edges, SEED, SimParams::default(), alpha);
        let n = sub.nodes.len();
        self.sub = sub;
        self.dragging = None;
        self.hovered = None;
        // A different set of nodes is a different picture: show all of it.
        self.auto_fit = true;
        if n <= INLINE_LIMIT {
            sim.run(2_000);
            self.engine = Engine::Inline(Box::new(sim));
            return;
        }
        if self.worker.is_none() {
            let wake_ctx = ctx.clone();
            match LayoutWorker::spawn(move || wake_ctx.request_repaint()) {
                Ok(w) => self.worker = Some(w),
                Err(_) => {
                    // No thread to be had: lay out here rather than show nothing.
                    sim.run(2_000);
                    self.engine = Engine::Inline(Box::new(sim));
                    return;
                }
            }
        }
        self.next_job += 1;
        let job = self.next_job;
        // Draw the starting positions until the worker's first frame.
        self.frame = Some(Arc::new(LayoutFrame {
            job,
            positions: sim.positions().to_vec(),
            settled: false,
            ticks: 0,
        }));
        if let Some(w) = &self.worker {
            w.start(job, sim);
        }
        self.engine = Engine::Worker { job, n };
    }

    fn positions(&self) -> &[[f32; 2]] {
        match &self.engine {
            Engine::Inline(s) => s.positions(),
            Engine::Worker { n, .. } => match &self.frame {
                Some(f) if f.positions.len() == *n => &f.positions,
                _ => &[],
            },
            Engine::None => &[],
        }
    }

    fn to_screen(&self, rect: Rect, p: [f32; 2]) -> Pos2 {
        rect.center() + (vec2(p[0], p[1]) - self.center) * self.scale
    }

    fn to_world(&self, rect: Rect, p: Pos2) -> [f32; 2] {
        let w = self.center + (p - rect.center()) / self.scale;
        [w.x, w.y]
    }

    fn fit(&mut self, rect: Rect) {
        let pos = self.positions();
        if pos.is_empty() {
            return;
        }
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for p in pos {
            x0 = x0.min(p[0]);
            y0 = y0.min(p[1]);
            x1 = x1.max(p[0]);
            y1 = y1.max(p[1]);
        }
        let margin = 40.0;
        let w = (x1 - x0).max(1.0);
        let h = (y1 - y0).max(1.0);
        let sx = (rect.width() - 2.0 * margin).max(10.0) / w;
        let sy = (rect.height() - 2.0 * margin).max(10.0) / h;
        self.scale = sx.min(sy).clamp(MIN_SCALE, 2.0);
        self.center = vec2((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    }

    fn node_at(&self, rect: Rect, at: Pos2, radii: &[f32]) -> Option<usize> {
        let pos = self.positions();
        let mut best = None;
        let mut best_d = f32::MAX;
        for (i, p) in pos.iter().enumerate() {
            let s = self.to_screen(rect, *p);
            let r = (radii.get(i).copied().unwrap_or(4.0) * self.scale).max(3.0) + 3.0;
            let d = s.distance_sq(at);
            if d <= r * r && d < best_d {
                best_d = d;
                best = Some(i);
            }
        }
        best
    }

    fn canvas(&mut self, ui: &mut Ui) -> Option<GraphAction> {
        let (rect, resp) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
        resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, tr("graph.a11y")));
        let Some((_, _, g)) = &self.graph else {
            return None;
        };
        let g = Arc::clone(g);
        let radii: Vec<f32> = self.sub.nodes.iter().map(|&i| node_radius(&g, i)).collect();
        if self.auto_fit {
            self.fit(rect);
        }
        let pointer = ui.input(|i| i.pointer.hover_pos());
        let over_canvas = pointer
            .filter(|p| rect.contains(*p) && ui.ctx().layer_id_at(*p) == Some(ui.layer_id()));

        // Zoom around the pointer: wheel or pinch / Ctrl+wheel.
        if let Some(p) = over_canvas {
            let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
            let factor = (scroll * 0.0015).exp() * pinch;
            if (factor - 1.0).abs() > 1e-4 {
                let before = self.to_world(rect, p);
                self.scale = (self.scale * factor).clamp(MIN_SCALE, MAX_SCALE);
                let after = self.to_world(rect, p);
                self.center += vec2(before[0] - after[0], before[1] - after[1]);
                self.auto_fit = false;
            }
        }

        let hit = over_canvas.and_then(|p| self.node_at(rect, p, &radii));
        if resp.drag_started() {
            let start = ui.input(|i| i.pointer.press_origin());
            self.dragging = start.and_then(|p| self.node_at(rect, p, &radii));
        }
        if resp.dragged() {
            match self.dragging {
                Some(i) => {
                    if let Some(p) = pointer {
                        let w = self.to_world(rect, p);
                        self.pin(i, Some(w));
                    }
                }
                None => {
                    self.center -= resp.drag_delta() / self.scale;
                    self.auto_fit = false;
                }
            }
        }
        if resp.drag_stopped() {
            if let Some(i) = self.dragging.take() {
                self.pin(i, None);
            }
        }
        self.hovered = self.dragging.or(hit);
        let mut action = None;
        if resp.clicked() {
            if let Some(i) = hit {
                let n = &g.nodes[self.sub.nodes[i] as usize];
                if n.kind == NodeKind::Note {
                    action = Some(GraphAction::Open(n.key.clone()));
                }
            }
        }
        if let Some(i) = self.hovered {
            let n = &g.nodes[self.sub.nodes[i] as usize];
            if n.kind == NodeKind::Note {
                ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
            }
        }

        // Inline layouts that were disturbed (a drag) cool down here.
        if let Engine::Inline(sim) = &mut self.engine {
            if !sim.is_settled() {
                let t = std::time::Instant::now();
                while !sim.is_settled() && t.elapsed().as_millis() < 4 {
                    sim.step();
                }
            }
        }
        if !self.is_settled() {
            match self.engine {
                // Worker frames wake the UI themselves.
                Engine::Worker { .. } => {}
                _ => ui.ctx().request_repaint(),
            }
        }

        let dark = ui.visuals().dark_mode;
        let style = paint::Style::new(ui.visuals(), self.folder_colours);
        let pos = self.positions();
        if pos.len() != self.sub.nodes.len() {
            return action;
        }
        let screen: Vec<Pos2> = pos.iter().map(|p| self.to_screen(rect, *p)).collect();
        let focus = self.hovered.map(|h| {
            let mut set = vec![false; screen.len()];
            set[h] = true;
            for &(a, b) in &self.sub.edges {
                if a as usize == h {
                    set[b as usize] = true;
                } else if b as usize == h {
                    set[a as usize] = true;
                }
            }
            set
        });
        let scene = paint::Scene {
            graph: &g,
            sub: &self.sub,
            screen: &screen,
            radii: &radii,
            scale: self.scale,
            hovered: self.hovered,
            focus: focus.as_deref(),
        };
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0.0, style.background);
        paint::edges(&painter, &scene, &style, rect, &mut self.edge_layer);
        let on_screen = paint::nodes(&painter, &scene, &style, rect, &mut self.dots);
        let labels = self.scale >= LABEL_SCALE && on_screen.len() <= MAX_LABELS * 4;
        paint::labels(&painter, &scene, &style, &on_screen, labels, MAX_LABELS);
        if self.sub.nodes.is_empty() {
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                tr("graph.no_match"),
                egui::FontId::proportional(14.0),
                ui.visuals().weak_text_color(),
            );
        }
        let _ = dark;
        // Each on-screen node is a labelled, clickable element for screen
        // readers and UI tests; only built when accessibility is active and
        // the view is zoomed in enough for a list of nodes to be usable
        // (thousands of widgets per frame would cost more than drawing).
        if on_screen.len() <= MAX_ACCESSIBLE
            && ui.ctx().accesskit_node_builder(resp.id, |_| ()).is_some()
        {
            let base = resp.id.with("node");
            for &i in &on_screen {
                let r = (radii[i] * self.scale).max(3.0);
                let node_rect = Rect::from_center_size(screen[i], Vec2::splat(2.0 * r));
                let id = base.with(self.sub.nodes[i]);
                let nr = ui.interact(node_rect, id, Sense::hover());
                let n = &g.nodes[self.sub.nodes[i] as usize];
                let label = tr!("graph.node_a11y", name = n.label);
                // Not `Role::Label`: egui exposes a label's text as its value,
                // leaving it without an accessible name, so tag and unresolved
                // nodes could not be found by name like notes are.
                let role = if n.kind == NodeKind::Note {
                    egui::Role::Button
                } else {
                    egui::Role::GraphicsObject
                };
                nr.widget_info(move || egui::WidgetInfo::labeled(role, true, &label));
            }
        }
        action
    }

    fn pin(&mut self, i: usize, at: Option<[f32; 2]>) {
        match &mut self.engine {
            Engine::Inline(sim) => {
                sim.pin(i, at);
                sim.set_alpha_target(if at.is_some() { 0.3 } else { 0.0 });
            }
            Engine::Worker { job, .. } => {
                if let Some(w) = &self.worker {
                    w.pin(*job, i, at);
                }
            }
            Engine::None => {}
        }
    }
}

/// World radius: grows with the square root of the link count, so hubs
/// stand out without swallowing their neighbours.
fn node_radius(g: &Graph, i: u32) -> f32 {
    let base = match g.nodes[i as usize].kind {
        NodeKind::Note => 4.0,
        NodeKind::Tag => 3.5,
        NodeKind::Unresolved => 3.0,
    };
    base + (g.degree(i) as f32).sqrt() * 1.6
}
