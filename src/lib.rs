//! Strata: a desktop studio for linked technical notes, flowcharts,
//! highlighted code and a Go concurrency simulator.
//!
//! Core modules (`vault`, `markdown`, `highlight`, `diagram`, `sim`,
//! `export`) never depend on the UI toolkit; `ui` depends on them.

pub mod assets;
pub mod check;
pub mod diagram;
pub mod embedded;
pub mod export;
pub mod graph;
pub mod highlight;
pub mod i18n;
pub mod logging;
pub mod markdown;
pub mod markup;
pub mod present;
pub mod review;
pub mod settings;
pub mod sim;
pub mod ui;
pub mod vault;
