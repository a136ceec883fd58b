//! A laid-out flowchart resolved for painting (colours, outlines, click
//! targets), built once per edit, and the per-frame painting of it.

use super::geom::{self, Outline};
use super::DiagramAction;
use crate::diagram::layout::{Layout, Point};
use crate::diagram::model::{
    style_value, ClickAction, Flowchart, Label, Marker, Stroke as EdgeStroke, StyleProp,
};
use crate::diagram::svg::{palette, safe_url, Palette, Theme};
use crate::diagram::{display_label, label_size, shows_label, FONT_PX, TITLE_FONT_PX};
use crate::i18n::tr;
use egui::epaint::{CubicBezierShape, Mesh, PathShape, PathStroke};
use egui::{pos2, vec2, Color32, FontId, Painter, Pos2, Rect, Shape, Stroke, Vec2};

/// Empty space around a drawing, as in the SVG output.
pub const MARGIN: f32 = 8.0;
/// Font size of a front-matter title.
const TITLE_PX: f32 = 18.0;
/// Arrowhead length, in layout px (the SVG marker is 10 x 10).
const ARROW_LEN: f32 = 10.0;

/// A run of label text with its formatting.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

pub type Lines = Vec<Vec<Run>>;

fn lines_of(label: &Label) -> Lines {
    display_label(label)
        .lines
        .iter()
        .map(|l| {
            l.iter()
                .map(|s| Run {
                    text: s.text.clone(),
                    bold: s.bold,
                    italic: s.italic,
                })
                .collect()
        })
        .collect()
}

/// How a filled, stroked thing looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    pub fill: Color32,
    pub stroke: Color32,
    pub width: f32,
    pub dash: Option<(f32, f32)>,
    pub text: Color32,
}

#[derive(Debug, Clone)]
pub struct SCluster {
    pub rect: Rect,
    pub title: Lines,
    pub look: Look,
}

#[derive(Debug, Clone)]
pub struct SNode {
    /// The node's id in the chart source: what a review comment names.
    pub id: String,
    /// Plain label (lines joined by spaces): the accessible name and what
    /// `is_note` is asked about. Symbol shapes fall back to the node id.
    pub name: String,
    pub lines: Lines,
    pub bbox: Rect,
    pub outline: Outline,
    pub look: Look,
    /// From the chart's `click` statements.
    pub action: Option<DiagramAction>,
    pub tooltip: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SEdge {
    pub from: Option<usize>,
    pub to: Option<usize>,
    pub points: Vec<Pos2>,
    /// Cubic chain, when the layout made a smooth curve.
    pub bezier: Option<Vec<Pos2>>,
    pub color: Color32,
    pub width: f32,
    pub dash: Option<(f32, f32)>,
    pub head: Marker,
    pub tail: Marker,
    pub label: Option<(Lines, Pos2)>,
    pub label_color: Color32,
    /// `from->to` with the chart's ids: what a review comment names.
    pub element: String,
    /// The drawn route as a polyline (curves flattened), for picking the
    /// edge under the pointer and placing its badge.
    pub path: Vec<Pos2>,
}

impl SEdge {
    /// Where the edge's review badge goes: the top-right corner of its
    /// label (so the label stays readable), else the middle of its route.
    pub fn anchor_point(&self) -> Option<Pos2> {
        match &self.label {
            Some((lines, p)) => {
                let text: Vec<String> = lines
                    .iter()
                    .map(|l| l.iter().map(|r| r.text.as_str()).collect())
                    .collect();
                let (w, h) = crate::diagram::measure::text_size(&text.join("\n"), FONT_PX);
                Some(*p + vec2(w / 2.0 + 4.0, -h / 2.0 - 2.0))
            }
            None => geom::midpoint(&self.path),
        }
    }
}

/// A route as drawn: the flattened cubic chain when there is one.
fn drawn_path(points: &[Pos2], bezier: Option<&[Pos2]>) -> Vec<Pos2> {
    let Some(segs) = bezier.map(geom::bezier_segments).filter(|s| !s.is_empty()) else {
        return points.to_vec();
    };
    let mut flat: Vec<Pos2> = Vec::new();
    for s in segs {
        let shape =
            CubicBezierShape::from_points_stroke(s, false, Color32::TRANSPARENT, PathStroke::NONE);
        let pts = shape.flatten(Some(0.5));
        let skip = usize::from(!flat.is_empty());
        flat.extend(pts.into_iter().skip(skip));
    }
    flat
}

/// Everything needed to paint a flowchart, in scene coordinates (px at
/// zoom 1, origin at the top-left of the drawing).
#[derive(Debug, Clone)]
pub struct Scene {
    pub size: Vec2,
    pub title: Option<(String, Pos2)>,
    pub clusters: Vec<SCluster>,
    pub nodes: Vec<SNode>,
    pub edges: Vec<SEdge>,
    pub background: Color32,
    pub text: Color32,
    pub edge_label_bg: Color32,
    /// Cross-axis node centres, handed to the next layout of the same block
    /// so small edits do not reshuffle the picture.
    pub order_hint: Vec<f32>,
    /// Accessible description: title or `accTitle`, else a generic name.
    pub name: String,
}

pub fn hex(c: &str) -> Color32 {
    geom::parse_color(c).unwrap_or(Color32::GRAY)
}

fn style_color(style: &[StyleProp], key: &str) -> Option<Color32> {
    style_value(style, key).and_then(geom::parse_color)
}

fn style_len(style: &[StyleProp], key: &str) -> Option<f32> {
    style_value(style, key).and_then(geom::parse_len)
}

fn style_dash(style: &[StyleProp]) -> Option<(f32, f32)> {
    style_value(style, "stroke-dasharray").and_then(geom::parse_dash)
}

fn to_pos(p: Point, off: Vec2) -> Pos2 {
    pos2(p.x, p.y) + off
}

/// What clicking a node does, from its last `click` statement: web and
/// mail links open as URLs, relative targets name notes, callbacks (which
/// would run script) do nothing.
pub fn click_action(chart: &Flowchart, node_id: &str) -> (Option<DiagramAction>, Option<String>) {
    let Some(click) = chart.clicks.iter().rev().find(|c| c.node == node_id) else {
        return (None, None);
    };
    let action = match &click.action {
        ClickAction::Link { url, .. } => safe_url(url).map(|u| {
            let lower = u.to_ascii_lowercase();
            if lower.starts_with("http://")
                || lower.starts_with("https://")
                || lower.starts_with("mailto:")
            {
                DiagramAction::OpenUrl(u.to_string())
            } else {
                DiagramAction::OpenNote(u.to_string())
            }
        }),
        ClickAction::Callback { .. } => None,
    };
    (action, click.tooltip.clone())
}

/// Resolves a parsed and laid-out chart into a [`Scene`].
pub fn build(chart: &Flowchart, layout: &Layout, dark: bool) -> Scene {
    let pal: Palette = palette(if dark { Theme::Dark } else { Theme::Light });
    let text = hex(pal.text);
    let light_text = hex(palette(Theme::Dark).text);
    let dark_text = hex(palette(Theme::Light).text);
    let title = chart
        .config
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let title_h = if title.is_some() {
        TITLE_PX * 1.3 + 8.0
    } else {
        0.0
    };
    let title_w = title.map_or(0.0, |t| crate::diagram::measure::text_size(t, TITLE_PX).0);
    let width = layout.width.max(title_w).max(0.0) + 2.0 * MARGIN;
    let height = layout.height.max(0.0) + title_h + 2.0 * MARGIN;
    let off = vec2(
        MARGIN + (width - 2.0 * MARGIN - layout.width.max(0.0)) / 2.0,
        MARGIN + title_h,
    );

    let clusters: Vec<SCluster> = chart
        .subgraphs
        .iter()
        .zip(&layout.clusters)
        .map(|(sg, b)| {
            let st = chart.subgraph_style(sg);
            let fill = style_color(&st, "fill");
            let title_text = style_color(&st, "color").unwrap_or_else(|| match fill {
                Some(f) => geom::readable_text(f, text, light_text, dark_text),
                None => text,
            });
            SCluster {
                rect: Rect::from_min_size(pos2(b.x, b.y) + off, vec2(b.w, b.h)),
                title: lines_of(&sg.title),
                look: Look {
                    fill: fill.unwrap_or(hex(pal.cluster_fill)),
                    stroke: style_color(&st, "stroke").unwrap_or(hex(pal.cluster_stroke)),
                    width: style_len(&st, "stroke-width").unwrap_or(1.0),
                    dash: style_dash(&st),
                    text: title_text,
                },
            }
        })
        .collect();

    let nodes: Vec<SNode> = chart
        .nodes
        .iter()
        .zip(&layout.nodes)
        .map(|(n, b)| {
            let st = chart.node_style(n);
            let bbox = Rect::from_center_size(pos2(b.x, b.y) + off, vec2(b.w, b.h));
            let plain = n.label.plain_lines().join(" ");
            let name = if plain.trim().is_empty() || !shows_label(n.shape) {
                n.id.clone()
            } else {
                plain.trim().to_string()
            };
            let (action, tooltip) = click_action(chart, &n.id);
            let fill = style_color(&st, "fill");
            let node_text = style_color(&st, "color").unwrap_or_else(|| match fill {
                Some(f) => geom::readable_text(f, text, light_text, dark_text),
                None => text,
            });
            SNode {
                id: n.id.clone(),
                name,
                lines: if shows_label(n.shape) {
                    lines_of(&n.label)
                } else {
                    Vec::new()
                },
                bbox,
                outline: geom::node_outline(n.shape, bbox),
                look: Look {
                    fill: fill.unwrap_or(hex(pal.node_fill)),
                    stroke: style_color(&st, "stroke").unwrap_or(hex(pal.node_stroke)),
                    width: style_len(&st, "stroke-width").unwrap_or(1.5),
                    dash: style_dash(&st),
                    text: node_text,
                },
                action,
                tooltip,
            }
        })
        .collect();

    let node_ix = |id: &str| chart.nodes.iter().position(|n| n.id == id);
    let edges: Vec<SEdge> = chart
        .edges
        .iter()
        .zip(&layout.edges)
        .enumerate()
        .filter(|(_, (e, _))| e.stroke != EdgeStroke::Invisible)
        .map(|(i, (e, r))| {
            let st = chart.edge_style(i);
            // The layout already ends an edge to or from a subgraph on the
            // subgraph's box, curve included, as the SVG export draws it.
            let points: Vec<Pos2> = r.points.iter().map(|p| to_pos(*p, off)).collect();
            let bezier = r
                .bezier
                .as_ref()
                .map(|b| b.iter().map(|p| to_pos(*p, off)).collect::<Vec<_>>());
            let color = style_color(&st, "stroke").unwrap_or(hex(pal.edge));
            let path = drawn_path(&points, bezier.as_deref());
            SEdge {
                from: node_ix(&e.from),
                to: node_ix(&e.to),
                points,
                bezier,
                color,
                width: style_len(&st, "stroke-width").unwrap_or(match e.stroke {
                    EdgeStroke::Thick => 3.5,
                    _ => 1.5,
                }),
                dash: style_dash(&st).or(match e.stroke {
                    EdgeStroke::Dotted => Some((3.0, 3.0)),
                    _ => None,
                }),
                head: e.head,
                tail: e.tail,
                label: match (&e.label, r.label) {
                    (Some(l), Some(p)) if !l.is_empty() => Some((lines_of(l), to_pos(p, off))),
                    _ => None,
                },
                label_color: style_color(&st, "color").unwrap_or(text),
                element: format!("{}->{}", e.from, e.to),
                path,
            }
        })
        .collect();

    let horizontal = chart.direction.is_horizontal();
    Scene {
        size: vec2(width, height),
        title: title.map(|t| (t.to_string(), pos2(width / 2.0, MARGIN + title_h / 2.0))),
        clusters,
        nodes,
        edges,
        background: hex(pal.background),
        text,
        edge_label_bg: hex(pal.edge_label_bg),
        order_hint: layout
            .nodes
            .iter()
            .map(|b| if horizontal { b.y } else { b.x })
            .collect(),
        name: chart
            .acc_title
            .clone()
            .or_else(|| title.map(str::to_string))
            .unwrap_or_else(|| tr("diagram.flowchart").to_string()),
    }
}

// ----- painting ---------------------------------------------------------------

/// Maps scene coordinates to the screen and tones colours down for dimmed
/// or greyed-out parts.
#[derive(Debug, Clone, Copy)]
pub struct View {
    pub origin: Pos2,
    pub scale: f32,
    /// Draw everything grey and faint (the last good drawing under an error).
    pub grey: bool,
}

impl View {
    pub fn p(&self, q: Pos2) -> Pos2 {
        self.origin + q.to_vec2() * self.scale
    }

    pub fn rect(&self, r: Rect) -> Rect {
        Rect::from_min_max(self.p(r.min), self.p(r.max))
    }

    pub fn scene_point(&self, screen: Pos2) -> Pos2 {
        ((screen - self.origin) / self.scale).to_pos2()
    }

    /// A colour as painted: greyed if the view is, faded by `alpha`.
    pub fn tone(&self, c: Color32, alpha: f32) -> Color32 {
        let c = if self.grey {
            let [r, g, b, a] = c.to_srgba_unmultiplied();
            let y = (0.3 * f32::from(r) + 0.59 * f32::from(g) + 0.11 * f32::from(b)) as u8;
            Color32::from_rgba_unmultiplied(y, y, y, a).gamma_multiply(0.45)
        } else {
            c
        };
        if alpha < 1.0 {
            c.gamma_multiply(alpha)
        } else {
            c
        }
    }

    fn width(&self, w: f32) -> f32 {
        (w * self.scale).max(0.5)
    }
}

/// Fills a polygon that is star-shaped around its centroid (all node
/// shapes are), which egui's convex fill cannot do for concave outlines.
pub fn fill_star(painter: &Painter, pts: &[Pos2], color: Color32) {
    if pts.len() < 3 || color.a() == 0 {
        return;
    }
    let n = pts.len() as f32;
    let c = pts.iter().fold(Vec2::ZERO, |acc, p| acc + p.to_vec2()) / n;
    let mut mesh = Mesh::default();
    mesh.colored_vertex(c.to_pos2(), color);
    for p in pts {
        mesh.colored_vertex(*p, color);
    }
    let k = pts.len() as u32;
    for i in 0..k {
        mesh.add_triangle(0, 1 + i, 1 + (i + 1) % k);
    }
    painter.add(Shape::mesh(mesh));
}

/// Strokes a polyline, dashed when asked.
pub fn stroke_line(
    painter: &Painter,
    pts: Vec<Pos2>,
    closed: bool,
    stroke: Stroke,
    dash: Option<(f32, f32)>,
) {
    if pts.len() < 2 || stroke.color.a() == 0 {
        return;
    }
    match dash {
        Some((d, g)) => {
            let mut pts = pts;
            if closed {
                pts.push(pts[0]);
            }
            painter.extend(Shape::dashed_line(&pts, stroke, d, g));
        }
        None if closed => {
            painter.add(Shape::Path(PathShape::closed_line(pts, stroke)));
        }
        None => {
            painter.add(Shape::Path(PathShape::line(pts, stroke)));
        }
    }
}

/// A laid-out run and whether it is bold.
type RunGalley = (std::sync::Arc<egui::Galley>, bool);

/// Lays out and paints label lines centred on `center`; returns the size.
/// Text wider than `max_w` (screen px) is shrunk to fit, down to 60%, since
/// the layout measured with a font table rather than egui's font.
pub fn paint_lines(
    painter: &Painter,
    lines: &Lines,
    center: Pos2,
    font_px: f32,
    max_w: Option<f32>,
    color: Color32,
) -> Vec2 {
    if lines.iter().all(|l| l.iter().all(|r| r.text.is_empty())) || font_px < 1.0 {
        return Vec2::ZERO;
    }
    let layout = |px: f32| -> Vec<(Vec<RunGalley>, f32)> {
        lines
            .iter()
            .map(|line| {
                let runs: Vec<_> = line
                    .iter()
                    .filter(|r| !r.text.is_empty())
                    .map(|r| {
                        let mut job = egui::text::LayoutJob::default();
                        job.append(
                            &r.text,
                            0.0,
                            egui::TextFormat {
                                font_id: FontId::proportional(px),
                                color,
                                italics: r.italic,
                                ..Default::default()
                            },
                        );
                        (painter.layout_job(job), r.bold)
                    })
                    .collect();
                let w = runs.iter().map(|(g, _)| g.size().x).sum();
                (runs, w)
            })
            .collect()
    };
    let mut rows = layout(font_px);
    let widest = rows.iter().map(|r| r.1).fold(0.0, f32::max);
    let mut px = font_px;
    if let Some(max_w) = max_w {
        if widest > max_w && widest > 0.0 {
            px = font_px * (max_w / widest).max(0.6);
            rows = layout(px);
        }
    }
    let line_h = px * crate::diagram::measure::LINE_HEIGHT;
    let total_h = line_h * rows.len() as f32;
    let mut y = center.y - total_h / 2.0;
    let mut max_w_out: f32 = 0.0;
    for (runs, w) in rows {
        let mut x = center.x - w / 2.0;
        for (g, bold) in runs {
            let gh = g.size().y;
            let pos = pos2(x, y + (line_h - gh) / 2.0);
            let gw = g.size().x;
            if bold {
                // egui has no bold face; a second pass nudged sideways
                // thickens the strokes enough to read as bold.
                painter.galley(pos + vec2((px / 24.0).max(0.5), 0.0), g.clone(), color);
            }
            painter.galley(pos, g, color);
            x += gw;
        }
        max_w_out = max_w_out.max(w);
        y += line_h;
    }
    vec2(max_w_out, total_h)
}

/// Paints an arrowhead, circle or cross at `end`, arriving along `dir`.
fn paint_marker(
    painter: &Painter,
    m: Marker,
    end: Pos2,
    dir: Vec2,
    color: Color32,
    bg: Color32,
    scale: f32,
) {
    let d = dir.normalized();
    if !d.is_finite() {
        return;
    }
    match m {
        Marker::None => {}
        Marker::Arrow => {
            let tri = geom::arrow_head(end, d, ARROW_LEN * scale);
            painter.add(Shape::convex_polygon(tri.to_vec(), color, Stroke::NONE));
        }
        Marker::Circle => {
            let c = end - d * 4.0 * scale;
            painter.circle(c, 4.0 * scale, bg, Stroke::new(1.5 * scale, color));
        }
        Marker::Cross => {
            let c = end - d * 3.0 * scale;
            let s = 4.0 * scale;
            let st = Stroke::new((2.0 * scale).max(0.5), color);
            painter.line_segment([c + vec2(-s, -s), c + vec2(s, s)], st);
            painter.line_segment([c + vec2(s, -s), c + vec2(-s, s)], st);
        }
    }
}

/// How far a line stops short of a marker so it does not show through.
fn marker_trim(m: Marker) -> f32 {
    match m {
        Marker::Arrow => ARROW_LEN * 0.7,
        Marker::Circle => 4.0,
        _ => 0.0,
    }
}

/// Which nodes and edges stay bright while a node is hovered.
pub struct Focus {
    pub node: Option<usize>,
    /// Nodes joined to the hovered one by an edge (computed once a frame,
    /// not per node, so big charts stay cheap to hover).
    neighbours: Vec<bool>,
}

impl Focus {
    pub fn new(scene: &Scene, node: Option<usize>) -> Focus {
        Focus::around(
            scene.nodes.len(),
            node,
            scene.edges.iter().map(|e| (e.from, e.to)),
        )
    }

    /// The focus on `node` of any drawing with `count` nodes and edges
    /// joining `ends`, so DOT graphs dim exactly as flowcharts do.
    pub fn around(
        count: usize,
        node: Option<usize>,
        ends: impl IntoIterator<Item = (Option<usize>, Option<usize>)>,
    ) -> Focus {
        let mut neighbours = Vec::new();
        if let Some(h) = node {
            neighbours = vec![false; count];
            for ends in ends {
                match ends {
                    (Some(f), Some(t)) if f == h && t < count => neighbours[t] = true,
                    (Some(f), Some(t)) if t == h && f < count => neighbours[f] = true,
                    _ => {}
                }
            }
        }
        Focus { node, neighbours }
    }

    pub fn node_alpha(&self, i: usize) -> f32 {
        match self.node {
            None => 1.0,
            Some(h) if h == i || self.neighbours.get(i).copied().unwrap_or(false) => 1.0,
            Some(_) => 0.3,
        }
    }

    fn edge_alpha(&self, e: &SEdge) -> f32 {
        self.ends_alpha(e.from, e.to)
    }

    /// An edge joining `from` and `to`; an edge with an unknown end can
    /// still touch the hovered node through the other.
    pub fn ends_alpha(&self, from: Option<usize>, to: Option<usize>) -> f32 {
        match self.node {
            None => 1.0,
            Some(h) if from == Some(h) || to == Some(h) => 1.0,
            Some(_) => 0.2,
        }
    }

    /// Whatever belongs to no node or edge (clusters, stray text): faded
    /// like an unrelated node while something is focused.
    pub fn other_alpha(&self) -> f32 {
        if self.node.is_some() {
            0.3
        } else {
            1.0
        }
    }
}

fn paint_edge(painter: &Painter, v: &View, scene: &Scene, e: &SEdge, alpha: f32, strong: bool) {
    let color = v.tone(e.color, alpha);
    let width = v.width(e.width) * if strong { 1.6 } else { 1.0 };
    let stroke = Stroke::new(width, color);
    let bg = v.tone(scene.background, 1.0);
    let head_trim = marker_trim(e.head) * v.scale;
    let tail_trim = marker_trim(e.tail) * v.scale;
    let segs = e
        .bezier
        .as_ref()
        .map(|b| geom::bezier_segments(b))
        .filter(|s| !s.is_empty());
    // Screen-space polyline of the whole edge, used for dashes and markers.
    let (line, end_dir, start_dir): (Vec<Pos2>, Vec2, Vec2) = match &segs {
        Some(segs) => {
            let mut segs: Vec<[Pos2; 4]> = segs
                .iter()
                .map(|s| [v.p(s[0]), v.p(s[1]), v.p(s[2]), v.p(s[3])])
                .collect();
            let last = segs.len() - 1;
            let ed = {
                let s = segs[last];
                let d = s[3] - s[2];
                if d.length() > 0.01 {
                    d
                } else {
                    s[3] - s[0]
                }
            };
            let sd = {
                let s = segs[0];
                let d = s[0] - s[1];
                if d.length() > 0.01 {
                    d
                } else {
                    s[0] - s[3]
                }
            };
            let (end_pt, start_pt) = (segs[last][3], segs[0][0]);
            if head_trim > 0.0 {
                segs[last][3] = end_pt - ed.normalized() * head_trim;
            }
            if tail_trim > 0.0 {
                segs[0][0] = start_pt - sd.normalized() * tail_trim;
            }
            let mut flat = Vec::new();
            for s in &segs {
                let shape = CubicBezierShape::from_points_stroke(
                    *s,
                    false,
                    Color32::TRANSPARENT,
                    PathStroke::NONE,
                );
                let pts = shape.flatten(Some(0.3));
                if flat.is_empty() {
                    flat.extend(pts);
                } else {
                    flat.extend(pts.into_iter().skip(1));
                }
            }
            // One path for the whole chain: separate segment shapes leave
            // visible blobs where their anti-aliased ends overlap.
            if e.dash.is_none() {
                stroke_line(painter, flat.clone(), false, stroke, None);
            }
            (flat, ed, sd)
        }
        None => {
            let mut pts: Vec<Pos2> = e.points.iter().map(|p| v.p(*p)).collect();
            let ed = geom::end_direction(&pts);
            let rev: Vec<Pos2> = pts.iter().rev().copied().collect();
            let sd = geom::end_direction(&rev);
            geom::trim_end(&mut pts, head_trim);
            pts.reverse();
            geom::trim_end(&mut pts, tail_trim);
            pts.reverse();
            if e.dash.is_none() {
                stroke_line(painter, pts.clone(), false, stroke, None);
            }
            (pts, ed, sd)
        }
    };
    if let Some((d, g)) = e.dash {
        stroke_line(
            painter,
            line,
            false,
            stroke,
            Some((d * v.scale, g * v.scale)),
        );
    }
    // Markers sit at the untrimmed ends of the route.
    let end = match &segs {
        Some(s) => s.last().map(|s| v.p(s[3])),
        None => e.points.last().map(|p| v.p(*p)),
    };
    let start = match &segs {
        Some(s) => s.first().map(|s| v.p(s[0])),
        None => e.points.first().map(|p| v.p(*p)),
    };
    if let Some(end) = end {
        paint_marker(painter, e.head, end, end_dir, color, bg, v.scale);
    }
    if let Some(start) = start {
        paint_marker(painter, e.tail, start, start_dir, color, bg, v.scale);
    }
}

fn paint_node(painter: &Painter, v: &View, n: &SNode, alpha: f32, hovered: bool) {
    let look = n.look;
    let stroke_c = v.tone(look.stroke, alpha);
    let fill = if n.outline.solid {
        stroke_c
    } else {
        v.tone(look.fill, alpha)
    };
    let w = v.width(look.width) * if hovered { 2.0 } else { 1.0 };
    let stroke = Stroke::new(w, stroke_c);
    let dash = look.dash.map(|(d, g)| (d * v.scale, g * v.scale));
    for body in &n.outline.bodies {
        if body.len() < 3 {
            continue;
        }
        let pts: Vec<Pos2> = body.iter().map(|p| v.p(*p)).collect();
        fill_star(painter, &pts, fill);
        stroke_line(painter, pts, true, stroke, dash);
    }
    for ring in &n.outline.rings {
        let pts: Vec<Pos2> = ring.iter().map(|p| v.p(*p)).collect();
        if n.outline.solid {
            fill_star(painter, &pts, stroke_c);
        }
        stroke_line(painter, pts, true, stroke, None);
    }
    for line in &n.outline.lines {
        stroke_line(
            painter,
            line.iter().map(|p| v.p(*p)).collect(),
            false,
            stroke,
            None,
        );
    }
    if !n.lines.is_empty() {
        let c = v.p(n.bbox.center() + vec2(0.0, n.outline.text_dy));
        let max_w = (n.bbox.width() - 8.0).max(8.0) * v.scale;
        paint_lines(
            painter,
            &n.lines,
            c,
            FONT_PX * v.scale,
            Some(max_w),
            v.tone(look.text, alpha),
        );
    }
}

/// Paints the whole scene. `focus` dims what is unrelated to a hovered
/// node; `clip` is the visible area (nodes outside it are skipped).
pub fn paint(painter: &Painter, v: &View, scene: &Scene, focus: &Focus, clip: Rect) {
    if let Some((t, p)) = &scene.title {
        let lines = vec![vec![Run {
            text: t.clone(),
            bold: false,
            italic: false,
        }]];
        paint_lines(
            painter,
            &lines,
            v.p(*p),
            TITLE_PX * v.scale,
            None,
            v.tone(scene.text, 1.0),
        );
    }
    for c in &scene.clusters {
        let r = v.rect(c.rect);
        if !r.intersects(clip) {
            continue;
        }
        let alpha = if focus.node.is_some() { 0.6 } else { 1.0 };
        let pts = geom::node_outline(crate::diagram::model::Shape::Rounded, c.rect)
            .bodies
            .pop()
            .unwrap_or_default();
        let pts: Vec<Pos2> = pts.iter().map(|p| v.p(*p)).collect();
        fill_star(painter, &pts, v.tone(c.look.fill, alpha));
        let dash = c.look.dash.map(|(d, g)| (d * v.scale, g * v.scale));
        stroke_line(
            painter,
            pts,
            true,
            Stroke::new(v.width(c.look.width), v.tone(c.look.stroke, alpha)),
            dash,
        );
        let (_, th) = label_size(&crate::diagram::model::Label::plain("X"), TITLE_FONT_PX);
        let th = th * c.title.len().max(1) as f32;
        let center = v.p(pos2(c.rect.center().x, c.rect.top() + 4.0 + th / 2.0));
        paint_lines(
            painter,
            &c.title,
            center,
            TITLE_FONT_PX * v.scale,
            Some(r.width()),
            v.tone(c.look.text, alpha),
        );
    }
    for e in &scene.edges {
        let strong = focus.node.is_some() && focus.edge_alpha(e) >= 1.0;
        paint_edge(painter, v, scene, e, focus.edge_alpha(e), strong);
    }
    for (i, n) in scene.nodes.iter().enumerate() {
        if !v.rect(n.bbox).intersects(clip) {
            continue;
        }
        paint_node(painter, v, n, focus.node_alpha(i), focus.node == Some(i));
    }
    for e in &scene.edges {
        if let Some((lines, p)) = &e.label {
            let alpha = focus.edge_alpha(e);
            let center = v.p(*p);
            // Background first, sized from a measuring pass.
            let bg_shape = painter.add(Shape::Noop);
            let size = paint_lines(
                painter,
                lines,
                center,
                FONT_PX * v.scale,
                None,
                v.tone(e.label_color, alpha),
            );
            let bg = Rect::from_center_size(center, size + vec2(8.0, 4.0) * v.scale);
            painter.set(
                bg_shape,
                Shape::rect_filled(
                    bg,
                    2.0 * v.scale,
                    v.tone(scene.edge_label_bg, alpha).gamma_multiply(0.9),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scene(src: &str, dark: bool) -> Scene {
        let (chart, layout) = crate::diagram::parse_and_layout(src).expect("valid chart");
        build(&chart, &layout, dark)
    }

    #[test]
    fn styles_clicks_and_edges_are_resolved_once() {
        let s = scene(
            "flowchart LR\n  a[Alpha] -.-> b[Beta] ==> c[Gamma]\n  a --x c\n  classDef hot fill:#ffcccc,stroke:#cc0000\n  class b hot\n  linkStyle 0 stroke:orange\n  click a \"https://example.com\" \"tip\"\n  click c \"Other note\"\n",
            true,
        );
        let names: Vec<&str> = s.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["Alpha", "Beta", "Gamma"]);
        let beta = &s.nodes[1];
        assert_eq!(beta.look.fill, Color32::from_rgb(0xff, 0xcc, 0xcc));
        assert_eq!(beta.look.stroke, Color32::from_rgb(0xcc, 0, 0));
        // Dark theme text would vanish on the light custom fill.
        assert!(geom::contrast(beta.look.text, beta.look.fill) >= 3.0);
        assert_eq!(
            s.nodes[0].action,
            Some(DiagramAction::OpenUrl("https://example.com".into()))
        );
        assert_eq!(s.nodes[0].tooltip.as_deref(), Some("tip"));
        assert_eq!(
            s.nodes[2].action,
            Some(DiagramAction::OpenNote("Other note".into()))
        );
        assert_eq!(s.nodes[1].action, None);
        assert_eq!(s.edges[0].color, Color32::from_rgb(255, 165, 0));
        assert_eq!(s.edges[0].dash, Some((3.0, 3.0)));
        assert_eq!(s.edges[1].width, 3.5);
        assert_eq!(s.edges[2].head, Marker::Cross);
        // Everything lies inside the scene.
        let bounds = Rect::from_min_size(Pos2::ZERO, s.size);
        for n in &s.nodes {
            assert!(
                bounds.contains_rect(n.bbox),
                "{:?} outside {bounds:?}",
                n.bbox
            );
        }
    }

    #[test]
    fn nodes_and_edges_carry_their_ids_and_drawn_route() {
        let s = scene(
            "flowchart LR\n  a[Alpha] --> b[Beta]\n  b -->|go| c\n",
            false,
        );
        let ids: Vec<&str> = s.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        let elements: Vec<&str> = s.edges.iter().map(|e| e.element.as_str()).collect();
        assert_eq!(elements, ["a->b", "b->c"]);
        let e = &s.edges[0];
        assert!(e.path.len() >= 2);
        let (a, b) = (s.nodes[0].bbox, s.nodes[1].bbox);
        let first = e.path[0];
        let last = e.path[e.path.len() - 1];
        assert!(a.expand(2.0).contains(first), "{first:?} vs {a:?}");
        assert!(b.expand(2.0).contains(last), "{last:?} vs {b:?}");
        // The badge of an unlabelled edge sits between its ends, that of a
        // labelled one at its label's corner.
        let mid = e.anchor_point().expect("midpoint");
        assert!(mid.x > a.right() - 1.0 && mid.x < b.left() + 1.0, "{mid:?}");
        let labelled = &s.edges[1];
        let label = labelled.label.as_ref().map(|(_, p)| *p).expect("label");
        let corner = labelled.anchor_point().expect("corner");
        assert!(
            corner.x > label.x + 4.0 && corner.y < label.y - 4.0,
            "{corner:?}"
        );
    }

    #[test]
    fn script_callbacks_do_nothing() {
        let s = scene("flowchart TD\n  a[A]\n  click a call alert(1)\n", false);
        assert_eq!(s.nodes[0].action, None);
        let s = scene(
            "flowchart TD\n  a[A]\n  click a \"javascript:alert(1)\"\n",
            false,
        );
        assert_eq!(s.nodes[0].action, None);
    }

    #[test]
    fn focus_keeps_the_hovered_node_and_its_neighbours_bright() {
        let s = scene("flowchart TD\n  a --> b --> c\n  d\n", false);
        let f = Focus::new(&s, Some(1));
        assert_eq!(f.node_alpha(0), 1.0);
        assert_eq!(f.node_alpha(1), 1.0);
        assert_eq!(f.node_alpha(2), 1.0);
        assert!(f.node_alpha(3) < 1.0);
        let none = Focus::new(&s, None);
        assert_eq!(none.node_alpha(3), 1.0);
        assert!(s.edges.iter().all(|e| f.edge_alpha(e) == 1.0));
        let f = Focus::new(&s, Some(0));
        assert!(f.edge_alpha(&s.edges[1]) < 1.0);
    }

    #[test]
    fn focus_from_bare_edge_ends_fades_what_is_not_joined() {
        // 0 -> 1, 1 -> 2, and an edge whose far end is unknown.
        let ends = [(Some(0), Some(1)), (Some(1), Some(2)), (Some(2), None)];
        let f = Focus::around(4, Some(0), ends);
        assert_eq!(f.node_alpha(1), 1.0);
        assert!(f.node_alpha(2) < 1.0 && f.node_alpha(3) < 1.0);
        assert_eq!(f.ends_alpha(Some(0), Some(1)), 1.0);
        assert!(f.ends_alpha(Some(1), Some(2)) < 1.0);
        assert!(f.other_alpha() < 1.0);
        let f = Focus::around(4, Some(2), ends);
        assert_eq!(f.ends_alpha(Some(2), None), 1.0);
        // An edge naming a node past the end is ignored, not a panic.
        let f = Focus::around(2, Some(0), [(Some(0), Some(7))]);
        assert_eq!(f.node_alpha(1), 0.3);
        let none = Focus::around(4, None, ends);
        assert_eq!(none.other_alpha(), 1.0);
        assert_eq!(none.ends_alpha(Some(1), Some(2)), 1.0);
    }

    #[test]
    fn edges_to_a_subgraph_stop_at_its_border() {
        let s = scene(
            "flowchart TD\n  x --> box\n  subgraph box [Box]\n    y\n  end\n",
            false,
        );
        let e = &s.edges[0];
        // Drawn as the layout's curve, not cut and flattened here.
        assert!(e.bezier.is_some());
        let end = *e.points.last().expect("points");
        let b = s.clusters[0].rect;
        assert!(
            (end.y - b.top()).abs() < 1.0
                || (end.x - b.left()).abs() < 1.0
                || (end.x - b.right()).abs() < 1.0,
            "{end:?} vs {b:?}"
        );
    }
}
