//! Entry → its canonical journal line: what the writing commands append (STYLE §4.9).
//!
//! The output always parses back to the same entry (`parse(print(e)) == e`, spans and `seq`
//! aside) and is always one line: control characters in user text become spaces, and a
//! description that would read as anything but a description is put in double quotes.
//!
//! Pure: imports `model` and `syntax`.

use super::journal::{is_sep, looks_numeric};
use crate::model::{Entry, LineExpiry, LotRef, MetaKey, Minutes, Money, Price, Qty, Verb};
use chrono::NaiveTime;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// Largest number the journal reads in a quantity (see `syntax::value`).
const MAX_NUMBER: i64 = 1_000_000_000_000;

/// The canonical journal line of `e`, without a newline: date, verb, client, arguments, then
/// tags, metadata and the description.
///
/// # Examples
///
/// ```
/// use credits::source::FileId;
/// use credits::syntax::{journal, print};
/// use rust_decimal::Decimal;
///
/// let u = Decimal::from(60);
/// let p = journal::parse("2026-01-06  log acme 90m #dev  Fixed ; note", FileId(0), u);
/// assert_eq!(print::entry(&p.entries[0], u), "2026-01-06 log acme 1h30m #dev Fixed");
/// ```
#[must_use]
pub fn entry(e: &Entry, unit_minutes: Minutes) -> String {
    let mut out = String::with_capacity(64 + e.description.len());
    let _ = write!(
        out,
        "{} {} {}",
        e.date.format("%Y-%m-%d"),
        e.verb.word(),
        word(&e.client)
    );
    let mut ctx = Context::default();
    match &e.verb {
        Verb::Buy {
            qty,
            price,
            expires,
        } => {
            ctx.buy = true;
            out.push(' ');
            out.push_str(&self::qty(qty, unit_minutes));
            match price {
                Some(Price::Each(m)) => {
                    let _ = write!(out, " @ {}", money(m));
                    ctx.after_money = m.currency.is_none();
                }
                Some(Price::Total(m)) => {
                    let _ = write!(out, " for {}", money(m));
                    ctx.after_money = m.currency.is_none();
                }
                None => {}
            }
            if let Some(x) = expires.filter(|_| e.meta(MetaKey::Expires).is_none()) {
                let _ = write!(out, " expires {}", expiry(x));
            }
        }
        Verb::Log { minutes, clock } => {
            out.push(' ');
            match clock {
                Some((a, b)) => {
                    let _ = write!(out, "{}-{}", hhmm(*a), hhmm(*b));
                }
                None => out.push_str(&quantity(*minutes, unit_minutes)),
            }
        }
        Verb::Debit { qty } => {
            out.push(' ');
            out.push_str(&self::qty(qty, unit_minutes));
        }
        Verb::Quote { id, qty } | Verb::Estimate { id, qty } => {
            let _ = write!(out, " {} {}", word(id), self::qty(qty, unit_minutes));
        }
        Verb::Approve { id } | Verb::Reject { id } | Verb::Done { id } => {
            out.push(' ');
            out.push_str(&word(id));
        }
        Verb::Apply { amount } => {
            out.push(' ');
            out.push_str(&money(amount));
            ctx.after_money = amount.currency.is_none();
        }
        Verb::Refund { lot, qty } => {
            out.push(' ');
            match lot {
                LotRef::Ref(r) => out.push_str(&word(r)),
                LotRef::Date(d) => {
                    let _ = write!(out, "{}", d.format("%Y-%m-%d"));
                }
            }
            match qty {
                Some(q) => {
                    out.push(' ');
                    out.push_str(&quantity(*q, unit_minutes));
                }
                None => ctx.optional_qty = true,
            }
        }
        Verb::Adjust { minutes } => {
            out.push(' ');
            if minutes.is_sign_positive() && !minutes.is_zero() {
                out.push('+');
            }
            out.push_str(&signed_quantity(*minutes, unit_minutes));
        }
        Verb::Plan { plan } => {
            out.push(' ');
            out.push_str(plan.as_deref().map_or("none".into(), word).as_str());
        }
        Verb::Bill => {}
        Verb::Assert { minutes } => {
            out.push(' ');
            out.push_str(&signed_quantity(*minutes, unit_minutes));
        }
    }
    for t in &e.tags {
        out.push_str(" #");
        out.push_str(&word(t));
    }
    for m in &e.meta {
        let _ = write!(out, " {}:{}", m.key.word(), word(&m.value));
    }
    let d = render_description(&e.description, ctx);
    if !d.is_empty() {
        out.push(' ');
        out.push_str(&d);
    } else if matches!(e.verb, Verb::Adjust { .. }) {
        // `adjust` needs a description: an empty one was written `""`, and is printed so.
        out.push_str(" \"\"");
    }
    out
}

/// A description as it is written in a journal: as is when every word reads as description
/// text, else in double quotes with `\"` and `\\` escapes. Control characters (newline, tab…)
/// become one space, so the text can never start a second line. This is the cautious form,
/// fit for any verb; [`entry`] quotes only where its verb needs it.
#[must_use]
pub fn description(s: &str) -> String {
    render_description(
        s,
        Context {
            buy: true,
            after_money: true,
            optional_qty: true,
        },
    )
}

/// A quantity in its shortest exact form: `15m`, `1h30m`, `10h`, `12.5m` (`3cr` only for
/// amounts too large to write in hours). Negative quantities get a `-`.
#[must_use]
pub fn quantity(m: Minutes, unit_minutes: Minutes) -> String {
    let sign = if m.is_sign_negative() && !m.is_zero() {
        "-"
    } else {
        ""
    };
    let a = m.abs();
    if a.is_zero() {
        return "0m".into();
    }
    let hours = (a / Decimal::from(60)).trunc();
    if hours > Decimal::from(MAX_NUMBER) && !unit_minutes.is_zero() {
        let units = a.checked_div(unit_minutes).unwrap_or_default().normalize();
        if units.checked_mul(unit_minutes) == Some(a) && units.scale() <= 10 {
            return format!("{sign}{units}cr");
        }
    }
    crate::model::duration(m)
}

/// A signed quantity as `adjust` and `assert` read it: `3h`, `-30m`, `0m` (no `+`).
#[must_use]
pub fn signed_quantity(m: Minutes, unit_minutes: Minutes) -> String {
    quantity(m, unit_minutes)
}

/// Money as written in a journal: `120`, `120.5 USD` (a symbol is written as its code).
#[must_use]
pub fn money(m: &Money) -> String {
    match m.currency {
        Some(c) => format!("{} {c}", m.amount.normalize()),
        None => m.amount.normalize().to_string(),
    }
}

fn qty(q: &Qty, unit_minutes: Minutes) -> String {
    match q {
        Qty::Minutes(m) => quantity(*m, unit_minutes),
        Qty::Named(n) => word(n),
    }
}

fn expiry(x: LineExpiry) -> String {
    match x {
        LineExpiry::Date(d) => d.format("%Y-%m-%d").to_string(),
        LineExpiry::Span(s) => s.to_string(),
        LineExpiry::Never => "never".into(),
    }
}

fn hhmm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// One word of user text (a client, an id, a tag, a metadata value): a blank or a control
/// character would split it or end the line, so it becomes `_`.
fn word(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || (c.is_ascii() && is_sep(c as u8)) {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// What the words right after the arguments could be mistaken for.
#[derive(Debug, Clone, Copy, Default)]
struct Context {
    /// `@`, `for` and `expires` are keywords.
    buy: bool,
    /// The arguments end with an amount without a code: a first word `USD` would be its code.
    after_money: bool,
    /// An optional quantity may follow (`refund` without `QTY`).
    optional_qty: bool,
}

/// User text on one line: each run of control characters (a newline, a tab) and of the other
/// characters a journal may not hold (separators, bidirectional controls) becomes one space.
#[must_use]
pub fn one_line(s: &str) -> String {
    flatten(s, false)
}

/// [`one_line`], keeping tabs when `keep_tabs` (a journal may hold a tab in a quoted run).
fn flatten(s: &str, keep_tabs: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_run = false;
    for c in s.chars() {
        // What a journal may not hold (`journal::forbidden_at`) goes the same way.
        if (c.is_control() && !(keep_tabs && c == '\t'))
            || matches!(c, '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        {
            if !in_run {
                out.push(' ');
            }
            in_run = true;
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out
}

fn render_description(s: &str, ctx: Context) -> String {
    // A tab read from a quoted run is printed back in quotes, not turned into a space.
    let s = flatten(s, true);
    if s.is_empty() || !needs_quotes(&s, ctx) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn needs_quotes(s: &str, ctx: Context) -> bool {
    if s.starts_with(' ') || s.ends_with(' ') || s.contains("  ") || s.contains('\t') {
        return true;
    }
    for (i, w) in s.split(' ').enumerate() {
        let first = i == 0;
        let special = w.starts_with(['#', '"', ';'])
            || w == "@"
            || (ctx.buy && w.starts_with('@'))
            || w.split_once(':')
                .is_some_and(|(k, _)| MetaKey::from_word(k).is_some())
            || (ctx.buy && (w == "for" || w == "expires"))
            || (first && ctx.after_money && crate::model::Currency::from_code(w).is_some())
            || (first
                && ctx.optional_qty
                && (looks_numeric(w) || w.starts_with(|c: char| c.is_ascii_digit())));
        if special {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Currency, DateSpan, Meta};
    use crate::source::{FileId, Span};
    use crate::syntax::journal::parse;
    use chrono::NaiveDate;
    use compact_str::CompactString;
    use proptest::prelude::*;

    fn unit() -> Minutes {
        Minutes::from(60)
    }

    fn reprint(line: &str) -> String {
        let p = parse(line, FileId(0), unit());
        assert_eq!(p.diagnostics, [], "{line}");
        entry(&p.entries[0], unit())
    }

    #[test]
    fn quantities_print_in_their_shortest_exact_form() {
        for (m, want) in [
            (Decimal::from(15), "15m"),
            (Decimal::from(90), "1h30m"),
            (Decimal::from(600), "10h"),
            (Decimal::new(125, 1), "12.5m"),
            (Decimal::new(9050, 2), "1h30.5m"),
            (Decimal::new(6000, 2), "1h"),
            (Decimal::ZERO, "0m"),
            (Decimal::from(-30), "-30m"),
            (Decimal::from(-150), "-2h30m"),
        ] {
            assert_eq!(quantity(m, unit()), want, "{m}");
        }
        let huge = Decimal::from(480_000_000_000_000_i64);
        assert_eq!(quantity(huge, Minutes::from(480)), "1000000000000cr");
    }

    #[test]
    fn descriptions_are_quoted_only_when_a_word_would_read_as_something_else() {
        for (s, want) in [
            ("Fixed header alignment", "Fixed header alignment"),
            (
                "café 日本語 a;b x\"y https://x",
                "café 日本語 a;b x\"y https://x",
            ),
            ("see #12", "\"see #12\""),
            ("ref:INV-1", "\"ref:INV-1\""),
            ("a ; b", "\"a ; b\""),
            ("\"quoted\"", "\"\\\"quoted\\\"\""),
            ("back\\slash \"q\"", "\"back\\\\slash \\\"q\\\"\""),
            ("two  spaces", "\"two  spaces\""),
            (" lead", "\" lead\""),
            ("line\nbreak", "line break"),
            ("tab\tand\r\nCRLF", "\"tab\tand CRLF\""),
            ("evil\ninclude x", "evil include x"),
            ("evil\n; comment", "\"evil ; comment\""),
            ("call @ noon", "\"call @ noon\""),
            ("time for tea", "\"time for tea\""),
            ("3 pages", "\"3 pages\""),
            ("USD rate", "\"USD rate\""),
            ("", ""),
        ] {
            assert_eq!(description(s), want, "{s:?}");
        }
    }

    #[test]
    fn lines_print_in_canonical_form() {
        for (line, want) in [
            (
                "2026-01-05  buy acme 600m @ $120 ref:INV-1041",
                "2026-01-05 buy acme 10h @ 120 USD ref:INV-1041",
            ),
            (
                "2026-01-05 buy acme 10 for 1000 expires 24mo",
                "2026-01-05 buy acme 10h for 1000 expires 2y",
            ),
            (
                "2026-01-05 buy acme 10h expires:90d Team",
                "2026-01-05 buy acme 10h expires:90d Team",
            ),
            (
                "2026-01-05 buy acme five \"Team for tea\"",
                "2026-01-05 buy acme five \"Team for tea\"",
            ),
            (
                "2026-01-06 log acme 09:15-10:40 Call #dev",
                "2026-01-06 log acme 09:15-10:40 #dev Call",
            ),
            (
                "2026-01-06 log acme 15m time for \"#tea\"",
                "2026-01-06 log acme 15m \"time for #tea\"",
            ),
            (
                "2026-01-20 quote acme Q7 3 due:2026-02-01 Page",
                "2026-01-20 quote acme Q7 3h due:2026-02-01 Page",
            ),
            (
                "2026-02-03 apply acme ¥8000 \"USD\" rate",
                "2026-02-03 apply acme 8000 JPY USD rate",
            ),
            (
                "2026-02-03 apply acme 240 \"USD rate\"",
                "2026-02-03 apply acme 240 \"USD rate\"",
            ),
            (
                "2026-03-01 refund acme 2026-01-05 \"3 days\"",
                "2026-03-01 refund acme 2026-01-05 \"3 days\"",
            ),
            (
                "2026-03-01 refund acme R1 2h 3 days",
                "2026-03-01 refund acme R1 2h 3 days",
            ),
            (
                "2026-03-01 adjust acme 2h goodwill",
                "2026-03-01 adjust acme +2h goodwill",
            ),
            (
                "2026-03-01 adjust acme -0 reset",
                "2026-03-01 adjust acme 0m reset",
            ),
            ("2026-03-01 assert acme -30m", "2026-03-01 assert acme -30m"),
            ("2026-03-01 plan acme none", "2026-03-01 plan acme none"),
            (
                "2026-01-06 log acme 15m ping @john for 3 USD",
                "2026-01-06 log acme 15m ping @john for 3 USD",
            ),
            (
                "2026-03-01 bill acme ref:I-2",
                "2026-03-01 bill acme ref:I-2",
            ),
        ] {
            assert_eq!(reprint(line), want, "{line}");
        }
    }

    #[test]
    fn user_text_never_breaks_the_line() {
        let p = parse("2026-01-06 log acme 1h x", FileId(0), unit());
        let mut e = p.entries[0].clone();
        e.description = "x\ninclude evil.credits\r\n2026-01-01 buy acme 100h".into();
        e.tags = vec!["a b\nc".into()];
        e.client = "ac\nme".into();
        let line = entry(&e, unit());
        assert!(!line.contains(['\n', '\r']), "{line}");
        let back = parse(&line, FileId(0), unit());
        assert_eq!(back.entries.len() + back.diagnostics.len(), 1);
    }

    // --- the round trip -------------------------------------------------------------------

    fn date() -> impl Strategy<Value = NaiveDate> {
        (1990..2100i32, 1..=12u32, 1..=28u32)
            .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    fn minutes() -> impl Strategy<Value = Minutes> {
        prop_oneof![
            (1..100_000i64).prop_map(Decimal::from),
            (1..10_000_000i64, 0..4u32).prop_map(|(n, s)| Decimal::new(n, s)),
        ]
    }

    fn signed() -> impl Strategy<Value = Minutes> {
        prop_oneof![Just(Decimal::ZERO), minutes(), minutes().prop_map(|m| -m)]
    }

    fn name() -> impl Strategy<Value = CompactString> {
        "[a-z][a-z0-9_-]{0,8}"
            .prop_filter("not none", |s| s != "none")
            .prop_map(CompactString::from)
    }

    fn id() -> impl Strategy<Value = CompactString> {
        "[A-Za-z0-9][A-Za-z0-9_.-]{0,6}".prop_map(CompactString::from)
    }

    fn qty() -> impl Strategy<Value = Qty> {
        prop_oneof![
            minutes().prop_map(Qty::Minutes),
            name().prop_map(Qty::Named)
        ]
    }

    fn money() -> impl Strategy<Value = Money> {
        let cur = prop::sample::select(vec![None, Some("USD"), Some("EUR"), Some("JPY")]);
        ((0..1_000_000_000i64, 0..3u32), cur).prop_map(|((n, s), c)| Money {
            amount: Decimal::new(n, s),
            currency: c.and_then(Currency::from_code),
        })
    }

    fn expiry() -> impl Strategy<Value = LineExpiry> {
        prop_oneof![
            date().prop_map(LineExpiry::Date),
            (0..1000u32).prop_map(|d| LineExpiry::Span(DateSpan::Days(d))),
            (0..100u32).prop_map(|m| LineExpiry::Span(DateSpan::Months(m))),
            Just(LineExpiry::Never),
        ]
    }

    fn verb() -> impl Strategy<Value = Verb> {
        let price = prop_oneof![
            Just(None),
            money().prop_map(|m| Some(Price::Each(m))),
            money().prop_map(|m| Some(Price::Total(m))),
        ];
        let clock = (0..23u32, 0..60u32, 1..600u32).prop_map(|(h, m, len)| {
            let a = NaiveTime::from_hms_opt(h, m, 0).unwrap();
            let end = (h * 60 + m + len).min(23 * 60 + 59);
            let b = NaiveTime::from_hms_opt(end / 60, end % 60, 0).unwrap();
            Verb::Log {
                minutes: Decimal::from((b - a).num_minutes()),
                clock: Some((a, b)),
            }
        });
        prop_oneof![
            (qty(), price, prop::option::of(expiry())).prop_map(|(qty, price, expires)| {
                Verb::Buy {
                    qty,
                    price,
                    expires,
                }
            }),
            minutes().prop_map(|minutes| Verb::Log {
                minutes,
                clock: None
            }),
            clock,
            qty().prop_map(|qty| Verb::Debit { qty }),
            (id(), qty()).prop_map(|(id, qty)| Verb::Quote { id, qty }),
            (id(), qty()).prop_map(|(id, qty)| Verb::Estimate { id, qty }),
            id().prop_map(|id| Verb::Approve { id }),
            id().prop_map(|id| Verb::Reject { id }),
            id().prop_map(|id| Verb::Done { id }),
            money().prop_map(|amount| Verb::Apply { amount }),
            (
                prop_oneof![id().prop_map(LotRef::Ref), date().prop_map(LotRef::Date)],
                prop::option::of(minutes())
            )
                .prop_map(|(lot, qty)| Verb::Refund { lot, qty }),
            signed().prop_map(|minutes| Verb::Adjust { minutes }),
            prop::option::of(name()).prop_map(|plan| Verb::Plan { plan }),
            Just(Verb::Bill),
            signed().prop_map(|minutes| Verb::Assert { minutes }),
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            prop::sample::select(vec![
                "\"",
                "\\",
                "\\\"",
                ";",
                "; x",
                "#",
                "#tag",
                "include",
                "include x",
                "\n",
                "\r\n",
                "\t",
                " ",
                "  ",
                "@",
                "@ 5",
                " for ",
                " expires ",
                " ref:x ",
                "due:2026-01-01",
                " task: ",
                "café",
                "日本語",
                "15m ",
                "3 ",
                "USD ",
                " never ",
                "\u{0}",
                "\u{85}",
                " #x ",
                " \"a",
                " @x ",
                " ;",
            ])
            .prop_map(str::to_string),
            "[a-zA-Z]{1,6}",
            "\\PC{1,4}",
            any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
    }

    fn entry_strategy() -> impl Strategy<Value = Entry> {
        let word = "[^\\s\\p{Cc}\\u{2028}-\\u{202e}\\u{2066}-\\u{2069}]{1,6}";
        let meta = prop::collection::btree_map(
            prop::sample::select(vec![
                MetaKey::Ref,
                MetaKey::Quote,
                MetaKey::Project,
                MetaKey::Task,
                MetaKey::Due,
            ]),
            word,
            0..3,
        );
        (
            date(),
            "[a-z][a-z0-9_-]{0,8}",
            verb(),
            prop::collection::vec(word, 0..3),
            meta,
            any::<bool>(),
            text(),
        )
            .prop_map(
                |(date, client, verb, tags, meta, expires_as_meta, description)| {
                    let log = matches!(verb, Verb::Log { .. });
                    let mut meta: Vec<Meta> = meta
                        .into_iter()
                        // `quote:` is only for `log`.
                        .filter(|(key, _)| log || *key != MetaKey::Quote)
                        .map(|(key, value)| {
                            let value = if key == MetaKey::Due {
                                date.format("%Y-%m-%d").to_string()
                            } else {
                                value
                            };
                            Meta {
                                key,
                                value: value.into(),
                            }
                        })
                        .collect();
                    if let (
                        true,
                        Verb::Buy {
                            expires: Some(x), ..
                        },
                    ) = (expires_as_meta, &verb)
                    {
                        meta.push(Meta {
                            key: MetaKey::Expires,
                            value: super::expiry(*x).into(),
                        });
                    }
                    let mut description = one_line(&description);
                    if description.is_empty() && matches!(verb, Verb::Adjust { .. }) {
                        description = "fix".into();
                    }
                    Entry {
                        date,
                        seq: 0,
                        span: Span::default(),
                        client_span: Span::default(),
                        client: client.into(),
                        verb,
                        tags: tags.into_iter().map(CompactString::from).collect(),
                        meta,
                        description,
                        canon: crate::model::Canon::EMPTY,
                    }
                },
            )
    }

    #[test]
    fn an_adjust_with_an_empty_quoted_description_prints_it_back() {
        // Found by `examples/fuzz.rs` (seed 1, case 384958): the `""` was dropped, and the
        // printed line read back as an `adjust` without a description, an error.
        let line = "2026-01-08 adjust acme 0 \"\"";
        let p = parse(line, FileId(0), unit());
        assert_eq!(p.diagnostics, vec![]);
        let printed = entry(&p.entries[0], unit());
        assert_eq!(printed, "2026-01-08 adjust acme 0m \"\"");
        let back = parse(&printed, FileId(0), unit());
        assert_eq!(back.diagnostics, vec![], "{printed:?}");
    }

    #[test]
    fn a_tab_in_a_quoted_description_prints_back_in_quotes() {
        // Found by `examples/fuzz.rs` (seed 1): the tab became a space, so the printed line
        // read back as another entry.
        for line in [
            "2026-01-06 log acme 5m \"\t\"",
            "2026-01-07 log acme 3m \"\\e\\,\\\t\"",
            "2026-01-07 log acme 3m \"a\tb\" #dev",
        ] {
            let p = parse(line, FileId(0), unit());
            assert_eq!(p.diagnostics, vec![], "{line:?}");
            let printed = entry(&p.entries[0], unit());
            let back = parse(&printed, FileId(0), unit());
            assert_eq!(back.diagnostics, vec![], "{printed:?}");
            assert_eq!(
                back.entries[0].description, p.entries[0].description,
                "{line:?} printed as {printed:?}"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn a_printed_entry_parses_back_to_itself(
            e in entry_strategy(),
            unit_minutes in prop::sample::select(vec![1i64, 60, 480]),
        ) {
            let u = Decimal::from(unit_minutes);
            let line = entry(&e, u);
            prop_assert!(!line.contains(['\n', '\r']));
            let p = parse(&line, FileId(0), u);
            prop_assert_eq!(&p.diagnostics, &vec![], "{}", line);
            prop_assert_eq!(p.entries.len(), 1);
            let mut back = p.entries[0].clone();
            back.span = Span::default();
            back.client_span = Span::default();
            back.seq = 0;
            // A printed line is canonical: its words after the date are its canonical text.
            prop_assert_eq!(back.canon.as_str(), &line[11..]);
            back.canon = crate::model::Canon::EMPTY;
            prop_assert_eq!(back, e, "{}", line);
        }

        #[test]
        fn printing_is_stable(e in entry_strategy()) {
            let line = entry(&e, unit());
            let p = parse(&line, FileId(0), unit());
            prop_assert_eq!(entry(&p.entries[0], unit()), line);
        }
    }
}
