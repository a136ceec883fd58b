//! Syntax tree for the supported Go subset.

use super::Pos;

#[derive(Debug, Clone)]
pub struct File {
    pub package: Option<(String, Pos)>,
    pub imports: Vec<(String, Pos)>,
    pub decls: Vec<Decl>,
}

#[derive(Debug, Clone)]
pub enum Decl {
    Func(FuncDecl),
    Stmt(Stmt),
}

#[derive(Debug, Clone)]
pub struct FuncDecl {
    pub name: String,
    pub pos: Pos,
    pub recv: Option<Param>,
    pub sig: FuncType,
    pub body: Option<Block>,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: Option<String>,
    pub ty: TypeExpr,
    pub variadic: bool,
    pub pos: Pos,
}

#[derive(Debug, Clone, Default)]
pub struct FuncType {
    pub params: Vec<Param>,
    pub results: Vec<Param>,
}

#[derive(Debug, Clone)]
pub struct FieldDecl {
    pub name: String,
    pub ty: TypeExpr,
    pub embedded: bool,
}

#[derive(Debug, Clone)]
pub enum TypeExpr {
    Name(String, Pos),
    Qual(String, String, Pos),
    Ptr(Box<TypeExpr>),
    Slice(Box<TypeExpr>),
    /// `None` length is `[...]T`.
    Array(Option<Box<Expr>>, Box<TypeExpr>),
    Map(Box<TypeExpr>, Box<TypeExpr>),
    Chan(ChanDir, Box<TypeExpr>),
    Func(Box<FuncType>),
    Struct(Vec<FieldDecl>),
    Interface(Vec<(String, FuncType)>, Pos),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ChanDir {
    Both,
    Send,
    Recv,
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Ident(String),
    Int(i64),
    Float(f64),
    Char(i64),
    Str(String),
    Composite(Option<TypeExpr>, Vec<(Option<Expr>, Expr)>),
    FuncLit(FuncType, Block),
    Paren(Box<Expr>),
    Selector(Box<Expr>, String),
    Index(Box<Expr>, Vec<Expr>),
    Slice(
        Box<Expr>,
        Option<Box<Expr>>,
        Option<Box<Expr>>,
        Option<Box<Expr>>,
    ),
    /// `None` type is `x.(type)` inside a type switch.
    TypeAssert(Box<Expr>, Option<TypeExpr>),
    Call(Box<Expr>, Vec<Expr>, bool),
    Unary(&'static str, Box<Expr>),
    Binary(&'static str, Box<Expr>, Box<Expr>),
    Type(TypeExpr),
}

#[derive(Debug, Clone)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub end: Pos,
}

#[derive(Debug, Clone)]
pub struct Stmt {
    pub kind: StmtKind,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct ValueSpec {
    pub names: Vec<(String, Pos)>,
    pub ty: Option<TypeExpr>,
    pub values: Vec<Expr>,
    /// Index of this spec inside a const group (for iota).
    pub iota: i64,
}

#[derive(Debug, Clone)]
pub struct CaseClause {
    pub exprs: Vec<Expr>,
    pub types: Vec<Option<TypeExpr>>,
    pub is_default: bool,
    pub body: Vec<Stmt>,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub enum CommKind {
    Send(Expr, Expr),
    /// lhs, define, channel expression
    Recv(Vec<Expr>, bool, Expr),
    Default,
}

#[derive(Debug, Clone)]
pub struct CommClause {
    pub comm: CommKind,
    pub body: Vec<Stmt>,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub enum StmtKind {
    Expr(Expr),
    Assign(Vec<Expr>, &'static str, Vec<Expr>),
    Define(Vec<Expr>, Vec<Expr>),
    IncDec(Expr, bool),
    Send(Expr, Expr),
    Var(Vec<ValueSpec>),
    Const(Vec<ValueSpec>),
    Type(Vec<(String, TypeExpr, Pos)>),
    Go(Expr),
    Defer(Expr),
    Return(Vec<Expr>),
    Break(Option<String>),
    Continue(Option<String>),
    Fallthrough,
    Block(Block),
    If(Option<Box<Stmt>>, Expr, Block, Option<Box<Stmt>>),
    For(
        Option<Box<Stmt>>,
        Option<Expr>,
        Option<Box<Stmt>>,
        Block,
        Option<String>,
    ),
    /// key, value, define, expr, body, label
    Range(
        Option<Expr>,
        Option<Expr>,
        bool,
        Expr,
        Block,
        Option<String>,
    ),
    Switch(
        Option<Box<Stmt>>,
        Option<Expr>,
        Vec<CaseClause>,
        Option<String>,
    ),
    /// init, bound name, subject, clauses, label
    TypeSwitch(
        Option<Box<Stmt>>,
        Option<String>,
        Expr,
        Vec<CaseClause>,
        Option<String>,
    ),
    Select(Vec<CommClause>, Option<String>),
    Labeled(String, Box<Stmt>),
    Empty,
}
