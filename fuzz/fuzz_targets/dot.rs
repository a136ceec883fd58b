#![no_main]
//! DOT text through layout-rs must come back as a drawing or a clear error.

use libfuzzer_sys::fuzz_target;
use strata_fuzz::diagram;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let _ = diagram::dot::render_drawing(src);
});
