//! The command-line tests: one binary (one link) for every command, as just and jj do.

mod balance;
mod check;
mod generate;
mod golden;
mod support;
mod usage;
