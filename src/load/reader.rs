//! The walk over a book's journals, shared by every reader: `journals` in order, each glob's
//! matches sorted, an `include` read where it stands (with its cycle, depth and "read twice"
//! checks), a missing or irregular file made a problem. How one file's bytes are read is each
//! reader's own: [`super::batch`] (whole), [`super::stream`] (a chunk at a time) and
//! [`super::parts`] (on several threads).

use super::files::{MAX_INCLUDE_DEPTH, file_kind};
use super::find::{absolute, display};
use super::interleave::MAX_JOURNALS;
use super::stream::shifted;
use super::{LoadError, ParseFn, Route, Taker};
use crate::diagnostic::Diagnostic;
use crate::model::{Entry, Minutes};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::journal::{Item, ParseOptions};
use crate::syntax::value::date;
use chrono::NaiveDate;
use std::collections::HashSet;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// Who names a journal: the book's `journals` list or an `include` line.
#[derive(Clone, Copy)]
enum Origin<'a> {
    Journals { written: &'a str, span: Span },
    Include { written: &'a str, span: Span },
}

impl Origin<'_> {
    /// What the file is to the book, in messages.
    fn what(self) -> &'static str {
        match self {
            Origin::Journals { .. } => "journal",
            Origin::Include { .. } => "include",
        }
    }
}

/// The state of one read of a book's journals.
pub(super) struct Reader<'a> {
    pub(super) cwd: &'a Path,
    pub(super) unit_minutes: Minutes,
    pub(super) parse: ParseFn,
    pub(super) opts: ParseOptions,
    pub(super) sources: SourceMap,
    /// Entries read so far: the next entry's `seq`.
    pub(super) read: usize,
    /// The entries' taker asked to stop.
    pub(super) stopped: bool,
    pub(super) journal_paths: Vec<PathBuf>,
    pub(super) problems: Vec<Diagnostic>,
    /// Identities (canonical paths) of every file read.
    pub(super) seen: HashSet<PathBuf>,
    /// The files being read, outermost first: (identity, shown name).
    pub(super) stack: Vec<(PathBuf, String)>,
    /// Text to read after the write target's bytes (a writing command's new line).
    pub(super) addition: Option<(PathBuf, &'a str)>,
    /// Read journals in chunks of about this many bytes and keep no text (the streaming reader).
    pub(super) chunked: Option<usize>,
    /// Journals whose text was not kept.
    pub(super) deferred: Vec<(FileId, PathBuf)>,
    /// A journal could not be read in parts (a journal with an `include`, bytes that are not UTF-8, or a client not its line's third word); reading stopped.
    pub(super) unsupported: bool,
    /// The write target and the length of its bytes, once read with the addition after them.
    pub(super) appended_at: Option<(FileId, usize)>,
    /// Lines read in parts so far: the `seq` of the next file's first line.
    pub(super) lines_read: usize,
}

/// Where the entries read go: one taker, or one per part, each on its own thread.
pub(super) enum To<'s, 'c, 'm, 'd> {
    Each(&'s mut Sink<'c>),
    Parts {
        route: &'s Route<'s>,
        consumers: &'s mut [&'m mut Taker<'d>],
    },
}

/// What takes each entry read.
pub(super) type Sink<'s> = dyn FnMut(Entry) -> ControlFlow<()> + 's;

/// A journal that may be read: its identity (canonical path), its name as shown, and the
/// text to read after its bytes when it is the write target.
pub(super) struct Admitted<'t> {
    pub(super) id: PathBuf,
    pub(super) shown: String,
    pub(super) appended: Option<&'t str>,
}

/// The first date of a journal, read from its first lines (`None`: none there, or the file
/// cannot be read): where the journal stands among the others, to read them in date order.
pub(super) fn first_date(path: &Path) -> Option<NaiveDate> {
    use std::io::Read as _;
    let mut head = Vec::with_capacity(HEAD);
    // Only a regular file: opening a FIFO would wait for a writer.
    super::files::open_regular(path)
        .ok()?
        .take(HEAD as u64)
        .read_to_end(&mut head)
        .ok()?;
    let head = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&head);
    head.split(|&b| b == b'\n')
        .filter_map(|line| line.get(..10))
        .find_map(|word| std::str::from_utf8(word).ok().and_then(|w| date(w).ok()))
}

/// True when an entry of `journals` is a glob pattern, which may name several files.
fn is_glob(written: &str) -> bool {
    written.contains(['*', '?', '['])
}

/// How much of a journal [`first_date`] reads.
const HEAD: usize = 4096;

impl<'a> Reader<'a> {
    /// Read every journal of the book's `journals`, in order. Read in parts, the journals are
    /// taken in the order of their first dates instead ([`Reader::journals_in_parts`]).
    pub(super) fn journals(
        &mut self,
        journals: &[(String, Span)],
        dir: &Path,
        to: &mut To<'_, '_, '_, '_>,
    ) -> Result<(), LoadError> {
        if let To::Parts { route, consumers } = to {
            return self.journals_in_parts(journals, dir, *route, consumers);
        }
        for (written, span) in journals {
            for path in self.named(dir, written, *span) {
                if self.stopped {
                    return Ok(());
                }
                self.read(
                    &path,
                    Origin::Journals {
                        written,
                        span: *span,
                    },
                    to,
                )?;
            }
        }
        Ok(())
    }

    /// Read every journal on several threads. Each is admitted in the book's order, so that
    /// file ids, `journal_paths` and problems are those of a read in that order; then their
    /// lines are read in date order across the journals ([`Reader::read_interleaved`]; ties
    /// in the book's order). The order of the lines changes no figure, but a replay fed in
    /// date order streams: a journal per client or per year (the archives of past years
    /// listed after the journal new entries go to) would otherwise put every client, or
    /// every date across clients, out of order.
    ///
    /// With more than [`MAX_JOURNALS`] journals, or a new line to read after the write
    /// target, the journals are read one at a time ([`Reader::read_parts`]) in the order of
    /// their first dates.
    fn journals_in_parts(
        &mut self,
        journals: &[(String, Span)],
        dir: &Path,
        route: &Route<'_>,
        consumers: &mut [&mut Taker<'_>],
    ) -> Result<(), LoadError> {
        let mut admitted = Vec::new();
        for (written, span) in journals {
            for path in self.named(dir, written, *span) {
                let from = Origin::Journals {
                    written,
                    span: *span,
                };
                let id = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                let shown = display(&path, self.cwd);
                if let Some(a) = self.admit(&path, id, shown, from) {
                    let file = self.sources.add(a.shown.clone(), String::new());
                    self.journal_paths.push(path.clone());
                    self.seen.insert(a.id);
                    admitted.push((path, a.shown, a.appended, file));
                }
            }
        }
        if (2..=MAX_JOURNALS).contains(&admitted.len())
            && admitted
                .iter()
                .all(|(_, _, appended, _)| appended.is_none())
        {
            let journals: Vec<_> = (admitted.into_iter())
                .map(|(path, shown, _, file)| (path, shown, file))
                .collect();
            self.read_interleaved(&journals, route, consumers);
            return Ok(());
        }
        admitted.sort_by_cached_key(|(path, ..)| first_date(path));
        for (path, shown, appended, file) in admitted {
            if self.stopped {
                break;
            }
            self.read_parts(&path, file, (&shown, "journal"), appended, route, consumers)?;
        }
        Ok(())
    }

    /// The files one entry of `journals` names: itself, or every file its glob matches, in
    /// sorted order (matching nothing is fine; a bad pattern is a problem).
    fn named(&mut self, dir: &Path, written: &str, span: Span) -> Vec<PathBuf> {
        if !is_glob(written) {
            return vec![absolute(dir, Path::new(written))];
        }
        let pattern = absolute(dir, Path::new(written));
        // The book's folder is taken literally, even if its name holds `[` or `*`.
        let pattern = match pattern.strip_prefix(dir) {
            Ok(rest) => format!(
                "{}/{}",
                glob::Pattern::escape(&dir.to_string_lossy()),
                rest.to_string_lossy()
            ),
            Err(_) => pattern.to_string_lossy().into_owned(),
        };
        let paths = match glob::glob(&pattern) {
            Ok(paths) => paths,
            Err(e) => {
                let msg = format!("`{written}` is not a valid glob pattern: {}", e.msg);
                self.problems.push(Diagnostic::error(span, msg));
                return Vec::new();
            }
        };
        let mut found: Vec<PathBuf> = paths
            .filter_map(Result::ok)
            .filter(|p| p.is_file())
            .collect();
        found.sort();
        found
    }

    /// Whether the file at `path` (identity `id`, shown as `shown`), named by `from`, is read:
    /// not when it was read already, does not exist (unless it is the write target with an
    /// addition), or is not a regular file; each of these but a journal named twice is a
    /// problem.
    fn admit(
        &mut self,
        path: &Path,
        id: PathBuf,
        shown: String,
        from: Origin<'_>,
    ) -> Option<Admitted<'a>> {
        if self.seen.contains(&id) {
            if let Origin::Include { span, .. } = from {
                self.problems.push(
                    Diagnostic::error(span, format!("`{shown}` is read twice"))
                        .with_help("remove this `include`, or take the file out of `journals`"),
                );
            }
            return None;
        }
        let appended = self
            .addition
            .as_ref()
            .filter(|(target, _)| target == path)
            .map(|(_, a)| *a);
        let meta = std::fs::metadata(path);
        let (written, span, what) = match from {
            Origin::Journals { written, span } => (written, span, "journal"),
            Origin::Include { written, span } => (written, span, "included journal"),
        };
        match meta {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && appended.is_none() => {
                let help = match from {
                    Origin::Journals { .. } => "create it, or fix `journals` in the book",
                    Origin::Include { .. } => {
                        "paths in `include` are relative to the including file"
                    }
                };
                self.problems.push(
                    Diagnostic::error(span, format!("{what} `{written}` does not exist"))
                        .with_help(help),
                );
                return None;
            }
            Ok(m) if let Some(kind) = file_kind(&m) => {
                // Nothing is read from a FIFO, a device or a folder: opening a FIFO waits for
                // a writer, and a device may never end.
                self.problems.push(
                    Diagnostic::error(
                        span,
                        format!("{what} `{written}` is {kind}, not a regular file"),
                    )
                    .with_help("a journal is a plain text file: name a file"),
                );
                return None;
            }
            _ => {}
        }
        Some(Admitted {
            id,
            shown,
            appended,
        })
    }

    /// Read one journal and, recursively, what it includes.
    fn read(
        &mut self,
        path: &Path,
        from: Origin<'_>,
        to: &mut To<'_, '_, '_, '_>,
    ) -> Result<(), LoadError> {
        let id = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let shown = display(path, self.cwd);
        if let Origin::Include { span, .. } = from
            && let Some(i) = self.stack.iter().position(|(p, _)| *p == id)
        {
            let mut cycle: Vec<String> = self
                .stack
                .iter()
                .skip(i)
                .map(|(_, n)| format!("`{n}`"))
                .collect();
            cycle.push(format!("`{shown}`"));
            let msg = format!("include cycle: {}", cycle.join(" → "));
            self.problems.push(
                Diagnostic::error(span, msg).with_help("remove one of these `include` lines"),
            );
            return Ok(());
        }
        if let Origin::Include { span, .. } = from
            && self.stack.len() > MAX_INCLUDE_DEPTH
        {
            let mut chain: Vec<String> = self.stack.iter().map(|(_, n)| format!("`{n}`")).collect();
            chain.push(format!("`{shown}`"));
            let msg = format!(
                "includes nest more than {MAX_INCLUDE_DEPTH} deep: {}",
                chain.join(" → ")
            );
            self.problems
                .push(Diagnostic::error(span, msg).with_help(format!(
                    "include at most {MAX_INCLUDE_DEPTH} journals inside one another: \
                 include some of them from a journal higher up"
                )));
            return Ok(());
        }
        let Some(Admitted {
            id,
            shown,
            appended,
        }) = self.admit(path, id, shown, from)
        else {
            return Ok(());
        };
        let sink = match to {
            To::Each(sink) => &mut **sink,
            To::Parts { route, consumers } => {
                // Includes are not read in parts: this is a journal of `journals`.
                let file = self.sources.add(shown.clone(), String::new());
                self.journal_paths.push(path.to_path_buf());
                self.seen.insert(id);
                return self.read_parts(
                    path,
                    file,
                    (&shown, from.what()),
                    appended,
                    *route,
                    consumers,
                );
            }
        };
        self.journal_paths.push(path.to_path_buf());
        self.seen.insert(id.clone());
        self.stack.push((id, shown.clone()));
        let result = match (self.chunked, appended) {
            // The write target is read whole, with the addition after its bytes.
            (Some(chunk), None) => self.read_chunks(path, &shown, from.what(), chunk, sink),
            _ => self.read_whole_file(path, shown, from.what(), appended, sink),
        };
        self.stack.pop();
        result
    }

    /// Parse `text`, which starts at byte `base` of the journal `file` (at `path`), handing
    /// its entries to `sink` and reading its includes where they stand.
    pub(super) fn parse_text(
        &mut self,
        text: &str,
        base: usize,
        file: FileId,
        path: &Path,
        sink: &mut Sink<'_>,
    ) -> Result<(), LoadError> {
        let here = path
            .parent()
            .map_or_else(|| self.cwd.to_path_buf(), Path::to_path_buf);
        let base = u32::try_from(base).unwrap_or(u32::MAX);
        let (parse, unit, opts) = (self.parse, self.unit_minutes, self.opts);
        let mut failed = Ok(());
        parse(
            text,
            file,
            unit,
            opts,
            &mut |item| match shifted(item, base) {
                Item::Entry(mut e) => {
                    e.seq = u32::try_from(self.read).unwrap_or(u32::MAX);
                    self.read += 1;
                    let flow = sink(e);
                    self.stopped |= flow.is_break();
                    flow
                }
                Item::Problem(d) => {
                    self.problems.push(d);
                    ControlFlow::Continue(())
                }
                Item::Include(inc) => {
                    let target = absolute(&here, Path::new(&inc.path));
                    let origin = Origin::Include {
                        written: &inc.path,
                        span: inc.span,
                    };
                    if let Err(e) = self.read(&target, origin, &mut To::Each(&mut *sink)) {
                        failed = Err(e);
                        return ControlFlow::Break(());
                    }
                    if self.stopped {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                }
            },
        );
        failed
    }
}
