//! The highlighter pen of presentation mode: the presenter drags across a
//! slide to mark a sentence, a line of code or part of a diagram for the
//! room. Marks belong to the slide on screen: they go when the slide changes
//! or on C, so nothing of them outlives the moment.

use egui::{pos2, Color32, CursorIcon, Id, Pos2, Rect, Role, Sense, Shape, Stroke, Ui, WidgetInfo};

use crate::i18n::tr;

/// Strokes are kept relative to the page (0..1 on both axes), so they stay
/// on the words they cover when the window changes size.
#[derive(Debug, Default)]
pub(super) struct Marker {
    pub on: bool,
    strokes: Vec<Vec<Pos2>>,
}

/// Points closer than this (in screen points) to the last one are dropped:
/// a slow drag would otherwise pile up hundreds of points per stroke.
const MIN_STEP: f32 = 2.0;

impl Marker {
    pub fn toggle(&mut self) {
        self.on = !self.on;
    }

    pub fn clear(&mut self) {
        self.strokes.clear();
    }

    pub fn strokes(&self) -> usize {
        self.strokes.len()
    }

    /// Takes drags on `page` while the pen is on and paints every mark.
    /// Called after the slide is drawn, so the pen sits above the slide's
    /// own widgets: a drag marks instead of panning a diagram.
    pub fn show(&mut self, ui: &Ui, page: Rect) {
        if self.on && page.width() > 1.0 && page.height() > 1.0 {
            let resp = ui.interact(page, Id::unique("strata-marker"), Sense::drag());
            let n = self.strokes.len();
            resp.widget_info(|| {
                WidgetInfo::labeled(Role::Canvas, true, tr!("present.marker_a11y", n = n))
            });
            if resp.hovered() || resp.dragged() {
                ui.ctx().set_cursor_icon(CursorIcon::Crosshair);
            }
            if resp.drag_started() {
                self.strokes.push(Vec::new());
            }
            if resp.dragged() {
                if let (Some(pos), Some(stroke)) =
                    (resp.interact_pointer_pos(), self.strokes.last_mut())
                {
                    let far = stroke
                        .last()
                        .is_none_or(|q| (from_page(page, *q) - pos).length() >= MIN_STEP);
                    if far {
                        stroke.push(to_page(page, pos));
                    }
                }
            }
        }
        self.paint(ui, page);
    }

    fn paint(&self, ui: &Ui, page: Rect) {
        if self.strokes.is_empty() {
            return;
        }
        // About one line of slide text tall, like a real highlighter.
        let width = (page.height() / 40.0).clamp(8.0, 30.0);
        let color = if ui.visuals().dark_mode {
            Color32::from_rgba_unmultiplied(255, 214, 0, 70)
        } else {
            Color32::from_rgba_unmultiplied(255, 210, 0, 105)
        };
        let painter = ui.painter_at(page);
        for stroke in &self.strokes {
            let points: Vec<Pos2> = stroke.iter().map(|p| from_page(page, *p)).collect();
            match points.as_slice() {
                [] => {}
                [one] => {
                    painter.circle_filled(*one, width / 2.0, color);
                }
                _ => {
                    painter.add(Shape::line(points, Stroke::new(width, color)));
                }
            }
        }
    }
}

fn to_page(page: Rect, p: Pos2) -> Pos2 {
    pos2(
        (p.x - page.left()) / page.width(),
        (p.y - page.top()) / page.height(),
    )
}

fn from_page(page: Rect, p: Pos2) -> Pos2 {
    pos2(
        page.left() + p.x * page.width(),
        page.top() + p.y * page.height(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_coordinates_round_trip_and_follow_a_resize() {
        let page = Rect::from_min_max(pos2(100.0, 50.0), pos2(500.0, 350.0));
        let p = pos2(300.0, 200.0);
        let rel = to_page(page, p);
        assert_eq!(rel, pos2(0.5, 0.5));
        assert_eq!(from_page(page, rel), p);
        // The same mark on a page twice as big lands on the same spot of it.
        let big = Rect::from_min_max(pos2(0.0, 0.0), pos2(800.0, 600.0));
        assert_eq!(from_page(big, rel), pos2(400.0, 300.0));
    }

    #[test]
    fn toggling_and_clearing() {
        let mut m = Marker::default();
        assert!(!m.on);
        m.toggle();
        assert!(m.on);
        m.strokes.push(vec![pos2(0.1, 0.1)]);
        assert_eq!(m.strokes(), 1);
        m.clear();
        assert_eq!(m.strokes(), 0);
        m.toggle();
        assert!(!m.on);
    }
}
