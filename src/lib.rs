//! `credits`: a ledger for prepaid service time.
//!
//! The pipeline: `load` (find the book, read the files) → `syntax` (text → model) →
//! `engine::replay` (pure) → `report` (structs) → `render` (strings). `cli` drives it.
//! Beside it, `merge` (pure) is the three-way merge of journal lines behind `credits merge`,
//! and `rules` (pure) the rules that decide whether and for whom a command writes.
//! `suggest` (a leaf, like `diagnostic`) is the one "did you mean" anyone may use.

pub mod cli;
pub mod diagnostic;
pub mod engine;
pub mod load;
pub mod merge;
pub mod model;
pub mod render;
pub mod report;
pub mod rules;
pub mod source;
pub mod suggest;
pub mod syntax;
#[cfg(test)]
mod testing;
