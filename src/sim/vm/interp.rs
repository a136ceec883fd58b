//! Bytecode interpreter, goroutines and the deterministic scheduler.
//!
//! Each goroutine is an explicit stack of frames over one value stack, so a Go
//! call never recurses in Rust and the scheduler can switch goroutines at any
//! blocking operation or after a time slice. Scheduling mimics a single-P Go
//! runtime: a goroutine made ready goes to `runnext`, preempted ones go to the
//! tail of the run queue. Virtual time only advances when nothing can run.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, VecDeque};
use std::rc::Rc;

use super::program::*;
use super::value::*;
use crate::sim::report::{GoroutineInfo, OpenFileInfo, Report};
use crate::sim::trace::{Event, EventKind, Trace, WaitOn, MAX_EVENTS};
use crate::sim::{SimOptions, SimResult};

/// Instructions a goroutine runs before it is preempted (Go preempts after ~10ms).
const TIME_SLICE: u32 = 200_000;

/// Virtual wall clock at program start (the Go playground's 2009-11-10 23:00 UTC).
pub const START_NS: i64 = 1_257_894_000_000_000_000;

#[derive(Debug, Clone)]
pub enum Callable {
    Closure(Rc<Closure>),
    Native(u16),
    Method(Value, u32),
    Cancel(Rcell<Obj>),
}

#[derive(Debug)]
pub struct Deferred {
    pub f: Callable,
    pub args: Vec<Value>,
    /// `Op::TypeHints` of a deferred fmt call, restored when it runs.
    pub hints: Option<u32>,
    /// the callee as written at the defer statement (only when tracing)
    pub name: Option<Rc<str>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FrameKind {
    Normal,
    Defer { during_panic: bool },
    Nested,
}

#[derive(Debug)]
pub struct Frame {
    pub func: u32,
    pub pc: usize,
    pub bp: usize,
    pub ups: Option<Rc<Closure>>,
    pub defers: Vec<Deferred>,
    pub keep: bool,
    pub kind: FrameKind,
    pub panicking: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Status {
    Runnable,
    Blocked,
    Done,
}

#[derive(Debug)]
pub struct PanicRec {
    pub value: Value,
    pub recovered: bool,
}

#[derive(Debug)]
pub struct G {
    pub id: usize,
    pub stack: Vec<Value>,
    pub frames: Vec<Frame>,
    pub status: Status,
    pub wait: &'static str,
    pub wait_line: u32,
    pub create_line: u32,
    pub func_name: String,
    pub panics: Vec<PanicRec>,
    pub wait_seq: u64,
    pub pending_panic: Option<String>,
    /// Set by `Op::TypeHints` just before a fmt call, taken by that call.
    pub type_hints: Option<u32>,
    /// line of the last `EventKind::Line` recorded for this goroutine
    pub traced_line: u32,
    /// queues joined by the blocking operation in progress (only when tracing)
    pub wait_on: Vec<WaitOn>,
}

impl G {
    /// A goroutine that never runs: the formatter's context where no Go
    /// code may be called.
    pub fn detached() -> G {
        G {
            id: 0,
            stack: Vec::new(),
            frames: Vec::new(),
            status: Status::Done,
            wait: "",
            wait_line: 0,
            create_line: 0,
            func_name: String::new(),
            panics: Vec::new(),
            wait_seq: 0,
            pending_panic: None,
            type_hints: None,
            traced_line: 0,
            wait_on: Vec::new(),
        }
    }
}

/// Control flow that escapes normal execution.
#[derive(Debug)]
pub enum Flow {
    Panic(Value),
    /// Stop the whole program: exit code and stderr text.
    Fatal(i32, String),
    Exit(i32),
}

pub enum Outcome {
    Yield,
    Block,
    Done,
    /// nested call returned to its stop depth
    Returned,
}

pub enum NRes {
    Vals(Vec<Value>),
    One(Value),
    Unit,
    Block(&'static str),
    Call(Callable, Vec<Value>),
    Yield,
}

#[derive(Debug, Clone)]
pub enum TimerAction {
    Wake(usize, u64),
    Send(Rcell<ChanV>, Rcell<Obj>),
    Cancel(Rcell<Obj>),
    Func(Rc<Closure>),
}

pub struct VFile {
    pub data: Vec<u8>,
}

pub struct Vm {
    pub prog: Rc<Program>,
    pub opts: SimOptions,
    pub filename: String,
    pub gs: Vec<Option<Box<G>>>,
    pub runq: VecDeque<usize>,
    pub runnext: Option<usize>,
    pub globals: Vec<Rcell<Value>>,
    pub now: i64,
    pub timers: BinaryHeap<Reverse<(i64, u64)>>,
    pub timer_actions: HashMap<u64, TimerAction>,
    pub timer_seq: u64,
    pub stdout: String,
    pub stderr: String,
    pub steps: u64,
    pub rng: u64,
    pub trace: Vec<Event>,
    pub trace_truncated: bool,
    pub tracing: bool,
    /// stdout / stderr bytes covered by Output events
    pub traced_out: (usize, usize),
    /// `SimOptions::trace_lines` (only when tracing)
    pub trace_lines: bool,
    /// trace ids of sync objects and contexts, by address; `obj_keep` holds
    /// them alive so that an address is never reused for another object
    pub obj_ids: HashMap<usize, usize>,
    pub obj_keep: Vec<Rcell<Obj>>,
    pub alive: usize,
    pub peak_alive: usize,
    pub heap: usize,
    pub next_chan: usize,
    pub exit: Option<i32>,
    pub report: Report,
    pub singletons: HashMap<&'static str, Value>,
    pub files: BTreeMap<String, VFile>,
    pub dirs: std::collections::BTreeSet<String>,
    pub fds: BTreeMap<i64, (Rcell<Obj>, u32)>,
    pub cur_line: u32,
    pub cur_gid: usize,
    pub tmp_counter: u64,
    pub nested_depth: u32,
}

pub fn execute(prog: Program, filename: &str, opts: &SimOptions) -> SimResult {
    let mut vm = Vm::new(prog, filename, opts);
    vm.run_all();
    vm.finish()
}

impl Vm {
    pub fn new(prog: Program, filename: &str, opts: &SimOptions) -> Vm {
        let nglobals = prog.nglobals;
        let mut vm = Vm {
            prog: Rc::new(prog),
            opts: opts.clone(),
            filename: filename.to_string(),
            gs: vec![None],
            runq: VecDeque::new(),
            runnext: None,
            globals: (0..nglobals).map(|_| rcell(Value::Nil)).collect(),
            now: START_NS,
            timers: BinaryHeap::new(),
            timer_actions: HashMap::new(),
            timer_seq: 0,
            stdout: String::new(),
            stderr: String::new(),
            steps: 0,
            rng: opts.seed ^ 0x9E37_79B9_7F4A_7C15,
            trace: Vec::new(),
            trace_truncated: false,
            tracing: opts.trace,
            traced_out: (0, 0),
            trace_lines: opts.trace && opts.trace_lines,
            obj_ids: HashMap::new(),
            obj_keep: Vec::new(),
            alive: 0,
            peak_alive: 0,
            heap: 0,
            next_chan: 1,
            exit: None,
            report: Report::default(),
            singletons: HashMap::new(),
            files: BTreeMap::new(),
            dirs: ["/", "/tmp", "/proc", "/proc/self", "/proc/self/fd"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            fds: BTreeMap::new(),
            cur_line: 0,
            cur_gid: 1,
            tmp_counter: 0,
            nested_depth: 0,
        };
        if vm.rng == 0 {
            vm.rng = 1;
        }
        for (name, msg) in [
            ("canceled", "context canceled"),
            ("deadline", "context deadline exceeded"),
            ("eof", "EOF"),
            ("notexist", "file does not exist"),
            ("exist", "file already exists"),
            ("syntax", "invalid syntax"),
            ("range", "value out of range"),
            ("closed", "file already closed"),
        ] {
            vm.singletons.insert(
                name,
                Value::Err(Rc::new(ErrV {
                    msg: msg.into(),
                    wrapped: Vec::new(),
                })),
            );
        }
        vm
    }

    pub fn rand(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn rand_below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        (self.rand() % n as u64) as usize
    }

    /// Trace id of a sync object or context (1, 2, ... in order of first use).
    pub fn obj_id(&mut self, o: &Rcell<Obj>) -> usize {
        let key = Rc::as_ptr(o) as usize;
        if let Some(id) = self.obj_ids.get(&key) {
            return *id;
        }
        let id = self.obj_keep.len() + 1;
        self.obj_ids.insert(key, id);
        self.obj_keep.push(o.clone());
        id
    }

    /// `%v` of a value for the trace, without running any Go code.
    pub fn frozen(&mut self, v: &Value) -> String {
        crate::sim::runtime::fmt::frozen_text(self, v)
    }

    /// Notes a queue the current blocking operation of `g` joins.
    pub fn wait_on(&self, g: &mut G, w: WaitOn) {
        if self.tracing {
            g.wait_on.push(w);
        }
    }

    /// Records output of `gid` on `fd` (1 or 2) that was already appended to
    /// the output buffer.
    pub fn tracing_output(&mut self, gid: usize, fd: i64, text: String) {
        if fd == 2 {
            self.traced_out.1 += text.len();
        } else {
            self.traced_out.0 += text.len();
        }
        self.ev(gid, EventKind::Output { fd, text });
    }

    #[inline]
    pub fn ev(&mut self, gid: usize, kind: EventKind) {
        if self.tracing {
            if self.trace.len() >= MAX_EVENTS {
                // Stop all tracing work (formatting values, line steps) too.
                self.trace_truncated = true;
                self.tracing = false;
                self.trace_lines = false;
                return;
            }
            self.trace.push(Event {
                step: self.steps,
                goroutine: gid,
                kind,
                line: self.cur_line as usize,
            });
        }
    }

    // ------------------------------------------------------------ goroutines

    pub fn new_g_inner(&mut self, create_line: u32, func: u32) -> Result<usize, Flow> {
        if self.alive >= self.opts.max_goroutines {
            return Err(self.budget(format!(
                "goroutine budget exceeded (max_goroutines = {})",
                self.opts.max_goroutines
            )));
        }
        let id = self.gs.len();
        let name = self
            .prog
            .funcs
            .get(func as usize)
            .map(|f| f.name.clone())
            .unwrap_or_default();
        self.gs.push(Some(Box::new(G {
            id,
            stack: Vec::new(),
            frames: Vec::new(),
            status: Status::Runnable,
            wait: "",
            wait_line: 0,
            create_line,
            func_name: format!("main.{name}"),
            panics: Vec::new(),
            wait_seq: 0,
            pending_panic: None,
            type_hints: None,
            traced_line: 0,
            wait_on: Vec::new(),
        })));
        self.alive += 1;
        self.peak_alive = self.peak_alive.max(self.alive);
        self.heap += 512;
        self.check_heap()?;
        Ok(id)
    }

    pub fn budget(&mut self, msg: String) -> Flow {
        self.report.budget_exceeded = Some(msg.clone());
        Flow::Fatal(2, format!("simulator: {msg}\n"))
    }

    pub fn check_heap(&mut self) -> Result<(), Flow> {
        if self.heap > self.opts.max_heap_bytes {
            return Err(self.budget(format!(
                "heap budget exceeded (max_heap_bytes = {})",
                self.opts.max_heap_bytes
            )));
        }
        Ok(())
    }

    pub fn make_ready(&mut self, gid: usize) {
        if let Some(Some(g)) = self.gs.get_mut(gid) {
            if g.status == Status::Blocked {
                g.status = Status::Runnable;
                g.wait_seq += 1;
                g.wait = "";
                if let Some(old) = self.runnext.replace(gid) {
                    self.runq.push_back(old);
                }
                self.ev(gid, EventKind::Unblock);
            }
        }
    }

    /// Wakes `gid` and pushes `vals` onto its stack (completing its blocked operation).
    pub fn wake_with(&mut self, gid: usize, vals: Vec<Value>) {
        if let Some(Some(g)) = self.gs.get_mut(gid) {
            g.stack.extend(vals);
        }
        self.make_ready(gid);
    }

    pub fn waiter_valid(&self, w: &Waiter) -> bool {
        match self.gs.get(w.gid) {
            Some(Some(g)) => g.status == Status::Blocked && g.wait_seq == w.seq,
            _ => false,
        }
    }

    pub fn add_timer(&mut self, at: i64, action: TimerAction) -> u64 {
        self.timer_seq += 1;
        let id = self.timer_seq;
        self.timers.push(Reverse((at, id)));
        self.timer_actions.insert(id, action);
        id
    }

    // ------------------------------------------------------------ scheduler

    fn run_all(&mut self) {
        let main = self.prog.main;
        let init = self.prog.init;
        let gid = match self.new_g_inner(0, main) {
            Ok(g) => g,
            Err(_) => return,
        };
        if let Some(Some(g)) = self.gs.get_mut(gid) {
            g.func_name = "main.main".into();
        }
        {
            let mut g = match self.gs[gid].take() {
                Some(g) => g,
                None => return,
            };
            let r1 = self.push_frame(
                &mut g,
                main,
                None,
                Vec::new(),
                false,
                FrameKind::Normal,
                false,
            );
            let r2 = self.push_frame(
                &mut g,
                init,
                None,
                Vec::new(),
                false,
                FrameKind::Normal,
                false,
            );
            self.gs[gid] = Some(g);
            if let Err(f) = r1.and(r2) {
                self.handle_flow(gid, f);
                return;
            }
        }
        self.runq.push_back(gid);
        loop {
            if self.exit.is_some() {
                break;
            }
            let next = self.runnext.take().or_else(|| self.runq.pop_front());
            let gid = match next {
                Some(id) => id,
                None => {
                    // A ticker that nobody reads keeps firing in virtual time
                    // forever; counting each firing as a step lets the step
                    // budget end such a run instead of spinning here.
                    self.steps += 1;
                    if self.steps > self.opts.max_steps {
                        let f = self.budget(format!(
                            "step budget exceeded (max_steps = {})",
                            self.opts.max_steps
                        ));
                        self.handle_flow(0, f);
                        break;
                    }
                    if self.fire_timers() {
                        continue;
                    }
                    self.deadlock();
                    break;
                }
            };
            let mut g = match self.gs.get_mut(gid).and_then(|g| g.take()) {
                Some(g) => g,
                None => continue,
            };
            if g.status != Status::Runnable {
                self.gs[gid] = Some(g);
                continue;
            }
            self.cur_gid = gid;
            let res = self.exec(&mut g, TIME_SLICE, 0);
            match res {
                Ok(Outcome::Yield) => {
                    self.gs[gid] = Some(g);
                    self.runq.push_back(gid);
                }
                Ok(Outcome::Block) => {
                    g.wait_line = self.cur_line;
                    let reason = g.wait;
                    let on = std::mem::take(&mut g.wait_on);
                    self.gs[gid] = Some(g);
                    self.ev(
                        gid,
                        EventKind::Block {
                            reason: reason.to_string(),
                            on,
                        },
                    );
                }
                Ok(Outcome::Done) | Ok(Outcome::Returned) => {
                    self.alive -= 1;
                    self.heap = self.heap.saturating_sub(512);
                    self.ev(gid, EventKind::GoroutineExit);
                    if gid == 1 {
                        self.gs[gid] = Some(g);
                        self.exit = Some(0);
                    }
                }
                Err(f) => {
                    self.gs[gid] = Some(g);
                    self.handle_flow(gid, f);
                }
            }
        }
    }

    fn handle_flow(&mut self, gid: usize, f: Flow) {
        match f {
            Flow::Exit(c) => self.exit = Some(c),
            Flow::Fatal(code, msg) => {
                self.stderr.push_str(&msg);
                self.exit = Some(code);
            }
            Flow::Panic(v) => {
                // A panic escaping exec is already unwound; print it.
                let text = self.panic_text(&v);
                self.stderr
                    .push_str(&format!("panic: {text}\n\ngoroutine {gid} [running]:\n"));
                self.exit = Some(2);
            }
        }
    }

    /// Fires the earliest timers; returns false when there are none.
    fn fire_timers(&mut self) -> bool {
        let at = match self.timers.peek() {
            Some(Reverse((at, _))) => *at,
            None => return false,
        };
        // What timers do (wake, send, cancel, spawn) is the runtime's doing.
        self.cur_gid = 0;
        if at > self.now {
            self.now = at;
            self.ev(
                0,
                EventKind::ClockAdvance {
                    now_ns: at - START_NS,
                },
            );
        }
        while let Some(Reverse((t, id))) = self.timers.peek().copied() {
            if t > self.now {
                break;
            }
            self.timers.pop();
            if let Some(action) = self.timer_actions.remove(&id) {
                self.run_timer(action, id);
            }
        }
        true
    }

    fn run_timer(&mut self, action: TimerAction, id: u64) {
        match action {
            TimerAction::Wake(gid, seq) => {
                let ok = matches!(self.gs.get(gid), Some(Some(g)) if g.wait_seq == seq && g.status == Status::Blocked);
                if ok {
                    self.make_ready(gid);
                }
            }
            TimerAction::Send(ch, tobj) => {
                let (live, period) = match &*tobj.borrow() {
                    Obj::Timer {
                        gen,
                        active,
                        period,
                        ..
                    } => (*active && *gen == id, *period),
                    _ => (false, 0),
                };
                if !live {
                    return;
                }
                let now = Value::Time(self.now);
                // Timer channels have capacity 1 and drop values when full.
                let _ = crate::sim::vm::chan::try_send(self, &ch, now);
                if period > 0 {
                    let nid =
                        self.add_timer(self.now + period, TimerAction::Send(ch, tobj.clone()));
                    if let Obj::Timer { gen, .. } = &mut *tobj.borrow_mut() {
                        *gen = nid;
                    }
                } else if let Obj::Timer { active, .. } = &mut *tobj.borrow_mut() {
                    *active = false;
                }
            }
            TimerAction::Cancel(ctx) => {
                let err = self.singletons["deadline"].clone();
                crate::sim::vm::natives::cancel_ctx(self, &ctx, err);
            }
            TimerAction::Func(c) => {
                let proto = c.proto;
                if let Ok(gid) = self.new_g_inner(0, proto) {
                    if self.tracing {
                        let func = self.gs[gid]
                            .as_ref()
                            .map(|g| g.func_name.clone())
                            .unwrap_or_default();
                        self.ev(0, EventKind::Spawn { child: gid, func });
                    }
                    if let Some(mut g) = self.gs[gid].take() {
                        let r = self.push_frame(
                            &mut g,
                            proto,
                            Some(c),
                            Vec::new(),
                            false,
                            FrameKind::Normal,
                            false,
                        );
                        self.gs[gid] = Some(g);
                        if r.is_ok() {
                            self.runq.push_back(gid);
                        }
                    }
                }
            }
        }
    }

    fn deadlock(&mut self) {
        let main_done = matches!(self.gs.get(1), Some(Some(g)) if g.status == Status::Done);
        if main_done {
            self.exit = Some(0);
            return;
        }
        let reason = match self.gs.get(1) {
            Some(Some(g)) => g.wait,
            _ => "",
        };
        self.report.deadlock = Some(format!(
            "all goroutines are asleep; main is blocked in {reason}"
        ));
        let mut msg = String::from("fatal error: all goroutines are asleep - deadlock!\n\n");
        for g in self.gs.iter().flatten() {
            if g.status == Status::Blocked {
                msg.push_str(&format!(
                    "goroutine {} [{}]:\n{}(...)\n\t{}:{}\n\n",
                    g.id, g.wait, g.func_name, self.filename, g.wait_line
                ));
            }
        }
        msg.push_str("exit status 2\n");
        self.stderr.push_str(&msg);
        self.exit = Some(2);
    }

    fn finish(mut self) -> SimResult {
        let code = self.exit.unwrap_or(0);
        // Runtime messages (panic, deadlock, budgets) go straight to the
        // buffers; record them so that replaying the output reaches the end.
        if self.tracing {
            for (fd, len) in [(1, self.traced_out.0), (2, self.traced_out.1)] {
                let buf = if fd == 1 { &self.stdout } else { &self.stderr };
                if let Some(tail) = buf.get(len..).filter(|t| !t.is_empty()) {
                    let text = tail.to_string();
                    self.tracing_output(0, fd, text);
                }
            }
        }
        self.ev(1, EventKind::Exit { code });
        let mut leaked = Vec::new();
        let (mut count, mut blocked) = (0, 0);
        for g in self.gs.iter().flatten() {
            if g.status == Status::Done
                || (g.id == 1 && code == 0 && self.report.deadlock.is_none())
            {
                continue;
            }
            count += 1;
            let info = GoroutineInfo {
                id: g.id,
                wait_reason: if g.status == Status::Runnable {
                    "runnable".into()
                } else {
                    g.wait.to_string()
                },
                blocked_line: g.wait_line as usize,
                created_line: g.create_line as usize,
                function: g.func_name.clone(),
            };
            blocked += usize::from(info.is_blocked());
            if leaked.len() < 1000 {
                leaked.push(info);
            }
        }
        self.report.goroutines = leaked;
        self.report.leaked = count;
        self.report.blocked = blocked;
        self.report.virtual_time_ns = self.now - START_NS;
        self.report.max_goroutines_alive = self.peak_alive;
        for (fd, (obj, line)) in &self.fds {
            if let Obj::File(f) = &*obj.borrow() {
                self.report.open_files.push(OpenFileInfo {
                    fd: *fd,
                    name: f.name.clone(),
                    opened_line: *line as usize,
                });
            }
        }
        SimResult {
            stdout: self.stdout,
            stderr: self.stderr,
            exit_code: code,
            report: self.report,
            trace: Trace {
                events: self.trace,
                truncated: self.trace_truncated,
            },
            steps: self.steps,
        }
    }

    // ------------------------------------------------------------ frames

    #[allow(clippy::too_many_arguments)]
    pub fn push_frame(
        &mut self,
        g: &mut G,
        func: u32,
        ups: Option<Rc<Closure>>,
        args: Vec<Value>,
        keep: bool,
        kind: FrameKind,
        spread: bool,
    ) -> Result<(), Flow> {
        let prog = self.prog.clone();
        let proto = &prog.funcs[func as usize];
        if g.frames.len() > 10_000 {
            return Err(Flow::Fatal(
                2,
                "runtime: goroutine stack exceeds 1000000000-byte limit\nfatal error: stack overflow\n".into(),
            ));
        }
        let bp = g.stack.len();
        let mut args = args;
        if proto.variadic && !spread {
            let fixed = proto.nparams - 1;
            let rest: Vec<Value> = if args.len() > fixed {
                args.split_off(fixed)
            } else {
                Vec::new()
            };
            args.push(if rest.is_empty() {
                Value::Slice(Rc::new(SliceV::nil()))
            } else {
                Value::Slice(Rc::new(SliceV::from_vec(rest)))
            });
        }
        args.resize(proto.nparams, Value::Nil);
        g.stack.extend(args);
        g.stack
            .resize(bp + proto.nlocals.max(proto.nparams), Value::Nil);
        for (slot, ti) in &proto.param_coerce {
            let i = bp + *slot as usize;
            let v = std::mem::replace(&mut g.stack[i], Value::Nil);
            g.stack[i] = coerce(v, &prog.tys[*ti as usize]);
        }
        for slot in &proto.boxed_params {
            let i = bp + *slot as usize;
            let v = std::mem::replace(&mut g.stack[i], Value::Nil);
            g.stack[i] = Value::Cell(rcell(v));
        }
        g.frames.push(Frame {
            func,
            pc: 0,
            bp,
            ups,
            defers: Vec::new(),
            keep,
            kind,
            panicking: false,
        });
        if self.tracing {
            let name = proto.name.clone();
            self.ev(g.id, EventKind::Call { func: name });
        }
        Ok(())
    }

    /// Calls a callable with arguments: pushes a frame for Go code, runs natives directly.
    pub fn invoke(
        &mut self,
        g: &mut G,
        c: Callable,
        args: Vec<Value>,
        keep: bool,
        kind: FrameKind,
        spread: bool,
    ) -> Result<Option<&'static str>, Flow> {
        match c {
            Callable::Closure(cl) => {
                let f = cl.proto;
                self.push_frame(g, f, Some(cl), args, keep, kind, spread)?;
                Ok(None)
            }
            Callable::Native(id) => {
                let r = crate::sim::vm::natives::call_native(self, g, id, args)?;
                self.native_result(g, r, keep, kind)
            }
            Callable::Cancel(ctx) => {
                let err = self.singletons["canceled"].clone();
                crate::sim::vm::natives::cancel_ctx(self, &ctx, err);
                Ok(None)
            }
            Callable::Method(recv, sym) => self.call_method(g, recv, sym, args, keep, kind, spread),
        }
    }

    pub fn native_result(
        &mut self,
        g: &mut G,
        r: NRes,
        keep: bool,
        kind: FrameKind,
    ) -> Result<Option<&'static str>, Flow> {
        match r {
            NRes::Vals(v) => {
                if keep {
                    g.stack.extend(v);
                }
            }
            NRes::One(v) => {
                if keep {
                    g.stack.push(v);
                }
            }
            NRes::Unit => {}
            NRes::Block(reason) => return Ok(Some(reason)),
            NRes::Yield => return Ok(Some("yield")),
            NRes::Call(c, args) => return self.invoke(g, c, args, keep, kind, false),
        }
        Ok(None)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn call_method(
        &mut self,
        g: &mut G,
        recv: Value,
        sym: u32,
        args: Vec<Value>,
        keep: bool,
        kind: FrameKind,
        spread: bool,
    ) -> Result<Option<&'static str>, Flow> {
        let prog = self.prog.clone();
        match self.resolve_method(&recv, sym) {
            Some((recv2, func)) => {
                let proto = &prog.funcs[func as usize];
                let recv_v = receiver_value(proto.ptr_recv, recv2)?;
                let mut full = Vec::with_capacity(args.len() + 1);
                full.push(recv_v);
                full.extend(args);
                self.push_frame(g, func, None, full, keep, kind, spread)?;
                Ok(None)
            }
            None => {
                let name = prog.syms[sym as usize].clone();
                let r = crate::sim::vm::natives::builtin_method(self, g, recv, &name, args)?;
                self.native_result(g, r, keep, kind)
            }
        }
    }

    /// Finds a user method for the receiver, following embedded fields.
    pub fn resolve_method(&self, recv: &Value, sym: u32) -> Option<(Value, u32)> {
        let handle = match recv {
            Value::Struct(h) => h.clone(),
            Value::Ptr(p) => match p.get() {
                Value::Struct(h) => h.clone(),
                _ => return None,
            },
            Value::NilPtr(id) | Value::TypedNil(id) => {
                return self.prog.methods.get(&(*id, sym)).map(|f| (Value::Nil, *f));
            }
            _ => return None,
        };
        let ty = handle.borrow().ty;
        if let Some(f) = self.prog.methods.get(&(ty, sym)) {
            return Some((recv.clone(), *f));
        }
        let info = self.prog.structs.get(ty as usize)?;
        for (i, fi) in info.fields.iter().enumerate() {
            if fi.embedded {
                let inner = handle.borrow().fields.get(i).cloned()?;
                if let Some(r) = self.resolve_method(&inner, sym) {
                    return Some(r);
                }
            }
        }
        None
    }

    /// Embedded field holding a builtin object with this method (e.g. an embedded sync.Mutex).
    pub fn embedded_obj(&self, recv: &Value, name: &str) -> Option<Value> {
        let handle = match recv {
            Value::Struct(h) => h.clone(),
            Value::Ptr(p) => match p.get() {
                Value::Struct(h) => h,
                _ => return None,
            },
            _ => return None,
        };
        let ty = handle.borrow().ty;
        let info = self.prog.structs.get(ty as usize)?;
        for (i, fi) in info.fields.iter().enumerate() {
            if fi.embedded {
                let inner = handle.borrow().fields.get(i).cloned()?;
                match &inner {
                    Value::Obj(_) if crate::sim::vm::natives::obj_has_method(&inner, name) => {
                        return Some(inner);
                    }
                    Value::Struct(_) | Value::Ptr(_) => {
                        if let Some(v) = self.embedded_obj(&inner, name) {
                            return Some(v);
                        }
                    }
                    _ => {}
                }
            }
        }
        None
    }

    /// Runs a Go function to completion on the current goroutine (fmt's String
    /// methods, sort.Slice's less). Blocking inside is not supported.
    pub fn call_nested(
        &mut self,
        g: &mut G,
        c: Callable,
        args: Vec<Value>,
    ) -> Result<Vec<Value>, Flow> {
        if self.nested_depth > 50 {
            return Err(Flow::Fatal(
                2,
                "fatal error: stack overflow in nested callback\n".into(),
            ));
        }
        let depth = g.frames.len();
        let sp = g.stack.len();
        match c {
            Callable::Closure(_) | Callable::Method(..) => {}
            _ => {
                let r = self.invoke(g, c, args, true, FrameKind::Nested, false)?;
                if r.is_some() {
                    return Err(Flow::Fatal(
                        2,
                        "simulator: blocking operation inside a callback is not supported\n".into(),
                    ));
                }
                return Ok(g.stack.split_off(sp));
            }
        }
        let r = self.invoke(g, c, args, true, FrameKind::Nested, false)?;
        if r.is_some() {
            return Err(Flow::Fatal(
                2,
                "simulator: blocking operation inside a callback is not supported\n".into(),
            ));
        }
        if g.frames.len() == depth {
            return Ok(g.stack.split_off(sp.min(g.stack.len())));
        }
        self.nested_depth += 1;
        let res = self.exec(g, u32::MAX, depth);
        self.nested_depth -= 1;
        match res? {
            Outcome::Returned => Ok(g.stack.split_off(sp.min(g.stack.len()))),
            _ => Err(Flow::Fatal(2, "simulator: blocking operation inside String/Error/less callback is not supported\n".into())),
        }
    }

    // ------------------------------------------------------------ panics

    pub fn panic_text(&mut self, v: &Value) -> String {
        match v {
            Value::Str(s) => s.to_string(),
            Value::Err(e) => e.msg.clone(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => crate::sim::runtime::fmt::go_float_print(*f),
            Value::Bool(b) => b.to_string(),
            Value::Nil => "nil".into(),
            other => {
                let s = crate::sim::runtime::fmt::sprint_plain(other);
                let tn = crate::sim::runtime::fmt::type_name(self, other);
                match other {
                    Value::Struct(_) | Value::Ptr(_) => {
                        // errors and Stringers print through their methods
                        if let Some(t) = self.method_text_nonnested(other) {
                            return t;
                        }
                        format!("{tn}{s}")
                    }
                    _ => s,
                }
            }
        }
    }

    fn method_text_nonnested(&mut self, _v: &Value) -> Option<String> {
        None
    }

    /// Starts or continues unwinding after a panic. Returns Ok(()) when a
    /// deferred call was scheduled (execution continues), or the fatal flow.
    fn start_panic(&mut self, g: &mut G, v: Value, stop_depth: usize) -> Result<bool, Flow> {
        if self.tracing {
            let text = self.panic_text(&v);
            self.ev(g.id, EventKind::Panic { value: text });
        }
        g.panics.push(PanicRec {
            value: v,
            recovered: false,
        });
        if let Some(f) = g.frames.last_mut() {
            f.panicking = true;
        }
        self.unwind(g, stop_depth)
    }

    /// Returns Ok(true) to continue executing, Ok(false) when the nested stop depth was reached.
    fn unwind(&mut self, g: &mut G, stop_depth: usize) -> Result<bool, Flow> {
        loop {
            let n = g.frames.len();
            if n == 0 || n <= stop_depth {
                break;
            }
            let f = &mut g.frames[n - 1];
            f.panicking = true;
            if let Some(d) = f.defers.pop() {
                g.type_hints = d.hints;
                if self.tracing {
                    let func = deferred_name(&self.prog, &d);
                    self.ev(g.id, EventKind::DeferRun { func });
                }
                let depth = g.frames.len();
                // A deferred builtin that would block during a panic is not modelled; unwinding goes on.
                let _ = self.invoke(
                    g,
                    d.f,
                    d.args,
                    false,
                    FrameKind::Defer { during_panic: true },
                    false,
                )?;
                if g.frames.len() > depth {
                    return Ok(true);
                }
                continue;
            }
            let f = match g.frames.pop() {
                Some(f) => f,
                None => break,
            };
            g.stack.truncate(f.bp);
            if self.tracing {
                let func = self.prog.funcs[f.func as usize].name.clone();
                self.ev(g.id, EventKind::Return { func });
            }
            // A deferred call that panicked: its caller frame keeps unwinding too.
        }
        if g.frames.len() > stop_depth && stop_depth > 0 {
            return Ok(true);
        }
        if stop_depth > 0 {
            // propagate through the native that made the nested call
            let v = g.panics.pop().map(|p| p.value).unwrap_or(Value::Nil);
            return Err(Flow::Panic(v));
        }
        // Fatal: print the panic chain like Go.
        let mut text = String::new();
        let recs: Vec<(Value, bool)> = g
            .panics
            .iter()
            .map(|p| (p.value.clone(), p.recovered))
            .collect();
        for (i, (v, rec)) in recs.iter().enumerate() {
            if i > 0 {
                text.push_str("\n\t");
            }
            text.push_str("panic: ");
            let t = self.panic_value_text(g, v);
            text.push_str(&t);
            if *rec {
                text.push_str(" [recovered]");
            }
        }
        let first = recs
            .first()
            .map(|(v, _)| self.panic_value_text(g, v))
            .unwrap_or_default();
        self.report.panic = Some(first);
        let line = self.cur_line;
        Err(Flow::Fatal(
            2,
            format!(
                "{text}\n\ngoroutine {} [running]:\nmain.main()\n\t{}:{}\nexit status 2\n",
                g.id, self.filename, line
            ),
        ))
    }

    fn panic_value_text(&mut self, g: &mut G, v: &Value) -> String {
        match v {
            Value::Struct(_) | Value::Ptr(_) => {
                for m in ["Error", "String"] {
                    let sym = self.prog.syms.iter().position(|s| s == m);
                    if let Some(sym) = sym {
                        if let Some((r, f)) = self.resolve_method(v, sym as u32) {
                            let _ = r;
                            let c = Callable::Method(v.clone(), sym as u32);
                            let _ = f;
                            if let Ok(mut out) = self.call_nested(g, c, Vec::new()) {
                                if let Some(Value::Str(s)) = out.pop() {
                                    return s.to_string();
                                }
                            }
                        }
                    }
                }
                let s = crate::sim::runtime::fmt::sprint_plain(v);
                let tn = crate::sim::runtime::fmt::type_name(self, v);
                format!("{tn}{s}")
            }
            Value::Err(e) if e.msg.starts_with("runtime error:") => e.msg.clone(),
            Value::Str(s) => {
                // Go prints string panics raw; runtime errors are error values.
                s.to_string()
            }
            _ => self.panic_text(v),
        }
    }

    // ------------------------------------------------------------ main loop

    /// Executes `g` until it blocks, finishes, exhausts `budget`, or (nested
    /// calls) returns to `stop_depth` frames.
    pub fn exec(&mut self, g: &mut G, budget: u32, stop_depth: usize) -> Result<Outcome, Flow> {
        let prog = self.prog.clone();
        if let Some(msg) = g.pending_panic.take() {
            let v = runtime_error_plain(&msg);
            if !self.start_panic(g, v, stop_depth)? {
                return Ok(Outcome::Returned);
            }
        }
        let mut left = budget;
        loop {
            let fi = match g.frames.len() {
                0 => return Ok(Outcome::Done),
                n => n - 1,
            };
            let (func, pc) = {
                let f = &g.frames[fi];
                (f.func, f.pc)
            };
            let proto = &prog.funcs[func as usize];
            let op = match proto.code.get(pc) {
                Some(op) => *op,
                None => Op::RetSeq,
            };
            g.frames[fi].pc = pc + 1;
            self.steps += 1;
            // Fast paths for the hottest scalar instructions keep tight loops
            // out of the general dispatcher.
            let bp = g.frames[fi].bp;
            let fast = left > 1 && self.steps <= self.opts.max_steps && !self.trace_lines;
            match op {
                Op::Load(s) if fast => {
                    if let Value::Int(i) = g.stack[bp + s as usize] {
                        g.stack.push(Value::Int(i));
                        left -= 1;
                        continue;
                    }
                }
                Op::Int(i) if fast => {
                    g.stack.push(Value::Int(i));
                    left -= 1;
                    continue;
                }
                Op::IncLocal(s, d) if fast => {
                    if let Value::Int(i) = &mut g.stack[bp + s as usize] {
                        *i = i.wrapping_add(d);
                        left -= 1;
                        continue;
                    }
                }
                Op::Jump(t) if fast => {
                    g.frames[fi].pc = t as usize;
                    left -= 1;
                    continue;
                }
                Op::Store(s) if fast => {
                    if let Some(v) = g.stack.pop() {
                        g.stack[bp + s as usize] = v;
                    }
                    left -= 1;
                    continue;
                }
                Op::JumpIfFalse(t) if fast => {
                    if let Some(Value::Bool(b)) = g.stack.last() {
                        if !*b {
                            g.frames[fi].pc = t as usize;
                        }
                        g.stack.pop();
                        left -= 1;
                        continue;
                    }
                }
                Op::BinLL(bop, x, y) if fast => {
                    if let (Value::Int(a), Value::Int(b)) =
                        (&g.stack[bp + x as usize], &g.stack[bp + y as usize])
                    {
                        if let Some(r) = int_fast(bop, *a, *b) {
                            g.stack.push(r);
                            left -= 1;
                            continue;
                        }
                    }
                }
                Op::BinLI(bop, x, k) if fast => {
                    if let Value::Int(a) = &g.stack[bp + x as usize] {
                        if let Some(r) = int_fast(bop, *a, k) {
                            g.stack.push(r);
                            left -= 1;
                            continue;
                        }
                    }
                }
                Op::Bin(bop) if fast => {
                    let n = g.stack.len();
                    if n >= 2 {
                        if let (Value::Int(x), Value::Int(y)) = (&g.stack[n - 2], &g.stack[n - 1]) {
                            let (x, y) = (*x, *y);
                            let r = match bop {
                                BinOp::Add => Some(Value::Int(x.wrapping_add(y))),
                                BinOp::Sub => Some(Value::Int(x.wrapping_sub(y))),
                                BinOp::Mul => Some(Value::Int(x.wrapping_mul(y))),
                                BinOp::Lt => Some(Value::Bool(x < y)),
                                BinOp::Le => Some(Value::Bool(x <= y)),
                                BinOp::Gt => Some(Value::Bool(x > y)),
                                BinOp::Ge => Some(Value::Bool(x >= y)),
                                BinOp::Eq => Some(Value::Bool(x == y)),
                                BinOp::Ne => Some(Value::Bool(x != y)),
                                _ => None,
                            };
                            if let Some(r) = r {
                                g.stack.pop();
                                g.stack[n - 2] = r;
                                left -= 1;
                                continue;
                            }
                        }
                    }
                }
                _ => {}
            }
            if self.steps > self.opts.max_steps {
                self.cur_line = proto.lines.get(pc).copied().unwrap_or(0);
                return Err(self.budget(format!(
                    "step budget exceeded (max_steps = {})",
                    self.opts.max_steps
                )));
            }
            self.cur_line = proto.lines.get(pc).copied().unwrap_or(0);
            if self.trace_lines && self.cur_line != g.traced_line && self.cur_line != 0 {
                g.traced_line = self.cur_line;
                self.ev(g.id, EventKind::Line);
            }
            let r = self.step(g, fi, op, &prog, proto, pc, stop_depth);
            match r {
                Ok(Step::Next) => {}
                Ok(Step::Block(reason)) => {
                    self.cur_line = proto.lines.get(pc).copied().unwrap_or(0);
                    if reason == "yield" {
                        return Ok(Outcome::Yield);
                    }
                    g.status = Status::Blocked;
                    g.wait = reason;
                    return Ok(Outcome::Block);
                }
                Ok(Step::Returned) => return Ok(Outcome::Returned),
                Ok(Step::Done) => {
                    g.status = Status::Done;
                    return Ok(Outcome::Done);
                }
                Err(Flow::Panic(v)) => {
                    self.cur_line = proto.lines.get(pc).copied().unwrap_or(0);
                    if !self.start_panic(g, v, stop_depth)? {
                        return Ok(Outcome::Returned);
                    }
                }
                Err(other) => {
                    self.cur_line = proto.lines.get(pc).copied().unwrap_or(0);
                    return Err(other);
                }
            }
            left -= 1;
            if left == 0 {
                return Ok(Outcome::Yield);
            }
        }
    }

    /// Finishes the top frame: pushes its results to the caller.
    pub fn do_return_inner(&mut self, g: &mut G, stop_depth: usize) -> Result<Step, Flow> {
        let prog = self.prog.clone();
        let f = match g.frames.pop() {
            Some(f) => f,
            None => return Ok(Step::Done),
        };
        let proto = &prog.funcs[f.func as usize];
        if self.tracing {
            self.ev(
                g.id,
                EventKind::Return {
                    func: proto.name.clone(),
                },
            );
        }
        let mut results = Vec::new();
        if f.keep {
            for (i, slot) in proto.results.iter().enumerate() {
                let v = std::mem::replace(&mut g.stack[f.bp + *slot as usize], Value::Nil);
                let v = if proto.results_boxed.get(i).copied().unwrap_or(false) {
                    match v {
                        Value::Cell(c) => c.borrow().clone(),
                        other => other,
                    }
                } else {
                    v
                };
                results.push(v);
            }
        }
        g.stack.truncate(f.bp);
        g.stack.extend(results);
        if let FrameKind::Defer { during_panic } = f.kind {
            if let Some(caller) = g.frames.last_mut() {
                if during_panic && caller.panicking {
                    let recovered = g.panics.last().map(|p| p.recovered).unwrap_or(false);
                    if recovered {
                        g.panics.clear();
                        caller.panicking = false;
                        let cp = &prog.funcs[caller.func as usize];
                        caller.pc = cp.ret_pc;
                    } else if !self.unwind(g, stop_depth)? {
                        return Ok(Step::Returned);
                    }
                }
            }
        }
        if g.frames.len() <= stop_depth && f.kind == FrameKind::Nested {
            return Ok(Step::Returned);
        }
        if g.frames.is_empty() {
            return Ok(Step::Done);
        }
        Ok(Step::Next)
    }
}

pub enum Step {
    Next,
    Block(&'static str),
    Returned,
    Done,
}

/// The name a deferred call is shown with: as written at the defer statement.
pub fn deferred_name(prog: &Program, d: &Deferred) -> String {
    match &d.name {
        Some(n) => n.to_string(),
        None => callable_name(prog, &d.f),
    }
}

pub fn callable_name(prog: &Program, c: &Callable) -> String {
    match c {
        Callable::Closure(cl) => prog
            .funcs
            .get(cl.proto as usize)
            .map(|f| f.name.clone())
            .unwrap_or_default(),
        Callable::Native(id) => {
            let (p, n) = crate::sim::runtime::names::native_name(*id);
            if p.is_empty() {
                n.to_string()
            } else {
                format!("{p}.{n}")
            }
        }
        Callable::Method(_, s) => prog.syms.get(*s as usize).cloned().unwrap_or_default(),
        Callable::Cancel(_) => "context.CancelFunc".into(),
    }
}

#[inline]
fn int_fast(op: BinOp, x: i64, y: i64) -> Option<Value> {
    Some(match op {
        BinOp::Add => Value::Int(x.wrapping_add(y)),
        BinOp::Sub => Value::Int(x.wrapping_sub(y)),
        BinOp::Mul => Value::Int(x.wrapping_mul(y)),
        BinOp::Lt => Value::Bool(x < y),
        BinOp::Le => Value::Bool(x <= y),
        BinOp::Gt => Value::Bool(x > y),
        BinOp::Ge => Value::Bool(x >= y),
        BinOp::Eq => Value::Bool(x == y),
        BinOp::Ne => Value::Bool(x != y),
        _ => return None,
    })
}

pub fn runtime_error(msg: &str) -> Flow {
    Flow::Panic(runtime_error_plain(msg))
}

pub fn runtime_error_plain(msg: &str) -> Value {
    Value::Err(Rc::new(ErrV {
        msg: msg.to_string(),
        wrapped: Vec::new(),
    }))
}

/// The receiver a method body sees: pointer-receiver methods get a pointer
/// (auto-address of a struct), value-receiver methods get a copy (auto-deref
/// of a pointer, which panics on nil as in Go). Shared by calls, `go` and
/// `defer` so all three evaluate receivers the same way.
pub fn receiver_value(ptr_recv: bool, recv: Value) -> Result<Value, Flow> {
    if ptr_recv {
        return Ok(match recv {
            Value::Struct(h) => Value::Ptr(Ptr::Struct(h)),
            other => other,
        });
    }
    match recv {
        Value::Ptr(p) => {
            let v = p.get();
            if matches!(v, Value::Nil) {
                return Err(nil_deref());
            }
            Ok(v.copy_val())
        }
        Value::Nil => Err(nil_deref()),
        other => Ok(other.copy_val()),
    }
}

pub fn nil_deref() -> Flow {
    runtime_error("runtime error: invalid memory address or nil pointer dereference")
}

pub fn coerce(v: Value, t: &Ty) -> Value {
    match (t, v) {
        (Ty::Iface(_) | Ty::Error, Value::NilPtr(id)) => Value::TypedNil(id),
        (Ty::Float, Value::Int(i)) => Value::Float(i as f64),
        (Ty::Dur, Value::Int(i)) => Value::Dur(i),
        (Ty::Int(k), Value::Int(i)) => Value::Int(k.wrap(i)),
        (_, v) => v,
    }
}
