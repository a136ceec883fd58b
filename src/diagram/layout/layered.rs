//! The layered core: builds the proper layered graph (dummy nodes for long
//! edges, label dummies, cluster border nodes), runs ordering and
//! positioning, assigns rank coordinates with room for cluster titles, and
//! produces waypoints that the route stage turns into drawn edges.
//!
//! Waypoint rule that keeps edges off foreign nodes: every slanted piece of
//! an edge lies either in the empty gap between two ranks or inside the
//! column of its own endpoint node (x within a quarter of the node's width
//! of its centre); inside a rank band an edge only runs vertically through
//! its dummy node's slot, which the ordering separates from its neighbours.

use super::order::{self, OrderGraph};
use super::position::{self, Gap, PosGraph};
use super::rank::{self, RankEdge};
use super::route;
use super::{
    acyclic, ClusterBox, Direction, EdgeRoute, Layout, LayoutError, LayoutInput, NodeBox, Point,
    ShapeKind, CLUSTER_PAD, MAX_DUMMIES,
};

/// Distance between an edge line and its label box.
const LABEL_GAP: f32 = 4.0;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Real(usize),
    Spacer,
    Dummy,
    Label,
    Border,
}

/// Innermost cluster listing each node (the deepest if several do).
pub(super) fn deepest_cluster(input: &LayoutInput) -> Vec<Option<usize>> {
    let depth = cluster_depths(input);
    let mut out: Vec<Option<usize>> = vec![None; input.nodes.len()];
    for (c, cl) in input.clusters.iter().enumerate() {
        for &v in &cl.nodes {
            if v < out.len() && out[v].is_none_or(|o| depth[c] > depth[o]) {
                out[v] = Some(c);
            }
        }
    }
    out
}

fn cluster_depths(input: &LayoutInput) -> Vec<usize> {
    let k = input.clusters.len();
    (0..k)
        .map(|c| {
            let mut d = 0;
            let mut p = input.clusters[c].parent;
            while let Some(q) = p {
                d += 1;
                if d > k {
                    break;
                }
                p = input.clusters[q].parent;
            }
            d
        })
        .collect()
}

struct LG {
    kind: Vec<Kind>,
    w: Vec<f32>,
    h: Vec<f32>,
    rank: Vec<usize>,
    chain: Vec<Vec<usize>>,
    border: Vec<Option<bool>>,
    succ: Vec<Vec<usize>>,
    pred: Vec<Vec<usize>>,
    owner: Vec<usize>,
}

impl LG {
    fn add(&mut self, kind: Kind, w: f32, h: f32, rank: usize, chain: Vec<usize>) -> usize {
        self.kind.push(kind);
        self.w.push(w);
        self.h.push(h);
        self.rank.push(rank);
        self.chain.push(chain);
        self.border.push(None);
        self.succ.push(Vec::new());
        self.pred.push(Vec::new());
        self.owner.push(usize::MAX);
        self.kind.len() - 1
    }

    fn link(&mut self, a: usize, b: usize) {
        self.succ[a].push(b);
        self.pred[b].push(a);
    }
}

/// Cycle removal and ranking. Returns ranks, which edges were reversed, and
/// the factor applied to every minimum length (2 when edge labels need a
/// rank of their own).
pub(super) fn assign_ranks(input: &LayoutInput) -> (Vec<i32>, Vec<bool>, i32) {
    let n = input.nodes.len();
    let pairs: Vec<(usize, usize)> = input.edges.iter().map(|e| (e.from, e.to)).collect();
    let rev = acyclic::reversed_edges(n, &pairs);
    let has_labels = input
        .edges
        .iter()
        .any(|e| e.from != e.to && e.label_size.is_some());
    let mult: i32 = if has_labels { 2 } else { 1 };
    let rank_edges: Vec<RankEdge> = (0..input.edges.len())
        .filter(|&i| input.edges[i].from != input.edges[i].to)
        .map(|i| {
            let e = &input.edges[i];
            let (a, b) = if rev[i] {
                (e.to, e.from)
            } else {
                (e.from, e.to)
            };
            RankEdge {
                from: a,
                to: b,
                min_len: e.min_len.max(1) as i32 * mult,
                weight: 1.0,
            }
        })
        .collect();
    (rank::network_simplex(n, &rank_edges), rev, mult)
}

pub(super) fn run(input: &LayoutInput) -> Result<Layout, LayoutError> {
    let opts = &input.options;
    let dir = input.direction;
    let vertical = matches!(dir, Direction::TB | Direction::BT);
    let n = input.nodes.len();
    let k = input.clusters.len();
    let swap = |w: f32, h: f32| if vertical { (w, h) } else { (h, w) };
    let iw: Vec<f32> = input
        .nodes
        .iter()
        .map(|nd| swap(nd.width, nd.height).0)
        .collect();
    let ih: Vec<f32> = input
        .nodes
        .iter()
        .map(|nd| swap(nd.width, nd.height).1)
        .collect();

    // Cluster chains, outermost first.
    let depth = cluster_depths(input);
    let cl_chain: Vec<Vec<usize>> = (0..k)
        .map(|c| {
            let mut ch = vec![c];
            let mut p = input.clusters[c].parent;
            while let Some(q) = p {
                if ch.len() > k {
                    break;
                }
                ch.push(q);
                p = input.clusters[q].parent;
            }
            ch.reverse();
            ch
        })
        .collect();
    let node_cl = deepest_cluster(input);
    let node_chain: Vec<Vec<usize>> = node_cl
        .iter()
        .map(|c| c.map(|c| cl_chain[c].clone()).unwrap_or_default())
        .collect();

    let (ranks, rev, mult) = assign_ranks(input);
    let oriented = |i: usize| -> (usize, usize) {
        let e = &input.edges[i];
        if rev[i] {
            (e.to, e.from)
        } else {
            (e.from, e.to)
        }
    };

    // Self-loops widen their node so that neighbours keep clear of them.
    let loop_step = (opts.edge_sep * 2.0).max(16.0);
    let mut loops: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, e) in input.edges.iter().enumerate() {
        if e.from == e.to {
            loops[e.from].push(i);
        }
    }
    let loop_extra: Vec<f32> = (0..n)
        .map(|v| {
            if loops[v].is_empty() {
                return 0.0;
            }
            let lab = loops[v]
                .iter()
                .filter_map(|&i| input.edges[i].label_size)
                .map(|(w, h)| swap(w, h).0 + 4.0)
                .sum::<f32>();
            loop_step * loops[v].len() as f32 + lab
        })
        .collect();

    let mut g = LG {
        kind: Vec::new(),
        w: Vec::new(),
        h: Vec::new(),
        rank: Vec::new(),
        chain: Vec::new(),
        border: Vec::new(),
        succ: Vec::new(),
        pred: Vec::new(),
        owner: Vec::new(),
    };
    for v in 0..n {
        let r = ranks.get(v).copied().unwrap_or(0).max(0) as usize;
        g.add(
            Kind::Real(v),
            iw[v] + 2.0 * loop_extra[v],
            ih[v],
            r,
            node_chain[v].clone(),
        );
    }
    // Empty clusters still get a box: a spacer of title size holds it open.
    let mut has_member = vec![false; k];
    for ch in &node_chain {
        for &c in ch {
            has_member[c] = true;
        }
    }
    for c in 0..k {
        if !has_member[c] {
            let (tw, th) = input.clusters[c].title_size;
            let (sw, sh) = swap(tw.max(20.0), th.max(20.0));
            g.add(Kind::Spacer, sw, sh, 0, cl_chain[c].clone());
            // Ancestors are no longer empty.
            for &a in &cl_chain[c] {
                has_member[a] = true;
            }
        }
    }
    // Long edges and label dummies, refused when there would be too many.
    let dummies: usize = (0..input.edges.len())
        .filter(|&i| input.edges[i].from != input.edges[i].to)
        .map(|i| {
            let (a, b) = oriented(i);
            g.rank[b].saturating_sub(g.rank[a]).saturating_sub(1)
        })
        .sum();
    if dummies > MAX_DUMMIES {
        return Err(LayoutError::TooLarge {
            nodes: n,
            edges: input.edges.len(),
            limit: format!("{MAX_DUMMIES} edge bends (long edges times ranks crossed)"),
        });
    }
    let mut edge_chain: Vec<Vec<usize>> = vec![Vec::new(); input.edges.len()];
    let mut label_node: Vec<Option<usize>> = vec![None; input.edges.len()];
    for i in 0..input.edges.len() {
        let e = &input.edges[i];
        if e.from == e.to {
            continue;
        }
        let (top, bot) = oriented(i);
        let (rt, rb) = (g.rank[top], g.rank[bot]);
        let common: Vec<usize> = node_chain[top]
            .iter()
            .zip(node_chain[bot].iter())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| *a)
            .collect();
        let label_rank = e.label_size.map(|_| rt + (rb - rt) / 2);
        let mut chain = vec![top];
        let mut prev = top;
        for r in rt + 1..rb {
            let d = if label_rank == Some(r) {
                let (lw, lh) = e.label_size.map(|(w, h)| swap(w, h)).unwrap_or((0.0, 0.0));
                let d = g.add(Kind::Label, lw, lh, r, common.clone());
                label_node[i] = Some(d);
                d
            } else {
                g.add(Kind::Dummy, 0.0, 0.0, r, common.clone())
            };
            g.owner[d] = i;
            g.link(prev, d);
            chain.push(d);
            prev = d;
        }
        g.link(prev, bot);
        chain.push(bot);
        edge_chain[i] = chain;
    }
    // Cluster spans and border nodes.
    let mut minr = vec![usize::MAX; k];
    let mut maxr = vec![0usize; k];
    for v in 0..g.kind.len() {
        if matches!(g.kind[v], Kind::Real(_) | Kind::Spacer) {
            for &c in &g.chain[v] {
                minr[c] = minr[c].min(g.rank[v]);
                maxr[c] = maxr[c].max(g.rank[v]);
            }
        }
    }
    let mut left_nodes: Vec<Vec<usize>> = vec![Vec::new(); k];
    let mut right_nodes: Vec<Vec<usize>> = vec![Vec::new(); k];
    for c in 0..k {
        if minr[c] == usize::MAX {
            continue;
        }
        for r in minr[c]..=maxr[c] {
            let l = g.add(Kind::Border, 0.0, 0.0, r, cl_chain[c].clone());
            g.border[l] = Some(false);
            left_nodes[c].push(l);
            let rr = g.add(Kind::Border, 0.0, 0.0, r, cl_chain[c].clone());
            g.border[rr] = Some(true);
            right_nodes[c].push(rr);
        }
    }
    let total = g.kind.len();
    let num_layers = g.rank.iter().copied().max().map_or(0, |m| m + 1);

    // Initial order: previous layout if given, else DFS discovery order.
    let mut initial = vec![f32::MAX; total];
    let prev = opts.previous_order.as_ref().filter(|p| p.len() == n);
    if let Some(prev) = prev {
        initial[..n].copy_from_slice(&prev[..n]);
        for chain in &edge_chain {
            if chain.len() > 2 {
                let (a, b) = (chain[0], chain[chain.len() - 1]);
                let (ia, ib) = (initial[a], initial[b]);
                let steps = (chain.len() - 1) as f32;
                for (j, &d) in chain.iter().enumerate().take(chain.len() - 1).skip(1) {
                    initial[d] = ia + (ib - ia) * j as f32 / steps;
                }
            }
        }
    } else {
        let mut starts: Vec<usize> = (0..n).collect();
        starts.sort_by_key(|&v| (g.rank[v], v));
        let mut seen = vec![false; total];
        let mut counter = 0.0f32;
        let mut stack = Vec::new();
        for s in starts {
            if seen[s] {
                continue;
            }
            seen[s] = true;
            stack.push(s);
            while let Some(v) = stack.pop() {
                initial[v] = counter;
                counter += 1.0;
                for &w in g.succ[v].iter().rev() {
                    if !seen[w] {
                        seen[w] = true;
                        stack.push(w);
                    }
                }
            }
        }
    }
    let layers = order::order(&OrderGraph {
        rank: &g.rank,
        succ: &g.succ,
        pred: &g.pred,
        chain: &g.chain,
        border: &g.border,
        initial: &initial,
        num_layers,
    });

    // Horizontal coordinates.
    let node_sep = opts.node_sep;
    let edge_sep = opts.edge_sep;
    let title_across = |c: usize| -> f32 {
        // LR/RL: the final "top" is the internal left side.
        if vertical {
            0.0
        } else {
            input.clusters[c].title_size.1
        }
    };
    // A label slot holds the edge line at its x and the label box to the
    // right of it (after LABEL_GAP), so the line never runs through the text.
    let left_extent = |v: usize| -> f32 {
        if g.kind[v] == Kind::Label {
            0.0
        } else {
            g.w[v] / 2.0
        }
    };
    let right_extent = |v: usize| -> f32 {
        if g.kind[v] == Kind::Label {
            LABEL_GAP + g.w[v]
        } else {
            g.w[v] / 2.0
        }
    };
    let sep = |a: usize, b: usize| -> f32 {
        let gap = if g.border[a] == Some(false) {
            let c = *g.chain[a].last().unwrap_or(&0);
            CLUSTER_PAD + title_across(c)
        } else if g.border[b] == Some(true) {
            CLUSTER_PAD
        } else if g.border[a].is_some() || g.border[b].is_some() {
            node_sep / 2.0
        } else {
            let da = g.kind[a] == Kind::Dummy;
            let db = g.kind[b] == Kind::Dummy;
            match (da, db) {
                (true, true) => edge_sep,
                (false, false) => node_sep,
                _ => (node_sep + edge_sep) / 2.0,
            }
        };
        right_extent(a) + left_extent(b) + gap.max(0.5)
    };
    let is_dummy: Vec<bool> = g.kind.iter().map(|k| *k == Kind::Dummy).collect();
    let mut xs = position::brandes_koepf(&PosGraph {
        layers: &layers,
        succ: &g.succ,
        pred: &g.pred,
        width: &g.w,
        dummy: &is_dummy,
        sep: &sep,
    });
    let mut extra = Vec::new();
    if vertical {
        for c in 0..k {
            if let (Some(&l), Some(&r)) = (left_nodes[c].first(), right_nodes[c].first()) {
                extra.push(Gap {
                    a: l,
                    b: r,
                    d: input.clusters[c].title_size.0 + 2.0 * CLUSTER_PAD,
                });
            }
        }
    }
    position::enforce(&layers, &mut xs, &sep, &left_nodes, &right_nodes, &extra);

    // Rank coordinates, with room above/below ranks where clusters start/end.
    let mut band = vec![0f32; num_layers];
    for v in 0..total {
        band[g.rank[v]] = band[g.rank[v]].max(g.h[v]);
    }
    let rank_sep = opts.rank_sep / mult as f32;
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); k];
    for c in 0..k {
        if let Some(p) = input.clusters[c].parent {
            children[p].push(c);
        }
    }
    let mut by_depth: Vec<usize> = (0..k).filter(|&c| minr[c] != usize::MAX).collect();
    by_depth.sort_by_key(|&c| std::cmp::Reverse(depth[c]));
    let mut grow = vec![0f32; k];
    let mut tex = vec![0f32; k];
    let mut bex = vec![0f32; k];
    let mut ys = vec![0f32; num_layers];
    for _round in 0..4 {
        for &c in &by_depth {
            let (_, th) = input.clusters[c].title_size;
            let mut t = CLUSTER_PAD + if dir == Direction::TB { th } else { 0.0 } + grow[c] / 2.0;
            let mut b = CLUSTER_PAD + if dir == Direction::BT { th } else { 0.0 } + grow[c] / 2.0;
            let (mut ct, mut cb) = (0f32, 0f32);
            for &d in &children[c] {
                if minr[d] == minr[c] {
                    ct = ct.max(tex[d]);
                }
                if maxr[d] == maxr[c] {
                    cb = cb.max(bex[d]);
                }
            }
            t += ct;
            b += cb;
            tex[c] = t;
            bex[c] = b;
        }
        let mut above = vec![0f32; num_layers + 1];
        let mut below = vec![0f32; num_layers + 1];
        for &c in &by_depth {
            above[minr[c]] = above[minr[c]].max(tex[c]);
            below[maxr[c]] = below[maxr[c]].max(bex[c]);
        }
        let mut y = above.first().copied().unwrap_or(0.0);
        for r in 0..num_layers {
            if r > 0 {
                y += band[r - 1] / 2.0 + below[r - 1] + rank_sep + above[r] + band[r] / 2.0;
            } else {
                y += band[0] / 2.0;
            }
            ys[r] = y;
        }
        if vertical {
            break;
        }
        // LR/RL: the title runs along the rank axis; make the box long enough.
        let mut changed = false;
        for &c in &by_depth {
            let span = ys[maxr[c]] + band[maxr[c]] / 2.0 + bex[c]
                - (ys[minr[c]] - band[minr[c]] / 2.0 - tex[c]);
            let need = input.clusters[c].title_size.0 + 2.0 * CLUSTER_PAD;
            if span + 0.01 < need {
                grow[c] += need - span;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let top = |r: usize| ys[r] - band[r] / 2.0;
    let bot = |r: usize| ys[r] + band[r] / 2.0;

    // Final frame transform.
    let tf = |p: Point| -> Point {
        match dir {
            Direction::TB => p,
            Direction::BT => Point { x: p.x, y: -p.y },
            Direction::LR => Point { x: p.y, y: p.x },
            Direction::RL => Point { x: -p.y, y: p.x },
        }
    };
    let centre = |v: usize| Point {
        x: xs[v],
        y: ys[g.rank[v]],
    };
    let mut nodes: Vec<NodeBox> = (0..n)
        .map(|v| {
            let c = tf(centre(v));
            NodeBox {
                x: c.x,
                y: c.y,
                w: input.nodes[v].width,
                h: input.nodes[v].height,
            }
        })
        .collect();

    // Port positions: the edges leaving (entering) a node get distinct x
    // positions at the bottom (top) of its column, in the order of where
    // they head, so edges sharing an endpoint never touch outside it.
    let mut exit_x = vec![0f32; input.edges.len()];
    let mut entry_x = vec![0f32; input.edges.len()];
    {
        let mut outs: Vec<Vec<(f32, usize)>> = vec![Vec::new(); n];
        let mut ins: Vec<Vec<(f32, usize)>> = vec![Vec::new(); n];
        for (i, ch) in edge_chain.iter().enumerate() {
            if ch.len() >= 2 {
                outs[ch[0]].push((xs[ch[1]], i));
                ins[ch[ch.len() - 1]].push((xs[ch[ch.len() - 2]], i));
            }
        }
        for v in 0..n {
            spread_ports(&mut outs[v], xs[v], iw[v] / 4.0, edge_sep, &mut exit_x);
            spread_ports(&mut ins[v], xs[v], iw[v] / 4.0, edge_sep, &mut entry_x);
        }
    }

    let mut edges: Vec<EdgeRoute> = vec![EdgeRoute::default(); input.edges.len()];
    for i in 0..input.edges.len() {
        let e = &input.edges[i];
        if e.from == e.to {
            continue;
        }
        let ch = &edge_chain[i];
        let (s, t) = (ch[0], ch[ch.len() - 1]);
        let mut pts: Vec<Point> = Vec::with_capacity(ch.len() * 2 + 4);
        pts.push(centre(s));
        pts.push(Point {
            x: exit_x[i],
            y: bot(g.rank[s]),
        });
        for &d in &ch[1..ch.len() - 1] {
            let r = g.rank[d];
            pts.push(Point {
                x: xs[d],
                y: top(r),
            });
            pts.push(Point {
                x: xs[d],
                y: bot(r),
            });
        }
        pts.push(Point {
            x: entry_x[i],
            y: top(g.rank[t]),
        });
        pts.push(centre(t));
        let mut pts: Vec<Point> = pts.into_iter().map(tf).collect();
        if rev[i] {
            pts.reverse();
        }
        let clipped = clip_ends(&pts, &nodes[e.from], &nodes[e.to], input, e.from, e.to);
        let (points, bezier) = route::shape_route(&clipped, opts.curve, vertical);
        edges[i] = EdgeRoute {
            points,
            bezier,
            label: label_node[i].map(|d| {
                let c = centre(d);
                tf(Point {
                    x: c.x + LABEL_GAP + g.w[d] / 2.0,
                    y: c.y,
                })
            }),
            reversed: rev[i],
        };
    }
    // Self-loops on the node's far side (right in TB).
    for v in 0..n {
        let mut label_shift = 0f32;
        for (j, &i) in loops[v].iter().enumerate() {
            let c = centre(v);
            let (a, b) = (iw[v] / 2.0, ih[v] / 2.0);
            let ext = a + loop_step * (j + 1) as f32;
            let t1 = tf(Point {
                x: c.x + ext,
                y: c.y - b * 0.5,
            });
            let t2 = tf(Point {
                x: c.x + ext,
                y: c.y + b * 0.5,
            });
            let nb = nodes[v];
            let fc = Point { x: nb.x, y: nb.y };
            let shape = input.nodes[v].shape;
            let s = route::clip(shape, fc, nb.w, nb.h, t1).unwrap_or(t1);
            let t = route::clip(shape, fc, nb.w, nb.h, t2).unwrap_or(t2);
            let c1 = tf(Point {
                x: c.x + ext,
                y: c.y - b * 0.9,
            });
            let c2 = tf(Point {
                x: c.x + ext,
                y: c.y + b * 0.9,
            });
            let (points, bezier) = match opts.curve {
                super::CurveStyle::Smooth => {
                    let bez = vec![s, c1, c2, t];
                    (route::sample(&bez), Some(bez))
                }
                _ => (vec![s, t1, t2, t], None),
            };
            // Labels of several loops on one node stand side by side.
            let label = input.edges[i].label_size.map(|(lw, lh)| {
                let lw = swap(lw, lh).0;
                let x = c.x + a + loop_step * loops[v].len() as f32 + 2.0 + label_shift + lw / 2.0;
                label_shift += lw + 4.0;
                tf(Point { x, y: c.y })
            });
            edges[i] = EdgeRoute {
                points,
                bezier,
                label,
                reversed: false,
            };
        }
    }

    // Cluster boxes.
    let mut clusters: Vec<ClusterBox> = vec![ClusterBox::default(); k];
    for c in 0..k {
        let (Some(&l), Some(&r)) = (left_nodes[c].first(), right_nodes[c].first()) else {
            continue;
        };
        let p1 = tf(Point {
            x: xs[l],
            y: top(minr[c]) - tex[c],
        });
        let p2 = tf(Point {
            x: xs[r],
            y: bot(maxr[c]) + bex[c],
        });
        clusters[c] = ClusterBox {
            x: p1.x.min(p2.x),
            y: p1.y.min(p2.y),
            w: (p1.x - p2.x).abs(),
            h: (p1.y - p2.y).abs(),
        };
    }

    // Move the drawing to the origin.
    let mut lo = Point {
        x: f32::INFINITY,
        y: f32::INFINITY,
    };
    let mut hi = Point {
        x: f32::NEG_INFINITY,
        y: f32::NEG_INFINITY,
    };
    let mut grow_box = |x0: f32, y0: f32, x1: f32, y1: f32| {
        lo.x = lo.x.min(x0);
        lo.y = lo.y.min(y0);
        hi.x = hi.x.max(x1);
        hi.y = hi.y.max(y1);
    };
    for nb in &nodes {
        grow_box(
            nb.x - nb.w / 2.0,
            nb.y - nb.h / 2.0,
            nb.x + nb.w / 2.0,
            nb.y + nb.h / 2.0,
        );
    }
    for cb in &clusters {
        if cb.w > 0.0 || cb.h > 0.0 {
            grow_box(cb.x, cb.y, cb.x + cb.w, cb.y + cb.h);
        }
    }
    for (i, r) in edges.iter().enumerate() {
        for p in r.points.iter().chain(r.bezier.iter().flatten()) {
            grow_box(p.x, p.y, p.x, p.y);
        }
        if let (Some(l), Some((w, h))) = (r.label, input.edges[i].label_size) {
            grow_box(l.x - w / 2.0, l.y - h / 2.0, l.x + w / 2.0, l.y + h / 2.0);
        }
    }
    if !lo.x.is_finite() {
        return Ok(Layout {
            width: 0.0,
            height: 0.0,
            nodes,
            edges,
            clusters,
        });
    }
    let mv = |p: &mut Point| {
        p.x -= lo.x;
        p.y -= lo.y;
    };
    for nb in nodes.iter_mut() {
        nb.x -= lo.x;
        nb.y -= lo.y;
    }
    for cb in clusters.iter_mut() {
        if cb.w > 0.0 || cb.h > 0.0 {
            cb.x -= lo.x;
            cb.y -= lo.y;
        }
    }
    for r in edges.iter_mut() {
        r.points.iter_mut().for_each(mv);
        if let Some(b) = r.bezier.as_mut() {
            b.iter_mut().for_each(mv);
        }
        if let Some(l) = r.label.as_mut() {
            mv(l);
        }
    }
    Ok(Layout {
        width: hi.x - lo.x,
        height: hi.y - lo.y,
        nodes,
        edges,
        clusters,
    })
}

/// Assigns port x positions within `centre ± reach`: as close as possible to
/// where each edge heads, in that order, at least `sep` apart (less when the
/// node is too narrow for that).
fn spread_ports(ports: &mut [(f32, usize)], centre: f32, reach: f32, sep: f32, out: &mut [f32]) {
    if ports.is_empty() {
        return;
    }
    ports.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let m = ports.len();
    let step = if m > 1 {
        sep.min(2.0 * reach / (m - 1) as f32)
    } else {
        0.0
    };
    let (lo, hi) = (centre - reach, centre + reach);
    let mut xs: Vec<f32> = ports.iter().map(|p| p.0.clamp(lo, hi)).collect();
    for j in 1..m {
        xs[j] = xs[j].max(xs[j - 1] + step);
    }
    if xs[m - 1] > hi {
        xs[m - 1] = hi;
        for j in (0..m - 1).rev() {
            xs[j] = xs[j].min(xs[j + 1] - step);
        }
    }
    for (j, p) in ports.iter().enumerate() {
        out[p.1] = xs[j];
    }
}

/// Replaces the centre points at both ends by outline points. A waypoint
/// inside the node is skipped so the clip aims at the next one.
fn clip_ends(
    pts: &[Point],
    src: &NodeBox,
    dst: &NodeBox,
    input: &LayoutInput,
    from: usize,
    to: usize,
) -> Vec<Point> {
    let clip_one = |pts: &[Point], nb: &NodeBox, shape: ShapeKind| -> (Point, usize) {
        let c = Point { x: nb.x, y: nb.y };
        for (j, &p) in pts.iter().enumerate().skip(1) {
            if let Some(q) = clip_toward(shape, c, nb.w, nb.h, p) {
                return (q, j);
            }
        }
        (c, 1)
    };
    let (start, j0) = clip_one(pts, src, input.nodes[from].shape);
    let rpts: Vec<Point> = pts.iter().rev().copied().collect();
    let (end, j1) = clip_one(&rpts, dst, input.nodes[to].shape);
    let last = pts.len() - j1; // exclusive end of kept middle points
    let mut out = vec![start];
    if j0 < last {
        out.extend_from_slice(&pts[j0..last]);
    }
    out.push(end);
    out.dedup_by(|a, b| (a.x - b.x).abs() < 0.01 && (a.y - b.y).abs() < 0.01);
    if out.len() < 2 {
        out.push(end);
    }
    out
}

/// Like [`route::clip`], but a waypoint lying on the outline counts as
/// outside, so a route may start exactly there.
fn clip_toward(shape: ShapeKind, c: Point, w: f32, h: f32, p: Point) -> Option<Point> {
    let (dx, dy) = (p.x - c.x, p.y - c.y);
    let s = route::outline_scale(shape, w / 2.0, h / 2.0, dx, dy);
    if s > 1.0 + 1e-4 {
        return None;
    }
    let s = s.min(1.0);
    Some(Point {
        x: c.x + dx * s,
        y: c.y + dy * s,
    })
}
