//! The "new review comment" dialog: what the comment is anchored to, who
//! writes it, and the text.

use std::ops::Range;

use egui::{Key, Modifiers};

use crate::i18n::tr;
use crate::review::{anchor, Anchor, Comment, DiagramAnchor, TextAnchor};

use super::default_author;

/// Longest quote shown in the dialog (characters); the anchor keeps all.
const QUOTE_PREVIEW: usize = 300;

pub struct Compose {
    pub note: String,
    target: Target,
    body: String,
    focus: bool,
    pub error: Option<String>,
}

enum Target {
    Text {
        anchor: TextAnchor,
        line: usize,
    },
    Diagram {
        choices: Vec<Choice>,
        diagram: usize,
        element: usize,
    },
}

/// One diagram block of the note, with the elements a comment can name.
struct Choice {
    label: String,
    elements: Vec<String>,
    headings: Vec<String>,
    problem: Option<String>,
}

pub enum Outcome {
    Keep,
    Cancel,
    Submit(String, Box<Comment>),
}

impl Compose {
    /// A composer for bytes `range` of `text`: a diagram comment when the
    /// range starts inside a diagram block (the selected node id or edge is
    /// preselected), else a text comment on the trimmed selection. With no
    /// selection, a note with diagrams still gets the diagram picker.
    pub fn from_selection(
        note: &str,
        text: &str,
        range: Option<Range<usize>>,
    ) -> Result<Compose, String> {
        let blocks = anchor::diagram_blocks(text);
        let at = range.as_ref().map(|r| r.start);
        let in_block = at.and_then(|a| {
            blocks
                .iter()
                .position(|b| b.range.contains(&a) || (b.range.end == a && a == text.len()))
        });
        let selected = range.clone().and_then(|r| text.get(r)).unwrap_or("").trim();
        let target = match (in_block, range) {
            (Some(i), _) => diagram_target(text, &blocks, i, selected),
            (None, Some(r)) if !selected.is_empty() => {
                let lead = text[r.clone()].len() - text[r.clone()].trim_start().len();
                let start = r.start + lead;
                let range = start..start + selected.len();
                Target::Text {
                    line: line_of(text, start),
                    anchor: anchor::capture(text, range),
                }
            }
            _ if !blocks.is_empty() => diagram_target(text, &blocks, 0, ""),
            _ => return Err(tr("review.select_text").into()),
        };
        Ok(Compose {
            note: note.to_owned(),
            target,
            body: String::new(),
            focus: true,
            error: None,
        })
    }

    /// A diagram comment on `element` (node id or `from->to`) of the
    /// note's `diagram`-th diagram block, as picked on the drawn diagram.
    pub fn for_diagram(
        note: &str,
        text: &str,
        diagram: usize,
        element: &str,
    ) -> Result<Compose, String> {
        let blocks = anchor::diagram_blocks(text);
        if diagram >= blocks.len() {
            return Err(tr("review.diagram_gone").into());
        }
        let mut target = diagram_target(text, &blocks, diagram, "");
        if let Target::Diagram {
            choices,
            element: chosen,
            ..
        } = &mut target
        {
            if let Some(c) = choices.get_mut(diagram) {
                // The drawn chart and the picker read the same source; an
                // element only the drawing knows is still offered.
                let at = c.elements.iter().position(|e| e == element);
                *chosen = at.unwrap_or_else(|| {
                    c.elements.push(element.to_owned());
                    c.elements.len() - 1
                });
            }
        }
        Ok(Compose {
            note: note.to_owned(),
            target,
            body: String::new(),
            focus: true,
            error: None,
        })
    }

    /// The anchor the comment would get, if one is chosen.
    fn anchor(&self) -> Option<Anchor> {
        match &self.target {
            Target::Text { anchor, .. } => Some(Anchor::Text(anchor.clone())),
            Target::Diagram {
                choices,
                diagram,
                element,
            } => {
                let c = choices.get(*diagram)?;
                Some(Anchor::Diagram(DiagramAnchor {
                    diagram: *diagram,
                    element: c.elements.get(*element)?.clone(),
                    headings: c.headings.clone(),
                }))
            }
        }
    }

    pub fn show(
        &mut self,
        ctx: &egui::Context,
        author: &mut String,
        changed: &mut bool,
    ) -> Outcome {
        let mut outcome = Outcome::Keep;
        egui::Modal::new(egui::Id::unique("strata-review-compose")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading(tr("review.new_title"));
            ui.weak(tr!("review.on_note", note = self.note));
            ui.add_space(4.0);
            self.target_ui(ui);
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                let label = ui.label(tr("review.author"));
                if author.is_empty() {
                    *author = default_author();
                    *changed = true;
                }
                let r = ui
                    .add(egui::TextEdit::singleline(author).desired_width(200.0))
                    .labelled_by(label.id);
                *changed |= r.changed();
            });
            let label = ui.label(tr("review.comment"));
            let r = ui
                .add(
                    egui::TextEdit::multiline(&mut self.body)
                        .desired_rows(4)
                        .desired_width(f32::INFINITY)
                        .hint_text(tr("review.comment_hint")),
                )
                .labelled_by(label.id);
            if std::mem::take(&mut self.focus) {
                r.request_focus();
            }
            if let Some(e) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            let anchor = self.anchor();
            let ready =
                anchor.is_some() && !self.body.trim().is_empty() && !author.trim().is_empty();
            let submit_key = ui.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::Enter));
            ui.horizontal(|ui| {
                let add = ui
                    .add_enabled(ready, egui::Button::new(tr("review.add")))
                    .on_hover_text("Ctrl+Enter");
                if (add.clicked() || (submit_key && ready)) && anchor.is_some() {
                    if let Some(anchor) = anchor.clone() {
                        let c = Comment::new(author.trim(), self.body.trim_end(), anchor);
                        outcome = Outcome::Submit(self.note.clone(), Box::new(c));
                    }
                }
                if ui.button(tr("common.cancel")).clicked()
                    || ui.input(|i| i.key_pressed(Key::Escape))
                {
                    outcome = Outcome::Cancel;
                }
            });
        });
        outcome
    }

    fn target_ui(&mut self, ui: &mut egui::Ui) {
        match &mut self.target {
            Target::Text { anchor, line } => {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    let mut quote: String = anchor.quote.chars().take(QUOTE_PREVIEW).collect();
                    if quote.len() < anchor.quote.len() {
                        quote.push('…');
                    }
                    ui.label(egui::RichText::new(quote).italics());
                    let mut place = tr!("review.line", line = line);
                    if !anchor.headings.is_empty() {
                        place.push_str(&format!(" · {}", anchor.headings.join(" › ")));
                    }
                    ui.weak(place);
                });
            }
            Target::Diagram {
                choices,
                diagram,
                element,
            } => {
                let current = choices.get(*diagram).map_or("", |c| c.label.as_str());
                egui::ComboBox::from_label(tr("review.diagram"))
                    .selected_text(current)
                    .show_ui(ui, |ui| {
                        for (i, c) in choices.iter().enumerate() {
                            if ui.selectable_label(*diagram == i, &c.label).clicked() {
                                *diagram = i;
                                *element = 0;
                            }
                        }
                    });
                if let Some(c) = choices.get(*diagram) {
                    if let Some(p) = &c.problem {
                        ui.colored_label(ui.visuals().warn_fg_color, p);
                    }
                    let current = c.elements.get(*element).map_or("", String::as_str);
                    egui::ComboBox::from_label(tr("review.element"))
                        .selected_text(current)
                        .show_ui(ui, |ui| {
                            for (i, e) in c.elements.iter().enumerate() {
                                if ui.selectable_label(*element == i, e).clicked() {
                                    *element = i;
                                }
                            }
                        });
                }
            }
        }
    }
}

fn diagram_target(
    text: &str,
    blocks: &[anchor::DiagramBlock],
    index: usize,
    selected: &str,
) -> Target {
    let choices: Vec<Choice> = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let src = &text[b.source.clone()];
            let (elements, problem) = elements_of(src, b.dot);
            Choice {
                label: tr!(
                    "review.block",
                    kind = if b.dot {
                        tr("review.dot_graph")
                    } else {
                        tr("review.flowchart")
                    },
                    n = i + 1,
                    line = line_of(text, b.range.start)
                ),
                elements,
                headings: anchor::heading_path(text, b.range.start),
                problem,
            }
        })
        .collect();
    let element = choices
        .get(index)
        .and_then(|c| pick(&c.elements, selected))
        .unwrap_or(0);
    Target::Diagram {
        choices,
        diagram: index,
        element,
    }
}

/// The element a selection names: a node id exactly, or an edge whose two
/// ends appear in it in order (`A --> B`, `A -->|yes| B`).
fn pick(elements: &[String], selected: &str) -> Option<usize> {
    if selected.is_empty() {
        return None;
    }
    if let Some(i) = elements.iter().position(|e| e == selected) {
        return Some(i);
    }
    elements.iter().position(|e| {
        e.split_once("->").is_some_and(|(a, b)| {
            let words: Vec<&str> = selected
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .collect();
            words.first() == Some(&a) && words.iter().skip(1).any(|w| *w == b)
        })
    })
}

/// Node ids then edges of one diagram. Mermaid goes through our parser; a
/// chart that does not parse yet offers nothing and says why.
fn elements_of(source: &str, dot: bool) -> (Vec<String>, Option<String>) {
    if dot {
        let e = anchor::dot_elements(source);
        let problem = e.is_empty().then(|| tr("review.no_nodes").to_owned());
        return (e, problem);
    }
    match crate::diagram::parse::parse(source) {
        Ok((chart, _)) => {
            let mut out: Vec<String> = chart.nodes.iter().map(|n| n.id.clone()).collect();
            for e in &chart.edges {
                let name = format!("{}->{}", e.from, e.to);
                if !out.contains(&name) {
                    out.push(name);
                }
            }
            (out, None)
        }
        Err(e) => (
            Vec::new(),
            Some(tr!("review.no_parse", error = e.render(source))),
        ),
    }
}

fn line_of(text: &str, at: usize) -> usize {
    super::line_of(text, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE: &str =
        "# N\n\nSome words here.\n\n```mermaid\nflowchart LR\n  A --> B\n  B -->|yes| C\n```\n";

    #[test]
    fn a_text_selection_becomes_a_trimmed_text_anchor() {
        let at = NOTE.find(" words").unwrap();
        let c = Compose::from_selection("n.md", NOTE, Some(at..at + 12)).unwrap();
        match c.anchor() {
            Some(Anchor::Text(t)) => {
                assert_eq!(t.quote, "words here.");
                assert_eq!(t.headings, vec!["N"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_selection_in_a_diagram_picks_the_node_or_edge() {
        let at = NOTE.find("B -->|yes| C").unwrap();
        let c = Compose::from_selection("n.md", NOTE, Some(at..at + 12)).unwrap();
        match c.anchor() {
            Some(Anchor::Diagram(d)) => assert_eq!((d.diagram, d.element.as_str()), (0, "B->C")),
            other => panic!("{other:?}"),
        }
        let a = NOTE.find("A -->").unwrap();
        let c = Compose::from_selection("n.md", NOTE, Some(a..a + 1)).unwrap();
        assert!(matches!(c.anchor(), Some(Anchor::Diagram(d)) if d.element == "A"));
    }

    #[test]
    fn a_diagram_element_picked_on_the_drawing_is_preselected() {
        let c = Compose::for_diagram("n.md", NOTE, 0, "B->C").unwrap();
        match c.anchor() {
            Some(Anchor::Diagram(d)) => {
                assert_eq!((d.diagram, d.element.as_str()), (0, "B->C"));
                assert_eq!(d.headings, vec!["N"]);
            }
            other => panic!("{other:?}"),
        }
        let c = Compose::for_diagram("n.md", NOTE, 0, "C").unwrap();
        assert!(matches!(c.anchor(), Some(Anchor::Diagram(d)) if d.element == "C"));
        assert!(Compose::for_diagram("n.md", NOTE, 1, "A").is_err());
    }

    #[test]
    fn nothing_selected_without_diagrams_is_an_error() {
        assert!(Compose::from_selection("n.md", "# plain\n", Some(3..3)).is_err());
        let c = Compose::from_selection("n.md", NOTE, None).unwrap();
        assert!(matches!(c.anchor(), Some(Anchor::Diagram(_))));
    }
}
