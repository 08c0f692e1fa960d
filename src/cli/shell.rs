//! `credits completions SHELL` and `credits man`: both generated from the clap definitions, so
//! they cannot drift from the commands.

use super::{Cli, Context};
use clap::{Args, CommandFactory};
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

/// Print the manual page (roff)
///
/// Examples:
///
///   credits man > ~/.local/share/man/man1/credits.1
///   credits man | man -l -
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ManArgs {}

/// Run `credits completions`.
pub fn completions(args: &CompletionsArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "credits", &mut out);
    ctx.print(&String::from_utf8_lossy(&out))?;
    Ok(ExitCode::SUCCESS)
}

/// Run `credits man`.
pub fn man(_args: &ManArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    ctx.print(&String::from_utf8_lossy(&out))?;
    Ok(ExitCode::SUCCESS)
}
