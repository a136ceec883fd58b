//! Compiled program: bytecode, function prototypes and type descriptors.

use super::value::Value;

/// Runtime type descriptor: enough to build zero values, convert, assert and print `%T`.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Int(IntKind),
    Float,
    Str,
    Bool,
    Dur,
    Time,
    Slice(Box<Ty>),
    Array(usize, Box<Ty>),
    Map(Box<Ty>, Box<Ty>),
    Chan(Box<Ty>),
    Ptr(Box<Ty>),
    Func,
    Struct(u32),
    /// interface with method names (empty = any)
    Iface(Vec<String>),
    Error,
    Obj(ObjKind),
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IntKind {
    Int,
    Int8,
    Int16,
    Int32,
    Int64,
    Uint,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Uintptr,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ObjKind {
    Mutex,
    RwMutex,
    WaitGroup,
    Once,
    AtomicInt,
    Builder,
    Timer,
    Ticker,
    Context,
    File,
    DirEntry,
    SortReverse,
}

impl IntKind {
    pub fn name(self) -> &'static str {
        match self {
            IntKind::Int => "int",
            IntKind::Int8 => "int8",
            IntKind::Int16 => "int16",
            IntKind::Int32 => "int32",
            IntKind::Int64 => "int64",
            IntKind::Uint => "uint",
            IntKind::Uint8 => "uint8",
            IntKind::Uint16 => "uint16",
            IntKind::Uint32 => "uint32",
            IntKind::Uint64 => "uint64",
            IntKind::Uintptr => "uintptr",
        }
    }
    pub fn wrap(self, v: i64) -> i64 {
        match self {
            IntKind::Int8 => v as i8 as i64,
            IntKind::Int16 => v as i16 as i64,
            IntKind::Int32 => v as i32 as i64,
            IntKind::Uint8 => v as u8 as i64,
            IntKind::Uint16 => v as u16 as i64,
            IntKind::Uint32 => v as u32 as i64,
            _ => v,
        }
    }
}

#[derive(Debug, Clone)]
pub struct FieldInfo {
    pub name: String,
    pub ty: Ty,
    /// Static type name for fmt when `ty` loses it (named types, runes...).
    pub hint: Option<String>,
    pub embedded: bool,
}

#[derive(Debug, Clone)]
pub struct StructInfo {
    /// e.g. `main.Point`; empty for anonymous struct types
    pub name: String,
    pub fields: Vec<FieldInfo>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    And,
    Or,
    Xor,
    AndNot,
    Shl,
    Shr,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum UnOp {
    Neg,
    Not,
    BitNot,
    Plus,
}

/// Select case shape, resolved at compile time.
#[derive(Debug, Clone)]
pub struct SelectDesc {
    /// true = send case (channel and value on the stack), false = receive
    pub sends: Vec<bool>,
    pub has_default: bool,
}

#[derive(Debug, Clone, Copy)]
pub enum Op {
    Nil,
    Bool(bool),
    Int(i64),
    Const(u32),
    Load(u16),
    LoadRef(u16),
    Store(u16),
    LoadBox(u16),
    LoadBoxRef(u16),
    StoreBox(u16),
    NewBox(u16),
    /// Replace a boxed slot's cell by a fresh one holding the same value
    /// (per-iteration loop variables).
    Rebox(u16),
    /// Records a loop variable's value in the trace (`Program::loop_vars`
    /// of the function, fresh variable or not); only compiled when tracing.
    LoopVar(u16, bool),
    LoadUp(u16),
    LoadUpRef(u16),
    StoreUp(u16),
    LoadGlobal(u32),
    LoadGlobalRef(u32),
    StoreGlobal(u32),
    AddrLocal(u16),
    AddrUp(u16),
    AddrGlobal(u32),
    AddrField(u32),
    AddrIndex,
    /// turn the (fresh) value on top of the stack into a pointer to it
    AddrValue,
    Pop,
    Dup,
    Bin(BinOp),
    Un(UnOp),
    Jump(u32),
    JumpIfFalse(u32),
    JumpIfTrue(u32),
    Field(u32),
    FieldRef(u32),
    SetField(u32),
    Index,
    IndexRef,
    SetIndex,
    MapIndexOk,
    SliceOp(bool, bool, bool),
    Deref,
    DerefRef,
    SetDeref,
    Zero(u32),
    Convert(u32),
    /// Rounds the float on top of the stack to float32 precision (`float32(x)`).
    RoundF32,
    /// The next fmt call's `%T` names for its value arguments (`Program::type_hints`).
    TypeHints(u32),
    MakeStruct(u32, u32),
    MakeStructKeyed(u32, u32),
    MakeSlice(u32, u32),
    MakeArray(u32, u32),
    MakeMap(u32, u32),
    MakeClosure(u32),
    /// make(T, args...)
    Make(u32, u8),
    /// push a package-level function as a value
    NativeValue(u16),
    /// argc, keep results, spread last argument (`f(xs...)`)
    Call(u8, bool, bool),
    CallFunc(u32, u8, bool, bool),
    CallMethod(u32, u8, bool, bool),
    CallNative(u16, u8, bool),
    /// argc, spread; kind 0 = value call, 1 = method (sym), 2 = native
    Go(u8, bool),
    GoMethod(u32, u8),
    Defer(u8, bool),
    DeferMethod(u32, u8),
    DeferNative(u16, u8),
    /// store n values into the result slots and run the return sequence
    Return(u8),
    RetSeq,
    Send,
    Recv(bool),
    Select(u32),
    RangeInit,
    /// iterator slot, jump target when exhausted
    RangeNext(u16, u32),
    TypeAssert(u32, bool),
    TypeIs(u32),
    Recover,
    Panic,
    /// coerce the value on top to the slot type (untyped constants into float vars)
    Coerce(u32),
    Nop,
    /// add a constant to an unboxed int local (`i++`, `n += 2`)
    IncLocal(u16, i64),
    /// binary operation on two locals
    BinLL(BinOp, u16, u16),
    /// binary operation on a local and an integer constant
    BinLI(BinOp, u16, i64),
}

#[derive(Debug, Clone, Default)]
pub struct FuncProto {
    pub name: String,
    pub code: Vec<Op>,
    pub lines: Vec<u32>,
    pub nparams: usize,
    pub nlocals: usize,
    pub variadic: bool,
    /// slots holding results, in order
    pub results: Vec<u16>,
    /// results boxed because a closure captures them
    pub results_boxed: Vec<bool>,
    /// params boxed at entry
    pub boxed_params: Vec<u16>,
    /// param coercions at entry (slot, type index)
    pub param_coerce: Vec<(u16, u32)>,
    /// captured variables: (from parent local slot = true, index)
    pub captures: Vec<(bool, u16)>,
    pub ret_pc: usize,
    pub line: u32,
    /// method receiver is a pointer
    pub ptr_recv: bool,
    pub result_tys: Vec<u32>,
    /// a function literal (closure), not a declared function or method
    pub literal: bool,
    /// (pc of a defer op, the deferred callee as written), pc ascending;
    /// names the cards of the simulator's defer stacks
    pub defer_names: Vec<(u32, String)>,
    /// loop variables named by `Op::LoopVar`
    pub loop_vars: Vec<LoopVarInfo>,
}

/// A variable declared by a `for` statement, for the simulator's trace.
#[derive(Debug, Clone, Default)]
pub struct LoopVarInfo {
    /// line of the `for` statement
    pub line: u32,
    pub name: String,
    pub slot: u16,
    /// one variable per iteration (Go 1.22 semantics for this loop)
    pub per_iteration: bool,
}

#[derive(Debug, Default)]
pub struct Program {
    pub funcs: Vec<FuncProto>,
    pub consts: Vec<Value>,
    pub tys: Vec<Ty>,
    pub structs: Vec<StructInfo>,
    pub syms: Vec<String>,
    pub selects: Vec<SelectDesc>,
    pub keyed: Vec<Vec<u32>>,
    /// Per fmt call site: the static type name of each value argument, if it
    /// differs from what the dynamic value would print for `%T`.
    pub type_hints: Vec<std::rc::Rc<[Option<String>]>>,
    /// (`main.T`, method name) -> func index, for value-receiver methods of
    /// named non-struct types (dispatched through static types).
    pub named_methods: std::collections::HashMap<(String, String), u32>,
    /// (struct type id, method sym) -> func index
    pub methods: std::collections::HashMap<(u32, u32), u32>,
    pub nglobals: usize,
    pub main: u32,
    pub init: u32,
}
