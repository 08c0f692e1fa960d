//! What `credits` knows of git: the `merge` attributes `.gitattributes` gives journals, the
//! repository a book lives in, and the setup of the `credits` merge driver.
//!
//! Git is optional: a missing `git` never fails a command (only `init --git`, which asks for
//! it). `git` is run only when `.gitattributes` names the `credits` driver, or by `init`.

use super::Context;
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::source::{SourceMap, Span};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The attribute line `init` writes in `.gitattributes`.
pub const ATTRIBUTE: &str = "*.credits merge=credits";
/// `merge.credits.name`: what git calls the driver.
pub const DRIVER_NAME: &str = "credits journal merge";
/// `merge.credits.driver`: the command git runs (`credits` on `PATH`).
pub const DRIVER: &str = "credits merge %O %A %B %P";

/// The two `git config` commands that set the driver up, in backticks, for help lines.
#[must_use]
pub fn setup_commands() -> String {
    format!(
        "`git config merge.credits.name \"{DRIVER_NAME}\"` and \
         `git config merge.credits.driver \"{DRIVER}\"`"
    )
}

/// The root of the git work tree that holds `dir` (the nearest folder with a `.git`).
#[must_use]
pub fn repo_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").symlink_metadata().is_ok())
        .map(Path::to_path_buf)
}

/// A `merge` attribute set on a line of a `.gitattributes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeAttr<'a> {
    /// The line's pattern (`*.credits`).
    pub pattern: &'a str,
    /// The driver: `union`, `credits`, `text` for a bare `merge`, `binary` for `-merge`, or
    /// empty for `!merge` (unspecified).
    pub value: &'a str,
    /// The attribute's bytes in the file.
    pub at: std::ops::Range<usize>,
}

/// Every `merge` attribute in the text of a `.gitattributes`, in file order (a later one
/// wins).
#[must_use]
pub fn merge_attrs(text: &str) -> Vec<MergeAttr<'_>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let mut words = words(line).into_iter();
        let Some((_, pattern)) = words.next() else {
            continue;
        };
        if pattern.starts_with('#') || pattern.starts_with('"') {
            continue;
        }
        for (at, word) in words {
            let value = match word {
                "merge" => "text",
                "-merge" => "binary",
                "!merge" => "",
                w => match w.strip_prefix("merge=") {
                    Some(v) => v,
                    None => continue,
                },
            };
            out.push(MergeAttr {
                pattern,
                value,
                at: start + at..start + at + word.len(),
            });
        }
    }
    out
}

/// The whitespace-separated words of a line, with their byte offsets.
fn words(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut begin = None;
    for (i, c) in line.char_indices().chain([(line.len(), ' ')]) {
        match (c.is_whitespace(), begin) {
            (true, Some(b)) => {
                out.push((b, &line[b..i]));
                begin = None;
            }
            (false, None) => begin = Some(i),
            _ => {}
        }
    }
    out
}

/// Whether a `.gitattributes` pattern in folder `dir` applies to the file `path`: a pattern
/// without `/` matches the file name at any depth, one with `/` the path from `dir`.
#[must_use]
pub fn matches(pattern: &str, dir: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(dir) else {
        return false;
    };
    if pattern.ends_with('/') {
        return false;
    }
    let opts = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: false,
    };
    let (pattern, subject) = if pattern.contains('/') {
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        (pattern.trim_start_matches('/'), rel.join("/"))
    } else {
        let name = rel.file_name().map(|n| n.to_string_lossy().into_owned());
        (pattern, name.unwrap_or_default())
    };
    glob::Pattern::new(pattern).is_ok_and(|p| p.matches_with(&subject, opts))
}

/// Every `.gitattributes` that applies in `dir`, shallowest first: from the repository's root
/// down to `dir`, or `dir`'s own outside a repository. Unreadable files are skipped.
#[must_use]
pub fn attribute_files(dir: &Path) -> Vec<(PathBuf, String)> {
    let root = repo_root(dir);
    let mut dirs: Vec<&Path> = Vec::new();
    for d in dir.ancestors() {
        dirs.push(d);
        if root.as_deref().is_none_or(|r| r == d) {
            break;
        }
    }
    dirs.iter()
        .rev()
        .filter_map(|d| {
            let path = d.join(".gitattributes");
            let text = std::fs::read_to_string(&path).ok()?;
            Some((path, text))
        })
        .collect()
}

/// A `merge` attribute: the index of its file and its bytes there.
type AttrAt = (usize, std::ops::Range<usize>);

/// A `check` warning for each `.gitattributes` line that leaves a journal merged with
/// `merge=union`, which keeps both versions of a line two people changed (one entry then
/// counts twice). The warnings point into the returned map's files.
#[must_use]
pub fn union_warnings(journals: &[PathBuf], cwd: &Path) -> (SourceMap, Vec<Diagnostic>) {
    let mut map = SourceMap::default();
    let mut ids: Vec<PathBuf> = Vec::new();
    // (file, attribute) → the journals it applies to.
    let mut hits: Vec<(AttrAt, Vec<String>)> = Vec::new();
    for journal in journals {
        let Some(dir) = journal.parent() else {
            continue;
        };
        let files = attribute_files(dir);
        let mut last = None;
        for (path, text) in &files {
            let folder = path.parent().unwrap_or(Path::new(""));
            for attr in merge_attrs(text) {
                if matches(attr.pattern, folder, journal) {
                    last = Some((path, text, attr.value == "union", attr.at));
                }
            }
        }
        let Some((path, text, true, at)) = last else {
            continue;
        };
        let id = ids.iter().position(|p| p == path).unwrap_or_else(|| {
            ids.push(path.clone());
            map.add(shown(path, cwd), text.clone());
            ids.len() - 1
        });
        let name = format!("`{}`", shown(journal, cwd));
        match hits.iter_mut().find(|(key, _)| *key == (id, at.clone())) {
            Some((_, names)) => names.push(name),
            None => hits.push(((id, at), vec![name])),
        }
    }
    let warnings = hits
        .into_iter()
        .map(|((id, at), names)| {
            let file = crate::source::FileId(id as u32);
            Diagnostic {
                severity: Severity::Warning,
                message: format!(
                    "{} merged with `merge=union`, which keeps both versions of a line \
                     changed on two sides: one entry would count twice",
                    if names.len() == 1 {
                        format!("journal {} is", names[0])
                    } else {
                        format!("journals {} are", names.join(", "))
                    }
                ),
                span: Some(Span::new(file, at.start, at.end)),
                help: Some(format!(
                    "write `{ATTRIBUTE}` instead, then run {}",
                    setup_commands()
                )),
            }
        })
        .collect();
    (map, warnings)
}

/// `path` relative to `cwd` where it is inside it.
fn shown(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}

/// Print one hint on stderr when the book's repository names the `credits` driver in its
/// `.gitattributes` but its git config does not define `merge.credits.driver` (git would then
/// merge journals with its own text merge). Quiet under `-q`, outside a repository, and
/// when `git` cannot run.
pub fn hint(ctx: &Context) {
    if ctx.quiet {
        return;
    }
    let Ok(book) = crate::load::discover(ctx.file.as_deref(), &ctx.cwd, &ctx.config) else {
        return;
    };
    let Some(dir) = book.parent() else {
        return;
    };
    if repo_root(dir).is_none() {
        return;
    }
    let named = attribute_files(dir)
        .iter()
        .any(|(_, text)| merge_attrs(text).iter().any(|a| a.value == "credits"));
    if !named {
        return;
    }
    let status = Command::new("git")
        .args(["config", "--get", "merge.credits.driver"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    // 1: the key is not set. Anything else (set, git missing, not a repository) says nothing.
    if !status.is_ok_and(|s| s.code() == Some(1)) {
        return;
    }
    let d = Diagnostic {
        severity: Severity::Warning,
        message: "`.gitattributes` merges journals with the `credits` driver, but this \
                  repository's git config does not define it (git then merges them as text)"
            .to_string(),
        span: None,
        help: Some(format!("run {}", setup_commands())),
    };
    let _ = std::io::stderr()
        .lock()
        .write_all(diagnostic::render(&d, &SourceMap::default(), ctx.color_err).as_bytes());
}

/// Run `git ARGS` in `dir`; on failure, what went wrong in one line.
pub fn run_git(dir: &Path, args: &[&str]) -> Result<(), String> {
    let shown_args = args.join(" ");
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run `git {shown_args}`: {}", super::os::os_text(&e)))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let why = stderr.lines().next().unwrap_or("").trim();
    Err(format!("`git {shown_args}` failed: {why}"))
}

/// Set `merge.credits.name` and `merge.credits.driver` in the config of the repository that
/// holds `dir`.
pub fn set_up_driver(dir: &Path) -> Result<(), String> {
    run_git(dir, &["config", "merge.credits.name", DRIVER_NAME])?;
    run_git(dir, &["config", "merge.credits.driver", DRIVER])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_attributes_are_read_with_their_position() {
        let text =
            "# journals\n*.credits merge=union\r\n*.md  text  -merge\n\n/a/*.credits merge=credits";
        let attrs = merge_attrs(text);
        let values: Vec<(&str, &str)> = attrs.iter().map(|a| (a.pattern, a.value)).collect();
        assert_eq!(
            values,
            [
                ("*.credits", "union"),
                ("*.md", "binary"),
                ("/a/*.credits", "credits")
            ]
        );
        assert_eq!(&text[attrs[0].at.clone()], "merge=union");
        assert_eq!(&text[attrs[2].at.clone()], "merge=credits");
    }

    #[test]
    fn patterns_match_names_at_any_depth_and_paths_from_their_folder() {
        let dir = Path::new("/repo");
        let j = Path::new("/repo/books/journal.credits");
        assert!(matches("*.credits", dir, j));
        assert!(matches("journal.credits", dir, j));
        assert!(matches("books/*.credits", dir, j));
        assert!(matches("/books/journal.credits", dir, j));
        assert!(matches("**/*.credits", dir, j));
        assert!(!matches("/*.credits", dir, j));
        assert!(!matches("*.txt", dir, j));
        assert!(!matches("*.credits", Path::new("/other"), j));
    }
}
