//! The parser-facing core of Strata, compiled on its own for fuzzing. The
//! module paths match the main crate so `crate::...` references resolve.

#[path = "../../src/assets.rs"]
pub mod assets;
#[path = "../../src/diagram/mod.rs"]
pub mod diagram;
#[path = "../../src/markdown/mod.rs"]
pub mod markdown;
#[path = "../../src/markup.rs"]
pub mod markup;
#[path = "../../src/sim/mod.rs"]
pub mod sim;
