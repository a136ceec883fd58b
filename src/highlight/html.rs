//! Highlighted code as HTML with CSS classes instead of inline colours, so
//! one stylesheet can switch light and dark themes with
//! `prefers-color-scheme` and exported pages need no inline styles.

use super::{highlighter, Theme};
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::util::LinesWithEndings;

/// Every class syntect emits starts with this, so highlight classes cannot
/// collide with the page's own classes.
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

use crate::markup::escape;

/// The inner HTML of a `<pre><code>` for `code`: `<span class="hl-...">`
/// runs, text escaped. Unknown languages come back as escaped plain text.
pub fn to_html_classed(code: &str, lang: &str) -> String {
    let h = highlighter();
    let Some(syntax) = h.syntax_for(lang) else {
        return escape(code);
    };
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, &h.syntaxes, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        // A grammar failure must not lose code: fall back to plain text for
        // the whole block rather than emitting half-styled output.
        if gen
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return escape(code);
        }
    }
    gen.finalize()
}

/// CSS for the classes of [`to_html_classed`]: `light` for light screens and
/// print, `dark` for screens that prefer dark.
///
/// Each theme sits in its own media block because the two themes style
/// different scope selectors: a light rule the dark theme does not override
/// (InspiredGitHub's dark-grey `variable.parameter`, say) would otherwise
/// leak into dark mode and make text invisible.
pub fn css(light: Theme, dark: Theme) -> String {
    let h = highlighter();
    let one = |t: Theme| {
        h.themes
            .themes
            .get(t.syntect_name())
            .and_then(|theme| css_for_theme_with_class_style(theme, CLASS_STYLE).ok())
            .unwrap_or_default()
    };
    format!(
        "@media print, (prefers-color-scheme: light) {{\n{}\n}}\n@media screen and (prefers-color-scheme: dark) {{\n{}\n}}\n",
        one(light),
        one(dark)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_code_gets_prefixed_classes_and_escaped_text() {
        let html = to_html_classed("func main() { if a < b {} }\n", "go");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("&lt;"));
        assert!(!html.contains("a < b"));
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        assert_eq!(
            to_html_classed("<script>x</script>", "klingon"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
    }

    #[test]
    fn css_has_both_schemes() {
        let css = css(Theme::Light, Theme::Dark);
        assert!(css.contains(".hl-"));
        let (light, dark) = css
            .split_once("@media screen and (prefers-color-scheme: dark)")
            .expect("dark block");
        assert!(light.starts_with("@media print, (prefers-color-scheme: light) {"));
        assert!(light.contains(".hl-code"));
        assert!(dark.contains(".hl-code"));
        // No rule lives outside the two media blocks.
        assert!(light.trim_end().ends_with('}') && !dark.contains("@media"));
    }
}
