use super::*;
use crate::diagram::model::*;

fn ok(src: &str) -> Flowchart {
    match parse(src) {
        Ok((c, _)) => c,
        Err(e) => panic!("{}", e.render(src)),
    }
}

fn ok_w(src: &str) -> (Flowchart, Vec<Warning>) {
    match parse(src) {
        Ok(r) => r,
        Err(e) => panic!("{}", e.render(src)),
    }
}

fn err(src: &str) -> ParseError {
    match parse(src) {
        Ok((c, w)) => panic!("expected an error, got {c:?} {w:?}"),
        Err(e) => e,
    }
}

fn portability_warned(src: &str) -> bool {
    ok_w(src).1.iter().any(|w| w.message.contains("Mermaid.js"))
}

fn node<'a>(c: &'a Flowchart, id: &str) -> &'a Node {
    c.node(id)
        .unwrap_or_else(|| panic!("no node {id} in {:?}", c.nodes))
}

fn label(c: &Flowchart, id: &str) -> String {
    node(c, id).label.text()
}

fn shape(src_node: &str) -> Shape {
    let c = ok(&format!("flowchart LR\n{src_node}"));
    c.nodes[0].shape
}

fn single_edge(src_link: &str) -> Edge {
    let c = ok(&format!("graph TD\n{src_link}"));
    assert_eq!(c.edges.len(), 1, "{src_link}: {:?}", c.edges);
    c.edges[0].clone()
}

// ----- header and directions ------------------------------------------------

#[test]
fn header_directions() {
    for (h, d) in [
        ("graph TB", Direction::TB),
        ("graph TD", Direction::TB),
        ("flowchart BT", Direction::BT),
        ("flowchart LR", Direction::LR),
        ("graph RL", Direction::RL),
        ("graph >", Direction::LR),
        ("graph <", Direction::RL),
        ("graph ^", Direction::BT),
        ("graph v", Direction::TB),
    ] {
        assert_eq!(ok(&format!("{h}\nA")).direction, d, "{h}");
    }
}

#[test]
fn header_without_direction_defaults_to_top_bottom() {
    assert_eq!(ok("graph\nA-->B").direction, Direction::TB);
}

#[test]
fn missing_header_is_an_error_at_the_first_word() {
    let e = err("\n  A-->B");
    assert_eq!((e.line, e.col), (2, 3));
    assert!(e.message.contains("header"), "{}", e.message);
}

#[test]
fn unknown_direction_is_an_error() {
    let e = err("graph XY\nA");
    assert_eq!((e.line, e.col), (1, 7));
}

#[test]
fn semicolons_and_newlines_both_separate_statements() {
    let c = ok("graph TD;A-->B;B-->C\nC-->D;");
    assert_eq!(c.edges.len(), 3);
}

#[test]
fn direction_statement_at_top_level_sets_chart_direction() {
    assert_eq!(ok("flowchart TB\ndirection RL\nA").direction, Direction::RL);
}

// ----- nodes ------------------------------------------------------------------

#[test]
fn bare_node_uses_id_as_label() {
    let c = ok("graph TD\nhello");
    assert_eq!(label(&c, "hello"), "hello");
    assert_eq!(node(&c, "hello").shape, Shape::Rect);
}

#[test]
fn bracket_shapes() {
    for (src, s) in [
        ("A[t]", Shape::Rect),
        ("A(t)", Shape::Rounded),
        ("A([t])", Shape::Stadium),
        ("A[[t]]", Shape::Subroutine),
        ("A[(t)]", Shape::Cylinder),
        ("A((t))", Shape::Circle),
        ("A>t]", Shape::Asymmetric),
        ("A{t}", Shape::Diamond),
        ("A{{t}}", Shape::Hexagon),
        ("A[/t/]", Shape::LeanRight),
        ("A[\\t\\]", Shape::LeanLeft),
        ("A[/t\\]", Shape::Trapezoid),
        ("A[\\t/]", Shape::InvTrapezoid),
        ("A(((t)))", Shape::DoubleCircle),
        ("A(-t-)", Shape::Ellipse),
    ] {
        assert_eq!(shape(src), s, "{src}");
        assert_eq!(
            ok(&format!("graph TD\n{src}")).nodes[0].label.text(),
            "t",
            "{src}"
        );
    }
}

#[test]
fn later_mention_with_label_updates_the_node() {
    let c = ok("graph TD\nA-->B\nA[Start here]");
    assert_eq!(label(&c, "A"), "Start here");
    assert_eq!(c.nodes.len(), 2);
}

#[test]
fn nodes_keep_order_of_first_appearance() {
    let c = ok("graph TD\nC-->A\nB-->C");
    let ids: Vec<&str> = c.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["C", "A", "B"]);
}

#[test]
fn ids_may_contain_dashes_dots_and_underscores() {
    let c = ok("graph TD\nmy-node.v2_x-->other");
    assert_eq!(c.edges[0].from, "my-node.v2_x");
}

#[test]
fn ids_may_start_with_digits_and_be_unicode() {
    let c = ok("graph TD\n1st-->节点");
    assert_eq!(c.edges[0].from, "1st");
    assert_eq!(c.edges[0].to, "节点");
}

#[test]
fn id_ending_in_dash_before_asymmetric_shape() {
    let c = ok("graph TD\nA-->odd->flag text]");
    assert_eq!(node(&c, "odd-").shape, Shape::Asymmetric);
    assert_eq!(label(&c, "odd-"), "flag text");
}

#[test]
fn named_shapes() {
    for (name, s) in [
        ("rect", Shape::Rect),
        ("rounded", Shape::Rounded),
        ("stadium", Shape::Stadium),
        ("subproc", Shape::Subroutine),
        ("cyl", Shape::Cylinder),
        ("circle", Shape::Circle),
        ("diam", Shape::Diamond),
        ("hex", Shape::Hexagon),
        ("lean-r", Shape::LeanRight),
        ("lean-l", Shape::LeanLeft),
        ("trap-b", Shape::Trapezoid),
        ("trap-t", Shape::InvTrapezoid),
        ("dbl-circ", Shape::DoubleCircle),
        ("text", Shape::Text),
        ("card", Shape::Card),
        ("lin-rect", Shape::LinedRect),
        ("sm-circ", Shape::SmallCircle),
        ("fr-circ", Shape::FramedCircle),
        ("fork", Shape::ForkJoin),
        ("hourglass", Shape::Hourglass),
        ("brace", Shape::BraceLeft),
        ("brace-r", Shape::BraceRight),
        ("braces", Shape::Braces),
        ("bolt", Shape::Bolt),
        ("doc", Shape::Document),
        ("delay", Shape::Delay),
        ("h-cyl", Shape::HorizontalCylinder),
        ("lin-cyl", Shape::LinedCylinder),
        ("curv-trap", Shape::CurvedTrapezoid),
        ("div-rect", Shape::DividedRect),
        ("tri", Shape::Triangle),
        ("win-pane", Shape::WindowPane),
        ("f-circ", Shape::FilledCircle),
        ("notch-pent", Shape::NotchedPentagon),
        ("flip-tri", Shape::FlippedTriangle),
        ("sl-rect", Shape::SlopedRect),
        ("docs", Shape::StackedDocument),
        ("st-rect", Shape::StackedRect),
        ("bow-rect", Shape::BowTieRect),
        ("cross-circ", Shape::CrossedCircle),
        ("tag-doc", Shape::TaggedDocument),
        ("tag-rect", Shape::TaggedRect),
        ("flag", Shape::Flag),
        ("odd", Shape::Asymmetric),
        ("lin-doc", Shape::LinedDocument),
        ("database", Shape::Cylinder),
        ("decision", Shape::Diamond),
    ] {
        assert_eq!(shape(&format!("A@{{ shape: {name} }}")), s, "{name}");
    }
}

#[test]
fn named_shape_with_label_and_default_label() {
    let c = ok("flowchart TD\nA@{ shape: cyl, label: \"Orders DB\" }\nB@{ shape: diam }");
    assert_eq!(label(&c, "A"), "Orders DB");
    assert_eq!(label(&c, "B"), "B");
}

#[test]
fn named_shape_block_may_span_lines_and_follow_a_bracket_label() {
    let c = ok("flowchart TD\nA[x]@{\n  shape: circle\n  other: \"kept\"\n}\nA-->B");
    assert_eq!(node(&c, "A").shape, Shape::Circle);
    assert_eq!(
        node(&c, "A").data,
        vec![("other".to_string(), "kept".to_string())]
    );
}

#[test]
fn unknown_shape_is_an_error() {
    let e = err("flowchart TD\nA@{ shape: blob }");
    assert_eq!(e.line, 2);
    assert!(e.message.contains("blob"));
}

#[test]
fn internal_only_shape_is_accepted_with_a_warning() {
    assert!(portability_warned(
        "flowchart TD\nA@{ shape: rect_left_inv_arrow }"
    ));
}

#[test]
fn icon_and_image_nodes_keep_their_data() {
    let c = ok("flowchart TD\nA@{ icon: \"fa:user\", form: \"square\", label: \"User\" }\nB@{ img: \"https://x/y.png\", h: 60 }");
    assert_eq!(node(&c, "A").shape, Shape::Icon);
    assert_eq!(label(&c, "A"), "User");
    assert_eq!(node(&c, "B").shape, Shape::Image);
    assert!(node(&c, "B")
        .data
        .iter()
        .any(|(k, v)| k == "img" && v == "https://x/y.png"));
}

#[test]
fn node_data_unclosed_is_an_error() {
    let e = err("flowchart TD\nA@{ shape: rect");
    assert_eq!((e.line, e.col), (2, 3));
}

// ----- labels -----------------------------------------------------------------

#[test]
fn quoted_label_may_hold_brackets() {
    let c = ok("graph TD\nA[\"f(x) = [1] {2}\"]");
    assert_eq!(label(&c, "A"), "f(x) = [1] {2}");
}

#[test]
fn entity_codes_are_decoded() {
    let c = ok("graph TD\nA[\"say #quot;hi#quot; #35; #9829; &lt;tag&gt;\"]");
    assert_eq!(label(&c, "A"), "say \"hi\" # ♥ <tag>");
}

#[test]
fn br_tags_split_lines() {
    for br in ["<br>", "<br/>", "<br />", "<BR>"] {
        let c = ok(&format!("graph TD\nA[one{br}two]"));
        assert_eq!(node(&c, "A").label.plain_lines(), ["one", "two"], "{br}");
    }
}

#[test]
fn markdown_string_bold_italic_and_newlines() {
    let c = ok("graph TD\nA[\"`**Bold** and *it*\n  second`\"]");
    let l = &node(&c, "A").label;
    assert!(l.markdown);
    assert_eq!(l.plain_lines(), ["Bold and it", "second"]);
    assert!(l.lines[0][0].bold && l.lines[0][0].text == "Bold");
    assert!(l.lines[0].iter().any(|s| s.italic && s.text == "it"));
}

#[test]
fn html_bold_tags_become_bold_spans() {
    let c = ok("graph TD\nA[plain <b>strong</b>]");
    let l = &node(&c, "A").label;
    assert!(l.lines[0].iter().any(|s| s.bold && s.text == "strong"));
    assert_eq!(l.text(), "plain strong");
}

#[test]
fn chinese_labels_and_ids() {
    let c = ok("flowchart LR\n开始[开始处理] --> 结束{是否完成？}");
    assert_eq!(label(&c, "开始"), "开始处理");
    assert_eq!(node(&c, "结束").shape, Shape::Diamond);
}

#[test]
fn parentheses_in_square_label_warn_but_parse() {
    let src = "graph TD\nA[call f() now]";
    assert!(portability_warned(src));
    assert_eq!(label(&ok(src), "A"), "call f() now");
}

#[test]
fn nested_round_brackets_in_round_label_warn_but_parse() {
    let src = "graph TD\nA(f(x) = y)-->B";
    assert!(portability_warned(src));
    assert_eq!(label(&ok(src), "A"), "f(x) = y");
}

#[test]
fn plain_labels_do_not_warn() {
    let (_, w) = ok_w("graph TD\nA[Hello, world: 1/2 - ok!]-->B(fine)");
    assert!(w.is_empty(), "{w:?}");
}

#[test]
fn quote_inside_html_attribute_does_not_warn() {
    assert!(!portability_warned("graph TD\nA[<img src=\"x.png\"> text]"));
}

#[test]
fn inner_quotes_in_a_quoted_label_warn_and_keep_the_outer_pair_as_delimiters() {
    let src = "graph TD\nA[\"say \"hi\" now\"]";
    assert!(portability_warned(src));
    assert_eq!(label(&ok(src), "A"), "say \"hi\" now");
}

#[test]
fn string_followed_by_text_in_label_is_read_as_text_with_a_warning() {
    let src = "graph TD\nA[\"a\" b]";
    assert!(portability_warned(src));
    assert_eq!(label(&ok(src), "A"), "\"a\" b");
}

#[test]
fn unclosed_label_reports_the_opening_bracket() {
    let e = err("graph TD\n  A[never closed");
    assert_eq!((e.line, e.col), (2, 4));
    assert!(e.message.contains("never closed"), "{}", e.message);
}

// ----- edges ------------------------------------------------------------------

#[test]
fn edge_kinds_and_markers() {
    let cases = [
        (
            "A-->B",
            Stroke::Solid,
            Marker::None,
            Marker::Arrow,
            EdgeKind::Arrow,
        ),
        (
            "A---B",
            Stroke::Solid,
            Marker::None,
            Marker::None,
            EdgeKind::Open,
        ),
        (
            "A-.->B",
            Stroke::Dotted,
            Marker::None,
            Marker::Arrow,
            EdgeKind::Dotted,
        ),
        (
            "A-.-B",
            Stroke::Dotted,
            Marker::None,
            Marker::None,
            EdgeKind::Dotted,
        ),
        (
            "A==>B",
            Stroke::Thick,
            Marker::None,
            Marker::Arrow,
            EdgeKind::Thick,
        ),
        (
            "A===B",
            Stroke::Thick,
            Marker::None,
            Marker::None,
            EdgeKind::Thick,
        ),
        (
            "A~~~B",
            Stroke::Invisible,
            Marker::None,
            Marker::None,
            EdgeKind::Invisible,
        ),
        (
            "A--oB",
            Stroke::Solid,
            Marker::None,
            Marker::Circle,
            EdgeKind::Arrow,
        ),
        (
            "A--xB",
            Stroke::Solid,
            Marker::None,
            Marker::Cross,
            EdgeKind::Arrow,
        ),
        (
            "A<-->B",
            Stroke::Solid,
            Marker::Arrow,
            Marker::Arrow,
            EdgeKind::Arrow,
        ),
        (
            "A o--o B",
            Stroke::Solid,
            Marker::Circle,
            Marker::Circle,
            EdgeKind::Arrow,
        ),
        (
            "A x--x B",
            Stroke::Solid,
            Marker::Cross,
            Marker::Cross,
            EdgeKind::Arrow,
        ),
        (
            "A<==>B",
            Stroke::Thick,
            Marker::Arrow,
            Marker::Arrow,
            EdgeKind::Thick,
        ),
        (
            "A<-.->B",
            Stroke::Dotted,
            Marker::Arrow,
            Marker::Arrow,
            EdgeKind::Dotted,
        ),
    ];
    for (src, stroke, tail, head, kind) in cases {
        let e = single_edge(src);
        assert_eq!((e.stroke, e.tail, e.head), (stroke, tail, head), "{src}");
        assert_eq!(e.kind(), kind, "{src}");
        assert_eq!((e.from.as_str(), e.to.as_str()), ("A", "B"), "{src}");
        assert_eq!(e.min_len, 1, "{src}");
    }
}

#[test]
fn longer_links_add_ranks() {
    for (src, len) in [
        ("A--->B", 2),
        ("A---->B", 3),
        ("A----B", 2),
        ("A-..->B", 2),
        ("A-...->B", 3),
        ("A===>B", 2),
        ("A====>B", 3),
        ("A~~~~B", 2),
        ("A-- text --->B", 2),
        ("A-. text ..->B", 2),
    ] {
        assert_eq!(single_edge(src).min_len, len, "{src}");
    }
}

#[test]
fn labelled_links() {
    for (src, stroke, head) in [
        ("A-- go -->B", Stroke::Solid, Marker::Arrow),
        ("A -- go --- B", Stroke::Solid, Marker::None),
        ("A-. go .->B", Stroke::Dotted, Marker::Arrow),
        ("A== go ==>B", Stroke::Thick, Marker::Arrow),
        ("A-->|go|B", Stroke::Solid, Marker::Arrow),
        ("A---|go|B", Stroke::Solid, Marker::None),
        ("A-.->|go|B", Stroke::Dotted, Marker::Arrow),
        ("A==>|go|B", Stroke::Thick, Marker::Arrow),
        ("A --> | go | B", Stroke::Solid, Marker::Arrow),
    ] {
        let e = single_edge(src);
        assert_eq!(
            e.label.as_ref().map(Label::text).as_deref(),
            Some("go"),
            "{src}"
        );
        assert_eq!((e.stroke, e.head), (stroke, head), "{src}");
    }
}

#[test]
fn link_label_may_contain_single_dashes_and_quotes() {
    let e = single_edge("A-- a - b -->B");
    assert_eq!(e.label.unwrap().text(), "a - b");
    let e = single_edge("A-->|\"x | y\"|B");
    assert_eq!(e.label.unwrap().text(), "x | y");
}

#[test]
fn chains_make_one_edge_per_hop() {
    let c = ok("graph LR\nA --> B --> C -.- D");
    let pairs: Vec<(&str, &str)> = c
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();
    assert_eq!(pairs, [("A", "B"), ("B", "C"), ("C", "D")]);
    assert_eq!(c.edges[2].stroke, Stroke::Dotted);
}

#[test]
fn ampersand_on_both_sides_makes_all_pairs() {
    let c = ok("graph TD\nA & B --> C & D");
    let pairs: Vec<(&str, &str)> = c
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();
    assert_eq!(pairs, [("A", "C"), ("A", "D"), ("B", "C"), ("B", "D")]);
}

#[test]
fn ampersand_with_shapes_and_chain() {
    let c = ok("graph TD\nA[a] & B(b) --> C{c} --> D");
    assert_eq!(c.edges.len(), 3);
    assert_eq!(node(&c, "B").shape, Shape::Rounded);
}

#[test]
fn edge_ids_and_edge_data() {
    let c = ok("flowchart LR\nA e1@--> B\ne1@{ animate: true }");
    assert_eq!(c.edges[0].id.as_deref(), Some("e1"));
    assert!(c.edges[0].animate);
    assert_eq!(c.nodes.len(), 2, "edge data must not create a node");
}

#[test]
fn edge_curve_from_edge_data() {
    let c = ok("flowchart LR\nA e1@--> B\ne1@{ curve: stepAfter }");
    assert_eq!(c.edges[0].curve, Some(Curve::StepAfter));
}

#[test]
fn statement_may_continue_on_next_line_after_a_node() {
    let c = ok("flowchart TD\nA@{ shape: rect }\n  --> B@{ shape: circle }\n  --> C");
    assert_eq!(c.edges.len(), 2);
}

#[test]
fn class_shorthand_after_node_before_link() {
    let c = ok("graph TD\nA[x]:::hot-->B:::cold");
    assert_eq!(node(&c, "A").classes, ["hot"]);
    assert_eq!(node(&c, "B").classes, ["cold"]);
}

#[test]
fn dotted_link_without_leading_dash() {
    let e = single_edge("R1 .-> R2");
    assert_eq!((e.stroke, e.head), (Stroke::Dotted, Marker::Arrow));
}

#[test]
fn unterminated_labelled_link_is_an_error() {
    let e = err("flowchart TD\n  A[Christmas] --|Get money| B(Go shopping)");
    assert_eq!((e.line, e.col), (2, 16));
}

#[test]
fn link_without_target_mid_diagram_is_an_error() {
    let e = err("graph TD\nA-->\nB-->C;\n;-->D");
    assert!(e.line >= 2);
}

#[test]
fn garbage_after_statement_is_an_error_with_position() {
    let e = err("graph TD\nA-->B )");
    assert_eq!((e.line, e.col), (2, 7));
}

#[test]
fn huge_ampersand_products_are_refused() {
    let side = vec!["n"; 200]
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{n}{i}"))
        .collect::<Vec<_>>()
        .join(" & ");
    let e = err(&format!("graph TD\n{side} --> {side}"));
    assert!(e.message.contains("too many edges"), "{}", e.message);
}

// ----- subgraphs ----------------------------------------------------------------

#[test]
fn subgraph_with_id_and_title() {
    let c = ok("graph TB\nsubgraph one [First part]\n a1-->a2\nend");
    let s = c.subgraph("one").unwrap();
    assert_eq!(s.title.text(), "First part");
    assert_eq!(s.nodes, ["a1", "a2"]);
}

#[test]
fn subgraph_with_quoted_title_gets_generated_id() {
    let c = ok("graph TB\nsubgraph \"Some title\"\n a\nend");
    assert_eq!(c.subgraphs[0].title.text(), "Some title");
    assert_eq!(c.subgraphs[0].id, "subGraph0");
}

#[test]
fn subgraph_title_with_spaces_gets_generated_id() {
    let c = ok("graph TB\nsubgraph Some Title\n a\nend");
    assert_eq!(c.subgraphs[0].title.text(), "Some Title");
    assert_eq!(c.subgraphs[0].id, "subGraph0");
}

#[test]
fn subgraph_with_id_only_uses_id_as_title() {
    let c = ok("graph TB\nsubgraph core\n a\nend");
    assert_eq!(c.subgraphs[0].id, "core");
    assert_eq!(c.subgraphs[0].title.text(), "core");
}

#[test]
fn subgraph_bracket_title_without_space_and_quoted() {
    let c = ok("graph TB\nsubgraph s1[\"Title (v2)\"]\n a\nend");
    assert_eq!(c.subgraphs[0].title.text(), "Title (v2)");
}

#[test]
fn nested_subgraphs_record_parent_children_and_direction() {
    let c = ok("flowchart LR\nsubgraph outer\n direction TB\n x\n subgraph inner\n  direction BT\n  y\n end\nend\nx-->y");
    let outer = c.subgraph("outer").unwrap();
    let inner = c.subgraph("inner").unwrap();
    assert_eq!(outer.children, ["inner"]);
    assert_eq!(inner.parent.as_deref(), Some("outer"));
    assert_eq!(outer.direction, Some(Direction::TB));
    assert_eq!(inner.direction, Some(Direction::BT));
    assert_eq!(outer.nodes, ["x"]);
    assert_eq!(inner.nodes, ["y"]);
    assert_eq!(c.direction, Direction::LR);
    assert_eq!(c.subgraphs[0].id, "outer", "parents come first");
}

#[test]
fn node_belongs_to_innermost_first_subgraph_only() {
    let c =
        ok("graph TD\nsubgraph a\n n1\n subgraph b\n  n1-->n2\n end\nend\nsubgraph c\n n2\nend");
    assert_eq!(c.subgraph("b").unwrap().nodes, ["n1", "n2"]);
    assert!(c.subgraph("a").unwrap().nodes.is_empty());
    assert!(c.subgraph("c").unwrap().nodes.is_empty());
}

#[test]
fn edges_to_and_from_subgraph_ids() {
    let c = ok("graph TD\nsubgraph one\n a\nend\nsubgraph two\n b\nend\none --> two\nc --> one");
    assert!(c.node("one").is_none() && c.node("two").is_none());
    assert_eq!(c.edges[0].from, "one");
    assert_eq!(c.edges[0].to, "two");
    assert_eq!(c.edges[1].to, "one");
}

#[test]
fn subgraph_mentioned_inside_another_becomes_its_child() {
    let c = ok("graph TD\nsubgraph inner\n a\nend\nsubgraph outer\n inner\nend");
    assert_eq!(
        c.subgraph("inner").unwrap().parent.as_deref(),
        Some("outer")
    );
    assert_eq!(c.subgraphs[0].id, "outer");
}

#[test]
fn repeated_subgraph_id_is_merged() {
    let (c, w) = ok_w("graph TD\nsubgraph s\n a\nend\nsubgraph s\n b\nend");
    assert_eq!(c.subgraphs.len(), 1);
    assert_eq!(c.subgraphs[0].nodes, ["a", "b"]);
    assert!(!w.is_empty());
}

#[test]
fn unclosed_subgraph_reports_its_line() {
    let e = err("graph TD\nA\n  subgraph s\n  B");
    assert_eq!((e.line, e.col), (3, 3));
    assert!(e.message.contains("end"));
}

#[test]
fn stray_end_is_an_error() {
    let e = err("graph TD\nA\nend");
    assert_eq!(e.line, 3);
}

#[test]
fn ids_starting_with_end_are_nodes() {
    let c = ok("graph TD\nendpoint-->ending");
    assert_eq!(c.nodes.len(), 2);
}

#[test]
fn keyword_prefixed_ids_warn() {
    for src in [
        "graph TD;end.node",
        "graph TD;style-node",
        "graph TD;graph/node",
        "graph TD;A-->class.x",
    ] {
        assert!(portability_warned(src), "{src}");
    }
    assert!(!portability_warned("graph TD;node.end;a-style-b"));
}

// ----- styling and interaction --------------------------------------------------

#[test]
fn class_def_and_class_assignment() {
    let c = ok(
        "graph TD\nA-->B\nclassDef hot,warm fill:#f96,stroke:#333,stroke-width:4px;\nclass A,B hot",
    );
    assert_eq!(c.class_defs.len(), 2);
    assert_eq!(node(&c, "A").classes, ["hot"]);
    assert_eq!(node(&c, "B").classes, ["hot"]);
    let st = c.node_style(node(&c, "A"));
    assert_eq!(style_value(&st, "fill"), Some("#f96"));
    assert_eq!(style_value(&st, "stroke-width"), Some("4px"));
}

#[test]
fn default_class_applies_to_every_node() {
    let c = ok("graph TD\nA\nclassDef default fill:#eee");
    assert_eq!(
        style_value(&c.node_style(node(&c, "A")), "fill"),
        Some("#eee")
    );
}

#[test]
fn inline_style_overrides_class() {
    let c = ok(
        "graph TD\nA:::c\nclassDef c fill:#111,color:#fff\nstyle A fill:#222,stroke-dasharray: 5 5",
    );
    let st = c.node_style(node(&c, "A"));
    assert_eq!(style_value(&st, "fill"), Some("#222"));
    assert_eq!(style_value(&st, "color"), Some("#fff"));
    assert_eq!(style_value(&st, "stroke-dasharray"), Some("5 5"));
}

#[test]
fn style_and_class_on_subgraph() {
    let c = ok(
        "graph TD\nsubgraph s\n a\nend\nstyle s fill:#abc\nclass s box\nclassDef box stroke:#f00",
    );
    let s = c.subgraph("s").unwrap();
    let st = c.subgraph_style(s);
    assert_eq!(style_value(&st, "fill"), Some("#abc"));
    assert_eq!(style_value(&st, "stroke"), Some("#f00"));
    assert!(c.node("s").is_none());
}

#[test]
fn link_style_indices_default_and_interpolate() {
    let c = ok("graph TD\nA-->B\nB-->C\nC-->D\nlinkStyle 0,2 stroke:#f00,stroke-width:2px\nlinkStyle default stroke:#999\nlinkStyle 1 interpolate step stroke:#0f0");
    assert_eq!(style_value(&c.edge_style(0), "stroke"), Some("#f00"));
    assert_eq!(style_value(&c.edge_style(1), "stroke"), Some("#0f0"));
    assert_eq!(style_value(&c.edge_style(2), "stroke-width"), Some("2px"));
    assert_eq!(c.edge_curve(1), Some(Curve::Step));
    assert_eq!(c.edge_curve(0), None);
}

#[test]
fn link_style_out_of_range_is_an_error() {
    let e = err("graph TD\nA-->B\nlinkStyle 1 stroke-width:1px;");
    assert_eq!((e.line, e.col), (3, 11));
}

#[test]
fn click_forms() {
    let c = ok(concat!(
        "graph TD\nA-->B\nB-->C\nC-->D\n",
        "click A \"https://example.com\" \"Open it\" _blank\n",
        "click B href \"https://b.example\"\n",
        "click C callback \"Tip\"\n",
        "click D call doThing(\"x\", 2)\n"
    ));
    assert_eq!(c.clicks.len(), 4);
    assert_eq!(
        c.clicks[0].action,
        ClickAction::Link {
            url: "https://example.com".into(),
            target: Some("_blank".into())
        }
    );
    assert_eq!(c.clicks[0].tooltip.as_deref(), Some("Open it"));
    assert_eq!(
        c.clicks[1].action,
        ClickAction::Link {
            url: "https://b.example".into(),
            target: None
        }
    );
    assert_eq!(
        c.clicks[2].action,
        ClickAction::Callback {
            name: "callback".into(),
            args: None
        }
    );
    assert_eq!(
        c.clicks[3].action,
        ClickAction::Callback {
            name: "doThing".into(),
            args: Some("\"x\", 2".into())
        }
    );
}

// ----- comments, config, accessibility --------------------------------------------

#[test]
fn comments_are_ignored_everywhere() {
    let c =
        ok("%% leading\ngraph TD %% after header\n%% own line\nA-->B %% trailing\n  %% indented");
    assert_eq!(c.edges.len(), 1);
}

#[test]
fn init_directive_sets_curve_and_spacing_and_warns_on_rest() {
    let (c, w) = ok_w("%%{init: {'theme':'dark', 'flowchart': {'curve': 'linear', nodeSpacing: 30, \"rankSpacing\": 70, htmlLabels: false}}}%%\ngraph TD\nA-->B");
    assert_eq!(c.config.curve, Some(Curve::Linear));
    assert_eq!(c.config.node_spacing, Some(30.0));
    assert_eq!(c.config.rank_spacing, Some(70.0));
    assert_eq!(c.config.theme.as_deref(), Some("dark"));
    assert!(w.iter().any(|w| w.message.contains("htmlLabels")), "{w:?}");
}

#[test]
fn multi_line_init_directive_keeps_line_numbers() {
    let src = "%%{\n  init: { \"flowchart\": { \"curve\": \"basis\" } }\n}%%\ngraph TD\nA-->B )";
    let e = err(src);
    assert_eq!(e.line, 5);
}

#[test]
fn front_matter_config() {
    let src = "---\ntitle: Pipeline\nconfig:\n  look: handDrawn\n  flowchart:\n    curve: stepBefore\n    rankSpacing: 90\n---\nflowchart LR\nA-->B";
    let (c, w) = ok_w(src);
    assert_eq!(c.config.title.as_deref(), Some("Pipeline"));
    assert_eq!(c.config.curve, Some(Curve::StepBefore));
    assert_eq!(c.config.rank_spacing, Some(90.0));
    assert!(
        w.iter().any(|w| w.message.contains("look") && w.line == 4),
        "{w:?}"
    );
}

#[test]
fn front_matter_direction_applies_when_header_has_none() {
    assert_eq!(
        ok("---\nconfig:\n  flowchart:\n    direction: RL\n---\nflowchart\nA").direction,
        Direction::RL
    );
    assert_eq!(
        ok("---\ndirection: RL\n---\nflowchart TB\nA").direction,
        Direction::TB
    );
}

#[test]
fn unclosed_front_matter_is_an_error() {
    let e = err("---\ntitle: x\ngraph TD\nA");
    assert_eq!(e.line, 1);
}

#[test]
fn errors_after_front_matter_keep_source_lines() {
    let e = err("---\ntitle: x\n---\ngraph TD\nA-->B )");
    assert_eq!(e.line, 5);
}

#[test]
fn accessibility_title_and_descriptions() {
    let c = ok("graph LR\naccTitle: Big picture\naccDescr: One line\nA-->B");
    assert_eq!(c.acc_title.as_deref(), Some("Big picture"));
    assert_eq!(c.acc_descr.as_deref(), Some("One line"));
    let c = ok("graph LR\naccDescr {\n  first line\n  second line\n}\nA-->B");
    assert_eq!(c.acc_descr.as_deref(), Some("first line\nsecond line"));
}

#[test]
fn crlf_line_endings_and_byte_order_mark() {
    let c = ok("\u{feff}graph TD\r\nA[one] --> B\r\n%% note\r\nsubgraph s [T]\r\n  B\r\nend\r\n");
    assert_eq!(c.edges.len(), 1);
    assert_eq!(label(&c, "A"), "one");
    assert_eq!(
        c.subgraph("s").map(|s| s.nodes.clone()),
        Some(vec!["B".to_string()])
    );
    let e = err("graph TD\r\nA --> B )\r\n");
    assert_eq!((e.line, e.col), (2, 9));
}

// ----- errors ---------------------------------------------------------------------

#[test]
fn render_shows_position_line_and_caret() {
    let src = "graph TD\n  A-->B )";
    let e = err(src);
    let r = e.render(src);
    assert_eq!(r, format!("2:9: {}\n  A-->B )\n        ^", e.message));
}

#[test]
fn render_survives_positions_outside_the_source() {
    let e = ParseError {
        line: 99,
        col: 5,
        message: "m".into(),
    };
    assert!(e.render("x").starts_with("99:5: m"));
}

#[test]
fn model_serializes_to_json() {
    let c = ok("graph TD\nA[\"a\"]-->|l|B");
    let j = serde_json::to_string(&c).unwrap_or_default();
    assert!(
        j.contains("\"direction\":\"TB\"") && j.contains("\"min_len\":1"),
        "{j}"
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    const VALID: &[&str] = &[
        "graph TD\nA[Start] --> B{Ok?}\nB -->|yes| C(Done)\nB -- no --> D[[Retry]]\nD -.-> A",
        "flowchart LR\nsubgraph s1 [Group]\n direction TB\n a & b ==> c\nend\nclassDef x fill:#f00\nclass a x\nlinkStyle 0 stroke:red\nclick a \"http://x\"",
        "%%{init: {'flowchart': {'curve': 'basis'}}}%%\ngraph TD\nA@{ shape: cyl, label: \"DB\" } e1@--> B>\"flag\"]\ne1@{ animate: true }",
        "---\nconfig:\n  flowchart:\n    curve: linear\n---\nflowchart TB\nA[\"`**md** text`\"] --- B((c)) ~~~ C[/p/]\naccDescr { multi\n line }",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn never_panics_on_arbitrary_text(s in "\\PC{0,200}") {
            let _ = parse(&s);
            let _ = parse(&format!("graph TD\n{s}"));
        }

        #[test]
        fn never_panics_on_mermaid_like_soup(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("-->"), Just("---"), Just("-."), Just(".->"), Just("=="), Just("~~~"),
                    Just("["), Just("]"), Just("("), Just(")"), Just("{"), Just("}"), Just("@{"),
                    Just("\""), Just("`"), Just("|"), Just("&"), Just(":::"), Just(";"), Just("\n"),
                    Just("subgraph "), Just("end"), Just("A"), Just("B"), Just(" "), Just("%%"),
                    Just("#quot;"), Just("<br>"), Just("shape: "), Just("classDef "), Just("style "),
                    Just("linkStyle 0 "), Just("click "), Just("%%{init: {"), Just("}%%"), Just("---\n"),
                    Just("x"), Just("o"), Just("<"), Just(">"), Just("/"), Just("\\"), Just("中"),
                ],
                0..40,
            )
        ) {
            let body: String = parts.concat();
            let _ = parse(&body);
            let _ = parse(&format!("flowchart LR\n{body}"));
        }

        #[test]
        fn never_panics_on_mutated_valid_diagrams(
            which in 0..VALID.len(),
            edits in proptest::collection::vec((any::<u16>(), any::<char>(), 0u8..3), 1..6)
        ) {
            let mut chars: Vec<char> = VALID[which].chars().collect();
            for (pos, c, op) in edits {
                let p = if chars.is_empty() { 0 } else { pos as usize % (chars.len() + 1) };
                match op {
                    0 => chars.insert(p, c),
                    1 if p < chars.len() => { chars.remove(p); }
                    _ => chars.truncate(p),
                }
            }
            let s: String = chars.into_iter().collect();
            if let Err(e) = parse(&s) {
                // Errors must point inside the text (or just past its end).
                let lines = s.split('\n').count();
                prop_assert!(e.line >= 1 && e.line <= lines, "{e:?} for {s:?}");
                let _ = e.render(&s);
            }
        }
    }

    #[test]
    fn valid_samples_parse() {
        for s in VALID {
            ok(s);
        }
    }
}
