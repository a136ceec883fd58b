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
    /// Where an edge meets a cluster's box: a zero-width slot in the
    /// cluster's first (last) rank, so the ordering gives the edge a place
    /// among the members and the box border is entered straight above it.
    Port,
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

/// Result of cycle removal and ranking.
pub(super) struct Ranking {
    pub ranks: Vec<i32>,
    /// Edges drawn against their direction to break a cycle.
    pub rev: Vec<bool>,
    /// Factor applied to every minimum length (2 when edge labels need a
    /// rank of their own).
    pub mult: i32,
    /// Per edge, the clusters (`[from, to]`) whose box the edge is drawn
    /// to: the whole cluster is ranked before/after the other end.
    pub box_end: Vec<[Option<usize>; 2]>,
    /// Per edge, cluster ends that could not be ranked that way (the other
    /// end lies on a cycle through the cluster): the edge is laid out to the
    /// stand-in member and cut where it meets the cluster's box.
    pub clip_end: Vec<[Option<usize>; 2]>,
}

/// Cycle removal and ranking. An edge with a cluster end constrains every
/// node of the cluster (`rank[t] - rank[s] >= min_len` for all `s` on the
/// source side and `t` on the target side), so the cluster's box lies
/// wholly after (before) the other end; its weight is spread over the
/// members so the edge still counts once in the total length.
pub(super) fn assign_ranks(input: &LayoutInput) -> Ranking {
    let n = input.nodes.len();
    let m = input.edges.len();
    let pairs: Vec<(usize, usize)> = input.edges.iter().map(|e| (e.from, e.to)).collect();
    let mut rev = acyclic::reversed_edges(n, &pairs);
    let has_labels = input
        .edges
        .iter()
        .any(|e| e.from != e.to && e.label_size.is_some());
    let mult: i32 = if has_labels { 2 } else { 1 };
    let deepest = deepest_cluster(input);
    let mut members: Vec<Option<Vec<usize>>> = vec![None; input.clusters.len()];
    let mut members_of = |c: usize| -> Vec<usize> {
        members[c]
            .get_or_insert_with(|| {
                (0..n)
                    .filter(|&v| super::in_cluster(input, deepest[v], c))
                    .collect()
            })
            .clone()
    };
    let mut box_end = vec![[None, None]; m];
    let mut clip_end = vec![[None, None]; m];
    let mut rank_edges: Vec<RankEdge> = Vec::with_capacity(m);
    // Constraint graph so far (nodes, then one virtual node per
    // cluster-to-cluster edge), to keep it acyclic.
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut cluster_edges: Vec<(usize, Vec<usize>, Vec<usize>)> = Vec::new();
    for (i, e) in input.edges.iter().enumerate() {
        if e.from == e.to && e.from_cluster.is_none() && e.to_cluster.is_none() {
            continue;
        }
        let len = e.min_len.max(1) as i32 * mult;
        if e.from_cluster.is_some() || e.to_cluster.is_some() {
            let src = e.from_cluster.map_or_else(|| vec![e.from], &mut members_of);
            let dst = e.to_cluster.map_or_else(|| vec![e.to], &mut members_of);
            // A node inside its own cluster, or nested clusters: there is
            // no outside to draw to, so the member stands in.
            if !src.iter().any(|v| dst.contains(v)) {
                cluster_edges.push((i, src, dst));
                continue;
            }
        }
        if e.from == e.to {
            continue;
        }
        let (a, b) = if rev[i] {
            (e.to, e.from)
        } else {
            (e.from, e.to)
        };
        adj[a].push(b);
        rank_edges.push(RankEdge {
            from: a,
            to: b,
            min_len: len,
            weight: 1.0,
        });
    }
    let mut seen: Vec<bool> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    // Whether any node of `from` reaches a node of `to` in `adj`.
    let mut reaches = |adj: &[Vec<usize>], from: &[usize], to: &[usize]| -> bool {
        seen.clear();
        seen.resize(adj.len(), false);
        let mut target = vec![false; adj.len()];
        for &v in to {
            target[v] = true;
        }
        stack.clear();
        for &v in from {
            if !seen[v] {
                seen[v] = true;
                stack.push(v);
            }
        }
        while let Some(v) = stack.pop() {
            if target[v] {
                return true;
            }
            for &w in &adj[v] {
                if !seen[w] {
                    seen[w] = true;
                    stack.push(w);
                }
            }
        }
        false
    };
    for (i, src, dst) in cluster_edges {
        let e = &input.edges[i];
        let len = e.min_len.max(1) as i32 * mult;
        let mut placed = false;
        for flip in [rev[i], !rev[i]] {
            let (top, bot) = if flip { (&dst, &src) } else { (&src, &dst) };
            if reaches(&adj, bot, top) {
                continue;
            }
            rev[i] = flip;
            box_end[i] = [e.from_cluster, e.to_cluster];
            if top.len() == 1 || bot.len() == 1 {
                let w = 1.0 / (top.len() * bot.len()) as f32;
                for &a in top {
                    for &b in bot {
                        adj[a].push(b);
                        rank_edges.push(RankEdge {
                            from: a,
                            to: b,
                            min_len: len,
                            weight: w,
                        });
                    }
                }
            } else {
                // Cluster to cluster: one virtual node between the sides
                // instead of |S| x |T| constraints.
                let x = adj.len();
                adj.push(Vec::new());
                for &a in top {
                    adj[a].push(x);
                    rank_edges.push(RankEdge {
                        from: a,
                        to: x,
                        min_len: len,
                        weight: 1.0 / top.len() as f32,
                    });
                }
                for &b in bot {
                    adj[x].push(b);
                    rank_edges.push(RankEdge {
                        from: x,
                        to: b,
                        min_len: 0,
                        weight: 1.0 / bot.len() as f32,
                    });
                }
            }
            placed = true;
            break;
        }
        if placed {
            continue;
        }
        clip_end[i] = [e.from_cluster, e.to_cluster];
        if e.from == e.to {
            continue;
        }
        let (mut a, mut b) = if rev[i] {
            (e.to, e.from)
        } else {
            (e.from, e.to)
        };
        // Accepted cluster constraints may have fixed the order of the
        // stand-ins; follow it.
        if reaches(&adj, &[b], &[a]) {
            rev[i] = !rev[i];
            std::mem::swap(&mut a, &mut b);
        }
        adj[a].push(b);
        rank_edges.push(RankEdge {
            from: a,
            to: b,
            min_len: len,
            weight: 1.0,
        });
    }
    let mut ranks = rank::network_simplex(adj.len(), &rank_edges);
    ranks.truncate(n);
    let min = ranks.iter().copied().min().unwrap_or(0);
    ranks.iter_mut().for_each(|r| *r -= min);
    Ranking {
        ranks,
        rev,
        mult,
        box_end,
        clip_end,
    }
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

    let Ranking {
        ranks,
        rev,
        mult,
        mut box_end,
        mut clip_end,
    } = assign_ranks(input);
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
    // Cluster spans (ports and borders depend on them).
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
    let mut edge_chain: Vec<Vec<usize>> = vec![Vec::new(); input.edges.len()];
    let mut label_node: Vec<Option<usize>> = vec![None; input.edges.len()];
    for i in 0..input.edges.len() {
        let e = &input.edges[i];
        if e.from == e.to {
            continue;
        }
        let (top, bot) = oriented(i);
        let [fc, tc] = box_end[i];
        let (mut top_cl, mut bot_cl) = if rev[i] { (tc, fc) } else { (fc, tc) };
        let mut rt = top_cl.map_or(g.rank[top], |c| maxr[c]);
        let mut rb = bot_cl.map_or(g.rank[bot], |c| minr[c]);
        if rb <= rt {
            // Only with an empty nested cluster widening the span (ranked
            // apart from the members): fall back to the stand-ins.
            clip_end[i] = box_end[i];
            box_end[i] = [None, None];
            (top_cl, bot_cl) = (None, None);
            (rt, rb) = (g.rank[top], g.rank[bot]);
        }
        // Dummies run outside a cluster end, so they share only the
        // clusters enclosing both ends.
        let outside = |cl: Option<usize>, v: usize| -> &[usize] {
            match cl {
                Some(c) => &cl_chain[c][..cl_chain[c].len() - 1],
                None => &node_chain[v],
            }
        };
        let common: Vec<usize> = outside(top_cl, top)
            .iter()
            .zip(outside(bot_cl, bot).iter())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| *a)
            .collect();
        let label_rank = e.label_size.map(|_| rt + (rb - rt) / 2);
        let first = match top_cl {
            Some(c) => {
                let p = g.add(Kind::Port, 0.0, 0.0, rt, cl_chain[c].clone());
                g.owner[p] = i;
                p
            }
            None => top,
        };
        let last = match bot_cl {
            Some(c) => {
                let p = g.add(Kind::Port, 0.0, 0.0, rb, cl_chain[c].clone());
                g.owner[p] = i;
                p
            }
            None => bot,
        };
        let mut chain = Vec::with_capacity(rb - rt + 1);
        chain.push(first);
        let mut prev = first;
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
        g.link(prev, last);
        chain.push(last);
        edge_chain[i] = chain;
    }
    // Border nodes.
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
        for (i, chain) in edge_chain.iter().enumerate() {
            if let (Some(&a), Some(&b)) = (chain.first(), chain.last()) {
                let (top, bot) = oriented(i);
                if a >= n {
                    initial[a] = prev[top];
                }
                if b >= n {
                    initial[b] = prev[bot];
                }
            }
        }
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
        // Ports at the head of a chain have no predecessor to reach them.
        let mut starts: Vec<usize> = (0..total)
            .filter(|&v| v < n || g.kind[v] == Kind::Port)
            .collect();
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
    // For ordering only, each cluster side is a chain of links between its
    // border nodes: an edge passing through a box then crosses both sides,
    // and the crossing count steers it around. Coordinates keep the plain
    // graph, where the sides are straight by construction.
    let linked;
    let (order_succ, order_pred) = if k == 0 {
        (&g.succ, &g.pred)
    } else {
        let (mut succ, mut pred) = (g.succ.clone(), g.pred.clone());
        for side in left_nodes.iter().chain(right_nodes.iter()) {
            for w in side.windows(2) {
                for _ in 0..BORDER_WEIGHT {
                    succ[w[0]].push(w[1]);
                    pred[w[1]].push(w[0]);
                }
            }
        }
        linked = (succ, pred);
        (&linked.0, &linked.1)
    };
    let layers = order::order(&OrderGraph {
        rank: &g.rank,
        succ: order_succ,
        pred: order_pred,
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
            let da = matches!(g.kind[a], Kind::Dummy | Kind::Port);
            let db = matches!(g.kind[b], Kind::Dummy | Kind::Port);
            match (da, db) {
                (true, true) => edge_sep,
                (false, false) => node_sep,
                _ => (node_sep + edge_sep) / 2.0,
            }
        };
        right_extent(a) + left_extent(b) + gap.max(0.5)
    };
    let is_dummy: Vec<bool> = g
        .kind
        .iter()
        .map(|k| matches!(k, Kind::Dummy | Kind::Port))
        .collect();
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
    let rank_sep_full = opts.rank_sep;
    let rank_sep = opts.rank_sep / mult as f32;
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); k];
    for c in 0..k {
        if let Some(p) = input.clusters[c].parent {
            children[p].push(c);
        }
    }
    let mut by_depth: Vec<usize> = (0..k).filter(|&c| minr[c] != usize::MAX).collect();
    by_depth.sort_by_key(|&c| std::cmp::Reverse(depth[c]));
    // Room under a title (TB; above it in BT) where an edge entering the
    // cluster past the title bends back to its member: without it the bend
    // would be squeezed into the padding and run flat under the title.
    let mut title_room = vec![0f32; k];
    if vertical {
        let title_x = |c: usize| -> Option<(f32, f32)> {
            let (l, r) = (left_nodes[c].first()?, right_nodes[c].first()?);
            let tw = input.clusters[c].title_size.0;
            let cx = (xs[*l] + xs[*r]) / 2.0;
            (tw > 0.0 && input.clusters[c].title_size.1 > 0.0).then_some((
                cx - tw / 2.0 - TITLE_CLEARANCE,
                cx + tw / 2.0 + TITLE_CLEARANCE,
            ))
        };
        for ch in &edge_chain {
            for w in ch.windows(2) {
                let (u, v) = (w[0], w[1]);
                // The rank the edge enters a cluster at, seen top-down.
                let (outer, inner, r) = if dir == Direction::TB {
                    (u, v, g.rank[v])
                } else {
                    (v, u, g.rank[u])
                };
                let (lo, hi) = (xs[u].min(xs[v]), xs[u].max(xs[v]));
                for &c in &g.chain[inner] {
                    let starts = if dir == Direction::TB {
                        minr[c] == r
                    } else {
                        maxr[c] == r
                    };
                    let own_port = g.kind[inner] == Kind::Port && g.chain[inner].last() == Some(&c);
                    if !starts || own_port || g.chain[outer].contains(&c) {
                        continue;
                    }
                    if let Some((x0, x1)) = title_x(c) {
                        if lo < x1 && hi > x0 {
                            title_room[c] = rank_sep_full / 2.0;
                        }
                    }
                }
            }
        }
    }
    let mut grow = vec![0f32; k];
    let mut tex = vec![0f32; k];
    let mut bex = vec![0f32; k];
    let mut ys = vec![0f32; num_layers];
    for _round in 0..4 {
        for &c in &by_depth {
            let (_, th) = input.clusters[c].title_size;
            // The title band sits on the side the ranks start from.
            let band = |side: Direction| {
                let title = if dir == side { th + title_room[c] } else { 0.0 };
                CLUSTER_PAD + title + grow[c] / 2.0
            };
            let mut t = band(Direction::TB);
            let mut b = band(Direction::BT);
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
                if ch[0] < n {
                    outs[ch[0]].push((xs[ch[1]], i));
                }
                if ch[ch.len() - 1] < n {
                    ins[ch[ch.len() - 1]].push((xs[ch[ch.len() - 2]], i));
                }
            }
        }
        for v in 0..n {
            spread_ports(&mut outs[v], xs[v], iw[v] / 4.0, edge_sep, &mut exit_x);
            spread_ports(&mut ins[v], xs[v], iw[v] / 4.0, edge_sep, &mut entry_x);
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
    // Title rectangles in the internal frame. TB/BT: the title band lies in
    // the gap above (below) the cluster's first (last) rank. LR/RL: the
    // renderers centre it on the final top side, which is the internal
    // left one, so it is a strip along the rank axis beside the members.
    let titles: Vec<Option<Rect>> = (0..k)
        .map(|c| {
            let (Some(&l), Some(&r)) = (left_nodes[c].first(), right_nodes[c].first()) else {
                return None;
            };
            let (tw, th) = input.clusters[c].title_size;
            if tw <= 0.0 || th <= 0.0 {
                return None;
            }
            if !vertical {
                let cy = (top(minr[c]) - tex[c] + bot(maxr[c]) + bex[c]) / 2.0;
                return Some(Rect {
                    x0: xs[l],
                    y0: cy - tw / 2.0,
                    x1: xs[l] + th,
                    y1: cy + tw / 2.0,
                });
            }
            let cx = (xs[l] + xs[r]) / 2.0;
            let (y0, y1) = if dir == Direction::TB {
                let y = top(minr[c]) - tex[c];
                (y, y + th)
            } else {
                let y = bot(maxr[c]) + bex[c];
                (y - th, y)
            };
            Some(Rect {
                x0: cx - tw / 2.0,
                y0,
                x1: cx + tw / 2.0,
                y1,
            })
        })
        .collect();

    // Cluster boxes in the internal frame, for keeping passing edges out.
    let inner_boxes: Vec<Option<Rect>> = (0..k)
        .map(|c| {
            let (&l, &r) = (left_nodes[c].first()?, right_nodes[c].first()?);
            Some(Rect {
                x0: xs[l],
                y0: top(minr[c]) - tex[c],
                x1: xs[r],
                y1: bot(maxr[c]) + bex[c],
            })
        })
        .collect();
    let mut edges: Vec<EdgeRoute> = vec![EdgeRoute::default(); input.edges.len()];
    for i in 0..input.edges.len() {
        let e = &input.edges[i];
        if e.from == e.to {
            continue;
        }
        let ch = &edge_chain[i];
        let (s, t) = (ch[0], ch[ch.len() - 1]);
        let [fc, tc] = box_end[i];
        let (top_cl, bot_cl) = if rev[i] { (tc, fc) } else { (fc, tc) };
        let mut pts: Vec<Point> = Vec::with_capacity(ch.len() * 2 + 4);
        match top_cl {
            // Straight out of the box's bottom border above the port.
            Some(c) => pts.push(Point {
                x: xs[s],
                y: bot(maxr[c]) + bex[c],
            }),
            None => {
                pts.push(centre(s));
                pts.push(Point {
                    x: exit_x[i],
                    y: bot(g.rank[s]),
                });
            }
        }
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
        match bot_cl {
            Some(c) => pts.push(Point {
                x: xs[t],
                y: top(minr[c]) - tex[c],
            }),
            None => {
                pts.push(Point {
                    x: entry_x[i],
                    y: top(g.rank[t]),
                });
                pts.push(centre(t));
            }
        }
        let pts = if k == 0 {
            pts
        } else {
            let holds = |c: usize| g.chain[e.from].contains(&c) || g.chain[e.to].contains(&c);
            around_boxes(&pts, &inner_boxes, &holds)
        };
        let pts = if !titles.iter().any(Option::is_some) {
            pts
        } else if vertical {
            around_titles(&pts, &titles, &box_end[i])
        } else {
            across_title_strips(&pts, &titles, &box_end[i])
        };
        let mut pts: Vec<Point> = pts.into_iter().map(tf).collect();
        if rev[i] {
            pts.reverse();
        }
        let node_end = |v: usize, c: Option<usize>| -> Option<(NodeBox, ShapeKind)> {
            c.is_none().then(|| (nodes[v], input.nodes[v].shape))
        };
        let clipped = clip_ends(&pts, node_end(e.from, fc), node_end(e.to, tc));
        let (mut points, mut bezier) = route::shape_route(&clipped, opts.curve, vertical);
        // Cut the drawn line, not the waypoints: a curve or an orthogonal
        // jog shaped from a cut waypoint could swing back into the box.
        for (c, at_end) in [(clip_end[i][1], true), (clip_end[i][0], false)] {
            if let Some(c) = c {
                let cut = cut_at_box(&points, &clusters[c], at_end);
                if cut != points {
                    points = cut;
                    bezier = None;
                }
            }
        }
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

/// Axis-aligned rectangle in the internal (top-to-bottom) frame.
#[derive(Clone, Copy, Debug)]
struct Rect {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

/// How many edge crossings passing a cluster side counts as while ordering.
const BORDER_WEIGHT: usize = 4;

/// Room kept between an edge passing a title and the title's rectangle.
const TITLE_CLEARANCE: f32 = 4.0;

/// Reroutes a downward waypoint polyline around cluster title rectangles
/// (other than those of clusters the edge is drawn to): a piece crossing a
/// title's band is bent to pass it vertically just beside the title, on
/// the side nearer to where it crossed. Titles lie in the gaps between
/// ranks, where no node is, so the detour meets no node.
fn around_titles(
    pts: &[Point],
    titles: &[Option<Rect>],
    exempt: &[Option<usize>; 2],
) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(pts.len() + 4);
    let Some(&first) = pts.first() else {
        return out;
    };
    out.push(first);
    for &q in &pts[1..] {
        // A few titles at most stack above one rank (nested clusters).
        for _ in 0..titles.len() {
            let p = out[out.len() - 1];
            let hit = titles
                .iter()
                .enumerate()
                .filter(|&(c, _)| !exempt.contains(&Some(c)))
                .filter_map(|(_, r)| *r)
                .filter(|r| p.y <= r.y0 + 0.5 && q.y >= r.y1 - 0.5 && spans_across(p, q, r))
                .min_by(|a, b| a.y0.total_cmp(&b.y0));
            let Some(r) = hit else { break };
            let t = ((r.y0 + r.y1) / 2.0 - p.y) / (q.y - p.y).max(1e-6);
            let x = p.x + (q.x - p.x) * t;
            let side = if x - r.x0 <= r.x1 - x {
                r.x0 - TITLE_CLEARANCE
            } else {
                r.x1 + TITLE_CLEARANCE
            };
            out.push(Point { x: side, y: r.y0 });
            out.push(Point { x: side, y: r.y1 });
        }
        out.push(q);
    }
    out
}

/// LR/RL counterpart of [`around_titles`]: there a title is a strip along
/// the rank axis, so a piece between two ranks that would cut through it
/// moves across the strip's width before the title starts (and then runs
/// straight to its end) or after it ends (having run straight from its
/// start). Both bends stay in the gap between the two ranks, where no node
/// is. A title spanning the whole gap leaves no such room; the piece is
/// then kept as it was.
fn across_title_strips(
    pts: &[Point],
    titles: &[Option<Rect>],
    exempt: &[Option<usize>; 2],
) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(pts.len() + 4);
    let Some(&first) = pts.first() else {
        return out;
    };
    out.push(first);
    let clear_of = |x: f32, r: &Rect| x < r.x0 - TITLE_CLEARANCE || x > r.x1 + TITLE_CLEARANCE;
    for &q in &pts[1..] {
        let p = out[out.len() - 1];
        let hits = titles
            .iter()
            .enumerate()
            .filter(|&(c, _)| !exempt.contains(&Some(c)))
            .filter_map(|(_, r)| *r)
            .filter(|r| {
                p.y.min(q.y) < r.y1 + TITLE_CLEARANCE
                    && p.y.max(q.y) > r.y0 - TITLE_CLEARANCE
                    && p.x.min(q.x) < r.x1 + TITLE_CLEARANCE
                    && p.x.max(q.x) > r.x0 - TITLE_CLEARANCE
            });
        // Nested titles stack side by side; the bend has to clear them all.
        let (mut start, mut end) = (f32::INFINITY, f32::NEG_INFINITY);
        let mut any = false;
        let (mut before_ok, mut after_ok) = (true, true);
        for r in hits {
            any = true;
            start = start.min(r.y0 - TITLE_CLEARANCE);
            end = end.max(r.y1 + TITLE_CLEARANCE);
            before_ok &= clear_of(q.x, &r);
            after_ok &= clear_of(p.x, &r);
        }
        if any && p.y < q.y {
            if before_ok && p.y < start - 0.5 {
                out.push(Point { x: q.x, y: start });
            } else if after_ok && q.y > end + 0.5 {
                out.push(Point { x: p.x, y: end });
            }
        }
        out.push(q);
    }
    out
}

/// Keeps a downward waypoint polyline out of the boxes of clusters that
/// hold neither of its ends (`holds` says which do). A box reaches past its
/// ranks into the gaps (padding, titles, nested boxes), so a piece from a
/// node beside it to one beyond its end would cut through that margin: the
/// piece instead runs straight past the box's end first and then across,
/// or across first (beyond the box's start) and then straight on. Both
/// bends stay in the gap between the piece's two ranks, where no node is; a
/// piece with no such room is kept as it was.
fn around_boxes(
    pts: &[Point],
    boxes: &[Option<Rect>],
    holds: &dyn Fn(usize) -> bool,
) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(pts.len() + 2);
    let Some(&first) = pts.first() else {
        return out;
    };
    out.push(first);
    let beside = |x: f32, r: &Rect| x <= r.x0 - 0.5 || x >= r.x1 + 0.5;
    for &q in &pts[1..] {
        // Boxes side by side can both be in the way; a bend clears them all.
        for _ in 0..2 {
            let p = out[out.len() - 1];
            if p.y >= q.y {
                break;
            }
            let (mut start, mut end) = (f32::INFINITY, f32::NEG_INFINITY);
            let (mut before_ok, mut after_ok) = (true, true);
            let mut any = false;
            for (c, r) in boxes.iter().enumerate() {
                let Some(r) = r else { continue };
                let cuts = p.x.min(q.x) < r.x1 - 0.5
                    && p.x.max(q.x) > r.x0 + 0.5
                    && p.y < r.y1 - 0.5
                    && q.y > r.y0 + 0.5;
                if !cuts || holds(c) {
                    continue;
                }
                any = true;
                start = start.min(r.y0 - TITLE_CLEARANCE);
                end = end.max(r.y1 + TITLE_CLEARANCE);
                before_ok &= beside(q.x, r);
                after_ok &= beside(p.x, r);
            }
            if !any {
                break;
            }
            if after_ok && end < q.y - 0.5 && end > p.y {
                out.push(Point { x: p.x, y: end });
            } else if before_ok && start > p.y + 0.5 && start < q.y {
                out.push(Point { x: q.x, y: start });
            } else {
                break;
            }
        }
        out.push(q);
    }
    out
}

/// Whether the piece from p to q can pass over the rectangle across the
/// flow. Curves and orthogonal jogs stay within the bounding box of their
/// two waypoints, so the box, not the straight segment, is what counts.
fn spans_across(p: Point, q: Point, r: &Rect) -> bool {
    p.x.min(q.x) < r.x1 - 0.5 && p.x.max(q.x) > r.x0 + 0.5
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
/// inside the node is skipped so the clip aims at the next one. An end
/// without a node (it lies on a cluster's box already) is kept.
fn clip_ends(
    pts: &[Point],
    src: Option<(NodeBox, ShapeKind)>,
    dst: Option<(NodeBox, ShapeKind)>,
) -> Vec<Point> {
    let clip_one = |pts: &[Point], end: Option<(NodeBox, ShapeKind)>| -> (Point, usize) {
        let Some((nb, shape)) = end else {
            return (pts[0], 1);
        };
        let c = Point { x: nb.x, y: nb.y };
        for (j, &p) in pts.iter().enumerate().skip(1) {
            if let Some(q) = clip_toward(shape, c, nb.w, nb.h, p) {
                return (q, j);
            }
        }
        (c, 1)
    };
    let (start, j0) = clip_one(pts, src);
    let rpts: Vec<Point> = pts.iter().rev().copied().collect();
    let (end, j1) = clip_one(&rpts, dst);
    let last = pts.len() - j1; // exclusive end of kept middle points
    let mut out = Vec::with_capacity(pts.len() + 2);
    out.push(start);
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

/// Cuts a polyline where it first enters the box (`at_end`: walking from
/// the start, else walking back from the end). A polyline that starts
/// inside the box is left alone: there is no border to stop at.
pub(super) fn cut_at_box(pts: &[Point], b: &ClusterBox, at_end: bool) -> Vec<Point> {
    let mut seq: Vec<Point> = pts.to_vec();
    if !at_end {
        seq.reverse();
    }
    let Some(&first) = seq.first() else {
        return seq;
    };
    let inside = |p: Point| p.x > b.x && p.x < b.x + b.w && p.y > b.y && p.y < b.y + b.h;
    if inside(first) {
        return pts.to_vec();
    }
    for k in 1..seq.len() {
        if let Some(t) = entry_param(seq[k - 1], seq[k], b) {
            let (p, q) = (seq[k - 1], seq[k]);
            seq.truncate(k);
            seq.push(Point {
                x: p.x + (q.x - p.x) * t,
                y: p.y + (q.y - p.y) * t,
            });
            break;
        }
    }
    if !at_end {
        seq.reverse();
    }
    seq
}

/// Where segment p-q enters the interior of `b` (Liang–Barsky), as a
/// fraction of the segment; `None` when it only touches or misses it.
pub(super) fn entry_param(p: Point, q: Point, b: &ClusterBox) -> Option<f32> {
    let (dx, dy) = (q.x - p.x, q.y - p.y);
    let (mut t0, mut t1) = (0.0f32, 1.0f32);
    for (pp, qq) in [
        (-dx, p.x - b.x),
        (dx, b.x + b.w - p.x),
        (-dy, p.y - b.y),
        (dy, b.y + b.h - p.y),
    ] {
        if pp.abs() < 1e-9 {
            if qq <= 0.0 {
                return None;
            }
        } else {
            let r = qq / pp;
            if pp < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    // Grazing a side or a corner is not entering.
    (t1 - t0 > 1e-4).then_some(t0)
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
