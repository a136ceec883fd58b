//! The note graph: every note and the links between them (optionally tags
//! and unresolved link targets as nodes of their own), filters, the local
//! graph around one note, and a force-directed layout that a worker thread
//! steps while the UI only paints published positions.
//!
//! No UI toolkit here: the graph view in `ui::graph_view` draws from this.

pub mod filter;
pub mod sim;
pub mod worker;

use std::collections::{BTreeMap, HashMap};

use crate::vault::{Resolution, Vault};

pub use filter::{subgraph, Filter, Subgraph};
pub use sim::{SimParams, Simulation};
pub use worker::{LayoutFrame, LayoutWorker};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Note,
    Tag,
    /// A link target that names no note.
    Unresolved,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Vault path for notes, `#tag` for tags, the lowercased target for
    /// unresolved links. Unique within a graph.
    pub key: String,
    /// What the view shows: title, else file stem; `#tag`; the target.
    pub label: String,
    pub kind: NodeKind,
    /// Folder of a note (`a/b`, empty at the root); empty for other kinds.
    pub folder: String,
    /// Lowercased tags of a note, without `#`.
    pub tags: Vec<String>,
    /// Lowercased label, path, title and aliases, for the search filter.
    pub search: String,
}

/// Which kinds of nodes besides notes to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BuildOptions {
    pub tags: bool,
    pub unresolved: bool,
}

/// Nodes and undirected, deduplicated edges (`a < b`, no self-loops).
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<(u32, u32)>,
    adjacency: Vec<Vec<u32>>,
    index: HashMap<String, u32>,
}

impl Graph {
    /// Builds a graph from nodes and edges given as indices into `nodes`.
    /// Edges are made undirected; duplicates, self-loops and out-of-range
    /// indices are dropped.
    pub fn new(nodes: Vec<Node>, edges: impl IntoIterator<Item = (u32, u32)>) -> Graph {
        let n = nodes.len() as u32;
        let mut edges: Vec<(u32, u32)> = edges
            .into_iter()
            .filter(|&(a, b)| a != b && a < n && b < n)
            .map(|(a, b)| (a.min(b), a.max(b)))
            .collect();
        edges.sort_unstable();
        edges.dedup();
        let mut adjacency = vec![Vec::new(); nodes.len()];
        for &(a, b) in &edges {
            adjacency[a as usize].push(b);
            adjacency[b as usize].push(a);
        }
        let index = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.key.clone(), i as u32))
            .collect();
        Graph {
            nodes,
            edges,
            adjacency,
            index,
        }
    }

    /// The note graph of a vault. Links to ambiguous targets are left out
    /// (no single note to draw them to); links to attachments are not edges.
    pub fn from_vault(vault: &Vault, opts: BuildOptions) -> Graph {
        let mut nodes: Vec<Node> = vault.notes().map(note_node).collect();
        let mut index: HashMap<String, u32> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.key.clone(), i as u32))
            .collect();
        let mut edges = Vec::new();
        // BTreeMaps keep extra nodes in a stable order, so the same vault
        // always gives the same indices (and the same layout for a seed).
        let mut tags: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        let mut missing: BTreeMap<String, (String, Vec<u32>)> = BTreeMap::new();
        for (i, note) in vault.notes().enumerate() {
            let i = i as u32;
            for link in &note.links {
                if link.target.trim().is_empty() {
                    continue;
                }
                match vault.resolve_link(&note.path, link) {
                    Resolution::Note(p) => {
                        if let Some(&j) = index.get(&p) {
                            edges.push((i, j));
                        }
                    }
                    Resolution::Ambiguous(_) => {}
                    Resolution::Missing => {
                        if opts.unresolved && !vault.is_attachment_link(&note.path, link) {
                            let shown = link.target.trim().to_string();
                            missing
                                .entry(shown.to_lowercase())
                                .or_insert_with(|| (shown, Vec::new()))
                                .1
                                .push(i);
                        }
                    }
                }
            }
            if opts.tags {
                for t in &note.tags {
                    tags.entry(t.to_lowercase()).or_default().push(i);
                }
            }
        }
        for (tag, from) in tags {
            let key = format!("#{tag}");
            let j = nodes.len() as u32;
            nodes.push(Node {
                search: key.clone(),
                label: key.clone(),
                key: key.clone(),
                kind: NodeKind::Tag,
                folder: String::new(),
                tags: vec![tag],
            });
            index.insert(key, j);
            edges.extend(from.into_iter().map(|i| (i, j)));
        }
        for (key, (shown, from)) in missing {
            let j = nodes.len() as u32;
            nodes.push(Node {
                search: key.clone(),
                key,
                label: shown,
                kind: NodeKind::Unresolved,
                folder: String::new(),
                tags: Vec::new(),
            });
            edges.extend(from.into_iter().map(|i| (i, j)));
        }
        Graph::new(nodes, edges)
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn neighbours(&self, i: u32) -> &[u32] {
        self.adjacency.get(i as usize).map_or(&[], Vec::as_slice)
    }

    pub fn degree(&self, i: u32) -> usize {
        self.neighbours(i).len()
    }

    /// Node index by key (vault path for notes).
    pub fn find(&self, key: &str) -> Option<u32> {
        self.index.get(key).copied()
    }

    /// Every folder holding notes, with its ancestors, sorted.
    pub fn folders(&self) -> Vec<String> {
        let mut out = std::collections::BTreeSet::new();
        for n in self.nodes.iter().filter(|n| n.kind == NodeKind::Note) {
            let mut f = n.folder.as_str();
            while !f.is_empty() {
                out.insert(f.to_string());
                f = f.rsplit_once('/').map_or("", |(head, _)| head);
            }
        }
        out.into_iter().collect()
    }

    /// Every note tag (lowercased, no `#`), sorted.
    pub fn tags(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .nodes
            .iter()
            .flat_map(|n| n.tags.iter().cloned())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

fn note_node(note: &crate::vault::Note) -> Node {
    let label = note
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| note.name.clone());
    let folder = note
        .path
        .rsplit_once('/')
        .map_or(String::new(), |(f, _)| f.to_string());
    let mut search = format!("{label}\n{}", note.path);
    for a in &note.aliases {
        search.push('\n');
        search.push_str(a);
    }
    Node {
        key: note.path.clone(),
        label,
        kind: NodeKind::Note,
        folder,
        tags: note.tags.iter().map(|t| t.to_lowercase()).collect(),
        search: search.to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    pub(crate) fn vault_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Vault) {
        let dir = tempfile::tempdir().unwrap();
        for (p, text) in files {
            let path = dir.path().join(p);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        let v = Vault::open(dir.path()).unwrap();
        (dir, v)
    }

    fn sample() -> (tempfile::TempDir, Vault) {
        vault_with(&[
            (
                "A.md",
                "# A\n[[B]] and [[B]] again, [[Nowhere]], ![](pic.png) #go\n",
            ),
            (
                "sub/B.md",
                "---\ntitle: Bee\ntags: [go, Deep]\n---\nback to [A](../A.md)\n",
            ),
            ("sub/deep/C.md", "[[C]] links itself; [[sub/B]]\n"),
            ("D.md", "alone `[[A]]`\n"),
            ("pic.png", "not really a picture"),
        ])
    }

    #[test]
    fn notes_links_tags_and_unresolved() {
        let (_d, v) = sample();
        let g = Graph::from_vault(
            &v,
            BuildOptions {
                tags: true,
                unresolved: true,
            },
        );
        let keys: Vec<&str> = g.nodes.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "A.md",
                "D.md",
                "sub/B.md",
                "sub/deep/C.md",
                "#deep",
                "#go",
                "nowhere"
            ]
        );
        let a = g.find("A.md").unwrap();
        let b = g.find("sub/B.md").unwrap();
        let c = g.find("sub/deep/C.md").unwrap();
        let d = g.find("D.md").unwrap();
        // A<->B twice in each direction is one edge; C's self-link is none.
        let notes: Vec<(u32, u32)> = g
            .edges
            .iter()
            .copied()
            .filter(|&(x, y)| x < 4 && y < 4)
            .collect();
        assert_eq!(notes, vec![(a.min(b), a.max(b)), (b.min(c), b.max(c))]);
        assert_eq!(g.degree(d), 0, "a link inside code is no link");
        assert_eq!(g.nodes[b as usize].label, "Bee");
        assert_eq!(g.nodes[c as usize].folder, "sub/deep");
        let go = g.find("#go").unwrap();
        let mut go_n = g.neighbours(go).to_vec();
        go_n.sort();
        assert_eq!(go_n, vec![a, b]);
        let nowhere = g.find("nowhere").unwrap();
        assert_eq!(g.nodes[nowhere as usize].label, "Nowhere");
        assert_eq!(g.neighbours(nowhere), &[a]);
        assert!(g.find("pic.png").is_none(), "attachments are not nodes");
        assert_eq!(g.folders(), ["sub", "sub/deep"]);
        assert_eq!(g.tags(), ["deep", "go"]);
    }

    #[test]
    fn options_off_gives_only_notes() {
        let (_d, v) = sample();
        let g = Graph::from_vault(&v, BuildOptions::default());
        assert_eq!(g.len(), 4);
        assert!(g.nodes.iter().all(|n| n.kind == NodeKind::Note));
        assert_eq!(g.edges.len(), 2);
    }

    #[test]
    fn new_drops_bad_edges() {
        let node = |k: &str| Node {
            key: k.into(),
            label: k.into(),
            kind: NodeKind::Note,
            folder: String::new(),
            tags: Vec::new(),
            search: k.into(),
        };
        let g = Graph::new(vec![node("a"), node("b")], [(0, 1), (1, 0), (1, 1), (0, 7)]);
        assert_eq!(g.edges, vec![(0, 1)]);
        assert_eq!(g.degree(0), 1);
        assert_eq!(g.neighbours(9), &[] as &[u32]);
    }
}
