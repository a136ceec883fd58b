//! A force-directed layout in the style of d3-force: springs along edges,
//! many-body repulsion approximated with a Barnes–Hut quadtree (O(n log n)
//! per step), a weak pull toward the origin so separate components stay in
//! view, and a cooling `alpha` so the layout settles and then stops.
//!
//! Everything runs in a fixed order on `f32`s, so one seed and one input
//! always give the same positions.

/// Tuning knobs; the defaults suit note graphs of a few to a few thousand
/// nodes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimParams {
    /// Repulsion between every pair of nodes (d3's many-body strength,
    /// positive = apart).
    pub repel: f32,
    /// Rest length of an edge.
    pub link_distance: f32,
    /// Multiplier on d3's default spring strength `1 / min(degree)`.
    pub link_strength: f32,
    /// Pull toward the origin, per unit of distance.
    pub gravity: f32,
    /// Barnes–Hut opening angle: larger is faster and coarser.
    pub theta: f32,
    /// Fraction of velocity lost per step.
    pub velocity_decay: f32,
    /// The layout counts as settled once alpha falls below this.
    pub alpha_min: f32,
    pub alpha_decay: f32,
    /// Repulsion is ignored beyond this distance (keeps far clusters from
    /// pushing each other out of view).
    pub max_distance: f32,
}

impl Default for SimParams {
    fn default() -> Self {
        SimParams {
            // Strong against the rest length: note graphs are dense (the
            // 21 samples have 80 links), and at 60 the springs packed nodes
            // into each other and their labels; 300 leaves about 50 px
            // between node rims when the samples are fitted to a window.
            repel: 300.0,
            link_distance: 40.0,
            link_strength: 1.0,
            gravity: 0.03,
            theta: 0.9,
            velocity_decay: 0.4,
            alpha_min: 0.002,
            // Reaches alpha_min from 1 in about 270 steps.
            alpha_decay: 1.0 - 0.002f32.powf(1.0 / 270.0),
            max_distance: 2_000.0,
        }
    }
}

/// Largest distance a node may move in one step; keeps a bad start (many
/// nodes on one spot) from throwing nodes to infinity.
const MAX_SPEED: f32 = 200.0;
/// Nodes per quadtree leaf before it splits.
const LEAF_SIZE: usize = 4;
const MAX_DEPTH: u32 = 24;
const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Quad {
    /// Centre of mass and number of nodes below.
    mx: f32,
    my: f32,
    count: f32,
    /// Side length of the cell.
    size: f32,
    children: [u32; 4],
    /// Range in `order` for leaves.
    start: u32,
    end: u32,
}

#[derive(Debug, Clone)]
pub struct Simulation {
    pos: Vec<[f32; 2]>,
    vel: Vec<[f32; 2]>,
    fixed: Vec<Option<[f32; 2]>>,
    edges: Vec<(u32, u32)>,
    /// Per edge: (strength, bias toward the source).
    springs: Vec<(f32, f32)>,
    params: SimParams,
    alpha: f32,
    alpha_target: f32,
    ticks: u64,
    quads: Vec<Quad>,
    order: Vec<u32>,
}

/// A small deterministic generator (no dependency, same on every platform).
struct Lcg(u64);

impl Lcg {
    fn unit(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 40) as f32) / ((1u64 << 24) as f32)
    }
}

impl Simulation {
    /// `n` nodes in a seeded sunflower spiral, edges as node index pairs
    /// (out-of-range ones are dropped).
    pub fn new(n: usize, edges: &[(u32, u32)], seed: u64, params: SimParams) -> Simulation {
        Simulation::warm(&vec![None; n], edges, seed, params, 1.0)
    }

    /// Starts from known positions where given (e.g. the previous layout
    /// before a filter changed); unknown nodes go next to a placed
    /// neighbour, else on the spiral. `alpha` is how hot to start: 1 for a
    /// fresh layout, ~0.3 to adjust one that mostly exists.
    pub fn warm(
        initial: &[Option<[f32; 2]>],
        edges: &[(u32, u32)],
        seed: u64,
        params: SimParams,
        alpha: f32,
    ) -> Simulation {
        let n = initial.len();
        let edges: Vec<(u32, u32)> = edges
            .iter()
            .copied()
            .filter(|&(a, b)| a != b && (a as usize) < n && (b as usize) < n)
            .collect();
        let mut degree = vec![0u32; n];
        for &(a, b) in &edges {
            degree[a as usize] += 1;
            degree[b as usize] += 1;
        }
        let springs = edges
            .iter()
            .map(|&(a, b)| {
                let (da, db) = (degree[a as usize] as f32, degree[b as usize] as f32);
                (params.link_strength / da.min(db), da / (da + db))
            })
            .collect();
        let mut rng = Lcg(seed ^ 0x9e37_79b9_7f4a_7c15);
        let angle0 = rng.unit() * std::f32::consts::TAU;
        let golden = std::f32::consts::PI * (3.0 - 5f32.sqrt());
        let spiral = |i: usize, rng: &mut Lcg| {
            let r = params.link_distance * 0.5 * (0.5 + i as f32).sqrt();
            let a = angle0 + i as f32 * golden;
            [
                r * a.cos() + rng.unit() - 0.5,
                r * a.sin() + rng.unit() - 0.5,
            ]
        };
        let mut pos: Vec<Option<[f32; 2]>> = initial
            .iter()
            .map(|p| p.filter(|p| p[0].is_finite() && p[1].is_finite()))
            .collect();
        let known = pos.iter().filter(|p| p.is_some()).count();
        if known > 0 {
            // Newcomers start beside a neighbour that already has a place,
            // so a filter change does not fling them in from the spiral.
            let mut adj = vec![Vec::new(); n];
            for &(a, b) in &edges {
                adj[a as usize].push(b);
                adj[b as usize].push(a);
            }
            for i in 0..n {
                if pos[i].is_none() {
                    if let Some(p) = adj[i].iter().find_map(|&j| pos[j as usize]) {
                        let a = rng.unit() * std::f32::consts::TAU;
                        let r = params.link_distance * 0.5;
                        pos[i] = Some([p[0] + r * a.cos(), p[1] + r * a.sin()]);
                    }
                }
            }
        }
        let mut k = known;
        let pos: Vec<[f32; 2]> = pos
            .into_iter()
            .map(|p| {
                p.unwrap_or_else(|| {
                    k += 1;
                    spiral(k - 1, &mut rng)
                })
            })
            .collect();
        Simulation {
            vel: vec![[0.0; 2]; n],
            fixed: vec![None; n],
            pos,
            edges,
            springs,
            params,
            alpha: alpha.clamp(0.0, 1.0),
            alpha_target: 0.0,
            ticks: 0,
            quads: Vec::new(),
            order: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.pos.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pos.is_empty()
    }

    pub fn positions(&self) -> &[[f32; 2]] {
        &self.pos
    }

    pub fn alpha(&self) -> f32 {
        self.alpha
    }

    pub fn ticks(&self) -> u64 {
        self.ticks
    }

    /// Cooled down and not held warm by a drag: stepping further changes
    /// nothing worth drawing.
    pub fn is_settled(&self) -> bool {
        self.alpha < self.params.alpha_min && self.alpha_target < self.params.alpha_min
    }

    /// Holds node `i` at `at` (a drag), or releases it with `None`.
    pub fn pin(&mut self, i: usize, at: Option<[f32; 2]>) {
        if let Some(f) = self.fixed.get_mut(i) {
            *f = at.filter(|p| p[0].is_finite() && p[1].is_finite());
        }
    }

    /// Keeps the layout warm (d3's `alphaTarget`) while something is being
    /// dragged, and reheats it to at least `target`.
    pub fn set_alpha_target(&mut self, target: f32) {
        self.alpha_target = target.clamp(0.0, 1.0);
        self.alpha = self.alpha.max(self.alpha_target);
    }

    pub fn reheat(&mut self, alpha: f32) {
        self.alpha = self.alpha.max(alpha.clamp(0.0, 1.0));
    }

    /// One step of the simulation. Does nothing once settled.
    pub fn step(&mut self) {
        if self.is_settled() || self.pos.is_empty() {
            return;
        }
        self.ticks += 1;
        self.alpha += (self.alpha_target - self.alpha) * self.params.alpha_decay;
        let alpha = self.alpha;
        self.links(alpha);
        self.build_tree();
        self.repel(alpha);
        let g = self.params.gravity * alpha;
        let keep = 1.0 - self.params.velocity_decay;
        for i in 0..self.pos.len() {
            let p = &mut self.pos[i];
            let v = &mut self.vel[i];
            if let Some(f) = self.fixed[i] {
                *p = f;
                *v = [0.0, 0.0];
                continue;
            }
            v[0] = (v[0] - p[0] * g) * keep;
            v[1] = (v[1] - p[1] * g) * keep;
            let speed2 = v[0] * v[0] + v[1] * v[1];
            if !speed2.is_finite() {
                *v = [0.0, 0.0];
            } else if speed2 > MAX_SPEED * MAX_SPEED {
                let s = MAX_SPEED / speed2.sqrt();
                v[0] *= s;
                v[1] *= s;
            }
            p[0] += v[0];
            p[1] += v[1];
        }
    }

    /// Steps until settled or `max_steps` were taken; returns steps taken.
    pub fn run(&mut self, max_steps: usize) -> usize {
        let mut n = 0;
        while n < max_steps && !self.is_settled() {
            self.step();
            n += 1;
        }
        n
    }

    fn links(&mut self, alpha: f32) {
        let d0 = self.params.link_distance;
        for (k, &(a, b)) in self.edges.iter().enumerate() {
            let (a, b) = (a as usize, b as usize);
            let (strength, bias) = self.springs[k];
            let mut dx = self.pos[b][0] + self.vel[b][0] - self.pos[a][0] - self.vel[a][0];
            let mut dy = self.pos[b][1] + self.vel[b][1] - self.pos[a][1] - self.vel[a][1];
            if dx == 0.0 && dy == 0.0 {
                // Coincident ends: nudge apart in a direction fixed by the
                // edge, not by chance.
                dx = 1e-3 * ((k % 7) as f32 - 3.0 + 0.5);
                dy = 1e-3 * ((k % 5) as f32 - 2.0 + 0.5);
            }
            let l = (dx * dx + dy * dy).sqrt();
            let f = (l - d0) / l * alpha * strength;
            let (fx, fy) = (dx * f, dy * f);
            self.vel[b][0] -= fx * bias;
            self.vel[b][1] -= fy * bias;
            self.vel[a][0] += fx * (1.0 - bias);
            self.vel[a][1] += fy * (1.0 - bias);
        }
    }

    fn build_tree(&mut self) {
        self.quads.clear();
        self.order.clear();
        self.order.extend(0..self.pos.len() as u32);
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for p in &self.pos {
            x0 = x0.min(p[0]);
            y0 = y0.min(p[1]);
            x1 = x1.max(p[0]);
            y1 = y1.max(p[1]);
        }
        let size = (x1 - x0).max(y1 - y0).max(1.0);
        let n = self.order.len();
        self.build_quad(0, n, x0, y0, size, 0);
    }

    /// Builds the cell at (x0, y0) of side `size` over `order[lo..hi]`,
    /// returning its index. Points are partitioned in place, so every
    /// cell's nodes are one contiguous range.
    fn build_quad(&mut self, lo: usize, hi: usize, x0: f32, y0: f32, size: f32, depth: u32) -> u32 {
        let me = self.quads.len() as u32;
        self.quads.push(Quad {
            mx: 0.0,
            my: 0.0,
            count: 0.0,
            size,
            children: [NONE; 4],
            start: lo as u32,
            end: hi as u32,
        });
        let (mut sx, mut sy) = (0.0f32, 0.0f32);
        for &i in &self.order[lo..hi] {
            sx += self.pos[i as usize][0];
            sy += self.pos[i as usize][1];
        }
        let count = (hi - lo) as f32;
        {
            let q = &mut self.quads[me as usize];
            q.count = count;
            q.mx = sx / count;
            q.my = sy / count;
        }
        if hi - lo <= LEAF_SIZE || depth >= MAX_DEPTH {
            return me;
        }
        let half = size / 2.0;
        let (cx, cy) = (x0 + half, y0 + half);
        let pos = &self.pos;
        let order = &mut self.order[lo..hi];
        let split_y = partition(order, |i| pos[i as usize][1] < cy);
        let split_x_top = partition(&mut order[..split_y], |i| pos[i as usize][0] < cx);
        let split_x_bottom = partition(&mut order[split_y..], |i| pos[i as usize][0] < cx);
        let bounds = [
            (lo, lo + split_x_top, x0, y0),
            (lo + split_x_top, lo + split_y, cx, y0),
            (lo + split_y, lo + split_y + split_x_bottom, x0, cy),
            (lo + split_y + split_x_bottom, hi, cx, cy),
        ];
        let mut children = [NONE; 4];
        for (c, &(a, b, qx, qy)) in bounds.iter().enumerate() {
            if a < b {
                children[c] = self.build_quad(a, b, qx, qy, half, depth + 1);
            }
        }
        self.quads[me as usize].children = children;
        me
    }

    fn repel(&mut self, alpha: f32) {
        if self.quads.is_empty() {
            return;
        }
        let theta2 = self.params.theta * self.params.theta;
        let max2 = self.params.max_distance * self.params.max_distance;
        let k = -self.params.repel * alpha;
        let mut stack: Vec<u32> = Vec::with_capacity(64);
        for i in 0..self.pos.len() {
            let [xi, yi] = self.pos[i];
            let (mut fx, mut fy) = (0.0f32, 0.0f32);
            stack.clear();
            stack.push(0);
            while let Some(qi) = stack.pop() {
                let q = &self.quads[qi as usize];
                let dx = q.mx - xi;
                let dy = q.my - yi;
                let l2 = dx * dx + dy * dy;
                let is_leaf = q.children == [NONE; 4];
                if q.size * q.size / theta2 < l2 && !is_leaf {
                    // Far enough: the whole cell acts as one body.
                    if l2 < max2 {
                        let w = k * q.count / l2.max(1.0);
                        fx += dx * w;
                        fy += dy * w;
                    }
                    continue;
                }
                if !is_leaf {
                    stack.extend(q.children.iter().copied().filter(|&c| c != NONE));
                    continue;
                }
                for &j in &self.order[q.start as usize..q.end as usize] {
                    let j = j as usize;
                    if j == i {
                        continue;
                    }
                    let mut dx = self.pos[j][0] - xi;
                    let mut dy = self.pos[j][1] - yi;
                    let mut l2 = dx * dx + dy * dy;
                    if l2 == 0.0 {
                        // Same spot: push apart along a pair-specific
                        // direction so they separate deterministically.
                        let a = ((i * 31 + j * 17) % 360) as f32 * std::f32::consts::PI / 180.0;
                        let s = if i < j { 1e-2 } else { -1e-2 };
                        dx = a.cos() * s;
                        dy = a.sin() * s;
                        l2 = dx * dx + dy * dy;
                    }
                    if l2 < max2 {
                        let w = k / l2.max(1.0);
                        fx += dx * w;
                        fy += dy * w;
                    }
                }
            }
            self.vel[i][0] += fx;
            self.vel[i][1] += fy;
        }
    }
}

/// Stable-enough in-place partition: elements satisfying `pred` first;
/// returns their count. Deterministic for a given input order.
fn partition(s: &mut [u32], pred: impl Fn(u32) -> bool) -> usize {
    let mut k = 0;
    for i in 0..s.len() {
        if pred(s[i]) {
            s.swap(i, k);
            k += 1;
        }
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ring(n: u32) -> Vec<(u32, u32)> {
        (0..n).map(|i| (i, (i + 1) % n)).collect()
    }

    fn dist(a: [f32; 2], b: [f32; 2]) -> f32 {
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
    }

    #[test]
    fn settles_within_a_bounded_number_of_steps() {
        let mut s = Simulation::new(200, &ring(200), 1, SimParams::default());
        assert!(!s.is_settled());
        let steps = s.run(10_000);
        assert!(s.is_settled());
        assert!(steps < 400, "{steps} steps");
        let before = s.positions().to_vec();
        s.step();
        assert_eq!(before, s.positions(), "a settled layout no longer moves");
    }

    #[test]
    fn deterministic_for_a_seed_and_different_across_seeds() {
        let edges = ring(50);
        let run = |seed| {
            let mut s = Simulation::new(50, &edges, seed, SimParams::default());
            s.run(100);
            s.positions().to_vec()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn edges_pull_together_and_others_push_apart() {
        // Two linked pairs: linked nodes end near the rest length, the
        // pairs themselves further apart than that.
        let mut s = Simulation::new(4, &[(0, 1), (2, 3)], 3, SimParams::default());
        s.run(1_000);
        let p = s.positions();
        let d = SimParams::default().link_distance;
        assert!(dist(p[0], p[1]) < 2.0 * d, "{}", dist(p[0], p[1]));
        assert!(dist(p[0], p[1]) > 0.3 * d);
        let c01 = [(p[0][0] + p[1][0]) / 2.0, (p[0][1] + p[1][1]) / 2.0];
        let c23 = [(p[2][0] + p[3][0]) / 2.0, (p[2][1] + p[3][1]) / 2.0];
        assert!(dist(c01, c23) > dist(p[0], p[1]));
    }

    #[test]
    fn coincident_start_separates() {
        let initial = vec![Some([5.0, 5.0]); 30];
        let mut s = Simulation::warm(&initial, &[], 0, SimParams::default(), 1.0);
        s.run(500);
        let p = s.positions();
        for i in 0..p.len() {
            for j in i + 1..p.len() {
                assert!(dist(p[i], p[j]) > 1.0, "{i} and {j} still overlap");
            }
        }
    }

    #[test]
    fn warm_start_keeps_known_positions_and_places_newcomers_nearby() {
        let initial = vec![Some([1000.0, 0.0]), None, Some([-1000.0, 0.0])];
        let s = Simulation::warm(&initial, &[(0, 1)], 0, SimParams::default(), 0.3);
        assert_eq!(s.positions()[0], [1000.0, 0.0]);
        assert!(dist(s.positions()[1], [1000.0, 0.0]) <= SimParams::default().link_distance);
        assert_eq!(s.alpha(), 0.3);
    }

    #[test]
    fn pinned_nodes_stay_and_target_keeps_it_warm() {
        let mut s = Simulation::new(10, &ring(10), 0, SimParams::default());
        s.run(10_000);
        s.pin(3, Some([500.0, 500.0]));
        s.set_alpha_target(0.3);
        for _ in 0..50 {
            s.step();
        }
        assert!(!s.is_settled());
        assert_eq!(s.positions()[3], [500.0, 500.0]);
        s.pin(3, None);
        s.set_alpha_target(0.0);
        s.run(10_000);
        assert!(s.is_settled());
        // Out of range and non-finite pins are ignored.
        s.pin(99, Some([0.0, 0.0]));
        s.pin(0, Some([f32::NAN, 0.0]));
        s.reheat(0.5);
        s.step();
        assert!(s.positions()[0][0].is_finite());
    }

    #[test]
    fn barnes_hut_is_close_to_exact_repulsion() {
        // With theta = 0 every pair is visited exactly.
        let edges = ring(300);
        let exact = SimParams {
            theta: 0.0,
            ..SimParams::default()
        };
        let mut a = Simulation::new(300, &edges, 5, exact);
        let mut b = Simulation::new(300, &edges, 5, SimParams::default());
        a.step();
        b.step();
        let mut worst = 0.0f32;
        for i in 0..300 {
            let va = a.vel[i];
            let vb = b.vel[i];
            let mag = (va[0].hypot(va[1])).max(1e-3);
            worst = worst.max(dist(va, vb) / mag);
        }
        assert!(worst < 0.25, "relative error {worst}");
    }

    #[test]
    fn empty_and_single_node() {
        let mut s = Simulation::new(0, &[], 0, SimParams::default());
        s.run(10);
        assert!(s.is_empty());
        let mut s = Simulation::new(1, &[(0, 0), (0, 5)], 0, SimParams::default());
        s.run(1_000);
        assert!(s.is_settled());
        assert!(s.positions()[0][0].is_finite());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn positions_stay_finite_and_it_settles(
            n in 1usize..120,
            raw in prop::collection::vec((0u32..120, 0u32..120), 0..300),
            seed in any::<u64>(),
        ) {
            let mut s = Simulation::new(n, &raw, seed, SimParams::default());
            s.run(2_000);
            prop_assert!(s.is_settled());
            for p in s.positions() {
                prop_assert!(p[0].is_finite() && p[1].is_finite());
                prop_assert!(p[0].abs() < 1e6 && p[1].abs() < 1e6);
            }
        }
    }
}
