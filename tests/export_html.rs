//! The offline HTML site and SVG export, driven through the public API on a
//! copy of the bundled samples vault.

use percent_encoding::percent_decode_str;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use strata::export::{export_html, export_svgs, export_svgs_report, HtmlOptions};
use strata::vault::Vault;

mod common;
use common::{copy_dir, samples_dir};

const EVIL: &str = r#"---
title: Hostile note
---
# Hostile note

<script>alert(1)</script>

Inline <script>alert(2)</script> and <img src=x onerror=alert(3)>.

[click](javascript:alert(1)) and [ok](https://example.com/a?b=1&c=2) and [[Nope nothing]].

See [[Goroutine leaks#Fixes]], [[Goroutine leaks#No such heading]] and [rel](traps/Deadlock.md).

![[traps/Deadlock]]

- [x] done task
- [ ] open task

```mermaid
flowchart TD
    A["</text><script>alert(4)</script>"] --> B[ok]
```

```mermaid
flowchart TD
    A --> 
    B[[[
```

Tail with 中文 and a footnote[^n].

[^n]: The footnote text.
"#;

struct Site {
    _dir: tempfile::TempDir,
    vault_dir: PathBuf,
    out: PathBuf,
}

fn export_site() -> Site {
    let dir = tempfile::tempdir().expect("tempdir");
    let vault_dir = dir.path().join("vault");
    copy_dir(&samples_dir(), &vault_dir);
    fs::write(vault_dir.join("Hostile note.md"), EVIL).expect("write");
    let vault = Vault::open(&vault_dir).expect("open");
    let out = dir.path().join("site");
    let summary = export_html(&vault, &out, &HtmlOptions::default()).expect("export");
    assert_eq!(summary.pages, vault.len());
    assert!(summary.diagrams >= 10, "{summary:?}");
    assert!(
        summary
            .diagram_errors
            .iter()
            .any(|(n, line, _)| n == "Hostile note.md" && *line > 20),
        "{:?}",
        summary.diagram_errors
    );
    Site {
        _dir: dir,
        vault_dir,
        out,
    }
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).expect("read_dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    files(dir, &mut all);
    all.retain(|p| p.extension().is_some_and(|e| e == "html"));
    all
}

/// Values of `attr="..."` in `html`.
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        let after = &rest[i + needle.len()..];
        let end = after.find('"').expect("closed attribute");
        out.push(&after[..end]);
        rest = &after[end..];
    }
    out
}

fn unescape_attr(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A small XML well-formedness check: balanced, properly nested tags,
/// quoted attributes and only known entity forms.
fn check_xml(xml: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let b = xml.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'<' => {
                let rest = &xml[i..];
                if rest.starts_with("<!--") {
                    i += rest.find("-->").ok_or("open comment")? + 3;
                    continue;
                }
                if rest.starts_with("<?") {
                    i += rest.find("?>").ok_or("open PI")? + 2;
                    continue;
                }
                if rest.starts_with("<!") {
                    i += rest.find('>').ok_or("open decl")? + 1;
                    continue;
                }
                // Find the end of the tag, honouring quotes.
                let mut j = 1;
                let mut quote: Option<u8> = None;
                while j < rest.len() {
                    let c = rest.as_bytes()[j];
                    match quote {
                        Some(q) if c == q => quote = None,
                        Some(_) if c == b'<' => return Err(format!("`<` in attribute at {i}")),
                        Some(_) => {}
                        None if c == b'"' || c == b'\'' => quote = Some(c),
                        None if c == b'>' => break,
                        None if c == b'<' => return Err(format!("`<` inside tag at {i}")),
                        None => {}
                    }
                    j += 1;
                }
                if j >= rest.len() {
                    return Err(format!("unclosed tag at {i}"));
                }
                let tag = &rest[1..j];
                if let Some(name) = tag.strip_prefix('/') {
                    let name = name.trim();
                    match stack.pop() {
                        Some(open) if open == name => {}
                        other => return Err(format!("</{name}> closes {other:?} at {i}")),
                    }
                } else if !tag.ends_with('/') {
                    let name = tag.split_whitespace().next().unwrap_or("").to_string();
                    if name.is_empty() {
                        return Err(format!("empty tag at {i}"));
                    }
                    stack.push(name);
                }
                i += j + 1;
            }
            b'&' => {
                let rest = &xml[i..];
                let end = rest.find(';').ok_or(format!("bare & at {i}"))?;
                let ent = &rest[1..end];
                let ok = matches!(ent, "amp" | "lt" | "gt" | "quot" | "apos")
                    || ent.strip_prefix('#').is_some_and(|n| {
                        n.strip_prefix('x').map_or_else(
                            || n.chars().all(|c| c.is_ascii_digit()),
                            |h| h.chars().all(|c| c.is_ascii_hexdigit()),
                        ) && !n.is_empty()
                    });
                if !ok {
                    return Err(format!("bad entity &{ent}; at {i}"));
                }
                i += end + 1;
            }
            _ => i += 1,
        }
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed {stack:?}"))
    }
}

fn inline_svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<svg") {
        let after = &rest[i..];
        let end = after.find("</svg>").expect("closed svg") + "</svg>".len();
        out.push(&after[..end]);
        rest = &after[end..];
    }
    out
}

#[test]
fn site_has_a_page_per_note_and_every_local_link_resolves() {
    let site = export_site();
    let vault = Vault::open(&site.vault_dir).expect("open");
    for n in vault.notes() {
        let page = site
            .out
            .join(format!("{}.html", n.path.trim_end_matches(".md")));
        assert!(page.is_file(), "no page for {}", n.path);
    }
    assert!(site.out.join("index.html").is_file());
    assert!(site.out.join("style.css").is_file());
    let mut checked = 0;
    for page in html_files(&site.out) {
        let html = fs::read_to_string(&page).expect("read");
        let dir = page.parent().expect("parent");
        for v in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            let v = unescape_attr(v);
            if v.starts_with("https://") || v.starts_with("http://") || v.starts_with("mailto:") {
                continue;
            }
            let (path, frag) = v.split_once('#').unwrap_or((&v, ""));
            let target = if path.is_empty() {
                page.clone()
            } else {
                let decoded = percent_decode_str(path).decode_utf8().expect("utf8");
                dir.join(decoded.as_ref())
            };
            assert!(
                target.is_file(),
                "{}: {v} -> {} missing",
                page.display(),
                target.display()
            );
            if !frag.is_empty() && target.extension().is_some_and(|e| e == "html") {
                let frag = percent_decode_str(frag).decode_utf8().expect("utf8");
                let body = fs::read_to_string(&target).expect("read");
                let id = format!(
                    " id=\"{}\"",
                    frag.replace('&', "&amp;").replace('"', "&quot;")
                );
                assert!(body.contains(&id), "{}: anchor {v} missing", page.display());
            }
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} links checked");
}

#[test]
fn no_output_file_loads_anything_from_the_network() {
    let site = export_site();
    let mut all = Vec::new();
    files(&site.out, &mut all);
    for f in all {
        let Ok(text) = fs::read_to_string(&f) else {
            continue;
        };
        for attr in ["src", "srcset", "poster", "data"] {
            for v in attr_values(&text, attr) {
                assert!(!v.contains("://"), "{}: {attr}={v}", f.display());
            }
        }
        // Stylesheets, icons and preloads come through <link href>; user
        // links (<a href>) may point to the web.
        let mut rest = text.as_str();
        while let Some(i) = rest.find("<link") {
            let tag = &rest[i..i + rest[i..].find('>').expect("closed link")];
            assert!(!tag.contains("://"), "{}: {tag}", f.display());
            rest = &rest[i + 5..];
        }
        assert!(!text.contains("@import"), "{}", f.display());
        assert!(!text.contains("url(http"), "{}", f.display());
        assert!(!text.contains("fetch("), "{}", f.display());
    }
}

#[test]
fn hostile_note_is_neutralised() {
    let site = export_site();
    let html = fs::read_to_string(site.out.join("Hostile note.html")).expect("read");
    // The only scripts are the site's own search script and, for the
    // programs of the embedded Deadlock note, the simulator player with
    // its recordings (JSON data blocks, which never run).
    let data = html
        .matches("<script type=\"application/json\" class=\"sim-data\">")
        .count();
    assert!(data >= 1, "embedded programs are recorded");
    assert_eq!(html.matches("<script").count(), 2 + data, "{html}");
    assert!(html.contains("<script src=\"search.js\"></script>"));
    assert!(html.contains("<script src=\"sim.js\"></script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
    assert!(!html.contains("<img src=x"));
    assert!(!html.to_ascii_lowercase().contains("javascript:"), "{html}");
    assert!(html.contains("&lt;img src=x onerror=alert(3)&gt;"));
    assert!(html.contains("href=\"https://example.com/a?b=1&amp;c=2\""));
    // The unresolved wiki link is marked broken and has no href.
    assert!(html.contains("<a class=\"broken\" title=\"no note named “Nope nothing”\">"));
    // The Mermaid label is text inside the SVG.
    assert!(html.contains("&lt;/text&gt;&lt;script&gt;"), "{html}");
    // The broken diagram is shown in place with its position in the note.
    assert!(html.contains("class=\"diagram-error\""));
    assert!(html.contains("Mermaid diagram error at Hostile note.md:"));
    // Tasks, footnotes, embeds, CSP.
    assert!(html.contains("<input type=\"checkbox\" disabled checked>"));
    assert!(html.contains("<li id=\"fn-1\">"));
    assert!(html.contains("<div class=\"embed\"><div class=\"embed-title\">"));
    assert!(html.contains("http-equiv=\"Content-Security-Policy\""));
}

#[test]
fn inline_and_exported_svgs_are_well_formed_with_unique_ids() {
    let site = export_site();
    let mut svgs = 0;
    for page in html_files(&site.out) {
        let html = fs::read_to_string(&page).expect("read");
        let mut ids = BTreeSet::new();
        for svg in inline_svgs(&html) {
            check_xml(svg).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
            for id in attr_values(svg, "id") {
                assert!(
                    ids.insert(id.to_string()),
                    "{}: duplicate id {id}",
                    page.display()
                );
            }
            svgs += 1;
        }
    }
    assert!(svgs >= 10);

    let vault = Vault::open(&site.vault_dir).expect("open");
    let dir = site.out.join("svg");
    let report = export_svgs_report(&vault, &dir).expect("svgs");
    assert!(report
        .errors
        .iter()
        .any(|e| e.note == "Hostile note.md" && e.line > 20));
    assert!(report.files.len() >= 10);
    for f in &report.files {
        let text = fs::read_to_string(f).expect("read");
        check_xml(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }
    assert!(dir.join("Start here-1.svg").is_file());
    assert!(dir.join("Hostile note-1.svg").is_file());
    assert!(!dir.join("Hostile note-2.svg").exists());
    let again = export_svgs(&vault, &site.out.join("svg2")).expect("svgs");
    assert_eq!(again.len(), report.files.len());
}

#[test]
fn search_index_lists_every_note_and_backlinks_are_shown() {
    let site = export_site();
    let js = fs::read_to_string(site.out.join("search.js")).expect("read");
    let json = js
        .split_once("var STRATA_INDEX = ")
        .and_then(|(_, r)| r.split_once(";\n"))
        .map(|(j, _)| j)
        .expect("index");
    let index: serde_json::Value = serde_json::from_str(json).expect("json");
    let pages: BTreeSet<&str> = index
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|e| e["p"].as_str())
        .collect();
    let vault = Vault::open(&site.vault_dir).expect("open");
    for n in vault.notes() {
        let page = format!("{}.html", n.path.trim_end_matches(".md"));
        assert!(pages.contains(page.as_str()), "{page} not indexed");
    }
    let deadlock = fs::read_to_string(site.out.join("traps/Deadlock.html")).expect("read");
    assert!(deadlock.contains("<section class=\"backlinks\">"));
    assert!(deadlock.contains("href=\"../Hostile%20note.html\""));
}

#[test]
fn single_file_export_inlines_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vault = Vault::open(&samples_dir()).expect("open");
    let opts = HtmlOptions {
        single: Some("协程泄漏速查".to_string()),
    };
    let summary = export_html(&vault, dir.path(), &opts).expect("export");
    assert_eq!(summary.pages, 1);
    let out = dir.path().join("协程泄漏速查.html");
    let html = fs::read_to_string(&out).expect("read");
    assert!(html.contains("<style>"));
    assert!(html.contains("<svg"));
    assert!(!html.contains("<link"));
    // The note's program brings its recording and the player inline; no
    // script is loaded from a file.
    assert!(!html.contains("<script src"));
    assert_eq!(
        html.matches("<script").count(),
        1 + html.matches("class=\"sim-data\"").count()
    );
    for attr in ["src", "href"] {
        for v in attr_values(&html, attr) {
            let ok = v.starts_with('#')
                || v.starts_with("data:")
                || v.starts_with("https://")
                || v.starts_with("http://")
                || v.starts_with("mailto:");
            assert!(ok, "relative reference {attr}={v}");
        }
    }
    let bad = export_html(
        &vault,
        dir.path(),
        &HtmlOptions {
            single: Some("No such note".into()),
        },
    );
    assert!(bad.is_err());
}

fn page_body(html: &str) -> &str {
    let start = html.find("<article").expect("article");
    let end = html.find("</article>").expect("end") + "</article>".len();
    &html[start..end]
}

#[test]
fn golden_page_body_of_a_small_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    let v = dir.path().join("v");
    fs::create_dir_all(v.join("sub")).expect("mkdir");
    fs::write(
        v.join("Small.md"),
        "# Small\n\nSome *emphasis*, **bold**, ~~old~~ and `code` #tag.\n\n## Links & more\n\n\
         - [[sub/Other|other note]] and [[Other#Part two]]\n- [ ] todo\n\n\
         | a | b |\n|:--|--:|\n| 1 | 2 |\n\n> quoted\n\n```go\nx := 1\n```\n",
    )
    .expect("write");
    fs::write(
        v.join("sub/Other.md"),
        "# Other\n\n## Part two\n\nBack to [[Small]].\n",
    )
    .expect("write");
    let vault = Vault::open(&v).expect("open");
    export_html(&vault, &dir.path().join("out"), &HtmlOptions::default()).expect("export");
    let html = fs::read_to_string(dir.path().join("out/Small.html")).expect("read");
    insta::assert_snapshot!(page_body(&html), @r##"
    <article class="note">
    <h1 id="small">Small</h1>
    <div class="tags"><span class="tag">#tag</span></div>
    <p>Some <em>emphasis</em>, <strong>bold</strong>, <del>old</del> and <code>code</code> <span class="tag">#tag</span>.</p>
    <h2 id="links--more">Links &amp; more</h2>
    <ul class="tasks">
    <li><a class="internal" href="sub/Other.html">other note</a> and <a class="internal" href="sub/Other.html#part-two">Other#Part two</a></li>
    <li class="task"><input type="checkbox" disabled> todo</li>
    </ul>
    <div class="table-wrap"><table>
    <thead><tr><th class="left">a</th><th class="right">b</th></tr></thead>
    <tbody>
    <tr><td class="left">1</td><td class="right">2</td></tr>
    </tbody></table></div>
    <blockquote>
    <p>quoted</p>
    </blockquote>
    <div class="code"><span class="code-lang">go</span><pre class="hl-code"><code class="language-go"><span class="hl-source hl-go"><span class="hl-meta hl-initialization hl-short hl-go"><span class="hl-variable hl-other hl-go">x</span> <span class="hl-keyword hl-operator hl-initialize hl-go">:=</span></span> <span class="hl-constant hl-numeric hl-integer hl-decimal hl-go">1</span>
    </span></code></pre></div>
    </article>
    "##);
}

/// With Chromium installed (CI may add it), load an exported page from
/// file:// under its Content-Security-Policy and check that the stylesheet
/// and search script were allowed to run. Skipped when Chromium is absent.
#[test]
fn chromium_runs_the_search_script_from_file_urls() {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.is_file() {
        eprintln!("skipped: /usr/bin/chromium not installed");
        return;
    }
    let site = export_site();
    let profile = tempfile::tempdir().expect("tempdir");
    let page = site.out.join("协程泄漏速查.html");
    const PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'.')
        .remove(b'-')
        .remove(b'_');
    let url = format!(
        "file://{}",
        percent_encoding::utf8_percent_encode(&page.to_string_lossy(), PATH)
    );
    let mut child = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(&url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn chromium");
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(90) {
            let _ = child.kill();
            panic!("chromium did not finish within 90 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let out = child.wait_with_output().expect("output");
    let dom = String::from_utf8_lossy(&out.stdout);
    let vault = Vault::open(&site.vault_dir).expect("open");
    // The script rewrites the placeholder, so this proves it ran.
    assert!(
        dom.contains(&format!("placeholder=\"Search {} notes\"", vault.len())),
        "search script did not run: {}",
        &dom[..dom.len().min(2000)]
    );
    assert!(dom.contains("<svg"));
}
