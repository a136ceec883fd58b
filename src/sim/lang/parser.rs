//! Recursive-descent parser for the Go subset. Errors are reported like the Go
//! compiler ("syntax error: unexpected X, expected Y"); constructs outside the
//! subset are reported as `unsupported: <construct>`.

use super::ast::*;
use super::lexer::{lex, tok_text, Tok, Token};
use super::{Diag, Pos};

pub struct Parser {
    toks: Vec<Token>,
    i: usize,
    /// >= 0 means composite literals with a bare type name are allowed.
    expr_lev: i32,
    depth: u32,
}

type PResult<T> = Result<T, Diag>;

/// (name, type, variadic, position) of one parameter-list entry before grouping.
type ParamEntry = (Option<(String, Pos)>, Option<TypeExpr>, bool, Pos);

pub fn parse_file(src: &str) -> Result<File, Diag> {
    let toks = lex(src).map_err(|e| Diag {
        pos: e.pos,
        msg: e.msg,
    })?;
    let mut p = Parser {
        toks,
        i: 0,
        expr_lev: 0,
        depth: 0,
    };
    p.file()
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.i].tok
    }
    fn peek_at(&self, n: usize) -> &Tok {
        let j = (self.i + n).min(self.toks.len() - 1);
        &self.toks[j].tok
    }
    fn pos(&self) -> Pos {
        self.toks[self.i].pos
    }
    fn next(&mut self) -> Token {
        let t = self.toks[self.i].clone();
        if self.i + 1 < self.toks.len() {
            self.i += 1;
        }
        t
    }
    fn is_op(&self, o: &str) -> bool {
        matches!(self.peek(), Tok::Op(x) if *x == o)
    }
    fn is_kw(&self, k: &str) -> bool {
        matches!(self.peek(), Tok::Kw(x) if *x == k)
    }
    fn is_semi(&self) -> bool {
        matches!(self.peek(), Tok::Semi(_))
    }
    fn err<T>(&self, expected: &str) -> PResult<T> {
        let t = &self.toks[self.i];
        let msg = if expected.is_empty() {
            format!("syntax error: unexpected {}", tok_text(&t.tok))
        } else {
            format!(
                "syntax error: unexpected {}, expected {}",
                tok_text(&t.tok),
                expected
            )
        };
        Err(Diag { pos: t.pos, msg })
    }
    fn unsupported<T>(&self, pos: Pos, what: &str) -> PResult<T> {
        Err(Diag {
            pos,
            msg: format!("unsupported: {what}"),
        })
    }
    fn expect_op(&mut self, o: &str) -> PResult<Pos> {
        if self.is_op(o) {
            Ok(self.next().pos)
        } else {
            self.err(o)
        }
    }
    fn ident(&mut self) -> PResult<(String, Pos)> {
        match self.peek().clone() {
            Tok::Ident(s) => {
                let p = self.next().pos;
                Ok((s, p))
            }
            _ => self.err("name"),
        }
    }
    fn skip_semi(&mut self) {
        while self.is_semi() {
            self.next();
        }
    }
    fn expect_semi(&mut self, ctx: &str) -> PResult<()> {
        if self.is_semi() {
            self.next();
            Ok(())
        } else if self.is_op(")") || self.is_op("}") || matches!(self.peek(), Tok::Eof) {
            Ok(())
        } else {
            let t = &self.toks[self.i];
            Err(Diag {
                pos: t.pos,
                msg: format!("syntax error: unexpected {} {ctx}", tok_text(&t.tok)),
            })
        }
    }

    fn file(&mut self) -> PResult<File> {
        self.skip_semi();
        let mut package = None;
        if self.is_kw("package") {
            self.next();
            package = Some(self.ident()?);
            self.expect_semi("after package clause")?;
        }
        self.skip_semi();
        let mut imports = Vec::new();
        while self.is_kw("import") {
            self.next();
            if self.is_op("(") {
                self.next();
                self.skip_semi();
                while !self.is_op(")") {
                    imports.push(self.import_spec()?);
                    self.expect_semi("in import declaration")?;
                    self.skip_semi();
                }
                self.next();
            } else {
                imports.push(self.import_spec()?);
            }
            self.expect_semi("after import declaration")?;
            self.skip_semi();
        }
        let mut decls = Vec::new();
        loop {
            self.skip_semi();
            if matches!(self.peek(), Tok::Eof) {
                break;
            }
            if self.is_kw("func") && matches!(self.peek_at(1), Tok::Ident(_) | Tok::Op("(")) {
                // `func (r T) M()` or `func f()`; a func literal statement would
                // be `func() {...}()` which is not a top-level form in Go.
                if matches!(self.peek_at(1), Tok::Ident(_)) || package.is_some() {
                    decls.push(Decl::Func(self.func_decl()?));
                    self.expect_semi("after top level declaration")?;
                    continue;
                }
            }
            if self.is_kw("import") {
                return self.err("");
            }
            let s = self.stmt()?;
            if package.is_some()
                && !matches!(
                    s.kind,
                    StmtKind::Var(_) | StmtKind::Const(_) | StmtKind::Type(_)
                )
            {
                return Err(Diag {
                    pos: s.pos,
                    msg: "syntax error: non-declaration statement outside function body".into(),
                });
            }
            decls.push(Decl::Stmt(s));
            self.expect_semi("after top level declaration")?;
        }
        Ok(File {
            package,
            imports,
            decls,
        })
    }

    fn import_spec(&mut self) -> PResult<(String, Pos)> {
        let pos = self.pos();
        if let Tok::Ident(_) | Tok::Op(".") = self.peek() {
            return self.unsupported(pos, "renamed import");
        }
        match self.next().tok {
            Tok::Str(s) => Ok((s, pos)),
            _ => {
                self.i -= 1;
                self.err("import path")
            }
        }
    }

    fn func_decl(&mut self) -> PResult<FuncDecl> {
        let fpos = self.next().pos; // func
        let mut recv = None;
        if self.is_op("(") {
            let ps = self.params()?;
            if ps.len() != 1 {
                return Err(Diag {
                    pos: fpos,
                    msg: "method has multiple receivers".into(),
                });
            }
            recv = ps.into_iter().next();
        }
        let (name, pos) = self.ident()?;
        if self.is_op("[") {
            return self.unsupported(self.pos(), "generics");
        }
        let sig = self.signature()?;
        if matches!(self.peek(), Tok::Semi(true)) && matches!(self.peek_at(1), Tok::Op("{")) {
            return Err(Diag {
                pos: self.toks[self.i + 1].pos,
                msg: "syntax error: unexpected semicolon or newline before {".into(),
            });
        }
        let body = if self.is_op("{") {
            Some(self.block()?)
        } else {
            None
        };
        Ok(FuncDecl {
            name,
            pos,
            recv,
            sig,
            body,
        })
    }

    fn signature(&mut self) -> PResult<FuncType> {
        let params = self.params()?;
        let results = if self.is_op("(") {
            self.params()?
        } else if self.starts_type() {
            let pos = self.pos();
            vec![Param {
                name: None,
                ty: self.ty()?,
                variadic: false,
                pos,
            }]
        } else {
            Vec::new()
        };
        Ok(FuncType { params, results })
    }

    fn starts_type(&self) -> bool {
        match self.peek() {
            Tok::Ident(_) => true,
            Tok::Op(o) => matches!(*o, "*" | "[" | "(" | "<-"),
            Tok::Kw(k) => matches!(*k, "map" | "chan" | "func" | "struct" | "interface"),
            _ => false,
        }
    }

    /// Parameter list; handles both `(a, b int)` and `(int, string)` forms.
    fn params(&mut self) -> PResult<Vec<Param>> {
        self.expect_op("(")?;
        let mut entries: Vec<ParamEntry> = Vec::new();
        while !self.is_op(")") {
            let pos = self.pos();
            let mut variadic = false;
            if self.is_op("...") {
                self.next();
                variadic = true;
            }
            if let Tok::Ident(name) = self.peek().clone() {
                // name followed by a type, or a lone type name
                let nxt = self.peek_at(1).clone();
                let is_name_then_type =
                    !variadic && !matches!(nxt, Tok::Op(",") | Tok::Op(")") | Tok::Op("."));
                if is_name_then_type {
                    self.next();
                    let mut v = false;
                    if self.is_op("...") {
                        self.next();
                        v = true;
                    }
                    let t = self.ty()?;
                    entries.push((Some((name, pos)), Some(t), v, pos));
                } else {
                    let t = self.ty()?;
                    entries.push((None, Some(t), variadic, pos));
                }
            } else {
                let t = self.ty()?;
                entries.push((None, Some(t), variadic, pos));
            }
            if !self.is_op(",") {
                break;
            }
            self.next();
            self.skip_semi();
        }
        self.expect_op(")")?;
        // If any entry has a name, bare type-name entries are names sharing the next type.
        let any_named = entries.iter().any(|e| e.0.is_some());
        let mut out = Vec::new();
        if any_named {
            let mut pending: Vec<(String, Pos)> = Vec::new();
            for (name, ty, variadic, pos) in entries {
                match name {
                    Some(n) => {
                        let t = ty.unwrap_or(TypeExpr::Name("int".into(), pos));
                        for (pn, pp) in pending.drain(..) {
                            out.push(Param {
                                name: Some(pn),
                                ty: t.clone(),
                                variadic: false,
                                pos: pp,
                            });
                        }
                        out.push(Param {
                            name: Some(n.0),
                            ty: t,
                            variadic,
                            pos,
                        });
                    }
                    None => match ty {
                        Some(TypeExpr::Name(n, p)) => pending.push((n, p)),
                        _ => {
                            return Err(Diag {
                                pos,
                                msg: "syntax error: mixed named and unnamed parameters".into(),
                            })
                        }
                    },
                }
            }
            if let Some((_, p)) = pending.first() {
                return Err(Diag {
                    pos: *p,
                    msg: "syntax error: mixed named and unnamed parameters".into(),
                });
            }
        } else {
            for (_, ty, variadic, pos) in entries {
                if let Some(t) = ty {
                    out.push(Param {
                        name: None,
                        ty: t,
                        variadic,
                        pos,
                    });
                }
            }
        }
        Ok(out)
    }

    pub fn ty(&mut self) -> PResult<TypeExpr> {
        self.depth += 1;
        if self.depth > 200 {
            return self.unsupported(self.pos(), "nesting too deep");
        }
        let r = self.ty_inner();
        self.depth -= 1;
        r
    }

    fn ty_inner(&mut self) -> PResult<TypeExpr> {
        let pos = self.pos();
        match self.peek().clone() {
            Tok::Ident(name) => {
                self.next();
                if self.is_op(".") {
                    self.next();
                    let (sel, _) = self.ident()?;
                    return Ok(TypeExpr::Qual(name, sel, pos));
                }
                if self.is_op("[")
                    && self.expr_lev >= 0
                    && matches!(self.peek_at(1), Tok::Ident(_))
                    && matches!(self.peek_at(2), Tok::Op("]"))
                {
                    return self.unsupported(pos, "generics");
                }
                Ok(TypeExpr::Name(name, pos))
            }
            Tok::Op("*") => {
                self.next();
                Ok(TypeExpr::Ptr(Box::new(self.ty()?)))
            }
            Tok::Op("(") => {
                self.next();
                let t = self.ty()?;
                self.expect_op(")")?;
                Ok(t)
            }
            Tok::Op("[") => {
                self.next();
                if self.is_op("]") {
                    self.next();
                    return Ok(TypeExpr::Slice(Box::new(self.ty()?)));
                }
                let len = if self.is_op("...") {
                    self.next();
                    None
                } else {
                    let old = self.expr_lev;
                    self.expr_lev += 1;
                    let e = self.expr()?;
                    self.expr_lev = old;
                    Some(Box::new(e))
                };
                self.expect_op("]")?;
                Ok(TypeExpr::Array(len, Box::new(self.ty()?)))
            }
            Tok::Op("<-") => {
                self.next();
                if !self.is_kw("chan") {
                    return self.err("chan");
                }
                self.next();
                Ok(TypeExpr::Chan(ChanDir::Recv, Box::new(self.ty()?)))
            }
            Tok::Kw("chan") => {
                self.next();
                let dir = if self.is_op("<-") {
                    self.next();
                    ChanDir::Send
                } else {
                    ChanDir::Both
                };
                Ok(TypeExpr::Chan(dir, Box::new(self.ty()?)))
            }
            Tok::Kw("map") => {
                self.next();
                self.expect_op("[")?;
                let k = self.ty()?;
                self.expect_op("]")?;
                let v = self.ty()?;
                Ok(TypeExpr::Map(Box::new(k), Box::new(v)))
            }
            Tok::Kw("func") => {
                self.next();
                Ok(TypeExpr::Func(Box::new(self.signature()?)))
            }
            Tok::Kw("struct") => {
                self.next();
                self.expect_op("{")?;
                let mut fields = Vec::new();
                self.skip_semi();
                while !self.is_op("}") {
                    let fpos = self.pos();
                    if self.is_op("*") {
                        self.next();
                        let t = self.ty()?;
                        let name = type_base_name(&t);
                        fields.push(FieldDecl {
                            name,
                            ty: TypeExpr::Ptr(Box::new(t)),
                            embedded: true,
                        });
                    } else {
                        let (first, _) = self.ident()?;
                        if self.is_semi() || self.is_op("}") || matches!(self.peek(), Tok::Str(_)) {
                            fields.push(FieldDecl {
                                name: first.clone(),
                                ty: TypeExpr::Name(first, fpos),
                                embedded: true,
                            });
                        } else if self.is_op(".") {
                            self.next();
                            let (sel, _) = self.ident()?;
                            fields.push(FieldDecl {
                                name: sel.clone(),
                                ty: TypeExpr::Qual(first, sel, fpos),
                                embedded: true,
                            });
                        } else {
                            let mut names = vec![first];
                            while self.is_op(",") {
                                self.next();
                                names.push(self.ident()?.0);
                            }
                            let t = self.ty()?;
                            for n in names {
                                fields.push(FieldDecl {
                                    name: n,
                                    ty: t.clone(),
                                    embedded: false,
                                });
                            }
                        }
                    }
                    if let Tok::Str(_) = self.peek() {
                        self.next(); // struct tag, ignored
                    }
                    self.expect_semi("in struct type")?;
                    self.skip_semi();
                }
                self.next();
                Ok(TypeExpr::Struct(fields))
            }
            Tok::Kw("interface") => {
                self.next();
                self.expect_op("{")?;
                let mut methods = Vec::new();
                self.skip_semi();
                while !self.is_op("}") {
                    let mpos = self.pos();
                    let (name, _) = self.ident()?;
                    if self.is_op("(") {
                        methods.push((name, self.signature()?));
                    } else {
                        return self.unsupported(mpos, "embedded interface or type constraint");
                    }
                    self.expect_semi("in interface type")?;
                    self.skip_semi();
                }
                self.next();
                Ok(TypeExpr::Interface(methods, pos))
            }
            _ => self.err("type"),
        }
    }

    fn block(&mut self) -> PResult<Block> {
        self.expect_op("{")?;
        let old = self.expr_lev;
        self.expr_lev = 0;
        let stmts = self.stmt_list()?;
        self.expr_lev = old;
        let end = self.pos();
        self.expect_op("}")?;
        Ok(Block { stmts, end })
    }

    fn stmt_list(&mut self) -> PResult<Vec<Stmt>> {
        let mut out = Vec::new();
        loop {
            self.skip_semi();
            if self.is_op("}")
                || self.is_kw("case")
                || self.is_kw("default")
                || matches!(self.peek(), Tok::Eof)
            {
                break;
            }
            if self.is_kw("else") {
                return self.err("}");
            }
            let s = self.stmt()?;
            out.push(s);
            if self.is_op("}") || self.is_kw("case") || self.is_kw("default") {
                continue;
            }
            if !self.is_semi() {
                let t = &self.toks[self.i];
                return Err(Diag {
                    pos: t.pos,
                    msg: format!(
                        "syntax error: unexpected {} at end of statement",
                        tok_text(&t.tok)
                    ),
                });
            }
        }
        Ok(out)
    }

    fn stmt(&mut self) -> PResult<Stmt> {
        self.depth += 1;
        if self.depth > 200 {
            return self.unsupported(self.pos(), "nesting too deep");
        }
        let r = self.stmt_inner();
        self.depth -= 1;
        r
    }

    fn stmt_inner(&mut self) -> PResult<Stmt> {
        let pos = self.pos();
        let mk = |kind| Ok(Stmt { kind, pos });
        match self.peek().clone() {
            Tok::Kw("var") => {
                self.next();
                let specs = self.value_specs(false)?;
                mk(StmtKind::Var(specs))
            }
            Tok::Kw("const") => {
                self.next();
                let specs = self.value_specs(true)?;
                mk(StmtKind::Const(specs))
            }
            Tok::Kw("type") => {
                self.next();
                let mut out = Vec::new();
                let group = self.is_op("(");
                if group {
                    self.next();
                    self.skip_semi();
                }
                loop {
                    if group && self.is_op(")") {
                        self.next();
                        break;
                    }
                    let (name, npos) = self.ident()?;
                    if self.is_op("[")
                        && matches!(self.peek_at(1), Tok::Ident(_))
                        && !matches!(self.peek_at(2), Tok::Op("]"))
                    {
                        return self.unsupported(npos, "generics");
                    }
                    if self.is_op("=") {
                        return self.unsupported(npos, "type alias");
                    }
                    let t = self.ty()?;
                    out.push((name, t, npos));
                    if !group {
                        break;
                    }
                    self.expect_semi("in type declaration")?;
                    self.skip_semi();
                }
                mk(StmtKind::Type(out))
            }
            Tok::Kw("go") | Tok::Kw("defer") => {
                let is_go = self.is_kw("go");
                self.next();
                let epos = self.pos();
                let e = self.expr()?;
                if !matches!(e.kind, ExprKind::Call(..)) {
                    let what = if is_go { "go" } else { "defer" };
                    return Err(Diag {
                        pos: epos,
                        msg: format!("expression in {what} must be function call"),
                    });
                }
                mk(if is_go {
                    StmtKind::Go(e)
                } else {
                    StmtKind::Defer(e)
                })
            }
            Tok::Kw("return") => {
                self.next();
                let mut es = Vec::new();
                if !self.is_semi() && !self.is_op("}") {
                    es = self.expr_list()?;
                }
                mk(StmtKind::Return(es))
            }
            Tok::Kw("break") | Tok::Kw("continue") => {
                let is_break = self.is_kw("break");
                self.next();
                let label = if let Tok::Ident(l) = self.peek().clone() {
                    self.next();
                    Some(l)
                } else {
                    None
                };
                mk(if is_break {
                    StmtKind::Break(label)
                } else {
                    StmtKind::Continue(label)
                })
            }
            Tok::Kw("goto") => self.unsupported(pos, "goto"),
            Tok::Kw("fallthrough") => {
                self.next();
                mk(StmtKind::Fallthrough)
            }
            Tok::Op("{") => {
                let b = self.block()?;
                mk(StmtKind::Block(b))
            }
            Tok::Kw("if") => self.if_stmt(),
            Tok::Kw("for") => self.for_stmt(None),
            Tok::Kw("switch") => self.switch_stmt(None),
            Tok::Kw("select") => self.select_stmt(None),
            Tok::Semi(_) => mk(StmtKind::Empty),
            Tok::Ident(name) if matches!(self.peek_at(1), Tok::Op(":")) => {
                self.next();
                self.next();
                self.skip_semi();
                if self.is_kw("for") {
                    return self.for_stmt(Some(name));
                }
                if self.is_kw("switch") {
                    return self.switch_stmt(Some(name));
                }
                if self.is_kw("select") {
                    return self.select_stmt(Some(name));
                }
                if self.is_op("}") {
                    return mk(StmtKind::Labeled(
                        name,
                        Box::new(Stmt {
                            kind: StmtKind::Empty,
                            pos,
                        }),
                    ));
                }
                let s = self.stmt()?;
                mk(StmtKind::Labeled(name, Box::new(s)))
            }
            _ => self.simple_stmt(false),
        }
    }

    fn value_specs(&mut self, is_const: bool) -> PResult<Vec<ValueSpec>> {
        let mut out: Vec<ValueSpec> = Vec::new();
        let group = self.is_op("(");
        if group {
            self.next();
            self.skip_semi();
        }
        let mut iota = 0;
        loop {
            if group && self.is_op(")") {
                self.next();
                break;
            }
            let mut names = vec![self.ident()?];
            while self.is_op(",") {
                self.next();
                names.push(self.ident()?);
            }
            let ty = if !self.is_op("=") && !self.is_semi() && !self.is_op(")") {
                Some(self.ty()?)
            } else {
                None
            };
            let mut values = Vec::new();
            if self.is_op("=") {
                self.next();
                values = self.expr_list()?;
            } else if is_const {
                // implicit repetition of the previous expression list
                if let Some(prev) = out.last() {
                    values = prev.values.clone();
                    if ty.is_none() {
                        out.push(ValueSpec {
                            names,
                            ty: prev.ty.clone(),
                            values,
                            iota,
                        });
                        iota += 1;
                        if !group {
                            break;
                        }
                        self.expect_semi("in const declaration")?;
                        self.skip_semi();
                        continue;
                    }
                } else {
                    return Err(Diag {
                        pos: names[0].1,
                        msg: "missing init expr for const declaration".into(),
                    });
                }
            }
            out.push(ValueSpec {
                names,
                ty,
                values,
                iota,
            });
            iota += 1;
            if !group {
                break;
            }
            self.expect_semi("in declaration")?;
            self.skip_semi();
        }
        Ok(out)
    }

    fn if_stmt(&mut self) -> PResult<Stmt> {
        let pos = self.next().pos;
        let old = self.expr_lev;
        self.expr_lev = -1;
        let mut init = None;
        let cond;
        if self.is_op("{") {
            return Err(Diag {
                pos: self.pos(),
                msg: "syntax error: missing condition in if statement".into(),
            });
        }
        let s = if self.is_semi() {
            None
        } else {
            Some(self.simple_stmt(false)?)
        };
        if self.is_semi() {
            self.next();
            init = s.map(Box::new);
            if self.is_op("{") {
                return Err(Diag {
                    pos: self.pos(),
                    msg: "syntax error: missing condition in if statement".into(),
                });
            }
            cond = self.expr()?;
        } else {
            match s {
                Some(Stmt {
                    kind: StmtKind::Expr(e),
                    ..
                }) => cond = e,
                Some(st) => {
                    return Err(Diag {
                        pos: st.pos,
                        msg: "syntax error: cannot use assignment as value; missing condition in if statement".into(),
                    })
                }
                None => return self.err("condition"),
            }
        }
        self.expr_lev = old;
        let then = self.block()?;
        let mut els = None;
        if self.is_kw("else") {
            self.next();
            if self.is_kw("if") {
                els = Some(Box::new(self.if_stmt()?));
            } else if self.is_op("{") {
                let bpos = self.pos();
                let b = self.block()?;
                els = Some(Box::new(Stmt {
                    kind: StmtKind::Block(b),
                    pos: bpos,
                }));
            } else {
                return self.err("if statement or block");
            }
        }
        Ok(Stmt {
            kind: StmtKind::If(init, cond, then, els),
            pos,
        })
    }

    fn for_stmt(&mut self, label: Option<String>) -> PResult<Stmt> {
        let pos = self.next().pos;
        let old = self.expr_lev;
        self.expr_lev = -1;
        if self.is_op("{") {
            self.expr_lev = old;
            let body = self.block()?;
            return Ok(Stmt {
                kind: StmtKind::For(None, None, None, body, label),
                pos,
            });
        }
        if self.is_kw("range") {
            self.next();
            let e = self.expr()?;
            self.expr_lev = old;
            let body = self.block()?;
            return Ok(Stmt {
                kind: StmtKind::Range(None, None, false, e, body, label),
                pos,
            });
        }
        let init = if self.is_semi() {
            None
        } else {
            Some(self.simple_stmt(true)?)
        };
        if let Some(Stmt {
            kind: StmtKind::Range(k, v, def, e, _, _),
            ..
        }) = &init
        {
            let (k, v, def, e) = (k.clone(), v.clone(), *def, e.clone());
            self.expr_lev = old;
            let body = self.block()?;
            return Ok(Stmt {
                kind: StmtKind::Range(k, v, def, e, body, label),
                pos,
            });
        }
        if self.is_op("{") {
            self.expr_lev = old;
            let body = self.block()?;
            let cond = match init {
                Some(Stmt {
                    kind: StmtKind::Expr(e),
                    ..
                }) => Some(e),
                None => None,
                Some(s) => {
                    return Err(Diag {
                        pos: s.pos,
                        msg: "syntax error: expected for loop condition".into(),
                    })
                }
            };
            return Ok(Stmt {
                kind: StmtKind::For(None, cond, None, body, label),
                pos,
            });
        }
        if !self.is_semi() {
            return self.err("{ after for clause");
        }
        self.next();
        let cond = if self.is_semi() {
            None
        } else {
            Some(self.expr()?)
        };
        if !self.is_semi() {
            return self.err("semicolon");
        }
        self.next();
        let post = if self.is_op("{") {
            None
        } else {
            Some(Box::new(self.simple_stmt(false)?))
        };
        self.expr_lev = old;
        let body = self.block()?;
        Ok(Stmt {
            kind: StmtKind::For(init.map(Box::new), cond, post, body, label),
            pos,
        })
    }

    fn switch_stmt(&mut self, label: Option<String>) -> PResult<Stmt> {
        let pos = self.next().pos;
        let old = self.expr_lev;
        self.expr_lev = -1;
        let mut init = None;
        let mut tag = None;
        if !self.is_op("{") {
            let s1 = if self.is_semi() {
                None
            } else {
                Some(self.simple_stmt(false)?)
            };
            if self.is_semi() {
                self.next();
                init = s1.map(Box::new);
                if !self.is_op("{") {
                    tag = Some(self.simple_stmt(false)?);
                }
            } else {
                tag = s1;
            }
        }
        self.expr_lev = old;
        // type switch detection
        let mut ts: Option<(Option<String>, Expr)> = None;
        let mut tag_expr = None;
        match tag {
            Some(Stmt {
                kind: StmtKind::Define(l, r),
                ..
            }) if r.len() == 1 && matches!(r[0].kind, ExprKind::TypeAssert(_, None)) => {
                let name = match &l[0].kind {
                    ExprKind::Ident(n) => Some(n.clone()),
                    _ => None,
                };
                if let ExprKind::TypeAssert(x, None) = &r[0].kind {
                    ts = Some((name, (**x).clone()));
                }
            }
            Some(Stmt {
                kind: StmtKind::Expr(e),
                ..
            }) => {
                if let ExprKind::TypeAssert(x, None) = &e.kind {
                    ts = Some((None, (**x).clone()));
                } else {
                    tag_expr = Some(e);
                }
            }
            Some(s) => {
                return Err(Diag {
                    pos: s.pos,
                    msg: "syntax error: switch expression must be an expression".into(),
                })
            }
            None => {}
        }
        self.expect_op("{")?;
        let mut clauses = Vec::new();
        self.skip_semi();
        while !self.is_op("}") {
            let cpos = self.pos();
            let mut c = CaseClause {
                exprs: Vec::new(),
                types: Vec::new(),
                is_default: false,
                body: Vec::new(),
                pos: cpos,
            };
            if self.is_kw("default") {
                self.next();
                c.is_default = true;
            } else if self.is_kw("case") {
                self.next();
                if ts.is_some() {
                    loop {
                        if matches!(self.peek(), Tok::Ident(n) if n == "nil") {
                            self.next();
                            c.types.push(None);
                        } else {
                            c.types.push(Some(self.ty()?));
                        }
                        if !self.is_op(",") {
                            break;
                        }
                        self.next();
                    }
                } else {
                    c.exprs = self.expr_list()?;
                }
            } else {
                return self.err("case or default or }");
            }
            self.expect_op(":")?;
            c.body = self.stmt_list()?;
            clauses.push(c);
        }
        self.next();
        let kind = match ts {
            Some((name, x)) => StmtKind::TypeSwitch(init, name, x, clauses, label),
            None => StmtKind::Switch(init, tag_expr, clauses, label),
        };
        Ok(Stmt { kind, pos })
    }

    fn select_stmt(&mut self, label: Option<String>) -> PResult<Stmt> {
        let pos = self.next().pos;
        self.expect_op("{")?;
        let mut clauses = Vec::new();
        self.skip_semi();
        while !self.is_op("}") {
            let cpos = self.pos();
            let comm = if self.is_kw("default") {
                self.next();
                CommKind::Default
            } else if self.is_kw("case") {
                self.next();
                let s = self.simple_stmt(false)?;
                let is_define = matches!(s.kind, StmtKind::Define(..));
                match s.kind {
                    StmtKind::Send(c, v) => CommKind::Send(c, v),
                    StmtKind::Expr(e) => {
                        match e.kind {
                            ExprKind::Unary("<-", ch) => CommKind::Recv(Vec::new(), false, *ch),
                            _ => return Err(Diag {
                                pos: e.pos,
                                msg:
                                    "select case must be send or receive (possibly with assignment)"
                                        .into(),
                            }),
                        }
                    }
                    StmtKind::Define(l, mut r) | StmtKind::Assign(l, "=", mut r)
                        if r.len() == 1 && matches!(r[0].kind, ExprKind::Unary("<-", _)) =>
                    {
                        let define = is_define;
                        let e = r.remove(0);
                        match e.kind {
                            ExprKind::Unary(_, ch) => CommKind::Recv(l, define, *ch),
                            _ => unreachable_comm(),
                        }
                    }
                    _ => {
                        return Err(Diag {
                            pos: s.pos,
                            msg: "select case must be send or receive (possibly with assignment)"
                                .into(),
                        })
                    }
                }
            } else {
                return self.err("case or default or }");
            };
            self.expect_op(":")?;
            let body = self.stmt_list()?;
            clauses.push(CommClause {
                comm,
                body,
                pos: cpos,
            });
        }
        self.next();
        Ok(Stmt {
            kind: StmtKind::Select(clauses, label),
            pos,
        })
    }

    fn simple_stmt(&mut self, range_ok: bool) -> PResult<Stmt> {
        let pos = self.pos();
        if range_ok && self.is_kw("range") {
            self.next();
            let e = self.expr()?;
            return Ok(Stmt {
                kind: StmtKind::Range(
                    None,
                    None,
                    false,
                    e,
                    Block {
                        stmts: vec![],
                        end: pos,
                    },
                    None,
                ),
                pos,
            });
        }
        let lhs = self.expr_list()?;
        match self.peek().clone() {
            Tok::Op(":=") | Tok::Op("=") => {
                let define = self.is_op(":=");
                let op = if define { ":=" } else { "=" };
                self.next();
                if range_ok && self.is_kw("range") {
                    self.next();
                    let e = self.expr()?;
                    if lhs.len() > 2 {
                        return Err(Diag {
                            pos,
                            msg:
                                "syntax error: range clause permits at most two iteration variables"
                                    .into(),
                        });
                    }
                    let mut it = lhs.into_iter();
                    let k = it.next();
                    let v = it.next();
                    return Ok(Stmt {
                        kind: StmtKind::Range(
                            k,
                            v,
                            define,
                            e,
                            Block {
                                stmts: vec![],
                                end: pos,
                            },
                            None,
                        ),
                        pos,
                    });
                }
                let rhs = self.expr_list()?;
                let kind = if define {
                    for l in &lhs {
                        if !matches!(l.kind, ExprKind::Ident(_)) {
                            return Err(Diag {
                                pos: l.pos,
                                msg: "syntax error: non-name on left side of :=".into(),
                            });
                        }
                    }
                    StmtKind::Define(lhs, rhs)
                } else {
                    StmtKind::Assign(lhs, op, rhs)
                };
                Ok(Stmt { kind, pos })
            }
            Tok::Op(o)
                if matches!(
                    o,
                    "+=" | "-=" | "*=" | "/=" | "%=" | "&=" | "|=" | "^=" | "<<=" | ">>=" | "&^="
                ) =>
            {
                self.next();
                let rhs = self.expr_list()?;
                Ok(Stmt {
                    kind: StmtKind::Assign(lhs, o, rhs),
                    pos,
                })
            }
            Tok::Op("++") | Tok::Op("--") => {
                let inc = self.is_op("++");
                self.next();
                let e = single(lhs, pos)?;
                Ok(Stmt {
                    kind: StmtKind::IncDec(e, inc),
                    pos,
                })
            }
            Tok::Op("<-") => {
                self.next();
                let v = self.expr()?;
                let ch = single(lhs, pos)?;
                Ok(Stmt {
                    kind: StmtKind::Send(ch, v),
                    pos,
                })
            }
            _ => {
                let e = single(lhs, pos)?;
                Ok(Stmt {
                    kind: StmtKind::Expr(e),
                    pos,
                })
            }
        }
    }

    fn expr_list(&mut self) -> PResult<Vec<Expr>> {
        let mut v = vec![self.expr()?];
        while self.is_op(",") {
            self.next();
            v.push(self.expr()?);
        }
        Ok(v)
    }

    pub fn expr(&mut self) -> PResult<Expr> {
        self.depth += 1;
        if self.depth > 300 {
            return self.unsupported(self.pos(), "nesting too deep");
        }
        let r = self.binary(1);
        self.depth -= 1;
        r
    }

    fn binary(&mut self, min_prec: u8) -> PResult<Expr> {
        let mut left = self.unary()?;
        while let Tok::Op(o) = self.peek() {
            let (op, prec) = match prec_of(o) {
                Some(p) => (*o, p),
                None => break,
            };
            if prec < min_prec {
                break;
            }
            let pos = self.next().pos;
            let right = self.binary(prec + 1)?;
            left = Expr {
                kind: ExprKind::Binary(op, Box::new(left), Box::new(right)),
                pos,
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        if let Tok::Op(o) = self.peek().clone() {
            if matches!(o, "-" | "+" | "!" | "^" | "*" | "&" | "<-") {
                self.next();
                if o == "<-" && self.is_kw("chan") {
                    // `<-chan T` type in expression position
                    self.next();
                    let t = self.ty()?;
                    let te = TypeExpr::Chan(ChanDir::Recv, Box::new(t));
                    return self.primary_suffix(Expr {
                        kind: ExprKind::Type(te),
                        pos,
                    });
                }
                self.depth += 1;
                if self.depth > 300 {
                    return self.unsupported(pos, "nesting too deep");
                }
                let x = self.unary();
                self.depth -= 1;
                let x = x?;
                return Ok(Expr {
                    kind: ExprKind::Unary(o, Box::new(x)),
                    pos,
                });
            }
        }
        self.primary()
    }

    fn operand(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        let kind = match self.peek().clone() {
            Tok::Int(v) => {
                self.next();
                ExprKind::Int(v)
            }
            Tok::Float(v) => {
                self.next();
                ExprKind::Float(v)
            }
            Tok::Char(v) => {
                self.next();
                ExprKind::Char(v)
            }
            Tok::Str(s) => {
                self.next();
                ExprKind::Str(s)
            }
            Tok::Ident(s) => {
                self.next();
                ExprKind::Ident(s)
            }
            Tok::Op("(") => {
                self.next();
                let old = self.expr_lev;
                self.expr_lev += 1;
                let e = self.expr_or_type()?;
                self.expr_lev = old;
                self.expect_op(")")?;
                ExprKind::Paren(Box::new(e))
            }
            Tok::Kw("func") => {
                self.next();
                let sig = self.signature()?;
                if self.is_op("{") {
                    let old = self.expr_lev;
                    self.expr_lev = 0;
                    let body = self.block()?;
                    self.expr_lev = old;
                    ExprKind::FuncLit(sig, body)
                } else {
                    ExprKind::Type(TypeExpr::Func(Box::new(sig)))
                }
            }
            Tok::Op("[")
            | Tok::Kw("map")
            | Tok::Kw("chan")
            | Tok::Kw("struct")
            | Tok::Kw("interface")
            | Tok::Op("*") => ExprKind::Type(self.ty()?),
            _ => return self.err("expression"),
        };
        Ok(Expr { kind, pos })
    }

    fn expr_or_type(&mut self) -> PResult<Expr> {
        self.expr()
    }

    fn primary(&mut self) -> PResult<Expr> {
        let x = self.operand()?;
        self.primary_suffix(x)
    }

    fn primary_suffix(&mut self, mut x: Expr) -> PResult<Expr> {
        loop {
            let pos = self.pos();
            match self.peek().clone() {
                Tok::Op(".") => {
                    self.next();
                    if self.is_op("(") {
                        self.next();
                        if self.is_kw("type") {
                            self.next();
                            self.expect_op(")")?;
                            x = Expr {
                                kind: ExprKind::TypeAssert(Box::new(x), None),
                                pos,
                            };
                        } else {
                            let t = self.ty()?;
                            self.expect_op(")")?;
                            x = Expr {
                                kind: ExprKind::TypeAssert(Box::new(x), Some(t)),
                                pos,
                            };
                        }
                    } else {
                        let (name, npos) = self.ident()?;
                        x = Expr {
                            kind: ExprKind::Selector(Box::new(x), name),
                            pos: npos,
                        };
                    }
                }
                Tok::Op("(") => {
                    self.next();
                    let old = self.expr_lev;
                    self.expr_lev += 1;
                    let mut args = Vec::new();
                    let mut ellipsis = false;
                    self.skip_semi_in_list();
                    while !self.is_op(")") {
                        args.push(self.expr_or_type()?);
                        if self.is_op("...") {
                            self.next();
                            ellipsis = true;
                        }
                        if matches!(self.peek(), Tok::Semi(true)) {
                            return Err(Diag {
                                pos: self.pos(),
                                msg: "syntax error: unexpected newline in argument list; possibly missing comma or )".into(),
                            });
                        }
                        if !self.is_op(",") {
                            break;
                        }
                        self.next();
                        self.skip_semi_in_list();
                    }
                    self.expr_lev = old;
                    self.skip_semi_in_list();
                    self.expect_op(")")?;
                    let xpos = x.pos;
                    x = Expr {
                        kind: ExprKind::Call(Box::new(x), args, ellipsis),
                        pos: xpos,
                    };
                }
                Tok::Op("[") => {
                    self.next();
                    let old = self.expr_lev;
                    self.expr_lev += 1;
                    let mut lo = None;
                    if !self.is_op(":") {
                        let e = self.expr_or_type()?;
                        if self.is_op("]") {
                            self.next();
                            self.expr_lev = old;
                            x = Expr {
                                kind: ExprKind::Index(Box::new(x), vec![e]),
                                pos,
                            };
                            continue;
                        }
                        if self.is_op(",") {
                            return self.unsupported(pos, "generics");
                        }
                        lo = Some(Box::new(e));
                    }
                    self.expect_op(":")?;
                    let mut hi = None;
                    let mut max = None;
                    if !self.is_op("]") && !self.is_op(":") {
                        hi = Some(Box::new(self.expr()?));
                    }
                    if self.is_op(":") {
                        self.next();
                        max = Some(Box::new(self.expr()?));
                    }
                    self.expect_op("]")?;
                    self.expr_lev = old;
                    x = Expr {
                        kind: ExprKind::Slice(Box::new(x), lo, hi, max),
                        pos,
                    };
                }
                Tok::Op("{") => {
                    let is_type_like = match &x.kind {
                        ExprKind::Type(TypeExpr::Func(_)) => false,
                        ExprKind::Type(_) => true,
                        ExprKind::Ident(_) | ExprKind::Selector(..) => self.expr_lev >= 0,
                        _ => false,
                    };
                    if !is_type_like {
                        break;
                    }
                    let ty = expr_to_type(&x);
                    let elems = self.composite_body()?;
                    let xpos = x.pos;
                    x = Expr {
                        kind: ExprKind::Composite(ty, elems),
                        pos: xpos,
                    };
                }
                _ => break,
            }
        }
        Ok(x)
    }

    fn skip_semi_in_list(&mut self) {
        while matches!(self.peek(), Tok::Semi(true)) {
            self.next();
        }
    }

    fn composite_body(&mut self) -> PResult<Vec<(Option<Expr>, Expr)>> {
        self.expect_op("{")?;
        let old = self.expr_lev;
        self.expr_lev = 0;
        let mut elems = Vec::new();
        self.skip_semi_in_list();
        while !self.is_op("}") {
            let first = self.element()?;
            if self.is_op(":") {
                self.next();
                let v = self.element()?;
                elems.push((Some(first), v));
            } else {
                elems.push((None, first));
            }
            if matches!(self.peek(), Tok::Semi(true)) {
                return Err(Diag {
                    pos: self.pos(),
                    msg: "syntax error: unexpected newline in composite literal; possibly missing comma or }".into(),
                });
            }
            if !self.is_op(",") {
                break;
            }
            self.next();
            self.skip_semi_in_list();
        }
        self.skip_semi_in_list();
        if !self.is_op("}") {
            return self.err("comma or }");
        }
        self.next();
        self.expr_lev = old;
        Ok(elems)
    }

    fn element(&mut self) -> PResult<Expr> {
        if self.is_op("{") {
            let pos = self.pos();
            let elems = self.composite_body()?;
            return Ok(Expr {
                kind: ExprKind::Composite(None, elems),
                pos,
            });
        }
        self.expr()
    }
}

fn unreachable_comm() -> CommKind {
    CommKind::Default
}

fn single(mut v: Vec<Expr>, pos: Pos) -> PResult<Expr> {
    if v.len() != 1 {
        return Err(Diag {
            pos,
            msg: format!("syntax error: unexpected {} expressions", v.len()),
        });
    }
    Ok(v.remove(0))
}

fn prec_of(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "==" | "!=" | "<" | "<=" | ">" | ">=" => 3,
        "+" | "-" | "|" | "^" => 4,
        "*" | "/" | "%" | "<<" | ">>" | "&" | "&^" => 5,
        _ => return None,
    })
}

fn type_base_name(t: &TypeExpr) -> String {
    match t {
        TypeExpr::Name(n, _) => n.clone(),
        TypeExpr::Qual(_, n, _) => n.clone(),
        TypeExpr::Ptr(t) => type_base_name(t),
        _ => "?".into(),
    }
}

/// Reinterprets an expression that appears where a type is expected.
pub fn expr_to_type(e: &Expr) -> Option<TypeExpr> {
    match &e.kind {
        ExprKind::Ident(n) => Some(TypeExpr::Name(n.clone(), e.pos)),
        ExprKind::Selector(x, n) => match &x.kind {
            ExprKind::Ident(p) => Some(TypeExpr::Qual(p.clone(), n.clone(), e.pos)),
            _ => None,
        },
        ExprKind::Type(t) => Some(t.clone()),
        ExprKind::Unary("*", x) => expr_to_type(x).map(|t| TypeExpr::Ptr(Box::new(t))),
        ExprKind::Paren(x) => expr_to_type(x),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_program() {
        let src = "package main\nimport \"fmt\"\nfunc main() {\n\tx := []int{1, 2}\n\tfor i, v := range x { fmt.Println(i, v) }\n\tif y := 3; y > 2 { return }\n}\n";
        let f = parse_file(src).unwrap();
        assert_eq!(f.imports.len(), 1);
        assert_eq!(f.decls.len(), 1);
    }

    #[test]
    fn reports_syntax_error_position() {
        let e = parse_file("package main\nfunc main() {\n\tx := \n}\n").unwrap_err();
        assert_eq!(e.pos.line, 4);
        assert!(e.msg.starts_with("syntax error"), "{}", e.msg);
    }

    #[test]
    fn composite_in_if_header_needs_parens() {
        let src = "package main\ntype T struct{a int}\nfunc main() {\n\tt := T{1}\n\tif t == (T{1}) { }\n}\n";
        assert!(parse_file(src).is_ok());
    }

    #[test]
    fn generics_unsupported() {
        let e = parse_file("package main\nfunc Map[T any](x T) T { return x }\n").unwrap_err();
        assert!(e.msg.contains("unsupported: generics"), "{}", e.msg);
    }
}
