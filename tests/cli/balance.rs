//! `credits balance`: what a user sees, and the exit codes. The numbers are the engine's
//! (unit-tested there) and the layout is in the golden cases; these check the behaviour.

use super::support::{BOOK, Case};

#[test]
fn balance_lists_every_client_of_the_book() {
    let out = Case::new().book(BOOK).journal("").args(["balance"]).run();
    assert!(out.stdout.contains("acme") && out.stdout.contains("Acme Corp"));
    assert!(out.stdout.contains("globex"));
    assert_eq!(out.stderr, "");
}

#[test]
fn balance_of_one_client_shows_its_detail() {
    Case::new()
        .book(BOOK)
        .journal("")
        .args(["balance", "acme"])
        .stdout_has("acme (Acme Corp)")
        .stdout_has("available")
        .run();
}

#[test]
fn an_unknown_client_is_exit_1_and_lists_the_clients() {
    Case::new()
        .book(BOOK)
        .journal("")
        .args(["balance", "acme-corp"])
        .code(1)
        .stdout("")
        .stderr(
            "
            error: no client `acme-corp` in the book
              = help: the clients are `acme`, `globex`
            ",
        )
        .run();
}

#[test]
fn a_mistyped_client_suggests_the_nearest_one() {
    Case::new()
        .book(BOOK)
        .journal("")
        .args(["balance", "amce"])
        .code(1)
        .stdout("")
        .stderr(
            "
            error: no client `amce` in the book
              = help: did you mean `acme`?
            ",
        )
        .run();
}

#[test]
fn json_for_one_client_has_the_same_shape_with_one_client() {
    let out = Case::new()
        .book(BOOK)
        .journal("")
        .args(["balance", "globex", "--format", "json"])
        .today("2026-11-22")
        .run();
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("balance JSON parses");
    assert_eq!(v["as_of"], "2026-11-22");
    assert_eq!(v["unit_minutes"], "60");
    let clients = v["clients"].as_array().expect("a `clients` array");
    assert_eq!(clients.len(), 1);
    assert_eq!(clients[0]["id"], "globex");
    assert_eq!(clients[0]["plan"], serde_json::Value::Null);
    assert_eq!(clients[0]["value"], "0.00");
}

#[test]
fn json_keys_come_in_the_spec_order() {
    let out = Case::new()
        .book(BOOK)
        .journal("")
        .args(["balance", "--format", "json"])
        .run();
    let keys = [
        "\"as_of\"",
        "\"unit\"",
        "\"unit_minutes\"",
        "\"clients\"",
        "\"id\"",
        "\"name\"",
        "\"plan\"",
        "\"currency\"",
        "\"balance_minutes\"",
        "\"pending_minutes\"",
        "\"reserved_minutes\"",
        "\"available_minutes\"",
        "\"included_left_minutes\"",
        "\"overage_minutes\"",
        "\"value\"",
        "\"lots\"",
        "\"warnings\"",
    ];
    let at: Vec<usize> = keys
        .iter()
        .map(|k| out.stdout.find(k).unwrap_or(usize::MAX))
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "keys out of order: {}",
        out.stdout
    );
}

#[test]
fn a_format_balance_does_not_have_is_bad_usage() {
    Case::new()
        .book(BOOK)
        .journal("")
        .args(["balance", "--format", "html"])
        .code(2)
        .stderr(
            "
            error: `balance` has no `html` format
              = help: use `--format` `text`, `json`, `csv` or `md`
            ",
        )
        .run();
}

#[test]
fn a_broken_book_is_exit_1_with_every_problem_and_a_count() {
    Case::new()
        .book("[book\nname = 1\n")
        .journal("")
        .args(["balance"])
        .code(1)
        .stdout("")
        .stderr_has("credits.toml:1:")
        .stderr_has("error: 1 problem in the book\n")
        .run();
}

#[test]
fn colour_is_used_only_when_asked() {
    let plain = Case::new()
        .book(BOOK)
        .journal("")
        .args(["balance", "nobody"])
        .code(1)
        .run();
    assert!(!plain.stderr.contains('\x1b'));
    let colored = Case::new()
        .book(BOOK)
        .journal("")
        .args(["--color", "always", "balance", "nobody"])
        .code(1)
        .run();
    assert!(colored.stderr.contains("\x1b["));
}
