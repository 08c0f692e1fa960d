//! Which `--format` each command has (SPEC §8.6, §8.11.16), in one table: `run` refuses any
//! other before the command starts (exit 2, naming the formats it has), and the test that
//! runs every command in every format reads the same table.

use super::{Command, Context, Fail, Format};

/// A reading command's formats.
const READING: &[Format] = &[Format::Text, Format::Json, Format::Csv, Format::Md];
/// `statement`: also a page.
const STATEMENT: &[Format] = &[
    Format::Text,
    Format::Json,
    Format::Csv,
    Format::Md,
    Format::Html,
];
/// `check` and the commands that append a line (JSON: `{"entry", "file", "client"}`).
const TEXT_JSON: &[Format] = &[Format::Text, Format::Json];
/// Commands that print a message, not a report.
const TEXT: &[Format] = &[Format::Text];

/// The formats of the command named `command` (as typed: `balance`, `log`), or `None` for a
/// command this table does not know (a new command must be added here). `export` takes its
/// format as a word and refuses `--format` itself.
#[must_use]
pub fn of(command: &str) -> Option<&'static [Format]> {
    Some(match command {
        "balance" | "clients" | "expiring" | "usage" | "quotes" | "register" | "reg"
        | "projects" | "status" => READING,
        "statement" => STATEMENT,
        "check" | "log" | "buy" | "debit" | "quote" | "estimate" | "approve" | "reject"
        | "done" | "apply" | "refund" | "adjust" | "plan" | "bill" | "assert" | "stop" | "undo" => {
            TEXT_JSON
        }
        "start" | "cancel" | "init" | "merge" | "completions" | "man" | "export" | "__complete" => {
            TEXT
        }
        _ => return None,
    })
}

/// The name of `command` as typed.
#[must_use]
pub fn name(command: &Command) -> &'static str {
    match command {
        Command::Balance(_) => "balance",
        Command::Check(_) => "check",
        Command::Clients(_) => "clients",
        Command::Log(_) => "log",
        Command::Buy(_) => "buy",
        Command::Debit(_) => "debit",
        Command::Quote(_) => "quote",
        Command::Estimate(_) => "estimate",
        Command::Approve(_) => "approve",
        Command::Reject(_) => "reject",
        Command::Done(_) => "done",
        Command::Apply(_) => "apply",
        Command::Refund(_) => "refund",
        Command::Adjust(_) => "adjust",
        Command::Plan(_) => "plan",
        Command::Bill(_) => "bill",
        Command::Assert(_) => "assert",
        Command::Start(_) => "start",
        Command::Stop(_) => "stop",
        Command::Status(_) => "status",
        Command::Init(_) => "init",
        Command::Merge(_) => "merge",
        Command::Completions(_) => "completions",
        Command::Man(_) => "man",
        Command::Statement(_) => "statement",
        Command::Expiring(_) => "expiring",
        Command::Export(_) => "export",
        Command::Usage(_) => "usage",
        Command::Quotes(_) => "quotes",
        Command::Undo(_) => "undo",
        Command::Register(_) => "register",
        Command::Cancel(_) => "cancel",
        Command::Complete(_) => "__complete",
        Command::Projects(_) => "projects",
    }
}

/// Exit 2 unless `command` has `ctx.format` (`export` answers for itself).
pub fn require(command: &Command, ctx: &Context) -> Result<(), Fail> {
    let name = name(command);
    match of(name) {
        _ if name == "export" => Ok(()),
        Some(formats) => ctx.require_format(name, formats),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn every_command_of_the_command_line_has_its_formats_in_the_table() {
        for c in super::super::Cli::command().get_subcommands() {
            let formats = of(c.get_name());
            assert!(
                formats.is_some_and(|f| f.contains(&Format::Text)),
                "`{}` is not in `cli/formats.rs`",
                c.get_name()
            );
        }
    }
}
