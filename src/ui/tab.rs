//! One open note: its editor buffer and everything needed to never lose it.

use crate::vault::save::FileStamp;

use super::editor::EditorState;

/// What the disk did to a note behind our back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiskState {
    InSync,
    /// The file changed while the buffer had unsaved edits; holds the disk text.
    Conflict(String),
    DeletedOnDisk,
}

pub struct Tab {
    /// Vault-relative path with '/' separators.
    pub path: String,
    pub buffer: String,
    /// Whether `buffer` differs from what was last loaded or saved; updated
    /// per edit, never by comparing texts each frame.
    pub dirty: bool,
    /// The file was not valid UTF-8: shown read-only and never written.
    pub lossy: bool,
    /// Stamp of the file as we last read or wrote it (`None` if never on disk).
    pub stamp: Option<FileStamp>,
    pub disk: DiskState,
    /// Input time (seconds) of the last edit; drives autosave and journaling.
    pub last_edit: Option<f64>,
    /// The current buffer is already in the recovery journal.
    pub journaled: bool,
    /// Last save failure, shown in a bar; cleared by the next successful save.
    pub save_error: Option<String>,
    /// Autosave gave up after a failure until the user edits again.
    pub autosave_blocked: bool,
    /// Words in `buffer`, recounted per edit.
    pub words: usize,
    pub editor: EditorState,
    /// Unified diff (mine vs disk) while the diff panel is open.
    pub diff: Option<String>,
}

impl Tab {
    pub fn new(path: String, text: String, lossy: bool, stamp: Option<FileStamp>) -> Tab {
        let text = displayable(text, lossy);
        let words = count_words(&text);
        Tab {
            path,
            buffer: text,
            dirty: false,
            lossy,
            stamp,
            disk: DiskState::InSync,
            last_edit: None,
            journaled: false,
            save_error: None,
            autosave_blocked: false,
            words,
            editor: EditorState::default(),
            diff: None,
        }
    }

    pub fn title(&self) -> &str {
        let name = self.path.rsplit('/').next().unwrap_or(&self.path);
        name.strip_suffix(".md").unwrap_or(name)
    }

    /// Call after every change to `buffer` made by the user or a command.
    pub fn edited(&mut self, now: f64) {
        self.dirty = true;
        self.last_edit = Some(now);
        self.journaled = false;
        self.autosave_blocked = false;
        self.words = count_words(&self.buffer);
        self.editor.version += 1;
    }

    /// Replace the buffer with what is on disk (clean state).
    pub fn reload(&mut self, text: String, lossy: bool, stamp: Option<FileStamp>) {
        let text = displayable(text, lossy);
        self.words = count_words(&text);
        self.buffer = text;
        self.lossy = lossy;
        self.stamp = stamp;
        self.dirty = false;
        self.disk = DiskState::InSync;
        self.last_edit = None;
        self.journaled = false;
        self.diff = None;
        self.editor.invalidate();
    }

    /// The buffer may be written to disk: not lossy (writing would destroy
    /// the bytes we could not decode).
    pub fn writable(&self) -> bool {
        !self.lossy
    }
}

/// Bytes that failed to decode become U+FFFD, which no bundled font draws;
/// show them as `?` instead (the buffer of a lossy note is never written).
fn displayable(text: String, lossy: bool) -> String {
    if lossy && text.contains('\u{FFFD}') {
        text.replace('\u{FFFD}', "?")
    } else {
        text
    }
}

/// Whitespace-separated words, with each CJK ideograph counted as a word
/// (Chinese has no spaces, so a paragraph would otherwise count as one).
pub fn count_words(text: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for c in text.chars() {
        if is_cjk(c) {
            words += 1;
            in_word = false;
        } else if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            words += 1;
            in_word = true;
        }
    }
    words
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_latin_and_cjk_words() {
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words("  two words\n"), 2);
        assert_eq!(count_words("Go 通道关闭 now"), 6);
    }

    #[test]
    fn title_strips_folder_and_extension() {
        let t = Tab::new("a/b/Leaky pipe.md".into(), String::new(), false, None);
        assert_eq!(t.title(), "Leaky pipe");
    }
}
