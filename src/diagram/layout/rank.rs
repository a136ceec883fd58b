//! Rank assignment by network simplex (Gansner et al. 1993).
//!
//! The graph must be acyclic. Parallel edges are merged first (weights add,
//! the largest minimum length wins) so that every tree edge is unique, and a
//! virtual root joins the connected components with zero-weight edges so one
//! spanning tree covers everything. Exchanges update the tree incrementally:
//! only the subtree of the lowest common ancestor is renumbered and only the
//! cut values on the cycle closed by the entering edge are recomputed.

use petgraph::unionfind::UnionFind;

/// One ranking constraint: `rank[to] - rank[from] >= min_len`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RankEdge {
    pub from: usize,
    pub to: usize,
    pub min_len: i32,
    pub weight: f32,
}

struct Simplex {
    edges: Vec<RankEdge>,
    inc: Vec<Vec<usize>>,
    rank: Vec<i32>,
    in_tree: Vec<bool>,
    tree_adj: Vec<Vec<usize>>,
    parent: Vec<usize>,
    parent_edge: Vec<usize>,
    low: Vec<usize>,
    lim: Vec<usize>,
    cut: Vec<f32>,
    /// Node with a given post-order number, so a subtree is a slice.
    by_lim: Vec<usize>,
    root: usize,
    /// Reused DFS stack of [`Simplex::number_subtree`].
    stack: Vec<(usize, usize, usize)>,
}

const NONE: usize = usize::MAX;

/// Ranks for `n` nodes, smallest rank 0. Edges must form a DAG.
pub fn network_simplex(n: usize, input: &[RankEdge]) -> Vec<i32> {
    if n == 0 {
        return Vec::new();
    }
    let s = solve(n, input);
    let min = s.rank[..n].iter().copied().min().unwrap_or(0);
    s.rank[..n].iter().map(|r| r - min).collect()
}

/// The solved simplex state (for `n > 0`); tests inspect its tree.
fn solve(n: usize, input: &[RankEdge]) -> Simplex {
    let mut edges = merge_parallel(input);
    let root = n;
    let mut uf = UnionFind::<usize>::new(n);
    for e in &edges {
        uf.union(e.from, e.to);
    }
    let mut seen_comp = vec![false; n];
    for v in 0..n {
        let c = uf.find(v);
        if !seen_comp[c] {
            seen_comp[c] = true;
            edges.push(RankEdge {
                from: root,
                to: v,
                min_len: 0,
                weight: 0.0,
            });
        }
    }
    let total = n + 1;
    let mut inc = vec![Vec::new(); total];
    for (i, e) in edges.iter().enumerate() {
        inc[e.from].push(i);
        inc[e.to].push(i);
    }
    let rank = longest_path(total, &edges, &inc);
    let mut s = Simplex {
        in_tree: vec![false; edges.len()],
        edges,
        inc,
        rank,
        tree_adj: vec![Vec::new(); total],
        parent: vec![NONE; total],
        parent_edge: vec![NONE; total],
        low: vec![0; total],
        lim: vec![0; total],
        cut: vec![0.0; total],
        by_lim: vec![0; total + 1],
        root,
        stack: Vec::new(),
    };
    s.feasible_tree();
    s.number_subtree(root, 1);
    s.init_cut_values();
    s.iterate();
    s
}

fn merge_parallel(input: &[RankEdge]) -> Vec<RankEdge> {
    let mut sorted: Vec<RankEdge> = input.iter().copied().filter(|e| e.from != e.to).collect();
    sorted.sort_by_key(|e| (e.from, e.to));
    let mut out: Vec<RankEdge> = Vec::with_capacity(sorted.len());
    for e in sorted {
        match out.last_mut() {
            Some(last) if last.from == e.from && last.to == e.to => {
                last.weight += e.weight;
                last.min_len = last.min_len.max(e.min_len);
            }
            _ => out.push(e),
        }
    }
    out
}

/// Initial feasible ranking: every node as high as its predecessors allow.
fn longest_path(n: usize, edges: &[RankEdge], inc: &[Vec<usize>]) -> Vec<i32> {
    let mut indeg = vec![0usize; n];
    for e in edges {
        indeg[e.to] += 1;
    }
    let mut rank = vec![0i32; n];
    let mut stack: Vec<usize> = (0..n).rev().filter(|&v| indeg[v] == 0).collect();
    while let Some(v) = stack.pop() {
        for &ei in &inc[v] {
            let e = edges[ei];
            if e.from != v {
                continue;
            }
            rank[e.to] = rank[e.to].max(rank[v] + e.min_len);
            indeg[e.to] -= 1;
            if indeg[e.to] == 0 {
                stack.push(e.to);
            }
        }
    }
    rank
}

impl Simplex {
    fn slack(&self, ei: usize) -> i32 {
        let e = self.edges[ei];
        self.rank[e.to] - self.rank[e.from] - e.min_len
    }

    fn other(&self, ei: usize, v: usize) -> usize {
        let e = self.edges[ei];
        if e.from == v {
            e.to
        } else {
            e.from
        }
    }

    /// Grows a tree of tight edges from the root; when it gets stuck, shifts
    /// the whole tree by the smallest slack of an edge leaving it.
    fn feasible_tree(&mut self) {
        let n = self.rank.len();
        let mut in_tree_node = vec![false; n];
        let mut members = vec![self.root];
        in_tree_node[self.root] = true;
        let mut work = vec![self.root];
        loop {
            while let Some(v) = work.pop() {
                for k in 0..self.inc[v].len() {
                    let ei = self.inc[v][k];
                    let w = self.other(ei, v);
                    if !in_tree_node[w] && self.slack(ei) == 0 {
                        in_tree_node[w] = true;
                        self.in_tree[ei] = true;
                        self.tree_adj[v].push(ei);
                        self.tree_adj[w].push(ei);
                        members.push(w);
                        work.push(w);
                    }
                }
            }
            if members.len() == n {
                break;
            }
            let mut best: Option<(i32, usize)> = None;
            for ei in 0..self.edges.len() {
                let e = self.edges[ei];
                if in_tree_node[e.from] != in_tree_node[e.to] {
                    let s = self.slack(ei);
                    if best.is_none_or(|(bs, _)| s < bs) {
                        best = Some((s, ei));
                    }
                }
            }
            let Some((s, ei)) = best else {
                // Unreachable for a connected graph; stop rather than loop.
                break;
            };
            let delta = if in_tree_node[self.edges[ei].from] {
                s
            } else {
                -s
            };
            for &m in &members {
                self.rank[m] += delta;
            }
            let e = self.edges[ei];
            work.push(if in_tree_node[e.from] { e.from } else { e.to });
        }
    }

    /// Post-order numbering of the subtree below `start` (whose parent
    /// pointer is already correct), numbers starting at `first`.
    ///
    /// A child subtree whose `low` is still valid (not reset to `NONE` by
    /// [`Self::exchange`]) and equal to the number it would get now is
    /// numbered exactly as before, so it is skipped, as in Graphviz's
    /// incremental `dfs_range`: an exchange then renumbers little more than
    /// the two tree paths it changed instead of the whole subtree of the
    /// lowest common ancestor.
    fn number_subtree(&mut self, start: usize, first: usize) {
        let mut counter = first;
        // (node, next tree_adj index, low)
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        stack.push((start, 0, counter));
        while let Some(top) = stack.last_mut() {
            let (v, idx, low) = *top;
            if idx < self.tree_adj[v].len() {
                top.1 += 1;
                let ei = self.tree_adj[v][idx];
                if ei == self.parent_edge[v] {
                    continue;
                }
                let w = self.other(ei, v);
                if self.low[w] == counter && self.parent_edge[w] == ei {
                    counter = self.lim[w] + 1;
                    continue;
                }
                self.parent[w] = v;
                self.parent_edge[w] = ei;
                stack.push((w, 0, counter));
            } else {
                self.low[v] = low;
                self.lim[v] = counter;
                self.by_lim[counter] = v;
                counter += 1;
                stack.pop();
            }
        }
        self.stack = stack;
    }

    fn init_cut_values(&mut self) {
        let mut order: Vec<usize> = (0..self.rank.len()).collect();
        order.sort_by_key(|&v| self.lim[v]);
        for v in order {
            if v != self.root {
                self.cut[v] = self.calc_cut(v);
            }
        }
    }

    /// Cut value of the tree edge between `child` and its parent, assuming
    /// the cut values of the child's own tree children are current.
    fn calc_cut(&self, child: usize) -> f32 {
        let pe = self.parent_edge[child];
        let child_is_tail = self.edges[pe].from == child;
        let mut cut = self.edges[pe].weight;
        for &ei in &self.inc[child] {
            if ei == pe {
                continue;
            }
            let e = self.edges[ei];
            let is_out = e.from == child;
            let points_to_head = is_out == child_is_tail;
            cut += if points_to_head { e.weight } else { -e.weight };
            if self.in_tree[ei] {
                let other = self.other(ei, child);
                let oc = self.cut[other];
                cut += if points_to_head { -oc } else { oc };
            }
        }
        cut
    }

    fn is_desc(&self, v: usize, root: usize) -> bool {
        self.low[root] <= self.lim[v] && self.lim[v] <= self.lim[root]
    }

    fn iterate(&mut self) {
        let n = self.rank.len();
        let max_iter = 20 * n + 1000;
        let mut start = 0;
        for _ in 0..max_iter {
            let mut leave = None;
            for k in 0..n {
                let v = (start + k) % n;
                if v != self.root && self.cut[v] < -1e-6 {
                    leave = Some(v);
                    start = v + 1;
                    break;
                }
            }
            let Some(c) = leave else { return };
            let pe = self.parent_edge[c];
            let e = self.edges[pe];
            let flip = e.from != c;
            // Candidates cross the cut, so scanning the smaller side's
            // incident edges finds them all.
            let (lo, hi) = (self.low[c], self.lim[c]);
            let inside = hi - lo + 1;
            let mut best: Option<(i32, usize)> = None;
            let mut consider = |s: &Self, ei: usize| {
                let f = s.edges[ei];
                let tail_in = s.is_desc(f.from, c);
                let head_in = s.is_desc(f.to, c);
                if flip == tail_in && flip != head_in {
                    let sl = s.slack(ei);
                    if best.is_none_or(|(bs, be)| sl < bs || (sl == bs && ei < be)) {
                        best = Some((sl, ei));
                    }
                }
            };
            if inside * 2 <= n {
                for l in lo..=hi {
                    let v = self.by_lim[l];
                    for &ei in &self.inc[v] {
                        consider(self, ei);
                    }
                }
            } else {
                for l in (1..lo).chain(hi + 1..=n) {
                    let v = self.by_lim[l];
                    for &ei in &self.inc[v] {
                        consider(self, ei);
                    }
                }
            }
            let Some((_, enter)) = best else { return };
            self.exchange(c, enter);
        }
    }

    fn exchange(&mut self, c: usize, enter: usize) {
        let p = self.parent[c];
        let leave = self.parent_edge[c];
        let f = self.edges[enter];
        let (s, o) = if self.is_desc(f.from, c) {
            (f.from, f.to)
        } else {
            (f.to, f.from)
        };
        // Shift the detached subtree so that the entering edge is tight.
        let slack = self.slack(enter);
        let delta = if s == f.from { slack } else { -slack };
        if delta != 0 {
            let mut stack = vec![c];
            while let Some(v) = stack.pop() {
                self.rank[v] += delta;
                for &ei in &self.tree_adj[v] {
                    if ei != self.parent_edge[v] {
                        stack.push(self.other(ei, v));
                    }
                }
            }
        }
        // Lowest common ancestor of p and o (outside the detached subtree).
        let mut a = o;
        while !(self.low[a] <= self.lim[p] && self.lim[p] <= self.lim[a]) {
            a = self.parent[a];
        }
        // Every subtree that changes lies on the old tree paths from s (via
        // c and p) and from o up to a; those must be renumbered.
        let first = self.low[a];
        for from in [s, o] {
            let mut v = from;
            while v != a {
                self.low[v] = NONE;
                v = self.parent[v];
            }
        }
        self.in_tree[leave] = false;
        self.tree_adj[c].retain(|&e| e != leave);
        self.tree_adj[p].retain(|&e| e != leave);
        self.in_tree[enter] = true;
        self.tree_adj[s].push(enter);
        self.tree_adj[o].push(enter);
        // Re-hang the detached subtree below o: reverse the parent chain s..c.
        let mut v = s;
        let mut new_parent = o;
        let mut new_edge = enter;
        loop {
            let old_parent = self.parent[v];
            let old_edge = self.parent_edge[v];
            self.parent[v] = new_parent;
            self.parent_edge[v] = new_edge;
            if v == c {
                break;
            }
            new_parent = v;
            new_edge = old_edge;
            v = old_parent;
        }
        self.number_subtree(a, first);
        // Cut values change only on the cycle closed by the entering edge.
        let mut v = c;
        while v != a {
            self.cut[v] = self.calc_cut(v);
            v = self.parent[v];
        }
        let mut v = p;
        while v != a {
            self.cut[v] = self.calc_cut(v);
            v = self.parent[v];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(from: usize, to: usize, min_len: i32) -> RankEdge {
        RankEdge {
            from,
            to,
            min_len,
            weight: 1.0,
        }
    }

    fn total_len(edges: &[RankEdge], r: &[i32]) -> i32 {
        edges.iter().map(|e| r[e.to] - r[e.from]).sum()
    }

    #[test]
    fn chain_and_min_len() {
        let edges = [e(0, 1, 1), e(1, 2, 2)];
        assert_eq!(network_simplex(3, &edges), vec![0, 1, 3]);
    }

    #[test]
    fn pulls_short_branch_down() {
        // 0 -> 1 -> 2 -> 3 and 4 -> 3: longest path puts 4 at rank 0, but the
        // optimum places it right above 3.
        let edges = [e(0, 1, 1), e(1, 2, 1), e(2, 3, 1), e(4, 3, 1)];
        let r = network_simplex(5, &edges);
        assert_eq!(r[3] - r[4], 1);
        assert_eq!(total_len(&edges, &r), 4);
    }

    #[test]
    fn gansner_example_is_optimal() {
        // The classic 8-node example from the paper: optimum total length 10.
        let (a, b, c, d, e_, f, g, h) = (0, 1, 2, 3, 4, 5, 6, 7);
        let edges = [
            e(a, b, 1),
            e(b, c, 1),
            e(c, d, 1),
            e(d, h, 1),
            e(a, e_, 1),
            e(e_, g, 1),
            e(a, f, 1),
            e(f, g, 1),
            e(g, h, 1),
        ];
        let r = network_simplex(8, &edges);
        for x in &edges {
            assert!(r[x.to] - r[x.from] >= x.min_len);
        }
        assert_eq!(total_len(&edges, &r), 10);
    }

    #[test]
    fn disconnected_components_and_isolated_nodes() {
        let edges = [e(0, 1, 1), e(2, 3, 3)];
        let r = network_simplex(5, &edges);
        assert_eq!(r[1] - r[0], 1);
        assert_eq!(r[3] - r[2], 3);
        assert_eq!(*r.iter().min().unwrap(), 0);
    }

    /// Random DAG on `n` nodes: each node gets one or two earlier parents
    /// (some far back, so edges of various lengths compete).
    fn random_dag(n: usize, seed: u64) -> Vec<RankEdge> {
        let mut x = seed | 1;
        let mut next = move |m: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % m as u64) as usize
        };
        let mut out = Vec::new();
        for v in 1..n {
            for _ in 0..1 + next(2) {
                let u = v - 1 - next(v.min(6));
                out.push(e(u, v, 1 + next(2) as i32));
            }
        }
        out
    }

    #[test]
    fn incremental_tree_matches_a_fresh_numbering_and_is_optimal() {
        for seed in 1..6u64 {
            let edges = random_dag(120, seed * 7919);
            let mut s = solve(120, &edges);
            let (low, lim, cut) = (s.low.clone(), s.lim.clone(), s.cut.clone());
            // Full renumbering and cut values from scratch.
            s.low.iter_mut().for_each(|l| *l = NONE);
            s.number_subtree(s.root, 1);
            assert_eq!(s.low, low, "seed {seed}: low");
            assert_eq!(s.lim, lim, "seed {seed}: lim");
            s.init_cut_values();
            for (v, &old_cut) in cut.iter().enumerate() {
                if v == s.root {
                    continue;
                }
                assert!((s.cut[v] - old_cut).abs() < 1e-3, "seed {seed}: cut of {v}");
                assert!(old_cut >= -1e-6, "seed {seed}: negative cut value left");
                assert_eq!(s.slack(s.parent_edge[v]), 0, "tree edges are tight");
            }
            for ei in 0..s.edges.len() {
                assert!(s.slack(ei) >= 0, "seed {seed}: edge {ei} infeasible");
            }
        }
    }

    #[test]
    fn parallel_edges_take_largest_min_len() {
        let edges = [e(0, 1, 1), e(0, 1, 2)];
        assert_eq!(network_simplex(2, &edges), vec![0, 2]);
    }
}
