//! Log file, crash reports and unclean-exit detection for the GUI.
//!
//! Everything lives in `<data dir>/logs/` (e.g. `~/.local/share/strata/logs`
//! on Linux): `strata.log` rotated at 1 MB keeping three files, a
//! `crash-<UTC time>.txt` per panic, and `session` while a window is open.
//! A `session` file found at start-up that belongs to no running process
//! means the last run ended without closing its window: the app then says
//! so and points at the newest crash report. Panics that the code catches
//! on purpose (layout-rs on hostile DOT) still leave a report, but only an
//! unclean exit raises the notice.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

pub const LOG_NAME: &str = "strata.log";
/// Rotate when the current file would grow past this.
pub const MAX_LOG_BYTES: u64 = 1024 * 1024;
/// Files kept in total: `strata.log`, `strata.log.1`, `strata.log.2`.
pub const KEEP_LOGS: usize = 3;
/// Crash reports kept; older ones are removed when a new one is written.
const KEEP_CRASHES: usize = 5;
const SESSION_NAME: &str = "session";

/// `<data dir>/logs`, or `None` on a platform without a home directory.
pub fn log_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("dev", "Strata", "Strata").map(|d| d.data_dir().join("logs"))
}

/// A log file that rotates by size: `name` → `name.1` → … → `name.<keep-1>`.
pub struct RotatingFile {
    dir: PathBuf,
    name: String,
    max_bytes: u64,
    keep: usize,
    file: Option<File>,
    size: u64,
}

impl RotatingFile {
    pub fn new(dir: &Path, name: &str, max_bytes: u64, keep: usize) -> RotatingFile {
        RotatingFile {
            dir: dir.to_path_buf(),
            name: name.to_owned(),
            max_bytes,
            keep: keep.max(1),
            file: None,
            size: 0,
        }
    }

    fn path(&self, n: usize) -> PathBuf {
        if n == 0 {
            self.dir.join(&self.name)
        } else {
            self.dir.join(format!("{}.{n}", self.name))
        }
    }

    fn open(&mut self) -> io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.path(0))?;
        self.size = f.metadata()?.len();
        self.file = Some(f);
        Ok(())
    }

    fn rotate(&mut self) -> io::Result<()> {
        self.file = None;
        let oldest = self.path(self.keep - 1);
        if oldest.exists() {
            std::fs::remove_file(&oldest)?;
        }
        for n in (0..self.keep - 1).rev() {
            let from = self.path(n);
            if from.exists() {
                std::fs::rename(&from, self.path(n + 1))?;
            }
        }
        self.open()
    }

    /// Appends `line` (a newline is added), rotating first if it would not fit.
    pub fn write_line(&mut self, line: &str) -> io::Result<()> {
        if self.file.is_none() {
            self.open()?;
        }
        let len = line.len() as u64 + 1;
        if self.size > 0 && self.size + len > self.max_bytes {
            self.rotate()?;
        }
        if let Some(f) = self.file.as_mut() {
            f.write_all(line.as_bytes())?;
            f.write_all(b"\n")?;
            self.size += len;
        }
        Ok(())
    }
}

struct FileLogger {
    out: Mutex<RotatingFile>,
    level: log::LevelFilter,
}

impl log::Log for FileLogger {
    fn enabled(&self, meta: &log::Metadata) -> bool {
        // Dependencies (wgpu, winit, naga) are chatty at info; keep their warnings only.
        meta.level() <= self.level
            && (meta.target().starts_with("strata") || meta.level() <= log::Level::Warn)
    }

    fn log(&self, record: &log::Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let line = format!(
            "{} {:5} {}: {}",
            utc_timestamp(SystemTime::now()),
            record.level(),
            record.target(),
            record.args()
        );
        if let Ok(mut out) = self.out.lock() {
            // A full disk must not take the app down; the line is dropped.
            let _ = out.write_line(&line);
        }
    }

    fn flush(&self) {
        if let Ok(mut out) = self.out.lock() {
            if let Some(f) = out.file.as_mut() {
                let _ = f.flush();
            }
        }
    }
}

/// What `init` found about the previous run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LastRun {
    /// The previous window did not close normally (crash, kill, power loss).
    pub unclean_exit: bool,
    /// The newest crash report written since that run began, if any.
    pub crash_report: Option<PathBuf>,
}

/// Installs the file logger and the crash-report panic hook, and checks how
/// the previous run ended. Call once, before the window opens. The level is
/// `info` unless `STRATA_LOG` names another (`error` … `trace`).
pub fn init(dir: &Path) -> LastRun {
    let level = std::env::var("STRATA_LOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(log::LevelFilter::Info);
    let logger = FileLogger {
        out: Mutex::new(RotatingFile::new(dir, LOG_NAME, MAX_LOG_BYTES, KEEP_LOGS)),
        level,
    };
    if log::set_boxed_logger(Box::new(logger)).is_ok() {
        log::set_max_level(level);
    }
    install_panic_hook(dir.to_path_buf());
    let last = begin_session(dir);
    log::info!(
        "Strata {} starting; previous run {}",
        env!("CARGO_PKG_VERSION"),
        if last.unclean_exit {
            "ended unexpectedly"
        } else {
            "closed normally"
        }
    );
    last
}

/// Marks a normal exit: the next start will not report a crash.
pub fn end_session(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(SESSION_NAME));
    log::info!("window closed normally");
    log::logger().flush();
}

fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc_dir = Path::new("/proc");
    // Where /proc is missing (macOS, Windows) a leftover session file is
    // taken as a crash: a second window still open is the rarer case.
    proc_dir.is_dir() && proc_dir.join(pid.to_string()).exists()
}

/// Reads the previous `session` file and writes this run's.
pub fn begin_session(dir: &Path) -> LastRun {
    let session = dir.join(SESSION_NAME);
    let mut last = LastRun::default();
    if let Ok(text) = std::fs::read_to_string(&session) {
        let pid = text.trim().parse::<u32>().ok();
        if !pid.is_some_and(process_alive) {
            last.unclean_exit = true;
            let since = std::fs::metadata(&session)
                .and_then(|m| m.modified())
                .unwrap_or(UNIX_EPOCH);
            last.crash_report = crash_reports(dir)
                .into_iter()
                .filter(|(t, _)| *t >= since)
                .max_by_key(|(t, _)| *t)
                .map(|(_, p)| p);
        }
    }
    if std::fs::create_dir_all(dir).is_ok() {
        let _ = std::fs::write(&session, std::process::id().to_string());
    }
    last
}

fn crash_reports(dir: &Path) -> Vec<(SystemTime, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.starts_with("crash-") && n.ends_with(".txt")
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect()
}

/// The text of a crash report.
pub fn crash_report_text(
    message: &str,
    location: &str,
    thread: &str,
    backtrace: &str,
    now: SystemTime,
) -> String {
    format!(
        "Strata crash report\n\
         version: {}\n\
         time: {}\n\
         os: {} {}\n\
         thread: {thread}\n\
         location: {location}\n\
         message: {message}\n\
         \n\
         Unsaved edits are kept in each vault's .strata/recovery/ folder and\n\
         are offered back the next time that vault is opened.\n\
         \n\
         backtrace:\n{backtrace}\n",
        env!("CARGO_PKG_VERSION"),
        utc_timestamp(now),
        std::env::consts::OS,
        std::env::consts::ARCH,
    )
}

/// Writes a crash report to `dir` and prunes old ones; returns its path.
pub fn write_crash_report(dir: &Path, text: &str, now: SystemTime) -> io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let stamp: String = utc_timestamp(now)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let mut path = dir.join(format!("crash-{stamp}.txt"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("crash-{stamp}-{n}.txt"));
    }
    let mut f = File::create(&path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    let mut reports = crash_reports(dir);
    reports.sort();
    let excess = reports.len().saturating_sub(KEEP_CRASHES);
    for (_, old) in reports.into_iter().take(excess) {
        if old != path {
            let _ = std::fs::remove_file(old);
        }
    }
    Ok(path)
}

fn install_panic_hook(dir: PathBuf) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(non-text panic payload)".to_owned());
        let location = info
            .location()
            .map_or_else(|| "unknown".to_owned(), |l| l.to_string());
        let thread = std::thread::current()
            .name()
            .unwrap_or("unnamed")
            .to_owned();
        let backtrace = std::backtrace::Backtrace::force_capture().to_string();
        let now = SystemTime::now();
        let text = crash_report_text(&message, &location, &thread, &backtrace, now);
        match write_crash_report(&dir, &text, now) {
            Ok(p) => log::error!("panic at {location}: {message} (report: {})", p.display()),
            Err(e) => log::error!("panic at {location}: {message} (report not written: {e})"),
        }
        log::logger().flush();
        // The default hook still prints to stderr for terminal users.
        previous(info);
    }));
}

/// `2026-11-27T04:05:06Z` without a date crate: days since the epoch to a
/// civil date (Howard Hinnant's algorithm, proleptic Gregorian).
pub fn utc_timestamp(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn log_rotates_at_the_size_limit_and_keeps_three_files() {
        let tmp = tempfile::tempdir().unwrap();
        let mut log = RotatingFile::new(tmp.path(), "t.log", 100, 3);
        let line = "x".repeat(39); // 40 bytes with the newline
        for i in 0..10 {
            log.write_line(&format!("{i}{}", &line[1..])).unwrap();
        }
        let size = |n: &str| std::fs::metadata(tmp.path().join(n)).unwrap().len();
        // Two lines fit in 100 bytes; ten lines = five files' worth, three kept.
        assert_eq!(size("t.log"), 80);
        assert_eq!(size("t.log.1"), 80);
        assert_eq!(size("t.log.2"), 80);
        assert!(!tmp.path().join("t.log.3").exists());
        let newest = std::fs::read_to_string(tmp.path().join("t.log")).unwrap();
        assert!(
            newest.starts_with('8') && newest.contains("\n9"),
            "{newest}"
        );
        let oldest = std::fs::read_to_string(tmp.path().join("t.log.2")).unwrap();
        assert!(oldest.starts_with('4'), "{oldest}");
    }

    #[test]
    fn log_appends_to_an_existing_file_and_counts_its_size() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("t.log"), "y".repeat(90)).unwrap();
        let mut log = RotatingFile::new(tmp.path(), "t.log", 100, 2);
        log.write_line("0123456789abcdef").unwrap();
        assert_eq!(
            std::fs::metadata(tmp.path().join("t.log.1")).unwrap().len(),
            90
        );
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("t.log")).unwrap(),
            "0123456789abcdef\n"
        );
    }

    #[test]
    fn timestamps_are_utc_iso() {
        assert_eq!(utc_timestamp(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_709_210_096); // leap day 2024
        assert_eq!(utc_timestamp(t), "2024-02-29T12:34:56Z");
    }

    #[test]
    fn crash_reports_are_pruned_and_carry_the_facts() {
        let tmp = tempfile::tempdir().unwrap();
        let t0 = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let text = crash_report_text("boom", "src/x.rs:1:2", "main", "frames", t0);
        for _ in 0..7 {
            write_crash_report(tmp.path(), &text, t0).unwrap();
        }
        assert_eq!(crash_reports(tmp.path()).len(), KEEP_CRASHES);
        for needle in [
            "boom",
            "src/x.rs:1:2",
            env!("CARGO_PKG_VERSION"),
            "2027-01-15T08:00:00Z",
            "frames",
        ] {
            assert!(text.contains(needle), "{needle}");
        }
    }

    #[test]
    fn a_leftover_session_means_an_unclean_exit() {
        let tmp = tempfile::tempdir().unwrap();
        assert_eq!(begin_session(tmp.path()), LastRun::default());
        // Still our own pid: a second look sees a live session, not a crash.
        assert!(!begin_session(tmp.path()).unclean_exit);
        end_session(tmp.path());
        assert!(!begin_session(tmp.path()).unclean_exit);
        // A session file from a process that is gone, then a crash report.
        std::fs::write(tmp.path().join(SESSION_NAME), "4294967295").unwrap();
        let report = write_crash_report(tmp.path(), "x", SystemTime::now()).unwrap();
        let last = begin_session(tmp.path());
        assert!(last.unclean_exit);
        assert_eq!(last.crash_report, Some(report));
    }
}
