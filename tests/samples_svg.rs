//! Every diagram in the bundled samples exports to an SVG that a strict
//! renderer (usvg) accepts and that draws visible text: what a user gets
//! when they open the exported files outside a browser.

use resvg::usvg;
use strata::vault::Vault;

#[test]
fn every_samples_svg_parses_with_usvg_and_keeps_its_labels() {
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let vault = Vault::open(&samples).expect("open samples");
    let out = tempfile::tempdir().expect("tempdir");
    let report = strata::export::export_svgs_report(&vault, out.path()).expect("export");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(
        report.files.len() >= 6,
        "only {} diagrams",
        report.files.len()
    );
    for file in &report.files {
        let svg = std::fs::read_to_string(file).expect("read svg");
        let tree = usvg::Tree::from_str(&svg, &usvg::Options::default())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(tree.size().width() > 0.0 && tree.size().height() > 0.0);
        assert!(svg.contains("<text"), "{}: no text", file.display());
        assert!(!svg.contains("foreignObject"), "{}", file.display());
        let png = strata::diagram::png::svg_to_png(&svg, 1.0)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(
            png.len() > 1000,
            "{}: suspiciously small PNG",
            file.display()
        );
    }
}
