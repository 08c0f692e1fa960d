//! The command-line tests: one binary (one link) for every command, as just and jj do.

mod balance;
mod check;
mod complete;
mod examples;
mod fuzz;
mod generate;
mod golden;
mod help;
mod man;
mod merge;
mod order;
mod read_edge;
mod reports;
mod statement;
mod support;
mod usage;
mod width;
mod write;
mod write_edge;
