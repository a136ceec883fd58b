//! Mermaid's named shapes (`id@{ shape: name }`).

use crate::diagram::model::Shape;

/// Whether a shape name is part of Mermaid's documented set or only one of
/// an internal name that Mermaid.js rejects in `@{ shape: }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeName {
    Documented(Shape),
    Internal(Shape),
}

/// Maps a `shape:` value to a [`Shape`]; `None` for unknown names.
pub fn shape_from_name(name: &str) -> Option<ShapeName> {
    use Shape::*;
    let documented = match name {
        "rect" | "proc" | "process" | "rectangle" => Rect,
        "rounded" | "event" => Rounded,
        "stadium" | "terminal" | "pill" => Stadium,
        "fr-rect" | "subprocess" | "subproc" | "framed-rectangle" | "subroutine" => Subroutine,
        "cyl" | "db" | "database" | "cylinder" => Cylinder,
        "circle" | "circ" => Circle,
        "diam" | "decision" | "diamond" | "question" => Diamond,
        "hex" | "hexagon" | "prepare" => Hexagon,
        "lean-r" | "lean-right" | "in-out" => LeanRight,
        "lean-l" | "lean-left" | "out-in" => LeanLeft,
        "trap-b" | "priority" | "trapezoid-bottom" | "trapezoid" => Trapezoid,
        "trap-t" | "manual" | "trapezoid-top" | "inv-trapezoid" => InvTrapezoid,
        "dbl-circ" | "double-circle" => DoubleCircle,
        "text" => Text,
        "notch-rect" | "card" | "notched-rectangle" => Card,
        "lin-rect" | "lined-rectangle" | "lined-process" | "lin-proc" | "shaded-process" => {
            LinedRect
        }
        "sm-circ" | "start" | "small-circle" => SmallCircle,
        "fr-circ" | "stop" | "framed-circle" => FramedCircle,
        "fork" | "join" => ForkJoin,
        "hourglass" | "collate" => Hourglass,
        "brace" | "comment" | "brace-l" => BraceLeft,
        "brace-r" => BraceRight,
        "braces" => Braces,
        "bolt" | "com-link" | "lightning-bolt" => Bolt,
        "doc" | "document" => Document,
        "delay" | "half-rounded-rectangle" => Delay,
        "h-cyl" | "das" | "horizontal-cylinder" => HorizontalCylinder,
        "lin-cyl" | "disk" | "lined-cylinder" => LinedCylinder,
        "curv-trap" | "curved-trapezoid" | "display" => CurvedTrapezoid,
        "div-rect" | "div-proc" | "divided-rectangle" | "divided-process" => DividedRect,
        "tri" | "extract" | "triangle" => Triangle,
        "win-pane" | "internal-storage" | "window-pane" => WindowPane,
        "f-circ" | "junction" | "filled-circle" => FilledCircle,
        "notch-pent" | "loop-limit" | "notched-pentagon" => NotchedPentagon,
        "flip-tri" | "manual-file" | "flipped-triangle" => FlippedTriangle,
        "sl-rect" | "manual-input" | "sloped-rectangle" => SlopedRect,
        "docs" | "documents" | "st-doc" | "stacked-document" => StackedDocument,
        "st-rect" | "procs" | "processes" | "stacked-rectangle" => StackedRect,
        "bow-rect" | "stored-data" | "bow-tie-rectangle" => BowTieRect,
        "cross-circ" | "summary" | "crossed-circle" => CrossedCircle,
        "tag-doc" | "tagged-document" => TaggedDocument,
        "tag-rect" | "tagged-rectangle" | "tag-proc" | "tagged-process" => TaggedRect,
        "flag" | "paper-tape" => Flag,
        "odd" => Asymmetric,
        "lin-doc" | "lined-document" => LinedDocument,
        "classBox" | "class-box" => ClassBox,
        "datastore" | "data-store" => BowTieRect,
        "state" => State,
        "choice" => Choice,
        "note" => Note,
        "anchor" => Anchor,
        "rectWithTitle" | "labelRect" => Rect,
        "iconSquare" | "iconCircle" | "icon" | "iconRounded" => Icon,
        "imageSquare" => Image,
        "kanbanItem" => Rect,
        "squareRect" => Rect,
        "roundedRect" => Rounded,
        "lean_right" => LeanRight,
        "lean_left" => LeanLeft,
        "inv_trapezoid" => InvTrapezoid,
        "doublecircle" => DoubleCircle,
        "stateStart" => SmallCircle,
        "stateEnd" => FramedCircle,
        "forkJoin" => ForkJoin,
        _ => return internal(name).map(ShapeName::Internal),
    };
    Some(ShapeName::Documented(documented))
}

fn internal(name: &str) -> Option<Shape> {
    use Shape::*;
    Some(match name {
        "rect_left_inv_arrow" => Asymmetric,
        _ => return None,
    })
}
