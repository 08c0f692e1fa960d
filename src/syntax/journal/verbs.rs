//! Each verb's arguments: which words a verb takes after the client, and how each is read
//! (quantities, money, dates and spans through [`crate::syntax::value`], names, quote ids).
//! The usage line shown when an argument is missing lives here too.

use super::VERBS;
use super::line::{Args, Description, Line, value_err};
use super::tokenize::{Kind, Tok, positional, sub};
use super::value;
use crate::diagnostic::Diagnostic;
use crate::model::{Currency, LineExpiry, LotRef, MetaKey, Money, Price, Qty, Verb};
use crate::source::Span;
use compact_str::CompactString;

/// Is `s` a catalogue name (package, task, plan): `[a-z0-9][a-z0-9_-]*`?
#[must_use]
pub fn is_name(s: &str) -> bool {
    let b = s.as_bytes();
    b.first()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && b.iter().all(|&c| NAME_BYTE[c as usize])
}

/// Is `s` a name that starts with a letter (`[a-z][a-z0-9_-]*`)? Such a name never reads as a
/// quantity: the usual client ids, packages and tasks.
pub(super) fn is_lettered_name(s: &str) -> bool {
    let b = s.as_bytes();
    b.first().is_some_and(u8::is_ascii_lowercase) && b.iter().all(|&c| NAME_BYTE[c as usize])
}

/// The bytes of a name (`[a-z0-9_-]`), as a table: one look per byte.
pub(super) const NAME_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_';
        c += 1;
    }
    t
};

/// Does `s` look like an attempt at a quantity (`3`, `15m`, `10hh`, `09:15-10:40`)? Such a word
/// is never taken for a package or task name, nor for the first word of a description where an
/// optional quantity may stand.
pub(crate) fn looks_numeric(s: &str) -> bool {
    let b = s.as_bytes();
    b.first().is_some_and(|c| c.is_ascii_digit() || *c == b'.')
        && b.iter().all(|c| {
            matches!(
                c,
                b'0'..=b'9' | b'.' | b'h' | b'm' | b'c' | b'r' | b':' | b'-'
            )
        })
}

/// How many leading words the tokenizer lists before [`only_counts_the_rest`] looks at them
/// (when descriptions are not kept): the date, the verb, the client and one argument.
pub(super) const HEAD: usize = 4;

/// The verb of a line whose plain words after `head` (its first [`HEAD`] words) are only
/// counted, else `None`. So they are when descriptions are not kept, for a verb that takes at
/// most one argument (given, and positional, in `head`) and never looks at the words after
/// it: they are all description words. (`buy`, `apply` and `refund` look further; a `quote`
/// keeps its description.)
pub(super) fn only_counts_the_rest(head: &[Tok<'_>]) -> Option<VerbWord> {
    let [_, verb, _, arg] = head else {
        return None;
    };
    let which = VerbWord::of(verb.raw)?;
    match which {
        VerbWord::Bill => Some(which),
        VerbWord::Log
        | VerbWord::Debit
        | VerbWord::Approve
        | VerbWord::Reject
        | VerbWord::Done
        | VerbWord::Plan
        | VerbWord::Adjust
        | VerbWord::Assert => (arg.kind == Kind::Word && positional(arg.raw)).then_some(which),
        _ => None,
    }
}

/// The verbs, as the parser tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum VerbWord {
    Buy,
    Log,
    Debit,
    Quote,
    Estimate,
    Approve,
    Reject,
    Done,
    Apply,
    Refund,
    Adjust,
    Plan,
    Bill,
    Assert,
}

impl VerbWord {
    pub(super) fn of(w: &str) -> Option<VerbWord> {
        Some(match w {
            "buy" => VerbWord::Buy,
            "log" => VerbWord::Log,
            "debit" => VerbWord::Debit,
            "quote" => VerbWord::Quote,
            "estimate" => VerbWord::Estimate,
            "approve" => VerbWord::Approve,
            "reject" => VerbWord::Reject,
            "done" => VerbWord::Done,
            "apply" => VerbWord::Apply,
            "refund" => VerbWord::Refund,
            "adjust" => VerbWord::Adjust,
            "plan" => VerbWord::Plan,
            "bill" => VerbWord::Bill,
            "assert" => VerbWord::Assert,
            _ => return None,
        })
    }

    /// The word, as in [`VERBS`].
    pub(super) fn word(self) -> &'static str {
        VERBS[self as usize]
    }
}

/// How to fix a `quote:` on another verb than `log`.
pub(super) fn quote_meta_help(which: VerbWord) -> &'static str {
    match which {
        VerbWord::Quote | VerbWord::Estimate => {
            "the id is the word after the client: remove `quote:`"
        }
        VerbWord::Approve | VerbWord::Reject | VerbWord::Done => {
            "the quote's id is the word after the client: remove `quote:`"
        }
        _ => "`quote:` marks work logged on a quote: remove it, or log the work with `log`",
    }
}

pub(super) fn usage(verb: &str) -> &'static str {
    match verb {
        "buy" => {
            "write `buy CLIENT QTY [@ PRICE | for TOTAL] [expires DATE|SPAN|never]` or `buy CLIENT PACKAGE`"
        }
        "log" => "write `log CLIENT DURATION`, such as `log acme 15m`",
        "debit" => "write `debit CLIENT QTY|TASK`, such as `debit acme 2h`",
        "quote" => "write `quote CLIENT ID QTY|TASK`, such as `quote acme Q7 3h`",
        "estimate" => "write `estimate CLIENT ID QTY|TASK`, such as `estimate acme E7 3h`",
        "approve" => "write `approve CLIENT ID`, such as `approve acme Q7`",
        "reject" => "write `reject CLIENT ID`, such as `reject acme Q7`",
        "done" => "write `done CLIENT ID`, such as `done acme Q7`",
        "apply" => "write `apply CLIENT MONEY`, such as `apply acme 240 USD`",
        "refund" => "write `refund CLIENT LOT [QTY]`, where LOT is the lot's `ref:` or its date",
        "adjust" => {
            "write `adjust CLIENT +QTY|-QTY DESCRIPTION`, such as `adjust acme +1h goodwill`"
        }
        "plan" => "write `plan CLIENT PLAN` or `plan CLIENT none`",
        "bill" => "write `bill CLIENT`",
        _ => "write `assert CLIENT QTY`, such as `assert acme 3h`",
    }
}

impl<'a> Line<'_, 'a> {
    /// The verb's arguments, read from `args` in order (the words after the client that are
    /// neither tags nor metadata); a verb that keeps its description leaves the rest in `args`.
    /// `meta_expiry`: an `expires:` already read from the metadata (only `buy` has one).
    #[inline]
    pub(super) fn arguments(
        &self,
        which: VerbWord,
        args: &mut Args<'_, 'a>,
        desc: &mut Description,
        meta_expiry: Option<LineExpiry>,
    ) -> Result<Verb, Diagnostic> {
        let verb = which.word();
        Ok(match which {
            VerbWord::Buy => self.buy(args, desc, meta_expiry)?,
            VerbWord::Log => {
                let t = args
                    .next()
                    .ok_or_else(|| self.missing(verb, "a duration"))?;
                let (minutes, clock) =
                    value::log_time(t.raw, self.unit).map_err(|e| self.word_err(t, e))?;
                Verb::Log { minutes, clock }
            }
            VerbWord::Debit => {
                let t = args
                    .next()
                    .ok_or_else(|| self.missing(verb, "a quantity or a task"))?;
                Verb::Debit {
                    qty: self.qty_or_name(t)?,
                }
            }
            VerbWord::Quote | VerbWord::Estimate => {
                let id = self.id(args.next(), verb)?;
                let t = args
                    .next()
                    .ok_or_else(|| self.missing(verb, "a quantity or a task"))?;
                let qty = self.qty_or_name(t)?;
                if which == VerbWord::Quote {
                    Verb::Quote { id, qty }
                } else {
                    Verb::Estimate { id, qty }
                }
            }
            VerbWord::Approve => Verb::Approve {
                id: self.id(args.next(), verb)?,
            },
            VerbWord::Reject => Verb::Reject {
                id: self.id(args.next(), verb)?,
            },
            VerbWord::Done => Verb::Done {
                id: self.id(args.next(), verb)?,
            },
            VerbWord::Apply => {
                let t = args
                    .next()
                    .ok_or_else(|| self.missing(verb, "an amount of money"))?;
                Verb::Apply {
                    amount: self.money(t, args)?,
                }
            }
            VerbWord::Refund => self.refund(args)?,
            VerbWord::Adjust => {
                let t = args
                    .next()
                    .ok_or_else(|| self.missing(verb, "a quantity such as `+1h` or `-30m`"))?;
                Verb::Adjust {
                    minutes: value::signed_quantity(t.raw, self.unit)
                        .map_err(|e| self.word_err(t, e))?,
                }
            }
            VerbWord::Plan => {
                let t = args
                    .next()
                    .ok_or_else(|| self.missing(verb, "a plan name or `none`"))?;
                if t.raw == "none" {
                    Verb::Plan { plan: None }
                } else if t.kind == Kind::Word && is_name(t.raw) {
                    Verb::Plan {
                        plan: Some(t.raw.into()),
                    }
                } else {
                    return Err(Diagnostic::error(self.at(t), format!("`{}` is not a plan name", t.raw))
                        .with_help("a plan name is lowercase letters, digits, `-` and `_`; write `none` to leave a plan"));
                }
            }
            VerbWord::Bill => Verb::Bill,
            VerbWord::Assert => {
                let t = args
                    .next()
                    .ok_or_else(|| self.missing(verb, "a quantity"))?;
                Verb::Assert {
                    minutes: value::signed_quantity(t.raw, self.unit)
                        .map_err(|e| self.word_err(t, e))?,
                }
            }
        })
    }

    pub(super) fn buy(
        &self,
        args: &mut Args<'_, 'a>,
        desc: &mut Description,
        meta_expiry: Option<LineExpiry>,
    ) -> Result<Verb, Diagnostic> {
        let t = args
            .next()
            .ok_or_else(|| self.missing("buy", "a quantity or a package"))?;
        let qty = self.qty_or_name(t)?;
        let mut price = None;
        let mut expires = meta_expiry;
        while let Some(t) = args.next() {
            if t.kind == Kind::Quoted {
                desc.push(t, self.eol);
                continue;
            }
            match t.raw {
                "@" | "for" => {
                    if price.is_some() {
                        return Err(Diagnostic::error(self.at(t), "a `buy` takes one price")
                            .with_help("write either `@ PRICE` per unit or `for TOTAL`"));
                    }
                    let what = if t.raw == "@" {
                        "a price after `@`"
                    } else {
                        "a total after `for`"
                    };
                    let v = args.next().ok_or_else(|| self.missing("buy", what))?;
                    let m = self.money(v, args)?;
                    price = Some(if t.raw == "@" {
                        Price::Each(m)
                    } else {
                        Price::Total(m)
                    });
                }
                "expires" => {
                    if expires.is_some() {
                        return Err(Diagnostic::error(self.at(t), "`expires` is given twice"));
                    }
                    let v = args.next().ok_or_else(|| {
                        self.missing("buy", "a date, a span or `never` after `expires`")
                    })?;
                    expires = Some(expiry(v.raw, self.at(v))?);
                }
                w if w.starts_with('@') => {
                    // `@120`: the same as `@ 120`.
                    if price.is_some() {
                        return Err(Diagnostic::error(self.at(t), "a `buy` takes one price")
                            .with_help("write either `@ PRICE` per unit or `for TOTAL`"));
                    }
                    let inner = Tok {
                        start: t.start + 1,
                        raw: sub(w, 1, w.len()),
                        kind: Kind::Word,
                    };
                    price = Some(Price::Each(self.money(&inner, args)?));
                }
                _ => desc.push(t, self.eol),
            }
        }
        Ok(Verb::Buy {
            qty,
            price,
            expires,
        })
    }

    pub(super) fn refund(&self, args: &mut Args<'_, 'a>) -> Result<Verb, Diagnostic> {
        let t = args
            .next()
            .ok_or_else(|| self.missing("refund", "a lot (its `ref:` or its date)"))?;
        let b = t.raw.as_bytes();
        // `YYYY-MM-DD` is a date (and a bad one an error); anything else, `2026-001` included,
        // is a ref.
        let date_shaped = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        let lot = if date_shaped {
            LotRef::Date(value::date(t.raw).map_err(|e| self.word_err(t, e))?)
        } else if t.kind == Kind::Word {
            LotRef::Ref(t.raw.into())
        } else {
            return Err(
                Diagnostic::error(self.at(t), format!("`{}` is not a lot", t.raw))
                    .with_help("name the lot by its `ref:` or its purchase date"),
            );
        };
        let qty = match args.peek() {
            Some(q) if q.kind == Kind::Word && looks_numeric(q.raw) => {
                args.next();
                Some(value::positive_quantity(q.raw, self.unit).map_err(|e| self.word_err(q, e))?)
            }
            _ => None,
        };
        Ok(Verb::Refund { lot, qty })
    }

    pub(super) fn id(&self, t: Option<&Tok<'_>>, verb: &str) -> Result<CompactString, Diagnostic> {
        let t = t.ok_or_else(|| self.missing(verb, "a quote id"))?;
        if t.kind == Kind::Quoted {
            return Err(
                Diagnostic::error(self.at(t), format!("`{}` is not a quote id", t.raw))
                    .with_help("a quote id is one word, such as `Q7`"),
            );
        }
        Ok(t.raw.into())
    }

    pub(super) fn qty_or_name(&self, t: &Tok<'_>) -> Result<Qty, Diagnostic> {
        // A quantity starts with a digit or a `.`: a name that starts with a letter is a name.
        if t.kind == Kind::Word && is_lettered_name(t.raw) {
            return Ok(Qty::Named(t.raw.into()));
        }
        match value::positive_quantity(t.raw, self.unit) {
            Ok(m) => Ok(Qty::Minutes(m)),
            Err(_) if t.kind == Kind::Word && is_name(t.raw) && !looks_numeric(t.raw) => {
                Ok(Qty::Named(t.raw.into()))
            }
            Err(e) => Err(self.word_err(t, e)),
        }
    }

    /// A money word, then an optional currency code word.
    pub(super) fn money(&self, t: &Tok<'_>, args: &mut Args<'_, 'a>) -> Result<Money, Diagnostic> {
        let mut m = value::money(t.raw).map_err(|e| self.word_err(t, e))?;
        if let Some((c, code)) = args
            .peek()
            .filter(|c| c.kind == Kind::Word)
            .and_then(|c| Some((c, Currency::from_code(c.raw)?)))
        {
            args.next();
            if m.currency.is_some_and(|have| have != code) {
                return Err(Diagnostic::error(
                    self.at(c),
                    format!("`{}` does not match the currency of `{}`", c.raw, t.raw),
                )
                .with_help("write one currency: a symbol or a code"));
            }
            m.currency = Some(code);
        }
        Ok(m)
    }
}

/// `expires DATE|SPAN|never` (and `expires:`).
pub(super) fn expiry(s: &str, span: Span) -> Result<LineExpiry, Diagnostic> {
    value::expiry(
        s,
        "write a last usable day such as `2026-12-31`, a span such as `12mo`, or `never`",
    )
    .map_err(|e| value_err(span, e))
}

pub(super) fn example(key: MetaKey) -> &'static str {
    match key {
        MetaKey::Ref => "INV-1041",
        MetaKey::Quote => "Q7",
        MetaKey::Project => "redesign",
        MetaKey::Task => "banner",
        MetaKey::Due => "2026-02-01",
        MetaKey::Expires => "12mo",
    }
}
