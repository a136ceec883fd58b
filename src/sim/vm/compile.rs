//! Checker + compiler: resolves names to slots, rejects constructs outside the
//! subset with `unsupported: ...`, and emits bytecode for the interpreter.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::program::*;
use super::value::Value;
use crate::sim::lang::ast::*;
use crate::sim::lang::parser::expr_to_type;
use crate::sim::lang::{Diag, Pos};
use crate::sim::runtime::fmt::elem_of_type_name;
use crate::sim::runtime::names::{is_value, native_id, package_name};

type CResult<T> = Result<T, Diag>;

#[derive(Clone, Debug)]
enum Sym {
    Local(u16, bool, Option<u32>),
    Up(u16, Option<u32>),
    Global(u32, Option<u32>),
    /// A constant and, when it has one, its static type name for `%T`.
    Const(Value, Option<Rc<str>>),
    /// An untyped integer constant outside the 64-bit range (`1 << 100`):
    /// usable only inside further constant expressions.
    BigConst(i128),
    Type(Ty),
    Func(u32),
    Pkg(&'static str),
    Builtin(&'static str),
}

struct LoopCtx {
    label: Option<String>,
    breaks: Vec<usize>,
    continues: Vec<usize>,
    is_loop: bool,
}

struct FnCtx {
    proto: FuncProto,
    scopes: Vec<HashMap<String, Sym>>,
    up_names: HashMap<String, u16>,
    up_coerce: HashMap<String, Option<u32>>,
    boxed: Rc<HashSet<String>>,
    loops: Vec<LoopCtx>,
    nlocals: u16,
    results: Vec<(u16, bool)>,
    named_results: bool,
    /// highest instruction index that may be a jump target
    barrier: usize,
    /// Static type names of locals whose dynamic value cannot tell them
    /// (named types, runes, bytes, func signatures), for `%T`.
    hints: HashMap<u16, Rc<str>>,
    /// The same for captured variables, by upvalue index.
    up_hints: HashMap<u16, Rc<str>>,
}

pub struct Compiler {
    pub prog: Program,
    go121: bool,
    trace: bool,
    fns: Vec<FnCtx>,
    globals: HashMap<String, Sym>,
    sym_map: HashMap<String, u32>,
    ty_map: HashMap<String, u32>,
    line: u32,
    iota: Option<i64>,
    inits: Vec<u32>,
    /// User-declared non-struct, non-interface named types -> `main.T`.
    named_types: HashMap<String, Rc<str>>,
    /// Top-level function name -> its `%T` signature.
    func_sigs: HashMap<String, Rc<str>>,
    /// Function index -> static type name of its single result.
    fn_results: HashMap<u32, Rc<str>>,
    /// Package-level variable index -> static type name (as `FnCtx::hints`).
    global_hints: HashMap<u32, Rc<str>>,
    /// (`main.S`, field) -> static type name of the field.
    field_hints: HashMap<(String, String), Rc<str>>,
}

fn err<T>(pos: Pos, msg: impl Into<String>) -> CResult<T> {
    Err(Diag {
        pos,
        msg: msg.into(),
    })
}

fn unsupported<T>(pos: Pos, what: &str) -> CResult<T> {
    err(pos, format!("unsupported: {what}"))
}

const BUILTINS: &[&str] = &[
    "len", "cap", "append", "copy", "delete", "make", "new", "panic", "recover", "print",
    "println", "close", "min", "max", "clear",
];

pub fn compile(file: &File, go121: bool) -> CResult<Program> {
    compile_traced(file, go121, false)
}

/// `trace` adds the instructions that record loop variables in the trace.
pub fn compile_traced(file: &File, go121: bool, trace: bool) -> CResult<Program> {
    let mut c = Compiler {
        prog: Program::default(),
        go121,
        trace,
        fns: Vec::new(),
        globals: HashMap::new(),
        sym_map: HashMap::new(),
        ty_map: HashMap::new(),
        line: 0,
        iota: None,
        inits: Vec::new(),
        named_types: HashMap::new(),
        func_sigs: HashMap::new(),
        fn_results: HashMap::new(),
        global_hints: HashMap::new(),
        field_hints: HashMap::new(),
    };
    c.compile_file(file)?;
    Ok(c.prog)
}

impl Compiler {
    fn sym(&mut self, name: &str) -> u32 {
        if let Some(i) = self.sym_map.get(name) {
            return *i;
        }
        let i = self.prog.syms.len() as u32;
        self.prog.syms.push(name.to_string());
        self.sym_map.insert(name.to_string(), i);
        i
    }

    fn ty_idx(&mut self, t: &Ty) -> u32 {
        let key = format!("{t:?}");
        if let Some(i) = self.ty_map.get(&key) {
            return *i;
        }
        let i = self.prog.tys.len() as u32;
        self.prog.tys.push(t.clone());
        self.ty_map.insert(key, i);
        i
    }

    fn konst(&mut self, v: Value) -> u32 {
        self.prog.consts.push(v);
        (self.prog.consts.len() - 1) as u32
    }

    fn f(&mut self) -> &mut FnCtx {
        let n = self.fns.len() - 1;
        &mut self.fns[n]
    }

    fn emit(&mut self, op: Op) -> usize {
        let line = self.line;
        let f = self.f();
        // Peephole: `local op local` / `local op const` become one instruction,
        // unless a jump may land between the fused instructions.
        if let Op::Bin(b) = op {
            let n = f.proto.code.len();
            if n >= 2 && f.barrier + 2 <= n {
                let fused = match (f.proto.code[n - 2], f.proto.code[n - 1]) {
                    (Op::Load(x), Op::Load(y)) => Some(Op::BinLL(b, x, y)),
                    (Op::Load(x), Op::Int(k)) => Some(Op::BinLI(b, x, k)),
                    _ => None,
                };
                if let Some(fo) = fused {
                    f.proto.code.truncate(n - 2);
                    f.proto.lines.truncate(n - 2);
                    f.proto.code.push(fo);
                    f.proto.lines.push(line);
                    return n - 2;
                }
            }
        }
        f.proto.code.push(op);
        f.proto.lines.push(line);
        f.proto.code.len() - 1
    }

    fn here(&mut self) -> usize {
        let f = self.f();
        f.barrier = f.proto.code.len();
        f.barrier
    }

    fn patch(&mut self, at: usize, target: usize) {
        let t = target as u32;
        let code = &mut self.f().proto.code;
        code[at] = match code[at] {
            Op::Jump(_) => Op::Jump(t),
            Op::JumpIfFalse(_) => Op::JumpIfFalse(t),
            Op::JumpIfTrue(_) => Op::JumpIfTrue(t),
            Op::RangeNext(s, _) => Op::RangeNext(s, t),
            other => other,
        };
    }

    fn new_local(&mut self) -> u16 {
        let f = self.f();
        let s = f.nlocals;
        f.nlocals += 1;
        if f.nlocals as usize > f.proto.nlocals {
            f.proto.nlocals = f.nlocals as usize;
        }
        s
    }

    fn push_scope(&mut self) {
        self.f().scopes.push(HashMap::new());
    }
    fn pop_scope(&mut self) {
        self.f().scopes.pop();
    }

    /// Declares a local; returns (slot, boxed).
    fn declare(&mut self, name: &str, coerce: Option<u32>) -> (u16, bool) {
        let slot = self.new_local();
        self.f().hints.remove(&slot);
        let boxed = self.f().boxed.contains(name);
        if name != "_" {
            if let Some(s) = self.f().scopes.last_mut() {
                s.insert(name.to_string(), Sym::Local(slot, boxed, coerce));
            }
        }
        (slot, boxed)
    }

    fn resolve(&mut self, name: &str) -> Option<Sym> {
        let n = self.fns.len();
        if n > 0 {
            if let Some(s) = self.resolve_in(n - 1, name) {
                return Some(s);
            }
        }
        if let Some(s) = self.globals.get(name) {
            return Some(s.clone());
        }
        universe(name)
    }

    fn resolve_in(&mut self, level: usize, name: &str) -> Option<Sym> {
        for sc in self.fns[level].scopes.iter().rev() {
            if let Some(s) = sc.get(name) {
                return Some(s.clone());
            }
        }
        if let Some(i) = self.fns[level].up_names.get(name) {
            let co = self.fns[level].up_coerce.get(name).cloned().flatten();
            return Some(Sym::Up(*i, co));
        }
        if level == 0 {
            return None;
        }
        let outer = self.resolve_in(level - 1, name)?;
        let (cap, co) = match outer {
            Sym::Local(slot, _, co) => ((true, slot), co),
            Sym::Up(i, co) => ((false, i), co),
            other => return Some(other),
        };
        let parent = &self.fns[level - 1];
        let hint = match cap {
            (true, slot) => parent.hints.get(&slot).cloned(),
            (false, i) => parent.up_hints.get(&i).cloned(),
        };
        let f = &mut self.fns[level];
        let idx = f.proto.captures.len() as u16;
        if let Some(h) = hint {
            f.up_hints.insert(idx, h);
        }
        f.proto.captures.push(cap);
        f.up_names.insert(name.to_string(), idx);
        f.up_coerce.insert(name.to_string(), co);
        Some(Sym::Up(idx, co))
    }

    // ---------------------------------------------------------------- types

    fn resolve_type(&mut self, t: &TypeExpr) -> CResult<Ty> {
        Ok(match t {
            TypeExpr::Name(n, pos) => match self.resolve(n) {
                Some(Sym::Type(t)) => t,
                Some(_) => return err(*pos, format!("{n} is not a type")),
                None => return err(*pos, format!("undefined: {n}")),
            },
            TypeExpr::Qual(p, n, pos) => {
                let pkg = match self.resolve(p) {
                    Some(Sym::Pkg(pk)) => pk,
                    _ => return err(*pos, format!("undefined: {p}")),
                };
                match qual_type(pkg, n) {
                    Some(t) => t,
                    None => return unsupported(*pos, &format!("type {pkg}.{n}")),
                }
            }
            TypeExpr::Ptr(t) => Ty::Ptr(Box::new(self.resolve_type(t)?)),
            TypeExpr::Slice(t) => Ty::Slice(Box::new(self.resolve_type(t)?)),
            TypeExpr::Array(len, t) => {
                let n = match len {
                    Some(e) => match self.const_eval(e) {
                        Some(Value::Int(n)) if n >= 0 => n as usize,
                        _ => {
                            return err(
                                e.pos,
                                "array length must be a non-negative integer constant",
                            )
                        }
                    },
                    None => usize::MAX,
                };
                Ty::Array(n, Box::new(self.resolve_type(t)?))
            }
            TypeExpr::Map(k, v) => Ty::Map(
                Box::new(self.resolve_type(k)?),
                Box::new(self.resolve_type(v)?),
            ),
            TypeExpr::Chan(_, t) => Ty::Chan(Box::new(self.resolve_type(t)?)),
            TypeExpr::Func(_) => Ty::Func,
            TypeExpr::Struct(fields) => {
                let id = self.prog.structs.len() as u32;
                self.prog.structs.push(StructInfo {
                    name: String::new(),
                    fields: Vec::new(),
                });
                self.fill_struct(id, fields)?;
                Ty::Struct(id)
            }
            TypeExpr::Interface(methods, _) => {
                let names: Vec<String> = methods.iter().map(|(n, _)| n.clone()).collect();
                if names.len() == 1 && names[0] == "Error" {
                    Ty::Error
                } else {
                    Ty::Iface(names)
                }
            }
        })
    }

    /// sort.Sort/Stable/Reverse are implemented for the standard library's
    /// slice types only; a user-defined sort.Interface is rejected here rather
    /// than silently left unsorted at run time.
    /// Static type names of a fmt call's value arguments, registered in
    /// `Program::type_hints` when any of them matters for printing.
    fn fmt_hints(&mut self, pk: &str, name: &str, args: &[Expr]) -> Option<u32> {
        let from = match (pk, name) {
            ("fmt", "Println" | "Print" | "Sprint" | "Sprintln") => 0,
            ("fmt", "Printf" | "Sprintf" | "Errorf" | "Fprintln" | "Fprint") => 1,
            ("fmt", "Fprintf") => 2,
            _ => return None,
        };
        let hints: Vec<Option<String>> =
            args.iter().skip(from).map(|a| self.expr_hint(a)).collect();
        if hints.iter().all(|h| h.is_none()) {
            return None;
        }
        self.prog.type_hints.push(Rc::from(hints));
        Some(self.prog.type_hints.len() as u32 - 1)
    }

    /// For sort.Sort/Stable of a named non-struct type with Len/Less/Swap
    /// methods: the three method function indices.
    fn user_sort_methods(&mut self, name: &str, args: &[Expr]) -> Option<[u32; 3]> {
        if !matches!(name, "Sort" | "Stable") || args.len() != 1 {
            return None;
        }
        Some([
            self.static_method(&args[0], "Len")?,
            self.static_method(&args[0], "Less")?,
            self.static_method(&args[0], "Swap")?,
        ])
    }

    fn check_sort_interface(&mut self, name: &str, args: &[Expr], pos: Pos) -> CResult<()> {
        if self.user_sort_methods(name, args).is_some() {
            return Ok(());
        }
        let wants: &[&str] = match name {
            "Sort" | "Stable" => &["Reverse", "IntSlice", "StringSlice", "Float64Slice"],
            "Reverse" => &["IntSlice", "StringSlice", "Float64Slice"],
            _ => return Ok(()),
        };
        let ok = match args.first().map(|a| &a.kind) {
            Some(ExprKind::Call(g, _, false)) => match &g.kind {
                ExprKind::Selector(x, n) => {
                    matches!(&x.kind, ExprKind::Ident(p)
                        if matches!(self.resolve(p), Some(Sym::Pkg("sort"))))
                        && wants.contains(&n.as_str())
                }
                _ => false,
            },
            _ => false,
        };
        if ok && args.len() == 1 {
            Ok(())
        } else {
            unsupported(
                pos,
                &format!("sort.{name} with a user-defined sort.Interface"),
            )
        }
    }

    /// The method `name` of `x`'s static type when that is a named non-struct
    /// type: such values carry no type at run time, so calls bind statically.
    fn note_result_hint(&mut self, idx: u32, sig: &FuncType) {
        if let [r] = &sig.results[..] {
            if let Some(h) = self.type_expr_name(&r.ty) {
                self.fn_results.insert(idx, Rc::from(h));
            }
        }
    }

    /// float32 variables are float64s rounded on every store, so sums and
    /// products drift the way float32 arithmetic does.
    fn round_if_float32(&mut self, target: &Expr) {
        if self.expr_hint(target).as_deref() == Some("float32") {
            self.emit(Op::RoundF32);
        }
    }

    fn static_method(&mut self, x: &Expr, name: &str) -> Option<u32> {
        let h = self.expr_hint(x)?;
        self.prog.named_methods.get(&(h, name.to_string())).copied()
    }

    /// Go's `%T` spelling of a type expression; `None` for interfaces (their
    /// `%T` is the dynamic type) and for anything not resolvable here.
    fn type_expr_name(&mut self, t: &TypeExpr) -> Option<String> {
        self.tname(t, true)
    }

    /// Inside composite types and signatures an interface is named
    /// (`[]error`, `func() (int, error)`); only at the top level it is not.
    fn tname(&mut self, t: &TypeExpr, top: bool) -> Option<String> {
        Some(match t {
            TypeExpr::Name(n, _) => {
                let basic = match n.as_str() {
                    "byte" => Some("uint8"),
                    "rune" => Some("int32"),
                    "int" | "int8" | "int16" | "int32" | "int64" | "uint" | "uint8" | "uint16"
                    | "uint32" | "uint64" | "uintptr" | "float32" | "float64" | "string"
                    | "bool" => Some(n.as_str()),
                    _ => None,
                };
                match self.resolve(n)? {
                    Sym::Type(Ty::Struct(id)) => {
                        let name = self.prog.structs.get(id as usize)?.name.clone();
                        if name.is_empty() {
                            return None;
                        }
                        name
                    }
                    Sym::Type(Ty::Iface(_) | Ty::Error) if top => return None,
                    Sym::Type(Ty::Error) => "error".into(),
                    Sym::Type(Ty::Iface(m)) if m.is_empty() => "interface {}".into(),
                    Sym::Type(Ty::Iface(_)) => format!("main.{n}"),
                    Sym::Type(_) => match self.named_types.get(n) {
                        Some(name) => name.to_string(),
                        None => basic?.to_string(),
                    },
                    _ => return None,
                }
            }
            TypeExpr::Qual(p, n, _) => match self.resolve(p)? {
                Sym::Pkg(pk) => match qual_type(pk, n)? {
                    Ty::Iface(_) | Ty::Error if top => return None,
                    _ => format!("{pk}.{n}"),
                },
                _ => return None,
            },
            TypeExpr::Ptr(x) => format!("*{}", self.tname(x, false)?),
            TypeExpr::Slice(x) => format!("[]{}", self.tname(x, false)?),
            TypeExpr::Array(Some(len), x) => match self.const_eval(len)? {
                Value::Int(n) => format!("[{n}]{}", self.tname(x, false)?),
                _ => return None,
            },
            TypeExpr::Array(None, _) => return None,
            TypeExpr::Map(k, v) => {
                format!("map[{}]{}", self.tname(k, false)?, self.tname(v, false)?)
            }
            TypeExpr::Chan(dir, x) => {
                let e = self.tname(x, false)?;
                match dir {
                    ChanDir::Both => format!("chan {e}"),
                    ChanDir::Send => format!("chan<- {e}"),
                    ChanDir::Recv => format!("<-chan {e}"),
                }
            }
            TypeExpr::Func(ft) => self.sig_name(ft),
            TypeExpr::Struct(fields) if fields.is_empty() => "struct {}".into(),
            TypeExpr::Struct(fields) => {
                let mut parts = Vec::new();
                for f in fields {
                    let tn = self.tname(&f.ty, false)?;
                    parts.push(if f.embedded {
                        tn
                    } else {
                        format!("{} {tn}", f.name)
                    });
                }
                format!("struct {{ {} }}", parts.join("; "))
            }
            TypeExpr::Interface(ms, _) if ms.is_empty() && !top => "interface {}".into(),
            TypeExpr::Interface(..) => return None,
        })
    }

    /// `%T` of a function: `func(int, ...string) (int, error)`. A signature
    /// with a type that cannot be named here falls back to plain `func()`.
    fn sig_name(&mut self, ft: &FuncType) -> String {
        let mut ps = Vec::new();
        for p in &ft.params {
            let Some(n) = self.tname(&p.ty, false) else {
                return "func()".into();
            };
            ps.push(if p.variadic { format!("...{n}") } else { n });
        }
        let mut rs = Vec::new();
        for r in &ft.results {
            let Some(n) = self.tname(&r.ty, false) else {
                return "func()".into();
            };
            rs.push(n);
        }
        let res = match rs.len() {
            0 => String::new(),
            1 => format!(" {}", rs[0]),
            _ => format!(" ({})", rs.join(", ")),
        };
        format!("func({}){res}", ps.join(", "))
    }

    /// The static type name of an expression when it says more than the
    /// dynamic value does (see `FnCtx::hints`); `None` means "use the value".
    fn expr_hint(&mut self, e: &Expr) -> Option<String> {
        match &e.kind {
            ExprKind::Char(_) => Some("int32".into()),
            ExprKind::Paren(x) => self.expr_hint(x),
            ExprKind::Ident(n) => match self.resolve(n)? {
                Sym::Local(slot, ..) => self.f().hints.get(&slot).map(|h| h.to_string()),
                Sym::Global(i, _) => self.global_hints.get(&i).map(|h| h.to_string()),
                Sym::Up(i, _) => self.f().up_hints.get(&i).map(|h| h.to_string()),
                Sym::Const(_, h) => h.map(|h| h.to_string()),
                Sym::Func(_) => self.func_sigs.get(n).map(|h| h.to_string()),
                _ => None,
            },
            ExprKind::FuncLit(ft, _) => Some(self.sig_name(ft)),
            ExprKind::Index(x, i) if i.len() == 1 => elem_of_type_name(&self.expr_hint(x)?),
            ExprKind::Selector(x, field) => {
                let h = self.expr_hint(x)?;
                let key = (h.trim_start_matches('*').to_string(), field.clone());
                self.field_hints.get(&key).map(|h| h.to_string())
            }
            ExprKind::Composite(Some(t), _) => self.type_expr_name(t),
            ExprKind::Unary("&", x) if matches!(x.kind, ExprKind::Composite(..)) => {
                Some(format!("*{}", self.expr_hint(x)?))
            }
            ExprKind::Binary(op, a, b) => match *op {
                "+" | "-" | "*" | "/" | "%" | "&" | "|" | "^" | "&^" => {
                    self.expr_hint(a).or_else(|| self.expr_hint(b))
                }
                "<<" | ">>" => self.expr_hint(a),
                _ => None,
            },
            ExprKind::Call(f, args, false) => {
                if let ExprKind::Selector(x, name) = &f.kind {
                    if let Some(idx) = self.static_method(x, name) {
                        return self.fn_results.get(&idx).map(|h| h.to_string());
                    }
                }
                if let ExprKind::Ident(n) = &f.kind {
                    match self.resolve(n) {
                        Some(Sym::Func(i)) => {
                            return self.fn_results.get(&i).map(|h| h.to_string())
                        }
                        Some(Sym::Builtin("make")) => {
                            return self.type_expr_name(&expr_to_type(args.first()?)?)
                        }
                        Some(Sym::Builtin("new")) => {
                            let inner = self.type_expr_name(&expr_to_type(args.first()?)?)?;
                            return Some(format!("*{inner}"));
                        }
                        Some(Sym::Type(_)) => {}
                        _ => return None,
                    }
                }
                if args.len() != 1 {
                    return None;
                }
                let t = match &f.kind {
                    ExprKind::Paren(x) => expr_to_type(x)?,
                    _ => expr_to_type(f)?,
                };
                if let TypeExpr::Qual(p, _, _) = &t {
                    if !matches!(self.resolve(p), Some(Sym::Pkg(_))) {
                        return None;
                    }
                }
                self.type_expr_name(&t)
            }
            _ => None,
        }
    }

    fn fill_struct(&mut self, id: u32, fields: &[FieldDecl]) -> CResult<()> {
        let mut out = Vec::new();
        for fd in fields {
            let ty = self.resolve_type(&fd.ty)?;
            if fd.embedded && matches!(ty, Ty::Iface(_) | Ty::Error) {
                let pos = match &fd.ty {
                    TypeExpr::Name(_, p) | TypeExpr::Qual(_, _, p) => *p,
                    _ => Pos::default(),
                };
                return unsupported(pos, "struct embedding of an interface");
            }
            let sname = self.prog.structs[id as usize].name.clone();
            let hint = self.type_expr_name(&fd.ty);
            if let (false, Some(h)) = (sname.is_empty(), &hint) {
                self.field_hints
                    .insert((sname, fd.name.clone()), Rc::from(h.as_str()));
            }
            out.push(FieldInfo {
                hint,
                name: fd.name.clone(),
                ty,
                embedded: fd.embedded,
            });
            self.sym(&fd.name);
        }
        self.prog.structs[id as usize].fields = out;
        Ok(())
    }

    /// Declares type names (two passes so that types can refer to each other).
    fn declare_types(&mut self, specs: &[(String, TypeExpr, Pos)], global: bool) -> CResult<()> {
        let mut pending = Vec::new();
        for (name, te, _) in specs {
            if let TypeExpr::Struct(_) = te {
                let id = self.prog.structs.len() as u32;
                self.prog.structs.push(StructInfo {
                    name: format!("main.{name}"),
                    fields: Vec::new(),
                });
                self.bind(name, Sym::Type(Ty::Struct(id)), global);
                pending.push((id, te));
            }
        }
        for (name, te, pos) in specs {
            if !matches!(te, TypeExpr::Struct(_)) {
                let t = self.resolve_type(te)?;
                if matches!(t, Ty::Iface(_) | Ty::Error) {
                    self.named_types.remove(name);
                } else {
                    self.named_types
                        .insert(name.clone(), Rc::from(format!("main.{name}")));
                }
                self.bind(name, Sym::Type(t), global);
                let _ = pos;
            }
        }
        for (id, te) in pending {
            if let TypeExpr::Struct(fields) = te {
                self.fill_struct(id, fields)?;
            }
        }
        Ok(())
    }

    fn bind(&mut self, name: &str, s: Sym, global: bool) {
        if global || self.fns.is_empty() {
            self.globals.insert(name.to_string(), s);
        } else if let Some(sc) = self.f().scopes.last_mut() {
            sc.insert(name.to_string(), s);
        }
    }

    fn coerce_for(&mut self, t: &Ty) -> Option<u32> {
        match t {
            Ty::Float
            | Ty::Dur
            | Ty::Iface(_)
            | Ty::Error
            | Ty::Int(IntKind::Uint8)
            | Ty::Int(IntKind::Int32)
            | Ty::Int(IntKind::Uint32)
            | Ty::Int(IntKind::Int8)
            | Ty::Int(IntKind::Int16)
            | Ty::Int(IntKind::Uint16) => Some(self.ty_idx(t)),
            _ => None,
        }
    }

    // ---------------------------------------------------------------- file

    fn compile_file(&mut self, file: &File) -> CResult<()> {
        let snippet = file.package.is_none();
        if let Some((name, pos)) = &file.package {
            if name != "main" {
                return err(*pos, format!("package {name} is not a main package"));
            }
        }
        if snippet {
            // Snippets from notes run with the usual imports in scope.
            for p in [
                "fmt", "sync", "atomic", "context", "time", "os", "filepath", "runtime", "errors",
                "strings", "strconv", "sort", "math", "io", "unicode", "utf8",
            ] {
                self.globals.insert(p.to_string(), Sym::Pkg(p));
            }
        }
        for (path, pos) in &file.imports {
            match package_name(path) {
                Some("rand") => return unsupported(*pos, "package math/rand (nondeterministic)"),
                Some(p) => {
                    self.globals.insert(p.to_string(), Sym::Pkg(p));
                }
                None => return unsupported(*pos, &format!("package {path:?}")),
            }
        }
        // Types first, then function signatures, then bodies.
        for d in &file.decls {
            if let Decl::Stmt(Stmt {
                kind: StmtKind::Type(specs),
                ..
            }) = d
            {
                if !snippet {
                    self.declare_types(specs, true)?;
                }
            }
        }
        if snippet {
            for d in &file.decls {
                if let Decl::Stmt(Stmt {
                    kind: StmtKind::Type(specs),
                    ..
                }) = d
                {
                    self.declare_types(specs, true)?;
                }
            }
        }
        // Reserve function indexes.
        let mut fidx: Vec<Option<u32>> = Vec::new();
        for d in &file.decls {
            if let Decl::Func(fd) = d {
                let idx = self.prog.funcs.len() as u32;
                self.prog.funcs.push(FuncProto::default());
                fidx.push(Some(idx));
                if fd.body.is_none() {
                    return unsupported(fd.pos, "function declaration without body");
                }
                match &fd.recv {
                    None => {
                        if fd.name == "init" {
                            self.inits.push(idx);
                        } else {
                            if fd.name == "main"
                                && (!fd.sig.params.is_empty() || !fd.sig.results.is_empty())
                            {
                                return err(
                                    fd.pos,
                                    "func main must have no arguments and no return values",
                                );
                            }
                            self.globals.insert(fd.name.clone(), Sym::Func(idx));
                            self.note_result_hint(idx, &fd.sig);
                            let sig = self.sig_name(&fd.sig);
                            self.func_sigs.insert(fd.name.clone(), Rc::from(sig));
                        }
                    }
                    Some(r) => {
                        let (base, _ptr) = match &r.ty {
                            TypeExpr::Ptr(t) => (&**t, true),
                            t => (t, false),
                        };
                        let tname = match base {
                            TypeExpr::Name(n, _) => n.clone(),
                            _ => return unsupported(r.pos, "receiver type"),
                        };
                        match self.globals.get(&tname) {
                            Some(Sym::Type(Ty::Struct(id))) => {
                                let id = *id;
                                let s = self.sym(&fd.name);
                                self.prog.methods.insert((id, s), idx);
                            }
                            Some(Sym::Type(_)) if _ptr => {
                                return unsupported(
                                    r.pos,
                                    "pointer-receiver methods on non-struct types",
                                );
                            }
                            // Such values reach code mostly through the error
                            // interface, where no static type is left to
                            // find the method by: reject rather than print
                            // the bare number.
                            Some(Sym::Type(_)) if fd.name == "Error" => {
                                return unsupported(r.pos, "Error method on a non-struct type");
                            }
                            Some(Sym::Type(_)) if self.named_types.contains_key(&tname) => {
                                self.note_result_hint(idx, &fd.sig);
                                self.prog
                                    .named_methods
                                    .insert((format!("main.{tname}"), fd.name.clone()), idx);
                            }
                            Some(Sym::Type(_)) => {
                                return unsupported(r.pos, "methods on non-struct types");
                            }
                            _ => return err(r.pos, format!("undefined: {tname}")),
                        }
                    }
                }
            } else {
                fidx.push(None);
            }
        }
        // Package-level vars and consts: compile into the init function.
        let init_idx = self.prog.funcs.len() as u32;
        self.prog.funcs.push(FuncProto::default());
        self.prog.init = init_idx;
        self.begin_fn("init$globals", Rc::new(HashSet::new()));
        let mut main_stmts: Vec<&Stmt> = Vec::new();
        for d in &file.decls {
            if let Decl::Stmt(s) = d {
                self.line = s.pos.line;
                match &s.kind {
                    StmtKind::Var(specs) if !snippet => self.global_vars(specs)?,
                    StmtKind::Const(specs) if !snippet => self.consts(specs, true)?,
                    StmtKind::Type(_) => {}
                    _ if snippet => main_stmts.push(s),
                    _ => {
                        return err(
                            s.pos,
                            "syntax error: non-declaration statement outside function body",
                        )
                    }
                }
            }
        }
        for i in self.inits.clone() {
            self.emit(Op::CallFunc(i, 0, false, false));
        }
        let rp = self.emit(Op::RetSeq);
        let mut proto = self.end_fn();
        proto.ret_pc = rp;
        self.prog.funcs[init_idx as usize] = proto;

        let mut have_main = false;
        for (d, fi) in file.decls.iter().zip(fidx.iter()) {
            if let (Decl::Func(fd), Some(idx)) = (d, fi) {
                if fd.name == "main" && fd.recv.is_none() {
                    have_main = true;
                    self.prog.main = *idx;
                    if snippet && !main_stmts.is_empty() {
                        return err(fd.pos, "main redeclared in this block");
                    }
                }
                let boxed = Rc::new(capture_names(
                    fd.body.as_ref().map(|b| &b.stmts[..]).unwrap_or(&[]),
                ));
                let proto = self.compile_func(
                    &fd.name,
                    fd.recv.as_ref(),
                    &fd.sig,
                    fd.body.as_ref(),
                    boxed,
                    fd.pos,
                )?;
                self.prog.funcs[*idx as usize] = proto;
            }
        }
        if !have_main {
            if snippet {
                let stmts: Vec<Stmt> = main_stmts.into_iter().cloned().collect();
                let body = Block {
                    stmts,
                    end: Pos::default(),
                };
                let boxed = Rc::new(capture_names(&body.stmts));
                let idx = self.prog.funcs.len() as u32;
                let proto = self.compile_func(
                    "main",
                    None,
                    &FuncType::default(),
                    Some(&body),
                    boxed,
                    Pos { line: 1, col: 1 },
                )?;
                self.prog.funcs.push(proto);
                self.prog.main = idx;
            } else {
                return err(
                    Pos { line: 1, col: 1 },
                    "function main is undeclared in the main package",
                );
            }
        }
        self.prog.nglobals = self
            .globals
            .values()
            .filter_map(|s| match s {
                Sym::Global(i, _) => Some(*i as usize + 1),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        Ok(())
    }

    fn global_vars(&mut self, specs: &[ValueSpec]) -> CResult<()> {
        for spec in specs {
            let ty = match &spec.ty {
                Some(t) => Some(self.resolve_type(t)?),
                None => None,
            };
            let co = ty.as_ref().and_then(|t| self.coerce_for(t));
            let mut idxs = Vec::new();
            for (name, _) in &spec.names {
                let i = self
                    .globals
                    .values()
                    .filter(|s| matches!(s, Sym::Global(..)))
                    .count() as u32;
                let i = i + idxs.len() as u32;
                idxs.push(i);
                let _ = name;
            }
            let hints: Vec<Option<String>> = match &spec.ty {
                Some(t) => vec![self.type_expr_name(t); spec.names.len()],
                None if spec.values.len() == spec.names.len() => {
                    spec.values.iter().map(|v| self.expr_hint(v)).collect()
                }
                None => Vec::new(),
            };
            for (k, i) in idxs.iter().enumerate() {
                match hints.get(k) {
                    Some(Some(h)) => self.global_hints.insert(*i, Rc::from(h.as_str())),
                    _ => self.global_hints.remove(i),
                };
            }
            self.init_values(spec, ty.as_ref())?;
            for ((name, _), i) in spec.names.iter().zip(idxs.iter()).rev() {
                if let Some(c) = co {
                    self.emit(Op::Coerce(c));
                }
                self.emit(Op::StoreGlobal(*i));
                if name != "_" {
                    self.globals.insert(name.clone(), Sym::Global(*i, co));
                } else {
                    self.globals.insert(format!("_{i}"), Sym::Global(*i, co));
                }
            }
        }
        Ok(())
    }

    /// Pushes one value per name of the spec (zero values or initializers).
    fn init_values(&mut self, spec: &ValueSpec, ty: Option<&Ty>) -> CResult<()> {
        let n = spec.names.len();
        if spec.values.is_empty() {
            let t = ty.cloned().unwrap_or(Ty::Unknown);
            let ti = self.ty_idx(&t);
            for _ in 0..n {
                self.emit(Op::Zero(ti));
            }
        } else if spec.values.len() == n {
            for v in &spec.values {
                self.expr_typed(v, ty)?;
            }
        } else if spec.values.len() == 1 {
            self.multi_value(&spec.values[0], n)?;
        } else {
            return err(
                spec.names[0].1,
                format!(
                    "assignment mismatch: {} variables but {} values",
                    n,
                    spec.values.len()
                ),
            );
        }
        Ok(())
    }

    fn consts(&mut self, specs: &[ValueSpec], global: bool) -> CResult<()> {
        for spec in specs {
            self.iota = Some(spec.iota);
            let ty = match &spec.ty {
                Some(t) => Some(self.resolve_type(t)?),
                None => None,
            };
            if spec.values.len() != spec.names.len() {
                return err(spec.names[0].1, "missing init expr for const declaration");
            }
            for ((name, pos), e) in spec.names.iter().zip(spec.values.iter()) {
                if ty.is_none() {
                    if let Some(big) = self.const_big(e) {
                        if i64::try_from(big).is_err() && u64::try_from(big).is_err() {
                            self.bind(name, Sym::BigConst(big), global);
                            continue;
                        }
                    }
                }
                let v = match self.const_eval(e) {
                    Some(v) => v,
                    None => {
                        return err(
                            *pos,
                            format!(
                            "{name} is not constant (or uses an unsupported constant expression)"
                        ),
                        )
                    }
                };
                let v = match &ty {
                    Some(t) => coerce_const(v, t),
                    None => v,
                };
                let hint = match &spec.ty {
                    Some(t) => self.type_expr_name(t).map(Rc::from),
                    None => self.expr_hint(e).map(Rc::from),
                };
                self.bind(name, Sym::Const(v, hint), global);
            }
            self.iota = None;
        }
        Ok(())
    }

    /// Exact value of an integer constant expression. Go's untyped constants
    /// are arbitrary-precision; 128 bits cover what notes use (`1 << 100`).
    fn const_big(&mut self, e: &Expr) -> Option<i128> {
        match &e.kind {
            ExprKind::Int(v) | ExprKind::Char(v) => Some(*v as i128),
            ExprKind::Paren(x) => self.const_big(x),
            ExprKind::Ident(n) if n == "iota" && self.iota.is_some() => {
                self.iota.map(|i| i as i128)
            }
            ExprKind::Ident(n) => match self.resolve(n)? {
                Sym::Const(Value::Int(v), _) => Some(v as i128),
                Sym::BigConst(v) => Some(v),
                _ => None,
            },
            ExprKind::Unary(op, x) => {
                let v = self.const_big(x)?;
                match *op {
                    "-" => v.checked_neg(),
                    "+" => Some(v),
                    "^" => Some(!v),
                    _ => None,
                }
            }
            ExprKind::Binary(op, a, b) => {
                let x = self.const_big(a)?;
                let y = self.const_big(b)?;
                match *op {
                    "+" => x.checked_add(y),
                    "-" => x.checked_sub(y),
                    "*" => x.checked_mul(y),
                    "/" => x.checked_div(y),
                    "%" => x.checked_rem(y),
                    "&" => Some(x & y),
                    "|" => Some(x | y),
                    "^" => Some(x ^ y),
                    "&^" => Some(x & !y),
                    "<<" if (0..127).contains(&y) => {
                        let r = x.checked_shl(y as u32)?;
                        (r >> y == x).then_some(r)
                    }
                    ">>" if y >= 0 => Some(x >> y.min(127)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Exact value of a float constant expression as a reduced fraction, with
    /// literals taken at their shortest decimal spelling (`0.1` is 1/10).
    fn const_rat(&mut self, e: &Expr) -> Option<(i128, i128)> {
        match &e.kind {
            ExprKind::Int(v) | ExprKind::Char(v) => Some((*v as i128, 1)),
            ExprKind::Float(f) => rat_of_f64(*f),
            ExprKind::Paren(x) => self.const_rat(x),
            ExprKind::Ident(_) | ExprKind::Call(..) => match self.const_eval(e)? {
                Value::Int(v) => Some((v as i128, 1)),
                Value::Float(f) => rat_of_f64(f),
                _ => None,
            },
            ExprKind::Unary("-", x) => {
                let (n, d) = self.const_rat(x)?;
                Some((n.checked_neg()?, d))
            }
            ExprKind::Binary(op, a, b) => {
                let (an, ad) = self.const_rat(a)?;
                let (bn, bd) = self.const_rat(b)?;
                let (n, d) = match *op {
                    "+" => (
                        an.checked_mul(bd)?.checked_add(bn.checked_mul(ad)?)?,
                        ad.checked_mul(bd)?,
                    ),
                    "-" => (
                        an.checked_mul(bd)?.checked_sub(bn.checked_mul(ad)?)?,
                        ad.checked_mul(bd)?,
                    ),
                    "*" => (an.checked_mul(bn)?, ad.checked_mul(bd)?),
                    "/" if bn != 0 => (an.checked_mul(bd)?, ad.checked_mul(bn)?),
                    _ => return None,
                };
                let g = gcd(n.unsigned_abs(), d.unsigned_abs()).max(1) as i128;
                let (n, d) = (n / g, d / g);
                Some(if d < 0 { (-n, -d) } else { (n, d) })
            }
            _ => None,
        }
    }

    fn const_eval(&mut self, e: &Expr) -> Option<Value> {
        if matches!(e.kind, ExprKind::Binary(..) | ExprKind::Unary(..)) {
            if let Some(v) = self.const_big(e) {
                // Beyond int64 but within uint64 the bits are kept, which is
                // what a uint64 destination needs.
                return match (i64::try_from(v), u64::try_from(v)) {
                    (Ok(i), _) => Some(Value::Int(i)),
                    (_, Ok(u)) => Some(Value::Int(u as i64)),
                    _ => None,
                };
            }
        }
        match &e.kind {
            ExprKind::Int(v) | ExprKind::Char(v) => Some(Value::Int(*v)),
            ExprKind::Float(v) => Some(Value::Float(*v)),
            ExprKind::Str(s) => Some(Value::str(s)),
            ExprKind::Paren(x) => self.const_eval(x),
            ExprKind::Ident(n) => {
                if n == "iota" {
                    if let Some(i) = self.iota {
                        return Some(Value::Int(i));
                    }
                }
                match self.resolve(n)? {
                    Sym::Const(v, _) => Some(v),
                    _ => None,
                }
            }
            ExprKind::Selector(x, n) => {
                if let ExprKind::Ident(p) = &x.kind {
                    if let Some(Sym::Pkg(pk)) = self.resolve(p) {
                        return pkg_const(pk, n);
                    }
                }
                None
            }
            ExprKind::Unary(op, x) => {
                let v = self.const_eval(x)?;
                let op = match *op {
                    "-" => UnOp::Neg,
                    "!" => UnOp::Not,
                    "^" => UnOp::BitNot,
                    "+" => UnOp::Plus,
                    _ => return None,
                };
                // Go constants have no negative zero.
                match super::ops::unop(op, &v).ok()? {
                    Value::Float(f) => Some(Value::Float(f + 0.0)),
                    other => Some(other),
                }
            }
            ExprKind::Binary(opname, a, b) => {
                let x = self.const_eval(a)?;
                let y = self.const_eval(b)?;
                let floaty = matches!(x, Value::Float(_)) || matches!(y, Value::Float(_));
                if floaty && matches!(*opname, "+" | "-" | "*" | "/") {
                    if let Some(f) = self.const_rat(e).and_then(rat_to_f64) {
                        return Some(Value::Float(f + 0.0));
                    }
                }
                let op = binop_of(opname)?;
                let r = super::ops::binop(op, &x, &y).ok()?;
                // Untyped float constants are exact in Go; rounding to 15
                // significant digits hides binary artefacts such as 0.1+0.2.
                Some(match r {
                    Value::Float(f)
                        if f.is_finite()
                            && f != 0.0
                            && (matches!(x, Value::Float(_)) || matches!(y, Value::Float(_))) =>
                    {
                        Value::Float(format!("{:.14e}", f).parse().unwrap_or(f))
                    }
                    other => other,
                })
            }
            ExprKind::Call(f, args, false) if args.len() == 1 => {
                let t = expr_to_type(f)?;
                let ty = match &t {
                    TypeExpr::Name(n, _) => match self.resolve(n)? {
                        Sym::Type(t) => t,
                        _ => return None,
                    },
                    TypeExpr::Qual(..) => self.resolve_type(&t).ok()?,
                    _ => return None,
                };
                if matches!(ty, Ty::Str) {
                    return None;
                }
                let v = coerce_const(self.const_eval(&args[0])?, &ty);
                Some(match (&t, v) {
                    (TypeExpr::Name(n, _), Value::Float(f)) if n == "float32" => {
                        Value::Float(f as f32 as f64)
                    }
                    (_, v) => v,
                })
            }
            _ => None,
        }
    }

    // ---------------------------------------------------------------- functions

    fn begin_fn(&mut self, name: &str, boxed: Rc<HashSet<String>>) {
        let proto = FuncProto {
            name: name.to_string(),
            line: self.line,
            ..Default::default()
        };
        self.fns.push(FnCtx {
            proto,
            scopes: vec![HashMap::new()],
            up_names: HashMap::new(),
            up_coerce: HashMap::new(),
            boxed,
            loops: Vec::new(),
            nlocals: 0,
            results: Vec::new(),
            named_results: false,
            barrier: 0,
            hints: HashMap::new(),
            up_hints: HashMap::new(),
        });
    }

    fn end_fn(&mut self) -> FuncProto {
        self.fns.pop().map(|f| f.proto).unwrap_or_default()
    }

    fn compile_func(
        &mut self,
        name: &str,
        recv: Option<&Param>,
        sig: &FuncType,
        body: Option<&Block>,
        boxed: Rc<HashSet<String>>,
        pos: Pos,
    ) -> CResult<FuncProto> {
        self.line = pos.line;
        self.begin_fn(name, boxed);
        let mut params: Vec<&Param> = Vec::new();
        if let Some(r) = recv {
            params.push(r);
            self.f().proto.ptr_recv = matches!(r.ty, TypeExpr::Ptr(_));
        }
        params.extend(sig.params.iter());
        for (i, p) in params.iter().enumerate() {
            let mut t = self.resolve_type(&p.ty)?;
            if p.variadic {
                t = Ty::Slice(Box::new(t));
                self.f().proto.variadic = true;
            }
            let co = self.coerce_for(&t);
            let pname = p.name.clone().unwrap_or_else(|| "_".into());
            let hint = if p.variadic {
                None
            } else {
                self.type_expr_name(&p.ty)
            };
            let (slot, is_boxed) = self.declare(&pname, co);
            if let Some(h) = hint {
                self.f().hints.insert(slot, Rc::from(h));
            }
            debug_assert_eq!(slot as usize, i);
            if is_boxed {
                self.f().proto.boxed_params.push(slot);
            }
            if let Some(c) = co {
                self.f().proto.param_coerce.push((slot, c));
            }
        }
        self.f().proto.nparams = params.len();
        let mut results = Vec::new();
        let mut named = false;
        for r in &sig.results {
            let t = self.resolve_type(&r.ty)?;
            let ti = self.ty_idx(&t);
            self.f().proto.result_tys.push(ti);
            let rname = match &r.name {
                Some(n) => {
                    named = true;
                    n.clone()
                }
                None => "_".into(),
            };
            self.emit(Op::Zero(ti));
            let co = self.coerce_for(&t);
            let (slot, is_boxed) = self.declare(&rname, co);
            self.emit(if is_boxed {
                Op::NewBox(slot)
            } else {
                Op::Store(slot)
            });
            results.push((slot, is_boxed));
        }
        self.f().proto.results = results.iter().map(|r| r.0).collect();
        self.f().proto.results_boxed = results.iter().map(|r| r.1).collect();
        self.f().results = results;
        self.f().named_results = named;
        if let Some(b) = body {
            self.push_scope();
            self.block_stmts(&b.stmts)?;
            self.pop_scope();
            if b.end.line > 0 {
                self.line = b.end.line;
            }
        }
        let rp = self.emit(Op::RetSeq);
        let mut proto = self.end_fn();
        proto.ret_pc = rp;
        proto.line = pos.line;
        Ok(proto)
    }

    fn func_lit(&mut self, sig: &FuncType, body: &Block, pos: Pos) -> CResult<()> {
        let boxed = self.f().boxed.clone();
        let saved_line = self.line;
        let name = format!("{}.func{}", self.fns[0].proto.name, self.prog.funcs.len());
        let idx = self.prog.funcs.len() as u32;
        self.prog.funcs.push(FuncProto::default());
        let mut proto = self.compile_func(&name, None, sig, Some(body), boxed, pos)?;
        proto.literal = true;
        self.prog.funcs[idx as usize] = proto;
        self.line = saved_line;
        self.emit(Op::MakeClosure(idx));
        Ok(())
    }

    // ---------------------------------------------------------------- statements

    fn block_stmts(&mut self, stmts: &[Stmt]) -> CResult<()> {
        for s in stmts {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> CResult<()> {
        self.line = s.pos.line;
        match &s.kind {
            StmtKind::Empty => {}
            StmtKind::Expr(e) => match &e.kind {
                ExprKind::Call(f, args, ell) => self.call(f, args, *ell, false, e.pos)?,
                ExprKind::Unary("<-", ch) => {
                    self.expr(ch)?;
                    self.emit(Op::Recv(false));
                    self.emit(Op::Pop);
                }
                ExprKind::Paren(x) => {
                    let st = Stmt {
                        kind: StmtKind::Expr((**x).clone()),
                        pos: s.pos,
                    };
                    self.stmt(&st)?;
                }
                _ => return err(e.pos, "expression is not used"),
            },
            StmtKind::Send(ch, v) => {
                literal_not_chan(ch)?;
                self.expr(ch)?;
                self.expr(v)?;
                self.emit(Op::Send);
            }
            StmtKind::IncDec(x, inc) if matches!(&x.kind, ExprKind::Ident(n) if matches!(self.resolve(n), Some(Sym::Local(_, false, None)))) => {
                if let ExprKind::Ident(n) = &x.kind {
                    if let Some(Sym::Local(slot, false, None)) = self.resolve(n) {
                        self.emit(Op::IncLocal(slot, if *inc { 1 } else { -1 }));
                    }
                }
            }
            StmtKind::IncDec(x, inc) => {
                let one = Expr {
                    kind: ExprKind::Int(1),
                    pos: s.pos,
                };
                let op = if *inc { "+=" } else { "-=" };
                self.assign(
                    std::slice::from_ref(x),
                    op,
                    std::slice::from_ref(&one),
                    s.pos,
                )?;
            }
            StmtKind::Assign(l, op, r) => self.assign(l, op, r, s.pos)?,
            StmtKind::Define(l, r) => self.define(l, r, s.pos)?,
            StmtKind::Var(specs) => {
                for spec in specs {
                    let ty = match &spec.ty {
                        Some(t) => Some(self.resolve_type(t)?),
                        None => None,
                    };
                    let co = ty.as_ref().and_then(|t| self.coerce_for(t));
                    let hints: Vec<Option<String>> = match &spec.ty {
                        Some(t) => vec![self.type_expr_name(t); spec.names.len()],
                        None if spec.values.len() == spec.names.len() => {
                            spec.values.iter().map(|v| self.expr_hint(v)).collect()
                        }
                        None => Vec::new(),
                    };
                    self.init_values(spec, ty.as_ref())?;
                    let mut slots = Vec::new();
                    for (k, (name, _)) in spec.names.iter().enumerate() {
                        let (slot, boxed) = self.declare(name, co);
                        if let Some(Some(h)) = hints.get(k) {
                            self.f().hints.insert(slot, Rc::from(h.as_str()));
                        }
                        slots.push((slot, boxed));
                    }
                    for (slot, boxed) in slots.into_iter().rev() {
                        if let Some(c) = co {
                            self.emit(Op::Coerce(c));
                        }
                        if self.f().hints.get(&slot).is_some_and(|h| &**h == "float32") {
                            self.emit(Op::RoundF32);
                        }
                        self.emit(if boxed {
                            Op::NewBox(slot)
                        } else {
                            Op::Store(slot)
                        });
                    }
                }
            }
            StmtKind::Const(specs) => self.consts(specs, false)?,
            StmtKind::Type(specs) => self.declare_types(specs, false)?,
            StmtKind::Go(e) | StmtKind::Defer(e) => {
                let is_go = matches!(s.kind, StmtKind::Go(_));
                self.go_defer(e, is_go)?;
            }
            StmtKind::Return(es) => self.ret(es, s.pos)?,
            StmtKind::Break(label) => {
                let j = self.emit(Op::Jump(0));
                let idx = self.find_loop(label.as_deref(), false, s.pos)?;
                self.f().loops[idx].breaks.push(j);
            }
            StmtKind::Continue(label) => {
                let j = self.emit(Op::Jump(0));
                let idx = self.find_loop(label.as_deref(), true, s.pos)?;
                self.f().loops[idx].continues.push(j);
            }
            StmtKind::Fallthrough => return err(s.pos, "fallthrough statement out of place"),
            StmtKind::Block(b) => {
                self.push_scope();
                self.block_stmts(&b.stmts)?;
                self.pop_scope();
            }
            StmtKind::If(init, cond, then, els) => {
                self.push_scope();
                if let Some(i) = init {
                    self.stmt(i)?;
                }
                self.line = cond.pos.line;
                self.expr(cond)?;
                let jf = self.emit(Op::JumpIfFalse(0));
                self.push_scope();
                self.block_stmts(&then.stmts)?;
                self.pop_scope();
                match els {
                    Some(e) => {
                        let je = self.emit(Op::Jump(0));
                        let h = self.here();
                        self.patch(jf, h);
                        self.stmt(e)?;
                        let h = self.here();
                        self.patch(je, h);
                    }
                    None => {
                        let h = self.here();
                        self.patch(jf, h);
                    }
                }
                self.pop_scope();
            }
            StmtKind::For(init, cond, post, body, label) => self.for_stmt(
                init.as_deref(),
                cond.as_ref(),
                post.as_deref(),
                body,
                label.clone(),
            )?,
            StmtKind::Range(k, v, define, x, body, label) => self.range_stmt(
                k.as_ref(),
                v.as_ref(),
                *define,
                x,
                body,
                label.clone(),
                s.pos,
            )?,
            StmtKind::Switch(init, tag, clauses, label) => {
                self.switch_stmt(init.as_deref(), tag.as_ref(), clauses, label.clone())?
            }
            StmtKind::TypeSwitch(init, bind, x, clauses, label) => {
                self.type_switch(init.as_deref(), bind.as_deref(), x, clauses, label.clone())?
            }
            StmtKind::Select(clauses, label) => self.select_stmt(clauses, label.clone(), s.pos)?,
            StmtKind::Labeled(label, inner) => {
                // Labels on loops are attached by the parser; a bare label only serves goto.
                let _ = label;
                self.stmt(inner)?;
            }
        }
        Ok(())
    }

    fn find_loop(&mut self, label: Option<&str>, is_continue: bool, pos: Pos) -> CResult<usize> {
        let loops = &self.f().loops;
        for i in (0..loops.len()).rev() {
            let l = &loops[i];
            match label {
                Some(lb) => {
                    if l.label.as_deref() == Some(lb) {
                        if is_continue && !l.is_loop {
                            return err(pos, format!("invalid continue label {lb}"));
                        }
                        return Ok(i);
                    }
                }
                None => {
                    if !is_continue || l.is_loop {
                        return Ok(i);
                    }
                }
            }
        }
        match label {
            Some(l) => err(
                pos,
                format!(
                    "invalid {} label {l}",
                    if is_continue { "continue" } else { "break" }
                ),
            ),
            None => err(
                pos,
                format!(
                    "{} is not in a loop{}",
                    if is_continue { "continue" } else { "break" },
                    if is_continue {
                        ""
                    } else {
                        ", switch, or select"
                    }
                ),
            ),
        }
    }

    fn end_loop(&mut self, cont_target: usize, end: usize) {
        if let Some(l) = self.f().loops.pop() {
            for b in l.breaks {
                self.patch(b, end);
            }
            for c in l.continues {
                self.patch(c, cont_target);
            }
        }
    }

    fn for_stmt(
        &mut self,
        init: Option<&Stmt>,
        cond: Option<&Expr>,
        post: Option<&Stmt>,
        body: &Block,
        label: Option<String>,
    ) -> CResult<()> {
        self.push_scope();
        let for_line = self.line;
        let mut loop_vars: Vec<u16> = Vec::new();
        let mut traced: Vec<u16> = Vec::new();
        if let Some(i) = init {
            self.stmt(i)?;
            if let StmtKind::Define(l, _) = &i.kind {
                for e in l {
                    if let ExprKind::Ident(n) = &e.kind {
                        let sym = self.f().scopes.last().and_then(|s| s.get(n)).cloned();
                        if let Some(Sym::Local(slot, true, _)) = sym {
                            loop_vars.push(slot);
                            // Only captured (or address-taken) variables are
                            // traced: for the others one variable per loop and
                            // one per iteration cannot be told apart, and
                            // tracing them would cost an event per iteration.
                            if self.trace {
                                traced.push(self.trace_loop_var(for_line, n, slot, !self.go121));
                            }
                        }
                    }
                }
            }
        }
        self.emit_loop_vars(&traced, true);
        let top = self.here();
        let mut jf = None;
        if let Some(c) = cond {
            self.line = c.pos.line;
            self.expr(c)?;
            jf = Some(self.emit(Op::JumpIfFalse(0)));
        }
        self.emit_loop_vars(&traced, false);
        self.f().loops.push(LoopCtx {
            label,
            breaks: Vec::new(),
            continues: Vec::new(),
            is_loop: true,
        });
        self.push_scope();
        self.block_stmts(&body.stmts)?;
        self.pop_scope();
        let cont = self.here();
        if !self.go121 {
            // Go 1.22: each iteration has its own copy, made before the post statement.
            for s in &loop_vars {
                self.emit(Op::Rebox(*s));
            }
            self.emit_loop_vars(&traced, true);
        }
        if let Some(p) = post {
            self.stmt(p)?;
        }
        self.emit(Op::Jump(top as u32));
        let end = self.here();
        if let Some(j) = jf {
            self.patch(j, end);
        }
        // the value the loop ended with (the condition saw it)
        self.emit_loop_vars(&traced, false);
        self.end_loop(cont, end);
        self.pop_scope();
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn range_stmt(
        &mut self,
        k: Option<&Expr>,
        v: Option<&Expr>,
        define: bool,
        x: &Expr,
        body: &Block,
        label: Option<String>,
        pos: Pos,
    ) -> CResult<()> {
        if self.go121 {
            let is_int = matches!(self.const_eval(x), Some(Value::Int(_)));
            if is_int {
                return err(x.pos, format!("cannot range over {} (untyped int constant): requires go1.22 or later (-lang was set to go1.21; check go.mod)", expr_text(x)));
            }
        }
        self.push_scope();
        self.expr(x)?;
        self.emit(Op::RangeInit);
        let it = self.new_local();
        self.emit(Op::Store(it));
        let names = |e: Option<&Expr>| -> Option<String> {
            match e.map(|e| &e.kind) {
                Some(ExprKind::Ident(n)) => Some(n.clone()),
                _ => None,
            }
        };
        let (kname, vname) = (names(k), names(v));
        let per_iter = define && !self.go121;
        let for_line = self.line;
        let mut traced: Vec<u16> = Vec::new();
        let mut pre: Vec<(u16, bool)> = Vec::new();
        if define && !per_iter {
            for n in [&kname, &vname].into_iter().flatten() {
                self.emit(Op::Nil);
                let (slot, boxed) = self.declare(n, None);
                self.emit(if boxed {
                    Op::NewBox(slot)
                } else {
                    Op::Store(slot)
                });
                pre.push((slot, boxed));
                if self.trace && boxed && n != "_" {
                    traced.push(self.trace_loop_var(for_line, n, slot, false));
                }
            }
            self.emit_loop_vars(&traced, true);
        }
        let top = self.here();
        let next = self.emit(Op::RangeNext(it, 0));
        self.push_scope();
        // stack: key, value
        if define {
            let targets: Vec<Option<String>> = vec![kname.clone(), vname.clone()];
            let mut slots: Vec<Option<(u16, bool)>> = Vec::new();
            let mut pi = 0;
            for t in &targets {
                match t {
                    Some(n) if n != "_" => {
                        if per_iter {
                            slots.push(Some(self.declare(n, None)));
                        } else {
                            slots.push(Some(pre[pi]));
                            pi += 1;
                        }
                    }
                    Some(_) => {
                        if !per_iter {
                            pi += 1;
                        }
                        slots.push(None)
                    }
                    None => slots.push(None),
                }
            }
            if per_iter && self.trace {
                for (t, s) in targets.iter().zip(&slots) {
                    if let (Some(n), Some((slot, true))) = (t, s) {
                        traced.push(self.trace_loop_var(for_line, n, *slot, true));
                    }
                }
            }
            for s in slots.into_iter().rev() {
                match s {
                    Some((slot, boxed)) => {
                        let op = if boxed {
                            if per_iter {
                                Op::NewBox(slot)
                            } else {
                                Op::StoreBox(slot)
                            }
                        } else {
                            Op::Store(slot)
                        };
                        self.emit(op);
                    }
                    None => {
                        self.emit(Op::Pop);
                    }
                }
            }
        } else {
            // assignment form: value is on top
            match v {
                Some(ve) if !is_blank(ve) => self.store_to(ve)?,
                _ => {
                    self.emit(Op::Pop);
                }
            }
            match k {
                Some(ke) if !is_blank(ke) => self.store_to(ke)?,
                _ => {
                    self.emit(Op::Pop);
                }
            }
        }
        let _ = pos;
        self.emit_loop_vars(&traced, per_iter);
        self.f().loops.push(LoopCtx {
            label,
            breaks: Vec::new(),
            continues: Vec::new(),
            is_loop: true,
        });
        self.block_stmts(&body.stmts)?;
        self.pop_scope();
        self.emit(Op::Jump(top as u32));
        let end = self.here();
        self.patch(next, end);
        self.end_loop(top, end);
        self.pop_scope();
        Ok(())
    }

    fn trace_loop_var(&mut self, line: u32, name: &str, slot: u16, per_iteration: bool) -> u16 {
        let vars = &mut self.f().proto.loop_vars;
        vars.push(LoopVarInfo {
            line,
            name: name.to_string(),
            slot,
            per_iteration,
        });
        (vars.len() - 1) as u16
    }

    fn emit_loop_vars(&mut self, traced: &[u16], fresh: bool) {
        for i in traced {
            self.emit(Op::LoopVar(*i, fresh));
        }
    }

    fn switch_stmt(
        &mut self,
        init: Option<&Stmt>,
        tag: Option<&Expr>,
        clauses: &[CaseClause],
        label: Option<String>,
    ) -> CResult<()> {
        self.push_scope();
        if let Some(i) = init {
            self.stmt(i)?;
        }
        let tmp = match tag {
            Some(t) => {
                self.expr(t)?;
                let s = self.new_local();
                self.emit(Op::Store(s));
                Some(s)
            }
            None => None,
        };
        let mut body_jumps: Vec<Vec<usize>> = Vec::new();
        for c in clauses {
            let mut js = Vec::new();
            for e in &c.exprs {
                self.line = e.pos.line;
                if let Some(t) = tmp {
                    self.emit(Op::Load(t));
                    self.expr(e)?;
                    self.emit(Op::Bin(BinOp::Eq));
                } else {
                    self.expr(e)?;
                }
                js.push(self.emit(Op::JumpIfTrue(0)));
            }
            body_jumps.push(js);
        }
        let to_default = self.emit(Op::Jump(0));
        self.f().loops.push(LoopCtx {
            label,
            breaks: Vec::new(),
            continues: Vec::new(),
            is_loop: false,
        });
        let mut ends = Vec::new();
        let mut fall_from: Option<usize> = None;
        let mut default_start = None;
        for (i, c) in clauses.iter().enumerate() {
            let start = self.here();
            if let Some(f) = fall_from.take() {
                self.patch(f, start);
            }
            for j in &body_jumps[i] {
                self.patch(*j, start);
            }
            if c.is_default {
                default_start = Some(start);
            }
            self.push_scope();
            let (body, falls) = match c.body.last() {
                Some(Stmt {
                    kind: StmtKind::Fallthrough,
                    ..
                }) => (&c.body[..c.body.len() - 1], true),
                _ => (&c.body[..], false),
            };
            self.block_stmts(body)?;
            self.pop_scope();
            if falls {
                if i + 1 == clauses.len() {
                    return err(c.pos, "cannot fallthrough final case in switch");
                }
                fall_from = Some(self.emit(Op::Jump(0)));
            } else {
                ends.push(self.emit(Op::Jump(0)));
            }
        }
        let end = self.here();
        self.patch(to_default, default_start.unwrap_or(end));
        for e in ends {
            self.patch(e, end);
        }
        self.end_loop(end, end);
        self.pop_scope();
        Ok(())
    }

    fn type_switch(
        &mut self,
        init: Option<&Stmt>,
        bind: Option<&str>,
        x: &Expr,
        clauses: &[CaseClause],
        label: Option<String>,
    ) -> CResult<()> {
        self.push_scope();
        if let Some(i) = init {
            self.stmt(i)?;
        }
        self.expr(x)?;
        let tmp = self.new_local();
        self.emit(Op::Store(tmp));
        let mut body_jumps: Vec<Vec<usize>> = Vec::new();
        for c in clauses {
            let mut js = Vec::new();
            for t in &c.types {
                self.emit(Op::Load(tmp));
                let ty = match t {
                    Some(te) => self.resolve_type(te)?,
                    None => Ty::Unknown,
                };
                let ti = self.ty_idx(&ty);
                self.emit(Op::TypeIs(ti));
                js.push(self.emit(Op::JumpIfTrue(0)));
            }
            body_jumps.push(js);
        }
        let to_default = self.emit(Op::Jump(0));
        self.f().loops.push(LoopCtx {
            label,
            breaks: Vec::new(),
            continues: Vec::new(),
            is_loop: false,
        });
        let mut ends = Vec::new();
        let mut default_start = None;
        for (i, c) in clauses.iter().enumerate() {
            let start = self.here();
            for j in &body_jumps[i] {
                self.patch(*j, start);
            }
            if c.is_default {
                default_start = Some(start);
            }
            self.push_scope();
            if let Some(b) = bind {
                self.emit(Op::Load(tmp));
                let (slot, boxed) = self.declare(b, None);
                self.emit(if boxed {
                    Op::NewBox(slot)
                } else {
                    Op::Store(slot)
                });
            }
            self.block_stmts(&c.body)?;
            self.pop_scope();
            ends.push(self.emit(Op::Jump(0)));
        }
        let end = self.here();
        self.patch(to_default, default_start.unwrap_or(end));
        for e in ends {
            self.patch(e, end);
        }
        self.end_loop(end, end);
        self.pop_scope();
        Ok(())
    }

    fn select_stmt(
        &mut self,
        clauses: &[CommClause],
        label: Option<String>,
        pos: Pos,
    ) -> CResult<()> {
        let mut sends = Vec::new();
        let mut has_default = false;
        for c in clauses {
            self.line = c.pos.line;
            match &c.comm {
                CommKind::Send(ch, v) => {
                    literal_not_chan(ch)?;
                    self.expr(ch)?;
                    self.expr(v)?;
                    sends.push(true);
                }
                CommKind::Recv(_, _, ch) => {
                    self.expr(ch)?;
                    sends.push(false);
                }
                CommKind::Default => {
                    if has_default {
                        return err(c.pos, "multiple defaults in select");
                    }
                    has_default = true;
                }
            }
        }
        self.line = pos.line;
        let di = self.prog.selects.len() as u32;
        self.prog.selects.push(SelectDesc { sends, has_default });
        self.emit(Op::Select(di));
        self.push_scope();
        let t_ok = self.new_local();
        let t_val = self.new_local();
        let t_idx = self.new_local();
        self.emit(Op::Store(t_ok));
        self.emit(Op::Store(t_val));
        self.emit(Op::Store(t_idx));
        self.f().loops.push(LoopCtx {
            label,
            breaks: Vec::new(),
            continues: Vec::new(),
            is_loop: false,
        });
        let mut ends = Vec::new();
        let mut case_no = 0i64;
        let ncases = clauses
            .iter()
            .filter(|c| !matches!(c.comm, CommKind::Default))
            .count() as i64;
        for c in clauses {
            self.line = c.pos.line;
            let idx = match c.comm {
                CommKind::Default => ncases,
                _ => {
                    case_no += 1;
                    case_no - 1
                }
            };
            self.emit(Op::Load(t_idx));
            self.emit(Op::Int(idx));
            self.emit(Op::Bin(BinOp::Eq));
            let skip = self.emit(Op::JumpIfFalse(0));
            self.push_scope();
            if let CommKind::Recv(lhs, define, _) = &c.comm {
                let temps = [t_val, t_ok];
                if *define {
                    for (e, t) in lhs.iter().zip(temps.iter()) {
                        if let ExprKind::Ident(n) = &e.kind {
                            self.emit(Op::Load(*t));
                            let (slot, boxed) = self.declare(n, None);
                            self.emit(if boxed {
                                Op::NewBox(slot)
                            } else {
                                Op::Store(slot)
                            });
                        }
                    }
                } else {
                    for (e, t) in lhs.iter().zip(temps.iter()) {
                        if is_blank(e) {
                            continue;
                        }
                        self.emit(Op::Load(*t));
                        self.store_to(e)?;
                    }
                }
            }
            self.block_stmts(&c.body)?;
            self.pop_scope();
            ends.push(self.emit(Op::Jump(0)));
            let h = self.here();
            self.patch(skip, h);
        }
        let end = self.here();
        for e in ends {
            self.patch(e, end);
        }
        self.end_loop(end, end);
        self.pop_scope();
        Ok(())
    }

    fn ret(&mut self, es: &[Expr], pos: Pos) -> CResult<()> {
        let nres = self.f().results.len();
        if es.is_empty() {
            if nres > 0 && !self.f().named_results {
                return err(pos, "not enough return values\n\thave ()");
            }
            self.emit(Op::Return(0));
            return Ok(());
        }
        if es.len() == 1 && nres > 1 {
            self.multi_value(&es[0], nres)?;
        } else {
            if es.len() != nres {
                return err(
                    pos,
                    if es.len() > nres {
                        "too many return values"
                    } else {
                        "not enough return values"
                    },
                );
            }
            for e in es {
                self.expr(e)?;
            }
        }
        self.emit(Op::Return(nres as u8));
        Ok(())
    }

    fn go_defer(&mut self, e: &Expr, is_go: bool) -> CResult<()> {
        let start = self.f().proto.code.len();
        self.go_defer_ops(e, is_go)?;
        if !is_go {
            if let ExprKind::Call(f, _, _) = &e.kind {
                let name = match &f.kind {
                    ExprKind::FuncLit(..) => "func literal".to_string(),
                    _ => expr_text(f),
                };
                // the defer op is the last one emitted for the statement
                let pc = self.f().proto.code.len().saturating_sub(1).max(start) as u32;
                self.f().proto.defer_names.push((pc, name));
            }
        }
        Ok(())
    }

    fn go_defer_ops(&mut self, e: &Expr, is_go: bool) -> CResult<()> {
        let (f, args, ell) = match &e.kind {
            ExprKind::Call(f, a, ell) => (&**f, a, *ell),
            _ => return err(e.pos, "expression in go/defer must be function call"),
        };
        let mut f = f;
        while let ExprKind::Paren(x) = &f.kind {
            f = x;
        }
        // Builtins and package functions.
        let native = match &f.kind {
            ExprKind::Ident(n) => match self.resolve(n) {
                Some(Sym::Builtin(b)) => Some(("", b.to_string(), f.pos)),
                _ => None,
            },
            ExprKind::Selector(x, n) => match &x.kind {
                ExprKind::Ident(p) => match self.resolve(p) {
                    Some(Sym::Pkg(pk)) => Some((pk, n.clone(), f.pos)),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        if let Some((pkg, name, p)) = native {
            if is_go {
                // `go pkg.F(args)`: arguments are evaluated now and the call runs
                // in the new goroutine, exactly like `go func(a...) { pkg.F(a...) }(args)`.
                if ell {
                    return unsupported(p, "go statement with spread arguments to a builtin");
                }
                let params: Vec<Param> = (0..args.len())
                    .map(|i| Param {
                        name: Some(format!("arg·{i}")),
                        ty: TypeExpr::Name("any".into(), p),
                        variadic: false,
                        pos: p,
                    })
                    .collect();
                let call_args: Vec<Expr> = (0..args.len())
                    .map(|i| Expr {
                        kind: ExprKind::Ident(format!("arg·{i}")),
                        pos: p,
                    })
                    .collect();
                let body = Block {
                    stmts: vec![Stmt {
                        kind: StmtKind::Expr(Expr {
                            kind: ExprKind::Call(Box::new(f.clone()), call_args, false),
                            pos: p,
                        }),
                        pos: p,
                    }],
                    end: p,
                };
                let sig = FuncType {
                    params,
                    results: Vec::new(),
                };
                self.func_lit(&sig, &body, p)?;
                for a in args {
                    self.expr(a)?;
                }
                self.emit(Op::Go(args.len() as u8, false));
                return Ok(());
            }
            if pkg.is_empty() && (name == "recover" || name == "make" || name == "new") {
                for a in args {
                    self.expr(a)?;
                }
                let id = native_id("", &name).unwrap_or(0);
                self.emit(Op::DeferNative(id, args.len() as u8));
                return Ok(());
            }
            let id = match native_id(pkg, &name) {
                Some(i) => i,
                None => return unsupported(p, &format!("{pkg}.{name}")),
            };
            if pkg == "sort" {
                self.check_sort_interface(&name, args, p)?;
                if self.user_sort_methods(&name, args).is_some() {
                    return unsupported(p, "deferred sort of a user-defined sort.Interface");
                }
            }
            for a in args {
                self.expr(a)?;
            }
            if let Some(k) = self.fmt_hints(pkg, &name, args) {
                self.emit(Op::TypeHints(k));
            }
            self.emit(Op::DeferNative(id, args.len() as u8));
            return Ok(());
        }
        if let ExprKind::Selector(x, name) = &f.kind {
            self.expr_ref(x)?;
            for a in args {
                self.expr(a)?;
            }
            let s = self.sym(name);
            if ell {
                return unsupported(e.pos, "spread arguments in go/defer method call");
            }
            self.emit(if is_go {
                Op::GoMethod(s, args.len() as u8)
            } else {
                Op::DeferMethod(s, args.len() as u8)
            });
            return Ok(());
        }
        self.expr(f)?;
        for a in args {
            self.expr(a)?;
        }
        self.emit(if is_go {
            Op::Go(args.len() as u8, ell)
        } else {
            Op::Defer(args.len() as u8, ell)
        });
        Ok(())
    }

    // ---------------------------------------------------------------- assignment

    fn define(&mut self, l: &[Expr], r: &[Expr], pos: Pos) -> CResult<()> {
        let names: Vec<&str> = l
            .iter()
            .map(|e| match &e.kind {
                ExprKind::Ident(n) => n.as_str(),
                _ => "_",
            })
            .collect();
        let any_new = names.iter().any(|n| {
            *n == "_"
                || !self
                    .f()
                    .scopes
                    .last()
                    .map(|s| s.contains_key(*n))
                    .unwrap_or(false)
        });
        if !any_new {
            return err(pos, "no new variables on left side of :=");
        }
        if r.len() == l.len() {
            for e in r {
                self.expr(e)?;
            }
        } else if r.len() == 1 {
            self.multi_value(&r[0], l.len())?;
        } else {
            return err(
                pos,
                format!(
                    "assignment mismatch: {} variables but {} values",
                    l.len(),
                    r.len()
                ),
            );
        }
        let hints: Vec<Option<String>> = if r.len() == l.len() {
            r.iter().map(|e| self.expr_hint(e)).collect()
        } else {
            Vec::new()
        };
        // Resolve targets first (existing vars in the same scope are reassigned).
        let mut targets = Vec::new();
        for (i, n) in names.iter().enumerate() {
            if *n == "_" {
                targets.push(None);
                continue;
            }
            let existing = self.f().scopes.last().and_then(|s| s.get(*n)).cloned();
            match existing {
                Some(Sym::Local(slot, boxed, co)) => targets.push(Some((slot, boxed, false, co))),
                _ => {
                    let (slot, boxed) = self.declare(n, None);
                    if let Some(Some(h)) = hints.get(i) {
                        self.f().hints.insert(slot, Rc::from(h.as_str()));
                    }
                    targets.push(Some((slot, boxed, true, None)));
                }
            }
        }
        for t in targets.into_iter().rev() {
            match t {
                None => {
                    self.emit(Op::Pop);
                }
                Some((slot, boxed, fresh, co)) => {
                    if self.f().hints.get(&slot).is_some_and(|h| &**h == "float32") {
                        self.emit(Op::RoundF32);
                    }
                    if let Some(c) = co {
                        self.emit(Op::Coerce(c));
                    }
                    let op = match (boxed, fresh) {
                        (true, true) => Op::NewBox(slot),
                        (true, false) => Op::StoreBox(slot),
                        _ => Op::Store(slot),
                    };
                    self.emit(op);
                }
            }
        }
        Ok(())
    }

    /// Pushes `n` values produced by a single multi-valued expression.
    fn multi_value(&mut self, e: &Expr, n: usize) -> CResult<()> {
        match &e.kind {
            ExprKind::Call(f, args, ell) => {
                self.call(f, args, *ell, true, e.pos)?;
            }
            ExprKind::Index(x, idx) if n == 2 => {
                self.expr_ref(x)?;
                self.expr(&idx[0])?;
                self.emit(Op::MapIndexOk);
            }
            ExprKind::Unary("<-", ch) if n == 2 => {
                self.expr(ch)?;
                self.emit(Op::Recv(true));
            }
            ExprKind::TypeAssert(x, Some(t)) if n == 2 => {
                self.expr(x)?;
                let ty = self.resolve_type(t)?;
                let ti = self.ty_idx(&ty);
                self.emit(Op::TypeAssert(ti, true));
            }
            ExprKind::Paren(x) => return self.multi_value(x, n),
            _ => {
                return err(
                    e.pos,
                    format!("assignment mismatch: {n} variables but 1 value"),
                )
            }
        }
        Ok(())
    }

    fn assign(&mut self, l: &[Expr], op: &str, r: &[Expr], pos: Pos) -> CResult<()> {
        if op != "=" {
            let bop = match binop_of(&op[..op.len() - 1]) {
                Some(b) => b,
                None => return err(pos, format!("unknown operator {op}")),
            };
            if l.len() != 1 || r.len() != 1 {
                return err(
                    pos,
                    format!("assignment operation {op} requires single-valued expressions"),
                );
            }
            let target = &l[0];
            self.place_prefix(target)?;
            self.expr(target)?;
            self.expr(&r[0])?;
            self.emit(Op::Bin(bop));
            self.place_store(target)?;
            return Ok(());
        }
        if l.len() == 1 && r.len() == 1 {
            if is_blank(&l[0]) {
                self.expr(&r[0])?;
                self.emit(Op::Pop);
                return Ok(());
            }
            self.place_prefix(&l[0])?;
            self.expr(&r[0])?;
            self.place_store(&l[0])?;
            return Ok(());
        }
        if r.len() == l.len() {
            for e in r {
                self.expr(e)?;
            }
        } else if r.len() == 1 {
            self.multi_value(&r[0], l.len())?;
        } else {
            return err(
                pos,
                format!(
                    "assignment mismatch: {} variables but {} values",
                    l.len(),
                    r.len()
                ),
            );
        }
        let mut temps = Vec::new();
        for _ in 0..l.len() {
            temps.push(self.new_local());
        }
        for t in temps.iter().rev() {
            self.emit(Op::Store(*t));
        }
        for (e, t) in l.iter().zip(temps.iter()) {
            if is_blank(e) {
                continue;
            }
            self.place_prefix(e)?;
            self.emit(Op::Load(*t));
            self.place_store(e)?;
        }
        Ok(())
    }

    /// Stores the value on top of the stack into `e` (used by range/select).
    fn store_to(&mut self, e: &Expr) -> CResult<()> {
        let t = self.new_local();
        self.emit(Op::Store(t));
        self.place_prefix(e)?;
        self.emit(Op::Load(t));
        self.place_store(e)
    }

    /// Pushes the operands that locate a place (container, index...).
    fn place_prefix(&mut self, e: &Expr) -> CResult<()> {
        match &e.kind {
            ExprKind::Ident(_) => Ok(()),
            ExprKind::Paren(x) => self.place_prefix(x),
            ExprKind::Selector(x, _) => {
                if let ExprKind::Ident(p) = &x.kind {
                    if let Some(Sym::Pkg(_)) = self.resolve(p) {
                        return err(e.pos, "cannot assign to package member");
                    }
                }
                self.expr_ref(x)
            }
            ExprKind::Index(x, i) => {
                self.expr_ref(x)?;
                self.expr(&i[0])
            }
            ExprKind::Unary("*", x) => self.expr(x),
            _ => err(e.pos, format!("cannot assign to {}", expr_text(e))),
        }
    }

    fn place_store(&mut self, e: &Expr) -> CResult<()> {
        self.round_if_float32(e);
        match &e.kind {
            ExprKind::Ident(n) => {
                if n == "_" {
                    self.emit(Op::Pop);
                    return Ok(());
                }
                match self.resolve(n) {
                    Some(Sym::Local(slot, boxed, co)) => {
                        if let Some(c) = co {
                            self.emit(Op::Coerce(c));
                        }
                        self.emit(if boxed {
                            Op::StoreBox(slot)
                        } else {
                            Op::Store(slot)
                        });
                    }
                    Some(Sym::Up(i, co)) => {
                        if let Some(c) = co {
                            self.emit(Op::Coerce(c));
                        }
                        self.emit(Op::StoreUp(i));
                    }
                    Some(Sym::Global(i, co)) => {
                        if let Some(c) = co {
                            self.emit(Op::Coerce(c));
                        }
                        self.emit(Op::StoreGlobal(i));
                    }
                    Some(_) => {
                        return err(
                            e.pos,
                            format!(
                            "cannot assign to {n} (neither addressable nor a map index expression)"
                        ),
                        )
                    }
                    None => return err(e.pos, format!("undefined: {n}")),
                }
                Ok(())
            }
            ExprKind::Paren(x) => self.place_store(x),
            ExprKind::Selector(_, name) => {
                let s = self.sym(name);
                self.emit(Op::SetField(s));
                Ok(())
            }
            ExprKind::Index(..) => {
                self.emit(Op::SetIndex);
                Ok(())
            }
            ExprKind::Unary("*", _) => {
                self.emit(Op::SetDeref);
                Ok(())
            }
            _ => err(e.pos, format!("cannot assign to {}", expr_text(e))),
        }
    }

    // ---------------------------------------------------------------- expressions

    fn expr_typed(&mut self, e: &Expr, ty: Option<&Ty>) -> CResult<()> {
        if let (ExprKind::Composite(None, elems), Some(t)) = (&e.kind, ty) {
            return self.composite(t, elems, e.pos);
        }
        self.expr(e)
    }

    /// Compiles an expression used as the base of a field/index access or as a
    /// method receiver: no copy, so mutations reach the variable.
    fn expr_ref(&mut self, e: &Expr) -> CResult<()> {
        match &e.kind {
            ExprKind::Ident(n) => match self.resolve(n) {
                Some(Sym::Local(slot, boxed, _)) => {
                    self.emit(if boxed {
                        Op::LoadBoxRef(slot)
                    } else {
                        Op::LoadRef(slot)
                    });
                    Ok(())
                }
                Some(Sym::Up(i, _)) => {
                    self.emit(Op::LoadUpRef(i));
                    Ok(())
                }
                Some(Sym::Global(i, _)) => {
                    self.emit(Op::LoadGlobalRef(i));
                    Ok(())
                }
                _ => self.expr(e),
            },
            ExprKind::Paren(x) => self.expr_ref(x),
            ExprKind::Selector(x, name) => {
                if let ExprKind::Ident(p) = &x.kind {
                    if let Some(Sym::Pkg(_)) = self.resolve(p) {
                        return self.expr(e);
                    }
                }
                self.expr_ref(x)?;
                let s = self.sym(name);
                self.emit(Op::FieldRef(s));
                Ok(())
            }
            ExprKind::Index(x, i) => {
                self.expr_ref(x)?;
                self.expr(&i[0])?;
                self.emit(Op::IndexRef);
                Ok(())
            }
            ExprKind::Unary("*", x) => {
                self.expr(x)?;
                self.emit(Op::DerefRef);
                Ok(())
            }
            _ => self.expr(e),
        }
    }

    fn expr(&mut self, e: &Expr) -> CResult<()> {
        match &e.kind {
            ExprKind::Int(v) | ExprKind::Char(v) => {
                self.emit(Op::Int(*v));
            }
            ExprKind::Float(v) => {
                let k = self.konst(Value::Float(*v));
                self.emit(Op::Const(k));
            }
            ExprKind::Str(s) => {
                let k = self.konst(Value::str(s));
                self.emit(Op::Const(k));
            }
            ExprKind::Paren(x) => self.expr(x)?,
            ExprKind::Ident(n) => self.ident(n, e.pos)?,
            ExprKind::FuncLit(sig, body) => self.func_lit(sig, body, e.pos)?,
            ExprKind::Composite(ty, elems) => {
                let t = match ty {
                    Some(te) => self.resolve_type(te)?,
                    None => return err(e.pos, "invalid composite literal type: missing type"),
                };
                self.composite(&t, elems, e.pos)?;
            }
            ExprKind::Selector(x, name) => {
                if let ExprKind::Ident(p) = &x.kind {
                    if let Some(Sym::Pkg(pk)) = self.resolve(p) {
                        if let Some(v) = pkg_const(pk, name) {
                            let k = self.konst(v);
                            self.emit(Op::Const(k));
                            return Ok(());
                        }
                        match native_id(pk, name) {
                            Some(id) if is_value(pk, name) => {
                                self.emit(Op::CallNative(id, 0, true));
                            }
                            Some(id) => {
                                self.emit(Op::NativeValue(id));
                            }
                            None => return unsupported(e.pos, &format!("{pk}.{name}")),
                        }
                        return Ok(());
                    }
                }
                self.expr_ref(x)?;
                let s = self.sym(name);
                self.emit(Op::Field(s));
            }
            ExprKind::Index(x, i) => {
                if i.len() != 1 {
                    return unsupported(e.pos, "generics");
                }
                self.expr_ref(x)?;
                self.expr(&i[0])?;
                self.emit(Op::Index);
            }
            ExprKind::Slice(x, lo, hi, max) => {
                self.expr_ref(x)?;
                for p in [lo, hi, max].into_iter().flatten() {
                    self.expr(p)?;
                }
                self.emit(Op::SliceOp(lo.is_some(), hi.is_some(), max.is_some()));
            }
            ExprKind::TypeAssert(x, t) => {
                let t = match t {
                    Some(t) => t,
                    None => return err(e.pos, "use of .(type) outside type switch"),
                };
                self.expr(x)?;
                let ty = self.resolve_type(t)?;
                let ti = self.ty_idx(&ty);
                self.emit(Op::TypeAssert(ti, false));
            }
            ExprKind::Call(f, args, ell) => self.call(f, args, *ell, true, e.pos)?,
            ExprKind::Unary(op, x) => match *op {
                "&" => self.addr_of(x)?,
                "*" => {
                    self.expr(x)?;
                    self.emit(Op::Deref);
                }
                "<-" => {
                    self.expr(x)?;
                    self.emit(Op::Recv(false));
                }
                _ => {
                    if let Some(v) = self.const_eval(e) {
                        let k = self.konst(v);
                        self.emit(Op::Const(k));
                        return Ok(());
                    }
                    self.expr(x)?;
                    let u = match *op {
                        "-" => UnOp::Neg,
                        "!" => UnOp::Not,
                        "^" => UnOp::BitNot,
                        _ => UnOp::Plus,
                    };
                    self.emit(Op::Un(u));
                }
            },
            ExprKind::Binary(op, a, b) => {
                if *op == "&&" || *op == "||" {
                    self.expr(a)?;
                    self.emit(Op::Dup);
                    let j = self.emit(if *op == "&&" {
                        Op::JumpIfFalse(0)
                    } else {
                        Op::JumpIfTrue(0)
                    });
                    self.emit(Op::Pop);
                    self.expr(b)?;
                    let h = self.here();
                    self.patch(j, h);
                    return Ok(());
                }
                if let Some(v) = self.const_eval(e) {
                    let k = self.konst(v);
                    self.emit(Op::Const(k));
                    return Ok(());
                }
                self.expr(a)?;
                self.expr(b)?;
                let bop = match binop_of(op) {
                    Some(b) => b,
                    None => return err(e.pos, format!("unknown operator {op}")),
                };
                self.emit(Op::Bin(bop));
            }
            ExprKind::Type(_) => {
                return err(
                    e.pos,
                    format!("{} (type) is not an expression", expr_text(e)),
                )
            }
        }
        Ok(())
    }

    fn ident(&mut self, n: &str, pos: Pos) -> CResult<()> {
        if n == "_" {
            return err(pos, "cannot use _ as value");
        }
        if n == "iota" {
            if let Some(i) = self.iota {
                self.emit(Op::Int(i));
                return Ok(());
            }
        }
        match self.resolve(n) {
            Some(Sym::Local(slot, boxed, _)) => {
                self.emit(if boxed {
                    Op::LoadBox(slot)
                } else {
                    Op::Load(slot)
                });
            }
            Some(Sym::Up(i, _)) => {
                self.emit(Op::LoadUp(i));
            }
            Some(Sym::Global(i, _)) => {
                self.emit(Op::LoadGlobal(i));
            }
            Some(Sym::Const(v, _)) => {
                match v {
                    Value::Int(i) => self.emit(Op::Int(i)),
                    Value::Bool(b) => self.emit(Op::Bool(b)),
                    Value::Nil => self.emit(Op::Nil),
                    v => {
                        let k = self.konst(v);
                        self.emit(Op::Const(k))
                    }
                };
            }
            Some(Sym::Func(i)) => {
                self.emit(Op::MakeClosure(i));
            }
            Some(Sym::BigConst(v)) => {
                return err(
                    pos,
                    format!("cannot use {n} (untyped int constant {v}) as int value (overflows)"),
                )
            }
            Some(Sym::Type(_)) => return err(pos, format!("{n} (type) is not an expression")),
            Some(Sym::Pkg(p)) => return err(pos, format!("use of package {p} without selector")),
            Some(Sym::Builtin(b)) => {
                return err(pos, format!("{b} (built-in function) must be called"));
            }
            None => return err(pos, format!("undefined: {n}")),
        }
        Ok(())
    }

    fn addr_of(&mut self, x: &Expr) -> CResult<()> {
        match &x.kind {
            ExprKind::Paren(i) => self.addr_of(i),
            ExprKind::Ident(n) => match self.resolve(n) {
                Some(Sym::Local(slot, true, _)) => {
                    self.emit(Op::AddrLocal(slot));
                    Ok(())
                }
                Some(Sym::Up(i, _)) => {
                    self.emit(Op::AddrUp(i));
                    Ok(())
                }
                Some(Sym::Global(i, _)) => {
                    self.emit(Op::AddrGlobal(i));
                    Ok(())
                }
                Some(Sym::Local(slot, false, _)) => {
                    self.emit(Op::LoadRef(slot));
                    self.emit(Op::AddrValue);
                    Ok(())
                }
                None => err(x.pos, format!("undefined: {n}")),
                _ => err(
                    x.pos,
                    format!("invalid operation: cannot take address of {n}"),
                ),
            },
            ExprKind::Selector(b, name) => {
                self.expr_ref(b)?;
                let s = self.sym(name);
                self.emit(Op::AddrField(s));
                Ok(())
            }
            ExprKind::Index(b, i) => {
                self.expr_ref(b)?;
                self.expr(&i[0])?;
                self.emit(Op::AddrIndex);
                Ok(())
            }
            ExprKind::Composite(..) => {
                self.expr(x)?;
                self.emit(Op::AddrValue);
                Ok(())
            }
            ExprKind::Unary("*", p) => self.expr(p),
            _ => err(
                x.pos,
                format!("invalid operation: cannot take address of {}", expr_text(x)),
            ),
        }
    }

    fn composite(&mut self, t: &Ty, elems: &[(Option<Expr>, Expr)], pos: Pos) -> CResult<()> {
        match t {
            Ty::Struct(id) => {
                let id = *id;
                let info = self.prog.structs[id as usize].clone();
                let keyed = elems.iter().any(|(k, _)| k.is_some());
                if keyed {
                    let mut idxs = Vec::new();
                    for (k, v) in elems {
                        let fname =
                            match k.as_ref().map(|k| &k.kind) {
                                Some(ExprKind::Ident(n)) => n.clone(),
                                _ => return err(
                                    v.pos,
                                    "mixture of field:value and value elements in struct literal",
                                ),
                            };
                        let fi = match info.fields.iter().position(|f| f.name == fname) {
                            Some(i) => i,
                            None => {
                                return err(
                                    k.as_ref().map(|k| k.pos).unwrap_or(pos),
                                    format!(
                                        "unknown field {fname} in struct literal of type {}",
                                        info.name.trim_start_matches("main.")
                                    ),
                                )
                            }
                        };
                        let fty = info.fields[fi].ty.clone();
                        self.expr_typed(v, Some(&fty))?;
                        idxs.push(fi as u32);
                    }
                    let ki = self.prog.keyed.len() as u32;
                    self.prog.keyed.push(idxs);
                    self.emit(Op::MakeStructKeyed(id, ki));
                } else {
                    if !elems.is_empty() && elems.len() != info.fields.len() {
                        return err(
                            pos,
                            format!(
                                "too {} values in struct literal of type {}",
                                if elems.len() < info.fields.len() {
                                    "few"
                                } else {
                                    "many"
                                },
                                info.name.trim_start_matches("main.")
                            ),
                        );
                    }
                    if elems.is_empty() {
                        let ki = self.prog.keyed.len() as u32;
                        self.prog.keyed.push(Vec::new());
                        self.emit(Op::MakeStructKeyed(id, ki));
                        return Ok(());
                    }
                    for ((_, v), f) in elems.iter().zip(info.fields.iter()) {
                        self.expr_typed(v, Some(&f.ty))?;
                    }
                    self.emit(Op::MakeStruct(id, elems.len() as u32));
                }
            }
            Ty::Slice(et) | Ty::Array(_, et) => {
                let mut next = 0i64;
                let mut max = 0i64;
                let keyed = elems.iter().any(|(k, _)| k.is_some());
                if keyed {
                    return unsupported(pos, "indexed elements in slice/array literal");
                }
                for (_, v) in elems {
                    self.elem(v, et)?;
                    next += 1;
                    max = max.max(next);
                }
                let ti = self.ty_idx(t);
                match t {
                    Ty::Array(n, _) => {
                        let n = if *n == usize::MAX { elems.len() } else { *n };
                        let real = Ty::Array(n, et.clone());
                        let ti = self.ty_idx(&real);
                        self.emit(Op::MakeArray(ti, elems.len() as u32));
                    }
                    _ => {
                        self.emit(Op::MakeSlice(ti, elems.len() as u32));
                    }
                }
            }
            Ty::Map(kt, vt) => {
                for (k, v) in elems {
                    let k = match k {
                        Some(k) => k,
                        None => return err(v.pos, "missing key in map literal"),
                    };
                    self.elem(k, kt)?;
                    self.elem(v, vt)?;
                }
                let ti = self.ty_idx(t);
                self.emit(Op::MakeMap(ti, elems.len() as u32));
            }
            Ty::Obj(_) | Ty::Dur | Ty::Int(_) | Ty::Str | Ty::Float | Ty::Bool
                if elems.is_empty() =>
            {
                let ti = self.ty_idx(t);
                self.emit(Op::Zero(ti));
            }
            Ty::Ptr(inner) => {
                self.composite(inner, elems, pos)?;
                self.emit(Op::AddrValue);
            }
            _ => return err(pos, "invalid composite literal type"),
        }
        Ok(())
    }

    fn elem(&mut self, v: &Expr, et: &Ty) -> CResult<()> {
        match &v.kind {
            ExprKind::Composite(None, inner) => self.composite(et, inner, v.pos),
            // A nil element of a slice or map literal keeps its static type
            // (`%#v` prints `[]int(nil)`).
            ExprKind::Ident(n)
                if n == "nil"
                    && matches!(et, Ty::Slice(_) | Ty::Map(..))
                    && matches!(self.resolve(n), Some(Sym::Const(Value::Nil, _))) =>
            {
                let ti = self.ty_idx(et);
                self.emit(Op::Zero(ti));
                Ok(())
            }
            _ => {
                self.expr(v)?;
                if let Some(c) = self.coerce_for(et) {
                    self.emit(Op::Coerce(c));
                }
                Ok(())
            }
        }
    }

    fn args(&mut self, args: &[Expr]) -> CResult<u8> {
        if args.len() > 250 {
            return unsupported(args[0].pos, "more than 250 arguments");
        }
        for a in args {
            self.expr(a)?;
        }
        Ok(args.len() as u8)
    }

    fn call(&mut self, f: &Expr, args: &[Expr], ell: bool, keep: bool, pos: Pos) -> CResult<()> {
        let saved = self.line;
        match &f.kind {
            ExprKind::Paren(x)
                if expr_to_type(x).is_none()
                    || matches!(x.kind, ExprKind::Ident(_))
                        && !matches!(self.resolve_name_kind(x), Some(true)) =>
            {
                return self.call(x, args, ell, keep, pos);
            }
            ExprKind::Ident(n) => match self.resolve(n) {
                Some(Sym::Builtin(b)) => return self.builtin(b, args, ell, keep, pos),
                Some(Sym::Type(t)) => {
                    self.conversion(&t, args, pos)?;
                    // float32 values are float64s rounded to float32 precision.
                    if n == "float32" && !self.named_types.contains_key(n) {
                        self.emit(Op::RoundF32);
                    }
                    return Ok(());
                }
                Some(Sym::Func(i)) => {
                    let argc = self.args(args)?;
                    self.line = saved;
                    self.emit(Op::CallFunc(i, argc, keep, ell));
                    return Ok(());
                }
                None => return err(f.pos, format!("undefined: {n}")),
                _ => {}
            },
            ExprKind::Selector(x, name) => {
                if let ExprKind::Ident(p) = &x.kind {
                    if let Some(Sym::Pkg(pk)) = self.resolve(p) {
                        if let Some(t) = qual_type(pk, name) {
                            return self.conversion(&t, args, pos);
                        }
                        let id = match native_id(pk, name) {
                            Some(i) => i,
                            None => return unsupported(f.pos, &format!("{pk}.{name}")),
                        };
                        if pk == "sort" {
                            self.check_sort_interface(name, args, f.pos)?;
                            if let Some(ms) = self.user_sort_methods(name, args) {
                                self.expr(&args[0])?;
                                for m in ms {
                                    self.emit(Op::MakeClosure(m));
                                }
                                self.line = saved;
                                self.emit(Op::CallNative(id, 4, keep));
                                return Ok(());
                            }
                        }
                        let hints = if ell {
                            None
                        } else {
                            self.fmt_hints(pk, name, args)
                        };
                        // A single multi-valued call as the only argument: f(g()).
                        if args.len() == 1
                            && matches!(args[0].kind, ExprKind::Call(..))
                            && pk == "fmt"
                        {
                            if let ExprKind::Call(g, gargs, gell) = &args[0].kind {
                                self.emit(Op::Int(i64::MIN));
                                self.call(g, gargs, *gell, true, args[0].pos)?;
                                self.line = saved;
                                self.emit(Op::CallNative(id, 255, keep));
                                return Ok(());
                            }
                        }
                        let argc = self.args(args)?;
                        if ell
                            && !(pk == "fmt"
                                || pk == "errors"
                                || pk == "os"
                                || pk == "filepath"
                                || pk == "strings")
                        {
                            return unsupported(pos, "spread arguments to this function");
                        }
                        self.line = saved;
                        if ell {
                            // flatten the trailing slice at run time
                            self.emit(Op::Int(i64::MIN + 1));
                        }
                        if let Some(k) = hints {
                            self.emit(Op::TypeHints(k));
                        }
                        self.emit(Op::CallNative(id, argc + ell as u8, keep));
                        return Ok(());
                    }
                }
                if let Some(idx) = self.static_method(x, name) {
                    self.expr(x)?;
                    let argc = self.args(args)?;
                    self.line = saved;
                    self.emit(Op::CallFunc(idx, argc.saturating_add(1), keep, ell));
                    return Ok(());
                }
                self.expr_ref(x)?;
                let argc = self.args(args)?;
                let s = self.sym(name);
                self.line = saved;
                self.emit(Op::CallMethod(s, argc, keep, ell));
                return Ok(());
            }
            ExprKind::Type(t) => {
                let t = self.resolve_type(t)?;
                return self.conversion(&t, args, pos);
            }
            ExprKind::Paren(x) => {
                if let Some(te) = expr_to_type(x) {
                    if let Ok(t) = self.resolve_type(&te) {
                        return self.conversion(&t, args, pos);
                    }
                }
            }
            _ => {}
        }
        self.expr(f)?;
        let argc = self.args(args)?;
        self.line = saved;
        self.emit(Op::Call(argc, keep, ell));
        Ok(())
    }

    /// Some(true) if the identifier names a type.
    fn resolve_name_kind(&mut self, e: &Expr) -> Option<bool> {
        if let ExprKind::Ident(n) = &e.kind {
            return Some(matches!(self.resolve(n), Some(Sym::Type(_))));
        }
        None
    }

    fn conversion(&mut self, t: &Ty, args: &[Expr], pos: Pos) -> CResult<()> {
        if args.len() != 1 {
            return err(pos, "wrong argument count in conversion");
        }
        if let Some(v) = self.const_eval(&args[0]) {
            if matches!(t, Ty::Int(_) | Ty::Float | Ty::Dur) && !matches!(v, Value::Str(_)) {
                let v = coerce_const(v, t);
                let k = self.konst(v);
                self.emit(Op::Const(k));
                return Ok(());
            }
        }
        self.expr(&args[0])?;
        let ti = self.ty_idx(t);
        self.emit(Op::Convert(ti));
        Ok(())
    }

    fn builtin(&mut self, b: &str, args: &[Expr], ell: bool, keep: bool, pos: Pos) -> CResult<()> {
        let saved = self.line;
        match b {
            "make" => {
                let te = match args.first().and_then(expr_to_type) {
                    Some(t) => t,
                    None => return err(pos, "make requires a type argument"),
                };
                let t = self.resolve_type(&te)?;
                if !matches!(t, Ty::Slice(_) | Ty::Map(..) | Ty::Chan(_)) {
                    return err(pos, "invalid argument: cannot make this type");
                }
                let argc = self.args(&args[1..])?;
                let ti = self.ty_idx(&t);
                self.line = saved;
                self.emit(Op::Make(ti, argc));
            }
            "new" => {
                let te = match args.first().and_then(expr_to_type) {
                    Some(t) => t,
                    None => return err(pos, "new requires a type argument"),
                };
                let t = self.resolve_type(&te)?;
                let ti = self.ty_idx(&t);
                self.emit(Op::Zero(ti));
                self.emit(Op::AddrValue);
            }
            "recover" => {
                self.emit(Op::Recover);
            }
            "panic" => {
                if args.len() != 1 {
                    return err(pos, "not enough arguments in call to panic");
                }
                self.expr(&args[0])?;
                self.emit(Op::Panic);
                if keep {
                    self.emit(Op::Nil);
                }
                return Ok(());
            }
            _ => {
                let id = native_id("", b).unwrap_or(0);
                let argc = self.args(args)?;
                self.line = saved;
                if ell {
                    if b != "append" {
                        return err(pos, format!("invalid use of ... with built-in {b}"));
                    }
                    self.emit(Op::Int(i64::MIN + 1));
                    self.emit(Op::CallNative(id, argc + 1, keep));
                } else {
                    self.emit(Op::CallNative(id, argc, keep));
                }
                return Ok(());
            }
        }
        if !keep {
            self.emit(Op::Pop);
        }
        Ok(())
    }
}

fn is_blank(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Ident(n) if n == "_")
}

pub fn binop_of(op: &str) -> Option<BinOp> {
    Some(match op {
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "/" => BinOp::Div,
        "%" => BinOp::Rem,
        "&" => BinOp::And,
        "|" => BinOp::Or,
        "^" => BinOp::Xor,
        "&^" => BinOp::AndNot,
        "<<" => BinOp::Shl,
        ">>" => BinOp::Shr,
        "==" => BinOp::Eq,
        "!=" => BinOp::Ne,
        "<" => BinOp::Lt,
        "<=" => BinOp::Le,
        ">" => BinOp::Gt,
        ">=" => BinOp::Ge,
        _ => return None,
    })
}

fn universe(name: &str) -> Option<Sym> {
    let t = match name {
        "int" => Ty::Int(IntKind::Int),
        "int8" => Ty::Int(IntKind::Int8),
        "int16" => Ty::Int(IntKind::Int16),
        "int32" | "rune" => Ty::Int(IntKind::Int32),
        "int64" => Ty::Int(IntKind::Int64),
        "uint" => Ty::Int(IntKind::Uint),
        "uint8" | "byte" => Ty::Int(IntKind::Uint8),
        "uint16" => Ty::Int(IntKind::Uint16),
        "uint32" => Ty::Int(IntKind::Uint32),
        "uint64" => Ty::Int(IntKind::Uint64),
        "uintptr" => Ty::Int(IntKind::Uintptr),
        "float64" | "float32" => Ty::Float,
        "string" => Ty::Str,
        "bool" => Ty::Bool,
        "error" => Ty::Error,
        "any" => Ty::Iface(Vec::new()),
        "true" => return Some(Sym::Const(Value::Bool(true), None)),
        "false" => return Some(Sym::Const(Value::Bool(false), None)),
        "nil" => return Some(Sym::Const(Value::Nil, None)),
        "complex64" | "complex128" => return None,
        _ => {
            if let Some(b) = BUILTINS.iter().find(|b| **b == name) {
                return Some(Sym::Builtin(b));
            }
            return None;
        }
    };
    Some(Sym::Type(t))
}

fn qual_type(pkg: &str, name: &str) -> Option<Ty> {
    Some(match (pkg, name) {
        ("sync", "Mutex") => Ty::Obj(ObjKind::Mutex),
        ("sync", "RWMutex") => Ty::Obj(ObjKind::RwMutex),
        ("sync", "WaitGroup") => Ty::Obj(ObjKind::WaitGroup),
        ("sync", "Once") => Ty::Obj(ObjKind::Once),
        ("atomic", "Int64") | ("atomic", "Int32") => Ty::Obj(ObjKind::AtomicInt),
        ("strings", "Builder") => Ty::Obj(ObjKind::Builder),
        ("time", "Duration") => Ty::Dur,
        ("time", "Time") => Ty::Time,
        ("time", "Timer") => Ty::Obj(ObjKind::Timer),
        ("time", "Ticker") => Ty::Obj(ObjKind::Ticker),
        ("context", "Context") => Ty::Iface(vec!["Done".into(), "Err".into()]),
        ("context", "CancelFunc") => Ty::Func,
        ("os", "File") => Ty::Obj(ObjKind::File),
        ("os", "DirEntry") => Ty::Iface(vec!["Name".into()]),
        ("fmt", "Stringer") => Ty::Iface(vec!["String".into()]),
        _ => return None,
    })
}

fn pkg_const(pkg: &str, name: &str) -> Option<Value> {
    Some(match (pkg, name) {
        ("time", "Nanosecond") => Value::Dur(1),
        ("time", "Microsecond") => Value::Dur(1_000),
        ("time", "Millisecond") => Value::Dur(1_000_000),
        ("time", "Second") => Value::Dur(1_000_000_000),
        ("time", "Minute") => Value::Dur(60_000_000_000),
        ("time", "Hour") => Value::Dur(3_600_000_000_000),
        ("math", "MaxInt64") | ("math", "MaxInt") => Value::Int(i64::MAX),
        ("math", "MinInt64") | ("math", "MinInt") => Value::Int(i64::MIN),
        ("math", "MaxInt32") => Value::Int(i32::MAX as i64),
        ("math", "MinInt32") => Value::Int(i32::MIN as i64),
        ("math", "MaxUint8") => Value::Int(255),
        ("math", "Pi") => Value::Float(std::f64::consts::PI),
        ("math", "E") => Value::Float(std::f64::consts::E),
        ("os", "O_RDONLY") => Value::Int(0),
        ("os", "O_WRONLY") => Value::Int(1),
        ("os", "O_RDWR") => Value::Int(2),
        ("os", "O_APPEND") => Value::Int(0x400),
        ("os", "O_CREATE") => Value::Int(0x40),
        ("os", "O_EXCL") => Value::Int(0x80),
        ("os", "O_TRUNC") => Value::Int(0x200),
        ("filepath", "Separator") => Value::Int('/' as i64),
        _ => return None,
    })
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The fraction a float literal spells: `0.1` is 1/10, `2.5e3` is 2500/1.
fn rat_of_f64(f: f64) -> Option<(i128, i128)> {
    if !f.is_finite() {
        return None;
    }
    // Rust's Display gives the shortest round-trip digits without an exponent.
    let s = f.to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    if frac.len() > 30 || int.len() > 30 {
        return None;
    }
    let n: i128 = format!("{int}{frac}").parse().ok()?;
    let d = 10i128.checked_pow(frac.len() as u32)?;
    let g = gcd(n.unsigned_abs(), d as u128).max(1) as i128;
    Some((n / g, d / g))
}

/// Correctly rounded when numerator and denominator are exact in an f64
/// (IEEE division rounds once); otherwise the caller's fallback is used.
fn rat_to_f64((n, d): (i128, i128)) -> Option<f64> {
    const EXACT: u128 = 1 << 53;
    (n.unsigned_abs() <= EXACT && d.unsigned_abs() <= EXACT && d != 0).then(|| n as f64 / d as f64)
}

pub fn coerce_const(v: Value, t: &Ty) -> Value {
    match (t, &v) {
        (Ty::Float, Value::Int(i)) => Value::Float(*i as f64),
        (Ty::Int(k), Value::Int(i)) => Value::Int(k.wrap(*i)),
        (Ty::Int(k), Value::Float(f)) => Value::Int(k.wrap(*f as i64)),
        (Ty::Int(_), Value::Dur(d)) => Value::Int(*d),
        (Ty::Dur, Value::Int(i)) => Value::Dur(*i),
        (Ty::Dur, Value::Float(f)) => Value::Dur(*f as i64),
        (Ty::Float, Value::Dur(d)) => Value::Float(*d as f64),
        _ => v,
    }
}

pub fn expr_text(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Ident(n) => n.clone(),
        ExprKind::Int(i) => i.to_string(),
        ExprKind::Float(f) => f.to_string(),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Selector(x, n) => format!("{}.{n}", expr_text(x)),
        ExprKind::Call(f, _, _) => format!("{}(...)", expr_text(f)),
        ExprKind::Index(x, i) => format!(
            "{}[{}]",
            expr_text(x),
            i.first().map(expr_text).unwrap_or_default()
        ),
        ExprKind::Paren(x) => format!("({})", expr_text(x)),
        ExprKind::Unary(op, x) => format!("{op}{}", expr_text(x)),
        ExprKind::Binary(op, a, b) => format!("{} {op} {}", expr_text(a), expr_text(b)),
        _ => "expression".into(),
    }
}

/// Names that must live in heap cells: referenced from a closure or address-taken.
fn capture_names(stmts: &[Stmt]) -> HashSet<String> {
    let mut out = HashSet::new();
    for s in stmts {
        walk_stmt(s, false, &mut out);
    }
    out
}

fn walk_stmt(s: &Stmt, inside: bool, out: &mut HashSet<String>) {
    let we = |e: &Expr, out: &mut HashSet<String>| walk_expr(e, inside, out);
    match &s.kind {
        StmtKind::Expr(e) | StmtKind::Go(e) | StmtKind::Defer(e) => we(e, out),
        StmtKind::Assign(l, _, r) | StmtKind::Define(l, r) => {
            for e in l.iter().chain(r.iter()) {
                we(e, out);
            }
        }
        StmtKind::IncDec(e, _) => we(e, out),
        StmtKind::Send(a, b) => {
            we(a, out);
            we(b, out);
        }
        StmtKind::Var(specs) | StmtKind::Const(specs) => {
            for sp in specs {
                if inside {
                    for (n, _) in &sp.names {
                        out.insert(n.clone());
                    }
                }
                for v in &sp.values {
                    we(v, out);
                }
            }
        }
        StmtKind::Return(es) => {
            for e in es {
                we(e, out);
            }
        }
        StmtKind::Block(b) => {
            for s in &b.stmts {
                walk_stmt(s, inside, out);
            }
        }
        StmtKind::If(init, c, t, e) => {
            if let Some(i) = init {
                walk_stmt(i, inside, out);
            }
            we(c, out);
            for s in &t.stmts {
                walk_stmt(s, inside, out);
            }
            if let Some(e) = e {
                walk_stmt(e, inside, out);
            }
        }
        StmtKind::For(i, c, p, b, _) => {
            if let Some(i) = i {
                walk_stmt(i, inside, out);
            }
            if let Some(c) = c {
                we(c, out);
            }
            if let Some(p) = p {
                walk_stmt(p, inside, out);
            }
            for s in &b.stmts {
                walk_stmt(s, inside, out);
            }
        }
        StmtKind::Range(k, v, _, x, b, _) => {
            for e in [k, v].into_iter().flatten() {
                we(e, out);
            }
            we(x, out);
            for s in &b.stmts {
                walk_stmt(s, inside, out);
            }
        }
        StmtKind::Switch(i, t, cs, _) => {
            if let Some(i) = i {
                walk_stmt(i, inside, out);
            }
            if let Some(t) = t {
                we(t, out);
            }
            for c in cs {
                for e in &c.exprs {
                    we(e, out);
                }
                for s in &c.body {
                    walk_stmt(s, inside, out);
                }
            }
        }
        StmtKind::TypeSwitch(i, b, x, cs, _) => {
            if let Some(i) = i {
                walk_stmt(i, inside, out);
            }
            if inside {
                if let Some(b) = b {
                    out.insert(b.clone());
                }
            }
            we(x, out);
            for c in cs {
                for s in &c.body {
                    walk_stmt(s, inside, out);
                }
            }
        }
        StmtKind::Select(cs, _) => {
            for c in cs {
                match &c.comm {
                    CommKind::Send(a, b) => {
                        we(a, out);
                        we(b, out);
                    }
                    CommKind::Recv(l, _, ch) => {
                        for e in l {
                            we(e, out);
                        }
                        we(ch, out);
                    }
                    CommKind::Default => {}
                }
                for s in &c.body {
                    walk_stmt(s, inside, out);
                }
            }
        }
        StmtKind::Labeled(_, s) => walk_stmt(s, inside, out),
        _ => {}
    }
}

fn walk_expr(e: &Expr, inside: bool, out: &mut HashSet<String>) {
    match &e.kind {
        ExprKind::Ident(n) if inside => {
            out.insert(n.clone());
        }
        ExprKind::FuncLit(sig, b) => {
            for p in &sig.results {
                if let Some(n) = &p.name {
                    out.insert(n.clone());
                }
            }
            for s in &b.stmts {
                walk_stmt(s, true, out);
            }
        }
        ExprKind::Composite(_, es) => {
            for (k, v) in es {
                if let Some(k) = k {
                    walk_expr(k, inside, out);
                }
                walk_expr(v, inside, out);
            }
        }
        ExprKind::Paren(x) | ExprKind::Selector(x, _) | ExprKind::TypeAssert(x, _) => {
            walk_expr(x, inside, out)
        }
        ExprKind::Index(x, i) => {
            walk_expr(x, inside, out);
            for a in i {
                walk_expr(a, inside, out);
            }
        }
        ExprKind::Slice(x, a, b, c) => {
            walk_expr(x, inside, out);
            for p in [a, b, c].into_iter().flatten() {
                walk_expr(p, inside, out);
            }
        }
        ExprKind::Call(f, args, _) => {
            walk_expr(f, inside, out);
            for a in args {
                walk_expr(a, inside, out);
            }
        }
        ExprKind::Unary(op, x) => {
            if *op == "&" {
                let mut r = &**x;
                while let ExprKind::Paren(i) = &r.kind {
                    r = i;
                }
                if let ExprKind::Ident(n) = &r.kind {
                    out.insert(n.clone());
                }
            }
            walk_expr(x, inside, out)
        }
        ExprKind::Binary(_, a, b) => {
            walk_expr(a, inside, out);
            walk_expr(b, inside, out);
        }
        _ => {}
    }
}

/// Go rejects a send whose target is a constant (`5 <- c`, a typo of
/// `<-c` the parser reads as a send); the same words as `go vet`/gc.
fn literal_not_chan(ch: &Expr) -> CResult<()> {
    let what = match &ch.kind {
        ExprKind::Int(n) => format!("{n} (untyped int constant)"),
        ExprKind::Float(_) => "untyped float constant".to_string(),
        ExprKind::Char(_) => "untyped rune constant".to_string(),
        ExprKind::Str(_) => "untyped string constant".to_string(),
        _ => return Ok(()),
    };
    err(
        ch.pos,
        format!("invalid operation: cannot send to non-channel {what}"),
    )
}
