//! Notes on disk: scanning, the link index (wiki and Markdown links,
//! headings, tags, backlinks), rename refactoring, atomic saves, change
//! detection, the recovery journal and full-text search.
//!
//! Paths handed to and returned from [`Vault`] are vault-relative,
//! `/`-separated and include the `.md` extension.
//!
//! Choices worth knowing:
//! - Files that are not valid UTF-8 are indexed lossily and marked
//!   [`Note::lossy`]; they are never written. A rename that would have to
//!   rewrite such a file fails with [`VaultError::ReadOnlyNote`] before
//!   anything on disk changes (moving a lossy note whose own text needs no
//!   edit is fine). `save_note` refuses them too.
//! - Hidden files and folders, files whose names are not valid UTF-8 and
//!   symlinks leading outside the vault are skipped.
//! - Code means fenced blocks (``` and ~~~, also indented or quoted) and
//!   inline code spans. Indented (4-space) code blocks are not treated as
//!   code, because list continuation lines look the same. Only ATX (`#`)
//!   headings are indexed, not setext (underlined) ones.
//! - Resolution order for `[[target]]`: a note at that path in the linking
//!   note's folder, then at that full vault path, then by file name (or path
//!   suffix when the target has a `/`), then by alias. Several candidates:
//!   the one in the linking note's folder wins, else it is ambiguous. A
//!   leading `/` means an exact vault path. Markdown links resolve as a path
//!   relative to the note, then by name like Obsidian's shortest-path links.
//! - `apply` writes the *indexed* text of each edited note, so unsaved
//!   buffer text given to `update_note` is saved with the link edits; it
//!   refuses with [`VaultError::Conflict`] when a file changed on disk or in
//!   the index since the plan was made.

pub mod check;
pub mod journal;
pub mod links;
mod rename;
pub mod save;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

pub use check::{check_vault, Diagnostic, Severity};
pub use journal::{Journal, JournalEntry};
pub use links::{
    code_ranges, front_matter, parse_headings, parse_links, parse_tags, slug, FrontMatter, Link,
    LinkKind,
};
pub use rename::{FileEdit, RenamePlan};
pub use save::{atomic_write, atomic_write_all, stamp_of, FileStamp};

#[derive(Debug)]
pub enum VaultError {
    Io {
        path: PathBuf,
        source: io::Error,
    },
    NotFound(String),
    AlreadyExists(String),
    InvalidPath(String),
    /// The note was not valid UTF-8 and is never written.
    ReadOnlyNote(String),
    /// The file changed on disk (or in the index) since the plan was made.
    Conflict(String),
}

impl fmt::Display for VaultError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VaultError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            VaultError::NotFound(p) => write!(f, "{p}: no such note"),
            VaultError::AlreadyExists(p) => write!(f, "{p}: already exists"),
            VaultError::InvalidPath(p) => write!(f, "{p}: invalid note path"),
            VaultError::ReadOnlyNote(p) => write!(
                f,
                "{p}: file is not valid UTF-8 and is opened read-only; fix its encoding first"
            ),
            VaultError::Conflict(p) => write!(
                f,
                "{p}: changed since the operation was planned; reload and try again"
            ),
        }
    }
}

impl std::error::Error for VaultError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            VaultError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> VaultError + '_ {
    move |source| VaultError::Io {
        path: path.to_path_buf(),
        source,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    /// GitHub-style slug.
    pub anchor: String,
    /// 1-based.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub path: String,
    /// File stem.
    pub name: String,
    pub title: Option<String>,
    pub aliases: Vec<String>,
    /// Front-matter tags first, then inline tags; unique case-insensitively.
    pub tags: Vec<String>,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    /// The file was not valid UTF-8: read-only, never written.
    pub lossy: bool,
    /// Disk state when last read or written; default for unsaved new notes.
    pub stamp: FileStamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Note(String),
    Ambiguous(Vec<String>),
    Missing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backlink {
    pub from: String,
    pub line: usize,
    /// The source line, trimmed.
    pub context: String,
    pub link: Link,
}

/// A plain-text occurrence of a note's name, title or alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub path: String,
    pub line: usize,
    pub col: usize,
    /// The source line, trimmed.
    pub context: String,
    /// Bytes of the mention in the source note's text (to turn it into a link).
    pub range: Range<usize>,
    /// The name as it appears in the text.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    pub path: String,
    pub line: usize,
    /// 1-based, in chars.
    pub col: usize,
    pub context: String,
    pub match_range_in_context: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    Name,
    Alias,
    Title,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameEntry {
    pub path: String,
    pub display: String,
    pub kind: NameKind,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanChanges {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub modified: Vec<String>,
}

impl ScanChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.modified.is_empty()
    }
}

/// One indexed note plus what search and mention lookups need.
struct Entry {
    note: Note,
    text: String,
    /// Lowercased text for case-insensitive search.
    lower: String,
    /// Byte offset in `text` for each byte offset in `lower`; only present
    /// when lowercasing changed byte lengths (rare non-ASCII letters).
    lower_map: Option<Vec<u32>>,
    code: Vec<Range<usize>>,
    /// End of the front matter block (0 without one).
    fm_end: usize,
    /// Byte offset of the first invalid UTF-8 sequence in the file.
    invalid_at: Option<usize>,
}

impl Entry {
    fn build(path: &str, text: String, invalid_at: Option<usize>, stamp: FileStamp) -> Entry {
        let code = links::code_ranges(&text);
        let fm = links::front_matter(&text);
        let fm_end = fm.as_ref().map_or(0, |f| f.range.end);
        let links = links::parse_links_with(&text, &code);
        let headings = links::parse_headings_with(&text, &code, fm_end);
        let fm = fm.unwrap_or_default();
        let mut tags: Vec<String> = Vec::new();
        let mut seen = HashSet::new();
        let inline = links::parse_tags_with(&text, &code, fm_end);
        for t in fm
            .tags
            .into_iter()
            .chain(inline.into_iter().map(|(t, _)| t))
        {
            if seen.insert(t.to_lowercase()) {
                tags.push(t);
            }
        }
        let (lower, lower_map) = lowercase_with_map(&text);
        Entry {
            note: Note {
                path: path.to_string(),
                name: stem(path).to_string(),
                title: fm.title,
                aliases: fm.aliases,
                tags,
                headings,
                links,
                lossy: invalid_at.is_some(),
                stamp,
            },
            text,
            lower,
            lower_map,
            code,
            fm_end,
            invalid_at,
        }
    }

    fn original_offset(&self, lower_offset: usize) -> usize {
        match &self.lower_map {
            None => lower_offset,
            Some(m) => m.get(lower_offset).map_or(self.text.len(), |&o| o as usize),
        }
    }
}

fn lowercase_with_map(text: &str) -> (String, Option<Vec<u32>>) {
    if text.is_ascii() {
        return (text.to_ascii_lowercase(), None);
    }
    let lower = text.to_lowercase();
    let same = lower.len() == text.len()
        && text
            .chars()
            .all(|c| c.to_lowercase().map(char::len_utf8).sum::<usize>() == c.len_utf8());
    if same {
        return (lower, None);
    }
    let mut lower = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    for (i, c) in text.char_indices() {
        for l in c.to_lowercase() {
            for _ in 0..l.len_utf8() {
                map.push(i as u32);
            }
            lower.push(l);
        }
    }
    map.push(text.len() as u32);
    (lower, Some(map))
}

/// File stem of a vault path (`a/b/Note.md` -> `Note`).
pub(crate) fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    strip_md(name)
}

fn strip_md(s: &str) -> &str {
    let n = s.len();
    if n >= 3 && s.is_char_boundary(n - 3) && s[n - 3..].eq_ignore_ascii_case(".md") {
        &s[..n - 3]
    } else {
        s
    }
}

/// Folder of a vault path, "" for the root.
pub(crate) fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |p| &path[..p])
}

/// Joins `rel` onto `dir` and folds `.` and `..`; None if it escapes the root.
pub(crate) fn join_normalize(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for c in rel.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    Some(parts.join("/"))
}

/// Lowercase key a link target is looked up by: its last path component
/// without `.md`.
pub(crate) fn target_key(target: &str) -> String {
    let t = target.trim().trim_end_matches('/');
    stem(t).to_lowercase()
}

/// Name lookup tables, cloned by rename planning to try the world after the move.
#[derive(Clone, Default)]
pub(crate) struct NameIndex {
    by_stem: HashMap<String, Vec<String>>,
    by_alias: HashMap<String, Vec<String>>,
    by_path: HashMap<String, Vec<String>>,
}

fn push_unique(map: &mut HashMap<String, Vec<String>>, key: String, path: &str) {
    let v = map.entry(key).or_default();
    if !v.iter().any(|p| p == path) {
        v.push(path.to_string());
    }
}

fn remove_from(map: &mut HashMap<String, Vec<String>>, key: &str, path: &str) {
    if let Some(v) = map.get_mut(key) {
        v.retain(|p| p != path);
        if v.is_empty() {
            map.remove(key);
        }
    }
}

impl NameIndex {
    pub(crate) fn add(&mut self, path: &str, aliases: &[String]) {
        push_unique(&mut self.by_stem, stem(path).to_lowercase(), path);
        push_unique(&mut self.by_path, path.to_lowercase(), path);
        for a in aliases {
            push_unique(&mut self.by_alias, a.trim().to_lowercase(), path);
        }
    }

    pub(crate) fn remove(&mut self, path: &str, aliases: &[String]) {
        remove_from(&mut self.by_stem, &stem(path).to_lowercase(), path);
        remove_from(&mut self.by_path, &path.to_lowercase(), path);
        for a in aliases {
            remove_from(&mut self.by_alias, &a.trim().to_lowercase(), path);
        }
    }

    fn exact(&self, lower_path: &str) -> Option<&Vec<String>> {
        self.by_path.get(lower_path).filter(|v| !v.is_empty())
    }

    /// Resolves a link found in note `from`. The bool is true when the
    /// match came through an alias.
    pub(crate) fn resolve_link(&self, from: &str, link: &Link) -> (Resolution, bool) {
        match link.kind {
            LinkKind::Markdown => self.resolve_markdown(from, &link.target),
            LinkKind::Wiki | LinkKind::Embed => self.resolve_wiki(from, &link.target),
        }
    }

    pub(crate) fn resolve_markdown(&self, from: &str, target: &str) -> (Resolution, bool) {
        if let Some(r) = self.resolve_markdown_path(from, target) {
            return (r, false);
        }
        let t = target.trim();
        // Obsidian writes "shortest path" Markdown links by name as well.
        if t.starts_with("./") || t.starts_with("../") || t.starts_with('/') {
            return (Resolution::Missing, false);
        }
        self.resolve_wiki(from, t)
    }

    /// A Markdown link read strictly as a path (relative to the note's
    /// folder, or to the vault root with a leading `/`); None if no file
    /// is there.
    pub(crate) fn resolve_markdown_path(&self, from: &str, target: &str) -> Option<Resolution> {
        let t = target.trim();
        if t.is_empty() {
            return Some(Resolution::Note(from.to_string()));
        }
        let joined = match t.strip_prefix('/') {
            Some(abs) => join_normalize("", abs),
            None => join_normalize(parent(from), t),
        }?;
        let lower = joined.to_lowercase();
        let last = lower.rsplit('/').next().unwrap_or("");
        let with_ext = if last.contains('.') && !last.ends_with('.') {
            lower.clone()
        } else {
            format!("{lower}.md")
        };
        [with_ext, format!("{lower}.md")]
            .iter()
            .find_map(|key| self.exact(key))
            .map(|v| pick(v.clone(), from))
    }

    pub(crate) fn resolve_wiki(&self, from: &str, target: &str) -> (Resolution, bool) {
        let t = target.trim();
        if t.is_empty() {
            return (Resolution::Note(from.to_string()), false);
        }
        let lower = t.to_lowercase();
        let noext = strip_md(&lower).trim_end_matches('/');
        if let Some(abs) = noext.strip_prefix('/') {
            // A leading slash means a full vault path, nothing else.
            return match self.exact(&format!("{abs}.md")) {
                Some(v) => (pick(v.clone(), from), false),
                None => (Resolution::Missing, false),
            };
        }
        // Same folder first, then the full vault path.
        if let Some(rel) = join_normalize(&parent(from).to_lowercase(), noext) {
            if let Some(v) = self.exact(&format!("{rel}.md")) {
                return (pick(v.clone(), from), false);
            }
        }
        if noext.starts_with("./") || noext.starts_with("../") {
            return (Resolution::Missing, false);
        }
        if let Some(v) = self.exact(&format!("{noext}.md")) {
            return (pick(v.clone(), from), false);
        }
        let key = stem(noext);
        let mut cands: Vec<String> = self.by_stem.get(key).cloned().unwrap_or_default();
        if noext.contains('/') {
            let suffix = format!("/{noext}.md");
            cands.retain(|p| p.to_lowercase().ends_with(&suffix));
        }
        if !cands.is_empty() {
            return (pick(cands, from), false);
        }
        if !noext.contains('/') {
            if let Some(v) = self.by_alias.get(lower.as_str()) {
                return (pick(v.clone(), from), true);
            }
        }
        (Resolution::Missing, false)
    }
}

/// One candidate wins; among several, one in the linking note's folder wins.
fn pick(mut cands: Vec<String>, from: &str) -> Resolution {
    match cands.len() {
        0 => Resolution::Missing,
        1 => Resolution::Note(cands.remove(0)),
        _ => {
            let dir = parent(from);
            let same: Vec<&String> = cands.iter().filter(|p| parent(p) == dir).collect();
            if same.len() == 1 {
                return Resolution::Note(same[0].clone());
            }
            cands.sort();
            Resolution::Ambiguous(cands)
        }
    }
}

/// Checks a path for a new note: relative, '/'-separated, no hidden or
/// `..` components, no characters that break links or Windows file names.
/// Adds `.md` when missing.
pub fn normalize_new_path(path: &str) -> Result<String, VaultError> {
    let p = path.trim().replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    let bad = || VaultError::InvalidPath(path.to_string());
    if p.is_empty() || p.starts_with('/') {
        return Err(bad());
    }
    for c in p.split('/') {
        if c.is_empty()
            || c.starts_with('.')
            || c.ends_with(' ')
            || c.chars().any(|ch| {
                ch.is_control()
                    || matches!(
                        ch,
                        '#' | '^' | '[' | ']' | '|' | ':' | '*' | '?' | '"' | '<' | '>'
                    )
            })
        {
            return Err(bad());
        }
    }
    let mut p = p.to_string();
    if !p.to_ascii_lowercase().ends_with(".md") {
        p.push_str(".md");
    }
    if stem(&p).is_empty() {
        return Err(bad());
    }
    Ok(p)
}

pub struct Vault {
    root: PathBuf,
    canon_root: PathBuf,
    entries: BTreeMap<String, Entry>,
    names: NameIndex,
    /// Lowercased vault paths of non-note files, so links to images and
    /// other attachments are not reported as broken.
    attachments: HashMap<String, String>,
    /// Files and folders that could not be read during the last scan.
    problems: Vec<(String, String)>,
    /// Link target key -> notes with such a link, so backlinks and renames
    /// look only at notes that can possibly link to a name.
    linkers: HashMap<String, BTreeSet<String>>,
}

struct Scan {
    notes: Vec<(String, PathBuf)>,
    /// Lowercased path -> path.
    attachments: HashMap<String, String>,
    problems: Vec<(String, String)>,
}

fn scan(root: &Path, canon_root: &Path) -> Result<Scan, VaultError> {
    let mut out = Scan {
        notes: Vec::new(),
        attachments: HashMap::new(),
        problems: Vec::new(),
    };
    let mut visited: HashSet<PathBuf> = HashSet::new();
    visited.insert(canon_root.to_path_buf());
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        let rd = match fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(e) if rel.is_empty() => return Err(io_err(root)(e)),
            Err(e) => {
                out.problems.push((rel.clone(), e.to_string()));
                continue;
            }
        };
        for entry in rd {
            let Ok(entry) = entry else { continue };
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                let shown = format!("{rel}{}", name.to_string_lossy());
                out.problems
                    .push((shown, "file name is not valid UTF-8; skipped".into()));
                continue;
            };
            // Hidden files and folders (.git, .strata, .obsidian) are not notes.
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let rel_path = format!("{rel}{name}");
            let Ok(ft) = entry.file_type() else { continue };
            let (is_dir, is_file) = if ft.is_symlink() {
                // Links may point anywhere; only follow those staying inside.
                match fs::canonicalize(&path) {
                    Ok(c) if c.starts_with(canon_root) => match fs::metadata(&c) {
                        Ok(m) => (m.is_dir(), m.is_file()),
                        Err(_) => continue,
                    },
                    _ => continue,
                }
            } else {
                (ft.is_dir(), ft.is_file())
            };
            if is_dir {
                let canon = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                if visited.insert(canon) {
                    stack.push((path, format!("{rel_path}/")));
                }
            } else if is_file {
                if name.len() > 3 && name.to_ascii_lowercase().ends_with(".md") {
                    out.notes.push((rel_path, path));
                } else {
                    out.attachments.insert(rel_path.to_lowercase(), rel_path);
                }
            }
        }
    }
    out.notes.sort();
    Ok(out)
}

/// Reads a note file: text (lossy if needed), first invalid byte, stamp.
fn read_note(path: &Path) -> io::Result<(String, Option<usize>, FileStamp)> {
    let mut f = fs::File::open(path)?;
    let modified = f.metadata()?.modified().ok();
    let mut bytes = Vec::new();
    io::Read::read_to_end(&mut f, &mut bytes)?;
    let stamp = FileStamp::of_bytes(&bytes, modified);
    match String::from_utf8(bytes) {
        Ok(s) => Ok((s, None, stamp)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            Ok((
                String::from_utf8_lossy(e.as_bytes()).into_owned(),
                Some(at),
                stamp,
            ))
        }
    }
}

fn load_all(files: &[(String, PathBuf)]) -> Vec<Result<Entry, (String, String)>> {
    let load = |(rel, abs): &(String, PathBuf)| match read_note(abs) {
        Ok((text, bad, stamp)) => Ok(Entry::build(rel, text, bad, stamp)),
        Err(e) => Err((rel.clone(), e.to_string())),
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads <= 1 || files.len() < 64 {
        return files.iter().map(load).collect();
    }
    let chunk = files.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|c| s.spawn(move || c.iter().map(load).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                Err(p) => std::panic::resume_unwind(p),
            })
            .collect()
    })
}

impl Vault {
    /// Scans `root` recursively and indexes every `.md` file.
    pub fn open(root: &Path) -> Result<Vault, VaultError> {
        let canon_root = fs::canonicalize(root).map_err(io_err(root))?;
        if !canon_root.is_dir() {
            return Err(VaultError::Io {
                path: root.to_path_buf(),
                source: io::Error::new(io::ErrorKind::NotADirectory, "not a folder"),
            });
        }
        let sc = scan(root, &canon_root)?;
        let mut v = Vault {
            root: root.to_path_buf(),
            canon_root,
            entries: BTreeMap::new(),
            names: NameIndex::default(),
            attachments: sc.attachments,
            problems: sc.problems,
            linkers: HashMap::new(),
        };
        for r in load_all(&sc.notes) {
            match r {
                Ok(e) => v.insert(e),
                Err(p) => v.problems.push(p),
            }
        }
        Ok(v)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Files or folders that could not be read: (vault path, reason).
    pub fn scan_problems(&self) -> &[(String, String)] {
        &self.problems
    }

    fn abs(&self, path: &str) -> PathBuf {
        self.root.join(path)
    }

    fn insert(&mut self, e: Entry) {
        let path = e.note.path.clone();
        self.remove(&path);
        self.names.add(&path, &e.note.aliases);
        for l in &e.note.links {
            self.linkers
                .entry(target_key(&l.target))
                .or_default()
                .insert(path.clone());
        }
        self.entries.insert(path, e);
    }

    fn remove(&mut self, path: &str) -> Option<Entry> {
        let old = self.entries.remove(path)?;
        self.names.remove(path, &old.note.aliases);
        for l in &old.note.links {
            let key = target_key(&l.target);
            if let Some(set) = self.linkers.get_mut(&key) {
                set.remove(path);
                if set.is_empty() {
                    self.linkers.remove(&key);
                }
            }
        }
        Some(old)
    }

    /// Notes containing a link whose target key (last path component,
    /// lowercase, without `.md`) is one of `keys`, sorted.
    pub(crate) fn linkers_of<'a>(&'a self, keys: &[String]) -> BTreeSet<&'a str> {
        keys.iter()
            .filter_map(|k| self.linkers.get(k))
            .flatten()
            .map(String::as_str)
            .collect()
    }

    /// Sorted by path.
    pub fn notes(&self) -> impl Iterator<Item = &Note> {
        self.entries.values().map(|e| &e.note)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn note(&self, path: &str) -> Option<&Note> {
        self.entries.get(path).map(|e| &e.note)
    }

    /// Current indexed text (lossily decoded for invalid UTF-8).
    pub fn text(&self, path: &str) -> Option<&str> {
        self.entries.get(path).map(|e| e.text.as_str())
    }

    /// Code ranges of a note's indexed text.
    pub fn code_ranges_of(&self, path: &str) -> Option<&[Range<usize>]> {
        self.entries.get(path).map(|e| e.code.as_slice())
    }

    /// Re-indexes one note from an editor buffer, without disk I/O. The
    /// stored disk stamp and the lossy flag are kept; a new path creates an
    /// unsaved entry.
    pub fn update_note(&mut self, path: &str, text: String) {
        let (stamp, invalid_at) = self
            .entries
            .get(path)
            .map_or((FileStamp::default(), None), |e| {
                (e.note.stamp, e.invalid_at)
            });
        let e = Entry::build(path, text, invalid_at, stamp);
        self.insert(e);
    }

    /// Re-reads one file after an external change; drops it if it is gone.
    pub fn reload_from_disk(&mut self, path: &str) -> Result<(), VaultError> {
        let abs = self.abs(path);
        match read_note(&abs) {
            Ok((text, bad, stamp)) => {
                let e = Entry::build(path, text, bad, stamp);
                self.insert(e);
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.remove(path);
                Ok(())
            }
            Err(e) => Err(io_err(&abs)(e)),
        }
    }

    /// Writes a note's indexed text to disk atomically and records the new
    /// stamp. Refuses lossy notes.
    pub fn save_note(&mut self, path: &str) -> Result<FileStamp, VaultError> {
        let abs = self.abs(path);
        let e = self
            .entries
            .get_mut(path)
            .ok_or_else(|| VaultError::NotFound(path.to_string()))?;
        if e.note.lossy {
            return Err(VaultError::ReadOnlyNote(path.to_string()));
        }
        if let Some(dir) = abs.parent() {
            fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        atomic_write(&abs, e.text.as_bytes()).map_err(io_err(&abs))?;
        let stamp = stamp_of(&abs).map_err(io_err(&abs))?;
        e.note.stamp = stamp;
        Ok(stamp)
    }

    /// Picks up files added, removed or modified (length or mtime) on disk.
    /// Modified notes take the disk text, replacing text from `update_note`;
    /// notes that were never on disk stay.
    pub fn rescan(&mut self) -> Result<ScanChanges, VaultError> {
        let sc = scan(&self.root, &self.canon_root)?;
        self.attachments = sc.attachments;
        self.problems = sc.problems;
        let mut changes = ScanChanges::default();
        let present: HashSet<&str> = sc.notes.iter().map(|(r, _)| r.as_str()).collect();
        let gone: Vec<String> = self
            .entries
            .iter()
            .filter(|(p, e)| !present.contains(p.as_str()) && e.note.stamp != FileStamp::default())
            .map(|(p, _)| p.clone())
            .collect();
        for p in gone {
            self.remove(&p);
            changes.removed.push(p);
        }
        for (rel, abs) in &sc.notes {
            let known = self.entries.get(rel).map(|e| e.note.stamp);
            if let Some(stamp) = known {
                let meta = match fs::metadata(abs) {
                    Ok(m) => m,
                    Err(e) => {
                        self.problems.push((rel.clone(), e.to_string()));
                        continue;
                    }
                };
                let now = FileStamp {
                    len: meta.len(),
                    modified: meta.modified().ok(),
                    hash: stamp.hash,
                };
                if now.same_metadata(&stamp) {
                    continue;
                }
            }
            match read_note(abs) {
                Ok((text, bad, stamp)) => {
                    let changed = known.is_none_or(|k| k.hash != stamp.hash);
                    if changed {
                        if known.is_some() {
                            changes.modified.push(rel.clone());
                        } else {
                            changes.added.push(rel.clone());
                        }
                        self.insert(Entry::build(rel, text, bad, stamp));
                    } else if let Some(e) = self.entries.get_mut(rel) {
                        // Touched but identical: remember the new mtime only.
                        e.note.stamp = stamp;
                    }
                }
                Err(e) => self.problems.push((rel.clone(), e.to_string())),
            }
        }
        Ok(changes)
    }

    /// Resolves a wiki-style target (`Note`, `folder/Note`, `Note.md`) as
    /// written in note `from`.
    pub fn resolve(&self, from: &str, target: &str) -> Resolution {
        self.names.resolve_wiki(from, target).0
    }

    /// Resolves a parsed link of any kind found in note `from`.
    pub fn resolve_link(&self, from: &str, link: &Link) -> Resolution {
        self.names.resolve_link(from, link).0
    }

    /// Whether a link points at an existing non-note file (image, PDF, ...).
    pub fn is_attachment_link(&self, from: &str, link: &Link) -> bool {
        self.attachment_of(from, link).is_some()
    }

    /// The vault path of the non-note file a link points at, if any.
    /// Markdown links resolve relative to the note first, then (like wiki
    /// embeds) by name or path suffix anywhere in the vault.
    pub fn attachment_of(&self, from: &str, link: &Link) -> Option<&str> {
        let t = link.target.trim().to_lowercase();
        if t.is_empty() || t.ends_with(".md") {
            return None;
        }
        if link.kind == LinkKind::Markdown {
            let joined = match t.strip_prefix('/') {
                Some(a) => join_normalize("", a),
                None => join_normalize(&parent(from).to_lowercase(), &t),
            };
            if let Some(p) = joined.and_then(|j| self.attachments.get(&j)) {
                return Some(p);
            }
            if t.starts_with("./") || t.starts_with("../") {
                return None;
            }
        }
        let t = t.trim_start_matches('/');
        if let Some(p) = self.attachments.get(t) {
            return Some(p);
        }
        let suffix = format!("/{t}");
        let mut found: Vec<&String> = self
            .attachments
            .iter()
            .filter(|(k, _)| k.ends_with(&suffix))
            .map(|(_, v)| v)
            .collect();
        found.sort();
        found.first().map(|p| p.as_str())
    }

    /// Every link in the vault that resolves to `path`, sorted by source path
    /// and position.
    pub fn backlinks(&self, path: &str) -> Vec<Backlink> {
        let Some(target) = self.entries.get(path) else {
            return Vec::new();
        };
        let mut keys: Vec<String> = vec![stem(path).to_lowercase()];
        keys.extend(target.note.aliases.iter().map(|a| a.trim().to_lowercase()));
        let mut out = Vec::new();
        for from in self.linkers_of(&keys) {
            let Some(e) = self.entries.get(from) else {
                continue;
            };
            for link in &e.note.links {
                if link.target.trim().is_empty() || !keys.contains(&target_key(&link.target)) {
                    continue;
                }
                if self.names.resolve_link(from, link).0 == Resolution::Note(path.to_string()) {
                    let r = links::line_at(&e.text, link.span.start);
                    out.push(Backlink {
                        from: from.to_string(),
                        line: link.line,
                        context: e.text[r].trim().to_string(),
                        link: link.clone(),
                    });
                }
            }
        }
        out
    }

    /// Plain-text occurrences of the note's name, title or aliases in other
    /// notes: whole word, case-insensitive, outside code and links.
    pub fn unlinked_mentions(&self, path: &str) -> Vec<Mention> {
        let Some(target) = self.entries.get(path) else {
            return Vec::new();
        };
        let mut names: Vec<String> = std::iter::once(target.note.name.clone())
            .chain(target.note.title.clone())
            .chain(target.note.aliases.iter().cloned())
            .map(|n| n.trim().to_lowercase())
            .filter(|n| !n.is_empty())
            .collect();
        // Longer names first so "Go Channels" wins over "Go" at one spot.
        names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        names.dedup();
        let mut out = Vec::new();
        for (from, e) in &self.entries {
            if from == path {
                continue;
            }
            let mut taken: Vec<Range<usize>> = Vec::new();
            for name in &names {
                if !e.lower.contains(name.as_str()) {
                    continue;
                }
                let mut start = 0;
                while let Some(p) = e.lower[start..].find(name.as_str()) {
                    let ls = start + p;
                    let le = ls + name.len();
                    start = ls + name.len().max(1);
                    let s = e.original_offset(ls);
                    let en = e.original_offset(le);
                    if en <= s
                        || !is_word_boundary(&e.text, s, en)
                        || links::in_ranges(&e.code, s)
                        || e.note
                            .links
                            .iter()
                            .any(|l| l.span.start < en && s < l.span.end)
                        || taken.iter().any(|t| t.start < en && s < t.end)
                        || s < e.fm_end
                    {
                        continue;
                    }
                    taken.push(s..en);
                    let (line, col) = links::line_col(&e.text, s);
                    let lr = links::line_at(&e.text, s);
                    out.push(Mention {
                        path: from.clone(),
                        line,
                        col,
                        context: e.text[lr].trim().to_string(),
                        range: s..en,
                        text: e.text[s..en].to_string(),
                    });
                }
            }
        }
        out.sort_by(|a, b| (&a.path, a.range.start).cmp(&(&b.path, b.range.start)));
        out
    }

    /// Case-insensitive substring search over all notes, in path order,
    /// at most `limit` hits.
    pub fn search(&self, query: &str, limit: usize) -> Vec<SearchHit> {
        let q = query.to_lowercase();
        let mut out = Vec::new();
        if q.is_empty() || limit == 0 {
            return out;
        }
        for (path, e) in &self.entries {
            // `contains` has a SIMD fast path that `find` lacks; most notes
            // do not match, so test first.
            if !e.lower.contains(q.as_str()) {
                continue;
            }
            let mut from = 0;
            while let Some(p) = e.lower[from..].find(q.as_str()) {
                let ls = from + p;
                from = ls + q.len();
                let s = e.original_offset(ls);
                let en = e.original_offset(ls + q.len()).max(s);
                out.push(hit(path, &e.text, s, en));
                if out.len() >= limit {
                    return out;
                }
            }
        }
        out
    }

    /// Every name a note can be linked by, for `[[` completion and the quick
    /// switcher.
    pub fn all_names(&self) -> Vec<NameEntry> {
        let mut out = Vec::with_capacity(self.entries.len());
        for (path, e) in &self.entries {
            out.push(NameEntry {
                path: path.clone(),
                display: e.note.name.clone(),
                kind: NameKind::Name,
            });
            if let Some(t) = &e.note.title {
                out.push(NameEntry {
                    path: path.clone(),
                    display: t.clone(),
                    kind: NameKind::Title,
                });
            }
            for a in &e.note.aliases {
                out.push(NameEntry {
                    path: path.clone(),
                    display: a.clone(),
                    kind: NameKind::Alias,
                });
            }
        }
        out
    }

    /// Creates a new note file (and its folders); never overwrites.
    pub fn create_note(&mut self, path: &str, text: &str) -> Result<(), VaultError> {
        let path = normalize_new_path(path)?;
        if self.entries.contains_key(&path) {
            return Err(VaultError::AlreadyExists(path));
        }
        let abs = self.abs(&path);
        if let Some(dir) = abs.parent() {
            fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        let mut f = match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&abs)
        {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(VaultError::AlreadyExists(path))
            }
            Err(e) => return Err(io_err(&abs)(e)),
        };
        io::Write::write_all(&mut f, text.as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(io_err(&abs))?;
        drop(f);
        let stamp = stamp_of(&abs).map_err(io_err(&abs))?;
        self.insert(Entry::build(&path, text.to_string(), None, stamp));
        Ok(())
    }

    /// Deletes the note's file and forgets it.
    pub fn delete_note(&mut self, path: &str) -> Result<(), VaultError> {
        if !self.entries.contains_key(path) {
            return Err(VaultError::NotFound(path.to_string()));
        }
        let abs = self.abs(path);
        match fs::remove_file(&abs) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(io_err(&abs)(e)),
            _ => {}
        }
        self.remove(path);
        Ok(())
    }

    /// Computes every edit a rename needs, without touching the disk.
    pub fn plan_rename(&self, from: &str, to: &str) -> Result<RenamePlan, VaultError> {
        rename::plan(self, from, to)
    }

    /// Applies a plan: checks that nothing changed since it was made, moves
    /// the file and rewrites each edited file atomically. On failure the
    /// steps already done are rolled back.
    pub fn apply(&mut self, plan: &RenamePlan) -> Result<(), VaultError> {
        rename::apply(self, plan)
    }

    /// `plan_rename` + `apply`; the returned plan's `inverse()` undoes it.
    pub fn rename(&mut self, from: &str, to: &str) -> Result<RenamePlan, VaultError> {
        let plan = self.plan_rename(from, to)?;
        self.apply(&plan)?;
        Ok(plan)
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_word_boundary(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    let first = text[s..e].chars().next();
    let last = text[s..e].chars().next_back();
    let ok_before = !(before.is_some_and(is_word_char) && first.is_some_and(is_word_char));
    let ok_after = !(after.is_some_and(is_word_char) && last.is_some_and(is_word_char));
    ok_before && ok_after
}

const CONTEXT_CHARS: usize = 80;

/// A search hit for bytes `s..e` of `text`, with its line as context
/// (shortened around the match for very long lines).
fn hit(path: &str, text: &str, s: usize, e: usize) -> SearchHit {
    let (line, col) = links::line_col(text, s);
    let lr = links::line_at(text, s);
    let e = e.min(lr.end.max(s));
    let mut cs = lr.start;
    let before = text[cs..s].chars().count();
    if before > CONTEXT_CHARS {
        cs = text[cs..s]
            .char_indices()
            .nth(before - CONTEXT_CHARS)
            .map_or(s, |(i, _)| cs + i);
    }
    let mut ce = lr.end;
    if text[e..ce].chars().count() > CONTEXT_CHARS {
        ce = text[e..ce]
            .char_indices()
            .nth(CONTEXT_CHARS)
            .map_or(ce, |(i, _)| e + i);
    }
    SearchHit {
        path: path.to_string(),
        line,
        col,
        context: text[cs..ce].to_string(),
        match_range_in_context: s - cs..e - cs,
    }
}

#[cfg(test)]
mod tests;
