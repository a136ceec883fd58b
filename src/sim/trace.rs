//! Event log of a run, for stepping, animation and export.

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    Spawn { child: usize },
    Call { func: String },
    Return { func: String },
    DeferPush { func: String },
    DeferRun { func: String },
    Block { reason: String },
    Unblock,
    ChanMake { chan: usize, cap: usize },
    ChanSend { chan: usize },
    ChanRecv { chan: usize },
    ChanClose { chan: usize },
    SelectChoice { case: i64 },
    Lock { what: String },
    Unlock { what: String },
    Timer { at_ns: i64 },
    ClockAdvance { now_ns: i64 },
    FileOpen { fd: i64, name: String },
    FileClose { fd: i64 },
    Panic { value: String },
    Recover { value: String },
    Output { text: String },
    GoroutineExit,
    Exit { code: i32 },
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Event {
    pub step: u64,
    pub goroutine: usize,
    pub kind: EventKind,
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
