use super::*;
use crate::diagram::layout::{ClusterBox, EdgeRoute, Layout, NodeBox, Point};
use crate::diagram::model::Flowchart;
use crate::diagram::parse::parse;
use crate::diagram::{prepare, render_svg};

/// A layout made by hand (nodes in a row, straight edges) so the golden
/// files test the SVG writer, not the layout engine's current choices.
fn row_layout(chart: &Flowchart) -> Layout {
    let input = prepare(chart);
    let mut x = 0.0;
    let nodes: Vec<NodeBox> = input
        .nodes
        .iter()
        .map(|n| {
            let b = NodeBox {
                x: x + n.width / 2.0 + 30.0,
                y: 80.0,
                w: n.width,
                h: n.height,
            };
            x += n.width + 60.0;
            b
        })
        .collect();
    let edges = input
        .edges
        .iter()
        .map(|e| {
            let (a, b) = (nodes[e.from], nodes[e.to]);
            let p0 = Point {
                x: a.x + a.w / 2.0,
                y: a.y,
            };
            let p1 = Point {
                x: b.x - b.w / 2.0,
                y: b.y,
            };
            EdgeRoute {
                points: vec![p0, p1],
                bezier: None,
                label: e.label_size.map(|_| Point {
                    x: (p0.x + p1.x) / 2.0,
                    y: 40.0,
                }),
                reversed: false,
            }
        })
        .collect();
    let clusters = input
        .clusters
        .iter()
        .map(|c| {
            let (mut lo, mut hi) = (f32::MAX, f32::MIN);
            for &v in &c.nodes {
                lo = lo.min(nodes[v].x - nodes[v].w / 2.0);
                hi = hi.max(nodes[v].x + nodes[v].w / 2.0);
            }
            ClusterBox {
                x: lo - 12.0,
                y: 20.0,
                w: hi - lo + 24.0,
                h: 110.0,
            }
        })
        .collect();
    Layout {
        width: x + 30.0,
        height: 160.0,
        nodes,
        edges,
        clusters,
    }
}

fn svg_of(src: &str, theme: Theme) -> String {
    let (chart, _) = parse(src).unwrap_or_else(|e| panic!("{}", e.render(src)));
    let layout = row_layout(&chart);
    render(&chart, &layout, theme, id_prefix(src))
}

/// Minimal XML well-formedness check: balanced tags, quoted attributes,
/// no raw `<`/`&` in text. Returns the element names in document order.
fn check_xml(s: &str) -> Vec<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut names = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'<' => {
                let end = s[i..].find('>').map(|e| i + e).expect("unclosed tag");
                let tag = &s[i + 1..end];
                assert!(!tag.contains('<'), "'<' inside tag: {tag}");
                if let Some(name) = tag.strip_prefix('/') {
                    let open = stack.pop().expect("close without open");
                    assert_eq!(open, name.trim(), "mismatched close");
                } else {
                    let self_closing = tag.ends_with('/');
                    let name: String = tag
                        .chars()
                        .take_while(|c| !c.is_whitespace() && *c != '/')
                        .collect();
                    // Attributes: name="value" pairs only.
                    let attrs = tag[name.len()..].trim_end_matches('/');
                    let mut rest = attrs.trim();
                    while !rest.is_empty() {
                        let eq = rest
                            .find("=\"")
                            .unwrap_or_else(|| panic!("bad attribute in <{tag}>"));
                        let an = &rest[..eq];
                        assert!(
                            an.chars()
                                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':'),
                            "attr name {an:?}"
                        );
                        let after = &rest[eq + 2..];
                        let close = after.find('"').expect("unterminated attribute");
                        assert!(!after[..close].contains('<'));
                        names.push(format!("@{an}"));
                        rest = after[close + 1..].trim_start();
                    }
                    names.push(name.clone());
                    if !self_closing {
                        stack.push(name);
                    }
                }
                i = end + 1;
            }
            b'&' => {
                let semi = s[i..].find(';').expect("bare &");
                let ent = &s[i + 1..i + semi];
                assert!(
                    ["amp", "lt", "gt", "quot", "#39"].contains(&ent),
                    "entity {ent}"
                );
                i += semi + 1;
            }
            _ => i += 1,
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    names
}

#[test]
fn escape_covers_markup_characters() {
    assert_eq!(
        escape("<a href=\"x\">'&'</a>"),
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
    );
    assert_eq!(escape("ok\u{1}"), "ok");
}

#[test]
fn labels_cannot_inject_elements_or_attributes() {
    let src = "graph LR\nA[\"</text><script>alert(1)</script>\"] -->|\" onload=\"x| B[\" onload=\"x]\nsubgraph S [\"<g onload='y'>\"]\nB\nend\nclick A \"javascript:alert(1)\"";
    let svg = svg_of(src, Theme::Light);
    let names = check_xml(&svg);
    assert!(!names.iter().any(|n| n == "script"), "{svg}");
    assert!(
        !names.iter().any(|n| n.eq_ignore_ascii_case("@onload")),
        "{svg}"
    );
    assert!(svg.contains("&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!svg.contains("javascript"));
}

#[test]
fn click_links_become_anchors_only_for_safe_urls() {
    let svg = svg_of(
        "graph LR\nA-->B-->C\nclick A \"https://example.com/?a=1&b=2\" \"Open <docs>\" _blank\nclick B \"javascript:alert(1)\"\nclick C \"notes/other.md\"",
        Theme::Light,
    );
    check_xml(&svg);
    assert!(svg.contains("<a xlink:href=\"https://example.com/?a=1&amp;b=2\" target=\"_blank\">"));
    assert!(svg.contains("<title>Open &lt;docs&gt;</title>"));
    assert!(svg.contains("<a xlink:href=\"notes/other.md\">"));
    assert!(!svg.contains("javascript"));
    assert_eq!(svg.matches("<a ").count(), 2);
}

#[test]
fn safe_url_rules() {
    for good in [
        "https://x.y",
        "HTTP://x",
        "mailto:a@b.c",
        "rel/path.md",
        "#anchor",
        "page?x=a:b",
    ] {
        assert!(safe_url(good).is_some(), "{good}");
    }
    for bad in [
        "javascript:alert(1)",
        " JavaScript:x",
        "data:text/html,x",
        "file:///etc/passwd",
        "vbscript:x",
        "",
    ] {
        assert!(safe_url(bad).is_none(), "{bad}");
    }
}

#[test]
fn node_ids_and_titles_are_escaped_too() {
    let src = "---\ntitle: a<b>&\"c\n---\ngraph LR\nx'y-->z\naccDescr: <desc/>";
    let svg = svg_of(src, Theme::Light);
    check_xml(&svg);
    assert!(svg.contains("data-id=\"x&#39;y\""));
    assert!(svg.contains("<title id="));
}

#[test]
fn hostile_style_values_are_dropped() {
    let src = "graph LR\nA\nstyle A fill:url(http://evil/x),stroke:red\" onload=\"x,color:#123";
    let svg = svg_of(src, Theme::Light);
    check_xml(&svg);
    assert!(!svg.contains("evil"));
    assert!(!svg.contains("onload"));
    assert!(svg.contains("fill=\"#123\""), "color applies to the text");
}

#[test]
fn every_shape_draws_something_well_formed() {
    let mut src = String::from("flowchart LR\n");
    for (i, name) in [
        "rect",
        "rounded",
        "stadium",
        "subproc",
        "cyl",
        "circle",
        "dbl-circ",
        "odd",
        "diam",
        "hex",
        "lean-r",
        "lean-l",
        "trap-b",
        "trap-t",
        "text",
        "card",
        "lin-rect",
        "sm-circ",
        "fr-circ",
        "fork",
        "hourglass",
        "brace",
        "brace-r",
        "braces",
        "bolt",
        "doc",
        "delay",
        "h-cyl",
        "lin-cyl",
        "curv-trap",
        "div-rect",
        "tri",
        "win-pane",
        "f-circ",
        "notch-pent",
        "flip-tri",
        "sl-rect",
        "docs",
        "st-rect",
        "bow-rect",
        "cross-circ",
        "tag-doc",
        "tag-rect",
        "flag",
        "lin-doc",
    ]
    .iter()
    .enumerate()
    {
        src.push_str(&format!("n{i}@{{ shape: {name}, label: \"{name}\" }}\n"));
    }
    src.push_str("e1(-ellipse-)\n");
    let svg = svg_of(&src, Theme::Dark);
    check_xml(&svg);
    let groups: Vec<&str> = svg.split("<g class=\"node\"").skip(1).collect();
    assert_eq!(groups.len(), 46);
    for g in groups {
        let body = &g[..g.find("</g>").unwrap_or(g.len())];
        let drawn = ["<rect", "<path", "<polygon", "<circle", "<ellipse", "<text"]
            .iter()
            .any(|t| body.contains(t));
        assert!(drawn, "nothing drawn in {body}");
    }
}

#[test]
fn edge_kinds_use_markers_dashes_and_widths() {
    let svg = svg_of(
        "graph LR\nA-->B\nB-.->C\nC==>D\nD~~~E\nE--oF\nF--xG\nG<-->H",
        Theme::Light,
    );
    check_xml(&svg);
    assert!(svg.contains("stroke-dasharray=\"3 3\""));
    assert!(svg.contains("stroke-width=\"3.5\""));
    assert_eq!(
        svg.matches("<path d=\"M").count()
            - svg.matches("<path d=\"M0,0").count()
            - svg.matches("<path d=\"M10,0").count()
            - svg.matches("<path d=\"M1,1").count(),
        6,
        "invisible edge not drawn"
    );
    for kind in ["arrow-e", "circle-e", "cross-e", "arrow-s"] {
        assert!(svg.contains(kind), "{kind} marker");
    }
}

#[test]
fn link_style_and_class_def_are_honoured() {
    let svg = svg_of(
        "graph LR\nA:::hot-->B\nclassDef hot fill:#ff0000,stroke:#00ff00,stroke-width:3px,color:#0000ff,stroke-dasharray:4 2\nlinkStyle 0 stroke:#abcdef,stroke-width:4px",
        Theme::Light,
    );
    assert!(svg.contains(
        "fill=\"#ff0000\" stroke=\"#00ff00\" stroke-width=\"3px\" stroke-dasharray=\"4 2\""
    ));
    assert!(svg.contains("fill=\"#0000ff\""));
    assert!(svg.contains("stroke=\"#abcdef\" stroke-width=\"4px\""));
    assert!(
        svg.contains("arrow-e-_abcdef"),
        "marker takes the edge colour"
    );
}

#[test]
fn themes_differ_in_background() {
    let light = svg_of("graph LR\nA", Theme::Light);
    let dark = svg_of("graph LR\nA", Theme::Dark);
    assert!(light.contains(palette(Theme::Light).background));
    assert!(dark.contains(palette(Theme::Dark).background));
}

#[test]
fn multi_line_and_formatted_labels_use_tspans() {
    let svg = svg_of(
        "graph LR\nA[\"`**bold** and *it*`\"]-->B[one<br>two]",
        Theme::Light,
    );
    assert!(svg.contains("font-weight=\"bold\">bold</tspan>"));
    assert!(svg.contains("font-style=\"italic\">it</tspan>"));
    assert!(svg.contains(">one</tspan><tspan x="));
    assert!(!svg.contains("foreignObject"));
}

/// The layout ends an edge to a subgraph on the subgraph's box; the
/// renderer draws that route as it is, curve included.
#[test]
fn edge_to_subgraph_ends_at_its_box() {
    let (chart, layout) = crate::diagram::parse_and_layout("graph LR\nA-->S\nsubgraph S\nB\nend")
        .unwrap_or_else(|e| panic!("{e}"));
    let cb = layout.clusters[0];
    let end = layout.edges[0].points.last().copied().unwrap_or_default();
    assert!(
        (end.x - cb.x).abs() < 0.01,
        "{end:?} on the left side of {cb:?}"
    );
    assert!(end.y > cb.y && end.y < cb.y + cb.h, "{end:?} within {cb:?}");
    let svg = render(&chart, &layout, Theme::Light, "t".into());
    let tip = format!("{},{}", fmt_num(end.x), fmt_num(end.y));
    assert!(svg.contains(&tip), "{tip} in {svg}");
}

#[test]
fn full_pipeline_renders_valid_svg() {
    let src = "flowchart TD\nA[Start] --> B{Ready?}\nB -->|yes| C([Go])\nB -- no --> D[(Wait)]\nD -.-> B\nsubgraph S [Group]\nC --> E((End))\nend";
    let svg = render_svg(src, Theme::Light).unwrap_or_else(|e| panic!("{e}"));
    check_xml(&svg);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\""));
    assert!(svg.contains(FONT_FAMILY.split(',').next().unwrap_or("")));
}

#[test]
fn golden_basic_light() {
    let svg = svg_of(
        "graph LR\nA[Start] -->|go| B{Check}\nB -.-> C([Done])\nsubgraph G [Group]\nC\nend\nstyle A fill:#ffe,stroke:#333",
        Theme::Light,
    );
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("svg_basic_light", svg);
    });
}

#[test]
fn golden_shapes_dark() {
    let svg = svg_of(
        "flowchart LR\na[(DB)] ==> b((Circle)) --o c>Flag] --x d{{Hex}}\nd <--> e[/Lean/] --- f[\\Trap/]\nf ~~~ g(((Stop)))",
        Theme::Dark,
    );
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("svg_shapes_dark", svg);
    });
}

#[test]
fn golden_cjk_multiline() {
    let svg = svg_of(
        "graph TD\n开始[\"并发陷阱<br>通道泄漏\"] -- 检查 --> 结束(完成)",
        Theme::Light,
    );
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("svg_cjk_multiline", svg);
    });
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(150))]

        /// Whatever text a label, title, class or link holds, the SVG stays
        /// well-formed and only contains elements the writer itself emits.
        #[test]
        fn any_text_gives_well_formed_svg(
            label in "[^\"]{0,40}",
            edge in "[^|\"]{0,20}",
            title in "[^\"]{0,20}",
            color in "[ -~]{0,16}",
        ) {
            let src = format!(
                "---\ntitle: {title}\n---\ngraph LR\nA[\"{label}\"] -->|\"{edge}\"| B\nsubgraph S [\"{title}\"]\nB\nend\nstyle A fill:{color}\nclick B \"{label}\""
            );
            if let Ok((chart, _)) = parse(&src) {
                let svg = render(&chart, &row_layout(&chart), Theme::Light, id_prefix(&src));
                let names = check_xml(&svg);
                for n in names.iter().filter(|n| !n.starts_with('@')) {
                    prop_assert!(
                        ["svg", "title", "desc", "defs", "marker", "path", "circle", "rect", "g", "text", "tspan", "polygon", "ellipse", "a"].contains(&n.as_str()),
                        "unexpected element {n}"
                    );
                }
                prop_assert!(!names.iter().any(|n| n.to_ascii_lowercase().starts_with("@on")));
            }
        }
    }
}
