//! Text → model: the journal language and the book. Pure: takes `&str` and a `FileId`,
//! never a path; never touches the file system.

pub mod book;
pub mod journal;
pub mod print;
pub mod value;
