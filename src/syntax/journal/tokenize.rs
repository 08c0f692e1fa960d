//! Words of one journal line, in one pass over its bytes (in the manner of klog's
//! `parser/txt`): blanks separate words, a `"quoted"` run is one word, `;` (or `#` first on
//! the line) starts a comment, and the line's canonical text is cut from the same words.
//! Tags (`#x`) and metadata (`key:value`) are told apart here as well.
//!
//! The tokenizer knows no verb: when descriptions are not kept, the caller says through a
//! [`Lean`] whether the plain words after the first few are only counted.

use crate::diagnostic::Diagnostic;
use crate::model::{Canon, MetaKey};
use crate::source::{FileId, Span};
use std::borrow::Cow;

/// The bytes that separate words. A CR before LF is one of them, so it never ends up in a word.
pub(crate) const fn is_sep(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | 0x0b | 0x0c)
}

/// The bytes that end a word: the separators and `\n`, as a table for the tokenizer's inner loop.
pub(super) const ENDS_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = is_sep(i as u8) || i == b'\n' as usize;
        i += 1;
    }
    t
};

/// The separators, as a table (no branches) for the tokenizer.
pub(super) const SEP: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = is_sep(i as u8);
        i += 1;
    }
    t
};

pub(super) fn ends_word(c: u8) -> bool {
    ENDS_WORD[c as usize]
}

/// Where the word that goes on at byte `i` of `b` ends: its first separator or `\n` from `i`
/// on, or the end of `b`. Eight bytes at a time: every byte that ends a word is below `!`, and
/// a word byte below it (a control character) is rare.
pub(crate) fn word_end(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    while let Some(chunk) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let x = u64::from_le_bytes(*chunk);
        // The high bit of each byte below `!` (0x21), exact up to the first such byte.
        let low = x.wrapping_sub(ONES * 0x21) & !x & HIGH;
        if low == 0 {
            i += 8;
            continue;
        }
        // The first such byte, taken from `x` itself (no second look into `b`).
        let bit = low.trailing_zeros();
        let k = i + (bit / 8) as usize;
        // `bit & 0x38`: the first bit of that byte.
        if ends_word((x >> (bit & 0x38)) as u8) {
            return k;
        }
        // A control character inside the word: go on after it.
        i = k + 1;
    }
    while b.get(i).is_some_and(|&c| !ends_word(c)) {
        i += 1;
    }
    i
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A run of non-blank bytes.
    Word,
    /// A `"quoted"` run (with whatever follows its closing quote up to the next blank).
    Quoted,
}

#[derive(Debug)]
pub(super) struct Tok<'a> {
    /// Absolute byte offset in the file.
    pub(super) start: usize,
    /// The source bytes, quotes and all.
    pub(super) raw: &'a str,
    pub(super) kind: Kind,
}

impl<'a> Tok<'a> {
    /// Absolute byte offset of the end, in the file.
    pub(super) fn end(&self) -> usize {
        self.start + self.raw.len()
    }

    /// The word's text: `raw` for a word, the unescaped content for a quoted run (unescaped
    /// when asked: quoted runs are rare).
    pub(super) fn text(&self) -> Cow<'a, str> {
        match self.kind {
            Kind::Word => Cow::Borrowed(self.raw),
            Kind::Quoted => unquote(self.raw),
        }
    }
}

/// The text of a closed quoted run `raw` (as [`tokenize`] cut it): the content with `\"` and
/// `\\` unescaped, then whatever follows the closing quote.
pub(super) fn unquote(raw: &str) -> Cow<'_, str> {
    let b = raw.as_bytes();
    let mut owned: Option<String> = None;
    let mut i = 1;
    let mut seg = i;
    loop {
        match b.get(i) {
            None | Some(b'"') => break,
            Some(b'\\') if matches!(b.get(i + 1), Some(b'"' | b'\\')) => {
                let s = owned.get_or_insert_with(String::new);
                s.push_str(sub(raw, seg, i));
                s.push_str(sub(raw, i + 1, i + 2));
                i += 2;
                seg = i;
            }
            Some(_) => i += 1,
        }
    }
    let inner_end = i;
    let tail = (i + 1).min(raw.len());
    match owned {
        None if tail == raw.len() => Cow::Borrowed(sub(raw, seg, inner_end)),
        owned => {
            let mut s = owned.unwrap_or_default();
            s.push_str(sub(raw, seg, inner_end));
            s.push_str(sub(raw, tail, raw.len()));
            Cow::Owned(s)
        }
    }
}

pub(super) fn sub(s: &str, a: usize, b: usize) -> &str {
    s.get(a..b).unwrap_or("")
}

/// The canonical text of an entry whose words after the date are `raw` (from the verb to the
/// end of the last word, the comment left out): the words joined by one space, each quoted run
/// written back in double quotes with `\"` and `\\` escaped. Most lines are already so
/// (`regular`, as [`tokenize`] found), and are copied as they are.
pub(super) fn canonical(raw: &str, regular: bool) -> Canon {
    if regular {
        return Canon::from(raw);
    }
    let b = raw.as_bytes();
    let mut out = String::with_capacity(raw.len() + 2);
    let mut i = 0;
    loop {
        while b.get(i).is_some_and(|&c| SEP[c as usize]) {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        let word = i;
        if b[i] == b'"' {
            // As the tokenizer cut it: to the closing quote, then on to the next blank.
            i += 1;
            loop {
                match b.get(i) {
                    None => break,
                    Some(b'\\') if matches!(b.get(i + 1), Some(b'"' | b'\\')) => i += 2,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            while b.get(i).is_some_and(|&c| !ends_word(c)) {
                i += 1;
            }
            out.push('"');
            for c in unquote(sub(raw, word, i)).chars() {
                if matches!(c, '"' | '\\') {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        } else {
            i = word_end(b, i + 1);
            out.push_str(sub(raw, word, i));
        }
    }
    Canon::from(out)
}

/// Cut the line that starts at byte `start` of `text` into words, stopping at a comment.
/// Returns where the line ends (its `\n`, or the end of the text) with the words or the error.
/// `last_date`: the date word of the last line that had a good one.
/// With `lean` (descriptions not kept), once the first `lean.head` words are in and the
/// caller's `lean.rest_counted` says so, the plain words after them are counted in
/// `lean.elided` and left out of `out`.
/// `regular` is cleared when a word after the verb does not follow exactly one space, or is
/// quoted: the line's canonical text is then not its own bytes.
/// This is the one pass over the bytes: lines are found as their words are.
// Called from one place, once a line: inlined, the call and the handing back of its result
// are spared (measured: about 0.5% fewer instructions in parsing; a plain `#[inline]` is not
// taken).
#[allow(clippy::inline_always)]
#[inline(always)]
pub(super) fn tokenize<'a>(
    text: &'a str,
    start: usize,
    file: FileId,
    out: &mut Vec<Tok<'a>>,
    last_date: Option<[u8; 10]>,
    lean: Option<Lean<'_, impl FnOnce(&[Tok<'a>]) -> bool>>,
    regular: &mut bool,
) -> (usize, Result<(), Diagnostic>) {
    let b = text.as_bytes();
    // Most lines start with the date of the line before: those ten bytes (a date that was
    // read, so digits and `-`, none that ends a word) and then a byte that ends a word are
    // that word, found without a search.
    if let Some(raw) = last_date
        && let Some((head, _)) = b.get(start..).and_then(<[u8]>::split_first_chunk::<11>)
        && head[..10] == raw
        && ends_word(head[10])
    {
        out.push(Tok {
            start,
            raw: sub(text, start, start + 10),
            kind: Kind::Word,
        });
    }
    let start = out.last().map_or(start, Tok::end);
    let to_eol = |i: usize| {
        text.get(i..)
            .and_then(|r| r.find('\n'))
            .map_or(text.len(), |n| i + n)
    };
    // Set once the first words show that the plain words after them are only counted.
    let mut elided: Option<&mut Elided> = None;
    let mut lean = lean;
    let head = lean.as_ref().map_or(usize::MAX, |l| l.head);
    let mut i = start;
    // Words so far (the date among them), and where the last one ended.
    let mut words = out.len();
    let mut last_end = start;
    loop {
        let first = loop {
            match b.get(i) {
                Some(&c) if SEP[c as usize] => i += 1,
                Some(&c) => break c,
                None => return (i, Ok(())),
            }
        };
        let word = i;
        // After the verb, a word that does not follow exactly one space (the end of the line
        // and a comment are no words).
        let spaced = words >= 2 && (word != last_end + 1 || b.get(last_end) != Some(&b' '));
        // One look at a table sends the few bytes that can mean more than a plain word
        // (the end of the line, a comment, a quote) out of the way of the usual words.
        if MAY_START_MORE[first as usize] {
            if first == b'\n' {
                return (i, Ok(()));
            }
            if first == b';' || (first == b'#' && out.is_empty()) {
                return (to_eol(i), Ok(()));
            }
            if first == b'"' {
                i += 1;
                let closed = loop {
                    match b.get(i) {
                        None | Some(b'\n') => break false,
                        Some(b'\\') if matches!(b.get(i + 1), Some(b'"' | b'\\')) => i += 2,
                        Some(b'"') => break true,
                        Some(_) => i += 1,
                    }
                };
                if !closed {
                    let line = sub(text, word, i);
                    let end = word
                        + line
                            .trim_end_matches(|c: char| c.is_ascii() && is_sep(c as u8))
                            .len();
                    let d = Diagnostic::error(
                        Span::new(file, word, end),
                        "the quoted text is not closed",
                    )
                    .with_help("end it with `\"`; inside quotes write `\\\"` for a quote");
                    return (i, Err(d));
                }
                i += 1;
                while b.get(i).is_some_and(|&c| !ends_word(c)) {
                    i += 1;
                }
                out.push(Tok {
                    start: word,
                    raw: sub(text, word, i),
                    kind: Kind::Quoted,
                });
                *regular = false;
                words += 1;
                last_end = i;
                continue;
            }
        }
        if spaced {
            *regular = false;
        }
        // The first byte is not a word's end: the search starts after it.
        i = word_end(b, i + 1);
        words += 1;
        last_end = i;
        if let Some(e) = elided.as_deref_mut()
            && (!MAY_BE_MORE_THAN_POSITIONAL[first as usize] || positional(sub(text, word, i)))
        {
            e.words += 1;
            e.end = i;
            continue;
        }
        out.push(Tok {
            start: word,
            raw: sub(text, word, i),
            kind: Kind::Word,
        });
        // Looked at once, when the first words are in (a line whose fourth word is quoted
        // is read whole).
        if out.len() == head
            && let Some(l) = lean.take()
            && (l.rest_counted)(out)
        {
            elided = Some(l.elided);
        }
    }
}

/// The plain description words [`tokenize`] left out of a line's words, as
/// [`super::line::Line::statement`] would only count them: how many, and where the last one ends.
#[derive(Default)]
pub(super) struct Elided {
    pub(super) words: usize,
    pub(super) end: usize,
}

/// What the caller asks [`tokenize`] to leave out of a line's words: once the first `head`
/// words are in, `rest_counted` looks at them and says whether the plain words after them
/// (neither quoted, nor tags, nor metadata, nor `@`) are only counted, in `elided`.
pub(super) struct Lean<'e, F> {
    /// How many leading words are always listed.
    pub(super) head: usize,
    /// Given the first `head` words: are the plain words after them only counted?
    pub(super) rest_counted: F,
    /// Where the words left out are counted.
    pub(super) elided: &'e mut Elided,
}

/// Does [`super::line::Line::statement`] read the word `w` (not quoted, after the client) as a positional
/// word: neither a tag, nor metadata, nor an `@` (which it turns down on any verb but `buy`)?
pub(super) fn positional(w: &str) -> bool {
    !(w.len() > 1 && w.starts_with('#')) && w != "@" && meta_word(w).is_none()
}

/// The first bytes of the words that may not be positional ([`positional`]): `#` (a tag),
/// `@`, and the first letters of the metadata keys.
pub(super) const MAY_BE_MORE_THAN_POSITIONAL: [bool; 256] = {
    let mut t = [false; 256];
    let starts = b"#@rqptde";
    let mut i = 0;
    while i < starts.len() {
        t[starts[i] as usize] = true;
        i += 1;
    }
    t
};

/// The first bytes of a word that [`tokenize`] looks at twice: `\n` (no word: the end of the
/// line), `;` (a comment), `#` (a comment if first on its line) and `"` (a quoted run).
pub(super) const MAY_START_MORE: [bool; 256] = {
    let mut t = [false; 256];
    t[b'\n' as usize] = true;
    t[b';' as usize] = true;
    t[b'#' as usize] = true;
    t[b'"' as usize] = true;
    t
};

/// `key:value` with a known key, split.
#[inline]
pub(super) fn meta_word(w: &str) -> Option<(MetaKey, &str)> {
    let key = match w.as_bytes().first()? {
        b'r' => MetaKey::Ref,
        b'q' => MetaKey::Quote,
        b'p' => MetaKey::Project,
        b't' => MetaKey::Task,
        b'd' => MetaKey::Due,
        b'e' => MetaKey::Expires,
        _ => return None,
    };
    let n = key.word().len();
    if w.as_bytes().get(n) == Some(&b':') && w.get(..n) == Some(key.word()) {
        Some((key, w.get(n + 1..).unwrap_or("")))
    } else {
        None
    }
}
