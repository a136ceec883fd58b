//! Paints a DOT [`DotDrawing`] with egui, in the flowcharts' palette.

use super::geom;
use super::scene::{fill_star, hex, paint_lines, stroke_line, Run, View};
use crate::diagram::dot::{DotDrawing, DotItem, Rgba};
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

pub fn paint(painter: &Painter, v: &View, d: &DotDrawing, dark: bool) {
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
    for item in &d.items {
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
                    v.tone(fill_of(*fill), 1.0),
                    Stroke::new(stroke_width * v.scale, v.tone(ink(*stroke, cs.stroke), 1.0)),
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
                let fill = v.tone(fill_of(*fill), 1.0);
                let st = Stroke::new(stroke_width * v.scale, v.tone(ink(*stroke, cs.stroke), 1.0));
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
                    Stroke::new(stroke_width * v.scale, v.tone(ink(*stroke, cs.edge), 1.0)),
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
                    v.tone(text_color, 1.0),
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
                let col = v.tone(ink(*c, cs.edge), 1.0);
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
                            v.tone(cs.text, 1.0),
                        );
                    }
                }
            }
        }
    }
}
