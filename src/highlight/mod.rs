//! Code highlighting with syntect, independent of any UI toolkit.
//!
//! Loading the syntax and theme sets costs a few milliseconds, so they are
//! loaded once on first use. Results are plain styled byte ranges; the UI
//! turns them into its own text layout, and `HighlightCache` makes sure a
//! block is highlighted once per (content, language, theme), never per frame.

pub mod html;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::{Arc, OnceLock};
use syntect::easy::HighlightLines;
use syntect::highlighting::{FontStyle, ThemeSet};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

impl Theme {
    fn syntect_name(self) -> &'static str {
        match self {
            Theme::Light => "InspiredGitHub",
            Theme::Dark => "base16-ocean.dark",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyledSpan {
    /// Byte range into the highlighted code.
    pub range: Range<usize>,
    /// RGBA.
    pub color: [u8; 4],
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlighted {
    pub background: [u8; 4],
    pub foreground: [u8; 4],
    /// Covers the code without gaps, in order.
    pub spans: Vec<StyledSpan>,
    /// Name of the syntax used ("Plain Text" when the language is unknown).
    pub syntax: String,
}

pub struct Highlighter {
    syntaxes: SyntaxSet,
    themes: ThemeSet,
}

/// The process-wide highlighter, loaded on first use.
pub fn highlighter() -> &'static Highlighter {
    static H: OnceLock<Highlighter> = OnceLock::new();
    H.get_or_init(Highlighter::load)
}

/// Fence names people write that syntect knows under another token.
fn canonical_token(lang: &str) -> &str {
    match lang {
        "golang" => "go",
        "rust" => "rs",
        "javascript" | "jsx" | "node" | "mjs" | "cjs" => "js",
        // TypeScript is not bundled; JavaScript's grammar covers most of it.
        "typescript" | "ts" | "tsx" => "js",
        "python" | "python3" | "py3" => "py",
        "shell" | "bash" | "zsh" | "console" | "shell-session" => "sh",
        "c++" | "cxx" | "hpp" => "cpp",
        "yml" => "yaml",
        "jsonc" | "json5" => "json",
        "postgres" | "postgresql" | "mysql" | "sqlite" | "plsql" => "sql",
        "md" => "markdown",
        other => other,
    }
}

impl Highlighter {
    fn load() -> Highlighter {
        Highlighter {
            syntaxes: SyntaxSet::load_defaults_newlines(),
            themes: ThemeSet::load_defaults(),
        }
    }

    fn syntax_for(&self, lang: &str) -> Option<&SyntaxReference> {
        let lang = lang.trim().to_ascii_lowercase();
        if lang.is_empty() {
            return None;
        }
        let token = canonical_token(&lang);
        self.syntaxes
            .find_syntax_by_token(token)
            .or_else(|| self.syntaxes.find_syntax_by_name(&lang))
    }

    /// Whether a fence language is known (unknown ones render as plain text).
    pub fn has_syntax(&self, lang: &str) -> bool {
        self.syntax_for(lang).is_some()
    }

    /// Names of every bundled syntax, for documentation and tests.
    pub fn syntax_names(&self) -> Vec<&str> {
        self.syntaxes
            .syntaxes()
            .iter()
            .map(|s| s.name.as_str())
            .collect()
    }

    pub fn highlight(&self, code: &str, lang: &str, theme: Theme) -> Highlighted {
        let theme_ref = &self.themes.themes[theme.syntect_name()];
        let to_rgba = |c: syntect::highlighting::Color| [c.r, c.g, c.b, c.a];
        let background = theme_ref
            .settings
            .background
            .map(to_rgba)
            .unwrap_or([255, 255, 255, 255]);
        let foreground = theme_ref
            .settings
            .foreground
            .map(to_rgba)
            .unwrap_or([0, 0, 0, 255]);
        let plain = |range: Range<usize>| StyledSpan {
            range,
            color: foreground,
            bold: false,
            italic: false,
            underline: false,
        };
        let Some(syntax) = self.syntax_for(lang) else {
            return Highlighted {
                background,
                foreground,
                spans: if code.is_empty() {
                    Vec::new()
                } else {
                    vec![plain(0..code.len())]
                },
                syntax: "Plain Text".to_string(),
            };
        };
        let mut hl = HighlightLines::new(syntax, theme_ref);
        let mut spans: Vec<StyledSpan> = Vec::new();
        let mut offset = 0;
        for line in LinesWithEndings::from(code) {
            match hl.highlight_line(line, &self.syntaxes) {
                Ok(regions) => {
                    for (style, piece) in regions {
                        let range = offset..offset + piece.len();
                        offset = range.end;
                        let span = StyledSpan {
                            range,
                            color: to_rgba(style.foreground),
                            bold: style.font_style.contains(FontStyle::BOLD),
                            italic: style.font_style.contains(FontStyle::ITALIC),
                            underline: style.font_style.contains(FontStyle::UNDERLINE),
                        };
                        match spans.last_mut() {
                            Some(prev)
                                if prev.range.end == span.range.start
                                    && prev.color == span.color
                                    && (prev.bold, prev.italic, prev.underline)
                                        == (span.bold, span.italic, span.underline) =>
                            {
                                prev.range.end = span.range.end;
                            }
                            _ => spans.push(span),
                        }
                    }
                }
                // A grammar error on one line must not lose the text: show
                // the rest of the block unstyled.
                Err(_) => {
                    spans.push(plain(offset..code.len()));
                    offset = code.len();
                    break;
                }
            }
        }
        if offset < code.len() {
            spans.push(plain(offset..code.len()));
        }
        Highlighted {
            background,
            foreground,
            spans,
            syntax: syntax.name.clone(),
        }
    }
}

/// Highlight results keyed by (code, language, theme).
pub struct HighlightCache {
    entries: HashMap<u64, (Arc<Highlighted>, u64)>,
    clock: u64,
    capacity: usize,
}

impl Default for HighlightCache {
    fn default() -> Self {
        Self::new()
    }
}

impl HighlightCache {
    pub fn new() -> Self {
        Self::with_capacity(512)
    }

    pub fn with_capacity(capacity: usize) -> Self {
        HighlightCache {
            entries: HashMap::new(),
            clock: 0,
            capacity: capacity.max(1),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&mut self, code: &str, lang: &str, theme: Theme) -> Arc<Highlighted> {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (code, lang, theme).hash(&mut h);
        let key = h.finish();
        self.clock += 1;
        let now = self.clock;
        if let Some((hl, used)) = self.entries.get_mut(&key) {
            *used = now;
            return hl.clone();
        }
        if self.entries.len() >= self.capacity {
            // Drop the least recently used half at once so eviction stays
            // rare and cheap compared to highlighting.
            let mut ages: Vec<u64> = self.entries.values().map(|(_, u)| *u).collect();
            ages.sort_unstable();
            let cutoff = ages[ages.len() / 2];
            self.entries.retain(|_, (_, u)| *u > cutoff);
        }
        let hl = Arc::new(highlighter().highlight(code, lang, theme));
        self.entries.insert(key, (hl.clone(), now));
        hl
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covers(code: &str, hl: &Highlighted) -> bool {
        let mut at = 0;
        for s in &hl.spans {
            if s.range.start != at {
                return false;
            }
            at = s.range.end;
        }
        at == code.len()
    }

    #[test]
    fn languages_from_the_issue_are_known() {
        let h = highlighter();
        for lang in [
            "go",
            "golang",
            "rust",
            "rs",
            "javascript",
            "js",
            "sql",
            "python",
            "py",
            "cpp",
            "c++",
            "bash",
            "yaml",
            "json",
            "Go",
        ] {
            assert!(h.has_syntax(lang), "{lang}");
        }
        assert!(!h.has_syntax("klingon"));
        assert!(h.syntax_names().len() > 50);
    }

    #[test]
    fn go_keywords_get_a_colour_different_from_identifiers() {
        let code = "func main() {\n\tdefer f.Close()\n}\n";
        let hl = highlighter().highlight(code, "go", Theme::Light);
        assert_eq!(hl.syntax, "Go");
        assert!(covers(code, &hl));
        let color_at = |needle: &str| {
            let at = code.find(needle).expect("needle");
            hl.spans
                .iter()
                .find(|s| s.range.contains(&at))
                .expect("span")
                .color
        };
        assert_ne!(color_at("func"), color_at("main"));
        assert_ne!(color_at("defer"), color_at("Close"));
    }

    #[test]
    fn themes_differ_and_unknown_language_is_plain() {
        let light = highlighter().highlight("x := 1", "go", Theme::Light);
        let dark = highlighter().highlight("x := 1", "go", Theme::Dark);
        assert_ne!(light.background, dark.background);
        let plain = highlighter().highlight("中文 text\n", "nope", Theme::Dark);
        assert_eq!(plain.spans.len(), 1);
        assert_eq!(plain.syntax, "Plain Text");
        assert!(highlighter()
            .highlight("", "nope", Theme::Dark)
            .spans
            .is_empty());
    }

    #[test]
    fn multibyte_code_keeps_byte_ranges_on_char_boundaries() {
        let code = "// 协程泄漏\nlet s = \"延迟\";\n";
        let hl = highlighter().highlight(code, "rust", Theme::Dark);
        assert!(covers(code, &hl));
        for s in &hl.spans {
            assert!(code.is_char_boundary(s.range.start) && code.is_char_boundary(s.range.end));
        }
    }

    #[test]
    fn cache_returns_the_same_result_and_evicts_old_entries() {
        let mut cache = HighlightCache::with_capacity(4);
        let a = cache.get("SELECT 1;", "sql", Theme::Light);
        let b = cache.get("SELECT 1;", "sql", Theme::Light);
        assert!(Arc::ptr_eq(&a, &b));
        let c = cache.get("SELECT 1;", "sql", Theme::Dark);
        assert!(!Arc::ptr_eq(&a, &c));
        for i in 0..10 {
            cache.get(&format!("x = {i}"), "py", Theme::Light);
        }
        assert!(cache.len() <= 4);
    }
}
