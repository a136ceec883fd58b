//! Horizontal coordinates: Brandes–Köpf (four alignments, balanced by the
//! mean of the two median candidates), followed by a constraint pass that
//! guarantees the separations and makes every cluster's left and right
//! border a single vertical line, so that cluster boxes are true rectangles
//! that contain their members and keep everything else out.

use std::collections::{BTreeMap, HashSet};

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
    for layer in g.layers {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
        }
    }
    let conflicts = type1_conflicts(g, &pos);
    let mut results: Vec<Vec<f32>> = Vec::with_capacity(4);
    for up in [true, false] {
        for left in [true, false] {
            let mut layering: Vec<Vec<usize>> = if up {
                g.layers.to_vec()
            } else {
                g.layers.iter().rev().cloned().collect()
            };
            if !left {
                for l in layering.iter_mut() {
                    l.reverse();
                }
            }
            let neighbors = if up { g.pred } else { g.succ };
            let (root, align) = vertical_alignment(&layering, neighbors, &conflicts, n);
            let mut xs = horizontal_compaction(g, &layering, &root, &align, !left);
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

fn type1_conflicts(g: &PosGraph, pos: &[usize]) -> HashSet<(usize, usize)> {
    let mut conflicts = HashSet::new();
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
                            conflicts.insert(key(u, s));
                        }
                    }
                }
                scan = i + 1;
                k0 = k1;
            }
        }
    }
    conflicts
}

fn key(a: usize, b: usize) -> (usize, usize) {
    if a < b {
        (a, b)
    } else {
        (b, a)
    }
}

fn vertical_alignment(
    layering: &[Vec<usize>],
    neighbors: &[Vec<usize>],
    conflicts: &HashSet<(usize, usize)>,
    n: usize,
) -> (Vec<usize>, Vec<usize>) {
    let mut root: Vec<usize> = (0..n).collect();
    let mut align: Vec<usize> = (0..n).collect();
    let mut pos = vec![0usize; n];
    for layer in layering {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
        }
    }
    let mut ws: Vec<usize> = Vec::new();
    for layer in layering {
        let mut prev: isize = -1;
        for &v in layer {
            ws.clear();
            ws.extend(neighbors[v].iter().copied());
            if ws.is_empty() {
                continue;
            }
            ws.sort_by_key(|&w| pos[w]);
            ws.dedup();
            let mp = (ws.len() as f32 - 1.0) / 2.0;
            for &w in &ws[(mp.floor() as usize)..=(mp.ceil() as usize)] {
                if align[v] == v && prev < pos[w] as isize && !conflicts.contains(&key(v, w)) {
                    align[w] = v;
                    root[v] = root[w];
                    align[v] = root[v];
                    prev = pos[w] as isize;
                }
            }
        }
    }
    (root, align)
}

fn horizontal_compaction(
    g: &PosGraph,
    layering: &[Vec<usize>],
    root: &[usize],
    _align: &[usize],
    reversed: bool,
) -> Vec<f32> {
    let n = g.width.len();
    // Block graph: edge root(u) -> root(v) for u directly left of v.
    let mut block_edges: BTreeMap<(usize, usize), f32> = BTreeMap::new();
    for layer in layering {
        for w in layer.windows(2) {
            let (u, v) = (w[0], w[1]);
            let d = if reversed {
                (g.sep)(v, u)
            } else {
                (g.sep)(u, v)
            };
            let e = block_edges.entry((root[u], root[v])).or_insert(d);
            *e = e.max(d);
        }
    }
    let mut out_e: Vec<Vec<(usize, f32)>> = vec![Vec::new(); n];
    let mut in_e: Vec<Vec<(usize, f32)>> = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for (&(a, b), &d) in &block_edges {
        out_e[a].push((b, d));
        in_e[b].push((a, d));
        indeg[b] += 1;
    }
    let mut topo = Vec::with_capacity(n);
    let mut stack: Vec<usize> = (0..n)
        .rev()
        .filter(|&v| root[v] == v && indeg[v] == 0)
        .collect();
    while let Some(v) = stack.pop() {
        topo.push(v);
        for &(w, _) in &out_e[v] {
            indeg[w] -= 1;
            if indeg[w] == 0 {
                stack.push(w);
            }
        }
    }
    let mut xs = vec![0f32; n];
    for &v in &topo {
        let mut x = 0f32;
        let mut any = false;
        for &(u, d) in &in_e[v] {
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
        for &(w, d) in &out_e[v] {
            m = m.min(xs[w] - d);
        }
        if m.is_finite() && m > xs[v] {
            xs[v] = m;
        }
    }
    (0..n).map(|v| xs[root[v]]).collect()
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
    let mut out_e: Vec<Vec<(usize, f32)>> = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for &(a, b, d) in cons {
        let (va, vb) = (var[a], var[b]);
        if va == vb {
            continue;
        }
        out_e[va].push((vb, d));
        indeg[vb] += 1;
    }
    let is_var: Vec<bool> = (0..n).map(|v| var[v] == v).collect();
    let mut stack: Vec<usize> = (0..n)
        .rev()
        .filter(|&v| is_var[v] && indeg[v] == 0)
        .collect();
    let mut done = 0;
    let total = is_var.iter().filter(|&&b| b).count();
    while let Some(v) = stack.pop() {
        done += 1;
        for &(w, d) in &out_e[v] {
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
