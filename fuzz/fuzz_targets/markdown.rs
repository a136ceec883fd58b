#![no_main]
//! Any text must parse into the note model the preview and export draw from.

use libfuzzer_sys::fuzz_target;
use strata_fuzz::markdown;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let doc = markdown::parse(src);
    let _ = markdown::diagrams(&doc);
    let _ = markdown::find_tags(src);
});
