//! The flowchart grammar proper.

use super::shapes::{shape_from_name, ShapeName};
use super::text::decode_label;
use super::{ParseError, Warning};
use crate::diagram::model::*;
use std::collections::{HashMap, HashSet};

type PResult<T> = Result<T, ParseError>;

/// Words that start statements in Mermaid's lexer; Mermaid.js refuses node
/// ids that begin with them followed by `.`, `-` or `/`.
const RESERVED_PREFIXES: &[&str] = &[
    "flowchart-elk",
    "flowchart",
    "graph",
    "subgraph",
    "end",
    "style",
    "linkStyle",
    "interpolate",
    "classDef",
    "class",
    "_self",
    "_blank",
    "_parent",
    "_top",
];

/// `A & B & ... --> C & D & ...` multiplies; a few bytes of text must not
/// be able to allocate millions of edges.
const MAX_EDGES_PER_LINK: usize = 10_000;
const MAX_EDGES: usize = 200_000;

struct SubgraphBuild {
    id: String,
    title: Label,
    mentioned: Vec<String>,
    direction: Option<Direction>,
    parent: Option<usize>,
    line: usize,
    col: usize,
}

/// One parsed node reference inside a vertex statement.
struct NodeRef {
    id: String,
}

/// A parsed link between node groups.
struct Link {
    stroke: Stroke,
    head: Marker,
    tail: Marker,
    min_len: u32,
    label: Option<Label>,
    id: Option<String>,
}

pub struct Parser {
    s: Vec<char>,
    pos: usize,
    line_starts: Vec<usize>,
    pub warnings: Vec<Warning>,
    pub config: Config,
    pub preset_direction: Option<Direction>,
    direction: Option<Direction>,
    nodes: Vec<Node>,
    node_index: HashMap<String, usize>,
    edges: Vec<Edge>,
    subgraphs: Vec<SubgraphBuild>,
    open: Vec<usize>,
    closed_order: Vec<usize>,
    class_defs: Vec<ClassDef>,
    /// `class` statements, resolved at the end because they may name
    /// subgraphs defined later.
    class_assign: Vec<(String, Vec<String>)>,
    link_styles: Vec<LinkStyle>,
    clicks: Vec<Click>,
    acc_title: Option<String>,
    acc_descr: Option<String>,
    /// Off while reading comma-separated id lists (`class a,b x`).
    comma_in_ids: bool,
}

fn is_id_char(c: char) -> bool {
    c.is_alphanumeric() || "_!#$'*+?\\/`.".contains(c) || (!c.is_ascii() && !c.is_whitespace())
}

impl Parser {
    pub fn new(text: &str) -> Parser {
        let s: Vec<char> = text.chars().collect();
        let mut line_starts = vec![0];
        for (i, &c) in s.iter().enumerate() {
            if c == '\n' {
                line_starts.push(i + 1);
            }
        }
        Parser {
            s,
            pos: 0,
            line_starts,
            warnings: Vec::new(),
            config: Config::default(),
            preset_direction: None,
            direction: None,
            nodes: Vec::new(),
            node_index: HashMap::new(),
            edges: Vec::new(),
            subgraphs: Vec::new(),
            open: Vec::new(),
            closed_order: Vec::new(),
            class_defs: Vec::new(),
            class_assign: Vec::new(),
            link_styles: Vec::new(),
            clicks: Vec::new(),
            acc_title: None,
            acc_descr: None,
            comma_in_ids: true,
        }
    }

    // ----- positions, errors -------------------------------------------

    fn line_col(&self, pos: usize) -> (usize, usize) {
        let line = match self.line_starts.binary_search(&pos) {
            Ok(l) => l,
            Err(l) => l - 1,
        };
        (line + 1, pos - self.line_starts[line] + 1)
    }

    fn err_at<T>(&self, pos: usize, message: impl Into<String>) -> PResult<T> {
        let (line, col) = self.line_col(pos);
        Err(ParseError {
            line,
            col,
            message: message.into(),
        })
    }

    fn warn_at(&mut self, pos: usize, message: impl Into<String>) {
        let (line, col) = self.line_col(pos);
        self.warnings.push(Warning {
            line,
            col,
            message: message.into(),
        });
    }

    fn describe_here(&self) -> String {
        match self.peek() {
            None => "end of input".into(),
            Some('\n') => "end of line".into(),
            Some(c) => format!("`{c}`"),
        }
    }

    // ----- character helpers ---------------------------------------------

    fn peek(&self) -> Option<char> {
        self.s.get(self.pos).copied()
    }

    fn peek_at(&self, off: usize) -> Option<char> {
        self.s.get(self.pos + off).copied()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    fn starts_with(&self, lit: &str) -> bool {
        lit.chars()
            .enumerate()
            .all(|(k, c)| self.s.get(self.pos + k) == Some(&c))
    }

    /// Spaces and tabs only.
    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\r')) {
            self.pos += 1;
        }
    }

    /// Spaces, tabs, newlines and `%%` comments: used where Mermaid lets a
    /// statement continue on the next line (around links and `&`).
    fn skip_ws_nl(&mut self) {
        loop {
            match self.peek() {
                Some(' ' | '\t' | '\r' | '\n') => self.pos += 1,
                Some('%') if self.peek_at(1) == Some('%') => self.skip_comment(),
                _ => return,
            }
        }
    }

    fn skip_comment(&mut self) {
        while let Some(c) = self.peek() {
            if c == '\n' {
                return;
            }
            self.pos += 1;
        }
    }

    /// Word made of letters, digits, `_` and `-` (keywords, class names).
    fn word(&mut self) -> String {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.s[start..self.pos].iter().collect()
    }

    /// Class name after `:::`; stops before a link (`A:::c-->B`).
    fn class_name(&mut self) -> String {
        let start = self.pos;
        while let Some(c) = self.peek() {
            let link_next = matches!(self.peek_at(1), Some('-' | '.' | '>'));
            if c.is_alphanumeric() || c == '_' || (c == '-' && !link_next) {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.s[start..self.pos].iter().collect()
    }

    fn peek_word(&self) -> String {
        let mut i = self.pos;
        let mut out = String::new();
        while let Some(&c) = self.s.get(i) {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                out.push(c);
                i += 1;
            } else {
                break;
            }
        }
        out
    }

    /// A node id. `-` is part of an id unless it starts a link (`--`, `-.`,
    /// `->`); and `=` unless it starts `==`.
    fn node_id(&mut self) -> String {
        let start = self.pos;
        while let Some(c) = self.peek() {
            let next = self.peek_at(1);
            let ok = match c {
                // `odd->text]` is the id `odd-` with an asymmetric shape.
                '-' => !matches!(next, Some('-' | '.')),
                ':' => !(next == Some(':') && self.peek_at(2) == Some(':')),
                ',' => self.comma_in_ids,
                '&' => self.amp_is_id_char(self.pos == start),
                '=' => next != Some('=') && self.pos > start,
                // A lone `.` may begin a dotted link written without its
                // leading dash (`A.->B` is not Mermaid, but `A-.->B` is).
                '.' => !matches!(next, Some('-')),
                _ => is_id_char(c),
            };
            if !ok {
                break;
            }
            self.pos += 1;
        }
        // `x`/`o` immediately followed by a link belong to the link
        // (`Ax--xB` is not valid Mermaid, but `A x--x B` is, and ids never
        // end in the marker when the link starts right after).
        self.s[start..self.pos].iter().collect()
    }

    /// `&` joins nodes (`A & B`), but Mermaid.js also accepts it inside ids
    /// (`&node`, `node&`): it is an id character when it starts the id or
    /// when only spaces and then a link or the end of the statement follow.
    fn amp_is_id_char(&self, at_start: bool) -> bool {
        if at_start {
            return true;
        }
        let mut k = self.pos + 1;
        while matches!(self.s.get(k), Some(' ' | '\t')) {
            k += 1;
        }
        matches!(
            self.s.get(k),
            None | Some('\n' | ';' | '-' | '=' | '~' | '<')
        )
    }

    // ----- document --------------------------------------------------------

    pub fn parse_document(&mut self) -> PResult<()> {
        self.skip_ws_nl();
        let header_pos = self.pos;
        let word = self.word();
        match word.as_str() {
            "graph" | "flowchart" | "flowchart-elk" => {}
            "" => {
                return self.err_at(
                    header_pos,
                    "expected a `flowchart` or `graph` header at the start of the diagram",
                )
            }
            other => {
                return self.err_at(
                    header_pos,
                    format!("expected a `flowchart` or `graph` header, found `{other}`"),
                )
            }
        }
        if word == "flowchart-elk" {
            self.warn_at(
                header_pos,
                "`flowchart-elk` is drawn with Strata's own layout, not ELK",
            );
        }
        self.skip_spaces();
        let dir_pos = self.pos;
        let mut dir_word = String::new();
        while let Some(c) = self.peek() {
            if c.is_whitespace() || c == ';' {
                break;
            }
            dir_word.push(c);
            self.pos += 1;
        }
        if !dir_word.is_empty() {
            match Direction::from_keyword(&dir_word) {
                Some(d) => self.direction = Some(d),
                None => {
                    return self.err_at(
                        dir_pos,
                        format!("unknown direction `{dir_word}`; use TB, TD, BT, LR or RL"),
                    )
                }
            }
        }
        self.end_of_statement()?;
        self.statements()?;
        if let Some(&open) = self.open.last() {
            let sg = &self.subgraphs[open];
            let (line, col) = (sg.line, sg.col);
            let id = sg.id.clone();
            return Err(ParseError {
                line,
                col,
                message: format!("subgraph `{id}` is never closed with `end`"),
            });
        }
        Ok(())
    }

    /// After a statement: spaces, an optional comment, then `;`, newline or
    /// end of input.
    fn end_of_statement(&mut self) -> PResult<()> {
        self.skip_spaces();
        if self.starts_with("%%") {
            self.skip_comment();
        }
        match self.peek() {
            None => Ok(()),
            Some(';' | '\n') => {
                self.pos += 1;
                Ok(())
            }
            _ => self.err_at(
                self.pos,
                format!(
                    "unexpected {} after the statement; expected a newline or `;`",
                    self.describe_here()
                ),
            ),
        }
    }

    fn statements(&mut self) -> PResult<()> {
        loop {
            // Blank lines, stray separators and comments.
            loop {
                self.skip_spaces();
                match self.peek() {
                    Some('\n' | ';') => self.pos += 1,
                    Some('%') if self.peek_at(1) == Some('%') => self.skip_comment(),
                    _ => break,
                }
            }
            if self.at_end() {
                return Ok(());
            }
            self.statement()?;
        }
    }

    fn statement(&mut self) -> PResult<()> {
        let start = self.pos;
        let w = self.peek_word();
        let after = self.s.get(self.pos + w.chars().count()).copied();
        let kw_end = matches!(after, None | Some(' ' | '\t' | '\r' | '\n' | ';'));
        match w.as_str() {
            "subgraph" if kw_end => return self.subgraph_open(),
            "end" if kw_end => return self.subgraph_close(),
            "direction" if kw_end => return self.direction_stmt(),
            "classDef" if kw_end => return self.class_def(),
            "class" if kw_end => return self.class_stmt(),
            "style" if kw_end => return self.style_stmt(),
            "linkStyle" if kw_end => return self.link_style(),
            "click" if kw_end => return self.click(),
            "accTitle" | "accDescr" => {
                let save = self.pos;
                self.word();
                self.skip_spaces();
                if matches!(self.peek(), Some(':' | '{')) {
                    return self.accessibility(&w);
                }
                self.pos = save;
            }
            _ => {}
        }
        if (w == "graph" || w == "flowchart") && kw_end {
            return self.err_at(start, format!("a second `{w}` header is not allowed"));
        }
        self.vertex_statement()
    }

    // ----- vertex statements ---------------------------------------------

    fn vertex_statement(&mut self) -> PResult<()> {
        let first_pos = self.pos;
        // `id@{ ... }` for an existing edge id sets edge data.
        if let Some(done) = self.edge_data_statement()? {
            return done;
        }
        let mut group = self.node_group()?;
        if group.is_empty() {
            return self.err_at(
                first_pos,
                format!(
                    "expected a node id or a statement, found {}",
                    self.describe_here()
                ),
            );
        }
        loop {
            let save = self.pos;
            self.skip_ws_nl();
            let link_pos = self.pos;
            match self.link()? {
                Some(link) => {
                    self.skip_ws_nl();
                    let target_pos = self.pos;
                    let next = self.node_group()?;
                    if next.is_empty() && self.at_end() {
                        self.warn_at(
                            link_pos,
                            "the link at the end of the diagram has no target node and is ignored",
                        );
                        return Ok(());
                    }
                    if next.is_empty() {
                        return self.err_at(
                            target_pos,
                            format!(
                                "expected a node after the link, found {}",
                                self.describe_here()
                            ),
                        );
                    }
                    if let Some(id) = &link.id {
                        if self.edges.iter().any(|e| e.id.as_deref() == Some(id)) {
                            self.warn_at(link_pos, format!("edge id `{id}` is used twice"));
                        }
                    }
                    let product = group.len().saturating_mul(next.len());
                    if product > MAX_EDGES_PER_LINK
                        || self.edges.len().saturating_add(product) > MAX_EDGES
                    {
                        return self.err_at(
                            link_pos,
                            format!(
                                "too many edges: `&` groups here would make {product} edges (limits: {MAX_EDGES_PER_LINK} per link, {MAX_EDGES} in total)"
                            ),
                        );
                    }
                    let many = product > 1;
                    for a in &group {
                        for b in &next {
                            self.edges.push(Edge {
                                from: a.id.clone(),
                                to: b.id.clone(),
                                stroke: link.stroke,
                                head: link.head,
                                tail: link.tail,
                                min_len: link.min_len,
                                label: link.label.clone(),
                                // An id names one edge; with `&` it would
                                // name several, so only the first keeps it.
                                id: if many
                                    && self.edges.last().and_then(|e| e.id.as_ref())
                                        == link.id.as_ref()
                                {
                                    None
                                } else {
                                    link.id.clone()
                                },
                                animate: false,
                                curve: None,
                            });
                        }
                    }
                    group = next;
                }
                None => {
                    self.pos = save;
                    break;
                }
            }
        }
        self.end_of_statement()
    }

    /// `e1@{ animate: true }` where `e1` names an edge declared earlier.
    fn edge_data_statement(&mut self) -> PResult<Option<PResult<()>>> {
        let save = self.pos;
        let id = self.node_id();
        if id.is_empty() || !self.starts_with("@{") {
            self.pos = save;
            return Ok(None);
        }
        let Some(edge_ix) = self
            .edges
            .iter()
            .rposition(|e| e.id.as_deref() == Some(&id))
        else {
            self.pos = save;
            return Ok(None);
        };
        let at = self.pos;
        self.pos += 1;
        let pairs = self.brace_data()?;
        for (key, value) in pairs {
            match key.as_str() {
                "animate" => self.edges[edge_ix].animate = value == "true",
                "animation" => self.edges[edge_ix].animate = value != "none",
                "curve" => match Curve::from_name(&value) {
                    Some(c) => self.edges[edge_ix].curve = Some(c),
                    None => self.warn_at(at, format!("unknown curve `{value}`")),
                },
                _ => self.warn_at(at, format!("edge property `{key}` is ignored")),
            }
        }
        Ok(Some(self.end_of_statement()))
    }

    /// `node ( & node )*`; empty when no node starts here.
    fn node_group(&mut self) -> PResult<Vec<NodeRef>> {
        let mut out = Vec::new();
        match self.node()? {
            Some(n) => out.push(n),
            None => return Ok(out),
        }
        loop {
            let save = self.pos;
            self.skip_ws_nl();
            if self.peek() == Some('&') {
                self.pos += 1;
                self.skip_ws_nl();
                let p = self.pos;
                match self.node()? {
                    Some(n) => out.push(n),
                    None => {
                        return self.err_at(
                            p,
                            format!("expected a node after `&`, found {}", self.describe_here()),
                        )
                    }
                }
            } else {
                self.pos = save;
                return Ok(out);
            }
        }
    }

    fn node(&mut self) -> PResult<Option<NodeRef>> {
        let start = self.pos;
        let id = self.node_id();
        if id.is_empty() {
            return Ok(None);
        }
        self.check_reserved(&id, start);
        let ix = self.touch(&id);
        self.node_shape(ix)?;
        if self.starts_with(":::") {
            self.pos += 3;
            let class_pos = self.pos;
            let class = self.class_name();
            if class.is_empty() {
                return self.err_at(class_pos, "expected a class name after `:::`");
            }
            self.nodes[ix].classes.push(class);
        }
        Ok(Some(NodeRef { id }))
    }

    fn check_reserved(&mut self, id: &str, pos: usize) {
        for kw in RESERVED_PREFIXES {
            if let Some(rest) = id.strip_prefix(kw) {
                if rest.is_empty() || rest.starts_with(['.', '-', '/']) {
                    self.warn_at(
                        pos,
                        format!(
                            "node id `{id}` starts with the keyword `{kw}`; Mermaid.js rejects it (rename the node)"
                        ),
                    );
                    return;
                }
            }
        }
    }

    /// Registers a node mention (creating it if new) and records it in the
    /// innermost open subgraph.
    fn touch(&mut self, id: &str) -> usize {
        if let Some(&top) = self.open.last() {
            self.subgraphs[top].mentioned.push(id.to_string());
        }
        if let Some(&ix) = self.node_index.get(id) {
            return ix;
        }
        let ix = self.nodes.len();
        self.nodes.push(Node {
            id: id.to_string(),
            label: Label::plain(id),
            shape: Shape::Rect,
            classes: Vec::new(),
            style: Vec::new(),
            data: Vec::new(),
        });
        self.node_index.insert(id.to_string(), ix);
        ix
    }

    /// The optional bracket shape or `@{ ... }` block right after an id.
    fn node_shape(&mut self, ix: usize) -> PResult<()> {
        if self.starts_with("@{") {
            self.pos += 1;
            let at = self.pos;
            let pairs = self.brace_data()?;
            return self.apply_node_data(ix, pairs, at);
        }
        // Longest opening delimiters first.
        const FORMS: &[(&str, &str, Shape)] = &[
            ("(((", ")))", Shape::DoubleCircle),
            ("((", "))", Shape::Circle),
            ("([", "])", Shape::Stadium),
            ("(-", "-)", Shape::Ellipse),
            ("(", ")", Shape::Rounded),
            ("[[", "]]", Shape::Subroutine),
            ("[(", ")]", Shape::Cylinder),
            ("[/", "/]", Shape::LeanRight),
            ("[\\", "\\]", Shape::LeanLeft),
            ("[", "]", Shape::Rect),
            ("{{", "}}", Shape::Hexagon),
            ("{", "}", Shape::Diamond),
            (">", "]", Shape::Asymmetric),
        ];
        let open_pos = self.pos;
        for &(open, close, shape) in FORMS {
            if !self.starts_with(open) {
                continue;
            }
            // `A-->B` must not read `>` as an asymmetric node after `-`:
            // node_id already stopped before `-->`, so `>` here is a shape.
            let body_start = self.pos + open.chars().count();
            let found = match shape {
                Shape::LeanRight | Shape::LeanLeft => {
                    self.find_label_end(body_start, &["/]", "\\]"])
                }
                _ => self.find_label_end(body_start, &[close]),
            };
            let Some((raw, quoted, end_pos, matched)) = found else {
                // `[(a) b]` is a rectangle whose label starts with `(`, not
                // an unclosed cylinder: try the shorter delimiters.
                continue;
            };
            let shape = match (shape, matched.as_str()) {
                (Shape::LeanRight, "\\]") => Shape::Trapezoid,
                (Shape::LeanLeft, "/]") => Shape::InvTrapezoid,
                (s, _) => s,
            };
            let mut raw = raw;
            if !quoted {
                self.check_unquoted(&raw.0, body_start);
                // `["say "hi" now"]`: Mermaid.js rejects the inner quotes,
                // but the outer pair clearly delimits the label.
                let t = raw.0.trim();
                if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
                    raw.0 = t[1..t.len() - 1].to_string();
                }
            }
            self.pos = end_pos;
            let label = decode_label(&raw.0, raw.1);
            self.nodes[ix].label = label;
            self.nodes[ix].shape = shape;
            if self.starts_with("@{") {
                self.pos += 1;
                let at = self.pos;
                let pairs = self.brace_data()?;
                return self.apply_node_data(ix, pairs, at);
            }
            return Ok(());
        }
        if matches!(self.peek(), Some('(' | '[' | '{' | '>')) {
            let c = self.peek().unwrap_or(' ');
            let close = match c {
                '(' => ')',
                '[' | '>' => ']',
                _ => '}',
            };
            return self.err_at(
                open_pos,
                format!("node label opened with `{c}` is never closed with `{close}`"),
            );
        }
        Ok(())
    }

    /// Finds the end of a label that starts at `from`. Returns the raw text
    /// with its markdown flag, whether it was quoted, the position after the
    /// closing delimiter and which delimiter matched.
    #[allow(clippy::type_complexity)]
    fn find_label_end(
        &mut self,
        from: usize,
        closers: &[&str],
    ) -> Option<((String, bool), bool, usize, String)> {
        let save = self.pos;
        self.pos = from;
        self.skip_spaces();
        if self.peek() == Some('"') {
            let q_start = self.pos;
            if let Some((text, md)) = self.quoted() {
                self.skip_spaces();
                for c in closers {
                    if self.starts_with(c) {
                        let end = self.pos + c.chars().count();
                        self.pos = save;
                        return Some(((text, md), true, end, c.to_string()));
                    }
                }
            }
            // A quote that does not wrap the whole label: fall through and
            // read it as plain text (Mermaid.js rejects this; we warn).
            self.pos = q_start;
        }
        self.pos = from;
        let mut i = from;
        // Unquoted text may nest the shape's own bracket (`A(f(x) = 1)`);
        // Mermaid.js rejects that, but its meaning is clear.
        let nest = closers
            .first()
            .and_then(|c| c.chars().next())
            .and_then(|c| match c {
                ')' => Some(('(', ')')),
                ']' => Some(('[', ']')),
                '}' => Some(('{', '}')),
                _ => None,
            });
        let mut depth = 0usize;
        let result = loop {
            if i >= self.s.len() {
                break None;
            }
            if depth > 0 {
                if let Some((open, close)) = nest {
                    if self.s[i] == close {
                        depth -= 1;
                    } else if self.s[i] == open {
                        depth += 1;
                    }
                }
                i += 1;
                continue;
            }
            let hit = closers.iter().find(|c| {
                c.chars()
                    .enumerate()
                    .all(|(k, ch)| self.s.get(i + k) == Some(&ch))
            });
            if let Some(c) = hit {
                let text: String = self.s[from..i].iter().collect();
                break Some(((text, false), false, i + c.chars().count(), c.to_string()));
            }
            if nest.is_some_and(|(open, _)| self.s[i] == open) {
                depth += 1;
            }
            i += 1;
        };
        self.pos = save;
        result
    }

    /// A `"..."` string at the cursor. Returns its text and whether it is a
    /// markdown string (`"` backtick ... backtick `"`).
    fn quoted(&mut self) -> Option<(String, bool)> {
        if self.peek() != Some('"') {
            return None;
        }
        let start = self.pos + 1;
        let mut i = start;
        while i < self.s.len() && self.s[i] != '"' {
            i += 1;
        }
        if i >= self.s.len() {
            return None;
        }
        let text: String = self.s[start..i].iter().collect();
        self.pos = i + 1;
        let md = text.len() >= 2 && text.starts_with('`') && text.ends_with('`');
        if md {
            let inner: String = {
                let cs: Vec<char> = text.chars().collect();
                cs[1..cs.len() - 1].iter().collect()
            };
            return Some((inner, true));
        }
        Some((text, false))
    }

    /// Warns about unquoted label text that Mermaid.js's lexer refuses.
    fn check_unquoted(&mut self, raw: &str, pos: usize) {
        let mut in_tag = false;
        let bad = raw.chars().find(|&c| {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ => {}
            }
            "()[]{}".contains(c) || (c == '"' && !in_tag)
        });
        if let Some(bad) = bad {
            self.warn_at(
                pos,
                format!(
                    "`{bad}` inside an unquoted label is rejected by Mermaid.js; wrap the label in double quotes"
                ),
            );
        }
    }

    /// Reads `{ key: value, ... }` with the cursor on `{`.
    fn brace_data(&mut self) -> PResult<Vec<(String, String)>> {
        let open = self.pos;
        self.pos += 1;
        let mut depth = 1;
        let mut in_q: Option<char> = None;
        let start = self.pos;
        while let Some(c) = self.peek() {
            match in_q {
                Some(q) if c == q => in_q = None,
                Some(_) => {}
                None => match c {
                    '"' | '\'' => in_q = Some(c),
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                },
            }
            self.pos += 1;
        }
        if self.at_end() {
            return self.err_at(open, "`@{` is never closed with `}`");
        }
        let body: String = self.s[start..self.pos].iter().collect();
        self.pos += 1;
        split_pairs(&body).map_err(|m| {
            let (line, col) = self.line_col(open);
            ParseError {
                line,
                col,
                message: m,
            }
        })
    }

    fn apply_node_data(
        &mut self,
        ix: usize,
        pairs: Vec<(String, String)>,
        at: usize,
    ) -> PResult<()> {
        let mut label_set = false;
        for (key, value) in pairs {
            match key.as_str() {
                "shape" => match shape_from_name(&value) {
                    Some(ShapeName::Documented(s)) => self.nodes[ix].shape = s,
                    Some(ShapeName::Internal(s)) => {
                        self.nodes[ix].shape = s;
                        self.warn_at(
                            at,
                            format!("shape `{value}` is internal to Mermaid.js and may be rejected there"),
                        );
                    }
                    None => return self.err_at(at, format!("unknown shape `{value}`")),
                },
                "label" => {
                    let (raw, md) = strip_md(&value);
                    self.nodes[ix].label = decode_label(&raw, md);
                    label_set = true;
                }
                "icon" => {
                    if !matches!(self.nodes[ix].shape, Shape::Icon) {
                        self.nodes[ix].shape = Shape::Icon;
                    }
                    self.nodes[ix].data.push((key, value));
                }
                "img" => {
                    self.nodes[ix].shape = Shape::Image;
                    self.nodes[ix].data.push((key, value));
                }
                _ => self.nodes[ix].data.push((key, value)),
            }
        }
        if !label_set && matches!(self.nodes[ix].shape, Shape::Icon | Shape::Image) {
            self.nodes[ix].label = Label::default();
        }
        Ok(())
    }

    // ----- links -------------------------------------------------------------

    /// Parses a link at the cursor (optionally preceded by an edge id
    /// `e1@`). Returns `None` (cursor unspecified) when none starts here.
    fn link(&mut self) -> PResult<Option<Link>> {
        let start = self.pos;
        let mut id = None;
        // Edge id: `e1@-->`.
        let save = self.pos;
        let word = self.node_id();
        if !word.is_empty() && self.peek() == Some('@') && self.peek_at(1) != Some('{') {
            self.pos += 1;
            id = Some(word);
        } else {
            self.pos = save;
        }
        let Some(mut link) = self.link_body(start)? else {
            self.pos = start;
            return Ok(None);
        };
        link.id = id;
        // `-->|text|`
        let save = self.pos;
        self.skip_spaces();
        if self.peek() == Some('|') {
            let bar = self.pos;
            self.pos += 1;
            self.skip_spaces();
            let (raw, md, quoted) = if let Some((t, md)) = self.quoted_then('|') {
                (t, md, true)
            } else {
                let from = self.pos;
                while let Some(c) = self.peek() {
                    if c == '|' {
                        break;
                    }
                    self.pos += 1;
                }
                if self.at_end() {
                    return self.err_at(bar, "edge label opened with `|` is never closed");
                }
                (self.s[from..self.pos].iter().collect(), false, false)
            };
            if !quoted {
                self.check_unquoted(&raw, bar + 1);
            }
            self.pos += 1;
            link.label = Some(decode_label(&raw, md));
        } else {
            self.pos = save;
        }
        Ok(Some(link))
    }

    /// A quoted string followed (after spaces) by `close`; cursor left on
    /// `close`. Restores the cursor and returns `None` otherwise.
    fn quoted_then(&mut self, close: char) -> Option<(String, bool)> {
        let save = self.pos;
        if let Some(r) = self.quoted() {
            self.skip_spaces();
            if self.peek() == Some(close) {
                return Some(r);
            }
        }
        self.pos = save;
        None
    }

    fn link_body(&mut self, start: usize) -> PResult<Option<Link>> {
        let tail = match (self.peek(), self.peek_at(1)) {
            (Some('<'), Some('-' | '=' | '.')) => {
                self.pos += 1;
                Marker::Arrow
            }
            (Some('x'), Some('-' | '=')) => {
                self.pos += 1;
                Marker::Cross
            }
            (Some('o'), Some('-' | '=')) => {
                self.pos += 1;
                Marker::Circle
            }
            _ => Marker::None,
        };
        let body = self.pos;
        if self.peek() == Some('.') {
            // `.->` / `..-`: a dotted link without its leading dash.
            let dots = self.count_run('.');
            if self.peek() == Some('-') && dots > 0 {
                self.pos += 1;
                let head = self.head_marker();
                return Ok(Some(Link {
                    stroke: Stroke::Dotted,
                    head,
                    tail,
                    min_len: dots as u32,
                    label: None,
                    id: None,
                }));
            }
            self.pos = start;
            return Ok(None);
        }
        let c = match self.peek() {
            Some(c @ ('-' | '=' | '~')) => c,
            _ => {
                self.pos = start;
                return Ok(None);
            }
        };
        if c == '~' {
            let n = self.count_run('~');
            if n < 3 {
                self.pos = start;
                return Ok(None);
            }
            return Ok(Some(Link {
                stroke: Stroke::Invisible,
                head: Marker::None,
                tail,
                min_len: (n - 2) as u32,
                label: None,
                id: None,
            }));
        }
        // Dotted: `-.`+`-` (`-.->`, `-..-`), or `-.` text `.->`.
        if c == '-' && self.peek_at(1) == Some('.') {
            self.pos += 1;
            let dots = self.count_run('.');
            if self.peek() == Some('-') {
                self.pos += 1;
                let head = self.head_marker();
                return Ok(Some(Link {
                    stroke: Stroke::Dotted,
                    head,
                    tail,
                    min_len: dots as u32,
                    label: None,
                    id: None,
                }));
            }
            if dots != 1 {
                return self.err_at(body, "dotted link must end with `-` (as in `-.->`)");
            }
            return self.labelled_link(start, tail, Stroke::Dotted).map(Some);
        }
        let n = self.count_run(c);
        if n < 2 {
            self.pos = start;
            return Ok(None);
        }
        let stroke = if c == '=' {
            Stroke::Thick
        } else {
            Stroke::Solid
        };
        let head = self.head_marker();
        if head != Marker::None {
            return Ok(Some(Link {
                stroke,
                head,
                tail,
                min_len: (n - 1) as u32,
                label: None,
                id: None,
            }));
        }
        if n >= 3 {
            return Ok(Some(Link {
                stroke,
                head,
                tail,
                min_len: (n - 2) as u32,
                label: None,
                id: None,
            }));
        }
        self.labelled_link(start, tail, stroke).map(Some)
    }

    fn count_run(&mut self, c: char) -> usize {
        let mut n = 0;
        while self.peek() == Some(c) {
            self.pos += 1;
            n += 1;
        }
        n
    }

    fn head_marker(&mut self) -> Marker {
        let m = match self.peek() {
            Some('>') => Marker::Arrow,
            Some('x') => Marker::Cross,
            Some('o') => Marker::Circle,
            _ => return Marker::None,
        };
        // `--oNode`/`--xNode` in Mermaid read the letter as a marker; keep
        // that, but not when it starts a word the user clearly meant
        // (`-- other -->` is handled by the labelled form before this).
        self.pos += 1;
        m
    }

    /// `-- text -->`, `== text ==>`, `-. text .->`: cursor is after the
    /// opening `--`/`==`/`-.`.
    fn labelled_link(&mut self, start: usize, tail: Marker, stroke: Stroke) -> PResult<Link> {
        let text_start = self.pos;
        let mut i = text_start;
        // Quoted label text may contain anything.
        {
            let save = self.pos;
            self.skip_spaces();
            if self.peek() == Some('"') {
                if let Some((t, md)) = self.quoted() {
                    self.skip_spaces();
                    let after_q = self.pos;
                    if let Some(end) = self.link_end_at(after_q, stroke) {
                        self.pos = end.0;
                        return Ok(Link {
                            stroke,
                            head: end.1,
                            tail,
                            min_len: end.2,
                            label: Some(decode_label(&t, md)),
                            id: None,
                        });
                    }
                }
            }
            self.pos = save;
        }
        while i < self.s.len() {
            if self.s[i] == '\n' {
                break;
            }
            if let Some((end, head, len)) = self.link_end_at(i, stroke) {
                let raw: String = self.s[text_start..i].iter().collect();
                if raw.trim().is_empty() {
                    break;
                }
                self.check_unquoted(&raw, text_start);
                self.pos = end;
                return Ok(Link {
                    stroke,
                    head,
                    tail,
                    min_len: len,
                    label: Some(decode_label(&raw, false)),
                    id: None,
                });
            }
            i += 1;
        }
        let open = match stroke {
            Stroke::Thick => "==",
            Stroke::Dotted => "-.",
            _ => "--",
        };
        self.err_at(
            start,
            format!("link `{open}` needs an arrow such as `-->` or `---`, or a label closed by one (`{open} text -->`)"),
        )
    }

    /// Matches the closing part of a labelled link at `i`: returns the
    /// position after it, the head marker and the minimum length.
    fn link_end_at(&self, i: usize, stroke: Stroke) -> Option<(usize, Marker, u32)> {
        let at = |k: usize| self.s.get(k).copied();
        let marker = |c: Option<char>| match c {
            Some('>') => Some(Marker::Arrow),
            Some('x') => Some(Marker::Cross),
            Some('o') => Some(Marker::Circle),
            _ => None,
        };
        match stroke {
            Stroke::Dotted => {
                let mut k = i;
                if at(k) == Some('-') {
                    k += 1;
                }
                let dots_start = k;
                while at(k) == Some('.') {
                    k += 1;
                }
                let dots = k - dots_start;
                if dots == 0 || at(k) != Some('-') {
                    return None;
                }
                k += 1;
                match marker(at(k)) {
                    Some(m) => Some((k + 1, m, dots as u32)),
                    None => Some((k, Marker::None, dots as u32)),
                }
            }
            _ => {
                let c = if stroke == Stroke::Thick { '=' } else { '-' };
                let mut k = i;
                while at(k) == Some(c) {
                    k += 1;
                }
                let n = k - i;
                if n < 2 {
                    return None;
                }
                if let Some(m) = marker(at(k)) {
                    // `-- text --x` vs `-- text --xylophone`: both read as a
                    // marker in Mermaid.js; follow it.
                    return Some((k + 1, m, (n - 1) as u32));
                }
                if n >= 3 {
                    return Some((k, Marker::None, (n - 2) as u32));
                }
                None
            }
        }
    }

    // ----- subgraphs -----------------------------------------------------------

    fn subgraph_open(&mut self) -> PResult<()> {
        let kw_pos = self.pos;
        self.pos += "subgraph".len();
        self.skip_spaces();
        let head_pos = self.pos;
        let auto_id = format!("subGraph{}", self.subgraphs.len());
        let (id, title) = if matches!(self.peek(), None | Some('\n' | ';')) {
            (auto_id.clone(), Label::default())
        } else if self.peek() == Some('"') {
            let Some((t, md)) = self.quoted() else {
                return self.err_at(head_pos, "subgraph title string is never closed");
            };
            (auto_id.clone(), decode_label(&t, md))
        } else {
            let id_start = self.pos;
            let id = self.node_id();
            if id.is_empty() {
                return self.err_at(
                    head_pos,
                    format!(
                        "expected a subgraph id or title, found {}",
                        self.describe_here()
                    ),
                );
            }
            let save = self.pos;
            self.skip_spaces();
            if self.peek() == Some('[') {
                let found = self.find_label_end(self.pos + 1, &["]"]);
                let Some(((raw, md), quoted, end, _)) = found else {
                    return self.err_at(self.pos, "subgraph title opened with `[` is never closed");
                };
                if !quoted {
                    let p = self.pos + 1;
                    self.check_unquoted(&raw, p);
                }
                self.pos = end;
                (id, decode_label(&raw, md))
            } else {
                self.pos = save;
                // `subgraph Some title words` names the subgraph by its
                // title; Mermaid then generates the id.
                let mut end = self.pos;
                while end < self.s.len() && !matches!(self.s[end], '\n' | ';') {
                    end += 1;
                }
                let rest: String = self.s[self.pos..end].iter().collect();
                if rest.trim().is_empty() || rest.trim_start().starts_with("%%") {
                    (id.clone(), Label::plain(&id))
                } else {
                    let full: String = self.s[id_start..end].iter().collect();
                    let full = full.split("%%").next().unwrap_or("").trim().to_string();
                    self.pos = end;
                    (auto_id.clone(), decode_label(&full, false))
                }
            }
        };
        if let Some(existing) = self.subgraphs.iter().position(|s| s.id == id) {
            // Mermaid.js merges a repeated subgraph into the first one.
            self.warn_at(
                head_pos,
                format!("subgraph `{id}` is defined twice; the two are merged"),
            );
            if self.open.contains(&existing) {
                return self.err_at(head_pos, format!("subgraph `{id}` is nested inside itself"));
            }
            self.open.push(existing);
            return self.end_of_statement();
        }
        let (line, col) = self.line_col(kw_pos);
        let parent = self.open.last().copied();
        self.subgraphs.push(SubgraphBuild {
            id,
            title,
            mentioned: Vec::new(),
            direction: None,
            parent,
            line,
            col,
        });
        self.open.push(self.subgraphs.len() - 1);
        self.end_of_statement()
    }

    fn subgraph_close(&mut self) -> PResult<()> {
        let pos = self.pos;
        self.pos += 3;
        match self.open.pop() {
            Some(ix) => self.closed_order.push(ix),
            None => return self.err_at(pos, "`end` without an open `subgraph`"),
        }
        self.end_of_statement()
    }

    fn direction_stmt(&mut self) -> PResult<()> {
        self.pos += "direction".len();
        self.skip_spaces();
        let p = self.pos;
        let w = self.word();
        let w = if w.is_empty() {
            let c = self.peek().map(|c| c.to_string()).unwrap_or_default();
            self.pos += usize::from(!c.is_empty());
            c
        } else {
            w
        };
        let Some(d) = Direction::from_keyword(&w) else {
            return self.err_at(
                p,
                format!("unknown direction `{w}`; use TB, TD, BT, LR or RL"),
            );
        };
        match self.open.last() {
            Some(&ix) => self.subgraphs[ix].direction = Some(d),
            None => self.direction = Some(d),
        }
        self.end_of_statement()
    }

    // ----- styling -------------------------------------------------------------

    /// Rest of the statement (up to `;`/newline), comments removed.
    fn rest_of_statement(&mut self) -> String {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c == '\n' || c == ';' || (c == '%' && self.peek_at(1) == Some('%')) {
                break;
            }
            self.pos += 1;
        }
        self.s[start..self.pos].iter().collect()
    }

    fn parse_styles(&mut self, text: &str, pos: usize) -> Vec<StyleProp> {
        let mut out = Vec::new();
        for part in text.split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let Some((k, v)) = part.split_once(':') else {
                self.warn_at(
                    pos,
                    format!("style `{part}` is not `key:value` and is ignored"),
                );
                continue;
            };
            out.push(StyleProp {
                key: k.trim().to_string(),
                value: v.trim().to_string(),
            });
        }
        out
    }

    fn class_def(&mut self) -> PResult<()> {
        self.pos += "classDef".len();
        self.skip_spaces();
        let mut names = Vec::new();
        loop {
            let n = self.word();
            if n.is_empty() {
                return self.err_at(self.pos, "expected a class name after `classDef`");
            }
            names.push(n);
            if self.peek() == Some(',') {
                self.pos += 1;
                continue;
            }
            break;
        }
        self.skip_spaces();
        let p = self.pos;
        let text = self.rest_of_statement();
        let style = self.parse_styles(&text, p);
        for name in names {
            self.class_defs.push(ClassDef {
                name,
                style: style.clone(),
            });
        }
        self.end_of_statement()
    }

    fn id_list(&mut self) -> PResult<Vec<String>> {
        let mut ids = Vec::new();
        loop {
            self.skip_spaces();
            let p = self.pos;
            self.comma_in_ids = false;
            let id = self.node_id();
            self.comma_in_ids = true;
            if id.is_empty() {
                return self.err_at(
                    p,
                    format!("expected a node id, found {}", self.describe_here()),
                );
            }
            ids.push(id);
            self.skip_spaces();
            if self.peek() == Some(',') {
                self.pos += 1;
                continue;
            }
            return Ok(ids);
        }
    }

    fn class_stmt(&mut self) -> PResult<()> {
        self.pos += "class".len();
        let ids = self.id_list()?;
        self.skip_spaces();
        let p = self.pos;
        let mut classes = Vec::new();
        loop {
            let c = self.word();
            if c.is_empty() {
                return self.err_at(p, "expected a class name after the node ids");
            }
            classes.push(c);
            if self.peek() == Some(',') {
                self.pos += 1;
                continue;
            }
            break;
        }
        for id in ids {
            self.class_assign.push((id, classes.clone()));
        }
        self.end_of_statement()
    }

    fn style_stmt(&mut self) -> PResult<()> {
        self.pos += "style".len();
        self.skip_spaces();
        let p = self.pos;
        let id = self.node_id();
        if id.is_empty() {
            return self.err_at(p, "expected a node id after `style`");
        }
        self.skip_spaces();
        let sp = self.pos;
        let text = self.rest_of_statement();
        let style = self.parse_styles(&text, sp);
        // Mermaid.js creates the node if it is new. A style for a subgraph
        // id sits on such a provisional node until `finish` moves it over.
        let ix = self.touch_silent(&id);
        merge_style(&mut self.nodes[ix].style, &style);
        self.end_of_statement()
    }

    /// Creates a node without recording a subgraph mention (Mermaid's
    /// `style` creates the vertex but does not move it into a subgraph).
    fn touch_silent(&mut self, id: &str) -> usize {
        if let Some(&ix) = self.node_index.get(id) {
            return ix;
        }
        let open = std::mem::take(&mut self.open);
        let ix = self.touch(id);
        self.open = open;
        ix
    }

    fn link_style(&mut self) -> PResult<()> {
        self.pos += "linkStyle".len();
        self.skip_spaces();
        let target = if self.peek_word() == "default" {
            self.word();
            LinkTarget::Default
        } else {
            let mut ix = Vec::new();
            loop {
                self.skip_spaces();
                let np = self.pos;
                let mut digits = String::new();
                while let Some(c) = self.peek().filter(char::is_ascii_digit) {
                    digits.push(c);
                    self.pos += 1;
                }
                let Ok(n) = digits.parse::<usize>() else {
                    return self
                        .err_at(np, "expected an edge number or `default` after `linkStyle`");
                };
                if n >= self.edges.len() {
                    return self.err_at(
                        np,
                        format!(
                            "linkStyle {n} refers to a missing edge: only {} edge(s) are defined so far (numbering starts at 0)",
                            self.edges.len()
                        ),
                    );
                }
                ix.push(n);
                if self.peek() == Some(',') {
                    self.pos += 1;
                    continue;
                }
                break;
            }
            LinkTarget::Indices(ix)
        };
        self.skip_spaces();
        let mut interpolate = None;
        if self.peek_word() == "interpolate" {
            self.word();
            self.skip_spaces();
            let cp = self.pos;
            let name = self.word();
            match Curve::from_name(&name) {
                Some(c) => interpolate = Some(c),
                None => self.warn_at(cp, format!("unknown curve `{name}`; using the default")),
            }
            self.skip_spaces();
        }
        let sp = self.pos;
        let text = self.rest_of_statement();
        let style = self.parse_styles(&text, sp);
        self.link_styles.push(LinkStyle {
            target,
            style,
            interpolate,
        });
        self.end_of_statement()
    }

    fn click(&mut self) -> PResult<()> {
        self.pos += "click".len();
        self.skip_spaces();
        let p = self.pos;
        let node = self.node_id();
        if node.is_empty() {
            return self.err_at(p, "expected a node id after `click`");
        }
        self.skip_spaces();
        let ap = self.pos;
        let action = if self.peek() == Some('"') {
            let Some((url, _)) = self.quoted() else {
                return self.err_at(ap, "link string is never closed");
            };
            ClickAction::Link { url, target: None }
        } else {
            let w = self.peek_word();
            if w == "href" {
                self.word();
                self.skip_spaces();
                let up = self.pos;
                let Some((url, _)) = self.quoted() else {
                    return self.err_at(up, "expected a quoted URL after `href`");
                };
                ClickAction::Link { url, target: None }
            } else {
                if w == "call" {
                    self.word();
                    self.skip_spaces();
                }
                let np = self.pos;
                let name = self.node_id();
                if name.is_empty() {
                    return self.err_at(
                        np,
                        "expected a URL string or a callback name after the node id",
                    );
                }
                let mut args = None;
                if self.peek() == Some('(') {
                    let a0 = self.pos + 1;
                    let mut k = a0;
                    while k < self.s.len() && self.s[k] != ')' && self.s[k] != '\n' {
                        k += 1;
                    }
                    if self.s.get(k) != Some(&')') {
                        return self
                            .err_at(self.pos, "callback arguments are never closed with `)`");
                    }
                    let a: String = self.s[a0..k].iter().collect();
                    if !a.trim().is_empty() {
                        args = Some(a.trim().to_string());
                    }
                    self.pos = k + 1;
                }
                ClickAction::Callback { name, args }
            }
        };
        let mut tooltip = None;
        let mut action = action;
        loop {
            self.skip_spaces();
            if self.peek() == Some('"') {
                let tp = self.pos;
                let Some((t, _)) = self.quoted() else {
                    return self.err_at(tp, "tooltip string is never closed");
                };
                tooltip = Some(t);
                continue;
            }
            let w = self.peek_word();
            if matches!(w.as_str(), "_self" | "_blank" | "_parent" | "_top") {
                self.word();
                if let ClickAction::Link { target, .. } = &mut action {
                    *target = Some(w);
                }
                continue;
            }
            break;
        }
        self.clicks.push(Click {
            node,
            action,
            tooltip,
        });
        self.end_of_statement()
    }

    fn accessibility(&mut self, which: &str) -> PResult<()> {
        let text = if self.peek() == Some('{') {
            let open = self.pos;
            self.pos += 1;
            let start = self.pos;
            while let Some(c) = self.peek() {
                if c == '}' {
                    break;
                }
                self.pos += 1;
            }
            if self.at_end() {
                return self.err_at(open, format!("`{which} {{` is never closed with `}}`"));
            }
            let t: String = self.s[start..self.pos].iter().collect();
            self.pos += 1;
            t.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            self.pos += 1;
            let start = self.pos;
            while let Some(c) = self.peek() {
                if c == '\n' {
                    break;
                }
                self.pos += 1;
            }
            self.s[start..self.pos]
                .iter()
                .collect::<String>()
                .trim()
                .to_string()
        };
        if which == "accTitle" {
            self.acc_title = Some(text);
        } else {
            self.acc_descr = Some(text);
        }
        self.end_of_statement()
    }

    // ----- assembling the model ------------------------------------------------

    pub fn finish(mut self) -> Result<(Flowchart, Vec<Warning>), ParseError> {
        let sub_ids: HashSet<String> = self.subgraphs.iter().map(|s| s.id.clone()).collect();
        // Ownership: first-closed (innermost) subgraph mentioning a node wins.
        let mut owner: HashMap<String, usize> = HashMap::new();
        let mut parent: Vec<Option<usize>> = self.subgraphs.iter().map(|s| s.parent).collect();
        for &sg in &self.closed_order {
            for m in &self.subgraphs[sg].mentioned {
                if sub_ids.contains(m) {
                    let Some(child) = self.subgraphs.iter().position(|s| &s.id == m) else {
                        continue;
                    };
                    if child != sg && parent[child].is_none() && !is_ancestor(&parent, child, sg) {
                        parent[child] = Some(sg);
                    }
                } else if self.node_index.contains_key(m) {
                    owner.entry(m.clone()).or_insert(sg);
                }
            }
        }
        // Styles and classes addressed to subgraph ids.
        let mut sg_style: HashMap<String, Vec<StyleProp>> = HashMap::new();
        let mut sg_classes: HashMap<String, Vec<String>> = HashMap::new();
        for n in &self.nodes {
            if sub_ids.contains(&n.id) {
                sg_style.insert(n.id.clone(), n.style.clone());
                if !n.classes.is_empty() {
                    sg_classes.insert(n.id.clone(), n.classes.clone());
                }
            }
        }
        for (id, classes) in std::mem::take(&mut self.class_assign) {
            if sub_ids.contains(&id) {
                sg_classes.entry(id).or_default().extend(classes);
            } else if let Some(&ix) = self.node_index.get(&id) {
                self.nodes[ix].classes.extend(classes);
            }
        }
        let nodes: Vec<Node> = self
            .nodes
            .into_iter()
            .filter(|n| !sub_ids.contains(&n.id))
            .collect();
        // Order: depth-first from roots in opening order (parents first).
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); self.subgraphs.len()];
        let mut roots = Vec::new();
        for (i, p) in parent.iter().enumerate() {
            match p {
                Some(p) => children[*p].push(i),
                None => roots.push(i),
            }
        }
        let mut order = Vec::new();
        let mut stack: Vec<usize> = roots.into_iter().rev().collect();
        while let Some(i) = stack.pop() {
            order.push(i);
            for &c in children[i].iter().rev() {
                stack.push(c);
            }
        }
        let mut subgraphs = Vec::new();
        for &i in &order {
            let sg = &self.subgraphs[i];
            let mut members = Vec::new();
            for n in &nodes {
                if owner.get(&n.id) == Some(&i) {
                    members.push(n.id.clone());
                }
            }
            subgraphs.push(Subgraph {
                id: sg.id.clone(),
                title: sg.title.clone(),
                nodes: members,
                children: children[i]
                    .iter()
                    .map(|&c| self.subgraphs[c].id.clone())
                    .collect(),
                direction: sg.direction,
                parent: parent[i].map(|p| self.subgraphs[p].id.clone()),
                classes: sg_classes.remove(&sg.id).unwrap_or_default(),
                style: sg_style.remove(&sg.id).unwrap_or_default(),
            });
        }
        let chart = Flowchart {
            direction: self
                .direction
                .or(self.preset_direction)
                .unwrap_or(Direction::TB),
            nodes,
            edges: self.edges,
            subgraphs,
            class_defs: self.class_defs,
            link_styles: self.link_styles,
            clicks: self.clicks,
            config: self.config,
            acc_title: self.acc_title,
            acc_descr: self.acc_descr,
        };
        Ok((chart, self.warnings))
    }
}

fn is_ancestor(parent: &[Option<usize>], candidate: usize, of: usize) -> bool {
    let mut cur = Some(of);
    let mut steps = 0;
    while let Some(c) = cur {
        if c == candidate {
            return true;
        }
        steps += 1;
        if steps > parent.len() {
            return true;
        }
        cur = parent[c];
    }
    false
}

/// Strips a markdown-string backtick pair: returns the text and whether it
/// was markdown.
fn strip_md(v: &str) -> (String, bool) {
    let cs: Vec<char> = v.chars().collect();
    if cs.len() >= 2 && cs[0] == '`' && cs[cs.len() - 1] == '`' {
        (cs[1..cs.len() - 1].iter().collect(), true)
    } else {
        (v.to_string(), false)
    }
}

/// Splits the body of `@{ ... }` into key/value pairs. Values may be quoted
/// (quotes removed) or bare; YAML block scalars (`|`) are joined by lines.
fn split_pairs(body: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let cs: Vec<char> = body.chars().collect();
    let mut i = 0;
    let skip_sep = |i: &mut usize| {
        while *i < cs.len() && (cs[*i].is_whitespace() || cs[*i] == ',') {
            *i += 1;
        }
    };
    loop {
        skip_sep(&mut i);
        if i >= cs.len() {
            return Ok(out);
        }
        let ks = i;
        while i < cs.len() && cs[i] != ':' && cs[i] != ',' && cs[i] != '\n' {
            i += 1;
        }
        if i >= cs.len() || cs[i] != ':' {
            let k: String = cs[ks..i].iter().collect();
            return Err(format!(
                "expected `key: value` in `@{{ }}`, found `{}`",
                k.trim()
            ));
        }
        let key: String = cs[ks..i].iter().collect::<String>().trim().to_string();
        i += 1;
        while i < cs.len() && (cs[i] == ' ' || cs[i] == '\t') {
            i += 1;
        }
        let value = if i < cs.len() && (cs[i] == '"' || cs[i] == '\'') {
            let q = cs[i];
            let vs = i + 1;
            i = vs;
            while i < cs.len() && cs[i] != q {
                i += 1;
            }
            if i >= cs.len() {
                return Err(format!("value of `{key}` is an unclosed string"));
            }
            let v: String = cs[vs..i].iter().collect();
            i += 1;
            v
        } else if i < cs.len() && cs[i] == '|' {
            // YAML literal block: following more-indented lines.
            while i < cs.len() && cs[i] != '\n' {
                i += 1;
            }
            let mut lines = Vec::new();
            while i < cs.len() {
                let ls = i + 1;
                let mut le = ls;
                while le < cs.len() && cs[le] != '\n' {
                    le += 1;
                }
                let line: String = cs[ls.min(cs.len())..le].iter().collect();
                if line.trim().is_empty() || line.starts_with([' ', '\t']) {
                    if !line.trim().is_empty() {
                        lines.push(line.trim().to_string());
                    }
                    i = le;
                    if le >= cs.len() {
                        break;
                    }
                } else {
                    break;
                }
            }
            lines.join("\n")
        } else {
            let vs = i;
            while i < cs.len() && cs[i] != ',' && cs[i] != '\n' {
                i += 1;
            }
            cs[vs..i].iter().collect::<String>().trim().to_string()
        };
        if key.is_empty() {
            return Err("empty key in `@{ }`".into());
        }
        out.push((key, value));
    }
}
