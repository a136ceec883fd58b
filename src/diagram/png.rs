//! SVG -> PNG through resvg, with fonts loaded explicitly.
//!
//! usvg maps generic families to fonts a machine may lack, and then labels
//! silently vanish; so the bundled CJK font is always loaded and named as the
//! sans-serif fallback, with the system's fonts tried first for Latin text.

use crate::assets::{CJK_FAMILY, CJK_FONT};
use resvg::{tiny_skia, usvg};
use std::sync::{Arc, OnceLock};

fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_system_fonts();
        db.load_font_data(CJK_FONT.to_vec());
        db.set_sans_serif_family(CJK_FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Rasterize an SVG document at `scale` (2.0 gives crisp slides).
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    let opt = usvg::Options {
        fontdb: fonts(),
        font_family: CJK_FAMILY.to_string(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| format!("invalid SVG: {e}"))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("empty drawing")?;
    // Guard against absurd sizes (a huge diagram at a large scale) before
    // allocating the pixmap.
    if u64::from(size.width()) * u64::from(size.height()) > 100_000_000 {
        return Err(format!(
            "drawing too large for PNG ({}x{} px); use SVG",
            size.width(),
            size.height()
        ));
    }
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("empty drawing")?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("PNG encoding failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_flowchart_with_visible_text() {
        let svg = crate::diagram::render_svg(
            "flowchart TD\n  A[打开文件] --> B{leak?}\n",
            crate::diagram::Theme::Light,
        )
        .expect("svg");
        let png = svg_to_png(&svg, 1.0).expect("png");
        assert_eq!(&png[1..4], b"PNG");
        // Text must not vanish: decode and count dark pixels inside.
        let img = image::load_from_memory(&png).expect("decode").to_rgba8();
        let dark = img
            .pixels()
            .filter(|p| p[3] > 0 && p[0] < 80 && p[1] < 80 && p[2] < 80)
            .count();
        assert!(dark > 50, "only {dark} dark pixels: labels missing?");
    }

    #[test]
    fn invalid_svg_is_an_error() {
        assert!(svg_to_png("<svg", 1.0).is_err());
        assert!(svg_to_png("not svg at all", 1.0).is_err());
    }
}
