//! Markdown text -> a document model of blocks and inlines with source ranges.
//!
//! The preview (egui), the HTML export and `strata check` all walk this model,
//! so the Markdown dialect is decided in exactly one place: CommonMark plus
//! tables, task lists, strikethrough, footnotes, Obsidian wiki links and
//! `#tags`, with ```mermaid / ```dot fences lifted out as diagram blocks.

use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use std::collections::HashMap;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// Byte range of a leading `---` YAML block, if any (not rendered as text).
    pub front_matter: Option<Range<usize>>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: BlockKind,
    /// Byte range in the source text.
    pub range: Range<usize>,
    /// 1-based line of the block's first byte.
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiagramKind {
    Mermaid,
    Dot,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    Heading {
        level: u8,
        inlines: Vec<Inline>,
        /// GitHub-style slug, unique within the document.
        anchor: String,
    },
    Paragraph(Vec<Inline>),
    Code {
        lang: String,
        code: String,
    },
    Diagram {
        kind: DiagramKind,
        source: String,
    },
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
    },
    Table {
        align: Vec<Align>,
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Rule,
    FootnoteDef {
        label: String,
        blocks: Vec<Block>,
    },
    Html(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    /// `Some(done)` for a task list item.
    pub task: Option<bool>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    pub strike: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text {
        text: String,
        style: Style,
    },
    Code(String),
    Link {
        target: LinkTarget,
        inlines: Vec<Inline>,
    },
    Image {
        target: LinkTarget,
        alt: String,
    },
    FootnoteRef(String),
    SoftBreak,
    HardBreak,
    Tag(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// `[[note#heading|alias]]`; the alias is the link's inline text.
    Wiki {
        note: String,
        heading: Option<String>,
    },
    /// Anything with a URL scheme (`https:`, `mailto:` ...).
    Url(String),
    /// A percent-decoded local path relative to the note, possibly with `#frag`.
    Relative(String),
    /// `#heading` inside the same note.
    Anchor(String),
}

impl LinkTarget {
    fn classify(dest: &str, wiki: bool) -> LinkTarget {
        if wiki {
            let (note, heading) = match dest.split_once('#') {
                Some((n, h)) => (n.trim().to_string(), Some(h.trim().to_string())),
                None => (dest.trim().to_string(), None),
            };
            return LinkTarget::Wiki { note, heading };
        }
        if let Some(anchor) = dest.strip_prefix('#') {
            return LinkTarget::Anchor(anchor.to_string());
        }
        if has_scheme(dest) {
            return LinkTarget::Url(dest.to_string());
        }
        let decoded = percent_encoding::percent_decode_str(dest)
            .decode_utf8()
            .map(|c| c.into_owned())
            .unwrap_or_else(|_| dest.to_string());
        LinkTarget::Relative(decoded)
    }
}

/// `https://x`, `mailto:a@b` — but not a Windows drive letter like `C:\`.
fn has_scheme(dest: &str) -> bool {
    match dest.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Options shared with the HTML export so both agree on the dialect.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

/// GitHub-style heading slug: lowercase, spaces to `-`, punctuation dropped,
/// letters of every script kept (Chinese headings get Chinese anchors).
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    out
}

/// Plain text of inlines (for anchors, alt text, search snippets).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut s = String::new();
    collect_plain(inlines, &mut s);
    s
}

fn collect_plain(inlines: &[Inline], out: &mut String) {
    for i in inlines {
        match i {
            Inline::Text { text, .. } | Inline::Code(text) => out.push_str(text),
            Inline::Link { inlines, .. } => collect_plain(inlines, out),
            Inline::Image { alt, .. } => out.push_str(alt),
            Inline::FootnoteRef(l) => {
                out.push('[');
                out.push_str(l);
                out.push(']');
            }
            Inline::SoftBreak | Inline::HardBreak => out.push(' '),
            Inline::Tag(t) => {
                out.push('#');
                out.push_str(t);
            }
        }
    }
}

fn diagram_kind(lang: &str) -> Option<DiagramKind> {
    match lang.to_ascii_lowercase().as_str() {
        "mermaid" => Some(DiagramKind::Mermaid),
        "dot" | "graphviz" => Some(DiagramKind::Dot),
        _ => None,
    }
}

enum BlockFrameKind {
    Root,
    Quote,
    Item {
        task: Option<bool>,
    },
    Footnote(String),
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
    },
}

struct BlockFrame {
    kind: BlockFrameKind,
    blocks: Vec<Block>,
    start: usize,
}

enum InlineFrameKind {
    Paragraph,
    Heading(u8),
    Cell,
    Link(LinkTarget),
    Image(LinkTarget),
}

struct InlineFrame {
    kind: InlineFrameKind,
    inlines: Vec<Inline>,
    start: usize,
}

struct TableBuilder {
    align: Vec<Align>,
    header: Vec<Vec<Inline>>,
    rows: Vec<Vec<Vec<Inline>>>,
    row: Vec<Vec<Inline>>,
    in_head: bool,
    start: usize,
}

struct Builder<'t> {
    line_starts: Vec<usize>,
    blocks: Vec<BlockFrame>,
    inlines: Vec<InlineFrame>,
    table: Option<TableBuilder>,
    code: Option<(String, String, usize)>,
    html: Option<(String, usize)>,
    bold: u32,
    italic: u32,
    strike: u32,
    anchors: HashMap<String, usize>,
    text: &'t str,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Builder {
            line_starts,
            blocks: vec![BlockFrame {
                kind: BlockFrameKind::Root,
                blocks: Vec::new(),
                start: 0,
            }],
            inlines: Vec::new(),
            table: None,
            code: None,
            html: None,
            bold: 0,
            italic: 0,
            strike: 0,
            anchors: HashMap::new(),
            text,
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    fn style(&self) -> Style {
        Style {
            bold: self.bold > 0,
            italic: self.italic > 0,
            strike: self.strike > 0,
        }
    }

    fn push_block(&mut self, kind: BlockKind, range: Range<usize>) {
        let line = self.line_of(range.start);
        let frame = self.blocks.last_mut().expect("root frame is never popped");
        frame.blocks.push(Block { kind, range, line });
    }

    /// Inline content outside any paragraph (tight list items) gets an
    /// implicit paragraph so renderers only ever see inlines inside blocks.
    fn ensure_inline_frame(&mut self, at: usize) {
        if self.inlines.is_empty() {
            self.inlines.push(InlineFrame {
                kind: InlineFrameKind::Paragraph,
                inlines: Vec::new(),
                start: at,
            });
        }
    }

    fn close_implicit_paragraph(&mut self, end: usize) {
        if self.inlines.len() == 1
            && matches!(self.inlines[0].kind, InlineFrameKind::Paragraph)
            && self.table.is_none()
        {
            let f = self.inlines.pop().expect("checked length");
            if !f.inlines.is_empty() {
                self.push_block(BlockKind::Paragraph(f.inlines), f.start..end);
            }
        }
    }

    fn push_inline(&mut self, inline: Inline, at: usize) {
        self.ensure_inline_frame(at);
        let frame = self.inlines.last_mut().expect("ensured above");
        // Adjacent text runs with the same style merge so renderers see
        // whole words rather than the parser's fragment boundaries.
        if let (
            Inline::Text { text, style },
            Some(Inline::Text {
                text: prev,
                style: prev_style,
            }),
        ) = (&inline, frame.inlines.last_mut())
        {
            if style == prev_style {
                prev.push_str(text);
                return;
            }
        }
        frame.inlines.push(inline);
    }

    fn push_text(&mut self, text: &str, at: usize) {
        let style = self.style();
        let in_link = self
            .inlines
            .iter()
            .any(|f| matches!(f.kind, InlineFrameKind::Link(_) | InlineFrameKind::Image(_)));
        if in_link {
            self.push_inline(
                Inline::Text {
                    text: text.to_string(),
                    style,
                },
                at,
            );
            return;
        }
        // A tag must start a word, so the fragment before this text run
        // (pulldown-cmark splits text at punctuation) decides for a leading `#`.
        let before = self
            .inlines
            .last()
            .and_then(|f| f.inlines.last())
            .and_then(|i| match i {
                Inline::Text { text, .. } => text.chars().next_back(),
                Inline::SoftBreak | Inline::HardBreak => Some(' '),
                _ => Some('x'),
            });
        let mut last = 0;
        for (range, tag) in find_tags_after(text, before) {
            if range.start > last {
                self.push_inline(
                    Inline::Text {
                        text: text[last..range.start].to_string(),
                        style,
                    },
                    at,
                );
            }
            self.push_inline(Inline::Tag(tag), at);
            last = range.end;
        }
        if last < text.len() {
            self.push_inline(
                Inline::Text {
                    text: text[last..].to_string(),
                    style,
                },
                at,
            );
        }
    }

    fn unique_anchor(&mut self, base: String) -> String {
        let n = self.anchors.entry(base.clone()).or_insert(0);
        let anchor = if *n == 0 { base } else { format!("{base}-{n}") };
        *n += 1;
        anchor
    }

    fn start(&mut self, tag: Tag, range: Range<usize>) {
        match tag {
            Tag::Paragraph => self.inlines.push(InlineFrame {
                kind: InlineFrameKind::Paragraph,
                inlines: Vec::new(),
                start: range.start,
            }),
            Tag::Heading { level, .. } => self.inlines.push(InlineFrame {
                kind: InlineFrameKind::Heading(heading_level(level)),
                inlines: Vec::new(),
                start: range.start,
            }),
            Tag::BlockQuote(_) => {
                self.close_implicit_paragraph(range.start);
                self.blocks.push(BlockFrame {
                    kind: BlockFrameKind::Quote,
                    blocks: Vec::new(),
                    start: range.start,
                });
            }
            Tag::CodeBlock(kind) => {
                self.close_implicit_paragraph(range.start);
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new(), range.start));
            }
            Tag::HtmlBlock => self.html = Some((String::new(), range.start)),
            Tag::List(start) => {
                self.close_implicit_paragraph(range.start);
                self.blocks.push(BlockFrame {
                    kind: BlockFrameKind::List {
                        start,
                        items: Vec::new(),
                    },
                    blocks: Vec::new(),
                    start: range.start,
                });
            }
            Tag::Item => self.blocks.push(BlockFrame {
                kind: BlockFrameKind::Item { task: None },
                blocks: Vec::new(),
                start: range.start,
            }),
            Tag::FootnoteDefinition(label) => {
                self.close_implicit_paragraph(range.start);
                self.blocks.push(BlockFrame {
                    kind: BlockFrameKind::Footnote(label.to_string()),
                    blocks: Vec::new(),
                    start: range.start,
                });
            }
            Tag::Table(align) => {
                self.close_implicit_paragraph(range.start);
                self.table = Some(TableBuilder {
                    align: align.into_iter().map(convert_align).collect(),
                    header: Vec::new(),
                    rows: Vec::new(),
                    row: Vec::new(),
                    in_head: false,
                    start: range.start,
                });
            }
            Tag::TableHead => {
                if let Some(t) = &mut self.table {
                    t.in_head = true;
                }
            }
            Tag::TableRow => {}
            Tag::TableCell => self.inlines.push(InlineFrame {
                kind: InlineFrameKind::Cell,
                inlines: Vec::new(),
                start: range.start,
            }),
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            Tag::Strikethrough => self.strike += 1,
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                self.ensure_inline_frame(range.start);
                let wiki = matches!(link_type, LinkType::WikiLink { .. });
                self.inlines.push(InlineFrame {
                    kind: InlineFrameKind::Link(LinkTarget::classify(&dest_url, wiki)),
                    inlines: Vec::new(),
                    start: range.start,
                });
            }
            Tag::Image {
                link_type,
                dest_url,
                ..
            } => {
                self.ensure_inline_frame(range.start);
                let wiki = matches!(link_type, LinkType::WikiLink { .. });
                self.inlines.push(InlineFrame {
                    kind: InlineFrameKind::Image(LinkTarget::classify(&dest_url, wiki)),
                    inlines: Vec::new(),
                    start: range.start,
                });
            }
            Tag::MetadataBlock(_) => {}
            // Not enabled in `options()`; their content still arrives as
            // ordinary events and is kept as text.
            Tag::Superscript
            | Tag::Subscript
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        match tag {
            TagEnd::Paragraph => {
                if let Some(f) = self.inlines.pop() {
                    self.push_block(BlockKind::Paragraph(f.inlines), f.start..range.end);
                }
            }
            TagEnd::Heading(_) => {
                if let Some(f) = self.inlines.pop() {
                    let level = match f.kind {
                        InlineFrameKind::Heading(l) => l,
                        _ => 1,
                    };
                    let anchor = self.unique_anchor(slug(&plain_text(&f.inlines)));
                    self.push_block(
                        BlockKind::Heading {
                            level,
                            inlines: f.inlines,
                            anchor,
                        },
                        f.start..range.end,
                    );
                }
            }
            TagEnd::BlockQuote(_) => {
                self.close_implicit_paragraph(range.end);
                if let Some(f) = self.pop_block_frame() {
                    self.push_block(BlockKind::Quote(f.blocks), f.start..range.end);
                }
            }
            TagEnd::CodeBlock => {
                if let Some((lang, code, start)) = self.code.take() {
                    let kind = match diagram_kind(&lang) {
                        Some(kind) => BlockKind::Diagram { kind, source: code },
                        None => BlockKind::Code { lang, code },
                    };
                    self.push_block(kind, start..range.end);
                }
            }
            TagEnd::HtmlBlock => {
                if let Some((html, start)) = self.html.take() {
                    self.push_block(BlockKind::Html(html), start..range.end);
                }
            }
            TagEnd::Item => {
                self.close_implicit_paragraph(range.end);
                if let Some(f) = self.pop_block_frame() {
                    let task = match f.kind {
                        BlockFrameKind::Item { task } => task,
                        _ => None,
                    };
                    if let Some(BlockFrame {
                        kind: BlockFrameKind::List { items, .. },
                        ..
                    }) = self.blocks.last_mut()
                    {
                        items.push(ListItem {
                            task,
                            blocks: f.blocks,
                        });
                    }
                }
            }
            TagEnd::List(_) => {
                self.close_implicit_paragraph(range.end);
                if let Some(f) = self.pop_block_frame() {
                    if let BlockFrameKind::List { start, items } = f.kind {
                        self.push_block(BlockKind::List { start, items }, f.start..range.end);
                    }
                }
            }
            TagEnd::FootnoteDefinition => {
                self.close_implicit_paragraph(range.end);
                if let Some(f) = self.pop_block_frame() {
                    if let BlockFrameKind::Footnote(label) = f.kind {
                        self.push_block(
                            BlockKind::FootnoteDef {
                                label,
                                blocks: f.blocks,
                            },
                            f.start..range.end,
                        );
                    }
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.push_block(
                        BlockKind::Table {
                            align: t.align,
                            header: t.header,
                            rows: t.rows,
                        },
                        t.start..range.end,
                    );
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.header = std::mem::take(&mut t.row);
                    t.in_head = false;
                }
            }
            TagEnd::TableRow => {
                if let Some(t) = &mut self.table {
                    if !t.in_head {
                        let row = std::mem::take(&mut t.row);
                        t.rows.push(row);
                    }
                }
            }
            TagEnd::TableCell => {
                if let Some(f) = self.inlines.pop() {
                    if let Some(t) = &mut self.table {
                        t.row.push(f.inlines);
                    }
                }
            }
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Strikethrough => self.strike = self.strike.saturating_sub(1),
            TagEnd::Link => {
                if let Some(f) = self.inlines.pop() {
                    if let InlineFrameKind::Link(target) = f.kind {
                        self.push_inline(
                            Inline::Link {
                                target,
                                inlines: f.inlines,
                            },
                            f.start,
                        );
                    }
                }
            }
            TagEnd::Image => {
                if let Some(f) = self.inlines.pop() {
                    if let InlineFrameKind::Image(target) = f.kind {
                        let alt = plain_text(&f.inlines);
                        self.push_inline(Inline::Image { target, alt }, f.start);
                    }
                }
            }
            TagEnd::MetadataBlock(_)
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => {}
        }
    }

    fn pop_block_frame(&mut self) -> Option<BlockFrame> {
        // The root frame stays; unbalanced events (never produced by
        // pulldown-cmark, but cheap to guard) cannot empty the stack.
        if self.blocks.len() > 1 {
            self.blocks.pop()
        } else {
            None
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.close_implicit_paragraph(self.text.len());
        while self.blocks.len() > 1 {
            let f = self.blocks.pop().expect("len > 1");
            let parent = self.blocks.last_mut().expect("root remains");
            parent.blocks.extend(f.blocks);
        }
        self.blocks.pop().map(|f| f.blocks).unwrap_or_default()
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn convert_align(a: Alignment) -> Align {
    match a {
        Alignment::None => Align::None,
        Alignment::Left => Align::Left,
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
    }
}

/// `#tag` occurrences in a run of plain text: a tag starts at the beginning
/// or after whitespace, may contain letters, digits, `_`, `-`, `/`, and must
/// contain at least one non-digit (so `#123` stays text, as in Obsidian).
pub fn find_tags(text: &str) -> Vec<(Range<usize>, String)> {
    find_tags_after(text, None)
}

fn find_tags_after(text: &str, before: Option<char>) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    let mut prev: Option<char> = before;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c == '#' && prev.is_none_or(char::is_whitespace) {
            let body_start = i + 1;
            let mut end = body_start;
            while let Some(&(j, d)) = iter.peek() {
                if d.is_alphanumeric() || d == '_' || d == '-' || d == '/' {
                    end = j + d.len_utf8();
                    iter.next();
                } else {
                    break;
                }
            }
            let body = text[body_start..end].trim_end_matches('/');
            if !body.is_empty() && !body.chars().all(|d| d.is_ascii_digit()) {
                out.push((i..body_start + body.len(), body.to_string()));
            }
            prev = text[..end].chars().next_back();
            continue;
        }
        prev = Some(c);
    }
    out
}

/// Parse a note into blocks. Never panics; any text is a valid document.
pub fn parse(text: &str) -> Document {
    let mut b = Builder::new(text);
    let mut front_matter = None;
    let mut in_metadata = false;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        if in_metadata {
            if let Event::End(TagEnd::MetadataBlock(_)) = event {
                in_metadata = false;
                front_matter = Some(0..range.end);
            }
            continue;
        }
        match event {
            Event::Start(Tag::MetadataBlock(_)) if range.start == 0 => in_metadata = true,
            Event::Start(tag) => b.start(tag, range),
            Event::End(tag) => b.end(tag, range),
            Event::Text(t) => {
                if let Some((_, code, _)) = &mut b.code {
                    code.push_str(&t);
                } else if let Some((html, _)) = &mut b.html {
                    html.push_str(&t);
                } else {
                    b.push_text(&t, range.start);
                }
            }
            Event::Code(c) => b.push_inline(Inline::Code(c.to_string()), range.start),
            Event::Html(h) => {
                if let Some((html, _)) = &mut b.html {
                    html.push_str(&h);
                } else {
                    b.push_block(BlockKind::Html(h.to_string()), range);
                }
            }
            Event::InlineHtml(h) => b.push_text(&h, range.start),
            Event::InlineMath(m) | Event::DisplayMath(m) => b.push_text(&m, range.start),
            Event::FootnoteReference(l) => {
                b.push_inline(Inline::FootnoteRef(l.to_string()), range.start)
            }
            Event::SoftBreak => b.push_inline(Inline::SoftBreak, range.start),
            Event::HardBreak => b.push_inline(Inline::HardBreak, range.start),
            Event::Rule => {
                b.close_implicit_paragraph(range.start);
                b.push_block(BlockKind::Rule, range);
            }
            Event::TaskListMarker(done) => {
                if let Some(BlockFrame {
                    kind: BlockFrameKind::Item { task },
                    ..
                }) = b.blocks.last_mut()
                {
                    *task = Some(done);
                }
            }
        }
    }
    Document {
        front_matter,
        blocks: b.finish(),
    }
}

/// Every diagram block of a document in reading order, nested ones included.
pub fn diagrams(doc: &Document) -> Vec<&Block> {
    let mut out = Vec::new();
    walk_blocks(&doc.blocks, &mut |b| {
        if matches!(b.kind, BlockKind::Diagram { .. }) {
            out.push(b);
        }
    });
    out
}

/// Visit every block depth-first (quotes, list items, footnotes included).
pub fn walk_blocks<'a>(blocks: &'a [Block], f: &mut impl FnMut(&'a Block)) {
    for b in blocks {
        f(b);
        match &b.kind {
            BlockKind::Quote(inner) | BlockKind::FootnoteDef { blocks: inner, .. } => {
                walk_blocks(inner, f)
            }
            BlockKind::List { items, .. } => {
                for item in items {
                    walk_blocks(&item.blocks, f);
                }
            }
            _ => {}
        }
    }
}

/// Blocks under the heading named `heading` (text or anchor), up to the next
/// heading of the same or a higher level (the heading itself included).
/// Embeds (`![[Note#Heading]]`) show exactly this part of a note.
pub fn section<'a>(blocks: &'a [Block], heading: &str) -> &'a [Block] {
    let wanted = slug(heading);
    let found = blocks.iter().position(|b| match &b.kind {
        BlockKind::Heading { anchor, .. } => *anchor == wanted || anchor == heading,
        _ => false,
    });
    let Some(start) = found else {
        return &[];
    };
    let level = match &blocks[start].kind {
        BlockKind::Heading { level, .. } => *level,
        _ => 1,
    };
    let end = blocks[start + 1..]
        .iter()
        .position(|b| matches!(&b.kind, BlockKind::Heading { level: l, .. } if *l <= level))
        .map_or(blocks.len(), |i| start + 1 + i);
    &blocks[start..end]
}

#[cfg(test)]
mod tests;
