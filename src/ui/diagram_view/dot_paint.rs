//! Paints a DOT [`DotDrawing`] with egui, in the flowcharts' palette.

use super::geom;
use super::scene::{fill_star, hex, paint_lines, stroke_line, Run, View};
use crate::diagram::dot::{DotDrawing, DotEdge, DotItem, DotNode, Rgba};
use crate::diagram::svg::{palette, Theme};
use egui::{pos2, vec2, Color32, Painter, Pos2, Rect, Shape, Stroke};

/// Colours DOT leaves at its defaults (black ink, white fill) take the
/// theme's, so a plain graph matches the flowcharts around it in light and
/// dark mode; colours a note sets explicitly are kept.
struct Colors {
    text: Color32,
    stroke: Color32,
    edge: Color32,
    fill: Color32,
}

fn color(c: Rgba) -> Color32 {
    let [r, g, b, a] = c.0;
    Color32::from_rgba_unmultiplied(r, g, b, a)
}

fn ink(c: Rgba, default: Color32) -> Color32 {
    if c.is_default_ink() {
        default
    } else {
        color(c)
    }
}

/// Scene background for a DOT block in the given theme.
pub fn background(dark: bool) -> Color32 {
    hex(palette(if dark { Theme::Dark } else { Theme::Light }).background)
}

/// What a painted item belongs to, so hovering a node can dim the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Index in [`DotDrawing::nodes`].
    Node(usize),
    /// Index in [`DotDrawing::edges`].
    Edge(usize),
    /// A cluster, or a node or edge the drawing could not tie to the source.
    Other,
}

/// Slack (drawing px) when deciding that a shape lies within a node's box:
/// a double circle's outer ring sits a little outside it.
const OWN_SLACK: f32 = 4.0;

fn node_box(n: &DotNode) -> Rect {
    Rect::from_min_size(pos2(n.x, n.y), vec2(n.w, n.h))
}

/// The owner of every item of `d`, in item order. layout-rs paints shapes
/// without saying whose they are, so they are matched by place: a shape or
/// text inside a node's box is the node's, an arrow is the edge drawn
/// along the same route, and text in an edge's label box is that edge's.
pub fn owners(d: &DotDrawing) -> Vec<Part> {
    let boxes: Vec<Rect> = d.nodes.iter().map(node_box).collect();
    let within = |r: Rect| {
        boxes
            .iter()
            .position(|b| b.expand(OWN_SLACK).contains_rect(r))
            .map(Part::Node)
    };
    let same_route = |e: &DotEdge, pts: &[(f32, f32)]| {
        e.points.len() == pts.len()
            && e.points
                .iter()
                .zip(pts)
                .all(|(a, b)| (a.0 - b.0).abs() < 0.5 && (a.1 - b.1).abs() < 0.5)
    };
    d.items
        .iter()
        .map(|item| {
            let part = match item {
                DotItem::Rect { x, y, w, h, .. } => {
                    within(Rect::from_min_size(pos2(*x, *y), vec2(*w, *h)))
                }
                DotItem::Ellipse { cx, cy, rx, ry, .. } => {
                    within(Rect::from_center_size(pos2(*cx, *cy), vec2(*rx, *ry) * 2.0))
                }
                DotItem::Line { from, to, .. } => {
                    within(Rect::from_two_pos(pos2(from.0, from.1), pos2(to.0, to.1)))
                }
                DotItem::Text { x, y, .. } => {
                    let at = pos2(*x, *y);
                    boxes
                        .iter()
                        .position(|b| b.contains(at))
                        .map(Part::Node)
                        .or_else(|| {
                            d.edges
                                .iter()
                                .position(|e| {
                                    e.label.is_some_and(|(lx, ly, lw, lh)| {
                                        Rect::from_min_size(pos2(lx, ly), vec2(lw, lh))
                                            .expand(OWN_SLACK)
                                            .contains(at)
                                    })
                                })
                                .map(Part::Edge)
                        })
                }
                DotItem::Arrow { points, .. } => d
                    .edges
                    .iter()
                    .position(|e| same_route(e, points))
                    .map(Part::Edge),
            };
            part.unwrap_or(Part::Other)
        })
        .collect()
}

/// Paints `d`; `alpha` gives the fade of item `k` (1 for full strength).
pub fn paint(
    painter: &Painter,
    v: &View,
    d: &DotDrawing,
    dark: bool,
    alpha: &dyn Fn(usize) -> f32,
) {
    let pal = palette(if dark { Theme::Dark } else { Theme::Light });
    let cs = Colors {
        text: hex(pal.text),
        stroke: hex(pal.node_stroke),
        edge: hex(pal.edge),
        fill: hex(pal.node_fill),
    };
    let fill_of = |f: Option<Rgba>| match f {
        Some(f) if f.is_default_fill() => cs.fill,
        Some(f) => color(f),
        None => Color32::TRANSPARENT,
    };
    let (light_text, dark_text) = (
        hex(palette(Theme::Dark).text),
        hex(palette(Theme::Light).text),
    );
    // Node labels come right after their shape; remember its box and fill
    // so default-coloured text stays readable on a note's own fill.
    let mut last_fill: Option<(Rect, Color32)> = None;
    for (k, item) in d.items.iter().enumerate() {
        let a = alpha(k);
        match item {
            DotItem::Rect {
                x,
                y,
                w,
                h,
                rounded,
                stroke,
                stroke_width,
                fill,
            } => {
                let r = v.rect(Rect::from_min_size(pos2(*x, *y), vec2(*w, *h)));
                last_fill = Some((r, fill_of(*fill)));
                painter.rect(
                    r,
                    rounded * v.scale,
                    v.tone(fill_of(*fill), a),
                    Stroke::new(stroke_width * v.scale, v.tone(ink(*stroke, cs.stroke), a)),
                    egui::StrokeKind::Middle,
                );
            }
            DotItem::Ellipse {
                cx,
                cy,
                rx,
                ry,
                stroke,
                stroke_width,
                fill,
            } => {
                let c = v.p(pos2(*cx, *cy));
                let rad = vec2(*rx, *ry) * v.scale;
                last_fill = Some((Rect::from_center_size(c, rad * 2.0), fill_of(*fill)));
                let fill = v.tone(fill_of(*fill), a);
                let st = Stroke::new(stroke_width * v.scale, v.tone(ink(*stroke, cs.stroke), a));
                painter.add(Shape::ellipse_filled(c, rad, fill));
                painter.add(Shape::ellipse_stroke(c, rad, st));
            }
            DotItem::Line {
                from,
                to,
                stroke,
                stroke_width,
            } => {
                painter.line_segment(
                    [v.p(pos2(from.0, from.1)), v.p(pos2(to.0, to.1))],
                    Stroke::new(stroke_width * v.scale, v.tone(ink(*stroke, cs.edge), a)),
                );
            }
            DotItem::Text {
                x,
                y,
                text,
                size,
                color: c,
            } => {
                let lines: Vec<Vec<Run>> = text
                    .lines()
                    .map(|l| {
                        vec![Run {
                            text: l.to_string(),
                            bold: false,
                            italic: false,
                        }]
                    })
                    .collect();
                let at = v.p(pos2(*x, *y));
                let text_color = match last_fill {
                    Some((r, f)) if c.is_default_ink() && r.contains(at) => {
                        geom::readable_text(f, cs.text, light_text, dark_text)
                    }
                    _ => ink(*c, cs.text),
                };
                paint_lines(
                    painter,
                    &lines,
                    at,
                    size * v.scale,
                    None,
                    v.tone(text_color, a),
                );
            }
            DotItem::Arrow {
                points,
                dashed,
                head_start,
                head_end,
                color: c,
                stroke_width,
                label,
            } => {
                let col = v.tone(ink(*c, cs.edge), a);
                let st = Stroke::new((stroke_width * v.scale).max(0.5), col);
                let mut pts: Vec<Pos2> = points.iter().map(|p| v.p(pos2(p.0, p.1))).collect();
                let end_dir = geom::end_direction(&pts);
                let rev: Vec<Pos2> = pts.iter().rev().copied().collect();
                let start_dir = geom::end_direction(&rev);
                let (first, last) = (pts[0], pts[pts.len() - 1]);
                let len = 10.0 * v.scale;
                if *head_end {
                    geom::trim_end(&mut pts, len * 0.7);
                }
                if *head_start {
                    pts.reverse();
                    geom::trim_end(&mut pts, len * 0.7);
                    pts.reverse();
                }
                let dash = dashed.then_some((5.0 * v.scale, 5.0 * v.scale));
                stroke_line(painter, pts.clone(), false, st, dash);
                for (on, tip, dir) in [(*head_end, last, end_dir), (*head_start, first, start_dir)]
                {
                    if on {
                        let tri = geom::arrow_head(tip, dir, len);
                        fill_star(painter, &tri, col);
                    }
                }
                if !label.trim().is_empty() {
                    if let Some(m) = geom::midpoint(&pts) {
                        let lines = vec![vec![Run {
                            text: label.clone(),
                            bold: false,
                            italic: false,
                        }]];
                        paint_lines(
                            painter,
                            &lines,
                            m,
                            crate::diagram::FONT_PX * v.scale,
                            None,
                            v.tone(cs.text, a),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::dot::render_drawing;

    #[test]
    fn every_shape_and_label_is_owned_by_its_node_or_edge() {
        let d = render_drawing(
            "digraph { q [shape=box, label=\"Job queue\"]; q -> w [label=\"send\"]; w -> r }",
        )
        .expect("draws");
        let parts = owners(&d);
        assert_eq!(parts.len(), d.items.len());
        let node = |id: &str| d.nodes.iter().position(|n| n.id == id).expect("node");
        let edge = |el: &str| d.edges.iter().position(|e| e.element == el).expect("edge");
        let text_owner = |t: &str| {
            d.items
                .iter()
                .position(|i| matches!(i, DotItem::Text { text, .. } if text == t))
                .map(|k| parts[k])
        };
        assert_eq!(text_owner("Job queue"), Some(Part::Node(node("q"))));
        assert_eq!(text_owner("r"), Some(Part::Node(node("r"))));
        // Each route is its edge's, each shape its node's.
        for (k, item) in d.items.iter().enumerate() {
            match item {
                DotItem::Arrow { .. } => assert!(matches!(parts[k], Part::Edge(_)), "{item:?}"),
                DotItem::Rect { .. } | DotItem::Ellipse { .. } => {
                    assert!(matches!(parts[k], Part::Node(_)), "{item:?}")
                }
                _ => {}
            }
        }
        let routes: Vec<Part> = d
            .items
            .iter()
            .zip(&parts)
            .filter(|(i, _)| matches!(i, DotItem::Arrow { .. }))
            .map(|(_, p)| *p)
            .collect();
        assert!(routes.contains(&Part::Edge(edge("q->w"))));
        assert!(routes.contains(&Part::Edge(edge("w->r"))));
        assert_eq!(text_owner("send"), Some(Part::Edge(edge("q->w"))));
    }

    #[test]
    fn double_rings_and_record_fields_stay_with_their_node() {
        let d = render_drawing(
            "digraph { done [shape=doublecircle]; rec [shape=record, label=\"in|out\"]; done -> rec }",
        )
        .expect("draws");
        let parts = owners(&d);
        for (item, part) in d.items.iter().zip(&parts) {
            match item {
                DotItem::Arrow { .. } => assert_eq!(*part, Part::Edge(0), "{item:?}"),
                _ => assert!(matches!(part, Part::Node(_)), "{item:?} is {part:?}"),
            }
        }
        let done = d.nodes.iter().position(|n| n.id == "done").expect("done");
        let rings = d
            .items
            .iter()
            .zip(&parts)
            .filter(|(i, p)| matches!(i, DotItem::Ellipse { .. }) && **p == Part::Node(done))
            .count();
        assert_eq!(rings, 2);
    }

    #[test]
    fn shapes_of_nodes_left_out_of_the_drawing_belong_to_nobody() {
        let mut d = render_drawing("digraph { a -> b; c }").expect("draws");
        // As when a node cannot be tied back to the source: it and its
        // edges are not offered, so they only ever fade with the rest.
        d.nodes.retain(|n| n.id != "b");
        d.edges.clear();
        let parts = owners(&d);
        let c = d.nodes.iter().position(|n| n.id == "c").expect("c");
        assert_eq!(parts.iter().filter(|p| **p == Part::Node(c)).count(), 2);
        let nobody = d
            .items
            .iter()
            .zip(&parts)
            .filter(|(_, p)| **p == Part::Other)
            .map(|(i, _)| match i {
                DotItem::Text { text, .. } => text.as_str(),
                DotItem::Arrow { .. } => "->",
                _ => "shape",
            })
            .collect::<Vec<_>>();
        assert_eq!(nobody, ["shape", "b", "->"]);
    }
}
