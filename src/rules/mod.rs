//! The contract's rules that decide a command's fate before any text is written, each in its
//! own file, each pure: the inputs come in as values (the `cli` gathers them from the
//! environment, the current folder and the book), the answer goes out as a value. No I/O, no
//! clock, no floats (the purity grep covers this folder).
//!
//! - [`write_blockers`]: which problems stop a writing command: a book with problems refuses
//!   writes, and the new line may not add one.
//! - [`client_resolution`]: who a command is for when it names no client: `--client`,
//!   `CREDITS_CLIENT`, the client whose `dirs` hold the current folder (the deepest), the only
//!   client.

pub mod client_resolution;
pub mod write_blockers;
