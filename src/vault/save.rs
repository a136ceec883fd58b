//! Atomic file replacement and change stamps.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What a file looked like when we last read or wrote it. Comparing a fresh
/// stamp with a stored one tells whether someone else changed the file.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct FileStamp {
    pub len: u64,
    pub modified: Option<SystemTime>,
    pub hash: u64,
}

impl FileStamp {
    /// Stamp for raw bytes that were just read after `meta` was taken.
    pub fn of_bytes(bytes: &[u8], modified: Option<SystemTime>) -> FileStamp {
        FileStamp {
            len: bytes.len() as u64,
            modified,
            hash: content_hash(bytes),
        }
    }

    /// Cheap comparison without the hash, used by rescans that must not read
    /// every file.
    pub fn same_metadata(&self, other: &FileStamp) -> bool {
        self.len == other.len && self.modified == other.modified
    }
}

/// Stable 64-bit content hash (same value on every platform and run, unlike
/// `DefaultHasher`), fast enough to hash a whole vault while opening it.
pub fn content_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = 0xCBF2_9CE4_8422_2325 ^ (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K).rotate_left(29);
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(K).rotate_left(29);
    }
    h ^= h >> 32;
    h = h.wrapping_mul(K);
    h ^ (h >> 29)
}

/// Reads the file and returns its stamp (length, mtime, content hash).
pub fn stamp_of(path: &Path) -> io::Result<FileStamp> {
    let mut f = fs::File::open(path)?;
    let modified = f.metadata()?.modified().ok();
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes)?;
    Ok(FileStamp::of_bytes(&bytes, modified))
}

/// A new file content written and flushed next to its target, not yet
/// visible under the target's name.
struct Prepared {
    tmp: tempfile::NamedTempFile,
    target: PathBuf,
    dir: PathBuf,
}

fn prepare(path: &Path, data: &[u8]) -> io::Result<Prepared> {
    // Writing through a symlink must update its target and keep the link.
    let target: PathBuf = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let existing = fs::metadata(&target).ok();
    let mut builder = tempfile::Builder::new();
    builder.prefix(".strata-tmp-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // A new file should get the usual umask-filtered mode, not the
        // temp file's private 0600.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(&dir)?;
    tmp.write_all(data)?;
    if let Some(meta) = &existing {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.as_file().sync_all()?;
    Ok(Prepared { tmp, target, dir })
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    // The rename is only durable once the directory entry is flushed; on
    // Windows directories cannot be opened for syncing.
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    let _ = dir;
    Ok(())
}

/// Replaces `path` with `data` so that readers see either the old or the new
/// content, never a torn file: temp file in the same directory, write, fsync,
/// copy permissions of an existing file, rename over it, fsync the directory.
pub fn atomic_write(path: &Path, data: &[u8]) -> io::Result<()> {
    let p = prepare(path, data)?;
    p.tmp.persist(&p.target).map_err(|e| e.error)?;
    sync_dir(&p.dir)
}

/// Atomically replaces many files. Every new content is written and flushed
/// (in parallel: fsync latency dominates) before the first file is replaced,
/// so a failure while preparing changes nothing. On failure the error says
/// how many files, in order, were already replaced, so the caller can
/// restore them.
pub fn atomic_write_all(items: &[(PathBuf, &[u8])]) -> Result<(), (usize, io::Error)> {
    if items.is_empty() {
        return Ok(());
    }
    let threads = 16.min(items.len());
    let chunk = items.len().div_ceil(threads);
    let prepared: Vec<io::Result<Prepared>> = std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| s.spawn(move || c.iter().map(|(p, d)| prepare(p, d)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut ready = Vec::with_capacity(prepared.len());
    for p in prepared {
        // Dropping the already prepared temp files deletes them.
        ready.push(p.map_err(|e| (0, e))?);
    }
    let mut dirs: Vec<PathBuf> = Vec::new();
    for (k, p) in ready.into_iter().enumerate() {
        p.tmp.persist(&p.target).map_err(|e| (k, e.error))?;
        if !dirs.contains(&p.dir) {
            dirs.push(p.dir);
        }
    }
    for d in &dirs {
        sync_dir(d).map_err(|e| (items.len(), e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_target_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        fs::write(&p, "old").unwrap();
        atomic_write(&p, b"new content").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new content");
        assert_eq!(entries(dir.path()), vec!["a.md".to_string()]);
    }

    #[test]
    fn creates_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("fresh.md");
        atomic_write(&p, b"x").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"x");
        assert_eq!(entries(dir.path()), vec!["fresh.md".to_string()]);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions_of_existing_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("script.md");
        fs::write(&p, "old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        atomic_write(&p, b"new").unwrap();
        let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn writes_through_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.md");
        let link = dir.path().join("link.md");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        atomic_write(&link, b"via link").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "via link");
    }

    #[test]
    fn batch_write_replaces_all_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        let a = dir.path().join("a.md");
        let b = dir.path().join("sub/b.md");
        fs::write(&a, "old a").unwrap();
        atomic_write_all(&[
            (a.clone(), b"new a".as_slice()),
            (b.clone(), b"new b".as_slice()),
        ])
        .unwrap();
        assert_eq!(fs::read_to_string(&a).unwrap(), "new a");
        assert_eq!(fs::read_to_string(&b).unwrap(), "new b");
        assert_eq!(
            entries(dir.path()),
            vec!["a.md".to_string(), "sub".to_string()]
        );
        // A target in a missing folder fails before anything is replaced.
        let bad = dir.path().join("missing/c.md");
        let err = atomic_write_all(&[(a.clone(), b"x".as_slice()), (bad, b"y".as_slice())]);
        assert_eq!(err.map_err(|e| e.0), Err(0));
        assert_eq!(fs::read_to_string(&a).unwrap(), "new a");
        assert_eq!(
            entries(dir.path()),
            vec!["a.md".to_string(), "sub".to_string()]
        );
    }

    #[test]
    fn stamp_changes_with_content() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.md");
        fs::write(&p, "one").unwrap();
        let a = stamp_of(&p).unwrap();
        assert_eq!(a, stamp_of(&p).unwrap());
        fs::write(&p, "two").unwrap();
        let b = stamp_of(&p).unwrap();
        assert_ne!(a.hash, b.hash);
        assert_eq!(b.len, 3);
    }

    #[test]
    fn hash_is_sensitive_to_every_byte() {
        let base = b"0123456789abcdefXYZ".to_vec();
        let h = content_hash(&base);
        for i in 0..base.len() {
            let mut m = base.clone();
            m[i] ^= 1;
            assert_ne!(content_hash(&m), h, "byte {i}");
        }
    }
}
