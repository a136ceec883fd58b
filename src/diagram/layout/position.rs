//! Horizontal coordinates: Brandes–Köpf (four alignments, balanced by the
//! mean of the two median candidates), followed by a constraint pass that
//! guarantees the separations and makes every cluster's left and right
//! border a single vertical line, so that cluster boxes are true rectangles
//! that contain their members and keep everything else out.

pub struct PosGraph<'a> {
    pub layers: &'a [Vec<usize>],
    pub succ: &'a [Vec<usize>],
    pub pred: &'a [Vec<usize>],
    pub width: &'a [f32],
    /// Dummy nodes of long edges (their segments are "inner" for BK).
    pub dummy: &'a [bool],
    /// Minimum distance between the centres of `a` (left) and `b` (right).
    pub sep: &'a dyn Fn(usize, usize) -> f32,
}

pub fn brandes_koepf(g: &PosGraph) -> Vec<f32> {
    let n = g.width.len();
    let mut pos = vec![0usize; n];
    // Position counted from the right end of the layer, for the two
    // right-to-left alignments.
    let mut pos_rev = vec![0usize; n];
    // Separation between each node and its right neighbour: every pass
    // separates the same pairs, so each is computed once.
    let mut gap = vec![0f32; n];
    for layer in g.layers {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
            pos_rev[v] = layer.len() - 1 - i;
        }
        for w in layer.windows(2) {
            gap[w[0]] = (g.sep)(w[0], w[1]);
        }
    }
    let conflicts = type1_conflicts(g, &pos);
    let mut sc = CompactionScratch::default();
    let mut results: Vec<Vec<f32>> = Vec::with_capacity(4);
    for up in [true, false] {
        for left in [true, false] {
            let neighbors = if up { g.pred } else { g.succ };
            let at = if left { &pos } else { &pos_rev };
            let root = vertical_alignment(g.layers, up, left, neighbors, at, &conflicts, n);
            let mut xs = horizontal_compaction(g.layers, &root, &gap, !left, &mut sc);
            if !left {
                for x in xs.iter_mut() {
                    *x = -*x;
                }
            }
            results.push(xs);
        }
    }
    // Align all four to the one of smallest width, then balance.
    let extent = |xs: &[f32]| -> (f32, f32) {
        let mut lo = f32::INFINITY;
        let mut hi = f32::NEG_INFINITY;
        for (x, w) in xs.iter().zip(g.width) {
            lo = lo.min(x - w / 2.0);
            hi = hi.max(x + w / 2.0);
        }
        (lo, hi)
    };
    let ext: Vec<(f32, f32)> = results.iter().map(|xs| extent(xs)).collect();
    let smallest = (0..4)
        .min_by(|&a, &b| (ext[a].1 - ext[a].0).total_cmp(&(ext[b].1 - ext[b].0)))
        .unwrap_or(0);
    for (i, xs) in results.iter_mut().enumerate() {
        let left = i % 2 == 0;
        let delta = if left {
            ext[smallest].0 - ext[i].0
        } else {
            ext[smallest].1 - ext[i].1
        };
        for x in xs.iter_mut() {
            *x += delta;
        }
    }
    (0..n)
        .map(|v| {
            let mut c = [results[0][v], results[1][v], results[2][v], results[3][v]];
            c.sort_by(|a, b| a.total_cmp(b));
            (c[1] + c[2]) / 2.0
        })
        .collect()
}

/// Type 1 conflicts (an inner segment crossed by a non-inner one) as
/// sorted `(min, max)` node pairs, for binary search.
fn type1_conflicts(g: &PosGraph, pos: &[usize]) -> Vec<(usize, usize)> {
    let mut conflicts = Vec::new();
    for r in 1..g.layers.len() {
        let prev_len = g.layers[r - 1].len();
        let layer = &g.layers[r];
        let mut k0 = 0usize;
        let mut scan = 0usize;
        for (i, &v) in layer.iter().enumerate() {
            let inner = if g.dummy[v] {
                g.pred[v].iter().copied().find(|&u| g.dummy[u])
            } else {
                None
            };
            let k1 = inner.map(|w| pos[w]).unwrap_or(prev_len);
            if inner.is_some() || i + 1 == layer.len() {
                for &s in &layer[scan..=i] {
                    for &u in &g.pred[s] {
                        let up = pos[u];
                        if (up < k0 || k1 < up) && !(g.dummy[u] && g.dummy[s]) {
                            conflicts.push(key(u, s));
                        }
                    }
                }
                scan = i + 1;
                k0 = k1;
            }
        }
    }
    conflicts.sort_unstable();
    conflicts.dedup();
    conflicts
}

fn key(a: usize, b: usize) -> (usize, usize) {
    if a < b {
        (a, b)
    } else {
        (b, a)
    }
}

/// Aligns each node with a median neighbour, visiting layers top-down
/// (`up`) or bottom-up and each layer from the left (`left`) or the right;
/// `at` is the position in the layer in that visiting order. Returns the
/// root (top-left-most node in visiting order) of each node's block.
fn vertical_alignment(
    layers: &[Vec<usize>],
    up: bool,
    left: bool,
    neighbors: &[Vec<usize>],
    at: &[usize],
    conflicts: &[(usize, usize)],
    n: usize,
) -> Vec<usize> {
    let mut root: Vec<usize> = (0..n).collect();
    let mut align: Vec<usize> = (0..n).collect();
    let mut ws: Vec<usize> = Vec::new();
    let nl = layers.len();
    for k in 0..nl {
        let layer = &layers[if up { k } else { nl - 1 - k }];
        let len = layer.len();
        let mut prev: isize = -1;
        for j in 0..len {
            let v = layer[if left { j } else { len - 1 - j }];
            ws.clear();
            ws.extend(neighbors[v].iter().copied());
            if ws.is_empty() {
                continue;
            }
            // Neighbours lie in one layer, so equal positions mean equal
            // nodes and an unstable sort gives the same sequence.
            ws.sort_unstable_by_key(|&w| at[w]);
            ws.dedup();
            let mp = (ws.len() as f32 - 1.0) / 2.0;
            for &w in &ws[(mp.floor() as usize)..=(mp.ceil() as usize)] {
                if align[v] == v
                    && prev < at[w] as isize
                    && (conflicts.is_empty() || conflicts.binary_search(&key(v, w)).is_err())
                {
                    align[w] = v;
                    root[v] = root[w];
                    align[v] = root[v];
                    prev = at[w] as isize;
                }
            }
        }
    }
    root
}

/// Buffers of [`horizontal_compaction`], reused by its four calls.
#[derive(Default)]
struct CompactionScratch {
    /// Block graph edges `(from, to, distance)`.
    edges: Vec<(usize, usize, f32)>,
    out_start: Vec<usize>,
    in_start: Vec<usize>,
    in_e: Vec<(usize, f32)>,
    indeg: Vec<usize>,
    topo: Vec<usize>,
    stack: Vec<usize>,
}

/// Places the blocks as far left as the separations allow (then pulls
/// each right towards its successors); `reversed` when the alignment
/// visited layers from the right, so that left and right swap roles.
fn horizontal_compaction(
    layers: &[Vec<usize>],
    root: &[usize],
    gap: &[f32],
    reversed: bool,
    sc: &mut CompactionScratch,
) -> Vec<f32> {
    let n = root.len();
    // Block graph: edge root(u) -> root(v) for u directly left of v (in
    // the visiting order), merged to the largest distance. Edges are
    // bucketed by source (counting sort), each small bucket sorted by
    // target and merged, which leaves them in (source, target) order.
    let pair = |a: usize, b: usize| -> (usize, usize) {
        if reversed {
            (root[b], root[a])
        } else {
            (root[a], root[b])
        }
    };
    let out_start = &mut sc.out_start;
    out_start.clear();
    out_start.resize(n + 1, 0);
    for layer in layers {
        for w in layer.windows(2) {
            out_start[pair(w[0], w[1]).0 + 1] += 1;
        }
    }
    for v in 0..n {
        out_start[v + 1] += out_start[v];
    }
    let edges = &mut sc.edges;
    edges.clear();
    edges.resize(out_start[n], (0, 0, 0.0));
    {
        let fill = &mut sc.topo;
        fill.clear();
        fill.extend_from_slice(&out_start[..n]);
        for layer in layers {
            for w in layer.windows(2) {
                let (a, b) = pair(w[0], w[1]);
                edges[fill[a]] = (a, b, gap[w[0]]);
                fill[a] += 1;
            }
        }
    }
    // Merge duplicates within each bucket, compacting in place.
    let mut kept = 0;
    for v in 0..n {
        let (lo, hi) = (out_start[v], out_start[v + 1]);
        out_start[v] = kept;
        if hi - lo > 1 {
            edges[lo..hi].sort_unstable_by_key(|e| e.1);
        }
        for j in lo..hi {
            let e = edges[j];
            if kept > out_start[v] && edges[kept - 1].1 == e.1 {
                edges[kept - 1].2 = edges[kept - 1].2.max(e.2);
            } else {
                edges[kept] = e;
                kept += 1;
            }
        }
    }
    out_start[n] = kept;
    edges.truncate(kept);
    let in_start = &mut sc.in_start;
    in_start.clear();
    in_start.resize(n + 1, 0);
    for &(_, b, _) in edges.iter() {
        in_start[b + 1] += 1;
    }
    for v in 0..n {
        in_start[v + 1] += in_start[v];
    }
    let indeg = &mut sc.indeg;
    indeg.clear();
    indeg.extend((0..n).map(|v| in_start[v + 1] - in_start[v]));
    let in_e = &mut sc.in_e;
    in_e.clear();
    in_e.resize(edges.len(), (0, 0.0));
    {
        // Fill cursors: `topo` serves as scratch before it holds the order.
        let fill = &mut sc.topo;
        fill.clear();
        fill.extend_from_slice(&in_start[..n]);
        for &(a, b, d) in edges.iter() {
            in_e[fill[b]] = (a, d);
            fill[b] += 1;
        }
    }
    let topo = &mut sc.topo;
    topo.clear();
    let stack = &mut sc.stack;
    stack.clear();
    stack.extend((0..n).rev().filter(|&v| root[v] == v && indeg[v] == 0));
    while let Some(v) = stack.pop() {
        topo.push(v);
        for &(_, w, _) in &edges[out_start[v]..out_start[v + 1]] {
            indeg[w] -= 1;
            if indeg[w] == 0 {
                stack.push(w);
            }
        }
    }
    let mut xs = vec![0f32; n];
    for &v in topo.iter() {
        let mut x = 0f32;
        let mut any = false;
        for &(u, d) in &in_e[in_start[v]..in_start[v + 1]] {
            let c = xs[u] + d;
            if !any || c > x {
                x = c;
                any = true;
            }
        }
        xs[v] = x;
    }
    for &v in topo.iter().rev() {
        let mut m = f32::INFINITY;
        for &(_, w, d) in &edges[out_start[v]..out_start[v + 1]] {
            m = m.min(xs[w] - d);
        }
        if m.is_finite() && m > xs[v] {
            xs[v] = m;
        }
    }
    for v in 0..n {
        xs[v] = xs[root[v]];
    }
    xs
}

/// Extra constraint for the fix-up pass: `x[b] - x[a] >= d`.
pub struct Gap {
    pub a: usize,
    pub b: usize,
    pub d: f32,
}

/// Enforces all separations and merges nodes into shared coordinates:
/// nodes in one `merge` group end up with the same x (left borders start at
/// the group's minimum, right borders at its maximum). Positions only ever
/// move right, so BK's layout is kept wherever it was already valid.
pub fn enforce(
    layers: &[Vec<usize>],
    xs: &mut [f32],
    sep: &dyn Fn(usize, usize) -> f32,
    merge_left: &[Vec<usize>],
    merge_right: &[Vec<usize>],
    extra: &[Gap],
) {
    let n = xs.len();
    let mut var: Vec<usize> = (0..n).collect();
    let mut val: Vec<f32> = xs.to_vec();
    for group in merge_left {
        if let Some(&rep) = group.first() {
            let m = group.iter().map(|&v| xs[v]).fold(f32::INFINITY, f32::min);
            for &v in group {
                var[v] = rep;
            }
            val[rep] = m;
        }
    }
    for group in merge_right {
        if let Some(&rep) = group.first() {
            let m = group
                .iter()
                .map(|&v| xs[v])
                .fold(f32::NEG_INFINITY, f32::max);
            for &v in group {
                var[v] = rep;
            }
            val[rep] = m;
        }
    }
    let mut cons: Vec<(usize, usize, f32)> = Vec::new();
    for layer in layers {
        for w in layer.windows(2) {
            cons.push((w[0], w[1], sep(w[0], w[1])));
        }
    }
    for g in extra {
        cons.push((g.a, g.b, g.d));
    }
    if !solve_forward(n, &var, &mut val, &cons) {
        // Cluster sides could not be merged consistently; fall back to
        // plain per-layer separation (no overlaps, boxes may be ragged).
        let plain: Vec<usize> = (0..n).collect();
        val = xs.to_vec();
        solve_forward(n, &plain, &mut val, &cons);
        xs.copy_from_slice(&val);
        return;
    }
    for v in 0..n {
        xs[v] = val[var[v]];
    }
}

fn solve_forward(n: usize, var: &[usize], val: &mut [f32], cons: &[(usize, usize, f32)]) -> bool {
    // Successor lists as offsets into one array, each in constraint order.
    let mut start = vec![0usize; n + 1];
    let mut indeg = vec![0usize; n];
    for &(a, b, _) in cons {
        let (va, vb) = (var[a], var[b]);
        if va != vb {
            start[va + 1] += 1;
            indeg[vb] += 1;
        }
    }
    for v in 0..n {
        start[v + 1] += start[v];
    }
    let mut fill: Vec<usize> = start[..n].to_vec();
    let mut out_e = vec![(0usize, 0f32); start[n]];
    for &(a, b, d) in cons {
        let (va, vb) = (var[a], var[b]);
        if va != vb {
            out_e[fill[va]] = (vb, d);
            fill[va] += 1;
        }
    }
    let is_var = |v: usize| var[v] == v;
    let mut stack: Vec<usize> = (0..n)
        .rev()
        .filter(|&v| is_var(v) && indeg[v] == 0)
        .collect();
    let mut done = 0;
    let total = (0..n).filter(|&v| is_var(v)).count();
    while let Some(v) = stack.pop() {
        done += 1;
        for &(w, d) in &out_e[start[v]..start[v + 1]] {
            if val[w] < val[v] + d {
                val[w] = val[v] + d;
            }
            indeg[w] -= 1;
            if indeg[w] == 0 {
                stack.push(w);
            }
        }
    }
    done == total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_is_straight_and_siblings_are_separated() {
        // 0 -> 1, 0 -> 2 ; 1, 2 on layer 1.
        let layers = vec![vec![0], vec![1, 2]];
        let succ = vec![vec![1, 2], vec![], vec![]];
        let pred = vec![vec![], vec![0], vec![0]];
        let width = [40.0, 40.0, 40.0];
        let dummy = [false; 3];
        let sep = |_: usize, _: usize| 90.0f32;
        let g = PosGraph {
            layers: &layers,
            succ: &succ,
            pred: &pred,
            width: &width,
            dummy: &dummy,
            sep: &sep,
        };
        let xs = brandes_koepf(&g);
        assert!((xs[2] - xs[1] - 90.0).abs() < 1e-3);
        assert!((xs[0] - (xs[1] + xs[2]) / 2.0).abs() < 1e-3, "{xs:?}");
    }

    #[test]
    fn enforce_merges_borders_and_keeps_gaps() {
        // Two layers, each "L a R"; L/R must line up across layers.
        let layers = vec![vec![0, 1, 2], vec![3, 4, 5]];
        let mut xs = vec![0.0, 10.0, 20.0, -30.0, 40.0, 45.0];
        let sep = |_: usize, _: usize| 10.0f32;
        enforce(&layers, &mut xs, &sep, &[vec![0, 3]], &[vec![2, 5]], &[]);
        assert_eq!(xs[0], xs[3]);
        assert_eq!(xs[2], xs[5]);
        for l in &layers {
            for w in l.windows(2) {
                assert!(xs[w[1]] - xs[w[0]] >= 10.0 - 1e-4);
            }
        }
    }
}
