#![no_main]
//! Go source -> parse -> check -> run (small budgets) must never panic; the
//! simulator's own catch_unwind guard is bypassed by calling the stages.

use libfuzzer_sys::fuzz_target;
use strata_fuzz::sim;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(file) = sim::lang::parser::parse_file(src) else {
        return;
    };
    let Ok(prog) = sim::vm::compile::compile(&file, false) else {
        return;
    };
    let opts = sim::SimOptions {
        max_steps: 20_000,
        max_goroutines: 200,
        max_heap_bytes: 8 << 20,
        trace: true,
        ..sim::SimOptions::default()
    };
    let _ = sim::vm::interp::execute(prog, "fuzz.go", &opts);
});
