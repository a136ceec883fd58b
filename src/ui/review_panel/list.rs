//! The review panel's filter bar and comment list.

use std::collections::{BTreeSet, HashMap};

use egui::RichText;

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
            (StatusFilter::Open, "Open"),
            (StatusFilter::Resolved, "Resolved"),
            (StatusFilter::All, "All"),
        ] {
            if ui.selectable_label(filter.status == f, label).clicked() {
                filter.status = f;
            }
        }
    });
    let note_text = match (&filter.note, active) {
        (None, _) => "All notes".to_owned(),
        (Some(n), _) => stem(n).to_owned(),
    };
    egui::ComboBox::from_label("Note")
        .selected_text(note_text)
        .width(150.0)
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(filter.note.is_none(), "All notes")
                .clicked()
            {
                filter.note = None;
            }
            if let Some(a) = active {
                if ui
                    .selectable_label(filter.note.as_deref() == Some(a), "Current note")
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
    egui::ComboBox::from_label("Author")
        .selected_text(filter.author.as_deref().unwrap_or("All authors"))
        .width(150.0)
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(filter.author.is_none(), "All authors")
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

pub fn comments(
    ui: &mut egui::Ui,
    store: &ReviewStore,
    filter: &Filter,
    lines: &HashMap<String, Option<usize>>,
    expanded: &mut Option<String>,
    reply: &mut String,
    act: &mut Act,
) {
    let shown = visible(store, filter);
    let total = store.comments().count();
    ui.weak(format!("{} of {total} comments", shown.len()));
    egui::ScrollArea::vertical()
        .id_salt("review-list")
        .auto_shrink(false)
        .show(ui, |ui| {
            if shown.is_empty() {
                ui.weak(if total == 0 {
                    "No review comments yet. Select text in a note and press Comment on selection."
                } else {
                    "No comment matches the filters."
                });
            }
            for (note, c) in shown {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    entry(ui, note, c, lines, expanded, reply, act);
                });
                ui.add_space(2.0);
            }
        });
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
            .on_hover_text(format!("Go to the comment in {note}"))
            .clicked()
        {
            jump(act);
        }
        if c.outdated {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                RichText::new("outdated").small(),
            )
            .on_hover_text("The anchored text or diagram element is no longer in the note");
        }
        if c.status == Status::Resolved {
            ui.weak(RichText::new("resolved").small());
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
            (true, _) => "Hide replies".to_owned(),
            (false, 0) => "Reply".to_owned(),
            (false, n) => format!("Replies ({n})"),
        };
        if ui.small_button(label).clicked() {
            *expanded = if open { None } else { Some(c.id.clone()) };
            reply.clear();
        }
        let (label, status) = match c.status {
            Status::Open => ("Resolve", Status::Resolved),
            Status::Resolved => ("Reopen", Status::Open),
        };
        if ui.small_button(label).clicked() {
            *act = Act::SetStatus {
                note: note.to_owned(),
                id: c.id.clone(),
                status,
            };
        }
        if ui.small_button("Delete").clicked() {
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
        let label = ui.label("Reply:");
        ui.add(
            egui::TextEdit::multiline(reply)
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        if ui
            .add_enabled(!reply.trim().is_empty(), egui::Button::new("Send reply"))
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
