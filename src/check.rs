//! `strata check`: one lint pass over a vault that combines the link checks
//! of `vault::check` with the diagrams and complete Go programs inside each
//! note, reported at the note's own line numbers.

use crate::diagram;
use crate::markdown::{self, BlockKind, DiagramKind};
use crate::vault::check::{diagnostics as link_diagnostics, Diagnostic, Severity};
use crate::vault::Vault;

/// Every problem in the vault, sorted by path, line, column.
pub fn check(vault: &Vault) -> Vec<Diagnostic> {
    let mut out = link_diagnostics(vault);
    for note in vault.notes() {
        if note.lossy {
            // Already reported as undecodable; its text is not trustworthy.
            continue;
        }
        if let Some(text) = vault.text(&note.path) {
            out.extend(note_diagnostics(&note.path, text));
        }
    }
    out.sort_by(|a, b| {
        (a.path.as_str(), a.line, a.col, &a.message).cmp(&(
            b.path.as_str(),
            b.line,
            b.col,
            &b.message,
        ))
    });
    out
}

/// Diagram and Go problems of one note; `path` is only copied into the results.
pub fn note_diagnostics(path: &str, text: &str) -> Vec<Diagnostic> {
    let doc = markdown::parse(text);
    let mut out = Vec::new();
    markdown::walk_blocks(&doc.blocks, &mut |block| {
        let BlockKind::Code { lang, code } = &block.kind else {
            return;
        };
        // Only whole programs are checked: notes also quote fragments that
        // are not meant to compile on their own.
        if !lang.eq_ignore_ascii_case("go") || !code.contains("package main") {
            return;
        }
        for d in crate::sim::check(code, path) {
            out.push(Diagnostic {
                path: path.to_string(),
                line: block.line + d.line,
                col: d.col,
                severity: Severity::Error,
                message: format!("go: {}", d.message),
            });
        }
    });
    for block in markdown::diagrams(&doc) {
        let BlockKind::Diagram { kind, source } = &block.kind else {
            continue;
        };
        // The diagram source starts on the line after the opening fence.
        let first = block.line + 1;
        let at = |line: usize, col: usize, severity, message: String| Diagnostic {
            path: path.to_string(),
            line: first + line.saturating_sub(1),
            col,
            severity,
            message,
        };
        match kind {
            DiagramKind::Mermaid => match diagram::parse::parse(source) {
                Ok((_, warnings)) => {
                    for w in warnings {
                        out.push(at(w.line, w.col, Severity::Warning, w.message));
                    }
                }
                Err(e) => out.push(at(
                    e.line,
                    e.col,
                    Severity::Error,
                    format!("mermaid: {}", e.message),
                )),
            },
            DiagramKind::Dot => {
                if let Err(e) = diagram::dot::render_svg(source) {
                    out.push(at(1, 1, Severity::Error, e.to_string()));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mermaid_errors_point_at_the_note_line() {
        let note = "# T\n\ntext\n\n```mermaid\nflowchart TD\n  A --> B\n  B --> (\n```\n";
        let d = note_diagnostics("t.md", note);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, 8);
        assert_eq!(d[0].severity, Severity::Error);
        assert!(d[0].to_string().starts_with("t.md:8:"), "{}", d[0]);
    }

    #[test]
    fn portability_warnings_and_dot_errors_are_reported() {
        let note =
            "```mermaid\nflowchart TD\n  A[call f(x)] --> B\n```\n\n```dot\ndigraph { a -> \n```\n";
        let d = note_diagnostics("n.md", note);
        assert!(
            d.iter()
                .any(|d| d.severity == Severity::Warning && d.line == 3),
            "{d:?}"
        );
        assert!(
            d.iter().any(|d| d.severity == Severity::Error
                && d.line == 7
                && d.message.starts_with("dot:")),
            "{d:?}"
        );
    }

    #[test]
    fn go_programs_are_checked_fragments_are_not() {
        let note = "# Go\n\n```go\npackage main\n\nfunc main() {\n\tx := 1\n\tgoto end\n}\n```\n\n```go\n// fragment\nfor { defer f() \n```\n";
        let d = note_diagnostics("g.md", note);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, 8, "{d:?}");
        assert!(d[0].message.starts_with("go: "), "{d:?}");
    }

    #[test]
    fn clean_diagrams_give_nothing() {
        let note = "```mermaid\nflowchart LR\n  A -->|yes| B\n```\n\n```go\nfunc main() {}\n```\n";
        assert!(note_diagnostics("n.md", note).is_empty());
    }
}
