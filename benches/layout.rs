//! Layered layout timings on generated flowchart-like graphs: our engine
//! (`layout/N`) and, in the same group and run, the layout-rs crate on the
//! same graphs (`layout-rs/N`), so the ratio can be quoted.
//! Run: `cargo bench --bench layout`.

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind as RsShape};
use layout::topo::layout::VisualGraph;
use std::hint::black_box;
use std::time::Duration;
use strata::diagram::layout::{
    layout, Direction, LCluster, LEdge, LNode, LayoutInput, LayoutOptions, ShapeKind,
};

/// Small xorshift generator: the same graph on every run and machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Random layered DAG with about 1.5 edges per node, some long edges, a few
/// back edges (cycles), decision diamonds, labels and two clusters.
fn graph(n: usize, seed: u64) -> LayoutInput {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let layers = ((n as f64).sqrt() * 1.2).round().max(3.0) as usize;
    let layer_of: Vec<usize> = (0..n)
        .map(|i| if i < layers { i } else { rng.below(layers) })
        .collect();
    let mut by_layer: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for (v, &l) in layer_of.iter().enumerate() {
        by_layer[l].push(v);
    }
    let nodes: Vec<LNode> = (0..n)
        .map(|i| {
            let diamond = rng.below(6) == 0;
            let chars = 6 + rng.below(14);
            LNode {
                width: if diamond {
                    8.0 * chars as f32 + 56.0
                } else {
                    8.0 * chars as f32 + 24.0
                },
                height: if diamond { 64.0 } else { 40.0 },
                shape: if diamond {
                    ShapeKind::Diamond
                } else if i % 7 == 0 {
                    ShapeKind::RoundRect
                } else {
                    ShapeKind::Rect
                },
            }
        })
        .collect();
    let mut edges = Vec::new();
    for (v, &l) in layer_of.iter().enumerate() {
        if l > 0 {
            let ups = &by_layer[l - 1];
            let u = ups[rng.below(ups.len())];
            edges.push(LEdge {
                from: u,
                to: v,
                min_len: 1,
                label_size: if rng.below(10) == 0 {
                    Some((32.0, 18.0))
                } else {
                    None
                },
                from_cluster: None,
                to_cluster: None,
            });
        }
    }
    while edges.len() < n * 3 / 2 {
        let a = rng.below(n);
        let span = 1 + if rng.below(5) == 0 {
            rng.below(4) + 1
        } else {
            0
        };
        let target_layer = layer_of[a] + span;
        if target_layer >= layers {
            continue;
        }
        let cands = &by_layer[target_layer];
        let b = cands[rng.below(cands.len())];
        let back = rng.below(20) == 0;
        edges.push(LEdge {
            from: if back { b } else { a },
            to: if back { a } else { b },
            min_len: 1,
            label_size: None,
            from_cluster: None,
            to_cluster: None,
        });
    }
    let clusters = vec![
        LCluster {
            nodes: by_layer[1].iter().copied().take(3).collect(),
            parent: None,
            title_size: (80.0, 18.0),
            direction: None,
        },
        LCluster {
            nodes: by_layer[2].iter().copied().take(2).collect(),
            parent: Some(0),
            title_size: (60.0, 18.0),
            direction: None,
        },
    ];
    LayoutInput {
        direction: Direction::TB,
        nodes,
        edges,
        clusters,
        options: LayoutOptions::default(),
    }
}

/// The same graph for layout-rs: boxes of the same size (layout-rs grows a
/// box to fit its text, so the text is sized to match), the same edges and
/// edge labels. layout-rs has no clusters; their members are plain nodes.
fn layout_rs_graph(input: &LayoutInput) -> VisualGraph {
    let mut vg = VisualGraph::new(Orientation::TopToBottom);
    let handles: Vec<_> = input
        .nodes
        .iter()
        .map(|nd| {
            let chars = ((nd.width - 24.0) / 8.0).max(1.0) as usize;
            let shape = match nd.shape {
                ShapeKind::Diamond => RsShape::new_circle(&"x".repeat(chars)),
                _ => RsShape::new_box(&"x".repeat(chars)),
            };
            let size = Point::new(f64::from(nd.width), f64::from(nd.height));
            vg.add_node(Element::create(
                shape,
                StyleAttr::simple(),
                Orientation::TopToBottom,
                size,
            ))
        })
        .collect();
    for e in &input.edges {
        let text = if e.label_size.is_some() { "yes" } else { "" };
        vg.add_edge(Arrow::simple(text), handles[e.from], handles[e.to]);
    }
    vg
}

/// Drops everything layout-rs draws, so only its layout is timed.
struct Discard;

impl RenderBackend for Discard {
    fn draw_rect(
        &mut self,
        _xy: Point,
        _size: Point,
        _look: &StyleAttr,
        _properties: Option<String>,
        _clip: Option<ClipHandle>,
    ) {
    }

    fn draw_line(
        &mut self,
        _start: Point,
        _stop: Point,
        _look: &StyleAttr,
        _properties: Option<String>,
    ) {
    }

    fn draw_circle(
        &mut self,
        _xy: Point,
        _size: Point,
        _look: &StyleAttr,
        _properties: Option<String>,
    ) {
    }

    fn draw_text(&mut self, _xy: Point, _text: &str, _look: &StyleAttr) {}

    fn draw_arrow(
        &mut self,
        _path: &[(Point, Point)],
        _dashed: bool,
        _head: (bool, bool),
        _look: &StyleAttr,
        _properties: Option<String>,
        _text: &str,
    ) {
    }

    fn create_clip(&mut self, _xy: Point, _size: Point, _rounded_px: usize) -> ClipHandle {
        0
    }
}

/// layout-rs is timed up to this size: on 2,000 nodes one run takes far
/// longer than a benchmark can wait (layoutbench killed it after 900 s).
const LAYOUT_RS_MAX_NODES: usize = 500;

fn bench_layout(c: &mut Criterion) {
    let mut group = c.benchmark_group("layout");
    group.warm_up_time(Duration::from_millis(500));
    for &n in &[30usize, 200, 500, 2000] {
        let input = graph(n, n as u64);
        let samples = if n >= 2000 { 10 } else { 20 };
        group.sample_size(samples);
        group.measurement_time(Duration::from_secs(if n >= 2000 { 8 } else { 3 }));
        group.bench_with_input(BenchmarkId::new("ours", n), &input, |b, input| {
            b.iter(|| layout(black_box(input)).expect("benchmark graph lays out"))
        });
        if n <= LAYOUT_RS_MAX_NODES {
            group.sample_size(10);
            group.bench_with_input(BenchmarkId::new("layout-rs", n), &input, |b, input| {
                // Building the graph is setup; `do_it` consumes it.
                b.iter_batched(
                    || layout_rs_graph(input),
                    |mut vg| vg.do_it(false, false, false, &mut Discard),
                    BatchSize::LargeInput,
                )
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_layout);
criterion_main!(benches);
