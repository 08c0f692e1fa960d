//! "Did you mean …?": the one place that says which known name a mistyped word was meant to be.
//!
//! Used by the book parser (unknown keys), the journal parser (unknown verbs), the engine
//! (unknown clients) and the command line (a client that is not in the book). A plain-data
//! leaf like `diagnostic`: it imports nothing of the crate, and anyone may import it.
//!
//! The rule, in three parts:
//! - **distance**: the optimal string alignment distance between the typed word (lowercased)
//!   and a known name, in characters: one insertion, deletion, substitution or swap of two
//!   neighbours is one edit;
//! - **close enough**: a typed word of at most 3 characters may be 1 edit away; a longer one
//!   2 edits, or a quarter of the name's length if that is more; never as many edits as the
//!   name has characters (so `ab` is not "meant" to be `cd`);
//! - **ranking**: the closest name wins; between equally close names, the first one the
//!   caller lists.

/// The help line that offers `name`: ``did you mean `name`?``.
#[must_use]
pub fn did_you_mean(name: &str) -> String {
    format!("did you mean `{name}`?")
}

/// The known name closest to `typed`, when it is close enough to be a typo of it (see the
/// module's rule). `None` when no name is.
pub fn nearest<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed = typed.to_lowercase();
    let typed_len = typed.chars().count();
    let mut best: Option<(usize, &'a str)> = None;
    for name in known {
        let len = name.chars().count();
        let limit = most_edits(typed_len, len);
        // The distance is at least the difference of the lengths: skip the table when that
        // alone is too far (this also bounds the work for a very long word).
        if typed_len.abs_diff(len) > limit {
            continue;
        }
        let d = distance(&typed, name);
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, name));
        }
    }
    best.map(|(_, name)| name)
}

/// The most edits by which a typed word of `typed_len` characters may differ from a name of
/// `name_len` characters and still be taken for it.
fn most_edits(typed_len: usize, name_len: usize) -> usize {
    let limit = if typed_len <= 3 {
        1
    } else {
        2.max(name_len / 4)
    };
    // Fewer edits than the name has characters.
    limit.min(name_len.saturating_sub(1))
}

/// Optimal string alignment distance between `a` and `b`, in characters: the fewest
/// insertions, deletions, substitutions and swaps of two neighbouring characters that turn
/// one into the other (no character is edited twice).
#[must_use]
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the table: two back (for swaps), one back, and this one.
    let mut before: Vec<usize> = (0..=b.len()).collect();
    let mut prev: Vec<usize> = before.clone();
    let mut row = vec![0usize; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let mut v = (prev[j + 1] + 1).min(row[j] + 1).min(prev[j] + cost);
            if i > 0 && j > 0 && a.get(i - 1) == Some(&cb) && b.get(j - 1) == Some(&ca) {
                v = v.min(before[j - 1] + 1);
            }
            row[j + 1] = v;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn distance_counts_insertions_deletions_substitutions_and_swaps() {
        assert_eq!(distance("lgo", "log"), 1);
        assert_eq!(distance("aprove", "approve"), 1);
        assert_eq!(distance("", "log"), 3);
        assert_eq!(distance("log", ""), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("amce", "acme"), 1);
        assert_eq!(distance("café", "cafe"), 1);
        assert_eq!(distance("acme", "acme"), 0);
    }

    #[test]
    fn near_names_are_suggested_and_far_ones_are_not() {
        let verbs = ["buy", "log", "debit", "approve"];
        assert_eq!(nearest("lgo", verbs), Some("log"));
        assert_eq!(nearest("LOG", verbs), Some("log"));
        assert_eq!(nearest("aprove", verbs), Some("approve"));
        assert_eq!(
            nearest("dbt", verbs),
            None,
            "a short word may be one edit away only"
        );
        assert_eq!(nearest("debt", verbs), Some("debit"));
        assert_eq!(
            nearest("dbet", verbs),
            Some("debit"),
            "a swap and a deletion: 2 edits"
        );
        assert_eq!(nearest("xyzzy", verbs), None);
        assert_eq!(nearest("", verbs), None);
        assert_eq!(
            nearest("ab", ["cd"]),
            None,
            "not as many edits as the name is long"
        );
        assert_eq!(nearest("a", ["b"]), None);
        assert_eq!(nearest("x", std::iter::empty()), None);
    }

    #[test]
    fn long_names_allow_a_quarter_of_their_length() {
        let keys = ["monthly_expires"];
        assert_eq!(nearest("mnthly_exprs", keys), Some("monthly_expires"));
        assert_eq!(nearest("mnthly_xprs", keys), None);
    }

    #[test]
    fn the_closest_name_wins_then_the_first_listed() {
        assert_eq!(nearest("acme", ["acne", "acme-corp", "acme"]), Some("acme"));
        assert_eq!(nearest("acmo", ["acma", "acme"]), Some("acma"));
        assert_eq!(nearest("acmo", ["acme", "acma"]), Some("acme"));
        assert_eq!(nearest("acmee", ["acme-corp", "acme"]), Some("acme"));
    }

    #[test]
    fn the_help_line_names_the_suggestion() {
        assert_eq!(did_you_mean("log"), "did you mean `log`?");
    }

    proptest! {
        #[test]
        fn distance_is_a_metric_on_short_words(a in "[abc]{0,6}", b in "[abc]{0,6}") {
            prop_assert_eq!(distance(&a, &b), distance(&b, &a));
            prop_assert_eq!(distance(&a, &b) == 0, a == b);
            prop_assert!(distance(&a, &b) >= a.len().abs_diff(b.len()));
            prop_assert!(distance(&a, &b) <= a.len().max(b.len()));
        }

        #[test]
        fn a_suggestion_is_one_of_the_names_and_close(typed in "\\PC{0,12}", names in prop::collection::vec("[a-z_]{1,10}", 0..6)) {
            if let Some(n) = nearest(&typed, names.iter().map(String::as_str)) {
                prop_assert!(names.iter().any(|x| x == n));
                let d = distance(&typed.to_lowercase(), n);
                prop_assert!(d < n.chars().count());
                prop_assert!(d <= 2.max(n.len() / 4));
            }
        }
    }
}
