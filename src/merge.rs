//! A three-way merge of journals by lines: the logic of the `credits merge` git driver.
//!
//! Pure: bytes in, bytes out; no I/O, no clock. Imports nothing else of the crate (`cli`
//! reads the three files and writes the result).
//!
//! A **change** is a diff hunk that replaces a range of base lines (possibly empty: a pure
//! insertion) with lines of one side, as in diff3. The rules, for journals whose lines are
//! independent entries:
//!
//! * lines added on either side are kept; pure insertions at the same place are concatenated,
//!   ours first (both copies when both sides added the same line: they are two entries);
//! * a base line deleted or changed on one side only takes that side's change;
//! * identical changes on both sides are taken once;
//! * hunks from both sides that touch the same base lines and differ are a conflict, written
//!   with git's markers (`<<<<<<<`, `=======`, `>>>>>>>`).
//!
//! Lines are compared by their text without the line end, so a CRLF journal merges with an
//! LF copy of itself; unchanged lines are written as ours has them, changed lines as the side
//! that changed them has them. A line without a line end that is no longer last gets the
//! journal's line end (that of ours' first line, else LF).
//!
//! The usual merge (appends at the end, a few edits) costs time linear in the size of the
//! journals: the common head and tail are set aside before the diff (Myers' O((N+M)·D)
//! algorithm), which only sees the lines in between. A diff that would take too long (too many
//! differences) is taken as one hunk over the whole middle, which can only turn a clean merge
//! into a conflict, never lose a line.

use std::ops::Range;

/// The names written after git's conflict markers.
#[derive(Debug, Clone, Copy)]
pub struct Labels<'a> {
    /// After `<<<<<<< ` (git writes e.g. `HEAD` or `ours:PATH`).
    pub ours: &'a str,
    /// After `>>>>>>> `.
    pub theirs: &'a str,
}

/// The result of [`merge`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The merged text, with conflict markers around each conflict.
    pub text: Vec<u8>,
    /// How many conflicts were written (0: a clean merge).
    pub conflicts: usize,
}

/// Most differences [`diff`] looks for before it takes the whole middle as one hunk.
const MAX_EDITS: usize = 2_000;
/// Most steps [`diff`] takes (diagonal moves and comparisons) before it does the same.
const MAX_WORK: usize = 50_000_000;

/// Merge `ours` and `theirs`, two edits of `base`, line by line.
///
/// # Examples
///
/// ```
/// use credits::merge::{merge, Labels};
/// let base = b"2026-01-05 buy acme 10h\n";
/// let ours = b"2026-01-05 buy acme 10h\n2026-01-06 log acme 1h\n";
/// let theirs = b"2026-01-05 buy acme 10h\n2026-01-06 log acme 45m\n";
/// let m = merge(base, ours, theirs, Labels { ours: "ours", theirs: "theirs" });
/// assert_eq!(m.conflicts, 0);
/// assert_eq!(
///     m.text,
///     b"2026-01-05 buy acme 10h\n2026-01-06 log acme 1h\n2026-01-06 log acme 45m\n"
/// );
/// ```
#[must_use]
pub fn merge(base: &[u8], ours: &[u8], theirs: &[u8], labels: Labels<'_>) -> Merged {
    let base = lines(base);
    let ours = lines(ours);
    let theirs = lines(theirs);
    let eol: &[u8] = [&ours, &theirs, &base]
        .iter()
        .flat_map(|side| side.iter())
        .find(|l| l.ends_with(b"\n"))
        .map_or(
            b"\n",
            |l| {
                if l.ends_with(b"\r\n") { b"\r\n" } else { b"\n" }
            },
        );

    let mut hunks: Vec<(Side, Hunk)> = diff(&base, &ours)
        .into_iter()
        .map(|h| (Side::Ours, h))
        .chain(diff(&base, &theirs).into_iter().map(|h| (Side::Theirs, h)))
        .collect();
    // By base position; at one position, pure insertions (which go before the base line
    // there) before replacements, ours before theirs.
    hunks.sort_by_key(|(side, h)| (h.base.start, !h.base.is_empty(), *side));

    let mut out = Output {
        text: Vec::with_capacity(ours.iter().map(|l| l.len()).sum()),
        eol,
    };
    let mut conflicts = 0;
    // Base lines before `pos` are written; ours' line `at` is base line `pos`.
    let mut pos = 0usize;
    let mut at = 0usize;
    let mut i = 0;
    while i < hunks.len() {
        // The group: this hunk and every later one that touches its base lines.
        let start = hunks[i].1.base.start;
        let mut end = hunks[i].1.base.end;
        let mut j = i + 1;
        if !hunks[i].1.base.is_empty() {
            while j < hunks.len() {
                let h = &hunks[j].1.base;
                let touches = if h.is_empty() {
                    h.start > start && h.start < end
                } else {
                    h.start < end
                };
                if !touches {
                    break;
                }
                end = end.max(h.end);
                j += 1;
            }
        }
        let group = &hunks[i..j];
        i = j;

        // The unchanged lines before the group, as ours has them.
        for line in &ours[at..at + (start - pos)] {
            out.line(line);
        }
        at += start - pos;
        pos = end;

        let ours_text = side_text(&base, &ours, group, Side::Ours, start..end);
        let theirs_text = side_text(&base, &theirs, group, Side::Theirs, start..end);
        at = match group.iter().rev().find(|(s, _)| *s == Side::Ours) {
            Some((_, h)) => h.side.end + (end - h.base.end),
            None => at + (end - start),
        };
        let both = group.iter().any(|(s, _)| *s == Side::Ours)
            && group.iter().any(|(s, _)| *s == Side::Theirs);
        if !both {
            let text = if group[0].0 == Side::Ours {
                ours_text
            } else {
                theirs_text
            };
            for line in text {
                out.line(line);
            }
        } else if same_lines(&ours_text, &theirs_text) {
            for line in ours_text {
                out.line(line);
            }
        } else {
            conflicts += 1;
            out.marker(b"<<<<<<< ", labels.ours);
            for line in ours_text {
                out.line(line);
            }
            out.marker(b"=======", "");
            for line in theirs_text {
                out.line(line);
            }
            out.marker(b">>>>>>> ", labels.theirs);
        }
    }
    for line in &ours[at..] {
        out.line(line);
    }
    Merged {
        text: out.text,
        conflicts,
    }
}

/// Which edit of the base a hunk comes from; ours sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Ours,
    Theirs,
}

/// Base lines `base` replaced by the side's lines `side` (either may be empty).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Hunk {
    base: Range<usize>,
    side: Range<usize>,
}

/// The merged text being written.
struct Output<'a> {
    text: Vec<u8>,
    eol: &'a [u8],
}

impl Output<'_> {
    /// Append a whole line, first ending the previous one if it had no line end.
    fn line(&mut self, line: &[u8]) {
        if !self.text.is_empty() && !self.text.ends_with(b"\n") {
            self.text.extend_from_slice(self.eol);
        }
        self.text.extend_from_slice(line);
    }

    /// Append a conflict marker line (`label` after `marker`, when given).
    fn marker(&mut self, marker: &[u8], label: &str) {
        let mut line = marker.to_vec();
        if label.is_empty() {
            while line.last() == Some(&b' ') {
                line.pop();
            }
        } else {
            line.extend_from_slice(label.as_bytes());
        }
        line.extend_from_slice(self.eol);
        self.line(&line);
    }
}

/// The side's lines for base lines `range`: base lines where the side's hunks of `group` do
/// not touch them (they are equal to the side's), the side's lines where they do.
fn side_text<'a>(
    base: &[&'a [u8]],
    side_lines: &[&'a [u8]],
    group: &[(Side, Hunk)],
    side: Side,
    range: Range<usize>,
) -> Vec<&'a [u8]> {
    let mut text = Vec::new();
    let mut pos = range.start;
    for (_, h) in group.iter().filter(|(s, _)| *s == side) {
        text.extend_from_slice(&base[pos..h.base.start]);
        text.extend_from_slice(&side_lines[h.side.clone()]);
        pos = h.base.end;
    }
    text.extend_from_slice(&base[pos..range.end]);
    text
}

/// Split `text` into lines, each with its line end (`\n` or `\r\n`; the last may have none).
fn lines(text: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| i + 1);
        let (line, tail) = rest.split_at(end);
        out.push(line);
        rest = tail;
    }
    out
}

/// A line's text without its line end.
fn content(line: &[u8]) -> &[u8] {
    match line.strip_suffix(b"\n") {
        Some(l) => l.strip_suffix(b"\r").unwrap_or(l),
        None => line,
    }
}

fn same_lines(a: &[&[u8]], b: &[&[u8]]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| content(x) == content(y))
}

/// The hunks that turn `base` into `side`, in base order, none touching another.
fn diff(base: &[&[u8]], side: &[&[u8]]) -> Vec<Hunk> {
    let head = base
        .iter()
        .zip(side)
        .take_while(|(a, b)| content(a) == content(b))
        .count();
    let tail = base[head..]
        .iter()
        .rev()
        .zip(side[head..].iter().rev())
        .take_while(|(a, b)| content(a) == content(b))
        .count();
    let a = &base[head..base.len() - tail];
    let b = &side[head..side.len() - tail];
    if a.is_empty() && b.is_empty() {
        return Vec::new();
    }
    let shift = |r: Range<usize>| r.start + head..r.end + head;
    let whole = || {
        vec![Hunk {
            base: shift(0..a.len()),
            side: shift(0..b.len()),
        }]
    };
    if a.is_empty() || b.is_empty() {
        return whole();
    }
    let a: Vec<&[u8]> = a.iter().map(|l| content(l)).collect();
    let b: Vec<&[u8]> = b.iter().map(|l| content(l)).collect();
    let Some(matches) = myers(&a, &b) else {
        return whole();
    };
    let mut hunks = Vec::new();
    let (mut x, mut y) = (0, 0);
    for (i, j) in matches.into_iter().chain([(a.len(), b.len())]) {
        if i > x || j > y {
            hunks.push(Hunk {
                base: shift(x..i),
                side: shift(y..j),
            });
        }
        (x, y) = (i + 1, j + 1);
    }
    hunks
}

/// The matched pairs `(i, j)` (`a[i] == b[j]`) of a shortest edit script from `a` to `b`, in
/// order (Myers 1986, the greedy forward search, with each round's frontier kept to trace
/// the path back). `None` when it takes more than [`MAX_EDITS`] edits or [`MAX_WORK`] steps.
// Lengths of slices fit an `isize`, and every index is made non-negative by `off`.
#[allow(clippy::cast_possible_wrap, clippy::cast_sign_loss)]
fn myers<T: PartialEq>(a: &[T], b: &[T]) -> Option<Vec<(usize, usize)>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let limit = (a.len() + b.len()).min(MAX_EDITS) as isize;
    let off = limit + 1;
    // v[k + off]: the furthest x reached on diagonal k = x - y.
    let mut v = vec![0isize; (2 * off + 1) as usize];
    // The frontier before each round d, on diagonals -(d+1)..=d+1.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut work = 0usize;
    let mut found = None;
    'rounds: for d in 0..=limit {
        trace.push(v[(off - d - 1) as usize..=(off + d + 1) as usize].to_vec());
        for k in (-d..=d).step_by(2) {
            let at = |k: isize| v[(k + off) as usize];
            let mut x = if k == -d || (k != d && at(k - 1) < at(k + 1)) {
                at(k + 1)
            } else {
                at(k - 1) + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
                work += 1;
            }
            work += 1;
            v[(k + off) as usize] = x;
            if x >= n && y >= m {
                found = Some(d);
                break 'rounds;
            }
        }
        if work > MAX_WORK {
            return None;
        }
    }
    let last = found?;
    let mut matches = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (0..=last).rev() {
        let frontier = &trace[d as usize];
        let at = |k: isize| frontier[(k + d + 1) as usize];
        let k = x - y;
        let prev_k = if k == -d || (k != d && at(k - 1) < at(k + 1)) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = at(prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y && x > 0 && y > 0 {
            x -= 1;
            y -= 1;
            matches.push((x as usize, y as usize));
        }
        if d > 0 {
            (x, y) = (prev_x, prev_y);
        }
    }
    matches.reverse();
    Some(matches)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LABELS: Labels<'static> = Labels {
        ours: "ours:journal.credits",
        theirs: "theirs:journal.credits",
    };

    fn m(base: &str, ours: &str, theirs: &str) -> (String, usize) {
        let r = merge(base.as_bytes(), ours.as_bytes(), theirs.as_bytes(), LABELS);
        (String::from_utf8(r.text).unwrap(), r.conflicts)
    }

    const BASE: &str = "2026-01-05 buy acme 10h\n2026-01-06 log acme 45m\n2026-01-07 log acme 1h\n";

    #[test]
    fn appends_on_both_sides_are_all_kept_ours_first() {
        let ours = format!("{BASE}2026-01-08 log acme 1h\n2026-01-08 bill acme\n");
        let theirs = format!("{BASE}2026-01-08 log acme 45m\n2026-01-08 buy acme five\n");
        assert_eq!(
            m(BASE, &ours, &theirs),
            (
                format!(
                    "{BASE}2026-01-08 log acme 1h\n2026-01-08 bill acme\n\
                     2026-01-08 log acme 45m\n2026-01-08 buy acme five\n"
                ),
                0
            )
        );
    }

    #[test]
    fn the_same_line_added_on_both_sides_is_kept_twice() {
        let added = format!("{BASE}2026-01-08 log acme 1h\n");
        assert_eq!(
            m(BASE, &added, &added),
            (
                format!("{BASE}2026-01-08 log acme 1h\n2026-01-08 log acme 1h\n"),
                0
            )
        );
    }

    #[test]
    fn a_line_changed_on_one_side_only_takes_that_change() {
        let theirs = BASE.replace("45m", "30m");
        let ours = format!("{BASE}2026-01-08 log acme 15m\n");
        assert_eq!(
            m(BASE, &ours, &theirs),
            (format!("{theirs}2026-01-08 log acme 15m\n"), 0)
        );
        assert_eq!(
            m(BASE, &theirs, &ours),
            (format!("{theirs}2026-01-08 log acme 15m\n"), 0)
        );
    }

    #[test]
    fn a_line_deleted_on_one_side_is_deleted() {
        let ours = BASE.replace("2026-01-06 log acme 45m\n", "");
        let theirs = format!("{BASE}2026-01-08 log acme 15m\n");
        assert_eq!(
            m(BASE, &ours, &theirs),
            (format!("{ours}2026-01-08 log acme 15m\n"), 0)
        );
    }

    #[test]
    fn identical_changes_are_taken_once() {
        let both = BASE.replace("45m", "30m");
        assert_eq!(m(BASE, &both, &both), (both.clone(), 0));
        let deleted = BASE.replace("2026-01-06 log acme 45m\n", "");
        assert_eq!(m(BASE, &deleted, &deleted), (deleted.clone(), 0));
    }

    #[test]
    fn different_changes_to_one_line_are_a_conflict_with_git_markers() {
        let ours = BASE.replace("45m", "45m #dev");
        let theirs = BASE.replace("45m", "30m");
        assert_eq!(
            m(BASE, &ours, &theirs),
            (
                "2026-01-05 buy acme 10h\n\
                 <<<<<<< ours:journal.credits\n\
                 2026-01-06 log acme 45m #dev\n\
                 =======\n\
                 2026-01-06 log acme 30m\n\
                 >>>>>>> theirs:journal.credits\n\
                 2026-01-07 log acme 1h\n"
                    .to_string(),
                1
            )
        );
    }

    #[test]
    fn a_change_against_a_deletion_is_a_conflict() {
        let ours = BASE.replace("45m", "30m");
        let theirs = BASE.replace("2026-01-06 log acme 45m\n", "");
        let (text, conflicts) = m(BASE, &ours, &theirs);
        assert_eq!(conflicts, 1);
        assert!(text.contains(
            "<<<<<<< ours:journal.credits\n2026-01-06 log acme 30m\n=======\n>>>>>>> theirs"
        ));
    }

    #[test]
    fn an_insertion_inside_lines_the_other_side_replaced_is_a_conflict() {
        let ours = BASE.replace(
            "2026-01-06 log acme 45m\n2026-01-07 log acme 1h\n",
            "2026-01-06 log acme 30m\n2026-01-07 log acme 2h\n",
        );
        let theirs = BASE.replace("45m\n", "45m\n2026-01-06 log acme 5m\n");
        assert_eq!(m(BASE, &ours, &theirs).1, 1);
    }

    #[test]
    fn changes_to_neighbouring_lines_merge_cleanly() {
        let ours = BASE.replace("10h", "12h");
        let theirs = BASE.replace("45m", "30m");
        assert_eq!(
            m(BASE, &ours, &theirs),
            (BASE.replace("10h", "12h").replace("45m", "30m"), 0)
        );
    }

    #[test]
    fn crlf_lines_stay_crlf_and_markers_follow_the_journal() {
        let base = BASE.replace('\n', "\r\n");
        let ours = base.replace("45m", "45m #dev");
        let theirs = format!("{}2026-01-08 log acme 1h\r\n", base.replace("45m", "30m"));
        let (text, conflicts) = m(&base, &ours, &theirs);
        assert_eq!(conflicts, 1);
        assert!(!text.replace("\r\n", "").contains('\n'), "{text:?}");
        assert!(text.contains("=======\r\n"), "{text:?}");
        assert!(text.ends_with("2026-01-07 log acme 1h\r\n2026-01-08 log acme 1h\r\n"));
    }

    #[test]
    fn a_missing_final_newline_is_completed_only_where_a_line_follows() {
        let base = "2026-01-05 buy acme 10h";
        let ours = "2026-01-05 buy acme 10h\n2026-01-06 log acme 1h";
        let theirs = "2026-01-05 buy acme 10h\n2026-01-06 log acme 45m\n";
        assert_eq!(
            m(base, ours, theirs),
            (
                "2026-01-05 buy acme 10h\n2026-01-06 log acme 1h\n2026-01-06 log acme 45m\n"
                    .to_string(),
                0
            )
        );
        assert_eq!(m(base, base, base), (base.to_string(), 0));
        assert_eq!(m("", ours, ""), (ours.to_string(), 0));
    }

    #[test]
    fn empty_and_binary_inputs_do_not_panic() {
        assert_eq!(m("", "", ""), (String::new(), 0));
        let r = merge(b"\xff\r\r\n", b"\x00\n\xfe", b"", LABELS);
        assert_eq!(r.conflicts, 1);
    }

    #[test]
    fn a_long_journal_with_appends_merges_in_linear_time() {
        let base = (0..200_000)
            .map(|i| format!("2026-01-05 log acme {}m\n", i % 59 + 1))
            .collect::<Vec<_>>()
            .concat();
        let ours = format!("{base}2026-02-01 log acme 1h\n");
        let theirs = format!("{base}2026-02-01 log acme 2h\n");
        let (text, conflicts) = m(&base, &ours, &theirs);
        assert_eq!(conflicts, 0);
        assert!(text.ends_with("2026-02-01 log acme 1h\n2026-02-01 log acme 2h\n"));
    }

    #[test]
    fn too_many_differences_become_one_hunk_and_lose_nothing() {
        let base = (0..5_000)
            .map(|i| format!("{i}\n"))
            .collect::<Vec<_>>()
            .concat();
        let ours = (0..5_000)
            .map(|i| format!("{}\n", i * 7 % 5_000))
            .collect::<Vec<_>>()
            .concat();
        let theirs = format!("{base}tail\n");
        let (text, conflicts) = m(&base, &ours, &theirs);
        assert_eq!(conflicts, 0);
        assert_eq!(text, format!("{ours}tail\n"));
    }

    #[test]
    fn myers_finds_a_shortest_script() {
        let a = [1, 2, 3, 1, 2, 2, 1];
        let b = [3, 2, 1, 2, 1, 3];
        let pairs = myers(&a, &b).unwrap();
        // The classic example: 5 edits, so 4 matches of 7 and 6 lines.
        assert_eq!(pairs.len(), 4);
        assert!(pairs.iter().all(|&(i, j)| a[i] == b[j]));
        assert!(pairs.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
    }

    /// A journal of lines from a small alphabet (so that sides share lines).
    fn journal() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(0u8..6, 0..12).prop_map(|ls| {
            ls.iter()
                .flat_map(|l| format!("2026-01-0{l} log acme {l}m\n").into_bytes())
                .collect()
        })
    }

    fn count(text: &[u8], line: &[u8]) -> usize {
        lines(text).iter().filter(|l| content(l) == line).count()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn merging_with_the_base_or_with_itself_gives_the_edit(
            base in journal(), side in journal()
        ) {
            let r = merge(&base, &side, &base, LABELS);
            prop_assert_eq!((&r.text, r.conflicts), (&side, 0));
            let r = merge(&base, &base, &side, LABELS);
            prop_assert_eq!((&r.text, r.conflicts), (&side, 0));
            let r = merge(&side, &side, &side, LABELS);
            prop_assert_eq!((&r.text, r.conflicts), (&side, 0));
        }

        #[test]
        fn appends_on_both_sides_are_all_kept(
            base in journal(), a in journal(), b in journal()
        ) {
            let ours = [&base[..], &a[..]].concat();
            let theirs = [&base[..], &b[..]].concat();
            let r = merge(&base, &ours, &theirs, LABELS);
            prop_assert_eq!(r.conflicts, 0);
            prop_assert_eq!(r.text, [&base[..], &a[..], &b[..]].concat());
        }

        #[test]
        fn every_line_added_on_either_side_is_in_the_result(
            base in journal(), ours in journal(), theirs in journal()
        ) {
            let r = merge(&base, &ours, &theirs, LABELS);
            for side in [&ours, &theirs] {
                for line in lines(side) {
                    let line = content(line);
                    let added = count(side, line).saturating_sub(count(&base, line));
                    prop_assert!(count(&r.text, line) >= added, "{:?}", String::from_utf8_lossy(&r.text));
                }
            }
            prop_assert_eq!(r.conflicts == 0, !r.text.starts_with(b"<<<<<<< ") && !r.text.windows(9).any(|w| w == b"\n<<<<<<< "));
        }

        #[test]
        fn line_ends_are_kept_and_only_a_last_line_may_lack_one(
            base in journal(), ours in journal(), theirs in journal(),
            crlf in proptest::collection::vec(any::<bool>(), 3),
            cut in proptest::collection::vec(any::<bool>(), 3),
        ) {
            // Each side in CRLF or LF, with or without its final line end.
            let shape = |text: &[u8], crlf: bool, cut: bool| {
                let mut t = if crlf {
                    String::from_utf8_lossy(text).replace('\n', "\r\n").into_bytes()
                } else {
                    text.to_vec()
                };
                if cut {
                    while t.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                        t.pop();
                    }
                }
                t
            };
            let base = shape(&base, crlf[0], cut[0]);
            let ours = shape(&ours, crlf[1], cut[1]);
            let theirs = shape(&theirs, crlf[2], cut[2]);
            let r = merge(&base, &ours, &theirs, LABELS);
            let merged = lines(&r.text);
            for l in merged.iter().take(merged.len().saturating_sub(1)) {
                prop_assert!(l.ends_with(b"\n"), "{:?}", String::from_utf8_lossy(&r.text));
            }
            let r = merge(&base, &ours, &base, LABELS);
            prop_assert_eq!(r.text, ours.clone());
            let r = merge(&base, &base, &theirs, LABELS);
            let contents = |t: &[u8]| lines(t).iter().map(|l| content(l).to_vec()).collect::<Vec<_>>();
            prop_assert_eq!(contents(&r.text), contents(&theirs));
        }

        #[test]
        fn any_bytes_merge_without_panic(
            base in proptest::collection::vec(prop_oneof![Just(b'\n'), Just(b'\r'), Just(b'a'), Just(b'b')], 0..40),
            ours in proptest::collection::vec(prop_oneof![Just(b'\n'), Just(b'\r'), Just(b'a'), Just(b'b')], 0..40),
            theirs in proptest::collection::vec(prop_oneof![Just(b'\n'), Just(b'\r'), Just(b'a'), Just(b'b')], 0..40),
        ) {
            let r = merge(&base, &ours, &theirs, LABELS);
            if r.conflicts == 0 && theirs == base {
                prop_assert_eq!(r.text, ours);
            }
        }
    }
}
