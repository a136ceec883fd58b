//! Offline exports of a vault: a self-contained static HTML site (one page
//! per note, shared CSS and search script, diagrams as inline SVG) and every
//! diagram as a standalone SVG file. Nothing here touches the UI toolkit and
//! nothing written references the network.

mod assets;
pub mod recording;
mod render;
mod site;
mod util;

use crate::markdown::{self, BlockKind, DiagramKind};
use crate::vault::Vault;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

pub use site::export_html;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlOptions {
    /// Vault path of one note (`folder/Note.md`, or a name that resolves to
    /// one) to export as a single HTML file with every resource inlined.
    pub single: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// HTML files written for notes (the generated `index.html` list is not
    /// counted).
    pub pages: usize,
    /// Diagrams drawn successfully.
    pub diagrams: usize,
    /// (note path, 1-based line in the note, message) of diagrams that could
    /// not be drawn; the page shows the error in place of the drawing.
    pub diagram_errors: Vec<(String, usize, String)>,
    /// Go programs recorded for the step-through player.
    pub recordings: usize,
    /// (note path, 1-based line in the note, message) of `package main`
    /// blocks the simulator rejected; the page says so under the code.
    pub sim_rejected: Vec<(String, usize, String)>,
}

#[derive(Debug)]
pub enum ExportError {
    Io {
        path: PathBuf,
        source: io::Error,
    },
    /// `--single` named a note that does not exist (or is ambiguous).
    NoSuchNote(String),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            ExportError::NoSuchNote(n) => write!(f, "{n}: no such note in the vault"),
        }
    }
}

impl std::error::Error for ExportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ExportError::Io { source, .. } => Some(source),
            ExportError::NoSuchNote(_) => None,
        }
    }
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A diagram that failed to draw, positioned in its note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagramProblem {
    pub note: String,
    /// 1-based line and column in the note's text.
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for DiagramProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error: {}",
            self.note, self.line, self.col, self.message
        )
    }
}

/// Result of [`export_svgs_report`].
#[derive(Debug, Clone, Default)]
pub struct SvgExport {
    pub files: Vec<PathBuf>,
    pub errors: Vec<DiagramProblem>,
}

/// Draws one diagram block of a note. `fence_line` is the note line of the
/// opening fence, so source positions map back to note positions.
pub(crate) fn draw_diagram(
    kind: DiagramKind,
    source: &str,
    note: &str,
    fence_line: usize,
) -> Result<String, DiagramProblem> {
    match kind {
        DiagramKind::Mermaid => crate::diagram::render_svg(source, crate::diagram::Theme::Light)
            .map_err(|e| {
                let (line, col, message) = match &e {
                    crate::diagram::DiagramError::Parse(p) => {
                        (fence_line + p.line.max(1), p.col.max(1), p.message.clone())
                    }
                    other => (fence_line, 1, other.to_string()),
                };
                DiagramProblem {
                    note: note.to_string(),
                    line,
                    col,
                    message,
                }
            }),
        DiagramKind::Dot => crate::diagram::dot::render_svg(source).map_err(|e| DiagramProblem {
            note: note.to_string(),
            line: fence_line,
            col: 1,
            message: e.to_string(),
        }),
    }
}

/// Every diagram of every note as `out_dir/<note path without .md>-<n>.svg`
/// (n counts the note's diagrams from 1; folders are kept). Diagrams that
/// fail are skipped and reported with their note positions.
pub fn export_svgs_report(vault: &Vault, out_dir: &Path) -> Result<SvgExport, ExportError> {
    let mut out = SvgExport::default();
    for note in vault.notes() {
        let Some(text) = vault.text(&note.path) else {
            continue;
        };
        let doc = markdown::parse(text);
        let stem = util::strip_md(&note.path);
        for (i, block) in markdown::diagrams(&doc).into_iter().enumerate() {
            let BlockKind::Diagram { kind, source } = &block.kind else {
                continue;
            };
            match draw_diagram(*kind, source, &note.path, block.line) {
                Ok(svg) => {
                    let rel = format!("{stem}-{}.svg", i + 1);
                    let path = util::out_path(out_dir, &rel);
                    util::write_file(&path, svg.as_bytes())?;
                    out.files.push(path);
                }
                Err(p) => out.errors.push(p),
            }
        }
    }
    Ok(out)
}

/// [`export_svgs_report`] without the error list: the files written.
pub fn export_svgs(vault: &Vault, out_dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    export_svgs_report(vault, out_dir).map(|r| r.files)
}

#[cfg(test)]
mod tests;
