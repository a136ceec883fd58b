use super::*;
use crate::diagram::model::Shape;

#[test]
fn prepare_lines_up_indices_with_the_chart() {
    let (chart, _) =
        parse::parse("graph TD\nA-->B\nsubgraph S\nB-->C\nend").unwrap_or_else(|e| panic!("{e}"));
    let input = prepare(&chart);
    assert_eq!(input.nodes.len(), 3);
    assert_eq!(input.edges.len(), 2);
    assert_eq!((input.edges[1].from, input.edges[1].to), (1, 2));
    assert_eq!(input.clusters.len(), 1);
    assert_eq!(input.clusters[0].nodes, vec![1, 2]);
}

#[test]
fn boxes_are_larger_than_their_labels() {
    for shape in [
        Shape::Rect,
        Shape::Diamond,
        Shape::Circle,
        Shape::Hexagon,
        Shape::Cylinder,
        Shape::LeanRight,
    ] {
        let (w, h) = node_size(shape, 100.0, 18.0);
        assert!(w > 100.0 && h > 18.0, "{shape:?}: {w}x{h}");
    }
}

#[test]
fn diamond_contains_its_label_corners() {
    let (tw, th) = (120.0, 36.0);
    let (w, h) = node_size(Shape::Diamond, tw, th);
    // Corner of the label box must lie inside the rhombus.
    assert!((tw / 2.0) / (w / 2.0) + (th / 2.0) / (h / 2.0) <= 1.0);
}

#[test]
fn edge_labels_and_min_len_reach_the_layout() {
    let (chart, _) =
        parse::parse("graph LR\nA-- some words --->B").unwrap_or_else(|e| panic!("{e}"));
    let input = prepare(&chart);
    assert_eq!(input.edges[0].min_len, 2);
    let (w, _) = input.edges[0].label_size.unwrap_or_default();
    assert!(w > measure::line_width("some words", FONT_PX));
}

#[test]
fn spacing_and_curve_come_from_config() {
    let (chart, _) = parse::parse("%%{init: {'flowchart': {'nodeSpacing': 20, 'rankSpacing': 90, 'curve': 'stepAfter'}}}%%\ngraph TD\nA-->B")
        .unwrap_or_else(|e| panic!("{e}"));
    let input = prepare(&chart);
    assert_eq!(input.options.node_sep, 20.0);
    assert_eq!(input.options.rank_sep, 90.0);
    assert_eq!(input.options.curve, layout::CurveStyle::Orthogonal);
}

#[test]
fn edges_to_subgraphs_attach_to_a_member_and_empty_subgraphs_get_a_stand_in_node() {
    let (chart, _) = parse::parse("graph TD\nsubgraph S\nX\nend\nsubgraph E\nend\nA-->S\nA-->E")
        .unwrap_or_else(|e| panic!("{e}"));
    let input = prepare(&chart);
    let x = chart
        .nodes
        .iter()
        .position(|n| n.id == "X")
        .unwrap_or(usize::MAX);
    assert_eq!(input.edges[0].to, x);
    assert_eq!(input.edges[0].to_cluster, Some(0));
    assert_eq!(input.edges[0].from_cluster, None);
    assert_eq!(input.nodes.len(), chart.nodes.len() + 1);
    assert_eq!(input.edges[1].to, chart.nodes.len());
    assert_eq!(input.edges[1].to_cluster, Some(1));
    assert!(layout::layout(&input).is_ok());
}

/// `A --> pool`, `pool --> out`, `out --> Z`: the layout JSON draws each
/// of these to the subgraph's outline (as Mermaid does), not into a member,
/// and the subgraphs are ranked wholly after their sources.
#[test]
fn edges_to_and_from_subgraphs_end_on_the_subgraph_box() {
    let src = "flowchart TD\n  A --> pool\n  subgraph pool [Worker pool]\n    W1 --> W2\n    W3\n  end\n  \
               subgraph out [Results]\n    R1 --> R2\n  end\n  pool --> out\n  out --> Z\n  A --> B --> R2\n";
    for dir in ["TD", "LR", "BT", "RL"] {
        let src = src.replace("TD", dir);
        let j = layout_json(&src).unwrap_or_else(|e| panic!("{e}"));
        let v: serde_json::Value = serde_json::from_str(&j).unwrap_or_default();
        let boxes: HashMap<String, [f64; 4]> = v["subgraphs"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(v["nodes"].as_array().into_iter().flatten())
            .map(|b| {
                let f = |k: &str| b[k].as_f64().unwrap_or(f64::NAN);
                let (x, y, w, h) = (f("x"), f("y"), f("w"), f("h"));
                let id = b["id"].as_str().unwrap_or("").to_string();
                (id, [x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0])
            })
            .collect();
        let on_border = |p: &serde_json::Value, b: [f64; 4]| {
            let (x, y) = (
                p[0].as_f64().unwrap_or(f64::NAN),
                p[1].as_f64().unwrap_or(f64::NAN),
            );
            let t = 0.05;
            let inside = x >= b[0] - t && x <= b[2] + t && y >= b[1] - t && y <= b[3] + t;
            let side = [(x - b[0]), (x - b[2]), (y - b[1]), (y - b[3])]
                .iter()
                .any(|d| d.abs() <= t);
            inside && side
        };
        let mut seen = 0;
        for e in v["edges"].as_array().into_iter().flatten() {
            let pts = e["points"].as_array().cloned().unwrap_or_default();
            let (Some(first), Some(last)) = (pts.first(), pts.last()) else {
                panic!("{dir}: edge without points: {e}");
            };
            for (end, id) in [(first, &e["from"]), (last, &e["to"])] {
                let id = id.as_str().unwrap_or("");
                if id == "pool" || id == "out" {
                    seen += 1;
                    assert!(
                        on_border(end, boxes[id]),
                        "{dir}: {e} does not end on {id}'s box"
                    );
                }
            }
        }
        assert_eq!(seen, 4, "{dir}");
        // Ranked after the source: the boxes do not share a rank band.
        let (a, pool, out, z) = (boxes["A"], boxes["pool"], boxes["out"], boxes["Z"]);
        let after = |p: [f64; 4], q: [f64; 4]| match dir {
            "TD" => q[1] >= p[3],
            "BT" => q[3] <= p[1],
            "LR" => q[0] >= p[2],
            _ => q[2] <= p[0],
        };
        assert!(
            after(a, pool) && after(pool, out) && after(out, z),
            "{dir}: {j}"
        );
    }
}

#[test]
fn layout_json_has_the_documented_fields() {
    let j = layout_json("graph LR\nA-->B").unwrap_or_else(|e| panic!("{e}"));
    let v: serde_json::Value = serde_json::from_str(&j).unwrap_or_default();
    assert!(v["width"].as_f64().unwrap_or(0.0) > 0.0);
    assert_eq!(v["nodes"][0]["id"], "A");
    for k in ["x", "y", "w", "h"] {
        assert!(v["nodes"][1][k].is_number(), "{k}");
    }
    assert_eq!(v["edges"][0]["from"], "A");
    assert!(v["edges"][0]["points"][0][0].is_number());
    assert!(v["layout_ms"].is_number());
}

#[test]
fn errors_keep_their_kind_and_position() {
    match render_svg("graph TD\nA-->B )", Theme::Light) {
        Err(DiagramError::Parse(e)) => assert_eq!((e.line, e.col), (2, 7)),
        other => panic!("{other:?}"),
    }
    match layout_json("nonsense") {
        Err(e) => assert!(e.render("nonsense").starts_with("1:1:")),
        Ok(j) => panic!("{j}"),
    }
}

#[test]
fn empty_chart_renders() {
    let svg = render_svg("graph TD", Theme::Dark).unwrap_or_else(|e| panic!("{e}"));
    assert!(svg.contains("</svg>"));
}

#[test]
fn markdown_labels_wrap_at_mermaids_width_and_keep_formatting() {
    let (chart, _) = parse::parse(
        "graph TD\nA[\"`a **very** long markdown label that certainly does not fit in two hundred pixels`\"]",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let shown = display_label(&chart.nodes[0].label);
    assert!(shown.lines.len() >= 2, "{shown:?}");
    for line in shown.lines.iter() {
        let w: f32 = line
            .iter()
            .map(|s| measure::line_width(&s.text, FONT_PX))
            .sum();
        assert!(w <= MARKDOWN_WRAP_PX, "{w}");
    }
    assert!(shown.lines[0]
        .iter()
        .any(|s| s.bold && s.text.contains("very")));
    assert_eq!(shown.text().replace('\n', " "), chart.nodes[0].label.text());
}

#[test]
fn plain_labels_are_not_wrapped() {
    let long = "x ".repeat(80);
    let (chart, _) =
        parse::parse(&format!("graph TD\nA[{long}]")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(display_label(&chart.nodes[0].label).lines.len(), 1);
}

#[test]
fn wrap_label_breaks_cjk_without_spaces() {
    let l = model::Label::plain("并发陷阱与通道泄漏并发陷阱与通道泄漏");
    let w = wrap_label(&l, measure::line_width("并发陷阱", 10.0) + 0.1, 10.0);
    assert_eq!(w.plain_lines()[0], "并发陷阱");
    assert_eq!(
        w.plain_lines().concat(),
        "并发陷阱与通道泄漏并发陷阱与通道泄漏"
    );
}

#[test]
fn odd_subgraph_edges_still_render() {
    for src in [
        "graph TD\nsubgraph S\nA\nend\nS-->A",
        "graph TD\nsubgraph S\nA\nend\nS-->S",
        "graph TD\nsubgraph S\nend\nsubgraph T\nend\nS-->T",
        "graph TD\nsubgraph O\nsubgraph I\nend\nend\nX-->O\nX-->I",
        "graph LR\nA-->A\nA-.->A",
        "graph TD\nsubgraph S\ndirection LR\nA-->B\nend\nB-->S",
    ] {
        let svg = render_svg(src, Theme::Light).unwrap_or_else(|e| panic!("{src}: {e}"));
        assert!(svg.ends_with("</svg>\n"), "{src}");
        layout_json(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    }
}
