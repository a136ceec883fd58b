// Simulator throughput: a tight loop with tracing off and on (the loop body
// and post statement are 2 statements per iteration), and the time to run and
// report a program that leaks 100,000 goroutines.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
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

criterion_group!(benches, bench_statements, bench_leak);
criterion_main!(benches);
