//! Steps of a reviewer commenting in the app, shared by the review tests.

use egui::{Event, Modifiers, PointerButton};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use std::fs;
use std::path::Path;
use strata::review::ReviewFile;
use strata::ui::StrataApp;

/// The review file saved for `note` under the vault at `root`.
pub fn on_disk(root: &Path, note: &str) -> ReviewFile {
    let path = root.join(".strata/reviews").join(format!("{note}.ron"));
    let text = fs::read_to_string(path).expect("review file written");
    ReviewFile::from_ron(&text).expect("valid RON")
}

/// Where a diagram node (a button named by its label) is drawn.
pub fn node_rect(h: &Harness<'static, StrataApp>, label: &str) -> egui::Rect {
    h.get_by_role_and_label(egui::accesskit::Role::Button, label)
        .rect()
}

/// Writes the comment in the open composer and adds it.
pub fn write_and_add(h: &mut Harness<'static, StrataApp>, body: &str) {
    h.get_by_label("New review comment");
    let field = h.get_by_label("Comment:");
    field.focus();
    field.type_text(body);
    h.run();
    h.get_by_label("Add comment").click();
    h.run();
}

/// Right-click at a point of the screen, as on an edge between two nodes.
pub fn right_click_at(h: &mut Harness<'static, StrataApp>, pos: egui::Pos2) {
    h.event(Event::PointerMoved(pos));
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos,
            button: PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run();
}
