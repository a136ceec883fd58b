//! Go's fmt formatting rules for simulator values.

use std::fmt::Write as _;

use crate::sim::vm::interp::{Callable, Flow, Vm, G};
use crate::sim::vm::program::{IntKind, Program, Ty};
use crate::sim::vm::value::*;

/// time.Duration.String()
pub fn format_duration(d: i64) -> String {
    if d == 0 {
        return "0s".into();
    }
    let neg = d < 0;
    let mut u = d.unsigned_abs();
    let mut out = String::new();
    if u < 1_000_000_000 {
        let (prec, unit) = if u < 1_000 {
            (0, "ns")
        } else if u < 1_000_000 {
            (3, "µs")
        } else {
            (6, "ms")
        };
        let (frac, rest) = frac_part(u, prec);
        out.push_str(&rest.to_string());
        out.push_str(&frac);
        out.push_str(unit);
    } else {
        let (frac, secs) = frac_part(u, 9);
        u = secs;
        let s = u % 60;
        u /= 60;
        let mut body = format!("{s}{frac}s");
        if u > 0 {
            let m = u % 60;
            u /= 60;
            body = format!("{m}m{body}");
            if u > 0 {
                body = format!("{u}h{body}");
            }
        }
        out = body;
    }
    if neg {
        out.insert(0, '-');
    }
    out
}

fn frac_part(v: u64, prec: u32) -> (String, u64) {
    if prec == 0 {
        return (String::new(), v);
    }
    let p = 10u64.pow(prec);
    let frac = v % p;
    if frac == 0 {
        return (String::new(), v / p);
    }
    let mut digits = format!("{:0width$}", frac, width = prec as usize);
    while digits.ends_with('0') {
        digits.pop();
    }
    (format!(".{digits}"), v / p)
}

/// Shortest decimal digits and decimal point position of a finite non-zero float.
fn shortest_digits(f: f64) -> (String, i32) {
    let s = format!("{:e}", f.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    (digits, exp + 1)
}

/// strconv.FormatFloat(f, 'g', -1, 64), which is what %v prints.
pub fn go_float_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let (digits, dp) = shortest_digits(f);
    let exp = dp - 1;
    let sign = if f < 0.0 { "-" } else { "" };
    // strconv uses precision 6 for the exponent decision when shortest
    if !(-4..6).contains(&exp) {
        let mut m = String::new();
        m.push_str(&digits[..1]);
        if digits.len() > 1 {
            m.push('.');
            m.push_str(&digits[1..]);
        }
        let es = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{m}e{es}{:02}", exp.abs());
    }
    let mut out = String::from(sign);
    if dp <= 0 {
        out.push_str("0.");
        for _ in 0..(-dp) {
            out.push('0');
        }
        out.push_str(&digits);
    } else if dp as usize >= digits.len() {
        out.push_str(&digits);
        for _ in 0..(dp as usize - digits.len()) {
            out.push('0');
        }
    } else {
        out.push_str(&digits[..dp as usize]);
        out.push('.');
        out.push_str(&digits[dp as usize..]);
    }
    out
}

/// %v of a float64 in fmt: %g with the shortest representation.
pub fn go_float_v(f: f64) -> String {
    go_float_g(f)
}

/// Go's builtin print of a float (used for panics with float values).
pub fn go_float_print(f: f64) -> String {
    format!("{:+e}", f)
}

fn fmt_e(f: f64, prec: usize, upper: bool) -> String {
    let s = format!("{:.*e}", prec, f);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let es = if e < 0 { '-' } else { '+' };
    let r = format!("{m}e{es}{:02}", e.abs());
    if upper {
        r.to_uppercase()
    } else {
        r
    }
}

pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            '\u{FFFD}' => out.push_str("\\ufffd"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn ty_name(prog: &Program, t: &Ty) -> String {
    match t {
        Ty::Int(k) => k.name().into(),
        Ty::Float => "float64".into(),
        Ty::Str => "string".into(),
        Ty::Bool => "bool".into(),
        Ty::Dur => "time.Duration".into(),
        Ty::Time => "time.Time".into(),
        Ty::Slice(e) => format!("[]{}", ty_name(prog, e)),
        Ty::Array(n, e) => format!("[{n}]{}", ty_name(prog, e)),
        Ty::Map(k, v) => format!("map[{}]{}", ty_name(prog, k), ty_name(prog, v)),
        Ty::Chan(e) => format!("chan {}", ty_name(prog, e)),
        Ty::Ptr(e) => format!("*{}", ty_name(prog, e)),
        Ty::Func => "func()".into(),
        Ty::Struct(id) => prog
            .structs
            .get(*id as usize)
            .map(|s| {
                if s.name.is_empty() {
                    "struct {...}".into()
                } else {
                    s.name.clone()
                }
            })
            .unwrap_or_default(),
        Ty::Iface(m) if m.is_empty() => "interface {}".into(),
        Ty::Iface(_) => "interface".into(),
        Ty::Error => "error".into(),
        Ty::Obj(k) => format!("{k:?}"),
        Ty::Unknown => "nil".into(),
    }
}

/// Dynamic type name for %T.
pub fn type_name(vm: &Vm, v: &Value) -> String {
    match v {
        Value::Nil => "<nil>".into(),
        Value::Bool(_) => "bool".into(),
        Value::Int(_) => "int".into(),
        Value::Float(_) => "float64".into(),
        Value::Str(_) => "string".into(),
        Value::Dur(_) => "time.Duration".into(),
        Value::Time(_) => "time.Time".into(),
        Value::Slice(s) if s.ty.is_some() => match &s.ty {
            Some(t) => ty_name(&vm.prog, t),
            None => String::new(),
        },
        Value::Slice(s) => {
            let first = s.arr.as_ref().and_then(|a| a.borrow().get(s.off).cloned());
            match first {
                Some(f) if s.len > 0 => format!("[]{}", type_name(vm, &f)),
                _ => "[]interface {}".into(),
            }
        }
        Value::Array(a) => {
            let a = a.borrow();
            let inner = a
                .first()
                .map(|f| type_name(vm, f))
                .unwrap_or_else(|| "int".into());
            format!("[{}]{}", a.len(), inner)
        }
        Value::Map(m) => {
            let m = m.borrow();
            format!(
                "map[{}]{}",
                ty_name(&vm.prog, &m.key),
                ty_name(&vm.prog, &m.zero)
            )
        }
        Value::Struct(h) => {
            let ty = h.borrow().ty;
            ty_name(&vm.prog, &Ty::Struct(ty))
        }
        Value::Ptr(p) => format!("*{}", type_name(vm, &p.get())),
        Value::Func(_) | Value::Bound(_) | Value::Native(_) => "func()".into(),
        Value::Chan(c) => format!("chan {}", ty_name(&vm.prog, &c.borrow().zero)),
        Value::Obj(o) => match &*o.borrow() {
            Obj::Mutex { .. } => "sync.Mutex".into(),
            Obj::RwMutex { .. } => "sync.RWMutex".into(),
            Obj::WaitGroup { .. } => "sync.WaitGroup".into(),
            Obj::Once { .. } => "sync.Once".into(),
            Obj::Atomic(_) => "atomic.Int64".into(),
            Obj::Builder(_) => "strings.Builder".into(),
            Obj::Timer { period, .. } => {
                if *period > 0 {
                    "*time.Ticker".into()
                } else {
                    "*time.Timer".into()
                }
            }
            Obj::Ctx(_) => "*context.cancelCtx".into(),
            Obj::File(_) => "*os.File".into(),
            Obj::DirEntry(..) => "os.DirEntry".into(),
            Obj::SortReverse(_) => "*sort.reverse".into(),
        },
        Value::Err(e) => {
            if e.wrapped.is_empty() {
                "*errors.errorString".into()
            } else {
                "*fmt.wrapError".into()
            }
        }
        Value::Cell(c) => type_name(vm, &c.borrow()),
        Value::Iter(_) => "iterator".into(),
        Value::NilPtr(id) | Value::TypedNil(id) => {
            format!("*{}", ty_name(&vm.prog, &Ty::Struct(*id)))
        }
    }
}

fn fake_addr(v: &Value) -> String {
    let a = match v {
        Value::Ptr(p) => p.addr(),
        Value::Chan(c) => std::rc::Rc::as_ptr(c) as *const u8 as usize,
        Value::Map(m) => std::rc::Rc::as_ptr(m) as *const u8 as usize,
        Value::Func(f) => std::rc::Rc::as_ptr(f) as *const u8 as usize,
        Value::Obj(o) => std::rc::Rc::as_ptr(o) as *const u8 as usize,
        _ => 0,
    };
    // Addresses differ from run to run in Go as well; keep them Go-looking.
    format!("0xc{:09x}", (a & 0xf_ffff_fff8) as u64)
}

#[derive(Default, Clone, Copy)]
struct Spec {
    minus: bool,
    plus: bool,
    plus_v: bool,
    sharp: bool,
    zero: bool,
    space: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// Formatter state: needs the VM to call String()/Error() methods.
pub struct Fmt<'a> {
    pub vm: &'a mut Vm,
    pub g: &'a mut G,
    /// Static type name of the value `value` is about to format, when known
    /// (set just before each call and taken at its start).
    hint: Option<String>,
    /// Inside an unexported struct field fmt cannot reach methods, so
    /// String()/Error() are not called there (as Go's fmt).
    no_methods: bool,
}

impl<'a> Fmt<'a> {
    pub fn new(vm: &'a mut Vm, g: &'a mut G) -> Self {
        Fmt {
            vm,
            g,
            hint: None,
            no_methods: false,
        }
    }
    /// Calls Error() or String() if the value's type has it (receiver rules as Go).
    fn method_text(&mut self, v: &Value) -> Result<Option<String>, Flow> {
        match v {
            Value::Err(e) => return Ok(Some(e.msg.clone())),
            Value::Dur(d) => return Ok(Some(format_duration(*d))),
            Value::Struct(_) | Value::Ptr(_) | Value::TypedNil(_) => {}
            _ => return Ok(None),
        }
        for m in ["Error", "String"] {
            let sym = match self.vm.prog.syms.iter().position(|s| s == m) {
                Some(s) => s as u32,
                None => continue,
            };
            if let Some((_, f)) = self.vm.resolve_method(v, sym) {
                let ptr_recv = self.vm.prog.funcs[f as usize].ptr_recv;
                if ptr_recv && !matches!(v, Value::Ptr(_)) {
                    continue;
                }
                if matches!(v, Value::NilPtr(_) | Value::TypedNil(_)) {
                    return Ok(Some("<nil>".into()));
                }
                let mut out =
                    self.vm
                        .call_nested(self.g, Callable::Method(v.clone(), sym), Vec::new())?;
                if let Some(Value::Str(s)) = out.pop() {
                    return Ok(Some(s.to_string()));
                }
            }
        }
        Ok(None)
    }

    fn value(
        &mut self,
        v: &Value,
        verb: char,
        sp: Spec,
        depth: usize,
        out: &mut String,
    ) -> Result<(), Flow> {
        let hint = self.hint.take();
        if depth > 20 {
            out.push_str("...");
            return Ok(());
        }
        if matches!(verb, 'v' | 's' | 'q') && !sp.sharp && !self.no_methods {
            if let Some(t) = self.hinted_method_text(v, hint.as_deref())? {
                out.push_str(&if verb == 'q' { quote(&t) } else { t });
                return Ok(());
            }
        }
        if let Some(t) = hinted_text(v, hint.as_deref(), verb, sp) {
            out.push_str(&t);
            return Ok(());
        }
        let elem_hint = hint.as_deref().and_then(elem_of_type_name);
        if matches!(verb, 'v' | 's' | 'q') && !sp.sharp && !self.no_methods {
            if let Some(t) = self.method_text(v)? {
                if verb == 'q' {
                    out.push_str(&quote(&t));
                } else {
                    out.push_str(&t);
                }
                return Ok(());
            }
        }
        match v {
            Value::NilPtr(_) | Value::TypedNil(_) if sp.sharp && verb == 'v' => {
                out.push_str(&format!("({})(nil)", type_name(self.vm, v)));
            }
            Value::Nil | Value::NilPtr(_) | Value::TypedNil(_) => out.push_str("<nil>"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => match verb {
                'c' => out.push(char::from_u32(*i as u32).unwrap_or('\u{FFFD}')),
                'q' => {
                    let c = char::from_u32(*i as u32).unwrap_or('\u{FFFD}');
                    out.push_str(&format!(
                        "'{}'",
                        if c == '\'' {
                            "\\'".to_string()
                        } else {
                            quote(&c.to_string()).trim_matches('"').to_string()
                        }
                    ));
                }
                'x' | 'X' | 'o' | 'b' => {
                    let m = i.unsigned_abs();
                    if *i < 0 {
                        out.push('-');
                    } else if sp.plus {
                        out.push('+');
                    }
                    match verb {
                        'x' => {
                            out.push_str(&format!("{}{:x}", if sp.sharp { "0x" } else { "" }, m))
                        }
                        'X' => {
                            out.push_str(&format!("{}{:X}", if sp.sharp { "0X" } else { "" }, m))
                        }
                        'o' => out.push_str(&format!("{}{:o}", if sp.sharp { "0" } else { "" }, m)),
                        _ => out.push_str(&format!("{:b}", m)),
                    }
                }
                'U' => {
                    out.push_str(&format!("U+{:04X}", i));
                    if sp.sharp {
                        if let Some(c) = char::from_u32(*i as u32) {
                            out.push_str(&format!(" '{c}'"));
                        }
                    }
                }
                'e' | 'f' | 'g' | 's' => {
                    let tn = hint.as_deref().unwrap_or("int");
                    out.push_str(&format!("%!{verb}({tn}={i})"))
                }
                _ => {
                    if sp.plus && *i >= 0 {
                        out.push('+');
                    } else if sp.space && *i >= 0 {
                        out.push(' ');
                    }
                    out.push_str(&i.to_string())
                }
            },
            Value::Float(f) => {
                let s = match verb {
                    'f' | 'F' => format!("{:.*}", sp.prec.unwrap_or(6), f),
                    'e' | 'E' => fmt_e(*f, sp.prec.unwrap_or(6), verb == 'E'),
                    'g' | 'G' => match sp.prec {
                        Some(p) => {
                            let s = format!("{:.*e}", p.saturating_sub(1), f);
                            let v: f64 = s.parse().unwrap_or(*f);
                            let r = go_float_g(v);
                            if verb == 'G' {
                                r.to_uppercase()
                            } else {
                                r
                            }
                        }
                        None => {
                            let r = go_float_g(*f);
                            if verb == 'G' {
                                r.to_uppercase()
                            } else {
                                r
                            }
                        }
                    },
                    'd' | 's' => format!(
                        "%!{verb}({}={})",
                        hint.as_deref().unwrap_or("float64"),
                        go_float_v(*f)
                    ),
                    _ => go_float_v(*f),
                };
                if sp.plus && *f >= 0.0 {
                    out.push('+');
                }
                out.push_str(&s);
            }
            Value::Str(s) => match verb {
                'q' => out.push_str(&quote(s)),
                'x' | 'X' => hex_bytes(s.as_bytes(), verb == 'X', sp.space, out),
                'd' => out.push_str(&format!("%!d(string={s})")),
                _ => {
                    if sp.sharp && verb == 'v' {
                        out.push_str(&quote(s))
                    } else {
                        let s: &str = s;
                        match sp.prec {
                            Some(p) => out.extend(s.chars().take(p)),
                            None => out.push_str(s),
                        }
                    }
                }
            },
            Value::Dur(d) => match verb {
                'd' => out.push_str(&d.to_string()),
                _ => out.push_str(&format_duration(*d)),
            },
            Value::Time(t) => {
                let secs = t.div_euclid(1_000_000_000);
                out.push_str(&format_time(secs));
            }
            Value::Slice(sl)
                if matches!(verb, 's' | 'q') && is_byte_slice(sl)
                    || matches!(verb, 's' | 'q' | 'x' | 'X') && typed_byte_slice(sl) =>
            {
                let bytes: Vec<u8> = sl
                    .to_vec()
                    .iter()
                    .map(|b| b.as_int().unwrap_or(0) as u8)
                    .collect();
                let st = Value::Str(std::rc::Rc::from(String::from_utf8_lossy(&bytes).as_ref()));
                if matches!(verb, 'x' | 'X') {
                    hex_bytes(&bytes, verb == 'X', sp.space, out);
                } else {
                    self.value(&st, verb, sp, depth, out)?;
                }
            }
            Value::Slice(_) | Value::Array(_) => {
                let items = match v {
                    Value::Slice(s) => s.to_vec(),
                    Value::Array(a) => a.borrow().clone(),
                    _ => Vec::new(),
                };
                if sp.sharp && verb == 'v' {
                    out.push_str(&type_name(self.vm, v));
                    if matches!(v, Value::Slice(s) if s.arr.is_none() && s.ty.is_some()) {
                        out.push_str("(nil)");
                        return Ok(());
                    }
                    out.push('{');
                    for (i, it) in items.iter().enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        self.hint.clone_from(&elem_hint);
                        self.value(it, verb, sp, depth + 1, out)?;
                    }
                    out.push('}');
                } else {
                    out.push('[');
                    for (i, it) in items.iter().enumerate() {
                        if i > 0 {
                            out.push(' ');
                        }
                        let mut e = String::new();
                        self.hint.clone_from(&elem_hint);
                        self.value(it, verb, sp, depth + 1, &mut e)?;
                        out.push_str(&self.pad(e, sp));
                    }
                    out.push(']');
                }
            }
            Value::Map(m) => {
                let mut entries: Vec<(Value, Value)> =
                    m.borrow().entries.values().cloned().collect();
                entries.sort_by(|a, b| cmp_keys(&a.0, &b.0));
                if sp.sharp && verb == 'v' {
                    out.push_str(&type_name(self.vm, v));
                    if m.borrow().nil {
                        out.push_str("(nil)");
                        return Ok(());
                    }
                    out.push('{');
                } else {
                    out.push_str("map[");
                }
                for (i, (k, val)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(if sp.sharp { ", " } else { " " });
                    }
                    self.value(k, verb, sp, depth + 1, out)?;
                    out.push(':');
                    self.hint.clone_from(&elem_hint);
                    self.value(val, verb, sp, depth + 1, out)?;
                }
                out.push(if sp.sharp && verb == 'v' { '}' } else { ']' });
            }
            Value::Struct(h) => {
                let (ty, fields) = {
                    let b = h.borrow();
                    (b.ty, b.fields.clone())
                };
                let (names, hints): (Vec<String>, Vec<Option<String>>) = self
                    .vm
                    .prog
                    .structs
                    .get(ty as usize)
                    .map(|s| {
                        s.fields
                            .iter()
                            .map(|f| (f.name.clone(), f.hint.clone()))
                            .unzip()
                    })
                    .unwrap_or_default();
                if sp.sharp && verb == 'v' {
                    out.push_str(&type_name(self.vm, v));
                }
                out.push('{');
                for (i, f) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push_str(if sp.sharp && verb == 'v' { ", " } else { " " });
                    }
                    if sp.plus_v || (sp.sharp && verb == 'v') {
                        out.push_str(names.get(i).map(|s| s.as_str()).unwrap_or("?"));
                        out.push(':');
                    }
                    self.hint = hints.get(i).cloned().flatten();
                    let exported = names
                        .get(i)
                        .and_then(|n| n.chars().next())
                        .is_some_and(|c| c.is_uppercase());
                    let saved = self.no_methods;
                    self.no_methods = saved || !exported;
                    let r = self.value(f, verb, sp, depth + 1, out);
                    self.no_methods = saved;
                    r?;
                }
                out.push('}');
            }
            Value::Ptr(p) => {
                let t = p.get();
                if verb == 'p' {
                    out.push_str(&fake_addr(v));
                } else if depth == 0
                    && matches!(
                        t,
                        Value::Struct(_) | Value::Slice(_) | Value::Array(_) | Value::Map(_)
                    )
                {
                    out.push('&');
                    self.value(&t, verb, sp, depth + 1, out)?;
                } else {
                    out.push_str(&fake_addr(v));
                }
            }
            Value::Chan(_) | Value::Func(_) | Value::Native(_) | Value::Bound(_) => {
                out.push_str(&fake_addr(v))
            }
            Value::Obj(o) => {
                let text = match &*o.borrow() {
                    Obj::Ctx(c) => {
                        if c.cancelable {
                            "context.Background.WithCancel".to_string()
                        } else {
                            "context.Background".to_string()
                        }
                    }
                    Obj::Builder(s) => format!("{{{s}}}"),
                    Obj::Atomic(i) => format!("{{{{}} {i}}}"),
                    Obj::File(_) => fake_addr(v),
                    Obj::Mutex { locked, .. } => format!("{{{} 0}}", *locked as i32),
                    Obj::WaitGroup { count, .. } => format!("{{{{}} {{{{}} {{}} {count}}} 0}}"),
                    _ => "{}".to_string(),
                };
                out.push_str(&text);
            }
            Value::Err(e) => out.push_str(&e.msg),
            Value::Cell(c) => {
                let inner = c.borrow().clone();
                self.value(&inner, verb, sp, depth, out)?;
            }
            Value::Iter(_) => out.push('?'),
        }
        Ok(())
    }

    fn pad(&self, s: String, sp: Spec) -> String {
        let w = match sp.width {
            Some(w) => w,
            None => return s,
        };
        let n = s.chars().count();
        if n >= w {
            return s;
        }
        let fill = w - n;
        if sp.minus {
            format!("{s}{}", " ".repeat(fill))
        } else if sp.zero {
            let (sign, rest) = if s.starts_with('-') || s.starts_with('+') {
                s.split_at(1)
            } else {
                ("", s.as_str())
            };
            format!("{sign}{}{rest}", "0".repeat(fill))
        } else {
            format!("{}{s}", " ".repeat(fill))
        }
    }

    pub fn sprintf(&mut self, format: &str, args: &[Value]) -> Result<String, Flow> {
        // Taken before any String() method runs, so nested fmt calls cannot see it.
        let hints = self.take_hints();
        let mut out = String::new();
        let chars: Vec<char> = format.chars().collect();
        let mut i = 0;
        let mut argi = 0;
        while i < chars.len() {
            let c = chars[i];
            if c != '%' {
                out.push(c);
                i += 1;
                continue;
            }
            i += 1;
            if i >= chars.len() {
                out.push_str("%!(NOVERB)");
                break;
            }
            let mut sp = Spec::default();
            while i < chars.len() {
                match chars[i] {
                    '-' => sp.minus = true,
                    '+' => sp.plus = true,
                    '#' => sp.sharp = true,
                    '0' => sp.zero = !sp.minus,
                    ' ' => sp.space = true,
                    _ => break,
                }
                i += 1;
            }
            if i < chars.len() && chars[i] == '*' {
                i += 1;
                if let Some(Value::Int(w)) = args.get(argi) {
                    if *w < 0 {
                        sp.minus = true;
                    }
                    sp.width = Some(w.unsigned_abs() as usize);
                }
                argi += 1;
            } else {
                let mut w = String::new();
                while i < chars.len() && chars[i].is_ascii_digit() {
                    w.push(chars[i]);
                    i += 1;
                }
                if !w.is_empty() {
                    sp.width = w.parse().ok();
                }
            }
            if i < chars.len() && chars[i] == '.' {
                i += 1;
                if i < chars.len() && chars[i] == '*' {
                    i += 1;
                    if let Some(Value::Int(p)) = args.get(argi) {
                        sp.prec = Some((*p).max(0) as usize);
                    }
                    argi += 1;
                } else {
                    let mut p = String::new();
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        p.push(chars[i]);
                        i += 1;
                    }
                    sp.prec = Some(p.parse().unwrap_or(0));
                }
            }
            if i >= chars.len() {
                out.push_str("%!(NOVERB)");
                break;
            }
            let verb = chars[i];
            i += 1;
            if verb == '%' {
                out.push('%');
                continue;
            }
            if verb == 'v' && sp.plus {
                sp.plus = false;
                sp.plus_v = true;
            }
            let arg = match args.get(argi) {
                Some(a) => a.clone(),
                None => {
                    out.push_str(&format!("%!{verb}(MISSING)"));
                    continue;
                }
            };
            let hint = hints.get(argi).and_then(|h| h.as_deref());
            argi += 1;
            let method_txt = if matches!(verb, 'v' | 's' | 'q') && !sp.sharp {
                self.hinted_method_text(&arg, hint)?
            } else {
                None
            };
            let mut s = String::new();
            match verb {
                'T' => match hint {
                    Some(h) => s.push_str(h),
                    None => s.push_str(&type_name(self.vm, &arg)),
                },
                _ if method_txt.is_some() => {
                    let t = method_txt.unwrap_or_default();
                    s.push_str(&if verb == 'q' { quote(&t) } else { t });
                }
                _ if hinted_text(&arg, hint, verb, sp).is_some() => {
                    s.push_str(&hinted_text(&arg, hint, verb, sp).unwrap_or_default());
                }
                'v' | 'd' | 's' | 'q' | 'x' | 'X' | 'o' | 'b' | 'c' | 'U' | 'e' | 'E' | 'f'
                | 'F' | 'g' | 'G' | 'p' | 'w' => {
                    let verb = if verb == 'w' { 'v' } else { verb };
                    let bad = matches!(
                        (&arg, verb),
                        (Value::Str(_), 'd') | (Value::Bool(_), 'd' | 's') | (Value::Int(_), 's')
                    );
                    if bad {
                        s.push_str(&format!("%!{verb}({}=", type_name(self.vm, &arg)));
                        self.value(&arg, 'v', Spec::default(), 0, &mut s)?;
                        s.push(')');
                    } else {
                        self.hint = hint.map(str::to_string);
                        self.value(&arg, verb, sp, 0, &mut s)?;
                    }
                }
                't' => match arg {
                    Value::Bool(b) => s.push_str(if b { "true" } else { "false" }),
                    _ => {
                        s.push_str(&format!("%!t({}=", type_name(self.vm, &arg)));
                        self.value(&arg, 'v', Spec::default(), 0, &mut s)?;
                        s.push(')');
                    }
                },
                _ => {
                    s.push_str(&format!("%!{verb}({}=", type_name(self.vm, &arg)));
                    self.value(&arg, 'v', Spec::default(), 0, &mut s)?;
                    s.push(')');
                }
            }
            let composite = matches!(&arg, Value::Slice(sl) if !(matches!(verb, 's' | 'q') && is_byte_slice(sl)))
                || matches!(arg, Value::Array(_));
            if composite {
                out.push_str(&s);
            } else {
                out.push_str(&self.pad(s, sp));
            }
        }
        if argi < args.len() {
            out.push_str("%!(EXTRA ");
            for (k, a) in args[argi..].iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                out.push_str(&type_name(self.vm, a));
                out.push('=');
                let mut s = String::new();
                self.value(a, 'v', Spec::default(), 0, &mut s)?;
                out.push_str(&s);
            }
            out.push(')');
        }
        Ok(out)
    }

    /// Error()/String() of a named non-struct type, found through the
    /// argument's static type (its value does not carry the type).
    fn hinted_method_text(
        &mut self,
        v: &Value,
        hint: Option<&str>,
    ) -> Result<Option<String>, Flow> {
        let Some(h) = hint else {
            return Ok(None);
        };
        for m in ["Error", "String"] {
            let key = (h.to_string(), m.to_string());
            if let Some(&idx) = self.vm.prog.named_methods.get(&key) {
                let c = Callable::Closure(std::rc::Rc::new(Closure {
                    proto: idx,
                    ups: Vec::new(),
                }));
                let mut out = self.vm.call_nested(self.g, c, vec![v.clone()])?;
                if let Some(Value::Str(s)) = out.pop() {
                    return Ok(Some(s.to_string()));
                }
            }
        }
        Ok(None)
    }

    fn take_hints(&mut self) -> std::rc::Rc<[Option<String>]> {
        self.g
            .type_hints
            .take()
            .and_then(|k| self.vm.prog.type_hints.get(k as usize).cloned())
            .unwrap_or_else(|| std::rc::Rc::from(Vec::new()))
    }

    fn plain_value(
        &mut self,
        a: &Value,
        hint: Option<&Option<String>>,
        out: &mut String,
    ) -> Result<(), Flow> {
        let sp = Spec::default();
        let hint = hint.and_then(|h| h.as_deref());
        if let Some(t) = self.hinted_method_text(a, hint)? {
            out.push_str(&t);
            return Ok(());
        }
        match hinted_text(a, hint, 'v', sp) {
            Some(t) => out.push_str(&t),
            None => {
                self.hint = hint.map(str::to_string);
                self.value(a, 'v', sp, 0, out)?
            }
        }
        Ok(())
    }

    pub fn sprint(&mut self, args: &[Value]) -> Result<String, Flow> {
        let hints = self.take_hints();
        let mut out = String::new();
        for (i, a) in args.iter().enumerate() {
            // Print adds spaces between operands when neither is a string.
            if i > 0 && !matches!(a, Value::Str(_)) && !matches!(args[i - 1], Value::Str(_)) {
                out.push(' ');
            }
            self.plain_value(a, hints.get(i), &mut out)?;
        }
        Ok(out)
    }

    pub fn sprintln(&mut self, args: &[Value]) -> Result<String, Flow> {
        let hints = self.take_hints();
        let mut out = String::new();
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            self.plain_value(a, hints.get(i), &mut out)?;
        }
        out.push('\n');
        Ok(out)
    }
}

/// Text of a value whose static type prints differently from what the
/// dynamic value says: a uint64 above MaxInt64 (kept as its bits in an i64)
/// and a float32 (kept widened in an f64, printed with float32's shortest form).
fn hinted_text(v: &Value, hint: Option<&str>, verb: char, sp: Spec) -> Option<String> {
    match (hint?, v) {
        ("uint64" | "uint" | "uintptr", Value::Int(i)) if *i < 0 => {
            let u = *i as u64;
            Some(match verb {
                'v' | 'd' => u.to_string(),
                'x' => format!("{}{u:x}", if sp.sharp { "0x" } else { "" }),
                'X' => format!("{}{u:X}", if sp.sharp { "0X" } else { "" }),
                'o' => format!("{}{u:o}", if sp.sharp { "0" } else { "" }),
                'b' => format!("{u:b}"),
                _ => return None,
            })
        }
        ("float32", Value::Float(f)) if verb == 'v' && f.is_finite() && *f != 0.0 => {
            // The shortest digits that round-trip through f32, laid out by
            // the float64 %v rules (the exponent thresholds are the same).
            let shortest: f64 = format!("{:e}", *f as f32).parse().ok()?;
            let mut t = go_float_g(shortest);
            if sp.plus && *f > 0.0 {
                t.insert(0, '+');
            }
            Some(t)
        }
        _ => None,
    }
}

/// Element type of an indexable type name: `[]T`, `[3]T`, `map[K]T` -> `T`;
/// `string` -> `uint8`.
pub fn elem_of_type_name(t: &str) -> Option<String> {
    if t == "string" {
        return Some("uint8".into());
    }
    let rest = t.strip_prefix("map").unwrap_or(t);
    if !rest.starts_with('[') {
        return None;
    }
    let mut depth = 0usize;
    for (k, c) in rest.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(rest[k + 1..].to_string());
                }
            }
            _ => {}
        }
    }
    None
}

fn typed_byte_slice(sl: &SliceV) -> bool {
    matches!(sl.ty.as_deref(), Some(Ty::Slice(e)) if **e == Ty::Int(IntKind::Uint8))
}

/// Without a static type, a slice of small non-negative ints is taken to be
/// []byte for %s/%q.
fn is_byte_slice(sl: &SliceV) -> bool {
    if sl.ty.is_some() {
        return typed_byte_slice(sl);
    }
    sl.len > 0
        && sl
            .to_vec()
            .iter()
            .all(|v| matches!(v, Value::Int(i) if (0..256).contains(i)))
}

fn hex_bytes(b: &[u8], upper: bool, spaced: bool, out: &mut String) {
    for (k, x) in b.iter().enumerate() {
        if spaced && k > 0 {
            out.push(' ');
        }
        if upper {
            let _ = write!(out, "{:02X}", x);
        } else {
            let _ = write!(out, "{:02x}", x);
        }
    }
}

fn cmp_keys(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal),
        (Value::Str(x), Value::Str(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => a.key().cmp(&b.key()),
    }
}

/// `%v` of a value as the simulator's trace shows it: like fmt but without
/// calling `String`/`Error` methods (that would run Go code the program
/// does not run at this point), and an open file by its name and descriptor.
pub fn frozen_text(vm: &mut Vm, v: &Value) -> String {
    let v = match v {
        Value::Cell(c) => c.borrow().clone(),
        other => other.clone(),
    };
    match &v {
        Value::Err(e) => return e.msg.clone(),
        Value::Dur(d) => return format_duration(*d),
        Value::Obj(o) => {
            if let Obj::File(f) = &*o.borrow() {
                return format!("*os.File({:?}, fd {})", f.name, f.fd);
            }
        }
        _ => {}
    }
    let mut g = G::detached();
    let mut f = Fmt {
        vm,
        g: &mut g,
        hint: None,
        no_methods: true,
    };
    let mut out = String::new();
    match f.value(&v, 'v', Spec::default(), 0, &mut out) {
        Ok(()) => out,
        Err(_) => sprint_plain(&v),
    }
}

/// Element type of a channel as Go code writes it.
pub fn chan_elem_name(prog: &Program, t: &Ty) -> String {
    match t {
        Ty::Unknown => "struct{}".into(),
        Ty::Struct(id)
            if prog
                .structs
                .get(*id as usize)
                .is_some_and(|s| s.name.is_empty() && s.fields.is_empty()) =>
        {
            "struct{}".into()
        }
        other => ty_name(prog, other),
    }
}

/// Plain %v without calling methods (used where no goroutine context exists).
pub fn sprint_plain(v: &Value) -> String {
    match v {
        Value::Nil => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => go_float_v(*f),
        Value::Str(s) => s.to_string(),
        Value::Dur(d) => format_duration(*d),
        Value::Err(e) => e.msg.clone(),
        Value::Slice(s) => format!(
            "[{}]",
            s.to_vec()
                .iter()
                .map(sprint_plain)
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Value::Struct(h) => format!(
            "{{{}}}",
            h.borrow()
                .fields
                .iter()
                .map(sprint_plain)
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Value::Ptr(p) => match p.get() {
            s @ Value::Struct(_) => format!("&{}", sprint_plain(&s)),
            _ => fake_addr(v),
        },
        _ => fake_addr(v),
    }
}

/// Formats virtual Unix seconds as Go's time.Time default layout (UTC).
fn format_time(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (h, m, s) = (rem / 3600, (rem % 3600) / 60, rem % 60);
    // civil-from-days (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if mo <= 2 { y + 1 } else { y };
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{m:02}:{s:02} +0000 UTC")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_like_go() {
        assert_eq!(format_duration(1_500_000_000), "1.5s");
        assert_eq!(format_duration(100_000_000), "100ms");
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(120_000_000_000), "2m0s");
        assert_eq!(format_duration(3_600_000_000_000), "1h0m0s");
        assert_eq!(format_duration(1_500), "1.5µs");
        assert_eq!(format_duration(42), "42ns");
        assert_eq!(format_duration(-2_000_000_000), "-2s");
    }

    #[test]
    fn floats_print_like_go() {
        assert_eq!(go_float_v(3.5), "3.5");
        assert_eq!(go_float_v(1e6), "1e+06");
        assert_eq!(go_float_v(123456.0), "123456");
        assert_eq!(go_float_v(1234567.0), "1.234567e+06");
        assert_eq!(go_float_v(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(go_float_v(1e-5), "1e-05");
        assert_eq!(go_float_v(2.0), "2");
        assert_eq!(go_float_v(1e21), "1e+21");
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("a\"b\n"), "\"a\\\"b\\n\"");
    }

    #[test]
    fn playground_epoch() {
        assert_eq!(format_time(1_257_894_000), "2009-11-10 23:00:00 +0000 UTC");
    }
}
