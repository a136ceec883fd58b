//! `strata export VAULT --review OUT.md` against a committed expected file.
//! The vault and its review files are written here by hand, as a reviewer's
//! Git checkout would hold them. Set `UPDATE_GOLDEN=1` to rewrite the file
//! after an intended format change (and review the diff).

use std::fs;
use std::path::Path;
use std::process::Command;

use strata::review::{summary, ReviewStore};

const GOLDEN: &str = "tests/golden/review_summary.md";

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "channels/Closing.md",
        "# Closing channels\n\n## Who closes\n\nOnly the sender closes a channel; \
         receivers never do.\n\n```mermaid\nflowchart LR\n  S[Sender] -->|close| C((chan))\n  \
         C --> R[Receiver]\n```\n",
    );
    write(
        root,
        "WaitGroup.md",
        "# WaitGroup\n\nCall Add before starting the goroutine.\n",
    );
    write(
        root,
        ".strata/reviews/channels/Closing.md.ron",
        r##"ReviewFile(
    version: 1,
    comments: [
        Comment(
            id: "c1",
            author: "Ada",
            created: "2026-11-20T09:15:00Z",
            status: Open,
            anchor: Text(TextAnchor(
                quote: "receivers never do",
                prefix: "Only the sender closes a channel; ",
                suffix: ".\n\n```mermaid",
                headings: ["Closing channels", "Who closes"],
            )),
            body: "Say what happens if they do:\n# a panic, on the next send.",
            replies: [
                Reply(author: "李雷", time: "2026-11-20T10:00:00Z", body: "Added a sentence."),
                Reply(author: "Ada", time: "2026-11-21T08:00:00Z", body: "Thanks!"),
            ],
        ),
        Comment(
            id: "c2",
            author: "Bob",
            created: "2026-11-20T11:00:00Z",
            status: Resolved,
            anchor: Diagram(DiagramAnchor(diagram: 0, element: "S->C", headings: ["Closing channels", "Who closes"])),
            body: "Label the edge.",
        ),
        Comment(
            id: "c3",
            author: "Bob",
            created: "2026-11-20T12:00:00Z",
            status: Open,
            anchor: Text(TextAnchor(quote: "a paragraph that was deleted since")),
            body: "Still true?",
        ),
    ],
)
"##,
    );
    write(
        root,
        ".strata/reviews/WaitGroup.md.ron",
        r##"ReviewFile(comments: [Comment(id: "w1", author: "Ada", created: "2026-11-22T07:30:00Z",
            status: Open, anchor: Text(TextAnchor(quote: "Call Add before starting",
            prefix: "# WaitGroup\n\n", suffix: " the goroutine.")),
            body: "Show the wrong order too.")])"##,
    );
    write(
        root,
        ".strata/reviews/Old note.md.ron",
        r#"ReviewFile(comments: [Comment(id: "o1", author: "Cy", created: "2026-11-01T00:00:00Z",
            status: Resolved, anchor: Text(TextAnchor(quote: "gone")), body: "ok")])"#,
    );
    dir
}

fn expected() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(GOLDEN)).unwrap_or_default()
}

#[test]
fn summary_matches_the_golden_file() {
    let dir = vault();
    let vault = strata::vault::Vault::open(dir.path()).unwrap();
    let store = ReviewStore::open(dir.path());
    assert_eq!(store.errors().count(), 0);
    let md = summary::markdown(&store, |p| vault.text(p));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join(GOLDEN), &md).unwrap();
    }
    assert_eq!(
        md,
        expected(),
        "rerun with UPDATE_GOLDEN=1 if the change is intended"
    );
}

#[test]
fn cli_writes_the_same_summary_and_leaves_review_files_alone() {
    let dir = vault();
    let before = fs::read_to_string(dir.path().join(".strata/reviews/WaitGroup.md.ron")).unwrap();
    let out = dir.path().join("summary.md");
    let run = Command::new(env!("CARGO_BIN_EXE_strata"))
        .arg("export")
        .arg(dir.path())
        .arg("--review")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("5 review comment(s) on 3 note(s)"),
        "{stdout}"
    );
    assert_eq!(fs::read_to_string(&out).unwrap(), expected());
    let after = fs::read_to_string(dir.path().join(".strata/reviews/WaitGroup.md.ron")).unwrap();
    assert_eq!(before, after, "exporting never rewrites review files");
}

#[test]
fn cli_reports_a_corrupt_review_file_with_its_position() {
    let dir = vault();
    write(
        dir.path(),
        ".strata/reviews/WaitGroup.md.ron",
        "ReviewFile(\n  comments: [\n    Comment(id: \"x\", status: Maybe)\n",
    );
    let out = dir.path().join("summary.md");
    let run = Command::new(env!("CARGO_BIN_EXE_strata"))
        .args([
            "export".as_ref(),
            dir.path().as_os_str(),
            "--review".as_ref(),
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("WaitGroup.md.ron:3:"), "{stderr}");
    let md = fs::read_to_string(&out).unwrap();
    assert!(md.contains("## Unreadable review files"), "{md}");
    assert!(md.contains("## channels/Closing.md"));
}
