//! Runtime values. Go value semantics (struct/array copies) are implemented by
//! `copy_val`, which the interpreter applies whenever a value is read in value
//! context; handles read in "reference" context (field/index bases, method
//! receivers) are shared so that mutations reach the variable.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use super::program::Ty;

pub type Rcell<T> = Rc<RefCell<T>>;

pub fn rcell<T>(v: T) -> Rcell<T> {
    Rc::new(RefCell::new(v))
}

#[derive(Clone, Debug)]
pub enum Value {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    /// time.Duration (nanoseconds)
    Dur(i64),
    /// time.Time (virtual nanoseconds since the simulated epoch)
    Time(i64),
    Slice(Rc<SliceV>),
    Array(Rcell<Vec<Value>>),
    Map(Rcell<MapV>),
    Struct(Rcell<StructV>),
    Ptr(Ptr),
    Func(Rc<Closure>),
    /// A method value `x.M` (receiver already evaluated).
    Bound(Rc<(Value, u32, bool)>),
    Native(Rc<NativeFn>),
    Chan(Rcell<ChanV>),
    Obj(Rcell<Obj>),
    Err(Rc<ErrV>),
    /// A nil pointer to the struct type with this id (compares equal to nil).
    NilPtr(u32),
    /// An interface holding a nil pointer of the struct type: NOT equal to nil.
    TypedNil(u32),
    /// Internal: a boxed variable stored in a frame slot.
    Cell(Rcell<Value>),
    /// Internal: range iterator stored in a hidden slot.
    Iter(Rcell<IterState>),
}

#[derive(Clone, Debug)]
pub struct SliceV {
    pub arr: Option<Rcell<Vec<Value>>>,
    pub off: usize,
    pub len: usize,
    pub cap: usize,
    /// The slice's static type (`Ty::Slice`) when the creating operation
    /// knew it; fmt needs it for `%T`, `%#v` of nil slices and `%x` of []byte.
    pub ty: Option<Rc<Ty>>,
}

impl SliceV {
    pub fn nil() -> SliceV {
        SliceV {
            arr: None,
            off: 0,
            len: 0,
            cap: 0,
            ty: None,
        }
    }
    pub fn typed(mut self, t: &Ty) -> SliceV {
        self.ty = Some(Rc::new(t.clone()));
        self
    }
    pub fn from_vec(v: Vec<Value>) -> SliceV {
        let n = v.len();
        SliceV {
            arr: Some(rcell(v)),
            off: 0,
            len: n,
            cap: n,
            ty: None,
        }
    }
    pub fn to_vec(&self) -> Vec<Value> {
        match &self.arr {
            Some(a) => a.borrow()[self.off..self.off + self.len].to_vec(),
            None => Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Bool(bool),
    Int(i64),
    Float(u64),
    Str(Rc<str>),
    Ident(usize),
    Composite(Vec<Key>),
}

#[derive(Debug)]
pub struct MapV {
    pub nil: bool,
    pub key: Ty,
    pub zero: Ty,
    pub entries: HashMap<Key, (Value, Value)>,
}

#[derive(Debug)]
pub struct StructV {
    pub ty: u32,
    pub fields: Vec<Value>,
}

#[derive(Clone, Debug)]
pub enum Ptr {
    Cell(Rcell<Value>),
    Elem(Rcell<Vec<Value>>, usize),
    Field(Rcell<StructV>, usize),
    Struct(Rcell<StructV>),
}

impl Ptr {
    pub fn get(&self) -> Value {
        match self {
            Ptr::Cell(c) => c.borrow().clone(),
            Ptr::Elem(a, i) => a.borrow().get(*i).cloned().unwrap_or(Value::Nil),
            Ptr::Field(s, i) => s.borrow().fields.get(*i).cloned().unwrap_or(Value::Nil),
            Ptr::Struct(s) => Value::Struct(s.clone()),
        }
    }
    pub fn set(&self, v: Value) {
        match self {
            Ptr::Cell(c) => *c.borrow_mut() = v,
            Ptr::Elem(a, i) => {
                if let Some(slot) = a.borrow_mut().get_mut(*i) {
                    *slot = v;
                }
            }
            Ptr::Field(s, i) => {
                if let Some(slot) = s.borrow_mut().fields.get_mut(*i) {
                    *slot = v;
                }
            }
            Ptr::Struct(s) => {
                if let Value::Struct(src) = v {
                    if !Rc::ptr_eq(s, &src) {
                        let fields = src.borrow().fields.clone();
                        s.borrow_mut().fields = fields;
                    }
                }
            }
        }
    }
    pub fn addr(&self) -> usize {
        match self {
            Ptr::Cell(c) => Rc::as_ptr(c) as *const u8 as usize,
            Ptr::Elem(a, i) => Rc::as_ptr(a) as *const u8 as usize + i * 8,
            Ptr::Field(s, i) => Rc::as_ptr(s) as *const u8 as usize + i * 8,
            Ptr::Struct(s) => Rc::as_ptr(s) as *const u8 as usize,
        }
    }
}

#[derive(Debug)]
pub struct Closure {
    pub proto: u32,
    pub ups: Vec<Rcell<Value>>,
}

/// Functions implemented by the runtime that exist as first-class values.
#[derive(Debug)]
pub enum NativeFn {
    Builtin(u16),
    Cancel(Rcell<Obj>),
}

#[derive(Debug)]
pub struct ErrV {
    pub msg: String,
    pub wrapped: Vec<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WaitKind {
    Recv,
    RecvOk,
    Send,
    Select,
}

#[derive(Debug, Clone)]
pub struct Waiter {
    pub gid: usize,
    pub seq: u64,
    pub kind: WaitKind,
    /// value to send, for senders
    pub val: Value,
    /// select case index
    pub case: usize,
}

#[derive(Debug)]
pub struct ChanV {
    pub id: usize,
    pub cap: usize,
    pub buf: VecDeque<Value>,
    pub closed: bool,
    pub sendq: VecDeque<Waiter>,
    pub recvq: VecDeque<Waiter>,
    pub zero: Ty,
}

#[derive(Debug)]
pub enum Obj {
    Mutex {
        locked: bool,
        waiters: VecDeque<usize>,
    },
    RwMutex {
        writer: bool,
        readers: usize,
        wwait: VecDeque<usize>,
        rwait: VecDeque<usize>,
    },
    WaitGroup {
        count: i64,
        waiters: Vec<usize>,
    },
    Once {
        done: bool,
    },
    Atomic(i64),
    Builder(String),
    Timer {
        chan: Rcell<ChanV>,
        gen: u64,
        active: bool,
        period: i64,
    },
    Ctx(CtxV),
    File(FileV),
    DirEntry(String, bool),
    /// `sort.Reverse` of a sort.IntSlice/StringSlice/Float64Slice (the slice).
    SortReverse(Value),
}

#[derive(Debug)]
pub struct CtxV {
    pub parent: Option<Rcell<Obj>>,
    pub done: Option<Rcell<ChanV>>,
    pub err: Option<Value>,
    pub children: Vec<Rcell<Obj>>,
    pub deadline: Option<i64>,
    pub key: Option<(Value, Value)>,
    pub cancelable: bool,
}

#[derive(Debug)]
pub struct FileV {
    pub fd: i64,
    pub name: String,
    pub closed: bool,
    pub pos: usize,
    pub writable: bool,
    pub append: bool,
}

impl Obj {
    /// Whether assigning the object copies it (Go value types) rather than
    /// sharing it (types that Go code only ever holds by pointer).
    pub fn copies(&self) -> bool {
        matches!(
            self,
            Obj::Mutex { .. }
                | Obj::RwMutex { .. }
                | Obj::WaitGroup { .. }
                | Obj::Once { .. }
                | Obj::Atomic(_)
                | Obj::Builder(_)
        )
    }
    fn dup(&self) -> Obj {
        match self {
            Obj::Mutex { locked, .. } => Obj::Mutex {
                locked: *locked,
                waiters: VecDeque::new(),
            },
            Obj::RwMutex {
                writer, readers, ..
            } => Obj::RwMutex {
                writer: *writer,
                readers: *readers,
                wwait: VecDeque::new(),
                rwait: VecDeque::new(),
            },
            Obj::WaitGroup { count, .. } => Obj::WaitGroup {
                count: *count,
                waiters: Vec::new(),
            },
            Obj::Once { done } => Obj::Once { done: *done },
            Obj::Atomic(v) => Obj::Atomic(*v),
            Obj::Builder(s) => Obj::Builder(s.clone()),
            _ => Obj::Atomic(0),
        }
    }
}

#[derive(Debug)]
pub enum IterState {
    Seq {
        items: Value,
        i: usize,
        n: usize,
    },
    Str {
        s: Rc<str>,
        i: usize,
    },
    Map {
        map: Rcell<MapV>,
        keys: Vec<Key>,
        i: usize,
    },
    Int {
        i: i64,
        n: i64,
    },
    Chan(Rcell<ChanV>),
    ChanWait(Rcell<ChanV>),
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }

    /// Go assignment semantics: structs, arrays and value-type sync objects are copied.
    #[inline]
    pub fn copy_val(&self) -> Value {
        match self {
            Value::Struct(s) => {
                let s = s.borrow();
                Value::Struct(rcell(StructV {
                    ty: s.ty,
                    fields: s.fields.iter().map(|f| f.copy_val()).collect(),
                }))
            }
            Value::Array(a) => {
                Value::Array(rcell(a.borrow().iter().map(|f| f.copy_val()).collect()))
            }
            Value::Obj(o) => {
                let b = o.borrow();
                if b.copies() {
                    Value::Obj(rcell(b.dup()))
                } else {
                    drop(b);
                    self.clone()
                }
            }
            _ => self.clone(),
        }
    }

    pub fn truthy(&self) -> bool {
        matches!(self, Value::Bool(true))
    }

    pub fn is_nil(&self) -> bool {
        match self {
            Value::Nil | Value::NilPtr(_) => true,
            Value::Slice(s) => s.arr.is_none(),
            Value::Map(m) => m.borrow().nil,
            _ => false,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) | Value::Dur(i) => Some(*i),
            Value::Float(f) => Some(*f as i64),
            _ => None,
        }
    }

    pub fn key(&self) -> Key {
        match self {
            Value::Bool(b) => Key::Bool(*b),
            Value::Int(i) | Value::Dur(i) | Value::Time(i) => Key::Int(*i),
            Value::Float(f) => {
                if *f == 0.0 {
                    Key::Float(0)
                } else {
                    Key::Float(f.to_bits())
                }
            }
            Value::Str(s) => Key::Str(s.clone()),
            Value::Struct(s) => Key::Composite(s.borrow().fields.iter().map(|f| f.key()).collect()),
            Value::Array(a) => Key::Composite(a.borrow().iter().map(|f| f.key()).collect()),
            Value::Nil => Key::Ident(0),
            Value::Ptr(p) => Key::Ident(p.addr()),
            Value::Chan(c) => Key::Ident(Rc::as_ptr(c) as *const u8 as usize),
            Value::Obj(c) => Key::Ident(Rc::as_ptr(c) as *const u8 as usize),
            Value::Err(e) => Key::Ident(Rc::as_ptr(e) as *const u8 as usize),
            _ => Key::Ident(usize::MAX),
        }
    }
}

pub fn key_to_value(k: &Key) -> Value {
    match k {
        Key::Bool(b) => Value::Bool(*b),
        Key::Int(i) => Value::Int(*i),
        Key::Float(f) => Value::Float(f64::from_bits(*f)),
        Key::Str(s) => Value::Str(s.clone()),
        _ => Value::Nil,
    }
}

/// Go `==`. Returns None when the operands are not comparable at run time
/// (Go panics with "comparing uncomparable type").
pub fn values_equal(a: &Value, b: &Value) -> Option<bool> {
    use Value::*;
    Some(match (a, b) {
        (Nil, x) | (x, Nil) => x.is_nil(),
        (NilPtr(_), x) | (x, NilPtr(_)) => x.is_nil(),
        (TypedNil(a), TypedNil(b)) => a == b,
        (Bool(x), Bool(y)) => x == y,
        (Int(x), Int(y))
        | (Dur(x), Dur(y))
        | (Time(x), Time(y))
        | (Int(x), Dur(y))
        | (Dur(x), Int(y)) => x == y,
        (Float(x), Float(y)) => x == y,
        (Int(x), Float(y)) | (Float(y), Int(x)) => (*x as f64) == *y,
        (Str(x), Str(y)) => x == y,
        (Struct(x), Struct(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            if x.ty != y.ty {
                return Some(false);
            }
            for (f, g) in x.fields.iter().zip(y.fields.iter()) {
                if !values_equal(f, g)? {
                    return Some(false);
                }
            }
            true
        }
        (Array(x), Array(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            for (f, g) in x.iter().zip(y.iter()) {
                if !values_equal(f, g)? {
                    return Some(false);
                }
            }
            true
        }
        (Ptr(x), Ptr(y)) => x.addr() == y.addr(),
        (Chan(x), Chan(y)) => Rc::ptr_eq(x, y),
        (Obj(x), Obj(y)) => Rc::ptr_eq(x, y),
        (Err(x), Err(y)) => Rc::ptr_eq(x, y),
        (Slice(_), _) | (Map(_), _) | (Func(_), _) => return None,
        _ => false,
    })
}
