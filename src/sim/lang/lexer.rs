//! Go lexer with the automatic semicolon insertion rule of the spec.

use super::Pos;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident(String),
    Int(i64),
    Float(f64),
    Char(i64),
    Str(String),
    Kw(&'static str),
    Op(&'static str),
    /// `auto` is true when the semicolon was inserted at a newline.
    Semi(bool),
    Eof,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct LexError {
    pub pos: Pos,
    pub msg: String,
}

const KEYWORDS: &[&str] = &[
    "break",
    "case",
    "chan",
    "const",
    "continue",
    "default",
    "defer",
    "else",
    "fallthrough",
    "for",
    "func",
    "go",
    "goto",
    "if",
    "import",
    "interface",
    "map",
    "package",
    "range",
    "return",
    "select",
    "struct",
    "switch",
    "type",
    "var",
];

// Longest operators first so that greedy matching works.
const OPS: &[&str] = &[
    "&^=", "<<=", ">>=", "...", "&&", "||", "<-", "++", "--", "==", "!=", "<=", ">=", ":=", "+=",
    "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>", "&^", "+", "-", "*", "/", "%", "&", "|",
    "^", "<", ">", "=", "!", "(", ")", "[", "]", "{", "}", ",", ";", ".", ":", "~",
];

pub fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Ident(s) => format!("name {s}"),
        Tok::Int(i) => format!("literal {i}"),
        Tok::Float(f) => format!("literal {f}"),
        Tok::Char(_) => "literal".into(),
        Tok::Str(s) => format!("literal {s:?}"),
        Tok::Kw(k) => k.to_string(),
        Tok::Op(o) => o.to_string(),
        Tok::Semi(true) => "newline".into(),
        Tok::Semi(false) => "semicolon".into(),
        Tok::Eof => "EOF".into(),
    }
}

pub fn lex(src: &str) -> Result<Vec<Token>, LexError> {
    let b = src.as_bytes();
    let mut i = 0usize;
    let mut line = 1u32;
    let mut line_start = 0usize;
    let mut out: Vec<Token> = Vec::new();
    let needs_semi = |out: &Vec<Token>| -> bool {
        match out.last().map(|t| &t.tok) {
            Some(Tok::Ident(_) | Tok::Int(_) | Tok::Float(_) | Tok::Char(_) | Tok::Str(_)) => true,
            Some(Tok::Kw(k)) => matches!(*k, "break" | "continue" | "fallthrough" | "return"),
            Some(Tok::Op(o)) => matches!(*o, "++" | "--" | ")" | "]" | "}"),
            _ => false,
        }
    };
    while i < b.len() {
        let c = b[i];
        let pos = Pos {
            line,
            col: (i - line_start + 1) as u32,
        };
        if c == b'\n' {
            if needs_semi(&out) {
                out.push(Token {
                    tok: Tok::Semi(true),
                    pos,
                });
            }
            i += 1;
            line += 1;
            line_start = i;
            continue;
        }
        if c == b' ' || c == b'\t' || c == b'\r' {
            i += 1;
            continue;
        }
        if c == b'/' && i + 1 < b.len() && b[i + 1] == b'/' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'/' && i + 1 < b.len() && b[i + 1] == b'*' {
            let mut had_newline = false;
            i += 2;
            loop {
                if i + 1 >= b.len() {
                    return Err(LexError {
                        pos,
                        msg: "comment not terminated".into(),
                    });
                }
                if b[i] == b'*' && b[i + 1] == b'/' {
                    i += 2;
                    break;
                }
                if b[i] == b'\n' {
                    had_newline = true;
                    line += 1;
                    line_start = i + 1;
                }
                i += 1;
            }
            if had_newline && needs_semi(&out) {
                out.push(Token {
                    tok: Tok::Semi(true),
                    pos,
                });
            }
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80) {
                i += 1;
            }
            let word = &src[start..i];
            let tok = match KEYWORDS.iter().find(|k| **k == word) {
                Some(k) => Tok::Kw(k),
                None => Tok::Ident(word.to_string()),
            };
            out.push(Token { tok, pos });
            continue;
        }
        if c.is_ascii_digit() || (c == b'.' && i + 1 < b.len() && b[i + 1].is_ascii_digit()) {
            let (tok, n) = lex_number(&src[i..]).map_err(|msg| LexError { pos, msg })?;
            i += n;
            out.push(Token { tok, pos });
            continue;
        }
        if c == b'"' {
            i += 1;
            let mut s = String::new();
            loop {
                if i >= b.len() || b[i] == b'\n' {
                    return Err(LexError {
                        pos: Pos {
                            line,
                            col: (i - line_start + 1) as u32,
                        },
                        msg: if i >= b.len() {
                            "string literal not terminated".into()
                        } else {
                            "newline in string".into()
                        },
                    });
                }
                if b[i] == b'"' {
                    i += 1;
                    break;
                }
                if b[i] == b'\\' {
                    let (ch, n) = lex_escape(&src[i..], b'"').map_err(|msg| LexError {
                        pos: Pos {
                            line,
                            col: (i - line_start + 1) as u32,
                        },
                        msg,
                    })?;
                    match ch {
                        Esc::Char(c) => s.push(c),
                        Esc::Byte(bt) => {
                            // Byte escapes may form invalid UTF-8; keep them lossy.
                            s.push(char::from(bt));
                        }
                    }
                    i += n;
                    continue;
                }
                let ch = src[i..].chars().next().unwrap_or('\u{FFFD}');
                s.push(ch);
                i += ch.len_utf8();
            }
            out.push(Token {
                tok: Tok::Str(s),
                pos,
            });
            continue;
        }
        if c == b'`' {
            i += 1;
            let start = i;
            while i < b.len() && b[i] != b'`' {
                if b[i] == b'\n' {
                    line += 1;
                    line_start = i + 1;
                }
                i += 1;
            }
            if i >= b.len() {
                return Err(LexError {
                    pos,
                    msg: "raw string literal not terminated".into(),
                });
            }
            let s = src[start..i].replace('\r', "");
            i += 1;
            out.push(Token {
                tok: Tok::Str(s),
                pos,
            });
            continue;
        }
        if c == b'\'' {
            i += 1;
            let val;
            if i < b.len() && b[i] == b'\\' {
                let (ch, n) = lex_escape(&src[i..], b'\'').map_err(|msg| LexError { pos, msg })?;
                val = match ch {
                    Esc::Char(c) => c as i64,
                    Esc::Byte(b) => b as i64,
                };
                i += n;
            } else if i < b.len() && b[i] != b'\'' && b[i] != b'\n' {
                let ch = src[i..].chars().next().unwrap_or('\u{FFFD}');
                val = ch as i64;
                i += ch.len_utf8();
            } else {
                return Err(LexError {
                    pos,
                    msg: "empty rune literal or unescaped ' in rune literal".into(),
                });
            }
            if i >= b.len() || b[i] != b'\'' {
                return Err(LexError {
                    pos,
                    msg: "rune literal not terminated".into(),
                });
            }
            i += 1;
            out.push(Token {
                tok: Tok::Char(val),
                pos,
            });
            continue;
        }
        let rest = &src[i..];
        match OPS.iter().find(|o| rest.starts_with(**o)) {
            Some(o) => {
                i += o.len();
                if *o == ";" {
                    out.push(Token {
                        tok: Tok::Semi(false),
                        pos,
                    });
                } else {
                    out.push(Token {
                        tok: Tok::Op(o),
                        pos,
                    });
                }
            }
            None => {
                let ch = rest.chars().next().unwrap_or('?');
                return Err(LexError {
                    pos,
                    msg: format!("invalid character {ch:?}"),
                });
            }
        }
    }
    let pos = Pos {
        line,
        col: (i - line_start + 1) as u32,
    };
    if needs_semi(&out) {
        out.push(Token {
            tok: Tok::Semi(true),
            pos,
        });
    }
    out.push(Token { tok: Tok::Eof, pos });
    Ok(out)
}

enum Esc {
    Char(char),
    Byte(u8),
}

fn lex_escape(s: &str, quote: u8) -> Result<(Esc, usize), String> {
    let b = s.as_bytes();
    if b.len() < 2 {
        return Err("escape sequence not terminated".into());
    }
    let simple = |c: char| Ok((Esc::Char(c), 2));
    match b[1] {
        b'n' => simple('\n'),
        b't' => simple('\t'),
        b'r' => simple('\r'),
        b'a' => simple('\u{7}'),
        b'b' => simple('\u{8}'),
        b'f' => simple('\u{c}'),
        b'v' => simple('\u{b}'),
        b'\\' => simple('\\'),
        c if c == quote => simple(c as char),
        b'x' | b'u' | b'U' | b'0'..=b'7' => {
            let (n, radix, start) = match b[1] {
                b'x' => (2, 16, 2),
                b'u' => (4, 16, 2),
                b'U' => (8, 16, 2),
                _ => (3, 8, 1),
            };
            let digits = s
                .get(start..start + n)
                .ok_or("escape sequence not terminated")?;
            let v = u32::from_str_radix(digits, radix)
                .map_err(|_| "invalid character in escape sequence".to_string())?;
            if b[1] == b'x' || radix == 8 {
                if v > 255 {
                    return Err("octal escape value > 255".into());
                }
                Ok((Esc::Byte(v as u8), start + n))
            } else {
                let c = char::from_u32(v).ok_or("escape sequence is invalid Unicode code point")?;
                Ok((Esc::Char(c), start + n))
            }
        }
        _ => Err("unknown escape sequence".into()),
    }
}

fn lex_number(s: &str) -> Result<(Tok, usize), String> {
    let b = s.as_bytes();
    let mut i = 0;
    if b.len() > 1 && b[0] == b'0' && matches!(b[1], b'x' | b'X' | b'b' | b'B' | b'o' | b'O') {
        let radix = match b[1] {
            b'x' | b'X' => 16,
            b'b' | b'B' => 2,
            _ => 8,
        };
        i = 2;
        while i < b.len() && (b[i].is_ascii_hexdigit() || b[i] == b'_') {
            i += 1;
        }
        let digits: String = s[2..i].chars().filter(|c| *c != '_').collect();
        let v = u64::from_str_radix(&digits, radix).map_err(|_| "invalid integer literal")?;
        return Ok((Tok::Int(v as i64), i));
    }
    let mut is_float = false;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        is_float = true;
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        is_float = true;
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i < b.len() && b[i] == b'i' {
        return Err("unsupported: complex numbers".into());
    }
    let text: String = s[..i].chars().filter(|c| *c != '_').collect();
    if is_float {
        let v: f64 = text.parse().map_err(|_| "invalid floating-point literal")?;
        Ok((Tok::Float(v), i))
    } else if text.len() > 1 && text.starts_with('0') {
        let v = u64::from_str_radix(&text[1..], 8).map_err(|_| "invalid digit in octal literal")?;
        Ok((Tok::Int(v as i64), i))
    } else {
        match text.parse::<u64>() {
            Ok(v) => Ok((Tok::Int(v as i64), i)),
            Err(_) => Err(format!("integer constant {text} overflows")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_inserted_at_line_end() {
        let toks = lex("x := 1\nreturn\n}").unwrap();
        let kinds: Vec<_> = toks.iter().map(|t| t.tok.clone()).collect();
        assert_eq!(kinds[3], Tok::Semi(true));
        assert_eq!(kinds[5], Tok::Semi(true));
    }

    #[test]
    fn literals() {
        let toks = lex(r#"0x1F 1.5 'a' "a\tb" `raw`"#).unwrap();
        assert_eq!(toks[0].tok, Tok::Int(31));
        assert_eq!(toks[1].tok, Tok::Float(1.5));
        assert_eq!(toks[2].tok, Tok::Char(97));
        assert_eq!(toks[3].tok, Tok::Str("a\tb".into()));
        assert_eq!(toks[4].tok, Tok::Str("raw".into()));
    }

    #[test]
    fn unterminated_string_is_error() {
        let e = lex("x := \"abc\n").unwrap_err();
        assert_eq!((e.pos.line, e.pos.col), (1, 10));
        assert_eq!(e.msg, "newline in string");
    }
}
