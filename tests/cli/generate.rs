//! The benchmark generator (`examples/generate.rs`) writes books that `credits check` accepts.

#[path = "../../examples/generate.rs"]
#[allow(dead_code)] // its `main` is for `cargo run --example generate`
mod example;

use assert_cmd::Command;

#[test]
fn a_generated_book_passes_check_through_the_library_and_the_binary() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (bytes, last) = example::write_book(2_000, 7, dir.path()).expect("the book is written");
    assert!(bytes > 50_000, "2,000 entries take more than {bytes} bytes");
    assert_eq!(example::check(dir.path()), Ok(()));
    let out = Command::cargo_bin("credits")
        .expect("the binary")
        .arg("-f")
        .arg(dir.path())
        .args(["check", "--today", &last.to_string()])
        .env("NO_COLOR", "1")
        .output()
        .expect("credits runs");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "ok: 200 clients, 2000 entries in 1 journal\n"
    );
    assert!(out.status.success());
}

#[test]
fn the_same_seed_gives_the_same_book_and_another_seed_another() {
    let (a, b, c) = (
        tempfile::tempdir().expect("a folder"),
        tempfile::tempdir().expect("a folder"),
        tempfile::tempdir().expect("a folder"),
    );
    example::write_book(500, 1, a.path()).expect("written");
    example::write_book(500, 1, b.path()).expect("written");
    example::write_book(500, 2, c.path()).expect("written");
    let read = |d: &tempfile::TempDir| {
        std::fs::read_to_string(d.path().join("journal.credits")).expect("the journal")
    };
    assert_eq!(read(&a), read(&b));
    assert_ne!(read(&a), read(&c));
}
