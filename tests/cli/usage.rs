//! The global flags, the environment, finding the book, and bad usage (exit 2).

use super::support::{BOOK, Case};

#[test]
fn help_works_for_the_program_and_each_command() {
    Case::new()
        .args(["--help"])
        .stdout_has("credits balance acme")
        .run();
    Case::new()
        .args(["balance", "--help"])
        .stdout_has("Examples:")
        .run();
    Case::new()
        .args(["check", "--help"])
        .stdout_has("file:line:col")
        .run();
    Case::new()
        .args(["clients", "--help"])
        .stdout_has("Usage: credits clients")
        .run();
}

#[test]
fn bad_usage_is_exit_2() {
    Case::new()
        .args(Vec::<String>::new())
        .code(2)
        .stderr_has("Usage: credits")
        .run();
    Case::new()
        .args(["balance", "--no-such-flag"])
        .code(2)
        .run();
    Case::new()
        .args(["--color", "sometimes", "check"])
        .code(2)
        .run();
    Case::new().args(["frobnicate"]).code(2).run();
}

#[test]
fn a_bad_today_is_exit_2_from_the_flag_or_the_environment() {
    Case::new()
        .book(BOOK)
        .journal("")
        .args(["balance"])
        .today("2026-02-30")
        .code(2)
        .stderr_has("`2026-02-30` is not a day of the calendar")
        .run();
    Case::new()
        .book(BOOK)
        .journal("")
        .no_today()
        .env("CREDITS_TODAY", "tomorrow")
        .args(["balance"])
        .code(2)
        .stderr_has("`tomorrow` is not a date")
        .run();
}

#[test]
fn credits_today_sets_the_date_reported() {
    let out = Case::new()
        .book(BOOK)
        .journal("")
        .no_today()
        .env("CREDITS_TODAY", "2026-03-31")
        .args(["balance", "--format", "json"])
        .run();
    assert!(
        out.stdout.contains("\"as_of\": \"2026-03-31\""),
        "{}",
        out.stdout
    );
}

#[test]
fn the_book_is_found_from_a_folder_below_it() {
    Case::new()
        .book(BOOK)
        .journal("")
        .current_dir("site/src")
        .args(["check"])
        .stdout("ok: 2 clients, 0 entries in 1 journal\n")
        .run();
}

#[test]
fn credits_file_and_dash_f_name_a_book_elsewhere() {
    let case = Case::new()
        .file("books/jane/credits.toml", BOOK)
        .file("books/jane/journal.credits", "");
    let book = case.path().join("books/jane");
    let book = book.to_str().expect("a UTF-8 path").to_string();
    let case = case.current_dir("elsewhere");
    case.env("CREDITS_FILE", &book)
        .args(["check"])
        .stdout_has("ok: 2 clients")
        .run();
    Case::new()
        .file("books/jane/credits.toml", BOOK)
        .file("books/jane/journal.credits", "")
        .args(["-f", "books/jane/credits.toml", "check"])
        .stdout_has("ok: 2 clients")
        .run();
}

#[test]
fn no_book_is_exit_1_with_a_hint() {
    Case::new()
        .args(["balance"])
        .code(1)
        .stderr_has("error: no `credits.toml` found in `")
        .stderr_has("= help: run `credits init` to start a book, name one with `--file`, or list your books in `~/.config/credits/config.toml`")
        .run();
}
