//! Compiler to bytecode and the interpreter with its scheduler.

pub mod chan;
pub mod compile;
pub mod exec;
pub mod interp;
pub mod natives;
pub mod ops;
pub mod program;
pub mod value;
