//! Go-subset concurrency simulator: a deterministic, sandboxed interpreter for
//! the small Go programs found in notes about concurrency traps.
//!
//! Pipeline: `lang` (lexer, parser) -> `vm::compile` (checker + bytecode) ->
//! `vm::interp` (goroutines as explicit frame stacks, deterministic scheduler,
//! virtual clock) -> `SimResult` with stdout/stderr, exit code, a leak/deadlock
//! report and an event trace.

pub mod lang;
pub mod report;
pub mod runtime;
pub mod timeline;
pub mod trace;
pub mod vm;

use std::fmt;

pub use report::{GoroutineInfo, OpenFileInfo, Report};
pub use trace::{Event, EventKind, Trace};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum GoVersion {
    /// One loop variable per loop (Go <= 1.21 semantics).
    Go121,
    /// One loop variable per iteration (Go >= 1.22 semantics).
    #[default]
    Go122,
}

#[derive(Debug, Clone)]
pub struct SimOptions {
    pub go_version: GoVersion,
    pub seed: u64,
    pub max_steps: u64,
    pub max_goroutines: usize,
    pub max_heap_bytes: usize,
    pub fd_limit: usize,
    /// record events (`Trace`) for `--trace` and the simulator view
    pub trace: bool,
    /// with `trace`, also record an `EventKind::Line` each time a
    /// goroutine moves to another source line, for line-by-line stepping;
    /// costs an event per statement and disables the interpreter's fast path
    pub trace_lines: bool,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            go_version: GoVersion::Go122,
            seed: 1,
            max_steps: 50_000_000,
            max_goroutines: 1_000_000,
            max_heap_bytes: 512 * 1024 * 1024,
            fd_limit: 1024,
            trace: false,
            trace_lines: false,
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SimResult {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    pub report: Report,
    pub trace: Trace,
    pub steps: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SimDiagnostic {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for SimDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

fn diag(d: lang::Diag) -> SimDiagnostic {
    SimDiagnostic {
        line: d.pos.line as usize,
        col: d.pos.col as usize,
        message: d.msg,
    }
}

fn compile_src(src: &str, go121: bool, trace: bool) -> Result<vm::program::Program, SimDiagnostic> {
    let file = lang::parser::parse_file(src).map_err(diag)?;
    vm::compile::compile_traced(&file, go121, trace).map_err(diag)
}

/// Syntax errors, `unsupported: <construct>` and the type/name errors the
/// checker detects, without running the program.
pub fn check(src: &str, _filename: &str) -> Vec<SimDiagnostic> {
    let res = std::panic::catch_unwind(|| compile_src(src, false, false));
    match res {
        Ok(Ok(_)) => Vec::new(),
        Ok(Err(d)) => vec![d],
        Err(_) => vec![SimDiagnostic {
            line: 1,
            col: 1,
            message: "simulator: internal error while checking this program".into(),
        }],
    }
}

/// Runs a program in the simulator. Never panics on any input.
pub fn run(src: &str, filename: &str, opts: &SimOptions) -> SimResult {
    let go121 = opts.go_version == GoVersion::Go121;
    match compile_src(src, go121, opts.trace) {
        Err(d) => {
            let unsupported = d.message.starts_with("unsupported:");
            SimResult {
                stdout: String::new(),
                stderr: format!("{filename}:{d}\n"),
                // `go build` failures make `go run` exit with 1; rejected constructs use 3.
                exit_code: if unsupported { 3 } else { 1 },
                report: Report {
                    compile_error: Some(d.to_string()),
                    ..Report::default()
                },
                trace: Trace::default(),
                steps: 0,
            }
        }
        Ok(prog) => {
            // The interpreter is written not to panic; this guard turns any
            // remaining internal bug into a clear simulator error instead of
            // taking the host application down.
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                vm::interp::execute(prog, filename, opts)
            }));
            run.unwrap_or_else(|_| SimResult {
                stdout: String::new(),
                stderr: "simulator: internal error while running this program\n".into(),
                exit_code: 3,
                report: Report::default(),
                trace: Trace::default(),
                steps: 0,
            })
        }
    }
}

#[cfg(test)]
mod tests;
