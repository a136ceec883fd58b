//! Font setup shared by the app and the UI tests.

use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
use egui::{FontData, FontFamily};

// The bundled CJK font (crate::assets) is installed because a machine
// without a CJK font would show tofu for Chinese notes, and egui_kittest has
// no system fonts at all.
use crate::assets::CJK_FONT;

pub const CJK_FONT_NAME: &str = "NotoSansSC-Subset";

/// Appends the bundled CJK font after egui's defaults for both families, so
/// Latin text keeps egui's look and only missing glyphs fall through to it.
/// Idempotent: `add_font` skips a name that is already installed.
pub fn install_fonts(ctx: &egui::Context) {
    ctx.add_font(FontInsert {
        name: CJK_FONT_NAME.to_owned(),
        data: FontData::from_static(CJK_FONT),
        families: vec![
            InsertFontFamily {
                family: FontFamily::Proportional,
                priority: FontPriority::Lowest,
            },
            InsertFontFamily {
                family: FontFamily::Monospace,
                priority: FontPriority::Lowest,
            },
        ],
    });
}
