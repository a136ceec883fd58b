//! Event log of a run, for stepping, animation and export.
//!
//! Every event belongs to a goroutine (`Event::goroutine`; 0 is the runtime
//! itself: timers firing, the clock, messages printed at exit) and carries
//! the line that goroutine was executing. Folding the events in order
//! (`timeline`) rebuilds the program state at any point, so each state
//! change the simulator view shows has its own event. Values are
//! Go-formatted (`%v`) without calling `String`/`Error` methods, since Go
//! would not call them at that point either.

/// What a parked goroutine waits for; it sits in that object's queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum WaitOn {
    /// in the channel's queue of senders
    Send {
        chan: usize,
    },
    /// in the channel's queue of receivers
    Recv {
        chan: usize,
    },
    WaitGroup {
        wg: usize,
    },
    Mutex {
        mutex: usize,
    },
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// a `go` statement (or a `time.AfterFunc` timer, goroutine 0) started
    /// goroutine `child` running `func`
    Spawn {
        child: usize,
        func: String,
    },
    /// a frame was pushed (the callee's own `Call` comes before the `Spawn`
    /// of a new goroutine)
    Call {
        func: String,
    },
    /// the top frame was popped: a return, or unwinding by a panic
    Return {
        func: String,
    },
    /// a deferred call was pushed on the top frame's defer stack; `args`
    /// holds the receiver (methods) then the arguments, frozen now
    DeferPush {
        func: String,
        args: Vec<String>,
        /// a function literal: it reads its captured variables when it runs
        closure: bool,
    },
    /// the top frame's newest deferred call was popped and starts running
    DeferRun {
        func: String,
    },
    /// the goroutine parked: Go's wait reason ("chan receive", "select",
    /// "sleep", ...) and the queues it joined, in order
    Block {
        reason: String,
        on: Vec<WaitOn>,
    },
    /// the goroutine became runnable again and left every queue of its `Block`
    Unblock,
    /// `make(chan elem, cap)`; also the channels of timers and contexts
    ChanMake {
        chan: usize,
        cap: usize,
        elem: String,
    },
    /// the goroutine starts a send of `value` (it completes at once, with a
    /// `ChanPush` or a partner's `ChanRecv`, or the goroutine blocks)
    ChanSend {
        chan: usize,
        value: String,
    },
    /// the goroutine completed a receive; `ok` is false for the zero value
    /// of a closed channel. A parked receiver gets this event from its
    /// partner's action, just before its `Unblock`.
    ChanRecv {
        chan: usize,
        value: String,
        ok: bool,
    },
    /// `value` entered the channel's buffer
    ChanPush {
        chan: usize,
        value: String,
    },
    /// the oldest buffered value left the channel's buffer
    ChanPop {
        chan: usize,
    },
    ChanClose {
        chan: usize,
    },
    /// the case a select took (source order, from 0); -1 is `default`
    SelectChoice {
        case: i64,
    },
    /// the goroutine holds `mutex` now; `read` for RWMutex.RLock
    Lock {
        what: String,
        mutex: usize,
        read: bool,
    },
    Unlock {
        what: String,
        mutex: usize,
        read: bool,
    },
    /// WaitGroup.Add (Done is a delta of -1) and the counter after it
    WaitGroupAdd {
        wg: usize,
        delta: i64,
        counter: i64,
    },
    /// a context was created: "Background", "TODO", "WithCancel",
    /// "WithTimeout", "WithDeadline", "WithValue"; `deadline_ns` is the
    /// effective deadline in virtual ns since the program started
    CtxMake {
        ctx: usize,
        parent: Option<usize>,
        kind: String,
        deadline_ns: Option<i64>,
    },
    /// a context was cancelled with `err` (one event per context, parents
    /// before their children)
    CtxCancel {
        ctx: usize,
        err: String,
    },
    /// a loop's variable got a value: `fresh` when this is a new variable
    /// (every iteration in Go 1.22 mode, only the first in Go 1.21 mode)
    LoopVar {
        /// line of the `for` statement
        loop_line: usize,
        name: String,
        value: String,
        fresh: bool,
        per_iteration: bool,
    },
    /// a timer was armed to fire `at_ns` nanoseconds from now
    Timer {
        at_ns: i64,
    },
    /// the virtual clock jumped; nanoseconds since the program started
    ClockAdvance {
        now_ns: i64,
    },
    FileOpen {
        fd: i64,
        name: String,
    },
    FileClose {
        fd: i64,
    },
    Panic {
        value: String,
    },
    Recover {
        value: String,
    },
    /// program output; `fd` 1 is stdout, 2 stderr (runtime messages such as
    /// `panic:` and the deadlock report are stderr output of goroutine 0 at the end)
    Output {
        fd: i64,
        text: String,
    },
    GoroutineExit,
    /// the goroutine moved to the event's line (only with `SimOptions::trace_lines`)
    Line,
    /// the program ended with this exit code (the last event)
    Exit {
        code: i32,
    },
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Event {
    /// interpreter steps executed so far
    pub step: u64,
    pub goroutine: usize,
    pub kind: EventKind,
    /// line the goroutine was executing (for a parked goroutine woken by a
    /// partner: the partner's line)
    pub line: usize,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Trace {
    pub events: Vec<Event>,
    /// true when the event cap was reached and later events were dropped
    pub truncated: bool,
}

/// Upper bound on recorded events so that tracing cannot exhaust memory.
pub const MAX_EVENTS: usize = 2_000_000;
