//! Painting the graph: edges and nodes go into two hand-built meshes (a
//! thin feathered quad per edge, a feathered fan per node) rather than one
//! epaint shape each, which keeps thousands of them cheap to tessellate;
//! anything off screen is skipped.

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Painter, Pos2, Rect, Shape, Vec2};

use crate::graph::{Graph, NodeKind, Subgraph};

pub struct Style {
    pub background: Color32,
    note: Color32,
    tag: Color32,
    unresolved: Color32,
    accent: Color32,
    edge: Color32,
    text: Color32,
    folder_colours: bool,
    dark: bool,
}

/// Folder tints: distinct hues at similar lightness.
const PALETTE: [(u8, u8, u8); 8] = [
    (0x4e, 0x9a, 0xe6),
    (0xe0, 0x8a, 0x3c),
    (0x5b, 0xb3, 0x6a),
    (0xc9, 0x5b, 0x8f),
    (0x9a, 0x7b, 0xd8),
    (0x3f, 0xb0, 0xac),
    (0xc8, 0xa8, 0x32),
    (0xd0, 0x5a, 0x4f),
];

impl Style {
    pub fn new(v: &egui::Visuals, folder_colours: bool) -> Style {
        let dark = v.dark_mode;
        Style {
            background: v.extreme_bg_color,
            note: if dark {
                Color32::from_rgb(0xa8, 0xad, 0xb6)
            } else {
                Color32::from_rgb(0x6b, 0x70, 0x78)
            },
            tag: Color32::from_rgb(0x5b, 0xb3, 0x6a),
            unresolved: if dark {
                Color32::from_gray(0x5c)
            } else {
                Color32::from_gray(0xb4)
            },
            accent: v.selection.bg_fill,
            edge: if dark {
                Color32::from_gray(0x6a)
            } else {
                Color32::from_gray(0xa8)
            },
            text: v.text_color(),
            folder_colours,
            dark,
        }
    }

    fn node_colour(&self, g: &Graph, i: u32) -> Color32 {
        let n = &g.nodes[i as usize];
        match n.kind {
            NodeKind::Tag => self.tag,
            NodeKind::Unresolved => self.unresolved,
            NodeKind::Note if self.folder_colours && !n.folder.is_empty() => {
                let top = n.folder.split('/').next().unwrap_or_default();
                let h = top
                    .bytes()
                    .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32));
                let (r, gr, b) = PALETTE[h as usize % PALETTE.len()];
                Color32::from_rgb(r, gr, b)
            }
            NodeKind::Note => self.note,
        }
    }
}

pub struct Scene<'a> {
    pub graph: &'a Graph,
    pub sub: &'a Subgraph,
    /// Screen position of every visible node.
    pub screen: &'a [Pos2],
    pub radii: &'a [f32],
    pub scale: f32,
    pub hovered: Option<usize>,
    /// While hovering: the hovered node and its neighbours.
    pub focus: Option<&'a [bool]>,
}

impl Scene<'_> {
    fn screen_radius(&self, i: usize) -> f32 {
        (self.radii[i] * self.scale).clamp(1.5, 60.0)
    }

    fn dimmed(&self, i: usize) -> bool {
        self.focus.is_some_and(|f| !f[i])
    }
}

fn fade(c: Color32, alpha: f32) -> Color32 {
    c.gamma_multiply(alpha)
}

pub fn edges(painter: &Painter, s: &Scene, style: &Style, clip: Rect) {
    let mut mesh = Mesh::default();
    let mut lit = Mesh::default();
    let width = (0.6 + s.scale * 0.4).clamp(0.6, 1.6);
    let base = fade(style.edge, if style.dark { 0.55 } else { 0.65 });
    let dim = fade(style.edge, 0.12);
    let clip = clip.expand(2.0);
    for &(a, b) in &s.sub.edges {
        let (pa, pb) = (s.screen[a as usize], s.screen[b as usize]);
        if !clip.intersects(Rect::from_two_pos(pa, pb)) {
            continue;
        }
        match s.hovered {
            Some(h) if h == a as usize || h == b as usize => {
                line(&mut lit, pa, pb, width + 0.8, style.accent);
            }
            Some(_) => line(&mut mesh, pa, pb, width, dim),
            None => line(&mut mesh, pa, pb, width, base),
        }
    }
    painter.add(Shape::mesh(mesh));
    if !lit.is_empty() {
        painter.add(Shape::mesh(lit));
    }
}

/// Paints nodes and returns the indices of those on screen.
pub fn nodes(painter: &Painter, s: &Scene, style: &Style, clip: Rect) -> Vec<usize> {
    let mut mesh = Mesh::default();
    let mut on_screen = Vec::new();
    for (i, &p) in s.screen.iter().enumerate() {
        let r = s.screen_radius(i);
        if !clip.expand(r + 1.0).contains(p) {
            continue;
        }
        on_screen.push(i);
        let gi = s.sub.nodes[i];
        let mut c = style.node_colour(s.graph, gi);
        if s.sub.center == Some(i as u32) || s.hovered == Some(i) {
            c = style.accent;
        }
        if s.dimmed(i) {
            c = fade(c, 0.18);
        }
        if s.graph.nodes[gi as usize].kind == NodeKind::Unresolved {
            ring(&mut mesh, p, r, c);
        } else {
            disc(&mut mesh, p, r, c);
        }
    }
    painter.add(Shape::mesh(mesh));
    on_screen
}

/// Labels under nodes: all on-screen ones when `all` (zoomed in), else
/// only the hovered node and its neighbours; at most `max`, largest first.
pub fn labels(
    painter: &Painter,
    s: &Scene,
    style: &Style,
    on_screen: &[usize],
    all: bool,
    max: usize,
) {
    let mut chosen: Vec<usize> = on_screen
        .iter()
        .copied()
        .filter(|&i| {
            let focused = s.focus.is_some_and(|f| f[i]);
            (all && !s.dimmed(i)) || focused || s.sub.center == Some(i as u32)
        })
        .collect();
    // The hovered node, then the local centre, then hubs claim space
    // first; a label that would cover one already placed is left out (hover
    // shows it), since overlapping text is unreadable for both.
    let rank = |i: usize| (s.hovered != Some(i), s.sub.center != Some(i as u32));
    chosen.sort_by(|&a, &b| {
        rank(a)
            .cmp(&rank(b))
            .then(s.radii[b].total_cmp(&s.radii[a]))
            .then(a.cmp(&b))
    });
    chosen.truncate(max);
    let font = egui::FontId::proportional((11.0 * s.scale.sqrt()).clamp(10.0, 15.0));
    let mut placed: Vec<Rect> = Vec::with_capacity(chosen.len());
    for i in chosen {
        let gi = s.sub.nodes[i] as usize;
        let label = &s.graph.nodes[gi].label;
        let strong = s.hovered == Some(i);
        let colour = if strong {
            style.text
        } else {
            fade(style.text, 0.8)
        };
        let at = s.screen[i] + Vec2::new(0.0, s.screen_radius(i) + 2.0);
        let galley = painter.layout_no_wrap(short(label), font.clone(), colour);
        let pos = at - Vec2::new(galley.size().x / 2.0, 0.0);
        let area = Rect::from_min_size(pos, galley.size());
        if !strong && placed.iter().any(|r| r.intersects(area)) {
            continue;
        }
        placed.push(area.expand2(Vec2::new(4.0, 1.0)));
        if strong {
            let bg = Rect::from_min_size(pos, galley.size()).expand(2.0);
            painter.rect_filled(bg, 3.0, fade(style.background, 0.85));
        }
        painter.galley(pos, galley, colour);
    }
}

fn short(label: &str) -> String {
    // Longer titles run across several neighbours' labels; the full title
    // is one click away.
    const MAX: usize = 30;
    if label.chars().count() <= MAX {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(MAX - 1).collect();
        s.push('…');
        s
    }
}

fn vertex(pos: Pos2, color: Color32) -> Vertex {
    Vertex {
        pos,
        uv: WHITE_UV,
        color,
    }
}

/// A line as a core quad with a one-pixel transparent fringe on each side,
/// which reads as anti-aliased without the tessellator's per-path work.
fn line(mesh: &mut Mesh, a: Pos2, b: Pos2, width: f32, color: Color32) {
    let d = b - a;
    let len = d.length();
    if len < 0.5 {
        return;
    }
    let n = Vec2::new(-d.y, d.x) / len;
    let core = n * (width * 0.5 - 0.5).max(0.0);
    let outer = n * (width * 0.5 + 0.5);
    let base = mesh.vertices.len() as u32;
    mesh.vertices.extend([
        vertex(a - outer, Color32::TRANSPARENT),
        vertex(a - core, color),
        vertex(a + core, color),
        vertex(a + outer, Color32::TRANSPARENT),
        vertex(b - outer, Color32::TRANSPARENT),
        vertex(b - core, color),
        vertex(b + core, color),
        vertex(b + outer, Color32::TRANSPARENT),
    ]);
    for k in 0..3 {
        let (p, q) = (base + k, base + k + 1);
        mesh.indices.extend([p, q, p + 4, q, q + 4, p + 4]);
    }
}

fn segments(r: f32) -> u32 {
    ((r * 1.2) as u32).clamp(8, 32)
}

/// A filled circle: a fan plus a one-pixel feathered rim.
fn disc(mesh: &mut Mesh, c: Pos2, r: f32, color: Color32) {
    let n = segments(r);
    let base = mesh.vertices.len() as u32;
    mesh.vertices.push(vertex(c, color));
    for k in 0..n {
        let a = k as f32 / n as f32 * std::f32::consts::TAU;
        let dir = Vec2::new(a.cos(), a.sin());
        mesh.vertices.push(vertex(c + dir * (r - 0.5), color));
        mesh.vertices
            .push(vertex(c + dir * (r + 0.5), Color32::TRANSPARENT));
    }
    for k in 0..n {
        let i = base + 1 + 2 * k;
        let j = base + 1 + 2 * ((k + 1) % n);
        mesh.indices
            .extend([base, i, j, i, i + 1, j, j, i + 1, j + 1]);
    }
}

/// An outlined circle (unresolved links: a place for a note that is not
/// there yet).
fn ring(mesh: &mut Mesh, c: Pos2, r: f32, color: Color32) {
    let n = segments(r);
    let w = (r * 0.35).clamp(1.0, 2.5);
    let base = mesh.vertices.len() as u32;
    for k in 0..n {
        let a = k as f32 / n as f32 * std::f32::consts::TAU;
        let dir = Vec2::new(a.cos(), a.sin());
        mesh.vertices.extend([
            vertex(c + dir * (r - w - 0.5), Color32::TRANSPARENT),
            vertex(c + dir * (r - w + 0.5), color),
            vertex(c + dir * (r - 0.5), color),
            vertex(c + dir * (r + 0.5), Color32::TRANSPARENT),
        ]);
    }
    for k in 0..n {
        let i = base + 4 * k;
        let j = base + 4 * ((k + 1) % n);
        for m in 0..3 {
            mesh.indices
                .extend([i + m, i + m + 1, j + m, i + m + 1, j + m + 1, j + m]);
        }
    }
}
