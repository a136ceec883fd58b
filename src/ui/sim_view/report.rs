//! Program output up to the playhead, and the end-of-run report with
//! "jump to line" buttons.

use egui::{RichText, ScrollArea, Ui};

use super::lanes::status_color;
use super::panels::PanelOut;
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
                    "(the program printed nothing)"
                } else {
                    "(nothing printed yet)"
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
        ui.label(format!("exit code {}", result.exit_code));
        ui.separator();
        ui.label(format!(
            "virtual time {}",
            crate::sim::runtime::fmt::format_duration(r.virtual_time_ns)
        ));
        ui.separator();
        ui.label(format!("peak goroutines {}", r.max_goroutines_alive));
        ui.separator();
        ui.label(format!("{} steps", result.steps));
    });
    let err = ui.visuals().error_fg_color;
    if let Some(e) = &r.compile_error {
        ui.label(
            RichText::new(format!("does not compile: {e}"))
                .color(err)
                .strong(),
        );
    }
    if let Some(d) = &r.deadlock {
        ui.label(RichText::new(format!("deadlock: {d}")).color(err).strong());
    }
    if let Some(p) = &r.panic {
        ui.label(RichText::new(format!("panic: {p}")).color(err).strong());
    }
    if let Some(b) = &r.budget_exceeded {
        ui.label(RichText::new(format!("stopped: {b}")).color(ui.visuals().warn_fg_color));
    }
    if result.trace.truncated {
        ui.label(
            RichText::new("the event log hit its cap: the timeline ends early")
                .color(ui.visuals().warn_fg_color),
        );
    }
    if r.open_files.is_empty() {
        ui.label("Open files at exit: none");
    } else {
        ui.label(
            RichText::new(format!("Open files at exit: {}", r.open_files.len()))
                .color(ui.visuals().warn_fg_color)
                .strong(),
        );
        for f in r.open_files.iter().take(MAX_FILES) {
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("fd {} {}", f.fd, f.name)).monospace());
                if f.opened_line > 0
                    && ui
                        .small_button(format!("opened at line {}", f.opened_line))
                        .clicked()
                {
                    out.jump = Some(f.opened_line);
                }
            });
        }
        if r.open_files.len() > MAX_FILES {
            ui.weak(format!("… and {} more", r.open_files.len() - MAX_FILES));
        }
    }
    if r.leaked == 0 {
        ui.label("Goroutines alive at exit: none");
        return;
    }
    ui.label(
        RichText::new(format!("Leaked goroutines (alive at exit): {}", r.leaked))
            .color(status_color(GStatus::Blocked, dark))
            .strong(),
    );
    let listed = r.goroutines.len();
    let more = r.leaked.saturating_sub(listed);
    let row_h = ui.spacing().interact_size.y + 2.0;
    ScrollArea::vertical()
        .id_salt("strata-sim-report")
        .auto_shrink([false, false])
        .show_rows(ui, row_h, listed + usize::from(more > 0), |ui, rows| {
            for i in rows {
                let Some(g) = r.goroutines.get(i) else {
                    ui.weak(format!("… and {more} more"));
                    continue;
                };
                ui.horizontal(|ui| {
                    if ui
                        .small_button(format!("G{}", g.id))
                        .on_hover_text("Select this goroutine")
                        .clicked()
                    {
                        out.select = Some(g.id);
                    }
                    ui.label(RichText::new(&g.function).monospace());
                    ui.label(format!("[{}]", g.wait_reason));
                    if g.blocked_line > 0
                        && ui
                            .small_button(format!("blocked at line {}", g.blocked_line))
                            .clicked()
                    {
                        out.jump = Some(g.blocked_line);
                        out.select = Some(g.id);
                    }
                    if g.created_line > 0
                        && ui
                            .small_button(format!("created at line {}", g.created_line))
                            .clicked()
                    {
                        out.jump = Some(g.created_line);
                        out.select = Some(g.id);
                    }
                });
            }
        });
}
