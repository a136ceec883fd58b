//! Inline Markdown -> one egui `LayoutJob` per text run, plus the character
//! ranges of its links so the painted galley can be made clickable.

use std::ops::Range;

use egui::text::{LayoutJob, TextFormat};
use egui::{Align, Color32, FontFamily, FontId, Galley, Rect, Stroke};

use crate::i18n::tr;
use crate::markdown::{Inline, LinkTarget};

use super::resolve::ResolvedLink;

/// Colours and sizes a text run is built with; derived from the egui style
/// once per frame so the preview follows the app's theme.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TextTheme {
    pub size: f32,
    pub text: Color32,
    pub strong: Color32,
    pub weak: Color32,
    pub link: Color32,
    pub code_bg: Color32,
    pub tag_bg: Color32,
    pub tag_fg: Color32,
}

/// Base format of a run: headings pass a bigger size and the strong colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct RunStyle {
    pub size: f32,
    pub color: Color32,
    pub strong: bool,
}

/// A clickable stretch of a laid-out run.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct LinkSpan {
    /// Character (not byte) range in the job's text, as galleys count.
    pub chars: Range<usize>,
    /// Accessible name: the link's visible text.
    pub label: String,
    pub link: ResolvedLink,
}

/// Every link-like target in `inlines`, in the order `build_job` consumes them.
pub(super) enum LinkRef<'a> {
    Target(&'a LinkTarget),
    Footnote(&'a str),
}

pub(super) fn collect_links<'a>(inlines: &'a [Inline], out: &mut Vec<LinkRef<'a>>) {
    for i in inlines {
        match i {
            Inline::Link { target, .. } => out.push(LinkRef::Target(target)),
            Inline::FootnoteRef(label) => out.push(LinkRef::Footnote(label)),
            Inline::Image { target, .. } => out.push(LinkRef::Target(target)),
            _ => {}
        }
    }
}

struct Builder<'a> {
    job: LayoutJob,
    chars: usize,
    links: Vec<LinkSpan>,
    theme: &'a TextTheme,
    resolved: &'a [ResolvedLink],
    next_link: usize,
    footnote_number: &'a dyn Fn(&str) -> Option<usize>,
}

impl Builder<'_> {
    fn push(&mut self, text: &str, format: TextFormat) {
        if text.is_empty() {
            return;
        }
        self.job.append(text, 0.0, format);
        self.chars += text.chars().count();
    }

    fn next_resolved(&mut self) -> Option<ResolvedLink> {
        let r = self.resolved.get(self.next_link).cloned();
        self.next_link += 1;
        r
    }

    fn text_format(&self, base: RunStyle, bold: bool, italic: bool, strike: bool) -> TextFormat {
        let color = if bold || base.strong {
            self.theme.strong
        } else {
            base.color
        };
        let mut f = TextFormat::simple(FontId::new(base.size, FontFamily::Proportional), color);
        f.italics = italic;
        if strike {
            f.strikethrough = Stroke::new(1.0, color);
        }
        f
    }

    /// `link` recolours everything inside a link and suppresses nested links.
    fn inlines(&mut self, inlines: &[Inline], base: RunStyle, link: Option<&ResolvedLink>) {
        for inline in inlines {
            match inline {
                Inline::Text { text, style } => {
                    let mut f = self.text_format(base, style.bold, style.italic, style.strike);
                    if let Some(l) = link {
                        f.color = self.link_color(l);
                    }
                    self.push(text, f);
                }
                Inline::Code(code) => {
                    let mut f = TextFormat::simple(
                        FontId::new(base.size * 0.92, FontFamily::Monospace),
                        link.map_or(base.color, |l| self.link_color(l)),
                    );
                    f.background = self.theme.code_bg;
                    self.push(code, f);
                }
                Inline::SoftBreak => self.push(" ", self.text_format(base, false, false, false)),
                Inline::HardBreak => self.push("\n", self.text_format(base, false, false, false)),
                Inline::Tag(tag) => {
                    let mut f = TextFormat::simple(
                        FontId::new(base.size * 0.9, FontFamily::Proportional),
                        self.theme.tag_fg,
                    );
                    f.background = self.theme.tag_bg;
                    f.expand_bg = 2.0;
                    f.valign = Align::Center;
                    self.push(&format!("#{tag}"), f);
                }
                Inline::Link { inlines, .. } => {
                    let resolved = self.next_resolved();
                    match (resolved, link) {
                        (Some(r), None) => {
                            let start = self.chars;
                            let label = crate::markdown::plain_text(inlines);
                            self.inlines(inlines, base, Some(&r));
                            let end = self.chars;
                            if end > start {
                                self.links.push(LinkSpan {
                                    chars: start..end,
                                    label,
                                    link: r,
                                });
                            }
                        }
                        // Nested links are invalid Markdown; the outer one wins.
                        _ => self.inlines(inlines, base, link),
                    }
                }
                Inline::Image { alt, .. } => {
                    // Images reaching a text run are nested in links; their
                    // alt text stands in so the link keeps a visible label.
                    let _ = self.next_resolved();
                    let mut f = self.text_format(base, false, true, false);
                    if let Some(l) = link {
                        f.color = self.link_color(l);
                    }
                    self.push(alt, f);
                }
                Inline::FootnoteRef(label) => {
                    let resolved = self.next_resolved();
                    let n = (self.footnote_number)(label);
                    let text = n.map_or_else(|| format!("[{label}]"), |n| n.to_string());
                    let mut f = TextFormat::simple(
                        FontId::new(base.size * 0.7, FontFamily::Proportional),
                        self.theme.link,
                    );
                    f.valign = Align::TOP;
                    let start = self.chars;
                    self.push(&text, f);
                    if let (Some(r), None) = (resolved, link) {
                        self.links.push(LinkSpan {
                            chars: start..self.chars,
                            label: tr!("preview.footnote", n = text),
                            link: r,
                        });
                    }
                }
            }
        }
    }

    fn link_color(&self, l: &ResolvedLink) -> Color32 {
        if l.exists {
            self.theme.link
        } else {
            self.theme.weak
        }
    }
}

/// Lay out `inlines` as one job. `resolved` must hold one entry per
/// `collect_links` item, in the same order.
pub(super) fn build_job(
    inlines: &[Inline],
    base: RunStyle,
    theme: &TextTheme,
    resolved: &[ResolvedLink],
    footnote_number: &dyn Fn(&str) -> Option<usize>,
    wrap_width: f32,
) -> (LayoutJob, Vec<LinkSpan>) {
    let mut b = Builder {
        job: LayoutJob::default(),
        chars: 0,
        links: Vec::new(),
        theme,
        resolved,
        next_link: 0,
        footnote_number,
    };
    b.inlines(inlines, base, None);
    let mut job = b.job;
    job.wrap.max_width = wrap_width;
    (job, b.links)
}

/// Rectangles (galley-relative) covering a character range, one per row it
/// spans, so a link that wraps onto the next line is clickable on both.
pub(super) fn char_range_rects(galley: &Galley, range: Range<usize>) -> Vec<Rect> {
    let mut out = Vec::new();
    let mut row_start = 0;
    for row in &galley.rows {
        let count = row.row.glyphs.len();
        let a = range.start.max(row_start);
        let b = range.end.min(row_start + count);
        if a < b {
            let x0 = row.pos.x
                + row
                    .row
                    .x_offset(egui::epaint::text::CharIndex(a - row_start));
            let x1 = row.pos.x
                + row
                    .row
                    .x_offset(egui::epaint::text::CharIndex(b - row_start));
            out.push(Rect::from_x_y_ranges(x0..=x1, row.min_y()..=row.max_y()));
        }
        row_start += row.char_count_including_newline().0;
        if row_start >= range.end {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{self, BlockKind};
    use crate::ui::preview::resolve::LinkAction;
    use crate::ui::preview::PreviewAction;

    fn theme() -> TextTheme {
        TextTheme {
            size: 14.0,
            text: Color32::GRAY,
            strong: Color32::WHITE,
            weak: Color32::DARK_GRAY,
            link: Color32::LIGHT_BLUE,
            code_bg: Color32::BLACK,
            tag_bg: Color32::BLUE,
            tag_fg: Color32::YELLOW,
        }
    }

    fn base() -> RunStyle {
        RunStyle {
            size: 14.0,
            color: Color32::GRAY,
            strong: false,
        }
    }

    fn inlines(md: &str) -> Vec<Inline> {
        match markdown::parse(md)
            .blocks
            .into_iter()
            .next()
            .map(|b| b.kind)
        {
            Some(BlockKind::Paragraph(i)) => i,
            other => panic!("expected a paragraph, got {other:?}"),
        }
    }

    fn link(n: usize, exists: bool) -> ResolvedLink {
        ResolvedLink {
            action: LinkAction::Emit(PreviewAction::CreateNote(format!("n{n}"))),
            exists,
            hover: None,
        }
    }

    #[test]
    fn links_get_char_ranges_even_after_cjk_text() {
        let ins = inlines("通道 **bold** [[Target|別名]] and [x](https://e.x) end");
        let mut refs = Vec::new();
        collect_links(&ins, &mut refs);
        assert_eq!(refs.len(), 2);
        let resolved = [link(0, true), link(1, false)];
        let (job, links) = build_job(&ins, base(), &theme(), &resolved, &|_| None, 300.0);
        assert_eq!(job.text, "通道 bold 別名 and x end");
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].chars, 8..10);
        assert_eq!(links[0].label, "別名");
        assert_eq!(links[1].chars, 15..16);
        assert!(!links[1].link.exists);
        // The missing link is drawn dimmed, the resolved one in link colour.
        let color_at = |byte: usize| {
            job.format_at_byte(egui::epaint::text::ByteIndex(byte))
                .color
        };
        let alias = job.text.find("別名").expect("alias in text");
        assert_eq!(color_at(alias), Color32::LIGHT_BLUE);
        let x = job.text.find(" x ").expect("x in text") + 1;
        assert_eq!(color_at(x), Color32::DARK_GRAY);
        assert_eq!(job.wrap.max_width, 300.0);
    }

    #[test]
    fn styles_tags_code_and_breaks() {
        let ins = inlines("a *it* ~~s~~ `c` #go\nnext  \nhard");
        let (job, links) = build_job(&ins, base(), &theme(), &[], &|_| None, 100.0);
        assert_eq!(job.text, "a it s c #go next\nhard");
        assert!(links.is_empty());
        let fmt = |needle: &str| {
            let i = job.text.find(needle).expect("needle present");
            job.format_at_byte(egui::epaint::text::ByteIndex(i)).clone()
        };
        assert!(fmt("it").italics);
        assert_ne!(fmt("s c").strikethrough, Stroke::NONE);
        assert_eq!(fmt("c #").font_id.family, FontFamily::Monospace);
        assert_eq!(fmt("#go").background, Color32::BLUE);
    }

    #[test]
    fn footnote_refs_are_numbered_links() {
        let ins = inlines("See this[^a].\n\n[^a]: Def.");
        let fref = ResolvedLink {
            action: LinkAction::Footnote("a".into()),
            exists: true,
            hover: None,
        };
        let (job, links) = build_job(
            &ins,
            base(),
            &theme(),
            &[fref],
            &|l| (l == "a").then_some(3),
            100.0,
        );
        assert_eq!(job.text, "See this3.");
        assert_eq!(links[0].chars, 8..9);
        assert_eq!(links[0].label, "Footnote 3");
    }

    #[test]
    fn link_rects_follow_wrapped_rows() {
        let ctx = egui::Context::default();
        let ins = inlines("word word word word [[a link that wraps onto the next row]] tail");
        let (job, links) = build_job(&ins, base(), &theme(), &[link(0, true)], &|_| None, 160.0);
        let mut galley = None;
        let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
            galley = Some(ui.ctx().fonts_mut(|f| f.layout_job(job.clone())));
        });
        // No renderer here to take the font atlas upload.
        out.textures_delta.clear();
        let galley = galley.expect("laid out");
        assert!(galley.rows.len() >= 2, "text should wrap at 160 px");
        let rects = char_range_rects(&galley, links[0].chars.clone());
        assert!(rects.len() >= 2, "link spans rows: {rects:?}");
        for pair in rects.windows(2) {
            assert!(pair[1].top() >= pair[0].bottom() - 0.5, "rows go down");
        }
        for r in &rects {
            assert!(r.width() > 0.0 && r.right() <= 160.5, "{r:?}");
        }
        assert!(char_range_rects(&galley, 0..0).is_empty());
    }
}
