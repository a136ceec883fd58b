use super::*;
use proptest::prelude::*;

fn first(text: &str) -> BlockKind {
    parse(text)
        .blocks
        .into_iter()
        .next()
        .expect("one block")
        .kind
}

fn text(s: &str) -> Inline {
    Inline::Text {
        text: s.to_string(),
        style: Style::default(),
    }
}

#[test]
fn heading_gets_level_anchor_and_line() {
    let doc = parse("intro\n\n## Why defer piles up\n");
    let h = &doc.blocks[1];
    assert_eq!(h.line, 3);
    match &h.kind {
        BlockKind::Heading { level, anchor, .. } => {
            assert_eq!(*level, 2);
            assert_eq!(anchor, "why-defer-piles-up");
        }
        other => panic!("not a heading: {other:?}"),
    }
}

#[test]
fn duplicate_headings_get_unique_anchors() {
    let doc = parse("# Fix\n\n# Fix\n\n# 修复 方案\n");
    let anchors: Vec<_> = doc
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Heading { anchor, .. } => Some(anchor.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(anchors, ["fix", "fix-1", "修复-方案"]);
}

#[test]
fn wiki_links_carry_note_heading_and_alias_text() {
    let BlockKind::Paragraph(inl) = first("See [[Goroutine leaks#Fixes|the fixes]] now.") else {
        panic!("paragraph expected")
    };
    assert_eq!(inl[0], text("See "));
    assert_eq!(
        inl[1],
        Inline::Link {
            target: LinkTarget::Wiki {
                note: "Goroutine leaks".into(),
                heading: Some("Fixes".into())
            },
            inlines: vec![text("the fixes")],
        }
    );
}

#[test]
fn embed_is_an_image_with_wiki_target() {
    let BlockKind::Paragraph(inl) = first("![[How defer works]]") else {
        panic!("paragraph expected")
    };
    assert!(matches!(
        &inl[0],
        Inline::Image { target: LinkTarget::Wiki { note, heading: None }, .. } if note == "How defer works"
    ));
}

#[test]
fn markdown_links_are_classified() {
    let BlockKind::Paragraph(inl) =
        first("[a](https://go.dev) [b](traps/Defer%20in%20loops.md#fix) [c](#local)")
    else {
        panic!("paragraph expected")
    };
    let targets: Vec<_> = inl
        .iter()
        .filter_map(|i| match i {
            Inline::Link { target, .. } => Some(target.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        targets,
        [
            LinkTarget::Url("https://go.dev".into()),
            LinkTarget::Relative("traps/Defer in loops.md#fix".into()),
            LinkTarget::Anchor("local".into()),
        ]
    );
}

#[test]
fn fenced_mermaid_and_dot_become_diagrams_other_languages_code() {
    let doc = parse("```mermaid\nflowchart TD\nA-->B\n```\n\n```go\nfunc main() {}\n```\n\n~~~dot\ndigraph { a -> b }\n~~~\n");
    assert_eq!(
        doc.blocks[0].kind,
        BlockKind::Diagram {
            kind: DiagramKind::Mermaid,
            source: "flowchart TD\nA-->B\n".into()
        }
    );
    assert_eq!(
        doc.blocks[1].kind,
        BlockKind::Code {
            lang: "go".into(),
            code: "func main() {}\n".into()
        }
    );
    assert!(matches!(
        doc.blocks[2].kind,
        BlockKind::Diagram {
            kind: DiagramKind::Dot,
            ..
        }
    ));
    assert_eq!(doc.blocks[1].line, 6);
    assert_eq!(diagrams(&doc).len(), 2);
}

#[test]
fn links_and_tags_inside_code_stay_code() {
    let BlockKind::Paragraph(inl) = first("use `[[not a link]] #nottag` here #real") else {
        panic!("paragraph expected")
    };
    assert_eq!(inl[1], Inline::Code("[[not a link]] #nottag".into()));
    assert_eq!(inl[3], Inline::Tag("real".into()));
    let BlockKind::Code { code, .. } = first("```\n[[x]] #y\n```") else {
        panic!("code expected")
    };
    assert_eq!(code, "[[x]] #y\n");
}

#[test]
fn tags_need_a_word_start_and_a_non_digit() {
    assert_eq!(
        find_tags("#go/concurrency issue#3 #123 (#x) #泄漏")
            .into_iter()
            .map(|(_, t)| t)
            .collect::<Vec<_>>(),
        ["go/concurrency", "泄漏"]
    );
}

#[test]
fn emphasis_styles_apply_to_text_runs() {
    let BlockKind::Paragraph(inl) = first("a **b *c*** ~~d~~") else {
        panic!("paragraph expected")
    };
    assert!(inl.contains(&Inline::Text {
        text: "c".into(),
        style: Style {
            bold: true,
            italic: true,
            strike: false
        }
    }));
    assert!(inl.contains(&Inline::Text {
        text: "d".into(),
        style: Style {
            strike: true,
            ..Style::default()
        }
    }));
}

#[test]
fn task_lists_tight_and_nested() {
    let BlockKind::List { start, items } = first("- [x] done\n- [ ] open\n  1. nested\n") else {
        panic!("list expected")
    };
    assert_eq!(start, None);
    assert_eq!(items[0].task, Some(true));
    assert_eq!(items[1].task, Some(false));
    assert_eq!(
        items[0].blocks[0].kind,
        BlockKind::Paragraph(vec![text("done")])
    );
    assert!(matches!(
        items[1].blocks[1].kind,
        BlockKind::List { start: Some(1), .. }
    ));
}

#[test]
fn tables_keep_alignment_header_and_rows() {
    let BlockKind::Table {
        align,
        header,
        rows,
    } = first("| Fix | Cost |\n|:--|--:|\n| wrapper | low |\n| ctx | 中 |\n")
    else {
        panic!("table expected")
    };
    assert_eq!(align, [Align::Left, Align::Right]);
    assert_eq!(header[1], vec![text("Cost")]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][1], vec![text("中")]);
}

#[test]
fn footnotes_quotes_rules_and_front_matter() {
    let doc =
        parse("---\ntitle: T\ntags: [a]\n---\n\n> quoted\n\nsee[^1]\n\n---\n\n[^1]: the note\n");
    assert_eq!(doc.front_matter, Some(0..26));
    assert!(matches!(&doc.blocks[0].kind, BlockKind::Quote(b) if b.len() == 1));
    assert!(
        matches!(&doc.blocks[1].kind, BlockKind::Paragraph(i) if i[1] == Inline::FootnoteRef("1".into()))
    );
    assert_eq!(doc.blocks[2].kind, BlockKind::Rule);
    assert!(matches!(&doc.blocks[3].kind, BlockKind::FootnoteDef { label, .. } if label == "1"));
}

#[test]
fn windows_drive_is_not_a_url_scheme() {
    assert!(!has_scheme("C:/notes/a.md"));
    assert!(has_scheme("mailto:a@b.c"));
}

fn all_ranges(blocks: &[Block], out: &mut Vec<Range<usize>>) {
    for b in blocks {
        out.push(b.range.clone());
        match &b.kind {
            BlockKind::Quote(inner) | BlockKind::FootnoteDef { blocks: inner, .. } => {
                all_ranges(inner, out)
            }
            BlockKind::List { items, .. } => {
                for i in items {
                    all_ranges(&i.blocks, out);
                }
            }
            _ => {}
        }
    }
}

proptest! {
    #[test]
    fn parse_never_panics_and_ranges_stay_inside(s in "(\\PC|\n|[#\\[\\]`*~|>-]){0,300}") {
        let doc = parse(&s);
        let mut ranges = Vec::new();
        all_ranges(&doc.blocks, &mut ranges);
        for r in ranges {
            prop_assert!(r.start <= r.end && r.end <= s.len());
            prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
        }
    }

    #[test]
    fn tag_ranges_are_char_boundaries(s in "\\PC{0,100}") {
        for (r, t) in find_tags(&s) {
            prop_assert_eq!(&s[r.start + 1..r.end], t.as_str());
        }
    }
}
