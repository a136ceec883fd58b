//! Channels and select. A blocked goroutine is completed by its partner: the
//! partner pushes the received value (and ok / case index) onto the blocked
//! goroutine's stack and makes it runnable.

use super::exec::zero_value;
use super::interp::*;
use super::program::SelectDesc;
use super::value::*;
use crate::sim::trace::{EventKind, WaitOn};

/// Records that `gid` received `v` from channel `chan`.
fn trace_recv(vm: &mut Vm, gid: usize, chan: usize, v: &Value, ok: bool) {
    if vm.tracing {
        let value = vm.frozen(v);
        vm.ev(gid, EventKind::ChanRecv { chan, value, ok });
    }
}

/// Records that `v` entered the buffer of channel `chan`.
fn trace_push(vm: &mut Vm, chan: usize, v: &Value) {
    if vm.tracing {
        let value = vm.frozen(v);
        let cur = vm.cur_gid;
        vm.ev(cur, EventKind::ChanPush { chan, value });
    }
}

/// Hands `v` to a parked receiver (or select) and wakes it.
fn deliver(vm: &mut Vm, chan: usize, w: &Waiter, v: Value, ok: bool) {
    if !matches!(w.kind, WaitKind::Send) {
        trace_recv(vm, w.gid, chan, &v, ok);
    }
    let vals = match w.kind {
        WaitKind::Recv => vec![v],
        WaitKind::RecvOk => vec![v, Value::Bool(ok)],
        WaitKind::Select => vec![Value::Int(w.case as i64), v, Value::Bool(ok)],
        WaitKind::Send => Vec::new(),
    };
    vm.wake_with(w.gid, vals);
}

fn pop_valid(vm: &Vm, q: &mut std::collections::VecDeque<Waiter>) -> Option<Waiter> {
    while let Some(w) = q.pop_front() {
        if vm.waiter_valid(&w) {
            return Some(w);
        }
    }
    None
}

/// Non-blocking send used by timers (drops the value if the buffer is full).
pub fn try_send(vm: &mut Vm, ch: &Rcell<ChanV>, v: Value) -> bool {
    let (w, id) = {
        let mut c = ch.borrow_mut();
        if c.closed {
            return false;
        }
        (pop_valid(vm, &mut c.recvq), c.id)
    };
    if let Some(w) = w {
        deliver(vm, id, &w, v, true);
        return true;
    }
    let mut c = ch.borrow_mut();
    if c.buf.len() < c.cap {
        if vm.tracing {
            trace_push(vm, id, &v);
        }
        c.buf.push_back(v);
        return true;
    }
    false
}

/// A nil channel blocks forever, but any other non-channel value here means
/// the checker let an ill-typed program through (`5 <- c`); stopping with a
/// clear message beats silently treating it as a nil channel.
fn not_a_channel(v: &Value) -> Result<(), Flow> {
    match v {
        Value::Nil | Value::Chan(_) => Ok(()),
        _ => Err(Flow::Fatal(
            2,
            "simulator: channel operation on a value that is not a channel\n".into(),
        )),
    }
}

/// Returns Some(wait reason) when the goroutine must block.
pub fn send(vm: &mut Vm, g: &mut G, ch: &Value, v: Value) -> Result<Option<&'static str>, Flow> {
    let ch = match ch {
        Value::Chan(c) => c.clone(),
        other => {
            not_a_channel(other)?;
            g.wait_seq += 1;
            return Ok(Some("chan send (nil chan)"));
        }
    };
    let id = ch.borrow().id;
    if vm.tracing {
        let value = vm.frozen(&v);
        vm.ev(g.id, EventKind::ChanSend { chan: id, value });
    }
    if ch.borrow().closed {
        return Err(Flow::Panic(runtime_error_plain("send on closed channel")));
    }
    let w = pop_valid(vm, &mut ch.borrow_mut().recvq);
    if let Some(w) = w {
        deliver(vm, id, &w, v, true);
        return Ok(None);
    }
    let mut c = ch.borrow_mut();
    if c.buf.len() < c.cap {
        trace_push(vm, id, &v);
        c.buf.push_back(v);
        return Ok(None);
    }
    vm.wait_on(g, WaitOn::Send { chan: id });
    g.wait_seq += 1;
    c.sendq.push_back(Waiter {
        gid: g.id,
        seq: g.wait_seq,
        kind: WaitKind::Send,
        val: v,
        case: 0,
    });
    Ok(Some("chan send"))
}

/// Attempts a receive without blocking: Some((value, ok)) on success.
fn try_recv(vm: &mut Vm, ch: &Rcell<ChanV>) -> Option<(Value, bool)> {
    let mut c = ch.borrow_mut();
    let id = c.id;
    if let Some(v) = c.buf.pop_front() {
        if vm.tracing {
            let cur = vm.cur_gid;
            vm.ev(cur, EventKind::ChanPop { chan: id });
        }
        // refill the buffer from a blocked sender
        if let Some(w) = pop_valid(vm, &mut c.sendq) {
            let (val, wk) = (w.val.clone(), w.clone());
            trace_push(vm, id, &val);
            c.buf.push_back(val);
            drop(c);
            complete_sender(vm, &wk);
        }
        return Some((v, true));
    }
    if let Some(w) = pop_valid(vm, &mut c.sendq) {
        drop(c);
        let v = w.val.clone();
        complete_sender(vm, &w);
        return Some((v, true));
    }
    if c.closed {
        let z = zero_value(&vm.prog, &c.zero);
        return Some((z, false));
    }
    None
}

fn complete_sender(vm: &mut Vm, w: &Waiter) {
    match w.kind {
        WaitKind::Select => vm.wake_with(
            w.gid,
            vec![Value::Int(w.case as i64), Value::Nil, Value::Bool(false)],
        ),
        _ => vm.make_ready(w.gid),
    }
}

pub fn recv(
    vm: &mut Vm,
    g: &mut G,
    ch: &Value,
    with_ok: bool,
) -> Result<Option<&'static str>, Flow> {
    let ch = match ch {
        Value::Chan(c) => c.clone(),
        other => {
            not_a_channel(other)?;
            g.wait_seq += 1;
            return Ok(Some("chan receive (nil chan)"));
        }
    };
    let id = ch.borrow().id;
    if let Some((v, ok)) = try_recv(vm, &ch) {
        trace_recv(vm, g.id, id, &v, ok);
        g.stack.push(v);
        if with_ok {
            g.stack.push(Value::Bool(ok));
        }
        return Ok(None);
    }
    vm.wait_on(g, WaitOn::Recv { chan: id });
    g.wait_seq += 1;
    ch.borrow_mut().recvq.push_back(Waiter {
        gid: g.id,
        seq: g.wait_seq,
        kind: if with_ok {
            WaitKind::RecvOk
        } else {
            WaitKind::Recv
        },
        val: Value::Nil,
        case: 0,
    });
    Ok(Some("chan receive"))
}

pub fn close(vm: &mut Vm, ch: &Value) -> Result<(), Flow> {
    let ch = match ch {
        Value::Chan(c) => c.clone(),
        other => {
            not_a_channel(other)?;
            return Err(Flow::Panic(runtime_error_plain("close of nil channel")));
        }
    };
    let (recvs, sends, zero, id) = {
        let mut c = ch.borrow_mut();
        if c.closed {
            return Err(Flow::Panic(runtime_error_plain("close of closed channel")));
        }
        c.closed = true;
        let r: Vec<Waiter> = c.recvq.drain(..).collect();
        let s: Vec<Waiter> = c.sendq.drain(..).collect();
        (r, s, c.zero.clone(), c.id)
    };
    let cur = vm.cur_gid;
    vm.ev(cur, EventKind::ChanClose { chan: id });
    for w in recvs {
        if vm.waiter_valid(&w) {
            let z = zero_value(&vm.prog, &zero);
            deliver(vm, id, &w, z, false);
        }
    }
    for w in sends {
        if vm.waiter_valid(&w) {
            if let Some(Some(g)) = vm.gs.get_mut(w.gid) {
                g.pending_panic = Some("send on closed channel".into());
            }
            vm.make_ready(w.gid);
        }
    }
    Ok(())
}

/// Stack on entry: operands of each non-default case in order (send: chan,
/// value; recv: chan). Pushes (case index, value, ok) when it completes.
pub fn select(vm: &mut Vm, g: &mut G, desc: &SelectDesc) -> Result<Option<&'static str>, Flow> {
    let mut ops: Vec<(bool, Value, Value)> = Vec::with_capacity(desc.sends.len());
    let n_operands: usize = desc.sends.iter().map(|s| if *s { 2 } else { 1 }).sum();
    let at = g.stack.len().saturating_sub(n_operands);
    let mut operands = g.stack.split_off(at).into_iter();
    for is_send in &desc.sends {
        let ch = operands.next().unwrap_or(Value::Nil);
        not_a_channel(&ch)?;
        let v = if *is_send {
            operands.next().unwrap_or(Value::Nil)
        } else {
            Value::Nil
        };
        ops.push((*is_send, ch, v));
    }
    // Ready cases, chosen uniformly at random like Go.
    let mut ready = Vec::new();
    for (i, (is_send, ch, _)) in ops.iter().enumerate() {
        if let Value::Chan(c) = ch {
            let c = c.borrow();
            let ok = if *is_send {
                c.closed || c.buf.len() < c.cap || c.recvq.iter().any(|w| vm.waiter_valid(w))
            } else {
                !c.buf.is_empty() || c.closed || c.sendq.iter().any(|w| vm.waiter_valid(w))
            };
            if ok {
                ready.push(i);
            }
        }
    }
    if !ready.is_empty() {
        let pick = ready[vm.rand_below(ready.len())];
        vm.ev(g.id, EventKind::SelectChoice { case: pick as i64 });
        let (is_send, ch, v) = ops.swap_remove(pick);
        if is_send {
            // cannot block: it was ready
            match send(vm, g, &ch, v)? {
                None => {}
                Some(_) => return Err(Flow::Fatal(2, "simulator: internal select error\n".into())),
            }
            g.stack.push(Value::Int(pick as i64));
            g.stack.push(Value::Nil);
            g.stack.push(Value::Bool(false));
        } else {
            let c = match &ch {
                Value::Chan(c) => c.clone(),
                _ => return Err(Flow::Fatal(2, "simulator: internal select error\n".into())),
            };
            let (val, ok) = try_recv(vm, &c).unwrap_or((Value::Nil, false));
            let id = c.borrow().id;
            trace_recv(vm, g.id, id, &val, ok);
            g.stack.push(Value::Int(pick as i64));
            g.stack.push(val);
            g.stack.push(Value::Bool(ok));
        }
        return Ok(None);
    }
    if desc.has_default {
        vm.ev(g.id, EventKind::SelectChoice { case: -1 });
        g.stack.push(Value::Int(desc.sends.len() as i64));
        g.stack.push(Value::Nil);
        g.stack.push(Value::Bool(false));
        return Ok(None);
    }
    g.wait_seq += 1;
    let seq = g.wait_seq;
    let mut any = false;
    for (i, (is_send, ch, v)) in ops.into_iter().enumerate() {
        if let Value::Chan(c) = ch {
            any = true;
            let w = Waiter {
                gid: g.id,
                seq,
                kind: WaitKind::Select,
                val: v,
                case: i,
            };
            let mut c = c.borrow_mut();
            if is_send {
                vm.wait_on(g, WaitOn::Send { chan: c.id });
                c.sendq.push_back(w);
            } else {
                vm.wait_on(g, WaitOn::Recv { chan: c.id });
                c.recvq.push_back(w);
            }
        }
    }
    Ok(Some(if any { "select" } else { "select (no cases)" }))
}
