//! THE I/O EDGE for input: find the book, read it and its journals.
//!
//! STUB in the `cli` branch only, so that `cli` builds and its tests run: it reads a few
//! book keys (`[book]`, plan names, `[clients]`) with plain `toml`, reads each journal
//! named in `book.journals` (no globs, no includes) and parses them with
//! `syntax::journal::parse`. The real `load.rs` replaces it on merge; the API is the same.

use crate::diagnostic::Diagnostic;
use crate::model::{Book, Client, Currency, Entry, Money, Plan, Policy, PolicyOverride};
use crate::source::{SourceMap, Span};
use rust_decimal::Decimal;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A book read from disk: the rules, every entry, and where they came from.
#[derive(Debug)]
pub struct Loaded {
    /// The validated book.
    pub book: Book,
    /// The `credits.toml` read.
    pub book_path: PathBuf,
    /// Every file read (`credits.toml` is `FileId(0)`).
    pub sources: SourceMap,
    /// Every entry, `seq` in read order.
    pub entries: Vec<Entry>,
    /// The journals read, in order.
    pub journal_paths: Vec<PathBuf>,
    /// The journal new entries go to.
    pub write_target: PathBuf,
    /// Problems in the journals.
    pub problems: Vec<Diagnostic>,
}

/// Why a book could not be read.
#[derive(Debug)]
pub enum LoadError {
    /// No `credits.toml` in this folder or any above.
    NotFound {
        /// The folder the search started from.
        searched_from: PathBuf,
    },
    /// A file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        error: std::io::Error,
    },
    /// The book itself has problems.
    Book {
        /// The files read.
        sources: SourceMap,
        /// Every problem.
        problems: Vec<Diagnostic>,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::NotFound { searched_from } => write!(
                f,
                "no `credits.toml` found in `{}` or any folder above",
                searched_from.display()
            ),
            LoadError::Io { path, error } => write!(f, "cannot read `{}`: {error}", path.display()),
            LoadError::Book { problems, .. } => {
                write!(f, "{} problems in the book", problems.len())
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// The book `flag` names (a `credits.toml` or its folder), else the nearest `credits.toml`
/// from `cwd` up.
pub fn find_book(flag: Option<&Path>, cwd: &Path) -> Result<PathBuf, LoadError> {
    if let Some(flag) = flag {
        let path = cwd.join(flag);
        return Ok(if path.is_dir() {
            path.join("credits.toml")
        } else {
            path
        });
    }
    for dir in cwd.ancestors() {
        let candidate = dir.join("credits.toml");
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    Err(LoadError::NotFound {
        searched_from: cwd.to_path_buf(),
    })
}

/// Read the book at `book_path` and every journal it names.
pub fn load(book_path: &Path, cwd: &Path) -> Result<Loaded, LoadError> {
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|error| LoadError::Io {
            path: path.to_path_buf(),
            error,
        })
    };
    let text = read(book_path)?;
    let mut sources = SourceMap::default();
    let book_id = sources.add(shown(book_path, cwd), text.clone());
    let whole = Span::new(book_id, 0, 0);
    let table: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            let span = e
                .span()
                .map_or(whole, |r| Span::new(book_id, r.start, r.end));
            let problems = vec![Diagnostic::error(span, e.message().to_string())];
            return Err(LoadError::Book { sources, problems });
        }
    };
    let book = stub_book(&table, whole);
    let dir = book_path.parent().unwrap_or(Path::new("."));
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    let mut journal_paths = Vec::new();
    for (name, _) in &book.journals {
        let path = dir.join(name);
        let text = read(&path)?;
        let id = sources.add(shown(&path, cwd), text.clone());
        let parsed = crate::syntax::journal::parse(&text, id, book.unit_minutes);
        entries.extend(parsed.entries);
        problems.extend(parsed.diagnostics);
        journal_paths.push(path);
    }
    for (seq, e) in entries.iter_mut().enumerate() {
        e.seq = seq as u32;
    }
    let write_target = journal_paths
        .first()
        .cloned()
        .unwrap_or_else(|| dir.join("journal.credits"));
    Ok(Loaded {
        book,
        book_path: book_path.to_path_buf(),
        sources,
        entries,
        journal_paths,
        write_target,
        problems,
    })
}

fn shown(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}

fn stub_book(t: &toml::Table, span: Span) -> Book {
    let str_of = |tab: Option<&toml::Table>, k: &str| {
        tab.and_then(|x| x.get(k))
            .and_then(toml::Value::as_str)
            .map(str::to_string)
    };
    let b = t.get("book").and_then(toml::Value::as_table);
    let currency = str_of(b, "currency")
        .and_then(|c| Currency::from_code(&c))
        .unwrap_or(Currency(*b"USD"));
    let journals = b
        .and_then(|x| x.get("journals"))
        .and_then(toml::Value::as_array)
        .map_or_else(
            || vec![("journal.credits".to_string(), span)],
            |a| {
                a.iter()
                    .filter_map(|v| v.as_str())
                    .map(|s| (s.to_string(), span))
                    .collect()
            },
        );
    let unit_minutes = b
        .and_then(|x| x.get("unit_minutes"))
        .and_then(toml::Value::as_integer)
        .map_or(Decimal::from(60), Decimal::from);
    let tables = |k: &str| {
        t.get(k)
            .and_then(toml::Value::as_table)
            .map_or_else(Vec::new, |x| {
                x.iter()
                    .filter_map(|(n, v)| Some((n.clone(), v.as_table()?)))
                    .collect()
            })
    };
    let plans = tables("plans")
        .into_iter()
        .map(|(name, _)| {
            let plan = Plan {
                name: name.clone(),
                discount: Decimal::ZERO,
                monthly: None,
                monthly_expires: crate::model::GrantLapse::MonthEnd,
                covered: Vec::new(),
                policy: PolicyOverride::default(),
                span,
            };
            (name, plan)
        })
        .collect();
    let clients = tables("clients")
        .into_iter()
        .map(|(id, c)| {
            let client = Client {
                id: id.clone(),
                name: str_of(Some(c), "name").unwrap_or_else(|| id.clone()),
                currency: str_of(Some(c), "currency").and_then(|x| Currency::from_code(&x)),
                rate: str_of(Some(c), "rate")
                    .and_then(|r| Decimal::from_str(&r).ok())
                    .map(|amount| Money {
                        amount,
                        currency: None,
                    }),
                email: str_of(Some(c), "email"),
                dirs: Vec::new(),
                policy: PolicyOverride::default(),
                span,
            };
            (id, client)
        })
        .collect();
    Book {
        name: str_of(b, "name").unwrap_or_default(),
        unit: str_of(b, "unit").unwrap_or_else(|| "credit".to_string()),
        unit_minutes,
        currency,
        journals,
        policy: Policy::default(),
        plans,
        packages: std::collections::BTreeMap::new(),
        tasks: std::collections::BTreeMap::new(),
        clients,
    }
}
