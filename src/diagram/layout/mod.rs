//! Layered (Sugiyama) layout for flowcharts.
//!
//! Pipeline, one file per stage: [`acyclic`] (DFS cycle removal),
//! [`rank`] (network simplex), `layered` (long edges through dummy nodes,
//! cluster borders, label dummies, y coordinates, waypoints),
//! [`order`] (crossing minimisation), [`position`] (Brandes–Köpf plus a
//! constraint pass), [`route`] (outline clipping and curves).
//!
//! Everything is computed top-to-bottom; BT/LR/RL are produced by swapping
//! node width/height before and transforming coordinates after.
//!
//! A cluster whose effective direction differs from its parent's is laid out
//! recursively as a block (its members, nested clusters and internal edges in
//! its own direction) and then placed in the parent as one big rectangular
//! node. Edges between the block and the outside are routed to the block's
//! box and then continued by a straight segment to the member node; that
//! last segment may pass over other members of the block.
//!
//! An edge to or from a cluster (`LEdge::to_cluster`/`from_cluster`) is
//! ranked against every node of the cluster, so the whole box lies after
//! (before) the other end, and is drawn to the box's border through a
//! zero-width port slot in the cluster's first (last) rank. When the
//! cluster sits on a cycle with the other end, the edge goes to the
//! stand-in member and is cut where it meets the box. In TB/BT, edges bend
//! around cluster titles (the box gets extra room under a title that an
//! edge has to pass). In LR/RL a title is a strip along the rank axis; an
//! edge crosses the strip's width before the title starts or after it
//! ends, which fails only when the title covers the whole gap the edge
//! crosses (the renderers centre titles, so the layout cannot move one).
//!
//! Edges keep out of clusters that hold neither end: for ordering, each
//! box side is a chain of weighted links whose crossings count, then
//! neighbouring sibling boxes swap places and a node or a long edge hops
//! over a whole sibling block where that saves crossings, and routes bend
//! around the margins a box keeps past its ranks.

pub mod acyclic;
mod layered;
pub mod order;
pub mod position;
pub mod rank;
pub mod route;

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    TB,
    BT,
    LR,
    RL,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ShapeKind {
    Rect,
    RoundRect,
    Stadium,
    Diamond,
    Circle,
    Ellipse,
    Hexagon,
    Cylinder,
    Parallelogram,
    Trapezoid,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CurveStyle {
    Smooth,
    Orthogonal,
    Straight,
}

#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LNode {
    pub width: f32,
    pub height: f32,
    pub shape: ShapeKind,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LEdge {
    pub from: usize,
    pub to: usize,
    /// Minimum number of ranks the edge spans (0 is treated as 1).
    pub min_len: u32,
    /// Width and height of the edge label box, if any.
    pub label_size: Option<(f32, f32)>,
    /// The edge starts at this cluster's box rather than at node `from`,
    /// which must then lie inside the cluster (it stands in for the
    /// cluster where a single node is needed, e.g. when the edge cannot be
    /// drawn to the box because the cluster is on a cycle with the other
    /// end). The cluster is ranked wholly before the other end.
    pub from_cluster: Option<usize>,
    /// Like `from_cluster`, for the target end.
    pub to_cluster: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LCluster {
    /// Direct member nodes (members of nested clusters are listed there).
    pub nodes: Vec<usize>,
    /// Index of the enclosing cluster.
    pub parent: Option<usize>,
    /// Width and height of the title, reserved at the top of the box.
    pub title_size: (f32, f32),
    /// Own direction; `None` inherits the parent's.
    pub direction: Option<Direction>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LayoutOptions {
    pub node_sep: f32,
    pub rank_sep: f32,
    pub edge_sep: f32,
    pub curve: CurveStyle,
    /// Cross-axis centre of each node in a previous layout (x for TB/BT, y
    /// for LR/RL), indexed like `nodes`. Used as the starting order so that
    /// small edits keep the picture stable; ignored when its length differs.
    pub previous_order: Option<Vec<f32>>,
    pub max_nodes: usize,
    pub max_edges: usize,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        LayoutOptions {
            node_sep: 50.0,
            rank_sep: 50.0,
            edge_sep: 10.0,
            curve: CurveStyle::Smooth,
            previous_order: None,
            max_nodes: 5_000,
            max_edges: 20_000,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct LayoutInput {
    pub direction: Direction,
    pub nodes: Vec<LNode>,
    pub edges: Vec<LEdge>,
    pub clusters: Vec<LCluster>,
    pub options: LayoutOptions,
}

/// Node placement: centre `x`,`y` and full size `w`,`h` (y grows down).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct NodeBox {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// Cluster rectangle: top-left `x`,`y` and size; the title sits at the top.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct ClusterBox {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct EdgeRoute {
    /// Polyline as drawn, from the source outline to the target outline
    /// (curves flattened, 8 points per cubic).
    pub points: Vec<Point>,
    /// Cubic chain `p0, c1, c2, p1, c1, c2, p2, ...` for smooth curves.
    pub bezier: Option<Vec<Point>>,
    /// Centre of the label box.
    pub label: Option<Point>,
    /// The engine drew this edge against the flow to break a cycle.
    pub reversed: bool,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Layout {
    pub width: f32,
    pub height: f32,
    pub nodes: Vec<NodeBox>,
    pub edges: Vec<EdgeRoute>,
    pub clusters: Vec<ClusterBox>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LayoutError {
    TooLarge {
        nodes: usize,
        edges: usize,
        limit: String,
    },
    InvalidEdge {
        index: usize,
    },
    /// A member index out of range, or a parent index out of range or
    /// forming a cycle.
    InvalidCluster {
        index: usize,
    },
    /// A size or spacing that is negative, NaN or infinite.
    InvalidSize {
        what: String,
    },
}

impl fmt::Display for LayoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LayoutError::TooLarge {
                nodes,
                edges,
                limit,
            } => write!(
                f,
                "diagram too large to lay out: {nodes} nodes, {edges} edges (limit {limit})"
            ),
            LayoutError::InvalidEdge { index } => {
                write!(
                    f,
                    "edge {index} refers to a node or subgraph that does not exist, \
                     or to a subgraph that does not hold its node"
                )
            }
            LayoutError::InvalidCluster { index } => {
                write!(f, "subgraph {index} has an invalid member or parent")
            }
            LayoutError::InvalidSize { what } => write!(f, "invalid size: {what}"),
        }
    }
}

impl std::error::Error for LayoutError {}

/// Padding between a cluster's border and its content.
pub(crate) const CLUSTER_PAD: f32 = 12.0;

/// Upper bound on dummy nodes (long edges times ranks crossed); beyond it
/// the layered graph would take too long to order, so the layout is refused.
pub(crate) const MAX_DUMMIES: usize = 200_000;

/// Lays out a flowchart. Deterministic: the same input gives the same output.
pub fn layout(input: &LayoutInput) -> Result<Layout, LayoutError> {
    validate(input)?;
    let deepest = layered::deepest_cluster(input);
    // An edge between a cluster and something inside it has no outside to
    // be drawn from: it runs between the stand-in nodes instead.
    let inward = |e: &LEdge| {
        e.from_cluster
            .is_some_and(|c| in_cluster(input, deepest[e.to], c))
            || e.to_cluster
                .is_some_and(|c| in_cluster(input, deepest[e.from], c))
    };
    if input.edges.iter().any(inward) {
        let mut plain = input.clone();
        for e in plain.edges.iter_mut() {
            if inward(e) {
                e.from_cluster = None;
                e.to_cluster = None;
            }
        }
        return layout_blocks(&plain);
    }
    layout_blocks(input)
}

fn validate(input: &LayoutInput) -> Result<(), LayoutError> {
    let o = &input.options;
    let (n, m) = (input.nodes.len(), input.edges.len());
    if n > o.max_nodes || m > o.max_edges {
        return Err(LayoutError::TooLarge {
            nodes: n,
            edges: m,
            limit: format!("{} nodes, {} edges", o.max_nodes, o.max_edges),
        });
    }
    let ok = |v: f32| (0.0..1.0e6).contains(&v);
    for (name, v) in [
        ("node_sep", o.node_sep),
        ("rank_sep", o.rank_sep),
        ("edge_sep", o.edge_sep),
    ] {
        if !ok(v) {
            return Err(LayoutError::InvalidSize {
                what: format!("{name} = {v}"),
            });
        }
    }
    for (i, nd) in input.nodes.iter().enumerate() {
        if !ok(nd.width) || !ok(nd.height) {
            return Err(LayoutError::InvalidSize {
                what: format!("node {i} is {} x {}", nd.width, nd.height),
            });
        }
    }
    for (i, e) in input.edges.iter().enumerate() {
        if e.from >= n || e.to >= n || e.min_len > 1000 {
            return Err(LayoutError::InvalidEdge { index: i });
        }
        if let Some((w, h)) = e.label_size {
            if !ok(w) || !ok(h) {
                return Err(LayoutError::InvalidSize {
                    what: format!("label of edge {i} is {w} x {h}"),
                });
            }
        }
    }
    let k = input.clusters.len();
    for (i, e) in input.edges.iter().enumerate() {
        if e.from_cluster.is_some_and(|c| c >= k) || e.to_cluster.is_some_and(|c| c >= k) {
            return Err(LayoutError::InvalidEdge { index: i });
        }
    }
    for (i, c) in input.clusters.iter().enumerate() {
        if c.nodes.iter().any(|&v| v >= n) || c.parent.is_some_and(|p| p >= k) {
            return Err(LayoutError::InvalidCluster { index: i });
        }
        if !ok(c.title_size.0) || !ok(c.title_size.1) {
            return Err(LayoutError::InvalidSize {
                what: format!("title of subgraph {i}"),
            });
        }
        let mut p = c.parent;
        let mut steps = 0;
        while let Some(q) = p {
            steps += 1;
            if q == i || steps > k {
                return Err(LayoutError::InvalidCluster { index: i });
            }
            p = input.clusters[q].parent;
        }
    }
    // Parents are acyclic now, so membership can be walked.
    let deepest = layered::deepest_cluster(input);
    for (i, e) in input.edges.iter().enumerate() {
        for (v, c) in [(e.from, e.from_cluster), (e.to, e.to_cluster)] {
            if let Some(c) = c {
                if !in_cluster(input, deepest[v], c) {
                    return Err(LayoutError::InvalidEdge { index: i });
                }
            }
        }
    }
    Ok(())
}

/// Whether cluster `inner` (a node's deepest cluster) is `c` or nested in it.
pub(crate) fn in_cluster(input: &LayoutInput, inner: Option<usize>, c: usize) -> bool {
    let mut cur = inner;
    let mut steps = 0;
    while let Some(d) = cur {
        if d == c {
            return true;
        }
        steps += 1;
        if steps > input.clusters.len() {
            return false;
        }
        cur = input.clusters[d].parent;
    }
    false
}

/// Splits off clusters with their own direction, lays them out recursively,
/// and places them as single nodes in the parent layout.
fn layout_blocks(input: &LayoutInput) -> Result<Layout, LayoutError> {
    let dir = input.direction;
    let k = input.clusters.len();
    let mut eff: Vec<Option<Direction>> = vec![None; k];
    fn effective(
        c: usize,
        cl: &[LCluster],
        dir: Direction,
        eff: &mut [Option<Direction>],
    ) -> Direction {
        if let Some(d) = eff[c] {
            return d;
        }
        let parent_dir = match cl[c].parent {
            Some(p) => effective(p, cl, dir, eff),
            None => dir,
        };
        let d = cl[c].direction.unwrap_or(parent_dir);
        eff[c] = Some(d);
        d
    }
    let effd: Vec<Direction> = (0..k)
        .map(|c| effective(c, &input.clusters, dir, &mut eff))
        .collect();
    let is_block: Vec<bool> = (0..k)
        .map(|c| {
            effd[c] != dir
                && match input.clusters[c].parent {
                    None => true,
                    Some(p) => effd[p] == dir,
                }
        })
        .collect();
    if !is_block.iter().any(|&b| b) {
        return layered::run(input);
    }
    // Which block (if any) contains each cluster and each node.
    let block_of_cluster: Vec<Option<usize>> = (0..k)
        .map(|c| {
            let mut cur = Some(c);
            while let Some(x) = cur {
                if is_block[x] {
                    return Some(x);
                }
                cur = input.clusters[x].parent;
            }
            None
        })
        .collect();
    let node_cluster = layered::deepest_cluster(input);
    let n = input.nodes.len();
    let block_of_node: Vec<Option<usize>> = (0..n)
        .map(|v| node_cluster[v].and_then(|c| block_of_cluster[c]))
        .collect();
    let blocks: Vec<usize> = (0..k).filter(|&c| is_block[c]).collect();
    // Recursive layouts.
    struct Sub {
        nodes: Vec<usize>,
        clusters: Vec<usize>,
        edges: Vec<usize>,
        layout: Layout,
        w: f32,
        h: f32,
    }
    let mut subs: Vec<Sub> = Vec::new();
    let mut block_index = vec![usize::MAX; k];
    for &b in &blocks {
        let nodes: Vec<usize> = (0..n).filter(|&v| block_of_node[v] == Some(b)).collect();
        let mut nmap = vec![usize::MAX; n];
        for (i, &v) in nodes.iter().enumerate() {
            nmap[v] = i;
        }
        let clusters: Vec<usize> = (0..k)
            .filter(|&c| c != b && block_of_cluster[c] == Some(b))
            .collect();
        let mut cmap = vec![usize::MAX; k];
        for (i, &c) in clusters.iter().enumerate() {
            cmap[c] = i;
        }
        let edges: Vec<usize> = (0..input.edges.len())
            .filter(|&i| {
                let e = &input.edges[i];
                block_of_node[e.from] == Some(b) && block_of_node[e.to] == Some(b)
            })
            .collect();
        let sub_input = LayoutInput {
            direction: effd[b],
            nodes: nodes.iter().map(|&v| input.nodes[v].clone()).collect(),
            edges: edges
                .iter()
                .map(|&i| {
                    let e = &input.edges[i];
                    // An end at the block itself or at a cluster around it
                    // holds both ends: the whole edge is drawn between the
                    // stand-in members, as `assign_ranks` does elsewhere.
                    let map = |c: Option<usize>| c.map(|c| cmap[c]);
                    let (fc, tc) = (map(e.from_cluster), map(e.to_cluster));
                    let (fc, tc) = if fc == Some(usize::MAX) || tc == Some(usize::MAX) {
                        (None, None)
                    } else {
                        (fc, tc)
                    };
                    LEdge {
                        from: nmap[e.from],
                        to: nmap[e.to],
                        from_cluster: fc,
                        to_cluster: tc,
                        ..e.clone()
                    }
                })
                .collect(),
            clusters: clusters
                .iter()
                .map(|&c| {
                    let cl = &input.clusters[c];
                    LCluster {
                        nodes: cl
                            .nodes
                            .iter()
                            .filter(|&&v| node_cluster[v] == Some(c))
                            .map(|&v| nmap[v])
                            .collect(),
                        parent: cl.parent.filter(|&p| p != b).map(|p| cmap[p]),
                        title_size: cl.title_size,
                        direction: cl.direction,
                    }
                })
                .collect(),
            options: LayoutOptions {
                previous_order: None,
                ..input.options.clone()
            },
        };
        let layout = layout_blocks(&sub_input)?;
        let (tw, th) = input.clusters[b].title_size;
        let w = layout.width.max(tw) + 2.0 * CLUSTER_PAD;
        let h = layout.height + 2.0 * CLUSTER_PAD + th;
        block_index[b] = subs.len();
        subs.push(Sub {
            nodes,
            clusters,
            edges,
            layout,
            w,
            h,
        });
    }
    // Parent graph: outside nodes, then one node per block.
    let outer_nodes: Vec<usize> = (0..n).filter(|&v| block_of_node[v].is_none()).collect();
    let mut pmap = vec![usize::MAX; n];
    for (i, &v) in outer_nodes.iter().enumerate() {
        pmap[v] = i;
    }
    let block_node = |b: usize| outer_nodes.len() + block_index[b];
    for v in 0..n {
        if let Some(b) = block_of_node[v] {
            pmap[v] = block_node(b);
        }
    }
    let outer_clusters: Vec<usize> = (0..k).filter(|&c| block_of_cluster[c].is_none()).collect();
    let mut ocmap = vec![usize::MAX; k];
    for (i, &c) in outer_clusters.iter().enumerate() {
        ocmap[c] = i;
    }
    let outer_edges: Vec<usize> = (0..input.edges.len())
        .filter(|&i| {
            let e = &input.edges[i];
            !(block_of_node[e.from].is_some() && block_of_node[e.from] == block_of_node[e.to])
        })
        .collect();
    let mut pnodes: Vec<LNode> = outer_nodes
        .iter()
        .map(|&v| input.nodes[v].clone())
        .collect();
    for s in &subs {
        pnodes.push(LNode {
            width: s.w,
            height: s.h,
            shape: ShapeKind::Rect,
        });
    }
    let pclusters: Vec<LCluster> = outer_clusters
        .iter()
        .map(|&c| {
            let cl = &input.clusters[c];
            let mut members: Vec<usize> = cl
                .nodes
                .iter()
                .filter(|&&v| node_cluster[v] == Some(c))
                .map(|&v| pmap[v])
                .collect();
            for &b in &blocks {
                if input.clusters[b].parent == Some(c) {
                    members.push(block_node(b));
                }
            }
            LCluster {
                nodes: members,
                parent: cl.parent.map(|p| ocmap[p]),
                title_size: cl.title_size,
                direction: None,
            }
        })
        .collect();
    let pinput = LayoutInput {
        direction: dir,
        nodes: pnodes,
        edges: outer_edges
            .iter()
            .map(|&i| {
                let e = &input.edges[i];
                // A block, or a cluster inside one, is reached through the
                // block's node; the route is continued afterwards.
                let outer = |c: Option<usize>| {
                    c.filter(|&c| block_of_cluster[c].is_none())
                        .map(|c| ocmap[c])
                };
                LEdge {
                    from: pmap[e.from],
                    to: pmap[e.to],
                    from_cluster: outer(e.from_cluster),
                    to_cluster: outer(e.to_cluster),
                    ..e.clone()
                }
            })
            .collect(),
        clusters: pclusters,
        options: LayoutOptions {
            previous_order: None,
            ..input.options.clone()
        },
    };
    let parent = layered::run(&pinput)?;
    // Assemble.
    let mut out = Layout {
        width: parent.width,
        height: parent.height,
        nodes: vec![NodeBox::default(); n],
        edges: vec![EdgeRoute::default(); input.edges.len()],
        clusters: vec![ClusterBox::default(); k],
    };
    for (i, &v) in outer_nodes.iter().enumerate() {
        out.nodes[v] = parent.nodes[i];
    }
    for (i, &c) in outer_clusters.iter().enumerate() {
        out.clusters[c] = parent.clusters[i];
    }
    for &b in &blocks {
        let s = &subs[block_index[b]];
        let bb = parent.nodes[block_node(b)];
        let (ox, oy) = (
            bb.x - bb.w / 2.0 + (bb.w - s.layout.width) / 2.0,
            bb.y - bb.h / 2.0 + CLUSTER_PAD + input.clusters[b].title_size.1,
        );
        out.clusters[b] = ClusterBox {
            x: bb.x - bb.w / 2.0,
            y: bb.y - bb.h / 2.0,
            w: bb.w,
            h: bb.h,
        };
        let mv = |p: Point| Point {
            x: p.x + ox,
            y: p.y + oy,
        };
        for (i, &v) in s.nodes.iter().enumerate() {
            let nb = s.layout.nodes[i];
            out.nodes[v] = NodeBox {
                x: nb.x + ox,
                y: nb.y + oy,
                ..nb
            };
        }
        for (i, &c) in s.clusters.iter().enumerate() {
            let cb = s.layout.clusters[i];
            out.clusters[c] = ClusterBox {
                x: cb.x + ox,
                y: cb.y + oy,
                ..cb
            };
        }
        for (i, &e) in s.edges.iter().enumerate() {
            let r = &s.layout.edges[i];
            out.edges[e] = EdgeRoute {
                points: r.points.iter().map(|&p| mv(p)).collect(),
                bezier: r
                    .bezier
                    .as_ref()
                    .map(|b| b.iter().map(|&p| mv(p)).collect()),
                label: r.label.map(mv),
                reversed: r.reversed,
            };
        }
    }
    for (i, &e) in outer_edges.iter().enumerate() {
        let mut r = parent.edges[i].clone();
        let ed = &input.edges[e];
        for (v, c, at_start) in [
            (ed.from, ed.from_cluster, true),
            (ed.to, ed.to_cluster, false),
        ] {
            let Some(b) = block_of_node[v] else { continue };
            match c {
                // The block's box is the cluster's box: the route ends there.
                Some(c) if c == b || block_of_cluster[c].is_none() => {}
                Some(c) => {
                    let cb = out.clusters[c];
                    let nb = NodeBox {
                        x: cb.x + cb.w / 2.0,
                        y: cb.y + cb.h / 2.0,
                        w: cb.w,
                        h: cb.h,
                    };
                    extend_into(&mut r, &nb, ShapeKind::Rect, at_start);
                }
                None => extend_into(&mut r, &out.nodes[v], input.nodes[v].shape, at_start),
            }
        }
        out.edges[e] = r;
    }
    Ok(out)
}

/// Continues a route that ends on a block's box straight to a member node.
fn extend_into(r: &mut EdgeRoute, nb: &NodeBox, shape: ShapeKind, at_start: bool) {
    let Some(&anchor) = (if at_start {
        r.points.first()
    } else {
        r.points.last()
    }) else {
        return;
    };
    let c = Point { x: nb.x, y: nb.y };
    let Some(end) = route::clip(shape, c, nb.w, nb.h, anchor) else {
        return;
    };
    let third = |t: f32| Point {
        x: anchor.x + (end.x - anchor.x) * t,
        y: anchor.y + (end.y - anchor.y) * t,
    };
    if at_start {
        r.points.insert(0, end);
        if let Some(b) = r.bezier.as_mut() {
            let piece = [end, third(2.0 / 3.0), third(1.0 / 3.0)];
            b.splice(0..0, piece);
        }
    } else {
        r.points.push(end);
        if let Some(b) = r.bezier.as_mut() {
            b.extend([third(1.0 / 3.0), third(2.0 / 3.0), end]);
        }
    }
}

#[cfg(test)]
mod tests;
