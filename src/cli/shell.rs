//! `credits completions SHELL` and `credits man`: both generated from the clap definitions, so
//! they cannot drift from the commands.

use super::{Context, os};
use clap::Args;
use clap_complete::Shell;
use std::process::ExitCode;

/// Print a completion script for a shell
///
/// Examples:
///
///   credits completions bash > ~/.local/share/bash-completion/completions/credits
///   credits completions zsh > ~/.zfunc/_credits
///   credits completions fish > ~/.config/fish/completions/credits.fish
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Print the manual page, or write every page to a folder
///
/// Alone, prints `credits.1` (roff). With `--out DIR`, writes `credits.1`, one
/// `credits-COMMAND.1` per command, `credits-journal.5` (the journal format) and
/// `credits-book.5` (the keys of `credits.toml`) into DIR, creating it.
///
/// Examples:
///
///   credits man | man -l -
///   credits man --out ~/.local/share/man/man1
///   credits man --out /tmp/credits-man && man -l /tmp/credits-man/credits-book.5
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ManArgs {
    /// Write every page into this folder (created if missing) instead of printing `credits.1`
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,
}

/// Run `credits completions`.
pub fn completions(args: &CompletionsArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    ctx.print(&super::complete::script(args.shell))?;
    Ok(ExitCode::SUCCESS)
}

/// Run `credits man`: print `credits.1`, or write every page into `--out`.
pub fn man(args: &ManArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let pages = super::man::pages()?;
    let Some(dir) = &args.out else {
        let first = pages.first().map_or("", |p| p.text.as_str());
        ctx.print(first)?;
        return Ok(ExitCode::SUCCESS);
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| os::fail("create the folder", &dir.display().to_string(), &e))?;
    let mut written = String::new();
    for page in &pages {
        let path = dir.join(&page.file);
        std::fs::write(&path, &page.text)
            .map_err(|e| os::fail("write", &path.display().to_string(), &e))?;
        written.push_str(&path.display().to_string());
        written.push('\n');
    }
    ctx.print(&written)?;
    Ok(ExitCode::SUCCESS)
}
