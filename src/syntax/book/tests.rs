//! The book parser's tests: exact `(line, col, message)` of each error, and the example book.

use super::*;
use crate::model::{
    Client, Currency, DebitPolicy, Expiry, ExpiryTier, GrantLapse, Order, Overdraft, Plan, Policy,
    PolicyOverride,
};

/// The book parser, with `[book] currency` not required: the books of these tests leave
/// it out unless they test it (`currency_is_required_at_the_book_table`).
fn parse(text: &str, file: FileId) -> Result<Book, Vec<Diagnostic>> {
    parse_book(text, file, DEFAULT_NAME, false)
}
use crate::model::{DateSpan, Money};
use crate::source::SourceMap;

const SPEC_BOOK: &str = r#"[book]
name = "Jane Doe Web Services"
unit = "credit"               # singular name used in output
unit_minutes = 60
currency = "USD"
journals = ["journal.credits"] # relative to this file; globs allowed; new entries go to the first

[policy]                      # defaults; a plan, then a client, may override any key
debit = "accumulate"          # accumulate | exact | round-up
round_to = "15m"              # round-up: what a log debits is rounded up to a multiple of this
order = "fifo"                # fifo | expiring-first
expires = "never"             # never | a span such as "90d", "12mo"
refund_days = 30              # unused credits of a lot refundable within this many days
overdraft = "bill"            # bill | carry | deny
unit_price = "140"            # price of one unit when a buy names no price and no package
warn_days = 30                # expiry warnings this far ahead
low_balance = "2h"            # warn when the balance falls below this

[[policy.expiry_tiers]]       # optional: expiry by quantity bought; largest `from` <= qty wins
from = "0h"
expires = "12mo"
[[policy.expiry_tiers]]
from = "40h"
expires = "24mo"

[plans.concierge]
discount = "30%"              # off package prices and unit_price
[plans.performance]
discount = "30%"
monthly = "3h"                # included time granted every month
monthly_expires = "month"     # "month" (lapses at month end) or a span such as "90d"
covered = ["support", "security", "updates"]   # logs with any of these tags are never debited

[packages]                    # `credits buy acme five`
single = { units = 1, price = "140" }
five   = { units = 5, price = "600" }

[tasks]                       # standard costs, for `debit` and `quote`
banner = { units = 1, title = "Design a new web banner" }
complex-plugin = { units = 2, title = "Install and test a complex plugin" }

[clients.acme]
name = "Acme Corp"
currency = "USD"
rate = "150"                  # standard hourly rate: overage is billed at it
email = "ops@acme.example"
dirs = ["~/work/acme-site"]   # `credits log 15m` run inside these folders logs for acme
"#;

fn d(n: i64) -> Decimal {
    Decimal::from(n)
}

fn usd(n: i64) -> Money {
    Money {
        amount: d(n),
        currency: Currency::from_code("USD"),
    }
}

fn bare(n: i64) -> Money {
    Money {
        amount: d(n),
        currency: None,
    }
}

/// Where `needle` starts in `text`, as a span of its length.
fn at(text: &str, needle: &str) -> Span {
    let i = text.find(needle).unwrap();
    Span::new(FileId(0), i, i + needle.len())
}

/// The first word of `needle`, found in `text`, as a span.
fn word(text: &str, needle: &str) -> Span {
    let i = text.find(needle).unwrap();
    let len = needle.find([' ', ']']).unwrap_or(needle.len());
    Span::new(FileId(0), i, i + len)
}

fn ok(text: &str) -> Book {
    match parse(text, FileId(0)) {
        Ok(b) => b,
        Err(e) => panic!("{e:?}"),
    }
}

/// Every problem as `(line, col, message, help)`.
fn errors(text: &str) -> Vec<(usize, usize, String, Option<String>)> {
    let diags = parse(text, FileId(0)).expect_err("the book should be refused");
    let mut map = SourceMap::default();
    map.add("credits.toml".into(), text.into());
    diags
        .into_iter()
        .map(|d| {
            let (line, col) = map.line_col(d.span.unwrap());
            (line, col, d.message, d.help)
        })
        .collect()
}

/// The single problem of `text`, as `(line, col, message)`.
fn error(text: &str) -> (usize, usize, String) {
    let e = errors(text);
    assert_eq!(e.len(), 1, "{e:?}");
    let (l, c, m, _) = e.into_iter().next().unwrap();
    (l, c, m)
}

fn help(text: &str) -> Option<String> {
    errors(text).into_iter().next().unwrap().3
}

#[test]
fn the_spec_example_book_is_read_in_full() {
    let t = SPEC_BOOK;
    let plan_policy = PolicyOverride::default();
    let want = Book {
        name: "Jane Doe Web Services".into(),
        unit: "credit".into(),
        unit_minutes: d(60),
        currency: Currency(*b"USD"),
        journals: vec![("journal.credits".into(), at(t, "\"journal.credits\""))],
        policy: Policy {
            unit_price: Some(bare(140)),
            low_balance: Some(d(120)),
            expiry_tiers: vec![
                ExpiryTier {
                    from: d(0),
                    expires: Expiry::Span(DateSpan::Months(12)),
                },
                ExpiryTier {
                    from: d(2400),
                    expires: Expiry::Span(DateSpan::Months(24)),
                },
            ],
            ..Policy::default()
        },
        plans: BTreeMap::from([
            (
                "concierge".into(),
                Plan {
                    name: "concierge".into(),
                    discount: Decimal::new(30, 2),
                    monthly: None,
                    monthly_expires: GrantLapse::MonthEnd,
                    covered: vec![],
                    rollover: d(0),
                    policy: plan_policy.clone(),
                    title: None,
                    span: at(t, "concierge"),
                },
            ),
            (
                "performance".into(),
                Plan {
                    name: "performance".into(),
                    discount: Decimal::new(30, 2),
                    monthly: Some(d(180)),
                    monthly_expires: GrantLapse::MonthEnd,
                    covered: vec!["support".into(), "security".into(), "updates".into()],
                    rollover: d(0),
                    policy: plan_policy,
                    title: None,
                    span: at(t, "performance"),
                },
            ),
        ]),
        packages: BTreeMap::from([
            (
                "single".into(),
                Package {
                    name: "single".into(),
                    minutes: d(60),
                    price: bare(140),
                    expires: None,
                    title: None,
                    span: word(t, "single ="),
                },
            ),
            (
                "five".into(),
                Package {
                    name: "five".into(),
                    minutes: d(300),
                    price: bare(600),
                    expires: None,
                    title: None,
                    span: word(t, "five "),
                },
            ),
        ]),
        tasks: BTreeMap::from([
            (
                "banner".into(),
                Task {
                    name: "banner".into(),
                    minutes: d(60),
                    title: "Design a new web banner".into(),
                },
            ),
            (
                "complex-plugin".into(),
                Task {
                    name: "complex-plugin".into(),
                    minutes: d(120),
                    title: "Install and test a complex plugin".into(),
                },
            ),
        ]),
        clients: BTreeMap::from([(
            "acme".into(),
            Client {
                id: "acme".into(),
                name: "Acme Corp".into(),
                currency: Currency::from_code("USD"),
                rate: Some(bare(150)),
                email: Some("ops@acme.example".into()),
                dirs: vec!["~/work/acme-site".into()],
                policy: PolicyOverride::default(),
                span: word(t, "acme]"),
            },
        )]),
        issuer: Vec::new(),
        email: None,
        footer: Vec::new(),
    };
    let got = ok(t);
    assert_eq!(got, want);
}

#[test]
fn currency_is_required_at_the_book_table() {
    let cases: [(&str, (usize, usize, usize)); 3] = [
        ("", (1, 1, 0)),
        (
            "[clients.a]\nname = \"A\"\n\n[book]\nname = \"x\"\n",
            (4, 1, 6),
        ),
        ("# [book]\n  [book]\n", (2, 3, 6)),
    ];
    for (text, (line, col, len)) in cases {
        let e = parse_named(text, FileId(0), "b").unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        let mut map = SourceMap::default();
        map.add("credits.toml".into(), text.into());
        let s = e[0].span.unwrap();
        assert_eq!(map.line_col(s), (line, col), "{text:?}");
        assert_eq!((s.end - s.start) as usize, len, "{text:?}");
        assert_eq!(e[0].message, "`[book]` has no `currency`");
        assert_eq!(
            e[0].help.as_deref(),
            Some(
                "add the code of the currency you bill in, such as `currency = \"USD\"`, under `[book]`"
            )
        );
    }
    assert!(parse_named("[book]\ncurrency = \"JPY\"\n", FileId(0), "b").is_ok());
}

#[test]
fn the_first_journal_is_a_plain_file_name_in_the_books_folder() {
    for bad in [
        "../x.credits",
        "sub/x.credits",
        "/abs/x.credits",
        "*.credits",
        "..",
        "a\\b",
    ] {
        let text = format!("[book]\njournals = [{bad:?}]\n");
        let e = errors(&text);
        assert_eq!(e.len(), 1, "{bad}: {e:?}");
        assert_eq!(
            (e[0].0, e[0].1, e[0].2.as_str()),
            (
                2,
                13,
                format!("the first journal `{bad}` must be a plain file name").as_str()
            )
        );
    }
    // Only the first: the others may be paths and globs.
    let b = ok("[book]\njournals = [\"j.credits\", \"../old/*.credits\", \"sub/x.credits\"]\n");
    assert_eq!(b.journals.len(), 3);
}

#[test]
fn strings_shown_in_tables_hold_no_line_break_or_control_character() {
    let cases = [
        (
            "[book]\nname = \"a\\nb\"\n",
            (2, 8),
            "`name` holds a line feed (U+000A)",
        ),
        (
            "[book]\nname = '''\na\nb'''\n",
            (3, 2),
            "`name` holds a line feed (U+000A)",
        ),
        (
            "[clients.a]\nname = \"A\tB\"\n",
            (2, 10),
            "`name` holds a control character (U+0009)",
        ),
        (
            "[clients.a]\nemail = \"a\u{202e}b\"\n",
            (2, 11),
            "`email` holds a bidirectional control character (U+202E)",
        ),
        (
            "[tasks]\nfix = { units = 1, title = \"a\\u0007\" }\n",
            (2, 28),
            "`title` holds a control character (U+0007)",
        ),
        (
            "[clients.p]\nname = \"x\u{2028}y\"\n",
            (2, 10),
            "`name` holds a line separator (U+2028)",
        ),
    ];
    for (text, (line, col), msg) in cases {
        let e = errors(text);
        assert_eq!(e.len(), 1, "{text:?}: {e:?}");
        assert_eq!(
            (e[0].0, e[0].1, e[0].2.as_str()),
            (line, col, msg),
            "{text:?}"
        );
    }
}

#[test]
fn an_empty_book_takes_every_default() {
    let b = ok("");
    assert_eq!(b.name, "credits");
    assert_eq!(b.unit, "credit");
    assert_eq!(b.unit_minutes, d(60));
    assert_eq!(b.currency.code(), "USD");
    assert_eq!(b.journals.len(), 1);
    assert_eq!(b.journals[0].0, "journal.credits");
    assert_eq!(b.policy, Policy::default());
    assert!(b.plans.is_empty() && b.clients.is_empty());
    assert_eq!(
        parse_named("[book]\ncurrency = \"USD\"\n", FileId(0), "acme-books")
            .unwrap()
            .name,
        "acme-books"
    );
}

#[test]
fn plans_and_clients_override_policy_keys_written_in_their_own_table() {
    let b = ok(
        "[plans.care]\ndebit = \"exact\"\nmonthly = 2\nmonthly_expires = \"90d\"\n\
         [[plans.care.expiry_tiers]]\nfrom = 0\nexpires = \"6mo\"\n\
         [clients.acme]\noverdraft = \"deny\"\nunit_price = \"$150\"\nrefund_days = 14\n\
         order = \"expiring-first\"\nround_to = \"6m\"\n",
    );
    let plan = &b.plans["care"];
    assert_eq!(plan.policy.debit, Some(DebitPolicy::Exact));
    assert_eq!(plan.monthly, Some(d(120)));
    assert_eq!(plan.monthly_expires, GrantLapse::Span(DateSpan::Days(90)));
    assert_eq!(plan.policy.expiry_tiers.as_ref().map(Vec::len), Some(1));
    let c = &b.clients["acme"];
    assert_eq!(c.name, "acme");
    assert_eq!(c.policy.overdraft, Some(Overdraft::Deny));
    assert_eq!(c.policy.unit_price, Some(usd(150)));
    assert_eq!(c.policy.refund_days, Some(14));
    assert_eq!(c.policy.order, Some(Order::ExpiringFirst));
    assert_eq!(c.policy.round_to, Some(d(6)));
    let p = b.policy_for("acme", Some("care"));
    assert_eq!(
        (p.debit, p.overdraft),
        (DebitPolicy::Exact, Overdraft::Deny)
    );
}

#[test]
fn units_are_read_in_the_books_unit_and_decimals_stay_exact() {
    let b = ok("[book]\nunit = \"block\"\nunit_minutes = 30\n[packages]\n\
         half = { units = 2.5, price = \"¥8000\" }\nday = { units = \"8h\", price = \"1000 EUR\" }\n\
         [tasks]\nfix = { units = \"45m\" }\n");
    assert_eq!(b.packages["half"].minutes, d(75));
    assert_eq!(
        b.packages["half"].price.currency.map(|c| c.0),
        Some(*b"JPY")
    );
    assert_eq!(b.packages["day"].minutes, d(480));
    assert_eq!(b.tasks["fix"].minutes, d(45));
    assert_eq!(b.tasks["fix"].title, "fix");
}

#[test]
fn expiry_tiers_are_sorted_by_their_start() {
    let b = ok(
        "[[policy.expiry_tiers]]\nfrom = \"40h\"\nexpires = \"2y\"\n\
         [[policy.expiry_tiers]]\nfrom = \"0h\"\nexpires = \"never\"\n",
    );
    let froms: Vec<Minutes> = b.policy.expiry_tiers.iter().map(|t| t.from).collect();
    assert_eq!(froms, vec![d(0), d(2400)]);
    assert_eq!(b.policy.expiry_tiers[0].expires, Expiry::Never);
}

#[test]
fn every_problem_is_reported_at_its_own_line_and_column() {
    let e = errors(
        "[book]\nunit_minutes = 0\ncurrency = \"usd\"\n[policy]\ndebit = \"weekly\"\nexpires = \"90\"\n\
         [clients.15m]\nrate = \"abc\"\n",
    );
    let at: Vec<(usize, usize)> = e.iter().map(|(l, c, _, _)| (*l, *c)).collect();
    assert_eq!(at, vec![(2, 16), (3, 12), (5, 9), (6, 11), (7, 10), (8, 8)]);
}

#[test]
fn error_catalogue() {
    let cases: &[(&str, (usize, usize, &str))] = &[
        ("[book\n", (1, 6, "unclosed table, expected `]`")),
        (
            "debit = \"exact\"\n",
            (1, 1, "unknown key `debit` in the book"),
        ),
        (
            "[book]\nnmae = \"x\"\n",
            (2, 1, "unknown key `nmae` in `[book]`"),
        ),
        (
            "[policy]\ndebti = \"exact\"\n",
            (2, 1, "unknown key `debti` in `[policy]`"),
        ),
        (
            "[[policy.expiry_tiers]]\nfrom = 0\nexpires = \"1y\"\nuntil = 3\n",
            (4, 1, "unknown key `until` in `[[policy.expiry_tiers]]`"),
        ),
        (
            "[plans.gold]\nmontly = \"3h\"\n",
            (2, 1, "unknown key `montly` in `[plans.gold]`"),
        ),
        (
            "[packages]\nfive = { units = 5, price = 1, cost = \"600\" }\n",
            (2, 32, "unknown key `cost` in `[packages.five]`"),
        ),
        (
            "[tasks]\nfix = { units = 1, name = \"x\" }\n",
            (2, 20, "unknown key `name` in `[tasks.fix]`"),
        ),
        (
            "[clients.acme]\nmail = \"a@b\"\n",
            (2, 1, "unknown key `mail` in `[clients.acme]`"),
        ),
        (
            "book = 3\n",
            (1, 8, "`[book]` must be a table, not integer"),
        ),
        (
            "[plans]\ngold = 3\n",
            (2, 8, "`plans.gold` must be a table, not integer"),
        ),
        (
            "[book]\nname = 3\n",
            (2, 8, "invalid type: integer `3`, expected a string"),
        ),
        (
            "[book]\nunit_minutes = true\n",
            (
                2,
                16,
                "invalid type: boolean `true`, expected a number or a string",
            ),
        ),
        (
            "[packages]\nfive = { units = 5 }\n",
            (2, 1, "missing field `price`"),
        ),
        ("[book]\nname = \" \"\n", (2, 8, "`name` is empty")),
        (
            "[book]\nunit_minutes = 0\n",
            (2, 16, "`unit_minutes` must be more than zero"),
        ),
        (
            "[book]\nunit_minutes = \"an hour\"\n",
            (2, 16, "`an hour` is not a number of minutes"),
        ),
        (
            "[book]\ncurrency = \"usd\"\n",
            (2, 12, "`usd` is not a currency code"),
        ),
        ("[book]\njournals = []\n", (2, 12, "`journals` is empty")),
        (
            "[book]\njournals = [\"\"]\n",
            (2, 13, "a journal name is empty"),
        ),
        (
            "[book]\njournals = [\"*.credits\"]\n",
            (
                2,
                13,
                "the first journal `*.credits` must be a plain file name",
            ),
        ),
        (
            "[policy]\ndebit = \"weekly\"\n",
            (2, 9, "`weekly` is not a debit policy"),
        ),
        (
            "[policy]\norder = \"lifo\"\n",
            (2, 9, "`lifo` is not a consumption order"),
        ),
        (
            "[policy]\noverdraft = \"free\"\n",
            (2, 13, "`free` is not an overdraft policy"),
        ),
        (
            "[policy]\nround_to = \"0m\"\n",
            (2, 12, "`0m` is zero, but a quantity must be positive"),
        ),
        (
            "[policy]\nround_to = 15\n",
            (
                2,
                12,
                "`15` is a number of credits, but `round_to` takes a duration",
            ),
        ),
        (
            "[policy]\nexpires = \"90\"\n",
            (2, 11, "`90` is not a span"),
        ),
        (
            "[policy]\nrefund_days = -3\n",
            (2, 15, "`-3` is not a number of days"),
        ),
        (
            "[policy]\nwarn_days = 7.5\n",
            (2, 13, "`7.5` is not a number of days"),
        ),
        (
            "[policy]\nunit_price = \"12a\"\n",
            (2, 14, "`12a` is not an amount of money"),
        ),
        (
            "[policy]\nunit_price = \"120 usd\"\n",
            (2, 14, "`usd` is not a currency code"),
        ),
        (
            "[policy]\nlow_balance = \"2x\"\n",
            (2, 15, "`2x` is not a quantity"),
        ),
        (
            "[[policy.expiry_tiers]]\nfrom = 0\nexpires = \"1y\"\n[[policy.expiry_tiers]]\nfrom = \"0h\"\nexpires = \"2y\"\n",
            (5, 8, "two expiry tiers start at `0h`"),
        ),
        (
            "[plans.gold]\ndiscount = \"30\"\n",
            (2, 12, "`30` is not a percentage"),
        ),
        (
            "[plans.gold]\ndiscount = \"130%\"\n",
            (2, 12, "`130%` is more than 100%"),
        ),
        (
            "[plans.gold]\nmonthly = \"0h\"\n",
            (2, 11, "`0h` is zero, but a quantity must be positive"),
        ),
        (
            "[plans.gold]\nmonthly_expires = \"weekly\"\n",
            (2, 19, "`weekly` is not a span"),
        ),
        (
            "[plans.gold]\ncovered = [\"two words\"]\n",
            (2, 12, "`two words` is not a tag"),
        ),
        ("[plans.Gold]\n", (1, 8, "`Gold` is not a valid plan name")),
        ("[plans.none]\n", (1, 8, "a plan may not be called `none`")),
        (
            "[packages]\n\"5h\" = { units = 5, price = \"600\" }\n",
            (2, 1, "the package name `5h` reads as a quantity"),
        ),
        (
            "[tasks]\n\"big task\" = { units = 1 }\n",
            (2, 1, "`big task` is not a valid task name"),
        ),
        (
            "[packages]\nfive = { units = 0, price = \"600\" }\n",
            (2, 18, "`0` is zero, but a quantity must be positive"),
        ),
        ("[clients.Acme]\n", (1, 10, "`Acme` is not a client id")),
        (
            "[clients.15m]\n",
            (1, 10, "the client id `15m` reads as a quantity"),
        ),
        (
            "[clients.3]\n",
            (1, 10, "the client id `3` reads as a quantity"),
        ),
        (
            "[clients.acme]\nrate = \"$x\"\n",
            (2, 8, "`$x` is not an amount of money"),
        ),
    ];
    let mut wrong = Vec::new();
    for (text, (line, col, msg)) in cases {
        let got = errors(text);
        let want = vec![(*line, *col, (*msg).to_owned())];
        let got: Vec<_> = got.into_iter().map(|(l, c, m, _)| (l, c, m)).collect();
        if got != want {
            wrong.push(format!("{text:?}\n  got  {got:?}\n  want {want:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn unknown_keys_suggest_the_nearest_valid_key_or_list_them() {
    assert_eq!(
        help("[policy]\ndebti = 1\n").as_deref(),
        Some("did you mean `debit`?")
    );
    assert_eq!(
        help("[plans.gold]\nmontly = 1\n").as_deref(),
        Some("did you mean `monthly`?")
    );
    assert_eq!(
        help("[clients.a]\nrat = 1\n").as_deref(),
        Some("did you mean `rate`?")
    );
    assert_eq!(
        help("debit = 1\n").as_deref(),
        Some("write `debit` under `[policy]`")
    );
    assert_eq!(
        help("[packages]\nx = { units = 1, price = 1, zzzzzz = 1 }\n").as_deref(),
        Some("valid keys are `units`, `price`, `expires` and `title`")
    );
    assert_eq!(
        help("[policy]\ndebit = \"x\"\n").as_deref(),
        Some("write `accumulate`, `exact` or `round-up`")
    );
}

#[test]
fn several_unknown_keys_and_bad_values_are_all_reported() {
    let e = errors(
        "[book]\nfoo = 1\nbar = 2\n[policy]\ndebit = \"x\"\n[clients.a]\nbaz = 1\nrate = \"?\"\n",
    );
    let msgs: Vec<&str> = e.iter().map(|(_, _, m, _)| m.as_str()).collect();
    assert_eq!(
        msgs,
        vec![
            "unknown key `foo` in `[book]`",
            "unknown key `bar` in `[book]`",
            "`x` is not a debit policy",
            "unknown key `baz` in `[clients.a]`",
            "`?` is not an amount of money",
        ]
    );
}

#[test]
fn crlf_and_non_ascii_text_keep_columns_in_chars() {
    let e = error("[clients.acme]\r\nname = \"Café Ünïcode\"\r\nrate = \"€x\"\r\n");
    assert_eq!(e, (3, 8, "`€x` is not an amount of money".to_owned()));
}

proptest::proptest! {
    #[test]
    fn no_text_makes_the_parser_panic(
        lines in proptest::collection::vec(
            "(\\[(book|policy|plans\\.[a-z]{1,3}|packages|clients\\.[a-z0-9]{1,3})\\]|[a-z_]{1,12} = (\"[0-9a-z%$. ]{0,6}\"|-?[0-9]{1,20}|[0-9]\\.[0-9]{1,12}|true|\\[\\]|\\{ units = [0-9], price = \"1\" \\})|\\[\\[policy.expiry_tiers\\]\\])",
            0..12,
        )
    ) {
        let text = lines.join("\n");
        let _ = parse(&text, FileId(0));
    }
}

// ----- rollover, minimum, package expiry ------------------------------------------------------

#[test]
fn rollover_minimum_and_package_expires_are_read_and_default_to_nothing() {
    let b = ok("[policy]\nminimum = \"30m\"\n\
         [plans.care]\nmonthly = \"3h\"\nrollover = \"1h\"\nminimum = \"1h\"\n\
         [plans.plain]\nmonthly = \"3h\"\n\
         [packages]\nten = { units = 10, price = 1000, expires = \"12mo\" }\n\
         one = { units = 1, price = 100 }\n\
         [clients.acme]\nminimum = \"0m\"\n");
    assert_eq!(b.policy.minimum, d(30));
    assert_eq!(b.plans["care"].rollover, d(60));
    assert_eq!(b.plans["plain"].rollover, d(0));
    assert_eq!(b.policy_for("zed", Some("care")).minimum, d(60));
    assert_eq!(b.policy_for("acme", Some("care")).minimum, d(0));
    assert_eq!(
        b.packages["ten"].expires,
        Some(crate::model::LineExpiry::Span(DateSpan::Months(12)))
    );
    assert_eq!(b.packages["one"].expires, None);
    assert_eq!(ok("").policy.minimum, d(0));
}

#[test]
fn rollover_needs_grants_that_lapse_at_month_end() {
    let text = "[plans.care]\nmonthly = \"3h\"\nmonthly_expires = \"90d\"\nrollover = \"1h\"\n";
    assert_eq!(
        error(text),
        (
            4,
            12,
            "`rollover` needs `monthly_expires = \"month\"` in `[plans.care]`".into()
        )
    );
    assert!(help(text).is_some_and(|h| h.contains("remove `rollover`")));
    // Written out or by default, `month` takes it.
    ok("[plans.care]\nmonthly = \"3h\"\nmonthly_expires = \"month\"\nrollover = \"1h\"\n");
}

#[test]
fn bad_rollover_minimum_and_package_expires_are_errors_at_the_value() {
    let cases = [
        ("[plans.care]\nrollover = \"x\"\n", (2, 12)),
        ("[policy]\nminimum = \"-5m\"\n", (2, 11)),
        (
            "[packages]\nten = { units = 10, price = 1000, expires = \"soon\" }\n",
            (2, 45),
        ),
    ];
    for (text, (line, col)) in cases {
        let e = errors(text);
        assert_eq!(e.len(), 1, "{text}: {e:?}");
        assert_eq!((e[0].0, e[0].1), (line, col), "{text}: {e:?}");
    }
    assert_eq!(
        help("[plans.care]\nrolover = \"1h\"\n").as_deref(),
        Some("did you mean `rollover`?")
    );
    assert_eq!(
        help("[policy]\nminimun = \"1h\"\n").as_deref(),
        Some("did you mean `minimum`?")
    );
    assert_eq!(
        help("[packages]\nx = { units = 1, price = 1, expire = \"1y\" }\n").as_deref(),
        Some("did you mean `expires`?")
    );
}

#[test]
fn issuer_and_footer_are_lines_and_titles_name_plans_and_packages() {
    let b = ok(r#"
[book]
currency = "USD"
issuer = """
Jane Doe Web Services
  12 Harbour Street
Portsmouth PO1 2AB
"""
email = "billing@janedoe.example"
footer = "Payment within 14 days.\nThank you!"

[plans.care]
monthly = "2h"
title = "Website Care"

[packages.ten]
units = 10
price = "1200"
title = "10-hour block"
"#);
    assert_eq!(
        b.issuer,
        [
            "Jane Doe Web Services",
            "12 Harbour Street",
            "Portsmouth PO1 2AB"
        ]
    );
    assert_eq!(b.email.as_deref(), Some("billing@janedoe.example"));
    assert_eq!(b.footer, ["Payment within 14 days.", "Thank you!"]);
    assert_eq!(b.plans["care"].title.as_deref(), Some("Website Care"));
    assert_eq!(b.packages["ten"].title.as_deref(), Some("10-hour block"));
    let plain = ok("[book]\ncurrency = \"USD\"\n[packages.one]\nunits = 1\nprice = 100\n");
    assert!(plain.issuer.is_empty() && plain.footer.is_empty() && plain.email.is_none());
    assert_eq!(plain.packages["one"].title, None);
}

#[test]
fn issuer_footer_and_titles_refuse_control_characters_and_emptiness() {
    assert_eq!(
        error("[book]\ncurrency = \"USD\"\nissuer = \"Jane\\u0007Doe\"\n"),
        (3, 10, "`issuer` holds a control character (U+0007)".into())
    );
    assert_eq!(
        error("[book]\ncurrency = \"USD\"\nfooter = \"  \"\n"),
        (3, 10, "`footer` is empty".into())
    );
    assert_eq!(
        error("[book]\ncurrency = \"USD\"\n[plans.p]\ntitle = \"a\\nb\"\n"),
        (4, 9, "`title` holds a line feed (U+000A)".into())
    );
    assert_eq!(
        error("[book]\ncurrency = \"USD\"\nfooter = \"a\\u202eb\"\n"),
        (
            3,
            10,
            "`footer` holds a bidirectional control character (U+202E)".into()
        )
    );
    assert_eq!(
        error("[book]\ncurrency = \"USD\"\nissuer = 3\n"),
        (3, 10, "invalid type: integer `3`, expected a string".into())
    );
    let h = help("[book]\ncurrency = \"USD\"\nissuer = \"a\\u0007\"\n").unwrap();
    assert!(h.contains("shown on statements"), "{h}");
}
