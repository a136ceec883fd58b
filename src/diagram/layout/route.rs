//! Edge geometry in the final frame: clipping route ends to node outlines
//! and turning waypoint polylines into Bézier chains or orthogonal paths.
//!
//! Waypoints come from the layered stage in pairs that keep every
//! non-straight piece inside a region free of foreign nodes (the gap between
//! two ranks, or the column of the endpoint node inside its own rank). The
//! curve between two waypoints therefore only ever moves monotonically inside
//! their bounding box: both control points sit on the rank axis.

use super::{CurveStyle, Point, ShapeKind};

/// Scale `s` such that `centre + s * dir` lies on the outline of a shape of
/// half-size (`a`, `b`) centred at the origin.
pub fn outline_scale(shape: ShapeKind, a: f32, b: f32, dx: f32, dy: f32) -> f32 {
    let a = a.max(0.01);
    let b = b.max(0.01);
    if dx.abs() < 1e-9 && dy.abs() < 1e-9 {
        return 0.0;
    }
    let rect = || {
        let sx = if dx.abs() > 1e-9 {
            a / dx.abs()
        } else {
            f32::INFINITY
        };
        let sy = if dy.abs() > 1e-9 {
            b / dy.abs()
        } else {
            f32::INFINITY
        };
        sx.min(sy)
    };
    match shape {
        ShapeKind::Diamond => 1.0 / (dx.abs() / a + dy.abs() / b),
        ShapeKind::Circle | ShapeKind::Ellipse => {
            1.0 / ((dx / a).powi(2) + (dy / b).powi(2)).sqrt()
        }
        ShapeKind::Stadium => {
            // Rectangle with semicircular caps on the short sides.
            let s = rect();
            let r = a.min(b);
            let (px, py) = (dx * s, dy * s);
            let (cx, cy) = (a - r, b - r);
            if px.abs() <= cx || py.abs() <= cy {
                return s;
            }
            let (ox, oy) = (cx * px.signum(), cy * py.signum());
            // |t*d - o| = r, take the larger root.
            let qa = dx * dx + dy * dy;
            let qb = -2.0 * (dx * ox + dy * oy);
            let qc = ox * ox + oy * oy - r * r;
            let disc = (qb * qb - 4.0 * qa * qc).max(0.0);
            (-qb + disc.sqrt()) / (2.0 * qa)
        }
        ShapeKind::Hexagon => {
            let i = (a / 2.0).min(b);
            polygon_scale(
                &[
                    (-a, 0.0),
                    (-a + i, -b),
                    (a - i, -b),
                    (a, 0.0),
                    (a - i, b),
                    (-a + i, b),
                ],
                dx,
                dy,
            )
        }
        ShapeKind::Parallelogram => {
            let k = (a / 2.0).min(b);
            polygon_scale(&[(-a + k, -b), (a, -b), (a - k, b), (-a, b)], dx, dy)
        }
        ShapeKind::Trapezoid => {
            let k = (a / 2.0).min(b);
            polygon_scale(&[(-a + k, -b), (a - k, -b), (a, b), (-a, b)], dx, dy)
        }
        ShapeKind::Rect | ShapeKind::RoundRect | ShapeKind::Cylinder | ShapeKind::Other => rect(),
    }
}

/// Ray from the origin against a convex polygon containing it.
fn polygon_scale(poly: &[(f32, f32)], dx: f32, dy: f32) -> f32 {
    let mut best = f32::INFINITY;
    for i in 0..poly.len() {
        let (x1, y1) = poly[i];
        let (x2, y2) = poly[(i + 1) % poly.len()];
        let (ex, ey) = (x2 - x1, y2 - y1);
        let den = dx * ey - dy * ex;
        if den.abs() < 1e-12 {
            continue;
        }
        let t = (x1 * ey - y1 * ex) / den;
        let u = (x1 * dy - y1 * dx) / den;
        if t > 0.0 && (-1e-4..=1.0 + 1e-4).contains(&u) {
            best = best.min(t);
        }
    }
    if best.is_finite() {
        best
    } else {
        0.0
    }
}

/// Point where the segment from the node centre towards `toward` leaves the
/// node outline; `None` when `toward` is inside the node.
pub fn clip(shape: ShapeKind, c: Point, w: f32, h: f32, toward: Point) -> Option<Point> {
    let (dx, dy) = (toward.x - c.x, toward.y - c.y);
    let s = outline_scale(shape, w / 2.0, h / 2.0, dx, dy);
    if s >= 1.0 {
        return None;
    }
    Some(Point {
        x: c.x + dx * s,
        y: c.y + dy * s,
    })
}

/// Output curve for a waypoint polyline already clipped at both ends.
/// `vertical` says whether ranks run along y (TB/BT) or along x (LR/RL).
pub fn shape_route(
    pts: &[Point],
    style: CurveStyle,
    vertical: bool,
) -> (Vec<Point>, Option<Vec<Point>>) {
    match style {
        CurveStyle::Straight => (pts.to_vec(), None),
        CurveStyle::Orthogonal => (orthogonal(pts, vertical), None),
        CurveStyle::Smooth => {
            let bez = bezier_chain(pts, vertical);
            (sample(&bez), Some(bez))
        }
    }
}

fn along(p: Point, vertical: bool) -> f32 {
    if vertical {
        p.y
    } else {
        p.x
    }
}

fn across(p: Point, vertical: bool) -> f32 {
    if vertical {
        p.x
    } else {
        p.y
    }
}

fn with_along(p: Point, v: f32, vertical: bool) -> Point {
    if vertical {
        Point { x: p.x, y: v }
    } else {
        Point { x: v, y: p.y }
    }
}

fn orthogonal(pts: &[Point], vertical: bool) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(pts.len() * 2);
    for (i, &q) in pts.iter().enumerate() {
        if i > 0 {
            let p = pts[i - 1];
            if (across(p, vertical) - across(q, vertical)).abs() > 0.01
                && (along(p, vertical) - along(q, vertical)).abs() > 0.01
            {
                let mid = (along(p, vertical) + along(q, vertical)) / 2.0;
                out.push(with_along(p, mid, vertical));
                out.push(with_along(q, mid, vertical));
            }
        }
        out.push(q);
    }
    out
}

/// Cubic chain p0,c1,c2,p1,...: each piece leaves and enters along the rank
/// axis, so consecutive pieces join smoothly at the waypoints.
pub fn bezier_chain(pts: &[Point], vertical: bool) -> Vec<Point> {
    let mut out = Vec::with_capacity(pts.len() * 3);
    if let Some(&first) = pts.first() {
        out.push(first);
    }
    for w in pts.windows(2) {
        let (p, q) = (w[0], w[1]);
        let straight = (across(p, vertical) - across(q, vertical)).abs() < 0.01;
        if straight {
            out.push(lerp(p, q, 1.0 / 3.0));
            out.push(lerp(p, q, 2.0 / 3.0));
        } else {
            let d = (along(q, vertical) - along(p, vertical)) / 2.0;
            out.push(with_along(p, along(p, vertical) + d, vertical));
            out.push(with_along(q, along(q, vertical) - d, vertical));
        }
        out.push(q);
    }
    out
}

fn lerp(p: Point, q: Point, t: f32) -> Point {
    Point {
        x: p.x + (q.x - p.x) * t,
        y: p.y + (q.y - p.y) * t,
    }
}

pub const SAMPLES_PER_CUBIC: usize = 8;

/// Flattens a cubic chain; straight pieces are kept as one segment.
pub fn sample(bez: &[Point]) -> Vec<Point> {
    let mut out = Vec::with_capacity(1 + bez.len() / 3 * SAMPLES_PER_CUBIC);
    if let Some(&first) = bez.first() {
        out.push(first);
    }
    let mut i = 0;
    while i + 3 < bez.len() {
        let (p0, c1, c2, p1) = (bez[i], bez[i + 1], bez[i + 2], bez[i + 3]);
        let collinear = (cross(p0, c1, p1)).abs() < 0.01 && (cross(p0, c2, p1)).abs() < 0.01;
        if collinear {
            out.push(p1);
        } else {
            for k in 1..=SAMPLES_PER_CUBIC {
                let t = k as f32 / SAMPLES_PER_CUBIC as f32;
                out.push(cubic(p0, c1, c2, p1, t));
            }
        }
        i += 3;
    }
    out
}

fn cross(a: Point, b: Point, c: Point) -> f32 {
    (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
}

pub fn cubic(p0: Point, c1: Point, c2: Point, p1: Point, t: f32) -> Point {
    let u = 1.0 - t;
    let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    Point {
        x: a * p0.x + b * c1.x + c * c2.x + d * p1.x,
        y: a * p0.y + b * c1.y + c * c2.y + d * p1.y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f32, y: f32) -> Point {
        Point { x, y }
    }

    #[test]
    fn clip_rect_diamond_ellipse() {
        let c = p(0.0, 0.0);
        let r = clip(ShapeKind::Rect, c, 100.0, 40.0, p(0.0, 100.0)).unwrap();
        assert!((r.y - 20.0).abs() < 1e-4 && r.x.abs() < 1e-4);
        let d = clip(ShapeKind::Diamond, c, 100.0, 40.0, p(100.0, 100.0)).unwrap();
        assert!((d.x.abs() / 50.0 + d.y.abs() / 20.0 - 1.0).abs() < 1e-4);
        let e = clip(ShapeKind::Ellipse, c, 100.0, 40.0, p(30.0, 80.0)).unwrap();
        assert!(((e.x / 50.0).powi(2) + (e.y / 20.0).powi(2) - 1.0).abs() < 1e-3);
        assert!(clip(ShapeKind::Rect, c, 100.0, 40.0, p(10.0, 10.0)).is_none());
    }

    #[test]
    fn clip_polygons_stay_in_box() {
        for shape in [
            ShapeKind::Hexagon,
            ShapeKind::Parallelogram,
            ShapeKind::Trapezoid,
            ShapeKind::Stadium,
        ] {
            for k in 0..16 {
                let ang = k as f32 * std::f32::consts::PI / 8.0;
                let t = p(200.0 * ang.cos(), 200.0 * ang.sin());
                let q = clip(shape, p(0.0, 0.0), 120.0, 40.0, t).unwrap();
                assert!(q.x.abs() <= 60.01 && q.y.abs() <= 20.01, "{shape:?} {q:?}");
                assert!(q.x.abs() + q.y.abs() > 15.0, "{shape:?} {q:?}");
            }
        }
    }

    #[test]
    fn bezier_stays_in_waypoint_boxes() {
        let pts = [p(0.0, 0.0), p(0.0, 20.0), p(80.0, 70.0), p(80.0, 90.0)];
        let bez = bezier_chain(&pts, true);
        assert_eq!(bez.len(), 1 + 3 * 3);
        let flat = sample(&bez);
        assert_eq!(flat.first(), Some(&pts[0]));
        assert_eq!(flat.last(), Some(&pts[3]));
        for q in flat {
            assert!((-0.01..=80.01).contains(&q.x) && (-0.01..=90.01).contains(&q.y));
        }
    }

    #[test]
    fn orthogonal_has_only_axis_parallel_segments() {
        let pts = [p(0.0, 0.0), p(50.0, 40.0), p(10.0, 90.0)];
        let o = orthogonal(&pts, true);
        for w in o.windows(2) {
            assert!(w[0].x == w[1].x || w[0].y == w[1].y, "{o:?}");
        }
    }
}
