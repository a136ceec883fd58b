//! The document model of [`crate::markdown`] -> HTML. Every user string is
//! escaped here; raw HTML in notes is shown as text, never passed through.

use super::recording::{self, Outcome};
use super::util::{self, esc};
use super::{draw_diagram, DiagramProblem};
use crate::markdown::{self, Align, Block, BlockKind, Inline, LinkTarget, ListItem, Style};
use crate::vault::{Resolution, Vault};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// How deep `![[Note]]` embeds nest before the export stops inlining.
pub const MAX_EMBED_DEPTH: usize = 3;

/// An inline-ready SVG, or (line from the fence, column, message).
type DrawResult = Result<String, (usize, usize, String)>;

/// State shared by every page of one export.
pub struct SiteCtx<'v> {
    pub vault: &'v Vault,
    /// Single-file mode: images become data URIs, note links lose their href.
    pub single: bool,
    pub diagrams: usize,
    pub problems: Vec<DiagramProblem>,
    /// Vault paths of local files to copy next to the pages.
    pub files: BTreeMap<String, ()>,
    /// Per-page counter for unique SVG id prefixes.
    pub svg_seq: usize,
    /// Recorded runs on the current page (ids `sim-1`, `sim-2`, ...); the
    /// page loads the player only when this is non-zero.
    pub sim_seq: usize,
    /// Recorded runs on all pages (for the summary).
    pub recordings: usize,
    /// (note, line, message) of Go programs the simulator rejected.
    pub sim_rejected: Vec<(String, usize, String)>,
    /// Diagram SVGs by (kind, source), so a block embedded on many pages is
    /// laid out once.
    svg_cache: HashMap<(bool, String), DrawResult>,
    /// Problems are reported once per (note, line) even if embedded often.
    reported: std::collections::HashSet<(String, usize)>,
}

impl<'v> SiteCtx<'v> {
    pub fn new(vault: &'v Vault, single: bool) -> Self {
        SiteCtx {
            vault,
            single,
            diagrams: 0,
            problems: Vec::new(),
            files: BTreeMap::new(),
            svg_seq: 0,
            sim_seq: 0,
            recordings: 0,
            sim_rejected: Vec::new(),
            svg_cache: HashMap::new(),
            reported: Default::default(),
        }
    }
}

/// Renders the blocks of one note (or one embedded note) into HTML.
pub struct Renderer<'a, 'v> {
    pub ctx: &'a mut SiteCtx<'v>,
    /// Site path of the HTML file being written (decides relative hrefs).
    pub page: String,
    /// Vault path of the note whose text is rendered (decides link resolution).
    pub note: String,
    /// Notes being embedded, outermost first, for cycle detection.
    pub stack: Vec<String>,
    /// Headings get ids only on the top-level note, so embeds cannot
    /// duplicate the host page's anchors.
    pub ids: bool,
    footnotes: Vec<String>,
    footnote_defs: HashMap<String, Vec<Block>>,
    out: String,
}

impl<'a, 'v> Renderer<'a, 'v> {
    pub fn new(ctx: &'a mut SiteCtx<'v>, page: &str, note: &str) -> Self {
        Renderer {
            ctx,
            page: page.to_string(),
            note: note.to_string(),
            stack: vec![note.to_string()],
            ids: true,
            footnotes: Vec::new(),
            footnote_defs: HashMap::new(),
            out: String::new(),
        }
    }

    /// HTML for `blocks`, with a footnote section at the end if any.
    pub fn render(mut self, blocks: &[Block]) -> String {
        markdown::walk_blocks(blocks, &mut |b| {
            if let BlockKind::FootnoteDef { label, blocks } = &b.kind {
                self.footnote_defs
                    .entry(label.clone())
                    .or_insert_with(|| blocks.clone());
            }
        });
        self.blocks(blocks);
        self.footnote_section();
        self.out
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for b in blocks {
            self.block(b);
        }
    }

    fn block(&mut self, b: &Block) {
        match &b.kind {
            BlockKind::Heading {
                level,
                inlines,
                anchor,
            } => {
                let level = (*level).clamp(1, 6);
                if self.ids {
                    let _ = write!(self.out, "<h{level} id=\"{}\">", esc(anchor));
                } else {
                    let _ = write!(self.out, "<h{level}>");
                }
                self.inlines(inlines);
                let _ = writeln!(self.out, "</h{level}>");
            }
            BlockKind::Paragraph(inlines) => self.paragraph(inlines),
            BlockKind::Code { lang, code } => self.code(lang, code, b.line),
            BlockKind::Diagram { kind, source } => {
                self.diagram(*kind, source, b.line);
            }
            BlockKind::Quote(inner) => {
                self.out.push_str("<blockquote>\n");
                self.blocks(inner);
                self.out.push_str("</blockquote>\n");
            }
            BlockKind::List { start, items } => self.list(*start, items),
            BlockKind::Table {
                align,
                header,
                rows,
            } => self.table(align, header, rows),
            BlockKind::Rule => self.out.push_str("<hr>\n"),
            // Rendered together at the end, in order of first reference.
            BlockKind::FootnoteDef { .. } => {}
            BlockKind::Html(html) => {
                if !html.trim().is_empty() {
                    let _ = writeln!(
                        self.out,
                        "<pre class=\"raw-html\" title=\"HTML from the note, shown as text\">{}</pre>",
                        esc(html.trim_end())
                    );
                }
            }
        }
    }

    /// A paragraph holding `![[Note]]` embeds is split around them, because
    /// a block-level embed cannot live inside `<p>`.
    fn paragraph(&mut self, inlines: &[Inline]) {
        let mut run: Vec<&Inline> = Vec::new();
        for i in inlines {
            if let Inline::Image {
                target: LinkTarget::Wiki { note, heading },
                ..
            } = i
            {
                if let Some(path) = self.resolve_note(note) {
                    self.flush_paragraph(&run);
                    run.clear();
                    self.embed(&path, heading.as_deref());
                    continue;
                }
            }
            run.push(i);
        }
        self.flush_paragraph(&run);
    }

    fn flush_paragraph(&mut self, run: &[&Inline]) {
        let blank = run.iter().all(|i| match i {
            Inline::SoftBreak | Inline::HardBreak => true,
            Inline::Text { text, .. } => text.trim().is_empty(),
            _ => false,
        });
        if blank {
            return;
        }
        self.out.push_str("<p>");
        for i in run {
            self.inline(i);
        }
        self.out.push_str("</p>\n");
    }

    fn code(&mut self, lang: &str, code: &str, line: usize) {
        let lang_class = lang
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '+')
            .collect::<String>();
        let label = if lang.is_empty() {
            String::new()
        } else {
            format!("<span class=\"code-lang\">{}</span>", esc(lang))
        };
        let outcome = recording::is_program(lang, code).then(|| recording::record_cached(code));
        let recorded = match outcome.as_deref() {
            Some(Outcome::Recorded(rec)) => {
                self.ctx.sim_seq += 1;
                Some((format!("sim-{}", self.ctx.sim_seq), rec))
            }
            _ => None,
        };
        let id_attr = recorded
            .as_ref()
            .map(|(id, _)| format!(" id=\"{id}-code\""))
            .unwrap_or_default();
        let _ = writeln!(
            self.out,
            "<div class=\"code\"{id_attr}>{label}<pre class=\"hl-code\"><code class=\"language-{lang_class}\">{}</code></pre></div>",
            crate::highlight::html::to_html_classed(code, lang)
        );
        if let Some((id, rec)) = recorded {
            self.out.push_str(&recording::player_html(&id, rec));
            if self.stack.len() == 1 {
                self.ctx.recordings += 1;
            }
        }
        if let Some(Outcome::Rejected(d)) = outcome.as_deref() {
            // The program starts on the line after the opening fence.
            let note_line = line + d.line;
            let _ = writeln!(
                self.out,
                "<div class=\"sim-none\">Not recorded: the simulator cannot run this program ({}:{}:{}: {})</div>",
                esc(&self.note),
                note_line,
                d.col,
                esc(&d.message)
            );
            if self.stack.len() == 1 {
                self.ctx
                    .sim_rejected
                    .push((self.note.clone(), note_line, d.message.clone()));
            }
        }
    }

    fn diagram(&mut self, kind: markdown::DiagramKind, source: &str, line: usize) {
        let mermaid = kind == markdown::DiagramKind::Mermaid;
        let key = (mermaid, source.to_string());
        let result = match self.ctx.svg_cache.get(&key) {
            Some(r) => r.clone(),
            None => {
                let r = draw_diagram(kind, source, &self.note, 0)
                    .map(|svg| util::svg_element(&svg).to_string())
                    .map_err(|p| (p.line, p.col, p.message));
                self.ctx.svg_cache.insert(key, r.clone());
                r
            }
        };
        match result {
            Ok(svg) => {
                self.ctx.svg_seq += 1;
                let prefix = format!("d{}", self.ctx.svg_seq);
                let svg = self.rewrite_svg_links(&util::prefix_svg_ids(&svg, &prefix));
                let _ = writeln!(self.out, "<figure class=\"diagram\">{svg}</figure>");
                if self.stack.len() == 1 {
                    self.ctx.diagrams += 1;
                }
            }
            Err((rel_line, col, message)) => {
                // `rel_line` counts from the fence (drawn with fence line 0).
                let note_line = line + rel_line;
                let what = if mermaid { "Mermaid" } else { "DOT" };
                let _ = writeln!(
                    self.out,
                    "<div class=\"diagram-error\" role=\"alert\"><div class=\"diagram-error-title\">{what} diagram error at {}:{}:{}</div><pre class=\"diagram-error-message\">{}</pre><pre class=\"diagram-source\">{}</pre></div>",
                    esc(&self.note),
                    note_line,
                    col,
                    esc(&message),
                    esc(source.trim_end())
                );
                if self.ctx.reported.insert((self.note.clone(), note_line)) {
                    self.ctx.problems.push(DiagramProblem {
                        note: self.note.clone(),
                        line: note_line,
                        col,
                        message,
                    });
                }
            }
        }
    }

    /// Mermaid `click` links are written for the note (`other.md`); on the
    /// site they must point at pages, like every other link of the note.
    fn rewrite_svg_links(&mut self, svg: &str) -> String {
        const ATTR: &str = "xlink:href=\"";
        let mut out = String::with_capacity(svg.len());
        let mut rest = svg;
        while let Some(i) = rest.find(ATTR) {
            let after = &rest[i + ATTR.len()..];
            let Some(end) = after.find('"') else { break };
            let raw = after[..end]
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            out.push_str(&rest[..i]);
            let href = if util::is_safe_url(&raw) || raw.starts_with('#') {
                Some(raw)
            } else {
                let decoded = percent_encoding::percent_decode_str(&raw)
                    .decode_utf8()
                    .map(|c| c.into_owned())
                    .unwrap_or(raw);
                self.relative_link(&decoded).0
            };
            match href {
                Some(h) => {
                    let _ = write!(out, "{ATTR}{}\"", esc(&h));
                }
                // An anchor without href is inert, like a broken link in text.
                None => out.push_str("data-broken=\"\""),
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }

    fn list(&mut self, start: Option<u64>, items: &[ListItem]) {
        let tasks = items.iter().any(|i| i.task.is_some());
        let class = if tasks { " class=\"tasks\"" } else { "" };
        match start {
            Some(1) => {
                let _ = writeln!(self.out, "<ol{class}>");
            }
            Some(n) => {
                let _ = writeln!(self.out, "<ol{class} start=\"{n}\">");
            }
            None => {
                let _ = writeln!(self.out, "<ul{class}>");
            }
        }
        for item in items {
            match item.task {
                Some(done) => {
                    let checked = if done { " checked" } else { "" };
                    let _ = write!(
                        self.out,
                        "<li class=\"task{}\"><input type=\"checkbox\" disabled{checked}> ",
                        if done { " done" } else { "" }
                    );
                }
                None => self.out.push_str("<li>"),
            }
            // Tight items hold one paragraph; dropping its `<p>` keeps the
            // list compact the way Markdown renderers usually show it.
            match item.blocks.as_slice() {
                [Block {
                    kind: BlockKind::Paragraph(inlines),
                    ..
                }] if !has_note_embed(inlines) => {
                    self.inlines(inlines);
                }
                blocks => self.blocks(blocks),
            }
            self.out.push_str("</li>\n");
        }
        self.out.push_str(if start.is_some() {
            "</ol>\n"
        } else {
            "</ul>\n"
        });
    }

    fn table(&mut self, align: &[Align], header: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) {
        let class = |i: usize| match align.get(i) {
            Some(Align::Left) => " class=\"left\"",
            Some(Align::Center) => " class=\"center\"",
            Some(Align::Right) => " class=\"right\"",
            _ => "",
        };
        self.out
            .push_str("<div class=\"table-wrap\"><table>\n<thead><tr>");
        for (i, cell) in header.iter().enumerate() {
            let _ = write!(self.out, "<th{}>", class(i));
            self.inlines(cell);
            self.out.push_str("</th>");
        }
        self.out.push_str("</tr></thead>\n<tbody>\n");
        for row in rows {
            self.out.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                let _ = write!(self.out, "<td{}>", class(i));
                self.inlines(cell);
                self.out.push_str("</td>");
            }
            self.out.push_str("</tr>\n");
        }
        self.out.push_str("</tbody></table></div>\n");
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for i in inlines {
            self.inline(i);
        }
    }

    fn inline(&mut self, i: &Inline) {
        match i {
            Inline::Text { text, style } => self.styled(text, *style),
            Inline::Code(c) => {
                let _ = write!(self.out, "<code>{}</code>", esc(c));
            }
            Inline::Link { target, inlines } => self.link(target, inlines),
            Inline::Image { target, alt } => self.image(target, alt),
            Inline::FootnoteRef(label) => {
                let n = match self.footnotes.iter().position(|l| l == label) {
                    Some(i) => i + 1,
                    None => {
                        self.footnotes.push(label.clone());
                        self.footnotes.len()
                    }
                };
                if self.ids {
                    let _ = write!(
                        self.out,
                        "<sup class=\"fnref\"><a href=\"#fn-{n}\" id=\"fnref-{n}\">{n}</a></sup>"
                    );
                } else {
                    let _ = write!(self.out, "<sup class=\"fnref\">{n}</sup>");
                }
            }
            Inline::SoftBreak => self.out.push('\n'),
            Inline::HardBreak => self.out.push_str("<br>\n"),
            Inline::Tag(t) => {
                let _ = write!(self.out, "<span class=\"tag\">#{}</span>", esc(t));
            }
        }
    }

    fn styled(&mut self, text: &str, style: Style) {
        if style.bold {
            self.out.push_str("<strong>");
        }
        if style.italic {
            self.out.push_str("<em>");
        }
        if style.strike {
            self.out.push_str("<del>");
        }
        self.out.push_str(&esc(text));
        if style.strike {
            self.out.push_str("</del>");
        }
        if style.italic {
            self.out.push_str("</em>");
        }
        if style.bold {
            self.out.push_str("</strong>");
        }
    }

    fn resolve_note(&self, name: &str) -> Option<String> {
        if name.trim().is_empty() {
            return None;
        }
        match self.ctx.vault.resolve(&self.note, name) {
            Resolution::Note(p) => Some(p),
            Resolution::Ambiguous(_) | Resolution::Missing => None,
        }
    }

    /// `heading` (as written in a link) -> the anchor the target page uses,
    /// if the note has such a heading.
    fn anchor_in(&self, note: &str, heading: &str) -> Option<String> {
        let wanted = heading.trim();
        let slug = markdown::slug(wanted);
        let n = self.ctx.vault.note(note)?;
        n.headings
            .iter()
            .find(|h| {
                h.text.trim().eq_ignore_ascii_case(wanted)
                    || h.anchor == wanted
                    || markdown::slug(&h.text) == slug
            })
            .map(|h| markdown::slug(&h.text))
    }

    fn note_href(&self, path: &str, heading: Option<&str>) -> Option<String> {
        let frag = heading
            .filter(|h| !h.trim().is_empty())
            .and_then(|h| self.anchor_in(path, h))
            .map(|a| format!("#{}", util::encode_fragment(&a)))
            .unwrap_or_default();
        if self.ctx.single {
            // Only the exported note exists in single-file mode.
            return if path == self.stack[0] && !frag.is_empty() {
                Some(frag)
            } else {
                None
            };
        }
        let target = util::page_of(path);
        let href = if target == self.page && !frag.is_empty() {
            frag
        } else {
            format!("{}{frag}", util::rel_href(&self.page, &target))
        };
        Some(href)
    }

    fn link(&mut self, target: &LinkTarget, inlines: &[Inline]) {
        let (href, class, title) = match target {
            LinkTarget::Url(u) if util::is_safe_url(u) => {
                (Some(u.trim().to_string()), "external", String::new())
            }
            LinkTarget::Url(_) => (
                None,
                "blocked",
                "link removed: only http, https and mailto links are exported".to_string(),
            ),
            LinkTarget::Anchor(a) => (
                Some(format!("#{}", util::encode_fragment(&markdown::slug(a)))),
                "internal",
                String::new(),
            ),
            LinkTarget::Wiki { note, heading } if note.trim().is_empty() => (
                heading
                    .as_deref()
                    .map(|h| format!("#{}", util::encode_fragment(&markdown::slug(h)))),
                "internal",
                String::new(),
            ),
            LinkTarget::Wiki { note, heading } => match self.resolve_note(note) {
                Some(p) => match self.note_href(&p, heading.as_deref()) {
                    Some(h) => (Some(h), "internal", String::new()),
                    None => (None, "offsite", format!("note “{note}”, not in this file")),
                },
                None => (None, "broken", format!("no note named “{note}”")),
            },
            LinkTarget::Relative(r) => self.relative_link(r),
        };
        match href {
            Some(h) => {
                let rel = if class == "external" {
                    " rel=\"noopener noreferrer\""
                } else {
                    ""
                };
                let _ = write!(self.out, "<a class=\"{class}\" href=\"{}\"{rel}>", esc(&h));
                self.inlines(inlines);
                self.out.push_str("</a>");
            }
            None => {
                let _ = write!(self.out, "<a class=\"{class}\" title=\"{}\">", esc(&title));
                self.inlines(inlines);
                self.out.push_str("</a>");
            }
        }
    }

    /// `[text](other.md#x)` or `[text](file.pdf)`, relative to the note.
    fn relative_link(&mut self, r: &str) -> (Option<String>, &'static str, String) {
        let (path, frag) = match r.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (r, None),
        };
        let joined = util::join_normalize(util::parent(&self.note), path);
        let is_md = path.to_ascii_lowercase().ends_with(".md");
        if is_md || util::mime_of(path).is_none() && !path.contains('.') {
            let found = joined
                .as_deref()
                .filter(|j| self.ctx.vault.note(j).is_some())
                .map(str::to_string)
                .or_else(|| self.resolve_note(path));
            return match found {
                Some(p) => match self.note_href(&p, frag) {
                    Some(h) => (Some(h), "internal", String::new()),
                    None => (None, "offsite", format!("note {path}, not in this file")),
                },
                None => (None, "broken", format!("no note at {path}")),
            };
        }
        if is_active_content(path) {
            // A copied page or script would run with the site's file:// origin.
            return (
                None,
                "blocked",
                format!("{path}: web pages and scripts are not exported"),
            );
        }
        match joined.filter(|j| self.local_file(j).is_some()) {
            Some(j) if !self.ctx.single => {
                self.ctx.files.insert(j.clone(), ());
                let frag = frag
                    .map(|f| format!("#{}", util::encode_fragment(f)))
                    .unwrap_or_default();
                (
                    Some(format!("{}{frag}", util::rel_href(&self.page, &j))),
                    "file",
                    String::new(),
                )
            }
            Some(_) => (None, "offsite", format!("file {path}, not in this file")),
            None => (None, "broken", format!("no file at {path}")),
        }
    }

    /// The file system path of a vault file, if it exists and stays inside
    /// the vault after following symlinks.
    fn local_file(&self, vault_path: &str) -> Option<std::path::PathBuf> {
        let root = self.ctx.vault.root();
        let p = util::out_path(root, vault_path);
        let canon = std::fs::canonicalize(&p).ok()?;
        let canon_root = std::fs::canonicalize(root).ok()?;
        (canon.starts_with(&canon_root) && canon.is_file()).then_some(canon)
    }

    fn image(&mut self, target: &LinkTarget, alt: &str) {
        let vault_path = match target {
            LinkTarget::Relative(r) => {
                let path = r.split_once('#').map_or(r.as_str(), |(p, _)| p);
                util::join_normalize(util::parent(&self.note), path)
            }
            LinkTarget::Wiki { note, .. } => {
                // `![[pic.png]]` names a file anywhere, like Obsidian does;
                // nearby first, then the vault root.
                util::join_normalize(util::parent(&self.note), note)
                    .filter(|p| self.local_file(p).is_some())
                    .or_else(|| util::join_normalize("", note))
            }
            LinkTarget::Url(u) => {
                // Remote images would need the network: link them instead.
                if util::is_safe_url(u) {
                    let _ = write!(
                        self.out,
                        "<a class=\"external remote-image\" href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
                        esc(u.trim()),
                        esc(if alt.is_empty() { "image" } else { alt })
                    );
                } else {
                    let _ = write!(self.out, "<a class=\"blocked\">{}</a>", esc(alt));
                }
                return;
            }
            LinkTarget::Anchor(_) => None,
        };
        let found = vault_path.and_then(|p| self.local_file(&p).map(|abs| (p, abs)));
        let Some((vp, abs)) = found else {
            let _ = write!(
                self.out,
                "<span class=\"broken-image\" title=\"image not found\">{}</span>",
                esc(if alt.is_empty() { "missing image" } else { alt })
            );
            return;
        };
        let src = if self.ctx.single {
            match (util::mime_of(&vp), std::fs::read(&abs)) {
                (Some(mime), Ok(bytes)) => format!("data:{mime};base64,{}", util::base64(&bytes)),
                _ => {
                    let _ = write!(self.out, "<span class=\"broken-image\">{}</span>", esc(alt));
                    return;
                }
            }
        } else {
            self.ctx.files.insert(vp.clone(), ());
            util::rel_href(&self.page, &vp)
        };
        let _ = write!(
            self.out,
            "<img src=\"{}\" alt=\"{}\" loading=\"lazy\">",
            esc(&src),
            esc(alt)
        );
    }

    fn embed(&mut self, path: &str, heading: Option<&str>) {
        let title = self
            .ctx
            .vault
            .note(path)
            .map(|n| n.title.clone().unwrap_or_else(|| n.name.clone()))
            .unwrap_or_else(|| path.to_string());
        let href = self.note_href(path, heading);
        let head = match &href {
            Some(h) => format!(
                "<a class=\"internal\" href=\"{}\">{}</a>",
                esc(h),
                esc(&title)
            ),
            None => esc(&title),
        };
        let cyclic = self.stack.iter().any(|p| p == path);
        if cyclic || self.stack.len() > MAX_EMBED_DEPTH {
            let why = if cyclic {
                "embeds itself"
            } else {
                "embedded too deeply"
            };
            let _ = writeln!(
                self.out,
                "<div class=\"embed embed-cut\"><div class=\"embed-title\">{head} <span class=\"muted\">({why}; not inlined)</span></div></div>"
            );
            return;
        }
        let Some(text) = self.ctx.vault.text(path) else {
            return;
        };
        let doc = markdown::parse(text);
        let blocks = match heading {
            Some(h) if !h.trim().is_empty() => self
                .anchor_in(path, h)
                .map(|a| markdown::section(&doc.blocks, &a).to_vec())
                .unwrap_or_default(),
            _ => doc.blocks.clone(),
        };
        let mut stack = self.stack.clone();
        stack.push(path.to_string());
        let page = self.page.clone();
        let inner = {
            let mut sub = Renderer::new(self.ctx, &page, path);
            sub.stack = stack;
            sub.ids = false;
            sub.render(&blocks)
        };
        let _ = writeln!(
            self.out,
            "<div class=\"embed\"><div class=\"embed-title\">{head}</div>\n{inner}</div>"
        );
    }

    fn footnote_section(&mut self) {
        if self.footnotes.is_empty() {
            return;
        }
        self.out
            .push_str("<section class=\"footnotes\"><hr>\n<ol>\n");
        let labels = self.footnotes.clone();
        for (i, label) in labels.iter().enumerate() {
            let n = i + 1;
            if self.ids {
                let _ = write!(self.out, "<li id=\"fn-{n}\">");
            } else {
                self.out.push_str("<li>");
            }
            match self.footnote_defs.get(label).cloned() {
                Some(blocks) => self.blocks(&blocks),
                None => {
                    let _ = write!(
                        self.out,
                        "<span class=\"broken\">missing footnote [^{}]</span>",
                        esc(label)
                    );
                }
            }
            if self.ids {
                let _ = write!(
                    self.out,
                    " <a class=\"fnback\" href=\"#fnref-{n}\" aria-label=\"back to text\">↩</a>"
                );
            }
            self.out.push_str("</li>\n");
        }
        self.out.push_str("</ol></section>\n");
    }
}

fn is_active_content(path: &str) -> bool {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    matches!(
        ext.as_str(),
        "html" | "htm" | "xhtml" | "xht" | "shtml" | "svg" | "svgz" | "js" | "mjs" | "xml" | "xsl"
    )
}

fn has_note_embed(inlines: &[Inline]) -> bool {
    inlines.iter().any(|i| {
        matches!(
            i,
            Inline::Image {
                target: LinkTarget::Wiki { .. },
                ..
            }
        )
    })
}
