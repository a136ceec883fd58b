//! The review panel's filter bar and comment list.

use std::collections::{BTreeSet, HashMap};

use egui::RichText;

use crate::i18n::tr;
use crate::review::{time, Anchor, Comment, ReviewStore, Status};

use super::{Filter, StatusFilter};

/// Longest quote shown in a list entry (characters).
const QUOTE_CHARS: usize = 140;

/// What the user did in the list this frame.
pub enum Act {
    None,
    Jump {
        note: String,
        id: String,
    },
    SetStatus {
        note: String,
        id: String,
        status: Status,
    },
    Reply {
        note: String,
        id: String,
        body: String,
    },
    Delete {
        note: String,
        id: String,
    },
}

pub fn filters(ui: &mut egui::Ui, filter: &mut Filter, store: &ReviewStore, active: Option<&str>) {
    ui.horizontal(|ui| {
        for (f, label) in [
            (StatusFilter::Open, tr("review.filter.open")),
            (StatusFilter::Resolved, tr("review.filter.resolved")),
            (StatusFilter::All, tr("review.filter.all")),
        ] {
            if ui.selectable_label(filter.status == f, label).clicked() {
                filter.status = f;
            }
        }
    });
    let note_text = match (&filter.note, active) {
        (None, _) => tr("review.all_notes").to_owned(),
        (Some(n), _) => stem(n).to_owned(),
    };
    egui::ComboBox::from_label(tr("review.note"))
        .selected_text(note_text)
        .width(150.0)
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(filter.note.is_none(), tr("review.all_notes"))
                .clicked()
            {
                filter.note = None;
            }
            if let Some(a) = active {
                if ui
                    .selectable_label(filter.note.as_deref() == Some(a), tr("review.current_note"))
                    .clicked()
                {
                    filter.note = Some(a.to_owned());
                }
            }
            for n in store.notes() {
                if ui
                    .selectable_label(filter.note.as_deref() == Some(n), n)
                    .clicked()
                {
                    filter.note = Some(n.to_owned());
                }
            }
        });
    let authors: BTreeSet<&str> = store.comments().map(|(_, c)| c.author.as_str()).collect();
    egui::ComboBox::from_label(tr("review.author_filter"))
        .selected_text(filter.author.as_deref().unwrap_or(tr("review.all_authors")))
        .width(150.0)
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(filter.author.is_none(), tr("review.all_authors"))
                .clicked()
            {
                filter.author = None;
            }
            for a in authors {
                if ui
                    .selectable_label(filter.author.as_deref() == Some(a), a)
                    .clicked()
                {
                    filter.author = Some(a.to_owned());
                }
            }
        });
}

fn admits(filter: &Filter, note: &str, c: &Comment) -> bool {
    filter.status.admits(c.status)
        && filter.note.as_deref().is_none_or(|n| n == note)
        && filter.author.as_deref().is_none_or(|a| a == c.author)
}

/// Comments passing `filter`, as (note, comment).
pub fn visible<'s>(store: &'s ReviewStore, filter: &Filter) -> Vec<(&'s str, &'s Comment)> {
    store
        .comments()
        .filter(|(n, c)| admits(filter, n, c))
        .collect()
}

/// The list; `expanded` is the unfolded thread (outlined), `scroll_to` one
/// to bring into view once. Returns what the user did.
pub fn comments(
    ui: &mut egui::Ui,
    store: &ReviewStore,
    filter: &Filter,
    lines: &HashMap<String, Option<usize>>,
    expanded: &mut Option<String>,
    scroll_to: &mut Option<String>,
    reply: &mut String,
) -> Act {
    let mut act = Act::None;
    let shown = visible(store, filter);
    let total = store.comments().count();
    ui.weak(tr!("review.shown", shown = shown.len(), total = total));
    egui::ScrollArea::vertical()
        .id_salt("review-list")
        .auto_shrink(false)
        .show(ui, |ui| {
            if shown.is_empty() {
                ui.weak(if total == 0 {
                    tr("review.empty")
                } else {
                    tr("review.no_match")
                });
            }
            for (note, c) in shown {
                let mut frame = egui::Frame::group(ui.style());
                if expanded.as_deref() == Some(c.id.as_str()) {
                    frame = frame.stroke(ui.visuals().selection.stroke);
                }
                let resp = frame.show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    entry(ui, note, c, lines, expanded, reply, &mut act);
                });
                if scroll_to.as_deref() == Some(c.id.as_str()) {
                    resp.response.scroll_to_me(Some(egui::Align::Min));
                    *scroll_to = None;
                }
                ui.add_space(2.0);
            }
        });
    act
}

fn entry(
    ui: &mut egui::Ui,
    note: &str,
    c: &Comment,
    lines: &HashMap<String, Option<usize>>,
    expanded: &mut Option<String>,
    reply: &mut String,
    act: &mut Act,
) {
    let jump = |act: &mut Act| {
        *act = Act::Jump {
            note: note.to_owned(),
            id: c.id.clone(),
        }
    };
    let place = match lines.get(&c.id).copied().flatten() {
        Some(l) => format!("{}:{l}", stem(note)),
        None => stem(note).to_owned(),
    };
    ui.horizontal_wrapped(|ui| {
        if ui
            .add(egui::Button::new(RichText::new(place).small().strong()).frame(false))
            .on_hover_text(tr!("review.go_to", note = note))
            .clicked()
        {
            jump(act);
        }
        if c.outdated {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                RichText::new(tr("review.outdated")).small(),
            )
            .on_hover_text(tr("review.outdated_hover"));
        }
        if c.status == Status::Resolved {
            ui.weak(RichText::new(tr("review.resolved")).small());
        }
    });
    let quote = match &c.anchor {
        Anchor::Text(t) => {
            let mut q: String = t.quote.split_whitespace().collect::<Vec<_>>().join(" ");
            if q.chars().count() > QUOTE_CHARS {
                q = q.chars().take(QUOTE_CHARS).collect::<String>() + "…";
            }
            format!("“{q}”")
        }
        Anchor::Diagram(_) => c.anchor.describe(),
    };
    if ui
        .add(
            egui::Button::new(RichText::new(quote).italics())
                .frame(false)
                .wrap(),
        )
        .clicked()
    {
        jump(act);
    }
    ui.weak(format!("{} · {}", c.author, time::short(&c.created)));
    ui.label(&c.body);
    let open = expanded.as_deref() == Some(c.id.as_str());
    ui.horizontal(|ui| {
        let label = match (open, c.replies.len()) {
            (true, _) => tr("review.hide_replies").to_owned(),
            (false, 0) => tr("review.reply").to_owned(),
            (false, n) => tr!("review.replies", n = n),
        };
        if ui.small_button(label).clicked() {
            *expanded = if open { None } else { Some(c.id.clone()) };
            reply.clear();
        }
        let (label, status) = match c.status {
            Status::Open => (tr("review.resolve"), Status::Resolved),
            Status::Resolved => (tr("review.reopen"), Status::Open),
        };
        if ui.small_button(label).clicked() {
            *act = Act::SetStatus {
                note: note.to_owned(),
                id: c.id.clone(),
                status,
            };
        }
        if ui.small_button(tr("review.delete")).clicked() {
            *act = Act::Delete {
                note: note.to_owned(),
                id: c.id.clone(),
            };
        }
    });
    if open {
        for r in &c.replies {
            ui.separator();
            ui.weak(format!("{} · {}", r.author, time::short(&r.time)));
            ui.label(&r.body);
        }
        ui.separator();
        let label = ui.label(tr("review.reply_label"));
        ui.add(
            egui::TextEdit::multiline(reply)
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        if ui
            .add_enabled(
                !reply.trim().is_empty(),
                egui::Button::new(tr("review.send_reply")),
            )
            .clicked()
        {
            *act = Act::Reply {
                note: note.to_owned(),
                id: c.id.clone(),
                body: reply.trim_end().to_owned(),
            };
        }
    }
}

fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}
