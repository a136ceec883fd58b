//! Graphviz DOT blocks, laid out and drawn by the layout-rs crate.
//!
//! layout-rs is fine for the small graphs people put in notes, but it asserts
//! on some inputs and slows down badly on large ones (a 2,000-node graph did
//! not finish in 25 minutes here), so every call is size-guarded and any
//! panic inside the crate becomes an ordinary error.

use layout::adt::dag::NodeHandle;
use layout::backends::svg::SVGWriter;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;
use layout::gv::parser::ast;
use layout::gv::{DotParser, GraphBuilder};
use layout::std_shapes::shapes::{Element, RecordDef, ShapeKind};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// Largest graph handed to layout-rs. Measured on the 2-core reference
/// machine (release build, random DAGs): 60 nodes ≈ 0.1 s, 100 nodes ≈ 0.9 s,
/// 300 nodes ≈ 14 s — so the cap keeps a block well under a second.
pub const MAX_NODES: usize = 80;
pub const MAX_EDGES: usize = 160;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotError {
    pub message: String,
}

impl fmt::Display for DotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "dot: {}", self.message)
    }
}

impl std::error::Error for DotError {}

fn err(message: impl Into<String>) -> DotError {
    DotError {
        message: message.into(),
    }
}

/// What the graph's statements declare, in the order layout-rs's
/// `GraphBuilder` creates things: nodes by first mention (edge statements
/// name their source before their targets, subgraphs are walked in place),
/// edges in statement order. The builder keeps its order private, and the
/// renderer draws in exactly this order, so it is what ties drawn shapes
/// back to node ids.
#[derive(Debug, Default)]
struct Declared {
    nodes: Vec<String>,
    edges: Vec<(String, String)>,
    /// `label` values given to a node in its own statements.
    labels: HashMap<String, Vec<String>>,
    /// `label` values set as defaults with `node [label=...]`.
    default_labels: Vec<String>,
}

impl Declared {
    fn of(graph: &ast::Graph) -> Declared {
        let mut d = Declared::default();
        let mut seen = HashSet::new();
        d.walk(&graph.list, &mut seen);
        d
    }

    fn mention(&mut self, name: &str, seen: &mut HashSet<String>) {
        if seen.insert(name.to_string()) {
            self.nodes.push(name.to_string());
        }
    }

    fn walk(&mut self, list: &ast::StmtList, seen: &mut HashSet<String>) {
        for stmt in &list.list {
            match stmt {
                ast::Stmt::Edge(e) => {
                    self.mention(&e.from.name, seen);
                    let mut prev = &e.from.name;
                    for (to, _) in &e.to {
                        self.mention(&to.name, seen);
                        self.edges.push((prev.clone(), to.name.clone()));
                        prev = &to.name;
                    }
                }
                ast::Stmt::Node(n) => {
                    self.mention(&n.id.name, seen);
                    for (k, v) in n.list.iter() {
                        if k == "label" {
                            self.labels
                                .entry(n.id.name.clone())
                                .or_default()
                                .push(v.clone());
                        }
                    }
                }
                ast::Stmt::SubGraph(g) => self.walk(&g.list, seen),
                ast::Stmt::Attribute(a) => {
                    if matches!(a.target, ast::AttrStmtTarget::Node) {
                        for (k, v) in a.list.iter() {
                            if k == "label" {
                                self.default_labels.push(v.clone());
                            }
                        }
                    }
                }
            }
        }
    }

    /// Edges in the order they are drawn: layout-rs sets self-loops aside
    /// while it orders the graph and draws them after all the others.
    fn edges_in_draw_order(&self) -> Vec<&(String, String)> {
        let (loops, others): (Vec<_>, Vec<_>) = self.edges.iter().partition(|(a, b)| a == b);
        others.into_iter().chain(loops).collect()
    }
}

/// The font stack used by every SVG Strata writes: layout-rs asks for
/// `Times, serif`, which many renderers lack (labels then vanish in resvg).
const FONT_STACK: &str = "ui-sans-serif, system-ui, 'Segoe UI', Helvetica, Arial, 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";

/// A graph drawn into a backend, with what is needed to tell which drawn
/// shape is which node.
struct Laid<B> {
    backend: B,
    declared: Declared,
    /// Every element layout-rs placed, in its own order: the graph's nodes
    /// first, then the connectors it added for edge labels and long edges.
    placed: Vec<Placed>,
}

/// One element as layout-rs placed it, in its coordinates.
#[derive(Debug, Clone, PartialEq)]
struct Placed {
    /// False for the connectors the layout adds.
    node: bool,
    /// The label the shape carries (records have fields instead).
    text: Option<String>,
    /// What the shape shows, for people: the label or the record's fields.
    shown: String,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    round: bool,
    /// For a connector carrying an edge label: the label, its font size,
    /// and the point the edge's route is drawn through.
    label: Option<(String, f32, (f32, f32))>,
}

fn record_fields(rec: &RecordDef, out: &mut Vec<String>) {
    match rec {
        RecordDef::Text(t, _) => {
            if !t.trim().is_empty() {
                out.push(t.trim().to_string());
            }
        }
        RecordDef::Array(list) => list.iter().for_each(|r| record_fields(r, out)),
    }
}

fn placed_of(e: &Element) -> Placed {
    let (tl, _) = e.pos.bbox(false);
    let size = e.pos.size(false);
    // A double circle's outer ring is drawn 8 px wider than its box.
    let mut label = None;
    let (node, text, shown, round, grow) = match &e.shape {
        ShapeKind::Box(t) => (true, Some(t.clone()), t.clone(), false, 0.0),
        ShapeKind::Circle(t) => (true, Some(t.clone()), t.clone(), true, 0.0),
        ShapeKind::DoubleCircle(t) => (true, Some(t.clone()), t.clone(), true, 4.0),
        ShapeKind::Record(r) => {
            let mut fields = Vec::new();
            record_fields(r, &mut fields);
            (true, None, fields.join(" | "), false, 0.0)
        }
        ShapeKind::Connector(l) => {
            if let Some(l) = l.as_ref().filter(|l| !l.trim().is_empty()) {
                let c = e.pos.center();
                label = Some((l.clone(), e.look.font_size as f32, (c.x as f32, c.y as f32)));
            }
            (false, None, String::new(), false, 0.0)
        }
        ShapeKind::None => (false, None, String::new(), false, 0.0),
    };
    Placed {
        node,
        text,
        shown,
        x: tl.x as f32 - grow,
        y: tl.y as f32 - grow,
        w: size.x as f32 + 2.0 * grow,
        h: size.y as f32 + 2.0 * grow,
        round,
        label,
    }
}

/// Parses, size-checks, lays out and renders a DOT graph into `backend`,
/// turning any panic inside layout-rs into an error.
fn run_layout<B: RenderBackend + std::panic::UnwindSafe>(
    src: &str,
    backend: B,
) -> Result<Laid<B>, DotError> {
    let src = src.to_string();
    let result = std::panic::catch_unwind(move || -> Result<Laid<B>, DotError> {
        let mut backend = backend;
        let mut parser = DotParser::new(&src);
        let graph = parser.process().map_err(err)?;
        let declared = Declared::of(&graph);
        let (nodes, edges) = (declared.nodes.len(), declared.edges.len());
        if nodes == 0 {
            return Err(err("the graph has no nodes"));
        }
        if nodes > MAX_NODES || edges > MAX_EDGES {
            return Err(err(format!(
                "graph too large to draw here ({nodes} nodes, {edges} edges; the DOT renderer takes at most {MAX_NODES} nodes and {MAX_EDGES} edges)"
            )));
        }
        let mut builder = GraphBuilder::new();
        builder.visit_graph(&graph);
        let mut vg = builder.get();
        vg.do_it(false, false, false, &mut backend);
        let placed = (0..vg.num_nodes())
            .map(|i| placed_of(vg.element(NodeHandle::new(i))))
            .collect();
        Ok(Laid {
            backend,
            declared,
            placed,
        })
    });
    match result {
        Ok(r) => r,
        Err(panic) => {
            let what = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("internal error");
            Err(err(format!(
                "the DOT renderer failed on this graph ({what})"
            )))
        }
    }
}

/// Parse, lay out and draw a DOT graph as a standalone SVG document.
pub fn render_svg(src: &str) -> Result<String, DotError> {
    let svg = run_layout(src, SVGWriter::new())?.backend;
    Ok(svg.finalize().replace(
        "font-family: Times, serif;",
        &format!("font-family: {FONT_STACK};"),
    ))
}

// ----- drawing list --------------------------------------------------------

/// An RGBA colour as layout-rs resolved it (DOT names and `#rrggbb[aa]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgba(pub [u8; 4]);

impl Rgba {
    pub const BLACK: Rgba = Rgba([0, 0, 0, 255]);
    pub const WHITE: Rgba = Rgba([255, 255, 255, 255]);

    /// Reads layout-rs's `#rrggbbaa` form; the crate keeps the value private
    /// and only exposes this string.
    fn from_web(s: &str) -> Rgba {
        let hex = s.trim_start_matches('#');
        match (hex.len(), u32::from_str_radix(hex, 16)) {
            (8, Ok(v)) => Rgba(v.to_be_bytes()),
            _ => Rgba::BLACK,
        }
    }

    /// Whether this is DOT's default ink (plain black), which a dark theme
    /// should replace.
    pub fn is_default_ink(self) -> bool {
        self == Rgba::BLACK
    }

    /// Whether this is DOT's default node fill (plain white).
    pub fn is_default_fill(self) -> bool {
        self == Rgba::WHITE
    }
}

/// One thing to paint, in layout-rs's coordinates shifted so the drawing
/// starts at (`DRAWING_MARGIN`, `DRAWING_MARGIN`). y grows down.
#[derive(Debug, Clone, PartialEq)]
pub enum DotItem {
    /// Top-left corner, size and corner radius.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        rounded: f32,
        stroke: Rgba,
        stroke_width: f32,
        fill: Option<Rgba>,
    },
    /// Centre and radii.
    Ellipse {
        cx: f32,
        cy: f32,
        rx: f32,
        ry: f32,
        stroke: Rgba,
        stroke_width: f32,
        fill: Option<Rgba>,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        stroke: Rgba,
        stroke_width: f32,
    },
    /// Centred at (`x`, `y`); lines separated by `\n`.
    Text {
        x: f32,
        y: f32,
        text: String,
        size: f32,
        color: Rgba,
    },
    /// An edge, its cubic path already flattened to a polyline.
    Arrow {
        points: Vec<(f32, f32)>,
        dashed: bool,
        head_start: bool,
        head_end: bool,
        color: Rgba,
        stroke_width: f32,
        /// Text layout-rs attaches to the path itself (usually empty: edge
        /// labels arrive as separate [`DotItem::Text`]s).
        label: String,
    },
}

/// A laid-out DOT graph as a list of primitive shapes, for painters that
/// are not SVG (the app draws these with its own toolkit).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DotDrawing {
    pub width: f32,
    pub height: f32,
    pub items: Vec<DotItem>,
    /// The nodes whose drawn shape is known to be theirs. Empty when the
    /// drawing could not be tied back to the source with certainty: a node
    /// left out is better than a comment pinned to the wrong one.
    pub nodes: Vec<DotNode>,
    /// The edges known the same way; only edges between known nodes.
    pub edges: Vec<DotEdge>,
}

/// A node of a drawn DOT graph, in the drawing's coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct DotNode {
    /// The node's id in the source: what a review comment names.
    pub id: String,
    /// What the node shows (its label, a record's fields joined by ` | `),
    /// else its id.
    pub name: String,
    /// Top-left corner and size of the shape's box.
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    /// Drawn as an ellipse rather than a box.
    pub round: bool,
}

impl DotNode {
    /// Whether the point lies on the node's drawn shape.
    pub fn hit(&self, px: f32, py: f32) -> bool {
        if self.w <= 0.0 || self.h <= 0.0 {
            return false;
        }
        if self.round {
            let (rx, ry) = (self.w / 2.0, self.h / 2.0);
            let (dx, dy) = ((px - self.x - rx) / rx, (py - self.y - ry) / ry);
            dx * dx + dy * dy <= 1.0
        } else {
            px >= self.x && px <= self.x + self.w && py >= self.y && py <= self.y + self.h
        }
    }

    /// Distance from a point to the node's box (0 inside).
    fn distance(&self, p: (f32, f32)) -> f32 {
        let dx = (self.x - p.0).max(p.0 - (self.x + self.w)).max(0.0);
        let dy = (self.y - p.1).max(p.1 - (self.y + self.h)).max(0.0);
        dx.hypot(dy)
    }
}

/// An edge of a drawn DOT graph.
#[derive(Debug, Clone, PartialEq)]
pub struct DotEdge {
    /// Source and target node ids as written (`a -> b` gives `a`, `b`,
    /// also when the layout drew it the other way round).
    pub from: String,
    pub to: String,
    /// `from->to`: how review comments and the composer name the edge.
    pub element: String,
    /// The drawn route, flattened.
    pub points: Vec<(f32, f32)>,
    /// Rough box (left, top, width, height) of the edge's label, when it
    /// has one and it could be told apart from other edges' labels.
    pub label: Option<(f32, f32, f32, f32)>,
}

/// Empty space kept around a drawing.
pub const DRAWING_MARGIN: f32 = 5.0;
/// Segments per cubic when flattening edges: plenty for node-sized curves.
const CURVE_STEPS: usize = 8;

/// Collects layout-rs draw calls as [`DotItem`]s.
#[derive(Default)]
struct Collector {
    items: Vec<DotItem>,
    /// Every edge route drawn, one per call even when too short to paint,
    /// so the n-th call stays the n-th edge.
    arrows: Vec<DrawnArrow>,
}

#[derive(Debug, Clone, PartialEq)]
struct DrawnArrow {
    points: Vec<(f32, f32)>,
    head_start: bool,
    head_end: bool,
}

fn style_width(look: &StyleAttr) -> f32 {
    look.line_width as f32
}

fn pt(p: Point) -> (f32, f32) {
    (p.x as f32, p.y as f32)
}

impl RenderBackend for Collector {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        look: &StyleAttr,
        _properties: Option<String>,
        _clip: Option<ClipHandle>,
    ) {
        self.items.push(DotItem::Rect {
            x: xy.x as f32,
            y: xy.y as f32,
            w: size.x as f32,
            h: size.y as f32,
            rounded: look.rounded as f32,
            stroke: Rgba::from_web(&look.line_color.to_web_color()),
            stroke_width: style_width(look),
            fill: look.fill_color.map(|c| Rgba::from_web(&c.to_web_color())),
        });
    }

    fn draw_line(
        &mut self,
        start: Point,
        stop: Point,
        look: &StyleAttr,
        _properties: Option<String>,
    ) {
        self.items.push(DotItem::Line {
            from: pt(start),
            to: pt(stop),
            stroke: Rgba::from_web(&look.line_color.to_web_color()),
            stroke_width: style_width(look),
        });
    }

    fn draw_circle(
        &mut self,
        xy: Point,
        size: Point,
        look: &StyleAttr,
        _properties: Option<String>,
    ) {
        self.items.push(DotItem::Ellipse {
            cx: xy.x as f32,
            cy: xy.y as f32,
            rx: size.x as f32 / 2.0,
            ry: size.y as f32 / 2.0,
            stroke: Rgba::from_web(&look.line_color.to_web_color()),
            stroke_width: style_width(look),
            fill: look.fill_color.map(|c| Rgba::from_web(&c.to_web_color())),
        });
    }

    fn draw_text(&mut self, xy: Point, text: &str, look: &StyleAttr) {
        if text.trim().is_empty() {
            return;
        }
        self.items.push(DotItem::Text {
            x: xy.x as f32,
            y: xy.y as f32,
            text: text.to_string(),
            size: look.font_size as f32,
            color: Rgba::from_web(&look.line_color.to_web_color()),
        });
    }

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        dashed: bool,
        head: (bool, bool),
        look: &StyleAttr,
        _properties: Option<String>,
        text: &str,
    ) {
        let points = flatten_dot_path(path, CURVE_STEPS);
        self.arrows.push(DrawnArrow {
            points: points.clone(),
            head_start: head.0,
            head_end: head.1,
        });
        if points.len() < 2 {
            return;
        }
        self.items.push(DotItem::Arrow {
            points,
            dashed,
            head_start: head.0,
            head_end: head.1,
            color: Rgba::from_web(&look.line_color.to_web_color()),
            stroke_width: style_width(look),
            label: text.to_string(),
        });
    }

    fn create_clip(&mut self, _xy: Point, _size: Point, _rounded_px: usize) -> ClipHandle {
        // Clips only round the corners of record shapes; the outline drawn
        // after them carries the same radius, so they are not needed here.
        0
    }
}

/// Flattens layout-rs's edge path, which its SVG writer emits as
/// `M p0 C c0 c1 p1 S c2 p2 S ...`: `path[0]` is (start, exit control),
/// each later entry is (entry control, on-curve point), and every `S`
/// mirrors the previous entry control about the previous point.
pub fn flatten_dot_path(path: &[(Point, Point)], steps: usize) -> Vec<(f32, f32)> {
    let steps = steps.max(1);
    let Some(first) = path.first() else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(path.len() * steps + 1);
    let (mut p0, mut c0) = (first.0, first.1);
    out.push(pt(p0));
    for &(c1, p1) in &path[1..] {
        for s in 1..=steps {
            let t = s as f64 / steps as f64;
            let mt = 1.0 - t;
            let (a, b, c, d) = (mt * mt * mt, 3.0 * mt * mt * t, 3.0 * mt * t * t, t * t * t);
            out.push((
                (a * p0.x + b * c0.x + c * c1.x + d * p1.x) as f32,
                (a * p0.y + b * c0.y + c * c1.y + d * p1.y) as f32,
            ));
        }
        c0 = Point::new(2.0 * p1.x - c1.x, 2.0 * p1.y - c1.y);
        p0 = p1;
    }
    out
}

/// Rough extent of centred text, for the drawing's bounding box only (the
/// painter measures with real fonts).
fn text_extent(text: &str, size: f32) -> (f32, f32) {
    let lines = text.lines().count().max(1) as f32;
    let widest = text
        .lines()
        .map(|l| {
            l.chars()
                .map(|c| {
                    if crate::diagram::measure::is_wide(c) {
                        1.0
                    } else {
                        0.6
                    }
                })
                .sum::<f32>()
        })
        .fold(0.0, f32::max);
    (widest * size, lines * size * 1.2)
}

fn bounds(items: &[DotItem]) -> Option<(f32, f32, f32, f32)> {
    let mut b: Option<(f32, f32, f32, f32)> = None;
    let mut add = |x: f32, y: f32| {
        if !x.is_finite() || !y.is_finite() {
            return;
        }
        b = Some(match b {
            None => (x, y, x, y),
            Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
        });
    };
    for it in items {
        match it {
            DotItem::Rect { x, y, w, h, .. } => {
                add(*x, *y);
                add(x + w, y + h);
            }
            DotItem::Ellipse { cx, cy, rx, ry, .. } => {
                add(cx - rx, cy - ry);
                add(cx + rx, cy + ry);
            }
            DotItem::Line { from, to, .. } => {
                add(from.0, from.1);
                add(to.0, to.1);
            }
            DotItem::Text {
                x, y, text, size, ..
            } => {
                let (w, h) = text_extent(text, *size);
                add(x - w / 2.0, y - h / 2.0);
                add(x + w / 2.0, y + h / 2.0);
            }
            DotItem::Arrow { points, .. } => {
                for p in points {
                    add(p.0, p.1);
                }
            }
        }
    }
    b
}

fn shift(items: &mut [DotItem], dx: f32, dy: f32) {
    let mv = |p: &mut (f32, f32)| {
        p.0 += dx;
        p.1 += dy;
    };
    for it in items {
        match it {
            DotItem::Rect { x, y, .. } | DotItem::Text { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            DotItem::Ellipse { cx, cy, .. } => {
                *cx += dx;
                *cy += dy;
            }
            DotItem::Line { from, to, .. } => {
                mv(from);
                mv(to);
            }
            DotItem::Arrow { points, .. } => points.iter_mut().for_each(mv),
        }
    }
}

/// How far (drawing px) an edge's end may be from a node's box and still
/// be taken as attached to it; layout-rs ends edges on the outline.
const TOUCH_PX: f32 = 4.0;

/// Ties placed elements back to the declared node ids. layout-rs creates
/// nodes in declaration order and appends its connectors after them; if
/// that does not hold, or a shape carries another node's name as its label
/// (so the order must have slipped), no node is identified at all.
fn identify_nodes(declared: &Declared, placed: &[Placed]) -> Vec<DotNode> {
    let n = declared.nodes.len();
    let (Some(ours), Some(rest)) = (placed.get(..n), placed.get(n..)) else {
        return Vec::new();
    };
    if ours.iter().any(|p| !p.node) || rest.iter().any(|p| p.node) {
        return Vec::new();
    }
    for (id, p) in declared.nodes.iter().zip(ours) {
        let Some(text) = &p.text else { continue };
        let own = text == id
            || declared
                .labels
                .get(id)
                .is_some_and(|l| l.iter().any(|l| l == text))
            || declared.default_labels.iter().any(|l| l == text);
        if !own && declared.nodes.iter().any(|other| other == text) {
            return Vec::new();
        }
    }
    declared
        .nodes
        .iter()
        .zip(ours)
        .map(|(id, p)| DotNode {
            id: id.clone(),
            name: if p.shown.trim().is_empty() {
                id.clone()
            } else {
                p.shown.clone()
            },
            x: p.x,
            y: p.y,
            w: p.w,
            h: p.h,
            round: p.round,
        })
        .collect()
}

/// Ties drawn routes to declared edges: the n-th route drawn is the n-th
/// edge in draw order, kept only when its ends sit on the two nodes it
/// claims to join, in the direction its arrowhead shows.
fn identify_edges(declared: &Declared, nodes: &[DotNode], arrows: &[DrawnArrow]) -> Vec<DotEdge> {
    let order = declared.edges_in_draw_order();
    if nodes.is_empty() || order.len() != arrows.len() {
        return Vec::new();
    }
    let by_id: HashMap<&str, &DotNode> = nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    let mut out = Vec::new();
    for ((from, to), a) in order.into_iter().zip(arrows) {
        let (Some(f), Some(t)) = (by_id.get(from.as_str()), by_id.get(to.as_str())) else {
            continue;
        };
        let (Some(&start), Some(&end)) = (a.points.first(), a.points.last()) else {
            continue;
        };
        if a.points.len() < 2 {
            continue;
        }
        let touches = |n: &DotNode, p| n.distance(p) <= TOUCH_PX;
        let forward = touches(f, start) && touches(t, end);
        // layout-rs reverses edges that point back up the graph, moving
        // the arrowhead to the start of the route.
        let backward = touches(t, start) && touches(f, end);
        let attached = match (a.head_start, a.head_end) {
            (false, true) => forward,
            (true, false) => backward,
            _ => forward || backward,
        };
        if attached {
            out.push(DotEdge {
                from: from.clone(),
                to: to.clone(),
                element: format!("{from}->{to}"),
                points: a.points.clone(),
                label: None,
            });
        }
    }
    out
}

/// Gives each edge its label's box. layout-rs draws a label on a
/// connector the edge's route passes exactly through; a label whose
/// connector lies on no identified route, or on several, stays unattached.
fn attach_labels(edges: &mut [DotEdge], placed: &[Placed]) {
    let on_route = |e: &DotEdge, p: (f32, f32)| {
        e.points
            .iter()
            .any(|q| (q.0 - p.0).abs() < 0.5 && (q.1 - p.1).abs() < 0.5)
    };
    for p in placed.iter().filter(|p| !p.node) {
        let Some((text, size, through)) = &p.label else {
            continue;
        };
        let mut hits = edges
            .iter()
            .enumerate()
            .filter(|(_, e)| on_route(e, *through))
            .map(|(j, _)| j);
        let (Some(j), None) = (hits.next(), hits.next()) else {
            continue;
        };
        // The label is centred on the connector's box.
        let (w, h) = crate::diagram::measure::text_size(text, *size);
        let (cx, cy) = (p.x + p.w / 2.0, p.y + p.h / 2.0);
        if let Some(e) = edges.get_mut(j) {
            e.label = Some((cx - w / 2.0, cy - h / 2.0, w, h));
        }
    }
}

/// Parse and lay out a DOT graph into a [`DotDrawing`]: the same guards as
/// [`render_svg`] (size limit, panics caught), no SVG in between.
pub fn render_drawing(src: &str) -> Result<DotDrawing, DotError> {
    let Laid {
        backend,
        declared,
        mut placed,
    } = run_layout(src, Collector::default())?;
    let Collector {
        mut items,
        mut arrows,
    } = backend;
    let Some((x0, y0, x1, y1)) = bounds(&items) else {
        return Err(err("the graph has nothing to draw"));
    };
    let (dx, dy) = (DRAWING_MARGIN - x0, DRAWING_MARGIN - y0);
    shift(&mut items, dx, dy);
    for p in &mut placed {
        p.x += dx;
        p.y += dy;
        if let Some((_, _, through)) = &mut p.label {
            through.0 += dx;
            through.1 += dy;
        }
    }
    for a in &mut arrows {
        for q in &mut a.points {
            q.0 += dx;
            q.1 += dy;
        }
    }
    let nodes = identify_nodes(&declared, &placed);
    let mut edges = identify_edges(&declared, &nodes, &arrows);
    attach_labels(&mut edges, &placed);
    Ok(DotDrawing {
        width: x1 - x0 + 2.0 * DRAWING_MARGIN,
        height: y1 - y0 + 2.0 * DRAWING_MARGIN,
        items,
        nodes,
        edges,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_graph_renders_with_labels_and_our_fonts() {
        let svg = render_svg("digraph { open -> work -> close; work -> leak [label=\"forgot\"] }")
            .expect("renders");
        assert!(svg.starts_with("<svg") || svg.contains("<svg"));
        for label in ["open", "work", "close", "leak"] {
            assert!(svg.contains(label), "{label} missing");
        }
        assert!(!svg.contains("Times"));
        assert!(svg.contains("Noto Sans CJK SC"));
    }

    #[test]
    fn syntax_error_is_an_error_not_a_panic() {
        let e = render_svg("digraph { a -> ").unwrap_err();
        assert!(e.to_string().starts_with("dot: "));
        assert!(render_svg("").is_err());
        assert!(render_svg("graph { }").is_err());
    }

    #[test]
    fn large_graph_is_refused_quickly() {
        let mut src = String::from("digraph {\n");
        for i in 0..100 {
            src.push_str(&format!("n{i} -> n{};\n", i + 1));
        }
        src.push('}');
        let t = std::time::Instant::now();
        let e = render_svg(&src).unwrap_err();
        assert!(e.message.contains("too large"), "{e}");
        assert!(t.elapsed().as_secs() < 1);
    }

    #[test]
    fn drawing_has_boxes_texts_and_arrows_inside_its_size() {
        let d =
            render_drawing("digraph { open -> work -> close; work -> leak [label=\"forgot\"] }")
                .expect("draws");
        let texts: Vec<&str> = d
            .items
            .iter()
            .filter_map(|i| match i {
                DotItem::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        for label in ["open", "work", "close", "leak", "forgot"] {
            assert!(texts.contains(&label), "{label} missing from {texts:?}");
        }
        let arrows = d
            .items
            .iter()
            .filter(|i| matches!(i, DotItem::Arrow { head_end: true, .. }))
            .count();
        assert!(arrows >= 3, "{arrows} arrows");
        let (x0, y0, x1, y1) = bounds(&d.items).expect("bounds");
        assert!((x0 - DRAWING_MARGIN).abs() < 0.01 && (y0 - DRAWING_MARGIN).abs() < 0.01);
        assert!(x1 <= d.width && y1 <= d.height);
    }

    #[test]
    fn drawing_keeps_colours_and_shapes() {
        let d = render_drawing(
            "digraph { a [shape=circle, fillcolor=\"#ff0000\", style=filled]; b [shape=box, color=blue]; a -> b [style=dashed] }",
        )
        .expect("draws");
        assert!(d.items.iter().any(|i| matches!(
            i,
            DotItem::Ellipse {
                fill: Some(Rgba([255, 0, 0, 255])),
                ..
            }
        )));
        assert!(d.items.iter().any(|i| matches!(
            i,
            DotItem::Rect {
                stroke: Rgba([0, 0, 255, 255]),
                ..
            }
        )));
        assert!(d
            .items
            .iter()
            .any(|i| matches!(i, DotItem::Arrow { dashed: true, .. })));
    }

    #[test]
    fn drawing_has_the_same_guards_as_svg() {
        assert!(render_drawing("digraph { a -> ").is_err());
        assert!(render_drawing("graph { }").is_err());
        let mut src = String::from("digraph {\n");
        for i in 0..100 {
            src.push_str(&format!("n{i} -> n{};\n", i + 1));
        }
        src.push('}');
        let e = render_drawing(&src).unwrap_err();
        assert!(e.message.contains("too large"), "{e}");
    }

    #[test]
    fn flattening_follows_the_smooth_path_and_mirrors_controls() {
        let p = |x, y| Point::new(x, y);
        // A straight path stays on the line; S segments reuse the mirror.
        let path = [
            (p(0.0, 0.0), p(0.0, 10.0)),
            (p(0.0, 20.0), p(0.0, 30.0)),
            (p(0.0, 50.0), p(0.0, 60.0)),
        ];
        let pts = flatten_dot_path(&path, 4);
        assert_eq!(pts.len(), 1 + 2 * 4);
        assert_eq!(pts[0], (0.0, 0.0));
        assert_eq!(pts[4], (0.0, 30.0));
        assert_eq!(*pts.last().expect("points"), (0.0, 60.0));
        assert!(pts.iter().all(|q| q.0 == 0.0));
        assert!(pts.windows(2).all(|w| w[1].1 >= w[0].1));
        assert!(flatten_dot_path(&[], 4).is_empty());
    }

    #[test]
    fn web_colours_parse() {
        assert_eq!(Rgba::from_web("#ff7f50ff"), Rgba([255, 127, 80, 255]));
        assert_eq!(Rgba::from_web("bogus"), Rgba::BLACK);
        assert!(Rgba::BLACK.is_default_ink() && Rgba::WHITE.is_default_fill());
    }

    fn text_at(d: &DotDrawing, text: &str) -> (f32, f32) {
        d.items
            .iter()
            .find_map(|i| match i {
                DotItem::Text { x, y, text: t, .. } if t == text => Some((*x, *y)),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no text {text:?}"))
    }

    fn node<'a>(d: &'a DotDrawing, id: &str) -> &'a DotNode {
        d.nodes
            .iter()
            .find(|n| n.id == id)
            .unwrap_or_else(|| panic!("no node {id:?} in {:?}", d.nodes))
    }

    fn elements(d: &DotDrawing) -> Vec<&str> {
        d.edges.iter().map(|e| e.element.as_str()).collect()
    }

    #[test]
    fn nodes_are_identified_where_their_labels_are_drawn() {
        let d = render_drawing(
            "digraph { open -> work -> close; work -> leak [label=\"forgot\"]; work [shape=box] }",
        )
        .expect("draws");
        let ids: Vec<&str> = d.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["open", "work", "close", "leak"]);
        for id in ids {
            let n = node(&d, id);
            let (x, y) = text_at(&d, id);
            assert!(n.hit(x, y), "{id}'s label is outside its shape {n:?}");
            for other in d.nodes.iter().filter(|o| o.id != id) {
                assert!(!other.hit(x, y), "{id}'s label also hits {}", other.id);
            }
        }
        assert!(!node(&d, "work").round && node(&d, "open").round);
        assert_eq!(elements(&d), ["open->work", "work->close", "work->leak"]);
        // The edge label is not a node.
        let (fx, fy) = text_at(&d, "forgot");
        assert!(d.nodes.iter().all(|n| !n.hit(fx, fy)));
    }

    #[test]
    fn edge_labels_belong_to_their_edges() {
        let d = render_drawing(
            "digraph { a -> b [label=\"send\"]; a -> c; c -> b [label=\"close\"]; b -> b [label=\"spin\"] }",
        )
        .expect("draws");
        for (element, text) in [("a->b", "send"), ("c->b", "close"), ("b->b", "spin")] {
            let e = d
                .edges
                .iter()
                .find(|e| e.element == element)
                .expect(element);
            let (x, y, w, h) = e.label.unwrap_or_else(|| panic!("{element} has no label"));
            let (tx, ty) = text_at(&d, text);
            assert!(
                tx >= x && tx <= x + w && ty >= y && ty <= y + h,
                "{text} at {tx},{ty} outside {:?}",
                e.label
            );
        }
        let plain = d.edges.iter().find(|e| e.element == "a->c").expect("a->c");
        assert_eq!(plain.label, None);
    }

    #[test]
    fn labels_name_nodes_but_ids_identify_them() {
        // Each node is labelled with the other's id: only the order the
        // graph declares them in tells them apart.
        let d = render_drawing(
            "digraph { a [label=\"b\"]; b [label=\"a\"]; p [label=\"Producer\"]; a -> b -> p }",
        )
        .expect("draws");
        let a = node(&d, "a");
        assert_eq!(a.name, "b");
        let (x, y) = text_at(&d, "b");
        assert!(a.hit(x, y));
        let (x, y) = text_at(&d, "Producer");
        assert!(node(&d, "p").hit(x, y));
        assert_eq!(node(&d, "p").name, "Producer");
    }

    #[test]
    fn edges_drawn_backwards_and_loops_keep_their_names() {
        // b -> a points back up the graph, so layout-rs draws it from a to
        // b; the loop is drawn after every other edge.
        let d = render_drawing("digraph { a -> a; a -> b; b -> a; b -> c }").expect("draws");
        let mut got = elements(&d);
        got.sort_unstable();
        assert_eq!(got, ["a->a", "a->b", "b->a", "b->c"]);
        let (a, b) = (node(&d, "a"), node(&d, "b"));
        let back = d.edges.iter().find(|e| e.element == "b->a").expect("b->a");
        assert_eq!((back.from.as_str(), back.to.as_str()), ("b", "a"));
        let ends = (back.points[0], back.points[back.points.len() - 1]);
        assert!(a.distance(ends.0) <= TOUCH_PX && b.distance(ends.1) <= TOUCH_PX);
    }

    #[test]
    fn records_undirected_graphs_and_sideways_layouts_are_identified() {
        let d = render_drawing(
            "graph { rankdir=LR; x [shape=record, label=\"<f0> left|<f1> right\"]; x:f0 -- y; y -- z [label=\"hi\"]; z -- x; d [shape=doublecircle]; d -- y }",
        )
        .expect("draws");
        assert_eq!(node(&d, "x").name, "left | right");
        for field in ["left", "right"] {
            let (px, py) = text_at(&d, field);
            assert!(node(&d, "x").hit(px, py), "{field}");
        }
        let (px, py) = text_at(&d, "d");
        assert!(node(&d, "d").hit(px, py));
        let mut got = elements(&d);
        got.sort_unstable();
        assert_eq!(got, ["d->y", "x->y", "y->z", "z->x"]);
    }

    #[test]
    fn subgraph_and_default_statements_do_not_shift_the_order() {
        let d = render_drawing(
            "digraph { node [shape=box]; edge [color=red]; subgraph cluster_w { w1 -> w2 } start -> w1; w2 -> done }",
        )
        .expect("draws");
        for id in ["w1", "w2", "start", "done"] {
            let (x, y) = text_at(&d, id);
            assert!(node(&d, id).hit(x, y), "{id}");
        }
        assert_eq!(elements(&d), ["w1->w2", "start->w1", "w2->done"]);
    }

    fn placed(text: &str, x: f32) -> Placed {
        Placed {
            node: true,
            text: Some(text.to_string()),
            shown: text.to_string(),
            x,
            y: 0.0,
            w: 20.0,
            h: 20.0,
            round: false,
            label: None,
        }
    }

    fn declared(src: &str) -> Declared {
        Declared::of(&DotParser::new(src).process().expect("parses"))
    }

    #[test]
    fn an_order_that_does_not_match_identifies_nothing() {
        let d = declared("digraph { a -> b }");
        assert_eq!(
            identify_nodes(&d, &[placed("a", 0.0), placed("b", 40.0)]).len(),
            2
        );
        // The shapes arrive swapped: b's shape first.
        assert!(identify_nodes(&d, &[placed("b", 0.0), placed("a", 40.0)]).is_empty());
        // A node missing, or a connector where a node should be.
        assert!(identify_nodes(&d, &[placed("a", 0.0)]).is_empty());
        let mut conn = placed("", 40.0);
        conn.node = false;
        assert!(identify_nodes(&d, &[placed("a", 0.0), conn.clone()]).is_empty());
        // An extra real node after them is not a layout connector either.
        let three = [placed("a", 0.0), placed("b", 40.0), placed("c", 80.0)];
        assert!(identify_nodes(&d, &three).is_empty());
        let with_conn = [placed("a", 0.0), placed("b", 40.0), conn];
        assert_eq!(identify_nodes(&d, &with_conn).len(), 2);
    }

    #[test]
    fn a_route_that_does_not_join_its_nodes_is_left_unnamed() {
        let d = declared("digraph { a -> b; b -> c }");
        let nodes = identify_nodes(
            &d,
            &[placed("a", 0.0), placed("b", 40.0), placed("c", 80.0)],
        );
        let arrow = |from: f32, to: f32| DrawnArrow {
            points: vec![(from, 10.0), (to, 10.0)],
            head_start: false,
            head_end: true,
        };
        // a ends at x=20, b spans 40..60, c starts at 80.
        let good = [arrow(20.0, 40.0), arrow(60.0, 80.0)];
        let named: Vec<String> = identify_edges(&d, &nodes, &good)
            .into_iter()
            .map(|e| e.element)
            .collect();
        assert_eq!(named, ["a->b", "b->c"]);
        // Routes in the wrong order: neither joins what it would be named.
        let swapped = [arrow(60.0, 80.0), arrow(20.0, 40.0)];
        assert!(identify_edges(&d, &nodes, &swapped).is_empty());
        // Head at the wrong end: that is b -> a, not a -> b.
        let mut reversed = arrow(20.0, 40.0);
        reversed.head_start = true;
        reversed.head_end = false;
        let got = identify_edges(&d, &nodes, &[reversed, arrow(60.0, 80.0)]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].element, "b->c");
        // One route too few or too many: nothing is named.
        assert!(identify_edges(&d, &nodes, &good[..1]).is_empty());
        // Unidentified nodes leave edges unidentified.
        assert!(identify_edges(&d, &[], &good).is_empty());
    }

    #[test]
    fn hits_follow_the_drawn_shape() {
        let mut n = DotNode {
            id: "a".into(),
            name: "a".into(),
            x: 0.0,
            y: 0.0,
            w: 40.0,
            h: 20.0,
            round: false,
        };
        assert!(n.hit(1.0, 1.0) && n.hit(20.0, 10.0) && !n.hit(41.0, 10.0));
        n.round = true;
        assert!(n.hit(20.0, 10.0) && n.hit(39.0, 10.0) && !n.hit(1.0, 1.0));
        n.w = 0.0;
        assert!(!n.hit(0.0, 10.0));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Whatever the text, drawing never panics, and whatever it
        /// identifies is declared in the source.
        #[test]
        fn any_text_draws_or_errs_and_names_only_declared_things(
            stmts in proptest::collection::vec(
                proptest::prop_oneof![
                    "[a-d] -> [a-d]",
                    "[a-d] -- [a-d]",
                    // Labels use other letters than ids, so a drawn id is
                    // always a default label, never someone else's.
                    "[a-d] \\[label=\"[e-g ]{0,3}\"\\]",
                    "[a-d] \\[shape=(box|record|doublecircle)\\]",
                    "[a-d] -> [a-d] \\[label=[e-g]\\]",
                    "subgraph \\{ [a-d] -> [a-d] \\}",
                    "rankdir=LR",
                    "[{}\\[\\];\"=>-]",
                ],
                0..8,
            ),
            kind in proptest::prop_oneof!["digraph", "graph"],
        ) {
            let src = format!("{kind} {{ {} }}", stmts.join("; "));
            if let Ok(d) = render_drawing(&src) {
                for n in &d.nodes {
                    proptest::prop_assert!(src.contains(n.id.as_str()), "{} in {src}", n.id);
                    // A node's label, where drawn, is drawn inside it.
                    let mut same = d.items.iter().filter_map(|i| match i {
                        DotItem::Text { x, y, text, .. } if *text == n.name => Some((*x, *y)),
                        _ => None,
                    }).peekable();
                    if same.peek().is_some() {
                        proptest::prop_assert!(same.any(|(x, y)| n.hit(x, y)), "{n:?} in {src}");
                    }
                }
                for e in &d.edges {
                    proptest::prop_assert!(d.nodes.iter().any(|n| n.id == e.from));
                    proptest::prop_assert!(d.nodes.iter().any(|n| n.id == e.to));
                }
            }
        }
    }
}
