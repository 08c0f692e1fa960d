//! Who a command is for when it names no client (SPEC §5, §7.20), in this order: `--client`,
//! then `CREDITS_CLIENT` (an empty one names nobody), then the client whose `dirs` hold the current folder (the deepest
//! match wins: a folder listed for one client inside a folder listed for another is the
//! first's), then the book's only client. Else there is no answer, and the command lists the
//! clients.
//!
//! A `dirs` entry is a path: `~` is the home folder, a relative path is from the book's folder.
//! Paths are compared as they are given, after `canonical` (the `cli` passes one that resolves
//! symbolic links on the disk; tests pass the path unchanged).

use crate::model::Client;
use std::path::{Path, PathBuf};

/// What decides the client, gathered by the caller.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// `--client` (clap fills it from `CREDITS_CLIENT` too); an empty value is no value.
    pub flag: Option<&'a str>,
    /// `CREDITS_CLIENT` (an empty value is no value).
    pub env: Option<&'a str>,
    /// The current folder.
    pub cwd: &'a Path,
    /// The home folder, for `~` in `dirs`.
    pub home: Option<&'a Path>,
    /// The folder of `credits.toml`, for relative `dirs`.
    pub book_dir: &'a Path,
}

/// No client was named and none was found: the command lists the book's clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoClient;

/// The client `inputs` and `clients` (the book's, in id order) give, by the order above.
/// `canonical` makes a path comparable (symbolic links resolved), applied to the current
/// folder and to every `dirs` entry.
///
/// # Errors
///
/// [`NoClient`] when nothing names one and the book has not exactly one client.
pub fn resolve<'c>(
    inputs: &Inputs<'_>,
    clients: impl IntoIterator<Item = &'c Client> + Clone,
    canonical: impl Fn(PathBuf) -> PathBuf,
) -> Result<String, NoClient> {
    let named = [inputs.flag, inputs.env]
        .into_iter()
        .flatten()
        .find(|v| !v.is_empty());
    if let Some(named) = named {
        return Ok(named.to_string());
    }
    let cwd = canonical(inputs.cwd.to_path_buf());
    let mut best: Option<(usize, &str)> = None;
    for c in clients.clone() {
        for d in &c.dirs {
            let path = canonical(expand_dir(d, inputs.home, inputs.book_dir));
            if cwd.starts_with(&path) {
                let depth = path.components().count();
                if best.is_none_or(|(b, _)| depth > b) {
                    best = Some((depth, &c.id));
                }
            }
        }
    }
    if let Some((_, id)) = best {
        return Ok(id.to_string());
    }
    let mut all = clients.into_iter();
    match (all.next(), all.next()) {
        (Some(only), None) => Ok(only.id.clone()),
        _ => Err(NoClient),
    }
}

/// A `dirs` entry as a path: `~` is the home folder; a relative path is from the book's folder.
#[must_use]
pub fn expand_dir(d: &str, home: Option<&Path>, book_dir: &Path) -> PathBuf {
    let p = match (d.strip_prefix('~'), home) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with('/') => {
            home.join(rest.trim_start_matches('/'))
        }
        _ => PathBuf::from(d),
    };
    if p.is_absolute() { p } else { book_dir.join(p) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(id: &str, dirs: &[&str]) -> Client {
        Client {
            id: id.to_string(),
            name: id.to_string(),
            currency: None,
            rate: None,
            email: None,
            dirs: dirs.iter().map(|d| (*d).to_string()).collect(),
            policy: crate::model::PolicyOverride::default(),
            span: crate::source::Span::default(),
        }
    }

    fn inputs<'a>(flag: Option<&'a str>, env: Option<&'a str>, cwd: &'a str) -> Inputs<'a> {
        Inputs {
            flag,
            env,
            cwd: Path::new(cwd),
            home: Some(Path::new("/home/jane")),
            book_dir: Path::new("/books/studio"),
        }
    }

    fn resolved(inputs: &Inputs<'_>, clients: &[Client]) -> Result<String, NoClient> {
        resolve(inputs, clients, |p| p)
    }

    #[test]
    fn the_flag_comes_first_then_the_variable() {
        let clients = [client("acme", &["/work"]), client("be", &[])];
        let here = "/work";
        assert_eq!(
            resolved(&inputs(Some("x"), Some("y"), here), &clients),
            Ok("x".into())
        );
        assert_eq!(
            resolved(&inputs(None, Some("y"), here), &clients),
            Ok("y".into())
        );
        // An empty value names nobody: the folder decides.
        assert_eq!(
            resolved(&inputs(None, Some(""), here), &clients),
            Ok("acme".into())
        );
        assert_eq!(
            resolved(&inputs(Some(""), Some(""), here), &clients),
            Ok("acme".into())
        );
    }

    #[test]
    fn the_deepest_dirs_holding_the_current_folder_wins() {
        let clients = [
            client("acme", &["/work", "~/elsewhere"]),
            client("be", &["/work/be"]),
            client("cy", &["sites/cy"]),
        ];
        let at = |cwd| resolved(&inputs(None, None, cwd), &clients);
        assert_eq!(at("/work/be/src"), Ok("be".into()));
        assert_eq!(at("/work/other"), Ok("acme".into()));
        assert_eq!(at("/home/jane/elsewhere/x"), Ok("acme".into()));
        assert_eq!(at("/books/studio/sites/cy"), Ok("cy".into()));
        // `/work/bee` is not inside `/work/be`: paths match by whole folders.
        assert_eq!(at("/work/bee"), Ok("acme".into()));
        assert_eq!(at("/tmp"), Err(NoClient));
    }

    #[test]
    fn the_only_client_is_the_last_resort_and_none_or_many_is_no_answer() {
        let one = [client("acme", &["/work"])];
        assert_eq!(
            resolved(&inputs(None, None, "/tmp"), &one),
            Ok("acme".into())
        );
        assert_eq!(resolved(&inputs(None, None, "/tmp"), &[]), Err(NoClient));
    }

    #[test]
    fn links_are_compared_as_canonical_resolves_them() {
        let clients = [client("acme", &["/link"]), client("be", &[])];
        let canonical = |p: PathBuf| match p.strip_prefix("/link") {
            Ok(rest) => Path::new("/real").join(rest),
            Err(_) => p,
        };
        let got = resolve(&inputs(None, None, "/real/x"), &clients, canonical);
        assert_eq!(got, Ok("acme".into()));
    }

    #[test]
    fn dirs_expand_the_home_folder_and_read_relative_paths_from_the_book() {
        let home = Path::new("/home/jane");
        let book = Path::new("/books/studio");
        assert_eq!(
            expand_dir("~/work/acme", Some(home), book),
            Path::new("/home/jane/work/acme")
        );
        assert_eq!(expand_dir("~", Some(home), book), home);
        assert_eq!(
            expand_dir("sites/acme", Some(home), book),
            Path::new("/books/studio/sites/acme")
        );
        assert_eq!(expand_dir("/srv/x", Some(home), book), Path::new("/srv/x"));
    }
}
