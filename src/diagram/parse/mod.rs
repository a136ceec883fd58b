//! Mermaid flowchart text -> [`Flowchart`].
//!
//! A hand-written, scannerless recursive-descent parser: Mermaid's lexing is
//! context dependent (label text may hold almost anything), so the grammar
//! code reads characters directly instead of going through a token stream.
//!
//! Where Mermaid.js rejects text whose meaning is nevertheless clear (for
//! example parentheses inside a `[...]` label) the parser accepts it and
//! reports a [`Warning`], so `strata check` can flag notes that would not
//! render on other Mermaid hosts.

mod directive;
mod grammar;
mod shapes;
mod text;

use crate::diagram::model::Flowchart;
use serde::Serialize;
use std::fmt;

pub use shapes::shape_from_name;
pub use text::decode_label;

/// A syntax error with a 1-based position (column counted in characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParseError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl ParseError {
    /// `line:col: message`, the offending source line and a caret under the
    /// column.
    pub fn render(&self, src: &str) -> String {
        let line_text = src
            .split('\n')
            .nth(self.line.saturating_sub(1))
            .unwrap_or("")
            .trim_end_matches('\r');
        let caret_pad: String = line_text
            .chars()
            .take(self.col.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        format!(
            "{}:{}: {}\n{}\n{}^",
            self.line, self.col, self.message, line_text, caret_pad
        )
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Accepted but noteworthy input: portability problems with Mermaid.js and
/// settings we ignore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

/// Parses a Mermaid flowchart (`graph` / `flowchart` header, optional front
/// matter and `%%{init}%%` directives).
pub fn parse(src: &str) -> Result<(Flowchart, Vec<Warning>), ParseError> {
    let pre = directive::preprocess(src)?;
    let mut p = grammar::Parser::new(&pre.text);
    p.warnings.extend(pre.warnings);
    p.config = pre.config;
    p.preset_direction = pre.direction;
    p.parse_document()?;
    p.finish()
}

#[cfg(test)]
mod tests;
