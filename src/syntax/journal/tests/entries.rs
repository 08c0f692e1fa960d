//! Good lines: each reads as the entry it says.

use super::*;

#[test]
fn good_lines_read_as_the_entries_they_say() {
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let meta = |key, v: &str| Meta {
        key,
        value: v.into(),
    };
    let cases: Vec<Case> = vec![
        (
            "2026-01-05 buy acme 10h @ 120 USD ref:INV-1041",
            Verb::Buy {
                qty: Qty::Minutes(d(600)),
                price: Some(Price::Each(usd(120))),
                expires: None,
            },
            vec![],
            vec![meta(MetaKey::Ref, "INV-1041")],
            "",
        ),
        (
            "2026-01-05 buy acme five",
            Verb::Buy {
                qty: Qty::Named("five".into()),
                price: None,
                expires: None,
            },
            vec![],
            vec![],
            "",
        ),
        (
            "2026-01-05 buy acme 5pack",
            Verb::Buy {
                qty: Qty::Named("5pack".into()),
                price: None,
                expires: None,
            },
            vec![],
            vec![],
            "",
        ),
        (
            "2026-01-05 buy acme 10 for $1,000 expires 12mo Team pack",
            Verb::Buy {
                qty: Qty::Minutes(d(600)),
                price: Some(Price::Total(usd(1000))),
                expires: Some(LineExpiry::Span(DateSpan::Months(12))),
            },
            vec![],
            vec![],
            "Team pack",
        ),
        (
            "2026-01-05 buy acme 2h Team expires never for 250 pack",
            Verb::Buy {
                qty: Qty::Minutes(d(120)),
                price: Some(Price::Total(Money {
                    amount: d(250),
                    currency: None,
                })),
                expires: Some(LineExpiry::Never),
            },
            vec![],
            vec![],
            "Team pack",
        ),
        (
            "2026-01-05 buy acme 10h @120 expires:2026-12-31",
            Verb::Buy {
                qty: Qty::Minutes(d(600)),
                price: Some(Price::Each(Money {
                    amount: d(120),
                    currency: None,
                })),
                expires: Some(LineExpiry::Date(date("2026-12-31"))),
            },
            vec![],
            vec![meta(MetaKey::Expires, "2026-12-31")],
            "",
        ),
        (
            "2026-01-06 log acme 09:15-10:40 Call",
            Verb::Log {
                minutes: d(85),
                clock: Some((t(9, 15), t(10, 40))),
            },
            vec![],
            vec![],
            "Call",
        ),
        (
            "2026-01-06 log acme 1.5h \"#not-a-tag ref:1 ; @\" #real",
            Verb::Log {
                minutes: d(90),
                clock: None,
            },
            vec!["real"],
            vec![],
            "#not-a-tag ref:1 ; @",
        ),
        (
            "2026-01-06 log acme 15m Fixed \"the  header\" now ; comment \"x",
            Verb::Log {
                minutes: d(15),
                clock: None,
            },
            vec![],
            vec![],
            "Fixed the  header now",
        ),
        (
            r#"2026-01-06 log acme 15m a;b x"y "say \"hi\" \\ok\x""#,
            Verb::Log {
                minutes: d(15),
                clock: None,
            },
            vec![],
            vec![],
            r#"a;b x"y say "hi" \ok\x"#,
        ),
        (
            "  2026-01-06\tlog acme 15m café  日本語 #dév",
            Verb::Log {
                minutes: d(15),
                clock: None,
            },
            vec!["dév"],
            vec![],
            "café 日本語",
        ),
        (
            "2026-01-06 log acme 1h for the team expires soon @john # https://x.example/a",
            Verb::Log {
                minutes: d(60),
                clock: None,
            },
            vec![],
            vec![],
            "for the team expires soon @john # https://x.example/a",
        ),
        (
            "2026-01-12 debit acme complex-plugin Install",
            Verb::Debit {
                qty: Qty::Named("complex-plugin".into()),
            },
            vec![],
            vec![],
            "Install",
        ),
        (
            "2026-01-12 debit acme 3cr",
            Verb::Debit {
                qty: Qty::Minutes(d(180)),
            },
            vec![],
            vec![],
            "",
        ),
        (
            "2026-01-20 quote acme Q7 3 due:2026-02-01 Custom landing page",
            Verb::Quote {
                id: "Q7".into(),
                qty: Qty::Minutes(d(180)),
            },
            vec![],
            vec![meta(MetaKey::Due, "2026-02-01")],
            "Custom landing page",
        ),
        (
            "2026-01-20 quote acme #big Q8 ref:R1 banner",
            Verb::Quote {
                id: "Q8".into(),
                qty: Qty::Named("banner".into()),
            },
            vec!["big"],
            vec![meta(MetaKey::Ref, "R1")],
            "",
        ),
        (
            "2026-01-20 estimate acme E1 2h30m due:2026-02-01 Shop migration",
            Verb::Estimate {
                id: "E1".into(),
                qty: Qty::Minutes(d(150)),
            },
            vec![],
            vec![meta(MetaKey::Due, "2026-02-01")],
            "Shop migration",
        ),
        (
            "2026-01-20 log acme 45m quote:E1 Migration",
            Verb::Log {
                minutes: d(45),
                clock: None,
            },
            vec![],
            vec![meta(MetaKey::Quote, "E1")],
            "Migration",
        ),
        (
            "2026-01-21 approve acme Q7",
            Verb::Approve { id: "Q7".into() },
            vec![],
            vec![],
            "",
        ),
        (
            "2026-01-21 reject acme Q7 too dear",
            Verb::Reject { id: "Q7".into() },
            vec![],
            vec![],
            "too dear",
        ),
        (
            "2026-02-01 done acme Q7",
            Verb::Done { id: "Q7".into() },
            vec![],
            vec![],
            "",
        ),
        (
            "2026-02-03 apply acme 240 USD project:redesign",
            Verb::Apply { amount: usd(240) },
            vec![],
            vec![meta(MetaKey::Project, "redesign")],
            "",
        ),
        (
            "2026-02-03 apply acme ¥8000 JPY usd",
            Verb::Apply {
                amount: Money {
                    amount: d(8000),
                    currency: Currency::from_code("JPY"),
                },
            },
            vec![],
            vec![],
            "usd",
        ),
        (
            "2026-03-01 refund acme 2026-001 2h Unused",
            Verb::Refund {
                lot: LotRef::Ref("2026-001".into()),
                qty: Some(d(120)),
            },
            vec![],
            vec![],
            "Unused",
        ),
        (
            "2026-03-01 refund acme 2026-01-05 Client left",
            Verb::Refund {
                lot: LotRef::Date(date("2026-01-05")),
                qty: None,
            },
            vec![],
            vec![],
            "Client left",
        ),
        (
            "2026-03-01 adjust acme -30m Double-logged",
            Verb::Adjust { minutes: d(-30) },
            vec![],
            vec![],
            "Double-logged",
        ),
        (
            "2026-03-01 adjust acme 2h goodwill",
            Verb::Adjust { minutes: d(120) },
            vec![],
            vec![],
            "goodwill",
        ),
        (
            "2026-03-01 adjust acme +0 \"\"",
            Verb::Adjust { minutes: d(0) },
            vec![],
            vec![],
            "",
        ),
        (
            "2026-03-01 plan acme none",
            Verb::Plan { plan: None },
            vec![],
            vec![],
            "",
        ),
        (
            "2026-03-01 plan acme concierge",
            Verb::Plan {
                plan: Some("concierge".into()),
            },
            vec![],
            vec![],
            "",
        ),
        (
            "2026-03-01 bill acme ref:INV-2001 March overage",
            Verb::Bill,
            vec![],
            vec![meta(MetaKey::Ref, "INV-2001")],
            "March overage",
        ),
        (
            "2026-03-01 assert acme -30m",
            Verb::Assert { minutes: d(-30) },
            vec![],
            vec![],
            "",
        ),
        (
            "2026-03-01 assert acme 0",
            Verb::Assert { minutes: d(0) },
            vec![],
            vec![],
            "",
        ),
    ];
    for (line, verb, tags, meta, description) in cases {
        let e = one(line);
        assert_eq!(e.client, "acme", "{line}");
        assert_eq!(e.verb, verb, "{line}");
        assert_eq!(e.tags, tags, "{line}");
        assert_eq!(e.meta, meta, "{line}");
        assert_eq!(e.description, description, "{line}");
    }
}
