//! The overview grid: every slide as a thumbnail, to jump around during
//! questions. Thumbnails are the real slides drawn small (same renderer),
//! inert: a click anywhere on a card jumps to that slide.

use egui::{vec2, Align2, Color32, FontId, Id, Rect, RichText, ScrollArea, Sense, Ui, UiBuilder};

use crate::i18n::tr;
use crate::vault::Vault;

use super::{draw_slide, fit_page, page_frame, slide_salt, Presentation};
use crate::ui::preview::PreviewContext;

/// Cards per row for a window `width` points wide.
pub(super) fn columns(width: f32) -> usize {
    ((width / 250.0).floor() as usize).clamp(2, 6)
}

pub(super) fn show(ui: &mut Ui, p: &mut Presentation, vault: &Vault, dark: bool) {
    let Some(selected) = p.overview else {
        return;
    };
    let rect = ui.max_rect();
    let margin = (rect.width() * 0.03).clamp(12.0, 48.0);
    let heading = (rect.height() * 0.03).clamp(16.0, 30.0);
    let strong = ui.visuals().strong_text_color();
    let weak = ui.visuals().weak_text_color();
    let accent = ui.visuals().selection.bg_fill;
    ui.add_space(margin * 0.6);
    ui.horizontal(|ui| {
        ui.add_space(margin);
        ui.label(
            RichText::new(tr("present.overview"))
                .size(heading)
                .strong()
                .color(strong),
        );
        ui.label(
            RichText::new(tr!("present.overview_hint", n = p.len()))
                .size(heading * 0.6)
                .color(weak),
        );
    });
    ui.add_space(margin * 0.4);

    let cols = columns(rect.width());
    let gap = margin * 0.6;
    let card_w =
        ((rect.width() - 2.0 * margin - gap * (cols as f32 - 1.0)) / cols as f32).max(60.0);
    let aspect = p.audience_size.x / p.audience_size.y.max(1.0);
    let page_h = card_w
        / if aspect.is_finite() && aspect > 0.2 {
            aspect
        } else {
            1.6
        };
    let label_h = (card_w * 0.06).clamp(12.0, 18.0);
    let card_h = page_h + label_h * 1.6;
    let rows = p.len().div_ceil(cols);

    let moved_id = Id::unique("strata-overview-last-selected");
    let moved = ui.data(|d| d.get_temp::<usize>(moved_id)) != Some(selected);
    ui.data_mut(|d| d.insert_temp(moved_id, selected));

    let mut jump = None;
    let mut hover = None;
    ScrollArea::vertical()
        .id_salt("strata-overview")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let top = ui.cursor().top();
            let total = vec2(rect.width(), rows as f32 * (card_h + gap) + margin);
            let (area, _) = ui.allocate_exact_size(total, Sense::hover());
            for i in 0..p.len() {
                let (row, col) = (i / cols, i % cols);
                let min = egui::pos2(
                    area.left() + margin + col as f32 * (card_w + gap),
                    top + row as f32 * (card_h + gap),
                );
                let card = Rect::from_min_size(min, vec2(card_w, card_h));
                let page = fit_page(Rect::from_min_size(min, vec2(card_w, page_h)), aspect);
                if i == selected && moved {
                    ui.scroll_to_rect(card, None);
                }
                if !ui.is_rect_visible(card) {
                    continue;
                }
                let highlight = if i == selected {
                    Some(accent)
                } else if i == p.current {
                    Some(accent.gamma_multiply(0.5))
                } else {
                    None
                };
                page_frame(ui, page, dark, highlight);
                let Some(slide) = p.deck.slides.get(i) else {
                    continue;
                };
                let cx = PreviewContext {
                    vault,
                    note_path: &slide.note,
                    dark,
                };
                // Inert and unfaded: the card takes every click.
                ui.scope_builder(UiBuilder::new().disabled(), |ui| {
                    ui.visuals_mut().disabled_alpha = 1.0;
                    if let Some(state) = p.thumbs.get_mut(i) {
                        draw_slide(ui, page, slide, state, &cx, slide_salt(2, i), false);
                    }
                });
                let label = format!("{}  {}", i + 1, slide.title);
                ui.painter().with_clip_rect(card).text(
                    egui::pos2(page.left(), page.bottom() + label_h * 0.9),
                    Align2::LEFT_CENTER,
                    label,
                    FontId::proportional(label_h * 0.8),
                    if i == selected { strong } else { weak },
                );
                let resp = ui.interact(
                    card,
                    Id::unique(("strata-overview-card", i)),
                    Sense::click(),
                );
                resp.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Button,
                        true,
                        tr!("present.slide_title", n = i + 1, title = slide.title),
                    )
                });
                if resp.hovered() {
                    hover = Some(i);
                    ui.painter()
                        .rect_filled(page, 4.0, Color32::from_white_alpha(8));
                }
                if resp.clicked() {
                    jump = Some(i);
                }
            }
        });
    // Only a moving mouse selects, so a pointer resting on a card does not
    // undo the arrow keys.
    if let Some(i) = hover.filter(|_| ui.input(|i| i.pointer.is_moving())) {
        p.overview = Some(i);
    }
    if let Some(i) = jump {
        p.go_to(i);
        p.overview = None;
    }
}
