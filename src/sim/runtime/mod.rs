//! Runtime library: Go standard-library subset (fmt, strings, sync, time, os...).

pub mod fmt;
pub mod names;
