//! Configuration that sits outside the flowchart grammar: YAML front matter
//! (`---\nconfig: ...\n---`) and `%%{init: {...}}%%` directives.
//!
//! Both are blanked out of the text handed to the grammar (newlines kept, so
//! positions stay right) and turned into a [`Config`].

use super::{ParseError, Warning};
use crate::diagram::model::{Config, Curve, Direction};
use serde_json::Value;

pub struct Preprocessed {
    pub text: String,
    pub config: Config,
    pub direction: Option<Direction>,
    pub warnings: Vec<Warning>,
}

pub fn preprocess(src: &str) -> Result<Preprocessed, ParseError> {
    let mut out = Preprocessed {
        text: String::with_capacity(src.len()),
        config: Config::default(),
        direction: None,
        warnings: Vec::new(),
    };
    // Windows editors often start files with a byte-order mark. It is not
    // text: it must not hide the header, and editors do not count it as a
    // column, so it is dropped before positions are computed.
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let lines: Vec<&str> = src.split('\n').collect();
    let mut body_start = 0;
    let first = lines.iter().position(|l| !l.trim().is_empty());
    if let Some(first) = first {
        if lines[first].trim_end() == "---" {
            let close = lines[first + 1..]
                .iter()
                .position(|l| l.trim_end() == "---")
                .map(|p| p + first + 1);
            let Some(close) = close else {
                return Err(ParseError {
                    line: first + 1,
                    col: 1,
                    message: "front matter opened with `---` is never closed".into(),
                });
            };
            apply_front_matter(&lines[first + 1..close], first + 2, &mut out);
            body_start = close + 1;
        }
    }
    let mut text = String::with_capacity(src.len());
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        if i >= body_start {
            text.push_str(l);
        }
    }
    out.text = strip_directives(&text, &mut out);
    Ok(out)
}

/// Flattens a small YAML mapping into `(dotted.path, value, line)` triples.
/// Only block mappings of scalars are understood; that is all Mermaid's
/// front matter uses in practice.
fn flatten_yaml(lines: &[&str], first_line: usize) -> Vec<(String, String, usize)> {
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut out = Vec::new();
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim_end_matches('\r');
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') || content.starts_with('-') {
            continue;
        }
        let indent = line.len() - content.len();
        let Some(colon) = content.find(':') else {
            continue;
        };
        let key = unquote(content[..colon].trim());
        let value = content[colon + 1..].trim();
        while stack.last().is_some_and(|(ind, _)| *ind >= indent) {
            stack.pop();
        }
        let mut path: Vec<&str> = stack.iter().map(|(_, k)| k.as_str()).collect();
        path.push(&key);
        let full = path.join(".");
        if value.is_empty() {
            stack.push((indent, key.clone()));
        } else {
            out.push((full, unquote(value), first_line + i));
        }
    }
    out
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    let s = match s.find(" #") {
        Some(p) if !s.starts_with('"') && !s.starts_with('\'') => s[..p].trim_end(),
        _ => s,
    };
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return s[1..s.len() - 1].to_string();
        }
    }
    s.to_string()
}

fn apply_front_matter(lines: &[&str], first_line: usize, out: &mut Preprocessed) {
    for (key, value, line) in flatten_yaml(lines, first_line) {
        let setting = key.strip_prefix("config.").unwrap_or(&key).to_string();
        if key == "title" {
            out.config.title = Some(value);
            continue;
        }
        let v = if value == "true" || value == "false" {
            Value::Bool(value == "true")
        } else if let Ok(n) = value.parse::<f64>() {
            serde_json::Number::from_f64(n)
                .map(Value::Number)
                .unwrap_or(Value::String(value.clone()))
        } else {
            Value::String(value.clone())
        };
        apply_setting(&setting, &v, line, out);
    }
}

/// Applies one dotted setting (`flowchart.curve`, `theme`, ...).
fn apply_setting(key: &str, value: &Value, line: usize, out: &mut Preprocessed) {
    let num = || value.as_f64().map(|f| f as f32);
    match key {
        "flowchart.curve" | "curve" => match value.as_str().and_then(Curve::from_name) {
            Some(c) => out.config.curve = Some(c),
            None => warn(
                out,
                line,
                format!("unknown curve {value}; using the default"),
            ),
        },
        "flowchart.nodeSpacing" | "nodeSpacing" => match num() {
            Some(n) if n.is_finite() && n >= 0.0 => out.config.node_spacing = Some(n),
            _ => warn(
                out,
                line,
                format!("nodeSpacing must be a number, got {value}"),
            ),
        },
        "flowchart.rankSpacing" | "rankSpacing" => match num() {
            Some(n) if n.is_finite() && n >= 0.0 => out.config.rank_spacing = Some(n),
            _ => warn(
                out,
                line,
                format!("rankSpacing must be a number, got {value}"),
            ),
        },
        "direction" | "flowchart.direction" => {
            match value.as_str().and_then(Direction::from_keyword) {
                Some(d) => out.direction = Some(d),
                None => warn(out, line, format!("unknown direction {value}")),
            }
        }
        "theme" => out.config.theme = value.as_str().map(str::to_string),
        _ => warn(
            out,
            line,
            format!("setting `{key}` is not supported by Strata and is ignored"),
        ),
    }
}

fn warn(out: &mut Preprocessed, line: usize, message: String) {
    out.warnings.push(Warning {
        line,
        col: 1,
        message,
    });
}

/// Removes every `%%{ ... }%%` block (applying `init` ones), keeping newlines.
fn strip_directives(text: &str, out: &mut Preprocessed) -> String {
    let mut result = String::with_capacity(text.len());
    let mut rest = text;
    let mut line = 1;
    while let Some(start) = rest.find("%%{") {
        let before = &rest[..start];
        result.push_str(before);
        line += before.matches('\n').count();
        let after = &rest[start + 3..];
        let Some(end) = after.find("}%%") else {
            // An unterminated directive is left for the grammar, which
            // treats `%%` as a comment to the end of the line.
            result.push_str(&rest[start..]);
            return result;
        };
        let body = &after[..end];
        apply_directive(body, line, out);
        for c in body.chars().filter(|&c| c == '\n') {
            result.push(c);
        }
        line += body.matches('\n').count();
        rest = &after[end + 3..];
    }
    result.push_str(rest);
    result
}

fn apply_directive(body: &str, line: usize, out: &mut Preprocessed) {
    let body = body.trim();
    let name_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    let name = &body[..name_len];
    let rest = body[name_len..].trim_start();
    let rest = rest.strip_prefix(':').unwrap_or(rest).trim();
    match name {
        "init" | "initialize" => {
            let mut p = Json5 {
                s: rest.chars().collect(),
                i: 0,
            };
            match p.value() {
                Some(v) => {
                    let mut flat = Vec::new();
                    flatten_json("", &v, &mut flat);
                    for (k, v) in flat {
                        apply_setting(&k, &v, line, out);
                    }
                }
                None => warn(
                    out,
                    line,
                    "could not read the `init` directive; it is ignored".into(),
                ),
            }
        }
        _ => warn(
            out,
            line,
            format!("directive `{name}` is not supported by Strata and is ignored"),
        ),
    }
}

fn flatten_json(prefix: &str, v: &Value, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                // Theme variables are one opaque setting, not dozens.
                if key == "themeVariables" || key == "themeCSS" {
                    out.push((key, Value::Null));
                } else {
                    flatten_json(&key, v, out);
                }
            }
        }
        _ => out.push((prefix.to_string(), v.clone())),
    }
}

/// A lenient JSON5-ish reader: Mermaid directives allow single quotes,
/// unquoted keys and trailing commas.
struct Json5 {
    s: Vec<char>,
    i: usize,
}

impl Json5 {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_whitespace() {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn value(&mut self) -> Option<Value> {
        self.value_at(0)
    }

    fn value_at(&mut self, depth: usize) -> Option<Value> {
        if depth > 64 {
            return None;
        }
        self.ws();
        match self.peek()? {
            '{' => {
                self.i += 1;
                let mut map = serde_json::Map::new();
                loop {
                    self.ws();
                    match self.peek()? {
                        '}' => {
                            self.i += 1;
                            return Some(Value::Object(map));
                        }
                        ',' => {
                            self.i += 1;
                            continue;
                        }
                        _ => {}
                    }
                    let key = match self.peek()? {
                        q @ ('"' | '\'') => self.string(q)?,
                        _ => self.bare(),
                    };
                    if key.is_empty() {
                        return None;
                    }
                    self.ws();
                    if self.peek()? != ':' {
                        return None;
                    }
                    self.i += 1;
                    let v = self.value_at(depth + 1)?;
                    map.insert(key, v);
                }
            }
            '[' => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.ws();
                    match self.peek()? {
                        ']' => {
                            self.i += 1;
                            return Some(Value::Array(items));
                        }
                        ',' => {
                            self.i += 1;
                            continue;
                        }
                        _ => items.push(self.value_at(depth + 1)?),
                    }
                }
            }
            q @ ('"' | '\'') => self.string(q).map(Value::String),
            _ => {
                let word = self.bare();
                if word.is_empty() {
                    return None;
                }
                Some(match word.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" => Value::Null,
                    _ => match word.parse::<f64>() {
                        Ok(n) => serde_json::Number::from_f64(n)
                            .map(Value::Number)
                            .unwrap_or(Value::String(word)),
                        Err(_) => Value::String(word),
                    },
                })
            }
        }
    }

    fn bare(&mut self) -> String {
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_alphanumeric() || "_-.+$#".contains(self.s[self.i]))
        {
            self.i += 1;
        }
        self.s[start..self.i].iter().collect()
    }

    fn string(&mut self, q: char) -> Option<String> {
        self.i += 1;
        let mut out = String::new();
        while let Some(c) = self.peek() {
            self.i += 1;
            if c == q {
                return Some(out);
            }
            if c == '\\' {
                let e = self.peek()?;
                self.i += 1;
                out.push(match e {
                    'n' => '\n',
                    't' => '\t',
                    other => other,
                });
            } else {
                out.push(c);
            }
        }
        None
    }
}
