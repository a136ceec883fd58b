//! The Markdown source editor: colored monospace text with a line-number
//! gutter, find/replace bar and `[[` link completion.

use std::ops::Range;
use std::sync::Arc;

use egui::text::{CCursor, CCursorRange, LayoutJob};
use egui::{Align, Color32, FontId, Galley, Key, Modifiers, TextBuffer, TextStyle};

use super::find;
use super::md_style;
use super::tab::Tab;
use crate::i18n::tr;
use crate::vault::save::content_hash;

/// One `[[` completion candidate.
#[derive(Clone, Debug, PartialEq)]
pub struct Completion {
    /// Shown in the popup.
    pub label: String,
    /// Inserted after `[[` (without the closing `]]`).
    pub insert: String,
}

#[derive(Default)]
pub struct FindBar {
    pub open: bool,
    pub show_replace: bool,
    pub query: String,
    pub replacement: String,
    pub match_case: bool,
    /// Byte ranges of matches for (buffer version, query, case).
    hits: Vec<Range<usize>>,
    hits_key: Option<(u64, String, bool)>,
    pub current: Option<usize>,
    focus_query: bool,
}

struct Autocomplete {
    /// Byte offset right after the `[[`.
    start: usize,
    query: String,
    items: Vec<Completion>,
    selected: usize,
}

#[derive(Default)]
pub struct EditorState {
    /// Bumped on every buffer change; keys caches that are not text-hashed.
    pub version: u64,
    layout_cache: Option<(u64, bool, Arc<LayoutJob>)>,
    pub find: FindBar,
    autocomplete: Option<Autocomplete>,
    /// Cursor (char range) to apply before the next frame's TextEdit.
    pending_cursor: Option<Range<usize>>,
    scroll_to_cursor: bool,
    last_cursor: Option<usize>,
    focus_editor: bool,
    /// (version, lines) so the gutter width is not recounted every frame.
    line_count: Option<(u64, usize)>,
    /// Review-comment markers for the gutter: (1-based line, colour), sorted.
    pub review_marks: Vec<(usize, Color32)>,
    /// Set by the context menu's "Add review comment" entry.
    pub review_request: bool,
}

impl EditorState {
    pub fn invalidate(&mut self) {
        self.version += 1;
        self.autocomplete = None;
    }

    /// Select byte range `range` of `text` and scroll it into view.
    pub fn select_bytes(&mut self, text: &str, range: Range<usize>) {
        let a = find::byte_to_char(text, range.start);
        let b = find::byte_to_char(text, range.end);
        self.pending_cursor = Some(a..b);
        self.scroll_to_cursor = true;
    }

    /// Put the cursor at the start of 1-based `line` and scroll there.
    pub fn go_to_line(&mut self, text: &str, line: usize) {
        let at = find::line_start(text, line);
        self.select_bytes(text, at..at);
        self.focus_editor = true;
    }

    pub fn open_find(&mut self, replace: bool) {
        self.find.open = true;
        self.find.show_replace = replace;
        self.find.focus_query = true;
    }
}

pub fn text_edit_id(path: &str) -> egui::Id {
    egui::Id::unique(("strata-editor", path))
}

/// Draws the editor for `tab`. Returns true when the buffer changed.
pub fn show(
    ui: &mut egui::Ui,
    tab: &mut Tab,
    dark: bool,
    complete: &dyn Fn(&str) -> Vec<Completion>,
) -> bool {
    let now = ui.input(|i| i.time);
    let mut changed = false;
    if tab.editor.find.open {
        changed |= find_bar(ui, tab, now);
    }
    let id = text_edit_id(&tab.path);
    if let Some(range) = tab.editor.pending_cursor.take() {
        let mut state = egui::TextEdit::load_state(ui.ctx(), id).unwrap_or_default();
        state.cursor.set_char_range(Some(CCursorRange::two(
            CCursor::new(range.start),
            CCursor::new(range.end),
        )));
        egui::TextEdit::store_state(ui.ctx(), id, state);
    }
    if std::mem::take(&mut tab.editor.focus_editor) {
        ui.memory_mut(|m| m.request_focus(id));
    }
    let has_focus = ui.memory(|m| m.has_focus(id));
    let mut accept: Option<usize> = None;
    if let (Some(ac), true) = (&mut tab.editor.autocomplete, has_focus) {
        let (down, up, enter, tab_key, esc) = ui.input_mut(|i| {
            (
                i.consume_key(Modifiers::NONE, Key::ArrowDown),
                i.consume_key(Modifiers::NONE, Key::ArrowUp),
                i.consume_key(Modifiers::NONE, Key::Enter),
                i.consume_key(Modifiers::NONE, Key::Tab),
                i.consume_key(Modifiers::NONE, Key::Escape),
            )
        });
        let n = ac.items.len().max(1);
        if down {
            ac.selected = (ac.selected + 1) % n;
        }
        if up {
            ac.selected = (ac.selected + n - 1) % n;
        }
        if (enter || tab_key) && !ac.items.is_empty() {
            accept = Some(ac.selected);
        }
        if esc {
            tab.editor.autocomplete = None;
        }
    }
    if let Some(i) = accept {
        changed |= accept_completion(tab, i, now);
    }

    let font = TextStyle::Monospace.resolve(ui.style());
    let lines = match tab.editor.line_count {
        Some((v, n)) if v == tab.editor.version => n,
        _ => {
            let n = tab.buffer.bytes().filter(|&b| b == b'\n').count() + 1;
            tab.editor.line_count = Some((tab.editor.version, n));
            n
        }
    };
    let digits = lines.to_string().len().max(2) as f32;
    let char_w = ui.fonts_mut(|f| f.glyph_width(&font, '0'));
    let gutter = digits * char_w + 14.0;
    let read_only = !tab.writable();

    let mut cache = tab.editor.layout_cache.take();
    let mut layouter = |ui: &egui::Ui, buf: &dyn TextBuffer, wrap_width: f32| -> Arc<Galley> {
        let text = buf.as_str();
        let hash = content_hash(text.as_bytes());
        let job = match &cache {
            Some((h, d, job)) if *h == hash && *d == dark => Arc::clone(job),
            _ => {
                let job = Arc::new(md_style::layout_job(text, font_for(ui), dark));
                cache = Some((hash, dark, Arc::clone(&job)));
                job
            }
        };
        let mut job = (*job).clone();
        job.wrap.max_width = wrap_width;
        ui.fonts_mut(|f| f.layout_job(job))
    };

    let scroll = egui::ScrollArea::vertical()
        .id_salt(("editor-scroll", &tab.path))
        .auto_shrink(false)
        .show(ui, |ui| {
            let rows = ((ui.available_height() / ui.text_style_height(&TextStyle::Monospace))
                as usize)
                .max(4);
            let margin = egui::Margin {
                left: gutter as i8,
                right: 4,
                top: 4,
                bottom: 4,
            };
            let mut ro_text: &str = &tab.buffer;
            let edit = if read_only {
                egui::TextEdit::multiline(&mut ro_text)
            } else {
                egui::TextEdit::multiline(&mut tab.buffer)
            };
            let output = edit
                .id(id)
                .hint_text(tr("editor.hint"))
                .code_editor()
                .desired_width(f32::INFINITY)
                .desired_rows(rows)
                .margin(margin)
                .layouter(&mut layouter)
                .show(ui);
            let output_rect = output.response.rect;
            paint_gutter(
                ui,
                &output.galley,
                output.galley_pos,
                output_rect,
                &font,
                dark,
                &tab.editor.review_marks,
            );
            output.response.context_menu(|ui| {
                if ui.button(tr("editor.add_comment")).clicked() {
                    tab.editor.review_request = true;
                    ui.close();
                }
            });
            let cursor = output.cursor_range.map(|r| r.primary.index.0);
            if tab.editor.scroll_to_cursor {
                tab.editor.scroll_to_cursor = false;
                if let Some(c) = cursor {
                    let r = output.galley.pos_from_cursor(CCursor::new(c));
                    let r = r.translate(output.galley_pos.to_vec2()).expand(8.0);
                    ui.scroll_to_rect(r, Some(Align::Center));
                }
            }
            let popup_at = cursor.map(|c| {
                let r = output.galley.pos_from_cursor(CCursor::new(c));
                output.galley_pos + r.left_bottom().to_vec2()
            });
            (output.response.changed() && !read_only, cursor, popup_at)
        });
    tab.editor.layout_cache = cache;
    let (text_changed, cursor, popup_at) = scroll.inner;
    if text_changed {
        tab.edited(now);
        changed = true;
    }
    if text_changed || cursor != tab.editor.last_cursor {
        tab.editor.last_cursor = cursor;
        update_autocomplete(tab, cursor, complete);
    }
    if let (Some(pos), true) = (popup_at, tab.editor.autocomplete.is_some()) {
        if let Some(i) = autocomplete_popup(ui, tab, pos) {
            changed |= accept_completion(tab, i, now);
            ui.memory_mut(|m| m.request_focus(id));
        }
    }
    changed
}

fn font_for(ui: &egui::Ui) -> FontId {
    TextStyle::Monospace.resolve(ui.style())
}

fn paint_gutter(
    ui: &egui::Ui,
    galley: &Galley,
    galley_pos: egui::Pos2,
    rect: egui::Rect,
    font: &FontId,
    dark: bool,
    review_marks: &[(usize, Color32)],
) {
    let clip = ui.clip_rect();
    let painter = ui.painter();
    let color = if dark {
        Color32::from_gray(110)
    } else {
        Color32::from_gray(150)
    };
    let right = rect.left() + 14.0 + 0.0_f32.max(galley_pos.x - rect.left() - 14.0);
    let mut line = 1;
    let mut at_line_start = true;
    for row in &galley.rows {
        let top = galley_pos.y + row.pos.y;
        if at_line_start && top + row.rect().height() >= clip.top() && top <= clip.bottom() {
            painter.text(
                egui::pos2(right - 6.0, top),
                egui::Align2::RIGHT_TOP,
                line.to_string(),
                font.clone(),
                color,
            );
            if let Ok(i) = review_marks.binary_search_by_key(&line, |m| m.0) {
                let bar = egui::Rect::from_min_size(
                    egui::pos2(rect.left() + 1.0, top + 1.0),
                    egui::vec2(3.0, (row.rect().height() - 2.0).max(2.0)),
                );
                painter.rect_filled(bar, 1.0, review_marks[i].1);
            }
        }
        if top > clip.bottom() {
            break;
        }
        at_line_start = row.ends_with_newline;
        if row.ends_with_newline {
            line += 1;
        }
    }
}

/// Opens, refreshes or closes the `[[` popup for the cursor position.
fn update_autocomplete(
    tab: &mut Tab,
    cursor: Option<usize>,
    complete: &dyn Fn(&str) -> Vec<Completion>,
) {
    let Some(c) = cursor.filter(|_| tab.writable()) else {
        tab.editor.autocomplete = None;
        return;
    };
    let at = find::char_to_byte(&tab.buffer, c);
    let line_start = tab.buffer[..at].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &tab.buffer[line_start..at];
    let open = prefix.rfind("[[").filter(|&p| {
        let q = &prefix[p + 2..];
        !q.contains("]]") && !q.contains('|')
    });
    match open {
        Some(p) => {
            let query = prefix[p + 2..].to_owned();
            let start = line_start + p + 2;
            let same = tab
                .editor
                .autocomplete
                .as_ref()
                .is_some_and(|ac| ac.query == query && ac.start == start);
            if !same {
                let items = complete(&query);
                tab.editor.autocomplete = Some(Autocomplete {
                    start,
                    query,
                    items,
                    selected: 0,
                });
            }
        }
        None => tab.editor.autocomplete = None,
    }
}

fn accept_completion(tab: &mut Tab, index: usize, now: f64) -> bool {
    let Some(ac) = tab.editor.autocomplete.take() else {
        return false;
    };
    let Some(item) = ac.items.get(index) else {
        return false;
    };
    let end = ac.start + ac.query.len();
    if end > tab.buffer.len()
        || !tab.buffer.is_char_boundary(ac.start)
        || !tab.buffer.is_char_boundary(end)
    {
        return false;
    }
    let closes = tab.buffer[end..].starts_with("]]");
    let mut insert = item.insert.clone();
    // A heading completion keeps the popup useful: `[[Note#` then pick a heading.
    let keep_open = insert.ends_with('#');
    if !closes && !keep_open {
        insert.push_str("]]");
    }
    tab.buffer.replace_range(ac.start..end, &insert);
    let caret = ac.start + insert.len();
    tab.edited(now);
    let text = tab.buffer.clone();
    tab.editor.select_bytes(&text, caret..caret);
    tab.editor.scroll_to_cursor = false;
    true
}

fn autocomplete_popup(ui: &egui::Ui, tab: &mut Tab, pos: egui::Pos2) -> Option<usize> {
    let ac = tab.editor.autocomplete.as_ref()?;
    let mut clicked = None;
    egui::Area::new(egui::Id::unique(("strata-autocomplete", &tab.path)))
        .order(egui::Order::Foreground)
        .fixed_pos(pos)
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_max_width(360.0);
                if ac.items.is_empty() {
                    ui.weak(tr("editor.no_match"));
                }
                for (i, item) in ac.items.iter().enumerate() {
                    if ui.selectable_label(i == ac.selected, &item.label).clicked() {
                        clicked = Some(i);
                    }
                }
            });
        });
    clicked
}

fn refresh_hits(tab: &mut Tab) {
    let key = (
        tab.editor.version,
        tab.editor.find.query.clone(),
        tab.editor.find.match_case,
    );
    if tab.editor.find.hits_key.as_ref() != Some(&key) {
        tab.editor.find.hits = find::find_all(&tab.buffer, &key.1, key.2);
        tab.editor.find.hits_key = Some(key);
        tab.editor.find.current = None;
    }
}

fn goto_hit(tab: &mut Tab, forward: bool) {
    refresh_hits(tab);
    let from = tab
        .editor
        .last_cursor
        .map_or(0, |c| find::char_to_byte(&tab.buffer, c));
    let from = match (tab.editor.find.current, forward) {
        (Some(i), true) => tab.editor.find.hits.get(i).map_or(from, |r| r.end),
        (Some(i), false) => tab.editor.find.hits.get(i).map_or(from, |r| r.start),
        (None, _) => from,
    };
    if let Some(i) = find::next_index(&tab.editor.find.hits, from, forward) {
        tab.editor.find.current = Some(i);
        let r = tab.editor.find.hits[i].clone();
        let text = std::mem::take(&mut tab.buffer);
        tab.editor.select_bytes(&text, r);
        tab.buffer = text;
    }
}

/// The find/replace bar. Returns true if it changed the buffer.
fn find_bar(ui: &mut egui::Ui, tab: &mut Tab, now: f64) -> bool {
    let mut changed = false;
    let writable = tab.writable();
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(tr("editor.find"));
        let resp = ui.add(
            egui::TextEdit::singleline(&mut tab.editor.find.query)
                .desired_width(150.0)
                .id_salt("find-query"),
        );
        let resp = resp.labelled_by(label.id);
        if std::mem::take(&mut tab.editor.find.focus_query) {
            resp.request_focus();
        }
        let enter = resp.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        let shift = ui.input(|i| i.modifiers.shift);
        if ui.button(tr("editor.previous")).clicked() || (enter && shift) {
            goto_hit(tab, false);
        }
        if ui.button(tr("editor.next")).clicked() || (enter && !shift) {
            goto_hit(tab, true);
            if enter {
                resp.request_focus();
            }
        }
        ui.checkbox(&mut tab.editor.find.match_case, tr("editor.match_case"));
        refresh_hits(tab);
        let n = tab.editor.find.hits.len();
        match tab.editor.find.current {
            Some(i) if n > 0 => ui.label(tr!("editor.position", i = i + 1, n = n)),
            _ => ui.label(tr!("editor.matches", n = n)),
        };
        if !tab.editor.find.show_replace
            && writable
            && ui.button(tr("editor.open_replace")).clicked()
        {
            tab.editor.find.show_replace = true;
        }
        if ui.button(tr("editor.close_find")).clicked()
            || ui.input(|i| i.key_pressed(Key::Escape)) && resp.has_focus()
        {
            tab.editor.find.open = false;
        }
    });
    if tab.editor.find.show_replace && writable {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(tr("editor.replace_with"));
            ui.add(
                egui::TextEdit::singleline(&mut tab.editor.find.replacement)
                    .desired_width(150.0)
                    .id_salt("find-replacement"),
            )
            .labelled_by(label.id);
            if ui.button(tr("editor.replace")).clicked() {
                refresh_hits(tab);
                if tab.editor.find.current.is_none() {
                    goto_hit(tab, true);
                }
                if let Some(r) = tab
                    .editor
                    .find
                    .current
                    .and_then(|i| tab.editor.find.hits.get(i).cloned())
                {
                    let with = tab.editor.find.replacement.clone();
                    tab.buffer.replace_range(r.clone(), &with);
                    tab.edited(now);
                    changed = true;
                    let caret = r.start + with.len();
                    refresh_hits(tab);
                    if let Some(i) = find::next_index(&tab.editor.find.hits, caret, true) {
                        tab.editor.find.current = Some(i);
                        let next = tab.editor.find.hits[i].clone();
                        let text = std::mem::take(&mut tab.buffer);
                        tab.editor.select_bytes(&text, next);
                        tab.buffer = text;
                    }
                }
            }
            if ui.button(tr("editor.replace_all")).clicked() {
                let (text, n) = find::replace_all(
                    &tab.buffer,
                    &tab.editor.find.query,
                    &tab.editor.find.replacement,
                    tab.editor.find.match_case,
                );
                if n > 0 {
                    tab.buffer = text;
                    tab.edited(now);
                    changed = true;
                }
            }
        });
    }
    changed
}
