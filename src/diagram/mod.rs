//! Flowcharts: Mermaid text -> [`model::Flowchart`] -> [`layout::Layout`]
//! -> SVG or layout JSON. No UI toolkit in here.

pub mod dot;
pub mod layout;
pub mod measure;
pub mod model;
pub mod parse;
pub mod png;
pub mod svg;

use layout::{
    CurveStyle, LCluster, LEdge, LNode, Layout, LayoutError, LayoutInput, LayoutOptions, ShapeKind,
};
use model::{Curve, Flowchart, Label, Shape};
use parse::ParseError;
use std::collections::HashMap;
use std::fmt;

pub use svg::Theme;

/// Font size of node and edge labels, in px.
pub const FONT_PX: f32 = 14.0;
/// Font size of subgraph titles, in px.
pub const TITLE_FONT_PX: f32 = 14.0;
/// Space between a label and the outline of a rectangular node.
const PAD_X: f32 = 16.0;
const PAD_Y: f32 = 10.0;
/// Size of a subgraph that has no nodes, so edges to it still land somewhere.
const EMPTY_CLUSTER_NODE: f32 = 10.0;

/// Anything that stops a diagram from being drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum DiagramError {
    Parse(ParseError),
    Layout(LayoutError),
}

impl DiagramError {
    /// `line:col: message` plus source line and caret for parse errors; the
    /// layout message otherwise (layout errors have no source position).
    pub fn render(&self, src: &str) -> String {
        match self {
            DiagramError::Parse(e) => e.render(src),
            DiagramError::Layout(e) => format!("1:1: {e}"),
        }
    }
}

impl fmt::Display for DiagramError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiagramError::Parse(e) => write!(f, "{e}"),
            DiagramError::Layout(e) => write!(f, "layout: {e}"),
        }
    }
}

impl std::error::Error for DiagramError {}

impl From<ParseError> for DiagramError {
    fn from(e: ParseError) -> Self {
        DiagramError::Parse(e)
    }
}

impl From<LayoutError> for DiagramError {
    fn from(e: LayoutError) -> Self {
        DiagramError::Layout(e)
    }
}

/// Size of a label in px: widest line by number of lines. Bold spans are
/// measured 6% wider, which covers the heavier weight in common UI fonts.
pub fn label_size(label: &Label, font_px: f32) -> (f32, f32) {
    if label.is_empty() {
        return (0.0, 0.0);
    }
    let mut w: f32 = 0.0;
    for line in &label.lines {
        let lw: f32 = line
            .iter()
            .map(|s| {
                let base = measure::line_width(&s.text, font_px);
                if s.bold {
                    base * 1.06
                } else {
                    base
                }
            })
            .sum();
        w = w.max(lw);
    }
    let h = label.lines.len() as f32 * font_px * measure::LINE_HEIGHT;
    (w, h)
}

/// Width at which Mermaid wraps markdown-string labels automatically.
pub const MARKDOWN_WRAP_PX: f32 = 200.0;

/// The label as drawn: markdown strings are re-flowed to
/// [`MARKDOWN_WRAP_PX`] like Mermaid does; other labels keep their lines.
pub fn display_label(label: &Label) -> std::borrow::Cow<'_, Label> {
    if !label.markdown {
        return std::borrow::Cow::Borrowed(label);
    }
    std::borrow::Cow::Owned(wrap_label(label, MARKDOWN_WRAP_PX, FONT_PX))
}

/// Greedy word wrap of formatted lines; words keep their bold/italic.
/// Wide (CJK) characters may break anywhere; a single over-long word stays
/// on its own line rather than being cut mid-word.
pub fn wrap_label(label: &Label, max_px: f32, font_px: f32) -> Label {
    use model::Span;
    // (text, bold, italic, space before)
    type Atom = (String, bool, bool, bool);
    let mut lines: Vec<Vec<Span>> = Vec::new();
    for line in &label.lines {
        let mut atoms: Vec<Atom> = Vec::new();
        let mut space = false;
        for span in line {
            let mut cur = String::new();
            for c in span.text.chars() {
                if c == ' ' {
                    if !cur.is_empty() {
                        atoms.push((std::mem::take(&mut cur), span.bold, span.italic, space));
                    }
                    space = true;
                } else if measure::is_wide(c) {
                    if !cur.is_empty() {
                        atoms.push((std::mem::take(&mut cur), span.bold, span.italic, space));
                        space = false;
                    }
                    atoms.push((c.to_string(), span.bold, span.italic, space));
                    space = false;
                } else {
                    cur.push(c);
                }
            }
            if !cur.is_empty() {
                atoms.push((cur, span.bold, span.italic, space));
                space = false;
            }
        }
        let mut out: Vec<Span> = Vec::new();
        let mut width = 0.0;
        let space_w = measure::line_width(" ", font_px);
        for (text, bold, italic, sp) in atoms {
            let w = measure::line_width(&text, font_px);
            let gap = if sp && !out.is_empty() { space_w } else { 0.0 };
            if !out.is_empty() && width + gap + w > max_px {
                lines.push(std::mem::take(&mut out));
                width = 0.0;
            }
            let piece = if sp && !out.is_empty() {
                format!(" {text}")
            } else {
                text
            };
            width += measure::line_width(&piece, font_px);
            match out.last_mut() {
                Some(last) if last.bold == bold && last.italic == italic => {
                    last.text.push_str(&piece)
                }
                // The separating space goes into the unformatted neighbour,
                // so bold/italic runs start and end at a letter.
                Some(last) => {
                    let last_plain = !last.bold && !last.italic;
                    let text = match piece.strip_prefix(' ') {
                        Some(rest) if last_plain && (bold || italic) => {
                            last.text.push(' ');
                            rest.to_string()
                        }
                        _ => piece,
                    };
                    out.push(Span { text, bold, italic });
                }
                None => out.push(Span {
                    text: piece,
                    bold,
                    italic,
                }),
            }
        }
        lines.push(out);
    }
    Label {
        lines,
        markdown: label.markdown,
    }
}

/// Outline size of a node whose label measures `tw` x `th`, so the label
/// sits inside the shape's outline with padding.
pub fn node_size(shape: Shape, tw: f32, th: f32) -> (f32, f32) {
    use Shape::*;
    let th = th.max(FONT_PX * measure::LINE_HEIGHT);
    let rect = (tw + 2.0 * PAD_X, th + 2.0 * PAD_Y);
    match shape {
        Circle | DoubleCircle => {
            let d = (tw * tw + th * th).sqrt() + 2.0 * 6.0;
            let d = if shape == DoubleCircle { d + 10.0 } else { d };
            (d, d)
        }
        SmallCircle | FilledCircle | FramedCircle | Anchor => (18.0, 18.0),
        CrossedCircle => (30.0, 30.0),
        Bolt => (36.0, 36.0),
        ForkJoin => (70.0, 10.0),
        Diamond | Choice => {
            // Rhombus |x|/a + |y|/b <= 1 through the label's corners:
            // a = tw/2 + m, b = th*a/(2m); m trades width for height.
            let m = th.max(20.0);
            let a = tw / 2.0 + m;
            let b = th * a / (2.0 * m);
            (2.0 * a + 12.0, 2.0 * b + 12.0)
        }
        Hexagon => (rect.0 + rect.1 / 2.0, rect.1),
        LeanRight | LeanLeft | Trapezoid | InvTrapezoid | SlopedRect | CurvedTrapezoid => {
            (rect.0 + rect.1 * 0.6, rect.1)
        }
        Stadium | Delay => (rect.0 + rect.1 / 2.0, rect.1),
        Asymmetric | Flag => (rect.0 + rect.1 / 3.0, rect.1),
        Cylinder | LinedCylinder => {
            let ry = cylinder_ry(rect.0);
            (rect.0, rect.1 + 2.0 * ry)
        }
        HorizontalCylinder => {
            let rx = cylinder_ry(rect.1);
            (rect.0 + 2.0 * rx, rect.1)
        }
        Ellipse => (tw * 1.42 + 2.0 * PAD_Y, th * 1.42 + 2.0 * PAD_Y),
        Triangle | FlippedTriangle => (tw * 2.0 + 2.0 * PAD_X, th * 2.0 + 2.0 * PAD_Y),
        Document | LinedDocument | TaggedDocument => (rect.0, rect.1 + 10.0),
        StackedDocument | StackedRect => (rect.0 + 8.0, rect.1 + 8.0),
        Subroutine | LinedRect | WindowPane => (rect.0 + 16.0, rect.1),
        DividedRect => (rect.0, rect.1 + 10.0),
        BraceLeft | BraceRight | Braces => (rect.0 + 10.0, rect.1),
        Text => (tw + 8.0, th + 8.0),
        Icon | Image => (rect.0.max(60.0), rect.1 + 40.0),
        _ => rect,
    }
}

/// Radius of a cylinder's end caps for a body of the given width.
pub fn cylinder_ry(width: f32) -> f32 {
    (width * 0.06 + 3.0).min(12.0)
}

fn shape_kind(shape: Shape) -> ShapeKind {
    use Shape::*;
    match shape {
        Rect | Subroutine | LinedRect | DividedRect | WindowPane | Card | StackedRect
        | TaggedRect | ClassBox | Note | Icon | Image | Document | LinedDocument
        | StackedDocument | TaggedDocument | ForkJoin | Text => ShapeKind::Rect,
        Rounded | State => ShapeKind::RoundRect,
        Stadium => ShapeKind::Stadium,
        Diamond | Choice => ShapeKind::Diamond,
        Circle | DoubleCircle | SmallCircle | FilledCircle | FramedCircle | CrossedCircle
        | Anchor => ShapeKind::Circle,
        Ellipse => ShapeKind::Ellipse,
        Hexagon => ShapeKind::Hexagon,
        Cylinder | LinedCylinder => ShapeKind::Cylinder,
        LeanRight | LeanLeft => ShapeKind::Parallelogram,
        Trapezoid | InvTrapezoid => ShapeKind::Trapezoid,
        _ => ShapeKind::Other,
    }
}

fn layout_direction(d: model::Direction) -> layout::Direction {
    match d {
        model::Direction::TB => layout::Direction::TB,
        model::Direction::BT => layout::Direction::BT,
        model::Direction::LR => layout::Direction::LR,
        model::Direction::RL => layout::Direction::RL,
    }
}

/// Whether a node's label is drawn: symbol shapes (`sm-circ`, `fork`,
/// `bolt`, `cross-circ`, ...) are drawn without text, as in Mermaid.
pub fn shows_label(shape: Shape) -> bool {
    !matches!(
        shape,
        Shape::SmallCircle
            | Shape::FilledCircle
            | Shape::FramedCircle
            | Shape::ForkJoin
            | Shape::Anchor
            | Shape::CrossedCircle
            | Shape::Bolt
    )
}

/// Builds the layout engine's input. Indices line up with the chart:
/// `nodes[i]` is `chart.nodes[i]`, `edges[i]` is `chart.edges[i]`,
/// `clusters[i]` is `chart.subgraphs[i]`. A subgraph without nodes gets one
/// small extra node (after the chart's nodes) so it has a size and edges to
/// it have an end. An edge to a subgraph names it in `to_cluster` (the
/// layout draws it to the subgraph's box) and has its first node as `to`.
pub fn prepare(chart: &Flowchart) -> LayoutInput {
    let mut nodes: Vec<LNode> = chart
        .nodes
        .iter()
        .map(|n| {
            let (tw, th) = if shows_label(n.shape) {
                label_size(&display_label(&n.label), FONT_PX)
            } else {
                (0.0, 0.0)
            };
            let (width, height) = node_size(n.shape, tw, th);
            LNode {
                width,
                height,
                shape: shape_kind(n.shape),
            }
        })
        .collect();
    let node_ix: HashMap<&str, usize> = chart
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let sg_ix: HashMap<&str, usize> = chart
        .subgraphs
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut clusters: Vec<LCluster> = chart
        .subgraphs
        .iter()
        .map(|s| {
            let (tw, th) = label_size(&display_label(&s.title), TITLE_FONT_PX);
            LCluster {
                nodes: s
                    .nodes
                    .iter()
                    .filter_map(|id| node_ix.get(id.as_str()).copied())
                    .collect(),
                parent: s.parent.as_deref().and_then(|p| sg_ix.get(p).copied()),
                title_size: if tw > 0.0 {
                    (tw + 8.0, th + 4.0)
                } else {
                    (0.0, 0.0)
                },
                direction: s.direction.map(layout_direction),
            }
        })
        .collect();
    // Representative node of each subgraph: its first node, else the first
    // one found in a nested subgraph, else a small invisible stand-in node.
    let mut rep: Vec<Option<usize>> = vec![None; clusters.len()];
    for i in (0..clusters.len()).rev() {
        rep[i] = clusters[i].nodes.first().copied().or_else(|| {
            (0..clusters.len())
                .filter(|&c| clusters[c].parent == Some(i))
                .find_map(|c| rep[c])
        });
    }
    for i in 0..clusters.len() {
        if rep[i].is_none() {
            nodes.push(LNode {
                width: EMPTY_CLUSTER_NODE,
                height: EMPTY_CLUSTER_NODE,
                shape: ShapeKind::Rect,
            });
            let v = nodes.len() - 1;
            clusters[i].nodes.push(v);
            rep[i] = Some(v);
            // Parents may have been resolved through this one.
            let mut p = clusters[i].parent;
            while let Some(q) = p {
                if rep[q].is_none() {
                    rep[q] = Some(v);
                }
                p = clusters[q].parent;
            }
        }
    }
    let end = |id: &str| -> usize {
        node_ix
            .get(id)
            .copied()
            .or_else(|| sg_ix.get(id).and_then(|&s| rep[s]))
            .unwrap_or(0)
    };
    let cluster_end = |id: &str| -> Option<usize> {
        if node_ix.contains_key(id) {
            return None;
        }
        sg_ix.get(id).copied()
    };
    let edges: Vec<LEdge> = chart
        .edges
        .iter()
        .map(|e| LEdge {
            from: end(&e.from),
            to: end(&e.to),
            from_cluster: cluster_end(&e.from),
            to_cluster: cluster_end(&e.to),
            min_len: e.min_len.max(1),
            label_size: e.label.as_ref().filter(|l| !l.is_empty()).map(|l| {
                let (w, h) = label_size(&display_label(l), FONT_PX);
                (w + 8.0, h + 4.0)
            }),
        })
        .collect();
    let mut options = LayoutOptions::default();
    if let Some(s) = chart.config.node_spacing {
        options.node_sep = s.clamp(0.0, 1000.0);
    }
    if let Some(s) = chart.config.rank_spacing {
        options.rank_sep = s.clamp(0.0, 1000.0);
    }
    options.curve = curve_style(chart.config.curve);
    LayoutInput {
        direction: layout_direction(chart.direction),
        nodes,
        edges,
        clusters,
        options,
    }
}

fn curve_style(curve: Option<Curve>) -> CurveStyle {
    match curve {
        None => CurveStyle::Smooth,
        Some(c) if c.is_smooth() => CurveStyle::Smooth,
        Some(Curve::Linear) => CurveStyle::Straight,
        Some(_) => CurveStyle::Orthogonal,
    }
}

/// Parses and lays out a diagram.
pub fn parse_and_layout(src: &str) -> Result<(Flowchart, Layout), DiagramError> {
    let (chart, _warnings) = parse::parse(src)?;
    if chart.nodes.is_empty() && chart.subgraphs.is_empty() {
        return Ok((chart, Layout::default()));
    }
    let input = prepare(&chart);
    let layout = layout::layout(&input)?;
    Ok((chart, layout))
}

/// Mermaid text -> standalone SVG 1.1 document.
pub fn render_svg(src: &str, theme: Theme) -> Result<String, DiagramError> {
    let (chart, layout) = parse_and_layout(src)?;
    Ok(svg::render(&chart, &layout, theme, svg::id_prefix(src)))
}

/// Mermaid text -> the layout JSON of `strata render --format json`:
/// centres and sizes of nodes, edge polylines, subgraph boxes and the time
/// the layout took.
pub fn layout_json(src: &str) -> Result<String, DiagramError> {
    let (chart, _) = parse::parse(src)?;
    let started = std::time::Instant::now();
    let layout = if chart.nodes.is_empty() && chart.subgraphs.is_empty() {
        Layout::default()
    } else {
        layout::layout(&prepare(&chart))?
    };
    let layout_ms = started.elapsed().as_secs_f64() * 1000.0;
    let round = |v: f32| (f64::from(v) * 100.0).round() / 100.0;
    let nodes: Vec<serde_json::Value> = chart
        .nodes
        .iter()
        .zip(&layout.nodes)
        .map(|(n, b)| {
            serde_json::json!({
                "id": n.id, "x": round(b.x), "y": round(b.y), "w": round(b.w), "h": round(b.h)
            })
        })
        .collect();
    let edges: Vec<serde_json::Value> = chart
        .edges
        .iter()
        .zip(&layout.edges)
        .map(|(e, r)| {
            let pts: Vec<[f64; 2]> = r.points.iter().map(|p| [round(p.x), round(p.y)]).collect();
            serde_json::json!({ "from": e.from, "to": e.to, "points": pts })
        })
        .collect();
    let clusters: Vec<serde_json::Value> = chart
        .subgraphs
        .iter()
        .zip(&layout.clusters)
        .map(|(s, c)| {
            // Clusters are reported like nodes: centre and size.
            serde_json::json!({
                "id": s.id,
                "x": round(c.x + c.w / 2.0), "y": round(c.y + c.h / 2.0),
                "w": round(c.w), "h": round(c.h)
            })
        })
        .collect();
    let doc = serde_json::json!({
        "width": round(layout.width),
        "height": round(layout.height),
        "nodes": nodes,
        "edges": edges,
        "subgraphs": clusters,
        "layout_ms": (layout_ms * 1000.0).round() / 1000.0,
    });
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests;
