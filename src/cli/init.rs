//! `credits init [DIR]`: a new book.

use super::{Context, Fail, os};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Start a book: a commented `credits.toml`, an empty journal and a `.gitattributes`
///
/// The `.gitattributes` holds `*.credits merge=union`: every entry is one line, so appends
/// made on two machines merge without conflicts. Refuses to overwrite any file.
///
/// Examples:
///
///   credits init ~/books/studio
///   credits init                  in the current folder
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct InitArgs {
    /// The folder (created when missing) [default: the current folder]
    pub dir: Option<PathBuf>,
}

/// The `credits.toml` that `init` writes.
pub const BOOK: &str = r#"# The book: the rules that do not change from day to day. SPEC.md describes every key.
# Entries (purchases, work, debits...) go in the journals, one dated line each.

[book]
name = "My consulting business"
unit = "credit"                # the singular name used in output
unit_minutes = 60              # minutes in one unit
currency = "USD"
journals = ["journal.credits"] # relative to this file; globs allowed; new entries go to the first

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

# [packages]                   # credits buy acme five
# five = { units = 5, price = "600" }

# [tasks]                      # standard costs for `credits debit` and `credits quote`
# banner = { units = 1, title = "Design a new web banner" }

# [clients.acme]
# name = "Acme Corp"
# rate = "150"                 # hourly rate overage is billed at
# email = "ops@acme.example"
# dirs = ["~/work/acme-site"]  # `credits log 15m` inside these folders logs for acme
"#;

/// The `.gitattributes` that `init` writes.
pub const GITATTRIBUTES: &str = "*.credits merge=union\n";

/// Run `credits init`.
pub fn run(args: &InitArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let dir = match &args.dir {
        Some(d) if d.is_absolute() => d.clone(),
        Some(d) => ctx.cwd.join(d),
        None => ctx.cwd.clone(),
    };
    let files: [(&str, &str); 3] = [
        ("credits.toml", BOOK),
        ("journal.credits", ""),
        (".gitattributes", GITATTRIBUTES),
    ];
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
    std::fs::create_dir_all(&dir)
        .map_err(|e| os::fail("create the folder", &shown(&dir, &ctx.cwd), &e))?;
    // All three files or none: a file written before a failure is removed again, so that
    // `init` can simply be run again.
    let mut made = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        let file = os::shown(&path, &ctx.cwd);
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| os::fail("create", &file, &e))
            .and_then(|mut f| {
                made.push(path.clone());
                std::io::Write::write_all(&mut f, text.as_bytes())
                    .and_then(|()| f.sync_all())
                    .map_err(|e| os::fail("write", &file, &e))
            });
        if let Err(fail) = written {
            for p in &made {
                let _ = std::fs::remove_file(p);
            }
            return Err(fail.into());
        }
    }
    if !ctx.quiet {
        ctx.print(&format!(
            "wrote credits.toml, journal.credits and .gitattributes in {}\n\
             next: add a client to credits.toml, then `credits buy CLIENT 10h --price 120`\n",
            shown(&dir, &ctx.cwd)
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn shown(dir: &Path, cwd: &Path) -> String {
    match dir.strip_prefix(cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        Ok(_) => ".".to_string(),
        Err(_) => dir.display().to_string(),
    }
}
