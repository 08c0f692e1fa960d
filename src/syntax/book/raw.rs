//! The serde shapes of `credits.toml`: one `Raw*` struct per section, `deny_unknown_fields`,
//! every value kept as its word with its span ([`Spanned`]) so that [`super::validate`] can
//! read it through `syntax::value` and point at its own column.

use serde::Deserialize;
use std::fmt;
use toml::Spanned;

/// A scalar written as a string or an integer, kept as its text (`"15m"`, `60`, `"140"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Word(pub(super) String);

impl<'de> Deserialize<'de> for Word {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Word, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Word;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a string")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Word, E> {
                Ok(Word(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Word, E> {
                Ok(Word(v.to_string()))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Word, E> {
                Ok(Word(v.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

pub(super) type W = Spanned<Word>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBook {
    pub(super) name: Option<Spanned<String>>,
    pub(super) unit: Option<Spanned<String>>,
    pub(super) unit_minutes: Option<W>,
    pub(super) currency: Option<W>,
    pub(super) journals: Option<Spanned<Vec<Spanned<String>>>>,
    pub(super) issuer: Option<Spanned<String>>,
    pub(super) email: Option<Spanned<String>>,
    pub(super) footer: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPolicy {
    pub(super) debit: Option<W>,
    pub(super) round_to: Option<W>,
    pub(super) order: Option<W>,
    pub(super) expires: Option<W>,
    pub(super) refund_days: Option<W>,
    pub(super) overdraft: Option<W>,
    pub(super) unit_price: Option<W>,
    pub(super) warn_days: Option<W>,
    pub(super) low_balance: Option<W>,
    pub(super) expiry_tiers: Option<Vec<Spanned<RawTier>>>,
    pub(super) minimum: Option<W>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTier {
    pub(super) from: W,
    pub(super) expires: W,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPlan {
    pub(super) discount: Option<W>,
    pub(super) monthly: Option<W>,
    pub(super) monthly_expires: Option<W>,
    pub(super) covered: Option<Vec<Spanned<String>>>,
    pub(super) rollover: Option<W>,
    pub(super) title: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPackage {
    pub(super) units: W,
    pub(super) price: W,
    pub(super) expires: Option<W>,
    pub(super) title: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTask {
    pub(super) units: W,
    pub(super) title: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawClient {
    pub(super) name: Option<Spanned<String>>,
    pub(super) currency: Option<W>,
    pub(super) rate: Option<W>,
    pub(super) email: Option<Spanned<String>>,
    pub(super) dirs: Option<Vec<Spanned<String>>>,
}
