use super::*;
use proptest::prelude::*;

fn node(w: f32, h: f32) -> LNode {
    LNode {
        width: w,
        height: h,
        shape: ShapeKind::Rect,
    }
}

fn edge(from: usize, to: usize) -> LEdge {
    LEdge {
        from,
        to,
        min_len: 1,
        label_size: None,
        from_cluster: None,
        to_cluster: None,
    }
}

fn input(direction: Direction, nodes: Vec<LNode>, edges: Vec<LEdge>) -> LayoutInput {
    LayoutInput {
        direction,
        nodes,
        edges,
        clusters: Vec::new(),
        options: LayoutOptions::default(),
    }
}

fn overlap(a: &NodeBox, b: &NodeBox) -> bool {
    (a.x - b.x).abs() < (a.w + b.w) / 2.0 - 0.5 && (a.y - b.y).abs() < (a.h + b.h) / 2.0 - 0.5
}

/// Whether segment p-q enters the interior of `b` shrunk by 1 px.
fn segment_hits_box(p: Point, q: Point, b: &NodeBox) -> bool {
    let inner = ClusterBox {
        x: b.x - b.w / 2.0 + 1.0,
        y: b.y - b.h / 2.0 + 1.0,
        w: b.w - 2.0,
        h: b.h - 2.0,
    };
    inner.w > 0.0 && inner.h > 0.0 && layered::entry_param(p, q, &inner).is_some()
}

/// Edge labels: clear of every node, of each other, and of their own edge
/// line (self-loop labels sit beside the loop, which the line check skips).
fn check_labels(inp: &LayoutInput, l: &Layout) -> Result<(), String> {
    let boxes: Vec<(usize, NodeBox)> = inp
        .edges
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let (w, h) = e.label_size?;
            let c = l.edges[i].label?;
            Some((
                i,
                NodeBox {
                    x: c.x,
                    y: c.y,
                    w,
                    h,
                },
            ))
        })
        .collect();
    for (j, &(i, lb)) in boxes.iter().enumerate() {
        for (v, nb) in l.nodes.iter().enumerate() {
            if overlap(&lb, nb) {
                return Err(format!(
                    "label of edge {i} overlaps node {v}: {lb:?} {nb:?}"
                ));
            }
        }
        for &(i2, lb2) in &boxes[j + 1..] {
            if overlap(&lb, &lb2) {
                return Err(format!("labels of edges {i} and {i2} overlap"));
            }
        }
        let e = &inp.edges[i];
        if e.from != e.to {
            for w in l.edges[i].points.windows(2) {
                if segment_hits_box(w[0], w[1], &lb) {
                    return Err(format!("edge {i} runs through its own label {lb:?}"));
                }
            }
        }
    }
    Ok(())
}

/// Nodes inside cluster `c`, nested clusters included.
fn members(inp: &LayoutInput, deepest: &[Option<usize>], c: usize) -> Vec<usize> {
    (0..inp.nodes.len())
        .filter(|&v| in_cluster(inp, deepest[v], c))
        .collect()
}

/// The cluster ends (`[from, to]`) an edge must be drawn to: those with an
/// outside to come from (the other end is not inside the cluster, and
/// neither cluster holds the other).
fn drawn_to_boxes(inp: &LayoutInput, deepest: &[Option<usize>], e: &LEdge) -> [Option<usize>; 2] {
    if e.from_cluster.is_none() && e.to_cluster.is_none() {
        return [None, None];
    }
    let side = |v: usize, c: Option<usize>| c.map_or_else(|| vec![v], |c| members(inp, deepest, c));
    let (a, b) = (side(e.from, e.from_cluster), side(e.to, e.to_cluster));
    if a.iter().any(|v| b.contains(v)) {
        return [None, None];
    }
    [e.from_cluster, e.to_cluster]
}

fn on_border(p: Point, b: &ClusterBox, tol: f32) -> bool {
    let within =
        p.x >= b.x - tol && p.x <= b.x + b.w + tol && p.y >= b.y - tol && p.y <= b.y + b.h + tol;
    let near_side = (p.x - b.x).abs() <= tol
        || (p.x - b.x - b.w).abs() <= tol
        || (p.y - b.y).abs() <= tol
        || (p.y - b.y - b.h).abs() <= tol;
    within && near_side
}

/// Where the renderers draw a cluster's title: centred at the top of the box.
fn title_box(inp: &LayoutInput, l: &Layout, c: usize) -> Option<NodeBox> {
    let (tw, th) = inp.clusters[c].title_size;
    let cb = l.clusters[c];
    (tw > 0.0 && th > 0.0 && cb.w > 0.0).then(|| NodeBox {
        x: cb.x + cb.w / 2.0,
        y: cb.y + th / 2.0,
        w: tw,
        h: th,
    })
}

/// No edge runs through a cluster title, except an edge drawn to that
/// cluster's box (its arrowhead may touch the border above the title).
fn check_titles(inp: &LayoutInput, l: &Layout) -> Result<(), String> {
    let deepest = layered::deepest_cluster(inp);
    for c in 0..inp.clusters.len() {
        let Some(tb) = title_box(inp, l, c) else {
            continue;
        };
        for (i, e) in inp.edges.iter().enumerate() {
            if drawn_to_boxes(inp, &deepest, e).contains(&Some(c)) {
                continue;
            }
            for w in l.edges[i].points.windows(2) {
                if segment_hits_box(w[0], w[1], &tb) {
                    return Err(format!(
                        "edge {i} crosses the title of cluster {c}: {:?}-{:?} {tb:?}",
                        w[0], w[1]
                    ));
                }
            }
        }
    }
    Ok(())
}

/// No edge runs through the inside of a cluster that holds neither of its
/// ends and that it is not drawn to: passing edges go around subgraphs.
/// The inside is the box less its padding and title band; an edge from a
/// node beside the box may still clip a padded corner on its way to the
/// next rank (Graphviz's straight edges do the same).
fn check_foreign_boxes(inp: &LayoutInput, l: &Layout) -> Result<(), String> {
    let deepest = layered::deepest_cluster(inp);
    for (i, e) in inp.edges.iter().enumerate() {
        if e.from == e.to {
            continue;
        }
        let to_boxes = drawn_to_boxes(inp, &deepest, e);
        for (c, cb) in l.clusters.iter().enumerate() {
            let holds = |v: usize| in_cluster(inp, deepest[v], c);
            if cb.w <= 0.0 || to_boxes.contains(&Some(c)) || holds(e.from) || holds(e.to) {
                continue;
            }
            let th = inp.clusters[c].title_size.1;
            let inner = NodeBox {
                x: cb.x + cb.w / 2.0,
                y: cb.y + (cb.h + th) / 2.0,
                w: cb.w - 2.0 * CLUSTER_PAD,
                h: cb.h - th - 2.0 * CLUSTER_PAD,
            };
            for w in l.edges[i].points.windows(2) {
                if segment_hits_box(w[0], w[1], &inner) {
                    return Err(format!(
                        "edge {i} passes through cluster {c}: {:?}-{:?} {cb:?}",
                        w[0], w[1]
                    ));
                }
            }
        }
    }
    Ok(())
}

fn near_box(p: Point, b: &NodeBox, tol: f32) -> bool {
    (p.x - b.x).abs() <= b.w / 2.0 + tol && (p.y - b.y).abs() <= b.h / 2.0 + tol
}

fn inside(inner: (f32, f32, f32, f32), outer: &ClusterBox) -> bool {
    let (x0, y0, x1, y1) = inner;
    x0 >= outer.x - 0.01
        && y0 >= outer.y - 0.01
        && x1 <= outer.x + outer.w + 0.01
        && y1 <= outer.y + outer.h + 0.01
}

fn nb_rect(b: &NodeBox) -> (f32, f32, f32, f32) {
    (
        b.x - b.w / 2.0,
        b.y - b.h / 2.0,
        b.x + b.w / 2.0,
        b.y + b.h / 2.0,
    )
}

fn cb_rect(c: &ClusterBox) -> (f32, f32, f32, f32) {
    (c.x, c.y, c.x + c.w, c.y + c.h)
}

fn rects_overlap(a: (f32, f32, f32, f32), b: (f32, f32, f32, f32)) -> bool {
    a.0 < b.2 - 0.5 && b.0 < a.2 - 0.5 && a.1 < b.3 - 0.5 && b.1 < a.3 - 0.5
}

/// All structural invariants; `strict_routes` is off for graphs with
/// direction blocks (their connecting segments may cross block members).
fn check(inp: &LayoutInput, l: &Layout, strict_routes: bool) -> Result<(), String> {
    let n = inp.nodes.len();
    if l.nodes.len() != n || l.edges.len() != inp.edges.len() {
        return Err("wrong output sizes".into());
    }
    for (i, nb) in l.nodes.iter().enumerate() {
        if nb.w != inp.nodes[i].width || nb.h != inp.nodes[i].height {
            return Err(format!("node {i} resized"));
        }
        if !(nb.x.is_finite() && nb.y.is_finite()) {
            return Err(format!("node {i} not finite"));
        }
    }
    for a in 0..n {
        for b in a + 1..n {
            if overlap(&l.nodes[a], &l.nodes[b]) {
                return Err(format!(
                    "nodes {a} and {b} overlap: {:?} {:?}",
                    l.nodes[a], l.nodes[b]
                ));
            }
        }
    }
    let deepest = layered::deepest_cluster(inp);
    for (i, e) in inp.edges.iter().enumerate() {
        let r = &l.edges[i];
        if r.points.len() < 2 {
            return Err(format!("edge {i} has {} points", r.points.len()));
        }
        let box_ends = drawn_to_boxes(inp, &deepest, e);
        let (s, t) = (r.points[0], r.points[r.points.len() - 1]);
        for (p, v, c, what) in [
            (s, e.from, box_ends[0], "starts off its source"),
            (t, e.to, box_ends[1], "ends off its target"),
        ] {
            let ok = match c {
                Some(c) => on_border(p, &l.clusters[c], 0.6),
                None => near_box(p, &l.nodes[v], 0.6),
            };
            if !ok {
                return Err(format!(
                    "edge {i} {what}: {p:?} {:?} {:?}",
                    l.nodes[v],
                    c.map(|c| l.clusters[c])
                ));
            }
        }
        // An edge drawn to a cluster's box never runs inside it.
        for c in box_ends.iter().flatten() {
            let cb = &l.clusters[*c];
            let nb = NodeBox {
                x: cb.x + cb.w / 2.0,
                y: cb.y + cb.h / 2.0,
                w: cb.w,
                h: cb.h,
            };
            for w in r.points.windows(2) {
                if segment_hits_box(w[0], w[1], &nb) {
                    return Err(format!(
                        "edge {i} runs inside its end cluster {c}: {:?}-{:?} {cb:?}",
                        w[0], w[1]
                    ));
                }
            }
        }
        if strict_routes {
            for w in r.points.windows(2) {
                for (v, nb) in l.nodes.iter().enumerate() {
                    let own = (v == e.from && box_ends[0].is_none())
                        || (v == e.to && box_ends[1].is_none());
                    if !own && segment_hits_box(w[0], w[1], nb) {
                        return Err(format!(
                            "edge {i} crosses node {v}: {:?}-{:?} {nb:?}",
                            w[0], w[1]
                        ));
                    }
                }
            }
        }
    }
    // Clusters: members inside, nested inside parents, disjoint otherwise.
    let k = inp.clusters.len();
    let in_subtree = |c: usize, mut d: usize| -> bool {
        loop {
            if d == c {
                return true;
            }
            match inp.clusters[d].parent {
                Some(p) => d = p,
                None => return false,
            }
        }
    };
    let node_cl = layered::deepest_cluster(inp);
    for c in 0..k {
        let cb = &l.clusters[c];
        for (v, ncl) in node_cl.iter().enumerate() {
            let member = ncl.is_some_and(|d| in_subtree(c, d));
            let r = nb_rect(&l.nodes[v]);
            if member && !inside(r, cb) {
                return Err(format!(
                    "node {v} outside its cluster {c}: {:?} {cb:?}",
                    l.nodes[v]
                ));
            }
            if !member && rects_overlap(r, cb_rect(cb)) {
                return Err(format!(
                    "outside node {v} overlaps cluster {c}: {:?} {cb:?}",
                    l.nodes[v]
                ));
            }
        }
        for d in 0..k {
            if d == c {
                continue;
            }
            if in_subtree(c, d) {
                if !inside(cb_rect(&l.clusters[d]), cb) {
                    return Err(format!("cluster {d} not inside parent {c}"));
                }
            } else if !in_subtree(d, c) && rects_overlap(cb_rect(cb), cb_rect(&l.clusters[d])) {
                return Err(format!("clusters {c} and {d} overlap"));
            }
        }
    }
    Ok(())
}

#[test]
fn empty_graph() {
    let l = layout(&input(Direction::TB, vec![], vec![])).unwrap();
    assert_eq!(l.nodes.len(), 0);
    assert_eq!(l.width, 0.0);
}

#[test]
fn chain_goes_down_and_is_straight() {
    let inp = input(
        Direction::TB,
        vec![node(80.0, 40.0), node(80.0, 40.0), node(80.0, 40.0)],
        vec![edge(0, 1), edge(1, 2)],
    );
    let l = layout(&inp).unwrap();
    assert!(l.nodes[0].y < l.nodes[1].y && l.nodes[1].y < l.nodes[2].y);
    assert!((l.nodes[0].x - l.nodes[2].x).abs() < 0.01);
    // rank_sep 50 between 40 px tall boxes.
    assert!((l.nodes[1].y - l.nodes[0].y - 90.0).abs() < 0.01);
    let p = &l.edges[0].points;
    assert!((p[0].y - (l.nodes[0].y + 20.0)).abs() < 0.01);
    assert!((p[p.len() - 1].y - (l.nodes[1].y - 20.0)).abs() < 0.01);
    check(&inp, &l, true).unwrap();
}

#[test]
fn directions_transform() {
    let nodes = vec![node(100.0, 40.0), node(60.0, 40.0)];
    let edges = vec![edge(0, 1)];
    let tb = layout(&input(Direction::TB, nodes.clone(), edges.clone())).unwrap();
    let bt = layout(&input(Direction::BT, nodes.clone(), edges.clone())).unwrap();
    let lr = layout(&input(Direction::LR, nodes.clone(), edges.clone())).unwrap();
    let rl = layout(&input(Direction::RL, nodes, edges)).unwrap();
    assert!(tb.nodes[0].y < tb.nodes[1].y);
    assert!(bt.nodes[0].y > bt.nodes[1].y);
    assert!(lr.nodes[0].x < lr.nodes[1].x);
    assert!(rl.nodes[0].x > rl.nodes[1].x);
    // LR: ranks separated horizontally by widths plus rank_sep.
    assert!((lr.nodes[1].x - lr.nodes[0].x - (50.0 + 30.0 + 50.0)).abs() < 0.01);
    assert_eq!((lr.width, lr.height), (210.0, 40.0));
}

#[test]
fn cycle_reverses_loop_closing_edge() {
    // start -> recv -> valid -> fix -> recv
    let inp = input(
        Direction::TB,
        vec![node(60.0, 40.0); 4],
        vec![edge(0, 1), edge(1, 2), edge(2, 3), edge(3, 1)],
    );
    let l = layout(&inp).unwrap();
    assert!(!l.edges[1].reversed && l.edges[3].reversed);
    assert!(l.nodes[1].y < l.nodes[2].y && l.nodes[2].y < l.nodes[3].y);
    // The reversed edge still starts at `fix` and ends at `recv`.
    check(&inp, &l, true).unwrap();
}

#[test]
fn self_loop_and_parallel_edges_are_distinct() {
    let inp = input(
        Direction::TB,
        vec![node(80.0, 40.0), node(80.0, 40.0)],
        vec![edge(0, 1), edge(0, 1), edge(1, 1)],
    );
    let l = layout(&inp).unwrap();
    assert_ne!(l.edges[0].points, l.edges[1].points);
    let lp = &l.edges[2].points;
    assert!(lp.len() >= 4);
    assert!(
        lp.iter().any(|p| p.x > l.nodes[1].x + 40.0 + 5.0),
        "loop goes out to the side"
    );
    check(&inp, &l, true).unwrap();
}

#[test]
fn labels_get_their_own_rank() {
    let mut e = edge(0, 1);
    e.label_size = Some((40.0, 20.0));
    let inp = input(
        Direction::TB,
        vec![node(80.0, 40.0), node(80.0, 40.0)],
        vec![e],
    );
    let l = layout(&inp).unwrap();
    let lab = l.edges[0].label.unwrap();
    assert!(lab.y - 10.0 >= l.nodes[0].y + 20.0 && lab.y + 10.0 <= l.nodes[1].y - 20.0);
    check_labels(&inp, &l).unwrap();
}

#[test]
fn labels_sit_beside_their_edge_in_every_direction() {
    for dir in [Direction::TB, Direction::BT, Direction::LR, Direction::RL] {
        let mut e = edge(0, 1);
        e.label_size = Some((60.0, 20.0));
        let inp = input(dir, vec![node(80.0, 40.0), node(80.0, 40.0)], vec![e]);
        let l = layout(&inp).unwrap();
        let lab = l.edges[0].label.unwrap();
        // A straight edge: the label is off its line, across the flow.
        let p = l.edges[0].points[0];
        let off = if matches!(dir, Direction::TB | Direction::BT) {
            (lab.x - p.x).abs() - 30.0
        } else {
            (lab.y - p.y).abs() - 10.0
        };
        assert!(off >= 1.0, "{dir:?}: label {lab:?} on the line at {p:?}");
        check_labels(&inp, &l).unwrap();
    }
}

#[test]
fn too_large_is_refused_fast() {
    let mut inp = input(Direction::TB, vec![node(10.0, 10.0); 6000], vec![]);
    assert!(matches!(layout(&inp), Err(LayoutError::TooLarge { .. })));
    inp.nodes.truncate(3);
    inp.edges.push(edge(0, 7));
    assert_eq!(layout(&inp), Err(LayoutError::InvalidEdge { index: 0 }));
}

#[test]
fn too_many_edge_bends_are_refused() {
    let n = 1000;
    let mut edges: Vec<LEdge> = (0..n - 1).map(|i| edge(i, i + 1)).collect();
    edges.extend((0..300).map(|_| edge(0, n - 1)));
    let inp = input(Direction::TB, vec![node(10.0, 10.0); n], edges);
    assert!(matches!(layout(&inp), Err(LayoutError::TooLarge { .. })));
}

#[test]
fn invalid_clusters_are_rejected() {
    let mut inp = input(Direction::TB, vec![node(10.0, 10.0); 2], vec![]);
    inp.clusters = vec![
        LCluster {
            nodes: vec![0],
            parent: Some(1),
            title_size: (10.0, 10.0),
            direction: None,
        },
        LCluster {
            nodes: vec![1],
            parent: Some(0),
            title_size: (10.0, 10.0),
            direction: None,
        },
    ];
    assert!(matches!(
        layout(&inp),
        Err(LayoutError::InvalidCluster { .. })
    ));
    inp.options.node_sep = f32::NAN;
    assert!(layout(&inp).is_err());
}

#[test]
fn nested_clusters_with_titles() {
    // 0 -> 1 -> 2 -> 3, cluster A = {1, B}, B = {2}; 3 outside.
    let mut inp = input(
        Direction::TB,
        vec![node(60.0, 40.0); 4],
        vec![edge(0, 1), edge(1, 2), edge(2, 3), edge(0, 3)],
    );
    inp.clusters = vec![
        LCluster {
            nodes: vec![1],
            parent: None,
            title_size: (120.0, 18.0),
            direction: None,
        },
        LCluster {
            nodes: vec![2],
            parent: Some(0),
            title_size: (40.0, 18.0),
            direction: None,
        },
    ];
    for dir in [Direction::TB, Direction::BT, Direction::LR, Direction::RL] {
        inp.direction = dir;
        let l = layout(&inp).unwrap();
        check(&inp, &l, true).unwrap();
        let a = l.clusters[0];
        let top_member = l.nodes[1].y - 20.0;
        if dir == Direction::TB {
            assert!(top_member - a.y >= 18.0 + CLUSTER_PAD - 0.01, "title room");
            assert!(a.w >= 120.0);
        }
    }
}

#[test]
fn cluster_with_own_direction_is_a_block() {
    // TB graph; cluster {1,2,3} laid out LR.
    let mut inp = input(
        Direction::TB,
        vec![node(60.0, 40.0); 5],
        vec![edge(0, 1), edge(1, 2), edge(2, 3), edge(3, 4)],
    );
    inp.clusters = vec![LCluster {
        nodes: vec![1, 2, 3],
        parent: None,
        title_size: (50.0, 18.0),
        direction: Some(Direction::LR),
    }];
    let l = layout(&inp).unwrap();
    assert!((l.nodes[1].y - l.nodes[2].y).abs() < 0.01);
    assert!(l.nodes[1].x < l.nodes[2].x && l.nodes[2].x < l.nodes[3].x);
    assert!(l.nodes[0].y < l.nodes[1].y && l.nodes[4].y > l.nodes[3].y);
    check(&inp, &l, false).unwrap();
}

#[test]
fn previous_order_keeps_sides() {
    let nodes = vec![node(60.0, 40.0); 3];
    let edges = vec![edge(0, 1), edge(0, 2)];
    let mut inp = input(Direction::TB, nodes, edges);
    inp.options.previous_order = Some(vec![0.0, 100.0, -100.0]);
    let l = layout(&inp).unwrap();
    assert!(l.nodes[2].x < l.nodes[1].x);
    inp.options.previous_order = Some(vec![0.0, -100.0, 100.0]);
    let l = layout(&inp).unwrap();
    assert!(l.nodes[1].x < l.nodes[2].x);
}

#[test]
fn shapes_clip_to_outline() {
    let mut inp = input(
        Direction::TB,
        vec![node(80.0, 60.0), node(80.0, 60.0), node(80.0, 60.0)],
        vec![edge(0, 1), edge(0, 2)],
    );
    inp.nodes[0].shape = ShapeKind::Diamond;
    let l = layout(&inp).unwrap();
    let d = l.nodes[0];
    for e in &l.edges {
        let p = e.points[0];
        let v = (p.x - d.x).abs() / 40.0 + (p.y - d.y).abs() / 30.0;
        assert!((v - 1.0).abs() < 1e-3, "on the diamond outline: {v}");
    }
}

#[test]
fn crossings_removed_on_k22_like_graph() {
    // Two sources each feeding both sinks, declared crosswise.
    let inp = input(
        Direction::TB,
        vec![node(60.0, 40.0); 6],
        vec![edge(0, 3), edge(1, 2), edge(2, 4), edge(3, 5)],
    );
    let l = layout(&inp).unwrap();
    let seg_cross = |a: &EdgeRoute, b: &EdgeRoute| {
        a.points.windows(2).any(|s| {
            b.points.windows(2).any(|t| {
                let d = |p: Point, q: Point, r: Point| {
                    (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x)
                };
                d(s[0], s[1], t[0]) * d(s[0], s[1], t[1]) < 0.0
                    && d(t[0], t[1], s[0]) * d(t[0], t[1], s[1]) < 0.0
            })
        })
    };
    for i in 0..4 {
        for j in i + 1..4 {
            assert!(
                !seg_cross(&l.edges[i], &l.edges[j]),
                "edges {i} and {j} cross"
            );
        }
    }
}

#[test]
fn orthogonal_and_straight_styles() {
    for curve in [CurveStyle::Orthogonal, CurveStyle::Straight] {
        let mut inp = input(
            Direction::LR,
            vec![node(60.0, 40.0); 4],
            vec![edge(0, 1), edge(0, 2), edge(1, 3), edge(0, 3)],
        );
        inp.options.curve = curve;
        let l = layout(&inp).unwrap();
        check(&inp, &l, true).unwrap();
        assert!(l.edges.iter().all(|e| e.bezier.is_none()));
        if curve == CurveStyle::Orthogonal {
            for e in &l.edges {
                for w in e
                    .points
                    .windows(2)
                    .skip(1)
                    .take(e.points.len().saturating_sub(3))
                {
                    assert!((w[0].x - w[1].x).abs() < 0.01 || (w[0].y - w[1].y).abs() < 0.01);
                }
            }
        }
    }
}

#[test]
fn ranks_respect_min_len() {
    let mut e = edge(0, 2);
    e.min_len = 3;
    let inp = input(
        Direction::TB,
        vec![node(60.0, 40.0); 3],
        vec![edge(0, 1), edge(1, 2), e],
    );
    let layered::Ranking {
        ranks, rev, mult, ..
    } = layered::assign_ranks(&inp);
    assert_eq!(mult, 1);
    assert!(rev.iter().all(|r| !r));
    assert!(ranks[2] - ranks[0] >= 3);
    assert_eq!(ranks[1] - ranks[0], 1, "network simplex keeps 0->1 tight");
}

// ---------------------------------------------------------------- property

#[derive(Debug, Clone)]
struct Spec {
    dir: u8,
    sizes: Vec<(u8, u8, u8)>,
    edges: Vec<(u8, u8, u8, bool)>,
    clusters: Vec<(Option<u8>, u8)>,
    membership: Vec<u8>,
    curve: u8,
}

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..22).prop_flat_map(|n| {
        (
            0u8..4,
            prop::collection::vec((0u8..12, 0u8..6, 0u8..11), n),
            prop::collection::vec((0u8..64, 0u8..64, 1u8..4, any::<bool>()), 0..(2 * n + 2)),
            prop::collection::vec((prop::option::of(0u8..8), 0u8..10), 0..4),
            prop::collection::vec(0u8..8, n),
            0u8..3,
        )
            .prop_map(|(dir, sizes, edges, clusters, membership, curve)| Spec {
                dir,
                sizes,
                edges,
                clusters,
                membership,
                curve,
            })
    })
}

const SHAPES: [ShapeKind; 11] = [
    ShapeKind::Rect,
    ShapeKind::RoundRect,
    ShapeKind::Stadium,
    ShapeKind::Diamond,
    ShapeKind::Circle,
    ShapeKind::Ellipse,
    ShapeKind::Hexagon,
    ShapeKind::Cylinder,
    ShapeKind::Parallelogram,
    ShapeKind::Trapezoid,
    ShapeKind::Other,
];

fn build(s: &Spec, blocks: bool) -> LayoutInput {
    let n = s.sizes.len();
    let dirs = [Direction::TB, Direction::BT, Direction::LR, Direction::RL];
    let nodes = s
        .sizes
        .iter()
        .map(|&(w, h, sh)| LNode {
            width: 20.0 + w as f32 * 12.0,
            height: 20.0 + h as f32 * 10.0,
            shape: SHAPES[sh as usize % SHAPES.len()],
        })
        .collect();
    let k = s.clusters.len();
    let membership: Vec<Option<usize>> = s
        .membership
        .iter()
        .map(|&c| Some(c as usize).filter(|&c| c < k))
        .collect();
    let parent_of = |c: usize| s.clusters[c].0.map(|p| p as usize).filter(|&p| p < c);
    // An end value from 40 up names cluster `value % k`, standing in with
    // its first node (direct or nested); a cluster without nodes cannot.
    let cluster_end = |x: u8| -> Option<(usize, usize)> {
        if x < 40 || k == 0 {
            return None;
        }
        let c = x as usize % k;
        (0..n)
            .find(|&v| {
                let mut cur = membership[v];
                while let Some(d) = cur {
                    if d == c {
                        return true;
                    }
                    cur = parent_of(d);
                }
                false
            })
            .map(|v| (c, v))
    };
    let edges = s
        .edges
        .iter()
        .map(|&(a, b, ml, lab)| {
            let (fc, tc) = (cluster_end(a), cluster_end(b));
            LEdge {
                from: fc.map_or(a as usize % n, |x| x.1),
                to: tc.map_or(b as usize % n, |x| x.1),
                min_len: ml as u32,
                label_size: lab.then_some((30.0, 16.0)),
                from_cluster: fc.map(|x| x.0),
                to_cluster: tc.map(|x| x.0),
            }
        })
        .collect();
    let clusters: Vec<LCluster> = (0..k)
        .map(|c| {
            let title = s.clusters[c].1;
            LCluster {
                nodes: (0..n).filter(|&v| s.membership[v] as usize == c).collect(),
                // Parents always have a smaller index: no cycles.
                parent: parent_of(c),
                title_size: (title as f32 * 10.0, 16.0),
                direction: if blocks && title.is_multiple_of(3) {
                    Some(dirs[(title as usize / 3) % 4])
                } else {
                    None
                },
            }
        })
        .collect();
    LayoutInput {
        direction: dirs[s.dir as usize % 4],
        nodes,
        edges,
        clusters,
        options: LayoutOptions {
            curve: [
                CurveStyle::Smooth,
                CurveStyle::Orthogonal,
                CurveStyle::Straight,
            ][s.curve as usize % 3],
            ..LayoutOptions::default()
        },
    }
}

proptest! {
    // No regression files: a failure prints its minimal input instead.
    #![proptest_config(ProptestConfig {
        cases: 200,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn prop_invariants(s in spec()) {
        let inp = build(&s, false);
        let l = layout(&inp).unwrap();
        if let Err(msg) = check(&inp, &l, true) {
            return Err(TestCaseError::fail(msg));
        }
        let again = layout(&inp).unwrap();
        prop_assert_eq!(l, again);
    }

    /// Top-to-bottom and bottom-to-top always; LR/RL titles can span the
    /// whole gap an edge must cross (see `few_edges_cut_titles_or_other_clusters`).
    #[test]
    fn prop_edges_clear_of_cluster_titles(s in spec()) {
        let mut inp = build(&s, false);
        if s.dir % 2 == 0 {
            inp.direction = Direction::TB;
        } else {
            inp.direction = Direction::BT;
        }
        let l = layout(&inp).unwrap();
        if let Err(msg) = check_titles(&inp, &l) {
            return Err(TestCaseError::fail(msg));
        }
    }

    #[test]
    fn prop_labels_clear_of_nodes_lines_and_each_other(s in spec()) {
        let inp = build(&s, false);
        let l = layout(&inp).unwrap();
        if let Err(msg) = check_labels(&inp, &l) {
            return Err(TestCaseError::fail(msg));
        }
    }

    #[test]
    fn prop_ranks_respect_min_len(s in spec()) {
        let inp = build(&s, false);
        let layered::Ranking { ranks, rev, mult, .. } = layered::assign_ranks(&inp);
        for (i, e) in inp.edges.iter().enumerate() {
            if e.from == e.to {
                continue;
            }
            let (a, b) = if rev[i] { (e.to, e.from) } else { (e.from, e.to) };
            prop_assert!(ranks[b] - ranks[a] >= e.min_len.max(1) as i32 * mult);
        }
    }

    #[test]
    fn prop_blocks_keep_boxes_valid(s in spec()) {
        let inp = build(&s, true);
        let l = layout(&inp).unwrap();
        if let Err(msg) = check(&inp, &l, false) {
            return Err(TestCaseError::fail(msg));
        }
    }
}

/// `A --> C` where C = {X, Y}, `A --> X` and `Y --> A`: C can lie neither
/// wholly after nor wholly before A, so the edge runs to the stand-in
/// member and stops at C's border.
#[test]
fn edge_to_a_cluster_on_a_cycle_is_cut_at_the_box() {
    let mut e = edge(0, 1);
    e.to_cluster = Some(0);
    let mut inp = input(
        Direction::TB,
        vec![node(60.0, 40.0); 3],
        vec![e, edge(0, 1), edge(2, 0)],
    );
    inp.clusters = vec![LCluster {
        nodes: vec![1, 2],
        parent: None,
        title_size: (60.0, 18.0),
        direction: None,
    }];
    let l = layout(&inp).unwrap();
    check(&inp, &l, true).unwrap();
    check_titles(&inp, &l).unwrap();
    let ranked = layered::assign_ranks(&inp);
    assert_eq!(ranked.box_end[0], [None, None]);
    assert_eq!(ranked.clip_end[0], [None, Some(0)]);
}

/// Without a cycle the same edge is ranked against the whole cluster and
/// drawn to its top border, straight above a port inside the box.
#[test]
fn edge_to_a_cluster_ranks_the_whole_cluster_below() {
    let mut e = edge(0, 1);
    e.to_cluster = Some(0);
    let mut inp = input(
        Direction::TB,
        vec![node(60.0, 40.0); 4],
        vec![e, edge(1, 2), edge(3, 2)],
    );
    inp.clusters = vec![LCluster {
        nodes: vec![1, 2, 3],
        parent: None,
        title_size: (60.0, 18.0),
        direction: None,
    }];
    let l = layout(&inp).unwrap();
    check(&inp, &l, true).unwrap();
    let cb = l.clusters[0];
    assert!(cb.y >= l.nodes[0].y + 20.0, "cluster below A: {cb:?}");
    let end = l.edges[0].points.last().copied().unwrap_or_default();
    assert!(
        (end.y - cb.y).abs() < 0.01,
        "ends on the top border: {end:?}"
    );
    let ranked = layered::assign_ranks(&inp);
    assert_eq!(ranked.box_end[0], [None, Some(0)]);
    assert!((1..4).all(|v| ranked.ranks[v] > ranked.ranks[0]));
}

/// Passing edges keep out of other clusters' boxes and LR/RL titles in all
/// but a few of 1,500 random clustered graphs (fixed seed): 8 and 18 today.
/// Ordering is a heuristic, so some remain: an edge between two nodes on
/// either side of a box, both within its ranks, or a title as long as the
/// gap an edge has to cross. Before the ordering counted box sides as
/// crossings and edges bent around box margins and LR/RL titles, the same
/// graphs gave 129 and 34.
#[test]
fn few_edges_cut_titles_or_other_clusters() {
    use proptest::strategy::{Strategy, ValueTree};
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut through_box, mut through_title, mut clustered) = (0, 0, 0);
    while clustered < 1500 {
        let Ok(tree) = spec().new_tree(&mut runner) else {
            continue;
        };
        let inp = build(&tree.current(), false);
        if inp.clusters.is_empty() {
            continue;
        }
        clustered += 1;
        let l = layout(&inp).unwrap();
        through_box += check_foreign_boxes(&inp, &l).is_err() as usize;
        through_title += check_titles(&inp, &l).is_err() as usize;
    }
    assert!(
        through_box <= 12,
        "{through_box} graphs with an edge through another box"
    );
    assert!(
        through_title <= 24,
        "{through_title} graphs with an edge through a title"
    );
}

fn spec_case(
    dir: u8,
    n: usize,
    edges: &[(u8, u8, u8, bool)],
    clusters: &[(Option<u8>, u8)],
    membership: &[u8],
) -> LayoutInput {
    build(
        &Spec {
            dir,
            sizes: vec![(0, 0, 0); n],
            edges: edges.to_vec(),
            clusters: clusters.to_vec(),
            membership: membership.to_vec(),
            curve: 0,
        },
        false,
    )
}

/// A node beside a box whose edge leads to the far side of it moves to
/// that side as one hop over the whole block (n7 between c0 and c1).
#[test]
fn a_node_hops_over_a_cluster_its_edge_would_cross() {
    let inp = spec_case(
        0,
        10,
        &[
            (17, 21, 1, false),
            (34, 59, 1, false),
            (2, 8, 1, false),
            (43, 9, 1, false),
            (48, 20, 1, false),
            (8, 44, 1, false),
            (18, 41, 2, false),
            (0, 23, 1, false),
            (26, 7, 1, true),
        ],
        &[(None, 0), (None, 0)],
        &[1, 0, 2, 1, 0, 0, 1, 2, 0, 1],
    );
    let l = layout(&inp).unwrap();
    check(&inp, &l, true).unwrap();
    check_foreign_boxes(&inp, &l).unwrap();
}

/// A long edge running beside a box all the way down, which used to cut
/// across the box near its end, hops over it as a whole.
#[test]
fn a_long_edge_passes_a_cluster_on_one_side() {
    let inp = spec_case(
        0,
        13,
        &[
            (34, 44, 1, false),
            (34, 41, 1, false),
            (24, 38, 3, false),
            (15, 37, 1, false),
            (55, 39, 1, false),
            (1, 2, 1, false),
            (35, 26, 1, false),
            (12, 53, 1, false),
            (22, 47, 2, false),
            (41, 46, 1, false),
            (12, 34, 1, true),
        ],
        &[(None, 0), (None, 0), (Some(0), 0)],
        &[3, 3, 2, 0, 0, 0, 2, 1, 1, 1, 0, 0, 1],
    );
    let l = layout(&inp).unwrap();
    check(&inp, &l, true).unwrap();
    check_foreign_boxes(&inp, &l).unwrap();
}

/// Nested empty boxes reach far into the gap below their rank (BT: above
/// it); an edge from the node beside them to one over them runs straight
/// past their end before turning.
#[test]
fn an_edge_from_beside_a_box_clears_its_margin() {
    let inp = spec_case(
        1,
        6,
        &[
            (21, 2, 1, false),
            (0, 5, 1, false),
            (55, 16, 1, false),
            (13, 2, 1, true),
            (1, 57, 1, false),
        ],
        &[(None, 0), (Some(0), 1)],
        &[2; 6],
    );
    let l = layout(&inp).unwrap();
    check(&inp, &l, true).unwrap();
    check_foreign_boxes(&inp, &l).unwrap();
}

/// LR: an edge leaving a cluster past the title strip at its top first
/// runs straight on beside the members, then crosses the strip's width once
/// the title has ended.
#[test]
fn lr_edges_leave_beside_the_title() {
    let inp = build(
        &Spec {
            dir: 2,
            sizes: vec![
                (1, 5, 4),
                (9, 2, 8),
                (8, 4, 2),
                (11, 2, 1),
                (7, 4, 2),
                (7, 2, 9),
                (3, 3, 5),
                (8, 2, 7),
                (0, 1, 5),
                (7, 0, 8),
            ],
            edges: vec![(37, 44, 1, true), (13, 52, 2, false)],
            clusters: vec![(None, 6), (Some(7), 9), (Some(1), 6)],
            membership: vec![2, 0, 4, 7, 0, 3, 5, 0, 2, 2],
            curve: 1,
        },
        false,
    );
    let l = layout(&inp).unwrap();
    check(&inp, &l, true).unwrap();
    check_titles(&inp, &l).unwrap();
}
