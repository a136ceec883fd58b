//! The goroutine timeline: one lane per goroutine coloured by status, the
//! goroutine-count track under it and the playhead across both.
//!
//! A run can have 100,000 goroutines, so nothing here draws one shape per
//! goroutine. The lanes are folded once per (run, size, theme) into a grid of
//! pixel cells - each cell the dominant status of the goroutines in its row
//! bucket during its column's slice of events - uploaded as one texture and
//! painted as one image. A frame then costs the same for 3 goroutines and for
//! 10,000: one image, one count mesh, a playhead and the hover lookup.

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{
    pos2, vec2, Align2, Color32, ColorImage, FontId, Pos2, Rect, Sense, Stroke, StrokeKind,
    TextureHandle, TextureOptions, Ui,
};

use crate::i18n::tr;
use crate::sim::timeline::{GStatus, Lane, Timeline};

/// Lanes taller than this stop growing; the rest of the area stays empty.
const MAX_LANE_H: f32 = 16.0;
/// Below this a lane gets no name in the gutter (it would not be legible).
const LABEL_LANE_H: f32 = 11.0;
const GUTTER_W: f32 = 116.0;
const COUNT_H: f32 = 40.0;

pub(super) const STATUSES: [GStatus; 5] = [
    GStatus::Running,
    GStatus::Runnable,
    GStatus::Blocked,
    GStatus::Sleeping,
    GStatus::Done,
];

fn status_index(s: GStatus) -> usize {
    match s {
        GStatus::Running => 0,
        GStatus::Runnable => 1,
        GStatus::Blocked => 2,
        GStatus::Sleeping => 3,
        GStatus::Done => 4,
    }
}

pub(super) fn status_name(s: GStatus) -> &'static str {
    match s {
        GStatus::Running => tr("sim.status.running"),
        GStatus::Runnable => tr("sim.status.runnable"),
        GStatus::Blocked => tr("sim.status.blocked"),
        GStatus::Sleeping => tr("sim.status.sleeping"),
        GStatus::Done => tr("sim.status.done"),
    }
}

pub(super) fn status_color(s: GStatus, dark: bool) -> Color32 {
    match (s, dark) {
        (GStatus::Running, false) => Color32::from_rgb(0x2e, 0x9e, 0x48),
        (GStatus::Running, true) => Color32::from_rgb(0x4c, 0xc2, 0x66),
        (GStatus::Runnable, false) => Color32::from_rgb(0xe0, 0xa2, 0x1c),
        (GStatus::Runnable, true) => Color32::from_rgb(0xe8, 0xb8, 0x3a),
        (GStatus::Blocked, false) => Color32::from_rgb(0xd2, 0x45, 0x3a),
        (GStatus::Blocked, true) => Color32::from_rgb(0xe8, 0x5f, 0x52),
        (GStatus::Sleeping, false) => Color32::from_rgb(0x4f, 0x74, 0xd6),
        (GStatus::Sleeping, true) => Color32::from_rgb(0x78, 0x98, 0xf0),
        (GStatus::Done, false) => Color32::from_rgb(0xc4, 0xc4, 0xc4),
        (GStatus::Done, true) => Color32::from_rgb(0x55, 0x58, 0x5e),
    }
}

/// Which lanes (indices into `Timeline::lanes`) share pixel row `r` when
/// `n` lanes are folded into `rows` rows: lane `i` goes to `i * rows / n`.
pub(super) fn row_lanes(r: usize, rows: usize, n: usize) -> std::ops::Range<usize> {
    let start = (r * n).div_ceil(rows.max(1));
    let end = ((r + 1) * n).div_ceil(rows.max(1));
    start.min(n)..end.min(n)
}

fn row_of(lane: usize, rows: usize, n: usize) -> usize {
    (lane * rows).checked_div(n).unwrap_or(0)
}

/// Columns `[c0, c1)` that the event range `[from, to)` touches when `len`
/// events span `cols` columns; never empty, so one-event spans stay visible.
fn columns(from: usize, to: usize, len: usize, cols: usize) -> (usize, usize) {
    let len = len.max(1);
    let c0 = (from.min(len) * cols / len).min(cols.saturating_sub(1));
    let c1 = (to.min(len) * cols).div_ceil(len).clamp(c0 + 1, cols);
    (c0, c1)
}

/// Folds the lanes into a `cols` x `rows` grid of status colours.
///
/// Per cell: green when any goroutine of the row runs there (one goroutine
/// runs at a time, so this is how the eye follows the scheduler), else the
/// most common waiting status, else grey for finished goroutines, else
/// transparent (not started yet). Counting uses difference arrays, so the
/// cost is O(spans + rows x cols), not O(goroutines x columns).
pub(super) fn build_grid(
    lanes: &[Lane],
    len: usize,
    cols: usize,
    rows: usize,
    dark: bool,
) -> Vec<Color32> {
    let (cols, rows) = (cols.max(1), rows.max(1));
    let n = lanes.len();
    let stride = cols + 1;
    let mut diff = vec![0i32; rows * STATUSES.len() * stride];
    for (i, lane) in lanes.iter().enumerate() {
        let r = row_of(i, rows, n).min(rows - 1);
        for span in &lane.spans {
            let (c0, c1) = columns(span.from, span.to, len, cols);
            let base = (r * STATUSES.len() + status_index(span.status)) * stride;
            diff[base + c0] += 1;
            diff[base + c1] -= 1;
        }
    }
    let colors = STATUSES.map(|s| status_color(s, dark));
    let mut pixels = vec![Color32::TRANSPARENT; rows * cols];
    let mut counts = [0i32; 5];
    for r in 0..rows {
        counts.fill(0);
        for c in 0..cols {
            for (s, count) in counts.iter_mut().enumerate() {
                *count += diff[(r * STATUSES.len() + s) * stride + c];
            }
            pixels[r * cols + c] = cell_color(&counts, &colors);
        }
    }
    pixels
}

fn cell_color(counts: &[i32; 5], colors: &[Color32; 5]) -> Color32 {
    if counts[0] > 0 {
        return colors[0];
    }
    // Ties go to the status a trainer is looking for: blocked, then sleeping.
    let waiting = [2usize, 3, 1]
        .into_iter()
        .filter(|&s| counts[s] > 0)
        .max_by_key(|&s| (counts[s], 3 - s.min(3)));
    match waiting {
        Some(s) => colors[s],
        None if counts[4] > 0 => colors[4],
        None => Color32::TRANSPARENT,
    }
}

/// Peak goroutine count per column, from the (event, alive) change list.
pub(super) fn count_columns(track: &[(usize, usize)], len: usize, cols: usize) -> Vec<usize> {
    let cols = cols.max(1);
    let len = len.max(1);
    let mut out = vec![0usize; cols];
    let mut carried = 0usize;
    let mut k = 0;
    for (c, slot) in out.iter_mut().enumerate() {
        let start = c * len / cols;
        let end = (c + 1) * len / cols;
        // Changes at or before the column's first event set its baseline;
        // later ones inside it can only raise the peak.
        while k < track.len() && track[k].0 <= start {
            carried = track[k].1;
            k += 1;
        }
        let mut peak = carried;
        while k < track.len() && (track[k].0 < end || c + 1 == cols) {
            carried = track[k].1;
            peak = peak.max(carried);
            k += 1;
        }
        *slot = peak;
    }
    out
}

/// The status of `lane` after `at` events, with its wait reason.
pub(super) fn status_at(lane: &Lane, at: usize) -> Option<(GStatus, &str)> {
    let i = lane.spans.partition_point(|s| s.from <= at);
    let span = lane.spans.get(i.checked_sub(1)?)?;
    (at < span.to || i == lane.spans.len()).then_some((span.status, span.wait_reason.as_str()))
}

/// Texture and count columns for one (run, size, theme).
pub(super) struct LanesCache {
    key: (u64, usize, usize, bool),
    texture: TextureHandle,
    counts: Vec<usize>,
    peak: usize,
}

#[derive(Default)]
pub(super) struct LanesOut {
    pub select: Option<usize>,
    pub seek: Option<usize>,
}

/// Draws the timeline into a `height`-tall strip of `ui`'s width.
#[allow(clippy::too_many_arguments)]
pub(super) fn show(
    ui: &mut Ui,
    cache: &mut Option<LanesCache>,
    run_id: u64,
    tl: &Timeline,
    at: usize,
    alive_now: usize,
    selected: Option<usize>,
    height: f32,
) -> LanesOut {
    let mut out = LanesOut::default();
    let dark = ui.visuals().dark_mode;
    let lanes = tl.lanes();
    let n = lanes.len();
    let len = tl.len();
    let width = ui.available_width().max(GUTTER_W + 40.0);
    // Few goroutines get short lanes, not one stretched bar.
    let lanes_h =
        (n as f32 * MAX_LANE_H).clamp(2.0 * MAX_LANE_H, (height - COUNT_H - 6.0).max(24.0));
    let (outer, _) = ui.allocate_exact_size(vec2(width, lanes_h + COUNT_H + 6.0), Sense::hover());
    let plot_x = outer.left() + GUTTER_W;
    let plot_w = (outer.right() - plot_x - 4.0).max(10.0);
    let lane_h = if n == 0 {
        MAX_LANE_H
    } else {
        (lanes_h / n as f32).min(MAX_LANE_H)
    };
    let rows = if lane_h >= 1.0 { n } else { lanes_h as usize };
    let lanes_rect = Rect::from_min_size(
        pos2(plot_x, outer.top()),
        vec2(plot_w, (lane_h * n as f32).min(lanes_h)),
    );
    let count_rect = Rect::from_min_size(
        pos2(plot_x, outer.top() + lanes_h + 6.0),
        vec2(plot_w, COUNT_H),
    );
    let cols = (plot_w * ui.ctx().pixels_per_point()).round().max(1.0) as usize;

    let key = (run_id, cols, rows, dark);
    if cache.as_ref().is_none_or(|c| c.key != key) {
        let pixels = build_grid(lanes, len, cols, rows.max(1), dark);
        let image = ColorImage::new([cols, rows.max(1)], pixels);
        let texture = ui
            .ctx()
            .load_texture("strata-sim-lanes", image, TextureOptions::NEAREST);
        let counts = count_columns(tl.alive_track(), len, cols);
        let peak = counts.iter().copied().max().unwrap_or(0);
        *cache = Some(LanesCache {
            key,
            texture,
            counts,
            peak,
        });
    }
    let Some(c) = cache.as_ref() else {
        return out;
    };

    let painter = ui.painter_at(outer);
    let visuals = ui.visuals();
    let weak = visuals.weak_text_color();
    let text = visuals.text_color();
    painter.rect_filled(
        Rect::from_min_max(
            pos2(plot_x, outer.top()),
            pos2(plot_x + plot_w, outer.top() + lanes_h),
        ),
        2.0,
        visuals.extreme_bg_color,
    );
    if n > 0 {
        painter.image(
            c.texture.id(),
            lanes_rect,
            Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
            Color32::WHITE,
        );
    }
    let font = FontId::proportional(11.0);
    let row_h = if rows == 0 {
        0.0
    } else {
        lanes_rect.height() / rows as f32
    };
    if row_h >= LABEL_LANE_H {
        for (i, lane) in lanes.iter().enumerate() {
            let y = lanes_rect.top() + row_h * (i as f32 + 0.5);
            let label = format!("G{} {}", lane.goroutine, short_func(&lane.func));
            let color = if selected == Some(lane.goroutine) {
                text
            } else {
                weak
            };
            painter
                .with_clip_rect(Rect::from_min_max(
                    pos2(outer.left(), outer.top()),
                    pos2(plot_x - 4.0, outer.bottom()),
                ))
                .text(
                    pos2(outer.left() + 2.0, y),
                    Align2::LEFT_CENTER,
                    label,
                    font.clone(),
                    color,
                );
        }
    } else if let (Some(first), Some(last)) = (lanes.first(), lanes.last()) {
        painter.text(
            pos2(outer.left() + 2.0, lanes_rect.top()),
            Align2::LEFT_TOP,
            format!("G{}", first.goroutine),
            font.clone(),
            weak,
        );
        painter.text(
            pos2(outer.left() + 2.0, lanes_rect.center().y),
            Align2::LEFT_CENTER,
            tr!("sim.lanes.goroutines", n = n),
            font.clone(),
            text,
        );
        painter.text(
            pos2(outer.left() + 2.0, lanes_rect.bottom()),
            Align2::LEFT_BOTTOM,
            format!("G{}", last.goroutine),
            font.clone(),
            weak,
        );
    }

    // Goroutine count track: one quad per column, cached values.
    painter.rect_filled(count_rect, 2.0, visuals.extreme_bg_color);
    let count_color = visuals.selection.bg_fill.gamma_multiply(0.85);
    let mut mesh = Mesh::default();
    let col_w = plot_w / c.counts.len().max(1) as f32;
    let scale = if c.peak == 0 {
        0.0
    } else {
        (COUNT_H - 4.0) / c.peak as f32
    };
    for (i, &v) in c.counts.iter().enumerate() {
        if v == 0 {
            continue;
        }
        let x0 = count_rect.left() + i as f32 * col_w;
        let r = Rect::from_min_max(
            pos2(x0, count_rect.bottom() - v as f32 * scale),
            pos2(x0 + col_w, count_rect.bottom()),
        );
        add_quad(&mut mesh, r, count_color);
    }
    painter.add(mesh);
    painter.text(
        pos2(outer.left() + 2.0, count_rect.top()),
        Align2::LEFT_TOP,
        tr!("sim.lanes.count", n = alive_now),
        font.clone(),
        text,
    );
    painter.text(
        pos2(outer.left() + 2.0, count_rect.bottom()),
        Align2::LEFT_BOTTOM,
        tr!("sim.lanes.peak", n = c.peak),
        font.clone(),
        weak,
    );

    // Selected lane outline and the playhead.
    if let Some(li) = selected.and_then(|g| lane_index(lanes, g)) {
        let r = row_of(li, rows.max(1), n);
        let y0 = lanes_rect.top() + r as f32 * row_h;
        let sel = Rect::from_min_max(
            pos2(lanes_rect.left(), y0),
            pos2(lanes_rect.right(), y0 + row_h.max(2.0)),
        );
        painter.rect_stroke(sel, 0.0, Stroke::new(1.5, text), StrokeKind::Outside);
    }
    let x_of = |p: usize| plot_x + plot_w * p as f32 / len.max(1) as f32;
    let px = x_of(at);
    painter.line_segment(
        [pos2(px, outer.top()), pos2(px, count_rect.bottom())],
        Stroke::new(2.0, visuals.strong_text_color()),
    );

    // Interaction: lanes (click selects, drag scrubs) and count track (scrub).
    let pos_of = |x: f32| -> usize {
        let f = ((x - plot_x) / plot_w).clamp(0.0, 1.0);
        (f * len as f32).round() as usize
    };
    let lane_area = Rect::from_min_max(
        pos2(plot_x, outer.top()),
        pos2(plot_x + plot_w, outer.top() + lanes_h),
    );
    let resp = ui.interact(
        lane_area,
        egui::Id::unique("strata-sim-lanes"),
        Sense::click_and_drag(),
    );
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, tr("sim.lanes.a11y")));
    let hover_lane = |p: Pos2| -> Option<std::ops::Range<usize>> {
        if n == 0 || !lanes_rect.contains(p) || row_h <= 0.0 {
            return None;
        }
        let r = (((p.y - lanes_rect.top()) / row_h) as usize).min(rows.saturating_sub(1));
        let range = row_lanes(r, rows, n);
        (!range.is_empty()).then_some(range)
    };
    if resp.dragged() {
        if let Some(p) = resp.interact_pointer_pos() {
            out.seek = Some(pos_of(p.x));
        }
    } else if resp.clicked() {
        if let Some(p) = resp.interact_pointer_pos() {
            if let Some(range) = hover_lane(p) {
                let e = pos_of(p.x);
                // In a folded row, pick the first goroutine that is alive
                // there, so the click lands on something worth looking at.
                let pick = range
                    .clone()
                    .find(|&i| status_at(&lanes[i], e).is_some_and(|(s, _)| s != GStatus::Done))
                    .unwrap_or(range.start);
                out.select = Some(lanes[pick].goroutine);
            }
        }
    }
    if let Some(p) = resp.hover_pos() {
        if let Some(range) = hover_lane(p) {
            let e = pos_of(p.x);
            let resp = resp.clone();
            resp.on_hover_ui_at_pointer(|ui| lane_tooltip(ui, lanes, range, e, dark));
        }
    }
    let count_resp = ui.interact(
        count_rect,
        egui::Id::unique("strata-sim-count-track"),
        Sense::click_and_drag(),
    );
    count_resp.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Canvas, true, tr("sim.lanes.track_a11y"))
    });
    if count_resp.clicked() || count_resp.dragged() {
        if let Some(p) = count_resp.interact_pointer_pos() {
            out.seek = Some(pos_of(p.x));
        }
    }
    if let Some(p) = count_resp.hover_pos() {
        let col = (((p.x - plot_x) / col_w) as usize).min(c.counts.len().saturating_sub(1));
        let v = c.counts.get(col).copied().unwrap_or(0);
        count_resp.on_hover_text_at_pointer(tr!("sim.lanes.track_hover", n = v));
    }
    out
}

fn lane_tooltip(ui: &mut Ui, lanes: &[Lane], range: std::ops::Range<usize>, at: usize, dark: bool) {
    if range.len() == 1 {
        let lane = &lanes[range.start];
        ui.strong(format!("G{} {}", lane.goroutine, lane.func));
        match status_at(lane, at) {
            Some((s, why)) => {
                let mut t = status_name(s).to_string();
                if !why.is_empty() {
                    t.push_str(&format!(" ({why})"));
                }
                ui.colored_label(status_color(s, dark), t);
            }
            None => {
                ui.weak(tr("sim.lanes.not_started"));
            }
        }
        if lane.created_line > 0 {
            ui.weak(tr!("sim.created_at", line = lane.created_line));
        }
        ui.weak(tr("sim.lanes.lane_hint"));
        return;
    }
    let (first, last) = (&lanes[range.start], &lanes[range.end - 1]);
    ui.strong(tr!(
        "sim.lanes.group",
        first = first.goroutine,
        last = last.goroutine,
        n = range.len()
    ));
    let mut counts = [0usize; 5];
    let mut reasons: Vec<(String, usize)> = Vec::new();
    for lane in &lanes[range] {
        if let Some((s, why)) = status_at(lane, at) {
            counts[status_index(s)] += 1;
            if !why.is_empty() {
                if let Some(slot) = reasons.iter_mut().find(|(r, _)| r == why) {
                    slot.1 += 1;
                } else if reasons.len() < 6 {
                    reasons.push((why.to_string(), 1));
                }
            }
        }
    }
    for (s, k) in STATUSES.iter().zip(counts) {
        if k > 0 {
            ui.colored_label(status_color(*s, dark), format!("{k} {}", status_name(*s)));
        }
    }
    for (why, k) in reasons {
        ui.weak(tr!("sim.lanes.waiting_on", n = k, why = why));
    }
    ui.weak(tr("sim.lanes.group_hint"));
}

fn lane_index(lanes: &[Lane], goroutine: usize) -> Option<usize> {
    // Lanes come in goroutine-id order; fall back to a scan if not.
    match lanes.binary_search_by_key(&goroutine, |l| l.goroutine) {
        Ok(i) => Some(i),
        Err(_) => lanes.iter().position(|l| l.goroutine == goroutine),
    }
}

/// `main.lookup.func1` -> `lookup.func1`: the package is always main.
pub(super) fn short_func(f: &str) -> &str {
    f.strip_prefix("main.").unwrap_or(f)
}

fn add_quad(mesh: &mut Mesh, r: Rect, color: Color32) {
    let i = mesh.vertices.len() as u32;
    for p in [
        r.left_top(),
        r.right_top(),
        r.right_bottom(),
        r.left_bottom(),
    ] {
        mesh.vertices.push(Vertex {
            pos: p,
            uv: WHITE_UV,
            color,
        });
    }
    mesh.indices
        .extend_from_slice(&[i, i + 1, i + 2, i, i + 2, i + 3]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::timeline::Span;

    fn lane(g: usize, spans: &[(usize, usize, GStatus)]) -> Lane {
        Lane {
            goroutine: g,
            func: "main.worker".into(),
            created_line: 3,
            spans: spans
                .iter()
                .map(|&(from, to, status)| Span {
                    from,
                    to,
                    status,
                    wait_reason: if status == GStatus::Blocked {
                        "chan receive".into()
                    } else {
                        String::new()
                    },
                })
                .collect(),
        }
    }

    #[test]
    fn rows_partition_all_lanes_without_gaps() {
        for n in [1usize, 3, 10, 997, 10_000] {
            for rows in [1usize, 2, 7, 300] {
                let rows = rows.min(n);
                let mut next = 0;
                for r in 0..rows {
                    let range = row_lanes(r, rows, n);
                    assert_eq!(range.start, next, "n={n} rows={rows} r={r}");
                    for i in range.clone() {
                        assert_eq!(row_of(i, rows, n), r);
                    }
                    next = range.end;
                }
                assert_eq!(next, n);
            }
        }
    }

    #[test]
    fn grid_shows_each_lane_status_over_time() {
        let lanes = vec![
            lane(1, &[(0, 5, GStatus::Running), (5, 10, GStatus::Done)]),
            lane(2, &[(2, 10, GStatus::Blocked)]),
        ];
        let px = build_grid(&lanes, 10, 10, 2, false);
        assert_eq!(px[0], status_color(GStatus::Running, false));
        assert_eq!(px[7], status_color(GStatus::Done, false));
        assert_eq!(px[10], Color32::TRANSPARENT, "lane 2 not started yet");
        assert_eq!(px[15], status_color(GStatus::Blocked, false));
    }

    #[test]
    fn folded_rows_prefer_running_then_the_most_common_wait() {
        let mut lanes = Vec::new();
        for g in 0..30 {
            lanes.push(lane(g, &[(0, 100, GStatus::Blocked)]));
        }
        for g in 30..40 {
            lanes.push(lane(g, &[(0, 100, GStatus::Sleeping)]));
        }
        lanes.push(lane(40, &[(50, 51, GStatus::Running)]));
        let px = build_grid(&lanes, 100, 100, 1, true);
        assert_eq!(px[10], status_color(GStatus::Blocked, true));
        assert_eq!(px[50], status_color(GStatus::Running, true));
    }

    #[test]
    fn ten_thousand_lanes_fold_into_the_rows_available() {
        let lanes: Vec<Lane> = (0..10_000)
            .map(|g| {
                lane(
                    g,
                    &[
                        (g, g + 1, GStatus::Running),
                        (g + 1, 20_000, GStatus::Blocked),
                    ],
                )
            })
            .collect();
        let px = build_grid(&lanes, 20_000, 800, 200, false);
        assert_eq!(px.len(), 800 * 200);
        // The last row's goroutines start at event ~9950: blocked at the end.
        assert_eq!(px[199 * 800 + 799], status_color(GStatus::Blocked, false));
        assert_eq!(px[199 * 800], Color32::TRANSPARENT);
    }

    #[test]
    fn count_columns_keep_peaks_and_carry_values() {
        let track = [(0, 1), (3, 5), (4, 2), (9, 0)];
        assert_eq!(
            count_columns(&track, 10, 10),
            vec![1, 1, 1, 5, 2, 2, 2, 2, 2, 0]
        );
        // Folding keeps the short peak at event 3 visible.
        assert_eq!(count_columns(&track, 10, 2), vec![5, 2]);
    }

    #[test]
    fn status_lookup_uses_the_span_under_the_playhead() {
        let l = lane(1, &[(2, 5, GStatus::Runnable), (5, 9, GStatus::Blocked)]);
        assert_eq!(status_at(&l, 0), None);
        assert_eq!(status_at(&l, 3).map(|s| s.0), Some(GStatus::Runnable));
        assert_eq!(status_at(&l, 6), Some((GStatus::Blocked, "chan receive")));
        assert_eq!(status_at(&l, 20).map(|s| s.0), Some(GStatus::Blocked));
    }
}
