//! Files embedded in the binary, so Strata runs from a bare folder.

/// Noto Sans CJK SC cut to GB2312 level 1, symbols and every character of the
/// samples (SIL OFL 1.1; licence and regeneration script in assets/fonts/).
/// One copy serves the UI, the PNG renderer and the tests.
pub static CJK_FONT: &[u8] = include_bytes!("../assets/fonts/NotoSansSC-Subset.otf");

/// Family name inside `CJK_FONT`, as SVG font stacks and fontdb see it.
pub const CJK_FAMILY: &str = "Noto Sans CJK SC";
