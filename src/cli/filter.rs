//! The filter options (`--tag`, `--project`, `--quote`, `--kind`, `--grep`) as clap reads
//! them; flatten [`FilterArgs`] into a command, and [`FilterArgs::filter`] gives the one
//! [`Filter`] of `report`.

use crate::engine::EventKind;
use crate::report::Filter;
use crate::report::filter::kind;
use clap::Args;

/// Which events to keep.
#[derive(Debug, Clone, Default, Args)]
pub struct FilterArgs {
    /// Only entries with this tag (repeat: any of them)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// Only entries with `project:PROJECT`
    #[arg(long, value_name = "PROJECT")]
    pub project: Option<String>,

    /// Only the entries of this quote or estimate, and the work logged on it
    #[arg(long, value_name = "ID")]
    pub quote: Option<String>,

    /// Only events of this kind: log, debit, buy, grant, expire, refund, apply, adjust…
    #[arg(long, value_name = "KIND", value_parser = kind)]
    pub kind: Option<EventKind>,

    /// Only events whose description holds TEXT, whatever the case
    #[arg(long, value_name = "TEXT")]
    pub grep: Option<String>,
}

impl FilterArgs {
    /// The filter asked for (`#web` and `web` are the same tag).
    #[must_use]
    pub fn filter(&self) -> Filter {
        Filter {
            tags: self
                .tags
                .iter()
                .map(|t| t.strip_prefix('#').unwrap_or(t).to_string())
                .collect(),
            project: self.project.clone(),
            quote: self.quote.clone(),
            kind: self.kind,
            grep: self.grep.clone(),
        }
    }
}
