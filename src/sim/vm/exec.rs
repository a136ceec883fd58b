//! Instruction semantics.

use std::rc::Rc;

use super::chan;
use super::interp::*;
use super::natives;
use super::ops;
use super::program::*;
use super::value::*;
use crate::sim::trace::EventKind;

macro_rules! pop {
    ($g:expr) => {
        $g.stack.pop().unwrap_or(Value::Nil)
    };
}

fn idx_int(v: &Value) -> Result<i64, Flow> {
    match v {
        Value::Int(i) | Value::Dur(i) => Ok(*i),
        Value::Float(f) if f.fract() == 0.0 => Ok(*f as i64),
        _ => Err(runtime_error("runtime error: index is not an integer")),
    }
}

fn oob(i: i64, len: usize) -> Flow {
    runtime_error(&format!(
        "runtime error: index out of range [{i}] with length {len}"
    ))
}

impl Vm {
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub fn step(
        &mut self,
        g: &mut G,
        fi: usize,
        op: Op,
        prog: &Program,
        proto: &FuncProto,
        pc: usize,
        stop_depth: usize,
    ) -> Result<Step, Flow> {
        let bp = g.frames[fi].bp;
        match op {
            Op::Nop => {}
            Op::BinLL(b, x, y) => {
                let l = g.stack[bp + x as usize].copy_val();
                let r = g.stack[bp + y as usize].copy_val();
                let v = ops::binop(b, &l, &r).map_err(|m| panic_msg(&m))?;
                g.stack.push(v);
            }
            Op::BinLI(b, x, k) => {
                let l = g.stack[bp + x as usize].copy_val();
                let v = ops::binop(b, &l, &Value::Int(k)).map_err(|m| panic_msg(&m))?;
                g.stack.push(v);
            }
            Op::IncLocal(s, d) => {
                let slot = &mut g.stack[bp + s as usize];
                let v = std::mem::replace(slot, Value::Nil);
                *slot = ops::binop(BinOp::Add, &v, &Value::Int(d)).map_err(|m| panic_msg(&m))?;
            }
            Op::Nil => g.stack.push(Value::Nil),
            Op::Bool(b) => g.stack.push(Value::Bool(b)),
            Op::Int(i) => g.stack.push(Value::Int(i)),
            Op::Const(k) => g.stack.push(prog.consts[k as usize].clone()),
            Op::Load(s) => {
                let v = g.stack[bp + s as usize].copy_val();
                g.stack.push(v);
            }
            Op::LoadRef(s) => {
                let v = g.stack[bp + s as usize].clone();
                g.stack.push(v);
            }
            Op::Store(s) => {
                let v = pop!(g);
                g.stack[bp + s as usize] = v;
            }
            Op::LoadBox(s) | Op::LoadBoxRef(s) => {
                let v = match &g.stack[bp + s as usize] {
                    Value::Cell(c) => c.borrow().clone(),
                    other => other.clone(),
                };
                let v = if matches!(op, Op::LoadBox(_)) {
                    v.copy_val()
                } else {
                    v
                };
                g.stack.push(v);
            }
            Op::StoreBox(s) => {
                let v = pop!(g);
                let slot = &mut g.stack[bp + s as usize];
                match slot {
                    Value::Cell(c) => *c.borrow_mut() = v,
                    _ => *slot = Value::Cell(rcell(v)),
                }
            }
            Op::NewBox(s) => {
                let v = pop!(g);
                g.stack[bp + s as usize] = Value::Cell(rcell(v));
            }
            Op::LoopVar(i, fresh) => {
                let info = proto.loop_vars.get(i as usize).filter(|_| self.tracing);
                if let Some(info) = info {
                    let v = match g.stack.get(bp + info.slot as usize) {
                        Some(Value::Cell(c)) => c.borrow().clone(),
                        Some(v) => v.clone(),
                        None => Value::Nil,
                    };
                    // a Go 1.21 range variable before its first value
                    let value = if matches!(v, Value::Nil) && fresh {
                        String::new()
                    } else {
                        self.frozen(&v)
                    };
                    self.ev(
                        g.id,
                        EventKind::LoopVar {
                            loop_line: info.line as usize,
                            name: info.name.clone(),
                            value,
                            fresh,
                            per_iteration: info.per_iteration,
                        },
                    );
                }
            }
            Op::Rebox(s) => {
                let slot = &mut g.stack[bp + s as usize];
                if let Value::Cell(c) = slot {
                    let v = c.borrow().clone();
                    *slot = Value::Cell(rcell(v));
                }
            }
            Op::LoadUp(i) | Op::LoadUpRef(i) => {
                let v = match &g.frames[fi].ups {
                    Some(cl) => cl
                        .ups
                        .get(i as usize)
                        .map(|c| c.borrow().clone())
                        .unwrap_or(Value::Nil),
                    None => Value::Nil,
                };
                let v = if matches!(op, Op::LoadUp(_)) {
                    v.copy_val()
                } else {
                    v
                };
                g.stack.push(v);
            }
            Op::StoreUp(i) => {
                let v = pop!(g);
                if let Some(cl) = &g.frames[fi].ups {
                    if let Some(c) = cl.ups.get(i as usize) {
                        *c.borrow_mut() = v;
                    }
                }
            }
            Op::LoadGlobal(i) => {
                let v = self.globals[i as usize].borrow().copy_val();
                g.stack.push(v);
            }
            Op::LoadGlobalRef(i) => {
                let v = self.globals[i as usize].borrow().clone();
                g.stack.push(v);
            }
            Op::StoreGlobal(i) => {
                let v = pop!(g);
                *self.globals[i as usize].borrow_mut() = v;
            }
            Op::AddrLocal(s) => {
                let slot = &mut g.stack[bp + s as usize];
                let c = match slot {
                    Value::Cell(c) => c.clone(),
                    other => {
                        let c = rcell(std::mem::replace(other, Value::Nil));
                        *other = Value::Cell(c.clone());
                        c
                    }
                };
                g.stack.push(Value::Ptr(Ptr::Cell(c)));
            }
            Op::AddrUp(i) => {
                let c = g.frames[fi]
                    .ups
                    .as_ref()
                    .and_then(|cl| cl.ups.get(i as usize).cloned())
                    .unwrap_or_else(|| rcell(Value::Nil));
                g.stack.push(Value::Ptr(Ptr::Cell(c)));
            }
            Op::AddrGlobal(i) => {
                let c = self.globals[i as usize].clone();
                g.stack.push(Value::Ptr(Ptr::Cell(c)));
            }
            Op::AddrField(sym) => {
                let base = pop!(g);
                let (h, idx) = self.field_loc(&base, sym)?;
                let fv = h.borrow().fields[idx].clone();
                g.stack.push(Value::Ptr(match fv {
                    Value::Struct(h2) => Ptr::Struct(h2),
                    _ => Ptr::Field(h, idx),
                }));
            }
            Op::AddrIndex => {
                let i = pop!(g);
                let base = pop!(g);
                let i = idx_int(&i)?;
                let (arr, idx) = match deref_array(&base) {
                    Value::Slice(s) => {
                        if i < 0 || i as usize >= s.len {
                            return Err(oob(i, s.len));
                        }
                        match &s.arr {
                            Some(a) => (a.clone(), s.off + i as usize),
                            None => return Err(oob(i, 0)),
                        }
                    }
                    Value::Array(a) => {
                        let n = a.borrow().len();
                        if i < 0 || i as usize >= n {
                            return Err(oob(i, n));
                        }
                        (a.clone(), i as usize)
                    }
                    _ => {
                        return Err(runtime_error(
                            "runtime error: cannot take address of element",
                        ))
                    }
                };
                let ev = arr.borrow()[idx].clone();
                g.stack.push(Value::Ptr(match ev {
                    Value::Struct(h) => Ptr::Struct(h),
                    _ => Ptr::Elem(arr, idx),
                }));
            }
            Op::AddrValue => {
                let v = pop!(g);
                g.stack.push(Value::Ptr(match v {
                    Value::Struct(h) => Ptr::Struct(h),
                    other => Ptr::Cell(rcell(other)),
                }));
            }
            Op::Pop => {
                g.stack.pop();
            }
            Op::Dup => {
                let v = g.stack.last().cloned().unwrap_or(Value::Nil);
                g.stack.push(v);
            }
            Op::Bin(bop) => {
                let b = pop!(g);
                let n = g.stack.len();
                if n == 0 {
                    return Err(runtime_error("runtime error: stack underflow"));
                }
                if let (Value::Int(x), Value::Int(y)) = (&g.stack[n - 1], &b) {
                    let (x, y) = (*x, *y);
                    let r = match bop {
                        BinOp::Add => Value::Int(x.wrapping_add(y)),
                        BinOp::Sub => Value::Int(x.wrapping_sub(y)),
                        BinOp::Mul => Value::Int(x.wrapping_mul(y)),
                        BinOp::Lt => Value::Bool(x < y),
                        BinOp::Le => Value::Bool(x <= y),
                        BinOp::Gt => Value::Bool(x > y),
                        BinOp::Ge => Value::Bool(x >= y),
                        BinOp::Eq => Value::Bool(x == y),
                        BinOp::Ne => Value::Bool(x != y),
                        _ => ops::binop(bop, &Value::Int(x), &b).map_err(|m| panic_msg(&m))?,
                    };
                    g.stack[n - 1] = r;
                } else {
                    let a = pop!(g);
                    let r = ops::binop(bop, &a, &b).map_err(|m| panic_msg(&m))?;
                    if let Value::Str(s) = &r {
                        self.heap += s.len() / 4;
                    }
                    g.stack.push(r);
                }
            }
            Op::Un(u) => {
                let a = pop!(g);
                g.stack.push(ops::unop(u, &a).map_err(|m| panic_msg(&m))?);
            }
            Op::Jump(t) => g.frames[fi].pc = t as usize,
            Op::JumpIfFalse(t) => {
                if !pop!(g).truthy() {
                    g.frames[fi].pc = t as usize;
                }
            }
            Op::JumpIfTrue(t) => {
                if pop!(g).truthy() {
                    g.frames[fi].pc = t as usize;
                }
            }
            Op::Field(sym) | Op::FieldRef(sym) => {
                let base = pop!(g);
                let v = match &base {
                    Value::Obj(_)
                        if natives::obj_field(&base, &prog.syms[sym as usize]).is_some() =>
                    {
                        natives::obj_field(&base, &prog.syms[sym as usize]).unwrap_or(Value::Nil)
                    }
                    Value::Ptr(p) if matches!(p.get(), Value::Obj(_)) => {
                        natives::obj_field(&p.get(), &prog.syms[sym as usize]).unwrap_or(Value::Nil)
                    }
                    Value::Err(_) | Value::Obj(_) | Value::Dur(_) | Value::Time(_) => {
                        return Err(runtime_error(&format!(
                            "unsupported: field {} of builtin value",
                            prog.syms[sym as usize]
                        )));
                    }
                    _ => match self.field_loc(&base, sym) {
                        Ok((h, idx)) => {
                            let v = h.borrow().fields[idx].clone();
                            v
                        }
                        Err(e) => {
                            // method value: x.M bound to its receiver
                            match self.resolve_method(&base, sym) {
                                Some((r, f)) => {
                                    let ptr = prog.funcs[f as usize].ptr_recv;
                                    let r = receiver_value(ptr, r)?;
                                    Value::Bound(Rc::new((r, sym, ptr)))
                                }
                                None => return Err(e),
                            }
                        }
                    },
                };
                g.stack.push(if matches!(op, Op::Field(_)) {
                    v.copy_val()
                } else {
                    v
                });
            }
            Op::SetField(sym) => {
                let v = pop!(g);
                let base = pop!(g);
                let (h, idx) = self.field_loc(&base, sym)?;
                let ty = h.borrow().ty;
                let fty = &prog.structs[ty as usize].fields[idx].ty;
                let v = coerce(v, fty);
                h.borrow_mut().fields[idx] = v;
            }
            Op::Index | Op::IndexRef => {
                let i = pop!(g);
                let base = pop!(g);
                let v = self.index(&base, &i)?;
                g.stack.push(if matches!(op, Op::Index) {
                    v.copy_val()
                } else {
                    v
                });
            }
            Op::SetIndex => {
                let v = pop!(g);
                let i = pop!(g);
                let base = pop!(g);
                self.set_index(&base, i, v)?;
            }
            Op::MapIndexOk => {
                let i = pop!(g);
                let base = pop!(g);
                match &base {
                    Value::Map(m) => {
                        let m = m.borrow();
                        match m.entries.get(&i.key()) {
                            Some((_, v)) => {
                                let v = v.copy_val();
                                g.stack.push(v);
                                g.stack.push(Value::Bool(true));
                            }
                            None => {
                                g.stack.push(zero_value(prog, &m.zero));
                                g.stack.push(Value::Bool(false));
                            }
                        }
                    }
                    _ => return Err(runtime_error("runtime error: comma-ok index on non-map")),
                }
            }
            Op::SliceOp(lo, hi, max) => {
                let m = if max { Some(idx_int(&pop!(g))?) } else { None };
                let h = if hi { Some(idx_int(&pop!(g))?) } else { None };
                let l = if lo { Some(idx_int(&pop!(g))?) } else { None };
                let base = pop!(g);
                let r = slice_op(&base, l, h, m)?;
                g.stack.push(r);
            }
            Op::Deref | Op::DerefRef => {
                let p = pop!(g);
                match p {
                    Value::Ptr(p) => {
                        let v = p.get();
                        g.stack.push(if matches!(op, Op::Deref) {
                            v.copy_val()
                        } else {
                            v
                        });
                    }
                    _ => return Err(nil_deref()),
                }
            }
            Op::SetDeref => {
                let v = pop!(g);
                let p = pop!(g);
                match p {
                    Value::Ptr(p) => p.set(v),
                    _ => return Err(nil_deref()),
                }
            }
            Op::Zero(ti) => g.stack.push(zero_value(prog, &prog.tys[ti as usize])),
            Op::TypeHints(k) => g.type_hints = Some(k),
            Op::RoundF32 => {
                if let Some(Value::Float(f)) = g.stack.last_mut() {
                    *f = *f as f32 as f64;
                }
            }
            Op::Coerce(ti) => {
                let v = pop!(g);
                g.stack.push(coerce(v, &prog.tys[ti as usize]));
            }
            Op::Convert(ti) => {
                let v = pop!(g);
                let c = convert(self, g, v, &prog.tys[ti as usize])?;
                g.stack.push(c);
            }
            Op::MakeStruct(id, n) => {
                let n = n as usize;
                let at = g.stack.len().saturating_sub(n);
                let vals = g.stack.split_off(at);
                let info = &prog.structs[id as usize];
                let fields = vals
                    .into_iter()
                    .zip(info.fields.iter())
                    .map(|(v, f)| coerce(v, &f.ty))
                    .collect();
                self.heap += 16 * n + 32;
                g.stack
                    .push(Value::Struct(rcell(StructV { ty: id, fields })));
            }
            Op::MakeStructKeyed(id, ki) => {
                let idxs = &prog.keyed[ki as usize];
                let at = g.stack.len().saturating_sub(idxs.len());
                let vals = g.stack.split_off(at);
                let info = &prog.structs[id as usize];
                let mut fields: Vec<Value> = info
                    .fields
                    .iter()
                    .map(|f| zero_value(prog, &f.ty))
                    .collect();
                for (v, fi2) in vals.into_iter().zip(idxs.iter()) {
                    let fi2 = *fi2 as usize;
                    fields[fi2] = coerce(v, &info.fields[fi2].ty);
                }
                self.heap += 16 * fields.len() + 32;
                g.stack
                    .push(Value::Struct(rcell(StructV { ty: id, fields })));
            }
            Op::MakeSlice(ti, n) => {
                let at = g.stack.len().saturating_sub(n as usize);
                let vals = g.stack.split_off(at);
                self.heap += 16 * vals.len() + 24;
                let sl = match prog.tys.get(ti as usize) {
                    Some(t) => SliceV::from_vec(vals).typed(t),
                    None => SliceV::from_vec(vals),
                };
                g.stack.push(Value::Slice(Rc::new(sl)));
            }
            Op::MakeArray(ti, n) => {
                let at = g.stack.len().saturating_sub(n as usize);
                let mut vals = g.stack.split_off(at);
                if let Ty::Array(len, et) = &prog.tys[ti as usize] {
                    while vals.len() < *len {
                        vals.push(zero_value(prog, et));
                    }
                }
                g.stack.push(Value::Array(rcell(vals)));
            }
            Op::MakeMap(ti, n) => {
                let at = g.stack.len().saturating_sub(2 * n as usize);
                let vals = g.stack.split_off(at);
                let (key, zero) = match &prog.tys[ti as usize] {
                    Ty::Map(k, v) => ((**k).clone(), (**v).clone()),
                    _ => (Ty::Unknown, Ty::Unknown),
                };
                let mut entries = std::collections::HashMap::new();
                let mut it = vals.into_iter();
                while let (Some(k), Some(v)) = (it.next(), it.next()) {
                    entries.insert(k.key(), (k, v));
                }
                self.heap += 64 * n as usize + 48;
                g.stack.push(Value::Map(rcell(MapV {
                    nil: false,
                    key,
                    zero,
                    entries,
                })));
            }
            Op::MakeClosure(idx) => {
                let p = &prog.funcs[idx as usize];
                let mut ups = Vec::with_capacity(p.captures.len());
                for (from_local, i) in &p.captures {
                    if *from_local {
                        let slot = &mut g.stack[bp + *i as usize];
                        let c = match slot {
                            Value::Cell(c) => c.clone(),
                            other => {
                                let c = rcell(std::mem::replace(other, Value::Nil));
                                *other = Value::Cell(c.clone());
                                c
                            }
                        };
                        ups.push(c);
                    } else {
                        let c = g.frames[fi]
                            .ups
                            .as_ref()
                            .and_then(|cl| cl.ups.get(*i as usize).cloned())
                            .unwrap_or_else(|| rcell(Value::Nil));
                        ups.push(c);
                    }
                }
                g.stack
                    .push(Value::Func(Rc::new(Closure { proto: idx, ups })));
            }
            Op::Make(ti, argc) => {
                let at = g.stack.len().saturating_sub(argc as usize);
                let args = g.stack.split_off(at);
                let v = self.make(prog, &prog.tys[ti as usize], &args)?;
                g.stack.push(v);
            }
            Op::NativeValue(id) => g.stack.push(Value::Native(Rc::new(NativeFn::Builtin(id)))),
            Op::Call(argc, keep, spread) => {
                let at = g.stack.len().saturating_sub(argc as usize);
                let args = g.stack.split_off(at);
                let callee = pop!(g);
                let c = to_callable(callee)?;
                if let Some(reason) = self.invoke(g, c, args, keep, FrameKind::Normal, spread)? {
                    return Ok(Step::Block(reason));
                }
            }
            Op::CallFunc(idx, argc, keep, spread) => {
                let at = g.stack.len().saturating_sub(argc as usize);
                let args = g.stack.split_off(at);
                self.push_frame(g, idx, None, args, keep, FrameKind::Normal, spread)?;
            }
            Op::CallMethod(sym, argc, keep, spread) => {
                let at = g.stack.len().saturating_sub(argc as usize);
                let args = g.stack.split_off(at);
                let recv = pop!(g);
                if let Some(reason) =
                    self.call_method(g, recv, sym, args, keep, FrameKind::Normal, spread)?
                {
                    return Ok(Step::Block(reason));
                }
            }
            Op::CallNative(id, argc, keep) => {
                let args = take_native_args(g, argc);
                let r = natives::call_native(self, g, id, args)?;
                if let Some(reason) = self.native_result(g, r, keep, FrameKind::Normal)? {
                    return Ok(Step::Block(reason));
                }
            }
            Op::Go(argc, spread) => {
                let at = g.stack.len().saturating_sub(argc as usize);
                let args = g.stack.split_off(at);
                let callee = pop!(g);
                let line = proto.lines.get(pc).copied().unwrap_or(0);
                match to_callable(callee)? {
                    Callable::Closure(cl) => {
                        let f = cl.proto;
                        self.spawn(f, Some(cl), args, line, spread)?;
                    }
                    _ => {
                        return Err(runtime_error(
                            "unsupported: go statement with builtin function value",
                        ))
                    }
                }
            }
            Op::GoMethod(sym, argc) => {
                let at = g.stack.len().saturating_sub(argc as usize);
                let args = g.stack.split_off(at);
                let recv = pop!(g);
                let line = proto.lines.get(pc).copied().unwrap_or(0);
                match self.resolve_method(&recv, sym) {
                    Some((r, f)) => {
                        let p = &prog.funcs[f as usize];
                        let rv = receiver_value(p.ptr_recv, r)?;
                        let mut full = vec![rv];
                        full.extend(args);
                        self.spawn(f, None, full, line, false)?;
                    }
                    None => {
                        return Err(runtime_error(
                            "unsupported: go statement calling a builtin method",
                        ))
                    }
                }
            }
            Op::Defer(argc, spread) => {
                let at = g.stack.len().saturating_sub(argc as usize);
                let mut args = g.stack.split_off(at);
                let callee = pop!(g);
                let c = to_callable(callee)?;
                if spread {
                    if let Some(Value::Slice(s)) = args.pop() {
                        args.extend(s.to_vec());
                    }
                }
                let name = self.trace_defer(proto, pc, &c, &args);
                g.frames[fi].defers.push(Deferred {
                    f: c,
                    args,
                    hints: None,
                    name,
                });
            }
            Op::DeferMethod(sym, argc) => {
                let at = g.stack.len().saturating_sub(argc as usize);
                let args = g.stack.split_off(at);
                let recv = pop!(g);
                // Value receivers are copied now, as Go evaluates the receiver at the defer statement.
                let recv = match self.resolve_method(&recv, sym) {
                    Some((r, f)) if !prog.funcs[f as usize].ptr_recv => receiver_value(false, r)?,
                    _ => recv,
                };
                let c = Callable::Method(recv, sym);
                let name = self.trace_defer(proto, pc, &c, &args);
                g.frames[fi].defers.push(Deferred {
                    f: c,
                    args,
                    hints: None,
                    name,
                });
            }
            Op::DeferNative(id, argc) => {
                let args = take_native_args(g, argc);
                let c = Callable::Native(id);
                let name = self.trace_defer(proto, pc, &c, &args);
                let hints = g.type_hints.take();
                g.frames[fi].defers.push(Deferred {
                    f: c,
                    args,
                    hints,
                    name,
                });
            }
            Op::Return(n) => {
                let at = g.stack.len().saturating_sub(n as usize);
                let vals = g.stack.split_off(at);
                for (i, v) in vals.into_iter().enumerate() {
                    let slot = bp + proto.results[i] as usize;
                    let v = match proto.result_tys.get(i) {
                        Some(ti) => coerce(v, &prog.tys[*ti as usize]),
                        None => v,
                    };
                    if proto.results_boxed[i] {
                        match &g.stack[slot] {
                            Value::Cell(c) => *c.borrow_mut() = v,
                            _ => g.stack[slot] = v,
                        }
                    } else {
                        g.stack[slot] = v;
                    }
                }
                g.frames[fi].pc = proto.ret_pc;
            }
            Op::RetSeq => {
                if let Some(d) = g.frames[fi].defers.pop() {
                    g.frames[fi].pc = pc;
                    g.type_hints = d.hints;
                    if self.tracing {
                        let func = deferred_name(prog, &d);
                        self.ev(g.id, EventKind::DeferRun { func });
                    }
                    if let Some(reason) = self.invoke(
                        g,
                        d.f,
                        d.args,
                        false,
                        FrameKind::Defer {
                            during_panic: false,
                        },
                        false,
                    )? {
                        return Ok(Step::Block(reason));
                    }
                    return Ok(Step::Next);
                }
                return self.do_return_pub(g, stop_depth);
            }
            Op::Send => {
                let v = pop!(g);
                let ch = pop!(g);
                if let Some(r) = chan::send(self, g, &ch, v)? {
                    return Ok(Step::Block(r));
                }
            }
            Op::Recv(ok) => {
                let ch = pop!(g);
                if let Some(r) = chan::recv(self, g, &ch, ok)? {
                    return Ok(Step::Block(r));
                }
            }
            Op::Select(di) => {
                let desc = &prog.selects[di as usize];
                if let Some(r) = chan::select(self, g, desc)? {
                    return Ok(Step::Block(r));
                }
            }
            Op::RangeInit => {
                let v = pop!(g);
                let it = self.range_init(v)?;
                g.stack.push(Value::Iter(rcell(it)));
            }
            Op::RangeNext(slot, end) => {
                let it = match &g.stack[bp + slot as usize] {
                    Value::Iter(i) => i.clone(),
                    _ => return Err(runtime_error("runtime error: bad range iterator")),
                };
                let mut st = it.borrow_mut();
                match &mut *st {
                    IterState::Seq { items, i, n } => {
                        if *i >= *n {
                            g.frames[fi].pc = end as usize;
                        } else {
                            let v = match items {
                                Value::Slice(s) => s
                                    .arr
                                    .as_ref()
                                    .map(|a| a.borrow()[s.off + *i].copy_val())
                                    .unwrap_or(Value::Nil),
                                Value::Array(a) => a.borrow()[*i].copy_val(),
                                _ => Value::Nil,
                            };
                            g.stack.push(Value::Int(*i as i64));
                            g.stack.push(v);
                            *i += 1;
                        }
                    }
                    IterState::Str { s, i } => {
                        if *i >= s.len() {
                            g.frames[fi].pc = end as usize;
                        } else {
                            let (r, n) = decode_rune(s.as_bytes(), *i);
                            g.stack.push(Value::Int(*i as i64));
                            g.stack.push(Value::Int(r as i64));
                            *i += n;
                        }
                    }
                    IterState::Int { i, n } => {
                        if *i >= *n {
                            g.frames[fi].pc = end as usize;
                        } else {
                            g.stack.push(Value::Int(*i));
                            g.stack.push(Value::Nil);
                            *i += 1;
                        }
                    }
                    IterState::Map { map, keys, i } => loop {
                        if *i >= keys.len() {
                            g.frames[fi].pc = end as usize;
                            break;
                        }
                        let k = keys[*i].clone();
                        *i += 1;
                        let m = map.borrow();
                        if let Some((kv, vv)) = m.entries.get(&k) {
                            g.stack.push(kv.clone());
                            g.stack.push(vv.copy_val());
                            break;
                        }
                    },
                    IterState::Chan(ch) => {
                        let ch = ch.clone();
                        drop(st);
                        // Receive with ok; when it blocks, the sender pushes (v, ok)
                        // and this instruction runs again to consume them.
                        let waiting = g.stack.len();
                        let _ = waiting;
                        match chan::recv(self, g, &Value::Chan(ch.clone()), true)? {
                            Some(reason) => {
                                *it.borrow_mut() = IterState::ChanWait(ch);
                                g.frames[fi].pc = pc;
                                return Ok(Step::Block(reason));
                            }
                            None => {
                                let ok = pop!(g).truthy();
                                let v = pop!(g);
                                if ok {
                                    g.stack.push(v);
                                    g.stack.push(Value::Nil);
                                } else {
                                    g.frames[fi].pc = end as usize;
                                }
                            }
                        }
                        return Ok(Step::Next);
                    }
                    IterState::ChanWait(ch) => {
                        let ch = ch.clone();
                        *st = IterState::Chan(ch);
                        drop(st);
                        let ok = pop!(g).truthy();
                        let v = pop!(g);
                        if ok {
                            g.stack.push(v);
                            g.stack.push(Value::Nil);
                        } else {
                            g.frames[fi].pc = end as usize;
                        }
                        return Ok(Step::Next);
                    }
                }
            }
            Op::TypeAssert(ti, commaok) => {
                let v = pop!(g);
                let t = &prog.tys[ti as usize];
                let ok = self.type_matches(&v, t);
                if commaok {
                    if ok {
                        g.stack.push(v);
                    } else {
                        g.stack.push(zero_value(prog, t));
                    }
                    g.stack.push(Value::Bool(ok));
                } else if ok {
                    g.stack.push(v);
                } else {
                    let have = if matches!(v, Value::Nil) {
                        "nil".to_string()
                    } else {
                        crate::sim::runtime::fmt::type_name(self, &v)
                    };
                    let want = crate::sim::runtime::fmt::ty_name(prog, t);
                    let msg = if matches!(t, Ty::Iface(_) | Ty::Error) {
                        format!("interface conversion: {have} is not {want}: missing method")
                    } else {
                        format!("interface conversion: interface {{}} is {have}, not {want}")
                    };
                    return Err(Flow::Panic(runtime_error_plain(&msg)));
                }
            }
            Op::TypeIs(ti) => {
                let v = pop!(g);
                let ok = self.type_matches(&v, &prog.tys[ti as usize]);
                g.stack.push(Value::Bool(ok));
            }
            Op::Recover => {
                let direct = matches!(g.frames[fi].kind, FrameKind::Defer { during_panic: true });
                let mut out = Value::Nil;
                if direct {
                    if let Some(p) = g.panics.last_mut() {
                        if !p.recovered {
                            p.recovered = true;
                            out = p.value.clone();
                        }
                    }
                }
                if self.tracing && !matches!(out, Value::Nil) {
                    let text = self.panic_text(&out);
                    self.ev(g.id, EventKind::Recover { value: text });
                }
                g.stack.push(out);
            }
            Op::Panic => {
                let v = pop!(g);
                let v = if matches!(v, Value::Nil) {
                    Value::Err(Rc::new(ErrV {
                        msg: "panic called with nil argument (goexit=false)".into(),
                        wrapped: Vec::new(),
                    }))
                } else {
                    v
                };
                return Err(Flow::Panic(v));
            }
        }
        Ok(Step::Next)
    }

    pub fn do_return_pub(&mut self, g: &mut G, stop_depth: usize) -> Result<Step, Flow> {
        self.do_return_inner(g, stop_depth)
    }

    pub fn spawn(
        &mut self,
        f: u32,
        ups: Option<Rc<Closure>>,
        args: Vec<Value>,
        line: u32,
        spread: bool,
    ) -> Result<usize, Flow> {
        let id = self.new_g_pub(line, f)?;
        let mut ng = match self.gs[id].take() {
            Some(g) => g,
            None => return Ok(id),
        };
        let r = self.push_frame(&mut ng, f, ups, args, false, FrameKind::Normal, spread);
        self.gs[id] = Some(ng);
        r?;
        if let Some(old) = self.runnext.replace(id) {
            self.runq.push_back(old);
        }
        if self.tracing {
            let cur = self.cur_gid;
            let func = self.gs[id]
                .as_ref()
                .map(|g| g.func_name.clone())
                .unwrap_or_default();
            self.ev(cur, EventKind::Spawn { child: id, func });
        }
        Ok(id)
    }

    /// Records a DeferPush (when tracing) and returns the callee's name as
    /// written, kept on the deferred call for its DeferRun.
    fn trace_defer(
        &mut self,
        proto: &FuncProto,
        pc: usize,
        c: &Callable,
        args: &[Value],
    ) -> Option<std::rc::Rc<str>> {
        if !self.tracing {
            return None;
        }
        let written = proto
            .defer_names
            .binary_search_by_key(&(pc as u32), |d| d.0)
            .ok()
            .and_then(|i| proto.defer_names.get(i))
            .map(|d| d.1.clone());
        let func = written.unwrap_or_else(|| callable_name(&self.prog, c));
        let mut shown = Vec::with_capacity(args.len() + 1);
        let closure = match c {
            Callable::Closure(cl) => self
                .prog
                .funcs
                .get(cl.proto as usize)
                .is_some_and(|f| f.literal),
            Callable::Method(recv, _) => {
                // A sync object's methods take a pointer: the frozen receiver
                // is its address, shown as Go code would write it.
                let sync_obj = match recv {
                    Value::Obj(o) => matches!(
                        &*o.borrow(),
                        Obj::Mutex { .. }
                            | Obj::RwMutex { .. }
                            | Obj::WaitGroup { .. }
                            | Obj::Once { .. }
                    ),
                    _ => false,
                };
                let written = func.rsplit_once('.').map(|(r, _)| r);
                match written {
                    Some(r) if sync_obj => shown.push(format!("&{r}")),
                    _ => shown.push(self.frozen(recv)),
                }
                false
            }
            _ => false,
        };
        for a in args {
            shown.push(self.frozen(a));
        }
        let g = self.cur_gid;
        self.ev(
            g,
            EventKind::DeferPush {
                func: func.clone(),
                args: shown,
                closure,
            },
        );
        Some(std::rc::Rc::from(func))
    }

    pub fn field_loc(&mut self, base: &Value, sym: u32) -> Result<(Rcell<StructV>, usize), Flow> {
        let h = match base {
            Value::Struct(h) => h.clone(),
            Value::Ptr(p) => match p.get() {
                Value::Struct(h) => h,
                _ => return Err(nil_deref()),
            },
            Value::Nil | Value::NilPtr(_) | Value::TypedNil(_) => return Err(nil_deref()),
            _ => {
                return Err(runtime_error(
                    "runtime error: field access on non-struct value",
                ))
            }
        };
        let ty = h.borrow().ty;
        let info = &self.prog.structs[ty as usize];
        let name = self.prog.syms[sym as usize].clone();
        if let Some(i) = info.fields.iter().position(|f| f.name == name) {
            return Ok((h, i));
        }
        // promoted field through embedding
        let embedded: Vec<usize> = info
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.embedded)
            .map(|(i, _)| i)
            .collect();
        for i in embedded {
            let inner = h.borrow().fields[i].clone();
            if matches!(inner, Value::Struct(_) | Value::Ptr(_)) {
                if let Ok(r) = self.field_loc(&inner, sym) {
                    return Ok(r);
                }
            }
        }
        Err(runtime_error(&format!("unsupported: unknown field {name}")))
    }

    pub fn index(&mut self, base: &Value, i: &Value) -> Result<Value, Flow> {
        match deref_array(base) {
            Value::Slice(s) => {
                let i = idx_int(i)?;
                if i < 0 || i as usize >= s.len {
                    return Err(oob(i, s.len));
                }
                Ok(s.arr
                    .as_ref()
                    .map(|a| a.borrow()[s.off + i as usize].clone())
                    .unwrap_or(Value::Nil))
            }
            Value::Array(a) => {
                let i = idx_int(i)?;
                let a = a.borrow();
                if i < 0 || i as usize >= a.len() {
                    return Err(oob(i, a.len()));
                }
                Ok(a[i as usize].clone())
            }
            Value::Str(s) => {
                let i = idx_int(i)?;
                if i < 0 || i as usize >= s.len() {
                    return Err(oob(i, s.len()));
                }
                Ok(Value::Int(s.as_bytes()[i as usize] as i64))
            }
            Value::Map(m) => {
                let m = m.borrow();
                match m.entries.get(&i.key()) {
                    Some((_, v)) => Ok(v.clone()),
                    None => Ok(zero_value(&self.prog, &m.zero)),
                }
            }
            _ => Err(nil_deref()),
        }
    }

    pub fn set_index(&mut self, base: &Value, i: Value, v: Value) -> Result<(), Flow> {
        match deref_array(base) {
            Value::Slice(s) => {
                let i = idx_int(&i)?;
                if i < 0 || i as usize >= s.len {
                    return Err(oob(i, s.len));
                }
                if let Some(a) = &s.arr {
                    a.borrow_mut()[s.off + i as usize] = v;
                }
                Ok(())
            }
            Value::Array(a) => {
                let i = idx_int(&i)?;
                let mut a = a.borrow_mut();
                if i < 0 || i as usize >= a.len() {
                    return Err(oob(i, a.len()));
                }
                a[i as usize] = v;
                Ok(())
            }
            Value::Map(m) => {
                let mut m = m.borrow_mut();
                if m.nil {
                    return Err(Flow::Panic(runtime_error_plain(
                        "assignment to entry in nil map",
                    )));
                }
                let v = coerce(v, &m.zero.clone());
                let k = i.key();
                if !m.entries.contains_key(&k) {
                    self.heap += 64;
                }
                m.entries.insert(k, (i, v));
                drop(m);
                self.check_heap()
            }
            Value::Nil => Err(Flow::Panic(runtime_error_plain(
                "assignment to entry in nil map",
            ))),
            _ => Err(runtime_error(
                "runtime error: index assignment on non-indexable value",
            )),
        }
    }

    fn make(&mut self, prog: &Program, t: &Ty, args: &[Value]) -> Result<Value, Flow> {
        let n = match args.first() {
            Some(v) => idx_int(v)?,
            None => 0,
        };
        match t {
            Ty::Slice(et) => {
                let cap = match args.get(1) {
                    Some(v) => idx_int(v)?,
                    None => n,
                };
                if n < 0 {
                    return Err(panic_msg("runtime error: makeslice: len out of range"));
                }
                if cap < n {
                    return Err(panic_msg("runtime error: makeslice: cap out of range"));
                }
                self.heap += 16 * cap as usize;
                self.check_heap()?;
                let z = zero_value(prog, et);
                let mut v: Vec<Value> = Vec::with_capacity(cap as usize);
                for _ in 0..cap {
                    v.push(z.copy_val());
                }
                Ok(Value::Slice(Rc::new(SliceV {
                    arr: Some(rcell(v)),
                    off: 0,
                    len: n as usize,
                    cap: cap as usize,
                    ty: Some(Rc::new(t.clone())),
                })))
            }
            Ty::Map(kt, vt) => Ok(Value::Map(rcell(MapV {
                nil: false,
                key: (**kt).clone(),
                zero: (**vt).clone(),
                entries: Default::default(),
            }))),
            Ty::Chan(et) => {
                if n < 0 {
                    return Err(panic_msg("makechan: size out of range"));
                }
                self.heap += 96 + 16 * n as usize;
                self.check_heap()?;
                let id = self.next_chan;
                self.next_chan += 1;
                if self.tracing {
                    let elem = crate::sim::runtime::fmt::chan_elem_name(&self.prog, et);
                    self.ev(
                        self.cur_gid,
                        EventKind::ChanMake {
                            chan: id,
                            cap: n as usize,
                            elem,
                        },
                    );
                }
                Ok(Value::Chan(rcell(ChanV {
                    id,
                    cap: n as usize,
                    buf: Default::default(),
                    closed: false,
                    sendq: Default::default(),
                    recvq: Default::default(),
                    zero: (**et).clone(),
                })))
            }
            _ => Err(panic_msg("invalid make")),
        }
    }

    fn range_init(&mut self, v: Value) -> Result<IterState, Flow> {
        Ok(match v {
            Value::Slice(s) => {
                let n = s.len;
                IterState::Seq {
                    items: Value::Slice(s),
                    i: 0,
                    n,
                }
            }
            Value::Array(a) => {
                let n = a.borrow().len();
                IterState::Seq {
                    items: Value::Array(a),
                    i: 0,
                    n,
                }
            }
            Value::Ptr(p) => return self.range_init(p.get()),
            Value::Str(s) => IterState::Str { s, i: 0 },
            Value::Int(n) => IterState::Int { i: 0, n },
            Value::Map(m) => {
                let mut keys: Vec<Key> = m.borrow().entries.keys().cloned().collect();
                keys.sort();
                // Go randomizes map iteration order; use the seeded generator.
                for i in (1..keys.len()).rev() {
                    let j = self.rand_below(i + 1);
                    keys.swap(i, j);
                }
                IterState::Map { map: m, keys, i: 0 }
            }
            Value::Chan(c) => IterState::Chan(c),
            Value::Nil => IterState::Chan(rcell(ChanV {
                id: 0,
                cap: 0,
                buf: Default::default(),
                closed: false,
                sendq: Default::default(),
                recvq: Default::default(),
                zero: Ty::Unknown,
            })),
            _ => return Err(runtime_error("runtime error: cannot range over value")),
        })
    }

    pub fn type_matches(&self, v: &Value, t: &Ty) -> bool {
        match t {
            Ty::Unknown => matches!(v, Value::Nil),
            Ty::Int(_) => matches!(v, Value::Int(_)),
            Ty::Float => matches!(v, Value::Float(_)),
            Ty::Str => matches!(v, Value::Str(_)),
            Ty::Bool => matches!(v, Value::Bool(_)),
            Ty::Dur => matches!(v, Value::Dur(_)),
            Ty::Time => matches!(v, Value::Time(_)),
            Ty::Slice(_) => matches!(v, Value::Slice(_)),
            Ty::Array(..) => matches!(v, Value::Array(_)),
            Ty::Map(..) => matches!(v, Value::Map(_)),
            Ty::Chan(_) => matches!(v, Value::Chan(_)),
            Ty::Func => matches!(v, Value::Func(_) | Value::Native(_) | Value::Bound(_)),
            Ty::Struct(id) => matches!(v, Value::Struct(h) if h.borrow().ty == *id),
            Ty::Ptr(inner) => match (v, &**inner) {
                (Value::NilPtr(a) | Value::TypedNil(a), Ty::Struct(b)) => a == b,
                (Value::Ptr(p), Ty::Struct(id)) => {
                    matches!(p.get(), Value::Struct(h) if h.borrow().ty == *id)
                }
                (Value::Ptr(_), _) => true,
                (Value::Obj(o), Ty::Obj(k)) => natives::obj_kind(&o.borrow()) == *k,
                _ => false,
            },
            Ty::Error => match v {
                Value::Err(_) => true,
                Value::Struct(_) | Value::Ptr(_) => self.has_method(v, "Error"),
                _ => false,
            },
            Ty::Iface(ms) => {
                if matches!(v, Value::Nil) {
                    return false;
                }
                ms.iter().all(|m| self.has_method(v, m))
            }
            Ty::Obj(k) => matches!(v, Value::Obj(o) if natives::obj_kind(&o.borrow()) == *k),
        }
    }

    pub fn has_method(&self, v: &Value, name: &str) -> bool {
        if let Some(sym) = self.prog.syms.iter().position(|s| s == name) {
            if self.resolve_method(v, sym as u32).is_some() {
                return true;
            }
        }
        match v {
            Value::Err(_) => name == "Error" || name == "Unwrap",
            Value::Obj(_) => natives::obj_has_method(v, name),
            Value::Dur(_) => name == "String",
            _ => false,
        }
    }
}

pub fn panic_msg(m: &str) -> Flow {
    runtime_error(m)
}

fn to_callable(v: Value) -> Result<Callable, Flow> {
    match v {
        Value::Func(c) => Ok(Callable::Closure(c)),
        Value::Native(n) => match &*n {
            NativeFn::Builtin(id) => Ok(Callable::Native(*id)),
            NativeFn::Cancel(c) => Ok(Callable::Cancel(c.clone())),
        },
        Value::Bound(b) => Ok(Callable::Method(b.0.clone(), b.1)),
        _ => Err(nil_deref()),
    }
}

/// Collects native call arguments: 255 = everything above the multi-value
/// marker; a trailing spread sentinel expands the slice before it.
fn take_native_args(g: &mut G, argc: u8) -> Vec<Value> {
    let mut args = if argc == 255 {
        let pos = g
            .stack
            .iter()
            .rposition(|v| matches!(v, Value::Int(i) if *i == i64::MIN))
            .unwrap_or(g.stack.len());
        let a = g.stack.split_off((pos + 1).min(g.stack.len()));
        g.stack.truncate(pos);
        a
    } else {
        let at = g.stack.len().saturating_sub(argc as usize);
        g.stack.split_off(at)
    };
    if matches!(args.last(), Some(Value::Int(i)) if *i == i64::MIN + 1) {
        args.pop();
        match args.pop() {
            Some(Value::Slice(s)) => {
                // append(a, b...) keeps the slice as one argument marker-free
                args.push(Value::Slice(s));
                args.push(Value::Int(i64::MIN + 1));
            }
            Some(Value::Str(s)) => {
                args.push(Value::Slice(Rc::new(SliceV::from_vec(
                    s.bytes().map(|b| Value::Int(b as i64)).collect(),
                ))));
                args.push(Value::Int(i64::MIN + 1));
            }
            Some(other) => args.push(other),
            None => {}
        }
    }
    args
}

fn deref_array(v: &Value) -> Value {
    match v {
        Value::Ptr(p) => match p.get() {
            a @ Value::Array(_) => a,
            _ => v.clone(),
        },
        _ => v.clone(),
    }
}

pub fn decode_rune(b: &[u8], i: usize) -> (u32, usize) {
    let s = &b[i..];
    let end = s.len().min(4);
    for n in 1..=end {
        if let Ok(st) = std::str::from_utf8(&s[..n]) {
            if let Some(c) = st.chars().next() {
                return (c as u32, n);
            }
        }
    }
    (0xFFFD, 1)
}

fn slice_op(base: &Value, l: Option<i64>, h: Option<i64>, m: Option<i64>) -> Result<Value, Flow> {
    let base = deref_array(base);
    match &base {
        Value::Str(s) => {
            let lo = l.unwrap_or(0);
            let hi = h.unwrap_or(s.len() as i64);
            if hi < 0 || hi as usize > s.len() {
                return Err(panic_msg(&format!(
                    "runtime error: slice bounds out of range [:{hi}] with length {}",
                    s.len()
                )));
            }
            if lo < 0 || lo > hi {
                return Err(panic_msg(&format!(
                    "runtime error: slice bounds out of range [{lo}:{hi}]"
                )));
            }
            let bytes = &s.as_bytes()[lo as usize..hi as usize];
            Ok(Value::Str(Rc::from(
                String::from_utf8_lossy(bytes).as_ref(),
            )))
        }
        Value::Slice(s) => {
            let lo = l.unwrap_or(0);
            let hi = h.unwrap_or(s.len as i64);
            let max = m.unwrap_or(s.cap as i64);
            if max < 0 || max as usize > s.cap {
                return Err(panic_msg(&format!(
                    "runtime error: slice bounds out of range [::{max}] with capacity {}",
                    s.cap
                )));
            }
            if hi < 0 || hi > max {
                return Err(panic_msg(&format!(
                    "runtime error: slice bounds out of range [:{hi}] with capacity {}",
                    s.cap
                )));
            }
            if lo < 0 || lo > hi {
                return Err(panic_msg(&format!(
                    "runtime error: slice bounds out of range [{lo}:{hi}]"
                )));
            }
            Ok(Value::Slice(Rc::new(SliceV {
                arr: s.arr.clone(),
                off: s.off + lo as usize,
                len: (hi - lo) as usize,
                cap: (max - lo) as usize,
                ty: s.ty.clone(),
            })))
        }
        Value::Array(a) => {
            let n = a.borrow().len() as i64;
            let lo = l.unwrap_or(0);
            let hi = h.unwrap_or(n);
            let max = m.unwrap_or(n);
            if hi < 0 || hi > max || max > n {
                return Err(panic_msg(&format!(
                    "runtime error: slice bounds out of range [:{hi}] with length {n}"
                )));
            }
            if lo < 0 || lo > hi {
                return Err(panic_msg(&format!(
                    "runtime error: slice bounds out of range [{lo}:{hi}]"
                )));
            }
            Ok(Value::Slice(Rc::new(SliceV {
                arr: Some(a.clone()),
                off: lo as usize,
                len: (hi - lo) as usize,
                cap: (max - lo) as usize,
                ty: None,
            })))
        }
        Value::Nil => Ok(Value::Slice(Rc::new(SliceV::nil()))),
        _ => Err(panic_msg("runtime error: cannot slice value")),
    }
}

pub fn zero_value(prog: &Program, t: &Ty) -> Value {
    match t {
        Ty::Int(_) => Value::Int(0),
        Ty::Float => Value::Float(0.0),
        Ty::Str => Value::Str(Rc::from("")),
        Ty::Bool => Value::Bool(false),
        Ty::Dur => Value::Dur(0),
        Ty::Time => Value::Time(0),
        Ty::Slice(_) => Value::Slice(Rc::new(SliceV::nil().typed(t))),
        Ty::Array(n, et) => {
            let n = if *n == usize::MAX { 0 } else { *n };
            Value::Array(rcell((0..n).map(|_| zero_value(prog, et)).collect()))
        }
        Ty::Map(k, v) => Value::Map(rcell(MapV {
            nil: true,
            key: (**k).clone(),
            zero: (**v).clone(),
            entries: Default::default(),
        })),
        Ty::Struct(id) => {
            let fields = prog
                .structs
                .get(*id as usize)
                .map(|s| s.fields.iter().map(|f| zero_value(prog, &f.ty)).collect())
                .unwrap_or_default();
            Value::Struct(rcell(StructV { ty: *id, fields }))
        }
        Ty::Obj(k) => natives::new_obj(*k),
        Ty::Ptr(inner) => match &**inner {
            Ty::Struct(id) => Value::NilPtr(*id),
            _ => Value::Nil,
        },
        _ => Value::Nil,
    }
}

fn convert(vm: &mut Vm, g: &mut G, v: Value, t: &Ty) -> Result<Value, Flow> {
    Ok(match (t, v) {
        (Ty::Str, Value::Int(i)) => {
            let c = char::from_u32(i as u32).unwrap_or('\u{FFFD}');
            Value::Str(Rc::from(c.to_string()))
        }
        (Ty::Str, Value::Slice(s)) => {
            let items = s.to_vec();
            let ints: Vec<i64> = items.iter().map(|v| v.as_int().unwrap_or(0)).collect();
            if ints.iter().all(|i| (0..256).contains(i)) {
                let bytes: Vec<u8> = ints.iter().map(|i| *i as u8).collect();
                Value::Str(Rc::from(String::from_utf8_lossy(&bytes).as_ref()))
            } else {
                let s: String = ints
                    .iter()
                    .map(|i| char::from_u32(*i as u32).unwrap_or('\u{FFFD}'))
                    .collect();
                Value::Str(Rc::from(s))
            }
        }
        (Ty::Str, v @ Value::Str(_)) => v,
        (Ty::Str, Value::Err(e)) => Value::str(&e.msg),
        (Ty::Slice(et), Value::Str(s)) => match **et {
            Ty::Int(IntKind::Int32) => Value::Slice(Rc::new(
                SliceV::from_vec(s.chars().map(|c| Value::Int(c as i64)).collect()).typed(t),
            )),
            _ => Value::Slice(Rc::new(
                SliceV::from_vec(s.bytes().map(|b| Value::Int(b as i64)).collect()).typed(t),
            )),
        },
        (Ty::Int(k), Value::Int(i)) | (Ty::Int(k), Value::Dur(i)) => Value::Int(k.wrap(i)),
        (Ty::Int(k), Value::Float(f)) => Value::Int(k.wrap(f as i64)),
        (Ty::Float, Value::Int(i)) | (Ty::Float, Value::Dur(i)) => Value::Float(i as f64),
        (Ty::Float, v @ Value::Float(_)) => v,
        (Ty::Dur, Value::Int(i)) | (Ty::Dur, Value::Dur(i)) => Value::Dur(i),
        (Ty::Dur, Value::Float(f)) => Value::Dur(f as i64),
        (Ty::Struct(id), Value::Struct(h)) => {
            let fields = h.borrow().fields.clone();
            Value::Struct(rcell(StructV { ty: *id, fields }))
        }
        (Ty::Func, v) => v,
        (_, v) => {
            let _ = (vm, g);
            v
        }
    })
}

impl Vm {
    pub fn new_g_pub(&mut self, line: u32, f: u32) -> Result<usize, Flow> {
        self.new_g_inner(line, f)
    }
}
