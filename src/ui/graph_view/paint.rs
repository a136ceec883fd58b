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

/// Beyond this many edges on screen they are drawn on the CPU into one
/// texture (see [`EdgeLayer`]) instead of as triangles.
pub const RASTER_EDGES: usize = 1500;

pub fn edges(painter: &Painter, s: &Scene, style: &Style, clip: Rect, layer: &mut EdgeLayer) {
    let mut mesh = Mesh::default();
    let mut lit = Mesh::default();
    let width = (0.6 + s.scale * 0.4).clamp(0.6, 1.6);
    let base = fade(style.edge, if style.dark { 0.55 } else { 0.65 });
    let dim = fade(style.edge, 0.12);
    let grown = clip.expand(2.0);
    let on_screen = |&&(a, b): &&(u32, u32)| {
        grown.intersects(Rect::from_two_pos(
            s.screen[a as usize],
            s.screen[b as usize],
        ))
    };
    let touches_hovered =
        |a: u32, b: u32| s.hovered == Some(a as usize) || s.hovered == Some(b as usize);
    if s.sub.edges.iter().filter(on_screen).count() > RASTER_EDGES {
        let colour = if s.hovered.is_some() { dim } else { base };
        layer.paint(painter, s, clip, colour, width);
        for &(a, b) in s.sub.edges.iter().filter(on_screen) {
            if touches_hovered(a, b) {
                let (pa, pb) = (s.screen[a as usize], s.screen[b as usize]);
                line(&mut lit, pa, pb, width + 0.8, style.accent);
            }
        }
        if !lit.is_empty() {
            painter.add(Shape::mesh(lit));
        }
        return;
    }
    for &(a, b) in s.sub.edges.iter().filter(on_screen) {
        let (pa, pb) = (s.screen[a as usize], s.screen[b as usize]);
        match s.hovered {
            Some(_) if touches_hovered(a, b) => {
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

/// Thousands of long, thin edge triangles are the worst case for a
/// software rasteriser (llvmpipe/lavapipe): each one crosses many tiles and
/// shades mostly empty pixel blocks, so a 2,000-note graph took over a
/// second per frame. Drawing the lines here into one texture costs a few
/// milliseconds and leaves the GPU side one quad. The texture is redrawn
/// only when positions, size or colour change.
#[derive(Default)]
pub struct EdgeLayer {
    texture: Option<egui::TextureHandle>,
    key: u64,
    /// accumulated opacity per pixel, reused between redraws
    coverage: Vec<f32>,
}

impl EdgeLayer {
    fn paint(&mut self, painter: &Painter, s: &Scene, clip: Rect, colour: Color32, width: f32) {
        use std::hash::{Hash, Hasher};
        let ppp = painter.ctx().pixels_per_point();
        let w = (clip.width() * ppp).round().max(1.0) as usize;
        let h = (clip.height() * ppp).round().max(1.0) as usize;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (w, h, colour.to_array(), width.to_bits(), ppp.to_bits()).hash(&mut hasher);
        clip.min.x.to_bits().hash(&mut hasher);
        clip.min.y.to_bits().hash(&mut hasher);
        s.sub.edges.hash(&mut hasher);
        for p in s.screen {
            (p.x.to_bits(), p.y.to_bits()).hash(&mut hasher);
        }
        let key = hasher.finish();
        if self.texture.is_none() || key != self.key {
            let origin = clip.min;
            let px = |p: Pos2| ((p.x - origin.x) * ppp, (p.y - origin.y) * ppp);
            let alpha = f32::from(colour.a()) / 255.0 * width.min(1.0);
            let lines = s
                .sub
                .edges
                .iter()
                .map(|&(a, b)| (px(s.screen[a as usize]), px(s.screen[b as usize])));
            rasterise(&mut self.coverage, w, h, lines, alpha);
            let image = egui::ColorImage::new([w, h], tint(&self.coverage, colour));
            match &mut self.texture {
                Some(t) => t.set(image, egui::TextureOptions::NEAREST),
                None => {
                    self.texture = Some(painter.ctx().load_texture(
                        "strata-graph-edges",
                        image,
                        egui::TextureOptions::NEAREST,
                    ))
                }
            }
            self.key = key;
        }
        if let Some(t) = &self.texture {
            painter.image(
                t.id(),
                clip,
                Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
                Color32::WHITE,
            );
        }
    }
}

/// Opacity to premultiplied pixels of `colour`'s hue.
fn tint(coverage: &[f32], colour: Color32) -> Vec<Color32> {
    let a = f32::from(colour.a()).max(1.0);
    let rgb = [colour.r(), colour.g(), colour.b()].map(|c| f32::from(c) * 255.0 / a);
    coverage
        .iter()
        .map(|&o| {
            let [r, g, b] = rgb.map(|c| (c * o).round().clamp(0.0, 255.0) as u8);
            Color32::from_rgba_premultiplied(r, g, b, (o * 255.0).round() as u8)
        })
        .collect()
}

/// Draws anti-aliased one-pixel lines (in pixel coordinates) into a
/// `w` x `h` opacity buffer: each step along the major axis splits `alpha`
/// between the two pixels the line passes between, and overlapping lines
/// compose like stacked translucent strokes. Work is bounded by the
/// buffer's size per line, however far off screen a line reaches.
pub(crate) fn rasterise(
    cov: &mut Vec<f32>,
    w: usize,
    h: usize,
    lines: impl Iterator<Item = ((f32, f32), (f32, f32))>,
    alpha: f32,
) {
    cov.clear();
    cov.resize(w * h, 0.0);
    for ((ax, ay), (bx, by)) in lines {
        // Pixel i covers [i, i + 1): centres sit at i + 0.5.
        let (ax, ay, bx, by) = (ax - 0.5, ay - 0.5, bx - 0.5, by - 0.5);
        let steep = (by - ay).abs() > (bx - ax).abs();
        let (mut x0, mut y0, mut x1, mut y1) = if steep {
            (ay, ax, by, bx)
        } else {
            (ax, ay, bx, by)
        };
        if !(x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite()) {
            continue;
        }
        if x0 > x1 {
            std::mem::swap(&mut x0, &mut x1);
            std::mem::swap(&mut y0, &mut y1);
        }
        let (major, minor) = if steep { (h, w) } else { (w, h) };
        let grad = if x1 - x0 < 1e-6 {
            0.0
        } else {
            (y1 - y0) / (x1 - x0)
        };
        let start = x0.round().max(0.0);
        let end = x1.round().min(major as f32 - 1.0);
        if start > end {
            continue;
        }
        for xi in start as usize..=end as usize {
            let y = y0 + grad * (xi as f32 - x0);
            let yf = y.floor();
            let frac = y - yf;
            for (yi, weight) in [(yf, 1.0 - frac), (yf + 1.0, frac)] {
                if yi < 0.0 || yi >= minor as f32 || weight <= 0.0 {
                    continue;
                }
                let yi = yi as usize;
                let idx = if steep { xi * w + yi } else { yi * w + xi };
                let o = &mut cov[idx];
                *o += (1.0 - *o) * alpha * weight;
            }
        }
    }
}

/// More visible nodes than this are drawn as textured quads (see
/// [`DotTexture`]) rather than triangle fans.
pub const SPRITE_NODES: usize = 400;

/// A white anti-aliased disc in a small texture. Thousands of nodes as
/// fans of tiny triangles cost a software rasteriser more per frame than
/// the rest of the window; as two triangles each sampling this disc they
/// cost almost nothing.
#[derive(Default)]
pub struct DotTexture(Option<egui::TextureHandle>);

const DOT_PX: usize = 32;
/// The disc's radius inside the texture; the last pixel is its soft edge.
const DOT_R: f32 = 15.0;

impl DotTexture {
    fn id(&mut self, ctx: &egui::Context) -> egui::TextureId {
        self.0
            .get_or_insert_with(|| {
                ctx.load_texture(
                    "strata-graph-dot",
                    dot_image(),
                    egui::TextureOptions::LINEAR,
                )
            })
            .id()
    }
}

fn dot_image() -> egui::ColorImage {
    let c = DOT_PX as f32 / 2.0;
    let pixels = (0..DOT_PX * DOT_PX)
        .map(|i| {
            let (x, y) = ((i % DOT_PX) as f32 + 0.5, (i / DOT_PX) as f32 + 0.5);
            let d = ((x - c).powi(2) + (y - c).powi(2)).sqrt();
            let a = ((DOT_R + 0.5 - d).clamp(0.0, 1.0) * 255.0).round() as u8;
            Color32::from_rgba_premultiplied(a, a, a, a)
        })
        .collect();
    egui::ColorImage::new([DOT_PX, DOT_PX], pixels)
}

/// Paints nodes and returns the indices of those on screen.
pub fn nodes(
    painter: &Painter,
    s: &Scene,
    style: &Style,
    clip: Rect,
    dots: &mut DotTexture,
) -> Vec<usize> {
    let mut mesh = Mesh::default();
    let mut sprites =
        (s.screen.len() > SPRITE_NODES).then(|| Mesh::with_texture(dots.id(painter.ctx())));
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
        } else if let Some(sprites) = &mut sprites {
            let half = r * (DOT_PX as f32 / 2.0) / DOT_R;
            sprites.add_rect_with_uv(
                Rect::from_center_size(p, Vec2::splat(2.0 * half)),
                Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
                c,
            );
        } else {
            disc(&mut mesh, p, r, c);
        }
    }
    painter.add(Shape::mesh(mesh));
    if let Some(sprites) = sprites.filter(|m| !m.is_empty()) {
        painter.add(Shape::mesh(sprites));
    }
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

/// Below this width an edge is one pixel-wide quad (see [`line`]).
const HAIRLINE: f32 = 1.2;

/// A line as a core quad with a one-pixel transparent fringe on each side,
/// which reads as anti-aliased without the tessellator's per-path work.
///
/// Thin lines (zoomed out, where thousands of edges cross the canvas) are
/// one quad a pixel wide with the colour scaled by the width instead: the
/// eye sees the same weight, and a software rasteriser fills well under
/// half the pixels and a third of the triangles of the fringed version.
fn line(mesh: &mut Mesh, a: Pos2, b: Pos2, width: f32, color: Color32) {
    let d = b - a;
    let len = d.length();
    if len < 0.5 {
        return;
    }
    let n = Vec2::new(-d.y, d.x) / len;
    if width < HAIRLINE {
        let c = color.gamma_multiply(width.clamp(0.3, 1.0));
        let h = n * 0.5;
        let base = mesh.vertices.len() as u32;
        mesh.vertices.extend([
            vertex(a - h, c),
            vertex(a + h, c),
            vertex(b + h, c),
            vertex(b - h, c),
        ]);
        mesh.indices
            .extend([base, base + 1, base + 2, base, base + 2, base + 3]);
        return;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rasterised_lines_cover_their_pixels_and_nothing_else() {
        let mut cov = Vec::new();
        // A horizontal line through the centres of row 2, a vertical one
        // through column 7, and one far off screen.
        let lines = [
            ((0.0, 2.5), (10.0, 2.5)),
            ((7.5, 0.0), (7.5, 6.0)),
            ((-500.0, -500.0), (-100.0, -90.0)),
        ];
        rasterise(&mut cov, 10, 6, lines.into_iter(), 0.5);
        assert_eq!(cov.len(), 60);
        assert!((cov[2 * 10 + 3] - 0.5).abs() < 1e-4);
        assert!((cov[4 * 10 + 7] - 0.5).abs() < 1e-4);
        // Where they cross, two half-opaque strokes make 0.75.
        assert!((cov[2 * 10 + 7] - 0.75).abs() < 1e-4);
        assert_eq!(cov[0], 0.0);
        assert_eq!(cov[5 * 10 + 2], 0.0);
        let total: f32 = cov.iter().sum();
        assert!((total - (10.0 + 6.0 - 1.0) * 0.5 - 0.25).abs() < 1e-3);
        // A line between two pixel rows is shared between them.
        rasterise(&mut cov, 4, 4, [((0.0, 2.0), (4.0, 2.0))].into_iter(), 1.0);
        assert!((cov[4 + 1] - 0.5).abs() < 1e-4 && (cov[2 * 4 + 1] - 0.5).abs() < 1e-4);
    }

    #[test]
    fn the_dot_texture_is_an_opaque_disc_with_a_soft_edge() {
        let img = dot_image();
        let at = |x: usize, y: usize| img.pixels[y * DOT_PX + x];
        assert_eq!(at(16, 16), Color32::WHITE);
        assert_eq!(at(0, 0), Color32::TRANSPARENT);
        // Premultiplied: colour never exceeds alpha, so tints stay correct.
        assert!(img.pixels.iter().all(|p| p.r() == p.a()));
        let edge = at(16, 16 + DOT_R as usize - 1);
        assert!(edge.a() > 0 && edge.a() < 255, "{edge:?}");
    }

    #[test]
    fn thin_edges_are_one_quad_and_wide_ones_keep_their_fringe() {
        let (a, b) = (Pos2::new(0.0, 0.0), Pos2::new(100.0, 0.0));
        let mut thin = Mesh::default();
        line(&mut thin, a, b, 0.7, Color32::WHITE);
        assert_eq!((thin.vertices.len(), thin.indices.len()), (4, 6));
        // A pixel wide, centred on the line, lighter than a full-width one.
        let ys: Vec<f32> = thin.vertices.iter().map(|v| v.pos.y).collect();
        assert_eq!(ys, vec![-0.5, 0.5, 0.5, -0.5]);
        assert!(thin.vertices[0].color.a() < 255);

        let mut wide = Mesh::default();
        line(&mut wide, a, b, 1.6, Color32::WHITE);
        assert_eq!((wide.vertices.len(), wide.indices.len()), (8, 18));
        assert_eq!(wide.vertices[0].color, Color32::TRANSPARENT);

        let mut none = Mesh::default();
        line(&mut none, a, a + Vec2::new(0.2, 0.0), 1.6, Color32::WHITE);
        assert!(none.is_empty(), "sub-pixel edges are skipped");
    }
}
