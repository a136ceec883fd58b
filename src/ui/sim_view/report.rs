//! Program output up to the playhead, and the end-of-run report with
//! "jump to line" buttons.

use egui::{RichText, ScrollArea, Ui};

use super::lanes::status_color;
use super::panels::PanelOut;
use crate::i18n::tr;
use crate::sim::timeline::GStatus;
use crate::sim::{Report, SimResult};

/// Open files listed before the rest are summarised.
const MAX_FILES: usize = 20;

pub(super) fn output(ui: &mut Ui, stdout: &str, stderr: &str, finished: bool) {
    ScrollArea::vertical()
        .id_salt("strata-sim-output")
        .auto_shrink([false, false])
        .stick_to_bottom(true)
        .show(ui, |ui| {
            if stdout.is_empty() && stderr.is_empty() {
                ui.weak(if finished {
                    tr("sim.out.nothing")
                } else {
                    tr("sim.out.nothing_yet")
                });
            }
            if !stdout.is_empty() {
                ui.add(egui::Label::new(RichText::new(stdout).monospace()).selectable(true));
            }
            if !stderr.is_empty() {
                ui.add(
                    egui::Label::new(
                        RichText::new(stderr)
                            .monospace()
                            .color(ui.visuals().error_fg_color),
                    )
                    .selectable(true),
                );
            }
        });
}

/// The final report. Buttons jump to source lines or select goroutines.
/// Only the leaked goroutines on screen are laid out: a leak report can
/// list thousands, and building them all every frame would stall playback.
pub(super) fn report(ui: &mut Ui, result: &SimResult, out: &mut PanelOut) {
    let dark = ui.visuals().dark_mode;
    let r: &Report = &result.report;
    ui.horizontal_wrapped(|ui| {
        ui.label(tr!("sim.rep.exit_code", code = result.exit_code));
        ui.separator();
        ui.label(tr!(
            "sim.rep.virtual_time",
            time = crate::sim::runtime::fmt::format_duration(r.virtual_time_ns)
        ));
        ui.separator();
        ui.label(tr!("sim.rep.peak", n = r.max_goroutines_alive));
        ui.separator();
        ui.label(tr!("sim.rep.steps", n = result.steps));
    });
    let err = ui.visuals().error_fg_color;
    if let Some(e) = &r.compile_error {
        ui.label(
            RichText::new(tr!("sim.compile_error", error = e))
                .color(err)
                .strong(),
        );
    }
    if let Some(d) = &r.deadlock {
        ui.label(
            RichText::new(tr!("sim.rep.deadlock", message = d))
                .color(err)
                .strong(),
        );
    }
    if let Some(p) = &r.panic {
        ui.label(
            RichText::new(tr!("sim.rep.panic", message = p))
                .color(err)
                .strong(),
        );
    }
    if let Some(b) = &r.budget_exceeded {
        ui.label(
            RichText::new(tr!("sim.rep.stopped", message = b)).color(ui.visuals().warn_fg_color),
        );
    }
    if result.trace.truncated {
        ui.label(RichText::new(tr("sim.rep.log_cap")).color(ui.visuals().warn_fg_color));
    }
    if r.open_files.is_empty() {
        ui.label(tr("sim.rep.files_none"));
    } else {
        ui.label(
            RichText::new(tr!("sim.rep.files", n = r.open_files.len()))
                .color(ui.visuals().warn_fg_color)
                .strong(),
        );
        for f in r.open_files.iter().take(MAX_FILES) {
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("fd {} {}", f.fd, f.name)).monospace());
                if f.opened_line > 0
                    && ui
                        .small_button(tr!("sim.rep.opened_at", line = f.opened_line))
                        .clicked()
                {
                    out.jump = Some(f.opened_line);
                }
            });
        }
        if r.open_files.len() > MAX_FILES {
            ui.weak(tr!("sim.more", n = r.open_files.len() - MAX_FILES));
        }
    }
    if r.leaked == 0 {
        ui.label(tr("sim.rep.alive_none"));
        return;
    }
    // Only a goroutine parked on something is a leak; one that was runnable
    // or sleeping when main returned was still working and died with it.
    let unfinished = r.leaked - r.blocked.min(r.leaked);
    if r.blocked > 0 {
        ui.label(
            RichText::new(tr!("sim.rep.leaked_blocked", n = r.blocked))
                .color(status_color(GStatus::Blocked, dark))
                .strong(),
        );
    }
    if unfinished > 0 {
        ui.label(
            RichText::new(tr!("sim.rep.still_running", n = unfinished))
                .color(status_color(GStatus::Runnable, dark)),
        )
        .on_hover_text(tr("sim.rep.still_running_hover"));
    }
    let listed = r.goroutines.len();
    let more = r.leaked.saturating_sub(listed);
    let row_h = ui.spacing().interact_size.y + 2.0;
    ScrollArea::vertical()
        .id_salt("strata-sim-report")
        .auto_shrink([false, false])
        .show_rows(ui, row_h, listed + usize::from(more > 0), |ui, rows| {
            for i in rows {
                let Some(g) = r.goroutines.get(i) else {
                    ui.weak(tr!("sim.more", n = more));
                    continue;
                };
                ui.horizontal(|ui| {
                    if ui
                        .small_button(format!("G{}", g.id))
                        .on_hover_text(tr("sim.select_goroutine"))
                        .clicked()
                    {
                        out.select = Some(g.id);
                    }
                    ui.label(RichText::new(&g.function).monospace());
                    ui.label(format!("[{}]", g.wait_reason));
                    let at = if g.is_blocked() {
                        tr!("sim.rep.blocked_at", line = g.blocked_line)
                    } else {
                        tr!("sim.at_line", line = g.blocked_line)
                    };
                    if g.blocked_line > 0 && ui.small_button(at).clicked() {
                        out.jump = Some(g.blocked_line);
                        out.select = Some(g.id);
                    }
                    if g.created_line > 0
                        && ui
                            .small_button(tr!("sim.created_at", line = g.created_line))
                            .clicked()
                    {
                        out.jump = Some(g.created_line);
                        out.select = Some(g.id);
                    }
                });
            }
        });
}
