//! Standard-library functions and methods of builtin objects.

use std::rc::Rc;

use super::chan;
use super::exec::{panic_msg, zero_value};
use super::interp::*;
use super::program::{ObjKind, Ty};
use super::value::*;
use crate::sim::runtime::fmt::{quote, Fmt};
use crate::sim::runtime::names::native_name;
use crate::sim::trace::{EventKind, WaitOn};

fn err_val(msg: String) -> Value {
    Value::Err(Rc::new(ErrV {
        msg,
        wrapped: Vec::new(),
    }))
}

fn err_wrap(msg: String, inner: Value) -> Value {
    Value::Err(Rc::new(ErrV {
        msg,
        wrapped: vec![inner],
    }))
}

fn s(v: &Value) -> Rc<str> {
    match v {
        Value::Str(s) => s.clone(),
        _ => Rc::from(""),
    }
}

fn int(v: &Value) -> i64 {
    v.as_int().unwrap_or(0)
}

fn float(v: &Value) -> f64 {
    match v {
        Value::Float(f) => *f,
        Value::Int(i) | Value::Dur(i) => *i as f64,
        _ => 0.0,
    }
}

fn str_v(x: impl AsRef<str>) -> Value {
    Value::Str(Rc::from(x.as_ref()))
}

fn slice_of(v: Vec<Value>) -> Value {
    Value::Slice(Rc::new(SliceV::from_vec(v)))
}

fn bytes_of(v: &Value) -> Vec<u8> {
    match v {
        Value::Slice(sl) => sl.to_vec().iter().map(|b| int(b) as u8).collect(),
        Value::Str(s) => s.as_bytes().to_vec(),
        _ => Vec::new(),
    }
}

pub fn new_obj(k: ObjKind) -> Value {
    let o = match k {
        ObjKind::Mutex => Obj::Mutex {
            locked: false,
            waiters: Default::default(),
        },
        ObjKind::RwMutex => Obj::RwMutex {
            writer: false,
            readers: 0,
            wwait: Default::default(),
            rwait: Default::default(),
        },
        ObjKind::WaitGroup => Obj::WaitGroup {
            count: 0,
            waiters: Vec::new(),
        },
        ObjKind::Once => Obj::Once { done: false },
        ObjKind::AtomicInt => Obj::Atomic(0),
        ObjKind::Builder => Obj::Builder(String::new()),
        _ => return Value::Nil,
    };
    Value::Obj(rcell(o))
}

pub fn obj_kind(o: &Obj) -> ObjKind {
    match o {
        Obj::Mutex { .. } => ObjKind::Mutex,
        Obj::RwMutex { .. } => ObjKind::RwMutex,
        Obj::WaitGroup { .. } => ObjKind::WaitGroup,
        Obj::Once { .. } => ObjKind::Once,
        Obj::Atomic(_) => ObjKind::AtomicInt,
        Obj::Builder(_) => ObjKind::Builder,
        Obj::Timer { period, .. } => {
            if *period > 0 {
                ObjKind::Ticker
            } else {
                ObjKind::Timer
            }
        }
        Obj::Ctx(_) => ObjKind::Context,
        Obj::File(_) => ObjKind::File,
        Obj::DirEntry(..) => ObjKind::DirEntry,
        Obj::SortReverse(_) => ObjKind::SortReverse,
    }
}

pub fn obj_has_method(v: &Value, name: &str) -> bool {
    let o = match v {
        Value::Obj(o) => o,
        _ => return false,
    };
    let b = o.borrow();
    let ms: &[&str] = match &*b {
        Obj::Mutex { .. } => &["Lock", "Unlock", "TryLock"],
        Obj::RwMutex { .. } => &["Lock", "Unlock", "RLock", "RUnlock"],
        Obj::WaitGroup { .. } => &["Add", "Done", "Wait"],
        Obj::Once { .. } => &["Do"],
        Obj::Atomic(_) => &["Add", "Load", "Store", "CompareAndSwap", "Swap"],
        Obj::Builder(_) => &[
            "WriteString",
            "WriteByte",
            "WriteRune",
            "String",
            "Len",
            "Reset",
            "Grow",
            "Write",
        ],
        Obj::Timer { .. } => &["Stop", "Reset"],
        Obj::Ctx(_) => &["Done", "Err", "Value", "Deadline"],
        Obj::File(_) => &["Write", "WriteString", "Read", "Close", "Name"],
        Obj::DirEntry(..) => &["Name", "IsDir"],
        Obj::SortReverse(_) => &["Len"],
    };
    ms.contains(&name)
}

/// Field access on builtin objects (only `Timer.C` / `Ticker.C`).
pub fn obj_field(v: &Value, name: &str) -> Option<Value> {
    if let Value::Obj(o) = v {
        if let Obj::Timer { chan, .. } = &*o.borrow() {
            if name == "C" {
                return Some(Value::Chan(chan.clone()));
            }
        }
    }
    None
}

/// Records that `gid` took (`lock`) or released a mutex.
fn trace_lock(vm: &mut Vm, gid: usize, what: &str, mutex: usize, read: bool, lock: bool) {
    if !vm.tracing {
        return;
    }
    let what = what.to_string();
    vm.ev(
        gid,
        if lock {
            EventKind::Lock { what, mutex, read }
        } else {
            EventKind::Unlock { what, mutex, read }
        },
    );
}

fn output(vm: &mut Vm, gid: usize, fd: i64, text: &str) {
    if fd == 2 {
        vm.stderr.push_str(text);
    } else {
        vm.stdout.push_str(text);
    }
    if vm.tracing {
        vm.tracing_output(gid, if fd == 2 { 2 } else { 1 }, text.to_string());
    }
    vm.heap += text.len() / 8;
}

fn new_chan(vm: &mut Vm, cap: usize, zero: Ty) -> Rcell<ChanV> {
    let id = vm.next_chan;
    vm.next_chan += 1;
    if vm.tracing {
        let elem = crate::sim::runtime::fmt::chan_elem_name(&vm.prog, &zero);
        let cur = vm.cur_gid;
        vm.ev(
            cur,
            EventKind::ChanMake {
                chan: id,
                cap,
                elem,
            },
        );
    }
    rcell(ChanV {
        id,
        cap,
        buf: Default::default(),
        closed: false,
        sendq: Default::default(),
        recvq: Default::default(),
        zero,
    })
}

fn new_timer(vm: &mut Vm, d: i64, period: i64) -> Rcell<Obj> {
    let ch = new_chan(vm, 1, Ty::Time);
    let t = rcell(Obj::Timer {
        chan: ch.clone(),
        gen: 0,
        active: true,
        period,
    });
    let id = vm.add_timer(vm.now + d.max(0), TimerAction::Send(ch, t.clone()));
    if let Obj::Timer { gen, .. } = &mut *t.borrow_mut() {
        *gen = id;
    }
    vm.ev(vm.cur_gid, EventKind::Timer { at_ns: d });
    t
}

fn block_on_timer(vm: &mut Vm, g: &mut G, d: i64) -> NRes {
    g.wait_seq += 1;
    let seq = g.wait_seq;
    vm.add_timer(vm.now + d, TimerAction::Wake(g.id, seq));
    NRes::Block("sleep")
}

/// A context: `kind` names the constructor for the trace, `own_deadline`
/// is a deadline earlier than the parent's.
fn new_ctx(
    parent: Option<Rcell<Obj>>,
    cancelable: bool,
    vm: &mut Vm,
    kind: &str,
    own_deadline: Option<i64>,
) -> Rcell<Obj> {
    let deadline = own_deadline.or_else(|| {
        parent.as_ref().and_then(|p| match &*p.borrow() {
            Obj::Ctx(c) => c.deadline,
            _ => None,
        })
    });
    let done = if cancelable {
        Some(new_chan(vm, 0, Ty::Unknown))
    } else {
        None
    };
    let ctx = rcell(Obj::Ctx(CtxV {
        parent: parent.clone(),
        done,
        err: None,
        children: Vec::new(),
        deadline,
        key: None,
        cancelable,
    }));
    if let Some(p) = &parent {
        // register with the nearest cancelable ancestor
        let mut cur = Some(p.clone());
        while let Some(c) = cur {
            let next = {
                let mut b = c.borrow_mut();
                match &mut *b {
                    Obj::Ctx(cv) if cv.cancelable => {
                        cv.children.push(ctx.clone());
                        None
                    }
                    Obj::Ctx(cv) => cv.parent.clone(),
                    _ => None,
                }
            };
            cur = next;
        }
    }
    if vm.tracing {
        let id = vm.obj_id(&ctx);
        let parent = parent.as_ref().map(|p| vm.obj_id(p));
        let cur = vm.cur_gid;
        vm.ev(
            cur,
            EventKind::CtxMake {
                ctx: id,
                parent,
                kind: kind.to_string(),
                deadline_ns: deadline.map(|d| d - crate::sim::vm::interp::START_NS),
            },
        );
    }
    ctx
}

fn ctx_err(ctx: &Rcell<Obj>) -> Option<Value> {
    let mut cur = Some(ctx.clone());
    while let Some(c) = cur {
        let b = c.borrow();
        match &*b {
            Obj::Ctx(cv) => {
                if let Some(e) = &cv.err {
                    return Some(e.clone());
                }
                if cv.cancelable {
                    return None;
                }
                cur = cv.parent.clone();
            }
            _ => return None,
        }
    }
    None
}

pub fn cancel_ctx(vm: &mut Vm, ctx: &Rcell<Obj>, err: Value) {
    let (done, children) = {
        let mut b = ctx.borrow_mut();
        match &mut *b {
            Obj::Ctx(cv) => {
                if cv.err.is_some() {
                    return;
                }
                cv.err = Some(err.clone());
                (cv.done.clone(), std::mem::take(&mut cv.children))
            }
            _ => return,
        }
    };
    if vm.tracing {
        let id = vm.obj_id(ctx);
        let err = vm.frozen(&err);
        let cur = vm.cur_gid;
        vm.ev(cur, EventKind::CtxCancel { ctx: id, err });
    }
    if let Some(d) = done {
        let _ = chan::close(vm, &Value::Chan(d));
    }
    for c in children {
        cancel_ctx(vm, &c, err.clone());
    }
}

fn with_cancel(
    vm: &mut Vm,
    parent: &Value,
    deadline: Option<i64>,
    kind: &str,
) -> Result<NRes, Flow> {
    let p = match parent {
        Value::Obj(o) if matches!(&*o.borrow(), Obj::Ctx(_)) => o.clone(),
        _ => return Err(panic_msg("cannot create context from nil parent")),
    };
    let parent_dl = match &*p.borrow() {
        Obj::Ctx(c) => c.deadline,
        _ => None,
    };
    let eff = deadline.and_then(|d| match parent_dl {
        Some(pd) if pd <= d => None,
        _ => Some(d),
    });
    let ctx = new_ctx(Some(p.clone()), true, vm, kind, eff);
    if let Some(d) = eff {
        if d <= vm.now {
            let e = vm.singletons["deadline"].clone();
            cancel_ctx(vm, &ctx, e);
        } else {
            vm.add_timer(d, TimerAction::Cancel(ctx.clone()));
        }
    }
    if let Some(e) = ctx_err(&p) {
        cancel_ctx(vm, &ctx, e);
    }
    let cancel = Value::Native(Rc::new(NativeFn::Cancel(ctx.clone())));
    Ok(NRes::Vals(vec![Value::Obj(ctx), cancel]))
}

fn std_file(vm: &mut Vm, fd: i64) -> Value {
    let key: &'static str = match fd {
        0 => "stdin",
        1 => "stdout",
        _ => "stderr",
    };
    if let Some(v) = vm.singletons.get(key) {
        return v.clone();
    }
    let name = format!("/dev/{key}");
    let v = Value::Obj(rcell(Obj::File(FileV {
        fd,
        name,
        closed: false,
        pos: 0,
        writable: fd > 0,
        append: true,
    })));
    vm.singletons.insert(key, v.clone());
    v
}

fn clean_path(p: &str) -> String {
    let abs = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().map(|l| *l != "..").unwrap_or(false) {
                    parts.pop();
                } else if !abs {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let j = parts.join("/");
    if abs {
        format!("/{j}")
    } else if j.is_empty() {
        ".".into()
    } else {
        j
    }
}

fn abs_path(p: &str) -> String {
    if p.starts_with('/') {
        clean_path(p)
    } else {
        clean_path(&format!("/tmp/work/{p}"))
    }
}

fn path_err(op: &str, name: &str, what: &str, inner: Option<Value>) -> Value {
    let msg = format!("{op} {name}: {what}");
    match inner {
        Some(i) => err_wrap(msg, i),
        None => err_val(msg),
    }
}

fn open_file(vm: &mut Vm, name: &str, flag: i64) -> Result<Value, Value> {
    let path = abs_path(name);
    let create = flag & 0x40 != 0;
    let trunc = flag & 0x200 != 0;
    let excl = flag & 0x80 != 0;
    let writable = flag & 3 != 0;
    let exists = vm.files.contains_key(&path);
    if vm.dirs.contains(&path) && !writable {
        // opening a directory for reading is allowed; reads fail later
    } else if !exists {
        if !create {
            let ne = vm.singletons["notexist"].clone();
            return Err(path_err(
                "open",
                name,
                "no such file or directory",
                Some(ne),
            ));
        }
        let parent = clean_path(&format!("{path}/.."));
        if !vm.dirs.contains(&parent) {
            let ne = vm.singletons["notexist"].clone();
            return Err(path_err(
                "open",
                name,
                "no such file or directory",
                Some(ne),
            ));
        }
    } else if create && excl {
        let ee = vm.singletons["exist"].clone();
        return Err(path_err("open", name, "file exists", Some(ee)));
    }
    if vm.fds.len() + 3 >= vm.opts.fd_limit {
        return Err(path_err("open", name, "too many open files", None));
    }
    if create && (!exists || trunc) {
        vm.files.insert(path.clone(), VFile { data: Vec::new() });
    } else if trunc {
        if let Some(f) = vm.files.get_mut(&path) {
            f.data.clear();
        }
    }
    let mut fd = 3;
    while vm.fds.contains_key(&fd) {
        fd += 1;
    }
    let obj = rcell(Obj::File(FileV {
        fd,
        name: name.to_string(),
        closed: false,
        pos: 0,
        writable,
        append: flag & 0x400 != 0,
    }));
    let line = vm.cur_line_now();
    vm.fds.insert(fd, (obj.clone(), line));
    vm.heap += 256;
    vm.ev(
        vm.cur_gid,
        EventKind::FileOpen {
            fd,
            name: name.to_string(),
        },
    );
    Ok(Value::Obj(obj))
}

fn file_path(vm: &Vm, name: &str) -> String {
    let _ = vm;
    abs_path(name)
}

impl Vm {
    pub fn cur_line_now(&self) -> u32 {
        self.cur_line
    }
}

/// sort.Sort/Stable of a user type: `args` are the value and its Len, Less
/// and Swap methods. Insertion sort, which is what Go itself runs for up to
/// 12 elements; longer inputs get the same order unless Less has ties.
fn sort_interface(vm: &mut Vm, g: &mut G, args: &[Value]) -> Result<(), Flow> {
    let method = |k: usize| match args.get(k) {
        Some(Value::Func(c)) => Ok(Callable::Closure(c.clone())),
        _ => Err(panic_msg("sort: missing sort.Interface method")),
    };
    let (len, less, swap) = (method(1)?, method(2)?, method(3)?);
    let x = args.first().cloned().unwrap_or(Value::Nil);
    let n = match vm.call_nested(g, len, vec![x.clone()])?.first() {
        Some(Value::Int(n)) => *n,
        _ => 0,
    };
    for i in 1..n {
        let mut j = i;
        while j > 0 {
            let r = vm.call_nested(
                g,
                less.clone(),
                vec![x.clone(), Value::Int(j), Value::Int(j - 1)],
            )?;
            if !r.first().map(|v| v.truthy()).unwrap_or(false) {
                break;
            }
            vm.call_nested(
                g,
                swap.clone(),
                vec![x.clone(), Value::Int(j), Value::Int(j - 1)],
            )?;
            j -= 1;
        }
    }
    Ok(())
}

/// The order of sort.Ints/Strings/Float64s (NaNs first, as Go's Float64Slice.Less).
fn natural_order(x: &Value, y: &Value) -> std::cmp::Ordering {
    match (x, y) {
        (Value::Int(p), Value::Int(q)) => p.cmp(q),
        (Value::Str(p), Value::Str(q)) => p.cmp(q),
        (Value::Float(p), Value::Float(q)) => match (p.is_nan(), q.is_nan()) {
            (true, true) => std::cmp::Ordering::Equal,
            (true, false) => std::cmp::Ordering::Less,
            (false, true) => std::cmp::Ordering::Greater,
            _ => p.partial_cmp(q).unwrap_or(std::cmp::Ordering::Equal),
        },
        _ => std::cmp::Ordering::Equal,
    }
}

/// Binary insertion sort that calls Go's less(i, j) on the live slice, as sort.Slice does.
fn sort_slice(vm: &mut Vm, g: &mut G, sl: &SliceV, less: &Value) -> Result<(), Flow> {
    let arr = match &sl.arr {
        Some(a) => a.clone(),
        None => return Ok(()),
    };
    let c = match less {
        Value::Func(c) => Callable::Closure(c.clone()),
        _ => return Err(panic_msg("sort: less function is nil")),
    };
    for i in 1..sl.len {
        let (mut lo, mut hi) = (0usize, i);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let r = vm.call_nested(
                g,
                c.clone(),
                vec![Value::Int(i as i64), Value::Int(mid as i64)],
            )?;
            if r.first().map(|v| v.truthy()).unwrap_or(false) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        if lo < i {
            arr.borrow_mut()[sl.off + lo..=sl.off + i].rotate_right(1);
        }
    }
    Ok(())
}

fn size_class(bytes: usize) -> usize {
    const CLASSES: &[usize] = &[
        8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320,
        352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792,
        2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472,
        9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264,
        28672, 32768,
    ];
    match CLASSES.iter().find(|c| **c >= bytes) {
        Some(c) => *c,
        None => bytes.div_ceil(8192) * 8192,
    }
}

fn elem_size(v: Option<&Value>) -> usize {
    match v {
        Some(Value::Str(_)) | Some(Value::Err(_)) => 16,
        Some(Value::Slice(_)) => 24,
        Some(Value::Struct(h)) => (h.borrow().fields.len() * 8).max(8),
        Some(Value::Bool(_)) => 1,
        _ => 8,
    }
}

/// Go's growslice capacity rule (1.20+), rounded to malloc size classes.
fn grow_cap(old_cap: usize, new_len: usize, esize: usize) -> usize {
    let mut newcap = old_cap;
    let double = old_cap * 2;
    if new_len > double {
        newcap = new_len;
    } else if old_cap < 256 {
        newcap = double;
    } else {
        while newcap < new_len {
            newcap += (newcap + 3 * 256) / 4;
        }
    }
    let bytes = size_class(newcap * esize);
    (bytes / esize).max(new_len)
}

fn append(vm: &mut Vm, mut args: Vec<Value>) -> Result<Value, Flow> {
    let spread = matches!(args.last(), Some(Value::Int(i)) if *i == i64::MIN + 1);
    if spread {
        args.pop();
    }
    let mut it = args.into_iter();
    let base = it.next().unwrap_or(Value::Nil);
    let mut extra: Vec<Value> = it.collect();
    if spread {
        if let Some(last) = extra.pop() {
            match last {
                Value::Slice(sl) => extra.extend(sl.to_vec().into_iter().map(|v| v.copy_val())),
                Value::Str(st) => extra.extend(st.bytes().map(|b| Value::Int(b as i64))),
                _ => {}
            }
        }
    }
    let sl = match &base {
        Value::Slice(sl) => (**sl).clone(),
        Value::Nil => SliceV::nil(),
        _ => return Err(panic_msg("append to non-slice")),
    };
    if extra.is_empty() {
        return Ok(Value::Slice(Rc::new(sl)));
    }
    let new_len = sl.len + extra.len();
    if new_len <= sl.cap {
        if let Some(arr) = &sl.arr {
            let mut a = arr.borrow_mut();
            for (k, v) in extra.into_iter().enumerate() {
                let idx = sl.off + sl.len + k;
                if idx < a.len() {
                    a[idx] = v;
                } else {
                    a.push(v);
                }
            }
        }
        return Ok(Value::Slice(Rc::new(SliceV {
            arr: sl.arr.clone(),
            off: sl.off,
            len: new_len,
            cap: sl.cap,
            ty: sl.ty.clone(),
        })));
    }
    let esize = elem_size(extra.first());
    let newcap = grow_cap(sl.cap, new_len, esize);
    vm.heap += newcap * 16;
    vm.check_heap()?;
    let mut v = Vec::with_capacity(newcap);
    v.extend(sl.to_vec());
    v.extend(extra);
    while v.len() < newcap {
        v.push(Value::Nil);
    }
    Ok(Value::Slice(Rc::new(SliceV {
        arr: Some(rcell(v)),
        off: 0,
        len: new_len,
        cap: newcap,
        ty: sl.ty.clone(),
    })))
}

fn errors_is(vm: &Vm, err: &Value, target: &Value) -> bool {
    let mut stack = vec![err.clone()];
    let mut n = 0;
    while let Some(e) = stack.pop() {
        n += 1;
        if n > 1000 {
            break;
        }
        if values_equal(&e, target).unwrap_or(false) && !matches!(e, Value::Nil) {
            return true;
        }
        if let Value::Err(ev) = &e {
            stack.extend(ev.wrapped.iter().cloned());
        }
        let _ = vm;
    }
    matches!((err, target), (Value::Nil, Value::Nil))
}

pub fn call_native(vm: &mut Vm, g: &mut G, id: u16, args: Vec<Value>) -> Result<NRes, Flow> {
    let (pkg, name) = native_name(id);
    let a = |i: usize| args.get(i).cloned().unwrap_or(Value::Nil);
    let gid = g.id;
    Ok(match (pkg, name) {
        ("", "len") => NRes::One(Value::Int(match &a(0) {
            Value::Str(s) => s.len() as i64,
            Value::Slice(sl) => sl.len as i64,
            Value::Array(ar) => ar.borrow().len() as i64,
            Value::Map(m) => m.borrow().entries.len() as i64,
            Value::Chan(c) => c.borrow().buf.len() as i64,
            Value::Ptr(p) => match p.get() {
                Value::Array(ar) => ar.borrow().len() as i64,
                _ => 0,
            },
            _ => 0,
        })),
        ("", "cap") => NRes::One(Value::Int(match &a(0) {
            Value::Slice(sl) => sl.cap as i64,
            Value::Array(ar) => ar.borrow().len() as i64,
            Value::Chan(c) => c.borrow().cap as i64,
            _ => 0,
        })),
        ("", "append") => NRes::One(append(vm, args)?),
        ("", "copy") => {
            let src: Vec<Value> = match &a(1) {
                Value::Slice(sl) => sl.to_vec(),
                Value::Str(st) => st.bytes().map(|b| Value::Int(b as i64)).collect(),
                _ => Vec::new(),
            };
            let n = match &a(0) {
                Value::Slice(dst) => {
                    let n = dst.len.min(src.len());
                    if let Some(arr) = &dst.arr {
                        let mut ab = arr.borrow_mut();
                        for (k, v) in src.into_iter().take(n).enumerate() {
                            ab[dst.off + k] = v.copy_val();
                        }
                    }
                    n
                }
                _ => 0,
            };
            NRes::One(Value::Int(n as i64))
        }
        ("", "delete") => {
            if let Value::Map(m) = &a(0) {
                m.borrow_mut().entries.remove(&a(1).key());
            }
            NRes::Unit
        }
        ("", "print") | ("", "println") => {
            let mut out = String::new();
            for (i, v) in args.iter().enumerate() {
                if i > 0 && name == "println" {
                    out.push(' ');
                }
                out.push_str(&match v {
                    Value::Float(f) => crate::sim::runtime::fmt::go_float_print(*f),
                    other => crate::sim::runtime::fmt::sprint_plain(other),
                });
            }
            if name == "println" {
                out.push('\n');
            }
            output(vm, gid, 2, &out);
            NRes::Unit
        }
        ("", "close") => {
            chan::close(vm, &a(0))?;
            NRes::Unit
        }
        ("", "min") | ("", "max") => {
            let mut best = a(0);
            for v in args.iter().skip(1) {
                let less = matches!(
                    super::ops::binop(super::program::BinOp::Lt, v, &best),
                    Ok(Value::Bool(true))
                );
                if (name == "min") == less {
                    best = v.clone();
                }
            }
            NRes::One(best)
        }
        ("", "clear") => {
            match &a(0) {
                Value::Map(m) => m.borrow_mut().entries.clear(),
                Value::Slice(sl) => {
                    if let Some(arr) = &sl.arr {
                        let mut ab = arr.borrow_mut();
                        for k in 0..sl.len {
                            let z = match &ab[sl.off + k] {
                                Value::Int(_) => Value::Int(0),
                                Value::Str(_) => str_v(""),
                                Value::Float(_) => Value::Float(0.0),
                                Value::Bool(_) => Value::Bool(false),
                                _ => Value::Nil,
                            };
                            ab[sl.off + k] = z;
                        }
                    }
                }
                _ => {}
            }
            NRes::Unit
        }
        ("", "recover") => NRes::One(Value::Nil),
        ("fmt", "Println") | ("fmt", "Print") | ("fmt", "Printf") => {
            let text = {
                let mut f = Fmt::new(vm, g);
                match name {
                    "Println" => f.sprintln(&args)?,
                    "Print" => f.sprint(&args)?,
                    _ => {
                        let fs = s(&a(0));
                        f.sprintf(&fs, &args[1.min(args.len())..])?
                    }
                }
            };
            output(vm, gid, 1, &text);
            NRes::Vals(vec![Value::Int(text.len() as i64), Value::Nil])
        }
        ("fmt", "Sprintf") | ("fmt", "Sprint") | ("fmt", "Sprintln") | ("fmt", "Errorf") => {
            let text = {
                let mut f = Fmt::new(vm, g);
                match name {
                    "Sprintln" => f.sprintln(&args)?,
                    "Sprint" => f.sprint(&args)?,
                    _ => {
                        let fs = s(&a(0));
                        f.sprintf(&fs, &args[1.min(args.len())..])?
                    }
                }
            };
            if name == "Errorf" {
                let fs = s(&a(0));
                let mut wrapped = Vec::new();
                if fs.contains("%w") {
                    // arguments consumed by %w verbs, in order
                    let verbs = verbs_of(&fs);
                    for (k, vb) in verbs.iter().enumerate() {
                        if *vb == 'w' {
                            if let Some(v) = args.get(k + 1) {
                                if !matches!(v, Value::Nil) {
                                    wrapped.push(v.clone());
                                }
                            }
                        }
                    }
                }
                NRes::One(Value::Err(Rc::new(ErrV { msg: text, wrapped })))
            } else {
                NRes::One(str_v(text))
            }
        }
        ("fmt", "Fprintln") | ("fmt", "Fprintf") | ("fmt", "Fprint") => {
            let w = a(0);
            let rest = &args[1.min(args.len())..];
            let text = {
                let mut f = Fmt::new(vm, g);
                match name {
                    "Fprintln" => f.sprintln(rest)?,
                    "Fprint" => f.sprint(rest)?,
                    _ => {
                        let fs = s(&rest.first().cloned().unwrap_or(Value::Nil));
                        f.sprintf(&fs, &rest[1.min(rest.len())..])?
                    }
                }
            };
            let n = text.len() as i64;
            let r = write_to(vm, gid, &w, text.as_bytes())?;
            match r {
                Some(e) => NRes::Vals(vec![Value::Int(0), e]),
                None => NRes::Vals(vec![Value::Int(n), Value::Nil]),
            }
        }
        ("errors", "New") => NRes::One(err_val(s(&a(0)).to_string())),
        ("errors", "Is") => NRes::One(Value::Bool(errors_is(vm, &a(0), &a(1)))),
        ("errors", "Unwrap") => NRes::One(match &a(0) {
            Value::Err(e) if e.wrapped.len() == 1 => e.wrapped[0].clone(),
            _ => Value::Nil,
        }),
        ("errors", "Join") => {
            let errs: Vec<Value> = args
                .iter()
                .filter(|v| !matches!(v, Value::Nil))
                .cloned()
                .collect();
            if errs.is_empty() {
                NRes::One(Value::Nil)
            } else {
                let msg = errs
                    .iter()
                    .map(crate::sim::runtime::fmt::sprint_plain)
                    .collect::<Vec<_>>()
                    .join("\n");
                NRes::One(Value::Err(Rc::new(ErrV { msg, wrapped: errs })))
            }
        }
        ("errors", "As") => {
            let target = match a(1) {
                Value::Ptr(p) => p,
                _ => return Err(panic_msg("errors: target must be a non-nil pointer")),
            };
            let want = target.get();
            let mut stack = vec![a(0)];
            let mut found = false;
            while let Some(e) = stack.pop() {
                let matches = match (&want, &e) {
                    (Value::Struct(w), Value::Struct(h)) => w.borrow().ty == h.borrow().ty,
                    (Value::Ptr(w), Value::Ptr(h)) => match (w.get(), h.get()) {
                        (Value::Struct(a1), Value::Struct(b1)) => a1.borrow().ty == b1.borrow().ty,
                        _ => false,
                    },
                    (Value::NilPtr(id), Value::Ptr(h)) => {
                        matches!(h.get(), Value::Struct(b1) if b1.borrow().ty == *id)
                    }
                    (Value::Nil, Value::Struct(_) | Value::Ptr(_)) => true,
                    _ => false,
                };
                if matches {
                    target.set(e);
                    found = true;
                    break;
                }
                if let Value::Err(ev) = &e {
                    stack.extend(ev.wrapped.iter().rev().cloned());
                }
            }
            NRes::One(Value::Bool(found))
        }
        ("strings", _) => strings_fn(name, &args)?,
        ("strconv", n) if !n.starts_with("Err") => {
            let r = strconv_fn(name, &args);
            // Attach the sentinel errors so errors.Is(err, strconv.ErrSyntax) works.
            match r {
                NRes::Vals(mut v) if v.len() == 2 => {
                    if let Value::Err(e) = &v[1] {
                        let key = if e.msg.ends_with("value out of range") {
                            "range"
                        } else {
                            "syntax"
                        };
                        let inner = vm.singletons[key].clone();
                        v[1] = err_wrap(e.msg.clone(), inner);
                    }
                    NRes::Vals(v)
                }
                other => other,
            }
        }
        ("sort", "Ints") | ("sort", "Strings") | ("sort", "Float64s") => {
            if let Value::Slice(sl) = &a(0) {
                if let Some(arr) = &sl.arr {
                    let mut ab = arr.borrow_mut();
                    let part = &mut ab[sl.off..sl.off + sl.len];
                    part.sort_by(natural_order);
                }
            }
            NRes::Unit
        }
        // The slice conversions share the backing array, as Go's do.
        ("sort", "IntSlice") | ("sort", "StringSlice") | ("sort", "Float64Slice") => {
            NRes::One(a(0))
        }
        ("sort", "Reverse") => NRes::One(Value::Obj(rcell(Obj::SortReverse(a(0))))),
        ("sort", "Sort") | ("sort", "Stable") if args.len() == 4 => {
            sort_interface(vm, g, &args)?;
            NRes::Unit
        }
        ("sort", "Sort") | ("sort", "Stable") => {
            let (target, reverse) = match &a(0) {
                Value::Obj(o) => match &*o.borrow() {
                    Obj::SortReverse(inner) => (inner.clone(), true),
                    _ => (Value::Nil, false),
                },
                other => (other.clone(), false),
            };
            if let Value::Slice(sl) = &target {
                if let Some(arr) = &sl.arr {
                    let mut ab = arr.borrow_mut();
                    // A stable sort is a valid result for sort.Sort too, and
                    // keeps the simulator deterministic.
                    ab[sl.off..sl.off + sl.len].sort_by(|x, y| {
                        let o = natural_order(x, y);
                        if reverse {
                            o.reverse()
                        } else {
                            o
                        }
                    });
                }
            }
            NRes::Unit
        }
        ("sort", "Slice") | ("sort", "SliceStable") => {
            if let Value::Slice(sl) = &a(0) {
                let sl = (**sl).clone();
                sort_slice(vm, g, &sl, &a(1))?;
            }
            NRes::Unit
        }
        ("time", "Sleep") => {
            let d = int(&a(0));
            if d <= 0 {
                NRes::Yield
            } else {
                block_on_timer(vm, g, d)
            }
        }
        ("time", "After") | ("time", "Tick") => {
            let d = int(&a(0));
            let t = new_timer(vm, d, if name == "Tick" { d.max(1) } else { 0 });
            let ch = match &*t.borrow() {
                Obj::Timer { chan, .. } => chan.clone(),
                _ => new_chan(vm, 1, Ty::Time),
            };
            NRes::One(Value::Chan(ch))
        }
        ("time", "NewTimer") | ("time", "NewTicker") => {
            let d = int(&a(0));
            if name == "NewTicker" && d <= 0 {
                return Err(panic_msg("non-positive interval for NewTicker"));
            }
            let t = new_timer(vm, d, if name == "NewTicker" { d } else { 0 });
            NRes::One(Value::Obj(t))
        }
        ("time", "AfterFunc") => {
            let d = int(&a(0));
            let f = match a(1) {
                Value::Func(c) => c,
                _ => return Err(panic_msg("time: AfterFunc with nil func")),
            };
            let ch = new_chan(vm, 1, Ty::Time);
            let t = rcell(Obj::Timer {
                chan: ch,
                gen: 0,
                active: true,
                period: 0,
            });
            vm.add_timer(vm.now + d.max(0), TimerAction::Func(f));
            NRes::One(Value::Obj(t))
        }
        ("time", "Now") => NRes::One(Value::Time(vm.now)),
        ("time", "Since") => NRes::One(Value::Dur(vm.now - int_time(&a(0)))),
        ("time", "Unix") => NRes::One(Value::Time(int(&a(0)) * 1_000_000_000 + int(&a(1)))),
        ("atomic", op) => {
            let p = match a(0) {
                Value::Ptr(p) => p,
                _ => return Err(nil_deref()),
            };
            let cur = int(&p.get());
            match op {
                "AddInt64" | "AddInt32" => {
                    let nv = cur.wrapping_add(int(&a(1)));
                    p.set(Value::Int(nv));
                    NRes::One(Value::Int(nv))
                }
                "LoadInt64" | "LoadInt32" => NRes::One(Value::Int(cur)),
                "StoreInt64" | "StoreInt32" => {
                    p.set(Value::Int(int(&a(1))));
                    NRes::Unit
                }
                _ => {
                    let ok = cur == int(&a(1));
                    if ok {
                        p.set(Value::Int(int(&a(2))));
                    }
                    NRes::One(Value::Bool(ok))
                }
            }
        }
        ("context", "Background") | ("context", "TODO") => {
            let kind = if name == "TODO" { "TODO" } else { "Background" };
            NRes::One(Value::Obj(new_ctx(None, false, vm, kind, None)))
        }
        ("context", "WithCancel") => with_cancel(vm, &a(0), None, "WithCancel")?,
        ("context", "WithTimeout") => {
            let dl = vm.now + int(&a(1));
            with_cancel(vm, &a(0), Some(dl), "WithTimeout")?
        }
        ("context", "WithDeadline") => {
            let dl = int_time(&a(1));
            with_cancel(vm, &a(0), Some(dl), "WithDeadline")?
        }
        ("context", "WithValue") => {
            let p = match a(0) {
                Value::Obj(o) => o,
                _ => return Err(panic_msg("cannot create context from nil parent")),
            };
            let ctx = new_ctx(Some(p), false, vm, "WithValue", None);
            if let Obj::Ctx(c) = &mut *ctx.borrow_mut() {
                c.key = Some((a(1), a(2)));
            }
            NRes::One(Value::Obj(ctx))
        }
        ("context", "Canceled") => NRes::One(vm.singletons["canceled"].clone()),
        ("context", "DeadlineExceeded") => NRes::One(vm.singletons["deadline"].clone()),
        ("io", "EOF") => NRes::One(vm.singletons["eof"].clone()),
        ("os", "ErrNotExist") => NRes::One(vm.singletons["notexist"].clone()),
        ("os", "ErrExist") => NRes::One(vm.singletons["exist"].clone()),
        ("os", "ErrClosed") => NRes::One(vm.singletons["closed"].clone()),
        ("strconv", "ErrSyntax") => NRes::One(vm.singletons["syntax"].clone()),
        ("strconv", "ErrRange") => NRes::One(vm.singletons["range"].clone()),
        ("sort", "IntsAreSorted") | ("sort", "StringsAreSorted") => {
            let items = match &a(0) {
                Value::Slice(sl) => sl.to_vec(),
                _ => Vec::new(),
            };
            let sorted = items.windows(2).all(|w| {
                !matches!(
                    super::ops::binop(super::program::BinOp::Lt, &w[1], &w[0]),
                    Ok(Value::Bool(true))
                )
            });
            NRes::One(Value::Bool(sorted))
        }
        ("sort", "SearchInts") => {
            let items = match &a(0) {
                Value::Slice(sl) => sl.to_vec(),
                _ => Vec::new(),
            };
            let x = int(&a(1));
            NRes::One(Value::Int(
                items
                    .iter()
                    .position(|v| int(v) >= x)
                    .unwrap_or(items.len()) as i64,
            ))
        }
        ("sort", "Search") => {
            let n = int(&a(0));
            let f = match a(1) {
                Value::Func(c) => Callable::Closure(c),
                _ => return Err(nil_deref()),
            };
            let (mut lo, mut hi) = (0i64, n);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                let r = vm.call_nested(g, f.clone(), vec![Value::Int(mid)])?;
                if r.first().map(|v| v.truthy()).unwrap_or(false) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            NRes::One(Value::Int(lo))
        }
        ("os", "Stdout") => NRes::One(std_file(vm, 1)),
        ("os", "Stderr") => NRes::One(std_file(vm, 2)),
        ("os", "Stdin") => NRes::One(std_file(vm, 0)),
        ("os", "Args") => NRes::One(slice_of(vec![str_v("/tmp/go-build/b001/exe/main")])),
        ("os", "Getenv") => NRes::One(str_v("")),
        ("os", "Exit") => {
            vm.ev(
                gid,
                EventKind::Exit {
                    code: int(&a(0)) as i32,
                },
            );
            return Err(Flow::Exit(int(&a(0)) as i32));
        }
        ("os", "Open") | ("os", "Create") | ("os", "OpenFile") => {
            let flag = match name {
                "Open" => 0,
                "Create" => 0x42 | 0x200,
                _ => int(&a(1)),
            };
            match open_file(vm, &s(&a(0)), flag) {
                Ok(f) => NRes::Vals(vec![f, Value::Nil]),
                Err(e) => NRes::Vals(vec![Value::Nil, e]),
            }
        }
        ("os", "ReadFile") => {
            let name_s = s(&a(0));
            let p = file_path(vm, &name_s);
            match vm.files.get(&p) {
                Some(f) => {
                    let b: Vec<Value> = f.data.iter().map(|b| Value::Int(*b as i64)).collect();
                    NRes::Vals(vec![slice_of(b), Value::Nil])
                }
                None => {
                    let ne = vm.singletons["notexist"].clone();
                    NRes::Vals(vec![
                        Value::Slice(Rc::new(SliceV::nil())),
                        path_err("open", &name_s, "no such file or directory", Some(ne)),
                    ])
                }
            }
        }
        ("os", "WriteFile") => {
            let name_s = s(&a(0));
            let p = file_path(vm, &name_s);
            let parent = clean_path(&format!("{p}/.."));
            if !vm.dirs.contains(&parent) {
                let ne = vm.singletons["notexist"].clone();
                NRes::One(path_err(
                    "open",
                    &name_s,
                    "no such file or directory",
                    Some(ne),
                ))
            } else {
                let data = bytes_of(&a(1));
                vm.heap += data.len();
                vm.check_heap()?;
                vm.files.insert(p, VFile { data });
                NRes::One(Value::Nil)
            }
        }
        ("os", "ReadDir") => {
            let name_s = s(&a(0));
            let p = file_path(vm, &name_s);
            if p == "/proc/self/fd" {
                let mut fds: Vec<i64> = vec![0, 1, 2];
                fds.extend(vm.fds.keys().copied());
                // ReadDir itself opens the directory while listing it, like Linux.
                let mut extra = 3;
                while vm.fds.contains_key(&extra) {
                    extra += 1;
                }
                fds.push(extra);
                fds.sort_unstable();
                let mut names: Vec<String> = fds.iter().map(|f| f.to_string()).collect();
                names.sort();
                let ents = names
                    .into_iter()
                    .map(|n| Value::Obj(rcell(Obj::DirEntry(n, false))))
                    .collect();
                NRes::Vals(vec![slice_of(ents), Value::Nil])
            } else if vm.dirs.contains(&p) {
                let prefix = if p == "/" {
                    "/".to_string()
                } else {
                    format!("{p}/")
                };
                let mut names: Vec<(String, bool)> = Vec::new();
                for f in vm.files.keys() {
                    if let Some(rest) = f.strip_prefix(&prefix) {
                        if !rest.contains('/') {
                            names.push((rest.to_string(), false));
                        }
                    }
                }
                for d in vm.dirs.iter() {
                    if let Some(rest) = d.strip_prefix(&prefix) {
                        if !rest.is_empty() && !rest.contains('/') {
                            names.push((rest.to_string(), true));
                        }
                    }
                }
                names.sort();
                let ents = names
                    .into_iter()
                    .map(|(n, d)| Value::Obj(rcell(Obj::DirEntry(n, d))))
                    .collect();
                NRes::Vals(vec![slice_of(ents), Value::Nil])
            } else {
                let ne = vm.singletons["notexist"].clone();
                NRes::Vals(vec![
                    Value::Slice(Rc::new(SliceV::nil())),
                    path_err("open", &name_s, "no such file or directory", Some(ne)),
                ])
            }
        }
        ("os", "Remove") | ("os", "RemoveAll") => {
            let name_s = s(&a(0));
            let p = file_path(vm, &name_s);
            let prefix = format!("{p}/");
            let non_empty = vm.files.keys().any(|k| k.starts_with(&prefix))
                || vm.dirs.iter().any(|k| k.starts_with(&prefix));
            if name == "Remove" && non_empty {
                return Ok(NRes::One(path_err(
                    "remove",
                    &name_s,
                    "directory not empty",
                    None,
                )));
            }
            let existed = vm.files.remove(&p).is_some() || vm.dirs.remove(&p);
            if name == "RemoveAll" {
                let prefix = format!("{p}/");
                vm.files.retain(|k, _| !k.starts_with(&prefix));
                vm.dirs.retain(|k| !k.starts_with(&prefix));
                NRes::One(Value::Nil)
            } else if existed {
                NRes::One(Value::Nil)
            } else {
                let ne = vm.singletons["notexist"].clone();
                NRes::One(path_err(
                    "remove",
                    &name_s,
                    "no such file or directory",
                    Some(ne),
                ))
            }
        }
        ("os", "MkdirTemp") => {
            let dir = s(&a(0));
            let dir = if dir.is_empty() {
                "/tmp".to_string()
            } else {
                dir.to_string()
            };
            vm.tmp_counter += 1;
            let pat = s(&a(1)).replace('*', "");
            let p = clean_path(&format!("{dir}/{pat}{}", 1_000_000 + vm.tmp_counter * 7919));
            vm.dirs.insert(abs_path(&p));
            NRes::Vals(vec![str_v(p), Value::Nil])
        }
        ("os", "MkdirAll") | ("os", "Mkdir") => {
            let name_s = s(&a(0));
            let p = file_path(vm, &name_s);
            if name == "Mkdir" && vm.dirs.contains(&p) {
                let ee = vm.singletons["exist"].clone();
                return Ok(NRes::One(path_err(
                    "mkdir",
                    &name_s,
                    "file exists",
                    Some(ee),
                )));
            }
            let mut cur = String::new();
            for part in p.split('/').filter(|x| !x.is_empty()) {
                cur.push('/');
                cur.push_str(part);
                vm.dirs.insert(cur.clone());
            }
            NRes::One(Value::Nil)
        }
        ("filepath", "Join") => {
            let parts: Vec<String> = args
                .iter()
                .map(|v| s(v).to_string())
                .filter(|p| !p.is_empty())
                .collect();
            NRes::One(str_v(if parts.is_empty() {
                String::new()
            } else {
                clean_path(&parts.join("/"))
            }))
        }
        ("filepath", "Base") => {
            let p = s(&a(0));
            let t = p.trim_end_matches('/');
            NRes::One(str_v(if p.is_empty() {
                ".".to_string()
            } else if t.is_empty() {
                "/".to_string()
            } else {
                t.rsplit('/').next().unwrap_or("").to_string()
            }))
        }
        ("filepath", "Dir") => {
            let p = s(&a(0));
            let d = match p.rfind('/') {
                Some(i) => clean_path(&p[..i.max(if p.starts_with('/') { 1 } else { 0 })]),
                None => ".".into(),
            };
            NRes::One(str_v(if d.is_empty() { "/".to_string() } else { d }))
        }
        ("filepath", "Ext") => {
            let p = s(&a(0));
            let base = p.rsplit('/').next().unwrap_or("");
            NRes::One(str_v(base.rfind('.').map(|i| &base[i..]).unwrap_or("")))
        }
        ("runtime", "NumGoroutine") => NRes::One(Value::Int(vm.alive as i64)),
        ("runtime", "Gosched") => NRes::Yield,
        ("runtime", "GC") => NRes::Unit,
        ("runtime", "NumCPU") => NRes::One(Value::Int(8)),
        ("runtime", "GOMAXPROCS") => NRes::One(Value::Int(8)),
        ("runtime", "Goexit") => {
            return Err(Flow::Fatal(
                3,
                "simulator: unsupported: runtime.Goexit\n".into(),
            ))
        }
        ("math", f) => {
            let x = float(&a(0));
            let y = float(&a(1));
            NRes::One(Value::Float(match f {
                "Sqrt" => x.sqrt(),
                "Abs" => x.abs(),
                "Max" => x.max(y),
                "Min" => x.min(y),
                "Floor" => x.floor(),
                "Ceil" => x.ceil(),
                "Pow" => x.powf(y),
                "Inf" => {
                    if int(&a(0)) >= 0 {
                        f64::INFINITY
                    } else {
                        f64::NEG_INFINITY
                    }
                }
                _ => 0.0,
            }))
        }
        ("utf8", "RuneCountInString") => NRes::One(Value::Int(s(&a(0)).chars().count() as i64)),
        ("unicode", f) => {
            let c = char::from_u32(int(&a(0)) as u32).unwrap_or('\u{FFFD}');
            match f {
                "IsUpper" => NRes::One(Value::Bool(c.is_uppercase())),
                "IsLower" => NRes::One(Value::Bool(c.is_lowercase())),
                "IsDigit" => NRes::One(Value::Bool(c.is_ascii_digit())),
                "IsLetter" => NRes::One(Value::Bool(c.is_alphabetic())),
                "IsSpace" => NRes::One(Value::Bool(c.is_whitespace())),
                "ToUpper" => NRes::One(Value::Int(c.to_uppercase().next().unwrap_or(c) as i64)),
                _ => NRes::One(Value::Int(c.to_lowercase().next().unwrap_or(c) as i64)),
            }
        }
        _ => {
            return Err(Flow::Fatal(
                3,
                format!("simulator: unsupported: {pkg}.{name}\n"),
            ))
        }
    })
}

fn int_time(v: &Value) -> i64 {
    match v {
        Value::Time(t) => *t,
        other => int(other),
    }
}

fn verbs_of(f: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut chars = f.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        while let Some(&n) = chars.peek() {
            if n.is_ascii_digit() || matches!(n, '+' | '-' | '#' | ' ' | '.' | '*') {
                chars.next();
            } else {
                break;
            }
        }
        match chars.next() {
            Some('%') | None => {}
            Some(v) => out.push(v),
        }
    }
    out
}

/// Writes to an io.Writer value; returns an error value on failure.
fn write_to(vm: &mut Vm, gid: usize, w: &Value, data: &[u8]) -> Result<Option<Value>, Flow> {
    let obj = match w {
        Value::Obj(o) => o.clone(),
        Value::Ptr(p) => match p.get() {
            Value::Obj(o) => o,
            _ => return Err(nil_deref()),
        },
        _ => return Err(nil_deref()),
    };
    let mut b = obj.borrow_mut();
    match &mut *b {
        Obj::Builder(sb) => {
            sb.push_str(&String::from_utf8_lossy(data));
            Ok(None)
        }
        Obj::File(f) => {
            if f.closed {
                return Ok(Some(err_val(format!(
                    "write {}: file already closed",
                    f.name
                ))));
            }
            if f.fd == 1 || f.fd == 2 {
                let fd = f.fd;
                drop(b);
                output(vm, gid, fd, &String::from_utf8_lossy(data));
                return Ok(None);
            }
            if !f.writable {
                return Ok(Some(err_val(format!(
                    "write {}: bad file descriptor",
                    f.name
                ))));
            }
            let p = abs_path(&f.name);
            let file = vm.files.entry(p).or_insert(VFile { data: Vec::new() });
            if f.append {
                file.data.extend_from_slice(data);
            } else {
                let end = f.pos + data.len();
                if file.data.len() < end {
                    file.data.resize(end, 0);
                }
                file.data[f.pos..end].copy_from_slice(data);
                f.pos = end;
            }
            vm.heap += data.len();
            Ok(None)
        }
        _ => Err(panic_msg("unsupported: writer type")),
    }
}

fn strings_fn(name: &str, args: &[Value]) -> Result<NRes, Flow> {
    let a = |i: usize| args.get(i).map(s).unwrap_or_else(|| Rc::from(""));
    let one = NRes::One;
    Ok(match name {
        "Contains" => one(Value::Bool(a(0).contains(&*a(1)))),
        "ContainsRune" => one(Value::Bool(
            a(0).contains(char::from_u32(int(&args[1]) as u32).unwrap_or('\0')),
        )),
        "HasPrefix" => one(Value::Bool(a(0).starts_with(&*a(1)))),
        "HasSuffix" => one(Value::Bool(a(0).ends_with(&*a(1)))),
        "Index" => one(Value::Int(
            a(0).find(&*a(1)).map(|i| i as i64).unwrap_or(-1),
        )),
        "IndexByte" | "IndexRune" => {
            let c = char::from_u32(args.get(1).map(int).unwrap_or(0) as u32).unwrap_or('\0');
            one(Value::Int(a(0).find(c).map(|i| i as i64).unwrap_or(-1)))
        }
        "Cut" => {
            let (x, sep) = (a(0), a(1));
            match x.find(&*sep) {
                Some(i) => NRes::Vals(vec![
                    str_v(&x[..i]),
                    str_v(&x[i + sep.len()..]),
                    Value::Bool(true),
                ]),
                None => NRes::Vals(vec![str_v(&*x), str_v(""), Value::Bool(false)]),
            }
        }
        "Compare" => one(Value::Int(match a(0).cmp(&a(1)) {
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        })),
        "SplitN" => {
            let n = args.get(2).map(int).unwrap_or(-1);
            let (x, sep) = (a(0), a(1));
            if n == 0 {
                one(Value::Slice(Rc::new(SliceV::nil())))
            } else if n < 0 {
                one(slice_of(x.split(&*sep).map(str_v).collect()))
            } else {
                one(slice_of(x.splitn(n as usize, &*sep).map(str_v).collect()))
            }
        }
        "ContainsAny" => {
            let chars = a(1);
            one(Value::Bool(a(0).chars().any(|c| chars.contains(c))))
        }
        "Title" => {
            let mut out = String::new();
            let mut prev_space = true;
            for c in a(0).chars() {
                if prev_space {
                    out.extend(c.to_uppercase());
                } else {
                    out.push(c);
                }
                prev_space = !c.is_alphanumeric();
            }
            one(str_v(out))
        }
        "LastIndex" => one(Value::Int(
            a(0).rfind(&*a(1)).map(|i| i as i64).unwrap_or(-1),
        )),
        "Join" => {
            let parts: Vec<String> = match args.first() {
                Some(Value::Slice(sl)) => sl.to_vec().iter().map(|v| s(v).to_string()).collect(),
                _ => Vec::new(),
            };
            one(str_v(parts.join(&a(1))))
        }
        "Split" => {
            let (x, sep) = (a(0), a(1));
            let parts: Vec<Value> = if sep.is_empty() {
                x.chars().map(|c| str_v(c.to_string())).collect()
            } else {
                x.split(&*sep).map(str_v).collect()
            };
            one(slice_of(parts))
        }
        "Fields" => one(slice_of(a(0).split_whitespace().map(str_v).collect())),
        "Repeat" => {
            let n = args.get(1).map(int).unwrap_or(0);
            if n < 0 {
                return Err(panic_msg("strings: negative Repeat count"));
            }
            if a(0).len() as i64 * n > 64 << 20 {
                return Err(panic_msg("strings: Repeat output length overflow"));
            }
            one(str_v(a(0).repeat(n as usize)))
        }
        "Replace" => {
            let n = args.get(3).map(int).unwrap_or(-1);
            let r = if n < 0 {
                a(0).replace(&*a(1), &a(2))
            } else {
                a(0).replacen(&*a(1), &a(2), n as usize)
            };
            one(str_v(r))
        }
        "ReplaceAll" => one(str_v(a(0).replace(&*a(1), &a(2)))),
        "ToUpper" => one(str_v(a(0).to_uppercase())),
        "ToLower" => one(str_v(a(0).to_lowercase())),
        "TrimSpace" => one(str_v(a(0).trim())),
        "Trim" => {
            let cut = a(1);
            one(str_v(a(0).trim_matches(|c| cut.contains(c))))
        }
        "TrimLeft" => {
            let cut = a(1);
            one(str_v(a(0).trim_start_matches(|c| cut.contains(c))))
        }
        "TrimRight" => {
            let cut = a(1);
            one(str_v(a(0).trim_end_matches(|c| cut.contains(c))))
        }
        "TrimPrefix" => {
            let x = a(0);
            one(str_v(x.strip_prefix(&*a(1)).unwrap_or(&x)))
        }
        "TrimSuffix" => {
            let x = a(0);
            one(str_v(x.strip_suffix(&*a(1)).unwrap_or(&x)))
        }
        "Count" => {
            let (x, sub) = (a(0), a(1));
            one(Value::Int(if sub.is_empty() {
                x.chars().count() as i64 + 1
            } else {
                x.matches(&*sub).count() as i64
            }))
        }
        "EqualFold" => one(Value::Bool(a(0).to_lowercase() == a(1).to_lowercase())),
        _ => {
            return Err(Flow::Fatal(
                3,
                format!("simulator: unsupported: strings.{name}\n"),
            ))
        }
    })
}

fn num_err(func: &str, input: &str, what: &str) -> Value {
    err_val(format!("strconv.{func}: parsing {}: {what}", quote(input)))
}

fn strconv_fn(name: &str, args: &[Value]) -> NRes {
    let a = |i: usize| args.get(i).cloned().unwrap_or(Value::Nil);
    match name {
        "Itoa" => NRes::One(str_v(int(&a(0)).to_string())),
        "FormatInt" => {
            let (v, base) = (int(&a(0)), int(&a(1)));
            let st = match base {
                2 => format!("{:b}", v),
                8 => format!("{:o}", v),
                16 => format!("{:x}", v),
                _ => v.to_string(),
            };
            let st = if v < 0 && base != 10 {
                let m = v.unsigned_abs();
                match base {
                    2 => format!("-{:b}", m),
                    8 => format!("-{:o}", m),
                    _ => format!("-{:x}", m),
                }
            } else {
                st
            };
            NRes::One(str_v(st))
        }
        "Quote" => NRes::One(str_v(quote(&s(&a(0))))),
        "FormatBool" => NRes::One(str_v(if a(0).truthy() { "true" } else { "false" })),
        "Unquote" => {
            let input = s(&a(0));
            let toks = crate::sim::lang::lexer::lex(&input);
            match toks.as_deref() {
                Ok([t, ..])
                    if matches!(t.tok, crate::sim::lang::lexer::Tok::Str(_))
                        && (input.starts_with('"') || input.starts_with('`')) =>
                {
                    match &t.tok {
                        crate::sim::lang::lexer::Tok::Str(v) => {
                            NRes::Vals(vec![str_v(v.as_str()), Value::Nil])
                        }
                        _ => NRes::Vals(vec![str_v(""), Value::Nil]),
                    }
                }
                _ => NRes::Vals(vec![str_v(""), err_val("invalid syntax".into())]),
            }
        }
        "Atoi" | "ParseInt" => {
            let input = s(&a(0));
            let func = name;
            let base = if name == "ParseInt" { int(&a(1)) } else { 10 };
            let t = input.strip_prefix('+').unwrap_or(&input);
            let parsed = if base == 0 || base == 10 {
                t.parse::<i64>().map_err(|e| *e.kind())
            } else {
                i64::from_str_radix(t, base as u32).map_err(|e| *e.kind())
            };
            let bits = if name == "ParseInt" { int(&a(2)) } else { 64 };
            let parsed = match parsed {
                Ok(v)
                    if (1..64).contains(&bits)
                        && (v >= 1i64 << (bits - 1) || v < -(1i64 << (bits - 1))) =>
                {
                    Err(std::num::IntErrorKind::PosOverflow)
                }
                other => other,
            };
            match parsed {
                Ok(v) => NRes::Vals(vec![Value::Int(v), Value::Nil]),
                Err(k) => {
                    let what = if matches!(
                        k,
                        std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow
                    ) {
                        "value out of range"
                    } else {
                        "invalid syntax"
                    };
                    NRes::Vals(vec![Value::Int(0), num_err(func, &input, what)])
                }
            }
        }
        "ParseFloat" => {
            let input = s(&a(0));
            match input.parse::<f64>() {
                Ok(v) => NRes::Vals(vec![Value::Float(v), Value::Nil]),
                Err(_) => NRes::Vals(vec![
                    Value::Float(0.0),
                    num_err("ParseFloat", &input, "invalid syntax"),
                ]),
            }
        }
        "ParseBool" => {
            let input = s(&a(0));
            match &*input {
                "1" | "t" | "T" | "true" | "TRUE" | "True" => {
                    NRes::Vals(vec![Value::Bool(true), Value::Nil])
                }
                "0" | "f" | "F" | "false" | "FALSE" | "False" => {
                    NRes::Vals(vec![Value::Bool(false), Value::Nil])
                }
                _ => NRes::Vals(vec![
                    Value::Bool(false),
                    num_err("ParseBool", &input, "invalid syntax"),
                ]),
            }
        }
        _ => {
            // FormatFloat(f, fmt, prec, bits)
            let f = float(&a(0));
            let fmtc = char::from_u32(int(&a(1)) as u32).unwrap_or('g');
            let prec = int(&a(2));
            let st = match (fmtc, prec) {
                ('f', p) if p >= 0 => format!("{:.*}", p as usize, f),
                ('f', _) => {
                    let g = crate::sim::runtime::fmt::go_float_g(f);
                    if g.contains('e') {
                        format!("{f}")
                    } else {
                        g
                    }
                }
                _ => crate::sim::runtime::fmt::go_float_g(f),
            };
            NRes::One(str_v(st))
        }
    }
}

/// Methods on builtin values: sync types, builders, timers, contexts, files, errors, durations.
pub fn builtin_method(
    vm: &mut Vm,
    g: &mut G,
    recv: Value,
    name: &str,
    args: Vec<Value>,
) -> Result<NRes, Flow> {
    let a = |i: usize| args.get(i).cloned().unwrap_or(Value::Nil);
    let recv = match recv {
        Value::Ptr(p) => match p.get() {
            v @ (Value::Obj(_) | Value::Dur(_) | Value::Time(_) | Value::Err(_)) => v,
            Value::Nil => return Err(nil_deref()),
            other => {
                if let Some(o) = vm.embedded_obj(&Value::Ptr(p.clone()), name) {
                    return builtin_method(vm, g, o, name, args);
                }
                other
            }
        },
        v @ Value::Struct(_) => match vm.embedded_obj(&v, name) {
            Some(o) => o,
            None => v,
        },
        v => v,
    };
    let gid = g.id;
    match &recv {
        Value::Err(e) => {
            return Ok(match name {
                "Error" => NRes::One(str_v(&e.msg)),
                "Unwrap" => NRes::One(e.wrapped.first().cloned().unwrap_or(Value::Nil)),
                _ => return Err(unsupported_method(name)),
            })
        }
        Value::Dur(d) => {
            let d = *d;
            return Ok(NRes::One(match name {
                "Seconds" => Value::Float(d as f64 / 1e9),
                "Minutes" => Value::Float(d as f64 / 6e10),
                "Hours" => Value::Float(d as f64 / 3.6e12),
                "Milliseconds" => Value::Int(d / 1_000_000),
                "Microseconds" => Value::Int(d / 1_000),
                "Nanoseconds" => Value::Int(d),
                "String" => str_v(crate::sim::runtime::fmt::format_duration(d)),
                "Round" | "Truncate" => {
                    let m = int(&a(0));
                    if m <= 0 {
                        Value::Dur(d)
                    } else if name == "Truncate" {
                        Value::Dur(d - d % m)
                    } else {
                        let r = d % m;
                        Value::Dur(if r + r < m { d - r } else { d + m - r })
                    }
                }
                _ => return Err(unsupported_method(name)),
            }));
        }
        Value::Time(t) => {
            let t = *t;
            return Ok(NRes::One(match name {
                "Sub" => Value::Dur(t - int_time(&a(0))),
                "Add" => Value::Time(t + int(&a(0))),
                "Unix" => Value::Int(t.div_euclid(1_000_000_000)),
                "UnixNano" => Value::Int(t),
                "UnixMilli" => Value::Int(t.div_euclid(1_000_000)),
                "Before" => Value::Bool(t < int_time(&a(0))),
                "After" => Value::Bool(t > int_time(&a(0))),
                "IsZero" => Value::Bool(t == 0),
                "Equal" => Value::Bool(t == int_time(&a(0))),
                _ => return Err(unsupported_method(name)),
            }));
        }
        Value::Nil => return Err(nil_deref()),
        Value::Obj(_) => {}
        _ => return Err(unsupported_method(name)),
    }
    let obj = match &recv {
        Value::Obj(o) => o.clone(),
        _ => return Err(unsupported_method(name)),
    };
    let oid = if vm.tracing { vm.obj_id(&obj) } else { 0 };
    let mut b = obj.borrow_mut();
    match &mut *b {
        Obj::Mutex { locked, waiters } => match name {
            "Lock" => {
                if !*locked {
                    *locked = true;
                    drop(b);
                    trace_lock(vm, gid, "sync.Mutex", oid, false, true);
                    Ok(NRes::Unit)
                } else {
                    vm.wait_on(g, WaitOn::Mutex { mutex: oid });
                    g.wait_seq += 1;
                    waiters.push_back(gid);
                    Ok(NRes::Block("sync.Mutex.Lock"))
                }
            }
            "TryLock" => {
                let ok = !*locked;
                *locked = true;
                drop(b);
                if ok {
                    trace_lock(vm, gid, "sync.Mutex", oid, false, true);
                }
                Ok(NRes::One(Value::Bool(ok)))
            }
            "Unlock" => {
                if !*locked {
                    return Err(Flow::Fatal(
                        2,
                        "fatal error: sync: unlock of unlocked mutex\n".into(),
                    ));
                }
                let mut next = None;
                while let Some(w) = waiters.pop_front() {
                    if matches!(vm.gs.get(w), Some(Some(gg)) if gg.status == Status::Blocked) {
                        next = Some(w);
                        break;
                    }
                }
                if next.is_none() {
                    *locked = false;
                }
                drop(b);
                trace_lock(vm, gid, "sync.Mutex", oid, false, false);
                if let Some(w) = next {
                    // the lock passes straight to the first waiter
                    trace_lock(vm, w, "sync.Mutex", oid, false, true);
                    vm.make_ready(w);
                }
                Ok(NRes::Unit)
            }
            _ => Err(unsupported_method(name)),
        },
        Obj::RwMutex {
            writer,
            readers,
            wwait,
            rwait,
        } => match name {
            "RLock" => {
                if *writer || !wwait.is_empty() {
                    vm.wait_on(g, WaitOn::Mutex { mutex: oid });
                    g.wait_seq += 1;
                    rwait.push_back(gid);
                    Ok(NRes::Block("sync.RWMutex.RLock"))
                } else {
                    *readers += 1;
                    drop(b);
                    trace_lock(vm, gid, "sync.RWMutex", oid, true, true);
                    Ok(NRes::Unit)
                }
            }
            "RUnlock" => {
                if *readers == 0 {
                    return Err(Flow::Fatal(
                        2,
                        "fatal error: sync: RUnlock of unlocked RWMutex\n".into(),
                    ));
                }
                *readers -= 1;
                let mut wake = None;
                if *readers == 0 {
                    if let Some(w) = wwait.pop_front() {
                        *writer = true;
                        wake = Some(w);
                    }
                }
                drop(b);
                trace_lock(vm, gid, "sync.RWMutex", oid, true, false);
                if let Some(w) = wake {
                    trace_lock(vm, w, "sync.RWMutex", oid, false, true);
                    vm.make_ready(w);
                }
                Ok(NRes::Unit)
            }
            "Lock" => {
                if *writer || *readers > 0 {
                    vm.wait_on(g, WaitOn::Mutex { mutex: oid });
                    g.wait_seq += 1;
                    wwait.push_back(gid);
                    Ok(NRes::Block("sync.RWMutex.Lock"))
                } else {
                    *writer = true;
                    drop(b);
                    trace_lock(vm, gid, "sync.RWMutex", oid, false, true);
                    Ok(NRes::Unit)
                }
            }
            "Unlock" => {
                if !*writer {
                    return Err(Flow::Fatal(
                        2,
                        "fatal error: sync: Unlock of unlocked RWMutex\n".into(),
                    ));
                }
                *writer = false;
                let mut wake = Vec::new();
                let read = !rwait.is_empty();
                if read {
                    wake.extend(rwait.drain(..));
                    *readers += wake.len();
                } else if let Some(w) = wwait.pop_front() {
                    *writer = true;
                    wake.push(w);
                }
                drop(b);
                trace_lock(vm, gid, "sync.RWMutex", oid, false, false);
                for w in wake {
                    trace_lock(vm, w, "sync.RWMutex", oid, read, true);
                    vm.make_ready(w);
                }
                Ok(NRes::Unit)
            }
            _ => Err(unsupported_method(name)),
        },
        Obj::WaitGroup { count, waiters } => match name {
            "Add" | "Done" => {
                let d = if name == "Done" { -1 } else { int(&a(0)) };
                *count += d;
                if *count < 0 {
                    return Err(Flow::Panic(str_v("sync: negative WaitGroup counter")));
                }
                if vm.tracing {
                    let counter = *count;
                    vm.ev(
                        gid,
                        EventKind::WaitGroupAdd {
                            wg: oid,
                            delta: d,
                            counter,
                        },
                    );
                }
                if *count == 0 {
                    let ws = std::mem::take(waiters);
                    drop(b);
                    for w in ws {
                        vm.make_ready(w);
                    }
                }
                Ok(NRes::Unit)
            }
            "Wait" => {
                if *count == 0 {
                    Ok(NRes::Unit)
                } else {
                    vm.wait_on(g, WaitOn::WaitGroup { wg: oid });
                    g.wait_seq += 1;
                    waiters.push(gid);
                    Ok(NRes::Block("sync.WaitGroup.Wait"))
                }
            }
            _ => Err(unsupported_method(name)),
        },
        Obj::Once { done } => match name {
            "Do" => {
                if *done {
                    return Ok(NRes::Unit);
                }
                *done = true;
                match a(0) {
                    Value::Func(c) => Ok(NRes::Call(Callable::Closure(c), Vec::new())),
                    Value::Native(n) => match &*n {
                        NativeFn::Builtin(id) => Ok(NRes::Call(Callable::Native(*id), Vec::new())),
                        NativeFn::Cancel(c) => {
                            Ok(NRes::Call(Callable::Cancel(c.clone()), Vec::new()))
                        }
                    },
                    _ => Err(nil_deref()),
                }
            }
            _ => Err(unsupported_method(name)),
        },
        Obj::Atomic(v) => Ok(match name {
            "Add" => {
                *v = v.wrapping_add(int(&a(0)));
                NRes::One(Value::Int(*v))
            }
            "Load" => NRes::One(Value::Int(*v)),
            "Store" => {
                *v = int(&a(0));
                NRes::Unit
            }
            "Swap" => {
                let old = *v;
                *v = int(&a(0));
                NRes::One(Value::Int(old))
            }
            "CompareAndSwap" => {
                let ok = *v == int(&a(0));
                if ok {
                    *v = int(&a(1));
                }
                NRes::One(Value::Bool(ok))
            }
            _ => return Err(unsupported_method(name)),
        }),
        Obj::Builder(sb) => Ok(match name {
            "WriteString" => {
                let t = s(&a(0));
                sb.push_str(&t);
                NRes::Vals(vec![Value::Int(t.len() as i64), Value::Nil])
            }
            "WriteByte" => {
                sb.push(char::from(int(&a(0)) as u8));
                NRes::One(Value::Nil)
            }
            "WriteRune" => {
                sb.push(char::from_u32(int(&a(0)) as u32).unwrap_or('\u{FFFD}'));
                NRes::Vals(vec![Value::Int(1), Value::Nil])
            }
            "Write" => {
                let data = bytes_of(&a(0));
                sb.push_str(&String::from_utf8_lossy(&data));
                NRes::Vals(vec![Value::Int(data.len() as i64), Value::Nil])
            }
            "String" => NRes::One(str_v(sb.as_str())),
            "Len" => NRes::One(Value::Int(sb.len() as i64)),
            "Reset" => {
                sb.clear();
                NRes::Unit
            }
            "Grow" => NRes::Unit,
            _ => return Err(unsupported_method(name)),
        }),
        Obj::Timer {
            chan,
            gen,
            active,
            period,
        } => match name {
            "Stop" => {
                let was = *active;
                *active = false;
                Ok(NRes::One(Value::Bool(was)))
            }
            "Reset" => {
                let was = *active;
                *active = true;
                let d = int(&a(0));
                if *period > 0 {
                    *period = d.max(1);
                }
                let ch = chan.clone();
                drop(b);
                let id = vm.add_timer(vm.now + d.max(0), TimerAction::Send(ch, obj.clone()));
                if let Obj::Timer { gen, .. } = &mut *obj.borrow_mut() {
                    *gen = id;
                }
                Ok(NRes::One(Value::Bool(was)))
            }
            _ => {
                let _ = gen;
                Err(unsupported_method(name))
            }
        },
        Obj::Ctx(c) => match name {
            "Done" => {
                if !c.cancelable {
                    // Background's Done is nil unless derived from a cancelable parent.
                    let mut cur = c.parent.clone();
                    drop(b);
                    while let Some(p) = cur {
                        let pb = p.borrow();
                        match &*pb {
                            Obj::Ctx(pc) if pc.cancelable => {
                                return Ok(NRes::One(
                                    pc.done.clone().map(Value::Chan).unwrap_or(Value::Nil),
                                ))
                            }
                            Obj::Ctx(pc) => cur = pc.parent.clone(),
                            _ => cur = None,
                        }
                    }
                    return Ok(NRes::One(Value::Nil));
                }
                Ok(NRes::One(
                    c.done.clone().map(Value::Chan).unwrap_or(Value::Nil),
                ))
            }
            "Err" => {
                drop(b);
                Ok(NRes::One(ctx_err(&obj).unwrap_or(Value::Nil)))
            }
            "Value" => {
                let key = a(0);
                drop(b);
                let mut cur = Some(obj.clone());
                while let Some(cc) = cur {
                    let cb = cc.borrow();
                    match &*cb {
                        Obj::Ctx(cv) => {
                            if let Some((k, v)) = &cv.key {
                                if values_equal(k, &key).unwrap_or(false) {
                                    return Ok(NRes::One(v.clone()));
                                }
                            }
                            cur = cv.parent.clone();
                        }
                        _ => cur = None,
                    }
                }
                Ok(NRes::One(Value::Nil))
            }
            "Deadline" => Ok(NRes::Vals(match c.deadline {
                Some(d) => vec![Value::Time(d), Value::Bool(true)],
                None => vec![Value::Time(0), Value::Bool(false)],
            })),
            _ => Err(unsupported_method(name)),
        },
        Obj::SortReverse(inner) => match name {
            "Len" => Ok(NRes::One(Value::Int(match inner {
                Value::Slice(sl) => sl.len as i64,
                _ => 0,
            }))),
            _ => Err(unsupported_method(name)),
        },
        Obj::DirEntry(n, d) => match name {
            "Name" => Ok(NRes::One(str_v(n.as_str()))),
            "IsDir" => Ok(NRes::One(Value::Bool(*d))),
            _ => Err(unsupported_method(name)),
        },
        Obj::File(f) => match name {
            "Name" => Ok(NRes::One(str_v(f.name.as_str()))),
            "Close" => {
                if f.closed {
                    let inner = vm.singletons["closed"].clone();
                    return Ok(NRes::One(err_wrap(
                        format!("close {}: file already closed", f.name),
                        inner,
                    )));
                }
                f.closed = true;
                let fd = f.fd;
                drop(b);
                vm.fds.remove(&fd);
                vm.ev(gid, EventKind::FileClose { fd });
                Ok(NRes::One(Value::Nil))
            }
            "Write" | "WriteString" => {
                let data = bytes_of(&a(0));
                drop(b);
                let r = write_to(vm, gid, &recv, &data)?;
                Ok(NRes::Vals(match r {
                    Some(e) => vec![Value::Int(0), e],
                    None => vec![Value::Int(data.len() as i64), Value::Nil],
                }))
            }
            "Read" => {
                if f.closed {
                    return Ok(NRes::Vals(vec![
                        Value::Int(0),
                        err_val(format!("read {}: file already closed", f.name)),
                    ]));
                }
                let p = abs_path(&f.name);
                let data = vm.files.get(&p).map(|x| x.data.clone()).unwrap_or_default();
                let buf = match a(0) {
                    Value::Slice(sl) => sl,
                    _ => return Ok(NRes::Vals(vec![Value::Int(0), Value::Nil])),
                };
                if f.pos >= data.len() {
                    let eof = vm.singletons["eof"].clone();
                    return Ok(NRes::Vals(vec![Value::Int(0), eof]));
                }
                let n = buf.len.min(data.len() - f.pos);
                if let Some(arr) = &buf.arr {
                    let mut ab = arr.borrow_mut();
                    for k in 0..n {
                        ab[buf.off + k] = Value::Int(data[f.pos + k] as i64);
                    }
                }
                f.pos += n;
                Ok(NRes::Vals(vec![Value::Int(n as i64), Value::Nil]))
            }
            _ => Err(unsupported_method(name)),
        },
    }
}

fn unsupported_method(name: &str) -> Flow {
    Flow::Fatal(
        3,
        format!("simulator: unsupported: method {name} on this value\n"),
    )
}

pub fn zero_of(vm: &Vm, t: &Ty) -> Value {
    zero_value(&vm.prog, t)
}
