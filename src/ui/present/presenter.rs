//! The presenter view: what the speaker sees on the laptop while the room
//! sees the slide. Shown in its own native window through an egui viewport;
//! the panel itself is a plain function so tests can draw it inline.

use egui::{vec2, Align, Layout, Rect, RichText, ScrollArea, Ui, UiBuilder};

use crate::i18n::tr;
use crate::vault::Vault;

use super::{
    draw_slide, fit_page, page_frame, scale_style, slide_salt, PresentEvent, Presentation,
};
use crate::ui::preview::{self, PreviewContext};

/// Elapsed time as `m:ss`, or `h:mm:ss` past an hour.
pub(super) fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0) as u64;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// Current and next slide, speaker notes, the clock and the controls.
/// `now` is egui's clock (`InputState::time`).
pub fn presenter_panel(
    ui: &mut Ui,
    p: &mut Presentation,
    vault: &Vault,
    dark: bool,
    now: f64,
) -> Vec<PresentEvent> {
    let mut events = Vec::new();
    let big = ui
        .style()
        .text_styles
        .get(&egui::TextStyle::Body)
        .map_or(14.0, |f| f.size);
    ui.horizontal(|ui| {
        if ui.button(tr("present.previous")).clicked() {
            p.previous();
        }
        if ui.button(tr("present.next")).clicked() {
            p.next();
        }
        ui.label(
            RichText::new(tr!("present.slide_of", n = p.current + 1, total = p.len()))
                .size(big * 1.4)
                .strong(),
        );
        ui.separator();
        ui.label(
            RichText::new(clock(p.elapsed(now)))
                .size(big * 1.8)
                .monospace()
                .strong(),
        )
        .on_hover_text(tr("present.timer_hover"));
        if ui
            .button(tr("present.reset_timer"))
            .on_hover_text(tr("present.reset_timer_hover"))
            .clicked()
        {
            p.reset_clock(now);
        }
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            if ui
                .button(tr("present.end"))
                .on_hover_text(tr("present.end_hover"))
                .clicked()
            {
                events.push(p.exit_event());
            }
            if ui
                .selectable_label(p.laser, tr("present.laser"))
                .on_hover_text(tr("present.laser_hover"))
                .clicked()
            {
                p.laser = !p.laser;
            }
            if ui
                .selectable_label(p.marker.on, tr("present.marker"))
                .on_hover_text(tr("present.marker_hover"))
                .clicked()
            {
                p.marker.toggle();
            }
            if ui
                .selectable_label(p.overview.is_some(), tr("present.overview"))
                .on_hover_text(tr("present.overview_hover"))
                .clicked()
            {
                p.overview = match p.overview {
                    Some(_) => None,
                    None => Some(p.current),
                };
            }
        });
    });
    ui.separator();

    let avail = ui.available_rect_before_wrap();
    let gap = 16.0;
    let left = Rect::from_min_size(
        avail.min,
        vec2(avail.width() * 0.6 - gap / 2.0, avail.height()),
    );
    let right = Rect::from_min_max(egui::pos2(left.right() + gap, avail.top()), avail.max);
    let aspect = p.audience_size.x / p.audience_size.y.max(1.0);
    let caption = |ui: &mut Ui, text: &str| {
        ui.label(RichText::new(text).strong().size(big * 1.05));
    };

    let mut col = ui.new_child(UiBuilder::new().max_rect(left));
    caption(&mut col, tr("present.current_slide"));
    let page = fit_page(col.available_rect_before_wrap(), aspect);
    if let Some(slide) = p.deck.slides.get(p.current) {
        page_frame(&col, page, dark, None);
        let cx = PreviewContext {
            vault,
            note_path: &slide.note,
            dark,
        };
        let salt = slide_salt(1, p.current);
        let actions = draw_slide(&mut col, page, slide, &mut p.mirror, &cx, salt, false);
        events.extend(actions.into_iter().map(PresentEvent::Preview));
    }

    let mut col = ui.new_child(UiBuilder::new().max_rect(right));
    caption(&mut col, tr("present.next_slide"));
    let mut next_area = col.available_rect_before_wrap();
    next_area.set_height(next_area.height().min(right.height() * 0.38));
    let page = fit_page(next_area, aspect);
    match p.deck.slides.get(p.current + 1) {
        Some(slide) => {
            page_frame(&col, page, dark, None);
            let cx = PreviewContext {
                vault,
                note_path: &slide.note,
                dark,
            };
            let salt = slide_salt(3, p.current + 1);
            col.scope_builder(UiBuilder::new().disabled(), |ui| {
                ui.visuals_mut().disabled_alpha = 1.0;
                draw_slide(ui, page, slide, &mut p.next, &cx, salt, false);
            });
        }
        None => {
            col.painter().text(
                page.center(),
                egui::Align2::CENTER_CENTER,
                tr("present.end_of_deck"),
                egui::FontId::proportional(big * 1.2),
                col.visuals().weak_text_color(),
            );
        }
    }
    col.advance_cursor_after_rect(page);
    col.add_space(10.0);
    caption(&mut col, tr("present.speaker_notes"));
    let notes_text = p
        .deck
        .slides
        .get(p.current)
        .map(|s| (s.note.clone(), s.notes.clone()));
    ScrollArea::vertical()
        .id_salt("strata-presenter-notes")
        .auto_shrink([false, false])
        .max_height(
            col.available_height()
                - if p.deck.warnings.is_empty() {
                    0.0
                } else {
                    60.0
                },
        )
        .show(&mut col, |ui| match notes_text {
            Some((note, text)) if !text.is_empty() => {
                scale_style(ui.style_mut(), 1.3);
                let cx = PreviewContext {
                    vault,
                    note_path: &note,
                    dark,
                };
                let salt = slide_salt(4, p.current);
                preview::show_slide(ui, &mut p.notes, &text, &cx, salt);
            }
            _ => {
                ui.weak(tr("present.no_notes"));
            }
        });
    if !p.deck.warnings.is_empty() {
        egui::CollapsingHeader::new(tr!("present.warnings", n = p.deck.warnings.len()))
            .id_salt("strata-presenter-warnings")
            .show(&mut col, |ui| {
                for w in &p.deck.warnings {
                    ui.label(RichText::new(w.to_string()).color(ui.visuals().warn_fg_color));
                }
            });
    }
    ui.allocate_rect(avail, egui::Sense::hover());
    events
}

#[cfg(test)]
mod tests {
    use super::clock;

    #[test]
    fn clock_reads_like_a_stopwatch() {
        assert_eq!(clock(0.0), "0:00");
        assert_eq!(clock(-3.0), "0:00");
        assert_eq!(clock(61.9), "1:01");
        assert_eq!(clock(3600.0 + 62.0), "1:01:02");
    }
}
