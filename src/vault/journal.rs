//! Recovery journal for unsaved editor buffers, kept in
//! `<vault>/.strata/recovery/` as one RON file per note.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::save::{atomic_write, content_hash};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    pub note_path: String,
    pub text: String,
    pub saved_at: SystemTime,
}

#[derive(Serialize, Deserialize)]
struct Record {
    note_path: String,
    saved_at_secs: u64,
    saved_at_nanos: u32,
    text: String,
}

pub struct Journal {
    dir: PathBuf,
}

impl Journal {
    pub fn new(vault_root: &Path) -> Journal {
        Journal {
            dir: vault_root.join(".strata").join("recovery"),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    // Note paths may be long or contain characters that are awkward in file
    // names, so files are named by a hash; the real path is inside.
    fn file_for(&self, note_path: &str) -> PathBuf {
        self.dir
            .join(format!("{:016x}.ron", content_hash(note_path.as_bytes())))
    }

    /// Stores the buffer so that it survives a crash. Atomic: a crash during
    /// recording leaves the previous record intact.
    pub fn record(&self, note_path: &str, text: &str) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or(Duration::ZERO);
        let rec = Record {
            note_path: note_path.to_string(),
            saved_at_secs: at.as_secs(),
            saved_at_nanos: at.subsec_nanos(),
            text: text.to_string(),
        };
        let data = ron::ser::to_string_pretty(&rec, ron::ser::PrettyConfig::default())
            .map_err(io::Error::other)?;
        atomic_write(&self.file_for(note_path), data.as_bytes())
    }

    /// Forgets the buffer (after it was saved or discarded). Clearing a note
    /// that has no record is not an error.
    pub fn clear(&self, note_path: &str) -> io::Result<()> {
        match fs::remove_file(self.file_for(note_path)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// All recoverable buffers, sorted by note path. Unreadable or corrupt
    /// records are skipped rather than blocking recovery of the others.
    pub fn entries(&self) -> Vec<JournalEntry> {
        let Ok(rd) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut out: Vec<JournalEntry> = rd
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "ron"))
            .filter_map(|e| fs::read_to_string(e.path()).ok())
            .filter_map(|s| ron::from_str::<Record>(&s).ok())
            .map(|r| JournalEntry {
                note_path: r.note_path,
                text: r.text,
                saved_at: UNIX_EPOCH
                    + Duration::new(r.saved_at_secs, r.saved_at_nanos.min(999_999_999)),
            })
            .collect();
        out.sort_by(|a, b| a.note_path.cmp(&b.note_path));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_entries_clear_roundtrip() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::new(dir.path());
        assert!(j.entries().is_empty());
        let before = SystemTime::now() - Duration::from_secs(1);
        let tricky = "line \"one\"\n\tzwei ✓ 中文\r\n}) \\ end";
        j.record("b/Note.md", tricky).unwrap();
        j.record("a.md", "first").unwrap();
        j.record("a.md", "second").unwrap();
        let e = j.entries();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].note_path, "a.md");
        assert_eq!(e[0].text, "second");
        assert_eq!(e[1].note_path, "b/Note.md");
        assert_eq!(e[1].text, tricky);
        assert!(e[1].saved_at >= before);
        j.clear("a.md").unwrap();
        j.clear("never-recorded.md").unwrap();
        let e = j.entries();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].note_path, "b/Note.md");
        assert!(dir.path().join(".strata/recovery").is_dir());
    }

    #[test]
    fn corrupt_record_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::new(dir.path());
        j.record("ok.md", "fine").unwrap();
        fs::write(j.dir().join("garbage.ron"), "(not valid").unwrap();
        let e = j.entries();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].text, "fine");
    }
}
