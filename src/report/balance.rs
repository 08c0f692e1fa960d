//! `credits balance`: every client's time, lots and warnings as of a date (SPEC §6, §7.11–12).

use crate::engine::{ClientState, Lot, LotKind, QuoteState, Replay};
use crate::model::{Book, Currency, Minutes, Order};
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// The balance report: one row per client of the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    /// The date replayed through.
    pub as_of: NaiveDate,
    /// The book's unit name, singular (`credit`).
    pub unit: String,
    /// Minutes in one unit.
    pub unit_minutes: Minutes,
    /// The clients, by id.
    pub clients: Vec<ClientBalance>,
    /// Entries dated after `as_of`, not counted.
    pub later_entries: usize,
}

/// One client's balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientBalance {
    /// Client id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The plan in force.
    pub plan: Option<String>,
    /// The client's currency.
    pub currency: Currency,
    /// Hourly rate overage is billed at.
    pub rate: Option<Decimal>,
    /// Remaining time in all open lots minus carried debt.
    pub balance: Minutes,
    /// Logged time waiting to complete a unit.
    pub pending: Minutes,
    /// Time reserved by approved quotes.
    pub reserved: Minutes,
    /// `balance − pending − reserved`.
    pub available: Minutes,
    /// Included (granted) time left.
    pub included_left: Minutes,
    /// Overage not yet marked by `bill`.
    pub overage: Minutes,
    /// `overage` at `rate` (exact), `None` without a rate.
    pub overage_due: Option<Decimal>,
    /// Money value of the remaining purchased time (exact).
    pub value: Decimal,
    /// Earliest last usable day of an open purchased or `adjust +` lot.
    pub next_expiry: Option<NaiveDate>,
    /// Open lots, in consumption order.
    pub lots: Vec<LotLine>,
    /// Quotes pending or approved, by id.
    pub quotes: Vec<QuoteLine>,
    /// What deserves attention, in the SPEC's order of kinds.
    pub warnings: Vec<Warning>,
    /// The pace of the last 90 days and the day the time runs out at it.
    pub forecast: super::Forecast,
}

/// An open lot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotLine {
    /// The `ref:` of its `buy`.
    pub reference: Option<String>,
    /// Purchase (or grant) date.
    pub date: NaiveDate,
    /// `purchase`, `grant` or `adjust`.
    pub kind: LotKind,
    /// Minutes bought or granted.
    pub purchased: Minutes,
    /// Minutes left.
    pub remaining: Minutes,
    /// Price of one unit, `None` for free lots.
    pub unit_price: Option<Decimal>,
    /// Last usable day, `None` for never.
    pub expires: Option<NaiveDate>,
}

/// A quote still open: pending or approved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteLine {
    /// Quote id.
    pub id: String,
    /// Date of the `quote` entry.
    pub date: NaiveDate,
    /// `due:` date.
    pub due: Option<NaiveDate>,
    /// Its cost.
    pub minutes: Minutes,
    /// True when approved (its time is reserved).
    pub approved: bool,
    /// Its description.
    pub description: String,
}

/// The kind of a balance warning (SPEC §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WarningKind {
    /// Purchased or `adjust +` time expires within `warn_days`.
    Expiring,
    /// The balance is below the policy's `low_balance`.
    LowBalance,
    /// Overage not yet billed.
    Overage,
    /// The balance is negative (carried debt).
    Negative,
    /// An approved quote or estimate is past its `due:` date and not done.
    Overdue,
}

impl WarningKind {
    /// The SPEC's word: `expiring`, `low_balance`, `overage`, `negative`.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            WarningKind::Expiring => "expiring",
            WarningKind::LowBalance => "low_balance",
            WarningKind::Overage => "overage",
            WarningKind::Negative => "negative",
            WarningKind::Overdue => "overdue",
        }
    }
}

/// One warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What it is about.
    pub kind: WarningKind,
    /// `expiring`: the last usable day; `overdue`: the due date; otherwise `None`.
    pub date: Option<NaiveDate>,
    /// `expiring`: minutes expiring; `overage`: the overage; `overdue`: the reservation still
    /// held; otherwise the balance.
    pub minutes: Minutes,
    /// `low_balance`: the `low_balance` the balance is under.
    pub threshold: Option<Minutes>,
    /// `overdue`: the kind and id of the quote or estimate.
    pub quote: Option<(crate::engine::QuoteKind, String)>,
}

/// The balance of every client of `book` (or only of `only`) after `replay`, as of `as_of`.
///
/// A client the replay never saw has an empty state; an `only` that is not a client of the
/// book gives no rows (the caller reports it).
#[must_use]
pub fn balance(book: &Book, replay: &Replay, as_of: NaiveDate, only: Option<&str>) -> Balance {
    let empty = ClientState::default();
    let clients = book
        .clients
        .values()
        .filter(|c| only.is_none_or(|o| o == c.id))
        .map(|c| {
            let state = replay.clients.get(&c.id).unwrap_or(&empty);
            client_balance(book, &c.id, &c.name, state, as_of)
        })
        .collect();
    Balance {
        as_of,
        unit: book.unit.clone(),
        unit_minutes: book.unit_minutes,
        clients,
        later_entries: replay.later_entries,
    }
}

fn client_balance(
    book: &Book,
    id: &str,
    name: &str,
    state: &ClientState,
    as_of: NaiveDate,
) -> ClientBalance {
    let policy = book.policy_for(id, state.plan.as_deref());
    let mut open: Vec<&Lot> = state
        .lots
        .iter()
        .filter(|l| l.is_open() && l.last_day.is_none_or(|d| d >= as_of))
        .collect();
    open.sort_by(|a, b| consumption(policy.order, a, b));

    let balance = state.balance();
    let reserved = state.reserved();
    let rate = book.clients.get(id).and_then(|c| c.rate).map(|m| m.amount);
    let hour = Decimal::from(60);
    let overage_due = rate.map(|r| state.overage * r / hour);

    let mut expiring: BTreeMap<NaiveDate, Minutes> = BTreeMap::new();
    let until = warn_until(book, id, state, as_of);
    for (_, lot, day) in expiring_lots(state, as_of, until) {
        *expiring.entry(day).or_default() += lot.remaining;
    }
    let mut warnings: Vec<Warning> = expiring
        .iter()
        .map(|(&day, &minutes)| Warning {
            kind: WarningKind::Expiring,
            date: Some(day),
            minutes,
            threshold: None,
            quote: None,
        })
        .collect();
    if let Some(low) = policy.low_balance
        && balance < low
    {
        warnings.push(Warning {
            kind: WarningKind::LowBalance,
            date: None,
            minutes: balance,
            threshold: Some(low),
            quote: None,
        });
    }
    if state.overage > Decimal::ZERO {
        warnings.push(Warning {
            kind: WarningKind::Overage,
            date: None,
            minutes: state.overage,
            threshold: None,
            quote: None,
        });
    }
    if balance < Decimal::ZERO {
        warnings.push(Warning {
            kind: WarningKind::Negative,
            date: None,
            minutes: balance,
            threshold: None,
            quote: None,
        });
    }
    warnings.extend(overdue(state, as_of));
    let available = balance - state.pending - reserved;

    ClientBalance {
        id: id.to_string(),
        name: name.to_string(),
        plan: state.plan.clone(),
        currency: book.currency_of(id),
        rate,
        balance,
        pending: state.pending,
        reserved,
        available,
        included_left: state.included_left(),
        overage: state.overage,
        overage_due,
        value: state.value(),
        next_expiry: open
            .iter()
            .filter(|l| l.kind != LotKind::Grant)
            .filter_map(|l| l.last_day)
            .min(),
        lots: open
            .iter()
            .map(|l| LotLine {
                reference: l.reference.clone(),
                date: l.date,
                kind: l.kind,
                purchased: l.minutes,
                remaining: l.remaining.dec(),
                unit_price: l.unit_price(book.unit_minutes),
                expires: l.last_day,
            })
            .collect(),
        quotes: state
            .quotes
            .values()
            .filter(|q| matches!(q.state, QuoteState::Pending | QuoteState::Approved))
            .map(|q| QuoteLine {
                id: q.id.clone(),
                date: q.date,
                due: q.due,
                minutes: q.minutes,
                approved: q.state == QuoteState::Approved,
                description: q.description.clone(),
            })
            .collect(),
        warnings,
        forecast: super::forecast(state.burn, available, as_of),
    }
}

/// An `overdue` warning for every approved quote or estimate whose `due:` is before `as_of`
/// (not done: a done one is no longer approved), by id.
#[must_use]
pub fn overdue(state: &ClientState, as_of: NaiveDate) -> Vec<Warning> {
    state
        .quotes
        .values()
        .filter(|q| q.state == QuoteState::Approved)
        .filter_map(|q| {
            let due = q.due.filter(|&d| d < as_of)?;
            Some(Warning {
                kind: WarningKind::Overdue,
                date: Some(due),
                minutes: q.held,
                threshold: None,
                quote: Some((q.kind, q.id.clone())),
            })
        })
        .collect()
}

/// The last day `expiring` looks at for `client` by default: today plus its `warn_days`
/// (client > plan > book, SPEC §7.12).
#[must_use]
pub fn warn_until(book: &Book, client: &str, state: &ClientState, as_of: NaiveDate) -> NaiveDate {
    let days = book.policy_for(client, state.plan.as_deref()).warn_days;
    as_of
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// The lots that are "expiring", for both `balance` warnings and `expiring`: open purchased
/// and `adjust +` lots, and grants that lapse after a span (never those that lapse at month
/// end), still usable on `as_of` whose last usable day is on or before `until`. Yields (index
/// in `state.lots`, lot, last usable day).
pub fn expiring_lots(
    state: &ClientState,
    as_of: NaiveDate,
    until: NaiveDate,
) -> impl Iterator<Item = (usize, &Lot, NaiveDate)> {
    state.lots.iter().enumerate().filter_map(move |(i, l)| {
        let day = l.last_day?;
        let warned = l.kind != LotKind::Grant || !l.lapse.at_month_end();
        (l.is_open() && warned && day >= as_of && day <= until).then_some((i, l, day))
    })
}

/// SPEC §4 consumption order: grants first (earliest expiry first), then purchased and
/// `adjust +` lots fifo or expiring-first (`never` last, ties fifo).
fn consumption(order: Order, a: &Lot, b: &Lot) -> Ordering {
    // `(is_none, date)` sorts `never` after every date.
    let expiry = |l: &Lot| (l.last_day.is_none(), l.last_day);
    let fifo = |l: &Lot| (l.date, l.seq);
    let grant = |l: &Lot| l.kind != LotKind::Grant;
    grant(a).cmp(&grant(b)).then_with(|| {
        if a.kind == LotKind::Grant || order == Order::ExpiringFirst {
            expiry(a)
                .cmp(&expiry(b))
                .then_with(|| fifo(a).cmp(&fifo(b)))
        } else {
            fifo(a).cmp(&fifo(b))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A warning as people read it (`render` words it).
    fn said(b: &Balance, w: &Warning) -> String {
        crate::render::words::warning(&b.unit, b.unit_minutes, w)
    }
    use crate::engine::{Quote, QuoteKind, Replay};
    use crate::model::{Client, Policy, PolicyOverride};
    use crate::source::Span;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn book(order: Order, low_balance: Option<i64>) -> Book {
        let client = Client {
            id: "acme".into(),
            name: "Acme Corp".into(),
            currency: None,
            rate: Some(crate::model::Money {
                amount: Decimal::from(150),
                currency: None,
            }),
            email: None,
            dirs: Vec::new(),
            policy: PolicyOverride::default(),
            span: Span::default(),
        };
        Book {
            name: "b".into(),
            unit: "credit".into(),
            unit_minutes: Decimal::from(60),
            currency: Currency(*b"USD"),
            journals: Vec::new(),
            policy: Policy {
                order,
                low_balance: low_balance.map(Decimal::from),
                ..Policy::default()
            },
            plans: BTreeMap::new(),
            packages: BTreeMap::new(),
            tasks: BTreeMap::new(),
            clients: BTreeMap::from([("acme".to_string(), client)]),
            issuer: Vec::new(),
            email: None,
            footer: Vec::new(),
        }
    }

    fn lot(kind: LotKind, date: &str, minutes: i64, paid: i64, last_day: Option<&str>) -> Lot {
        Lot {
            reference: None,
            date: d(date),
            kind,
            minutes: Decimal::from(minutes),
            remaining: Decimal::from(minutes).into(),
            paid: Decimal::from(paid),
            value: Decimal::from(paid).into(),
            last_day: last_day.map(d),
            refund_until: None,
            seq: 0,
            span: Span::default(),
            lapse: if kind == LotKind::Grant {
                crate::engine::Lapse::MonthEnd {
                    rollover: Decimal::ZERO,
                }
            } else {
                crate::engine::Lapse::Day
            },
        }
    }

    fn replay_of(state: ClientState) -> Replay {
        Replay {
            clients: BTreeMap::from([("acme".to_string(), state)]),
            ..Replay::default()
        }
    }

    #[test]
    fn open_lots_come_grants_first_then_in_the_policy_order() {
        let state = ClientState {
            lots: vec![
                lot(LotKind::Purchase, "2026-01-05", 600, 1200, None),
                lot(
                    LotKind::Purchase,
                    "2026-02-01",
                    120,
                    240,
                    Some("2026-03-01"),
                ),
                lot(LotKind::Grant, "2026-02-01", 180, 0, Some("2026-02-28")),
                Lot {
                    remaining: Decimal::ZERO.into(),
                    ..lot(LotKind::Adjust, "2026-01-02", 60, 0, None)
                },
            ],
            ..ClientState::default()
        };
        let fifo = balance(
            &book(Order::Fifo, None),
            &replay_of(state.clone()),
            d("2026-02-02"),
            None,
        );
        let dates: Vec<_> = fifo.clients[0]
            .lots
            .iter()
            .map(|l| (l.kind, l.date))
            .collect();
        assert_eq!(
            dates,
            [
                (LotKind::Grant, d("2026-02-01")),
                (LotKind::Purchase, d("2026-01-05")),
                (LotKind::Purchase, d("2026-02-01"))
            ]
        );
        let first = balance(
            &book(Order::ExpiringFirst, None),
            &replay_of(state),
            d("2026-02-02"),
            None,
        );
        let dates: Vec<_> = first.clients[0].lots.iter().map(|l| l.date).collect();
        assert_eq!(dates, [d("2026-02-01"), d("2026-02-01"), d("2026-01-05")]);
        assert_eq!(
            first.clients[0].lots[1].unit_price,
            Some(Decimal::from(120))
        );
        assert_eq!(first.clients[0].lots[0].unit_price, None);
    }

    #[test]
    fn expiring_time_is_one_warning_per_date_and_grants_are_left_out() {
        let state = ClientState {
            lots: vec![
                lot(
                    LotKind::Purchase,
                    "2026-01-05",
                    300,
                    600,
                    Some("2026-12-01"),
                ),
                lot(LotKind::Adjust, "2026-02-05", 120, 0, Some("2026-12-01")),
                lot(LotKind::Purchase, "2026-03-05", 60, 120, Some("2026-12-05")),
                lot(
                    LotKind::Purchase,
                    "2026-03-06",
                    150,
                    120,
                    Some("2027-06-05"),
                ),
                lot(LotKind::Grant, "2026-11-01", 180, 0, Some("2026-11-30")),
            ],
            ..ClientState::default()
        };
        let b = balance(
            &book(Order::Fifo, None),
            &replay_of(state),
            d("2026-11-22"),
            None,
        );
        let w: Vec<_> = b.clients[0].warnings.iter().map(|w| said(&b, w)).collect();
        assert_eq!(
            w,
            [
                "7 credits expire after 2026-12-01",
                "1 credit expires after 2026-12-05"
            ]
        );
        assert_eq!(b.clients[0].next_expiry, Some(d("2026-12-01")));
    }

    #[test]
    fn available_subtracts_pending_and_reserved_and_low_overage_negative_warn() {
        let mut state = ClientState {
            lots: vec![lot(LotKind::Purchase, "2026-01-05", 90, 180, None)],
            pending: Decimal::from(15),
            overage: Decimal::from(30),
            debt: Decimal::from(240),
            ..ClientState::default()
        };
        state.quotes.insert(
            "Q7".into(),
            Quote {
                id: "Q7".into(),
                kind: QuoteKind::Quote,
                minutes: Decimal::from(60),
                state: QuoteState::Approved,
                held: Decimal::from(60),
                actual: Decimal::ZERO,
                date: d("2026-01-20"),
                due: None,
                description: String::new(),
            },
        );
        let b = balance(
            &book(Order::Fifo, Some(120)),
            &replay_of(state),
            d("2026-02-01"),
            Some("acme"),
        );
        let c = &b.clients[0];
        assert_eq!(c.balance, Decimal::from(-150));
        assert_eq!(c.available, Decimal::from(-225));
        assert_eq!(c.overage_due, Some(Decimal::from(75)));
        let kinds: Vec<_> = c.warnings.iter().map(|w| w.kind.word()).collect();
        assert_eq!(kinds, ["low_balance", "overage", "negative"]);
        assert_eq!(
            said(&b, &c.warnings[1]),
            "0.5 credits of overage not billed yet"
        );
        assert_eq!(
            said(&b, &c.warnings[2]),
            "the balance is negative: -2.5 credits"
        );
    }

    #[test]
    fn an_unknown_only_gives_no_rows() {
        let b = balance(
            &book(Order::Fifo, None),
            &Replay::default(),
            d("2026-02-01"),
            Some("x"),
        );
        assert!(b.clients.is_empty());
    }

    #[test]
    fn an_approved_quote_or_estimate_past_its_due_date_and_not_done_is_overdue() {
        let toml = "[book]\nname = \"T\"\ncurrency = \"USD\"\n[policy]\ndebit = \"exact\"\n[clients.acme]\nname = \"Acme\"\n";
        let j = "
            2026-01-05 buy acme 10h @ 100
            2026-01-06 quote acme Q7 3h due:2026-02-01 Landing page
            2026-01-06 estimate acme E1 2h due:2026-01-20
            2026-01-06 quote acme Q8 1h due:2026-01-10
            2026-01-06 quote acme Q9 1h due:2026-01-10
            2026-01-07 approve acme Q7
            2026-01-07 approve acme E1
            2026-01-07 approve acme Q9
            2026-01-08 log acme 30m quote:E1
            2026-01-09 done acme Q9
        ";
        let warnings = |today: &str| {
            let (book, r) = crate::testing::replay_str(toml, j, today);
            assert!(r.problems.is_empty(), "{:?}", r.problems);
            let b = balance(&book, &r, d(today), Some("acme"));
            b.clients[0]
                .warnings
                .iter()
                .map(|w| (w.kind.word(), w.date, w.minutes, said(&b, w)))
                .collect::<Vec<_>>()
        };
        // Due dates are last days: on the due date nothing is overdue yet.
        assert_eq!(warnings("2026-01-20"), []);
        // Q8 was never approved and Q9 is done: neither is overdue.
        assert_eq!(
            warnings("2026-02-02"),
            [
                (
                    "overdue",
                    Some(d("2026-01-20")),
                    Decimal::from(90),
                    "estimate E1 was due 2026-01-20".to_string()
                ),
                (
                    "overdue",
                    Some(d("2026-02-01")),
                    Decimal::from(180),
                    "quote Q7 was due 2026-02-01".to_string()
                ),
            ]
        );
    }
}
