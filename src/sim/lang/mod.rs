//! Front end: lexer, parser and syntax tree of the supported Go subset.

pub mod ast;
pub mod lexer;
pub mod parser;

/// 1-based line and byte column, as the Go compiler reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// A positioned front-end or checker message.
#[derive(Debug, Clone)]
pub struct Diag {
    pub pos: Pos,
    pub msg: String,
}
