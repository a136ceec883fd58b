//! Presentation mode: a note (or a sequence note) played as full-screen
//! slides for review sessions, with an overview grid, a laser pointer and a
//! presenter view in a second window.
//!
//! Slides come from `crate::present` (pure text processing) and are drawn
//! by the preview's renderer, so diagrams stay live and code blocks keep
//! their buttons. A slide is laid out on a virtual 16:10 page whose type
//! grows with the screen; the same routine draws the audience slide, the
//! presenter's copies and the overview thumbnails, so they all look alike.

#[path = "present/marker.rs"]
mod marker;
#[path = "present/overview.rs"]
mod overview;
#[path = "present/presenter.rs"]
mod presenter;

use std::hash::{Hash, Hasher};

use egui::{
    vec2, Align, Align2, Color32, CursorIcon, FontId, Id, Key, LayerId, Layout, Modifiers, Order,
    Rect, ScrollArea, Stroke, Style, Ui, UiBuilder, Vec2, ViewportCommand,
};

use crate::i18n::tr;
use crate::present::{self, Deck, Slide, Warning};
use crate::vault::{Resolution, Vault};

use super::preview::{self, PreviewAction, PreviewContext, PreviewState};
use super::sim_view::{SimView, SimViewAction};

pub use presenter::presenter_panel;

/// What the app should do after a presentation frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PresentEvent {
    /// Leave presentation mode; the slide shown last came from `note` at
    /// `line` (1-based), where the editor can pick up.
    Exit { note: String, line: usize },
    /// A click on a slide asked for this (a link, a diagram node's target).
    Preview(PreviewAction),
}

/// Everything presentation mode keeps between frames.
pub struct Presentation {
    deck: Deck,
    /// The note that was presented (a sequence note for a sequence).
    note: String,
    current: usize,
    /// The highlighted card while the overview grid is open.
    overview: Option<usize>,
    laser: bool,
    marker: marker::Marker,
    presenter: bool,
    /// Time (egui's clock) the talk started; `None` until the first frame.
    clock_start: Option<f64>,
    fullscreen: FullScreen,
    /// Size of the audience slide last frame; the presenter's copies use
    /// its aspect ratio.
    audience_size: Vec2,
    audience: PreviewState,
    mirror: PreviewState,
    next: PreviewState,
    notes: PreviewState,
    thumbs: Vec<PreviewState>,
    /// A Go block started from a slide: the simulator takes the screen
    /// (and the keys) until it is closed with Esc.
    sim: Option<SimView>,
    /// egui's zoom before presenting, restored on leaving.
    zoom_before: Option<f32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FullScreen {
    /// Not asked yet (first frame).
    Pending,
    /// Asked; `true` when the window already was full screen before.
    Entered { was: bool },
}

/// Virtual page the type sizes are designed for; bigger screens scale up.
const DESIGN_HEIGHT: f32 = 900.0;
const DESIGN_ASPECT: f32 = 1.6;
/// Body text on the design page is this many times the preview's.
const SLIDE_TEXT_SCALE: f32 = 2.0;
/// Part of the enlargement done by zooming the whole window, the rest by
/// larger fonts: zoom is what makes diagrams (drawn at fixed sizes by
/// `diagram_view`) readable from the back of the room, but a full zoom
/// would push tall diagrams off the page.
const ZOOM_SHARE: f32 = 0.7;
const MAX_ZOOM: f32 = 1.5;

impl Presentation {
    /// Slides of `text`, the note at vault path `note` (the editor buffer,
    /// so unsaved edits show). Sequence notes pull their parts from `vault`.
    pub fn new(vault: &Vault, note: &str, text: &str) -> Result<Presentation, String> {
        let resolve = |from: &str, target: &str| {
            let path = match vault.resolve(from, target) {
                Resolution::Note(p) => p,
                Resolution::Ambiguous(ps) => ps.into_iter().next()?,
                Resolution::Missing => return None,
            };
            let text = vault.text(&path)?.to_string();
            Some((path, text))
        };
        let deck = present::deck(note, text, &resolve);
        if deck.slides.is_empty() {
            let why = deck
                .warnings
                .first()
                .map_or_else(|| tr("present.empty_note").to_string(), ToString::to_string);
            return Err(tr!("present.nothing", why = why));
        }
        let n = deck.slides.len();
        Ok(Presentation {
            deck,
            note: note.to_string(),
            current: 0,
            overview: None,
            laser: false,
            marker: marker::Marker::default(),
            presenter: false,
            clock_start: None,
            fullscreen: FullScreen::Pending,
            audience_size: vec2(DESIGN_HEIGHT * DESIGN_ASPECT, DESIGN_HEIGHT),
            audience: slide_state(),
            mirror: slide_state(),
            next: slide_state(),
            notes: slide_state(),
            thumbs: (0..n).map(|_| slide_state()).collect(),
            sim: None,
            zoom_before: None,
        })
    }

    /// Start at the slide holding `line` (1-based) of `note`.
    pub fn start_at(&mut self, note: &str, line: usize) {
        if let Some(i) = self.deck.slide_at(note, line) {
            self.current = i;
        }
    }

    /// The note that was presented (the sequence note for a sequence).
    pub fn note(&self) -> &str {
        &self.note
    }

    pub fn current(&self) -> usize {
        self.current
    }

    pub fn len(&self) -> usize {
        self.deck.slides.len()
    }

    pub fn is_empty(&self) -> bool {
        self.deck.slides.is_empty()
    }

    pub fn slide(&self, i: usize) -> Option<&Slide> {
        self.deck.slides.get(i)
    }

    pub fn warnings(&self) -> &[Warning] {
        &self.deck.warnings
    }

    pub fn go_to(&mut self, i: usize) {
        let to = i.min(self.len().saturating_sub(1));
        if to != self.current {
            // Marks were about the slide that is leaving.
            self.marker.clear();
        }
        self.current = to;
    }

    pub fn next(&mut self) {
        self.go_to(self.current + 1);
    }

    pub fn previous(&mut self) {
        self.go_to(self.current.saturating_sub(1));
    }

    pub fn overview_open(&self) -> bool {
        self.overview.is_some()
    }

    pub fn laser(&self) -> bool {
        self.laser
    }

    pub fn marker_on(&self) -> bool {
        self.marker.on
    }

    /// Highlighter strokes on the current slide.
    pub fn marks(&self) -> usize {
        self.marker.strokes()
    }

    pub fn presenter_open(&self) -> bool {
        self.presenter
    }

    pub fn set_presenter(&mut self, open: bool) {
        self.presenter = open;
    }

    /// Seconds since the talk started (or the timer was reset).
    pub fn elapsed(&self, now: f64) -> f64 {
        self.clock_start.map_or(0.0, |t| (now - t).max(0.0))
    }

    pub fn reset_clock(&mut self, now: f64) {
        self.clock_start = Some(now);
    }

    fn exit_event(&self) -> PresentEvent {
        let s = &self.deck.slides[self.current];
        PresentEvent::Exit {
            note: s.note.clone(),
            line: s.lines.start,
        }
    }

    /// Keys shared by the audience window and the presenter window, so a
    /// clicker works whichever has focus. Returns true for Escape (leave).
    fn keys(&mut self, ui: &Ui) -> bool {
        let none = Modifiers::NONE;
        let mut leave = false;
        ui.input_mut(|i| {
            if let Some(sel) = self.overview {
                let cols = overview::columns(self.audience_size.x);
                let last = self.len().saturating_sub(1);
                let mut sel = sel;
                if i.consume_key(none, Key::ArrowRight) {
                    sel = (sel + 1).min(last);
                }
                if i.consume_key(none, Key::ArrowLeft) {
                    sel = sel.saturating_sub(1);
                }
                if i.consume_key(none, Key::ArrowDown) {
                    sel = (sel + cols).min(last);
                }
                if i.consume_key(none, Key::ArrowUp) {
                    sel = sel.saturating_sub(cols);
                }
                if i.consume_key(none, Key::Home) {
                    sel = 0;
                }
                if i.consume_key(none, Key::End) {
                    sel = last;
                }
                self.overview = Some(sel);
                if i.consume_key(none, Key::Enter) || i.consume_key(none, Key::Space) {
                    self.current = sel;
                    self.overview = None;
                }
                if i.consume_key(none, Key::Escape) || i.consume_key(none, Key::G) {
                    self.overview = None;
                }
                return;
            }
            let next = [Key::ArrowRight, Key::ArrowDown, Key::PageDown, Key::N];
            let prev = [Key::ArrowLeft, Key::ArrowUp, Key::PageUp, Key::Backspace];
            // Shift+Space goes back, as in browsers; check it before Space.
            if i.consume_key(Modifiers::SHIFT, Key::Space) {
                self.previous();
            }
            if i.consume_key(none, Key::Space) || next.iter().any(|k| i.consume_key(none, *k)) {
                self.next();
            }
            if prev.iter().any(|k| i.consume_key(none, *k)) {
                self.previous();
            }
            if i.consume_key(none, Key::Home) {
                self.go_to(0);
            }
            if i.consume_key(none, Key::End) {
                self.go_to(usize::MAX);
            }
            if i.consume_key(none, Key::G) {
                self.overview = Some(self.current);
            }
            if i.consume_key(none, Key::L) {
                self.laser = !self.laser;
            }
            if i.consume_key(none, Key::H) {
                self.marker.toggle();
            }
            if i.consume_key(none, Key::C) {
                self.marker.clear();
            }
            if i.consume_key(none, Key::P) {
                self.presenter = !self.presenter;
            }
            if i.consume_key(none, Key::R) {
                self.clock_start = Some(i.time);
            }
            if i.consume_key(none, Key::Escape) {
                leave = true;
            }
        });
        leave
    }
}

/// Draws presentation mode over the whole of `ui` (the window) and, when
/// open, the presenter view in its own window.
pub fn show(ui: &mut Ui, p: &mut Presentation, vault: &Vault, dark: bool) -> Vec<PresentEvent> {
    let ctx = ui.ctx().clone();
    let now = ui.input(|i| i.time);
    let mut events = Vec::new();
    if p.clock_start.is_none() {
        p.clock_start = Some(now);
    }
    if p.fullscreen == FullScreen::Pending {
        let was = ui.input(|i| i.viewport().fullscreen.unwrap_or(false));
        if !was {
            ctx.send_viewport_cmd(ViewportCommand::Fullscreen(true));
        }
        p.fullscreen = FullScreen::Entered { was };
    }
    if let Some(sim) = p.sim.as_mut() {
        let closed = egui::CentralPanel::default()
            .show(ui, |ui| sim.show(ui, true) == Some(SimViewAction::Close))
            .inner;
        if closed {
            p.sim = None;
        }
        return events;
    }
    let zoom_now = ctx.zoom_factor();
    let before = *p.zoom_before.get_or_insert(zoom_now);
    let zoom = presentation_zoom(ui.max_rect().size() * zoom_now);
    if (zoom - zoom_now).abs() > 0.01 {
        ctx.set_zoom_factor(zoom);
    }
    let mut leave = p.keys(ui);

    let rect = ui.max_rect();
    p.audience_size = rect.size();
    let bg = slide_background(dark);
    egui::CentralPanel::default()
        .frame(egui::Frame::new().fill(bg))
        .show(ui, |ui| {
            if p.overview.is_some() {
                overview::show(ui, p, vault, dark);
            } else {
                audience(ui, p, vault, dark, &mut events);
            }
        });

    if p.presenter {
        let id = egui::ViewportId::from_hash_of("strata-presenter");
        let builder = egui::ViewportBuilder::default()
            .with_title(tr("present.presenter_title"))
            .with_inner_size([1100.0 / zoom_now, 720.0 / zoom_now]);
        let inner = ctx.show_viewport_immediate(id, builder, |ui, class| {
            if class != egui::ViewportClass::EmbeddedWindow && p.keys(ui) {
                return (true, Vec::new());
            }
            // Sizes are in points, which the zoom enlarges; undo it here.
            scale_style(ui.style_mut(), 1.0 / zoom_now);
            if ui.input(|i| i.viewport().close_requested()) {
                p.presenter = false;
            }
            let events = if class == egui::ViewportClass::EmbeddedWindow {
                presenter_panel(ui, p, vault, dark, now)
            } else {
                egui::CentralPanel::default()
                    .show(ui, |ui| presenter_panel(ui, p, vault, dark, now))
                    .inner
            };
            (false, events)
        });
        leave |= inner.0;
        events.extend(inner.1);
    }
    events.retain(|e| match e {
        PresentEvent::Preview(PreviewAction::RunSimulator { code, note, line }) => {
            let title = tr!("app.sim_title", note = note, line = line);
            p.sim = Some(SimView::new(&ctx, code, &title));
            false
        }
        _ => true,
    });
    // The talk clock ticks in seconds.
    ctx.request_repaint_after(std::time::Duration::from_millis(500));

    if leave {
        events.push(p.exit_event());
    }
    // The app leaves presentation mode for these (see `app.rs`).
    let leaving = events.iter().any(|e| {
        matches!(
            e,
            PresentEvent::Exit { .. } | PresentEvent::Preview(PreviewAction::OpenNote { .. })
        )
    });
    if leaving {
        if let FullScreen::Entered { was: false } = p.fullscreen {
            ctx.send_viewport_cmd(ViewportCommand::Fullscreen(false));
        }
        ctx.set_zoom_factor(before);
    }
    events
}

/// The slide the room sees, with a slim footer and the laser pointer.
fn audience(
    ui: &mut Ui,
    p: &mut Presentation,
    vault: &Vault,
    dark: bool,
    out: &mut Vec<PresentEvent>,
) {
    let rect = ui.max_rect();
    let footer_h = (rect.height() * 0.045).clamp(18.0, 48.0);
    let page = Rect::from_min_max(rect.min, egui::pos2(rect.right(), rect.bottom() - footer_h));
    let Some(slide) = p.deck.slides.get(p.current) else {
        return;
    };
    let cx = PreviewContext {
        vault,
        note_path: &slide.note,
        dark,
    };
    let salt = slide_salt(0, p.current);
    let actions = draw_slide(ui, page, slide, &mut p.audience, &cx, salt, true);
    out.extend(actions.into_iter().map(PresentEvent::Preview));
    p.marker.show(ui, page);

    // Footer: where the slide comes from, and how far along the talk is.
    let painter = ui.painter();
    let weak = ui.visuals().weak_text_color();
    let font = FontId::proportional(footer_h * 0.42);
    let y = rect.bottom() - footer_h * 0.55;
    let pad = rect.width() * 0.02;
    painter.text(
        egui::pos2(rect.left() + pad, y),
        Align2::LEFT_CENTER,
        note_title(&slide.note),
        font.clone(),
        weak,
    );
    let mut hint = format!("{} / {}", p.current + 1, p.len());
    if p.laser {
        hint = tr!("present.laser_hint", hint = hint);
    }
    if p.marker.on {
        hint = tr!("present.marker_hint", hint = hint);
    }
    painter.text(
        egui::pos2(rect.right() - pad, y),
        Align2::RIGHT_CENTER,
        hint,
        font,
        weak,
    );
    let progress = (p.current + 1) as f32 / p.len().max(1) as f32;
    let bar = Rect::from_min_max(
        egui::pos2(rect.left(), rect.bottom() - 3.0),
        egui::pos2(rect.left() + rect.width() * progress, rect.bottom()),
    );
    painter.rect_filled(bar, 0.0, ui.visuals().selection.bg_fill);
    // Kittest and screen readers read the counter from here.
    ui.interact(
        bar,
        Id::unique("strata-slide-counter"),
        egui::Sense::hover(),
    )
    .widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Label, true, {
            let mut label = if p.laser {
                tr!("present.counter_laser", n = p.current + 1, total = p.len())
            } else {
                tr!("present.counter", n = p.current + 1, total = p.len())
            };
            if p.marker.on {
                label.push_str(tr("present.counter_marker"));
            }
            label
        })
    });

    if p.laser {
        laser(ui, rect);
    }
}

/// A red dot with a soft glow where the pointer is; the cursor is hidden
/// so the room sees only the dot.
fn laser(ui: &Ui, rect: Rect) {
    let Some(pos) = ui
        .input(|i| i.pointer.hover_pos())
        .filter(|p| rect.contains(*p))
    else {
        return;
    };
    ui.ctx().set_cursor_icon(CursorIcon::None);
    let r = (rect.height() / 90.0).clamp(5.0, 14.0);
    let painter = ui
        .ctx()
        .layer_painter(LayerId::new(Order::Foreground, Id::unique("strata-laser")));
    for (radius, alpha) in [(r * 3.2, 28), (r * 2.2, 56), (r * 1.5, 110)] {
        painter.circle_filled(
            pos,
            radius,
            Color32::from_rgba_unmultiplied(255, 40, 40, alpha),
        );
    }
    painter.circle_filled(pos, r, Color32::from_rgb(255, 48, 48));
    painter.circle_filled(pos, r * 0.45, Color32::from_rgb(255, 210, 210));
}

/// Preview state for a slide: a click on a diagram node pins its highlight
/// for the room rather than leaving the talk for the node's target.
fn slide_state() -> PreviewState {
    let mut state = PreviewState::new();
    state.presenting = true;
    state
}

pub(crate) fn slide_background(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x16, 0x19, 0x1f)
    } else {
        Color32::from_rgb(0xfc, 0xfc, 0xfa)
    }
}

/// File name without folders and `.md`, for the footer.
fn note_title(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}

/// Separate diagram and layout state per place a slide is drawn.
fn slide_salt(place: u64, slide: usize) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    ("strata-slide", place, slide).hash(&mut h);
    h.finish()
}

/// The window zoom while presenting on a screen `size` points large at zoom 1.
fn presentation_zoom(size: Vec2) -> f32 {
    (slide_scale(size) * ZOOM_SHARE).clamp(1.0, MAX_ZOOM)
}

/// How much larger than the preview a page of `size` draws its type.
fn slide_scale(size: Vec2) -> f32 {
    ((size.x / DESIGN_ASPECT).min(size.y) / DESIGN_HEIGHT * SLIDE_TEXT_SCALE).clamp(0.3, 4.0)
}

fn scale_style(style: &mut Style, s: f32) {
    for font in style.text_styles.values_mut() {
        font.size *= s;
    }
    let sp = &mut style.spacing;
    sp.item_spacing *= s;
    sp.button_padding *= s;
    sp.interact_size *= s;
    sp.icon_width *= s;
    sp.icon_width_inner *= s;
    sp.icon_spacing *= s;
    sp.indent *= s;
}

/// Title slides (an H1, or no heading at all) sit in the middle of the
/// page; content slides start at the top, where the eye looks first.
fn centred(slide: &Slide) -> bool {
    slide
        .body
        .lines()
        .find_map(|l| {
            let t = l.trim_start();
            t.starts_with('#').then(|| !t.starts_with("##"))
        })
        .unwrap_or(true)
}

/// One slide on a page filling `rect`: background, margins, type scaled to
/// the page. `scroll` lets an overlong slide scroll (the audience page);
/// elsewhere it is clipped.
fn draw_slide(
    ui: &mut Ui,
    rect: Rect,
    slide: &Slide,
    state: &mut PreviewState,
    cx: &PreviewContext,
    salt: u64,
    scroll: bool,
) -> Vec<PreviewAction> {
    let scale = slide_scale(rect.size());
    let margin = vec2(rect.width() * 0.07, rect.height() * 0.06);
    let inner = rect.shrink2(margin);
    let mut child = ui.new_child(
        UiBuilder::new()
            .max_rect(inner)
            .layout(Layout::top_down(Align::Min))
            .id_salt(("strata-slide", salt)),
    );
    child.set_clip_rect(rect.intersect(ui.clip_rect()));
    scale_style(child.style_mut(), scale);
    // Body text a step darker (lighter on dark) than in the editor: a
    // projector washes out contrast.
    let strong = child.visuals().strong_text_color();
    let text = &mut child.visuals_mut().widgets.noninteractive.fg_stroke.color;
    *text = text.lerp_to_gamma(strong, 0.6);

    let height_id = Id::unique(("strata-slide-height", salt, &slide.body));
    let known: Option<f32> = ui.data(|d| d.get_temp(height_id));
    let pad = match known {
        Some(h) if centred(slide) && h < inner.height() => (inner.height() - h) / 2.0,
        _ => 0.0,
    };
    let mut actions = Vec::new();
    let mut measured = 0.0;
    let mut body = |ui: &mut Ui| {
        ui.add_space(pad);
        let top = ui.cursor().top();
        actions = preview::show_slide(ui, state, &slide.body, cx, salt);
        measured = ui.min_rect().bottom() - top;
    };
    if scroll {
        ScrollArea::vertical()
            .id_salt(("strata-slide-scroll", salt))
            .auto_shrink([false, false])
            .show(&mut child, body);
    } else {
        body(&mut child);
    }
    if known.is_none_or(|h| (h - measured).abs() > 0.5) {
        ui.data_mut(|d| d.insert_temp(height_id, measured));
        ui.ctx().request_repaint();
    }
    actions
}

/// A page outline in the theme's colours, for copies of slides.
fn page_frame(ui: &Ui, rect: Rect, dark: bool, highlight: Option<Color32>) {
    let painter = ui.painter();
    painter.rect_filled(rect, 4.0, slide_background(dark));
    let stroke = match highlight {
        Some(c) => Stroke::new(3.0, c),
        None => ui.visuals().widgets.noninteractive.bg_stroke,
    };
    painter.rect_stroke(rect, 4.0, stroke, egui::StrokeKind::Outside);
}

/// The largest rect of the audience's aspect ratio fitting `avail`.
fn fit_page(avail: Rect, aspect: f32) -> Rect {
    let aspect = if aspect.is_finite() && aspect > 0.2 {
        aspect
    } else {
        DESIGN_ASPECT
    };
    let w = avail.width().min(avail.height() * aspect);
    Rect::from_min_size(avail.min, vec2(w, w / aspect))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_grows_with_the_screen() {
        let small = slide_scale(vec2(1024.0, 640.0));
        let design = slide_scale(vec2(1440.0, 900.0));
        let big = slide_scale(vec2(2560.0, 1440.0));
        assert!((design - SLIDE_TEXT_SCALE).abs() < 1e-4);
        assert!(small < design && design < big);
        // A very wide window is limited by its height.
        assert_eq!(slide_scale(vec2(5000.0, 900.0)), design);
    }

    #[test]
    fn title_slides_are_centred() {
        let s = |body: &str| Slide {
            note: "n.md".into(),
            body: body.into(),
            notes: String::new(),
            title: String::new(),
            lines: 1..2,
        };
        assert!(centred(&s("# Title\n\nsub")));
        assert!(centred(&s("> a quote")));
        assert!(!centred(&s("## Topic\n\n- a")));
    }

    #[test]
    fn pages_keep_the_audience_aspect() {
        let r = fit_page(
            Rect::from_min_size(egui::pos2(0.0, 0.0), vec2(800.0, 800.0)),
            1.6,
        );
        assert_eq!(r.size(), vec2(800.0, 500.0));
        let r = fit_page(
            Rect::from_min_size(egui::pos2(0.0, 0.0), vec2(800.0, 100.0)),
            f32::NAN,
        );
        assert_eq!(r.size(), vec2(160.0, 100.0));
    }
}
