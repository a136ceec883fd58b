use std::fs;
use std::path::Path;

use super::*;

fn vault_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().unwrap();
    for (p, t) in files {
        write(dir.path(), p, t.as_bytes());
    }
    let v = Vault::open(dir.path()).unwrap();
    (dir, v)
}

fn write(root: &Path, rel: &str, data: &[u8]) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, data).unwrap();
}

fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap()
}

fn one(text: &str) -> Link {
    let l = parse_links(text);
    assert_eq!(l.len(), 1, "{text:?} -> {l:?}");
    l.into_iter().next().unwrap()
}

// ---------- link parsing ----------

#[test]
fn wiki_link_forms() {
    let l = one("see [[Note]] here");
    assert_eq!(
        (l.kind, l.target.as_str(), l.heading, l.alias),
        (LinkKind::Wiki, "Note", None, None)
    );
    assert_eq!(l.span, 4..12);
    assert_eq!(l.target_span, 6..10);
    assert_eq!((l.line, l.col), (1, 5));

    let l = one("[[Note|shown text]]");
    assert_eq!(l.target, "Note");
    assert_eq!(l.alias.as_deref(), Some("shown text"));

    let l = one("[[Note#Some Heading]]");
    assert_eq!(l.target, "Note");
    assert_eq!(l.heading.as_deref(), Some("Some Heading"));
    assert_eq!(l.target_span, 2..6);

    let l = one("[[Note#Heading|alias]]");
    assert_eq!(
        (l.heading.as_deref(), l.alias.as_deref()),
        (Some("Heading"), Some("alias"))
    );

    assert_eq!(one("[[folder/Note]]").target, "folder/Note");
    assert_eq!(one("[[Note.md]]").target, "Note.md");

    let l = one("x ![[Diagram]]");
    assert_eq!(l.kind, LinkKind::Embed);
    assert_eq!(l.span, 2..14);

    let l = one("[[#Local]]");
    assert_eq!(l.target, "");
    assert_eq!(l.heading.as_deref(), Some("Local"));

    // Escaped pipe inside a table cell.
    let l = one(r"| [[Note\|alias]] |");
    assert_eq!(l.target, "Note");
    assert_eq!(l.alias.as_deref(), Some("alias"));
}

#[test]
fn markdown_link_forms() {
    let l = one("read [the note](sub/Other.md) now");
    assert_eq!(l.kind, LinkKind::Markdown);
    assert_eq!(l.target, "sub/Other.md");
    assert_eq!(
        &"read [the note](sub/Other.md) now"[l.target_span.clone()],
        "sub/Other.md"
    );

    let t = "[x](My%20Note.md#Deep%20Dive)";
    let l = one(t);
    assert_eq!(l.target, "My Note.md");
    assert_eq!(l.heading.as_deref(), Some("Deep Dive"));
    assert_eq!(&t[l.target_span.clone()], "My%20Note.md");

    let t = "[x](<folder/with space.md#h>)";
    let l = one(t);
    assert_eq!(l.target, "folder/with space.md");
    assert_eq!(&t[l.target_span.clone()], "folder/with space.md");
    assert_eq!(l.heading.as_deref(), Some("h"));

    let l = one("[t](../up.md \"title\")");
    assert_eq!(l.target, "../up.md");

    let l = one("[self](#anchor)");
    assert_eq!(
        (l.target.as_str(), l.heading.as_deref()),
        ("", Some("anchor"))
    );

    for ext in [
        "[a](https://example.com/x.md)",
        "[a](mailto:me@example.com)",
        "[a](//cdn.example.com/x)",
        "<https://example.com>",
    ] {
        assert!(parse_links(ext).is_empty(), "{ext}");
    }
}

#[test]
fn links_in_code_are_ignored() {
    let text = "a [[One]]\n```go\n[[Two]] [x](two.md)\n```\n`[[Three]]` and ``[[Four]]``\n~~~~\n[[Five]]\n~~~\n~~~~\n[[Six]]";
    let got: Vec<String> = parse_links(text).into_iter().map(|l| l.target).collect();
    assert_eq!(got, vec!["One".to_string(), "Six".to_string()]);
}

#[test]
fn line_and_col_count_chars() {
    let text = "first line\nzwölf ✓ [[Ziel]]";
    let l = one(text);
    assert_eq!((l.line, l.col), (2, 9));
}

// ---------- code, tags, front matter, headings ----------

#[test]
fn code_range_rules() {
    let t = "````md\n```\nstill code\n````\nafter";
    let r = code_ranges(t);
    assert_eq!(r.len(), 1);
    assert!(t[r[0].clone()].ends_with("````"));
    assert!(!t[r[0].clone()].contains("after"));

    // Unclosed fence runs to the end.
    let t = "x\n```\n[[A]]";
    assert_eq!(code_ranges(t), vec![2..t.len()]);

    // A backtick run is only closed by a run of the same length.
    let t = "a `` x ` y `` b `unclosed";
    let r = code_ranges(t);
    assert_eq!(r, vec![2..13]);

    // Inline code does not cross a blank line.
    assert!(code_ranges("a `x\n\ny` b").is_empty());
}

#[test]
fn tags() {
    let t = "#start and #nested/tag, #123 no, a#b no, #t2 yes\n# Heading\n`#code` #end/";
    let names: Vec<String> = parse_tags(t).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, vec!["start", "nested/tag", "t2", "end"]);
    for (n, r) in parse_tags(t) {
        assert_eq!(&t[r], format!("#{n}"));
    }
    let fm = "---\ntags: [a]\n# not a tag: #x\n---\n#real";
    let names: Vec<String> = parse_tags(fm).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, vec!["real"]);
    let names: Vec<String> = parse_tags("#日本語 #ok-1_x")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, vec!["日本語", "ok-1_x"]);
}

#[test]
fn front_matter_subset() {
    let t = "---\ntitle: \"Channels: a \\\"primer\\\"\"\naliases: [Chan, 'It''s']\ntags:\n  - go\n  - \"#sync\"\nother: x\n---\nbody";
    let fm = front_matter(t).unwrap();
    assert_eq!(fm.title.as_deref(), Some("Channels: a \"primer\""));
    assert_eq!(fm.aliases, vec!["Chan", "It's"]);
    assert_eq!(fm.tags, vec!["go", "sync"]);
    assert_eq!(&t[fm.range.clone()], &t[..t.len() - 4]);

    let fm = front_matter("---\r\nalias: One Name # comment\r\ntags: a, b\r\n---\r\n").unwrap();
    assert_eq!(fm.aliases, vec!["One Name"]);
    assert_eq!(fm.tags, vec!["a", "b"]);

    assert!(front_matter("text\n---\ntitle: x\n---\n").is_none());
    assert!(front_matter("---\ntitle: never closed\n").is_none());
    assert!(front_matter("").is_none());
}

#[test]
fn headings_and_slugs() {
    let t = "---\ntitle: x\n---\n# Go Channels!\n```\n# not\n```\n## Select & Timeouts ##\n#nottag\n####### seven\n## Go Channels!";
    let h = parse_headings(t);
    let got: Vec<(u8, &str, &str, usize)> = h
        .iter()
        .map(|h| (h.level, h.text.as_str(), h.anchor.as_str(), h.line))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "Go Channels!", "go-channels", 4),
            (2, "Select & Timeouts", "select--timeouts", 8),
            (2, "Go Channels!", "go-channels-1", 11),
        ]
    );
}

// ---------- scanning and resolution ----------

#[test]
fn scan_skips_hidden_and_indexes_metadata() {
    let (_d, v) = vault_with(&[
        (
            "a.md",
            "---\ntitle: Alpha\naliases: [First]\ntags: [x]\n---\n# A\n#y [[b]]",
        ),
        ("sub/b.md", "b"),
        (".obsidian/c.md", "hidden"),
        (".git/d.md", "hidden"),
        ("sub/.e.md", "hidden"),
        ("img.png", "not a note"),
    ]);
    let paths: Vec<&str> = v.notes().map(|n| n.path.as_str()).collect();
    assert_eq!(paths, vec!["a.md", "sub/b.md"]);
    let a = v.note("a.md").unwrap();
    assert_eq!(a.name, "a");
    assert_eq!(a.title.as_deref(), Some("Alpha"));
    assert_eq!(a.aliases, vec!["First"]);
    assert_eq!(a.tags, vec!["x", "y"]);
    assert_eq!(a.headings.len(), 1);
    assert_eq!(a.links.len(), 1);
    assert!(!a.lossy);
}

#[cfg(unix)]
#[test]
fn symlinks_outside_the_vault_are_skipped() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.md", b"secret");
    let (d, _) = vault_with(&[("in.md", "x")]);
    std::os::unix::fs::symlink(outside.path().join("secret.md"), d.path().join("s.md")).unwrap();
    std::os::unix::fs::symlink(outside.path(), d.path().join("outdir")).unwrap();
    std::os::unix::fs::symlink(d.path().join("in.md"), d.path().join("alias.md")).unwrap();
    // A loop back to the root must not recurse forever.
    std::os::unix::fs::symlink(d.path(), d.path().join("loop")).unwrap();
    let v = Vault::open(d.path()).unwrap();
    let paths: Vec<&str> = v.notes().map(|n| n.path.as_str()).collect();
    assert_eq!(paths, vec!["alias.md", "in.md"]);
}

#[test]
fn resolution_rules() {
    let (_d, v) = vault_with(&[
        ("Root.md", "---\naliases: [The Root]\n---\n"),
        ("a/Note.md", ""),
        ("b/Note.md", ""),
        ("b/Only.md", ""),
        ("a/deep/x.md", ""),
        ("c/Root.md", ""),
    ]);
    use Resolution::*;
    assert_eq!(v.resolve("z.md", "only"), Note("b/Only.md".into()));
    assert_eq!(v.resolve("z.md", "ONLY.md"), Note("b/Only.md".into()));
    assert_eq!(
        v.resolve("z.md", "Note"),
        Ambiguous(vec!["a/Note.md".into(), "b/Note.md".into()])
    );
    // Same folder wins.
    assert_eq!(v.resolve("a/deep/x.md", "x"), Note("a/deep/x.md".into()));
    assert_eq!(v.resolve("b/Only.md", "Note"), Note("b/Note.md".into()));
    // Path-qualified: full path or suffix.
    assert_eq!(v.resolve("z.md", "a/Note"), Note("a/Note.md".into()));
    assert_eq!(v.resolve("z.md", "deep/x"), Note("a/deep/x.md".into()));
    assert_eq!(v.resolve("z.md", "x/Note"), Missing);
    // The exact vault path wins over other files with that name.
    assert_eq!(v.resolve("z.md", "Root"), Note("Root.md".into()));
    assert_eq!(v.resolve("z.md", "/c/Root"), Note("c/Root.md".into()));
    assert_eq!(v.resolve("z.md", "the root"), Note("Root.md".into()));
    assert_eq!(v.resolve("z.md", "nothing"), Missing);

    let md = |from: &str, t: &str| {
        let link = one(&format!("[x]({t})"));
        v.resolve_link(from, &link)
    };
    assert_eq!(md("a/deep/x.md", "../Note.md"), Note("a/Note.md".into()));
    assert_eq!(
        md("a/deep/x.md", "../../b/Only.md"),
        Note("b/Only.md".into())
    );
    assert_eq!(md("b/Only.md", "Note.md"), Note("b/Note.md".into()));
    assert_eq!(md("b/Only.md", "Note"), Note("b/Note.md".into()));
    assert_eq!(md("a/Note.md", "/b/Only.md"), Note("b/Only.md".into()));
    assert_eq!(md("a/Note.md", "../../Root.md"), Missing);
    // Obsidian's shortest-path style Markdown links resolve by name.
    assert_eq!(md("a/Note.md", "Only.md"), Note("b/Only.md".into()));
}

#[test]
fn backlinks_mentions_names() {
    let (_d, v) = vault_with(&[
        ("Channels.md", "---\naliases: [chan]\ntitle: Go Channels\n---\n"),
        (
            "a.md",
            "intro\n  see [[channels#Close|closing]] ok  \nand [x](Channels.md)\n`[[Channels]]`",
        ),
        (
            "b.md",
            "Channels are neat. channelsX no. A chan!\n```\nchannels in code\n```\n[[Channels]] linked. Go channels rock",
        ),
    ]);
    let bl = v.backlinks("Channels.md");
    let got: Vec<(&str, usize, &str)> = bl
        .iter()
        .map(|b| (b.from.as_str(), b.line, b.context.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("a.md", 2, "see [[channels#Close|closing]] ok"),
            ("a.md", 3, "and [x](Channels.md)"),
            ("b.md", 5, "[[Channels]] linked. Go channels rock"),
        ]
    );
    assert_eq!(bl[0].link.alias.as_deref(), Some("closing"));

    let m = v.unlinked_mentions("Channels.md");
    let got: Vec<(&str, usize, usize, &str)> = m
        .iter()
        .map(|m| (m.path.as_str(), m.line, m.col, m.text.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("b.md", 1, 1, "Channels"),
            ("b.md", 1, 36, "chan"),
            ("b.md", 5, 22, "Go channels"),
        ]
    );
    let names = v.all_names();
    assert!(names.contains(&NameEntry {
        path: "Channels.md".into(),
        display: "chan".into(),
        kind: NameKind::Alias
    }));
    assert!(names.contains(&NameEntry {
        path: "Channels.md".into(),
        display: "Go Channels".into(),
        kind: NameKind::Title
    }));
    assert_eq!(names.iter().filter(|n| n.kind == NameKind::Name).count(), 3);
}

#[test]
fn search_finds_case_insensitive_with_context() {
    let long = format!("{}NEEDLE{}", "x".repeat(300), "y".repeat(300));
    let (_d, v) = vault_with(&[
        ("a.md", "one\nA needle in ünïcode Needle"),
        ("b.md", &long),
        ("c.md", "İstanbul needle"),
    ]);
    let hits = v.search("NeEdLe", 10);
    let got: Vec<(&str, usize, usize)> = hits
        .iter()
        .map(|h| (h.path.as_str(), h.line, h.col))
        .collect();
    assert_eq!(
        got,
        vec![
            ("a.md", 2, 3),
            ("a.md", 2, 21),
            ("b.md", 1, 301),
            ("c.md", 1, 10)
        ]
    );
    for h in &hits {
        assert_eq!(
            h.context[h.match_range_in_context.clone()].to_lowercase(),
            "needle"
        );
    }
    assert!(hits[2].context.chars().count() <= 2 * 80 + 6);
    assert_eq!(v.search("needle", 2).len(), 2);
    assert!(v.search("", 10).is_empty());
    assert!(v.search("absent", 10).is_empty());
}

#[test]
fn update_reload_rescan_create_delete() {
    let (d, mut v) = vault_with(&[("a.md", "[[b]]"), ("b.md", "")]);
    assert_eq!(v.backlinks("b.md").len(), 1);
    v.update_note("a.md", "no links".into());
    assert!(v.backlinks("b.md").is_empty());
    assert_eq!(v.text("a.md"), Some("no links"));
    v.update_note("new.md", "[[b]]".into());
    assert_eq!(v.backlinks("b.md").len(), 1);
    assert_eq!(v.note("new.md").unwrap().stamp, FileStamp::default());

    v.reload_from_disk("a.md").unwrap();
    assert_eq!(v.text("a.md"), Some("[[b]]"));

    write(d.path(), "c.md", b"fresh");
    write(d.path(), "b.md", b"changed!");
    fs::remove_file(d.path().join("a.md")).unwrap();
    let ch = v.rescan().unwrap();
    assert_eq!(ch.added, vec!["c.md"]);
    assert_eq!(ch.removed, vec!["a.md"]);
    assert_eq!(ch.modified, vec!["b.md"]);
    assert!(v.rescan().unwrap().is_empty());
    // The unsaved note is not on disk but stays in the index.
    assert!(v.note("new.md").is_some());

    v.create_note("dir/sub/made", "# Made").unwrap();
    assert_eq!(read(d.path(), "dir/sub/made.md"), "# Made");
    assert!(matches!(
        v.create_note("dir/sub/made.md", "x"),
        Err(VaultError::AlreadyExists(_))
    ));
    assert!(matches!(
        v.create_note("../escape.md", "x"),
        Err(VaultError::InvalidPath(_))
    ));
    assert!(matches!(
        v.create_note(".hidden/x.md", "x"),
        Err(VaultError::InvalidPath(_))
    ));
    assert!(matches!(
        v.create_note("a|b.md", "x"),
        Err(VaultError::InvalidPath(_))
    ));
    v.delete_note("dir/sub/made.md").unwrap();
    assert!(!d.path().join("dir/sub/made.md").exists());
    assert!(v.note("dir/sub/made.md").is_none());
    assert!(matches!(
        v.delete_note("nope.md"),
        Err(VaultError::NotFound(_))
    ));

    fs::remove_file(d.path().join("c.md")).unwrap();
    v.reload_from_disk("c.md").unwrap();
    assert!(v.note("c.md").is_none());
}

// ---------- rename ----------

#[test]
fn rename_rewrites_every_form_and_inverse_restores() {
    let other = "\
[[Target]] [[target|Alias]] [[Target#Heading]] [[Target#Heading|alias]]
[[old/Target]] [[Target.md]] ![[Target]] [[Target#^block]]
[md](old/Target.md) [enc](old/Target.md#Heading) [angle](<old/Target.md>)
`[[Target]]` and
```
[[Target]] [x](old/Target.md)
```
[[Unrelated]]
";
    let moved = "[up](../other.md) [[other]] [self](Target.md#Heading) [[Target#Heading]]";
    let (d, mut v) = vault_with(&[
        ("other.md", other),
        ("old/Target.md", moved),
        ("Unrelated.md", ""),
        ("sub/deeper/third.md", "[t](../../old/Target.md) [[Target]]"),
    ]);
    let plan = v.rename("old/Target.md", "new place/Renamed.md").unwrap();
    assert_eq!(plan.edits.len(), 3);
    let expected_other = "\
[[Renamed]] [[Renamed|Alias]] [[Renamed#Heading]] [[Renamed#Heading|alias]]
[[new place/Renamed]] [[Renamed.md]] ![[Renamed]] [[Renamed#^block]]
[md](new%20place/Renamed.md) [enc](new%20place/Renamed.md#Heading) [angle](<new place/Renamed.md>)
`[[Target]]` and
```
[[Target]] [x](old/Target.md)
```
[[Unrelated]]
";
    assert_eq!(read(d.path(), "other.md"), expected_other);
    assert_eq!(
        read(d.path(), "new place/Renamed.md"),
        "[up](../other.md) [[other]] [self](Renamed.md#Heading) [[Renamed#Heading]]"
    );
    assert_eq!(
        read(d.path(), "sub/deeper/third.md"),
        "[t](../../new%20place/Renamed.md) [[Renamed]]"
    );
    assert!(!d.path().join("old/Target.md").exists());
    assert!(v.note("old/Target.md").is_none());
    assert_eq!(v.backlinks("new place/Renamed.md").len(), 15);
    assert_eq!(v.text("other.md"), Some(expected_other));

    v.apply(&plan.inverse()).unwrap();
    assert_eq!(read(d.path(), "other.md"), other);
    assert_eq!(read(d.path(), "old/Target.md"), moved);
    assert!(!d.path().join("new place/Renamed.md").exists());
    assert_eq!(v.backlinks("old/Target.md").len(), 15);
}

#[test]
fn rename_keeps_encoding_style_and_qualifies_when_ambiguous() {
    let (d, mut v) = vault_with(&[
        ("a/Src.md", "[[Src]] [p](Src.md) [q](./Src.md)"),
        ("b/Dup.md", ""),
        ("c/Linker.md", "[[Src]] [x](../a/Src.md)"),
    ]);
    let plan = v.plan_rename("a/Src.md", "a/Dup.md").unwrap();
    // Planning touches nothing.
    assert!(d.path().join("a/Src.md").exists());
    v.apply(&plan).unwrap();
    // From c/, "Dup" would be ambiguous, so the link gets its full path.
    assert_eq!(read(d.path(), "c/Linker.md"), "[[a/Dup]] [x](../a/Dup.md)");
    // In its own folder the bare name still wins.
    assert_eq!(
        read(d.path(), "a/Dup.md"),
        "[[Dup]] [p](Dup.md) [q](Dup.md)"
    );
}

#[test]
fn rename_fixes_links_that_would_change_target() {
    // Moving a second "Shared" into the root makes [[Shared]] from elsewhere
    // point at it; existing links must keep their old target.
    let (d, mut v) = vault_with(&[
        ("x/Shared.md", ""),
        ("y/Mover.md", ""),
        ("z.md", "[[Shared]]"),
    ]);
    v.rename("y/Mover.md", "Shared.md").unwrap();
    assert_eq!(read(d.path(), "z.md"), "[[x/Shared]]");
    assert_eq!(
        v.resolve("z.md", "x/Shared"),
        Resolution::Note("x/Shared.md".into())
    );
}

#[test]
fn moved_note_keeps_attachment_and_note_links() {
    let (d, mut v) = vault_with(&[
        (
            "a/Note.md",
            "![d](img/diagram.png) ![[diagram.png]] [o](Other.md) [x](../top.md)",
        ),
        ("a/img/diagram.png", "png"),
        ("a/Other.md", ""),
        ("top.md", ""),
    ]);
    v.rename("a/Note.md", "b/c/Note.md").unwrap();
    assert_eq!(
        read(d.path(), "b/c/Note.md"),
        "![d](../../a/img/diagram.png) ![[diagram.png]] [o](../../a/Other.md) [x](../../top.md)"
    );
    assert!(
        check::diagnostics(&v).is_empty(),
        "{:?}",
        check::diagnostics(&v)
    );
}

#[test]
fn rename_keeps_extensionless_and_absolute_markdown_links() {
    let (d, mut v) = vault_with(&[
        ("docs/Guide.md", "# Setup Steps\n"),
        (
            "x/y.md",
            "[a](../docs/Guide) [b](/docs/Guide.md#setup-steps) [c](../docs/Guide.md#setup-steps)",
        ),
    ]);
    v.rename("docs/Guide.md", "Guide Book.md").unwrap();
    assert_eq!(
        read(d.path(), "x/y.md"),
        "[a](../Guide%20Book) [b](/Guide%20Book.md#setup-steps) [c](../Guide%20Book.md#setup-steps)"
    );
    assert!(
        check::diagnostics(&v).is_empty(),
        "{:?}",
        check::diagnostics(&v)
    );
    let undo = v.plan_rename("Guide Book.md", "docs/Guide.md").unwrap();
    v.apply(&undo).unwrap();
    assert_eq!(
        read(d.path(), "x/y.md"),
        "[a](../docs/Guide) [b](/docs/Guide.md#setup-steps) [c](../docs/Guide.md#setup-steps)"
    );
}

#[test]
fn lossy_moved_note_needing_edits_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/bad.md", b"\xff [x](other.md)");
    write(dir.path(), "a/other.md", b"");
    let mut v = Vault::open(dir.path()).unwrap();
    assert!(matches!(
        v.rename("a/bad.md", "b/bad.md"),
        Err(VaultError::ReadOnlyNote(p)) if p == "a/bad.md"
    ));
    assert!(dir.path().join("a/bad.md").exists());
    assert!(!dir.path().join("b").exists());
}

#[test]
fn rename_errors_and_conflicts() {
    let (d, mut v) = vault_with(&[("a.md", "[[b]]"), ("b.md", ""), ("c.md", "")]);
    assert!(matches!(
        v.plan_rename("zz.md", "y.md"),
        Err(VaultError::NotFound(_))
    ));
    assert!(matches!(
        v.plan_rename("b.md", "c.md"),
        Err(VaultError::AlreadyExists(_))
    ));
    assert!(matches!(
        v.plan_rename("b.md", "../c.md"),
        Err(VaultError::InvalidPath(_))
    ));
    let plan = v.plan_rename("b.md", "d.md").unwrap();
    // Someone edits a.md on disk after planning: applying must not clobber it.
    write(d.path(), "a.md", b"[[b]] external edit");
    assert!(matches!(v.apply(&plan), Err(VaultError::Conflict(_))));
    assert!(d.path().join("b.md").exists());
    assert_eq!(read(d.path(), "a.md"), "[[b]] external edit");
}

#[test]
fn case_only_rename_and_index_conflict() {
    let (d, mut v) = vault_with(&[("Note.md", "x"), ("a.md", "[[Note]] [n](Note.md)")]);
    let plan = v.rename("Note.md", "note.md").unwrap();
    // Wiki links are case-insensitive; the Markdown path is fixed.
    assert_eq!(read(d.path(), "a.md"), "[[Note]] [n](note.md)");
    assert_eq!(plan.edits.len(), 1);
    assert!(v.note("note.md").is_some() && v.note("Note.md").is_none());

    let plan = v.plan_rename("note.md", "b/note.md").unwrap();
    v.update_note("a.md", "[[Note]] [n](note.md) edited".into());
    assert!(matches!(v.apply(&plan), Err(VaultError::Conflict(p)) if p == "a.md"));
    assert!(d.path().join("note.md").exists());
}

#[test]
fn invalid_utf8_is_lossy_and_never_written() {
    let bytes: &[u8] = b"ok line\nbad \xff\xfe byte [[Target]]\n";
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.md", bytes);
    write(dir.path(), "Target.md", b"");
    let mut v = Vault::open(dir.path()).unwrap();
    let n = v.note("bad.md").unwrap();
    assert!(n.lossy);
    assert!(v.text("bad.md").unwrap().contains('\u{fffd}'));
    assert_eq!(n.links.len(), 1);
    assert!(matches!(
        v.save_note("bad.md"),
        Err(VaultError::ReadOnlyNote(_))
    ));
    assert!(matches!(
        v.rename("Target.md", "Other.md"),
        Err(VaultError::ReadOnlyNote(_))
    ));
    // Moving the lossy note itself needs no rewrite and is allowed.
    v.update_note("bad.md", "edited".into());
    assert!(v.note("bad.md").unwrap().lossy);
    assert!(matches!(
        v.save_note("bad.md"),
        Err(VaultError::ReadOnlyNote(_))
    ));
    v.rename("bad.md", "moved.md").unwrap();
    assert_eq!(fs::read(dir.path().join("moved.md")).unwrap(), bytes);
    assert!(dir.path().join("Target.md").exists());

    let diags = check::diagnostics(&Vault::open(dir.path()).unwrap());
    assert_eq!(
        diags.iter().map(ToString::to_string).collect::<Vec<_>>(),
        vec!["moved.md:2:5: error: file is not valid UTF-8; Strata opens it read-only"]
    );
}

#[test]
fn save_note_writes_buffer_and_updates_stamp() {
    let (d, mut v) = vault_with(&[("a.md", "old")]);
    let before = v.note("a.md").unwrap().stamp;
    v.update_note("a.md", "new text".into());
    assert_eq!(v.note("a.md").unwrap().stamp, before);
    let s = v.save_note("a.md").unwrap();
    assert_eq!(read(d.path(), "a.md"), "new text");
    assert_eq!(s, stamp_of(&d.path().join("a.md")).unwrap());
    assert_eq!(v.note("a.md").unwrap().stamp, s);
}

// ---------- check ----------

#[test]
fn check_reports_positions() {
    let (d, _v) = vault_with(&[
        ("a/Dup.md", "# Real Heading\nline ^blk"),
        ("b/Dup.md", ""),
        (
            "notes/n.md",
            "ok [[a/Dup#Real Heading]] [[a/Dup#real-heading]] [[a/Dup#^blk]]\n  ✓ [[Missing]] [[Dup]]\n[[a/Dup#Nope]] [img](pic.png) ![[pic.png]] [x](gone.png)\n`[[InCode]]`",
        ),
        ("pic.png", ""),
    ]);
    let diags = check_vault(d.path()).unwrap();
    let lines: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        vec![
            "notes/n.md:2:5: error: [[Missing]]: broken link, no note \"Missing\"",
            "notes/n.md:2:17: warning: [[Dup]]: ambiguous link, matches a/Dup.md, b/Dup.md",
            "notes/n.md:3:1: warning: [[a/Dup#Nope]]: no heading \"Nope\" in a/Dup.md",
            "notes/n.md:3:44: error: [x](gone.png): broken link, no note \"gone.png\"",
        ]
    );
}

// ---------- property tests ----------

mod props {
    use super::super::links::*;
    use proptest::prelude::*;

    fn check_span(text: &str, r: &std::ops::Range<usize>) {
        assert!(
            r.start <= r.end && r.end <= text.len(),
            "{r:?} in {}",
            text.len()
        );
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
    }

    fn markdownish() -> impl Strategy<Value = String> {
        let atoms = prop::sample::select(vec![
            "[[",
            "]]",
            "[",
            "]",
            "(",
            ")",
            "<",
            ">",
            "|",
            "#",
            "!",
            "`",
            "```",
            "~~~",
            "\n",
            " ",
            "---\n",
            "\\",
            "%20",
            "%",
            "a",
            "Note",
            ".md",
            "/",
            "../",
            "-",
            ":",
            "\"",
            "'",
            "ü",
            "✓",
            "中",
            "🦀",
            "\r\n",
            "tags: [a, b]\n",
            "  - x\n",
            "#tag",
            "^",
        ]);
        prop::collection::vec(atoms, 0..60).prop_map(|v| v.concat())
    }

    fn all_checks(s: &str) {
        for l in parse_links(s) {
            check_span(s, &l.span);
            check_span(s, &l.target_span);
            assert!(l.span.start <= l.target_span.start && l.target_span.end <= l.span.end);
            assert!(l.line >= 1 && l.col >= 1);
        }
        for (_, r) in parse_tags(s) {
            check_span(s, &r);
        }
        if let Some(fm) = front_matter(s) {
            check_span(s, &fm.range);
        }
        let code = code_ranges(s);
        for w in code.windows(2) {
            assert!(w[0].end <= w[1].start, "{code:?}");
        }
        for r in &code {
            check_span(s, r);
        }
        let _ = parse_headings(s);
    }

    proptest! {
        #[test]
        fn parsers_never_panic_on_arbitrary_text(s in any::<String>()) {
            all_checks(&s);
        }

        #[test]
        fn parsers_never_panic_on_markdownish_text(s in markdownish()) {
            all_checks(&s);
        }
    }
}

mod rename_props {
    use super::*;
    use proptest::prelude::*;

    const FOLDERS: &[&str] = &["", "x/", "x/y/", "z w/"];
    const NAMES: &[&str] = &["Alpha", "beta", "Gamma Ray"];

    fn link_text(form: usize, folder: &str, name: &str) -> String {
        let enc = name.replace(' ', "%20");
        match form {
            0 => format!("[[{name}]]"),
            1 => format!("[[{folder}{name}|shown]]"),
            2 => format!("![[{name}#Part]]"),
            3 => format!("[[{name}.md]]"),
            4 => format!("[m](/{}{enc}.md)", folder.replace(' ', "%20")),
            5 => format!("[m](<{name}.md#Part>)"),
            _ => format!("`[[{name}]]`"),
        }
    }

    fn vault_strategy() -> impl Strategy<Value = Vec<(String, String)>> {
        let note = (
            0..FOLDERS.len(),
            0..NAMES.len(),
            prop::collection::vec((0..7usize, 0..FOLDERS.len(), 0..NAMES.len()), 0..6),
        );
        prop::collection::vec(note, 1..7).prop_map(|notes| {
            let mut seen = std::collections::BTreeMap::new();
            for (f, n, links) in notes {
                let path = format!("{}{}.md", FOLDERS[f], NAMES[n]);
                let body: Vec<String> = links
                    .into_iter()
                    .map(|(form, lf, ln)| link_text(form, FOLDERS[lf], NAMES[ln]))
                    .collect();
                seen.insert(path, format!("# Part\n{}\n", body.join(" and\n")));
            }
            seen.into_iter().collect()
        })
    }

    fn resolutions(v: &Vault) -> Vec<(String, Vec<Resolution>)> {
        v.notes()
            .map(|n| {
                let r = n.links.iter().map(|l| v.resolve_link(&n.path, l)).collect();
                (n.path.clone(), r)
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn rename_preserves_targets_and_inverse_restores(
            files in vault_strategy(),
            pick in any::<prop::sample::Index>(),
            dest_folder in 0..FOLDERS.len(),
            dest_name in prop::sample::select(vec!["Moved", "beta", "Gamma Ray", "New One"]),
        ) {
            let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
            let (d, mut v) = vault_with(&refs);
            let from = files[pick.index(files.len())].0.clone();
            let to = format!("{}{dest_name}.md", FOLDERS[dest_folder]);
            prop_assume!(v.note(&to).is_none());
            let before = resolutions(&v);
            let plan = v.rename(&from, &to).unwrap();
            let map = |p: &str| if p == from { to.clone() } else { p.to_string() };
            let after: std::collections::HashMap<String, Vec<Resolution>> =
                resolutions(&v).into_iter().collect();
            for (path, res) in &before {
                let now = &after[&map(path)];
                prop_assert_eq!(res.len(), now.len());
                for (old, new) in res.iter().zip(now) {
                    if let Resolution::Note(p) = old {
                        prop_assert_eq!(new, &Resolution::Note(map(p)), "in {}", path);
                    }
                }
            }
            v.apply(&plan.inverse()).unwrap();
            for (p, t) in &files {
                prop_assert_eq!(&read(d.path(), p), t);
            }
            prop_assert!(!d.path().join(&to).exists());
        }
    }
}

mod search_props {
    use super::*;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        let atoms = prop::sample::select(vec![
            "İ", "ẞ", "Σ", "ς", "a", "A", "needle", "NEEDLE", " ", "\n", "[[", "]]", "`", "✓",
            "Kelvin", "\u{212A}", "ﬃ", "i\u{307}", "#", "Note",
        ]);
        prop::collection::vec(atoms, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn search_and_mentions_stay_on_char_boundaries(t in text(), q in text(), name in text()) {
            let dir = tempfile::tempdir().unwrap();
            let mut v = Vault::open(dir.path()).unwrap();
            v.update_note("a.md", t.clone());
            let target = format!("{}.md", name.trim().replace(['/', '\n'], "_"));
            v.update_note(&target, String::new());
            for h in v.search(&q, 50) {
                let r = h.match_range_in_context.clone();
                prop_assert!(r.start <= r.end && r.end <= h.context.len());
                prop_assert!(h.context.is_char_boundary(r.start));
                prop_assert!(h.context.is_char_boundary(r.end));
                prop_assert!(h.line >= 1 && h.col >= 1);
            }
            if !q.is_empty() && t.is_ascii() && q.is_ascii() {
                let expect = t.to_ascii_lowercase().matches(&q.to_ascii_lowercase()).count();
                prop_assert_eq!(v.search(&q, 1000).len(), expect);
            }
            for m in v.unlinked_mentions(&target) {
                prop_assert!(t.get(m.range.clone()).is_some());
                prop_assert!(!m.range.is_empty());
            }
        }
    }
}
