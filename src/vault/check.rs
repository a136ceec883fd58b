//! `strata check`: link and encoding diagnostics for a whole vault.

use std::fmt;
use std::path::Path;

use super::{links, Resolution, Vault, VaultError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Vault-relative.
    pub path: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in chars.
    pub col: usize,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path, self.line, self.col, self.severity, self.message
        )
    }
}

/// Opens the vault at `root` and reports its problems.
pub fn check_vault(root: &Path) -> Result<Vec<Diagnostic>, VaultError> {
    Ok(diagnostics(&Vault::open(root)?))
}

fn has_heading(v: &Vault, path: &str, heading: &str) -> bool {
    let Some(note) = v.note(path) else {
        return false;
    };
    // `[[Note#Top#Sub]]` names a chain of headings; the last one must exist.
    let h = heading.rsplit('#').next().unwrap_or(heading).trim();
    if let Some(block) = h.strip_prefix('^') {
        let text = v.text(path).unwrap_or("");
        return text.lines().any(|l| {
            l.trim_end()
                .strip_suffix(block)
                .is_some_and(|rest| rest.ends_with('^'))
        });
    }
    let lower = h.to_lowercase();
    let sl = links::slug(h);
    note.headings
        .iter()
        .any(|x| x.text.to_lowercase() == lower || x.anchor == lower || x.anchor == sl)
}

/// Problems of an already opened vault, sorted by path and position.
pub fn diagnostics(v: &Vault) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (path, reason) in v.scan_problems() {
        out.push(Diagnostic {
            path: path.clone(),
            line: 1,
            col: 1,
            severity: Severity::Error,
            message: format!("could not read: {reason}"),
        });
    }
    for (path, e) in &v.entries {
        if let Some(at) = e.invalid_at {
            let (line, col) = links::line_col(&e.text, at.min(e.text.len()));
            out.push(Diagnostic {
                path: path.clone(),
                line,
                col,
                severity: Severity::Error,
                message: "file is not valid UTF-8; Strata opens it read-only".into(),
            });
        }
        for link in &e.note.links {
            let diag = |severity, message| Diagnostic {
                path: path.clone(),
                line: link.line,
                col: link.col,
                severity,
                message,
            };
            let shown = &e.text[link.span.clone()];
            match v.resolve_link(path, link) {
                Resolution::Note(target) => {
                    if let Some(h) = &link.heading {
                        if !has_heading(v, &target, h) {
                            out.push(diag(
                                Severity::Warning,
                                format!("{shown}: no heading \"{h}\" in {target}"),
                            ));
                        }
                    }
                }
                Resolution::Ambiguous(c) => out.push(diag(
                    Severity::Warning,
                    format!("{shown}: ambiguous link, matches {}", c.join(", ")),
                )),
                Resolution::Missing => {
                    if !v.is_attachment_link(path, link) {
                        out.push(diag(
                            Severity::Error,
                            format!("{shown}: broken link, no note \"{}\"", link.target),
                        ));
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
    out
}
