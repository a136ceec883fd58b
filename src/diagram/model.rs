//! The flowchart as parsed: pure data, no layout, no painting.
//!
//! Everything refers to nodes and subgraphs by their source id so the model
//! reads like the diagram text and serialises to stable JSON.

use serde::Serialize;

/// Flow direction of a chart or of one subgraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Direction {
    /// Top to bottom (`TB` and `TD`).
    TB,
    /// Bottom to top.
    BT,
    /// Left to right.
    LR,
    /// Right to left.
    RL,
}

impl Direction {
    /// Parses the direction keywords Mermaid accepts, including the arrow
    /// shorthands (`>`, `<`, `^`, `v`).
    pub fn from_keyword(word: &str) -> Option<Direction> {
        match word {
            "TB" | "TD" | "v" => Some(Direction::TB),
            "BT" | "^" => Some(Direction::BT),
            "LR" | ">" => Some(Direction::LR),
            "RL" | "<" => Some(Direction::RL),
            _ => None,
        }
    }

    /// True when ranks run horizontally (edges go sideways).
    pub fn is_horizontal(self) -> bool {
        matches!(self, Direction::LR | Direction::RL)
    }
}

/// One run of label text with its inline formatting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

impl Span {
    pub fn plain(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            bold: false,
            italic: false,
        }
    }
}

/// A label: one or more lines, each a sequence of formatted spans. Entity
/// codes are already decoded and `<br>` already split into lines.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Label {
    pub lines: Vec<Vec<Span>>,
    /// Came from a markdown string (`"` + backtick ... backtick + `"`), which
    /// Mermaid wraps automatically.
    pub markdown: bool,
}

impl Label {
    /// A single unformatted line.
    pub fn plain(text: &str) -> Label {
        Label {
            lines: vec![vec![Span::plain(text)]],
            markdown: false,
        }
    }

    /// The lines without formatting.
    pub fn plain_lines(&self) -> Vec<String> {
        self.lines
            .iter()
            .map(|spans| spans.iter().map(|s| s.text.as_str()).collect())
            .collect()
    }

    /// All lines joined with `\n`.
    pub fn text(&self) -> String {
        self.plain_lines().join("\n")
    }

    pub fn is_empty(&self) -> bool {
        self.lines
            .iter()
            .all(|l| l.iter().all(|s| s.text.is_empty()))
    }
}

/// Node shapes: the bracket forms plus Mermaid's named `@{ shape: ... }` set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Shape {
    Rect,
    Rounded,
    Stadium,
    Subroutine,
    Cylinder,
    Circle,
    DoubleCircle,
    /// `>text]`, Mermaid's "odd" flag shape.
    Asymmetric,
    Diamond,
    Hexagon,
    /// `[/text/]`, leaning right.
    LeanRight,
    /// `[\text\]`, leaning left.
    LeanLeft,
    /// `[/text\]`, wide base at the bottom.
    Trapezoid,
    /// `[\text/]`, wide base at the top.
    InvTrapezoid,
    /// `(-text-)`.
    Ellipse,
    Text,
    Card,
    LinedRect,
    SmallCircle,
    FramedCircle,
    ForkJoin,
    Hourglass,
    BraceLeft,
    BraceRight,
    Braces,
    Bolt,
    Document,
    Delay,
    HorizontalCylinder,
    LinedCylinder,
    CurvedTrapezoid,
    DividedRect,
    Triangle,
    WindowPane,
    FilledCircle,
    NotchedPentagon,
    FlippedTriangle,
    SlopedRect,
    StackedDocument,
    StackedRect,
    BowTieRect,
    CrossedCircle,
    TaggedDocument,
    TaggedRect,
    Flag,
    LinedDocument,
    /// Mermaid's state-diagram helpers that flowcharts also accept.
    State,
    Choice,
    Note,
    Anchor,
    ClassBox,
    /// `icon: "fa:user"`; the icon itself is not drawn, only its frame.
    Icon,
    /// `img: "url"`; the image is not fetched, only its frame is drawn.
    Image,
}

/// A `key:value` pair from `style`, `classDef` or `linkStyle`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StyleProp {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    pub id: String,
    pub label: Label,
    pub shape: Shape,
    /// Classes from `class`, `:::` and `classDef default` in source order.
    pub classes: Vec<String>,
    /// Inline `style id ...` properties (later statements override earlier).
    pub style: Vec<StyleProp>,
    /// Extra `@{ ... }` keys we keep but do not interpret (icon, img, pos, ...).
    pub data: Vec<(String, String)>,
}

/// How an edge's line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Stroke {
    Solid,
    Dotted,
    Thick,
    Invisible,
}

/// The mark at an edge end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Marker {
    None,
    Arrow,
    Circle,
    Cross,
}

/// Edge kind as Mermaid users name it; derived from stroke and head marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum EdgeKind {
    Arrow,
    Open,
    Dotted,
    Thick,
    Invisible,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edge {
    /// Node or subgraph id.
    pub from: String,
    /// Node or subgraph id.
    pub to: String,
    pub stroke: Stroke,
    /// Marker at the `to` end.
    pub head: Marker,
    /// Marker at the `from` end.
    pub tail: Marker,
    /// Minimum number of ranks between the ends (1 for `-->`, 2 for `--->`).
    pub min_len: u32,
    pub label: Option<Label>,
    pub id: Option<String>,
    /// Set by `id@{ animate: true }`; kept for renderers that animate.
    pub animate: bool,
    /// Per-edge curve from `id@{ curve: ... }` or `linkStyle ... interpolate`.
    pub curve: Option<Curve>,
}

impl Edge {
    pub fn kind(&self) -> EdgeKind {
        match self.stroke {
            Stroke::Invisible => EdgeKind::Invisible,
            Stroke::Dotted => EdgeKind::Dotted,
            Stroke::Thick => EdgeKind::Thick,
            Stroke::Solid if self.head == Marker::None => EdgeKind::Open,
            Stroke::Solid => EdgeKind::Arrow,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subgraph {
    pub id: String,
    pub title: Label,
    /// Node ids owned by this subgraph (a node belongs to one subgraph only:
    /// the innermost one that mentions it first).
    pub nodes: Vec<String>,
    /// Ids of directly nested subgraphs.
    pub children: Vec<String>,
    pub direction: Option<Direction>,
    pub parent: Option<String>,
    pub classes: Vec<String>,
    pub style: Vec<StyleProp>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassDef {
    pub name: String,
    pub style: Vec<StyleProp>,
}

/// Which edges a `linkStyle` applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum LinkTarget {
    Default,
    /// 0-based edge indices in declaration order.
    Indices(Vec<usize>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkStyle {
    pub target: LinkTarget,
    pub style: Vec<StyleProp>,
    pub interpolate: Option<Curve>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ClickAction {
    Link {
        url: String,
        /// `_self`, `_blank`, `_parent` or `_top`.
        target: Option<String>,
    },
    Callback {
        name: String,
        /// Raw argument text between the parentheses, if any.
        args: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Click {
    pub node: String,
    pub action: ClickAction,
    pub tooltip: Option<String>,
}

/// Edge interpolation, as named by Mermaid's `curve` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Curve {
    Basis,
    BumpX,
    BumpY,
    Cardinal,
    CatmullRom,
    Linear,
    MonotoneX,
    MonotoneY,
    Natural,
    Step,
    StepAfter,
    StepBefore,
}

impl Curve {
    pub fn from_name(name: &str) -> Option<Curve> {
        Some(match name {
            "basis" => Curve::Basis,
            "bumpX" => Curve::BumpX,
            "bumpY" => Curve::BumpY,
            "cardinal" => Curve::Cardinal,
            "catmullRom" => Curve::CatmullRom,
            "linear" => Curve::Linear,
            "monotoneX" => Curve::MonotoneX,
            "monotoneY" => Curve::MonotoneY,
            "natural" => Curve::Natural,
            "step" => Curve::Step,
            "stepAfter" => Curve::StepAfter,
            "stepBefore" => Curve::StepBefore,
            _ => return None,
        })
    }

    /// Curves that the renderer draws as smooth splines rather than polylines.
    pub fn is_smooth(self) -> bool {
        !matches!(
            self,
            Curve::Linear | Curve::Step | Curve::StepAfter | Curve::StepBefore
        )
    }
}

/// Settings taken from front matter or `%%{init}%%` that apply to flowcharts.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Config {
    pub curve: Option<Curve>,
    pub node_spacing: Option<f32>,
    pub rank_spacing: Option<f32>,
    /// Front-matter `title:`.
    pub title: Option<String>,
    /// `theme:` as given (`dark`, `default`, ...).
    pub theme: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flowchart {
    pub direction: Direction,
    /// In order of first appearance.
    pub nodes: Vec<Node>,
    /// In declaration order (the order `linkStyle` indices use).
    pub edges: Vec<Edge>,
    /// Parents before children, otherwise in order of their `subgraph` line.
    pub subgraphs: Vec<Subgraph>,
    pub class_defs: Vec<ClassDef>,
    pub link_styles: Vec<LinkStyle>,
    pub clicks: Vec<Click>,
    pub config: Config,
    pub acc_title: Option<String>,
    pub acc_descr: Option<String>,
}

impl Flowchart {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    pub fn subgraph(&self, id: &str) -> Option<&Subgraph> {
        self.subgraphs.iter().find(|s| s.id == id)
    }

    pub fn class_def(&self, name: &str) -> Option<&ClassDef> {
        self.class_defs.iter().rev().find(|c| c.name == name)
    }

    /// Effective style of a node: `classDef default`, then its classes in
    /// order, then its inline `style`; later keys win.
    pub fn node_style(&self, node: &Node) -> Vec<StyleProp> {
        let mut out = Vec::new();
        if let Some(d) = self.class_def("default") {
            merge_style(&mut out, &d.style);
        }
        for class in &node.classes {
            if let Some(c) = self.class_def(class) {
                merge_style(&mut out, &c.style);
            }
        }
        merge_style(&mut out, &node.style);
        out
    }

    /// Effective style of a subgraph box (its classes, then inline style).
    pub fn subgraph_style(&self, sg: &Subgraph) -> Vec<StyleProp> {
        let mut out = Vec::new();
        for class in &sg.classes {
            if let Some(c) = self.class_def(class) {
                merge_style(&mut out, &c.style);
            }
        }
        merge_style(&mut out, &sg.style);
        out
    }

    /// Effective `linkStyle` of edge `index`: `default` first, then every
    /// statement naming the index, later ones winning.
    pub fn edge_style(&self, index: usize) -> Vec<StyleProp> {
        let mut out = Vec::new();
        for ls in &self.link_styles {
            if ls.target == LinkTarget::Default {
                merge_style(&mut out, &ls.style);
            }
        }
        for ls in &self.link_styles {
            if let LinkTarget::Indices(ix) = &ls.target {
                if ix.contains(&index) {
                    merge_style(&mut out, &ls.style);
                }
            }
        }
        out
    }

    /// The curve for edge `index`: its own, else `linkStyle` interpolate,
    /// else the chart's.
    pub fn edge_curve(&self, index: usize) -> Option<Curve> {
        let edge = self.edges.get(index)?;
        if edge.curve.is_some() {
            return edge.curve;
        }
        let mut curve = None;
        for ls in &self.link_styles {
            let applies = match &ls.target {
                LinkTarget::Default => true,
                LinkTarget::Indices(ix) => ix.contains(&index),
            };
            if applies && ls.interpolate.is_some() {
                curve = ls.interpolate;
            }
        }
        curve.or(self.config.curve)
    }
}

/// Overlays `src` on `dst`, replacing keys already present.
pub fn merge_style(dst: &mut Vec<StyleProp>, src: &[StyleProp]) {
    for p in src {
        if let Some(existing) = dst.iter_mut().find(|e| e.key == p.key) {
            existing.value = p.value.clone();
        } else {
            dst.push(p.clone());
        }
    }
}

/// Looks a key up in a style list.
pub fn style_value<'a>(style: &'a [StyleProp], key: &str) -> Option<&'a str> {
    style
        .iter()
        .rev()
        .find(|p| p.key == key)
        .map(|p| p.value.as_str())
}
