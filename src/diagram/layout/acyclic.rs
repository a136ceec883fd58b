//! Cycle removal by depth-first search in input order.
//!
//! A DFS reverses exactly the edges that close a cycle back to a node still
//! on the stack. Starting from sources (in input order) and following edges
//! in input order means the edge that a reader perceives as "going back"
//! (e.g. `fix -> recv` after `recv -> valid -> fix`) is the one reversed.

/// For each edge, whether it has to point the other way for the graph to
/// become acyclic. Self-loops are never reversed (callers draw them apart).
pub fn reversed_edges(n: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for (i, &(u, v)) in edges.iter().enumerate() {
        if u != v {
            out[u].push(i);
            indeg[v] += 1;
        }
    }
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Active,
        Done,
    }
    let mut state = vec![State::New; n];
    let mut rev = vec![false; edges.len()];
    let roots = (0..n)
        .filter(|&v| indeg[v] == 0)
        .chain((0..n).filter(|&v| indeg[v] != 0));
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in roots {
        if state[root] != State::New {
            continue;
        }
        state[root] = State::Active;
        stack.push((root, 0));
        while let Some(top) = stack.last_mut() {
            let (v, k) = *top;
            if k < out[v].len() {
                top.1 += 1;
                let ei = out[v][k];
                let w = edges[ei].1;
                match state[w] {
                    State::Active => rev[ei] = true,
                    State::New => {
                        state[w] = State::Active;
                        stack.push((w, 0));
                    }
                    State::Done => {}
                }
            } else {
                state[v] = State::Done;
                stack.pop();
            }
        }
    }
    rev
}

#[cfg(test)]
mod tests {
    use super::*;
    use petgraph::graph::DiGraph;

    fn is_acyclic_after(n: usize, edges: &[(usize, usize)], rev: &[bool]) -> bool {
        let mut g = DiGraph::<(), ()>::new();
        let ids: Vec<_> = (0..n).map(|_| g.add_node(())).collect();
        for (i, &(u, v)) in edges.iter().enumerate() {
            if u == v {
                continue;
            }
            let (a, b) = if rev[i] { (v, u) } else { (u, v) };
            g.add_edge(ids[a], ids[b], ());
        }
        !petgraph::algo::is_cyclic_directed(&g)
    }

    #[test]
    fn loop_closing_edge_is_reversed() {
        // start -> recv -> valid -> fix -> recv
        let edges = [(0, 1), (1, 2), (2, 3), (3, 1)];
        let rev = reversed_edges(4, &edges);
        assert_eq!(rev, vec![false, false, false, true]);
    }

    #[test]
    fn starts_from_sources_even_if_declared_late() {
        // Node 0 sits inside the cycle 0 -> 1 -> 0; node 2 is the real entry.
        let edges = [(0, 1), (1, 0), (2, 0)];
        let rev = reversed_edges(3, &edges);
        assert_eq!(rev, vec![false, true, false]);
    }

    #[test]
    fn dag_untouched_and_self_loops_ignored() {
        let edges = [(0, 1), (0, 2), (1, 2), (2, 2)];
        assert_eq!(reversed_edges(3, &edges), vec![false; 4]);
    }

    #[test]
    fn random_graphs_become_acyclic() {
        let mut seed = 7u64;
        for _ in 0..50 {
            let n = 12;
            let mut edges = Vec::new();
            for _ in 0..30 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let u = (seed >> 33) as usize % n;
                let v = (seed >> 17) as usize % n;
                edges.push((u, v));
            }
            let rev = reversed_edges(n, &edges);
            assert!(is_acyclic_after(n, &edges, &rev));
        }
    }
}
