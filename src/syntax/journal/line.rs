//! One journal line → one [`Entry`] (or an include, or nothing): the date, the verb, the
//! client, then the tags and metadata (anywhere after the client), the verb's arguments
//! ([`super::verbs`]) and the description. Every bad line becomes one [`Diagnostic`] pinned to
//! the offending word (or to the end of the line when an argument is missing).

use super::tokenize::{Kind, Tok, canonical, meta_word, sub};
use super::value::{self, ValueError};
use super::verbs::{VerbWord, example, expiry, is_lettered_name, quote_meta_help, usage};
use super::{Include, Item, Read, VERBS};
use crate::diagnostic::Diagnostic;
use crate::model::{Entry, Meta, MetaKey, Minutes, Verb};
use crate::source::{FileId, Span};
use crate::suggest;
use chrono::NaiveDate;
use compact_str::CompactString;
use std::cell::Cell;
use std::ops::ControlFlow;

/// Lists reused from line to line: word indices of a line's arguments, tags and metadata.
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) positional: Vec<usize>,
    pub(super) tags: Vec<usize>,
    pub(super) meta: Vec<(MetaKey, usize)>,
}

/// One line's words, and where to report a missing argument.
pub(super) struct Line<'t, 'a> {
    /// The whole file (the canonical text is cut from it).
    pub(super) text: &'a str,
    pub(super) toks: &'t [Tok<'a>],
    pub(super) file: FileId,
    pub(super) unit: Minutes,
    /// End of the last word: a missing argument is reported here.
    pub(super) eol: usize,
    /// The last date read: journals repeat dates, and this spares parsing them again.
    pub(super) last_date: &'t Cell<Option<([u8; 10], NaiveDate)>>,
    /// Keep descriptions ([`super::ParseOptions::descriptions`]).
    pub(super) descriptions: bool,
    /// Description words not in `toks`, only counted ([`super::tokenize::Elided`]).
    pub(super) elided: usize,
    /// The verb, when the tokenizer has read it already.
    pub(super) verb: Option<VerbWord>,
    /// Every word after the verb follows one space and none is quoted: the canonical text is
    /// the line's own bytes.
    pub(super) regular: bool,
}

/// The words after the client that are neither tags nor metadata, read in order.
pub(super) struct Args<'t, 'a> {
    pub(super) toks: &'t [Tok<'a>],
    pub(super) idx: &'t [usize],
    pub(super) next: usize,
}

impl<'t, 'a> Args<'t, 'a> {
    pub(super) fn peek(&self) -> Option<&'t Tok<'a>> {
        self.idx.get(self.next).and_then(|&i| self.toks.get(i))
    }

    pub(super) fn next(&mut self) -> Option<&'t Tok<'a>> {
        let t = self.peek();
        if t.is_some() {
            self.next += 1;
        }
        t
    }
}

/// The description: the remaining words joined by one space.
pub(super) struct Description {
    pub(super) text: String,
    pub(super) pieces: usize,
    /// Build `text` (else only count the pieces).
    pub(super) keep: bool,
}

impl Description {
    pub(super) fn push(&mut self, t: &Tok<'_>, eol: usize) {
        if !self.keep {
            self.pieces += 1;
            return;
        }
        if self.pieces == 0 {
            self.text = String::with_capacity(eol.saturating_sub(t.start));
        } else {
            self.text.push(' ');
        }
        self.text.push_str(&t.text());
        self.pieces += 1;
    }
}

impl Line<'_, '_> {
    pub(super) fn at(&self, t: &Tok<'_>) -> Span {
        Span::new(self.file, t.start, t.end())
    }

    pub(super) fn word_err(&self, t: &Tok<'_>, e: ValueError) -> Diagnostic {
        value_err(self.at(t), e)
    }

    pub(super) fn missing(&self, verb: &str, what: &str) -> Diagnostic {
        Diagnostic::error(
            Span::new(self.file, self.eol, self.eol),
            format!("`{verb}` needs {what}"),
        )
        .with_help(usage(verb))
    }

    /// Read the line: nothing (blank or comment), an include, or an entry, handed to `sink`.
    /// `entries`: how many entries of this file came before the line.
    pub(super) fn statement(
        &self,
        scratch: &mut Scratch,
        entries: usize,
        sink: &mut impl FnMut(Item) -> ControlFlow<()>,
    ) -> Result<Read, Diagnostic> {
        let Some(first) = self.toks.first() else {
            return Ok(Read::Nothing);
        };
        if first.kind == Kind::Word && first.raw == "include" {
            return self
                .include(entries)
                .map(|i| Read::Include(sink(Item::Include(i))));
        }
        // Compared as arrays, which the compiler does inline, not as slices through `memcmp`.
        let word10 = <[u8; 10]>::try_from(first.raw.as_bytes()).ok();
        let cached = self.last_date.get().filter(|(raw, _)| word10 == Some(*raw));
        let date = match cached {
            Some((_, date)) => Ok(date),
            None => value::date(first.raw),
        };
        let date = date.map_err(|e| {
            let shaped = first.raw.len() == 10 && first.raw.bytes().take(4).all(|c| c.is_ascii_digit());
            if shaped {
                self.word_err(first, e)
            } else {
                Diagnostic::error(self.at(first), format!("`{}` is not a date", first.raw))
                    .with_help("an entry starts with a date, such as `2026-01-06 log acme 15m`; a comment starts with `;`")
            }
        })?;
        if let Some(raw) = word10 {
            self.last_date.set(Some((raw, date)));
        }
        let Some(vt) = self.toks.get(1) else {
            return Err(Diagnostic::error(
                Span::new(self.file, self.eol, self.eol),
                "an entry needs a verb after its date",
            )
            .with_help("write `DATE VERB CLIENT …`, such as `2026-01-06 log acme 15m`"));
        };
        // A match on the word, not a search of `VERBS`: the compiler compares fixed lengths.
        let Some(which) = self.verb.or_else(|| VerbWord::of(vt.raw)) else {
            return Err(self.unknown_verb(vt));
        };
        let verb = which.word();
        let Some(ct) = self.toks.get(2) else {
            return Err(self.missing(verb, "a client"));
        };
        // Fast path: a name that starts with a letter never reads as a quantity.
        if !is_lettered_name(ct.raw) {
            value::client_id(ct.raw).map_err(|e| self.word_err(ct, e))?;
        }

        // Tags and metadata may stand anywhere after the client; the other words are
        // positional (arguments, then the description).
        let buy = which == VerbWord::Buy;
        // One pass reads them (the words of a line borrow the text until the entry is built);
        // then each list is allocated at its size.
        let mut meta_expiry = None;
        let Scratch {
            positional,
            tags: tag_words,
            meta: meta_words,
        } = scratch;
        positional.clear();
        tag_words.clear();
        meta_words.clear();
        // When the tokenizer read the verb of one that takes an argument, it found the fourth
        // word a positional one (that argument): only the words after it need a look.
        let mut looked = 3;
        if self.verb.is_some_and(|v| v != VerbWord::Bill) {
            positional.push(3);
            looked = 4;
        }
        for (i, t) in self.toks.iter().enumerate().skip(looked) {
            if t.kind == Kind::Quoted {
                positional.push(i);
                continue;
            }
            let w = t.raw;
            if w.len() > 1 && w.starts_with('#') {
                tag_words.push(i);
            } else if let Some((key, val)) = meta_word(w) {
                let vstart = t.start + key.word().len() + 1;
                let vspan = Span::new(self.file, vstart, t.end());
                if val.is_empty() {
                    return Err(
                        Diagnostic::error(self.at(t), format!("`{w}` needs a value")).with_help(
                            format!(
                                "write it without spaces, such as `{}:{}`",
                                key.word(),
                                example(key)
                            ),
                        ),
                    );
                }
                if meta_words.iter().any(|&(k, _)| k == key) {
                    return Err(Diagnostic::error(
                        self.at(t),
                        format!("`{}:` is given twice", key.word()),
                    ));
                }
                match key {
                    MetaKey::Due => {
                        value::date(val).map_err(|e| value_err(vspan, e))?;
                    }
                    MetaKey::Expires if !buy => {
                        return Err(Diagnostic::error(
                            self.at(t),
                            "`expires:` is only for `buy`",
                        ));
                    }
                    MetaKey::Expires => meta_expiry = Some(expiry(val, vspan)?),
                    MetaKey::Quote if which != VerbWord::Log => {
                        return Err(Diagnostic::error(
                            self.at(t),
                            format!("`quote:` is only for `log`, not `{verb}`"),
                        )
                        .with_help(quote_meta_help(which)));
                    }
                    _ => {}
                }
                meta_words.push((key, i));
            } else if w == "@" && !buy {
                return Err(Diagnostic::error(
                    self.at(t),
                    format!("`@` is only for `buy`, not `{verb}`"),
                )
                .with_help("put the description in double quotes to keep an `@` in it"));
            } else {
                positional.push(i);
            }
        }

        // Most lines have neither: no iterator to set up for nothing. Otherwise each list is
        // allocated once at its size (a `collect` of a slice's words knows it).
        let tags: Vec<CompactString> = if tag_words.is_empty() {
            Vec::new()
        } else {
            tag_words
                .iter()
                .map(|&i| {
                    let w = self.toks.get(i).map_or("", |t| t.raw);
                    CompactString::from(sub(w, 1, w.len()))
                })
                .collect()
        };
        let meta: Vec<Meta> = if meta_words.is_empty() {
            Vec::new()
        } else {
            meta_words
                .iter()
                .map(|&(key, i)| Meta {
                    key,
                    value: CompactString::from(
                        self.toks
                            .get(i)
                            .map_or("", |t| sub(t.raw, key.word().len() + 1, t.raw.len())),
                    ),
                })
                .collect()
        };
        let mut args = Args {
            toks: self.toks,
            idx: positional,
            next: 0,
        };
        let mut desc = Description {
            text: String::new(),
            pieces: 0,
            keep: self.descriptions || matches!(which, VerbWord::Quote | VerbWord::Estimate),
        };
        let verb = self.arguments(which, &mut args, &mut desc, meta_expiry)?;
        if desc.keep {
            while let Some(t) = args.next() {
                desc.push(t, self.eol);
            }
        } else {
            // Only counted: the words left, and those the tokenizer left out.
            desc.pieces += args.idx.len().saturating_sub(args.next) + self.elided;
        }
        if matches!(verb, Verb::Adjust { .. }) && desc.pieces == 0 {
            return Err(self.missing("adjust", "a description that says why"));
        }
        Ok(Read::Entry(sink(Item::Entry(Entry {
            date,
            seq: entries as u32,
            span: self.at(vt),
            client_span: self.at(ct),
            client: ct.raw.into(),
            verb,
            tags,
            meta,
            description: desc.text,
            canon: canonical(sub(self.text, vt.start, self.eol), self.regular),
        }))))
    }

    pub(super) fn include(&self, entries: usize) -> Result<Include, Diagnostic> {
        let Some(p) = self.toks.get(1).filter(|p| !p.text().is_empty()) else {
            return Err(Diagnostic::error(
                Span::new(self.file, self.eol, self.eol),
                "`include` needs a path",
            )
            .with_help("write `include PATH`, such as `include 2025.credits`"));
        };
        if let Some(extra) = self.toks.get(2) {
            return Err(Diagnostic::error(
                self.at(extra),
                format!("unexpected `{}` after the include path", extra.raw),
            )
            .with_help("put a path with spaces in double quotes"));
        }
        Ok(Include {
            at: entries,
            path: p.text().into_owned(),
            span: self.at(p),
        })
    }

    pub(super) fn unknown_verb(&self, vt: &Tok<'_>) -> Diagnostic {
        let d = Diagnostic::error(self.at(vt), format!("unknown verb `{}`", vt.raw));
        if vt.raw == "include" {
            return d.with_help("`include` takes no date: write `include PATH` alone on its line");
        }
        match suggest::nearest(vt.raw, VERBS) {
            Some(v) => d.with_help(suggest::did_you_mean(v)),
            None => d.with_help(format!(
                "a verb is one of {}",
                VERBS.map(|v| format!("`{v}`")).join(", ")
            )),
        }
    }
}

pub(super) fn value_err(span: Span, e: ValueError) -> Diagnostic {
    let d = Diagnostic::error(span, e.message);
    match e.help {
        Some(h) => d.with_help(h),
        None => d,
    }
}
