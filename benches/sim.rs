// Simulator throughput: a tight loop with tracing off and on (the loop body
// and post statement are 2 statements per iteration), the time to run and
// report a program that leaks 100,000 goroutines, and time travel: building
// a Timeline from a run of over 1 M events, seeking to random points of it
// and playing it forward, with 100 and with 10,000 goroutines alive.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use strata::sim::timeline::Timeline;
use strata::sim::{run, SimOptions};

const ITERS: u64 = 1_000_000;

fn tight_loop_src() -> String {
    format!("package main\n\nimport \"fmt\"\n\nfunc main() {{\n\tsum := 0\n\tfor i := 0; i < {ITERS}; i++ {{\n\t\tsum += i\n\t}}\n\tfmt.Println(sum)\n}}\n")
}

const LEAK_SRC: &str = "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tch := make(chan int)\n\tfor i := 0; i < 100000; i++ {\n\t\tgo func() {\n\t\t\tch <- i\n\t\t}()\n\t}\n\tfor j := 0; j < 10; j++ {\n\t\t<-ch\n\t}\n\tfmt.Println(\"done\")\n}\n";

fn bench_statements(c: &mut Criterion) {
    let src = tight_loop_src();
    let mut group = c.benchmark_group("sim_statements");
    group.sample_size(10);
    group.throughput(Throughput::Elements(2 * ITERS));
    for trace in [false, true] {
        let opts = SimOptions {
            trace,
            max_steps: u64::MAX,
            ..SimOptions::default()
        };
        let name = if trace {
            "tight_loop_trace_on"
        } else {
            "tight_loop_trace_off"
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                let r = run(&src, "bench.go", &opts);
                assert_eq!(r.exit_code, 0);
                r.steps
            })
        });
    }
    group.finish();
}

fn bench_leak(c: &mut Criterion) {
    let mut group = c.benchmark_group("sim_leak");
    group.sample_size(10);
    group.bench_function("leak_100k_goroutines", |b| {
        b.iter(|| {
            let r = run(LEAK_SRC, "leak.go", &SimOptions::default());
            assert_eq!(r.report.leaked, 100_000);
            r.report.to_string().len()
        })
    });
    group.finish();
}

/// Workers taking jobs from a buffered channel, each job a call, a lock and
/// an unlock: about ten events per job.
fn worker_pool_src(workers: usize, jobs: usize) -> String {
    format!(
        "package main\n\nimport (\n\t\"fmt\"\n\t\"sync\"\n)\n\nfunc work(n int) int {{ return n * 2 }}\n\n\
         func main() {{\n\tjobs := make(chan int, 100)\n\tvar wg sync.WaitGroup\n\tvar mu sync.Mutex\n\ttotal := 0\n\
         \tfor w := 0; w < {workers}; w++ {{\n\t\twg.Add(1)\n\t\tgo func() {{\n\t\t\tdefer wg.Done()\n\
         \t\t\tfor j := range jobs {{\n\t\t\t\tr := work(j)\n\t\t\t\tmu.Lock()\n\t\t\t\ttotal += r\n\t\t\t\tmu.Unlock()\n\
         \t\t\t}}\n\t\t}}()\n\t}}\n\tfor i := 0; i < {jobs}; i++ {{\n\t\tjobs <- i\n\t}}\n\tclose(jobs)\n\twg.Wait()\n\
         \tfmt.Println(total)\n}}\n"
    )
}

fn traced_run(workers: usize, jobs: usize) -> strata::sim::SimResult {
    let opts = SimOptions {
        trace: true,
        ..SimOptions::default()
    };
    let r = run(&worker_pool_src(workers, jobs), "pool.go", &opts);
    assert_eq!(r.exit_code, 0, "{}", r.stderr);
    assert!(
        r.trace.events.len() >= 1_000_000,
        "{} events",
        r.trace.events.len()
    );
    assert!(!r.trace.truncated);
    r
}

fn bench_seek(c: &mut Criterion) {
    let mut group = c.benchmark_group("sim_timeline");
    group.sample_size(10);
    let small = traced_run(100, 120_000);
    group.bench_function("timeline_new_1m_events_100_goroutines", |b| {
        b.iter_batched(
            || small.clone(),
            |r| Timeline::new(r).len(),
            BatchSize::PerIteration,
        )
    });
    for (name, result) in [
        ("seek_random_1m_events_100_goroutines", small),
        (
            "seek_random_1m_events_10k_goroutines",
            traced_run(10_000, 110_000),
        ),
    ] {
        let tl = Timeline::new(result);
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        group.bench_function(name, |b| {
            b.iter(|| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let at = (x % (tl.len() as u64 + 1)) as usize;
                tl.snapshot(at).alive
            })
        });
        // Playback: the simulator view moves its snapshot forward in place.
        let step_name = name.replace("seek_random", "play_64_events");
        let mut s = tl.snapshot(0);
        group.bench_function(step_name.as_str(), |b| {
            b.iter(|| {
                let to = if s.at + 64 > tl.len() { 0 } else { s.at + 64 };
                tl.seek(&mut s, to);
                s.alive
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_statements, bench_leak, bench_seek);
criterion_main!(benches);
