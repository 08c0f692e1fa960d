//! [`Canon`]: the canonical text of an entry, which orders the entries of one date.

use std::fmt;

/// How many bytes of canonical text an entry holds in itself: most journal lines are shorter
/// (about four in five at 46 bytes, where a 24-byte small string holds one in five), so reading
/// a journal allocates nothing for them.
const INLINE: usize = 46;

/// The canonical text of an entry ([`Entry::canon`](super::Entry::canon)): held in the entry
/// when it is at most 46 bytes, else on the heap. It reads as the `&str` it was made from.
///
/// # Examples
///
/// ```
/// use credits::model::Canon;
///
/// let short = Canon::from("log acme 15m Fixed header #dev");
/// assert_eq!(short.as_str(), "log acme 15m Fixed header #dev");
/// let long = Canon::from("log acme 15m a description far longer than forty-six bytes");
/// assert!(short < long);
/// ```
#[derive(Clone)]
pub struct Canon(Repr);

#[derive(Clone)]
enum Repr {
    /// The first `len` bytes are the text (a whole `&str`, so UTF-8).
    Inline {
        len: u8,
        bytes: [u8; INLINE],
    },
    Heap(Box<str>),
}

impl Canon {
    /// The empty text: the canonical text of an entry not read from a journal.
    pub const EMPTY: Canon = Canon(Repr::Inline {
        len: 0,
        bytes: [0; INLINE],
    });

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Made from a whole `&str` ([`Canon::from`]): never fails.
            Repr::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            Repr::Heap(s) => s,
        }
    }

    /// The text's bytes, which order entries ([`Entry::run_order`](super::Entry::run_order)).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Repr::Heap(s) => s.as_bytes(),
        }
    }

    /// True for the empty text.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.as_bytes().is_empty()
    }
}

impl From<&str> for Canon {
    fn from(s: &str) -> Canon {
        match u8::try_from(s.len()) {
            Ok(len) if s.len() <= INLINE => {
                let mut bytes = [0; INLINE];
                bytes[..s.len()].copy_from_slice(s.as_bytes());
                Canon(Repr::Inline { len, bytes })
            }
            _ => Canon(Repr::Heap(s.into())),
        }
    }
}

impl From<String> for Canon {
    fn from(s: String) -> Canon {
        if s.len() <= INLINE {
            Canon::from(s.as_str())
        } else {
            Canon(Repr::Heap(s.into_boxed_str()))
        }
    }
}

impl Default for Canon {
    fn default() -> Canon {
        Canon::EMPTY
    }
}

impl PartialEq for Canon {
    fn eq(&self, other: &Canon) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Canon {}

impl PartialOrd for Canon {
    fn partial_cmp(&self, other: &Canon) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Canon {
    /// Byte order, as the SPEC orders the entries of one date.
    fn cmp(&self, other: &Canon) -> std::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl fmt::Debug for Canon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Canon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_canon_reads_and_orders_as_its_text(a in ".{0,60}", b in ".{0,60}") {
            let (x, y) = (Canon::from(a.as_str()), Canon::from(b.clone()));
            prop_assert_eq!(x.as_str(), a.as_str());
            prop_assert_eq!(y.as_str(), b.as_str());
            prop_assert_eq!(x.cmp(&y), a.as_bytes().cmp(b.as_bytes()));
            prop_assert_eq!(x == y, a == b);
            prop_assert_eq!(x.is_empty(), a.is_empty());
        }
    }

    #[test]
    fn short_texts_are_held_inline_and_long_ones_on_the_heap() {
        let at = |n: usize| Canon::from("x".repeat(n).as_str());
        assert!(matches!(at(INLINE).0, Repr::Inline { .. }));
        assert!(matches!(at(INLINE + 1).0, Repr::Heap(_)));
        assert_eq!(at(INLINE + 1).as_str().len(), INLINE + 1);
        assert_eq!(Canon::EMPTY.as_str(), "");
    }
}
