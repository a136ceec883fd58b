//! Rename/move refactoring: plan every link rewrite first, then apply.
//!
//! The plan keeps every link resolving to the same note it resolved to
//! before: links to the moved note are rewritten in the author's style, and
//! other links whose resolution the move would change (a bare name becoming
//! ambiguous, relative Markdown links inside the moved note) are fixed too.

use std::fs;
use std::ops::Range;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

use super::{
    atomic_write, atomic_write_all, join_normalize, normalize_new_path, parent, stamp_of, stem,
    target_key, Entry, FileStamp, Link, LinkKind, NameIndex, Resolution, Vault, VaultError,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdit {
    /// Vault path after the move.
    pub path: String,
    pub old_text: String,
    pub new_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenamePlan {
    pub from: String,
    pub to: String,
    pub edits: Vec<FileEdit>,
}

impl RenamePlan {
    /// The plan that undoes this one once it has been applied.
    pub fn inverse(&self) -> RenamePlan {
        RenamePlan {
            from: self.to.clone(),
            to: self.from.clone(),
            edits: self
                .edits
                .iter()
                .map(|e| FileEdit {
                    path: if e.path == self.to {
                        self.from.clone()
                    } else {
                        e.path.clone()
                    },
                    old_text: e.new_text.clone(),
                    new_text: e.old_text.clone(),
                })
                .collect(),
        }
    }
}

/// Characters that cannot stay literal in a Markdown link destination.
const PATH_ENCODE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'(')
    .add(b')')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Path from folder `from_dir` to vault path `to`.
fn relative_path(from_dir: &str, to: &str) -> String {
    let a: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let b: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = a
        .iter()
        .zip(&b)
        .take_while(|(x, y)| x == y)
        .count()
        .min(b.len().saturating_sub(1));
    let mut parts: Vec<&str> = vec![".."; a.len() - common];
    parts.extend(&b[common..]);
    parts.join("/")
}

fn has_md(target: &str) -> bool {
    target.trim().to_ascii_lowercase().ends_with(".md")
}

fn without_md(path: &str) -> &str {
    &path[..path.len() - if has_md(path) { 3 } else { 0 }]
}

/// New target text for `link` (in note `src`, after the move) so that it
/// resolves to `want` in `idx`.
fn rewrite_target(
    idx: &NameIndex,
    src: &str,
    link: &Link,
    raw: &str,
    text: &str,
    want: &str,
) -> String {
    let keep_md = has_md(&link.target);
    match link.kind {
        LinkKind::Wiki | LinkKind::Embed => {
            let bare = !link.target.contains('/');
            let full = without_md(want);
            let mut candidates = Vec::new();
            if bare {
                candidates.push(stem(want).to_string());
            }
            candidates.push(full.to_string());
            candidates.push(format!("/{full}"));
            for c in candidates {
                let t = if keep_md { format!("{c}.md") } else { c };
                if idx.resolve_wiki(src, &t).0 == Resolution::Note(want.to_string()) {
                    return t;
                }
            }
            // Only reachable with case-variant duplicates; the full path is
            // still the most precise name we can write.
            let t = format!("/{full}");
            if keep_md {
                format!("{t}.md")
            } else {
                t
            }
        }
        LinkKind::Markdown => markdown_target(src, link, raw, text, want),
    }
}

/// Markdown destination from note `src` to vault path `want`, keeping the
/// style of `raw`: absolute or relative, `.md` written or not, encoded or in
/// angle brackets.
fn markdown_target(src: &str, link: &Link, raw: &str, text: &str, want: &str) -> String {
    let keep_md = has_md(&link.target);
    let mut p = if raw.starts_with('/') {
        format!("/{want}")
    } else {
        relative_path(parent(src), want)
    };
    if !keep_md && !link.target.trim().is_empty() && !stem(&link.target).contains('.') {
        p = without_md(&p).to_string();
    }
    let angle = link.target_span.start > 0
        && text.as_bytes().get(link.target_span.start - 1) == Some(&b'<');
    let encoded = raw.contains('%');
    let needs = p
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | '#' | '%'));
    if encoded || (needs && !angle) {
        utf8_percent_encode(&p, PATH_ENCODE).to_string()
    } else {
        p
    }
}

fn splice(text: &str, mut reps: Vec<(Range<usize>, String)>) -> String {
    reps.sort_by_key(|r| r.0.start);
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for (r, s) in reps {
        out.push_str(&text[pos..r.start]);
        out.push_str(&s);
        pos = r.end;
    }
    out.push_str(&text[pos..]);
    out
}

pub(super) fn plan(v: &Vault, from: &str, to: &str) -> Result<RenamePlan, VaultError> {
    let src = v
        .entries
        .get(from)
        .ok_or_else(|| VaultError::NotFound(from.to_string()))?;
    let to = normalize_new_path(to)?;
    if to == from {
        return Ok(RenamePlan {
            from: from.to_string(),
            to,
            edits: Vec::new(),
        });
    }
    // A case-only rename is allowed even where the file system folds case.
    let case_only = to.eq_ignore_ascii_case(from);
    if v.entries.contains_key(&to) || (!case_only && v.abs(&to).exists()) {
        return Err(VaultError::AlreadyExists(to));
    }
    let mut after = v.names.clone();
    after.remove(from, &src.note.aliases);
    after.add(&to, &src.note.aliases);
    let mut keys = vec![stem(from).to_lowercase(), stem(&to).to_lowercase()];
    keys.extend(src.note.aliases.iter().map(|a| a.trim().to_lowercase()));
    let moved = |p: &str| if p == from { to.clone() } else { p.to_string() };

    let mut edits = Vec::new();
    let mut candidates = v.linkers_of(&keys);
    candidates.insert(from);
    for path in candidates {
        let Some(e) = v.entries.get(path) else {
            continue;
        };
        let path = &path.to_string();
        let is_moved = path == from;
        let new_src = moved(path);
        let mut reps = Vec::new();
        for link in &e.note.links {
            if link.target.trim().is_empty() {
                continue;
            }
            if !is_moved && !keys.contains(&target_key(&link.target)) {
                continue;
            }
            let old = match v.names.resolve_link(path, link).0 {
                Resolution::Note(old) => old,
                Resolution::Missing if is_moved && link.kind == LinkKind::Markdown => {
                    // Relative links to images and other files must follow
                    // the note into its new folder.
                    let raw = &e.text[link.target_span.clone()];
                    if raw.starts_with('/') || parent(from) == parent(&to) {
                        continue;
                    }
                    let Some(att) = v.attachment_of(path, link) else {
                        continue;
                    };
                    let dir = join_normalize(parent(from), &link.target);
                    if dir.is_none_or(|d| !d.eq_ignore_ascii_case(att)) {
                        // Found by name, not by relative path: still valid.
                        continue;
                    }
                    let new = markdown_target(&to, link, raw, &e.text, att);
                    if new != raw {
                        reps.push((link.target_span.clone(), new));
                    }
                    continue;
                }
                _ => continue,
            };
            let want = moved(&old);
            let by_path = link.kind == LinkKind::Markdown
                && v.names.resolve_markdown_path(path, &link.target).is_some();
            let still = if by_path {
                // A link that worked as a relative path must keep working
                // as one, not just through the by-name fallback.
                after.resolve_markdown_path(&new_src, &link.target)
            } else {
                Some(after.resolve_link(&new_src, link).0)
            };
            let exact_case = || {
                // Case-insensitive lookup hides a path that would break on
                // case-sensitive file systems after a case-only rename.
                !by_path
                    || want != to
                    || link.target.starts_with('/')
                    || join_normalize(parent(&new_src), link.target.trim())
                        .is_none_or(|j| j == want || format!("{j}.md") == want)
            };
            if still == Some(Resolution::Note(want.clone())) && exact_case() {
                continue;
            }
            let raw = &e.text[link.target_span.clone()];
            let new = rewrite_target(&after, &new_src, link, raw, &e.text, &want);
            if new != raw {
                reps.push((link.target_span.clone(), new));
            }
        }
        if reps.is_empty() {
            continue;
        }
        if e.note.lossy {
            return Err(VaultError::ReadOnlyNote(path.clone()));
        }
        edits.push(FileEdit {
            path: new_src,
            old_text: e.text.clone(),
            new_text: splice(&e.text, reps),
        });
    }
    Ok(RenamePlan {
        from: from.to_string(),
        to,
        edits,
    })
}

/// Checks the plan still matches the index and the disk.
fn verify(v: &Vault, plan: &RenamePlan) -> Result<(), VaultError> {
    let moving = plan.from != plan.to;
    if !v.entries.contains_key(&plan.from) {
        return Err(VaultError::NotFound(plan.from.clone()));
    }
    if moving && v.entries.contains_key(&plan.to) {
        return Err(VaultError::AlreadyExists(plan.to.clone()));
    }
    for edit in &plan.edits {
        let cur = if edit.path == plan.to {
            &plan.from
        } else {
            &edit.path
        };
        let e = v
            .entries
            .get(cur)
            .ok_or_else(|| VaultError::NotFound(cur.clone()))?;
        if e.note.lossy {
            return Err(VaultError::ReadOnlyNote(cur.clone()));
        }
        if e.text != edit.old_text {
            return Err(VaultError::Conflict(cur.clone()));
        }
        if e.note.stamp != FileStamp::default() {
            // Someone else may have edited the file since we read it.
            match stamp_of(&v.abs(cur)) {
                Ok(s) if s.hash == e.note.stamp.hash && s.len == e.note.stamp.len => {}
                _ => return Err(VaultError::Conflict(cur.clone())),
            }
        }
    }
    Ok(())
}

pub(super) fn apply(v: &mut Vault, plan: &RenamePlan) -> Result<(), VaultError> {
    verify(v, plan)?;
    let moving = plan.from != plan.to;
    let from_abs = v.abs(&plan.from);
    let to_abs = v.abs(&plan.to);
    if moving {
        if let Some(dir) = to_abs.parent() {
            fs::create_dir_all(dir).map_err(super::io_err(dir))?;
        }
        fs::rename(&from_abs, &to_abs).map_err(super::io_err(&from_abs))?;
    }
    let items: Vec<(std::path::PathBuf, &[u8])> = plan
        .edits
        .iter()
        .map(|e| (v.abs(&e.path), e.new_text.as_bytes()))
        .collect();
    if let Err((done, err)) = atomic_write_all(&items) {
        // Best effort: put back what was already replaced.
        for edit in plan.edits.iter().take(done) {
            let _ = atomic_write(&v.abs(&edit.path), edit.old_text.as_bytes());
        }
        if moving {
            let _ = fs::rename(&to_abs, &from_abs);
        }
        let failed = plan
            .edits
            .get(done)
            .map_or(to_abs.clone(), |e| v.abs(&e.path));
        return Err(super::io_err(&failed)(err));
    }
    if moving {
        // Review threads follow their note. Best effort: the rename itself
        // succeeded, and a thread left under the old name is still on disk.
        let _ = crate::review::store::move_reviews(v.root(), &plan.from, &plan.to);
    }
    // The index follows the disk.
    if moving {
        if let Some(old) = v.remove(&plan.from) {
            let stamp = stamp_of(&to_abs).unwrap_or(old.note.stamp);
            v.insert(Entry::build(&plan.to, old.text, old.invalid_at, stamp));
        }
    }
    for edit in &plan.edits {
        let stamp = stamp_of(&v.abs(&edit.path)).unwrap_or_default();
        v.insert(Entry::build(&edit.path, edit.new_text.clone(), None, stamp));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path("", "a/b.md"), "a/b.md");
        assert_eq!(relative_path("a", "a/b.md"), "b.md");
        assert_eq!(relative_path("a/x", "a/b.md"), "../b.md");
        assert_eq!(relative_path("c", "a/b.md"), "../a/b.md");
        assert_eq!(relative_path("a", "b.md"), "../b.md");
        assert_eq!(relative_path("a", "a.md"), "../a.md");
        assert_eq!(join_normalize("c", "../a/b.md").as_deref(), Some("a/b.md"));
    }
}
