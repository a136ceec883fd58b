//! Review files on disk: `<vault>/.strata/reviews/<note path>.ron`, one per
//! note, written atomically. A file that cannot be read is reported with
//! its position and never written over: its comments stay as the user (or
//! a merge tool) left them until the file is fixed.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{Comment, Located, ReviewFile};
use crate::vault::save::atomic_write;

/// Where review files live, relative to the vault root.
pub const REVIEW_DIR: &str = ".strata/reviews";

#[derive(Debug)]
pub enum ReviewError {
    Io {
        path: PathBuf,
        source: io::Error,
    },
    Parse {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    /// A note path that cannot name a file inside the vault.
    BadPath(String),
    /// Writing was refused because the existing file could not be read.
    Unreadable {
        path: PathBuf,
        cause: String,
    },
    NoSuchComment(String),
}

impl fmt::Display for ReviewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReviewError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            ReviewError::Parse {
                path,
                line,
                col,
                message,
            } => write!(
                f,
                "{}:{line}:{col}: invalid review file: {message}",
                path.display()
            ),
            ReviewError::BadPath(p) => write!(f, "{p}: not a note path inside the vault"),
            ReviewError::Unreadable { path, cause } => write!(
                f,
                "{}: not saved, the file on disk could not be read and is kept as it is ({cause})",
                path.display()
            ),
            ReviewError::NoSuchComment(id) => write!(f, "no comment with id {id}"),
        }
    }
}

impl std::error::Error for ReviewError {}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> ReviewError + '_ {
    move |source| ReviewError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// `<root>/.strata/reviews/<note>.ron` for a vault-relative note path with
/// `/` separators; `..`, absolute paths and empty parts are refused.
pub fn review_path(root: &Path, note: &str) -> Result<PathBuf, ReviewError> {
    let ok = !note.is_empty()
        && !note.starts_with('/')
        && !note.contains('\\')
        && note
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
        && !note.contains(':');
    if !ok {
        return Err(ReviewError::BadPath(note.to_owned()));
    }
    let mut path = root.join(REVIEW_DIR);
    for part in note.split('/') {
        path.push(part);
    }
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".ron");
    path.set_file_name(name);
    Ok(path)
}

/// Reads one note's review file; a missing file is an empty one.
pub fn load(root: &Path, note: &str) -> Result<ReviewFile, ReviewError> {
    read_file(&review_path(root, note)?)
}

fn read_file(path: &Path) -> Result<ReviewFile, ReviewError> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(ReviewFile::default()),
        Err(e) => return Err(io_err(path)(e)),
    };
    let text = std::str::from_utf8(&bytes).map_err(|e| ReviewError::Parse {
        path: path.to_path_buf(),
        line: 1,
        col: 1,
        message: format!("not valid UTF-8 ({e})"),
    })?;
    ReviewFile::from_ron(text).map_err(|e| ReviewError::Parse {
        path: path.to_path_buf(),
        line: e.span.start.line,
        col: e.span.start.col,
        message: e.code.to_string(),
    })
}

/// Writes (or, with no comments left, removes) one note's review file.
pub fn save(root: &Path, note: &str, file: &ReviewFile) -> Result<(), ReviewError> {
    let path = review_path(root, note)?;
    if file.comments.is_empty() {
        return match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_err(&path)(e)),
            _ => Ok(()),
        };
    }
    let text = file.to_ron().map_err(|e| ReviewError::Io {
        path: path.clone(),
        source: io::Error::other(e.to_string()),
    })?;
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    atomic_write(&path, text.as_bytes()).map_err(io_err(&path))
}

/// Follows a note rename on disk. Comments already filed under `to` (left
/// from a deleted note of that name) are kept and merged. Returns whether
/// there was anything to move.
pub fn move_reviews(root: &Path, from: &str, to: &str) -> Result<bool, ReviewError> {
    let src = review_path(root, from)?;
    let dst = review_path(root, to)?;
    if src == dst || !src.exists() {
        return Ok(false);
    }
    if dst.exists() {
        let mut merged = read_file(&dst)?;
        let moved = read_file(&src)?;
        for c in moved.comments {
            if merged.comment(&c.id).is_none() {
                merged.comments.push(c);
            }
        }
        save(root, to, &merged)?;
        fs::remove_file(&src).map_err(io_err(&src))?;
    } else {
        if let Some(dir) = dst.parent() {
            fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        fs::rename(&src, &dst).map_err(io_err(&src))?;
    }
    Ok(true)
}

/// Note paths that have a review file, sorted.
pub fn list(root: &Path) -> Vec<String> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            // Temp files of an interrupted atomic write are not reviews.
            if name.starts_with(".strata-tmp-") {
                continue;
            }
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                walk(&entry.path(), &format!("{prefix}{name}/"), out);
            } else if let Some(note) = name.strip_suffix(".ron") {
                if !note.is_empty() {
                    out.push(format!("{prefix}{note}"));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&root.join(REVIEW_DIR), "", &mut out);
    out.sort();
    out
}

/// Every review file of a vault, kept in memory; each change is written
/// through to disk before it is accepted.
pub struct ReviewStore {
    root: PathBuf,
    files: BTreeMap<String, ReviewFile>,
    broken: BTreeMap<String, ReviewError>,
    generation: u64,
}

impl ReviewStore {
    pub fn open(root: &Path) -> ReviewStore {
        let mut store = ReviewStore {
            root: root.to_path_buf(),
            files: BTreeMap::new(),
            broken: BTreeMap::new(),
            generation: 0,
        };
        store.reload();
        store
    }

    /// Re-reads every review file (after a vault switch or outside edits).
    pub fn reload(&mut self) {
        self.files.clear();
        self.broken.clear();
        for note in list(&self.root) {
            self.reload_note(&note);
        }
        self.generation += 1;
    }

    pub fn reload_note(&mut self, note: &str) {
        self.files.remove(note);
        self.broken.remove(note);
        match load(&self.root, note) {
            Ok(f) if f.comments.is_empty() => {}
            Ok(f) => {
                self.files.insert(note.to_owned(), f);
            }
            Err(e) => {
                self.broken.insert(note.to_owned(), e);
            }
        }
        self.generation += 1;
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Bumped on every change, to key derived caches.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Review files that could not be read, with the reason.
    pub fn errors(&self) -> impl Iterator<Item = (&str, &ReviewError)> {
        self.broken.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn file(&self, note: &str) -> Option<&ReviewFile> {
        self.files.get(note)
    }

    /// Notes with at least one comment, sorted by path.
    pub fn notes(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Every comment as (note, comment), notes sorted, comments by time.
    pub fn comments(&self) -> impl Iterator<Item = (&str, &Comment)> {
        self.files
            .iter()
            .flat_map(|(n, f)| f.comments.iter().map(move |c| (n.as_str(), c)))
    }

    pub fn find(&self, id: &str) -> Option<(&str, &Comment)> {
        self.comments().find(|(_, c)| c.id == id)
    }

    /// Applies `change` to a copy of the note's file, writes it, and only
    /// then keeps it: a failed write leaves memory and disk as they were.
    fn edit<T>(
        &mut self,
        note: &str,
        change: impl FnOnce(&mut ReviewFile) -> Result<T, ReviewError>,
    ) -> Result<T, ReviewError> {
        if let Some(e) = self.broken.get(note) {
            return Err(ReviewError::Unreadable {
                path: review_path(&self.root, note)?,
                cause: e.to_string(),
            });
        }
        let mut file = self.files.get(note).cloned().unwrap_or_default();
        let out = change(&mut file)?;
        file.sort();
        save(&self.root, note, &file)?;
        if file.comments.is_empty() {
            self.files.remove(note);
        } else {
            self.files.insert(note.to_owned(), file);
        }
        self.generation += 1;
        Ok(out)
    }

    pub fn add(&mut self, note: &str, comment: Comment) -> Result<(), ReviewError> {
        self.edit(note, |f| {
            f.comments.push(comment);
            Ok(())
        })
    }

    /// Changes one comment in place (reply, resolve, reopen, edit body).
    pub fn update(
        &mut self,
        note: &str,
        id: &str,
        change: impl FnOnce(&mut Comment),
    ) -> Result<(), ReviewError> {
        self.edit(note, |f| {
            let c = f
                .comments
                .iter_mut()
                .find(|c| c.id == id)
                .ok_or_else(|| ReviewError::NoSuchComment(id.to_owned()))?;
            change(c);
            Ok(())
        })
    }

    pub fn delete(&mut self, note: &str, id: &str) -> Result<(), ReviewError> {
        self.edit(note, |f| {
            let before = f.comments.len();
            f.comments.retain(|c| c.id != id);
            if f.comments.len() == before {
                return Err(ReviewError::NoSuchComment(id.to_owned()));
            }
            Ok(())
        })
    }

    /// Re-anchors the note's comments against `text` and saves if anything
    /// moved or became (or stopped being) outdated. Returns whether it did.
    pub fn reanchor(&mut self, note: &str, text: &str) -> Result<bool, ReviewError> {
        let Some(file) = self.files.get(note) else {
            return Ok(false);
        };
        let mut probe = file.clone();
        if !probe.reanchor(text) {
            return Ok(false);
        }
        self.edit(note, |f| {
            *f = probe;
            Ok(true)
        })
    }

    /// Where each of the note's comments points in `text` (no changes).
    pub fn locate(&self, note: &str, text: &str) -> Vec<(String, Located)> {
        self.files.get(note).map_or_else(Vec::new, |f| {
            f.comments
                .iter()
                .map(|c| (c.id.clone(), c.locate(text)))
                .collect()
        })
    }

    /// Follows a rename that already happened on disk (see [`move_reviews`]).
    pub fn renamed(&mut self, from: &str, to: &str) {
        self.reload_note(from);
        self.reload_note(to);
    }
}
