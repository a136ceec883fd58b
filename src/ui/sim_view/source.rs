//! The program's source with every goroutine's current line marked.
//!
//! Lines are highlighted once per theme and laid out per visible row, so a
//! long program scrolls at the cost of the rows on screen. Marks come from
//! the snapshot (recomputed only when the playhead moves): each line a
//! goroutine is on gets its status colour, the selected goroutine's line the
//! strongest fill and an arrow, its callers' lines an outline.

use std::collections::BTreeMap;
use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};

use crate::i18n::tr;
use egui::{
    pos2, vec2, Align2, Color32, FontFamily, FontId, Rect, ScrollArea, Sense, Shape, Stroke,
    StrokeKind, Ui,
};

use super::lanes::{status_color, status_name};
use crate::highlight::{highlighter, Theme};
use crate::sim::timeline::{GStatus, Snapshot};

const FONT_SIZE: f32 = 13.0;
const ROW_H: f32 = 19.0;
const NUM_W: f32 = 34.0;
const BADGE_W: f32 = 58.0;
/// How long a "jump to line" target stays highlighted.
const FLASH_SECS: f64 = 1.6;

/// What is happening on one source line at the playhead.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct LineMark {
    /// goroutines whose top frame is on this line, lowest ids first (capped)
    pub ids: Vec<usize>,
    pub count: usize,
    /// the status that matters most among them (running > blocked > ...)
    pub status: Option<GStatus>,
    /// the selected goroutine is on this line
    pub selected: bool,
    /// a caller frame of the selected goroutine is on this line
    pub caller: bool,
}

/// Marks for every line with a live goroutine on it.
pub(super) fn marks(snap: &Snapshot, selected: Option<usize>) -> BTreeMap<usize, LineMark> {
    let mut out: BTreeMap<usize, LineMark> = BTreeMap::new();
    for g in snap.goroutines.values() {
        if g.status == GStatus::Done || g.line == 0 {
            continue;
        }
        let m = out.entry(g.line).or_default();
        m.count += 1;
        if m.ids.len() < 4 {
            m.ids.push(g.id);
        }
        if rank(g.status) > m.status.map_or(0, rank) {
            m.status = Some(g.status);
        }
    }
    if let Some(g) = selected.and_then(|id| snap.goroutines.get(&id)) {
        if g.status != GStatus::Done && g.line > 0 {
            out.entry(g.line).or_default().selected = true;
        }
        let below_top = g.frames.len().saturating_sub(1);
        for f in g.frames.iter().take(below_top) {
            if f.line > 0 && f.line != g.line {
                out.entry(f.line).or_default().caller = true;
            }
        }
    }
    out
}

fn rank(s: GStatus) -> u8 {
    match s {
        GStatus::Running => 5,
        GStatus::Blocked => 4,
        GStatus::Sleeping => 3,
        GStatus::Runnable => 2,
        GStatus::Done => 1,
    }
}

pub(super) struct SourcePane {
    lines: Vec<String>,
    jobs: Option<(bool, Vec<Arc<LayoutJob>>)>,
    /// the last "jump to line" target and when it was asked for (it flashes)
    jump: Option<(usize, f64)>,
    /// line to bring into view on the next frame
    scroll_to: Option<usize>,
    /// rows shown last frame (0-based), to scroll only when needed
    visible: std::ops::Range<usize>,
    followed: usize,
    /// widest code row laid out so far: long lines scroll sideways instead
    /// of being cut at the pane's edge
    widest: f32,
}

impl SourcePane {
    pub fn new(source: &str) -> Self {
        SourcePane {
            lines: source.lines().map(|l| l.replace('\t', "    ")).collect(),
            jobs: None,
            jump: None,
            scroll_to: None,
            visible: 0..0,
            followed: 0,
            widest: 0.0,
        }
    }

    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// Scroll to `line` and flash it.
    pub fn jump_to(&mut self, line: usize, now: f64) {
        if line > 0 {
            self.jump = Some((line, now));
            self.scroll_to = Some(line);
        }
    }

    /// Keeps `line` (the selected goroutine's) on screen as it moves,
    /// scrolling only when it would leave the visible rows.
    pub fn follow(&mut self, line: usize) {
        if line == 0 || line == self.followed {
            return;
        }
        self.followed = line;
        let row = line - 1;
        let inside = row > self.visible.start && row + 1 < self.visible.end;
        if !inside {
            self.scroll_to = Some(line);
        }
    }

    fn jobs(&mut self, dark: bool) -> &[Arc<LayoutJob>] {
        if self.jobs.as_ref().is_none_or(|(d, _)| *d != dark) {
            let theme = if dark { Theme::Dark } else { Theme::Light };
            self.jobs = Some((dark, highlight_lines(&self.lines, theme)));
        }
        self.jobs.as_ref().map_or(&[], |(_, j)| j.as_slice())
    }
}

/// One monospace job per line, coloured by syntect's Go grammar.
fn highlight_lines(lines: &[String], theme: Theme) -> Vec<Arc<LayoutJob>> {
    let text = lines.join("\n");
    let hl = highlighter().highlight(&text, "go", theme);
    let font = FontId::new(FONT_SIZE, FontFamily::Monospace);
    let fg = rgba(hl.foreground);
    let mut jobs = Vec::with_capacity(lines.len());
    let mut spans = hl.spans.iter().peekable();
    let mut start = 0usize;
    for line in lines {
        let end = start + line.len();
        let mut job = LayoutJob::default();
        let mut at = start;
        while let Some(s) = spans.peek() {
            if s.range.start >= end {
                break;
            }
            let (s0, s1) = (s.range.start.max(at), s.range.end.min(end));
            if s0 > at {
                job.append(&text[at..s0], 0.0, TextFormat::simple(font.clone(), fg));
            }
            if s1 > s0 {
                let mut f = TextFormat::simple(font.clone(), rgba(s.color));
                f.italics = s.italic;
                job.append(&text[s0..s1], 0.0, f);
                at = s1;
            }
            if s.range.end <= end {
                spans.next();
            } else {
                break;
            }
        }
        if at < end {
            job.append(&text[at..end], 0.0, TextFormat::simple(font.clone(), fg));
        }
        if job.text.is_empty() {
            job.append(" ", 0.0, TextFormat::simple(font.clone(), fg));
        }
        job.wrap.max_width = f32::INFINITY;
        jobs.push(Arc::new(job));
        start = end + 1;
    }
    jobs
}

fn rgba(c: [u8; 4]) -> Color32 {
    Color32::from_rgba_unmultiplied(c[0], c[1], c[2], c[3])
}

/// Draws the source; returns a goroutine the user clicked on (a line badge).
pub(super) fn show(
    ui: &mut Ui,
    pane: &mut SourcePane,
    marks: &BTreeMap<usize, LineMark>,
    error_line: Option<usize>,
) -> Option<usize> {
    let dark = ui.visuals().dark_mode;
    let now = ui.input(|i| i.time);
    let mut clicked = None;
    let n = pane.line_count();
    let mut area = ScrollArea::both()
        .id_salt("strata-sim-source")
        .auto_shrink([false, false]);
    if let Some(line) = pane.scroll_to.take() {
        let visible = ui.available_height();
        let y = ((line as f32 - 1.0) * ROW_H - visible / 3.0).max(0.0);
        area = area.vertical_scroll_offset(y);
    }
    let flash = pane
        .jump
        .filter(|(_, t)| now - *t < FLASH_SECS)
        .map(|(l, t)| (l, 1.0 - ((now - t) / FLASH_SECS) as f32));
    if flash.is_some() {
        ui.ctx().request_repaint();
    }
    let jobs: Vec<Arc<LayoutJob>> = pane.jobs(dark).to_vec();
    area.show_rows(ui, ROW_H, n, |ui, rows| {
        pane.visible = rows.clone();
        let visuals = ui.visuals().clone();
        let code_w = ui.available_width().max(200.0).max(pane.widest);
        for i in rows {
            let line = i + 1;
            let (rect, _) = ui.allocate_exact_size(vec2(code_w, ROW_H), Sense::hover());
            let painter = ui.painter();
            let mark = marks.get(&line);
            let code_x = rect.left() + NUM_W + BADGE_W;
            let row = Rect::from_min_max(pos2(rect.left() + NUM_W, rect.top()), rect.max);
            if let Some(m) = mark {
                if let Some(s) = m.status {
                    let alpha = if m.selected { 0.42 } else { 0.16 };
                    painter.rect_filled(row, 2.0, status_color(s, dark).gamma_multiply(alpha));
                }
                if m.caller {
                    painter.rect_stroke(
                        row.shrink(1.0),
                        2.0,
                        Stroke::new(1.0, visuals.selection.stroke.color.gamma_multiply(0.7)),
                        StrokeKind::Inside,
                    );
                }
                if m.selected {
                    let c = visuals.strong_text_color();
                    let tip = pos2(rect.left() + NUM_W + 9.0, rect.center().y);
                    painter.add(Shape::convex_polygon(
                        vec![
                            tip + vec2(-7.0, -5.0),
                            tip + vec2(0.0, 0.0),
                            tip + vec2(-7.0, 5.0),
                        ],
                        c,
                        Stroke::NONE,
                    ));
                }
            }
            if error_line == Some(line) {
                painter.rect_filled(row, 2.0, visuals.error_fg_color.gamma_multiply(0.25));
            }
            if let Some((l, k)) = flash {
                if l == line {
                    painter.rect_stroke(
                        row,
                        2.0,
                        Stroke::new(2.5, visuals.warn_fg_color.gamma_multiply(k.max(0.35))),
                        StrokeKind::Inside,
                    );
                }
            } else if pane.jump.map(|(l, _)| l) == Some(line) {
                painter.rect_stroke(
                    row,
                    2.0,
                    Stroke::new(1.0, visuals.warn_fg_color.gamma_multiply(0.6)),
                    StrokeKind::Inside,
                );
            }
            painter.text(
                pos2(rect.left() + NUM_W - 6.0, rect.center().y),
                Align2::RIGHT_CENTER,
                line.to_string(),
                FontId::monospace(FONT_SIZE - 1.0),
                visuals.weak_text_color(),
            );
            if let Some(m) = mark.filter(|m| m.count > 0) {
                let badge = badge_text(m);
                let badge_rect = Rect::from_min_size(
                    pos2(rect.left() + NUM_W + 12.0, rect.top() + 2.0),
                    vec2(BADGE_W - 16.0, ROW_H - 4.0),
                );
                let resp = ui.interact(
                    badge_rect,
                    egui::Id::unique(("strata-sim-badge", line)),
                    Sense::click(),
                );
                let tip = badge_tooltip(m);
                resp.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::Button, true, tip.clone())
                });
                let resp = resp.on_hover_text(tip.clone());
                let color = m
                    .status
                    .map_or(visuals.text_color(), |s| status_color(s, dark));
                ui.painter().text(
                    badge_rect.left_center(),
                    Align2::LEFT_CENTER,
                    badge,
                    FontId::proportional(11.5),
                    if resp.hovered() {
                        visuals.strong_text_color()
                    } else {
                        color
                    },
                );
                if resp.clicked() {
                    clicked = m.ids.first().copied();
                }
            }
            let galley = ui
                .ctx()
                .fonts_mut(|f| f.layout_job(LayoutJob::clone(&jobs[i])));
            pane.widest = pane.widest.max(NUM_W + BADGE_W + galley.size().x + 8.0);
            let y = rect.center().y - galley.size().y / 2.0;
            ui.painter()
                .galley(pos2(code_x, y), galley, visuals.text_color());
        }
    });
    clicked
}

fn badge_text(m: &LineMark) -> String {
    match m.count {
        1 => format!("G{}", m.ids[0]),
        2 | 3 => m
            .ids
            .iter()
            .map(|g| format!("G{g}"))
            .collect::<Vec<_>>()
            .join(" "),
        n => tr!("sim.lanes.goroutines", n = n),
    }
}

fn badge_tooltip(m: &LineMark) -> String {
    let mut s = match m.count {
        1 => tr!("sim.src.one_here", id = m.ids[0]),
        n => tr!("sim.src.n_here", n = n),
    };
    if let Some(st) = m.status {
        s.push_str(&format!(" ({})", status_name(st)));
    }
    s.push_str(tr("sim.src.click"));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::timeline::{FrameState, GoroutineState};

    fn g(id: usize, status: GStatus, line: usize, frames: &[usize]) -> GoroutineState {
        GoroutineState {
            id,
            status,
            wait_reason: String::new(),
            line,
            created_line: 1,
            func: "main.main".into(),
            frames: frames
                .iter()
                .map(|&l| FrameState {
                    func: "main.f".into(),
                    line: l,
                    defers: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn marks_group_goroutines_by_line_and_keep_the_selected_one() {
        let mut snap = Snapshot::default();
        snap.goroutines
            .insert(1, g(1, GStatus::Running, 10, &[20, 10]));
        snap.goroutines.insert(2, g(2, GStatus::Blocked, 5, &[5]));
        snap.goroutines.insert(3, g(3, GStatus::Blocked, 5, &[5]));
        snap.goroutines.insert(4, g(4, GStatus::Done, 7, &[]));
        let m = marks(&snap, Some(1));
        assert_eq!(m[&10].ids, vec![1]);
        assert!(m[&10].selected);
        assert!(m[&20].caller, "the caller frame's line is outlined");
        assert_eq!(m[&5].count, 2);
        assert_eq!(m[&5].status, Some(GStatus::Blocked));
        assert!(!m.contains_key(&7), "finished goroutines leave no mark");
        assert_eq!(badge_text(&m[&5]), "G2 G3");
    }

    #[test]
    fn highlighted_lines_keep_every_character() {
        let src = "package main\n\nfunc main() {\n\tprintln(\"hi\")\n}\n";
        let pane = SourcePane::new(src);
        let jobs = highlight_lines(&pane.lines, Theme::Light);
        assert_eq!(jobs.len(), 5);
        assert_eq!(jobs[0].text, "package main");
        assert_eq!(jobs[1].text, " ");
        assert_eq!(jobs[3].text, "    println(\"hi\")");
    }
}
