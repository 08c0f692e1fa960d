//! `credits check`.

use super::support::{BOOK, Case};

#[test]
fn a_sound_book_says_ok_with_its_size() {
    Case::new()
        .book(BOOK)
        .journal("; nothing yet\n")
        .args(["check"])
        .stdout("ok: 2 clients, 0 entries in 1 journal\n")
        .stderr("")
        .run();
}

#[test]
fn quiet_check_prints_nothing_when_all_is_well() {
    Case::new()
        .book(BOOK)
        .journal("")
        .args(["check", "-q"])
        .stdout("")
        .stderr("")
        .run();
}

#[test]
fn a_missing_journal_is_exit_1_and_names_it() {
    Case::new()
        .book(BOOK)
        .args(["check"])
        .code(1)
        .stdout("")
        .stderr_has("journal.credits")
        .run();
}

#[test]
fn check_has_text_and_json_only() {
    Case::new()
        .book(BOOK)
        .journal("")
        .args(["check", "--format", "csv"])
        .code(2)
        .stdout("")
        .stderr(
            "
            error: `check` has no `csv` format
              = help: use `--format` `text` or `json`
            ",
        )
        .run();
}

#[test]
fn check_json_is_ok_with_no_problems_and_exit_0() {
    Case::new()
        .book(BOOK)
        .journal("")
        .args(["check", "--format", "json"])
        .stdout(
            r#"
            {
              "ok": true,
              "problems": []
            }
            "#,
        )
        .run();
}
