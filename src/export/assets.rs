//! The site's stylesheet and search script, written by hand: no web fonts,
//! no frameworks, nothing fetched.

use crate::highlight::{html, Theme};

const SITE_CSS: &str = r#":root {
  --bg: #ffffff; --fg: #1f2330; --muted: #6a7080; --line: #e3e5ea;
  --side: #f6f7f9; --accent: #3a5bd9; --broken: #c0392b; --code-bg: #f6f8fa;
  --tag-bg: #eef0ff; --tag-fg: #4338a8; --quote: #c8ccd6; --embed-bg: #fafbfc;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #17191e; --fg: #e3e6ec; --muted: #9aa1b0; --line: #2c3038;
    --side: #1d2026; --accent: #8ea8ff; --broken: #ff7b6b; --code-bg: #1f232b;
    --tag-bg: #2a2f45; --tag-fg: #c1c8ff; --quote: #3d4350; --embed-bg: #1b1e24;
  }
  figure.diagram svg { background: #ffffff; border-radius: 6px; }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", sans-serif;
  font-size: 16px; line-height: 1.6;
}
code, pre, kbd {
  font-family: ui-monospace, "SFMono-Regular", "Cascadia Mono", Menlo, Consolas,
    "DejaVu Sans Mono", "Noto Sans Mono CJK SC", "Microsoft YaHei", monospace;
  font-size: 0.9em;
}
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
a.broken, a.blocked { color: var(--broken); text-decoration: underline dotted; cursor: help; }
a.offsite { color: inherit; border-bottom: 1px dotted var(--muted); }
.layout { display: flex; min-height: 100vh; }
.sidebar {
  width: 280px; flex: 0 0 280px; background: var(--side); border-right: 1px solid var(--line);
  padding: 16px 12px; position: sticky; top: 0; height: 100vh; overflow-y: auto;
  font-size: 14px;
}
.sidebar .home { font-weight: 600; display: block; margin-bottom: 10px; }
.sidebar ul { list-style: none; margin: 0; padding-left: 12px; }
.sidebar > nav > ul { padding-left: 0; }
.sidebar li { margin: 2px 0; }
.sidebar summary { cursor: pointer; color: var(--muted); font-weight: 600; }
.sidebar a[aria-current="page"] { font-weight: 700; color: var(--fg); }
.search input {
  width: 100%; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px;
  background: var(--bg); color: var(--fg); font: inherit;
}
#search-results { list-style: none; padding: 0; margin: 6px 0 12px; }
#search-results li { padding: 4px 2px; border-bottom: 1px solid var(--line); }
#search-results .snippet { color: var(--muted); font-size: 12px; display: block; }
main { flex: 1; min-width: 0; display: flex; flex-direction: row-reverse; justify-content: center; gap: 32px; padding: 24px 32px; }
.layout.single main { flex-direction: column; max-width: 900px; margin: 0 auto; }
.content { flex: 1; min-width: 0; max-width: 860px; }
.toc { width: 220px; flex: 0 0 220px; font-size: 13px; position: sticky; top: 24px; align-self: flex-start; max-height: calc(100vh - 48px); overflow-y: auto; }
.layout.single .toc { position: static; width: auto; flex: none; max-height: none; }
.toc-title { font-weight: 600; color: var(--muted); margin-bottom: 4px; }
.toc ul { list-style: none; padding: 0; margin: 0; }
.toc li { margin: 2px 0; }
.toc-l2 { padding-left: 10px; } .toc-l3 { padding-left: 20px; }
.toc-l4, .toc-l5, .toc-l6 { padding-left: 30px; }
h1, h2, h3, h4 { line-height: 1.3; margin: 1.4em 0 0.5em; }
h1 { font-size: 1.9em; margin-top: 0.2em; }
h2 { font-size: 1.45em; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 1.2em; }
p, ul, ol, blockquote, table, figure, .code { margin: 0 0 1em; }
blockquote { border-left: 4px solid var(--quote); padding: 2px 14px; color: var(--muted); margin-left: 0; }
hr { border: none; border-top: 1px solid var(--line); margin: 1.5em 0; }
img { max-width: 100%; height: auto; }
:not(pre) > code { background: var(--code-bg); padding: 1px 5px; border-radius: 4px; }
.code { position: relative; }
.code pre { tab-size: 4; padding: 12px 14px; border-radius: 8px; overflow-x: auto; line-height: 1.45; border: 1px solid var(--line); margin: 0; }
.code-lang { position: absolute; right: 8px; top: 4px; font-size: 11px; color: var(--muted); }
pre.raw-html { background: var(--code-bg); padding: 8px 12px; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; border: 1px dashed var(--line); }
.table-wrap { overflow-x: auto; margin-bottom: 1em; }
table { border-collapse: collapse; margin: 0; }
th, td { border: 1px solid var(--line); padding: 6px 10px; vertical-align: top; }
th { background: var(--side); }
.left { text-align: left; } .center { text-align: center; } .right { text-align: right; }
ul.tasks { list-style: none; padding-left: 1.2em; }
li.task input { margin: 0 6px 0 -1.2em; vertical-align: middle; }
li.task.done { color: var(--muted); }
.tag { display: inline-block; background: var(--tag-bg); color: var(--tag-fg); border-radius: 999px; padding: 0 8px; font-size: 0.85em; margin: 0 2px; }
.tags { margin: -0.3em 0 1em; }
figure.diagram { margin: 0 0 1em; overflow-x: auto; text-align: center; }
figure.diagram svg { max-width: 100%; height: auto; }
.diagram-error { border: 1px solid var(--broken); border-left-width: 4px; border-radius: 6px; padding: 8px 12px; margin-bottom: 1em; }
.diagram-error-title { color: var(--broken); font-weight: 600; }
.diagram-error pre { margin: 6px 0 0; white-space: pre-wrap; }
.diagram-source { color: var(--muted); font-size: 0.85em; }
.embed { border-left: 3px solid var(--accent); background: var(--embed-bg); padding: 6px 14px; margin: 0 0 1em; border-radius: 0 6px 6px 0; }
.embed h1 { font-size: 1.4em; margin-top: 0.2em; }
.embed-title { font-size: 0.85em; color: var(--muted); margin-bottom: 4px; }
.muted { color: var(--muted); }
.footnotes { font-size: 0.9em; color: var(--muted); }
.backlinks { margin-top: 2.5em; border-top: 1px solid var(--line); padding-top: 8px; }
.backlinks h2 { font-size: 1.1em; border: none; }
.backlinks ul { list-style: none; padding: 0; }
.backlinks li { margin-bottom: 8px; }
.backlinks .context { color: var(--muted); font-size: 0.85em; }
.broken-image { color: var(--broken); font-style: italic; }
@media (max-width: 1100px) {
  main { flex-direction: column; }
  .toc { position: static; width: auto; flex: none; max-height: none; }
}
@media (max-width: 760px) {
  .layout { flex-direction: column; }
  .sidebar { position: static; width: auto; flex: none; height: auto; max-height: 40vh; border-right: none; border-bottom: 1px solid var(--line); }
  main { padding: 16px; }
}
@media print {
  .sidebar, .toc, .search { display: none; }
  main { padding: 0; display: block; }
  body { background: #fff; color: #000; font-size: 11pt; }
  a { color: #000; text-decoration: underline; }
  .code pre { white-space: pre-wrap; border-color: #ccc; }
  h1, h2, h3 { break-after: avoid; }
  figure, .code, table { break-inside: avoid; }
}
"#;

/// The complete stylesheet: site layout plus code highlighting classes for
/// light and (via `prefers-color-scheme`) dark.
pub fn stylesheet() -> String {
    format!(
        "{SITE_CSS}\n{PLAYER_CSS}\n{}",
        html::css(Theme::Light, Theme::Dark)
    )
}

/// Styles of the simulator player.
const PLAYER_CSS: &str = include_str!("player.css");

/// The step-through player for recorded simulator runs (`sim.js` on the
/// site, inline in single-file pages).
pub const PLAYER_JS: &str = include_str!("player.js");

/// Appended to the generated `STRATA_INDEX` in `search.js`. Results are built
/// with DOM text nodes only, so titles and snippets can never inject markup.
pub const SEARCH_JS: &str = r#"
(function () {
  "use strict";
  var box = document.getElementById("search-box");
  var list = document.getElementById("search-results");
  if (!box || !list || typeof STRATA_INDEX === "undefined") { return; }
  var root = document.body.getAttribute("data-root") || "";
  box.placeholder = "Search " + STRATA_INDEX.length + " notes";
  var docs = STRATA_INDEX.map(function (d) {
    return { d: d, t: d.t.toLowerCase(), h: d.h.join(" \n ").toLowerCase(), x: d.x.toLowerCase() };
  });
  function encodePath(p) {
    return p.split("/").map(encodeURIComponent).join("/");
  }
  function snippet(d, word) {
    var i = d.x.toLowerCase().indexOf(word);
    if (i < 0) { return d.x.slice(0, 90); }
    var s = Math.max(0, i - 40);
    return (s > 0 ? "\u2026" : "") + d.x.slice(s, i + 60);
  }
  function run() {
    var q = box.value.trim().toLowerCase();
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!q) { list.hidden = true; return; }
    var words = q.split(/\s+/);
    var hits = [];
    docs.forEach(function (e) {
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        var w = words[i], s = 0;
        if (e.t.indexOf(w) >= 0) { s += 10; }
        if (e.h.indexOf(w) >= 0) { s += 4; }
        if (e.x.indexOf(w) >= 0) { s += 1; }
        if (s === 0) { return; }
        score += s;
      }
      hits.push({ e: e, score: score });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.e.d.t.localeCompare(b.e.d.t); });
    hits.slice(0, 20).forEach(function (h) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + encodePath(h.e.d.p);
      a.textContent = h.e.d.t;
      li.appendChild(a);
      var sn = document.createElement("span");
      sn.className = "snippet";
      sn.textContent = snippet(h.e.d, words[0]);
      li.appendChild(sn);
      list.appendChild(li);
    });
    if (hits.length === 0) {
      var none = document.createElement("li");
      none.textContent = "No matches";
      list.appendChild(none);
    }
    list.hidden = false;
  }
  box.addEventListener("input", run);
  box.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var first = list.querySelector("a");
      if (first) { window.location.href = first.href; }
    } else if (ev.key === "Escape") {
      box.value = ""; run();
    }
  });
})();
"#;
