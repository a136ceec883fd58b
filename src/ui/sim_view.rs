//! The simulator view: a Go block from a note run in `crate::sim`, replayed
//! event by event so a room can watch what Go does.
//!
//! The program runs once, off the UI thread, into a `Timeline`; everything
//! after that (play, step, step back, scrub) is a seek in that timeline, so
//! stepping back is exact and costs no re-run. Only a new seed or Go version
//! runs the program again. A frame repaints continuously only while playing
//! or while a defer card is moving.

#[path = "sim_view/frame_stats.rs"]
pub(crate) mod frame_stats;
#[path = "sim_view/lanes.rs"]
mod lanes;
#[path = "sim_view/panels.rs"]
mod panels;
#[path = "sim_view/report.rs"]
mod report;
#[path = "sim_view/source.rs"]
mod source;

use std::collections::BTreeMap;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::Arc;
use std::time::Duration;

use egui::{Key, RichText, Ui};

use crate::i18n::tr;
use crate::sim::timeline::{Snapshot, Timeline};
use crate::sim::{EventKind, GoVersion, SimOptions};
use frame_stats::FrameStats;
use panels::{Cards, PanelOut};
use source::{LineMark, SourcePane};

/// Playback speeds in events per second.
const SPEEDS: [f64; 9] = [1.0, 2.0, 4.0, 8.0, 16.0, 50.0, 200.0, 1000.0, 10_000.0];
const DEFAULT_SPEED: usize = 3;
/// A seek further than this many events is a jump, not a step: no animation.
const ANIMATE_WITHIN: usize = 4;
const TIMELINE_H: f32 = 190.0;

/// What the view asks its host to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimViewAction {
    Close,
}

enum RunState {
    Running {
        rx: Receiver<Timeline>,
        started: f64,
    },
    Ready(Box<Loaded>),
    Failed(String),
}

/// A finished run and where the user is in it.
struct Loaded {
    tl: Arc<Timeline>,
    /// a snapshot being folded off the UI thread during playback
    pending: Option<Receiver<Snapshot>>,
    /// how long the last snapshot took on the UI thread, in seconds
    seek_cost: f64,
    at: usize,
    snap: Snapshot,
    marks: BTreeMap<usize, LineMark>,
    selected: Option<usize>,
    playing: bool,
    /// fractional events owed to playback, and when it last advanced
    owed: f64,
    last_tick: Option<f64>,
    cards: Cards,
    error_line: Option<usize>,
}

impl Loaded {
    fn new(tl: Timeline, now: f64) -> Loaded {
        let error_line = tl
            .result
            .report
            .compile_error
            .as_deref()
            .and_then(leading_line);
        let snap = tl.snapshot(0);
        let selected = snap.goroutines.keys().next().copied().or(Some(1));
        let mut l = Loaded {
            tl: Arc::new(tl),
            pending: None,
            seek_cost: 0.0,
            at: 0,
            marks: BTreeMap::new(),
            snap,
            selected,
            playing: false,
            owed: 0.0,
            last_tick: None,
            cards: Cards::default(),
            error_line,
        };
        l.refresh(now, false, false);
        l
    }

    fn len(&self) -> usize {
        self.tl.len()
    }

    /// Moves the playhead; `animate` for single steps, not for jumps.
    fn seek(&mut self, to: usize, now: f64) {
        let to = to.min(self.len());
        if to == self.at {
            return;
        }
        let (lo, hi) = (self.at.min(to), self.at.max(to));
        let animate = hi - lo <= ANIMATE_WITHIN;
        let ran = to > self.at
            && self.selected.is_some_and(|g| {
                self.tl.events()[lo..hi]
                    .iter()
                    .any(|e| e.goroutine == g && matches!(e.kind, EventKind::DeferRun { .. }))
            });
        self.at = to;
        self.pending = None;
        let t = std::time::Instant::now();
        self.tl.seek(&mut self.snap, to);
        self.seek_cost = t.elapsed().as_secs_f64();
        self.refresh(now, animate, ran);
    }

    /// Playback of a big state: the playhead moves at once, the snapshot
    /// follows from a worker thread, so frames never wait for a fold.
    fn seek_async(&mut self, to: usize, ctx: &egui::Context) {
        self.at = to.min(self.len());
        if self.pending.is_some() {
            return;
        }
        let (tx, rx) = mpsc::channel();
        let tl = Arc::clone(&self.tl);
        let ctx = ctx.clone();
        let at = self.at;
        let spawned = std::thread::Builder::new()
            .name("strata-sim-seek".into())
            .spawn(move || {
                if tx.send(tl.snapshot(at)).is_ok() {
                    ctx.request_repaint();
                }
            });
        if spawned.is_ok() {
            self.pending = Some(rx);
        }
    }

    /// Takes a finished background snapshot; asks for the next if the
    /// playhead has moved on meanwhile.
    fn poll_snapshot(&mut self, now: f64, ctx: &egui::Context) {
        let Some(rx) = &self.pending else {
            return;
        };
        match rx.try_recv() {
            Ok(snap) => {
                self.pending = None;
                let stale = snap.at != self.at;
                self.snap = snap;
                self.refresh(now, false, false);
                if stale {
                    self.seek_async(self.at, ctx);
                }
            }
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => self.pending = None,
        }
    }

    fn select(&mut self, g: usize, now: f64) {
        if self.selected != Some(g) {
            self.selected = Some(g);
            self.refresh(now, false, false);
        }
    }

    fn refresh(&mut self, now: f64, animate: bool, ran: bool) {
        self.marks = source::marks(&self.snap, self.selected);
        let g = self.selected.and_then(|g| self.snap.goroutines.get(&g));
        self.cards.update(g, now, animate, ran);
    }

    fn finished(&self) -> bool {
        self.at >= self.len()
    }
}

/// `"12:5: message"` -> 12.
fn leading_line(msg: &str) -> Option<usize> {
    msg.split(':').next()?.trim().parse().ok()
}

/// One simulator session: a program, its run options and the replay state.
pub struct SimView {
    source: Arc<str>,
    title: String,
    go_version: GoVersion,
    seed: u64,
    run: RunState,
    run_id: u64,
    pane: SourcePane,
    speed: usize,
    /// one event per source line, so Step walks the program line by line
    line_steps: bool,
    lanes: Option<lanes::LanesCache>,
    /// frame timing shown when STRATA_SIM_FPS is set (performance checks)
    stats: Option<FrameStats>,
}

impl SimView {
    /// Starts running `source` in the background; `title` says where it
    /// came from (shown in the header).
    pub fn new(ctx: &egui::Context, source: &str, title: &str) -> SimView {
        let mut v = SimView {
            source: Arc::from(source),
            title: title.to_string(),
            go_version: GoVersion::default(),
            seed: SimOptions::default().seed,
            run: RunState::Failed(String::new()),
            run_id: 0,
            pane: SourcePane::new(source),
            speed: DEFAULT_SPEED,
            line_steps: true,
            lanes: None,
            stats: FrameStats::from_env("STRATA_SIM_FPS", "sim"),
        };
        v.start(ctx);
        v
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    /// True until the background run has finished.
    pub fn is_running(&self) -> bool {
        matches!(self.run, RunState::Running { .. })
    }

    /// Playhead and number of events, once the run has finished.
    pub fn position(&self) -> Option<(usize, usize)> {
        match &self.run {
            RunState::Ready(l) => Some((l.at, l.len())),
            _ => None,
        }
    }

    fn start(&mut self, ctx: &egui::Context) {
        self.run_id += 1;
        self.lanes = None;
        let (tx, rx) = mpsc::channel();
        let opts = SimOptions {
            go_version: self.go_version,
            seed: self.seed,
            trace: true,
            trace_lines: self.line_steps,
            ..SimOptions::default()
        };
        let src = Arc::clone(&self.source);
        let ctx2 = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("strata-sim".into())
            .spawn(move || {
                let result = crate::sim::run(&src, "main.go", &opts);
                let tl = Timeline::new(result);
                // The view may have been closed or re-run meanwhile; then
                // nobody listens and the result is simply dropped.
                if tx.send(tl).is_ok() {
                    ctx2.request_repaint();
                }
            });
        self.run = match spawned {
            Ok(_) => RunState::Running {
                rx,
                started: ctx.input(|i| i.time),
            },
            Err(e) => RunState::Failed(tr!("sim.start_failed", error = e)),
        };
    }

    fn poll(&mut self, now: f64) {
        if let RunState::Running { rx, .. } = &self.run {
            match rx.try_recv() {
                Ok(tl) => self.run = RunState::Ready(Box::new(Loaded::new(tl, now))),
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    self.run = RunState::Failed(tr("sim.crashed").into())
                }
            }
        }
    }

    /// Draws the whole view into `ui`; returns what the host should do.
    /// `keyboard` is false while the host shows a dialog that owns the keys.
    pub fn show(&mut self, ui: &mut Ui, keyboard: bool) -> Option<SimViewAction> {
        let started = std::time::Instant::now();
        let action = self.show_inner(ui, keyboard);
        if let Some(s) = &mut self.stats {
            s.record(ui.ctx(), started.elapsed().as_secs_f64() * 1000.0);
        }
        action
    }

    fn show_inner(&mut self, ui: &mut Ui, keyboard: bool) -> Option<SimViewAction> {
        let now = ui.input(|i| i.time);
        self.poll(now);
        let mut action = None;
        let mut rerun = false;
        let keys = if keyboard {
            self.keys(ui)
        } else {
            Keys::default()
        };
        if keys.close {
            action = Some(SimViewAction::Close);
        }
        egui::Panel::top("strata-sim-controls").show(ui, |ui| {
            rerun = self.header(ui, &mut action);
            self.controls(ui, now, &keys);
        });
        if rerun {
            self.start(ui.ctx());
        }
        self.advance_playback(ui, now);

        match &mut self.run {
            RunState::Running { started, .. } => {
                let secs = now - *started;
                ui.centered_and_justified(|ui| {
                    ui.label(
                        RichText::new(tr!("sim.running", secs = format!("{secs:.1}"))).heading(),
                    );
                });
                ui.ctx().request_repaint_after(Duration::from_millis(250));
                return action;
            }
            RunState::Failed(msg) => {
                let msg = msg.clone();
                ui.colored_label(ui.visuals().error_fg_color, msg);
                return action;
            }
            RunState::Ready(_) => {}
        }
        self.body(ui, now);
        action
    }

    /// Title, run options and the clock. Returns true when the program
    /// must run again (new Go version, seed or line-step setting).
    fn header(&mut self, ui: &mut Ui, action: &mut Option<SimViewAction>) -> bool {
        let mut rerun = false;
        ui.horizontal(|ui| {
            if ui
                .button(tr("sim.close"))
                .on_hover_text(tr("sim.close_hover"))
                .clicked()
            {
                *action = Some(SimViewAction::Close);
            }
            ui.strong(tr("sim.title"));
            ui.label(&self.title);
            ui.separator();
            for (v, label) in [(GoVersion::Go121, "Go 1.21"), (GoVersion::Go122, "Go 1.22")] {
                let r = ui
                    .add(egui::Button::selectable(self.go_version == v, label))
                    .on_hover_text(match v {
                        GoVersion::Go121 => tr("sim.go121_hover"),
                        GoVersion::Go122 => tr("sim.go122_hover"),
                    });
                if r.clicked() && self.go_version != v {
                    self.go_version = v;
                    rerun = true;
                }
            }
            let seed_label = ui.label(tr("sim.seed"));
            let r = ui
                .add(egui::DragValue::new(&mut self.seed).range(0..=u32::MAX as u64))
                .labelled_by(seed_label.id)
                .on_hover_text(tr("sim.seed_hover"));
            if (r.changed() && !r.dragged()) || r.drag_stopped() {
                rerun = true;
            }
            if ui
                .checkbox(&mut self.line_steps, tr("sim.line_steps"))
                .on_hover_text(tr("sim.line_steps_hover"))
                .changed()
            {
                rerun = true;
            }
            if let RunState::Ready(l) = &self.run {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(
                        RichText::new(tr!(
                            "sim.clock",
                            time = crate::sim::runtime::fmt::format_duration(l.snap.now_ns)
                        ))
                        .monospace()
                        .strong(),
                    );
                    ui.separator();
                    ui.label(tr!("sim.alive", n = l.snap.alive));
                });
            }
        });
        rerun
    }

    /// The transport bar: restart, step back, play/pause, step, scrub, speed.
    fn controls(&mut self, ui: &mut Ui, now: f64, keys: &Keys) {
        let ready = matches!(self.run, RunState::Ready(_));
        let (at, len, playing) = match &self.run {
            RunState::Ready(l) => (l.at, l.len(), l.playing),
            _ => (0, 0, false),
        };
        let mut seek: Option<usize> = None;
        let mut toggle = keys.play;
        // An explicit step means "let me look": it pauses playback.
        let mut manual = keys.back + keys.step > 0;
        ui.horizontal(|ui| {
            ui.add_enabled_ui(ready, |ui| {
                if ui
                    .button(tr("sim.restart"))
                    .on_hover_text(tr("sim.restart_hover"))
                    .clicked()
                    || keys.home
                {
                    seek = Some(0);
                }
                if ui
                    .add_enabled(at > 0, egui::Button::new(tr("sim.step_back")))
                    .on_hover_text(tr("sim.step_back_hover"))
                    .clicked()
                {
                    seek = Some(at.saturating_sub(1));
                    manual = true;
                }
                let play_label = if playing {
                    tr("sim.pause")
                } else {
                    tr("sim.play")
                };
                if ui
                    .add_enabled(at < len || playing, egui::Button::new(play_label))
                    .on_hover_text(tr("sim.play_hover"))
                    .clicked()
                {
                    toggle = true;
                }
                if ui
                    .add_enabled(at < len, egui::Button::new(tr("sim.step")))
                    .on_hover_text(tr("sim.step_hover"))
                    .clicked()
                {
                    seek = Some(at + 1);
                    manual = true;
                }
                if keys.back > 0 {
                    seek = Some(at.saturating_sub(keys.back));
                }
                if keys.step > 0 {
                    seek = Some(at + keys.step);
                }
                if keys.end {
                    seek = Some(len);
                }
                egui::ComboBox::from_label(tr("sim.speed"))
                    .selected_text(speed_label(SPEEDS[self.speed]))
                    .show_ui(ui, |ui| {
                        for (i, s) in SPEEDS.iter().enumerate() {
                            ui.selectable_value(&mut self.speed, i, speed_label(*s));
                        }
                    });
                let mut pos = at;
                ui.spacing_mut().slider_width = (ui.available_width() - 150.0).max(120.0);
                let r = ui.add(
                    egui::Slider::new(&mut pos, 0..=len.max(1))
                        .text(tr("sim.position"))
                        .show_value(true),
                );
                if r.changed() {
                    seek = Some(pos);
                    manual = true;
                }
            });
        });
        if let RunState::Ready(l) = &mut self.run {
            if toggle {
                if l.playing {
                    l.playing = false;
                } else {
                    if l.finished() {
                        seek = Some(0);
                    }
                    l.playing = true;
                    l.last_tick = Some(now);
                    l.owed = 0.0;
                }
            } else if manual {
                l.playing = false;
            }
            if let Some(to) = seek {
                l.seek(to, now);
            }
            ui.horizontal(|ui| {
                ui.weak(tr!("sim.event_of", at = l.at, len = l.len()));
                ui.separator();
                ui.label(describe_event(&l.tl, l.at));
                if let Some(s) = &self.stats {
                    ui.separator();
                    ui.weak(s.text());
                }
            });
        }
    }

    fn advance_playback(&mut self, ui: &Ui, now: f64) {
        let speed = SPEEDS[self.speed];
        let RunState::Ready(l) = &mut self.run else {
            return;
        };
        l.poll_snapshot(now, ui.ctx());
        if !l.playing {
            l.last_tick = None;
            return;
        }
        let dt = (now - l.last_tick.unwrap_or(now)).clamp(0.0, 0.25);
        l.last_tick = Some(now);
        l.owed += dt * speed;
        let whole = l.owed.floor();
        if whole >= 1.0 {
            l.owed -= whole;
            let to = l.at.saturating_add(whole as usize);
            // Moving forward by less than a checkpoint spacing replays the
            // new events in place: a few hundred per frame even at top
            // speed, cheap for any number of goroutines. Only a longer jump
            // copies a checkpoint, which for a big state (thousands of
            // goroutines) can take longer than a frame, so that moves off
            // the UI thread. A fold already under way is waited for rather
            // than raced, so at most one worker competes with drawing.
            let in_place = l.pending.is_none()
                && to >= l.snap.at
                && to - l.snap.at <= crate::sim::timeline::CHECKPOINT_EVERY;
            if in_place || l.seek_cost <= 0.012 {
                l.seek(to, now);
            } else {
                l.seek_async(to, ui.ctx());
            }
        }
        if l.finished() {
            l.playing = false;
            return;
        }
        // Slow playback only needs a frame when the next event is due.
        let wait = ((1.0 - l.owed) / speed).max(0.0);
        if wait > 1.0 / 60.0 {
            ui.ctx()
                .request_repaint_after(Duration::from_secs_f64(wait));
        } else {
            ui.ctx().request_repaint();
        }
    }

    fn body(&mut self, ui: &mut Ui, now: f64) {
        let RunState::Ready(l) = &mut self.run else {
            return;
        };
        let mut out = PanelOut::default();
        if let Some(e) = &l.tl.result.report.compile_error {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(tr!("sim.compile_error", error = e))
                        .color(ui.visuals().error_fg_color)
                        .monospace()
                        .strong(),
                );
                if let Some(line) = l.error_line {
                    if ui
                        .small_button(tr!("sim.jump_to_line", line = line))
                        .clicked()
                    {
                        out.jump = Some(line);
                    }
                }
            });
        }
        let full_w = ui.available_width();
        let run_id = self.run_id;
        egui::Panel::bottom("strata-sim-bottom")
            .resizable(true)
            .default_size(TIMELINE_H + 110.0)
            .show(ui, |ui| {
                let lanes_out = lanes::show(
                    ui,
                    &mut self.lanes,
                    run_id,
                    &l.tl,
                    l.at,
                    l.snap.alive,
                    l.selected,
                    TIMELINE_H,
                );
                if let Some(g) = lanes_out.select {
                    l.select(g, now);
                }
                if let Some(p) = lanes_out.seek {
                    l.playing = false;
                    l.seek(p, now);
                }
                legend(ui);
                ui.columns(2, |cols| {
                    cols[0].strong(tr("sim.output"));
                    report::output(
                        &mut cols[0],
                        l.tl.stdout_at(&l.snap),
                        l.tl.stderr_at(&l.snap),
                        l.finished(),
                    );
                    cols[1].strong(tr("sim.report"));
                    report::report(&mut cols[1], &l.tl.result, &mut out);
                });
            });
        egui::Panel::left("strata-sim-source")
            .resizable(true)
            .default_size(full_w * 0.36)
            .show(ui, |ui| {
                ui.strong(tr("sim.source"));
                if let Some(g) = source::show(ui, &mut self.pane, &l.marks, l.error_line) {
                    out.select = Some(g);
                }
            });
        egui::Panel::right("strata-sim-world")
            .resizable(true)
            .default_size(full_w * 0.27)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("strata-sim-world-scroll")
                    .auto_shrink([false, false])
                    .show(ui, |ui| panels::world(ui, &l.snap, l.selected, &mut out));
            });
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.strong(tr("sim.goroutine"));
                let ids: Vec<usize> = l.snap.goroutines.keys().copied().collect();
                let pos = l.selected.and_then(|g| ids.iter().position(|&x| x == g));
                if ui
                    .add_enabled(
                        pos.is_some_and(|p| p > 0),
                        egui::Button::new(tr("sim.prev_goroutine")),
                    )
                    .clicked()
                {
                    if let Some(p) = pos {
                        out.select = ids.get(p - 1).copied();
                    }
                }
                if ui
                    .add_enabled(
                        pos.is_some_and(|p| p + 1 < ids.len()),
                        egui::Button::new(tr("sim.next_goroutine")),
                    )
                    .clicked()
                {
                    if let Some(p) = pos {
                        out.select = ids.get(p + 1).copied();
                    }
                }
            });
            egui::ScrollArea::vertical()
                .id_salt("strata-sim-goroutine")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    panels::goroutine(ui, &l.snap, l.selected, &l.cards, &mut out)
                });
        });
        if let Some(g) = out.select {
            l.select(g, now);
        }
        if let Some(line) = out.jump {
            self.pane.jump_to(line, now);
        }
        if let Some(g) = l.selected.and_then(|g| l.snap.goroutines.get(&g)) {
            self.pane.follow(g.line);
        }
        if l.cards.animating(now) {
            ui.ctx().request_repaint();
        }
    }

    fn keys(&self, ui: &Ui) -> Keys {
        // Typing in the seed box must not play or step the program.
        if ui.ctx().egui_wants_keyboard_input() {
            return Keys::default();
        }
        // Held or fast keys arrive several per frame; each one is a step.
        ui.input_mut(|i| Keys {
            play: i.consume_key(egui::Modifiers::NONE, Key::Space),
            step: i.count_and_consume_key(egui::Modifiers::NONE, Key::ArrowRight),
            back: i.count_and_consume_key(egui::Modifiers::NONE, Key::ArrowLeft),
            home: i.consume_key(egui::Modifiers::NONE, Key::Home),
            end: i.consume_key(egui::Modifiers::NONE, Key::End),
            close: i.consume_key(egui::Modifiers::NONE, Key::Escape),
        })
    }
}

#[derive(Default)]
struct Keys {
    play: bool,
    step: usize,
    back: usize,
    home: bool,
    end: bool,
    close: bool,
}

fn speed_label(s: f64) -> String {
    if s == 1.0 {
        tr("sim.speed_one").into()
    } else {
        tr!("sim.speed_n", n = s)
    }
}

fn legend(ui: &mut Ui) {
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        for s in lanes::STATUSES {
            let (r, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
            ui.painter()
                .rect_filled(r, 2.0, lanes::status_color(s, dark));
            ui.weak(lanes::status_name(s));
        }
        ui.weak(tr("sim.lanes_hint"));
    });
}

/// One line saying what the last applied event did.
fn describe_event(tl: &Timeline, at: usize) -> String {
    let Some(e) = at.checked_sub(1).and_then(|i| tl.events().get(i)) else {
        return tr("sim.ev.before_start").into();
    };
    let who = format!("G{}", e.goroutine);
    let what = match &e.kind {
        EventKind::Spawn { child, .. } => tr!("sim.ev.spawn", child = child),
        EventKind::Call { func, .. } => tr!("sim.ev.call", func = lanes::short_func(func)),
        EventKind::Return { func, .. } => tr!("sim.ev.return", func = lanes::short_func(func)),
        EventKind::DeferPush { func, .. } => tr!("sim.ev.defer_push", func = func),
        EventKind::DeferRun { func, .. } => tr!("sim.ev.defer_run", func = func),
        EventKind::Block { reason, .. } => tr!("sim.ev.block", reason = reason),
        EventKind::Unblock => tr("sim.ev.unblock").into(),
        EventKind::ChanMake { chan, cap, .. } => tr!("sim.ev.chan_make", chan = chan, cap = cap),
        EventKind::ChanSend { chan, .. } => tr!("sim.ev.chan_send", chan = chan),
        EventKind::ChanRecv { chan, .. } => tr!("sim.ev.chan_recv", chan = chan),
        EventKind::ChanClose { chan, .. } => tr!("sim.ev.chan_close", chan = chan),
        EventKind::FileOpen { fd, name, .. } => tr!("sim.ev.file_open", name = name, fd = fd),
        EventKind::FileClose { fd, .. } => tr!("sim.ev.file_close", fd = fd),
        EventKind::Panic { value, .. } => tr!("sim.ev.panic", value = value),
        EventKind::Recover { value, .. } => tr!("sim.ev.recover", value = value),
        EventKind::Output { text, .. } => {
            tr!("sim.ev.output", text = format!("{:?}", text.trim_end()))
        }
        EventKind::Line => tr("sim.ev.line").into(),
        EventKind::GoroutineExit => tr("sim.ev.goroutine_exit").into(),
        EventKind::Exit { code, .. } => tr!("sim.ev.exit", code = code),
        EventKind::ClockAdvance { now_ns, .. } => tr!(
            "sim.ev.clock_jump",
            time = crate::sim::runtime::fmt::format_duration(*now_ns)
        ),
        other => format!("{other:?}"),
    };
    if e.line > 0 {
        tr!("sim.ev.at_line", who = who, what = what, line = e.line)
    } else {
        format!("{who} {what}")
    }
}
