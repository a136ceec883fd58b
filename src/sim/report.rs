//! End-of-run report: leaked goroutines, open files, deadlock cause, budgets.

use std::fmt;

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct GoroutineInfo {
    pub id: usize,
    /// Go's wait reason, e.g. "chan receive", "sync.WaitGroup.Wait", "sleep"
    pub wait_reason: String,
    pub blocked_line: usize,
    pub created_line: usize,
    pub function: String,
}

impl GoroutineInfo {
    /// Parked on something (a channel, a lock, a WaitGroup…) rather than
    /// runnable or sleeping: when main returns, only these are leaks. The
    /// others were still working and simply die with the process.
    pub fn is_blocked(&self) -> bool {
        !matches!(self.wait_reason.as_str(), "runnable" | "running" | "sleep")
    }
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct OpenFileInfo {
    pub fd: i64,
    pub name: String,
    pub opened_line: usize,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Report {
    /// goroutines still alive when the program ended (main excluded when it returned)
    pub goroutines: Vec<GoroutineInfo>,
    /// total number of goroutines alive at exit (the list above may be truncated)
    pub leaked: usize,
    /// how many of `leaked` were blocked (see [`GoroutineInfo::is_blocked`])
    pub blocked: usize,
    pub open_files: Vec<OpenFileInfo>,
    pub deadlock: Option<String>,
    pub budget_exceeded: Option<String>,
    pub panic: Option<String>,
    pub compile_error: Option<String>,
    pub virtual_time_ns: i64,
    pub max_goroutines_alive: usize,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "== simulator report ==")?;
        if let Some(e) = &self.compile_error {
            writeln!(f, "compile error: {e}")?;
        }
        if let Some(d) = &self.deadlock {
            writeln!(f, "deadlock: {d}")?;
        }
        if let Some(p) = &self.panic {
            writeln!(f, "panic: {p}")?;
        }
        if let Some(b) = &self.budget_exceeded {
            writeln!(f, "budget exceeded: {b}")?;
        }
        writeln!(
            f,
            "virtual time: {}",
            crate::sim::runtime::fmt::format_duration(self.virtual_time_ns)
        )?;
        writeln!(f, "peak goroutines: {}", self.max_goroutines_alive)?;
        if self.leaked == 0 {
            writeln!(f, "goroutines alive at exit: none")?;
        } else {
            writeln!(
                f,
                "goroutines alive at exit: {} ({} blocked)",
                self.leaked, self.blocked
            )?;
            for g in &self.goroutines {
                writeln!(
                    f,
                    "  goroutine {} [{}] {} blocked at line {}, created at line {}",
                    g.id, g.wait_reason, g.function, g.blocked_line, g.created_line
                )?;
            }
            if self.goroutines.len() < self.leaked {
                writeln!(f, "  ... and {} more", self.leaked - self.goroutines.len())?;
            }
        }
        if self.open_files.is_empty() {
            writeln!(f, "open files at exit: none")?;
        } else {
            writeln!(f, "open files at exit: {}", self.open_files.len())?;
            for o in &self.open_files {
                writeln!(
                    f,
                    "  fd {} {} opened at line {}",
                    o.fd, o.name, o.opened_line
                )?;
            }
        }
        Ok(())
    }
}
