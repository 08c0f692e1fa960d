//! Text → model: the journal language and the book. Pure: takes `&str` and a `FileId`,
//! never a path; never touches the file system.
//!
//! - `value`: THE reader of every value word (quantities, money, dates, spans, percentages),
//!   used by the journal, the book and the writing commands alike;
//! - `journal/`: a journal file → entries (checks, tokenize, line, verbs);
//! - `book/`: `credits.toml` → [`crate::model::Book`] (the table walk, raw serde shapes,
//!   validation);
//! - `print`: an entry → its canonical journal line.

pub mod book;
pub mod journal;
pub mod print;
pub mod value;
