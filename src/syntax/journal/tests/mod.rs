//! The journal parser's tests: tables of exact `(line, col, len, message)` errors, and
//! property tests (no input panics, the tokenizer agrees with a plain search).

use super::checks::*;
use super::tokenize::*;
use super::verbs::*;
use super::*;
use crate::model::DateSpan;
use crate::model::{Currency, LineExpiry, LotRef, Meta, MetaKey, Money, Price, Qty, Verb};
use crate::source::SourceFile;
use chrono::{NaiveDate, NaiveTime};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn unit() -> Minutes {
    Minutes::from(60)
}

fn d(n: i64) -> Decimal {
    Decimal::from(n)
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn usd(n: i64) -> Money {
    Money {
        amount: d(n),
        currency: Currency::from_code("USD"),
    }
}

/// `(line, col, len, message)` of every diagnostic, as a user sees them.
fn errors(text: &str) -> Vec<(usize, usize, usize, String)> {
    let p = parse(text, FileId(0), unit());
    let f = SourceFile::new("j".into(), text.into());
    p.diagnostics
        .iter()
        .map(|x| {
            let s = x.span.unwrap();
            let (line, col) = f.line_col(s.start);
            let len = text[s.start as usize..s.end as usize].chars().count();
            (line, col, len, x.message.clone())
        })
        .collect()
}

/// A good line: the text, then the entry's verb, tags, metadata and description.
type Case<'a> = (&'a str, Verb, Vec<&'a str>, Vec<Meta>, &'a str);

fn one(line: &str) -> Entry {
    let p = parse(line, FileId(0), unit());
    assert_eq!(p.diagnostics, [], "{line}");
    assert_eq!(p.entries.len(), 1, "{line}");
    p.entries.into_iter().next().unwrap()
}

/// The problems expected of a text: `(line, col, len, message)`.
type Want<'a> = Vec<(usize, usize, usize, &'a str)>;

mod canonical;
mod characters;
mod entries;
mod lines;
mod proptests;
mod reading;
mod words;
