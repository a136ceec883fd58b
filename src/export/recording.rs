//! Recorded simulator runs for the offline site: each runnable Go block is
//! run once at export time and its timeline is embedded as JSON next to the
//! code, for the step-through player in `player.js`. The page never runs Go.
//!
//! Format (version 1): `init` is the program state before the first event
//! and `frames` holds one entry per recorded event,
//! `[at, goroutine, line, description, delta]`, where `delta` turns the
//! previous frame's state into this one (0 when nothing visible changed).
//! States are JSON objects whose object-valued members are "sections"
//! (`g` goroutines, `c` channels, ...) keyed by id. A delta replaces scalar
//! members, and for sections lists only the entries that changed: `null`
//! deletes an entry, an object patches an existing entry field by field
//! (`null` deletes a field) or adds a new one. Deltas instead of a snapshot
//! per event keep a 300-event recording around 30 KB; the player folds
//! them once on load, so stepping back costs nothing.
//!
//! Long runs are sampled: the first `HEAD` events are kept one by one and
//! `SAMPLES` evenly spaced points, the last one the end of the run, stand
//! for the rest (the player says how many events each jump skips). Big states are capped too
//! (`SHOW_*`), with counts of what was left out, so a run that leaks 3,000
//! goroutines still makes a page of reasonable size.

use super::util::{clip, esc};
use crate::sim::runtime::fmt::format_duration;
use crate::sim::timeline::{GStatus, Snapshot, Timeline};
use crate::sim::trace::WaitOn;
use crate::sim::{EventKind, GoVersion, SimDiagnostic, SimOptions, SimResult};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

/// Interpreter steps one recorded run may take, so an export cannot hang
/// on a note whose program never ends.
pub const MAX_STEPS: u64 = 2_000_000;
/// Runs with at most this many events are recorded event by event.
pub const MAX_FRAMES: usize = 1200;
/// Longer runs keep their first `HEAD` events one by one, then `SAMPLES`
/// evenly spaced points up to the end. Each sample costs a replay from the
/// timeline's nearest checkpoint (tens of milliseconds for a state with
/// thousands of goroutines), which is what bounds their number.
const HEAD: usize = 800;
const SAMPLES: usize = 32;
const SHOW_GOROUTINES: usize = 48;
const SHOW_OBJECTS: usize = 32;
const SHOW_QUEUE: usize = 16;
/// Go-formatted values longer than this are clipped in the recording.
const VALUE_CHARS: usize = 60;
/// Programs kept by [`record_cached`].
const CACHE_PROGRAMS: usize = 256;
/// Program output kept in the recording (stdout and stderr each).
const OUTPUT_BYTES: usize = 64 * 1024;

/// The options every exported recording is made with; the player's header
/// states them, so a reader can reproduce the run with `strata sim`.
pub fn options() -> SimOptions {
    SimOptions {
        go_version: GoVersion::Go122,
        seed: 1,
        max_steps: MAX_STEPS,
        trace: true,
        // A Line event per statement lets the player walk the program line
        // by line, as the desktop simulator view does.
        trace_lines: true,
        ..SimOptions::default()
    }
}

/// A fence info string naming Go (`go`, `golang`, `go title=x`).
fn is_go(lang: &str) -> bool {
    let first = lang.split_whitespace().next().unwrap_or("");
    first.eq_ignore_ascii_case("go") || first.eq_ignore_ascii_case("golang")
}

/// Whether a fenced block is a whole program the site should record: Go,
/// `package main` (what `strata check` compiles), and not marked with a
/// leading `// fragment` comment.
pub fn is_program(lang: &str, code: &str) -> bool {
    if !is_go(lang) {
        return false;
    }
    let mut lines = code.lines().map(str::trim).filter(|l| !l.is_empty());
    if lines
        .next()
        .is_some_and(|l| l.to_ascii_lowercase().starts_with("// fragment"))
    {
        return false;
    }
    code.lines()
        .any(|l| l.trim_start().starts_with("package main"))
}

/// What the export does with one program block.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The recording as JSON (not yet escaped for HTML) plus the static
    /// summary shown before the player starts (and without script).
    Recorded(Box<Recorded>),
    /// The simulator rejects the program (position inside the block).
    Rejected(SimDiagnostic),
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub json: String,
    pub events: usize,
    pub frames: usize,
    pub result_stdout: String,
    pub result_stderr: String,
    pub report_html: String,
}

/// Runs `code` and records it. The checker runs first so a program the
/// simulator cannot compile costs nothing and is reported in place.
pub fn record(code: &str) -> Outcome {
    if let Some(d) = crate::sim::check(code, "main.go").into_iter().next() {
        return Outcome::Rejected(d);
    }
    let result = crate::sim::run(code, "main.go", &options());
    if let Some(e) = &result.report.compile_error {
        return Outcome::Rejected(SimDiagnostic {
            line: 1,
            col: 1,
            message: e.clone(),
        });
    }
    Outcome::Recorded(Box::new(record_result(result)))
}

/// [`record`] through a process-wide cache keyed by the program text: the
/// same block embedded in several notes, or exported again by the same
/// process, is run once. Different programs record in parallel; callers
/// asking for the same one wait for the first.
pub fn record_cached(code: &str) -> Arc<Outcome> {
    type Cell = Arc<OnceLock<Arc<Outcome>>>;
    static CACHE: OnceLock<Mutex<HashMap<String, Cell>>> = OnceLock::new();
    let cell = {
        let mut map = CACHE
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        // Bounded so a long-lived process cannot grow it without end.
        if map.len() >= CACHE_PROGRAMS && !map.contains_key(code) {
            map.clear();
        }
        Arc::clone(map.entry(code.to_string()).or_default())
    };
    Arc::clone(cell.get_or_init(|| Arc::new(record(code))))
}

/// Records a finished run.
pub fn record_result(result: SimResult) -> Recorded {
    let report_html = report_html(&result);
    let stdout = result.stdout.clone();
    let stderr = result.stderr.clone();
    let steps = result.steps;
    let exit = result.exit_code;
    let truncated = result.trace.truncated;
    let timeline = Timeline::new(result);
    let n = timeline.len();
    let out_text = cut_output(&timeline.result.stdout);
    let err_text = cut_output(&timeline.result.stderr);
    let out16 = Utf16Prefix::new(out_text);
    let err16 = Utf16Prefix::new(err_text);
    let project = |s: &Snapshot| state_json(s, &out16, &err16);

    let init = project(&timeline.snapshot(0));
    let mut prev = init.clone();
    let mut frames = Vec::new();
    let points = frame_points(n);
    for &at in &points {
        let snap = timeline.snapshot(at);
        let state = project(&snap);
        let delta = diff(&prev, &state).unwrap_or(Value::from(0));
        let ev = &timeline.events()[at - 1];
        frames.push(json!([
            at,
            ev.goroutine,
            ev.line,
            describe(&ev.kind),
            delta
        ]));
        prev = state;
    }
    let doc = json!({
        "v": 1,
        "go": "1.22",
        "seed": 1,
        "events": n,
        "sampled": points.len() < n,
        "truncated": truncated,
        "steps": steps,
        "exit": exit,
        "out": out_text,
        "err": err_text,
        "outCut": out_text.len() < timeline.result.stdout.len()
            || err_text.len() < timeline.result.stderr.len(),
        "init": init,
        "frames": frames,
    });
    Recorded {
        json: doc.to_string(),
        events: n,
        frames: points.len(),
        result_stdout: stdout,
        result_stderr: stderr,
        report_html,
    }
}

fn cut_output(s: &str) -> &str {
    if s.len() <= OUTPUT_BYTES {
        return s;
    }
    let mut end = OUTPUT_BYTES;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Seek positions (1-based event counts) to record for a run of `n` events.
pub fn frame_points(n: usize) -> Vec<usize> {
    if n <= MAX_FRAMES {
        return (1..=n).collect();
    }
    let mut v: Vec<usize> = (1..=HEAD).collect();
    let span = n - HEAD;
    for i in 1..=SAMPLES {
        let at = HEAD + span * i / SAMPLES;
        if v.last().is_some_and(|l| *l < at) {
            v.push(at);
        }
    }
    v
}

/// Byte offsets of the output -> UTF-16 offsets, which is how the page's
/// JavaScript strings count.
struct Utf16Prefix<'a> {
    text: &'a str,
    /// (byte offset, utf-16 offset) at every char boundary is too much for
    /// big outputs; one entry per 256 bytes plus a short scan is enough.
    marks: Vec<(usize, usize)>,
}

impl<'a> Utf16Prefix<'a> {
    fn new(text: &'a str) -> Self {
        let mut marks = vec![(0, 0)];
        let mut units = 0;
        let mut next = 256;
        for (i, c) in text.char_indices() {
            if i >= next {
                marks.push((i, units));
                next = i + 256;
            }
            units += c.len_utf16();
        }
        Utf16Prefix { text, marks }
    }

    /// UTF-16 length of the first `bytes` bytes (clamped, rounded down to
    /// a char boundary).
    fn at(&self, bytes: usize) -> usize {
        let bytes = bytes.min(self.text.len());
        let i = self.marks.partition_point(|m| m.0 <= bytes);
        let (b0, u0) = self.marks[i.saturating_sub(1)];
        let mut units = u0;
        for (j, c) in self.text[b0..].char_indices() {
            if b0 + j + c.len_utf8() > bytes {
                break;
            }
            units += c.len_utf16();
        }
        units
    }
}

fn v(s: &str) -> String {
    clip(s, VALUE_CHARS)
}

fn status_code(s: GStatus) -> &'static str {
    match s {
        GStatus::Running => "R",
        GStatus::Runnable => "r",
        GStatus::Blocked => "B",
        GStatus::Sleeping => "S",
        GStatus::Done => "D",
    }
}

fn wait_on(w: &WaitOn) -> String {
    match w {
        WaitOn::Send { chan } => format!("send ch{chan}"),
        WaitOn::Recv { chan } => format!("recv ch{chan}"),
        WaitOn::WaitGroup { wg } => format!("wg{wg}"),
        WaitOn::Mutex { mutex } => format!("mu{mutex}"),
    }
}

fn ids(q: &[usize]) -> Value {
    let shown: Vec<usize> = q.iter().take(SHOW_QUEUE).copied().collect();
    if q.len() > SHOW_QUEUE {
        json!({"ids": shown, "more": q.len() - SHOW_QUEUE})
    } else {
        json!(shown)
    }
}

/// The visible program state at one point, in the recording's compact form.
fn state_json(s: &Snapshot, out: &Utf16Prefix<'_>, err: &Utf16Prefix<'_>) -> Value {
    let mut st = Map::new();
    st.insert("t".into(), json!(format_duration(s.now_ns)));
    st.insert("o".into(), json!(out.at(s.stdout_len)));
    st.insert("e".into(), json!(err.at(s.stderr_len)));
    st.insert("a".into(), json!(s.alive));
    if let Some(r) = s.running {
        st.insert("r".into(), json!(r));
    }
    let mut hidden = Map::new();

    // Which goroutines to show: the running one and main always, then the
    // live ones by id, then finished ones, up to SHOW_GOROUTINES.
    let mut chosen: Vec<usize> = Vec::new();
    for id in s.running.into_iter().chain([1]) {
        if s.goroutines.contains_key(&id) && !chosen.contains(&id) {
            chosen.push(id);
        }
    }
    for want_done in [false, true] {
        for g in s.goroutines.values() {
            if chosen.len() >= SHOW_GOROUTINES {
                break;
            }
            if (g.status == GStatus::Done) == want_done && !chosen.contains(&g.id) {
                chosen.push(g.id);
            }
        }
    }
    if s.goroutines.len() > chosen.len() {
        hidden.insert("g".into(), json!(s.goroutines.len() - chosen.len()));
    }
    let mut gs = Map::new();
    for id in chosen {
        let Some(g) = s.goroutines.get(&id) else {
            continue;
        };
        let frames: Vec<Value> = g
            .frames
            .iter()
            .map(|f| {
                let defers: Vec<Value> = f
                    .defers
                    .iter()
                    .map(|d| {
                        let args: Vec<String> = d.args.iter().map(|a| v(a)).collect();
                        json!([d.func, args, u8::from(d.closure), d.line])
                    })
                    .collect();
                json!([f.func, f.line, defers])
            })
            .collect();
        let mut m = Map::new();
        m.insert("s".into(), json!(status_code(g.status)));
        if !g.wait_reason.is_empty() {
            m.insert("w".into(), json!(g.wait_reason));
        }
        m.insert("l".into(), json!(g.line));
        m.insert("c".into(), json!(g.created_line));
        m.insert("f".into(), json!(g.func));
        if !frames.is_empty() {
            m.insert("fr".into(), Value::Array(frames));
        }
        if let Some(on) = s.blocked_on.get(&id) {
            let on: Vec<String> = on.iter().map(wait_on).collect();
            m.insert("q".into(), json!(on));
        }
        if let Some(p) = s.panicking.get(&id) {
            m.insert("p".into(), json!(v(p)));
        }
        gs.insert(id.to_string(), Value::Object(m));
    }
    st.insert("g".into(), Value::Object(gs));

    // Channels with something in them or someone waiting matter most.
    let busy = |c: &crate::sim::timeline::ChanState| {
        !c.buffer.is_empty() || !c.senders.is_empty() || !c.receivers.is_empty()
    };
    let mut chans: Vec<&crate::sim::timeline::ChanState> =
        s.chans.values().filter(|c| busy(c)).collect();
    chans.extend(s.chans.values().filter(|c| !busy(c)));
    let mut cs = Map::new();
    for c in chans.iter().take(SHOW_OBJECTS) {
        let buf: Vec<String> = c.buffer.iter().take(SHOW_QUEUE).map(|b| v(b)).collect();
        let mut m = Map::new();
        m.insert("e".into(), json!(c.elem));
        m.insert("k".into(), json!(c.cap));
        m.insert("m".into(), json!(c.made_line));
        m.insert("n".into(), json!(c.buffer.len()));
        m.insert("b".into(), json!(buf));
        if c.closed {
            m.insert("x".into(), json!(1));
        }
        if !c.senders.is_empty() {
            m.insert("s".into(), ids(&c.senders));
        }
        if !c.receivers.is_empty() {
            m.insert("v".into(), ids(&c.receivers));
        }
        cs.insert(c.id.to_string(), Value::Object(m));
    }
    if chans.len() > SHOW_OBJECTS {
        hidden.insert("c".into(), json!(chans.len() - SHOW_OBJECTS));
    }
    st.insert("c".into(), Value::Object(cs));

    let mut ws = Map::new();
    for w in s.waitgroups.values().take(SHOW_OBJECTS) {
        let mut m = Map::new();
        m.insert("n".into(), json!(w.counter));
        m.insert("l".into(), json!(w.line));
        if !w.waiters.is_empty() {
            m.insert("q".into(), ids(&w.waiters));
        }
        ws.insert(w.id.to_string(), Value::Object(m));
    }
    if s.waitgroups.len() > SHOW_OBJECTS {
        hidden.insert("w".into(), json!(s.waitgroups.len() - SHOW_OBJECTS));
    }
    st.insert("w".into(), Value::Object(ws));

    let mut ms = Map::new();
    for mu in s.mutexes.values().take(SHOW_OBJECTS) {
        let mut m = Map::new();
        m.insert("k".into(), json!(mu.what));
        m.insert("l".into(), json!(mu.line));
        if let Some(h) = mu.holder {
            m.insert("h".into(), json!(h));
        }
        if !mu.readers.is_empty() {
            m.insert("rd".into(), ids(&mu.readers));
        }
        if !mu.waiters.is_empty() {
            m.insert("q".into(), ids(&mu.waiters));
        }
        ms.insert(mu.id.to_string(), Value::Object(m));
    }
    if s.mutexes.len() > SHOW_OBJECTS {
        hidden.insert("m".into(), json!(s.mutexes.len() - SHOW_OBJECTS));
    }
    st.insert("m".into(), Value::Object(ms));

    let mut xs = Map::new();
    for c in s.contexts.values().take(SHOW_OBJECTS) {
        let mut m = Map::new();
        m.insert("k".into(), json!(c.kind));
        m.insert("l".into(), json!(c.made_line));
        if let Some(p) = c.parent {
            m.insert("p".into(), json!(p));
        }
        if let Some(d) = c.deadline_ns {
            m.insert("d".into(), json!(format_duration(d)));
        }
        if let Some(e) = &c.err {
            m.insert("err".into(), json!(e));
        }
        xs.insert(c.id.to_string(), Value::Object(m));
    }
    if s.contexts.len() > SHOW_OBJECTS {
        hidden.insert("x".into(), json!(s.contexts.len() - SHOW_OBJECTS));
    }
    st.insert("x".into(), Value::Object(xs));

    let mut fs = Map::new();
    for f in s.files.values().take(SHOW_OBJECTS) {
        fs.insert(
            f.fd.to_string(),
            json!({"n": v(&f.name), "l": f.opened_line, "g": f.goroutine}),
        );
    }
    if s.files.len() > SHOW_OBJECTS {
        hidden.insert("f".into(), json!(s.files.len() - SHOW_OBJECTS));
    }
    st.insert("f".into(), Value::Object(fs));

    let mut ls = Map::new();
    let skip = s.loop_vars.len().saturating_sub(SHOW_OBJECTS);
    for l in s.loop_vars.iter().skip(skip) {
        ls.insert(
            format!("{}:{}", l.line, l.name),
            json!({"n": l.name, "l": l.line, "pi": u8::from(l.per_iteration), "i": l.instances, "v": v(&l.value)}),
        );
    }
    st.insert("v".into(), Value::Object(ls));
    if !hidden.is_empty() {
        st.insert("h".into(), Value::Object(hidden));
    }
    Value::Object(st)
}

/// The delta that turns `old` into `new` (see the module docs), or None when
/// they are equal. Mirrors `apply` in `player.js`.
pub fn diff(old: &Value, new: &Value) -> Option<Value> {
    let (Value::Object(o), Value::Object(n)) = (old, new) else {
        return (old != new).then(|| new.clone());
    };
    let mut d = Map::new();
    for (k, nv) in n {
        match (o.get(k), nv) {
            (Some(ov), _) if ov == nv => {}
            (Some(Value::Object(os)), Value::Object(ns)) => {
                let mut sd = Map::new();
                for (id, ne) in ns {
                    match (os.get(id), ne) {
                        (Some(oe), _) if oe == ne => {}
                        (Some(Value::Object(of)), Value::Object(nf)) => {
                            let mut fd = Map::new();
                            for (f, nfv) in nf {
                                if of.get(f) != Some(nfv) {
                                    fd.insert(f.clone(), nfv.clone());
                                }
                            }
                            for f in of.keys() {
                                if !nf.contains_key(f) {
                                    fd.insert(f.clone(), Value::Null);
                                }
                            }
                            sd.insert(id.clone(), Value::Object(fd));
                        }
                        _ => {
                            sd.insert(id.clone(), ne.clone());
                        }
                    }
                }
                for id in os.keys() {
                    if !ns.contains_key(id) {
                        sd.insert(id.clone(), Value::Null);
                    }
                }
                d.insert(k.clone(), Value::Object(sd));
            }
            _ => {
                d.insert(k.clone(), nv.clone());
            }
        }
    }
    for k in o.keys() {
        if !n.contains_key(k) {
            d.insert(k.clone(), Value::Null);
        }
    }
    (!d.is_empty()).then_some(Value::Object(d))
}

/// Applies a delta of [`diff`]: the Rust twin of the player's fold, used
/// by tests to check that the recording reproduces every state.
pub fn apply(state: &mut Value, delta: &Value) {
    let (Value::Object(st), Value::Object(d)) = (state, delta) else {
        return;
    };
    for (k, dv) in d {
        match (st.get_mut(k), dv) {
            (_, Value::Null) => {
                st.remove(k);
            }
            (Some(Value::Object(sec)), Value::Object(sd)) => {
                for (id, de) in sd {
                    match (sec.get_mut(id), de) {
                        (_, Value::Null) => {
                            sec.remove(id);
                        }
                        (Some(Value::Object(entry)), Value::Object(fd)) => {
                            for (f, fv) in fd {
                                if fv.is_null() {
                                    entry.remove(f);
                                } else {
                                    entry.insert(f.clone(), fv.clone());
                                }
                            }
                        }
                        _ => {
                            sec.insert(id.clone(), de.clone());
                        }
                    }
                }
            }
            _ => {
                st.insert(k.clone(), dv.clone());
            }
        }
    }
}

/// One line saying what an event did, for the player's event label.
fn describe(k: &EventKind) -> String {
    match k {
        EventKind::Spawn { child, func } => format!("go {func}: starts goroutine {child}"),
        EventKind::Call { func } => format!("calls {func}"),
        EventKind::Return { func } => format!("returns from {func}"),
        EventKind::DeferPush {
            func,
            args,
            closure,
        } => {
            if *closure {
                format!("defers {func} (a closure: reads its variables when it runs)")
            } else {
                let args: Vec<String> = args.iter().map(|a| v(a)).collect();
                format!("defers {func}({}), arguments frozen now", args.join(", "))
            }
        }
        EventKind::DeferRun { func } => format!("runs deferred {func}"),
        EventKind::Block { reason, on } => {
            if on.is_empty() {
                format!("parks: {reason}")
            } else {
                let on: Vec<String> = on.iter().map(wait_on).collect();
                format!("parks: {reason} ({})", on.join(", "))
            }
        }
        EventKind::Unblock => "wakes up".into(),
        EventKind::ChanMake { chan, cap, elem } => {
            if *cap == 0 {
                format!("make(chan {elem}) is ch{chan}")
            } else {
                format!("make(chan {elem}, {cap}) is ch{chan}")
            }
        }
        EventKind::ChanSend { chan, value } => format!("sends {} on ch{chan}", v(value)),
        EventKind::ChanRecv { chan, value, ok } => {
            if *ok {
                format!("receives {} from ch{chan}", v(value))
            } else {
                format!("receives the zero value {} from closed ch{chan}", v(value))
            }
        }
        EventKind::ChanPush { chan, value } => {
            format!("{} enters ch{chan}'s buffer", v(value))
        }
        EventKind::ChanPop { chan } => format!("the oldest value leaves ch{chan}'s buffer"),
        EventKind::ChanClose { chan } => format!("close(ch{chan})"),
        EventKind::SelectChoice { case } => {
            if *case < 0 {
                "select takes default".into()
            } else {
                format!("select takes case {}", case + 1)
            }
        }
        EventKind::Lock { what, mutex, read } => {
            let op = if *read { "RLock" } else { "Lock" };
            format!("{what} mu{mutex}.{op}() succeeds")
        }
        EventKind::Unlock { what, mutex, read } => {
            let op = if *read { "RUnlock" } else { "Unlock" };
            format!("{what} mu{mutex}.{op}()")
        }
        EventKind::WaitGroupAdd { wg, delta, counter } => {
            if *delta == -1 {
                format!("wg{wg}.Done(): counter {counter}")
            } else {
                format!("wg{wg}.Add({delta}): counter {counter}")
            }
        }
        EventKind::CtxMake {
            ctx,
            parent,
            kind,
            deadline_ns,
        } => {
            let mut s = format!("context.{kind} is ctx{ctx}");
            if let Some(p) = parent {
                let _ = write!(s, " (parent ctx{p})");
            }
            if let Some(d) = deadline_ns {
                let _ = write!(s, ", deadline at {}", format_duration(*d));
            }
            s
        }
        EventKind::CtxCancel { ctx, err } => format!("ctx{ctx} cancelled: {err}"),
        EventKind::LoopVar {
            name,
            value,
            fresh,
            per_iteration,
            ..
        } => {
            let which = match (fresh, per_iteration) {
                (true, true) => " (a new variable for this iteration)",
                (true, false) => " (the loop's one variable)",
                (false, _) => " (same variable as before)",
            };
            format!("{name} = {}{which}", v(value))
        }
        EventKind::Timer { at_ns } => format!("arms a timer for +{}", format_duration(*at_ns)),
        EventKind::ClockAdvance { now_ns } => {
            format!("virtual clock jumps to {}", format_duration(*now_ns))
        }
        EventKind::FileOpen { fd, name } => format!("opens {} as fd {fd}", v(name)),
        EventKind::FileClose { fd } => format!("closes fd {fd}"),
        EventKind::Panic { value } => format!("panics: {}", v(value)),
        EventKind::Recover { value } => format!("recovers from panic: {}", v(value)),
        EventKind::Output { fd, text } => {
            let to = if *fd == 2 { "stderr" } else { "stdout" };
            format!("writes {:?} to {to}", clip(text, 40))
        }
        EventKind::GoroutineExit => "goroutine ends".into(),
        EventKind::Line => "next line".into(),
        EventKind::Exit { code } => format!("program exits with status {code}"),
    }
}

/// The end-of-run report as HTML (every string escaped).
fn report_html(r: &SimResult) -> String {
    let rep = &r.report;
    let mut s = String::from("<div class=\"sim-report-title\">End of run</div>\n<ul>\n");
    let _ = writeln!(s, "<li>exit status <b>{}</b></li>", r.exit_code);
    if let Some(d) = &rep.deadlock {
        let _ = writeln!(s, "<li class=\"bad\">deadlock: {}</li>", esc(d));
    }
    if let Some(p) = &rep.panic {
        let _ = writeln!(s, "<li class=\"bad\">panic: {}</li>", esc(p));
    }
    if let Some(b) = &rep.budget_exceeded {
        let _ = writeln!(
            s,
            "<li class=\"bad\">stopped by the export's budget: {}</li>",
            esc(b)
        );
    }
    let _ = writeln!(
        s,
        "<li>virtual time {}, peak goroutines {}</li>",
        esc(&format_duration(rep.virtual_time_ns)),
        rep.max_goroutines_alive
    );
    if rep.leaked == 0 {
        s.push_str("<li class=\"good\">no goroutines left running at exit</li>\n");
    } else {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let unfinished = rep.leaked - rep.blocked.min(rep.leaked);
        let (class, head) = match (rep.blocked, unfinished) {
            (b, 0) => (
                "bad",
                format!("{b} goroutine{} blocked at exit (leaked)", plural(b)),
            ),
            (0, u) => (
                "",
                format!(
                    "{u} goroutine{} still running when main returned",
                    plural(u)
                ),
            ),
            (b, u) => (
                "bad",
                format!(
                    "{b} goroutine{} blocked at exit (leaked), {u} still running",
                    plural(b)
                ),
            ),
        };
        if class.is_empty() {
            let _ = write!(s, "<li>{head}<ul>");
        } else {
            let _ = write!(s, "<li class=\"{class}\">{head}<ul>");
        }
        for g in rep.goroutines.iter().take(SHOW_GOROUTINES) {
            let _ = write!(
                s,
                "<li>goroutine {} [{}] {} {} line {}",
                g.id,
                esc(&g.wait_reason),
                esc(&g.function),
                if g.is_blocked() { "blocked at" } else { "at" },
                g.blocked_line,
            );
            // main has no `go` statement that started it.
            if g.created_line > 0 {
                let _ = write!(s, ", started at line {}", g.created_line);
            }
            s.push_str("</li>");
        }
        let listed = rep.goroutines.len().min(SHOW_GOROUTINES);
        if listed < rep.leaked {
            let _ = write!(s, "<li>… and {} more</li>", rep.leaked - listed);
        }
        s.push_str("</ul></li>\n");
    }
    if rep.open_files.is_empty() {
        s.push_str("<li class=\"good\">no files left open</li>\n");
    } else {
        let _ = write!(
            s,
            "<li class=\"bad\">{} file{} left open<ul>",
            rep.open_files.len(),
            if rep.open_files.len() == 1 { "" } else { "s" }
        );
        for f in rep.open_files.iter().take(SHOW_OBJECTS) {
            let _ = write!(
                s,
                "<li>fd {} {} opened at line {}</li>",
                f.fd,
                esc(&f.name),
                f.opened_line
            );
        }
        s.push_str("</ul></li>\n");
    }
    s.push_str("</ul>\n");
    s
}

/// JSON for a `<script type="application/json">` element: `<`, `>` and `&`
/// become `\u` escapes (still the same JSON), so no string in the data can
/// close the element or open a comment.
pub fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// The player markup under a recorded program's code block. `id` is unique
/// on the page. The static part (output and report) is what a reader sees
/// without script; `player.js` adds the controls and panels.
pub fn player_html(id: &str, rec: &Recorded) -> String {
    let mut s = String::new();
    let sampled = if rec.frames < rec.events {
        format!(
            " · long run: {} of {} events recorded (start, end and evenly spaced points)",
            rec.frames, rec.events
        )
    } else {
        String::new()
    };
    let _ = write!(
        s,
        "<section class=\"sim\" id=\"{id}\" data-code=\"{id}-code\" aria-label=\"Recorded run of this program\">\n\
         <script type=\"application/json\" class=\"sim-data\">{}</script>\n\
         <div class=\"sim-head\"><span class=\"sim-title\">Recorded run</span> <span class=\"muted\">Go 1.22 · seed 1 · {} events{}</span></div>\n",
        script_json(&rec.json),
        rec.events,
        esc(&sampled)
    );
    let out = cut_output(&rec.result_stdout);
    let err = cut_output(&rec.result_stderr);
    let err = if err.is_empty() {
        String::new()
    } else {
        format!("<span class=\"err\">{}</span>", esc(err))
    };
    let _ = writeln!(
        s,
        "<div class=\"sim-static\"><div class=\"sim-label\">Output</div><pre class=\"sim-out-static\">{}{err}</pre></div>",
        esc(out)
    );
    let _ = write!(
        s,
        "<div class=\"sim-report\" role=\"status\">\n{}</div>\n</section>\n",
        rec.report_html
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_are_recognised() {
        assert!(is_program("go", "package main\nfunc main() {}\n"));
        assert!(is_program("Go title=x", "\npackage main\n"));
        assert!(!is_program("go", "// fragment\npackage main\n"));
        assert!(!is_program("go", "x := 1\n"));
        assert!(!is_program("rust", "package main\n"));
    }

    #[test]
    fn frame_points_keep_head_and_tail() {
        assert_eq!(frame_points(3), vec![1, 2, 3]);
        let p = frame_points(48_000);
        assert_eq!(p.len(), HEAD + SAMPLES);
        assert_eq!(p[..HEAD], (1..=HEAD).collect::<Vec<_>>()[..]);
        assert_eq!(*p.last().expect("points"), 48_000);
        assert!(p.windows(2).all(|w| w[0] < w[1]));
        let q = frame_points(MAX_FRAMES + 1);
        assert!(q.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(*q.last().expect("points"), MAX_FRAMES + 1);
    }

    #[test]
    fn diff_then_apply_reproduces_the_new_state() {
        let a = json!({"t": "0s", "r": 1, "g": {"1": {"s": "R", "l": 3, "w": "x"}, "2": {"s": "r"}}, "h": {"g": 2}});
        let b = json!({"t": "1s", "g": {"1": {"s": "B", "l": 3}, "3": {"s": "r"}}, "c": {"1": {"n": 0}}});
        let d = diff(&a, &b).expect("differs");
        let mut s = a.clone();
        apply(&mut s, &d);
        assert_eq!(s, b);
        assert_eq!(diff(&b, &b), None);
        // Only the changed field of goroutine 1 travels.
        assert_eq!(d["g"]["1"], json!({"s": "B", "w": null}));
    }

    #[test]
    fn utf16_offsets_count_like_javascript() {
        let text = "a中😀b".repeat(200);
        let p = Utf16Prefix::new(&text);
        for cut in [0, 1, 4, 8, 9, 300, 1200, text.len()] {
            let mut b = cut.min(text.len());
            while !text.is_char_boundary(b) {
                b -= 1;
            }
            assert_eq!(p.at(cut), text[..b].encode_utf16().count(), "cut {cut}");
        }
    }

    #[test]
    fn script_json_cannot_close_the_element() {
        let j = serde_json::to_string(&json!({"s": "</script><script>alert(1)</script><!--"}))
            .expect("json");
        let e = script_json(&j);
        assert!(!e.contains('<') && !e.contains('>'));
        let back: Value = serde_json::from_str(&e).expect("still json");
        assert_eq!(back["s"], "</script><script>alert(1)</script><!--");
    }

    #[test]
    fn recording_replays_to_every_recorded_state() {
        let src = "package main\n\nimport (\n\t\"fmt\"\n\t\"sync\"\n)\n\nfunc main() {\n\tvar wg sync.WaitGroup\n\tch := make(chan int, 1)\n\tfor i := 0; i < 3; i++ {\n\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()\n\t\t\tch <- i\n\t\t\tfmt.Println(<-ch)\n\t\t}()\n\t}\n\twg.Wait()\n\tfmt.Println(\"done\")\n}\n";
        let Outcome::Recorded(rec) = record(src) else {
            panic!("program should run");
        };
        let doc: Value = serde_json::from_str(&rec.json).expect("json");
        let frames = doc["frames"].as_array().expect("frames");
        assert_eq!(frames.len(), rec.events);
        let mut state = doc["init"].clone();
        for f in frames {
            if f[4] != json!(0) {
                apply(&mut state, &f[4]);
            }
        }
        // The final state shows all output and every goroutine done.
        let out = doc["out"].as_str().expect("out");
        assert_eq!(state["o"].as_u64(), Some(out.encode_utf16().count() as u64));
        assert!(out.ends_with("done\n"));
        for g in state["g"].as_object().expect("g").values() {
            assert_eq!(g["s"], "D", "{state}");
        }
        assert!(rec.report_html.contains("no goroutines left running"));
    }

    #[test]
    fn rejected_programs_say_why() {
        match record("package main\n\nfunc main() {\n\tx := \n}\n") {
            Outcome::Rejected(d) => assert_eq!(d.line, 5, "{d}"),
            Outcome::Recorded(_) => panic!("should not compile"),
        }
    }
}
