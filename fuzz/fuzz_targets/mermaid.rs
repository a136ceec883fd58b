#![no_main]
//! Mermaid text -> parse -> layout -> SVG must never panic, and a diagram
//! that parses must lay out and render.

use libfuzzer_sys::fuzz_target;
use strata_fuzz::diagram;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    if diagram::parse::parse(src).is_ok() {
        diagram::render_svg(src, diagram::svg::Theme::Light)
            .expect("a diagram that parses must render");
    }
});
