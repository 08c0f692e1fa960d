//! Source files and byte spans: the origin of every entry and every error.
//!
//! Imports nothing else of the crate; std only.

use std::sync::OnceLock;

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A byte range `start..end` inside one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// The file the bytes belong to.
    pub file: FileId,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span of `start..end` in `file`.
    #[must_use]
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }
}

/// One source text with its name (as shown in messages) and line index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown in messages (relative to the current folder where possible).
    pub name: String,
    /// The whole text.
    pub text: String,
    /// Where each line starts, built the first time a line is asked for: most files are
    /// read without a problem to show, and a large journal's index costs time and memory.
    line_starts: OnceLock<Vec<u32>>,
}

impl SourceFile {
    /// `text` under `name`.
    #[must_use]
    pub fn new(name: String, text: String) -> SourceFile {
        SourceFile {
            name,
            text,
            line_starts: OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0u32];
            starts.extend(
                self.text
                    .bytes()
                    .enumerate()
                    .filter(|&(_, b)| b == b'\n')
                    .map(|(i, _)| i as u32 + 1),
            );
            starts
        })
    }

    /// 1-based line and column (in chars) of byte offset `pos`.
    #[must_use]
    pub fn line_col(&self, pos: u32) -> (usize, usize) {
        let line_starts = self.line_starts();
        let line = match line_starts.binary_search(&pos) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = line_starts[line] as usize;
        let pos = (pos as usize).min(self.text.len());
        let col = self
            .text
            .get(start..pos)
            .map_or(pos - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// The text of 1-based line `line`, without its line ending.
    #[must_use]
    pub fn line_text(&self, line: usize) -> &str {
        let line_starts = self.line_starts();
        let Some(&start) = line_starts.get(line - 1) else {
            return "";
        };
        let end = line_starts
            .get(line)
            .map_or(self.text.len(), |&e| e as usize);
        let s = &self.text[start as usize..end];
        let s = s.strip_suffix('\n').unwrap_or(s);
        s.strip_suffix('\r').unwrap_or(s)
    }
}

/// Every file read for one book, addressed by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    /// The files, in the order they were read.
    pub files: Vec<SourceFile>,
}

impl SourceMap {
    /// Add a file and return its id.
    pub fn add(&mut self, name: String, text: String) -> FileId {
        self.files.push(SourceFile::new(name, text));
        FileId(self.files.len() as u32 - 1)
    }

    /// The file behind `id`.
    #[must_use]
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The text a span covers.
    #[must_use]
    pub fn slice(&self, span: Span) -> &str {
        let f = self.file(span.file);
        f.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    /// 1-based (line, col) of the start of `span`.
    #[must_use]
    pub fn line_col(&self, span: Span) -> (usize, usize) {
        self.file(span.file).line_col(span.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_and_ignores_cr() {
        let f = SourceFile::new("j".into(), "ab\r\ncafé x\nlast".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(4), (2, 1));
        // `x` sits after the 2-byte `é`: byte 10, char column 6
        assert_eq!(f.line_col(10), (2, 6));
        assert_eq!(f.line_text(1), "ab");
        assert_eq!(f.line_text(3), "last");
    }
}
