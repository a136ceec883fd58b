//! Pure geometry and colour helpers for painting diagrams: node outlines,
//! hit tests, markers, fitting and zooming, CSS colours. No painting here,
//! so everything is unit-tested without a UI context.

use crate::diagram::cylinder_ry;
use crate::diagram::model::Shape;
use egui::{pos2, vec2, Color32, Pos2, Rect, Vec2};
use std::f32::consts::{FRAC_PI_2, PI, TAU};

/// Points per full circle when an arc is flattened.
const ARC_STEPS: usize = 48;

/// A node drawn as polygons in layout coordinates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outline {
    /// Closed filled shapes, back to front (stacked shapes have several).
    /// The last one is the node's body, used for hit tests.
    pub bodies: Vec<Vec<Pos2>>,
    /// Open decoration strokes (subroutine bars, cylinder lids, braces).
    pub lines: Vec<Vec<Pos2>>,
    /// Closed strokes that are not filled (the inner ring of a double circle).
    pub rings: Vec<Vec<Pos2>>,
    /// Bodies filled with the stroke colour (fork bars, filled dots).
    pub solid: bool,
    /// Vertical shift of the label from the box centre.
    pub text_dy: f32,
}

fn arc(c: Pos2, r: Vec2, from: f32, to: f32) -> Vec<Pos2> {
    let n = (((to - from).abs() / TAU) * ARC_STEPS as f32)
        .ceil()
        .max(2.0) as usize;
    (0..=n)
        .map(|i| {
            let a = from + (to - from) * i as f32 / n as f32;
            pos2(c.x + r.x * a.cos(), c.y + r.y * a.sin())
        })
        .collect()
}

fn ellipse(c: Pos2, r: Vec2) -> Vec<Pos2> {
    let mut pts = arc(c, r, 0.0, TAU);
    pts.pop();
    pts
}

fn rounded_rect(r: Rect, radius: f32) -> Vec<Pos2> {
    let rad = radius.min(r.width() / 2.0).min(r.height() / 2.0).max(0.0);
    if rad <= 0.0 {
        return vec![
            r.left_top(),
            r.right_top(),
            r.right_bottom(),
            r.left_bottom(),
        ];
    }
    let v = Vec2::splat(rad);
    let mut pts = Vec::new();
    pts.extend(arc(r.left_top() + v, v, PI, 1.5 * PI));
    pts.extend(arc(pos2(r.right() - rad, r.top() + rad), v, 1.5 * PI, TAU));
    pts.extend(arc(r.right_bottom() - v, v, 0.0, FRAC_PI_2));
    pts.extend(arc(
        pos2(r.left() + rad, r.bottom() - rad),
        v,
        FRAC_PI_2,
        PI,
    ));
    pts
}

fn quad(p0: Pos2, c: Pos2, p1: Pos2) -> impl Iterator<Item = Pos2> {
    (1..=12).map(move |i| {
        let t = i as f32 / 12.0;
        let mt = 1.0 - t;
        pos2(
            mt * mt * p0.x + 2.0 * mt * t * c.x + t * t * p1.x,
            mt * mt * p0.y + 2.0 * mt * t * c.y + t * t * p1.y,
        )
    })
}

/// The outline of a node of `shape` filling box `r`, mirroring the shapes
/// of the SVG renderer so the app and exported files look alike.
pub fn node_outline(shape: Shape, r: Rect) -> Outline {
    use Shape::*;
    let (x0, y0, x1, y1) = (r.left(), r.top(), r.right(), r.bottom());
    let (c, w, h) = (r.center(), r.width(), r.height());
    let (cx, cy) = (c.x, c.y);
    let mut o = Outline::default();
    let rect = |r: egui::Rect| rounded_rect(r, 0.0);
    match shape {
        Rounded | State => o.bodies.push(rounded_rect(r, 6.0)),
        Stadium => o.bodies.push(rounded_rect(r, h / 2.0)),
        Subroutine | LinedRect | WindowPane | DividedRect => {
            o.bodies.push(rect(r));
            o.lines.push(vec![pos2(x0 + 8.0, y0), pos2(x0 + 8.0, y1)]);
            match shape {
                Subroutine => {
                    o.lines = vec![
                        vec![pos2(x0 + 8.0, y0), pos2(x0 + 8.0, y1)],
                        vec![pos2(x1 - 8.0, y0), pos2(x1 - 8.0, y1)],
                    ]
                }
                WindowPane => o.lines.push(vec![pos2(x0, y0 + 8.0), pos2(x1, y0 + 8.0)]),
                DividedRect => {
                    o.lines = vec![vec![pos2(x0, y0 + 10.0), pos2(x1, y0 + 10.0)]];
                    o.text_dy = 5.0;
                }
                _ => {}
            }
        }
        Cylinder | LinedCylinder => {
            let ry = cylinder_ry(w).min(h / 4.0);
            let rad = vec2(w / 2.0, ry);
            let mut body = arc(pos2(cx, y0 + ry), rad, PI, TAU);
            body.extend(arc(pos2(cx, y1 - ry), rad, 0.0, PI));
            o.bodies.push(body);
            o.lines.push(arc(pos2(cx, y0 + ry), rad, 0.0, PI));
            if shape == LinedCylinder {
                o.lines.push(arc(pos2(cx, y0 + 2.0 * ry), rad, 0.0, PI));
            }
            o.text_dy = ry / 2.0;
        }
        HorizontalCylinder => {
            let rx = cylinder_ry(h).min(w / 4.0);
            let rad = vec2(rx, h / 2.0);
            let mut body = arc(pos2(x1 - rx, cy), rad, -FRAC_PI_2, FRAC_PI_2);
            body.extend(arc(pos2(x0 + rx, cy), rad, FRAC_PI_2, 1.5 * PI));
            o.bodies.push(body);
            o.lines
                .push(arc(pos2(x1 - rx, cy), rad, FRAC_PI_2, 1.5 * PI));
        }
        Circle => o.bodies.push(ellipse(c, Vec2::splat(w.min(h) / 2.0))),
        DoubleCircle => {
            o.bodies.push(ellipse(c, Vec2::splat(w.min(h) / 2.0)));
            o.rings
                .push(ellipse(c, Vec2::splat((w.min(h) / 2.0 - 5.0).max(1.0))));
        }
        CrossedCircle => {
            let rr = w.min(h) / 2.0;
            o.bodies.push(ellipse(c, Vec2::splat(rr)));
            let d = rr * std::f32::consts::FRAC_1_SQRT_2;
            o.lines
                .push(vec![pos2(cx - d, cy - d), pos2(cx + d, cy + d)]);
            o.lines
                .push(vec![pos2(cx + d, cy - d), pos2(cx - d, cy + d)]);
        }
        SmallCircle | Anchor | FilledCircle => {
            o.bodies.push(ellipse(c, Vec2::splat(w.min(h) / 2.0)));
            o.solid = true;
        }
        FramedCircle => {
            o.bodies.push(ellipse(c, Vec2::splat(w.min(h) / 2.0)));
            o.rings
                .push(ellipse(c, Vec2::splat((w.min(h) / 2.0 - 4.0).max(1.0))));
        }
        ForkJoin => {
            o.bodies.push(rect(r));
            o.solid = true;
        }
        Ellipse => o.bodies.push(ellipse(c, vec2(w / 2.0, h / 2.0))),
        Asymmetric => o.bodies.push(vec![
            pos2(x0, y0),
            pos2(x1, y0),
            pos2(x1, y1),
            pos2(x0, y1),
            pos2(x0 + h / 3.0, cy),
        ]),
        Diamond | Choice => {
            o.bodies
                .push(vec![pos2(cx, y0), pos2(x1, cy), pos2(cx, y1), pos2(x0, cy)])
        }
        Hexagon => {
            let s = h / 4.0;
            o.bodies.push(vec![
                pos2(x0 + s, y0),
                pos2(x1 - s, y0),
                pos2(x1, cy),
                pos2(x1 - s, y1),
                pos2(x0 + s, y1),
                pos2(x0, cy),
            ]);
        }
        LeanRight | LeanLeft | Trapezoid | InvTrapezoid => {
            let s = h * 0.3;
            let (top_l, top_r, bot_r, bot_l) = match shape {
                LeanRight => (x0 + s, x1, x1 - s, x0),
                LeanLeft => (x0, x1 - s, x1, x0 + s),
                Trapezoid => (x0 + s, x1 - s, x1, x0),
                _ => (x0, x1, x1 - s, x0 + s),
            };
            o.bodies.push(vec![
                pos2(top_l, y0),
                pos2(top_r, y0),
                pos2(bot_r, y1),
                pos2(bot_l, y1),
            ]);
        }
        SlopedRect => o.bodies.push(vec![
            pos2(x0, y0 + 10.0),
            pos2(x1, y0),
            pos2(x1, y1),
            pos2(x0, y1),
        ]),
        Card => o.bodies.push(vec![
            pos2(x0 + 12.0, y0),
            pos2(x1, y0),
            pos2(x1, y1),
            pos2(x0, y1),
            pos2(x0, y0 + 12.0),
        ]),
        NotchedPentagon => o.bodies.push(vec![
            pos2(x0 + 10.0, y0),
            pos2(x1 - 10.0, y0),
            pos2(x1, y0 + 10.0),
            pos2(x1, y1),
            pos2(x0, y1),
            pos2(x0, y0 + 10.0),
        ]),
        Triangle => {
            o.bodies
                .push(vec![pos2(cx, y0), pos2(x1, y1), pos2(x0, y1)]);
            o.text_dy = h / 6.0;
        }
        FlippedTriangle => {
            o.bodies
                .push(vec![pos2(x0, y0), pos2(x1, y0), pos2(cx, y1)]);
            o.text_dy = -h / 6.0;
        }
        Hourglass => o
            .bodies
            .push(vec![pos2(x0, y0), pos2(x1, y0), pos2(x0, y1), pos2(x1, y1)]),
        Document | LinedDocument | TaggedDocument | StackedDocument => {
            let stacked = shape == StackedDocument;
            if stacked {
                o.bodies.push(rect(egui::Rect::from_min_max(
                    pos2(x0 + 8.0, y0),
                    pos2(x1, y1 - 14.0),
                )));
            }
            let (dx0, dy0) = if stacked { (x0, y0 + 8.0) } else { (x0, y0) };
            let dx1 = if stacked { x1 - 8.0 } else { x1 };
            let wave = 6.0;
            let mut body = vec![pos2(dx0, dy0), pos2(dx1, dy0), pos2(dx1, y1 - wave)];
            let mid = pos2((dx0 + dx1) / 2.0, y1 - wave);
            let c1 = pos2(dx0 + (dx1 - dx0) * 0.75, y1 - 3.0 * wave);
            body.extend(quad(pos2(dx1, y1 - wave), c1, mid));
            // SVG's `T` mirrors the previous control about the midpoint.
            let c2 = pos2(2.0 * mid.x - c1.x, 2.0 * mid.y - c1.y);
            body.extend(quad(mid, c2, pos2(dx0, y1 - wave)));
            o.bodies.push(body);
            if shape == LinedDocument {
                o.lines
                    .push(vec![pos2(x0 + 8.0, y0), pos2(x0 + 8.0, y1 - wave)]);
            }
            if shape == TaggedDocument {
                o.lines.push(vec![
                    pos2(x1 - 12.0, y1 - wave - 12.0),
                    pos2(x1, y1 - wave - 12.0),
                ]);
            }
            o.text_dy = -wave / 2.0;
        }
        StackedRect => {
            o.bodies.push(rect(egui::Rect::from_min_size(
                pos2(x0 + 8.0, y0),
                vec2(w - 8.0, h - 8.0),
            )));
            o.bodies.push(rect(egui::Rect::from_min_size(
                pos2(x0 + 4.0, y0 + 4.0),
                vec2(w - 8.0, h - 8.0),
            )));
            o.bodies.push(rect(egui::Rect::from_min_size(
                pos2(x0, y0 + 8.0),
                vec2(w - 8.0, h - 8.0),
            )));
            o.text_dy = 4.0;
        }
        TaggedRect => {
            o.bodies.push(rect(r));
            o.lines.push(vec![pos2(x1 - 12.0, y1), pos2(x1, y1 - 12.0)]);
        }
        Delay => {
            let rad = h / 2.0;
            let mut body = vec![pos2(x0, y0)];
            body.extend(arc(
                pos2(x1 - rad, cy),
                Vec2::splat(rad),
                -FRAC_PI_2,
                FRAC_PI_2,
            ));
            body.push(pos2(x0, y1));
            o.bodies.push(body);
        }
        CurvedTrapezoid => {
            let rad = h / 2.0;
            let mut body = vec![pos2(x0, cy), pos2(x0 + 15.0, y0)];
            body.extend(arc(
                pos2(x1 - rad, cy),
                Vec2::splat(rad),
                -FRAC_PI_2,
                FRAC_PI_2,
            ));
            body.push(pos2(x0 + 15.0, y1));
            o.bodies.push(body);
        }
        BowTieRect => {
            let rad = vec2(10.0, h / 2.0);
            let mut body = arc(pos2(x1, cy), rad, -FRAC_PI_2, -1.5 * PI);
            body.extend(arc(pos2(x0 + 10.0, cy), rad, FRAC_PI_2, 1.5 * PI));
            o.bodies.push(body);
        }
        Flag => {
            let wv = 5.0;
            let mut body = vec![pos2(x0, y0 + wv)];
            let c1 = pos2(x0 + w / 4.0, y0 - wv);
            body.extend(quad(pos2(x0, y0 + wv), c1, pos2(cx, y0 + wv)));
            let c2 = pos2(2.0 * cx - c1.x, 2.0 * (y0 + wv) - c1.y);
            body.extend(quad(pos2(cx, y0 + wv), c2, pos2(x1, y0 + wv)));
            body.push(pos2(x1, y1 - wv));
            let c3 = pos2(x1 - w / 4.0, y1 + wv);
            body.extend(quad(pos2(x1, y1 - wv), c3, pos2(cx, y1 - wv)));
            let c4 = pos2(2.0 * cx - c3.x, 2.0 * (y1 - wv) - c3.y);
            body.extend(quad(pos2(cx, y1 - wv), c4, pos2(x0, y1 - wv)));
            o.bodies.push(body);
        }
        BraceLeft | BraceRight | Braces => {
            // Only the braces are stroked; the body is invisible but still
            // hit-testable.
            o.bodies.push(Vec::new());
            let brace = |x: f32, dir: f32| -> Vec<Pos2> {
                let mut p = vec![pos2(x + 8.0 * dir, y0)];
                p.extend(quad(
                    pos2(x + 8.0 * dir, y0),
                    pos2(x, y0),
                    pos2(x, y0 + 8.0),
                ));
                p.push(pos2(x, cy - 8.0));
                p.extend(quad(
                    pos2(x, cy - 8.0),
                    pos2(x, cy),
                    pos2(x - 6.0 * dir, cy),
                ));
                p.extend(quad(
                    pos2(x - 6.0 * dir, cy),
                    pos2(x, cy),
                    pos2(x, cy + 8.0),
                ));
                p.push(pos2(x, y1 - 8.0));
                p.extend(quad(
                    pos2(x, y1 - 8.0),
                    pos2(x, y1),
                    pos2(x + 8.0 * dir, y1),
                ));
                p
            };
            if shape != BraceRight {
                o.lines.push(brace(x0 + 6.0, 1.0));
            }
            if shape != BraceLeft {
                o.lines.push(brace(x1 - 6.0, -1.0));
            }
        }
        Bolt => {
            o.bodies.push(Vec::new());
            o.lines.push(vec![
                pos2(x1 - 4.0, y0),
                pos2(cx - 6.0, cy + 2.0),
                pos2(cx + 6.0, cy - 2.0),
                pos2(x0 + 4.0, y1),
            ]);
        }
        Icon | Image => {
            o.bodies.push(rounded_rect(r, 4.0));
            o.text_dy = h / 2.0 - crate::diagram::FONT_PX;
        }
        Text => o.bodies.push(Vec::new()),
        Rect | ClassBox | Note => o.bodies.push(rect(r)),
    }
    o
}

/// Whether `p` lies inside the closed polygon `poly` (even-odd rule).
pub fn point_in_polygon(p: Pos2, poly: &[Pos2]) -> bool {
    let mut inside = false;
    let n = poly.len();
    if n < 3 {
        return false;
    }
    let mut j = n - 1;
    for i in 0..n {
        let (a, b) = (poly[i], poly[j]);
        if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Whether a point (layout coordinates) hits a node: inside its body, or
/// inside its box for shapes drawn only as strokes (braces, bolts, text).
pub fn hits_node(outline: &Outline, bbox: Rect, p: Pos2) -> bool {
    match outline.bodies.last() {
        Some(body) if body.len() >= 3 => outline.bodies.iter().any(|b| point_in_polygon(p, b)),
        _ => bbox.contains(p),
    }
}

/// The filled triangle of an arrowhead whose tip is at `tip`, pointing
/// along `dir`: `len` long and `len` wide at its base, like the SVG marker.
pub fn arrow_head(tip: Pos2, dir: Vec2, len: f32) -> [Pos2; 3] {
    let d = dir.normalized();
    let d = if d.is_finite() { d } else { vec2(0.0, 1.0) };
    let n = d.rot90();
    let base = tip - d * len;
    [tip, base + n * (len / 2.0), base - n * (len / 2.0)]
}

/// Moves the end of a polyline back by `by` along its last segment, so a
/// marker drawn at the old end is not crossed by the stroke. Leaves very
/// short segments alone.
pub fn trim_end(points: &mut [Pos2], by: f32) {
    let n = points.len();
    if n < 2 || by <= 0.0 {
        return;
    }
    let (a, b) = (points[n - 2], points[n - 1]);
    let seg = b - a;
    let len = seg.length();
    if len > by * 1.5 {
        points[n - 1] = b - seg / len * by;
    }
}

/// Direction of travel at the end of a polyline (from the last distinct
/// point before the end).
pub fn end_direction(points: &[Pos2]) -> Vec2 {
    let Some(&last) = points.last() else {
        return vec2(0.0, 1.0);
    };
    points
        .iter()
        .rev()
        .skip(1)
        .map(|&p| last - p)
        .find(|d| d.length() > 0.01)
        .unwrap_or(vec2(0.0, 1.0))
}

/// Splits a cubic chain `p0, c1, c2, p1, c1, c2, p2, ...` into segments.
pub fn bezier_segments(chain: &[Pos2]) -> Vec<[Pos2; 4]> {
    if chain.len() < 4 {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut start = chain[0];
    for seg in chain[1..].chunks_exact(3) {
        out.push([start, seg[0], seg[1], seg[2]]);
        start = seg[2];
    }
    out
}

/// The point halfway along a polyline, by length.
pub fn midpoint(points: &[Pos2]) -> Option<Pos2> {
    let total: f32 = points.windows(2).map(|w| w[0].distance(w[1])).sum();
    let mut left = total / 2.0;
    for w in points.windows(2) {
        let d = w[0].distance(w[1]);
        if d >= left && d > 0.0 {
            return Some(w[0].lerp(w[1], left / d));
        }
        left -= d;
    }
    points.first().copied()
}

/// Shortest distance from `p` to a polyline (infinite for an empty one):
/// edges are picked by how close the pointer is to their drawn path.
pub fn distance_to_polyline(points: &[Pos2], p: Pos2) -> f32 {
    match points {
        [] => f32::INFINITY,
        [only] => only.distance(p),
        _ => points
            .windows(2)
            .map(|w| {
                let (a, b) = (w[0], w[1]);
                let ab = b - a;
                let len2 = ab.length_sq();
                let t = if len2 > 0.0 {
                    ((p - a).dot(ab) / len2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                (a + ab * t).distance(p)
            })
            .fold(f32::INFINITY, f32::min),
    }
}

/// Scale at which content of `size` shows whole in `avail_w` x `max_h`,
/// never enlarged beyond its natural size.
pub fn fit_scale(size: Vec2, avail_w: f32, max_h: f32) -> f32 {
    let sx = if size.x > 0.0 { avail_w / size.x } else { 1.0 };
    let sy = if size.y > 0.0 { max_h / size.y } else { 1.0 };
    // A wide chart squeezed into a narrow panel would have unreadable
    // labels; below this it overflows sideways instead (and pans).
    let s = sx.max(READABLE_SCALE).min(sy).min(1.0);
    if s.is_finite() && s > 0.0 {
        s
    } else {
        1.0
    }
}

/// Smallest scale a chart is fitted to the panel's width at: labels
/// (14 px) stay about 10 px high.
pub const READABLE_SCALE: f32 = 0.7;

/// Pan that shows a chart wider than the panel from its left edge (where
/// LR flows and most labels start) rather than from its middle.
pub fn start_pan(size: Vec2, scale: f32, avail_w: f32) -> Vec2 {
    vec2(((size.x * scale - avail_w) / 2.0).max(0.0), 0.0)
}

/// New pan offset after zooming from `old` to `new` around `anchor`
/// (relative to the view centre), so the point under the anchor stays put.
pub fn zoom_pan(pan: Vec2, old: f32, new: f32, anchor: Vec2) -> Vec2 {
    if old <= 0.0 {
        return pan;
    }
    anchor - (anchor - pan) * (new / old)
}

/// Parses a CSS colour as Mermaid styles write them: `#rgb`, `#rgba`,
/// `#rrggbb`, `#rrggbbaa`, `rgb(..)`, `rgba(..)`, common names, `none`.
pub fn parse_color(s: &str) -> Option<Color32> {
    let s = s.trim().trim_end_matches("!important").trim();
    let lower = s.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix('#') {
        let digits: Vec<u8> = hex
            .chars()
            .map(|c| c.to_digit(16).map(|d| d as u8))
            .collect::<Option<_>>()?;
        let (r, g, b, a) = match digits.len() {
            3 => (digits[0] * 17, digits[1] * 17, digits[2] * 17, 255),
            4 => (
                digits[0] * 17,
                digits[1] * 17,
                digits[2] * 17,
                digits[3] * 17,
            ),
            6 => (
                digits[0] * 16 + digits[1],
                digits[2] * 16 + digits[3],
                digits[4] * 16 + digits[5],
                255,
            ),
            8 => (
                digits[0] * 16 + digits[1],
                digits[2] * 16 + digits[3],
                digits[4] * 16 + digits[5],
                digits[6] * 16 + digits[7],
            ),
            _ => return None,
        };
        return Some(Color32::from_rgba_unmultiplied(r, g, b, a));
    }
    if let Some(inner) = lower
        .strip_prefix("rgba(")
        .or_else(|| lower.strip_prefix("rgb("))
        .and_then(|r| r.strip_suffix(')'))
    {
        let parts: Vec<&str> = inner
            .split([',', ' ', '/'])
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() < 3 {
            return None;
        }
        let chan = |p: &str| -> Option<u8> {
            match p.strip_suffix('%') {
                Some(pct) => pct
                    .parse::<f32>()
                    .ok()
                    .map(|v| (v.clamp(0.0, 100.0) * 2.55).round() as u8),
                None => p
                    .parse::<f32>()
                    .ok()
                    .map(|v| v.clamp(0.0, 255.0).round() as u8),
            }
        };
        let alpha = match parts.get(3) {
            Some(p) => match p.strip_suffix('%') {
                Some(pct) => pct.parse::<f32>().ok()? / 100.0,
                None => p.parse::<f32>().ok()?,
            },
            None => 1.0,
        };
        return Some(Color32::from_rgba_unmultiplied(
            chan(parts[0])?,
            chan(parts[1])?,
            chan(parts[2])?,
            (alpha.clamp(0.0, 1.0) * 255.0).round() as u8,
        ));
    }
    let rgb: u32 = match lower.as_str() {
        "none" | "transparent" => return Some(Color32::TRANSPARENT),
        "black" => 0x000000,
        "white" => 0xffffff,
        "red" => 0xff0000,
        "green" => 0x008000,
        "lime" => 0x00ff00,
        "blue" => 0x0000ff,
        "yellow" => 0xffff00,
        "orange" => 0xffa500,
        "purple" => 0x800080,
        "pink" => 0xffc0cb,
        "brown" => 0xa52a2a,
        "cyan" | "aqua" => 0x00ffff,
        "magenta" | "fuchsia" => 0xff00ff,
        "gray" | "grey" => 0x808080,
        "silver" => 0xc0c0c0,
        "navy" => 0x000080,
        "teal" => 0x008080,
        "maroon" => 0x800000,
        "olive" => 0x808000,
        "gold" => 0xffd700,
        "coral" => 0xff7f50,
        "salmon" => 0xfa8072,
        "tomato" => 0xff6347,
        "crimson" => 0xdc143c,
        "orchid" => 0xda70d6,
        "violet" => 0xee82ee,
        "indigo" => 0x4b0082,
        "khaki" => 0xf0e68c,
        "beige" => 0xf5f5dc,
        "turquoise" => 0x40e0d0,
        "skyblue" => 0x87ceeb,
        "steelblue" => 0x4682b4,
        "lightblue" => 0xadd8e6,
        "lightgreen" => 0x90ee90,
        "lightgray" | "lightgrey" => 0xd3d3d3,
        "lightyellow" => 0xffffe0,
        "darkgray" | "darkgrey" => 0xa9a9a9,
        "darkblue" => 0x00008b,
        "darkgreen" => 0x006400,
        "darkred" => 0x8b0000,
        "darkorange" => 0xff8c00,
        "whitesmoke" => 0xf5f5f5,
        _ => return None,
    };
    let [_, r, g, b] = rgb.to_be_bytes();
    Some(Color32::from_rgb(r, g, b))
}

/// A length such as `2px` or `1.5`; units other than px are read as px.
pub fn parse_len(s: &str) -> Option<f32> {
    let s = s.trim();
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    s[..end]
        .parse::<f32>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
}

/// `stroke-dasharray` as (dash, gap); a single value means equal parts.
pub fn parse_dash(s: &str) -> Option<(f32, f32)> {
    let vals: Vec<f32> = s
        .split([',', ' '])
        .filter(|p| !p.is_empty())
        .filter_map(parse_len)
        .collect();
    match vals.as_slice() {
        [d] if *d > 0.0 => Some((*d, *d)),
        [d, g, ..] if *d > 0.0 || *g > 0.0 => Some((d.max(0.5), g.max(0.5))),
        _ => None,
    }
}

/// Relative luminance (WCAG) of an sRGB colour.
pub fn luminance(c: Color32) -> f32 {
    let lin = |v: u8| {
        let v = f32::from(v) / 255.0;
        if v <= 0.040_45 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let [r, g, b, _] = c.to_srgba_unmultiplied();
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// WCAG contrast ratio of two colours (1 to 21).
pub fn contrast(a: Color32, b: Color32) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The theme's text colour, unless it is hard to read on `fill` (a note's
/// own light fill in dark mode, say); then whichever of `light`/`dark`
/// reads better.
pub fn readable_text(fill: Color32, preferred: Color32, light: Color32, dark: Color32) -> Color32 {
    if fill.a() < 64 || contrast(preferred, fill) >= 3.0 {
        return preferred;
    }
    if contrast(light, fill) >= contrast(dark, fill) {
        light
    } else {
        dark
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bbox() -> Rect {
        Rect::from_center_size(pos2(100.0, 50.0), vec2(80.0, 40.0))
    }

    #[test]
    fn distance_to_a_polyline_measures_to_the_nearest_segment() {
        let path = [pos2(0.0, 0.0), pos2(10.0, 0.0), pos2(10.0, 10.0)];
        assert_eq!(distance_to_polyline(&path, pos2(5.0, 3.0)), 3.0);
        assert_eq!(distance_to_polyline(&path, pos2(14.0, 5.0)), 4.0);
        // Past the end, the distance is to the end point.
        assert_eq!(distance_to_polyline(&path, pos2(10.0, 13.0)), 3.0);
        assert_eq!(distance_to_polyline(&path[..1], pos2(3.0, 4.0)), 5.0);
        assert!(distance_to_polyline(&[], pos2(0.0, 0.0)).is_infinite());
    }

    #[test]
    fn diamond_hits_inside_but_not_its_box_corners() {
        let o = node_outline(Shape::Diamond, bbox());
        assert!(hits_node(&o, bbox(), pos2(100.0, 50.0)));
        assert!(hits_node(&o, bbox(), pos2(125.0, 50.0)));
        assert!(!hits_node(&o, bbox(), pos2(62.0, 32.0)));
        assert!(!hits_node(&o, bbox(), pos2(300.0, 50.0)));
    }

    #[test]
    fn every_outline_stays_near_its_box_and_hits_its_centre() {
        use Shape::*;
        let shapes = [
            Rect,
            Rounded,
            Stadium,
            Subroutine,
            Cylinder,
            Circle,
            DoubleCircle,
            Asymmetric,
            Diamond,
            Hexagon,
            LeanRight,
            LeanLeft,
            Trapezoid,
            InvTrapezoid,
            Ellipse,
            Text,
            Card,
            LinedRect,
            SmallCircle,
            FramedCircle,
            ForkJoin,
            BraceLeft,
            BraceRight,
            Braces,
            Bolt,
            Document,
            Delay,
            HorizontalCylinder,
            LinedCylinder,
            CurvedTrapezoid,
            DividedRect,
            Triangle,
            WindowPane,
            FilledCircle,
            NotchedPentagon,
            FlippedTriangle,
            SlopedRect,
            StackedDocument,
            StackedRect,
            BowTieRect,
            CrossedCircle,
            TaggedDocument,
            TaggedRect,
            Flag,
            LinedDocument,
            State,
            Choice,
            Note,
            Anchor,
            ClassBox,
            Icon,
            Image,
            Hourglass,
        ];
        let b = bbox();
        let loose = b.expand(6.0);
        for s in shapes {
            let o = node_outline(s, b);
            assert!(!o.bodies.is_empty(), "{s:?} has no body");
            for p in o.bodies.iter().chain(&o.lines).chain(&o.rings).flatten() {
                assert!(loose.contains(*p), "{s:?} point {p:?} outside {b:?}");
            }
            if s != Hourglass {
                assert!(hits_node(&o, b, b.center()), "{s:?} misses its centre");
            }
        }
    }

    #[test]
    fn polygon_test_handles_concave_flag() {
        let o = node_outline(Shape::Asymmetric, bbox());
        // The notch on the left is outside, the body right of it inside.
        assert!(!hits_node(&o, bbox(), pos2(61.0, 50.0)));
        assert!(hits_node(&o, bbox(), pos2(61.0, 31.0)));
    }

    #[test]
    fn arrow_head_points_along_direction() {
        let [tip, a, b] = arrow_head(pos2(0.0, 0.0), vec2(0.0, 5.0), 10.0);
        assert_eq!(tip, pos2(0.0, 0.0));
        assert!((a.y + 10.0).abs() < 1e-4 && (b.y + 10.0).abs() < 1e-4);
        assert!((a.x - b.x).abs() - 10.0 < 1e-4);
        // Degenerate direction does not produce NaN.
        let h = arrow_head(pos2(1.0, 1.0), Vec2::ZERO, 10.0);
        assert!(h.iter().all(|p| p.x.is_finite() && p.y.is_finite()));
    }

    #[test]
    fn trimming_and_direction() {
        let mut pts = vec![pos2(0.0, 0.0), pos2(0.0, 100.0)];
        trim_end(&mut pts, 8.0);
        assert_eq!(pts[1], pos2(0.0, 92.0));
        let mut short = vec![pos2(0.0, 0.0), pos2(0.0, 5.0)];
        trim_end(&mut short, 8.0);
        assert_eq!(short[1], pos2(0.0, 5.0));
        let d = end_direction(&[pos2(0.0, 0.0), pos2(3.0, 0.0), pos2(3.0, 0.0)]);
        assert_eq!(d, vec2(3.0, 0.0));
    }

    #[test]
    fn bezier_chain_splits_into_segments() {
        let chain: Vec<Pos2> = (0..7).map(|i| pos2(i as f32, 0.0)).collect();
        let segs = bezier_segments(&chain);
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[1][0], pos2(3.0, 0.0));
        assert_eq!(segs[1][3], pos2(6.0, 0.0));
        assert!(bezier_segments(&chain[..3]).is_empty());
    }

    #[test]
    fn midpoint_by_length() {
        let m = midpoint(&[pos2(0.0, 0.0), pos2(10.0, 0.0), pos2(10.0, 30.0)]).expect("mid");
        assert!((m - pos2(10.0, 10.0)).length() < 1e-4);
        assert_eq!(midpoint(&[]), None);
    }

    #[test]
    fn fitting_and_zooming() {
        assert_eq!(fit_scale(vec2(200.0, 100.0), 800.0, 500.0), 1.0);
        assert_eq!(fit_scale(vec2(1000.0, 100.0), 800.0, 500.0), 0.8);
        // Too wide: kept readable, and shown from its left edge.
        assert_eq!(fit_scale(vec2(1600.0, 100.0), 800.0, 500.0), READABLE_SCALE);
        assert_eq!(
            start_pan(vec2(1600.0, 100.0), READABLE_SCALE, 800.0),
            vec2(160.0, 0.0)
        );
        assert_eq!(start_pan(vec2(1000.0, 100.0), 0.8, 800.0), Vec2::ZERO);
        // Wide and tall: the height still wins.
        assert_eq!(fit_scale(vec2(4000.0, 1000.0), 800.0, 500.0), 0.5);
        assert_eq!(fit_scale(vec2(100.0, 1000.0), 800.0, 500.0), 0.5);
        assert_eq!(fit_scale(Vec2::ZERO, 800.0, 500.0), 1.0);
        // The content point under the anchor stays under it.
        let (pan, old, new, anchor) = (vec2(10.0, -5.0), 1.0, 2.0, vec2(40.0, 20.0));
        let p = zoom_pan(pan, old, new, anchor);
        let content_before = (anchor - pan) / old;
        let content_after = (anchor - p) / new;
        assert!((content_before - content_after).length() < 1e-4);
    }

    #[test]
    fn text_stays_readable_on_custom_fills() {
        let light_text = Color32::from_rgb(0xe6, 0xe8, 0xee);
        let dark_text = Color32::from_rgb(0x1f, 0x23, 0x30);
        let pink = Color32::from_rgb(0xff, 0xcc, 0xcc);
        // Dark theme text on a light custom fill switches to dark text.
        assert_eq!(
            readable_text(pink, light_text, light_text, dark_text),
            dark_text
        );
        // The theme's own fill keeps the theme's text.
        let dark_fill = Color32::from_rgb(0x2a, 0x2f, 0x3b);
        assert_eq!(
            readable_text(dark_fill, light_text, light_text, dark_text),
            light_text
        );
        assert_eq!(
            readable_text(Color32::TRANSPARENT, light_text, light_text, dark_text),
            light_text
        );
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
    }

    #[test]
    fn colours_lengths_and_dashes() {
        assert_eq!(parse_color("#f00"), Some(Color32::from_rgb(255, 0, 0)));
        assert_eq!(parse_color(" #00FF00 "), Some(Color32::from_rgb(0, 255, 0)));
        assert_eq!(
            parse_color("#0000ff80"),
            Some(Color32::from_rgba_unmultiplied(0, 0, 255, 128))
        );
        assert_eq!(
            parse_color("rgb(1, 2, 3)"),
            Some(Color32::from_rgb(1, 2, 3))
        );
        assert_eq!(
            parse_color("rgba(10,20,30,0.5)"),
            Some(Color32::from_rgba_unmultiplied(10, 20, 30, 128))
        );
        assert_eq!(
            parse_color("orange !important"),
            Some(Color32::from_rgb(255, 165, 0))
        );
        assert_eq!(parse_color("none"), Some(Color32::TRANSPARENT));
        assert_eq!(parse_color("#12"), None);
        assert_eq!(parse_color("url(#x)"), None);
        assert_eq!(parse_len("2px"), Some(2.0));
        assert_eq!(parse_len("-1"), None);
        assert_eq!(parse_dash("5 5"), Some((5.0, 5.0)));
        assert_eq!(parse_dash("4,2"), Some((4.0, 2.0)));
        assert_eq!(parse_dash("3"), Some((3.0, 3.0)));
        assert_eq!(parse_dash("0"), None);
    }
}
