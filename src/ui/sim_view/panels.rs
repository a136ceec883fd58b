//! The program state at the playhead: the selected goroutine's call frames
//! with their defer stacks, and the shared world - loop variables, channels,
//! WaitGroups, contexts and open files.
//!
//! Defer cards animate: a pushed card slides onto its stack, a run or popped
//! card lifts off it and fades. Animations are keyed by card identity and
//! driven by the time they started, so they need repaints only while one is
//! in flight.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use egui::{
    pos2, vec2, Align2, Color32, CornerRadius, FontId, Rect, RichText, Sense, Shape, Stroke,
    StrokeKind, Ui,
};

use super::lanes::{short_func, status_color, status_name};
use crate::i18n::tr;
use crate::sim::timeline::{DeferCard, GStatus, GoroutineState, Snapshot};

const ANIM_SECS: f64 = 0.45;
const CARD_H: f32 = 40.0;
const CARD_GAP: f32 = 4.0;
/// Channels drawn at once; the rest are counted (a leak can make thousands).
const MAX_CHANS: usize = 40;
const MAX_CONTEXTS: usize = 60;
const MAX_FILES: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct CardKey {
    frame: usize,
    index: usize,
    sig: u64,
}

fn card_key(frame: usize, index: usize, c: &DeferCard) -> CardKey {
    let mut h = DefaultHasher::new();
    (&c.func, &c.args, c.closure, c.line).hash(&mut h);
    CardKey {
        frame,
        index,
        sig: h.finish(),
    }
}

struct Ghost {
    key: CardKey,
    card: DeferCard,
    since: f64,
    ran: bool,
}

/// Defer-card animation state for the selected goroutine.
#[derive(Default)]
pub(super) struct Cards {
    goroutine: Option<usize>,
    /// the cards shown now, kept so a vanished one can still lift off
    current: Vec<(CardKey, DeferCard)>,
    born: HashMap<CardKey, f64>,
    ghosts: Vec<Ghost>,
}

impl Cards {
    /// Call when the playhead or the selection moved. `animate` is false
    /// for big jumps (scrubbing), where sliding cards would only distract;
    /// `ran` says whether the events just stepped over ran a deferred call
    /// of this goroutine (a vanished card then ran, else it was unwound).
    pub fn update(&mut self, g: Option<&GoroutineState>, now: f64, animate: bool, ran: bool) {
        let id = g.map(|g| g.id);
        let mut next: Vec<(CardKey, DeferCard)> = Vec::new();
        if let Some(g) = g {
            for (fi, f) in g.frames.iter().enumerate() {
                for (ci, c) in f.defers.iter().enumerate() {
                    next.push((card_key(fi, ci, c), c.clone()));
                }
            }
        }
        let animate = animate && id == self.goroutine;
        if !animate {
            self.ghosts.clear();
            self.born.clear();
        }
        let start = if animate { now } else { now - ANIM_SECS };
        for (k, _) in &next {
            self.born.entry(*k).or_insert(start);
        }
        let current = std::mem::take(&mut self.current);
        if animate {
            for (k, card) in current {
                if !next.iter().any(|(n, _)| *n == k) {
                    self.ghosts.push(Ghost {
                        key: k,
                        card,
                        since: now,
                        ran,
                    });
                }
            }
        }
        self.born.retain(|k, _| next.iter().any(|(n, _)| n == k));
        self.ghosts.retain(|gh| now - gh.since < ANIM_SECS);
        self.current = next;
        self.goroutine = id;
    }

    /// Whether an animation still needs frames.
    pub fn animating(&self, now: f64) -> bool {
        self.ghosts.iter().any(|g| now - g.since < ANIM_SECS)
            || self.born.values().any(|t| now - t < ANIM_SECS)
    }
}

/// What a click in the state panels asks for.
#[derive(Debug, Default)]
pub(super) struct PanelOut {
    pub jump: Option<usize>,
    pub select: Option<usize>,
}

/// The selected goroutine: status, frames (innermost first) and defer stacks.
pub(super) fn goroutine(
    ui: &mut Ui,
    snap: &Snapshot,
    selected: Option<usize>,
    cards: &Cards,
    out: &mut PanelOut,
) {
    let dark = ui.visuals().dark_mode;
    let now = ui.input(|i| i.time);
    let Some(g) = selected.and_then(|id| snap.goroutines.get(&id)) else {
        ui.weak(tr("sim.none_selected"));
        return;
    };
    ui.horizontal_wrapped(|ui| {
        ui.heading(format!("G{}", g.id));
        ui.label(RichText::new(short_func(&g.func)).monospace());
        let mut st = status_name(g.status).to_string();
        if !g.wait_reason.is_empty() && g.status != GStatus::Running {
            st.push_str(&format!(": {}", g.wait_reason));
        }
        ui.label(
            RichText::new(st)
                .color(status_color(g.status, dark))
                .strong(),
        );
    });
    ui.horizontal_wrapped(|ui| {
        if g.line > 0 && ui.small_button(tr!("sim.at_line", line = g.line)).clicked() {
            out.jump = Some(g.line);
        }
        if g.created_line > 0
            && ui
                .small_button(tr!("sim.created_at", line = g.created_line))
                .on_hover_text(tr("sim.created_hover"))
                .clicked()
        {
            out.jump = Some(g.created_line);
        }
    });
    ui.add_space(4.0);
    if g.frames.is_empty() {
        ui.weak(if g.status == GStatus::Done {
            tr("sim.finished")
        } else {
            tr("sim.no_frames")
        });
    }
    for (fi, f) in g.frames.iter().enumerate().rev() {
        egui::Frame::group(ui.style())
            .inner_margin(6.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal_wrapped(|ui| {
                    let top = fi + 1 == g.frames.len();
                    let name = RichText::new(short_func(&f.func)).monospace().strong();
                    ui.label(if top { name } else { name.weak() });
                    if f.line > 0
                        && ui
                            .small_button(tr!("sim.line", line = f.line))
                            .on_hover_text(if top {
                                tr("sim.frame_line_hover")
                            } else {
                                tr("sim.frame_call_hover")
                            })
                            .clicked()
                    {
                        out.jump = Some(f.line);
                    }
                    if !f.defers.is_empty() {
                        ui.weak(tr!("sim.deferred", n = f.defers.len()));
                    }
                });
                let ghosts: Vec<&Ghost> = cards
                    .ghosts
                    .iter()
                    .filter(|gh| gh.key.frame == fi)
                    .collect();
                for gh in &ghosts {
                    let t = ((now - gh.since) / ANIM_SECS).clamp(0.0, 1.0) as f32;
                    let (rect, _) = ui.allocate_exact_size(
                        vec2(ui.available_width(), (CARD_H + CARD_GAP) * (1.0 - t)),
                        Sense::hover(),
                    );
                    let r = Rect::from_min_size(
                        rect.min - vec2(0.0, 10.0 * t),
                        vec2(rect.width(), CARD_H),
                    );
                    paint_card(ui, r, &gh.card, 1.0 - t, Some(gh.ran), dark);
                }
                if f.defers.is_empty() && ghosts.is_empty() {
                    ui.weak(tr("sim.no_deferred"));
                }
                // Top of the stack (runs first) drawn first, like a pile.
                for (ci, c) in f.defers.iter().enumerate().rev() {
                    let key = card_key(fi, ci, c);
                    let t = cards
                        .born
                        .get(&key)
                        .map_or(1.0, |b| ((now - b) / ANIM_SECS).clamp(0.0, 1.0) as f32);
                    let ease = 1.0 - (1.0 - t) * (1.0 - t);
                    let (rect, resp) = ui.allocate_exact_size(
                        vec2(ui.available_width(), CARD_H + CARD_GAP),
                        Sense::click(),
                    );
                    let r = Rect::from_min_size(
                        rect.min - vec2(0.0, 18.0 * (1.0 - ease)),
                        vec2(rect.width(), CARD_H),
                    );
                    paint_card(ui, r, c, ease, None, dark);
                    let label = card_label(c, ci + 1 == f.defers.len());
                    resp.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::Button, true, label.clone())
                    });
                    if resp.on_hover_text(card_hover(c)).clicked() {
                        out.jump = Some(c.line);
                    }
                }
            });
        ui.add_space(3.0);
    }
}

fn card_label(c: &DeferCard, top: bool) -> String {
    let mut s = tr!("sim.defer.card", func = c.func);
    if !c.args.is_empty() {
        s.push_str(&format!(" ({})", c.args.join(", ")));
    }
    s.push_str(&tr!("sim.defer.card_line", line = c.line));
    if top {
        s.push_str(tr("sim.defer.card_next"));
    }
    s
}

fn card_hover(c: &DeferCard) -> String {
    if c.closure {
        format!(
            "deferred at line {}: a closure - it reads its variables when it runs, \
             so later assignments show up. Click to see the line.",
            c.line
        )
    } else {
        format!(
            "deferred at line {}: arguments were evaluated then and are frozen. \
             Click to see the line.",
            c.line
        )
    }
}

/// One defer card. `alpha` fades it; `leaving` marks a card lifting off
/// (`Some(true)` it ran, `Some(false)` it was unwound without running).
fn paint_card(ui: &Ui, r: Rect, c: &DeferCard, alpha: f32, leaving: Option<bool>, dark: bool) {
    let v = ui.visuals();
    let painter = ui.painter();
    let accent = if c.closure {
        if dark {
            Color32::from_rgb(0xc0, 0x8c, 0xf0)
        } else {
            Color32::from_rgb(0x80, 0x40, 0xc0)
        }
    } else if dark {
        Color32::from_rgb(0x6c, 0xb6, 0xe8)
    } else {
        Color32::from_rgb(0x2a, 0x74, 0xb8)
    };
    let fill = match leaving {
        Some(true) => status_color(GStatus::Running, dark).gamma_multiply(0.35),
        _ => v.widgets.inactive.weak_bg_fill,
    };
    painter.rect_filled(r, CornerRadius::same(5), fill.gamma_multiply(alpha));
    let stroke = Stroke::new(1.5, accent.gamma_multiply(alpha));
    if c.closure {
        for s in Shape::dashed_line(
            &[
                r.left_top(),
                r.right_top(),
                r.right_bottom(),
                r.left_bottom(),
                r.left_top(),
            ],
            stroke,
            5.0,
            3.0,
        ) {
            painter.add(s);
        }
    } else {
        painter.rect_stroke(r, CornerRadius::same(5), stroke, StrokeKind::Inside);
    }
    let text = v.strong_text_color().gamma_multiply(alpha);
    let weak = v.weak_text_color().gamma_multiply(alpha);
    let title = if c.closure {
        format!("defer {}", c.func)
    } else {
        format!("defer {}(…)", c.func)
    };
    painter.text(
        r.left_top() + vec2(8.0, 5.0),
        Align2::LEFT_TOP,
        title,
        FontId::monospace(12.5),
        text,
    );
    let status = match leaving {
        Some(true) => tr("sim.defer.running").to_string(),
        Some(false) => tr("sim.defer.unwound").to_string(),
        None => tr!("sim.line", line = c.line),
    };
    painter.text(
        r.right_top() + vec2(-8.0, 5.0),
        Align2::RIGHT_TOP,
        status,
        FontId::proportional(11.0),
        weak,
    );
    // Second row: frozen argument chips, or the closure's live-reference tag.
    let mut x = r.left() + 8.0;
    let y = r.bottom() - 10.0;
    let chip_font = FontId::monospace(11.0);
    if c.closure {
        painter.text(
            pos2(x, y),
            Align2::LEFT_CENTER,
            tr("sim.defer.closure"),
            FontId::proportional(11.0),
            accent.gamma_multiply(alpha),
        );
        return;
    }
    if c.args.is_empty() {
        painter.text(
            pos2(x, y),
            Align2::LEFT_CENTER,
            tr("sim.defer.no_args"),
            FontId::proportional(11.0),
            weak,
        );
        return;
    }
    painter.text(
        pos2(x, y),
        Align2::LEFT_CENTER,
        tr("sim.defer.frozen"),
        FontId::proportional(11.0),
        weak,
    );
    x += 44.0;
    let chip_fill = if dark {
        Color32::from_rgb(0x24, 0x3c, 0x52)
    } else {
        Color32::from_rgb(0xdc, 0xee, 0xfa)
    };
    for a in &c.args {
        let shown: String = if a.chars().count() > 28 {
            a.chars().take(27).chain(['…']).collect()
        } else {
            a.clone()
        };
        let galley = painter.layout_no_wrap(shown, chip_font.clone(), text);
        let w = galley.size().x + 10.0;
        if x + w > r.right() - 4.0 {
            painter.text(
                pos2(x, y),
                Align2::LEFT_CENTER,
                "…",
                chip_font.clone(),
                weak,
            );
            break;
        }
        let chip = Rect::from_min_size(pos2(x, y - 7.5), vec2(w, 15.0));
        painter.rect_filled(chip, 3.0, chip_fill.gamma_multiply(alpha));
        painter.galley(pos2(x + 5.0, y - galley.size().y / 2.0), galley, text);
        x += w + 4.0;
    }
}

/// Loop variables, channels, WaitGroups, contexts and open files.
pub(super) fn world(ui: &mut Ui, snap: &Snapshot, selected: Option<usize>, out: &mut PanelOut) {
    let dark = ui.visuals().dark_mode;
    section(ui, tr("sim.sec.loop_vars"), snap.loop_vars.len(), |ui| {
        for lv in &snap.loop_vars {
            loop_var(ui, lv, out);
        }
    });
    section(ui, tr("sim.sec.channels"), snap.chans.len(), |ui| {
        channels(ui, snap, selected, dark, out);
    });
    section(ui, tr("sim.sec.waitgroups"), snap.waitgroups.len(), |ui| {
        for wg in snap.waitgroups.values() {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("WaitGroup #{}", wg.id)).monospace());
                let color = if wg.counter == 0 {
                    ui.visuals().weak_text_color()
                } else {
                    ui.visuals().strong_text_color()
                };
                ui.label(
                    RichText::new(tr!("sim.wg.counter", n = wg.counter))
                        .color(color)
                        .strong(),
                );
                counter_dots(ui, wg.counter);
                if !wg.waiters.is_empty() {
                    ui.label(tr("sim.wg.waiting"));
                    gids(ui, &wg.waiters, out);
                }
                if wg.line > 0 && ui.small_button(tr!("sim.line", line = wg.line)).clicked() {
                    out.jump = Some(wg.line);
                }
            });
        }
    });
    section(ui, tr("sim.sec.contexts"), snap.contexts.len(), |ui| {
        contexts(ui, snap, dark, out)
    });
    section(ui, tr("sim.sec.files"), snap.files.len(), |ui| {
        egui::Grid::new("strata-sim-files")
            .striped(true)
            .num_columns(4)
            .show(ui, |ui| {
                ui.strong("fd");
                ui.strong(tr("sim.files.name"));
                ui.strong(tr("sim.files.opened"));
                ui.strong(tr("sim.files.by"));
                ui.end_row();
                for f in snap.files.values().take(MAX_FILES) {
                    ui.monospace(f.fd.to_string());
                    ui.monospace(&f.name);
                    if ui
                        .small_button(tr!("sim.line", line = f.opened_line))
                        .clicked()
                    {
                        out.jump = Some(f.opened_line);
                    }
                    if ui.small_button(format!("G{}", f.goroutine)).clicked() {
                        out.select = Some(f.goroutine);
                    }
                    ui.end_row();
                }
            });
        if snap.files.len() > MAX_FILES {
            ui.weak(tr!("sim.more", n = snap.files.len() - MAX_FILES));
        }
    });
}

fn section(ui: &mut Ui, title: &str, n: usize, body: impl FnOnce(&mut Ui)) {
    if n == 0 {
        ui.weak(tr!("sim.sec.none", title = title));
        return;
    }
    egui::CollapsingHeader::new(format!("{title} ({n})"))
        .id_salt(("strata-sim-section", title))
        .default_open(true)
        .show(ui, body);
}

fn gids(ui: &mut Ui, ids: &[usize], out: &mut PanelOut) {
    for g in ids.iter().take(8) {
        if ui
            .small_button(format!("G{g}"))
            .on_hover_text(tr("sim.select_goroutine"))
            .clicked()
        {
            out.select = Some(*g);
        }
    }
    if ids.len() > 8 {
        ui.weak(format!("+{}", ids.len() - 8));
    }
}

fn counter_dots(ui: &mut Ui, counter: i64) {
    let n = counter.clamp(0, 12) as usize;
    if n == 0 {
        return;
    }
    let (rect, _) = ui.allocate_exact_size(vec2(n as f32 * 10.0, 12.0), Sense::hover());
    let c = ui.visuals().selection.bg_fill;
    for i in 0..n {
        ui.painter().circle_filled(
            pos2(rect.left() + 5.0 + i as f32 * 10.0, rect.center().y),
            4.0,
            c,
        );
    }
}

fn loop_var(ui: &mut Ui, lv: &crate::sim::timeline::LoopVarState, out: &mut PanelOut) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&lv.name).monospace().strong());
        if ui
            .small_button(tr!("sim.loop.for_at", line = lv.line))
            .clicked()
        {
            out.jump = Some(lv.line);
        }
        if lv.per_iteration {
            ui.label(tr("sim.loop.per_iteration"));
        } else {
            ui.label(tr("sim.loop.shared"));
        }
    });
    let boxes = if lv.per_iteration {
        lv.instances.clamp(1, 10)
    } else {
        1
    };
    let (rect, _) = ui.allocate_exact_size(vec2(ui.available_width(), 30.0), Sense::hover());
    let painter = ui.painter();
    let v = ui.visuals();
    let mut x = rect.left() + 4.0;
    let skipped = lv.instances.saturating_sub(boxes);
    if lv.per_iteration && skipped > 0 {
        painter.text(
            pos2(x, rect.center().y),
            Align2::LEFT_CENTER,
            tr!("sim.loop.older", n = skipped),
            FontId::proportional(11.0),
            v.weak_text_color(),
        );
        x += 70.0;
    }
    for i in 0..boxes {
        let newest = i + 1 == boxes;
        let label = if newest {
            format!("{} = {}", lv.name, lv.value)
        } else {
            format!("{} #{}", lv.name, skipped + i + 1)
        };
        let galley = painter.layout_no_wrap(label, FontId::monospace(12.0), v.text_color());
        let w = galley.size().x + 14.0;
        if x + w > rect.right() {
            break;
        }
        let r = Rect::from_min_size(pos2(x, rect.top() + 3.0), vec2(w, 24.0));
        let stroke = if newest {
            Stroke::new(1.5, v.selection.stroke.color)
        } else {
            Stroke::new(1.0, v.weak_text_color())
        };
        painter.rect_filled(r, 3.0, v.extreme_bg_color);
        painter.rect_stroke(r, 3.0, stroke, StrokeKind::Inside);
        painter.galley(
            pos2(x + 7.0, r.center().y - galley.size().y / 2.0),
            galley,
            v.text_color(),
        );
        x += w + 6.0;
    }
    if !lv.per_iteration {
        painter.text(
            pos2(x + 4.0, rect.center().y),
            Align2::LEFT_CENTER,
            tr("sim.loop.one_box"),
            FontId::proportional(11.0),
            v.weak_text_color(),
        );
    }
}

fn channels(ui: &mut Ui, snap: &Snapshot, selected: Option<usize>, dark: bool, out: &mut PanelOut) {
    // Channels the selected goroutine waits on first, then busy ones, so a
    // leak with thousands of parked channels still shows the relevant few.
    let involves = |c: &crate::sim::timeline::ChanState| {
        selected.is_some_and(|g| c.senders.contains(&g) || c.receivers.contains(&g))
    };
    let busy = |c: &crate::sim::timeline::ChanState| {
        !c.senders.is_empty() || !c.receivers.is_empty() || !c.buffer.is_empty()
    };
    let mut shown: Vec<&crate::sim::timeline::ChanState> = snap
        .chans
        .values()
        .filter(|c| involves(c))
        .take(MAX_CHANS)
        .collect();
    for c in snap.chans.values().filter(|c| !involves(c) && busy(c)) {
        if shown.len() >= MAX_CHANS {
            break;
        }
        shown.push(c);
    }
    for c in snap.chans.values().filter(|c| !involves(c) && !busy(c)) {
        if shown.len() >= MAX_CHANS {
            break;
        }
        shown.push(c);
    }
    for c in &shown {
        channel(ui, c, selected, dark, out);
    }
    if snap.chans.len() > shown.len() {
        ui.weak(tr!("sim.chan.more", n = snap.chans.len() - shown.len()));
    }
}

fn channel(
    ui: &mut Ui,
    c: &crate::sim::timeline::ChanState,
    selected: Option<usize>,
    dark: bool,
    out: &mut PanelOut,
) {
    egui::Frame::group(ui.style())
        .inner_margin(5.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!("chan {}", c.elem))
                        .monospace()
                        .strong(),
                );
                ui.weak(if c.cap == 0 {
                    tr("sim.chan.unbuffered").to_string()
                } else {
                    tr!("sim.chan.cap_len", cap = c.cap, len = c.buffer.len())
                });
                if c.closed {
                    ui.label(
                        RichText::new(tr("sim.chan.closed"))
                            .color(ui.visuals().warn_fg_color)
                            .strong(),
                    );
                }
                if c.made_line > 0
                    && ui
                        .small_button(tr!("sim.chan.made_at", line = c.made_line))
                        .clicked()
                {
                    out.jump = Some(c.made_line);
                }
            });
            ui.horizontal(|ui| {
                ui.weak(tr("sim.chan.senders"));
                if c.senders.is_empty() {
                    ui.weak("-");
                }
                gids(ui, &c.senders, out);
                ui.add_space(6.0);
                buffer_cells(ui, c, dark);
                ui.add_space(6.0);
                ui.weak(tr("sim.chan.receivers"));
                if c.receivers.is_empty() {
                    ui.weak("-");
                }
                gids(ui, &c.receivers, out);
            });
            if selected.is_some_and(|g| c.receivers.contains(&g)) {
                ui.weak(tr("sim.chan.waiting_recv"));
            } else if selected.is_some_and(|g| c.senders.contains(&g)) {
                ui.weak(tr("sim.chan.waiting_send"));
            }
        });
}

fn buffer_cells(ui: &mut Ui, c: &crate::sim::timeline::ChanState, dark: bool) {
    let cells = c.cap.clamp(1, 8);
    let cell_w = 46.0;
    let (rect, _) = ui.allocate_exact_size(vec2(cells as f32 * cell_w + 4.0, 24.0), Sense::hover());
    let painter = ui.painter();
    let v = ui.visuals();
    let filled = if dark {
        Color32::from_rgb(0x2f, 0x4f, 0x3a)
    } else {
        Color32::from_rgb(0xd8, 0xf0, 0xdc)
    };
    for i in 0..cells {
        let r = Rect::from_min_size(
            pos2(rect.left() + 2.0 + i as f32 * cell_w, rect.top() + 1.0),
            vec2(cell_w - 3.0, 22.0),
        );
        let value = if c.cap == 0 { None } else { c.buffer.get(i) };
        painter.rect_filled(
            r,
            2.0,
            if value.is_some() {
                filled
            } else {
                v.extreme_bg_color
            },
        );
        painter.rect_stroke(
            r,
            2.0,
            Stroke::new(1.0, v.weak_text_color()),
            StrokeKind::Inside,
        );
        let text = match value {
            Some(val) if val.chars().count() > 6 => val.chars().take(5).chain(['…']).collect(),
            Some(val) => val.clone(),
            None if c.cap == 0 => tr("sim.chan.no_buf").to_string(),
            None => String::new(),
        };
        painter.text(
            r.center(),
            Align2::CENTER_CENTER,
            text,
            FontId::monospace(11.0),
            if value.is_some() {
                v.strong_text_color()
            } else {
                v.weak_text_color()
            },
        );
    }
    if c.cap > cells {
        painter.text(
            pos2(rect.right(), rect.center().y),
            Align2::LEFT_CENTER,
            format!("+{}", c.cap - cells),
            FontId::proportional(11.0),
            v.weak_text_color(),
        );
    }
}

fn contexts(ui: &mut Ui, snap: &Snapshot, dark: bool, out: &mut PanelOut) {
    // Depth-first from the roots, so children sit under their parents.
    let mut order: Vec<(usize, usize)> = Vec::new();
    let mut stack: Vec<(usize, usize)> = snap
        .contexts
        .values()
        .filter(|c| c.parent.is_none_or(|p| !snap.contexts.contains_key(&p)))
        .map(|c| (c.id, 0))
        .rev()
        .collect();
    while let Some((id, depth)) = stack.pop() {
        if order.len() >= MAX_CONTEXTS {
            break;
        }
        order.push((id, depth));
        let kids: Vec<usize> = snap
            .contexts
            .values()
            .filter(|c| c.parent == Some(id))
            .map(|c| c.id)
            .collect();
        for k in kids.into_iter().rev() {
            stack.push((k, depth + 1));
        }
    }
    for (id, depth) in order {
        let Some(c) = snap.contexts.get(&id) else {
            continue;
        };
        ui.horizontal_wrapped(|ui| {
            ui.add_space(depth as f32 * 18.0);
            if depth > 0 {
                ui.weak("-");
            }
            ui.label(RichText::new(format!("ctx #{} {}", c.id, c.kind)).monospace());
            if let Some(d) = c.deadline_ns {
                ui.weak(tr!(
                    "sim.ctx.deadline",
                    time = crate::sim::runtime::fmt::format_duration(d)
                ));
            }
            match &c.err {
                Some(e) => {
                    ui.label(
                        RichText::new(tr!("sim.ctx.cancelled", error = e))
                            .color(status_color(GStatus::Blocked, dark))
                            .strong(),
                    );
                }
                None => {
                    ui.label(
                        RichText::new(tr("sim.ctx.live"))
                            .color(status_color(GStatus::Running, dark)),
                    );
                }
            }
            if c.made_line > 0
                && ui
                    .small_button(tr!("sim.line", line = c.made_line))
                    .clicked()
            {
                out.jump = Some(c.made_line);
            }
        });
    }
    if snap.contexts.len() > MAX_CONTEXTS {
        ui.weak(tr!("sim.more", n = snap.contexts.len() - MAX_CONTEXTS));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::timeline::FrameState;

    fn card(func: &str, line: usize) -> DeferCard {
        DeferCard {
            func: func.into(),
            args: vec!["&{...}".into()],
            closure: false,
            line,
        }
    }

    fn g(defers: Vec<DeferCard>) -> GoroutineState {
        GoroutineState {
            id: 1,
            status: GStatus::Running,
            wait_reason: String::new(),
            line: 9,
            created_line: 0,
            func: "main.main".into(),
            frames: vec![FrameState {
                func: "main.writeParts".into(),
                line: 9,
                defers,
            }],
        }
    }

    #[test]
    fn pushed_cards_animate_and_popped_ones_leave_a_ghost() {
        let mut cards = Cards::default();
        cards.update(Some(&g(vec![card("f.Close", 9)])), 0.0, false, false);
        assert!(!cards.animating(0.0), "first sight does not animate");
        cards.update(
            Some(&g(vec![card("f.Close", 9), card("f.Close", 9)])),
            1.0,
            true,
            false,
        );
        assert!(cards.animating(1.1), "a push slides in");
        assert!(!cards.animating(1.0 + ANIM_SECS + 0.01));
        cards.update(Some(&g(vec![card("f.Close", 9)])), 2.0, true, true);
        assert_eq!(cards.ghosts.len(), 1);
        assert!(cards.ghosts[0].ran);
        // A jump (scrub) clears animations instead of replaying them.
        cards.update(Some(&g(vec![])), 2.1, false, false);
        assert!(cards.ghosts.is_empty());
    }

    #[test]
    fn card_labels_name_the_call_and_its_frozen_values() {
        let l = card_label(&card("f.Close", 27), true);
        assert_eq!(l, "defer card: f.Close (&{...}), line 27, runs next");
    }
}
