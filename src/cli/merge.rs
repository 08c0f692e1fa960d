//! `credits merge BASE OURS THEIRS [PATH]`: the git merge driver for journals.
//!
//! Reads the three versions, merges them with [`crate::merge::merge`] (pure) and writes the
//! result over OURS, as git asks of a merge driver.

use super::{Context, os};
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::source::SourceMap;
use clap::Args;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Merge two versions of a journal line by line: git's merge driver for journals
///
/// Git runs it as `credits merge %O %A %B %P` and reads the result from OURS. Lines added on
/// either side are all kept (ours first when both added at the same place); a line changed or
/// deleted on one side takes that change; identical changes are taken once. A line changed
/// differently on both sides is a conflict: both versions are written between git's markers
/// and the exit code is 1. Exit 0 when the merge is clean.
///
/// `credits init` sets it up; by hand, in the repository:
///
///   echo '*.credits merge=credits' >> .gitattributes
///   git config merge.credits.name "credits journal merge"
///   git config merge.credits.driver "credits merge %O %A %B %P"
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct MergeArgs {
    /// The common ancestor's version (git's `%O`)
    pub base: PathBuf,
    /// Our version (`%A`): the result is written over it
    pub ours: PathBuf,
    /// Their version (`%B`)
    pub theirs: PathBuf,
    /// The journal's path in the repository (`%P`), written after the conflict markers
    pub path: Option<String>,
}

/// Run `credits merge`.
pub fn run(args: &MergeArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|e| os::fail("read", &os::shown(path, &ctx.cwd), &e))
    };
    let base = read(&args.base)?;
    let ours = read(&args.ours)?;
    let theirs = read(&args.theirs)?;
    let (ours_label, theirs_label) = match &args.path {
        Some(p) => (format!("ours:{p}"), format!("theirs:{p}")),
        None => ("ours".to_string(), "theirs".to_string()),
    };
    let labels = crate::merge::Labels {
        ours: &ours_label,
        theirs: &theirs_label,
    };
    let merged = crate::merge::merge(&base, &ours, &theirs, labels);
    // Written beside OURS, then renamed over it: a failed write leaves OURS as it was.
    let mut tmp = args.ours.clone().into_os_string();
    tmp.push(".credits-merge");
    let tmp = PathBuf::from(tmp);
    let written =
        std::fs::write(&tmp, &merged.text).and_then(|()| std::fs::rename(&tmp, &args.ours));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(os::fail("write", &os::shown(&args.ours, &ctx.cwd), &e).into());
    }
    if merged.conflicts == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    if !ctx.quiet {
        let name = args
            .path
            .clone()
            .unwrap_or_else(|| args.ours.display().to_string());
        let n = merged.conflicts;
        let d = Diagnostic {
            severity: Severity::Warning,
            message: format!(
                "{n} conflict{} in `{name}`: lines changed differently on both sides",
                if n == 1 { "" } else { "s" }
            ),
            span: None,
            help: Some(
                "keep the right lines between `<<<<<<<` and `>>>>>>>`, delete the markers, \
                 then run `credits check`"
                    .to_string(),
            ),
        };
        let _ = std::io::stderr()
            .lock()
            .write_all(diagnostic::render(&d, &SourceMap::default(), ctx.color_err).as_bytes());
    }
    Ok(ExitCode::from(1))
}
