//! `credits init [DIR]`: a new book.

use super::{Context, Fail, git, os};
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::load::config::tilde;
use crate::source::SourceMap;
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Start a book: a commented `credits.toml`, an empty journal, `.gitattributes`, `.gitignore`
///
/// The `.gitattributes` holds `*.credits merge=credits`: git merges journals with
/// `credits merge`, which keeps the lines both sides added and stops on a line both sides
/// changed. Inside a git repository (or with `--git`), `init` also sets the driver up in the
/// repository's config (`merge.credits.name`, `merge.credits.driver`). The `.gitignore` keeps
/// `credits`' own state files (the running timer, the undo record) out of the repository.
/// An existing `.gitattributes` or `.gitignore` gets the missing lines appended; refuses to
/// overwrite `credits.toml` or the journal.
///
/// Examples:
///
///   credits init --git ~/books/studio
///   credits init                  in the current folder
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct InitArgs {
    /// The folder (created when missing) [default: the current folder]
    pub dir: Option<PathBuf>,

    /// Run `git init` in the folder first
    #[arg(long)]
    pub git: bool,
}

/// The `credits.toml` that `init` writes.
pub const BOOK: &str = r#"# The book: the rules that do not change from day to day. Every key, with its
# default, is in the manual page credits-book(5) (`credits man --out DIR` writes it);
# `credits help` lists the commands and `credits help COMMAND` explains one.
# Entries (purchases, work, debits...) go in the journals, one dated line each.

[book]
name = "My consulting business"
unit = "credit"                # the singular name used in output
unit_minutes = 60              # minutes in one unit
currency = "USD"
journals = ["journal.credits"] # relative to this file; globs allowed; new entries go to the first
# issuer = """                  # heads every statement: your name and address, one line each
# My consulting business
# 1 Main Street, Springfield
# """
# email = "billing@example.com"  # shown under the issuer
# footer = "Payment within 14 days. Thank you!"   # closes every statement

[policy]                       # the defaults: a plan, then a client, may override any key
debit = "accumulate"           # accumulate | exact | round-up
round_to = "15m"               # round-up: a log is rounded up to a multiple of this
order = "fifo"                 # fifo | expiring-first: the order lots are used in
expires = "never"              # never | a span such as "90d", "12mo"
refund_days = 30               # unused time of a lot is refundable this many days
overdraft = "bill"             # bill | carry | deny
# unit_price = "140"           # price of one unit when a buy names no price and no package
warn_days = 30                 # expiry warnings this far ahead
# low_balance = "2h"           # warn when a balance falls below this
# minimum = "30m"              # a log with time to charge is charged at least this

# [[policy.expiry_tiers]]      # expiry by quantity bought: the largest `from` <= qty wins
# from = "0h"
# expires = "12mo"
# [[policy.expiry_tiers]]
# from = "40h"
# expires = "24mo"

# [plans.care]
# discount = "30%"             # off package prices and unit_price
# monthly = "3h"               # included time granted every month
# monthly_expires = "month"    # "month" or a span such as "90d"
# covered = ["support"]        # logs with these tags are never debited
# rollover = "1h"              # unused included time carried into the next month

# [packages]                   # credits buy acme five
# five = { units = 5, price = "600" }
# ten = { units = 10, price = "1100", expires = "12mo" }

# [tasks]                      # standard costs for `credits debit` and `credits quote`
# banner = { units = 1, title = "Design a new web banner" }

# [clients.acme]
# name = "Acme Corp"
# rate = "150"                 # hourly rate overage is billed at
# email = "ops@acme.example"
# dirs = ["~/work/acme-site"]  # `credits log 15m` inside these folders logs for acme
"#;

/// The lines `init` writes in `.gitattributes`.
pub const GITATTRIBUTES: &[&str] = &[git::ATTRIBUTE];

/// The lines `init` writes in `.gitignore`: `credits`' own state files beside the book.
pub const GITIGNORE: &[&str] = &[
    ".credits-timer",
    ".credits-timer.tmp",
    ".credits-undo",
    ".credits-undo.tmp",
];

/// Run `credits init`.
pub fn run(args: &InitArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let dir = match &args.dir {
        Some(d) if d.is_absolute() => d.clone(),
        Some(d) => ctx.cwd.join(d),
        None => ctx.cwd.clone(),
    };
    let files: [(&str, &str); 2] = [("credits.toml", BOOK), ("journal.credits", "")];
    let taken: Vec<String> = files
        .iter()
        .filter(|(name, _)| dir.join(name).symlink_metadata().is_ok())
        .map(|(name, _)| format!("`{name}`"))
        .collect();
    if !taken.is_empty() {
        return Err(Fail::request(
            format!(
                "`{}` already has {}: nothing was written",
                shown(&dir, &ctx.cwd),
                taken.join(", ")
            ),
            Some("choose an empty folder, or move those files away".into()),
        )
        .into());
    }
    let fail =
        |what: &str, path: &Path, e: &std::io::Error| os::fail(what, &os::shown(path, &ctx.cwd), e);
    std::fs::create_dir_all(&dir).map_err(|e| fail("create the folder", &dir, &e))?;
    let mut done = Vec::new();
    if args.git {
        git::run_git(&dir, &["init", "--quiet"]).map_err(|e| {
            Fail::request(
                e,
                Some("install git, or run `credits init` without `--git`".into()),
            )
        })?;
        done.push("initialised a git repository".to_string());
    }
    // The book and its journal or nothing: a file created before a failure is removed again,
    // so that `init` can simply be run again.
    let mut made = Vec::new();
    let written = files
        .iter()
        .try_for_each(|(name, text)| {
            let path = dir.join(name);
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .map_err(|e| fail("create", &path, &e))?;
            made.push(path.clone());
            std::io::Write::write_all(&mut f, text.as_bytes())
                .and_then(|()| f.sync_all())
                .map_err(|e| fail("write", &path, &e))
        })
        .and_then(|()| {
            [(".gitattributes", GITATTRIBUTES), (".gitignore", GITIGNORE)]
                .iter()
                .try_for_each(|(name, lines)| {
                    let path = dir.join(name);
                    complete(&path, lines).map_err(|(what, e)| fail(what, &path, &e))
                })
        });
    if let Err(failed) = written {
        for p in &made {
            let _ = std::fs::remove_file(p);
        }
        return Err(failed.into());
    }
    if git::repo_root(&dir).is_some() {
        match git::set_up_driver(&dir) {
            Ok(()) => done.push(format!(
                "set up the `credits` merge driver in the repository's git config: `{}`",
                git::DRIVER
            )),
            Err(e) if !ctx.quiet => {
                let d = Diagnostic {
                    severity: Severity::Warning,
                    message: format!("{e}: the merge driver is not set up"),
                    span: None,
                    help: Some(format!("run {}", git::setup_commands())),
                };
                let _ = std::io::Write::write_all(
                    &mut std::io::stderr().lock(),
                    diagnostic::render(&d, &SourceMap::default(), ctx.color_err).as_bytes(),
                );
            }
            Err(_) => {}
        }
    }
    if !ctx.quiet {
        let mut text = format!(
            "wrote credits.toml, journal.credits, .gitattributes and .gitignore in {}\n",
            shown(&dir, &ctx.cwd)
        );
        for line in done {
            text.push_str(&line);
            text.push('\n');
        }
        text.push_str(
            "next: add a client to credits.toml, then `credits buy CLIENT 10h --price 120`\n",
        );
        if let Some(config) = &ctx.config.file {
            text.push_str(&config_line(&dir, config, ctx.config.home.as_deref()));
        }
        ctx.print(&text)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What `init` says about the user configuration: the line that lets `credits` find the book
/// at `dir` from any folder (it does not edit the configuration itself).
fn config_line(dir: &Path, config: &Path, home: Option<&Path>) -> String {
    let book = crate::load::find::absolute(dir, Path::new("."));
    let quoted = serde_json::to_string(&tilde(&book, home)).unwrap_or_default();
    format!(
        "to use this book from any folder, add it to {}:\n  books = [{quoted}]\n",
        tilde(config, home)
    )
}

/// Create `path` with `lines`, or append to it those of `lines` it lacks. On failure, the
/// operation and the error.
fn complete(path: &Path, lines: &[&str]) -> Result<(), (&'static str, std::io::Error)> {
    let old = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(("read", e)),
    };
    let have: Vec<&str> = old.lines().map(str::trim).collect();
    let mut add = String::new();
    if !old.is_empty() && !old.ends_with('\n') {
        add.push('\n');
    }
    let missing: Vec<&&str> = lines.iter().filter(|l| !have.contains(l)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    for line in missing {
        add.push_str(line);
        add.push('\n');
    }
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| ("write", e))?;
    std::io::Write::write_all(&mut f, add.as_bytes()).map_err(|e| ("write", e))
}

fn shown(dir: &Path, cwd: &Path) -> String {
    match dir.strip_prefix(cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        Ok(_) => ".".to_string(),
        Err(_) => dir.display().to_string(),
    }
}
