//! The command-line tests: one binary (one link) for every command, as just and jj do.

mod balance;
mod check;
mod complete;
mod everyday;
mod examples;
mod formats;
mod fuzz;
mod generate;
mod golden;
mod help;
mod man;
mod merge;
mod order;
mod period;
mod read_edge;
mod register;
mod reports;
mod rules;
mod statement;
mod statement_reading;
mod support;
mod tutorial;
mod usage;
mod width;
mod write;
mod write_edge;
