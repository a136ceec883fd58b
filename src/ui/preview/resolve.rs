//! Where a link or image in a note points: pure path helpers plus the
//! vault-backed resolution the preview needs to colour and act on links.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::i18n::tr;
use crate::markdown::{self, LinkTarget};
use crate::vault::links::{Link, LinkKind};
use crate::vault::{Resolution, Vault};

use super::PreviewAction;

/// What clicking a link does.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum LinkAction {
    /// Handed to the caller.
    Emit(PreviewAction),
    /// Scroll this preview to a heading anchor of the shown note.
    Anchor(String),
    /// Scroll this preview to a footnote definition.
    Footnote(String),
    /// Nothing sensible to do (e.g. a missing non-note file).
    Nothing,
}

/// A link's resolution, decided per frame because the vault can change under it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct ResolvedLink {
    pub action: LinkAction,
    /// False draws the link dimmed with a dashed underline.
    pub exists: bool,
    pub hover: Option<String>,
}

impl ResolvedLink {
    fn found(action: LinkAction, hover: Option<String>) -> Self {
        ResolvedLink {
            action,
            exists: true,
            hover,
        }
    }

    fn missing(action: LinkAction, hover: String) -> Self {
        ResolvedLink {
            action,
            exists: false,
            hover: Some(hover),
        }
    }
}

/// `path#frag` -> (`path`, `Some(frag)`); an empty fragment counts as none.
pub(super) fn split_fragment(s: &str) -> (&str, Option<&str>) {
    match s.split_once('#') {
        Some((p, f)) if !f.is_empty() => (p, Some(f)),
        Some((p, _)) => (p, None),
        None => (s, None),
    }
}

/// Join `rel` onto the folder of `note_path` (both vault-relative, `/`
/// separated) and normalise `.`/`..`. `None` when the result would leave the
/// vault: a note must not be able to point the app at arbitrary files.
/// A leading `/` means "from the vault root", as in Obsidian.
pub(super) fn join_relative(note_path: &str, rel: &str) -> Option<String> {
    let rel = rel.replace('\\', "/");
    let mut parts: Vec<&str> = Vec::new();
    if !rel.starts_with('/') {
        if let Some((dir, _)) = note_path.rsplit_once('/') {
            parts.extend(dir.split('/').filter(|p| !p.is_empty()));
        }
    }
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
}

/// Image formats the app's loaders decode (egui_extras with the `image`
/// crate's png/jpeg/gif features).
pub(super) fn is_loadable_image(path: &str) -> bool {
    matches!(
        extension(path).as_deref(),
        Some("png" | "jpg" | "jpeg" | "gif")
    )
}

/// Any extension that names an image, loadable or not; decides whether
/// `![[x]]` is an image or a note embed.
pub(super) fn is_image_name(path: &str) -> bool {
    is_loadable_image(path)
        || matches!(
            extension(path).as_deref(),
            Some("svg" | "webp" | "bmp" | "tif" | "tiff" | "avif" | "ico")
        )
}

fn extension(path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.is_empty() {
        return None;
    }
    Some(ext.to_ascii_lowercase())
}

/// `file://` URI for egui's file loader, which strips the scheme and opens the
/// rest as a path on every platform.
pub(super) fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Filesystem look-ups, cached because links are resolved every frame.
#[derive(Default)]
pub(super) struct FileCache {
    exists: HashMap<PathBuf, bool>,
}

impl FileCache {
    pub fn clear(&mut self) {
        self.exists.clear();
    }

    pub fn is_file(&mut self, path: &Path) -> bool {
        if let Some(&e) = self.exists.get(path) {
            return e;
        }
        let e = path.is_file();
        self.exists.insert(path.to_path_buf(), e);
        e
    }
}

/// Resolve a link of the note at `note_path`.
pub(super) fn resolve_link(
    vault: &Vault,
    files: &mut FileCache,
    note_path: &str,
    target: &LinkTarget,
) -> ResolvedLink {
    match target {
        LinkTarget::Url(url) => ResolvedLink::found(
            LinkAction::Emit(PreviewAction::OpenUrl(url.clone())),
            Some(url.clone()),
        ),
        LinkTarget::Anchor(a) => ResolvedLink::found(LinkAction::Anchor(a.clone()), None),
        LinkTarget::Wiki { note, heading } => resolve_wiki(vault, files, note_path, note, heading),
        LinkTarget::Relative(rel) => resolve_relative(vault, files, note_path, rel),
    }
}

fn resolve_wiki(
    vault: &Vault,
    files: &mut FileCache,
    note_path: &str,
    note: &str,
    heading: &Option<String>,
) -> ResolvedLink {
    if note.is_empty() {
        return match heading {
            Some(h) => ResolvedLink::found(LinkAction::Anchor(markdown::slug(h)), None),
            None => {
                ResolvedLink::missing(LinkAction::Nothing, tr("preview.link_empty").to_string())
            }
        };
    }
    match vault.resolve(note_path, note) {
        Resolution::Note(path) => ResolvedLink::found(
            LinkAction::Emit(PreviewAction::OpenNote {
                target: path.clone(),
                heading: heading.clone(),
            }),
            Some(path),
        ),
        Resolution::Ambiguous(paths) => {
            let hover = tr!("preview.link_ambiguous", paths = paths.join(", "));
            match paths.into_iter().next() {
                Some(first) => ResolvedLink::found(
                    LinkAction::Emit(PreviewAction::OpenNote {
                        target: first,
                        heading: heading.clone(),
                    }),
                    Some(hover),
                ),
                None => ResolvedLink::missing(LinkAction::Nothing, hover),
            }
        }
        Resolution::Missing => {
            // `[[diagram.pdf]]` names an attachment, not a note to create.
            if extension(note).is_some_and(|e| e != "md") {
                if let Some(path) = find_attachment(vault, files, note_path, note) {
                    let hover = path.display().to_string();
                    return ResolvedLink::found(
                        LinkAction::Emit(PreviewAction::OpenFile(path)),
                        Some(hover),
                    );
                }
                return ResolvedLink::missing(
                    LinkAction::Nothing,
                    tr!("preview.file_not_found", path = note),
                );
            }
            ResolvedLink::missing(
                LinkAction::Emit(PreviewAction::CreateNote(note.to_string())),
                tr!("preview.create_note", name = note),
            )
        }
    }
}

fn resolve_relative(
    vault: &Vault,
    files: &mut FileCache,
    note_path: &str,
    rel: &str,
) -> ResolvedLink {
    let (path, frag) = split_fragment(rel);
    if path.is_empty() {
        return match frag {
            Some(f) => ResolvedLink::found(LinkAction::Anchor(f.to_string()), None),
            None => {
                ResolvedLink::missing(LinkAction::Nothing, tr("preview.link_empty").to_string())
            }
        };
    }
    let Some(joined) = join_relative(note_path, path) else {
        return ResolvedLink::missing(
            LinkAction::Nothing,
            tr!("preview.link_outside", path = path),
        );
    };
    if vault.text(&joined).is_some() {
        return ResolvedLink::found(
            LinkAction::Emit(PreviewAction::OpenNote {
                target: joined.clone(),
                heading: frag.map(str::to_string),
            }),
            Some(joined),
        );
    }
    let abs = vault.root().join(&joined);
    if files.is_file(&abs) {
        let hover = abs.display().to_string();
        return ResolvedLink::found(LinkAction::Emit(PreviewAction::OpenFile(abs)), Some(hover));
    }
    if joined.to_ascii_lowercase().ends_with(".md") {
        return ResolvedLink::missing(
            LinkAction::Emit(PreviewAction::CreateNote(joined.clone())),
            tr!("preview.create_note", name = joined),
        );
    }
    ResolvedLink::missing(
        LinkAction::Nothing,
        tr!("preview.file_not_found", path = joined),
    )
}

/// An attachment named by a wiki link: wherever the vault's index finds it
/// (by name or path suffix, as `strata check` does), else a file next to the
/// note or at the root that appeared after the last scan.
pub(super) fn find_attachment(
    vault: &Vault,
    files: &mut FileCache,
    note_path: &str,
    name: &str,
) -> Option<PathBuf> {
    let link = Link {
        kind: LinkKind::Embed,
        target: name.to_string(),
        heading: None,
        alias: None,
        span: 0..0,
        target_span: 0..0,
        line: 1,
        col: 1,
    };
    if let Some(p) = vault.attachment_of(note_path, &link) {
        return Some(vault.root().join(p));
    }
    let candidates = [join_relative(note_path, name), join_relative("", name)];
    candidates
        .into_iter()
        .flatten()
        .map(|p| vault.root().join(p))
        .find(|p| files.is_file(p))
}

/// Where an image reference points on disk, if it stays inside the vault.
pub(super) fn image_path(
    vault: &Vault,
    files: &mut FileCache,
    note_path: &str,
    target: &LinkTarget,
) -> Option<PathBuf> {
    match target {
        LinkTarget::Wiki { note, .. } => find_attachment(vault, files, note_path, note),
        LinkTarget::Relative(rel) => {
            let (path, _) = split_fragment(rel);
            join_relative(note_path, path).map(|p| vault.root().join(p))
        }
        LinkTarget::Url(_) | LinkTarget::Anchor(_) => None,
    }
}

/// The few front-matter properties the reading view shows, in display order.
/// A deliberately small reader of `key: value`, `key: [a, b]` and
/// `key:\n  - a` forms: enough for title/aliases/tags without a YAML crate.
pub(super) fn front_matter_properties(yaml: &str) -> Vec<(String, String)> {
    const SHOWN: [&str; 3] = ["title", "aliases", "tags"];
    let mut found: HashMap<&str, Vec<String>> = HashMap::new();
    let mut current: Option<&str> = None;
    for line in yaml.lines() {
        let trimmed = line.trim();
        if trimmed == "---" || trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(item) = trimmed.strip_prefix("- ") {
            if let Some(key) = current {
                found.entry(key).or_default().push(unquote(item));
            }
            continue;
        }
        current = None;
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((key, value)) = trimmed.split_once(':') else {
            continue;
        };
        let key = key.trim();
        let Some(&shown) = SHOWN.iter().find(|k| k.eq_ignore_ascii_case(key)) else {
            continue;
        };
        let value = value.trim();
        let values = found.entry(shown).or_default();
        if let Some(list) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            values.extend(list.split(',').map(unquote).filter(|v| !v.is_empty()));
        } else if !value.is_empty() {
            values.push(unquote(value));
        } else {
            current = Some(shown);
        }
    }
    SHOWN
        .iter()
        .filter_map(|k| {
            let v = found.get(k)?;
            (!v.is_empty()).then(|| (k.to_string(), v.join(", ")))
        })
        .collect()
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    let s = s
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(s);
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragment_split() {
        assert_eq!(split_fragment("a.md#Intro"), ("a.md", Some("Intro")));
        assert_eq!(split_fragment("a.md#"), ("a.md", None));
        assert_eq!(split_fragment("#x"), ("", Some("x")));
        assert_eq!(split_fragment("a.md"), ("a.md", None));
    }

    #[test]
    fn relative_paths_join_and_stay_inside() {
        assert_eq!(
            join_relative("notes/a.md", "b.md").as_deref(),
            Some("notes/b.md")
        );
        assert_eq!(
            join_relative("notes/a.md", "../img/x.png").as_deref(),
            Some("img/x.png")
        );
        assert_eq!(
            join_relative("a.md", "./sub/./b.md").as_deref(),
            Some("sub/b.md")
        );
        assert_eq!(
            join_relative("notes/deep/a.md", "/top.md").as_deref(),
            Some("top.md")
        );
        assert_eq!(
            join_relative("notes\\a.md", "b.md").as_deref(),
            Some("b.md")
        );
        assert_eq!(
            join_relative("notes/a.md", "sub\\b.md").as_deref(),
            Some("notes/sub/b.md")
        );
        assert_eq!(join_relative("a.md", "../etc/passwd"), None);
        assert_eq!(join_relative("notes/a.md", "../../x"), None);
        assert_eq!(join_relative("a.md", "."), None);
    }

    #[test]
    fn image_names() {
        assert!(is_loadable_image("img/Photo.PNG"));
        assert!(is_loadable_image("a.jpeg"));
        assert!(!is_loadable_image("a.svg"));
        assert!(is_image_name("a.svg"));
        assert!(!is_image_name("Note"));
        assert!(!is_image_name(".png"));
        assert!(!is_image_name("v1.2/notes"));
    }

    #[test]
    fn file_uri_keeps_the_path() {
        let p = Path::new("/tmp/vault/img.png");
        assert_eq!(file_uri(p), "file:///tmp/vault/img.png");
    }

    #[test]
    fn front_matter_reads_title_aliases_tags() {
        let yaml = "---\ntitle: \"Channels 101\"\naliases: [chan, 'pipes']\nauthor: me\ntags:\n  - go\n  - concurrency\n---\n";
        assert_eq!(
            front_matter_properties(yaml),
            vec![
                ("title".to_string(), "Channels 101".to_string()),
                ("aliases".to_string(), "chan, pipes".to_string()),
                ("tags".to_string(), "go, concurrency".to_string()),
            ]
        );
    }

    #[test]
    fn front_matter_ignores_other_keys_and_junk() {
        assert!(front_matter_properties("author: x\n: broken\nnot yaml at all").is_empty());
        assert_eq!(
            front_matter_properties("Tags: []\ntitle: T"),
            vec![("title".to_string(), "T".to_string())]
        );
    }
}
