use super::*;

fn bodies(d: &Deck) -> Vec<&str> {
    d.slides.iter().map(|s| s.body.as_str()).collect()
}

fn no_resolver(_: &str, _: &str) -> Option<(String, String)> {
    None
}

#[test]
fn splits_at_rule_lines() {
    let d = split_note(
        "a.md",
        "# One\n\nintro\n\n---\n\n## Two\n\n- x\n\n---\n\n## Three\n",
    );
    assert_eq!(
        bodies(&d),
        vec!["# One\n\nintro", "## Two\n\n- x", "## Three"]
    );
    assert_eq!(d.slides[1].title, "Two");
    assert!(d.warnings.is_empty());
}

#[test]
fn splits_at_h2_when_no_rule_is_present() {
    let text = "# Deck\n\nopening\n\n## First\nA\n### Sub\nB\n## Second\nC\n";
    let d = split_note("a.md", text);
    assert_eq!(
        bodies(&d),
        vec![
            "# Deck\n\nopening",
            "## First\nA\n### Sub\nB",
            "## Second\nC"
        ]
    );
    assert_eq!(split_of(text), Split::H2);
    // Without any H2 the whole note is one slide.
    assert_eq!(
        bodies(&split_note("a.md", "# Only\n\ntext\n")),
        vec!["# Only\n\ntext"]
    );
}

#[test]
fn front_matter_chooses_the_split() {
    let text = "---\ntitle: T\nslides: h2\n---\n## A\nx\n\n---\n\ny\n## B\nz\n";
    let d = split_note("a.md", text);
    // H2 asked for: the `---` stays inside slide A as a rule.
    assert_eq!(bodies(&d), vec!["## A\nx\n\n---\n\ny", "## B\nz"]);
    assert_eq!(split_of(text), Split::H2);

    let text = "---\nslides: rule\n---\n## A\n## B\n";
    assert_eq!(bodies(&split_note("a.md", text)), vec!["## A\n## B"]);
    assert_eq!(split_of(text), Split::Rule);

    let d = split_note("a.md", "---\nslides: \"---\"\n---\nA\n\n---\n\nB\n");
    assert_eq!(bodies(&d), vec!["A", "B"]);
}

#[test]
fn unknown_setting_warns_and_uses_the_default() {
    let d = split_note("deck.md", "---\nslides: columns\n---\nA\n\n---\n\nB\n");
    assert_eq!(bodies(&d), vec!["A", "B"]);
    assert_eq!(d.warnings.len(), 1);
    assert!(d.warnings[0]
        .to_string()
        .starts_with("deck.md:2: unknown `slides: columns`"));
}

#[test]
fn front_matter_is_never_a_slide_or_a_break() {
    let d = split_note("a.md", "---\ntags: [x]\n---\n# Title\n\n---\n\nNext\n");
    assert_eq!(bodies(&d), vec!["# Title", "Next"]);
    assert_eq!(d.slides[0].lines, 4..5);
}

#[test]
fn code_fences_and_comments_do_not_split() {
    let text =
        "# A\n\n```yaml\n---\nkey: v\n---\n```\n\n~~~~\n## not a heading\n~~~~\n\n---\n\nB\n";
    let d = split_note("a.md", text);
    assert_eq!(d.slides.len(), 2);
    assert!(d.slides[0].body.contains("---\nkey: v\n---"));
    assert_eq!(d.slides[1].body, "B");

    // A fence of four backticks is not closed by three.
    let d = split_note("a.md", "````\n```\n---\n```\n````\n\n---\n\nB\n");
    assert_eq!(d.slides.len(), 2);

    // A commented-out slide stays out, break included.
    let d = split_note("a.md", "A\n\n%%\n---\nold slide\n%%\n\n---\n\nB\n");
    assert_eq!(bodies(&d), vec!["A", "B"]);
    assert_eq!(d.slides[0].notes, "---\nold slide");
}

#[test]
fn setext_underline_is_not_a_break() {
    let d = split_note("a.md", "Title\n---\n\ntext\n");
    assert_eq!(d.slides.len(), 1);
    assert_eq!(split_of("Title\n---\n\ntext\n"), Split::H2);
    // After a list item or a code fence, `---` is a break again.
    assert_eq!(split_note("a.md", "- item\n---\nB\n").slides.len(), 2);
    assert_eq!(split_note("a.md", "```\nx\n```\n---\nB\n").slides.len(), 2);
    // Two breaks in a row leave no empty slide.
    assert_eq!(
        bodies(&split_note("a.md", "A\n\n---\n---\n\nB\n")),
        vec!["A", "B"]
    );
}

#[test]
fn note_label_starts_speaker_notes_to_the_end_of_the_slide() {
    let text = "## Plan\n\n- ship it\n\nNote: remind them of the freeze.\nAsk about **load**.\n\n---\n\n## Next\n";
    let d = split_note("a.md", text);
    assert_eq!(d.slides[0].body, "## Plan\n\n- ship it");
    assert_eq!(
        d.slides[0].notes,
        "remind them of the freeze.\nAsk about **load**."
    );
    assert_eq!(d.slides[1].notes, "");
    // Case and plural do not matter; the label inside code is content.
    let d = split_note("a.md", "A\nnotes:\n  indented\n");
    assert_eq!(
        (d.slides[0].body.as_str(), d.slides[0].notes.as_str()),
        ("A", "indented")
    );
    let d = split_note("a.md", "```\nNote: in code\n```\n");
    assert_eq!(d.slides[0].notes, "");
    assert!(d.slides[0].body.contains("Note: in code"));
    // "Notebook:" is not a label.
    assert_eq!(split_note("a.md", "Notebook: x\n").slides[0].notes, "");
}

#[test]
fn percent_comments_become_notes() {
    let text = "## Risks %% say this slowly %%\n\nLatency %%mention p99%% matters.\n\n%%\nlonger\nnote\n%%\nend\n";
    let d = split_note("a.md", text);
    let s = &d.slides[0];
    assert_eq!(s.body, "## Risks \n\nLatency  matters.\n\n\nend");
    assert_eq!(s.notes, "say this slowly\n\nmention p99\n\nlonger\nnote");
    assert!(!s.body.contains("%%"));
    // `%%` inside inline code or a fence is code.
    let d = split_note("a.md", "Use `%%` here\n\n```\n%% x %%\n```\n");
    assert_eq!(d.slides[0].notes, "");
    assert!(d.slides[0].body.contains("`%%`"));
}

#[test]
fn unclosed_comment_hides_the_rest_and_warns() {
    let d = split_note("a.md", "A\n\n%% secret\nstill secret\n");
    assert_eq!(d.slides[0].body, "A");
    assert_eq!(d.slides[0].notes, "secret\nstill secret");
    assert_eq!(d.warnings.len(), 1);
    assert_eq!(d.warnings[0].line, 3);
}

#[test]
fn a_slide_with_only_notes_is_kept_and_empty_ones_are_dropped() {
    let d = split_note(
        "a.md",
        "A\n\n---\n\nNote: pause here\n\n---\n\n\n---\n\nB\n",
    );
    assert_eq!(bodies(&d), vec!["A", "", "B"]);
    assert_eq!(d.slides[1].notes, "pause here");
    assert!(split_note("a.md", "").slides.is_empty());
    assert!(split_note("a.md", "---\nslides: h2\n---\n\n")
        .slides
        .is_empty());
}

#[test]
fn slides_keep_their_source_lines() {
    let text = "---\nslides: rule\n---\n# T\n\n---\n\n## B\nline\nNote: n\n\n---\n## C\n";
    let d = split_note("a.md", text);
    let lines: Vec<_> = d.slides.iter().map(|s| s.lines.clone()).collect();
    assert_eq!(lines, vec![4..5, 8..11, 13..14]);
    let src: Vec<&str> = text.lines().collect();
    assert_eq!(src[d.slides[1].lines.start - 1], "## B");
    assert_eq!(d.slide_at("a.md", 9), Some(1));
    // The break line itself belongs to the slide after it.
    assert_eq!(d.slide_at("a.md", 6), Some(1));
    assert_eq!(d.slide_at("a.md", 99), Some(2));
    assert_eq!(d.slide_at("other.md", 1), None);
}

#[test]
fn crlf_and_bom_are_handled() {
    let text = "\u{feff}---\r\nslides: rule\r\n---\r\nA\r\n\r\n---\r\n\r\nB\r\nNote: x\r\n";
    let d = split_note("a.md", text);
    assert_eq!(bodies(&d), vec!["A", "B"]);
    assert_eq!(d.slides[1].notes, "x");
}

#[test]
fn titles_for_the_overview() {
    assert_eq!(title_of("text first\n## Later"), "Later");
    assert_eq!(title_of("- a point\nmore"), "a point");
    assert_eq!(title_of("```\n# not\n```\n> quoted"), "quoted");
    let long = "x".repeat(100);
    assert_eq!(title_of(&long).chars().count(), 60);
    assert_eq!(title_of("## 复盘：协程泄漏"), "复盘：协程泄漏");
}

fn vault<'a>(
    files: &'a [(&'static str, &'static str)],
) -> impl Fn(&str, &str) -> Option<(String, String)> + 'a {
    move |_from, target| {
        files
            .iter()
            .find(|(p, _)| p.trim_end_matches(".md") == target || *p == target)
            .map(|(p, t)| (p.to_string(), t.to_string()))
    }
}

#[test]
fn sequence_notes_play_their_parts_in_order() {
    let files = [
        ("intro.md", "# Intro\n\n---\n\nAgenda\n"),
        ("design.md", "---\nslides: h2\n---\n## Ctx\nc\n## Flow\nf\n"),
        ("notes.md", "# N\n## Keep\nk\n### deeper\nd\n## Other\no\n"),
    ];
    let seq = "---\nslides: sequence\n---\n# Review\n\n1. [[intro]]\n2. [[design|the design]]\n3. [[notes#Keep]]\n\n`[[not a part]]` is fine too\n";
    let r = vault(&files);
    let d = deck("review.md", seq, &r);
    assert_eq!(
        bodies(&d),
        vec![
            "# Intro",
            "Agenda",
            "## Ctx\nc",
            "## Flow\nf",
            "## Keep\nk\n### deeper\nd"
        ]
    );
    assert_eq!(d.slides[2].note, "design.md");
    assert_eq!(d.slides[2].lines, 4..6);
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn sequence_problems_are_warnings() {
    let files = [
        ("loop.md", "---\nslides: sequence\n---\n[[loop]]\n[[b]]\n"),
        ("b.md", "B\n"),
    ];
    let r = vault(&files);
    let d = deck("loop.md", files[0].1, &r);
    assert_eq!(bodies(&d), vec!["B"]);
    assert!(d.warnings[0]
        .to_string()
        .contains("loop.md:4: sequence part [[loop]] includes itself"));

    let d = deck(
        "s.md",
        "---\nslides: sequence\n---\n[[gone]]\n[[b#Nope]]\n%% [[b]] %%\n",
        &r,
    );
    assert!(d.slides.is_empty());
    let msgs: Vec<String> = d.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(msgs[0].contains("s.md:4: sequence part [[gone]] is not a note"));
    assert!(msgs[1].contains("no such heading"));

    let d = deck(
        "s.md",
        "---\nslides: sequence\n---\nnothing linked\n",
        &no_resolver,
    );
    assert!(d.warnings[0].message.contains("links no notes"));
    // A plain note never consults the resolver.
    assert_eq!(
        deck("p.md", "A\n\n---\n\nB\n", &no_resolver).slides.len(),
        2
    );
}

#[test]
fn nested_sequences_expand() {
    let files = [
        ("inner.md", "---\nslides: sequence\n---\n[[x]]\n"),
        ("x.md", "X1\n\n---\n\nX2\n"),
    ];
    let r = vault(&files);
    let d = deck(
        "outer.md",
        "---\nslides: sequence\n---\n[[inner]] then [[x]]\n",
        &r,
    );
    assert_eq!(bodies(&d), vec!["X1", "X2", "X1", "X2"]);
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "---",
        "---\n",
        "---\nslides: sequence",
        "%%",
        "%%%",
        "`",
        "``%%``%%",
        "## \n---\n##",
        "Note:",
        "\r\n\r\n---\r",
        "[[",
        "[[]]",
        "[[#]]",
        "中文\n---\n## 标题 %% 备注",
        "   ---   \n    ---\n",
    ] {
        let d = deck("n.md", text, &no_resolver);
        for s in &d.slides {
            assert!(s.lines.start >= 1 && s.lines.start < s.lines.end);
            assert!(!s.body.contains("%%") || text.contains('`'));
        }
    }
}
