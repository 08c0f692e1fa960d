//! Finding the book: upward from the current folder, or named by the file flag.

use super::*;

#[test]
fn the_book_is_found_in_the_nearest_folder_upward() {
    let dir = tree(&[
        (BOOK_FILE, "[book]\ncurrency = \"USD\"\n"),
        ("a/b/notes.txt", ""),
    ]);
    let root = dir.path();
    assert_eq!(
        find_book(None, &root.join("a/b")).unwrap(),
        root.join(BOOK_FILE)
    );
    assert_eq!(find_book(None, root).unwrap(), root.join(BOOK_FILE));
    let inner = tree(&[("x/credits.toml", ""), ("x/y/z.txt", "")]);
    assert_eq!(
        find_book(None, &inner.path().join("x/y")).unwrap(),
        inner.path().join("x/credits.toml")
    );
}

#[test]
fn no_book_anywhere_up_is_not_found_from_the_start_folder() {
    let dir = tree(&[("a/notes.txt", "")]);
    // A temp folder may sit under a folder holding a `credits.toml`; then this test has
    // nothing to check.
    if dir.path().ancestors().any(|d| d.join(BOOK_FILE).exists()) {
        return;
    }
    let start = dir.path().join("a");
    match find_book(None, &start) {
        Err(e @ LoadError::NotFound { .. }) => {
            let msg = e.to_string();
            assert!(msg.starts_with("no `credits.toml` found in `"), "{msg}");
            assert!(msg.ends_with("` or any folder above it"), "{msg}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_file_flag_takes_a_book_or_its_folder_relative_to_the_current_folder() {
    let dir = tree(&[
        ("books/acme/credits.toml", ""),
        ("books/acme/other.toml", ""),
    ]);
    let root = dir.path();
    let want = root.join("books/acme/credits.toml");
    assert_eq!(
        find_book(Some(Path::new("books/acme")), root).unwrap(),
        want
    );
    assert_eq!(
        find_book(Some(&root.join("books/acme/credits.toml")), Path::new("/")).unwrap(),
        want
    );
    assert_eq!(
        find_book(Some(Path::new("acme/other.toml")), &root.join("books")).unwrap(),
        root.join("books/acme/other.toml")
    );
    assert!(matches!(
        find_book(Some(Path::new("books")), root),
        Err(LoadError::Io { path, .. }) if path == Path::new("books/credits.toml")
    ));
    assert!(matches!(
        find_book(Some(Path::new("nope.toml")), root),
        Err(LoadError::Io { .. })
    ));
}
