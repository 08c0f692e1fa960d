//! The command-line tests: one binary (one link) for every command, as just and jj do.

mod balance;
mod check;
mod examples;
mod fuzz;
mod generate;
mod golden;
mod merge;
mod order;
mod read_edge;
mod reports;
mod statement;
mod statement_reading;
mod support;
mod usage;
mod write;
mod write_edge;
