//! UI translations: every user-visible string of the desktop app is looked
//! up here by key, in English or Simplified Chinese.
//!
//! The tables are plain text files, one pair per UI area
//! (`en/<area>.txt`, `zh-CN/<area>.txt`), embedded in the binary and parsed
//! once. Format, one entry per line:
//!
//! ```text
//! # a comment
//! app.menu.file = File
//! app.status.words = {n} words
//! ```
//!
//! Keys start with the area (the file name) and a dot; `\n` is a line
//! break and `\\` a backslash in a value; `{name}` is a placeholder filled by
//! [`trf`] or the [`tr!`](crate::tr) macro. A table that does not parse is a
//! test failure, never a runtime one: a bad line is skipped and the lookup
//! falls back to English, then to the key itself.
//!
//! The current language is per thread, not per process: the UI runs on one
//! thread, and `cargo test` runs UI tests on parallel threads of one process,
//! where a global switch in one test would leak into the others.
//!
//! No egui here: messages of the core modules (parser errors, simulator
//! reports) stay English like compiler output; only the UI chrome around them
//! is translated.

use std::cell::Cell;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::fmt::{self, Display};
use std::sync::OnceLock;

/// A language the UI ships complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// BCP 47 tag, also the table folder name.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language's name in its own script, so a user who cannot read the
    /// current UI language still finds their own in a menu.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }

    /// The language of a locale tag such as `zh_CN.UTF-8`, `zh-Hans-CN`,
    /// `zh_TW` or `en-US`: any Chinese locale gives Simplified Chinese (the
    /// only Chinese table), everything else English.
    pub fn from_locale(tag: &str) -> Lang {
        let primary = tag
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or_default()
            .trim();
        if primary.eq_ignore_ascii_case("zh") {
            Lang::ZhCn
        } else {
            Lang::En
        }
    }
}

impl Lang {
    /// The first language of `tags` (most preferred first) that has a
    /// table: `fr, zh-CN` gives Chinese, `fr, de` English.
    pub fn from_preferences<S: AsRef<str>>(tags: impl IntoIterator<Item = S>) -> Lang {
        tags.into_iter()
            .find_map(|t| {
                let t = t.as_ref();
                let lang = Lang::from_locale(t);
                let english = t.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("en"))
                    && !t[2..].starts_with(|c: char| c.is_ascii_alphabetic());
                (lang == Lang::ZhCn || english).then_some(lang)
            })
            .unwrap_or(Lang::En)
    }
}

impl Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// Makes `lang` the language of this thread's lookups.
pub fn set_lang(lang: Lang) {
    CURRENT.with(|c| c.set(lang));
}

/// This thread's UI language (English until [`set_lang`] is called).
pub fn lang() -> Lang {
    CURRENT.with(Cell::get)
}

/// The system UI language: the user's preferred languages (Windows and
/// macOS settings; `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG` on Linux),
/// the first one Strata ships; English when none is.
pub fn detect_system_lang() -> Lang {
    Lang::from_preferences(sys_locale::get_locales())
}

/// `key` in the current language, else in English, else the key itself
/// (so a missing entry is visible but never a crash).
pub fn tr(key: &str) -> &'static str {
    tr_in(lang(), key).unwrap_or_else(|| leak_key(key))
}

/// `key` in `lang`, falling back to English; `None` when no table has it.
pub fn tr_in(lang: Lang, key: &str) -> Option<&'static str> {
    let found = table(lang).entries.get(key);
    let found = found.or_else(|| table(Lang::En).entries.get(key));
    found.map(String::as_str)
}

/// Every (key, value) of `lang`'s own table, sorted by key (for checks such
/// as "the bundled font covers every Chinese string").
pub fn entries(lang: Lang) -> Vec<(&'static str, &'static str)> {
    let mut all: Vec<_> = table(lang)
        .entries
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    all.sort_unstable();
    all
}

/// [`tr`] with `{name}` placeholders replaced by `args`; a placeholder
/// without an argument is left as written.
pub fn trf(key: &str, args: &[(&str, &dyn Display)]) -> String {
    fill(tr(key), args)
}

/// `tr!("key")` is [`tr`]; `tr!("key", n = count, path = p)` is [`trf`].
#[macro_export]
macro_rules! tr {
    ($key:literal) => {
        $crate::i18n::tr($key)
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::trf(
            $key,
            &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),+],
        )
    };
}
pub use crate::tr;

/// Unknown keys are rare (a table gap); leaking one copy of each keeps
/// `tr` returning `&'static str` without growing on every frame.
fn leak_key(key: &str) -> &'static str {
    static UNKNOWN: OnceLock<std::sync::Mutex<HashMap<String, &'static str>>> = OnceLock::new();
    let map = UNKNOWN.get_or_init(Default::default);
    let mut map = match map.lock() {
        Ok(m) => m,
        Err(poisoned) => poisoned.into_inner(),
    };
    if let Some(s) = map.get(key) {
        return s;
    }
    let leaked: &'static str = Box::leak(key.to_owned().into_boxed_str());
    map.insert(key.to_owned(), leaked);
    leaked
}

fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let arg = after.find('}').and_then(|close| {
            let name = &after[..close];
            let (_, value) = args.iter().find(|(n, _)| *n == name)?;
            Some((close, value))
        });
        match arg {
            Some((close, value)) => {
                use fmt::Write;
                let _ = write!(out, "{value}");
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The tables: (file name inside the language folder, text).
macro_rules! tables {
    ($dir:literal: $($area:literal),+ $(,)?) => {
        &[$(($area, include_str!(concat!($dir, "/", $area, ".txt")))),+]
    };
}

const EN: &[(&str, &str)] = tables!(
    "en": "common", "app", "editor", "preview", "startup", "sim", "graph", "diagram", "review", "present"
);
const ZH_CN: &[(&str, &str)] = tables!(
    "zh-CN": "common", "app", "editor", "preview", "startup", "sim", "graph", "diagram", "review", "present"
);

fn sources(lang: Lang) -> &'static [(&'static str, &'static str)] {
    match lang {
        Lang::En => EN,
        Lang::ZhCn => ZH_CN,
    }
}

/// A parsed language: its entries and the problems found on the way.
struct Table {
    entries: HashMap<String, String>,
    errors: Vec<ParseError>,
}

/// A problem in a table file, reported as `file:line: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

fn table(lang: Lang) -> &'static Table {
    static EN_TABLE: OnceLock<Table> = OnceLock::new();
    static ZH_TABLE: OnceLock<Table> = OnceLock::new();
    let cell = match lang {
        Lang::En => &EN_TABLE,
        Lang::ZhCn => &ZH_TABLE,
    };
    cell.get_or_init(|| parse_tables(lang.code(), sources(lang)))
}

fn parse_tables(dir: &str, files: &[(&str, &str)]) -> Table {
    let mut table = Table {
        entries: HashMap::new(),
        errors: Vec::new(),
    };
    for (area, text) in files {
        let file = format!("src/i18n/{dir}/{area}.txt");
        for (key, value, line) in parse_file(&file, area, text, &mut table.errors) {
            match table.entries.entry(key) {
                Entry::Occupied(e) => table.errors.push(ParseError {
                    file: file.clone(),
                    line,
                    message: format!("duplicate key `{}`", e.key()),
                }),
                Entry::Vacant(e) => {
                    e.insert(value);
                }
            }
        }
    }
    table
}

/// The entries of one table file as (key, value, line), with problems added
/// to `errors`; a bad line is skipped, the rest still counts.
fn parse_file(
    file: &str,
    area: &str,
    text: &str,
    errors: &mut Vec<ParseError>,
) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut err = |message: String| {
            errors.push(ParseError {
                file: file.to_owned(),
                line,
                message,
            })
        };
        let Some((key, value)) = trimmed.split_once('=') else {
            err("expected `key = value`".into());
            continue;
        };
        let key = key.trim();
        let valid_key = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !valid_key {
            err(format!(
                "bad key `{key}`: use ASCII letters, digits, `.`, `_`, `-`"
            ));
            continue;
        }
        if key
            .strip_prefix(area)
            .and_then(|r| r.strip_prefix('.'))
            .is_none()
        {
            err(format!(
                "key `{key}` must start with `{area}.` in this file"
            ));
            continue;
        }
        match unescape(value.trim()) {
            Ok(value) if value.is_empty() => err(format!("empty value for `{key}`")),
            Ok(value) => match placeholders(&value) {
                Ok(_) => out.push((key.to_owned(), value, line)),
                Err(message) => err(message),
            },
            Err(message) => err(message),
        }
    }
    out
}

fn unescape(value: &str) -> Result<String, String> {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('\\') => out.push('\\'),
            Some(other) => return Err(format!("unknown escape `\\{other}` (use \\n or \\\\)")),
            None => return Err("a value cannot end with a lone `\\`".into()),
        }
    }
    Ok(out)
}

/// The `{name}` placeholders of a value, sorted; a stray brace is an error
/// because it would print as-is in one language and not the other.
fn placeholders(value: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut rest = value;
    while let Some(i) = rest.find(['{', '}']) {
        if rest[i..].starts_with('}') {
            return Err(format!("unmatched `}}` in `{value}`"));
        }
        let after = &rest[i + 1..];
        let Some(close) = after.find('}') else {
            return Err(format!("unclosed `{{` in `{value}`"));
        };
        let name = &after[..close];
        let ident = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ident {
            return Err(format!("bad placeholder `{{{name}}}` in `{value}`"));
        }
        names.push(name.to_owned());
        rest = &after[close + 1..];
    }
    names.sort();
    names.dedup();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    fn all_errors() -> Vec<String> {
        Lang::ALL
            .iter()
            .flat_map(|&l| table(l).errors.iter().map(ToString::to_string))
            .collect()
    }

    #[test]
    fn every_table_parses() {
        let errors = all_errors();
        assert!(errors.is_empty(), "table errors:\n{}", errors.join("\n"));
        for lang in Lang::ALL {
            assert!(table(lang).entries.len() > 50, "{lang} table is short");
        }
    }

    #[test]
    fn every_area_has_a_file_in_every_language() {
        let areas = |l: Lang| sources(l).iter().map(|(a, _)| *a).collect::<Vec<_>>();
        assert_eq!(areas(Lang::En), areas(Lang::ZhCn));
    }

    #[test]
    fn languages_have_the_same_keys_and_placeholders() {
        let en = &table(Lang::En).entries;
        let zh = &table(Lang::ZhCn).entries;
        let en_keys: BTreeSet<&String> = en.keys().collect();
        let zh_keys: BTreeSet<&String> = zh.keys().collect();
        let only_en: Vec<_> = en_keys.difference(&zh_keys).collect();
        let only_zh: Vec<_> = zh_keys.difference(&en_keys).collect();
        assert!(only_en.is_empty(), "untranslated in zh-CN: {only_en:?}");
        assert!(only_zh.is_empty(), "missing in en: {only_zh:?}");
        let mut mismatched = Vec::new();
        for (key, en_value) in en {
            let zh_value = &zh[key];
            assert!(!zh_value.trim().is_empty(), "{key}: empty zh-CN value");
            assert!(!en_value.trim().is_empty(), "{key}: empty en value");
            if placeholders(en_value) != placeholders(zh_value) {
                mismatched.push(format!("{key}: `{en_value}` vs `{zh_value}`"));
            }
        }
        assert!(
            mismatched.is_empty(),
            "placeholders differ:\n{}",
            mismatched.join("\n")
        );
    }

    #[test]
    fn parse_errors_name_file_and_line() {
        let mut errors = Vec::new();
        let text = "# ok\napp.a = A\n\nno equals sign\napp.b =   \nx.c = wrong area\napp.d = {open\napp.e = bad \\t escape\napp.f = {n} fine\n";
        let got = parse_file("en/app.txt", "app", text, &mut errors);
        let keys: Vec<_> = got.iter().map(|(k, _, l)| (k.as_str(), *l)).collect();
        assert_eq!(keys, vec![("app.a", 2), ("app.f", 9)]);
        let lines: Vec<_> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(lines.len(), 5, "{lines:#?}");
        assert!(lines[0].starts_with("en/app.txt:4: expected"), "{lines:#?}");
        assert!(
            lines[1].starts_with("en/app.txt:5: empty value"),
            "{lines:#?}"
        );
        assert!(lines[2].contains(":6: key `x.c` must start with `app.`"));
        assert!(lines[3].contains(":7: unclosed"));
        assert!(lines[4].contains(":8: unknown escape"));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let t = parse_tables("en", &[("app", "app.a = 1\napp.a = 2\n")]);
        assert_eq!(t.entries["app.a"], "1");
        assert_eq!(t.errors.len(), 1);
        assert!(t.errors[0]
            .to_string()
            .contains("app.txt:2: duplicate key `app.a`"));
    }

    #[test]
    fn escapes_and_placeholders() {
        assert_eq!(unescape(r"a\nb \\ c").unwrap(), "a\nb \\ c");
        assert_eq!(placeholders("{b} and {a} and {b}").unwrap(), vec!["a", "b"]);
        assert!(placeholders("a } b").is_err());
        assert!(placeholders("{not ok}").is_err());
    }

    #[test]
    fn fill_replaces_named_placeholders_only() {
        let n = 3;
        assert_eq!(
            fill("{n} of {total}", &[("n", &n), ("total", &"7")]),
            "3 of 7"
        );
        assert_eq!(fill("{missing} {n}", &[("n", &n)]), "{missing} 3");
        assert_eq!(fill("{ unclosed", &[]), "{ unclosed");
        assert_eq!(fill("通道 {n} 个", &[("n", &n)]), "通道 3 个");
    }

    #[test]
    fn lookup_follows_the_thread_language_and_falls_back() {
        // Each test thread starts in English whatever another thread chose.
        assert_eq!(lang(), Lang::En);
        let handle = std::thread::spawn(|| {
            set_lang(Lang::ZhCn);
            tr("app.menu.file")
        });
        assert_eq!(handle.join().unwrap(), "文件");
        assert_eq!(lang(), Lang::En);
        assert_eq!(tr("app.menu.file"), "File");
        set_lang(Lang::ZhCn);
        assert_eq!(tr!("app.menu.file"), "文件");
        assert_eq!(tr("no.such.key"), "no.such.key");
        assert_eq!(tr_in(Lang::ZhCn, "no.such.key"), None);
        assert_eq!(tr!("app.status.words", n = 12), "12 字");
        set_lang(Lang::En);
        assert_eq!(tr!("app.status.words", n = 12), "12 words");
    }

    #[test]
    fn locale_tags_map_to_languages() {
        for zh in ["zh_CN.UTF-8", "zh-Hans", "zh-Hans-CN", "zh_TW", "ZH", "zh"] {
            assert_eq!(Lang::from_locale(zh), Lang::ZhCn, "{zh}");
        }
        for en in ["en_US.UTF-8", "en-GB", "C", "POSIX", "", "de_DE", "zhx"] {
            assert_eq!(Lang::from_locale(en), Lang::En, "{en}");
        }
    }

    #[test]
    fn the_first_supported_preference_wins() {
        assert_eq!(Lang::from_preferences(["fr-FR", "zh-CN", "en"]), Lang::ZhCn);
        assert_eq!(Lang::from_preferences(["en-GB", "zh-CN"]), Lang::En);
        assert_eq!(Lang::from_preferences(["fr", "de"]), Lang::En);
        assert_eq!(Lang::from_preferences(["eng-x", "zh"]), Lang::ZhCn);
        assert_eq!(Lang::from_preferences(Vec::<String>::new()), Lang::En);
    }

    /// The folder of the UI sources, found from this file so the test also
    /// works from a scratch crate that includes the module by path.
    fn src_dir() -> PathBuf {
        // `file!()` is relative to the crate in the main crate and absolute
        // when a scratch crate includes this module by path.
        let file = Path::new(file!());
        let here = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        here.parent()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                rust_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    /// Literal keys of `tr("…")` / `tr!("…"` / `tr_in(…, "…")` calls.
    fn keys_in(source: &str) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for (i, line) in source.lines().enumerate() {
            for pat in ["tr(\"", "tr!(\""] {
                let mut from = 0;
                while let Some(at) = line[from..].find(pat) {
                    let start = from + at;
                    from = start + pat.len();
                    let before = line[..start].chars().next_back();
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    if let Some(end) = line[from..].find('"') {
                        out.push((i + 1, line[from..from + end].to_owned()));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn every_key_used_in_the_ui_exists_in_english() {
        let ui = src_dir().join("ui");
        let mut files = Vec::new();
        rust_files(&ui, &mut files);
        assert!(
            files.len() > 10,
            "UI sources not found under {}",
            ui.display()
        );
        let en = &table(Lang::En).entries;
        let mut missing = Vec::new();
        let mut used = 0;
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            for (line, key) in keys_in(&text) {
                used += 1;
                if !en.contains_key(&key) {
                    missing.push(format!("{}:{line}: unknown key `{key}`", f.display()));
                }
            }
        }
        assert!(missing.is_empty(), "{}", missing.join("\n"));
        assert!(used > 100, "only {used} translated strings found");
    }

    #[test]
    fn every_english_key_is_used_somewhere() {
        // A key no source names is left over from removed UI.
        let src = src_dir();
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let text: String = files
            .iter()
            .filter(|f| !f.starts_with(src.join("i18n")))
            .map(|f| std::fs::read_to_string(f).unwrap_or_default())
            .collect();
        let mut unused: Vec<&String> = table(Lang::En)
            .entries
            .keys()
            .filter(|k| !text.contains(&format!("\"{k}\"")))
            .collect();
        unused.sort();
        assert!(unused.is_empty(), "keys no source uses: {unused:?}");
    }

    #[test]
    fn key_scanner_needs_a_word_boundary() {
        let keys = keys_in(r#"x.attr("no") tr("a.b") + tr!("c.d", n = 1) str("e")"#);
        let keys: Vec<_> = keys.into_iter().map(|(_, k)| k).collect();
        assert_eq!(keys, vec!["a.b", "c.d"]);
    }
}
