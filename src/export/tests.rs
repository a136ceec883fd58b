use super::util::*;
use super::*;
use std::fs;

#[test]
fn relative_hrefs_climb_and_encode() {
    assert_eq!(rel_href("a/b.html", "a/c d.html"), "c%20d.html");
    assert_eq!(rel_href("a/b/x.html", "c.html"), "../../c.html");
    assert_eq!(
        rel_href("x.html", "traps/协程.html"),
        "traps/%E5%8D%8F%E7%A8%8B.html"
    );
    assert_eq!(rel_href("x.html", "a#b?.html"), "a%23b%3F.html");
    assert_eq!(rel_href("a/x.html", "b/y.html"), "../b/y.html");
}

#[test]
fn paths_cannot_leave_the_vault() {
    assert_eq!(
        join_normalize("a/b", "../c.png").as_deref(),
        Some("a/c.png")
    );
    assert_eq!(
        join_normalize("a", "/img/x.png").as_deref(),
        Some("img/x.png")
    );
    assert_eq!(join_normalize("", "../../etc/passwd"), None);
    assert_eq!(join_normalize("a", "C:/x.png"), None);
    assert_eq!(strip_md("a/Note.MD"), "a/Note");
    assert_eq!(page_of("a/协程.md"), "a/协程.html");
}

#[test]
fn only_web_and_mail_urls_are_safe() {
    assert!(is_safe_url("https://go.dev"));
    assert!(is_safe_url("mailto:a@b.c"));
    for bad in [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "vbscript:x",
        "https://a\nb",
    ] {
        assert!(!is_safe_url(bad), "{bad}");
    }
}

#[test]
fn escaping_covers_markup_and_quotes() {
    assert_eq!(
        esc("<a href=\"x\" title='y'>&</a>\u{1}"),
        "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
    );
}

#[test]
fn svg_ids_and_references_get_the_prefix() {
    let svg = r##"<svg><marker id="arrow1"/><marker id="arrow10"/><path marker-end="url(#arrow1)"/><path marker-end="url(#arrow10)"/><textPath href="#arrow1"/></svg>"##;
    let out = prefix_svg_ids(svg, "d3");
    assert!(out.contains(r#" id="d3-arrow1""#));
    assert!(out.contains(r#" id="d3-arrow10""#));
    assert!(out.contains("url(#d3-arrow1)"));
    assert!(out.contains("url(#d3-arrow10)"));
    assert!(out.contains(r##"href="#d3-arrow1""##));
    assert!(!out.contains("url(#arrow"));
    assert_eq!(svg_element("<?xml version=\"1.0\"?>\n<svg/>\n"), "<svg/>");
}

#[test]
fn base64_matches_known_vectors() {
    assert_eq!(base64(b""), "");
    assert_eq!(base64(b"f"), "Zg==");
    assert_eq!(base64(b"fo"), "Zm8=");
    assert_eq!(base64(b"foo"), "Zm9v");
    assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    assert_eq!(clip("协程泄漏", 2), "协程…");
}

#[test]
fn sha256_matches_known_vectors() {
    let hex = |d: [u8; 32]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
    assert_eq!(
        hex(sha256(b"")),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        hex(sha256(b"abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    // Two blocks: the padding spills into a second one.
    assert_eq!(
        hex(sha256(
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        )),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
    assert_eq!(
        hex(sha256(&[b'a'; 1000])),
        "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"
    );
}

fn vault_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (p, text) in files {
        let path = dir.path().join(p);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
    let v = Vault::open(dir.path()).expect("open");
    (dir, v)
}

#[test]
fn embeds_are_cycle_safe_and_depth_limited() {
    let (dir, vault) = vault_with(&[
        ("A.md", "# A\n\n![[B]]\n"),
        ("B.md", "# B\n\nbee\n\n![[A]]\n"),
        ("C1.md", "one ![[C2]]"),
        ("C2.md", "two ![[C3]]"),
        ("C3.md", "three ![[C4]]"),
        ("C4.md", "four ![[C5]]"),
        ("C5.md", "five"),
    ]);
    let out = dir.path().join("site");
    export_html(&vault, &out, &HtmlOptions::default()).expect("export");
    let a = fs::read_to_string(out.join("A.html")).expect("read");
    assert!(a.contains("<p>bee</p>"));
    assert!(a.contains("embeds itself"));
    let c1 = fs::read_to_string(out.join("C1.html")).expect("read");
    assert!(c1.contains("four"));
    assert!(!c1.contains("five"));
    assert!(c1.contains("embedded too deeply"));
}

#[test]
fn images_are_copied_or_inlined_and_never_escape_the_vault() {
    let (dir, vault) = vault_with(&[
        ("notes/Pic.md", "![dot](img/p.png) ![[p.png]] ![up](../../secret.png) ![web](https://x.test/a.png)\n\n[pdf](img/doc.pdf) [page](img/x.html)"),
        ("notes/img/p.png", "PNGDATA"),
        ("notes/img/doc.pdf", "PDF"),
        ("notes/img/x.html", "<script>alert(1)</script>"),
    ]);
    fs::write(dir.path().join("p.png"), "ROOTPNG").expect("write");
    let vault = {
        drop(vault);
        Vault::open(dir.path()).expect("reopen")
    };
    let out = dir.path().join("site");
    export_html(&vault, &out, &HtmlOptions::default()).expect("export");
    let html = fs::read_to_string(out.join("notes/Pic.html")).expect("read");
    assert!(
        html.contains("<img src=\"img/p.png\" alt=\"dot\""),
        "{html}"
    );
    assert!(html.contains("<img src=\"../p.png\""), "{html}");
    assert!(out.join("notes/img/p.png").is_file());
    assert!(out.join("notes/img/doc.pdf").is_file());
    assert!(out.join("p.png").is_file());
    assert!(!out.join("notes/img/x.html").exists());
    assert!(html.contains("web pages and scripts are not exported"));
    assert!(html.contains("class=\"broken-image\""));
    assert!(!html.contains("src=\"https://"));
    assert!(html.contains("href=\"https://x.test/a.png\""));

    let single = dir.path().join("one");
    let opts = HtmlOptions {
        single: Some("notes/Pic.md".into()),
    };
    export_html(&vault, &single, &opts).expect("single");
    let html = fs::read_to_string(single.join("Pic.html")).expect("read");
    assert!(html.contains("src=\"data:image/png;base64,UE5HREFUQQ==\""));
    assert!(!html.contains("href=\"img/doc.pdf\""));
}

#[test]
fn index_is_the_start_note_or_a_list() {
    let (dir, vault) = vault_with(&[("Start here.md", "# Welcome\n"), ("x/Y.md", "y")]);
    let out = dir.path().join("site");
    export_html(&vault, &out, &HtmlOptions::default()).expect("export");
    let index = fs::read_to_string(out.join("index.html")).expect("read");
    assert!(index.contains("<h1 id=\"welcome\">Welcome</h1>"));

    let (dir, vault) = vault_with(&[("a.md", "a"), ("x/Y.md", "y")]);
    let out = dir.path().join("site");
    let s = export_html(&vault, &out, &HtmlOptions::default()).expect("export");
    assert_eq!(s.pages, 2);
    let index = fs::read_to_string(out.join("index.html")).expect("read");
    assert!(index.contains("All notes"));
    assert!(index.contains("href=\"x/Y.html\""));
}

#[test]
fn svg_export_numbers_diagrams_per_note_and_reports_errors() {
    let (dir, vault) = vault_with(&[(
        "f/N.md",
        "x\n\n```mermaid\nflowchart LR\nA-->B\n```\n\n```dot\ndigraph { a -> b }\n```\n\n```mermaid\nflowchart LR\n  A[oops\n```\n",
    )]);
    let out = dir.path().join("svg");
    let r = export_svgs_report(&vault, &out).expect("export");
    assert_eq!(r.files, vec![out.join("f/N-1.svg"), out.join("f/N-2.svg")]);
    assert_eq!(r.errors.len(), 1);
    let e = &r.errors[0];
    assert_eq!((e.note.as_str(), e.line), ("f/N.md", 14));
    assert!(e.to_string().starts_with("f/N.md:14:"), "{e}");
}

#[test]
fn dot_attributes_and_labels_cannot_inject_markup() {
    let (dir, vault) = vault_with(&[(
        "D.md",
        "```dot\ndigraph G { a [label=\"</text><script>alert(1)</script>\", color=\"red\\\" onload=\\\"alert(2)\", URL=\"javascript:alert(4)\"]; a -> b [style=\"dashed\\\" onmouseover=\\\"x()\"]; }\n```\n",
    )]);
    let out = dir.path().join("site");
    let s = export_html(&vault, &out, &HtmlOptions::default()).expect("export");
    assert_eq!(s.diagrams, 1, "{s:?}");
    let html = fs::read_to_string(out.join("D.html")).expect("read");
    let start = html.find("<svg").expect("svg");
    let end = html.find("</svg>").expect("end of svg");
    let svg = &html[start..end];
    assert!(svg.contains("&lt;/text&gt;&lt;script&gt;"));
    for bad in ["<script", "onload", "onmouseover", "javascript:"] {
        assert!(!svg.contains(bad), "{bad} in {svg}");
    }
}

#[test]
fn mermaid_click_links_point_at_pages() {
    let (dir, vault) = vault_with(&[
        (
            "a/M.md",
            "```mermaid\nflowchart LR\n  A --> B\n  click A \"../T.md\"\n  click B \"nowhere.md\"\n```\n",
        ),
        ("T.md", "# T"),
    ]);
    let out = dir.path().join("site");
    export_html(&vault, &out, &HtmlOptions::default()).expect("export");
    let html = fs::read_to_string(out.join("a/M.html")).expect("read");
    assert!(html.contains("xlink:href=\"../T.html\""), "{html}");
    assert!(!html.contains(".md\""), "{html}");
    assert!(html.contains("data-broken"));
}

/// Tags of rendered HTML nest properly (void elements aside) and nothing
/// from the note becomes a script, an event handler or a `javascript:` URL.
fn assert_safe_and_balanced(html: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "{html}");
    // As text it is harmless; as an attribute value it would run.
    assert!(!lower.contains("=\"javascript:"), "{html}");
    assert!(
        !lower.contains("<iframe") && !lower.contains("<img src=x"),
        "{html}"
    );
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        let end = after.find('>').expect("closed tag");
        let tag = &after[..end];
        assert!(!tag.contains('<'), "{html}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "{html}");
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().unwrap_or("").to_string();
            // Handlers can only appear as attributes, i.e. inside tags.
            let mut in_value = false;
            let names: String = tag
                .chars()
                .filter(|&c| {
                    if c == '"' {
                        in_value = !in_value;
                    }
                    !in_value
                })
                .collect();
            assert!(!names.contains(" on"), "{html}");
            if !matches!(name.as_str(), "br" | "hr" | "input" | "img") {
                stack.push(name);
            }
        }
        rest = &after[end + 1..];
    }
    assert!(stack.is_empty(), "{stack:?} in {html}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]
    #[test]
    fn any_note_renders_to_safe_balanced_html(
        pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "<script>", "</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)",
                "[x](", ")", "[[", "]]", "![[", "#", "#tag ", "**", "*", "~~", "`", "```\n",
                "```mermaid\n", "```dot\n", "> ", "- ", "1. ", "- [ ] ", "| a | b |\n|--|--|\n",
                "[^1]", "[^1]: note\n", "\n", "\n\n", "&amp;", "\"'", "中文", " text ",
                "<div onclick=\"x\">", "flowchart LR\nA-->B\n", "---\n", "Other", "#head\n",
            ]),
            0..40,
        )
    ) {
        let (_dir, vault) = vault_with(&[("Other.md", "# Other\n\n![[X]]\n"), ("X.md", "x")]);
        let text: String = pieces.concat();
        let doc = crate::markdown::parse(&text);
        let mut ctx = super::render::SiteCtx::new(&vault, false);
        let html = super::render::Renderer::new(&mut ctx, "X.html", "X.md").render(&doc.blocks);
        // Inline SVGs are checked by the integration tests; here the
        // surrounding markup is what matters.
        let without_svg: String = {
            let mut s = String::new();
            let mut rest = html.as_str();
            while let Some(i) = rest.find("<svg") {
                s.push_str(&rest[..i]);
                let end = rest[i..].find("</svg>").expect("svg end") + i + 6;
                rest = &rest[end..];
            }
            s.push_str(rest);
            s
        };
        assert_safe_and_balanced(&without_svg);
    }
}
