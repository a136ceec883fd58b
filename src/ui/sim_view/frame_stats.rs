//! A frame-rate readout for performance checks, switched on by an
//! environment variable (`STRATA_SIM_FPS`, `STRATA_GRAPH_FPS`).
//!
//! It counts frames egui actually finished (its cumulative frame number),
//! not calls of the view: a discarded pass or a second call in one frame
//! must not inflate the rate. Per one-second window it reports frames per
//! second, the mean and worst wall-clock gap between frames (what the user
//! sees, rendering and presenting included) and the view's own CPU time
//! (what the view can fix by itself). Each window is also written to stderr,
//! so a scripted run can collect the figures without screenshots.

use std::time::Instant;

pub(crate) struct FrameStats {
    name: &'static str,
    window_start: Option<Instant>,
    last_frame_nr: Option<u64>,
    last_frame_at: Option<Instant>,
    frames: u32,
    worst_gap_ms: f64,
    view_ms_sum: f64,
    view_ms_worst: f64,
    shown: String,
}

impl FrameStats {
    /// Some when the environment variable `var` is set; `name` labels the
    /// stderr lines.
    pub(crate) fn from_env(var: &str, name: &'static str) -> Option<FrameStats> {
        std::env::var_os(var).map(|_| FrameStats {
            name,
            window_start: None,
            last_frame_nr: None,
            last_frame_at: None,
            frames: 0,
            worst_gap_ms: 0.0,
            view_ms_sum: 0.0,
            view_ms_worst: 0.0,
            shown: String::new(),
        })
    }

    /// Call once per view pass with the CPU time the view took.
    pub(crate) fn record(&mut self, ctx: &egui::Context, view_ms: f64) {
        let nr = ctx.cumulative_frame_nr();
        let now = Instant::now();
        self.view_ms_worst = self.view_ms_worst.max(view_ms);
        self.view_ms_sum += view_ms;
        if self.last_frame_nr == Some(nr) {
            return;
        }
        self.last_frame_nr = Some(nr);
        if let Some(prev) = self.last_frame_at {
            let gap = now.duration_since(prev).as_secs_f64() * 1000.0;
            self.worst_gap_ms = self.worst_gap_ms.max(gap);
        }
        self.last_frame_at = Some(now);
        let Some(start) = self.window_start else {
            self.window_start = Some(now);
            self.reset_window();
            return;
        };
        self.frames += 1;
        let span = now.duration_since(start).as_secs_f64();
        if span >= 1.0 {
            let fps = f64::from(self.frames) / span;
            self.shown = format!(
                "{fps:.1} fps, frame {:.1} ms mean / {:.1} ms worst, view {:.2} ms mean / {:.2} ms worst",
                span * 1000.0 / f64::from(self.frames),
                self.worst_gap_ms,
                self.view_ms_sum / f64::from(self.frames),
                self.view_ms_worst,
            );
            eprintln!("[{} fps] {}", self.name, self.shown);
            self.window_start = Some(now);
            self.reset_window();
        }
    }

    fn reset_window(&mut self) {
        self.frames = 0;
        self.worst_gap_ms = 0.0;
        self.view_ms_sum = 0.0;
        self.view_ms_worst = 0.0;
    }

    /// The last full window's figures (empty during the first second).
    pub(crate) fn text(&self) -> &str {
        &self.shown
    }
}
