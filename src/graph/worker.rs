//! Runs a [`Simulation`] on its own thread and publishes positions, so the
//! UI thread only draws. The worker sleeps once the layout has settled and
//! wakes on the next command; `wake` is called after each publish (the UI
//! passes "request a repaint"), so nothing polls.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::sim::Simulation;

/// Positions of one layout job at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutFrame {
    /// The job these positions belong to (see [`LayoutWorker::start`]).
    pub job: u64,
    pub positions: Vec<[f32; 2]>,
    pub settled: bool,
    pub ticks: u64,
}

enum Command {
    Start(u64, Box<Simulation>),
    Pin {
        job: u64,
        node: usize,
        at: Option<[f32; 2]>,
    },
    Stop,
}

type Wake = Box<dyn Fn() + Send>;

pub struct LayoutWorker {
    tx: Sender<Command>,
    latest: Arc<Mutex<Option<Arc<LayoutFrame>>>>,
    handle: Option<JoinHandle<()>>,
}

/// Publishing more often than a display refreshes only costs copies.
const PUBLISH_EVERY: Duration = Duration::from_millis(15);

impl LayoutWorker {
    /// Spawns the worker thread. `wake` runs on that thread after every
    /// publish.
    pub fn spawn(wake: impl Fn() + Send + 'static) -> std::io::Result<LayoutWorker> {
        let (tx, rx) = mpsc::channel();
        let latest = Arc::new(Mutex::new(None));
        let shared = Arc::clone(&latest);
        let wake: Wake = Box::new(wake);
        let handle = std::thread::Builder::new()
            .name("graph-layout".into())
            .spawn(move || run(rx, shared, wake))?;
        Ok(LayoutWorker {
            tx,
            latest,
            handle: Some(handle),
        })
    }

    /// Replaces whatever the worker was laying out. Frames of older jobs
    /// stop appearing once this one has published.
    pub fn start(&self, job: u64, sim: Simulation) {
        let _ = self.tx.send(Command::Start(job, Box::new(sim)));
    }

    /// Holds a node of `job` at `at` while dragging (keeps the layout
    /// warm), or releases it with `None` (lets it cool down again).
    pub fn pin(&self, job: u64, node: usize, at: Option<[f32; 2]>) {
        let _ = self.tx.send(Command::Pin { job, node, at });
    }

    /// The most recently published frame, if any.
    pub fn latest(&self) -> Option<Arc<LayoutFrame>> {
        self.latest.lock().ok().and_then(|g| g.clone())
    }

    /// Blocks until a settled frame of `job` is published or `timeout`
    /// passes (tests and benchmarks).
    pub fn wait_settled(&self, job: u64, timeout: Duration) -> Option<Arc<LayoutFrame>> {
        let end = Instant::now() + timeout;
        while Instant::now() < end {
            if let Some(f) = self.latest().filter(|f| f.job == job && f.settled) {
                return Some(f);
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        None
    }
}

impl Drop for LayoutWorker {
    fn drop(&mut self) {
        let _ = self.tx.send(Command::Stop);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn run(rx: Receiver<Command>, latest: Arc<Mutex<Option<Arc<LayoutFrame>>>>, wake: Wake) {
    let mut current: Option<(u64, Box<Simulation>)> = None;
    let mut last_publish = Instant::now();
    let mut dirty = false;
    loop {
        let idle = current.as_ref().is_none_or(|(_, s)| s.is_settled()) && !dirty;
        // While idle, block; while running, only drain what is queued.
        let cmd = if idle {
            match rx.recv() {
                Ok(c) => Some(c),
                Err(_) => return,
            }
        } else {
            match rx.recv_timeout(Duration::ZERO) {
                Ok(c) => Some(c),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        };
        match cmd {
            Some(Command::Stop) => return,
            Some(Command::Start(job, sim)) => {
                current = Some((job, sim));
                // Publish the starting positions at once so the view has
                // something to draw before the first batch of steps.
                dirty = true;
                last_publish = Instant::now() - PUBLISH_EVERY;
            }
            Some(Command::Pin { job, node, at }) => {
                if let Some((j, sim)) = current.as_mut().filter(|(j, _)| *j == job) {
                    let _ = j;
                    sim.pin(node, at);
                    sim.set_alpha_target(if at.is_some() { 0.3 } else { 0.0 });
                    dirty = true;
                }
            }
            None => {}
        }
        if let Some((job, sim)) = current.as_mut() {
            if !sim.is_settled() {
                sim.step();
                dirty = true;
            }
            let settled = sim.is_settled();
            if dirty && (settled || last_publish.elapsed() >= PUBLISH_EVERY) {
                let frame = LayoutFrame {
                    job: *job,
                    positions: sim.positions().to_vec(),
                    settled,
                    ticks: sim.ticks(),
                };
                if let Ok(mut g) = latest.lock() {
                    *g = Some(Arc::new(frame));
                }
                last_publish = Instant::now();
                dirty = false;
                wake();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::SimParams;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn ring(n: u32) -> Vec<(u32, u32)> {
        (0..n).map(|i| (i, (i + 1) % n)).collect()
    }

    #[test]
    fn publishes_the_same_result_as_stepping_inline_then_sleeps() {
        let wakes = Arc::new(AtomicUsize::new(0));
        let w = Arc::clone(&wakes);
        let worker = LayoutWorker::spawn(move || {
            w.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
        let sim = Simulation::new(100, &ring(100), 9, SimParams::default());
        let mut inline = sim.clone();
        inline.run(100_000);
        worker.start(1, sim);
        let f = worker
            .wait_settled(1, Duration::from_secs(30))
            .expect("settles");
        assert_eq!(f.positions, inline.positions());
        assert_eq!(f.ticks, inline.ticks());
        let n = wakes.load(Ordering::SeqCst);
        assert!(n >= 1);
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(wakes.load(Ordering::SeqCst), n, "no wake-ups once settled");
    }

    #[test]
    fn a_new_job_replaces_the_old_and_pins_apply_to_their_job_only() {
        let worker = LayoutWorker::spawn(|| {}).unwrap();
        worker.start(1, Simulation::new(500, &ring(500), 1, SimParams::default()));
        worker.start(2, Simulation::new(20, &ring(20), 1, SimParams::default()));
        // A pin for the replaced job must not touch job 2.
        worker.pin(1, 0, Some([1e4, 1e4]));
        let f = worker
            .wait_settled(2, Duration::from_secs(30))
            .expect("settles");
        assert_eq!(f.positions.len(), 20);
        assert!(f.positions[0][0] < 1e3);
        worker.pin(2, 0, Some([300.0, 0.0]));
        let end = Instant::now() + Duration::from_secs(10);
        loop {
            let f = worker.latest().unwrap();
            if f.positions[0] == [300.0, 0.0] && !f.settled {
                break;
            }
            assert!(Instant::now() < end, "pin never published");
            std::thread::sleep(Duration::from_millis(2));
        }
        worker.pin(2, 0, None);
        assert!(worker.wait_settled(2, Duration::from_secs(30)).is_some());
    }
}
