//! Graphviz DOT blocks, laid out and drawn by the layout-rs crate.
//!
//! layout-rs is fine for the small graphs people put in notes, but it asserts
//! on some inputs and slows down badly on large ones (a 2,000-node graph did
//! not finish in 25 minutes here), so every call is size-guarded and any
//! panic inside the crate becomes an ordinary error.

use layout::backends::svg::SVGWriter;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;
use layout::gv::parser::ast;
use layout::gv::{DotParser, GraphBuilder};
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

/// Node ids and edge count of a parsed graph, subgraphs included.
fn count(list: &ast::StmtList, nodes: &mut std::collections::BTreeSet<String>, edges: &mut usize) {
    for stmt in &list.list {
        match stmt {
            ast::Stmt::Edge(e) => {
                nodes.insert(e.from.name.clone());
                for (to, _) in &e.to {
                    nodes.insert(to.name.clone());
                }
                *edges += e.to.len();
            }
            ast::Stmt::Node(n) => {
                nodes.insert(n.id.name.clone());
            }
            ast::Stmt::SubGraph(g) => count(&g.list, nodes, edges),
            ast::Stmt::Attribute(_) => {}
        }
    }
}

/// The font stack used by every SVG Strata writes: layout-rs asks for
/// `Times, serif`, which many renderers lack (labels then vanish in resvg).
const FONT_STACK: &str = "ui-sans-serif, system-ui, 'Segoe UI', Helvetica, Arial, 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";

/// Parses, size-checks, lays out and renders a DOT graph into `backend`,
/// turning any panic inside layout-rs into an error.
fn run_layout<B: RenderBackend + std::panic::UnwindSafe>(
    src: &str,
    backend: B,
) -> Result<B, DotError> {
    let src = src.to_string();
    let result = std::panic::catch_unwind(move || -> Result<B, DotError> {
        let mut backend = backend;
        let mut parser = DotParser::new(&src);
        let graph = parser.process().map_err(err)?;
        let mut nodes = std::collections::BTreeSet::new();
        let mut edges = 0;
        count(&graph.list, &mut nodes, &mut edges);
        if nodes.is_empty() {
            return Err(err("the graph has no nodes"));
        }
        if nodes.len() > MAX_NODES || edges > MAX_EDGES {
            return Err(err(format!(
                "graph too large to draw here ({} nodes, {} edges; the DOT renderer takes at most {MAX_NODES} nodes and {MAX_EDGES} edges)",
                nodes.len(),
                edges
            )));
        }
        let mut builder = GraphBuilder::new();
        builder.visit_graph(&graph);
        let mut vg = builder.get();
        vg.do_it(false, false, false, &mut backend);
        Ok(backend)
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
    let svg = run_layout(src, SVGWriter::new())?;
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
}

/// Empty space kept around a drawing.
pub const DRAWING_MARGIN: f32 = 5.0;
/// Segments per cubic when flattening edges: plenty for node-sized curves.
const CURVE_STEPS: usize = 8;

/// Collects layout-rs draw calls as [`DotItem`]s.
#[derive(Default)]
struct Collector {
    items: Vec<DotItem>,
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

/// Parse and lay out a DOT graph into a [`DotDrawing`]: the same guards as
/// [`render_svg`] (size limit, panics caught), no SVG in between.
pub fn render_drawing(src: &str) -> Result<DotDrawing, DotError> {
    let mut items = run_layout(src, Collector::default())?.items;
    let Some((x0, y0, x1, y1)) = bounds(&items) else {
        return Err(err("the graph has nothing to draw"));
    };
    shift(&mut items, DRAWING_MARGIN - x0, DRAWING_MARGIN - y0);
    Ok(DotDrawing {
        width: x1 - x0 + 2.0 * DRAWING_MARGIN,
        height: y1 - y0 + 2.0 * DRAWING_MARGIN,
        items,
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
}
