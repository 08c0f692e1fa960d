//! The batch reader: one journal read whole, its text kept in the sources, parsed in one go.

use super::LoadError;
use super::files::{decode, not_utf8, read_shared};
use super::reader::{Reader, Sink};
use crate::source::SourceFile;
use std::path::{Path, PathBuf};

impl Reader<'_> {
    /// Read the journal at `path` (shown as `shown`, a `what` to the book) whole, with
    /// `appended` after its bytes when it is the write target, and parse it.
    pub(super) fn read_whole_file(
        &mut self,
        path: &Path,
        shown: String,
        what: &'static str,
        appended: Option<&str>,
        sink: &mut Sink<'_>,
    ) -> Result<(), LoadError> {
        let mut bytes = match read_shared(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && appended.is_some() => Vec::new(),
            read => read.map_err(|error| LoadError::Io {
                path: PathBuf::from(&shown),
                what,
                error,
            })?,
        };
        let length = bytes.len();
        if let Some(a) = appended {
            bytes.extend_from_slice(a.as_bytes());
        }
        let (text, bad_utf8) = decode(bytes);
        // The id is taken now, in read order; the text goes in once parsed, as the parser
        // borrows it while the files it includes are read.
        let file = self.sources.add(shown.clone(), String::new());
        if appended.is_some() {
            self.appended_at = Some((file, length));
        }
        if let Some(pos) = bad_utf8 {
            self.problems.push(not_utf8(file, &shown, pos));
        }
        let failed = self.parse_text(&text, 0, file, path, sink);
        self.sources.files[file.0 as usize] = SourceFile::new(shown, text);
        failed
    }
}
