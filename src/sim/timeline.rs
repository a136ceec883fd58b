//! Time travel over a finished run: the program state after any event.
//!
//! The interpreter records events (see `trace`); this module folds them into
//! `Snapshot`s, the view of the program a trainer looks at: goroutines with
//! their frames and defer stacks, channels with buffers and wait queues,
//! WaitGroups, contexts, open files, loop variables, the clock and the output.
//! Seeking keeps checkpoints (every `CHECKPOINT_EVERY` events or more) and
//! replays the rest, so any point of a long trace is reachable quickly;
//! `Timeline::seek` steps forward in place for playback. No egui here.

use std::collections::BTreeMap;

use crate::sim::trace::WaitOn;
use crate::sim::{Event, EventKind, SimResult};

/// What a goroutine is doing at a point of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum GStatus {
    /// the goroutine executing at this point (`Snapshot::running`): the one
    /// whose event this is, unless the event was done to it by another
    /// goroutine (a wake-up, a value handed to it)
    Running,
    Runnable,
    /// parked on a channel, select, lock, WaitGroup, ...; see `wait_reason`
    Blocked,
    /// `time.Sleep` or waiting only on a timer
    Sleeping,
    Done,
}

/// A deferred call as it sits on its frame's defer stack.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DeferCard {
    /// callee as Go code names it, e.g. `f.Close`, `wg.Done`, `func literal`
    pub func: String,
    /// argument (and receiver) values frozen at the defer statement, Go-formatted
    pub args: Vec<String>,
    /// a closure reads its captured variables when it runs, not when deferred
    pub closure: bool,
    /// line of the defer statement
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FrameState {
    pub func: String,
    /// line being executed in this frame (call site for frames below the top)
    pub line: usize,
    /// bottom first: the last element runs first
    pub defers: Vec<DeferCard>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GoroutineState {
    pub id: usize,
    pub status: GStatus,
    /// Go's wait reason while Blocked/Sleeping ("chan receive", "select", ...)
    pub wait_reason: String,
    /// current line of the top frame
    pub line: usize,
    pub created_line: usize,
    /// function the goroutine was started with
    pub func: String,
    /// bottom (entry function) first
    pub frames: Vec<FrameState>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ChanState {
    pub id: usize,
    /// element type as written, e.g. `int`, `struct{}`
    pub elem: String,
    pub cap: usize,
    pub made_line: usize,
    /// buffered values, oldest first, Go-formatted
    pub buffer: Vec<String>,
    pub closed: bool,
    /// goroutine ids parked sending / receiving on this channel, in queue order
    pub senders: Vec<usize>,
    pub receivers: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WaitGroupState {
    pub id: usize,
    pub counter: i64,
    pub waiters: Vec<usize>,
    /// line of the first Add
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ContextState {
    pub id: usize,
    pub parent: Option<usize>,
    /// "Background", "TODO", "WithCancel", "WithTimeout", "WithDeadline"
    pub kind: String,
    pub made_line: usize,
    /// virtual deadline, if any
    pub deadline_ns: Option<i64>,
    /// `ctx.Err()` once cancelled: "context canceled" / "context deadline exceeded"
    pub err: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OpenFile {
    pub fd: i64,
    pub name: String,
    pub opened_line: usize,
    pub goroutine: usize,
}

/// A loop variable as the running Go version defines it: one variable per
/// loop (Go 1.21) or a fresh copy per iteration (Go 1.22).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LoopVarState {
    pub name: String,
    /// line of the `for` statement
    pub line: usize,
    pub per_iteration: bool,
    /// how many distinct variables this loop has created so far
    pub instances: usize,
    /// current value of the newest instance, Go-formatted
    pub value: String,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Snapshot {
    /// number of events applied: 0 is the start, `Timeline::len()` the end
    pub at: usize,
    /// interpreter step count of the last applied event
    pub step: u64,
    pub now_ns: i64,
    /// by goroutine id, including finished ones
    pub goroutines: BTreeMap<usize, GoroutineState>,
    pub chans: BTreeMap<usize, ChanState>,
    pub waitgroups: BTreeMap<usize, WaitGroupState>,
    pub contexts: BTreeMap<usize, ContextState>,
    pub files: BTreeMap<i64, OpenFile>,
    pub loop_vars: Vec<LoopVarState>,
    /// bytes of `stdout` / `stderr` written so far
    pub stdout_len: usize,
    pub stderr_len: usize,
    pub alive: usize,
    /// sync.Mutex / sync.RWMutex by trace id
    pub mutexes: BTreeMap<usize, MutexState>,
    /// the queues each parked goroutine sits in (by goroutine id)
    pub blocked_on: BTreeMap<usize, Vec<WaitOn>>,
    /// panic value of each goroutine unwinding a panic (until recovered)
    pub panicking: BTreeMap<usize, String>,
    /// the goroutine executing at this point (its status shows `Running`);
    /// None while the runtime fires timers
    pub running: Option<usize>,
    /// Internal to the fold: entries at the front of wait queues that have
    /// left already. Always empty in snapshots a `Timeline` hands out.
    #[doc(hidden)]
    #[serde(skip)]
    pub queue_fronts: BTreeMap<WaitOn, usize>,
}

/// A sync.Mutex or sync.RWMutex. Go mutexes have no owner; `holder` is the
/// goroutine whose Lock succeeded, which is what a trainer wants to see.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MutexState {
    pub id: usize,
    /// "sync.Mutex" or "sync.RWMutex"
    pub what: String,
    /// line of the first Lock
    pub line: usize,
    pub holder: Option<usize>,
    /// RWMutex readers holding RLock
    pub readers: Vec<usize>,
    /// goroutines parked in Lock/RLock, in queue order
    pub waiters: Vec<usize>,
}

/// A run of one status on a goroutine's lane, in event indices `[from, to)`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Span {
    pub from: usize,
    pub to: usize,
    pub status: GStatus,
    pub wait_reason: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Lane {
    pub goroutine: usize,
    pub func: String,
    pub created_line: usize,
    pub spans: Vec<Span>,
}

/// Fewest events between checkpoints. Big states (thousands of goroutines)
/// are checkpointed less often so that checkpoints stay within about 64
/// bytes per event; a seek replays at most 131,072 events.
pub const CHECKPOINT_EVERY: usize = 4096;

/// A finished run prepared for stepping, scrubbing and drawing.
pub struct Timeline {
    pub result: SimResult,
    checkpoints: Vec<Snapshot>,
    lanes: Vec<Lane>,
    /// (seek position, goroutines alive there), one entry per change:
    /// `snapshot(p).alive` for p from that position to the next entry
    alive_track: Vec<(usize, usize)>,
    /// (seek position, virtual ns since start), one entry per change
    clock_track: Vec<(usize, i64)>,
}

impl Timeline {
    pub fn events(&self) -> &[Event] {
        &self.result.trace.events
    }

    /// Number of events; valid seek positions are `0..=len()`.
    pub fn len(&self) -> usize {
        self.result.trace.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn lanes(&self) -> &[Lane] {
        &self.lanes
    }

    pub fn alive_track(&self) -> &[(usize, usize)] {
        &self.alive_track
    }

    /// Program output written up to snapshot `s`.
    pub fn stdout_at(&self, s: &Snapshot) -> &str {
        let end = s.stdout_len.min(self.result.stdout.len());
        self.result.stdout.get(..end).unwrap_or("")
    }

    /// Standard error written up to snapshot `s` (program output to
    /// `os.Stderr`, then panic, deadlock and budget messages at the end).
    pub fn stderr_at(&self, s: &Snapshot) -> &str {
        let end = s.stderr_len.min(self.result.stderr.len());
        self.result.stderr.get(..end).unwrap_or("")
    }

    /// Folds every event once: checkpoints, lanes, the alive and clock tracks.
    pub fn new(result: SimResult) -> Timeline {
        let events = &result.trace.events;
        let mut snap = Snapshot::initial(&result);
        let mut checkpoints = vec![snap.clone()];
        let mut lanes = LaneBuilder::new(&snap);
        let mut alive_track = vec![(0, snap.alive)];
        let mut clock_track = vec![(0, snap.now_ns)];
        let mut since = 0usize;
        for (i, ev) in events.iter().enumerate() {
            let touched = apply(&mut snap, ev);
            let at = i + 1;
            lanes.after(&snap, ev, touched, at);
            if alive_track.last().map(|l| l.1) != Some(snap.alive) {
                alive_track.push((at, snap.alive));
            }
            if clock_track.last().map(|c| c.1) != Some(snap.now_ns) {
                clock_track.push((at, snap.now_ns));
            }
            since += 1;
            // Big states (10,000 goroutines) would make one checkpoint every
            // CHECKPOINT_EVERY events cost gigabytes; spacing them by state
            // size keeps checkpoint memory within a few dozen bytes per event
            // while a seek replays a bounded amount of work.
            if since >= CHECKPOINT_EVERY
                && (since * CHECKPOINT_BYTES_PER_EVENT >= snap.approx_bytes()
                    || since >= MAX_CHECKPOINT_SPACING)
            {
                normalize(&mut snap);
                checkpoints.push(snap.clone());
                since = 0;
            }
        }
        Timeline {
            lanes: lanes.finish(events.len()),
            result,
            checkpoints,
            alive_track,
            clock_track,
        }
    }

    /// The state after the first `at` events (clamped to `len()`).
    pub fn snapshot(&self, at: usize) -> Snapshot {
        let events = self.events();
        let at = at.min(events.len());
        let idx = self.checkpoints.partition_point(|c| c.at <= at);
        let mut snap = match idx.checked_sub(1).and_then(|i| self.checkpoints.get(i)) {
            Some(c) => c.clone(),
            None => Snapshot::initial(&self.result),
        };
        for ev in events.get(snap.at..at).unwrap_or(&[]) {
            apply(&mut snap, ev);
        }
        finish(&mut snap);
        snap
    }

    /// Moves `s`, a snapshot of this timeline, to position `at` (clamped):
    /// the same result as `snapshot(at)`, but going forward it replays in
    /// place from `s` when that is closer than a checkpoint. Playing and
    /// stepping a 10,000-goroutine run then costs a few events per frame
    /// instead of copying every goroutine.
    pub fn seek(&self, s: &mut Snapshot, at: usize) {
        let events = self.events();
        let at = at.min(events.len());
        let idx = self.checkpoints.partition_point(|c| c.at <= at);
        let cp = idx
            .checked_sub(1)
            .and_then(|i| self.checkpoints.get(i))
            .map_or(0, |c| c.at);
        let forward = s.at <= at && at - s.at <= (at - cp).max(CHECKPOINT_EVERY);
        if !forward {
            *s = self.snapshot(at);
            return;
        }
        unmark_running(s);
        for ev in events.get(s.at..at).unwrap_or(&[]) {
            apply(s, ev);
        }
        finish(s);
    }

    /// Virtual time (nanoseconds since the program started) after the first
    /// `at` events; cheap, for scrubber labels.
    pub fn time_at(&self, at: usize) -> i64 {
        let i = self.clock_track.partition_point(|c| c.0 <= at);
        i.checked_sub(1)
            .and_then(|i| self.clock_track.get(i))
            .map(|c| c.1)
            .unwrap_or(0)
    }

    /// Number of stored checkpoints (memory diagnostics and tests).
    pub fn checkpoint_count(&self) -> usize {
        self.checkpoints.len()
    }
}

/// Goroutine ids beyond this get no lane (the goroutine budget is far lower).
const MAX_GOROUTINE_ID: usize = 1 << 26;

/// Name of the compiled function that initializes package variables.
const INIT_GLOBALS: &str = "init$globals";

/// Checkpoint spacing grows with the state's size so that checkpoints cost
/// at most about this many bytes per event of the trace.
const CHECKPOINT_BYTES_PER_EVENT: usize = 64;

/// ... but a seek never replays more than this many events, whatever the
/// state's size (replaying the start of 100,000 goroutines is slow too).
const MAX_CHECKPOINT_SPACING: usize = 131_072;

impl Snapshot {
    /// The state before any event: the main goroutine about to start. A run
    /// without events (tracing off, a compile error) has only its output.
    fn initial(result: &SimResult) -> Snapshot {
        let mut s = Snapshot::default();
        if result.trace.events.is_empty() {
            s.stdout_len = result.stdout.len();
            s.stderr_len = result.stderr.len();
        } else {
            s.goroutines.insert(1, new_goroutine(1, "main.main", 0));
            s.alive = 1;
        }
        s
    }

    /// Rough heap size, to space checkpoints.
    fn approx_bytes(&self) -> usize {
        self.goroutines.len() * 320
            + self.chans.len() * 160
            + self.waitgroups.len() * 96
            + self.contexts.len() * 128
            + self.files.len() * 96
            + self.loop_vars.len() * 96
            + self.mutexes.len() * 96
            + self.blocked_on.len() * 64
    }
}

fn new_goroutine(id: usize, func: &str, created_line: usize) -> GoroutineState {
    GoroutineState {
        id,
        status: GStatus::Runnable,
        wait_reason: String::new(),
        line: created_line,
        created_line,
        func: func.to_string(),
        frames: Vec::new(),
    }
}

/// Shows the executing goroutine as Running, unless it just parked or ended.
fn mark_running(s: &mut Snapshot) {
    if let Some(g) = s.running.and_then(|id| s.goroutines.get_mut(&id)) {
        if g.status == GStatus::Runnable {
            g.status = GStatus::Running;
        }
    }
}

/// Goroutines whose status an event may have changed (besides its own).
type Touched = Option<usize>;

/// Applies one event to the state. Tolerates any event sequence (a truncated
/// trace, events of goroutines never spawned) without panicking.
fn apply(s: &mut Snapshot, ev: &Event) -> Touched {
    s.at += 1;
    s.step = ev.step;
    let gid = ev.goroutine;
    if gid == 0 {
        s.running = None;
    } else {
        apply_own(s, gid, ev);
    }
    apply_shared(s, gid, ev)
}

/// The event's effect on its own goroutine: one map lookup, as replaying
/// big runs spends most of its time here.
fn apply_own(s: &mut Snapshot, gid: usize, ev: &Event) {
    let g = match s.goroutines.entry(gid) {
        std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
        std::collections::btree_map::Entry::Vacant(v) => {
            s.alive += 1;
            v.insert(new_goroutine(gid, "", ev.line))
        }
    };
    // Events delivered to a parked goroutine by its partner (a value, a
    // lock, the wake-up itself) happen while the partner runs, and carry
    // the partner's line: a parked goroutine stays on the line it blocked at.
    let parked = matches!(g.status, GStatus::Blocked | GStatus::Sleeping);
    let wake = matches!(ev.kind, EventKind::Unblock);
    if !parked && !wake {
        s.running = Some(gid);
    }
    let movable = !wake && !matches!(ev.kind, EventKind::Exit { .. });
    if movable && ev.line > 0 && g.status == GStatus::Runnable {
        g.line = ev.line;
        if let Some(f) = g.frames.last_mut() {
            f.line = ev.line;
        }
    }
    match &ev.kind {
        // the interpreter's global initializer is not a Go function
        EventKind::Call { func } | EventKind::Return { func } if func == INIT_GLOBALS => {}
        EventKind::Call { func } => {
            let line = g.line;
            g.frames.push(FrameState {
                func: func.clone(),
                line,
                defers: Vec::new(),
            });
        }
        EventKind::Return { .. } => {
            g.frames.pop();
            if let Some(f) = g.frames.last() {
                g.line = f.line;
            }
        }
        EventKind::DeferPush {
            func,
            args,
            closure,
        } => {
            if let Some(f) = g.frames.last_mut() {
                f.defers.push(DeferCard {
                    func: func.clone(),
                    args: args.clone(),
                    closure: *closure,
                    line: ev.line,
                });
            }
        }
        EventKind::DeferRun { .. } => {
            if let Some(f) = g.frames.last_mut() {
                f.defers.pop();
            }
        }
        EventKind::Block { reason, .. } => {
            g.status = if reason == "sleep" {
                GStatus::Sleeping
            } else {
                GStatus::Blocked
            };
            g.wait_reason.clone_from(reason);
        }
        EventKind::Unblock if parked => {
            g.status = GStatus::Runnable;
            g.wait_reason.clear();
        }
        EventKind::GoroutineExit if g.status != GStatus::Done => {
            g.status = GStatus::Done;
            g.wait_reason.clear();
            g.frames.clear();
            s.alive = s.alive.saturating_sub(1);
        }
        _ => {}
    }
}

/// The event's effect on everything else: other goroutines, channels,
/// sync objects, contexts, files, the clock and the output.
fn apply_shared(s: &mut Snapshot, gid: usize, ev: &Event) -> Touched {
    let mut touched = None;
    match &ev.kind {
        EventKind::Spawn { child, func } => {
            touched = Some(*child);
            // a timer's goroutine (time.AfterFunc) has no creating statement
            let line = if gid == 0 { 0 } else { ev.line };
            if !s.goroutines.contains_key(child) {
                s.goroutines
                    .insert(*child, new_goroutine(*child, func, line));
                s.alive += 1;
            }
            if let Some(c) = s.goroutines.get_mut(child) {
                c.created_line = line;
                c.func.clone_from(func);
            }
        }
        EventKind::Block { on, .. } => {
            // waiting only for a timer's channel is sleeping, as for Sleep
            let timer_only = !on.is_empty()
                && on.iter().all(|w| match w {
                    WaitOn::Recv { chan } => s.chans.get(chan).is_some_and(is_timer_chan),
                    _ => false,
                });
            if timer_only {
                if let Some(g) = s.goroutines.get_mut(&gid) {
                    g.status = GStatus::Sleeping;
                }
            }
            for w in on {
                join_queue(s, gid, *w, ev.line);
            }
            if !on.is_empty() {
                s.blocked_on.insert(gid, on.clone());
            }
        }
        EventKind::Unblock => leave_queues(s, gid),
        EventKind::GoroutineExit => {
            leave_queues(s, gid);
            s.panicking.remove(&gid);
        }
        EventKind::ChanMake { chan, cap, elem } => {
            s.chans.insert(
                *chan,
                ChanState {
                    id: *chan,
                    elem: elem.clone(),
                    cap: *cap,
                    made_line: ev.line,
                    buffer: Vec::new(),
                    closed: false,
                    senders: Vec::new(),
                    receivers: Vec::new(),
                },
            );
        }
        EventKind::ChanPush { chan, value } => {
            if let Some(c) = s.chans.get_mut(chan) {
                c.buffer.push(value.clone());
            }
        }
        EventKind::ChanPop { chan } => {
            if let Some(c) = s.chans.get_mut(chan) {
                if !c.buffer.is_empty() {
                    c.buffer.remove(0);
                }
            }
        }
        EventKind::ChanClose { chan } => {
            if let Some(c) = s.chans.get_mut(chan) {
                c.closed = true;
            }
        }
        EventKind::Lock { what, mutex, read } => {
            let m = s.mutexes.entry(*mutex).or_insert_with(|| MutexState {
                id: *mutex,
                what: what.clone(),
                line: ev.line,
                holder: None,
                readers: Vec::new(),
                waiters: Vec::new(),
            });
            if *read {
                m.readers.push(gid);
            } else {
                m.holder = Some(gid);
            }
        }
        EventKind::Unlock { mutex, read, .. } => {
            if let Some(m) = s.mutexes.get_mut(mutex) {
                if *read {
                    // RUnlock may come from another goroutine than RLock
                    let i = m.readers.iter().position(|r| *r == gid).unwrap_or(0);
                    if i < m.readers.len() {
                        m.readers.remove(i);
                    }
                } else {
                    m.holder = None;
                }
            }
        }
        EventKind::WaitGroupAdd { wg, counter, .. } => {
            wait_group(s, *wg, ev.line).counter = *counter;
        }
        EventKind::CtxMake {
            ctx,
            parent,
            kind,
            deadline_ns,
        } => {
            s.contexts.insert(
                *ctx,
                ContextState {
                    id: *ctx,
                    parent: *parent,
                    kind: kind.clone(),
                    made_line: ev.line,
                    deadline_ns: *deadline_ns,
                    err: None,
                },
            );
        }
        EventKind::CtxCancel { ctx, err } => {
            if let Some(c) = s.contexts.get_mut(ctx) {
                c.err = Some(err.clone());
            }
        }
        EventKind::LoopVar {
            loop_line,
            name,
            value,
            fresh,
            per_iteration,
        } => {
            let found = s
                .loop_vars
                .iter_mut()
                .rev()
                .find(|l| l.line == *loop_line && l.name == *name);
            match found {
                Some(l) => {
                    if *fresh {
                        l.instances += 1;
                    }
                    l.value.clone_from(value);
                    l.per_iteration = *per_iteration;
                }
                None => s.loop_vars.push(LoopVarState {
                    name: name.clone(),
                    line: *loop_line,
                    per_iteration: *per_iteration,
                    instances: 1,
                    value: value.clone(),
                }),
            }
        }
        EventKind::Panic { value } => {
            s.panicking.insert(gid, value.clone());
        }
        EventKind::Recover { .. } => {
            s.panicking.remove(&gid);
        }
        EventKind::Call { .. }
        | EventKind::Return { .. }
        | EventKind::DeferPush { .. }
        | EventKind::DeferRun { .. }
        | EventKind::ChanSend { .. }
        | EventKind::ChanRecv { .. }
        | EventKind::SelectChoice { .. }
        | EventKind::Timer { .. }
        | EventKind::Line
        | EventKind::Exit { .. } => {}
        EventKind::ClockAdvance { now_ns } => s.now_ns = *now_ns,
        EventKind::FileOpen { fd, name } => {
            s.files.insert(
                *fd,
                OpenFile {
                    fd: *fd,
                    name: name.clone(),
                    opened_line: ev.line,
                    goroutine: gid,
                },
            );
        }
        EventKind::FileClose { fd } => {
            s.files.remove(fd);
        }
        EventKind::Output { fd, text } => {
            if *fd == 2 {
                s.stderr_len += text.len();
            } else {
                s.stdout_len += text.len();
            }
        }
    }
    touched
}

/// Timer and ticker channels (made by the runtime with room for one time).
fn is_timer_chan(c: &ChanState) -> bool {
    c.elem == "time.Time" && c.cap == 1
}

fn wait_group(s: &mut Snapshot, wg: usize, line: usize) -> &mut WaitGroupState {
    s.waitgroups.entry(wg).or_insert_with(|| WaitGroupState {
        id: wg,
        counter: 0,
        waiters: Vec::new(),
        line,
    })
}

fn join_queue(s: &mut Snapshot, gid: usize, w: WaitOn, line: usize) {
    match w {
        WaitOn::Send { chan } => {
            if let Some(c) = s.chans.get_mut(&chan) {
                c.senders.push(gid);
            }
        }
        WaitOn::Recv { chan } => {
            if let Some(c) = s.chans.get_mut(&chan) {
                c.receivers.push(gid);
            }
        }
        WaitOn::WaitGroup { wg } => wait_group(s, wg, line).waiters.push(gid),
        WaitOn::Mutex { mutex } => {
            if let Some(m) = s.mutexes.get_mut(&mutex) {
                m.waiters.push(gid);
            }
        }
    }
}

fn leave_queues(s: &mut Snapshot, gid: usize) {
    let Some(on) = s.blocked_on.remove(&gid) else {
        return;
    };
    for w in on {
        // Queues are FIFO: the goroutine leaving is nearly always the first.
        // Removing it from the front of a 10,000-entry Vec each time would
        // make replay quadratic, so the front is skipped lazily and
        // `normalize` drops skipped entries before anyone sees the state.
        let skip = s.queue_fronts.get(&w).copied().unwrap_or(0);
        let Some(q) = queue(s, w) else {
            continue;
        };
        let pos = q
            .get(skip..)
            .and_then(|rest| rest.iter().position(|g| *g == gid));
        let skip = match pos {
            Some(0) => {
                let skip = skip + 1;
                if skip >= 32 && skip * 2 >= q.len() {
                    q.drain(..skip.min(q.len()));
                    0
                } else {
                    skip
                }
            }
            Some(i) => {
                q.remove(skip + i);
                skip
            }
            None => skip,
        };
        if skip == 0 {
            s.queue_fronts.remove(&w);
        } else {
            s.queue_fronts.insert(w, skip);
        }
    }
}

/// The queue of goroutines parked on `w`'s object.
fn queue(s: &mut Snapshot, w: WaitOn) -> Option<&mut Vec<usize>> {
    match w {
        WaitOn::Send { chan } => s.chans.get_mut(&chan).map(|c| &mut c.senders),
        WaitOn::Recv { chan } => s.chans.get_mut(&chan).map(|c| &mut c.receivers),
        WaitOn::WaitGroup { wg } => s.waitgroups.get_mut(&wg).map(|w| &mut w.waiters),
        WaitOn::Mutex { mutex } => s.mutexes.get_mut(&mutex).map(|m| &mut m.waiters),
    }
}

/// Drops lazily skipped queue entries (see `leave_queues`).
fn normalize(s: &mut Snapshot) {
    for (w, skip) in std::mem::take(&mut s.queue_fronts) {
        if let Some(q) = queue(s, w) {
            q.drain(..skip.min(q.len()));
        }
    }
}

/// Undoes `mark_running` so that folding can go on.
fn unmark_running(s: &mut Snapshot) {
    if let Some(g) = s.running.and_then(|id| s.goroutines.get_mut(&id)) {
        if g.status == GStatus::Running {
            g.status = GStatus::Runnable;
        }
    }
}

/// Makes a folded state presentable: exact queues, the running goroutine.
fn finish(s: &mut Snapshot) {
    normalize(s);
    mark_running(s);
}

/// Status as a lane shows it: the event's own goroutine is Running.
fn lane_status(g: &GoroutineState, running: bool) -> (GStatus, &str) {
    if running && g.status == GStatus::Runnable {
        (GStatus::Running, "")
    } else {
        (g.status, g.wait_reason.as_str())
    }
}

struct LaneBuilder {
    lanes: Vec<Lane>,
    /// lane index by goroutine id (ids are dense: 1, 2, 3, ...)
    index: Vec<usize>,
    running: Option<usize>,
}

impl LaneBuilder {
    fn new(s: &Snapshot) -> LaneBuilder {
        let mut b = LaneBuilder {
            lanes: Vec::new(),
            index: Vec::new(),
            running: None,
        };
        for g in s.goroutines.values() {
            b.update(g, false, 0);
        }
        b
    }

    fn update(&mut self, g: &GoroutineState, running: bool, at: usize) {
        let (status, reason) = lane_status(g, running);
        let li = match self.index.get(g.id).filter(|i| **i != usize::MAX) {
            Some(i) => *i,
            None => {
                // the interpreter numbers goroutines densely, never past its budget
                if g.id >= MAX_GOROUTINE_ID {
                    return;
                }
                if self.index.len() <= g.id {
                    self.index.resize(g.id + 1, usize::MAX);
                }
                self.index[g.id] = self.lanes.len();
                self.lanes.push(Lane {
                    goroutine: g.id,
                    func: g.func.clone(),
                    created_line: g.created_line,
                    spans: Vec::new(),
                });
                self.lanes.len() - 1
            }
        };
        let lane = &mut self.lanes[li];
        if lane.func.is_empty() && !g.func.is_empty() {
            lane.func = g.func.clone();
            lane.created_line = g.created_line;
        }
        if let Some(last) = lane.spans.last_mut() {
            if last.status == status && last.wait_reason == reason {
                return;
            }
            last.to = at;
            if last.from == last.to {
                lane.spans.pop();
                if let Some(prev) = lane.spans.last_mut() {
                    if prev.status == status && prev.wait_reason == reason {
                        prev.to = usize::MAX;
                        return;
                    }
                }
            }
        }
        lane.spans.push(Span {
            from: at,
            to: usize::MAX,
            status,
            wait_reason: reason.to_string(),
        });
    }

    fn after(&mut self, s: &Snapshot, ev: &Event, touched: Touched, at: usize) {
        let gid = ev.goroutine;
        if self.running != s.running {
            if let Some(old) = self.running.take() {
                if let Some(g) = s.goroutines.get(&old) {
                    self.update(g, false, at);
                }
            }
            self.running = s.running;
            if let Some(g) = s.running.and_then(|r| s.goroutines.get(&r)) {
                self.update(g, true, at);
            }
        }
        if let Some(g) = s.goroutines.get(&gid) {
            self.update(g, self.running == Some(gid), at);
        }
        if let Some(t) = touched {
            if let Some(g) = s.goroutines.get(&t) {
                self.update(g, self.running == Some(t), at);
            }
        }
    }

    fn finish(mut self, len: usize) -> Vec<Lane> {
        for lane in &mut self.lanes {
            if let Some(last) = lane.spans.last_mut() {
                last.to = len.max(last.from);
            }
            lane.spans.retain(|sp| sp.to > sp.from || sp.from == len);
        }
        self.lanes
    }
}

#[cfg(test)]
mod tests;
