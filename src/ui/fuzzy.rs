//! Fuzzy ranking for the quick switcher and `[[` completion (nucleo-matcher).

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// Indices of `items` matching `query`, best first; ties keep input order.
/// An empty query keeps every item in input order.
pub fn rank<S: AsRef<str>>(query: &str, items: &[S], limit: usize) -> Vec<usize> {
    if query.trim().is_empty() {
        return (0..items.len().min(limit)).collect();
    }
    let mut matcher = Matcher::new(Config::DEFAULT.match_paths());
    let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
    let mut buf = Vec::new();
    let mut scored: Vec<(u32, usize)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            pattern
                .score(Utf32Str::new(s.as_ref(), &mut buf), &mut matcher)
                .map(|score| (score, i))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(limit).map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_closer_matches_first() {
        let items = [
            "goroutine-leak.md",
            "channels/unbuffered.md",
            "waitgroup.md",
            "Goroutines",
        ];
        let r = rank("gorleak", &items, 10);
        assert_eq!(r.first(), Some(&0));
        assert!(!r.contains(&2));
        assert_eq!(rank("", &items, 2), vec![0, 1]);
        assert!(rank("zzzz", &items, 10).is_empty());
    }

    #[test]
    fn matches_chinese_names() {
        let items = ["通道关闭", "互斥锁"];
        assert_eq!(rank("通道", &items, 10), vec![0]);
    }
}
