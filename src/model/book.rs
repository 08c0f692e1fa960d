//! The book: `credits.toml` after validation.

use super::value::{DateSpan, Minutes, Money};
use crate::source::Span;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// How a `log` is debited (SPEC §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DebitPolicy {
    /// Pending time accumulates; each whole unit is debited.
    Accumulate,
    /// Debited as logged.
    Exact,
    /// Rounded up to a multiple of `round_to`, then debited.
    RoundUp,
}

/// The order purchased lots are consumed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Oldest purchase first.
    Fifo,
    /// Earliest last usable day first, `never` last; ties oldest first.
    ExpiringFirst,
}

/// What happens when purchased time runs out during a debit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overdraft {
    /// The shortfall is overage, billed at the client's rate.
    Bill,
    /// The balance goes negative; the next `buy` repays it.
    Carry,
    /// The entry is an error; nothing is debited.
    Deny,
}

/// When purchased time expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// Never.
    Never,
    /// A span after the purchase date.
    Span(DateSpan),
}

/// When a monthly grant lapses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantLapse {
    /// At the end of the month it was granted in.
    MonthEnd,
    /// A span after the grant date.
    Span(DateSpan),
}

/// One `[[policy.expiry_tiers]]` row: purchases of at least `from` expire after `expires`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpiryTier {
    /// Smallest quantity bought this tier applies to (may be zero).
    pub from: Minutes,
    /// The expiry for purchases in this tier.
    pub expires: Expiry,
}

/// Every policy key, resolved (client over plan over book over the SPEC's defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// `debit`.
    pub debit: DebitPolicy,
    /// `round_to`, in minutes (> 0).
    pub round_to: Minutes,
    /// `order`.
    pub order: Order,
    /// `expires`.
    pub expires: Expiry,
    /// `refund_days`.
    pub refund_days: u32,
    /// `overdraft`.
    pub overdraft: Overdraft,
    /// `unit_price`: price of one unit when a buy names no price and no package.
    pub unit_price: Option<Money>,
    /// `warn_days`.
    pub warn_days: u32,
    /// `low_balance`: warn when the balance falls below this.
    pub low_balance: Option<Minutes>,
    /// `expiry_tiers`, sorted by `from`.
    pub expiry_tiers: Vec<ExpiryTier>,
    /// `minimum`: the least a `log` with a chargeable remainder is charged (0: no minimum).
    pub minimum: Minutes,
}

impl Default for Policy {
    /// The SPEC §2/§7.18 defaults.
    fn default() -> Policy {
        Policy {
            debit: DebitPolicy::Accumulate,
            round_to: Decimal::from(15),
            order: Order::Fifo,
            expires: Expiry::Never,
            refund_days: 30,
            overdraft: Overdraft::Bill,
            unit_price: None,
            warn_days: 30,
            low_balance: None,
            expiry_tiers: Vec::new(),
            minimum: Decimal::ZERO,
        }
    }
}

/// Policy keys set at one level (book, plan or client); `None` = not set here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyOverride {
    /// `debit`.
    pub debit: Option<DebitPolicy>,
    /// `round_to`.
    pub round_to: Option<Minutes>,
    /// `order`.
    pub order: Option<Order>,
    /// `expires`.
    pub expires: Option<Expiry>,
    /// `refund_days`.
    pub refund_days: Option<u32>,
    /// `overdraft`.
    pub overdraft: Option<Overdraft>,
    /// `unit_price`.
    pub unit_price: Option<Money>,
    /// `warn_days`.
    pub warn_days: Option<u32>,
    /// `low_balance`.
    pub low_balance: Option<Minutes>,
    /// `expiry_tiers`.
    pub expiry_tiers: Option<Vec<ExpiryTier>>,
    /// `minimum`.
    pub minimum: Option<Minutes>,
}

impl PolicyOverride {
    /// Apply the keys set here on top of `base`.
    pub fn apply_to(&self, base: &mut Policy) {
        if let Some(v) = self.debit {
            base.debit = v;
        }
        if let Some(v) = self.round_to {
            base.round_to = v;
        }
        if let Some(v) = self.order {
            base.order = v;
        }
        if let Some(v) = self.expires {
            base.expires = v;
        }
        if let Some(v) = self.refund_days {
            base.refund_days = v;
        }
        if let Some(v) = self.overdraft {
            base.overdraft = v;
        }
        if let Some(v) = self.unit_price {
            base.unit_price = Some(v);
        }
        if let Some(v) = self.warn_days {
            base.warn_days = v;
        }
        if let Some(v) = self.low_balance {
            base.low_balance = Some(v);
        }
        if let Some(v) = &self.expiry_tiers {
            base.expiry_tiers.clone_from(v);
        }
        if let Some(v) = self.minimum {
            base.minimum = v;
        }
    }
}

/// A `[plans.NAME]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The plan's name.
    pub name: String,
    /// Discount off package prices and `unit_price`, as a fraction (`30%` = 0.30).
    pub discount: Decimal,
    /// Included time granted every month.
    pub monthly: Option<Minutes>,
    /// When a grant lapses.
    pub monthly_expires: GrantLapse,
    /// Tags whose logs are never debited.
    pub covered: Vec<String>,
    /// `rollover`: the most of a lapsing month-end grant's unused time that moves to the next
    /// month (0: none).
    pub rollover: Minutes,
    /// A title shown to clients instead of the name.
    pub title: Option<String>,
    /// Policy keys this plan overrides.
    pub policy: PolicyOverride,
    /// Where the plan is defined.
    pub span: Span,
}

/// A `[packages]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// The package's name.
    pub name: String,
    /// Time bought, in minutes.
    pub minutes: Minutes,
    /// Total price (before any plan discount).
    pub price: Money,
    /// `expires`: the last usable day of its lots when the `buy` line names none.
    pub expires: Option<super::entry::LineExpiry>,
    /// A title shown to clients instead of the name.
    pub title: Option<String>,
    /// Where the package is defined.
    pub span: Span,
}

/// A `[tasks]` entry: a standard cost for `debit` and `quote`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// The task's name.
    pub name: String,
    /// Its cost, in minutes.
    pub minutes: Minutes,
    /// A human title, used as the description when the entry has none.
    pub title: String,
}

/// A `[clients.ID]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// The id, `[a-z0-9][a-z0-9_-]*`.
    pub id: String,
    /// Display name (defaults to the id).
    pub name: String,
    /// Currency, if it differs from the book's.
    pub currency: Option<super::value::Currency>,
    /// Standard hourly rate: overage is billed at it.
    pub rate: Option<Money>,
    /// Contact address.
    pub email: Option<String>,
    /// Folders (as written, `~` not expanded) inside which `credits log` means this client.
    pub dirs: Vec<String>,
    /// Policy keys this client overrides.
    pub policy: PolicyOverride,
    /// Where the client is defined.
    pub span: Span,
}

/// The whole `credits.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Book {
    /// `book.name`.
    pub name: String,
    /// `book.unit`, singular (`credit`).
    pub unit: String,
    /// `book.unit_minutes` (> 0).
    pub unit_minutes: Minutes,
    /// `book.currency`.
    pub currency: super::value::Currency,
    /// `book.journals` as written (relative to the book; globs allowed), each with its span.
    pub journals: Vec<(String, Span)>,
    /// `[policy]` over the defaults.
    pub policy: Policy,
    /// `[plans]`.
    pub plans: BTreeMap<String, Plan>,
    /// `[packages]`.
    pub packages: BTreeMap<String, Package>,
    /// `[tasks]`.
    pub tasks: BTreeMap<String, Task>,
    /// `[clients]`.
    pub clients: BTreeMap<String, Client>,
    /// `book.issuer`: who issues statements, name and address, one line each.
    pub issuer: Vec<String>,
    /// `book.email`: the issuer's address, for statements.
    pub email: Option<String>,
    /// `book.footer`: payment terms or a note closing every statement, one line each.
    pub footer: Vec<String>,
}

impl Book {
    /// The policy in force for `client` on `plan` (client over plan over book).
    #[must_use]
    pub fn policy_for(&self, client: &str, plan: Option<&str>) -> Policy {
        let mut p = self.policy.clone();
        if let Some(plan) = plan.and_then(|n| self.plans.get(n)) {
            plan.policy.apply_to(&mut p);
        }
        if let Some(c) = self.clients.get(client) {
            c.policy.apply_to(&mut p);
        }
        p
    }

    /// The currency of `client` (its own, else the book's).
    #[must_use]
    pub fn currency_of(&self, client: &str) -> super::value::Currency {
        self.clients
            .get(client)
            .and_then(|c| c.currency)
            .unwrap_or(self.currency)
    }

    /// The unit name in the plural when `n` is not 1 (`credit` → `credits`).
    #[must_use]
    pub fn unit_plural(&self, n: Decimal) -> String {
        unit_name(&self.unit, n)
    }
}

/// The name of `n` units called `unit`: singular for one (or minus one) unit, else the plural
/// (`credit` → `credits`; a name already ending in `s` stays as it is).
#[must_use]
pub fn unit_name(unit: &str, n: Decimal) -> String {
    if n.abs() == Decimal::ONE || unit.ends_with('s') {
        unit.to_string()
    } else {
        format!("{unit}s")
    }
}
