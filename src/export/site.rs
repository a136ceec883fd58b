//! Site assembly: page template, sidebar note tree, index page, search
//! index and shared assets.

use super::render::{Renderer, SiteCtx};
use super::util::{self, esc};
use super::{assets, io_err, ExportError, ExportSummary, HtmlOptions};
use crate::markdown::{self, BlockKind};
use crate::vault::{Note, Resolution, Vault};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// Only resources from the page's own folder tree and inline styles
/// (diagram SVGs and syntect output use none, but `style` attributes in
/// SVG are common); images may be data URIs in single-file mode.
const CSP: &str = "default-src 'none'; style-src 'self' 'unsafe-inline'; script-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

/// Names a root-level note may have to become the site's front page.
const START_NAMES: [&str; 3] = ["index", "start here", "readme"];

fn title_of(note: &Note) -> String {
    note.title.clone().unwrap_or_else(|| note.name.clone())
}

struct PageParts {
    title: String,
    body: String,
    toc: String,
    search_text: String,
    headings: Vec<String>,
}

/// Renders the main column of one note's page (without sidebar or shell).
fn note_body(ctx: &mut SiteCtx<'_>, note: &Note, page: &str) -> PageParts {
    let text = ctx.vault.text(&note.path).unwrap_or("");
    let doc = markdown::parse(text);
    let title = title_of(note);
    let mut body = String::new();
    let starts_with_h1 = matches!(
        doc.blocks.first().map(|b| &b.kind),
        Some(BlockKind::Heading { level: 1, .. })
    );
    let mut tags = String::new();
    if !note.tags.is_empty() {
        tags.push_str("<div class=\"tags\">");
        for t in &note.tags {
            let _ = write!(tags, "<span class=\"tag\">#{}</span>", esc(t));
        }
        tags.push_str("</div>\n");
    }
    let rendered = Renderer::new(ctx, page, &note.path).render(&doc.blocks);
    body.push_str("<article class=\"note\">\n");
    // Tags sit under the title, whether the note writes its own `# Title`
    // or the page supplies one.
    match rendered.split_once("</h1>\n").filter(|_| starts_with_h1) {
        Some((h1, rest)) => {
            let _ = write!(body, "{h1}</h1>\n{tags}{rest}");
        }
        None => {
            let _ = write!(
                body,
                "<h1 class=\"note-title\">{}</h1>\n{tags}{rendered}",
                esc(&title)
            );
        }
    }
    body.push_str("</article>\n");

    let backlinks = ctx.vault.backlinks(&note.path);
    let mut seen = std::collections::BTreeSet::new();
    let mut items = String::new();
    for b in &backlinks {
        if b.from == note.path || !seen.insert(b.from.clone()) {
            continue;
        }
        let from_title = ctx.vault.note(&b.from).map_or(b.from.clone(), title_of);
        let link = if ctx.single {
            format!("<span class=\"offsite\">{}</span>", esc(&from_title))
        } else {
            format!(
                "<a class=\"internal\" href=\"{}\">{}</a>",
                esc(&util::rel_href(page, &util::page_of(&b.from))),
                esc(&from_title)
            )
        };
        let _ = writeln!(
            items,
            "<li>{link}<div class=\"context\">{}</div></li>",
            esc(&util::clip(&b.context, 200))
        );
    }
    if !items.is_empty() {
        let _ = writeln!(
            body,
            "<section class=\"backlinks\"><h2>Backlinks</h2>\n<ul>\n{items}</ul></section>"
        );
    }

    let mut toc = String::new();
    let mut headings = Vec::new();
    let mut search_text = String::new();
    for b in &doc.blocks {
        match &b.kind {
            BlockKind::Heading {
                level,
                inlines,
                anchor,
            } => {
                let text = markdown::plain_text(inlines);
                let _ = writeln!(
                    toc,
                    "<li class=\"toc-l{}\"><a href=\"#{}\">{}</a></li>",
                    level,
                    esc(&util::encode_fragment(anchor)),
                    esc(&text)
                );
                headings.push(text);
            }
            BlockKind::Paragraph(inlines) if search_text.len() < 6000 => {
                search_text.push_str(&markdown::plain_text(inlines));
                search_text.push(' ');
            }
            _ => {}
        }
    }
    if !toc.is_empty() {
        toc = format!(
            "<nav class=\"toc\" aria-label=\"Contents\"><div class=\"toc-title\">Contents</div><ul>\n{toc}</ul></nav>\n"
        );
    }
    PageParts {
        title,
        body,
        toc,
        search_text: util::clip(search_text.trim(), 1500),
        headings,
    }
}

#[derive(Default)]
struct Tree {
    dirs: BTreeMap<String, Tree>,
    notes: Vec<(String, String)>,
}

fn build_tree(vault: &Vault) -> Tree {
    let mut root = Tree::default();
    for n in vault.notes() {
        let mut node = &mut root;
        let parts: Vec<&str> = n.path.split('/').collect();
        for d in &parts[..parts.len().saturating_sub(1)] {
            node = node.dirs.entry((*d).to_string()).or_default();
        }
        node.notes.push((n.path.clone(), title_of(n)));
    }
    root
}

fn tree_html(tree: &Tree, page: &str, out: &mut String) {
    out.push_str("<ul>\n");
    for (name, sub) in &tree.dirs {
        let _ = writeln!(
            out,
            "<li class=\"dir\"><details open><summary>{}</summary>",
            esc(name)
        );
        tree_html(sub, page, out);
        out.push_str("</details></li>\n");
    }
    for (path, title) in &tree.notes {
        let target = util::page_of(path);
        let current = if target == page {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<li><a href=\"{}\"{current}>{}</a></li>",
            esc(&util::rel_href(page, &target)),
            esc(title)
        );
    }
    out.push_str("</ul>\n");
}

/// Relative prefix from a page to the site root (`""`, `"../"` ...).
fn root_prefix(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

/// The player script inline, and the CSP source that allows exactly it.
fn inline_player() -> (String, String) {
    let js = assets::PLAYER_JS;
    let hash = util::base64(&util::sha256(js.as_bytes()));
    (
        format!("<script>{js}</script>\n"),
        format!(" 'sha256-{hash}'"),
    )
}

/// `player`: the page holds recorded simulator runs and loads `sim.js`
/// (inline in single-file mode, allowed by its hash).
fn shell(
    page: &str,
    title: &str,
    main: &str,
    sidebar: Option<&str>,
    inline_css: bool,
    player: bool,
) -> String {
    let root = root_prefix(page);
    let mut s = String::with_capacity(main.len() + 8192);
    let single_player = (player && sidebar.is_none()).then(inline_player);
    let csp = match &single_player {
        Some((_, hash)) => CSP.replace("script-src 'self'", &format!("script-src 'self'{hash}")),
        None => CSP.to_string(),
    };
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n<meta name=\"generator\" content=\"Strata\">\n<title>{}</title>\n",
        esc(title)
    );
    if inline_css {
        let _ = write!(s, "<style>\n{}\n</style>\n", assets::stylesheet());
    } else {
        let _ = writeln!(
            s,
            "<link rel=\"stylesheet\" href=\"{}style.css\">",
            esc(&root)
        );
    }
    s.push_str("</head>\n");
    match sidebar {
        Some(side) => {
            let _ = write!(
                s,
                "<body data-root=\"{}\">\n<div class=\"layout\">\n<aside class=\"sidebar\">\n<a class=\"home\" href=\"{}index.html\">Home</a>\n<div class=\"search\"><input type=\"search\" id=\"search-box\" placeholder=\"Search\" aria-label=\"Search notes\" autocomplete=\"off\"><ol id=\"search-results\" hidden></ol></div>\n<nav class=\"tree\" aria-label=\"Notes\">\n{side}</nav>\n</aside>\n<main>\n{main}</main>\n</div>\n<script src=\"{}search.js\"></script>\n{}</body>\n</html>\n",
                esc(&root),
                esc(&root),
                esc(&root),
                if player {
                    format!("<script src=\"{}sim.js\"></script>\n", esc(&root))
                } else {
                    String::new()
                }
            );
        }
        None => {
            let _ = write!(
                s,
                "<body>\n<div class=\"layout single\">\n<main>\n{main}</main>\n</div>\n{}</body>\n</html>\n",
                single_player.map(|p| p.0).unwrap_or_default()
            );
        }
    }
    s
}

fn main_column(parts: &PageParts) -> String {
    format!(
        "{}<div class=\"content\">\n{}</div>\n",
        parts.toc, parts.body
    )
}

fn search_js(entries: &[serde_json::Value]) -> String {
    let json = serde_json::Value::Array(entries.to_vec()).to_string();
    // `<` never appears raw, so the data cannot close a script element even
    // if someone inlines this file later.
    let json = json.replace('<', "\\u003c");
    format!(
        "// Generated by Strata: search index of this site.\nvar STRATA_INDEX = {json};\n{}",
        assets::SEARCH_JS
    )
}

fn find_single(vault: &Vault, name: &str) -> Result<String, ExportError> {
    let trimmed = name.trim().trim_start_matches("./");
    if vault.note(trimmed).is_some() {
        return Ok(trimmed.to_string());
    }
    let with_md = format!("{trimmed}.md");
    if vault.note(&with_md).is_some() {
        return Ok(with_md);
    }
    match vault.resolve("", trimmed) {
        Resolution::Note(p) => Ok(p),
        _ => Err(ExportError::NoSuchNote(name.to_string())),
    }
}

/// Writes the offline site for `vault` into `out_dir` (created if needed),
/// or with [`HtmlOptions::single`] one self-contained HTML file
/// `out_dir/<note name>.html`.
pub fn export_html(
    vault: &Vault,
    out_dir: &Path,
    opts: &HtmlOptions,
) -> Result<ExportSummary, ExportError> {
    std::fs::create_dir_all(out_dir).map_err(io_err(out_dir))?;
    if let Some(name) = &opts.single {
        let path = find_single(vault, name)?;
        let note = vault
            .note(&path)
            .ok_or_else(|| ExportError::NoSuchNote(name.clone()))?;
        let mut ctx = SiteCtx::new(vault, true);
        let page = format!("{}.html", note.name);
        let parts = note_body(&mut ctx, note, &page);
        let player = ctx.sim_seq > 0;
        let html = shell(
            &page,
            &parts.title,
            &main_column(&parts),
            None,
            true,
            player,
        );
        util::write_file(&util::out_path(out_dir, &page), html.as_bytes())?;
        return Ok(summary(ctx, 1));
    }

    let mut ctx = SiteCtx::new(vault, false);
    let tree = build_tree(vault);
    let mut index = Vec::new();
    let mut pages = 0;
    let mut start_page: Option<(String, String)> = None;
    for note in vault.notes() {
        let page = util::page_of(&note.path);
        ctx.svg_seq = 0;
        ctx.sim_seq = 0;
        let parts = note_body(&mut ctx, note, &page);
        let player = ctx.sim_seq > 0;
        let mut side = String::new();
        tree_html(&tree, &page, &mut side);
        let html = shell(
            &page,
            &parts.title,
            &main_column(&parts),
            Some(&side),
            false,
            player,
        );
        util::write_file(&util::out_path(out_dir, &page), html.as_bytes())?;
        pages += 1;
        index.push(serde_json::json!({
            "t": parts.title,
            "p": page,
            "h": parts.headings,
            "x": parts.search_text,
        }));
        let is_root = !note.path.contains('/');
        if is_root && START_NAMES.contains(&note.name.to_lowercase().as_str()) {
            let rank = START_NAMES
                .iter()
                .position(|n| *n == note.name.to_lowercase())
                .unwrap_or(START_NAMES.len());
            let better = match &start_page {
                Some((p, _)) => {
                    let old = START_NAMES
                        .iter()
                        .position(|n| format!("{}.html", n) == p.to_lowercase())
                        .unwrap_or(START_NAMES.len());
                    rank < old
                }
                None => true,
            };
            if better {
                start_page = Some((page.clone(), html));
            }
        }
    }
    let index_written = start_page.as_ref().is_some_and(|(p, _)| p == "index.html");
    if !index_written {
        let html = match start_page {
            // A root-level page has the same relative links at `index.html`.
            Some((_, html)) => html,
            None => {
                let mut list = String::new();
                tree_html(&tree, "index.html", &mut list);
                let main = format!(
                    "<div class=\"content\"><article class=\"note\"><h1 class=\"note-title\">All notes</h1>\n<nav class=\"all-notes\">{list}</nav></article></div>\n"
                );
                let mut side = String::new();
                tree_html(&tree, "index.html", &mut side);
                shell("index.html", "All notes", &main, Some(&side), false, false)
            }
        };
        util::write_file(&out_dir.join("index.html"), html.as_bytes())?;
    }
    let files: Vec<String> = ctx.files.keys().cloned().collect();
    for f in files {
        let from = util::out_path(vault.root(), &f);
        let to = util::out_path(out_dir, &f);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        std::fs::copy(&from, &to).map_err(io_err(&from))?;
    }
    // After the attachments, so a vault file named `style.css` cannot
    // replace the site's own.
    util::write_file(&out_dir.join("style.css"), assets::stylesheet().as_bytes())?;
    util::write_file(&out_dir.join("search.js"), search_js(&index).as_bytes())?;
    util::write_file(&out_dir.join("sim.js"), assets::PLAYER_JS.as_bytes())?;
    Ok(summary(ctx, pages))
}

fn summary(ctx: SiteCtx<'_>, pages: usize) -> ExportSummary {
    ExportSummary {
        pages,
        diagrams: ctx.diagrams,
        diagram_errors: ctx
            .problems
            .into_iter()
            .map(|p| (p.note, p.line, format!("{}: {}", p.col, p.message)))
            .collect(),
        recordings: ctx.recordings,
        sim_rejected: ctx.sim_rejected,
    }
}
