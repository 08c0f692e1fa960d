//! The user configuration, `$XDG_CONFIG_HOME/credits/config.toml` (by default
//! `~/.config/credits/config.toml`): the books `credits` may use from any folder.
//!
//! ```toml
//! books = ["~/books/studio", "~/books/side-projects"]
//! ```
//!
//! Each entry is a `credits.toml` or the folder that holds it; `~` is the home folder, and a
//! relative path is from the configuration's folder. The `cli` gathers the environment
//! (`XDG_CONFIG_HOME`, `HOME`) into a [`Place`]; the file is read here, and only when the
//! book is not found otherwise ([`super::find::discover`]). A problem in it is shown at its
//! line, like a problem in `credits.toml`.

use super::LoadError;
use super::files::{decode, read_whole};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceMap, Span};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Where the user configuration is, and the home folder (for `~`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    /// The configuration file; `None` when neither `XDG_CONFIG_HOME` nor `HOME` is set.
    pub file: Option<PathBuf>,
    /// The home folder.
    pub home: Option<PathBuf>,
}

impl Place {
    /// The configuration file for `XDG_CONFIG_HOME` and `HOME` as the environment gives them
    /// (an empty or relative `XDG_CONFIG_HOME` is ignored, as the XDG rules say).
    #[must_use]
    pub fn from_env(
        xdg_config_home: Option<&std::ffi::OsStr>,
        home: Option<&std::ffi::OsStr>,
    ) -> Place {
        let home = home.filter(|h| !h.is_empty()).map(PathBuf::from);
        let base = xdg_config_home
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| home.as_ref().map(|h| h.join(".config")));
        Place {
            file: base.map(|b| b.join("credits").join("config.toml")),
            home,
        }
    }
}

/// One configured book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Configured {
    /// Its `credits.toml` (absolute when the configuration's path is).
    pub path: PathBuf,
    /// As written in the configuration.
    pub written: String,
    /// Where it is written: the configuration as `FileId(0)` of [`Config::sources`].
    pub span: Span,
}

/// The user configuration, read.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The configuration file as `FileId(0)`, for messages at its lines.
    pub sources: SourceMap,
    /// `books`, in order.
    pub books: Vec<Configured>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    books: Vec<Spanned<String>>,
}

/// `path` with a leading `~` made the home folder.
#[must_use]
pub fn expand_home(path: &str, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix('~'), home) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with('/') => {
            home.join(rest.trim_start_matches('/'))
        }
        _ => PathBuf::from(path),
    }
}

/// `path` as the user writes it: `~/…` when under the home folder.
#[must_use]
pub fn tilde(path: &Path, home: Option<&Path>) -> String {
    match home.and_then(|h| path.strip_prefix(h).ok()) {
        Some(rest) if rest.as_os_str().is_empty() => "~".to_string(),
        Some(rest) => format!("~/{}", rest.display()),
        None => path.display().to_string(),
    }
}

/// Read the configuration at `place` (`cwd` for naming it in messages). `Ok(None)` when there
/// is none.
///
/// # Errors
///
/// [`LoadError::Io`] when it cannot be read; [`LoadError::Book`] (with the configuration as
/// its source) when it is not a valid configuration.
pub fn read(place: &Place, cwd: &Path) -> Result<Option<Config>, LoadError> {
    let Some(file) = &place.file else {
        return Ok(None);
    };
    let bytes = match read_whole(file) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(LoadError::Io {
                path: file.clone(),
                what: "user configuration",
                error,
            });
        }
    };
    let name = super::find::display(file, cwd);
    let (text, bad) = decode(bytes);
    let mut sources = SourceMap::default();
    let id = sources.add(name.clone(), text);
    if let Some(pos) = bad {
        let problems = vec![super::files::not_utf8(id, &name, pos)];
        return Err(LoadError::Book { sources, problems });
    }
    let text = &sources.file(id).text;
    match parse(
        text,
        id,
        file.parent().unwrap_or(Path::new("/")),
        place.home.as_deref(),
    ) {
        Ok(books) => Ok(Some(Config { sources, books })),
        Err(problems) => Err(LoadError::Book { sources, problems }),
    }
}

/// The books of a configuration `text` (`file` in spans), relative paths from `dir`.
fn parse(
    text: &str,
    file: FileId,
    dir: &Path,
    home: Option<&Path>,
) -> Result<Vec<Configured>, Vec<Diagnostic>> {
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim_end().trim_end_matches('.').to_string();
        let message = message.lines().next().unwrap_or_default().to_string();
        vec![
            Diagnostic::error(Span::new(file, span.start, span.end), message)
                .with_help("the configuration holds `books = [\"~/books/studio\", ...]`"),
        ]
    })?;
    let mut problems = Vec::new();
    let mut books = Vec::new();
    for b in raw.books {
        let span = Span::new(file, b.span().start, b.span().end);
        let written = b.into_inner();
        if written.trim().is_empty() {
            problems.push(
                Diagnostic::error(span, "a book in `books` is empty")
                    .with_help("write the folder of a book, such as `\"~/books/studio\"`"),
            );
            continue;
        }
        let path = super::find::absolute(dir, &expand_home(&written, home));
        books.push(Configured {
            path,
            written,
            span,
        });
    }
    if problems.is_empty() {
        Ok(books)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configuration_is_under_xdg_config_home_else_home() {
        let p = Place::from_env(Some("/x".as_ref()), Some("/home/me".as_ref()));
        assert_eq!(p.file, Some(PathBuf::from("/x/credits/config.toml")));
        let p = Place::from_env(None, Some("/home/me".as_ref()));
        assert_eq!(
            p.file,
            Some(PathBuf::from("/home/me/.config/credits/config.toml"))
        );
        let p = Place::from_env(Some("relative".as_ref()), Some("/home/me".as_ref()));
        assert_eq!(
            p.file,
            Some(PathBuf::from("/home/me/.config/credits/config.toml"))
        );
        assert_eq!(Place::from_env(None, None).file, None);
    }

    #[test]
    fn books_expand_the_home_folder_and_read_relative_paths_from_the_configuration() {
        let home = Path::new("/home/me");
        let books = parse(
            "books = [\"~/books/studio\", \"side\", \"/abs/book\"]\n",
            FileId(0),
            Path::new("/cfg"),
            Some(home),
        )
        .unwrap();
        let paths: Vec<_> = books.iter().map(|b| b.path.clone()).collect();
        assert_eq!(
            paths,
            [
                PathBuf::from("/home/me/books/studio"),
                PathBuf::from("/cfg/side"),
                PathBuf::from("/abs/book")
            ]
        );
        assert_eq!(books[0].written, "~/books/studio");
    }

    #[test]
    fn a_bad_configuration_is_an_error_at_its_place() {
        let text = "books = [\"a\"]\nbook = 3\n";
        let problems = parse(text, FileId(0), Path::new("/"), None).unwrap_err();
        let span = problems[0].span.unwrap();
        assert!(
            text[span.start as usize..].starts_with("book"),
            "{problems:?}"
        );
        let problems = parse("books = \"a\"\n", FileId(0), Path::new("/"), None).unwrap_err();
        assert!(problems[0].span.is_some());
        let problems = parse("books = [\"\"]\n", FileId(0), Path::new("/"), None).unwrap_err();
        assert_eq!(problems[0].message, "a book in `books` is empty");
    }
}
