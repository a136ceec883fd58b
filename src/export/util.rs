//! Escaping, URL and path helpers shared by the HTML and SVG exports.

use super::{io_err, ExportError};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::path::{Path, PathBuf};

pub use crate::markup::escape as esc;

/// Everything but unreserved URL characters is encoded in a path segment,
/// so names with `#`, `?`, `%`, spaces or quotes stay one literal segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

pub fn encode_segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// Fragment ids are percent-encoded the same way; browsers decode the
/// fragment before matching it against `id`s.
pub fn encode_fragment(s: &str) -> String {
    encode_segment(s)
}

/// `a/b/Note.md` -> `a/b/Note`.
pub fn strip_md(path: &str) -> &str {
    if path.len() > 3 && path.is_char_boundary(path.len() - 3) {
        let (stem, ext) = path.split_at(path.len() - 3);
        if ext.eq_ignore_ascii_case(".md") {
            return stem;
        }
    }
    path
}

/// Site path (`/`-separated, relative to the site root) of a note's page.
pub fn page_of(note: &str) -> String {
    format!("{}.html", strip_md(note))
}

pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Encoded relative URL from the page at site path `from` to site path `to`.
pub fn rel_href(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = parent(from).split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let (to_dirs, file) = match to_parts.split_last() {
        Some((f, d)) => (d, *f),
        None => return String::new(),
    };
    let common = from_dir
        .iter()
        .zip(to_dirs.iter())
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = String::new();
    for _ in common..from_dir.len() {
        out.push_str("../");
    }
    for d in &to_dirs[common..] {
        out.push_str(&encode_segment(d));
        out.push('/');
    }
    out.push_str(&encode_segment(file));
    out
}

/// `./` and `../` resolved against `base_dir`; `None` when the path climbs
/// out of the vault or is absolute in the file system sense.
pub fn join_normalize(base_dir: &str, rel: &str) -> Option<String> {
    let rel = rel.replace('\\', "/");
    let mut parts: Vec<&str> = Vec::new();
    let start: &str = if let Some(r) = rel.strip_prefix('/') {
        r
    } else {
        parts.extend(base_dir.split('/').filter(|s| !s.is_empty()));
        &rel
    };
    for seg in start.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s if s.contains(':') => return None,
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("/"))
    }
}

/// Web and mail links may become `href`s; every other scheme is refused.
pub fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let ok_scheme = ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p));
    ok_scheme && !url.chars().any(char::is_control)
}

pub fn out_path(out_dir: &Path, site_path: &str) -> PathBuf {
    let mut p = out_dir.to_path_buf();
    for seg in site_path.split('/').filter(|s| !s.is_empty()) {
        p.push(seg);
    }
    p
}

pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    std::fs::write(path, bytes).map_err(io_err(path))
}

/// Removes an XML declaration or doctype so the SVG can sit inside HTML.
pub fn svg_element(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => svg[i..].trim_end(),
        None => svg.trim(),
    }
}

/// Gives every `id` in an SVG (and every reference to it) a prefix, so several
/// drawings inlined in one page cannot pick up each other's markers.
pub fn prefix_svg_ids(svg: &str, prefix: &str) -> String {
    let mut ids: Vec<String> = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find(" id=\"") {
        let after = &rest[i + 5..];
        let Some(end) = after.find('"') else { break };
        ids.push(after[..end].to_string());
        rest = &after[end..];
    }
    if ids.is_empty() {
        return svg.to_string();
    }
    // Longest first so `arrow1` is not rewritten as a prefix of `arrow10`;
    // all three forms end in a delimiter anyway, which keeps this exact.
    ids.sort_by_key(|s| std::cmp::Reverse(s.len()));
    ids.dedup();
    let mut out = svg.to_string();
    for id in &ids {
        let new = format!("{prefix}-{id}");
        for (old_form, new_form) in [
            (format!(" id=\"{id}\""), format!(" id=\"{new}\"")),
            (format!("url(#{id})"), format!("url(#{new})")),
            (format!("href=\"#{id}\""), format!("href=\"#{new}\"")),
            (format!("url('#{id}')"), format!("url('#{new}')")),
            (
                format!("aria-labelledby=\"{id}\""),
                format!("aria-labelledby=\"{new}\""),
            ),
        ] {
            out = out.replace(&old_form, &new_form);
        }
    }
    out
}

pub fn mime_of(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "bmp" => "image/bmp",
        "ico" => "image/x-icon",
        "avif" => "image/avif",
        _ => return None,
    })
}

pub fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].iter().enumerate() {
            if i <= chunk.len() {
                out.push(T[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// First `max` chars of `s`, cut at a char boundary, with an ellipsis.
pub fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}
