//! Which nodes the graph view shows: folder, tag and search filters, the
//! local graph around one note, and whether orphans stay.

use std::collections::VecDeque;

use super::{Graph, NodeKind};

/// Filters as the user set them; empty strings mean "no filter".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// Case-insensitive substring of a note's title, name, path or aliases
    /// (or its text, through the `content` hook of [`subgraph`]).
    pub search: String,
    /// Folder, with its subfolders (`a` also shows `a/b/x.md`).
    pub folder: String,
    /// Tag without `#`, case-insensitive.
    pub tag: String,
    /// Keep nodes without any visible edge.
    pub orphans: bool,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            search: String::new(),
            folder: String::new(),
            tag: String::new(),
            orphans: true,
        }
    }
}

/// The visible part of a graph: node indices into the full graph (sorted)
/// and edges between them as indices into `nodes`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subgraph {
    pub nodes: Vec<u32>,
    pub edges: Vec<(u32, u32)>,
    /// Position of the local graph's centre in `nodes`.
    pub center: Option<u32>,
}

/// Applies `filter` and, with `local = Some((note, depth))`, keeps only
/// what lies within `depth` note-to-note links of that note. Tags and
/// unresolved targets are shown when a shown note links to them; they
/// never bridge two notes in the local graph (a common tag would pull in
/// the whole vault). `content` answers whether a note's text matches the
/// search when its names do not (`None`: names only).
pub fn subgraph(
    g: &Graph,
    filter: &Filter,
    local: Option<(u32, u8)>,
    content: Option<&dyn Fn(&str) -> bool>,
) -> Subgraph {
    let n = g.len();
    let query = filter.search.trim().to_lowercase();
    let folder = filter.folder.trim().trim_matches('/');
    let tag = filter.tag.trim().trim_start_matches('#').to_lowercase();
    let mut keep = vec![false; n];
    for (i, node) in g.nodes.iter().enumerate() {
        if node.kind != NodeKind::Note {
            continue;
        }
        let in_folder = folder.is_empty()
            || node.folder == folder
            || node
                .folder
                .strip_prefix(folder)
                .is_some_and(|rest| rest.starts_with('/'));
        let tagged = tag.is_empty() || node.tags.contains(&tag);
        let found = query.is_empty()
            || node.search.contains(&query)
            || content.is_some_and(|f| f(&node.key));
        keep[i] = in_folder && tagged && found;
    }
    let mut center = None;
    // Whether a kept note may show its tags and unresolved targets: in a
    // local graph only notes closer than the depth may.
    let mut near = vec![true; n];
    if let Some((c, depth)) = local.filter(|(c, _)| (*c as usize) < n) {
        let mut dist = vec![u8::MAX; n];
        dist[c as usize] = 0;
        let mut queue = VecDeque::from([c]);
        while let Some(u) = queue.pop_front() {
            let du = dist[u as usize];
            if du >= depth {
                continue;
            }
            for &v in g.neighbours(u) {
                let vi = v as usize;
                if dist[vi] == u8::MAX && keep[vi] && g.nodes[vi].kind == NodeKind::Note {
                    dist[vi] = du + 1;
                    queue.push_back(v);
                }
            }
        }
        for i in 0..n {
            keep[i] = dist[i] != u8::MAX;
            // A tag or unresolved target hangs one link further out than
            // the note that links it, so it must be within depth too.
            near[i] = dist[i] < depth;
        }
        // The centre stays even when the filters would hide it: the local
        // graph is about that note.
        keep[c as usize] = true;
        center = Some(c);
    }
    for i in 0..n {
        if g.nodes[i].kind != NodeKind::Note {
            keep[i] = g.neighbours(i as u32).iter().any(|&j| {
                let j = j as usize;
                keep[j] && near[j] && g.nodes[j].kind == NodeKind::Note
            });
        }
    }
    if !filter.orphans {
        let has_edge: Vec<bool> = (0..n)
            .map(|i| keep[i] && g.neighbours(i as u32).iter().any(|&j| keep[j as usize]))
            .collect();
        for i in 0..n {
            keep[i] = has_edge[i] || center == Some(i as u32);
        }
    }
    let mut local_index = vec![u32::MAX; n];
    let mut nodes = Vec::new();
    for (i, &k) in keep.iter().enumerate() {
        if k {
            local_index[i] = nodes.len() as u32;
            nodes.push(i as u32);
        }
    }
    let edges = g
        .edges
        .iter()
        .filter(|&&(a, b)| keep[a as usize] && keep[b as usize])
        .map(|&(a, b)| (local_index[a as usize], local_index[b as usize]))
        .collect();
    Subgraph {
        center: center.map(|c| local_index[c as usize]),
        nodes,
        edges,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Node, NodeKind};
    use proptest::prelude::*;

    fn note(key: &str, folder: &str, tags: &[&str]) -> Node {
        Node {
            key: key.into(),
            label: key.into(),
            kind: NodeKind::Note,
            folder: folder.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            search: key.to_lowercase(),
        }
    }

    fn tag(t: &str) -> Node {
        Node {
            key: format!("#{t}"),
            label: format!("#{t}"),
            kind: NodeKind::Tag,
            folder: String::new(),
            tags: vec![t.into()],
            search: format!("#{t}"),
        }
    }

    /// chain a - b - c - d, e alone in `x/y`, tag #t on a and e.
    fn chain() -> Graph {
        Graph::new(
            vec![
                note("a", "", &["t"]),
                note("b", "x", &[]),
                note("c", "x/y", &[]),
                note("d", "xy", &[]),
                note("e", "x/y", &["t"]),
                tag("t"),
            ],
            [(0, 1), (1, 2), (2, 3), (0, 5), (4, 5)],
        )
    }

    fn keys(g: &Graph, s: &Subgraph) -> Vec<String> {
        s.nodes
            .iter()
            .map(|&i| g.nodes[i as usize].key.clone())
            .collect()
    }

    #[test]
    fn no_filter_shows_everything() {
        let g = chain();
        let s = subgraph(&g, &Filter::default(), None, None);
        assert_eq!(s.nodes.len(), 6);
        assert_eq!(s.edges.len(), 5);
        assert_eq!(s.center, None);
    }

    #[test]
    fn folder_includes_subfolders_but_not_prefix_names() {
        let g = chain();
        let f = Filter {
            folder: "x".into(),
            ..Filter::default()
        };
        let s = subgraph(&g, &f, None, None);
        assert_eq!(keys(&g, &s), ["b", "c", "e", "#t"]);
        // b - c survives; edges to hidden notes are gone.
        assert_eq!(s.edges, vec![(0, 1), (2, 3)]);
    }

    #[test]
    fn tag_and_search_filters() {
        let g = chain();
        let f = Filter {
            tag: "#T".into(),
            ..Filter::default()
        };
        assert_eq!(keys(&g, &subgraph(&g, &f, None, None)), ["a", "e", "#t"]);
        let f = Filter {
            search: " C ".into(),
            ..Filter::default()
        };
        assert_eq!(keys(&g, &subgraph(&g, &f, None, None)), ["c"]);
        let by_text = |k: &str| k == "d";
        let s = subgraph(&g, &f, None, Some(&by_text));
        assert_eq!(keys(&g, &s), ["c", "d"]);
        assert_eq!(s.edges, vec![(0, 1)]);
    }

    #[test]
    fn orphans_can_be_hidden() {
        let g = chain();
        let f = Filter {
            search: "c".into(),
            orphans: false,
            ..Filter::default()
        };
        assert!(subgraph(&g, &f, None, None).nodes.is_empty());
        let f = Filter {
            folder: "x".into(),
            orphans: false,
            ..Filter::default()
        };
        assert_eq!(
            keys(&g, &subgraph(&g, &f, None, None)),
            ["b", "c", "e", "#t"]
        );
    }

    #[test]
    fn local_graph_by_depth_and_tags_do_not_bridge() {
        let g = chain();
        let f = Filter::default();
        let s = subgraph(&g, &f, Some((0, 1)), None);
        assert_eq!(keys(&g, &s), ["a", "b", "#t"]);
        assert_eq!(s.center, Some(0));
        let s = subgraph(&g, &f, Some((0, 2)), None);
        assert_eq!(keys(&g, &s), ["a", "b", "c", "#t"], "e only shares a tag");
        let s = subgraph(&g, &f, Some((1, 1)), None);
        assert_eq!(keys(&g, &s), ["a", "b", "c"], "#t is two links from b");
        let s = subgraph(&g, &f, Some((1, 3)), None);
        assert_eq!(keys(&g, &s), ["a", "b", "c", "d", "#t"]);
        assert_eq!(s.center, Some(1));
        // The centre stays even if a filter hides it.
        let hide = Filter {
            search: "zzz".into(),
            ..Filter::default()
        };
        let s = subgraph(&g, &hide, Some((2, 3)), None);
        assert_eq!(keys(&g, &s), ["c"]);
        // An out-of-range centre is ignored rather than a panic.
        assert_eq!(subgraph(&g, &f, Some((99, 1)), None).nodes.len(), 6);
    }

    fn arb_graph() -> impl Strategy<Value = Graph> {
        (1usize..30)
            .prop_flat_map(|n| {
                (
                    Just(n),
                    prop::collection::vec((0..n as u32, 0..n as u32), 0..60),
                    prop::collection::vec((0usize..3, 0usize..3), n),
                )
            })
            .prop_map(|(n, edges, attrs)| {
                let folders = ["", "p", "p/q"];
                let tags = ["", "t", "u"];
                let nodes = (0..n)
                    .map(|i| {
                        let (f, t) = attrs[i];
                        let tg: Vec<&str> =
                            [tags[t]].into_iter().filter(|s| !s.is_empty()).collect();
                        note(&format!("n{i}"), folders[f], &tg)
                    })
                    .collect();
                Graph::new(nodes, edges)
            })
    }

    proptest! {
        #[test]
        fn filters_keep_exactly_matching_notes_and_valid_edges(
            g in arb_graph(),
            folder in prop::sample::select(vec!["", "p", "p/q"]),
            tag in prop::sample::select(vec!["", "t", "u"]),
            orphans in any::<bool>(),
        ) {
            let f = Filter { folder: folder.into(), tag: tag.into(), orphans, ..Filter::default() };
            let s = subgraph(&g, &f, None, None);
            for (i, node) in g.nodes.iter().enumerate() {
                let in_folder = folder.is_empty() || node.folder == folder
                    || node.folder.starts_with(&format!("{folder}/"));
                let tagged = tag.is_empty() || node.tags.iter().any(|t| t == tag);
                let shown = s.nodes.contains(&(i as u32));
                if !(in_folder && tagged) {
                    prop_assert!(!shown);
                } else if orphans {
                    prop_assert!(shown);
                }
            }
            for &(a, b) in &s.edges {
                prop_assert!((a as usize) < s.nodes.len() && (b as usize) < s.nodes.len());
                let (ga, gb) = (s.nodes[a as usize], s.nodes[b as usize]);
                prop_assert!(g.neighbours(ga).contains(&gb));
            }
            prop_assert!(s.nodes.windows(2).all(|w| w[0] < w[1]));
        }

        #[test]
        fn local_graph_is_within_depth(g in arb_graph(), c in 0u32..30, depth in 1u8..4) {
            let c = c % g.len() as u32;
            let s = subgraph(&g, &Filter::default(), Some((c, depth)), None);
            prop_assert_eq!(s.center.map(|i| s.nodes[i as usize]), Some(c));
            // Plain BFS on the full graph gives the same set.
            let mut dist = vec![usize::MAX; g.len()];
            dist[c as usize] = 0;
            let mut q = std::collections::VecDeque::from([c]);
            while let Some(u) = q.pop_front() {
                for &v in g.neighbours(u) {
                    if dist[v as usize] == usize::MAX {
                        dist[v as usize] = dist[u as usize] + 1;
                        q.push_back(v);
                    }
                }
            }
            let want: Vec<u32> = (0..g.len() as u32)
                .filter(|&i| dist[i as usize] <= depth as usize)
                .collect();
            prop_assert_eq!(s.nodes, want);
        }
    }
}
