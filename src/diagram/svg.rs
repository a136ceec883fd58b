//! Flowchart + layout -> standalone SVG 1.1.
//!
//! Plain `<text>`/`<tspan>` only (no `foreignObject`), so the output renders
//! the same in browsers, resvg and vector editors. Every user string goes
//! through [`escape`]; style values additionally pass [`safe_style_value`]
//! so a note cannot smuggle markup or external references into attributes.

use super::layout::{ClusterBox, EdgeRoute, Layout, NodeBox, Point};
use super::model::{
    style_value, ClickAction, Edge, Flowchart, Label, Marker, Node, Shape, Stroke, StyleProp,
};
use super::{cylinder_ry, shows_label, FONT_PX, TITLE_FONT_PX};
use crate::diagram::measure::LINE_HEIGHT;
use std::collections::BTreeSet;
use std::fmt::Write;

/// Font stack with CJK fallbacks; the label measurement assumes a sans-serif
/// UI font of this kind.
pub const FONT_FAMILY: &str = "ui-sans-serif, system-ui, 'Segoe UI', Helvetica, Arial, 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";

/// Margin around the drawing, in px.
const MARGIN: f32 = 8.0;
/// Font size of the diagram title, in px.
const TITLE_PX: f32 = 18.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

impl Theme {
    pub fn from_name(name: &str) -> Option<Theme> {
        match name {
            "light" | "default" | "neutral" | "base" | "forest" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

/// Colours of one theme.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub background: &'static str,
    pub node_fill: &'static str,
    pub node_stroke: &'static str,
    pub text: &'static str,
    pub edge: &'static str,
    pub edge_label_bg: &'static str,
    pub cluster_fill: &'static str,
    pub cluster_stroke: &'static str,
}

pub fn palette(theme: Theme) -> Palette {
    match theme {
        Theme::Light => Palette {
            background: "#ffffff",
            node_fill: "#eef0ff",
            node_stroke: "#7b6fd0",
            text: "#1f2330",
            edge: "#3a3f4b",
            edge_label_bg: "#f1f2f6",
            cluster_fill: "#fbfbe9",
            cluster_stroke: "#b5b36a",
        },
        Theme::Dark => Palette {
            background: "#1b1d23",
            node_fill: "#2a2f3b",
            node_stroke: "#8ea2e0",
            text: "#e6e8ee",
            edge: "#c3c8d4",
            edge_label_bg: "#2a2f3b",
            cluster_fill: "#22252d",
            cluster_stroke: "#6a7180",
        },
    }
}

/// A short prefix for element ids, derived from the source, so several SVGs
/// inlined in one HTML page do not share marker ids.
pub fn id_prefix(src: &str) -> String {
    // FNV-1a: stable across runs and platforms, unlike std's hasher.
    let mut h: u32 = 0x811c_9dc5;
    for b in src.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("s{h:08x}")
}

/// `click` URLs that may become SVG links: web and mail links, and
/// relative paths. Anything with another scheme (`javascript:`, `data:`,
/// `file:` ...) is dropped.
pub fn safe_url(url: &str) -> Option<&str> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        return Some(u);
    }
    // Relative: no scheme before the first `/`, `?` or `#`.
    let head = lower.split(['/', '?', '#']).next().unwrap_or("");
    if u.is_empty() || head.contains(':') || u.chars().any(|c| c.is_control()) {
        None
    } else {
        Some(u)
    }
}

pub use crate::markup::escape;

/// Accepts colours, lengths and dash lists; rejects anything that could
/// reference external resources or break out of an attribute.
pub fn safe_style_value(v: &str) -> Option<&str> {
    let v = v.trim().trim_end_matches("!important").trim();
    let lower = v.to_ascii_lowercase();
    let ok_chars = v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " #(),.%-_".contains(c));
    if v.is_empty() || !ok_chars || lower.contains("url") || lower.contains("expression") {
        None
    } else {
        Some(v)
    }
}

fn fmt_num(v: f32) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        let s = format!("{r:.2}");
        s.trim_end_matches('0').to_string()
    }
}

fn pt(p: Point, dx: f32, dy: f32) -> String {
    format!("{},{}", fmt_num(p.x + dx), fmt_num(p.y + dy))
}

fn style_of<'a>(style: &'a [StyleProp], key: &str) -> Option<&'a str> {
    style_value(style, key).and_then(safe_style_value)
}

/// Renders a laid-out chart. `layout` must come from
/// [`super::prepare`] of the same chart (indices line up).
pub fn render(chart: &Flowchart, layout: &Layout, theme: Theme, prefix: String) -> String {
    let pal = palette(theme);
    // A front-matter `title:` is drawn above the chart, as Mermaid does.
    let title = chart
        .config
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty());
    let (title_w, title_h) = match title {
        Some(t) => {
            let (tw, th) = crate::diagram::measure::text_size(t, TITLE_PX);
            (tw, th + 8.0)
        }
        None => (0.0, 0.0),
    };
    let w = layout.width.max(title_w).max(0.0) + 2.0 * MARGIN;
    let h = layout.height.max(0.0) + title_h + 2.0 * MARGIN;
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" font-family=\"{}\" font-size=\"{}\"",
        fmt_num(w),
        fmt_num(h),
        fmt_num(w),
        fmt_num(h),
        escape(FONT_FAMILY),
        fmt_num(FONT_PX)
    );
    if chart.acc_title.is_some() || chart.config.title.is_some() {
        let _ = write!(out, " role=\"img\" aria-labelledby=\"{prefix}-title\"");
    }
    out.push_str(" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n");
    if let Some(t) = chart.acc_title.as_ref().or(chart.config.title.as_ref()) {
        let _ = writeln!(out, "<title id=\"{prefix}-title\">{}</title>", escape(t));
    }
    if let Some(d) = &chart.acc_descr {
        let _ = writeln!(out, "<desc>{}</desc>", escape(d));
    }
    let edge_styles: Vec<Vec<StyleProp>> = (0..chart.edges.len())
        .map(|i| chart.edge_style(i))
        .collect();
    write_markers(&mut out, chart, &edge_styles, &pal, &prefix);
    let _ = writeln!(
        out,
        "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
        fmt_num(w),
        fmt_num(h),
        pal.background
    );
    if let Some(t) = title {
        let label = Label::plain(t);
        write_text(
            &mut out,
            &label,
            w / 2.0,
            MARGIN + title_h / 2.0,
            TITLE_PX,
            pal.text,
        );
    }
    let _ = writeln!(
        out,
        "<g transform=\"translate({},{})\">",
        fmt_num(MARGIN + (w - 2.0 * MARGIN - layout.width.max(0.0)) / 2.0),
        fmt_num(MARGIN + title_h)
    );
    out.push_str("<g class=\"clusters\">\n");
    for (sg, b) in chart.subgraphs.iter().zip(&layout.clusters) {
        write_cluster(
            &mut out,
            &super::display_label(&sg.title),
            &chart.subgraph_style(sg),
            b,
            &pal,
        );
    }
    out.push_str("</g>\n<g class=\"edges\">\n");
    for (i, (e, r)) in chart.edges.iter().zip(&layout.edges).enumerate() {
        write_edge(&mut out, e, r, &edge_styles[i], &pal, &prefix);
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for (n, b) in chart.nodes.iter().zip(&layout.nodes) {
        let click = chart.clicks.iter().rev().find(|c| c.node == n.id);
        let link = click.and_then(|c| match &c.action {
            ClickAction::Link { url, target } => safe_url(url).map(|u| (u, target.as_deref())),
            ClickAction::Callback { .. } => None,
        });
        if let Some((url, target)) = link {
            let _ = write!(out, "<a xlink:href=\"{}\"", escape(url));
            if let Some(t) =
                target.filter(|t| matches!(*t, "_self" | "_blank" | "_parent" | "_top"))
            {
                let _ = write!(out, " target=\"{t}\"");
            }
            out.push_str(">\n");
        }
        let tooltip = click.and_then(|c| c.tooltip.as_deref());
        write_node(&mut out, n, &chart.node_style(n), b, &pal, tooltip);
        if link.is_some() {
            out.push_str("</a>\n");
        }
    }
    out.push_str("</g>\n<g class=\"edge-labels\">\n");
    for (i, (e, r)) in chart.edges.iter().zip(&layout.edges).enumerate() {
        if let (Some(l), Some(p)) = (&e.label, r.label) {
            if e.stroke != Stroke::Invisible && !l.is_empty() {
                let color = style_of(&edge_styles[i], "color").unwrap_or(pal.text);
                write_edge_label(&mut out, &super::display_label(l), p, color, &pal);
            }
        }
    }
    out.push_str("</g>\n</g>\n</svg>\n");
    out
}

// ----- markers -------------------------------------------------------------

fn edge_color<'a>(style: &'a [StyleProp], pal: &Palette) -> &'a str {
    style_of(style, "stroke").unwrap_or(pal.edge)
}

fn marker_id(prefix: &str, m: Marker, start: bool, color: &str) -> String {
    let kind = match m {
        Marker::Arrow => "arrow",
        Marker::Circle => "circle",
        Marker::Cross => "cross",
        Marker::None => "none",
    };
    let col: String = color
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{prefix}-{kind}-{}-{col}", if start { "s" } else { "e" })
}

fn write_markers(
    out: &mut String,
    chart: &Flowchart,
    styles: &[Vec<StyleProp>],
    pal: &Palette,
    prefix: &str,
) {
    let mut needed: BTreeSet<(u8, bool, String)> = BTreeSet::new();
    for (e, st) in chart.edges.iter().zip(styles) {
        if e.stroke == Stroke::Invisible {
            continue;
        }
        let color = edge_color(st, pal).to_string();
        for (m, start) in [(e.head, false), (e.tail, true)] {
            let k = match m {
                Marker::None => continue,
                Marker::Arrow => 0,
                Marker::Circle => 1,
                Marker::Cross => 2,
            };
            needed.insert((k, start, color.clone()));
        }
    }
    if needed.is_empty() {
        return;
    }
    out.push_str("<defs>\n");
    for (k, start, color) in needed {
        let m = [Marker::Arrow, Marker::Circle, Marker::Cross][k as usize];
        let id = marker_id(prefix, m, start, &color);
        let c = escape(&color);
        // SVG 1.1 has no `auto-start-reverse`, so start markers are drawn
        // mirrored instead.
        let (ref_x, body) = match (m, start) {
            (Marker::Arrow, false) => (9.0, format!("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"{c}\"/>")),
            (Marker::Arrow, true) => (1.0, format!("<path d=\"M10,0 L0,5 L10,10 z\" fill=\"{c}\"/>")),
            (Marker::Circle, s) => (
                if s { 1.0 } else { 9.0 },
                format!("<circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"{}\" stroke=\"{c}\" stroke-width=\"1.5\"/>", pal.background),
            ),
            (_, s) => (
                if s { 2.0 } else { 8.0 },
                format!("<path d=\"M1,1 L9,9 M9,1 L1,9\" stroke=\"{c}\" stroke-width=\"2\"/>"),
            ),
        };
        let _ = writeln!(
            out,
            "<marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"{}\" refY=\"5\" markerWidth=\"10\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">{body}</marker>",
            fmt_num(ref_x)
        );
    }
    out.push_str("</defs>\n");
}

// ----- edges -----------------------------------------------------------------

fn write_edge(
    out: &mut String,
    e: &Edge,
    r: &EdgeRoute,
    style: &[StyleProp],
    pal: &Palette,
    prefix: &str,
) {
    if e.stroke == Stroke::Invisible || r.points.len() < 2 && r.bezier.is_none() {
        return;
    }
    let mut d = String::new();
    match &r.bezier {
        Some(b) if b.len() >= 4 => {
            let _ = write!(d, "M{}", pt(b[0], 0.0, 0.0));
            for seg in b[1..].chunks(3) {
                if seg.len() == 3 {
                    let _ = write!(
                        d,
                        " C{} {} {}",
                        pt(seg[0], 0.0, 0.0),
                        pt(seg[1], 0.0, 0.0),
                        pt(seg[2], 0.0, 0.0)
                    );
                }
            }
        }
        _ => {
            for (i, p) in r.points.iter().enumerate() {
                let _ = write!(d, "{}{}", if i == 0 { "M" } else { " L" }, pt(*p, 0.0, 0.0));
            }
        }
    }
    let color = edge_color(style, pal);
    let default_width = match e.stroke {
        Stroke::Thick => "3.5",
        _ => "1.5",
    };
    let width = style_of(style, "stroke-width").unwrap_or(default_width);
    let dash = style_of(style, "stroke-dasharray").or(match e.stroke {
        Stroke::Dotted => Some("3 3"),
        _ => None,
    });
    let _ = write!(
        out,
        "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"",
        escape(color),
        escape(width)
    );
    if let Some(dash) = dash {
        let _ = write!(out, " stroke-dasharray=\"{}\"", escape(dash));
    }
    if e.head != Marker::None {
        let _ = write!(
            out,
            " marker-end=\"url(#{})\"",
            marker_id(prefix, e.head, false, color)
        );
    }
    if e.tail != Marker::None {
        let _ = write!(
            out,
            " marker-start=\"url(#{})\"",
            marker_id(prefix, e.tail, true, color)
        );
    }
    out.push_str("/>\n");
}

fn write_edge_label(out: &mut String, label: &Label, p: Point, color: &str, pal: &Palette) {
    let (w, h) = super::label_size(label, FONT_PX);
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2\" fill=\"{}\" opacity=\"0.9\"/>",
        fmt_num(p.x - w / 2.0 - 4.0),
        fmt_num(p.y - h / 2.0 - 2.0),
        fmt_num(w + 8.0),
        fmt_num(h + 4.0),
        pal.edge_label_bg
    );
    write_text(out, label, p.x, p.y, FONT_PX, color);
}

// ----- text --------------------------------------------------------------------

/// Multi-line centred text; baselines are computed (no `dominant-baseline`,
/// which some SVG 1.1 consumers ignore).
fn write_text(out: &mut String, label: &Label, cx: f32, cy: f32, font_px: f32, color: &str) {
    if label.is_empty() {
        return;
    }
    let lh = font_px * LINE_HEIGHT;
    let n = label.lines.len() as f32;
    let first = cy - (n - 1.0) * lh / 2.0 + font_px * 0.35;
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\"",
        fmt_num(cx),
        fmt_num(first),
        escape(color)
    );
    if (font_px - FONT_PX).abs() > f32::EPSILON {
        let _ = write!(out, " font-size=\"{}\"", fmt_num(font_px));
    }
    out.push('>');
    for (i, line) in label.lines.iter().enumerate() {
        let dy = if i == 0 { "0".to_string() } else { fmt_num(lh) };
        let _ = write!(out, "<tspan x=\"{}\" dy=\"{dy}\">", fmt_num(cx));
        if line.is_empty() {
            // Keeps the empty line's height in every renderer.
            out.push('\u{a0}');
        }
        for span in line {
            if span.bold || span.italic {
                out.push_str("<tspan");
                if span.bold {
                    out.push_str(" font-weight=\"bold\"");
                }
                if span.italic {
                    out.push_str(" font-style=\"italic\"");
                }
                let _ = write!(out, ">{}</tspan>", escape(&span.text));
            } else {
                out.push_str(&escape(&span.text));
            }
        }
        out.push_str("</tspan>");
    }
    out.push_str("</text>\n");
}

// ----- clusters ------------------------------------------------------------------

fn write_cluster(
    out: &mut String,
    title: &Label,
    style: &[StyleProp],
    b: &ClusterBox,
    pal: &Palette,
) {
    let fill = style_of(style, "fill").unwrap_or(pal.cluster_fill);
    let stroke = style_of(style, "stroke").unwrap_or(pal.cluster_stroke);
    let sw = style_of(style, "stroke-width").unwrap_or("1");
    let _ = write!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"",
        fmt_num(b.x),
        fmt_num(b.y),
        fmt_num(b.w),
        fmt_num(b.h),
        escape(fill),
        escape(stroke),
        escape(sw)
    );
    if let Some(d) = style_of(style, "stroke-dasharray") {
        let _ = write!(out, " stroke-dasharray=\"{}\"", escape(d));
    }
    out.push_str("/>\n");
    let color = style_of(style, "color").unwrap_or(pal.text);
    let (_, th) = super::label_size(title, TITLE_FONT_PX);
    write_text(
        out,
        title,
        b.x + b.w / 2.0,
        b.y + 4.0 + th / 2.0,
        TITLE_FONT_PX,
        color,
    );
}

// ----- nodes -----------------------------------------------------------------------

struct Paint<'a> {
    fill: &'a str,
    stroke: &'a str,
    width: &'a str,
    dash: Option<&'a str>,
}

impl Paint<'_> {
    fn attrs(&self) -> String {
        let mut s = format!(
            "fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"",
            escape(self.fill),
            escape(self.stroke),
            escape(self.width)
        );
        if let Some(d) = self.dash {
            let _ = write!(s, " stroke-dasharray=\"{}\"", escape(d));
        }
        s
    }

    fn line_attrs(&self) -> String {
        format!(
            "fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"",
            escape(self.stroke),
            escape(self.width)
        )
    }
}

fn poly(out: &mut String, pts: &[(f32, f32)], paint: &Paint) {
    let p: Vec<String> = pts
        .iter()
        .map(|(x, y)| format!("{},{}", fmt_num(*x), fmt_num(*y)))
        .collect();
    let _ = writeln!(
        out,
        "<polygon points=\"{}\" {}/>",
        p.join(" "),
        paint.attrs()
    );
}

fn path(out: &mut String, d: &str, attrs: &str) {
    let _ = writeln!(out, "<path d=\"{d}\" {attrs}/>");
}

fn rect(out: &mut String, x: f32, y: f32, w: f32, h: f32, rx: f32, attrs: &str) {
    let _ = write!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
        fmt_num(x),
        fmt_num(y),
        fmt_num(w),
        fmt_num(h)
    );
    if rx > 0.0 {
        let _ = write!(out, " rx=\"{}\"", fmt_num(rx));
    }
    let _ = writeln!(out, " {attrs}/>");
}

fn circle(out: &mut String, cx: f32, cy: f32, r: f32, attrs: &str) {
    let _ = writeln!(
        out,
        "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {attrs}/>",
        fmt_num(cx),
        fmt_num(cy),
        fmt_num(r.max(0.0))
    );
}

fn write_node(
    out: &mut String,
    n: &Node,
    style: &[StyleProp],
    b: &NodeBox,
    pal: &Palette,
    tooltip: Option<&str>,
) {
    let paint = Paint {
        fill: style_of(style, "fill").unwrap_or(pal.node_fill),
        stroke: style_of(style, "stroke").unwrap_or(pal.node_stroke),
        width: style_of(style, "stroke-width").unwrap_or("1.5"),
        dash: style_of(style, "stroke-dasharray"),
    };
    let text_color = style_of(style, "color").unwrap_or(pal.text);
    let _ = writeln!(out, "<g class=\"node\" data-id=\"{}\">", escape(&n.id));
    if let Some(t) = tooltip {
        let _ = writeln!(out, "<title>{}</title>", escape(t));
    }
    let (cx, cy, w, h) = (b.x, b.y, b.w, b.h);
    let (x0, y0, x1, y1) = (cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0);
    let a = paint.attrs();
    let f = fmt_num;
    let mut text_dy = 0.0;
    use Shape::*;
    match n.shape {
        Rect | ClassBox | Note => rect(out, x0, y0, w, h, 0.0, &a),
        Rounded | State => rect(out, x0, y0, w, h, 6.0, &a),
        Stadium => rect(out, x0, y0, w, h, h / 2.0, &a),
        Subroutine => {
            rect(out, x0, y0, w, h, 0.0, &a);
            let la = paint.line_attrs();
            path(
                out,
                &format!(
                    "M{},{} V{} M{},{} V{}",
                    f(x0 + 8.0),
                    f(y0),
                    f(y1),
                    f(x1 - 8.0),
                    f(y0),
                    f(y1)
                ),
                &la,
            );
        }
        LinedRect => {
            rect(out, x0, y0, w, h, 0.0, &a);
            path(
                out,
                &format!("M{},{} V{}", f(x0 + 8.0), f(y0), f(y1)),
                &paint.line_attrs(),
            );
        }
        WindowPane => {
            rect(out, x0, y0, w, h, 0.0, &a);
            path(
                out,
                &format!(
                    "M{},{} V{} M{},{} H{}",
                    f(x0 + 8.0),
                    f(y0),
                    f(y1),
                    f(x0),
                    f(y0 + 8.0),
                    f(x1)
                ),
                &paint.line_attrs(),
            );
        }
        DividedRect => {
            rect(out, x0, y0, w, h, 0.0, &a);
            path(
                out,
                &format!("M{},{} H{}", f(x0), f(y0 + 10.0), f(x1)),
                &paint.line_attrs(),
            );
            text_dy = 5.0;
        }
        Cylinder | LinedCylinder => {
            let ry = cylinder_ry(w).min(h / 4.0);
            let rx = w / 2.0;
            let body = format!(
                "M{},{} A{},{} 0 0 1 {},{} V{} A{},{} 0 0 1 {},{} Z",
                f(x0),
                f(y0 + ry),
                f(rx),
                f(ry),
                f(x1),
                f(y0 + ry),
                f(y1 - ry),
                f(rx),
                f(ry),
                f(x0),
                f(y1 - ry)
            );
            path(out, &body, &a);
            let mut lid = format!(
                "M{},{} A{},{} 0 0 0 {},{}",
                f(x0),
                f(y0 + ry),
                f(rx),
                f(ry),
                f(x1),
                f(y0 + ry)
            );
            if n.shape == LinedCylinder {
                let _ = write!(
                    lid,
                    " M{},{} A{},{} 0 0 0 {},{}",
                    f(x0),
                    f(y0 + 2.0 * ry),
                    f(rx),
                    f(ry),
                    f(x1),
                    f(y0 + 2.0 * ry)
                );
            }
            path(out, &lid, &paint.line_attrs());
            text_dy = ry / 2.0;
        }
        HorizontalCylinder => {
            let rx = cylinder_ry(h).min(w / 4.0);
            let ry = h / 2.0;
            let body = format!(
                "M{},{} H{} A{},{} 0 0 1 {},{} H{} A{},{} 0 0 1 {},{} Z",
                f(x0 + rx),
                f(y0),
                f(x1 - rx),
                f(rx),
                f(ry),
                f(x1 - rx),
                f(y1),
                f(x0 + rx),
                f(rx),
                f(ry),
                f(x0 + rx),
                f(y0)
            );
            path(out, &body, &a);
            path(
                out,
                &format!(
                    "M{},{} A{},{} 0 0 0 {},{}",
                    f(x1 - rx),
                    f(y0),
                    f(rx),
                    f(ry),
                    f(x1 - rx),
                    f(y1)
                ),
                &paint.line_attrs(),
            );
        }
        Circle => circle(out, cx, cy, w.min(h) / 2.0, &a),
        DoubleCircle => {
            circle(out, cx, cy, w.min(h) / 2.0, &a);
            circle(out, cx, cy, w.min(h) / 2.0 - 5.0, &paint.line_attrs());
        }
        CrossedCircle => {
            let r = w.min(h) / 2.0;
            circle(out, cx, cy, r, &a);
            let d = r * std::f32::consts::FRAC_1_SQRT_2;
            path(
                out,
                &format!(
                    "M{},{} L{},{} M{},{} L{},{}",
                    f(cx - d),
                    f(cy - d),
                    f(cx + d),
                    f(cy + d),
                    f(cx + d),
                    f(cy - d),
                    f(cx - d),
                    f(cy + d)
                ),
                &paint.line_attrs(),
            );
        }
        SmallCircle | Anchor => {
            let fill = format!(
                "fill=\"{}\" stroke=\"{}\"",
                escape(paint.stroke),
                escape(paint.stroke)
            );
            circle(out, cx, cy, w.min(h) / 2.0, &fill);
        }
        FilledCircle => {
            let fill = format!(
                "fill=\"{}\" stroke=\"{}\"",
                escape(paint.stroke),
                escape(paint.stroke)
            );
            circle(out, cx, cy, w.min(h) / 2.0 - 2.0, &fill);
        }
        FramedCircle => {
            circle(out, cx, cy, w.min(h) / 2.0, &a);
            let fill = format!("fill=\"{}\"", escape(paint.stroke));
            circle(out, cx, cy, w.min(h) / 2.0 - 4.0, &fill);
        }
        ForkJoin => {
            let fill = format!("fill=\"{}\"", escape(paint.stroke));
            rect(out, x0, y0, w, h, 0.0, &fill);
        }
        Ellipse => {
            let _ = writeln!(
                out,
                "<ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\" {a}/>",
                f(cx),
                f(cy),
                f(w / 2.0),
                f(h / 2.0)
            );
        }
        Asymmetric => poly(
            out,
            &[(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0 + h / 3.0, cy)],
            &paint,
        ),
        Diamond | Choice => poly(out, &[(cx, y0), (x1, cy), (cx, y1), (x0, cy)], &paint),
        Hexagon => {
            let s = h / 4.0;
            poly(
                out,
                &[
                    (x0 + s, y0),
                    (x1 - s, y0),
                    (x1, cy),
                    (x1 - s, y1),
                    (x0 + s, y1),
                    (x0, cy),
                ],
                &paint,
            )
        }
        LeanRight => {
            let s = h * 0.3;
            poly(
                out,
                &[(x0 + s, y0), (x1, y0), (x1 - s, y1), (x0, y1)],
                &paint,
            )
        }
        LeanLeft => {
            let s = h * 0.3;
            poly(
                out,
                &[(x0, y0), (x1 - s, y0), (x1, y1), (x0 + s, y1)],
                &paint,
            )
        }
        Trapezoid => {
            let s = h * 0.3;
            poly(
                out,
                &[(x0 + s, y0), (x1 - s, y0), (x1, y1), (x0, y1)],
                &paint,
            )
        }
        InvTrapezoid => {
            let s = h * 0.3;
            poly(
                out,
                &[(x0, y0), (x1, y0), (x1 - s, y1), (x0 + s, y1)],
                &paint,
            )
        }
        SlopedRect => poly(
            out,
            &[(x0, y0 + 10.0), (x1, y0), (x1, y1), (x0, y1)],
            &paint,
        ),
        Card => poly(
            out,
            &[
                (x0 + 12.0, y0),
                (x1, y0),
                (x1, y1),
                (x0, y1),
                (x0, y0 + 12.0),
            ],
            &paint,
        ),
        NotchedPentagon => poly(
            out,
            &[
                (x0 + 10.0, y0),
                (x1 - 10.0, y0),
                (x1, y0 + 10.0),
                (x1, y1),
                (x0, y1),
                (x0, y0 + 10.0),
            ],
            &paint,
        ),
        Triangle => {
            poly(out, &[(cx, y0), (x1, y1), (x0, y1)], &paint);
            text_dy = h / 6.0;
        }
        FlippedTriangle => {
            poly(out, &[(x0, y0), (x1, y0), (cx, y1)], &paint);
            text_dy = -h / 6.0;
        }
        Hourglass => poly(out, &[(x0, y0), (x1, y0), (x0, y1), (x1, y1)], &paint),
        Document | LinedDocument | TaggedDocument | StackedDocument => {
            if n.shape == StackedDocument {
                rect(out, x0 + 8.0, y0, w - 8.0, h - 14.0, 0.0, &a);
            }
            let (dx0, dy0) = if n.shape == StackedDocument {
                (x0, y0 + 8.0)
            } else {
                (x0, y0)
            };
            let wave = 6.0;
            let d = format!(
                "M{},{} H{} V{} Q{},{} {},{} T{},{} Z",
                f(dx0),
                f(dy0),
                f(x1 - if n.shape == StackedDocument { 8.0 } else { 0.0 }),
                f(y1 - wave),
                f(dx0 + (x1 - dx0) * 0.75),
                f(y1 - 3.0 * wave),
                f((dx0 + x1) / 2.0),
                f(y1 - wave),
                f(dx0),
                f(y1 - wave)
            );
            path(out, &d, &a);
            if n.shape == LinedDocument {
                path(
                    out,
                    &format!("M{},{} V{}", f(x0 + 8.0), f(y0), f(y1 - wave)),
                    &paint.line_attrs(),
                );
            }
            if n.shape == TaggedDocument {
                poly(
                    out,
                    &[
                        (x1 - 12.0, y1 - wave - 12.0),
                        (x1, y1 - wave - 12.0),
                        (x1, y1 - wave),
                    ],
                    &paint,
                );
            }
            text_dy = -wave / 2.0;
        }
        StackedRect => {
            rect(out, x0 + 8.0, y0, w - 8.0, h - 8.0, 0.0, &a);
            rect(out, x0 + 4.0, y0 + 4.0, w - 8.0, h - 8.0, 0.0, &a);
            rect(out, x0, y0 + 8.0, w - 8.0, h - 8.0, 0.0, &a);
            text_dy = 4.0;
        }
        TaggedRect => {
            rect(out, x0, y0, w, h, 0.0, &a);
            poly(out, &[(x1 - 12.0, y1), (x1, y1), (x1, y1 - 12.0)], &paint);
        }
        Delay => {
            let r = h / 2.0;
            path(
                out,
                &format!(
                    "M{},{} H{} A{},{} 0 0 1 {},{} H{} Z",
                    f(x0),
                    f(y0),
                    f(x1 - r),
                    f(r),
                    f(r),
                    f(x1 - r),
                    f(y1),
                    f(x0)
                ),
                &a,
            );
        }
        CurvedTrapezoid => {
            let r = h / 2.0;
            path(
                out,
                &format!(
                    "M{},{} L{},{} H{} A{},{} 0 0 1 {},{} H{} Z",
                    f(x0),
                    f(cy),
                    f(x0 + 15.0),
                    f(y0),
                    f(x1 - r),
                    f(r),
                    f(r),
                    f(x1 - r),
                    f(y1),
                    f(x0 + 15.0)
                ),
                &a,
            );
        }
        BowTieRect => {
            let r = 10.0;
            path(
                out,
                &format!(
                    "M{},{} H{} A{},{} 0 0 0 {},{} H{} A{},{} 0 0 1 {},{} Z",
                    f(x0 + r),
                    f(y0),
                    f(x1),
                    f(r),
                    f(h / 2.0),
                    f(x1),
                    f(y1),
                    f(x0 + r),
                    f(r),
                    f(h / 2.0),
                    f(x0 + r),
                    f(y0)
                ),
                &a,
            );
        }
        Flag => {
            let wv = 5.0;
            path(
                out,
                &format!(
                    "M{},{} Q{},{} {},{} T{},{} V{} Q{},{} {},{} T{},{} Z",
                    f(x0),
                    f(y0 + wv),
                    f(x0 + w / 4.0),
                    f(y0 - wv),
                    f(cx),
                    f(y0 + wv),
                    f(x1),
                    f(y0 + wv),
                    f(y1 - wv),
                    f(x1 - w / 4.0),
                    f(y1 + wv),
                    f(cx),
                    f(y1 - wv),
                    f(x0),
                    f(y1 - wv)
                ),
                &a,
            );
        }
        BraceLeft | BraceRight | Braces => {
            let la = paint.line_attrs();
            let brace = |x: f32, dir: f32| {
                format!(
                    "M{},{} Q{},{} {},{} V{} Q{},{} {},{} Q{},{} {},{} V{} Q{},{} {},{}",
                    f(x + 8.0 * dir),
                    f(y0),
                    f(x),
                    f(y0),
                    f(x),
                    f(y0 + 8.0),
                    f(cy - 8.0),
                    f(x),
                    f(cy),
                    f(x - 6.0 * dir),
                    f(cy),
                    f(x),
                    f(cy),
                    f(x),
                    f(cy + 8.0),
                    f(y1 - 8.0),
                    f(x),
                    f(y1),
                    f(x + 8.0 * dir),
                    f(y1)
                )
            };
            if n.shape != BraceRight {
                path(out, &brace(x0 + 6.0, 1.0), &la);
            }
            if n.shape != BraceLeft {
                path(out, &brace(x1 - 6.0, -1.0), &la);
            }
        }
        Bolt => {
            let la = paint.line_attrs();
            path(
                out,
                &format!(
                    "M{},{} L{},{} L{},{} L{},{}",
                    f(x1 - 4.0),
                    f(y0),
                    f(cx - 6.0),
                    f(cy + 2.0),
                    f(cx + 6.0),
                    f(cy - 2.0),
                    f(x0 + 4.0),
                    f(y1)
                ),
                &la,
            );
        }
        Icon | Image => {
            let mut p2 = Paint {
                dash: Some("4 3"),
                ..paint
            };
            p2.fill = pal.background;
            rect(out, x0, y0, w, h, 4.0, &p2.attrs());
            text_dy = h / 2.0 - FONT_PX;
        }
        Text => {}
    }
    if shows_label(n.shape) {
        write_text(
            out,
            &super::display_label(&n.label),
            cx,
            cy + text_dy,
            FONT_PX,
            text_color,
        );
    }
    out.push_str("</g>\n");
}

#[cfg(test)]
mod tests;
